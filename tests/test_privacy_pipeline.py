"""The gold set's answers planted in a wave and run through the real pipeline: what an analyst reads in the
analysis zone holds none of the planted identifiers, judged the way an attacker would, by looking for each
identifier's own words in every published cell (not by trusting the placeholders)."""

from __future__ import annotations

import re
import shutil
from collections import Counter, defaultdict

import pandas as pd
import pytest

from wordfreq import zipf_frequency

from conftest import SAMPLE_WAVE, SAMPLE_WAVE_DIR, materialize_wave, read_analysis
from verkenning.anonymise.evaluation import load_gold

GOLD = "eval/gold/answers.txt"
OPEN_COLUMNS = ["OPEN_USE", "OPEN_CONCERN", "OPEN_SUPPORT"]
STRUCTURED = ("email", "phone", "iban", "bsn", "postcode", "url", "handle", "street_address", "date_of_birth")
# Words of an identifier that may stay: articles, particles and organisation type words ("Stichting", "Museum").
GENERIC = frozenset(
    "de het den der van von ten ter te 't la le el al du da stichting museum theater bibliotheek gemeente archief "
    "festival filmhuis st st. stg stg. b.v. bv postbus en and und voor for of".split()
)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A copy of the sample wave whose open answers are the gold set's answers (the wave's ORGNAME set to the
    answer's known organisation where the gold set gives one), run through every asset and check."""
    data_dir = tmp_path_factory.mktemp("privacy") / "data"
    wave_dir = data_dir / "inbox" / SAMPLE_WAVE
    shutil.copytree(SAMPLE_WAVE_DIR, wave_dir)
    export = pd.read_csv(wave_dir / "survey_export.csv", dtype=str, keep_default_na=False)
    answers = [a for a in load_gold(GOLD) if not a.people]
    rows = list(export.index[export["submitdate"] != ""])
    slots = [(row, column) for column in OPEN_COLUMNS for row in rows]
    planted = answers[: len(slots)]
    for number, (answer, (row, column)) in enumerate(zip(planted, slots)):
        export.loc[row, column] = f"«{number}» {answer.text}"  # the marker finds the answer back after anonymisation
        if answer.organisations:
            export.loc[row, "ORGNAME"] = answer.organisations[0]
    export.to_csv(wave_dir / "survey_export.csv", index=False)
    return data_dir, planted


def _words(identifier: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+(?:['’.][^\W_]+)*", identifier) if w.casefold() not in GENERIC]


def test_no_planted_identifier_reaches_the_analysis_zone(published):
    data_dir, planted = published
    result = materialize_wave(data_dir)
    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert failed == [], f"blocking checks failed on the planted wave: {failed}"
    respondents = read_analysis(data_dir, "anonymised_respondents")
    published_cells: dict[int, str] = {}
    for column in OPEN_COLUMNS:
        for value in respondents[column].dropna():
            marker = re.match(r"«(\d+)» ", str(value))
            if marker:
                published_cells[int(marker.group(1))] = str(value)
    # Withdrawn respondents are not published; every other planted answer is.
    assert len(published_cells) >= 0.9 * len(planted)
    leaks: dict[str, list[str]] = defaultdict(list)
    counts: Counter[str] = Counter()
    for number, answer in enumerate(planted):
        if number not in published_cells:
            continue
        cell = published_cells[number]
        for identifier in answer.identifiers:
            if identifier.kind == "location":
                continue
            counts[identifier.kind] += 1
            # A leak: a word of the identifier (whole word, as written) still in its answer's published cell;
            # a structured identifier also by its digits ("06-12345678" as "12345678").
            words = _words(identifier.text)
            if identifier.kind in STRUCTURED:
                # An address's or e-mail's ordinary words ("ai-beleid", "rapport") may stand elsewhere in the answer.
                words = [w for w in words if zipf_frequency(w.casefold(), "nl") < 4.0]
            kept = [w for w in words if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", cell)]
            digits = re.sub(r"\D", "", identifier.text)
            if identifier.kind in STRUCTURED and len(digits) >= 6 and digits in re.sub(r"\D", "", cell):
                kept.append(digits)
            if kept:
                leaks[identifier.kind].append(f"{identifier.text!r} kept {kept}")
    recall = {kind: 1 - len(leaks[kind]) / counts[kind] for kind in counts}
    print({kind: round(value, 3) for kind, value in sorted(recall.items())})
    for kind in STRUCTURED:
        if kind in counts:
            assert recall[kind] == 1.0, (kind, leaks[kind])
    assert recall["person"] >= 0.98, leaks["person"]
    assert recall["organisation"] >= 0.98, leaks["organisation"]
    assert recall.get("age", 1.0) >= 0.90, leaks["age"]
