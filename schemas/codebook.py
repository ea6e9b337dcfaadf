"""The codebook: the questionnaire of a wave, loaded from YAML and validated before anything uses it.

Everything that depends on questions (export column names, allowed answer codes, contracts) is derived
from a `Codebook`, never written by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

import yaml

if TYPE_CHECKING:
    import pandas as pd

PROJECT_CODEBOOK = Path(__file__).resolve().parent / "questionnaire.yaml"

QuestionType = Literal["single", "multi", "array", "text", "longtext", "number"]
Role = Literal["direct_identifier", "quasi_identifier", "answer", "open_text"]
QUESTION_TYPES: frozenset[str] = frozenset({"single", "multi", "array", "text", "longtext", "number"})
ROLES: frozenset[str] = frozenset({"direct_identifier", "quasi_identifier", "answer", "open_text"})
OTHER_CODE = "-oth-"
OPTION_KEYS = frozenset({"nl", "en", "missing", "value"})
TICKED = "Y"
# How LimeSurvey writes a multiple-choice option, by export setting: "Y" or empty (the default), "Y"/"N", or
# "1"/"0" ("convert Y to 1, N to 0"). An empty cell is not ticked.
TICK_VALUES: dict[str, bool] = {"Y": True, "1": True, "N": False, "0": False}

# Metadata columns that LimeSurvey writes before the questions, in export order.
EXPORT_METADATA_COLUMNS: tuple[str, ...] = (
    "id",
    "token",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "interviewtime",
)
# Without these the export cannot be cleaned (identity, completion, fieldwork period). An anonymous survey has no
# token, ipaddr or refurl column: duplicates are then found by e-mail address, or not at all.
REQUIRED_METADATA_COLUMNS: tuple[str, ...] = ("id", "submitdate", "startdate", "datestamp")
TIMESTAMP_COLUMNS: tuple[str, ...] = ("submitdate", "startdate", "datestamp")


class CodebookError(ValueError):
    """The codebook cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Option:
    code: str
    label_nl: str
    label_en: str
    missing: bool = False
    value: float | None = None


@dataclass(frozen=True)
class Condition:
    """A `shown_if` condition: `CODE == A1`, `CODE != A5` or `CODE in [A1, A2]`."""

    question: str
    operator: Literal["==", "!=", "in"]
    codes: tuple[str, ...]
    source: str


# The top of every quasi-identifier's hierarchy: one category for everybody (published, it says nothing).
TOTAL_CODE = "ALL"
TOTAL_LABEL = Option(code=TOTAL_CODE, label_nl="Alle", label_en="All")


@dataclass(frozen=True)
class Level:
    """A coarser level of a quasi-identifier's hierarchy: each of its codes groups codes of the level below."""

    name: str
    groups: dict[str, tuple[str, ...]]
    labels: dict[str, Option]


@dataclass(frozen=True)
class NumberRange:
    """What a number question accepts: bounds (either may be open) and, with `decimals`, at most so many decimals."""

    minimum: float | None = None
    maximum: float | None = None
    decimals: int | None = None

    def describe(self) -> str:
        low = "" if self.minimum is None else f"{self.minimum:g}"
        high = "" if self.maximum is None else f"{self.maximum:g}"
        bounds = f"from {low} to {high}" if low and high else (f"at least {low}" if low else (f"at most {high}" if high else "any number"))
        kind = "a whole number" if self.decimals == 0 else (f"a number with at most {self.decimals} decimals" if self.decimals else "a number")
        return f"{kind}, {bounds}" if bounds != "any number" else kind


@dataclass(frozen=True)
class Question:
    code: str
    type: QuestionType
    role: Role
    required: bool
    text_nl: str
    text_en: str
    options: dict[str, Option] = field(default_factory=dict)
    statements: dict[str, Option] = field(default_factory=dict)
    scale: str | None = None
    other: bool = False
    shown_if: Condition | None = None
    max_answers: int | None = None
    generalise: dict[str, tuple[str, ...]] = field(default_factory=dict)
    group_labels: dict[str, Option] = field(default_factory=dict)
    # Levels above the groups, finest first (a quasi-identifier's hierarchy; the total comes on top of them).
    hierarchy: tuple[Level, ...] = ()
    # How much the analyses need a quasi-identifier: of two values to suppress, the less important goes first.
    importance: int = 1
    # An answer whose values must be diverse within every class of the background variables (l-diversity).
    sensitive: bool = False
    # A number question: what it accepts, and (a quasi-identifier) its bands as lower edges, band code -> from.
    number_range: NumberRange | None = None
    bands: dict[str, float] = field(default_factory=dict)
    # The e-mail address that links a person's answers across waves (the pseudonym is derived from it).
    links_waves: bool = False
    # A main question of the wave: shown in the chart on the frequencies' asset page.
    headline: bool = False

    def band_of(self, values: "pd.Series") -> "pd.Series":
        """The band code of every number (a band runs from its `from` up to the next band's); missing stays missing."""
        import pandas as pd

        edges = sorted(self.bands.items(), key=lambda item: item[1])
        numbers = pd.to_numeric(values, errors="coerce").astype("Float64")
        bands = pd.Series(pd.NA, index=values.index, dtype="string")
        for code, start in edges:
            bands = bands.mask((numbers >= start).fillna(False), code)
        return bands

    def generalisation_levels(self) -> list[tuple[str, dict[str, str], dict[str, Option]]]:
        """(name, group code -> code at that level, labels) of every level a quasi-identifier can be released at:
        the groups, the hierarchy's levels, then the total (one category)."""
        levels = [("groups", {group: group for group in self.generalise}, dict(self.group_labels))]
        for level in self.hierarchy:
            below = levels[-1][1]
            parent = {child: code for code, children in level.groups.items() for child in children}
            levels.append((level.name, {group: parent[code] for group, code in below.items()}, dict(level.labels)))
        levels.append(("total", dict.fromkeys(self.generalise, TOTAL_CODE), {TOTAL_CODE: TOTAL_LABEL}))
        return levels

    def released_labels(self) -> dict[str, Option]:
        """The labels of every code a released group column may hold, at any level of the hierarchy."""
        return {code: label for _, _, labels in self.generalisation_levels() for code, label in labels.items()}

    def released_categories(self, codes: Iterable[Any]) -> list[str]:
        """The categories of the level the released `codes` are at, in codebook order (the groups when none is
        given): what a table broken down by this question lists."""
        present = {str(code) for code in codes if isinstance(code, str)}
        for _, _, labels in self.generalisation_levels():
            if present <= set(labels):
                return list(labels)
        return [*self.group_labels, *sorted(present - set(self.group_labels))]

    @property
    def other_column(self) -> str:
        return f"{self.code}[other]"

    def item_column(self, item_code: str) -> str:
        return f"{self.code}[{item_code}]"

    def export_columns(self) -> list[str]:
        """The columns LimeSurvey writes for this question, in export order."""
        if self.type == "multi":
            columns = [self.item_column(code) for code in self.options]
        elif self.type == "array":
            columns = [self.item_column(code) for code in self.statements]
        else:
            columns = [self.code]
        if self.other:
            columns.append(self.other_column)
        return columns

    def coded_columns(self) -> dict[str, frozenset[str]]:
        """Columns that hold answer codes, with the codes each may hold (free-text columns excluded)."""
        if self.type == "single":
            return {self.code: frozenset(self.options)}
        if self.type == "number":
            return {}
        if self.type == "array":
            return {self.item_column(code): frozenset(self.options) for code in self.statements}
        if self.type == "multi":
            return {self.item_column(code): frozenset({TICKED}) for code in self.options}
        return {}

    def text_columns(self) -> list[str]:
        """Columns that hold free text: text questions and "Anders" texts."""
        columns = [self.code] if self.type in ("text", "longtext") else []
        if self.other:
            columns.append(self.other_column)
        return columns


@dataclass(frozen=True)
class Codebook:
    source: Path
    survey: str
    wave: str
    fielded_from: date
    fielded_to: date
    title_nl: str
    title_en: str
    scales: dict[str, dict[str, Option]]
    questions: tuple[Question, ...]

    def question(self, code: str) -> Question:
        for question in self.questions:
            if question.code == code:
                return question
        raise KeyError(f"question {code!r} is not in the codebook {self.source}")

    def question_columns(self) -> list[str]:
        return [column for question in self.questions for column in question.export_columns()]

    def export_columns(self) -> list[str]:
        """Every column of a complete export, metadata first, in export order."""
        return [*EXPORT_METADATA_COLUMNS, *self.question_columns()]

    def required_export_columns(self) -> list[str]:
        return [*REQUIRED_METADATA_COLUMNS, *self.question_columns()]

    def coded_columns(self) -> dict[str, frozenset[str]]:
        return {
            column: codes
            for question in self.questions
            for column, codes in question.coded_columns().items()
        }

    def questions_with_role(self, role: Role) -> list[Question]:
        return [question for question in self.questions if question.role == role]

    def linking_email(self) -> str | None:
        """The code of the e-mail question that links waves (`links_waves: true`), if the survey asks one."""
        return next((question.code for question in self.questions if question.links_waves), None)

    def headline_questions(self) -> tuple[str, ...]:
        return tuple(question.code for question in self.questions if question.headline)


# --- loading -------------------------------------------------------------------------------------


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a mapping with the same key twice (PyYAML keeps the last one)."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise CodebookError(
                f"duplicate key {key!r} at line {key_node.start_mark.line + 1}: every code must be unique"
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)

_CONDITION = re.compile(
    r"^\s*(?P<question>[A-Za-z][A-Za-z0-9_]*)\s*(?P<op>==|!=|\bin\b)\s*(?P<rhs>.+?)\s*$"
)


def _parse_condition(text: str) -> Condition:
    match = _CONDITION.match(text)
    if not match:
        raise ValueError(f"cannot read shown_if {text!r}: expected 'CODE == A1', 'CODE != A1' or 'CODE in [A1, A2]'")
    rhs = match["rhs"].strip()
    op = match["op"]
    if op == "in":
        if not (rhs.startswith("[") and rhs.endswith("]")):
            raise ValueError(f"cannot read shown_if {text!r}: 'in' needs a list like [A1, A2]")
        codes = tuple(part.strip() for part in rhs[1:-1].split(",") if part.strip())
    else:
        codes = (rhs,)
    return Condition(question=match["question"], operator=op, codes=codes, source=text)  # type: ignore[arg-type]


def _option(code: str, spec: Any, where: str) -> Option:
    if not isinstance(spec, dict) or ("nl" not in spec and "en" not in spec):
        raise ValueError(f"{where} option {code!r} needs a label: 'nl', 'en' or both")
    unexpected = [str(key) for key in spec if key not in OPTION_KEYS]
    if unexpected:
        raise ValueError(
            f"{where} option {code!r} has unexpected key(s) {', '.join(map(repr, unexpected))}: "
            "a label that holds a comma must be quoted, e.g. {nl: \"Ja, structureel\", en: \"Yes, structurally\"}"
        )
    for language in ("nl", "en"):
        if language in spec and not isinstance(spec[language], str):
            raise ValueError(
                f"{where} option {code!r}: label {language!r} is not text ({spec[language]!r}); YAML reads an unquoted "
                "Yes, No, On or Off as true or false: quote it"
            )
    value = spec.get("value")
    return Option(
        code=str(code),
        # A codebook in one language is enough: the other label is the same text.
        label_nl=str(spec.get("nl", spec.get("en"))),
        label_en=str(spec.get("en", spec.get("nl"))),
        missing=bool(spec.get("missing", False)),
        value=float(value) if value is not None else None,
    )


def _options(specs: Any, where: str) -> dict[str, Option]:
    if not isinstance(specs, dict) or not specs:
        raise ValueError(f"{where} needs a non-empty mapping of codes to labels")
    return {str(code): _option(str(code), spec, where) for code, spec in specs.items()}


def _question(raw: dict[str, Any], scales: dict[str, dict[str, Option]]) -> Question:
    code = raw.get("code")
    if not code:
        raise ValueError("a question without 'code'")
    where = f"question {code}"
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        raise ValueError(f"{where} has unknown type {qtype!r}; known types: {sorted(QUESTION_TYPES)}")
    role = raw.get("role")
    if role not in ROLES:
        raise ValueError(f"{where} has unknown role {role!r}; known roles: {sorted(ROLES)}")
    text = raw.get("text") or {}
    scale = raw.get("scale")
    if scale is not None and scale not in scales:
        raise ValueError(f"{where} uses scale {scale!r}, which is not defined under 'scales'")

    options: dict[str, Option] = {}
    statements: dict[str, Option] = {}
    if qtype == "single":
        if scale and "options" in raw:
            raise ValueError(f"{where} has both 'scale' and 'options': give one")
        options = dict(scales[scale]) if scale else _options(raw.get("options"), f"{where} options")
    elif qtype == "multi":
        options = _options(raw.get("options"), f"{where} options")
    elif qtype == "array":
        if not scale:
            raise ValueError(f"{where} is an array and needs a 'scale'")
        options = dict(scales[scale])
        statements = _options(raw.get("statements"), f"{where} statements")

    other = bool(raw.get("other", False))
    if other and qtype not in ("single", "multi"):
        raise ValueError(f"{where}: 'other' is only possible for single and multi questions")
    if other and qtype == "single" and OTHER_CODE not in options:
        raise ValueError(f"{where} allows 'other' but has no {OTHER_CODE!r} option")

    max_answers = raw.get("max_answers")
    if max_answers is not None:
        if qtype != "multi":
            raise ValueError(f"{where}: max_answers is only possible for multi questions")
        if not isinstance(max_answers, int) or max_answers < 1:
            raise ValueError(f"{where}: max_answers must be a positive whole number")

    number_range, bands = _number_spec(raw, qtype, role, where)
    generalise: dict[str, tuple[str, ...]] = {}
    group_labels: dict[str, Option] = {}
    if bands:
        # A number's bands are its groups: each holds the numbers from its edge up to the next band's.
        generalise = {code: () for code in bands}
        group_labels = {
            code: _option(code, {k: v for k, v in raw["bands"][code].items() if k != "from"}, f"{where} bands") for code in bands
        }
    elif "generalise" in raw:
        if qtype != "single":
            raise ValueError(f"{where}: 'generalise' is only possible for single questions")
        seen: dict[str, str] = {}
        for group, members in (raw["generalise"] or {}).items():
            members = tuple(str(m) for m in (members or []))
            for member in members:
                if member not in options:
                    raise ValueError(f"{where}: generalise group {group!r} names unknown option {member!r}")
                if member in seen:
                    raise ValueError(
                        f"{where}: option {member!r} is in generalise groups {seen[member]!r} and {group!r}"
                    )
                seen[member] = str(group)
            generalise[str(group)] = members
        missing = [c for c in options if c not in seen and not options[c].missing]
        if missing:
            raise ValueError(f"{where}: generalise misses option(s) {', '.join(missing)}: every option needs a group")
        group_labels = _options(raw.get("group_labels"), f"{where} group_labels")
        unlabelled = sorted(set(generalise) - set(group_labels))
        if unlabelled:
            raise ValueError(f"{where}: group_labels misses group(s) {', '.join(unlabelled)}")
    elif role == "quasi_identifier":
        raise ValueError(f"{where} is a quasi_identifier and needs 'generalise' groups" + (" ('bands' for a number)" if qtype == "number" else ""))
    hierarchy = _hierarchy(raw.get("hierarchy"), generalise, where)
    if role == "quasi_identifier" and not hierarchy:
        raise ValueError(
            f"{where} is a quasi_identifier and needs a 'hierarchy': at least one level above its groups "
            "(e.g. landsdeel -> regional or national), so that it can be generalised instead of suppressed"
        )
    if hierarchy and role != "quasi_identifier":
        raise ValueError(f"{where}: 'hierarchy' is only possible for a quasi_identifier")
    importance = raw.get("importance", 1)
    if not isinstance(importance, int) or isinstance(importance, bool) or importance < 1:
        raise ValueError(f"{where}: importance must be a whole number of at least 1 (higher: suppressed later), not {importance!r}")
    sensitive = raw.get("sensitive", False)
    if not isinstance(sensitive, bool):
        raise ValueError(f"{where}: sensitive must be true or false, not {sensitive!r}")
    if sensitive and (role != "answer" or qtype != "single"):
        raise ValueError(f"{where}: only a single-choice answer can be sensitive (l-diversity counts its answer codes)")

    flags = {}
    for flag in ("links_waves", "headline"):
        flags[flag] = raw.get(flag, False)
        if not isinstance(flags[flag], bool):
            raise ValueError(f"{where}: {flag} must be true or false, not {flags[flag]!r}")
    if flags["links_waves"] and (role != "direct_identifier" or qtype != "text"):
        raise ValueError(f"{where}: only a text question that is a direct_identifier (an e-mail address) can link waves")
    if flags["headline"] and (role != "answer" or qtype != "single"):
        raise ValueError(f"{where}: only a single-choice answer can be a headline question (the chart shows its shares)")
    shown_if = _parse_condition(raw["shown_if"]) if raw.get("shown_if") else None
    return Question(
        code=str(code),
        type=qtype,
        role=role,
        required=bool(raw.get("required", False)),
        text_nl=str(text.get("nl", text.get("en", ""))),
        text_en=str(text.get("en", text.get("nl", ""))),
        options=options,
        statements=statements,
        scale=scale,
        other=other,
        shown_if=shown_if,
        max_answers=max_answers,
        generalise=generalise,
        group_labels=group_labels,
        hierarchy=hierarchy,
        importance=importance,
        sensitive=sensitive,
        number_range=number_range,
        bands=bands,
        links_waves=flags["links_waves"],
        headline=flags["headline"],
    )


def _number_spec(raw: dict[str, Any], qtype: str, role: str, where: str) -> tuple[NumberRange | None, dict[str, float]]:
    """The accepted range and the bands of a number question (refused on any other type)."""
    given = [key for key in ("range", "decimals", "bands") if key in raw]
    if qtype != "number":
        if given:
            raise ValueError(f"{where}: {', '.join(given)} only possible for a number question")
        return None, {}
    if role == "open_text":
        raise ValueError(f"{where}: a number cannot be open_text (role answer, quasi_identifier or direct_identifier)")
    bounds = raw.get("range") or {}
    if not isinstance(bounds, dict) or set(bounds) - {"min", "max"}:
        raise ValueError(f"{where}: range must be a mapping with 'min', 'max' or both, e.g. {{min: 0, max: 120}}")
    limits: dict[str, float | None] = {}
    for name in ("min", "max"):
        value = bounds.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise ValueError(f"{where}: range {name} must be a number, not {value!r}")
        limits[name] = None if value is None else float(value)
    if limits["min"] is not None and limits["max"] is not None and limits["min"] > limits["max"]:
        raise ValueError(f"{where}: range min {limits['min']:g} is above max {limits['max']:g}")
    decimals = raw.get("decimals")
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0):
        raise ValueError(f"{where}: decimals must be a whole number of at least 0, not {decimals!r}")
    bands: dict[str, float] = {}
    if "bands" in raw:
        if role != "quasi_identifier":
            raise ValueError(f"{where}: bands are only possible for a quasi_identifier (they are its groups)")
        specs = raw["bands"]
        if not isinstance(specs, dict) or len(specs) < 2:
            raise ValueError(f"{where}: bands must map at least two band codes to {{from: <number>, nl: ..., en: ...}}")
        for code, spec in specs.items():
            start = spec.get("from") if isinstance(spec, dict) else None
            if isinstance(start, bool) or not isinstance(start, (int, float)):
                raise ValueError(f"{where}: band {code!r} needs 'from', the lowest number it holds")
            bands[str(code)] = float(start)
        starts = list(bands.values())
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError(f"{where}: bands must be in increasing order of 'from', each edge once")
        if limits["min"] is not None and starts[0] > limits["min"]:
            raise ValueError(f"{where}: the first band starts at {starts[0]:g}, above the range's min {limits['min']:g}: every accepted number needs a band")
        if limits["min"] is None:
            limits["min"] = starts[0]  # a number below the first band has no band: the range says so
        for code, spec in specs.items():
            unexpected = set(spec) - {"from", "nl", "en"}
            if unexpected:
                raise ValueError(f"{where}: band {code!r} has unexpected key(s) {', '.join(sorted(map(str, unexpected)))}")
    return NumberRange(limits["min"], limits["max"], decimals), bands


def _hierarchy(raw: Any, generalise: dict[str, tuple[str, ...]], where: str) -> tuple[Level, ...]:
    """The levels above the groups, each a partition of the level below, with labels; codes unique over all
    levels (a released column holds codes of one level, and its labels must be found without knowing which)."""
    if raw is None:
        return ()
    if not generalise:
        raise ValueError(f"{where}: a 'hierarchy' needs 'generalise' groups below it")
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}: 'hierarchy' must be a list of levels, finest first, each with name, groups and labels")
    levels: list[Level] = []
    below = list(generalise)
    used = set(generalise) | {TOTAL_CODE}
    for number, spec in enumerate(raw, start=1):
        at = f"{where} hierarchy level {number}"
        if not isinstance(spec, dict) or not spec.get("name") or not isinstance(spec.get("groups"), dict) or not spec["groups"]:
            raise ValueError(f"{at} needs a 'name' and 'groups' (code: [codes of the level below])")
        name = str(spec["name"])
        groups: dict[str, tuple[str, ...]] = {}
        seen: dict[str, str] = {}
        for code, members in spec["groups"].items():
            code = str(code)
            if code in used:
                raise ValueError(f"{at} ({name}): code {code!r} is already used by a finer level or is reserved")
            members = tuple(str(m) for m in (members or []))
            if not members:
                raise ValueError(f"{at} ({name}): group {code!r} is empty")
            for member in members:
                if member not in below:
                    raise ValueError(f"{at} ({name}): group {code!r} names {member!r}, which is not a code of the level below ({', '.join(below)})")
                if member in seen:
                    raise ValueError(f"{at} ({name}): {member!r} is in groups {seen[member]!r} and {code!r}")
                seen[member] = code
            groups[code] = members
        missing = [code for code in below if code not in seen]
        if missing:
            raise ValueError(f"{at} ({name}) misses {', '.join(missing)}: every code of the level below needs a group")
        if len(groups) >= len(below):
            raise ValueError(f"{at} ({name}) has as many codes as the level below: a level must be coarser")
        labels = _options(spec.get("labels"), f"{at} ({name}) labels")
        unlabelled = sorted(set(groups) - set(labels))
        if unlabelled:
            raise ValueError(f"{at} ({name}): labels misses {', '.join(unlabelled)}")
        used |= set(groups)
        levels.append(Level(name=name, groups=groups, labels={code: labels[code] for code in groups}))
        below = list(groups)
    return tuple(levels)


def _as_date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{what} must be a date YYYY-MM-DD, got {value!r}") from exc


def parse_codebook(document: dict[str, Any], source: Path) -> Codebook:
    """Build and validate a codebook from its parsed YAML; raise CodebookError naming the entry."""
    try:
        scales = {
            str(name): _options(spec, f"scale {name}") for name, spec in (document.get("scales") or {}).items()
        }
        questions: list[Question] = []
        seen_codes: set[str] = set()
        for index, raw in enumerate(document.get("questions") or [], start=1):
            if not isinstance(raw, dict):
                raise ValueError(f"question #{index} is not a mapping")
            question = _question(raw, scales)
            if question.code in seen_codes:
                raise ValueError(f"duplicate question code {question.code!r} (question #{index})")
            seen_codes.add(question.code)
            questions.append(question)
        if not questions:
            raise ValueError("no questions")
        linking = [q.code for q in questions if q.links_waves]
        if len(linking) > 1:
            raise ValueError(f"questions {', '.join(linking)} all have links_waves: one e-mail question links the waves")
        by_code = {q.code: q for q in questions}
        for question in questions:
            condition = question.shown_if
            if condition is None:
                continue
            target = by_code.get(condition.question)
            if target is None or target.type != "single":
                raise ValueError(
                    f"question {question.code}: shown_if refers to {condition.question!r}, "
                    "which is not a single-choice question of this codebook"
                )
            unknown = [c for c in condition.codes if c not in target.options]
            if unknown:
                raise ValueError(
                    f"question {question.code}: shown_if uses code(s) {', '.join(unknown)} "
                    f"that {target.code} does not have"
                )
        fielded = document.get("fielded") or {}
        title = document.get("title") or {}
        return Codebook(
            source=source,
            survey=str(document.get("survey", "")),
            wave=str(document.get("wave", "")),
            fielded_from=_as_date(fielded.get("from"), "fielded.from"),
            fielded_to=_as_date(fielded.get("to"), "fielded.to"),
            title_nl=str(title.get("nl", title.get("en", ""))),
            title_en=str(title.get("en", title.get("nl", ""))),
            scales=scales,
            questions=tuple(questions),
        )
    except ValueError as exc:
        if isinstance(exc, CodebookError):
            raise
        raise CodebookError(f"codebook {source}: {exc}") from None


# Codebooks already read, by file and content: a run reads its wave's codebook in many steps (each output's
# column descriptions among them), and the same content always gives the same (frozen) codebook.
_PARSED: dict[tuple[str, str], Codebook] = {}
_PARSED_KEPT = 8


def load_codebook(path: Path = PROJECT_CODEBOOK) -> Codebook:
    """Read and validate a codebook file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CodebookError(f"codebook {path}: cannot be read ({exc.strerror})") from None
    key = (str(path.resolve()), text)
    if key in _PARSED:
        return _PARSED[key]
    try:
        document = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except CodebookError as exc:
        raise CodebookError(f"codebook {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise CodebookError(f"codebook {path}: not valid YAML ({exc})") from None
    if not isinstance(document, dict):
        raise CodebookError(f"codebook {path}: expected a mapping with 'questions'")
    codebook = parse_codebook(document, path)
    while len(_PARSED) >= _PARSED_KEPT:
        _PARSED.pop(next(iter(_PARSED)))
    _PARSED[key] = codebook
    return codebook


def codebook_for_wave(wave_dir: Path) -> Codebook:
    """A wave folder may carry its own questionnaire.yaml; otherwise the project's codebook applies."""
    own = Path(wave_dir) / "questionnaire.yaml"
    return load_codebook(own if own.is_file() else PROJECT_CODEBOOK)
