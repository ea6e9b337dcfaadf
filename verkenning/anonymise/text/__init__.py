"""De-identification of free text (open answers, sticky notes): names, organisations, contact details,
addresses, dates of birth, ages and numbers replaced by typed, unnumbered placeholders such as [PERSOON].

Built on deduce's engine (docdeid): deduce's own annotators find Dutch names, places and streets; the
project's recognisers run as docdeid annotators on the same document, docdeid's overlap
resolver chooses between them, and the project's processors correct and complete the names. The parts:

- `words`: word lists, kept as reference files in schemas/reference/text/, and deduce's lookup lists;
- `language`: each answer's language (Dutch name lists are not applied to English or German words);
- `names`: names the wave knows (participants, organisations, the project's list of institutions);
- `annotators`: structured identifiers, names the wave knows, organisations by their form;
- `context`: names by their context (roles, appositions, employers, capitalised runs);
- `processors`: deduce's hits checked, and one placeholder for one whole name;
- `view`: the text as deduce reads it, names in capitals or lower case given a capital;
- `common`: what those share; `spans`: spans and text helpers;
- `deidentifier`: the assembly, `TextDeidentifier`.

Decisions:
- structured identifiers (e-mail in any spelling, phone, IBAN, BSN, postcode, web address, handle, street
  address, date of birth, a person's age) come from `identifier_patterns`, which the blocking leak check
  shares, so what the check looks for the de-identifier removes;
- a known person (the `people` argument) is redacted as full name in any case and spacing; the surname
  alone, the first name alone and "initial surname" only when written with a capital and when the word is not
  an ordinary word. A lone first name in a workshop note identifies a participant;
- in a Dutch sentence a run of capitalised words in mid-sentence is a name (only names are capitalised
  there) unless its words are ordinary words, languages, tools or famous names; at a sentence start a name
  needs a cue (a role, an apposition, a first name);
- places become [LOCATIE]: in free text a town is a quasi-identifier the coarsened region does not cover;
- famous artists and royals and AI tool names are not people here;
- [NUMMER] replaces another long number (7+ digits); [VERWIJDERD] replaces a whole text whose
  de-identification failed, so that nothing unchecked is published.
"""

from verkenning.anonymise.text.deidentifier import (
    DEDUCE_DISABLED,
    PARALLEL_MIN_TEXTS,
    Deidentified,
    Pending,
    TextDeidentifier,
    shared_workers,
)
from verkenning.anonymise.text.placeholders import (
    ADDRESS,
    AGE,
    BSN,
    DATE_OF_BIRTH,
    EMAIL,
    IBAN,
    IDENTIFIER_PLACEHOLDERS,
    LOCATION,
    NUMBER,
    ORGANISATION,
    PERSON,
    PHONE,
    PLACEHOLDERS,
    POSTCODE,
    REMOVED,
    URL,
)
from verkenning.anonymise.text.spans import Span
from verkenning.anonymise.text.words import INSTITUTIONS_FILE, load_deduce, read_institution_list

__all__ = [
    "ADDRESS", "AGE", "BSN", "DATE_OF_BIRTH", "DEDUCE_DISABLED", "EMAIL", "IBAN", "IDENTIFIER_PLACEHOLDERS",
    "INSTITUTIONS_FILE", "LOCATION", "NUMBER", "ORGANISATION", "PARALLEL_MIN_TEXTS", "PERSON", "PHONE",
    "PLACEHOLDERS", "POSTCODE", "REMOVED", "URL", "Deidentified", "Span", "TextDeidentifier", "load_deduce",
    "read_institution_list", "Pending", "shared_workers",
]
