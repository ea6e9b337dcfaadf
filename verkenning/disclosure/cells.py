"""Cell suppression with protection intervals, and the attacker's audit, both as integer programs (HiGHS).

Published counts are tied together by linear relations: the options of a question add up to its `base_n`,
the groups of a breakdown add up to the overall count, the answers of a workshop row add up to its `n`. An
attacker who knows the rule (a count from 1 to min_count-1 is suppressed, and which cells are primary) solves
all of them at once as an integer program. Two things must then hold for every table of cells:

- a primary cell can still take both ends of its a-priori range (1 and min_count-1, capped by its base; for a
  ticked option of a multiple-choice question also the mirrored range: few who did *not* tick);
- every other suppressed cell can take at least two values.

`protect` chooses the complementary (secondary) cells, in the manner of tau-ARGUS's modular method: for each
primary cell and each end of its range it solves a small integer program for the cheapest set of extra cells
whose values can shift so that the primary cell reaches that end while every relation still holds. Each
such shift is itself a solution the attacker cannot rule out, so it proves the protection; the union of the
shifts' cells is suppressed. `audit` is the attacker: the minimum and maximum of every suppressed cell.

The public tier does not say which suppressed cells are primary: an attacker who knew it would learn that
each of them holds at least 1, and a sum of such cells would narrow their total whatever else is suppressed.
So a suppressed cell is, to the attacker, any count from 0 to its base.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

PRIMARY = "primary"
SECONDARY = "secondary"
Interval = tuple[int, int]


@dataclass(frozen=True)
class Relation:
    """sum(coefficient * cell) == total, where total is published (or 0 for a margin relation)."""

    cells: tuple[int, ...]
    coefficients: tuple[int, ...]
    total: float


@dataclass(frozen=True)
class DisclosureRule:
    min_count: int = 5  # counts above 0 and below this are suppressed
    min_base: int = 5  # means, shares and percentages on fewer respondents are suppressed

    def as_dict(self) -> dict[str, int]:
        return {"min_count": self.min_count, "min_base": self.min_base}


@dataclass
class CellTable:
    """Counts tied together by relations: one question item with its breakdowns, or one workshop statement.

    `upper` is the most a cell can hold given what is published about it (its row's base); `mirrored` marks
    the ticked option of a multiple-choice question, whose count is also disclosive when few did not tick.
    `fixed` cells are known to an attacker from elsewhere (an earlier release of the same wave), so they can
    never serve as complements; `forced` cells must be suppressed (they were in an earlier release).
    """

    values: list[int]
    upper: list[int]
    relations: list[Relation]
    mirrored: list[bool] = field(default_factory=list)
    fixed: list[bool] = field(default_factory=list)
    forced: list[bool] = field(default_factory=list)
    # Weight of suppressing a cell as a complement, relative to other cells (an overall count costs more).
    weight: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        size = len(self.values)
        self.mirrored = self.mirrored or [False] * size
        self.fixed = self.fixed or [False] * size
        self.forced = self.forced or [False] * size
        self.weight = self.weight or [1.0] * size


def sensitive_ranges(value_upper: int, mirrored: bool, rule: DisclosureRule) -> list[Interval]:
    """The values a cell may not be published with: 1..min_count-1, and for a ticked option also upper-min_count+1..upper-1."""
    small = rule.min_count - 1
    ranges = [(1, min(small, value_upper))] if value_upper >= 1 and small >= 1 else []
    if mirrored and small >= 1:
        # Few who did not tick: 0 ticks of a base of 3 says that all three did not.
        ranges.append((max(value_upper - small, 0), value_upper - 1))
    return _merge([r for r in ranges if r[0] <= r[1]])


def is_primary(value: int, value_upper: int, mirrored: bool, rule: DisclosureRule) -> bool:
    return any(low <= value <= high for low, high in sensitive_ranges(value_upper, mirrored, rule))


def protection_targets(value: int, value_upper: int, mirrored: bool, rule: DisclosureRule) -> Interval:
    """The a-priori range of a primary cell: the sensitive range it lies in."""
    for low, high in sensitive_ranges(value_upper, mirrored, rule):
        if low <= value <= high:
            return low, high
    return value, value


# ------------------------------------------------------------------------------------------------ protect


class ProtectionError(ValueError):
    """A primary cell that no choice of complements can protect (said with the cell's position)."""


def protect(table: CellTable, primary: Sequence[bool], rule: DisclosureRule) -> list[str | None]:
    """Suppression kind per cell: 'primary' for the given cells, 'secondary' for the complements chosen so that
    every primary cell can take both ends of its a-priori range and no secondary cell is pinned, against an
    attacker who solves all relations at once. Cells marked `forced` are suppressed as well."""
    kinds: list[str | None] = [PRIMARY if p else (SECONDARY if f else None) for p, f in zip(primary, table.forced)]
    for cell in [c for c, p in enumerate(primary) if p]:
        low, high = protection_targets(table.values[cell], table.upper[cell], table.mirrored[cell], rule)
        for target in sorted({low, high} - {table.values[cell]}):
            # Often the complements chosen for other cells already let this one move: a quick check first.
            moved = _cheapest_shift(table, kinds, cell, (target, target), allow_new=False)
            if moved is None:
                moved = _cheapest_shift(table, kinds, cell, (target, target))
            if moved is None:
                raise ProtectionError(f"cell {cell} (value within {low}..{high}) cannot be protected: it cannot reach {target}")
            _mark_secondary(kinds, moved)
        if low == high:
            # A range of one value (a cell whose base is 1) is reached without moving, yet a cell that can take
            # no other value is disclosed: it must also be able to move off its value.
            _move_off_value(table, kinds, cell)
    # A forced secondary cell that no shift has moved yet gets one of its own, so that it is not pinned. One that
    # cannot move even with every cell not known from earlier free to move is determined by what is known already
    # (say a "don't know" count of 0 in a group whose every member answered): hiding it hides nothing, so it is shown.
    for cell in [c for c, k in enumerate(kinds) if k == SECONDARY and table.forced[c]]:
        if not _move_off_value(table, kinds, cell, raise_error=False):
            kinds[cell] = None
    return kinds


def _move_off_value(table: CellTable, kinds: list[str | None], cell: int, raise_error: bool = True) -> bool:
    """Suppress the cheapest complements that let `cell` take a value other than its own; False if none can."""
    value = table.values[cell]
    for target in ((value + 1, table.upper[cell]), (0, value - 1)):
        if target[0] <= target[1]:
            moved = _cheapest_shift(table, kinds, cell, target, allow_new=False) or _cheapest_shift(table, kinds, cell, target)
            if moved is not None:
                _mark_secondary(kinds, moved)
                return True
    if raise_error:
        raise ProtectionError(f"cell {cell} (value {value}, base {table.upper[cell]}) cannot take any other value")
    return False


def _mark_secondary(kinds: list[str | None], cells: list[int]) -> None:
    for cell in cells:
        if kinds[cell] is None:
            kinds[cell] = SECONDARY


def _cheapest_shift(
    table: CellTable, kinds: list[str | None], cell: int, target: Interval, allow_new: bool = True
) -> list[int] | None:
    """The cells that move in the cheapest solution of every relation with `cell` in `target`: suppressed cells
    move for free, a published cell only when it is suppressed too (cost: its weight, more for a larger value),
    cells known from an earlier release never. Each cell stays between 0 and its base. Returns None if none."""
    size = len(table.values)
    values = np.asarray(table.values, dtype=float)
    caps = np.asarray(table.upper, dtype=float)
    lower, upper = -values, caps - values  # shifts y: the new value is value + y
    lower[cell], upper[cell] = target[0] - values[cell], target[1] - values[cell]
    cost = [0.0] * size
    rows: list[tuple[dict[int, float], float, float]] = []
    candidates = [c for c in range(size) if kinds[c] is None and c != cell]
    for c in candidates:
        if table.fixed[c] or not allow_new:
            lower[c] = upper[c] = 0.0
            continue
        chosen = size + len(cost) - size
        cost.append(table.weight[c] * (1.0 + values[c] / (1.0 + caps[c])))
        reach = max(values[c], caps[c] - values[c], 1.0)
        rows.append(({c: 1.0, chosen: -reach}, -np.inf, 0.0))
        rows.append(({c: -1.0, chosen: -reach}, -np.inf, 0.0))
    for relation in table.relations:
        rows.append(({c: float(a) for c, a in zip(relation.cells, relation.coefficients)}, 0.0, 0.0))
    extra = len(cost) - size
    lower = np.concatenate([lower, np.zeros(extra)])
    upper = np.concatenate([upper, np.ones(extra)])
    if np.any(lower > upper):
        return None
    solution = _solve(np.asarray(cost), [1] * len(cost), lower, upper, rows, relax_first=not allow_new)
    if solution is None:
        return None
    return [c for c in range(size) if abs(solution[c]) > 0.5]


# -------------------------------------------------------------------------------------------------- audit


@dataclass(frozen=True)
class CellRange:
    cell: int
    kind: str
    minimum: int
    maximum: int
    a_priori: Interval | None  # for primary cells: the range the attacker must not narrow

    @property
    def narrowed(self) -> bool:
        return self.a_priori is not None and (self.minimum > self.a_priori[0] or self.maximum < self.a_priori[1])

    @property
    def pinned(self) -> bool:
        return self.minimum == self.maximum


def audit(
    values: Sequence[int | None],
    kinds: Sequence[str | None],
    upper: Sequence[int],
    mirrored: Sequence[bool],
    relations: Sequence[Relation],
    rule: DisclosureRule,
    true_values: Sequence[int] | None = None,
) -> list[CellRange]:
    """The attacker: for every suppressed cell (value None) the least and greatest value that agrees with every
    published value and relation, each suppressed cell being a whole number from 0 to its base.

    `kinds` is used only to judge the result: a primary cell must reach both ends of each part of its a-priori
    range that it can lie in at all (for a ticked option: the small and the mirrored part), any other
    suppressed cell must take at least two values. With `true_values`, only the part that holds the true value
    is judged (the attacker learns nothing from ruling out the other part of a ticked option)."""
    suppressed = [c for c, v in enumerate(values) if v is None]
    if not suppressed:
        return []
    index = {c: i for i, c in enumerate(suppressed)}
    lower = np.zeros(len(suppressed))
    bounds = np.array([float(upper[c]) for c in suppressed])
    rows: list[tuple[dict[int, float], float, float]] = []
    for relation in relations:
        coefficients: dict[int, float] = {}
        total = float(relation.total)
        for c, a in zip(relation.cells, relation.coefficients):
            if values[c] is None:
                coefficients[index[c]] = coefficients.get(index[c], 0.0) + a
            else:
                total -= a * float(values[c])
        if any(coefficients.values()):
            rows.append((coefficients, total, total))
        elif abs(total) > 1e-9:
            raise ValueError("the published cells contradict a relation: the tables are inconsistent")
    integrality = [1] * len(suppressed)
    ranges: list[CellRange] = []
    for c in suppressed:
        parts: list[Interval | None] = [None]
        if kinds[c] == PRIMARY:
            parts = list(sensitive_ranges(upper[c], mirrored[c], rule)) or [None]
            if true_values is not None:
                parts = [p for p in parts if p is None or p[0] <= true_values[c] <= p[1]] or [None]
        for part in parts:
            low, high = lower.copy(), bounds.copy()
            # A part of one value (a base of 1) is reached or not; whether the cell is pinned needs its whole range.
            if part is not None and part[0] < part[1]:
                low[index[c]], high[index[c]] = max(low[index[c]], part[0]), min(high[index[c]], part[1])
            found = []
            for sign in (1.0, -1.0):
                cost = np.zeros(len(suppressed))
                cost[index[c]] = sign
                solution = _solve(cost, integrality, low, high, rows, relax_first=True)
                if solution is None:
                    break
                found.append(int(round(solution[index[c]])))
            if len(found) == 2:
                ranges.append(CellRange(c, kinds[c] or SECONDARY, found[0], found[1], part))
    return ranges


# ------------------------------------------------------------------------------------------------ helpers


def _solve(
    cost: np.ndarray, integrality: list[int], lower: np.ndarray, upper: np.ndarray, rows, relax_first: bool = False
) -> np.ndarray | None:
    """The optimum of an integer program (None when infeasible). With `relax_first`, its linear relaxation is
    solved first: sums over rows and columns of a table mostly have whole-number corners, and a whole-number
    optimum of the relaxation is the integer optimum, found at a fraction of the cost."""
    size = len(integrality)
    cost = np.concatenate([cost, np.zeros(size - len(cost))]) if len(cost) < size else cost
    constraints = [_constraint(rows, size)] if rows else []
    bounds = Bounds(lower, upper)
    if relax_first:
        relaxed = milp(cost, integrality=np.zeros(size), bounds=bounds, constraints=constraints)
        if relaxed.status == 2:  # infeasible
            return None
        if relaxed.status == 0 and relaxed.x is not None and np.allclose(relaxed.x, np.round(relaxed.x), atol=1e-7):
            return np.round(relaxed.x)
    result = milp(
        cost, integrality=np.asarray(integrality), bounds=bounds, constraints=constraints,
        options={"presolve": True, "time_limit": 60.0},
    )
    if result.status != 0 or result.x is None:
        return None
    return result.x


def _constraint(rows, size: int) -> LinearConstraint:
    data, row_index, column_index, row_lower, row_upper = [], [], [], [], []
    for r, (coefficients, low, high) in enumerate(rows):
        for column, coefficient in coefficients.items():
            if coefficient:
                data.append(coefficient)
                row_index.append(r)
                column_index.append(column)
        row_lower.append(low)
        row_upper.append(high)
    matrix = coo_matrix((data, (row_index, column_index)), shape=(len(rows), size)).tocsr()
    return LinearConstraint(matrix, row_lower, row_upper)


def _merge(ranges: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged
