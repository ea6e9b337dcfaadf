"""Runs whose process died (kill -9, the out-of-memory killer, a power cut): marked failed, their pool slots freed.

Such a run stays STARTED in the Dagster instance for ever and keeps any concurrency slot it held, so later runs of
a shared deployment that limits a pool would wait for it. `make recover` (and every `make run`) finds them: a run
in progress none of whose processes is alive on this machine. Only for an instance on this machine (the embedded
default); a shared deployment uses its run monitoring, or terminates such a run in the UI.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

IN_PROGRESS = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


@dataclass(frozen=True)
class AbandonedRun:
    run_id: str
    wave: str | None
    processes: tuple[int, ...]


def process_alive(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped, does not count)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def abandoned_runs(instance: dg.DagsterInstance) -> list[AbandonedRun]:
    """Runs in progress whose every recorded process has ended."""
    found = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=IN_PROGRESS)):
        pids = {
            entry.dagster_event.pid
            for entry in instance.all_logs(run.run_id)
            if entry.dagster_event is not None and entry.dagster_event.pid
        }
        if pids and not any(process_alive(pid) for pid in pids):
            found.append(AbandonedRun(run.run_id, run.tags.get("wave"), tuple(sorted(pids))))
    return found


def recover(instance: dg.DagsterInstance) -> list[AbandonedRun]:
    """Mark every abandoned run failed and free the concurrency slots it held; returns them."""
    runs = abandoned_runs(instance)
    for abandoned in runs:
        run = instance.get_run_by_id(abandoned.run_id)
        if run is None:
            continue
        instance.report_run_failed(
            run, message=f"its processes ({', '.join(map(str, abandoned.processes))}) ended without finishing the run"
        )
        instance.event_log_storage.free_concurrency_slots_for_run(abandoned.run_id)
    return runs


def describe(runs: list[AbandonedRun]) -> list[str]:
    return [
        f"run {run.run_id} (wave {run.wave or '?'}) had stopped without finishing (killed?): marked failed, its slots freed"
        for run in runs
    ]


def main() -> int:
    with dg.DagsterInstance.get() as instance:
        runs = recover(instance)
    for line in describe(runs) or ["no run was left behind by a process that died"]:
        print(f"recover: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
