"""Quality gates: the Great Expectations suite from the codebook, and a broken export that must not be published."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest import SAMPLE_EXPORT, SAMPLE_WAVE, SAMPLE_WAVE_DIR, materialize_wave
from schemas.codebook import load_codebook
from schemas.quality_suites import staged_survey_suite
from verkenning.ingest.raw_survey import read_raw_survey
from verkenning.ingest.withdrawals import read_withdrawals
from verkenning.quality import run_suite
from verkenning.sample import write_sample_wave
from verkenning.staging.survey import stage_survey

CODEBOOK = load_codebook()


@pytest.fixture(scope="module")
def staged_sample() -> pd.DataFrame:
    raw = read_raw_survey(SAMPLE_EXPORT, CODEBOOK).responses
    return stage_survey(raw, CODEBOOK, read_withdrawals(SAMPLE_WAVE_DIR / "withdrawals.csv")[0]).completed


def test_suite_passes_on_the_sample_and_writes_data_docs(staged_sample, tmp_path):
    result = run_suite(staged_sample, "staged_survey_completed", staged_survey_suite(CODEBOOK), tmp_path)
    assert result.evaluated == len(staged_survey_suite(CODEBOOK))
    assert result.failed_blocking == [] and result.failed_warning == []
    assert result.data_docs is not None and result.data_docs.is_file()


def test_wrong_codes_block_and_missing_required_answers_warn_without_showing_values(staged_sample, tmp_path):
    broken = staged_sample.copy()
    broken.loc[broken.index[:3], "POLICY"] = "A7"
    broken.loc[broken.index[3], "FAMILIAR__missing_reason"] = "not answered"
    result = run_suite(broken, "staged_survey_completed", staged_survey_suite(CODEBOOK, previous_rows=1000), tmp_path)
    assert [(f["column"], f["unexpected_count"]) for f in result.failed_blocking] == [("POLICY", 3)]
    warned = {f["column"] for f in result.failed_warning}
    assert {"FAMILIAR__missing_reason", "(table)"} <= warned  # 212 rows is less than half of 1000
    assert "A7" not in json.dumps(result.failed_blocking + result.failed_warning, default=str)


def test_a_checked_column_that_is_missing_fails_its_expectation(staged_sample, tmp_path):
    result = run_suite(staged_sample.drop(columns=["POLICY"]), "staged_survey_completed", staged_survey_suite(CODEBOOK), tmp_path)
    assert [(f["column"], f["observed_value"]) for f in result.failed_blocking] == [("POLICY", "column missing")]


def test_a_broken_export_fails_a_blocking_check_and_publishes_nothing(data_dir):
    summary = write_sample_wave(data_dir / "inbox" / SAMPLE_WAVE, corrupt_share=0.3)
    assert summary.corrupted > 0
    result = materialize_wave(data_dir)
    share = next(e for e in result.get_asset_check_evaluations() if e.check_name == "quarantine_share")
    assert not share.passed and share.severity.value == "ERROR"
    assert "more than the allowed share" in share.description
    assert not (data_dir / "releases" / SAMPLE_WAVE).exists()
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    blocked = {"staged/survey_completed", "anonymised/respondents", "marts/question_frequencies", "release/wave_release"}
    assert not blocked & materialized
