"""Scale summaries, open answers and the workshop marts: long tables with stable columns."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd

from schemas.codebook import Codebook
from verkenning.anonymise.k_anonymity import group_column
from verkenning.marts.frequencies import released_groups
from verkenning.disclosure.cells import DisclosureRule, Relation
from verkenning.disclosure.tables import AuditedCell, EarlierCells, audit_as_published, cell_table
from schemas.table_specs import MART_COLUMN_NAMES, conform, mart_columns
from verkenning.marts.frequencies import UNKNOWN_GROUP
from verkenning.staging.survey import missing_reason_column, value_column

SCALE_SUMMARY_COLUMNS = list(MART_COLUMN_NAMES["scale_summaries"])
OPEN_ANSWER_COLUMNS = list(MART_COLUMN_NAMES["open_answers"])
AGREE_FROM = 4  # the top two of a five-point scale


def _scale_items(codebook: Codebook) -> list[tuple[str, str, str, str, str, str]]:
    """(question, item, answer column, column of its numbers, label nl, label en) of every answer with numeric
    scale values, and of every number question."""
    items = []
    for question in codebook.questions:
        if question.role == "answer" and question.type == "number":
            items.append((question.code, "", question.code, question.code, question.text_nl, question.text_en))
        if question.role != "answer" or not any(o.value is not None for o in question.options.values()):
            continue
        if question.type == "array":
            for code, statement in question.statements.items():
                column = question.item_column(code)
                items.append((question.code, code, column, value_column(column), statement.label_nl, statement.label_en))
        elif question.type == "single":
            items.append((question.code, "", question.code, value_column(question.code), question.text_nl, question.text_en))
    return items


def _hide_one_more_group(rows: list[dict], rule: DisclosureRule) -> None:
    """Where exactly one group of a breakdown has its statistics hidden, hide the smallest other one too: the
    overall mean times n, less the shown groups' means times n, would otherwise give the hidden group's total
    (for a group of one, that person's number). Used for number questions, which have no frequency cells whose
    complements already hide a second group."""
    by_breakdown: dict[str, list[dict]] = {}
    for row in rows:
        if row["breakdown"]:
            by_breakdown.setdefault(row["breakdown"], []).append(row)
    for groups in by_breakdown.values():
        hidden = [row for row in groups if row["suppressed"] and row["n_valid"] > 0]
        shown = [row for row in groups if not row["suppressed"] and row["n_valid"] > 0]
        if len(hidden) == 1 and shown:
            smallest = min(shown, key=lambda row: (row["n_valid"], row["breakdown_group"]))
            smallest["suppressed"] = True
            for statistic in ("mean", "sd", "median", "q1", "q3", "share_agree"):
                smallest[statistic] = None


def scale_summaries(
    respondents: pd.DataFrame,
    frequency_cells: pd.DataFrame,
    codebook: Codebook,
    wave: str,
    rule: DisclosureRule,
    earlier: Sequence[pd.DataFrame] = (),
) -> tuple[pd.DataFrame, list[AuditedCell]]:
    """n valid, n missing, mean, standard deviation and share agreeing per scale item, overall and per group,
    with the attacker's audit of the missing counts.

    Statistics on fewer than `min_base` valid answers are suppressed, and so are those of a group whose
    frequency cells were suppressed: a mean and a share next to published counts could give the hidden ones away.
    `frequency_cells` holds the published frequency and crosstab rows (overall rows with an empty breakdown).
    `n_missing` is a count like any other: small ones are suppressed with complements (the groups of a breakdown
    add up to the overall count). It holds the "don't know" answers that the frequencies count too, so where
    those were suppressed it is suppressed, and where they were published they are known; `earlier` holds the
    table as the wave's earlier releases published it.
    """
    valid_cells = frequency_cells[~frequency_cells["is_missing"].astype(bool)]
    suppressed = valid_cells[valid_cells["suppressed"].astype(bool)]
    hidden = set(map(tuple, suppressed[["breakdown", "breakdown_group", "question_code", "item_code"]].to_numpy()))
    groups: list[tuple[str, str, pd.Series]] = [("", "", pd.Series(True, index=respondents.index))]
    for question in codebook.questions_with_role("quasi_identifier"):
        by = respondents[group_column(question.code)].astype("string").fillna(UNKNOWN_GROUP)
        groups += [(question.code, group, by == group) for group in [*released_groups(question, respondents), UNKNOWN_GROUP]]
    rows = []
    for question_code, item_code, column, numbers, label_nl, label_en in _scale_items(codebook):
        values = respondents[numbers].astype("Float64")
        reasons = respondents[missing_reason_column(column)].astype("string")
        shown_without_answer = values.isna() & (reasons != "not shown").fillna(True)
        is_number = numbers == column
        item_rows = []
        for breakdown, group, members in groups:
            valid = values[members].dropna().astype(float)
            n_valid = len(valid)
            suppressed = n_valid < rule.min_base or (breakdown, group, question_code, item_code) in hidden
            shown = not suppressed and n_valid > 0
            item_rows.append(
                {
                    "wave": wave, "breakdown": breakdown, "breakdown_group": group,
                    "question_code": question_code, "item_code": item_code, "label_nl": label_nl, "label_en": label_en,
                    "n_valid": n_valid, "n_missing": int(shown_without_answer[members].sum()),
                    "mean": round(float(valid.mean()), 2) if shown else None,
                    "sd": round(float(valid.std(ddof=1)), 2) if shown and n_valid >= 2 else None,
                    "median": round(float(valid.median()), 2) if shown else None,
                    "q1": round(float(valid.quantile(0.25)), 2) if shown else None,
                    "q3": round(float(valid.quantile(0.75)), 2) if shown else None,
                    "share_agree": round(float((valid >= AGREE_FROM).mean()), 3) if shown and not is_number else None,
                    "suppressed": bool(suppressed),
                }
            )
        if is_number:
            _hide_one_more_group(item_rows, rule)
        rows += item_rows
    frame = pd.DataFrame(rows, columns=SCALE_SUMMARY_COLUMNS)
    for column in ("mean", "sd", "median", "q1", "q3", "share_agree"):
        frame[column] = frame[column].astype("Float64")
    audit = _suppress_missing_counts(frame, len(respondents), rule, earlier, _dont_know_cells(frequency_cells))
    return conform(frame, mart_columns("scale_summaries"), "scale_summaries"), audit


MISSING_KEY = ("question_code", "item_code", "breakdown", "breakdown_group")


def _dont_know_cells(frequency_cells: pd.DataFrame) -> pd.DataFrame:
    """Per (question, item, breakdown, group), the "don't know" count the frequencies published (missing where any
    of its cells was suppressed), in the shape of a scale_summaries table."""
    cells = frequency_cells[frequency_cells["is_missing"].astype(bool)]
    if cells.empty:
        return pd.DataFrame(columns=[*MISSING_KEY, "n_missing"])
    return (
        cells.assign(n_missing=cells["n"].astype("Float64"))
        .groupby(list(MISSING_KEY), as_index=False, sort=False)["n_missing"]
        .agg(lambda counts: counts.sum() if counts.notna().all() else pd.NA)
    )


def _suppress_missing_counts(
    frame: pd.DataFrame, respondents: int, rule: DisclosureRule, earlier: Sequence[pd.DataFrame], dont_know: pd.DataFrame
) -> list[AuditedCell]:
    """Suppress small `n_missing` counts in place (with complements), item by item; returns the audit. The
    frequencies' "don't know" counts act as an earlier release: where they were suppressed, n_missing is too, and
    where they were published and n_missing equals them (nobody skipped the question), it is known."""
    earlier_cells = EarlierCells.from_frames([*earlier, dont_know], MISSING_KEY, "n_missing")
    audited: list[AuditedCell] = []
    kinds_column = pd.Series(None, index=frame.index, dtype="object")
    for _, item in frame.groupby(["question_code", "item_code"], sort=False):
        positions = list(item.index)
        overall = next(i for i in positions if frame.at[i, "breakdown"] == "")
        values = [int(frame.at[i, "n_missing"]) for i in positions]
        cell_of = {i: c for c, i in enumerate(positions)}
        relations = [
            Relation((*(cell_of[i] for i in rows), cell_of[overall]), (1,) * len(rows) + (-1,), 0)
            for breakdown, rows in item[item["breakdown"] != ""].groupby("breakdown").groups.items()
        ]
        caps = [respondents if i == overall else values[cell_of[overall]] for i in positions]
        keys = [tuple(str(frame.at[i, column]) for column in MISSING_KEY) for i in positions]
        prepared = cell_table(values, caps, relations, False, rule, {cell_of[overall]}, earlier_cells, keys)
        kinds = prepared.protect(rule)
        audited += audit_as_published(prepared.cells, kinds, keys, earlier_cells, rule, "scale_summaries")
        for i, kind in zip(positions, kinds):
            kinds_column[i] = kind
    frame["n_missing"] = frame["n_missing"].astype("Int64").mask(kinds_column.notna())
    return audited


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
    ordered = frame.assign(_order=order).sort_values(["question_code", "item_code", "_order"]).drop(columns="_order")
    return conform(ordered.reset_index(drop=True), mart_columns("open_answers"), "open_answers")


def workshop_notes(notes: pd.DataFrame, wave: str) -> pd.DataFrame:
    frame = notes.assign(wave=wave)[list(MART_COLUMN_NAMES["workshop_notes"])]
    ordered = frame.sort_values(["meeting", "table", "category", "note"], na_position="last").reset_index(drop=True)
    return conform(ordered, mart_columns("workshop_notes"), "workshop_notes")


STATEMENT_COLUMNS = list(MART_COLUMN_NAMES["workshop_statements"])


STATEMENT_KEY = ("meeting", "statement", "answer")
ANSWERS = ("agree", "neutral", "disagree")


def _statement_cells(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (meeting, statement, answer) of a published workshop_statements table."""
    if table.empty:
        return pd.DataFrame(columns=[*STATEMENT_KEY, "value"])
    return table.melt(id_vars=["meeting", "statement"], value_vars=list(ANSWERS), var_name="answer", value_name="value")


def workshop_statements(
    statements: pd.DataFrame, wave: str, rule: DisclosureRule, earlier: Sequence[pd.DataFrame] = ()
) -> tuple[pd.DataFrame, list[AuditedCell]]:
    """Agree, neutral and disagree per statement, per meeting and overall ("all"), with small counts suppressed,
    and the attacker's audit of them; `earlier` holds the table as the wave's earlier releases published it."""
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
    keys = [(str(table.at[index, "meeting"]), str(table.at[index, "statement"]), answer) for (index, answer) in ids]
    earlier_cells = EarlierCells.from_frames([_statement_cells(t) for t in earlier], STATEMENT_KEY, "value")
    prepared = cell_table(
        values=values,
        bases=[int(table.at[index, "n"]) for (index, _) in ids],
        relations=relations,
        mirrored=False,
        rule=rule,
        overall={cell for (index, _), cell in ids.items() if table.at[index, "meeting"] == "all"},
        earlier=earlier_cells,
        keys=keys,
    )
    kinds = prepared.protect(rule)
    audit = audit_as_published(prepared.cells, kinds, keys, earlier_cells, rule, "workshop_statements")
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
    ordered = table.sort_values(["statement", "_all_last", "meeting"]).drop(columns="_all_last")[STATEMENT_COLUMNS]
    return conform(ordered.reset_index(drop=True), mart_columns("workshop_statements"), "workshop_statements"), audit


SUPPORT_COLUMNS = list(MART_COLUMN_NAMES["workshop_support_needs"])
SUPPORT_THEME_COLUMNS = list(MART_COLUMN_NAMES["workshop_support_themes"])


def workshop_support_themes(needs: pd.DataFrame, wave: str) -> pd.DataFrame:
    """Dot votes and number of needs per theme, per meeting and overall ("all"), ranked: the support needs
    without the needs' own words (free text stays in the scientific-use tier)."""
    votes = needs[["meeting", "theme", "votes"]].copy()
    per_meeting = votes.groupby(["meeting", "theme"], as_index=False, dropna=False).agg(
        needs=("votes", "size"), votes=("votes", lambda v: v.sum(min_count=1))
    )
    overall = votes.groupby(["theme"], as_index=False, dropna=False).agg(
        needs=("votes", "size"), votes=("votes", lambda v: v.sum(min_count=1))
    ).assign(meeting="all")
    table = pd.concat([per_meeting, overall], ignore_index=True)
    table["votes"] = table["votes"].astype("Int64")
    table["needs"] = table["needs"].astype("Int64")
    table["rank"] = table.groupby("meeting")["votes"].rank(method="min", ascending=False).astype("Int64")
    table["wave"] = wave
    ordered = table.sort_values(["meeting", "rank", "theme"], na_position="last")[SUPPORT_THEME_COLUMNS].reset_index(drop=True)
    return conform(ordered, mart_columns("workshop_support_themes"), "workshop_support_themes")


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
    ordered = table.sort_values(["meeting", "rank", "need"], na_position="last")[SUPPORT_COLUMNS].reset_index(drop=True)
    return conform(ordered, mart_columns("workshop_support_needs"), "workshop_support_needs")

