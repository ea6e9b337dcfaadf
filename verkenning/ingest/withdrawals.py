"""Reading a wave's withdrawals (people who withdrew consent) as they are.

Unlike a survey answer, a withdrawal that cannot be read is never set aside: quarantining it would
keep a person in the data who asked to be removed, so an unusable row stops the run instead.

Every row keeps where it came from: `_row_number` (the row as a spreadsheet shows it, header = 1) and
`_line_number` (the line of the file where the row starts; it differs after blank lines above the header
or a quoted line break), so that a withdrawal staging cannot match can be pointed out without showing it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from verkenning.errors import InputFileError
from verkenning.ingest.files import FileFingerprint, read_inbox_file
from verkenning.ingest.survey_export import LINE_NUMBER, ROW_NUMBER, SOURCE_FILE, decode_export, parse_csv_export, sniff_separator

WITHDRAWALS_FILE = "withdrawals.csv"
WITHDRAWAL_COLUMNS: tuple[str, ...] = ("token", "email", "datum")


def empty_withdrawals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            SOURCE_FILE: pd.Series(dtype=object),
            ROW_NUMBER: pd.Series(dtype="Int64"),
            LINE_NUMBER: pd.Series(dtype="Int64"),
            "token": pd.Series(dtype=object),
            "email": pd.Series(dtype=object),
            "datum": pd.Series(dtype="datetime64[ns]"),
        }
    )


def read_withdrawals(path: Path) -> tuple[pd.DataFrame, FileFingerprint | None]:
    """The withdrawals of a wave (an empty table when the wave has no withdrawals file)."""
    path = Path(path)
    if not path.is_file():
        return empty_withdrawals(), None
    data, fingerprint = read_inbox_file(path)
    text, _ = decode_export(data, path)
    parsed = parse_csv_export(text, path, sniff_separator(text, path))
    header = {name.casefold(): name for name in parsed.header}
    missing = [c for c in WITHDRAWAL_COLUMNS if c not in header]
    if missing:
        raise InputFileError(path, f"column(s) missing: {', '.join(missing)}", column=missing[0], row=1,
                             advice="A withdrawals file has the columns token, email and datum")
    if parsed.malformed_rows:
        bad = parsed.malformed_rows[0]
        raise InputFileError(path, bad.reason, row=bad.row_number, line=bad.line_number)
    frame = parsed.frame.rename(columns={header[c]: c for c in WITHDRAWAL_COLUMNS})
    frame = frame[[SOURCE_FILE, ROW_NUMBER, LINE_NUMBER, *WITHDRAWAL_COLUMNS]].copy()
    for column in ("token", "email"):
        frame[column] = frame[column].astype("string").str.strip().replace("", pd.NA).astype(object)
        frame[column] = frame[column].where(frame[column].notna(), None)
    for _, row in frame.iterrows():  # a withdrawals file holds a handful of rows
        where = _where(row)
        if row["token"] is None and row["email"] is None:
            raise InputFileError(path, "neither token nor email is given, so the person cannot be found", **where,
                                 column="token", advice="Fill in the token or the e-mail address of the person who withdrew")
        try:
            date.fromisoformat(str(row["datum"]).strip())
        except ValueError:
            raise InputFileError(path, "datum must be a date YYYY-MM-DD", **where, column="datum") from None
    frame["datum"] = pd.to_datetime(frame["datum"].str.strip(), format="%Y-%m-%d")
    return frame.reset_index(drop=True), fingerprint


def _where(row: pd.Series) -> dict[str, int | None]:
    """Row and (where it differs from the row) line of a withdrawal, for a message."""
    row_number, line_number = int(row[ROW_NUMBER]), row[LINE_NUMBER]
    line = None if pd.isna(line_number) or int(line_number) == row_number else int(line_number)
    return {"row": row_number, "line": line}
