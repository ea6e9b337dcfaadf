"""The analysis zone's versioned tables: a DuckLake catalog (a catalog plus Parquet files, with snapshots).

Embedded default: the catalog in a SQLite file and the Parquet data under <data>/analysis/. A shared
deployment points the catalog at PostgreSQL (`postgres:dbname=... host=...`) and the data at object
storage by configuration alone. Extensions are loaded from the project's extension directory (filled
by `make setup` from PyPI packages), never downloaded.

Every write replaces one wave's rows of one table in a single transaction, which DuckLake records as
one snapshot; any earlier snapshot can be read back with `AT (VERSION => n)`.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from verkenning.environment import DUCKDB_EXTENSION_DIR

LAKE = "lake"
ROW_ORDER = "_row_order"
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class LakeLocation:
    catalog: str  # "sqlite:<file>", "postgres:<connection string>" or "duckdb:<file>"
    data_path: str
    embedded_default: bool = False

    @classmethod
    def embedded(cls, analysis_dir: Path) -> "LakeLocation":
        analysis_dir = Path(analysis_dir)
        return cls(
            catalog=f"sqlite:{analysis_dir / 'catalog.sqlite'}", data_path=f"{analysis_dir / 'lake'}/", embedded_default=True
        )


def _table_name(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"{name!r} is not a valid table name (lower case letters, digits and _)")
    return name


# For a catalog on a server (PostgreSQL): one open connection per process, kept for the next use (attaching costs
# about 0.25 s). A process forked from this one never reuses it (the process id is part of the key); a use while it
# is in use (nested, or from another thread) gets a connection of its own; an error inside a use closes it, so no
# broken transaction is handed to the next one. An embedded catalog gets a fresh connection per use (see connect).
_kept: tuple[tuple[int, LakeLocation, Path], duckdb.DuckDBPyConnection] | None = None
_kept_lock = threading.Lock()


# An embedded catalog is a SQLite file, and SQLite lets one process at a time commit: a second one (a second
# wave, the same wave twice, the UI beside `make run`) fails with "database is locked", readers included. So
# every use of an embedded catalog, reading or writing, holds an exclusive lock on a file beside it. The kernel
# drops the lock of a process that dies, even by kill -9, so a killed run never leaves the next one waiting (a
# Dagster pool slot would stay claimed). Waiting polls, so a waiting run still ends on SIGTERM or Ctrl-C.
_held = threading.RLock()
_held_depth = 0
_held_file: int | None = None
LOCK_POLL_SECONDS = 0.2
_log = logging.getLogger(__name__)


def lock_file(location: LakeLocation) -> Path | None:
    """The file whose lock guards an embedded catalog; None for a catalog on a server (PostgreSQL)."""
    kind, _, path = location.catalog.partition(":")
    return Path(path + ".lock") if kind in ("sqlite", "duckdb") else None


@contextmanager
def catalog_lock(location: LakeLocation) -> Iterator[None]:
    """Hold the catalog's lock: reentrant within a process (a nested use does not wait for itself)."""
    global _held_depth, _held_file
    path = lock_file(location)
    if path is None:
        yield
        return
    with _held:
        if _held_depth == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                _wait_for(descriptor, path)
            except BaseException:
                os.close(descriptor)
                raise
            os.ftruncate(descriptor, 0)
            os.write(descriptor, f"{os.getpid()}\n".encode())
            _held_file = descriptor
        _held_depth += 1
        try:
            yield
        finally:
            _held_depth -= 1
            if _held_depth == 0 and _held_file is not None:
                fcntl.flock(_held_file, fcntl.LOCK_UN)
                os.close(_held_file)
                _held_file = None


def _wait_for(descriptor: int, path: Path) -> None:
    said = False
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if not said:
                holder = path.read_text(encoding="utf-8").strip() if path.exists() else "?"
                _log.info("waiting for the analysis zone: process %s is using it (%s)", holder or "?", path)
                said = True
            time.sleep(LOCK_POLL_SECONDS)


@contextmanager
def connect(location: LakeLocation, extension_dir: Path = DUCKDB_EXTENSION_DIR) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection with the lake attached as `lake`, extensions loaded offline; the catalog's lock is held
    while it is in use."""
    with catalog_lock(location):
        if lock_file(location) is None:
            with _connection(location, extension_dir) as connection:
                yield connection
            return
        # Not kept for the next use: an idle connection to a SQLite catalog can keep SQLite's own read lock,
        # and another process's commit then fails with "database is locked" even though it holds our lock.
        connection = _open(location, extension_dir)
        try:
            yield connection
        except BaseException:
            # A write that failed (a full disk, a killed transaction) may have left data files that no snapshot
            # names; while we hold the lock no other process writes, so every such file is an orphan.
            with contextlib.suppress(duckdb.Error):
                connection.execute("ROLLBACK")
            with contextlib.suppress(duckdb.Error):
                connection.execute(f"CALL ducklake_delete_orphaned_files('{LAKE}', cleanup_all => true)")
            raise
        finally:
            connection.close()


@contextmanager
def _connection(location: LakeLocation, extension_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    global _kept
    if not _kept_lock.acquire(blocking=False):
        connection = _open(location, extension_dir)
        try:
            yield connection
        finally:
            connection.close()
        return
    try:
        key = (os.getpid(), location, Path(extension_dir))
        if _kept is not None and _kept[0] != key:
            if _kept[0][0] == os.getpid():
                _kept[1].close()
            _kept = None
        if _kept is None:
            _kept = (key, _open(location, extension_dir))
        try:
            yield _kept[1]
        except BaseException:
            _kept[1].close()
            _kept = None
            raise
    finally:
        _kept_lock.release()


# The first ATTACH of an empty catalog on a server creates DuckLake's tables in it. Two processes doing that at once
# (two waves' first use of a new shared catalog) race: the loser's CREATE TABLE fails with "duplicate key value
# violates unique constraint" or "already exists" once the winner has committed. The winner made the whole catalog
# in one transaction, so attaching again simply finds it. (An embedded catalog never races: its lock is held.)
ATTACH_ATTEMPTS = 5
ATTACH_RETRY_SECONDS = 0.2


def _lost_initialisation_race(error: duckdb.Error) -> bool:
    message = str(error)
    return "Failed to initialize DuckLake" in message and ("duplicate key" in message or "already exists" in message)


def _open(location: LakeLocation, extension_dir: Path) -> duckdb.DuckDBPyConnection:
    if location.catalog.startswith("sqlite:"):
        Path(location.catalog.removeprefix("sqlite:")).parent.mkdir(parents=True, exist_ok=True)
    if "://" not in location.data_path:
        Path(location.data_path).mkdir(parents=True, exist_ok=True)
    attempt = 1
    while True:
        try:
            return _open_once(location, extension_dir)
        except duckdb.Error as error:
            if attempt >= ATTACH_ATTEMPTS or lock_file(location) is not None or not _lost_initialisation_race(error):
                raise
            _log.info("another process was creating the DuckLake catalog at the same time: attaching again")
            time.sleep(ATTACH_RETRY_SECONDS * attempt)
            attempt += 1


def _open_once(location: LakeLocation, extension_dir: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(
        config={
            "extension_directory": str(extension_dir),
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
    )
    try:
        connection.execute("LOAD ducklake")
        kind = location.catalog.split(":", 1)[0]
        if kind in ("sqlite", "postgres"):
            connection.execute(f"LOAD {kind}")
        # The embedded lake moves with its data folder: its files are stored relative to the data path,
        # so the data path given now wins over the one recorded when the catalog was made.
        override = ", OVERRIDE_DATA_PATH TRUE" if location.embedded_default else ""
        connection.execute(
            f"ATTACH 'ducklake:{location.catalog}' AS {LAKE} (DATA_PATH '{location.data_path}'{override})"
        )
    except Exception:
        connection.close()
        raise
    return connection


def replace_wave(connection: duckdb.DuckDBPyConnection, table: str, wave: str, frame: pd.DataFrame) -> int:
    """Replace one wave's rows of a table (created from the frame's columns when new); returns the snapshot id."""
    table = _table_name(table)
    if "wave" not in frame.columns:
        frame = frame.assign(wave=wave)[["wave", *frame.columns]]
    # Rows come back in the order they were written: tables are published in a deterministic order.
    return _write(connection, table, frame.assign(**{ROW_ORDER: range(len(frame))}), replace_wave=wave)


def replace_wave_tables(connection: duckdb.DuckDBPyConnection, wave: str, tables: dict[str, pd.DataFrame]) -> int:
    """Replace one wave's rows of several tables in a single transaction, so one snapshot: readers see all of the
    wave's new tables or none of them. Returns the snapshot id."""
    frames = {}
    for table, frame in tables.items():
        if "wave" not in frame.columns:
            frame = frame.assign(wave=wave)[["wave", *frame.columns]]
        frames[_table_name(table)] = frame.assign(**{ROW_ORDER: range(len(frame))})
    return _write_all(connection, frames, replace_wave=wave)


def _write(connection: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, replace_wave: str | None) -> int:
    return _write_all(connection, {table: frame}, replace_wave)


def _write_all(connection: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame], replace_wave: str | None) -> int:
    """One transaction, so one snapshot: create each table when new, add columns it lacks, drop the wave's old
    rows, insert."""
    try:
        connection.execute("BEGIN")
        for table, frame in frames.items():
            # As an Arrow table: DuckDB reads Arrow columns without a copy (the text columns are Arrow already).
            connection.register("incoming", pa.Table.from_pandas(_text_as_text(frame), preserve_index=False))
            try:
                connection.execute(f"CREATE TABLE IF NOT EXISTS {LAKE}.{table} AS SELECT * FROM incoming WHERE false")
                _add_missing_columns(connection, table)
                if replace_wave is not None:
                    connection.execute(f"DELETE FROM {LAKE}.{table} WHERE wave = ?", [replace_wave])
                try:
                    connection.execute(f"INSERT INTO {LAKE}.{table} BY NAME SELECT * FROM incoming")
                except duckdb.ConversionException as error:
                    raise ValueError(
                        f"analysis zone table {table!r} has other column types than this wave's rows ({error}). It was "
                        "probably made by an earlier version from an empty table: drop it (DROP TABLE lake."
                        f"{table}) and run every wave again."
                    ) from error
            finally:
                connection.unregister("incoming")
        connection.execute("COMMIT")
    except Exception:
        # A failed COMMIT has already ended the transaction: keep the original error, not the rollback's.
        with contextlib.suppress(duckdb.Error):
            connection.execute("ROLLBACK")
        raise
    return current_snapshot(connection)


def _text_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns of text (or of nothing at all) typed as text. A column of Python objects is typed by DuckDB from
    its values, so an empty one (a first wave without workshops) would become INTEGER and every later wave's
    text would fail to fit."""
    columns = {}
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
            columns[column] = values.astype("string")
    return frame.assign(**columns) if columns else frame


def _add_missing_columns(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """A column the incoming rows have and the table lacks (a new question, a new measure) is added to it."""
    existing = {
        row[0] for row in connection.execute(
            f"SELECT column_name FROM duckdb_columns() WHERE database_name = '{LAKE}' AND table_name = ?", [table]
        ).fetchall()
    }
    for name, kind, *_ in connection.execute("DESCRIBE SELECT * FROM incoming").fetchall():
        if name not in existing:
            quoted = '"' + name.replace('"', '""') + '"'
            connection.execute(f"ALTER TABLE {LAKE}.{table} ADD COLUMN {quoted} {kind}")


def current_snapshot(connection: duckdb.DuckDBPyConnection) -> int:
    return int(connection.execute(f"SELECT max(snapshot_id) FROM {LAKE}.snapshots()").fetchone()[0])


def read_wave(connection: duckdb.DuckDBPyConnection, table: str, wave: str, snapshot: int | None = None) -> pd.DataFrame:
    """One wave's rows of a table, now or as they were at an earlier snapshot."""
    table = _table_name(table)
    at = f" AT (VERSION => {int(snapshot)})" if snapshot is not None else ""
    frame = connection.execute(
        f"SELECT * FROM {LAKE}.{table}{at} WHERE wave = ? ORDER BY {ROW_ORDER}", [wave]
    ).fetchdf()
    return frame.drop(columns=[ROW_ORDER])


def append_rows(connection: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Add rows to a table that keeps history (e.g. the list of releases); returns the snapshot id."""
    return _write(connection, _table_name(table), frame, replace_wave=None)


def lake_tables(location: LakeLocation) -> list[str]:
    """The tables of the catalog (empty when it does not exist yet)."""
    if location.catalog.startswith("sqlite:") and not Path(location.catalog.removeprefix("sqlite:")).is_file():
        return []
    with connect(location) as connection:
        rows = connection.execute(f"SELECT table_name FROM duckdb_tables() WHERE database_name = '{LAKE}' ORDER BY 1").fetchall()
    return [row[0] for row in rows]
