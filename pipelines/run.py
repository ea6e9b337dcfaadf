"""`make run`: materialise every asset for every wave folder in <data>/inbox/, in this process, then say where
the outputs are. Runs are recorded in the Dagster instance of DAGSTER_HOME, so the UI shows them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import dagster as dg

from assets.partitions import waves
from pipelines.automation import PROCESS_WAVE_JOB
from pipelines.definitions import build_definitions
from pipelines.resources import VerkenningSettings, lake_location, settings_from_environment
from verkenning.lake import lake_tables
from verkenning.release.publish import list_releases
from verkenning.errors import InputFileError


def _instance() -> dg.DagsterInstance:
    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


def register_waves(instance: dg.DagsterInstance, names: list[str]) -> None:
    """Add a dynamic partition for every wave folder that does not have one yet."""
    known = set(instance.get_dynamic_partitions(waves.name))
    new = [name for name in names if name not in known]
    if new:
        instance.add_dynamic_partitions(waves.name, new)


def run_wave(instance: dg.DagsterInstance, settings: VerkenningSettings, wave: str) -> dg.ExecuteInProcessResult:
    job = build_definitions(settings).resolve_job_def(PROCESS_WAVE_JOB)
    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}  # the summary below says what matters
    return execute_in_process_without_keeping_outputs(job, instance, wave, run_config=quiet, tags={"wave": wave})


def execute_in_process_without_keeping_outputs(
    job: dg.JobDefinition, instance: dg.DagsterInstance, partition_key: str, run_config: dict, tags: dict[str, str]
) -> dg.ExecuteInProcessResult:
    """JobDefinition.execute_in_process (Dagster 1.13, pinned), except that the result does not keep every step's
    output in memory: each table is stored by its IO manager already, and keeping all of them until the run ended
    made a wave of 100,000 respondents hold about 2 GiB more."""
    from dagster._core.definitions.job_base import InMemoryJob
    from dagster._core.execution.execute_in_process import core_execute_in_process, merge_run_tags

    ephemeral = job.as_ephemeral_job(resource_defs={}, input_values={})
    return core_execute_in_process(
        job=InMemoryJob(job_def=ephemeral),
        run_config=run_config,
        instance=instance,
        output_capturing_enabled=False,
        raise_on_error=False,
        run_tags=merge_run_tags(
            job_def=job, partition_key=partition_key, tags=tags, asset_selection=None, instance=instance,
            run_config=run_config,
        ),
        asset_selection=frozenset(),
    )


def _failed_checks(result: dg.ExecuteInProcessResult) -> list[str]:
    return [
        f"{evaluation.asset_key.to_user_string()} {evaluation.check_name} [{evaluation.severity.value}]"
        + (f": {evaluation.description}" if evaluation.description else "")
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed
    ]


def _step_errors(result: dg.ExecuteInProcessResult) -> list[str]:
    errors = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            while error.cause is not None and error.cls_name in ("DagsterExecutionStepExecutionError",):
                error = error.cause
            if error.cls_name != "DagsterAssetCheckFailedError":  # reported with the check's own words
                errors.append(f"{event.step_key}: {error.message.strip()}")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wave", action="append", help="process only this wave (may be repeated)")
    args = parser.parse_args(argv)

    settings = settings_from_environment()
    folder = settings.folder
    folder.ensure_zones()
    names = args.wave or folder.waves()
    if not names:
        print(f"No wave folders in {folder.inbox}: put a wave's files in {folder.inbox}/<wave>/ (e.g. 2024-01).")
        return 1
    missing = [name for name in names if not folder.wave_dir(name).is_dir()]
    if missing:
        print(f"No such wave folder: {', '.join(str(folder.wave_dir(m)) for m in missing)}")
        return 1

    instance = _instance()
    register_waves(instance, names)
    failures = 0
    for wave in names:
        print(f"== wave {wave}: processing {folder.wave_dir(wave)}", flush=True)
        try:
            result = run_wave(instance, settings, wave)
        except InputFileError as error:
            print(f"   FAILED: {error}")
            failures += 1
            continue
        failed_checks = _failed_checks(result)
        checks = len(result.get_asset_check_evaluations())
        tables = len(result.get_asset_materialization_events())
        print(f"   {'ok' if result.success else 'FAILED'}: {tables} tables, {checks} checks, {len(failed_checks)} not passed")
        for failed in failed_checks:
            print(f"   - check not passed: {failed}")
        for message in _step_errors(result):
            print(f"   - {message}")
        for event in result.get_asset_materialization_events():
            if event.asset_key.path[0] == "release":
                print(f"   {event.materialization.metadata['summary'].value}")
        failures += 0 if result.success else 1
    print()
    print("Outputs:")
    print(f"  restricted zone (personal data: raw, quarantine, staged): {folder.restricted.resolve()}")
    for table in sorted(Path(folder.restricted).glob("*/*/")):
        print(f"    {table.relative_to(folder.restricted)}/ : {', '.join(sorted(p.stem for p in table.glob('*.parquet')))}")
    location = lake_location(settings.data_dir)
    print(f"  analysis zone (no personal data): DuckLake catalog {location.catalog}, data {location.data_path}")
    print(f"    tables: {', '.join(lake_tables(location)) or 'none yet'}")
    for wave in names:
        releases = list_releases(folder.releases, wave)
        if releases:
            print(f"  release of wave {wave}: {(folder.releases / wave / releases[-1]).resolve()}  (all: {', '.join(releases)})")
    print(f"  Dagster UI:    make ui  (runs are recorded in {os.environ.get('DAGSTER_HOME', 'a temporary instance')})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
