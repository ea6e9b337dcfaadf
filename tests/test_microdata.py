"""Microdata anonymisation (issue 12): a level per quasi-identifier from the codebook's hierarchy, then optimal
local suppression. The properties are checked against counts made here, apart from the code under test, and
the optimum against a brute force over every way to suppress a tiny table."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.codebook import PROJECT_CODEBOOK, CodebookError, load_codebook
from verkenning.anonymise import microdata
from verkenning.anonymise.k_anonymity import enforce_k_anonymity
from verkenning.anonymise.microdata import QuasiIdentifier, anonymise_microdata, quasi_identifiers

# Three small quasi-identifiers with two-step hierarchies (groups -> coarser -> total).
QIS = [
    QuasiIdentifier("A", "A_group", ("groups", "pairs", "total"),
                    ({"a1": "a1", "a2": "a2", "a3": "a3", "a4": "a4"}, {"a1": "x", "a2": "x", "a3": "y", "a4": "y"}, dict.fromkeys(["a1", "a2", "a3", "a4"], "ALL")), 1),
    QuasiIdentifier("B", "B_group", ("groups", "halves", "total"),
                    ({"b1": "b1", "b2": "b2", "b3": "b3"}, {"b1": "u", "b2": "u", "b3": "v"}, dict.fromkeys(["b1", "b2", "b3"], "ALL")), 2),
    QuasiIdentifier("C", "C_group", ("groups", "total"), ({"c1": "c1", "c2": "c2"}, dict.fromkeys(["c1", "c2"], "ALL")), 3),
]
COLUMNS = [qi.column for qi in QIS]
VALUES = {"A_group": ["a1", "a2", "a3", "a4", None], "B_group": ["b1", "b2", "b3"], "C_group": ["c1", "c2"]}


def table(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS, dtype="string")


def loss_of(original: pd.DataFrame, released: pd.DataFrame) -> float:
    """The issue's measure, computed here: 1 per suppressed value, 1 - log(c)/log(C) per value at a coarser level."""
    values = int(original.notna().to_numpy().sum())
    total = 0.0
    for qi in QIS:
        kept = released[qi.column].dropna()
        level = next(i for i, mapping in enumerate(qi.levels) if set(kept) <= set(mapping.values())) if len(kept) else 0
        categories = len(set(qi.levels[level].values()))
        suppressed = int((original[qi.column].notna() & released[qi.column].isna()).sum())
        total += suppressed + len(kept) * (1 - math.log(categories) / math.log(len(qi.levels[0])))
    return total / values if values else 0.0


def smallest_class(frame: pd.DataFrame) -> int:
    return int(frame.fillna("∅").groupby(COLUMNS).size().min())


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(*[st.sampled_from(VALUES[c]) for c in COLUMNS]), min_size=0, max_size=45),
    k=st.integers(min_value=2, max_value=5),
)
def test_k_always_holds_and_the_loss_is_never_worse_than_column_by_column(rows, k):
    frame = table(rows)
    result = anonymise_microdata(frame, QIS, k)
    released = result.frame[COLUMNS]
    if len(frame) >= k:
        assert smallest_class(released) >= k  # strictly: a suppressed value is a value of its own
    else:
        assert released.isna().all().all()
    # A released value is the original value's code at the chosen level, or missing.
    for qi in QIS:
        level = qi.level_names.index(result.levels[qi.code])
        expected = frame[qi.column].map(qi.levels[level])
        kept = released[qi.column].notna()
        assert (released[qi.column][kept] == expected[kept]).all()
    measured = loss_of(frame, released)
    assert result.information_loss == pytest.approx(measured, abs=1e-9)
    column_by_column = enforce_k_anonymity(frame, ["A_group", "B_group", "C_group"], k).frame
    assert measured <= loss_of(frame, column_by_column) + 1e-9
    assert result.lower_bound <= result.information_loss + 1e-9


def _brute_force_suppression(frame: pd.DataFrame, k: int) -> int:
    """The fewest values to suppress at the groups so that every combination occurs 0 or at least k times."""
    options = []
    for _, row in frame.iterrows():
        present = [i for i, value in enumerate(row) if pd.notna(value)]
        options.append([subset for size in range(len(present) + 1) for subset in itertools.combinations(present, size)])
    best = None
    for choice in itertools.product(*options):
        cost = sum(len(subset) for subset in choice)
        if best is not None and cost >= best:
            continue
        keys = [tuple("∅" if (i in subset or pd.isna(v)) else v for i, v in enumerate(row)) for (_, row), subset in zip(frame.iterrows(), choice)]
        if all(count >= k for count in pd.Series(keys).value_counts()):
            best = cost
    return best


@pytest.mark.parametrize("seed", range(8))
def test_local_suppression_at_the_groups_is_optimal_on_tiny_tables(seed):
    import random

    rng = random.Random(seed)
    rows = [(rng.choice(["a1", "a2"]), rng.choice(["b1", "b2"]), "c1") for _ in range(rng.randint(4, 7))]
    frame = table(rows)
    only_groups = [QuasiIdentifier(qi.code, qi.column, qi.level_names[:1], qi.levels[:1], qi.importance) for qi in QIS]
    result = anonymise_microdata(frame, only_groups, 2)
    assert sum(result.suppressed_per_variable.values()) == _brute_force_suppression(frame, 2)


def test_a_coarser_level_is_chosen_when_it_loses_less_than_suppression():
    # a1/a2 and a3/a4 alone are too rare, but pairs of them are common: "pairs" loses 1 - log 2/log 4 = 0.5 a value.
    rows = [("a1", "b1", "c1"), ("a2", "b1", "c1"), ("a3", "b1", "c1"), ("a4", "b1", "c1")] * 3
    result = anonymise_microdata(table(rows), QIS, 5)
    assert result.levels == {"A": "pairs", "B": "groups", "C": "groups"}
    assert result.information_loss == pytest.approx(0.5 / 3)
    assert result.suppressed_per_variable == {"A": 0, "B": 0, "C": 0}


def test_the_same_table_always_gives_the_same_release():
    rows = [(a, b, c) for a in VALUES["A_group"][:4] for b in VALUES["B_group"] for c in VALUES["C_group"]][:17] * 2
    first = anonymise_microdata(table(rows), QIS, 3)
    microdata._RESULTS.clear()  # computed afresh, not taken from the process's memo
    second = anonymise_microdata(table(rows), QIS, 3)
    pd.testing.assert_frame_equal(first.frame, second.frame)
    # What the memo hands out is a copy: changing it changes no later result.
    second.frame.iloc[:, 0] = "changed"
    pd.testing.assert_frame_equal(anonymise_microdata(table(rows), QIS, 3).frame, first.frame)


def test_l_diversity_of_a_sensitive_answer_is_reported_and_enforced():
    rows = [("a1", "b1", "c1")] * 5 + [("a2", "b1", "c1")] * 5
    sensitive = pd.DataFrame({"RISK": ["A1"] * 5 + ["A1", "A2", "A3", "A1", "A2"]})
    loose = anonymise_microdata(table(rows), QIS, 5, sensitive=sensitive)
    assert loose.l_diversity == {"RISK": 1}  # everybody in the a1 class gave the same answer
    strict = anonymise_microdata(table(rows), QIS, 5, sensitive=sensitive, l_target=2)
    assert strict.l_diversity["RISK"] >= 2
    assert strict.information_loss > loose.information_loss


def test_the_codebook_s_importance_orders_suppression_and_an_override_is_checked():
    codebook = load_codebook()
    importance = {qi.code: qi.importance for qi in quasi_identifiers(codebook)}
    assert importance["SECTOR"] > importance["PROVINCE"]
    assert {qi.code: qi.importance for qi in quasi_identifiers(codebook, ["SECTOR", "ROLE", "ORGSIZE", "PROVINCE"])}["SECTOR"] == 1
    with pytest.raises(ValueError, match=r"VERKENNING_SUPPRESSION_ORDER names REGION, which are not quasi-identifiers"):
        quasi_identifiers(codebook, ["REGION", "ROLE", "ORGSIZE", "SECTOR"])


def _edited(tmp_path, edit):
    document = yaml.safe_load(PROJECT_CODEBOOK.read_text(encoding="utf-8"))
    edit(document)
    path = tmp_path / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _province(document):
    return next(q for q in document["questions"] if q["code"] == "PROVINCE")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: _province(d).pop("hierarchy"), r"PROVINCE is a quasi_identifier and needs a 'hierarchy'"),
        (lambda d: _province(d)["hierarchy"][0]["groups"]["NORTH_EAST"].append("MARS"), r"names 'MARS', which is not a code of the level below"),
        (lambda d: _province(d)["hierarchy"][0]["groups"].pop("SOUTH_PART"), r"misses SOUTH: every code of the level below needs a group"),
        (lambda d: _province(d)["hierarchy"][0]["labels"].pop("WEST_PART"), r"labels misses WEST_PART"),
        (lambda d: _province(d)["hierarchy"][0]["groups"].update(NORTH=_province(d)["hierarchy"][0]["groups"].pop("NORTH_EAST")), r"code 'NORTH' is already used"),
        (lambda d: _province(d).update(importance=0), r"importance must be a whole number of at least 1"),
    ],
)
def test_a_broken_hierarchy_is_refused_with_the_question_and_level_named(tmp_path, edit, message):
    with pytest.raises(CodebookError, match=message):
        load_codebook(_edited(tmp_path, edit))


def test_every_quasi_identifier_of_the_project_codebook_has_two_levels_above_its_codes():
    for question in load_codebook().questions_with_role("quasi_identifier"):
        levels = question.generalisation_levels()
        assert len(levels) >= 3  # groups, at least one coarser level, the total
        sizes = [len(set(mapping.values())) for _, mapping, _ in levels]
        assert sizes == sorted(sizes, reverse=True) and sizes[-1] == 1
