"""What a data steward is told about bad input (issue 15): each fault is a real file written into a wave folder of a
temporary data folder and read by the real raw assets; every message names the file and, where they apply, the row
and the column."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile

import openpyxl
import pytest

from conftest import (
    SAMPLE_EXPORT,
    SAMPLE_WAVE_DIR,
    materialization_metadata,
    materialize_wave,
    read_restricted,
    step_error_messages,
)
from schemas.workshop_layout import load_workshop_layout
from verkenning.ingest.survey_export import OLE2_MAGIC, read_survey_export
from verkenning.ingest.workbooks import read_workbook

RAW_ONLY = ("raw",)
LAYOUT = load_workshop_layout()


def sample_export(count: int) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the first completed rows of the bundled sample export."""
    with SAMPLE_EXPORT.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["submitdate"].strip()]
        return list(reader.fieldnames), rows[:count]


def export_text(header: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def failure(result) -> str:
    assert not result.success
    return " ".join(step_error_messages(result))


def fake_encrypted_workbook() -> bytes:
    """What Excel writes for a workbook with a password to open: an OLE2 compound file (magic D0 CF 11 E0 A1 B1 1A E1)
    whose directory names the stream "EncryptedPackage" (in UTF-16, as directory entries are)."""
    return OLE2_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(64) + b"EncryptionInfo" + bytes(400)


# --- CSV: a field over the size limit --------------------------------------------------------------------------------


def test_a_field_over_the_size_limit_is_called_too_long_with_row_and_column(wave_with_export, data_dir):
    header, rows = sample_export(6)
    rows[3]["OPEN_USE"] = "Lang antwoord. " * 10_000  # 150,000 characters: above the csv module's 131,072
    wave_with_export(export_text(header, rows))
    message = failure(materialize_wave(data_dir, layers=RAW_ONLY))
    assert "survey_export.csv, row 5, line 5, column 'OPEN_USE': a field is too long: 150,000 characters" in message
    assert "more than the 131,072 a CSV field may hold" in message
    assert "quote" not in message  # no longer blamed on a quote


def test_an_unclosed_quote_that_runs_past_the_size_limit_is_still_called_an_unclosed_quote(wave_with_export, data_dir):
    header, rows = sample_export(3)
    # no quotes anywhere below, so the open quote runs to the end of the file
    rows = [{k: re.sub(r'[",\r\n]', " ", v) for k, v in row.items()} for row in rows]
    text = export_text(header, rows)
    assert '"' not in text
    tail = "\r\n".join(f"{n},zonder aanhalingstekens" for n in range(20_000))  # about 500,000 characters
    lines = text.split("\r\n")
    lines.insert(3, '99,"het openingsteken wordt nooit gesloten')
    wave_with_export("\r\n".join(lines) + tail)
    message = failure(materialize_wave(data_dir, layers=RAW_ONLY))
    assert f"survey_export.csv, row 4, line 4, column '{header[1]}'" in message
    assert "a double quote opened in this field is never closed" in message
    assert "too long" not in message


# --- CSV: UTF-16 without a byte-order mark ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_read_as_text(wave_with_export, data_dir, encoding):
    header, rows = sample_export(8)
    rows[0]["OPEN_USE"] = "Café, één 🎭 en \"quotes\""
    text = export_text(header, rows)
    data = text.encode(encoding)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data
    wave_with_export(data)

    result = materialize_wave(data_dir, layers=RAW_ONLY)
    assert result.success, step_error_messages(result)
    responses = read_restricted(data_dir, "survey_responses")
    assert len(responses) == 8
    assert responses.at[0, "OPEN_USE"] == "Café, één 🎭 en \"quotes\""
    assert materialization_metadata(result, "raw/survey_responses")["encoding"].value == encoding


def test_utf16_without_byte_order_mark_that_is_cut_off_is_named_as_such(wave_with_export, data_dir):
    header, rows = sample_export(4)
    text = export_text(header, rows)
    wave_with_export(text.encode("utf-16-le")[:-1])
    message = failure(materialize_wave(data_dir, layers=RAW_ONLY))
    line = text[:-1].count("\n") + 1  # the line of the character that is cut off
    assert f"survey_export.csv, line {line}: the file is UTF-16 (little-endian) without a byte-order mark" in message
    assert "binary" not in message


# --- an export without responses ------------------------------------------------------------------------------------


def test_a_header_only_export_stops_at_the_raw_step_saying_it_has_no_responses(wave_with_export, data_dir):
    header, _ = sample_export(1)
    wave_with_export(",".join(header) + "\r\n\r\n")
    result = materialize_wave(data_dir, layers=RAW_ONLY)
    failed = [event.step_key for event in result.all_events if event.is_step_failure]
    assert failed == ["raw_survey"]
    message = failure(result)
    assert "survey_export.csv, row 2: the export has no responses: it holds the header row and 1 blank row(s)" in message


def test_a_header_only_workbook_export_stops_saying_it_has_no_responses(wave_with_export, data_dir):
    header, _ = sample_export(1)
    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    buffer = io.BytesIO()
    workbook.save(buffer)
    wave_with_export(buffer.getvalue(), "survey_export.xlsx")
    message = failure(materialize_wave(data_dir, layers=RAW_ONLY))
    assert "survey_export.xlsx, row 2: the export has no responses" in message


# --- password-protected workbooks -----------------------------------------------------------------------------------


def test_a_password_protected_export_workbook_is_named_as_such(wave_with_export, data_dir):
    wave_with_export(fake_encrypted_workbook(), "survey_export.xlsx")
    message = failure(materialize_wave(data_dir, layers=RAW_ONLY))
    assert "survey_export.xlsx: the workbook is password-protected (encrypted)" in message
    assert "save it without a password" in message and "detect file format" not in message


def test_a_password_protected_workbook_saved_as_csv_is_named_as_such(wave_with_export, data_dir):
    wave_with_export(fake_encrypted_workbook())
    message = failure(materialize_wave(data_dir, layers=RAW_ONLY))
    assert "survey_export.csv: the file is a password-protected Excel workbook, not a CSV file" in message


def test_a_password_protected_workshop_workbook_is_named_as_such(data_dir):
    folder = wave_with_sample_export(data_dir)
    (folder / "workshop_2024-02-15_utrecht.xlsx").write_bytes(fake_encrypted_workbook())
    message = failure(materialize_wave(data_dir, layers=RAW_ONLY))
    assert "workshop_2024-02-15_utrecht.xlsx: the workbook is password-protected (encrypted), so it cannot be read" in message
    assert "save it without a password" in message and "detect file format" not in message


# --- formulas in workbooks ------------------------------------------------------------------------------------------


def wave_with_sample_export(data_dir):
    folder = data_dir / "inbox" / "2024-01"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE_WAVE_DIR / "survey_export.csv", folder)
    return folder


def workshop_workbook(path, rows_by_sheet: dict[str, list[list[object]]], *, top_row: int = 1, left_column: int = 1) -> None:
    """A workshop workbook with the layout's sheets: a title, the header, then the given rows, starting at
    (top_row, left_column). A str starting with = is written as a formula, without a saved value (as openpyxl
    and other scripts write them)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet in LAYOUT.sheets:
        ws = workbook.create_sheet(sheet.sheet)
        lines = [[f"Werkvorm – {sheet.sheet}"], list(sheet.columns), *rows_by_sheet.get(sheet.sheet, [])]
        for r, line in enumerate(lines):
            for c, value in enumerate(line):
                ws.cell(row=top_row + r, column=left_column + c, value=value)
    workbook.save(path)


def with_saved_value(path, sheet_number: int, cell: str, value: str) -> None:
    """Give one formula cell the value Excel would save with it (what calamine reads for a formula)."""
    member = f"xl/worksheets/sheet{sheet_number}.xml"
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    xml = contents[member].decode("utf-8")
    xml, replaced = re.subn(
        rf'<c r="{cell}"><f>(.*?)</f><v\s*/></c>', rf'<c r="{cell}" t="str"><f>\1</f><v>{value}</v></c>', xml
    )
    assert replaced == 1
    contents[member] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


ATTENDANCE = [
    ['="Anna"&" de Vries"', "anna@example.org", "Museum Noord", "Musea", "Tafel 1"],  # row 3: text only
    ["=A3", "=B3", "Theater Zuid", "Podiumkunsten", "Tafel 2"],                     # row 4: references
    ['="Piet"&" Bakker"', "piet@example.org", "Bibliotheek", "Bibliotheken", "Tafel 1"],  # row 5: saved value below
]


def test_formula_cells_keep_their_saved_value_or_their_text_with_a_warning(data_dir):
    folder = wave_with_sample_export(data_dir)
    path = folder / "workshop_2024-02-15_utrecht.xlsx"
    workshop_workbook(path, {"Deelnemers": ATTENDANCE, "Stand van zaken": [["Tafel 1", "Kans", "=\"Transcriptie\"", "=A9"]]})
    with_saved_value(path, 1, "A5", "Pieter Bakker")  # Excel saved a value: that is what the cell shows

    read = read_workbook(path, LAYOUT)
    attendance = read.sheets["attendance"].frame
    assert attendance["Naam"].tolist() == ["Anna de Vries", "=A3", "Pieter Bakker"]
    assert attendance["E-mail"].tolist() == ["anna@example.org", "=B3", "piet@example.org"]
    notes = read.sheets["sticky_notes"].frame
    assert notes["Notitie"].tolist() == ["Transcriptie"] and notes["Auteur"].tolist() == ["=A9"]

    warnings = read.warnings
    assert len(warnings) == 5  # A5 has a saved value: no warning
    assert warnings[0].startswith(
        "file workshop_2024-02-15_utrecht.xlsx, sheet 'Deelnemers', row 3, column 'Naam': the cell holds a formula "
        "without a saved value"
    )
    assert "worked out from the formula's quoted text" in warnings[0]
    assert "sheet 'Deelnemers', row 4, column 'E-mail'" in warnings[2] and "the formula itself is kept" in warnings[2]
    assert "sheet 'Stand van zaken', row 3, column 'Auteur'" in warnings[4]
    assert not any(value in " ".join(warnings) for value in ("Anna", "Vries", "Transcriptie", "=A3"))  # no values

    # the names reach the identifier watchlist, so the leak check looks for them
    result = materialize_wave(data_dir, layers=("raw", "staged"))
    watchlist = read_restricted(data_dir, "identifier_watchlist", layer="staged")
    names = set(watchlist.loc[watchlist["kind"] == "name", "value"])
    assert {"Anna de Vries", "Pieter Bakker"} <= names, step_error_messages(result)


def test_formula_cells_of_an_export_workbook_keep_their_text_with_a_warning(tmp_path):
    header, rows = sample_export(3)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row[c] or None for c in header])
    organisation = header.index("ORGNAME") + 1
    sheet.cell(row=3, column=organisation, value='="Museum"&" Noord"')
    sheet.cell(row=4, column=organisation, value="=A1")
    path = tmp_path / "survey_export.xlsx"
    workbook.save(path)

    table = read_survey_export(path)
    assert table.frame["ORGNAME"].tolist()[1:] == ["Museum Noord", "=A1"]
    assert [w.split(":")[0] for w in table.warnings] == [
        "file survey_export.xlsx, row 3, column 'ORGNAME'",
        "file survey_export.xlsx, row 4, column 'ORGNAME'",
    ]


def test_rows_are_numbered_as_the_sheet_shows_them_when_it_starts_below_row_1(data_dir):
    folder = wave_with_sample_export(data_dir)
    path = folder / "workshop_2024-02-15_utrecht.xlsx"
    notes = [["Tafel 1", "Kans", "Eerste notitie", None], [None, "Zorg", "Tweede notitie", None]]
    workshop_workbook(path, {"Stand van zaken": notes}, top_row=3, left_column=2)
    workbook = openpyxl.load_workbook(path)
    workbook["Stand van zaken"].merge_cells("B5:B6")  # Tafel merged over both notes
    workbook.save(path)

    read = read_workbook(path, LAYOUT).sheets["sticky_notes"]
    assert read.header_row == 4
    assert read.frame["_row_number"].tolist() == [5, 6]
    assert read.frame["Tafel"].tolist() == ["Tafel 1", "Tafel 1"]

    workshop_workbook(path, {}, top_row=3, left_column=2)
    workbook = openpyxl.load_workbook(path)
    workbook["Ondersteuning"].delete_cols(4 + 1)  # the header loses its fourth column, Stemmen (B..E)
    workbook.save(path)
    message = failure(materialize_wave(data_dir, layers=RAW_ONLY))
    assert "sheet 'Ondersteuning', row 4, column 'Stemmen': the header row lacks column(s) Stemmen" in message
