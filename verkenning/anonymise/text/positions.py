"""People by the place a word takes in a sentence, where neither case nor a word list tells: initials ("EK",
"JvdM") and lower-case first names where only a person can stand: a speaker's label at the start of a line
("NV: toolkit!"), in a list with "ik" ("JvdM, EK en ik"), in brackets after "ik" ("Hans en ik (SL)"), or as
the subject of a verb of saying or thinking ("karin zegt", "JW vindt")."""

from __future__ import annotations

import re

import docdeid as dd

from verkenning.anonymise.text.common import (
    ALL_STOPWORDS,
    CONTEXT_PRIORITY,
    EXISTING_PLACEHOLDER_RE,
    STOPWORDS,
    document_language,
    is_role,
    make_annotation,
)
from verkenning.anonymise.text.placeholders import AGE, DATE_OF_BIRTH, PERSON
from verkenning.anonymise.text.words import (
    COMMON_ACRONYMS,
    DETERMINERS,
    FUNCTION_WORDS,
    LANGUAGES,
    TOOL_WORDS,
    Lexicon,
    is_common_word,
    word_frequency,
)

_GAP = r"[ \t\u00a0]"
# A first name that is a word this frequent is read as the word ("tip", "will"); wordfreq counts names too,
# so a lower bar would lose names like "karin" (3.9).
_FREQUENT_ZIPF = 4.2
# Words before initials that make them a body's ("de RvT", "het MT", "onze CvB").
_BODY_BEFORE = frozenset("de het een the a die der das den dem onze ons mijn jullie hun our my your their unser unsere".split())
# Initials: two or three capitals ("EK", "SL", "JWB"), or capitals with a name particle's letters between
# them ("JvdM", "TvR", "AvdB").
_INITIALS = r"(?:[A-Z]{2,3}|[A-Z](?:v|vd|vd|vh|d|t|dl)[A-Z]{1,2})"
_INITIALS_RE = re.compile(rf"(?<![\w\-@./#]){_INITIALS}(?![\w\-@]|\.\w)")
_MIXED_INITIALS_RE = re.compile(r"[A-Z](?:v|vd|vh|d|t|dl)[A-Z]{1,2}")
_SELF = r"(?:ik|I|me|ich|mij|mich|myself)"
# "JvdM, EK en ik", "X en ik", "ik en X", "me and X".
_SELF_AFTER_RE = re.compile(rf"^(?:{_GAP}*,{_GAP}*(?:{_INITIALS}|[A-Z][a-z]+))*{_GAP}*(?:,{_GAP}*)?(?:en|and|und|&){_GAP}+{_SELF}\b")
_SELF_BEFORE_RE = re.compile(rf"\b{_SELF}{_GAP}+(?:en|and|und|&){_GAP}+$")
# Joined to a first name: "JW en Anna-Lena", "Hans & EK".
_PARTNER_AFTER_RE = re.compile(rf"{_GAP}*(?:,|en|and|und|&){_GAP}+([A-Z][a-zà-ÿ]+)(?:-[A-Z][a-zà-ÿ]+)?\b")
_PARTNER_BEFORE_RE = re.compile(rf"\b([A-Z][a-zà-ÿ]+)(?:-[A-Z][a-zà-ÿ]+)?{_GAP}*(?:,|en|and|und|&){_GAP}+$")
# In brackets after "ik": "Hans en ik (SL) hebben ...".
_BRACKETED_AFTER_SELF_RE = re.compile(rf"\b{_SELF}{_GAP}*\($")
# The start of a line, a bullet or a quotation mark before a speaker's label.
_LINE_START_RE = re.compile(r"(?:^|\n)[ \t]*(?:[-–•*>]+[ \t]*)?[\"'“‘]?$")
# Verbs of saying, thinking and wanting: their subject is a person ("karin zegt", "JW vindt").
_PERSON_VERBS = frozenset("""
zegt zei vindt vond denkt dacht wil wilde weet wist vraagt vroeg vertelde vertelt schreef schrijft belde belt mailde
mailt appte stelde stelt riep roept meent meende hoopt hoopte twijfelt twijfelde lacht lachte
says said thinks thought wants wanted asks asked told wrote writes believes hopes
sagt sagte meint meinte denkt dachte fragt fragte
""".split())
_WORD_AFTER_RE = re.compile(rf"{_GAP}+([^\W\d_]+)")
# A signature after a dash at the start of a line: "— Gé, kassa en museumwinkel", "-- Bram".
_SIGNATURE_RE = re.compile(
    r"(?:^|(?<=\n))[ \t]*(?:[—–]|--)[ \t]*(?P<name>[A-ZÀ-ÖØ-Þ][\w'’\-]*(?:[ \t]+(?:van|de|der|den|ten|ter|el|al|[A-ZÀ-ÖØ-Þ][\w'’.\-]*)){0,3})"
    r"[ \t]*(?=,|\n|$|\()"
)
# Cues that a list of people follows: "aanwezig: ...", "deelnemers: ...", "present: ...".
_PEOPLE_LIST_CUE_RE = re.compile(
    r"(?i)\b(?:aanwezig|aanwezigen|afwezig|deelnemers|deelnemer|present|attendees|participants|teilnehmende|anwesend|"
    r"met dank aan|namens|cc|notulist|notulen|gespreksleider|facilitator|moderator)[ \t\u00a0]*:[ \t\u00a0]*"
)
_INITIALS_LIST_ITEM_RE = re.compile(r"(?:[A-Z]\.){1,3}(?:[ \t\u00a0]*(?:van|de|der|den|ten|ter|v\.?|d\.?)[ \t\u00a0]*)*(?:[A-Z]\.?){0,2}|[A-Z]{2,3}")
# Two lower-case words joined by "en": "fleur en mo", "hans en lotte".
_LOWER_PAIR_RE = re.compile(r"(?<![\w\-@./#])(?P<a>[a-zà-ÿ]{2,})[ \t\u00a0]+(?:en|and|&)[ \t\u00a0]+(?P<b>[a-zà-ÿ]{2,})(?![\w\-@])")
# A transcript line's speaker: a short label and a colon at the start of a line.
_SHORT_LABEL_RE = re.compile(r"(?:^|(?<=\n))[ \t]*(?:[-–•*>]+[ \t]*)?(?P<label>[A-Za-z]{2,4})[ \t]*:(?!//)")
# Short labels of notes and forms, not speakers: "nb:", "ps:", "vb:", "fyi:".
_LABEL_WORDS = frozenset("nb ps pps vb bv fyi edit todo re tip ok vraag doel info noot note zie update tl;dr tldr eta btw pro con".split())
# A lone name in brackets that closes a line: "'juridisch loket!!!' (tineke)".
_BRACKETED_NAME_AT_END_RE = re.compile(r"\([ \t\u00a0]*(?P<name>[^\W\d_][\w\-]{1,20})[ \t\u00a0]*\)[ \t\u00a0]*(?:$|\n)")
_SHORT_NAME_AFTER_RELATION_RE = re.compile(r"(?<![\w\-])(?P<relation>[a-zà-ÿ]{3,})[ \t\u00a0]+(?P<name>[A-ZÀ-ÖØ-Þ][a-zà-ÿ]{1,2})(?![\w\-'’.])")
_SPEAKER_LABEL_RE = re.compile(rf"(?:^|(?<=\n))[ \t]*(?:[-–•*>]+[ \t]*)?([^\W\d_][\w\-]{{1,20}}){_GAP}*:(?!//)")


class PeopleByPositionAnnotator(dd.process.Annotator):
    """Initials and lower-case first names in a place only a person takes."""

    def __init__(self, lexicon: Lexicon) -> None:
        super().__init__(tag="positions", priority=CONTEXT_PRIORITY)
        self._lexicon = lexicon
        self._not_names = lexicon.ordinary | ALL_STOPWORDS | FUNCTION_WORDS | LANGUAGES | TOOL_WORDS | DETERMINERS

    def annotate(self, doc: dd.Document) -> list[dd.Annotation]:
        view = doc.text
        placeholders = [(m.start(), m.end()) for m in EXISTING_PLACEHOLDER_RE.finditer(view)]
        spans: set[tuple[int, int]] = set()
        for match in _INITIALS_RE.finditer(view):
            if self._initials_of_a_person(view, match):
                spans.add((match.start(), match.end()))
        for match in _SPEAKER_LABEL_RE.finditer(view):
            word = match.group(1)
            if self._is_first_name(word) and word.casefold() not in self._not_names:
                spans.add((match.start(1), match.end(1)))
        language = document_language(doc)
        for match in _SHORT_NAME_AFTER_RELATION_RE.finditer(view):
            # "tante To", "opa Bo": a short name after a relation; the run of capitals the context recogniser
            # reads stops at "To" (an English stop word), so it is looked at here.
            word = match.group("name")
            if is_role(match.group("relation")) and word.casefold() not in STOPWORDS.get(language, frozenset()) and (
                word.upper() not in COMMON_ACRONYMS and word.casefold() not in TOOL_WORDS
            ):
                spans.add((match.start("name"), match.end("name")))
        for start, end in self._listed_people(view):
            spans.add((start, end))
        for start, end in self._transcript_speakers(view):
            spans.add((start, end))
        for match in _BRACKETED_NAME_AT_END_RE.finditer(view):
            # "'juridisch loket!!!' (tineke)": a lone first name in brackets closing a line names who said it.
            if self._is_first_name(match.group("name")) or self._lexicon.is_first_name(match.group("name")[:1].upper() + match.group("name")[1:]) and (
                match.group("name").casefold() not in self._not_names
            ):
                spans.add((match.start("name"), match.end("name")))
        for match in _SIGNATURE_RE.finditer(view):
            first = match.group("name").split()[0]
            if first.casefold() not in self._not_names and (
                self._lexicon.is_first_name(first) or not any(is_common_word(first, language) for language in ("nl", "en", "de"))
            ):
                spans.add((match.start("name"), match.end("name")))
        for match in re.finditer(r"(?<![\w\-@./#])[a-zà-ÿ][a-zà-ÿ\-]{2,}(?![\w\-@])", view):
            if self._lower_case_subject(view, match):
                spans.add((match.start(), match.end()))
        return [
            make_annotation(doc, start, end, PERSON, self.priority)
            for start, end in sorted(spans)
            if not any(s < end and start < e for s, e in placeholders)
        ]

    def _listed_people(self, view: str) -> list[tuple[int, int]]:
        """Names listed after a cue for people ("aanwezig: tjitske, R.D., H. de B., Mo"), and lower-case first
        names joined by "en" ("samen met fleur en mo", "hans en lotte hebben")."""
        spans = []
        for cue in _PEOPLE_LIST_CUE_RE.finditer(view):
            line_end = view.find("\n", cue.end())
            items = view[cue.end():line_end if line_end >= 0 else len(view)]
            parts = re.split(r"[ \t\u00a0]*(?:,|;|\ben\b|\band\b|\bund\b|&)[ \t\u00a0]*", items)
            position = cue.end()
            for part in parts:
                at = view.find(part, position) if part else -1
                if at < 0:
                    continue
                position = at + len(part)
                item = part.strip(" \t()")
                words = item.split()
                if not 1 <= len(words) <= 4 or not words or any(w.casefold().strip(".") in self._not_names - self._lexicon.particles for w in words[:1]):
                    continue
                first = words[0].strip(".")
                if self._is_first_name(first) or _INITIALS_LIST_ITEM_RE.fullmatch(item) or (
                    first[:1].isupper() and not any(is_common_word(first, language) for language in ("nl", "en", "de"))
                ):
                    start = at + part.find(item)
                    spans.append((start, start + len(item)))
        for match in _LOWER_PAIR_RE.finditer(view):
            first, second = match.group("a"), match.group("b")
            names = [w for w in (first, second) if self._lexicon.is_first_name(w[:1].upper() + w[1:]) and w not in self._not_names]
            if len(names) == 2 and any(self._is_first_name(w) for w in names):
                spans += [(match.start("a"), match.end("a")), (match.start("b"), match.end("b"))]
        return spans

    def _transcript_speakers(self, view: str) -> list[tuple[int, int]]:
        """Speakers of a transcript: two or more lines that open with the same short label and a colon ("jk:
        AI voor de roosters?", "pvd: eerst privacy regelen"), lower-case initials included."""
        labels = list(_SHORT_LABEL_RE.finditer(view))
        if len(labels) < 2:
            return []
        return [
            (m.start("label"), m.end("label")) for m in labels
            if m.group("label").casefold() not in self._not_names and m.group("label").upper() not in COMMON_ACRONYMS
            and m.group("label").casefold() not in _LABEL_WORDS
            and all(word_frequency(m.group("label").casefold(), language) < 4.0 for language in ("nl", "en"))
        ]

    def _initials_of_a_person(self, view: str, match: re.Match[str]) -> bool:
        letters = match.group()
        if letters in COMMON_ACRONYMS or letters.upper() in COMMON_ACRONYMS or letters.casefold() in TOOL_WORDS:
            return False
        if letters.isupper() and self._in_capitals(view, match.start(), match.end()):
            return False  # a word of a stretch written in capitals ("WE WILLEN EEN HELPDESK")
        before = view[max(0, match.start() - 40):match.start()]
        after = view[match.end():match.end() + 60]
        previous = re.search(r"([^\W\d_]+)[ \t\u00a0]*$", before)
        if previous is not None and (previous.group(1).casefold() in DETERMINERS or previous.group(1).casefold() in _BODY_BEFORE):
            return False  # "de RvT", "het MT": a body, not a person
        if _MIXED_INITIALS_RE.fullmatch(letters):
            return True  # "JvdM", "TvR": only a person's initials are written so
        if _LINE_START_RE.search(before) and re.match(rf"{_GAP}*:", after):
            return True  # "NV: toolkit!", a speaker's label
        if _SELF_AFTER_RE.match(after) or _SELF_BEFORE_RE.search(before) or (
            _BRACKETED_AFTER_SELF_RE.search(before) and after.startswith(")")
        ):
            return True
        partner_after = _PARTNER_AFTER_RE.match(after)
        partner_before = _PARTNER_BEFORE_RE.search(before)
        if any(m is not None and self._lexicon.is_first_name(m.group(1)) for m in (partner_after, partner_before)):
            return True  # "JW en Anna-Lena", "Hans en EK"
        verb = _WORD_AFTER_RE.match(after)
        return verb is not None and verb.group(1) in _PERSON_VERBS

    @staticmethod
    def _in_capitals(view: str, start: int, end: int) -> bool:
        before = re.search(r"([^\W\d_]+)[^\w\n]{1,3}$", view[max(0, start - 30):start])
        after = re.match(r"[^\w\n]{1,3}([^\W\d_]+)", view[end:end + 30])
        return any(m is not None and m.group(1).isupper() and len(m.group(1)) > 3 for m in (before, after))

    def _is_first_name(self, word: str) -> bool:
        """A first name that is not also a frequent word ("karin" is a name, "tip" a word)."""
        capital = word[:1].upper() + word[1:]
        return self._lexicon.is_first_name(capital) and self._lexicon.is_distinctive(word) and all(
            word_frequency(word.casefold(), language) < _FREQUENT_ZIPF for language in ("nl", "en")
        )

    def _lower_case_subject(self, view: str, match: re.Match[str]) -> bool:
        """A first name written in lower case as the subject of a verb of saying or thinking ("karin zegt")."""
        word = match.group()
        if word in self._not_names or not self._is_first_name(word):
            return False
        verb = _WORD_AFTER_RE.match(view, match.end())
        return verb is not None and verb.group(1) in _PERSON_VERBS


# A capitalised word right before a bracket or comma that opens a date of birth or an age: "Keiko
# (22/10/1996)", "Bram, 14-03-1988,".
_NAME_BEFORE_BIRTH_DATE_RE = re.compile(r"(?<![\w\-])([A-ZÀ-ÖØ-Þ][\w'’\-]+)[ \t\u00a0]*[(,][ \t\u00a0]*(?:geb\.?|born|geboren)?[ \t\u00a0]*\Z")


class NamesBesideBirthDates(dd.process.DocProcessor):
    """The name a date of birth or an age belongs to, written right before it: "Keiko (22/10/1996)"."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._not_names = lexicon.ordinary | ALL_STOPWORDS | FUNCTION_WORDS | LANGUAGES | TOOL_WORDS | DETERMINERS

    def process(self, doc: dd.Document, **kwargs) -> None:
        text = doc.text
        annotations = list(doc.annotations)
        taken = [(a.start_char, a.end_char) for a in annotations]
        added = []
        for annotation in annotations:
            if annotation.tag not in {DATE_OF_BIRTH, AGE}:
                continue
            match = _NAME_BEFORE_BIRTH_DATE_RE.search(text[max(0, annotation.start_char - 40):annotation.start_char])
            if match is None:
                continue
            offset = max(0, annotation.start_char - 40)
            start, end = offset + match.start(1), offset + match.end(1)
            word = match.group(1)
            if any(s < end and start < e for s, e in taken) or word.casefold() in self._not_names:
                continue
            if self._lexicon.is_first_name(word) or not any(is_common_word(word, language) for language in ("nl", "en", "de")):
                added.append(make_annotation(doc, start, end, PERSON, CONTEXT_PRIORITY))
        if added:
            doc.annotations = dd.AnnotationSet([*annotations, *added])
