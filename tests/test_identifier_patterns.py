"""Identifier patterns: every kind is found in the notations people use (exact spans), and the numbers,
years, durations, answer labels and English or German sentences of identifier-free answers are left alone."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verkenning.anonymise.identifier_patterns import (
    PATTERN_KINDS,
    SPAN_ORDER,
    find_identifier_patterns,
    find_identifier_spans,
)

LAST_YEAR = date.today().year - 1


def _found(text: str) -> list[tuple[str, str]]:
    return [(span.kind, text[span.start:span.end]) for span in find_identifier_spans(text)]


# (answer, kind, the exact text the span covers)
FOUND = [
    # e-mail in any spelling
    ("Mail gerust naar m.jansen@bibliotheekmidden-.nl als je vragen hebt.", "email", "m.jansen@bibliotheekmidden-.nl"),
    ("Bereikbaar via naam apenstaartje museum punt nl, ook in het weekend.", "email", "naam apenstaartje museum punt nl"),
    ("Mijn adres: p.devries apestaartje stadsarchief nl", "email", "p.devries apestaartje stadsarchief nl"),
    ("contact: j.de.vries [at] rijksmuseum [dot] nl", "email", "j.de.vries [at] rijksmuseum [dot] nl"),
    ("Stuur het naar k.bos{at}theater(punt)nl graag.", "email", "k.bos{at}theater(punt)nl"),
    ("Schrijf INFO AT ZAAL PUNT NL aan.", "email", "INFO AT ZAAL PUNT NL"),
    ("Of mail sanne punt jansen at museum dot com.", "email", "sanne punt jansen at museum dot com"),
    ("mailadres: atelier(a)kunstroute.nl", "email", "atelier(a)kunstroute.nl"),
    ("mail: lotte＠galerie．nl", "email", "lotte＠galerie．nl"),
    ("Het is educatie @ tropenmuseum . nl geworden.", "email", "educatie @ tropenmuseum . nl"),
    ("Mail naar f.ridder@museumnl (zonder punt, oud adres).", "email", "f.ridder@museumnl"),
    ("Mijn werkmail is r.visser@@archief..nl, sorry voor de typfout.", "email", "r.visser@@archief..nl"),
    ("schrijf naar n a a m @ o r g . n l", "email", "n a a m @ o r g . n l"),
    ("mail me: j.jansen @ rijksmuseum", "email", "j.jansen @ rijksmuseum"),
    ("You can reach me at anna.smith at gallery dot co dot uk.", "email", "anna.smith at gallery dot co dot uk"),
    ("Meine Adresse: m.mueller@kunsthalle.de.", "email", "m.mueller@kunsthalle.de"),
    # postcodes in any case and spacing
    ("We zitten op 6596 eg Milsbeek.", "postcode", "6596 eg"),
    ("Postadres 6596eg, bij de molen.", "postcode", "6596eg"),
    ("Het depot: 6596-EG Milsbeek", "postcode", "6596-EG"),
    ("Verstuur naar 6596  eg Milsbeek", "postcode", "6596  eg"),
    ("wij zitten op 1017 CA Amsterdam", "postcode", "1017 CA"),
    ("postcode: 3512 en, naast de Dom", "postcode", "3512 en"),
    ("NL-6596 EG Milsbeek", "postcode", "NL-6596 EG"),
    ("kerkstraat 12, 1234 de amsterdam", "postcode", "1234 de"),
    # street addresses
    ("Ons atelier is verhuisd naar Oudegracht 19bis in Utrecht.", "street_address", "Oudegracht 19bis"),
    ("Bezoek ons op Kerkstraat 12a, achter de kerk.", "street_address", "Kerkstraat 12a"),
    ("Het pand aan de Kerkstraat 12-a staat te koop.", "street_address", "Kerkstraat 12-a"),
    ("De ingang is Lange Voorhout 3 hs, rechts.", "street_address", "Lange Voorhout 3 hs"),
    ("Galerie aan huis: Van Baerlestraat 27-II.", "street_address", "Van Baerlestraat 27-II"),
    ("We exposeren op Plein 1944 nr 3 in Nijmegen.", "street_address", "Plein 1944 nr 3"),
    ("Post graag naar Postbus 1234, dan komt het aan.", "street_address", "Postbus 1234"),
    ("ik woon zelf op de kerkstraat 12 in zwolle", "street_address", "kerkstraat 12"),
    ("Het depot staat aan de Laan van Meerdervoort 510.", "street_address", "Laan van Meerdervoort 510"),
    ("Bezoekadres: Spui 21, Amsterdam.", "street_address", "Spui 21"),
    ("ik woon aan de lange voorhout 3", "street_address", "lange voorhout 3"),
    ("We verhuizen naar Achter de Kerk 7 in Sneek.", "street_address", "Achter de Kerk 7"),
    ("Ons kantoor: Burgemeester de Withstraat 27, tweede verdieping.", "street_address", "Burgemeester de Withstraat 27"),
    ("Het nieuwe depot komt aan de Industrieweg 150-152.", "street_address", "Industrieweg 150-152"),
    ("Retour naar 's-Gravendijkwal 12 in Rotterdam.", "street_address", "'s-Gravendijkwal 12"),
    ("Our London office is at 221B Baker Street.", "street_address", "221B Baker Street"),
    ("Die Werkstatt liegt in der Hauptstraße 5.", "street_address", "Hauptstraße 5"),
    ("Het museum staat op de Dam 1.", "street_address", "Dam 1"),
    # dates of birth: after a cue in any notation, or a complete date long ago
    ("Mijn geboortedatum 03/06/1970, voor de administratie.", "date_of_birth", "03/06/1970"),
    ("Geboren 3-6-70 in Deventer.", "date_of_birth", "3-6-70"),
    ("geb. 3 juni 1970 te Leiden", "date_of_birth", "3 juni 1970"),
    ("Ik ben geboren op 1970-06-03.", "date_of_birth", "1970-06-03"),
    ("I was born June 3rd 1970 in Leeds.", "date_of_birth", "June 3rd 1970"),
    ("Geboren in '64, dus ik ken de tijd zonder computers.", "date_of_birth", "'64"),
    ("Ik ben geboren in 1970 en werk sinds 1995 in musea.", "date_of_birth", "1970"),
    ("DOB: 12/25/1980", "date_of_birth", "12/25/1980"),
    ("geb.datum 01-01-1980", "date_of_birth", "01-01-1980"),
    ("Geburtsdatum: 3. Juni 1970", "date_of_birth", "3. Juni 1970"),
    ("geboren te Utrecht in 1970", "date_of_birth", "1970"),
    ("mijn geboortejaar is 1970", "date_of_birth", "1970"),
    ("geboortedatum 03061970", "date_of_birth", "03061970"),
    ("° 03.06.1970", "date_of_birth", "03.06.1970"),
    ("Mijn verjaardag, 12-04-1965, vier ik altijd op het werk.", "date_of_birth", "12-04-1965"),
    ("Op 14 februari 1972 zag ik het levenslicht.", "date_of_birth", "14 februari 1972"),
    # ages
    ("Ik ben 58 en doe dit werk met plezier.", "age", "58"),
    ("Ben 58 jaar en werk als educator.", "age", "58 jaar"),
    ("Ik voel me niet 58 jaar oud, eerder 40.", "age", "58 jaar oud"),
    ("Als 58-jarige merk ik dat AI veel vraagt.", "age", "58-jarige"),
    ("Volgens Joop (58) gaat het te snel.", "age", "58"),
    ("Leeftijd: 58", "age", "58"),
    ("Als vrouw van 64 word ik niet serieus genomen.", "age", "64"),
    ("Een man van 70 vroeg om uitleg over de audiotour.", "age", "70"),
    ("Mijn moeder van 82 gebruikt de app ook.", "age", "82"),
    ("I am 45 and work as a curator.", "age", "45"),
    ("As a 45-year-old curator I see risks.", "age", "45-year-old"),
    ("She is 45 years old and runs the archive.", "age", "45 years old"),
    ("Visitors aged 45 came most often.", "age", "45"),
    ("Im Alter von 45 Jahren habe ich umgeschult.", "age", "45 Jahren"),
    ("Ik ben achtenvijftig en heb alles zien veranderen.", "age", "achtenvijftig"),
    ("Op 12 maart 2024 was ik 45 jaar.", "age", "45 jaar"),
    ("Toen ik 45 was, begon ik bij het archief.", "age", "45"),
    ("Vrouw, 58, conservator in het oosten.", "age", "58"),
    ("Ik (v, 64) werk als vrijwilliger.", "age", "64"),
    ("Mijn 4-jarige dochter speelt met de app.", "age", "4-jarige"),
    ("Ik ben inmiddels 67.", "age", "67"),
    ("mijn leeftijd is 58", "age", "58"),
    ("een gepensioneerde docent van 67 leidt de rondleiding", "age", "67"),
    ("Ik ben 70+ en leer nog elke dag.", "age", "70"),
]


@pytest.mark.parametrize(("text", "kind", "covered"), FOUND, ids=[f"{k}:{t[:40]}" for t, k, _ in FOUND])
def test_each_kind_is_found_with_its_exact_span(text, kind, covered):
    assert (kind, covered) in _found(text), _found(text)


@pytest.mark.parametrize(("text", "kind", "covered"), [f for f in FOUND if f[1] != "age"][::3])
def test_the_leak_check_reports_what_the_de_identifier_finds(text, kind, covered):
    assert kind in find_identifier_patterns(text)


def test_new_kinds_are_in_the_leak_check_and_the_span_order():
    assert {"street_address", "date_of_birth", "age"} <= set(PATTERN_KINDS)
    # Every kind the de-identifier replaces is one the leak check looks for (web addresses excepted).
    assert set(SPAN_ORDER) - set(PATTERN_KINDS) == {"url"}


def test_find_identifier_patterns_lists_the_new_kinds_in_text_order():
    text = (
        "Ik ben 58 jaar, geboren op 3 juni 1966, en woon op Kerkstraat 12a, 6596 eg Milsbeek; "
        "mail j.jansen apenstaartje museum punt nl of bel 06-12345678."
    )
    assert find_identifier_patterns(text) == ["age", "date_of_birth", "street_address", "postcode", "email", "phone"]


def test_a_complete_date_is_a_date_of_birth_only_when_long_ago():
    assert _found("Ze vertelde dat 3 juni 1970 haar verjaardag is.") == [("date_of_birth", "3 juni 1970")]
    assert _found(f"Op 12 maart {LAST_YEAR} hielden we een studiedag.") == []
    assert _found(f"De pilot startte op 01-02-{LAST_YEAR}.") == []


def test_a_handle_is_still_reported_as_a_web_address():
    assert _found("Volg me op @marieke_maakt voor updates.") == [("url", "@marieke_maakt")]


@pytest.mark.parametrize(
    "text",
    [
        "MAIL J.JANSEN APENSTAARTJE MUSEUM PUNT NL",
        "wij zitten op 1017 ca amsterdam",
        "OUDEGRACHT 19BIS, UTRECHT",
        "GEBOREN OP 3 JUNI 1970",
        "ik ben 58 jaar en werk in een bibliotheek",
    ],
)
def test_identifiers_in_a_text_all_in_lower_case_or_capitals(text):
    assert find_identifier_spans(text)


# Identifier-free answers: years, durations, answer labels, counts, percentages, versions, sizes, dates of
# events, English and German; none of it may be reported.
CLEAN = [
    "In 2023 de eerste pilot gedaan, sinds 2019 ga ik naar elke museumdag.",
    "We hadden 1200 en meer bezoekers per weekend.",
    "Ik ben al 20 jaar werkzaam in de erfgoedsector.",
    "Ik ben 30 jaar actief in de sector en zie veel veranderen.",
    "Ik ben 25 jaar in dienst bij de gemeente en 10 jaar lid van de OR.",
    "De afgelopen 5 jaar is er veel gebeurd met AI.",
    "Voor mensen van 65 jaar en ouder organiseren we workshops.",
    "Leeftijdscategorie 35-44 jaar is het best vertegenwoordigd.",
    "Vorig jaar trokken we 2000 bezoekers met de tentoonstelling.",
    "Ongeveer 80% van onze collega's gebruikt AI-tools, 12,5% dagelijks.",
    "We zijn overgestapt op versie 2.4.1 van de software; Windows 11 volgt.",
    "De scans zijn 2000mb per stuk, dat is veel opslag.",
    f"Op 12 maart {LAST_YEAR} hielden we een studiedag over AI.",
    "Ik zit liever at home dan op kantoor, eerlijk gezegd.",
    "Ik werk 32 uur per week als educatiemedewerker.",
    "Ik ben 20 jaar geleden begonnen als vrijwilliger.",
    "We hebben 20 jaar ervaring met digitalisering; sinds 20 jaar werk ik hier.",
    "Ons 25-jarig bestaan vieren we volgend jaar; het was een 3-jarig project.",
    "Het museum is 100 jaar oud en de collectie nog ouder.",
    "Een 80 jaar oud schilderij werd gerestaureerd.",
    "Fase 2 van het project start in september; we zitten nu op niveau 3.",
    "In het werkveld is 20 jaar ervaring niet genoeg; mijn loopbaan begon 30 jaar geleden.",
    "In Amsterdam zijn 12 musea aangesloten bij het project.",
    "De Kalverstraat is op zaterdag erg druk, de markt 2 keer per week.",
    "Op de Dam 4 mei herdenken we de oorlog.",
    "Ik ben 1 van de oprichters en 3 dagen per week aanwezig.",
    "De gemiddelde leeftijd van onze bezoekers is 45.",
    "De gemiddelde bezoeker is tussen de 45 en 65 jaar oud.",
    "Voor 16 tot 18 jarigen maken we speciale programma's.",
    "De oplage was 1500 ex. per titel.",
    "Er kwamen een man of 70 op de bijeenkomst af.",
    "Het apenstaartje in een adres vinden mensen lastig; optie (a) of (b).",
    "Tot later @ kantoor, zei mijn collega altijd.",
    "Geboren en getogen in Utrecht, in 2023 verhuisd naar Zwolle.",
    "Ik ben van 2019 tot 2023 voorzitter geweest.",
    "Sinds 01-01-2000 werken we met een nieuw collectiesysteem.",
    "Het Concertgebouw bestaat 135 jaar; het gebouw is 50 jaar oud.",
    "Hoofdstuk (12) gaat over auteursrecht, bijlage (2) over de begroting.",
    "We testten Copilot (2), ChatGPT (5) en Gemini (1).",
    "Rembrandt (1606-1669) is onze bekendste schilder.",
    "In 2019 kwamen er veel mensen, ruim 1000 jr na de stichting van het klooster.",
    "I have been working in museums for 20 years.",
    "We had 1200 visitors in 2023; by 2030 it will be different.",
    "I am 30 years in the business and 100% convinced AI helps.",
    "Visitors aged 65 and over prefer printed guides; the age group 35-44 uses AI most.",
    "Our museum is 120 years old.",
    "Ich arbeite seit 20 Jahren im Museum und bin skeptisch.",
    "Wir haben 2000 Besucher pro Monat; seit 2019 da ist viel passiert.",
    "Das Museum ist 100 Jahre alt.",
    "Unsere Mitglieder sind im Schnitt 60 Jahre alt.",
    "Ich bin 45 Stunden pro Woche im Archiv.",
]


@pytest.mark.parametrize("text", CLEAN, ids=[t[:50] for t in CLEAN])
def test_identifier_free_answers_are_left_alone(text):
    assert _found(text) == []


@pytest.mark.parametrize("case", [str.lower, str.upper], ids=["lower case", "capitals"])
def test_identifier_free_answers_in_lower_case_or_capitals_are_left_alone(case):
    words = sum(len(t.split()) for t in CLEAN)
    replaced = [(case(t), found) for t in CLEAN if (found := _found(case(t)))]
    replaced_words = sum(len(covered.split()) for _, found in replaced for _, covered in found)
    assert replaced_words / words < 0.02, replaced


def test_pathological_input_does_not_hang_the_patterns():
    # A guard against catastrophic backtracking (which takes hours, not seconds), not a performance target: the
    # bound is on this process's CPU time, which other work on a busy machine does not add to, and generous.
    texts = [
        "n a a m " * 1000 + "@ x", "@" * 5000, "a@" * 3000, "1 " * 5000, "punt " * 3000, "Kerkstraat " * 2000 + "12",
        "ik ben " * 2000 + "58", "geboren " * 2000 + "1970", "1234 ab " * 2000, "x@" + "y." * 3000, "(58) " * 2000,
        "insta: " * 2000 + "x", "bel " + "nul zes " * 2000, "a." * 3000 + "nl", "op mijn 70e " * 1000, "(33 jr) " * 1000,
        "vier oktober " * 1000, "+3" + " 1" * 3000, "we verhuizen in " * 1000 + "naar Achter de Kerk 7",
    ]
    started = time.process_time()
    for text in texts:
        find_identifier_spans(text)
    assert time.process_time() - started < 60


def test_many_answers_stay_cheap():
    answers = [t for t, _, _ in FOUND] + CLEAN
    # CPU time of this process (other work on a busy machine does not add to it), with a bound ten times what the
    # patterns take: a guard against a pattern that backtracks, not a benchmark (that is `make bench`).
    started = time.process_time()
    for _ in range(10):
        for answer in answers:
            find_identifier_spans(answer)
    per_answer = (time.process_time() - started) / (10 * len(answers))
    assert per_answer < 0.02, f"{per_answer * 1000:.2f} ms per answer"


_PIECES = st.sampled_from(
    list("abcJKL @.[]()-+0123456789\n\t'\";:,!?éü😀\u00a0＠°")
    + ["Jan ", "jaar ", "oud ", "ik ben ", "van ", "geboren ", "straat ", "gracht ", "Postbus ", "punt ", "at ",
       "apenstaartje ", ".nl", "1234 AB", "-jarige ", "leeftijd ", "58", "juni ", "1970 ", "vrouw "]
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_spans_are_ordered_within_the_text_and_never_overlap(text):
    spans = find_identifier_spans(text)
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert find_identifier_patterns(text) == [s.kind for s in find_identifier_spans(text, PATTERN_KINDS)]


# --- kinds of input added with the split into verkenning.anonymise.identifiers ------------------------------
# (answer, every finding as (kind, exact text)); sentences written for these tests, grouped by kind of input.
FOUND_EXACTLY = [
    # BSN in 3-3-3 groups with dashes, still validated by the eleven test
    ("Voor de vergoeding vroegen ze mijn BSN: 628-194-821.", [("bsn", "628-194-821")]),
    ("burgerservicenummer 252-760-189 staat op het formulier", [("bsn", "252-760-189")]),
    ("Hier is het: 5075-29-170", [("bsn", "5075-29-170")]),
    # a postcode in capitals against its letters, a lower-case place after it
    ("Het pakket ging naar 6511KG nijmegen", [("postcode", "6511KG")]),
    ("Ons depot, 1234AB den haag, is te klein", [("postcode", "1234AB")]),
    ("wij zitten op 3511MM utrecht sinds de verhuizing", [("postcode", "3511MM")]),
    ("Postcode 5211DL, huisnummer 14", [("postcode", "5211DL")]),
    # foreign postcodes: with the country's letters, or after a street address or an address cue
    ("Adresse: D-10115 Berlin", [("postcode", "D-10115")]),
    ("Stuur het naar B-9000 Gent, dank je.", [("postcode", "B-9000")]),
    ("Zürich, genauer CH-8001", [("postcode", "CH-8001")]),
    ("Het atelier: NL-3511 LM Utrecht", [("postcode", "NL-3511 LM")]),
    ("Unsere Werkstatt: Lindenallee 4, 50667 Köln", [("street_address", "Lindenallee 4"), ("postcode", "50667")]),
    ("Anschrift: 20095 Hamburg", [("postcode", "20095")]),
    ("Rue de la Loi 16, 1000 Bruxelles", [("postcode", "1000")]),
    # web addresses: a bare domain with a path, newer top-level domains
    ("Alles staat op beacons.ai/kunstbende, ook oud werk.", [("url", "beacons.ai/kunstbende")]),
    ("App me via wa.me/31687654321 of t.me/atelierzuid", [("url", "wa.me/31687654321"), ("url", "t.me/atelierzuid")]),
    ("De quiz: bit.ly/museum-Quiz7.", [("url", "bit.ly/museum-Quiz7")]),
    ("Mijn werk: fotografie-lotte.photo en dansgroep-oost.dance", [("url", "fotografie-lotte.photo"), ("url", "dansgroep-oost.dance")]),
    ("Zie keramiekstudio.gallery of liedjes.music voor meer.", [("url", "keramiekstudio.gallery"), ("url", "liedjes.music")]),
    ("portfolio: jansen-ontwerp.design, blog: devnotities.dev", [("url", "jansen-ontwerp.design"), ("url", "devnotities.dev")]),
    ("Onze korte films staan op kortefilm.film en theatergroep.online", [("url", "kortefilm.film"), ("url", "theatergroep.online")]),
    ("Otter.ai gebruik ik, zie www.otter.ai of otter.ai/pricing", [("url", "www.otter.ai"), ("url", "otter.ai/pricing")]),
    # handles without "@" after a platform's name
    ("insta: lotte.keramiek.art", [("url", "lotte.keramiek.art")]),
    ("Je vindt me op discord als klei_meester#0042", [("url", "klei_meester#0042")]),
    ("Ik post op reddit u/tekenaar_noord", [("url", "u/tekenaar_noord")]),
    ("gitlab: jdevries-data", [("url", "jdevries-data")]),
    ("volg me op tiktok keramiek_kim92!", [("url", "keramiek_kim92")]),
    ("mijn ig is pieter.schildert trouwens", [("url", "pieter.schildert")]),
    ("YouTube-kanaal: atelierzuidtv", [("url", "atelierzuidtv")]),
    # phone numbers phonenumbers rejects, foreign layouts, spelled out after a cue
    ("Bel gerust: +44 7700 900123", [("phone", "+44 7700 900123")]),
    ("tel. +32 (0)470 12 34 56", [("phone", "+32 (0)470 12 34 56")]),
    ("Büro: 030/8812345", [("phone", "030/8812345")]),
    ("Telefon 089 / 2345678", [("phone", "089 / 2345678")]),
    ("Bel me op nul zes, achtentwintig, vijftien, drieënnegentig, elf.", [("phone", "nul zes, achtentwintig, vijftien, drieënnegentig, elf")]),
    ("mobiel: nul zes twee drie vier vijf zes zeven acht negen", [("phone", "nul zes twee drie vier vijf zes zeven acht negen")]),
    ("06 - dertien - vierenveertig - achtenzestig - negentig", [("phone", "06 - dertien - vierenveertig - achtenzestig - negentig")]),
    # e-mail written out with a newer top-level domain
    ("mail j.devries at dansschool dot dance", [("email", "j.devries at dansschool dot dance")]),
    ("mail me: anna apenstaartje fotoatelier punt photo", [("email", "anna apenstaartje fotoatelier punt photo")]),
    ("info (at) korte-films punt film", [("email", "info (at) korte-films punt film")]),
    ("Stuur naar pieter at bandnaam dot music", [("email", "pieter at bandnaam dot music")]),
    # street addresses: more suffixes, an ordinal before the name, a name just before a postcode
    ("Ons atelier: Vondelstraat 14-3hg, Amsterdam.", [("street_address", "Vondelstraat 14-3hg")]),
    ("Post naar Kerkweg 8-huis graag", [("street_address", "Kerkweg 8-huis")]),
    ("Wij wonen op Prinsengracht 401 I", [("street_address", "Prinsengracht 401 I")]),
    ("Ons depot zit op Bloemgracht 5 bg, achterom.", [("street_address", "Bloemgracht 5 bg")]),
    ("Ze woont op Singel 90 zw", [("street_address", "Singel 90 zw")]),
    ("Leveringen: Stationsweg 22-rd", [("street_address", "Stationsweg 22-rd")]),
    ("Marktstraat 7A-B en Molenlaan 14a/b", [("street_address", "Marktstraat 7A-B"), ("street_address", "Molenlaan 14a/b")]),
    ("We zitten op de 2e Jan Steenstraat 40.", [("street_address", "2e Jan Steenstraat 40")]),
    ("Mijn studio is op 1e Helmersstraat 5", [("street_address", "1e Helmersstraat 5")]),
    ("ik woon op de 3e oosterparkstraat 12", [("street_address", "3e oosterparkstraat 12")]),
    ("Retour: Galerie Zuid, Oude Delft 12 A, 2611 cd Delft", [("street_address", "Oude Delft 12 A"), ("postcode", "2611 cd")]),
    ("We verhuizen in september naar Achter de Kerk 7.", [("street_address", "Achter de Kerk 7")]),
    ("Tsjerkestrjitte 8 yn Wommels", [("street_address", "Tsjerkestrjitte 8")]),
    # dates of birth: a Roman month, written out in words
    ("geboren 12-III-1956 te Leiden", [("date_of_birth", "12-III-1956")]),
    ("geb. 3.XI.1962", [("date_of_birth", "3.XI.1962")]),
    ("Ik ben geboren op vier oktober negentienhonderdachtenzestig.", [("date_of_birth", "vier oktober negentienhonderdachtenzestig")]),
    ("geboren twaalf maart negentien tweeënzestig in Gouda", [("date_of_birth", "twaalf maart negentien tweeënzestig")]),
    ("Ik ben geboren in negentienhonderdachtenzestig", [("date_of_birth", "negentienhonderdachtenzestig")]),
    ("I was born on the fourth of October nineteen sixty-eight.", [("date_of_birth", "fourth of October nineteen sixty-eight")]),
    # ages
    ("Mijn moeder, 87 jaar, helpt mee in de winkel.", [("age", "87 jaar")]),
    ("Met de app speelt (mijn zoon, 16) het liefst.", [("age", "16")]),
    ("Mijn dochter, 12, vindt het leuk", [("age", "12")]),
    ("Op mijn 70e ben ik begonnen met schilderen", [("age", "70e")]),
    ("mijn 72ste verjaardag vierde ik in het museum", [("age", "72ste")]),
    ("sinds mijn zestiende werk ik hier", [("age", "zestiende")]),
    ("I am a 29-year-old sound artist.", [("age", "29-year-old")]),
    ("As a thirty-eight year old painter I worry.", [("age", "thirty-eight year old")]),
    ("GERRIT (81!) maakt nog elke dag tekeningen", [("age", "81")]),
    ("M/42, conservator", [("age", "42")]),
    ("Groet, V/35", [("age", "35")]),
    ("42/M uit Utrecht", [("age", "42")]),
    ("(m42) docent", [("age", "42")]),
    ("Ik ben vrijwilliger (33 jr) en help mee", [("age", "33 jr")]),
    ("I turned 50 last year and started again.", [("age", "50")]),
    ("I just turned 50.", [("age", "50")]),
    ("She was aged 50 when she retired.", [("age", "50")]),
    ("Mit 73 Jahren habe ich angefangen zu malen.", [("age", "73 Jahren")]),
]


@pytest.mark.parametrize(("text", "expected"), FOUND_EXACTLY, ids=[t[:50] for t, _ in FOUND_EXACTLY])
def test_new_kinds_of_input_are_found_exactly(text, expected):
    assert _found(text) == expected


# Identifier-free answers that look like the kinds above: none of it may be reported.
CLEAN_LOOKALIKES = [
    # numbers
    "Ons projectnummer is 123-456-789 en het dossier 2023-0456-11.",
    "We hadden +1.250.000 bezoekers en +12,500,000 euro omzet; een groei van +20 000 bezoekers.",
    "Tel het aantal: twaalf, zeventig, dertig, vijftig, veertig.",
    "Bel me even, twaalf uur is prima; we verkochten twaalf, zeventig kaartjes.",
    "Over 2019/2020 en 2020/2021 rapporteren we apart.",
    # postcodes
    "We kochten 2000GB opslag; de scans zijn 4000MB groot en we rijden 1500KM per jaar.",
    "Er kwamen 47533 bezoekers; wir zählten 12500 Besucher im Museum.",
    "In 2023 Amsterdam en in 2024 Utrecht; Kamer 12, 1500 Euro per maand.",
    "Versie 12, 2024 Update; de F-16 en de B-52 vlogen over.",
    # web addresses
    "Wij gebruiken Otter.ai, Character.ai, Leonardo.ai en Beautiful.ai; Socket.io is een bibliotheek.",
    "Ik stuurde rapport.pdf, data.csv en script.py naar de collega's, plus beelden.zip en readme.md.",
    "We gebruiken o.a. ChatGPT, e.g. for drafts, i.v.m. de tijdsdruk; bijv. zaalteksten, d.w.z. korte teksten.",
    "Versie 2.4.1 draait, v1.2 ook, en Python 3.12 komt eraan.",
    "Het was klaar.In de zaal stond niemand. Dit is gedaan i.v.m.de nieuwe regels.",
    # handles
    "We posten op Instagram en Facebook, soms op TikTok; op TikTok 2x per week een filmpje.",
    "Github Copilot gebruik ik voor scripts; op YouTube kijk ik tutorials.",
    "Instagram: vooral voor marketing. LinkedIn: nvt. Twitter: geen.",
    "Instagram is populair bij jongeren, Discord bij gamers; het YouTube-kanaal van het museum groeit.",
    # e-mail
    "We looked at this dot in the corner of the painting; tickets at the box office, art at the gallery.",
    # street addresses
    "Op de 2e verdieping, zaal 4; de 1e Wereldoorlog en de 17e eeuw.",
    # dates
    "Artikel 12-III van de verordening; zie bijlage 2-II-2020.",
    "We openden op vier oktober tweeduizendtweeëntwintig het nieuwe depot; in maart tweeduizendtwintig ging alles dicht.",
    "I was born in the nineties; I was born twenty years too early for this.",
    # ages
    "Mijn collega, 2 jaar geleden begonnen, doet de scans; onze vrijwilligers, 40 in totaal, helpen mee.",
    "Dit is mijn 2e baan in de sector en mijn 3e poging; op mijn 1e werkdag kreeg ik een laptop.",
    "In mijn 2e jaar als conservator begon ik met AI. Het museum viert zijn 100ste verjaardag.",
    "Ons 25e jubileum en de 50ste editie van het festival.",
    "He turned 180 degrees; the company turned 50 this year; sales turned 50% up.",
    "Mit 30 Jahren Erfahrung sind wir Experten; mit 18 Jahren Verspätung kam die Förderung.",
    "Ik werk hier al lang (33 jaar) en zie veel veranderen; sinds de fusie (12 jaar geleden) is er veel veranderd.",
    "Het ticket kost 42/m; Blender v35; de M42 en de A4 zijn drukke wegen.",
    "Vacature: conservator (m/v/x), 32 uur. Voor kinderen (4-12 jaar) is er een speurtocht.",
    "A thirty year old building houses our archive; a 100-year-old painting by a woman.",
]


@pytest.mark.parametrize("text", CLEAN_LOOKALIKES, ids=[t[:50] for t in CLEAN_LOOKALIKES])
def test_lookalikes_of_the_new_kinds_are_left_alone(text):
    assert _found(text) == []


def test_the_facade_keeps_the_names_callers_import():
    from verkenning.anonymise import identifier_patterns
    from verkenning.anonymise.identifiers import common

    assert identifier_patterns.IdentifierSpan is common.IdentifierSpan
    for name in ("email_spans", "url_spans", "iban_spans", "bsn_spans", "phone_spans", "postcode_spans",
                 "street_address_spans", "date_of_birth_spans", "age_spans", "URL_RE", "HANDLE_RE", "KNOWN_TLDS"):
        assert hasattr(identifier_patterns, name), name


def test_the_reference_lists_are_read():
    from verkenning.anonymise.identifiers import address, age_words, common, web

    assert {"nl", "art", "dance", "photo", "ee", "ly", "me"} <= web.TOP_LEVEL_DOMAINS
    assert "py" in web.FILE_EXTENSIONS and "otter.ai" in web.TOOL_WORDS and "insta" in web.PLATFORMS
    assert "bezoekers" in common.COUNT_WORDS and "versie" in common.NUMBERED_THINGS
    assert "straat" in address.STREET_ENDINGS and "moeder" in age_words.PERSON_NOUN_ENDINGS


@pytest.mark.parametrize("case", [str.lower, str.upper], ids=["lower case", "capitals"])
def test_the_new_kinds_in_lower_case_or_capitals(case):
    # Capitals carry part of the signal ("42/M", "Oude Delft 12 A", "6511KG"): nearly all are still found,
    # and the look-alikes stay (nearly) clean.
    kept = [t for t, expected in FOUND_EXACTLY if {k for k, _ in expected} <= {k for k, _ in _found(case(t))}]
    assert len(kept) / len(FOUND_EXACTLY) >= 0.95
    words = sum(len(t.split()) for t in CLEAN_LOOKALIKES)
    replaced = sum(len(covered.split()) for t in CLEAN_LOOKALIKES for _, covered in _found(case(t)))
    assert replaced / words < 0.01


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Schreiben Sie an kontakt ät galerie-nordwind punkt de bitte", "kontakt ät galerie-nordwind punkt de"),
        ("mail r.smit (bij) kunstkring-oost (punt) nl gerust", "r.smit (bij) kunstkring-oost (punt) nl"),
        ("écrivez à info (chez) atelier-lumiere point fr", "info (chez) atelier-lumiere point fr"),
    ],
)
def test_an_address_with_the_at_sign_written_in_another_language_is_found(text, address):
    spans = [s for s in find_identifier_spans(text) if s.kind == "email"]
    assert [text[s.start:s.end] for s in spans] == [address]


def test_a_word_in_brackets_is_no_at_sign_without_a_domain():
    assert find_identifier_spans("ik werk (bij) de bieb en (bij) het archief") == []


@pytest.mark.parametrize(("text", "handle"), [("Ping me: mila_v#0932 for the files", "mila_v#0932"), ("ik ben jorn.w#1207 daar", "jorn.w#1207")])
def test_a_user_name_with_a_four_digit_tag_is_a_handle(text, handle):
    assert [text[s.start:s.end] for s in find_identifier_spans(text)] == [handle]


@pytest.mark.parametrize("text", ["zaal #1203 is vol", "issue #4821 in GitHub", "we zijn #1 in 2024"])
def test_a_number_after_a_hash_alone_is_no_handle(text):
    assert find_identifier_spans(text) == []
