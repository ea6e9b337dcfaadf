"""Release: a versioned, immutable publication of a wave's marts, made only when every blocking check upstream passed."""

import hashlib
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import pandas as pd

from assets.marts import disclosure_rule
from assets.partitions import waves
from pipelines.resources import LAKE_WRITER_POOL, VerkenningSettings, lake_location
from schemas.codebook import codebook_for_wave
from verkenning.environment import PROJECT_ROOT
from verkenning.inbox import wave_inputs
from verkenning.lake import append_rows, connect, current_snapshot, read_wave
from verkenning.release.explanation import column_descriptions, explanation, table_descriptions
from verkenning.release.publish import ReleaseInputs, publish_release

# Mart asset name -> lake table (and release file) name.
RELEASED_TABLES = [
    "question_frequencies", "crosstabs", "scale_summaries", "open_answers",
    "workshop_notes", "workshop_statements", "workshop_support_needs", "respondents",
]


def code_version() -> str | None:
    """The git commit of the code, where the code is a git checkout."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return commit.stdout.strip() or None


def _latest_metadata(context: dg.AssetExecutionContext, key: list[str]) -> dict[str, object]:
    records = context.instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(key), asset_partitions=[context.partition_key]), limit=1
    ).records
    if not records:
        return {}
    return {name: value.value for name, value in records[0].asset_materialization.metadata.items()}


def _sources(wave_dir: Path) -> list[dict[str, object]]:
    """The wave's input files with their hashes, exactly as the sensor and the weekly refresh see them."""
    inputs = wave_inputs(wave_dir)
    return [{"name": name, "sha256": sha256, "size_bytes": (wave_dir / name).stat().st_size} for name, sha256 in inputs.files.items()]


def risk_report(tables: dict[str, pd.DataFrame], k: int, respondents_metadata: dict, workshop_redactions: dict) -> dict:
    groups = [c for c in tables["respondents"].columns if c.endswith("_group")]
    sizes = tables["respondents"].groupby(groups, dropna=False).size()
    redactions = dict(respondents_metadata.get("redactions_by_placeholder") or {})
    for placeholder, count in workshop_redactions.items():
        redactions[placeholder] = redactions.get(placeholder, 0) + count
    return {
        "k": k,
        "k_reached": int(sizes.min()) if len(sizes) else 0,
        "values_suppressed_per_quasi_identifier": respondents_metadata.get("suppressed_values_by_variable") or {},
        "cells_suppressed_per_table": {
            name: {
                "primary": int((table["suppression"] == "primary").sum()),
                "secondary": int((table["suppression"] == "secondary").sum()),
            }
            for name, table in tables.items()
            if "suppression" in table
        },
        "redactions_per_placeholder": dict(sorted(redactions.items())),
    }


@dg.asset(
    key=dg.AssetKey(["release", "wave_release"]),
    deps=[dg.AssetKey(["marts", table]) for table in RELEASED_TABLES],
    partitions_def=waves,
    group_name="release",
    pool=LAKE_WRITER_POOL,
    tags={"zone": "analysis"},
    owners=["team:data-stewards"],
    kinds={"parquet", "csv", "excel"},
)
def wave_release(context: dg.AssetExecutionContext, settings: VerkenningSettings) -> dg.MaterializeResult:
    """Publish the wave's marts as release rN under <data>/releases/<wave>/, or report that an identical release stands."""
    wave = context.partition_key
    wave_dir = settings.folder.wave_dir(wave)
    codebook = codebook_for_wave(wave_dir)
    with connect(lake_location(settings.data_dir)) as connection:
        snapshot = current_snapshot(connection)
        tables = {name: read_wave(connection, name, wave, snapshot) for name in RELEASED_TABLES}
    respondents_metadata = _latest_metadata(context, ["anonymised", "respondents"])
    workshop_redactions: dict[str, int] = {}
    for kind in ("sticky_notes", "statements", "support_needs"):
        for placeholder, count in (_latest_metadata(context, ["anonymised", f"workshop_{kind}"]).get("redactions_by_placeholder") or {}).items():
            workshop_redactions[placeholder] = workshop_redactions.get(placeholder, 0) + count
    report = risk_report(tables, settings.k, respondents_metadata, workshop_redactions)
    parameters = {
        **disclosure_rule(settings).as_dict(),
        "k": settings.k,
        "suppression_order": settings.suppression_order_codes,
    }
    inputs = ReleaseInputs(
        wave=wave,
        tables=tables,
        column_descriptions=column_descriptions(tables, codebook),
        table_descriptions=table_descriptions(),
        sources=_sources(wave_dir),
        disclosure_parameters=parameters,
        risk_report=report,
        codebook_sha256=hashlib.sha256(Path(codebook.source).read_bytes()).hexdigest(),
        code_version=code_version(),
        snapshot_id=snapshot,
        explanation=explanation(codebook, wave, parameters),
    )
    outcome = publish_release(settings.folder.releases, inputs)
    if outcome.created:
        with connect(lake_location(settings.data_dir)) as connection:
            append_rows(
                connection,
                "releases",
                pd.DataFrame(
                    [{
                        "wave": wave, "release_id": outcome.release_id, "snapshot_id": snapshot,
                        "created_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                        "path": str(outcome.path), "content_fingerprint": outcome.manifest["content_fingerprint"],
                    }]
                ),
            )
    context.log.info(outcome.summary)
    return dg.MaterializeResult(
        metadata={
            "release": outcome.release_id,
            "created": outcome.created,
            "path": dg.MetadataValue.path(str(outcome.path)),
            "summary": outcome.summary,
            "ducklake_snapshot": snapshot,
            "k_reached": report["k_reached"],
            "disclosure_risk_report": dg.MetadataValue.json(report),
        }
    )
