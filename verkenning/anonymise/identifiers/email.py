"""E-mail addresses in any spelling: "@", "＠", "(at)", "[at]", "(bij)", "(a)", " at ", " ät ", "apenstaartje"; "punt", "dot",
"[dot]" for dots; spaces around the parts; a malformed domain a reader still takes for an address
("naam@museum-.nl", "naam@museumnl"). Written-out forms need a real top-level domain at the end: one of the
common ones after any dot (also a comma or a spaced dot), any other ("dot dance", ".gallery") after a real or
written-out dot."""

from __future__ import annotations

import re

from verkenning.anonymise.identifiers.common import S, IdentifierSpan, literal_alternation, merged, word_set
from verkenning.anonymise.identifiers.web import ANY_TLD, KNOWN_TLDS

_TLD_KNOWN = rf"(?i:{literal_alternation(KNOWN_TLDS)})(?![\w-])"
# A top-level domain separated by a space only ("naam apenstaartje museum nl"): the common ones.
_TLD_AFTER_SPACE = r"(?i:nl|com|org|net|eu|info|frl)(?![\w-])"
_LOOSE_LABEL = r"-?[^\W_][\w\-]*"  # a hyphen at the start or end and an underscore still read as an address
_OPEN, _CLOSE = r"[\[\(\{<]", r"[\]\)\}>]"
_APE = r"(?i:ape(?:n)?staart(?:je)?|klammeraffe)"
_DOT_NAME = r"(?i:dot|punt|punkt|point)"
# "punt", "dot", "[dot]", "(punt)", "[.]", also upper case; in an address they stand for a dot.
_DOT_WORD = (
    rf"(?:{S}{{0,3}}{_OPEN}{S}{{0,2}}(?:\.|{_DOT_NAME}){S}{{0,2}}{_CLOSE}{S}{{0,3}}"
    rf"|{S}+{_DOT_NAME}{S}+)"
)
_DOT_ANY = rf"(?:\.+|{_DOT_WORD}|{S}+\.{S}*|\.{S}+|,|．)"
# A local part, or one written with a space between every character ("n a a m").
_LOCAL = (
    rf"(?:(?<![\w.+\-])[A-Za-z0-9](?:{S}[A-Za-z0-9]){{2,64}}(?={S}{{0,3}}(?:[@＠﹫\[\(\{{<]|{_APE}))"
    rf"|(?<![\w.+\-%'’])[\w%+\-'’][\w.%+\-'’]{{0,63}}(?:(?:{_DOT_WORD}|{S}+\.{S}+)[\w%+\-'’]{{1,64}}){{0,3}})"
)
# Domains: ending in a common top-level domain after any dot (written out, spaced, doubled, a comma), or in
# any other real one after a dot that is no comma ("atelier dot dance"); ending in any alphabetic top-level
# domain after a literal dot; or anything with letters (after a bare "@" only).
_DOT_STRICT = rf"(?:\.+|{_DOT_WORD}|{S}+\.{S}*|\.{S}+|．)"
_DOMAIN_KNOWN = (
    rf"(?:(?:{_LOOSE_LABEL}{_DOT_ANY})+{_TLD_KNOWN}"
    rf"|(?:{_LOOSE_LABEL}{_DOT_STRICT})+(?i:{ANY_TLD})(?![\w-]))"
)
_DOMAIN_DOTTED = rf"(?:{_DOMAIN_KNOWN}|{_LOOSE_LABEL}(?:\.+{_LOOSE_LABEL})*\.+[^\W\d_]{{2,24}}(?![\w\-]))"
_DOMAIN_LOOSE = rf"(?:{_DOMAIN_KNOWN}|{_LOOSE_LABEL}(?:\.+{_LOOSE_LABEL})*)"
# "naam@museum.nl", "naam＠museum-.nl", "naam@museumnl": letters on both sides of an "@" make an address
# (a handle is "@naam" with nothing before it).
_EMAIL_AT_RE = re.compile(rf"(?P<local>{_LOCAL})[@＠﹫]{{1,2}}(?P<domain>{_DOMAIN_LOOSE})")
# "naam @ museum.nl", "naam (a) museum.nl": the spaced "@" and "(a)" also occur in ordinary sentences
# ("tot later @ kantoor", "optie (a) of (b)"), so the domain must have a dot.
_EMAIL_SPACED_AT_RE = re.compile(
    rf"(?P<local>{_LOCAL})(?:{S}*[@＠﹫]{S}*|{S}{{0,3}}\({S}?[aA]{S}?\){S}{{0,3}})(?P<domain>{_DOMAIN_DOTTED})"
)
# "j.jansen @ rijksmuseum": a spaced "@" before a bare name, when the local part looks like an address or a
# mail cue precedes ("mail naar jansen @ rijksmuseum"), not "tot later @ kantoor".
_EMAIL_SPACED_BARE_RE = re.compile(rf"(?P<local>{_LOCAL}){S}*[@＠﹫]{S}*(?P<domain>{_LOOSE_LABEL})(?![\w.\-@])")
_MAIL_CUE_RE = re.compile(r"(?i)\b(?:e-?mail\w*|mail\w*|contact|schrijf|write|schreib\w*)\b[^\n.;!?]{0,15}$")
# "naam[at]museum", "naam (at) museum punt nl", "naam {@} museum.nl": nobody writes these in a sentence.
_EMAIL_BRACKET_AT_RE = re.compile(
    rf"(?P<local>{_LOCAL}){S}{{0,3}}{_OPEN}{S}{{0,2}}(?:[@＠﹫]|(?i:at)|{_APE}|(?P<word_at>(?i:ät|bij|chez|arroba))){S}{{0,2}}{_CLOSE}{S}{{0,3}}"
    rf"(?P<domain>{_DOMAIN_LOOSE})"
)
# "naam apenstaartje museum punt nl", "naam apenstaartje museum nl".
_EMAIL_APE_RE = re.compile(
    rf"(?P<local>{_LOCAL}){S}+{_APE}{S}+(?P<domain>{_DOMAIN_DOTTED}|{_LOOSE_LABEL}{S}+{_TLD_AFTER_SPACE})"
)
# "naam at museum punt nl", "naam AT museum.nl": " at " is an English word, so a known top-level domain.
_EMAIL_AT_WORD_RE = re.compile(
    rf"(?P<local>{_LOCAL}){S}+(?i:at|ät){S}+(?P<domain>(?P<dotted>{_DOMAIN_KNOWN})|{_LOOSE_LABEL}{S}+{_TLD_AFTER_SPACE})"
)
# Every character spaced out: "j a n @ m u s e u m . n l".
_EMAIL_SPACED_OUT_RE = re.compile(
    rf"(?<![^\s(<\[])(?P<local>(?:[\w.\-+]{S}){{1,64}})[@＠﹫](?P<domain>(?:{S}[\w.\-]){{3,}})(?![^\s)>\],;:!?])"
)
# Words before " at " that make "work at museum.nl" a sentence with a web address, not an address.
_NOT_LOCAL_BEFORE_AT = word_set("""
    work works worked working look looking looked me us him her them available based find found be been
    is are am was were job intern internship student volunteer here there it up signed register apply
    visit visiting see read published posted live lives living stay stayed arrive arrived meet met
    you we i they aimed aim good better best expert online
""")
_EMAIL_HINT_RE = re.compile(r"\bat\b|\bät\b|\bape|\bklammeraffe|\(\s?a\s?\)|[\[\(\{<]\s?(?:bij|chez|arroba)\s?[\]\)\}>]")  # on the text in lower case
_AT_WORD_RE = re.compile(r"\bat\b|\bät\b")


def email_spans(text: str) -> list[IdentifierSpan]:
    lowered = text.lower()
    has_sign = "@" in text or "＠" in text or "﹫" in text
    if not has_sign and _EMAIL_HINT_RE.search(lowered) is None:
        return []
    regexes = []
    if has_sign:
        regexes += [_EMAIL_AT_RE, _EMAIL_SPACED_AT_RE, _EMAIL_SPACED_BARE_RE]
    elif "(a)" in lowered or "( a )" in lowered:
        regexes.append(_EMAIL_SPACED_AT_RE)
    if has_sign or "at" in lowered or "ät" in lowered or "bij" in lowered or "ape" in lowered or "affe" in lowered or "chez" in lowered or "arroba" in lowered:
        if any(c in text for c in "[({<"):
            regexes.append(_EMAIL_BRACKET_AT_RE)
    if "ape" in lowered or "affe" in lowered:
        regexes.append(_EMAIL_APE_RE)
    if ("at" in lowered or "ät" in lowered) and _AT_WORD_RE.search(lowered):
        regexes.append(_EMAIL_AT_WORD_RE)
    if has_sign and re.search(r"\s[@＠﹫]\s", text):
        regexes.append(_EMAIL_SPACED_OUT_RE)
    spans = []
    for regex in regexes:
        for m in regex.finditer(text):
            local, domain = m.group("local"), m.group("domain")
            if not any(c.isalpha() for c in domain) or not any(c.isalnum() for c in local):
                continue
            if "word_at" in m.groupdict() and m.group("word_at") and not re.search(r"(?i)\.|punt|dot|punkt|point", domain):
                continue  # "ik werk (bij) de bieb": a word in brackets is an "@" only before a domain with a dot
            if regex is _EMAIL_AT_WORD_RE:
                if local.lower() in _NOT_LOCAL_BEFORE_AT and "." in domain:
                    continue
                if m.group("dotted") is None and not re.search(r"[._\d]", local):
                    continue  # "naam at museum nl" only with an address-like local part ("j.jansen")
            if regex is _EMAIL_SPACED_OUT_RE and "." not in domain:
                continue
            if regex is _EMAIL_SPACED_BARE_RE and not (
                any(c.isalpha() for c in local)
                and (re.search(r"[._\d]", local) or _MAIL_CUE_RE.search(text, max(0, m.start() - 30), m.start()))
            ):
                continue
            end = m.end()
            while end > m.start("domain") + 1 and text[end - 1] in ".-_":
                end -= 1
            spans.append(IdentifierSpan(m.start(), end, "email"))
    return merged(spans)
