"""The watchlist finds every direct identifier however it is cased or spaced, and no short one inside a word."""

from __future__ import annotations

import pandas as pd

from verkenning.anonymise.leak_detection import IdentifierFinder, build_watchlist, find_identifier_leaks

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
