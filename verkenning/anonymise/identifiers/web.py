"""Web addresses and social-media handles (kind "url"):

- with a scheme or "www." ("https://...", "www.atelier.nl");
- bare domains with any real top-level domain (schemas/reference/identifiers/top_level_domains.txt):
  with a path always ("linktr.ee/naam", "wa.me/31612345678", "bit.ly/3xAbC"); without one ("atelier.art",
  "studio.photo") unless it is a tool ("Otter.ai", "gamma.app"), a file ("script.py"), an abbreviation
  ("i.v.m.de"), a version ("1.2.app") or two sentences without a space between ("klaar.In", "ze.is");
- handles: "@naam", and a handle without "@" after a platform's name ("insta: anouk.42", "discord
  naam#1234", "reddit u/naam", "volg me op tiktok naam_123").
"""

from __future__ import annotations

import re

from verkenning.anonymise.identifiers.common import (
    COUNT_WORDS,
    FUNCTION_WORDS,
    REFERENCE_DIR,
    S,
    IdentifierSpan,
    is_common_word,
    literal_alternation,
    reference_entries,
    reference_words,
    word_set,
)

TOP_LEVEL_DOMAINS = frozenset(t for t in reference_words("top_level_domains.txt") if t.isascii() and t.isalpha())
FILE_EXTENSIONS = reference_words("file_extensions.txt")
# Top-level domains that are everyday words: "klaar.in de zaal" is a sentence with a space forgotten.
WORD_TLDS = word_set("in is to so do my am as by al om je na im mit ist you one now how new like here day work man")
# The ones accepted where an e-mail address is written out ("punt nl", " at "): any dot may stand before them.
KNOWN_TLDS = (
    "nl", "com", "org", "net", "eu", "be", "de", "nu", "info", "frl", "amsterdam", "io", "edu", "gov",
    "uk", "fr", "es", "it", "biz", "online", "studio", "art", "museum", "email", "me", "co", "app", "dev",
    "ch", "lu", "dk", "se", "pl", "pt", "ie", "us", "tv", "fm", "cloud", "shop", "tech", "media", "design",
    "gallery", "events", "berlin", "brussels", "gent", "london", "paris", "nyc", "xyz", "site", "website",
)
# Any top-level domain but the everyday words, for a domain with a real or written-out dot ("dot dance").
ANY_TLD = literal_alternation(TOP_LEVEL_DOMAINS - WORD_TLDS)
BARE_DOMAIN_TLDS = TOP_LEVEL_DOMAINS - WORD_TLDS - FILE_EXTENSIONS  # accepted without "www." or a path
# Tools and platforms (schemas/reference/text/tool_names.txt, shared with the de-identifier): "Otter.ai",
# "perplexity.ai", "gamma.app" name a tool, not an address a respondent gave.
TOOL_WORDS = frozenset(
    name.lower().replace(" ", "") for name in reference_entries("tool_names.txt", REFERENCE_DIR / "text")
)
# Top-level domains of software products: capitalised and bare ("Socket.io", "Krea.ai") a product's name.
_PRODUCT_TLDS = word_set("ai io so ml gg app")
_ABBREVIATIONS = word_set("""
    bijv bv ca evt etc enz incl excl resp nr vgl zgn mbt ivm dwz oa ong max min ggf bzw usw zb inkl vs cf eg ie
""")

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_PATH = r"/[^\s<>\"'\[\]{}|\\^`]*"
_URL_TRAILING = ".,;:!?'\"”’)]}>"
URL_RE = re.compile(r"(?:\b(?:https?|ftp)://|(?<![\w@.\-/])www\.)[^\s<>\"'\[\]{}|\\^`]+", re.IGNORECASE)
BARE_DOMAIN_RE = re.compile(
    rf"(?<![\w@.\-/])(?P<host>(?:{_LABEL}\.)+(?P<tld>(?i:{literal_alternation(TOP_LEVEL_DOMAINS)})))(?![\w\-@])(?P<path>{_PATH})?"
)
_DOT_BEFORE_LETTER_RE = re.compile(r"[A-Za-z0-9]\.[A-Za-z]")
# A social-media handle ("volg me op @marieke_maakt"): an address to a person, reported as a web address.
HANDLE_RE = re.compile(r"(?<![\w@.])[@＠][A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_])(?![\w@])")

PLATFORMS = reference_words("social_platforms.txt")
_PLATFORM_HANDLE_RE = re.compile(
    rf"(?i)(?<![\w@./\-])(?:{literal_alternation(PLATFORMS)})"
    r"(?P<kind>[\- ]?(?:account|accountnaam|handle|naam|name|kanaal|channel|profiel|profile|pagina|page|username"
    r"|gebruikersnaam|id|tag))?"
    rf"(?P<sep>{S}*(?::|=|->|→|\(){S}*|{S}+(?:is|als|as|heet|zit|onder){S}+|{S}+)"
    r"(?P<handle>(?:u/)?[A-Za-z0-9_](?:[A-Za-z0-9_.\-]{0,38}[A-Za-z0-9_])?(?:#\d{4})?)(?![\w@/#])"
)
# Cheap test first, on the text in lower case (a case-blind expression scans far slower).
_PLATFORM_HINT_RE = re.compile(rf"(?<![\w@./\-]){literal_alternation(PLATFORMS)}(?![\w@])")
_REDDIT_USER_RE = re.compile(r"(?<![\w/])u/[A-Za-z0-9_\-]{3,20}(?![\w/])")
_NUMBER_WITH_UNIT_RE = re.compile(r"\d+(?:[.,]\d+)*[a-z]{0,3}|[a-z]?\d+(?:\.\d+)*", re.IGNORECASE)
_NO_ANSWER = word_set("nvt ntb nee ja yes no none nope geen niks niets weet idk")


def _trim_url(text: str, start: int, end: int) -> int:
    """Drop trailing punctuation from a web address; keep a closing bracket that closes one in it."""
    while end > start and text[end - 1] in _URL_TRAILING:
        closing = text[end - 1]
        opening = {")": "(", "]": "[", "}": "{", ">": "<"}.get(closing)
        if opening and text.count(opening, start, end - 1) > text.count(closing, start, end - 1):
            break
        end -= 1
    return end


def _is_bare_address(host: str, tld: str) -> bool:
    """Whether a domain without "www." or a path is a web address (see the module's description)."""
    lower_tld = tld.lower()
    if lower_tld not in BARE_DOMAIN_TLDS or (tld[0].isupper() and not tld.isupper()):
        return False
    labels = host.split(".")[:-1]
    name = labels[-1]
    if all(len(label) == 1 for label in labels) or name.lower() in _ABBREVIATIONS:
        return False  # "i.v.m.de", "J.Bond", "bijv.de"
    if all(label.isdigit() or (label[:1] in "vV" and label[1:].isdigit()) for label in labels):
        return False  # "v1.2.app"
    if name.lower() in TOOL_WORDS or host.lower() in TOOL_WORDS:
        return False
    return not (len(labels) == 1 and lower_tld in _PRODUCT_TLDS and name[:1].isupper() and not name.isupper())


def _handle_after_platform(handle: str, separator: str, blind: bool, named: bool = False) -> bool:
    """Whether the word after a platform's name is a handle: one with a digit, "_", ".", "#1234" or "u/" is;
    a plain lower-case word only after ":", "is" or "als", and not an ordinary word ("insta: vooral")."""
    if handle.startswith(("u/", "U/")) or "#" in handle:
        return True
    lower = handle.lower()
    if _NUMBER_WITH_UNIT_RE.fullmatch(handle) or lower in FUNCTION_WORDS or lower in COUNT_WORDS:
        return False
    if lower in PLATFORMS or lower in _NO_ANSWER or lower in TOOL_WORDS or not any(c.isalpha() for c in handle):
        return False
    if "." in handle and all(len(part) <= 1 for part in handle.split(".")):
        return False  # "o.a", "t.z.t"
    if any(c.isdigit() or c in "_." for c in handle):
        return True
    # "insta: vooral" is no handle; after "GitHub-naam" or "Signal:" a hyphenated word is ("sidrao-dev").
    explicit = separator.strip() != "" or named
    return explicit and (handle == lower or blind) and ("-" in handle or not is_common_word(lower))


def _handle_spans(text: str) -> list[IdentifierSpan]:
    spans = []
    blind = text == text.upper()  # handles are written in lower case; in a text in capitals nothing tells
    for m in _PLATFORM_HANDLE_RE.finditer(text):
        if _handle_after_platform(m.group("handle"), m.group("sep"), blind, named=m.group("kind") is not None):
            spans.append(IdentifierSpan(m.start("handle"), m.end("handle"), "url"))
    if "u/" in text and "reddit" in text.lower():
        spans += [IdentifierSpan(m.start(), m.end(), "url") for m in _REDDIT_USER_RE.finditer(text)]
    return spans


_TAGGED_HANDLE_RE = re.compile(r"(?<![\w#@./])[A-Za-z0-9_.]{2,32}#\d{4}(?![\w#])")


def url_spans(text: str) -> list[IdentifierSpan]:
    spans = []
    if "@" in text or "＠" in text:
        spans = [IdentifierSpan(m.start(), m.end(), "url") for m in HANDLE_RE.finditer(text)]
    lowered = text.lower()
    if _PLATFORM_HINT_RE.search(lowered):
        spans += _handle_spans(text)
    if "#" in text:
        # A user name with a four-digit tag ("sanne#4821", Discord's old form) is a handle without any cue.
        spans += [IdentifierSpan(m.start(), m.end(), "url") for m in _TAGGED_HANDLE_RE.finditer(text)]
    if "." not in text:
        return spans
    for m in URL_RE.finditer(text) if "://" in text or "www." in lowered else ():
        end = _trim_url(text, m.start(), m.end())
        if end - m.start() > 4:
            spans.append(IdentifierSpan(m.start(), end, "url"))
    if _DOT_BEFORE_LETTER_RE.search(text) is None:
        return spans
    for m in BARE_DOMAIN_RE.finditer(text):
        end = _trim_url(text, m.start(), m.end())
        path = text[m.end("host"):end]
        if end - m.start() > 4 and (len(path) > 1 or _is_bare_address(m.group("host"), m.group("tld"))):
            spans.append(IdentifierSpan(m.start(), end, "url"))
    return spans
