"""Staging of the workshop tables: the parsers on every way facilitators write things, the bundled sample
workbooks, and a small facilitator workbook with planted problems that must end up in the quarantine."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pandas as pd
import pytest

from conftest import SAMPLE_WAVE_DIR
from schemas.workshop_layout import load_workshop_layout
from verkenning.ingest.workbooks import empty_sheet_table, normalise_name, read_workbook
from verkenning.staging.workshops import (
    QUARANTINE_COLUMNS,
    SHEET_KINDS,
    TIDY_COLUMNS,
    StagedWorkshops,
    UnreadableValue,
    meeting_id,
    normalise_category,
    normalise_theme,
    parse_count,
    parse_votes,
    stage_workshops,
    table_label,
)

LAYOUT = load_workshop_layout()
SAMPLE_WORKBOOKS = sorted(SAMPLE_WAVE_DIR.glob("workshop_*.xlsx"))


def raw_tables(paths) -> dict[str, pd.DataFrame]:
    """The raw tables of a wave as the pipeline builds them: each sheet kind concatenated over the workbooks."""
    reads = [read_workbook(path, LAYOUT) for path in paths]
    return {
        sheet.table: pd.concat([read.sheets[sheet.table].frame for read in reads], ignore_index=True)
        for sheet in LAYOUT.sheets
    }


def worksheet_row(path, kind: str, row_number: int) -> list[str]:
    """The cells of one row of a workbook's sheet as Excel shows them, read independently with openpyxl."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    wanted = normalise_name(LAYOUT.sheet(kind).sheet)
    sheet = next(workbook[name] for name in workbook.sheetnames if normalise_name(name) == wanted)
    row = next(sheet.iter_rows(min_row=row_number, max_row=row_number, values_only=True))
    workbook.close()
    return [str(value).strip() for value in row if value is not None]


# --- The parsers ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("written", "votes"),
    [
        ("3", 3), ("3 stemmen", 3), ("1 stem", 1), ("3 stem", 3), ("III", 3), ("IIII I", 5), ("||||", 4),
        ("•••", 3), ("3x", 3), ("3 x", 3), (" 12 ", 12), ("3.0", 3), ("0", 0), ("I", 1), ("iii", 3),
        ("IIII/", 5), ("geen", 0), ("-", 0), ("7 Stemmen", 7), ("3\u00a0stemmen", 3), (None, None), ("", None),
        ("   ", None),
    ],
)
def test_votes_are_read_however_they_are_written(written, votes):
    assert parse_votes(written) == votes


@pytest.mark.parametrize("written", ["veel", "-3", "2.5", "??", "IV", "3 koppen", "drie", "III (3)", "x3 stemmen"])
def test_unreadable_votes_say_what_to_write(written):
    with pytest.raises(UnreadableValue) as error:
        parse_votes(written)
    message = str(error.value)
    assert repr(written) in message and "number of dots" in message and "'3 stemmen' or III" in message


@pytest.mark.parametrize(("written", "count"), [("3", 3), (" 3 ", 3), ("3.0", 3), ("0", 0), ("II", 2), ("geen", 0), (None, None), ("", None)])
def test_counts_of_a_statement_are_whole_numbers(written, count):
    assert parse_count(written) == count


@pytest.mark.parametrize(("written", "problem"), [("veel", "neither a number"), ("-3", "negative"), ("1.5", "not a whole number")])
def test_unreadable_counts_say_why(written, problem):
    with pytest.raises(UnreadableValue, match=problem):
        parse_count(written)


@pytest.mark.parametrize(
    ("written", "category"),
    [
        ("Toepassing", "Toepassing"), ("toepassing ", "Toepassing"), ("Toepassingen", "Toepassing"),
        ("TOEPASSING", "Toepassing"), ("Kans", "Kans"), ("kansen", "Kans"), ("Kansen", "Kans"), ("kans ", "Kans"),
        ("KANS.", "Kans"), ("Mogelijkheden", "Kans"), ("Zorg", "Zorg"), ("zorg", "Zorg"), ("Zorgen", "Zorg"),
        ("ZORG", "Zorg"), ("  zorg:", "Zorg"), ("Risico", "Zorg"), ("risico’s", "Zorg"), ("Zorg\u00a0", "Zorg"),
        (None, None), ("  ", None),
    ],
)
def test_categories_map_to_the_vocabulary(written, category):
    assert normalise_category(written) == category


@pytest.mark.parametrize("written", ["Vraag", "Overig", "Zorg/Kans", "Toepassing Kans"])
def test_an_unknown_category_names_the_vocabulary(written):
    with pytest.raises(UnreadableValue, match="not one of Toepassing, Kans, Zorg") as error:
        normalise_category(written)
    assert "schemas/workshop_layout.yaml" in str(error.value)


def test_every_category_spelling_of_the_sample_generator_is_in_the_vocabulary():
    from verkenning.sample.vocabulary import CATEGORY_SPELLINGS, THEME_SPELLINGS

    for category, spellings in CATEGORY_SPELLINGS.items():
        assert {normalise_category(s) for s in spellings} == {category}
    for theme, spellings in THEME_SPELLINGS.items():
        assert {normalise_theme(s) for s in spellings} == {theme}


@pytest.mark.parametrize(
    ("written", "theme"),
    [("kennis", "Kennis"), ("Juridisch ", "Juridisch"), ("Geld / financiering", "Financiering"),
     ("geld/financiering", "Financiering"), ("erfgoeddata", "Erfgoeddata"), ("  publieksbereik  ", "Publieksbereik"),
     (None, None)],
)
def test_themes_known_or_tidied(written, theme):
    assert normalise_theme(written) == theme


@pytest.mark.parametrize(
    ("written", "label"),
    [("Tafel 1", "1"), ("tafel 1 ", "1"), ("1", "1"), ("1.0", "1"), ("TAFEL 12", "12"), ("Tafel nr. 3", "3"),
     ("tafel\u00a02", "2"), ("A", "A"), (" a ", "A"), ("Tafel A", "A"), (" Groen ", "Groen"), ("Tafel", "Tafel"),
     (None, None), ("", None)],
)
def test_table_labels(written, label):
    assert table_label(written) == label


@pytest.mark.parametrize(
    ("day", "place", "meeting"),
    [(date(2024, 2, 15), "Utrecht", "2024-02-15_utrecht"), (date(2024, 3, 7), "Den Haag", "2024-03-07_den-haag"),
     (date(2024, 3, 21), "'s-Hertogenbosch", "2024-03-21_s-hertogenbosch")],
)
def test_meeting_ids_follow_the_file_names(day, place, meeting):
    assert meeting_id(day, place) == meeting


# --- The bundled sample ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_raw() -> dict[str, pd.DataFrame]:
    assert len(SAMPLE_WORKBOOKS) == 3
    return raw_tables(SAMPLE_WORKBOOKS)


@pytest.fixture(scope="module")
def sample(sample_raw) -> StagedWorkshops:
    return stage_workshops(**sample_raw)


def test_the_sample_stages_without_quarantine_and_accounts_for_every_row(sample, sample_raw):
    assert sample.quarantine.empty
    assert sample.every_row_accounted_for
    accounting = sample.accounting().set_index("sheet_kind")
    for kind in SHEET_KINDS:
        assert accounting.at[kind, "rows_in"] == len(sample_raw[kind]) == len(sample.tidy(kind))


def test_the_sample_tables_have_their_columns_and_types(sample):
    for kind in SHEET_KINDS:
        table = sample.tidy(kind)
        assert tuple(table.columns) == TIDY_COLUMNS[kind], kind
        assert set(table["meeting"]) == {"2024-02-15_utrecht", "2024-03-07_amsterdam", "2024-03-21_zwolle"}
        assert all(isinstance(d, date) for d in table["meeting_date"])
        assert set(table["table"]) <= {"1", "2", "3", "4"}
        assert str(table["row_number"].dtype) == "Int64"
    for column in ("agree", "neutral", "disagree"):
        assert str(sample.statements[column].dtype) == "Int64"
    assert str(sample.support_needs["votes"].dtype) == "Int64"


def test_every_sample_category_is_in_the_vocabulary(sample, sample_raw):
    assert set(sample.sticky_notes["category"]) == set(LAYOUT.vocabulary("category").labels)
    assert sample_raw["sticky_notes"]["Categorie"].nunique() > 3, "the sample spells categories in several ways"


def test_sample_votes_are_all_parsed_and_fit_the_tables(sample, sample_raw):
    raw_votes = sample_raw["support_needs"]["Stemmen"]
    assert raw_votes.str.fullmatch(r"I+").any() and raw_votes.str.contains("stem").any() and raw_votes.isna().any()
    assert sample.support_needs["votes"].notna().all()
    sizes = sample.attendance.groupby(["meeting", "table"]).size()
    dots = sample.support_needs.groupby(["meeting", "table"])["votes"].sum()
    assert (dots <= 3 * sizes.reindex(dots.index)).all(), "three dots per participant at most"
    assert set(sample.support_needs["theme"]) == set(LAYOUT.vocabulary("theme").labels)


def test_sample_statement_counts_are_consistent_with_attendance(sample):
    statements = sample.statements
    assert statements[["agree", "neutral", "disagree"]].notna().all().all()
    voters = statements["agree"] + statements["neutral"] + statements["disagree"]
    sizes = sample.attendance.groupby(["meeting", "table"]).size()
    table_size = pd.Series([sizes[(m, t)] for m, t in zip(statements["meeting"], statements["table"])], dtype="Int64")
    assert ((voters >= 1) & (voters <= table_size)).all()
    assert not statements["statement"].str.endswith(" ").any()


def test_sample_notes_are_kept_whole(sample, sample_raw):
    raw_notes = sample_raw["sticky_notes"]["Notitie"].str.strip().tolist()
    assert sample.sticky_notes["note"].tolist() == raw_notes
    assert sample.sticky_notes["note"].str.contains("\n").any(), "the sample has multi-line notes"


def test_sample_row_numbers_point_back_to_the_excel_rows(sample):
    folder = {p.name: p for p in SAMPLE_WORKBOOKS}
    multi_line = sample.sticky_notes[sample.sticky_notes["note"].str.contains("\n")].iloc[0]
    assert multi_line["note"] in worksheet_row(folder[multi_line["source_file"]], "sticky_notes", multi_line["row_number"])
    for kind, column in (("statements", "statement"), ("support_needs", "need"), ("attendance", "email")):
        row = sample.tidy(kind).dropna(subset=[column]).iloc[-1]
        cells = worksheet_row(folder[row["source_file"]], kind, row["row_number"])
        assert row[column] in [c.lower() if column == "email" else c for c in cells], kind


def test_an_unbalanced_staging_is_noticed(sample, sample_raw):
    short = StagedWorkshops(
        sticky_notes=sample.sticky_notes.iloc[1:], statements=sample.statements, support_needs=sample.support_needs,
        attendance=sample.attendance, quarantine=sample.quarantine, rows_in=sample.rows_in,
    )
    assert not short.every_row_accounted_for
    assert not short.accounting().set_index("sheet_kind").at["sticky_notes", "accounted_for"]


def test_a_wave_without_workbooks_stages_to_empty_tables():
    staged = stage_workshops(**{s.table: empty_sheet_table(s) for s in LAYOUT.sheets})
    for kind in SHEET_KINDS:
        assert staged.tidy(kind).empty and tuple(staged.tidy(kind).columns) == TIDY_COLUMNS[kind]
    assert staged.quarantine.empty and tuple(staged.quarantine.columns) == QUARANTINE_COLUMNS
    assert staged.every_row_accounted_for


def test_staged_tables_survive_parquet(sample, tmp_path):
    for kind in SHEET_KINDS:
        path = tmp_path / f"{kind}.parquet"
        sample.tidy(kind).to_parquet(path)
        back = pd.read_parquet(path)
        assert back["row_number"].tolist() == sample.tidy(kind)["row_number"].tolist()


# --- A facilitator's workbook with planted problems ---------------------------------------------

FIXTURE_NAME = "workshop_2024-02-15_utrecht.xlsx"
PERSONAL_VALUES = ("Anna de Vries", "Bram Jansen", "Mag dat wel", "Modelcontract", "Chatbot")


def write_sheet(workbook, name: str, titles: list[str], header: list[str], rows: list[list[object]]):
    sheet = workbook.create_sheet(name)
    for title in titles:
        sheet.append([title])
    if titles:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return sheet


@pytest.fixture(scope="module")
def fixture_workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("inbox") / FIXTURE_NAME
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    write_sheet(workbook, "Deelnemers", ["Deelnemerslijst Utrecht"], ["Naam", "E-mail", "Organisatie", "Sector", "Tafel"], [
        ["Anna de Vries ", " A.deVries@Museum.nl", "Museum X", "museum ", "Tafel 1"],  # row 3
        ["Bram Jansen", None, "Archief Y", "Archief", 2],                               # row 4
        [None, None, "Bibliotheek Z", None, 1],                                         # row 5: who?
    ])
    notes = write_sheet(workbook, "Stand van zaken", ["Werkvorm 1", "Utrecht, 15 februari 2024"],
                        [" TAFEL ", "Categorie", "Notitie ", "Auteur"], [
        ["Tafel 1", "zorg ", "Wie is eigenaar\nvan de output?", None],                 # row 4
        [None, "Kansen", "Transcriptie scheelt tijd", "Anna de Vries"],                # row 5
        [None, "Vraag", "Mag dat wel?", None],                                          # row 6: unknown category
        [],                                                                              # row 7: blank
        ["Tafel 2", "TOEPASSING", "Beeldherkenning in de collectie", None],             # row 8
        [2, "Risico", None, "Bram Jansen"],                                             # row 9: no text
        [2, None, "Een notitie zonder categorie", None],                                # row 10: no category
        ["A", "toepassingen", "  Chatbot   op de site  ", None],                        # row 11
    ])
    notes.merge_cells("A4:A6")
    write_sheet(workbook, "Toekomst 2030", ["Werkvorm 2"], ["Tafel", "Stelling", "Eens", "Neutraal", "Oneens"], [
        ["Tafel 1", "In 2030 is AI overal  ", 3, None, 1],                               # row 3: neutral 0
        ["Tafel 1", "In 2030 is AI nergens", "veel", 1, 0],                             # row 4: unreadable
        ["Tafel 2", "In 2030 is AI overal", 2, 2, "-3"],                                # row 5: negative
        ["Tafel 2", "In 2030 is AI nergens", None, None, None],                         # row 6: not recorded
        ["Tafel 2", None, 1, 2, 3],                                                      # row 7: no statement
        [2, "In 2030 is AI\nalles", "III", "2.0", " 1 "],                               # row 8
        ["Tafel 3", "In 2030 is AI overal", "veel", "??", 1],                           # row 9: two problems
    ])
    needs = write_sheet(workbook, "Ondersteuning", ["Werkvorm 3", "Utrecht"], ["Tafel", "Behoefte", "Thema", "Stemmen"], [
        ["Tafel 1", "Basistraining", "kennis", "3 stemmen"],                            # row 4
        [None, "Helpdesk", "Techniek ", "IIII I"],                                       # row 5
        [None, "Fonds", "Geld / financiering", None],                                    # row 6: 0, table voted
        [None, "Modelcontract", "juridisch", "??"],                                      # row 7: unreadable
        ["Tafel 2", "Netwerk", "netwerk", None],                                         # row 8: table did not vote
        ["Tafel 2", "Lijst met tools", "erfgoeddata", None],                             # row 9
        ["Tafel 3", "Kennisdeling", None, "3x"],                                         # row 10
        ["Tafel 3", "Ethisch kader", "ethiek", "•••"],                                   # row 11
    ])
    needs.merge_cells("A4:A7")
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def fixture_staged(fixture_workbook) -> StagedWorkshops:
    return stage_workshops(**raw_tables([fixture_workbook]))


EXPECTED_QUARANTINE = [
    # (sheet kind, sheet, row, column, words of the reason)
    ("attendance", "Deelnemers", 5, "Naam, E-mail", "neither a name nor an e-mail"),
    ("statements", "Toekomst 2030", 4, "Eens", "Eens count 'veel' cannot be read as a number of participants"),
    ("statements", "Toekomst 2030", 5, "Oneens", "'-3' cannot be read as a number of participants (it is negative)"),
    ("statements", "Toekomst 2030", 7, "Stelling", "no statement"),
    ("statements", "Toekomst 2030", 9, "Eens, Neutraal", "Eens count 'veel' cannot be read as a number of participants"
     " (it is neither a number nor tally marks); write a whole number such as 0 or 3; Neutraal count '??'"),
    ("sticky_notes", "Stand van zaken", 6, "Categorie", "category 'Vraag' is not one of Toepassing, Kans, Zorg"),
    ("sticky_notes", "Stand van zaken", 9, "Notitie", "the sticky note has no text"),
    ("sticky_notes", "Stand van zaken", 10, "Categorie", "the sticky note has no category"),
    ("support_needs", "Ondersteuning", 7, "Stemmen", "votes '??' cannot be read as a number of dots"),
]


def test_planted_problems_are_quarantined_with_file_sheet_row_column_and_reason(fixture_staged):
    quarantine = fixture_staged.quarantine
    assert tuple(quarantine.columns) == QUARANTINE_COLUMNS
    found = sorted(zip(quarantine["sheet_kind"], quarantine["sheet"], quarantine["row_number"], quarantine["column"]))
    assert found == sorted((kind, sheet, row, column) for kind, sheet, row, column, _ in EXPECTED_QUARANTINE)
    assert set(quarantine["source_file"]) == {FIXTURE_NAME}
    for kind, _, row, _, words in EXPECTED_QUARANTINE:
        reason = quarantine.loc[(quarantine["sheet_kind"] == kind) & (quarantine["row_number"] == row), "reason"].item()
        assert words in reason, (kind, row, reason)


def test_quarantined_rows_keep_their_original_values_and_leave_the_tidy_tables(fixture_staged):
    quarantine = fixture_staged.quarantine
    for kind in SHEET_KINDS:
        rows = set(quarantine.loc[quarantine["sheet_kind"] == kind, "row_number"])
        assert not rows & set(fixture_staged.tidy(kind)["row_number"]), kind
    no_text = quarantine.loc[(quarantine["sheet_kind"] == "sticky_notes") & (quarantine["row_number"] == 9)].iloc[0]
    assert json.loads(no_text["original_values"]) == {"Tafel": "2", "Categorie": "Risico", "Notitie": None, "Auteur": "Bram Jansen"}
    assert fixture_staged.every_row_accounted_for
    assert fixture_staged.accounting()["rows_quarantined"].tolist() == [3, 4, 1, 1]


def test_reasons_never_show_personal_values(fixture_staged):
    reasons = " ".join(fixture_staged.quarantine["reason"])
    for value in PERSONAL_VALUES:
        assert value not in reasons


def test_fixture_sticky_notes_are_tidy(fixture_staged):
    notes = fixture_staged.sticky_notes
    assert notes["row_number"].tolist() == [4, 5, 8, 11]
    assert notes["table"].tolist() == ["1", "1", "2", "A"], "merged Tafel cells fill every note"
    assert notes["category"].tolist() == ["Zorg", "Kans", "Toepassing", "Toepassing"]
    assert notes["note"].tolist()[0] == "Wie is eigenaar\nvan de output?"
    assert notes["note"].tolist()[3] == "Chatbot   op de site"
    assert notes["author"].isna().tolist() == [True, False, True, True]
    assert set(notes["meeting"]) == {"2024-02-15_utrecht"} and set(notes["meeting_place"]) == {"Utrecht"}


def test_fixture_statements_read_empty_counts_as_zero_only_when_the_vote_was_recorded(fixture_staged):
    statements = fixture_staged.statements.set_index("row_number")
    assert statements.loc[3, ["agree", "neutral", "disagree"]].tolist() == [3, 0, 1]
    assert statements.loc[6, ["agree", "neutral", "disagree"]].isna().all()
    assert statements.loc[8, ["agree", "neutral", "disagree"]].tolist() == [3, 2, 1]
    assert statements.loc[3, "statement"] == "In 2030 is AI overal"
    assert statements.loc[8, "statement"] == "In 2030 is AI alles"


def test_fixture_votes_read_empty_cells_as_zero_only_at_tables_that_voted(fixture_staged):
    needs = fixture_staged.support_needs.set_index("row_number")
    missing = -1
    assert needs["votes"].fillna(missing).to_dict() == {4: 3, 5: 5, 6: 0, 8: missing, 9: missing, 10: 3, 11: 3}
    assert needs["table"].tolist() == ["1", "1", "1", "2", "2", "3", "3"]
    assert needs["theme"].fillna("(none)").tolist() == [
        "Kennis", "Techniek", "Financiering", "Netwerk", "Erfgoeddata", "(none)", "Ethiek"]


def test_fixture_attendance_is_trimmed(fixture_staged):
    attendance = fixture_staged.attendance
    assert attendance["name"].tolist() == ["Anna de Vries", "Bram Jansen"]
    assert attendance["email"].tolist()[0] == "a.devries@museum.nl"
    assert attendance["table"].tolist() == ["1", "2"]
    assert attendance["sector"].tolist() == ["museum", "Archief"]
