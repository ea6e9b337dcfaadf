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

Speed without a different answer (issue 14): the integer programs that choose complements are handed to HiGHS
exactly as scipy.optimize.milp hands them over (same matrix, bounds and options, so the same solution), only
without milp's Python around each call. Questions whose answer is a fact rather than a choice among solutions
(is there a shift at all; the least and greatest value of a cell) are answered from whole-number solutions found
before where one attains the bound, and otherwise on one linear model per table re-solved from its last basis,
with the integer program where the relaxation's optimum is not whole.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csc_matrix

try:  # HiGHS as scipy ships it: the model passed as scipy.optimize.milp passes it, without milp's Python around it
    import scipy.optimize._highspy._core as _highs
except ImportError:  # pragma: no cover - another scipy: every program goes through milp
    _highs = None

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
    shifts = _Shifts(table)
    for cell in [c for c, p in enumerate(primary) if p]:
        low, high = protection_targets(table.values[cell], table.upper[cell], table.mirrored[cell], rule)
        for target in sorted({low, high} - {table.values[cell]}):
            # Often the complements chosen for other cells already let this one move: a quick check first.
            moved = _cheapest_shift(table, kinds, cell, (target, target), allow_new=False, shifts=shifts)
            if moved is None:
                moved = _cheapest_shift(table, kinds, cell, (target, target), shifts=shifts)
            if moved is None:
                raise ProtectionError(f"cell {cell} (value within {low}..{high}) cannot be protected: it cannot reach {target}")
            _mark_secondary(kinds, moved)
        if low == high:
            # A range of one value (a cell whose base is 1) is reached without moving, yet a cell that can take
            # no other value is disclosed: it must also be able to move off its value.
            _move_off_value(table, kinds, cell, shifts=shifts)
    # A forced secondary cell that no shift has moved yet gets one of its own, so that it is not pinned. One that
    # cannot move even with every cell not known from earlier free to move is determined by what is known already
    # (say a "don't know" count of 0 in a group whose every member answered): hiding it hides nothing, so it is shown.
    for cell in [c for c, k in enumerate(kinds) if k == SECONDARY and table.forced[c]]:
        if not _move_off_value(table, kinds, cell, raise_error=False, shifts=shifts):
            kinds[cell] = None
    return kinds


def _move_off_value(
    table: CellTable, kinds: list[str | None], cell: int, raise_error: bool = True, shifts: "_Shifts | None" = None
) -> bool:
    """Suppress the cheapest complements that let `cell` take a value other than its own; False if none can."""
    value = table.values[cell]
    for target in ((value + 1, table.upper[cell]), (0, value - 1)):
        if target[0] <= target[1]:
            moved = _cheapest_shift(table, kinds, cell, target, allow_new=False, shifts=shifts) or _cheapest_shift(
                table, kinds, cell, target, shifts=shifts
            )
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
    table: CellTable, kinds: list[str | None], cell: int, target: Interval, allow_new: bool = True,
    shifts: "_Shifts | None" = None,
) -> list[int] | None:
    """The cells that move in the cheapest solution of every relation with `cell` in `target`: suppressed cells
    move for free, a published cell only when it is suppressed too (cost: its weight, more for a larger value),
    cells known from an earlier release never. Each cell stays between 0 and its base. Returns None if none.

    Without `allow_new` only suppressed cells may move, so the cells returned are all suppressed already and only
    whether there is such a shift counts: `shifts` (the table's known shifts and a reused linear model) answers
    that exactly and faster. With `allow_new` two integer programs are tried in turn: newly suppressed cells
    shifting at most as far as `cell` must, then as far as their ranges allow. Either solution protects `cell`; the
    first is found in a fraction of the time, and the second is needed only where a relation multiplies a shift."""
    shifts = shifts or _Shifts(table)
    size = len(table.values)
    values, caps = shifts.values, shifts.caps
    lower, upper = -values, caps - values  # shifts y: the new value is value + y
    lower[cell], upper[cell] = target[0] - values[cell], target[1] - values[cell]
    if not allow_new:
        free = np.fromiter((k is not None for k in kinds), dtype=bool, count=size)
        free[cell] = True
        lower[~free] = upper[~free] = 0.0
        if np.any(lower > upper):
            return None
        return shifts.feasible(lower, upper)
    # The cell's own shift: at least `needed` to reach its target. A newly suppressed cell's shift is first bounded
    # by that much: a table's relations mostly balance a shift by equal shifts of the other cells, and a tight bound
    # makes the integer program's relaxation tight (with a large wave's counts in the thousands the loose bound
    # left HiGHS hundreds of branches per program). Only when no such shift exists are the cells' full ranges tried.
    needed = max(target[0] - values[cell], values[cell] - target[1], 1.0)
    for tight in (True, False):
        solution = _cheapest_new_shift(table, kinds, cell, shifts, lower.copy(), upper.copy(), needed if tight else None)
        if solution is not None:
            break
    if solution is None:
        return None
    shifts.remember(solution[:size])
    return [c for c in range(size) if abs(solution[c]) > 0.5]


def _cheapest_new_shift(
    table: CellTable, kinds: list[str | None], cell: int, shifts: "_Shifts", lower: np.ndarray, upper: np.ndarray,
    bound: float | None,
) -> np.ndarray | None:
    """The integer program of `_cheapest_shift` with new suppressions allowed; with `bound`, no newly suppressed
    cell shifts by more than that."""
    size = len(table.values)
    values, caps = shifts.values, shifts.caps
    cost = [0.0] * size
    rows: list[tuple[dict[int, float], float, float]] = []
    for c in range(size):
        if kinds[c] is not None or c == cell:
            continue
        if table.fixed[c]:
            lower[c] = upper[c] = 0.0
            continue
        chosen = len(cost)
        cost.append(table.weight[c] * (1.0 + values[c] / (1.0 + caps[c])))
        reach = max(values[c], caps[c] - values[c], 1.0)
        if bound is not None:
            reach = min(reach, bound)
        rows.append(({c: 1.0, chosen: -reach}, -np.inf, 0.0))
        rows.append(({c: -1.0, chosen: -reach}, -np.inf, 0.0))
    rows += shifts.relation_rows
    extra = len(cost) - size
    lower = np.concatenate([lower, np.zeros(extra)])
    upper = np.concatenate([upper, np.ones(extra)])
    if np.any(lower > upper):
        return None
    return _solve(np.asarray(cost), [1] * len(cost), lower, upper, rows)


class _Shifts:
    """The shift problems of one table share their relations (every shift adds up to 0 in each) and the caps of
    the cells: a whole-number shift found once is a solution of every later problem whose bounds it lies within.
    Remembered shifts, and one linear model reused (warm-started) for the rest, answer whether a shift exists."""

    def __init__(self, table: CellTable) -> None:
        self.size = len(table.values)
        self.values = np.asarray(table.values, dtype=float)
        self.caps = np.asarray(table.upper, dtype=float)
        self.relation_rows = [
            ({c: float(a) for c, a in zip(relation.cells, relation.coefficients)}, 0.0, 0.0) for relation in table.relations
        ]
        self._check = _Exact(self.relation_rows, self.size)
        self._known: list[np.ndarray] = []
        self._pool = np.zeros((0, self.size))
        self._model: _LinearModel | None = None

    def remember(self, solution: np.ndarray) -> None:
        """Keep a shift if it is whole and, checked exactly, satisfies every relation within the caps."""
        shift = np.round(solution)
        if np.all(shift >= -self.values) and np.all(shift <= self.caps - self.values) and self._check.holds(shift):
            self._known.append(shift)
            self._pool = np.asarray(self._known)

    def feasible(self, lower: np.ndarray, upper: np.ndarray) -> list[int] | None:
        """The cells moved by a whole-number shift within the bounds, or None if there is none."""
        if len(self._pool):
            inside = np.all((self._pool >= lower) & (self._pool <= upper), axis=1)
            if inside.any():
                return np.flatnonzero(self._pool[int(np.argmax(inside))]).tolist()
        if self._model is None:
            self._model = _LinearModel(np.zeros(self.size), lower, upper, self.relation_rows)
        status, x = self._model.solve(lower=lower, upper=upper)
        if status == _INFEASIBLE:
            return None
        if status != 0 or not _whole(x):
            # as the relaxation-first solve did: the integer program decides
            x = _solve(np.zeros(self.size), [1] * self.size, lower, upper, self.relation_rows)
            if x is None:
                return None
        self.remember(x)
        return [c for c in range(self.size) if abs(x[c]) > 0.5]


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
    ranges: list[CellRange] = []
    bounds_of = _Bounds(rows, bounds)
    if true_values is not None:
        # The true counts satisfy every relation: each suppressed cell can take its own value.
        bounds_of.remember(np.array([float(true_values[c]) for c in suppressed]))
    for c in suppressed:
        parts: list[Interval | None] = [None]
        if kinds[c] == PRIMARY:
            parts = list(sensitive_ranges(upper[c], mirrored[c], rule)) or [None]
            if true_values is not None:
                parts = [p for p in parts if p is None or p[0] <= true_values[c] <= p[1]] or [None]
        for part in parts:
            low, high = lower[index[c]], bounds[index[c]]
            # A part of one value (a base of 1) is reached or not; whether the cell is pinned needs its whole range.
            if part is not None and part[0] < part[1]:
                low, high = max(low, part[0]), min(high, part[1])
            found = []
            for sign in (1.0, -1.0):
                value = bounds_of.extreme(index[c], sign, low, high)
                if value is None:
                    break
                found.append(value)
            if len(found) == 2:
                ranges.append(CellRange(c, kinds[c] or SECONDARY, found[0], found[1], part))
    return ranges


class _Bounds:
    """The attacker's least and greatest value of one suppressed cell at a time, each an integer program over the
    same relations. Exact: a cell's bound that some known whole-number solution of all relations attains is its
    extreme (no solution goes beyond a bound); otherwise the linear relaxation, on one model reused with the
    cost and the cell's bounds changed, gives it when its optimum is whole, and else the integer program does."""

    def __init__(self, rows, caps: np.ndarray) -> None:
        self.rows = rows
        self.caps = caps
        self.size = len(caps)
        self._check = _Exact(rows, self.size)
        self.attained: list[set[int]] = [set() for _ in range(self.size)]
        self._model: _LinearModel | None = None

    def remember(self, solution: np.ndarray) -> None:
        """Note the values of a solution if it is whole and, checked exactly, within the caps and every relation."""
        point = np.round(solution)
        if np.all(point >= 0) and np.all(point <= self.caps) and self._check.holds(point):
            for attained, value in zip(self.attained, point.astype(np.int64).tolist()):
                attained.add(value)

    def extreme(self, i: int, sign: float, low: float, high: float) -> int | None:
        """The least (sign 1) or greatest (sign -1) whole value of variable i between low and high that agrees
        with every relation; None if there is none."""
        if low > high:
            return None
        end = low if sign > 0 else high
        if end == int(end) and int(end) in self.attained[i]:
            return int(end)
        lower, upper = np.zeros(self.size), self.caps.copy()
        lower[i], upper[i] = low, high
        cost = np.zeros(self.size)
        cost[i] = sign
        if self._model is None:
            self._model = _LinearModel(cost, lower, upper, self.rows)
        status, x = self._model.solve(cost, lower, upper)
        if status == _INFEASIBLE:
            return None
        if status != 0 or not _whole(x):
            x = _solve(cost, [1] * self.size, lower, upper, self.rows)
            if x is None:
                return None
        self.remember(x)
        return int(round(x[i]))


# ------------------------------------------------------------------------------------------------ helpers


_INFEASIBLE = 2  # scipy's status of an infeasible program


def _whole(x: np.ndarray) -> bool:
    return bool(np.allclose(x, np.round(x), atol=1e-7))


class _Exact:
    """Whether a whole-number point satisfies rows (coefficients, low, high) exactly: integer arithmetic, no
    tolerance (rows with a coefficient or bound that is not whole are never taken as satisfied)."""

    def __init__(self, rows, size: int) -> None:
        start, index, value, low, high = _csc(rows, size)
        self.whole = bool(np.all(value == np.round(value))) and all(
            (not np.isfinite(v)) or float(v).is_integer() for v in (*low, *high)
        )
        self.low, self.high = low, high
        self.matrix = csc_matrix((value.astype(np.int64), index, start), shape=(len(low), size)).tocsr() if self.whole else None

    def holds(self, point: np.ndarray) -> bool:
        if not self.whole or np.any(np.abs(point) > 2**40):
            return False
        if self.matrix.shape[0] == 0:
            return True
        totals = self.matrix @ point.astype(np.int64)
        return bool(np.all(totals >= self.low) and np.all(totals <= self.high))


class _LinearModel:
    """One linear program (the relaxation) kept in HiGHS and solved again with other costs and column bounds, from
    the previous basis. Returns (status, x) with scipy's status codes: 0 optimal, 2 infeasible."""

    def __init__(self, cost: np.ndarray, lower: np.ndarray, upper: np.ndarray, rows) -> None:
        self.size = len(cost)
        self.rows = rows
        self._highs = _new_highs(cost, lower, upper, rows, integral=False, mip=False) if _highs is not None else None
        if self._highs is not None and not isinstance(self._highs, _highs._Highs):
            self._highs = None  # the model was not accepted: solved afresh each time (as milp would, with its status)
        self._columns = np.arange(self.size, dtype=np.int32)
        self._cost = np.asarray(cost, dtype=float).copy()
        self._fresh = True

    def solve(self, cost: np.ndarray | None = None, lower: np.ndarray | None = None, upper: np.ndarray | None = None):
        cost = self._cost if cost is None else np.asarray(cost, dtype=float)
        if self._highs is None:
            result = milp(cost, integrality=np.zeros(self.size), bounds=Bounds(lower, upper),
                          constraints=[_constraint(self.rows, self.size)] if self.rows else [])
            return result.status, result.x
        highs = self._highs
        if not self._fresh:
            changed = np.flatnonzero(cost != self._cost).astype(np.int32)
            if len(changed):
                highs.changeColsCost(len(changed), changed, cost[changed])
            highs.changeColsBounds(self.size, self._columns, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float))
        self._fresh = False
        self._cost = cost.copy()
        return _finish_highs(highs)


def _solve(
    cost: np.ndarray, integrality: list[int], lower: np.ndarray, upper: np.ndarray, rows, relax_first: bool = False
) -> np.ndarray | None:
    """The optimum of an integer program (None when infeasible). With `relax_first`, its linear relaxation is
    solved first: sums over rows and columns of a table mostly have whole-number corners, and a whole-number
    optimum of the relaxation is the integer optimum, found at a fraction of the cost.

    HiGHS gets the model and options that scipy.optimize.milp would give it (the same program, the same solution),
    without milp's conversions and checks around each call."""
    size = len(integrality)
    cost = np.concatenate([cost, np.zeros(size - len(cost))]) if len(cost) < size else cost
    if _highs is None or len(set(integrality)) > 1:  # (mixed integrality: as milp, never needed here)
        return _solve_milp(cost, integrality, lower, upper, rows, relax_first)
    integral = bool(integrality[0])
    lower, upper = np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)
    cost = np.asarray(cost, dtype=np.float64)
    if relax_first:
        status, x = _finish_highs(_new_highs(cost, lower, upper, rows, integral=False, mip=False))
        if status == _INFEASIBLE:
            return None
        if status == 0 and x is not None and _whole(x):
            return np.round(x)
    with _solver_chatter_discarded():
        status, x = _finish_highs(_new_highs(cost, lower, upper, rows, integral=integral, mip=True))
    if status != 0 or x is None:
        return None
    return x


@contextmanager
def _solver_chatter_discarded() -> Iterator[None]:
    """Standard output discarded while HiGHS's MIP solver runs: it prints a debugging line of its own
    ("HighsMipSolverData::transformNewIntegerFeasibleSolution ...") whatever its output options say, which a
    steward would read in `make run`'s report. At the level of the file descriptor, since HiGHS writes there."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no standard output at all: nothing to protect
        yield
        return
    discard = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(discard, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(discard)


def _solve_milp(
    cost: np.ndarray, integrality: list[int], lower: np.ndarray, upper: np.ndarray, rows, relax_first: bool = False
) -> np.ndarray | None:
    """`_solve` through scipy.optimize.milp (the reference the direct calls are tested against)."""
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
    with _solver_chatter_discarded():
        result = milp(
            cost, integrality=np.asarray(integrality), bounds=bounds, constraints=constraints,
            options={"presolve": True, "time_limit": 60.0},
        )
    if result.status != 0 or result.x is None:
        return None
    return result.x


def _csc(rows, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The rows as the column-wise matrix milp passes to HiGHS (entries of a column by row, zeros left out), and
    the rows' bounds."""
    data, row_index, column_index, row_lower, row_upper = _entries(rows)
    columns = np.asarray(column_index, dtype=np.int64)
    order = np.lexsort((np.asarray(row_index, dtype=np.int64), columns))
    start = np.zeros(size + 1, dtype=np.int32)
    np.cumsum(np.bincount(columns, minlength=size), out=start[1:])
    return (
        start, np.asarray(row_index, dtype=np.int32)[order], np.asarray(data, dtype=np.float64)[order],
        np.asarray(row_lower, dtype=np.float64), np.asarray(row_upper, dtype=np.float64),
    )


def _new_highs(cost: np.ndarray, lower: np.ndarray, upper: np.ndarray, rows, integral: bool, mip: bool):
    """A HiGHS instance holding the program, set up as scipy's _highs_wrapper sets it up for milp: all columns
    integer or all continuous, no console log, and for the integer programs presolve on and a time limit of 60 s."""
    size = len(cost)
    start, index, value, row_lower, row_upper = _csc(rows, size)
    lp = _highs.HighsLp()
    lp.num_col_ = size
    lp.num_row_ = len(row_lower)
    lp.a_matrix_.num_col_ = size
    lp.a_matrix_.num_row_ = len(row_lower)
    lp.a_matrix_.format_ = _highs.MatrixFormat.kColwise
    lp.col_cost_ = np.asarray(cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(lower, dtype=np.float64)
    lp.col_upper_ = np.asarray(upper, dtype=np.float64)
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.integrality_ = [_highs.HighsVarType(1 if integral else 0)] * size
    highs = _highs._Highs()
    options = _highs.HighsOptions()
    options.log_to_console = False
    if mip:
        options.presolve = "on"
        options.time_limit = 60.0
    if highs.passOptions(options) == _highs.HighsStatus.kError:
        return None  # milp: model status not set, scipy status 4
    if highs.passModel(lp) == _highs.HighsStatus.kError:
        return _INFEASIBLE  # milp: kModelError, scipy status 2
    return highs


def _finish_highs(highs) -> tuple[int, np.ndarray | None]:
    """Run HiGHS and read its answer as milp does: (0, x) at an optimum, (2, None) when infeasible (or the model
    is in error), (another status, None) otherwise. `highs` may also be what `_new_highs` returns for a model
    HiGHS did not take: None (options refused) or the status 2 (model refused)."""
    if highs is None:
        return 4, None
    if isinstance(highs, int):
        return highs, None
    highs.run()
    status = highs.getModelStatus()
    if status == _highs.HighsModelStatus.kOptimal:
        return 0, np.array(highs.getSolution().col_value)
    if status in (_highs.HighsModelStatus.kInfeasible, _highs.HighsModelStatus.kModelError):
        return _INFEASIBLE, None
    return 4, None


def _entries(rows) -> tuple[list[float], list[int], list[int], list[float], list[float]]:
    """The rows' non-zero coefficients as (values, row indices, column indices), row by row, and their bounds."""
    data, row_index, column_index, row_lower, row_upper = [], [], [], [], []
    for r, (coefficients, low, high) in enumerate(rows):
        for column, coefficient in coefficients.items():
            if coefficient:
                data.append(coefficient)
                row_index.append(r)
                column_index.append(column)
        row_lower.append(low)
        row_upper.append(high)
    return data, row_index, column_index, row_lower, row_upper


def _constraint(rows, size: int) -> LinearConstraint:
    data, row_index, column_index, row_lower, row_upper = _entries(rows)
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
