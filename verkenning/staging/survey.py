"""Staging of the survey: typed, normalised answers, with test, duplicate, withdrawn and incomplete responses set apart.

Every response that passed the raw contract ends up in exactly one of three tables: completed (one
per person, the latest completed submission), incomplete (people who never completed), or
exclusions (with the reason). A withdrawn person is gone from every table from here on: their
exclusion row keeps only where it came from and why.

Two faults are the steward's to resolve, never guessed at here: a response id that occurs in more than
one row stops staging (the id is the survey tool's own key, so the export itself is broken), and a
withdrawal that matches no response is reported (`unmatched_withdrawals`) so that a blocking check can
hold the wave back: a mistyped token must not keep a person in the data who asked to be removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from schemas.codebook import Codebook, Condition, Option, Question
from schemas.raw_contract import TIMESTAMP_FORMAT, is_ticked, normalise_code, parse_numbers
from verkenning.errors import InputFileError
from verkenning.ingest.survey_export import LINE_NUMBER, ROW_NUMBER, SOURCE_FILE

MISSING_REASON_SUFFIX = "__missing_reason"
NOT_SHOWN = "not shown"
NOT_ANSWERED = "not answered"
TEST_RESPONSE = "test response"
DUPLICATE = "duplicate submission"
WITHDRAWN = "withdrawn"
LINEAGE = (SOURCE_FILE, ROW_NUMBER)
EXCLUSION_COLUMNS = (*LINEAGE, "id", "reason", "reason_detail", "kept_id")


def missing_reason_column(column: str) -> str:
    return f"{column}{MISSING_REASON_SUFFIX}"


def value_column(column: str) -> str:
    """The numeric value of a scale answer (e.g. EXPECT[SQ001]__value = 4 for A4)."""
    return f"{column}__value"


def normalise_email(values: pd.Series) -> pd.Series:
    """E-mail addresses as one person's key: case and every space ignored."""
    text = values.astype("string").str.casefold().str.replace(r"\s+", "", regex=True)
    return text.mask(text == "")


def _stripped_text(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def _condition_holds(condition: Condition, codes: pd.Series) -> pd.Series:
    """Whether a question was shown; unknown (the condition's own question unanswered) counts as not shown."""
    if condition.operator == "!=":
        holds = codes != condition.codes[0]
    else:
        holds = codes.isin(condition.codes)
    return holds.fillna(False).astype(bool) & codes.notna()


@dataclass
class NormalisedSurvey:
    frame: pd.DataFrame
    # Answers present although their shown_if condition was false: removed, counted per question.
    inconsistent_answers: dict[str, int] = field(default_factory=dict)


def normalise_responses(raw: pd.DataFrame, codebook: Codebook) -> NormalisedSurvey:
    """Typed answers: codes trimmed and upper-cased, scale values as numbers, "don't know" as missing with reason."""
    out: dict[str, pd.Series] = {
        SOURCE_FILE: raw[SOURCE_FILE].astype("string"),
        ROW_NUMBER: raw[ROW_NUMBER].astype("Int64"),
        "id": pd.to_numeric(raw["id"], errors="coerce").astype("Int64"),
        # An anonymous survey's export has no token column: no response then has a token.
        "token": _stripped_text(raw["token"]) if "token" in raw else pd.Series(pd.NA, index=raw.index, dtype="string"),
    }
    for column in ("submitdate", "startdate", "datestamp"):
        out[column] = pd.to_datetime(raw[column].astype("string").str.strip(), format=TIMESTAMP_FORMAT, errors="coerce")
    for column, dtype in (("lastpage", "Int64"), ("interviewtime", "Float64"), ("seed", "string")):
        if column in raw:
            numbers = pd.to_numeric(raw[column], errors="coerce") if dtype != "string" else _stripped_text(raw[column])
            out[column] = numbers.astype(dtype)
    for column in ("startlanguage", "ipaddr", "refurl"):
        if column in raw:
            out[column] = _stripped_text(raw[column])

    codes_by_question: dict[str, pd.Series] = {}
    for question in codebook.questions:
        if question.type == "single":
            codes = normalise_code(raw[question.code])
            codes = codes.mask(codes == "")
            codes_by_question[question.code] = codes
            out.update(_coded_columns(question, question.code, codes))
        elif question.type == "array":
            for item in question.statements:
                column = question.item_column(item)
                codes = normalise_code(raw[column])
                out.update(_coded_columns(question, column, codes.mask(codes == "")))
        elif question.type == "multi":
            out.update(_multi_columns(question, raw))
        elif question.type == "number":
            out[question.code] = parse_numbers(raw[question.code])
            out[missing_reason_column(question.code)] = pd.Series(pd.NA, index=raw.index, dtype="string").mask(
                out[question.code].isna(), NOT_ANSWERED
            )
        else:
            out[question.code] = _stripped_text(raw[question.code])
        if question.other:
            out[question.other_column] = _stripped_text(raw[question.other_column])

    frame = pd.DataFrame(out)
    inconsistent: dict[str, int] = {}
    for question in codebook.questions:
        if question.shown_if is None:
            continue
        shown = _condition_holds(question.shown_if, codes_by_question[question.shown_if.question])
        inconsistent[question.code] = _blank_when_not_shown(frame, question, ~shown)
    return NormalisedSurvey(frame=frame, inconsistent_answers=inconsistent)


def missing_reason(option: Option) -> str:
    """The missing-reason text of an answer given with a "don't know" code, e.g. "Don't know (A99)"."""
    return f"{option.label_en} ({option.code})"


def _coded_columns(question: Question, column: str, codes: pd.Series) -> dict[str, pd.Series]:
    missing_codes = {code: option for code, option in question.options.items() if option.missing}
    reason = pd.Series(pd.NA, index=codes.index, dtype="string")
    reason = reason.mask(codes.isna(), NOT_ANSWERED)
    for code, option in missing_codes.items():
        reason = reason.mask(codes == code, missing_reason(option))
    answered = codes.mask(codes.isin(list(missing_codes)))
    columns = {column: answered.astype("string"), missing_reason_column(column): reason}
    values = {code: option.value for code, option in question.options.items() if option.value is not None}
    if values:
        columns[value_column(column)] = answered.map(values).astype("Float64")
    return columns


def _multi_columns(question: Question, raw: pd.DataFrame) -> dict[str, pd.Series]:
    """Ticked options as booleans for respondents who answered the question; missing for those who did not."""
    ticked = pd.DataFrame(
        {code: is_ticked(raw[question.item_column(code)]) for code in question.options}
    )
    answered = ticked.any(axis=1)
    if question.other:
        answered |= _stripped_text(raw[question.other_column]).notna()
    columns = {
        question.item_column(code): ticked[code].astype("boolean").mask(~answered) for code in question.options
    }
    columns[missing_reason_column(question.code)] = pd.Series(
        np.where(answered, None, NOT_ANSWERED), index=raw.index, dtype="string"
    )
    return columns


def _question_columns(question: Question) -> list[str]:
    if question.type == "multi":
        return [question.item_column(code) for code in question.options] + ([question.other_column] if question.other else [])
    if question.type == "array":
        return [question.item_column(code) for code in question.statements]
    return [question.code] + ([question.other_column] if question.other else [])


def _blank_when_not_shown(frame: pd.DataFrame, question: Question, not_shown: pd.Series) -> int:
    """Remove answers to a question its condition hid; return how many responses had such answers."""
    columns = [c for c in _question_columns(question) if c in frame]
    present = frame[columns].notna()  # a multi question's options are missing unless it was answered
    inconsistent = int((present.any(axis=1) & not_shown).sum())
    for column in columns:
        frame.loc[not_shown, column] = pd.NA
        value = value_column(column)
        if value in frame:
            frame.loc[not_shown, value] = pd.NA
    reason_columns = (
        [missing_reason_column(question.code)] if question.type == "multi"
        else [missing_reason_column(c) for c in columns if missing_reason_column(c) in frame]
    )
    for column in reason_columns:
        frame.loc[not_shown, column] = NOT_SHOWN
    return inconsistent


# --- the export's key: one row per response id -----------------------------------------------------


@dataclass(frozen=True)
class DuplicateResponseId:
    """A response id that occurs in more than one row of the export, with those rows (and their lines)."""

    source_file: str
    response_id: int
    rows: tuple[int, ...]
    lines: tuple[int | None, ...]

    def describe(self) -> str:
        rows = ", ".join(str(r) for r in self.rows)
        text = f"response id {self.response_id} occurs in rows {rows}"
        lines = [line for line in self.lines if line is not None]
        if len(lines) == len(self.rows) and tuple(lines) != self.rows:
            text += f" (lines {', '.join(str(line) for line in lines)})"
        return text


def duplicate_response_ids(raw: pd.DataFrame) -> list[DuplicateResponseId]:
    """Response ids (compared as numbers, as staging reads them: ' 17' and '017' are 17) held by more than one row."""
    ids = pd.to_numeric(raw["id"], errors="coerce").astype("Int64")
    repeated = ids.notna() & ids.duplicated(keep=False)
    if not repeated.any():
        return []
    lines = raw[LINE_NUMBER] if LINE_NUMBER in raw else pd.Series(pd.NA, index=raw.index, dtype="Int64")
    found = []
    for response_id, index in ids[repeated].groupby(ids[repeated], sort=False).groups.items():
        order = raw.loc[index, ROW_NUMBER].astype(int).sort_values().index
        found.append(
            DuplicateResponseId(
                source_file=str(raw.at[order[0], SOURCE_FILE]),
                response_id=int(response_id),
                rows=tuple(int(raw.at[i, ROW_NUMBER]) for i in order),
                lines=tuple(None if pd.isna(lines.at[i]) else int(lines.at[i]) for i in order),
            )
        )
    return sorted(found, key=lambda d: d.rows[0])


def require_unique_response_ids(raw: pd.DataFrame) -> None:
    """Stop with a steward's message when a response id occurs in more than one row.

    The id is the survey tool's number of a response, unique in every export it writes. A repeated id
    means the file was changed after the export (a row copied, two exports pasted together), and no rule
    can tell which row is the response: quarantining one would be a guess, quarantining both would drop
    a real respondent without anyone deciding it. So the export is refused, as a file whose header names
    a column twice is.
    """
    duplicates = duplicate_response_ids(raw)
    if not duplicates:
        return
    first = duplicates[0]
    listed = "; ".join(d.describe() for d in duplicates[:5])
    if len(duplicates) > 5:
        listed += f"; and {len(duplicates) - 5} more repeated id(s)"
    line = first.lines[0] if first.lines[0] is not None and first.lines[0] != first.rows[0] else None
    raise InputFileError(
        first.source_file,
        f"{len(duplicates)} response id(s) occur in more than one row: {listed}",
        row=first.rows[0],
        line=line,
        column="id",
        advice=(
            "The survey tool gives every response its own id, so the file was changed after the export "
            "(a row copied, or two exports pasted together). Export the responses again from the survey tool "
            "and replace the file"
        ),
    )


# --- withdrawals that match nobody ------------------------------------------------------------------

WITHDRAWAL_KEYS = ("token", "email")


def withdrawal_tokens(withdrawals: pd.DataFrame) -> pd.Series:
    """The tokens of the withdrawals as staging compares them (stripped; empty is missing)."""
    return _stripped_text(withdrawals["token"]) if len(withdrawals) else pd.Series(dtype="string")


def withdrawal_emails(withdrawals: pd.DataFrame) -> pd.Series:
    """The e-mail addresses of the withdrawals as staging compares them (normalised)."""
    return normalise_email(withdrawals["email"]) if len(withdrawals) else pd.Series(dtype="string")


@dataclass(frozen=True)
class UnmatchedWithdrawal:
    """A row of the withdrawals file whose token and e-mail match no response: where it is and which fields
    it gives, never the values (they are personal data and go into metadata)."""

    source_file: str
    row_number: int
    line_number: int
    given: tuple[str, ...]  # of WITHDRAWAL_KEYS

    def describe(self) -> str:
        where = f"line {self.line_number}"
        if self.row_number != self.line_number:
            where += f" (row {self.row_number} in a spreadsheet)"
        given = " and ".join("e-mail" if key == "email" else key for key in self.given)
        verb = "match" if len(self.given) > 1 else "matches"
        return f"{self.source_file} {where}: its {given} {verb} no response of the wave"

    def as_metadata(self) -> dict[str, object]:
        return {"file": self.source_file, "line": self.line_number, "row": self.row_number, "given": list(self.given)}


def unmatched_withdrawals(
    withdrawals: pd.DataFrame, response_tokens: pd.Series, response_emails: pd.Series
) -> list[UnmatchedWithdrawal]:
    """The withdrawals whose token and e-mail match no response (token stripped, e-mail normalised on both
    sides, as staging compares them); a row that matches by either is matched."""
    if not len(withdrawals):
        return []
    tokens, emails = withdrawal_tokens(withdrawals), withdrawal_emails(withdrawals)
    known_tokens = set(_stripped_text(response_tokens).dropna())
    known_emails = set(normalise_email(response_emails).dropna())
    matched = tokens.isin(known_tokens).fillna(False) | emails.isin(known_emails).fillna(False)
    lines = withdrawals[LINE_NUMBER] if LINE_NUMBER in withdrawals else withdrawals[ROW_NUMBER]
    found = []
    for index in withdrawals.index[~matched.astype(bool)]:
        row = int(withdrawals.at[index, ROW_NUMBER])
        line = lines.at[index]
        found.append(
            UnmatchedWithdrawal(
                source_file=str(withdrawals.at[index, SOURCE_FILE]),
                row_number=row,
                line_number=row if pd.isna(line) else int(line),
                given=tuple(key for key, values in zip(WITHDRAWAL_KEYS, (tokens, emails)) if pd.notna(values.at[index])),
            )
        )
    return sorted(found, key=lambda u: u.line_number)


@dataclass(frozen=True)
class WithdrawalReport:
    """What the withdrawals did: rows listed, people and responses removed, and the rows that matched nobody."""

    listed: int = 0
    people_removed: int = 0
    responses_removed: int = 0
    unmatched: tuple[UnmatchedWithdrawal, ...] = ()


# --- who is who: tests, duplicates, withdrawals, incomplete ----------------------------------------


def person_groups(token: pd.Series, email: pd.Series) -> pd.Series:
    """A label per response such that responses sharing a token or an e-mail address (directly or through a
    chain) share a label: connected components, found by propagating the smallest row position."""
    label = pd.Series(np.arange(len(token)), index=token.index)
    while True:
        before = label
        for key in (token, email):
            has_key = key.notna()
            smallest = label[has_key].groupby(key[has_key]).transform("min")
            label = label.where(~has_key, np.minimum(label, smallest.reindex(label.index).fillna(label)).astype(int))
        if label.equals(before):
            return label


@dataclass
class StagedSurvey:
    completed: pd.DataFrame
    incomplete: pd.DataFrame
    exclusions: pd.DataFrame
    inconsistent_answers: dict[str, int]
    withdrawals: WithdrawalReport = field(default_factory=WithdrawalReport)

    def exclusions_by_reason(self) -> dict[str, int]:
        return self.exclusions["reason"].value_counts().sort_index().to_dict()

    def unaccounted(self, rows_in: int) -> str | None:
        total = len(self.completed) + len(self.incomplete) + len(self.exclusions)
        if total == rows_in:
            return None
        return f"{rows_in} responses in, but {len(self.completed)} completed + {len(self.incomplete)} incomplete + {len(self.exclusions)} excluded = {total}"


def _exclusions(frame: pd.DataFrame, mask: pd.Series, reason: str, detail: pd.Series | str, kept_id: pd.Series | None = None) -> pd.DataFrame:
    rows = frame.loc[mask, [*LINEAGE, "id"]].copy()
    rows["reason"] = reason
    rows["reason_detail"] = detail[mask] if isinstance(detail, pd.Series) else detail
    rows["kept_id"] = kept_id[mask].astype("Int64") if kept_id is not None else pd.array([pd.NA] * len(rows), dtype="Int64")
    return rows


def duplicate_detection(responses: pd.DataFrame, codebook: Codebook) -> str:
    """How duplicate responses of one person can be told in this export, for the staged metadata."""
    has_token = "token" in responses and responses["token"].notna().any()
    email = codebook.linking_email()
    has_email = email is not None and email in responses and responses[email].notna().any()
    if has_token and has_email:
        return "by token and by e-mail address"
    if has_token:
        return "by token only (no e-mail address in the export)"
    if has_email:
        return "by e-mail address only (no token: an anonymous survey)"
    return "not possible: the export has neither token nor e-mail address, so every response counts as a person of its own"


def classify_responses(frame: pd.DataFrame, codebook: Codebook, withdrawals: pd.DataFrame) -> StagedSurvey:
    """Split normalised responses into completed (one per person), incomplete and excluded (with reason)."""
    email_column = codebook.linking_email()
    email = normalise_email(frame[email_column]) if email_column else pd.Series(pd.NA, index=frame.index, dtype="string")
    token = frame["token"]
    parts: list[pd.DataFrame] = []

    # Withdrawals first: the whole person (every response linked by token or e-mail) goes.
    groups = person_groups(token, email)
    withdrawn_tokens = set(withdrawal_tokens(withdrawals).dropna())
    withdrawn_emails = set(withdrawal_emails(withdrawals).dropna())
    named = token.isin(withdrawn_tokens).fillna(False) | email.isin(withdrawn_emails).fillna(False)
    withdrawn = named.groupby(groups).transform("any").astype(bool)
    parts.append(_exclusions(frame, withdrawn, WITHDRAWN, "the person withdrew consent (withdrawals.csv)"))
    report = WithdrawalReport(
        listed=len(withdrawals),
        people_removed=int(groups[withdrawn].nunique()),
        responses_removed=int(withdrawn.sum()),
        unmatched=tuple(unmatched_withdrawals(withdrawals, token, email)),
    )

    remaining = ~withdrawn
    test_token = token.str.casefold().str.startswith("test").fillna(False).astype(bool)
    early = (frame["startdate"].dt.date < codebook.fielded_from).fillna(False).astype(bool)
    is_test = remaining & (test_token | early)
    detail = pd.Series(
        np.where(test_token, "the token starts with 'test'", f"started before the fieldwork period ({codebook.fielded_from})"),
        index=frame.index,
    )
    parts.append(_exclusions(frame, is_test, TEST_RESPONSE, detail))

    people = remaining & ~is_test
    groups = person_groups(token.where(people), email.where(people))
    complete = frame["submitdate"].notna()
    # The latest completed submission wins; without one, the latest attempt is the person's incomplete response.
    order = pd.DataFrame(
        {
            "group": groups,
            "complete": complete,
            "moment": frame["submitdate"].fillna(frame["datestamp"]).fillna(frame["startdate"]),
            "id": frame["id"],
        }
    )[people].sort_values(["group", "complete", "moment", "id"], na_position="first")
    kept_index = order.groupby("group").tail(1).index
    kept = pd.Series(False, index=frame.index)
    kept[kept_index] = True
    kept_id_by_group = frame.loc[kept_index].set_index(groups[kept_index])["id"]
    duplicate = people & ~kept
    same_token = token.notna() & token.duplicated(keep=False)
    detail = pd.Series(
        np.where(same_token, "same token as the response that was kept", "same e-mail address as the response that was kept"),
        index=frame.index,
    )
    parts.append(_exclusions(frame, duplicate, DUPLICATE, detail, kept_id=groups.map(kept_id_by_group)))

    exclusions = pd.concat(parts, ignore_index=True).sort_values(ROW_NUMBER, ignore_index=True)
    exclusions["reason_detail"] = exclusions["reason_detail"].astype("string")
    exclusions["reason"] = exclusions["reason"].astype("string")
    return StagedSurvey(
        completed=frame[kept & complete].reset_index(drop=True),
        incomplete=frame[kept & ~complete].reset_index(drop=True).assign(incomplete=True),
        exclusions=exclusions[list(EXCLUSION_COLUMNS)],
        inconsistent_answers={},
        withdrawals=report,
    )


def stage_survey(raw: pd.DataFrame, codebook: Codebook, withdrawals: pd.DataFrame) -> StagedSurvey:
    """Raw responses that passed the contract → completed, incomplete and excluded responses.

    Raises InputFileError when a response id occurs in more than one row (see require_unique_response_ids).
    """
    require_unique_response_ids(raw)
    normalised = normalise_responses(raw, codebook)
    staged = classify_responses(normalised.frame, codebook, withdrawals)
    staged.inconsistent_answers = normalised.inconsistent_answers
    return staged
