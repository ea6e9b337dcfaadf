"""Errors that speak to a data steward: what is wrong, in which file, row and column, and what to do."""

from __future__ import annotations

from pathlib import Path


class InputFileError(ValueError):
    """An inbox file cannot be used as it is; the run stops so that a steward can fix the file.

    `row` is the row as a spreadsheet shows it (the header is row 1), `line` the physical line
    in a text file where that differs (answers with line breaks span several lines).
    """

    def __init__(
        self,
        file: Path | str,
        problem: str,
        *,
        row: int | None = None,
        line: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
        advice: str | None = None,
    ) -> None:
        self.file = str(file)
        self.problem = problem
        self.row = row
        self.line = line
        self.column = column
        self.sheet = sheet
        self.advice = advice
        where = [f"file {self.file}"]
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if row is not None:
            where.append(f"row {row}")
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        message = f"{', '.join(where)}: {problem}"
        if advice:
            message += f". {advice}"
        super().__init__(message)
