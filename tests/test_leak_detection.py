"""The watchlist finds every direct identifier however it is cased or spaced, and no short one (nor a one-word
name) inside a word; it holds the names that the wave's e-mail addresses spell."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from conftest import materialization_metadata, materialize_wave, read_restricted, step_error_messages
from verkenning.anonymise.leak_detection import (
    IdentifierFinder,
    build_watchlist,
    find_identifier_leaks,
    names_in_email_addresses,
)

WATCHLIST = build_watchlist(
    {
        "email": ["J.Jansen@Example.nl", None, ""],
        "token": ["abcDEF123456789"],
        "name": ["Fatima el Amrani", "nvt"],
        "organisation": ["KB", "Stichting Podium Noord", "zzp"],
        "ip_address": ["83.12.4.5", "0.0.0.0"],
    }
)


def test_non_answers_are_not_on_the_watchlist():
    assert set(WATCHLIST["value"]) == {"J.Jansen@Example.nl", "abcDEF123456789", "Fatima el Amrani", "KB",
                                       "Stichting Podium Noord", "83.12.4.5"}


def test_identifiers_are_found_case_and_space_insensitively():
    finder = IdentifierFinder(WATCHLIST)
    assert finder.kinds_in("mail j.jansen @ example.nl maar") == {"email"}
    assert finder.kinds_in("Collega FATIMA EL  AMRANI zei") == {"name"}
    assert finder.kinds_in("bij stichting podiumnoord") == {"organisation"}
    assert finder.kinds_in("de KB doet mee") == {"organisation"}
    assert finder.kinds_in("ip 83.12.4.5") == {"ip_address"}
    assert finder.kinds_in("token ABCdef123456789") == {"token"}


def test_short_identifiers_are_not_found_inside_words():
    finder = IdentifierFinder(WATCHLIST)
    assert finder.kinds_in("ook bij de kbps-lijn") == set()
    assert finder.kinds_in("[ORGANISATIE] en [PERSOON] werken samen") == set()


def test_leaks_are_counted_per_column_and_kind_without_values():
    table = pd.DataFrame({"a": ["schoon", "Fatima el Amrani", None], "b": ["KB", "KB", "geen"]})
    leaks = find_identifier_leaks(table, IdentifierFinder(WATCHLIST))
    assert leaks.to_dict("records") == [
        {"column": "a", "kind": "name", "cells": 1},
        {"column": "b", "kind": "organisation", "cells": 2},
    ]


# --- names in e-mail addresses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "names"),
    [
        ("m.jansen@museum.nl", ["Jansen"]),
        ("M.Jansen@Museum.NL", ["Jansen"]),
        ("m.jansen+nieuwsbrief@museum.nl", ["Jansen"]),
        ("jan.de.vries@x.nl", ["Jan de Vries", "de Vries"]),
        ("jan.devries@x.nl", ["Jan de Vries", "de Vries"]),  # particle written together with a known surname
        ("jandevries@x.nl", ["Jan de Vries", "de Vries"]),
        ("JanDeVries@x.nl", ["Jan de Vries", "de Vries"]),
        ("fatima.el-amrani@x.nl", ["Fatima el-Amrani", "el-Amrani"]),
        ("eliza.vandevelde@x.nl", ["Eliza van de Velde", "van de Velde"]),
        ("tomvanterve@x.nl", ["Tom van 't Erve", "van 't Erve"]),
        ("p_bakker@x.nl", ["Bakker"]),
        ("pieter-bakker@x.nl", ["Pieter Bakker", "Bakker"]),  # a known first name hyphenated: a first name
        ("pieterbakker@x.nl", ["Pieter Bakker", "Bakker"]),
        ("PBakker@x.nl", ["Bakker"]),
        ("pbakker@x.nl", ["Bakker"]),
        ("m.jansen-smit@x.nl", ["Jansen-Smit", "Jansen", "Smit"]),  # after an initial: a double surname
        ("m.zwartkruis@x.nl", ["Zwartkruis"]),  # an unknown surname after an initial
        ("bakker@x.nl", ["Bakker"]),  # a known surname alone
        ("info.devries@x.nl", ["de Vries"]),
    ],
)
def test_names_in_email_addresses(address, names):
    assert names_in_email_addresses([address]) == names


@pytest.mark.parametrize(
    "address",
    [
        "info@museum.nl", "contact@x.nl", "secretariaat@x.nl", "receptie@x.nl", "educatie@x.nl", "collectie@x.nl",
        "marketing@x.nl", "communicatie@x.nl", "noreply@x.nl", "no-reply@x.nl", "admin@x.nl", "redactie@x.nl",
        "pers@x.nl", "bestuur@x.nl", "directie@x.nl", "museum@x.nl", "archief@x.nl", "bibliotheek@x.nl",
        "educatie.rijksmuseum@x.nl",  # a generic mailbox and an unknown word
        "hallo@x.nl", "jan@x.nl",  # no surname, a first name alone
        "koning@x.nl",  # a surname that is also an ordinary word, alone
        "stella.b@x.nl", "wouter.v@x.nl",  # a first name and an initial
        "m.willem@x.nl",  # a first name after an initial
        "m.jansen2@x.nl", "jansen1980@x.nl",  # digits
        "kunst.cultuur@x.nl", "a.b@x.nl", "quintysam@x.nl", "McDonald@x.nl",
        "geen e-mail", "", None, float("nan"),
    ],
)
def test_generic_mailboxes_first_names_and_unclear_local_parts_give_no_name(address):
    assert names_in_email_addresses([address]) == []


def test_each_name_once_in_order():
    assert names_in_email_addresses(["m.jansen@a.nl", "M.JANSEN@b.nl", "r.visser@a.nl", "j.jansen@a.nl"]) == [
        "Jansen", "Visser"
    ]


# --- one-word names are whole words, in any case ------------------------------------------------------

NAMES = build_watchlist(
    {
        "email_name": names_in_email_addresses(["m.jansen@museum.nl", "p.bakker@x.nl", "a.dejong@x.nl",
                                                "fatima.el-amrani@x.nl"]),
        "name": ["Pieter", "Anna de Vries"],
        "organisation": ["Stichting Podium Noord"],
    }
)


@pytest.mark.parametrize(
    "text", ["vraag het Jansen even", "VRAAG HET JANSEN EVEN", "vraag het jansen even", "Jansen's idee",
             "(Jansen)", "Bakker-Jansen", "mevr. De Jong", "dejong", "El Amrani", "el-amrani", "ElAmrani"]
)
def test_a_name_from_an_email_address_is_found_as_a_whole_word_in_any_case(text):
    assert IdentifierFinder(NAMES).kinds_in(text) == {"email_name"}


@pytest.mark.parametrize(
    "text",
    [
        "de Jansenstraat",  # a street named after a person is not the person
        "de bakkerij en de bakkers",
        "de jongeren",  # "de Jong" is not inside "de jongeren" (no longer squeezed)
        "de Pieterskerk",  # a first name of the "name" kind: a whole word as well
        "amrani's",  # "el-Amrani" as a whole: "amrani" alone is not on the watchlist
    ],
)
def test_a_one_word_name_is_not_found_inside_another_word(text):
    assert IdentifierFinder(NAMES).kinds_in(text) == set()


def test_names_of_more_words_and_other_kinds_keep_their_matching():
    finder = IdentifierFinder(NAMES)
    assert finder.kinds_in("ANNA DE  VRIES") == {"name"}
    assert finder.kinds_in("annadevries") == {"name"}  # squeezed, as before
    assert finder.kinds_in("stichting podiumnoord") == {"organisation"}
    assert finder.kinds_in("Pieter zei") == {"name"}


def test_the_finder_is_fast_on_a_long_watchlist_and_a_long_text():
    surnames = [f"Achternaam{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676 % 26)}" for i in range(5000)]
    finder = IdentifierFinder(build_watchlist({"email_name": surnames, "name": [f"Jan {s}" for s in surnames]}))
    text = "Een lang antwoord over de achternamen van iedereen in de Jansenstraat. " * 1500  # ~100k characters
    started = time.process_time()  # CPU time of this process, a generous bound: a guard against quadratic matching
    assert finder.kinds_in(text) == set()
    assert finder.kinds_in(text + " en Achternaambaa") == {"email_name"}
    assert time.process_time() - started < 20


# --- the watchlist asset ------------------------------------------------------------------------------


def test_the_watchlist_of_the_sample_holds_the_names_of_its_email_addresses(sample_data_dir):
    result = materialize_wave(sample_data_dir, layers=("raw", "staged"))
    assert result.success, step_error_messages(result)
    watchlist = read_restricted(sample_data_dir, "identifier_watchlist", layer="staged")
    email_names = set(watchlist.loc[watchlist["kind"] == "email_name", "value"])
    emails = watchlist.loc[watchlist["kind"] == "email", "value"]
    assert email_names == set(names_in_email_addresses(emails)) - {""}
    # m.dekker@..., h.vanbeek@..., eliza.vandevelde@..., tim.molenaar@... are in the sample
    assert {"Dekker", "van Beek", "Eliza van de Velde", "van de Velde", "Tim Molenaar", "Molenaar"} <= email_names
    metadata = materialization_metadata(result, "staged/identifier_watchlist")
    assert metadata["identifiers_by_kind"].value["email_name"] == len(email_names)


def test_the_blocking_check_sees_a_surname_known_only_from_an_email_address():
    """The measured leak: "m.jansen@museum.nl" in the wave, "vraag het Jansen even" in an open answer."""
    from assets.anonymised import direct_identifier_leaks

    emails = ["m.jansen@museum.nl"]
    watchlist = build_watchlist({"email": emails, "email_name": names_in_email_addresses(emails)})
    assert direct_identifier_leaks(pd.DataFrame({"OPEN_USE": ["langs de Jansenstraat"]}), watchlist, []).empty
    found = direct_identifier_leaks(pd.DataFrame({"OPEN_USE": ["vraag het Jansen even"]}), watchlist, []).to_dict("records")
    assert found == [{"column": "OPEN_USE", "kind": "email_name", "cells": 1}]
