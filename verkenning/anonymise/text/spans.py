"""Spans of text and the small text helpers the recognisers share."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    placeholder: str


class Intervals:
    """Non-overlapping spans kept sorted by start, so that overlap queries on a long text stay cheap."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._starts: list[int] = []
        self._spans: list[Span] = []
        for span in spans:
            self.add(span)

    def add(self, span: Span) -> None:
        index = bisect.bisect_left(self._starts, span.start)
        self._starts.insert(index, span.start)
        self._spans.insert(index, span)

    def overlapping(self, start: int, end: int) -> list[Span]:
        index = max(bisect.bisect_right(self._starts, start) - 1, 0)
        found = []
        while index < len(self._spans) and self._spans[index].start < end:
            if self._spans[index].end > start:
                found.append(self._spans[index])
            index += 1
        return found

    def covering(self, start: int, end: int) -> bool:
        return any(s.start <= start and end <= s.end for s in self.overlapping(start, end))

    def __iter__(self):
        return iter(self._spans)


def intervals_of(pattern: re.Pattern[str], text: str) -> Intervals:
    return Intervals(Span(m.start(), m.end(), "") for m in pattern.finditer(text))


SENTENCE_END = ".!?:;\n\r•"
_SKIP_BEFORE_WORD = " \t\u00a0\"'“”‘’„«»([{-–—*·>"


def at_sentence_start(text: str, position: int) -> bool:
    i = position - 1
    while i >= 0 and text[i] in _SKIP_BEFORE_WORD:
        if text[i] in "-–—*" and (i == 0 or text[i - 1] in "\n\r"):
            return True
        i -= 1
    return i < 0 or text[i] in SENTENCE_END or not (text[i].isalnum() or text[i] in ",&+/")


def previous_word(text: str, position: int) -> str:
    match = re.search(r"([^\W_][\w'’]*)[^\w\n]*$", text[max(0, position - 40):position])
    return match.group(1).casefold() if match else ""


def next_word(text: str, position: int) -> str:
    match = re.match(r"[^\w\n]*([^\W_][\w'’]*)", text[position:position + 40])
    return match.group(1).casefold() if match else ""


def split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span that crosses a line break becomes one span per line: line breaks are kept."""
    pieces, position = [], start
    for match in re.finditer(r"[\r\n]+", text[start:end]):
        pieces.append((position, start + match.start()))
        position = start + match.end()
    pieces.append((position, end))
    return [(s, e) for s, e in pieces if e > s]


CHUNK_SIZE = 3000


def chunks(text: str, size: int = CHUNK_SIZE) -> list[tuple[int, str]]:
    """A very long text in pieces of about `size` characters, cut at a line break or a sentence end (names
    do not run across those); deduce's cost grows faster than the length of a text."""
    if len(text) <= size:
        return [(0, text)]
    pieces, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = max(window.rfind("\n"), *(window.rfind(end) + 1 for end in (". ", "! ", "? ")))
        if cut < size // 3:
            cut = window.rfind(" ")
        if cut < size // 3:
            cut = size
        pieces.append((start, text[start:start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces
