"""The data steward's flow, in a real browser: `make ui` on a free loopback port, headless Chromium driving it.

One UI session, as a steward lives it:
1. three waves are dropped into the inbox while the UI runs: the sensor makes them partitions and runs them at
   the same time, without a click (several waves at once, default executor, no database lock); the one with
   a wrong answer code in 30% of its rows is stopped by a blocking check, which says why on the run's page;
2. the steward opens the job, launches the materialisation of two waves at once from the UI and waits for them;
3. the asset page shows the checks passed, the release is on disk, and dropping the same files again
   started nothing.
Screenshots of the asset graph, the finished run and the checks are saved in test-artifacts/browser/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, SAMPLE_WAVE, SAMPLE_WAVE_DIR
from verkenning.data_folder import DataFolder
from verkenning.environment import prepare_dagster_home
from verkenning.sample import write_sample_wave

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
SECOND_WAVE = "2024-02"
BROKEN_WAVE = "2024-03"
# Without these, Chromium tries to reach Google's services at start and on a closed network waits for them.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
UI_START_TIMEOUT = 180
RUN_TIMEOUT = 600


@dataclass
class DagsterUI:
    url: str
    home: Path
    data: DataFolder
    log: Path

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.url}/graphql", data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
        assert "errors" not in answer, answer["errors"]
        return answer["data"]

    def runs(self) -> list[dict]:
        query = """{ runsOrError { ... on Runs { results { runId status startTime endTime tags { key value } } } } }"""
        return self.graphql(query)["runsOrError"]["results"]

    def wait_for_runs(self, count: int, which: Callable[[dict], bool]) -> list[dict]:
        """Wait until `count` runs of the kind asked for have ended (succeeded, failed or canceled)."""
        deadline = time.monotonic() + RUN_TIMEOUT
        while time.monotonic() < deadline:
            ended = [run for run in self.runs() if which(run) and run["status"] in ("SUCCESS", "FAILURE", "CANCELED")]
            if len(ended) >= count:
                return ended
            time.sleep(3)
        raise AssertionError(f"fewer than {count} runs of that kind ended within {RUN_TIMEOUT} s: {self.runs()}; see {self.log}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _restore_default_signals() -> None:
    # A background process of a non-interactive shell inherits SIGINT ignored; dagster dev must obey it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stop_group(process: subprocess.Popen) -> None:
    """Stop `make ui` and everything it started (webserver, daemon, code server, runs): its process group."""
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # whatever ignored SIGINT, and grandchildren still in the group
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


@pytest.fixture
def dagster_ui(tmp_path: Path) -> Iterator[DagsterUI]:
    """`make ui` with a temporary DAGSTER_HOME and data folder, on a free loopback port; stopped whatever happens."""
    home, data = tmp_path / "dagster_home", DataFolder(tmp_path / "data")
    prepare_dagster_home(home)
    data.ensure_zones()
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "make-ui.log"
    env = {**os.environ, "DAGSTER_HOME": str(home), "VERKENNING_DATA_DIR": str(data.root), "PORT": str(port)}
    with log.open("w") as output:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "ui", f"PORT={port}"], cwd=PROJECT_ROOT, env=env,
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_restore_default_signals,
        )
    try:
        ui = DagsterUI(url=f"http://127.0.0.1:{port}", home=home, data=data, log=log)
        deadline = time.monotonic() + UI_START_TIMEOUT
        while True:
            assert process.poll() is None, f"make ui stopped (exit {process.returncode}): see {log}"
            try:
                ui.graphql("{ version }")
                break
            except OSError:
                assert time.monotonic() < deadline, f"the UI did not answer within {UI_START_TIMEOUT} s: see {log}"
                time.sleep(1)
        yield ui
    finally:
        _stop_group(process)


@pytest.fixture
def browser_page() -> Iterator[object]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Debian's chromium is not installed ({CHROMIUM}): `make test` installs it; or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


def _dismiss_first_run_dialog(page) -> None:
    skip = page.get_by_role("button", name="Skip")
    if skip.count():
        skip.first.click()


def _drop_wave(data: DataFolder, wave: str) -> Path:
    """Copy the bundled sample into the inbox as a steward would (the copy's files are new to the sensor)."""
    target = data.inbox / wave
    shutil.copytree(SAMPLE_WAVE_DIR, target, dirs_exist_ok=True)
    return target


def test_a_steward_drops_waves_launches_a_run_from_the_ui_and_gets_a_release(dagster_ui: DagsterUI, browser_page) -> None:
    page, ui = browser_page, dagster_ui
    try:
        _steward_flow(page, ui)
    finally:  # what the browser showed at the end, or when it failed
        page.screenshot(path=str(ARTIFACTS / "last-page.png"))
        (ARTIFACTS / "last-page.txt").write_text(page.inner_text("body"), encoding="utf-8")


def _steward_flow(page, ui: DagsterUI) -> None:
    page.goto(ui.url)
    _dismiss_first_run_dialog(page)

    # 1. Three waves dropped while the UI runs, one with a wrong answer code in 30% of its rows: the sensor
    #    makes them partitions and runs them at the same time, without a click.
    for wave in (SAMPLE_WAVE, SECOND_WAVE):
        _drop_wave(ui.data, wave)
    write_sample_wave(ui.data.inbox / BROKEN_WAVE, corrupt_share=0.3)
    sensor_runs = {_tag(run, "wave"): run for run in ui.wait_for_runs(3, lambda run: _tag(run, "trigger") == "inbox")}
    assert {wave: run["status"] for wave, run in sensor_runs.items()} == {
        SAMPLE_WAVE: "SUCCESS", SECOND_WAVE: "SUCCESS", BROKEN_WAVE: "FAILURE"
    }, f"see {ui.log}"
    first, second = sorted((sensor_runs[SAMPLE_WAVE], sensor_runs[SECOND_WAVE]), key=lambda run: run["startTime"])
    assert second["startTime"] < first["endTime"], "the two waves were not processed at the same time"
    for wave in (SAMPLE_WAVE, SECOND_WAVE):
        assert (ui.data.releases / wave / "r1" / "release.json").is_file()
    assert not (ui.data.releases / BROKEN_WAVE).exists()
    assert "database is locked" not in ui.log.read_text(errors="replace")

    # The broken wave's run says on its page which blocking check stopped it, and why.
    page.goto(f"{ui.url}/runs/{sensor_runs[BROKEN_WAVE]['runId']}")
    page.get_by_placeholder("Filter").first.fill("quarantine_share")
    page.get_by_text("are in quarantine").first.wait_for()
    assert "more than the allowed share" in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "0-blocked-wave.png"))

    # Dropping the same files again (new modification times, same contents) must start nothing.
    _drop_wave(ui.data, SECOND_WAVE)
    dropped_again = time.monotonic()

    # 2. The steward looks at the asset graph, then opens the job and materialises two waves at once from the UI.
    page.goto(ui.url)
    page.get_by_role("link", name=re.compile(r"Lineage$")).click()
    page.get_by_text("release").first.wait_for()
    page.wait_for_timeout(2000)  # the graph lays itself out
    page.screenshot(path=str(ARTIFACTS / "1-asset-graph.png"))
    page.goto(f"{ui.url}/jobs")
    page.get_by_role("link", name="process_wave").first.click()
    page.get_by_text("Process a wave").first.wait_for()
    page.get_by_role("button", name="Materialize all").click()
    dialog, popover = page.locator(".dagster-dialog"), page.locator(".dagster-popover")
    dialog.get_by_text("Select a partition or create one").click()
    for wave in (SAMPLE_WAVE, SECOND_WAVE):
        popover.get_by_text(wave, exact=True).first.click()
    dialog.get_by_text("Launch runs to materialize").click()  # closes the partition list
    dialog.get_by_text("2 partitions").first.wait_for()
    dialog.get_by_role("button", name=re.compile(r"^Launch")).click()
    steward_runs = {_tag(run, "wave"): run for run in ui.wait_for_runs(2, lambda run: _tag(run, "trigger") is None)}
    assert {wave: run["status"] for wave, run in steward_runs.items()} == {SAMPLE_WAVE: "SUCCESS", SECOND_WAVE: "SUCCESS"}
    first, second = sorted(steward_runs.values(), key=lambda run: run["startTime"])
    assert second["startTime"] < first["endTime"], "the two waves launched from the UI did not run at the same time"
    steward_run = steward_runs[SAMPLE_WAVE]

    page.goto(f"{ui.url}/runs/{steward_run['runId']}")
    page.get_by_text("Success").first.wait_for()
    page.get_by_text("RUN_SUCCESS").first.wait_for()  # the run's events have loaded
    page.screenshot(path=str(ARTIFACTS / "2-finished-run.png"))

    # 3. The checks passed, as the asset page shows them for the wave (the list beside them sums up every
    #    wave, and the broken wave's checks never ran), and the release stands on disk.
    page.goto(f"{ui.url}/assets/anonymised/respondents?view=checks")
    for check in ("k_anonymity", "no_direct_identifiers", "no_identifier_patterns", "gx_anonymised_respondents"):
        page.get_by_text(check, exact=True).first.click()
        # The panel beside the list shows the chosen check: its name above an Execute button, then its latest run.
        page.wait_for_function(
            "([name]) => document.body.innerText.includes(name + '\\nExecute') && document.body.innerText.includes('Evaluation result')",
            arg=[check],
        )
        latest = page.inner_text("body").split("Latest execution", 1)[1]
        assert "Passed" in latest and (SAMPLE_WAVE in latest or SECOND_WAVE in latest), f"{check}: {latest[:300]}"
    page.screenshot(path=str(ARTIFACTS / "3-checks.png"))
    releases = sorted(p.name for p in (ui.data.releases / SAMPLE_WAVE).iterdir())
    assert releases == ["r1"]  # the steward's run found an identical release standing
    assert "database is locked" not in ui.log.read_text(errors="replace")

    # The sensor looked at least once since the same files were dropped again, and started nothing.
    time.sleep(max(0.0, 45 - (time.monotonic() - dropped_again)))
    assert len([run for run in ui.runs() if _tag(run, "trigger") == "inbox"]) == 3


def _tag(run: dict, key: str) -> str | None:
    return next((tag["value"] for tag in run["tags"] if tag["key"] == key), None)
