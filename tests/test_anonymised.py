"""The anonymised zone, run through the real assets on the sample wave, and its blocking disclosure checks."""

from __future__ import annotations

import json
import math
import shutil

import pandas as pd
import pytest

from assets.anonymised import (
    coded_columns,
    direct_identifier_leaks,
    k_anonymity,
    smallest_equivalence_class,
)
from conftest import (
    SAMPLE_WAVE,
    SAMPLE_WAVE_DIR,
    analysis_tables,
    materialization_metadata,
    materialize_wave,
    read_analysis,
    read_restricted,
    step_error_messages,
)
from pipelines.resources import VerkenningSettings
from schemas.codebook import load_codebook
from verkenning.anonymise.leak_detection import IdentifierFinder
from verkenning.anonymise.pseudonym import SAMPLE_MARKER
from verkenning.anonymise.residuals import residual_identifiers
from verkenning.anonymise.text import TextDeidentifier
from verkenning.data_folder import DataFolder

CODEBOOK = load_codebook()
GROUP_COLUMNS = ["SECTOR_group", "ORGSIZE_group", "ROLE_group", "PROVINCE_group"]


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """One run of the whole pipeline on a copy of the sample wave, shared by the tests of this module."""
    data_dir = tmp_path_factory.mktemp("anonymised") / "data"
    DataFolder(data_dir).ensure_zones()
    shutil.copytree(SAMPLE_WAVE_DIR, data_dir / "inbox" / SAMPLE_WAVE)
    return data_dir, materialize_wave(data_dir)


def analysis_table(data_dir, table: str) -> pd.DataFrame:
    return read_analysis(data_dir, f"anonymised_{table}")


def test_every_blocking_check_passes_on_the_sample(sample_run):
    _, result = sample_run
    assert result.success, step_error_messages(result)
    evaluations = result.get_asset_check_evaluations()
    failed = [(e.asset_key.to_user_string(), e.check_name) for e in evaluations if not e.passed and e.severity.value == "ERROR"]
    assert not failed
    names = {(e.asset_key.path[-1], e.check_name) for e in evaluations}
    for table in ("respondents", "workshop_sticky_notes", "workshop_statements", "workshop_support_needs"):
        assert (table, "no_direct_identifiers") in names and (table, "no_identifier_patterns") in names
    assert ("respondents", "k_anonymity") in names


def test_respondents_have_one_row_per_completed_response_and_no_direct_identifier(sample_run):
    data_dir, _ = sample_run
    respondents = analysis_table(data_dir, "respondents")
    completed = read_restricted(data_dir, "survey_completed", layer="staged")
    assert len(respondents) == len(completed)
    assert respondents["respondent_key"].is_unique and respondents["respondent_key"].str.fullmatch("[0-9a-f]{64}").all()
    dropped = {"token", "ipaddr", "refurl", "EMAIL", "ORGNAME", "submitdate", "startdate", "datestamp", "seed", "id",
               "_row_number", "_source_file", "SECTOR", "SECTOR[other]", "ROLE[other]", "PROVINCE", "ORGSIZE", "ROLE"}
    assert not dropped & set(respondents.columns)
    assert respondents.columns[:2].tolist() == ["respondent_key", "wave"]
    assert set(GROUP_COLUMNS) <= set(respondents.columns)
    # The order of the rows says nothing about the order of answering.
    assert respondents["respondent_key"].is_monotonic_increasing


def test_background_is_coarsened_and_k_anonymous(sample_run):
    data_dir, result = sample_run
    respondents = analysis_table(data_dir, "respondents")
    assert respondents.groupby(GROUP_COLUMNS, dropna=False).size().min() >= 5
    assert set(respondents["SECTOR_group"].dropna()) <= set(CODEBOOK.question("SECTOR").released_labels())
    metadata = materialization_metadata(result, "anonymised/respondents")
    suppressed = metadata["suppressed_values_by_variable"].value
    assert set(suppressed) == {"PROVINCE", "ROLE", "ORGSIZE", "SECTOR"}
    assert sum(suppressed.values()) == int(respondents[GROUP_COLUMNS].isna().sum().sum())
    # The microdata report: the levels chosen, and an information loss recomputed here from the released table.
    report = metadata["microdata"].value
    released = {code: CODEBOOK.question(code).released_categories(respondents[f"{code}_group"].dropna()) for code in suppressed}
    recomputed = 0.0
    for code, categories in released.items():
        groups = len(CODEBOOK.question(code).group_labels)
        kept = int(respondents[f"{code}_group"].notna().sum())
        recomputed += suppressed[code] + kept * (1 - math.log(len(categories)) / math.log(groups))
    assert report["information_loss"] == pytest.approx(recomputed / (4 * len(respondents)), abs=1e-4)
    assert report["information_loss"] <= report["information_loss_column_by_column"]
    assert report["information_loss_lower_bound"] <= report["information_loss"]
    assert set(report["levels"]) == set(suppressed)


def test_pseudonym_is_the_hmac_of_the_normalised_email(sample_run):
    import hashlib
    import hmac

    from verkenning.anonymise.pseudonym import SAMPLE_KEY

    data_dir, _ = sample_run
    completed = read_restricted(data_dir, "survey_completed", layer="staged")
    with_email = completed[completed["EMAIL"].notna()].iloc[0]
    email = "".join(with_email["EMAIL"].split()).casefold()
    expected = hmac.new(SAMPLE_KEY.encode(), f"email:{email}".encode(), hashlib.sha256).hexdigest()
    assert expected in set(analysis_table(data_dir, "respondents")["respondent_key"])


def test_workshop_tables_have_no_authors_and_no_attendance(sample_run):
    data_dir, _ = sample_run
    notes = analysis_table(data_dir, "workshop_sticky_notes")
    assert "author" not in notes.columns and "source_file" not in notes.columns
    assert not any("attendance" in table or "watchlist" in table for table in analysis_tables(data_dir))
    assert len(notes) == len(read_restricted(data_dir, "workshop_sticky_notes", layer="staged"))


def test_no_identifier_of_the_restricted_zone_in_any_metadata_or_log(sample_run):
    data_dir, result = sample_run
    finder = IdentifierFinder(read_restricted(data_dir, "identifier_watchlist", layer="staged"))
    texts = []
    for event in result.all_events:
        texts.append(event.message or "")
        if event.is_step_materialization or event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            metadata = getattr(getattr(data, "materialization", None), "metadata", None) or getattr(
                getattr(data, "asset_check_evaluation", data), "metadata", {}
            )
            texts += [json.dumps(str(value.value), ensure_ascii=False) for value in metadata.values()]
    assert any("PROVINCE_group" in text for text in texts), "metadata values were read"
    leaking = [text[:80] for text in texts if finder.kinds_in(text)]
    assert not leaking


# --- each check fails on a table that breaks it ------------------------------------------------------


def test_k_anonymity_check_fails_on_a_unique_combination():
    settings = VerkenningSettings(data_dir=".", k=5)
    table = pd.DataFrame({c: ["X"] * 5 + ["Y"] for c in GROUP_COLUMNS})
    result = k_anonymity(settings=settings, respondents=table)
    assert not result.passed and result.metadata["smallest_class"].value == 1
    assert k_anonymity(settings=settings, respondents=table.iloc[:5]).passed
    assert smallest_equivalence_class(table.iloc[:5], GROUP_COLUMNS) == 5


def test_k_anonymity_check_blocks_the_run_when_k_cannot_be_reached(sample_data_dir):
    result = materialize_wave(sample_data_dir, k=1000)  # more than the wave has respondents
    k_check = next(e for e in result.get_asset_check_evaluations() if e.check_name == "k_anonymity")
    assert not k_check.passed and k_check.severity.value == "ERROR"
    assert not result.success  # a failed blocking check stops the run


def test_direct_identifier_check_fails_on_a_planted_identifier():
    watchlist = pd.DataFrame({"kind": ["email", "name"], "value": ["p.devries@rijksmuseum.nl", "Fatima el Amrani"]})
    clean = pd.DataFrame({"OPEN_USE": ["Mijn collega [PERSOON] van [ORGANISATIE]"]})
    assert direct_identifier_leaks(clean, watchlist, []).empty
    planted = pd.DataFrame({"OPEN_USE": ["Vraag het aan FATIMA EL AMRANI"], "OPEN_CONCERN": ["mail p.devries @rijksmuseum.nl"]})
    found = direct_identifier_leaks(planted, watchlist, []).to_dict("records")
    assert {"column": "OPEN_USE", "kind": "name", "cells": 1} in found
    assert "FATIMA" not in json.dumps(found) and "devries" not in json.dumps(found)


def test_a_codebook_code_that_is_also_a_surname_is_no_leak(sample_data_dir):
    """The sector code ARTS against the surname Arts of an e-mail address: codes are a fixed vocabulary."""
    watchlist = pd.DataFrame({"kind": ["email_name"], "value": ["Arts"]})
    table = pd.DataFrame({"SECTOR_group": ["ARTS"], "OPEN_USE": ["Vraag het aan dokter Arts"]})
    settings = VerkenningSettings(data_dir=str(sample_data_dir))
    coded = coded_columns("respondents", table, settings, SAMPLE_WAVE)
    assert coded == ["SECTOR_group"]
    assert direct_identifier_leaks(table, watchlist, coded).to_dict("records") == [{"column": "OPEN_USE", "kind": "email_name", "cells": 1}]


@pytest.fixture(scope="module")
def find_spans():
    return TextDeidentifier(people=["Fatima el Amrani"]).find_many


@pytest.mark.parametrize(
    "text",
    [
        "bel 06-12345678", "mail jan@example.nl", "IBAN NL91 ABNA 0417 1643 00", "BSN 111222333", "Postcode 1071 DJ",
        "Vraag het aan FATIMA EL AMRANI", "Mijn collega Jan Smit weet het", "ik werk bij Museum Koekeloere",
    ],
)
def test_the_pattern_check_finds_what_the_de_identifier_recognises(find_spans, text):
    """The measure of `no_identifier_patterns`: the de-identifier's recognisers over free text find every kind
    it removes (names and organisations too), and nothing in a de-identified text."""
    clean = pd.DataFrame({"OPEN_USE": ["Niets bijzonders.", None], "REGION": ["Noord-Holland", "Utrecht"]})
    assert not residual_identifiers(clean, ["OPEN_USE"], find_spans)
    planted = pd.DataFrame({"OPEN_USE": ["Niets bijzonders.", text], "REGION": ["Noord-Holland", "Utrecht"]})
    assert residual_identifiers(planted, ["OPEN_USE"], find_spans)
    deidentified = TextDeidentifier(people=["Fatima el Amrani"]).deidentify(text).text
    assert not residual_identifiers(pd.DataFrame({"OPEN_USE": [deidentified]}), ["OPEN_USE"], find_spans)


def test_the_pattern_check_reads_answer_labels_for_structured_patterns_only(find_spans):
    labels = pd.DataFrame({"REGION": ["Noord-Holland"], "OTHER": ["postcode 1071 DJ"]})
    assert residual_identifiers(labels, [], find_spans) == {"OTHER: [POSTCODE]": 1}


def test_a_real_wave_without_a_key_refuses_to_run(data_dir, monkeypatch):
    monkeypatch.delenv("VERKENNING_PSEUDONYM_KEY", raising=False)
    wave = data_dir / "inbox" / "2025-01"
    shutil.copytree(SAMPLE_WAVE_DIR, wave)
    (wave / SAMPLE_MARKER).unlink()
    result = materialize_wave(data_dir, wave="2025-01")
    message = " ".join(step_error_messages(result))
    assert "VERKENNING_PSEUDONYM_KEY is not set" in message
    assert not (data_dir / "analysis" / "catalog.sqlite").exists() or "anonymised_respondents" not in analysis_tables(data_dir)
