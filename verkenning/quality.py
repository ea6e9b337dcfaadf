"""Running a codebook-derived suite with Great Expectations' own API, with Data Docs written under <data>/reports/.

GX is imported here, lazily (about 4-10 s), and its analytics are off. Results are summarised as counts per
expectation, never as the values that failed.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from schemas.quality_suites import Expectation


@dataclass
class QualityResult:
    failed_blocking: list[dict] = field(default_factory=list)
    failed_warning: list[dict] = field(default_factory=list)
    evaluated: int = 0
    data_docs: Path | None = None


def run_suite(frame: pd.DataFrame, name: str, expectations: list[Expectation], gx_root: Path) -> QualityResult:
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    os.environ.setdefault("TQDM_DISABLE", "1")  # GX's progress bars
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx
    import great_expectations.expectations as gxe

    columns = sorted({e.kwargs["column"] for e in expectations if "column" in e.kwargs} & set(frame.columns))
    # Only the checked columns go to GX, so that its Data Docs can never show a free-text value.
    data = frame[columns].astype(object).where(frame[columns].notna(), None)
    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    source = context.data_sources.add_or_update_pandas("verkenning")
    asset = next((a for a in source.assets if a.name == name), None) or source.add_dataframe_asset(name)
    batch = next((b for b in asset.batch_definitions if b.name == "whole"), None) or asset.add_batch_definition_whole_dataframe("whole")
    suite = gx.ExpectationSuite(name=name)
    usable = [e for e in expectations if "column" not in e.kwargs or e.kwargs["column"] in frame.columns]
    for expectation in usable:
        suite.add_expectation(getattr(gxe, expectation.type)(**expectation.kwargs))
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
    by_key = {(_snake_case(e.type), e.kwargs.get("column")): e for e in usable}
    for run in outcome.run_results.values():
        for evaluated in run.results:
            config = evaluated.expectation_config
            expectation = by_key[(config.type, config.kwargs.get("column"))]
            result.evaluated += 1
            if evaluated.success:
                continue
            summary = {
                "expectation": expectation.type,
                "column": expectation.kwargs.get("column", "(table)"),
                "why": expectation.why,
                "unexpected_count": evaluated.result.get("unexpected_count"),
                "observed_value": evaluated.result.get("observed_value") if "column" not in expectation.kwargs else None,
            }
            (result.failed_blocking if expectation.blocking else result.failed_warning).append(summary)
    return result


def _snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
