"""Matching names the wave knows (workshop participants, the respondents' organisations, the project's list
of institutions) wherever they occur: in any case, accent and spacing where the name is distinctive, as
written where it is made of ordinary words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from verkenning.anonymise.text.words import (
    COMMON_ACRONYMS,
    FAMOUS_NAMES,
    NOT_A_NAME,
    ORGANISATION_HEADS,
    ORGANISATION_TAILS,
    TOOL_NAMES,
    Lexicon,
    read_institution_list,
)

_ACCENTS = {
    "a": "aàáâäãå", "e": "eèéêë", "i": "iìíîï", "o": "oòóôöõø", "u": "uùúûü", "c": "cç", "n": "nñ", "y": "yýÿ",
}
APOSTROPHES = "'’‘`´"
_SEPARATOR = "\x00"  # between the words of a name in the trie: any run of spaces or hyphens, or none
_SEPARATOR_RE = r"[ \t\u00a0\-]*"  # never a line break: a name does not run over two lines
_ARTICLES = ("de", "het", "'t")


def strip_accents(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))


def name_words(name: str) -> list[str]:
    """A name's words: split at spaces and hyphens, and where a lower-case letter meets a capital
    (TivoliVredenburg -> Tivoli Vredenburg); apostrophes unified."""
    name = "".join("'" if c in APOSTROPHES else c for c in name)
    name = re.sub(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])", " ", name)
    return [w for w in re.split(r"[\s\-\u00a0]+", name.strip()) if w]


def _char_pattern(char: str, ignore_case: bool) -> str:
    if char == _SEPARATOR:
        return _SEPARATOR_RE
    if char == "'":
        return "[" + APOSTROPHES + "]"
    base = char.lower()
    if base in _ACCENTS:
        variants = _ACCENTS[base]
        if not ignore_case:
            variants = variants.upper() if char.isupper() else variants
        return "[" + variants + "]"
    return re.escape(char)


def _trie_pattern(keys: Iterable[str], ignore_case: bool) -> str | None:
    """One regular expression for many names, as a character trie: a text is scanned once, not once
    per name, and at each position the longest name wins (shorter ones are tried on backtracking)."""
    trie: dict = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return None

    def emit(node: dict) -> str:
        terminal = "" in node
        branches = [_char_pattern(char, ignore_case) + emit(child) for char, child in node.items() if char != ""]
        if not branches:
            return ""
        if len(branches) == 1 and not terminal:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if terminal else "")

    return r"(?<![\w])" + "(?:" + emit(trie) + r")(?![\w])"


def _trie_key(words: Sequence[str], ignore_case: bool) -> str:
    words = [strip_accents(w) for w in words]
    if ignore_case:
        words = [w.casefold() for w in words]
    return _SEPARATOR.join(words)


@dataclass
class NameKeys:
    """The keys of one name matcher, split by how they are matched."""

    any_case: set[str] = field(default_factory=set)
    as_written: set[str] = field(default_factory=set)

    def add(self, words: Sequence[str], any_case: bool) -> None:
        if words:
            (self.any_case if any_case else self.as_written).add(_trie_key(words, any_case))

    def add_as_written(self, words: Sequence[str]) -> None:
        """As written, and in capitals ("Koekeloere", "KOEKELOERE")."""
        self.add(words, any_case=False)
        self.add([w.upper() for w in words], any_case=False)

    def compile(self) -> list[re.Pattern[str]]:
        patterns = []
        for keys, flags in ((self.any_case, re.IGNORECASE), (self.as_written, 0)):
            pattern = _trie_pattern(sorted(keys), ignore_case=bool(flags))
            if pattern:
                patterns.append(re.compile(pattern, flags))
        return patterns


def is_acronym(words: Sequence[str]) -> bool:
    return len(words) == 1 and len(words[0]) <= 6 and words[0].upper() == words[0] and any(c.isalpha() for c in words[0])


def _with_ampersand_variants(name: str) -> list[str]:
    variants = [name]
    if re.search(r"\s&\s", name):
        variants.append(re.sub(r"\s&\s", " en ", name))
    if re.search(r"\sen\s", name):
        variants.append(re.sub(r"\sen\s", " & ", name))
    return variants


def is_not_a_name(value: str) -> bool:
    """An answer in a name or organisation field that names nobody ("n.v.t.", "zzp", "-")."""
    folded = " ".join(value.casefold().split())
    return folded in NOT_A_NAME or sum(c.isalnum() for c in folded) < 2


def add_organisation(keys: NameKeys, name: str, lexicon: Lexicon, derived: bool = False, of_the_wave: bool = False) -> None:
    """Add an organisation name and the forms people write it in. A name with a distinctive word, and any
    name of several words the wave's own data holds (`of_the_wave`), is found in any case ("de twentse
    welle"); a listed name made of ordinary words only as written ("Beeld en Geluid", not "beeld en geluid");
    a one-word name with its capital or in capitals, never as the lower-case word ("Sing" the choir, not
    "sing" the verb)."""
    name = " ".join(name.split())
    if not name or is_not_a_name(name):
        return
    # "Gemeente Zwartewaterland, afdeling Cultuur" and "Rijksdienst voor het Cultureel Erfgoed (RCE)":
    # the part before the comma or bracket and the bracketed acronym are names too.
    head = re.split(r"\s*[,(;/|]\s*|\s+-\s+", name, maxsplit=1)[0]
    if head and head != name and not derived:
        add_organisation(keys, head, lexicon, derived=True, of_the_wave=of_the_wave)
    for bracketed in re.findall(r"\(([^()]+)\)", name):
        if not derived:
            add_organisation(keys, bracketed, lexicon, derived=True)
    for variant in _with_ampersand_variants(name):
        words = name_words(variant)
        if not words:
            continue
        if is_acronym(words):
            if len(words[0]) >= 2:
                keys.add(words, any_case=False)
            continue
        if len(words) == 1:
            if lexicon.is_distinctive(words[0]):
                keys.add_as_written([words[0][0].upper() + words[0][1:]])
                if of_the_wave:
                    keys.add(words, any_case=True)
            continue
        distinctive = of_the_wave or any(lexicon.is_distinctive(w) and w.casefold() not in lexicon.particles for w in words)
        if words[0].casefold() in _ARTICLES:
            # "De Doelen": with its capitals ("de doelen van het project" is not an organisation), the article
            # written either way.
            rest = words[1:]
            keys.add_as_written([words[0].capitalize(), *rest])
            keys.add([words[0].lower(), *rest], any_case=False)
            if words[0].casefold() == "het":
                keys.add(["'t", *rest], any_case=False)  # "'t Wolkenhuis"
            if len(rest) >= 2 or (rest and lexicon.is_distinctive(rest[0])):
                keys.add_as_written(rest)
            if distinctive and len(rest) >= 1:
                keys.add(words, any_case=True)
            continue
        keys.add(words, any_case=distinctive and (of_the_wave or not derived))
        keys.add_as_written(words)
        # "Stichting Podium Noord" is also written "Podium Noord".
        if words[0].casefold() in {"stichting", "vereniging", "st.", "stg."} and len(words) >= 3:
            keys.add_as_written(words[1:])
        if of_the_wave and not derived:
            # The wave's own organisations are also written without their type word or legal form ("Stichting
            # Wolkenveld" -> "Wolkenveld", "Pixelmolen B.V." -> "Pixelmolen") and by their initials ("RALO").
            core = [w for w in words if w.casefold().rstrip(".") not in _LEGAL_FORMS]
            while len(core) > 1 and (core[0].casefold() in _TYPE_WORDS or core[0].casefold() in _ARTICLES):
                core = core[1:]
            while len(core) > 1 and core[-1].casefold() in _TYPE_WORDS:
                core = core[:-1]  # "Pixelwerf Games" -> "Pixelwerf"
            if core != words:
                add_organisation(keys, " ".join(core), lexicon, derived=True, of_the_wave=True)
            initials = [w[0] for w in words if w[0].isupper() and w.casefold() not in lexicon.particles]
            if len(initials) >= 3:
                keys.add(["".join(initials)], any_case=False)
                keys.add(["".join(f"{c}." for c in initials)], any_case=False)


_LEGAL_FORMS = frozenset({"b.v", "bv", "n.v", "nv", "e.v", "ev", "v.o.f", "vof", "u.a", "ua", "gmbh", "ltd", "inc"})
_TYPE_WORDS = frozenset(
    w.casefold() for w in (*ORGANISATION_HEADS, *ORGANISATION_TAILS, "St.", "Stg.", "Stg", "St") if " " not in w
)


def add_person(full: NameKeys, parts: NameKeys, name: str, lexicon: Lexicon) -> None:
    """A known person's name: the full name in any case; the surname (with its particles), the first
    name and "initial surname" as written with capitals, unless they are ordinary words."""
    name = " ".join(name.replace(",", " ").split())
    if name.isupper() or name.islower():
        name = name.title()  # "JAN DE GROOT", "jan de groot": the parts are matched with their capitals
    words = name_words(name)
    if not words or sum(c.isalpha() for c in name) < 2 or is_not_a_name(name):
        return

    def capital(word: str) -> str:
        return word[0].upper() + word[1:]

    if len(words) == 1:
        # A single name on the list ("Dylano", a sticky note's author): a whole word in any case, as the
        # blocking check looks for it.
        add_watch_word(full, words[0])
        return
    full.add(words, any_case=True)
    first, rest = words[0], words[1:]
    first_token = name.split()[0]
    if "-" in first_token and lexicon.is_first_name(first_token):
        # "Anne-Fleur Dekker-Maas": the first name is "Anne-Fleur", found as such ("anne-fleur") in any case.
        parts.add(name_words(first_token), any_case=True)
    # What people call a participant: a shorter first name inside theirs that is a first name itself ("Thea"
    # for Dorothea, "Gijs" for Gijsbert, "Theo" for Theodoor).
    for length in range(4, len(first)):
        for short in (first[:length], first[-length:]):
            short = capital(short.lower())
            if lexicon.is_first_name(short):
                parts.add([short], any_case=lexicon.is_distinctive(short))
    particles = []
    while rest and rest[0].casefold() in lexicon.particles and len(rest) > 1:
        particles.append(rest.pop(0))
    surname = rest
    capitalised = [capital(w) for w in surname]
    if particles:
        # "de Groot", "De Groot", "van den Heuvel": the particles make it a name, even when the surname
        # alone is an ordinary word.
        for lead in ([p.lower() for p in particles], [particles[0].capitalize(), *[p.lower() for p in particles[1:]]]):
            parts.add([*lead, *capitalised], any_case=False)
    # A participant's distinctive surname or first name is theirs in any case ("maarten/laila" on a sticky
    # note); one that is also an ordinary word only with its capital ("Bakker", "Roos").
    if len(surname) > 1 or lexicon.is_distinctive(surname[0]):
        parts.add(capitalised, any_case=True)
    if lexicon.is_distinctive(first):
        parts.add([capital(first)], any_case=True)
    if particles:
        parts.add([*[p.lower() for p in particles], *surname], any_case=True)
    # Initials: "MK", "M.K.", "TvR", "MvdB", "mvdb".
    surname_initials = "".join(w[0].upper() for w in surname)
    particle_initials = "".join(p[0].lower() for p in particles)
    letters = first[0].upper() + particle_initials + surname_initials
    # Not where the initials spell a common acronym or word: a participant "Anna Idema" must not redact "AI";
    # with full stops ("M.K.") they are initials wherever they stand.
    if len(letters) >= 2:
        parts.add(["".join(f"{c}." for c in letters)], any_case=False)
    if len(letters) >= 2 and letters.upper() not in COMMON_ACRONYMS and not lexicon.is_common(letters):
        parts.add([letters], any_case=False)
        parts.add([letters.upper()], any_case=False)
        if len(letters) >= 3:
            parts.add([letters.lower()], any_case=False)
    # "M. de Groot", "M de Groot"
    initial = first[0].upper()
    for initial_form in (initial + ".", initial):
        parts.add([initial_form, *[p.lower() for p in particles], *capitalised], any_case=False)


def add_watch_word(keys: NameKeys, word: str) -> None:
    """A name the wave's own data holds (a surname from an e-mail address): a whole word, in any case, as
    the blocking check looks for it."""
    words = name_words(word)
    if words and sum(c.isalpha() for c in word) >= 2 and not is_not_a_name(word):
        keys.add(words, any_case=True)


@lru_cache(maxsize=1)
def protected_pattern() -> re.Pattern[str]:
    """Tool names and famous names: a name hit of deduce that lies wholly inside one is dropped."""
    keys = NameKeys()
    for name in (*TOOL_NAMES, *FAMOUS_NAMES):
        keys.add(name_words(name), any_case=True)
    return keys.compile()[0]


@lru_cache(maxsize=1)
def institution_list() -> tuple[str, ...]:
    return tuple(read_institution_list())
