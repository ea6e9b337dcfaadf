"""The assembly: deduce's annotators, the project's recognisers and docdeid's overlap resolution, run as one
docdeid document pipeline per text; the placeholders written here."""

from __future__ import annotations

import hashlib
import logging
import math
import multiprocessing
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import docdeid as dd
from frozendict import frozendict

from verkenning.anonymise.text.language import DUTCH, detect_language
from verkenning.anonymise.text.names import (
    NameKeys,
    add_organisation,
    add_person,
    add_watch_word,
    institution_list,
    protected_pattern,
)
from verkenning.anonymise.text.positions import NamesBesideBirthDates, PeopleByPositionAnnotator
from verkenning.anonymise.text.placeholders import ORGANISATION, PERSON, REMOVED
from verkenning.anonymise.text.annotators import IdentifierAnnotator, KnownNameAnnotator, OrganisationFormAnnotator
from verkenning.anonymise.text.context import NameContextAnnotator
from verkenning.anonymise.text.processors import (
    AgesBesideNames,
    CoordinatedNames,
    DeduceHitCheck,
    ExtendNames,
    GrowOrganisations,
    MergeAdjacentNames,
    PropagateNames,
    TrimNames,
)
from verkenning.anonymise.text.view import deduce_view
from verkenning.anonymise.text.spans import Span, chunks
from verkenning.anonymise.text.words import Lexicon, lexicon, load_deduce

if TYPE_CHECKING:
    import deduce  # (imported by load_deduce only: importing it reconfigures the root logger)

log = logging.getLogger(__name__)

# deduce's processors (by name) that are not run:
DEDUCE_DISABLED = frozenset({
    # dates and ages in general are not personal and are needed for analysis ("in 2023", "65 jaar en ouder");
    # dates of birth and a person's age are found by `identifier_patterns`, by their cues
    "dates", "ages",
    # replaced by the validated recognisers of `identifier_patterns`
    "bsn", "phone_numbers", "email_addresses", "urls", "postal_code",
    # overlap resolution, merging and placeholders are the project's (`_processors`)
    "post_processing",
})
# deduce's lookups of Dutch names, places, streets and institutions: not applied to an answer in another
# language ("can", "sing", "Das" are words there). Titles and initials still apply.
DUTCH_LOOKUPS = frozenset({
    "first_name_lookup", "surname_lookup", "interfix_with_name", "patient_name", "eponymous_disease",
    "placename", "street_lookup", "hospital", "institution",
})

# Above this many distinct texts in one call, de-identification is shared out over the cores (a few ms a
# text, against some 3 s for a worker process to load deduce).
PARALLEL_MIN_TEXTS = 4_000
# Texts are shared out in pieces of this many (about a tenth of a second of work each).
PIECE_SIZE = 32

# Per configuration (the wave's organisations, people and watch words, named by a digest of them), a process
# keeps what it learnt for the newest few configurations (one per wave being processed).
_CONFIGURATIONS_KEPT = 4
_T = TypeVar("_T")


def configuration_key(arguments: tuple[list[str], list[str], list[str]]) -> str:
    return hashlib.sha256(repr(arguments).encode()).hexdigest()


def _per_configuration(cache: dict[str, _T], key: str, build: Callable[[], _T]) -> _T:
    if key not in cache:
        while len(cache) >= _CONFIGURATIONS_KEPT:
            cache.pop(next(iter(cache)))
        cache[key] = build()
    return cache[key]


# Texts this process's de-identification returned: `deidentify` read each of them with every recogniser and found
# nothing, so `find` on them gives nothing, and the blocking check of the published tables (which runs `find_many`
# over the very same texts, with the same configuration) need not read them again. A text that differs by one
# character is read again.
_VERIFIED_CLEAN: dict[str, set[str]] = {}
# The recognisers: building them compiles the wave's organisation names into patterns (seconds for a large wave),
# and every step of a run that reads text (de-identification, the blocking checks) uses the same configuration.
# The recognisers keep no state between documents.
_PROCESSOR_GROUPS: dict[str, dd.process.DocProcessorGroup] = {}


def _build_processor_group(organisations: list[str], people: list[str], watch_words: list[str]) -> dd.process.DocProcessorGroup:
    words = lexicon()
    organisation_keys = NameKeys()
    for name in institution_list():
        add_organisation(organisation_keys, name, words)
    for name in organisations:
        add_organisation(organisation_keys, name, words, of_the_wave=True)
    full, parts = NameKeys(), NameKeys()
    for name in people:
        add_person(full, parts, name, words)
    for word in watch_words:
        add_watch_word(full, word)
    protected = protected_pattern()
    group = dd.process.DocProcessorGroup()
    group.add_processor("identifiers", IdentifierAnnotator())
    group.add_processor("known_people", KnownNameAnnotator(full.compile() + parts.compile(), PERSON))
    group.add_processor("known_organisations", KnownNameAnnotator(organisation_keys.compile(), ORGANISATION))
    group.add_processor("organisation_forms", OrganisationFormAnnotator(words))
    group.add_processor("name_context", NameContextAnnotator(words, protected))
    group.add_processor("people_by_position", PeopleByPositionAnnotator(words))
    group.add_processor("deduce_hit_check", DeduceHitCheck(words, protected))
    group.add_processor(
        "overlap_resolver",
        dd.process.OverlapResolver(
            sort_by=("priority", "length"), sort_by_callbacks=frozendict(priority=lambda x: -x, length=lambda x: -x)
        ),
    )
    group.add_processor("trim_names", TrimNames(words))
    group.add_processor("extend_names", ExtendNames(words, protected))
    group.add_processor("grow_organisations", GrowOrganisations(words))
    group.add_processor("merge_adjacent_names", MergeAdjacentNames(words))
    group.add_processor("coordinated_names", CoordinatedNames(words))
    group.add_processor("propagate_names", PropagateNames(words))
    group.add_processor("merge_propagated_names", MergeAdjacentNames(words))
    group.add_processor("ages_beside_names", AgesBesideNames())
    group.add_processor("names_beside_birth_dates", NamesBesideBirthDates(words))
    return group


# -- the worker process ------------------------------------------------------------------------------------
# A worker loads deduce and the word lists when it starts, before it knows a configuration; each de-identifier
# then sends its configuration once per call (the worker builds it once, `_processor_group`) and its texts in
# pieces that name the configuration by a digest.
_worker_deidentifiers: dict[str, TextDeidentifier] = {}


def _prepare_worker() -> None:
    load_deduce()
    lexicon()


def _configure_worker(key: str, arguments: tuple[list[str], list[str], list[str]]) -> None:
    _per_configuration(_worker_deidentifiers, key, lambda: TextDeidentifier(*arguments))


def _configured(key: str) -> TextDeidentifier:
    if key not in _worker_deidentifiers:
        raise RuntimeError("this worker process was not given the de-identifier's configuration")
    return _worker_deidentifiers[key]


def _deidentify_share(key: str, texts: list[str]) -> list[Deidentified]:
    deidentifier = _configured(key)
    return [deidentifier.deidentify(text) for text in texts]


def _find_share(key: str, texts: list[str]) -> list[list[Span]]:
    deidentifier = _configured(key)
    return [deidentifier.find(text) for text in texts]


def _new_worker() -> ProcessPoolExecutor:
    # A pool of one process: it loads its own deduce (1.1 GiB). Spawned, not forked: a fork of a running pipeline
    # can inherit a lock that another thread held, and hang.
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_prepare_worker)


# `make run` of a large wave: this many worker processes read every text of the run, and the run's own process,
# which holds the wave's tables, never loads deduce (1.1 GiB): the largest process stays small, and the run's
# process is free for its other work while they read (the microdata's suppression).
SHARED_WORKERS = 2
_shared_workers: list[ProcessPoolExecutor] = []


@contextmanager
def shared_workers(start: bool = True) -> Iterator[None]:
    """Within the block, every text this process de-identifies or searches is read by SHARED_WORKERS worker
    processes, started at once so that they load deduce while the steps before the de-identification run. They are
    stopped when the block ends, however it ends: no process outlives it. With start=False, or on one core, the
    block changes nothing: texts are read here (a large column with one worker's help)."""
    global _shared_workers
    if not start or _shared_workers or len(os.sched_getaffinity(0)) < 2:
        yield
        return
    _shared_workers = [_new_worker() for _ in range(SHARED_WORKERS)]
    for worker in _shared_workers:
        worker.submit(int)  # a pool starts its process with the first task, not when it is made
    try:
        yield
    finally:
        workers, _shared_workers = _shared_workers, []
        for worker in workers:
            worker.shutdown(wait=True, cancel_futures=True)


class Pending:
    """Work handed to worker processes: `result()` waits for it (once), `cancel()` withdraws what has not started."""

    def __init__(self, finish: Callable[[], Any], cancel: Callable[[], None] = lambda: None) -> None:
        self._finish, self._cancel = finish, cancel

    def result(self) -> Any:
        return self._finish()

    def cancel(self) -> None:
        self._cancel()


MAX_PASSES = 3
# Characters that hide a name from a reader's eye as well as from a pattern: zero-width spaces and joiners, the
# word joiner, the byte-order mark, the soft hyphen ("Bak\u00adker").
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def normalise(text: str) -> str:
    """The text as a reader sees it: compatibility forms folded (full-width "＠", ligatures), invisible
    characters removed, so that "Jan\u200bBakker" or "ｊａｎ＠ｍｕｓｅｕｍ．ｎｌ" is read as written."""
    return _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text))


def _replaced(text: str, spans: list[Span]) -> str:
    pieces, position = [], 0
    for span in spans:
        pieces.append(text[position:span.start])
        pieces.append(span.placeholder)
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


@dataclass(frozen=True)
class Deidentified:
    text: str | None
    redactions: Counter[str]


class TextDeidentifier:
    """Replaces identifying parts of free text (Dutch first, English and German too) by typed placeholders;
    build once per wave."""

    def __init__(self, organisations: Iterable[str] = (), people: Iterable[str] = (), watch_words: Iterable[str] = ()) -> None:
        """organisations: every ORGNAME of the wave and the organisations on the workshop attendance lists
        (added to the project's list in schemas/reference/cultural_institutions.txt, loaded automatically);
        people: names known from the restricted zone (e.g. workshop participants' names) that must be
        redacted wherever they occur; watch_words: single names the wave's own data holds (a surname from an
        e-mail address), redacted as whole words in any case, as the blocking check looks for them."""
        organisations = [o for o in organisations if isinstance(o, str)]
        people = [p for p in people if isinstance(p, str)]
        watch_words = [w for w in watch_words if isinstance(w, str)]
        self._arguments = (organisations, people, watch_words)  # to build the same de-identifier in a worker
        self._key = configuration_key(self._arguments)
        # deduce and the recognisers are loaded when this process first reads a text itself (`_load`): with shared
        # workers it never does.
        self._deduce: deduce.Deduce | None = None
        self._processors: dd.process.DocProcessorGroup | None = None
        self._lexicon: Lexicon | None = None
        self._workers: ProcessPoolExecutor | None = None
        self._keep_workers = False
        self._clean = _per_configuration(_VERIFIED_CLEAN, self._key, set)

    def _load(self) -> None:
        if self._processors is None:
            self._deduce = load_deduce()
            self._lexicon = lexicon()
            self._processors = _per_configuration(
                _PROCESSOR_GROUPS, self._key, lambda: _build_processor_group(*self._arguments)
            )

    # -- a worker kept for several calls -------------------------------------------------------------
    def __enter__(self) -> TextDeidentifier:
        """Within `with`, the worker process (which loads its own deduce, seconds each time) is started at most
        once and serves every call; it is stopped when the block ends, however it ends: no process outlives it."""
        self._keep_workers = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._keep_workers = False
        self.close()

    def close(self) -> None:
        """Stop the worker process, if one runs."""
        if self._workers is not None:
            self._workers.shutdown(wait=True, cancel_futures=True)
            self._workers = None

    # -- public ------------------------------------------------------------------------------------
    def find(self, text: str) -> list[Span]:
        """Where the identifiers in `text` are: non-overlapping spans (start, end, placeholder) in text order."""
        self._load()
        return [
            Span(offset + span.start, offset + span.end, span.placeholder)
            for offset, chunk in chunks(text)
            for span in self._spans(chunk)
        ]

    def deidentify(self, text: str | None) -> Deidentified:
        """The text with every identifier found replaced by its placeholder, and how many of each.
        None, a missing value and a blank text come back unchanged. Never raises: if de-identifying
        fails, the whole text is replaced by [VERWIJDERD]."""
        if text is None or (isinstance(text, float) and math.isnan(text)) or type(text).__name__ in {"NAType", "NaTType"}:
            return Deidentified(text, Counter())  # a missing value stays missing
        if not isinstance(text, str):
            text = str(text)
        if not text.strip():
            return Deidentified(text, Counter())
        text = normalise(text)
        redactions: Counter[str] = Counter()
        self._load()  # outside the guard below: a de-identifier that cannot load stops the run, it withholds nothing
        try:
            # A replacement changes the context of what is left ("[PERSOON] en Bakker"): the recognisers read
            # the result again until they find nothing more, so that the blocking check, which runs the same
            # recognisers over the published text, finds nothing either.
            for _ in range(MAX_PASSES):
                spans = self.find(text)
                if not spans:
                    break
                text = _replaced(text, spans)
                redactions.update(span.placeholder for span in spans)
            else:
                if self.find(text):
                    raise RuntimeError("the recognisers keep finding identifiers in their own output")
        except Exception as exc:  # noqa: BLE001 - nothing unchecked may be published
            log.warning("De-identifying a text of %d characters failed (%s); the text is withheld.", len(text), type(exc).__name__)
            return Deidentified(REMOVED, Counter({REMOVED: 1}))
        return Deidentified(text, redactions)

    def deidentify_many(self, texts: Sequence[str | None]) -> tuple[list[str | None], Counter[str]]:
        """De-identify a column of texts: each distinct text once (the same text gives the same result),
        None and blank texts kept as they are; the redaction counts summed over all texts."""
        return self.start_many(texts).result()

    def start_many(self, texts: Sequence[str | None]) -> Pending:
        """`deidentify_many` begun: with shared workers the texts are handed to them at once and this process may
        do other work until it asks for `result()`; otherwise the work is done when `result()` is asked."""
        texts = list(texts)
        distinct = list(dict.fromkeys(text for text in texts if isinstance(text, str) and text.strip()))
        pending = self._begin(distinct, self.deidentify, _deidentify_share)

        def finish() -> tuple[list[str | None], Counter[str]]:
            results = dict(zip(distinct, pending.result()))
            # Every result but a withheld text was read again by every recogniser (in this process or a worker)
            # and nothing was found in it: see `deidentify`.
            self._clean.update(result.text for result in results.values() if result.text != REMOVED)
            out: list[str | None] = []
            total: Counter[str] = Counter()
            for text in texts:
                result = results.get(text) if isinstance(text, str) else None
                if result is None:
                    out.append(text)  # None, missing or blank: kept as it is
                    continue
                out.append(result.text)
                total.update(result.redactions)
            return out, total

        return Pending(finish, pending.cancel)

    def find_many(self, texts: Sequence[str]) -> list[list[Span]]:
        """`find` for each text, in order; many texts are shared out over the machine's cores (the blocking
        check reads every published text again)."""
        texts = list(texts)
        unread = [text for text in dict.fromkeys(texts) if text not in self._clean]
        found = dict(zip(unread, self._begin(unread, self.find, _find_share).result()))
        return [found.get(text, []) for text in texts]

    def _begin(self, texts: list[str], one, share_of_worker) -> Pending:
        """Each text read by `one` (here) or `share_of_worker` (in a worker), results in order, when asked."""
        if not texts or not _shared_workers:
            return Pending(lambda: self._distinct(texts, one, share_of_worker))
        # The shared workers get the pieces in turn; each piece is small, so they finish about together.
        workers = list(_shared_workers)
        configured = [worker.submit(_configure_worker, self._key, self._arguments) for worker in workers]
        pieces = [texts[start:start + PIECE_SIZE] for start in range(0, len(texts), PIECE_SIZE)]
        sent = [workers[index % len(workers)].submit(share_of_worker, self._key, piece) for index, piece in enumerate(pieces)]

        def cancel() -> None:
            for future in sent:
                future.cancel()  # the workers are not left reading pieces nobody waits for

        def finish() -> list:
            try:
                for future in configured:
                    future.result()  # its error, if any, rather than the pieces' "not given the configuration"
                return [result for future in sent for result in future.result()]
            finally:
                cancel()

        return Pending(finish, cancel)

    def _distinct(self, texts: list[str], one, share_of_worker) -> list:
        if len(texts) < PARALLEL_MIN_TEXTS or len(os.sched_getaffinity(0)) < 2:
            return [one(text) for text in texts]
        if self._workers is None:
            self._workers = _new_worker()
        worker = self._workers
        pieces = [texts[start:start + PIECE_SIZE] for start in range(0, len(texts), PIECE_SIZE)]
        results: list[list | None] = [None] * len(pieces)
        sent: list = []
        try:
            configured = worker.submit(_configure_worker, self._key, self._arguments)
            sent = [worker.submit(share_of_worker, self._key, piece) for piece in pieces]
            # The worker takes the pieces from the first on, this process from the last back: a piece the worker
            # has not started is withdrawn from it and done here, so both end together however fast each goes
            # (the worker may still be loading deduce). The first piece is always the worker's.
            for index in range(len(pieces) - 1, 0, -1):
                if not sent[index].cancel():
                    break
                results[index] = [one(text) for text in pieces[index]]
            configured.result()  # its error, if any, rather than the pieces' "not given the configuration"
            for index, future in enumerate(sent):
                if results[index] is None:
                    results[index] = future.result()
        finally:
            for future in sent:
                future.cancel()  # after an error here: the worker is not left reading pieces nobody waits for
            if not self._keep_workers:
                self.close()
        return [result for piece in results for result in piece]

    # -- one text --------------------------------------------------------------------------------------
    def _spans(self, text: str) -> list[Span]:
        language = detect_language(text)
        disabled = set(DEDUCE_DISABLED) | (set() if language == DUTCH else set(DUTCH_LOOKUPS))
        view = deduce_view(text, self._lexicon)
        document = self._deduce.deidentify(view, disabled=disabled, metadata={"original": text, "language": language})
        self._processors.process(document)
        return sorted(Span(a.start_char, a.end_char, a.tag) for a in document.annotations)
