"""Proof that no direct identifier of the restricted zone reaches an analysis-zone table.

The watchlist holds every e-mail address, token, name, organisation name and IP address of a wave
(restricted zone only). A table leaks when any of its cells contains one of them, compared without
case and without spaces. Short values (e.g. an organisation called "KB") must match a whole word, so
that they are not found inside ordinary words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick
import pandas as pd

SHORT_IDENTIFIER = 5  # below this many characters (spaces removed) an identifier must match a whole word
WATCHLIST_COLUMNS = ("kind", "value")
# Answers that people type into a "name" field but that name nobody.
NOT_A_NAME = frozenset(
    {"", "-", "--", "nvt", "n.v.t.", "n.v.t", "geen", "nee", "anoniem", "zzp", "zzp'er", "zzper", "zelfstandig",
     "prive", "privé", "x", "0.0.0.0", "none", "null"}
)


def squeeze(text: str) -> str:
    """Casefolded, with every whitespace character removed."""
    return re.sub(r"\s+", "", str(text)).casefold()


def build_watchlist(values_by_kind: dict[str, Iterable[object]]) -> pd.DataFrame:
    """A table of (kind, value) with every distinct identifier worth looking for."""
    rows = []
    for kind, values in values_by_kind.items():
        for value in pd.Series(list(values), dtype="object").dropna().astype(str).str.strip().unique():
            if value.casefold() not in NOT_A_NAME and len(squeeze(value)) >= 2:
                rows.append((kind, value))
    return pd.DataFrame(rows, columns=list(WATCHLIST_COLUMNS)).drop_duplicates(ignore_index=True)


class IdentifierFinder:
    """Finds watchlist identifiers inside texts: Aho-Corasick over squeezed text for long ones, whole words for short ones."""

    def __init__(self, watchlist: pd.DataFrame) -> None:
        self._automaton = ahocorasick.Automaton()
        short: dict[str, str] = {}
        for kind, value in watchlist[list(WATCHLIST_COLUMNS)].itertuples(index=False):
            squeezed = squeeze(value)
            if len(squeezed) < SHORT_IDENTIFIER:
                short[re.escape(value.casefold()).replace(r"\ ", r"\s*")] = kind
            elif squeezed not in self._automaton:
                self._automaton.add_word(squeezed, kind)
        self._has_long = len(self._automaton) > 0
        if self._has_long:
            self._automaton.make_automaton()
        self._short = (
            re.compile(r"(?<!\w)(" + "|".join(sorted(short, key=len, reverse=True)) + r")(?!\w)") if short else None
        )
        self._short_kinds = {pattern: kind for pattern, kind in short.items()}

    def kinds_in(self, text: str) -> set[str]:
        kinds: set[str] = set()
        if self._has_long:
            kinds.update(kind for _, kind in self._automaton.iter(squeeze(text)))
        if self._short is not None:
            folded = str(text).casefold()
            for match in self._short.finditer(folded):
                kinds.update(kind for pattern, kind in self._short_kinds.items() if re.fullmatch(pattern, match.group(1)))
        return kinds


def find_identifier_leaks(table: pd.DataFrame, finder: IdentifierFinder) -> pd.DataFrame:
    """Per column and kind, how many cells of `table` contain a watchlist identifier (counts only, never values)."""
    counts: dict[tuple[str, str], int] = {}
    for column in table.columns:
        values = table[column].dropna()
        if values.empty:
            continue
        for text in values.astype(str).unique():
            kinds = finder.kinds_in(text)
            if kinds:
                cells = int((values.astype(str) == text).sum())
                for kind in kinds:
                    counts[(column, kind)] = counts.get((column, kind), 0) + cells
    return pd.DataFrame(
        [{"column": column, "kind": kind, "cells": cells} for (column, kind), cells in sorted(counts.items())],
        columns=["column", "kind", "cells"],
    )
