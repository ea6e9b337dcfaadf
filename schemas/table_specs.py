"""The columns of the survey's tables, derived from the codebook once (as PUDL derives its table metadata).

Which columns a question gives, their type, the values they may hold and what they mean are decided here, for
the staged survey responses (restricted zone) and for the anonymised respondents (the microdata an analyst reads
row by row). From these specifications follow:
- the staged survey's pandera contract (schemas/staged_contract.py) and its Great Expectations suite;
- the anonymisation's choice of columns and the GX suite of the anonymised respondents (schemas/quality_suites.py);
- the column descriptions of the Toelichting and of the Dagster asset pages (verkenning/release/explanation.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
