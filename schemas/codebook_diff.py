"""What changed between two codebooks, question by question, in words a data steward reads.

A later wave may add, drop or reword questions, or change answer codes; before its export is read the steward
compares its codebook with the previous one (`python -m pipelines.codebook diff OLD NEW`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from schemas.codebook import Codebook, Option, Question

ItemKind = Literal["option", "statement", "scale answer"]


@dataclass(frozen=True)
class CodeChange:
    """An answer code, statement or scale answer of a question that was added, dropped or relabelled."""

    kind: ItemKind
    code: str
    change: Literal["added", "dropped", "relabelled", "missing changed"]
    old: Option | None
    new: Option | None


@dataclass(frozen=True)
class FieldChange:
    """A property of a question with another value: type, role, required, other, max_answers or shown_if."""

    name: str
    old: str
    new: str


@dataclass(frozen=True)
class Rewording:
    language: Literal["nl", "en"]
    old: str
    new: str


@dataclass(frozen=True)
class QuestionChange:
    code: str
    reworded: tuple[Rewording, ...] = ()
    fields: tuple[FieldChange, ...] = ()
    codes: tuple[CodeChange, ...] = ()


@dataclass(frozen=True)
class CodebookDiff:
    added: tuple[Question, ...]
    dropped: tuple[Question, ...]
    changed: tuple[QuestionChange, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.dropped or self.changed)


def _text(value: object) -> str:
    return "none" if value is None or value == "" else str(value)


def _fields(old: Question, new: Question) -> tuple[FieldChange, ...]:
    pairs = {
        "type": (old.type, new.type),
        "role": (old.role, new.role),
        "required": (old.required, new.required),
        "other": (old.other, new.other),
        "max_answers": (old.max_answers, new.max_answers),
        "shown_if": (old.shown_if and old.shown_if.source, new.shown_if and new.shown_if.source),
    }
    # Conditions compare by meaning: "Q in [A1]" and "Q == A1" written differently are still one condition.
    if old.shown_if and new.shown_if and (old.shown_if.question, set(old.shown_if.codes), old.shown_if.operator == "!=") == (
        new.shown_if.question, set(new.shown_if.codes), new.shown_if.operator == "!="
    ):
        del pairs["shown_if"]
    return tuple(FieldChange(name, _text(a), _text(b)) for name, (a, b) in pairs.items() if a != b)


def _items(kind: ItemKind, old: dict[str, Option], new: dict[str, Option]) -> list[CodeChange]:
    changes = [CodeChange(kind, code, "dropped", option, None) for code, option in old.items() if code not in new]
    for code, option in new.items():
        before = old.get(code)
        if before is None:
            changes.append(CodeChange(kind, code, "added", None, option))
        elif (before.label_nl, before.label_en) != (option.label_nl, option.label_en):
            changes.append(CodeChange(kind, code, "relabelled", before, option))
        elif before.missing != option.missing:
            changes.append(CodeChange(kind, code, "missing changed", before, option))
    return changes


def _question_change(old: Question, new: Question) -> QuestionChange | None:
    reworded = tuple(
        Rewording(language, before, after)  # type: ignore[arg-type]
        for language, before, after in (("nl", old.text_nl, new.text_nl), ("en", old.text_en, new.text_en))
        if before != after
    )
    # An array's answers come from its scale: they are scale answers, its statements are its items.
    kind: ItemKind = "scale answer" if "array" in (old.type, new.type) else "option"
    codes = _items(kind, old.options, new.options) + _items("statement", old.statements, new.statements)
    fields = _fields(old, new)
    if not (reworded or fields or codes):
        return None
    return QuestionChange(new.code, reworded, fields, tuple(codes))


def diff_codebooks(old: Codebook, new: Codebook) -> CodebookDiff:
    """Questions added, dropped and changed from `old` to `new` (matched by question code)."""
    before = {question.code: question for question in old.questions}
    after = {question.code: question for question in new.questions}
    changed = [_question_change(before[code], question) for code, question in after.items() if code in before]
    return CodebookDiff(
        added=tuple(question for code, question in after.items() if code not in before),
        dropped=tuple(question for code, question in before.items() if code not in after),
        changed=tuple(change for change in changed if change is not None),
    )


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _label(option: Option) -> str:
    if option.label_nl == option.label_en:
        return _quote(option.label_nl)
    return f"{_quote(option.label_nl)} / {_quote(option.label_en)}"


def format_diff(diff: CodebookDiff) -> str:
    """Readable lines: `+ question AGE (number)`, `- question ...`, `~ question TOOLS: option A7 added "..."`."""
    if diff.is_empty:
        return "no differences in the questions"
    lines = [f"+ question {q.code} ({q.type}) {_quote(q.text_nl)}" for q in diff.added]
    lines += [f"- question {q.code} ({q.type}) {_quote(q.text_nl)}" for q in diff.dropped]
    for change in diff.changed:
        prefix = f"~ question {change.code}:"
        lines += [f"{prefix} text ({r.language}) reworded {_quote(r.old)} -> {_quote(r.new)}" for r in change.reworded]
        lines += [f"{prefix} {f.name} {f.old} -> {f.new}" for f in change.fields]
        for item in change.codes:
            if item.change == "added" and item.new:
                lines.append(f"{prefix} {item.kind} {item.code} added {_label(item.new)}")
            elif item.change == "dropped" and item.old:
                lines.append(f"{prefix} {item.kind} {item.code} dropped {_label(item.old)}")
            elif item.change == "relabelled" and item.old and item.new:
                lines.append(f"{prefix} {item.kind} {item.code} relabelled {_label(item.old)} -> {_label(item.new)}")
            elif item.old and item.new:
                lines.append(f"{prefix} {item.kind} {item.code} missing {str(item.old.missing).lower()} -> {str(item.new.missing).lower()}")
    return "\n".join(lines)
