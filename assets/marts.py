"""Marts (analysis zone): analysis-ready tables in long format, every count protected against disclosure."""

from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.common import analysis_asset, check_wave, gx_check_result, table_out
from assets.partitions import waves
from pipelines.resources import LAKE_WRITER_POOL, VerkenningSettings
from schemas.codebook import codebook_for_wave
from schemas.quality_suites import question_frequencies_suite
from verkenning.disclosure.cells import DisclosureRule
from verkenning.marts.frequencies import audit_frequency_tables, frequency_tables, text_bar_chart
from verkenning.marts.summaries import (
    open_answers,
    scale_summaries,
    workshop_notes,
    workshop_statements,
    workshop_support_needs,
)
from verkenning.quality import run_suite  # GX itself is imported only when a suite runs

MARTS = "marts"


def _anonymised(table: str) -> dg.AssetIn:
    return dg.AssetIn(key=dg.AssetKey(["anonymised", table]))


def disclosure_rule(settings: VerkenningSettings) -> DisclosureRule:
    return DisclosureRule(min_count=settings.min_count, min_base=settings.min_count)


def _suppression_metadata(frame: pd.DataFrame) -> dict[str, object]:
    kinds = frame["suppression"].value_counts().to_dict() if "suppression" in frame else {}
    return {
        "dagster/row_count": len(frame),
        "cells_suppressed_primary": int(kinds.get("primary", 0)),
        "cells_suppressed_secondary": int(kinds.get("secondary", 0)),
    }


@dg.multi_asset(
    ins={"respondents": _anonymised("respondents")},
    outs={
        "question_frequencies": table_out(
            MARTS, "question_frequencies",
            "Answer counts and percentages per question, statement or option; small counts and their complements suppressed.",
        ),
        "crosstabs": table_out(
            MARTS, "crosstabs",
            "The same counts broken down by sector, size, role and region group; suppressed together with the totals.",
        ),
        "scale_summaries": table_out(
            MARTS, "scale_summaries",
            "Per scale item: valid and missing answers, mean, standard deviation and share agreeing, overall and per group.",
        ),
    },
    partitions_def=waves,
    group_name=MARTS,
    pool=LAKE_WRITER_POOL,
    check_specs=[
        dg.AssetCheckSpec(
            "no_recoverable_suppressed_cell",
            asset=dg.AssetKey([MARTS, "crosstabs"]),
            blocking=True,
            description="An audit that tries to recompute every suppressed count from the published totals finds none.",
        )
    ],
)
def survey_marts(context: dg.AssetExecutionContext, settings: VerkenningSettings, respondents: pd.DataFrame) -> Iterator[object]:
    """Count the answers overall and per background group, suppress what could disclose, and summarise the scales."""
    wave = context.partition_key
    codebook = codebook_for_wave(settings.folder.wave_dir(wave))
    rule = disclosure_rule(settings)
    frequencies, crosstabs = frequency_tables(respondents, codebook, wave, rule)
    suppressed = pd.concat([frequencies.assign(breakdown="", breakdown_group=""), crosstabs])
    summaries = scale_summaries(respondents, suppressed[suppressed["suppressed"]], codebook, wave, rule)
    yield dg.Output(
        frequencies,
        output_name="question_frequencies",
        metadata={**_suppression_metadata(frequencies), "chart": dg.MetadataValue.md(text_bar_chart(frequencies))},
    )
    yield dg.Output(crosstabs, output_name="crosstabs", metadata=_suppression_metadata(crosstabs))
    yield dg.Output(
        summaries, output_name="scale_summaries",
        metadata={"dagster/row_count": len(summaries), "statistics_suppressed": int(summaries["suppressed"].sum())},
    )
    recovered = audit_frequency_tables(frequencies, crosstabs)
    yield dg.AssetCheckResult(
        check_name="no_recoverable_suppressed_cell",
        asset_key=dg.AssetKey([MARTS, "crosstabs"]),
        passed=not recovered,
        metadata={"recoverable_cells": len(recovered), "disclosure_rule": dg.MetadataValue.json(rule.as_dict())},
    )


@dg.asset(ins={"respondents": _anonymised("respondents")}, partitions_def=waves, **analysis_asset(MARTS, "open_answers"))
def open_answers_mart(context: dg.AssetExecutionContext, settings: VerkenningSettings, respondents: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """The de-identified open answers per question, in an order that does not follow the respondents'."""
    codebook = codebook_for_wave(settings.folder.wave_dir(context.partition_key))
    table = open_answers(respondents, codebook, context.partition_key)
    return dg.Output(table, metadata={"dagster/row_count": len(table)})


@dg.asset(
    ins={"anonymised_respondents": _anonymised("respondents")}, partitions_def=waves, **analysis_asset(MARTS, "respondents")
)
def respondents_mart(anonymised_respondents: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """The anonymised microdata: one row per completed response, k-anonymous background, de-identified text."""
    return dg.Output(anonymised_respondents, metadata={"dagster/row_count": len(anonymised_respondents)})


@dg.multi_asset(
    ins={
        "notes": _anonymised("workshop_sticky_notes"),
        "statements": _anonymised("workshop_statements"),
        "support_needs": _anonymised("workshop_support_needs"),
    },
    outs={
        "workshop_notes": table_out(MARTS, "workshop_notes", "The de-identified sticky notes per meeting, table and category."),
        "workshop_statements": table_out(
            MARTS, "workshop_statements",
            "Agree, neutral and disagree per 2030 statement, per meeting and overall; small counts suppressed.",
        ),
        "workshop_support_needs": table_out(
            MARTS, "workshop_support_needs", "Dot votes per support need and theme, per meeting and overall, ranked."
        ),
    },
    partitions_def=waves,
    group_name=MARTS,
    pool=LAKE_WRITER_POOL,
)
def workshop_marts(
    context: dg.AssetExecutionContext,
    settings: VerkenningSettings,
    notes: pd.DataFrame,
    statements: pd.DataFrame,
    support_needs: pd.DataFrame,
) -> Iterator[dg.Output[pd.DataFrame]]:
    """Summarise the workshops: notes, statement votes (suppressed like every count) and ranked support needs."""
    wave = context.partition_key
    statement_table = workshop_statements(statements, wave, disclosure_rule(settings))
    yield dg.Output(workshop_notes(notes, wave), output_name="workshop_notes", metadata={"dagster/row_count": len(notes)})
    yield dg.Output(statement_table, output_name="workshop_statements", metadata=_suppression_metadata(statement_table))
    needs = workshop_support_needs(support_needs, wave)
    yield dg.Output(needs, output_name="workshop_support_needs", metadata={"dagster/row_count": len(needs)})


@dg.asset_check(
    partitions_def=waves,
    asset=dg.AssetKey([MARTS, "question_frequencies"]),
    blocking=True,
    description=(
        "Great Expectations suite from the codebook: only counted questions and codes of the codebook, one row per "
        "question, item and option, counts and bases not negative and no count above its base, percentages between "
        "0 and 100, suppression primary or secondary."
    ),
)
def gx_question_frequencies(
    context: dg.AssetCheckExecutionContext, settings: VerkenningSettings, question_frequencies: pd.DataFrame
) -> dg.AssetCheckResult:
    wave = check_wave(context)
    codebook = codebook_for_wave(settings.folder.wave_dir(wave))
    result = run_suite(
        question_frequencies, "marts_question_frequencies", question_frequencies_suite(codebook),
        settings.folder.reports / "gx" / (wave or "all"),
    )
    return gx_check_result(result)
