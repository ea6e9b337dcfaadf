"""Great Expectations suites derived from the codebook, one per zone boundary: staged survey responses,
anonymised respondents and the question frequencies mart.

Each expectation is blocking (publication must stop) or a warning (a steward should look).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas.codebook import TICKED, Codebook
from schemas.table_specs import (
    MART_COLUMN_NAMES,
    MISSING_REASON_SUFFIX,
    VALUE_SUFFIX,
    microdata_columns,
    staged_survey_columns,
)


@dataclass(frozen=True)
class Expectation:
    type: str  # a GX expectation class name, e.g. "ExpectColumnValuesToBeInSet"
    kwargs: dict[str, Any]
    blocking: bool
    why: str


def staged_survey_suite(codebook: Codebook, previous_rows: int | None = None) -> list[Expectation]:
    """What must hold for completed, staged responses, rendered from their column specification: codes, scale
    values and numbers of the answers and background block; a required question left unanswered warns."""
    suite: list[Expectation] = []
    # Completeness of required questions: a completed response answered them (a "don't know" counts as answered).
    completeness: list[Expectation] = []
    for spec in staged_survey_columns(codebook, completed=True):
        question = codebook.question(spec.question) if spec.question else None
        checked = question is not None and question.role in ("answer", "quasi_identifier")
        if spec.unique:
            suite.append(Expectation("ExpectColumnValuesToBeUnique", {"column": spec.name}, True, "one row per response"))
        if checked and spec.kind == "code":
            suite.append(Expectation("ExpectColumnValuesToBeInSet", {"column": spec.name, "value_set": list(spec.allowed)}, True,
                                     f"{spec.name} holds only codes of the codebook"))
        if checked and spec.kind in ("scale_value", "number") and (spec.minimum is not None or spec.maximum is not None):
            what = "scale values lie on the scale" if spec.kind == "scale_value" else "numbers lie in the codebook's range"
            suite.append(Expectation("ExpectColumnValuesToBeBetween",
                                     {"column": spec.name, "min_value": spec.minimum, "max_value": spec.maximum}, True,
                                     f"{spec.name.removesuffix(VALUE_SUFFIX)} {what}"))
        if (spec.kind == "missing_reason" and question is not None and question.required and question.shown_if is None
                and question.type in ("single", "array", "number")):
            completeness.append(Expectation("ExpectColumnValuesToNotBeInSet", {"column": spec.name, "value_set": ["not answered"]},
                                            False, f"{spec.name.removesuffix(MISSING_REASON_SUFFIX)} is required and was answered"))
    suite += completeness
    if previous_rows:
        suite.append(Expectation("ExpectTableRowCountToBeBetween", {"min_value": previous_rows // 2, "max_value": previous_rows * 2},
                                 False, f"within half and twice the previous wave ({previous_rows} rows)"))
    else:
        suite.append(Expectation("ExpectTableRowCountToBeBetween", {"min_value": 1}, True, "the wave has responses"))
    return suite


def anonymised_respondent_columns(codebook: Codebook) -> list[str]:
    """Every column the anonymised respondents table may have: the codebook's microdata specification."""
    return [spec.name for spec in microdata_columns(codebook)]


def anonymised_respondents_suite(codebook: Codebook, k: int | None = None, previous_rows: int | None = None) -> list[Expectation]:
    """What must hold for the first table an analyst may see: pseudonyms, coarsened background, codebook answers."""
    suite = [
        Expectation("ExpectTableColumnsToMatchSet", {"column_set": anonymised_respondent_columns(codebook), "exact_match": True},
                    True, "exactly the columns the codebook allows: no direct identifier, metadata or raw background"),
        Expectation("ExpectColumnValuesToNotBeNull", {"column": "respondent_key"}, True, "every row has a pseudonym"),
        Expectation("ExpectColumnValuesToBeUnique", {"column": "respondent_key"}, True, "one row per person"),
    ]
    why = {
        "background": "{q} only as a group of the codebook, at any level of its hierarchy (or suppressed)",
        "code": "{c} holds only codes of the codebook",
        "tick": "{c} is ticked or not",
        "scale_value": "{c} lies on the scale",
        "number": "{c} lies in the codebook's range",
    }
    for spec in microdata_columns(codebook):
        if spec.allowed:
            suite.append(Expectation("ExpectColumnValuesToBeInSet", {"column": spec.name, "value_set": list(spec.allowed)},
                                     True, why[spec.kind].format(q=spec.question, c=spec.name)))
        if spec.minimum is not None or spec.maximum is not None:
            suite.append(Expectation("ExpectColumnValuesToBeBetween", {"column": spec.name, "min_value": spec.minimum, "max_value": spec.maximum},
                                     True, why[spec.kind].format(q=spec.question, c=spec.name)))
    suite.append(Expectation("ExpectTableRowCountToBeBetween", {"min_value": max(k or 1, 1)}, True,
                             f"at least {k} respondents, or no background combination can occur k times" if k else "the wave has respondents"))
    if previous_rows:
        suite.append(Expectation("ExpectTableRowCountToBeBetween", {"min_value": previous_rows // 2, "max_value": previous_rows * 2},
                                 False, f"within half and twice the previous wave ({previous_rows} rows)"))
    return suite


SUPPRESSION_KINDS = ["primary", "secondary"]


def frequency_cells(codebook: Codebook, released: dict[str, list[str]] | None = None) -> dict[str, dict[str, list[str]]]:
    """The cells of the question frequencies mart by the codebook: question code -> item code -> option codes.

    Background questions are counted by group (or by the categories of the level a wave's anonymisation chose,
    `released`), single and array questions by answer code ("don't know" too, in rows of their own), and every
    option of a multiple-choice question as ticked (Y).
    """
    cells: dict[str, dict[str, list[str]]] = {}
    for question in codebook.questions:
        if question.role == "quasi_identifier":
            cells[question.code] = {"": sorted((released or {}).get(question.code) or question.group_labels)}
        elif question.role == "answer" and question.type == "single":
            cells[question.code] = {"": sorted(question.options)}
        elif question.role == "answer" and question.type == "array":
            cells[question.code] = {item: sorted(question.options) for item in question.statements}
        elif question.role == "answer" and question.type == "multi":
            cells[question.code] = {item: [TICKED] for item in question.options}
    return cells


def question_frequencies_suite(codebook: Codebook, released: dict[str, list[str]] | None = None) -> list[Expectation]:
    """What must hold for published answer counts: codebook cells, once each, with counts and shares that can be."""
    cells = frequency_cells(codebook, released)
    items = sorted({item for by_item in cells.values() for item in by_item})
    options = sorted({option for by_item in cells.values() for codes in by_item.values() for option in codes})
    key = ["wave", "question_code", "item_code", "option_code"]
    return [
        Expectation("ExpectTableColumnsToMatchOrderedList", {"column_list": list(MART_COLUMN_NAMES["question_frequencies"])}, True,
                    "exactly the specified columns, in their order (schemas/table_specs.py)"),
        *[Expectation("ExpectColumnValuesToNotBeNull", {"column": column}, True, f"every cell has its {column}") for column in key],
        Expectation("ExpectColumnValuesToBeInSet", {"column": "question_code", "value_set": sorted(cells)}, True,
                    "only questions of the codebook that are counted (never a direct identifier or open text)"),
        Expectation("ExpectColumnValuesToBeInSet", {"column": "item_code", "value_set": items}, True, "only statements and options of the codebook"),
        Expectation("ExpectColumnValuesToBeInSet", {"column": "option_code", "value_set": options}, True, "only answer and group codes of the codebook"),
        Expectation("ExpectCompoundColumnsToBeUnique", {"column_list": key}, True, "one row per question, item and option in a wave"),
        Expectation("ExpectColumnValuesToBeBetween", {"column": "n", "min_value": 0}, True, "counts are not negative"),
        Expectation("ExpectColumnValuesToNotBeNull", {"column": "base_n"}, True, "every cell has its base"),
        Expectation("ExpectColumnValuesToBeBetween", {"column": "base_n", "min_value": 0}, True, "bases are not negative"),
        Expectation("ExpectColumnPairValuesAToBeGreaterThanB",
                    {"column_A": "base_n", "column_B": "n", "or_equal": True, "ignore_row_if": "either_value_is_missing",
                     "row_condition": "is_missing == False", "condition_parser": "pandas"},
                    True, "no count of a substantive answer exceeds its base"),
        Expectation("ExpectColumnPairValuesAToBeGreaterThanB",
                    {"column_A": "all_n", "column_B": "n", "or_equal": True, "ignore_row_if": "either_value_is_missing"},
                    True, "no count exceeds everybody who answered"),
        Expectation("ExpectColumnValuesToBeBetween", {"column": "pct", "min_value": 0, "max_value": 100}, True, "percentages lie between 0 and 100"),
        Expectation("ExpectColumnValuesToBeBetween", {"column": "pct_of_all", "min_value": 0, "max_value": 100}, True,
                    "percentages of everybody who answered lie between 0 and 100"),
        Expectation("ExpectColumnValuesToBeInSet", {"column": "is_missing", "value_set": [True, False]}, True,
                    "every row says whether it is a \"don't know\" option"),
        Expectation("ExpectColumnPairValuesAToBeGreaterThanB",
                    {"column_A": "all_n", "column_B": "base_n", "or_equal": True, "ignore_row_if": "either_value_is_missing"},
                    True, "everybody who answered includes those who gave a substantive answer"),
        Expectation("ExpectColumnValuesToBeInSet", {"column": "suppression", "value_set": SUPPRESSION_KINDS}, True,
                    "a cell is published, or suppressed as primary or secondary"),
        Expectation("ExpectTableRowCountToEqual", {"value": sum(len(codes) for by_item in cells.values() for codes in by_item.values())},
                    True, "one row per cell of the codebook"),
    ]
