"""Anonymised respondents: one row per completed response, with no direct identifier, coarsened and
suppressed background variables, and de-identified free text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from schemas.codebook import Codebook
from verkenning.anonymise.k_anonymity import SuppressionResult, enforce_k_anonymity, generalise, group_column
from verkenning.anonymise.pseudonym import respondent_keys
from verkenning.staging.survey import missing_reason_column, normalise_email, value_column

# Given a batch of texts, returns them de-identified and the redactions per placeholder.
Deidentify = Callable[[Sequence[str | None]], tuple[list[str | None], Counter[str]]]


@dataclass
class AnonymisedRespondents:
    frame: pd.DataFrame
    suppression: SuppressionResult
    redactions: Counter[str]
    free_text_columns: list[str]


def suppression_order(codebook: Codebook, order: Sequence[str]) -> list[str]:
    """Validate the configured order (least important first) against the codebook's quasi-identifiers."""
    quasi = [q.code for q in codebook.questions_with_role("quasi_identifier")]
    unknown = [code for code in order if code not in quasi]
    if unknown:
        raise ValueError(f"suppression order names {', '.join(unknown)}, which are not quasi-identifiers of the codebook ({', '.join(quasi)})")
    missing = [code for code in quasi if code not in order]
    if missing:
        raise ValueError(f"suppression order misses quasi-identifier(s) {', '.join(missing)}: list every one, least important first")
    return list(order)


def answer_columns(codebook: Codebook, available: pd.Index) -> tuple[list[str], list[str]]:
    """(coded/value columns, free-text columns) of the questions that may be released, in codebook order."""
    coded: list[str] = []
    texts: list[str] = []
    for question in codebook.questions:
        if question.role == "answer":
            if question.type == "multi":
                coded += [question.item_column(code) for code in question.options]
                coded.append(missing_reason_column(question.code))
            elif question.type in ("single", "array"):
                items = [question.code] if question.type == "single" else [question.item_column(c) for c in question.statements]
                for column in items:
                    coded += [column, value_column(column), missing_reason_column(column)]
            else:
                texts.append(question.code)
            if question.other:
                texts.append(question.other_column)
        elif question.role == "open_text":
            texts.append(question.code)
    return [c for c in coded if c in available], [c for c in texts if c in available]


def anonymise_respondents(
    completed: pd.DataFrame,
    codebook: Codebook,
    *,
    wave: str,
    key: bytes,
    k: int,
    order: Sequence[str],
    deidentify: Deidentify,
) -> AnonymisedRespondents:
    """Completed responses → analysis-zone microdata (pseudonym, coarsened background, answers, clean text)."""
    email_question = next((q.code for q in codebook.questions_with_role("direct_identifier") if q.code == "EMAIL"), None)
    email = normalise_email(completed[email_question]) if email_question else pd.Series(pd.NA, index=completed.index, dtype="string")
    fallback = wave + ":" + completed["id"].astype("string")
    frame = pd.DataFrame(
        {
            "respondent_key": respondent_keys(email, completed["token"], fallback, key),
            "wave": pd.Series(wave, index=completed.index, dtype="string"),
        }
    )
    order = suppression_order(codebook, order)
    quasi = {q.code: q for q in codebook.questions_with_role("quasi_identifier")}
    groups = pd.DataFrame({group_column(code): generalise(completed[code], quasi[code]) for code in quasi})
    suppression = enforce_k_anonymity(groups, [group_column(code) for code in order], k)
    frame = pd.concat([frame, suppression.frame[[group_column(code) for code in quasi]]], axis=1)

    coded, texts = answer_columns(codebook, completed.columns)
    frame = pd.concat([frame, completed[coded]], axis=1)
    redactions: Counter[str] = Counter()
    for column in texts:
        cleaned, counts = deidentify(completed[column].astype(object).where(completed[column].notna(), None).tolist())
        frame[column] = pd.Series(cleaned, index=completed.index, dtype="string")
        redactions.update(counts)
    # Rows in a fixed order that says nothing about when or in what order people answered.
    frame = frame.sort_values("respondent_key", ignore_index=True)
    return AnonymisedRespondents(frame=frame, suppression=suppression, redactions=redactions, free_text_columns=texts)
