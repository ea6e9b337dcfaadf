"""Cell suppression for published counts: primary suppression of small counts, then complementary
(secondary) suppression until no suppressed count can be recomputed from what is published.

Published counts are tied together by linear relations: the options of a question add up to its
`base_n`, and the cells of a breakdown add up to the overall count. A suppressed cell is recoverable
when it is the only unknown in one of those relations, directly or after other cells were recovered
first. `recoverable_cells` is that attack; `suppress_cells` adds suppressions until it finds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True)
class Relation:
    """sum(coefficient * cell) == total, where total is published (or 0 for a margin relation)."""

    cells: tuple[int, ...]
    coefficients: tuple[int, ...]
    total: float


@dataclass(frozen=True)
class DisclosureRule:
    min_count: int = 5  # counts above 0 and below this are suppressed
    min_base: int = 5  # means, shares and percentages on fewer respondents are suppressed

    def as_dict(self) -> dict[str, int]:
        return {"min_count": self.min_count, "min_base": self.min_base}


def recoverable_cells(values: Sequence[float], suppressed: Sequence[bool], relations: Sequence[Relation]) -> dict[int, int]:
    """The suppressed cells an analyst can recompute, each with a relation that gives it away.

    Repeatedly solves relations with exactly one unknown cell; a recovered cell becomes known and may
    give away the next.
    """
    known = ~np.asarray(suppressed, dtype=bool)
    recovered: dict[int, int] = {}
    progress = True
    while progress:
        progress = False
        for index, relation in enumerate(relations):
            unknown = [cell for cell in relation.cells if not known[cell]]
            if len(unknown) == 1:
                known[unknown[0]] = True
                recovered[unknown[0]] = index
                progress = True
    return recovered


def suppress_cells(
    values: Sequence[float],
    primary: Sequence[bool],
    relations: Sequence[Relation],
) -> list[str | None]:
    """Suppression kind per cell: 'primary' for the given cells, 'secondary' for the complements chosen so
    that no suppressed cell is recoverable. Complements are the smallest non-zero cells of the relation that
    gives a cell away (a zero is chosen only when nothing else is left), which loses the least information."""
    values = np.asarray(values, dtype=float)
    kinds: list[str | None] = [PRIMARY if flag else None for flag in primary]
    suppressed = np.asarray(primary, dtype=bool).copy()
    while True:
        recovered = recoverable_cells(values, suppressed, relations)
        if not recovered:
            return kinds
        cell, relation_index = next(iter(recovered.items()))
        candidates = _complement_candidates(cell, relation_index, recovered, relations, suppressed)
        if not candidates:  # only the published total itself could go, and totals are never hidden
            raise ValueError(f"cell {cell} cannot be protected: no published cell is left to suppress beside it")
        candidates.sort(key=lambda c: (values[c] == 0, values[c], c))
        suppressed[candidates[0]] = True
        kinds[candidates[0]] = SECONDARY


def _complement_candidates(
    cell: int, relation_index: int, recovered: dict[int, int], relations: Sequence[Relation], suppressed: np.ndarray
) -> list[int]:
    """Published cells whose suppression breaks the chain that recovers `cell`: those of the relation that gave
    it away, or, when that relation's other cells were themselves recovered, of the relations behind them."""
    seen_relations: set[int] = set()
    queue = [relation_index]
    while queue:
        index = queue.pop(0)
        if index in seen_relations:
            continue
        seen_relations.add(index)
        cells = [c for c in relations[index].cells if c != cell]
        published = [c for c in cells if not suppressed[c]]
        if published:
            return published
        queue += [recovered[c] for c in cells if c in recovered]
    return []
