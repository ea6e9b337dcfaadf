"""How well the text de-identifier does on a hand-annotated gold set of survey answers (`make eval-privacy`).

The gold set (eval/gold/answers.txt) is a readable marked-up text file:

- A line starting with ``#`` (first column) is a comment.
- Answers are separated by one or more blank lines; an answer may span several lines, joined with a newline.
- An answer may start with directive lines: ``@lang en`` (nl, en, de or fr; default nl), ``@people Jan de Vries;
  Els Mol`` and ``@organisations Museum X; Stichting Y`` (';'-separated; what the wave's restricted zone knows,
  passed to ``TextDeidentifier(organisations=..., people=...)``).
- An identifier is marked inline as ``[[kind|text as written]]`` (a mark does not span lines), kind one of KINDS.
  ``location`` marks a place so that redacting it is no false positive; it has no recall target.
- An answer without any mark is a clean answer.

Scoring. A gold identifier is caught when every one of its words is wholly covered by predicted spans, except the
generic words of GENERIC_WORDS (articles, particles, organisation type words): a kept unique part is a leak, a kept
"Stichting" is not. Recall per kind is caught / gold. A predicted span is a true positive when it overlaps any gold
identifier, whatever its kind (a real identifier redacted under another label is no false positive, the label is
reported as "other label"), else a false positive of the kind its placeholder stands for (PLACEHOLDER_KINDS).
Over-redaction is the share of the words of clean answers that a predicted span covers, wholly or partly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOLD_FILE = Path(__file__).resolve().parents[2] / "eval" / "gold" / "answers.txt"

KINDS = (
    "person",
    "organisation",
    "email",
    "phone",
    "iban",
    "bsn",
    "postcode",
    "url",
    "handle",
    "street_address",
    "date_of_birth",
    "age",
    "location",
)
NO_RECALL_TARGET = frozenset({"location"})
LANGUAGES = ("nl", "en", "de", "fr")
OTHER = "other"

# The kinds a placeholder stands for; the first is the one a false positive is counted under.
PLACEHOLDER_KINDS: dict[str, tuple[str, ...]] = {
    "[PERSOON]": ("person",),
    "[ORGANISATIE]": ("organisation",),
    "[EMAIL]": ("email",),
    "[TELEFOON]": ("phone",),
    "[IBAN]": ("iban",),
    "[BSN]": ("bsn",),
    "[POSTCODE]": ("postcode",),
    "[URL]": ("url", "handle"),
    "[ADRES]": ("street_address",),
    "[GEBOORTEDATUM]": ("date_of_birth",),
    "[LEEFTIJD]": ("age",),
    "[LOCATIE]": ("location", "street_address"),
}

# Words of an identifier that may stay: they identify nothing on their own.
GENERIC_WORDS = frozenset(
    {
        # articles, particles and prepositions inside names (Dutch, English, German, French, Arabic)
        "de", "het", "een", "'t", "'s", "van", "der", "den", "ter", "ten", "te", "op", "aan", "in", "en", "voor",
        "the", "of", "and", "von", "zu", "la", "le", "du", "des", "el", "al",
        # organisation type words and legal forms
        "stichting", "vereniging", "museum", "theater", "bibliotheek", "gemeente", "archief", "filmhuis",
        "festival", "galerie", "b.v", "bv", "postbus",
    }
)  # fmt: skip

WORD = re.compile(r"\w+(?:['’.&-]\w+)*|['’]\w+")
MARK = re.compile(r"\[\[|\]\]")
DIRECTIVE = re.compile(r"^@(lang|people|organisations)(?:\s+(.*))?$")


class GoldFormatError(ValueError):
    """Malformed gold file; the message names the file and the line."""


@dataclass(frozen=True)
class GoldIdentifier:
    kind: str
    start: int
    end: int
    text: str
    line: int


@dataclass(frozen=True)
class GoldAnswer:
    number: int  # 1-based position in the gold file
    line: int  # line of the file where its text starts
    text: str
    language: str
    people: tuple[str, ...]
    organisations: tuple[str, ...]
    identifiers: tuple[GoldIdentifier, ...]
    text_lines: tuple[int, ...] = ()  # file line of each line of `text`

    @property
    def clean(self) -> bool:
        return not self.identifiers

    def line_of(self, offset: int) -> int:
        """The file line of a character offset in the text."""
        index = self.text.count("\n", 0, offset)
        return self.text_lines[index] if index < len(self.text_lines) else self.line


def _parse_line(source: str, number: int, line: str, offset: int) -> tuple[str, list[GoldIdentifier]]:
    """A text line without its markup, and the identifiers marked in it (offsets from `offset`)."""
    pieces: list[str] = []
    found: list[GoldIdentifier] = []
    length = offset
    position = 0
    while (mark := MARK.search(line, position)) is not None:
        if mark.group() == "]]":
            raise GoldFormatError(f"{source}:{number}: ']]' without an opening '[[' at column {mark.start() + 1}")
        close = line.find("]]", mark.end())
        if close < 0:
            raise GoldFormatError(f"{source}:{number}: '[[' at column {mark.start() + 1} is never closed by ']]'")
        inner = line[mark.end() : close]
        if "[[" in inner:
            raise GoldFormatError(f"{source}:{number}: nested '[[' in the mark at column {mark.start() + 1}")
        if "|" not in inner:
            raise GoldFormatError(f"{source}:{number}: expected [[kind|text]] at column {mark.start() + 1}: {inner!r}")
        kind, text = inner.split("|", 1)
        kind = kind.strip()
        if kind not in KINDS:
            raise GoldFormatError(f"{source}:{number}: unknown kind {kind!r} (known: {', '.join(KINDS)})")
        if not text.strip() or text != text.strip():
            raise GoldFormatError(f"{source}:{number}: the text of [[{kind}|...]] is empty or starts/ends with a space")
        before = line[position : mark.start()]
        pieces.append(before)
        length += len(before)
        found.append(GoldIdentifier(kind, length, length + len(text), text, number))
        pieces.append(text)
        length += len(text)
        position = close + 2
    pieces.append(line[position:])
    return "".join(pieces), found


def _split_names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(";") if name.strip())


def _parse_answer(source: str, number: int, lines: list[tuple[int, str]]) -> GoldAnswer:
    settings: dict[str, str] = {}
    texts: list[str] = []
    text_lines: list[int] = []
    identifiers: list[GoldIdentifier] = []
    offset = 0
    for line_number, line in lines:
        directive = DIRECTIVE.match(line)
        if directive is not None:
            name, value = directive.group(1), (directive.group(2) or "").strip()
            if texts:
                raise GoldFormatError(f"{source}:{line_number}: @{name} after the text of the answer")
            if name in settings:
                raise GoldFormatError(f"{source}:{line_number}: a second @{name} in one answer")
            if name == "lang" and value not in LANGUAGES:
                raise GoldFormatError(f"{source}:{line_number}: @lang {value!r} (known: {', '.join(LANGUAGES)})")
            settings[name] = value
            continue
        text, found = _parse_line(source, line_number, line, offset)
        texts.append(text)
        text_lines.append(line_number)
        identifiers.extend(found)
        offset += len(text) + 1
    if not texts:
        raise GoldFormatError(f"{source}:{lines[0][0]}: directives without an answer")
    return GoldAnswer(
        number=number,
        line=text_lines[0],
        text="\n".join(texts),
        language=settings.get("lang", "nl"),
        people=_split_names(settings.get("people", "")),
        organisations=_split_names(settings.get("organisations", "")),
        identifiers=tuple(identifiers),
        text_lines=tuple(text_lines),
    )


def parse_gold(content: str, source: str = "<gold>") -> list[GoldAnswer]:
    """The answers of a gold file's content (see the module docstring for the format)."""
    answers: list[GoldAnswer] = []
    block: list[tuple[int, str]] = []
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("#"):
            continue
        if not line.strip():
            if block:
                answers.append(_parse_answer(source, len(answers) + 1, block))
                block = []
            continue
        block.append((number, line))
    if block:
        answers.append(_parse_answer(source, len(answers) + 1, block))
    return answers


def load_gold(path: Path | str = GOLD_FILE) -> list[GoldAnswer]:
    """The answers of a gold file.

    Format: '#' lines are comments; answers are separated by blank lines and may span several lines; optional first
    lines ``@lang en|nl|de|fr``, ``@people A; B``, ``@organisations X; Y``; identifiers marked inline as
    ``[[kind|text as written]]`` with kind one of KINDS. Malformed markup raises GoldFormatError naming file and line.
    """
    path = Path(path)
    return parse_gold(path.read_text(encoding="utf-8"), str(path))


# --- Scoring ----------------------------------------------------------------------------------------------------

Span = tuple[int, int, str]
Finder = Callable[[GoldAnswer], Iterable[Any]]


@dataclass(frozen=True)
class KindScore:
    kind: str
    gold: int = 0
    caught: int = 0
    other_label: int = 0  # caught, but by spans none of whose placeholders stands for this kind
    true_positives: int = 0  # predicted spans of this kind that overlap a gold identifier
    false_positives: int = 0

    @property
    def recall(self) -> float | None:
        return self.caught / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else None

    @property
    def f2(self) -> float | None:
        recall, precision = self.recall, self.precision
        if recall is None or precision is None:
            return 0.0 if recall == 0.0 else None
        if recall + precision == 0:
            return 0.0
        return 5 * precision * recall / (4 * precision + recall)


@dataclass(frozen=True)
class Miss:
    answer: int
    line: int
    kind: str
    text: str
    kept: str  # the words that stayed readable
    partly_redacted: bool  # some of it was covered


@dataclass(frozen=True)
class FalsePositive:
    answer: int
    line: int
    placeholder: str
    text: str
    clean_answer: bool


@dataclass(frozen=True)
class Evaluation:
    answers: int
    clean_answers: int
    scores: dict[str, KindScore]
    clean_words: int
    over_redacted_words: int
    misses: tuple[Miss, ...]
    false_positives: tuple[FalsePositive, ...]

    @property
    def recall(self) -> float | None:
        """Over every kind with a recall target (all but location)."""
        gold = sum(s.gold for s in self.scores.values() if s.kind not in NO_RECALL_TARGET)
        caught = sum(s.caught for s in self.scores.values() if s.kind not in NO_RECALL_TARGET)
        return caught / gold if gold else None

    @property
    def over_redaction(self) -> float:
        return self.over_redacted_words / self.clean_words if self.clean_words else 0.0


def _span(value: Any) -> Span:
    if isinstance(value, tuple):
        start, end, placeholder = value
        return int(start), int(end), str(placeholder)
    return int(value.start), int(value.end), str(value.placeholder)


def placeholder_kinds(placeholder: str) -> tuple[str, ...]:
    return PLACEHOLDER_KINDS.get(placeholder, (OTHER,))


def is_generic(word: str) -> bool:
    return word.lower().replace("’", "'") in GENERIC_WORDS


def _covered(mask: Sequence[bool], start: int, end: int) -> bool:
    return all(mask[i] for i in range(start, end))


def _caught(identifier: GoldIdentifier, mask: Sequence[bool]) -> tuple[bool, list[str]]:
    """Whether every word of an identifier but the generic ones is wholly covered; the words kept readable."""
    words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(identifier.text)]
    must = [w for w in words if not is_generic(w[2])] or words
    kept = [word for start, end, word in must if not _covered(mask, identifier.start + start, identifier.start + end)]
    return not kept, kept


def deidentifier_finder() -> Callable[[GoldAnswer], list[Span]]:
    """`find` with the real TextDeidentifier: one per distinct (organisations, people) context, building one is slow."""
    from verkenning.anonymise.text import TextDeidentifier

    built: dict[tuple[tuple[str, ...], tuple[str, ...]], TextDeidentifier] = {}

    def find(answer: GoldAnswer) -> list[Span]:
        key = (answer.organisations, answer.people)
        if key not in built:
            built[key] = TextDeidentifier(organisations=answer.organisations, people=answer.people)
        return [_span(span) for span in built[key].find(answer.text)]

    return find


# deduce's tags (its default processors) as the project's placeholders, to score plain deduce on the same gold set.
_DEDUCE_TAG_PREFIXES = (
    ("persoon", "PERSON"), ("patient", "PERSON"), ("locatie", "LOCATION"), ("instelling", "ORGANISATION"),
    ("ziekenhuis", "ORGANISATION"), ("zorginstelling", "ORGANISATION"), ("emailadres", "EMAIL"),
    ("telefoonnummer", "PHONE"), ("url", "URL"), ("bsn", "BSN"), ("leeftijd", "AGE"), ("datum", "DATE_OF_BIRTH"),
    ("id", "NUMBER"),
)


def plain_deduce_finder() -> Callable[[GoldAnswer], list[Span]]:
    """What plain deduce finds, with its default processors and no knowledge of the wave (as the benchmark's
    hand-written baseline runs it), its tags read as the project's placeholders: the yardstick for what the
    project's de-identifier adds (`make eval-privacy ARGS=--plain-deduce`)."""
    from verkenning.anonymise import text

    deduce = text.load_deduce()

    def placeholder(tag: str) -> str:
        for prefix, name in _DEDUCE_TAG_PREFIXES:
            if tag.startswith(prefix) or f"+{prefix}" in tag:
                return getattr(text, name)
        return f"[{tag.upper()}]"

    def find(answer: GoldAnswer) -> list[Span]:
        return [(a.start_char, a.end_char, placeholder(a.tag)) for a in deduce.deidentify(answer.text).annotations]

    return find


def _zero_counts() -> dict[str, int]:
    return dict(gold=0, caught=0, other_label=0, true_positives=0, false_positives=0)


def evaluate(answers: Sequence[GoldAnswer], find: Finder | None = None) -> Evaluation:
    """Score `find(answer)` (spans with start, end, placeholder: tuples or objects) against the gold answers."""
    find = find if find is not None else deidentifier_finder()
    counts: dict[str, dict[str, int]] = {kind: _zero_counts() for kind in KINDS}
    misses: list[Miss] = []
    false_positives: list[FalsePositive] = []
    clean_words = over_redacted = 0
    for answer in answers:
        spans = sorted(_span(span) for span in find(answer))
        mask = [False] * len(answer.text)
        for start, end, _ in spans:
            for i in range(max(start, 0), min(end, len(answer.text))):
                mask[i] = True
        for identifier in answer.identifiers:
            count = counts[identifier.kind]
            count["gold"] += 1
            caught, kept = _caught(identifier, mask)
            if caught:
                count["caught"] += 1
                labels = {
                    kind
                    for start, end, placeholder in spans
                    if start < identifier.end and identifier.start < end
                    for kind in placeholder_kinds(placeholder)
                }
                if identifier.kind not in labels:
                    count["other_label"] += 1
            elif identifier.kind not in NO_RECALL_TARGET:  # an unredacted place is no leak
                partly = any(mask[identifier.start : identifier.end])
                misses.append(
                    Miss(answer.number, identifier.line, identifier.kind, identifier.text, " ".join(kept), partly)
                )
        for start, end, placeholder in spans:
            kinds = placeholder_kinds(placeholder)
            hit = [g for g in answer.identifiers if start < g.end and g.start < end]
            if hit:
                matching = [k for k in kinds if any(g.kind == k for g in hit)]
                kind = matching[0] if matching else kinds[0]
                counts.setdefault(kind, _zero_counts())["true_positives"] += 1
            else:
                counts.setdefault(kinds[0], _zero_counts())["false_positives"] += 1
                where = answer.line_of(start)
                false_positives.append(
                    FalsePositive(answer.number, where, placeholder, answer.text[start:end], answer.clean)
                )
        if answer.clean:
            for word in WORD.finditer(answer.text):
                clean_words += 1
                if any(mask[i] for i in range(word.start(), word.end())):
                    over_redacted += 1
    scores = {kind: KindScore(kind, **values) for kind, values in counts.items()}
    return Evaluation(
        answers=len(answers),
        clean_answers=sum(answer.clean for answer in answers),
        scores=scores,
        clean_words=clean_words,
        over_redacted_words=over_redacted,
        misses=tuple(misses),
        false_positives=tuple(false_positives),
    )


# --- Report -----------------------------------------------------------------------------------------------------


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_summary(evaluation: Evaluation) -> str:
    """The table per kind, overall recall and over-redaction."""
    header = f"{'kind':<22}{'gold':>6}{'caught':>8}{'recall':>8}{'precision':>11}{'F2':>7}{'other label':>13}"
    rows = [header, "-" * len(header)]
    for kind, score in evaluation.scores.items():
        if not (score.gold or score.true_positives or score.false_positives):
            continue
        name = f"{kind} (no target)" if kind in NO_RECALL_TARGET else kind
        rows.append(
            f"{name:<22}{score.gold:>6}{score.caught:>8}{_number(score.recall):>8}{_number(score.precision):>11}"
            f"{_number(score.f2):>7}{score.other_label:>13}"
        )
    targeted = [s for s in evaluation.scores.values() if s.kind not in NO_RECALL_TARGET]
    rows.append("-" * len(header))
    rows.append(
        f"{'all but location':<22}{sum(s.gold for s in targeted):>6}{sum(s.caught for s in targeted):>8}"
        f"{_number(evaluation.recall):>8}"
    )
    rows.append("")
    rows.append(
        f"Over-redaction: {evaluation.over_redaction:.2%} of the {evaluation.clean_words} words of the "
        f"{evaluation.clean_answers} clean answers ({evaluation.over_redacted_words} words covered)"
    )
    return "\n".join(rows)


def format_report(evaluation: Evaluation, limit: int | None = 40) -> str:
    """A plain-text report: the summary table, then the misses and false positives (at most `limit` of each)."""
    parts = [
        f"Privacy evaluation of the text de-identifier: {evaluation.answers} answers, "
        f"{evaluation.clean_answers} of them clean",
        "",
        format_summary(evaluation),
    ]

    def listing(title: str, lines: list[str]) -> None:
        parts.append("")
        parts.append(f"{title} ({len(lines)}):")
        shown = lines if limit is None else lines[:limit]
        parts.extend(shown)
        if len(shown) < len(lines):
            parts.append(f"  ... {len(lines) - len(shown)} more (--all shows every one)")

    listing(
        "Misses",
        [
            f"  #{m.answer:<4} line {m.line:<5} {m.kind:<15} {m.text!r}"
            + (f"  kept: {m.kept!r}" if m.partly_redacted else "")
            for m in evaluation.misses
        ],
    )
    listing(
        "False positives",
        [
            f"  #{f.answer:<4} line {f.line:<5} {f.placeholder:<16} {f.text!r}"
            + ("  (clean answer)" if f.clean_answer else "")
            for f in evaluation.false_positives
        ],
    )
    return "\n".join(parts)
