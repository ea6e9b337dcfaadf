"""Answer frequencies per question, overall and by each coarsened background variable, with disclosure control.

Long format with stable columns: a new question or wave adds rows, never columns.
`base_n` is the number of respondents who were shown the question and gave a substantive answer:
"don't know", "not shown" and "not answered" are left out of it (and so out of `pct`).
For a multiple-choice option `n` is the number who ticked it among those who answered the question.
The codebook's missing options ("don't know") have rows of their own (`is_missing`): their `n`, and `pct_of_all`
of every row, are shares of `all_n`, everybody who gave an answer code, the missing ones included.

`all_n` is a count like the options: it is a cell of the table (the valid options plus the missing ones add up to
it), so that when a small "don't know" count is suppressed, `all_n - base_n` cannot give it away.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from schemas.codebook import TICKED, Codebook, Question
from verkenning.anonymise.k_anonymity import group_column
from verkenning.disclosure.cells import DisclosureRule, Relation
from schemas.table_specs import conform, mart_columns
from verkenning.disclosure.tables import AuditedCell, EarlierCells, audit_as_published, cell_table
from verkenning.staging.survey import missing_reason, missing_reason_column

UNKNOWN_GROUP = "UNKNOWN"  # a background value suppressed for k-anonymity: a group of its own, so margins add up
# The key of the cell that holds all_n (everybody with an answer code) in the cell tables and earlier releases.
ALL_ANSWERED = "(all answered)"


@dataclass(frozen=True)
class Item:
    """One distribution to count: a single question, one statement of an array, or one option of a multi question."""

    question: Question
    item_code: str
    column: str
    options: list[tuple[str, str, str]]  # (option code, label nl, label en)
    multi: bool = False
    missing: list[tuple[str, str, str]] = ()  # the codebook's "don't know" options, counted apart from the base

    @property
    def all_options(self) -> list[tuple[str, str, str]]:
        return [*self.options, *self.missing]


def released_groups(question: Question, respondents: pd.DataFrame | None) -> list[str]:
    """The categories a background question is released at in `respondents` (the level the wave's anonymisation
    chose; the codebook's groups without data)."""
    if respondents is None or group_column(question.code) not in respondents:
        return list(question.group_labels)
    return question.released_categories(respondents[group_column(question.code)].dropna())


def countable_items(codebook: Codebook, respondents: pd.DataFrame | None = None) -> list[Item]:
    items: list[Item] = []
    for question in codebook.questions:
        if question.role == "quasi_identifier":
            labels_of = question.released_labels()
            labels = [(group, labels_of[group].label_nl, labels_of[group].label_en) for group in released_groups(question, respondents)]
            items.append(Item(question, "", group_column(question.code), labels))
        elif question.role != "answer":
            continue
        elif question.type == "single":
            options = [(c, o.label_nl, o.label_en) for c, o in question.options.items() if not o.missing]
            missing = [(c, o.label_nl, o.label_en) for c, o in question.options.items() if o.missing]
            items.append(Item(question, "", question.code, options, missing=missing))
        elif question.type == "array":
            options = [(c, o.label_nl, o.label_en) for c, o in question.options.items() if not o.missing]
            missing = [(c, o.label_nl, o.label_en) for c, o in question.options.items() if o.missing]
            for code in question.statements:
                items.append(Item(question, code, question.item_column(code), options, missing=missing))
        elif question.type == "multi":
            for code, option in question.options.items():
                items.append(Item(question, code, question.item_column(code), [(TICKED, option.label_nl, option.label_en)], multi=True))
    return items


def _item_labels(item: Item) -> tuple[str, str]:
    if item.multi:
        option = item.question.options[item.item_code]
    elif item.item_code:
        option = item.question.statements[item.item_code]
    else:
        return item.question.text_nl, item.question.text_en
    return option.label_nl, option.label_en


class _ItemAnswers:
    """One item's answers among all respondents, as arrays, so that the counts of any set of respondents (a row
    of the table) are sums over a mask: the same counts as counting the rows of that set, without filtering a
    frame per group."""

    def __init__(self, respondents: pd.DataFrame, item: Item) -> None:
        values = respondents[item.column]
        self.size = len(values)
        self.item = item
        answered_mask = values.notna().to_numpy(dtype=bool)
        self.answered = np.flatnonzero(answered_mask)  # positions of the rows dropna() keeps
        if item.multi:
            self.ticked = values.dropna().astype(bool).to_numpy(dtype=bool)
        else:
            answered = values.dropna().astype(str).tolist()
            # per answered row, the position of its option among the item's option codes (-1: none of them)
            distinct = {code: i for i, code in enumerate(dict.fromkeys(answered))}
            self.codes = np.array([distinct[v] for v in answered], dtype=np.int64)
            self.option_ids = [distinct.get(code, -1) for code, _, _ in item.options]
            self.distinct = len(distinct)
        self.reasons: list[np.ndarray] = []
        if item.missing:
            reasons = respondents[missing_reason_column(item.column)].astype("string")
            for code, _, _ in item.missing:
                reason = missing_reason(item.question.options[code])
                self.reasons.append((reasons == reason).fillna(False).to_numpy(dtype=bool))

    def counts(self, members: np.ndarray | None) -> tuple[list[int], int, int]:
        """(n per option, the missing options after the valid ones; base_n; number of members) of the
        respondents in `members` (a boolean mask; None: all)."""
        chosen = np.ones(len(self.answered), dtype=bool) if members is None else members[self.answered]
        size = self.size if members is None else int(members.sum())
        if self.item.multi:
            return [int(self.ticked[chosen].sum())], int(chosen.sum()), size
        per_code = np.bincount(self.codes[chosen], minlength=self.distinct)
        counts = [int(per_code[i]) if i >= 0 else 0 for i in self.option_ids]
        for reason in self.reasons:
            counts.append(int(reason.sum() if members is None else (reason & members).sum()))
        return counts, int(chosen.sum()), size


def _breakdowns(codebook: Codebook) -> list[Question]:
    return codebook.questions_with_role("quasi_identifier")


def frequency_tables(
    respondents: pd.DataFrame,
    codebook: Codebook,
    wave: str,
    rule: DisclosureRule,
    earlier: Sequence[Mapping[str, pd.DataFrame]] = (),
) -> "CountTables":
    """question_frequencies and crosstabs, suppressed together (a breakdown's cells add up to the overall cell),
    with the attacker's audit of what they publish.

    `earlier` holds the public tables of the wave's earlier releases: a cell they suppressed stays suppressed,
    and a cell they published cannot serve as a complement (its value is known).
    """
    earlier_cells = EarlierCells.of(earlier, FREQUENCY_KEY, ALL_ANSWERED)
    frequency_rows: list[dict] = []
    crosstab_rows: list[dict] = []
    audited: list[AuditedCell] = []
    # Each breakdown's groups as masks over the respondents, made once (at the first item broken down) for all items.
    group_masks: list[tuple[Question, list[tuple[str, np.ndarray]]]] | None = None
    for item in countable_items(codebook, respondents):
        cells: list[dict] = []
        relations: list[Relation] = []
        # The item's answers as arrays, counted per group through masks (filtering the frame per group took about
        # 3 s of the sample's marts, copying all columns about 3 s before that).
        answers = _ItemAnswers(respondents, item)
        overall_ids = _row_cells(cells, relations, answers.counts(None), item, None)
        if item.question.role != "quasi_identifier":
            if group_masks is None:
                group_masks = []
                for breakdown in _breakdowns(codebook):
                    by = respondents[group_column(breakdown.code)].astype("string").fillna(UNKNOWN_GROUP)
                    groups = [*released_groups(breakdown, respondents), UNKNOWN_GROUP]
                    group_masks.append((breakdown, [(group, (by == group).to_numpy(dtype=bool)) for group in groups]))
            for breakdown, masks in group_masks:
                column_ids: list[list[int]] = [[] for _ in overall_ids]
                for group, mask in masks:
                    row_ids = _row_cells(cells, relations, answers.counts(mask), item, (breakdown, group))
                    for position, cell_id in enumerate(row_ids):
                        column_ids[position].append(cell_id)
                for position, ids in enumerate(column_ids):
                    relations.append(Relation((*ids, overall_ids[position]), (1,) * len(ids) + (-1,), 0))
        keys = [_frequency_key(item, cell) for cell in cells]
        table = cell_table(
            values=[c["n"] for c in cells],
            bases=[c["cap"] for c in cells],
            relations=relations,
            mirrored=item.multi,
            rule=rule,
            overall=set(overall_ids),
            earlier=earlier_cells,
            keys=keys,
            never_primary={i for i, c in enumerate(cells) if c["option"][0] == ALL_ANSWERED},
        )
        kinds = table.protect(rule)
        audited += audit_as_published(table.cells, kinds, keys, earlier_cells, rule, "question_frequencies+crosstabs")
        label_nl, label_en = _item_labels(item)
        # all_n is published in every row of its (item, group) unless its own cell was suppressed.
        all_n_of = {
            (cell["breakdown"] and (cell["breakdown"][0].code, cell["breakdown"][1])): (None if kind else cell["n"])
            for cell, kind in zip(cells, kinds) if cell["option"][0] == ALL_ANSWERED
        }
        for cell, kind in zip(cells, kinds):
            code, nl, en = cell["option"]
            if code == ALL_ANSWERED:
                continue
            all_n = all_n_of.get(cell["breakdown"] and (cell["breakdown"][0].code, cell["breakdown"][1]), cell["base_n"]) if item.missing else cell["base_n"]
            if not item.item_code:
                option_nl, option_en = nl, en
            else:
                option_nl, option_en = (f"{label_nl}: {nl}", f"{label_en}: {en}") if not item.multi else (label_nl, label_en)
            row = {
                "wave": wave,
                "question_code": item.question.code,
                "item_code": item.item_code,
                "option_code": code,
                "label_nl": option_nl,
                "label_en": option_en,
                "n": cell["n"],
                "base_n": cell["base_n"],
                "is_missing": cell.get("is_missing", False),
                "all_n": all_n,
                "suppression": kind,
            }
            if cell["breakdown"] is None:
                frequency_rows.append(row)
            else:
                breakdown, group = cell["breakdown"]
                labels = breakdown.released_labels().get(group)
                crosstab_rows.append(
                    {
                        **row,
                        "breakdown": breakdown.code,
                        "breakdown_group": group,
                        "breakdown_label_nl": labels.label_nl if labels else "Onbekend (onderdrukt)",
                        "breakdown_label_en": labels.label_en if labels else "Unknown (suppressed)",
                    }
                )
    return CountTables(
        _finish(pd.DataFrame(frequency_rows), "question_frequencies", rule), _finish(pd.DataFrame(crosstab_rows), "crosstabs", rule), audited
    )


def _row_cells(
    cells: list[dict], relations: list[Relation], counted: tuple[list[int], int, int], item: Item,
    breakdown: tuple[Question, str] | None,
) -> list[int]:
    """Append the cells of one row (the overall row or one group of a breakdown): the options, then for an item
    with missing options those and the all-answered cell. `counted` is (counts, base_n, members) of the row's
    respondents, from `_ItemAnswers.counts`. Returns the cells' ids, in that order."""
    counts, base, members = counted
    ids: list[int] = []
    for position, ((code, nl, en), n) in enumerate(zip(item.all_options, counts)):
        is_missing = position >= len(item.options)
        ids.append(len(cells))
        # A "don't know" count can be at most everybody in the row who gave no substantive answer.
        cap = members - base if is_missing else base
        cells.append({"option": (code, nl, en), "n": n, "base_n": base, "cap": cap, "breakdown": breakdown, "is_missing": is_missing})
    if not item.multi:
        relations.append(Relation(tuple(ids[: len(item.options)]), (1,) * len(item.options), base))
    if item.missing:
        everybody = base + sum(counts[len(item.options):])
        ids.append(len(cells))
        cells.append({"option": (ALL_ANSWERED, "", ""), "n": everybody, "base_n": base, "cap": members, "breakdown": breakdown})
        relations.append(Relation(tuple(ids), (1,) * (len(ids) - 1) + (-1,), 0))
    return ids


@dataclass(frozen=True)
class CountTables:
    frequencies: pd.DataFrame
    crosstabs: pd.DataFrame
    audit: list[AuditedCell]  # every suppressed cell as the attacker bounds it


FREQUENCY_KEY = ("question_code", "item_code", "option_code", "breakdown", "breakdown_group")


def _frequency_key(item: Item, cell: dict) -> tuple[str, ...]:
    breakdown, group = ("", "") if cell["breakdown"] is None else (cell["breakdown"][0].code, cell["breakdown"][1])
    return (item.question.code, item.item_code, cell["option"][0], breakdown, group)


def _finish(frame: pd.DataFrame, table: str, rule: DisclosureRule) -> pd.DataFrame:
    """The cells as the mart `table` publishes them: shares, suppression, and the specified columns and types."""
    columns = mart_columns(table)
    if frame.empty:
        return conform(pd.DataFrame(columns=[spec.name for spec in columns]), columns, table)
    frame["suppressed"] = frame["suppression"].notna()
    valid = ~frame["is_missing"].astype(bool)
    pct = np.where(frame["base_n"] > 0, 100.0 * frame["n"] / frame["base_n"].where(frame["base_n"] > 0, 1), np.nan)
    frame["pct"] = pd.Series(pct, index=frame.index).round(1)
    hide_pct = frame["suppressed"] | (frame["base_n"] < rule.min_base) | ~valid
    all_n = frame["all_n"].astype("Int64")
    pct_of_all = (100.0 * frame["n"] / all_n.where(all_n > 0)).round(1).astype("Float64")
    frame["pct_of_all"] = pct_of_all.mask(frame["suppressed"] | all_n.isna() | (all_n < rule.min_base))
    frame["all_n"] = all_n
    frame["is_missing"] = frame["is_missing"].astype(bool)
    frame["n"] = frame["n"].astype("Int64").mask(frame["suppressed"])
    frame["pct"] = frame["pct"].astype("Float64").mask(hide_pct)
    frame["base_n"] = frame["base_n"].astype("Int64")
    return conform(frame[[spec.name for spec in columns]].reset_index(drop=True), columns, table)


def text_bar_chart(frequencies: pd.DataFrame, questions: tuple[str, ...], width: int = 30) -> str:
    """A bar chart of the headline questions' percentages in plain text (for the asset page); suppressed cells show as such."""
    lines = []
    for question in questions:
        rows = frequencies[(frequencies["question_code"] == question) & (frequencies["item_code"] == "") & ~frequencies["is_missing"]]
        if rows.empty:
            continue
        lines.append(f"{question} (n = {int(rows['base_n'].iloc[0])})")
        for row in rows.itertuples():
            label = str(row.label_nl)[:34].ljust(34)
            if pd.isna(row.pct):
                lines.append(f"  {label} (onderdrukt)")
            else:
                lines.append(f"  {label} {'█' * round(width * row.pct / 100):<{width}} {row.pct:5.1f}%")
        lines.append("")
    return "```\n" + "\n".join(lines) + "```"
