"""Disclosure control of the whole release, judged as an attacker would: tiers, an independent integer-programming
attack on the public tier, nothing unchecked in the analysis zone, and no free text in the Dagster instance."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from assets.partitions import waves
from pipelines.resources import resources_for
from conftest import OTHER_KNOWN_WAVE, SAMPLE_WAVE, SAMPLE_WAVE_DIR, analysis_tables, read_analysis
from tests.disclosure_attacker import attack
from verkenning.data_folder import DataFolder
from verkenning.release import TIER_TABLES, list_releases, verify_release

MIN_COUNT = 5
FREE_TEXT_COLUMNS = {"answer", "note", "need", "notes"}


def _run(data_dir: Path, instance: dg.DagsterInstance, wave: str = SAMPLE_WAVE) -> dg.ExecuteInProcessResult:
    from pipelines.definitions import ALL_ASSET_CHECKS, ALL_ASSETS

    instance.add_dynamic_partitions(waves.name, [wave, OTHER_KNOWN_WAVE])
    return dg.materialize(
        [*ALL_ASSETS, *ALL_ASSET_CHECKS], partition_key=wave, instance=instance, resources=resources_for(data_dir),
        raise_on_error=False,
    )


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample wave run once through every asset, with a Dagster instance on disk (as `make run` and the UI keep)."""
    root = tmp_path_factory.mktemp("tiers")
    data_dir, home = root / "data", root / "dagster_home"
    DataFolder(data_dir).ensure_zones()
    home.mkdir()
    shutil.copytree(SAMPLE_WAVE_DIR, data_dir / "inbox" / SAMPLE_WAVE)
    with dg.DagsterInstance.local_temp(str(home), overrides={"telemetry": {"enabled": False}}) as instance:
        result = _run(data_dir, instance)
        assert result.success
    release = data_dir / "releases" / SAMPLE_WAVE / list_releases(data_dir / "releases", SAMPLE_WAVE)[-1]
    return {"data": data_dir, "home": home, "release": release}


def test_each_tier_holds_its_own_tables_manifest_and_workbook(released):
    release = released["release"]
    assert verify_release(release) == []
    for tier, tables in TIER_TABLES.items():
        folder = release / tier
        assert (folder / "manifest.json").is_file()
        assert {p.stem for p in folder.glob("*.parquet")} == set(tables)
        assert list(folder.glob("*.xlsx"))


def test_public_tier_has_no_microdata_no_free_text_and_no_primary_marks(released):
    public = released["release"] / "public"
    for path in public.glob("*.parquet"):
        frame = pd.read_parquet(path)
        assert "respondent_key" not in frame.columns, path.name
        assert not FREE_TEXT_COLUMNS & set(frame.columns), path.name
        # which suppressed cells are small would tell an attacker that each holds at least 1
        assert "suppression" not in frame.columns, path.name


def _true_counts(scientific_use: Path, cells: pd.DataFrame) -> pd.DataFrame:
    """The true count and base of each survey cell, counted from the microdata (which the public tier lacks)."""
    respondents = pd.read_parquet(scientific_use / "respondents.parquet")

    def count(row: pd.Series) -> pd.Series:
        members = respondents
        if row["breakdown"]:
            group = respondents[f"{row['breakdown']}_group"]
            members = respondents[group.isna()] if row["breakdown_group"] == "UNKNOWN" else respondents[group == row["breakdown_group"]]
        column = f"{row['question_code']}[{row['item_code']}]" if row["item_code"] else row["question_code"]
        if column not in members:
            column = f"{row['question_code']}_group"  # a background question's own distribution
        answers = members[column]
        hits = (answers == True) if row["option_code"] == "Y" else (answers.astype("string") == row["option_code"])  # noqa: E712
        return pd.Series({"true_n": int(hits.fillna(False).sum()), "true_base": int(answers.notna().sum())})

    return pd.concat([cells.reset_index(drop=True), cells.reset_index(drop=True).apply(count, axis=1)], axis=1)


def _a_priori(true_n: int, base: int, multi: bool) -> tuple[int, int] | None:
    """The range the rule hides a small count in: 1..4, or for a ticked option also few who did not tick."""
    small = MIN_COUNT - 1
    if 1 <= true_n <= small:
        return 1, min(small, base)
    if multi and 1 <= base - true_n <= small:
        return max(base - small, 0), base - 1
    return None


def test_an_independent_attacker_narrows_no_small_count_and_pins_no_complement(released):
    """Every relation of the public tier solved at once as an integer program (tests/disclosure_attacker.py,
    written apart from the pipeline's own audit), judged against the true counts from the microdata."""
    release = released["release"]
    report = attack([release], min_count=MIN_COUNT)
    assert not report.inconsistent
    assert report.pinned == []  # no suppressed cell, small or not, has one possible value
    survey = report.intervals[report.intervals["table"].isin(["question_frequencies", "crosstabs"])].copy()
    for column in ("breakdown", "breakdown_group", "item_code"):
        survey[column] = survey[column].fillna("")
    judged = _true_counts(release / "scientific_use", survey)
    narrowed = []
    for row in judged.itertuples():
        a_priori = _a_priori(row.true_n, row.true_base, row.option_code == "Y")
        assert row.min <= row.true_n <= row.max  # the attacker's model is right about the truth
        if a_priori and (row.min > a_priori[0] or row.max < a_priori[1]):
            narrowed.append((row.question_code, row.item_code, row.option_code, row.breakdown, row.breakdown_group, row.min, row.max))
    assert narrowed == []
    assert len(judged) > 500  # the sample has hundreds of suppressed cells: the attack looked at all of them


def test_no_open_answer_or_identifier_reaches_the_dagster_instance(released):
    """Metadata, logs and run records live in the Dagster instance, which is no analysis zone: free text and the
    restricted zone's identifiers must never be copied there."""
    texts = set(pd.read_parquet(released["release"] / "scientific_use" / "open_answers.parquet")["answer"])
    texts |= set(pd.read_parquet(released["release"] / "scientific_use" / "workshop_notes.parquet")["note"].dropna())
    watchlist = pd.read_parquet(DataFolder(released["data"]).restricted_table("staged", "identifier_watchlist", SAMPLE_WAVE))
    secrets = {t for t in texts if len(t) >= 25} | {str(v) for v in watchlist["value"] if len(str(v)) >= 8}
    assert len(secrets) > 50
    stored = b"".join(path.read_bytes() for path in released["home"].rglob("*") if path.is_file())
    assert len(stored) > 10_000  # the runs really are recorded there
    found = [secret for secret in secrets if secret.encode("utf-8") in stored]
    assert found == []


def test_a_wave_that_fails_a_blocking_check_adds_nothing_to_the_analysis_zone(data_dir, tmp_path):
    """An open answer that holds another respondent's invitation token: the de-identifier cannot know it is one,
    the watchlist of the restricted zone does, so `no_direct_identifiers` blocks, and no table reaches the lake."""
    wave_dir = data_dir / "inbox" / SAMPLE_WAVE
    shutil.copytree(SAMPLE_WAVE_DIR, wave_dir)
    export = pd.read_csv(wave_dir / "survey_export.csv", dtype=str, keep_default_na=False)
    token = next(t for t in export["token"] if len(t) >= 10 and not t.startswith("test"))
    rows = export.index[(export["submitdate"] != "") & (export["token"] != token)][:20]
    export.loc[rows, "OPEN_USE"] = f"Mijn collega met code {token} weet er meer van."
    export.to_csv(wave_dir / "survey_export.csv", index=False)
    with dg.DagsterInstance.ephemeral() as instance:
        result = _run(data_dir, instance)
    checks = {(e.asset_key.to_user_string(), e.check_name): e.passed for e in result.get_asset_check_evaluations()}
    assert checks[("anonymised/respondents", "no_direct_identifiers")] is False
    assert "analysis/wave_tables" not in {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    tables = analysis_tables(data_dir)
    for table in tables:
        if table != "releases":
            assert read_analysis(data_dir, table).empty, table
    assert list_releases(data_dir / "releases", SAMPLE_WAVE) == []
