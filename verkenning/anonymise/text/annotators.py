"""The project's annotators of what is known or has a known form: structured identifiers (`identifier_patterns`)
with the owner's name near an e-mail address and the place after a postcode, the names the wave knows, and
organisations by their form ("Filmhuis De Lichtbak", "Drents Museum", "het Zuiderzeemuseum")."""

from __future__ import annotations

import re
from collections.abc import Sequence

import docdeid as dd

from verkenning.anonymise.identifier_patterns import IdentifierSpan, find_identifier_spans
from verkenning.anonymise.text.common import (
    ALL_STOPWORDS,
    LINKER_WORDS,
    NAME_PRIORITY,
    ORG_AFTER_COMPOUND_HEAD_RE,
    ORG_AFTER_HEAD_RE,
    ORG_BEFORE_TAIL_RE,
    ORG_COMPOUND_RE,
    ORG_LEGAL_FORM_RE,
    STRUCTURED_PRIORITY,
    WORD_RE,
    make_annotation,
    original_text,
)
from verkenning.anonymise.text.names import strip_accents
from verkenning.anonymise.text.placeholders import (
    IDENTIFIER_PLACEHOLDERS,
    LOCATION,
    ORGANISATION,
    PERSON,
)
from verkenning.anonymise.text.spans import (
    Span,
    at_sentence_start,
)
from verkenning.anonymise.text.words import (
    COMMON_ACRONYMS,
    DETERMINERS,
    FUNCTION_WORDS,
    GENERIC_MAILBOXES,
    ORGANISATION_TAILS,
    TOOL_WORDS,
    Lexicon,
    is_common_word,
)


# --- structured identifiers -----------------------------------------------------------------------------
_EMAIL_LOCAL_RE = re.compile(r"^(.*?)(?:[ \t\u00a0]*[@＠\[\(\{<]|[ \t\u00a0]+(?:at|AT|At|apenstaartje|APENSTAARTJE)[ \t\u00a0]+)")


def names_from_email_addresses(text: str, emails: list[IdentifierSpan]) -> list[Span]:
    """The name in an e-mail address's local part names its owner elsewhere in the text: "Zakaria Lijn
    (z.lijn@...)", "Lot van der Laan (l.vanderlaan@...)". Whole words, capitalised, outside the address."""
    spans: list[Span] = []
    for email in emails:
        # The owner's name is written near the address: look 300 characters around it, not the whole text.
        window_start, window_end = max(0, email.start - 300), min(len(text), email.end + 300)
        words = [
            w for w in WORD_RE.finditer(text, window_start, window_end)
            if not any(e.start <= w.start() < e.end for e in emails)
        ]
        local = _EMAIL_LOCAL_RE.match(text[email.start:email.end])
        if local is None:
            continue
        parts = [p for p in re.split(r"[._+\-]+", re.sub(r"[ \t\u00a0]", "", local.group(1)).casefold()) if p]
        initials = {p for p in parts if len(p) == 1}
        for part in parts:
            if len(part) < 3 or part in GENERIC_MAILBOXES:
                continue
            for i in range(len(words)):
                joined = ""
                for j in range(i, min(i + 4, len(words))):
                    if j > i and words[j].start() - words[j - 1].end() > 2:
                        break
                    joined += strip_accents(words[j].group()).casefold().replace("'", "").replace("-", "")
                    if len(joined) > len(part) or not part.startswith(joined):
                        break
                    if joined == part:
                        start = words[i].start()
                        # The first name before it, when its initial is in the address ("l.vanderlaan").
                        if i > 0 and words[i].start() - words[i - 1].end() <= 2:
                            previous = words[i - 1].group()
                            if previous[0].isupper() and previous[0].casefold() in initials and previous.casefold() not in FUNCTION_WORDS:
                                start = words[i - 1].start()
                        spans.append(Span(start, words[j].end(), PERSON))
                        break
    return spans


_PLACE_AFTER_POSTCODE_RE = re.compile(r"[ \t\u00a0]+((?:'s[ \-])?[A-ZÀ-Þ][\w'’]*(?:-[\w'’]+)*(?:[ \t](?:aan den|aan de|aan|op|a/d|bij|in|den)?[ \t]?[A-ZÀ-Þ][\w'’]*(?:-[\w'’]+)*)?)")


def places_after_postcodes(text: str, postcodes: list[IdentifierSpan]) -> list[Span]:
    """The place after a postcode ("1017 CA Amsterdam", "2311 AB Leiden"): deduce does not know every
    place that is also a word."""
    spans = []
    for postcode in postcodes:
        match = _PLACE_AFTER_POSTCODE_RE.match(text, postcode.end)
        if match:
            spans.append(Span(match.start(1), match.end(1), LOCATION))
    return spans


_DOMAIN_RE = re.compile(r"(?:@|://|www\.|^)([\w\-.]+?)\.[a-z]{2,24}(?:[/?#:]|$)", re.IGNORECASE)
_GENERIC_DOMAIN_WORDS = ("www", "mail", "gmail", "hotmail", "outlook", "ziggo", "kpnmail", "planet", "xs4all", "live", "icloud", "yahoo")


def names_in_domains(text: str, addresses: list[IdentifierSpan]) -> list[Span]:
    """An organisation's name that its own e-mail or web address spells: "Wildgroei" beside
    planning@festivalwildgroei.nl, "Onder de Toren" beside onderdetoren.nl. Capitalised words (particles may
    stand between them) whose letters, run together, are part of the address's domain."""
    domains = []
    for address in addresses:
        value = text[address.start:address.end].replace(" ", "")
        match = _DOMAIN_RE.search(value.split("@")[-1] if "@" in value else value)
        if match:
            label = re.sub(r"[\W_]", "", match.group(1).casefold())
            if label and label not in _GENERIC_DOMAIN_WORDS:
                domains.append(label)
    if not domains:
        return []
    spans = []
    words = list(WORD_RE.finditer(text))
    inside = [(a.start, a.end) for a in addresses]
    for i, first in enumerate(words):
        if not first.group()[0].isupper() or any(s <= first.start() < e for s, e in inside):
            continue
        joined = ""
        for j in range(i, min(i + 5, len(words))):
            word = words[j].group().rstrip(".")
            if j > i and words[j].start() - words[j - 1].end() > 1:
                break
            joined += re.sub(r"[\W_]", "", strip_accents(word).casefold())
            if len(joined) >= 5 and word[0].isupper() and joined not in TOOL_WORDS and any(joined in domain for domain in domains):
                spans.append(Span(first.start(), first.start() + len(text[first.start():words[j].end()].rstrip(".")), ORGANISATION))
    return spans


class IdentifierAnnotator(dd.process.Annotator):
    """E-mail, web addresses and handles, phone, IBAN, BSN, postcodes, street addresses, dates of birth and
    ages, by their validated patterns; the owner's name written out near an e-mail address; the place after
    a postcode."""

    def __init__(self) -> None:
        super().__init__(tag="identifier")

    def annotate(self, doc: dd.Document) -> list[dd.Annotation]:
        text = original_text(doc)
        identifiers = find_identifier_spans(text)
        annotations = [
            make_annotation(doc, s.start, s.end, IDENTIFIER_PLACEHOLDERS.get(s.kind, PERSON), STRUCTURED_PRIORITY.get(s.kind, 30))
            for s in identifiers
        ]
        found = [*names_from_email_addresses(text, [s for s in identifiers if s.kind == "email"])]
        found += places_after_postcodes(text, [s for s in identifiers if s.kind == "postcode"])
        found += names_in_domains(text, [s for s in identifiers if s.kind in {"email", "url"}])
        annotations += [make_annotation(doc, s.start, s.end, s.placeholder, NAME_PRIORITY) for s in found]
        return annotations


# --- names the wave knows ------------------------------------------------------------------------------
class KnownNameAnnotator(dd.process.Annotator):
    """Every occurrence of a name from a list (compiled into one trie-shaped regular expression)."""

    def __init__(self, patterns: Sequence[re.Pattern[str]], tag: str) -> None:
        super().__init__(tag=tag, priority=NAME_PRIORITY)
        self._patterns = list(patterns)

    def annotate(self, doc: dd.Document) -> list[dd.Annotation]:
        text = original_text(doc)
        return [
            make_annotation(doc, m.start(), m.end(), self.tag, self.priority)
            for pattern in self._patterns
            for m in pattern.finditer(text)
        ]


# --- organisations by their form --------------------------------------------------------------------------
ACRONYM_AND_PLACE_RE = re.compile(r"(?<![\w\-])(?P<acronym>[A-Z]{2,5})[ \t\u00a0]+(?P<place>[A-Z][a-zà-ÿ]{2,}(?:-[A-Z][a-zà-ÿ]+)?)(?![\w\-])")
NAME_AND_QUARTER_RE = re.compile(
    r"(?<![\w\-])(?P<name>[A-Z][a-zà-ÿ]{3,})[ \t\u00a0]+(?:Noord|Oost|Zuid|West|Noordoost|Noordwest|Zuidoost|Zuidwest|Nord|Süd|Ost)(?![\w\-])"
)


_LOWER_LEGAL_FORM_NAME_RE = re.compile(
    r"(?<![\w\-])(?:stg\.|stg|vzw|v\.z\.w\.|asbl|bvba)[ \t\u00a0]+[a-zà-ÿ'’][\w'’\-]*(?:[ \t\u00a0]+[a-zà-ÿ'’][\w'’\-]*){0,5}"
)
_EMPLOYER_LABEL_RE = re.compile(
    r"(?im)\b(?:werkgever|employer|arbeitgeber)[ \t\u00a0]*:[ \t\u00a0]*"
    r"(?P<name>[^\W\d_][^\n,;:()!?]{1,50}?)(?=[ \t\u00a0]*(?:[,;:()!?\n]|\.(?:\s|$)|$))"
)
# An acronym and what it stands for, either way round: "SKVB (stichting kunst en vrije beweging)", "Stichting
# Kunst en Vrije Beweging (SKVB)".
_ACRONYM_THEN_EXPANSION_RE = re.compile(r"(?<![\w\-])(?P<acronym>[A-Z][A-Za-z]{1,6})[ \t\u00a0]*\((?P<expansion>[^(),;\n]{5,80})")
_EXPANSION_THEN_ACRONYM_RE = re.compile(r"\((?P<acronym>[A-Z][A-Za-z]{1,6})\)")
_EXPANSION_SKIP = frozenset("en and und of de het der den van voor for the of für des du la le les 't".split())


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w.casefold() not in _EXPANSION_SKIP).upper()


def acronym_expansions(text: str) -> list[tuple[int, int]]:
    """An acronym with what it stands for beside it in brackets: both are the organisation's name."""
    spans = []
    for match in _ACRONYM_THEN_EXPANSION_RE.finditer(text):
        acronym = match.group("acronym")
        words = list(re.finditer(r"[^\W\d_][\w'’\-]*", match.group("expansion")))
        for count in range(len(acronym), min(len(words), len(acronym) + 4) + 1):
            if _initials([w.group() for w in words[:count]]) == acronym.upper():
                start = match.start("expansion") + words[0].start()
                spans += [(match.start("acronym"), match.end("acronym")), (start, match.start("expansion") + words[count - 1].end())]
                break
    for match in _EXPANSION_THEN_ACRONYM_RE.finditer(text):
        acronym = match.group("acronym")
        before = list(re.finditer(r"[^\W\d_][\w'’\-]*", text[max(0, match.start() - 120):match.start()]))
        offset = max(0, match.start() - 120)
        for count in range(len(acronym), min(len(before), len(acronym) + 4) + 1):
            words = before[-count:]
            if words[0].group().casefold() not in _EXPANSION_SKIP and _initials([w.group() for w in words]) == acronym.upper():
                spans += [(offset + words[0].start(), offset + words[-1].end()), (match.start("acronym"), match.end("acronym"))]
                break
    return spans


class OrganisationFormAnnotator(dd.process.Annotator):
    """Unlisted organisations, by their form. Leading ordinary words are left out ("Elk Museum", "Mooi
    Theater" are no names) and so are trailing articles ("bij Museum De" ends before "De"); a type word
    alone is not a name."""

    def __init__(self, lexicon: Lexicon) -> None:
        super().__init__(tag=ORGANISATION, priority=NAME_PRIORITY)
        self._ordinary = lexicon.ordinary | ALL_STOPWORDS | DETERMINERS
        self._lexicon = lexicon

    def _is_ordinary(self, word: str) -> bool:
        return word.casefold() in self._ordinary or any(is_common_word(word, language) for language in ("nl", "en", "de"))

    def annotate(self, doc: dd.Document) -> list[dd.Annotation]:
        text = doc.text  # the view: a name in capitals reads "Theater het Kwadraat" there
        spans: list[tuple[int, int]] = [(m.start(), m.end()) for m in ORG_LEGAL_FORM_RE.finditer(text)]
        for regex in (ORG_AFTER_HEAD_RE, ORG_BEFORE_TAIL_RE):
            for match in regex.finditer(text):
                words = list(WORD_RE.finditer(text, match.start(), match.end()))
                if regex is ORG_BEFORE_TAIL_RE:
                    while words and words[0].group().casefold() in self._ordinary:
                        words.pop(0)
                    if words and words[0].group() in ORGANISATION_TAILS:
                        continue
                while words and words[-1].group().casefold() in LINKER_WORDS:
                    words.pop()
                if len(words) >= 2:
                    spans.append((words[0].start(), words[-1].end()))
        for match in ORG_AFTER_COMPOUND_HEAD_RE.finditer(text):
            # German capitalises every noun: the name after the compound must hold a word no language's lists
            # know as an ordinary word ("Stadtbibliothek Kleve", not "Stadtbibliothek Bücher").
            name_words = [w.group() for w in WORD_RE.finditer(match.group("name")) if w.group().casefold() not in LINKER_WORDS]
            if any(not self._is_ordinary(word) for word in name_words):
                spans.append((match.start(), match.end()))
        for match in ACRONYM_AND_PLACE_RE.finditer(text):
            # "KU Leuven", "TU Delft", "HKU Utrecht": an acronym before a place is the institution of that place.
            if match.group("acronym") not in COMMON_ACRONYMS and self._lexicon.is_place([match.group("place")]) and not (
                re.search(r"\d[ \t\u00a0]*\Z", text[max(0, match.start() - 8):match.start()])
            ):  # "1234 AB Amsterdam" is a postcode's letters
                spans.append((match.start(), match.end()))
        for match in NAME_AND_QUARTER_RE.finditer(text):
            # "Biblionet Noord", "Kunstbende Oost": a name and a quarter of the land, not a place's quarter.
            if not self._is_ordinary(match.group("name")) and not self._lexicon.is_place([match.group("name")]) and not (
                at_sentence_start(text, match.start()) and self._lexicon.is_first_name(match.group("name"))
            ):
                spans.append((match.start(), match.end()))
        spans += acronym_expansions(text)
        for match in _LOWER_LEGAL_FORM_NAME_RE.finditer(text):
            # "stg. geheugen van de wijk", "vzw de klankkast": a legal form's abbreviation opens a name.
            spans.append((match.start(), match.end()))
        for match in _EMPLOYER_LABEL_RE.finditer(text):
            # "werkgever: tussen de regels (schrijversplatform)": after a form's label the whole phrase is the name.
            name = match.group("name").rstrip(" \t.")
            if name and name.casefold() not in self._ordinary and not any(
                w in {"zzp", "zzp'er", "zelfstandig", "freelance", "freelancer", "geen", "none", "self-employed", "nvt", "n.v.t."}
                for w in name.casefold().split()
            ):
                spans.append((match.start("name"), match.start("name") + len(name)))
        original = original_text(doc)  # a compound in capitals ("OPENLUCHTMUSEUM") says nothing
        for match in ORG_COMPOUND_RE.finditer(original):
            if not at_sentence_start(original, match.start()):
                spans.append((match.start(), match.end()))
        return [make_annotation(doc, start, end, ORGANISATION, self.priority) for start, end in spans]


