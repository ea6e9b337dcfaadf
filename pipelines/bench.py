"""Benchmark: run the whole pipeline (raw to release, checks included) on synthetic waves of several sizes.

    python -m pipelines.bench [--sizes 215,10000,100000] [--data-dir DIR]

For each size a wave is generated with the project's sample generator (the sample's shares of incomplete,
test and duplicate responses) into a fresh temporary data folder, and the process_wave job runs on it
exactly as `make run` does (`pipelines.run.run_wave`, an ephemeral instance). Each size runs in a fresh
child process (multiprocessing, spawn), so its peak resident memory (ru_maxrss of that child) is its own.
Prints the totals and the seconds per step, and writes them to <data>/reports/bench.json. Exits non-zero
when a run fails, naming the step that failed.

Beside the pipeline, each size also runs the hand-written baseline script (benchmarks/baseline.py: pandas and
deduce, no orchestration, almost no checks) on the same wave files, in a fresh child process of its own
(--no-baseline leaves it out). Its peak memory is the larger of the script's process and its deduce workers
(RUSAGE_CHILDREN), its CPU time includes the workers'. The issue's targets (issue 14) are then printed with
PASS or FAIL, for the sizes that ran: the sample (215) at most 1.5 times the script's wall time, 10,000 and
100,000 respondents at most 1.0 times, the largest process at most 2 GiB at 100,000, and t(100k)/t(10k) at most 5.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

from verkenning.data_folder import DataFolder, data_dir_from_environment

DEFAULT_SIZES = (215, 10_000, 100_000)
WAVE = "2024-01"
# Fixed and public: benchmark waves are synthetic. At least 32 characters, and not the sample key, so the
# pipeline takes the same path as for a real wave.
BENCH_PSEUDONYM_KEY = "BENCH-KEY-not-secret-for-synthetic-benchmark-waves-only"
OTHER = "(outside steps)"  # run start/end, definitions, plan: total minus the sum of the steps


@dataclass
class SizeResult:
    respondents: int
    total_seconds: float
    peak_memory_bytes: int
    seconds_per_asset: dict[str, float]
    responses_per_second: float
    success: bool = True
    cpu_seconds: float = 0.0  # CPU time of the run (all threads): less disturbed than wall time on a busy machine
    export_rows: int = 0
    generate_seconds: float = 0.0
    failed_steps: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    microdata: dict = field(default_factory=dict)  # the released microdata's risk and utility (issue 12)
    # Processes the run started and waited for (the worker that de-identifies half of a large wave's texts):
    # their CPU seconds, and the peak resident memory of the largest of them. Linux counts a forked child's
    # resident memory from the fork on, so a fork that only starts a program (git) shows about the parent's size:
    # read it only through largest_process_bytes (a fork never exceeds its parent unless it really grows).
    children_cpu_seconds: float = 0.0
    children_peak_memory_bytes: int = 0
    baseline: dict = field(default_factory=dict)  # BaselineResult of the same wave files, as a dict

    @property
    def largest_process_bytes(self) -> int:
        return max(self.peak_memory_bytes, self.children_peak_memory_bytes)

    @property
    def total_cpu_seconds(self) -> float:
        return self.cpu_seconds + self.children_cpu_seconds


@dataclass
class BaselineResult:
    """The hand-written script (benchmarks/baseline.py) on the same wave files, in a child process of its own."""

    respondents: int
    total_seconds: float = 0.0
    cpu_seconds: float = 0.0  # the script's process and its deduce workers
    peak_memory_bytes: int = 0  # the largest process: the script's own or one of its workers
    script_peak_memory_bytes: int = 0
    worker_peak_memory_bytes: int = 0
    completed: int = 0  # respondents in its microdata
    success: bool = True
    errors: list[str] = field(default_factory=list)


def microdata_figures(instance, run_id: str) -> dict:
    """What the anonymised respondents step reported of the microdata: levels, information loss, k reached."""
    from dagster import DagsterEventType

    for entry in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION):
        materialization = entry.dagster_event.event_specific_data.materialization
        if materialization.asset_key.path[-2:] == ["anonymised", "respondents"] and "microdata" in materialization.metadata:
            return dict(materialization.metadata["microdata"].value)
    return {}


def step_seconds(instance, run_id: str) -> tuple[dict[str, float], list[str]]:
    """Wall seconds per step (start to success or failure) from the run's event log, and the failed steps."""
    from dagster import DagsterEventType

    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    failed: list[str] = []
    ends = {DagsterEventType.STEP_SUCCESS.value, DagsterEventType.STEP_FAILURE.value}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or not event.step_key:
            continue
        if event.event_type_value == DagsterEventType.STEP_START.value:
            started[event.step_key] = entry.timestamp
        elif event.event_type_value in ends and event.step_key in started:
            seconds[event.step_key] = entry.timestamp - started[event.step_key]
            if event.event_type_value == DagsterEventType.STEP_FAILURE.value:
                failed.append(event.step_key)
    return seconds, failed


def generate_wave(data_dir: Path, respondents: int) -> tuple[int, float]:
    """Write a synthetic wave into <data_dir>/inbox/2024-01; returns the export's rows and the seconds it took."""
    from verkenning.sample import write_sample_wave

    start = time.perf_counter()
    summary = write_sample_wave(DataFolder(data_dir).wave_dir(WAVE), respondents=respondents)
    return summary.rows, time.perf_counter() - start


def run_pipeline(data_dir: Path, respondents: int) -> SizeResult:
    """Run the process_wave job on the wave in `data_dir`, in this process, and measure it."""
    import dagster as dg

    from pipelines.resources import LAKE_CATALOG_VARIABLE, LAKE_DATA_PATH_VARIABLE, settings_from_environment
    from pipelines.run import _failed_checks, _step_errors, register_waves, run_wave

    os.environ["VERKENNING_DATA_DIR"] = str(data_dir)
    for variable in (LAKE_CATALOG_VARIABLE, LAKE_DATA_PATH_VARIABLE):  # each size gets its own fresh catalog
        os.environ.pop(variable, None)
    settings = settings_from_environment()
    settings.folder.ensure_zones()
    instance = dg.DagsterInstance.ephemeral()
    register_waves(instance, [WAVE])
    start, cpu_start, children_start = time.perf_counter(), time.process_time(), _children_cpu()
    try:
        result = run_wave(instance, settings, WAVE)
    except Exception as error:  # noqa: BLE001 - an input error stops the run before any step; report it
        total = time.perf_counter() - start
        return SizeResult(respondents, round(total, 3), peak_memory_bytes(), {}, 0.0, success=False,
                          failed_steps=["(before any step)"], errors=[f"{type(error).__name__}: {error}"])
    total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    children_cpu = _children_cpu() - children_start
    seconds, failed = step_seconds(instance, result.run_id)
    seconds = {name: round(value, 3) for name, value in sorted(seconds.items())}
    seconds[OTHER] = round(max(0.0, total - sum(seconds.values())), 3)
    return SizeResult(
        respondents=respondents,
        total_seconds=round(total, 3),
        peak_memory_bytes=peak_memory_bytes(),
        seconds_per_asset=seconds,
        responses_per_second=round(respondents / total, 1) if total else 0.0,
        success=result.success,
        cpu_seconds=round(cpu, 3),
        failed_steps=failed,
        errors=[*_step_errors(result), *(f"check not passed: {c}" for c in _failed_checks(result))] if not result.success else [],
        microdata=microdata_figures(instance, result.run_id),
        children_cpu_seconds=round(children_cpu, 3),
        children_peak_memory_bytes=children_peak_memory_bytes(),
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def children_peak_memory_bytes() -> int:
    """The peak resident memory of the largest process this process started and waited for (0 if none)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def run_baseline(data_dir: Path, respondents: int, out: Path) -> BaselineResult:
    """Run the hand-written baseline script on the wave in `data_dir`, in this process, and measure it."""
    from benchmarks.baseline import run as run_script

    start, cpu_start, children_start = time.perf_counter(), time.process_time(), _children_cpu()
    try:
        tables = run_script(DataFolder(data_dir).wave_dir(WAVE), out, BENCH_PSEUDONYM_KEY.encode("utf-8"), processes=2)
    except Exception as error:  # noqa: BLE001 - report it beside the pipeline's figures
        return BaselineResult(respondents, round(time.perf_counter() - start, 3), success=False,
                              errors=[f"{type(error).__name__}: {error}"])
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu_start + _children_cpu() - children_start
    own, workers = peak_memory_bytes(), children_peak_memory_bytes()
    return BaselineResult(
        respondents=respondents,
        total_seconds=round(total, 3),
        cpu_seconds=round(cpu, 3),
        peak_memory_bytes=max(own, workers),
        script_peak_memory_bytes=own,
        worker_peak_memory_bytes=workers,
        completed=len(tables["respondents"]),
    )


def peak_memory_bytes() -> int:
    """The pipeline process's peak resident memory. Not counted: the worker that de-identifies half of a large
    wave's texts beside it (about 1.1 GiB, deduce's lookup lists), and forks that only start a program (git)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def _child(data_dir: str, respondents: int, log: str) -> dict:
    """One size in a fresh process: the bench key, then the pipeline. Returns the result as a dict.
    The child's stderr (library warnings, Great Expectations' progress bars) goes to `log`."""
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(descriptor, 2)
    os.close(descriptor)
    os.environ["VERKENNING_PSEUDONYM_KEY"] = BENCH_PSEUDONYM_KEY
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    warnings.simplefilter("ignore", DeprecationWarning)
    warnings.simplefilter("ignore", ResourceWarning)
    return asdict(run_pipeline(Path(data_dir), respondents))


def _baseline_child(data_dir: str, respondents: int, out: str, log: str) -> dict:
    """The baseline script on one size in a fresh process; its stderr goes to `log`."""
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(descriptor, 2)
    os.close(descriptor)
    warnings.simplefilter("ignore", FutureWarning)
    return asdict(run_baseline(Path(data_dir), respondents, Path(out)))


def _generate_child(data_dir: str, respondents: int) -> tuple[int, float]:
    return generate_wave(Path(data_dir), respondents)


def _in_child(function, *args):
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def bench_size(respondents: int, in_process: bool = False, keep: bool = False, baseline: bool = True) -> SizeResult:
    """Generate a wave of `respondents` people in a fresh data folder and run the pipeline on it, then (unless
    `baseline` is false) the hand-written baseline script on the same files."""
    work = Path(tempfile.mkdtemp(prefix=f"verkenning-bench-{respondents}-"))
    try:
        data_dir = work / "data"
        DataFolder(data_dir).ensure_zones()
        if in_process:  # for a profiler: everything in this process (peak memory then includes earlier sizes)
            rows, generate_seconds = generate_wave(data_dir, respondents)
            os.environ["VERKENNING_PSEUDONYM_KEY"] = BENCH_PSEUDONYM_KEY
            result = run_pipeline(data_dir, respondents)
        else:  # generation in a child of its own, so the pipeline's child measures only the pipeline
            rows, generate_seconds = _in_child(_generate_child, str(data_dir), respondents)
            log = work / "child-stderr.log"
            try:
                result = SizeResult(**_in_child(_child, str(data_dir), respondents, str(log)))
            except Exception as error:  # noqa: BLE001 - e.g. the child was killed (out of memory)
                result = SizeResult(respondents, 0.0, 0, {}, 0.0, success=False,
                                    failed_steps=["(child process)"], errors=[f"{type(error).__name__}: {error}"])
            if result.failed_steps == ["(child process)"] and log.is_file():  # the child died: its last words
                lines = log.read_text(encoding="utf-8", errors="replace").replace("\r", "\n").splitlines()
                result.errors += [f"child stderr: {line}" for line in lines if line.strip() and "Calculating Metrics" not in line][-15:]
        result.export_rows, result.generate_seconds = rows, round(generate_seconds, 3)
        if baseline:
            out = work / "baseline"
            if in_process:
                figures = run_baseline(data_dir, respondents, out)
            else:
                try:
                    figures = BaselineResult(**_in_child(_baseline_child, str(data_dir), respondents, str(out),
                                                         str(work / "baseline-stderr.log")))
                except Exception as error:  # noqa: BLE001 - e.g. the child was killed (out of memory)
                    figures = BaselineResult(respondents, success=False, errors=[f"{type(error).__name__}: {error}"])
            result.baseline = asdict(figures)
        return result
    finally:
        if keep:
            print(f"   kept {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)


SAMPLE_SIZE = 215
GIB = 2**30


@dataclass(frozen=True)
class Target:
    """One of issue 14's targets, evaluated on the sizes that ran: `value` against `limit` (at most)."""

    name: str
    value: float
    limit: float
    unit: str = "x"

    @property
    def passed(self) -> bool:
        return self.value <= self.limit

    def line(self) -> str:
        shown = f"{self.value / GIB:.2f} GiB" if self.unit == "bytes" else f"{self.value:.2f}{self.unit}"
        limit = f"{self.limit / GIB:.0f} GiB" if self.unit == "bytes" else f"{self.limit:g}{self.unit}"
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {shown} (at most {limit})"


def evaluate_targets(figures: dict[int, dict]) -> list[Target]:
    """Issue 14's targets for the sizes that ran. `figures` maps a size to its figures: `seconds` (the project's
    wall time), `baseline_seconds` (the script's, None when it did not run or failed), `peak_memory_bytes` (the
    project's largest process) and `success`; a size that failed gives no figure. A target whose sizes did
    not all run is left out."""
    ran = {size: f for size, f in figures.items() if f.get("success", True) and f.get("seconds")}
    targets = []
    for size, limit in ((SAMPLE_SIZE, 1.5), (10_000, 1.0), (100_000, 1.0)):
        f = ran.get(size)
        if f and f.get("baseline_seconds"):
            targets.append(Target(f"{size:,} respondents: project / baseline wall time", f["seconds"] / f["baseline_seconds"], limit))
    if 100_000 in ran and ran[100_000].get("peak_memory_bytes"):
        targets.append(Target("100,000 respondents: peak memory of the largest process", ran[100_000]["peak_memory_bytes"], 2 * GIB, "bytes"))
    if 10_000 in ran and 100_000 in ran:
        targets.append(Target("t(100k) / t(10k)", ran[100_000]["seconds"] / ran[10_000]["seconds"], 5.0))
    return targets


def target_figures(results: list[SizeResult]) -> dict[int, dict]:
    """The figures evaluate_targets reads, per size."""
    return {
        r.respondents: {
            "seconds": r.total_seconds,
            "baseline_seconds": r.baseline.get("total_seconds") if r.baseline.get("success") else None,
            "peak_memory_bytes": r.largest_process_bytes,
            "success": r.success,
        }
        for r in results
    }


def format_comparison(results: list[SizeResult]) -> str:
    """Project against the hand-written baseline script, per size, and the issue's targets."""
    lines = [f"{'respondents':>12} {'project s':>10} {'baseline s':>11} {'ratio':>6} {'project CPU s':>14} "
             f"{'baseline CPU s':>15} {'project peak MiB':>17} {'baseline peak MiB':>18}"]
    for r in results:
        b = r.baseline
        if b.get("success"):
            ratio = f"{r.total_seconds / b['total_seconds']:>6.2f}" if b["total_seconds"] else f"{'-':>6}"
            lines.append(
                f"{r.respondents:>12,} {r.total_seconds:>10.1f} {b['total_seconds']:>11.1f} {ratio} {r.total_cpu_seconds:>14.1f} "
                f"{b['cpu_seconds']:>15.1f} {r.largest_process_bytes / 2**20:>17.0f} {b['peak_memory_bytes'] / 2**20:>18.0f}"
            )
        else:
            lines.append(f"{r.respondents:>12,} {r.total_seconds:>10.1f} {'-':>11} {'-':>6} {r.total_cpu_seconds:>14.1f} "
                         f"{'-':>15} {r.largest_process_bytes / 2**20:>17.0f} {'-':>18}"
                         + (f"  baseline failed: {'; '.join(b.get('errors', []))}" if b else ""))
    lines.append("(CPU: the process and the workers it started; peak: the largest of them)")
    targets = evaluate_targets(target_figures(results))
    lines += ["", "targets of issue 14 (for the sizes that ran):"]
    lines += [f"  {t.line()}" for t in targets] or ["  none: no size of 215, 10,000 or 100,000 ran with the baseline"]
    return "\n".join(lines)


def format_tables(results: list[SizeResult]) -> str:
    lines = [f"{'respondents':>12} {'export rows':>12} {'generate s':>11} {'total s':>9} {'CPU s':>7} {'peak MiB':>9} {'responses/s':>12}  status"]
    for r in results:
        status = "ok" if r.success else "FAILED: " + ", ".join(r.failed_steps)
        lines.append(
            f"{r.respondents:>12,} {r.export_rows:>12,} {r.generate_seconds:>11.1f} {r.total_seconds:>9.1f} {r.cpu_seconds:>7.1f} "
            f"{r.peak_memory_bytes / 2**20:>9.0f} {r.responses_per_second:>12.1f}  {status}"
        )
    steps = sorted({s for r in results for s in r.seconds_per_asset if s != OTHER},
                   key=lambda s: -max(r.seconds_per_asset.get(s, 0.0) for r in results))
    width = max([len(s) for s in steps] + [len(OTHER), 10])
    lines += ["", f"{'seconds per step':<{width}} " + " ".join(f"{r.respondents:>10,}" for r in results)]
    for step in [*steps, OTHER]:
        cells = [r.seconds_per_asset.get(step) for r in results]
        lines.append(f"{step:<{width}} " + " ".join(f"{c:>10.2f}" if c is not None else f"{'-':>10}" for c in cells))
    lines.append(f"{'total':<{width}} " + " ".join(f"{r.total_seconds:>10.2f}" for r in results))
    lines += ["", "released microdata (issue 12): information loss, against suppression column by column"]
    for r in results:
        m = r.microdata
        if m:
            levels = ", ".join(f"{code} {level}" for code, level in m.get("levels", {}).items())
            lines.append(
                f"{r.respondents:>12,}  loss {m.get('information_loss', 0):.1%} (column by column {m.get('information_loss_column_by_column', 0):.1%}, "
                f"no node below {m.get('information_loss_lower_bound', 0):.1%}), k reached {m.get('k_reached')}, levels: {levels}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated numbers of completed respondents (default: %(default)s)")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="data folder whose reports/ gets bench.json (default: VERKENNING_DATA_DIR or ./data)")
    parser.add_argument("--in-process", action="store_true",
                        help="run every size in this process (for a profiler); peak memory is then cumulative")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folders")
    parser.add_argument("--no-baseline", action="store_true",
                        help="do not run the hand-written baseline script (benchmarks/baseline.py) beside the pipeline")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be comma-separated whole numbers, got {args.sizes!r}")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes needs at least one size of 1 or more")
    report_folder = DataFolder(args.data_dir or data_dir_from_environment())

    results: list[SizeResult] = []
    for size in sizes:
        print(f"== {size:,} respondents", flush=True)
        result = bench_size(size, in_process=args.in_process, keep=args.keep, baseline=not args.no_baseline)
        results.append(result)
        print(f"   {'ok' if result.success else 'FAILED'}: {result.total_seconds:.1f} s, "
              f"peak {result.peak_memory_bytes / 2**20:.0f} MiB", flush=True)
        if result.baseline:
            b = result.baseline
            print(f"   baseline {'ok' if b['success'] else 'FAILED'}: {b['total_seconds']:.1f} s, "
                  f"peak {b['peak_memory_bytes'] / 2**20:.0f} MiB", flush=True)
            for message in b["errors"]:
                print(f"   - baseline: {message}", flush=True)
        for message in result.errors:
            print(f"   - {message}", flush=True)
        if not result.success:
            print(f"   failed step(s): {', '.join(result.failed_steps) or 'unknown'}", flush=True)
            break  # larger sizes would fail the same way

    print()
    print(format_tables(results))
    if any(r.baseline for r in results):
        print()
        print(format_comparison(results))
    report_folder.reports.mkdir(parents=True, exist_ok=True)
    report = report_folder.reports / "bench.json"
    report.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {report}")
    return 0 if all(r.success for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
