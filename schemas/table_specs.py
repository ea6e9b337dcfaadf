"""The columns of the survey's tables, derived from the codebook once (as PUDL derives its table metadata).

Which columns a question gives, their type, the values they may hold and what they mean are decided here, for
the staged survey responses (restricted zone) and for the anonymised respondents (the microdata an analyst reads
row by row). From these specifications follow:
- the staged survey's pandera contract (schemas/staged_contract.py) and its Great Expectations suite;
- the anonymisation's choice of columns and the GX suite of the anonymised respondents (schemas/quality_suites.py);
- the column descriptions of the Toelichting and of the Dagster asset pages (verkenning/release/explanation.py).
The marts' columns, the same for every codebook, are specified here too (`mart_columns`), and every mart and the
microdata are conformed to their specification before they are stored (`conform`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from schemas.codebook import Codebook, Question

ColumnKind = Literal[
    "key", "metadata", "background", "code", "scale_value", "missing_reason", "tick", "number", "free_text", "identifier"
]
Zone = Literal["staged", "analysis"]  # the restricted zone's staged tables, or what an analyst may read
# Columns that hold a fixed vocabulary or numbers nobody typed: never scanned for leaked names.
CODED_KINDS: frozenset[str] = frozenset({"code", "scale_value", "missing_reason", "tick", "number"})
MISSING_REASON_SUFFIX = "__missing_reason"
VALUE_SUFFIX = "__value"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: ColumnKind
    dtype: str  # the pandas dtype the column has
    description: str  # in Dutch, for the Toelichting and the asset page
    question: str | None = None
    allowed: tuple[object, ...] = ()  # the values it may hold (empty: not a fixed set)
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = True
    unique: bool = False


def _scale_range(question: Question) -> tuple[float, float] | None:
    values = [o.value for o in question.options.values() if o.value is not None]
    return (min(values), max(values)) if values else None


def _coded(question: Question, column: str, description: str) -> list[ColumnSpec]:
    """An answer code column with its missing reason, and its scale value where the options carry values."""
    substantive = tuple(sorted(code for code, option in question.options.items() if not option.missing))
    specs = [ColumnSpec(column, "code", "string", description, question.code, substantive)]
    scale = _scale_range(question)
    if scale:
        specs.append(ColumnSpec(column + VALUE_SUFFIX, "scale_value", "Float64", f"{description} (schaalwaarde)",
                                question.code, minimum=scale[0], maximum=scale[1]))
    specs.append(ColumnSpec(column + MISSING_REASON_SUFFIX, "missing_reason", "string", f"{description} (reden van ontbreken)", question.code))
    return specs


def _text_column(question: Question, zone: Zone) -> ColumnSpec:
    if question.role == "direct_identifier":  # never in the analysis zone (microdata_columns leaves it out)
        return ColumnSpec(question.code, "identifier", "string",
                          f"{question.text_nl} (direct identificerend: alleen in de afgeschermde zone)", question.code)
    suffix = "ontdaan van persoonsgegevens" if zone == "analysis" else "zoals ingevuld: alleen in de afgeschermde zone"
    return ColumnSpec(question.code, "free_text", "string", f"{question.text_nl} ({suffix})", question.code)


def _answer_columns(question: Question, zone: Zone = "analysis") -> list[ColumnSpec]:
    """The columns one question gives after staging, whatever its role: its type decides them."""
    text = question.text_nl
    if question.type == "single":
        specs = _coded(question, question.code, text)
    elif question.type == "array":
        specs = [spec for code, statement in question.statements.items()
                 for spec in _coded(question, question.item_column(code), f"{text}: {statement.label_nl}")]
    elif question.type == "multi":
        specs = [ColumnSpec(question.item_column(code), "tick", "boolean", f"{text}: {option.label_nl} (aangevinkt)",
                            question.code, (True, False)) for code, option in question.options.items()]
        specs.append(ColumnSpec(question.code + MISSING_REASON_SUFFIX, "missing_reason", "string", f"{text} (reden van ontbreken)", question.code))
    elif question.type == "number":
        accepted = question.number_range
        specs = [
            ColumnSpec(question.code, "number", "Float64", text, question.code,
                       minimum=accepted.minimum if accepted else None, maximum=accepted.maximum if accepted else None),
            ColumnSpec(question.code + MISSING_REASON_SUFFIX, "missing_reason", "string", f"{text} (reden van ontbreken)", question.code),
        ]
    else:
        specs = [_text_column(question, zone)]
    if question.other:
        specs.append(ColumnSpec(question.other_column, "free_text", "string", f"{text}: toelichting bij 'Anders'", question.code))
    return specs


def microdata_columns(codebook: Codebook) -> list[ColumnSpec]:
    """Every column of the anonymised respondents, in order: the pseudonym and wave, the background only as
    `<code>_group` (at any level of its hierarchy), then the answers in codebook order. No direct identifier,
    no response metadata (id, token, IP address, dates), no raw background answer or its "Anders" text."""
    columns = [
        ColumnSpec("respondent_key", "key", "string", "Pseudoniem: gelijk voor dezelfde persoon in elke meting, niet terug te voeren op een persoon."),
        ColumnSpec("wave", "key", "string", "De meting (golf), genoemd naar het einde van het veldwerk."),
    ]
    for question in codebook.questions_with_role("quasi_identifier"):
        columns.append(ColumnSpec(f"{question.code}_group", "background", "string", f"{question.text_nl} (gegroepeerd)",
                                  question.code, tuple(sorted(question.released_labels()))))
    for question in codebook.questions:
        if question.role == "answer":
            columns += _answer_columns(question)
        elif question.role == "open_text":
            columns.append(_text_column(question, "analysis"))
    return columns


def staged_survey_columns(codebook: Codebook, completed: bool = True) -> list[ColumnSpec]:
    """The columns of the staged survey responses that the codebook decides, and the response metadata they are
    checked with: the response id (one row per response), its dates (a completed response has a submit date),
    then every question's columns in codebook order. The export's other metadata (token, IP address, ...) is
    optional: anonymous surveys have none of it."""
    columns = [
        ColumnSpec("id", "key", "Int64", "Responsnummer in de export van de enquêtetool.", nullable=False, unique=True),
        ColumnSpec("submitdate", "metadata", "datetime64[ns]", "Tijdstip van insturen; leeg bij een onvoltooide respons.",
                   nullable=not completed),
        ColumnSpec("startdate", "metadata", "datetime64[ns]", "Tijdstip waarop de respons begon.", nullable=False),
    ]
    for question in codebook.questions:
        columns += _answer_columns(question, "staged")
    return columns


def microdata_descriptions(codebook: Codebook) -> dict[str, str]:
    return {spec.name: spec.description for spec in microdata_columns(codebook)}


# --- the marts: tables of counts and summaries, the same columns for every codebook ------------------------------

_TEXT, _COUNT, _SHARE, _FLAG = "string", "Int64", "Float64", "bool"
_MART_COLUMN_TYPES: dict[str, tuple[str, str]] = {  # column -> (dtype, description in Dutch)
    "wave": (_TEXT, "De meting (golf), genoemd naar het einde van het veldwerk."),
    "question_code": (_TEXT, "Code van de vraag in de vragenlijst (codeboek)."),
    "item_code": (_TEXT, "Stelling (array) of optie (meerkeuze); leeg bij een enkelvoudige vraag."),
    "option_code": (_TEXT, "Antwoordcode; 'Y' = aangevinkt bij een meerkeuzevraag."),
    "label_nl": (_TEXT, "Omschrijving in het Nederlands."),
    "label_en": (_TEXT, "Omschrijving in het Engels."),
    "n": (_COUNT, "Aantal respondenten (bij de stellingen: deelnemers die een mening gaven); leeg als het onderdrukt is."),
    "base_n": (_COUNT, "Respondenten die de vraag kregen en een inhoudelijk antwoord gaven ('weet niet', niet getoond en niet beantwoord tellen niet mee)."),
    "pct": (_SHARE, "n als percentage van base_n; leeg als onderdrukt of base_n kleiner dan de drempel, en bij 'weet niet'."),
    "is_missing": (_FLAG, "Waar voor een antwoord dat niet inhoudelijk telt ('weet niet'): het telt niet mee in base_n en pct."),
    "all_n": (_COUNT, "Respondenten die een antwoordcode gaven, 'weet niet' inbegrepen; leeg als het onderdrukt is."),
    "pct_of_all": (_SHARE, "n als percentage van all_n; leeg als onderdrukt of all_n kleiner dan de drempel."),
    "suppressed": (_FLAG, "Waar als de cel onderdrukt is (in scale_summaries: de statistieken van de rij)."),
    "suppression": (_TEXT, "'primary' (te klein aantal) of 'secondary' (onderdrukt zodat een andere cel niet terug te rekenen is)."),
    "breakdown": (_TEXT, "De achtergrondvariabele van de uitsplitsing."),
    "breakdown_group": (_TEXT, "De groep van de uitsplitsing; UNKNOWN = onderdrukt voor k-anonimiteit."),
    "breakdown_label_nl": (_TEXT, "Omschrijving van de groep in het Nederlands."),
    "breakdown_label_en": (_TEXT, "Omschrijving van de groep in het Engels."),
    "n_valid": (_COUNT, "Respondenten met een geldig (inhoudelijk) antwoord."),
    "n_missing": (_COUNT, "Respondenten die de vraag kregen maar geen inhoudelijk antwoord gaven; leeg als het onderdrukt is."),
    "mean": (_SHARE, "Gemiddelde van de geldige antwoorden; leeg als de statistieken onderdrukt zijn."),
    "sd": (_SHARE, "Standaardafwijking van de geldige antwoorden; leeg als onderdrukt."),
    "median": (_SHARE, "Mediaan van de geldige antwoorden; leeg als de statistieken onderdrukt zijn."),
    "q1": (_SHARE, "Eerste kwartiel (25%) van de geldige antwoorden; leeg als onderdrukt."),
    "q3": (_SHARE, "Derde kwartiel (75%) van de geldige antwoorden; leeg als onderdrukt."),
    "share_agree": (_SHARE, "Aandeel (helemaal) eens van de geldige antwoorden (0 tot 1); leeg bij een getalvraag of als onderdrukt."),
    "answer": (_TEXT, "Het open antwoord, ontdaan van persoonsgegevens."),
    "meeting": (_TEXT, "De workshopbijeenkomst (datum_plaats) of 'all' voor het totaal."),
    "meeting_date": ("object", "Datum van de bijeenkomst."),
    "meeting_place": (_TEXT, "Plaats van de bijeenkomst."),
    "table": (_TEXT, "De tafel van de werkvorm."),
    "category": (_TEXT, "Toepassing, Kans of Zorg."),
    "note": (_TEXT, "De tekst van de post-it, ontdaan van persoonsgegevens."),
    "statement": (_TEXT, "De stelling over 2030."),
    "agree": (_COUNT, "Aantal eens; leeg als het onderdrukt is."),
    "neutral": (_COUNT, "Aantal neutraal; leeg als het onderdrukt is."),
    "disagree": (_COUNT, "Aantal oneens; leeg als het onderdrukt is."),
    "pct_agree": (_SHARE, "Eens als percentage van n; leeg als het onderdrukt is."),
    "pct_neutral": (_SHARE, "Neutraal als percentage van n; leeg als het onderdrukt is."),
    "pct_disagree": (_SHARE, "Oneens als percentage van n; leeg als het onderdrukt is."),
    "theme": (_TEXT, "Het thema van de ondersteuningsbehoefte."),
    "need": (_TEXT, "De ondersteuningsbehoefte in de woorden van de tafel, ontdaan van persoonsgegevens."),
    "needs": (_COUNT, "Aantal behoeften binnen het thema."),
    "votes": (_COUNT, "Aantal stemmen (stippen)."),
    "rank": (_COUNT, "Rang naar stemmen (1 = de meeste)."),
}
_FREQUENCIES = ("wave", "question_code", "item_code", "option_code", "label_nl", "label_en",
                "n", "base_n", "pct", "is_missing", "all_n", "pct_of_all", "suppressed", "suppression")
_BREAKDOWN = ("breakdown", "breakdown_group", "breakdown_label_nl", "breakdown_label_en")
MART_COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "question_frequencies": _FREQUENCIES,
    "crosstabs": (_FREQUENCIES[0], *_BREAKDOWN, *_FREQUENCIES[1:]),
    "scale_summaries": ("wave", "breakdown", "breakdown_group", "question_code", "item_code", "label_nl", "label_en",
                        "n_valid", "n_missing", "mean", "sd", "median", "q1", "q3", "share_agree", "suppressed"),
    "open_answers": ("wave", "question_code", "item_code", "label_nl", "label_en", "answer"),
    "workshop_notes": ("wave", "meeting", "meeting_date", "meeting_place", "table", "category", "note"),
    "workshop_statements": ("wave", "meeting", "statement", "agree", "neutral", "disagree", "n", "pct_agree", "pct_neutral",
                            "pct_disagree", "suppressed", "suppression"),
    "workshop_support_needs": ("wave", "meeting", "theme", "need", "votes", "rank"),
    "workshop_support_themes": ("wave", "meeting", "theme", "needs", "votes", "rank"),
}


def mart_columns(table: str) -> list[ColumnSpec]:
    """The columns of a mart, in order, with their type and description (the same for every codebook)."""
    return [ColumnSpec(name, "key" if name == "wave" else "metadata", *_MART_COLUMN_TYPES[name])
            for name in MART_COLUMN_NAMES[table]]


def mart_descriptions() -> dict[str, str]:
    return {name: description for name, (_, description) in _MART_COLUMN_TYPES.items()}


def conform(frame: pd.DataFrame, columns: list[ColumnSpec], table: str) -> pd.DataFrame:
    """The table with exactly the specified columns, in order and of the specified types; a column missing or one
    too many is an error of the code that built the table, named with the table."""
    names = [spec.name for spec in columns]
    missing, extra = [n for n in names if n not in frame.columns], [c for c in frame.columns if c not in names]
    if missing or extra:
        raise ValueError(f"table {table} does not have its specified columns: missing {missing}, not specified {extra}")
    return frame[names].astype({spec.name: spec.dtype for spec in columns})
