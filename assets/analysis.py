"""Analysis zone: the wave's checked tables copied into the DuckLake catalog analysts read, all in one transaction.

This step runs only after every blocking check of the anonymised tables and the marts passed (Dagster skips a
step downstream of a failed blocking check), so a wave that fails one adds no rows to the analysis zone.
"""

import hashlib
import json
from pathlib import Path

import dagster as dg
import pandas as pd

from assets.common import OWNERS
from assets.partitions import waves
from pipelines.resources import LAKE_WRITER_POOL, VerkenningSettings, lake_location, lake_table_name
from schemas.codebook import codebook_for_wave
from verkenning.inbox import wave_inputs
from verkenning.lake import connect, replace_wave_tables

ANALYSIS = "analysis"
CHECKED_TABLES = [
    dg.AssetKey(["anonymised", "respondents"]),
    *[dg.AssetKey(["anonymised", f"workshop_{kind}"]) for kind in ("sticky_notes", "statements", "support_needs")],
    *[
        dg.AssetKey(["marts", table])
        for table in (
            "question_frequencies", "crosstabs", "scale_summaries", "open_answers", "respondents",
            "workshop_notes", "workshop_statements", "workshop_support_needs", "workshop_support_themes",
        )
    ],
]


SOURCES_TABLE = "wave_sources"
RISK_TABLE = "wave_risk_inputs"


def latest_metadata(context: dg.AssetExecutionContext, key: list[str]) -> dict[str, object]:
    """The metadata of an asset's latest materialisation for this wave (in a run: the one this run made)."""
    records = context.instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(key), asset_partitions=[context.partition_key]), limit=1
    ).records
    if not records:
        return {}
    return {name: value.value for name, value in records[0].asset_materialization.metadata.items()}


def risk_inputs(context: dg.AssetExecutionContext, wave: str) -> pd.DataFrame:
    """What the checked tables' steps measured (values suppressed, redactions, the attacker's audit), kept in the
    lake beside the tables, so that a release made later, or from another Dagster instance, reports the same."""
    respondents = latest_metadata(context, ["anonymised", "respondents"])
    redactions: dict[str, int] = dict(respondents.get("redactions_by_placeholder") or {})
    for kind in ("sticky_notes", "statements", "support_needs"):
        for placeholder, count in (latest_metadata(context, ["anonymised", f"workshop_{kind}"]).get("redactions_by_placeholder") or {}).items():
            redactions[placeholder] = redactions.get(placeholder, 0) + count
    measured = {
        "values_suppressed_per_quasi_identifier": respondents.get("suppressed_values_by_variable") or {},
        "microdata": respondents.get("microdata") or {},
        "redactions_per_placeholder": dict(sorted(redactions.items())),
        "attacker_audit": {
            table: latest_metadata(context, ["marts", table]).get("attacker_audit") or {}
            for table in ("crosstabs", "workshop_statements")
        },
    }
    return pd.DataFrame([{"wave": wave, "measured": json.dumps(measured, sort_keys=True)}])


def wave_sources(wave_dir: Path, wave: str) -> pd.DataFrame:
    """The inbox files (and codebook) the wave's tables were computed from, with their SHA-256: a release names
    these, and only these, as its sources."""
    inputs = wave_inputs(wave_dir)
    codebook = Path(codebook_for_wave(wave_dir).source)
    rows = [{"wave": wave, "name": name, "sha256": sha256, "size_bytes": (wave_dir / name).stat().st_size}
            for name, sha256 in inputs.files.items()]
    rows.append({"wave": wave, "name": CODEBOOK_SOURCE, "sha256": hashlib.sha256(codebook.read_bytes()).hexdigest(),
                 "size_bytes": codebook.stat().st_size})
    return pd.DataFrame(rows, columns=["wave", "name", "sha256", "size_bytes"])


CODEBOOK_SOURCE = "(codebook)"


def _input_name(key: dg.AssetKey) -> str:
    return lake_table_name(key)


@dg.asset(
    key=dg.AssetKey([ANALYSIS, "wave_tables"]),
    ins={_input_name(key): dg.AssetIn(key=key) for key in CHECKED_TABLES},
    partitions_def=waves,
    group_name=ANALYSIS,
    pool=LAKE_WRITER_POOL,
    tags={"zone": "analysis"},
    owners=OWNERS,
    kinds={"duckdb"},
)
def analysis_wave_tables(context: dg.AssetExecutionContext, settings: VerkenningSettings, **tables: pd.DataFrame) -> dg.MaterializeResult:
    """Publish the wave's checked anonymised tables and marts to the analysis zone (DuckLake) in one snapshot."""
    wave = context.partition_key
    sources = wave_sources(settings.folder.wave_dir(wave), wave)
    with connect(lake_location(settings.data_dir)) as connection:
        snapshot = replace_wave_tables(
            connection, wave, {**tables, SOURCES_TABLE: sources, RISK_TABLE: risk_inputs(context, wave)}
        )
    return dg.MaterializeResult(
        metadata={
            "ducklake_snapshot": snapshot,
            "tables_published": dg.MetadataValue.json({name: len(frame) for name, frame in sorted(tables.items())}),
        }
    )
