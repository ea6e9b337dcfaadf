"""Word knowledge of the de-identifier: the project's reference lists (schemas/reference/text/*.txt, one
entry per line, so that a data steward can read and extend them) and deduce's own lookup lists."""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import deduce

REFERENCE_DIR = Path(__file__).resolve().parents[3] / "schemas" / "reference"
TEXT_REFERENCE_DIR = REFERENCE_DIR / "text"
INSTITUTIONS_FILE = REFERENCE_DIR / "cultural_institutions.txt"


def read_reference_list(path: Path) -> tuple[str, ...]:
    """The entries of a reference list: one per line, blank lines and lines starting with "#" left out."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    return tuple(entries)


def _words(name: str) -> frozenset[str]:
    return frozenset(entry.casefold() for entry in read_reference_list(TEXT_REFERENCE_DIR / name))


def _entries(name: str) -> tuple[str, ...]:
    return read_reference_list(TEXT_REFERENCE_DIR / name)


FUNCTION_WORDS = _words("function_words.txt")
DETERMINERS = _words("determiners.txt")
ORDINARY_WORDS = _words("ordinary_words.txt")
LANGUAGES = _words("languages.txt")
TOOL_NAMES = _entries("tool_names.txt")
TOOL_WORDS = frozenset(name.casefold() for name in TOOL_NAMES)
FAMOUS_NAMES = _entries("famous_names.txt")
NOT_A_NAME = _words("not_a_name.txt")
NOT_A_NAME_PHRASES = _words("not_a_name_phrases.txt")
ROLE_WORDS = _words("role_words.txt")
SURNAME_WORDS = _words("surname_words.txt")
ORGANISATION_HEADS = _entries("organisation_heads.txt")
ORGANISATION_TAILS = _entries("organisation_tails.txt")
ORGANISATION_COMPOUND_ENDINGS = _entries("organisation_compound_endings.txt")
ORGANISATION_HEAD_ENDINGS = _entries("organisation_head_endings.txt")
ORGANISATION_CUES = _words("organisation_cues.txt")
PERSON_CUES = _words("person_cues.txt")
COMMON_ACRONYMS = frozenset(read_reference_list(TEXT_REFERENCE_DIR / "common_acronyms.txt"))
GENERIC_MAILBOXES = _words("generic_mailboxes.txt")
STOPWORDS = {language: _words(f"stopwords_{language}.txt") for language in ("nl", "en", "de")}


# A word this frequent in the language's texts is an ordinary word first (wordfreq's Zipf scale: 3.5 is about
# once in 300,000 words; "balie" 3.8, "zomer" 5.0, against unknown names such as "Wolkenhuis" or "Dataforge").
COMMON_ZIPF = 3.5


@lru_cache(maxsize=200_000)
def word_frequency(word: str, language: str = "nl") -> float:
    """How common a word is in the language (wordfreq's Zipf scale, 0 for an unknown word; offline: the
    frequency lists ship with the package)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language)


def is_common_word(word: str, language: str = "nl") -> bool:
    """An ordinary word of the language, by its frequency, not a name only a few people carry."""
    return word_frequency(word.casefold(), language) >= COMMON_ZIPF


def read_institution_list(path: Path = INSTITUTIONS_FILE) -> list[str]:
    """The project's list of cultural institutions: one name per line, "#" starts a comment line."""
    return list(read_reference_list(path))


# --- deduce --------------------------------------------------------------------------------------------
_deduce_lock = threading.Lock()
_deduce_instance: deduce.Deduce | None = None


def load_deduce() -> deduce.Deduce:
    """deduce with its lookup structures, loaded once per process (8-15 s; the structures themselves are
    built by `make setup`). Importing deduce configures the root logger to print DEBUG to stdout; that
    is undone here so that a pipeline's logs stay as configured."""
    global _deduce_instance
    with _deduce_lock:
        if _deduce_instance is None:
            root = logging.getLogger()
            handlers, level = list(root.handlers), root.level
            import deduce as deduce_package

            for handler in root.handlers[:]:
                if handler not in handlers:
                    root.removeHandler(handler)
            root.setLevel(level)
            # The lookup lists are millions of small objects: unpickled with the garbage collector on, each
            # allocation burst triggers a full walk of them (7 s instead of about 1.5 s). Frozen afterwards,
            # they are left out of every later collection of the run as well.
            collecting = gc.isenabled()
            gc.disable()
            try:
                _deduce_instance = deduce_package.Deduce()
            finally:
                if collecting:
                    gc.enable()
            gc.freeze()
        return _deduce_instance


@dataclass(frozen=True)
class Lexicon:
    """Word knowledge taken from deduce's lookup lists and the reference lists, shared by every
    de-identifier of a process."""

    ordinary: frozenset[str]  # lower case: words that are ordinary Dutch words first
    titles: frozenset[str]  # lower case, without the dot: collega, mevrouw, dhr, dr, ...
    particles: frozenset[str]  # lower case: van, de, der, el, ...
    first_names: object  # deduce LookupTrie (case-sensitive: "Sander")
    surnames: object
    placenames: object
    interfix_surnames: frozenset[str]  # surnames that follow a particle: "Meer", "Berg"
    particles_and_function_words: frozenset[str]
    titles_and_particles: frozenset[str]
    ordinary_and_particles: frozenset[str]

    def is_first_name(self, word: str) -> bool:
        """A first name deduce knows, as written (with its capital); "Anne-Marie" when both parts are."""
        if self.first_names.longest_matching_prefix([word]) is not None:
            return True
        parts = word.split("-")
        return len(parts) > 1 and all(part and self.first_names.longest_matching_prefix([part]) is not None for part in parts)

    def is_surname(self, word: str) -> bool:
        return self.surnames.longest_matching_prefix([word]) is not None

    def is_place(self, words: list[str]) -> bool:
        place = self.placenames.longest_matching_prefix(words)
        return place is not None and len(place) == len(words)

    def is_common(self, word: str) -> bool:
        """A word of the language (any of the survey's), by the word lists or its frequency."""
        folded = word.casefold()
        return folded in self.ordinary or any(folded in words for words in STOPWORDS.values()) or any(
            is_common_word(folded, language) for language in STOPWORDS
        )

    def is_distinctive(self, word: str) -> bool:
        """A word that names someone or something rather than being an ordinary word of the language."""
        folded = word.casefold()
        return (
            len(folded) >= 3 and folded not in self.ordinary and folded not in LANGUAGES and folded not in TOOL_WORDS
            and not any(folded in words for words in STOPWORDS.values())
        )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    structs = load_deduce().lookup_structs
    common = {w.lower() for w in structs["common_word"].items()} | {w.lower() for w in structs["stop_word"].items()}
    titles = {w.lower().rstrip(".") for w in structs["prefix"].items()} | {"collega", "collegaatje", "oud-collega", "heer", "juf", "meester"}
    particles: set[str] = set()
    for item in structs["interfix"].items():
        particles.update(item.lower().split())
    ordinary = frozenset(common | FUNCTION_WORDS | ORDINARY_WORDS | ROLE_WORDS)
    return Lexicon(
        ordinary=ordinary,
        titles=frozenset(titles),
        particles=frozenset(particles),
        first_names=structs["first_name"],
        surnames=structs["surname"],
        placenames=structs["placename"],
        interfix_surnames=frozenset(structs["interfix_surname"].items()),
        particles_and_function_words=frozenset(particles) | FUNCTION_WORDS,
        titles_and_particles=frozenset(titles) | frozenset(particles),
        ordinary_and_particles=ordinary | frozenset(particles),
    )
