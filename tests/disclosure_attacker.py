"""An independent integer-programming attacker for published aggregate tables.

Written apart from the pipeline's own disclosure code (nothing here reads or imports ``verkenning``): it
reads the Parquet files of one or more published release folders, writes down every relation a reader
of those tables knows, and asks an integer program (scipy's ``milp``, HiGHS underneath) for the
smallest and largest value every suppressed cell can take.

Relations the attacker uses
  * every cell is a non-negative integer; a published cell is fixed to its value;
  * single-choice questions and array statements: the options of a (group, question, item) add up to
    ``base_n``; multiple-choice options (option ``Y``) lie in ``[0, base_n]``;
  * "don't know" rows (``is_missing``) are not in ``base_n``: the valid and missing options add up to
    ``all_n`` (a hidden unknown where it is not published), which a published ``pct_of_all`` bounds
    (``n / all_n`` rounded to 0.1) and which is at most the group's own published count;
  * per breakdown, the groups (including ``UNKNOWN``) add up to the overall cell of
    ``question_frequencies`` (created as a hidden variable when that table is not given);
  * a background question's overall count of a group is at least the ``base_n`` of any crosstab cell
    of that group (everyone counted in a group's base belongs to the group);
  * workshop statements: agree + neutral + disagree = n per row, meetings add up to the row ``all``;
  * ``scale_summaries`` (published rows): the valued options add up to ``n_valid``, and the rounded
    mean, standard deviation and share agreeing give interval constraints on sums of the options;
  * the suppression rule with ``min_count``: a primary single/array cell is in ``[1, min_count-1]``; a
    primary multiple-choice cell is in ``[1, min_count-1]`` or in ``[base_n-min_count+1, base_n-1]``
    (few did not tick); a primary workshop row has at least one suppressed cell in
    ``[1, min_count-1]``. With ``strong=True`` also: a secondary cell is in no primary range.

Several folders (releases of the same wave) can be attacked together: with ``same_data=True`` equal
keys in different releases are the same unknown (the data did not change between releases), so a cell
published in one release and suppressed in another is simply known, and differences between the
suppression patterns are exploited.

    python -m tests.disclosure_attacker FOLDER [FOLDER ...] [--strong] [--min-count N]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

DEFAULT_QUESTIONNAIRE = Path(__file__).resolve().parent.parent / "schemas" / "questionnaire.yaml"
TABLES = ("question_frequencies", "crosstabs", "workshop_statements", "scale_summaries")
WORKSHOP_FIELDS = ("agree", "neutral", "disagree")
BIG = 10**6  # upper bound of a count nothing else bounds
KEY_COLUMNS = (
    "breakdown", "breakdown_group", "question_code", "item_code", "option_code", "meeting", "statement", "answer",
)


# --------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Finding:
    """One suppressed cell and what the attacker learned about it."""

    table: str
    wave: str
    key: tuple[tuple[str, str], ...]  # (column, value) pairs that identify the cell within its table
    kind: str  # primary / secondary / unpublished
    cell_type: str  # single / multi / statement
    base_n: int | None
    min: int
    max: int
    detail: str = ""
    releases: tuple[str, ...] = ()

    @property
    def width(self) -> int:
        return self.max - self.min

    def key_dict(self) -> dict[str, str]:
        return dict(self.key)

    def label(self) -> str:
        k = self.key_dict()
        if self.table == "workshop_statements":
            name = f"{k['meeting']} / {k['statement'][:50]} / {k['answer']}"
        else:
            item = f"[{k['item_code']}]" if k.get("item_code") else ""
            name = f"{k['question_code']}{item}={k['option_code']}"
            if k.get("breakdown"):
                name += f" by {k['breakdown']}={k['breakdown_group']}"
        return f"{self.table} {self.wave} {name}"

    def __str__(self) -> str:
        base = f" (base {self.base_n})" if self.base_n is not None else ""
        detail = f"; {self.detail}" if self.detail else ""
        return f"{self.label()}{base}: {self.kind} {self.cell_type} in [{self.min}, {self.max}]{detail}"


@dataclass
class AttackReport:
    audited: int  # suppressed cells audited
    audited_by_kind: dict[str, int]
    primary_narrowed: list[Finding]  # primary cells whose feasible range is narrower than the rule's
    pinned: list[Finding]  # non-primary suppressed cells with min == max
    intervals: pd.DataFrame  # one row per audited cell
    narrowest: Finding | None
    inconsistent: list[str]  # relations the published figures break (model or data mismatch)
    components: int
    solves: int
    seconds: float
    settings: dict = field(default_factory=dict)

    def cells(self, **key) -> pd.DataFrame:
        """The audited cells matching the given column values (e.g. question_code="EXPECT")."""
        frame = self.intervals
        for column, value in key.items():
            frame = frame[frame[column] == value]
        return frame

    def summary(self) -> str:
        s = self.settings
        lines = [
            f"attacker: min_count={s.get('min_count')} strong={s.get('strong')} same_data={s.get('same_data')}"
            f" tables={','.join(s.get('tables', ()))} releases={len(s.get('folders', ()))}",
            f"audited {self.audited} suppressed cells ("
            + ", ".join(f"{k} {v}" for k, v in sorted(self.audited_by_kind.items()))
            + f") in {self.components} components, {self.solves} integer programs, {self.seconds:.1f} s",
            f"primary cells narrowed: {len(self.primary_narrowed)}",
            f"other suppressed cells pinned: {len(self.pinned)}",
        ]
        for f in self.pinned[:20]:
            lines.append(f"  pinned: {f}")
        if len(self.pinned) > 20:
            lines.append(f"  ... {len(self.pinned) - 20} more")
        exact = [f for f in self.primary_narrowed if f.min == f.max]
        lines.append(f"  of the narrowed primary cells, recomputed exactly: {len(exact)}")
        for f in self.primary_narrowed[:10]:
            lines.append(f"  narrowed: {f}")
        if len(self.primary_narrowed) > 10:
            lines.append(f"  ... {len(self.primary_narrowed) - 10} more")
        if self.narrowest is not None:
            lines.append(f"narrowest interval: {self.narrowest}")
        if self.inconsistent:
            lines.append(f"INCONSISTENT relations ({len(self.inconsistent)}):")
            lines.extend(f"  {x}" for x in self.inconsistent[:20])
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# The model


@dataclass
class _Var:
    key: tuple
    table: str
    wave: str
    cell: dict  # key columns for reporting
    cell_type: str
    ub: int = BIG
    value: int | None = None
    kinds: set = field(default_factory=set)
    releases: set = field(default_factory=set)  # releases where it is suppressed
    base_n: int | None = None


class _Model:
    def __init__(self) -> None:
        self.vars: list[_Var] = []
        self.index: dict[tuple, int] = {}
        self.linear: list[tuple[dict[int, float], float, float, str]] = []
        self.choices: list[tuple[list[tuple[int, int, int]], str]] = []  # at least one (var, lo, hi) holds
        self.inconsistent: list[str] = []
        self._seen: set = set()

    def var(self, key: tuple, *, table: str, wave: str, cell: dict, cell_type: str, ub: int | None) -> int:
        i = self.index.get(key)
        if i is None:
            i = len(self.vars)
            self.index[key] = i
            self.vars.append(_Var(key, table, wave, cell, cell_type))
        v = self.vars[i]
        if ub is not None:
            v.ub = min(v.ub, int(ub))
            v.base_n = int(ub) if v.base_n is None else min(v.base_n, int(ub))
        return i

    def publish(self, i: int, value: int, where: str) -> None:
        v = self.vars[i]
        if v.value is not None and v.value != value:
            self.inconsistent.append(f"{where}: published {value}, elsewhere {v.value}")
        v.value = int(value)

    def suppress(self, i: int, kind: str | None, release: str) -> None:
        v = self.vars[i]
        v.kinds.add(kind or "unpublished")
        v.releases.add(release)

    def add(self, terms: dict[int, float], lo: float, hi: float, what: str) -> None:
        sig = ("lin", tuple(sorted(terms.items())), lo, hi)
        if sig not in self._seen:
            self._seen.add(sig)
            self.linear.append((terms, lo, hi, what))

    def choose(self, alternatives: list[tuple[int, int, int]], what: str) -> None:
        sig = ("or", tuple(sorted(alternatives)))
        if not alternatives:
            self.inconsistent.append(f"{what}: the rule leaves no possible value")
        elif sig not in self._seen:
            self._seen.add(sig)
            self.choices.append((alternatives, what))


def _intervals_union(parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-empty intervals, duplicates dropped, in order."""
    out: list[tuple[int, int]] = []
    for lo, hi in parts:
        if lo <= hi and (lo, hi) not in out:
            out.append((lo, hi))
    return out


def _published_kind(row) -> str | None:
    """The kind a row says a suppressed cell is; a tier that does not say (no `suppression` column) gives
    "suppressed", which tells the attacker nothing about the cell's size."""
    if not bool(row.suppressed):
        return None
    kind = getattr(row, "suppression", None)
    return kind if isinstance(kind, str) and kind else "suppressed"


def _primary_parts(cell_type: str, base: int, min_count: int) -> list[tuple[int, int]]:
    """The values a primary cell can take: a small count, or (multiple choice) few who did not tick."""
    if cell_type == "multi":
        return _intervals_union([(1, min(min_count - 1, base)), (max(0, base - min_count + 1), base - 1)])
    return _intervals_union([(1, min(min_count - 1, base))])


def _not_primary_parts(cell_type: str, base: int, min_count: int) -> list[tuple[int, int]]:
    """The values in [0, base] outside every primary range (what a secondary cell can be)."""
    out, start = [], 0
    for lo, hi in sorted(_primary_parts(cell_type, base, min_count)):
        if lo > start:
            out.append((start, lo - 1))
        start = max(start, hi + 1)
    if start <= base:
        out.append((start, base))
    return out


# --------------------------------------------------------------------------------------------------
# Reading the releases


def _resolve(folder: Path) -> Path:
    folder = Path(folder)
    if any((folder / f"{t}.parquet").exists() for t in TABLES):
        return folder
    if (folder / "public").is_dir():
        return folder / "public"
    raise FileNotFoundError(f"no published tables in {folder}")


def _int_or_none(x) -> int | None:
    if x is None or x is pd.NA:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    return int(x)


def _scale_values(questionnaire: Path | None) -> tuple[dict, dict]:
    """{question: {option: value}}, {question: [missing options]} from the questionnaire."""
    values: dict[str, dict[str, float]] = {}
    missing: dict[str, list[str]] = {}
    if questionnaire is None or not Path(questionnaire).exists():
        return values, missing
    doc = yaml.safe_load(Path(questionnaire).read_text(encoding="utf-8"))
    scales = doc.get("scales") or {}
    for q in doc.get("questions") or []:
        options = scales.get(q.get("scale"), {}) if q.get("scale") else (q.get("options") or {})
        vals = {str(k): float(o["value"]) for k, o in options.items() if isinstance(o, dict) and "value" in o}
        if vals:
            values[q["code"]] = vals
            missing[q["code"]] = [str(k) for k, o in options.items() if isinstance(o, dict) and o.get("missing")]
    return values, missing


def _required_questions(questionnaire: Path | None) -> set[str]:
    if questionnaire is None or not Path(questionnaire).exists():
        return set()
    doc = yaml.safe_load(Path(questionnaire).read_text(encoding="utf-8"))
    return {str(q["code"]) for q in doc.get("questions") or [] if q.get("required")}


def _build(
    folders: list[Path], min_count: int, strong: bool, same_data: bool, tables: tuple[str, ...],
    questionnaire: Path | None,
) -> _Model:
    m = _Model()
    values, missing_opts = _scale_values(questionnaire) if "scale_summaries" in tables else ({}, {})
    required = _required_questions(questionnaire)

    for r, folder in enumerate(folders):
        release = str(folder)
        scope = "same" if same_data else r
        src = _resolve(folder)

        def read(name: str) -> pd.DataFrame | None:
            path = src / f"{name}.parquet"
            return pd.read_parquet(path) if name in tables and path.exists() else None

        qf, ct, ws, ss = (read(t) for t in TABLES)

        # ---- survey cells: question_frequencies (overall) and crosstabs (per group)
        frames = []
        if qf is not None:
            f = qf.copy()
            f["breakdown"], f["breakdown_group"], f["src_table"] = "", "", "question_frequencies"
            frames.append(f)
        if ct is not None:
            f = ct.copy()
            f["src_table"] = "crosstabs"
            frames.append(f)
        cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        cell_var: dict[tuple, int] = {}
        group_base: dict[tuple, int] = {}  # (wave, breakdown, group, q, item) -> base_n
        if len(cells):
            for item_code in ("item_code", "option_code"):
                cells[item_code] = cells[item_code].fillna("").astype(str)
            missing_cells: set[tuple] = set()
            all_answered: dict[tuple, list[tuple[int, float]]] = defaultdict(list)  # gk -> (n, pct_of_all) published
            all_n_of: dict[tuple, int] = {}
            for row in cells.itertuples(index=False):
                wave = str(row.wave)
                ck = (wave, row.breakdown, row.breakdown_group, row.question_code, row.item_code, row.option_code)
                is_missing = bool(getattr(row, "is_missing", False))
                cell_type = "multi" if row.option_code == "Y" else ("missing" if is_missing else "single")
                base = _int_or_none(row.base_n)
                all_n = _int_or_none(getattr(row, "all_n", None))
                cell = dict(zip(KEY_COLUMNS[:5], ck[1:]))
                i = m.var(("cell", scope) + ck, table=row.src_table, wave=wave, cell=cell, cell_type=cell_type,
                          ub=all_n if is_missing else base)
                cell_var[ck] = i
                if all_n is not None:
                    all_n_of[ck[:5]] = all_n
                share = getattr(row, "pct_of_all", None)
                n_shown = _int_or_none(row.n)
                if share is not None and not pd.isna(share) and n_shown is not None and not bool(row.suppressed):
                    all_answered[ck[:5]].append((n_shown, float(share)))
                if is_missing:
                    missing_cells.add(ck)
                    continue
                if base is not None:
                    gk = ck[:5]
                    if group_base.setdefault(gk, base) != base:
                        m.inconsistent.append(f"{release}: two bases for {gk}")
                n = _int_or_none(row.n)
                if n is not None and not bool(row.suppressed):
                    m.publish(i, n, f"{release} {ck}")
                else:
                    m.suppress(i, _published_kind(row), release)

            # options add up to base_n (single choice and array statements)
            by_group: dict[tuple, list[int]] = defaultdict(list)
            for ck, i in cell_var.items():
                if ck[5] != "Y" and ck not in missing_cells:
                    by_group[ck[:5]].append(i)
            for gk, idx in by_group.items():
                if gk in group_base:
                    b = group_base[gk]
                    m.add({i: 1.0 for i in idx}, b, b, f"options of {gk} add up to {b}")

            # valid plus "don't know" options add up to all_n: published, or bounded by pct_of_all
            missing_by_group: dict[tuple, list[int]] = defaultdict(list)
            for ck in missing_cells:
                missing_by_group[ck[:5]].append(cell_var[ck])
            for gk, idx in missing_by_group.items():
                terms = {i: 1.0 for i in by_group.get(gk, [])} | {i: 1.0 for i in idx}
                a = m.var(("all_n", scope) + gk, table="question_frequencies", wave=gk[0],
                          cell=dict(zip(KEY_COLUMNS[:5], (*gk[1:], "all_n"))), cell_type="all_n", ub=None)
                if gk in all_n_of:
                    m.publish(a, all_n_of[gk], f"{release} all_n {gk}")
                terms[a] = -1.0
                m.add(terms, 0, 0, f"valid and missing options of {gk} add up to all_n")
                for n_shown, share in all_answered.get(gk, []):
                    if n_shown and share > 0:
                        low = math.ceil(100.0 * n_shown / (share + 0.05) - 1e-6)
                        high = math.floor(100.0 * n_shown / max(share - 0.05, 1e-9) + 1e-6)
                        m.add({a: 1.0}, low, high, f"pct_of_all {share} of n {n_shown} in {gk}")
                if gk[1]:  # everybody who answered belongs to the group
                    g = cell_var.get((gk[0], "", "", gk[1], "", gk[2]))
                    if g is not None:
                        m.add({g: 1.0, a: -1.0}, 0, np.inf, f"{gk[1]}={gk[2]} holds all_n of {gk}")

            # per breakdown, groups add up to the overall cell
            overall: dict[tuple, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
            for ck in cell_var:
                if ck[1]:
                    overall[(ck[0],) + ck[3:]][ck[1]].append(ck)
            for ok, per_breakdown in overall.items():
                wave, q, item, opt = ok
                total_key = (wave, "", "", q, item, opt)
                oi = cell_var.get(total_key)
                if oi is None:  # no question_frequencies row: a hidden overall cell
                    some = next(iter(per_breakdown.values()))
                    ub = BIG if some[0] in missing_cells else sum(group_base.get(ck[:5], BIG) for ck in some)
                    oi = m.var(("cell", scope) + total_key, table="question_frequencies", wave=wave,
                               cell=dict(zip(KEY_COLUMNS[:5], total_key[1:])), cell_type="hidden", ub=min(ub, BIG))
                for breakdown, cks in per_breakdown.items():
                    terms = {cell_var[ck]: 1.0 for ck in cks}
                    terms[oi] = terms.get(oi, 0.0) - 1.0
                    m.add(terms, 0, 0, f"{breakdown} groups add up to {q}[{item}]={opt}")

            # a background question's count of a group >= the base of any crosstab cell of that group
            for gk, b in group_base.items():
                wave, breakdown, group = gk[:3]
                if not breakdown:
                    continue
                i = cell_var.get((wave, "", "", breakdown, "", group))
                if i is not None:
                    m.add({i: 1.0}, b, np.inf, f"{breakdown}={group} has at least the base {b} of {gk}")

            # scale summaries: n_valid, rounded mean, sd and share agreeing
            if ss is not None and len(ss):
                for row in ss.itertuples(index=False):
                    if bool(row.suppressed):
                        continue
                    wave, q, item = str(row.wave), row.question_code, "" if row.item_code is None else row.item_code
                    gk = (wave, row.breakdown or "", row.breakdown_group or "", q, item)
                    vals = values.get(q)
                    if not vals:
                        continue
                    idx = {opt: cell_var.get(gk + (opt,)) for opt in vals}
                    if any(i is None for i in idx.values()):
                        continue
                    n = _int_or_none(row.n_valid)
                    if n is None or n == 0:
                        continue
                    m.add({i: 1.0 for i in idx.values()}, n, n, f"n_valid of {gk}")
                    s_lo, s_hi = 0.0, float(max(vals.values()) * n)
                    mean = None if pd.isna(row.mean) else float(row.mean)
                    if mean is not None:
                        s_lo = max(0.0, math.ceil(n * (mean - 0.005) - 1e-6))
                        s_hi = math.floor(n * (mean + 0.005) + 1e-6)
                        m.add({idx[o]: vals[o] for o in vals}, s_lo, s_hi, f"mean {mean} of {gk}")
                    sd = None if pd.isna(row.sd) else float(row.sd)
                    if sd is not None and mean is not None:
                        # sum v^2 x = (n-1) sd^2 + S^2/n (or n sd^2 + S^2/n): an interval hull over S and sd
                        lo = (n - 1) * max(sd - 0.005, 0.0) ** 2 + s_lo**2 / n
                        hi = n * (sd + 0.005) ** 2 + s_hi**2 / n
                        m.add({idx[o]: vals[o] ** 2 for o in vals}, math.ceil(lo - 1e-6), math.floor(hi + 1e-6),
                              f"sd {sd} of {gk}")
                    share = None if pd.isna(row.share_agree) else float(row.share_agree)
                    if share is not None:
                        agree = {idx[o]: 1.0 for o in vals if vals[o] >= 4}
                        m.add(agree, math.ceil(n * (share - 0.0005) - 1e-6), math.floor(n * (share + 0.0005) + 1e-6),
                              f"share_agree {share} of {gk}")
                    n_missing = _int_or_none(getattr(row, "n_missing", None))
                    miss = [cell_var.get(gk + (o,)) for o in missing_opts.get(q, [])]
                    if n_missing is not None and miss and all(i is not None for i in miss):
                        # n_missing also counts those who skipped the question: nobody can skip a required one
                        low = n_missing if q in required else 0
                        m.add({i: 1.0 for i in miss}, low, n_missing, f"n_missing of {gk}")

        # ---- workshop statements
        if ws is not None and len(ws):
            rows: dict[tuple, dict[str, int]] = {}
            for row in ws.itertuples(index=False):
                wave = str(row.wave)
                rk = (wave, str(row.meeting), str(row.statement))
                n = _int_or_none(row.n)
                ids: dict[str, int] = {}
                for f in WORKSHOP_FIELDS + ("n",):
                    cell = {"meeting": rk[1], "statement": rk[2], "answer": f}
                    i = m.var(("ws", scope) + rk + (f,), table="workshop_statements", wave=wave, cell=cell,
                              cell_type="statement", ub=n)
                    ids[f] = i
                    value = _int_or_none(getattr(row, f))
                    if value is not None:
                        m.publish(i, value, f"{release} {rk} {f}")
                    else:
                        m.suppress(i, _published_kind(row), release)
                rows[rk] = ids
                m.add({ids["agree"]: 1.0, ids["neutral"]: 1.0, ids["disagree"]: 1.0, ids["n"]: -1.0}, 0, 0,
                      f"row {rk} adds up to n")
                hidden = [ids[f] for f in WORKSHOP_FIELDS if m.vars[ids[f]].value is None]
                kind = _published_kind(row)
                if kind == "primary" and hidden and (n is None or n >= 1):
                    m.choose([(i, 1, min_count - 1) for i in hidden], f"primary row {rk}")
                if strong and kind == "secondary" and n is not None:
                    for i in hidden:
                        m.choose([(i, lo, hi) for lo, hi in _not_primary_parts("single", n, min_count)],
                                 f"secondary row {rk}")
            statements: dict[tuple, list[tuple]] = defaultdict(list)
            for rk in rows:
                if rk[1] != "all":
                    statements[(rk[0], rk[2])].append(rk)
            for (wave, statement), rks in statements.items():
                total = rows.get((wave, "all", statement))
                if total is None:
                    continue
                for f in WORKSHOP_FIELDS + ("n",):
                    terms = {rows[rk][f]: 1.0 for rk in rks}
                    terms[total[f]] = -1.0
                    m.add(terms, 0, 0, f"meetings add up to all: {statement[:40]} {f}")

    # the suppression rule for survey cells (workshop rows are done above, per row)
    for i, v in enumerate(m.vars):
        if v.value is not None or v.base_n is None or v.cell_type not in ("single", "multi"):
            continue
        if "primary" in v.kinds:
            m.choose([(i, lo, hi) for lo, hi in _primary_parts(v.cell_type, v.base_n, min_count)],
                     f"primary {v.key}")
        if strong and "secondary" in v.kinds:
            m.choose([(i, lo, hi) for lo, hi in _not_primary_parts(v.cell_type, v.base_n, min_count)],
                     f"secondary {v.key}")
    return m


# --------------------------------------------------------------------------------------------------
# Solving


class _Component:
    """One connected set of unknowns with its constraints, as an integer program."""

    def __init__(self, m: _Model, var_ids: list[int], lin: list[int], choices: list[int]):
        self.m = m
        self.col = {v: j for j, v in enumerate(var_ids)}
        lb = [0.0] * len(var_ids)
        ub = [float(m.vars[v].ub) for v in var_ids]
        rows, cols, data, lo, hi = [], [], [], [], []
        r = 0
        self.infeasible_reason: str | None = None
        for c in lin:
            terms, l, h, what = m.linear[c]
            const = sum(coef * m.vars[v].value for v, coef in terms.items() if m.vars[v].value is not None)
            for v, coef in terms.items():
                if m.vars[v].value is None and coef != 0:
                    rows.append(r), cols.append(self.col[v]), data.append(coef)
            lo.append(l - const), hi.append(h - const)
            r += 1
        for c in choices:
            alts, what = m.choices[c]
            live = []
            satisfied = False
            for v, l, h in alts:
                value = m.vars[v].value
                if value is None:
                    live.append((v, l, h))
                elif l <= value <= h:
                    satisfied = True
            if satisfied:
                continue
            if not live:
                self.infeasible_reason = f"no alternative of {what} holds"
                continue
            if len(live) == 1:  # a plain bound
                v, l, h = live[0]
                j = self.col[v]
                lb[j], ub[j] = max(lb[j], l), min(ub[j], h)
                continue
            binaries = []
            for v, l, h in live:
                j = self.col[v]
                b = len(lb)
                lb.append(0.0), ub.append(1.0)
                binaries.append(b)
                # b = 1  =>  l <= x <= h, written with the variable's own bounds as big-M
                xl, xu = 0.0, float(m.vars[v].ub)
                rows.extend([r, r]), cols.extend([j, b]), data.extend([1.0, -(l - xl)])
                lo.append(xl), hi.append(np.inf)
                r += 1
                rows.extend([r, r]), cols.extend([j, b]), data.extend([1.0, xu - h])
                lo.append(-np.inf), hi.append(xu)
                r += 1
            for b in binaries:
                rows.append(r), cols.append(b), data.append(1.0)
            lo.append(1.0), hi.append(np.inf)
            r += 1
        self.n = len(lb)
        self.lb, self.ub = np.array(lb), np.array(ub)
        if np.any(self.lb > self.ub):
            self.infeasible_reason = self.infeasible_reason or "empty bounds"
        self.constraints = (
            [LinearConstraint(coo_array((data, (rows, cols)), shape=(r, self.n)).tocsr(), lo, hi)] if r else []
        )
        self.solves = 0

    def optimum(self, v: int, maximise: bool, within: tuple[int, int] | None = None) -> int | None:
        """The min (or max) of unknown v, optionally restricted to an interval; None when infeasible."""
        j = self.col[v]
        lb, ub = self.lb.copy(), self.ub.copy()
        if within is not None:
            lb[j], ub[j] = max(lb[j], within[0]), min(ub[j], within[1])
            if lb[j] > ub[j]:
                return None
        c = np.zeros(self.n)
        c[j] = -1.0 if maximise else 1.0
        self.solves += 1
        res = milp(c, integrality=np.ones(self.n), bounds=Bounds(lb, ub), constraints=self.constraints,
                   options={"mip_rel_gap": 0.0, "presolve": True})
        if res.status == 2:
            return None
        if res.status != 0:
            raise RuntimeError(f"milp failed ({res.status}): {res.message}")
        return int(round(res.x[j]))


def _components(m: _Model) -> list[tuple[list[int], list[int], list[int]]]:
    parent = list(range(len(m.vars)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def unite(ids: list[int]) -> None:
        ids = [i for i in ids if m.vars[i].value is None]
        for a in ids[1:]:
            ra, rb = find(ids[0]), find(a)
            if ra != rb:
                parent[rb] = ra

    for terms, *_ in m.linear:
        unite(list(terms))
    for alts, _ in m.choices:
        unite([v for v, _, _ in alts])
    groups: dict[int, tuple[list[int], list[int], list[int]]] = {}
    for i, v in enumerate(m.vars):
        if v.value is None:
            groups.setdefault(find(i), ([], [], []))[0].append(i)
    for c, (terms, lo, hi, what) in enumerate(m.linear):
        free = [v for v in terms if m.vars[v].value is None]
        if free:
            groups[find(free[0])][1].append(c)
        else:  # fully published: check it
            total = sum(coef * m.vars[v].value for v, coef in terms.items())
            if not (lo - 1e-6 <= total <= hi + 1e-6):
                m.inconsistent.append(f"{what}: published figures give {total}")
    for c, (alts, what) in enumerate(m.choices):
        free = [v for v, _, _ in alts if m.vars[v].value is None]
        if free:
            groups[find(free[0])][2].append(c)
        elif not any(lo <= m.vars[v].value <= hi for v, lo, hi in alts):
            m.inconsistent.append(f"{what}: published value breaks the rule")
    return list(groups.values())


def attack(
    folders: list[Path] | Path,
    min_count: int = 5,
    strong: bool = False,
    same_data: bool = True,
    tables: tuple[str, ...] = TABLES,
    questionnaire: Path | None = DEFAULT_QUESTIONNAIRE,
) -> AttackReport:
    """Audit the suppressed cells of one or more published release folders."""
    started = time.perf_counter()
    if isinstance(folders, (str, Path)):
        folders = [folders]
    folders = [Path(f) for f in folders]
    m = _build(folders, min_count, strong, same_data, tuple(tables), questionnaire)

    findings: list[tuple[Finding, bool]] = []  # (finding, narrowed)
    primary_narrowed: list[Finding] = []
    pinned: list[Finding] = []
    solves = 0
    comps = _components(m)

    def finding(v: _Var, lo: int, hi: int, detail: str) -> Finding:
        kind = "primary" if "primary" in v.kinds else sorted(v.kinds)[0]
        return Finding(v.table, v.wave, tuple((k, str(x)) for k, x in v.cell.items()), kind, v.cell_type,
                       v.base_n, lo, hi, detail, tuple(sorted(v.releases)))

    audited_ids = {i for i, v in enumerate(m.vars) if v.kinds}
    # cells suppressed in one release and published in another (same_data): known outright
    for i in sorted(audited_ids):
        v = m.vars[i]
        if v.value is not None:
            f = finding(v, v.value, v.value, "published in another release")
            findings.append((f, "primary" in v.kinds))
            (primary_narrowed if "primary" in v.kinds else pinned).append(f)

    for var_ids, lin, choices in comps:
        targets = [i for i in var_ids if i in audited_ids]
        if not targets:
            continue
        comp = _Component(m, var_ids, lin, choices)
        if comp.infeasible_reason:
            m.inconsistent.append(f"component of {m.vars[targets[0]].cell}: {comp.infeasible_reason}")
            continue
        for i in targets:
            v = m.vars[i]
            lo = comp.optimum(i, maximise=False)
            if lo is None:
                m.inconsistent.append(f"no feasible table for the component of {finding(v, 0, 0, '').label()}")
                break
            hi = comp.optimum(i, maximise=True)
            narrowed, details = False, []
            if "primary" in v.kinds:
                base = v.base_n if v.base_n is not None else v.ub
                if v.cell_type == "statement":
                    # which cell of a primary row is the small one is not published: condition on this one
                    parts = [(1, min(min_count - 1, base))]
                else:
                    parts = _primary_parts(v.cell_type, base, min_count)
                for pl, ph in parts:
                    p_lo = lo if pl <= lo <= ph else comp.optimum(i, False, (pl, ph))
                    if p_lo is None:
                        details.append(f"[{pl},{ph}] infeasible")
                        continue
                    p_hi = hi if pl <= hi <= ph else comp.optimum(i, True, (pl, ph))
                    part_narrowed = p_lo > pl or p_hi < ph
                    narrowed |= part_narrowed
                    details.append(f"[{pl},{ph}] -> [{p_lo},{p_hi}]" + (" narrowed" if part_narrowed else ""))
            f = finding(v, lo, hi, "; ".join(details))
            findings.append((f, narrowed))
            if narrowed:
                primary_narrowed.append(f)
            if lo == hi and ("primary" not in v.kinds or v.cell_type == "statement"):
                pinned.append(f)
        solves += comp.solves

    records = []
    for f, narrowed in findings:
        rec = {"table": f.table, "wave": f.wave, **{k: None for k in KEY_COLUMNS}, **f.key_dict()}
        rec.update(kind=f.kind, type=f.cell_type, base_n=f.base_n, min=f.min, max=f.max, width=f.width,
                   narrowed=narrowed, pinned=f.min == f.max, detail=f.detail, releases=";".join(f.releases))
        records.append(rec)
    intervals = pd.DataFrame.from_records(
        records,
        columns=["table", "wave", *KEY_COLUMNS, "kind", "type", "base_n", "min", "max", "width", "narrowed", "pinned",
                 "detail", "releases"],
    )
    by_kind: dict[str, int] = defaultdict(int)
    for f, _ in findings:
        by_kind[f.kind] += 1
    narrowest = min((f for f, _ in findings), key=lambda f: (f.width, f.kind != "primary"), default=None)
    return AttackReport(
        audited=len(findings),
        audited_by_kind=dict(by_kind),
        primary_narrowed=primary_narrowed,
        pinned=pinned,
        intervals=intervals,
        narrowest=narrowest,
        inconsistent=list(m.inconsistent),
        components=len(comps),
        solves=solves,
        seconds=time.perf_counter() - started,
        settings={"min_count": min_count, "strong": strong, "same_data": same_data, "tables": tuple(tables),
                  "folders": [str(f) for f in folders]},
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("folders", nargs="+", type=Path, help="release folders (or their public tier)")
    p.add_argument("--strong", action="store_true", help="also use that secondary cells are not in a primary range")
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--independent", action="store_true", help="do not link equal keys across releases")
    p.add_argument("--tables", default=",".join(TABLES), help="comma-separated tables to use")
    p.add_argument("--csv", type=Path, help="write the interval of every audited cell here")
    a = p.parse_args(argv)
    report = attack(a.folders, min_count=a.min_count, strong=a.strong, same_data=not a.independent,
                    tables=tuple(t for t in a.tables.split(",") if t))
    print(report.summary())
    if a.csv:
        report.intervals.to_csv(a.csv, index=False)
    return 1 if report.inconsistent else 0


if __name__ == "__main__":
    sys.exit(main())
