"""The contract of staged survey responses: a pandera schema derived from the codebook.

Staging has normalised the codes, so here they must be exactly the codebook's (missing codes
already turned into missing), scale values numbers within the scale, and ticks booleans.
"""

from __future__ import annotations

import pandera.pandas as pa

from schemas.codebook import Codebook


def build_staged_survey_contract(codebook: Codebook, completed: bool = True) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {
        "id": pa.Column("Int64", nullable=False, unique=True),
        "submitdate": pa.Column("datetime64[ns]", nullable=not completed),
        "startdate": pa.Column("datetime64[ns]", nullable=False),
    }
    for question in codebook.questions:
        if question.type in ("single", "array"):
            allowed = sorted(code for code, option in question.options.items() if not option.missing)
            values = [option.value for option in question.options.values() if option.value is not None]
            items = [question.code] if question.type == "single" else [question.item_column(c) for c in question.statements]
            for column in items:
                columns[column] = pa.Column("string", pa.Check.isin(allowed), nullable=True)
                if values:
                    columns[f"{column}__value"] = pa.Column(
                        "Float64", pa.Check.in_range(min(values), max(values)), nullable=True
                    )
        elif question.type == "number":
            accepted = question.number_range
            low, high = (accepted.minimum, accepted.maximum) if accepted else (None, None)
            checks = [pa.Check.ge(low)] if low is not None else []
            checks += [pa.Check.le(high)] if high is not None else []
            columns[question.code] = pa.Column("Float64", checks, nullable=True)
        elif question.type == "multi":
            for code in question.options:
                columns[question.item_column(code)] = pa.Column("boolean", nullable=True)
        if question.other:
            columns[question.other_column] = pa.Column("string", nullable=True)
    return pa.DataFrameSchema(columns, strict=False, name="staged survey responses")
