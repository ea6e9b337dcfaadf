"""What every identifier finder shares: the span type, spaces, the next word, word lists (the long ones are
reference files under schemas/reference/identifiers/, one entry per line, for a data steward to read and
extend), the months, and a compact regular expression for a long list of literal words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parents[3] / "schemas" / "reference"
IDENTIFIER_REFERENCE_DIR = REFERENCE_DIR / "identifiers"


@dataclass(frozen=True, order=True)
class IdentifierSpan:
    start: int
    end: int
    kind: str  # email, url, phone, iban, bsn, postcode, street_address, date_of_birth, age


def reference_entries(name: str, directory: Path = IDENTIFIER_REFERENCE_DIR) -> tuple[str, ...]:
    """The entries of a reference list: one per line, blank lines and lines starting with "#" left out."""
    entries = []
    for line in (directory / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    return tuple(entries)


def reference_words(name: str, directory: Path = IDENTIFIER_REFERENCE_DIR) -> frozenset[str]:
    return frozenset(entry.lower() for entry in reference_entries(name, directory))


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def literal_alternation(words: frozenset[str] | tuple[str, ...]) -> str:
    """A regular expression (no group) matching exactly one of `words`, as a prefix tree: "a(?:rt|pp)" is
    tried letter by letter, where an alternation of 1,400 top-level domains would try each in turn."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return "(?:" + pattern(tree) + ")"


S = r"[ \t\u00a0]"  # spaces inside an identifier, never a line break: a line break ends it
DIGIT_RE = re.compile(r"\d")
_NEXT_TOKEN_RE = re.compile(r"[ \t\u00a0]*(?:([^\W\d_][\w'’]*)|(\d)|(\S))?")


def next_token(text: str, position: int) -> tuple[str | None, str | None]:
    """The word after `position` (lower case), or else the next non-space character ("" at a line end)."""
    m = _NEXT_TOKEN_RE.match(text, position)
    if m.group(1):
        return m.group(1).lower(), None
    return None, m.group(2) or m.group(3) or ""


# Words that count or measure what a number before them counts (or continue a range, "tot"): after a number
# they make it a quantity, not a house number, a postcode or an age.
COUNT_WORDS = reference_words("count_words.txt")
# Short words that follow a house number or an age in a sentence (not a noun they would count).
FUNCTION_WORDS = word_set("""
    de het een en of maar dus want die dat dit deze is was zijn waren wordt werd ben bent heb heeft hebben had
    in op aan te bij met voor naar van uit om tot over onder door na als dan ook nog al wel niet geen er hier
    daar waar wie wat hoe ik je jij u hij zij ze we wij mijn ons onze hun haar zo toen nu sinds tijdens
    the a an and or but so is was are were in on at to for with from of by as it this that i he she we they
    when then than even often been seen given his has does goes always perhaps
    der die das und oder aber ist war im am an auf zu mit von für bei ich er sie es wir uns wenn dann denn als
""")
# Words that a version, step, level or product number follows ("Windows 11", "fase 2"): not a street, an
# age or a house number.
NUMBERED_THINGS = reference_words("numbered_things.txt")
_ENDS_LIKE_PLURAL = ("en", "s", "'s", "’s", "a")


def counts_something(word: str | None, plural_too: bool) -> bool:
    """Whether the word after a number makes it a count: a unit or a counted noun (with `plural_too` any
    word that looks like a plural noun, "musea", "bezoekers")."""
    if word is None:
        return False
    if word in COUNT_WORDS:
        return True
    return plural_too and len(word) >= 4 and word not in FUNCTION_WORDS and word.endswith(_ENDS_LIKE_PLURAL)


def merged(spans: list[IdentifierSpan]) -> list[IdentifierSpan]:
    """Overlapping spans of one kind (two spellings of one address, two cues of one age) as one span."""
    result: list[IdentifierSpan] = []
    for span in sorted(spans):
        if result and span.start < result[-1].end:
            last = result[-1]
            result[-1] = IdentifierSpan(last.start, max(last.end, span.end), last.kind)
        else:
            result.append(span)
    return result


def case_blind(text: str) -> bool:
    """A text all in lower case or all in capitals: capitals say nothing about names there."""
    return text == text.lower() or text == text.upper()


def capitalised(word: str) -> bool:
    if word[:3].lower() in {"'s-", "’s-", "'s ", "’s "}:
        word = word[3:]  # "'s-Gravendijkwal"
    return word[:1].isupper() and not (word.isupper() and len(word) > 1)


def is_year(digits: str) -> bool:
    return digits.startswith(("19", "20"))


@lru_cache(maxsize=20_000)
def is_common_word(word: str) -> bool:
    """An ordinary Dutch, English or German word by its frequency (wordfreq, offline); asked only for the
    rare candidate that needs it (a handle after a platform's name), because loading the lists takes a second."""
    from wordfreq import zipf_frequency

    return any(zipf_frequency(word, language) >= 4.0 for language in ("nl", "en", "de"))


MONTHS = {
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12, "mrt": 3, "okt": 10,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    # German, French
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "dezember": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}
MONTH = literal_alternation(tuple(MONTHS))
ROMAN_MONTHS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12}
