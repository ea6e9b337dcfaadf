"""The project's recognisers and annotation processors, as docdeid document processors that run on the
document deduce has annotated.

Annotators (each adds annotations whose tag is a placeholder):
- `IdentifierAnnotator`: structured identifiers (`identifier_patterns`), the name in an e-mail address's
  local part where it is written out near the address, the place after a postcode;
- `KnownNameAnnotator`: names the wave knows (people, organisations, the project's list of institutions);
- `OrganisationFormAnnotator`: unlisted organisations by their form ("Filmhuis De Lichtbak", "Drents Museum",
  "het Zuiderzeemuseum");
- `NameContextAnnotator`: names by their context: after a role or title ("collega X", "mijn directeur X"),
  before an apposition ("X, onze conservator, ..."), after an organisation cue ("werkgever, X", "bij X"),
  and runs of capitalised words in the middle of a Dutch sentence, where only names are capitalised.

Processors:
- `DeduceHitCheck`: deduce's own hits mapped onto placeholders, trimmed to the name, or dropped where they
  are ordinary words, languages, tools or famous names;
- then docdeid's `OverlapResolver` (priority, then length) chooses between overlapping annotations;
- `TrimNames`, `ExtendNames`, `GrowOrganisations`, `MergeAdjacentNames`: one placeholder for one whole name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import docdeid as dd

from verkenning.anonymise.identifier_patterns import IdentifierSpan, find_identifier_spans
from verkenning.anonymise.text.names import strip_accents
from verkenning.anonymise.text.placeholders import (
    AGE,
    EMAIL,
    IDENTIFIER_PLACEHOLDERS,
    LOCATION,
    NUMBER,
    ORGANISATION,
    PERSON,
    PLACEHOLDERS,
)
from verkenning.anonymise.text.spans import (
    Intervals,
    Span,
    at_sentence_start,
    next_word,
    previous_word,
    split_lines,
)
from verkenning.anonymise.text.words import (
    COMMON_ACRONYMS,
    DETERMINERS,
    FUNCTION_WORDS,
    GENERIC_MAILBOXES,
    LANGUAGES,
    NOT_A_NAME_PHRASES,
    ORGANISATION_COMPOUND_ENDINGS,
    ORGANISATION_CUES,
    ORGANISATION_HEADS,
    ORGANISATION_TAILS,
    PERSON_CUES,
    ROLE_WORDS,
    STOPWORDS,
    SURNAME_WORDS,
    TOOL_WORDS,
    Lexicon,
    is_common_word,
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

_UPPER = "A-ZÀ-ÖØ-Þ"
_NAME_TOKEN = rf"[{_UPPER}][\w'’\-]*(?:\.[{_UPPER}][\w'’\-]*)*"
_LINKERS = r"(?:de|het|van|voor|aan|der|den|'t|’t|op|in|te|ten|ter|of|the|bij)"
_GAP = r"[ \t\u00a0]+"
_LINKER_WORDS = {"de", "het", "van", "voor", "aan", "der", "den", "'t", "’t", "en", "&", "op", "in", "te", "ten", "ter", "of", "the", "and", "bij"}


def _alternation(words: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", _GAP) for w in sorted(set(words), key=len, reverse=True)) + ")"


ORG_COMPOUND_RE = re.compile(rf"(?<![\w\-])[{_UPPER}][a-zà-ÿ]{{2,}}(?:{'|'.join(ORGANISATION_COMPOUND_ENDINGS)})(?![\w\-])")
# The words of a name after the type word, particles between them ("Centrum voor de Kunsten"). "en" does
# not join: "Filmhuis X en Theater Y" are two organisations (a listed "Beeld en Geluid" is matched whole).
_NAME_CONTINUATION = rf"{_GAP}(?:{_LINKERS}{_GAP}){{0,3}}{_NAME_TOKEN}"
ORG_AFTER_HEAD_RE = re.compile(rf"(?<![\w\-]){_alternation(ORGANISATION_HEADS)}(?:{_NAME_CONTINUATION}){{1,5}}(?![\w\-])")
ORG_BEFORE_TAIL_RE = re.compile(
    rf"(?<![\w\-])(?:{_NAME_TOKEN}{_GAP}){{1,3}}{_alternation(ORGANISATION_TAILS)}(?:{_NAME_CONTINUATION}){{0,4}}(?![\w\-])"
)
_ORG_TYPE_WORDS = frozenset(w.casefold() for w in (*ORGANISATION_HEADS, *ORGANISATION_TAILS) if " " not in w)
_ROLE_SUFFIXES = tuple(sorted((r for r in ROLE_WORDS if len(r) >= 6 and " " not in r), key=len, reverse=True))
_LEGAL_FORM = r"(?:B\.V\.|B\.V|BV|N\.V\.|NV|V\.O\.F\.|VOF|e\.V\.|GmbH|Ltd\.?|Inc\.?|U\.A\.|C\.V\.)"
ORG_LEGAL_FORM_RE = re.compile(rf"(?<![\w\-])(?:{_NAME_TOKEN}[ \t\u00a0]+(?:&[ \t\u00a0]+)?){{1,4}}{_LEGAL_FORM}(?![\w])")
_ACRONYM_RE = re.compile(r"(?<![\w.\-])(?:[A-Z]\.){3,6}|(?<![\w\-])[A-Z][A-Z&]{2,5}(?![\w])")


def is_role(word: str) -> bool:
    """A role or relation ("conservator", "webredacteur", "collega")."""
    folded = word.casefold()
    return folded in ROLE_WORDS or (len(folded) > 6 and folded.endswith(_ROLE_SUFFIXES))
EXISTING_PLACEHOLDER_RE = re.compile(r"\[(?:" + "|".join(re.escape(p[1:-1]) for p in PLACEHOLDERS) + r")(?:-\d+)?\]")
WORD_RE = re.compile(r"[^\W_](?:[\w'’\-.]*[^\W_])?\.?")
_LETTER_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())
# Adjectives made from a place or people ("Hollandse", "Wit-Russische", "Friese"): not a name.
_ADJECTIVE_RE = re.compile(r"(?i)[\w\-]*(?:ische|isch|sche|se|ese|aanse|iaanse)")


def _annotation(doc: dd.Document, start: int, end: int, tag: str, priority: int) -> dd.Annotation:
    return dd.Annotation(text=doc.text[start:end], start_char=start, end_char=end, tag=tag, priority=priority)


def original_text(doc: dd.Document) -> str:
    """The text as written (deduce reads a view of it with names given capitals; same length)."""
    return doc.metadata["original"] or doc.text


def _language(doc: dd.Document) -> str:
    return doc.metadata["language"] or "nl"


def _capitalised(word: str) -> bool:
    """Written with a capital, as a name is: not in capitals, and not a compound that opens with an acronym
    ("AI-werkgroep")."""
    head = word.split("-", 1)[0]
    return bool(word) and word[0].isupper() and not (word.isupper() and len(word) > 1) and not (len(head) > 1 and head.isupper())


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
            _annotation(doc, s.start, s.end, IDENTIFIER_PLACEHOLDERS.get(s.kind, PERSON), STRUCTURED_PRIORITY.get(s.kind, 30))
            for s in identifiers
        ]
        found = [*names_from_email_addresses(text, [s for s in identifiers if s.kind == "email"])]
        found += places_after_postcodes(text, [s for s in identifiers if s.kind == "postcode"])
        annotations += [_annotation(doc, s.start, s.end, s.placeholder, NAME_PRIORITY) for s in found]
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
            _annotation(doc, m.start(), m.end(), self.tag, self.priority)
            for pattern in self._patterns
            for m in pattern.finditer(text)
        ]


# --- organisations by their form --------------------------------------------------------------------------
class OrganisationFormAnnotator(dd.process.Annotator):
    """Unlisted organisations, by their form. Leading ordinary words are left out ("Elk Museum", "Mooi
    Theater" are no names) and so are trailing articles ("bij Museum De" ends before "De"); a type word
    alone is not a name."""

    def __init__(self, lexicon: Lexicon) -> None:
        super().__init__(tag=ORGANISATION, priority=NAME_PRIORITY)
        self._ordinary = lexicon.ordinary | _ALL_STOPWORDS | DETERMINERS

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
                while words and words[-1].group().casefold() in _LINKER_WORDS:
                    words.pop()
                if len(words) >= 2:
                    spans.append((words[0].start(), words[-1].end()))
        original = original_text(doc)  # a compound in capitals ("OPENLUCHTMUSEUM") says nothing
        for match in ORG_COMPOUND_RE.finditer(original):
            if not at_sentence_start(original, match.start()):
                spans.append((match.start(), match.end()))
        return [_annotation(doc, start, end, ORGANISATION, self.priority) for start, end in spans]


# --- names by their context -------------------------------------------------------------------------------
# Name particles that join the words of one name ("Fatima el Amrani", "Lot van der Laan"): only after a first
# name, an initial or another particle; after a surname "van" is a preposition ("Janssen van Museum X").
_RUN_JOINERS = frozenset({"van", "de", "der", "den", "'t", "’t", "ter", "ten", "te", "el", "al", "la", "le", "du", "da", "di", "dos", "von", "zu", "ben", "bin", "ibn", "abu", "y"})
_POSSESSIVES = frozenset({"mijn", "onze", "ons", "je", "jouw", "jullie", "zijn", "haar", "hun", "de", "het", "een", "my", "our", "your", "his", "her", "their", "the", "a", "meine", "unsere", "unser", "die", "der"})
_FOREIGN_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "herr", "frau", "colleague", "kollege", "kollegin", "director", "direktor", "direktorin", "curator", "kurator", "kuratorin"})
_ORG_CUE_PHRASE_RE = re.compile(r"(?i)(?:werk(?:zaam|t|en)?|in dienst|verbonden|actief|vrijwilliger|stagiair[e]?|employed|work(?:s|ing)?|arbeite[t]?)\s+(?:bij|aan|voor|at|for|bei)\s*$")


# Endings of ordinary adjectives and nouns ("plaatselijke", "kleine", "gemeentelijke", "erfgoedinstelling").
_COMMON_SUFFIX_RE = re.compile(r"(?:lijke?|ige?|isch|ische|bare?|ende|ste|heid|ing|instelling|organisatie|bedrijf|kantoor|afdeling)$")
_LOWER_TYPE_WORD_NAME_RE = re.compile(
    r"(?<![\w\-])(" + "|".join(sorted((w.lower() for w in ORGANISATION_HEADS if " " not in w), key=len, reverse=True))
    + r")[ \t\u00a0]+(?:de|het|'t)[ \t\u00a0]+([a-zà-ÿ][a-zà-ÿ\-]{2,})(?![\w\-])"
)
# Words after "museum de", "theater het" that are no name: "in het museum de hele dag".
_NOT_AFTER_TYPE_WORD = frozenset("hele heel meeste komende volgende eerste laatste tweede derde ruimte kans tijd laatste kunst afgelopen".split())
_PARTICLE_WORDS = r"(?i:van|de|der|den|het|'t|’t|ter|ten|te|el|al|la|le|du|da|di|dos|von|zur|op|in|uit|aan|bij|ben|bin|ibn|abu)"
_CAMEL_CASE_RE = re.compile(r"(?<![\w\-@./])[A-Z][a-zà-ÿ]+(?:[A-Z][a-zà-ÿ]+)+(?![\w\-@]|\.\w)")
_NICKNAME_RE = re.compile(
    rf"(?<![\w\-])(?:(?:[{_UPPER}]\.){{1,4}}|{_NAME_TOKEN})[ \t\u00a0]*[\(\"'‘“][{_UPPER}][\w\-]*[\)\"'’”]"
    rf"(?:[ \t\u00a0]+{_PARTICLE_WORDS})*[ \t\u00a0]+{_NAME_TOKEN}"
)
_SELF_INTRODUCTION_RE = re.compile(r"(?i)\b(?:i'm|i’m|i am|my name is|mijn naam is|ik heet|ich bin|ich heiße|ik ben)[ \t\u00a0]*$")
# Verbs after a subject: a first name at a sentence start before one is the subject ("Mark wil eerst ...").
_VERBS_AFTER_SUBJECT = frozenset("""
is was wil wilde heeft had zei zegt vindt vond gaat ging kan kon moet moest doet deed werkt werkte maakt maakte denkt
dacht weet wist gebruikt gebruikte regelt regelde belt mailt schreef schrijft komt kwam stelt stelde zit zat
said says wants wanted has thinks thought built builds made makes uses used runs ran wrote writes knows knew
ist hat sagt sagte will macht machte meint arbeitet
""".split())
_ENGLISH_CALENDAR = frozenset("january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday christmas easter".split())
_PREPOSITIONS = frozenset({"met", "van", "bij", "via", "door", "voor", "aan", "vanuit", "namens", "with", "from", "at", "by", "for"})
_LOWER_ORG_CUE_RE = re.compile(
    r"(?i)(?:\b(?:werk(?:zaam|t|en)?|in dienst|verbonden|vrijwilliger|stagiair[e]?)\s+(?:bij|voor)|\bwerkgever\s*(?:is|:|,)?)"
    r"\s+(?:(?:de|het|'t)\s+)?"
)


def _is_title_case_text(words: list[re.Match[str]]) -> bool:
    """A heading or sticky note written With Every Word Capitalised: capitals say nothing there."""
    letters = [w.group() for w in words if w.group()[0].isalpha() and len(w.group()) > 3]
    return len(letters) >= 3 and sum(w[0].isupper() for w in letters) / len(letters) > 0.6


class NameContextAnnotator(dd.process.Annotator):
    """Names found by their context, in the view where names written in capitals or lower case have been
    given a capital (see `deduce_view`)."""

    def __init__(self, lexicon: Lexicon, protected: re.Pattern[str]) -> None:
        super().__init__(tag="context", priority=CONTEXT_PRIORITY)
        self._lexicon = lexicon
        self._protected = protected
        self._not_names = lexicon.ordinary | _ALL_STOPWORDS | LANGUAGES | TOOL_WORDS
        self._run_breakers = (_ALL_STOPWORDS | FUNCTION_WORDS | ROLE_WORDS | PERSON_CUES | lexicon.titles | _FOREIGN_TITLES) - {"will"}

    def annotate(self, doc: dd.Document) -> list[dd.Annotation]:
        view = doc.text
        language = _language(doc)
        words = list(WORD_RE.finditer(view))
        if not words:
            return []
        title_case = _is_title_case_text(words)
        protected = Intervals(Span(m.start(), m.end(), "") for m in self._protected.finditer(view))
        placeholders = Intervals(Span(m.start(), m.end(), "") for m in EXISTING_PLACEHOLDER_RE.finditer(view))
        annotations = []
        for run in self._capitalised_runs(view, words):
            start, end = run[0].start(), run[-1].end()
            if view[end - 1] == "." and not re.fullmatch(rf"[{_UPPER}]\.", run[-1].group()):
                end -= 1  # a sentence's full stop, not an initial's
            if view[end - 2:end] in {"'s", "’s"}:
                end -= 2  # "Fleur's presentatie": the name, not its possessive
            if protected.covering(start, end) or placeholders.overlapping(start, end):
                continue
            classified = self._classify(view, run, language, title_case)
            if classified:
                annotations.append(_annotation(doc, start, end, *classified))
        for match in _NICKNAME_RE.finditer(view):
            # "W.F. (Wim) ten Brink", "Hendrikje 'Henny' Dijkstra": a name with a nickname inside it.
            if not placeholders.overlapping(match.start(), match.end()):
                annotations.append(_annotation(doc, match.start(), match.end(), PERSON, CONTEXT_PRIORITY))
        for match in _CAMEL_CASE_RE.finditer(view):
            # "KunstHuisNoord", "DataForge": a word with capitals inside it is a name, unless it is a tool's.
            if match.group().casefold() not in TOOL_WORDS and not protected.overlapping(match.start(), match.end()) and not (
                placeholders.overlapping(match.start(), match.end())
            ):
                annotations.append(_annotation(doc, match.start(), match.end(), ORGANISATION, GUESS_PRIORITY))
        for match in _ACRONYM_RE.finditer(view):
            letters = match.group().replace(".", "").replace("&", "")
            if (
                letters in COMMON_ACRONYMS or letters.casefold() in TOOL_WORDS or re.fullmatch(r"[IVXLCDM]+", letters)
                or placeholders.overlapping(match.start(), match.end()) or protected.overlapping(match.start(), match.end())
                or self._in_capitals(view, match.start(), match.end())
            ):
                continue
            annotations.append(_annotation(doc, match.start(), match.end(), ORGANISATION, GUESS_PRIORITY))
        if language == "nl":
            for start, end in self._lower_case_organisations(view):
                if not placeholders.overlapping(start, end) and not protected.overlapping(start, end):
                    annotations.append(_annotation(doc, start, end, ORGANISATION, GUESS_PRIORITY))
        return annotations

    @staticmethod
    def _in_capitals(view: str, start: int, end: int) -> bool:
        """A word in a stretch written in capitals ("WE WILLEN EEN HELPDESK"): not an acronym."""
        before = re.search(r"([^\W\d_]+)[^\w\n]{1,3}$", view[max(0, start - 30):start])
        after = re.match(r"[^\w\n]{1,3}([^\W\d_]+)", view[end:end + 30])
        return any(m is not None and m.group(1).isupper() and len(m.group(1)) > 1 for m in (before, after))

    def _lower_case_organisations(self, view: str) -> list[tuple[int, int]]:
        """An employer written in lower case after a cue ("ik werk bij de twentse welle", "werkgever: oale
        grieze"): the words up to the next punctuation or function word, when one of them is not an ordinary
        word."""
        spans = []
        for cue in _LOWER_ORG_CUE_RE.finditer(view):
            words = []
            for word in WORD_RE.finditer(view, cue.end()):
                gap = view[(words[-1].end() if words else cue.end()):word.start()]
                token = word.group().rstrip(".")
                if (gap.strip() and words) or not token.islower() or token in FUNCTION_WORDS or len(words) == 4:
                    break
                words.append(word)
                if word.group().endswith("."):
                    break
            unknown = [
                w for w in words
                if len(w.group()) >= 4 and w.group().rstrip(".") not in self._not_names
                and w.group().rstrip(".") not in _ORG_TYPE_WORDS and not _ADJECTIVE_RE.fullmatch(w.group().rstrip("."))
                and not _COMMON_SUFFIX_RE.search(w.group().rstrip(".")) and not is_common_word(w.group().rstrip("."))
            ]
            # "de zeeuwse zolder": a name made of a place's adjective and a noun.
            place_adjective = len(words) >= 2 and _ADJECTIVE_RE.fullmatch(words[0].group()) and not _COMMON_SUFFIX_RE.search(words[0].group())
            if words and (unknown or place_adjective):
                end = words[-1].end() - (1 if words[-1].group().endswith(".") else 0)
                spans.append((words[0].start(), end))
        for match in _LOWER_TYPE_WORD_NAME_RE.finditer(view):
            name = match.group(2)
            if name not in FUNCTION_WORDS and name not in _ALL_STOPWORDS and not _COMMON_SUFFIX_RE.search(name) and not _ADJECTIVE_RE.fullmatch(name) and name not in _NOT_AFTER_TYPE_WORD:
                spans.append((match.start(), match.end()))  # "museum de schaapskooi", "theater de kroon"
        return spans

    def _capitalised_runs(self, view: str, words: list[re.Match[str]]) -> list[list[re.Match[str]]]:
        """Runs of capitalised words, joined by spaces and name particles ("Fatima el Amrani", "De Boer"),
        not crossing punctuation or a line break; trailing particles left out."""
        runs: list[list[re.Match[str]]] = []
        current: list[re.Match[str]] = []
        for position, word in enumerate(words):
            token = word.group().rstrip(".") if not re.fullmatch(rf"[{_UPPER}]\.", word.group()) else word.group()
            gap = view[current[-1].end():word.start()] if current else ""
            joined = current and re.fullmatch(r"[ \t\u00a0]{1,2}", gap) and not (
                current[-1].group().endswith(".") and not re.fullmatch(rf"(?:[{_UPPER}]\.)+", current[-1].group())
            )  # a full stop ends the sentence, an initial's does not
            folded = token.casefold()
            following = words[position + 1].group().rstrip(".") if position + 1 < len(words) else ""
            if _capitalised(token) and folded in self._run_breakers and not (folded in _RUN_JOINERS and not current) and not (
                self._lexicon.is_first_name(token) and (
                    not at_sentence_start(view, word.start())
                    or (_capitalised(following) and self._lexicon.is_surname(following) and following.casefold() not in self._run_breakers)
                )
            ):  # "Can Öztürk can help": a first name before a surname stays, also when it is a word elsewhere
                # "Mein Kollege Jürgen Müller", "Volgens Marleen": a capitalised stop word, role or title is not
                # part of a name; a capitalised particle may open one ("De Boer").
                if current:
                    runs.append(current)
                current = []
            elif _capitalised(token) and not any(c.isdigit() for c in token):
                if joined:
                    current.append(word)
                else:
                    if current:
                        runs.append(current)
                    current = [word]
            elif joined and token.casefold() in _RUN_JOINERS and (
                token.casefold() not in {"van", "von"} or self._may_take_particle(current[-1].group())
            ):
                current.append(word)
            else:
                if current:
                    runs.append(current)
                current = []
        if current:
            runs.append(current)
        trimmed = []
        for run in runs:
            while run and run[-1].group().casefold().rstrip(".") in _RUN_JOINERS and not _capitalised(run[-1].group()):
                run = run[:-1]
            if run:
                trimmed.append(run)
        return trimmed

    def _may_take_particle(self, word: str) -> bool:
        bare = word.rstrip(".")
        return (
            bare.casefold() in _RUN_JOINERS or re.fullmatch(rf"(?:[{_UPPER}]\.)+", word) is not None
            or (self._lexicon.is_first_name(bare) and bare.casefold() not in FUNCTION_WORDS)
        )

    def _classify(self, view: str, run: list[re.Match[str]], language: str, title_case: bool) -> tuple[str, int] | None:
        """The placeholder of a run of capitalised words and how sure the context makes it: a cue (a role, an
        apposition, a first name, an organisation cue) outranks deduce; a capitalised run alone does not."""
        lexicon = self._lexicon
        tokens = [w.group().rstrip(".") if len(w.group()) > 2 else w.group() for w in run]
        possessive = tokens[-1][-2:] in {"'s", "’s"} and len(tokens[-1]) > 3
        if possessive:
            tokens[-1] = tokens[-1][:-2]
        folded = [t.casefold() for t in tokens]
        start = run[0].start()
        before = view[max(0, start - 60):start]
        previous = previous_word(view, start)
        sentence_start = at_sentence_start(view, start)
        first_name = _capitalised(tokens[0]) and lexicon.is_first_name(tokens[0]) and lexicon.is_distinctive(tokens[0])
        surname = any(lexicon.is_surname(t) for t in tokens if t.casefold() not in lexicon.particles)
        has_type_word = any(f in _ORG_TYPE_WORDS for f in folded)
        all_common = all(f in self._not_names or f in lexicon.particles or f in _ORG_TYPE_WORDS for f in folded)
        if all(f in LANGUAGES or f in TOOL_WORDS for f in folded if f not in lexicon.particles):
            return None
        if _ADJECTIVE_RE.fullmatch(tokens[0]) and not lexicon.is_first_name(tokens[0]):
            return None  # "Hollandse Meesters", "Friese": made from a place or a people
        # Introducing oneself: "I'm Rose", "ik ben Sanne", "mijn naam is ...".
        if _SELF_INTRODUCTION_RE.search(before) and not all_common:
            return PERSON, CONTEXT_PRIORITY
        # An employer: "Mijn werkgever, Ouwe Stomp, ...", "ik werk bij Oale Grieze", "I work at The Lantern".
        employer = re.search(r"(?i)\b(?:werkgever|werkgeefster|employer|arbeitgeber)\b[^\w\n]{0,4}(?:is\s+)?$", before) or (
            _ORG_CUE_PHRASE_RE.search(before) is not None
        )
        if employer and not all_common and not (first_name and len(tokens) == 1):
            return ORGANISATION, CONTEXT_PRIORITY
        # A role or title before it: "collega Fatima", "onze conservator Molenaar", "Frau Müller".
        role_before = re.search(r"(\w+)[ \t\u00a0]*,?[ \t\u00a0]*$", before)
        if role_before and role_before.group(1).islower() and role_before.group(1).casefold() in _ORG_TYPE_WORDS and not all_common:
            return ORGANISATION, CONTEXT_PRIORITY  # "Ons festival, Noordzee Klanken, ...", "het museum Koekeloere"
        if role_before and role_before.group(1).casefold() in PERSON_CUES and not all_common:
            return PERSON, CONTEXT_PRIORITY  # "een vrijwilliger die Grace heet" is after; "Ask Sophie", "dankzij Emre"
        if role_before and (is_role(role_before.group(1)) or role_before.group(1).casefold() in lexicon.titles
                            or role_before.group(1).casefold() in _FOREIGN_TITLES):
            # "fotograaf Ben", "Our director, Will de Koning": after a role a capitalised word is a name.
            if not all(f in LANGUAGES or f in TOOL_WORDS or f in _ORG_TYPE_WORDS for f in folded) and (
                role_before.group(1).islower() or not all(
                    is_common_word(t, language) and not lexicon.is_first_name(t) and not lexicon.is_surname(t) for t in tokens
                )
            ):  # "Hoofd Collecties" is a job title in title case
                return PERSON, CONTEXT_PRIORITY
        # An apposition after it: "Molenaar, onze conservator, ...".
        after = view[run[-1].end():run[-1].end() + 40]
        apposition = re.match(r"\s*[,(–-]\s*(\w+)\s+(?:\w+\s+)?(\w+)", after)
        if apposition and apposition.group(1).casefold() in _POSSESSIVES | {"een", "a", "an"}:
            if is_role(apposition.group(2)):
                return PERSON, CONTEXT_PRIORITY  # "Molenaar, onze conservator, ...", "Bos, onze webredacteur"
            if apposition.group(2).casefold() in _ORG_TYPE_WORDS and not all_common:
                return ORGANISATION, CONTEXT_PRIORITY  # "Tekstwerf, een klein bureau uit Zwolle"
        if (possessive or re.match(r"['’]s\b", after)) and (not all_common or lexicon.is_first_name(tokens[0])):
            return (PERSON if first_name or surname else ORGANISATION), CONTEXT_PRIORITY  # "Fleur's presentatie"
        after_word = re.match(r"[ \t\u00a0]+(\w+)", after)
        if after_word and after_word.group(1).casefold() in {"heet", "genaamd", "called", "named"} and not all_common:
            return PERSON, CONTEXT_PRIORITY
        # A first name and a capitalised word after it, in any language: "Anna Schmidt"; also a first name that
        # is a word elsewhere, before a surname: "Mark Janssens", "Will Brouwer".
        if first_name and len(tokens) >= 2 and not all(f in self._not_names for f in folded[1:]):
            return PERSON, CONTEXT_PRIORITY
        if len(tokens) >= 2 and lexicon.is_first_name(tokens[0]) and lexicon.is_surname(tokens[-1]) and (
            folded[-1] not in self._not_names or folded[-1] in SURNAME_WORDS or " ".join(folded[1:]) in SURNAME_WORDS
            or any(f in lexicon.particles for f in folded[1:-1])
        ):
            return PERSON, CONTEXT_PRIORITY
        if language == "en" and not sentence_start and len(tokens) == 1 and lexicon.is_first_name(tokens[0]) and (
            folded[0] not in _ENGLISH_CALENDAR and folded[0] not in {"i", "a"}
        ):
            return PERSON, CONTEXT_PRIORITY  # "a tool that Dan built": in English only names are capitalised
        if language != "nl" or title_case:
            return None
        # An organisation cue: "werkgever, Oale Grieze", "ik werk bij De Twentse Welle".
        cue = previous in ORGANISATION_CUES or (
            previous in {"de", "het", "'t"} and previous_word(view, view.rfind(previous, 0, start)) in ORGANISATION_CUES
        )
        if cue and not all_common:
            return (PERSON if first_name and len(tokens) == 1 else ORGANISATION), CONTEXT_PRIORITY
        verb_after = after_word is not None and after_word.group(1) in _VERBS_AFTER_SUBJECT
        if sentence_start and len(tokens) == 1 and (
            (lexicon.is_first_name(tokens[0]) and ((lexicon.is_distinctive(tokens[0]) and not is_common_word(tokens[0], language)) or verb_after))
            or (verb_after and folded[0] not in self._not_names and not any(is_common_word(tokens[0], other) for other in ("nl", "en", "de")))
        ):
            return PERSON, CONTEXT_PRIORITY  # "Seun is bereikbaar", "Mark wil eerst een beleid"
        if sentence_start:
            # At a sentence start only a surname that is not an ordinary word first, or one of the ordinary
            # words that are surnames first ("Molenaar heeft ..."), is a name.
            if len(tokens) == 1 and folded[0] in SURNAME_WORDS and not view[run[-1].end():].startswith("-"):
                return PERSON, CONTEXT_PRIORITY
            if len(tokens) >= 2 and folded[0] in lexicon.particles and " ".join(folded) in SURNAME_WORDS:
                return PERSON, CONTEXT_PRIORITY
            if len(tokens) == 1 and lexicon.is_surname(tokens[0]) and folded[0] not in self._not_names and not (
                lexicon.is_first_name(tokens[0]) or lexicon.is_place(tokens) or folded[0] in _ORG_TYPE_WORDS
            ) and not view[run[-1].end():].startswith("-"):
                return PERSON, GUESS_PRIORITY  # "Verbeek was het daar niet mee eens."
            if len(tokens) >= 2 and folded[0] in {"het", "'t"} and not all(f in self._not_names or f in _ORG_TYPE_WORDS for f in folded[1:]):
                return ORGANISATION, GUESS_PRIORITY  # "Het Wolkenhuis is een klein podium."
            return None
        # Mid-sentence, in Dutch, capitals mark names, but also terms ("Machine Learning", "de Gouden Eeuw"):
        # without a cue a capitalised run is a name where deduce knows one of its words as a name, or where
        # "het" stands before it ("het Stedelijk").
        name_words = [
            t for t, f in zip(tokens, folded)
            if f not in self._not_names and f not in lexicon.particles and (lexicon.is_first_name(t) or lexicon.is_surname(t))
        ]
        if len(tokens) >= 2 and folded[0] in lexicon.particles and lexicon.is_surname(tokens[-1]) and (
            " ".join(folded) not in NOT_A_NAME_PHRASES
        ):
            return PERSON, GUESS_PRIORITY  # "met De Boer van de bibliotheek"
        if len(tokens) == 1 and folded[0] in SURNAME_WORDS:
            return PERSON, GUESS_PRIORITY  # "vraag het Molenaar"
        if all_common:
            return None
        if previous in {"het", "'t"} and not all(f in _ORG_TYPE_WORDS for f in folded):
            return ORGANISATION, GUESS_PRIORITY
        if name_words and not lexicon.is_place(tokens):
            return (ORGANISATION if has_type_word else PERSON), GUESS_PRIORITY
        if 2 <= len(tokens) <= 3 and not lexicon.is_place(tokens) and all(
            f not in self._not_names and not any(is_common_word(f, other) for other in ("nl", "en", "de"))
            for f in folded if f not in lexicon.particles
        ):
            return (ORGANISATION if has_type_word else PERSON), GUESS_PRIORITY  # "Oluwaseun Adeyemi", "Oale Grieze"
        if previous in _PREPOSITIONS and not lexicon.is_place(tokens) and all(
            f not in self._not_names and not _ADJECTIVE_RE.fullmatch(f) and not is_common_word(f, language) and not is_common_word(f, "en")
            for f in folded if f not in lexicon.particles
        ):
            return ORGANISATION, GUESS_PRIORITY  # "samen met Dataforge", "via Tekstwerf"
        return None


# --- deduce's hits ----------------------------------------------------------------------------------------
def is_language_use(text: str, start: int, end: int, word: str) -> bool:
    """"Engels", "Duits" are languages; "Frans" only where the context says so ("naar het Frans",
    "Engels en Frans"), since Frans is also a first name."""
    if word != "frans":
        return True
    before = previous_word(text, start)
    if before in {"het", "naar", "uit", "vanuit", "in"}:
        return True
    if before in {"en", "of"}:
        word_start = text.rfind(before, max(0, start - 20), start)
        return previous_word(text, word_start) in LANGUAGES
    after = next_word(text, end)
    if after in {"en", "of"}:
        return next_word(text, text.find(after, end) + len(after)) in LANGUAGES
    return False


class DeduceHitCheck(dd.process.DocProcessor):
    """deduce's hits onto the project's placeholders: trimmed to the name itself ("Mijn collega Fatima el
    Amrani van" -> "Fatima el Amrani"), split at line breaks, dropped where they are no name (ordinary words
    at a sentence start, languages, tool and famous names, "De Koning opende ...")."""

    def __init__(self, lexicon: Lexicon, protected: re.Pattern[str]) -> None:
        self._lexicon = lexicon
        self._protected = protected

    def process(self, doc: dd.Document, **kwargs) -> None:
        view = doc.text
        placeholders = Intervals(Span(m.start(), m.end(), "") for m in EXISTING_PLACEHOLDER_RE.finditer(view))
        protected_names = Intervals(Span(m.start(), m.end(), "") for m in self._protected.finditer(view))
        kept = []
        for annotation in doc.annotations:
            if annotation.tag.startswith("["):
                kept.append(annotation)
                continue
            placeholder = DEDUCE_TAGS.get(annotation.tag, PERSON)
            if placeholder is None:
                continue
            for start, end in split_lines(view, annotation.start_char, annotation.end_char):
                span = self.checked(view, start, end, placeholder, placeholders, protected_names)
                if span is not None:
                    kept.append(_annotation(doc, span.start, span.end, span.placeholder, annotation.priority))
        doc.annotations = dd.AnnotationSet(kept)

    def checked(
        self, text: str, start: int, end: int, placeholder: str, protected: Intervals, protected_names: Intervals
    ) -> Span | None:
        """A deduce hit, trimmed to the name itself, or None where it is not a name."""
        if protected.overlapping(start, end):
            return None
        if placeholder == NUMBER:
            digits = sum(c.isdigit() for c in text[start:end])
            return Span(start, end, NUMBER) if digits >= 7 else None
        lexicon = self._lexicon
        words = list(WORD_RE.finditer(text, start, end))
        # Function words around a name: "Volgens" in "Volgens Marleen" (capitalised at a sentence start),
        # lower-case ones at either end. A capitalised one after a particle is a surname ("van der Meer").
        while words and words[0].group().casefold().rstrip(".") in FUNCTION_WORDS and words[0].group().casefold() not in lexicon.particles and (
            words[0].group()[0].islower() or at_sentence_start(text, words[0].start())
        ):
            words.pop(0)
        while words and (
            words[-1].group().casefold() in lexicon.particles
            or (words[-1].group().casefold().rstrip(".") in FUNCTION_WORDS and words[-1].group()[0].islower())
        ):
            words.pop()
        if not words:
            return None
        outer_start, outer_end = words[0].start(), words[-1].end()
        if protected_names.covering(outer_start, outer_end):
            return None
        phrase = " ".join(w.group().rstrip(".").casefold() for w in words)
        if phrase in NOT_A_NAME_PHRASES:
            return None
        if placeholder == PERSON and _ADJECTIVE_RE.fullmatch(words[0].group()) and not lexicon.is_first_name(words[0].group()):
            return None  # "Hollandse Meesters op de Dam", "Wit-Russische": made from a place or a people
        if placeholder == PERSON and len(words) > 1:
            # deduce reads "In Den Haag" as a name ("in den" is a name particle): a place is a place.
            for first in range(len(words) - 1):
                tokens = [w.group() for w in words[first:]]
                if lexicon.is_place(tokens):
                    return Span(words[first].start(), outer_end, LOCATION)
                if words[first].group().casefold() not in lexicon.particles_and_function_words:
                    break
        titled = False
        while words and words[0].group().casefold().rstrip(".") in lexicon.titles_and_particles and not re.fullmatch(rf"[{_UPPER}]\.", words[0].group()):
            titled = titled or words[0].group().casefold().rstrip(".") in lexicon.titles
            words.pop(0)
        while words and words[-1].group().casefold().rstrip(".") in lexicon.particles:
            words.pop()
        if not words:
            return None
        if not any(w.group()[0].isupper() or w.group()[0].isdigit() for w in words):
            return None
        if len(words) > 1 and not titled and all(
            w.group().casefold().rstrip(".") in lexicon.ordinary_and_particles and not lexicon.is_first_name(w.group())
            and not re.fullmatch(rf"(?:[{_UPPER}]\.)+", w.group())
            for w in words
        ) and not self._particle_surname(text, outer_start, words):
            return None  # "Conservator Moderne Kunst", "Zwart Goud": capitalised words, no name among them
        start, end = words[0].start(), words[-1].end()
        if text[end - 1] == "." and not re.fullmatch(r"[A-Z]\.", text[end - 2:end]):
            end -= 1  # a sentence's full stop, not an initial's
        if len(words) == 1 and not titled:
            word = words[0].group().rstrip(".")
            folded = word.casefold()
            if folded in LANGUAGES and placeholder == PERSON and is_language_use(text, start, end, folded):
                return None
            if _ADJECTIVE_RE.fullmatch(word) and (text[end:end + 1] == "-" or text[start - 1:start] == "-" or not lexicon.is_first_name(word)):
                return None  # "Hollandse", "Wit-Russische": made from a place or people
            if previous_word(text, start) in DETERMINERS:
                return None
            if folded in lexicon.ordinary and folded not in SURNAME_WORDS and (
                at_sentence_start(text, start) or text[end:end + 1] == "-" or text[start - 1:start] == "-" or placeholder != PERSON
            ):
                return None
            if folded in lexicon.ordinary and text[end:end + 1] == "-":
                return None
            if folded in TOOL_WORDS:
                return None
        if placeholder == PERSON and lexicon.is_place([w.group() for w in words]):
            placeholder = LOCATION
        return Span(start, end, placeholder)

    def _particle_surname(self, text: str, outer_start: int, words: list[re.Match[str]]) -> bool:
        """"met De Boer van de bibliotheek": a capitalised particle and a surname in mid-sentence."""
        return (
            len(words) >= 2 and words[0].group() in {"De", "Van", "Ter", "Ten", "Den", "Van der", "Van den"}
            and not at_sentence_start(text, outer_start) and self._lexicon.is_surname(words[-1].group())
            and " ".join(w.group().casefold() for w in words) not in NOT_A_NAME_PHRASES
        )


# --- whole names --------------------------------------------------------------------------------------------
_NAME_AFTER_RE = re.compile(rf"[ \t\u00a0]({_NAME_TOKEN})")
# A first name before a surname, with the surname's particles between them ("Lot van der Laan").
_NAME_BEFORE_RE = re.compile(rf"(?<![\w\-])({_NAME_TOKEN})((?:[ \t\u00a0]+{_PARTICLE_WORDS})*)[ \t\u00a0]+$")


def _spans_of(doc: dd.Document) -> list[Span]:
    return sorted(Span(a.start_char, a.end_char, a.tag) for a in doc.annotations)


def _set_spans(doc: dd.Document, spans: list[Span]) -> None:
    doc.annotations = dd.AnnotationSet(_annotation(doc, s.start, s.end, s.placeholder, 0) for s in spans)


class TrimNames(dd.process.DocProcessor):
    """The pieces the overlap resolver leaves of a name ("Fatima el Amrani van " beside an organisation) without
    the spaces, particles and punctuation at their ends."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._edge_words = lexicon.particles | FUNCTION_WORDS

    def process(self, doc: dd.Document, **kwargs) -> None:
        text = doc.text
        trimmed = []
        for span in _spans_of(doc):
            if span.placeholder in {PERSON, ORGANISATION, LOCATION}:
                words = list(WORD_RE.finditer(text, span.start, span.end))
                while words and words[-1].group().islower() and words[-1].group().rstrip(".") in self._edge_words:
                    words.pop()
                while words and words[0].group().islower() and words[0].group() in self._edge_words:
                    words.pop(0)
                if not words:
                    continue
                start, end = words[0].start(), words[-1].end()
                if text[end - 1] == "." and end - start > 2 and not re.fullmatch(rf"[{_UPPER}]\.", words[-1].group()) and end < span.end + 1:
                    end = end if end <= span.end else span.end
                span = Span(max(start, span.start), min(end, span.end), span.placeholder)
            trimmed.append(span)
        _set_spans(doc, trimmed)


class ExtendNames(dd.process.DocProcessor):
    """deduce stops at a name part that is also an ordinary word: "Zakaria Lijn", "Lot van der Laan". A
    capitalised word right after a first name, or a first name right before a surname, mid-sentence,
    belongs to the name."""

    def __init__(self, lexicon: Lexicon, protected: re.Pattern[str]) -> None:
        self._lexicon = lexicon
        self._protected = protected

    def process(self, doc: dd.Document, **kwargs) -> None:
        text = doc.text
        spans = _spans_of(doc)
        protected = (
            Intervals(Span(m.start(), m.end(), "") for m in EXISTING_PLACEHOLDER_RE.finditer(text)),
            Intervals(Span(m.start(), m.end(), "") for m in self._protected.finditer(text)),
        )
        lexicon = self._lexicon
        extended: list[Span] = []
        for index, span in enumerate(spans):
            start, end = span.start, span.end
            if span.placeholder == PERSON:
                last = list(WORD_RE.finditer(text, start, end))
                after = _NAME_AFTER_RE.match(text, end)
                if (
                    after and last and lexicon.is_first_name(last[-1].group())
                    and self._may_join_name(after.group(1), text, after.start(1), protected)
                ):
                    end = after.end(1)
                before = _NAME_BEFORE_RE.search(text[max(0, start - 60):start])
                if before:
                    word = before.group(1)
                    word_start = start - len(before.group(0))
                    known_first_name = lexicon.is_first_name(word)
                    # Before "van der Laan" any capitalised word mid-sentence is the first name ("Lot");
                    # right before a bare surname only a known first name is.
                    if (known_first_name or before.group(2)) and self._may_join_name(
                        word, text, word_start, protected, sentence_start_ok=known_first_name
                    ):
                        start = word_start
            previous_end = extended[-1].end if extended else -1
            next_start = spans[index + 1].start if index + 1 < len(spans) else len(text) + 1
            if start < previous_end or end > next_start:
                start, end = span.start, span.end
            extended.append(Span(start, end, span.placeholder))
        _set_spans(doc, extended)

    def _may_join_name(
        self, word: str, text: str, position: int, protected: tuple[Intervals, ...], sentence_start_ok: bool = False
    ) -> bool:
        folded = word.casefold().rstrip(".")
        if word.isupper() and len(word) > 1:
            return False
        if folded in FUNCTION_WORDS or folded in self._lexicon.titles or folded in TOOL_WORDS or folded in LANGUAGES:
            return False
        if folded in _ORG_TYPE_WORDS or folded in {"ai", "ict"}:
            return False
        if any(intervals.overlapping(position, position + len(word)) for intervals in protected):
            return False
        if text[position + len(word):position + len(word) + 1] == "-":
            return False
        return sentence_start_ok or not at_sentence_start(text, position)


class GrowOrganisations(dd.process.DocProcessor):
    """An organisation's placeholder covers its whole name: a type word found alone ("Theatergroep") takes the
    capitalised words after it ("Theatergroep Koekeloere"), a name its number or legal form ("Pand 9", "B.V."),
    and the capitalised words right before it ("Fries Klokkenmuseum"), so that no unique part is left beside it."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._not_part = FUNCTION_WORDS | _ALL_STOPWORDS | DETERMINERS | lexicon.titles | PERSON_CUES

    def process(self, doc: dd.Document, **kwargs) -> None:
        text = doc.text
        spans = _spans_of(doc)
        grown: list[Span] = []
        index = 0
        while index < len(spans):
            span = spans[index]
            index += 1
            start, end = span.start, span.end
            if span.placeholder == ORGANISATION:
                while True:
                    limit = spans[index].start if index < len(spans) else len(text)
                    after = re.match(rf"([ \t\u00a0]+(?:(?:{_LINKERS}|&|en|and|und)[ \t\u00a0]+){{0,2}})({_NAME_TOKEN}|{_LEGAL_FORM}|\d{{1,3}}[a-z]?\b)", text[end:limit])
                    if after and after.group(2).casefold() not in FUNCTION_WORDS and not at_sentence_start(text, end + after.start(2)):
                        end += after.end(2)
                        continue
                    # "ROC Kunst & Media" where "Kunst" was read as a person: a name right after an organisation's
                    # name, with nothing but a space or "&" between them, is part of it.
                    if index < len(spans) and spans[index].placeholder in {PERSON, LOCATION, ORGANISATION} and re.fullmatch(
                        r"[ \t\u00a0]+(?:&[ \t\u00a0]+)?", text[end:spans[index].start]
                    ):
                        end = spans[index].end
                        index += 1
                        continue
                    break
                floor = grown[-1].end if grown else 0
                while True:
                    before = re.search(rf"({_NAME_TOKEN}\.?)[ \t\u00a0]+$", text[floor:start])
                    if not before or before.group(1).casefold() in self._not_part or is_role(before.group(1)):
                        break
                    start = floor + before.start(1)
            grown.append(Span(start, end, span.placeholder))
        _set_spans(doc, grown)


# Words that join two names rather than belong to one ("Jan En Piet" in a title-cased note).
_NOT_IN_NAMES = frozenset("en of maar met voor door bij aan naar zoals via dan als want noch plus vs versus and or".split())


class MergeAdjacentNames(dd.process.DocProcessor):
    """One [PERSOON] for one name, also where its parts were found by different recognisers."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon

    def process(self, doc: dd.Document, **kwargs) -> None:
        text = doc.text
        merged: list[Span] = []
        for span in _spans_of(doc):
            if merged and span.placeholder == merged[-1].placeholder and span.placeholder in {PERSON, ORGANISATION}:
                gap = text[merged[-1].end:span.start]
                gap_words = gap.split()
                # Only spaces, name particles, or one capitalised name word ("Mohammed Ben Ali") between them.
                if "\n" not in gap and "\r" not in gap and len(gap) <= 12 and (
                    not gap.strip(" \t\u00a0")
                    or all(w.casefold() in self._lexicon.particles for w in gap_words)
                    or (
                        len(gap_words) == 1 and gap_words[0][0].isupper() and gap_words[0].isalpha()
                        and gap_words[0].casefold() not in _NOT_IN_NAMES and gap_words[0].casefold() not in TOOL_WORDS
                    )
                ):
                    merged[-1] = Span(merged[-1].start, span.end, span.placeholder)
                    continue
            merged.append(span)
        _set_spans(doc, merged)


# --- the view deduce reads --------------------------------------------------------------------------------
_CUES_BEFORE_LOWER_NAME = frozenset({
    "aan", "met", "bij", "door", "van", "voor", "naar", "volgens", "namens", "collega", "vraag", "bel", "mail", "mailen",
    "contact", "zei", "zegt", "vroeg", "vraagt", "vertelde", "belde", "mailde", "appte", "sprak", "noemde", "dankzij",
})


def deduce_view(text: str, lexicon: Lexicon) -> str:
    """The text deduce and the context recogniser read: as written, except that names written in capitals or
    in lower case get a capital, the way deduce expects them. A run of words in capitals ("GRAAG CONTACT MET
    PIETER JANSSEN") is read in lower case with its names capitalised; in lower-case writing a known first
    name is capitalised where a surname follows it or a cue stands before it ("vraag maar aan pieter
    janssen"), and so is the surname after it. Same length as the text, so positions carry over."""
    plain = EXISTING_PLACEHOLDER_RE.sub(lambda m: " " * len(m.group()), text)
    matches = list(_LETTER_WORD_RE.finditer(plain))
    if not matches:
        return text
    chars = list(text)
    letters = [c for c in plain if c.isalpha()]
    mostly_capitals = len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.6
    all_lower = len(matches) >= 3 and all(not any(c.isupper() for c in m.group()) for m in matches) and not EXISTING_PLACEHOLDER_RE.search(text)

    def set_case(match: re.Match[str], capital: bool) -> None:
        word = match.group()
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in word)
        if capital and len(word[0].upper()) == 1:
            lowered = word[0].upper() + lowered[1:]
        chars[match.start():match.end()] = list(lowered)

    def is_name_word(word: str) -> bool:
        capital = word[0].upper() + word[1:].lower()
        return lexicon.is_distinctive(word) and (lexicon.is_first_name(capital) or lexicon.is_surname(capital))

    # Words in capitals: in a run of two or more (or in a text mostly in capitals) read in lower case, with
    # their names capitalised; a lone word in capitals that is a name ("JANSSEN") gets a capital only.
    capital_words = [m for m in matches if m.group().isupper() and len(m.group()) >= 2]
    capital_set = {m.start() for m in capital_words}
    for index, match in enumerate(matches):
        if match.start() not in capital_set:
            continue
        in_run = mostly_capitals or any(
            0 <= j < len(matches) and matches[j].start() in capital_set and j != index for j in (index - 1, index + 1)
        )
        word = match.group()
        if in_run:
            # Names, organisation type words and the uncommon words right after a type word keep a capital, so
            # that "WERKZAAM BIJ GEMEENTEARCHIEF VELDHOVEN" reads "werkzaam bij Gemeentearchief Veldhoven".
            after_type_word = any(
                matches[j].group().casefold() in _ORG_TYPE_WORDS for j in range(max(0, index - 2), index)
            )
            set_case(match, is_name_word(word) or word.casefold() in _ORG_TYPE_WORDS or (
                after_type_word and lexicon.is_distinctive(word) and not is_common_word(word)
                and word.casefold() not in lexicon.particles
            ))
        elif len(word) >= 4 and is_name_word(word):
            set_case(match, True)
    # Names in lower case.
    view = "".join(chars)
    matches = list(_LETTER_WORD_RE.finditer(view))
    name_before = after_particle = False
    for index, match in enumerate(matches):
        word = match.group()
        if word[0].isupper():
            name_before = lexicon.is_first_name(word) or name_before and lexicon.is_surname(word)
            after_particle = False
            continue
        capital = word[0].upper() + word[1:]
        if len(capital) != len(word):
            name_before = False
            continue
        folded = word.casefold()
        is_first = False
        if len(folded) >= 3 and folded not in FUNCTION_WORDS and lexicon.is_first_name(capital):
            # Only a known first name is looked at further: most words are not one, and the tests below cost.
            distinctive_first = lexicon.is_distinctive(word)
            following = matches[index + 1].group() if index + 1 < len(matches) else ""
            following_capital = following[:1].upper() + following[1:]
            surname_follows = bool(following) and (
                lexicon.is_surname(following_capital) or following.casefold() in lexicon.particles
            ) and following.casefold() not in FUNCTION_WORDS - lexicon.particles
            rare_surname_follows = (
                bool(following) and len(following) >= 5 and lexicon.is_surname(following_capital)
                and lexicon.is_distinctive(following) and not is_common_word(following)
            )
            is_first = (distinctive_first and (
                all_lower or surname_follows or mostly_capitals
                or previous_word(view, match.start()) in _CUES_BEFORE_LOWER_NAME | ROLE_WORDS | lexicon.titles
            )) or rare_surname_follows
        # After "jan de" any surname ("boer"); right after a first name only one that is no ordinary word ("can").
        is_surname_after_name = name_before and (
            (after_particle and (lexicon.is_surname(capital) or capital in lexicon.interfix_surnames))
            or ((all_lower or mostly_capitals or lexicon.is_distinctive(word)) and lexicon.is_surname(capital))
        )
        if is_first or is_surname_after_name:
            chars[match.start()] = capital[0]
            name_before, after_particle = True, False
        elif folded in lexicon.titles and (all_lower or mostly_capitals):
            name_before, after_particle = True, False
        elif folded in lexicon.particles and name_before:
            after_particle = True  # "jan de groot": the surname may follow its particles
        else:
            name_before = after_particle = False
    return "".join(chars)
