"""Anonymised respondents: one row per completed response, with no direct identifier, background variables
generalised and suppressed with the least information lost (microdata.py), and de-identified free text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from schemas.codebook import Codebook
from verkenning.anonymise.k_anonymity import generalise, group_column
from verkenning.anonymise.microdata import MicrodataResult, anonymise_microdata, quasi_identifiers
from verkenning.anonymise.pseudonym import respondent_keys
from schemas.table_specs import CODED_KINDS, conform, microdata_columns
from verkenning.staging.survey import normalise_email

# Given a batch of texts, returns them de-identified and the redactions per placeholder.
Deidentify = Callable[[Sequence[str | None]], tuple[list[str | None], Counter[str]]]


class PendingDeidentification(Protocol):
    """A batch of texts being de-identified: `result()` gives what `Deidentify` gives, `cancel()` abandons it."""

    def result(self) -> tuple[list[str | None], Counter[str]]: ...

    def cancel(self) -> None: ...


# Begins de-identifying a batch of texts (TextDeidentifier.start_many).
StartDeidentify = Callable[[Sequence[str | None]], PendingDeidentification]


@dataclass
class AnonymisedRespondents:
    frame: pd.DataFrame
    suppression: MicrodataResult
    redactions: Counter[str]
    free_text_columns: list[str]


def answer_columns(codebook: Codebook, available: pd.Index) -> tuple[list[str], list[str]]:
    """(coded/value columns, free-text columns) of the questions that may be released, in codebook order (as the
    codebook's microdata specification says)."""
    specs = [spec for spec in microdata_columns(codebook) if spec.name in available]
    return [s.name for s in specs if s.kind in CODED_KINDS], [s.name for s in specs if s.kind == "free_text"]


def anonymise_respondents(
    completed: pd.DataFrame,
    codebook: Codebook,
    *,
    wave: str,
    key: bytes,
    k: int,
    order: Sequence[str] = (),
    start_deidentify: StartDeidentify,
    l_diversity: int | None = None,
) -> AnonymisedRespondents:
    """Completed responses → analysis-zone microdata (pseudonym, coarsened background, answers, clean text)."""
    email_question = codebook.linking_email()
    email = normalise_email(completed[email_question]) if email_question else pd.Series(pd.NA, index=completed.index, dtype="string")
    fallback = wave + ":" + completed["id"].astype("string")
    frame = pd.DataFrame(
        {
            "respondent_key": respondent_keys(email, completed["token"], fallback, key),
            "wave": pd.Series(wave, index=completed.index, dtype="string"),
        }
    )
    # Every text column in one call, begun before the microdata's suppression: worker processes (a large wave's)
    # read the texts meanwhile, and a text that occurs in several columns is read once.
    coded, texts = answer_columns(codebook, completed.columns)
    values = [completed[column].astype(object).where(completed[column].notna(), None).tolist() for column in texts]
    pending = start_deidentify([value for column in values for value in column])
    try:
        qis = quasi_identifiers(codebook, order)
        quasi = {q.code: q for q in codebook.questions_with_role("quasi_identifier")}
        groups = pd.DataFrame({group_column(code): generalise(completed[code], quasi[code]) for code in quasi})
        sensitive_codes = [q.code for q in codebook.questions if q.sensitive and q.code in completed]
        sensitive = completed[sensitive_codes].reset_index(drop=True) if sensitive_codes else None
        suppression = anonymise_microdata(
            groups.reset_index(drop=True), qis, k, sensitive=sensitive, l_target=l_diversity
        )
    except BaseException:
        pending.cancel()
        raise
    suppression.frame.index = completed.index
    frame = pd.concat([frame, suppression.frame[[group_column(code) for code in quasi]]], axis=1)

    frame = pd.concat([frame, completed[coded]], axis=1)
    cleaned, redactions = pending.result()
    for position, column in enumerate(texts):
        start = position * len(completed)
        frame[column] = pd.Series(cleaned[start:start + len(completed)], index=completed.index, dtype="string")
    # Rows in a fixed order that says nothing about when or in what order people answered.
    frame = frame.sort_values("respondent_key", ignore_index=True)
    # The columns in the specification's order ("Anders" text after its options) and types.
    frame = conform(frame, microdata_columns(codebook), "anonymised respondents")
    return AnonymisedRespondents(frame=frame, suppression=suppression, redactions=redactions, free_text_columns=texts)
