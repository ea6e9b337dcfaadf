"""Numbers that identify: IBANs (stdnum), BSNs (eleven test), phone numbers:

- what phonenumbers accepts as valid (region NL for numbers without a country code);
- a Dutch number's shape (+31 / 0031 / 0 and nine digits), also made up or mistyped;
- an international number phonenumbers rejects (a reserved or fictional range): "+" or "00", a country code
  and 8 to 15 digits in all ("+44 7700 900123", "+32 (0)2 123 45 67");
- a foreign layout with a slash after the area code ("0221/4417390");
- spelled out in words, digit group by digit group, after a phone cue ("bel me: nul zes, vierendertig,
  negenenvijftig, twaalf, zeventig").
"""

from __future__ import annotations

import re

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from verkenning.anonymise.identifiers.common import COUNT_WORDS, DIGIT_RE, IdentifierSpan, next_token
from verkenning.anonymise.identifiers.numberwords import NUMBER_WORD_RE, digits_of

# A country code, check digits, then up to 30 letters/digits, optionally in groups; validated below.
# A space may also split the country code from the check digits ("NL 98 TRIO 692 628 7736").
IBAN_CANDIDATE_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[ ]?\d{2}(?:[ \-]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
IBAN_START_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[ ]?\d{2}(?=[ \-]?[A-Za-z0-9])")
# Nine digits, also written 1234.56.789, 123 456 789 or 123-456-789; validated with the eleven test.
BSN_CANDIDATE_RE = re.compile(
    r"(?<![\d.,\-/])(?:\d{9}|\d{4}([ .\-])\d{2}\1\d{3}|\d{3}([ .\-])\d{3}\2\d{3})(?![\d\-/]|[.,]\d)"
)


def _compact(value: str) -> str:
    return re.sub(r"[\s\-]", "", value)


def _is_iban(candidate: str) -> bool:
    """An IBAN in its country's format, also with mistyped check digits: a mistyped account number is still
    someone's account to hide, and "BE13 6333 8941 0839" reads as an IBAN to any reader."""
    number = _compact(candidate).upper()
    if stdnum_iban.is_valid(number):
        return True
    try:
        corrected = number[:2] + stdnum_iban.calc_check_digits(number) + number[4:]
    except Exception:  # letters stdnum cannot convert: no IBAN
        return False
    return stdnum_iban.is_valid(corrected, check_country=False)


def iban_spans(text: str) -> list[IdentifierSpan]:
    """IBANs in their country's format (stdnum), with or without spaces, also with wrong check digits."""
    spans = []
    position = 0
    while True:
        start_match = IBAN_START_RE.search(text, position)
        if start_match is None:
            return spans
        start = start_match.start()
        candidate = IBAN_CANDIDATE_RE.match(text, start)
        found = None
        if candidate is not None:
            # The candidate may have swallowed a following word or number: try the longest valid prefix
            # that ends at a group boundary.
            end = candidate.end()
            while end - start >= 15:
                if (end == len(text) or not text[end].isalnum()) and _is_iban(text[start:end]):
                    found = end
                    break
                end -= 1
                while end > start and not text[end - 1].isalnum():
                    end -= 1
        if found:
            spans.append(IdentifierSpan(start, found, "iban"))
            position = found
        else:
            position = start + 1


def bsn_spans(text: str) -> list[IdentifierSpan]:
    """Nine-digit numbers that pass the eleven test: a number that fails it is not a BSN."""
    return [
        IdentifierSpan(m.start(), m.end(), "bsn")
        for m in BSN_CANDIDATE_RE.finditer(text)
        if stdnum_bsn.is_valid(re.sub(r"\D", "", m.group()))
    ]


# A Dutch number's shape: +31 / 0031 / 0 then nine digits, with the usual separators. Catches numbers
# phonenumbers rejects (a made-up or mistyped subscriber number is still someone's number to hide). A
# trunk 0 and ten or eleven digits is a neighbouring country's number as written there ("0176 2345 8810").
DUTCH_PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)[ \t]?31[ \t\-.]?(?:\(0\)[ \t\-.]?)?|\(?0)(?:[ \t\-.()/]{0,2}\d){9,11}(?!\d)"
)
# "+", a country code, and enough digits; "(0)" after the country code as people write it.
INTERNATIONAL_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+|00)[ \t]?[1-9]\d{0,2}(?:[ \t\-.]?\(0\))?(?:[ \t\-.()/]{0,2}\d){6,14}(?!\d)"
)
# An area code, a slash, the subscriber number: "0221/4417390", "030 / 123 45 67".
SLASH_PHONE_RE = re.compile(r"(?<![\w/.\-+])0(?:[ \t]?\d){2,5}[ \t]?/[ \t]?\d(?:[ \t\-]?\d){4,9}(?![\d/])")
_THOUSANDS_RE = re.compile(r"(?:\+|00)?[ \t]?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_DATE_START_RE = re.compile(r"\(?0?\d[-/.][01]?\d[-/.](?P<year>(?:19|20)?\d{2})(?!\d)(?![-/.]\d)")
# A phone cue; "06" starts the number itself ("06 vierendertig ...").
_PHONE_CUE = (
    r"\b(?:bel|belt|bellen|tel|telefoon\w*|telefonisch|mobiel\w*|nummer|gsm|whatsapp|sms|app\s+me|call|phone"
    r"|mobile|cell|ring|telefon\w*|handy|anrufen|ruf)\b|(?<![\d\w])(?=06\b)"
)
_PHONE_CUE_RE = re.compile(_PHONE_CUE, re.IGNORECASE)
_PHONE_CUE_LOWER_RE = re.compile(_PHONE_CUE)  # the cheap test, on the text in lower case
# A number spelled out digit group by digit group has tens ("vierendertig"), teens or a zero in it.
_SPELLED_HINTS = ("nul", "tig", "tien", "twaalf", "zero", "ty", "teen", "twelve")
_NUMBER_TOKEN_RE = re.compile(r"[ \t,;\-–/]*(\d{1,4}|" + NUMBER_WORD_RE.pattern + ")")
_FIRST_TOKEN_RE = re.compile(r"[ \t,;:.\-–/]*(\d{1,4}|" + NUMBER_WORD_RE.pattern + ")")


def _spelled_out_spans(text: str) -> list[IdentifierSpan]:
    """A phone number in words after a phone cue: digit groups in digits or words, 9 to 13 digits in all, the
    first a zero ("nul zes, twaalf, ...") unless "plus" comes before ("plus eenendertig zes ...")."""
    spans = []
    for cue in _PHONE_CUE_RE.finditer(text):
        position, first, last, digits, words = cue.end(), None, None, "", 0
        while True:
            m = (_NUMBER_TOKEN_RE if first is not None else _FIRST_TOKEN_RE).match(text, position)
            group = digits_of(m.group(1)) if m else None
            if group is None:
                if first is None and m is not None and position - cue.end() < 40 and not m.group(1).isdigit():
                    position = m.end()  # "bel me op", "mijn nummer is": words before the number
                    continue
                break
            first = m.start(1) if first is None else first
            last, digits, words = m.end(1), digits + group, words + (not m.group(1).isdigit())
            position = m.end()
        if first is None or not words or not 9 <= len(digits) <= 13:
            continue
        # A number starts with its trunk prefix 0 ("nul zes", "06"), or with "plus" and a country code.
        international = text[max(0, first - 6):first].lower().rstrip(" \t:").endswith(("plus", "+"))
        if digits.startswith("0") or international:
            spans.append(IdentifierSpan(first, last, "phone"))
    return spans


def _is_date_and_time(text: str, span: IdentifierSpan) -> bool:
    """"01-02-2024 14:00" has nine digits after a 0 as well; "06-12-34 56 78" is still a phone number."""
    date_match = _DATE_START_RE.match(text, span.start)
    if date_match is None:
        return False
    return len(date_match.group("year")) == 4 or text[span.end:span.end + 1] in {":", "u", "."}


def _is_amount(text: str, m: re.Match[str]) -> bool:
    """"+1.250.000 bezoekers", "+12,500,000": thousands, not a phone number."""
    if _THOUSANDS_RE.fullmatch(m.group()):
        return True
    word, other = next_token(text, m.end())
    return word in COUNT_WORDS or other in {"%", "€"}


def phone_spans(text: str) -> list[IdentifierSpan]:
    spans = []
    lowered = text.lower()
    if any(hint in lowered for hint in _SPELLED_HINTS) and _PHONE_CUE_LOWER_RE.search(lowered):
        spans += _spelled_out_spans(text)
    if len(DIGIT_RE.findall(text)) < 7:
        return spans
    try:
        for match in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID):
            start = match.start + (1 if match.raw_string.startswith("(") and ")" not in match.raw_string else 0)
            spans.append(IdentifierSpan(start, match.end, "phone"))
    except Exception:  # a library fault must not let a number through: the shape rules below still run
        pass
    for m in DUTCH_PHONE_RE.finditer(text):
        # "(020) 123 4567" keeps its bracket; in "(06 12 34 56 78)" the bracket encloses the number.
        start = m.start() + (1 if text[m.start()] == "(" and ")" not in m.group() else 0)
        spans.append(IdentifierSpan(start, m.end(), "phone"))
    if "+" in text or "00" in text:
        for m in INTERNATIONAL_PHONE_RE.finditer(text):
            if 8 <= len(DIGIT_RE.findall(m.group())) <= 16 and not _is_amount(text, m):
                spans.append(IdentifierSpan(m.start(), m.end(), "phone"))
    if "/" in text:
        spans += [IdentifierSpan(m.start(), m.end(), "phone") for m in SLASH_PHONE_RE.finditer(text)]
    return [s for s in spans if not _is_date_and_time(text, s)]
