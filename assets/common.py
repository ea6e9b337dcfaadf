"""What every zone's assets share: I/O managers by zone, owners, tags, and metadata helpers."""

import dagster as dg
import pandas as pd

from pipelines.resources import LAKE_WRITER_POOL

RESTRICTED_IO = "restricted_io_manager"
ANALYSIS_IO = "analysis_io_manager"
OWNERS = ["team:data-stewards"]
ZONE_OF_LAYER = {"raw": "restricted", "staged": "restricted", "anonymised": "analysis", "marts": "analysis"}


def table_out(layer: str, table: str, description: str) -> dg.AssetOut:
    """An output of a multi-asset stored in its layer's zone, with the zone as a tag."""
    zone = ZONE_OF_LAYER[layer]
    return dg.AssetOut(
        key=dg.AssetKey([layer, table]),
        description=description,
        io_manager_key=RESTRICTED_IO if zone == "restricted" else ANALYSIS_IO,
        tags={"zone": zone},
        owners=OWNERS,
        kinds={"pandas", "parquet"} if zone == "restricted" else {"pandas", "duckdb"},
    )


def counts_markdown(counts: pd.DataFrame, empty: str) -> str:
    """A small markdown table of counts for the UI (counts and codes only, never a cell's value)."""
    if counts.empty:
        return empty
    columns = list(counts.columns)
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in counts.itertuples(index=False)]
    return "\n".join(lines)


def analysis_asset(layer: str, table: str) -> dict[str, object]:
    """The @asset arguments of a single analysis-zone table: stored in the DuckLake catalog by its one writer pool."""
    return {
        "key": dg.AssetKey([layer, table]),
        "group_name": layer,
        "io_manager_key": ANALYSIS_IO,
        "pool": LAKE_WRITER_POOL,
        "tags": {"zone": "analysis"},
        "owners": OWNERS,
        "kinds": {"pandas", "duckdb"},
    }
