"""A person's age, by its cue: "ik ben 58", "58 jaar oud", "58-jarige", "een vrouw van 64", "Jan (58)",
"GERRIT (81!)", "(33 jr)", "leeftijd: 58", "Mijn moeder, 87 jaar, ...", "(mijn zoon, 16)", "op mijn 70e",
"mijn 72ste verjaardag", "I am 45", "a 29-year-old sound artist", "I turned 50", "aged 50", "thirty-eight
year old", "im Alter von 45", "Mit 73 Jahren", "M/42", "42/M", "(m42)". Never a duration ("ik ben 30 jaar
werkzaam", "al 20 jaar"), an age band or answer label ("65 jaar en ouder", "35-44 jaar"), an average, a count
or a year.

Every number of one to three digits (or a number word) is a candidate; the words before it and after it
decide. One scan for numbers and a look at their neighbours keeps this cheap. Words and patterns: `age_words`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from verkenning.anonymise.identifiers import age_words as w
from verkenning.anonymise.identifiers.common import (
    COUNT_WORDS,
    DIGIT_RE,
    FUNCTION_WORDS,
    NUMBERED_THINGS,
    S,
    IdentifierSpan,
    capitalised,
    case_blind,
    counts_something,
    merged,
    next_token,
)
from verkenning.anonymise.identifiers.numberwords import number_value, ordinal_value

InRange = Callable[[int], bool]  # whether the age's value lies between a lower bound and 120
_RANGED_AFTER_RE = re.compile(rf"{S}*(?:tot|t/m|to|bis|-|–|en ouder|of ouder|and over|and older|or older|\+)")
_BRACKETED_NUMBER_RE = re.compile(r"\(\s*\d{1,3}(?:\s*\w+)?\s*\)")
_WORDS_AFTER_RE = re.compile(r"[ \t,]*([^\W\d_][\w'’\-]*)")
_ORDINAL_DIGITS_RE = re.compile(r"\d(?:e|ste|de|th|st|nd|rd|\.)(?![\w])")


def _is_person_noun(word: str) -> bool:
    return word.lower().endswith(w.PERSON_NOUN_ENDINGS)


def _strip_adverbs(low: list[str]) -> tuple[list[str], set[str]]:
    """The words before an age without up to two adverbs right before it ("ik ben inmiddels 67")."""
    adverbs: set[str] = set()
    for _ in range(2):
        if len(low) >= 2 and (low[-2], low[-1]) in w.ADVERB_PAIRS:
            adverbs.update(low[-2:])
            low = low[:-2]
        elif low and low[-1] in w.ADVERB_WORDS:
            adverbs.add(low[-1])
            low = low[:-1]
        elif len(low) >= 2 and low[-1] == "." and low[-2] == "ca":
            low = low[:-2]
    return low, adverbs


def _age_ends_there(text: str, end: int, years: bool, old: bool, strict: bool) -> bool:
    """Whether what follows the age keeps it an age: "ik ben 58 jaar." and "ik ben 58 en werk", but not
    "ik ben 30 jaar werkzaam", "ik ben 3 dagen", "35-44", "58%"."""
    word, other = next_token(text, end)
    if other in {"-", "–", "/", "%"}:
        following = text[end:end + 6].lstrip(" \t-–/")
        if other == "%" or following[:1].isdigit():
            return False
    if old:
        return True
    if years:
        return word is None or word in w.AFTER_AGE_YEARS
    if word is None:
        return True
    if word in COUNT_WORDS or word.startswith("jaar"):
        return False
    if strict:
        return word in w.AFTER_AGE_NUMBER
    return not counts_something(word, plural_too=True)


def _describes_a_person(text: str, start: int, end: int) -> bool:
    """"58 jaar oud" and "a 29-year-old sound artist" are a person's age; "het gebouw is 100 jaar oud" and
    "een 80 jaar oud schilderij" not."""
    following, _ = next_token(text, end)
    if following and following not in FUNCTION_WORDS and text[end:end + 1] in " \t-":
        # Attributive: the noun it describes is a person ("sound artist", within three words), or the writer
        # describes themselves ("I am a ...", "als ...").
        position, nouns = end, []
        for _ in range(3):
            m = _WORDS_AFTER_RE.match(text, position)
            if m is None:
                break
            nouns.append(m.group(1))
            position = m.end()
        if any(_is_person_noun(noun) for noun in nouns):
            return True
        return w.SELF_DESCRIPTION_RE.search(text, max(0, start - 20), start) is not None
    subject = w.SUBJECT_BEFORE_RE.search(text, max(0, start - 60), start)
    if subject is not None:
        noun = subject.group("noun") or subject.group("noun2")
        return bool(noun) and _is_person_noun(noun)
    return True


def _after_the_number(text: str, start: int, end: int, value: int | None, tail: re.Match[str] | None) -> int | None:
    """An age by what follows it: "58 jaar oud", "58-jarige", "45 y/o", "45, vrouw"; 0 when nothing decides."""
    years, old = tail is not None, bool(tail and tail.group("old"))
    age_end = tail.end() if tail else end
    if old:
        return age_end if _describes_a_person(text, start, age_end) else None
    jarig = w.AGE_JARIG_RE.match(text, end)
    if jarig is not None:
        following, _ = next_token(text, jarig.end())
        group = jarig.group().lower().endswith("jarigen")  # "18-jarigen": an age group
        thing = following is not None and following.endswith(w.NOT_PERSON_AFTER_JARIG)
        return None if group or thing else jarig.end()
    short = w.AGE_SHORT_RE.match(text, end)
    if short is not None and (value is None or value >= 1):
        return short.end()
    if (value is None or value >= 10) and w.AGE_THEN_GENDER_WORD_RE.match(text, end):
        return age_end if years else end
    return 0


def _by_the_words_before(text: str, age_end: int, tokens: list[str], years: bool, old: bool, in_range: InRange) -> bool:
    """"ik ben 58", "Jan is 58", "mijn moeder is 82", "een vrouw van 64", "I turned 50", "Mit 73 Jahren"."""
    low = [t.lower() for t in tokens]
    bare, adverbs = _strip_adverbs(low)
    # "toen ik 45 was", "when I was 45" (the latter below).
    if len(low) >= 2 and low[-2] in w.WHEN_WORDS and low[-1] in w.PRONOUNS and in_range(1):
        if w.AGE_THEN_VERB_RE.match(text, age_end):
            return True
    if not bare:
        return False
    last, two, three = bare[-1], tuple(bare[-2:]), tuple(bare[-3:])
    # "ik ben 58", "ben ik 58", "I'm 45", "ich bin 45": strict about what follows, except after a change
    # ("ik werd 60 in maart", "I turned 50 last year").
    if last in w.SELF_ALONE or (len(two) == 2 and ((two[0] in w.PRONOUNS and two[1] in w.SELF_VERBS)
                                                   or (two[0] in w.SELF_VERBS and two[1] in w.PRONOUNS))):
        duration = years and adverbs & w.DURATION_ADVERBS
        strict = last not in w.CHANGE_VERBS
        if in_range(10) and not duration and _age_ends_there(text, age_end, years, old, strict=strict):
            return True
    # "just turned 50", "Marieke turned 50": a person (a name, a person noun) before "turned".
    if last in w.CHANGE_VERBS and last.startswith("turn") and len(bare) >= 2 and in_range(10):
        subject = tokens[len(bare) - 2]
        person = subject.lower() in w.ADVERB_WORDS or _is_person_noun(subject) or (
            capitalised(subject) and subject.lower() not in w.CAPITALISED_NOT_NAMES
        )
        if person and _age_ends_there(text, age_end, years, old, strict=False):
            return True
    # "Jan is 58", "mijn moeder is 82".
    if len(two) == 2 and two[1] in w.IS_VERBS:
        name = tokens[len(bare) - 2]
        person = len(three) == 3 and three[0] in w.POSSESSIVES and _is_person_noun(three[1])
        named = (capitalised(name) and two[0] not in w.CAPITALISED_NOT_NAMES and two[0] not in w.PRONOUNS
                 and not (len(three) == 3 and three[0] in w.DETERMINERS))  # "Het Rijksmuseum is 100"
        child = person and three[1].endswith(w.CHILD_ENDINGS)
        if (person or named) and in_range(0 if child else 10) and _age_ends_there(text, age_end, years, old, strict=True):
            return True
    # "een vrouw van 64", "mijn moeder van 82", "a woman of 64", "eine Frau von 64".
    if len(two) == 2 and two[1] in {"van", "of", "von"} and _is_person_noun(two[0]):
        english_article = len(three) == 3 and three[0] in {"a", "an", "the", "old", "young"}
        child = two[0].endswith(w.CHILD_ENDINGS)
        if (two[1] != "of" or english_article) and in_range(0 if child else 14) and _age_ends_there(
            text, age_end, years, old, strict=False
        ):
            return True
    # "Mit 73 Jahren habe ich ...", not "mit 20 Jahren Erfahrung" (a capitalised German noun follows; in a text
    # without capitals only a verb or a pronoun may).
    if last == "mit" and years and in_range(10):
        m = _WORDS_AFTER_RE.match(text, age_end)
        if m is None or text[age_end:m.start(1)].strip():
            return True
        following = m.group(1)
        if (following.lower() in w.GERMAN_AFTER_AGE) if case_blind(text) else not following[:1].isupper():
            return True
    return False


def _by_a_label(text: str, age_end: int, low: list[str], old: bool, in_range: InRange) -> bool:
    """"leeftijd: 58", "mijn leeftijd is 58", "op de leeftijd van 58", "at the age of 45", "aged 45"."""
    label = list(low)
    while label and label[-1] in w.LABEL_CONNECTORS and len(low) - len(label) < 4:
        label.pop()
    if not label or label[-1] not in w.AGE_LABELS or set(label[-3:-1]) & w.AVERAGE_WORDS:
        return False
    ranged = _RANGED_AFTER_RE.match(text[age_end:age_end + 20].lower())
    # An explicit label: after "jaar" the sentence may go on ("im Alter von 45 Jahren habe ich ...").
    return not ranged and in_range(1) and _age_ends_there(text, age_end, False, old, strict=False)


def _in_brackets_or_apposition(
    text: str, start: int, end: int, age_end: int, tokens: list[str], years: bool, brackets: int, in_range: InRange
) -> bool:
    """"Jan (58)", "GERRIT (81!)", "ik (58)", "(v, 64)", "(58, man)", "(33 jr)", "Vrouw, 58, ...",
    "Mijn moeder, 87 jaar, ...", "(mijn zoon, 16)"."""
    low = [t.lower() for t in tokens]
    close = w.AGE_CLOSE_RE.match(text, end)
    if low and low[-1] == "(":
        # "(33 jaar)" after a duration ("al lang (33 jaar)", "sinds de fusie (12 jaar geleden)") is none.
        bracket = text.rfind("(", 0, start)
        duration = close is not None and close.group("unit") and w.DURATION_BEFORE_RE.search(
            text, max(0, bracket - 60), bracket
        )
        if duration:
            return False
        if close is not None and len(low) >= 2 and brackets < 3 and in_range(12):
            name = tokens[-2]
            capitals = name.isupper() and len(name) >= 3 and low[-2] not in w.COMMON_ACRONYMS
            if (((capitalised(name) or capitals or (case_blind(text) and low[-2] not in FUNCTION_WORDS))
                 and low[-2] not in w.CAPITALISED_NOT_NAMES and low[-2] not in NUMBERED_THINGS)
                    or _is_person_noun(name) or low[-2] in w.SELF_WORDS):
                return True
        if w.AGE_THEN_GENDER_RE.match(text, end) and in_range(12):
            return True
        # "(33 jr)" on its own.
        if close is not None and close.group("unit") and in_range(12):
            return True
    if len(low) >= 3 and low[-3] == "(" and low[-2] in w.GENDER_WORDS and low[-1] in {",", "/", ";"}:
        if close is not None and in_range(12):
            return True
    if len(low) >= 2 and low[-1] == ",":
        if low[-2] in {"man", "vrouw", "male", "female", "mann", "frau"} and in_range(12):
            if _age_ends_there(text, age_end, years, False, strict=False):
                return True
        if low[-2] in w.SELF_WORDS and in_range(12) and w.AGE_THEN_COMMA_RE.match(text, end):
            return True
        if len(low) >= 3 and low[-3] in w.APPOSITION_OPENERS and _is_person_noun(tokens[-2]):
            child = low[-2].endswith(w.CHILD_ENDINGS)
            closed = w.AGE_THEN_COMMA_RE.match(text, end) or close is not None or (
                years and _age_ends_there(text, age_end, True, False, strict=True)
            )
            if in_range(0 if child else 12) and closed:
                return True
    return False


def _age_at(text: str, start: int, end: int, value: int | None, brackets: int) -> int | None:
    """The end of the age whose number is text[start:end], or None when the number is no person's age."""
    tail = w.AGE_TAIL_RE.match(text, end)
    years, old = tail is not None, bool(tail and tail.group("old"))
    age_end = tail.end() if tail else end

    def in_range(low: int) -> bool:
        return value is None or low <= value <= 120

    before = text[max(0, start - 40):start]
    if w.RANGE_BEFORE_RE.search(before) or w.AVERAGE_BEFORE_RE.search(before):
        return None  # "tussen de 45 en 65 jaar oud", "gemiddeld 58 jaar": a group, not a person
    after = _after_the_number(text, start, end, value, tail)
    if after != 0:
        return after if after is not None and in_range(0) else None
    tokens = w.LEFT_TOKEN_RE.findall(text, max(0, start - 60), start)
    if _by_the_words_before(text, age_end, tokens, years, old, in_range):
        return age_end
    if _by_a_label(text, age_end, [t.lower() for t in tokens], old, in_range):
        return age_end
    if _in_brackets_or_apposition(text, start, end, age_end, tokens, years, brackets, in_range):
        return age_end if years else end
    # "als 60+'er", "ik ben een 60-plusser".
    band = w.AGE_BAND_RE.match(text, end)
    if band is not None and tokens:
        low = [t.lower() for t in tokens[-2:]]
        cue = low[-2] if len(low) >= 2 and low[-1] in w.ARTICLES else low[-1]
        if cue in w.BAND_CUES:
            return band.end()
    return None


def _ordinal_ages(text: str) -> list[IdentifierSpan]:
    """"op mijn 70e", "sinds mijn zestiende", "mijn 72ste verjaardag", "on my 70th birthday"."""
    spans = []
    for m in w.POSSESSIVE_ORDINAL_RE.finditer(text):
        value = int(m.group("digits")) if m.group("digits") else ordinal_value(m.group("word"))
        if value is None or not 1 <= value <= 120:
            continue
        word, other = next_token(text, m.end())
        if m.group("owner").lower() not in w.FIRST_PERSON_OWNERS:
            thing = w.THING_BEFORE_RE.search(text, max(0, m.start() - 60), m.start())
            if thing is not None and not _is_person_noun(thing.group("noun")):
                continue  # "het museum viert zijn 100ste verjaardag"
        before = w.LEFT_TOKEN_RE.findall(text, max(0, m.start() - 15), m.start())
        timed = bool(before) and before[-1].lower() in w.TIME_PREPOSITIONS
        if word in w.BIRTHDAY_WORDS:
            ok = True
        elif word is None:
            ok = timed and other != "%"
        else:
            thing = word in w.RANKED_NOUNS or word in COUNT_WORDS or word in NUMBERED_THINGS or word.endswith(
                w.NOT_PERSON_AFTER_JARIG
            )
            ok = timed and not thing and (value >= 10 or word in FUNCTION_WORDS)
        if ok:
            # "72ste" whole: the ordinal's ending left beside a placeholder still reads as the age's form.
            end = m.end() if m.group("digits") and not m.group().endswith(".") else m.end("digits" if m.group("digits") else "word")
            spans.append(IdentifierSpan(m.start("digits" if m.group("digits") else "word"), end, "age"))
    return spans


def _shorthand_ages(text: str) -> list[IdentifierSpan]:
    """"M/42", "V/35", "42/M", and "m42" or "42/m" where it stands alone ("(m42)", "M42, conservator"), not
    "de M42 richting Birmingham", "kost 42/m"."""
    spans = []
    for m in w.GENDER_AGE_RE.finditer(text):
        number = "a1" if m.group("a1") else "a2" if m.group("a2") else "a3"
        if not 12 <= int(m.group(number)) <= 99:
            continue
        if number == "a3" or (number == "a2" and (m.group("g2").islower() or case_blind(text))):
            alone = w.ALONE_BEFORE_RE.search(text, max(0, m.start() - 6), m.start()) and w.ALONE_AFTER_RE.match(text, m.end())
            previous = w.LEFT_TOKEN_RE.findall(text, max(0, m.start() - 20), m.start())
            if not alone or (previous and previous[-1].lower() in NUMBERED_THINGS | {"versie", "version"}):
                continue
        spans.append(IdentifierSpan(m.start(number), m.end(number), "age"))
    return spans


def age_spans(text: str) -> list[IdentifierSpan]:
    lowered = text.lower()
    candidates = []
    digits = DIGIT_RE.search(text) is not None
    if digits:
        candidates = [(m.start(), m.end(), int(m.group())) for m in w.AGE_DIGITS_RE.finditer(text)]
    words = any(hint in lowered for hint in w.NUMBER_WORD_HINTS)
    if words:
        candidates += [
            (m.start(), m.end(), number_value(m.group().replace(" ", "-"))) for m in w.AGE_NUMBER_WORD_RE.finditer(text)
        ]
    spans = []
    if candidates:
        brackets = len(_BRACKETED_NUMBER_RE.findall(text)) if "(" in text else 0
        for start, end, value in candidates:
            age_end = _age_at(text, start, end, value, brackets)
            if age_end is not None:
                spans.append(IdentifierSpan(start, age_end, "age"))
    if (words or (digits and _ORDINAL_DIGITS_RE.search(lowered))) and w.OWNER_HINT_RE.search(lowered):
        spans += _ordinal_ages(text)
    if digits and w.GENDER_AGE_HINT_RE.search(text):
        spans += _shorthand_ages(text)
    return merged(spans)
