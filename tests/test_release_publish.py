"""Release publication: one immutable folder per release, written whole or not at all, never changed afterwards."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from verkenning.release import (
    ReleaseInputs,
    content_fingerprint,
    list_releases,
    neutralise_formulas,
    publish_release,
    verify_release,
)
from verkenning.release import publish

WAVE = "2024-01"
FIRST_RUN = datetime(2026, 11, 3, 9, 30, 12, tzinfo=timezone.utc)
SECOND_RUN = datetime(2026, 11, 4, 14, 0, 0, tzinfo=timezone.utc)
FORMULA_LIKE_ANSWERS = ["=SUM(A1)", "+31 6 12345678", "-3", "@home"]


def question_frequencies() -> pd.DataFrame:
    rows = [
        ("Q1", "", "1", "Ja", "Yes", 12, 20, 60.0, False, ""),
        ("Q1", "", "2", "Nee", "No", 8, 20, 40.0, False, ""),
        ("Q2", "SQ001", "1", "Mee eens", "Agree", None, 20, None, True, "primary"),
        ("Q2", "SQ001", "2", "Oneens", "Disagree", None, 20, None, True, "secondary"),
        ("Q2", "SQ001", "3", "Neutraal", "Neutral", 14, 20, 70.0, False, ""),
    ]
    frame = pd.DataFrame(
        rows,
        columns=["question_code", "item_code", "option_code", "label_nl", "label_en",
                 "n", "base_n", "pct", "suppressed", "suppression"],
    )
    frame.insert(0, "wave", WAVE)
    return frame.astype({"n": "Int64", "base_n": "Int64", "pct": "Float64", "suppression": "string"})


def respondents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pseudonym": ["p01", "p02", "p03", "p04", "p05", "p06"],
            "sector_group": ["erfgoed", "podium", "erfgoed", None, "media", "podium"],
            "ai_use_text": pd.array([*FORMULA_LIKE_ANSWERS, "We gebruiken [ORGANISATIE] voor vertalingen", None],
                                    dtype="string"),
            "hours_saved": [-4, 0, 3, -1, 12, 2],
            "trust_score": [-1.5, 2.25, None, 0.0, 3.5, -0.75],
        }
    )


def release_inputs(**changes) -> ReleaseInputs:
    inputs = ReleaseInputs(
        wave=WAVE,
        tables={"question_frequencies": question_frequencies(), "respondents": respondents()},
        column_descriptions={
            "question_frequencies": {"n": "Aantal respondenten met dit antwoord", "pct": "Percentage van base_n"},
            "respondents": {"ai_use_text": "Open antwoord over AI-gebruik, gede-identificeerd"},
        },
        table_descriptions={
            "question_frequencies": "Frequenties per vraag en antwoordoptie.",
            "respondents": "Geanonimiseerde microdata, één rij per respondent.",
        },
        sources=[{"name": "survey_export.csv", "sha256": "a" * 64, "rows": 255}],
        disclosure_parameters={"min_count": 5, "k": 5, "suppression_order": ["region", "size", "role", "sector"]},
        risk_report={
            "k_reached": 5,
            "values_suppressed_per_quasi_identifier": {"region": 7, "size": 2},
            "cells_suppressed_per_table": {"question_frequencies": {"primary": 1, "secondary": 1}},
            "redactions_per_placeholder": {"[ORGANISATIE]": 1, "[PERSOON]": 0},
        },
        codebook_sha256="c" * 64,
        code_version="4db4be5",
        snapshot_id=17,
        explanation={
            "wave": "Eerste meting, januari 2024.",
            "sources": "De export van de online vragenlijst.",
            "anonymisation": "Pseudoniemen, k-anonimiteit met k = 5, open tekst gede-identificeerd.",
            "suppression": "Aantallen onder 5 en aanvullende cellen zijn onderdrukt.",
        },
    )
    return dataclasses.replace(inputs, **changes)


def file_states(folder: Path) -> dict[str, tuple[str, int]]:
    """SHA-256 and modification time of every file, to show a release was neither rewritten nor touched."""
    return {
        path.name: (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(folder.iterdir())
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def releases_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "releases"


@pytest.fixture
def first_release(releases_dir: Path):
    return publish_release(releases_dir, release_inputs(), now=FIRST_RUN)


def test_first_publication_creates_r1_whose_manifest_matches_its_files(releases_dir, first_release):
    assert first_release.created
    assert first_release.release_id == "r1"
    assert first_release.path == releases_dir / WAVE / "r1"
    assert verify_release(first_release.path) == []

    manifest = json.loads((first_release.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == first_release.manifest
    assert manifest["wave"] == WAVE and manifest["release_id"] == "r1"
    assert manifest["created_at"] == "2026-11-03T09:30:12Z"
    assert manifest["code_version"] == "4db4be5" and manifest["snapshot_id"] == 17
    assert manifest["risk_report"]["cells_suppressed_per_table"]["question_frequencies"] == {"primary": 1, "secondary": 1}
    assert manifest["content_fingerprint"] == content_fingerprint(release_inputs())
    for name, frame in release_inputs().tables.items():
        entry = manifest["tables"][name]
        assert entry["rows"] == len(frame)
        assert entry["columns"] == list(frame.columns)
        assert entry["parquet_sha256"] == sha256(first_release.path / f"{name}.parquet")
        assert entry["csv_sha256"] == sha256(first_release.path / f"{name}.csv")
        pd.testing.assert_frame_equal(pd.read_parquet(first_release.path / f"{name}.parquet"), frame)
    assert manifest["workbook"] == {
        "file": "verkenning_2024-01_r1.xlsx",
        "sha256": sha256(first_release.path / "verkenning_2024-01_r1.xlsx"),
    }
    assert sorted(path.name for path in first_release.path.iterdir()) == [
        "manifest.json", "question_frequencies.csv", "question_frequencies.parquet",
        "respondents.csv", "respondents.parquet", "verkenning_2024-01_r1.xlsx",
    ]


def test_identical_inputs_at_another_time_and_snapshot_keep_the_standing_release(releases_dir, first_release):
    before = file_states(first_release.path)

    again = publish_release(releases_dir, release_inputs(snapshot_id=18), now=SECOND_RUN)

    assert not again.created
    assert again.release_id == "r1" and again.path == first_release.path
    assert again.manifest == first_release.manifest
    assert "stands" in again.summary
    assert list_releases(releases_dir, WAVE) == ["r1"]
    assert file_states(first_release.path) == before


def test_one_changed_cell_creates_r2_and_leaves_r1_byte_identical(releases_dir, first_release):
    before = file_states(first_release.path)
    tables = release_inputs().tables
    tables["question_frequencies"].loc[0, "n"] = 13

    second = publish_release(releases_dir, release_inputs(tables=tables), now=SECOND_RUN)

    assert second.created and second.release_id == "r2"
    assert list_releases(releases_dir, WAVE) == ["r1", "r2"]
    assert verify_release(second.path) == []
    assert (second.path / "verkenning_2024-01_r2.xlsx").is_file()
    assert file_states(first_release.path) == before
    assert second.manifest["tables"]["question_frequencies"]["csv_sha256"] != before["question_frequencies.csv"][0]
    assert second.manifest["tables"]["respondents"]["csv_sha256"] == before["respondents.csv"][0]


@pytest.mark.parametrize(
    "change",
    [
        {"code_version": "0123abc"},
        {"codebook_sha256": "d" * 64},
        {"disclosure_parameters": {"min_count": 10, "k": 5, "suppression_order": ["region"]}},
        {"tables": {"question_frequencies": question_frequencies().astype({"base_n": "Float64"})}},
        {"tables": {"question_frequencies": question_frequencies().iloc[::-1]}},
        {"table_descriptions": {"question_frequencies": "Andere omschrijving."}},
    ],
    ids=["code", "codebook", "disclosure", "dtype", "row order", "documentation"],
)
def test_fingerprint_changes_with_contents_code_and_rules(change):
    base = release_inputs(tables={"question_frequencies": question_frequencies()})
    assert content_fingerprint(dataclasses.replace(base, **change)) != content_fingerprint(base)


def test_fingerprint_ignores_snapshot_and_index():
    base = release_inputs()
    reindexed = {name: frame.set_axis(range(100, 100 + len(frame))) for name, frame in base.tables.items()}
    assert content_fingerprint(dataclasses.replace(base, snapshot_id=99)) == content_fingerprint(base)
    assert content_fingerprint(dataclasses.replace(base, tables=reindexed)) == content_fingerprint(base)


def test_same_inputs_give_the_same_bytes_in_every_file(tmp_path):
    one = publish_release(tmp_path / "one", release_inputs(), now=FIRST_RUN)
    other = publish_release(tmp_path / "other", release_inputs(), now=FIRST_RUN)
    later = publish_release(tmp_path / "later", release_inputs(), now=SECOND_RUN)

    assert file_states(one.path).keys() == file_states(other.path).keys()
    assert {name: state[0] for name, state in file_states(one.path).items()} == {
        name: state[0] for name, state in file_states(other.path).items()
    }
    # Another creation time changes the manifest and the workbook's properties, never the tables.
    assert later.manifest["tables"] == one.manifest["tables"]


@pytest.mark.parametrize("failing_step", ["workbook", "rename"])
def test_crash_during_publication_leaves_no_partial_release(releases_dir, first_release, monkeypatch, failing_step):
    before = file_states(first_release.path)

    def crash(*args, **kwargs):
        raise OSError("disk full (simulated)")

    if failing_step == "workbook":
        monkeypatch.setattr(publish, "_workbook_bytes", crash)
    else:
        monkeypatch.setattr(publish.os, "rename", crash)
    tables = release_inputs().tables
    tables["respondents"].loc[0, "hours_saved"] = 5

    with pytest.raises(OSError, match="simulated"):
        publish_release(releases_dir, release_inputs(tables=tables), now=SECOND_RUN)

    assert sorted(path.name for path in (releases_dir / WAVE).iterdir()) == ["r1"]
    assert file_states(first_release.path) == before
    assert verify_release(first_release.path) == []


def test_leftover_temporary_folder_is_no_release_and_goes_at_the_next_publication(releases_dir, first_release):
    leftover = releases_dir / WAVE / ".tmp-x"
    leftover.mkdir()
    (leftover / "respondents.csv").write_text("half a file", encoding="utf-8")

    assert list_releases(releases_dir, WAVE) == ["r1"]
    outcome = publish_release(releases_dir, release_inputs(), now=SECOND_RUN)

    assert not outcome.created
    assert not leftover.exists()
    assert sorted(path.name for path in (releases_dir / WAVE).iterdir()) == ["r1"]


def test_csv_neutralises_formula_cells_and_keeps_numbers(first_release):
    csv_path = first_release.path / "respondents.csv"
    raw = csv_path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in raw

    with open(csv_path, encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))

    assert header == list(respondents().columns)
    texts = [row[header.index("ai_use_text")] for row in rows]
    assert texts == [*(f"'{answer}" for answer in FORMULA_LIKE_ANSWERS), "We gebruiken [ORGANISATIE] voor vertalingen", ""]
    assert [row[header.index("hours_saved")] for row in rows] == ["-4", "0", "3", "-1", "12", "2"]
    assert [row[header.index("trust_score")] for row in rows] == ["-1.5", "2.25", "", "0.0", "3.5", "-0.75"]
    assert [row[header.index("sector_group")] for row in rows][3] == ""

    read_back = pd.read_csv(csv_path)
    assert pd.api.types.is_integer_dtype(read_back["hours_saved"])
    assert read_back["trust_score"].min() == -1.5


def test_workbook_has_the_explanation_first_and_one_sheet_per_table(first_release):
    workbook = openpyxl.load_workbook(first_release.path / "verkenning_2024-01_r1.xlsx")

    assert workbook.sheetnames == ["Toelichting", "question_frequencies", "respondents"]
    for name, frame in release_inputs().tables.items():
        sheet = workbook[name]
        assert sheet.max_row == len(frame) + 1
        assert [cell.value for cell in sheet[1]] == list(frame.columns)

    sheet = workbook["respondents"]
    header = [cell.value for cell in sheet[1]]
    values = [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [row["ai_use_text"] for row in values[:4]] == [f"'{answer}" for answer in FORMULA_LIKE_ANSWERS]
    assert [row["hours_saved"] for row in values] == [-4, 0, 3, -1, 12, 2]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert workbook.properties.created == workbook.properties.modified == FIRST_RUN.replace(tzinfo=None)

    explanation = [value for row in workbook["Toelichting"].iter_rows(values_only=True) for value in row if value]
    for expected in [
        "Eerste meting, januari 2024.",
        "a" * 64,
        "Aantallen onder 5 en aanvullende cellen zijn onderdrukt.",
        "Open antwoord over AI-gebruik, gede-identificeerd",
        "Geanonimiseerde microdata, één rij per respondent.",
        "cells_suppressed_per_table › question_frequencies › primary",
    ]:
        assert expected in explanation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+31 6 12345678", "'+31 6 12345678"),
        ("-3", "'-3"),
        ("@home", "'@home"),
        ("  =1+1", "'  =1+1"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("a-b=c", "a-b=c"),
        ("", ""),
    ],
)
def test_neutralise_formulas_prefixes_formula_like_text(text, expected):
    frame = pd.DataFrame({"text": pd.array([text], dtype="string"), "mixed": pd.Series([text], dtype=object)})
    result = neutralise_formulas(frame)
    assert result.loc[0, "text"] == expected
    assert result.loc[0, "mixed"] == expected
    assert frame.loc[0, "text"] == text


def test_neutralise_formulas_leaves_numbers_and_missing_values_alone():
    frame = pd.DataFrame(
        {
            "count": [-3, 4],
            "score": [-1.5, None],
            "mixed": pd.Series([-7, None], dtype=object),
            "category": pd.Series(["-x", "y"], dtype="category"),
        }
    )
    result = neutralise_formulas(frame)
    pd.testing.assert_series_equal(result["count"], frame["count"])
    pd.testing.assert_series_equal(result["score"], frame["score"])
    assert result.loc[0, "mixed"] == -7 and result.loc[1, "mixed"] is None
    assert list(result["category"]) == ["'-x", "y"]


def test_verify_release_names_a_changed_file_and_an_unlisted_one(first_release):
    csv_path = first_release.path / "respondents.csv"
    csv_path.chmod(0o644)
    with open(csv_path, "a", encoding="utf-8") as handle:
        handle.write("p07,media,,1,1.0\n")
    (first_release.path / "notes.txt").write_text("added by hand", encoding="utf-8")

    problems = verify_release(first_release.path)

    assert any("respondents.csv" in problem and "SHA-256" in problem for problem in problems)
    assert any("respondents.csv" in problem and "7 rows" in problem for problem in problems)
    assert any("notes.txt" in problem and "not listed" in problem for problem in problems)
    assert len(problems) == 3


def test_list_releases_orders_by_number_and_skips_what_is_not_a_release(releases_dir):
    wave_dir = releases_dir / WAVE
    for number in range(1, 11):
        (wave_dir / f"r{number}").mkdir(parents=True)
    (wave_dir / ".tmp-r11-abcd").mkdir()
    (wave_dir / "r0").mkdir()
    (wave_dir / "README.txt").write_text("", encoding="utf-8")

    assert list_releases(releases_dir, WAVE) == [f"r{number}" for number in range(1, 11)]
    assert list_releases(releases_dir, "2030-01") == []


def test_long_table_names_get_unique_sheet_names_of_at_most_31_characters(releases_dir):
    long_names = {f"question_frequencies_by_background_{variable}": question_frequencies() for variable in ("sector", "size")}
    outcome = publish_release(releases_dir, release_inputs(tables=long_names), now=FIRST_RUN)

    sheets = openpyxl.load_workbook(outcome.path / "verkenning_2024-01_r1.xlsx", read_only=True).sheetnames
    assert sheets == ["Toelichting", "question_frequencies_by_backgro", "question_frequencies_by_backg~2"]
    assert [entry["sheet"] for entry in outcome.manifest["tables"].values()] == sheets[1:]


def test_table_name_that_is_not_a_file_name_is_refused_before_anything_is_written(releases_dir):
    inputs = release_inputs(tables={"../respondents": respondents()})
    with pytest.raises(ValueError, match="cannot be a file name"):
        publish_release(releases_dir, inputs, now=FIRST_RUN)
    assert not (releases_dir / WAVE).exists()


def test_release_files_are_read_only(first_release):
    assert all(path.stat().st_mode & 0o222 == 0 for path in first_release.path.iterdir())


def test_a_table_too_long_for_the_workbook_is_published_as_files_only(releases_dir):
    long_microdata = pd.concat([respondents()] * (publish.WORKBOOK_MAX_ROWS // len(respondents()) + 1), ignore_index=True)
    assert len(long_microdata) > publish.WORKBOOK_MAX_ROWS
    outcome = publish_release(
        releases_dir, release_inputs(tables={"question_frequencies": question_frequencies(), "respondents": long_microdata}),
        now=FIRST_RUN,
    )

    workbook = openpyxl.load_workbook(outcome.path / "verkenning_2024-01_r1.xlsx", read_only=True)
    assert workbook.sheetnames == ["Toelichting", "question_frequencies"]
    entry = outcome.manifest["tables"]["respondents"]
    assert entry["sheet"] is None and entry["rows"] == len(long_microdata)
    assert pd.read_parquet(outcome.path / "respondents.parquet").shape[0] == len(long_microdata)
    explanation = "\n".join(str(cell) for row in workbook["Toelichting"].iter_rows(values_only=True) for cell in row if cell)
    assert "geen werkblad (meer dan" in explanation
    assert verify_release(outcome.path) == []
