"""k-anonymity of the background variables: coarsening by the codebook's groups, and local suppression column by
column.

The column-by-column method sets the least important variable to missing for the records in too-small classes,
variable by variable in the stated order, until every combination occurs at least k times. Missing counts as a
value of its own when classes are counted, which never overstates how many records share a combination. It is
the baseline and the fallback of the search in microdata.py (which loses less), never the release's own method.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from schemas.codebook import Question


def group_column(question_code: str) -> str:
    return f"{question_code}_group"


def generalise(codes: pd.Series, question: Question) -> pd.Series:
    """Answer codes replaced by their `generalise` group (a number by its band); missing stays missing."""
    if question.type == "number":
        return question.band_of(codes)
    groups = {code: group for group, members in question.generalise.items() for code in members}
    return codes.map(groups).astype("string")


def class_sizes(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """For every record, how many records share its combination of values (missing counts as a value)."""
    keys = frame[list(columns)].astype("string").fillna("∅")
    return keys.groupby(list(columns), sort=False)[columns[0]].transform("size")


@dataclass
class SuppressionResult:
    frame: pd.DataFrame
    k: int
    smallest_class: int
    suppressed_per_variable: dict[str, int]
    records_fully_suppressed: int

    @property
    def k_reached(self) -> bool:
        return self.smallest_class >= self.k or self.frame.empty


def enforce_k_anonymity(frame: pd.DataFrame, order: Sequence[str], k: int) -> SuppressionResult:
    """Suppress values of `order` (least important first) until every combination occurs at least k times.

    If that cannot be done by suppressing variable by variable (the all-missing class stays under k),
    whole records are suppressed from the classes with the most room to spare; only a table with fewer
    than k records at all ends below k, with every value suppressed.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    columns = list(order)
    result = frame.copy()
    before = result[columns].notna().sum()
    for column in columns:
        small = class_sizes(result, columns) < k
        if not small.any():
            break
        result.loc[small, column] = pd.NA

    all_missing = result[columns].isna().all(axis=1)
    shortfall = k - int(all_missing.sum())
    if all_missing.any() and shortfall > 0:
        result.loc[_records_to_join_the_suppressed(result, columns, all_missing, k, shortfall), columns] = pd.NA

    after = result[columns].notna().sum()
    final_sizes = class_sizes(result, columns) if len(result) else pd.Series(dtype=int)
    return SuppressionResult(
        frame=result,
        k=k,
        smallest_class=int(final_sizes.min()) if len(final_sizes) else 0,
        suppressed_per_variable={c: int(before[c] - after[c]) for c in columns},
        records_fully_suppressed=int(result[columns].isna().all(axis=1).sum() - frame[columns].isna().all(axis=1).sum()),
    )


def _records_to_join_the_suppressed(
    frame: pd.DataFrame, columns: list[str], all_missing: pd.Series, k: int, shortfall: int
) -> pd.Index:
    """Records to suppress whole so that the all-missing class reaches k without breaking another class:
    first records a class can spare (beyond its k), then whole classes, smallest first."""
    keys = frame[columns].astype("string").fillna("∅").agg("|".join, axis=1)[~all_missing]
    rank_in_class = keys.groupby(keys).cumcount()
    spare = rank_in_class[rank_in_class >= k].index
    if len(spare) >= shortfall:
        return spare[:shortfall]
    chosen = list(spare)
    remaining = keys.drop(index=spare)
    for _, members in sorted(remaining.groupby(remaining).groups.items(), key=lambda item: (len(item[1]), item[0])):
        if len(chosen) >= shortfall:
            break
        chosen.extend(members)
    return pd.Index(chosen)
