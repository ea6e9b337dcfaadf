"""Proof that no direct identifier of the restricted zone reaches an analysis-zone table.

The watchlist holds every e-mail address, token, name, organisation name and IP address of a wave
(restricted zone only), and the person names that the wave's e-mail addresses spell ("m.jansen@..." ->
"Jansen", kind "email_name"). A table leaks when any of its cells contains one of them, compared without
case and without spaces. Short values (e.g. an organisation called "KB") must match a whole word, so
that they are not found inside ordinary words; so must a name of one word and a surname after its
particles, in any case ("Jansen" is not in "Jansenstraat", "Bakker" not in "bakkerij", "de Jong" not in
"de jongeren").
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import ahocorasick
import pandas as pd

from verkenning.anonymise.text.words import GENERIC_MAILBOXES as GENERIC_MAILBOX_WORDS
from verkenning.anonymise.text.words import NOT_A_NAME as NOT_A_NAME_WORDS

SHORT_IDENTIFIER = 5  # below this many characters (spaces removed) an identifier must match a whole word
WATCHLIST_COLUMNS = ("kind", "value")
# Kinds whose one-word values are matched as whole words, ignoring case: a surname is not found inside a street
# name or an ordinary word. Their values of more than one word keep the matching of the other kinds.
WHOLE_WORD_KINDS = frozenset({"name", "email_name"})
# Answers that people type into a "name" field but that name nobody: the de-identifier's list
# (schemas/reference/text/not_a_name.txt), with the empty answer.
NOT_A_NAME = NOT_A_NAME_WORDS | {""}


def squeeze(text: str) -> str:
    """Casefolded, with every whitespace character removed."""
    return re.sub(r"\s+", "", str(text)).casefold()


def build_watchlist(values_by_kind: dict[str, Iterable[object]]) -> pd.DataFrame:
    """A table of (kind, value) with every distinct identifier worth looking for."""
    rows = []
    for kind, values in values_by_kind.items():
        for value in pd.Series(list(values), dtype="object").dropna().astype(str).str.strip().unique():
            if value.casefold() not in NOT_A_NAME and len(squeeze(value)) >= 2:
                rows.append((kind, value))
    return pd.DataFrame(rows, columns=list(WATCHLIST_COLUMNS)).drop_duplicates(ignore_index=True)


# --- person names in e-mail addresses ----------------------------------------------------------------

# Local parts (or parts of one) that name a function, a department or the institution, not a person.
GENERIC_MAILBOXES = GENERIC_MAILBOX_WORDS  # schemas/reference/text/generic_mailboxes.txt, shared with the de-identifier
# Name particles, lower case, as they stand between a first name and a surname ("jan.de.vries", "fatima.el-amrani").
PARTICLES = frozenset("""
van de den der het 't te ten ter op in aan bij uit von zur du da di dos del la le lo el al d' l' vd
""".split())
# The same particles written together, as a local part often has them ("vandevelde", "vanderlaan"); longest first.
GLUED_PARTICLES = (
    ("van", "der"), ("van", "den"), ("van", "het"), ("van", "de"), ("uit", "de"), ("op", "de"), ("op", "den"),
    ("in", "het"), ("in", "den"), ("in", "de"), ("aan", "de"), ("bij", "de"), ("van", "'t"), ("van",), ("von",),
    ("ter",), ("ten",), ("den",), ("der",), ("de",), ("te",), ("el",), ("al",), ("la",), ("le",), ("du",), ("da",),
)
_NAME_LISTS = Path("data") / "lookup" / "src"


@lru_cache(maxsize=1)
def _name_lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Known surnames, known first names and ordinary Dutch words, casefolded: the plain word lists that ship
    with deduce (the de-identifier's own name lists), read as text without loading deduce's model."""
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the deduce package (its name lists) is needed to read names in e-mail addresses")
    root = Path(next(iter(spec.submodule_search_locations))) / _NAME_LISTS

    def words(folder: str) -> frozenset[str]:
        def read(name: str) -> set[str]:
            path = root / folder / name
            if not path.is_file():
                return set()
            return {line.strip().casefold() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}

        return frozenset(read("items.txt") - read("exceptions.txt"))

    surnames = words("names/lst_surname") | words("names/lst_interfix_surname")
    ordinary = words("whitelist/lst_common_word") | words("whitelist/lst_stop_word")
    return surnames, words("names/lst_first_name"), ordinary


def _camel_parts(group: str) -> list[str]:
    """"PBakker" -> ["P", "Bakker"], "JanDeVries" -> ["Jan", "De", "Vries"]; a group in one case stays whole.
    Split only when every part is an initial, a particle or a word of 3+ letters ("McDonald" stays whole)."""
    if group.islower() or group.isupper():
        return [group]
    parts = re.findall(r"[A-ZÀ-ÖØ-Þ](?=[A-ZÀ-ÖØ-Þ]|$)|[A-ZÀ-ÖØ-Þ]?[a-zß-öø-ÿ']+", group)
    if "".join(parts) != group or not all(len(p) == 1 or len(p) >= 3 or p.casefold() in PARTICLES for p in parts):
        return [group]
    return parts


def _split_glued_particles(word: str, surnames: frozenset[str]) -> list[str] | None:
    """"vandevelde" -> ["van", "de", "velde"]: particles written together with a known surname."""
    for particles in GLUED_PARTICLES:
        prefix = "".join(particles).replace("'", "")
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 3 and rest in surnames:
            return [*particles, rest]
    return None


def _split_glued_word(
    word: str, surnames: frozenset[str], first_names: frozenset[str], ordinary: frozenset[str]
) -> tuple[str, list[str]] | None:
    """A surname slot written together with what precedes it: ("", ["van", "beek"]) for "vanbeek",
    ("fenna", ["mulders"]) for "fennamulders", ("p", ["bakker"]) for "pbakker". None for a word that is a first
    name or an ordinary word itself ("willem", not "wil" + "lem"), and unless every reading ends in the same
    known surname ("pieterbakker": "pieter" + "bakker" or "pie" + "ter bakker"; the longest first name wins)."""
    if word in surnames:
        return "", [word]
    particles = _split_glued_particles(word, surnames)
    if particles:
        return "", particles
    if word in first_names or word in ordinary:
        return None
    readings = []
    for cut in range(3, len(word) - 2):
        head, rest = word[:cut], word[cut:]
        if head in first_names:
            tail = [rest] if rest in surnames else _split_glued_particles(rest, surnames)
            if tail:
                readings.append((head, tail))
    if readings:
        if len({tail[-1] for _, tail in readings}) > 1:
            return None
        return max(readings, key=lambda reading: len(reading[0]))
    rest = word[1:]
    tail = [rest] if len(rest) >= 4 and rest in surnames else _split_glued_particles(rest, surnames)
    return (word[0], tail) if tail else None


def _title(word: str) -> str:
    return "-".join(piece[:1].upper() + piece[1:].lower() for piece in word.split("-"))


def _names_in_local_part(local: str, lexicon: tuple[frozenset[str], frozenset[str], frozenset[str]]) -> list[str]:
    surnames, first_names, ordinary = lexicon
    # Tokens with the separator before each: "." for a new group (., _, a case change), "-" inside one, "" where
    # a glued word was split.
    tokens: list[tuple[str, str]] = []
    for group in re.split(r"[._]+", local):
        if not group or any(c.isdigit() for c in group) or group.casefold() in GENERIC_MAILBOXES:
            continue
        for i, camel in enumerate(_camel_parts(group)):
            for j, piece in enumerate(p for p in camel.split("-") if p):
                word = piece.casefold()
                if not word.replace("'", "").isalpha() or word in GENERIC_MAILBOXES:
                    continue
                if word == "t" and tokens and tokens[-1][1] in PARTICLES:
                    word = "'t"  # "van.t.erve"
                tokens.append(("-" if j else ".", word))
    # The surname: the last word of 3+ letters that is no particle. After it only initials may follow, which
    # makes it a first name ("stella.b", "wouter.v"): too ambiguous, skipped.
    slot = next((i for i in range(len(tokens) - 1, -1, -1)
                 if len(tokens[i][1]) >= 3 and tokens[i][1] not in PARTICLES), None)
    if slot is None or slot != len(tokens) - 1:
        return []
    separator, word = tokens[slot]
    glued = _split_glued_word(word, surnames, first_names, ordinary)
    before = tokens[:slot]
    if glued:
        head, parts = glued
        if head:
            before = [*before, (separator, head)]
            separator = "."
        tokens_of_surname = [(separator if k == 0 else "", p) for k, p in enumerate(parts)]
    else:
        tokens_of_surname = [(separator, word)]
    # Particles right before the surname belong to it ("de Vries", "el-Amrani").
    while before and before[-1][1] in PARTICLES:
        tokens_of_surname.insert(0, before.pop())
    surname_words = [w for w in tokens_of_surname if w[1] not in PARTICLES]
    surname = surname_words[-1][1]
    known = surname in surnames
    if surname in first_names and not known:
        return []  # a first name alone ("jan@", "m.willem")
    if surname in ordinary and not known:
        return []  # an ordinary word ("kunst.cultuur")
    initials = [w for _, w in before if len(w) < 3 and w not in PARTICLES]
    # A word hyphenated to the surname is a first name when it is a known one and no initial stands before it
    # ("pieter-bakker" -> "Pieter Bakker"); otherwise it makes a double surname ("m.jansen-smit" -> "Jansen-Smit").
    double = ""
    if before and tokens_of_surname[0][0] == "-" and tokens_of_surname[0][1] not in PARTICLES:
        previous = before[-1][1]
        if len(previous) >= 3 and previous not in PARTICLES and (initials or previous not in first_names):
            double = before.pop()[1]
    given = [(s, w) for s, w in before if len(w) >= 3 and w not in PARTICLES]
    has_particle = len(surname_words) < len(tokens_of_surname)
    known_given = bool(given) and all(w in first_names for _, w in given)
    if not (initials or has_particle or known_given or double):
        # A word alone: only a known surname that is no first name and no ordinary word ("hallo@", "jan@",
        # "koning@", "rijksmuseum@" are skipped).
        if not known or surname in first_names or surname in ordinary:
            return []
    elif not (known or initials or has_particle or known_given):
        return []  # two unknown words ("kunst-cultuur@")
    written = ""
    for k, (sep, w) in enumerate(tokens_of_surname):
        text = w if w in PARTICLES else _title(w)
        written += text if k == 0 else ("-" if sep == "-" else " ") + text
    names = []
    if double:
        names.append(f"{_title(double)}-{written}")
        if double not in ordinary and double not in PARTICLES:
            names.append(_title(double))
    if known_given:
        first = "".join((("-" if sep == "-" else " ") if k else "") + _title(w) for k, (sep, w) in enumerate(given))
        names.insert(0, f"{first} {names[0] if double else written}")
    names.append(written)
    return names


def names_in_email_addresses(emails: Iterable[object]) -> list[str]:
    """The person names that the local parts of e-mail addresses spell, title-cased, each name once.

    "m.jansen@museum.nl" -> "Jansen"; "jan.de.vries@" and "jan.devries@" -> "Jan de Vries", "de Vries";
    "fatima.el-amrani@" -> "Fatima el-Amrani", "el-Amrani"; "p_bakker@", "PBakker@" -> "Bakker";
    "pieter-bakker@" and "pieterbakker@" -> "Pieter Bakker", "Bakker"; "m.jansen-smit@" -> "Jansen-Smit",
    "Jansen", "Smit".

    Decisions:
    - Only the local part, without a "+tag". Its groups are split at ".", "_" and a change of case
      ("PBakker"), words inside a group at "-".
    - Skipped: generic mailboxes and the words that make them ("info", "secretariaat", "educatie", "museum",
      ...), groups with a digit ("jansen2"), and words of fewer than 3 letters, which are read as initials.
    - The surname is the last word of 3+ letters that is no particle, with the particles right before it
      ("de Vries", "van der Laan"); particles written together with a known surname are split ("vandevelde"
      -> "van de Velde"). An address whose last word is followed by an initial ("stella.b") names a first
      name only, and is skipped.
    - A word alone (no initial, no first name, no particle) counts only when it is a known surname, no first
      name and no ordinary word: "hallo@", "jan@", "koning@" are skipped, and so is "jansen@", because deduce's
      first-name list holds "Jansen" too (with an initial, "m.jansen@", it is read as a surname). A word with an initial or a known first name before it is a surname even when unknown
      ("m.zwartkruis"), unless it is only a first name ("m.willem") or an ordinary word ("kunst.cultuur").
    - Words written together are split only into known names, and only when every reading ends in the same
      known surname: a known first name before it ("fennamulders" -> "Fenna Mulders"; "pieterbakker" could
      be "pie ter Bakker" too, the longest first name wins), or a single initial ("pbakker" -> "Bakker").
      A word that is itself a first name or an ordinary word is not split ("willem" is no "Wil Lem"); an
      unknown rest is not split off ("colindiesbergen" gives no name).
    - The full name is added (before the surname) when every word before the surname is a known first name.
    - "Known" means on the name lists that ship with deduce, the de-identifier also used for the texts.
    """
    lexicon = _name_lexicon()
    names: dict[str, None] = {}
    for email in emails:
        if email is None or (isinstance(email, float) and pd.isna(email)):
            continue
        address = re.sub(r"^mailto:", "", re.sub(r"\s+", "", str(email)), flags=re.IGNORECASE)
        if "@" not in address:
            continue
        local = address.rsplit("@", 1)[0].split("+", 1)[0].strip("\"'<")
        if not local or local.casefold() in GENERIC_MAILBOXES:
            continue
        for name in _names_in_local_part(local, lexicon):
            names.setdefault(name, None)
    return list(names)


# --- finding identifiers in texts --------------------------------------------------------------------

_NOT_A_WORD_RE = re.compile(r"[\W_]+")


def _words_only(text: str) -> str:
    """Casefolded, every run of characters other than letters and digits one space, with a space at each end:
    a whole word (or words, "el-Amrani" ~ "El Amrani") is then " word " found anywhere."""
    return " " + _NOT_A_WORD_RE.sub(" ", str(text).casefold()).strip() + " "


def _whole_word_keys(kind: str, value: str) -> set[str]:
    """The keys under which a name is looked for as whole words, or none when it keeps the matching of the other
    kinds. A name of one word ("Jansen", "el-Amrani") and a surname after its particles ("de Jong", "van 't Erve")
    are whole words, found with their parts spaced, hyphenated or written together ("DeJong", "El Amrani"), but
    not inside another word ("Jansenstraat", "de jongeren"). A name of more words ("Jan de Vries") is not."""
    if kind not in WHOLE_WORD_KINDS:
        return set()
    words = [w for w in re.split(r"[\s\-]+", value.strip()) if w]
    if not words or (len(value.split()) > 1 and not all(w.casefold() in PARTICLES for w in words[:-1])):
        return set()
    spaced = _words_only(value)
    if not spaced.strip():
        return set()
    return {spaced, " " + spaced.replace(" ", "") + " "}


class IdentifierFinder:
    """Finds watchlist identifiers inside texts: Aho-Corasick over squeezed text for long ones, whole words for
    short ones and for names of one word (one Aho-Corasick automaton over the text's words, " word ")."""

    def __init__(self, watchlist: pd.DataFrame) -> None:
        self._automaton = ahocorasick.Automaton()
        short: dict[str, str] = {}
        words: dict[str, set[str]] = {}
        for kind, value in watchlist[list(WATCHLIST_COLUMNS)].itertuples(index=False):
            value = str(value)
            squeezed = squeeze(value)
            keys = _whole_word_keys(kind, value)
            if keys:
                for key in keys:
                    words.setdefault(key, set()).add(kind)
            elif len(squeezed) < SHORT_IDENTIFIER:
                short[re.escape(value.casefold()).replace(r"\ ", r"\s*")] = kind
            elif squeezed not in self._automaton:
                self._automaton.add_word(squeezed, kind)
        self._has_long = len(self._automaton) > 0
        if self._has_long:
            self._automaton.make_automaton()
        self._words: ahocorasick.Automaton | None = None
        if words:
            self._words = ahocorasick.Automaton()
            for key, kinds in words.items():
                self._words.add_word(key, frozenset(kinds))
            self._words.make_automaton()
        self._short = (
            re.compile(r"(?<!\w)(" + "|".join(sorted(short, key=len, reverse=True)) + r")(?!\w)") if short else None
        )
        self._short_kinds = {pattern: kind for pattern, kind in short.items()}

    def kinds_in(self, text: str) -> set[str]:
        kinds: set[str] = set()
        if self._has_long:
            kinds.update(kind for _, kind in self._automaton.iter(squeeze(text)))
        if self._words is not None:
            for _, found in self._words.iter(_words_only(text)):
                kinds |= found
        if self._short is not None:
            folded = str(text).casefold()
            for match in self._short.finditer(folded):
                kinds.update(kind for pattern, kind in self._short_kinds.items() if re.fullmatch(pattern, match.group(1)))
        return kinds


def find_identifier_leaks(table: pd.DataFrame, finder: IdentifierFinder) -> pd.DataFrame:
    """Per column and kind, how many cells of `table` contain a watchlist identifier (counts only, never values)."""
    counts: dict[tuple[str, str], int] = {}
    for column in table.columns:
        values = table[column].dropna()
        if values.empty:
            continue
        for text in values.astype(str).unique():
            kinds = finder.kinds_in(text)
            if kinds:
                cells = int((values.astype(str) == text).sum())
                for kind in kinds:
                    counts[(column, kind)] = counts.get((column, kind), 0) + cells
    return pd.DataFrame(
        [{"column": column, "kind": kind, "cells": cells} for (column, kind), cells in sorted(counts.items())],
        columns=["column", "kind", "cells"],
    )
