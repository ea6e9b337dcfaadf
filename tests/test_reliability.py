"""Operations that go wrong: a run killed with kill -9, several waves at once, a first wave without workbooks,
publishing after a blocked run. Each runs the real pipeline on copies of the sample wave."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from assets.partitions import waves
from conftest import (
    PROJECT_ROOT,
    SAMPLE_WAVE,
    SAMPLE_WAVE_DIR,
    TEST_PSEUDONYM_KEY,
    materialize_wave,
    read_analysis,
    step_error_messages,
)
from pipelines.recover import abandoned_runs
from verkenning.data_folder import DataFolder
from verkenning.environment import prepare_dagster_home
from verkenning.release import list_releases

PYTHON = sys.executable
# One wave through the whole process_wave job in this process, recorded in the instance of DAGSTER_HOME.
RUN_ONE_WAVE = textwrap.dedent(
    """
    import sys
    import dagster as dg
    from pipelines.automation import PROCESS_WAVE_JOB
    from pipelines.definitions import build_definitions
    from pipelines.resources import VerkenningSettings

    data_dir, wave = sys.argv[1], sys.argv[2]
    job = build_definitions(VerkenningSettings(data_dir=data_dir)).resolve_job_def(PROCESS_WAVE_JOB)
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, partition_key=wave, raise_on_error=False, tags={"wave": wave})
    print("RUN", wave, "success" if result.success else "failure", flush=True)
    sys.exit(0 if result.success else 1)
    """
)


def _environment(data_dir: Path, home: Path) -> dict[str, str]:
    return {
        **os.environ, "DAGSTER_HOME": str(home), "VERKENNING_DATA_DIR": str(data_dir),
        "VERKENNING_PSEUDONYM_KEY": TEST_PSEUDONYM_KEY, "PYTHONPATH": str(PROJECT_ROOT), "GX_ANALYTICS_ENABLED": "false",
    }


def _waves(data_dir: Path, names: list[str]) -> None:
    for name in names:
        shutil.copytree(SAMPLE_WAVE_DIR, data_dir / "inbox" / name)


def _home(tmp_path: Path, names: list[str]) -> Path:
    home = tmp_path / "dagster_home"
    prepare_dagster_home(home)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.add_dynamic_partitions(waves.name, names)
    return home


def _start(data_dir: Path, home: Path, wave: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "-c", RUN_ONE_WAVE, str(data_dir), wave], cwd=PROJECT_ROOT, env=_environment(data_dir, home),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


def test_three_waves_at_once_succeed_on_the_embedded_catalog(data_dir, tmp_path):
    names = ["2024-01", "2024-02", "2024-03"]
    _waves(data_dir, names)
    home = _home(tmp_path, names)
    runs = [_start(data_dir, home, name) for name in names]
    outputs = [run.communicate(timeout=900)[0] for run in runs]
    for run, output in zip(runs, outputs):
        assert run.returncode == 0, output[-3000:]
        assert "database is locked" not in output
    for name in names:
        assert list_releases(data_dir / "releases", name) == ["r1"]
        assert not read_analysis(data_dir, "question_frequencies", name).empty


def test_a_run_killed_with_kill_9_is_followed_by_a_run_that_completes(data_dir, tmp_path):
    _waves(data_dir, [SAMPLE_WAVE])
    home = _home(tmp_path, [SAMPLE_WAVE])
    killed = _start(data_dir, home, SAMPLE_WAVE)
    lake_lock = DataFolder(data_dir).analysis / "catalog.sqlite.lock"
    deadline = time.monotonic() + 600
    # Kill it while it holds the analysis zone's lock, the worst moment (or, failing that, late in the run).
    while time.monotonic() < deadline and killed.poll() is None:
        if lake_lock.is_file() and lake_lock.read_text().strip() == str(killed.pid):
            break
        time.sleep(0.05)
    assert killed.poll() is None, "the run ended before it could be killed"
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=60)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert [run.wave for run in abandoned_runs(instance)] == [SAMPLE_WAVE]

    recovery = subprocess.run(
        [PYTHON, "-m", "pipelines.recover"], cwd=PROJECT_ROOT, env=_environment(data_dir, home),
        capture_output=True, text=True, timeout=300,
    )
    assert "marked failed" in recovery.stdout, recovery.stdout + recovery.stderr
    again = _start(data_dir, home, SAMPLE_WAVE)
    output = again.communicate(timeout=900)[0]
    assert again.returncode == 0, output[-3000:]
    assert list_releases(data_dir / "releases", SAMPLE_WAVE) == ["r1"]
    with dg.DagsterInstance.from_config(str(home)) as instance:
        statuses = [run.status for run in instance.get_runs()]
        assert abandoned_runs(instance) == []
    assert sorted(status.value for status in statuses) == ["FAILURE", "SUCCESS"]


def test_a_first_wave_without_workbooks_is_followed_by_one_with_workbooks(data_dir):
    """Lake tables made from an empty frame once typed text columns as INTEGER, and every later wave failed."""
    first, second = "2024-01", "2024-02"
    _waves(data_dir, [first, second])
    for workbook in (data_dir / "inbox" / first).glob("workshop_*.xlsx"):
        workbook.unlink()
    for wave in (first, second):
        result = materialize_wave(data_dir, wave)
        assert result.success, step_error_messages(result)
    assert read_analysis(data_dir, "workshop_statements", first).empty
    statements = read_analysis(data_dir, "workshop_statements", second)
    assert not statements.empty and statements["statement"].map(lambda v: isinstance(v, str)).all()


def test_publishing_after_a_blocked_run_refuses_and_says_why(data_dir):
    _waves(data_dir, [SAMPLE_WAVE])
    assert materialize_wave(data_dir).success
    export_path = data_dir / "inbox" / SAMPLE_WAVE / "survey_export.csv"
    export = pd.read_csv(export_path, dtype=str, keep_default_na=False)
    token = next(t for t in export["token"] if len(t) >= 10 and not t.startswith("test"))
    rows = export.index[(export["submitdate"] != "") & (export["token"] != token)][:20]
    export.loc[rows, "OPEN_USE"] = f"Mijn collega met code {token} weet er meer van."
    export.to_csv(export_path, index=False)
    blocked = materialize_wave(data_dir)
    assert not blocked.success or "analysis/wave_tables" not in {
        e.asset_key.to_user_string() for e in blocked.get_asset_materialization_events()
    }

    published = materialize_wave(data_dir, layers=("release",))  # the publish_release job: the release group alone
    assert not published.success
    message = " ".join(step_error_messages(published))
    assert "survey_export.csv" in message and "process_wave" in message
    assert list_releases(data_dir / "releases", SAMPLE_WAVE) == ["r1"]


def test_a_failed_use_of_the_embedded_catalog_removes_data_files_no_snapshot_names(tmp_path):
    from verkenning.lake import LakeLocation, connect, replace_wave_tables

    location = LakeLocation.embedded(tmp_path / "analysis")
    with connect(location) as connection:
        replace_wave_tables(connection, "2024-01", {"example": pd.DataFrame({"n": range(50_000), "text": ["a"] * 50_000})})
    kept = sorted(p.name for p in (tmp_path / "analysis" / "lake").rglob("*.parquet"))
    orphan = next((tmp_path / "analysis" / "lake").rglob("*.parquet")).with_name("ducklake-left-by-a-failed-write.parquet")
    orphan.write_bytes(b"half a file")
    with pytest.raises(ZeroDivisionError), connect(location):
        1 / 0  # any failure inside a use of the lake
    assert sorted(p.name for p in (tmp_path / "analysis" / "lake").rglob("*.parquet")) == kept
    with connect(location) as connection:
        assert connection.execute("SELECT count(*) FROM lake.example").fetchone()[0] == 50_000


def test_text_columns_of_an_empty_first_table_are_text(tmp_path):
    from verkenning.lake import LakeLocation, connect, read_wave, replace_wave_tables

    location = LakeLocation.embedded(tmp_path / "analysis")
    empty = pd.DataFrame({"statement": pd.Series([], dtype=object), "n": pd.Series([], dtype="Int64")})
    with connect(location) as connection:
        replace_wave_tables(connection, "2024-01", {"statements": empty})
        replace_wave_tables(connection, "2024-02", {"statements": pd.DataFrame({"statement": ["AI helpt"], "n": [3], "extra": [1.5]})})
        assert read_wave(connection, "statements", "2024-02")[["statement", "n", "extra"]].values.tolist() == [["AI helpt", 3, 1.5]]


HOLD_THE_LAKE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from verkenning.lake import LakeLocation, connect
    with connect(LakeLocation.embedded(Path(sys.argv[1]))):
        print("holding", flush=True)
        time.sleep(600)
    """
)


def test_a_run_waiting_for_the_analysis_zone_ends_on_sigterm(data_dir, tmp_path):
    _waves(data_dir, [SAMPLE_WAVE])
    home = _home(tmp_path, [SAMPLE_WAVE])
    holder = subprocess.Popen(
        [PYTHON, "-c", HOLD_THE_LAKE, str(DataFolder(data_dir).analysis)], cwd=PROJECT_ROOT,
        env=_environment(data_dir, home), stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        waiting = _start(data_dir, home, SAMPLE_WAVE)
        with dg.DagsterInstance.from_config(str(home)) as instance:
            deadline = time.monotonic() + 600
            # The first step that reads the analysis zone: the GX suite compares with the previous wave's size.
            while time.monotonic() < deadline and waiting.poll() is None:
                started = {
                    e.dagster_event.step_key for run in instance.get_runs() for e in instance.all_logs(run.run_id)
                    if e.dagster_event is not None and e.dagster_event.event_type_value == "STEP_START"
                }
                if "anonymised__respondents_gx_anonymised_respondents" in started:
                    break
                time.sleep(1)
        time.sleep(3)
        assert waiting.poll() is None
        waiting.send_signal(signal.SIGTERM)
        waiting.communicate(timeout=60)  # ends, instead of waiting for ever
        assert waiting.returncode != 0
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait(timeout=60)
