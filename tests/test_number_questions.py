"""Number questions (issue 13): validated by range, a quasi-identifier released in bands, summarised with n,
mean, median and quartiles under the suppression rules, on a wave the generator writes with its own codebook."""

from __future__ import annotations

import copy
import csv
import io

import pandas as pd
import pytest
import yaml

from conftest import SAMPLE_WAVE, materialize_wave, read_analysis, read_restricted, step_error_messages
from schemas.codebook import PROJECT_CODEBOOK, CodebookError, parse_codebook
from schemas.raw_contract import parse_numbers
from verkenning.sample import write_sample_wave

AGE = {
    "code": "AGE", "type": "number", "role": "quasi_identifier", "required": True,
    "text": {"nl": "Wat is uw leeftijd?", "en": "What is your age?"},
    "range": {"min": 18, "max": 80}, "decimals": 0, "importance": 2,
    "bands": {
        "Y18": {"from": 18, "nl": "18 tot 35 jaar", "en": "18 to 35"},
        "Y35": {"from": 35, "nl": "35 tot 50 jaar", "en": "35 to 50"},
        "Y50": {"from": 50, "nl": "50 jaar of ouder", "en": "50 or older"},
    },
    "hierarchy": [{"name": "young or not", "groups": {"YOUNG": ["Y18"], "OLDER": ["Y35", "Y50"]},
                   "labels": {"YOUNG": {"nl": "jonger dan 35"}, "OLDER": {"nl": "35 of ouder"}}}],
}
YEARS = {
    "code": "YEARS", "type": "number", "role": "answer", "required": False,
    "text": {"nl": "Hoeveel jaar werkt u in de sector?", "en": "How many years have you worked in the sector?"},
    "range": {"min": 0, "max": 50}, "decimals": 0,
}


def _codebook_document() -> dict:
    document = yaml.safe_load(PROJECT_CODEBOOK.read_text(encoding="utf-8"))
    position = next(i for i, q in enumerate(document["questions"]) if q["code"] == "FAMILIAR")
    document["questions"][position:position] = copy.deepcopy([AGE, YEARS])
    # Two background questions fewer than the sample, so that the search over the levels stays small in the test.
    for question in document["questions"]:
        if question["code"] in ("ROLE", "PROVINCE"):
            question["role"] = "answer"
            for key in ("generalise", "group_labels", "hierarchy", "importance"):
                question.pop(key, None)
    return document


def test_number_questions_are_read_with_range_decimals_and_bands():
    codebook = parse_codebook(_codebook_document(), PROJECT_CODEBOOK)
    age, years = codebook.question("AGE"), codebook.question("YEARS")
    assert (age.number_range.minimum, age.number_range.maximum, age.number_range.decimals) == (18, 80, 0)
    assert list(age.generalise) == ["Y18", "Y35", "Y50"] and years.bands == {}
    assert age.band_of(pd.Series([18, 34.9, 35, 80, None])).tolist()[:4] == ["Y18", "Y18", "Y35", "Y50"]
    assert [name for name, _, _ in age.generalisation_levels()] == ["groups", "young or not", "total"]
    assert codebook.question_columns().count("AGE") == 1 and "AGE" not in codebook.coded_columns()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"range": {"min": 10, "max": 5}}, "range min 10 is above max 5"),
        ({"range": {"low": 1}}, "range must be a mapping with 'min', 'max'"),
        ({"decimals": -1}, "decimals must be a whole number"),
        ({"bands": {"A": {"from": 40}, "B": {"from": 30}}}, "increasing order"),
        ({"bands": {"A": {"from": 20, "nl": "x"}, "B": {"from": 40, "nl": "y"}}}, "above the range's min 18"),
        ({"bands": None, "hierarchy": None}, "needs 'generalise' groups ('bands' for a number)"),
    ],
)
def test_a_wrong_number_question_is_refused_naming_it(change, message):
    document = _codebook_document()
    age = next(q for q in document["questions"] if q["code"] == "AGE")
    for key, value in change.items():
        if value is None:
            age.pop(key)
        else:
            age[key] = value
    with pytest.raises(CodebookError, match="question AGE") as refused:
        parse_codebook(document, PROJECT_CODEBOOK)
    assert message in str(refused.value)


def test_numbers_are_read_as_the_survey_tool_and_spreadsheets_write_them():
    read = parse_numbers(pd.Series(["42", "42.50000", " 3,5 ", "1.234,5", "", None, "veertig", "-2"]))
    assert read.tolist()[:3] == [42.0, 42.5, 3.5]
    assert read.iloc[3:7].isna().all() and read.iloc[7] == -2.0


@pytest.fixture(scope="module")
def number_wave(tmp_path_factory):
    """The sample questionnaire with an age (banded background) and years in the sector, run through every asset;
    two rows get a number the codebook refuses."""
    from verkenning.data_folder import DataFolder

    data_dir = tmp_path_factory.mktemp("numbers") / "data"
    DataFolder(data_dir).ensure_zones()
    wave_dir = data_dir / "inbox" / SAMPLE_WAVE
    document = _codebook_document()
    codebook = parse_codebook(document, PROJECT_CODEBOOK)
    write_sample_wave(wave_dir, respondents=215, codebook=codebook, workshops=False)
    (wave_dir / "questionnaire.yaml").write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    export = wave_dir / "survey_export.csv"
    text = export.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[4]["YEARS"], rows[9]["AGE"] = "veertig", "17"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    export.write_text(out.getvalue(), encoding="utf-8")
    result = materialize_wave(data_dir, max_quarantine_share=0.5)
    return data_dir, result


def test_a_number_out_of_range_or_unreadable_is_quarantined_naming_row_column_and_range(number_wave):
    data_dir, result = number_wave
    assert result.success, step_error_messages(result)
    quarantine = read_restricted(data_dir, "survey_quarantine").set_index("row_number")
    assert quarantine.at[6, "column"] == "YEARS" and "YEARS must be a whole number, from 0 to 50" in quarantine.at[6, "reason"]
    assert quarantine.at[11, "column"] == "AGE" and "from 18 to 80" in quarantine.at[11, "reason"]


def test_a_number_background_is_released_in_bands_and_never_as_the_number(number_wave):
    data_dir, _ = number_wave
    staged = read_restricted(data_dir, "survey_completed", layer="staged")
    respondents = read_analysis(data_dir, "respondents")
    assert staged["AGE"].between(18, 80).all() and staged["YEARS"].dropna().between(0, 50).all()
    assert "AGE" not in respondents.columns and "AGE_group" in respondents.columns
    released = set(respondents["AGE_group"].dropna())
    assert released and (released <= {"Y18", "Y35", "Y50"} or released <= {"YOUNG", "OLDER"} or released == {"ALL"})
    # the banding agrees with the numbers (the released key is a pseudonym, so compare the distributions)
    if released <= {"Y18", "Y35", "Y50"}:
        bands = pd.cut(staged["AGE"], [18, 35, 50, 81], right=False, labels=["Y18", "Y35", "Y50"]).astype(str)
        shown = respondents["AGE_group"].dropna().value_counts()
        assert all(shown[band] <= (bands == band).sum() for band in shown.index)


def test_a_number_answer_is_summarised_with_mean_median_and_quartiles_under_the_rules(number_wave):
    data_dir, _ = number_wave
    respondents = read_analysis(data_dir, "respondents")
    summaries = read_analysis(data_dir, "scale_summaries")
    years = summaries[summaries["question_code"] == "YEARS"]
    overall = years[years["breakdown"] == ""].iloc[0]
    values = respondents["YEARS"].dropna().astype(float)
    assert overall["n_valid"] == len(values)
    assert overall["mean"] == pytest.approx(round(values.mean(), 2))
    assert overall["median"] == pytest.approx(round(values.median(), 2))
    assert (overall["q1"], overall["q3"]) == pytest.approx((round(values.quantile(0.25), 2), round(values.quantile(0.75), 2)))
    assert pd.isna(overall["share_agree"])  # a number has no agreeing share
    assert years.loc[years["n_valid"] < 5, ["mean", "median", "q1", "q3"]].isna().all().all()
    # never one hidden group beside shown ones: the overall sum would give its total away
    for _, groups in years[years["breakdown"] != ""].groupby("breakdown"):
        hidden = groups[groups["suppressed"].astype(bool) & (groups["n_valid"] > 0)]
        assert len(hidden) != 1 or (groups["n_valid"] > 0).sum() == 1
