"""A deterministic synthetic wave for the inbox: the LimeSurvey export, the survey's structure file (.lss),
withdrawals and workshop workbooks.

`write_sample_wave` is the one entry point; `python -m verkenning.sample` calls it from the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from schemas.codebook import Codebook, load_codebook
from verkenning.anonymise.pseudonym import SAMPLE_MARKER
from verkenning.sample.lss import write_lss
from verkenning.sample.survey import EXPORT_FORMATS, build_export, build_name_pools, write_export, write_withdrawals
from verkenning.sample.workshops import write_workshops

__all__ = ["EXPORT_FORMATS", "SampleSummary", "write_sample_wave"]

SURVEY_STRUCTURE = "survey.lss"
SAMPLE_NOTE = """\
# Synthetic sample wave

Every person, e-mail address, phone number and answer in this folder is made up by
`verkenning/sample/` (deterministic, seeded). This file marks the folder as synthetic: such a wave
may run with the public sample pseudonymisation key. A real wave never carries this file and
refuses to run without `VERKENNING_PSEUDONYM_KEY`.
"""


@dataclass(frozen=True)
class SampleSummary:
    """What was written. Row kinds do not overlap: rows = completed + incomplete + test + duplicates."""

    completed: int  # unique, non-test people with a completed submission (= respondents)
    incomplete: int  # people who started but never completed
    test: int  # test responses (token test..., or started before the fieldwork)
    duplicates: int  # extra rows of completed people: earlier attempts, or a second go under another token
    corrupted: int  # rows given an answer code the codebook does not know
    rows: int  # data rows in the export
    withdrawals: int
    files: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.rows} rows: {self.completed} completed, {self.incomplete} incomplete, {self.test} test, "
            f"{self.duplicates} duplicates, {self.corrupted} corrupted; {self.withdrawals} withdrawals; "
            f"files: {', '.join(self.files)}"
        )


def write_sample_wave(
    out_dir: Path,
    respondents: int = 215,
    seed: int = 20240131,
    export_format: str = "csv",
    corrupt_share: float = 0.0,
    workshops: bool = True,
    withdrawals: bool = True,
    codebook: Codebook | None = None,
) -> SampleSummary:
    """Write a synthetic wave into `out_dir`; the same arguments always give the same files."""
    codebook = codebook or load_codebook()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    table = build_export(codebook, respondents, seed, corrupt_share)
    files = [write_export(table, out_dir, export_format)]
    # The structure file beside the export, as a steward would save it: the inbox reads no .lss (INPUT_SUFFIXES),
    # so it starts no run and is no source of a release; `python -m pipelines.codebook import` reads it.
    write_lss(codebook, out_dir / SURVEY_STRUCTURE)
    files.append(SURVEY_STRUCTURE)
    withdrawn = 0
    if withdrawals:
        withdrawn = write_withdrawals(table, out_dir / "withdrawals.csv", codebook.fielded_to, seed)
        files.append("withdrawals.csv")
    if workshops:
        files.extend(write_workshops(out_dir, seed, build_name_pools(seed + 7)))
    (out_dir / SAMPLE_MARKER).write_text(SAMPLE_NOTE, encoding="utf-8")
    files.append(SAMPLE_MARKER)
    return SampleSummary(
        completed=table.completed,
        incomplete=table.incomplete,
        test=table.test,
        duplicates=table.duplicates,
        corrupted=table.corrupted,
        rows=table.rows,
        withdrawals=withdrawn,
        files=files,
    )
