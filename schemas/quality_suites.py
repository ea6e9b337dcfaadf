"""Great Expectations suites derived from the codebook, one per zone boundary (so far: staged survey responses).

Each expectation is blocking (publication must stop) or a warning (a steward should look).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas.codebook import Codebook


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
