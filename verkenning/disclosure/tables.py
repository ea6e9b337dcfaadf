"""From published tables to cells and relations, and back: what the suppression and the audit work on.

The marts build a table of cells per question item (or workshop statement) from the true counts and call
`protect`; the audit then sees only what is published, now and by the wave's earlier releases, and solves it
as an attacker would.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from verkenning.disclosure.cells import (
    PRIMARY,
    SECONDARY,
    CellRange,
    CellTable,
    DisclosureRule,
    ProtectionError,
    Relation,
    audit,
    is_primary,
    protect,
)

# Suppressing a headline figure (an overall count) costs more than a count of one group.
OVERALL_WEIGHT = 3.0


@dataclass
class EarlierCells:
    """What the wave's earlier releases published per cell key: suppressed there, or the value shown."""

    suppressed: set[Hashable] = field(default_factory=set)
    published: dict[Hashable, set[int]] = field(default_factory=dict)

    @classmethod
    def from_frames(cls, frames: Iterable[pd.DataFrame], key: Sequence[str], value: str) -> "EarlierCells":
        cells = cls()
        for frame in frames:
            if frame.empty or any(column not in frame for column in (*key, value)):
                continue
            for row_key, shown in zip(frame[list(key)].astype(str).itertuples(index=False, name=None), frame[value]):
                if pd.isna(shown):
                    cells.suppressed.add(row_key)
                else:
                    cells.published.setdefault(row_key, set()).add(int(shown))
        return cells

    @classmethod
    def of(cls, earlier: Sequence[Mapping[str, pd.DataFrame]], key: Sequence[str], all_answered: str = "") -> "EarlierCells":
        """Frequency cells of earlier releases (overall rows have an empty breakdown); with `all_answered`, each
        row group's `all_n` too, as the cell of that option code."""
        frames = []
        for tables in earlier:
            if "question_frequencies" in tables:
                frames.append(tables["question_frequencies"].assign(breakdown="", breakdown_group=""))
            if "crosstabs" in tables:
                frames.append(tables["crosstabs"])
        totals = []
        for frame in frames:
            if not all_answered or "all_n" not in frame or "is_missing" not in frame:
                continue
            with_missing = frame.groupby(["question_code", "item_code"])["is_missing"].transform("any").astype(bool)
            rows = frame[with_missing]
            totals.append(rows.assign(option_code=all_answered, n=rows["all_n"]).drop_duplicates(list(key)))
        return cls.from_frames([*frames, *totals], key, "n")


@dataclass(frozen=True)
class PreparedTable:
    cells: CellTable
    primary: list[bool]

    def protect(self, rule: DisclosureRule) -> list[str | None]:
        """Kinds per cell from `protect`; where no choice of complements protects every small cell (the wave
        changed and an earlier release already published the cells it would need), every cell an earlier
        release did not publish is suppressed, and the audit, the blocking check, says which cell is exposed."""
        try:
            return protect(self.cells, self.primary, rule)
        except ProtectionError:
            return [
                PRIMARY if primary else (None if fixed else SECONDARY)
                for primary, fixed in zip(self.primary, self.cells.fixed)
            ]


def cell_table(
    values: Sequence[int],
    bases: Sequence[int],
    relations: Sequence[Relation],
    mirrored: bool,
    rule: DisclosureRule,
    overall: set[int],
    earlier: EarlierCells,
    keys: Sequence[tuple[str, ...]],
    never_primary: set[int] = frozenset(),
) -> PreparedTable:
    """A table of true counts ready for `protect`: primary cells, caps, weights, and what earlier releases fixed.
    Cells in `never_primary` are totals (everybody who answered) that are not small counts of an answer."""
    primary = [c not in never_primary and is_primary(v, int(b), mirrored, rule) for c, (v, b) in enumerate(zip(values, bases))]
    keys = [tuple(str(part) for part in key) for key in keys]
    cells = CellTable(
        values=[int(v) for v in values],
        upper=[int(b) for b in bases],
        relations=list(relations),
        mirrored=[mirrored] * len(values),
        forced=[key in earlier.suppressed for key in keys],
        fixed=[int(v) in earlier.published.get(key, ()) for v, key in zip(values, keys)],
        weight=[OVERALL_WEIGHT if c in overall else 1.0 for c in range(len(values))],
    )
    return PreparedTable(cells, primary)


# ------------------------------------------------------------------------------------ audit of published tables


def audit_as_published(
    table: CellTable, kinds: Sequence[str | None], keys: Sequence[tuple[str, ...]], earlier: EarlierCells,
    rule: DisclosureRule, name: str,
) -> list["AuditedCell"]:
    """The attacker's bounds on every suppressed cell, from what is published now and by the wave's earlier
    releases: a cell an earlier release showed with today's value counts as known (the attacker who assumes the
    data did not change, and is right wherever that helps him). The true values serve only to judge the ranges."""
    keys = [tuple(str(part) for part in key) for key in keys]
    shown = [
        None if kind and value not in earlier.published.get(key, ()) else value
        for value, kind, key in zip(table.values, kinds, keys)
    ]
    ranges: list[CellRange] = audit(shown, kinds, table.upper, table.mirrored, table.relations, rule, table.values)
    return [
        AuditedCell(name, keys[r.cell], r.kind, r.minimum, r.maximum, r.a_priori, r.narrowed, r.pinned and r.kind != PRIMARY)
        for r in ranges
    ]


@dataclass(frozen=True)
class AuditedCell:
    table: str
    key: tuple[str, ...]
    kind: str
    minimum: int
    maximum: int
    a_priori: tuple[int, int] | None
    narrowed: bool
    pinned: bool


def summarise_audit(audited: Sequence[AuditedCell]) -> dict[str, object]:
    """What the audit's check shows: cells audited, the narrowest interval, and the failing cells (keys and bounds
    only: a failing cell's bounds are what an attacker could learn, so the steward sees what to fix)."""
    primary = [cell for cell in audited if cell.kind == PRIMARY]
    widths = [cell.maximum - cell.minimum for cell in primary]
    failing = [cell for cell in audited if cell.narrowed or cell.pinned]
    return {
        "cells_audited": len(audited),
        "primary_cells_audited": len(primary),
        "primary_cells_narrowed": sum(cell.narrowed for cell in audited),
        "secondary_cells_pinned": sum(cell.pinned for cell in audited),
        "narrowest_primary_interval": min(widths) + 1 if widths else None,
        "failing_cells": [
            {"table": c.table, "cell": " / ".join(c.key), "kind": c.kind, "attacker_range": [c.minimum, c.maximum],
             "a_priori": list(c.a_priori) if c.a_priori else None}
            for c in failing[:20]
        ],
    }
