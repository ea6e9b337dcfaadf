"""docdeid processors that correct and complete names after annotation: deduce's hits checked and mapped onto
placeholders (`DeduceHitCheck`, before the overlap resolver), then one placeholder for one whole name
(`TrimNames`, `ExtendNames`, `GrowOrganisations`, `MergeAdjacentNames`)."""

from __future__ import annotations

import re

import docdeid as dd

from verkenning.anonymise.identifiers.numberwords import number_value
from verkenning.anonymise.text.common import (
    ADJECTIVE_RE,
    ALL_STOPWORDS,
    DEDUCE_TAGS,
    EXISTING_PLACEHOLDER_RE,
    LEGAL_FORM,
    LINKERS,
    NAME_TOKEN,
    ORG_TYPE_WORDS,
    PARTICLE_WORDS,
    UPPER,
    WORD_RE,
    is_role,
    make_annotation,
)
from verkenning.anonymise.text.placeholders import (
    AGE,
    LOCATION,
    NUMBER,
    ORGANISATION,
    PERSON,
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
    LANGUAGES,
    NOT_A_NAME_PHRASES,
    PERSON_CUES,
    SURNAME_WORDS,
    TOOL_WORDS,
    Lexicon,
    is_common_word,
    word_frequency,
)


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
                    kept.append(make_annotation(doc, span.start, span.end, span.placeholder, annotation.priority))
        # docdeid's annotations are equal whatever their priority: of two with the same place and tag (deduce's
        # and the project's "Zwolle" as a place) a set would keep either one, by the hash seed; keep the stronger.
        strongest: dict[tuple[int, int, str], dd.Annotation] = {}
        for annotation in kept:
            key = (annotation.start_char, annotation.end_char, annotation.tag)
            if key not in strongest or annotation.priority > strongest[key].priority:
                strongest[key] = annotation
        doc.annotations = dd.AnnotationSet(strongest.values())

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
        # "Meine Enkelin Lea": a possessive and a role before a name are not part of it (deduce reads a German
        # sentence it took for Dutch that way).
        while len(words) > 1 and words[0].group().casefold() not in lexicon.particles and (
            (is_role(words[0].group().rstrip(".,")) and not lexicon.is_first_name(words[0].group()))
            or (words[0].group().casefold() in ALL_STOPWORDS and is_role(words[1].group().rstrip(".,")))
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
        if placeholder == PERSON and ADJECTIVE_RE.fullmatch(words[0].group()) and not lexicon.is_first_name(words[0].group()):
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
        while words and words[0].group().casefold().rstrip(".") in lexicon.titles_and_particles and not re.fullmatch(rf"[{UPPER}]\.", words[0].group()):
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
            and not re.fullmatch(rf"(?:[{UPPER}]\.)+", w.group())
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
            if ADJECTIVE_RE.fullmatch(word) and (text[end:end + 1] == "-" or text[start - 1:start] == "-" or not lexicon.is_first_name(word)):
                return None  # "Hollandse", "Wit-Russische": made from a place or people
            if previous_word(text, start) in DETERMINERS:
                return None
            if folded in lexicon.ordinary and folded not in SURNAME_WORDS and (
                at_sentence_start(text, start) or text[end:end + 1] == "-" or text[start - 1:start] == "-" or placeholder != PERSON
            ):
                return None
            if folded in lexicon.ordinary and text[end:end + 1] == "-":
                return None
            if at_sentence_start(text, start) and re.match(r"[ \t\u00a0]*:", text[end:end + 3]) and is_common_word(word):
                return None  # "Tip: ...", "Hoop: ...": a heading word before a colon

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
_NAME_AFTER_RE = re.compile(rf"[ \t\u00a0]({NAME_TOKEN})")
# A first name before a surname, with the surname's particles between them ("Lot van der Laan").
_NAME_BEFORE_RE = re.compile(rf"(?<![\w\-])({NAME_TOKEN})((?:[ \t\u00a0]+{PARTICLE_WORDS})*)[ \t\u00a0]+$")


def _spans_of(doc: dd.Document) -> list[Span]:
    return sorted(Span(a.start_char, a.end_char, a.tag) for a in doc.annotations)


def _set_spans(doc: dd.Document, spans: list[Span]) -> None:
    doc.annotations = dd.AnnotationSet(make_annotation(doc, s.start, s.end, s.placeholder, 0) for s in spans)


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
                labelled = span.placeholder == ORGANISATION and re.search(r":[ \t\u00a0]*\Z", text[max(0, span.start - 3):span.start])
                while words and words[0].group().islower() and words[0].group() in self._edge_words and not labelled:
                    words.pop(0)  # after a label ("werkgever: tussen de regels") the name is the whole phrase
                if not words:
                    continue
                start, end = words[0].start(), words[-1].end()
                if text[end - 1] == "." and end - start > 2 and not re.fullmatch(rf"[{UPPER}]\.", words[-1].group()) and end < span.end + 1:
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
        if folded in ORG_TYPE_WORDS or folded in {"ai", "ict"}:
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
        self._not_part = FUNCTION_WORDS | ALL_STOPWORDS | DETERMINERS | lexicon.titles | PERSON_CUES

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
                    after = re.match(rf"([ \t\u00a0]+(?:(?:{LINKERS}|&|en|and|und)[ \t\u00a0]+){{0,2}})({NAME_TOKEN}|{LEGAL_FORM}|\d{{1,3}}[a-z]?\b)", text[end:limit])
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
                    before = re.search(rf"({NAME_TOKEN}\.?)[ \t\u00a0]+\Z", text[floor:start])  # \Z: "$" passes a line break
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
                    or (span.placeholder == PERSON and re.fullmatch(r"[ \t\u00a0]*[\"'‘’“”][ \t\u00a0]*", gap) is not None)  # "Danielle 'Dani' K."
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



class PropagateNames(dd.process.DocProcessor):
    """A name found once is found wherever the text repeats it: "our intern Can Öztürk ... Can found that",
    "Mevrouw Sluiter ... Sluiter geeft les", an organisation's unique word ("De Kromme Pen ... de Pen").
    A word of a found name is looked for as a whole word, as written, and also in capitals or lower case when
    it is no ordinary word."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._not_names = lexicon.ordinary | ALL_STOPWORDS | FUNCTION_WORDS | lexicon.particles | lexicon.titles | TOOL_WORDS

    def process(self, doc: dd.Document, **kwargs) -> None:
        text = doc.text
        spans = _spans_of(doc)
        wanted: dict[str, str] = {}
        for span in spans:
            if span.placeholder not in {PERSON, ORGANISATION}:
                continue
            for word in WORD_RE.finditer(text, span.start, span.end):
                token = word.group().rstrip(".")
                folded = token.casefold()
                first_name = span.placeholder == PERSON and self._lexicon.is_first_name(token)
                if len(token) < 3 or (folded in self._not_names and not first_name) or folded in ORG_TYPE_WORDS or not token[0].isupper():
                    continue  # a first name that is also a word ("Can", "Mark") is looked for as written
                if span.placeholder == ORGANISATION and self._lexicon.is_common(token):
                    continue  # "Kromme" of "De Kromme Pen" alone is a word, not the organisation
                wanted.setdefault(token, span.placeholder)
        if not wanted:
            return
        taken = Intervals(spans)
        placeholders = Intervals(Span(m.start(), m.end(), "") for m in EXISTING_PLACEHOLDER_RE.finditer(text))
        added = []
        for token, placeholder in wanted.items():
            any_case = not self._lexicon.is_common(token)
            pattern = re.compile(rf"(?<![\w\-]){re.escape(token)}(?![\w\-])", re.IGNORECASE if any_case else 0)
            for match in pattern.finditer(text):
                if not taken.overlapping(match.start(), match.end()) and not placeholders.overlapping(match.start(), match.end()):
                    span = Span(match.start(), match.end(), placeholder)
                    taken.add(span)
                    added.append(span)
        if added:
            _set_spans(doc, sorted([*spans, *added]))


class CoordinatedNames(dd.process.DocProcessor):
    """A capitalised word joined to a found name by "en", "&", "and", "und", "/", "+" or a comma is a name of the
    same kind: "met Jan en Piet", "bij Klok en Klepel", "(Semhar/Oleks)", "Zwaluw, Kwadraat en Lichtspel"."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._not_names = lexicon.ordinary | ALL_STOPWORDS | FUNCTION_WORDS | TOOL_WORDS | LANGUAGES | ORG_TYPE_WORDS
        self._lexicon = lexicon

    def process(self, doc: dd.Document, **kwargs) -> None:
        text = doc.text
        spans = _spans_of(doc)
        taken = Intervals(spans)
        added = []
        work = list(spans)
        while work:  # "A, B en C": B joins A, then C joins B
            span = work.pop(0)
            if span.placeholder not in {PERSON, ORGANISATION}:
                continue
            after = _COORDINATED_RE.match(text, span.end)
            if after is None:
                continue
            start, end = after.start(1), after.end(1)
            word = after.group(1)
            if word.casefold() in self._not_names or word in COMMON_ACRONYMS or taken.overlapping(start, end):
                continue  # "Lisa en AI": a common acronym joins no name
            if after.group().lstrip().startswith(",") and (
                self._lexicon.is_place([word]) or (
                    not self._lexicon.is_first_name(word) and any(word_frequency(word.casefold(), language) >= 3.0 for language in ("nl", "en", "de"))
                )
            ):
                continue  # "vzw Klankkast, Gent", "Heimatverein Elten, Anschrift ...": a comma also ends a name
            new = Span(start, end, span.placeholder)
            new = Span(start, end, span.placeholder)
            taken.add(new)
            added.append(new)
            work.append(new)
        if added:
            _set_spans(doc, sorted([*spans, *added]))


_COORDINATED_RE = re.compile(rf"(?:[ \t\u00a0]+(?:en|&|and|und)[ \t\u00a0]+|[ \t\u00a0]*[/+][ \t\u00a0]*|,[ \t\u00a0]*)({NAME_TOKEN})")


class AgesBesideNames(dd.process.DocProcessor):
    """A person's age written beside their name or role: "Otto (41)", "ik (Marit, 34)", "Hendrik, 77, oud-
    conservator", "(illustrator, 52)", "mijn oudste collega is 68". The number alone says nothing; beside a
    name or a role it is that person's age."""

    def process(self, doc: dd.Document, **kwargs) -> None:
        text = doc.text
        spans = _spans_of(doc)
        taken = Intervals(spans)
        ends = [span.end for span in spans if span.placeholder == PERSON]
        ends += [
            m.end() for m in WORD_RE.finditer(text)
            if is_role(m.group().rstrip(".,")) or m.group().casefold() in {"oudste", "jongste", "eldest", "youngest", "älteste", "jüngste"}
        ]
        added = []
        for end in ends:
            for pattern in (_AGE_IN_BRACKETS_RE, _AGE_AFTER_COMMA_RE, _AGE_AFTER_IS_RE, _AGE_BEFORE_IS_RE):
                match = pattern.match(text, end)
                value = None if match is None else (
                    int(match.group("age")) if match.group("age").isdigit() else number_value(match.group("age").casefold())
                )
                if value is not None and 12 <= value <= 110:
                    start, stop = match.start("age"), match.end("age")
                    if not taken.overlapping(start, stop):
                        span = Span(start, stop, AGE)
                        taken.add(span)
                        added.append(span)
                    break
        if added:
            _set_spans(doc, sorted([*spans, *added]))


_AGE_IN_BRACKETS_RE = re.compile(r"[ \t\u00a0]*\([ \t\u00a0]*(?P<age>\d{2,3})[ \t\u00a0]*(?:jaar|jr\.?|j\.|y/o|years?)?[ \t\u00a0]*!*[ \t\u00a0]*\)")
_AGE_AFTER_COMMA_RE = re.compile(r"[ \t\u00a0]*,[ \t\u00a0]*(?P<age>\d{2,3})(?:[ \t\u00a0]*(?:jaar|jr\.?|years?))?(?=[ \t\u00a0]*(?:[,;)]|$|\n))")
# "Mijn moeder, die nu 87 is, ...": the verb after the number in a Dutch subordinate clause.
_AGE_BEFORE_IS_RE = re.compile(
    r",?[ \t\u00a0]+(?:die|der|who)[ \t\u00a0]+(?:nu|inmiddels|al|now|jetzt)?[ \t\u00a0]*(?P<age>\d{2,3})[ \t\u00a0]+(?:is|was|wordt|werd|ist)\b"
)
_AGE_AFTER_IS_RE = re.compile(
    r",?[ \t\u00a0]+(?:(?:who|die|der|die nu)[ \t\u00a0]+)?(?:is|was|wordt|werd|is nu|ist)[ \t\u00a0]+"
    r"(?P<age>\d{2,3}|[^\W\d_]+(?:-[^\W\d_]+)?)(?=[ \t\u00a0]*(?:[,;.)!]|en\b|and\b|und\b|$|\n))"
)
