"""Identifier patterns in Dutch free text: e-mail addresses (also obfuscated), phone numbers, IBANs, BSNs,
postcodes and web addresses, found by pattern and confirmed by validation where a pattern alone over-matches.

Independent of deduce: the blocking leak check on published tables uses `find_identifier_patterns`, and the
free-text de-identifier (`verkenning.anonymise.text`) uses the same finders, so what one removes the other
would have caught.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

# The kinds `find_identifier_patterns` reports (urls are found by `find_identifier_spans` only: a web
# address is not personal by itself, but the de-identifier removes it because it often names an employer).
PATTERN_KINDS = ("email", "phone", "iban", "bsn", "postcode")


@dataclass(frozen=True, order=True)
class IdentifierSpan:
    start: int
    end: int
    kind: str  # email, url, phone, iban, bsn, postcode


# --- e-mail ---------------------------------------------------------------------------------------
# Top-level domains accepted after a word-form obfuscation ("punt nl", " at "), where any word could
# follow; a literal "." accepts any alphabetic top-level domain.
KNOWN_TLDS = (
    "nl", "com", "org", "net", "eu", "be", "de", "nu", "info", "frl", "amsterdam", "io", "edu", "gov",
    "uk", "fr", "es", "it", "biz", "online", "studio", "art", "museum", "email", "me", "co",
)
_TLD_KNOWN = "(?:" + "|".join(sorted(KNOWN_TLDS, key=len, reverse=True)) + r")(?![\w-])"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_AT_WORD = r"(?:at|AT|At|apenstaartje)"
_S = r"[ \t\u00a0]"  # spaces inside an address, never a line break: a line break ends it
# "@", "[at]", "(at)", "{at}", "[@]", "<at>", also with spaces around them.
_AT_SYMBOL = rf"(?:{_S}{{0,3}}@{_S}{{0,3}}|{_S}{{0,3}}[\[\(\{{<]{_S}{{0,2}}(?:@|{_AT_WORD}){_S}{{0,2}}[\]\)\}}>]{_S}{{0,3}})"
_DOT_WORD = rf"(?:{_S}{{0,3}}[\[\(\{{<]{_S}{{0,2}}(?:dot|punt|DOT|PUNT){_S}{{0,2}}[\]\)\}}>]{_S}{{0,3}}|{_S}+(?:dot|punt|DOT|PUNT){_S}+)"
# A local part, or one written with a space between every character ("n a a m").
_LOCAL = (
    rf"(?:(?<![\w.+\-])[A-Za-z0-9](?:{_S}[A-Za-z0-9]){{2,}}(?={_S}{{0,3}}[@\[\(\{{<])"
    rf"|(?<![\w.+\-%])[\w.%+\-']{{1,64}}(?:{_DOT_WORD}[\w%+\-']{{1,64}}){{0,2}})"
)
_DOMAIN_SYMBOL = rf"(?:{_LABEL}(?:\.|{_DOT_WORD}))+(?:(?<=\.)[A-Za-z]{{2,24}}(?![\w-])|{_TLD_KNOWN})"
_DOMAIN_WORD = rf"(?:{_LABEL}(?:\.|{_DOT_WORD}))+{_TLD_KNOWN}"
EMAIL_RE = re.compile(
    rf"{_LOCAL}(?:{_AT_SYMBOL}{_DOMAIN_SYMBOL}|{_S}+{_AT_WORD}{_S}+{_DOMAIN_WORD})",
)

# --- web addresses ---------------------------------------------------------------------------------
_URL_TRAILING = ".,;:!?'\"”’)]}>"
URL_RE = re.compile(r"(?:\b(?:https?|ftp)://|(?<![\w@.\-/])www\.)[^\s<>\"'\[\]{}|\\^`]+", re.IGNORECASE)
# Bare domains ("stadsarchief.nl", "www" left out) with a top-level domain from a fixed list: tool names
# such as "Otter.ai" or "Character.ai" are not web addresses a respondent gave.
BARE_DOMAIN_TLDS = ("nl", "com", "org", "net", "eu", "be", "de", "nu", "info", "frl", "amsterdam", "io", "edu", "gov")
BARE_DOMAIN_RE = re.compile(
    rf"(?<![\w@.\-/])(?:{_LABEL}\.)+(?:{'|'.join(BARE_DOMAIN_TLDS)})(?![\w\-@])(?:/[^\s<>\"'\[\]{{}}|\\^`]*)?",
    re.IGNORECASE,
)

# --- IBAN, BSN ------------------------------------------------------------------------------------
# A country code, check digits, then up to 30 letters/digits, optionally in groups; validated below.
IBAN_CANDIDATE_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ \-]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
IBAN_START_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[ \-]?[A-Za-z0-9])")
# Nine digits, also written 1234.56.789 or 123 456 789; validated with the eleven test.
BSN_CANDIDATE_RE = re.compile(r"(?<![\d.,\-/])(?:\d{9}|\d{4}[ .]\d{2}[ .]\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\d\-/]|[.,]\d)")

# --- phone ----------------------------------------------------------------------------------------
_DIGIT_RE = re.compile(r"\d")
# A Dutch number's shape: +31 / 0031 / 0 then nine digits, with the usual separators. Catches numbers
# phonenumbers rejects (a made-up or mistyped subscriber number is still someone's number to hide).
DUTCH_PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)[ \t]?31[ \t\-.]?(?:\(0\)[ \t\-.]?)?|\(?0)(?:[ \t\-.()/]{0,2}\d){9}(?!\d)"
)

_DATE_START_RE = re.compile(r"\(?0?\d[-/.][01]?\d[-/.](?P<year>(?:19|20)?\d{2})(?!\d)(?![-/.]\d)")

# --- postcode -------------------------------------------------------------------------------------
# Dutch postcodes never use SA, SD or SS. A year followed by a common acronym ("in 2024 AI-beleid")
# and sizes written without a space ("2000mb") are not postcodes.
_POSTCODE_UPPER_RE = re.compile(r"(?<![\w\-/.,])([1-9]\d{3})( ?)([A-Z]{2})(?![\w\-])")
_POSTCODE_LOWER_RE = re.compile(r"(?<![\w\-/.,])([1-9]\d{3})([a-z]{2})(?![\w\-])")
_NOT_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})
_YEAR_ACRONYMS = frozenset({
    "AI", "EU", "VR", "AR", "XR", "IT", "NL", "UK", "US", "VS", "PR", "HR", "AV", "TV", "CV", "OK", "EN",
    "NU", "DE", "IK", "OP", "IN", "IS", "EN", "AD", "BC", "GB", "MB", "KB", "TB", "HD", "UX", "UI", "QR",
})
_UNITS = frozenset({
    "mb", "kb", "gb", "tb", "pb", "mg", "kg", "gr", "km", "cm", "mm", "ml", "cl", "dl", "px", "pt", "hz",
    "ms", "ie", "st", "ad", "bc", "nd", "th", "rd", "fps", "dpi", "pp", "eu", "ai",
})


def _trim_url(text: str, start: int, end: int) -> int:
    """Drop trailing punctuation from a web address; keep a closing bracket that closes one in it."""
    while end > start and text[end - 1] in _URL_TRAILING:
        closing = text[end - 1]
        opening = {")": "(", "]": "[", "}": "{", ">": "<"}.get(closing)
        if opening and text.count(opening, start, end - 1) > text.count(closing, start, end - 1):
            break
        end -= 1
    return end


def email_spans(text: str) -> list[IdentifierSpan]:
    if "@" not in text and "at" not in text.lower():
        return []
    return [IdentifierSpan(m.start(), m.end(), "email") for m in EMAIL_RE.finditer(text)]


# A social-media handle ("volg me op @marieke_maakt"): an address to a person, reported as a web address.
HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_])(?![\w@])")


def url_spans(text: str) -> list[IdentifierSpan]:
    spans = [IdentifierSpan(m.start(), m.end(), "url") for m in HANDLE_RE.finditer(text)] if "@" in text else []
    if "." not in text:
        return spans
    for regex in (URL_RE, BARE_DOMAIN_RE):
        for m in regex.finditer(text):
            end = _trim_url(text, m.start(), m.end())
            if end - m.start() > 4:
                spans.append(IdentifierSpan(m.start(), end, "url"))
    return spans


def _compact(value: str) -> str:
    return re.sub(r"[\s\-]", "", value)


def iban_spans(text: str) -> list[IdentifierSpan]:
    """IBANs that pass stdnum's check (country format and check digits); with or without spaces."""
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
                if (end == len(text) or not text[end].isalnum()) and stdnum_iban.is_valid(_compact(text[start:end])):
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


def phone_spans(text: str) -> list[IdentifierSpan]:
    """Phone numbers that phonenumbers accepts as valid (region NL for numbers without a country code),
    plus anything shaped like a Dutch number (+31/0031/0 and nine digits)."""
    if len(_DIGIT_RE.findall(text)) < 7:
        return []
    spans = []
    try:
        for match in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID):
            start = match.start + (1 if match.raw_string.startswith("(") and ")" not in match.raw_string else 0)
            spans.append(IdentifierSpan(start, match.end, "phone"))
    except Exception:  # a library fault must not let a number through: the shape rule below still runs
        pass
    for m in DUTCH_PHONE_RE.finditer(text):
        # "(020) 123 4567" keeps its bracket; in "(06 12 34 56 78)" the bracket encloses the number.
        start = m.start() + (1 if text[m.start()] == "(" and ")" not in m.group() else 0)
        spans.append(IdentifierSpan(start, m.end(), "phone"))
    return [s for s in spans if not _is_date_and_time(text, s)]


def _is_date_and_time(text: str, span: IdentifierSpan) -> bool:
    """"01-02-2024 14:00" has nine digits after a 0 as well; "06-12-34 56 78" is still a phone number."""
    date = _DATE_START_RE.match(text, span.start)
    if date is None:
        return False
    return len(date.group("year")) == 4 or text[span.end:span.end + 1] in {":", "u", "."}


def postcode_spans(text: str) -> list[IdentifierSpan]:
    spans = []
    for m in _POSTCODE_UPPER_RE.finditer(text):
        digits, space, letters = m.groups()
        if letters in _NOT_POSTCODE_LETTERS:
            continue
        if letters in _YEAR_ACRONYMS and digits.startswith(("19", "20")):
            continue
        if not space and letters.lower() in _UNITS:
            continue
        spans.append(IdentifierSpan(m.start(), m.end(), "postcode"))
    for m in _POSTCODE_LOWER_RE.finditer(text):
        if m.group(2) in _UNITS or m.group(2).upper() in _NOT_POSTCODE_LETTERS:
            continue
        spans.append(IdentifierSpan(m.start(), m.end(), "postcode"))
    return spans


def _without_overlaps(spans: list[IdentifierSpan], order: tuple[str, ...]) -> list[IdentifierSpan]:
    """Longest span first (an e-mail address inside a web address is part of the web address); on equal
    length the kind earlier in `order` wins (a valid BSN is reported as a BSN, not as a phone number)."""
    rank = {kind: i for i, kind in enumerate(order)}
    chosen: list[IdentifierSpan] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), rank[s.kind], s.start)):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen)


SPAN_ORDER = ("email", "url", "iban", "bsn", "phone", "postcode")


def find_identifier_spans(text: str, kinds: tuple[str, ...] = SPAN_ORDER) -> list[IdentifierSpan]:
    """Every identifier pattern in `text`, without overlaps, in text order."""
    if not isinstance(text, str) or not text:
        return []
    finders = {
        "email": email_spans, "url": url_spans, "iban": iban_spans, "bsn": bsn_spans,
        "phone": phone_spans, "postcode": postcode_spans,
    }
    spans: list[IdentifierSpan] = []
    for kind in kinds:
        spans.extend(finders[kind](text))
    return _without_overlaps(spans, SPAN_ORDER)


def find_identifier_patterns(text: str) -> list[str]:
    """The kinds of identifier found in `text`, one entry per finding in text order: "email", "phone",
    "iban", "bsn", "postcode". Empty for a clean text. A 9-digit number that fails the BSN eleven test
    and an IBAN with wrong check digits are not findings."""
    return [s.kind for s in find_identifier_spans(text, PATTERN_KINDS)]
