"""Import a codebook from LimeSurvey's survey structure file (.lss, XML) as a draft for the data steward.

LimeSurvey 3 keeps every text in the row of its question, answer or group (one row per language); LimeSurvey 4
to 6 keep the texts apart in `question_l10ns`, `answer_l10ns` and `group_l10ns`. Both layouts are read.
`read_lss` gives the codebook document (the dict `parse_codebook` validates) with warnings and comments;
`lss_to_yaml` writes it as a commented questionnaire.yaml. Roles and anonymisation stay the steward's call.
"""

from __future__ import annotations

import html
import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from schemas.codebook import OTHER_CODE, CodebookError, Condition

LS_TYPES: dict[str, str] = {
    "1": "Array dual scale", "5": "5 point choice", "A": "Array (5 point choice)", "B": "Array (10 point choice)",
    "C": "Array (Yes/Uncertain/No)", "D": "Date/Time", "E": "Array (Increase/Same/Decrease)", "F": "Array",
    "G": "Gender", "H": "Array by column", "I": "Language switch", "K": "Multiple numerical input",
    "L": "List (radio)", "M": "Multiple choice", "N": "Numerical input", "O": "List with comment",
    "P": "Multiple choice with comments", "Q": "Multiple short text", "R": "Ranking", "S": "Short free text",
    "T": "Long free text", "U": "Huge free text", "X": "Text display", "Y": "Yes/No", "!": "List (dropdown)",
    ":": "Array (Numbers)", ";": "Array (Texts)", "|": "File upload", "*": "Equation",
}
# Types whose answer codes LimeSurvey fixes itself (no answer rows in the .lss).
_FIXED_SINGLE: dict[str, dict[str, dict[str, Any]]] = {
    "5": {str(n): {"nl": str(n), "en": str(n), "value": n} for n in range(1, 6)},
    "Y": {"Y": {"nl": "Ja", "en": "Yes"}, "N": {"nl": "Nee", "en": "No"}},
    "G": {"F": {"nl": "Vrouw", "en": "Female"}, "M": {"nl": "Man", "en": "Male"}},
}
_FIXED_ARRAY: dict[str, tuple[str, dict[str, dict[str, Any]]]] = {
    "A": ("ls_5point", {str(n): {"nl": str(n), "en": str(n), "value": n} for n in range(1, 6)}),
    "B": ("ls_10point", {str(n): {"nl": str(n), "en": str(n), "value": n} for n in range(1, 11)}),
    "C": ("ls_yes_uncertain_no", {"Y": {"nl": "Ja", "en": "Yes"}, "U": {"nl": "Onzeker", "en": "Uncertain"},
                                  "N": {"nl": "Nee", "en": "No"}}),
    "E": ("ls_increase_same_decrease", {"I": {"nl": "Toename", "en": "Increase"}, "S": {"nl": "Gelijk", "en": "Same"},
                                        "D": {"nl": "Afname", "en": "Decrease"}}),
}
OTHER_LABELS = {"nl": "Anders", "en": "Other"}
# Export columns are CODE and CODE[ITEM]; shown_if names a question and lists codes between commas.
_QUESTION_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_ITEM_CODE = re.compile(r"^[A-Za-z0-9_]+$")
_TERM = re.compile(
    r"""^(?P<q>[A-Za-z][A-Za-z0-9_]*)(?:\.(?:NAOK|value))?\s*(?P<op>==|!=|\beq\b|\bne\b)\s*"""
    r"""(?P<quote>["']?)(?P<code>[A-Za-z0-9_-]+)(?P=quote)$"""
)


class LssError(CodebookError):
    """The .lss cannot be read; the message names the file and the element."""


@dataclass(frozen=True)
class LssImport:
    """A codebook document read from a .lss, with what the steward must know about it."""

    source: Path
    document: dict[str, Any]
    warnings: tuple[str, ...]
    left_out: tuple[str, ...] = ()  # "CODE: LimeSurvey type X (Text display)"
    header: tuple[str, ...] = ()  # further comment lines for the top of the YAML
    notes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # question code -> comments above it
    groups: dict[str, str] = field(default_factory=dict)  # question code -> heading of the group it opens


@dataclass
class _Item:
    code: str
    order: int
    texts: dict[str, str]
    value: float | None = None


@dataclass
class _Source:
    """One question as the .lss holds it."""

    qid: str
    gid: str
    type: str
    code: str
    other: bool
    mandatory: str
    order: int
    relevance: str
    texts: dict[str, str] = field(default_factory=dict)
    subquestions: dict[int, list[_Item]] = field(default_factory=dict)
    answers: dict[int, list[_Item]] = field(default_factory=dict)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)

    def attribute(self, name: str, language: str = "") -> str:
        values = self.attributes.get(name, {})
        return (values.get(language) or values.get("") or "").strip()


def clean_text(text: str) -> str:
    """LimeSurvey's HTML as one line of plain text."""
    text = re.sub(r"<br\s*/?>|</p>|</li>", " ", text, flags=re.IGNORECASE)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def parse_relevance(expression: str) -> Condition | None:
    """A simple LimeSurvey relevance as a shown_if condition, or None when it is not simple."""
    parts = [_unwrap(part) for part in re.split(r"\s+or\s+|\|\|", _unwrap(expression), flags=re.IGNORECASE)]
    terms = [_TERM.match(part) for part in parts]
    if not all(terms) or len({t["q"] for t in terms if t}) != 1:
        return None
    question = terms[0]["q"]  # type: ignore[index]
    ops = {"!=" if t["op"] in ("!=", "ne") else "==" for t in terms if t}
    codes = tuple(dict.fromkeys(t["code"] for t in terms if t))
    if len(parts) > 1 and ops != {"=="}:
        return None  # "Q != A1 or Q != A2" is always true; the codebook has no "not in"
    operator = "in" if len(codes) > 1 else ops.pop()
    source = f"{question} in [{', '.join(codes)}]" if operator == "in" else f"{question} {operator} {codes[0]}"
    return Condition(question=question, operator=operator, codes=codes, source=source)  # type: ignore[arg-type]


def _unwrap(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for index, char in enumerate(text):
            depth += (char == "(") - (char == ")")
            if depth == 0:
                break
        if index != len(text) - 1:  # "(a) or (b)": the first bracket closes early
            break
        text = text[1:-1].strip()
    return text


# --- reading the XML -------------------------------------------------------------------------------


def _parse(path: Path) -> ET.Element:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LssError(f"{path}: cannot be read ({exc.strerror})") from None
    # LimeSurvey never writes a DTD; refusing one keeps entity expansion out of the stdlib parser.
    if b"<!DOCTYPE" in data.split(b"<document", 1)[0].upper():
        raise LssError(f"{path}: not a LimeSurvey structure file: it declares a DOCTYPE")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise LssError(f"{path}: not a LimeSurvey structure file: the XML is broken ({exc})") from None
    if root.tag != "document":
        raise LssError(f"{path}: not a LimeSurvey structure file: the root element is <{root.tag}>, not <document>")
    doctype = (root.findtext("LimeSurveyDocType") or "").strip()
    if doctype and doctype != "Survey":
        raise LssError(f"{path}: <LimeSurveyDocType> is {doctype!r}: export the whole survey structure (.lss)")
    return root


def _table(root: ET.Element, tag: str) -> list[dict[str, str]]:
    return [{child.tag: child.text or "" for child in row} for row in root.iterfind(f"{tag}/rows/row")]


def _int(value: str, where: str) -> int:
    try:
        return int(value.strip() or 0)
    except ValueError:
        raise LssError(f"{where}: {value!r} is not a whole number") from None


def _texts(root: ET.Element, tag: str, key: str, text: str) -> dict[str, dict[str, str]]:
    """key -> language -> text from a LimeSurvey 4+ l10n table."""
    found: dict[str, dict[str, str]] = {}
    for row in _table(root, tag):
        found.setdefault(row.get(key, ""), {})[row.get("language", "")] = row.get(text, "")
    return found


def _add_item(items: dict[int, list[_Item]], scale: int, code: str, order: int, texts: dict[str, str],
              value: float | None, where: str) -> None:
    """Add an answer or sub-question; a LimeSurvey 3 row of another language adds its text to the same item."""
    for item in items.setdefault(scale, []):
        if item.code == code:
            if set(item.texts) & set(texts):
                raise LssError(f"{where}: code {code!r} occurs twice")
            item.texts.update(texts)
            return
    items[scale].append(_Item(code, order, dict(texts), value))


def _sources(root: ET.Element, path: Path) -> list[_Source]:
    """The questions with their texts, sub-questions, answers and attributes, in either layout."""
    if root.find("questions") is None:
        raise LssError(f"{path}: no <questions> element: the file holds no questions")
    l10n = root.find("question_l10ns") is not None
    question_texts = _texts(root, "question_l10ns", "qid", "question")
    rows = [("questions", n, row) for n, row in enumerate(_table(root, "questions"), 1)]
    rows += [("subquestions", n, row) for n, row in enumerate(_table(root, "subquestions"), 1)]
    sources: dict[str, _Source] = {}
    children: list[tuple[str, dict[str, str], dict[str, str]]] = []
    for tag, number, row in rows:
        qid = row.get("qid", "").strip()
        where = f"{path}: <{tag}> row {number}" + (f" (qid {qid})" if qid else "")
        for name in ("qid", "title"):
            if not row.get(name, "").strip():
                raise LssError(f"{where} has no <{name}>")
        texts = question_texts.get(qid, {}) if l10n else {row.get("language", ""): row.get("question", "")}
        if row.get("parent_qid", "0").strip() not in ("", "0"):
            children.append((where, row, texts))
        elif qid in sources:  # LimeSurvey 3: the same question in another language
            sources[qid].texts.update(texts)
        else:
            if not row.get("type", "").strip():
                raise LssError(f"{where}: question {row['title'].strip()} has no <type>")
            sources[qid] = _Source(
                qid=qid, gid=row.get("gid", "").strip(), type=row["type"].strip(), code=row["title"].strip(),
                other=row.get("other", "N").strip() == "Y", mandatory=row.get("mandatory", "N").strip(),
                order=_int(row.get("question_order", ""), where), relevance=row.get("relevance", "").strip(),
                texts=dict(texts),
            )
    for where, row, texts in children:
        parent = sources.get(row["parent_qid"].strip())
        if parent is None:
            raise LssError(f"{where}: sub-question {row['title'].strip()} belongs to question {row['parent_qid'].strip()}, "
                           "which is not in <questions>")
        _add_item(parent.subquestions, _int(row.get("scale_id", ""), where), row["title"].strip(),
                  _int(row.get("question_order", ""), where), texts, None,
                  f"{path}: question {parent.code} sub-question")
    answer_texts = _texts(root, "answer_l10ns", "aid", "answer")
    for number, row in enumerate(_table(root, "answers"), 1):
        where = f"{path}: <answers> row {number}"
        source = sources.get(row.get("qid", "").strip())
        if source is None:
            continue  # an answer of a sub-question or a deleted question: LimeSurvey ignores it too
        texts = answer_texts.get(row.get("aid", "").strip(), {}) if l10n else {row.get("language", ""): row.get("answer", "")}
        assessment = row.get("assessment_value", "").strip()
        try:
            value = float(assessment) if assessment else None
        except ValueError:
            value = None
        _add_item(source.answers, _int(row.get("scale_id", ""), where), row.get("code", "").strip(),
                  _int(row.get("sortorder", ""), where), texts, value, f"{path}: question {source.code} answer")
    for row in _table(root, "question_attributes"):
        if (source := sources.get(row.get("qid", "").strip())) is not None:
            source.attributes.setdefault(row.get("attribute", ""), {})[row.get("language", "").strip()] = row.get("value", "")
    return list(sources.values())


@dataclass(frozen=True)
class _Languages:
    listed: tuple[str, ...]
    base: str
    sources: dict[str, str]  # our label key (nl, en) -> the survey language whose texts fill it

    def label(self, texts: dict[str, str]) -> dict[str, str]:
        fallback = texts.get(self.base) or next((text for text in texts.values() if text), "")
        return {key: clean_text(texts.get(language) or fallback) for key, language in self.sources.items()}


def _languages(root: ET.Element, survey: dict[str, str], path: Path) -> _Languages:
    base = survey.get("language", "").strip()
    named = [base, *survey.get("additional_languages", "").split()]
    named += [(element.text or "").strip() for element in root.iterfind("languages/language")]
    listed = tuple(dict.fromkeys(language for language in named if language))
    if not listed:
        raise LssError(f"{path}: no survey language in <surveys> or <languages>")
    base = base or listed[0]
    sources: dict[str, str] = {}
    for key in ("nl", "en"):
        matches = [lang for lang in listed if lang.lower() == key] or [lang for lang in listed if lang.lower().split("-")[0] == key]
        if matches:
            sources[key] = matches[0]
    # A survey in neither language: its base language fills both keys (the codebook needs one language).
    return _Languages(listed, base, sources or {"nl": base, "en": base})


def _groups(root: ET.Element, path: Path) -> dict[str, tuple[int, dict[str, str], str]]:
    """gid -> (group order, names per language, group relevance)."""
    names = _texts(root, "group_l10ns", "gid", "group_name")
    groups: dict[str, tuple[int, dict[str, str], str]] = {}
    for number, row in enumerate(_table(root, "groups"), 1):
        gid = row.get("gid", "").strip()
        order = _int(row.get("group_order", ""), f"{path}: <groups> row {number}")
        # LimeSurvey 3 repeats a group once per language, with its name in that language.
        groups.setdefault(gid, (order, {}, row.get("grelevance", "").strip()))[1].update(
            names.get(gid) or {row.get("language", ""): row.get("group_name", "")})
    return groups


def _number(text: str) -> int | float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


@dataclass
class _Builder:
    """Turns the .lss questions into codebook entries, collecting scales, notes and warnings."""

    languages: _Languages
    scales: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    def note(self, code: str, line: str, warn: bool = False) -> None:
        self.notes.setdefault(code, []).append(line)
        if warn:
            self.warnings.append(f"question {code}: {line}")

    def items(self, source: _Source, items: list[_Item], what: str) -> dict[str, dict[str, Any]]:
        """Codes with labels in order; assessment values become `value` when the survey sets any."""
        valued = any(item.value for item in items)
        found: dict[str, dict[str, Any]] = {}
        for item in sorted(items, key=lambda item: item.order):
            if not _ITEM_CODE.match(item.code):
                self.note(source.code, f"TODO: {what} code {item.code!r} cannot be part of an export column "
                                       "(letters, digits and _ only): recode it in LimeSurvey", warn=True)
            found[item.code] = self.languages.label(item.texts)
            if valued and item.value:
                found[item.code]["value"] = _number(str(item.value))
        return found

    def scale(self, code: str, answers: dict[str, dict[str, Any]]) -> str:
        """The name of a scale with these answers: an existing one with the same answers, or a new one."""
        for name, existing in self.scales.items():
            if list(existing.items()) == list(answers.items()):
                return name
        name, number = f"{code.lower()}_scale", 2
        while name in self.scales:
            name, number = f"{code.lower()}_scale{number}", number + 1
        self.scales[name] = answers
        return name

    def question(self, source: _Source) -> dict[str, Any] | None:
        """The codebook entry of one question, or None when the codebook has no place for it."""
        kind, code = source.type, source.code
        entry: dict[str, Any] = {"code": code, "type": "", "role": "answer", "required": source.mandatory == "Y",
                                 "text": self.languages.label(source.texts)}
        if kind in ("L", "!", "O") or kind in _FIXED_SINGLE:
            options = dict(_FIXED_SINGLE[kind]) if kind in _FIXED_SINGLE else self.items(source, source.answers.get(0, []), "answer")
            if source.other and kind not in _FIXED_SINGLE:
                entry["other"] = True
                options[OTHER_CODE] = {key: clean_text(source.attribute("other_replace_text", language)) or OTHER_LABELS[key]
                                       for key, language in self.languages.sources.items()}
            entry.update(type="single", options=options)
            if kind == "O":
                self.note(code, f"LimeSurvey also exports a comment column {code}[comment]; the codebook has no place for it", warn=True)
        elif kind in ("M", "P"):
            entry.update(type="multi", options=self.items(source, source.subquestions.get(0, []), "sub-question"))
            if source.other:
                entry["other"] = True
            limit = source.attribute("max_answers")
            if limit.isdigit() and int(limit) > 0:
                entry["max_answers"] = int(limit)
            elif limit:
                self.note(code, f"max_answers (not converted): {limit}", warn=True)
            if kind == "P":
                self.note(code, f"LimeSurvey also exports a comment column per option ({code}[SQ001comment], ...); "
                                "the codebook has no place for them", warn=True)
        elif kind in ("F", "H") or kind in _FIXED_ARRAY:
            if kind in _FIXED_ARRAY:
                name, answers = _FIXED_ARRAY[kind]
                self.scales.setdefault(name, answers)
            else:
                answers = self.items(source, source.answers.get(0, []), "answer")
                name = self.scale(code, answers) if answers else ""
            entry.update(type="array", scale=name, statements=self.items(source, source.subquestions.get(0, []), "sub-question"))
        elif kind in ("S", "T", "U"):
            entry.update(type="text" if kind == "S" else "longtext", role="open_text")
        elif kind == "N":
            entry["type"] = "number"
            bounds: dict[str, int | float] = {}
            for bound, attribute in (("min", "min_num_value_n"), ("max", "max_num_value_n")):
                if text := source.attribute(attribute):
                    if (number := _number(text)) is None:
                        self.note(code, f"{attribute} (not converted): {text}", warn=True)
                    else:
                        bounds[bound] = number
            if bounds:
                entry["range"] = bounds
            if source.attribute("num_value_int_only") == "1":
                entry["decimals"] = 0
        else:
            name = LS_TYPES.get(kind, "unknown type")
            self.left_out.append(f"{code}: LimeSurvey type {kind} ({name})")
            self.warnings.append(f"question {code} left out: LimeSurvey type {kind} ({name}) has no place in the codebook")
            return None
        empty = [key for key in ("options", "statements") if key in entry and not entry[key]]
        if empty or entry.get("scale") == "":
            self.left_out.append(f"{code}: {LS_TYPES[kind]} without {empty[0] if empty else 'answers'}")
            self.warnings.append(f"question {code} left out: a {LS_TYPES[kind]} without {empty[0] if empty else 'answers'} in the .lss")
            return None
        if not _QUESTION_CODE.match(code):
            self.note(code, f"TODO: the code {code!r} cannot be an export column (a letter, then letters, digits and _)", warn=True)
        if source.mandatory == "S":
            self.note(code, "soft mandatory in LimeSurvey (respondents could skip it): required: false")
        return entry

    def shown_if(self, questions: list[dict[str, Any]], sources: list[_Source]) -> None:
        """Convert each simple relevance to shown_if; keep any other as a comment."""
        by_code = {entry["code"]: entry for entry in questions}
        for source in sources:
            expression = " ".join(source.relevance.split())
            if source.code not in by_code or expression in ("", "1"):
                continue
            condition = parse_relevance(expression)
            target = by_code.get(condition.question) if condition else None
            unknown = [c for c in condition.codes if c not in target.get("options", {})] if condition and target else []
            if condition is None:
                reason = ""
            elif target is None or target["type"] != "single":
                reason = f": {condition.question} is not a single-choice question of this codebook"
            elif unknown:
                reason = f": {condition.question} has no code {', '.join(unknown)}"
            else:
                by_code[source.code]["shown_if"] = condition.source
                continue
            self.note(source.code, f"relevance (not converted{reason}): {expression}", warn=True)


def read_lss(path: Path | str) -> LssImport:
    """Read a .lss into a codebook document with warnings; raise LssError naming the file and element."""
    path = Path(path)
    root = _parse(path)
    survey = (_table(root, "surveys") or [{}])[0]
    languages = _languages(root, survey, path)
    groups = _groups(root, path)
    sources = _sources(root, path)
    if not sources:
        raise LssError(f"{path}: <questions> holds no questions")
    sources.sort(key=lambda s: (groups.get(s.gid, (10**9,))[0], s.order, _number(s.qid) or 0))
    builder = _Builder(languages)
    questions: list[dict[str, Any]] = []
    headings: dict[str, str] = {}
    seen_groups: set[str] = set()
    for source in sources:
        entry = builder.question(source)
        if entry is None:
            continue
        if source.gid not in seen_groups and source.gid in groups:
            seen_groups.add(source.gid)
            _, names, relevance = groups[source.gid]
            headings[source.code] = " / ".join(dict.fromkeys(t for t in languages.label(names).values() if t))
            if relevance not in ("", "1"):
                condition = " ".join(relevance.split())
                builder.note(source.code, f"group relevance (not converted, applies to the whole group): {condition}", warn=True)
        questions.append(entry)
    if not questions:
        raise LssError(f"{path}: none of the {len(sources)} questions has a type the codebook can hold ({'; '.join(builder.left_out)})")
    builder.shown_if(questions, sources)

    header: list[str] = []
    if not {"nl", "en"} & {language.lower().split("-")[0] for language in languages.listed}:
        header.append(f"The survey is in {', '.join(languages.listed)}: nl and en both hold its {languages.base} texts.")
        builder.warnings.append(f"the survey is in {', '.join(languages.listed)}: nl and en both hold its {languages.base} texts")
    fielded = [_date(survey.get(name, "")) for name in ("startdate", "expires")]
    if absent := [name for name, day in zip(("start date", "expiry"), fielded) if day is None]:
        # A placeholder keeps the draft valid; the steward sets the fieldwork period (it marks early responses as tests).
        header.append(f"TODO: fielded is a placeholder: the survey has no {' and no '.join(absent)} in the .lss.")
        builder.warnings.append(f"fielded: the survey has no {' and no '.join(absent)} in the .lss; a placeholder is set")
    start = fielded[0] or fielded[1] or date.today()
    titles = {row.get("surveyls_language", ""): row.get("surveyls_title", "") for row in _table(root, "surveys_languagesettings")}
    document: dict[str, Any] = {
        "survey": f"limesurvey-{survey['sid'].strip()}" if survey.get("sid", "").strip() else "limesurvey",
        "wave": "TODO",
        "fielded": {"from": start, "to": fielded[1] or start},
        "languages": list(languages.listed),
        "title": languages.label(titles),
    }
    if builder.scales:
        document["scales"] = builder.scales
    document["questions"] = questions
    notes = {code: tuple(lines) for code, lines in builder.notes.items()}
    return LssImport(path, document, tuple(builder.warnings), tuple(builder.left_out), tuple(header), notes, headings)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


# --- writing the YAML ------------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})  # YAML 1.1 reads these
_KEY_ORDER = ("type", "role", "required", "other", "max_answers", "scale", "shown_if", "range", "decimals")
HEADER = """\
# Codebook imported from {name} (LimeSurvey) by `python -m pipelines.codebook import`: a DRAFT for the data steward.
# Check it against the questionnaire and complete every TODO before a wave uses it (schemas/questionnaire.yaml
# shows a finished codebook; its header explains every key).
#
# TODO (steward):
#   - role: imported as `answer` (text questions: `open_text`). Set `direct_identifier` on what identifies a person
#     on its own (e-mail address, name, organisation name) and `quasi_identifier` on background variables (sector,
#     size, role, region), each with `generalise` groups, `group_labels`, a `hierarchy` and an `importance`
#     (a number question: `bands`).
#   - missing: true on "don't know" / "no opinion" codes.
#   - links_waves: true on the e-mail question that links a person's answers across waves (if any);
#     headline: true on the main single-choice questions (charted on the frequencies' asset page).
#   - value: the numbers behind scale answers (taken from LimeSurvey's assessment values where the survey has any).
#   - wave and fielded: LimeSurvey does not know the wave; check the fieldwork period.
"""


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, float):
        # YAML 1.1 reads 1e-05 as text: a float is written with a decimal point and without an exponent.
        return repr(value) if "e" not in repr(value) else f"{value:.15f}".rstrip("0")
    text = str(value)
    return text if _PLAIN.match(text) and text.lower() not in _YAML_WORDS else json.dumps(text, ensure_ascii=False)


def _flow(mapping: dict[str, Any]) -> str:
    # Labels are always quoted (JSON strings are valid YAML): "Ja, structureel" and "Yes" stay text.
    parts = [f"{_scalar(k)}: {json.dumps(v, ensure_ascii=False) if isinstance(v, str) else _scalar(v)}" for k, v in mapping.items()]
    return "{" + ", ".join(parts) + "}"


def render_yaml(result: LssImport) -> str:
    """The document as a commented questionnaire.yaml."""
    doc = result.document
    lines = HEADER.format(name=result.source.name).splitlines()
    if result.left_out:
        lines += ["#", "# Left out (the codebook has no place for these types):", *(f"#   - {item}" for item in result.left_out)]
    if result.header:
        lines += ["#", *(f"# {line}" for line in result.header)]
    fielded = doc["fielded"]
    lines += ["", f"survey: {_scalar(doc['survey'])}  # TODO: a short name for the survey",
              f"wave: {_scalar(doc['wave'])}  # TODO: the wave, e.g. 2025-01",
              f"fielded: {{from: {fielded['from'].isoformat()}, to: {fielded['to'].isoformat()}}}  # TODO: check",
              f"languages: [{', '.join(_scalar(language) for language in doc['languages'])}]", "title:"]
    lines += [f"  {key}: {json.dumps(text, ensure_ascii=False)}" for key, text in doc["title"].items()]
    if doc.get("scales"):
        lines += ["", "scales:"]
        for name, answers in doc["scales"].items():
            lines += [f"  {_scalar(name)}:", *(f"    {_scalar(code)}: {_flow(spec)}" for code, spec in answers.items())]
    lines += ["", "questions:"]
    for entry in doc["questions"]:
        code = entry["code"]
        if code in result.groups:
            heading = f"  # --- {result.groups[code]} "
            lines.append(heading + "-" * max(3, 100 - len(heading)))
        lines += [f"  # {line}" for line in result.notes.get(code, ())]
        lines.append(f"  - code: {_scalar(code)}")
        for key in _KEY_ORDER:
            if key not in entry:
                continue
            value = entry[key]
            if key == "range":
                lines.append(f"    range: {_flow(value)}")
            elif key == "shown_if":
                lines.append(f"    shown_if: {json.dumps(value, ensure_ascii=False)}")
            elif key == "role" and value == "open_text":
                lines.append("    role: open_text  # TODO: direct_identifier if it asks for an e-mail address or a name")
            else:
                lines.append(f"    {key}: {_scalar(value)}")
        lines += ["    text:", *(f"      {key}: {json.dumps(text, ensure_ascii=False)}" for key, text in entry["text"].items())]
        for key in ("options", "statements"):
            if key in entry:
                lines += [f"    {key}:", *(f"      {_scalar(c)}: {_flow(spec)}" for c, spec in entry[key].items())]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def lss_to_yaml(path: Path | str) -> str:
    """A commented questionnaire.yaml for the steward to complete, from a .lss."""
    return render_yaml(read_lss(path))
