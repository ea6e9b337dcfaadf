"""Reading a survey export as it is: CSV (comma or semicolon; UTF-8 with or without BOM, UTF-16 with or without BOM,
or Windows-1252) or XLSX.

Every value is kept as the text the file holds (empty cells become missing), with the file name
and the row number a spreadsheet would show (header = row 1), so that any later error can point a
steward at the exact cell.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import posixpath
import re
import zipfile
from dataclasses import dataclass, field, replace
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
    # Things a steward should know that do not stop the run (a formula without a saved value, say), each naming
    # file, row and column, never a cell's value: safe for asset metadata.
    warnings: list[str] = field(default_factory=list)


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


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an old .xls, or an encrypted .xlsx
_NO_PASSWORD_ADVICE = (
    "Open it in Excel, save it without a password (File > Info > Protect Workbook > Encrypt with Password: clear "
    "the password and confirm) as .xlsx, and drop it in again"
)


def is_encrypted_workbook(data: bytes) -> bool:
    """An Excel workbook saved with a password to open: Excel then wraps the .xlsx in an OLE2 compound file that
    holds it as the stream "EncryptedPackage" (stream names are UTF-16 in the file's directory)."""
    return data.startswith(OLE2_MAGIC) and (
        "EncryptedPackage".encode("utf-16-le") in data or b"EncryptedPackage" in data
    )


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the text is UTF-16 without a byte-order mark: then a NUL byte falls on every
    other byte (the high byte of each Latin character), always on the same side; None otherwise."""
    sample = data[:8192]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    nul_first, nul_second = sample[0 : 2 * pairs : 2].count(0), sample[1 : 2 * pairs : 2].count(0)
    if nul_second >= 0.3 * pairs and nul_first <= 0.02 * pairs:
        return "utf-16-le"
    if nul_first >= 0.3 * pairs and nul_second <= 0.02 * pairs:
        return "utf-16-be"
    return None


def decode_export(data: bytes, file: Path) -> tuple[str, str]:
    """Text and encoding of an export: UTF-8 (with or without BOM), UTF-16 (with or without BOM), or Windows-1252."""
    if data.startswith(b"PK\x03\x04"):
        raise InputFileError(file, "the file is an Excel workbook, not a CSV file", advice="Name it survey_export.xlsx")
    if data.startswith(OLE2_MAGIC):
        if is_encrypted_workbook(data):
            raise InputFileError(
                file, "the file is a password-protected Excel workbook, not a CSV file",
                advice="Save the export as CSV (UTF-8) without a password and drop it in again",
            )
        raise InputFileError(
            file, "the file is an old Excel workbook (.xls), not a CSV file",
            advice="Save it from Excel as CSV UTF-8 (or as .xlsx, named survey_export.xlsx) and drop it in again",
        )
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                _raise_unknown_encoding(data, exc, file)
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        return _decode_utf16_without_bom(data, utf16, file), utf16
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


def _decode_utf16_without_bom(data: bytes, encoding: str, file: Path) -> str:
    name = f"UTF-16 ({'little' if encoding.endswith('le') else 'big'}-endian) without a byte-order mark"
    if len(data) % 2:
        line = data.decode(encoding, errors="replace").count("\n") + 1 if len(data) > 1 else 1
        raise InputFileError(
            file, f"the file is {name}, but its last character is cut off (an odd number of bytes)", line=line,
            advice="Copy the file again in full, or export it again as CSV UTF-8",
        )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        start = exc.start - exc.start % 2
        line = data[:start].decode(encoding, errors="replace").count("\n") + 1
        raise InputFileError(
            file, f"the file is {name}, but bytes {exc.start + 1}-{exc.end} are not valid UTF-16", line=line,
            advice=_REEXPORT_ADVICE,
        ) from None


def _raise_unknown_encoding(data: bytes, exc: UnicodeDecodeError, file: Path) -> None:
    line = data[: exc.start].count(b"\n") + 1
    raise InputFileError(
        file,
        f"unknown text encoding: byte 0x{data[exc.start]:02X} is neither UTF-8 nor Windows-1252",
        line=line,
        advice=_REEXPORT_ADVICE,
    ) from None


def sniff_separator(text: str, file: Path) -> str:
    """The separator is the character that splits the header line most, outside quotes: headings written as
    "code. text" are quoted, and their texts may hold commas or semicolons of their own."""
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    outside = "".join(part for number, part in enumerate(header_line.split('"')) if number % 2 == 0)  # quoted parts dropped
    counts = {sep: outside.count(sep) for sep in SEPARATORS}
    separator, count = max(counts.items(), key=lambda item: item[1])
    if count == 0:
        raise InputFileError(
            file, "cannot find the column separator: the first line has no commas or semicolons", row=1,
            advice=_REEXPORT_ADVICE,
        )
    return separator


def _header(cells: list[str], file: Path, row: int = 1) -> list[str]:
    header = [cell.strip().lstrip("\ufeff") for cell in cells]
    seen: set[str] = set()
    for index, name in enumerate(header, start=1):
        if not name:
            raise InputFileError(file, f"header cell {index} is empty", row=row, advice=_REEXPORT_ADVICE)
        if name in seen:
            raise InputFileError(file, "the header names this column twice", row=row, column=name, advice=_REEXPORT_ADVICE)
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
    warnings: list[str] = field(default_factory=list)


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
        raise _broken_csv(exc, text, file, separator, header, row=row_number + 1, start_line=start_line, line=reader.line_num) from None
    if header is None:
        raise InputFileError(file, "the file has no header row", advice=_REEXPORT_ADVICE)
    return ParsedRecords(header, _frame(header, records, rows, lines, file.name), rows_read, malformed, blank_rows)


def _broken_csv(
    exc: csv.Error, text: str, file: Path, separator: str, header: list[str] | None, *, row: int, start_line: int, line: int
) -> InputFileError:
    """The error to raise for a record the csv module could not read, saying which of the usual causes it is."""
    limit = csv.field_size_limit()
    fault = _scan_record(text, start_line, separator, limit)

    def column(index: int | None) -> str | None:
        if index is None:
            return None
        return header[index] if header is not None and index < len(header) else f"field {index + 1}"

    if fault.kind == "unclosed quote":
        return InputFileError(
            file, "the CSV structure is broken: a double quote opened in this field is never closed, so the rest of "
            "the file reads as one answer", row=row, line=fault.line, column=column(fault.field),
            advice="Close the quote (or remove it) in the export, or export it again from the survey tool",
        )
    if "field larger than field limit" in str(exc) and fault.kind == "too long":
        return InputFileError(
            file, f"a field is too long: {fault.length:,} characters, more than the {limit:,} a CSV field may hold",
            row=row, line=fault.line, column=column(fault.field),
            advice="No answer should be this long: check this answer in the survey tool, shorten or remove it, and export again",
        )
    if fault.kind == "stray quote":
        where = f"on line {fault.quote_line}" if fault.quote_line != fault.line else "on the same line"
        return InputFileError(
            file, f"the CSV structure is broken: this quoted field has a double quote {where} that is neither doubled "
            "(\"\") nor followed by the separator", row=row, line=fault.line, column=column(fault.field),
            advice=(
                "Either a quote inside the answer is not doubled, or the field's opening quote is never closed and "
                "the field ran on into the next rows: correct the quote, or export the file again from the survey tool"
            ),
        )
    return InputFileError(file, f"the CSV structure is broken ({exc})", row=row, line=line, advice=_REEXPORT_ADVICE)


@dataclass(frozen=True)
class _RecordFault:
    kind: str  # "unclosed quote", "too long", "stray quote" or "none"
    field: int | None = None  # 0-based index of the field in its record
    line: int | None = None  # physical line where the field starts
    length: int = 0
    quote_line: int | None = None  # physical line of a stray quote


def _line_breaks(text: str, start: int, end: int) -> int:
    """Line breaks in text[start:end] as the csv module counts lines: CR LF, LF or CR."""
    return text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)


def _scan_record(text: str, start_line: int, separator: str, limit: int) -> _RecordFault:
    """Walk the record that starts on `start_line` as the csv module reads it (quote ", doubled quotes inside quoted
    fields) and find what broke it. Runs only after the csv module failed."""
    stream = io.StringIO(text, newline="")
    index = 0
    for _ in range(start_line - 1):
        index += len(stream.readline())
    line, field_index, field_line, length = start_line, 0, start_line, 0
    state = "start"  # at the start of a field, in a "plain" or "quoted" field, or just after a "quote" in a quoted one
    long_field: tuple[int, int, int] | None = None  # field, its first line, its length
    end = len(text)
    while index < end:
        if state == "quoted":  # jump to the next quote: an unclosed quote may hold the rest of a large file
            quote = text.find('"', index)
            stop = end if quote < 0 else quote
            line += _line_breaks(text, index, stop)
            length += stop - index
            if length > limit and (long_field is None or long_field[0] == field_index):
                long_field = (field_index, field_line, length)
            if quote < 0:
                return _RecordFault("unclosed quote", field_index, field_line)
            index, state = quote + 1, "quote"
            continue
        ch = text[index]
        index += 1
        if ch in "\r\n":
            break  # the end of the record
        if ch == separator:
            state, field_index, field_line, length = "start", field_index + 1, line, 0
            continue
        if state == "quote":
            if ch != '"':
                return _RecordFault("stray quote", field_index, field_line, quote_line=line)
            state = "quoted"  # a doubled quote: one quote in the answer
        elif state == "start" and ch == '"':
            state = "quoted"
            continue
        else:
            state = "plain"
        length += 1
        if length > limit and (long_field is None or long_field[0] == field_index):
            long_field = (field_index, field_line, length)
    if long_field is not None:
        return _RecordFault("too long", *long_field)
    return _RecordFault("none")


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


# --- workbooks (the XLSX export here, the workshop workbooks in workbooks.py) ---------------------------------------


def open_workbook(data: bytes, file: Path, advice: str):
    """A calamine workbook of the file's bytes; a password-protected or unreadable workbook stops the run."""
    from python_calamine import CalamineWorkbook

    if is_encrypted_workbook(data):
        # calamine tries the formats it knows by their content and says only "Cannot detect file format"
        raise InputFileError(
            file, "the workbook is password-protected (encrypted), so it cannot be read", advice=_NO_PASSWORD_ADVICE
        )
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise InputFileError(file, f"the workbook cannot be read ({exc})", advice=advice) from None


@dataclass(frozen=True)
class FormulaCell:
    """A formula cell the workbook holds no saved (cached) value for: Excel never calculated it, as when a script
    wrote the workbook. `value` is what the pipeline reads instead: the text of a formula made of quoted text only
    (="Jan"&" de Vries"), else the formula itself (=A2&B2), so that nothing typed is lost."""

    row: int  # 1-based, as a spreadsheet shows it
    column: int  # 1-based
    formula: str  # with its leading =
    value: str
    evaluated: bool  # value is the formula's text worked out, not the formula itself

    @property
    def column_letter(self) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.column)

    def warning(self, file: str, column: str | None = None, sheet: str | None = None) -> str:
        """The warning for the metadata: file, sheet, row and column, never the cell's value."""
        where = [f"file {file}"] + ([f"sheet {sheet!r}"] if sheet is not None else [])
        where += [f"row {self.row}", f"column {column or self.column_letter!r}"]
        kept = (
            "its text was worked out from the formula's quoted text"
            if self.evaluated
            else "the formula itself is kept as the cell's text"
        )
        return (
            f"{', '.join(where)}: the cell holds a formula without a saved value (the workbook was never calculated "
            f"and saved in Excel); {kept}. Open the workbook in Excel, save it and drop it in again to use Excel's values"
        )


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CELL_REFERENCE = re.compile(r"\A\$?([A-Za-z]{1,3})\$?([0-9]+)\Z")


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the archive member holding the sheet's XML."""
    from xml.etree import ElementTree

    workbook_part = "xl/workbook.xml"
    if "_rels/.rels" in archive.namelist():
        for relation in ElementTree.fromstring(archive.read("_rels/.rels")):
            if relation.get("Type", "").endswith("/officeDocument") and relation.get("Target"):
                workbook_part = relation.get("Target", "").lstrip("/")
    base = posixpath.dirname(workbook_part)
    relations_part = posixpath.join(base, "_rels", posixpath.basename(workbook_part) + ".rels")
    targets = {}
    for relation in ElementTree.fromstring(archive.read(relations_part)):
        target = relation.get("Target", "")
        targets[relation.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
    parts = {}
    for element in ElementTree.fromstring(archive.read(workbook_part)).iter():
        if _local_name(element.tag) == "sheet":
            relation_id = next((value for key, value in element.attrib.items() if _local_name(key) == "id"), None)
            if relation_id in targets:
                parts[element.get("name", "")] = targets[relation_id]
    return parts


def _holds_formulas(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a sheet's XML has any formula element; read in chunks, since an export's sheet may be large."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            if (b"<f" in window or b":f" in window) and _FORMULA_TAG.search(window):  # find() first: it is faster
                return True
            tail = chunk[-32:]
    return False


def literal_formula_text(formula: str) -> str | None:
    """The text of a formula made only of quoted text joined by & or CONCATENATE/CONCAT (="Jan"&" de Vries"), as
    Excel would show it; None for any other formula (a reference, a number, a calculation)."""
    from openpyxl.formula.tokenizer import Token, Tokenizer

    try:
        tokens = Tokenizer(formula).items
    except Exception:
        return None
    parts = []
    for token in tokens:
        if token.type == Token.OPERAND and token.subtype == Token.TEXT:
            parts.append(token.value[1:-1].replace('""', '"'))
        elif token.type == Token.WSPACE or (token.type == Token.OP_IN and token.value == "&"):
            continue
        elif token.type == Token.FUNC and token.subtype == Token.OPEN and token.value.upper().removeprefix("_XLFN.") in ("CONCATENATE(", "CONCAT("):
            continue
        elif (token.type == Token.FUNC and token.subtype == Token.CLOSE) or (token.type == Token.SEP and token.subtype == Token.ARG):
            continue
        else:
            return None
    return "".join(parts) if parts else None


def _scan_formulas(archive: zipfile.ZipFile, part: str) -> list[FormulaCell]:
    from xml.etree import ElementTree

    from openpyxl.formula.translate import Translator
    from openpyxl.utils import column_index_from_string

    found: list[FormulaCell] = []
    shared: dict[str, tuple[str | None, str]] = {}  # a shared formula's number -> the cell that holds its text, the text
    row = column = 0
    with archive.open(part) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            name = _local_name(element.tag)
            if event == "start":
                if name == "row":
                    row, column = int(element.get("r") or row + 1), 0
                continue
            if name == "row":
                element.clear()
            if name != "c":
                continue
            reference = element.get("r")
            match = _CELL_REFERENCE.match(reference or "")
            if match:
                column, row = column_index_from_string(match[1].upper()), int(match[2])
            else:
                column += 1
            formula = value = None
            for child in element:
                child_name = _local_name(child.tag)
                if child_name == "f":
                    formula = child
                elif child_name == "v":
                    value = child
            if formula is not None:
                text = formula.text or ""
                number = formula.get("si")
                if formula.get("t") == "shared" and number is not None:
                    if text:
                        shared[number] = (reference, text)
                    elif number in shared:
                        origin, text = shared[number]
                        if origin and reference:
                            text = Translator("=" + text, origin=origin).translate_formula(reference)[1:]
                # no saved value: no <v>, or an empty one that is not a saved empty text (t="str")
                unsaved = value is None or (not value.text and element.get("t") != "str")
                if unsaved and text:
                    literal = literal_formula_text("=" + text)
                    found.append(
                        FormulaCell(row, column, "=" + text, literal if literal is not None else "=" + text, literal is not None)
                    )
            element.clear()
    return found


def formulas_without_value(data: bytes, sheet_name: str) -> list[FormulaCell]:
    """The formula cells of one sheet of an XLSX workbook that have no saved value (calamine reads those as empty)."""
    if not data.startswith(b"PK\x03\x04"):
        return []  # not an XLSX (an .xls or .ods calamine also reads): nothing to look for
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _sheet_parts(archive).get(sheet_name)
            if part is None or not _holds_formulas(archive, part):
                return []
            return _scan_formulas(archive, part)
    except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError):
        return []  # calamine read the workbook; a part this scan cannot follow leaves its cells as calamine read them


@dataclass
class SheetCells:
    """A sheet's cells as text, from A1 (index [0][0] is row 1, column A), with the formulas whose text was kept."""

    cells: list[list[str]]
    formulas: list[FormulaCell]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]


def sheet_cells(workbook, sheet_name: str, data: bytes) -> SheetCells:
    """Every cell of a sheet as the text a CSV export would hold: saved values of formulas as Excel saved them, and
    for a formula without a saved value its text (see FormulaCell) instead of an empty cell."""
    sheet = workbook.get_sheet_by_name(sheet_name)
    # With skip_empty_area=False calamine starts at A1, whatever sheet.start (the first used cell) says.
    cells = [[cell_text(value) for value in row] for row in sheet.to_python(skip_empty_area=False)]
    kept = []
    for formula in formulas_without_value(data, sheet_name):
        row, column = formula.row - 1, formula.column - 1
        while len(cells) <= row:  # calamine's range ends at the last cell with a value
            cells.append([])
        if len(cells[row]) <= column:
            cells[row].extend([""] * (column + 1 - len(cells[row])))
        if cells[row][column] == "":
            cells[row][column] = formula.value
            kept.append(formula)
    return SheetCells(cells=cells, formulas=kept, merged=list(sheet.merged_cell_ranges or []))


def parse_xlsx_export(data: bytes, file: Path) -> ParsedRecords:
    """Records of an XLSX export (first sheet); numbers and dates are turned back into the export's text."""
    workbook = open_workbook(data, file, _REEXPORT_ADVICE)
    try:
        read = sheet_cells(workbook, workbook.sheet_names[0], data)
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise InputFileError(file, f"the workbook cannot be read ({exc})", advice=_REEXPORT_ADVICE) from None
    header: list[str] | None = None
    header_row = 1
    records: list[list[str | None]] = []
    rows: list[int] = []
    blank_rows = 0
    rows_read = 0
    width = 0
    for index, record in enumerate(read.cells, start=1):
        if header is None:
            if any(cell.strip() for cell in record):
                while record and not record[-1].strip():
                    record.pop()
                header, header_row = _header(record, file, row=index), index
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
    warnings = [
        formula.warning(file.name, header[formula.column - 1] if formula.row > header_row and formula.column <= width else None)
        for formula in read.formulas
    ]
    return ParsedRecords(
        header, _frame(header, records, rows, [None] * len(rows), file.name), rows_read, [], blank_rows, warnings
    )


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
        warnings=parsed.warnings,
    )


def check_export_shape(path: Path, codebook: Codebook) -> None:
    """Refuse an export whose headings do not fit the codebook, from its header alone: what the raw step would
    refuse after reading every row, said before any step runs. A workbook is read whole (its header is a row of
    a sheet); a CSV file only decoded and its first record parsed."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        table = read_survey_export(path)
    else:
        data, fingerprint = read_inbox_file(path)
        text, encoding = decode_export(data, path)
        separator = sniff_separator(text, path)
        first = next(csv.reader(io.StringIO(text), delimiter=separator), [])
        header = _header(first, path)
        table = ExportTable(frame=pd.DataFrame(columns=header), fingerprint=fingerprint, encoding=encoding,
                            separator=separator, header=header, rows_read=0)
    table, _ = headings_as_codes(table, codebook, path)
    require_columns(table, codebook, path)


# LimeSurvey's "question code & question text" headings: "SECTOR. In welk deel ...", "TOOLS[SQ001]. Welke ...".
_CODE_AND_TEXT_RE = re.compile(r"^\s*(?P<code>[^\s.][^\s]*?)\.\s+\S")


def headings_as_codes(table: ExportTable, codebook: Codebook, file: Path) -> tuple[ExportTable, str]:
    """The export with its headings as the codebook's column names, and which heading variant it was: "code" or
    "code. text" (decided by the codebook: a heading is renamed only where its code is a column the codebook
    knows, so a question text is never guessed at)."""
    known = set(codebook.export_columns())
    renamed: dict[str, str] = {}
    for heading in table.header:
        if heading in known:
            continue
        match = _CODE_AND_TEXT_RE.match(heading)
        if match and match["code"] in known:
            renamed[heading] = match["code"]
    if not renamed:
        return table, "code"
    header = [renamed.get(heading, heading) for heading in table.header]
    twice = sorted({column for column in header if header.count(column) > 1})
    if twice:
        raise InputFileError(
            file,
            f"the headings name column(s) {', '.join(twice)} twice (once as a code, once as 'code. text')",
            column=twice[0],
            advice="Export again with one heading setting for every column (question code, or question code & question text)",
        )
    table = replace(table, frame=table.frame.rename(columns=renamed), header=header)
    return table, "code. text"


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
                f"The codebook {codebook.source.name} expects these columns. Headings are read as question codes "
                "(\"SECTOR\") or as code and text (\"SECTOR. In welk deel ...\"); export with one of these, or "
                "give the wave its own questionnaire.yaml if its questionnaire differs"
            ),
        )
    known = set(codebook.export_columns())
    return [column for column in table.header if column not in known]


def original_values_json(values: dict[str, object]) -> str:
    """The original cells of a row, as JSON (restricted zone only)."""
    return json.dumps({k: v for k, v in values.items() if v is not None}, ensure_ascii=False, default=str)
