"""The sample-wave generator: deterministic, faithful to the codebook, and the bundled sample cannot drift."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from schemas.codebook import OTHER_CODE, Codebook, load_codebook
from verkenning.sample import SampleSummary, write_sample_wave

BUNDLED = Path(__file__).resolve().parents[1] / "data" / "inbox" / "2024-01"
WORKBOOKS = ("workshop_2024-02-15_utrecht.xlsx", "workshop_2024-03-07_amsterdam.xlsx", "workshop_2024-03-21_zwolle.xlsx")
SHEETS = {"deelnemers", "stand van zaken", "toekomst 2030", "ondersteuning"}
CODEBOOK = load_codebook()


def read_export(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def code(value: str) -> str:
    return value.strip().upper()


def codes(series: pd.Series) -> pd.Series:
    return series.str.strip().str.upper()


def count_completed_people(export: pd.DataFrame, codebook: Codebook) -> int:
    """Completed, non-test people, counted independently of the generator: submissions that share a
    token or a normalised e-mail address are one person."""
    completed = export[export["submitdate"] != ""]
    is_test = completed["token"].str.lower().str.startswith("test") | (
        completed["startdate"].str[:10] < codebook.fielded_from.isoformat()
    )
    completed = completed[~is_test]
    parent = list(range(len(completed)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_seen: dict[str, int] = {}
    for i, (token, email) in enumerate(zip(completed["token"], completed["EMAIL"])):
        for key in (f"token:{token}" if token else "", f"email:{email.strip().lower()}" if email.strip() else ""):
            if not key:
                continue
            if key in first_seen:
                parent[root(i)] = root(first_seen[key])
            else:
                first_seen[key] = i
    return len({root(i) for i in range(len(completed))})


def unknown_code_rows(export: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """Rows holding at least one code the codebook does not know (after strip + upper case)."""
    bad = pd.Series(False, index=export.index)
    for column, allowed in codebook.coded_columns().items():
        values = codes(export[column])
        bad |= (values != "") & ~values.isin({c.upper() for c in allowed})
    return bad


def sheet_grid(sheet) -> list[list[str]]:
    """Cell texts with every merged cell's value copied to the cells it covers."""
    grid = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                grid[r][c] = value
    return grid


def sheet_records(sheet) -> list[dict[str, str]]:
    """Rows below the header row (the first row with a `Tafel` or `Naam` column), blank rows dropped."""
    grid = sheet_grid(sheet)
    header_at = next(i for i, row in enumerate(grid) if {"tafel", "naam"} & {c.strip().lower() for c in row})
    header = [c.strip().lower() for c in grid[header_at]]
    return [dict(zip(header, (c.strip() for c in row))) for row in grid[header_at + 1:] if any(c.strip() for c in row)]


def sheets_by_name(path: Path) -> dict[str, object]:
    workbook = load_workbook(path)
    return {re.sub(r"\s+", " ", name).strip().lower(): workbook[name] for name in workbook.sheetnames}


def workbook_content(path: Path) -> list[tuple[str, list[tuple], list[str]]]:
    workbook = load_workbook(path)
    return [
        (sheet.title, list(sheet.iter_rows(values_only=True)), sorted(str(r) for r in sheet.merged_cells.ranges))
        for sheet in workbook.worksheets
    ]


@pytest.fixture(scope="module")
def wave(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SampleSummary, pd.DataFrame]:
    out = tmp_path_factory.mktemp("wave")
    summary = write_sample_wave(out, respondents=215)
    return out, summary, read_export(out / "survey_export.csv")


# --- determinism -----------------------------------------------------------------------------------


def test_same_seed_gives_identical_files_and_another_seed_differs(tmp_path: Path) -> None:
    first, again, other = tmp_path / "first", tmp_path / "again", tmp_path / "other"
    write_sample_wave(first, respondents=60, seed=7)
    write_sample_wave(again, respondents=60, seed=7)
    write_sample_wave(other, respondents=60, seed=8)
    for name in ("survey_export.csv", "withdrawals.csv", *WORKBOOKS):
        assert (first / name).read_bytes() == (again / name).read_bytes(), name
    assert (first / "survey_export.csv").read_bytes() != (other / "survey_export.csv").read_bytes()


def test_committed_sample_equals_what_the_generator_writes_now(tmp_path: Path) -> None:
    summary = write_sample_wave(tmp_path)
    missing = [name for name in summary.files if not (BUNDLED / name).is_file()]
    assert not missing, f"the bundled sample lacks {missing}"
    for name in ("survey_export.csv", "withdrawals.csv"):
        assert (BUNDLED / name).read_bytes() == (tmp_path / name).read_bytes(), (
            f"{name} drifted: regenerate with `python -m verkenning.sample --out data/inbox/2024-01`"
        )
    for name in WORKBOOKS:
        assert workbook_content(BUNDLED / name) == workbook_content(tmp_path / name), name


# --- the export ------------------------------------------------------------------------------------


def test_header_is_the_codebook_export_columns(wave) -> None:
    out, _, _ = wave
    with (out / "survey_export.csv").open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == CODEBOOK.export_columns()


def test_file_is_utf8_comma_separated_with_one_blank_line_at_the_end(wave) -> None:
    out, _, export = wave
    data = (out / "survey_export.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\n\n") and not data.endswith(b"\n\n\n")
    open_text = export[["OPEN_USE", "OPEN_CONCERN", "OPEN_SUPPORT"]].stack()
    assert open_text.str.contains("\n").any() and open_text.str.contains('"').any()
    assert open_text.str.contains(";").any()


@pytest.mark.parametrize("respondents", [1, 37, 215])
def test_completed_people_equal_respondents(tmp_path: Path, respondents: int) -> None:
    summary = write_sample_wave(tmp_path, respondents=respondents, workshops=False, withdrawals=False)
    export = read_export(tmp_path / "survey_export.csv")
    assert summary.completed == respondents
    assert count_completed_people(export, CODEBOOK) == respondents
    assert summary.rows == len(export) == summary.completed + summary.incomplete + summary.test + summary.duplicates


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(respondents=st.integers(min_value=0, max_value=120), seed=st.integers(min_value=0, max_value=2**31))
def test_any_seed_and_size_gives_exactly_the_respondents_and_only_known_codes(
    tmp_path: Path, respondents: int, seed: int
) -> None:
    out = tmp_path / f"{respondents}-{seed}"
    summary = write_sample_wave(out, respondents=respondents, seed=seed, workshops=False)
    export = read_export(out / "survey_export.csv")
    assert count_completed_people(export, CODEBOOK) == summary.completed == respondents
    assert not unknown_code_rows(export, CODEBOOK).any()
    assert export["startdate"].tolist() == sorted(export["startdate"])


def test_row_kinds_are_all_present(wave) -> None:
    _, summary, export = wave
    assert summary.incomplete == round(215 * 0.15) and summary.test == 3 and summary.duplicates == 5
    assert export["id"].astype(int).tolist() == list(range(1, len(export) + 1))
    assert export["startdate"].tolist() == sorted(export["startdate"])
    incomplete = export[export["submitdate"] == ""]
    assert (incomplete["lastpage"].astype(int) < 5).all()
    assert (export.loc[export["submitdate"] != "", "lastpage"] == "5").all()
    tokens = export.loc[export["token"] != "", "token"]
    assert tokens.str.startswith("test").sum() >= 1
    assert (export["startdate"] < CODEBOOK.fielded_from.isoformat()).sum() >= 1
    # Duplicates: the same token twice, and an e-mail address that differs only in case or spaces.
    assert tokens[~tokens.str.startswith("test")].duplicated().any()
    emails = export.loc[export["EMAIL"] != "", "EMAIL"]
    assert (emails.groupby(emails.str.strip().str.lower()).nunique() > 1).any()


def test_timestamps_and_metadata_are_plausible(wave) -> None:
    _, _, export = wave
    stamp = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"
    assert export["startdate"].str.fullmatch(stamp).all() and export["datestamp"].str.fullmatch(stamp).all()
    completed = export[export["submitdate"] != ""]
    assert (completed["submitdate"] == completed["datestamp"]).all()
    elapsed = pd.to_datetime(export["datestamp"]) - pd.to_datetime(export["startdate"])
    assert (elapsed.dt.total_seconds() == export["interviewtime"].astype(float).astype(int)).all()
    assert export["startdate"].max() <= CODEBOOK.fielded_to.isoformat() + " 23:59:59"
    assert export["ipaddr"].str.fullmatch(r"\d{1,3}(\.\d{1,3}){3}").all()
    assert (export["startlanguage"] == "nl").all()


def test_every_coded_cell_is_a_codebook_code_and_some_carry_mess(wave) -> None:
    _, _, export = wave
    assert not unknown_code_rows(export, CODEBOOK).any()
    messy = sum(int(((export[c] != "") & (export[c] != codes(export[c]))).sum()) for c in CODEBOOK.coded_columns())
    assert 3 <= messy <= 60  # a few stray spaces and lower-case codes, not a mess everywhere


def test_conditions_other_texts_and_required_questions(wave) -> None:
    _, _, export = wave
    for question in CODEBOOK.questions:
        if question.shown_if is not None:
            condition = question.shown_if
            target = codes(export[condition.question])
            wanted = {c.upper() for c in condition.codes}
            if condition.operator == "==":
                holds = target.isin(wanted)
            elif condition.operator == "!=":
                holds = ~target.isin(wanted) & (target != "")
            else:
                holds = target.isin(wanted)
            for column in question.export_columns():
                assert (export.loc[~holds, column] == "").all(), f"{column} filled while {condition.source} is false"
        if question.type == "single" and question.other:
            other_typed = export[question.other_column] != ""
            assert (codes(export.loc[other_typed, question.code]) == OTHER_CODE.upper()).all()
    completed = export[export["submitdate"] != ""]
    for question in CODEBOOK.questions:
        if question.required and question.shown_if is None and question.type in ("single", "array"):
            for column in question.export_columns():
                if not column.endswith("[other]"):
                    assert (completed[column] != "").all(), f"required {column} empty in a completed row"


def test_multi_questions_respect_max_answers(wave) -> None:
    _, _, export = wave
    limited = [q for q in CODEBOOK.questions if q.max_answers]
    assert limited, "the codebook has a question with max_answers (RISKS)"
    for question in limited:
        ticks = sum((codes(export[question.item_column(o)]) == "Y").astype(int) for o in question.options)
        assert ticks.max() <= question.max_answers
        assert (ticks == question.max_answers).any()


def test_answers_are_realistically_skewed(wave) -> None:
    _, _, export = wave
    completed = export[export["submitdate"] != ""]
    sector = CODEBOOK.question("SECTOR")
    heritage = codes(completed["SECTOR"]).isin(sector.generalise["HERITAGE"]).mean()
    assert 0.35 <= heritage <= 0.55
    monthly = codes(completed["OWNUSE"]).isin(["A1", "A2", "A3"]).mean()
    assert 0.33 <= monthly <= 0.53
    users = completed[codes(completed["OWNUSE"]) != "A5"]
    chatgpt, images = ((codes(users[c]) == "Y").mean() for c in ("TOOLS[SQ001]", "TOOLS[SQ004]"))
    assert chatgpt > 2 * images
    familiar = codes(completed["FAMILIAR"]).str[1:].astype(int)
    never = codes(completed["OWNUSE"]) == "A5"
    assert familiar[never].mean() < familiar[~never].mean() - 0.5
    assert codes(completed["EXPECT[SQ003]"]).isin(["A4", "A5"]).mean() > 0.65


def test_open_answers_carry_personal_data_to_find(wave) -> None:
    _, _, export = wave
    text = "\n".join(export[["OPEN_USE", "OPEN_CONCERN", "OPEN_SUPPORT"]].stack())
    assert re.search(r"[\w.]+@[\w-]+\.nl", text) and re.search(r"\[at\]|\(at\)| @ ", text)
    assert re.search(r"06-\d{8}|\+31 6 \d{4} \d{4}|0\d{2}-\d{7}", text)
    assert re.search(r"[\U0001F300-\U0001FAFF]", text)
    filled = (export.loc[export["submitdate"] != "", "OPEN_CONCERN"] != "").mean()
    assert 0.35 <= filled <= 0.7
    assert export["ORGNAME"].isin(["Rijksmuseum", "Nationaal Archief", "KB", "Beeld en Geluid"]).any() or (
        export["ORGNAME"].str.contains("Museum|Archief|Bibliotheek").any()
    )


def test_corrupt_share_gives_that_share_of_rows_with_unknown_codes(tmp_path: Path) -> None:
    summary = write_sample_wave(tmp_path, respondents=80, corrupt_share=0.3, workshops=False, withdrawals=False)
    export = read_export(tmp_path / "survey_export.csv")
    bad = unknown_code_rows(export, CODEBOOK)
    assert summary.corrupted == int(bad.sum()) == int(0.3 * len(export) + 0.5)
    assert count_completed_people(export, CODEBOOK) == 80


def test_withdrawals_name_completed_respondents(wave) -> None:
    out, _, export = wave
    withdrawals = pd.read_csv(out / "withdrawals.csv", dtype=str, keep_default_na=False)
    assert list(withdrawals.columns) == ["token", "email", "datum"]
    assert 2 <= len(withdrawals) <= 3
    completed = export[(export["submitdate"] != "") & ~export["token"].str.startswith("test")]
    tokens = set(completed["token"]) - {""}
    emails = set(completed["EMAIL"].str.strip().str.lower()) - {""}
    for token, email, day in withdrawals.itertuples(index=False):
        assert token or email
        assert (token in tokens) if token else (email.strip().lower() in emails)
        assert date.fromisoformat(day).strftime("%Y-%m") == "2024-02"
    by_email = withdrawals[withdrawals["token"] == ""]
    assert len(by_email) == 1 and by_email["email"].iloc[0] not in set(completed["EMAIL"])
    assert ((withdrawals["email"] == "") & (withdrawals["token"] != "")).sum() == 1


# --- other export formats --------------------------------------------------------------------------


def test_xlsx_export_holds_the_same_values_as_the_csv(tmp_path: Path) -> None:
    write_sample_wave(tmp_path / "csv", respondents=40, workshops=False, withdrawals=False)
    write_sample_wave(tmp_path / "xlsx", respondents=40, export_format="xlsx", workshops=False, withdrawals=False)
    from_csv = read_export(tmp_path / "csv" / "survey_export.csv")
    sheet = load_workbook(tmp_path / "xlsx" / "survey_export.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(from_csv.columns)
    for name in ("id", "lastpage", "seed", "interviewtime"):
        assert all(isinstance(row[from_csv.columns.get_loc(name)], (int, float)) for row in rows[1:])

    # Numbers compared as numbers (Excel drops the ".00" of 300.00), everything else as text.
    numeric = ["id", "lastpage", "seed", "interviewtime"]
    from_xlsx = pd.DataFrame([["" if v is None else str(v) for v in row] for row in rows[1:]], columns=from_csv.columns)
    for frame in (from_xlsx, from_csv):
        frame[numeric] = frame[numeric].map(lambda v: repr(float(v)))
    pd.testing.assert_frame_equal(from_xlsx, from_csv)


def test_csv_excel_variant_is_semicolon_cp1252(tmp_path: Path) -> None:
    write_sample_wave(tmp_path / "csv", respondents=60, workshops=False, withdrawals=False)
    write_sample_wave(tmp_path / "excel", respondents=60, export_format="csv-excel", workshops=False, withdrawals=False)
    data = (tmp_path / "excel" / "survey_export.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n\r\n")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # é, ë and the like are single cp1252 bytes
    text = data.decode("cp1252")
    from_excel = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    from_csv = read_export(tmp_path / "csv" / "survey_export.csv")
    expected = from_csv.map(lambda v: v.encode("cp1252", errors="replace").decode("cp1252"))
    pd.testing.assert_frame_equal(from_excel, expected)


# --- workshops -------------------------------------------------------------------------------------


def test_workbooks_have_the_four_sheets_and_merged_cells(wave) -> None:
    out, _, _ = wave
    sheet_name_styles = set()
    for name in WORKBOOKS:
        workbook = load_workbook(out / name)
        sheets = sheets_by_name(out / name)
        assert set(sheets) == SHEETS
        sheet_name_styles.add(tuple(workbook.sheetnames))
        assert any(sheet.merged_cells.ranges for sheet in workbook.worksheets)
    assert len(sheet_name_styles) == 2  # one workbook writes its sheet names differently


def test_workbook_contents_are_consistent(wave) -> None:
    out, _, _ = wave
    categories = {"toepassing": "Toepassing", "kans": "Kans", "zorg": "Zorg"}
    multi_line_notes = 0
    for name in WORKBOOKS:
        sheets = sheets_by_name(out / name)
        people = sheet_records(sheets["deelnemers"])
        assert 12 <= len(people) <= 24
        size = pd.Series([p["tafel"] for p in people]).value_counts().to_dict()
        assert len(size) in (3, 4)

        notes = sheet_records(sheets["stand van zaken"])
        assert 15 <= len(notes) <= 30
        assert {n["tafel"] for n in notes} == set(size)
        canonical = [next((v for k, v in categories.items() if n["categorie"].lower().startswith(k)), None)
                     for n in notes]
        assert None not in canonical, [n["categorie"] for n in notes]
        multi_line_notes += sum("\n" in n["notitie"] for n in notes)

        for row in sheet_records(sheets["toekomst 2030"]):
            votes = sum(int(row[k] or 0) for k in ("eens", "neutraal", "oneens"))
            assert votes <= size[row["tafel"]]

        support = sheet_records(sheets["ondersteuning"])
        assert all(re.fullmatch(r"\d+( stemmen| stem)?|I+|", s["stemmen"]) for s in support)
        assert any(s["stemmen"] == "" for s in support)
    assert multi_line_notes > 0
