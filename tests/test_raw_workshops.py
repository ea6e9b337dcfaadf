"""The raw zone of the workshops and the withdrawals, run through the real assets on the sample and fixtures."""

from __future__ import annotations

import hashlib
import shutil

import openpyxl
import pytest

from conftest import SAMPLE_WAVE_DIR, materialize_wave, read_restricted, step_error_messages
from schemas.workshop_layout import load_workshop_layout

LAYOUT = load_workshop_layout()
SAMPLE_WORKBOOKS = sorted(SAMPLE_WAVE_DIR.glob("workshop_*.xlsx"))


def minimal_export(data_dir):
    """Workbook tests need a wave with an export: take the sample's."""
    folder = data_dir / "inbox" / "2024-01"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE_WAVE_DIR / "survey_export.csv", folder)
    return folder


def facilitator_workbook(path, *, drop_sheet=None, drop_column=None, sheet_name=None):
    """A small workbook as a facilitator fills it in: title rows, merged cells, blank rows, odd names."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet in LAYOUT.sheets:
        if sheet.sheet == drop_sheet:
            continue
        name = sheet_name if sheet_name and sheet.table == "sticky_notes" else sheet.sheet
        ws = workbook.create_sheet(name)
        ws.append([f"Werkvorm – {sheet.sheet}"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(sheet.columns))
        ws.append(["Utrecht, 15 februari 2024"])
        ws.append([])
        ws.append([f" {c.upper()} " if i == 0 else c for i, c in enumerate(sheet.columns) if c != drop_column])
        if sheet.table == "sticky_notes":
            ws.append(["Tafel 1", "zorg ", "Wie is eigenaar\nvan de output?", None])
            ws.append([None, "Kansen", "Transcriptie scheelt tijd", "Anna"])
            ws.merge_cells("A5:A6")
            ws.append([])
            ws.append(["Tafel 2", "TOEPASSING", "Beeldherkenning in de collectie", None])
        else:
            ws.append([f"{c} waarde" if c != "Tafel" else "Tafel 1" for c in sheet.columns if c != drop_column])
    workbook.save(path)


def test_sample_workbooks_give_four_raw_tables(sample_data_dir):
    result = materialize_wave(sample_data_dir, layers=("raw",))
    assert result.success, step_error_messages(result)
    assert len(SAMPLE_WORKBOOKS) == 3
    for sheet in LAYOUT.sheets:
        table = read_restricted(sample_data_dir, f"workshop_{sheet.table}")
        assert set(table["_source_file"]) == {p.name for p in SAMPLE_WORKBOOKS}, sheet.table
        assert table["Tafel"].notna().all(), f"merged Tafel cells must be filled in {sheet.table}"
        assert table["meeting_date"].notna().all()
    notes = read_restricted(sample_data_dir, "workshop_sticky_notes")
    assert notes["Notitie"].str.contains("\n").any(), "multi-line notes are kept whole"

    outputs = {m.asset_key.path[-1]: m.metadata for m in result.asset_materializations_for_node("raw_workshops")}
    sources = {s["name"]: s["sha256"] for s in outputs["workshop_sticky_notes"]["source_files"].value}
    assert sources == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SAMPLE_WORKBOOKS}


def test_title_rows_merged_cells_blank_rows_and_odd_sheet_names_are_handled(data_dir):
    folder = minimal_export(data_dir)
    facilitator_workbook(folder / "workshop_2024-02-15_utrecht.xlsx", sheet_name="  stand VAN zaken ")
    result = materialize_wave(data_dir, layers=("raw",))
    assert result.success, step_error_messages(result)
    notes = read_restricted(data_dir, "workshop_sticky_notes")
    assert notes["Tafel"].tolist() == ["Tafel 1", "Tafel 1", "Tafel 2"]
    assert notes["Categorie"].tolist() == ["zorg ", "Kansen", "TOEPASSING"]  # cleaned in staging, not here
    assert notes["Notitie"].iloc[0] == "Wie is eigenaar\nvan de output?"
    assert notes["_row_number"].tolist() == [5, 6, 8]
    assert str(notes["meeting_date"].iloc[0]) == "2024-02-15" and notes["meeting_place"].iloc[0] == "Utrecht"
    metadata = {m.asset_key.path[-1]: m.metadata for m in result.asset_materializations_for_node("raw_workshops")}
    assert metadata["workshop_sticky_notes"]["blank_rows_skipped"].value == 1


def test_missing_sheet_fails_naming_file_and_sheet(data_dir):
    folder = minimal_export(data_dir)
    facilitator_workbook(folder / "workshop_2024-02-15_utrecht.xlsx", drop_sheet="Toekomst 2030")
    message = " ".join(step_error_messages(materialize_wave(data_dir, layers=("raw",))))
    assert "workshop_2024-02-15_utrecht.xlsx, sheet 'Toekomst 2030': the sheet 'Toekomst 2030' is missing" in message


def test_missing_column_fails_naming_sheet_row_and_column(data_dir):
    folder = minimal_export(data_dir)
    facilitator_workbook(folder / "workshop_2024-02-15_utrecht.xlsx", drop_column="Stemmen")
    message = " ".join(step_error_messages(materialize_wave(data_dir, layers=("raw",))))
    assert "sheet 'Ondersteuning', row 4, column 'Stemmen': the header row lacks column(s) Stemmen" in message


def test_workbook_name_must_give_date_and_place(data_dir):
    folder = minimal_export(data_dir)
    facilitator_workbook(folder / "workshop_utrecht.xlsx")
    message = " ".join(step_error_messages(materialize_wave(data_dir, layers=("raw",))))
    assert "workshop_utrecht.xlsx: the file name does not say the meeting's date and place" in message


# --- withdrawals ----------------------------------------------------------------------------------


def test_sample_withdrawals_are_read(sample_data_dir):
    assert materialize_wave(sample_data_dir, layers=("raw",)).success
    withdrawals = read_restricted(sample_data_dir, "withdrawals")
    assert len(withdrawals) >= 2
    assert (withdrawals["token"].notna() | withdrawals["email"].notna()).all()


def test_a_wave_without_withdrawals_gives_an_empty_table(data_dir):
    minimal_export(data_dir)
    assert materialize_wave(data_dir, layers=("raw",)).success
    assert read_restricted(data_dir, "withdrawals").empty


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("token,email,datum\r\nabc,,2024-02-10\r\n,,2024-02-11\r\n", "row 3, column 'token': neither token nor email"),
        ("token,email,datum\r\nabc,,10-02-2024\r\n", "row 2, column 'datum': datum must be a date YYYY-MM-DD"),
        ("token;mail\r\nabc;x\r\n", "column 'email': column(s) missing: email, datum"),
    ],
)
def test_unusable_withdrawal_stops_the_run(data_dir, content, expected):
    folder = minimal_export(data_dir)
    (folder / "withdrawals.csv").write_text(content, encoding="utf-8")
    message = " ".join(step_error_messages(materialize_wave(data_dir, layers=("raw",))))
    assert "withdrawals.csv" in message and expected in message
