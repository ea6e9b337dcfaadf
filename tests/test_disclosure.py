"""Cell suppression: small counts hidden, complements chosen so that an audit recovers nothing."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.codebook import load_codebook
from verkenning.disclosure.cells import PRIMARY, SECONDARY, DisclosureRule, Relation, recoverable_cells, suppress_cells
from verkenning.marts.frequencies import audit_frequency_tables, frequency_tables

RULE = DisclosureRule()


def test_one_small_cell_in_a_row_gets_a_complement():
    values = [3, 20, 30]
    relations = [Relation((0, 1, 2), (1, 1, 1), 53)]
    kinds = suppress_cells(values, [True, False, False], relations)
    assert kinds == [PRIMARY, SECONDARY, None]  # the smallest other cell is the complement
    assert not recoverable_cells(values, [k is not None for k in kinds], relations)


def test_audit_recovers_a_lone_suppressed_cell_from_the_margin():
    relations = [Relation((0, 1, 2), (1, 1, 1), 53)]
    assert recoverable_cells([3, 20, 30], [True, False, False], relations) == {0: 0}


def test_audit_follows_chains_through_rows_and_columns():
    # 2x2 table with overall column totals: a b | c d, a+b=10, c+d=12, a+c=A, b+d=B (A, B published as cells 4, 5)
    values = [3, 7, 2, 10, 5, 17]
    relations = [
        Relation((0, 1), (1, 1), 10), Relation((2, 3), (1, 1), 12),
        Relation((0, 2, 4), (1, 1, -1), 0), Relation((1, 3, 5), (1, 1, -1), 0),
    ]
    suppressed = [True, True, True, False, False, False]  # d published: c = 12 - d, then a = A - c, then b
    assert set(recoverable_cells(values, suppressed, relations)) == {0, 1, 2}
    kinds = suppress_cells(values, [True, False, True, False, False, False], relations)
    assert not recoverable_cells(values, [k is not None for k in kinds], relations)


@settings(max_examples=60, deadline=None)
@given(
    table=st.lists(st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=5), min_size=1, max_size=6).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_suppression_of_any_table_with_margins_leaves_nothing_recoverable(table):
    rows, columns = len(table), len(table[0])
    values = [v for row in table for v in row] + [sum(row[c] for row in table) for c in range(columns)]
    relations = [Relation(tuple(r * columns + c for c in range(columns)), (1,) * columns, sum(table[r])) for r in range(rows)]
    relations += [
        Relation((*(r * columns + c for r in range(rows)), rows * columns + c), (1,) * rows + (-1,), 0) for c in range(columns)
    ]
    primary = [0 < v < 5 for v in values]
    kinds = suppress_cells(values, primary, relations)
    suppressed = [k is not None for k in kinds]
    assert not recoverable_cells(values, suppressed, relations)
    assert all(s for s, p in zip(suppressed, primary) if p)


def test_frequency_tables_survive_the_audit_and_hide_small_counts():

    respondents = _respondents()
    frequencies, crosstabs = frequency_tables(respondents, load_codebook(), "2024-01", RULE)
    assert list(frequencies.columns) == ["wave", "question_code", "item_code", "option_code", "label_nl", "label_en",
                                         "n", "base_n", "pct", "suppressed", "suppression"]
    for table in (frequencies, crosstabs):
        shown = table[~table["suppressed"]]
        assert not ((shown["n"] > 0) & (shown["n"] < 5)).any()
        assert table.loc[table["suppressed"], ["n", "pct"]].isna().all().all()
    assert (crosstabs["suppression"] == SECONDARY).any()
    assert audit_frequency_tables(frequencies, crosstabs) == []


def test_audit_fails_when_a_complement_is_removed():
    frequencies, crosstabs = frequency_tables(_respondents(), load_codebook(), "2024-01", RULE)
    secondary = crosstabs.index[crosstabs["suppression"] == SECONDARY][0]
    broken = crosstabs.copy()
    broken.loc[secondary, "n"] = 1  # publish one complement again (its true value does not matter to the audit)
    broken.loc[secondary, "suppressed"] = False
    assert audit_frequency_tables(frequencies, broken)


def _respondents() -> pd.DataFrame:
    """A small deterministic table shaped like anonymised respondents (answers drawn from the codebook)."""
    import numpy as np

    codebook = load_codebook()
    rng = np.random.default_rng(7)
    n = 120
    frame = {}
    for question in codebook.questions:
        if question.role == "quasi_identifier":
            groups = list(question.generalise)
            frame[f"{question.code}_group"] = pd.Series(rng.choice(groups + [None], n, p=None), dtype="string")
        elif question.role == "answer" and question.type == "single":
            codes = [c for c, o in question.options.items() if not o.missing]
            frame[question.code] = pd.Series(rng.choice(codes, n), dtype="string")
        elif question.role == "answer" and question.type == "array":
            codes = [c for c, o in question.options.items() if not o.missing]
            for item in question.statements:
                frame[question.item_column(item)] = pd.Series(rng.choice(codes, n), dtype="string")
        elif question.role == "answer" and question.type == "multi":
            answered = rng.random(n) < 0.8
            for item in question.options:
                ticks = pd.Series(rng.random(n) < 0.3, dtype="boolean")
                frame[question.item_column(item)] = ticks.mask(~answered)
    return pd.DataFrame(frame)
