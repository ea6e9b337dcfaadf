"""Microdata anonymisation with the least information lost: a level per quasi-identifier, then local suppression.

For each node of the lattice (one level of its codebook hierarchy per quasi-identifier: groups, coarser levels,
total) the background values are generalised and then suppressed record by record, as few and as unimportant as
possible, until every combination occurs at least k times; a suppressed value counts as a value of its own. The
node with the least information loss wins.

Information loss (issue 12), per background value the codebook's groups would publish:
- a value published at the groups: 0;
- a value published at a coarser level with c categories: 1 - log(c) / log(C), C the number of groups (so the
  total, c = 1, costs as much as suppression);
- a suppressed value: 1.
The figure is the sum over the values, divided by their number (values missing in the export are not counted).

Local suppression is optimal where the wave is small enough (integer programming with HiGHS through
scipy.optimize.milp): records are counted per generalised combination, and the model chooses how many records of
each combination get which pattern of suppressed values. Where the model would be too large, the column-by-column
method suppresses instead, and the LP relaxation's bound says how far from the optimum it may be.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from schemas.codebook import Codebook, Question
from verkenning.anonymise.k_anonymity import enforce_k_anonymity, group_column

SUPPRESSED = "∅"
# Above this many (combination, pattern) variables a node is suppressed column by column instead of exactly.
EXACT_LIMIT = 60_000
# How much more suppressing a value costs per step of importance (a tie-breaker, not a change of measure).
IMPORTANCE_STEP = 0.02
# HiGHS stops within this share of the optimum (its proof is reported as the gap): deterministic, unlike a
# time limit, so that the same wave always gives the same release.
MIP_RELATIVE_GAP = 0.05
# A safety net only: a node that takes longer is suppressed column by column (and the method says so).
NODE_TIME_LIMIT_SECONDS = 300.0


@dataclass(frozen=True)
class QuasiIdentifier:
    """A quasi-identifier as the search sees it: its released column, its levels (group code -> code at that
    level) with their names, and its importance."""

    code: str
    column: str
    level_names: tuple[str, ...]
    levels: tuple[dict[str, str], ...]
    importance: int

    @property
    def groups(self) -> int:
        return len(set(self.levels[0].values()))

    def loss(self, level: int) -> float:
        """The information lost by publishing a value at `level` instead of at the groups."""
        categories = len(set(self.levels[level].values()))
        if self.groups <= 1:
            return 0.0 if level == 0 else 1.0
        return 1.0 - math.log(categories) / math.log(self.groups)


def quasi_identifiers(codebook: Codebook, order: Sequence[str] = ()) -> list[QuasiIdentifier]:
    """The codebook's quasi-identifiers with their hierarchies. `order` (least important first, e.g. from
    VERKENNING_SUPPRESSION_ORDER) overrides the codebook's importance when given; it must name each exactly once."""
    questions = codebook.questions_with_role("quasi_identifier")
    codes = [q.code for q in questions]
    importance = {q.code: q.importance for q in questions}
    if order:
        unknown = [code for code in order if code not in codes]
        if unknown:
            raise ValueError(
                f"VERKENNING_SUPPRESSION_ORDER names {', '.join(unknown)}, which are not quasi-identifiers of the codebook "
                f"{codebook.source} ({', '.join(codes)}): name each of them, least important first, or leave it unset to "
                "use the codebook's importance"
            )
        missing = [code for code in codes if code not in order]
        if missing:
            raise ValueError(
                f"VERKENNING_SUPPRESSION_ORDER misses quasi-identifier(s) {', '.join(missing)} of the codebook "
                f"{codebook.source}: name every one, least important first, or leave it unset"
            )
        importance = {code: rank for rank, code in enumerate(order, start=1)}
    return [_quasi_identifier(q, importance[q.code]) for q in questions]


def _quasi_identifier(question: Question, importance: int) -> QuasiIdentifier:
    levels = question.generalisation_levels()
    return QuasiIdentifier(
        code=question.code,
        column=group_column(question.code),
        level_names=tuple(name for name, _, _ in levels),
        levels=tuple(mapping for _, mapping, _ in levels),
        importance=importance,
    )


@dataclass
class VariableOutcome:
    level: str
    generalised: int  # values published at a level above the groups
    suppressed: int  # values set to missing
    loss: float  # this variable's share of the information lost


@dataclass
class MicrodataResult:
    frame: pd.DataFrame  # the released group columns (codes of the chosen levels, missing where suppressed)
    k: int
    smallest_class: int
    information_loss: float  # share of the background information lost, 0..1
    column_by_column_loss: float  # the same figure for suppression at the groups, variable by variable
    records_at_risk: int  # records in a class under k at the groups, before any generalisation or suppression
    variables: dict[str, VariableOutcome]
    method: str  # "exact" or "column by column" (and why)
    optimality_gap: float = 0.0  # how far above the proven lower bound the chosen suppression may be
    nodes_searched: int = 0
    lower_bound: float = 0.0  # no node can lose less (generalisation plus the LP bound of its suppression)
    l_diversity: dict[str, int] = field(default_factory=dict)  # per sensitive answer: the fewest distinct answers in a class

    @property
    def k_reached(self) -> bool:
        return self.smallest_class >= self.k or self.frame.empty

    @property
    def suppressed_per_variable(self) -> dict[str, int]:
        return {code: outcome.suppressed for code, outcome in self.variables.items()}

    @property
    def levels(self) -> dict[str, str]:
        return {code: outcome.level for code, outcome in self.variables.items()}


# The search is a pure function of its inputs and takes seconds: a process that anonymises the same wave again
# (a re-run without changes, the tests) reuses the result.
_RESULTS: OrderedDict[str, MicrodataResult] = OrderedDict()
_RESULTS_KEPT = 8


def anonymise_microdata(
    groups: pd.DataFrame,
    qis: Sequence[QuasiIdentifier],
    k: int,
    *,
    sensitive: pd.DataFrame | None = None,
    l_target: int | None = None,
) -> MicrodataResult:
    """The released background columns of `groups` (one column per quasi-identifier, codes of the codebook's
    groups, missing allowed) that are k-anonymous with the least information lost. With `sensitive` answers and
    `l_target`, only a node whose every class holds at least l distinct answers of each qualifies."""
    if k < 1:
        raise ValueError("k must be at least 1")
    key = _fingerprint(groups, qis, k, sensitive, l_target)
    if key in _RESULTS:
        _RESULTS.move_to_end(key)
        return copy.deepcopy(_RESULTS[key])
    result = _search(groups, qis, k, sensitive, l_target)
    _RESULTS[key] = copy.deepcopy(result)
    while len(_RESULTS) > _RESULTS_KEPT:
        _RESULTS.popitem(last=False)
    return result


def _fingerprint(groups: pd.DataFrame, qis: Sequence[QuasiIdentifier], k: int, sensitive: pd.DataFrame | None, l_target: int | None) -> str:
    digest = hashlib.sha256(repr((list(groups.columns), k, l_target, [repr(qi) for qi in qis])).encode())
    digest.update(pd.util.hash_pandas_object(groups, index=True).to_numpy().tobytes())
    if sensitive is not None:
        digest.update(repr(list(sensitive.columns)).encode())
        digest.update(pd.util.hash_pandas_object(sensitive, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def _search(
    groups: pd.DataFrame, qis: Sequence[QuasiIdentifier], k: int, sensitive: pd.DataFrame | None, l_target: int | None
) -> MicrodataResult:
    columns = [qi.column for qi in qis]
    present = groups[columns].notna()
    values = int(present.to_numpy().sum())
    baseline = enforce_k_anonymity(groups[columns], _least_important_first(qis), k)
    baseline_loss = _loss(groups[columns], baseline.frame, qis, [0] * len(qis), values)
    at_risk = int((_class_sizes(groups[columns]) < k).sum()) if len(groups) else 0

    best: tuple[float, int, tuple[int, ...]] | None = None  # (loss, suppressed, node)
    best_frame: pd.DataFrame | None = None
    best_method, best_gap = "exact", 0.0
    searched = 0
    # Nodes in the order of their generalisation loss, a lower bound on all they lose; each node's suppression is
    # bounded below by its LP relaxation before the exact model is solved. Once a node's generalisation alone
    # reaches the best loss found, no further node can do better. (No time limits: the result must not depend on
    # how fast the machine is.)
    nodes = sorted(
        itertools.product(*[range(len(qi.levels)) for qi in qis]),
        key=lambda node: (_generalisation_loss(present, qis, node), node),
    )
    lower_bound = 1.0
    for node in nodes:
        generalisation = _generalisation_loss(present, qis, node) / max(values, 1)
        if best is not None and generalisation >= best[0] - 1e-9:
            lower_bound = min(lower_bound, generalisation)
            break
        generalised = _generalise(groups[columns], qis, node)
        bound = generalisation + _suppression_bound(generalised, qis, node, k) / max(values, 1)
        lower_bound = min(lower_bound, bound)
        if best is not None and bound >= best[0] - 1e-9:
            continue
        suppressed, method, gap = _suppress_locally(generalised, qis, node, k)
        searched += 1
        if sensitive is not None and l_target:
            diversity = _l_diversity(suppressed, sensitive, columns)
            if diversity and min(diversity.values()) < l_target:
                continue
        loss = _loss(groups[columns], suppressed, qis, node, values)
        count = int(suppressed.isna().to_numpy().sum() - groups[columns].isna().to_numpy().sum())
        if best is None or (loss, count) < best[:2]:
            best, best_frame, best_method, best_gap = (loss, count, node), suppressed, method, gap
    if best_frame is None:  # l-diversity could not be reached at any node: everything suppressed, one class
        node = tuple(len(qi.levels) - 1 for qi in qis)
        best_frame = pd.DataFrame({c: pd.Series(pd.NA, index=groups.index, dtype="string") for c in columns})
        best = (_loss(groups[columns], best_frame, qis, node, values), values, node)
        best_method = "all suppressed: no node reaches l-diversity"
    loss, _, node = best
    sizes = _class_sizes(best_frame)
    return MicrodataResult(
        frame=best_frame,
        k=k,
        smallest_class=int(sizes.min()) if len(sizes) else 0,
        information_loss=loss,
        column_by_column_loss=baseline_loss,
        records_at_risk=at_risk,
        variables=_outcomes(groups[columns], best_frame, qis, node, values),
        method=best_method,
        optimality_gap=best_gap,
        nodes_searched=searched,
        lower_bound=min(lower_bound, loss) if values else 0.0,
        l_diversity=_l_diversity(best_frame, sensitive, columns) if sensitive is not None else {},
    )


# --- generalisation and loss ------------------------------------------------------------------------------


def _least_important_first(qis: Sequence[QuasiIdentifier]) -> list[str]:
    return [qi.column for qi in sorted(qis, key=lambda qi: (qi.importance, qi.code))]


def _generalise(frame: pd.DataFrame, qis: Sequence[QuasiIdentifier], node: Sequence[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {qi.column: frame[qi.column].map(qi.levels[level]).astype("string") for qi, level in zip(qis, node)},
        index=frame.index,
    )


def _generalisation_loss(present: pd.DataFrame, qis: Sequence[QuasiIdentifier], node: Sequence[int]) -> float:
    return sum(float(present[qi.column].sum()) * qi.loss(level) for qi, level in zip(qis, node))


def _loss(original: pd.DataFrame, released: pd.DataFrame, qis: Sequence[QuasiIdentifier], node: Sequence[int], values: int) -> float:
    if values == 0:
        return 0.0
    total = 0.0
    for qi, level in zip(qis, node):
        present = original[qi.column].notna()
        suppressed = int((present & released[qi.column].isna()).sum())
        total += suppressed + (int(present.sum()) - suppressed) * qi.loss(level)
    return total / values


def _outcomes(original: pd.DataFrame, released: pd.DataFrame, qis: Sequence[QuasiIdentifier], node: Sequence[int], values: int) -> dict[str, VariableOutcome]:
    outcomes = {}
    for qi, level in zip(qis, node):
        present = original[qi.column].notna()
        suppressed = int((present & released[qi.column].isna()).sum())
        kept = int(present.sum()) - suppressed
        outcomes[qi.code] = VariableOutcome(
            level=qi.level_names[level],
            generalised=kept if level > 0 else 0,
            suppressed=suppressed,
            loss=(suppressed + kept * qi.loss(level)) / values if values else 0.0,
        )
    return outcomes


def _class_sizes(frame: pd.DataFrame) -> pd.Series:
    if frame.empty:
        return pd.Series(dtype=int)
    keys = frame.astype("string").fillna(SUPPRESSED)
    return keys.groupby(list(keys.columns), sort=False)[keys.columns[0]].transform("size")


def _l_diversity(released: pd.DataFrame, sensitive: pd.DataFrame | None, columns: list[str]) -> dict[str, int]:
    """Per sensitive answer: the fewest distinct answers within one class (missing answers not counted)."""
    if sensitive is None or sensitive.empty or released.empty:
        return {}
    keys = released[columns].astype("string").fillna(SUPPRESSED)
    out = {}
    for column in sensitive.columns:
        joined = keys.assign(_answer=sensitive[column].to_numpy())
        distinct = joined.groupby(columns, sort=False)["_answer"].nunique(dropna=True)
        out[column] = int(distinct.min()) if len(distinct) else 0
    return out


# --- local suppression ------------------------------------------------------------------------------------


def _suppress_locally(frame: pd.DataFrame, qis: Sequence[QuasiIdentifier], node: Sequence[int], k: int) -> tuple[pd.DataFrame, str, float]:
    """`frame` with the fewest, least costly values suppressed so that every combination occurs at least k times:
    exact where the model is small enough, else column by column; (frame, method, optimality gap)."""
    columns = list(frame.columns)
    if len(frame) < k or frame.empty:
        return frame.where(pd.DataFrame(False, index=frame.index, columns=columns)).astype("string"), "exact", 0.0
    keys = frame.astype("string").fillna(SUPPRESSED)
    combos = keys.value_counts(sort=False)
    if (combos >= k).all():
        return frame, "exact", 0.0
    # The cost of suppressing one value: what is lost beyond its generalisation, a hair more for a more
    # important variable, so that of two equal choices the less important value goes.
    costs = [(1.0 - qi.loss(level)) * _weight(qi) for qi, level in zip(qis, node)]
    patterns = list(itertools.product((False, True), repeat=len(columns)))
    size = len(combos) * len(patterns)
    greedy = enforce_k_anonymity(frame, [c for c in _least_important_first(qis) if c in columns], k).frame
    greedy_cost = _suppression_cost(frame, greedy, costs)
    if size > EXACT_LIMIT:
        bound = _assignment_model(combos, patterns, costs, k, relax=True)
        gap = greedy_cost - bound[0] if bound is not None else float("nan")
        return greedy, f"column by column (the exact model would have {size:,} variables)", max(gap, 0.0)
    solved = _assignment_model(combos, patterns, costs, k, relax=False)
    if solved is None:
        return greedy, "column by column (the exact model found no solution in time)", float("nan")
    cost, assignment, gap = solved
    if assignment is None:
        return greedy, "column by column (the exact model hit its time limit)", float("nan")
    if greedy_cost <= cost + 1e-9:
        return greedy, "exact", gap
    return _apply(keys, frame, combos, patterns, assignment), "exact", gap


def _weight(qi: QuasiIdentifier) -> float:
    """A value's weight in the choice of what to suppress: a little more for a more important variable, so that
    of two near-equal choices the less important value goes (the loss itself counts every value alike)."""
    return 1.0 + IMPORTANCE_STEP * (qi.importance - 1)


def _suppression_bound(frame: pd.DataFrame, qis: Sequence[QuasiIdentifier], node: Sequence[int], k: int) -> float:
    """A lower bound on the cost of the local suppression at `node`: the LP relaxation of the exact model."""
    if len(frame) < k or frame.empty:
        return 0.0
    combos = frame.astype("string").fillna(SUPPRESSED).value_counts(sort=False)
    if (combos >= k).all():
        return 0.0
    costs = [(1.0 - qi.loss(level)) for qi, level in zip(qis, node)]
    relaxed = _assignment_model(combos, list(itertools.product((False, True), repeat=len(costs))), costs, k, relax=True)
    return relaxed[0] if relaxed is not None else 0.0


def _suppression_cost(before: pd.DataFrame, after: pd.DataFrame, costs: Sequence[float]) -> float:
    lost = before.notna().to_numpy() & after.isna().to_numpy()
    return float((lost * np.asarray(costs)).sum())


def _assignment_model(
    combos: pd.Series, patterns: list[tuple[bool, ...]], costs: Sequence[float], k: int, *, relax: bool
) -> tuple[float, dict[tuple[int, int], int], float] | None:
    """How many records of each combination get each suppression pattern, so that every resulting combination
    holds 0 or at least k records, at the least cost. Variables: x[c, p] (records of combination c with pattern p)
    and y[r] (resulting combination r is used)."""
    combo_keys = list(combos.index)
    counts = combos.to_numpy()
    # A resulting combination that all its possible contributors together cannot fill to k is never used: the
    # patterns that lead only there are left out of the model (most of them, in a sparse wave).
    capacity: dict[tuple, int] = {}
    for c, key in enumerate(combo_keys):
        key = key if isinstance(key, tuple) else (key,)
        for pattern in patterns:
            if not any(hide and value == SUPPRESSED for hide, value in zip(pattern, key)):
                result = tuple(SUPPRESSED if hide else value for hide, value in zip(pattern, key))
                capacity[result] = capacity.get(result, 0) + int(counts[c])
    x_index: dict[tuple[int, int], int] = {}
    of_combo: list[list[int]] = []
    result_of: list[tuple] = []
    objective: list[float] = []
    x_upper: list[float] = []
    for c, key in enumerate(combo_keys):
        key = key if isinstance(key, tuple) else (key,)
        of_combo.append([])
        for p, pattern in enumerate(patterns):
            if any(hide and value == SUPPRESSED for hide, value in zip(pattern, key)):
                continue  # suppressing a value that is already missing changes nothing: the pattern without it
            if capacity[tuple(SUPPRESSED if hide else value for hide, value in zip(pattern, key))] < k:
                continue
            x_index[(c, p)] = len(objective)
            of_combo[-1].append(len(objective))
            result_of.append(tuple(SUPPRESSED if hide else value for hide, value in zip(pattern, key)))
            objective.append(sum(cost for hide, cost in zip(pattern, costs) if hide))
            x_upper.append(float(counts[c]))
    results = {r: i for i, r in enumerate(dict.fromkeys(result_of))}
    n_x, n_y = len(objective), len(results)
    total = int(counts.sum())
    rows, cols, vals, lower, upper = [], [], [], [], []
    row = 0
    for c, js in enumerate(of_combo):  # every record of a combination gets one pattern
        rows += [row] * len(js)
        cols += js
        vals += [1.0] * len(js)
        lower.append(float(counts[c]))
        upper.append(float(counts[c]))
        row += 1
    members: dict[int, list[int]] = {}
    for j, result in enumerate(result_of):
        members.setdefault(results[result], []).append(j)
    for r, js in members.items():  # a used combination holds at least k records; an unused one none
        for j in js:
            rows += [row, row + 1]
            cols += [j, j]
            vals += [1.0, 1.0]
        rows += [row, row + 1]
        cols += [n_x + r, n_x + r]
        # The tightest bound on how many records can land in a combination: what its contributors hold.
        vals += [-float(k), -float(min(total, sum(x_upper[j] for j in js)))]
        lower += [0.0, -np.inf]
        upper += [np.inf, 0.0]
        row += 2
    matrix = coo_matrix((vals, (rows, cols)), shape=(row, n_x + n_y)).tocsr()
    cost = np.concatenate([np.asarray(objective, dtype=float), np.zeros(n_y)])
    upper_bounds = np.concatenate([np.asarray(x_upper), np.ones(n_y)])
    integrality = np.zeros(n_x + n_y) if relax else np.ones(n_x + n_y)
    solution = milp(
        cost,
        constraints=LinearConstraint(matrix, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)),
        integrality=integrality,
        bounds=Bounds(np.zeros(n_x + n_y), upper_bounds),
        options={"time_limit": NODE_TIME_LIMIT_SECONDS, "disp": False, "mip_rel_gap": MIP_RELATIVE_GAP},
    )
    if solution.x is None:
        return None
    if relax:
        return float(solution.fun), {}, 0.0
    if solution.status == 1:  # the time limit: a result that depends on the machine's speed is not used
        return float(solution.fun), None, 0.0
    assignment = {key: int(round(solution.x[j])) for key, j in x_index.items() if round(solution.x[j]) > 0}
    gap = float(getattr(solution, "mip_gap", 0.0) or 0.0) * float(solution.fun)
    return float(solution.fun), assignment, gap


def _apply(keys: pd.DataFrame, frame: pd.DataFrame, combos: pd.Series, patterns: list[tuple[bool, ...]], assignment: dict[tuple[int, int], int]) -> pd.DataFrame:
    """Suppress values as the assignment says: within a combination, which records get which pattern is arbitrary
    (they are alike), so records are taken in a fixed order."""
    result = frame.copy()
    columns = list(frame.columns)
    rows_of = keys.groupby(columns, sort=False).indices
    for c, key in enumerate(combos.index):
        lookup = key if isinstance(key, tuple) else (key,)
        positions = sorted(rows_of[lookup if len(columns) > 1 else lookup[0]])
        start = 0
        for p, pattern in enumerate(patterns):
            count = assignment.get((c, p), 0)
            if not count:
                continue
            chosen = frame.index[positions[start:start + count]]
            for hide, column in zip(pattern, columns):
                if hide:
                    result.loc[chosen, column] = pd.NA
            start += count
    return result


def microdata_report(result: MicrodataResult) -> dict:
    """What the manifest, the Toelichting and the Dagster UI report of the released microdata's risk and utility."""
    return {
        "k": result.k,
        "k_reached": result.smallest_class,
        "records_at_risk": result.records_at_risk,
        "levels": result.levels,
        "values_generalised": {code: o.generalised for code, o in result.variables.items()},
        "values_suppressed": {code: o.suppressed for code, o in result.variables.items()},
        "information_loss": round(result.information_loss, 4),
        "information_loss_by_variable": {code: round(o.loss, 4) for code, o in result.variables.items()},
        "information_loss_column_by_column": round(result.column_by_column_loss, 4),
        "information_loss_lower_bound": round(result.lower_bound, 4),
        "method": result.method,
        "nodes_searched": result.nodes_searched,
        **({"l_diversity": result.l_diversity} if result.l_diversity else {}),
    }
