"""What `make run` tells a data steward (issue 15): the root cause of a failed step with its file and what to do,
and the inbox folders it does not process because their names are not wave names."""

from __future__ import annotations

import csv
import errno
import io
import os
import shutil
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

from conftest import PROJECT_ROOT, SAMPLE_EXPORT, SAMPLE_WAVE, SAMPLE_WAVE_DIR
from pipelines import run
from verkenning.data_folder import WAVE_NAME, DataFolder, wave_name_problem

MISNAMED = ("2024-07\n", "２０２４-08", "notes")


def export_without(column: str, count: int = 5) -> str:
    """The first completed rows of the sample export, without one required column."""
    with SAMPLE_EXPORT.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["submitdate"].strip()][:count]
        header = [c for c in reader.fieldnames if c != column]
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def dagster_home(tmp_path, monkeypatch):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def test_make_run_names_the_root_cause_file_and_what_to_do_and_the_skipped_folders(data_dir, dagster_home, tmp_path):
    broken = data_dir / "inbox" / "2024-05"
    broken.mkdir()
    (broken / "survey_export.csv").write_text(export_without("ORGSIZE"), encoding="utf-8")
    for name in MISNAMED:  # a whole wave each, that would run if its folder were named right
        shutil.copytree(SAMPLE_WAVE_DIR, data_dir / "inbox" / name)

    env = {
        "PATH": os.environ.get("PATH", ""),
        "DAGSTER_HOME": str(dagster_home),
        "VERKENNING_DATA_DIR": str(data_dir),
        "VERKENNING_PSEUDONYM_KEY": os.environ["VERKENNING_PSEUDONYM_KEY"],
        "GX_ANALYTICS_ENABLED": "false",
        "PYTHONIOENCODING": "utf-8",
    }
    completed = subprocess.run(
        [sys.executable, "-m", "pipelines.run"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
        encoding="utf-8", timeout=600,
    )
    printed = completed.stdout
    assert completed.returncode != 0, printed

    export = broken / "survey_export.csv"
    # found from the headings alone, before any step ran
    assert "FAILED before any step ran" in printed
    assert f"- the check of the wave's inputs failed: file {export}, column 'ORGSIZE': 1 required column(s) missing: ORGSIZE" in printed
    assert f"file: {export}\n" in printed
    assert "what to do: correct the file as the message says" in printed
    assert 'of step "raw_survey":' not in printed and "Error occurred while" not in printed

    assert f"Not processed: 3 folder(s) in {data_dir / 'inbox'} whose names are not wave names:" in printed
    assert "- '2024-07\\n': the name holds a space, tab or line break" in printed
    assert "(rename it to 2024-07 to process it)" in printed
    assert "- '２０２４-08': the name holds digits other than the plain digits 0-9" in printed
    assert "(rename it to 2024-08 to process it)" in printed
    assert "- 'notes': the name does not have the form of a wave name" in printed
    assert "== wave 2024-05" in printed and printed.count("== wave") == 1


def test_skipped_folders_are_available_to_other_code(data_dir):
    for name in (*MISNAMED, "2024-01", "2024-02b"):
        (data_dir / "inbox" / name).mkdir()
    (data_dir / "inbox" / "loose_file.csv").write_text("not a folder")
    folder = DataFolder(data_dir)
    assert folder.waves() == ["2024-01", "2024-02b"]
    skipped = folder.skipped_folders()
    assert [s.name for s in skipped] == sorted(MISNAMED)
    assert all(s.reason for s in skipped)
    assert {s.name: s.suggestion for s in skipped} == {"2024-07\n": "2024-07", "２０２４-08": "2024-08", "notes": None}


@pytest.mark.parametrize("name", ["2024-01\n", "２０２４-01", "2024-０1", "٢٠٢٤-01", "2024-1", " 2024-01", "2024-01 b", ""])
def test_wave_names_are_plain_digits_without_line_breaks(name):
    assert not WAVE_NAME.match(name)
    assert wave_name_problem(name)


@pytest.mark.parametrize("name", ["2024-01", "2024-01b", "2024-01_pilot", "2024-01-herhaling"])
def test_valid_wave_names(name):
    assert WAVE_NAME.match(name) and wave_name_problem(name) is None


def test_a_wave_argument_that_is_not_a_wave_name_is_refused(data_dir, monkeypatch, capsys):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("VERKENNING_DATA_DIR", str(data_dir))
    (data_dir / "inbox" / "２０２４-01").mkdir()
    assert run.main(["--wave", "２０２４-01"]) == 1
    assert "Not a wave name: '２０２４-01'" in capsys.readouterr().out


def test_a_short_key_is_refused_before_any_step_runs(sample_data_dir, monkeypatch, capsys):
    # A real wave (no SAMPLE.md) with a key that is too short: refused at once, nothing written to any zone.
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("VERKENNING_DATA_DIR", str(sample_data_dir))
    monkeypatch.setenv("VERKENNING_PSEUDONYM_KEY", "too-short")
    (sample_data_dir / "inbox" / SAMPLE_WAVE / "SAMPLE.md").unlink()
    assert run.main([]) == 1
    out = capsys.readouterr().out
    assert "VERKENNING_PSEUDONYM_KEY is shorter than 32 characters" in out
    restricted = sample_data_dir / "restricted"
    assert not restricted.exists() or not any(path.is_file() for path in restricted.rglob("*.parquet"))


def test_an_export_whose_headings_miss_codebook_columns_is_refused_before_any_step_runs(sample_data_dir, monkeypatch, capsys):
    # The headings are read alone, before the raw step reads every row: the file and the missing column are named.
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("VERKENNING_DATA_DIR", str(sample_data_dir))
    export = sample_data_dir / "inbox" / SAMPLE_WAVE / "survey_export.csv"
    header, rest = export.read_text(encoding="utf-8").split("\n", 1)
    export.write_text(header.replace(",ORGSIZE,", ",ORGSIZE_renamed,") + "\n" + rest, encoding="utf-8")
    from pipelines.resources import VerkenningSettings
    from verkenning.errors import InputFileError

    with pytest.raises(InputFileError, match="required column"):
        run.preflight(VerkenningSettings(data_dir=str(sample_data_dir)), SAMPLE_WAVE)
    assert run.main([]) == 1
    out = capsys.readouterr().out
    assert "survey_export.csv" in out and "required column(s) missing: ORGSIZE" in out
    restricted = sample_data_dir / "restricted"
    assert not restricted.exists() or not any(path.is_file() for path in restricted.rglob("*.parquet"))


# --- failures inside a step: disk full, a type error ----------------------------------------------------------------


def run_sample_with_failing_write(monkeypatch, sample_data_dir, fail) -> str:
    """make run's entry point on the sample, with the write of raw/survey_responses replaced by `fail`."""
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("VERKENNING_DATA_DIR", str(sample_data_dir))
    original = pd.DataFrame.to_parquet

    def to_parquet(frame, path, *args, **kwargs):
        if "survey_responses" in str(path):
            return fail(frame, path, original, *args, **kwargs)
        return original(frame, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", to_parquet)
    assert run.main([]) == 1


def test_a_full_disk_is_reported_with_the_file_and_what_to_do(sample_data_dir, monkeypatch, capsys):
    def disk_full(frame, path, original, *args, **kwargs):
        # what pyarrow raises when the disk fills up: errno 28, and no file name
        raise OSError(errno.ENOSPC, "Error writing bytes to file. Detail: [errno 28] No space left on device")

    run_sample_with_failing_write(monkeypatch, sample_data_dir, disk_full)
    printed = capsys.readouterr().out
    target = DataFolder(sample_data_dir).restricted_table("raw", "survey_responses", SAMPLE_WAVE)
    assert (
        "- step raw_survey failed while writing raw/survey_responses: OSError: [Errno 28] Error writing bytes to file. "
        "Detail: [errno 28] No space left on device"
    ) in printed
    assert f"file: {target}\n" in printed
    assert f"what to do: the disk is full: free space on the disk that holds the data folder {sample_data_dir}" in printed
    assert "Error occurred while handling output" not in printed


def test_a_type_error_is_reported_with_its_column_file_and_what_to_do(sample_data_dir, monkeypatch, capsys):
    def mixed_types(frame, path, original, *args, **kwargs):
        mixed = frame.copy()
        mixed["ORGNAME"] = mixed["ORGNAME"].astype(object)
        mixed.loc[mixed.index[-1], "ORGNAME"] = 12  # a number after texts: pyarrow cannot store the column
        return original(mixed, path, *args, **kwargs)

    run_sample_with_failing_write(monkeypatch, sample_data_dir, mixed_types)
    printed = capsys.readouterr().out
    target = DataFolder(sample_data_dir).restricted_table("raw", "survey_responses", SAMPLE_WAVE)
    assert "- step raw_survey failed while writing raw/survey_responses: ArrowTypeError:" in printed
    assert "Conversion failed for column ORGNAME" in printed
    assert f"file: {target}\n" in printed
    assert "what to do: a table holds values of an unexpected type (column ORGNAME)" in printed
    assert "Error occurred while handling output" not in printed


# --- a locked database ----------------------------------------------------------------------------------------------


def test_a_locked_catalog_in_a_step_is_reported_with_its_file_and_what_to_do():
    from dagster._core.errors import DagsterExecutionStepExecutionError
    from dagster._utils.error import serializable_error_info_from_exc_info

    catalog = "/data/analysis/catalog.sqlite"
    try:
        try:
            raise OSError(f'IO Error: Could not set lock on file "{catalog}": Conflicting lock is held in python3 (PID 4242)')
        except OSError as exc:
            raise DagsterExecutionStepExecutionError(
                'Error occurred while executing op "analysis__wave_tables":', user_exception=exc,
                original_exc_info=sys.exc_info(), step_key="analysis__wave_tables", op_name="analysis__wave_tables",
                op_def_name="analysis__wave_tables",
            ) from exc
    except DagsterExecutionStepExecutionError:
        error = serializable_error_info_from_exc_info(sys.exc_info())

    report = run.failure_report("analysis__wave_tables", error, SAMPLE_WAVE, "/data")
    lines = report.lines()
    assert lines[0].startswith("step analysis__wave_tables failed: OSError: IO Error: Could not set lock on file")
    assert f"  file: {catalog}" in lines
    assert lines[-1].startswith("  what to do: another program has the database (" + catalog + ") open")


def test_a_locked_dagster_instance_is_reported_instead_of_a_traceback(data_dir, dagster_home, monkeypatch, capsys):
    shutil.copytree(SAMPLE_WAVE_DIR, data_dir / "inbox" / SAMPLE_WAVE)
    monkeypatch.setenv("VERKENNING_DATA_DIR", str(data_dir))

    def locked():
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(run, "_instance", locked)
    assert run.main([]) == 1
    printed = capsys.readouterr().out
    assert "make run failed: OperationalError: database is locked" in printed
    assert f"file: the Dagster instance in {dagster_home}" in printed
    assert "what to do: another program has the database" in printed
