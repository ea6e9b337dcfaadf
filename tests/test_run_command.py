"""`make run`'s entry point and the definitions the UI loads."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import dagster as dg

from conftest import PROJECT_ROOT, SAMPLE_WAVE
from pipelines import run


def test_definitions_load_with_every_raw_asset_and_check():
    from pipelines.definitions import defs

    dg.Definitions.validate_loadable(defs)
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"raw/survey_responses", "raw/survey_quarantine", "raw/withdrawals", "raw/workshop_attendance"} <= keys
    job = defs.resolve_job_def("process_wave")
    assert job.partitions_def is not None and job.partitions_def.name == "waves"


def test_workspace_validates_with_the_dagster_command(tmp_path):
    env = {"DAGSTER_HOME": str(tmp_path), "PATH": "", "VERKENNING_DATA_DIR": str(tmp_path / "data")}
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    completed = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "All code locations passed validation" in completed.stderr + completed.stdout


# `make run`'s process, with the de-identification shared with a worker process as for a large wave.
RUN_WITH_A_WORKER = """
import os, sys
from verkenning.anonymise.text import deidentifier as text_module
started = []
class RecordingPool(text_module.ProcessPoolExecutor):
    def __init__(self, *args, **kwargs):
        started.append(self)
        super().__init__(*args, **kwargs)
text_module.PARALLEL_MIN_TEXTS = 10
text_module.ProcessPoolExecutor = RecordingPool
text_module.os.sched_getaffinity = lambda _: {0, 1}
from pipelines import run
code = run.main([])
print(f"workers started: {len(started)}")
sys.exit(code)
"""


def _process_group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def test_run_processes_every_wave_of_the_inbox_and_says_where_outputs_are_and_leaves_no_process(sample_data_dir, tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = {**os.environ, "DAGSTER_HOME": str(home), "VERKENNING_DATA_DIR": str(sample_data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_WITH_A_WORKER], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,  # its own process group, to look for leftovers
    )
    printed, errors = process.communicate(timeout=900)
    assert process.returncode == 0, errors[-3000:]
    assert "workers started: 0" not in printed and "workers started:" in printed
    assert "Highs" not in printed  # the MIP solver's debugging line is not part of the report
    # Nothing of the run remains: Python's resource tracker, which a worker process needs, ends when its pipe
    # from the run closes; wait for that, however slowly the machine goes.
    deadline = time.monotonic() + 60
    while _process_group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _process_group_alive(process.pid), "a process of `make run` outlived it"
    assert f"== wave {SAMPLE_WAVE}" in printed and "ok:" in printed
    assert str((sample_data_dir / "restricted").resolve()) in printed
    instance = dg.DagsterInstance.from_config(str(home))
    assert instance.get_dynamic_partitions("waves") == [SAMPLE_WAVE]
    assert (sample_data_dir / "restricted" / "raw" / "survey_responses" / f"{SAMPLE_WAVE}.parquet").is_file()


def test_each_run_in_one_process_gets_its_own_settings(tmp_path):
    # Dagster keeps the last job it reconstructed: a second run in the same process (the benchmark's next size,
    # the test suite) must not write into the first run's data folder.
    from pipelines.definitions import reconstructable_wave_job
    from pipelines.resources import VerkenningSettings

    for folder, k in (("first", 5), ("second", 7), ("first", 3)):
        job = reconstructable_wave_job(VerkenningSettings(data_dir=str(tmp_path / folder), k=k)).get_definition()
        settings = job.resource_defs["settings"].config_schema.default_value
        assert (settings["data_dir"], settings["k"]) == (str(tmp_path / folder), k)
        assert job.executor_def.name == dg.in_process_executor.name


def test_run_says_what_to_do_with_an_empty_inbox(data_dir, monkeypatch, capsys):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("VERKENNING_DATA_DIR", str(data_dir))
    assert run.main([]) == 1
    assert "No wave folders in" in capsys.readouterr().out



def test_preflight_says_what_the_codebook_changed_since_the_previous_wave(sample_data_dir):
    import yaml

    from pipelines.resources import VerkenningSettings
    from schemas.codebook import PROJECT_CODEBOOK

    later = sample_data_dir / "inbox" / "2025-01"
    later.mkdir()
    (later / "survey_export.csv").write_bytes((sample_data_dir / "inbox" / SAMPLE_WAVE / "survey_export.csv").read_bytes())
    document = yaml.safe_load(PROJECT_CODEBOOK.read_text(encoding="utf-8"))
    document["questions"] = [q for q in document["questions"] if q["code"] != "OPEN_SUPPORT"]
    familiar = next(q for q in document["questions"] if q["code"] == "FAMILIAR")
    familiar["text"]["nl"] = "Hoe bekend bent u met AI-toepassingen?"
    (later / "questionnaire.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    settings = VerkenningSettings(data_dir=str(sample_data_dir))
    assert run.preflight(settings, SAMPLE_WAVE) == []  # the first wave has nothing to compare with
    lines = run.preflight(settings, "2025-01")
    assert lines[0] == f"codebook changes since wave {SAMPLE_WAVE}:"
    text = "\n".join(lines)
    assert "OPEN_SUPPORT" in text and "FAMILIAR" in text and "EXPECT" not in text


def test_a_worker_is_started_ahead_only_for_a_wave_whose_export_is_large(sample_data_dir, monkeypatch):
    from pipelines.resources import VerkenningSettings

    settings = VerkenningSettings(data_dir=str(sample_data_dir))
    export = sample_data_dir / "inbox" / SAMPLE_WAVE / "survey_export.csv"
    assert not run.is_large_wave(settings, SAMPLE_WAVE)  # the sample: every text is read in this process
    monkeypatch.setattr(run, "LARGE_EXPORT_BYTES", export.stat().st_size)
    assert run.is_large_wave(settings, SAMPLE_WAVE)
    export.unlink()
    assert not run.is_large_wave(settings, SAMPLE_WAVE)  # no export: preflight says so, no worker is started
