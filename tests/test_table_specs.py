"""One column specification per survey table, derived from the codebook (issue 13, item 6), rendered into the
staged contract, the GX suites and the column descriptions; and the workshop workbooks' shape checked before any
step (item 7). Run on the sample's real export and workbooks, and on a codebook written for the test."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pandera.errors
import pytest
import yaml

from conftest import SAMPLE_WAVE, SAMPLE_WAVE_DIR
from pipelines import run
from pipelines.resources import VerkenningSettings
from schemas.codebook import PROJECT_CODEBOOK, codebook_for_wave, parse_codebook
from schemas.quality_suites import staged_survey_suite
from schemas.staged_contract import build_staged_survey_contract
from schemas.table_specs import microdata_columns, staged_survey_columns
from verkenning.errors import InputFileError
from verkenning.ingest.raw_survey import read_raw_survey
from verkenning.ingest.survey_export import find_export_file
from verkenning.ingest.withdrawals import read_withdrawals
from verkenning.release.explanation import column_descriptions
from verkenning.staging.survey import stage_survey

CODEBOOK = codebook_for_wave(SAMPLE_WAVE_DIR)
RESPONSE_METADATA = {"_source_file", "_row_number", "token", "datestamp", "lastpage", "interviewtime", "seed",
                     "startlanguage", "ipaddr", "refurl"}


@pytest.fixture(scope="module")
def staged_sample() -> pd.DataFrame:
    raw = read_raw_survey(find_export_file(SAMPLE_WAVE_DIR), CODEBOOK)
    withdrawals, _ = read_withdrawals(SAMPLE_WAVE_DIR / "withdrawals.csv")
    return stage_survey(raw.responses, CODEBOOK, withdrawals).completed


def test_staging_gives_exactly_the_specified_columns_with_their_types(staged_sample):
    specs = {spec.name: spec for spec in staged_survey_columns(CODEBOOK)}
    # every column staging writes is specified, apart from the export's optional response metadata ...
    assert set(staged_sample.columns) - set(specs) == RESPONSE_METADATA
    # ... and every specified column is written, with the specified type
    assert set(specs) <= set(staged_sample.columns)
    assert {name: str(staged_sample[name].dtype) for name in specs} == {name: spec.dtype for name, spec in specs.items()}


def test_the_microdata_takes_its_answer_columns_from_the_staged_specification():
    staged = {spec.name: spec for spec in staged_survey_columns(CODEBOOK)}
    for spec in microdata_columns(CODEBOOK):
        if spec.kind in ("key", "background"):
            continue
        assert spec.name in staged, spec.name
        assert (staged[spec.name].kind, staged[spec.name].dtype, staged[spec.name].allowed) == (spec.kind, spec.dtype, spec.allowed)
    identifiers = {q.code for q in CODEBOOK.questions_with_role("direct_identifier")}
    assert identifiers and not identifiers & {spec.name for spec in microdata_columns(CODEBOOK)}


def test_the_staged_contract_is_the_specification(staged_sample):
    contract = build_staged_survey_contract(CODEBOOK)
    assert set(contract.columns) == {spec.name for spec in staged_survey_columns(CODEBOOK)}
    contract.validate(staged_sample, lazy=True)
    single = next(q for q in CODEBOOK.questions if q.type == "single" and q.role == "answer")
    value = f"{single.code}__value" if f"{single.code}__value" in contract.columns else None
    broken = staged_sample.copy()
    broken.loc[broken.index[3], single.code] = "A7"  # not a code of the codebook
    if value:
        broken.loc[broken.index[4], value] = 99.0  # off the scale
    with pytest.raises(pandera.errors.SchemaErrors) as failure:
        contract.validate(broken, lazy=True)
    failed = set(failure.value.failure_cases["column"])
    assert single.code in failed and (value is None or value in failed)
    duplicated = staged_sample.copy()
    duplicated.loc[duplicated.index[1], "id"] = duplicated["id"].iloc[0]
    with pytest.raises(pandera.errors.SchemaErrors, match="id"):
        contract.validate(duplicated, lazy=True)


def _codebook_with_a_number_question() -> dict:
    raw = yaml.safe_load(PROJECT_CODEBOOK.read_text(encoding="utf-8"))
    raw["questions"].append({
        "code": "YEARS", "type": "number", "role": "answer", "required": True, "range": {"min": 0, "max": 60},
        "text": {"nl": "Hoeveel jaar werkt u in de sector?"},
    })
    return raw


def test_a_new_question_type_reaches_contract_suite_and_descriptions_through_the_specification():
    codebook = parse_codebook(_codebook_with_a_number_question(), Path("questionnaire.yaml"))
    contract = build_staged_survey_contract(codebook)
    assert str(contract.columns["YEARS"].dtype) == "Float64" and contract.columns["YEARS__missing_reason"] is not None
    suite = {(e.type, e.kwargs.get("column")): e for e in staged_survey_suite(codebook)}
    in_range = suite[("ExpectColumnValuesToBeBetween", "YEARS")]
    assert (in_range.kwargs["min_value"], in_range.kwargs["max_value"], in_range.blocking) == (0, 60, True)
    required = suite[("ExpectColumnValuesToNotBeInSet", "YEARS__missing_reason")]
    assert not required.blocking and "required" in required.why
    frame = pd.DataFrame({"YEARS": pd.Series([3.0], dtype="Float64")})
    assert column_descriptions({"t": frame}, codebook)["t"]["YEARS"] == "Hoeveel jaar werkt u in de sector?"


def test_free_text_is_described_as_typed_in_the_restricted_zone_and_deidentified_in_the_analysis_zone():
    open_text = CODEBOOK.questions_with_role("open_text")[0].code
    identifier = CODEBOOK.questions_with_role("direct_identifier")[0].code
    frame = pd.DataFrame(columns=[open_text, identifier, "wave"])
    restricted = column_descriptions({"t": frame}, CODEBOOK, zone="staged")["t"]
    analysis = column_descriptions({"t": frame}, CODEBOOK, zone="analysis")["t"]
    assert "zoals ingevuld" in restricted[open_text] and "ontdaan van persoonsgegevens" in analysis[open_text]
    assert "direct identificerend" in restricted[identifier]
    assert restricted["wave"] == analysis["wave"]


def test_every_staged_column_has_a_description_of_its_own(staged_sample):
    described = column_descriptions({"staged": staged_sample}, CODEBOOK, zone="staged")["staged"]
    for spec in staged_survey_columns(CODEBOOK):
        assert described[spec.name] == spec.description
    # a scale value and a missing reason say what they are, not only the question
    assert any(text.endswith("(schaalwaarde)") for text in described.values())
    assert any(text.endswith("(reden van ontbreken)") for text in described.values())


# --- item 7: the workshop workbooks' shape, before any step ------------------------------------------------------


def _wave_with_a_broken_workbook(data_dir: Path) -> Path:
    wave = data_dir / "inbox" / SAMPLE_WAVE
    shutil.copytree(SAMPLE_WAVE_DIR, wave)
    workbook_path = sorted(wave.glob("workshop_*.xlsx"))[0]
    workbook = openpyxl.load_workbook(workbook_path)
    sheet = workbook["Ondersteuning"]
    for row in sheet.iter_rows(max_row=15):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip().casefold() == "stemmen":
                cell.value = "Aantal"
    workbook.save(workbook_path)
    return workbook_path


def test_a_workbook_without_a_required_column_is_refused_before_any_step(data_dir, monkeypatch, capsys):
    broken = _wave_with_a_broken_workbook(data_dir)
    with pytest.raises(InputFileError) as refusal:
        run.preflight(VerkenningSettings(data_dir=str(data_dir)), SAMPLE_WAVE)
    message = str(refusal.value)
    assert broken.name in message and "sheet 'Ondersteuning'" in message and "column 'Stemmen'" in message
    assert "row " in message

    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("VERKENNING_DATA_DIR", str(data_dir))
    assert run.main([]) == 1
    out = capsys.readouterr().out
    assert "FAILED before any step ran" in out and "the header row lacks column(s) Stemmen" in out
    restricted = data_dir / "restricted"
    assert not restricted.exists() or not any(path.is_file() for path in restricted.rglob("*.parquet"))


def test_the_sample_workbooks_pass_the_shape_check(data_dir):
    shutil.copytree(SAMPLE_WAVE_DIR, data_dir / "inbox" / SAMPLE_WAVE)
    assert run.preflight(VerkenningSettings(data_dir=str(data_dir)), SAMPLE_WAVE) == []
