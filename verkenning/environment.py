"""One-time set-up of an installation, run by `make setup`: everything that would otherwise reach the
network or take minutes during a run is prepared here, offline, once.

- deduce builds its lookup structures on first use (about two minutes): build them now;
- DuckDB extensions come from PyPI packages (`duckdb-extension-*`), not from a download at run time:
  copy them into a project-local extension directory that DuckDB is pointed at;
- a project-local DAGSTER_HOME whose dagster.yaml turns telemetry off.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DUCKDB_EXTENSION_DIR = PROJECT_ROOT / ".duckdb_extensions"
# DuckDB looks for <dir>/<version>/<platform>/<name>.duckdb_extension; the sqlite and postgres extensions'
# files must be called sqlite_scanner and postgres_scanner there.
DUCKDB_EXTENSION_PACKAGES = {
    "duckdb_extension_ducklake": "ducklake",
    "duckdb_extension_sqlite": "sqlite_scanner",
    "duckdb_extension_postgres": "postgres_scanner",  # for a catalog on PostgreSQL (shared deployments)
}
DAGSTER_YAML = """\
# Written by `make setup` (verkenning/environment.py): no telemetry, no first-run tour.
telemetry:
  enabled: false
nux:
  enabled: false
# No pool limit: every use of the embedded DuckLake catalog holds a file lock (verkenning/lake.py), which the
# kernel frees when a run dies; a pool slot of a killed run would stay claimed and make every later run wait.
# A shared deployment (catalog on PostgreSQL) sets `concurrency: pools: default_limit: 1` in its instance.
"""


def prepare_deduce() -> None:
    """Build deduce's lookup structures once per installation (later loads take seconds)."""
    logging.basicConfig(level=logging.WARNING)
    import deduce

    deduce.Deduce()


def duckdb_extension_files() -> dict[str, Path]:
    """The extension files shipped by the pinned duckdb-extension-* packages, by the name DuckDB expects."""
    files = {}
    for package, name in DUCKDB_EXTENSION_PACKAGES.items():
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError(f"the package {package} is not installed: run `make setup`")
        found = sorted(Path(spec.submodule_search_locations[0]).glob("extensions/*/*.duckdb_extension"))
        if not found:
            raise RuntimeError(f"the package {package} holds no .duckdb_extension file")
        files[name] = found[0]
    return files


def prepare_duckdb_extensions(target: Path = DUCKDB_EXTENSION_DIR) -> Path:
    import duckdb

    platform = duckdb.execute("PRAGMA platform").fetchone()[0]
    folder = target / f"v{duckdb.__version__}" / platform
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in duckdb_extension_files().items():
        destination = folder / f"{name}.duckdb_extension"
        if not destination.exists() or destination.stat().st_size != source.stat().st_size:
            shutil.copyfile(source, destination)
    return target


def prepare_dagster_home(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")


def main() -> int:
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster_home")
    prepare_dagster_home(home)
    print(f"setup: Dagster home {home} (telemetry off)")
    print(f"setup: DuckDB extensions in {prepare_duckdb_extensions()}")
    print("setup: building deduce's lookup structures (once per installation, about two minutes)...", flush=True)
    prepare_deduce()
    print("setup: done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
