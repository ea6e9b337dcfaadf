"""The raw zone of the survey, run through the real Dagster assets on the sample and on fault fixtures.

Each fault fixture is a few real rows of the bundled sample with one planted fault, written the way
the survey tool (or Excel) would write it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pandas as pd
import pytest

from conftest import SAMPLE_EXPORT, materialize_wave, read_restricted, step_error_messages
from schemas.codebook import load_codebook
from verkenning.ingest.survey_export import ROW_NUMBER, read_survey_export

# Fault fixtures hold a handful of rows: too few to anonymise, so they run the raw zone only.
RAW_ONLY = ("raw",)
RAW_TEXT = "Regel één;\nregel twee met \"aanhalingstekens\", een komma; en 🎭\r\nslot"


def sample_rows(count: int | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the first rows of the bundled sample export, as the csv module reads them."""
    with SAMPLE_EXPORT.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if any(v.strip() for v in row.values())]
        return list(reader.fieldnames), rows[:count] if count else rows


def export_text(header: list[str], rows: list[dict[str, str]], separator: str = ",") -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=separator, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def completed_rows(count: int) -> tuple[list[str], list[dict[str, str]]]:
    header, rows = sample_rows()
    return header, [r for r in rows if r["submitdate"].strip()][:count]


def quarantine_of(result, data_dir) -> pd.DataFrame:
    assert result.success, step_error_messages(result)
    return read_restricted(data_dir, "survey_quarantine")


# --- the bundled sample ---------------------------------------------------------------------------


def test_sample_export_is_read_whole_with_file_fingerprint(sample_data_dir):
    result = materialize_wave(sample_data_dir, layers=RAW_ONLY)
    assert result.success, step_error_messages(result)

    responses = read_restricted(sample_data_dir, "survey_responses")
    quarantine = read_restricted(sample_data_dir, "survey_quarantine")
    _, expected_rows = sample_rows()
    assert len(responses) + len(quarantine) == len(expected_rows)
    assert quarantine.empty  # the bundled sample is messy but breaks no contract rule
    assert responses.columns[3:].tolist() == load_codebook().export_columns()
    assert responses["id"].tolist() == [row["id"] for row in expected_rows]

    metadata = result.asset_materializations_for_node("raw_survey")[0].metadata
    assert metadata["file_sha256"].value == hashlib.sha256(SAMPLE_EXPORT.read_bytes()).hexdigest()
    assert metadata["file_size_bytes"].value == SAMPLE_EXPORT.stat().st_size
    assert metadata["file_rows"].value == len(expected_rows)
    assert metadata["file_columns"].value == len(load_codebook().export_columns())
    assert metadata["rows_quarantined"].value == 0

    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["rows_accounted_for"].passed
    assert checks["quarantine_share"].passed


def test_sample_values_are_kept_as_written_including_multiline_answers(sample_data_dir):
    assert materialize_wave(sample_data_dir, layers=RAW_ONLY).success
    responses = read_restricted(sample_data_dir, "survey_responses").set_index("id")
    _, expected_rows = sample_rows()
    open_columns = ["OPEN_USE", "OPEN_CONCERN", "OPEN_SUPPORT"]
    multiline = 0
    for row in expected_rows:
        for column in open_columns:
            kept = responses.at[row["id"], column]
            assert (kept if kept is not None else "") == row[column]
            multiline += "\n" in row[column]
    assert multiline > 0, "the sample should hold open answers with line breaks"


def test_restricted_zone_is_stored_apart_from_the_analysis_zone(sample_data_dir):
    assert materialize_wave(sample_data_dir).success
    written = sorted(p.relative_to(sample_data_dir).as_posix() for p in sample_data_dir.rglob("*.parquet"))
    restricted = [p for p in written if p.startswith("restricted/")]
    analysis = [p for p in written if p.startswith("analysis/")]
    released = [p for p in written if p.startswith("releases/")]
    assert len(restricted) + len(analysis) + len(released) == len(written)
    # anonymised tables and marts are checked in the restricted zone before they are copied to the lake
    assert all(p.startswith(("restricted/raw/", "restricted/staged/", "restricted/anonymised/", "restricted/marts/")) for p in restricted)
    assert "restricted/raw/survey_quarantine/2024-01.parquet" in restricted
    assert analysis and all(p.startswith("analysis/lake/") for p in analysis)  # DuckLake's data files
    assert (sample_data_dir / "analysis" / "catalog.sqlite").is_file()
    assert (sample_data_dir / "restricted").stat().st_mode & 0o077 == 0  # owner only
    assert all((sample_data_dir / p).stat().st_mode & 0o077 == 0 for p in restricted)  # each file too


# --- encodings, separators and formats -----------------------------------------------------------


@pytest.mark.parametrize(
    ("separator", "encoding"),
    [(",", "utf-8"), (";", "utf-8-sig"), (";", "cp1252"), (",", "utf-8-sig")],
)
def test_export_reads_the_same_whatever_separator_and_encoding(wave_with_export, data_dir, separator, encoding):
    header, rows = completed_rows(12)
    rows[0]["OPEN_USE"] = RAW_TEXT.replace("🎭", "")  # cp1252 has no emoji
    rows[1]["OPEN_CONCERN"] = "Zorgen over privacy; \"deepfakes\" en geld, café"
    text = export_text(header, rows, separator) + "\r\n"  # the odd blank line at the end
    wave_with_export(text.encode(encoding, errors="replace"))  # as Excel does: an emoji becomes ?

    result = materialize_wave(data_dir, layers=RAW_ONLY)
    assert result.success, step_error_messages(result)
    responses = read_restricted(data_dir, "survey_responses")
    assert len(responses) == 12
    assert responses.at[0, "OPEN_USE"] == RAW_TEXT.replace("🎭", "")
    assert responses.at[1, "OPEN_CONCERN"] == "Zorgen over privacy; \"deepfakes\" en geld, café"
    assert responses["token"].fillna("").tolist() == [r["token"] for r in rows]
    metadata = result.asset_materializations_for_node("raw_survey")[0].metadata
    assert metadata["encoding"].value == encoding
    assert metadata["separator"].value == separator
    assert metadata["blank_rows_skipped"].value == 1


def test_emoji_and_line_breaks_survive_in_utf8(wave_with_export, data_dir):
    header, rows = completed_rows(3)
    rows[2]["OPEN_SUPPORT"] = RAW_TEXT
    wave_with_export(export_text(header, rows, ";"))
    assert materialize_wave(data_dir, layers=RAW_ONLY).success
    assert read_restricted(data_dir, "survey_responses").at[2, "OPEN_SUPPORT"] == RAW_TEXT


def test_xlsx_export_gives_the_same_table_as_csv(wave_with_export, data_dir, tmp_path):
    import openpyxl

    header, rows = completed_rows(8)
    rows[0]["OPEN_USE"] = RAW_TEXT.replace("\r\n", "\n")  # a workbook cell holds line feeds only
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    numeric = {"id", "lastpage", "seed"}
    for row in rows:
        sheet.append([int(row[c]) if c in numeric and row[c] else (row[c] or None) for c in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    wave_with_export(buffer.getvalue(), "survey_export.xlsx")

    result = materialize_wave(data_dir, layers=RAW_ONLY)
    assert result.success, step_error_messages(result)
    responses = read_restricted(data_dir, "survey_responses")
    for column in header:
        assert responses[column].fillna("").tolist() == [r[column] for r in rows], column
    assert responses[ROW_NUMBER].tolist() == list(range(2, 10))


# --- structural faults stop the run with file, row and column --------------------------------------


def test_missing_required_column_fails_naming_file_and_column(wave_with_export, data_dir):
    header, rows = completed_rows(5)
    header = [c for c in header if c != "ORGSIZE"]
    for row in rows:
        row.pop("ORGSIZE")
    wave_with_export(export_text(header, rows))
    result = materialize_wave(data_dir, layers=RAW_ONLY)
    assert not result.success
    message = " ".join(step_error_messages(result))
    assert "survey_export.csv" in message
    assert "column 'ORGSIZE'" in message and "1 required column(s) missing" in message


def test_headings_with_code_and_text_and_ticks_as_one_and_zero_are_read_as_codes(wave_with_export, data_dir):
    # LimeSurvey's "question code & question text" headings, "convert Y to 1, N to 0", every field quoted, a BOM
    # and semicolons: the same answers as the plain export. The texts hold more commas than the header has
    # semicolons, so only a separator counted outside the quotes is the right one.
    header, rows = completed_rows(8)
    codebook = load_codebook()
    texts = {column: f"{column}. Vraag, over {column.lower()}, met komma's, in de tekst" for column in codebook.question_columns()}
    multi = [column for column, codes in codebook.coded_columns().items() if codes == {"Y"}]
    converted = [{texts.get(k, k): ("1" if v == "Y" else "0") if k in multi else v for k, v in row.items()} for row in rows]
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=[texts.get(c, c) for c in header], delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(converted)
    wave_with_export(buffer.getvalue().encode("utf-8-sig"))

    result = materialize_wave(data_dir, layers=RAW_ONLY)
    assert result.success, step_error_messages(result)
    responses = read_restricted(data_dir, "survey_responses")
    assert len(responses) == 8 and read_restricted(data_dir, "survey_quarantine").empty
    assert "SECTOR" in responses.columns and responses["SECTOR"].tolist() == [r["SECTOR"] for r in rows]
    ticked = [column for column in multi if any(r[column] == "Y" for r in rows)]
    assert ticked and all(responses[c].tolist() == [("1" if r[c] == "Y" else "0") for r in rows] for c in ticked)
    metadata = result.asset_materializations_for_node("raw_survey")[0].metadata
    assert metadata["export_variant"].value == {"headings": "code. text", "ticks": "1/0"}


def test_an_anonymous_survey_without_token_ipaddr_or_refurl_is_staged_and_says_how_duplicates_were_found(wave_with_export, data_dir):
    header, rows = completed_rows(30)
    anonymous = [c for c in header if c not in ("token", "ipaddr", "refurl")]
    wave_with_export(export_text(anonymous, [{c: r[c] for c in anonymous} for r in rows]))

    result = materialize_wave(data_dir, layers=("raw", "staged"))
    assert result.success, step_error_messages(result)
    completed = read_restricted(data_dir, "survey_completed", layer="staged")
    assert len(completed) >= 25 and completed["token"].isna().all()
    metadata = result.asset_materializations_for_node("staged_survey")[0].metadata
    assert metadata["duplicates_detected"].value == "by e-mail address only (no token: an anonymous survey)"


def test_the_warning_about_answers_to_hidden_questions_names_the_question_and_its_condition(wave_with_export, data_dir):
    header, rows = completed_rows(30)
    hidden = next(r for r in rows if r["OWNUSE"] == "A5")  # TOOLS is shown only to those who use AI
    hidden["TOOLS[SQ001]"] = "Y"
    wave_with_export(export_text(header, rows))
    result = materialize_wave(data_dir, layers=("raw", "staged"))
    check = next(e for e in result.get_asset_check_evaluations() if e.check_name == "shown_if_consistency")
    assert not check.passed
    assert "TOOLS (1 response, shown only if OWNUSE" in check.description


def test_a_tick_in_no_known_form_is_quarantined_naming_the_forms(wave_with_export, data_dir):
    header, rows = completed_rows(40)  # one bad row in 40 stays under the share that blocks the wave
    column = next(c for c, codes in load_codebook().coded_columns().items() if codes == {"Y"})
    rows[2][column] = "ja"
    wave_with_export(export_text(header, rows))
    quarantine = quarantine_of(materialize_wave(data_dir, layers=RAW_ONLY), data_dir)
    assert quarantine["row_number"].tolist() == [4] and quarantine["column"].tolist() == [column]
    assert "'Y' or '1' (ticked), 'N', '0' or empty" in quarantine["reason"].iloc[0]


def test_empty_file_fails_naming_the_file(wave_with_export, data_dir):
    wave_with_export(b"\r\n  \r\n")
    message = " ".join(step_error_messages(materialize_wave(data_dir, layers=RAW_ONLY)))
    assert "survey_export.csv: the file is empty" in message


def test_unknown_encoding_fails_naming_file_and_line(wave_with_export, data_dir):
    header, rows = completed_rows(4)
    data = export_text(header, rows).encode("cp1252")
    lines = data.split(b"\r\n")
    lines[3] = lines[3].replace(b",", b",\x81", 1)  # 0x81 is neither UTF-8 nor Windows-1252
    wave_with_export(b"\r\n".join(lines))
    message = " ".join(step_error_messages(materialize_wave(data_dir, layers=RAW_ONLY)))
    assert "survey_export.csv, line 4: unknown text encoding: byte 0x81" in message


def test_unreadable_workbook_fails_naming_the_file(wave_with_export, data_dir):
    wave_with_export(b"PK\x03\x04 this is not a real workbook", "survey_export.xlsx")
    message = " ".join(step_error_messages(materialize_wave(data_dir, layers=RAW_ONLY)))
    assert "survey_export.xlsx: the workbook cannot be read" in message


def test_unclosed_quote_fails_naming_the_row(wave_with_export, data_dir):
    header, rows = completed_rows(3)
    text = export_text(header, rows) + '99,"open quote that never closes\r\n'
    wave_with_export(text)
    message = " ".join(step_error_messages(materialize_wave(data_dir, layers=RAW_ONLY)))
    assert "survey_export.csv, row 5" in message and "CSV structure is broken" in message


def test_missing_export_fails_naming_the_expected_file(data_dir):
    (data_dir / "inbox" / "2024-01").mkdir(parents=True)
    message = " ".join(step_error_messages(materialize_wave(data_dir, layers=RAW_ONLY)))
    assert "survey_export.csv: the wave folder has no survey export" in message


# --- row-level faults go to quarantine, the run goes on ---------------------------------------------


def test_row_faults_are_quarantined_with_file_row_column_reason_and_original_values(wave_with_export, data_dir):
    header, rows = completed_rows(40)
    rows[3]["ORGSIZE"] = "A9"                          # a code the codebook does not know
    rows[7]["startdate"] = "4-12-2023 10:15"           # a timestamp as Excel rewrites it
    for item in ("SQ001", "SQ002", "SQ003", "SQ004"):  # RISKS allows at most three
        rows[11][f"RISKS[{item}]"] = "Y"
    rows[15]["EXPECT[SQ002]"] = " a4 "                 # stray spaces and lower case are not faults
    wave_with_export(export_text(header, rows))

    result = materialize_wave(data_dir, layers=RAW_ONLY, max_quarantine_share=0.5)
    quarantine = quarantine_of(result, data_dir)
    responses = read_restricted(data_dir, "survey_responses")
    assert len(responses) + len(quarantine) == 40
    assert quarantine["row_number"].tolist() == [5, 9, 13]  # header is row 1, first response row 2
    assert set(quarantine["source_file"]) == {"survey_export.csv"}
    by_row = quarantine.set_index("row_number")
    assert by_row.at[5, "column"] == "ORGSIZE"
    assert "answer code unknown to the codebook for ORGSIZE" in by_row.at[5, "reason"]
    assert by_row.at[9, "column"] == "startdate"
    assert "YYYY-MM-DD HH:MM:SS" in by_row.at[9, "reason"]
    assert by_row.at[13, "column"] == "RISKS (ticked options)"
    assert "at most 3" in by_row.at[13, "reason"]
    original = json.loads(by_row.at[5, "original_values"])
    assert original["ORGSIZE"] == "A9" and original["id"] == rows[3]["id"]

    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["rows_accounted_for"].passed
    share = checks["quarantine_share"]
    assert not share.passed and share.severity.value == "WARN"
    assert share.metadata["rows_quarantined"].value == 3
    metadata = result.asset_materializations_for_node("raw_survey")
    quarantine_metadata = next(m for m in metadata if m.asset_key.path[-1] == "survey_quarantine").metadata
    assert quarantine_metadata["rows_quarantined"].value == 3
    assert "| ORGSIZE |" in quarantine_metadata["faults_by_column"].value
    assert "A9" not in quarantine_metadata["faults_by_column"].value  # counts and rules, never values


def test_a_row_with_too_many_fields_is_quarantined_whole(wave_with_export, data_dir):
    header, rows = completed_rows(6)
    lines = export_text(header, rows).split("\r\n")
    lines[2] = lines[2] + ",extra;field"
    wave_with_export("\r\n".join(lines))
    quarantine = quarantine_of(materialize_wave(data_dir, layers=RAW_ONLY, max_quarantine_share=0.5), data_dir)
    assert quarantine["row_number"].tolist() == [3]
    assert quarantine.at[0, "column"] == "row shape"
    assert f"has {len(header) + 1} fields where the header has {len(header)}" in quarantine.at[0, "reason"]
    assert json.loads(quarantine.at[0, "original_values"])[f"field {len(header) + 1}"] == "extra;field"


def test_too_many_quarantined_rows_block_with_an_error(wave_with_export, data_dir):
    header, rows = completed_rows(20)
    for row in rows[:6]:
        row["SECTOR"] = "A42"
    wave_with_export(export_text(header, rows))
    result = materialize_wave(data_dir, layers=RAW_ONLY)  # default maximum share: 5%
    share = next(e for e in result.get_asset_check_evaluations() if e.check_name == "quarantine_share")
    assert not share.passed and share.severity.value == "ERROR"
    assert "6 of 20 rows (30.0%)" in share.description
    assert len(read_restricted(data_dir, "survey_quarantine")) == 6


def test_reader_counts_rows_independently_of_the_tables(tmp_path):
    header, rows = completed_rows(5)
    path = tmp_path / "survey_export.csv"
    path.write_text(export_text(header, rows) + "\r\n\r\n", encoding="utf-8")
    table = read_survey_export(path)
    assert table.rows_read == 5 and table.blank_rows == 2 and len(table.frame) == 5
