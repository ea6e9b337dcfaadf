"""Identifier patterns in Dutch free text, found by pattern and confirmed by validation or context where a
pattern alone over-matches:

- e-mail addresses in any spelling: "@", "＠", "(at)", "[at]", "(a)", " at ", "apenstaartje"; "punt", "dot",
  "[dot]" for dots; spaces around the parts; a malformed domain a reader still takes for an address
  ("naam@museum-.nl", "naam@museumnl"). Written-out forms need a known top-level domain at the end;
- web addresses and social-media handles (kind "url");
- phone numbers (phonenumbers, plus the shape of a Dutch number), IBANs (stdnum), BSNs (eleven test);
- postcodes in any case and spacing ("1017 CA", "6596eg", "6596 - EG"); in lower case only when the two
  letters are not a word or unit ("in 2023 de", "1200 en meer"), unless an address cue precedes;
- street addresses: a street name with a street-type word or ending ("Kerkstraat 12a", "Lange Voorhout 3
  hs", "Laan van Meerdervoort 5-II", "Plein 1944 nr 3"), a P.O. box ("Postbus 1234"), or any name after an
  address cue ("adres:", "ik woon aan de ...");
- dates of birth: a date after a birth cue ("geboren", "geb.", "geboortedatum", "born", "DOB", "°") in any
  notation, also a year alone; and, without a cue, a complete date more than 15 years before today;
- ages: a person's age by its cue ("ik ben 58", "58 jaar oud", "58-jarige", "een vrouw van 64", "Jan (58)",
  "leeftijd: 58", "I am 45", "im Alter von 45"), never a duration ("ik ben 30 jaar werkzaam", "al 20 jaar")
  or an answer label ("65 jaar en ouder", "35-44 jaar").

Independent of deduce: the blocking leak check on published tables uses `find_identifier_patterns`, and the
free-text de-identifier (`verkenning.anonymise.text`) uses the same finders, so what one removes the other
would have caught. Every finder starts with a cheap test (a character or word it needs) and uses regular
expressions compiled once: they run on every answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

# The kinds `find_identifier_patterns` reports: everything the de-identifier replaces except web addresses
# (a web address is not personal by itself, but the de-identifier removes it because it often names an
# employer; a social-media handle is reported as a web address).
PATTERN_KINDS = ("email", "phone", "iban", "bsn", "postcode", "street_address", "date_of_birth", "age")


@dataclass(frozen=True, order=True)
class IdentifierSpan:
    start: int
    end: int
    kind: str  # email, url, phone, iban, bsn, postcode, street_address, date_of_birth, age


_S = r"[ \t\u00a0]"  # spaces inside an identifier, never a line break: a line break ends it
_NEXT_TOKEN_RE = re.compile(r"[ \t\u00a0]*(?:([^\W\d_][\w'’]*)|(\d)|(\S))?")


def _next_token(text: str, position: int) -> tuple[str | None, str | None]:
    """The word after `position` (lower case), or else the next non-space character ("" at a line end)."""
    m = _NEXT_TOKEN_RE.match(text, position)
    if m.group(1):
        return m.group(1).lower(), None
    return None, m.group(2) or m.group(3) or ""


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that count or measure what a number before them counts (or continue a range, "tot"): after a number
# they make it a quantity, not a house number or an age.
_COUNT_WORDS = _word_set("""
    jaar jaren jr jaartje maand maanden mnd week weken wk dag dagen uur uren u min minuten minuut sec seconden
    keer maal x procent pct euro eur cent mensen personen medewerkers collega's leden bezoekers deelnemers
    vrijwilligers studenten leerlingen kinderen stuks fte km kilometer m meter cm mm kg kilo gram mb gb tb kb
    pagina's paginas woorden objecten werken musea instellingen organisaties projecten locaties zalen stoelen
    plaatsen punten sterren likes volgers followers views uitgaven boeken titels exemplaren voorstellingen
    concerten tentoonstellingen workshops sessies lessen cursussen vragen antwoorden reacties respondenten
    years year months month weeks week days day hours hour minutes times people visitors members staff
    jahre jahren monate monaten wochen tage tagen stunden minuten mal prozent personen leute besucher
    miljoen miljard duizend honderd million billion thousand mille tot t/m
""")
# Short words that follow a house number or an age in a sentence (not a noun they would count).
_FUNCTION_WORDS = _word_set("""
    de het een en of maar dus want die dat dit deze is was zijn waren wordt werd ben bent heb heeft hebben had
    in op aan te bij met voor naar van uit om tot over onder door na als dan ook nog al wel niet geen er hier
    daar waar wie wat hoe ik je jij u hij zij ze we wij mijn ons onze hun haar zo toen nu sinds tijdens
    the a an and or but so is was are were in on at to for with from of by as it this that i he she we they
    der die das und oder aber ist war im am an auf zu mit von für bei ich er sie es wir
""")
_ENDS_LIKE_PLURAL = ("en", "s", "'s", "’s", "a")


def _counts_something(word: str | None, plural_too: bool) -> bool:
    """Whether the word after a number makes it a count: a unit or a counted noun (with `plural_too` any
    word that looks like a plural noun, "musea", "bezoekers")."""
    if word is None:
        return False
    if word in _COUNT_WORDS:
        return True
    return plural_too and len(word) >= 4 and word not in _FUNCTION_WORDS and word.endswith(_ENDS_LIKE_PLURAL)


# --- e-mail ---------------------------------------------------------------------------------------
# Top-level domains accepted where a written-out form ("punt nl", " at ") could be followed by any word; a
# literal "." after an "@" accepts any alphabetic top-level domain.
KNOWN_TLDS = (
    "nl", "com", "org", "net", "eu", "be", "de", "nu", "info", "frl", "amsterdam", "io", "edu", "gov",
    "uk", "fr", "es", "it", "biz", "online", "studio", "art", "museum", "email", "me", "co", "app", "dev",
    "ch", "lu", "dk", "se", "pl", "pt", "ie", "us", "tv", "fm", "cloud", "shop", "tech", "media", "design",
    "gallery", "events", "berlin", "brussels", "gent", "london", "paris", "nyc", "xyz", "site", "website",
)
_TLD_KNOWN = "(?i:" + "|".join(sorted(KNOWN_TLDS, key=len, reverse=True)) + r")(?![\w-])"
# A top-level domain separated by a space only ("naam apenstaartje museum nl"): the common ones.
_TLD_AFTER_SPACE = r"(?i:nl|com|org|net|eu|info|frl)(?![\w-])"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_LOOSE_LABEL = r"-?[^\W_][\w\-]*"  # a hyphen at the start or end and an underscore still read as an address
_OPEN, _CLOSE = r"[\[\(\{<]", r"[\]\)\}>]"
_APE = r"(?i:ape(?:n)?staart(?:je)?|klammeraffe)"
_DOT_NAME = r"(?i:dot|punt|punkt|point)"
# "punt", "dot", "[dot]", "(punt)", "[.]", also upper case; in an address they stand for a dot.
_DOT_WORD = (
    rf"(?:{_S}{{0,3}}{_OPEN}{_S}{{0,2}}(?:\.|{_DOT_NAME}){_S}{{0,2}}{_CLOSE}{_S}{{0,3}}"
    rf"|{_S}+{_DOT_NAME}{_S}+)"
)
_DOT_ANY = rf"(?:\.+|{_DOT_WORD}|{_S}+\.{_S}*|\.{_S}+|,|．)"
# A local part, or one written with a space between every character ("n a a m").
_LOCAL = (
    rf"(?:(?<![\w.+\-])[A-Za-z0-9](?:{_S}[A-Za-z0-9]){{2,64}}(?={_S}{{0,3}}(?:[@＠﹫\[\(\{{<]|{_APE}))"
    rf"|(?<![\w.+\-%'’])[\w%+\-'’][\w.%+\-'’]{{0,63}}(?:(?:{_DOT_WORD}|{_S}+\.{_S}+)[\w%+\-'’]{{1,64}}){{0,3}})"
)
# Domains: ending in a known top-level domain after any dot (written out, spaced, doubled); ending in any
# alphabetic top-level domain after a literal dot; or anything with letters (after a bare "@" only).
_DOMAIN_KNOWN = rf"(?:{_LOOSE_LABEL}{_DOT_ANY})+{_TLD_KNOWN}"
_DOMAIN_DOTTED = rf"(?:{_DOMAIN_KNOWN}|{_LOOSE_LABEL}(?:\.+{_LOOSE_LABEL})*\.+[^\W\d_]{{2,24}}(?![\w\-]))"
_DOMAIN_LOOSE = rf"(?:{_DOMAIN_KNOWN}|{_LOOSE_LABEL}(?:\.+{_LOOSE_LABEL})*)"
# "naam@museum.nl", "naam＠museum-.nl", "naam@museumnl": letters on both sides of an "@" make an address
# (a handle is "@naam" with nothing before it).
_EMAIL_AT_RE = re.compile(rf"(?P<local>{_LOCAL})[@＠﹫]{{1,2}}(?P<domain>{_DOMAIN_LOOSE})")
# "naam @ museum.nl", "naam (a) museum.nl": the spaced "@" and "(a)" also occur in ordinary sentences
# ("tot later @ kantoor", "optie (a) of (b)"), so the domain must have a dot.
_EMAIL_SPACED_AT_RE = re.compile(
    rf"(?P<local>{_LOCAL})(?:{_S}*[@＠﹫]{_S}*|{_S}{{0,3}}\({_S}?[aA]{_S}?\){_S}{{0,3}})(?P<domain>{_DOMAIN_DOTTED})"
)
# "j.jansen @ rijksmuseum": a spaced "@" before a bare name, when the local part looks like an address or a
# mail cue precedes ("mail naar jansen @ rijksmuseum"), not "tot later @ kantoor".
_EMAIL_SPACED_BARE_RE = re.compile(rf"(?P<local>{_LOCAL}){_S}*[@＠﹫]{_S}*(?P<domain>{_LOOSE_LABEL})(?![\w.\-@])")
_MAIL_CUE_RE = re.compile(r"(?i)\b(?:e-?mail\w*|mail\w*|contact|schrijf|write|schreib\w*)\b[^\n.;!?]{0,15}$")
# "naam[at]museum", "naam (at) museum punt nl", "naam {@} museum.nl": nobody writes these in a sentence.
_EMAIL_BRACKET_AT_RE = re.compile(
    rf"(?P<local>{_LOCAL}){_S}{{0,3}}{_OPEN}{_S}{{0,2}}(?:[@＠﹫]|(?i:at)|{_APE}){_S}{{0,2}}{_CLOSE}{_S}{{0,3}}"
    rf"(?P<domain>{_DOMAIN_LOOSE})"
)
# "naam apenstaartje museum punt nl", "naam apenstaartje museum nl".
_EMAIL_APE_RE = re.compile(
    rf"(?P<local>{_LOCAL}){_S}+{_APE}{_S}+(?P<domain>{_DOMAIN_DOTTED}|{_LOOSE_LABEL}{_S}+{_TLD_AFTER_SPACE})"
)
# "naam at museum punt nl", "naam AT museum.nl": " at " is an English word, so a known top-level domain.
_EMAIL_AT_WORD_RE = re.compile(
    rf"(?P<local>{_LOCAL}){_S}+(?i:at){_S}+(?P<domain>(?P<dotted>{_DOMAIN_KNOWN})|{_LOOSE_LABEL}{_S}+{_TLD_AFTER_SPACE})"
)
# Every character spaced out: "j a n @ m u s e u m . n l".
_EMAIL_SPACED_OUT_RE = re.compile(
    rf"(?<![^\s(<\[])(?P<local>(?:[\w.\-+]{_S}){{1,64}})[@＠﹫](?P<domain>(?:{_S}[\w.\-]){{3,}})(?![^\s)>\],;:!?])"
)
# Words before " at " that make "work at museum.nl" a sentence with a web address, not an address.
_NOT_LOCAL_BEFORE_AT = _word_set("""
    work works worked working look looking looked me us him her them available based find found be been
    is are am was were job intern internship student volunteer here there it up signed register apply
    visit visiting see read published posted live lives living stay stayed arrive arrived meet met
    you we i they aimed aim good better best expert online
""")
_EMAIL_HINT_RE = re.compile(r"\bat\b|\bape|\bklammeraffe|\(\s?a\s?\)")  # on the text in lower case
_AT_WORD_RE = re.compile(r"\bat\b")


def email_spans(text: str) -> list[IdentifierSpan]:
    lowered = text.lower()
    has_sign = "@" in text or "＠" in text or "﹫" in text
    if not has_sign and _EMAIL_HINT_RE.search(lowered) is None:
        return []
    regexes = []
    if has_sign:
        regexes += [_EMAIL_AT_RE, _EMAIL_SPACED_AT_RE, _EMAIL_SPACED_BARE_RE]
    elif "(a)" in lowered or "( a )" in lowered:
        regexes.append(_EMAIL_SPACED_AT_RE)
    if has_sign or "at" in lowered or "ape" in lowered or "affe" in lowered:
        if any(c in text for c in "[({<"):
            regexes.append(_EMAIL_BRACKET_AT_RE)
    if "ape" in lowered or "affe" in lowered:
        regexes.append(_EMAIL_APE_RE)
    if "at" in lowered and _AT_WORD_RE.search(lowered):
        regexes.append(_EMAIL_AT_WORD_RE)
    if has_sign and re.search(r"\s[@＠﹫]\s", text):
        regexes.append(_EMAIL_SPACED_OUT_RE)
    spans = []
    for regex in regexes:
        for m in regex.finditer(text):
            local, domain = m.group("local"), m.group("domain")
            if not any(c.isalpha() for c in domain) or not any(c.isalnum() for c in local):
                continue
            if regex is _EMAIL_AT_WORD_RE:
                if local.lower() in _NOT_LOCAL_BEFORE_AT and "." in domain:
                    continue
                if m.group("dotted") is None and not re.search(r"[._\d]", local):
                    continue  # "naam at museum nl" only with an address-like local part ("j.jansen")
            if regex is _EMAIL_SPACED_OUT_RE and "." not in domain:
                continue
            if regex is _EMAIL_SPACED_BARE_RE and not (
                any(c.isalpha() for c in local)
                and (re.search(r"[._\d]", local) or _MAIL_CUE_RE.search(text, max(0, m.start() - 30), m.start()))
            ):
                continue
            end = m.end()
            while end > m.start("domain") + 1 and text[end - 1] in ".-_":
                end -= 1
            spans.append(IdentifierSpan(m.start(), end, "email"))
    return _merged(spans)


def _merged(spans: list[IdentifierSpan]) -> list[IdentifierSpan]:
    """Overlapping spans of one kind (two spellings of one address, two cues of one age) as one span."""
    merged: list[IdentifierSpan] = []
    for span in sorted(spans):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = IdentifierSpan(last.start, max(last.end, span.end), last.kind)
        else:
            merged.append(span)
    return merged


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
# A social-media handle ("volg me op @marieke_maakt"): an address to a person, reported as a web address.
HANDLE_RE = re.compile(r"(?<![\w@.])[@＠][A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_])(?![\w@])")


def _trim_url(text: str, start: int, end: int) -> int:
    """Drop trailing punctuation from a web address; keep a closing bracket that closes one in it."""
    while end > start and text[end - 1] in _URL_TRAILING:
        closing = text[end - 1]
        opening = {")": "(", "]": "[", "}": "{", ">": "<"}.get(closing)
        if opening and text.count(opening, start, end - 1) > text.count(closing, start, end - 1):
            break
        end -= 1
    return end


def url_spans(text: str) -> list[IdentifierSpan]:
    spans = []
    if "@" in text or "＠" in text:
        spans = [IdentifierSpan(m.start(), m.end(), "url") for m in HANDLE_RE.finditer(text)]
    if "." not in text:
        return spans
    for regex in (URL_RE, BARE_DOMAIN_RE):
        for m in regex.finditer(text):
            end = _trim_url(text, m.start(), m.end())
            if end - m.start() > 4:
                spans.append(IdentifierSpan(m.start(), end, "url"))
    return spans


# --- IBAN, BSN ------------------------------------------------------------------------------------
# A country code, check digits, then up to 30 letters/digits, optionally in groups; validated below.
IBAN_CANDIDATE_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ \-]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
IBAN_START_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[ \-]?[A-Za-z0-9])")
# Nine digits, also written 1234.56.789 or 123 456 789; validated with the eleven test.
BSN_CANDIDATE_RE = re.compile(r"(?<![\d.,\-/])(?:\d{9}|\d{4}[ .]\d{2}[ .]\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\d\-/]|[.,]\d)")


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


# --- phone ----------------------------------------------------------------------------------------
_DIGIT_RE = re.compile(r"\d")
# A Dutch number's shape: +31 / 0031 / 0 then nine digits, with the usual separators. Catches numbers
# phonenumbers rejects (a made-up or mistyped subscriber number is still someone's number to hide).
DUTCH_PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)[ \t]?31[ \t\-.]?(?:\(0\)[ \t\-.]?)?|\(?0)(?:[ \t\-.()/]{0,2}\d){9}(?!\d)"
)
_DATE_START_RE = re.compile(r"\(?0?\d[-/.][01]?\d[-/.](?P<year>(?:19|20)?\d{2})(?!\d)(?![-/.]\d)")


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
    date_match = _DATE_START_RE.match(text, span.start)
    if date_match is None:
        return False
    return len(date_match.group("year")) == 4 or text[span.end:span.end + 1] in {":", "u", "."}


# --- postcode -------------------------------------------------------------------------------------
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
_TWO_LETTER_WORDS = _word_set("""
    de en op in is te ik je we ze al na om af er nu zo ga ja ha he hé eh hm oe oh ok uw ui wc xl pa ma la
    di wo do vr za id ic ip pc tv cv pr hr av ar vr xr ux qr hd it nl uk us vs gb
    an am at of on to my me be do go so up us no he it as or by if hi
    um zu da du es ob im wo
    le du un et il el lo se si ne ce ou au
    kw mw gw wh pk ha ft lb oz mi yd sq hr ct dm nr no ca cq bv nv vs jr wk dg mn ff pg bl
""")
_ATTACHED_UNITS = _word_set("kw mw gw wh pk ha ft lb oz mi yd sq hr ct dm fl eu pc ex")
_POSTCODE_CUE_RE = re.compile(
    r"(?i)(?:\bpostcode|\bpost[ \-]code|\bpc\b|\bzip\b|\bplz\b|\badres|\baddress|\badresse|\bpostbus\b"
    r"|\bwoon|\bgevestigd|\bzitten\s+op|\bzit\s+op)[^\n]{0,30}$"
    r"|\d{1,5}(?:[ \t\-]?[A-Za-z]{1,3})?[ \t]*,[ \t]*$"
)
_CAPITALS_WORD_RE = re.compile(r"(?<![\w])[A-Z]{3,}(?![\w])")
_COMPARATIVES = _word_set("""
    meer minder ouder jonger hoger lager verder later eerder plus geleden terug more less older younger ago mehr weniger
""")
_UNIT_WORDS = _word_set("jr wk dg mn ff pg bl nr no cq bv nv vs")
_DOT_ABBREVIATIONS = _word_set("ex bl fl ff pp bv ca nr st vs cf vb ed")
_PLACE_AFTER_RE = re.compile(r"[ \t]*,?[ \t]*[A-Z][a-zà-ÿ'’\-]{2,}")


def _is_year(digits: str) -> bool:
    return digits.startswith(("19", "20"))


def postcode_spans(text: str) -> list[IdentifierSpan]:
    if not _DIGIT_RE.search(text):
        return []
    spans = []
    all_capitals = None
    for m in _POSTCODE_RE.finditer(text):
        digits, separator, letters = m.groups()
        upper = letters.upper()
        if upper in _NOT_POSTCODE_LETTERS:
            continue
        if letters.isupper():
            if all_capitals is None:  # capitals carry no signal in a text written all in capitals
                all_capitals = not any(c.islower() for c in text) and _CAPITALS_WORD_RE.search(text) is not None
            if not all_capitals:
                # Capitals in a text with lower case: a postcode unless a year and an acronym or a size.
                if upper in _YEAR_ACRONYMS and _is_year(digits):
                    continue
                if not separator and letters.lower() in _UNITS:
                    continue
                spans.append(IdentifierSpan(m.start(), m.end(), "postcode"))
                continue
        # Lower case, mixed case, or a text all in capitals: two letters that form a word or unit are one.
        lower = letters.lower()
        if lower in _DOT_ABBREVIATIONS and text[m.end():m.end() + 1] == ".":
            continue  # "oplage 1500 ex. per titel": an abbreviation
        if not separator:
            if lower in _UNITS or lower in _ATTACHED_UNITS:
                continue  # "2000mb", "1500kw": a size; a word is not written against a number ("1017ca")
        elif lower in _UNITS or lower in _TWO_LETTER_WORDS:
            cue = _POSTCODE_CUE_RE.search(text, max(0, m.start() - 40), m.start())
            following = _next_token(text, m.end())[0]
            # "1017 ca Amsterdam": a place name after it (any word in a text without capitals), not "1200 en
            # meer", "2019 ga ik"; never after a year or for a unit.
            place = (
                not _is_year(digits) and lower not in _UNITS | _ATTACHED_UNITS | _UNIT_WORDS
                and following is not None and len(following) >= 3
                and following not in _FUNCTION_WORDS | _COUNT_WORDS | _COMPARATIVES
                and (_PLACE_AFTER_RE.match(text, m.end()) is not None or _case_blind(text))
            )
            if cue is None and not place:
                continue
        spans.append(IdentifierSpan(m.start(), m.end(), "postcode"))
    return spans


# --- street addresses -----------------------------------------------------------------------------
# Endings of street names that are rarely anything else, also in lower case ("kerkstraat 12").
_STREET_ENDINGS = (
    "straat", "straatje", "laan", "laantje", "gracht", "grachtje", "kade", "singel", "plein", "pleintje", "dijk",
    "steeg", "steegje", "dreef", "plantsoen", "boulevard", "allee", "allée", "burgwal", "voorhout", "weg",
    "hofje", "kaai", "steenweg", "straße", "strasse", "gasse", "platz", "wetering", "promenade", "passage",
    "dwarsweg", "street", "road", "avenue",
)
# Lower-case words with such an ending that are ordinary nouns.
_STREET_ENDING_NOUNS = _word_set("""
    onderweg snelweg uitweg zijweg omweg spoorweg waterweg luchtweg luchtwegen halfweg tussenweg middenweg
    straat laan weg plein kade dijk steeg gracht singel dreef boulevard allee passage promenade
""")
# Endings shared with ordinary nouns ("werkveld", "loopbaan", "arbeidsmarkt"): a street only with a capital
# (or after an address cue).
_WEAK_STREET_ENDINGS = (
    "hof", "park", "pad", "markt", "wal", "haven", "veld", "baan", "ring", "poort", "hoek", "kamp", "erf",
    "zijde", "vest", "tuin", "brink", "hout", "vaart", "sloot", "kanaal", "drift", "oever", "ufer", "damm",
    "plaats", "dam", "berg", "burg", "wijk", "heuvel", "lei",
)
# A type word alone, capitalised, is a street name of its own ("Dam 1", "Markt 12", "Plein 1944 nr 3")
# and one that starts a longer name ("Laan van Meerdervoort", "Hof van Wouw").
_STREET_TYPE_WORDS = _word_set("""
    straat laan weg plein markt park hof kade singel gracht dijk dam wal haven dreef pad steeg brink ring
    vest erf kaai boulevard allee plantsoen promenade passage poort veld drift burgwal voorhout
""")
_PO_BOX_WORDS = _word_set("postbus antwoordnummer postfach")
# Well-known street names without a street-type word (capitalised only).
_NAMED_STREETS = _word_set("rokin spui damrak neude blaak meent binnenrotte kneuterdijk buitenhof binnenhof lijnbaan")
# Words that a version, step, level or product number follows ("Windows 11", "fase 2"): not streets.
_NUMBERED_THINGS = _word_set("""
    windows office python gpt chatgpt ios android macos excel word teams photoshop premiere copilot claude
    gemini llama mistral dall-e midjourney firefly diffusion sora suno udio whisper java html css web
    versie version level fase stap step niveau route lijn tram zaal kamer hal verdieping etage gate peron spoor
    box agenda visie horizon hoofdstuk bijlage vraag pagina artikel punt optie week dag jaar seizoen editie
    aflevering deel groep klas team nummer nr top covid corona zone tier ronde sprint pilot release update
    model generatie klasse categorie type schaal graad prio prioriteit item kwartaal q bus tafel stand
""")
# Capitalised words at the start of a sentence that do not belong to a street name before them.
_NOT_NAME_WORDS = _word_set("""
    ik wij we ons onze mijn je jij u hij zij ze het een op aan in bij naar zie kom welkom bezoek adres
    woon wonen zit zitten gevestigd postadres bezoekadres tot met voor via of en ook daar hier
    i we our my at on in the to see visit address
""")
# Words that come before a type word in a street name ("Oude Gracht", "Korte Vijverberg", "Nieuwe Markt").
_STREET_ADJECTIVES = _word_set("""
    oude oud nieuwe nieuw lange lang korte kort hoge hoog lage laag grote groot kleine klein brede breed smalle
    noord zuid oost west noorder zuider ooster wester binnen buiten achter voor heren keizers prinsen
    sint st. sint-
""")
_NAME_PARTICLES = _word_set("van de der den het 't ’t ter ten te la le du des da di op aan in bij achter voor over onder")
# The number (1-5 digits) after a street name, with "nr"/"no"/"nummer" before it or not.
_NUMBERED_WORD_RE = re.compile(
    rf"(?<![\w\-'’])(?P<word>(?:['’][sS][\- ])?[^\W\d_][\w'’\-]*\.?){_S}*,?{_S}*(?:(?i:nr|no|nummer|huisnummer)\.?:?{_S}*)?"
    r"(?P<number>\d{1,5})(?!\d)(?![.,:]\d)"
)
# What may follow a house number: a letter, "bis", "hs", "II", "-3", "/2", "bus 4", "nr 3", "zwart".
_HOUSE_SUFFIX_RE = re.compile(
    rf"(?:(?:{_S}*[\-/]{_S}*(?:\d{{1,4}}[A-Za-z]?|[A-Za-z]{{1,3}}|(?:IV|V?I{{1,3}}))(?![\w]))"
    r"|(?:[A-Za-z]{1,3}(?![\w\-]))"
    rf"|(?:{_S}+(?:(?i:bis|ter|quater|hs|huis|bg|bgg|beg|bel|boven|bov|bovenhuis|beneden|benedenhuis|rd|zw|ws|achter"
    rf"|zwart|rood)|II|III|IV|[A-Z])(?![\w\-]))"
    rf"|(?:{_S}+[a-z](?={_S}*(?:[,.;:)\n]|$)))"
    rf"|(?:{_S}+(?i:bus|nr|no|nummer|unit|app|apt|kamer)\.?{_S}*\d{{1,4}}[A-Za-z]?(?!\w))"
    r")*"
)
_PO_BOX_RE = re.compile(
    rf"(?i)(?<![\w\-])(?:p\.?{_S}?o\.?{_S}?box|postbus|antwoordnummer|postfach){_S}*[:.]?{_S}*\d{{1,6}}(?!\d)"
)
# English and French order: the number first ("221B Baker Street", "12 rue de la Paix").
_NUMBER_FIRST_STREET_RE = re.compile(
    rf"(?<![\w\-/.,])\d{{1,5}}[A-Za-z]?{_S}+(?:[A-Z][\w'’\-]*{_S}+){{1,3}}"
    r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Way|Square|Sq\.?|Place|Pl\.?|Court|Ct\.?"
    r"|Boulevard|Blvd\.?|Terrace|Crescent|Close|Gardens|Row|Parkway|Highway)(?![\w])"
    rf"|(?<![\w\-/.,])\d{{1,4}},?{_S}+(?:rue|avenue|boulevard|place|chaussée|chemin|allée|quai|impasse)"
    rf"{_S}+(?:(?:de|du|des|la|le|l'|l’|d'|d’){_S}*){{0,2}}[A-Z][\w'’\-]*(?:{_S}+[A-Z][\w'’\-]*){{0,3}}"
)
_NUMBER_FIRST_STREET_BLIND_RE = re.compile(_NUMBER_FIRST_STREET_RE.pattern, re.IGNORECASE)
# Cues for an address: "adres:", "ons bezoekadres is", "ik woon aan de", "we verhuizen naar".
_ADDRESS_CUE_RE = re.compile(
    r"(?i)\b(?:(?:woon|bezoek|post|correspondentie|vestigings|factuur|aflever|retour|verzend|kantoor|werk|huis"
    rf"|privé|prive|thuis|nieuwe?|mijn|ons)?adres(?:gegevens)?|address|adresse|anschrift)\b(?:{_S}+(?:is|was|wordt|luidt|blijft|:))?"
    rf"{_S}*[:=\-–]?{_S}*(?:(?:nu|voortaan|sinds kort|now){_S}+)?(?:(?:de|het|the){_S}+)?"
)
_LIVING_CUE_RE = re.compile(
    r"(?i)\b(?:woon|woont|wonen|woonde|woonden|woonachtig|gevestigd|verhuisd|verhuizen|verhuist|verhuizing"
    r"|zit|zitten|zat|zaten|zetelt|kantoor|atelier|galerie|winkel|depot|studio|ingang|entree|located|based|live"
    rf"|lives|living|wohne|wohnt|wohnen|ondergebracht|huizen|resideren|resideert)\b(?:{_S}+[^\W\d_]+){{0,2}}?{_S}+"
    rf"(?:aan|op|naar|at|on|in|an|am|bij){_S}+(?:(?:de|het|der|dem|den|the){_S}+)?"
)
_LIVING_CUE_HINTS = (
    "woon", "wonen", "gevestigd", "verhui", "zit", "zat", "zetel", "kantoor", "atelier", "galerie", "winkel", "depot",
    "studio", "ingang", "entree", "located", "based", "live", "living", "wohn", "ondergebracht", "huizen", "resid",
)
# Lower-case names are accepted after these cues only (people live on streets, not on "niveau 3").
_RESIDING_CUE_WORDS = ("woon", "wohn", "live", "living", "adres", "address", "anschrift")
_CUE_NAME_RE = re.compile(
    rf"(?P<name>(?:[^\W\d_][\w'’\-]*\.?{_S}+){{1,4}}?)(?:(?i:nr|no|nummer|huisnummer)\.?:?{_S}*)?"
    r"(?P<number>\d{1,5})(?!\d)(?![.,:]\d)"
)


def _street_word_kind(word: str) -> str | None:
    """"po" (a P.O. box), "type" (a type word alone), "strong", "weak" (a street-type ending) or None."""
    lower = word.lower().rstrip(".")
    if lower in _PO_BOX_WORDS:
        return "po"
    if lower in _STREET_TYPE_WORDS or lower in _NAMED_STREETS:
        return "type"
    if word.endswith(".") and not lower.endswith("str"):
        return None  # a sentence ends there
    if lower.endswith(_STREET_ENDINGS) or lower.endswith("str"):
        return "strong"
    if lower.endswith(_WEAK_STREET_ENDINGS):
        return "weak"
    return None


def _case_blind(text: str) -> bool:
    """A text all in lower case or all in capitals: capitals say nothing about names there."""
    return text == text.lower() or text == text.upper()


def _ends_clause(text: str, end: int) -> bool:
    """Whether nothing but punctuation, a line end or a postcode follows: "ik zit op dam 1." """
    word, other = _next_token(text, end)
    return word is None and (other in {"", ",", ".", ";", ":", ")", "!", "?"} or other.isdigit())


def _capitalised(word: str) -> bool:
    if word[:3].lower() in {"'s-", "’s-", "'s ", "’s "}:
        word = word[3:]  # "'s-Gravendijkwal"
    return word[:1].isupper() and not (word.isupper() and len(word) > 1)


_NUMBER_CUE_RE = re.compile(r"(?i)\b(?:nr|no|nummer|huisnummer)\b")
_WORD_BEFORE_RE = re.compile(rf"([^\W\d_][\w'’\-]*\.?){_S}$")


def _name_start(text: str, start: int, limit: int = 4) -> tuple[int, list[str]]:
    """Extend a street name to the left over capitalised words and the particles between them ("Laan van
    Nieuw Oost", "Burgemeester de With"): its start and the words added."""
    words: list[tuple[int, str]] = []
    position = start
    pending: list[tuple[int, str]] = []
    while len(words) + len(pending) < limit:
        m = _WORD_BEFORE_RE.search(text, max(0, position - 40), position)
        if m is None:
            break
        word = m.group(1)
        word_start = m.start()
        lower = word.lower().rstrip(".")
        if _capitalised(word) and lower not in _NOT_NAME_WORDS:
            words.extend(pending)
            pending = []
            words.append((word_start, word))
        elif lower in _NAME_PARTICLES or (word[:1].isupper() and lower in {"de", "het", "van", "den", "ter", "ten"}):
            pending.append((word_start, word))
        else:
            break
        position = word_start
    if not words:
        return start, []
    return words[-1][0], [w for _, w in reversed(words)]


def _after_number(text: str, number_end: int) -> int:
    """The end of a house number with its suffix ("12a", "27-II", "3 hs", "12 bus 4")."""
    return _HOUSE_SUFFIX_RE.match(text, number_end).end()


def _is_quantity(text: str, end: int, plural_too: bool) -> bool:
    """Whether the number before `end` counts or dates something ("12 musea", "20%", "4 mei")."""
    word, other = _next_token(text, end)
    if other in {"%", "+", "x", "×", "°", "€"}:
        return True
    return _counts_something(word, plural_too) or (word is not None and word.rstrip(".") in _MONTHS)


def street_address_spans(text: str) -> list[IdentifierSpan]:
    if not _DIGIT_RE.search(text):
        return []
    spans = [IdentifierSpan(m.start(), m.end(), "street_address") for m in _PO_BOX_RE.finditer(text)]
    blind = _case_blind(text)
    for m in (_NUMBER_FIRST_STREET_BLIND_RE if blind else _NUMBER_FIRST_STREET_RE).finditer(text):
        number = re.match(r"\d+", m.group()).group()
        if not (len(number) == 4 and _is_year(number)):
            spans.append(IdentifierSpan(m.start(), m.end(), "street_address"))
    for m in _NUMBERED_WORD_RE.finditer(text):
        word, number = m.group("word"), m.group("number")
        kind = _street_word_kind(word)
        if kind == "po" or (kind is None and not _capitalised(word)):
            continue  # a P.O. box is found above
        start, name_words = _name_start(text, m.start("word"))
        if kind is None:
            # "Laan van Meerdervoort 5": a capitalised type word starts the name.
            if not any(w.lower() in _STREET_TYPE_WORDS and _capitalised(w) for w in name_words):
                continue
            kind = "strong"
        end = _after_number(text, m.end("number"))
        if len(number) == 4 and _is_year(number) and end == m.end("number") and not _NUMBER_CUE_RE.search(m.group()):
            continue  # "Museumplein 2024", "Plein 1944" without a house number after it
        capital = _capitalised(word)
        if kind == "strong":
            if not capital and word.lower().rstrip(".") in _STREET_ENDING_NOUNS:
                continue
            ok = not _is_quantity(text, end, plural_too=not capital)
        else:
            # A weak ending or a type word alone needs a capital (in a text without capitals: the address ends
            # the clause), and a type word alone only adjectives before it: "Dam 1", "Markt 12", "Oude Haven 5";
            # not "de markt 2 keer", "Jurassic Park 3".
            ok = (capital or (blind and _ends_clause(text, end))) and not _is_quantity(text, end, plural_too=True)
            if kind == "type":
                ok = ok and all(w.lower() in _STREET_ADJECTIVES or w.lower() in _NAME_PARTICLES for w in name_words)
        if ok:
            spans.append(IdentifierSpan(start, end, "street_address"))
    spans.extend(_street_spans_after_cues(text, blind))
    return _merged(spans)


def _street_spans_after_cues(text: str, blind: bool) -> list[IdentifierSpan]:
    """A street name without a street-type word, after an address cue: "adres: Spui 21", "we verhuizen naar
    Achter de Kerk 7", "ik woon aan de lange voorhout 3" (lower case after a cue about living)."""
    spans = []
    lowered = text.lower()
    cue_regexes = []
    if "adres" in lowered or "address" in lowered or "anschrift" in lowered:
        cue_regexes.append(_ADDRESS_CUE_RE)
    if any(hint in lowered for hint in _LIVING_CUE_HINTS):
        cue_regexes.append(_LIVING_CUE_RE)
    for cue_re in cue_regexes:
        for cue in cue_re.finditer(text):
            m = _CUE_NAME_RE.match(text, cue.end())
            if m is None:
                continue
            words = m.group("name").split()
            lowers = [w.lower().rstrip(".") for w in words]
            if lowers[-1] in _NUMBERED_THINGS or any(w in _FUNCTION_WORDS - _NAME_PARTICLES for w in lowers):
                continue  # "we zitten op niveau 3", "ik woon al 20 jaar"
            number = m.group("number")
            if len(number) == 4 and _is_year(number):
                continue
            residing = any(w in cue.group().lower() for w in _RESIDING_CUE_WORDS)
            if not _capitalised(words[0]) and not (residing or blind) and _street_word_kind(words[-1]) is None:
                continue
            end = _after_number(text, m.end("number"))
            if _is_quantity(text, end, plural_too=True):
                continue
            spans.append(IdentifierSpan(m.start(), end, "street_address"))
    return spans


# --- dates of birth -------------------------------------------------------------------------------
_MONTHS = {
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12, "mrt": 3, "okt": 10,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    # German, French
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "dezember": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_MONTH_NUMBER = r"(?:1[0-2]|0?[1-9])"
_YEAR4 = r"(?:1[89]\d\d|20\d\d)"
_YEAR2 = r"(?:['’]?\d\d)"
_DATE_FORMS = (
    # 03/06/1970, 3-6-70, 03.06.1970, 3 / 6 / 1970 (also month first, 06/03/1970, when the day cannot be first)
    rf"(?<![\d/.\-])(?P<d1>{_DAY}){_S}*(?P<s1>[-/.]){_S}*(?P<m1>{_DAY}){_S}*(?P=s1){_S}*(?P<y1>{_YEAR4}|{_YEAR2})(?![\d]|[-/.]\d)",
    # 1970-06-03
    rf"(?<![\d/.\-])(?P<y2>{_YEAR4})(?P<s2>[-/.])(?P<m2>{_MONTH_NUMBER})(?P=s2)(?P<d2>{_DAY})(?![\d]|[-/.]\d)",
    # 3 juni 1970, 3e juni '70, 3rd of June 1970, 3. Juni 1970, 03-jun-1970
    rf"(?<![\w])(?P<d3>{_DAY})(?:e|ste|de|st|nd|rd|th|er|\.)?(?:{_S}*|-)(?:of{_S}+)?(?P<mon3>{_MONTH})\.?(?:,?{_S}*|-)(?P<y3>{_YEAR4}|['’]\d\d)(?![\w])",
    # June 3rd 1970, June 3, 1970, juni 3 1970
    rf"(?<![\w])(?P<mon4>{_MONTH})\.?{_S}+(?P<d4>{_DAY})(?:st|nd|rd|th|e|ste|de)?,?{_S}+(?P<y4>{_YEAR4}|['’]\d\d)(?![\w])",
)
_FULL_DATE_RE = re.compile("|".join(_DATE_FORMS), re.IGNORECASE)
# After a birth cue also eight digits: 03061970 or 19700603.
_COMPACT_DATE_RE = re.compile(
    r"(?<!\d)(?:(?P<d9>[0-3]\d)(?P<m9>[01]\d)(?P<y9>(?:19|20)\d\d)|(?P<y10>(?:19|20)\d\d)(?P<m10>[01]\d)(?P<d10>[0-3]\d))(?!\d)"
)
# After a birth cue also a month and year ("juni 1970") or a year alone ("1970", "'64").
_PARTIAL_DATE_RE = re.compile(
    rf"(?<![\w])(?P<d7>{_DAY})(?:e|ste|de|st|nd|rd|th|er|\.)?(?:{_S}*|-)(?:of{_S}+)?(?P<mon7>{_MONTH})(?![\w])"
    rf"|(?<![\w])(?P<mon8>{_MONTH})\.?{_S}+(?P<d8>{_DAY})(?:st|nd|rd|th|e|ste|de)?(?![\w])"
    rf"|(?<![\w])(?P<mon5>{_MONTH})\.?{_S}+(?P<y5>{_YEAR4}|['’]\d\d)(?![\w])|(?<![\w'’/.\-])(?P<y6>{_YEAR4}|['’]\d\d)(?![\d])",
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
    rf"(?:{_S}*(?:[:=\-–,(]"
    rf"|(?i:te|in|uit|at|à){_S}+(?!(?i:en|and|und|het|de|the){_S})[^\W\d_][\w\-'’]*"  # "te Utrecht", "in zeeland"
    rf"|(?i:{_BIRTH_GAP_WORDS})(?![\w])"
    rf"|[A-Z][a-zà-ÿ'’][\w\-'’]*"  # a place: "geboren Utrecht, 1970"
    rf"){_S}*)*{_S}*"
)

# Words that make a complete date the date of an event ("sinds 1 januari 2000", "opgericht op 3 mei 1985").
_EVENT_CUE_RE = re.compile(
    r"(?i)\b(?:sinds|vanaf|per|tot|t/m|since|from|until|seit|ab|bis|opgericht|geopend|gestart|begonnen|opgeleverd"
    r"|gesloten|overleden|gestorven|founded|opened|established|started|died|gegründet|eröffnet|gestorben)\b[^\n.;!?]{0,20}$"
)
# Cheap tests before the regular expressions: a year (or a two-digit year in a numeric date), a cue's letters.
_SPACES_RE = re.compile(rf"{_S}*")
_YEARISH_RE = re.compile(r"\d{4}|\d[-/.]\d{1,2}[-/.]\d\d|['’]\d\d")
_BIRTH_CUE_HINTS = ("geb", "born", "birth", "dob", "d.o.b", "geburt", "jahrgang", "né", "naissance", "°", "ben van")


def _year_value(raw: str, today: date) -> int:
    digits = raw.lstrip("'’")
    if len(digits) == 4:
        return int(digits)
    value = int(digits)
    return 2000 + value if 2000 + value <= today.year else 1900 + value


_DATE_GROUPS = (
    ("d1", "m1", "y1"), ("d2", "m2", "y2"), ("d3", "mon3", "y3"), ("d4", "mon4", "y4"), ("d9", "m9", "y9"),
    ("d10", "m10", "y10"),
)


def _full_date(m: re.Match[str], today: date) -> date | None:
    """The date a match of `_FULL_DATE_RE` or `_COMPACT_DATE_RE` stands for, or None when it is no date."""
    groups = m.groupdict()
    for d, mo, y in _DATE_GROUPS:
        if groups.get(d) is None:
            continue
        day, year = int(groups[d]), _year_value(groups[y], today)
        month = _MONTHS.get(groups[mo].lower().rstrip(".")) if not groups[mo].isdigit() else int(groups[mo])
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


def date_of_birth_spans(text: str) -> list[IdentifierSpan]:
    if not _DIGIT_RE.search(text):
        return []
    today = date.today()
    spans = []
    # Cue-less: a complete date more than 15 years ago is almost always somebody's birth date in an answer
    # (an event date is recent: "op 12 maart 2024"). A two-digit year written with dots ("1.2.10") may be a
    # version number and needs a cue.
    cutoff = _years_before(today, 15)
    for m in _FULL_DATE_RE.finditer(text) if _YEARISH_RE.search(text) else ():
        if m.group("s1") == "." and len(m.group("y1").lstrip("'’")) == 2:
            continue
        found = _full_date(m, today)
        if found is not None and found < cutoff and not _EVENT_CUE_RE.search(text, max(0, m.start() - 30), m.start()):
            spans.append(IdentifierSpan(m.start(), m.end(), "date_of_birth"))
    lowered = text.lower()
    if not any(hint in lowered for hint in _BIRTH_CUE_HINTS):
        return _merged(spans)
    for cue in _BIRTH_CUE_RE.finditer(text):
        window_end = min(len(text), cue.end() + 60)
        newline = text.find("\n", cue.end(), window_end)
        if newline != -1:
            window_end = newline
        if cue.group() == "°":  # "° 03.06.1970": the date right after the sign, not a temperature
            full = _FULL_DATE_RE.match(text, _SPACES_RE.match(text, cue.end()).end())
        else:
            full = _FULL_DATE_RE.search(text, cue.end(), window_end)
            full = full or _COMPACT_DATE_RE.search(text, cue.end(), window_end)
        partial = _PARTIAL_DATE_RE.match(text, _BIRTH_GAP_RE.match(text, cue.end()).end())
        if full is not None and _full_date(full, today) is not None and (partial is None or full.start() <= partial.start()):
            spans.append(IdentifierSpan(full.start(), full.end(), "date_of_birth"))
        elif partial is not None and not (partial.group("y5") or partial.group("y6")):
            spans.append(IdentifierSpan(partial.start(), partial.end(), "date_of_birth"))  # "geboren 3 juni"
        elif partial is not None:
            year = _year_value(partial.group("y5") or partial.group("y6"), today)
            after, other = _next_token(text, partial.end())
            ranged = other in {"-", "–", "/"} or after in {"tot", "t/m", "until", "bis"}  # "van 2019 tot 2023"
            if 1900 <= year <= today.year - 10 and not ranged:
                spans.append(IdentifierSpan(partial.start(), partial.end(), "date_of_birth"))
    return _merged(spans)


# --- ages -----------------------------------------------------------------------------------------
# An age is found from its number: every number of one to three digits (or a number word) is a candidate,
# and the words before it (a pronoun and "ben", a person noun and "van", "leeftijd") or after it ("jaar
# oud", "-jarige") decide. One scan for numbers and a look at their neighbours keeps this cheap.
_NL_NUMBER_WORDS = (
    r"(?:(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën|-en-))?"
    r"(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)"
    r"|tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien|honderd"
)
_EN_NUMBER_WORDS = (
    r"(?:twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety)(?:[\- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)
_DE_NUMBER_WORDS = (
    r"(?:(?:ein|zwei|drei|vier|fünf|fuenf|sechs|sieben|acht|neun)und)?"
    r"(?:zwanzig|dreißig|dreissig|vierzig|fünfzig|fuenfzig|sechzig|siebzig|achtzig|neunzig)"
)
_AGE_DIGITS_RE = re.compile(r"(?<![\w.,\-/€$+])\d{1,3}(?![\d]|[.,]\d)")
_AGE_NUMBER_WORD_RE = re.compile(
    rf"(?i)(?<![\w\-])(?:{_NL_NUMBER_WORDS}|{_EN_NUMBER_WORDS}|{_DE_NUMBER_WORDS})(?=jarig|jährig|[\W_]|$)"
)
# Letters every number word has: a text without them and without a digit states no age.
_NUMBER_WORD_HINTS = ("tig", "zig", "ßig", "ty", "tien", "teen", "zehn", "elf", "twaalf", "twelve", "zwölf", "honderd")
_YEARS_WORD = r"(?:jaar|jaren|jr\.?|years?|yrs?\.?|jahre|jahren|ans)"
_AGE_TAIL_RE = re.compile(rf"(?i){_S}*-?{_S}*{_YEARS_WORD}(?P<old>(?:{_S}+|-)(?:oud|old|alt|of{_S}+age))?(?![\w])")
_AGE_JARIG_RE = re.compile(r"(?i)[ \t]?-?[ \t]?(?:jarige?n?|jährige?[rnms]?)(?![\w])")
_AGE_SHORT_RE = re.compile(r"(?i)[ \t]?(?:y/o|y\.o\.|yo)(?![\w])")
_AGE_BAND_RE = re.compile(r"(?i)(?:\+|-)?(?:['’\-]?er|plusser|-plusser)(?![\w])")  # "60+'er", "60-plusser"
_AGE_CLOSE_RE = re.compile(rf"(?i)(?:{_S}*(?:jaar|jr\.?|j|years|yrs|jahre))?{_S}*\)")
_GENDER_WORDS = _word_set("m v f w x man vrouw male female mann frau non-binair nonbinair non-binary")
_AGE_THEN_GENDER_RE = re.compile(
    rf"(?i)(?:{_S}*(?:jaar|jr\.?|j|years|yrs))?{_S}*[,/;]{_S}*(?:{'|'.join(sorted(_GENDER_WORDS, key=len, reverse=True))}){_S}*\)"
)
_AGE_THEN_GENDER_WORD_RE = re.compile(rf"(?i)(?:{_S}*(?:jaar|jr\.?|years))?{_S}*,{_S}*(?:man|vrouw|male|female|mann|frau)(?![\w])")
_AGE_THEN_COMMA_RE = re.compile(rf"(?i)(?:{_S}*(?:jaar|jr\.?|years|jahre))?{_S}*,")
_AGE_THEN_VERB_RE = re.compile(rf"(?i){_S}+(?:was|werd|ben|is|word|wordt|turned|war|wurde|bin|werde)(?![\w])")
_LEFT_TOKEN_RE = re.compile(r"[^\W\d_][\w'’\-]*|\S")

_PRONOUNS = _word_set("ik hij zij ze u jij je i he she they ich er sie")
_SELF_VERBS = _word_set("ben bent is was word wordt werd am turn turned are bin ist werde wurde war")
_SELF_ALONE = _word_set("ben bent i'm i’m he's she's he’s she’s j'ai j’ai")
_IS_VERBS = _word_set("is was wordt werd ist war")
_POSSESSIVES = _word_set("mijn onze zijn haar een de my our his her mein meine unser unsere")
_WHEN_WORDS = _word_set("toen als nu sinds omdat dat when since seit wenn")
_ADVERB_WORDS = _word_set("""
    nu inmiddels zelf bijna ruim net pas al ondertussen intussen precies ongeveer rond circa ca begin eind
    midden now almost nearly just already over jetzt fast schon knapp über bald recent onlangs binnenkort
    straks soon zo'n zo’n about around
""")
_ADVERB_PAIRS = frozenset({
    ("in", "de"), ("rond", "de"), ("over", "de"), ("boven", "de"), ("onder", "de"), ("sinds", "kort"),
    ("vorige", "week"), ("volgend", "jaar"), ("volgende", "maand"), ("dit", "jaar"), ("next", "year"),
    ("this", "year"), ("nächstes", "jahr"), ("dieses", "jahr"), ("meer", "dan"), ("more", "than"),
})
_DURATION_ADVERBS = _word_set("al already schon")
_AGE_LABELS = _word_set("leeftijd lft lftd age aged alter âge")
_LABEL_CONNECTORS = _word_set(": = - – ( is van of von de was bedraagt about around ongeveer circa ca nu ruim bijna the")
_AVERAGE_WORDS = _word_set("gemiddelde gemiddeld average mean durchschnittliche durchschnittsalter mediane median")
_BAND_CUES = _word_set("als ben am bin")
_RANGE_BEFORE_RE = re.compile(rf"(?i)\d{_S}*(?:-|–|tot|t/m|en|of|à|a|to|and|or|bis|und|oder){_S}*(?:de{_S}+)?$")
_AVERAGE_BEFORE_RE = re.compile(
    r"(?i)\b(?:gemiddeld|gemiddelde|gemiddeld genomen|doorgaans|meestal|average|averaging|mean|median|mediaan|typically"
    r"|durchschnittlich|im schnitt|durchschnitt)\b(?:[ \t]+\w+){0,3}[ \t]*$"
)
_DETERMINERS = _word_set("de het een dit dat deze die onze ons the a an this that our der die das ein eine dieses")
_ARTICLES = _word_set("een a an ein eine")
# People: "een vrouw van 64", "mijn moeder is 82", "a woman of 64"; compounds end in one ("museumdocent").
_PERSON_NOUN_ENDINGS = (
    "vrouw", "man", "moeder", "vader", "oma", "opa", "dame", "heer", "meneer", "mevrouw", "collega", "jongen",
    "meisje", "zoon", "dochter", "broer", "zus", "zuster", "kind", "vriend", "vriendin", "buurman", "buurvrouw",
    "weduwe", "weduwnaar", "oudere", "senior", "student", "studente", "vrijwilliger", "vrijwilligster",
    "medewerker", "medewerkster", "directeur", "directrice", "kunstenaar", "kunstenares", "docent", "docente",
    "conservator", "conservatrice", "echtgenoot", "echtgenote", "partner", "persoon", "iemand", "tante", "oom",
    "neef", "nicht", "kleinkind", "kleinzoon", "kleindochter", "gepensioneerde", "jongere", "puber", "tiener",
    "bezoeker", "bezoekster", "deelnemer", "deelneemster", "respondent", "stagiair", "stagiaire", "schrijver",
    "schrijfster", "maker", "musicus", "muzikant", "acteur", "actrice", "danser", "danseres", "fotograaf",
    "ontwerper", "ontwerpster", "woman", "lady", "gentleman", "mother", "father", "person", "colleague", "son",
    "daughter", "girl", "boy", "artist", "curator", "frau", "mann", "mutter", "vater", "kollege", "kollegin",
    "künstler", "künstlerin", "kuratorin", "kurator",
)
_CHILD_ENDINGS = ("kind", "zoon", "dochter", "jongen", "meisje", "kleinkind", "puber", "tiener", "son", "daughter", "girl", "boy")
_SELF_WORDS = _word_set("ik ikzelf zelf i myself ich")
# Capitalised words before "is 58" that are no person ("Het is 20 uur", "Nederland is 80% ...").
_CAPITALISED_NOT_NAMES = _word_set("""
    het dit dat er wat die deze hier daar nu dan ook alles niets iets men wie welke
    it this that there what which who everything nothing das es er sie wer was dies
    nederland amsterdam rotterdam utrecht europa ai
""")
# Nouns after "-jarig(e)" that make it the age of a thing: "25-jarig bestaan", "een 3-jarig project".
_NOT_PERSON_AFTER_JARIG = (
    "bestaan", "jubileum", "project", "programma", "periode", "subsidie", "opleiding", "traject", "contract",
    "plan", "samenwerking", "ervaring", "looptijd", "geschiedenis", "regeling", "cyclus", "termijn", "beleid",
    "onderzoek", "studie", "cursus", "festival", "viering", "feest", "editie", "aanstelling", "dienstverband",
    "lidmaatschap", "huwelijk", "relatie", "garantie", "abonnement", "overeenkomst", "pilot", "experiment",
    "tentoonstelling", "reeks", "serie", "loopbaan", "carrière", "praktijk", "oorlog", "bestand", "jubileumjaar",
    "afspraak", "afspraken", "toekenning", "financiering", "bijdrage", "verbouwing", "renovatie", "proef",
    "proeftuin", "strategie", "visie", "agenda", "uitvoering", "verband", "bestaansjaar", "jubilee",
)
# After "jaar" an age ends ("ik ben 58 jaar.", "58 jaar en werk"); a duration goes on ("30 jaar werkzaam").
_AFTER_AGE_YEARS = _word_set("en maar dus oud jong geworden and but so old young und aber alt")
_AFTER_AGE_NUMBER = _word_set("en maar dus geworden jong oud nu inmiddels al hoor ofzo toen want and but so now old young und aber jetzt alt")
_SUBJECT_BEFORE_RE = re.compile(
    rf"(?i)(?:\b(?:het|dit|dat|deze|die|it|this|that|es|das|er)|\b(?:de|het|dit|dat|deze|die|een|onze?|mijn|zijn|haar|hun"
    rf"|the|this|that|our|my|its|der|die|das|dieses?){_S}+(?P<noun>[\w\-]+)){_S}+(?:is|was|wordt|werd|zijn|waren|are|were"
    rf"|ist|war|sind){_S}+(?:(?:al|nu|ruim|bijna|ongeveer|zo'n|meer{_S}+dan|over{_S}+de|more{_S}+than|about|almost|over"
    rf"|fast|über){_S}+)*$"
    rf"|(?i:\b(?:is|was|wordt|werd|zijn|waren|are|were|ist|war|sind){_S}+(?:de|het|dit|dat|deze|die|onze?|the|this|that|our|its"
    rf"|der|die|das|dieses?){_S}+(?P<noun2>[\w\-]+){_S}+)$"
)


def _is_person_noun(word: str) -> bool:
    return word.lower().endswith(_PERSON_NOUN_ENDINGS)


def _strip_adverbs(low: list[str]) -> tuple[list[str], set[str]]:
    """The words before an age without up to two adverbs right before it ("ik ben inmiddels 67")."""
    adverbs: set[str] = set()
    for _ in range(2):
        if len(low) >= 2 and (low[-2], low[-1]) in _ADVERB_PAIRS:
            adverbs.update(low[-2:])
            low = low[:-2]
        elif low and low[-1] in _ADVERB_WORDS:
            adverbs.add(low[-1])
            low = low[:-1]
        elif len(low) >= 2 and low[-1] == "." and low[-2] == "ca":
            low = low[:-2]
    return low, adverbs


def _age_ends_there(text: str, end: int, years: bool, old: bool, strict: bool) -> bool:
    """Whether what follows the age keeps it an age: "ik ben 58 jaar." and "ik ben 58 en werk", but not
    "ik ben 30 jaar werkzaam", "ik ben 3 dagen", "35-44", "58%"."""
    word, other = _next_token(text, end)
    if other in {"-", "–", "/", "%"}:
        following = text[end:end + 6].lstrip(" \t-–/")
        if other == "%" or following[:1].isdigit():
            return False
    if old:
        return True
    if years:
        return word is None or word in _AFTER_AGE_YEARS
    if word is None:
        return True
    if word in _COUNT_WORDS or word.startswith("jaar"):
        return False
    if strict:
        return word in _AFTER_AGE_NUMBER
    return not _counts_something(word, plural_too=True)


def _describes_a_person(text: str, start: int, end: int) -> bool:
    """"58 jaar oud" is a person's age, "het gebouw is 100 jaar oud" and "een 80 jaar oud schilderij" not."""
    following, _ = _next_token(text, end)
    if following and following not in _FUNCTION_WORDS and not _is_person_noun(following) and text[end:end + 1] in " \t":
        return False  # attributive: "een 80 jaar oud gebouw", "a 100-year-old building"
    subject = _SUBJECT_BEFORE_RE.search(text, max(0, start - 60), start)
    if subject is not None:
        noun = subject.group("noun") or subject.group("noun2")
        return bool(noun) and _is_person_noun(noun)
    return True


def _age_at(text: str, start: int, end: int, value: int | None, brackets: int) -> int | None:
    """The end of the age whose number is text[start:end], or None when the number is no person's age."""
    tail = _AGE_TAIL_RE.match(text, end)
    years, old = tail is not None, bool(tail and tail.group("old"))
    age_end = tail.end() if tail else end

    def in_range(low: int) -> bool:
        return value is None or low <= value <= 120

    before = text[max(0, start - 40):start]
    if _RANGE_BEFORE_RE.search(before) or _AVERAGE_BEFORE_RE.search(before):
        return None  # "tussen de 45 en 65 jaar oud", "gemiddeld 58 jaar": a group, not a person

    # After the number: "58 jaar oud", "58-jarige", "45 y/o", "45, vrouw".
    if old:
        return age_end if in_range(0) and _describes_a_person(text, start, age_end) else None
    jarig = _AGE_JARIG_RE.match(text, end)
    if jarig is not None:
        following, _ = _next_token(text, jarig.end())
        group = jarig.group().lower().endswith("jarigen")  # "18-jarigen": an age group
        thing = following is not None and following.endswith(_NOT_PERSON_AFTER_JARIG)
        return jarig.end() if in_range(0) and not (group or thing) else None
    short = _AGE_SHORT_RE.match(text, end)
    if short is not None and in_range(1):
        return short.end()
    if value is not None and value >= 10 and _AGE_THEN_GENDER_WORD_RE.match(text, end):
        return age_end if years else end

    tokens = _LEFT_TOKEN_RE.findall(text, max(0, start - 60), start)
    low = [t.lower() for t in tokens]
    bare, adverbs = _strip_adverbs(low)
    if bare:
        last = bare[-1]
        two = tuple(bare[-2:])
        three = tuple(bare[-3:])
        # "ik ben 58", "ben ik 58", "I'm 45", "ich bin 45": strict about what follows.
        if (last in _SELF_ALONE or (len(two) == 2 and ((two[0] in _PRONOUNS and two[1] in _SELF_VERBS)
                                                      or (two[0] in _SELF_VERBS and two[1] in _PRONOUNS)))):
            duration = years and not old and adverbs & _DURATION_ADVERBS
            if in_range(10) and not duration and _age_ends_there(text, age_end, years, old, strict=True):
                return age_end
        # "Jan is 58", "mijn moeder is 82".
        if len(two) == 2 and two[1] in _IS_VERBS:
            name = tokens[len(bare) - 2]
            person = (len(three) == 3 and three[0] in _POSSESSIVES and _is_person_noun(three[1]))
            named = (_capitalised(name) and two[0] not in _CAPITALISED_NOT_NAMES and two[0] not in _PRONOUNS
                     and not (len(three) == 3 and three[0] in _DETERMINERS))  # "Het Rijksmuseum is 100"
            child = person and three[1].endswith(_CHILD_ENDINGS)
            if (person or named) and in_range(0 if child else 10):
                if _age_ends_there(text, age_end, years, old, strict=True):
                    return age_end
        # "een vrouw van 64", "mijn moeder van 82", "a woman of 64", "eine Frau von 64".
        if len(two) == 2 and two[1] in {"van", "of", "von"} and _is_person_noun(two[0]):
            english_article = len(three) == 3 and three[0] in {"a", "an", "the", "old", "young"}
            child = two[0].endswith(_CHILD_ENDINGS)
            if (two[1] != "of" or english_article) and in_range(0 if child else 14) and _age_ends_there(
                text, age_end, years, old, strict=False
            ):
                return age_end
    # "toen ik 45 was", "when I was 45" (the latter above).
    if len(low) >= 2 and low[-2] in _WHEN_WORDS and low[-1] in _PRONOUNS and in_range(1):
        if _AGE_THEN_VERB_RE.match(text, age_end):
            return age_end
    # "leeftijd: 58", "mijn leeftijd is 58", "op de leeftijd van 58", "at the age of 45", "im Alter von 45".
    label = list(low)
    while label and label[-1] in _LABEL_CONNECTORS and len(low) - len(label) < 4:
        label.pop()
    if label and label[-1] in _AGE_LABELS and not (set(label[-3:-1]) & _AVERAGE_WORDS):
        after = text[age_end:age_end + 20].lower()
        ranged = re.match(rf"{_S}*(?:tot|t/m|to|bis|-|–|en ouder|of ouder|and over|and older|or older|\+)", after)
        # An explicit label: after "jaar" the sentence may go on ("im Alter von 45 Jahren habe ich ...").
        if not ranged and in_range(1) and _age_ends_there(text, age_end, False, old, strict=False):
            return age_end
    if low and low[-1] == "(":
        # "Jan (58)", "mijn vader (82)", "ik (58)", "(v, 64)", "(58, man)".
        close = _AGE_CLOSE_RE.match(text, end)
        if close is not None and len(low) >= 2 and brackets < 3 and in_range(12):
            name = tokens[-2]
            if (((_capitalised(name) or (_case_blind(text) and low[-2] not in _FUNCTION_WORDS))
                 and low[-2] not in _CAPITALISED_NOT_NAMES and low[-2] not in _NUMBERED_THINGS)
                    or _is_person_noun(name) or low[-2] in _SELF_WORDS):
                return age_end if years else end
        if _AGE_THEN_GENDER_RE.match(text, end) and in_range(12):
            return age_end if years else end
    if len(low) >= 3 and low[-3] == "(" and low[-2] in _GENDER_WORDS and low[-1] in {",", "/", ";"}:
        if _AGE_CLOSE_RE.match(text, end) and in_range(12):
            return age_end if years else end
    if len(low) >= 2 and low[-1] == ",":
        # "Vrouw, 58, conservator", "ik, 58, werk".
        if low[-2] in {"man", "vrouw", "male", "female", "mann", "frau"} and in_range(12) and _age_ends_there(
            text, age_end, years, old, strict=False
        ):
            return age_end
        if low[-2] in _SELF_WORDS and in_range(12) and _AGE_THEN_COMMA_RE.match(text, end):
            return age_end
    # "als 60+'er", "ik ben een 60-plusser".
    band = _AGE_BAND_RE.match(text, end)
    if band is not None and low:
        cue = low[-2] if len(low) >= 2 and low[-1] in _ARTICLES else low[-1]
        if cue in _BAND_CUES:
            return band.end()
    return None


def age_spans(text: str) -> list[IdentifierSpan]:
    lowered = text.lower()
    candidates = []
    if _DIGIT_RE.search(text):
        candidates = [(m.start(), m.end(), int(m.group())) for m in _AGE_DIGITS_RE.finditer(text)]
    if any(hint in lowered for hint in _NUMBER_WORD_HINTS):
        candidates += [(m.start(), m.end(), None) for m in _AGE_NUMBER_WORD_RE.finditer(text)]
    if not candidates:
        return []
    brackets = len(re.findall(r"\(\s*\d{1,3}(?:\s*\w+)?\s*\)", text)) if "(" in text else 0
    spans = []
    for start, end, value in candidates:
        age_end = _age_at(text, start, end, value, brackets)
        if age_end is not None:
            spans.append(IdentifierSpan(start, age_end, "age"))
    return _merged(spans)


# --- all ------------------------------------------------------------------------------------------
def _without_overlaps(spans: list[IdentifierSpan], order: tuple[str, ...]) -> list[IdentifierSpan]:
    """Longest span first (an e-mail address inside a web address is part of the web address); on equal
    length the kind earlier in `order` wins (a valid BSN is reported as a BSN, not as a phone number)."""
    rank = {kind: i for i, kind in enumerate(order)}
    chosen: list[IdentifierSpan] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), rank[s.kind], s.start)):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen)


SPAN_ORDER = ("email", "url", "iban", "bsn", "date_of_birth", "phone", "street_address", "postcode", "age")
_FINDERS = {
    "email": email_spans, "url": url_spans, "iban": iban_spans, "bsn": bsn_spans, "phone": phone_spans,
    "postcode": postcode_spans, "street_address": street_address_spans, "date_of_birth": date_of_birth_spans,
    "age": age_spans,
}


def find_identifier_spans(text: str, kinds: tuple[str, ...] = SPAN_ORDER) -> list[IdentifierSpan]:
    """Every identifier pattern in `text`, without overlaps, in text order."""
    if not isinstance(text, str) or not text:
        return []
    spans: list[IdentifierSpan] = []
    for kind in kinds:
        spans.extend(_FINDERS[kind](text))
    return _without_overlaps(spans, SPAN_ORDER)


def find_identifier_patterns(text: str) -> list[str]:
    """The kinds of identifier found in `text`, one entry per finding in text order: "email", "phone",
    "iban", "bsn", "postcode", "street_address", "date_of_birth", "age". Empty for a clean text. A 9-digit
    number that fails the BSN eleven test and an IBAN with wrong check digits are not findings."""
    return [s.kind for s in find_identifier_spans(text, PATTERN_KINDS)]
