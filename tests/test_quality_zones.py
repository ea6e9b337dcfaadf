"""Great Expectations suites at the anonymised and marts boundaries: they pass on the sample wave run through the
real assets, and a table that breaks them fails with the broken expectation listed, blocking, and no value shown."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from assets.anonymised import _previous_wave_respondents
from assets.common import gx_check_result
from conftest import SAMPLE_WAVE, SAMPLE_WAVE_DIR, materialize_wave, read_restricted, step_error_messages
from pipelines.resources import VerkenningSettings, lake_location
from schemas.codebook import load_codebook
from schemas.quality_suites import (
    anonymised_respondent_columns,
    anonymised_respondents_suite,
    question_frequencies_suite,
)
from verkenning.data_folder import DataFolder
from verkenning.lake import connect, replace_wave
from verkenning.quality import run_suite

CODEBOOK = load_codebook()
NEW_CHECKS = {("anonymised/respondents", "gx_anonymised_respondents"), ("marts/question_frequencies", "gx_question_frequencies")}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """One run of the pipeline up to the marts on a copy of the sample wave: (data folder, result)."""
    data_dir = tmp_path_factory.mktemp("quality_zones") / "data"
    DataFolder(data_dir).ensure_zones()
    shutil.copytree(SAMPLE_WAVE_DIR, data_dir / "inbox" / SAMPLE_WAVE)
    return data_dir, materialize_wave(data_dir, layers=("raw", "staged", "anonymised", "marts"))


@pytest.fixture(scope="module")
def respondents(sample_run) -> pd.DataFrame:
    return read_restricted(sample_run[0], "respondents", layer="anonymised")  # checked before it reaches the lake


@pytest.fixture(scope="module")
def frequencies(sample_run) -> pd.DataFrame:
    return read_restricted(sample_run[0], "question_frequencies", layer="marts")


def _metadata_text(result) -> str:
    check = gx_check_result(result)
    return json.dumps({key: value.value for key, value in check.metadata.items() if key != "data_docs"}, default=str)


def test_the_sample_wave_passes_both_new_checks_with_data_docs_beside_the_staged_suite(sample_run):
    data_dir, result = sample_run
    assert result.success, step_error_messages(result)
    evaluations = {(e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()}
    assert NEW_CHECKS <= set(evaluations)
    for key in NEW_CHECKS:
        evaluation = evaluations[key]
        assert evaluation.passed, (key, evaluation.metadata["failed_expectations"].value)
        assert evaluation.metadata["expectations_evaluated"].value > 10
        assert evaluation.metadata["failed_expectations"].value == []
    docs = evaluations[("marts/question_frequencies", "gx_question_frequencies")].metadata["data_docs"].value
    assert docs.startswith(str(data_dir / "reports" / "gx" / SAMPLE_WAVE)) and (data_dir / "reports" / "gx" / SAMPLE_WAVE).is_dir()
    assert docs == evaluations[("staged/survey_completed", "gx_staged_survey")].metadata["data_docs"].value
    index = (data_dir / "reports" / "gx" / SAMPLE_WAVE / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html")
    assert all(name in index.read_text(encoding="utf-8") for name in ("anonymised_respondents", "marts_question_frequencies"))


def test_every_expectation_of_the_suites_is_evaluated_on_the_sample(respondents, frequencies, tmp_path):
    """None is skipped for a missing column: the sample has every column the suites name."""
    assert set(respondents.columns) == set(anonymised_respondent_columns(CODEBOOK))
    suite = anonymised_respondents_suite(CODEBOOK, k=5, previous_rows=len(respondents))
    result = run_suite(respondents, "anonymised_respondents", suite, tmp_path)
    assert (result.evaluated, result.failed_blocking, result.failed_warning) == (len(suite), [], [])
    suite = question_frequencies_suite(CODEBOOK)
    result = run_suite(frequencies, "marts_question_frequencies", suite, tmp_path)
    assert (result.evaluated, result.failed_blocking, result.failed_warning) == (len(suite), [], [])


def test_wrong_group_code_duplicate_key_and_identifier_column_block_without_showing_values(respondents, tmp_path):
    broken = respondents.copy()
    broken.loc[broken.index[:2], "SECTOR_group"] = "A7"  # a raw sector code: not coarsened
    duplicated_key = broken.at[broken.index[3], "respondent_key"]
    broken.at[broken.index[4], "respondent_key"] = duplicated_key
    broken.loc[broken.index[5], "POLICY"] = "A9"
    broken.loc[broken.index[6], "FAMILIAR__value"] = 7.0
    broken["EMAIL"] = "p.devries@rijksmuseum.nl"
    result = run_suite(broken, "anonymised_respondents", anonymised_respondents_suite(CODEBOOK, k=5), tmp_path)
    failed = {(f["expectation"], f["column"]): f for f in result.failed_blocking}
    assert failed[("ExpectColumnValuesToBeInSet", "SECTOR_group")]["unexpected_count"] == 2
    assert failed[("ExpectColumnValuesToBeUnique", "respondent_key")]["unexpected_count"] == 2
    assert failed[("ExpectColumnValuesToBeInSet", "POLICY")]["unexpected_count"] == 1
    assert failed[("ExpectColumnValuesToBeBetween", "FAMILIAR__value")]["unexpected_count"] == 1
    assert failed[("ExpectTableColumnsToMatchSet", "(table)")]["observed_value"] == {"unexpected": ["EMAIL"]}
    assert len(failed) == 5 and result.failed_warning == []
    check = gx_check_result(result)
    assert not check.passed and check.severity.value == "ERROR"
    text = _metadata_text(result)
    assert "SECTOR_group" in text and "EMAIL" in text  # names of columns, never their cells
    for value in ("A7", "A9", duplicated_key, "devries", "7.0"):
        assert value not in text


def test_a_row_count_far_from_the_previous_wave_only_warns(respondents, tmp_path):
    result = run_suite(respondents, "anonymised_respondents", anonymised_respondents_suite(CODEBOOK, k=5, previous_rows=1000), tmp_path)
    assert result.failed_blocking == []
    assert [(f["expectation"], f["observed_value"]) for f in result.failed_warning] == [("ExpectTableRowCountToBeBetween", len(respondents))]
    check = gx_check_result(result)
    assert not check.passed and check.severity.value == "WARN"


def test_fewer_respondents_than_k_block(respondents, tmp_path):
    result = run_suite(respondents.head(3), "anonymised_respondents", anonymised_respondents_suite(CODEBOOK, k=5), tmp_path)
    assert [(f["expectation"], f["observed_value"]) for f in result.failed_blocking] == [("ExpectTableRowCountToBeBetween", 3)]


def test_previous_wave_respondents_come_from_the_analysis_zone(tmp_path):
    settings = VerkenningSettings(data_dir=str(tmp_path))
    assert _previous_wave_respondents(settings, "2024-01") is None  # no table yet
    with connect(lake_location(str(tmp_path))) as connection:
        replace_wave(connection, "anonymised_respondents", "2023-01", pd.DataFrame({"respondent_key": ["a"] * 7}))
        replace_wave(connection, "anonymised_respondents", "2023-06", pd.DataFrame({"respondent_key": ["b"] * 100}))
        replace_wave(connection, "anonymised_respondents", "2024-01", pd.DataFrame({"respondent_key": ["c"] * 3}))
    assert _previous_wave_respondents(settings, "2024-01") == 100
    assert _previous_wave_respondents(settings, "2023-06") == 7
    assert _previous_wave_respondents(settings, "2023-01") is None


def test_pct_140_duplicated_cell_and_count_above_base_block_without_showing_values(frequencies, tmp_path):
    broken = frequencies.copy()
    broken.loc[broken.index[0], "pct"] = 140.0
    shown = broken.index[broken["n"].notna()][1]
    broken.loc[shown, "n"] = broken.at[shown, "base_n"] + 1
    broken.loc[broken.index[2], "suppression"] = "maybe"
    broken.loc[broken.index[3], "question_code"] = "EMAIL"
    broken = pd.concat([broken, broken.iloc[[5]]], ignore_index=True)
    result = run_suite(broken, "marts_question_frequencies", question_frequencies_suite(CODEBOOK), tmp_path)
    failed = {(f["expectation"], f["column"]): f["unexpected_count"] for f in result.failed_blocking}
    assert failed[("ExpectColumnValuesToBeBetween", "pct")] == 1
    assert failed[("ExpectColumnPairValuesAToBeGreaterThanB", "base_n >= n")] == 1
    assert failed[("ExpectColumnValuesToBeInSet", "suppression")] == 1
    assert failed[("ExpectColumnValuesToBeInSet", "question_code")] == 1
    assert failed[("ExpectCompoundColumnsToBeUnique", "wave, question_code, item_code, option_code")] == 2
    assert ("ExpectTableRowCountToEqual", "(table)") in failed  # one row too many
    assert result.failed_warning == []
    check = gx_check_result(result)
    assert not check.passed and check.severity.value == "ERROR"
    text = _metadata_text(result)
    for value in ("140", "maybe", "EMAIL"):
        assert value not in text
