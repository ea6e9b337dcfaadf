"""Identifier patterns in Dutch free text: the public entry point of `verkenning.anonymise.identifiers`, which
finds them with one module per family (e-mail, web addresses and handles, numbers, postcodes, street
addresses, dates of birth, ages).

Independent of deduce: the blocking leak check on published tables uses `find_identifier_patterns`, and the
free-text de-identifier (`verkenning.anonymise.text`) uses `find_identifier_spans`, so what one removes the
other would have caught.
"""

from __future__ import annotations

from verkenning.anonymise.identifiers import (
    PATTERN_KINDS,
    SPAN_ORDER,
    age_spans,
    bsn_spans,
    date_of_birth_spans,
    email_spans,
    find_identifier_patterns,
    find_identifier_spans,
    iban_spans,
    phone_spans,
    postcode_spans,
    street_address_spans,
    url_spans,
)
from verkenning.anonymise.identifiers.common import IdentifierSpan
from verkenning.anonymise.identifiers.numbers import BSN_CANDIDATE_RE, DUTCH_PHONE_RE, IBAN_CANDIDATE_RE, IBAN_START_RE
from verkenning.anonymise.identifiers.web import BARE_DOMAIN_RE, BARE_DOMAIN_TLDS, HANDLE_RE, KNOWN_TLDS, URL_RE

__all__ = [
    "BARE_DOMAIN_RE", "BARE_DOMAIN_TLDS", "BSN_CANDIDATE_RE", "DUTCH_PHONE_RE", "HANDLE_RE", "IBAN_CANDIDATE_RE",
    "IBAN_START_RE", "KNOWN_TLDS", "PATTERN_KINDS", "SPAN_ORDER", "URL_RE", "IdentifierSpan", "age_spans",
    "bsn_spans", "date_of_birth_spans", "email_spans", "find_identifier_patterns", "find_identifier_spans",
    "iban_spans", "phone_spans", "postcode_spans", "street_address_spans", "url_spans",
]
