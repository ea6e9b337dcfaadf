"""Which language an answer is written in, offline: a stop-word test over the project's word lists
(schemas/reference/text/stopwords_*.txt). Survey answers are short; a statistical model adds little over
counting the language's commonest words, and ships nothing that could reach the network."""

from __future__ import annotations

import re

from verkenning.anonymise.text.words import STOPWORDS

DUTCH = "nl"
_WORD_RE = re.compile(r"[^\W\d_]+")
# Another language must out-count Dutch: a Dutch answer quotes English terms ("use cases", "the next
# level"), and a handful of words are shared ("we", "die", "is", "in").
_MINIMUM = 2


def detect_language(text: str) -> str:
    """"nl", "en" or "de": the language whose stop words the text holds most of; Dutch when it is unclear
    (the survey is Dutch, and Dutch is where the name lists apply)."""
    words = [w.casefold() for w in _WORD_RE.findall(text)]
    if not words:
        return DUTCH
    counts = {language: sum(w in stopwords for w in words) for language, stopwords in STOPWORDS.items()}
    best = max(counts, key=lambda language: (counts[language], language == DUTCH))
    if best != DUTCH and counts[best] > counts[DUTCH] and counts[best] >= _MINIMUM:
        return best
    return DUTCH
