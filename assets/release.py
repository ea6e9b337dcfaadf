"""Release: a versioned, immutable publication of a wave in two tiers, made from the analysis zone, which holds only
tables whose blocking checks passed."""

import hashlib
import json
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from assets.analysis import CODEBOOK_SOURCE, RISK_TABLE, SOURCES_TABLE, wave_sources
from assets.marts import disclosure_rule
from assets.partitions import waves
from pipelines.resources import LAKE_WRITER_POOL, VerkenningSettings, lake_location
from schemas.codebook import codebook_for_wave
from verkenning.environment import PROJECT_ROOT
from verkenning.lake import append_rows, connect, current_snapshot, read_wave
from verkenning.release.explanation import column_descriptions, explanation, table_descriptions, tier_explanation
from verkenning.release.publish import (
    TIER_TABLES,
    ReleaseInputs,
    TierInputs,
    is_tiered_release,
    list_releases,
    publish_release,
    read_release_record,
    tables_by_tier,
)

# Lake tables published in a release (each goes to the tier that TIER_TABLES names).
RELEASED_TABLES = [name for names in TIER_TABLES.values() for name in names]
# Which cells are primary is not published: an attacker who knew it would learn that each holds at least 1.
INTERNAL_COLUMNS = {"public": ("suppression",), "scientific_use": ()}


def code_version() -> str | None:
    """The git commit of the code, where the code is a git checkout."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return commit.stdout.strip() or None


def sources_or_refusal(computed_from: pd.DataFrame, inbox_now: pd.DataFrame, wave: str) -> list[dict[str, object]]:
    """The sources a release names: those the analysis zone's tables were computed from, and only while the inbox
    still holds exactly them. Otherwise the latest run of the wave did not reach the analysis zone (a blocking
    check failed, or it has not run yet): publishing now would name files the tables do not come from."""
    def files(frame: pd.DataFrame) -> dict[str, str]:
        return dict(zip(frame["name"], frame["sha256"]))

    if computed_from.empty:
        raise dg.Failure(
            description=f"wave {wave} has no tables in the analysis zone yet: run the job process_wave for it first; "
            "nothing was published."
        )
    before, now = files(computed_from), files(inbox_now)
    if before != now:
        changed = sorted(name for name in before.keys() | now.keys() if before.get(name) != now.get(name))
        raise dg.Failure(
            description=(
                f"wave {wave}: the analysis zone holds tables computed from other files than the inbox holds now "
                f"(differing: {', '.join(changed)}). The latest run of this wave did not publish its tables (a blocking "
                "check failed, or it has not run): fix what it reported and run process_wave for the wave; nothing "
                "was published."
            )
        )
    return [
        {"name": row.name, "sha256": row.sha256, "size_bytes": int(row.size_bytes)}
        for row in computed_from.itertuples(index=False) if row.name != CODEBOOK_SOURCE
    ]


def recorded_releases(connection: duckdb.DuckDBPyConnection, wave: str) -> set[str]:
    """The release ids of a wave in the lake's `releases` table (none when the table does not exist yet)."""
    try:
        rows = connection.execute("SELECT release_id FROM lake.releases WHERE wave = ?", [wave]).fetchall()
    except duckdb.CatalogException:
        return set()
    return {row[0] for row in rows}


def unrecorded_releases(releases_dir: Path, wave: str, recorded: set[str]) -> list[dict[str, object]]:
    """A record for each release folder of the wave that the `releases` table lacks, from its own release.json."""
    records = []
    for release_id in list_releases(releases_dir, wave):
        if release_id in recorded:
            continue
        path = releases_dir / wave / release_id
        record = read_release_record(path)
        records.append({
            "wave": wave, "release_id": release_id, "snapshot_id": record.get("snapshot_id"),
            "created_at": str(record.get("created_at") or ""), "path": str(path),
            "content_fingerprint": record.get("content_fingerprint"),
        })
    return records


def public_risk_report(tables: dict[str, pd.DataFrame], audits: dict[str, dict]) -> dict:
    """Cells suppressed per table and kind, and what the attacker's audit found."""
    return {
        "cells_suppressed_per_table": {
            name: {
                "primary": int((table["suppression"] == "primary").sum()),
                "secondary": int((table["suppression"] == "secondary").sum()),
            }
            for name, table in tables.items()
            if "suppression" in table
        },
        "missing_counts_suppressed": int(tables["scale_summaries"]["n_missing"].isna().sum()) if "scale_summaries" in tables else 0,
        "attacker_audit": audits,
    }


def scientific_use_risk_report(respondents: pd.DataFrame, k: int, measured: dict) -> dict:
    groups = [c for c in respondents.columns if c.endswith("_group")]
    sizes = respondents.groupby(groups, dropna=False).size() if groups else pd.Series(dtype=int)
    return {
        "k": k,
        "k_reached": int(sizes.min()) if len(sizes) else 0,
        "values_suppressed_per_quasi_identifier": measured.get("values_suppressed_per_quasi_identifier") or {},
        "microdata": {key: value for key, value in (measured.get("microdata") or {}).items() if key not in {"k", "k_reached"}},
        "redactions_per_placeholder": measured.get("redactions_per_placeholder") or {},
    }


@dg.asset(
    key=dg.AssetKey(["release", "wave_release"]),
    deps=[dg.AssetKey(["analysis", "wave_tables"])],
    partitions_def=waves,
    group_name="release",
    pool=LAKE_WRITER_POOL,
    tags={"zone": "analysis"},
    owners=["team:data-stewards"],
    kinds={"parquet", "csv", "excel"},
)
def wave_release(context: dg.AssetExecutionContext, settings: VerkenningSettings) -> dg.MaterializeResult:
    """Publish the wave's analysis-zone tables as release rN (public and scientific-use tiers), or report that an identical one stands."""
    wave = context.partition_key
    wave_dir = settings.folder.wave_dir(wave)
    codebook = codebook_for_wave(wave_dir)
    with connect(lake_location(settings.data_dir)) as connection:
        snapshot = current_snapshot(connection)
        tables = {name: read_wave(connection, name, wave, snapshot) for name in RELEASED_TABLES}
        try:
            computed_from = read_wave(connection, SOURCES_TABLE, wave, snapshot)
        except duckdb.CatalogException:  # a lake made before sources were recorded
            computed_from = pd.DataFrame(columns=["wave", "name", "sha256", "size_bytes"])
        try:
            measured_rows = read_wave(connection, RISK_TABLE, wave, snapshot)
        except duckdb.CatalogException:
            measured_rows = pd.DataFrame(columns=["wave", "measured"])
    sources = sources_or_refusal(computed_from, wave_sources(wave_dir, wave), wave)
    measured = json.loads(measured_rows["measured"].iloc[0]) if len(measured_rows) else {}
    split = tables_by_tier(tables)
    # Releases from before the tiers hold the microdata beside the tables and protect nothing: said in the
    # metadata (not in the release, whose contents must not change with the list of its predecessors).
    untiered = [r for r in list_releases(settings.folder.releases, wave) if not is_tiered_release(settings.folder.releases / wave / r)]
    reports = {
        "public": public_risk_report(split["public"], measured.get("attacker_audit") or {}),
        "scientific_use": scientific_use_risk_report(split["scientific_use"]["respondents"], settings.k, measured),
    }
    parameters = {
        **disclosure_rule(settings).as_dict(),
        "k": settings.k,
        **({"suppression_order": settings.suppression_order_codes} if settings.suppression_order_codes else {}),
    }
    paragraphs = explanation(codebook, wave, parameters, measured.get("microdata") or {})
    tiers = {}
    for tier, tier_tables in split.items():
        published = {name: frame.drop(columns=[c for c in INTERNAL_COLUMNS[tier] if c in frame]) for name, frame in tier_tables.items()}
        tiers[tier] = TierInputs(
            tables=published,
            column_descriptions=column_descriptions(published, codebook),
            table_descriptions=table_descriptions(),
            risk_report=reports[tier],
            explanation=tier_explanation(paragraphs, tier),
        )
    inputs = ReleaseInputs(
        wave=wave,
        tiers=tiers,
        sources=sources,
        disclosure_parameters=parameters,
        codebook_sha256=hashlib.sha256(Path(codebook.source).read_bytes()).hexdigest(),
        code_version=code_version(),
        snapshot_id=snapshot,
    )
    outcome = publish_release(settings.folder.releases, inputs)
    with connect(lake_location(settings.data_dir)) as connection:
        # Every release on disk gets its record, also one whose run was killed between the rename and the record.
        missing = unrecorded_releases(settings.folder.releases, wave, recorded_releases(connection, wave))
        if missing:
            append_rows(connection, "releases", pd.DataFrame(missing))
    context.log.info(outcome.summary)
    return dg.MaterializeResult(
        metadata={
            "release": outcome.release_id,
            "created": outcome.created,
            "path": dg.MetadataValue.path(str(outcome.path)),
            "summary": outcome.summary,
            "ducklake_snapshot": snapshot,
            "k_reached": reports["scientific_use"]["k_reached"],
            "earlier_releases_without_tiers_to_withdraw": ", ".join(untiered) or "none",
            "public_risk_report": dg.MetadataValue.json(reports["public"]),
            "scientific_use_risk_report": dg.MetadataValue.json(reports["scientific_use"]),
        }
    )
