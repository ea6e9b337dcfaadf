"""The raw zone of the survey: an export read as it is, split by the raw contract into usable rows and quarantine.

Row-level faults never stop a run: the row is kept whole in the quarantine with file, row number,
column and reason. Every row read ends up in exactly one of the two tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from schemas.codebook import Codebook
from schemas.raw_contract import add_derived_columns, build_raw_export_contract, tick_variant
from verkenning.errors import InputFileError
from verkenning.ingest.survey_export import (
    LINE_NUMBER,
    ROW_NUMBER,
    SOURCE_FILE,
    ExportTable,
    MalformedRow,
    original_values_json,
    headings_as_codes,
    read_survey_export,
    require_columns,
)

QUARANTINE_COLUMNS: tuple[str, ...] = (
    "source_file",
    "row_number",
    "line_number",
    "column",
    "reason",
    "original_values",
)
ROW_SHAPE = "row shape"


@dataclass
class RawSurvey:
    responses: pd.DataFrame
    quarantine: pd.DataFrame
    # One row per (column, rule) with the number of rows that broke it: safe to show, holds no values.
    fault_counts: pd.DataFrame
    table: ExportTable
    unexpected_columns: list[str]
    # Which of LimeSurvey's export settings the file was written with: headings ("code" or "code. text") and
    # ticks ("Y/empty", "Y/N", "1/0"), as read from the file against the codebook.
    variant: dict[str, str] = field(default_factory=dict)

    @property
    def rows_read(self) -> int:
        return self.table.rows_read

    def unaccounted_rows(self) -> list[str]:
        """Problems with the accounting rows read = rows passed on + rows quarantined (empty when it holds)."""
        problems = []
        passed, quarantined = len(self.responses), len(self.quarantine)
        if self.rows_read != passed + quarantined:
            problems.append(f"{self.rows_read} rows read but {passed} passed on + {quarantined} quarantined")
        row_numbers = pd.concat([self.responses[ROW_NUMBER], self.quarantine["row_number"]], ignore_index=True)
        duplicated = int(row_numbers.duplicated().sum())
        if duplicated:
            problems.append(f"{duplicated} row numbers appear twice among passed and quarantined rows")
        return problems


def empty_quarantine() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="Int64" if name.endswith("_number") else object) for name in QUARANTINE_COLUMNS})


def _malformed_quarantine(rows: list[MalformedRow], file: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_file": file,
            "row_number": pd.array([r.row_number for r in rows], dtype="Int64"),
            "line_number": pd.array([r.line_number for r in rows], dtype="Int64"),
            "column": ROW_SHAPE,
            "reason": [r.reason for r in rows],
            "original_values": [original_values_json({f"field {i}": v for i, v in enumerate(r.fields, 1)}) for r in rows],
        },
        columns=list(QUARANTINE_COLUMNS),
    )


def contract_failures(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Row-level failures of the raw contract: one row per (frame index, column, rule, found value)."""
    contract = build_raw_export_contract(codebook)
    try:
        contract.validate(add_derived_columns(frame, codebook), lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        row_cases = cases[cases["index"].notna()]
        unexpected = cases[cases["index"].isna()]
        if not unexpected.empty:  # a schema-level fault the structural checks should have caught first
            raise ValueError(f"raw contract failed on the whole table: {unexpected[['column', 'check']].to_dict('records')}")
        return pd.DataFrame(
            {
                "index": row_cases["index"].astype(int).to_numpy(),
                "column": row_cases["column"].astype(str).to_numpy(),
                "rule": row_cases["check"].astype(str).to_numpy(),
                "found": row_cases["failure_case"].to_numpy(),
            }
        )
    return pd.DataFrame(columns=["index", "column", "rule", "found"])


def split_by_contract(table: ExportTable, codebook: Codebook) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(usable rows, quarantine, fault counts) of an export read as text."""
    frame = table.frame
    failures = contract_failures(frame, codebook)
    failed_index = pd.Index(failures["index"].unique())
    passed = frame.drop(index=failed_index).reset_index(drop=True)

    quarantine_parts = []
    if table.malformed_rows:
        quarantine_parts.append(_malformed_quarantine(table.malformed_rows, table.fingerprint.name))
    if len(failed_index):
        described = failures.assign(reason=failures["rule"] + " (found " + failures["found"].map(repr) + ")")
        grouped = described.groupby("index", sort=True).agg(
            column=("column", lambda s: ", ".join(dict.fromkeys(s))),
            reason=("reason", "; ".join),
        )
        failed_rows = frame.loc[grouped.index]
        value_columns = [c for c in frame.columns if c not in (SOURCE_FILE, ROW_NUMBER, LINE_NUMBER)]
        quarantine_parts.append(
            pd.DataFrame(
                {
                    "source_file": failed_rows[SOURCE_FILE].to_numpy(),
                    "row_number": failed_rows[ROW_NUMBER].to_numpy(),
                    "line_number": failed_rows[LINE_NUMBER].to_numpy(),
                    "column": grouped["column"].to_numpy(),
                    "reason": grouped["reason"].to_numpy(),
                    "original_values": [
                        original_values_json(values) for values in failed_rows[value_columns].to_dict("records")
                    ],
                },
                columns=list(QUARANTINE_COLUMNS),
            )
        )
    quarantine = (
        pd.concat(quarantine_parts, ignore_index=True).sort_values("row_number", ignore_index=True)
        if quarantine_parts
        else empty_quarantine()
    )
    quarantine["row_number"] = quarantine["row_number"].astype("Int64")
    quarantine["line_number"] = quarantine["line_number"].astype("Int64")

    counts = failures.groupby(["column", "rule"]).size().rename("rows").reset_index()
    if table.malformed_rows:
        shape = pd.DataFrame([{"column": ROW_SHAPE, "rule": "number of fields differs from the header", "rows": len(table.malformed_rows)}])
        counts = pd.concat([shape, counts], ignore_index=True)
    return passed, quarantine, counts


def require_responses(table: ExportTable, file: Path) -> None:
    """Stop on an export without a single response row: nothing downstream could mean anything, and the generic
    messages of later checks (a row count of 0) would hide that the export itself is empty."""
    if table.rows_read:
        return
    blank = f" and {table.blank_rows} blank row(s)" if table.blank_rows else ""
    raise InputFileError(
        file,
        f"the export has no responses: it holds the header row{blank} but not a single response row",
        row=2,
        advice=(
            "Check in the survey tool that the wave has responses and that the export includes them (all responses, "
            "not a selection or filter that leaves none), then export again and replace the file"
        ),
    )


def read_raw_survey(path: Path, codebook: Codebook) -> RawSurvey:
    """Read an export, stop on structural faults, and split its rows into usable rows and quarantine."""
    table, headings = headings_as_codes(read_survey_export(path), codebook, Path(path))
    unexpected = require_columns(table, codebook, Path(path))
    require_responses(table, Path(path))
    passed, quarantine, counts = split_by_contract(table, codebook)
    return RawSurvey(
        responses=passed, quarantine=quarantine, fault_counts=counts, table=table, unexpected_columns=unexpected,
        variant={"headings": headings, "ticks": tick_variant(table.frame, codebook)},
    )
