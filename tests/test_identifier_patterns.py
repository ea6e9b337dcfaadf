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
    ("NL-6596 EG Milsbeek", "postcode", "6596 EG"),
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


def test_pathological_input_stays_fast():
    texts = [
        "n a a m " * 1000 + "@ x", "@" * 5000, "a@" * 3000, "1 " * 5000, "punt " * 3000, "Kerkstraat " * 2000 + "12",
        "ik ben " * 2000 + "58", "geboren " * 2000 + "1970", "1234 ab " * 2000, "x@" + "y." * 3000, "(58) " * 2000,
    ]
    started = time.perf_counter()
    for text in texts:
        find_identifier_spans(text)
    assert time.perf_counter() - started < 5


def test_many_answers_stay_cheap():
    answers = [t for t, _, _ in FOUND] + CLEAN
    started = time.perf_counter()
    for _ in range(10):
        for answer in answers:
            find_identifier_spans(answer)
    per_answer = (time.perf_counter() - started) / (10 * len(answers))
    assert per_answer < 0.002, f"{per_answer * 1000:.2f} ms per answer"


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
