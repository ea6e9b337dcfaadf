"""Marts and releases, run through the real assets on the sample wave and checked against independent counts."""

from __future__ import annotations

import hashlib
import json
import shutil

import duckdb
import pandas as pd
import pytest

from conftest import (
    SAMPLE_WAVE,
    SAMPLE_WAVE_DIR,
    materialization_metadata,
    materialize_wave,
    read_analysis,
    read_restricted,
    step_error_messages,
)
from pipelines.resources import lake_location
from schemas.codebook import load_codebook
from verkenning.data_folder import DataFolder
from verkenning.lake import connect, read_wave, replace_wave
from tests.disclosure_attacker import attack
from verkenning.release.publish import list_releases, verify_release

CODEBOOK = load_codebook()


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """The whole pipeline run twice on a copy of the sample wave: (data folder, first run, second run)."""
    data_dir = tmp_path_factory.mktemp("release") / "data"
    DataFolder(data_dir).ensure_zones()
    shutil.copytree(SAMPLE_WAVE_DIR, data_dir / "inbox" / SAMPLE_WAVE)
    first = materialize_wave(data_dir)
    release = data_dir / "releases" / SAMPLE_WAVE / "r1"
    hashes = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in release.rglob("*") if p.is_file()}
    second = materialize_wave(data_dir)
    return data_dir, first, second, hashes


def test_first_run_publishes_r1_with_a_manifest_that_matches_its_files(released):
    data_dir, first, _, _ = released
    assert first.success, step_error_messages(first)
    release = data_dir / "releases" / SAMPLE_WAVE / "r1"
    assert verify_release(release) == []
    public = json.loads((release / "public" / "manifest.json").read_text(encoding="utf-8"))
    scientific = json.loads((release / "scientific_use" / "manifest.json").read_text(encoding="utf-8"))
    assert public["wave"] == SAMPLE_WAVE and public["release_id"] == "r1"
    assert set(public["tables"]) == {"question_frequencies", "crosstabs", "scale_summaries", "workshop_statements", "workshop_support_themes"}
    assert set(scientific["tables"]) >= {"open_answers", "respondents", "workshop_notes"}
    assert scientific["risk_report"]["k_reached"] >= 5
    audit = public["risk_report"]["attacker_audit"]["crosstabs"]
    assert audit["cells_audited"] > 500 and audit["primary_cells_narrowed"] == 0 and audit["secondary_cells_pinned"] == 0
    assert {s["name"] for s in public["sources"]} >= {"survey_export.csv", "withdrawals.csv"}
    for tier, manifest in (("public", public), ("scientific_use", scientific)):
        assert (release / tier / f"verkenning_{SAMPLE_WAVE}_r1_{tier}.xlsx").is_file()
        for name, table in manifest["tables"].items():
            assert hashlib.sha256((release / tier / table["csv"]).read_bytes()).hexdigest() == table["csv_sha256"]


def test_second_run_without_changes_creates_no_release(released):
    data_dir, _, second, hashes_before = released
    assert second.success, step_error_messages(second)
    assert list_releases(data_dir / "releases", SAMPLE_WAVE) == ["r1"]
    metadata = materialization_metadata(second, "release/wave_release")
    assert metadata["release"].value == "r1" and metadata["created"].value is False
    release = data_dir / "releases" / SAMPLE_WAVE / "r1"
    assert {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in release.rglob("*") if p.is_file()} == hashes_before


def test_releases_table_lists_the_release_with_its_snapshot(released):
    data_dir, first, _, _ = released
    with connect(lake_location(str(data_dir))) as connection:
        releases = connection.execute("SELECT wave, release_id, snapshot_id FROM lake.releases").fetchdf()
    assert releases[["wave", "release_id"]].values.tolist() == [[SAMPLE_WAVE, "r1"]]
    manifest = json.loads((data_dir / "releases" / SAMPLE_WAVE / "r1" / "release.json").read_text(encoding="utf-8"))
    assert int(releases.at[0, "snapshot_id"]) == manifest["snapshot_id"]


def test_question_frequencies_match_counts_from_the_staged_responses(released):
    data_dir, _, _, _ = released
    staged = read_restricted(data_dir, "survey_completed", layer="staged")
    frequencies = read_analysis(data_dir, "question_frequencies")
    published = frequencies.set_index(["question_code", "item_code", "option_code"])
    for question, item, column in [("POLICY", "", "POLICY"), ("FAMILIAR", "", "FAMILIAR"), ("EXPECT", "SQ003", "EXPECT[SQ003]")]:
        answers = staged[column].dropna()
        for code, count in answers.value_counts().items():
            row = published.loc[(question, item, code)]
            assert int(row["base_n"]) == len(answers)
            if not row["suppressed"]:
                assert int(row["n"]) == count, (question, item, code)
    tools = staged["TOOLS[SQ001]"].dropna().astype(bool)
    row = published.loc[("TOOLS", "SQ001", "Y")]
    assert int(row["base_n"]) == len(tools) and int(row["n"]) == int(tools.sum())


def test_crosstabs_match_counts_from_the_microdata_and_survive_the_audit(released):
    data_dir, _, _, _ = released
    respondents = read_analysis(data_dir, "respondents")
    crosstabs = read_analysis(data_dir, "crosstabs")
    frequencies = read_analysis(data_dir, "question_frequencies")
    # "don't know" is counted from the missing reason, which names its code: "Don't know (A5)"
    dont_know = respondents["POLICY__missing_reason"].str.extract(r"\((A\d+)\)$")[0]
    answer = respondents["POLICY"].fillna(dont_know)
    expected = respondents.assign(group=respondents["ORGSIZE_group"].fillna("UNKNOWN"), answer=answer).groupby(["group", "answer"]).size()
    rows = crosstabs[(crosstabs["breakdown"] == "ORGSIZE") & (crosstabs["question_code"] == "POLICY")]
    assert rows["is_missing"].any(), "the codebook's don't-know option of POLICY has rows of its own"
    for row in rows.itertuples():
        if not row.suppressed:
            assert row.n == expected.get((row.breakdown_group, row.option_code), 0)
        if not pd.isna(row.all_n):
            assert row.all_n == expected.loc[row.breakdown_group].sum()
            assert row.base_n == expected.loc[row.breakdown_group].drop(index=list(dont_know.dropna().unique()), errors="ignore").sum()
        if not pd.isna(row.pct_of_all):
            assert row.pct_of_all == pytest.approx(round(100 * row.n / row.all_n, 1))
    shown = crosstabs[~crosstabs["suppressed"].astype(bool)]
    assert not ((shown["n"] > 0) & (shown["n"] < 5)).any()
    assert set(frequencies.columns) >= {"suppression"}  # the analysis zone keeps the kind; the public tier does not


def test_release_tables_survive_the_attack(released):
    data_dir, _, _, _ = released
    report = attack([data_dir / "releases" / SAMPLE_WAVE / "r1"])
    assert report.pinned == [] and not report.inconsistent


def test_scale_summaries_and_open_answers(released):
    data_dir, _, _, _ = released
    staged = read_restricted(data_dir, "survey_completed", layer="staged")
    summaries = read_analysis(data_dir, "scale_summaries")
    overall = summaries[(summaries["breakdown"] == "") & (summaries["question_code"] == "FAMILIAR")].iloc[0]
    values = staged["FAMILIAR__value"].dropna()
    assert overall["n_valid"] == len(values)
    assert overall["mean"] == pytest.approx(round(values.mean(), 2))
    assert overall["share_agree"] == pytest.approx(round((values >= 4).mean(), 3))
    assert summaries.loc[summaries["n_valid"] < 5, "mean"].isna().all()

    answers = read_analysis(data_dir, "open_answers")
    assert len(answers) == sum(int(staged[c].notna().sum()) for c in ["OPEN_USE", "OPEN_CONCERN", "OPEN_SUPPORT", "TOOLS[other]", "SUPPORT[other]"])
    assert not answers["answer"].str.contains("@", regex=False).any()


def test_workshop_statements_add_up_and_hide_small_counts(released):
    data_dir, _, _, _ = released
    statements = read_analysis(data_dir, "workshop_statements")
    staged = read_restricted(data_dir, "workshop_statements", layer="staged")
    totals = staged.groupby("statement")[["agree", "neutral", "disagree"]].sum()
    for row in statements[statements["meeting"] == "all"].itertuples():
        assert row.n == int(totals.loc[row.statement].sum())
        for answer in ("agree", "neutral", "disagree"):
            value = getattr(row, answer)
            if not pd.isna(value):
                assert value == totals.at[row.statement, answer] and not 0 < value < 5


def test_time_travel_returns_an_earlier_snapshot(tmp_path):
    location = lake_location(str(tmp_path))
    with connect(location) as connection:
        first = replace_wave(connection, "example", "2024-01", pd.DataFrame({"n": [1, 2, 3]}))
        replace_wave(connection, "example", "2024-01", pd.DataFrame({"n": [7, 8]}))
        assert read_wave(connection, "example", "2024-01")["n"].tolist() == [7, 8]
        assert read_wave(connection, "example", "2024-01", snapshot=first)["n"].tolist() == [1, 2, 3]


def test_a_changed_input_creates_the_next_release(released, tmp_path):
    data_dir, _, _, _ = released
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    withdrawals = copy / "inbox" / SAMPLE_WAVE / "withdrawals.csv"
    withdrawals.write_text(withdrawals.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")  # no withdrawals
    result = materialize_wave(copy)
    assert result.success, step_error_messages(result)
    assert list_releases(copy / "releases", SAMPLE_WAVE) == ["r1", "r2"]
    assert verify_release(copy / "releases" / SAMPLE_WAVE / "r1") == []


def test_workshop_support_needs_and_notes_match_the_staged_tables(released):
    data_dir, _, _, _ = released
    staged_needs = read_restricted(data_dir, "workshop_support_needs", layer="staged")
    needs = read_analysis(data_dir, "workshop_support_needs")
    overall = needs[needs["meeting"] == "all"]
    assert int(overall["votes"].sum()) == int(staged_needs["votes"].sum())
    top = overall.sort_values("rank").iloc[0]
    assert top["rank"] == 1 and top["votes"] == overall["votes"].max()
    per_meeting = needs[needs["meeting"] != "all"].groupby("meeting")["votes"].sum()
    assert per_meeting.to_dict() == staged_needs.groupby("meeting")["votes"].sum().to_dict()
    notes = read_analysis(data_dir, "workshop_notes")
    staged_notes = read_restricted(data_dir, "workshop_sticky_notes", layer="staged")
    assert notes["category"].value_counts().to_dict() == staged_notes["category"].value_counts().to_dict()
    assert "author" not in notes.columns


def test_an_error_inside_a_lake_connection_does_not_spoil_the_next_one(tmp_path):
    location = lake_location(str(tmp_path))
    with connect(location) as connection:
        replace_wave(connection, "example", "2024-01", pd.DataFrame({"n": [1, 2]}))
    with pytest.raises(duckdb.Error), connect(location) as connection:
        connection.execute("BEGIN")
        connection.execute("SELECT * FROM lake.no_such_table")
    with connect(location) as connection:  # a fresh connection, not one stuck in the failed transaction
        assert read_wave(connection, "example", "2024-01")["n"].tolist() == [1, 2]
        with connect(location) as nested:  # in use: the nested use gets a connection of its own
            assert nested is not connection
            assert read_wave(nested, "example", "2024-01")["n"].tolist() == [1, 2]


def test_a_release_whose_record_was_lost_is_recorded_on_the_next_run(released, tmp_path):
    """A run killed between renaming rN into place and recording it leaves rN on disk only: the next run records it."""
    data_dir, _, _, _ = released
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    with connect(lake_location(str(copy))) as connection:
        connection.execute("DELETE FROM lake.releases")
    result = materialize_wave(copy, layers=("release",))
    assert result.success, step_error_messages(result)
    with connect(lake_location(str(copy))) as connection:
        releases = connection.execute("SELECT wave, release_id, snapshot_id FROM lake.releases").fetchall()
    record = json.loads((copy / "releases" / SAMPLE_WAVE / "r1" / "release.json").read_text(encoding="utf-8"))
    assert releases == [(SAMPLE_WAVE, "r1", record["snapshot_id"])]


def test_every_mart_has_exactly_its_specified_columns_types_and_descriptions(released):
    from schemas.table_specs import MART_COLUMN_NAMES, conform, mart_columns, microdata_columns
    from verkenning.release.explanation import column_descriptions

    data_dir, first, _, _ = released
    assert first.success, step_error_messages(first)
    for table, names in MART_COLUMN_NAMES.items():
        frame = read_restricted(data_dir, table, layer="marts")
        assert list(frame.columns) == list(names), table
        assert {c: str(t) for c, t in frame.dtypes.items()} == {s.name: s.dtype for s in mart_columns(table)}, table
        described = column_descriptions({table: frame}, CODEBOOK)[table]
        assert all(text and text != column.replace("_", " ") for column, text in described.items()), table
    respondents = read_restricted(data_dir, "respondents", layer="marts")
    assert list(respondents.columns) == [spec.name for spec in microdata_columns(CODEBOOK)]
    # The asset pages: text is described as typed where it is (staged), as de-identified from the anonymisation on.
    open_text = CODEBOOK.questions_with_role("open_text")[0].code
    for asset, expected in (("staged/survey_completed", "zoals ingevuld"), ("anonymised/respondents", "ontdaan"),
                            ("marts/respondents", "ontdaan")):
        schema = materialization_metadata(first, asset)["dagster/column_schema"].value
        assert expected in next(c.description for c in schema.columns if c.name == open_text), asset
    frequencies = read_restricted(data_dir, "question_frequencies", layer="marts")
    with pytest.raises(ValueError, match="question_frequencies.*missing \\['all_n'\\]"):
        conform(frequencies.drop(columns="all_n"), mart_columns("question_frequencies"), "question_frequencies")
