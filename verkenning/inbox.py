"""What is in the inbox: the files of each wave and their fingerprint, to decide when a wave needs a run."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from schemas.codebook import PROJECT_CODEBOOK
from verkenning.release.publish import list_releases, read_release_record

INPUT_SUFFIXES = (".csv", ".xlsx", ".yaml")
# A file changed less than this long ago may still be being copied: wait for the next look.
SETTLING_SECONDS = 10.0


@dataclass(frozen=True)
class WaveInputs:
    wave: str
    files: dict[str, str]  # file name -> SHA-256
    settled: bool  # no file changed in the last SETTLING_SECONDS

    @property
    def fingerprint(self) -> str:
        """One hash over the names and hashes of the wave's files (changes when any file is added, changed or removed)."""
        text = json.dumps(sorted(self.files.items()))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def wave_inputs(wave_dir: Path, now: float | None = None) -> WaveInputs:
    now = time.time() if now is None else now
    files: dict[str, str] = {}
    settled = True
    for path in sorted(Path(wave_dir).iterdir()):
        if not path.is_file() or path.suffix.lower() not in INPUT_SUFFIXES or path.name.startswith(("~$", ".")):
            continue
        files[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
        settled &= now - path.stat().st_mtime >= SETTLING_SECONDS
    return WaveInputs(wave=Path(wave_dir).name, files=files, settled=settled)


def changed_since_last_release(inputs: WaveInputs, releases_dir: Path, codebook: Path = PROJECT_CODEBOOK) -> bool:
    """Whether a wave's files or the codebook differ from those its latest release was made from (or it has none)."""
    releases = list_releases(releases_dir, inputs.wave)
    if not releases:
        return True
    manifest = read_release_record(Path(releases_dir) / inputs.wave / releases[-1])
    released = {source["name"]: source["sha256"] for source in manifest.get("sources", [])}
    wave_codebook = Path(releases_dir).parent / "inbox" / inputs.wave / "questionnaire.yaml"
    codebook_hash = hashlib.sha256((wave_codebook if wave_codebook.is_file() else codebook).read_bytes()).hexdigest()
    return released != inputs.files or manifest.get("codebook_sha256") != codebook_hash
