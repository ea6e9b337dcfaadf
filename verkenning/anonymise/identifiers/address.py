"""Street addresses: a street name with a street-type word or ending and a house number with any suffix
("Kerkstraat 12a", "Lange Voorhout 3 hs", "Laan van Meerdervoort 5-II", "Plein 1944 nr 3", "Kerkstraat
12-3hg", "12A-B", "2e Jan Steenstraat 40"); a P.O. box ("Postbus 1234"); the number first ("221B Baker
Street", "12 rue de la Paix"); any capitalised name and number just before a postcode ("Oude Delft 12 A,
2611 cd Delft"); any name after an address cue ("adres:", "ik woon aan de ...", "we verhuizen in september
naar ..."). The street-name words are reference lists (schemas/reference/identifiers/street_*.txt)."""

from __future__ import annotations

import re

from verkenning.anonymise.identifiers.common import (
    DIGIT_RE,
    FUNCTION_WORDS,
    MONTHS,
    NUMBERED_THINGS,
    S,
    IdentifierSpan,
    capitalised,
    case_blind,
    counts_something,
    is_year,
    merged,
    next_token,
    reference_words,
    word_set,
)
from verkenning.anonymise.identifiers.postcode import postcode_spans

STREET_ENDINGS = tuple(sorted(reference_words("street_endings.txt")))
STREET_ENDINGS_WEAK = tuple(sorted(reference_words("street_endings_weak.txt")))
# A type word alone, capitalised, is a street name of its own ("Dam 1", "Markt 12"), and one that starts a
# longer name ("Laan van Meerdervoort"); also well-known street names without one ("Spui 21").
STREET_TYPE_WORDS = reference_words("street_type_words.txt")
# Lower-case words with a street name's ending that are ordinary nouns.
_STREET_ENDING_NOUNS = word_set("""
    onderweg snelweg uitweg zijweg omweg spoorweg waterweg luchtweg luchtwegen halfweg tussenweg middenweg
    straat laan weg plein kade dijk steeg gracht singel dreef boulevard allee passage promenade
""")
_PO_BOX_WORDS = word_set("postbus antwoordnummer postfach")
# Capitalised words at the start of a sentence that do not belong to a street name before them.
_NOT_NAME_WORDS = word_set("""
    ik wij we ons onze mijn je jij u hij zij ze het een op aan in bij naar zie kom welkom bezoek adres
    woon wonen zit zitten gevestigd postadres bezoekadres tot met voor via of en ook daar hier
    i we our my at on in the to see visit address
""")
# Words that come before a type word in a street name ("Oude Gracht", "Korte Vijverberg", "Nieuwe Markt").
_STREET_ADJECTIVES = word_set("""
    oude oud nieuwe nieuw lange lang korte kort hoge hoog lage laag grote groot kleine klein brede breed smalle
    noord zuid oost west noorder zuider ooster wester binnen buiten achter voor heren keizers prinsen
    sint st. sint-
""")
_NAME_PARTICLES = word_set("van de der den het 't ’t ter ten te la le du des da di op aan in bij achter voor over onder")
_NOT_IN_NAMES = FUNCTION_WORDS - _NAME_PARTICLES
# The number (1-5 digits) after a street name, with "nr"/"no"/"nummer" before it or not.
_NUMBERED_WORD_RE = re.compile(
    rf"(?<![\w\-'’])(?P<word>(?:['’][sS][\- ])?[^\W\d_][\w'’\-]*\.?){S}*,?{S}*(?:(?i:nr|no|nummer|huisnummer)\.?:?{S}*)?"
    r"(?P<number>\d{1,5})(?!\d)(?![.,:]\d)"
)
# What may follow a house number: a letter, "bis", "hs", "II", "-3", "/2", "-3hg", "-huis", "A-B", "a/b",
# "bus 4", "nr 3", "3 hoog", "zwart".
_HOUSE_SUFFIX_RE = re.compile(
    rf"(?:(?:{S}*[\-/]{S}*(?:\d{{1,4}}(?:[A-Za-z]{{1,4}})?|[A-Za-z]{{1,3}}|(?i:huis|hoog|boven|beneden|achter)"
    r"|(?:IV|V?I{1,3}))(?![\w]))"
    r"|(?:[A-Za-z]{1,3}(?![\w]))"
    rf"|(?:{S}+(?:(?i:bis|ter|quater|hs|huis|bg|bgg|beg|bel|boven|bov|bovenhuis|beneden|benedenhuis|rd|zw|ws|achter"
    rf"|zwart|rood)|II|III|IV|[A-Z])(?![\w\-]))"
    rf"|(?:{S}+[a-z](?={S}*(?:[,.;:)\n]|$)))"
    rf"|(?:{S}+\d{{1,2}}{S}?(?i:hg|hoog|h)(?![\w]))"
    rf"|(?:{S}+(?i:bus|nr|no|nummer|unit|app|apt|kamer)\.?{S}*\d{{1,4}}[A-Za-z]?(?!\w))"
    r")*"
)
# "2e Jan Steenstraat", "1ste Helmersstraat": an ordinal before the name belongs to it.
_ORDINAL_BEFORE_RE = re.compile(rf"(?<![\w.,])[1-9]\d?(?:e|ste|de){S}+$")
# Where a postcode right after the house number would start: "Oude Delft 12 A, 2611 cd Delft".
_POSTCODE_AFTER_RE = re.compile(rf"{S}*,?{S}*(?=[1-9]\d{{3}}{S}?[A-Za-z]{{2}}(?![\w]))")
_PO_BOX_RE = re.compile(
    rf"(?i)(?<![\w\-])(?:p\.?{S}?o\.?{S}?box|postbus|antwoordnummer|postfach){S}*[:.]?{S}*\d{{1,6}}(?:[ \t]\d{{2,3}}){{0,3}}(?!\d)"  # "Postfach 11 02 37"
)
# English and French order: the number first ("221B Baker Street", "12 rue de la Paix").
# A flat or unit before it belongs to the address ("Unit 4, 27 Shamrock Street", "Flat 2B, 10 Hill Road").
_NUMBER_FIRST_STREET_RE = re.compile(
    rf"(?:(?<![\w\-])(?:Unit|Flat|Apartment|Apt\.?|Suite|Studio|Room){S}+\d{{1,4}}[A-Za-z]?{S}*,?{S}*)?"
    rf"(?<![\w\-/.])\d{{1,5}}[A-Za-z]?{S}+(?:[A-Z][\w'’\-]*{S}+){{1,3}}"
    r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Way|Square|Sq\.?|Place|Pl\.?|Court|Ct\.?"
    r"|Boulevard|Blvd\.?|Terrace|Crescent|Close|Gardens|Row|Parkway|Highway)(?![\w])"
    rf"|(?<![\w\-/.,])\d{{1,4}},?{S}+(?:rue|avenue|boulevard|place|chaussée|chemin|allée|quai|impasse)"
    rf"{S}+(?:(?:de|du|des|la|le|l'|l’|d'|d’){S}*){{0,2}}[A-Z][\w'’\-]*(?:{S}+[A-Z][\w'’\-]*){{0,3}}"
)
_NUMBER_FIRST_STREET_BLIND_RE = re.compile(_NUMBER_FIRST_STREET_RE.pattern, re.IGNORECASE)
# Cues for an address: "adres:", "ons bezoekadres is", "ik woon aan de", "we verhuizen naar".
_ADDRESS_CUE_RE = re.compile(
    r"(?i)\b(?:(?:woon|bezoek|post|correspondentie|vestigings|factuur|aflever|retour|verzend|kantoor|werk|huis"
    rf"|privé|prive|thuis|nieuwe?|mijn|ons)?adres(?:gegevens)?|address|adresse|anschrift)\b(?:{S}+(?:is|was|wordt|luidt|blijft|:))?"
    rf"{S}*[:=\-–]?{S}*(?:(?:nu|voortaan|sinds kort|now){S}+)?(?:(?:de|het|the){S}+)?"
)
_LIVING_CUE_RE = re.compile(
    r"(?i)\b(?:woon|woont|wonen|woonde|woonden|woonachtig|gevestigd|verhuisd|verhuizen|verhuist|verhuizing"
    r"|zit|zitten|zat|zaten|zetelt|kantoor|atelier|galerie|winkel|depot|studio|ingang|entree|located|based|live"
    rf"|lives|living|wohne|wohnt|wohnen|ondergebracht|huizen|resideren|resideert)\b(?:{S}+[^\W\d_]+){{0,2}}?{S}+"
    rf"(?:aan|op|naar|at|on|in|an|am|bij){S}+(?:(?:de|het|der|dem|den|the){S}+)?"
)
# The next preposition after a cue about living, when the first one was not the street's ("we verhuizen in
# september naar Achter de Kerk 7").
_PREPOSITION_RE = re.compile(rf"{S}(?:aan|op|naar|at|on|in|an|am|bij){S}+(?:(?:de|het|der|dem|den|the){S}+)?", re.I)
_LIVING_CUE_HINTS = (
    "woon", "wonen", "gevestigd", "verhui", "zit", "zat", "zetel", "kantoor", "atelier", "galerie", "winkel", "depot",
    "studio", "ingang", "entree", "located", "based", "live", "living", "wohn", "ondergebracht", "huizen", "resid",
)
# Lower-case names are accepted after these cues only (people live on streets, not on "niveau 3").
_RESIDING_CUE_WORDS = ("woon", "wohn", "live", "living", "adres", "address", "anschrift")
_CUE_NAME_RE = re.compile(
    rf"(?P<name>(?:[1-9]\d?(?:e|ste|de){S}+)?(?:[^\W\d_][\w'’\-]*\.?{S}+){{1,4}}?)(?:(?i:nr|no|nummer|huisnummer)\.?:?{S}*)?"
    r"(?P<number>\d{1,5})(?!\d)(?![.,:]\d)"
)


def _street_word_kind(word: str) -> str | None:
    """"po" (a P.O. box), "type" (a type word alone), "strong", "weak" (a street-type ending) or None."""
    lower = word.lower().rstrip(".")
    if lower in _PO_BOX_WORDS:
        return "po"
    if lower in STREET_TYPE_WORDS:
        return "type"
    if word.endswith(".") and not lower.endswith("str"):
        return None  # a sentence ends there
    if lower.endswith(STREET_ENDINGS) or lower.endswith("str"):
        return "strong"
    if lower.endswith(STREET_ENDINGS_WEAK):
        return "weak"
    return None


def _ends_clause(text: str, end: int) -> bool:
    """Whether nothing but punctuation, a line end or a postcode follows: "ik zit op dam 1." """
    word, other = next_token(text, end)
    return word is None and (other in {"", ",", ".", ";", ":", ")", "!", "?"} or other.isdigit())


_NUMBER_CUE_RE = re.compile(r"(?i)\b(?:nr|no|nummer|huisnummer)\b")
_WORD_BEFORE_RE = re.compile(rf"([^\W\d_][\w'’\-]*\.?){S}$")


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
        if capitalised(word) and lower not in _NOT_NAME_WORDS:
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
    word, other = next_token(text, end)
    if other in {"%", "+", "x", "×", "°", "€"}:
        return True
    return counts_something(word, plural_too) or (word is not None and word.rstrip(".") in MONTHS)


def street_address_spans(text: str) -> list[IdentifierSpan]:
    if not DIGIT_RE.search(text):
        return []
    spans = [IdentifierSpan(m.start(), m.end(), "street_address") for m in _PO_BOX_RE.finditer(text)]
    blind = case_blind(text)
    for m in (_NUMBER_FIRST_STREET_BLIND_RE if blind else _NUMBER_FIRST_STREET_RE).finditer(text):
        number = re.search(r"(?<![\w])\d+(?=[A-Za-z]?\s+[^\d\s,])", m.group()).group()  # the house number
        if not (len(number) == 4 and is_year(number)):
            spans.append(IdentifierSpan(m.start(), m.end(), "street_address"))
    postcodes: set[int] | None = None  # where the postcodes start, found when first needed
    for m in _NUMBERED_WORD_RE.finditer(text):
        word, number = m.group("word"), m.group("number")
        kind = _street_word_kind(word)
        if kind == "po" or (kind is None and not capitalised(word)):
            continue  # a P.O. box is found above
        start, name_words = _name_start(text, m.start("word"))
        ordinal = _ORDINAL_BEFORE_RE.search(text, max(0, start - 6), start)
        start = ordinal.start() if ordinal else start
        end = _after_number(text, m.end("number"))
        if kind is None:
            # "Laan van Meerdervoort 5": a capitalised type word starts the name; "Oude Delft 12 A, 2611 cd":
            # a postcode follows.
            if not any(w.lower() in STREET_TYPE_WORDS and capitalised(w) for w in name_words):
                after = _POSTCODE_AFTER_RE.match(text, end)
                if after is None or word.lower().rstrip(".") in NUMBERED_THINGS | MONTHS.keys():
                    continue
                postcodes = {s.start for s in postcode_spans(text)} if postcodes is None else postcodes
                if after.end() not in postcodes:
                    continue
            kind = "strong"
        if len(number) == 4 and is_year(number) and end == m.end("number") and not _NUMBER_CUE_RE.search(m.group()):
            continue  # "Museumplein 2024", "Plein 1944" without a house number after it
        capital = capitalised(word)
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
    return merged(spans)


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
            starts = [cue.end()]
            if cue_re is _LIVING_CUE_RE:
                starts += [p.end() for p in _PREPOSITION_RE.finditer(text, cue.end(), min(len(text), cue.end() + 30))]
            for position in starts:
                span = _street_after_cue(text, position, cue.group().lower(), blind)
                if span is not None:
                    spans.append(span)
                    break
    return spans


# Abbreviations that end a street's name before its number ("Burg. 5" is rare, but "Kon. Julianaplein" is not
# the case here: only the last word before the number is looked at).
_STREET_ABBREVIATIONS = frozenset({"str", "ln", "pl", "gr", "wg", "st", "dr", "rd", "ave", "blvd"})


def _street_after_cue(text: str, position: int, cue: str, blind: bool) -> IdentifierSpan | None:
    m = _CUE_NAME_RE.match(text, position)
    if m is None:
        return None
    words = m.group("name").split()
    if words[-1].endswith(".") and len(words[-1]) > 2 and (words[-1].isupper() or words[-1][:-1].lower() not in _STREET_ABBREVIATIONS):
        return None  # "vraag naar PIETER DE WIT. 0512-547 300": a full stop ends the sentence before the number
    lowers = [w.lower().rstrip(".") for w in words]
    if lowers[-1] in NUMBERED_THINGS or any(w in _NOT_IN_NAMES for w in lowers):
        return None  # "we zitten op niveau 3", "ik woon al 20 jaar"
    number = m.group("number")
    if len(number) == 4 and is_year(number):
        return None
    residing = any(w in cue for w in _RESIDING_CUE_WORDS)
    if not capitalised(words[0]) and not (residing or blind) and _street_word_kind(words[-1]) is None:
        return None
    end = _after_number(text, m.end("number"))
    if _is_quantity(text, end, plural_too=True):
        return None
    return IdentifierSpan(m.start(), end, "street_address")
