"""From published tables to cells and relations, and back: what the suppression and the audit work on.

The marts build a table of cells per question item (or workshop statement) from the true counts and call
`protect`; the audit rebuilds the same kind of table from the published columns alone, with the earlier
releases of the wave beside it, and solves it as an attacker would.
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
    def of(cls, earlier: Sequence[Mapping[str, pd.DataFrame]], key: Sequence[str]) -> "EarlierCells":
        """Frequency cells of earlier releases (overall rows have an empty breakdown)."""
        frames = []
        for tables in earlier:
            if "question_frequencies" in tables:
                frames.append(tables["question_frequencies"].assign(breakdown="", breakdown_group=""))
            if "crosstabs" in tables:
                frames.append(tables["crosstabs"])
        return cls.from_frames(frames, key, "n")


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
) -> PreparedTable:
    """A table of true counts ready for `protect`: primary cells, caps, weights, and what earlier releases fixed."""
    primary = [is_primary(v, int(b), mirrored, rule) for v, b in zip(values, bases)]
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
    releases (assumed to show the same data); the true values serve only to judge the ranges."""
    published = PublishedCells(name, relations=list(table.relations), mirrored=bool(table.mirrored and table.mirrored[0]))
    for key, value, kind, cap in zip(keys, table.values, kinds, table.upper):
        published.add(tuple(str(part) for part in key), None if kind else value, kind, cap)
    return published.with_earlier(earlier, table.values).audit(rule, table.values)


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


@dataclass
class PublishedCells:
    """The cells of one group of published relations, as an attacker reads them."""

    table: str
    keys: list[tuple[str, ...]] = field(default_factory=list)
    values: list[int | None] = field(default_factory=list)
    kinds: list[str | None] = field(default_factory=list)
    bases: list[int] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    mirrored: bool = False

    def add(self, key: tuple[str, ...], value: object, kind: object, base: int) -> int:
        self.keys.append(key)
        hidden = value is None or bool(pd.isna(value))
        self.values.append(None if hidden else int(value))
        self.kinds.append((PRIMARY if kind == PRIMARY else SECONDARY) if hidden else None)
        self.bases.append(int(base))
        return len(self.keys) - 1

    def with_earlier(self, earlier: EarlierCells, true_values: Sequence[int]) -> "PublishedCells":
        """The same cells, where a cell an earlier release of the wave published with today's value counts as
        known: the attacker who assumes the data did not change, and is right wherever that helps him."""
        values = list(self.values)
        for c, key in enumerate(self.keys):
            if values[c] is None and true_values[c] in earlier.published.get(key, ()):
                values[c] = true_values[c]
        return PublishedCells(self.table, self.keys, values, self.kinds, self.bases, self.relations, self.mirrored)

    def audit(self, rule: DisclosureRule, true_values: Sequence[int] | None = None) -> list["AuditedCell"]:
        ranges: list[CellRange] = audit(
            self.values, self.kinds, self.bases, [self.mirrored] * len(self.values), self.relations, rule, true_values
        )
        return [
            AuditedCell(self.table, self.keys[r.cell], r.kind, r.minimum, r.maximum, r.a_priori, r.narrowed,
                        r.pinned and r.kind != PRIMARY)
            for r in ranges
        ]


def published_frequency_cells(frequencies: pd.DataFrame, crosstabs: pd.DataFrame, ticked: str) -> list[PublishedCells]:
    """One set of cells per question item: options add up to base_n per group (not for a ticked option), and a
    breakdown's groups add up to the overall cell."""
    frame = pd.concat([frequencies.assign(breakdown="", breakdown_group=""), crosstabs], ignore_index=True)
    frame[["breakdown", "breakdown_group"]] = frame[["breakdown", "breakdown_group"]].fillna("")
    result = []
    for (question, item), cells in frame.groupby(["question_code", "item_code"], sort=False):
        multi = set(cells["option_code"]) == {ticked}
        table = PublishedCells("question_frequencies+crosstabs", mirrored=multi)
        index: dict[tuple[str, str, str], int] = {}
        for row in cells.itertuples(index=False):
            key = (str(question), str(item), str(row.option_code), str(row.breakdown), str(row.breakdown_group))
            index[key[2:]] = table.add(key, row.n, row.suppression, row.base_n)
        by_row: dict[tuple[str, str], list[int]] = {}
        for (option, breakdown, group), c in index.items():
            by_row.setdefault((breakdown, group), []).append(c)
        if not multi:
            for row_cells in by_row.values():
                table.relations.append(Relation(tuple(row_cells), (1,) * len(row_cells), table.bases[row_cells[0]]))
        columns: dict[tuple[str, str], list[int]] = {}
        for (option, breakdown, group), c in index.items():
            if breakdown:
                columns.setdefault((breakdown, option), []).append(c)
        for (breakdown, option), ids in columns.items():
            overall = index.get((option, "", ""))
            if overall is not None:
                table.relations.append(Relation((*ids, overall), (1,) * len(ids) + (-1,), 0))
        result.append(table)
    return result


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
