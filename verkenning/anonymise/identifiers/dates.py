"""Dates of birth: a date after a birth cue ("geboren", "geb.", "geboortedatum", "born", "DOB", "°") in any
notation, also a year alone; and, without a cue, a complete date more than 15 years before today. Notations:
"03/06/1970", "1970-06-03", "3 juni 1970", "June 3rd 1970", "12-III-1956" (a Roman month), "03061970" (after
a cue), and in words: "vier oktober negentienhonderdachtenzestig", "twaalf maart negentien tweeënzestig",
"the fourth of October nineteen sixty-eight"."""

from __future__ import annotations

import re
from datetime import date

from verkenning.anonymise.identifiers.common import (
    DIGIT_RE,
    MONTH,
    MONTHS,
    ROMAN_MONTHS,
    S,
    IdentifierSpan,
    literal_alternation,
    merged,
    next_token,
)
from verkenning.anonymise.identifiers.numberwords import NUMBER_WORD_HINTS, number_value, ordinal_value

_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_MONTH_NUMBER = r"(?:1[0-2]|0?[1-9])"
_YEAR4 = r"(?:1[89]\d\d|20\d\d)"
_YEAR2 = r"(?:['’]?\d\d)"
_DATE_FORMS = (
    # 03/06/1970, 3-6-70, 03.06.1970, 3 / 6 / 1970 (also month first, 06/03/1970, when the day cannot be first)
    rf"(?<![\d/.\-])(?P<d1>{_DAY}){S}*(?P<s1>[-/.]){S}*(?P<m1>{_DAY}){S}*(?P=s1){S}*(?P<y1>{_YEAR4}|{_YEAR2})(?![\d]|[-/.]\d)",
    # 1970-06-03
    rf"(?<![\d/.\-])(?P<y2>{_YEAR4})(?P<s2>[-/.])(?P<m2>{_MONTH_NUMBER})(?P=s2)(?P<d2>{_DAY})(?![\d]|[-/.]\d)",
    # 3 juni 1970, 3e juni '70, 3rd of June 1970, 3. Juni 1970, 03-jun-1970
    rf"(?<![\w])(?P<d3>{_DAY})(?:e|ste|de|st|nd|rd|th|er|\.)?(?:{S}*|-)(?:of{S}+)?(?P<mon3>{MONTH})\.?(?:,?{S}*|-)(?P<y3>{_YEAR4}|['’]\d\d)(?![\w])",
    # June 3rd 1970, June 3, 1970, juni 3 1970
    rf"(?<![\w])(?P<mon4>{MONTH})\.?{S}+(?P<d4>{_DAY})(?:st|nd|rd|th|e|ste|de)?,?{S}+(?P<y4>{_YEAR4}|['’]\d\d)(?![\w])",
    # 12-III-1956, 12.iii.56: the month in Roman numerals
    rf"(?<![\w/.\-])(?P<d11>{_DAY})(?P<s11>[-./]){S}?(?P<r11>{literal_alternation(tuple(ROMAN_MONTHS))}){S}?(?P=s11)"
    rf"(?P<y11>{_YEAR4}|{_YEAR2})(?![\w]|[-/.]\d)",
)
_FULL_DATE_RE = re.compile("|".join(_DATE_FORMS), re.IGNORECASE)
# After a birth cue also eight digits: 03061970 or 19700603.
_COMPACT_DATE_RE = re.compile(
    r"(?<!\d)(?:(?P<d9>[0-3]\d)(?P<m9>[01]\d)(?P<y9>(?:19|20)\d\d)|(?P<y10>(?:19|20)\d\d)(?P<m10>[01]\d)(?P<d10>[0-3]\d))(?!\d)"
)
# After a birth cue also a month and year ("juni 1970") or a year alone ("1970", "'64").
_PARTIAL_DATE_RE = re.compile(
    rf"(?<![\w])(?P<d7>{_DAY})(?:e|ste|de|st|nd|rd|th|er|\.)?(?:{S}*|-)(?:of{S}+)?(?P<mon7>{MONTH})(?![\w])"
    rf"|(?<![\w])(?P<mon8>{MONTH})\.?{S}+(?P<d8>{_DAY})(?:st|nd|rd|th|e|ste|de)?(?![\w])"
    rf"|(?<![\w])(?P<mon5>{MONTH})\.?{S}+(?P<y5>{_YEAR4}|['’]\d\d)(?![\w])|(?<![\w'’/.\-])(?P<y6>{_YEAR4}|['’]\d\d)(?![\d])",
    re.IGNORECASE,
)
_BIRTH_CUE_RE = re.compile(
    r"(?i)(?:\bgeboren\b|\bgeb\b\.?(?:[ \t]*(?:datum|dat\.?|d\.|op|in|te))?|\bgeb\.?datum\b|\bgeboorte[ \t\-]?(?:datum|jaar|dag)\b"
    r"|\bgeboortedatum\b|\bgeboortejaar\b|\bborn\b|\bdate[ \t]+of[ \t]+birth\b|\bbirth[ \t\-]?(?:date|year)\b|\bbirthdate\b"
    r"|\byear[ \t]+of[ \t]+birth\b|\bd\.o\.b\b\.?|\bdob\b|\bgeburtsdatum\b|\bgeburtsjahr\b|\bjahrgang\b|\bgeb\.[ \t]*am\b"
    r"|\bnée?[ \t]+(?:le|en)\b|\bdate[ \t]+de[ \t]+naissance\b|(?<![\w\d])°"
    r"|\bben[ \t]+van[ \t]+(?=['’]|19|20))"
)
# Between a birth cue and a year alone only punctuation, prepositions and names ("geboren te Utrecht in 1970").
_BIRTH_GAP_WORDS = (
    "op|in|on|am|im|le|en|te|to|at|anno|het|de|der|the|jaar|year|jahr|van|of|is|was|ist|war|luidt|summer|winter"
    "|spring|autumn|fall|zomer|lente|voorjaar|najaar|herfst|begin|eind|early|late|mid|sommer|frühjahr|anfang|ende"
)
_BIRTH_GAP_RE = re.compile(
    rf"(?:{S}*(?:[:=\-–,(]"
    rf"|(?i:te|in|uit|at|à){S}+(?!(?i:en|and|und|het|de|the){S})[^\W\d_][\w\-'’]*"  # "te Utrecht", "in zeeland"
    rf"|(?i:{_BIRTH_GAP_WORDS})(?![\w])"
    rf"|[A-Z][a-zà-ÿ'’][\w\-'’]*"  # a place: "geboren Utrecht, 1970"
    rf"){S}*)*{S}*"
)

# Words that make a complete date the date of an event ("sinds 1 januari 2000", "opgericht op 3 mei 1985").
_EVENT_CUE_RE = re.compile(
    r"(?i)\b(?:sinds|vanaf|per|tot|t/m|since|from|until|seit|ab|bis|opgericht|geopend|gestart|begonnen|opgeleverd"
    r"|gesloten|overleden|gestorven|founded|opened|established|started|died|gegründet|eröffnet|gestorben)\b[^\n.;!?]{0,20}$"
)
# Cheap tests before the regular expressions: a year (or a two-digit year in a numeric date), a cue's letters.
_SPACES_RE = re.compile(rf"{S}*")
_YEARISH_RE = re.compile(r"\d{4}|\d[-/.](?:\d{1,2}|[ivxIVX]{1,4})[-/.]\d\d|['’]\d\d")
_BIRTH_CUE_HINTS = (
    "geboren", "geboorte", "geb.", "geb ", "geb:", "gebdat", "born", "birth", "dob", "d.o.b", "geburt", "jahrgang", "né",
    "naissance", "°", "ben van",
)


def _year_value(raw: str, today: date) -> int:
    digits = raw.lstrip("'’")
    if len(digits) == 4:
        return int(digits)
    value = int(digits)
    return 2000 + value if 2000 + value <= today.year else 1900 + value


_DATE_GROUPS = (
    ("d1", "m1", "y1"), ("d2", "m2", "y2"), ("d3", "mon3", "y3"), ("d4", "mon4", "y4"), ("d9", "m9", "y9"),
    ("d10", "m10", "y10"), ("d11", "r11", "y11"),
)


def _full_date(m: re.Match[str], today: date) -> date | None:
    """The date a match of `_FULL_DATE_RE` or `_COMPACT_DATE_RE` stands for, or None when it is no date."""
    groups = m.groupdict()
    for d, mo, y in _DATE_GROUPS:
        if groups.get(d) is None:
            continue
        day, year = int(groups[d]), _year_value(groups[y], today)
        name = groups[mo].lower().rstrip(".")
        month = int(name) if name.isdigit() else ROMAN_MONTHS.get(name) if mo == "r11" else MONTHS.get(name)
        candidates = [(day, month)]
        if d == "d1" and groups.get("s1") == "/":
            candidates.append((month, day))  # US order, 06/25/1970
        for dd, mm in candidates:
            try:
                return date(year, mm, dd)
            except (TypeError, ValueError):
                continue
    return None


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


# Dates in words: a month's name, a day before it and a year after it in words or digits.
_MONTH_NAME_RE = re.compile(rf"(?i)(?<![\w]){MONTH}(?![\w])")
_MONTH_NAME_LOWER_RE = re.compile(rf"(?<![\w]){MONTH}(?![\w])")  # on the text in lower case: far faster
# The start of every month's name: the cheap test before the expression.
_MONTH_STEMS = (
    "jan", "feb", "maa", "mar", "mrt", "mär", "apr", "avr", "mei", "may", "mai", "jun", "jui", "jul", "aug", "ao",
    "sep", "okt", "oct", "nov", "dec", "dez", "déc",
)
_WORD = r"[^\W\d_][^\W\d_\-]*(?:-[^\W\d_]+)*"
_DAY_BEFORE_RE = re.compile(rf"(?i)(?<![\w])(?P<day>{_WORD}|\d{{1,2}}(?:e|ste|de|st|nd|rd|th)?){S}+(?:of{S}+)?$")
_YEAR_AFTER_RE = re.compile(rf",?{S}+(?P<year>\d{{4}}(?!\d)|{_WORD}(?:{S}+{_WORD}){{0,2}})")
_WORDS_AFTER_CUE_RE = re.compile(rf"[ \t:,]*({_WORD})")
_HUNDRED_WORDS = frozenset({"honderd", "hundred", "hundert"})
_TOKEN_RE = re.compile(rf"{_WORD}|\d+")


def _year_in_words(tokens: list[str], today: date) -> tuple[int, int] | None:
    """The year the first one to three words stand for, and how many words it takes: "negentienhonderdachtenzestig",
    "negentien tweeënzestig", "negentien honderd achtenzestig", "nineteen sixty eight", "tweeduizend drie"."""
    values = [number_value(token) for token in tokens[:3]]
    candidates = []
    if len(values) >= 3 and values[0] in (19, 20) and values[2] is not None and values[2] < 100:
        if tokens[1].lower() in _HUNDRED_WORDS:
            candidates.append((values[0] * 100 + values[2], 3))
        elif values[1] is not None and values[1] % 10 == 0 and values[1] < 100 and values[2] < 10:
            candidates.append((values[0] * 100 + values[1] + values[2], 3))
    if len(values) >= 2 and values[1] is not None and values[1] < 100:
        if values[0] in (19, 20):
            candidates.append((values[0] * 100 + values[1], 2))
        elif values[0] in (1900, 2000):
            candidates.append((values[0] + values[1], 2))
    if values and values[0] is not None:
        candidates.append((values[0], 1))
    for year, used in candidates:
        if 1900 <= year <= today.year:
            return year, used
    return None


def _year_in_words_after(text: str, position: int, today: date) -> list[IdentifierSpan]:
    """A year in words among the four words after a birth cue: "geboren in negentienhonderdachtenzestig"."""
    for _ in range(4):
        m = _WORDS_AFTER_CUE_RE.match(text, position)
        if m is None:
            return []
        year = _year_in_words(text[m.start(1):m.start(1) + 80].split(), today)
        if year is not None and year[0] <= today.year - 10:
            return [IdentifierSpan(m.start(1), _year_end(text, m.start(1), year[1]), "date_of_birth")]
        position = m.end()
    return []


def _day_value(raw: str) -> int | None:
    digits = raw.rstrip("ehnrdtsa")
    value = int(digits) if digits.isdigit() else (number_value(raw) or ordinal_value(raw))
    return value if value is not None and 1 <= value <= 31 else None


def _dates_in_words(text: str, today: date) -> list[tuple[int, int, date | None]]:
    """Day-month(-year) dates with the day or the year in words: (start, end, the date or None without a year)."""
    found = []
    for month_match in _MONTH_NAME_RE.finditer(text):
        before = _DAY_BEFORE_RE.search(text, max(0, month_match.start() - 40), month_match.start())
        day = _day_value(before.group("day")) if before else None
        if day is None:
            continue
        after = _YEAR_AFTER_RE.match(text, month_match.end())
        year = None
        if after is not None:
            raw = after.group("year")
            if raw.isdigit():
                year = (int(raw), 1) if 1900 <= int(raw) <= today.year else None
            else:
                year = _year_in_words(raw.split(), today)
        if before.group("day")[:1].isdigit() and (year is None or after.group("year").isdigit()):
            continue  # digits only: the numeric notations above
        month = MONTHS[month_match.group().lower()]
        end = month_match.end()
        value = None
        if year is not None:
            end = _year_end(text, after.start("year"), year[1])
            try:
                value = date(year[0], month, day)
            except ValueError:
                continue
        found.append((before.start("day"), end, value))
    return found


def _year_end(text: str, start: int, words: int) -> int:
    """The end of the first `words` words from `start`."""
    for m in _TOKEN_RE.finditer(text, start):
        words -= 1
        if words == 0:
            return m.end()
    return len(text)


def date_of_birth_spans(text: str) -> list[IdentifierSpan]:
    lowered = text.lower()
    digits = DIGIT_RE.search(text) is not None
    cued = any(hint in lowered for hint in _BIRTH_CUE_HINTS)
    month = any(stem in lowered for stem in _MONTH_STEMS) and _MONTH_NAME_LOWER_RE.search(lowered) is not None
    number_words = (month or cued) and any(hint in lowered for hint in NUMBER_WORD_HINTS)
    words = month and number_words
    if not digits and not number_words:
        return []
    today = date.today()
    spans = []
    # Cue-less: a complete date more than 15 years ago is almost always somebody's birth date in an answer
    # (an event date is recent: "op 12 maart 2024"). A two-digit year written with dots ("1.2.10") may be a
    # version number and needs a cue.
    cutoff = _years_before(today, 15)
    for m in _FULL_DATE_RE.finditer(text) if digits and _YEARISH_RE.search(text) else ():
        if m.group("s1") == "." and len(m.group("y1").lstrip("'’")) == 2:
            continue
        found = _full_date(m, today)
        if found is not None and found < cutoff and not _EVENT_CUE_RE.search(text, max(0, m.start() - 30), m.start()):
            spans.append(IdentifierSpan(m.start(), m.end(), "date_of_birth"))
    in_words = _dates_in_words(text, today) if words else []
    for start, end, found in in_words:
        if found is not None and found < cutoff and not _EVENT_CUE_RE.search(text, max(0, start - 30), start):
            spans.append(IdentifierSpan(start, end, "date_of_birth"))
    if not cued:
        return merged(spans)
    for cue in _BIRTH_CUE_RE.finditer(text):
        window_end = min(len(text), cue.end() + 60)
        newline = text.find("\n", cue.end(), window_end)
        if newline != -1:
            window_end = newline
        gap_end = _BIRTH_GAP_RE.match(text, cue.end()).end()
        # "geboren op vier oktober", "born in nineteen sixty-eight": a date or a year in words.
        spans += [IdentifierSpan(start, end, "date_of_birth") for start, end, _ in in_words if cue.end() <= start <= gap_end]
        if number_words:
            spans += _year_in_words_after(text, cue.end(), today)
        if not digits:
            continue
        if cue.group() == "°":  # "° 03.06.1970": the date right after the sign, not a temperature
            full = _FULL_DATE_RE.match(text, _SPACES_RE.match(text, cue.end()).end())
        else:
            full = _FULL_DATE_RE.search(text, cue.end(), window_end)
            full = full or _COMPACT_DATE_RE.search(text, cue.end(), window_end)
        partial = _PARTIAL_DATE_RE.match(text, gap_end)
        if full is not None and _full_date(full, today) is not None and (partial is None or full.start() <= partial.start()):
            spans.append(IdentifierSpan(full.start(), full.end(), "date_of_birth"))
        elif partial is not None and not (partial.group("y5") or partial.group("y6")):
            spans.append(IdentifierSpan(partial.start(), partial.end(), "date_of_birth"))  # "geboren 3 juni"
        elif partial is not None:
            year = _year_value(partial.group("y5") or partial.group("y6"), today)
            after, other = next_token(text, partial.end())
            ranged = other in {"-", "–", "/"} or after in {"tot", "t/m", "until", "bis"}  # "van 2019 tot 2023"
            if 1900 <= year <= today.year - 10 and not ranged:
                spans.append(IdentifierSpan(partial.start(), partial.end(), "date_of_birth"))
    return merged(spans)
