"""The independent integer-programming attacker (tests/disclosure_attacker.py) on small hand-made tables
with known answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.disclosure_attacker import _not_primary_parts, _primary_parts, attack, main

WAVE = "2099-01"


# ---- building published tables -------------------------------------------------------------------


def cell(q, opt, n, base, kind=None, item="", bd="", grp=""):
    """One published (kind None) or suppressed (kind primary/secondary) cell; n is the true value."""
    return {"question_code": q, "item_code": item, "option_code": opt, "n": n, "base_n": base, "kind": kind,
            "breakdown": bd, "breakdown_group": grp}


def _survey_frame(cells: list[dict], crosstab: bool) -> pd.DataFrame:
    rows = []
    for c in cells:
        hidden = c["kind"] is not None
        row = {
            "wave": WAVE, "question_code": c["question_code"], "item_code": c["item_code"],
            "option_code": c["option_code"], "label_nl": "x", "label_en": "x",
            "n": None if hidden else c["n"], "base_n": c["base_n"],
            "pct": np.nan if hidden or not c["base_n"] else round(100 * c["n"] / c["base_n"], 1),
            "suppressed": hidden, "suppression": c["kind"],
        }
        if crosstab:
            row = {"wave": WAVE, "breakdown": c["breakdown"], "breakdown_group": c["breakdown_group"],
                   "breakdown_label_nl": c["breakdown_group"], "breakdown_label_en": c["breakdown_group"],
                   **{k: v for k, v in row.items() if k != "wave"}}
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["n"] = frame["n"].astype("Int64")
    return frame


def write_release(folder: Path, cells: list[dict], workshop: list[dict] | None = None,
                  scales: list[dict] | None = None) -> Path:
    """Write question_frequencies (cells without breakdown) and crosstabs (cells with one) as Parquet."""
    folder.mkdir(parents=True, exist_ok=True)
    overall = [c for c in cells if not c["breakdown"]]
    groups = [c for c in cells if c["breakdown"]]
    if overall:
        _survey_frame(overall, crosstab=False).to_parquet(folder / "question_frequencies.parquet")
    if groups:
        _survey_frame(groups, crosstab=True).to_parquet(folder / "crosstabs.parquet")
    if workshop:
        frame = pd.DataFrame(workshop)
        for c in ("agree", "neutral", "disagree"):
            frame[c] = frame[c].astype("Int64")
        frame.insert(0, "wave", WAVE)
        frame.to_parquet(folder / "workshop_statements.parquet")
    if scales:
        frame = pd.DataFrame(scales)
        frame.insert(0, "wave", WAVE)
        frame.to_parquet(folder / "scale_summaries.parquet")
    return folder


def ws_row(meeting, statement, agree, neutral, disagree, hidden=(), kind=None):
    """A workshop row; the fields named in `hidden` are suppressed (true values given anyway)."""
    values = {"agree": agree, "neutral": neutral, "disagree": disagree}
    n = agree + neutral + disagree
    return {"meeting": meeting, "statement": statement,
            **{k: (None if k in hidden else v) for k, v in values.items()}, "n": n,
            **{f"pct_{k}": (np.nan if k in hidden else round(100 * v / n, 1)) for k, v in values.items()},
            "suppressed": bool(hidden), "suppression": kind}


def single_question(q, totals: dict[str, int], groups: dict[str, dict[str, tuple[int, str | None]]],
                    bd="B", overall_kinds: dict[str, str] | None = None) -> list[dict]:
    """Cells of a single-choice question: overall totals (published unless in overall_kinds) and per group
    {group: {option: (n, kind)}}."""
    base = sum(totals.values())
    cells = [cell(q, o, n, base, (overall_kinds or {}).get(o)) for o, n in totals.items()]
    for g, opts in groups.items():
        gbase = sum(n for n, _ in opts.values())
        cells += [cell(q, o, n, gbase, kind, bd=bd, grp=g) for o, (n, kind) in opts.items()]
    for o, n in totals.items():  # the groups must add up to the total: the test's own sanity check
        assert sum(groups[g][o][0] for g in groups) == n
    return cells


def find(report, **key) -> pd.Series:
    rows = report.cells(**key)
    assert len(rows) == 1, rows
    return rows.iloc[0]


# ---- the primary ranges ---------------------------------------------------------------------------


def test_primary_ranges_of_the_rule():
    assert _primary_parts("single", 100, 5) == [(1, 4)]
    assert _primary_parts("single", 3, 5) == [(1, 3)]
    assert _primary_parts("multi", 100, 5) == [(1, 4), (96, 99)]
    # few people in the base: every count leaves a small ticked or unticked group
    assert _primary_parts("multi", 4, 5) == [(1, 4), (0, 3)]
    assert _not_primary_parts("multi", 100, 5) == [(0, 0), (5, 95), (100, 100)]
    assert _not_primary_parts("multi", 4, 5) == []
    assert _not_primary_parts("single", 10, 5) == [(0, 0), (5, 10)]


# ---- one release ----------------------------------------------------------------------------------


def test_total_minus_one_published_group_pins_three_primary_cells(tmp_path):
    # the total of A5 is 9 and LARGE shows 6: the other three groups hold 3, at least 1 each -> 1 each
    cells = single_question(
        "EXPECT",
        {"A4": 91, "A5": 9},
        {
            "SMALL": {"A4": (29, "secondary"), "A5": (1, "primary")},
            "MEDIUM": {"A4": (19, "secondary"), "A5": (1, "primary")},
            "UNKNOWN": {"A4": (5, "secondary"), "A5": (1, "primary")},
            "LARGE": {"A4": (38, None), "A5": (6, None)},
        },
        bd="ORGSIZE",
    )
    report = attack([write_release(tmp_path / "r1", cells)])
    assert report.audited == 6
    assert not report.inconsistent
    narrowed = {(f.key_dict()["breakdown_group"], f.min, f.max) for f in report.primary_narrowed}
    assert narrowed == {("SMALL", 1, 1), ("MEDIUM", 1, 1), ("UNKNOWN", 1, 1)}
    # and then the secondary cells of each group follow from its base
    pinned = {(f.key_dict()["breakdown_group"], f.min) for f in report.pinned}
    assert pinned == {("SMALL", 29), ("MEDIUM", 19), ("UNKNOWN", 5)}
    assert report.narrowest.width == 0


def test_rectangle_with_room_finds_nothing(tmp_path):
    # a 2x2 rectangle of suppressed cells: +1/-1 around it keeps every primary in [1, 4]
    cells = single_question(
        "Q",
        {"A1": 27, "A2": 49},
        {
            "G1": {"A1": (2, "primary"), "A2": (20, "secondary")},
            "G2": {"A1": (20, "secondary"), "A2": (2, "primary")},
            "G3": {"A1": (5, None), "A2": (27, None)},
        },
    )
    folder = write_release(tmp_path / "r1", cells)
    for strong in (False, True):
        report = attack([folder], strong=strong)
        assert report.audited == 4
        assert report.primary_narrowed == [] and report.pinned == [] and not report.inconsistent
        assert (find(report, breakdown_group="G1", option_code="A1")[["min", "max"]] == [1, 4]).all()
        assert (find(report, breakdown_group="G2", option_code="A1")[["min", "max"]] == [18, 21]).all()


def test_multiple_choice_option_few_did_not_tick(tmp_path):
    # G1: 28 of 30 ticked (2 did not): primary through the mirrored range
    base = {"G1": 30, "G2": 70}

    def release(name, g2_kind, total_kind):
        cells = [cell("TOOLS", "Y", 88, 100, total_kind, item="SQ001"),
                 cell("TOOLS", "Y", 28, base["G1"], "primary", item="SQ001", bd="B", grp="G1"),
                 cell("TOOLS", "Y", 60, base["G2"], g2_kind, item="SQ001", bd="B", grp="G2")]
        return write_release(tmp_path / name, cells)

    # G2 and the total published: 88 - 60 = 28, recomputed although it is far from [1, 4]
    report = attack([release("a", None, None)])
    assert not report.inconsistent
    [f] = report.primary_narrowed
    assert (f.min, f.max) == (28, 28) and "[1,4] infeasible" in f.detail and "[26,29] -> [28,28]" in f.detail

    # G2 hidden too: G1 is in [26, 29] (the few-ticked part is out, which the rule allows), nothing found
    report = attack([release("b", "secondary", None)])
    assert report.primary_narrowed == [] and report.pinned == [] and not report.inconsistent
    g1 = find(report, breakdown_group="G1")
    assert (g1["min"], g1["max"]) == (26, 29)


def test_strong_model_uses_that_secondary_cells_are_not_small(tmp_path):
    cells = single_question(
        "Q",
        {"A1": 12, "A2": 25},
        {
            "G1": {"A1": (2, "primary"), "A2": (5, "secondary")},
            "G2": {"A1": (10, "secondary"), "A2": (20, "secondary")},
        },
    )
    folder = write_release(tmp_path / "r1", cells)
    weak = attack([folder])
    assert weak.primary_narrowed == [] and weak.pinned == []
    assert (find(weak, breakdown_group="G1", option_code="A1")[["min", "max"]] == [1, 4]).all()
    # G1's A2 = 7 - A1 is secondary, so not in [1, 4]: A2 >= 5 and A1 <= 2
    strong = attack([folder], strong=True)
    [f] = strong.primary_narrowed
    assert f.key_dict()["breakdown_group"] == "G1" and (f.min, f.max) == (1, 2)
    assert not strong.inconsistent


def test_workshop_statements(tmp_path):
    s1, s2 = "In 2030 one", "In 2030 two"
    rows = [
        # s1: the row all is published, so the small meeting's hidden cells follow exactly
        ws_row("m1", s1, 2, 1, 7, hidden=("agree", "neutral"), kind="primary"),
        ws_row("m2", s1, 10, 5, 9),
        ws_row("all", s1, 12, 6, 16),
        # s2: 9 people split over two hidden cells in m1, and the totals hidden too: room enough
        ws_row("m1", s2, 3, 6, 4, hidden=("agree", "neutral"), kind="primary"),
        ws_row("m2", s2, 10, 5, 9, hidden=("agree", "neutral"), kind="secondary"),
        ws_row("all", s2, 13, 11, 13, hidden=("agree", "neutral"), kind="secondary"),
        # s3 (m1 only): two hidden cells hold 3 people together: the small one is at most 3
        ws_row("m1", "s3", 2, 1, 10, hidden=("agree", "neutral"), kind="primary"),
    ]
    report = attack([write_release(tmp_path / "r1", [], workshop=rows)])
    assert not report.inconsistent
    assert report.audited == 2 + 6 + 2
    pinned = {(f.key_dict()["statement"], f.key_dict()["answer"], f.min) for f in report.pinned}
    assert pinned == {(s1, "agree", 2), (s1, "neutral", 1)}
    narrowed = {(f.key_dict()["statement"], f.key_dict()["answer"]) for f in report.primary_narrowed}
    assert narrowed == {(s1, "agree"), (s1, "neutral"), ("s3", "agree"), ("s3", "neutral")}
    # 0 or 9 would leave no small cell in the primary row; as the small cell it may be anything in [1, 4]
    a = find(report, statement=s2, meeting="m1", answer="agree")
    assert (a["min"], a["max"], a["narrowed"]) == (1, 8, False)


def test_scale_summary_mean_pins_cells(tmp_path):
    # FAMILIAR (values 1..5): A1 and A2 hidden, their sum is 10; the published mean gives A1 + 2 A2
    counts = {"A1": 2, "A2": 8, "A3": 30, "A4": 20, "A5": 10}
    kinds = {"A1": "primary", "A2": "secondary"}
    base = sum(counts.values())
    cells = [cell("FAMILIAR", o, n, base, kinds.get(o)) for o, n in counts.items()]
    values = np.repeat([1, 2, 3, 4, 5], list(counts.values()))
    scales = [{"breakdown": "", "breakdown_group": "", "question_code": "FAMILIAR", "item_code": "",
               "label_nl": "x", "label_en": "x", "n_valid": base, "n_missing": 0,
               "mean": round(values.mean(), 2), "sd": round(values.std(ddof=1), 2),
               "share_agree": round((values >= 4).mean(), 3), "suppressed": False}]
    folder = write_release(tmp_path / "r1", cells, scales=scales)
    without = attack([folder], tables=("question_frequencies",))
    assert without.primary_narrowed == [] and without.pinned == []
    report = attack([folder])
    assert not report.inconsistent
    assert [(f.key_dict()["option_code"], f.min, f.max) for f in report.primary_narrowed] == [("A1", 2, 2)]
    assert [(f.key_dict()["option_code"], f.min) for f in report.pinned] == [("A2", 8)]


# ---- several releases -----------------------------------------------------------------------------


def test_two_releases_differencing_pins_a_cell(tmp_path):
    # r1 hides A1 and A2, r2 hides A1 and A3: each alone leaves A1 in [1, 4], together A1 = 15 - 10 - 3
    r1 = write_release(tmp_path / "2099-01" / "r1", [
        cell("Q", "A1", 2, 15, "primary"), cell("Q", "A2", 3, 15, "secondary"), cell("Q", "A3", 10, 15)])
    r2 = write_release(tmp_path / "2099-01" / "r2" / "public", [
        cell("Q", "A1", 2, 15, "primary"), cell("Q", "A2", 3, 15), cell("Q", "A3", 10, 15, "secondary")])
    for folder in (r1, r2.parent):  # the r2 layout: the tables in public/
        alone = attack([folder])
        assert alone.primary_narrowed == [] and alone.pinned == [], folder
    independent = attack([r1, r2.parent], same_data=False)
    assert independent.primary_narrowed == [] and independent.pinned == [] and independent.audited == 4
    together = attack([r1, r2.parent])
    assert not together.inconsistent
    [f] = together.primary_narrowed
    assert f.key_dict()["option_code"] == "A1" and (f.min, f.max) == (2, 2) and len(f.releases) == 2
    # the cells each release hides are simply published by the other one
    assert {(f.key_dict()["option_code"], f.min) for f in together.pinned} == {("A2", 3), ("A3", 10)}


def test_contradicting_releases_are_reported(tmp_path):
    r1 = write_release(tmp_path / "r1", [cell("Q", "A1", 2, 15, "primary"), cell("Q", "A2", 13, 15)])
    r2 = write_release(tmp_path / "r2", [cell("Q", "A1", 3, 15), cell("Q", "A2", 12, 15, "primary")])
    report = attack([r1, r2])
    assert report.inconsistent  # A2 = 13 is published in r1, yet r2 calls it a small count


def test_command_line_prints_a_summary(tmp_path, capsys):
    cells = single_question("Q", {"A1": 7, "A2": 40},
                            {"G1": {"A1": (1, "primary"), "A2": (20, "secondary")},
                             "G2": {"A1": (6, None), "A2": (20, None)}})
    folder = write_release(tmp_path / "r1", cells)
    assert main([str(folder), "--strong", "--min-count", "5", "--csv", str(tmp_path / "out.csv")]) == 0
    out = capsys.readouterr().out
    assert "primary cells narrowed: 1" in out and "other suppressed cells pinned: 1" in out
    assert len(pd.read_csv(tmp_path / "out.csv")) == 2


@pytest.mark.parametrize("min_count", [3, 5])
def test_min_count_changes_the_primary_range(tmp_path, min_count):
    # two primary cells of one group share 4 people: with min_count 3 each is at most 2, so 2 and 2
    cells = single_question("Q", {"A1": 2 + 5, "A2": 2 + 5, "A3": 40},
                            {"G1": {"A1": (2, "primary"), "A2": (2, "primary"), "A3": (20, None)},
                             "G2": {"A1": (5, "secondary"), "A2": (5, "secondary"), "A3": (20, None)}})
    report = attack([write_release(tmp_path / "r1", cells)], min_count=min_count)
    a1 = find(report, breakdown_group="G1", option_code="A1")
    if min_count == 3:
        assert (a1["min"], a1["max"]) == (2, 2)
    else:
        assert (a1["min"], a1["max"], a1["narrowed"]) == (1, 3, True)
