"""The layout of a workshop workbook (sheets and their columns), loaded from workshop_layout.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class WorkshopLayout:
    file_name: re.Pattern[str]
    sheets: tuple[SheetLayout, ...]

    def sheet(self, table: str) -> SheetLayout:
        return next(s for s in self.sheets if s.table == table)


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
    return WorkshopLayout(file_name=re.compile(document["file_name"]), sheets=sheets)
