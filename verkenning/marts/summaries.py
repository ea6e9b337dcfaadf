"""Scale summaries, open answers and the workshop marts: long tables with stable columns."""

from __future__ import annotations

import hashlib

import pandas as pd

from schemas.codebook import Codebook
from verkenning.anonymise.k_anonymity import group_column
from verkenning.disclosure.cells import DisclosureRule, Relation, suppress_cells
from verkenning.marts.frequencies import UNKNOWN_GROUP
from verkenning.staging.survey import missing_reason_column, value_column

SCALE_SUMMARY_COLUMNS = [
    "wave", "breakdown", "breakdown_group", "question_code", "item_code", "label_nl", "label_en",
    "n_valid", "n_missing", "mean", "sd", "share_agree", "suppressed",
]
OPEN_ANSWER_COLUMNS = ["wave", "question_code", "item_code", "label_nl", "label_en", "answer"]
AGREE_FROM = 4  # the top two of a five-point scale


def _scale_items(codebook: Codebook) -> list[tuple[str, str, str, str, str]]:
    """(question, item, column, label nl, label en) of every answer with numeric scale values."""
    items = []
    for question in codebook.questions:
        if question.role != "answer" or not any(o.value is not None for o in question.options.values()):
            continue
        if question.type == "array":
            for code, statement in question.statements.items():
                items.append((question.code, code, question.item_column(code), statement.label_nl, statement.label_en))
        elif question.type == "single":
            items.append((question.code, "", question.code, question.text_nl, question.text_en))
    return items


def scale_summaries(
    respondents: pd.DataFrame, frequencies_suppressed: pd.DataFrame, codebook: Codebook, wave: str, rule: DisclosureRule
) -> pd.DataFrame:
    """n valid, n missing, mean, standard deviation and share agreeing per scale item, overall and per group.

    Statistics on fewer than `min_base` valid answers are suppressed, and so are those of a group whose
    frequency cells were suppressed: a mean and a share next to published counts could give the hidden ones away.
    `frequencies_suppressed` holds (breakdown, breakdown_group, question_code, item_code) of every suppressed cell.
    """
    hidden = set(map(tuple, frequencies_suppressed[["breakdown", "breakdown_group", "question_code", "item_code"]].to_numpy()))
    groups: list[tuple[str, str, pd.Series]] = [("", "", pd.Series(True, index=respondents.index))]
    for question in codebook.questions_with_role("quasi_identifier"):
        by = respondents[group_column(question.code)].astype("string").fillna(UNKNOWN_GROUP)
        groups += [(question.code, group, by == group) for group in [*question.group_labels, UNKNOWN_GROUP]]
    rows = []
    for question_code, item_code, column, label_nl, label_en in _scale_items(codebook):
        values = respondents[value_column(column)].astype("Float64")
        reasons = respondents[missing_reason_column(column)].astype("string")
        shown_without_answer = values.isna() & (reasons != "not shown").fillna(True)
        for breakdown, group, members in groups:
            valid = values[members].dropna().astype(float)
            n_valid = len(valid)
            suppressed = n_valid < rule.min_base or (breakdown, group, question_code, item_code) in hidden
            rows.append(
                {
                    "wave": wave, "breakdown": breakdown, "breakdown_group": group,
                    "question_code": question_code, "item_code": item_code, "label_nl": label_nl, "label_en": label_en,
                    "n_valid": n_valid, "n_missing": int(shown_without_answer[members].sum()),
                    "mean": None if suppressed or not n_valid else round(float(valid.mean()), 2),
                    "sd": None if suppressed or n_valid < 2 else round(float(valid.std(ddof=1)), 2),
                    "share_agree": None if suppressed or not n_valid else round(float((valid >= AGREE_FROM).mean()), 3),
                    "suppressed": bool(suppressed),
                }
            )
    frame = pd.DataFrame(rows, columns=SCALE_SUMMARY_COLUMNS)
    for column in ("mean", "sd", "share_agree"):
        frame[column] = frame[column].astype("Float64")
    return frame


def open_answers(respondents: pd.DataFrame, codebook: Codebook, wave: str) -> pd.DataFrame:
    """The de-identified open answers and "Anders" texts per question, ordered by a hash of the text so that
    the order says nothing about who answered when."""
    rows = []
    for question in codebook.questions:
        columns = []
        if question.role == "open_text":
            columns.append((question.code, ""))
        if question.role == "answer" and question.other:
            columns.append((question.other_column, "other"))
        for column, item in columns:
            if column not in respondents:
                continue
            for text in respondents[column].dropna().astype(str):
                if text.strip():
                    rows.append({"wave": wave, "question_code": question.code, "item_code": item,
                                 "label_nl": question.text_nl, "label_en": question.text_en, "answer": text})
    frame = pd.DataFrame(rows, columns=OPEN_ANSWER_COLUMNS)
    order = frame["answer"].map(lambda text: hashlib.sha256(text.encode("utf-8")).hexdigest())
    return frame.assign(_order=order).sort_values(["question_code", "item_code", "_order"]).drop(columns="_order").reset_index(drop=True)


def workshop_notes(notes: pd.DataFrame, wave: str) -> pd.DataFrame:
    frame = notes.assign(wave=wave)[["wave", "meeting", "meeting_date", "meeting_place", "table", "category", "note"]]
    return frame.sort_values(["meeting", "table", "category", "note"], na_position="last").reset_index(drop=True)


STATEMENT_COLUMNS = ["wave", "meeting", "statement", "agree", "neutral", "disagree", "n", "pct_agree", "pct_neutral",
                     "pct_disagree", "suppressed", "suppression"]


def workshop_statements(statements: pd.DataFrame, wave: str, rule: DisclosureRule) -> pd.DataFrame:
    """Agree, neutral and disagree per statement, per meeting and overall ("all"), with small counts suppressed."""
    counts = statements[["meeting", "statement", "agree", "neutral", "disagree"]].copy()
    per_meeting = counts.groupby(["meeting", "statement"], as_index=False)[["agree", "neutral", "disagree"]].sum(min_count=1)
    overall = counts.groupby("statement", as_index=False)[["agree", "neutral", "disagree"]].sum(min_count=1).assign(meeting="all")
    table = pd.concat([per_meeting, overall], ignore_index=True)
    answers = ["agree", "neutral", "disagree"]
    table[answers] = table[answers].fillna(0).astype(int)
    table["n"] = table[answers].sum(axis=1)
    # Cells: three per row; a row adds up to its published n, and per statement and answer the meetings add up to "all".
    values, relations, ids = [], [], {}
    for index, row in table.iterrows():
        cells = []
        for answer in answers:
            ids[(index, answer)] = len(values)
            cells.append(len(values))
            values.append(int(row[answer]))
        relations.append(Relation(tuple(cells), (1, 1, 1), int(row["n"])))
    for statement, rows in table.groupby("statement").groups.items():
        meetings = [i for i in rows if table.at[i, "meeting"] != "all"]
        total = next(i for i in rows if table.at[i, "meeting"] == "all")
        for answer in answers:
            relations.append(Relation((*(ids[(i, answer)] for i in meetings), ids[(total, answer)]), (1,) * len(meetings) + (-1,), 0))
    kinds = suppress_cells(values, [0 < v < rule.min_count for v in values], relations)
    suppressed_any = pd.Series(False, index=table.index)
    kind_of_row: dict[int, str] = {}
    for (index, answer), cell in ids.items():
        if kinds[cell]:
            table.at[index, answer] = -1  # marked, set to missing below
            suppressed_any[index] = True
            kind_of_row[index] = "primary" if "primary" in (kind_of_row.get(index), kinds[cell]) else kinds[cell]
    for answer in answers:
        table[answer] = table[answer].astype("Int64").mask(table[answer] == -1)
        share = (100.0 * table[answer] / table["n"].where(table["n"] > 0)).round(1).astype("Float64")
        table[f"pct_{answer}"] = share.mask(table[answer].isna() | (table["n"] < rule.min_base))
    table["suppressed"] = suppressed_any
    table["suppression"] = pd.Series(kind_of_row, dtype="string").reindex(table.index)
    table["wave"] = wave
    table["_all_last"] = table["meeting"] == "all"
    return table.sort_values(["statement", "_all_last", "meeting"]).drop(columns="_all_last")[STATEMENT_COLUMNS].reset_index(drop=True)


SUPPORT_COLUMNS = ["wave", "meeting", "theme", "need", "votes", "rank"]


def workshop_support_needs(needs: pd.DataFrame, wave: str) -> pd.DataFrame:
    """Dot votes per need and theme, per meeting and overall ("all"), ranked (1 = most votes).

    Votes are dots on ideas, not answers of identifiable people, so they are published as counted.
    """
    votes = needs[["meeting", "theme", "need", "votes"]].copy()
    per_meeting = votes.groupby(["meeting", "theme", "need"], as_index=False, dropna=False)["votes"].sum(min_count=1)
    overall = votes.groupby(["theme", "need"], as_index=False, dropna=False)["votes"].sum(min_count=1).assign(meeting="all")
    table = pd.concat([per_meeting, overall], ignore_index=True)
    table["votes"] = table["votes"].astype("Int64")
    table["rank"] = table.groupby("meeting")["votes"].rank(method="min", ascending=False).astype("Int64")
    table["wave"] = wave
    return table.sort_values(["meeting", "rank", "need"], na_position="last")[SUPPORT_COLUMNS].reset_index(drop=True)

