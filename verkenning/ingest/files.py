"""What we record about every inbox file before reading it: its hash, size and name."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from verkenning.errors import InputFileError


@dataclass(frozen=True)
class FileFingerprint:
    name: str
    sha256: str
    size_bytes: int

    def as_metadata(self) -> dict[str, Any]:
        return asdict(self)


def read_inbox_file(path: Path) -> tuple[bytes, FileFingerprint]:
    """Read a file's bytes once and fingerprint them; an unreadable or empty file stops the run."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputFileError(path, "the file does not exist") from None
    except OSError as exc:
        raise InputFileError(path, f"the file cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise InputFileError(path, "the file is empty", advice="Export it again from the survey tool")
    fingerprint = FileFingerprint(name=Path(path).name, sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data))
    return data, fingerprint
