"""The typed, unnumbered placeholders that replace identifiers in free text."""

from __future__ import annotations

PERSON = "[PERSOON]"
ORGANISATION = "[ORGANISATIE]"
EMAIL = "[EMAIL]"
PHONE = "[TELEFOON]"
LOCATION = "[LOCATIE]"
ADDRESS = "[ADRES]"  # a street with its house number, or a P.O. box
POSTCODE = "[POSTCODE]"
URL = "[URL]"  # also a social-media handle
IBAN = "[IBAN]"
BSN = "[BSN]"
DATE_OF_BIRTH = "[GEBOORTEDATUM]"
AGE = "[LEEFTIJD]"
NUMBER = "[NUMMER]"  # another long number (7+ digits: a customer, KvK or file number)
REMOVED = "[VERWIJDERD]"  # the whole text, when de-identifying it failed: never publish what was not checked
PLACEHOLDERS: tuple[str, ...] = (
    PERSON, ORGANISATION, EMAIL, PHONE, LOCATION, ADDRESS, POSTCODE, URL, IBAN, BSN, DATE_OF_BIRTH, AGE, NUMBER, REMOVED,
)

# The kinds of `identifier_patterns` onto placeholders.
IDENTIFIER_PLACEHOLDERS = {
    "email": EMAIL, "url": URL, "handle": URL, "iban": IBAN, "bsn": BSN, "phone": PHONE, "postcode": POSTCODE,
    "street_address": ADDRESS, "date_of_birth": DATE_OF_BIRTH, "age": AGE,
}
