"""Withdrawals that match nobody block publication; a repeated response id stops staging with a steward's message.

Pipeline tests run the real raw and staged assets on copies of the bundled sample; the plain functions
(`unmatched_withdrawals`, `duplicate_response_ids`) get unit tests on small frames and real files.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from assets.partitions import waves
from conftest import OTHER_KNOWN_WAVE, SAMPLE_WAVE, materialization_metadata, materialize_wave, step_error_messages
from pipelines.resources import resources_for
from verkenning.errors import InputFileError
from verkenning.ingest.withdrawals import read_withdrawals
from verkenning.staging.survey import (
    UnmatchedWithdrawal,
    duplicate_response_ids,
    require_unique_response_ids,
    unmatched_withdrawals,
)

RAW_AND_STAGED = ("raw", "staged")
CHECK = "every_withdrawal_matched"
MISTYPED_TOKEN = "zzNoSuchToken99"
RESPONDENTS = dg.AssetKey(["anonymised", "respondents"])


def _check(result: dg.ExecuteInProcessResult, name: str = CHECK) -> dg.AssetCheckEvaluation:
    return next(e for e in result.get_asset_check_evaluations() if e.check_name == name)


def _materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


def _materialize_through_respondents(data_dir: Path) -> dg.ExecuteInProcessResult:
    """materialize_wave for raw and staged plus anonymised/respondents, the first asset downstream of the survey
    (not the whole anonymised layer: its workshop tables do not depend on the survey and would load deduce)."""
    from pipelines.definitions import ALL_ASSET_CHECKS, ALL_ASSETS

    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(waves.name, [SAMPLE_WAVE, OTHER_KNOWN_WAVE])
    return dg.materialize(
        [*ALL_ASSETS, *ALL_ASSET_CHECKS],
        selection=dg.AssetSelection.groups(*RAW_AND_STAGED) | dg.AssetSelection.assets(RESPONDENTS),
        partition_key=SAMPLE_WAVE,
        instance=instance,
        resources=resources_for(data_dir),
        raise_on_error=False,
    )


def _withdrawals_file(data_dir: Path) -> Path:
    return data_dir / "inbox" / SAMPLE_WAVE / "withdrawals.csv"


# --- the check, on the real assets -----------------------------------------------------------------


def test_the_sample_passes_with_accurate_counts(sample_data_dir):
    """The sample's withdrawals: one by token, one by an e-mail address in capitals (matched as staging normalises
    it), one by both; each removes one person with one response."""
    result = materialize_wave(sample_data_dir, layers=RAW_AND_STAGED)
    assert result.success
    check = _check(result)
    listed = len(read_withdrawals(_withdrawals_file(sample_data_dir))[0])
    assert check.passed
    counts = {k: check.metadata[k].value for k in ("withdrawals_listed", "withdrawn_people_removed", "withdrawn_responses_removed", "withdrawals_unmatched")}
    assert counts == {"withdrawals_listed": listed, "withdrawn_people_removed": listed,
                      "withdrawn_responses_removed": listed, "withdrawals_unmatched": 0}
    assert check.metadata["unmatched_rows"].value == []
    # The staged table says the same as the check (it used to report every listed row as applied).
    completed = materialization_metadata(result, "staged/survey_completed")
    assert completed["withdrawn_people_removed"].value == listed
    assert completed["excluded_by_reason"].value["withdrawn"] == completed["withdrawn_responses_removed"].value
    assert completed["duplicates_detected"].value == "by token and by e-mail address"


def test_a_withdrawal_that_matches_nobody_blocks_and_names_its_line(sample_data_dir):
    path = _withdrawals_file(sample_data_dir)
    original = path.read_text(encoding="utf-8")
    listed_before = len(read_withdrawals(path)[0])
    line = len(original.splitlines()) + 1  # the sample's file has no blank lines: the new row is the next line
    path.write_text(original.rstrip("\r\n") + f"\n{MISTYPED_TOKEN},,2024-03-01\n", encoding="utf-8")

    # anonymised/respondents is selected too: the failed blocking check must keep it from being built.
    result = _materialize_through_respondents(sample_data_dir)
    check = _check(result)
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    assert f"withdrawals.csv line {line}: its token matches no response" in check.description
    assert "Correct the token or e-mail in withdrawals.csv, or remove the row" in check.description
    assert check.metadata["unmatched_rows"].value == [{"file": "withdrawals.csv", "line": line, "row": line, "given": ["token"]}]
    assert check.metadata["withdrawals_listed"].value == listed_before + 1
    assert check.metadata["withdrawn_people_removed"].value == listed_before
    assert check.metadata["withdrawals_unmatched"].value == 1
    # Never the token (nor any e-mail of the file) in what the check shows.
    shown = check.description + json.dumps({k: str(v.value) for k, v in check.metadata.items()})
    assert MISTYPED_TOKEN not in shown
    for row in csv.DictReader(original.splitlines()):
        for value in (row["token"], row["email"]):
            assert not value or value not in shown

    # Blocking: the step fails naming the check, and nothing downstream is built.
    assert not result.success
    assert any(CHECK in message for message in step_error_messages(result))
    assert "staged/survey_completed" in _materialized(result)  # staged (restricted), but held back
    assert "anonymised/respondents" not in _materialized(result)
    assert result.job_def.has_node_named("anonymised__respondents")  # in the run's job ...
    assert result.is_node_untouched("anonymised__respondents")  # ... but never started


# --- the plain function ----------------------------------------------------------------------------


def _withdrawals(rows: list[tuple[str | None, str | None]], lines: list[int] | None = None) -> pd.DataFrame:
    numbers = list(range(2, len(rows) + 2))
    return pd.DataFrame(
        {
            "_source_file": "withdrawals.csv",
            "_row_number": pd.array(numbers, dtype="Int64"),
            "_line_number": pd.array(lines or numbers, dtype="Int64"),
            "token": [t for t, _ in rows],
            "email": [e for _, e in rows],
            "datum": pd.Timestamp("2024-02-01"),
        }
    )


RESPONSE_TOKENS = pd.Series(["tokA", "tokB", None], dtype="string")
RESPONSE_EMAILS = pd.Series(["a@example.nl", None, "c@example.nl"], dtype="string")


def test_unmatched_withdrawals_compare_as_staging_does():
    withdrawals = _withdrawals([(" tokA ", None), (None, " C@Example.NL"), ("tokX", "c@example.nl"), ("tokX", None),
                                (None, "x@example.nl"), ("tokY", "y@example.nl")])
    found = unmatched_withdrawals(withdrawals, RESPONSE_TOKENS, RESPONSE_EMAILS)
    assert found == [
        UnmatchedWithdrawal("withdrawals.csv", row_number=5, line_number=5, given=("token",)),
        UnmatchedWithdrawal("withdrawals.csv", row_number=6, line_number=6, given=("email",)),
        UnmatchedWithdrawal("withdrawals.csv", row_number=7, line_number=7, given=("token", "email")),
    ]
    assert found[2].describe() == "withdrawals.csv line 7: its token and e-mail match no response of the wave"


def test_unmatched_withdrawals_of_an_empty_file_are_none():
    assert unmatched_withdrawals(_withdrawals([]), RESPONSE_TOKENS, RESPONSE_EMAILS) == []


def test_token_matching_is_exact_apart_from_spaces():
    """Staging matches tokens as written (stripped), so a token in other case matches nobody and is reported."""
    assert [u.row_number for u in unmatched_withdrawals(_withdrawals([("TOKA", None)]), RESPONSE_TOKENS, RESPONSE_EMAILS)] == [2]


def test_line_numbers_come_from_the_file_as_read(tmp_path):
    """A blank line above the header and one between rows: the steward is sent to the line the row is on."""
    path = tmp_path / "withdrawals.csv"
    path.write_text("\r\ntoken,email,datum\r\ntokA,,2024-02-01\r\n\r\n,typo@example.nl,2024-02-02\r\n", encoding="utf-8")
    withdrawals, _ = read_withdrawals(path)
    assert withdrawals["_line_number"].tolist() == [3, 5]
    (unmatched,) = unmatched_withdrawals(withdrawals, RESPONSE_TOKENS, RESPONSE_EMAILS)
    assert (unmatched.line_number, unmatched.row_number, unmatched.given) == (5, 4, ("email",))
    assert unmatched.describe().startswith("withdrawals.csv line 5 (row 4 in a spreadsheet): its e-mail")


def test_an_unusable_withdrawal_names_its_line_where_it_differs_from_the_row(tmp_path):
    path = tmp_path / "withdrawals.csv"
    path.write_text("\ntoken,email,datum\ntokA,,2024-02-01\n,,2024-02-02\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"row 3, line 4, column 'token': neither token nor email"):
        read_withdrawals(path)


# --- a repeated response id --------------------------------------------------------------------------


def test_a_repeated_response_id_stops_staging_naming_file_id_and_rows(sample_data_dir):
    export = sample_data_dir / "inbox" / SAMPLE_WAVE / "survey_export.csv"
    table = pd.read_csv(export, dtype=str, keep_default_na=False)
    completed = table.index[(table["submitdate"] != "") & ~table["token"].str.startswith("test")]
    first, second = completed[3], completed[40]
    table.loc[second, "id"] = table.loc[first, "id"]
    table.to_csv(export, index=False)
    response_id = int(table.loc[first, "id"])

    result = materialize_wave(sample_data_dir, layers=RAW_AND_STAGED)
    assert not result.success
    message = " ".join(step_error_messages(result))
    rows = f"{first + 2}, {second + 2}"  # header = row 1
    assert f"file survey_export.csv, row {first + 2}, column 'id'" in message
    assert f"response id {response_id} occurs in rows {rows}" in message
    assert "Export the responses again from the survey tool" in message
    assert "SchemaError" not in message and "failure_case" not in message  # no pandera dump
    assert "staged/survey_completed" not in _materialized(result)


def _raw(ids: list[str], rows: list[int], lines: list[int | None]) -> pd.DataFrame:
    return pd.DataFrame({"_source_file": "survey_export.csv", "_row_number": pd.array(rows, dtype="Int64"),
                         "_line_number": pd.array(lines, dtype="Int64"), "id": ids})


def test_duplicate_response_ids_compare_as_numbers_and_name_rows_and_lines():
    raw = _raw([" 17", "18", "017", "19", "18"], rows=[2, 3, 4, 5, 6], lines=[2, 3, 6, 7, 8])
    found = duplicate_response_ids(raw)
    assert [(d.response_id, d.rows, d.lines) for d in found] == [(17, (2, 4), (2, 6)), (18, (3, 6), (3, 8))]
    assert found[0].describe() == "response id 17 occurs in rows 2, 4 (lines 2, 6)"
    with pytest.raises(InputFileError, match=r"file survey_export.csv, row 2, column 'id': 2 response id\(s\) occur in more than one row"):
        require_unique_response_ids(raw)


def test_unique_response_ids_pass():
    raw = _raw(["1", "2", "3"], rows=[2, 3, 4], lines=[2, 3, 4])
    assert duplicate_response_ids(raw) == []
    require_unique_response_ids(raw)
