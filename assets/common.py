"""What every zone's assets share: I/O managers by zone, owners, tags, and metadata helpers."""

import dagster as dg
import pandas as pd

from verkenning.quality import QualityResult

RESTRICTED_IO = "restricted_io_manager"
OWNERS = ["team:data-stewards"]
# Anonymised tables and marts are computed and checked in the restricted zone; only the `analysis` step copies
# them into the analysis zone, after every blocking check passed (write, audit, publish).
ZONE_OF_LAYER = {"raw": "restricted", "staged": "restricted", "anonymised": "restricted", "marts": "restricted"}


def table_out(layer: str, table: str, description: str) -> dg.AssetOut:
    """An output of a multi-asset stored in its layer's zone, with the zone as a tag."""
    zone = ZONE_OF_LAYER[layer]
    return dg.AssetOut(
        key=dg.AssetKey([layer, table]),
        description=description,
        io_manager_key=RESTRICTED_IO,
        tags={"zone": zone},
        owners=OWNERS,
        kinds={"pandas", "parquet"},
    )


def counts_markdown(counts: pd.DataFrame, empty: str) -> str:
    """A small markdown table of counts for the UI (counts and codes only, never a cell's value)."""
    if counts.empty:
        return empty
    columns = list(counts.columns)
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in counts.itertuples(index=False)]
    return "\n".join(lines)


def checked_table_asset(layer: str, table: str) -> dict[str, object]:
    """The @asset arguments of a single table that is checked in the restricted zone before it is published."""
    return {
        "key": dg.AssetKey([layer, table]),
        "group_name": layer,
        "io_manager_key": RESTRICTED_IO,
        "tags": {"zone": "restricted"},
        "owners": OWNERS,
        "kinds": {"pandas", "parquet"},
    }


def gx_check_result(result: QualityResult) -> dg.AssetCheckResult:
    """A GX suite's outcome as a check result: an error when a blocking expectation failed, else a warning;
    metadata names the failed expectations with counts, never a value."""
    failed = result.failed_blocking or result.failed_warning
    return dg.AssetCheckResult(
        passed=not failed,
        severity=dg.AssetCheckSeverity.ERROR if result.failed_blocking else dg.AssetCheckSeverity.WARN,
        description=(
            "Every expectation met." if not failed else
            f"{len(result.failed_blocking)} blocking and {len(result.failed_warning)} warning expectation(s) failed; "
            "see failed_expectations and the Data Docs."
        ),
        metadata={
            "expectations_evaluated": result.evaluated,
            "failed_expectations": dg.MetadataValue.json(result.failed_blocking + result.failed_warning),
            "data_docs": dg.MetadataValue.path(str(result.data_docs)),
        },
    )


def check_wave(context: dg.AssetCheckExecutionContext) -> str | None:
    """The wave a check runs for."""
    return context.op_execution_context.partition_key if context.op_execution_context.has_partition_key else None
