"""Anonymised tables: computed in the restricted zone and guarded by blocking disclosure checks; only once they
pass does the `analysis` step copy them into the analysis zone."""

from collections import Counter
from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.common import check_wave, checked_table_asset, gx_check_result, table_out
from assets.partitions import waves
from pipelines.resources import VerkenningSettings, lake_location, lake_table_name
from schemas.codebook import codebook_for_wave
from schemas.quality_suites import anonymised_respondents_suite
from verkenning.anonymise.leak_detection import IdentifierFinder, find_identifier_leaks
from verkenning.anonymise.microdata import microdata_report
from verkenning.anonymise.pseudonym import pseudonym_key
from verkenning.anonymise.respondents import anonymise_respondents, answer_columns
from verkenning.anonymise.text import TextDeidentifier
from verkenning.anonymise.workshops import FREE_TEXT, anonymise_workshop_table
from verkenning.anonymise.residuals import residual_identifiers, text_columns
from verkenning.lake import LAKE, connect
from verkenning.quality import run_suite  # GX itself is imported only when a suite runs

ANONYMISED = "anonymised"
WORKSHOP_TABLES = {
    "sticky_notes": "Workshop sticky notes (working method 1) with de-identified text; no authors.",
    "statements": "Workshop 2030 statements with agree, neutral and disagree counts per meeting and table.",
    "support_needs": "Workshop support needs with theme and dot votes per meeting and table; de-identified text.",
}
ANONYMISED_TABLES = ["respondents", *[f"workshop_{kind}" for kind in WORKSHOP_TABLES]]
# Columns that hold a hash or a code by construction, not text anyone typed.
NOT_FREE_TEXT = frozenset({"respondent_key", "wave"})


def _staged(table: str) -> dg.AssetIn:
    return dg.AssetIn(key=dg.AssetKey(["staged", table]))


def _deidentifier(watchlist: pd.DataFrame) -> TextDeidentifier:
    """A de-identifier that also knows this wave's organisations and people (from the restricted zone)."""
    return TextDeidentifier(
        organisations=watchlist.loc[watchlist["kind"] == "organisation", "value"].tolist(),
        people=watchlist.loc[watchlist["kind"] == "name", "value"].tolist(),
        watch_words=watchlist.loc[watchlist["kind"] == "email_name", "value"].tolist(),
    )


@dg.asset(
    ins={"survey_completed": _staged("survey_completed"), "identifier_watchlist": _staged("identifier_watchlist")},
    partitions_def=waves,
    **checked_table_asset(ANONYMISED, "respondents"),
)
def anonymised_respondents(
    context: dg.AssetExecutionContext,
    settings: VerkenningSettings,
    survey_completed: pd.DataFrame,
    identifier_watchlist: pd.DataFrame,
) -> dg.Output[pd.DataFrame]:
    """One row per completed response: a pseudonym, coarsened background (k-anonymous), answers and de-identified text."""
    wave = context.partition_key
    wave_dir = settings.folder.wave_dir(wave)
    codebook = codebook_for_wave(wave_dir)
    key, is_sample_key = pseudonym_key(wave_dir)
    with _deidentifier(identifier_watchlist) as deidentifier:
        result = anonymise_respondents(
            survey_completed,
            codebook,
            wave=wave,
            key=key,
            k=settings.k,
            order=settings.suppression_order_codes,
            start_deidentify=deidentifier.start_many,
            l_diversity=settings.l_diversity or None,
        )
    suppression = result.suppression
    return dg.Output(
        result.frame,
        metadata={
            "dagster/row_count": len(result.frame),
            "rows_in": len(survey_completed),
            "rows_out": len(result.frame),
            "k": settings.k,
            "smallest_class": suppression.smallest_class,
            "k_reached": suppression.k_reached,
            "suppressed_values_by_variable": dg.MetadataValue.json(suppression.suppressed_per_variable),
            "microdata": dg.MetadataValue.json(microdata_report(suppression)),
            "information_loss": dg.MetadataValue.float(round(suppression.information_loss, 4)),
            "redactions_by_placeholder": dg.MetadataValue.json(dict(sorted(result.redactions.items()))),
            "pseudonym_key": "the public sample key (synthetic sample only)" if is_sample_key else "VERKENNING_PSEUDONYM_KEY",
        },
    )


@dg.multi_asset(
    ins={
        **{f"staged_{kind}": _staged(f"workshop_{kind}") for kind in WORKSHOP_TABLES},
        "identifier_watchlist": _staged("identifier_watchlist"),
    },
    outs={f"workshop_{kind}": table_out(ANONYMISED, f"workshop_{kind}", text) for kind, text in WORKSHOP_TABLES.items()},
    partitions_def=waves,
    group_name=ANONYMISED,
)
def anonymised_workshops(
    staged_sticky_notes: pd.DataFrame,
    staged_statements: pd.DataFrame,
    staged_support_needs: pd.DataFrame,
    identifier_watchlist: pd.DataFrame,
) -> Iterator[dg.Output[pd.DataFrame]]:
    """De-identify the workshop tables: authors dropped, names and organisations in texts replaced by placeholders."""
    staged = {"sticky_notes": staged_sticky_notes, "statements": staged_statements, "support_needs": staged_support_needs}
    with _deidentifier(identifier_watchlist) as deidentifier:
        tables = {kind: anonymise_workshop_table(kind, table, deidentifier.deidentify_many) for kind, table in staged.items()}
    for kind, (anonymised, redactions) in tables.items():
        yield dg.Output(
            anonymised,
            output_name=f"workshop_{kind}",
            metadata={
                "dagster/row_count": len(anonymised),
                "redactions_by_placeholder": dg.MetadataValue.json(dict(sorted(Counter(redactions).items()))),
            },
        )


# --- blocking disclosure checks ----------------------------------------------------------------------


def smallest_equivalence_class(frame: pd.DataFrame, columns: list[str]) -> int:
    """A plain group-by count over the coarsened background variables, missing as a value of its own."""
    if frame.empty:
        return 0
    return int(frame.groupby(columns, dropna=False).size().min())


@dg.asset_check(
    partitions_def=waves,
    asset=dg.AssetKey([ANONYMISED, "respondents"]),
    blocking=True,
    description="Every combination of the coarsened background variables occurs at least k times (counted afresh here).",
)
def k_anonymity(settings: VerkenningSettings, respondents: pd.DataFrame) -> dg.AssetCheckResult:
    columns = [c for c in respondents.columns if c.endswith("_group")]
    smallest = smallest_equivalence_class(respondents, columns)
    classes_below_k = int((respondents.groupby(columns, dropna=False).size() < settings.k).sum()) if len(respondents) else 0
    return dg.AssetCheckResult(
        passed=bool(columns) and classes_below_k == 0 and len(respondents) > 0,
        severity=dg.AssetCheckSeverity.ERROR,
        description=f"smallest combination of {', '.join(columns)} occurs {smallest} times; k = {settings.k}",
        metadata={"k": settings.k, "smallest_class": smallest, "classes_below_k": classes_below_k, "records": len(respondents)},
    )


def coded_columns(table: str, anonymised: pd.DataFrame, settings: VerkenningSettings, wave: str) -> list[str]:
    """The columns of an anonymised table that hold the codebook's answer codes or background groups: a fixed
    vocabulary nobody typed ("ARTS" is a sector's code, not the surname Arts of an e-mail address)."""
    if table != "respondents":
        return []
    coded = answer_columns(codebook_for_wave(settings.folder.wave_dir(wave)), anonymised.columns)[0]
    return [c for c in anonymised.columns if c in coded or c.endswith("_group")]


def direct_identifier_leaks(anonymised: pd.DataFrame, watchlist: pd.DataFrame, coded: list[str]) -> pd.DataFrame:
    """Cells per column and kind that hold a watchlist value, in every column but the coded ones."""
    return find_identifier_leaks(anonymised.drop(columns=coded), IdentifierFinder(watchlist))


def _no_direct_identifiers_check(table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        partitions_def=waves,
        asset=dg.AssetKey([ANONYMISED, table]),
        name="no_direct_identifiers",
        additional_ins={"identifier_watchlist": _staged("identifier_watchlist")},
        blocking=True,
        description=(
            "No e-mail, token, name, organisation name or IP address of this wave's restricted zone occurs in any "
            "cell that is not a codebook code, compared without case and spaces."
        ),
    )
    def _check(
        context: dg.AssetCheckExecutionContext,
        settings: VerkenningSettings,
        anonymised: pd.DataFrame,
        identifier_watchlist: pd.DataFrame,
    ) -> dg.AssetCheckResult:
        coded = coded_columns(table, anonymised, settings, context.partition_key)
        leaks = direct_identifier_leaks(anonymised, identifier_watchlist, coded)
        return dg.AssetCheckResult(
            passed=leaks.empty,
            severity=dg.AssetCheckSeverity.ERROR,
            description="No direct identifier found." if leaks.empty else (
                f"{int(leaks['cells'].sum())} cells hold a direct identifier of the restricted zone: "
                "extend the de-identification and run the wave again."
            ),
            metadata={
                "identifiers_checked": len(identifier_watchlist),
                "coded_columns_not_read": len(coded),
                "cells_with_identifiers_by_column_and_kind": dg.MetadataValue.json(leaks.to_dict("records")),
            },
        )

    return _check


def free_text_columns(table: str, anonymised: pd.DataFrame, settings: VerkenningSettings, wave: str) -> list[str]:
    """The columns of an anonymised table that hold de-identified free text."""
    if table == "respondents":
        return answer_columns(codebook_for_wave(settings.folder.wave_dir(wave)), anonymised.columns)[1]
    return [c for c in FREE_TEXT[table.removeprefix("workshop_")] if c in anonymised.columns]


def _no_identifier_patterns_check(table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        partitions_def=waves,
        asset=dg.AssetKey([ANONYMISED, table]),
        name="no_identifier_patterns",
        additional_ins={"identifier_watchlist": _staged("identifier_watchlist")},
        blocking=True,
        description=(
            "The de-identifier's own recognisers (deduce's and the project's, with this wave's names) find nothing "
            "more in the free text, and no e-mail, phone, IBAN, BSN, postcode, address, date of birth or age "
            "pattern remains in any other text column."
        ),
    )
    def _check(
        context: dg.AssetCheckExecutionContext,
        settings: VerkenningSettings,
        anonymised: pd.DataFrame,
        identifier_watchlist: pd.DataFrame,
    ) -> dg.AssetCheckResult:
        free_text = free_text_columns(table, anonymised, settings, context.partition_key)
        with _deidentifier(identifier_watchlist) as deidentifier:
            found = residual_identifiers(anonymised, free_text, deidentifier.find_many, NOT_FREE_TEXT)
        return dg.AssetCheckResult(
            passed=not found,
            severity=dg.AssetCheckSeverity.ERROR,
            description="Nothing identifying recognised." if not found else (
                f"{sum(found.values())} cells still hold something the de-identifier recognises: "
                "extend the de-identification and run the wave again."
            ),
            metadata={
                "free_text_columns_checked": len(free_text),
                "text_columns_checked": len(text_columns(anonymised, NOT_FREE_TEXT)),
                "cells_by_column_and_kind": dg.MetadataValue.json(dict(sorted(found.items()))),
            },
        )

    return _check


# One of each per anonymised table; module loading finds them in this list.
DISCLOSURE_CHECKS = [
    *[_no_direct_identifiers_check(table) for table in ANONYMISED_TABLES],
    *[_no_identifier_patterns_check(table) for table in ANONYMISED_TABLES],
]


# --- Great Expectations suite from the codebook ----------------------------------------------------


def _previous_wave_respondents(settings: VerkenningSettings, wave: str | None) -> int | None:
    """Respondents of the latest earlier wave in the analysis zone, where there is one."""
    if not wave:
        return None
    table = lake_table_name(dg.AssetKey([ANONYMISED, "respondents"]))
    with connect(lake_location(settings.data_dir)) as connection:
        exists = connection.execute(
            f"SELECT count(*) FROM duckdb_tables() WHERE database_name = '{LAKE}' AND table_name = ?", [table]
        ).fetchone()[0]
        if not exists:
            return None
        rows = connection.execute(
            f"SELECT count(*) FROM {LAKE}.{table} WHERE wave = (SELECT max(wave) FROM {LAKE}.{table} WHERE wave < ?)", [wave]
        ).fetchone()[0]
    return int(rows) or None


@dg.asset_check(
    partitions_def=waves,
    asset=dg.AssetKey([ANONYMISED, "respondents"]),
    blocking=True,
    description=(
        "Great Expectations suite from the codebook: exactly the allowed columns (no direct identifier), one row per "
        "pseudonym, background only as codebook groups, answers only as codebook codes and scale values on the scale "
        "block publication; a row count far from the previous wave warns."
    ),
)
def gx_anonymised_respondents(
    context: dg.AssetCheckExecutionContext, settings: VerkenningSettings, respondents: pd.DataFrame
) -> dg.AssetCheckResult:
    wave = check_wave(context)
    codebook = codebook_for_wave(settings.folder.wave_dir(wave))
    suite = anonymised_respondents_suite(codebook, settings.k, _previous_wave_respondents(settings, wave))
    result = run_suite(respondents, "anonymised_respondents", suite, settings.folder.reports / "gx" / (wave or "all"))
    return gx_check_result(result)
