"""The contract of staged survey responses: a pandera schema rendered from the codebook's column specification.

Staging has normalised the codes, so here they must be exactly the codebook's (missing codes already turned
into missing, with their reason in `<column>__missing_reason`), scale values and numbers within their range,
and ticks booleans. Which columns there are, and what each may hold, is decided once in schemas/table_specs.py.
"""

from __future__ import annotations

import pandera.pandas as pa

from schemas.codebook import Codebook
from schemas.table_specs import ColumnSpec, staged_survey_columns


def pandera_column(spec: ColumnSpec) -> pa.Column:
    """A column of the specification as pandera checks it: its dtype, codes, range, nulls and uniqueness."""
    checks = []
    if spec.kind in ("code", "background") and spec.allowed:
        checks.append(pa.Check.isin(list(spec.allowed)))
    if spec.minimum is not None and spec.maximum is not None:
        checks.append(pa.Check.in_range(spec.minimum, spec.maximum))
    elif spec.minimum is not None:
        checks.append(pa.Check.ge(spec.minimum))
    elif spec.maximum is not None:
        checks.append(pa.Check.le(spec.maximum))
    return pa.Column(spec.dtype, checks, nullable=spec.nullable, unique=spec.unique, description=spec.description)


def build_staged_survey_contract(codebook: Codebook, completed: bool = True) -> pa.DataFrameSchema:
    columns = {spec.name: pandera_column(spec) for spec in staged_survey_columns(codebook, completed)}
    return pa.DataFrameSchema(columns, strict=False, name="staged survey responses")
