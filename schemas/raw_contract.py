"""The raw contract of a survey export: a pandera schema derived from the codebook.

It checks what must hold row by row for an export to be usable (known answer codes, readable
timestamps and numbers, at most `max_answers` ticks). Codes are compared after trimming spaces and
ignoring case, because real exports carry ` a2 ` where the tool wrote `A2`; staging normalises them.
Columns that are missing altogether are a structural fault and are found before this contract runs.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from schemas.codebook import TICK_VALUES, TIMESTAMP_COLUMNS, TICKED, Codebook, NumberRange

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
# Timestamps that must be present in every response; submitdate is empty for incomplete ones.
REQUIRED_TIMESTAMPS: tuple[str, ...] = ("startdate", "datestamp")


def normalise_code(values: pd.Series) -> pd.Series:
    """Answer codes as the survey tool wrote them: trimmed, upper case (`-oth-` stays lower case)."""
    normalised = values.astype("string").str.strip().str.upper()
    return normalised.mask((normalised == "-OTH-").fillna(False), "-oth-")


def is_ticked(values: pd.Series) -> pd.Series:
    """Whether a multiple-choice option is ticked, in any of the ways LimeSurvey writes it (TICK_VALUES)."""
    return normalise_code(values).map(TICK_VALUES).astype("boolean").fillna(False)


def tick_variant(frame: pd.DataFrame, codebook: Codebook) -> str:
    """How the export writes ticks, read from its multiple-choice columns: "Y/empty", "Y/N" or "1/0"."""
    columns = [column for column, codes in codebook.coded_columns().items() if codes == {TICKED} and column in frame]
    seen: set[str] = set()
    for column in columns:
        seen |= set(normalise_code(frame[column]).dropna().unique())
    if seen & {"1", "0"}:
        return "1/0" if not seen & {"Y", "N"} else "mixed (Y/N and 1/0)"
    return "Y/N" if "N" in seen else "Y/empty"


def is_blank(values: pd.Series) -> pd.Series:
    return values.isna() | (values.astype("string").str.strip() == "")


def ticked_count_column(question_code: str) -> str:
    """Name of the derived column that counts the ticks of a multi question (not an export column)."""
    return f"{question_code} (ticked options)"


def _known_code_check(codes: frozenset[str], column: str) -> pa.Check:
    allowed = ", ".join(sorted(codes, key=lambda c: (len(c), c)))
    return pa.Check(
        lambda values: is_blank(values) | normalise_code(values).isin(codes),
        name="known_answer_code",
        error=f"answer code unknown to the codebook for {column} (allowed: {allowed})",
    )


def _timestamp_check(column: str, required: bool) -> pa.Check:
    def valid(values: pd.Series) -> pd.Series:
        parsed = pd.to_datetime(values.astype("string").str.strip(), format=TIMESTAMP_FORMAT, errors="coerce")
        return parsed.notna() if required else (is_blank(values) | parsed.notna())

    expectation = "a timestamp YYYY-MM-DD HH:MM:SS" + ("" if required else " or empty")
    return pa.Check(valid, name="timestamp_format", error=f"{column} must be {expectation}")


def _whole_number_check(column: str, required: bool) -> pa.Check:
    def valid(values: pd.Series) -> pd.Series:
        digits = values.astype("string").str.strip().str.fullmatch(r"\d+").fillna(False).astype(bool)
        return digits if required else (is_blank(values) | digits)

    return pa.Check(valid, name="whole_number", error=f"{column} must be a whole number")


def _number_check(column: str) -> pa.Check:
    def valid(values: pd.Series) -> pd.Series:
        numbers = pd.to_numeric(values.astype("string").str.strip(), errors="coerce")
        return is_blank(values) | (numbers.notna() & (numbers >= 0))

    return pa.Check(valid, name="number", error=f"{column} must be a number of seconds")


def parse_numbers(values: pd.Series) -> pd.Series:
    """Numbers as a survey tool or a spreadsheet writes them: "42", "42.50000", " 3,5 " (a decimal comma when
    there is no point); anything else, and blanks, missing."""
    text = values.astype("string").str.strip()
    text = text.mask(~text.str.contains(".", regex=False).fillna(False), text.str.replace(",", ".", regex=False))
    text = text.where(text.str.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)").fillna(False).astype(bool))
    return pd.to_numeric(text, errors="coerce").astype("Float64")


def _answer_number_check(column: str, accepted: NumberRange) -> pa.Check:
    def valid(values: pd.Series) -> pd.Series:
        numbers = parse_numbers(values)
        ok = numbers.notna()
        if accepted.minimum is not None:
            ok &= numbers >= accepted.minimum
        if accepted.maximum is not None:
            ok &= numbers <= accepted.maximum
        if accepted.decimals is not None:
            scaled = numbers * 10**accepted.decimals
            ok &= (scaled - scaled.round()).abs() < 1e-6
        return is_blank(values) | ok.fillna(False).astype(bool)

    return pa.Check(valid, name="number_in_range", error=f"{column} must be {accepted.describe()}")


def build_raw_export_contract(codebook: Codebook) -> pa.DataFrameSchema:
    """The row-level contract of an export of this codebook's questionnaire."""
    columns: dict[str, pa.Column] = {
        "id": pa.Column(None, nullable=True, checks=_whole_number_check("id", required=True)),
        "lastpage": pa.Column(None, nullable=True, required=False, checks=_whole_number_check("lastpage", False)),
        "interviewtime": pa.Column(None, nullable=True, required=False, checks=_number_check("interviewtime")),
    }
    for column in TIMESTAMP_COLUMNS:
        required = column in REQUIRED_TIMESTAMPS
        columns[column] = pa.Column(None, nullable=True, checks=_timestamp_check(column, required))
    for column, codes in codebook.coded_columns().items():
        if codes == {TICKED}:
            check = pa.Check(
                lambda values: is_blank(values) | normalise_code(values).isin(list(TICK_VALUES)),
                name="ticked_or_empty",
                error=f"{column} must be 'Y' or '1' (ticked), 'N', '0' or empty (not ticked)",
            )
        else:
            check = _known_code_check(codes, column)
        columns[column] = pa.Column(None, nullable=True, checks=check)
    for question in codebook.questions:
        if question.type == "number":
            columns[question.code] = pa.Column(None, nullable=True, checks=_answer_number_check(question.code, question.number_range or NumberRange()))
        if question.type == "multi" and question.max_answers is not None:
            columns[ticked_count_column(question.code)] = pa.Column(
                int,
                checks=pa.Check.le(
                    question.max_answers,
                    error=f"{question.code} allows at most {question.max_answers} ticked options",
                ),
            )
    return pa.DataFrameSchema(columns, strict=False, name=f"raw survey export ({codebook.survey} {codebook.wave})")


def add_derived_columns(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The frame the contract sees: the export plus a ticked-options count per capped multi question."""
    derived = {}
    for question in codebook.questions:
        if question.type == "multi" and question.max_answers is not None:
            item_columns = [question.item_column(code) for code in question.options]
            ticked = pd.concat([is_ticked(frame[c]) for c in item_columns], axis=1)
            derived[ticked_count_column(question.code)] = ticked.fillna(False).sum(axis=1).astype(int)
    return frame.assign(**derived) if derived else frame
