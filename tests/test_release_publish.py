"""Release publication: one immutable folder per release in two tiers, written whole or not at all, never changed."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from verkenning.release import (
    SCIENTIFIC_USE_ONLY_TABLES,
    TIER_TABLES,
    TIERS,
    ReleaseInputs,
    TierInputs,
    content_fingerprint,
    is_tiered_release,
    list_releases,
    neutralise_formulas,
    publish_release,
    read_published_tables,
    read_release_record,
    tables_by_tier,
    tier_path,
    verify_release,
)
from verkenning.release import publish
from verkenning.release.explanation import TIER_SECTION_HEADINGS, TIER_TEXTS

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
            "respondent_key": ["p01", "p02", "p03", "p04", "p05", "p06"],
            "sector_group": ["erfgoed", "podium", "erfgoed", None, "media", "podium"],
            "ai_use_text": pd.array([*FORMULA_LIKE_ANSWERS, "We gebruiken [ORGANISATIE] voor vertalingen", None],
                                    dtype="string"),
            "hours_saved": [-4, 0, 3, -1, 12, 2],
            "trust_score": [-1.5, 2.25, None, 0.0, 3.5, -0.75],
        }
    )


def public_tier(**changes) -> TierInputs:
    tier = TierInputs(
        tables={"question_frequencies": question_frequencies()},
        column_descriptions={"question_frequencies": {"n": "Aantal respondenten met dit antwoord", "pct": "Percentage van base_n"}},
        table_descriptions={"question_frequencies": "Frequenties per vraag en antwoordoptie."},
        risk_report={
            "cells_suppressed_per_table": {"question_frequencies": {"primary": 1, "secondary": 1}},
            "audit": {"recoverable_cells": 0},
        },
        explanation={
            "wave": "Eerste meting, januari 2024.",
            "sources": "De export van de online vragenlijst.",
            "suppression": "Aantallen onder 5 en aanvullende cellen zijn onderdrukt.",
        },
    )
    return dataclasses.replace(tier, **changes)


def scientific_use_tier(**changes) -> TierInputs:
    tier = TierInputs(
        tables={"respondents": respondents()},
        column_descriptions={"respondents": {"ai_use_text": "Open antwoord over AI-gebruik, gede-identificeerd"}},
        table_descriptions={"respondents": "Geanonimiseerde microdata, één rij per respondent."},
        risk_report={
            "k": 5,
            "k_reached": 5,
            "values_suppressed_per_quasi_identifier": {"region": 7, "size": 2},
            "redactions_per_placeholder": {"[ORGANISATIE]": 1, "[PERSOON]": 0},
        },
        explanation={
            "wave": "Eerste meting, januari 2024.",
            "sources": "De export van de online vragenlijst.",
            "anonymisation": "Pseudoniemen, k-anonimiteit met k = 5, open tekst gede-identificeerd.",
        },
    )
    return dataclasses.replace(tier, **changes)


def release_inputs(public: TierInputs | None = None, scientific_use: TierInputs | None = None, **changes) -> ReleaseInputs:
    inputs = ReleaseInputs(
        wave=WAVE,
        tiers={"public": public or public_tier(), "scientific_use": scientific_use or scientific_use_tier()},
        sources=[{"name": "survey_export.csv", "sha256": "a" * 64, "rows": 255}],
        disclosure_parameters={"min_count": 5, "min_base": 5, "k": 5, "suppression_order": ["region", "size", "role", "sector"]},
        codebook_sha256="c" * 64,
        code_version="4db4be5",
        snapshot_id=17,
    )
    return dataclasses.replace(inputs, **changes)


def all_tables() -> dict[str, pd.DataFrame]:
    return {name: frame for tier in release_inputs().tiers.values() for name, frame in tier.tables.items()}


def tier_of(table: str) -> str:
    return next(tier for tier, inputs in release_inputs().tiers.items() if table in inputs.tables)


def toelichting(path: Path) -> list[str]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    return [str(value) for row in workbook["Toelichting"].iter_rows(values_only=True) for value in row if value]


def file_states(folder: Path) -> dict[str, tuple[str, int]]:
    """SHA-256 and modification time of every file (in every tier), to show a release was neither rewritten nor touched."""
    return {
        path.relative_to(folder).as_posix(): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def releases_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "releases"


@pytest.fixture
def first_release(releases_dir: Path):
    return publish_release(releases_dir, release_inputs(), now=FIRST_RUN)


def test_first_publication_creates_r1_with_two_tiers_whose_manifests_match_their_files(releases_dir, first_release):
    release = first_release.path
    assert first_release.created
    assert first_release.release_id == "r1"
    assert release == releases_dir / WAVE / "r1"
    assert verify_release(release) == []
    assert is_tiered_release(release)

    record = json.loads((release / "release.json").read_text(encoding="utf-8"))
    assert record == first_release.manifest == read_release_record(release)
    assert record["wave"] == WAVE and record["release_id"] == "r1"
    assert record["created_at"] == "2026-11-03T09:30:12Z"
    assert record["content_fingerprint"] == content_fingerprint(release_inputs())
    assert record["sources"] == release_inputs().sources and record["codebook_sha256"] == "c" * 64
    assert record["tiers"] == {
        tier: {"path": tier, "manifest": f"{tier}/manifest.json", "manifest_sha256": sha256(release / tier / "manifest.json")}
        for tier in TIERS
    }
    assert sorted(path.name for path in release.iterdir()) == ["public", "release.json", "scientific_use"]
    assert sorted(path.name for path in (release / "public").iterdir()) == [
        "manifest.json", "question_frequencies.csv", "question_frequencies.parquet", "verkenning_2024-01_r1_public.xlsx",
    ]
    assert sorted(path.name for path in (release / "scientific_use").iterdir()) == [
        "manifest.json", "respondents.csv", "respondents.parquet", "verkenning_2024-01_r1_scientific_use.xlsx",
    ]

    for tier, tier_inputs in release_inputs().tiers.items():
        folder = tier_path(release, tier)
        assert folder == release / tier
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["wave"] == WAVE and manifest["release_id"] == "r1"
        assert manifest["content_fingerprint"] == record["content_fingerprint"]
        assert manifest["code_version"] == "4db4be5" and manifest["snapshot_id"] == 17
        assert manifest["sources"] == release_inputs().sources
        assert manifest["risk_report"] == tier_inputs.risk_report
        assert sorted(manifest["tables"]) == sorted(tier_inputs.tables)
        for name, frame in tier_inputs.tables.items():
            entry = manifest["tables"][name]
            assert entry["rows"] == len(frame)
            assert entry["columns"] == list(frame.columns)
            assert entry["parquet_sha256"] == sha256(folder / f"{name}.parquet")
            assert entry["csv_sha256"] == sha256(folder / f"{name}.csv")
            pd.testing.assert_frame_equal(pd.read_parquet(folder / f"{name}.parquet"), frame)
        workbook = f"verkenning_2024-01_r1_{tier}.xlsx"
        assert manifest["workbook"] == {"file": workbook, "sha256": sha256(folder / workbook)}


def test_each_tier_manifest_says_who_may_receive_it_and_what_it_protects_against(first_release):
    public = json.loads((first_release.path / "public" / "manifest.json").read_text(encoding="utf-8"))["tier"]
    scientific = json.loads((first_release.path / "scientific_use" / "manifest.json").read_text(encoding="utf-8"))["tier"]

    for block, name in ((public, "public"), (scientific, "scientific_use")):
        assert block["name"] == name
        assert {"audience", "protects_against", "does_not_protect_against", "before_handing_over", "nl"} <= set(block)
        assert isinstance(block["before_handing_over"], list) and block["before_handing_over"]
    assert "Anyone" in public["audience"]
    assert any("below 5" in line for line in public["protects_against"])
    assert any("1 to 4" in line for line in public["protects_against"])
    assert any("scientific-use tier" in line for line in public["does_not_protect_against"])
    assert any("never" in line.lower() and "scientific_use" in line for line in public["before_handing_over"])
    assert "data-use agreement" in scientific["audience"]
    assert any("k = 5" in line for line in scientific["protects_against"])
    assert any("recomputed" in line for line in scientific["does_not_protect_against"])
    assert any("data-use agreement" in line for line in scientific["before_handing_over"])
    assert "gebruiksovereenkomst" in scientific["nl"]["audience"]


def test_each_workbook_begins_its_toelichting_with_the_tier_sections(first_release):
    for tier in TIERS:
        lines = toelichting(first_release.path / tier / f"verkenning_2024-01_r1_{tier}.xlsx")
        texts = TIER_TEXTS[tier]["nl"]
        assert texts["label"] in lines[0]
        headings = list(TIER_SECTION_HEADINGS.values())
        positions = [lines.index(heading) for heading in headings]
        assert positions == sorted(positions)
        # The tier sections come before anything else: the release's particulars follow them.
        assert positions[-1] < lines.index("Over deze release") < lines.index("Golf")
        assert texts["audience"] in lines
        assert "1." in lines and "2." in lines  # the steps before handing over are numbered

    public = toelichting(first_release.path / "public" / "verkenning_2024-01_r1_public.xlsx")
    scientific = toelichting(first_release.path / "scientific_use" / "verkenning_2024-01_r1_scientific_use.xlsx")
    assert any("Geef alleen de map public/ door." == line for line in public)
    assert any("kleiner dan 5" in line for line in public)
    assert any("1 tot en met 4" in line for line in public)
    assert any("question_frequencies" in line and "geaggregeerde" in line for line in public)
    assert any("gebruiksovereenkomst" in line for line in scientific)
    assert any("k = 5" in line for line in scientific)
    assert any("respondents" in line and "k-anonieme" in line for line in scientific)


def test_workbook_has_the_explanation_first_and_one_sheet_per_table_of_its_tier(first_release):
    for tier, tier_inputs in release_inputs().tiers.items():
        workbook = openpyxl.load_workbook(first_release.path / tier / f"verkenning_2024-01_r1_{tier}.xlsx")
        assert workbook.sheetnames == ["Toelichting", *sorted(tier_inputs.tables)]
        for name, frame in tier_inputs.tables.items():
            sheet = workbook[name]
            assert sheet.max_row == len(frame) + 1
            assert [cell.value for cell in sheet[1]] == list(frame.columns)
        assert workbook.properties.created == workbook.properties.modified == FIRST_RUN.replace(tzinfo=None)

    workbook = openpyxl.load_workbook(first_release.path / "scientific_use" / "verkenning_2024-01_r1_scientific_use.xlsx")
    sheet = workbook["respondents"]
    header = [cell.value for cell in sheet[1]]
    values = [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [row["ai_use_text"] for row in values[:4]] == [f"'{answer}" for answer in FORMULA_LIKE_ANSWERS]
    assert [row["hours_saved"] for row in values] == [-4, 0, 3, -1, 12, 2]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    public = toelichting(first_release.path / "public" / "verkenning_2024-01_r1_public.xlsx")
    for expected in [
        "Eerste meting, januari 2024.",
        "a" * 64,
        "Aantallen onder 5 en aanvullende cellen zijn onderdrukt.",
        "Frequenties per vraag en antwoordoptie.",
        "cells_suppressed_per_table › question_frequencies › primary",
    ]:
        assert expected in public
    scientific = toelichting(first_release.path / "scientific_use" / "verkenning_2024-01_r1_scientific_use.xlsx")
    for expected in [
        "Open antwoord over AI-gebruik, gede-identificeerd",
        "Geanonimiseerde microdata, één rij per respondent.",
        "values_suppressed_per_quasi_identifier › region",
    ]:
        assert expected in scientific
    # Each tier's workbook documents its own tables and risk report only.
    assert "Geanonimiseerde microdata, één rij per respondent." not in public
    assert not any("question_frequencies" in line for line in scientific)


def test_identical_inputs_at_another_time_and_snapshot_keep_the_standing_release(releases_dir, first_release):
    before = file_states(first_release.path)

    again = publish_release(releases_dir, release_inputs(snapshot_id=18), now=SECOND_RUN)

    assert not again.created
    assert again.release_id == "r1" and again.path == first_release.path
    assert again.manifest == first_release.manifest
    assert "stands" in again.summary
    assert list_releases(releases_dir, WAVE) == ["r1"]
    assert file_states(first_release.path) == before


@pytest.mark.parametrize("tier", TIERS)
def test_a_change_in_one_tier_creates_r2_and_leaves_r1_byte_identical(releases_dir, first_release, tier):
    before = file_states(first_release.path)
    if tier == "public":
        tables = {"question_frequencies": question_frequencies()}
        tables["question_frequencies"].loc[0, "n"] = 13
        changed, unchanged = "public/question_frequencies.csv", "scientific_use/respondents.csv"
        inputs = release_inputs(public=public_tier(tables=tables))
    else:
        tables = {"respondents": respondents()}
        tables["respondents"].loc[0, "hours_saved"] = 5
        changed, unchanged = "scientific_use/respondents.csv", "public/question_frequencies.csv"
        inputs = release_inputs(scientific_use=scientific_use_tier(tables=tables))

    second = publish_release(releases_dir, inputs, now=SECOND_RUN)

    assert second.created and second.release_id == "r2"
    assert list_releases(releases_dir, WAVE) == ["r1", "r2"]
    assert verify_release(second.path) == []
    assert second.manifest["content_fingerprint"] != first_release.manifest["content_fingerprint"]
    assert (second.path / tier / f"verkenning_2024-01_r2_{tier}.xlsx").is_file()
    assert file_states(first_release.path) == before
    after = file_states(second.path)
    assert after[changed][0] != before[changed][0]
    assert after[unchanged][0] == before[unchanged][0]


@pytest.mark.parametrize(
    "change",
    [
        {"code_version": "0123abc"},
        {"codebook_sha256": "d" * 64},
        {"disclosure_parameters": {"min_count": 10, "k": 5, "suppression_order": ["region"]}},
        {"public": public_tier(tables={"question_frequencies": question_frequencies().astype({"base_n": "Float64"})})},
        {"public": public_tier(tables={"question_frequencies": question_frequencies().iloc[::-1]})},
        {"public": public_tier(table_descriptions={"question_frequencies": "Andere omschrijving."})},
        {"public": public_tier(risk_report={"audit": {"recoverable_cells": 0}})},
        {"scientific_use": scientific_use_tier(explanation={"wave": "Andere toelichting."})},
        {"scientific_use": scientific_use_tier(tables={"respondents": respondents().iloc[:5]})},
    ],
    ids=["code", "codebook", "disclosure", "dtype", "row order", "documentation", "public risk report",
         "scientific explanation", "scientific rows"],
)
def test_fingerprint_changes_with_contents_code_and_rules(change):
    base = release_inputs()
    assert content_fingerprint(release_inputs(**change)) != content_fingerprint(base)


def test_fingerprint_tells_apart_which_tier_holds_a_table():
    moved = release_inputs(
        public=public_tier(tables={"question_frequencies": question_frequencies(), "extra": question_frequencies()}),
    )
    other = release_inputs(
        scientific_use=scientific_use_tier(tables={"respondents": respondents(), "extra": question_frequencies()}),
    )
    assert content_fingerprint(moved) != content_fingerprint(other)


def test_fingerprint_ignores_snapshot_and_index():
    base = release_inputs()
    reindexed = release_inputs(
        public=public_tier(tables={"question_frequencies": question_frequencies().set_axis(range(100, 105))}),
        scientific_use=scientific_use_tier(tables={"respondents": respondents().set_axis(range(50, 56))}),
    )
    assert content_fingerprint(release_inputs(snapshot_id=99)) == content_fingerprint(base)
    assert content_fingerprint(reindexed) == content_fingerprint(base)


def test_same_inputs_give_the_same_bytes_in_every_file(tmp_path):
    one = publish_release(tmp_path / "one", release_inputs(), now=FIRST_RUN)
    other = publish_release(tmp_path / "other", release_inputs(), now=FIRST_RUN)
    later = publish_release(tmp_path / "later", release_inputs(), now=SECOND_RUN)

    assert file_states(one.path).keys() == file_states(other.path).keys()
    assert {name: state[0] for name, state in file_states(one.path).items()} == {
        name: state[0] for name, state in file_states(other.path).items()
    }
    # Another creation time changes the manifests and the workbooks' properties, never the tables.
    for tier in TIERS:
        manifest = json.loads((one.path / tier / "manifest.json").read_text(encoding="utf-8"))
        later_manifest = json.loads((later.path / tier / "manifest.json").read_text(encoding="utf-8"))
        assert later_manifest["tables"] == manifest["tables"]


@pytest.mark.parametrize("failing_step", ["workbook", "rename"])
def test_crash_during_publication_leaves_no_partial_release(releases_dir, first_release, monkeypatch, failing_step):
    before = file_states(first_release.path)

    def crash(*args, **kwargs):
        raise OSError("disk full (simulated)")

    if failing_step == "workbook":
        monkeypatch.setattr(publish, "_workbook_bytes", crash)
    else:
        monkeypatch.setattr(publish.os, "rename", crash)
    tables = {"respondents": respondents()}
    tables["respondents"].loc[0, "hours_saved"] = 5

    with pytest.raises(OSError, match="simulated"):
        publish_release(releases_dir, release_inputs(scientific_use=scientific_use_tier(tables=tables)), now=SECOND_RUN)

    assert sorted(path.name for path in (releases_dir / WAVE).iterdir()) == ["r1"]
    assert file_states(first_release.path) == before
    assert verify_release(first_release.path) == []


def test_leftover_temporary_folder_is_no_release_and_goes_at_the_next_publication(releases_dir, first_release):
    leftover = releases_dir / WAVE / ".tmp-x"
    (leftover / "public").mkdir(parents=True)
    (leftover / "public" / "question_frequencies.csv").write_text("half a file", encoding="utf-8")

    assert list_releases(releases_dir, WAVE) == ["r1"]
    outcome = publish_release(releases_dir, release_inputs(), now=SECOND_RUN)

    assert not outcome.created
    assert not leftover.exists()
    assert sorted(path.name for path in (releases_dir / WAVE).iterdir()) == ["r1"]


def test_csv_neutralises_formula_cells_and_keeps_numbers(first_release):
    csv_path = first_release.path / "scientific_use" / "respondents.csv"
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


def test_verify_release_names_a_changed_file_and_unlisted_ones(first_release):
    csv_path = first_release.path / "scientific_use" / "respondents.csv"
    csv_path.chmod(0o644)
    with open(csv_path, "a", encoding="utf-8") as handle:
        handle.write("p07,media,,1,1.0\n")
    (first_release.path / "scientific_use" / "notes.txt").write_text("added by hand", encoding="utf-8")
    (first_release.path / "respondents.csv").write_text("beside the tiers", encoding="utf-8")

    problems = verify_release(first_release.path)

    assert any("respondents.csv" in problem and "SHA-256" in problem for problem in problems)
    assert any("respondents.csv" in problem and "7 rows" in problem for problem in problems)
    assert any("notes.txt" in problem and "not listed" in problem for problem in problems)
    assert any(problem.startswith(str(first_release.path / "respondents.csv")) and "not listed in release.json" in problem
               for problem in problems)
    assert len(problems) == 4


def test_verify_release_checks_a_tier_copied_elsewhere_on_its_own(tmp_path, first_release):
    handed_over = tmp_path / "to_the_municipality" / "verkenning_2024-01_r1_public"
    shutil.copytree(first_release.path / "public", handed_over)

    assert verify_release(handed_over) == []
    assert verify_release(first_release.path / "scientific_use") == []

    (handed_over / "question_frequencies.parquet").chmod(0o644)
    (handed_over / "question_frequencies.parquet").write_bytes(b"not the published table")
    problems = verify_release(handed_over)
    assert any("question_frequencies.parquet" in problem and "SHA-256" in problem for problem in problems)
    assert verify_release(tmp_path) == [f"{tmp_path}: neither release.json (a release) nor manifest.json (a tier) is present"]


def test_verify_release_finds_a_missing_tier_and_a_changed_tier_manifest(first_release):
    shutil.rmtree(first_release.path / "scientific_use")
    manifest = first_release.path / "public" / "manifest.json"
    manifest.chmod(0o644)
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"snapshot_id": 17', '"snapshot_id": 18'), encoding="utf-8")

    problems = verify_release(first_release.path)

    assert any("scientific_use" in problem and "missing" in problem for problem in problems)
    assert any(problem.startswith(str(manifest)) and "SHA-256" in problem for problem in problems)
    assert len(problems) == 2


def test_a_public_tier_holding_microdata_fails_verification(tmp_path, first_release):
    """Made by hand (not by publish_release, which refuses it): the check a steward runs before handing over."""
    folder = tmp_path / "public"
    shutil.copytree(first_release.path / "public", folder)
    shutil.copy(first_release.path / "scientific_use" / "respondents.parquet", folder)
    shutil.copy(first_release.path / "scientific_use" / "respondents.csv", folder)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    scientific = json.loads((first_release.path / "scientific_use" / "manifest.json").read_text(encoding="utf-8"))
    manifest["tables"]["respondents"] = scientific["tables"]["respondents"]
    manifest_path.chmod(0o644)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    problems = verify_release(folder)

    assert len(problems) == 1 and "'respondents'" in problems[0] and "scientific_use tier only" in problems[0]


@pytest.mark.parametrize("missing", TIERS)
def test_a_tier_missing_from_the_inputs_is_refused_before_anything_is_written(releases_dir, missing):
    inputs = release_inputs()
    inputs = dataclasses.replace(inputs, tiers={tier: value for tier, value in inputs.tiers.items() if tier != missing})

    with pytest.raises(ValueError, match=rf"lack the tier\(s\) \['{missing}'\]; a release holds both tiers"):
        publish_release(releases_dir, inputs, now=FIRST_RUN)
    assert not (releases_dir / WAVE).exists()


def test_an_unknown_tier_is_refused(releases_dir):
    inputs = release_inputs()
    inputs = dataclasses.replace(inputs, tiers={**inputs.tiers, "internal": public_tier()})
    with pytest.raises(ValueError, match=r"unknown tier\(s\) \['internal'\]"):
        publish_release(releases_dir, inputs, now=FIRST_RUN)


@pytest.mark.parametrize("table", SCIENTIFIC_USE_ONLY_TABLES)
def test_the_public_tier_refuses_a_scientific_use_table_by_name(releases_dir, table):
    public = public_tier(tables={"question_frequencies": question_frequencies(), table: pd.DataFrame({"text": ["x"]})})
    with pytest.raises(ValueError, match=rf"public tier holds table '{table}', which belongs in the scientific_use tier only"):
        publish_release(releases_dir, release_inputs(public=public), now=FIRST_RUN)
    assert not (releases_dir / WAVE).exists()


def test_the_public_tier_refuses_a_table_with_pseudonyms(releases_dir):
    microdata = respondents().rename(columns={"sector_group": "group"})
    public = public_tier(tables={"question_frequencies": question_frequencies(), "by_person": microdata})
    with pytest.raises(ValueError, match=r"public tier's table 'by_person' has the pseudonym column 'respondent_key'"):
        publish_release(releases_dir, release_inputs(public=public), now=FIRST_RUN)
    assert not (releases_dir / WAVE).exists()


def test_the_standard_split_keeps_microdata_and_free_text_out_of_the_public_tier(releases_dir):
    marts = {name: question_frequencies() for name in TIER_TABLES["public"]}
    marts |= {name: respondents() for name in SCIENTIFIC_USE_ONLY_TABLES}

    split = tables_by_tier(marts)

    assert sorted(split) == sorted(TIERS)
    assert sorted(split["public"]) == sorted(TIER_TABLES["public"])
    assert sorted(split["scientific_use"]) == ["open_answers", "respondents", "workshop_notes", "workshop_support_needs"]
    inputs = release_inputs(
        public=public_tier(tables=split["public"]), scientific_use=scientific_use_tier(tables=split["scientific_use"])
    )
    outcome = publish_release(releases_dir, inputs, now=FIRST_RUN)
    published = {path.stem for path in (outcome.path / "public").glob("*.parquet")}
    assert published == set(TIER_TABLES["public"])
    assert not published & {"respondents", "open_answers", "workshop_notes"}
    assert verify_release(outcome.path) == []

    with pytest.raises(ValueError, match=r"no tier is named for table\(s\) \['new_mart'\]"):
        tables_by_tier({**marts, "new_mart": question_frequencies()})


def test_read_published_tables_gives_a_tiers_tables(first_release):
    public = read_published_tables(first_release.path, "public")
    assert list(public) == ["question_frequencies"]
    pd.testing.assert_frame_equal(public["question_frequencies"], question_frequencies())
    scientific = read_published_tables(first_release.path, "scientific_use", tables=["respondents"])
    pd.testing.assert_frame_equal(scientific["respondents"], respondents())

    with pytest.raises(ValueError, match=r"holds no table\(s\) \['respondents'\]"):
        read_published_tables(first_release.path, "public", tables=["respondents"])
    with pytest.raises(ValueError, match="is no tier"):
        read_published_tables(first_release.path, "internal")
    with pytest.raises(ValueError, match="is no tier"):
        tier_path(first_release.path, "internal")


def test_read_published_tables_refuses_a_changed_file(first_release):
    parquet = first_release.path / "public" / "question_frequencies.parquet"
    parquet.chmod(0o644)
    parquet.write_bytes(parquet.read_bytes() + b"\0")
    with pytest.raises(ValueError, match="SHA-256 differs from the manifest"):
        read_published_tables(first_release.path, "public")


def test_a_release_from_before_tiers_has_no_published_tiers_and_the_next_one_is_tiered(releases_dir):
    legacy = releases_dir / WAVE / "r1"
    legacy.mkdir(parents=True)
    (legacy / "manifest.json").write_text(
        json.dumps({"wave": WAVE, "release_id": "r1", "content_fingerprint": "0" * 64, "tables": {}, "workbook": {}}),
        encoding="utf-8",
    )

    assert not is_tiered_release(legacy)
    assert read_published_tables(legacy, "public") == {}
    assert read_release_record(legacy)["content_fingerprint"] == "0" * 64

    outcome = publish_release(releases_dir, release_inputs(), now=FIRST_RUN)
    assert outcome.created and outcome.release_id == "r2" and is_tiered_release(outcome.path)


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
    outcome = publish_release(releases_dir, release_inputs(public=public_tier(tables=long_names)), now=FIRST_RUN)

    sheets = openpyxl.load_workbook(outcome.path / "public" / "verkenning_2024-01_r1_public.xlsx", read_only=True).sheetnames
    assert sheets == ["Toelichting", "question_frequencies_by_backgro", "question_frequencies_by_backg~2"]
    manifest = json.loads((outcome.path / "public" / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["sheet"] for entry in manifest["tables"].values()] == sheets[1:]


def test_table_name_that_is_not_a_file_name_is_refused_before_anything_is_written(releases_dir):
    inputs = release_inputs(scientific_use=scientific_use_tier(tables={"../respondents": respondents()}))
    with pytest.raises(ValueError, match="cannot be a file name"):
        publish_release(releases_dir, inputs, now=FIRST_RUN)
    assert not (releases_dir / WAVE).exists()


def test_release_files_are_read_only(first_release):
    files = [path for path in first_release.path.rglob("*") if path.is_file()]
    assert len(files) == 9
    assert all(path.stat().st_mode & 0o222 == 0 for path in files)


def test_a_table_too_long_for_the_workbook_is_published_as_files_only(releases_dir):
    long_microdata = pd.concat([respondents()] * (publish.WORKBOOK_MAX_ROWS // len(respondents()) + 1), ignore_index=True)
    assert len(long_microdata) > publish.WORKBOOK_MAX_ROWS
    scientific = scientific_use_tier(tables={"respondents": long_microdata, "open_answers": pd.DataFrame({"text": ["x"]})})
    outcome = publish_release(releases_dir, release_inputs(scientific_use=scientific), now=FIRST_RUN)

    folder = outcome.path / "scientific_use"
    workbook = openpyxl.load_workbook(folder / "verkenning_2024-01_r1_scientific_use.xlsx", read_only=True)
    assert workbook.sheetnames == ["Toelichting", "open_answers"]
    entry = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["tables"]["respondents"]
    assert entry["sheet"] is None and entry["rows"] == len(long_microdata)
    assert pd.read_parquet(folder / "respondents.parquet").shape[0] == len(long_microdata)
    explanation = "\n".join(str(cell) for row in workbook["Toelichting"].iter_rows(values_only=True) for cell in row if cell)
    assert "geen werkblad (meer dan" in explanation
    assert verify_release(outcome.path) == []
