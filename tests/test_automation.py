"""The inbox sensor and the weekly refresh, evaluated against a real data folder and instance."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time

import dagster as dg

from conftest import SAMPLE_WAVE, SAMPLE_WAVE_DIR
from pipelines.automation import inbox_sensor, weekly_refresh
from pipelines.resources import VerkenningSettings
from schemas.codebook import PROJECT_CODEBOOK
from verkenning.inbox import wave_inputs


def _age(folder, seconds: float = 120) -> None:
    """Make the files look copied a while ago (the sensor waits until files have settled)."""
    then = time.time() - seconds
    for path in folder.iterdir():
        os.utime(path, (then, then))


def _evaluate_sensor(instance, data_dir):
    context = dg.build_sensor_context(instance=instance, resources={"settings": VerkenningSettings(data_dir=str(data_dir))})
    return inbox_sensor(context)


def test_a_new_wave_folder_becomes_a_partition_and_a_run(data_dir):
    wave = data_dir / "inbox" / "2024-02"
    shutil.copytree(SAMPLE_WAVE_DIR, wave)
    _age(wave)
    instance = dg.DagsterInstance.ephemeral()
    result = _evaluate_sensor(instance, data_dir)
    assert [request.partition_keys for request in result.dynamic_partitions_requests] == [["2024-02"]]
    [request] = result.run_requests
    assert request.partition_key == "2024-02" and request.tags["wave"] == "2024-02"
    assert request.run_key == f"2024-02:{wave_inputs(wave).fingerprint}"

    instance.add_dynamic_partitions("waves", ["2024-02"])
    again = _evaluate_sensor(instance, data_dir)
    assert not again.dynamic_partitions_requests
    assert [r.run_key for r in again.run_requests] == [request.run_key]  # same key: Dagster does not run it twice

    (wave / "withdrawals.csv").write_text("token,email,datum\n", encoding="utf-8")  # a corrected file
    _age(wave)
    corrected = _evaluate_sensor(instance, data_dir)
    assert [r.run_key for r in corrected.run_requests] != [request.run_key]


def test_files_still_being_copied_wait_for_the_next_look(data_dir):
    wave = data_dir / "inbox" / "2024-02"
    shutil.copytree(SAMPLE_WAVE_DIR, wave, copy_function=shutil.copy)  # just written: not settled
    assert _evaluate_sensor(dg.DagsterInstance.ephemeral(), data_dir).run_requests == []


def _release_made_from(data_dir, wave: str) -> None:
    inputs = wave_inputs(data_dir / "inbox" / wave)
    release = data_dir / "releases" / wave / "r1"
    release.mkdir(parents=True)
    (release / "manifest.json").write_text(
        json.dumps({
            "sources": [{"name": name, "sha256": sha} for name, sha in inputs.files.items()],
            "codebook_sha256": hashlib.sha256(PROJECT_CODEBOOK.read_bytes()).hexdigest(),
        }),
        encoding="utf-8",
    )


def test_weekly_refresh_runs_only_waves_changed_since_their_release(data_dir):
    for wave in (SAMPLE_WAVE, "2024-02"):
        shutil.copytree(SAMPLE_WAVE_DIR, data_dir / "inbox" / wave)
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("waves", [SAMPLE_WAVE, "2024-02"])
        settings = VerkenningSettings(data_dir=str(data_dir))

        def refresh() -> list[dg.RunRequest]:
            with dg.build_schedule_context(instance=instance, resources={"settings": settings}) as context:
                return list(weekly_refresh(context))

        assert sorted(r.partition_key for r in refresh()) == [SAMPLE_WAVE, "2024-02"]  # no release yet
        _release_made_from(data_dir, SAMPLE_WAVE)
        _release_made_from(data_dir, "2024-02")
        assert refresh() == []
        (data_dir / "inbox" / "2024-02" / "withdrawals.csv").write_text("token,email,datum\n", encoding="utf-8")
        [request] = refresh()
        assert request.partition_key == "2024-02" and request.tags["trigger"] == "weekly refresh"
