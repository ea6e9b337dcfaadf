"""Staged zone (restricted): typed, cleaned survey and workshop tables, with every dropped row kept with its reason."""

from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.common import OWNERS, RESTRICTED_IO, check_wave, counts_markdown, gx_check_result, table_out
from assets.partitions import waves
from pipelines.resources import VerkenningSettings
from schemas.codebook import codebook_for_wave
from schemas.staged_contract import build_staged_survey_contract
from verkenning.anonymise.leak_detection import build_watchlist, names_in_email_addresses
from verkenning.staging.survey import WithdrawalReport, duplicate_detection, stage_survey
from verkenning.staging.workshops import stage_workshops

STAGED = "staged"


def _raw(table: str) -> dg.AssetIn:
    return dg.AssetIn(key=dg.AssetKey(["raw", table]))


@dg.multi_asset(
    ins={"survey_responses": _raw("survey_responses"), "withdrawals": _raw("withdrawals")},
    # The quarantine's share check is blocking: too many quarantined rows stop everything from here on.
    deps=[dg.AssetKey(["raw", "survey_quarantine"])],
    outs={
        "survey_completed": table_out(
            STAGED, "survey_completed",
            "Completed survey responses, one per person (the latest completed submission), typed and normalised.",
        ),
        "survey_incomplete": table_out(
            STAGED, "survey_incomplete", "Responses of people who never completed the questionnaire, flagged, kept apart."
        ),
        "survey_exclusions": table_out(
            STAGED, "survey_exclusions",
            "Responses set aside (test, duplicate submission, withdrawn) with the reason; withdrawn people keep no answers.",
        ),
    },
    partitions_def=waves,
    group_name=STAGED,
    check_specs=[
        dg.AssetCheckSpec(
            "responses_accounted_for",
            asset=dg.AssetKey([STAGED, "survey_completed"]),
            blocking=True,
            description="Responses in = completed + incomplete + excluded (with reason).",
        ),
        dg.AssetCheckSpec(
            "shown_if_consistency",
            asset=dg.AssetKey([STAGED, "survey_completed"]),
            description="Answers to questions their shown_if condition hid (removed in staging); warns when any.",
        ),
        dg.AssetCheckSpec(
            "every_withdrawal_matched",
            asset=dg.AssetKey([STAGED, "survey_completed"]),
            blocking=True,
            description=(
                "Every row of withdrawals.csv matches a response of the wave by token or e-mail address; a row that "
                "matches nobody blocks publication (a mistyped token would keep a person who withdrew in the data). "
                "Correct the token or e-mail in withdrawals.csv, or remove the row if the person never took part."
            ),
        ),
    ],
)
def staged_survey(
    context: dg.AssetExecutionContext,
    settings: VerkenningSettings,
    survey_responses: pd.DataFrame,
    withdrawals: pd.DataFrame,
) -> Iterator[object]:
    """Clean the survey: normalise and type the answers, set apart test, duplicate, withdrawn and incomplete responses."""
    codebook = codebook_for_wave(settings.folder.wave_dir(context.partition_key))
    staged = stage_survey(survey_responses, codebook, withdrawals)
    contract_completed = build_staged_survey_contract(codebook, completed=True)
    contract_incomplete = build_staged_survey_contract(codebook, completed=False)
    contract_completed.validate(staged.completed, lazy=True)
    contract_incomplete.validate(staged.incomplete, lazy=True)

    by_reason = staged.exclusions_by_reason()
    yield dg.Output(
        staged.completed,
        output_name="survey_completed",
        metadata={
            "dagster/row_count": len(staged.completed),
            "rows_in": len(survey_responses),
            "completed": len(staged.completed),
            "incomplete": len(staged.incomplete),
            "excluded": len(staged.exclusions),
            "excluded_by_reason": dg.MetadataValue.json(by_reason),
            "duplicates_detected": duplicate_detection(survey_responses, codebook),
            **_withdrawal_counts(staged.withdrawals),
        },
    )
    yield dg.Output(staged.incomplete, output_name="survey_incomplete", metadata={"dagster/row_count": len(staged.incomplete)})
    yield dg.Output(
        staged.exclusions,
        output_name="survey_exclusions",
        metadata={"dagster/row_count": len(staged.exclusions), "excluded_by_reason": dg.MetadataValue.json(by_reason)},
    )
    problem = staged.unaccounted(len(survey_responses))
    yield dg.AssetCheckResult(
        check_name="responses_accounted_for",
        asset_key=dg.AssetKey([STAGED, "survey_completed"]),
        passed=problem is None,
        description=problem or "every response is completed, incomplete or excluded with a reason",
        metadata={"rows_in": len(survey_responses), "completed": len(staged.completed),
                  "incomplete": len(staged.incomplete), "excluded": len(staged.exclusions)},
    )
    inconsistent = {question: count for question, count in staged.inconsistent_answers.items() if count}
    yield dg.AssetCheckResult(
        check_name="shown_if_consistency",
        asset_key=dg.AssetKey([STAGED, "survey_completed"]),
        passed=not inconsistent,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            "No answer to a hidden question." if not inconsistent
            else "Responses answered questions their shown_if condition hid; those answers were removed: "
            + "; ".join(
                f"{question} ({count} response{'s' if count != 1 else ''}, shown only if {codebook.question(question).shown_if.source})"
                if codebook.question(question).shown_if else f"{question} ({count})"
                for question, count in sorted(inconsistent.items())
            )
        ),
        metadata={"responses_with_hidden_answers_by_question": dg.MetadataValue.json(staged.inconsistent_answers)},
    )
    yield _every_withdrawal_matched(staged.withdrawals)


def _withdrawal_counts(report: WithdrawalReport) -> dict[str, int]:
    return {
        "withdrawals_listed": report.listed,
        "withdrawn_people_removed": report.people_removed,
        "withdrawn_responses_removed": report.responses_removed,
        "withdrawals_unmatched": len(report.unmatched),
    }


def _every_withdrawal_matched(report: WithdrawalReport) -> dg.AssetCheckResult:
    """Blocking: a withdrawal that matches nobody is named by its line in withdrawals.csv (never its token or e-mail)."""
    if not report.unmatched:
        summary = (
            f"every withdrawal matched: {report.listed} listed, {report.people_removed} people "
            f"({report.responses_removed} responses) removed." if report.listed else "no withdrawals in this wave."
        )
    else:
        summary = (
            f"{len(report.unmatched)} of {report.listed} withdrawals match no response of the wave, so the person may "
            f"still be in the data: {'; '.join(u.describe() for u in report.unmatched)}. Correct the token or e-mail in "
            "withdrawals.csv, or remove the row if the person never took part (a person whose only response is in "
            "raw/survey_quarantine is not matched either: fix the export), then run the wave again."
        )
    return dg.AssetCheckResult(
        check_name="every_withdrawal_matched",
        asset_key=dg.AssetKey([STAGED, "survey_completed"]),
        passed=not report.unmatched,
        severity=dg.AssetCheckSeverity.ERROR,
        description=summary,
        metadata={
            "summary": summary,  # the run's page shows metadata, not the description
            **_withdrawal_counts(report),
            "unmatched_rows": dg.MetadataValue.json([u.as_metadata() for u in report.unmatched]),
        },
    )


WORKSHOP_KINDS = {
    "sticky_notes": "Sticky notes of working method 1, one per row, with category mapped to Toepassing, Kans or Zorg.",
    "statements": "2030 statements per meeting and table with agree, neutral and disagree counts as numbers.",
    "support_needs": "Support needs per meeting and table with their theme and dot votes as numbers.",
    "attendance": "Workshop participants (name, e-mail, organisation): personal data, restricted zone only.",
}


@dg.multi_asset(
    ins={f"raw_{kind}": _raw(f"workshop_{kind}") for kind in WORKSHOP_KINDS},
    outs={
        **{f"workshop_{kind}": table_out(STAGED, f"workshop_{kind}", text) for kind, text in WORKSHOP_KINDS.items()},
        "workshop_quarantine": table_out(
            STAGED, "workshop_quarantine",
            "Workshop rows that could not be used (unreadable votes or counts, unknown category, empty text) with the reason.",
        ),
    },
    partitions_def=waves,
    group_name=STAGED,
    check_specs=[
        dg.AssetCheckSpec(
            "workshop_rows_accounted_for",
            asset=dg.AssetKey([STAGED, "workshop_sticky_notes"]),
            blocking=True,
            description="For every sheet kind: rows in = rows staged + rows quarantined.",
        ),
        dg.AssetCheckSpec(
            "workshop_quarantine_empty",
            asset=dg.AssetKey([STAGED, "workshop_quarantine"]),
            description="Warns when workshop rows were quarantined: read their reasons and correct the workbook.",
        ),
    ],
)
def staged_workshops(
    raw_sticky_notes: pd.DataFrame,
    raw_statements: pd.DataFrame,
    raw_support_needs: pd.DataFrame,
    raw_attendance: pd.DataFrame,
) -> Iterator[object]:
    """Tidy the workshop sheets: categories, votes and counts parsed; rows that cannot be read quarantined."""
    staged = stage_workshops(raw_sticky_notes, raw_statements, raw_support_needs, raw_attendance)
    accounting = staged.accounting()
    for kind in WORKSHOP_KINDS:
        table = staged.tidy(kind)
        yield dg.Output(table, output_name=f"workshop_{kind}", metadata={"dagster/row_count": len(table)})
    quarantine = staged.quarantine
    by_kind = quarantine.groupby(["sheet_kind", "column"]).size().rename("rows").reset_index() if len(quarantine) else pd.DataFrame()
    yield dg.Output(
        quarantine,
        output_name="workshop_quarantine",
        metadata={
            "dagster/row_count": len(quarantine),
            "quarantined_by_sheet_and_column": dg.MetadataValue.md(counts_markdown(by_kind, "Nothing quarantined.")),
        },
    )
    yield dg.AssetCheckResult(
        check_name="workshop_rows_accounted_for",
        asset_key=dg.AssetKey([STAGED, "workshop_sticky_notes"]),
        passed=bool(staged.every_row_accounted_for),
        metadata={"accounting": dg.MetadataValue.md(counts_markdown(accounting, "No workshop rows."))},
    )
    yield dg.AssetCheckResult(
        check_name="workshop_quarantine_empty",
        asset_key=dg.AssetKey([STAGED, "workshop_quarantine"]),
        passed=quarantine.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"rows_quarantined": len(quarantine)},
    )


@dg.asset(
    key=dg.AssetKey([STAGED, "identifier_watchlist"]),
    ins={
        "survey_responses": _raw("survey_responses"),
        "withdrawals": _raw("withdrawals"),
        "attendance": _raw("workshop_attendance"),
        "sticky_notes": _raw("workshop_sticky_notes"),
    },
    partitions_def=waves,
    group_name=STAGED,
    io_manager_key=RESTRICTED_IO,
    tags={"zone": "restricted"},
    owners=OWNERS,
    kinds={"pandas", "parquet"},
)
def identifier_watchlist(
    context: dg.AssetExecutionContext,
    settings: VerkenningSettings,
    survey_responses: pd.DataFrame,
    withdrawals: pd.DataFrame,
    attendance: pd.DataFrame,
    sticky_notes: pd.DataFrame,
) -> dg.Output[pd.DataFrame]:
    """Every e-mail, token, name, organisation and IP address of the wave: what must never reach the analysis zone.
    Also the person names that the wave's e-mail addresses spell (kind "email_name": "m.jansen@..." -> "Jansen"),
    for a person whose name occurs nowhere else in the wave's data."""
    codebook = codebook_for_wave(settings.folder.wave_dir(context.partition_key))
    survey_identifiers = {
        # The codebook's direct identifiers (EMAIL, ORGNAME), each under its own code as kind.
        question.code.lower(): list(survey_responses[question.code])
        for question in codebook.questions_with_role("direct_identifier")
        if question.code in survey_responses
    }
    emails = survey_identifiers.pop("email", [])
    organisations = survey_identifiers.pop("orgname", [])
    all_emails = [*emails, *withdrawals["email"], *attendance["E-mail"]]
    values = {
        **survey_identifiers,
        "email": all_emails,
        "token": [*survey_responses.get("token", pd.Series(dtype=object)), *withdrawals["token"]],
        "name": [*attendance["Naam"], *sticky_notes["Auteur"]],
        "organisation": [*organisations, *attendance["Organisatie"]],
        "ip_address": list(survey_responses.get("ipaddr", pd.Series(dtype=object))),
        "email_name": names_in_email_addresses(all_emails),
    }
    watchlist = build_watchlist(values)
    return dg.Output(
        watchlist,
        metadata={
            "dagster/row_count": len(watchlist),
            "identifiers_by_kind": dg.MetadataValue.json(watchlist["kind"].value_counts().sort_index().to_dict()),
        },
    )


@dg.asset_check(
    partitions_def=waves,
    asset=dg.AssetKey([STAGED, "survey_completed"]),
    blocking=True,
    description=(
        "Great Expectations suite from the codebook: allowed codes, scale ranges and unique responses block "
        "publication; unanswered required questions and a row count far from the previous wave warn."
    ),
)
def gx_staged_survey(
    context: dg.AssetCheckExecutionContext, settings: VerkenningSettings, survey_completed: pd.DataFrame
) -> dg.AssetCheckResult:
    from schemas.quality_suites import staged_survey_suite
    from verkenning.quality import run_suite

    wave = check_wave(context)
    codebook = codebook_for_wave(settings.folder.wave_dir(wave))
    previous = _previous_wave_rows(settings, wave)
    result = run_suite(
        survey_completed, "staged_survey_completed", staged_survey_suite(codebook, previous),
        settings.folder.reports / "gx" / (wave or "all"),
    )
    return gx_check_result(result)


def _previous_wave_rows(settings: VerkenningSettings, wave: str | None) -> int | None:
    """Completed responses of the wave before this one, where it was staged."""
    earlier = [w for w in settings.folder.waves() if wave and w < wave]
    for previous in reversed(earlier):
        path = settings.folder.restricted_table(STAGED, "survey_completed", previous)
        if path.is_file():
            return len(pd.read_parquet(path, columns=["id"]))
    return None
