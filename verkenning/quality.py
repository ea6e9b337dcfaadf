"""Running a codebook-derived suite with Great Expectations' own API, with Data Docs written under <data>/reports/.

GX is imported here, lazily (about 4-10 s), and its analytics are off. Results are summarised as counts per
expectation, never as the values that failed.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

from schemas.quality_suites import Expectation


@dataclass
class QualityResult:
    failed_blocking: list[dict] = field(default_factory=list)
    failed_warning: list[dict] = field(default_factory=list)
    evaluated: int = 0
    data_docs: Path | None = None


def import_great_expectations() -> ModuleType:
    """GX with its analytics off and its logs quiet (the import takes seconds: done once per process)."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations
    import great_expectations.expectations  # noqa: F401  (the expectation classes, used by name)

    return great_expectations


def run_suite(frame: pd.DataFrame, name: str, expectations: list[Expectation], gx_root: Path) -> QualityResult:
    gx = import_great_expectations()
    gxe = gx.expectations
    from great_expectations.data_context.types.base import ProgressBarsConfig

    usable = [e for e in expectations if set(_columns(e)) <= set(frame.columns)]
    checked = {column for e in usable for column in _columns(e)}
    # Only the checked columns' values go to GX, so that its Data Docs can never show a free-text value; the
    # other columns go as empty columns, so that expectations on the table's columns see every name. Empty as a
    # categorical of no categories: GX filters the whole frame for every expectation, and one byte a row
    # is cheap to filter where a column of None is not.
    nothing = pd.Categorical.from_codes(np.full(len(frame), -1, dtype=np.int8), categories=[])
    data = pd.DataFrame(
        {c: frame[c].astype(object).where(frame[c].notna(), None) if c in checked else nothing for c in frame.columns},
        index=frame.index,
    )
    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    # GX draws a progress bar per suite on stderr: noise in `make run` and in the run logs of the UI.
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_or_update_pandas("verkenning")
    asset = next((a for a in source.assets if a.name == name), None) or source.add_dataframe_asset(name)
    batch = next((b for b in asset.batch_definitions if b.name == "whole"), None) or asset.add_batch_definition_whole_dataframe("whole")
    # The expectations are given to the suite as it is made: `add_expectation` compares each with every one added
    # before and, once a suite of the name is stored (every later run of the wave), writes the whole suite to the
    # store after each one. Stored once, below.
    suite = gx.ExpectationSuite(
        name=name,
        expectations=[
            getattr(gxe, expectation.type)(
                **expectation.kwargs,
                meta={INDEX: index},
                notes=expectation.why,
                severity="critical" if expectation.blocking else "warning",
            )
            for index, expectation in enumerate(usable)
        ],
    )
    suite = context.suites.add_or_update(suite)
    validation = context.validation_definitions.add_or_update(gx.ValidationDefinition(name=name, data=batch, suite=suite))
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=name, validation_definitions=[validation],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
            result_format={"result_format": "SUMMARY"},
        )
    )
    outcome = checkpoint.run(batch_parameters={"dataframe": data})
    result = QualityResult(data_docs=Path(gx_root) / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html")
    # An expectation on a column the table lacks cannot run: not a pass, but a failure of its own.
    for expectation in expectations:
        if expectation not in usable:
            summary = {"expectation": expectation.type, "column": _target(expectation), "why": expectation.why,
                       "unexpected_count": None, "observed_value": "column missing"}
            (result.failed_blocking if expectation.blocking else result.failed_warning).append(summary)
    for run in outcome.run_results.values():
        for evaluated in run.results:
            expectation = usable[int(evaluated.expectation_config.meta[INDEX])]
            result.evaluated += 1
            if evaluated.success:
                continue
            summary = {
                "expectation": expectation.type,
                "column": _target(expectation),
                "why": expectation.why,
                "unexpected_count": evaluated.result.get("unexpected_count"),
                "observed_value": _observed(expectation, evaluated.result),
            }
            (result.failed_blocking if expectation.blocking else result.failed_warning).append(summary)
    return result


INDEX = "verkenning_index"  # which of our expectations a GX result belongs to
_COLUMN_KWARGS = ("column", "column_A", "column_B")


def _columns(expectation: Expectation) -> list[str]:
    """The columns whose values an expectation reads."""
    kwargs = expectation.kwargs
    return [kwargs[key] for key in _COLUMN_KWARGS if key in kwargs] + list(kwargs.get("column_list", []))


def _target(expectation: Expectation) -> str:
    kwargs = expectation.kwargs
    if "column_A" in kwargs:
        return f"{kwargs['column_A']} > {kwargs['column_B']}" if not kwargs.get("or_equal") else f"{kwargs['column_A']} >= {kwargs['column_B']}"
    if "column_list" in kwargs:
        return ", ".join(kwargs["column_list"])
    return kwargs.get("column", "(table)")


def _observed(expectation: Expectation, result: dict) -> object:
    """What a table-level expectation saw (a row count, column names); never a cell's value."""
    if _columns(expectation):
        return None
    if "column_set" in expectation.kwargs:
        return (result.get("details") or {}).get("mismatched")
    return result.get("observed_value")
