"""What the recognisers share: placeholders' priorities for docdeid's overlap resolver, the shape of a name
and of an organisation, and small helpers on docdeid documents."""

from __future__ import annotations

import re
from collections.abc import Iterable

import docdeid as dd

from verkenning.anonymise.text.placeholders import (
    LOCATION,
    NUMBER,
    ORGANISATION,
    PERSON,
    PLACEHOLDERS,
)
from verkenning.anonymise.text.words import (
    ORGANISATION_COMPOUND_ENDINGS,
    ORGANISATION_HEAD_ENDINGS,
    ORGANISATION_HEADS,
    ORGANISATION_TAILS,
    ROLE_WORDS,
    STOPWORDS,
)

# deduce's tags (after its own name and location processors) onto ours; a tag not listed is redacted as a
# person, the safe side for a tag a later deduce release might add.
DEDUCE_TAGS = {
    "persoon": PERSON, "patient": PERSON,
    "locatie": LOCATION, "straat": LOCATION, "huisnummer": LOCATION,
    "ziekenhuis": ORGANISATION, "zorginstelling": ORGANISATION, "instelling": ORGANISATION,
    "id": NUMBER,
    "datum": None, "leeftijd": None,
}
# Priorities for docdeid's overlap resolver: a structured identifier beats a name, a name the wave knows or
# the form or context shows beats one of deduce's (priority 0-1); within a priority the longer span wins.
_STRUCTURED_ORDER = ("email", "url", "handle", "iban", "bsn", "phone", "postcode", "street_address", "date_of_birth", "age")
STRUCTURED_PRIORITY = {kind: 40 - rank for rank, kind in enumerate(_STRUCTURED_ORDER)}
NAME_PRIORITY = 10
CONTEXT_PRIORITY = 8
GUESS_PRIORITY = -1  # a capitalised run without a cue: deduce's reading of the same words wins

UPPER = "A-ZÀ-ÖØ-Þ"
NAME_TOKEN = rf"[{UPPER}][\w'’\-]*(?:\.[{UPPER}][\w'’\-]*)*"
LINKERS = r"(?:de|het|van|voor|aan|der|den|'t|’t|op|in|te|ten|ter|of|the|bij|für|fuer|am|im)"
_GAP = r"[ \t\u00a0]+"
LINKER_WORDS = {"de", "het", "van", "voor", "aan", "der", "den", "'t", "’t", "en", "&", "op", "in", "te", "ten", "ter", "of", "the", "and", "bij"}


def _alternation(words: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", _GAP) for w in sorted(set(words), key=len, reverse=True)) + ")"


ORG_COMPOUND_RE = re.compile(rf"(?<![\w\-])[{UPPER}][a-zà-ÿ]{{2,}}(?:{'|'.join(ORGANISATION_COMPOUND_ENDINGS)})(?![\w\-])")
# The words of a name after the type word, particles between them ("Centrum voor de Kunsten"). "en" does
# not join: "Filmhuis X en Theater Y" are two organisations (a listed "Beeld en Geluid" is matched whole).
_NAME_CONTINUATION = rf"{_GAP}(?:{LINKERS}{_GAP}){{0,3}}{NAME_TOKEN}"
ORG_AFTER_HEAD_RE = re.compile(rf"(?<![\w\-]){_alternation(ORGANISATION_HEADS)}(?:{_NAME_CONTINUATION}){{1,5}}(?![\w\-])")
# A compound type word opens a name as well ("Stadtbibliothek Kleve", "Heimatverein Elten", "Streekmuseum
# Goeree"); the words after it are checked to be no ordinary words (German capitalises every noun).
ORG_AFTER_COMPOUND_HEAD_RE = re.compile(
    rf"(?<![\w\-])(?P<head>[{UPPER}][a-zà-ÿ]{{2,}}(?:{'|'.join(ORGANISATION_HEAD_ENDINGS)}))"
    rf"(?P<name>(?:{_NAME_CONTINUATION}){{1,3}})(?![\w\-])"
)
ORG_BEFORE_TAIL_RE = re.compile(
    rf"(?<![\w\-])(?:{NAME_TOKEN}{_GAP}){{1,3}}{_alternation(ORGANISATION_TAILS)}(?:{_NAME_CONTINUATION}){{0,4}}(?![\w\-])"
)
ORG_TYPE_WORDS = frozenset(w.casefold() for w in (*ORGANISATION_HEADS, *ORGANISATION_TAILS) if " " not in w)
_ROLE_SUFFIXES = tuple(sorted((r for r in ROLE_WORDS if len(r) >= 6 and " " not in r), key=len, reverse=True))
LEGAL_FORM = r"(?:B\.V\.|B\.V|BV|N\.V\.|NV|V\.O\.F\.|VOF|e\.V\.|GmbH|Ltd\.?|Inc\.?|U\.A\.|C\.V\.)"
ORG_LEGAL_FORM_RE = re.compile(rf"(?<![\w\-])(?:{NAME_TOKEN}[ \t\u00a0]+(?:&[ \t\u00a0]+)?){{1,4}}{LEGAL_FORM}(?![\w])")
ACRONYM_RE = re.compile(r"(?<![\w.\-])(?:[A-Z]\.){3,6}|(?<![\w\-])[A-Z][A-Z&]{2,5}(?![\w])")


def is_role(word: str) -> bool:
    """A role or relation ("conservator", "webredacteur", "collega")."""
    folded = word.casefold()
    if folded.endswith("in") and len(folded) > 6 and folded[:-2] in ROLE_WORDS:
        return True  # German feminine forms: "Choreografin", "Kuratorin"
    return folded in ROLE_WORDS or (len(folded) > 6 and folded.endswith(_ROLE_SUFFIXES))
EXISTING_PLACEHOLDER_RE = re.compile(r"\[(?:" + "|".join(re.escape(p[1:-1]) for p in PLACEHOLDERS) + r")(?:-\d+)?\]")
WORD_RE = re.compile(r"[^\W_](?:[\w'’\-.]*[^\W_])?\.?")
LETTER_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())
# Adjectives made from a place or people ("Hollandse", "Wit-Russische", "Friese"): not a name.
ADJECTIVE_RE = re.compile(r"(?i)[\w\-]*(?:ische|isch|sche|se|ese|aanse|iaanse)")


def make_annotation(doc: dd.Document, start: int, end: int, tag: str, priority: int) -> dd.Annotation:
    return dd.Annotation(text=doc.text[start:end], start_char=start, end_char=end, tag=tag, priority=priority)


def original_text(doc: dd.Document) -> str:
    """The text as written (deduce reads a view of it with names given capitals; same length)."""
    return doc.metadata["original"] or doc.text


def document_language(doc: dd.Document) -> str:
    return doc.metadata["language"] or "nl"


def is_capitalised(word: str) -> bool:
    """Written with a capital, as a name is: not in capitals, and not a compound that opens with an acronym
    ("AI-werkgroep")."""
    head = word.split("-", 1)[0]
    return bool(word) and word[0].isupper() and not (word.isupper() and len(word) > 1) and not (len(head) > 1 and head.isupper())


PARTICLE_WORDS = r"(?i:van|de|der|den|het|'t|’t|ter|ten|te|el|al|la|le|du|da|di|dos|von|zur|op|in|uit|aan|bij|ben|bin|ibn|abu)"
