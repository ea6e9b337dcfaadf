"""The Dagster definitions of verkenning: every zone's assets and checks, the resources and the jobs."""

from __future__ import annotations

import dagster as dg

import assets.raw as raw_zone
from assets.partitions import waves
from pipelines.resources import RestrictedParquetIOManager, VerkenningSettings, settings_from_environment

PROCESS_WAVE_JOB = "process_wave"
ZONE_MODULES = [raw_zone]
ALL_ASSETS = dg.load_assets_from_modules(ZONE_MODULES)
ALL_ASSET_CHECKS = dg.load_asset_checks_from_modules(ZONE_MODULES)

process_wave = dg.define_asset_job(
    PROCESS_WAVE_JOB,
    selection=dg.AssetSelection.all(),
    partitions_def=waves,
    description="Process a wave: read its inbox files and build every table of every zone.",
)


def build_definitions(settings: VerkenningSettings | None = None) -> dg.Definitions:
    """The definitions for one configuration; by default read from the environment (VERKENNING_*)."""
    settings = settings or settings_from_environment()
    return dg.Definitions(
        assets=ALL_ASSETS,
        asset_checks=ALL_ASSET_CHECKS,
        jobs=[process_wave],
        resources={
            "settings": settings,
            "restricted_io_manager": RestrictedParquetIOManager(data_dir=settings.data_dir),
        },
    )


defs = build_definitions()
