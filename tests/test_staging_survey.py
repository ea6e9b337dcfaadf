"""Staging of the survey on the real sample rows: normalisation, tests, duplicates, withdrawals, incomplete."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SAMPLE_EXPORT, SAMPLE_WAVE_DIR
from schemas.codebook import load_codebook
from schemas.raw_contract import normalise_code
from schemas.staged_contract import build_staged_survey_contract
from verkenning.ingest.raw_survey import read_raw_survey
from verkenning.ingest.withdrawals import empty_withdrawals, read_withdrawals
from verkenning.staging.survey import (
    DUPLICATE,
    NOT_ANSWERED,
    NOT_SHOWN,
    TEST_RESPONSE,
    WITHDRAWN,
    normalise_email,
    WithdrawalReport,
    person_groups,
    stage_survey,
)

CODEBOOK = load_codebook()


@pytest.fixture(scope="module")
def raw_sample() -> pd.DataFrame:
    return read_raw_survey(SAMPLE_EXPORT, CODEBOOK).responses


@pytest.fixture(scope="module")
def sample_withdrawals() -> pd.DataFrame:
    return read_withdrawals(SAMPLE_WAVE_DIR / "withdrawals.csv")[0]


def test_normalise_code_keeps_missing_values_missing():
    codes = normalise_code(pd.Series([" a2 ", None, "-OTH-", "-oth-", ""], dtype=object))
    assert codes.tolist()[:4] == ["A2", pd.NA, "-oth-", "-oth-"]


def test_every_sample_response_is_accounted_for(raw_sample, sample_withdrawals):
    staged = stage_survey(raw_sample, CODEBOOK, sample_withdrawals)
    assert staged.unaccounted(len(raw_sample)) is None
    ids = pd.concat([staged.completed["id"], staged.incomplete["id"], staged.exclusions["id"]])
    assert sorted(ids.tolist()) == sorted(raw_sample["id"].astype(int).tolist())


def test_sample_gives_215_people_less_the_withdrawn(raw_sample, sample_withdrawals):
    staged = stage_survey(raw_sample, CODEBOOK, sample_withdrawals)
    by_reason = staged.exclusions_by_reason()
    assert len(staged.completed) == 215 - len(sample_withdrawals)
    assert by_reason[TEST_RESPONSE] == 3 and by_reason[DUPLICATE] == 5
    listed = len(sample_withdrawals)
    assert staged.withdrawals == WithdrawalReport(listed=listed, people_removed=listed, responses_removed=by_reason[WITHDRAWN])
    assert staged.completed["id"].is_unique
    build_staged_survey_contract(CODEBOOK).validate(staged.completed, lazy=True)
    build_staged_survey_contract(CODEBOOK, completed=False).validate(staged.incomplete, lazy=True)


def test_codes_are_normalised_and_dont_know_is_missing_with_reason(raw_sample):
    first, second, third = stage_survey(raw_sample, CODEBOOK, empty_withdrawals()).completed["id"].head(3)
    raw = raw_sample.copy()
    row = {int(i): index for index, i in raw["id"].astype(int).items()}
    raw.loc[row[first], "EXPECT[SQ001]"] = " a99 "
    raw.loc[row[second], "EXPECT[SQ001]"] = " a4"
    raw.loc[row[third], "ORGUSE"] = "a5"  # "Weet ik niet"
    frame = stage_survey(raw, CODEBOOK, empty_withdrawals()).completed.set_index("id")
    assert pd.isna(frame.at[first, "EXPECT[SQ001]"]) and pd.isna(frame.at[first, "EXPECT[SQ001]__value"])
    assert frame.at[first, "EXPECT[SQ001]__missing_reason"] == "Don't know / no opinion (A99)"
    assert frame.at[second, "EXPECT[SQ001]"] == "A4" and frame.at[second, "EXPECT[SQ001]__value"] == 4.0
    assert pd.isna(frame.at[third, "ORGUSE"]) and frame.at[third, "ORGUSE__missing_reason"] == "Don't know (A5)"


def test_hidden_questions_are_missing_as_not_shown_and_inconsistent_answers_removed(raw_sample):
    raw = raw_sample.copy()
    never = raw.index[raw["OWNUSE"].str.strip().str.upper() == "A5"][0]
    raw.loc[never, "TOOLS[SQ001]"] = "Y"  # ticked although OWNUSE == A5 hides TOOLS
    staged = stage_survey(raw, CODEBOOK, empty_withdrawals())
    assert staged.inconsistent_answers["TOOLS"] == 1
    everyone = pd.concat([staged.completed, staged.incomplete, ])
    hidden = everyone[everyone["OWNUSE"] == "A5"]
    assert hidden["TOOLS[SQ001]"].isna().all()
    assert (hidden["TOOLS__missing_reason"] == NOT_SHOWN).all()
    shown = everyone[everyone["OWNUSE"].isin(["A1", "A2"])]
    answered = shown["TOOLS__missing_reason"].isna()
    assert shown.loc[answered, "TOOLS[SQ001]"].notna().all()  # unticked is False, not missing
    assert set(shown.loc[~answered, "TOOLS__missing_reason"]) <= {NOT_ANSWERED}


def test_duplicates_keep_the_latest_completed_submission(raw_sample):
    raw = raw_sample.iloc[[5, 6]].copy().reset_index(drop=True)
    raw["token"] = ["tokenAAA", None]
    raw["EMAIL"] = ["J.Jansen@Example.nl", " j.jansen @example.nl"]
    raw["FOLLOWUP"] = "A1"
    raw["submitdate"] = ["2024-01-05 10:00:00", "2024-01-07 10:00:00"]
    raw["startdate"] = ["2024-01-05 09:50:00", "2024-01-07 09:50:00"]
    staged = stage_survey(raw, CODEBOOK, empty_withdrawals())
    assert staged.completed["id"].tolist() == [int(raw.loc[1, "id"])]
    assert staged.exclusions["reason"].tolist() == [DUPLICATE]
    assert staged.exclusions["kept_id"].tolist() == [int(raw.loc[1, "id"])]


def test_test_responses_by_token_or_early_start_are_excluded(raw_sample):
    raw = raw_sample.iloc[[10, 11, 12]].copy().reset_index(drop=True)
    raw.loc[0, "token"] = "TESTabc"
    raw.loc[1, "startdate"] = "2023-11-30 12:00:00"
    staged = stage_survey(raw, CODEBOOK, empty_withdrawals())
    excluded = staged.exclusions.set_index("id")
    assert excluded.at[int(raw.loc[0, "id"]), "reason"] == TEST_RESPONSE
    assert "before the fieldwork period" in excluded.at[int(raw.loc[1, "id"]), "reason_detail"]
    assert int(raw.loc[2, "id"]) not in excluded.index


def test_a_withdrawn_person_is_gone_with_every_linked_response_and_keeps_no_answers(raw_sample):
    raw = raw_sample.iloc[[20, 21, 22]].copy().reset_index(drop=True)
    raw["FOLLOWUP"] = "A1"
    raw["token"] = ["tok1", "tok2", "tok3"]
    raw["EMAIL"] = ["a@example.nl", "A@EXAMPLE.NL", "c@example.nl"]
    withdrawals = pd.DataFrame({"_source_file": "withdrawals.csv", "_row_number": [2], "token": ["tok1"], "email": [None],
                                "datum": pd.to_datetime(["2024-02-01"])})
    staged = stage_survey(raw, CODEBOOK, withdrawals)
    withdrawn = staged.exclusions[staged.exclusions["reason"] == WITHDRAWN]
    assert sorted(withdrawn["id"]) == sorted(int(i) for i in raw.loc[[0, 1], "id"])  # linked by the e-mail address
    assert "EMAIL" not in staged.exclusions.columns and "OPEN_USE" not in staged.exclusions.columns
    remaining = pd.concat([staged.completed, staged.incomplete])["token"].tolist()
    assert remaining == ["tok3"]
    assert staged.withdrawals == WithdrawalReport(listed=1, people_removed=1, responses_removed=2)


def test_withdrawals_count_people_and_responses_and_report_the_rows_that_match_nobody(raw_sample):
    raw = raw_sample.iloc[[20, 21, 22]].copy().reset_index(drop=True)
    raw["FOLLOWUP"] = "A1"
    raw["token"] = ["tok1", "tok2", "tok3"]
    raw["EMAIL"] = ["a@example.nl", "b@example.nl", "c@example.nl"]
    withdrawals = pd.DataFrame({"_source_file": "withdrawals.csv", "_row_number": [2, 3, 4, 5],
                                "_line_number": [2, 3, 4, 5],
                                "token": ["tok1", None, "tok9", None], "email": [None, " A@example.NL", None, "x@example.nl"],
                                "datum": pd.to_datetime(["2024-02-01"] * 4)})
    report = stage_survey(raw, CODEBOOK, withdrawals).withdrawals
    assert (report.listed, report.people_removed, report.responses_removed) == (4, 1, 1)  # two rows name one person
    assert [(u.line_number, u.given) for u in report.unmatched] == [(4, ("token",)), (5, ("email",))]


def test_person_groups_follow_chains_of_token_and_email():
    token = pd.Series(["t1", "t1", None, "t2", None], dtype="string")
    email = pd.Series([None, "a@x", "a@x", None, "b@x"], dtype="string")
    groups = person_groups(token, email)
    assert groups[0] == groups[1] == groups[2]
    assert len({groups[0], groups[3], groups[4]}) == 3


def test_email_normalisation_ignores_case_and_spaces():
    assert normalise_email(pd.Series([" J.Jansen @Example.NL ", ""])).tolist()[0] == "j.jansen@example.nl"


def test_ticks_in_every_form_limesurvey_writes_stage_to_the_same_booleans():
    from schemas.raw_contract import is_ticked

    written = pd.Series(["Y", "1", " y ", "N", "0", "", None], dtype="object")
    assert is_ticked(written).tolist() == [True, True, True, False, False, False, False]
