"""Anonymised workshop tables: authors and file lineage dropped, every text de-identified.

The attendance list never leaves the restricted zone; its names and organisations are what the
de-identifier is told to look for in the notes.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from verkenning.anonymise.respondents import Deidentify

MEETING_COLUMNS = ("meeting", "meeting_date", "meeting_place", "table")
RELEASED_COLUMNS = {
    "sticky_notes": (*MEETING_COLUMNS, "category", "note"),
    "statements": (*MEETING_COLUMNS, "statement", "agree", "neutral", "disagree"),
    "support_needs": (*MEETING_COLUMNS, "need", "theme", "votes"),
}
FREE_TEXT = {"sticky_notes": ("note",), "statements": ("statement",), "support_needs": ("need", "theme")}


def anonymise_workshop_table(kind: str, staged: pd.DataFrame, deidentify: Deidentify) -> tuple[pd.DataFrame, Counter[str]]:
    """Keep the released columns of one staged workshop table and de-identify its texts."""
    frame = staged[list(RELEASED_COLUMNS[kind])].copy()
    redactions: Counter[str] = Counter()
    for column in FREE_TEXT[kind]:
        texts = frame[column].astype(object).where(frame[column].notna(), None).tolist()
        cleaned, counts = deidentify(texts)
        frame[column] = pd.Series(cleaned, index=frame.index, dtype="string")
        redactions.update(counts)
    return frame.reset_index(drop=True), redactions
