"""Publication of a wave as an immutable release in two tiers: <releases>/<wave>/r<N>/{public,scientific_use}/.

    r<N>/release.json                 the release as a whole: fingerprint over both tiers, each tier's manifest hash
    r<N>/public/                      aggregate tables only, for anyone
    r<N>/scientific_use/              k-anonymous microdata and de-identified texts, under a data-use agreement
    r<N>/<tier>/manifest.json         the tier's tables, hashes, risk report and what the tier protects against
    r<N>/<tier>/<table>.parquet|.csv  and verkenning_<wave>_r<N>_<tier>.xlsx (first sheet Toelichting)

Two tiers, because cell suppression protects the aggregate tables only as long as the microdata are not beside
them: the microdata recompute every suppressed cell. Each tier verifies on its own, so a steward can hand over one.

A release is written into a temporary folder and renamed into place in one step, so a reader sees a whole
release or none. Releases are never changed: identical contents return the release that stands, any change
(in either tier) becomes the next release number. The content fingerprint in release.json decides which.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import numbers
import os
import re
import secrets
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from verkenning.data_folder import WAVE_NAME
from verkenning.release.explanation import TIER_SECTION_HEADINGS, tier_description

RELEASE_FILE = "release.json"
MANIFEST_FILE = "manifest.json"
TIERS = ("public", "scientific_use")
# One row per person, or a person's own words: beside the aggregate tables they recompute every suppressed cell,
# so they are refused in the public tier.
# Microdata and free text: the support needs are the tables' own words, so they are free text too.
SCIENTIFIC_USE_ONLY_TABLES = ("respondents", "open_answers", "workshop_notes", "workshop_support_needs")
# The standard split of the marts; tables_by_tier() applies it.
TIER_TABLES = {
    "public": ("question_frequencies", "crosstabs", "scale_summaries", "workshop_statements", "workshop_support_themes"),
    "scientific_use": SCIENTIFIC_USE_ONLY_TABLES,
}
# The pseudonym: a table that has it is microdata, whatever its name.
PSEUDONYM_COLUMN = "respondent_key"
TEMPORARY_PREFIX = ".tmp-"
EXPLANATION_SHEET = "Toelichting"
RELEASE_FOLDER = re.compile(r"^r([1-9][0-9]*)$")
# Table names become file names: no separators, no dots, nothing a shell or spreadsheet would trip over.
TABLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# Part of the fingerprint: a change in how contents are serialised is a change of code, hence a new release.
# /2: two tiers; a release of scheme /1 (everything in r<N>/) never matches, so the next run publishes tiers.
FINGERPRINT_SCHEME = "verkenning-release-fingerprint/2"
# OWASP's list for CSV injection: a spreadsheet evaluates these as a formula, also after leading spaces.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
FORMULA_CONTROL_CHARACTERS = ("\t", "\r")
EXCEL_SHEET_NAME_LENGTH = 31
# The workbook is for reading, the Parquet and CSV files for analysis: a table longer than this (the microdata of
# a large wave) gets no sheet. Writing a sheet costs about 25 µs a cell: 100,000 respondents would take minutes
# (and Excel's limit of 1,048,576 rows a sheet is never reached).
WORKBOOK_MAX_ROWS = 5_000
EXPLANATION_HEADINGS = {
    "wave": "Over deze golf",
    "sources": "Bronnen",
    "anonymisation": "Anonimisering",
    "suppression": "Onderdrukking van kleine aantallen",
}
NEUTRALISATION_NOTE = (
    "Tekstcellen die (eventueel na spaties) beginnen met =, +, - of @, of met een tab of regelterugloop, "
    "staan in de CSV-bestanden en in deze werkmap met een apostrof (') ervoor, zodat een spreadsheet ze niet "
    "als formule uitvoert. De Parquet-bestanden bevatten de oorspronkelijke waarden; getallen zijn ongewijzigd."
)


@dataclass(frozen=True)
class TierInputs:
    tables: dict[str, pd.DataFrame]
    column_descriptions: dict[str, dict[str, str]]
    table_descriptions: dict[str, str]
    risk_report: dict  # about this tier's tables only (public: cells suppressed, audit; scientific_use: k, redactions)
    explanation: dict[str, str]  # Toelichting paragraphs by key (see EXPLANATION_HEADINGS)


@dataclass(frozen=True)
class ReleaseInputs:
    wave: str
    tiers: dict[str, TierInputs]  # keys from TIERS, both required
    sources: list[dict]
    disclosure_parameters: dict
    codebook_sha256: str
    code_version: str | None
    snapshot_id: int | None


@dataclass(frozen=True)
class ReleaseOutcome:
    release_id: str
    path: Path
    created: bool
    manifest: dict

    @property
    def summary(self) -> str:
        """One line for the asset's log and metadata."""
        wave = self.manifest.get("wave")
        if self.created:
            return f"release {self.release_id} of wave {wave} published at {self.path}"
        return f"release {self.release_id} of wave {wave} stands: its contents are identical, nothing was written"


# ---------------------------------------------------------------------------------------------- public API


def content_fingerprint(inputs: ReleaseInputs) -> str:
    """SHA-256 of everything both tiers of a release hold except the creation time and the snapshot read from.

    Tables count by their contents (names, column names, dtypes, values in row order), serialised here
    rather than taken from the Parquet bytes, so a new writer version does not make a new release. The
    documentation (descriptions, explanation, the tier texts) is included: when it changes, the workbook
    changes, and a release never changes in place.
    """
    digest = hashlib.sha256()
    for part in _fingerprint_parts(inputs):
        digest.update(part.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def publish_release(releases_dir: Path, inputs: ReleaseInputs, now: datetime | None = None) -> ReleaseOutcome:
    """Publish `inputs` as the next release of its wave, unless the latest release holds the same contents.

    `releases_dir` is <data>/releases; `now` (timezone-aware) is the creation time, the current time if omitted.
    Relies on one publisher per wave at a time (the pipeline's single-writer pool); even without it an
    existing release is never overwritten, because renaming onto a non-empty folder fails.
    """
    _check_inputs(inputs)
    created_at = _creation_time(now)
    wave_dir = Path(releases_dir) / inputs.wave
    wave_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftover_temporary_folders(wave_dir)

    fingerprint = content_fingerprint(inputs)
    existing = list_releases(releases_dir, inputs.wave)
    if existing:
        latest = wave_dir / existing[-1]
        record = _read_latest_record(latest)
        if record.get("content_fingerprint") == fingerprint:
            return ReleaseOutcome(release_id=existing[-1], path=latest, created=False, manifest=record)

    release_id = f"r{_release_number(existing[-1]) + 1 if existing else 1}"
    target = wave_dir / release_id
    temporary = wave_dir / f"{TEMPORARY_PREFIX}{release_id}-{secrets.token_hex(4)}"
    temporary.mkdir()
    try:
        record = _write_release(temporary, inputs, release_id, created_at, fingerprint)
        _fsync_directory(temporary)
        if target.exists():
            raise FileExistsError(f"{target} appeared while this release was written; another publisher is running")
        os.rename(temporary, target)
    except BaseException:
        # Also on KeyboardInterrupt: a half-written release must not stay behind.
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    _fsync_directory(wave_dir)
    return ReleaseOutcome(release_id=release_id, path=target, created=True, manifest=record)


def tables_by_tier(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, pd.DataFrame]]:
    """The standard split of the marts over the tiers (TIER_TABLES); a table no tier names is refused.

    Refused rather than left out or put in a tier by default: a new mart is published only once someone
    decided who may receive it.
    """
    unplaced = sorted(set(tables) - {name for names in TIER_TABLES.values() for name in names})
    if unplaced:
        raise ValueError(
            f"no tier is named for table(s) {unplaced}: add them to TIER_TABLES (public: aggregates only; "
            "scientific_use: microdata and free text); nothing was published"
        )
    return {tier: {name: tables[name] for name in TIER_TABLES[tier] if name in tables} for tier in TIERS}


def tier_path(release_path: Path, tier: str) -> Path:
    """The folder of one tier of a release."""
    if tier not in TIERS:
        raise ValueError(f"{tier!r} is no tier; the tiers are {', '.join(TIERS)}")
    return Path(release_path) / tier


def is_tiered_release(path: Path) -> bool:
    """Whether `path` is a release with tiers (release.json), rather than one from before tiers (manifest.json in r<N>/)."""
    return (Path(path) / RELEASE_FILE).is_file()


def read_release_record(release_path: Path) -> dict:
    """release.json of a release; for a release from before tiers its manifest.json, which holds the same
    wave, release_id, content_fingerprint, sources and codebook_sha256."""
    release_path = Path(release_path)
    path = release_path / RELEASE_FILE if is_tiered_release(release_path) else release_path / MANIFEST_FILE
    return json.loads(path.read_text(encoding="utf-8"))


def read_published_tables(
    release_path: Path, tier: str, tables: Iterable[str] | None = None
) -> dict[str, pd.DataFrame]:
    """The Parquet tables of one tier of a release (all, or those named), each checked against its manifest.

    A release from before tiers gives {}: it has no tier, and is_tiered_release() tells it apart. A table named
    but not in the tier, or a file whose SHA-256 differs from the manifest, is an error, not a silent gap: the
    tables feed checks against earlier releases.
    """
    release_path = Path(release_path)
    folder = tier_path(release_path, tier)
    if not is_tiered_release(release_path):
        return {}
    record = read_release_record(release_path)
    manifest_path = folder / MANIFEST_FILE
    manifest_bytes = manifest_path.read_bytes()
    expected = record.get("tiers", {}).get(tier, {}).get("manifest_sha256")
    if hashlib.sha256(manifest_bytes).hexdigest() != expected:
        raise ValueError(f"{manifest_path}: its SHA-256 differs from {RELEASE_FILE}; run verify_release({release_path})")
    listed = json.loads(manifest_bytes).get("tables", {})
    wanted = sorted(listed) if tables is None else list(tables)
    missing = [name for name in wanted if name not in listed]
    if missing:
        raise ValueError(f"the {tier} tier of {release_path} holds no table(s) {missing}; it holds {sorted(listed)}")
    result: dict[str, pd.DataFrame] = {}
    for name in wanted:
        path = folder / listed[name]["parquet"]
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != listed[name]["parquet_sha256"]:
            raise ValueError(f"{path}: its SHA-256 differs from the manifest; run verify_release({release_path})")
        result[name] = pd.read_parquet(io.BytesIO(data))
    return result


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which text cells a spreadsheet would run as a formula start with an apostrophe.

    Only text is touched: numeric, boolean and date columns, and numbers inside mixed columns, stay as they are.
    """
    result = frame.copy()
    for position, dtype in enumerate(frame.dtypes):
        if _is_never_text(dtype):
            continue
        column = frame.iloc[:, position]
        if isinstance(dtype, pd.CategoricalDtype):
            column = column.astype(object)
        needs_apostrophe = column.map(lambda value: isinstance(value, str) and _looks_like_formula(value))
        needs_apostrophe = needs_apostrophe.fillna(False).astype(bool)
        if needs_apostrophe.any():
            column = column.copy()
            column[needs_apostrophe] = "'" + column[needs_apostrophe].astype(str)
        result.isetitem(position, column)
    return result


def verify_release(path: Path) -> list[str]:
    """Problems found by checking a release, or one tier of it on its own, against its manifests; empty when all is well.

    A release folder (release.json): both tiers, each tier's manifest against its hash in release.json, every
    file against its tier's manifest, and nothing unlisted. A tier folder (manifest.json), e.g. public/ copied
    elsewhere to hand it over: that tier alone. A release from before tiers is checked as one folder.
    """
    path = Path(path)
    if (path / RELEASE_FILE).exists():
        return _verify_tiered_release(path)
    if not (path / MANIFEST_FILE).exists():
        return [f"{path}: neither {RELEASE_FILE} (a release) nor {MANIFEST_FILE} (a tier) is present"]
    return _verify_folder(path)[0]


def list_releases(releases_dir: Path, wave: str) -> list[str]:
    """Release ids of a wave in numeric order (r10 after r9); temporary folders are not releases."""
    wave_dir = Path(releases_dir) / wave
    if not wave_dir.is_dir():
        return []
    ids = [child.name for child in wave_dir.iterdir() if child.is_dir() and RELEASE_FOLDER.match(child.name)]
    return sorted(ids, key=_release_number)


# ------------------------------------------------------------------------------------------------ checks


def _check_inputs(inputs: ReleaseInputs) -> None:
    if not WAVE_NAME.match(inputs.wave):
        raise ValueError(f"wave {inputs.wave!r} is not a wave name such as 2024-01; nothing was published")
    missing = [tier for tier in TIERS if tier not in inputs.tiers]
    if missing:
        raise ValueError(
            f"wave {inputs.wave}: the release inputs lack the tier(s) {missing}; a release holds both tiers "
            f"({', '.join(TIERS)}), each with its own manifest; nothing was published"
        )
    unknown = sorted(set(inputs.tiers) - set(TIERS))
    if unknown:
        raise ValueError(f"wave {inputs.wave}: unknown tier(s) {unknown}; the tiers are {', '.join(TIERS)}")
    for tier in TIERS:
        tables = inputs.tiers[tier].tables
        if not tables:
            raise ValueError(f"wave {inputs.wave}: the {tier} tier needs at least one table; nothing was published")
        for name, frame in tables.items():
            if not TABLE_NAME.match(name):
                raise ValueError(
                    f"table name {name!r} cannot be a file name: use letters, digits, '_' and '-' only"
                )
            columns = list(frame.columns)
            if not all(isinstance(column, str) for column in columns):
                raise ValueError(f"table {name!r}: every column name must be text, got {columns!r}")
            duplicates = sorted({column for column in columns if columns.count(column) > 1})
            if duplicates:
                raise ValueError(f"table {name!r}: column names occur more than once: {duplicates}")
    for name, frame in inputs.tiers["public"].tables.items():
        problem = _microdata_in_public(name, list(frame.columns))
        if problem:
            raise ValueError(f"wave {inputs.wave}: {problem}; nothing was published")


def _microdata_in_public(table: str, columns: list[str]) -> str | None:
    """Why a table must not be in the public tier, or None. Checked when publishing and again when verifying."""
    if table in SCIENTIFIC_USE_ONLY_TABLES:
        return (
            f"the public tier holds table {table!r}, which belongs in the scientific_use tier only "
            "(microdata and free text recompute the suppressed cells of the aggregate tables)"
        )
    if PSEUDONYM_COLUMN in columns:
        return (
            f"the public tier's table {table!r} has the pseudonym column {PSEUDONYM_COLUMN!r}: a table with a row "
            "per respondent belongs in the scientific_use tier only"
        )
    return None


def _creation_time(now: datetime | None) -> datetime:
    if now is None:
        now = datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise ValueError("the creation time must carry a timezone, e.g. datetime.now(timezone.utc)")
    return now.astimezone(timezone.utc).replace(microsecond=0)


def _release_number(release_id: str) -> int:
    return int(release_id[1:])


# ------------------------------------------------------------------------------------------- fingerprint


def _fingerprint_parts(inputs: ReleaseInputs) -> Iterator[str]:
    yield FINGERPRINT_SCHEME
    yield _canonical_json(
        {
            "wave": inputs.wave,
            "codebook_sha256": inputs.codebook_sha256,
            "code_version": inputs.code_version,
            "disclosure_parameters": inputs.disclosure_parameters,
            "sources": inputs.sources,
        }
    )
    for tier in TIERS:
        tier_inputs = inputs.tiers[tier]
        yield _canonical_json(
            {
                "tier": _tier_block(tier, inputs.disclosure_parameters, sorted(tier_inputs.tables)),
                "risk_report": tier_inputs.risk_report,
                "column_descriptions": tier_inputs.column_descriptions,
                "table_descriptions": tier_inputs.table_descriptions,
                "explanation": tier_inputs.explanation,
            }
        )
        for name in sorted(tier_inputs.tables):
            frame = tier_inputs.tables[name]
            yield _canonical_json(
                {
                    "table": name,
                    "rows": len(frame),
                    "columns": list(frame.columns),
                    "dtypes": [str(dtype) for dtype in frame.dtypes],
                }
            )
            for position in range(frame.shape[1]):
                yield _canonical_json(_canonical_column(frame.iloc[:, position]))


def _canonical_column(column: pd.Series) -> list[Any]:
    """`_canonical_value` of each value, in order; numpy integer, boolean and float columns without the per-value
    dispatch (a large wave's tables hold a million values), giving the very same values."""
    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else None
    if kind in ("i", "u", "b"):
        return column.tolist()  # Python ints and bools, never missing
    if kind == "f":
        return [number if math.isfinite(number) else (None if number != number else repr(number)) for number in column.tolist()]
    return [value if type(value) is str else _canonical_value(value) for value in column.tolist()]


def _canonical_value(value: Any) -> Any:
    """A JSON value that tells apart what a reader would tell apart (1, 1.0, "1", True) and nothing else."""
    if isinstance(value, str):
        return value
    if _is_missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):  # numpy 2 names its boolean type "bool", not "bool_"
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else repr(number)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _json_default(value: Any) -> Any:
    """numpy scalars, paths and times, which JSON does not know, as the plain values they stand for."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"{type(value).__name__} {value!r} cannot be written to the manifest")


def _is_missing(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


# ---------------------------------------------------------------------------------------- neutralisation


def _looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_CONTROL_CHARACTERS) or text.lstrip().startswith(FORMULA_TRIGGERS)


def _neutralise_text(text: str) -> str:
    return "'" + text if _looks_like_formula(text) else text


def _is_never_text(dtype: Any) -> bool:
    return (
        pd.api.types.is_numeric_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
    )


# ----------------------------------------------------------------------------------------------- writing


def _write_release(
    folder: Path, inputs: ReleaseInputs, release_id: str, created_at: datetime, fingerprint: str
) -> dict:
    """Both tiers, then release.json, which names each tier's manifest by hash; returns release.json's contents."""
    stamp = created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    tiers: dict[str, dict] = {}
    for tier in TIERS:
        tier_folder = folder / tier
        tier_folder.mkdir()
        manifest_sha256 = _write_tier(tier_folder, inputs, tier, release_id, created_at, fingerprint)
        _fsync_directory(tier_folder)
        tiers[tier] = {"path": tier, "manifest": f"{tier}/{MANIFEST_FILE}", "manifest_sha256": manifest_sha256}
    record = {
        "wave": inputs.wave,
        "release_id": release_id,
        "created_at": stamp,
        "content_fingerprint": fingerprint,
        # Also here, so that whoever asks what a release was made from (the weekly refresh) reads one file.
        "code_version": inputs.code_version,
        "snapshot_id": inputs.snapshot_id,
        "codebook_sha256": inputs.codebook_sha256,
        "sources": inputs.sources,
        "tiers": tiers,
    }
    text = json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False, default=_json_default) + "\n"
    _write_file(folder / RELEASE_FILE, text.encode("utf-8"))
    return json.loads(text)


def _write_tier(
    folder: Path, inputs: ReleaseInputs, tier: str, release_id: str, created_at: datetime, fingerprint: str
) -> str:
    """Every file of one tier, its manifest last; returns the manifest's SHA-256."""
    tier_inputs = inputs.tiers[tier]
    sheets = _sheet_names(name for name, frame in tier_inputs.tables.items() if len(frame) <= WORKBOOK_MAX_ROWS)
    tables: dict[str, dict] = {}
    for name in sorted(tier_inputs.tables):
        frame = tier_inputs.tables[name]
        tables[name] = {
            "parquet": f"{name}.parquet",
            "parquet_sha256": _write_file(folder / f"{name}.parquet", _parquet_bytes(name, frame)),
            "csv": f"{name}.csv",
            "csv_sha256": _write_file(folder / f"{name}.csv", _csv_bytes(frame)),
            "sheet": sheets.get(name),  # None: too long for the workbook, see the Parquet and CSV files
            "rows": len(frame),
            "columns": list(frame.columns),
        }
    manifest = {
        "wave": inputs.wave,
        "release_id": release_id,
        "tier": _tier_block(tier, inputs.disclosure_parameters, sorted(tier_inputs.tables)),
        "created_at": created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "code_version": inputs.code_version,
        "snapshot_id": inputs.snapshot_id,
        "codebook_sha256": inputs.codebook_sha256,
        "content_fingerprint": fingerprint,  # the release's, over both tiers
        "sources": inputs.sources,
        "disclosure_parameters": inputs.disclosure_parameters,
        "risk_report": tier_inputs.risk_report,
        "formula_neutralisation": NEUTRALISATION_NOTE,
        "software": {package: version(package) for package in ("pandas", "pyarrow", "openpyxl")},
        "tables": tables,
    }
    workbook_file = f"verkenning_{inputs.wave}_{release_id}_{tier}.xlsx"
    workbook = _workbook_bytes(inputs, tier, manifest, sheets, created_at)
    manifest["workbook"] = {"file": workbook_file, "sha256": _write_file(folder / workbook_file, workbook)}
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False, default=_json_default) + "\n"
    return _write_file(folder / MANIFEST_FILE, text.encode("utf-8"))


def _tier_block(tier: str, parameters: dict, tables: list[str]) -> dict:
    """The manifest's "tier": English beside the Dutch of the Toelichting."""
    english = tier_description(tier, parameters, tables, "en")
    return {
        "name": tier,
        "audience": english["audience"],
        "protects_against": english["protects_against"],
        "does_not_protect_against": english["does_not_protect_against"],
        "before_handing_over": english["before_handing_over"],
        "contents": english["contents"],
        "nl": tier_description(tier, parameters, tables, "nl"),
    }


def _write_file(path: Path, data: bytes) -> str:
    """Write, flush to disk and make read-only (a steward pressing Save must not change a release)."""
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(0o444)
    return hashlib.sha256(data).hexdigest()


def _fsync_directory(path: Path) -> None:
    # The rename is durable only once the folder's own entry list is on disk; Windows cannot open a folder.
    if os.name != "posix":
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_leftover_temporary_folders(wave_dir: Path) -> None:
    """Folders of a publication that was killed before it could clean up (the single-writer pool makes this safe)."""
    for child in wave_dir.iterdir():
        if child.name.startswith(TEMPORARY_PREFIX) and child.is_dir():
            shutil.rmtree(child)


def _read_latest_record(release: Path) -> dict:
    try:
        return read_release_record(release)
    except (OSError, ValueError) as error:
        raise ValueError(
            f"{release}: the {RELEASE_FILE} of the latest release cannot be read ({error}). Releases are never "
            "changed by the pipeline: restore this folder from a backup before publishing again."
        ) from error


def _parquet_bytes(name: str, frame: pd.DataFrame) -> bytes:
    """Parquet without the index; pyarrow writes the same bytes for the same table and library versions."""
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise ValueError(f"table {name!r} cannot be written as Parquet: {error}") from error
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer)
    return buffer.getvalue().to_pybytes()


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    text = neutralise_formulas(frame).to_csv(index=False, na_rep="", lineterminator="\n")
    return text.encode("utf-8")


# ---------------------------------------------------------------------------------------------- workbook


def _sheet_names(tables: Iterable[str]) -> dict[str, str]:
    """Sheet name per table: at most 31 characters, unique as Excel compares them (ignoring case)."""
    taken = {EXPLANATION_SHEET.casefold()}
    names: dict[str, str] = {}
    for table in sorted(tables):
        candidate, counter = table[:EXCEL_SHEET_NAME_LENGTH], 1
        while candidate.casefold() in taken:
            counter += 1
            suffix = f"~{counter}"
            candidate = table[: EXCEL_SHEET_NAME_LENGTH - len(suffix)] + suffix
        taken.add(candidate.casefold())
        names[table] = candidate
    return names


def _workbook_bytes(
    inputs: ReleaseInputs, tier: str, manifest: dict, sheets: dict[str, str], created_at: datetime
) -> bytes:
    tier_inputs = inputs.tiers[tier]
    workbook = Workbook(write_only=True)
    stamp = created_at.replace(tzinfo=None)  # openpyxl stores document times as naive UTC
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "verkenning"
    workbook.properties.title = (
        f"Verkenning AI in de culturele sector, golf {inputs.wave}, {manifest['release_id']}, "
        f"{manifest['tier']['nl']['label']}"
    )

    explanation = workbook.create_sheet(EXPLANATION_SHEET)
    for column, width in (("A", 34), ("B", 90), ("C", 40)):
        explanation.column_dimensions[column].width = width
    for row in _explanation_rows(inputs, tier, manifest):
        explanation.append([_styled(explanation, value) for value in row])

    for name in sorted(sheets):
        sheet = workbook.create_sheet(sheets[name])
        sheet.freeze_panes = "A2"
        frame = tier_inputs.tables[name]
        sheet.append([_styled(sheet, _Heading(column)) for column in frame.columns])
        # Every value passes _excel_value, which neutralises text exactly as the CSV does.
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_excel_value(value) for value in row])

    buffer = io.BytesIO()
    # Not workbook.save(): it stamps "modified" with the current time; the release's time is the right one.
    with _ZipWithFixedTimes(buffer, created_at) as archive:
        ExcelWriter(workbook, archive).save()
    return buffer.getvalue()


@dataclass(frozen=True)
class _Heading:
    text: str


@dataclass(frozen=True)
class _Paragraph:
    text: str


def _styled(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, _Heading):
        cell = WriteOnlyCell(sheet, value=_excel_value(value.text))
        cell.font = Font(bold=True)
        return cell
    if isinstance(value, _Paragraph):
        cell = WriteOnlyCell(sheet, value=_excel_value(value.text))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell
    return _excel_value(value)


def _explanation_rows(inputs: ReleaseInputs, tier: str, manifest: dict) -> list[list[Any]]:
    """The Toelichting sheet: first which tier this is and how to hand it over, then where it comes from, how it
    was protected, and what each column means."""
    tier_inputs = inputs.tiers[tier]
    texts = manifest["tier"]["nl"]
    release_id = manifest["release_id"]
    rows: list[list[Any]] = [
        [_Heading(f"Verkenning AI in de culturele sector: golf {inputs.wave}, release {release_id}, laag {texts['label']}")],
    ]
    # A steward who opens the workbook reads before anything else who may receive it and what to do first.
    for key, heading in TIER_SECTION_HEADINGS.items():
        rows += [[], [_Heading(heading)]]
        text = texts[key]
        if isinstance(text, list):
            numbered = key == "before_handing_over"
            rows += [[f"{number}." if numbered else "", _Paragraph(line)] for number, line in enumerate(text, 1)]
        else:
            rows.append(["", _Paragraph(text)])
    rows += [
        [],
        [_Heading("Over deze release")],
        ["Golf", inputs.wave],
        ["Release", release_id],
        ["Laag", f"{texts['label']}: map {tier}/"],
        ["Aangemaakt (UTC)", manifest["created_at"]],
        ["Codeversie", inputs.code_version or "onbekend"],
        ["DuckLake-snapshot", "onbekend" if inputs.snapshot_id is None else inputs.snapshot_id],
        ["Codeboek (SHA-256)", inputs.codebook_sha256],
        ["Inhoudsvingerafdruk (SHA-256)", manifest["content_fingerprint"]],
    ]
    explanation = tier_inputs.explanation
    extra_keys = [key for key in explanation if key not in EXPLANATION_HEADINGS]
    for key in [*EXPLANATION_HEADINGS, *extra_keys]:
        if key not in explanation and key != "sources":
            continue
        rows += [[], [_Heading(EXPLANATION_HEADINGS.get(key, key))]]
        if key in explanation:
            rows.append(["", _Paragraph(explanation[key])])
        if key == "sources":
            rows += _source_rows(inputs.sources)

    rows += [[], [_Heading("Openbaarmakingsparameters")], *_flattened(inputs.disclosure_parameters)]
    rows += [[], [_Heading("Risicorapport van deze laag")], *_flattened(tier_inputs.risk_report)]
    rows += [[], [_Heading("Formules in tekstcellen")], ["", _Paragraph(NEUTRALISATION_NOTE)]]

    rows += [[], [_Heading("Tabellen")]]
    for name, entry in manifest["tables"].items():
        frame = tier_inputs.tables[name]
        descriptions = tier_inputs.column_descriptions.get(name, {})
        rows += [
            [],
            [_Heading(f"Tabel {name}")],
            ["Omschrijving", _Paragraph(tier_inputs.table_descriptions.get(name, ""))],
            ["Rijen", entry["rows"]],
            ["Bestanden", f"{entry['parquet']}, {entry['csv']}; " + (
                f"werkblad {entry['sheet']}" if entry["sheet"] else
                f"geen werkblad (meer dan {WORKBOOK_MAX_ROWS} rijen: gebruik het Parquet- of CSV-bestand)"
            )],
            [_Heading("Kolom"), _Heading("Omschrijving"), _Heading("Type")],
        ]
        rows += [
            [column, _Paragraph(descriptions.get(column, "")), str(dtype)]
            for column, dtype in zip(frame.columns, frame.dtypes)
        ]
    return rows


def _source_rows(sources: list[dict]) -> list[list[Any]]:
    keys: list[str] = []
    for source in sources:
        keys += [key for key in source if key not in keys]
    labels = {"name": "Bestand", "sha256": "SHA-256", "rows": "Rijen"}
    header = [_Heading(labels.get(key, key)) for key in keys]
    return [header, *[[_plain(source.get(key)) for key in keys] for source in sources]]


def _flattened(mapping: dict, prefix: str = "") -> list[list[Any]]:
    """Nested settings as rows of (path, value), e.g. ("cells_suppressed › question_frequencies › primary", 12)."""
    rows: list[list[Any]] = []
    for key, value in mapping.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            rows += _flattened(value, f"{path} › ")
        else:
            rows.append([path, _plain(value)])
    return rows


def _plain(value: Any) -> Any:
    """A cell value for a setting: lists and empty mappings as text, everything else as it is."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return _canonical_json(value)
    return value


def _excel_value(value: Any) -> Any:
    """A value openpyxl writes as data: text neutralised (openpyxl would store "=..." as a formula), missing empty."""
    if isinstance(value, str):
        # Control characters are not allowed in XML; the replacement character shows that one was there.
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", _neutralise_text(value))
    if _is_missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):  # numpy 2 names its boolean type "bool", not "bool_"
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else repr(number)
    if isinstance(value, datetime):
        moment = pd.Timestamp(value)
        if moment.tzinfo is not None:  # Excel has no time zones: UTC, as everywhere in a release
            moment = moment.tz_convert("UTC").tz_localize(None)
        return moment.to_pydatetime()
    if isinstance(value, date):
        return value
    return _excel_value(str(value))


class _ZipWithFixedTimes(zipfile.ZipFile):
    """A zip whose entries all carry the release's time, so the workbook's bytes depend on its contents alone."""

    def __init__(self, file: io.BytesIO, moment: datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._date_time = moment.timetuple()[:6]

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            entry = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            entry.compress_type = self.compression
            entry.external_attr = 0o600 << 16
            zinfo_or_arcname = entry
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        # openpyxl copies write-only sheets from temporary files, whose modification times would end up here.
        name = arcname or os.path.basename(filename)
        self.writestr(name, Path(filename).read_bytes(), compress_type, compresslevel)


# ------------------------------------------------------------------------------------------- verification


def _verify_tiered_release(path: Path) -> list[str]:
    record_path = path / RELEASE_FILE
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"{record_path}: cannot be read ({error})"]
    problems: list[str] = []
    tiers = record.get("tiers") if isinstance(record.get("tiers"), dict) else {}
    for unknown in sorted(set(tiers) - set(TIERS)):
        problems.append(f"{record_path}: names an unknown tier {unknown!r}")
    for tier in TIERS:
        entry = tiers.get(tier)
        if not entry:
            problems.append(f"{record_path}: the {tier} tier is not listed")
            continue
        if entry.get("path") != tier or entry.get("manifest") != f"{tier}/{MANIFEST_FILE}":
            # Never follow a path from the file: a changed release.json must not send the check elsewhere.
            problems.append(f"{record_path}: the {tier} tier must be in {tier}/ with {tier}/{MANIFEST_FILE}")
            continue
        folder = tier_path(path, tier)
        if not folder.is_dir():
            problems.append(f"{folder}: listed in {RELEASE_FILE} but missing")
            continue
        problems += _check_file(path, f"{tier}/{MANIFEST_FILE}", entry.get("manifest_sha256"), None, None)
        tier_problems, manifest = _verify_folder(folder)
        problems += tier_problems
        if manifest is None:
            continue
        if (manifest.get("tier") or {}).get("name") != tier:
            problems.append(f"{folder / MANIFEST_FILE}: is not the manifest of the {tier} tier")
        for key in ("wave", "release_id", "content_fingerprint"):
            if manifest.get(key) != record.get(key):
                problems.append(
                    f"{folder / MANIFEST_FILE}: {key} is {manifest.get(key)!r}, {RELEASE_FILE} says {record.get(key)!r}"
                )
    for unlisted in sorted({child.name for child in path.iterdir()} - {RELEASE_FILE, *TIERS}):
        problems.append(f"{path / unlisted}: not listed in {RELEASE_FILE}")
    return problems


def _verify_folder(path: Path) -> tuple[list[str], dict | None]:
    """A tier (or a release from before tiers) against its manifest; the problems, and the manifest if readable."""
    manifest_path = path / MANIFEST_FILE
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"{manifest_path}: the manifest is missing"], None
    except (OSError, ValueError) as error:
        return [f"{manifest_path}: the manifest cannot be read ({error})"], None

    problems: list[str] = []
    tier = (manifest.get("tier") or {}).get("name")
    if "tier" in manifest and tier not in TIERS:
        problems.append(f"{manifest_path}: names an unknown tier {tier!r}")
    listed = {MANIFEST_FILE}
    for table, entry in sorted(manifest.get("tables", {}).items()):
        if tier == "public":
            # The same rule as when publishing: a public folder with microdata must not pass as handed-over-able.
            problem = _microdata_in_public(table, list(entry.get("columns") or []))
            if problem:
                problems.append(f"{manifest_path}: {problem}")
        for kind, count_rows in (("parquet", _parquet_rows), ("csv", _csv_rows)):
            file_name = entry.get(kind)
            if not file_name:
                problems.append(f"{manifest_path}: table {table!r} names no {kind} file")
                continue
            listed.add(file_name)
            problems += _check_file(path, file_name, entry.get(f"{kind}_sha256"), entry.get("rows"), count_rows)
    workbook = manifest.get("workbook", {})
    if workbook.get("file"):
        listed.add(workbook["file"])
        problems += _check_file(path, workbook["file"], workbook.get("sha256"), None, None)
    else:
        problems.append(f"{manifest_path}: the manifest names no workbook")
    for unlisted in sorted({child.name for child in path.iterdir()} - listed):
        problems.append(f"{path / unlisted}: not listed in the manifest")
    return problems, manifest


def _check_file(
    folder: Path,
    file_name: str,
    expected_sha256: str | None,
    expected_rows: int | None,
    count_rows: Callable[[Path], int] | None,
) -> list[str]:
    path = folder / file_name
    if not path.is_file():
        return [f"{path}: listed in the manifest but missing"]
    problems: list[str] = []
    with open(path, "rb") as handle:
        actual = hashlib.file_digest(handle, "sha256").hexdigest()
    if actual != expected_sha256:
        problems.append(f"{path}: SHA-256 is {actual}, the manifest says {expected_sha256}")
    if count_rows is not None:
        try:
            rows = count_rows(path)
        except (OSError, ValueError, csv.Error, pa.ArrowException) as error:
            return [*problems, f"{path}: cannot be read ({error})"]
        if rows != expected_rows:
            problems.append(f"{path}: {rows} rows, the manifest says {expected_rows}")
    return problems


def _parquet_rows(path: Path) -> int:
    return pq.read_metadata(path).num_rows


def _csv_rows(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)  # the header is not a row of data
