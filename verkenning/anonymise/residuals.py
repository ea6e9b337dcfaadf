"""What the de-identifier would still recognise in a table about to be published: the measure of the
blocking check `no_identifier_patterns`, as strong as the de-identifier because it runs the same recognisers
(deduce's and the project's, with the wave's own names) over the free text, and the structured identifier
patterns over every other text column."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from verkenning.anonymise.identifier_patterns import find_identifier_patterns
from verkenning.anonymise.text import IDENTIFIER_PLACEHOLDERS, Span


def text_columns(table: pd.DataFrame, not_text: Iterable[str] = ()) -> list[str]:
    """The columns that hold strings, except those that hold a hash or a code by construction."""
    skip = set(not_text)
    return [
        c for c in table.columns
        if c not in skip and (table[c].dtype == object or pd.api.types.is_string_dtype(table[c]))
    ]


def residual_identifiers(
    table: pd.DataFrame,
    free_text_columns: Iterable[str],
    find: Callable[[str], Sequence[Span]],
    not_text: Iterable[str] = (),
) -> Counter[str]:
    """Cells per "column: placeholder" in which something identifying is still recognised: anything the
    de-identifier's `find` reports in a free-text column, a structured identifier pattern in any other text
    column (answer labels, places of meetings: the name recognisers would read "Noord-Holland" as a place).
    Counts only, never values."""
    free_text = set(free_text_columns)
    found: Counter[str] = Counter()
    for column in text_columns(table, not_text):
        for text, cells in table[column].dropna().astype(str).value_counts().items():
            if column in free_text:
                kinds = {span.placeholder for span in find(text)}
            else:
                kinds = {IDENTIFIER_PLACEHOLDERS.get(kind, kind) for kind in find_identifier_patterns(text)}
            for kind in kinds:
                found[f"{column}: {kind}"] += int(cells)
    return found
