"""Postcodes:

- Dutch, in any case and spacing ("1017 CA", "6596eg", "6596 - EG", "NL-1234 AB" with its prefix); in lower
  case or against a unit's letters ("2000mb", "5211DL") only when the letters are not a word or unit ("in
  2023 de", "1200 en meer"), unless an address cue precedes ("postcode 5211DL", "wij zitten op 1234AB");
- foreign ones with a country prefix ("D-12345", "B-1000", "CH-8001");
- four or five digits and a capitalised place after a street address or an address cue ("Hauptstraße 12,
  47533 Kleve", "Adresse: 12345 Musterstadt", "Meir 12, 2000 Antwerpen"), never an amount ("47533 bezoekers").
"""

from __future__ import annotations

import re

from verkenning.anonymise.identifiers.common import (
    COUNT_WORDS,
    DIGIT_RE,
    FUNCTION_WORDS,
    MONTHS,
    NUMBERED_THINGS,
    IdentifierSpan,
    case_blind,
    is_year,
    merged,
    next_token,
    word_set,
)

# Four digits (not starting with 0), then two letters, with or without spaces or a hyphen between.
_POSTCODE_RE = re.compile(
    r"(?:(?<=\b[Nn][Ll]-)|(?<![\w\-/.,+€$#:]))([1-9]\d{3})((?:[ \t\u00a0]{1,3})?(?:-[ \t\u00a0]{0,2})?)([A-Za-z]{2})(?![\w\-'’])"
)
# Dutch postcodes never use SA, SD or SS. A year followed by a common acronym ("in 2024 AI-beleid")
# and sizes written without a space ("2000mb") are not postcodes.
_NOT_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})
_YEAR_ACRONYMS = frozenset({
    "AI", "EU", "VR", "AR", "XR", "IT", "NL", "UK", "US", "VS", "PR", "HR", "AV", "TV", "CV", "OK", "EN",
    "NU", "DE", "IK", "OP", "IN", "IS", "AD", "BC", "GB", "MB", "KB", "TB", "HD", "UX", "UI", "QR",
})
_UNITS = frozenset({
    "mb", "kb", "gb", "tb", "pb", "mg", "kg", "gr", "km", "cm", "mm", "ml", "cl", "dl", "px", "pt", "hz",
    "ms", "ie", "st", "ad", "bc", "nd", "th", "rd", "fps", "dpi", "pp", "eu", "ai",
})
# Two-letter words (Dutch, English, German, French) and abbreviations that follow a number in a sentence
# ("in 2023 de", "1200 en meer", "sinds 2019 ga ik"): in lower case such letters are read as a word.
_TWO_LETTER_WORDS = word_set("""
    de en op in is te ik je we ze al na om af er nu zo ga ja ha he hé eh hm oe oh ok uw ui wc xl pa ma la
    di wo do vr za id ic ip pc tv cv pr hr av ar vr xr ux qr hd it nl uk us vs gb
    an am at of on to my me be do go so up us no he it as or by if hi
    um zu da du es ob im wo ab
    le du un et il el lo se si ne ce ou au
    kw mw gw wh pk ha ft lb oz mi yd sq hr ct dm nr no ca cq bv nv vs jr wk dg mn ff pg bl
""")
_ATTACHED_UNITS = word_set("kw mw gw wh pk ha ft lb oz mi yd sq hr ct dm fl eu pc ex")
_POSTCODE_CUE_RE = re.compile(
    r"(?i)(?:\bpostcode|\bpost[ \-]code|\bpc\b|\bzip\b|\bplz\b|\badres|\baddress|\badresse|\banschrift|\bpostbus\b"
    r"|\bwoon|\bwohn|\bgevestigd|\bzitten\s+op|\bzit\s+op|\bsitz\b|\bansässig)[^\n]{0,30}$"
    r"|\d{1,5}(?:[ \t\-]?[A-Za-z]{1,3})?[ \t]*,[ \t]*$"
)
_CAPITALS_WORD_RE = re.compile(r"(?<![\w])[A-Z]{3,}(?![\w])")
_COMPARATIVES = word_set("""
    meer minder ouder jonger hoger lager verder later eerder plus geleden terug more less older younger ago mehr weniger
""")
_UNIT_WORDS = word_set("jr wk dg mn ff pg bl nr no cq bv nv vs")
_DOT_ABBREVIATIONS = word_set("ex bl fl ff pp bv ca nr st vs cf vb ed")
_DATA_UNITS = word_set("mb kb gb tb pb px hz ms")
_NOT_PLACES = FUNCTION_WORDS | COUNT_WORDS | _COMPARATIVES | word_set("per pro")
_PLACE_AFTER_RE = re.compile(r"[ \t]*,?[ \t]*[A-Z][a-zà-ÿ'’\-]{2,}")

# Foreign postcodes with the country's letters: "D-12345", "B-1000", "CH-8001", "NL-1234".
_PREFIXED = r"(?<![\w\-])(?:D|DE|B|BE|A|AT|F|FR|L|LU|CH|NL|DK|S|SE|FI|FIN|N|NO|I|IT|E|ES|P|PT|PL|CZ|H|HU)-\d{4,5}(?![\d\-]|[.,]\d)"
_PREFIXED_RE = re.compile(_PREFIXED)
_PREFIXED_BLIND_RE = re.compile(_PREFIXED, re.IGNORECASE)
# Four or five digits and a capitalised place ("47533 Kleve", "1000 Brussel", "60311 Frankfurt am Main").
_CODE_AND_PLACE = (
    r"(?<![\w\-/.,€$+#:])(?P<code>[1-9]\d{3,4})[ \t\u00a0]+(?P<place>[A-ZÄÖÜÉ][a-zäöüßàâçéèêëîïôûü'’\-]+)(?![\w])"
)
_CODE_AND_PLACE_RE = re.compile(_CODE_AND_PLACE)
_CODE_AND_PLACE_BLIND_RE = re.compile(_CODE_AND_PLACE, re.IGNORECASE)  # a text all in lower case or capitals
# A street address just before: "Hauptstraße 12, ", "Meir 12a, ".
_STREET_BEFORE_RE = re.compile(
    r"(?P<street>[^\W\d_][\w'’.\-]*)[ \t]+\d{1,5}(?:[ \t]?[A-Za-z]{1,3}|[\-/]\w{1,4})?[ \t]*(?P<comma>,?)[ \t]*$"
)


def _place_word_after(text: str, end: int) -> bool:
    """Whether a word that may be a place follows: not a function word, a count or a comparative."""
    following = next_token(text, end)[0]
    return following is not None and len(following) >= 3 and following not in _NOT_PLACES


def _cue_before(text: str, start: int) -> bool:
    return _POSTCODE_CUE_RE.search(text, max(0, start - 40), start) is not None


def _dutch_spans(text: str) -> list[IdentifierSpan]:
    spans = []
    all_capitals = None
    for m in _POSTCODE_RE.finditer(text):
        digits, separator, letters = m.groups()
        upper = letters.upper()
        if upper in _NOT_POSTCODE_LETTERS:
            continue
        # "NL-1234 AB": the country's letters belong to the postcode.
        start = m.start() - 3 if text[max(0, m.start() - 3):m.start()].upper() == "NL-" else m.start()
        span = IdentifierSpan(start, m.end(), "postcode")
        if letters.isupper():
            if all_capitals is None:  # capitals carry no signal in a text written all in capitals
                all_capitals = not any(c.islower() for c in text) and _CAPITALS_WORD_RE.search(text) is not None
            if not all_capitals:
                # Capitals in a text with lower case: a postcode unless a year and an acronym or a size ("2000MB"),
                # and a size only without a place after it or an address cue before it ("zitten op 5211DL").
                if upper in _YEAR_ACRONYMS and is_year(digits):
                    continue
                if not separator and (letters.lower() in _UNITS or letters.lower() in _ATTACHED_UNITS):
                    # "2000MB opslag" is a size; "6511KG nijmegen" (a unit rarely written so) a postcode.
                    place = _PLACE_AFTER_RE.match(text, m.end()) is not None or (
                        letters.lower() not in _DATA_UNITS and _place_word_after(text, m.end())
                    )
                    if not place and not _cue_before(text, m.start()):
                        continue
                spans.append(span)
                continue
        # Lower case, mixed case, or a text all in capitals: two letters that form a word or unit are one.
        lower = letters.lower()
        if lower in _DOT_ABBREVIATIONS and text[m.end():m.end() + 1] == ".":
            continue  # "oplage 1500 ex. per titel": an abbreviation
        if not separator:
            if (lower in _UNITS or lower in _ATTACHED_UNITS) and not _cue_before(text, m.start()):
                continue  # "2000mb", "1500kw": a size; a word is not written against a number ("1017ca")
        elif lower in _UNITS or lower in _TWO_LETTER_WORDS:
            # "1017 ca Amsterdam": a place name after it (any word in a text without capitals), not "1200 en
            # meer", "2019 ga ik"; never after a year or for a unit.
            place = (
                not is_year(digits) and lower not in _UNITS | _ATTACHED_UNITS | _UNIT_WORDS
                and _place_word_after(text, m.end())
                and (_PLACE_AFTER_RE.match(text, m.end()) is not None or case_blind(text))
            )
            if not place and not _cue_before(text, m.start()):
                continue
        spans.append(span)
    return spans


def _foreign_spans(text: str) -> list[IdentifierSpan]:
    blind = case_blind(text)
    prefixed = _PREFIXED_BLIND_RE if blind else _PREFIXED_RE
    spans = [IdentifierSpan(m.start(), m.end(), "postcode") for m in prefixed.finditer(text)] if "-" in text else []
    for m in (_CODE_AND_PLACE_BLIND_RE if blind else _CODE_AND_PLACE_RE).finditer(text):
        if m.group("place").lower() in _NOT_PLACES:
            continue  # "47533 Besucher"
        year = len(m.group("code")) == 4 and is_year(m.group("code"))
        before = _STREET_BEFORE_RE.search(text, max(0, m.start() - 60), m.start())
        word = before.group("street") if before else ""
        street = before is not None and (before.group("comma") or not year) and (
            word[:1].isupper() or (blind and word.lower() not in FUNCTION_WORDS)
        ) and word.lower().rstrip(".") not in NUMBERED_THINGS and word.lower().rstrip(".") not in MONTHS
        if street or (_cue_before(text, m.start()) and not year):
            spans.append(IdentifierSpan(m.start("code"), m.end("code"), "postcode"))
    return spans


# A British postcode: an outward code ("G4", "SW1A", "M60") and an inward code of a digit and two letters of
# the twenty it uses; in capitals with its space, as written ("G4 9JZ", "SW1A 1AA").
_UK_POSTCODE_RE = re.compile(r"(?<![\w\-])(?:[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?|GIR)[ \t\u00a0]\d[ABD-HJLNP-UW-Z]{2}(?![\w\-])")


def postcode_spans(text: str) -> list[IdentifierSpan]:
    if not DIGIT_RE.search(text):
        return []
    british = [IdentifierSpan(m.start(), m.end(), "postcode") for m in _UK_POSTCODE_RE.finditer(text)]
    return merged(_dutch_spans(text) + _foreign_spans(text) + british)
