"""The words of a release: what each table and column means, the Toelichting (explanation) paragraphs, and what each tier is."""

from __future__ import annotations

from typing import Any

import pandas as pd

from schemas.codebook import Codebook
from schemas.table_specs import Zone, mart_descriptions, microdata_descriptions, staged_survey_columns

TABLE_DESCRIPTIONS = {
    "question_frequencies": "Aantallen en percentages per vraag, stelling of antwoordoptie (lang formaat).",
    "crosstabs": "Dezelfde aantallen uitgesplitst naar sectorgroep, omvang, functiegroep en regio.",
    "scale_summaries": "Per schaalvraag en getalvraag: geldige en ontbrekende antwoorden, gemiddelde, standaardafwijking, mediaan, kwartielen en (bij schalen) aandeel (helemaal) eens.",
    "open_answers": "De open antwoorden en 'Anders'-teksten, ontdaan van persoonsgegevens, in een volgorde die niets zegt over wie wanneer antwoordde.",
    "workshop_notes": "De post-its van werkvorm 1 per bijeenkomst, tafel en categorie (Toepassing, Kans, Zorg), zonder auteurs.",
    "workshop_statements": "Eens, neutraal en oneens per stelling over 2030, per bijeenkomst en in totaal ('all').",
    "workshop_support_needs": "Stemmen (stippen) per ondersteuningsbehoefte en thema, per bijeenkomst en in totaal, gerangschikt. De behoeften zijn de eigen woorden van de tafels (vrije tekst, ontdaan van persoonsgegevens).",
    "workshop_support_themes": "Stemmen (stippen) en aantal behoeften per thema, per bijeenkomst en in totaal, gerangschikt (zonder vrije tekst).",
    "respondents": "De geanonimiseerde microdata: één rij per voltooide respons.",
}

# The marts' columns are described with their specification (schemas/table_specs.py); the microdata's key too.
COMMON_COLUMNS = {
    **mart_descriptions(),
    "respondent_key": "Pseudoniem: gelijk voor dezelfde persoon in elke meting, niet terug te voeren op een persoon.",
}


def table_descriptions() -> dict[str, str]:
    return dict(TABLE_DESCRIPTIONS)


def column_descriptions(
    tables: dict[str, pd.DataFrame], codebook: Codebook, zone: Zone = "analysis"
) -> dict[str, dict[str, str]]:
    """A description for every column of every table: the common columns of the marts, and question columns
    from the codebook's column specifications (the microdata's for the analysis zone, the staged survey's for the
    restricted zone, where free text is still as typed)."""
    specified = {spec.name: spec.description for spec in staged_survey_columns(codebook)}
    if zone == "analysis":
        specified.update(microdata_descriptions(codebook))
    descriptions = {}
    for name, table in tables.items():
        descriptions[name] = {
            str(column): COMMON_COLUMNS.get(column) or specified.get(column) or str(column).replace("_", " ")
            for column in table.columns
        }
    return descriptions


def microdata_paragraph(k: int, microdata: dict) -> str:
    """How the background of the microdata was protected, with the levels chosen and what it cost (issue 12)."""
    if not microdata:
        return (
            "Sector, omvang, functie en provincie zijn gegroepeerd en lokaal onderdrukt tot elke combinatie minstens "
            f"k = {k} keer voorkomt."
        )
    parts = []
    for code, level in microdata.get("levels", {}).items():
        generalised = microdata.get("values_generalised", {}).get(code, 0)
        suppressed = microdata.get("values_suppressed", {}).get(code, 0)
        where = "op het niveau van de codeboekgroepen" if level == "groups" else f"op niveau '{level}'"
        parts.append(f"{code} {where} ({generalised} waarden gegeneraliseerd, {suppressed} onderdrukt)")
    loss = microdata.get("information_loss", 0.0)
    text = (
        f"De achtergrondvariabelen zijn per golf zo gepubliceerd dat elke combinatie minstens k = {k} keer voorkomt "
        "(een onderdrukte waarde telt als een eigen waarde), met zo min mogelijk verlies aan informatie: per variabele "
        "één niveau uit de hiërarchie van het codeboek, daarna per respondent zo weinig mogelijk waarden onderdrukt. "
        f"Gekozen: {'; '.join(parts)}. Informatieverlies: {loss:.1%} van de achtergrondwaarden (een onderdrukte waarde "
        "telt 1, een waarde op een grover niveau met c categorieën 1 − log(c)/log(C), C het aantal codeboekgroepen); "
        f"onderdrukken per variabele zou {microdata.get('information_loss_column_by_column', 0.0):.1%} kosten. "
        f"{microdata.get('records_at_risk', 0)} respondenten zaten op groepsniveau in een te kleine combinatie. "
        f"Geen keuze van niveaus kan onder {microdata.get('information_loss_lower_bound', 0.0):.1%} verlies komen "
        "(ondergrens uit de LP-relaxatie)."
    )
    if microdata.get("levels") and set(microdata["levels"].values()) == {"groups"}:
        text += " Elk grover niveau kost hier meer informatie dan het aan onderdrukking bespaart."
    if microdata.get("l_diversity"):
        text += " Verschillende antwoorden per combinatie (l-diversiteit): " + ", ".join(
            f"{code} {value}" for code, value in microdata["l_diversity"].items()
        ) + "."
    return text


def explanation(codebook: Codebook, wave: str, parameters: dict, microdata: dict | None = None) -> dict[str, str]:
    return {
        "wave": (
            f"{codebook.title_nl}. Meting {wave}: online vragenlijst, veldwerk {codebook.fielded_from} tot en met "
            f"{codebook.fielded_to}, en de werkvormen van de workshopbijeenkomsten."
        ),
        "sources": (
            "De export van de vragenlijst (LimeSurvey), de werkbladen van de workshops en de lijst van ingetrokken "
            "toestemmingen. Bestanden en hun SHA-256 staan hieronder en in manifest.json."
        ),
        "anonymisation": (
            "Directe identificatoren (token, IP-adres, e-mailadres, naam van de organisatie, tijdstempels, responsnummer) "
            "zijn verwijderd; respondent_key is een sleutel-afhankelijk pseudoniem. "
            f"{microdata_paragraph(parameters['k'], microdata or {})} Open teksten zijn ontdaan van namen, organisaties, "
            "e-mailadressen, telefoonnummers, adressen, IBAN en BSN ([PERSOON], [ORGANISATIE], ...)."
        ),
        "suppression": (
            f"Aantallen groter dan 0 en kleiner dan {parameters['min_count']} zijn onderdrukt (primair); bij een "
            "meerkeuzeoptie ook als minder dan dat aantal haar níet aanvinkte. Daarnaast zijn andere cellen onderdrukt "
            "(secundair), gekozen met geheeltallige optimalisatie: wie alle gepubliceerde verbanden tegelijk oplost "
            "(opties tellen op tot base_n, groepen tot het totaal, eerdere releases van deze golf inbegrepen) kan een "
            f"klein aantal niet nauwkeuriger bepalen dan 1 tot en met {parameters['min_count'] - 1} (of de basis, als "
            "die kleiner is) en geen andere onderdrukte cel exact terugrekenen. Welke onderdrukte cellen primair zijn, "
            "staat niet in deze laag: dat zou verraden dat ze minstens 1 zijn. Een cel die een eerdere release "
            "onderdrukte, blijft onderdrukt. Ook n_missing (geen inhoudelijk antwoord) is zo beschermd. Gemiddelden en "
            f"aandelen op minder dan {parameters['min_base']} respondenten, of naast onderdrukte cellen, zijn ook "
            "onderdrukt."
        ),
    }


# ------------------------------------------------------------------------------------------------- tiers

# What each tier of a release is, who may receive it, what it protects against and what not, and what a steward
# does before handing it over. Dutch for the Toelichting sheet, English beside it in manifest.json. Placeholders:
# {min_count}, {largest_small_count} (min_count - 1) and {k} from the disclosure parameters, {tables} the tier's tables.
# The texts are part of the content fingerprint: rewording them makes a new release, as any change of the workbook does.
TIER_TEXTS: dict[str, dict[str, dict[str, Any]]] = {
    "public": {
        "nl": {
            "label": "Openbaar (public)",
            "contents": (
                "Deze map bevat alleen geaggregeerde tabellen (aantallen, percentages, gemiddelden): {tables}. "
                "Er staan geen microdata (geen rij per respondent), geen pseudoniemen en geen open teksten in."
            ),
            "audience": "Iedereen: deze laag is bedoeld voor openbaarmaking, bijvoorbeeld bij een rapport of op een website.",
            "protects_against": [
                "Elk aantal groter dan 0 en kleiner dan {min_count} is onderdrukt (primaire onderdrukking).",
                "Daarnaast zijn aanvullende cellen onderdrukt (secundaire onderdrukking), zo gekozen dat wie alle "
                "gepubliceerde verbanden tegelijk oplost (alle tabellen van deze laag samen, en de eerdere releases "
                "van dezelfde golf) een kleine cel niet nauwkeuriger kan bepalen dan 1 tot en met "
                "{largest_small_count}, en geen enkele andere onderdrukte cel exact kan terugrekenen.",
                "Percentages, gemiddelden en aandelen op te weinig respondenten, of naast onderdrukte cellen, zijn ook "
                "onderdrukt.",
                "Er staan geen microdata, pseudoniemen of open teksten in deze laag.",
            ],
            "does_not_protect_against": [
                "Combinatie met de laag voor wetenschappelijk gebruik (scientific_use) van deze of een andere release: "
                "met die microdata is elke onderdrukte cel terug te rekenen.",
                "Combinatie met andere bronnen over dezelfde mensen, bijvoorbeeld kennis van wie heeft meegedaan: wie "
                "weet dat iemand deelnam, kan uit een kleine groep toch iets over die persoon afleiden.",
                "Het lidmaatschap van de achtergrondgroepen zelf (sector, omvang, functie, provincie, gegroepeerd) wordt "
                "gepubliceerd: hoeveel respondenten in elke groep vallen, is zichtbaar.",
            ],
            "before_handing_over": [
                "Controleer dat deze release door de pijplijn is gemaakt en niet is gewijzigd: "
                "verkenning.release.verify_release(<map>) geeft geen problemen, of de SHA-256 van elk bestand is "
                "gelijk aan die in manifest.json.",
                "Geef alleen de map public/ door.",
                "Geef haar nooit samen met de map scientific_use/ (van deze of een andere release) door.",
            ],
        },
        "en": {
            "label": "Public",
            "contents": (
                "This folder holds aggregate tables only (counts, percentages, means): {tables}. It holds no microdata "
                "(no row per respondent), no pseudonyms and no free text."
            ),
            "audience": "Anyone: this tier is meant for publication, e.g. with a report or on a website.",
            "protects_against": [
                "Every count above 0 and below {min_count} is suppressed (primary suppression).",
                "Complementary cells are suppressed too (secondary suppression), chosen so that an attacker who solves "
                "every published relation at once (all tables of this tier together, and the earlier releases of the "
                "same wave) can neither narrow a small cell below 1 to {largest_small_count} nor pin any other "
                "suppressed cell.",
                "Percentages, means and shares on too few respondents, or beside suppressed cells, are suppressed too.",
                "There are no microdata, pseudonyms or free texts in this tier.",
            ],
            "does_not_protect_against": [
                "Combining it with the scientific-use tier of this or another release: those microdata recompute every "
                "suppressed cell.",
                "Combining it with other sources about the same people, e.g. knowing who took part: whoever knows that "
                "someone took part can still learn about that person from a small group.",
                "Membership of the background groups themselves (sector, size, role, province, grouped) is published: "
                "how many respondents fall in each group is visible.",
            ],
            "before_handing_over": [
                "Check that the release was made by the pipeline and is unchanged: "
                "verkenning.release.verify_release(<folder>) reports no problems, or every file's SHA-256 matches "
                "manifest.json.",
                "Hand over the public/ folder only.",
                "Never hand it over together with the scientific_use/ folder (of this or another release).",
            ],
        },
    },
    "scientific_use": {
        "nl": {
            "label": "Wetenschappelijk gebruik (scientific_use)",
            "contents": (
                "Deze map bevat de k-anonieme microdata en de gede-identificeerde open teksten: {tables}."
            ),
            "audience": (
                "Alleen analisten en onderzoekers die een ondertekende gebruiksovereenkomst hebben. Niet voor "
                "openbaarmaking."
            ),
            "protects_against": [
                "k-anonimiteit: elke combinatie van de gegroepeerde achtergrondvariabelen komt minstens k = {k} keer "
                "voor; waar nodig zijn waarden onderdrukt.",
                "Directe identificatoren (token, IP-adres, e-mailadres, organisatie, tijdstempels, responsnummer) zijn "
                "verwijderd. respondent_key is een pseudoniem: een HMAC met een geheime sleutel, zonder die sleutel niet "
                "terug te voeren op een persoon.",
                "Open teksten zijn ontdaan van namen, organisaties, e-mailadressen, telefoonnummers, adressen, IBAN en "
                "BSN ([PERSOON], [ORGANISATIE], ...).",
            ],
            "does_not_protect_against": [
                "Iemand die (een deel van) de antwoorden van een respondent kent, kan die respondent terugvinden en de "
                "rest van de antwoorden lezen.",
                "Heridentificatie via zeldzame inhoud van een open tekst (een uniek project, een voorval) die de "
                "de-identificatie niet als persoonsgegeven herkent.",
                "Koppelen van metingen via het pseudoniem: dezelfde persoon heeft in elke golf dezelfde respondent_key "
                "(zo bedoeld, voor onderzoek over de tijd).",
                "Met deze microdata is elke onderdrukte cel van de openbare tabellen terug te rekenen. Daarom alleen "
                "voor analisten onder een gebruiksovereenkomst, nooit openbaar.",
            ],
            "before_handing_over": [
                "Laat de ontvanger een gebruiksovereenkomst ondertekenen: geen pogingen tot heridentificatie, geen "
                "koppeling met andere gegevens over personen, geen publicatie van aantallen onder {min_count}, veilige "
                "opslag, en verwijdering aan het einde van het project.",
                "Leg vast wie welke release (golf, releasenummer, inhoudsvingerafdruk) heeft ontvangen, en wanneer.",
                "Controleer dat de map door de pijplijn is gemaakt en niet is gewijzigd "
                "(verkenning.release.verify_release(<map>) of manifest.json), en geef alleen deze map door.",
            ],
        },
        "en": {
            "label": "Scientific use",
            "contents": "This folder holds the k-anonymous microdata and the de-identified free text: {tables}.",
            "audience": "Analysts and researchers under a signed data-use agreement only. Not for publication.",
            "protects_against": [
                "k-anonymity: every combination of the coarsened background variables occurs at least k = {k} times; "
                "values were suppressed where needed.",
                "Direct identifiers (token, IP address, e-mail address, organisation, timestamps, response id) are "
                "removed. respondent_key is a pseudonym: a keyed HMAC, not reversible without the secret key.",
                "Free text is stripped of names, organisations, e-mail addresses, phone numbers, addresses, IBAN and "
                "BSN ([PERSOON], [ORGANISATIE], ...).",
            ],
            "does_not_protect_against": [
                "Someone who knows (part of) a respondent's answers can find that respondent and read the other answers.",
                "Re-identification through rare free-text content (a unique project, an incident) that the "
                "de-identification does not recognise as personal data.",
                "Linking waves through the pseudonym: a person has the same respondent_key in every wave (by design, "
                "for research over time).",
                "With these microdata every suppressed cell of the public tables can be recomputed. Hence for analysts "
                "under a data-use agreement only, never public.",
            ],
            "before_handing_over": [
                "Have the recipient sign a data-use agreement: no attempts at re-identification, no linking with other "
                "data about persons, no publication of counts below {min_count}, secure storage, deletion at the end of "
                "the project.",
                "Record who received which release (wave, release id, content fingerprint), and when.",
                "Check that the folder was made by the pipeline and is unchanged (verkenning.release.verify_release("
                "<folder>) or manifest.json), and hand over this folder only.",
            ],
        },
    },
}

# Headings of the Toelichting's first sections, in the order they appear.
TIER_SECTION_HEADINGS = {
    "contents": "Welke laag is dit",
    "audience": "Wie mag deze laag ontvangen",
    "protects_against": "Waartegen deze laag beschermt",
    "does_not_protect_against": "Waartegen deze laag niet beschermt",
    "before_handing_over": "Voordat u deze laag overdraagt",
}

# The paragraphs of explanation() that concern each tier: cell suppression is about the aggregate tables, the
# anonymisation of microdata and texts about the scientific-use tier.
TIER_EXPLANATION_KEYS = {
    "public": ("wave", "sources", "suppression"),
    "scientific_use": ("wave", "sources", "anonymisation"),
}


def tier_description(tier: str, parameters: dict, tables: list[str], language: str = "nl") -> dict[str, Any]:
    """TIER_TEXTS of one tier and language, with the thresholds and table names filled in."""
    try:
        texts = TIER_TEXTS[tier][language]
    except KeyError:
        raise ValueError(f"no texts for tier {tier!r} in language {language!r}") from None
    min_count = parameters.get("min_count")
    values = {
        "min_count": min_count if min_count is not None else "min_count",
        "largest_small_count": min_count - 1 if isinstance(min_count, int) else "min_count - 1",
        "k": parameters.get("k", "k"),
        "tables": ", ".join(tables),
    }
    return {
        key: [line.format(**values) for line in text] if isinstance(text, list) else text.format(**values)
        for key, text in texts.items()
    }


def tier_explanation(explanation_paragraphs: dict[str, str], tier: str) -> dict[str, str]:
    """The paragraphs of explanation() that belong in the Toelichting of one tier."""
    return {key: text for key, text in explanation_paragraphs.items() if key in TIER_EXPLANATION_KEYS[tier]}
