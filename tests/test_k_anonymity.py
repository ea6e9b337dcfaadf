"""Local suppression reaches k, or suppresses everything when a table has fewer than k records."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.codebook import load_codebook
from verkenning.anonymise.k_anonymity import enforce_k_anonymity, generalise

ORDER = ["PROVINCE_group", "ROLE_group", "ORGSIZE_group", "SECTOR_group"]
GROUPS = {"PROVINCE_group": ["N", "E", "W", "S", None], "ROLE_group": ["M", "C", "A"], "ORGSIZE_group": ["S", "L"],
          "SECTOR_group": ["H", "L", "A", "E", "O"]}


def records(draw_rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(draw_rows, columns=ORDER, dtype="string")


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(*[st.sampled_from(GROUPS[c]) for c in ORDER]), min_size=0, max_size=120),
    k=st.integers(min_value=1, max_value=8),
)
def test_suppression_always_reaches_k_or_suppresses_everything(rows, k):
    frame = records(rows)
    result = enforce_k_anonymity(frame, ORDER, k)
    sizes = result.frame.groupby(ORDER, dropna=False).size()  # counted here, apart from the code under test
    if len(frame) >= k:
        assert (sizes >= k).all() and result.k_reached
    else:
        assert result.frame[ORDER].isna().all().all()
    # Suppression only removes values, never changes or invents one.
    kept = result.frame[ORDER].notna()
    assert (result.frame[ORDER][kept] == frame[ORDER][kept]).all().all()
    assert sum(result.suppressed_per_variable.values()) == int(frame[ORDER].notna().sum().sum() - kept.sum().sum())


def test_least_important_variable_is_suppressed_first():
    frame = records([("N", "M", "S", "H")] * 5 + [("E", "M", "S", "H")])
    result = enforce_k_anonymity(frame, ORDER, 5)
    assert result.suppressed_per_variable["PROVINCE_group"] >= 1
    assert result.suppressed_per_variable["SECTOR_group"] == 0 or result.k_reached


def test_a_table_already_k_anonymous_is_unchanged():
    frame = records([("N", "M", "S", "H")] * 5 + [("E", "C", "L", "A")] * 6)
    result = enforce_k_anonymity(frame, ORDER, 5)
    pd.testing.assert_frame_equal(result.frame, frame)
    assert result.suppressed_per_variable == dict.fromkeys(ORDER, 0)


def test_generalise_uses_the_codebook_groups():
    sector = load_codebook().question("SECTOR")
    groups = generalise(pd.Series(["A1", "A4", "A9", "-oth-", None], dtype="string"), sector)
    assert groups.tolist()[:4] == ["HERITAGE", "LIBRARY", "ARTS", "OTHER"] and pd.isna(groups.iloc[4])


def test_k_below_one_is_refused():
    with pytest.raises(ValueError):
        enforce_k_anonymity(records([("N", "M", "S", "H")]), ORDER, 0)
