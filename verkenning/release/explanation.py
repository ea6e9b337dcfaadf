"""The words of a release: what each table and column means, and the Toelichting (explanation) sheet's paragraphs."""

from __future__ import annotations

import pandas as pd

from schemas.codebook import Codebook

TABLE_DESCRIPTIONS = {
    "question_frequencies": "Aantallen en percentages per vraag, stelling of antwoordoptie (lang formaat).",
    "crosstabs": "Dezelfde aantallen uitgesplitst naar sectorgroep, omvang, functiegroep en regio.",
    "scale_summaries": "Per schaalvraag: geldige en ontbrekende antwoorden, gemiddelde, standaardafwijking en aandeel (helemaal) eens.",
    "open_answers": "De open antwoorden en 'Anders'-teksten, ontdaan van persoonsgegevens, in een volgorde die niets zegt over wie wanneer antwoordde.",
    "workshop_notes": "De post-its van werkvorm 1 per bijeenkomst, tafel en categorie (Toepassing, Kans, Zorg), zonder auteurs.",
    "workshop_statements": "Eens, neutraal en oneens per stelling over 2030, per bijeenkomst en in totaal ('all').",
    "workshop_support_needs": "Stemmen (stippen) per ondersteuningsbehoefte en thema, per bijeenkomst en in totaal, gerangschikt.",
    "respondents": "De geanonimiseerde microdata: één rij per voltooide respons.",
}

COMMON_COLUMNS = {
    "wave": "De meting (golf), genoemd naar het einde van het veldwerk.",
    "question_code": "Code van de vraag in de vragenlijst (codeboek).",
    "item_code": "Stelling (array) of optie (meerkeuze); leeg bij een enkelvoudige vraag.",
    "option_code": "Antwoordcode; 'Y' = aangevinkt bij een meerkeuzevraag.",
    "label_nl": "Omschrijving in het Nederlands.",
    "label_en": "Omschrijving in het Engels.",
    "n": "Aantal respondenten; leeg als het onderdrukt is.",
    "base_n": "Respondenten die de vraag kregen en een inhoudelijk antwoord gaven ('weet niet', niet getoond en niet beantwoord tellen niet mee).",
    "pct": "n als percentage van base_n; leeg als onderdrukt of base_n kleiner dan de drempel.",
    "suppressed": "Waar als de cel onderdrukt is.",
    "suppression": "'primary' (te klein aantal) of 'secondary' (onderdrukt zodat een andere cel niet terug te rekenen is).",
    "breakdown": "De achtergrondvariabele van de uitsplitsing.",
    "breakdown_group": "De groep van de uitsplitsing; UNKNOWN = onderdrukt voor k-anonimiteit.",
    "respondent_key": "Pseudoniem: gelijk voor dezelfde persoon in elke meting, niet terug te voeren op een persoon.",
    "meeting": "De workshopbijeenkomst (datum_plaats) of 'all' voor het totaal.",
}


def table_descriptions() -> dict[str, str]:
    return dict(TABLE_DESCRIPTIONS)


def column_descriptions(tables: dict[str, pd.DataFrame], codebook: Codebook) -> dict[str, dict[str, str]]:
    """A description for every column of every table: common columns, and question columns from the codebook."""
    by_column: dict[str, str] = {}
    for question in codebook.questions:
        by_column[question.code] = question.text_nl
        by_column[f"{question.code}_group"] = f"{question.text_nl} (gegroepeerd)"
        for code, statement in question.statements.items():
            by_column[question.item_column(code)] = f"{question.text_nl}: {statement.label_nl}"
        if question.type == "multi":
            for code, option in question.options.items():
                by_column[question.item_column(code)] = f"{question.text_nl}: {option.label_nl} (aangevinkt)"
        if question.other:
            by_column[question.other_column] = f"{question.text_nl}: toelichting bij 'Anders'"
    descriptions = {}
    for name, table in tables.items():
        columns = {}
        for column in table.columns:
            base = column.split("__")[0]
            text = COMMON_COLUMNS.get(column) or by_column.get(column) or by_column.get(base) or column.replace("_", " ")
            if column.endswith("__value"):
                text += " (schaalwaarde)"
            elif column.endswith("__missing_reason"):
                text += " (reden van ontbreken)"
            columns[column] = text
        descriptions[name] = columns
    return descriptions


def explanation(codebook: Codebook, wave: str, parameters: dict) -> dict[str, str]:
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
            "zijn verwijderd; respondent_key is een sleutel-afhankelijk pseudoniem. Sector, omvang, functie en provincie "
            f"zijn gegroepeerd en lokaal onderdrukt tot elke combinatie minstens k = {parameters['k']} keer voorkomt "
            f"(volgorde: {', '.join(parameters['suppression_order'])}). Open teksten zijn ontdaan van namen, organisaties, "
            "e-mailadressen, telefoonnummers, adressen, IBAN en BSN ([PERSOON], [ORGANISATIE], ...)."
        ),
        "suppression": (
            f"Aantallen groter dan 0 en kleiner dan {parameters['min_count']} zijn onderdrukt (primair), en zo nodig "
            "andere cellen (secundair), zodat geen onderdrukte waarde uit totalen of andere cellen terug te rekenen is. "
            f"Gemiddelden en aandelen op minder dan {parameters['min_base']} respondenten, of naast onderdrukte cellen, "
            "zijn ook onderdrukt."
        ),
    }
