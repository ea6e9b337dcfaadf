"""The layout of a workshop workbook (sheets and their columns) and the vocabularies of its free-text
cells, loaded from workshop_layout.yaml."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

WORKSHOP_LAYOUT = Path(__file__).resolve().parent / "workshop_layout.yaml"


@dataclass(frozen=True)
class SheetLayout:
    table: str
    sheet: str
    columns: tuple[str, ...]
    personal_data: bool = False
    working_method: int | None = None


def spelling_key(text: str) -> str:
    """A written word as the vocabularies compare it: case, accents, curly quotes, extra spaces, a trailing
    full stop or colon and the spaces around a slash do not count."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode() if text else ""
    text = re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().rstrip(".:;").strip()
    return re.sub(r"\s*/\s*", "/", text).casefold()


@dataclass(frozen=True)
class Vocabulary:
    """The labels of one free-text cell and the other ways facilitators write each of them."""

    name: str
    spellings: tuple[tuple[str, tuple[str, ...]], ...]  # (label, other spellings), in the file's order
    closed: bool = True

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _ in self.spellings)

    def lookup(self, text: str | None) -> str | None:
        """The label a written word stands for, or None when the vocabulary does not know it."""
        if text is None:
            return None
        return self._index.get(spelling_key(text))

    @cached_property
    def _index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for label, others in self.spellings:
            for written in (label, *others):
                index.setdefault(spelling_key(written), label)
        return index


@dataclass(frozen=True)
class WorkshopLayout:
    file_name: re.Pattern[str]
    sheets: tuple[SheetLayout, ...]
    vocabularies: tuple[Vocabulary, ...] = ()

    def sheet(self, table: str) -> SheetLayout:
        return next(s for s in self.sheets if s.table == table)

    def vocabulary(self, name: str) -> Vocabulary:
        found = next((v for v in self.vocabularies if v.name == name), None)
        if found is None:
            raise KeyError(f"schemas/workshop_layout.yaml has no vocabulary {name!r} under 'vocabularies'")
        return found


def _vocabulary(name: str, spec: dict) -> Vocabulary:
    labels = spec.get("labels") or {}
    return Vocabulary(
        name=str(name),
        spellings=tuple((str(label), tuple(str(s) for s in (others or ()))) for label, others in labels.items()),
        closed=bool(spec.get("closed", True)),
    )


def load_workshop_layout(path: Path = WORKSHOP_LAYOUT) -> WorkshopLayout:
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    sheets = tuple(
        SheetLayout(
            table=str(table),
            sheet=str(spec["sheet"]),
            columns=tuple(str(c) for c in spec["columns"]),
            personal_data=bool(spec.get("personal_data", False)),
            working_method=spec.get("working_method"),
        )
        for table, spec in document["sheets"].items()
    )
    vocabularies = tuple(_vocabulary(name, spec) for name, spec in (document.get("vocabularies") or {}).items())
    return WorkshopLayout(file_name=re.compile(document["file_name"]), sheets=sheets, vocabularies=vocabularies)
