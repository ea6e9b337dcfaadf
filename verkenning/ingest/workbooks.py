"""Reading the facilitators' workshop workbooks as they are: one tidy raw table per sheet kind.

Sheets are found by name whatever their case and spacing, title rows above the header are skipped,
a merged cell's value is given to every cell it covers (a `Tafel` merged over its notes), and blank
rows are dropped and counted. Values stay the text the cell shows; cleaning happens in staging. A formula
cell gives the value Excel saved with it; one without a saved value keeps its formula's text (with a warning,
see `WorkbookRead.warnings`) rather than reading as empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from schemas.workshop_layout import SheetLayout, WorkshopLayout
from verkenning.errors import InputFileError
from verkenning.ingest.files import FileFingerprint, read_inbox_file
from verkenning.ingest.survey_export import FormulaCell, SheetCells, open_workbook, sheet_cells

HEADER_SEARCH_ROWS = 15
SHEET = "_sheet"
WORKBOOK_LINEAGE = ("_source_file", SHEET, "_row_number", "meeting_date", "meeting_place")


def normalise_name(name: str) -> str:
    """Sheet and column names compared as a person reads them: case, spaces and non-breaking spaces ignored."""
    return re.sub(r"\s+", " ", str(name).replace("\u00a0", " ")).strip().casefold()


@dataclass(frozen=True)
class Meeting:
    date: date
    place: str


@dataclass
class SheetRead:
    frame: pd.DataFrame
    header_row: int
    blank_rows: int
    sheet_name: str
    # Things a steward should know that do not stop the run (formulas without a saved value), each naming file,
    # sheet, row and column but never a value: safe for asset metadata.
    warnings: list[str] = field(default_factory=list)


@dataclass
class WorkbookRead:
    fingerprint: FileFingerprint
    meeting: Meeting
    sheets: dict[str, SheetRead]

    @property
    def warnings(self) -> list[str]:
        """The warnings of every sheet read, in the layout's order."""
        return [warning for sheet in self.sheets.values() for warning in sheet.warnings]


def workshop_files(wave_dir: Path, layout: WorkshopLayout) -> list[Path]:
    """The wave's workbooks: every `workshop_*.xlsx`, sorted; Excel's lock files (~$...) are ignored."""
    return sorted(p for p in Path(wave_dir).glob("workshop_*.xlsx") if p.is_file())


def meeting_from_file_name(path: Path, layout: WorkshopLayout) -> Meeting:
    match = layout.file_name.fullmatch(path.name)
    if not match:
        raise InputFileError(
            path, "the file name does not say the meeting's date and place",
            advice="Name workshop workbooks like workshop_2024-02-15_utrecht.xlsx",
        )
    try:
        meeting_date = date.fromisoformat(match["date"])
    except ValueError:
        raise InputFileError(path, f"the date {match['date']!r} in the file name is not a real date") from None
    return Meeting(date=meeting_date, place=match["place"].replace("-", " ").title())


def _fill_merged_cells(cells: list[list[str]], merged: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Give a merged range's value to every cell of it; `cells` starts at A1, as the ranges do (0-based)."""
    for (top, left), (bottom, right) in merged:
        if top < 0 or left < 0 or top >= len(cells):
            continue
        value = cells[top][left] if left < len(cells[top]) else ""
        for r in range(top, min(bottom, len(cells) - 1) + 1):
            for c in range(left, min(right, len(cells[r]) - 1) + 1):
                cells[r][c] = value


def _find_header(cells: list[list[str]], layout: SheetLayout, file: Path, sheet_name: str, first_row: int) -> tuple[int, dict[str, int]]:
    """Index of the header row and the position of each required column in it."""
    wanted = {normalise_name(c): c for c in layout.columns}
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        positions: dict[str, int] = {}
        for position, cell in enumerate(row):
            name = normalise_name(cell)
            if name in wanted and wanted[name] not in positions:
                positions[wanted[name]] = position
        if len(positions) == len(wanted):
            return index, positions
        if positions and (best is None or len(positions) > len(best[1])):
            best = (index, positions)
    if best is None:
        raise InputFileError(
            file,
            f"no header row with the columns {', '.join(layout.columns)} in the first {HEADER_SEARCH_ROWS} rows",
            sheet=sheet_name,
        )
    missing = [c for c in layout.columns if c not in best[1]]
    raise InputFileError(
        file, f"the header row lacks column(s) {', '.join(missing)}", sheet=sheet_name,
        row=first_row + best[0], column=missing[0],
    )


def _sheet_with_header(
    workbook, sheet_names: dict[str, str], layout: SheetLayout, file: Path, data: bytes
) -> tuple[str, SheetCells, int, dict[str, int]]:
    """The sheet of a sheet kind, its cells (merged cells filled), its header row and the position of each column:
    a missing sheet or column stops here, naming file, sheet, row and column."""
    sheet_name = sheet_names.get(normalise_name(layout.sheet))
    if sheet_name is None:
        found = ", ".join(repr(name) for name in workbook.sheet_names)
        raise InputFileError(
            file, f"the sheet {layout.sheet!r} is missing (the workbook has {found})", sheet=layout.sheet,
            advice="Every workshop workbook needs the sheets Deelnemers, Stand van zaken, Toekomst 2030 and Ondersteuning",
        )
    read = sheet_cells(workbook, sheet_name, data)
    _fill_merged_cells(read.cells, read.merged)
    header_index, positions = _find_header(read.cells, layout, file, sheet_name, 1)
    return sheet_name, read, header_index, positions


def read_sheet(
    workbook, sheet_names: dict[str, str], layout: SheetLayout, file: Path, meeting: Meeting, data: bytes = b""
) -> SheetRead:
    """One sheet kind of a workbook; `data` (the file's bytes) lets formulas without a saved value keep their text."""
    sheet_name, read, header_index, positions = _sheet_with_header(workbook, sheet_names, layout, file, data)
    cells = read.cells
    first_row = 1  # cells[0] is row 1 (calamine's skip_empty_area=False starts at A1)
    warnings = [_formula_warning(formula, file, sheet_name, cells, header_index, positions) for formula in read.formulas]

    records: list[dict[str, object]] = []
    blank_rows = 0
    for index in range(header_index + 1, len(cells)):
        row = cells[index]
        values = {column: (row[pos] if pos < len(row) else "") for column, pos in positions.items()}
        if not any(v.strip() for v in values.values()):
            blank_rows += 1
            continue
        records.append(
            {
                "_source_file": file.name,
                SHEET: sheet_name,
                "_row_number": first_row + index,
                "meeting_date": meeting.date,
                "meeting_place": meeting.place,
                **{column: (value if value != "" else None) for column, value in values.items()},
            }
        )
    frame = pd.DataFrame.from_records(records, columns=[*WORKBOOK_LINEAGE, *layout.columns])
    frame["_row_number"] = frame["_row_number"].astype("Int64")
    return SheetRead(
        frame=frame, header_row=first_row + header_index, blank_rows=blank_rows, sheet_name=sheet_name, warnings=warnings
    )


def _formula_warning(
    formula: FormulaCell, file: Path, sheet_name: str, cells: list[list[str]], header_index: int, positions: dict[str, int]
) -> str:
    """The formula's warning, naming the column by its heading when the cell is below the header row."""
    column = None
    if formula.row - 1 > header_index:
        by_position = {position: name for name, position in positions.items()}
        header = cells[header_index]
        position = formula.column - 1
        column = by_position.get(position) or (header[position].strip() if position < len(header) else "") or None
    return formula.warning(file.name, column, sheet=sheet_name)


def empty_sheet_table(layout: SheetLayout) -> pd.DataFrame:
    """The table of a sheet kind for a wave without workshop workbooks."""
    return pd.DataFrame(columns=[*WORKBOOK_LINEAGE, *layout.columns])


def read_workbook(path: Path, layout: WorkshopLayout) -> WorkbookRead:
    """Read every sheet of one workshop workbook; a missing sheet or column, or a password, stops the run."""
    path = Path(path)
    meeting = meeting_from_file_name(path, layout)
    data, fingerprint = read_inbox_file(path)
    workbook = open_workbook(data, path, advice="Save it again as .xlsx in Excel")
    sheet_names = {normalise_name(name): name for name in workbook.sheet_names}
    sheets = {s.table: read_sheet(workbook, sheet_names, s, path, meeting, data) for s in layout.sheets}
    return WorkbookRead(fingerprint=fingerprint, meeting=meeting, sheets=sheets)


def check_workbook_shape(path: Path, layout: WorkshopLayout) -> None:
    """What `read_workbook` refuses before it reads a row: a file name without the meeting, a password, a missing
    sheet or a header without its columns. `make run` checks every workbook so before any step (fail fast)."""
    path = Path(path)
    meeting_from_file_name(path, layout)
    data, _ = read_inbox_file(path)
    workbook = open_workbook(data, path, advice="Save it again as .xlsx in Excel")
    sheet_names = {normalise_name(name): name for name in workbook.sheet_names}
    for sheet in layout.sheets:
        _sheet_with_header(workbook, sheet_names, sheet, path, data)
