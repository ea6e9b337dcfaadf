"""Identifier patterns in Dutch (also English and German) free text, one module per family:

- `email`: e-mail addresses in any spelling;
- `web`: web addresses (any real top-level domain) and social-media handles (kind "url");
- `numbers`: IBANs, BSNs, phone numbers (also spelled out in words);
- `postcode`: Dutch postcodes in any case and spacing, foreign ones;
- `address`: street addresses, P.O. boxes;
- `dates`: dates of birth;
- `age` (with `age_words`): a person's age;
- `common`, `numberwords`: what they share.

Long word lists are reference files (schemas/reference/identifiers/*.txt). Every finder starts with a cheap
test (a character or word it needs) and uses regular expressions compiled once: they run on every answer.
`verkenning.anonymise.identifier_patterns` is the public entry point.
"""

from __future__ import annotations

from verkenning.anonymise.identifiers.address import street_address_spans
from verkenning.anonymise.identifiers.age import age_spans
from verkenning.anonymise.identifiers.common import IdentifierSpan
from verkenning.anonymise.identifiers.dates import date_of_birth_spans
from verkenning.anonymise.identifiers.email import email_spans
from verkenning.anonymise.identifiers.numbers import bsn_spans, iban_spans, phone_spans
from verkenning.anonymise.identifiers.postcode import postcode_spans
from verkenning.anonymise.identifiers.web import url_spans

# The kinds `find_identifier_patterns` reports: everything the de-identifier replaces except web addresses
# (a web address is not personal by itself, but the de-identifier removes it because it often names an
# employer; a social-media handle is reported as a web address).
PATTERN_KINDS = ("email", "phone", "iban", "bsn", "postcode", "street_address", "date_of_birth", "age")
# Overlapping spans of equal length: the kind earlier here wins (a valid BSN is a BSN, not a phone number).
SPAN_ORDER = ("email", "url", "iban", "bsn", "date_of_birth", "phone", "street_address", "postcode", "age")
FINDERS = {
    "email": email_spans, "url": url_spans, "iban": iban_spans, "bsn": bsn_spans, "phone": phone_spans,
    "postcode": postcode_spans, "street_address": street_address_spans, "date_of_birth": date_of_birth_spans,
    "age": age_spans,
}
_RANK = {kind: i for i, kind in enumerate(SPAN_ORDER)}


def _without_overlaps(spans: list[IdentifierSpan]) -> list[IdentifierSpan]:
    """Longest span first (an e-mail address inside a web address is part of the web address); on equal
    length the kind earlier in `SPAN_ORDER` wins."""
    chosen: list[IdentifierSpan] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), _RANK[s.kind], s.start)):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen)


def find_identifier_spans(text: str, kinds: tuple[str, ...] = SPAN_ORDER) -> list[IdentifierSpan]:
    """Every identifier pattern in `text`, without overlaps, in text order."""
    if not isinstance(text, str) or not text:
        return []
    spans: list[IdentifierSpan] = []
    for kind in kinds:
        spans.extend(FINDERS[kind](text))
    return _without_overlaps(spans)


def find_identifier_patterns(text: str) -> list[str]:
    """The kinds of identifier found in `text`, one entry per finding in text order: "email", "phone",
    "iban", "bsn", "postcode", "street_address", "date_of_birth", "age". Empty for a clean text. A 9-digit
    number that fails the BSN eleven test and a code in no country's IBAN format are not findings (an IBAN with
    mistyped check digits is)."""
    return [s.kind for s in find_identifier_spans(text, PATTERN_KINDS)]
