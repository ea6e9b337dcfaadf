"""Importing a codebook from LimeSurvey's structure file (.lss), comparing codebooks, and the command line."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from pipelines.codebook import main
from schemas.codebook import (
    PROJECT_CODEBOOK,
    QUESTION_TYPES,
    Codebook,
    Option,
    _UniqueKeyLoader,
    load_codebook,
    parse_codebook,
)
from schemas.codebook_diff import diff_codebooks, format_diff
from schemas.lss import LssError, LssImport, lss_to_yaml, parse_relevance, read_lss
from verkenning.inbox import wave_inputs
from verkenning.sample import write_sample_wave
from verkenning.sample.lss import write_lss

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lss"
LS3 = FIXTURES / "ls3_nl_en.lss"
LS6 = FIXTURES / "ls6_nl_en.lss"
GERMAN = FIXTURES / "ls6_de.lss"
ROOT = Path(__file__).resolve().parents[1]


def _labels(options: dict[str, Option]) -> list[tuple[str, str, str, float | None]]:
    return [(o.code, o.label_nl, o.label_en, o.value) for o in options.values()]


def _condition(codebook: Codebook, code: str) -> tuple[str, str, tuple[str, ...]] | None:
    condition = codebook.question(code).shown_if
    return None if condition is None else (condition.question, condition.operator, condition.codes)


def _load_yaml(text: str) -> dict:
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def _questions(result: LssImport) -> dict[str, dict]:
    return {entry["code"]: entry for entry in result.document["questions"]}


# --- round trip: the project codebook through a LimeSurvey 6 file and back ---------------------------


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Codebook, Codebook, LssImport]:
    project = load_codebook()
    path = write_lss(project, tmp_path_factory.mktemp("lss") / "survey.lss")
    result = read_lss(path)
    return project, parse_codebook(result.document, path), result


def test_round_trip_keeps_every_question_with_its_codes_and_labels(round_trip):
    project, imported, result = round_trip
    assert [q.code for q in imported.questions] == [q.code for q in project.questions]
    for old, new in zip(project.questions, imported.questions):
        assert new.type == old.type, old.code
        assert (new.text_nl, new.text_en) == (old.text_nl, old.text_en), old.code
        assert _labels(new.options) == _labels(old.options), old.code
        assert _labels(new.statements) == _labels(old.statements), old.code
        assert (new.other, new.required, new.max_answers) == (old.other, old.required, old.max_answers), old.code
        assert _condition(imported, old.code) == _condition(project, old.code), old.code
    assert result.warnings == ()
    assert (imported.title_nl, imported.title_en) == (project.title_nl, project.title_en)
    assert (imported.fielded_from, imported.fielded_to) == (project.fielded_from, project.fielded_to)


def test_round_trip_details_the_steward_relies_on(round_trip):
    _, imported, result = round_trip
    expect = imported.question("EXPECT")
    assert list(imported.scales[expect.scale]) == ["A1", "A2", "A3", "A4", "A5", "A99"]
    assert imported.scales[expect.scale]["A3"].value == 3 and imported.scales[expect.scale]["A99"].value is None
    assert imported.question("SECTOR").options["-oth-"] == Option("-oth-", "Anders", "Other")
    assert imported.question("RISKS").max_answers == 3
    assert imported.question("PURPOSE").shown_if.source == "ORGUSE in [A1, A2]"
    assert imported.question("TOOLS").shown_if.source == "OWNUSE != A5"
    # LimeSurvey knows no roles: text questions come back as open_text, everything else as answer.
    assert {q.code for q in imported.questions if q.role != "answer"} == {"ORGNAME", "OPEN_USE", "OPEN_CONCERN", "OPEN_SUPPORT", "EMAIL"}
    assert {imported.question(code).role for code in ("ORGNAME", "EMAIL")} == {"open_text"}
    assert result.groups == {"SECTOR": "Achtergrond / Background", "FAMILIAR": "Kennis en gebruik / Knowledge and use",
                             "EXPECT": "Verwachtingen / Expectations", "SUPPORT": "Ondersteuning / Support needs",
                             "OPEN_USE": "Open vragen / Open questions", "FOLLOWUP": "Contact"}


def test_a_number_question_survives_the_round_trip(tmp_path):
    document = {
        "survey": "s", "wave": "2025-01", "fielded": {"from": "2025-01-01", "to": "2025-01-31"}, "title": {"nl": "T"},
        "questions": [{"code": "AGE", "type": "number", "role": "answer", "required": True, "text": {"nl": "Leeftijd"},
                       "range": {"min": 16, "max": 99}, "decimals": 0},
                      {"code": "HOURS", "type": "number", "role": "answer", "text": {"nl": "Uren"}, "range": {"max": 60}}],
    }
    result = read_lss(write_lss(parse_codebook(document, tmp_path / "q.yaml"), tmp_path / "survey.lss"))
    questions = _questions(result)
    assert questions["AGE"]["type"] == "number" and questions["AGE"]["required"] is True
    assert (questions["AGE"]["range"], questions["AGE"]["decimals"]) == ({"min": 16, "max": 99}, 0)
    assert questions["HOURS"]["range"] == {"max": 60} and "decimals" not in questions["HOURS"]


def test_the_sample_wave_carries_its_structure_file_and_the_inbox_ignores_it(tmp_path):
    summary = write_sample_wave(tmp_path, respondents=20, workshops=False, withdrawals=False)
    assert "survey.lss" in summary.files
    imported = read_lss(tmp_path / "survey.lss").document
    assert [q["code"] for q in imported["questions"]] == [q.code for q in load_codebook().questions]
    assert "survey.lss" not in wave_inputs(tmp_path).files and "survey_export.csv" in wave_inputs(tmp_path).files


# --- the two layouts ---------------------------------------------------------------------------------


def test_limesurvey_3_and_6_layouts_of_one_survey_give_the_same_codebook():
    ls3, ls6 = read_lss(LS3), read_lss(LS6)
    assert ls3.document == ls6.document
    assert (ls3.warnings, ls3.notes, ls3.groups, ls3.left_out) == (ls6.warnings, ls6.notes, ls6.groups, ls6.left_out)


@pytest.mark.parametrize("path", [LS3, LS6], ids=["ls3", "ls6"])
def test_dutch_english_survey_is_read_in_group_and_question_order(path):
    result = read_lss(path)
    document, questions = result.document, _questions(result)
    assert list(questions) == ["WERKVELD", "LEEFTIJD", "GEBRUIK", "TOOLS", "STELLING", "STELLING2", "TOELICHTING", "EMAIL"]
    assert document["title"] == {"nl": "Cultuurpeiling 2025", "en": "Culture poll 2025"}
    assert document["fielded"] == {"from": date(2025, 3, 1), "to": date(2025, 4, 15)}
    assert document["languages"] == ["nl", "en"]
    werkveld = questions["WERKVELD"]
    assert werkveld["required"] is True and werkveld["other"] is True and werkveld["role"] == "answer"
    assert werkveld["options"] == {
        "A1": {"nl": "Museum", "en": "Museum"},
        "A2": {"nl": "Bibliotheek", "en": "Library"},  # HTML tags dropped
        "A3": {"nl": "Podiumkunsten & muziek", "en": "Performing arts & music"},  # entities decoded
        "-oth-": {"nl": "Iets anders", "en": "Something else"},  # the survey's own label for "other"
    }
    assert list(questions["GEBRUIK"]["options"]) == ["A1", "A2", "A3"]  # by sort order, not row order
    assert questions["GEBRUIK"]["text"] == {"nl": "Gebruikt u AI in uw werk?", "en": "Do you use AI in your work?"}
    leeftijd = questions["LEEFTIJD"]
    assert (leeftijd["type"], leeftijd["range"], leeftijd["decimals"]) == ("number", {"min": 16, "max": 99}, 0)
    tools = questions["TOOLS"]
    assert (tools["type"], tools["max_answers"], tools["other"]) == ("multi", 2, True)
    assert list(tools["options"]) == ["SQ001", "SQ002", "SQ003"]
    assert tools["options"]["SQ003"] == {"nl": "Beeldgeneratoren", "en": "Image generators"}
    # Two arrays with the same answers share one scale, named after the first.
    assert questions["STELLING"]["scale"] == questions["STELLING2"]["scale"] == "stelling_scale"
    assert document["scales"] == {"stelling_scale": {
        "A1": {"nl": "Oneens", "en": "Disagree", "value": 1}, "A2": {"nl": "Neutraal", "en": "Neutral", "value": 2},
        "A3": {"nl": "Eens", "en": "Agree", "value": 3}}}
    assert list(questions["STELLING"]["statements"]) == ["SQ001", "SQ002"]
    assert {code: q["role"] for code, q in questions.items() if q["role"] != "answer"} == {"TOELICHTING": "open_text", "EMAIL": "open_text"}
    assert (questions["TOELICHTING"]["type"], questions["EMAIL"]["type"]) == ("longtext", "text")
    codebook = parse_codebook(document, path)
    assert [q.code for q in codebook.questions] == list(questions)


@pytest.mark.parametrize("path", [LS3, LS6], ids=["ls3", "ls6"])
def test_simple_relevance_becomes_shown_if_and_the_rest_a_comment(path):
    result = read_lss(path)
    questions = _questions(result)
    assert questions["TOOLS"]["shown_if"] == "GEBRUIK == A1"  # ((GEBRUIK.NAOK == "A1"))
    assert questions["STELLING2"]["shown_if"] == "GEBRUIK in [A1, A2]"  # GEBRUIK == 'A1' or GEBRUIK == 'A2'
    assert questions["EMAIL"]["shown_if"] == "GEBRUIK != A3"
    assert "shown_if" not in questions["STELLING"] and "shown_if" not in questions["TOELICHTING"]
    assert result.notes["TOELICHTING"] == ('relevance (not converted): GEBRUIK.NAOK == "A1" and TOOLS_SQ001.NAOK == "Y"',)
    assert result.notes["STELLING"] == (
        'relevance (not converted: TOOLS_SQ001 is not a single-choice question of this codebook): TOOLS_SQ001.NAOK == "Y"',)
    assert result.left_out == ("INTRO: LimeSurvey type X (Text display)", "VOLGORDE: LimeSurvey type R (Ranking)")
    assert "question VOLGORDE left out: LimeSurvey type R (Ranking) has no place in the codebook" in result.warnings


def test_shown_if_never_points_at_a_multiple_choice_question(tmp_path):
    text = LS6.read_text(encoding="utf-8").replace('TOOLS_SQ001.NAOK == "Y"]]></relevance><question_theme_name>arrays',
                                                   'TOOLS.NAOK == "SQ001"]]></relevance><question_theme_name>arrays')
    path = tmp_path / "survey.lss"
    path.write_text(text, encoding="utf-8")
    result = read_lss(path)
    assert "shown_if" not in _questions(result)["STELLING"]
    assert result.notes["STELLING"] == (
        'relevance (not converted: TOOLS is not a single-choice question of this codebook): TOOLS.NAOK == "SQ001"',)
    parse_codebook(result.document, path)


@pytest.mark.parametrize(("expression", "expected"), [
    ('Q1.NAOK == "A1"', "Q1 == A1"),
    ("Q1 == 'A1'", "Q1 == A1"),
    ('Q1.value != "A2"', "Q1 != A2"),
    ('Q1 eq "A3"', "Q1 == A3"),
    ('Q1.NAOK ne "A3"', "Q1 != A3"),
    ('((Q1.NAOK == "A1" or Q1.NAOK == "A2"))', "Q1 in [A1, A2]"),
    ('(Q1 == "A1") || (Q1 == "A4")', "Q1 in [A1, A4]"),
    ('Q1 == 7', "Q1 == 7"),
    ('Q1 == "-oth-"', "Q1 == -oth-"),
])
def test_simple_relevance_is_converted(expression, expected):
    condition = parse_relevance(expression)
    assert condition is not None and condition.source == expected


@pytest.mark.parametrize("expression", [
    "1", "", 'Q1.NAOK > 3', 'Q1 == "A1" and Q2 == "B1"', 'Q1 == "A1" or Q2 == "A2"', 'Q1 != "A1" or Q1 != "A2"',
    "!is_empty(Q1)", '(Q1 == "A1") and (Q2 == "B1")', 'Q1 == "A1" or (Q2 == "B1" and Q1 == "A2")', 'Q1 == "a b"',
])
def test_other_relevance_is_not_converted(expression):
    assert parse_relevance(expression) is None


# --- a German-only survey with types the codebook cannot hold ---------------------------------------


def test_german_survey_fills_both_label_keys_with_its_own_texts():
    result = read_lss(GERMAN)
    questions = _questions(result)
    assert result.document["languages"] == ["de"]
    assert result.document["title"] == {"nl": "Kulturumfrage", "en": "Kulturumfrage"}
    assert questions["STUNDEN"]["text"] == {"nl": "Wie viele Stunden pro Woche?", "en": "Wie viele Stunden pro Woche?"}
    assert "The survey is in de: nl and en both hold its de texts." in result.header
    assert "The survey is in de" in lss_to_yaml(GERMAN)


def test_german_survey_types_and_what_is_left_out():
    result = read_lss(GERMAN)
    questions, scales = _questions(result), result.document["scales"]
    assert list(questions) == ["GESCHLECHT", "ORT", "STUNDEN", "ZUFRIEDEN", "BEWERTUNG", "TREND", "KOMMENTAR", "AUSWAHL"]
    assert result.left_out == ("GEBURT: LimeSurvey type D (Date/Time)", "DOPPEL: LimeSurvey type 1 (Array dual scale)")
    assert list(questions["GESCHLECHT"]["options"]) == ["F", "M"]
    assert questions["ZUFRIEDEN"]["options"]["4"] == {"nl": "4", "en": "4", "value": 4}
    assert questions["BEWERTUNG"]["scale"] == "ls_5point" and list(scales["ls_5point"]) == ["1", "2", "3", "4", "5"]
    assert questions["TREND"]["scale"] == "ls_increase_same_decrease" and list(scales["ls_increase_same_decrease"]) == ["I", "S", "D"]
    assert questions["ORT"]["options"]["-oth-"] == {"nl": "Anders", "en": "Other"}  # no label of its own
    assert questions["ORT"]["required"] is False and "soft mandatory" in result.notes["ORT"][0]
    assert questions["STUNDEN"]["range"] == {"max": 60.5} and "decimals" not in questions["STUNDEN"]
    assert questions["STUNDEN"]["shown_if"] == "GESCHLECHT == F"
    assert questions["ZUFRIEDEN"]["shown_if"] == "ORT == B2"
    assert "max_answers" not in questions["AUSWAHL"]
    notes = {code: " | ".join(lines) for code, lines in result.notes.items()}
    assert "group relevance (not converted" in notes["ZUFRIEDEN"]
    assert "'S-1' cannot be part of an export column" in notes["BEWERTUNG"]
    assert "relevance (not converted): ZUFRIEDEN.NAOK > 3" in notes["BEWERTUNG"]
    assert "relevance (not converted: GESCHLECHT has no code X)" in notes["TREND"]
    assert "KOMMENTAR[comment]" in notes["KOMMENTAR"] and "max_answers (not converted): {ZUFRIEDEN}" in notes["AUSWAHL"]
    assert any("'S-1'" in warning for warning in result.warnings)
    # No start date or expiry in the file: a placeholder, said loudly.
    assert result.document["fielded"]["from"] == date.today()
    assert "fielded: the survey has no start date and no expiry in the .lss; a placeholder is set" in result.warnings
    parse_codebook(result.document, GERMAN)


# --- the YAML ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [LS3, GERMAN], ids=["ls3", "german"])
def test_yaml_holds_exactly_the_document(path):
    assert _load_yaml(lss_to_yaml(path)) == read_lss(path).document


def test_yaml_keeps_labels_and_codes_that_yaml_would_misread(tmp_path):
    labels = {"Y": 'Ja, "zeker"', "N": "Yes: sure #1", "on": "on", "A_1": "Ruis & Ritme <b>vet</b>", "007": "🎭 theater"}
    document = {
        "survey": "s", "wave": "2025-01", "fielded": {"from": "2025-01-01", "to": "2025-01-31"}, "title": {"nl": "Titel: één"},
        "questions": [{"code": "Q1", "type": "single", "role": "answer", "text": {"nl": "Vraag #1: 'ja'?", "en": "true"},
                       "options": {code: {"nl": label, "en": label} for code, label in labels.items()}}],
    }
    path = write_lss(parse_codebook(document, tmp_path / "q.yaml"), tmp_path / "survey.lss")
    result = read_lss(path)
    assert _load_yaml(lss_to_yaml(path)) == result.document
    question = _questions(result)["Q1"]
    assert {code: option["nl"] for code, option in question["options"].items()} == labels
    assert question["text"] == {"nl": "Vraag #1: 'ja'?", "en": "true"} and result.document["title"]["nl"] == "Titel: één"


def test_yaml_comments_guide_the_steward(tmp_path):
    text = lss_to_yaml(LS3)
    lines = text.splitlines()
    toelichting = lines.index("  - code: TOELICHTING")
    assert lines[toelichting - 1] == '  # relevance (not converted): GEBRUIK.NAOK == "A1" and TOOLS_SQ001.NAOK == "Y"'
    assert lines[lines.index("  - code: WERKVELD") - 1].startswith("  # --- Over u / About you ---")
    assert lines[lines.index("  - code: GEBRUIK") - 1].startswith("  # --- Gebruik / Use ---")
    assert "#   - INTRO: LimeSurvey type X (Text display)" in lines
    for needle in ("direct_identifier", "quasi_identifier", "generalise", "hierarchy", "missing: true", "wave", "fielded"):
        assert needle in text.split("survey:")[0], needle
    assert "wave: TODO" in text
    out = tmp_path / "questionnaire.yaml"
    out.write_text(text, encoding="utf-8")
    assert [q.code for q in load_codebook(out).questions] == list(_questions(read_lss(LS3)))


# --- malformed files ---------------------------------------------------------------------------------


def _lss(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "broken.lss"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<document><LimeSurveyDocType>Survey</LimeSurveyDocType>'
                    f'<languages><language>nl</language></languages>{body}</document>', encoding="utf-8")
    return path


def _question_row(qid: str, title: str, kind: str = "L", parent: str = "0") -> str:
    return (f"<row><qid>{qid}</qid><parent_qid>{parent}</parent_qid><gid>1</gid><type>{kind}</type><title>{title}</title>"
            f"<question>Vraag</question><language>nl</language><question_order>1</question_order></row>")


@pytest.mark.parametrize(("content", "message"), [
    ("this is not XML", "not a LimeSurvey structure file: the XML is broken"),
    ("<html><body/></html>", "the root element is <html>, not <document>"),
    ('<?xml version="1.0"?><!DOCTYPE document [<!ENTITY a "aaaa">]><document/>', "it declares a DOCTYPE"),
    ("<document><LimeSurveyDocType>Group</LimeSurveyDocType></document>", "<LimeSurveyDocType> is 'Group'"),
    ("<document><LimeSurveyDocType>Survey</LimeSurveyDocType><languages><language>nl</language></languages></document>",
     "no <questions> element"),
])
def test_a_file_that_is_no_survey_is_refused_naming_the_file(tmp_path, content, message):
    path = tmp_path / "survey.lss"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LssError) as error:
        read_lss(path)
    assert str(path) in str(error.value) and message in str(error.value)


@pytest.mark.parametrize(("body", "message"), [
    ("<questions><rows></rows></questions>", "<questions> holds no questions"),
    ("<questions><rows><row><qid>5</qid><type>L</type></row></rows></questions>", "<questions> row 1 (qid 5) has no <title>"),
    (f"<questions><rows>{_question_row('5', 'Q1', kind='')}</rows></questions>", "<questions> row 1 (qid 5): question Q1 has no <type>"),
    (f"<questions><rows>{_question_row('5', 'Q1')}</rows></questions>"
     "<answers><rows><row><qid>5</qid><code>A1</code><answer>Ja</answer><language>nl</language></row>"
     "<row><qid>5</qid><code>A1</code><answer>Nee</answer><language>nl</language></row></rows></answers>",
     "question Q1 answer: code 'A1' occurs twice"),
    (f"<questions><rows>{_question_row('5', 'Q1', kind='M')}</rows></questions>"
     f"<subquestions><rows>{_question_row('6', 'SQ001', kind='T', parent='9')}</rows></subquestions>",
     "sub-question SQ001 belongs to question 9, which is not in <questions>"),
    (f"<questions><rows>{_question_row('5', 'Q1', kind='X')}</rows></questions>",
     "none of the 1 questions has a type the codebook can hold (Q1: LimeSurvey type X (Text display))"),
    (f"<questions><rows>{_question_row('5', 'Q1').replace('>1</question_order>', '>first</question_order>')}</rows></questions>",
     "<questions> row 1 (qid 5): 'first' is not a whole number"),
])
def test_a_broken_survey_is_refused_naming_file_and_element(tmp_path, body, message):
    path = _lss(tmp_path, body)
    with pytest.raises(LssError) as error:
        read_lss(path)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)


def test_a_question_without_answers_is_left_out_with_a_warning(tmp_path):
    path = _lss(tmp_path, f"<questions><rows>{_question_row('5', 'Q1')}{_question_row('6', 'Q2', kind='S')}</rows></questions>")
    result = read_lss(path)
    assert [q["code"] for q in result.document["questions"]] == ["Q2"]
    assert result.left_out == ("Q1: List (radio) without options",)
    assert "fielded: the survey has no start date and no expiry in the .lss; a placeholder is set" in result.warnings


def test_fielded_falls_back_to_the_one_date_the_survey_has(tmp_path):
    text = LS6.read_text(encoding="utf-8").replace("<startdate>2025-03-01 00:00:00</startdate>", "<startdate/>")
    path = tmp_path / "survey.lss"
    path.write_text(text, encoding="utf-8")
    result = read_lss(path)
    assert result.document["fielded"] == {"from": date(2025, 4, 15), "to": date(2025, 4, 15)}
    assert "fielded: the survey has no start date in the .lss; a placeholder is set" in result.warnings
    assert "# TODO: fielded is a placeholder: the survey has no start date in the .lss." in lss_to_yaml(path)


# --- the command line --------------------------------------------------------------------------------


def test_import_writes_beside_the_lss_and_compares_with_the_project_codebook(tmp_path, capsys):
    lss = write_lss(load_codebook(), tmp_path / "survey.lss")
    assert main(["import", str(lss)]) == 0
    out = capsys.readouterr().out
    written = tmp_path / "questionnaire.yaml"
    assert [q.code for q in load_codebook(written).questions] == [q.code for q in load_codebook().questions]
    assert f"{written}: 19 questions imported from {lss}" in out
    assert f"differences from {PROJECT_CODEBOOK}:" in out
    for line in ("~ question SECTOR: role quasi_identifier -> answer", "~ question EMAIL: role direct_identifier -> open_text",
                 "~ question EXPECT: scale answer A99 missing true -> false"):
        assert f"  {line}\n" in out, line
    assert "+ question" not in out and "- question" not in out


def test_import_never_overwrites_without_force(tmp_path, capsys):
    lss = tmp_path / "survey.lss"
    lss.write_bytes(LS6.read_bytes())
    edited = tmp_path / "questionnaire.yaml"
    edited.write_text("# the steward's work\n", encoding="utf-8")
    assert main(["import", str(lss)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"error: {edited}: already exists; pass --force to overwrite it, or --out to write another file\n"
    assert edited.read_text(encoding="utf-8") == "# the steward's work\n"
    assert main(["import", str(lss), "--force"]) == 0
    assert "WERKVELD" in edited.read_text(encoding="utf-8")


def test_import_never_writes_a_draft_into_a_wave_folder_of_the_inbox(tmp_path, capsys):
    wave = tmp_path / "data" / "inbox" / "2024-01"
    write_sample_wave(wave, respondents=20, workshops=False, withdrawals=False)
    before = sorted(path.name for path in wave.iterdir())
    for argv in (["import", str(wave / "survey.lss")], ["import", str(wave / "survey.lss"), "--out", str(wave / "draft.yaml")]):
        assert main(argv) == 1
        assert "must not land in a wave folder of the inbox" in capsys.readouterr().err
    assert sorted(path.name for path in wave.iterdir()) == before
    assert main(["import", str(wave / "survey.lss"), "--out", str(tmp_path / "questionnaire.yaml")]) == 0
    assert (tmp_path / "questionnaire.yaml").is_file()


def test_import_with_out_and_against_prints_warnings_and_the_diff(tmp_path, capsys):
    reference = tmp_path / "reference.yaml"
    assert main(["import", str(LS6), "--out", str(reference), "--against", str(PROJECT_CODEBOOK)]) == 0
    capsys.readouterr()
    assert main(["import", str(LS3), "--out", str(tmp_path / "again.yaml"), "--against", str(reference)]) == 0
    out = capsys.readouterr().out
    assert "4 warning(s):\n  question INTRO left out: LimeSurvey type X (Text display) has no place in the codebook\n" in out
    assert f"differences from {reference}:\n  no differences in the questions\n" in out


def test_diff_command_prints_the_changes(tmp_path, capsys):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(lss_to_yaml(LS3), encoding="utf-8")
    new.write_text(lss_to_yaml(LS3).replace('"Copilot", en: "Copilot"', '"Microsoft Copilot", en: "Copilot"'), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 0
    assert capsys.readouterr().out == '~ question TOOLS: option SQ002 relabelled "Copilot" -> "Microsoft Copilot" / "Copilot"\n'


def test_command_errors_are_one_line_without_traceback(tmp_path):
    bad = tmp_path / "survey.lss"
    bad.write_text("not xml at all", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pipelines.codebook", "import", str(bad)], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [f"error: {bad}: not a LimeSurvey structure file: the XML is broken "
                                       "(syntax error: line 1, column 0)"]
    assert not (tmp_path / "questionnaire.yaml").exists()
    missing = tmp_path / "missing.yaml"
    run = subprocess.run([sys.executable, "-m", "pipelines.codebook", "diff", str(PROJECT_CODEBOOK), str(missing)],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 1 and run.stderr.startswith(f"error: codebook {missing}: cannot be read")


# --- comparing codebooks -----------------------------------------------------------------------------

BASE = {
    "survey": "s", "wave": "2025-01", "fielded": {"from": "2025-01-01", "to": "2025-01-31"}, "title": {"nl": "T"},
    "scales": {"agree": {"A1": {"nl": "Oneens", "en": "Disagree"}, "A2": {"nl": "Eens", "en": "Agree"}}},
    "questions": [
        {"code": "USE", "type": "single", "role": "answer", "text": {"nl": "Gebruikt u AI?", "en": "Do you use AI?"},
         "options": {"A1": {"nl": "Ja", "en": "Yes"}, "A2": {"nl": "Nee", "en": "No"}}},
        {"code": "TOOLS", "type": "multi", "role": "answer", "shown_if": "USE == A1", "text": {"nl": "Welke?"},
         "options": {"SQ001": {"nl": "ChatGPT"}, "SQ002": {"nl": "Copilot"}}},
        {"code": "EXPECT", "type": "array", "role": "answer", "scale": "agree", "text": {"nl": "Stellingen"},
         "statements": {"SQ001": {"nl": "Kansen"}, "SQ002": {"nl": "Zorgen"}}},
        {"code": "NAME", "type": "text", "role": "open_text", "text": {"nl": "Naam"}},
    ],
}


def _codebook(edit=None) -> Codebook:
    import copy

    document = copy.deepcopy(BASE)
    if edit:
        edit(document)
    return parse_codebook(document, Path("questionnaire.yaml"))


def _edit(document: dict) -> None:
    use, tools, expect, name = document["questions"]
    use["text"]["nl"] = "Gebruikt u zelf AI?"
    use["options"]["A2"] = {"nl": "Nooit", "en": "No"}
    use["options"]["A3"] = {"nl": "Weet niet", "en": "Don't know", "missing": True}
    tools["shown_if"] = "USE in [A1, A3]"
    tools["options"]["SQ007"] = {"nl": "Gemini"}
    document["scales"]["agree"]["A2"] = {"nl": "Mee eens", "en": "Agree"}
    del expect["statements"]["SQ002"]
    name.update(type="longtext", role="direct_identifier")
    document["questions"].append({"code": "AGE", "type": "number", "role": "answer", "text": {"nl": "Leeftijd"}})


def test_an_identical_codebook_has_no_differences():
    diff = diff_codebooks(_codebook(), _codebook())
    assert diff.is_empty and format_diff(diff) == "no differences in the questions"
    # A condition written another way is the same condition.
    assert diff_codebooks(_codebook(), _codebook(lambda d: d["questions"][1].update(shown_if="USE in [A1]"))).is_empty


def test_diff_lists_added_dropped_reworded_and_changed_codes():
    def edit(document: dict) -> None:
        _edit(document)
        document["questions"] = [q for q in document["questions"] if q["code"] != "NAME"] + [
            {"code": "NAME2", "type": "text", "role": "open_text", "text": {"nl": "Naam"}}]

    diff = diff_codebooks(_codebook(), _codebook(edit))
    assert not diff.is_empty
    assert [q.code for q in diff.added] == ["AGE", "NAME2"] and [q.code for q in diff.dropped] == ["NAME"]
    assert format_diff(diff).splitlines() == [
        '+ question AGE (number) "Leeftijd"',
        '+ question NAME2 (text) "Naam"',
        '- question NAME (text) "Naam"',
        '~ question USE: text (nl) reworded "Gebruikt u AI?" -> "Gebruikt u zelf AI?"',
        '~ question USE: option A2 relabelled "Nee" / "No" -> "Nooit" / "No"',
        '~ question USE: option A3 added "Weet niet" / "Don\'t know"',
        "~ question TOOLS: shown_if USE == A1 -> USE in [A1, A3]",
        '~ question TOOLS: option SQ007 added "Gemini"',
        '~ question EXPECT: scale answer A2 relabelled "Eens" / "Agree" -> "Mee eens" / "Agree"',
        '~ question EXPECT: statement SQ002 dropped "Zorgen"',
    ]


def test_diff_reports_type_role_and_dropped_codes():
    diff = diff_codebooks(_codebook(_edit), _codebook())
    lines = format_diff(diff).splitlines()
    assert "~ question NAME: type longtext -> text" in lines and "~ question NAME: role direct_identifier -> open_text" in lines
    assert '~ question USE: option A3 dropped "Weet niet" / "Don\'t know"' in lines
    assert '- question AGE (number) "Leeftijd"' in lines
    change = next(c for c in diff.changed if c.code == "USE")
    assert [(c.kind, c.code, c.change) for c in change.codes] == [("option", "A3", "dropped"), ("option", "A2", "relabelled")]


def test_diff_command_refuses_a_codebook_that_does_not_validate(tmp_path, capsys):
    broken = tmp_path / "new.yaml"
    broken.write_text(lss_to_yaml(LS3).replace("type: multi", "type: checkbox"), encoding="utf-8")
    assert main(["diff", str(PROJECT_CODEBOOK), str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"error: codebook {broken}: question TOOLS has unknown type 'checkbox'; known types: " \
        f"{sorted(QUESTION_TYPES)}\n"
