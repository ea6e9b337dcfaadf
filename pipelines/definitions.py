"""The Dagster definitions of verkenning: every zone's assets and checks, the resources and the jobs."""

from __future__ import annotations

import dagster as dg

import assets.analysis as analysis_zone
import assets.anonymised as anonymised_zone
import assets.marts as marts_zone
import assets.raw as raw_zone
import assets.release as release_zone
import assets.staged as staged_zone
from pipelines.automation import inbox_sensor, process_wave, publish_release, weekly_refresh
from pipelines.resources import VerkenningSettings, resources_for, settings_from_environment

ZONE_MODULES = [raw_zone, staged_zone, anonymised_zone, marts_zone, analysis_zone, release_zone]
ALL_ASSETS = dg.load_assets_from_modules(ZONE_MODULES)
# Module loading also finds the checks that factories put in module-level lists (DISCLOSURE_CHECKS).
ALL_ASSET_CHECKS = dg.load_asset_checks_from_modules(ZONE_MODULES)

# Each step of a run gets its own process (the default multiprocess executor), forked from a server that has
# already loaded dagster, pandas, every zone, deduce and Great Expectations (pipelines/step_preload.py),
# instead of a fresh interpreter loading them again for each of some twenty-five steps.
STEP_EXECUTOR = dg.multiprocess_executor.configured(
    {"start_method": {"forkserver": {"preload_modules": ["pipelines.step_preload"]}}}, name="multiprocess_forkserver"
)


def build_definitions(
    settings: VerkenningSettings | None = None, executor: dg.ExecutorDefinition = STEP_EXECUTOR
) -> dg.Definitions:
    """The definitions for one configuration; by default read from the environment (VERKENNING_*)."""
    settings = settings or settings_from_environment()
    return dg.Definitions(
        assets=ALL_ASSETS,
        asset_checks=ALL_ASSET_CHECKS,
        jobs=[process_wave, publish_release],
        sensors=[inbox_sensor],
        schedules=[weekly_refresh],
        executor=executor,
        resources={**resources_for(settings.data_dir), "settings": settings},
    )


# `make run` executes process_wave with every step in its own process (no fork, nothing kept in memory but the
# table a step works on), through Dagster's public `execute_job`, which takes a job it can reconstruct by name:
# in_process_wave_job below. The configuration of the run is set here by `pipelines.run.run_wave` just before.
_in_process_settings: VerkenningSettings | None = None


def in_process_wave_job() -> dg.JobDefinition:
    """The process_wave job with every step in the calling process, for the settings of the run being started."""
    return build_definitions(_in_process_settings, executor=dg.in_process_executor).resolve_job_def(process_wave.name)


def reconstructable_wave_job(settings: VerkenningSettings) -> dg.ReconstructableJob:
    """in_process_wave_job for these settings, as `execute_job` takes it.

    Dagster keeps the job it last reconstructed (an lru_cache of one entry, shared by every ReconstructableJob
    with the same pointer): without emptying it, a second run in the same process (the next wave of the
    benchmark, another data folder) would run with the first run's settings and write into its data folder."""
    global _in_process_settings
    _in_process_settings = settings
    job = dg.reconstructable(in_process_wave_job)
    type(job).get_definition.cache_clear()
    type(job).get_repository_definition.cache_clear()
    return job

defs = build_definitions()
