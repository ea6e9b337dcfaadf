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
    find_many: Callable[[Sequence[str]], Sequence[Sequence[Span]]],
    not_text: Iterable[str] = (),
) -> Counter[str]:
    """Cells per "column: placeholder" in which something identifying is still recognised: anything the
    de-identifier's recognisers report in a free-text column, a structured identifier pattern in any other text
    column (answer labels, places of meetings: the name recognisers would read "Noord-Holland" as a place).
    `find_many` reads many texts at once (`TextDeidentifier.find_many`).
    Counts only, never values."""
    free_text = set(free_text_columns)
    found: Counter[str] = Counter()
    for column in text_columns(table, not_text):
        counts = table[column].dropna().astype(str).value_counts()
        texts = [str(text) for text in counts.index]
        if column in free_text:
            kinds_per_text = [{span.placeholder for span in spans} for spans in find_many(texts)]
        else:
            kinds_per_text = [{IDENTIFIER_PLACEHOLDERS.get(kind, kind) for kind in find_identifier_patterns(text)} for text in texts]
        for kinds, cells in zip(kinds_per_text, counts.to_numpy()):
            for kind in kinds:
                found[f"{column}: {kind}"] += int(cells)
    return found
