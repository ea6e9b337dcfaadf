"""The survey structure file (.lss) LimeSurvey 6 would export for a codebook: the sample wave's questionnaire as
the survey tool holds it, so that `python -m pipelines.codebook import` can be tried on the sample.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path

from schemas.codebook import OTHER_CODE, Codebook, Condition, Option, Question

DB_VERSION = "624"  # a LimeSurvey 6 database version: texts in the *_l10ns tables
LANGUAGES = ("nl", "en")  # Dutch base language, English added
LS_TYPE = {"single": "L", "multi": "M", "array": "F", "text": "S", "longtext": "T", "number": "N"}
LS_THEME = {"L": "listradio", "M": "multiplechoice", "F": "arrays/array", "S": "shortfreetext", "T": "longfreetext",
            "N": "numerical"}
QUESTION_FIELDS = ("qid", "parent_qid", "sid", "gid", "type", "title", "preg", "other", "mandatory", "encrypted",
                   "question_order", "scale_id", "same_default", "relevance", "question_theme_name", "modulename")
# The question groups of the sample questionnaire (pages of the survey), as the comments in questionnaire.yaml name them.
SAMPLE_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Achtergrond", "Background", ("SECTOR", "ORGSIZE", "ROLE", "PROVINCE", "ORGNAME")),
    ("Kennis en gebruik", "Knowledge and use", ("FAMILIAR", "ORGUSE", "OWNUSE", "TOOLS", "PURPOSE", "POLICY")),
    ("Verwachtingen", "Expectations", ("EXPECT", "RISKS")),
    ("Ondersteuning", "Support needs", ("SUPPORT",)),
    ("Open vragen", "Open questions", ("OPEN_USE", "OPEN_CONCERN", "OPEN_SUPPORT")),
    ("Contact", "Contact", ("FOLLOWUP", "EMAIL")),
)
OTHER_GROUP = ("Overige vragen", "Other questions")


def _table(root: ET.Element, tag: str, fields: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A table as LimeSurvey exports it: its field names, then one <row> per record."""
    table = ET.SubElement(root, tag)
    names = ET.SubElement(table, "fields")
    for name in fields:
        ET.SubElement(names, "fieldname").text = name
    body = ET.SubElement(table, "rows")
    for values in rows:
        row = ET.SubElement(body, "row")
        for name, value in zip(fields, values, strict=True):
            ET.SubElement(row, name).text = "" if value is None else str(value)


def _html(text: str) -> str:
    # LimeSurvey keeps texts as HTML: "&" is "&amp;" inside the text (and escaped again by the XML).
    return html.escape(text, quote=False)


def relevance(condition: Condition | None) -> str:
    """A shown_if condition as a LimeSurvey relevance equation ("1": always shown)."""
    if condition is None:
        return "1"
    terms = [f'{condition.question}.NAOK {"!=" if condition.operator == "!=" else "=="} "{code}"' for code in condition.codes]
    return f"(({' or '.join(terms)}))" if condition.operator == "in" else terms[0]


def _label(option: Option, language: str) -> str:
    return option.label_nl if language == "nl" else option.label_en


def _groups(codebook: Codebook, groups: Sequence[tuple[str, str, tuple[str, ...]]]) -> list[tuple[str, str, list[Question]]]:
    """Runs of consecutive questions in the same group, in codebook order (LimeSurvey orders by group, then question)."""
    home = {code: (nl, en) for nl, en, codes in groups for code in codes}
    runs: list[tuple[str, str, list[Question]]] = []
    for question in codebook.questions:
        nl, en = home.get(question.code, OTHER_GROUP)
        if not runs or runs[-1][:2] != (nl, en):
            runs.append((nl, en, []))
        runs[-1][2].append(question)
    return runs


def _number_attributes(question: Question) -> list[tuple[str, str]]:
    bounds = getattr(question, "number_range", None)
    if bounds is None:
        return []
    attributes = [(name, f"{value:g}") for name, value in (("min_num_value_n", bounds.minimum), ("max_num_value_n", bounds.maximum))
                  if value is not None]
    return attributes + ([("num_value_int_only", "1")] if bounds.decimals == 0 else [])


def write_lss(codebook: Codebook, path: Path, survey_id: int = 202401,
              groups: Sequence[tuple[str, str, tuple[str, ...]]] = SAMPLE_GROUPS) -> Path:
    """Write the codebook as a LimeSurvey 6 .lss (deterministic: the same codebook gives the same bytes)."""
    answers, answer_l10ns, group_rows, group_l10ns = [], [], [], []
    question_rows, sub_rows, question_l10ns, attributes = [], [], [], []
    next_id = {"sub": 1000, "aid": 1, "l10n": 1}

    def l10n(table: list, owner: int, texts: dict[str, str], extra: tuple = ()) -> None:
        for language in LANGUAGES:
            table.append((next_id["l10n"], owner, _html(texts[language]), *extra, language))
            next_id["l10n"] += 1

    for group_order, (name_nl, name_en, members) in enumerate(_groups(codebook, groups), start=1):
        gid = group_order
        group_rows.append((gid, survey_id, group_order, "", "1"))
        l10n(group_l10ns, gid, {"nl": name_nl, "en": name_en}, ("",))
        for order, question in enumerate(members, start=1):
            qid = 100 + len(question_rows) + 1
            kind = LS_TYPE[question.type]
            question_rows.append((qid, 0, survey_id, gid, kind, question.code, "", "Y" if question.other else "N",
                                  "Y" if question.required else "N", "N", order, 0, 0, relevance(question.shown_if),
                                  LS_THEME[kind], ""))
            l10n(question_l10ns, qid, {"nl": question.text_nl, "en": question.text_en}, ("", ""))
            items = question.options if question.type == "multi" else question.statements
            for sub_order, (code, option) in enumerate(items.items(), start=1):
                sub_qid = next_id["sub"] = next_id["sub"] + 1
                sub_rows.append((sub_qid, qid, survey_id, gid, "T", code, "", "N", "", "N", sub_order, 0, 0, "1", "", ""))
                l10n(question_l10ns, sub_qid, {lang: _label(option, lang) for lang in LANGUAGES}, ("", ""))
            if question.type in ("single", "array"):
                for sort_order, (code, option) in enumerate(question.options.items(), start=1):
                    if code == OTHER_CODE:
                        continue  # LimeSurvey adds "other" itself (other = Y); its label is an attribute
                    value = int(option.value) if option.value is not None and float(option.value).is_integer() else 0
                    answers.append((next_id["aid"], qid, code, sort_order, value, 0))
                    l10n(answer_l10ns, next_id["aid"], {lang: _label(option, lang) for lang in LANGUAGES})
                    next_id["aid"] += 1
            if question.other and OTHER_CODE in question.options:
                attributes += [(qid, "other_replace_text", _label(question.options[OTHER_CODE], lang), lang) for lang in LANGUAGES]
            if question.max_answers is not None:
                attributes.append((qid, "max_answers", question.max_answers, ""))
            attributes += [(qid, name, value, "") for name, value in _number_attributes(question)]

    root = ET.Element("document")
    ET.SubElement(root, "LimeSurveyDocType").text = "Survey"
    ET.SubElement(root, "DBVersion").text = DB_VERSION
    languages = ET.SubElement(root, "languages")
    for language in LANGUAGES:
        ET.SubElement(languages, "language").text = language
    _table(root, "answers", ("aid", "qid", "code", "sortorder", "assessment_value", "scale_id"), answers)
    _table(root, "answer_l10ns", ("id", "aid", "answer", "language"), answer_l10ns)
    _table(root, "groups", ("gid", "sid", "group_order", "randomization_group", "grelevance"), group_rows)
    _table(root, "group_l10ns", ("id", "gid", "group_name", "description", "language"), group_l10ns)
    _table(root, "questions", QUESTION_FIELDS, question_rows)
    _table(root, "subquestions", QUESTION_FIELDS, sub_rows)
    _table(root, "question_l10ns", ("id", "qid", "question", "help", "script", "language"), question_l10ns)
    _table(root, "question_attributes", ("qid", "attribute", "value", "language"), attributes)
    # The export settings the sample's survey_export.csv reflects: tokens, IP address, referrer and dates kept.
    _table(root, "surveys", ("sid", "language", "additional_languages", "startdate", "expires", "anonymized",
                             "datestamp", "ipaddr", "refurl", "usetokens"),
           [(survey_id, LANGUAGES[0], " ".join(LANGUAGES[1:]), f"{codebook.fielded_from} 00:00:00",
             f"{codebook.fielded_to} 23:59:59", "N", "Y", "Y", "Y", "Y")])
    _table(root, "surveys_languagesettings", ("surveyls_survey_id", "surveyls_language", "surveyls_title"),
           [(survey_id, language, codebook.title_nl if language == "nl" else codebook.title_en) for language in LANGUAGES])
    ET.indent(root, space=" ")
    path = Path(path)
    ET.ElementTree(root).write(path, encoding="UTF-8", xml_declaration=True)
    return path
