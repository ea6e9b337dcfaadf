"""The synthetic LimeSurvey export of a wave and its withdrawals: completed, incomplete, test and duplicate
responses whose answers follow the codebook, written as CSV, Excel-mangled CSV or XLSX.
"""

from __future__ import annotations

import csv
import io
import math
import random
import re
import string
import unicodedata
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from statistics import NormalDist

import numpy as np
from faker import Faker
from openpyxl import Workbook

from schemas.codebook import OTHER_CODE, TICKED, Codebook, Condition, Question
from verkenning.sample import profile, vocabulary
from verkenning.sample.profile import Ordinal
from verkenning.sample.xlsx import save_reproducibly

PAGES = 5  # the questionnaire's pages; a completed response reached the last one
EXPORT_FORMATS = ("csv", "csv-excel", "xlsx")
NUMERIC_METADATA = ("id", "lastpage", "seed", "interviewtime")  # numbers in an XLSX export

INCOMPLETE_SHARE = 0.15
TEST_SHARE, MIN_TEST = 0.01, 3
DUPLICATE_SHARE, MIN_DUPLICATES = 0.02, 5
TOKEN_SHARE = 0.60
TOKEN_LENGTH = 15
ANONYMISED_IP_SHARE = 0.65
MESSY_CELL_CHANCE = 0.002  # stray spaces or lower case in a coded cell

_HOUR = 3600
_DAY = 86400
_TOKEN_ALPHABET = np.array(list(string.ascii_letters + string.digits))
_TEST_ALPHABET = string.ascii_uppercase + string.digits


# --- people ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamePools:
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


def build_name_pools(seed: int) -> NamePools:
    """Dutch first and last names, drawn from Faker once: per-row Faker calls would not scale."""
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    first_names = tuple(dict.fromkeys(fake.first_name() for _ in range(500)))
    # Faker's nl_NL list holds medieval nobility ("Hemma van Allemanië") and inverted names ("Werl, van");
    # keep the ones a colleague could plausibly carry.
    faker_last = [
        name for name in dict.fromkeys(fake.last_name() for _ in range(700))
        if "," not in name and len(name.split()) <= 3 and len(name) <= 18 and name[0] != "'"
        and not any(word in name for word in ("von", "The ", "Die ", "Le ", "Oude "))
    ]
    # Common surnames (Bakker, Visser, de Groot, Koning, ...) are as frequent as all the rest together.
    last_names = tuple(faker_last[:250]) + vocabulary.COMMON_SURNAMES * 4
    return NamePools(first_names=first_names, last_names=last_names)


@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """Lower-case ASCII letters and digits only, as in a domain or the local part of an e-mail address."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


@dataclass(frozen=True)
class Identities:
    """Who each answer set belongs to: name, employer and a unique e-mail address."""

    first: list[str]
    last: list[str]
    organisation: list[str]
    email: list[str]


@dataclass(frozen=True)
class InstitutionIndex:
    named: dict[tuple[str, bool], list[vocabulary.Institution]]  # (kind, large) -> named institutions
    local: dict[tuple[str, str], list[str]]  # (kind, province) -> "<prefix> <place>" names
    everything: list[str]


def build_institution_index(rnd: random.Random) -> InstitutionIndex:
    named: dict[tuple[str, bool], list[vocabulary.Institution]] = {}
    for institution in (*vocabulary.REAL_INSTITUTIONS, *vocabulary.FICTIONAL_INSTITUTIONS):
        named.setdefault((institution.kind, institution.large), []).append(institution)
    local: dict[tuple[str, str], list[str]] = {}
    for kind, prefixes in vocabulary.PLACE_PREFIXES.items():
        for place, province in vocabulary.PLACE_PROVINCES.items():
            local.setdefault((kind, province), []).append(f"{rnd.choice(prefixes)} {place}")
    everything = [i.name for group in named.values() for i in group] + [n for group in local.values() for n in group]
    return InstitutionIndex(named=named, local=local, everything=everything)


def employer(kind: str | None, large: bool, province: str, index: InstitutionIndex, rnd: random.Random) -> str:
    """An institution of the respondent's kind and size in their province (or with a national remit)."""
    national = province not in vocabulary.PLACE_PROVINCES.values()
    same_size = index.named.get((kind, large), []) if kind else []
    named = [i.name for i in same_size if (i.national if national else i.province == province)]
    local = index.local.get((kind, province), []) if kind else []
    if named and (large or not local or rnd.random() < 0.3):
        return rnd.choice(named)
    if local:
        return rnd.choice(local)
    of_kind = [i.name for i in (*same_size, *index.named.get((kind, not large), []))]
    return rnd.choice(of_kind or index.everything)


def build_identities(n: int, answers: dict[str, np.ndarray], codebook: Codebook,
                     pools: NamePools, rng: np.random.Generator, rnd: random.Random) -> Identities:
    """Names, employers that fit the answers about sector, size and province, and unique addresses."""
    first_idx = rng.integers(0, len(pools.first_names), n)
    last_idx = rng.integers(0, len(pools.last_names), n)
    first = [pools.first_names[i] for i in first_idx]
    last = [pools.last_names[i] for i in last_idx]
    blank = np.full(n, "", dtype=object)
    sector = answers.get(profile.SECTOR_QUESTION, blank)
    size = answers.get(profile.SIZE_QUESTION, blank)
    province = blank
    if profile.PROVINCE_QUESTION in answers:
        options = codebook.question(profile.PROVINCE_QUESTION).options
        province = np.array([options[c].label_nl for c in answers[profile.PROVINCE_QUESTION]], dtype=object)
    index = build_institution_index(rnd)
    organisation: list[str] = []
    for i in range(n):
        if size[i] in profile.SELF_EMPLOYED_SIZES:
            template = rnd.choice(vocabulary.SELF_EMPLOYED_TEMPLATES)
            organisation.append(template.format(first=first[i], last=last[i][0].upper() + last[i][1:]))
        else:
            organisation.append(employer(profile.SECTOR_KIND.get(sector[i]), size[i] in profile.LARGE_SIZES,
                                         province[i], index, rnd))

    emails: list[str] = []
    taken: set[str] = set()
    forms = rng.integers(0, 4, n)
    at_work = rng.random(n) < 0.55
    for i in range(n):
        first_slug, last_slug = slug(first[i]) or "info", slug(last[i]) or "x"
        local = (f"{first_slug[0]}.{last_slug}", f"{first_slug}.{last_slug}", f"{first_slug}{last_slug}",
                 f"{first_slug}.{last_slug[0]}")[forms[i]]
        if at_work[i]:
            domain = slug(organisation[i]) + ".nl"
        else:
            domain = rnd.choice(vocabulary.GENERIC_MAIL_DOMAINS)
        address, number = f"{local}@{domain}", 1
        while address in taken:  # a second Jan de Vries at the same domain gets a number
            number += 1
            address = f"{local}{number}@{domain}"
        taken.add(address)
        emails.append(address)
    return Identities(first=first, last=last, organisation=organisation, email=emails)


# --- free text -------------------------------------------------------------------------------------


def phone_number(rnd: random.Random) -> str:
    digits = "".join(rnd.choice(string.digits) for _ in range(8))
    style = rnd.randrange(5)
    if style == 0:
        return f"06-{digits}"
    if style == 1:
        return f"+31 6 {digits[:4]} {digits[4:]}"
    if style == 2:
        return f"06 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"
    area = rnd.choice(("020", "030", "010", "050", "070", "024"))
    return f"{area}-{digits[:7]}" if style == 3 else f"({area}) {digits[:3]} {digits[3:7]}"


def obfuscated_email(address: str, rnd: random.Random) -> str:
    local, domain = address.split("@")
    return rnd.choice((f"{local} [at] {domain}", f"{local} @ {domain}", f"{local}(at){domain}", address))


_PERSONAL_FIELDS = frozenset({"colleague", "colleague_first", "email", "email_obfuscated"})


class TextMaker:
    """Open answers and "Anders" texts from templates, with names, addresses and numbers filled in."""

    def __init__(self, pools: NamePools, rnd: random.Random) -> None:
        self.pools = pools
        self.rnd = rnd
        self.institutions = [i.name for i in (*vocabulary.REAL_INSTITUTIONS, *vocabulary.FICTIONAL_INSTITUTIONS)]
        self._fields: dict[str, list[str]] = {}

    def _fields_of(self, template: str) -> list[str]:
        if template not in self._fields:
            self._fields[template] = [f for _, f, _, _ in string.Formatter().parse(template) if f]
        return self._fields[template]

    def _colleague(self) -> tuple[str, str]:
        first = self.rnd.choice(self.pools.first_names)
        return first, f"{first} {self.rnd.choice(self.pools.last_names)}"

    def _value(self, name: str, colleague: tuple[str, str]) -> str:
        rnd = self.rnd
        if name == "colleague":
            return colleague[1]
        if name == "colleague_first":
            return colleague[0]
        if name in ("email", "email_obfuscated"):
            first, full = colleague
            address = f"{slug(first)[:1]}.{slug(full.split(' ', 1)[1])}@{slug(rnd.choice(self.institutions))}.nl"
            return address if name == "email" else obfuscated_email(address, rnd)
        if name == "phone":
            return phone_number(rnd)
        if name == "institution":
            return rnd.choice(self.institutions)
        if name == "tool":
            return rnd.choice(vocabulary.TOOL_NAMES)
        if name == "place":
            return rnd.choice(vocabulary.PLACES)
        if name == "address":
            postcode, place = rnd.choice(vocabulary.POSTCODE_PLACES)
            letters = "".join(rnd.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
            return f"{postcode} {letters} {place}"
        if name == "url":
            path = rnd.choice(("ai", "project/ai-pilot", "kennisbank", "nieuws/ai-experiment"))
            return f"https://www.{slug(rnd.choice(self.institutions))}.nl/{path}"
        if name == "emoji":
            return rnd.choice(vocabulary.EMOJI)
        raise KeyError(f"unknown placeholder {{{name}}} in a vocabulary template")

    def fill(self, template: str) -> str:
        fields = self._fields_of(template)
        colleague = self._colleague() if any(f in _PERSONAL_FIELDS for f in fields) else ("", "")
        return template.format(**{f: self._value(f, colleague) for f in fields})

    def answer(self, sentences: tuple[str, ...]) -> str:
        """One to four sentences; sometimes on separate lines, now and then with an emoji."""
        rnd = self.rnd
        count = rnd.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]
        parts = [self.fill(s) for s in rnd.sample(sentences, min(count, len(sentences)))]
        joiner = rnd.choices((" ", "\n", "\n\n"), weights=(80, 12, 8))[0]
        text = joiner.join(parts)
        if rnd.random() < 0.04:
            text += " " + rnd.choice(vocabulary.EMOJI)
        return text


# --- answers ---------------------------------------------------------------------------------------


def question_pages(codebook: Codebook, pages: int = PAGES) -> dict[str, int]:
    """The page (1..pages) of each question: the questionnaire split into contiguous, near-equal parts.

    The questionnaire's conditions point back to earlier questions, hence to the same or an earlier
    page, so a response that stopped early never shows a question whose condition it did not answer.
    """
    questions = codebook.questions
    per_page = math.ceil(len(questions) / pages)
    return {q.code: min(pages, index // per_page + 1) for index, q in enumerate(questions)}


def condition_holds(condition: Condition, codes: np.ndarray) -> np.ndarray:
    """Where a `shown_if` condition is true, given the answer codes of the question it refers to."""
    if condition.operator == "==":
        return codes == condition.codes[0]
    if condition.operator == "!=":
        return codes != condition.codes[0]
    return np.isin(codes, list(condition.codes))


def _as_codes(codes: list[str], index: np.ndarray) -> np.ndarray:
    return np.array(codes, dtype=object)[index]


def _weights(question: Question, weights: dict[str, float] | None) -> tuple[list[str], np.ndarray]:
    """Option codes and their probabilities; options the profile does not name get an average weight."""
    codes = list(question.options)
    if not weights:
        w = np.array([0.0 if question.options[c].missing else 1.0 for c in codes])
    else:
        known = [v for c, v in weights.items() if c in question.options]
        average = float(np.mean(known)) if known else 1.0
        w = np.array([weights.get(c, 0.0 if question.options[c].missing else average) for c in codes])
    if w.sum() == 0:
        w = np.ones(len(codes))
    return codes, w / w.sum()


def _ordinal(ordinal: Ordinal, options: dict, latent: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    order = [c for c in ordinal.order if c in options]
    shares = np.array([s for c, s in zip(ordinal.order, ordinal.shares) if c in options], dtype=float)
    shares = shares / shares.sum()
    noise = rng.standard_normal(len(latent))
    loading = max(-0.99, min(0.99, ordinal.loading))
    score = loading * latent + math.sqrt(1 - loading**2) * noise
    cuts = [NormalDist().inv_cdf(min(max(c, 1e-9), 1 - 1e-9)) for c in np.cumsum(shares)[:-1]]
    codes = _as_codes(order, np.searchsorted(cuts, score))
    for code, chance in ordinal.missing.items():
        if code in options:
            codes[rng.random(len(latent)) < chance] = code
    return codes



def _standardised(values: np.ndarray) -> np.ndarray:
    spread = values.std()
    return (values - values.mean()) / spread if len(values) > 1 and spread > 0 else values


def _single(question: Question, context: dict[str, np.ndarray], affinity: np.ndarray,
            rng: np.random.Generator) -> np.ndarray:
    n = len(affinity)
    ordinal = profile.ORDINALS.get(question.code)
    if ordinal and any(c in question.options for c in ordinal.order):
        return _ordinal(ordinal, question.options, _standardised(affinity), rng)
    codes, p = _weights(question, profile.SINGLE_WEIGHTS.get(question.code))
    answer = _as_codes(codes, rng.choice(len(codes), size=n, p=p))
    conditional = profile.CONDITIONAL_WEIGHTS.get(question.code)
    if conditional and conditional[0] in context:
        earlier = context[conditional[0]]
        for earlier_codes, weights in conditional[1].items():
            rows = np.flatnonzero(np.isin(earlier, list(earlier_codes)))
            if len(rows):
                codes, p = _weights(question, weights)
                answer[rows] = _as_codes(codes, rng.choice(len(codes), size=len(rows), p=p))
    return answer


def _array(question: Question, affinity: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    ordinals = profile.ARRAY_ORDINALS.get(question.code, {})
    latent = _standardised(affinity)
    columns: dict[str, np.ndarray] = {}
    for statement in question.statements:
        ordinal = ordinals.get(statement)
        if ordinal:
            columns[question.item_column(statement)] = _ordinal(ordinal, question.options, latent, rng)
        else:
            codes, p = _weights(question, None)
            columns[question.item_column(statement)] = _as_codes(codes, rng.choice(len(codes), len(latent), p=p))
    return columns


def _multi(question: Question, context: dict[str, np.ndarray], n: int,
           rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Ticks (n x options) and where an "other" text is typed."""
    ticks_profile = profile.MULTI.get(question.code) or profile.Ticks(chance={})
    codes = list(question.options)
    chance = np.array([ticks_profile.chance.get(c, profile.DEFAULT_MULTI_CHANCE) for c in codes])
    counts = ticks_profile.counts
    if question.max_answers and not counts:
        counts = {k: 1.0 for k in range(1, question.max_answers + 1)}
    if counts:
        # At most N: draw how many, then pick that many by weight (Gumbel top-k, vectorised).
        sizes = np.array(list(counts), dtype=int)
        share = np.array(list(counts.values()), dtype=float)
        how_many = rng.choice(sizes, size=n, p=share / share.sum())
        how_many = np.minimum(how_many, min(question.max_answers or len(codes), len(codes)))
        if question.required:
            how_many = np.maximum(how_many, 1)
        keys = np.log(chance) + rng.gumbel(size=(n, len(codes)))
        rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
        ticked = rank < how_many[:, None]
        skipped = how_many == 0
    else:
        factor = np.ones(n)
        if ticks_profile.scale_by and ticks_profile.scale_by[0] in context:
            earlier, factors = ticks_profile.scale_by
            factor = np.array([factors.get(c, 1.0) for c in context[earlier]])
        ticked = rng.random((n, len(codes))) < np.clip(chance[None, :] * factor[:, None], 0, 0.97)
        ticked[~ticked.any(axis=1), int(np.argmax(chance))] = True  # an answered question has a tick
        skipped = (rng.random(n) < ticks_profile.skip) if not question.required else np.zeros(n, bool)
        ticked[skipped] = False
    other = (rng.random(n) < ticks_profile.other) & ~skipped if question.other else np.zeros(n, bool)
    return ticked, other


@dataclass
class AnswerSets:
    """Complete answers of n people, before pages, duplicates and mess are applied."""

    columns: dict[str, np.ndarray]  # export question column -> object array of text
    identities: Identities


def _numbers(question: Question, n: int, rng: np.random.Generator) -> np.ndarray:
    """Numbers within the question's range, as LimeSurvey writes them ("42" or "3.5"); one in ten left empty
    unless the question is required."""
    accepted = question.number_range
    low = accepted.minimum if accepted and accepted.minimum is not None else 0.0
    high = accepted.maximum if accepted and accepted.maximum is not None else low + 100.0
    drawn = low + (high - low) * rng.beta(2.0, 3.0, n)
    decimals = accepted.decimals if accepted and accepted.decimals is not None else 1
    text = np.array([f"{value:.{decimals}f}" for value in np.round(drawn, decimals)], dtype=object)
    if not question.required:
        text[rng.random(n) < 0.1] = ""
    return text


def generate_answer_sets(codebook: Codebook, n: int, pools: NamePools, rng: np.random.Generator,
                         rnd: random.Random) -> AnswerSets:
    """Answers that follow the codebook: codes it knows, conditions respected, required ones answered."""
    context: dict[str, np.ndarray] = {}
    columns: dict[str, np.ndarray] = {}
    other_wanted: dict[str, np.ndarray] = {}
    # A latent AI affinity shared by related answers (use, familiarity, expectations).
    affinity = rng.standard_normal(n)
    for question in codebook.questions:
        if question.type == "single":
            codes = _single(question, context, affinity, rng)
            context[question.code] = codes
            columns[question.code] = codes
            for (code_of_question, code), shift in profile.AFFINITY_SHIFTS.items():
                if code_of_question == question.code:
                    affinity = affinity + shift * (codes == code)
            if question.other:
                other_wanted[question.code] = codes == OTHER_CODE
        elif question.type == "multi":
            ticked, other = _multi(question, context, n, rng)
            for j, option in enumerate(question.options):
                columns[question.item_column(option)] = np.where(ticked[:, j], TICKED, "").astype(object)
            if question.other:
                other_wanted[question.code] = other
        elif question.type == "array":
            columns.update(_array(question, affinity, rng))
        elif question.type == "number":
            columns[question.code] = _numbers(question, n, rng)

    identities = build_identities(n, context, codebook, pools, rng, rnd)
    maker = TextMaker(pools, rnd)
    never_uses = np.isin(context.get(profile.OWN_USE_QUESTION, np.full(n, "", dtype=object)),
                         list(profile.NEVER_USES))
    for question in codebook.questions:
        if question.type in ("text", "longtext"):
            fill = 1.0 if question.required else profile.TEXT_FILL.get(question.code, profile.DEFAULT_TEXT_FILL)
            filled = rng.random(n) < fill
            columns[question.code] = np.array(
                [_text_answer(question, i, identities, maker, bool(never_uses[i])) if filled[i] else ""
                 for i in range(n)], dtype=object)
        if question.other:
            wanted = other_wanted.get(question.code, np.zeros(n, bool))
            texts = vocabulary.OTHER_TEXTS.get(question.code, vocabulary.GENERIC_OTHER_TEXTS)
            columns[question.other_column] = np.array(
                [rnd.choice(texts) if wanted[i] else "" for i in range(n)], dtype=object)

    # Questions not shown are empty, whatever was drawn for them.
    for question in codebook.questions:
        if question.shown_if is None:
            continue
        hidden = ~condition_holds(question.shown_if, context[question.shown_if.question])
        for column in question.export_columns():
            columns[column][hidden] = ""
    return AnswerSets(columns=columns, identities=identities)


def _text_answer(question: Question, i: int, identities: Identities, maker: TextMaker, never_uses: bool) -> str:
    kind = TEXT_KINDS.get(question.code)
    if kind == "organisation":
        return identities.organisation[i]
    if kind == "email":
        return identities.email[i]
    if kind == "use":
        return maker.answer(vocabulary.OPEN_NON_USE_SENTENCES if never_uses else vocabulary.OPEN_USE_SENTENCES)
    if kind == "concern":
        return maker.answer(vocabulary.OPEN_CONCERN_SENTENCES)
    if kind == "support":
        return maker.answer(vocabulary.OPEN_SUPPORT_SENTENCES)
    if question.type == "longtext":
        return maker.answer(vocabulary.GENERIC_OPEN_SENTENCES)
    return maker.rnd.choice(vocabulary.GENERIC_SHORT_TEXTS)


# What each free-text question of wave 2024-01 holds; unknown ones get generic text.
TEXT_KINDS: dict[str, str] = {
    "ORGNAME": "organisation", "EMAIL": "email",
    "OPEN_USE": "use", "OPEN_CONCERN": "concern", "OPEN_SUPPORT": "support",
}


def email_question(codebook: Codebook) -> Question | None:
    return next((q for q in codebook.questions if TEXT_KINDS.get(q.code) == "email"), None)


# --- responses -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportTable:
    """The export as written: columns in export order, every value text ("" = empty)."""

    header: list[str]
    columns: dict[str, list[str]]
    completed: int
    incomplete: int
    test: int
    duplicates: int
    corrupted: int
    # Token and e-mail address (as answered, "" if none) of each completed, non-test person.
    people_tokens: list[str]
    people_emails: list[str]

    @property
    def rows(self) -> int:
        return len(self.columns[self.header[0]])


def _epoch(day: date) -> int:
    return int((datetime(day.year, day.month, day.day) - datetime(1970, 1, 1)).total_seconds())


def _fieldwork_starts(codebook: Codebook, n: int, rng: np.random.Generator) -> np.ndarray:
    """Start moments (seconds since 1970, local time) over the fieldwork period.

    Responses peak after the invitation and the reminders (at about 60% and 85% of the period) and
    dip in weekends and the Christmas holidays; people answer in office hours or in the evening.
    """
    days = [codebook.fielded_from + timedelta(d) for d in range((codebook.fielded_to - codebook.fielded_from).days + 1)]
    length = len(days)
    weight = np.ones(length)
    for peak, height in ((0, 8.0), (int(length * 0.6), 4.0), (int(length * 0.85), 3.0)):
        after = np.arange(length) - peak
        weight += np.where(after >= 0, height * 0.7 ** np.maximum(after, 0), 0)
    for d, day in enumerate(days):
        if day.weekday() >= 5:
            weight[d] *= 0.35
        if (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1):
            weight[d] *= 0.3
    day_index = rng.choice(length, size=n, p=weight / weight.sum())
    evening = rng.random(n) < 0.25
    hour = np.where(evening, np.clip(rng.normal(20.5, 1.2, n), 18, 22.5), np.clip(rng.normal(11.5, 2.2, n), 8, 18))
    day_start = np.array([_epoch(day) for day in days], dtype=np.int64)
    return day_start[day_index] + (hour * _HOUR).astype(np.int64)


def _tokens(count: int, rng: np.random.Generator, taken: set[str]) -> list[str]:
    """Unique 15-character invitation tokens; none looks like a test token."""
    tokens: list[str] = []
    while len(tokens) < count:
        drawn = rng.integers(0, len(_TOKEN_ALPHABET), size=(count - len(tokens), TOKEN_LENGTH))
        for token in ("".join(row) for row in _TOKEN_ALPHABET[drawn]):
            if token not in taken and not token.lower().startswith("test"):
                taken.add(token)
                tokens.append(token)
    return tokens


def _with_tokens(count: int, rng: np.random.Generator, taken: set[str]) -> np.ndarray:
    has = rng.random(count) < TOKEN_SHARE
    tokens = np.full(count, "", dtype=object)
    tokens[has] = _tokens(int(has.sum()), rng, taken)
    return tokens


def email_variant(address: str, rnd: random.Random) -> str:
    """The same address typed differently: other capitals, stray spaces."""
    local, domain = address.split("@")
    options = (
        address.upper(),
        ".".join(p[:1].upper() + p[1:] for p in local.split(".")) + "@" + domain[:1].upper() + domain[1:],
        " " + address + " ",
        address.upper() + " ",
        "  " + local.capitalize() + "@" + domain,
    )
    variant = rnd.choice(options)
    return variant if variant != address else address.upper() + " "


def build_export(codebook: Codebook, respondents: int, seed: int, corrupt_share: float) -> ExportTable:
    if respondents < 0:
        raise ValueError(f"respondents must be 0 or more, got {respondents}")
    if not 0.0 <= corrupt_share <= 1.0:
        raise ValueError(f"corrupt_share must be between 0 and 1, got {corrupt_share}")
    streams = np.random.SeedSequence(seed).spawn(6)
    answer_rng, meta_rng, dup_rng, mess_rng, corrupt_rng, name_rng = (np.random.default_rng(s) for s in streams)
    rnd = random.Random(seed)

    n_people = respondents
    n_incomplete = round(respondents * INCOMPLETE_SHARE)
    n_test = max(MIN_TEST, round(respondents * TEST_SHARE))
    n_duplicates = max(MIN_DUPLICATES, round(respondents * DUPLICATE_SHARE))
    n_sets = n_people + n_incomplete + n_test

    pools = build_name_pools(int(name_rng.integers(0, 2**31)))
    answers = generate_answer_sets(codebook, n_sets, pools, answer_rng, rnd)
    pages = question_pages(codebook)
    email_q = email_question(codebook)

    # Plan of rows: which answer set, how far it got, token, start, and what the row is.
    taken: set[str] = set()
    answer_index = np.arange(n_sets)
    lastpage = np.full(n_sets, PAGES)
    lastpage[n_people:n_people + n_incomplete] = meta_rng.integers(1, PAGES, n_incomplete)
    tokens = np.concatenate([_with_tokens(n_people + n_incomplete, meta_rng, taken), np.full(n_test, "", dtype=object)])
    person_tokens = [str(t) for t in tokens[:n_people]]
    starts = np.concatenate([_fieldwork_starts(codebook, n_people + n_incomplete, meta_rng), np.zeros(n_test, np.int64)])
    blank_open_text = np.zeros(n_sets, bool)
    email_override = np.full(n_sets, None, dtype=object)

    # Test responses: a launch-day check with a test token, or a run in November before the launch.
    launch = _epoch(codebook.fielded_from)
    for k in range(n_test):
        row = n_people + n_incomplete + k
        if k % 2 == 0:
            tokens[row] = "test" + "".join(rnd.choice(_TEST_ALPHABET) for _ in range(4))
            starts[row] = launch + rnd.randrange(7 * _HOUR, 9 * _HOUR)
        else:
            starts[row] = launch - rnd.randrange(4, 15) * _DAY + rnd.randrange(9 * _HOUR, 17 * _HOUR)
        if k % 3 == 2:
            lastpage[row] = rnd.randrange(1, PAGES)

    # Duplicate submissions of completed people.
    dup_rows = _plan_duplicates(n_duplicates, n_people, tokens, starts, answers, email_q, launch,
                                _epoch(codebook.fielded_to) + 22 * _HOUR + 30 * 60, dup_rng, rnd, taken)
    if dup_rows:
        person, dup_kind, dup_start, dup_token, dup_email = (list(x) for x in zip(*dup_rows))
        person_arr = np.array(person)
        answer_index = np.concatenate([answer_index, person_arr])
        dup_last = np.where(np.array(dup_kind) == "earlier-incomplete", dup_rng.integers(1, PAGES, len(person)), PAGES)
        lastpage = np.concatenate([lastpage, dup_last])
        tokens = np.concatenate([tokens, np.array(dup_token, dtype=object)])
        starts = np.concatenate([starts, np.array(dup_start, dtype=np.int64)])
        # People do not retype their long answers on a second go.
        blank_open_text = np.concatenate([blank_open_text, np.ones(len(person), bool)])
        email_override = np.concatenate([email_override, np.array(dup_email, dtype=object)])
    n_rows = len(answer_index)

    # Rows in the order LimeSurvey numbers them: by start.
    order = np.argsort(starts, kind="stable")
    answer_index, lastpage, tokens, starts = answer_index[order], lastpage[order], tokens[order], starts[order]
    blank_open_text, email_override = blank_open_text[order], email_override[order]
    completed_row = lastpage == PAGES

    interview = np.where(
        completed_row,
        np.clip(np.exp(meta_rng.normal(math.log(640), 0.35, n_rows)), 300, 1500),
        np.clip(lastpage * 110 * np.exp(meta_rng.normal(0, 0.4, n_rows)), 20, 1200),
    )
    is_test_set = (answer_index >= n_people + n_incomplete)
    interview = np.where(is_test_set & completed_row, meta_rng.uniform(60, 400, n_rows), interview).round(2)
    datestamps = starts + np.floor(interview).astype(np.int64)

    columns: dict[str, np.ndarray] = {}
    columns["id"] = np.arange(1, n_rows + 1).astype(str).astype(object)
    columns["token"] = tokens
    columns["submitdate"] = np.where(completed_row, _timestamps(datestamps), "").astype(object)
    columns["lastpage"] = lastpage.astype(str).astype(object)
    columns["startlanguage"] = np.full(n_rows, "nl", dtype=object)
    columns["seed"] = meta_rng.integers(100_000_000, 2_147_483_647, n_rows).astype(str).astype(object)
    columns["startdate"] = _timestamps(starts).astype(object)
    columns["datestamp"] = _timestamps(datestamps).astype(object)
    columns["ipaddr"] = _ip_addresses(n_rows, meta_rng)
    columns["refurl"] = _referrers(starts, is_test_set, meta_rng)
    columns["interviewtime"] = np.array([f"{t:.2f}" for t in interview], dtype=object)

    for question in codebook.questions:
        shown_on_page = lastpage >= pages[question.code]
        for column in question.export_columns():
            values = answers.columns[column][answer_index]
            values[~shown_on_page] = ""
            if question.role == "open_text":
                values[blank_open_text] = ""
            columns[column] = values
    if email_q is not None:
        override = np.flatnonzero(email_override != None)  # noqa: E711 - elementwise on an object array
        columns[email_q.code][override] = email_override[override]

    _add_mess(codebook, columns, mess_rng)
    corrupted = _corrupt(codebook, columns, corrupt_share, n_rows, corrupt_rng)

    header = codebook.export_columns()
    person_emails = answers.columns[email_q.code][:n_people] if email_q is not None else np.full(n_people, "", dtype=object)
    return ExportTable(
        header=header,
        columns={c: columns[c].tolist() for c in header},
        completed=n_people,
        incomplete=n_incomplete,
        test=n_test,
        duplicates=len(dup_rows),
        corrupted=corrupted,
        people_tokens=person_tokens,
        people_emails=[str(e) for e in person_emails],
    )


def _plan_duplicates(count: int, n_people: int, tokens: np.ndarray, starts: np.ndarray, answers: AnswerSets,
                     email_q: Question | None, launch: int, last_moment: int, rng: np.random.Generator,
                     rnd: random.Random, taken: set[str]) -> list[tuple[int, str, int, str, str | None]]:
    """Extra submissions of completed people: (person, kind, start, token, e-mail typed on that row).

    Kinds: an earlier incomplete attempt with the same token, an earlier completed attempt with the
    same token, or a second go under another (or no) token with the e-mail address typed differently.
    """
    earliest = launch + 8 * _HOUR
    gap = _HOUR + 1500  # an earlier attempt ended before the counted one started
    person_tokens, person_starts = tokens[:n_people], starts[:n_people]
    eligible = {
        "earlier-incomplete": np.flatnonzero((person_tokens != "") & (person_starts - earliest > gap)),
        "earlier-complete": np.flatnonzero((person_tokens != "") & (person_starts - earliest > gap)),
        "email-variant": np.flatnonzero(answers.columns[email_q.code][:n_people] != "")
        if email_q is not None else np.array([], dtype=int),
    }
    queues = {kind: deque(rng.permutation(people).tolist()) for kind, people in eligible.items()}
    used: set[int] = set()
    planned: list[tuple[int, str, int, str, str | None]] = []
    kinds = ("earlier-incomplete", "email-variant", "earlier-complete")
    for k in range(count):
        kind = next((kinds[(k + j) % 3] for j in range(3) if len(eligible[kinds[(k + j) % 3]])), None)
        if kind is None:
            break
        queue = queues[kind]
        while queue and queue[0] in used:
            queue.popleft()
        person = int(queue.popleft()) if queue else int(rng.choice(eligible[kind]))
        used.add(person)
        start = int(person_starts[person])
        if kind == "email-variant":
            # A second go one to ten days earlier or later, at a time people answer surveys.
            days = int(rng.integers(1, 11)) * (1 if rng.random() < 0.5 else -1)
            moment = start - start % _DAY + days * _DAY + int(rng.integers(8 * _HOUR, 22 * _HOUR))
            moment = min(max(moment, earliest), last_moment)
            token = _tokens(1, rng, taken)[0] if rng.random() < 0.5 else ""
            address = str(answers.columns[email_q.code][person])  # type: ignore[union-attr]
            planned.append((person, kind, moment, token, email_variant(address, rnd)))
        else:
            # Zero to four days earlier, at a time people answer surveys, and finished before the retry.
            moment = earliest
            for days_back in range(int(rng.integers(0, 5)), 30):
                day_start = start - start % _DAY - days_back * _DAY
                candidate = day_start + int(rng.integers(8 * _HOUR, 22 * _HOUR))
                if earliest <= candidate <= start - gap:
                    moment = candidate
                    break
            planned.append((person, kind, moment, str(person_tokens[person]), None))
    return planned


def _timestamps(seconds: np.ndarray) -> np.ndarray:
    text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
    return np.char.replace(text, "T", " ")


def _ip_addresses(n: int, rng: np.random.Generator) -> np.ndarray:
    """Mostly anonymised (0.0.0.0), otherwise an address from a Dutch provider's range."""
    anonymised = rng.random(n) < ANONYMISED_IP_SHARE
    first = rng.choice(np.array([77, 81, 82, 83, 84, 85, 86, 87, 145, 188, 212, 213, 217]), n)
    rest = rng.integers(1, 255, size=(n, 3))
    return np.array(["0.0.0.0" if anonymised[i] else f"{first[i]}.{rest[i, 0]}.{rest[i, 1]}.{rest[i, 2]}"
                     for i in range(n)], dtype=object)


def _referrers(starts: np.ndarray, is_test: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Mostly empty; otherwise the newsletter of the month the response started in, or social media."""
    n = len(starts)
    pick = rng.choice(4, n, p=[0.72, 0.18, 0.07, 0.03])
    month = np.datetime_as_string(starts.astype("datetime64[s]"), unit="M")
    newsletter = np.array([vocabulary.NEWSLETTER_URLS.get(m, "") for m in month], dtype=object)
    urls = np.select([pick == 1, pick == 2, pick == 3], [newsletter, "https://www.linkedin.com/", "https://t.co/"], "")
    urls = urls.astype(object)
    urls[is_test] = ""  # testers open the questionnaire directly
    return urls


def _add_mess(codebook: Codebook, columns: dict[str, np.ndarray], rng: np.random.Generator) -> None:
    """Stray spaces and lower-case codes in a few coded cells, as real exports carry them."""
    for column in codebook.coded_columns():
        values = columns[column]
        picked = np.flatnonzero((values != "") & (rng.random(len(values)) < MESSY_CELL_CHANCE))
        for row in picked:
            code = str(values[row])
            style = int(rng.integers(0, 5))
            lower = code.lower() if code.lower() != code else f" {code}"
            values[row] = (f" {code} ", f"{code} ", f" {code}", lower, f" {lower} ")[style]


def unknown_code(question: Question, rng: np.random.Generator) -> str:
    """A code the question does not have, like A9 for a question with A1..A5."""
    numbers = [int(m[1]) for code in question.options if (m := re.fullmatch(r"A(\d+)", code))]
    known = {code.upper() for code in question.options}
    candidate = f"A{max(numbers, default=0) + 1 + int(rng.integers(0, 4))}"
    while candidate.upper() in known:
        candidate = f"A{int(candidate[1:]) + 1}"
    return candidate


def _corrupt(codebook: Codebook, columns: dict[str, np.ndarray], share: float, n_rows: int,
             rng: np.random.Generator) -> int:
    """Give round(share x rows) rows an unknown code in one single-choice question; return how many.

    Questions that others' `shown_if` refers to are left alone, so a corrupted row has exactly one
    fault: the unknown code.
    """
    wanted = math.floor(share * n_rows + 0.5)
    if wanted == 0:
        return 0
    referenced = {q.shown_if.question for q in codebook.questions if q.shown_if is not None}
    singles = [q for q in codebook.questions if q.type == "single"]
    candidates = [q for q in singles if q.code not in referenced] or singles
    answered = np.stack([columns[q.code] != "" for q in candidates], axis=1)
    corruptible = np.flatnonzero(answered.any(axis=1))
    rows = np.sort(rng.choice(corruptible, size=min(wanted, len(corruptible)), replace=False))
    for row in rows:
        question = candidates[int(rng.choice(np.flatnonzero(answered[row])))]
        columns[question.code][row] = unknown_code(question, rng)
    return len(rows)


# --- writing ---------------------------------------------------------------------------------------


def export_file_name(export_format: str) -> str:
    if export_format not in EXPORT_FORMATS:
        raise ValueError(f"export_format must be one of {', '.join(EXPORT_FORMATS)}, got {export_format!r}")
    return "survey_export.xlsx" if export_format == "xlsx" else "survey_export.csv"


def write_export(table: ExportTable, out_dir: Path, export_format: str) -> str:
    """Write the export; return the file name."""
    name = export_file_name(export_format)
    path = out_dir / name
    records = zip(*(table.columns[c] for c in table.header))
    if export_format == "xlsx":
        _write_xlsx(table, path)
        return name
    buffer = io.StringIO()
    if export_format == "csv":
        writer = csv.writer(buffer, delimiter=",", quotechar='"', lineterminator="\n")
        writer.writerow(table.header)
        writer.writerows(records)
        buffer.write("\n")  # the odd blank line at the end of a real export
        path.write_bytes(buffer.getvalue().encode("utf-8"))
    else:
        # As Excel saves "CSV (semicolon)" on a Dutch Windows: cp1252, characters it lacks become "?".
        writer = csv.writer(buffer, delimiter=";", quotechar='"', lineterminator="\r\n")
        writer.writerow(table.header)
        writer.writerows(records)
        buffer.write("\r\n")
        path.write_bytes(buffer.getvalue().encode("cp1252", errors="replace"))
    return name


def _write_xlsx(table: ExportTable, path: Path) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("survey_export")
    sheet.append(table.header)
    numeric = [c in NUMERIC_METADATA for c in table.header]
    for record in zip(*(table.columns[c] for c in table.header)):
        sheet.append([
            None if value == "" else (float(value) if "." in value else int(value)) if is_number else value
            for value, is_number in zip(record, numeric)
        ])
    save_reproducibly(workbook, path)


def write_withdrawals(table: ExportTable, path: Path, fielded_to: date, seed: int) -> int:
    """Two or three completed respondents who withdrew: by token, by e-mail (other capitals), by both."""
    rnd = random.Random(seed + 1)
    people = list(range(table.completed))
    rnd.shuffle(people)
    with_token = [p for p in people if table.people_tokens[p]]
    with_email = [p for p in people if table.people_emails[p]]
    chosen: list[tuple[str, str]] = []
    used: set[int] = set()
    if with_token:
        used.add(with_token[0])
        chosen.append((table.people_tokens[with_token[0]], ""))
    by_email = next((p for p in with_email if p not in used), None)
    if by_email is not None:
        used.add(by_email)
        address = table.people_emails[by_email]
        local, domain = address.split("@")
        written = rnd.choice((address.upper(), ".".join(p.capitalize() for p in local.split(".")) + "@" + domain.capitalize()))
        chosen.append(("", written if written != address else address.upper()))
    both = next((p for p in with_token if p in set(with_email) and p not in used), None)
    if both is not None:
        chosen.append((table.people_tokens[both], table.people_emails[both]))
    days = sorted(rnd.sample(range(1, 29), len(chosen)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["token", "email", "datum"])
    for (token, email), day in zip(chosen, days):
        writer.writerow([token, email, (fielded_to + timedelta(days=day)).isoformat()])
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return len(chosen)
