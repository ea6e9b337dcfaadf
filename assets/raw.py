"""Raw zone (restricted): the inbox files of a wave read as they are, fingerprinted, and checked by the raw contract."""

from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.common import OWNERS, RESTRICTED_IO, counts_markdown, table_out
from assets.partitions import waves
from pipelines.resources import VerkenningSettings
from schemas.codebook import codebook_for_wave
from schemas.workshop_layout import load_workshop_layout
from verkenning.ingest.files import FileFingerprint
from verkenning.ingest.raw_survey import read_raw_survey
from verkenning.ingest.survey_export import find_export_file
from verkenning.ingest.withdrawals import WITHDRAWALS_FILE, read_withdrawals
from verkenning.ingest.workbooks import empty_sheet_table, read_workbook, workshop_files

RAW = "raw"


def _out(table: str, description: str) -> dg.AssetOut:
    return table_out(RAW, table, description)


def _file_metadata(fingerprint: FileFingerprint, rows: int, columns: int, **extra: object) -> dict[str, object]:
    return {
        "file": fingerprint.name,
        "file_sha256": fingerprint.sha256,
        "file_size_bytes": fingerprint.size_bytes,
        "file_rows": rows,
        "file_columns": columns,
        **extra,
    }


@dg.multi_asset(
    outs={
        "survey_responses": _out(
            "survey_responses",
            "Survey responses of the wave as exported, one row per response, that passed the raw contract.",
        ),
        "survey_quarantine": _out(
            "survey_quarantine",
            "Survey export rows that broke the raw contract, kept whole with file, row number, column and reason.",
        ),
    },
    partitions_def=waves,
    group_name=RAW,
    check_specs=[
        dg.AssetCheckSpec(
            "rows_accounted_for",
            asset=dg.AssetKey([RAW, "survey_responses"]),
            blocking=True,
            description="Every row read from the export is either passed on or quarantined, exactly once.",
        )
    ],
)
def raw_survey(context: dg.AssetExecutionContext, settings: VerkenningSettings) -> Iterator[object]:
    """Read the wave's survey export as it is and split it by the raw contract into usable rows and quarantine."""
    wave_dir = settings.folder.wave_dir(context.partition_key)
    codebook = codebook_for_wave(wave_dir)
    raw = read_raw_survey(find_export_file(wave_dir), codebook)
    table = raw.table
    file_metadata = _file_metadata(
        table.fingerprint, table.rows_read, len(table.header),
        encoding=table.encoding, separator=table.separator or "xlsx", blank_rows_skipped=table.blank_rows,
        codebook=str(codebook.source.name),
        # Where a formula cell had no saved value: file, sheet, row and column, never the value.
        formula_warnings=dg.MetadataValue.md("\n".join(f"- {w}" for w in table.warnings) or "none"),
    )
    quarantined = len(raw.quarantine)
    yield dg.Output(
        raw.responses,
        output_name="survey_responses",
        metadata={
            **file_metadata,
            "dagster/row_count": len(raw.responses),
            "rows_read": raw.rows_read,
            "rows_passed_on": len(raw.responses),
            "rows_quarantined": quarantined,
            "unexpected_columns": ", ".join(raw.unexpected_columns) or "none",
            "export_variant": dg.MetadataValue.json(raw.variant),
        },
    )
    yield dg.Output(
        raw.quarantine,
        output_name="survey_quarantine",
        metadata={
            "file": table.fingerprint.name,
            "dagster/row_count": quarantined,
            "rows_quarantined": quarantined,
            "quarantined_share": round(quarantined / raw.rows_read, 4) if raw.rows_read else 0.0,
            "faults_by_column": dg.MetadataValue.md(counts_markdown(raw.fault_counts, "No row broke the raw contract.")),
        },
    )
    problems = raw.unaccounted_rows()
    yield dg.AssetCheckResult(
        check_name="rows_accounted_for",
        asset_key=dg.AssetKey([RAW, "survey_responses"]),
        passed=not problems,
        metadata={
            "rows_read": raw.rows_read,
            "rows_passed_on": len(raw.responses),
            "rows_quarantined": quarantined,
            "problems": "; ".join(problems) or "none",
        },
    )

@dg.asset_check(
    partitions_def=waves,
    asset=dg.AssetKey([RAW, "survey_quarantine"]),
    additional_ins={"survey_responses": dg.AssetIn(key=dg.AssetKey([RAW, "survey_responses"]))},
    blocking=True,
    description=(
        "Share of export rows in quarantine: passes at 0, warns up to the configured maximum "
        "(VERKENNING_MAX_QUARANTINE_SHARE, default 5%), and blocks publication above it."
    ),
)
def quarantine_share(
    survey_quarantine: pd.DataFrame, survey_responses: pd.DataFrame, settings: VerkenningSettings
) -> dg.AssetCheckResult:
    quarantined, passed = len(survey_quarantine), len(survey_responses)
    share = quarantined / (quarantined + passed) if quarantined + passed else 0.0
    too_many = share > settings.max_quarantine_share
    by_column = (
        survey_quarantine["column"].str.split(", ").explode().value_counts().sort_index().to_dict()
        if quarantined
        else {}
    )
    summary = f"{quarantined} of {quarantined + passed} rows ({share:.1%}) are in quarantine; " + (
        "more than the allowed share: read their reasons in raw/survey_quarantine, fix the export and drop it in again."
        if too_many else "read their reasons in raw/survey_quarantine." if quarantined else "none."
    )
    return dg.AssetCheckResult(
        passed=quarantined == 0,
        severity=dg.AssetCheckSeverity.ERROR if too_many else dg.AssetCheckSeverity.WARN,
        description=summary,
        metadata={
            "summary": summary,  # the run's page shows metadata, not the description: say it where the steward looks
            "rows_quarantined": quarantined,
            "rows_passed_on": passed,
            "quarantined_share": round(share, 4),
            "max_quarantine_share": settings.max_quarantine_share,
            "quarantined_rows_by_column": dg.MetadataValue.json(by_column),
        },
    )

@dg.asset(
    key=dg.AssetKey([RAW, "withdrawals"]),
    partitions_def=waves,
    group_name=RAW,
    io_manager_key=RESTRICTED_IO,
    tags={"zone": "restricted"},
    owners=OWNERS,
    kinds={"pandas", "parquet"},
)
def raw_withdrawals(context: dg.AssetExecutionContext, settings: VerkenningSettings) -> dg.Output[pd.DataFrame]:
    """People of the wave who withdrew their consent (token or e-mail, and the date of the request)."""
    path = settings.folder.wave_dir(context.partition_key) / WITHDRAWALS_FILE
    withdrawals, fingerprint = read_withdrawals(path)
    metadata: dict[str, object] = {"dagster/row_count": len(withdrawals)}
    if fingerprint is None:
        metadata["file"] = f"no {WITHDRAWALS_FILE} in this wave"
    else:
        metadata.update(_file_metadata(fingerprint, len(withdrawals), 3))
    return dg.Output(withdrawals, metadata=metadata)

WORKSHOP_TABLES = {
    "attendance": "Workshop attendance lists (names, e-mail, organisation): personal data that never leaves the restricted zone.",
    "sticky_notes": "Working method 1 ('Stand van zaken'): one row per sticky note, as the facilitators typed it.",
    "statements": "Working method 2 ('Toekomst 2030'): agree/neutral/disagree counts per statement and table, as typed.",
    "support_needs": "Working method 3 ('Ondersteuning'): support needs with theme and dot votes per table, as typed.",
}

@dg.multi_asset(
    outs={f"workshop_{table}": _out(f"workshop_{table}", description) for table, description in WORKSHOP_TABLES.items()},
    partitions_def=waves,
    group_name=RAW,
)
def raw_workshops(context: dg.AssetExecutionContext, settings: VerkenningSettings) -> Iterator[dg.Output[pd.DataFrame]]:
    """Read every workshop workbook of the wave, one raw table per sheet kind, with file and row of each line."""
    layout = load_workshop_layout()
    files = workshop_files(settings.folder.wave_dir(context.partition_key), layout)
    workbooks = [read_workbook(path, layout) for path in files]
    sources = [
        {**wb.fingerprint.as_metadata(), "meeting_date": wb.meeting.date.isoformat(), "meeting_place": wb.meeting.place}
        for wb in workbooks
    ]
    for sheet in layout.sheets:
        reads = [wb.sheets[sheet.table] for wb in workbooks]
        frames = [read.frame for read in reads]
        table = pd.concat(frames, ignore_index=True) if frames else empty_sheet_table(sheet)
        yield dg.Output(
            table,
            output_name=f"workshop_{sheet.table}",
            metadata={
                "dagster/row_count": len(table),
                "workbooks": len(workbooks),
                "source_files": dg.MetadataValue.json(sources),
                "rows_per_workbook": dg.MetadataValue.json({wb.fingerprint.name: len(r.frame) for wb, r in zip(workbooks, reads)}),
                "columns": ", ".join(sheet.columns),
                "header_row_per_workbook": dg.MetadataValue.json({wb.fingerprint.name: r.header_row for wb, r in zip(workbooks, reads)}),
                "blank_rows_skipped": sum(r.blank_rows for r in reads),
                "formula_warnings": dg.MetadataValue.md("\n".join(f"- {w}" for r in reads for w in r.warnings) or "none"),
                "sheet_names_found": ", ".join(sorted({r.sheet_name for r in reads})) or "none",
            },
        )
