"""The shared deployment, proved on a real PostgreSQL server: the Dagster instance (`dagster-postgres`) and the
DuckLake catalog (`VERKENNING_DUCKLAKE_CATALOG=postgres:...`) on one throwaway cluster of Debian's PostgreSQL that
this module starts and stops, the code unchanged. Several waves run at once, each in its own process, as the
sensor or the UI would start them; the writers share the pool `ducklake_writer` limited to one (`concurrency: pools:
default_limit: 1`), as the README asks of a shared instance."""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from assets.partitions import waves
from conftest import PROJECT_ROOT, SAMPLE_WAVE_DIR, TEST_PSEUDONYM_KEY
from pipelines.resources import LAKE_CATALOG_VARIABLE, LAKE_DATA_PATH_VARIABLE, LAKE_WRITER_POOL, lake_location
from test_reliability import PYTHON, RUN_ONE_WAVE
from verkenning.lake import LakeLocation, connect, lake_tables, lock_file, read_wave
from verkenning.release import list_releases

SUPERUSER = "verkenning"
# The steps that write to the lake, which the pool `ducklake_writer` lets run one at a time across runs.
WRITER_STEPS = {"analysis__wave_tables", "release__wave_release"}


def _postgres_bin() -> Path | None:
    """The bin folder of the newest PostgreSQL that Debian's `postgresql` package installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3].split(".")[0]))
    return Path(found[-1]).parent if found else None


@dataclass(frozen=True)
class Cluster:
    port: int
    password: str
    host: str = "127.0.0.1"

    def connect(self, dbname: str = "postgres"):
        import psycopg2

        return psycopg2.connect(host=self.host, port=self.port, user=SUPERUSER, password=self.password, dbname=dbname)

    def create_database(self, name: str) -> str:
        connection = self.connect()
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        return name

    def ducklake_catalog(self, dbname: str) -> str:
        # No password in the catalog string: libpq takes it from PGPASSWORD, as a secret store would hand it over.
        return f"postgres:dbname={dbname} host={self.host} port={self.port} user={SUPERUSER}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster in a temporary folder, on 127.0.0.1 at a free port (its socket in the folder),
    password authentication; stopped and removed at the end of the module, also when a test failed. initdb refuses
    to run as root, so as root the server runs as the `postgres` user that Debian's package created."""
    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run `make postgres` (as root "
                    "or with sudo) to install Debian's postgresql")
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no `postgres` user to run PostgreSQL as (initdb refuses root)")
        as_user = ["runuser", "-u", "postgres", "--"]
    # Not under pytest's tmp_path: that lies in a folder of root's that the postgres user cannot enter.
    folder = Path(tempfile.mkdtemp(prefix="verkenning-postgres-"))
    data, log, password_file = folder / "data", folder / "server.log", folder / "password"
    password = secrets.token_urlsafe(24)
    password_file.write_text(password + "\n", encoding="utf-8")
    if owner is not None:
        for path in (folder, password_file):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    os.chmod(password_file, 0o600)

    def run(*command: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*as_user, *command], cwd=folder, capture_output=True, text=True, timeout=120,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
        )

    def server_log() -> str:
        return log.read_text(encoding="utf-8", errors="replace")[-3000:] if log.exists() else "(no server log)"

    try:
        made = run(str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, f"--pwfile={password_file}",
                   "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-sync")
        assert made.returncode == 0, f"initdb failed:\n{made.stdout}\n{made.stderr}"
        for attempt in range(3):  # a port found free can be taken by someone else before the server binds it
            port = _free_port()
            options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            started = run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")
            if started.returncode == 0:
                break
        assert started.returncode == 0, f"pg_ctl start failed:\n{started.stdout}\n{started.stderr}\n{server_log()}"
        yield Cluster(port=port, password=password)
    finally:
        if (data / "postmaster.pid").exists():
            stopped = run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop")
            if stopped.returncode != 0:
                run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _shared_home(home: Path, cluster: Cluster, dbname: str) -> Path:
    """A DAGSTER_HOME of a shared deployment: runs, events and schedules on PostgreSQL, the lake's writers one at a
    time, no telemetry. The password comes from the environment (PGPASSWORD), not from the file. The scheme names
    the driver dagster-postgres installs (psycopg2-binary): SQLAlchemy 2.1 reads a bare `postgresql://` as psycopg 3,
    which is not installed."""
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text(
        textwrap.dedent(
            f"""\
            telemetry:
              enabled: false
            nux:
              enabled: false
            storage:
              postgres:
                postgres_db:
                  hostname: {cluster.host}
                  port: {cluster.port}
                  username: {SUPERUSER}
                  password:
                    env: PGPASSWORD
                  db_name: {dbname}
                  scheme: postgresql+psycopg2
            concurrency:
              pools:
                default_limit: 1
            """
        ),
        encoding="utf-8",
    )
    return home


def _run_waves_at_once(tmp_path: Path, cluster: Cluster, names: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    tag = tmp_path.name.replace("-", "_").lower()[-40:]
    dagster_db = cluster.create_database(f"dagster_{tag}")
    lake_db = cluster.create_database(f"lake_{tag}")
    data_dir = tmp_path / "data"
    for name in names:
        shutil.copytree(SAMPLE_WAVE_DIR, data_dir / "inbox" / name)
    lake_data = tmp_path / "lake_files"  # stands in for object storage
    settings = {
        "PGPASSWORD": cluster.password,
        LAKE_CATALOG_VARIABLE: cluster.ducklake_catalog(lake_db),
        LAKE_DATA_PATH_VARIABLE: f"{lake_data}/",
    }
    for variable, value in settings.items():
        monkeypatch.setenv(variable, value)
    home = _shared_home(tmp_path / "dagster_home", cluster, dagster_db)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.add_dynamic_partitions(waves.name, names)

    environment = {
        **os.environ, "DAGSTER_HOME": str(home), "VERKENNING_DATA_DIR": str(data_dir),
        "VERKENNING_PSEUDONYM_KEY": TEST_PSEUDONYM_KEY, "PYTHONPATH": str(PROJECT_ROOT), "GX_ANALYTICS_ENABLED": "false",
        **settings,
    }
    started = time.monotonic()
    runs = [
        subprocess.Popen(
            [PYTHON, "-c", RUN_ONE_WAVE, str(data_dir), name], cwd=PROJECT_ROOT, env=environment,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        for name in names
    ]
    try:
        outputs = [run.communicate(timeout=900)[0] for run in runs]
    finally:
        for run in runs:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)
    print(f"{len(names)} waves at once on PostgreSQL: {time.monotonic() - started:.0f} s")
    for name, run, output in zip(names, runs, outputs):
        assert run.returncode == 0, f"wave {name}:\n{output[-4000:]}"

    # Dagster: every run recorded in PostgreSQL and successful; the writers never overlapped (the pool held).
    with dg.DagsterInstance.from_config(str(home)) as instance:
        recorded = instance.get_runs()
        assert sorted(run.tags.get("wave") for run in recorded) == sorted(names)
        assert {run.status for run in recorded} == {dg.DagsterRunStatus.SUCCESS}
        assert instance.event_log_storage.get_concurrency_info(LAKE_WRITER_POOL).slot_count == 1
        intervals = []
        for run in recorded:
            for step in instance.get_run_step_stats(run.run_id):
                if step.step_key in WRITER_STEPS:
                    intervals.append((step.start_time, step.end_time, run.tags["wave"], step.step_key))
        assert len(intervals) == len(WRITER_STEPS) * len(names)
        intervals.sort()
        for earlier, later in zip(intervals, intervals[1:]):
            assert earlier[1] <= later[0], f"lake writers overlapped: {earlier} and {later}"

    # Releases on disk, and the lake on PostgreSQL holds every wave's rows (nothing fell back to the embedded one).
    location = lake_location(str(data_dir))
    assert location.catalog == settings[LAKE_CATALOG_VARIABLE] and lock_file(location) is None
    assert not (data_dir / "analysis" / "catalog.sqlite").exists()
    assert {"question_frequencies", "anonymised_respondents", "releases"} <= set(lake_tables(location))
    with connect(location) as connection:
        for name in names:
            assert list_releases(data_dir / "releases", name) == ["r1"]
            assert not read_wave(connection, "question_frequencies", name).empty
            assert not read_wave(connection, "anonymised_respondents", name).empty
            recorded_releases = connection.execute("SELECT release_id FROM lake.releases WHERE wave = ?", [name]).fetchall()
            assert recorded_releases == [("r1",)]
        respondents = connection.execute("SELECT wave, count(*) FROM lake.anonymised_respondents GROUP BY wave").fetchall()
    counts = dict(respondents)
    assert sorted(counts) == sorted(names) and len(set(counts.values())) == 1  # copies of one wave: equal counts
    assert any(lake_data.rglob("*.parquet"))


# Attach a lake when told to (a line on stdin), after the imports, so that every process attaches at the same moment.
ATTACH_AT_ONCE = textwrap.dedent(
    """
    import sys
    from verkenning.lake import LakeLocation, connect
    location = LakeLocation(catalog=sys.argv[1], data_path=sys.argv[2])
    print("ready", flush=True)
    sys.stdin.readline()
    with connect(location) as connection:
        print("snapshots", connection.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0], flush=True)
    """
)


def test_processes_attaching_a_new_catalog_at_once_all_succeed(postgres_cluster, tmp_path, monkeypatch):
    """The first attach of an empty catalog creates DuckLake's tables; processes doing it at once race, and the
    losers attach again (verkenning/lake.py) instead of failing on a duplicate key."""
    monkeypatch.setenv("PGPASSWORD", postgres_cluster.password)
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    processes = []
    for catalog in range(3):
        dbname = postgres_cluster.create_database(f"race_{catalog}_{tmp_path.name.replace('-', '_').lower()[-30:]}")
        location = LakeLocation(catalog=postgres_cluster.ducklake_catalog(dbname), data_path=f"{tmp_path / str(catalog)}/")
        processes += [
            subprocess.Popen(
                [PYTHON, "-c", ATTACH_AT_ONCE, location.catalog, location.data_path], cwd=PROJECT_ROOT, env=environment,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
            for _ in range(3)
        ]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "ready", process.communicate(timeout=60)[0]
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        outputs = [process.communicate(timeout=120)[0] for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    for process, output in zip(processes, outputs):
        assert process.returncode == 0 and "snapshots" in output, output[-3000:]


# Three at once: a test of two would add a minute to every CI run and cover nothing three does not.
@pytest.mark.parametrize("names", [["2024-01", "2024-02", "2024-03"]], ids=["three"])
def test_waves_at_once_succeed_on_postgresql(names, postgres_cluster, tmp_path, monkeypatch):
    """Copies of the sample wave, each run by `process_wave` in its own process against one shared instance and lake."""
    _run_waves_at_once(tmp_path, postgres_cluster, names, monkeypatch)
