"""A wave ten times the sample (2,000 respondents) through the whole pipeline, as the benchmark runs it."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq

from conftest import SAMPLE_WAVE, read_restricted
from pipelines import bench, run
from pipelines.resources import LAKE_CATALOG_VARIABLE, LAKE_DATA_PATH_VARIABLE
from verkenning.anonymise.text import TextDeidentifier
from verkenning.data_folder import DataFolder
from verkenning.release.publish import verify_release

RESPONDENTS = 2_000
K = 5  # the default VERKENNING_K


def _never_in_the_runs_process(self, text):
    raise AssertionError("a text was read in the run's own process, not by the shared workers")


def test_a_2000_respondent_wave_is_released_complete_and_k_anonymous(data_dir, monkeypatch):
    # The bench points the environment at its data folder; monkeypatch puts it back afterwards.
    monkeypatch.setenv("VERKENNING_DATA_DIR", str(data_dir))
    for variable in (LAKE_CATALOG_VARIABLE, LAKE_DATA_PATH_VARIABLE, "VERKENNING_K"):
        monkeypatch.delenv(variable, raising=False)
    # As `make run` takes a wave of 10,000 and more: worker processes read every text, the run's process none.
    monkeypatch.setattr(run, "LARGE_EXPORT_BYTES", 0)
    monkeypatch.setattr(TextDeidentifier, "_spans", _never_in_the_runs_process)
    rows, _ = bench.generate_wave(data_dir, RESPONDENTS)
    assert rows > RESPONDENTS  # plus incomplete, test and duplicate responses

    result = bench.run_pipeline(data_dir, RESPONDENTS)

    assert result.success, (result.failed_steps, result.errors)
    assert "release__wave_release" in result.seconds_per_asset
    release = DataFolder(data_dir).releases / SAMPLE_WAVE / "r1"
    assert release.is_dir()
    assert verify_release(release) == []
    for tier in ("public", "scientific_use"):
        tier_manifest = json.loads((release / tier / "manifest.json").read_text(encoding="utf-8"))
        for name, table in tier_manifest["tables"].items():
            assert pq.ParquetFile(release / tier / table["parquet"]).metadata.num_rows == table["rows"], name
            assert len(pd.read_csv(release / tier / table["csv"], dtype=str, keep_default_na=False)) == table["rows"], name
    release = release / "scientific_use"
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["release_id"] == "r1" and "respondents" in manifest["tables"]

    # One released row per completed, unique, non-test, non-withdrawn person, as staging counted them.
    expected = len(read_restricted(data_dir, "survey_completed", layer="staged"))
    assert 1_700 <= expected <= RESPONDENTS
    respondents = pd.read_parquet(release / manifest["tables"]["respondents"]["parquet"])
    assert len(respondents) == manifest["tables"]["respondents"]["rows"] == expected
    assert respondents["respondent_key"].is_unique

    groups = [column for column in respondents.columns if column.endswith("_group")]
    assert len(groups) >= 4
    class_sizes = respondents.groupby(groups, dropna=False).size()
    assert class_sizes.min() >= K, class_sizes[class_sizes < K].to_dict()
    assert manifest["risk_report"]["k_reached"] >= K

    # The workers de-identified the texts: names replaced, the rest kept, none withheld for an error.
    texts = pd.concat([respondents[c].dropna() for c in ("OPEN_USE", "OPEN_CONCERN") if c in respondents.columns])
    assert len(texts) > 500
    assert texts.str.contains(r"\[PERSOON\]").any() and not texts.str.contains(r"\[VERWIJDERD\]").any()
