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
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_VARIABLE = "VERKENNING_DATA_DIR"
DEFAULT_DATA_DIR = "./data"
# A wave folder is named after the end of its fieldwork, e.g. 2024-01; letters allow 2024-01b. \A and \Z (not ^ and
# $, which accept a trailing line feed) and [0-9] (not \d, which accepts full-width and other Unicode digits).
WAVE_NAME = re.compile(r"\A[0-9]{4}-[0-9]{2}[A-Za-z0-9_-]*\Z")
WAVE_NAME_RULE = "four digits, a hyphen and two digits (2024-01), optionally followed by letters, digits, - or _ (2024-01b)"


def wave_name_problem(name: str) -> str | None:
    """Why a folder name is not a wave name, in words a steward can act on; None for a valid wave name."""
    if WAVE_NAME.match(name):
        return None
    if name.startswith("."):
        found = "a hidden folder (its name starts with a dot)"
    elif any(ch.isspace() for ch in name):
        found = "the name holds a space, tab or line break"
    elif any(ch.isdigit() and ch not in "0123456789" for ch in name):
        found = "the name holds digits other than the plain digits 0-9 (full-width or another script's)"
    elif not name.isascii():
        found = "the name holds characters other than plain letters, digits, - and _"
    else:
        found = "the name does not have the form of a wave name"
    return f"{found}; a wave folder's name is {WAVE_NAME_RULE}"


def suggested_wave_name(name: str) -> str | None:
    """The wave name a misnamed folder was probably meant to have (full-width digits made plain, spaces and line
    breaks around it dropped), or None when there is no obvious one."""
    candidate = unicodedata.normalize("NFKC", name).strip()
    return candidate if candidate != name and WAVE_NAME.match(candidate) else None


@dataclass(frozen=True)
class SkippedFolder:
    """A folder in the inbox that is not read, and why."""

    path: Path
    reason: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def suggestion(self) -> str | None:
        """The wave name it was probably meant to have, if there is an obvious one."""
        return suggested_wave_name(self.path.name)

    def __str__(self) -> str:
        rename = f" (rename it to {self.suggestion} to process it)" if self.suggestion else ""
        return f"{self.path.name!r}: {self.reason}{rename}"


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
        """Wave folders in the inbox, sorted; folders whose names are not waves are left out (see skipped_folders)."""
        if not self.inbox.is_dir():
            return []
        return sorted(p.name for p in self.inbox.iterdir() if p.is_dir() and WAVE_NAME.match(p.name))

    def skipped_folders(self) -> list[SkippedFolder]:
        """Folders in the inbox that waves() leaves out because their names are not wave names, with the reason;
        sorted. Say these to the steward: a wave copied into a misnamed folder is otherwise never processed."""
        if not self.inbox.is_dir():
            return []
        return sorted(
            (SkippedFolder(p, problem) for p in self.inbox.iterdir() if p.is_dir() and (problem := wave_name_problem(p.name))),
            key=lambda skipped: skipped.path.name,
        )

    def ensure_zones(self) -> None:
        """Create the zone folders; the restricted zone is readable by its owner only."""
        for folder in (self.inbox, self.restricted, self.analysis, self.releases, self.reports):
            folder.mkdir(parents=True, exist_ok=True)
        self.restricted.chmod(0o700)
