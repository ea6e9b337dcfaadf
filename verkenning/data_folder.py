"""The data folder's one layout, shared by every zone (see README, "Where outputs land").

    <data>/inbox/<wave>/                 inputs as delivered; the pipeline never writes here
    <data>/restricted/<layer>/<table>/   personal data: raw, quarantine, staged (one file per wave)
    <data>/analysis/                     the analysis zone: a DuckLake catalog and its Parquet data
    <data>/releases/<wave>/<release>/    published releases
    <data>/reports/                      validation reports, benchmark figures
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_VARIABLE = "VERKENNING_DATA_DIR"
DEFAULT_DATA_DIR = "./data"
# A wave folder is named after the end of its fieldwork, e.g. 2024-01; letters allow 2024-01b.
WAVE_NAME = re.compile(r"^\d{4}-\d{2}[A-Za-z0-9_-]*$")


def data_dir_from_environment() -> Path:
    return Path(os.environ.get(DATA_DIR_VARIABLE) or DEFAULT_DATA_DIR)


@dataclass(frozen=True)
class DataFolder:
    root: Path

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def restricted(self) -> Path:
        return self.root / "restricted"

    @property
    def analysis(self) -> Path:
        return self.root / "analysis"

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def wave_dir(self, wave: str) -> Path:
        return self.inbox / wave

    def restricted_table(self, layer: str, table: str, wave: str) -> Path:
        return self.restricted / layer / table / f"{wave}.parquet"


    def waves(self) -> list[str]:
        """Wave folders in the inbox, sorted; folders whose names are not waves are ignored."""
        if not self.inbox.is_dir():
            return []
        return sorted(p.name for p in self.inbox.iterdir() if p.is_dir() and WAVE_NAME.match(p.name))

    def ensure_zones(self) -> None:
        """Create the zone folders; the restricted zone is readable by its owner only."""
        for folder in (self.inbox, self.restricted, self.analysis, self.releases, self.reports):
            folder.mkdir(parents=True, exist_ok=True)
        self.restricted.chmod(0o700)
