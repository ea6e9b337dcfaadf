"""Shared fixtures: the bundled sample wave, temporary data folders, and running the real assets on them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from assets.partitions import waves
from pipelines.resources import resources_for
from verkenning.data_folder import DataFolder

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_WAVE = "2024-01"
SAMPLE_WAVE_DIR = PROJECT_ROOT / "data" / "inbox" / SAMPLE_WAVE
SAMPLE_EXPORT = SAMPLE_WAVE_DIR / "survey_export.csv"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data folder with an inbox."""
    folder = tmp_path / "data"
    DataFolder(folder).ensure_zones()
    return folder


@pytest.fixture
def sample_data_dir(data_dir: Path) -> Path:
    """A data folder whose inbox holds a copy of the bundled sample wave."""
    shutil.copytree(SAMPLE_WAVE_DIR, data_dir / "inbox" / SAMPLE_WAVE)
    return data_dir


TEST_PSEUDONYM_KEY = "test-key-of-the-test-suite-never-used-for-real-data"


@pytest.fixture(autouse=True)
def pseudonym_key_for_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixture waves are not the marked sample, so they need a key; tests of a missing key unset it."""
    monkeypatch.setenv("VERKENNING_PSEUDONYM_KEY", TEST_PSEUDONYM_KEY)


OTHER_KNOWN_WAVE = "2099-12"


def materialize_wave(
    data_dir: Path, wave: str = SAMPLE_WAVE, layers: tuple[str, ...] | None = None, **settings: object
) -> dg.ExecuteInProcessResult:
    """Run the assets and checks of the pipeline (or of some layers) for one wave against a data folder."""
    from pipelines.definitions import ALL_ASSET_CHECKS, ALL_ASSETS

    instance = dg.DagsterInstance.ephemeral()
    # Another wave is known too, as in any real instance: a step that is not partitioned by wave (say an asset
    # check) would read every wave's partition and fail, as it does in the UI once a second wave exists.
    instance.add_dynamic_partitions(waves.name, [wave, OTHER_KNOWN_WAVE])
    return dg.materialize(
        [*ALL_ASSETS, *ALL_ASSET_CHECKS],
        selection=dg.AssetSelection.groups(*layers) if layers else None,
        partition_key=wave,
        instance=instance,
        resources=resources_for(data_dir, **settings),
        raise_on_error=False,
    )


def step_error_messages(result: dg.ExecuteInProcessResult) -> list[str]:
    """The messages of the errors that failed steps, innermost cause first where Dagster wrapped them."""
    messages = []
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            chain = []
            while error is not None:
                chain.append(error.message)
                error = error.cause
            messages.append(" | ".join(reversed(chain)))
    return messages


def read_restricted(data_dir: Path, table: str, wave: str = SAMPLE_WAVE, layer: str = "raw") -> pd.DataFrame:
    return pd.read_parquet(DataFolder(data_dir).restricted_table(layer, table, wave))


@pytest.fixture
def wave_with_export(data_dir: Path) -> Callable[[bytes | str, str], Path]:
    """Write an export (bytes or text) into a new wave folder of the data folder; returns the file."""

    def write(content: bytes | str, name: str = "survey_export.csv", wave: str = SAMPLE_WAVE) -> Path:
        folder = data_dir / "inbox" / wave
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write


def materialization_metadata(result: dg.ExecuteInProcessResult, asset: str) -> dict:
    """The metadata of the materialisation of one asset (given as 'layer/table') in a run."""
    for event in result.get_asset_materialization_events():
        if event.asset_key.to_user_string() == asset:
            return event.materialization.metadata
    raise KeyError(f"{asset} was not materialised in this run")


def read_analysis(data_dir: Path, table: str, wave: str = SAMPLE_WAVE) -> pd.DataFrame:
    """One wave's rows of an analysis-zone table, read from the DuckLake catalog as an analyst would."""
    from pipelines.resources import lake_location
    from verkenning.lake import connect, read_wave

    with connect(lake_location(str(data_dir))) as connection:
        return read_wave(connection, table, wave)


def analysis_tables(data_dir: Path) -> set[str]:
    from pipelines.resources import lake_location
    from verkenning.lake import connect

    with connect(lake_location(str(data_dir))) as connection:
        return {row[0] for row in connection.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'lake'").fetchall()}


# The test files that take longest (each runs the whole pipeline on several waves), slowest first. `make test`
# shares files out over two processes in collection order (pytest-xdist, --dist loadfile): with the long ones
# first, the short ones fill in behind them and both processes end at about the same time.
SLOWEST_FILES_FIRST = (
    "test_browser.py", "test_reliability.py", "test_shared_deployment.py", "test_run_command.py",
    "test_marts_and_release.py", "test_anonymised.py", "test_large_wave.py", "test_quality_zones.py",
    "test_raw_survey.py", "test_release_tiers.py", "test_disclosure.py", "test_messages_run.py",
    "test_number_questions.py", "test_privacy_pipeline.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Collect the slowest files first (the order inside a file is kept)."""
    rank = {name: position for position, name in enumerate(SLOWEST_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
