"""Marts: analysis-ready tables in long format, every count protected against disclosure; computed and audited in
the restricted zone, published to the analysis zone only once every blocking check passed."""

from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.common import check_wave, checked_table_asset, gx_check_result, table_out
from assets.partitions import waves
from pipelines.resources import VerkenningSettings, preview_markdown
from schemas.codebook import codebook_for_wave
from schemas.quality_suites import question_frequencies_suite
from verkenning.disclosure.cells import DisclosureRule
from verkenning.disclosure.tables import AuditedCell, summarise_audit
from verkenning.marts.frequencies import frequency_tables, text_bar_chart
from verkenning.marts.summaries import (
    open_answers,
    scale_summaries,
    workshop_notes,
    workshop_statements,
    workshop_support_needs,
    workshop_support_themes,
)
from verkenning.release import is_tiered_release, list_releases, read_published_tables
from verkenning.release.publish import TIER_TABLES
from verkenning.quality import run_suite  # GX itself is imported only when a suite runs

MARTS = "marts"


def _anonymised(table: str) -> dg.AssetIn:
    return dg.AssetIn(key=dg.AssetKey(["anonymised", table]))


def disclosure_rule(settings: VerkenningSettings) -> DisclosureRule:
    return DisclosureRule(min_count=settings.min_count, min_base=settings.min_count)


def earlier_public_tables(settings: VerkenningSettings, wave: str) -> list[dict[str, pd.DataFrame]]:
    """The public tier of every earlier release of the wave: their published cells bind the next release."""
    releases = settings.folder.releases
    tables = []
    for release_id in list_releases(releases, wave):
        path = releases / wave / release_id
        if is_tiered_release(path):
            tables.append(read_published_tables(path, "public"))
    return tables


def _suppression_metadata(frame: pd.DataFrame) -> dict[str, object]:
    kinds = frame["suppression"].value_counts().to_dict() if "suppression" in frame else {}
    return {
        "dagster/row_count": len(frame),
        "cells_suppressed_primary": int(kinds.get("primary", 0)),
        "cells_suppressed_secondary": int(kinds.get("secondary", 0)),
    }


def _audit_metadata(audited: list[AuditedCell]) -> dict[str, object]:
    """The audit's figures beside the table, where the release reads them for its risk report."""
    summary = summarise_audit(audited)
    return {"attacker_audit": dg.MetadataValue.json({k: v for k, v in summary.items() if k != "failing_cells"})}


def _public_preview(table: str, frame: pd.DataFrame) -> dict[str, object]:
    """The first rows for the UI, for a table of the public tier only: metadata is stored in the Dagster instance,
    which is no analysis zone, so microdata and free text never get a preview."""
    if table not in TIER_TABLES["public"]:
        return {}
    return {"preview": dg.MetadataValue.md(preview_markdown(frame))}


def audit_check_result(audited: list[AuditedCell], tables: dict[str, pd.DataFrame], rule: DisclosureRule, asset: str) -> dg.AssetCheckResult:
    """The attacker's audit as a blocking check: counts and intervals, never a cell's value in a small group."""
    summary = summarise_audit(audited)
    failed = summary["primary_cells_narrowed"] + summary["secondary_cells_pinned"]
    return dg.AssetCheckResult(
        check_name="no_recoverable_suppressed_cell",
        asset_key=dg.AssetKey([MARTS, asset]),
        passed=failed == 0,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(
            f"An attacker who solves every published relation at once bounds {summary['cells_audited']} suppressed "
            "cells: none is narrowed below its a-priori range or pinned."
            if not failed else
            f"{summary['primary_cells_narrowed']} small cell(s) narrowed and {summary['secondary_cells_pinned']} "
            "complement(s) pinned: the tables are not published (see failing_cells)."
        ),
        metadata={
            **{name: value for name, value in summary.items() if name != "failing_cells"},
            "failing_cells": dg.MetadataValue.json(summary["failing_cells"]),
            "cells_suppressed_per_kind": dg.MetadataValue.json(
                {name: _suppression_metadata(frame) for name, frame in tables.items()}
            ),
            "disclosure_rule": dg.MetadataValue.json(rule.as_dict()),
        },
    )


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
    check_specs=[
        dg.AssetCheckSpec(
            "no_recoverable_suppressed_cell",
            asset=dg.AssetKey([MARTS, "crosstabs"]),
            blocking=True,
            description=(
                "An attacker who knows the rule and solves every relation of the frequencies, crosstabs and scale "
                "summaries at once (with the wave's earlier releases) can neither narrow a small count below its "
                "a-priori range nor pin any other suppressed count (integer programming, HiGHS)."
            ),
        )
    ],
)
def survey_marts(context: dg.AssetExecutionContext, settings: VerkenningSettings, respondents: pd.DataFrame) -> Iterator[object]:
    """Count the answers overall and per background group, suppress what could disclose, and summarise the scales."""
    wave = context.partition_key
    codebook = codebook_for_wave(settings.folder.wave_dir(wave))
    rule = disclosure_rule(settings)
    earlier = earlier_public_tables(settings, wave)
    counts = frequency_tables(respondents, codebook, wave, rule, earlier)
    frequencies, crosstabs = counts.frequencies, counts.crosstabs
    summaries, missing_audit = scale_summaries(
        respondents, pd.concat([frequencies.assign(breakdown="", breakdown_group=""), crosstabs]), codebook, wave, rule,
        [t["scale_summaries"] for t in earlier if "scale_summaries" in t],
    )
    yield dg.Output(
        frequencies,
        output_name="question_frequencies",
        metadata={
            **_suppression_metadata(frequencies), **_public_preview("question_frequencies", frequencies),
            "chart": dg.MetadataValue.md(text_bar_chart(frequencies, codebook.headline_questions())),
        },
    )
    audited = counts.audit + missing_audit
    yield dg.Output(
        crosstabs, output_name="crosstabs",
        metadata={**_suppression_metadata(crosstabs), **_public_preview("crosstabs", crosstabs), **_audit_metadata(audited)},
    )
    yield dg.Output(
        summaries, output_name="scale_summaries",
        metadata={
            "dagster/row_count": len(summaries), "statistics_suppressed": int(summaries["suppressed"].sum()),
            "missing_counts_suppressed": int(summaries["n_missing"].isna().sum()), **_public_preview("scale_summaries", summaries),
        },
    )
    yield audit_check_result(audited, {"question_frequencies": frequencies, "crosstabs": crosstabs}, rule, "crosstabs")


@dg.asset(ins={"respondents": _anonymised("respondents")}, partitions_def=waves, **checked_table_asset(MARTS, "open_answers"))
def open_answers_mart(context: dg.AssetExecutionContext, settings: VerkenningSettings, respondents: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    """The de-identified open answers per question, in an order that does not follow the respondents'."""
    codebook = codebook_for_wave(settings.folder.wave_dir(context.partition_key))
    table = open_answers(respondents, codebook, context.partition_key)
    return dg.Output(table, metadata={"dagster/row_count": len(table)})


@dg.asset(
    ins={"anonymised_respondents": _anonymised("respondents")}, partitions_def=waves, **checked_table_asset(MARTS, "respondents")
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
        "workshop_support_themes": table_out(
            MARTS, "workshop_support_themes", "Dot votes per support theme, per meeting and overall, ranked (no free text)."
        ),
    },
    partitions_def=waves,
    group_name=MARTS,
    check_specs=[
        dg.AssetCheckSpec(
            "no_recoverable_suppressed_cell",
            asset=dg.AssetKey([MARTS, "workshop_statements"]),
            blocking=True,
            description=(
                "An attacker who knows the rule and solves every relation of the statement votes at once (with the "
                "wave's earlier releases) can neither narrow a small count nor pin any other suppressed count."
            ),
        )
    ],
)
def workshop_marts(
    context: dg.AssetExecutionContext,
    settings: VerkenningSettings,
    notes: pd.DataFrame,
    statements: pd.DataFrame,
    support_needs: pd.DataFrame,
) -> Iterator[object]:
    """Summarise the workshops: notes, statement votes (suppressed like every count) and ranked support needs."""
    wave = context.partition_key
    rule = disclosure_rule(settings)
    earlier = [t["workshop_statements"] for t in earlier_public_tables(settings, wave) if "workshop_statements" in t]
    statement_table, audited = workshop_statements(statements, wave, rule, earlier)
    yield dg.Output(workshop_notes(notes, wave), output_name="workshop_notes", metadata={"dagster/row_count": len(notes)})
    yield dg.Output(
        statement_table, output_name="workshop_statements",
        metadata={**_suppression_metadata(statement_table), **_public_preview("workshop_statements", statement_table), **_audit_metadata(audited)},
    )
    needs = workshop_support_needs(support_needs, wave)
    yield dg.Output(needs, output_name="workshop_support_needs", metadata={"dagster/row_count": len(needs)})
    themes = workshop_support_themes(support_needs, wave)
    yield dg.Output(
        themes, output_name="workshop_support_themes", metadata={"dagster/row_count": len(themes), **_public_preview("workshop_support_themes", themes)}
    )
    yield audit_check_result(audited, {"workshop_statements": statement_table}, rule, "workshop_statements")


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
    # A background question is counted at the level the wave's anonymisation chose: one level's categories, whole.
    released = {
        q.code: q.released_categories(question_frequencies.loc[question_frequencies["question_code"] == q.code, "option_code"])
        for q in codebook.questions_with_role("quasi_identifier")
    }
    result = run_suite(
        question_frequencies, "marts_question_frequencies", question_frequencies_suite(codebook, released),
        settings.folder.reports / "gx" / (wave or "all"),
    )
    return gx_check_result(result)
