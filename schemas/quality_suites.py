"""Great Expectations suites derived from the codebook, one per zone boundary: staged survey responses,
anonymised respondents and the question frequencies mart.

Each expectation is blocking (publication must stop) or a warning (a steward should look).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas.codebook import TICKED, Codebook, Question


@dataclass(frozen=True)
class Expectation:
    type: str  # a GX expectation class name, e.g. "ExpectColumnValuesToBeInSet"
    kwargs: dict[str, Any]
    blocking: bool
    why: str


def staged_survey_suite(codebook: Codebook, previous_rows: int | None = None) -> list[Expectation]:
    """What must hold for completed, staged responses."""
    suite = [Expectation("ExpectColumnValuesToBeUnique", {"column": "id"}, True, "one row per response")]
    for question in codebook.questions:
        if question.type in ("single", "array") and question.role in ("answer", "quasi_identifier"):
            allowed = sorted(code for code, option in question.options.items() if not option.missing)
            columns = [question.code] if question.type == "single" else [question.item_column(c) for c in question.statements]
            for column in columns:
                suite.append(Expectation("ExpectColumnValuesToBeInSet", {"column": column, "value_set": allowed}, True,
                                         f"{column} holds only codes of the codebook"))
                values = [o.value for o in question.options.values() if o.value is not None]
                if values:
                    suite.append(Expectation("ExpectColumnValuesToBeBetween",
                                             {"column": f"{column}__value", "min_value": min(values), "max_value": max(values)},
                                             True, f"{column} scale values lie on the scale"))
    # Completeness of required questions: a completed response answered them (a "don't know" counts as answered).
    for question in codebook.questions:
        if question.required and question.shown_if is None and question.type in ("single", "array"):
            columns = [question.code] if question.type == "single" else [question.item_column(c) for c in question.statements]
            for column in columns:
                suite.append(Expectation("ExpectColumnValuesToNotBeInSet", {"column": f"{column}__missing_reason", "value_set": ["not answered"]},
                                         False, f"{column} is required and was answered"))
    if previous_rows:
        suite.append(Expectation("ExpectTableRowCountToBeBetween", {"min_value": previous_rows // 2, "max_value": previous_rows * 2},
                                 False, f"within half and twice the previous wave ({previous_rows} rows)"))
    else:
        suite.append(Expectation("ExpectTableRowCountToBeBetween", {"min_value": 1}, True, "the wave has responses"))
    return suite


def _coded_items(question: Question) -> list[str]:
    """The columns of a single or array question that hold one answer code each."""
    return [question.code] if question.type == "single" else [question.item_column(c) for c in question.statements]


def _substantive_codes(question: Question) -> list[str]:
    """Answer codes that count as an answer ("don't know" and the like are turned into a missing reason)."""
    return sorted(code for code, option in question.options.items() if not option.missing)


def _scale_range(question: Question) -> tuple[float, float] | None:
    values = [o.value for o in question.options.values() if o.value is not None]
    return (min(values), max(values)) if values else None


def anonymised_respondent_columns(codebook: Codebook) -> list[str]:
    """Every column the anonymised respondents table may have, derived from the codebook alone.

    No direct identifier, no response metadata (id, token, IP address, dates), no raw background answer or its
    "Anders" text: the background only as `<code>_group`.
    """
    columns = ["respondent_key", "wave", *[f"{q.code}_group" for q in codebook.questions_with_role("quasi_identifier")]]
    for question in codebook.questions:
        if question.role == "answer":
            if question.type in ("single", "array"):
                for column in _coded_items(question):
                    columns += [column, f"{column}__missing_reason"]
                    if _scale_range(question):
                        columns.append(f"{column}__value")
            elif question.type == "multi":
                columns += [question.item_column(code) for code in question.options]
                columns.append(f"{question.code}__missing_reason")
            elif question.type == "number":
                columns += [question.code, f"{question.code}__missing_reason"]
            else:
                columns.append(question.code)
            if question.other:
                columns.append(question.other_column)
        elif question.role == "open_text":
            columns.append(question.code)
    return columns


def anonymised_respondents_suite(codebook: Codebook, k: int | None = None, previous_rows: int | None = None) -> list[Expectation]:
    """What must hold for the first table an analyst may see: pseudonyms, coarsened background, codebook answers."""
    suite = [
        Expectation("ExpectTableColumnsToMatchSet", {"column_set": anonymised_respondent_columns(codebook), "exact_match": True},
                    True, "exactly the columns the codebook allows: no direct identifier, metadata or raw background"),
        Expectation("ExpectColumnValuesToNotBeNull", {"column": "respondent_key"}, True, "every row has a pseudonym"),
        Expectation("ExpectColumnValuesToBeUnique", {"column": "respondent_key"}, True, "one row per person"),
    ]
    for question in codebook.questions_with_role("quasi_identifier"):
        suite.append(Expectation("ExpectColumnValuesToBeInSet", {"column": f"{question.code}_group", "value_set": sorted(question.released_labels())},
                                 True, f"{question.code} only as a group of the codebook, at any level of its hierarchy (or suppressed)"))
    for question in codebook.questions_with_role("answer"):
        if question.type == "number" and question.number_range is not None:
            bounds = {"min_value": question.number_range.minimum, "max_value": question.number_range.maximum}
            suite.append(Expectation("ExpectColumnValuesToBeBetween", {"column": question.code, **bounds},
                                     True, f"{question.code} is {question.number_range.describe()}"))
        if question.type in ("single", "array"):
            scale = _scale_range(question)
            for column in _coded_items(question):
                suite.append(Expectation("ExpectColumnValuesToBeInSet", {"column": column, "value_set": _substantive_codes(question)},
                                         True, f"{column} holds only codes of the codebook"))
                if scale:
                    suite.append(Expectation("ExpectColumnValuesToBeBetween",
                                             {"column": f"{column}__value", "min_value": scale[0], "max_value": scale[1]},
                                             True, f"{column} scale values lie on the scale"))
        elif question.type == "multi":
            for code in question.options:
                suite.append(Expectation("ExpectColumnValuesToBeInSet", {"column": question.item_column(code), "value_set": [True, False]},
                                         True, f"{question.item_column(code)} is ticked or not"))
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
