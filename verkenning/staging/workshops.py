"""Staging of the workshop workbooks: the four raw sheet tables become typed, tidy tables with English
column names; a row that cannot be used goes to the quarantine with the reason, so every raw row is
either staged or quarantined, never lost.

Decisions a reader of the tables should know:
- An empty count or vote cell is 0 when the facilitator evidently recorded that vote, and missing
  otherwise. For a statement the vote is the row: an empty `Eens` next to a filled `Oneens` is 0, a row
  with all three counts empty keeps its statement with missing counts. For dot voting the vote is the
  table's: dots are spread over a table's needs, so an empty `Stemmen` is 0 when another need at the same
  table has votes written, and missing when none of the table's needs has.
- Counts and votes are whole numbers of at least 0, written as `3`, `3.0`, `3 stemmen`, `3x`, tally
  marks (`III`, `IIII I`, `||||`, `•••`) or `geen`/`-` for none. Anything else (`veel`, `-3`, `2.5`,
  Roman `IV`) is quarantined: guessing a number would put a wrong number in the results.
- Categories of sticky notes and themes of support needs are mapped with the vocabularies in
  `schemas/workshop_layout.yaml` (`Risico` counts as `Zorg`). An unknown or empty category is
  quarantined; an unknown theme is kept, tidied, because themes are an open list.
- A sticky note without text, a statement without text, a need without text and an attendance row
  with neither name nor e-mail are quarantined. A row without a table is kept, with `table` missing.
- Tables are labelled `1`, `2`, ... however written (`Tafel 1`, `1.0`); other labels are kept trimmed.
- A note is kept whole, line breaks included (Windows line ends become line feeds); only its outer white
  space is trimmed. Statements, needs, names and the like are single-line labels: white space runs,
  line breaks included, become one space, so the same statement groups across tables. E-mail addresses
  lose their spaces and are lower-cased, so they match the withdrawals.
- Reasons quote only the unreadable count or category (truncated), never a note, name or need: those
  may hold personal data and appear only in the quarantine's `original_values`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import pandas as pd

from schemas.workshop_layout import Vocabulary, WorkshopLayout, load_workshop_layout

SHEET_KINDS = ("sticky_notes", "statements", "support_needs", "attendance")
MEETING_COLUMNS = ("meeting", "meeting_date", "meeting_place", "table")
LINEAGE_COLUMNS = ("source_file", "row_number")
TIDY_COLUMNS: dict[str, tuple[str, ...]] = {
    "sticky_notes": (*MEETING_COLUMNS, "category", "note", "author", *LINEAGE_COLUMNS),
    "statements": (*MEETING_COLUMNS, "statement", "agree", "neutral", "disagree", *LINEAGE_COLUMNS),
    "support_needs": (*MEETING_COLUMNS, "need", "theme", "votes", *LINEAGE_COLUMNS),
    "attendance": (*MEETING_COLUMNS, "name", "email", "organisation", "sector", *LINEAGE_COLUMNS),
}
INTEGER_COLUMNS = frozenset({"agree", "neutral", "disagree", "votes", "row_number"})
QUARANTINE_COLUMNS = ("sheet_kind", "source_file", "sheet", "row_number", "column", "reason", "original_values")
RAW_LINEAGE = ("_source_file", "_sheet", "_row_number", "meeting_date", "meeting_place")

# Marks a facilitator may draw for one dot or one participant: tally strokes, dots, crosses, ticks.
TALLY_MARKS = frozenset("Iil|/\\•·●∙*xX✓✔")
COUNT_UNITS = frozenset(
    {"x", "×", "stem", "stemmen", "stip", "stippen", "punt", "punten", "dot", "dots", "vote", "votes",
     "sticker", "stickers", "persoon", "personen", "mensen", "deelnemer", "deelnemers"}
)
NONE_WORDS = frozenset({"geen", "nul", "niemand", "geen stemmen", "-", "–", "—"})
_NUMBER = re.compile(r"(?:(?P<prefix>[x×])\s*)?(?P<number>[+-]?\d+(?:[.,]\d+)?)\s*(?P<unit>[^\d\s.,]+)?\.?")
_TABLE_PREFIX = re.compile(r"^(?:tafel|table|tafelnr\.?)\s*(?:nr\.?|no\.?|#)?\s*", re.IGNORECASE)
_WHOLE_NUMBER = re.compile(r"\d+(?:[.,]0+)?")


class UnreadableValue(ValueError):
    """A cell whose text cannot be used; the message tells a data steward what to write instead."""


@cache
def _layout() -> WorkshopLayout:
    return load_workshop_layout()


def _text(value: object) -> str | None:
    """A raw cell as text, or None when it is empty or only spaces."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip() or None


def _one_line(value: object) -> str | None:
    """A label-like cell (statement, need, name): outer spaces trimmed, runs of white space made one space."""
    text = _text(value)
    return re.sub(r"\s+", " ", text) if text else None


def _shown(text: str, limit: int = 30) -> str:
    """A cell quoted in a reason, cut short so that a long text never ends up in a message."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _read_count(text: str | None) -> int | None:
    """The whole number a facilitator wrote, or None for an empty cell; raises UnreadableValue(problem)."""
    text = _one_line(text)
    if text is None:
        return None
    if text.casefold() in NONE_WORDS:
        return 0
    marks = re.sub(r"\s+", "", text)
    if set(marks) <= TALLY_MARKS:
        return len(marks)
    match = _NUMBER.fullmatch(text.casefold())
    if match is None:
        raise UnreadableValue("it is neither a number nor tally marks")
    unit = match["unit"]
    if unit is not None and (match["prefix"] or unit not in COUNT_UNITS):
        raise UnreadableValue("the word after the number is not a known unit")
    number = float(match["number"].replace(",", "."))
    if number < 0:
        raise UnreadableValue("it is negative")
    if not number.is_integer():
        raise UnreadableValue("it is not a whole number")
    return int(number)


def parse_votes(text: str | None) -> int | None:
    """The number of dots a support need got: `3`, `3 stemmen`, `3 stem`, `3x`, `III`, `IIII I`, `||||`,
    `•••`; None for an empty cell. Raises UnreadableValue with advice for a data steward."""
    try:
        return _read_count(text)
    except UnreadableValue as problem:
        raise UnreadableValue(
            f"votes {_shown(str(text).strip())} cannot be read as a number of dots ({problem}); "
            "write 3, '3 stemmen' or III"
        ) from None


def parse_count(text: str | None) -> int | None:
    """The number of participants who agreed, were neutral or disagreed: `3`, ` 3 `, `3.0`, `III`,
    `geen`; None for an empty cell. Raises UnreadableValue with advice for a data steward."""
    try:
        return _read_count(text)
    except UnreadableValue as problem:
        raise UnreadableValue(
            f"count {_shown(str(text).strip())} cannot be read as a number of participants ({problem}); "
            "write a whole number such as 0 or 3"
        ) from None


def table_label(text: str | None) -> str | None:
    """The table a row belongs to: `Tafel 1`, `tafel 1 `, `1` and `1.0` all become `1`; another label
    is kept trimmed without a `Tafel` prefix (`Tafel A` → `A`, a single letter as a capital)."""
    label = _one_line(text)
    if label is None:
        return None
    rest = _TABLE_PREFIX.sub("", label) or label
    if _WHOLE_NUMBER.fullmatch(rest):
        return str(int(float(rest.replace(",", "."))))
    return rest.upper() if len(rest) == 1 else rest


def normalise_category(text: str | None, vocabulary: Vocabulary | None = None) -> str | None:
    """The category of a sticky note (`Toepassing`, `Kans` or `Zorg`) however it is written; None for
    an empty cell. Raises UnreadableValue for a word the vocabulary does not know."""
    vocabulary = vocabulary or _layout().vocabulary("category")
    written = _one_line(text)
    if written is None:
        return None
    label = vocabulary.lookup(written)
    if label is None:
        raise UnreadableValue(
            f"category {_shown(written)} is not one of {', '.join(vocabulary.labels)}; write one of them, "
            "or add this spelling to the category vocabulary in schemas/workshop_layout.yaml"
        )
    return label


def normalise_theme(text: str | None, vocabulary: Vocabulary | None = None) -> str | None:
    """The theme of a support need: a known theme however it is written, another theme trimmed with a
    capital first letter; None for an empty cell."""
    vocabulary = vocabulary or _layout().vocabulary("theme")
    written = _one_line(text)
    if written is None:
        return None
    return vocabulary.lookup(written) or written[:1].upper() + written[1:]


def meeting_id(meeting_date: date, place: str) -> str:
    """A stable id of a meeting, as in its file name: `2024-02-15_utrecht`, `2024-03-07_den-haag`."""
    ascii_place = unicodedata.normalize("NFKD", place).encode("ascii", "ignore").decode().lower()
    return f"{meeting_date.isoformat()}_{re.sub(r'[^a-z0-9]+', '-', ascii_place).strip('-')}"


@dataclass
class StagedWorkshops:
    """A wave's workshop tables, staged: one tidy table per sheet kind, the quarantine of the rows that
    could not be used, and the raw row counts that both together must account for."""

    sticky_notes: pd.DataFrame
    statements: pd.DataFrame
    support_needs: pd.DataFrame
    attendance: pd.DataFrame
    quarantine: pd.DataFrame
    rows_in: dict[str, int] = field(default_factory=dict)  # raw rows per sheet kind

    def tidy(self, kind: str) -> pd.DataFrame:
        return getattr(self, kind)

    def accounting(self) -> pd.DataFrame:
        """Per sheet kind: raw rows in, rows staged, rows quarantined, and whether they add up."""
        quarantined = self.quarantine["sheet_kind"].value_counts()
        rows = [
            {
                "sheet_kind": kind,
                "rows_in": self.rows_in.get(kind, 0),
                "rows_staged": len(self.tidy(kind)),
                "rows_quarantined": int(quarantined.get(kind, 0)),
            }
            for kind in SHEET_KINDS
        ]
        table = pd.DataFrame(rows)
        table["accounted_for"] = table["rows_in"] == table["rows_staged"] + table["rows_quarantined"]
        return table

    @property
    def every_row_accounted_for(self) -> bool:
        return bool(self.accounting()["accounted_for"].all())


class _Problems:
    """The problems found per raw row (index label → [(column, reason)]), in the order found."""

    def __init__(self) -> None:
        self.by_row: dict[Any, list[tuple[str, str]]] = {}

    def add(self, index: Any, column: str, reason: str) -> None:
        self.by_row.setdefault(index, []).append((column, reason))

    def read(self, raw: pd.DataFrame, column: str, read: Callable[[Any], Any], *, name_column: bool = False) -> pd.Series:
        """A column read cell by cell; an unreadable cell is recorded as a problem (its reason starting
        with the column's name when `name_column`) and read as missing."""
        values: list[Any] = []
        for index, value in raw[column].items():
            try:
                values.append(read(value))
            except UnreadableValue as problem:
                self.add(index, column, f"{column} {problem}" if name_column else str(problem))
                values.append(None)
        return pd.Series(values, index=raw.index, dtype=object)

    def require(self, raw: pd.DataFrame, column: str, values: pd.Series, reason: str) -> None:
        for index in values.index[values.isna()]:
            if not any(c == column for c, _ in self.by_row.get(index, ())):
                self.add(index, column, reason)


def _checked(raw: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The raw table with a fresh index, after making sure it has the columns read_workbook gives."""
    expected = [*RAW_LINEAGE, *_layout().sheet(kind).columns]
    missing = [c for c in expected if c not in raw.columns]
    if missing:
        raise ValueError(f"the raw {kind} table lacks the column(s) {', '.join(missing)}; read it with read_workbook")
    return raw.reset_index(drop=True)


def _meeting_columns(raw: pd.DataFrame) -> pd.DataFrame:
    dates = pd.Series([pd.Timestamp(d).date() for d in raw["meeting_date"]], index=raw.index, dtype=object)
    places = raw["meeting_place"].map(_one_line)
    return pd.DataFrame(
        {
            "meeting": [meeting_id(d, p or "") for d, p in zip(dates, places)],
            "meeting_date": dates,
            "meeting_place": places,
            "table": raw["Tafel"].map(table_label),
        },
        index=raw.index,
    )


def _split(raw: pd.DataFrame, kind: str, columns: dict[str, pd.Series], problems: _Problems) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tidy table of the rows without problems and the quarantine of the others."""
    tidy = pd.concat(
        [
            _meeting_columns(raw),
            pd.DataFrame(columns, index=raw.index),
            pd.DataFrame({"source_file": raw["_source_file"], "row_number": raw["_row_number"]}, index=raw.index),
        ],
        axis=1,
    )
    bad = raw.index.isin(list(problems.by_row))
    tidy = _typed(tidy.loc[~bad, list(TIDY_COLUMNS[kind])].reset_index(drop=True))
    sheet_columns = _layout().sheet(kind).columns
    quarantine = [
        {
            "sheet_kind": kind,
            "source_file": raw.at[index, "_source_file"],
            "sheet": raw.at[index, "_sheet"],
            "row_number": raw.at[index, "_row_number"],
            "column": ", ".join(dict.fromkeys(c for c, _ in found)),
            "reason": "; ".join(reason for _, reason in found),
            "original_values": json.dumps({c: _text_or_none(raw.at[index, c]) for c in sheet_columns}, ensure_ascii=False),
        }
        for index, found in problems.by_row.items()
    ]
    return tidy, pd.DataFrame(quarantine, columns=list(QUARANTINE_COLUMNS))


def _text_or_none(value: object) -> str | None:
    """A raw value for original_values: exactly as read, untrimmed; None for an empty cell."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    for column in table.columns:
        if column in INTEGER_COLUMNS:
            table[column] = pd.array([None if pd.isna(v) else int(v) for v in table[column]], dtype="Int64")
        elif column != "meeting_date":
            table[column] = table[column].astype("string")
    return table


def stage_sticky_notes(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Working method 1: one row per sticky note, its category mapped to Toepassing, Kans or Zorg. Returns (tidy, quarantine)."""
    raw = _checked(raw, "sticky_notes")
    problems = _Problems()
    category = problems.read(raw, "Categorie", normalise_category)
    note = raw["Notitie"].map(_text)
    problems.require(raw, "Notitie", note, "the sticky note has no text; type the note's text in Notitie or delete the row")
    problems.require(raw, "Categorie", category, "the sticky note has no category; write Toepassing, Kans or Zorg in Categorie")
    columns = {"category": category, "note": note, "author": raw["Auteur"].map(_one_line)}
    return _split(raw, "sticky_notes", columns, problems)


COUNT_COLUMNS = {"agree": "Eens", "neutral": "Neutraal", "disagree": "Oneens"}


def stage_statements(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Working method 2: one row per statement and table, with the agree, neutral and disagree counts. Returns (tidy, quarantine)."""
    raw = _checked(raw, "statements")
    problems = _Problems()
    statement = raw["Stelling"].map(_one_line)
    problems.require(raw, "Stelling", statement, "the row has no statement; type the statement in Stelling or delete the row")
    empty = pd.DataFrame({name: raw[column].map(_text).isna() for name, column in COUNT_COLUMNS.items()}, index=raw.index)
    recorded = ~empty.all(axis=1)  # the table's vote on this statement was written down
    counts = {}
    for name, column in COUNT_COLUMNS.items():
        values = problems.read(raw, column, parse_count, name_column=True)
        counts[name] = values.mask(empty[name] & recorded, 0)
    return _split(raw, "statements", {"statement": statement, **counts}, problems)


def stage_support_needs(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Working method 3: one row per support need and table, with its theme and number of dots. Returns (tidy, quarantine)."""
    raw = _checked(raw, "support_needs")
    problems = _Problems()
    need = raw["Behoefte"].map(_one_line)
    problems.require(raw, "Behoefte", need, "the row has no support need; type the need in Behoefte or delete the row")
    votes = problems.read(raw, "Stemmen", parse_votes)
    empty = raw["Stemmen"].map(_text).isna()
    # Dots are spread over a table's needs: an empty cell is 0 when the table's votes were written down.
    tables = [raw["_source_file"].astype(str), raw["Tafel"].map(table_label).fillna("")]
    recorded = (~empty).groupby(tables).transform("any") if len(raw) else empty
    votes = votes.mask(empty & recorded, 0)
    columns = {"need": need, "theme": raw["Thema"].map(normalise_theme), "votes": votes}
    return _split(raw, "support_needs", columns, problems)


def _email(value: object) -> str | None:
    text = _one_line(value)
    return text.replace(" ", "").lower() if text else None


def stage_attendance(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The attendance list: personal data, it stays in the restricted zone. Returns (tidy, quarantine)."""
    raw = _checked(raw, "attendance")
    problems = _Problems()
    name, email = raw["Naam"].map(_one_line), raw["E-mail"].map(_email)
    for index in raw.index[name.isna() & email.isna()]:
        problems.add(index, "Naam, E-mail", "the attendance row has neither a name nor an e-mail address, so it "
                     "cannot say who attended; fill in Naam or E-mail, or delete the row")
    columns = {
        "name": name,
        "email": email,
        "organisation": raw["Organisatie"].map(_one_line),
        "sector": raw["Sector"].map(_one_line),
    }
    return _split(raw, "attendance", columns, problems)


def stage_workshops(
    sticky_notes: pd.DataFrame,
    statements: pd.DataFrame,
    support_needs: pd.DataFrame,
    attendance: pd.DataFrame,
) -> StagedWorkshops:
    """Stage the raw tables of a wave's workbooks (each the concatenation of all its workbooks' sheets)."""
    raw = {"sticky_notes": sticky_notes, "statements": statements, "support_needs": support_needs, "attendance": attendance}
    stagers = {"sticky_notes": stage_sticky_notes, "statements": stage_statements,
               "support_needs": stage_support_needs, "attendance": stage_attendance}
    tidy: dict[str, pd.DataFrame] = {}
    quarantined: list[pd.DataFrame] = []
    for kind in SHEET_KINDS:
        tidy[kind], quarantine = stagers[kind](raw[kind])
        quarantined.append(quarantine)
    found = [q for q in quarantined if len(q)]
    quarantine = pd.concat(found, ignore_index=True) if found else quarantined[0]
    quarantine = _typed(quarantine.sort_values(["source_file", "sheet_kind", "row_number"], kind="stable", ignore_index=True))
    return StagedWorkshops(**tidy, quarantine=quarantine, rows_in={kind: len(frame) for kind, frame in raw.items()})
