"""Reading a survey export as it is: CSV (comma or semicolon; UTF-8, UTF-8 with BOM or Windows-1252) or XLSX.

Every value is kept as the text the file holds (empty cells become missing), with the file name
and the row number a spreadsheet would show (header = row 1), so that any later error can point a
steward at the exact cell.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from schemas.codebook import Codebook
from verkenning.errors import InputFileError
from verkenning.ingest.files import FileFingerprint, read_inbox_file

SOURCE_FILE = "_source_file"
ROW_NUMBER = "_row_number"
LINE_NUMBER = "_line_number"
LINEAGE_COLUMNS: tuple[str, ...] = (SOURCE_FILE, ROW_NUMBER, LINE_NUMBER)
EXPORT_FILE_NAMES: tuple[str, ...] = ("survey_export.csv", "survey_export.xlsx")
SEPARATORS: tuple[str, ...] = (",", ";", "\t")
_REEXPORT_ADVICE = "Export the responses again from the survey tool (CSV, UTF-8) and replace the file"


@dataclass(frozen=True)
class MalformedRow:
    """A record whose number of fields does not match the header: kept whole for the quarantine."""

    row_number: int
    line_number: int | None
    fields: list[str]
    reason: str


@dataclass
class ExportTable:
    """An export read as text, before the contract: rows that have the header's shape, and the others."""

    frame: pd.DataFrame
    fingerprint: FileFingerprint
    encoding: str
    separator: str | None
    header: list[str]
    # Counted record by record while parsing, apart from the tables built, so that the accounting
    # check (rows read = rows passed on + rows quarantined) compares two independent numbers.
    rows_read: int
    malformed_rows: list[MalformedRow] = field(default_factory=list)
    blank_rows: int = 0


def find_export_file(wave_dir: Path) -> Path:
    """The wave's export: survey_export.csv or survey_export.xlsx (not both)."""
    found = [wave_dir / name for name in EXPORT_FILE_NAMES if (wave_dir / name).is_file()]
    if not found:
        raise InputFileError(
            wave_dir / EXPORT_FILE_NAMES[0],
            "the wave folder has no survey export",
            advice=f"Put the export in {wave_dir} as {' or '.join(EXPORT_FILE_NAMES)}",
        )
    if len(found) > 1:
        raise InputFileError(
            found[1], f"the wave folder holds both {found[0].name} and {found[1].name}",
            advice="Keep one export per wave",
        )
    return found[0]


def decode_export(data: bytes, file: Path) -> tuple[str, str]:
    """Text and encoding of an export: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if data.startswith(b"PK\x03\x04"):
        raise InputFileError(file, "the file is an Excel workbook, not a CSV file", advice="Name it survey_export.xlsx")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                _raise_unknown_encoding(data, exc, file)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputFileError(file, "the file holds binary data (NUL bytes), not text", line=line, advice=_REEXPORT_ADVICE)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        _raise_unknown_encoding(data, exc, file)
    raise AssertionError("unreachable")


def _raise_unknown_encoding(data: bytes, exc: UnicodeDecodeError, file: Path) -> None:
    line = data[: exc.start].count(b"\n") + 1
    raise InputFileError(
        file,
        f"unknown text encoding: byte 0x{data[exc.start]:02X} is neither UTF-8 nor Windows-1252",
        line=line,
        advice=_REEXPORT_ADVICE,
    ) from None


def sniff_separator(text: str, file: Path) -> str:
    """The separator is the character that splits the header line most; headers are codes, never quoted text."""
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    separator, count = max(counts.items(), key=lambda item: item[1])
    if count == 0:
        raise InputFileError(
            file, "cannot find the column separator: the first line has no commas or semicolons", row=1,
            advice=_REEXPORT_ADVICE,
        )
    return separator


def _header(cells: list[str], file: Path) -> list[str]:
    header = [cell.strip().lstrip("\ufeff") for cell in cells]
    seen: set[str] = set()
    for index, name in enumerate(header, start=1):
        if not name:
            raise InputFileError(file, f"header cell {index} is empty", row=1, advice=_REEXPORT_ADVICE)
        if name in seen:
            raise InputFileError(file, "the header names this column twice", row=1, column=name, advice=_REEXPORT_ADVICE)
        seen.add(name)
    return header


def _frame(header: list[str], records: list[list[str | None]], rows: list[int], lines: list[int | None], file: str) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=header, dtype=object)
    frame = frame.where(frame != "", None)
    frame.insert(0, LINE_NUMBER, pd.array(lines, dtype="Int64"))
    frame.insert(0, ROW_NUMBER, pd.array(rows, dtype="Int64"))
    frame.insert(0, SOURCE_FILE, file)
    return frame


@dataclass
class ParsedRecords:
    header: list[str]
    frame: pd.DataFrame
    rows_read: int
    malformed_rows: list[MalformedRow]
    blank_rows: int


def parse_csv_export(text: str, file: Path, separator: str) -> ParsedRecords:
    """Records of a CSV export; quoted line breaks, quotes and separators inside answers stay intact."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', strict=True)
    header: list[str] | None = None
    records: list[list[str | None]] = []
    rows: list[int] = []
    lines: list[int | None] = []
    malformed: list[MalformedRow] = []
    blank_rows = 0
    rows_read = 0
    row_number = 0
    start_line = 1
    try:
        for record in reader:
            row_number += 1
            line = start_line
            start_line = reader.line_num + 1
            if header is None:
                if not record or not any(cell.strip() for cell in record):
                    row_number -= 1  # blank lines before the header are not rows
                    continue
                header = _header(record, file)
                continue
            if not any(cell.strip() for cell in record):
                blank_rows += 1
                continue
            rows_read += 1
            if len(record) != len(header):
                malformed.append(
                    MalformedRow(
                        row_number=row_number,
                        line_number=line,
                        fields=record,
                        reason=(
                            f"row has {len(record)} fields where the header has {len(header)} "
                            "(an unquoted separator or line break inside an answer?)"
                        ),
                    )
                )
                continue
            records.append(record)
            rows.append(row_number)
            lines.append(line)
    except csv.Error as exc:
        raise InputFileError(
            file, f"the CSV structure is broken ({exc})", row=row_number + 1, line=reader.line_num,
            advice="Look for an opening double quote that is never closed",
        ) from None
    if header is None:
        raise InputFileError(file, "the file has no header row", advice=_REEXPORT_ADVICE)
    return ParsedRecords(header, _frame(header, records, rows, lines, file.name), rows_read, malformed, blank_rows)


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def parse_xlsx_export(data: bytes, file: Path) -> ParsedRecords:
    """Records of an XLSX export (first sheet); numbers and dates are turned back into the export's text."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        cells = sheet.to_python(skip_empty_area=False)
        first_row = (sheet.start or (0, 0))[0] + 1
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise InputFileError(file, f"the workbook cannot be read ({exc})", advice=_REEXPORT_ADVICE) from None
    header: list[str] | None = None
    records: list[list[str | None]] = []
    rows: list[int] = []
    blank_rows = 0
    rows_read = 0
    for index, raw in enumerate(cells, start=first_row):
        record = [cell_text(value) for value in raw]
        if header is None:
            if any(cell.strip() for cell in record):
                while record and not record[-1].strip():
                    record.pop()
                header = _header(record, file)
                width = len(header)
            continue
        if not any(cell.strip() for cell in record):
            blank_rows += 1
            continue
        rows_read += 1
        record = (record + [""] * width)[:width]  # calamine pads to the used range, which may be wider
        records.append(record)
        rows.append(index)
    if header is None:
        raise InputFileError(file, "the workbook has no header row", advice=_REEXPORT_ADVICE)
    return ParsedRecords(header, _frame(header, records, rows, [None] * len(rows), file.name), rows_read, [], blank_rows)


def read_survey_export(path: Path) -> ExportTable:
    """Read an export file as text, whatever its separator, encoding or format."""
    path = Path(path)
    data, fingerprint = read_inbox_file(path)
    separator: str | None = None
    if path.suffix.lower() == ".xlsx":
        parsed = parse_xlsx_export(data, path)
        encoding = "xlsx"
    else:
        text, encoding = decode_export(data, path)
        separator = sniff_separator(text, path)
        parsed = parse_csv_export(text, path, separator)
    return ExportTable(
        frame=parsed.frame, fingerprint=fingerprint, encoding=encoding, separator=separator, header=parsed.header,
        rows_read=parsed.rows_read, malformed_rows=parsed.malformed_rows, blank_rows=parsed.blank_rows,
    )


def require_columns(table: ExportTable, codebook: Codebook, file: Path) -> list[str]:
    """Stop on a missing column of the codebook; return the columns the codebook does not know."""
    missing = [column for column in codebook.required_export_columns() if column not in table.header]
    if missing:
        listed = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        raise InputFileError(
            file,
            f"{len(missing)} required column(s) missing: {listed}",
            column=missing[0],
            advice=(
                f"The codebook {codebook.source.name} expects these columns; export with question codes as "
                "headings, or give the wave its own questionnaire.yaml if its questionnaire differs"
            ),
        )
    known = set(codebook.export_columns())
    return [column for column in table.header if column not in known]


def original_values_json(values: dict[str, object]) -> str:
    """The original cells of a row, as JSON (restricted zone only)."""
    return json.dumps({k: v for k, v in values.items() if v is not None}, ensure_ascii=False, default=str)
