"""`make run`: materialise every asset for every wave folder in <data>/inbox/, in this process, then say where
the outputs are. Runs are recorded in the Dagster instance of DAGSTER_HOME, so the UI shows them.

A failed step is reported by its root cause (the innermost error of Dagster's chain, not Dagster's "Error occurred
while handling output ... of step ...:"), the file it applies to when known, and what to do. Inbox folders whose
names are not wave names are named, not passed over.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from assets.partitions import waves
from pipelines.definitions import build_definitions, reconstructable_wave_job
from pipelines.recover import describe, recover
from pipelines.resources import VerkenningSettings, lake_location, settings_from_environment
from verkenning.data_folder import DataFolder, wave_name_problem
from verkenning.errors import InputFileError
from verkenning.lake import lake_tables
from verkenning.release.publish import list_releases


def _instance() -> dg.DagsterInstance:
    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


def register_waves(instance: dg.DagsterInstance, names: list[str]) -> None:
    """Add a dynamic partition for every wave folder that does not have one yet."""
    known = set(instance.get_dynamic_partitions(waves.name))
    new = [name for name in names if name not in known]
    if new:
        instance.add_dynamic_partitions(waves.name, new)


def preflight(settings: VerkenningSettings, wave: str) -> list[str]:
    """Fail fast, before any step: the pseudonymisation key, the wave's codebook, its export file with headings
    that fit the codebook, and the workshop workbooks' names, sheets and header rows. (Without this a missing or
    short key stopped the run only at the anonymisation, after the raw and staged zones.)
    Returns what changed in the codebook since the previous wave in the inbox, line by line (none: empty)."""
    from schemas.codebook import codebook_for_wave
    from schemas.codebook_diff import diff_codebooks, format_diff
    from schemas.workshop_layout import load_workshop_layout
    from verkenning.anonymise.pseudonym import pseudonym_key
    from verkenning.ingest.survey_export import check_export_shape, find_export_file
    from verkenning.ingest.workbooks import check_workbook_shape, workshop_files

    wave_dir = settings.folder.wave_dir(wave)
    pseudonym_key(wave_dir)
    codebook = codebook_for_wave(wave_dir)
    check_export_shape(find_export_file(wave_dir), codebook)
    layout = load_workshop_layout()
    for workbook in workshop_files(wave_dir, layout):
        check_workbook_shape(workbook, layout)
    earlier = sorted(p.name for p in settings.folder.inbox.iterdir() if p.is_dir() and p.name < wave and not p.name.startswith("."))
    if not earlier:
        return []
    try:
        previous = codebook_for_wave(settings.folder.wave_dir(earlier[-1]))
    except ValueError:
        return [f"the codebook of the previous wave {earlier[-1]} cannot be read: no comparison"]
    changes = diff_codebooks(previous, codebook)
    return [] if changes.is_empty else [f"codebook changes since wave {earlier[-1]}:", *format_diff(changes).splitlines()]


def run_wave(instance: dg.DagsterInstance, settings: VerkenningSettings, wave: str) -> dg.JobExecutionResult:
    """Check the wave's inputs (preflight), then run process_wave for it with every step in this process.

    Dagster's public `execute_job` with the in-process executor: the result keeps no step's output in memory
    (each table is stored by its IO manager already; `execute_in_process` keeps every output until the run
    ends, about 2 GiB more for a wave of 100,000 respondents)."""
    from verkenning.anonymise.text import shared_workers

    for line in preflight(settings, wave):
        print(f"   {line}", flush=True)
    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}  # the summary below says what matters
    # A large wave's texts are read by worker processes, for every step: they start now and load deduce while the
    # raw and staged steps run, and this process, which holds the wave's tables, never loads it.
    with shared_workers(start=is_large_wave(settings, wave)):
        return dg.execute_job(
            reconstructable_wave_job(settings), instance, run_config=quiet,
            tags={"wave": wave, "dagster/partition": wave}, raise_on_error=False,
        )


# An export of this size holds thousands of free texts (the sample's 215 respondents: 0.1 MB; 10,000: 5 MB):
# enough for worker processes to pay for their start (some 3 s each to load deduce).
LARGE_EXPORT_BYTES = 2_000_000


def is_large_wave(settings: VerkenningSettings, wave: str) -> bool:
    """Whether the wave's survey export is large enough for worker processes to pay for their start."""
    from verkenning.ingest.survey_export import find_export_file

    try:
        return find_export_file(settings.folder.wave_dir(wave)).stat().st_size >= LARGE_EXPORT_BYTES
    except (OSError, ValueError):
        return False  # preflight has named the problem already


def _failed_checks(result: dg.JobExecutionResult) -> list[str]:
    return [
        f"{evaluation.asset_key.to_user_string()} {evaluation.check_name} [{evaluation.severity.value}]"
        + (f": {evaluation.description}" if evaluation.description else "")
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed
    ]


# --- what failed, why, where, and what to do ----------------------------------------------------------------------


@dataclass(frozen=True)
class FailureReport:
    """A failed step (or run) as a steward needs it: the root cause, the file it applies to, and what to do."""

    step: str
    cause: str
    file: str | None
    advice: str
    during: str | None = None  # e.g. 'writing raw/survey_responses'

    def lines(self) -> list[str]:
        during = f" while {self.during}" if self.during else ""
        cause = self.cause.splitlines() or [""]
        out = [f"{self.step} failed{during}: {cause[0]}", *(f"    {line}" for line in cause[1:8])]
        if len(cause) > 8:
            out.append(f"    ... ({len(cause) - 8} more lines: see the run in the Dagster UI)")
        if self.file:
            out.append(f"  file: {self.file}")
        out.append(f"  what to do: {self.advice}")
        return out


_DAGSTER_IO_STEP = re.compile(r'Error occurred while (handling output|loading input) "([^"]+)" of step "([^"]+)"')
_FILE_IN_MESSAGE = (
    re.compile(r"\A(?:[\w.]+\.)?InputFileError: file (.+?)(?:, (?:sheet|row|line|column) |: )", re.S),
    re.compile(r"\[Errno \d+\] [^:\n]+: '([^'\n]+)'"),  # OSError with a file name
    re.compile(r'(?:lock on file|file|path) "([^"\n]+)"', re.I),  # DuckDB, pyarrow
)
_NO_RUN_HARM = "no new release of this wave was published and the inbox is unchanged"


def _error_chain(error) -> list:
    """Dagster's serialisable error and its causes, outermost first."""
    chain = []
    while error is not None and len(chain) < 50:
        chain.append(error)
        error = error.cause
    return chain


def _text(error) -> str:
    """An error's message without its class name in front (Dagster stores 'module.Class: message')."""
    message = (error.message or "").strip()
    prefix, colon, rest = message.partition(": ")
    if colon and prefix.rsplit(".", 1)[-1] == error.cls_name:
        return rest.strip()
    return message


def _exception_text(exc: BaseException) -> tuple[str, str]:
    return type(exc).__name__, str(exc).strip()


def _is_lock(text: str) -> bool:
    lowered = text.lower()
    return any(words in lowered for words in ("database is locked", "could not set lock", "conflicting lock", "database table is locked"))


def classify(cls_name: str, text: str, file: str | None, data_dir: str) -> str:
    """What a steward can do about an error, by its root cause."""
    lowered = text.lower()
    where = f" ({file})" if file else ""
    if cls_name == "InputFileError":
        return (
            "correct the file as the message says (or ask whoever delivered it) and drop it into the inbox again; "
            f"then run make run again ({_NO_RUN_HARM})"
        )
    if "no space left on device" in lowered or "errno 28" in lowered or "disk quota exceeded" in lowered or "errno 122" in lowered:
        return (
            f"the disk is full: free space on the disk that holds the data folder {data_dir} (or point "
            f"VERKENNING_DATA_DIR at a disk with room) and run make run again; {_NO_RUN_HARM}"
        )
    if _is_lock(text):
        return (
            f"another program has the database{where} open: wait until other runs (make run, runs in make ui) are "
            "done, close programs that have it open (a DuckDB or SQLite session, a spreadsheet), then run make run "
            f"again; {_NO_RUN_HARM}"
        )
    if cls_name == "PermissionError" or "permission denied" in lowered or "read-only file system" in lowered:
        return f"the pipeline may not write or read{where or ' the file'}: give the user that runs it access, then run make run again"
    if cls_name == "FileNotFoundError" and "materialise" in lowered:
        return "a table of an earlier step is missing: run the whole wave again with make run"
    if cls_name in ("TypeError", "ArrowTypeError", "ArrowInvalid", "ArrowNotImplementedError", "DagsterTypeCheckDidNotPass") or (
        "conversion failed for column" in lowered
    ):
        column = re.search(r"conversion failed for column (\S+)", text, re.I)
        in_column = f" (column {column[1]})" if column else ""
        return (
            f"a table holds values of an unexpected type{in_column}: a fault in the pipeline or an input it does not "
            "handle yet. Report it to the pipeline's maintainers with this message and the wave; "
            f"{_NO_RUN_HARM}"
        )
    return (
        "report it to the pipeline's maintainers with this message and the wave (the full traceback is on the run's "
        f"page in the Dagster UI: make ui); {_NO_RUN_HARM}"
    )


def _file_in(messages: list[str]) -> str | None:
    for message in messages:  # innermost first
        for pattern in _FILE_IN_MESSAGE:
            found = pattern.search(message)
            if found:
                return found[1]
    return None


class StepFiles:
    """The Parquet file of each step's outputs and inputs in the restricted zone, to name the file an IO error is
    about (pyarrow's "No space left on device" names none)."""

    def __init__(self, settings: VerkenningSettings) -> None:
        self.folder = settings.folder
        self.outputs: dict[tuple[str, str], dg.AssetKey] = {}
        self.inputs: dict[tuple[str, str], dg.AssetKey] = {}
        self.restricted: set[dg.AssetKey] = set()
        for assets_def in build_definitions(settings).resolve_asset_graph().assets_defs:
            if not assets_def.keys:
                continue
            step = assets_def.node_def.name
            for output, key in assets_def.keys_by_output_name.items():
                self.outputs[(step, output)] = key
                if assets_def.get_io_manager_key_for_asset_key(key) == "restricted_io_manager":
                    self.restricted.add(key)
            for name, key in assets_def.keys_by_input_name.items():
                self.inputs[(step, name)] = key

    def describe(self, action: str, name: str, step: str, wave: str) -> tuple[str, str | None]:
        writing = action == "handling output"
        key = (self.outputs if writing else self.inputs).get((step, name))
        if key is None:
            return f"{'writing output' if writing else 'reading input'} {name}", None
        file = str(self.folder.restricted_table(*key.path[-2:], wave)) if key in self.restricted else None
        return f"{'writing' if writing else 'reading'} {key.to_user_string()}", file


def failure_report(step: str, error, wave: str, data_dir: str, files: StepFiles | None = None) -> FailureReport | None:
    """The report of a failed step from Dagster's error chain; None when the check's own words already say it."""
    chain = _error_chain(error)
    if any(e.cls_name == "DagsterAssetCheckFailedError" for e in chain):
        return None  # reported with the check's own description
    root = chain[-1]
    text = _text(root)
    messages = [e.message or "" for e in reversed(chain)]
    file = _file_in(messages)
    during = None
    for e in chain:
        found = _DAGSTER_IO_STEP.search(e.message or "")
        if found and files is not None:
            during, io_file = files.describe(found[1], found[2], found[3], wave)
            file = file or io_file
            break
    if file is None and _is_lock(text) and data_dir:
        file = f"probably the analysis zone's catalog {lake_location(data_dir).catalog}"
    cause = text if root.cls_name == "InputFileError" else f"{root.cls_name}: {text}"
    return FailureReport(step=f"step {step}", cause=cause, file=file, advice=classify(root.cls_name, text, file, data_dir), during=during)


def exception_report(what: str, exc: BaseException, data_dir: str) -> FailureReport:
    """The report of an exception raised outside a step (the Dagster instance, the definitions)."""
    chain = [exc]
    while len(chain) < 50:
        nxt = chain[-1].__cause__ or (None if chain[-1].__suppress_context__ else chain[-1].__context__)
        if nxt is None:
            break
        chain.append(nxt)
    root = chain[-1]
    name, text = _exception_text(root)
    file = getattr(root, "filename", None) or getattr(root, "file", None)
    file = str(file) if file else _file_in([str(e) for e in reversed(chain)])
    if file is None and "database is locked" in text.lower() and os.environ.get("DAGSTER_HOME"):
        file = f"the Dagster instance in {os.environ['DAGSTER_HOME']}"
    cause = text if name == "InputFileError" else f"{name}: {text}"
    return FailureReport(step=what, cause=cause, file=file, advice=classify(name, text, file, data_dir))


def _step_errors(result: dg.JobExecutionResult, wave: str = "", data_dir: str = "", files: StepFiles | None = None) -> list[str]:
    lines: list[str] = []
    said: set[str] = set()
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            report = failure_report(event.step_key, event.step_failure_data.error, wave, data_dir, files)
            if report is None:
                continue
            report_lines = report.lines()
            if report.advice in said:  # the same advice for the next step: say it once
                report_lines[-1] = "  what to do: as above"
            said.add(report.advice)
            lines.extend(report_lines)
    return lines


def report_skipped_folders(folder: DataFolder) -> None:
    skipped = folder.skipped_folders()
    if not skipped:
        return
    print(f"Not processed: {len(skipped)} folder(s) in {folder.inbox} whose names are not wave names:")
    for entry in skipped:
        print(f"   - {entry}")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wave", action="append", help="process only this wave (may be repeated)")
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):  # a folder name a terminal cannot show must not end the run
        sys.stdout.reconfigure(errors="backslashreplace")

    settings = settings_from_environment()
    folder = settings.folder
    folder.ensure_zones()
    report_skipped_folders(folder)
    names = args.wave or folder.waves()
    if not names:
        print(f"No wave folders in {folder.inbox}: put a wave's files in {folder.inbox}/<wave>/ (e.g. 2024-01).")
        return 1
    misnamed = [(name, problem) for name in names if (problem := wave_name_problem(name))]
    if misnamed:
        for name, problem in misnamed:
            print(f"Not a wave name: {name!r}: {problem}")
        return 1
    missing = [name for name in names if not folder.wave_dir(name).is_dir()]
    if missing:
        print(f"No such wave folder: {', '.join(str(folder.wave_dir(m)) for m in missing)}")
        return 1

    try:
        instance = _instance()
        # Runs left STARTED by a process that died (kill -9, out of memory) are marked failed first.
        for line in describe(recover(instance)):
            print(f"recover: {line}")
        register_waves(instance, names)
        files = StepFiles(settings)
    except Exception as exc:  # the Dagster instance (its database locked, say) or the definitions
        for line in exception_report("make run", exc, settings.data_dir).lines():
            print(f"   {line}")
        traceback.print_exc()
        return 1
    failures = 0
    for wave in names:
        print(f"== wave {wave}: processing {folder.wave_dir(wave)}", flush=True)
        try:
            result = run_wave(instance, settings, wave)
        except InputFileError as error:  # found by the checks before any step (preflight)
            print("   FAILED before any step ran")
            for line in exception_report("the check of the wave's inputs", error, settings.data_dir).lines():
                print(f"   {'  ' if line.startswith(' ') else '- '}{line}")
            failures += 1
            continue
        except Exception as exc:  # outside any step: say why, and go on with the next wave
            print("   FAILED")
            for line in exception_report(f"the run of wave {wave}", exc, settings.data_dir).lines():
                print(f"   {line}")
            traceback.print_exc()
            failures += 1
            continue
        failed_checks = _failed_checks(result)
        checks = len(result.get_asset_check_evaluations())
        tables = len(result.get_asset_materialization_events())
        print(f"   {'ok' if result.success else 'FAILED'}: {tables} tables, {checks} checks, {len(failed_checks)} not passed")
        for failed in failed_checks:
            print(f"   - check not passed: {failed}")
        for line in _step_errors(result, wave, settings.data_dir, files):
            print(f"   {'  ' if line.startswith(' ') else '- '}{line}")
        for event in result.get_asset_materialization_events():
            if event.asset_key.path[0] == "release":
                print(f"   {event.materialization.metadata['summary'].value}")
        failures += 0 if result.success else 1
    print()
    print("Outputs:")
    print(f"  restricted zone (personal data: raw, quarantine, staged): {folder.restricted.resolve()}")
    for table in sorted(Path(folder.restricted).glob("*/*/")):
        print(f"    {table.relative_to(folder.restricted)}/ : {', '.join(sorted(p.stem for p in table.glob('*.parquet')))}")
    location = lake_location(settings.data_dir)
    print(f"  analysis zone (no personal data): DuckLake catalog {location.catalog}, data {location.data_path}")
    print(f"    tables: {', '.join(lake_tables(location)) or 'none yet'}")
    for wave in names:
        releases = list_releases(folder.releases, wave)
        if releases:
            print(f"  release of wave {wave}: {(folder.releases / wave / releases[-1]).resolve()}  (all: {', '.join(releases)})")
    print(f"  Dagster UI:    make ui  (runs are recorded in {os.environ.get('DAGSTER_HOME', 'a temporary instance')})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
