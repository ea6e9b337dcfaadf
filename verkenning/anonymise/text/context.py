"""Names by their context: after a role or title ("collega X", "mijn directeur X"), before an apposition ("X,
onze conservator, ..."), after an employer cue ("werkgever, X", "ik werk bij X"), and runs of capitalised
words in the middle of a Dutch sentence, where capitals mark names."""

from __future__ import annotations

import re

import docdeid as dd

from verkenning.anonymise.text.common import (
    ACRONYM_RE,
    ADJECTIVE_RE,
    ALL_STOPWORDS,
    CONTEXT_PRIORITY,
    EXISTING_PLACEHOLDER_RE,
    GUESS_PRIORITY,
    NAME_TOKEN,
    ORG_TYPE_WORDS,
    PARTICLE_WORDS,
    UPPER,
    WORD_RE,
    document_language,
    is_capitalised,
    is_role,
    make_annotation,
)
from verkenning.anonymise.text.placeholders import (
    ORGANISATION,
    PERSON,
)
from verkenning.anonymise.text.spans import (
    Intervals,
    Span,
    at_sentence_start,
    previous_word,
)
from verkenning.anonymise.text.words import (
    COMMON_ACRONYMS,
    DETERMINERS,
    FUNCTION_WORDS,
    LANGUAGES,
    NOT_A_NAME_PHRASES,
    ORGANISATION_CUES,
    ORGANISATION_HEADS,
    PERSON_CUES,
    ROLE_WORDS,
    SURNAME_WORDS,
    TOOL_WORDS,
    Lexicon,
    is_common_word,
    word_frequency,
)


# --- names by their context -------------------------------------------------------------------------------
# Name particles that join the words of one name ("Fatima el Amrani", "Lot van der Laan"): only after a first
# name, an initial or another particle; after a surname "van" is a preposition ("Janssen van Museum X").
_RUN_JOINERS = frozenset({"van", "de", "der", "den", "'t", "’t", "ter", "ten", "te", "el", "al", "la", "le", "du", "da", "di", "dos", "von", "zu", "ben", "bin", "ibn", "abu", "y"})
_POSSESSIVES = frozenset({"mijn", "onze", "ons", "je", "jouw", "jullie", "zijn", "haar", "hun", "de", "het", "een", "my", "our", "your", "his", "her", "their", "the", "a", "meine", "unsere", "unser", "die", "der"})
_FOREIGN_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "herr", "frau", "colleague", "kollege", "kollegin", "director", "direktor", "direktorin", "curator", "kurator", "kuratorin"})
_ORG_CUE_PHRASE_RE = re.compile(r"(?i)(?:werk(?:zaam|t|en)?|in dienst|verbonden|actief|vrijwilliger|stagiair[e]?|employed|work(?:s|ing)?|arbeite[t]?)\s+(?:bij|aan|voor|at|for|bei)\s*$")


# Endings of ordinary adjectives and nouns ("plaatselijke", "kleine", "gemeentelijke", "erfgoedinstelling").
_COMMON_SUFFIX_RE = re.compile(r"(?:lijke?|ige?|isch|ische|bare?|ende|ste|heid|ing|instelling|organisatie|bedrijf|kantoor|afdeling)$")
_LOWER_TYPE_WORD_NAME_RE = re.compile(
    r"(?<![\w\-])(" + "|".join(sorted((w.lower() for w in ORGANISATION_HEADS if " " not in w), key=len, reverse=True))
    + r")[ \t\u00a0]+(?:de|het|'t)[ \t\u00a0]+([a-zà-ÿ][a-zà-ÿ\-]{2,})(?![\w\-])"
)
# Words after "museum de", "theater het" that are no name: "in het museum de hele dag".
_NOT_AFTER_TYPE_WORD = frozenset("hele heel meeste komende volgende eerste laatste tweede derde ruimte kans tijd laatste kunst afgelopen".split())
_CAMEL_CASE_RE = re.compile(r"(?<![\w\-@./])[A-Z][a-zà-ÿ]+(?:[A-Z][a-zà-ÿ]+)+(?![\w\-@]|\.\w)")
_LOWER_INITIAL_SURNAME_RE = re.compile(r"(?<![\w.@/])[a-z]\.([a-z]{3,})(?![\w@]|\.\w)")
_AMPERSAND_NAME_RE = re.compile(rf"(?<![\w\-]){NAME_TOKEN}[ \t\u00a0]*&[ \t\u00a0]*{NAME_TOKEN}")
_NICKNAME_RE = re.compile(
    rf"(?<![\w\-])(?:(?:[{UPPER}]\.){{1,4}}|{NAME_TOKEN})[ \t\u00a0]*[\(\"'‘“][{UPPER}][\w\-]*[\)\"'’”]"
    rf"(?:[ \t\u00a0]+{PARTICLE_WORDS})*[ \t\u00a0]+{NAME_TOKEN}"
)
_LONG_TYPE_WORDS = tuple(sorted((w for w in ORG_TYPE_WORDS if len(w) >= 5), key=len, reverse=True))
# Type words that stand for the kind of institution, not one of them, even with a capital ("het Museum").
_GENERIC_TYPE_WORDS = frozenset("""
museum musea archief bibliotheek theater festival gemeente provincie stichting vereniging fonds bureau studio
atelier galerie orkest koor ensemble podium centrum instituut academie universiteit hogeschool erfgoed collectief
gezelschap omroep zaal kring
""".split())
_NAME_LIST_RE = re.compile(
    rf"(?<![\w\-]){NAME_TOKEN}(?:[ \t\u00a0]*,[ \t\u00a0]*{NAME_TOKEN})*[ \t\u00a0]+(?:en|and|und|&)[ \t\u00a0]+{NAME_TOKEN}(?![\w\-])"
)
_SIGN_OFF_RE = re.compile(
    r"(?i)\b(?:groet(?:en|jes)?|mvg|m\.v\.g\.?|vriendelijke groet(?:en)?|hartelijke groet(?:en)?|best|regards|kind regards"
    r"|best wishes|cheers|liefs|thanks|dank|bedankt|grtz|grüße|viele grüße|lg|mfg)[ \t]*[,!.:]?[ \t]*\n?[ \t]*$"
)
_SELF_INTRODUCTION_RE = re.compile(r"(?i)\b(?:i'm|i’m|i am|my name is|mijn naam is|ik heet|ich bin|ich heiße|ik ben)[ \t\u00a0]*$")
# Verbs after a subject: a first name at a sentence start before one is the subject ("Mark wil eerst ...").
_VERBS_AFTER_SUBJECT = frozenset("""
is was wil wilde heeft had zei zegt vindt vond gaat ging kan kon moet moest doet deed werkt werkte maakt maakte denkt
dacht weet wist gebruikt gebruikte regelt regelde belt mailt schreef schrijft komt kwam stelt stelde zit zat
said says wants wanted has thinks thought built builds made makes uses used runs ran wrote writes knows knew
does did found would could should told took gave came went got saw felt left kept brought led met sent spent won
ist hat sagt sagte will macht machte meint arbeitet
""".split())
# A Roman number as text uses one ("Willem III", "deel XIV", "MMXXIV"): up to 39, or a year; "MCV" is a name.
_ROMAN_NUMBER_RE = re.compile(r"X{0,3}(?:IX|IV|VI{0,3}|I{1,3})|X{1,3}|(?=[IVXLCDM]{4})M{1,2}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ENGLISH_CALENDAR = frozenset("january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday christmas easter".split())
_PREPOSITIONS = frozenset({"met", "van", "bij", "via", "door", "voor", "aan", "vanuit", "namens", "with", "from", "at", "by", "for"})
_LOWER_ORG_CUE_RE = re.compile(
    r"(?i)(?:\b(?:werk(?:zaam|t|en)?|in dienst|verbonden|vrijwilliger|stagiair[e]?)\s+(?:bij|voor)|\bwerkgever\s*(?:is|:|,)?)"
    r"\s+(?:(?:de|het|'t)\s+)?"
)


def _is_title_case_text(words: list[re.Match[str]]) -> bool:
    """A heading or sticky note written With Every Word Capitalised: capitals say nothing there."""
    letters = [w.group() for w in words if w.group()[0].isalpha() and len(w.group()) > 3]
    return len(letters) >= 3 and sum(w[0].isupper() for w in letters) / len(letters) > 0.6


class NameContextAnnotator(dd.process.Annotator):
    """Names found by their context, in the view where names written in capitals or lower case have been
    given a capital (see `deduce_view`)."""

    def __init__(self, lexicon: Lexicon, protected: re.Pattern[str]) -> None:
        super().__init__(tag="context", priority=CONTEXT_PRIORITY)
        self._lexicon = lexicon
        self._protected = protected
        self._not_names = lexicon.ordinary | ALL_STOPWORDS | LANGUAGES | TOOL_WORDS
        self._run_breakers = (ALL_STOPWORDS | FUNCTION_WORDS | ROLE_WORDS | PERSON_CUES | lexicon.titles | _FOREIGN_TITLES) - {"will", "can", "may"}

    def annotate(self, doc: dd.Document) -> list[dd.Annotation]:
        view = doc.text
        language = document_language(doc)
        words = list(WORD_RE.finditer(view))
        if not words:
            return []
        title_case = _is_title_case_text(words)
        protected = Intervals(Span(m.start(), m.end(), "") for m in self._protected.finditer(view))
        placeholders = Intervals(Span(m.start(), m.end(), "") for m in EXISTING_PLACEHOLDER_RE.finditer(view))
        annotations = []
        for run in self._capitalised_runs(view, words):
            start, end = run[0].start(), run[-1].end()
            if view[end - 1] == "." and not re.fullmatch(rf"[{UPPER}]\.", run[-1].group()):
                end -= 1  # a sentence's full stop, not an initial's
            if view[end - 2:end] in {"'s", "’s"}:
                end -= 2  # "Fleur's presentatie": the name, not its possessive
            role_named = is_role(previous_word(view, start)) and self._lexicon.is_first_name(run[0].group().rstrip("."))
            if (protected.covering(start, end) and not role_named) or placeholders.overlapping(start, end):
                continue  # a tool's or a famous name, unless a role names a person by it ("mijn partner Claude")
            classified = self._classify(view, run, language, title_case)
            if classified:
                annotations.append(make_annotation(doc, start, end, *classified))
        for match in _LOWER_INITIAL_SURNAME_RE.finditer(view):
            # "vraag het aan m.koster": an initial and a surname, written as in an e-mail address.
            surname = match.group(1)
            if self._lexicon.is_surname(surname[0].upper() + surname[1:]) and not placeholders.overlapping(match.start(), match.end()):
                annotations.append(make_annotation(doc, match.start(), match.end(), PERSON, CONTEXT_PRIORITY))
        for match in _AMPERSAND_NAME_RE.finditer(view):
            # "Ruis & Ritme", "Bakker & Zonen": two capitalised words joined by "&" are one name.
            if not protected.overlapping(match.start(), match.end()) and not placeholders.overlapping(match.start(), match.end()):
                annotations.append(make_annotation(doc, match.start(), match.end(), ORGANISATION, GUESS_PRIORITY))
        for match in _NAME_LIST_RE.finditer(view):
            # "Zwaluw, Kwadraat en Lichtspel doen samen een aanvraag": a list of capitalised words that are no
            # words of any of the survey's languages names organisations or people, also at a sentence start.
            items = [m for m in re.finditer(NAME_TOKEN, match.group()) if m.group().casefold() not in {"en", "and", "und"}]
            if all(
                m.group().casefold() not in self._not_names and not any(is_common_word(m.group(), other) for other in ("nl", "en", "de"))
                for m in items
            ):
                for m in items:
                    start, end = match.start() + m.start(), match.start() + m.end()
                    if not placeholders.overlapping(start, end) and not protected.overlapping(start, end):
                        kind = PERSON if self._lexicon.is_first_name(m.group()) else ORGANISATION
                        annotations.append(make_annotation(doc, start, end, kind, GUESS_PRIORITY))
        for match in _NICKNAME_RE.finditer(view):
            # "W.F. (Wim) ten Brink", "Hendrikje 'Henny' Dijkstra": a name with a nickname inside it.
            if not placeholders.overlapping(match.start(), match.end()):
                annotations.append(make_annotation(doc, match.start(), match.end(), PERSON, CONTEXT_PRIORITY))
        for match in _CAMEL_CASE_RE.finditer(view):
            # "KunstHuisNoord", "DataForge": a word with capitals inside it is a name, unless it is a tool's.
            if match.group().casefold() not in TOOL_WORDS and not protected.overlapping(match.start(), match.end()) and not (
                placeholders.overlapping(match.start(), match.end())
            ):
                annotations.append(make_annotation(doc, match.start(), match.end(), ORGANISATION, GUESS_PRIORITY))
        for match in ACRONYM_RE.finditer(view):
            letters = match.group().replace(".", "").replace("&", "")
            if (
                letters in COMMON_ACRONYMS or letters.casefold() in TOOL_WORDS or _ROMAN_NUMBER_RE.fullmatch(letters)
                or placeholders.overlapping(match.start(), match.end()) or protected.overlapping(match.start(), match.end())
                or self._in_capitals(view, match.start(), match.end())
            ):
                continue
            annotations.append(make_annotation(doc, match.start(), match.end(), ORGANISATION, GUESS_PRIORITY))
        if language == "nl":
            for start, end in self._lower_case_organisations(view):
                if not placeholders.overlapping(start, end) and not protected.overlapping(start, end):
                    annotations.append(make_annotation(doc, start, end, ORGANISATION, GUESS_PRIORITY))
        return annotations

    @staticmethod
    def _in_capitals(view: str, start: int, end: int) -> bool:
        """A word in a stretch written in capitals ("WE WILLEN EEN HELPDESK"): not an acronym."""
        before = re.search(r"([^\W\d_]+)[^\w\n]{1,3}$", view[max(0, start - 30):start])
        after = re.match(r"[^\w\n]{1,3}([^\W\d_]+)", view[end:end + 30])
        return any(m is not None and m.group(1).isupper() and len(m.group(1)) > 1 for m in (before, after))

    def _lower_case_organisations(self, view: str) -> list[tuple[int, int]]:
        """An employer written in lower case after a cue ("ik werk bij de twentse welle", "werkgever: oale
        grieze"): the words up to the next punctuation or function word, when one of them is not an ordinary
        word."""
        spans = []
        for cue in _LOWER_ORG_CUE_RE.finditer(view):
            words = []
            for word in WORD_RE.finditer(view, cue.end()):
                gap = view[(words[-1].end() if words else cue.end()):word.start()]
                token = word.group().rstrip(".")
                if (gap.strip() and words) or not token.islower() or token in FUNCTION_WORDS or len(words) == 4:
                    break
                words.append(word)
                if word.group().endswith("."):
                    break
            unknown = [
                w for w in words
                if len(w.group()) >= 4 and w.group().rstrip(".") not in self._not_names
                and w.group().rstrip(".") not in ORG_TYPE_WORDS and not ADJECTIVE_RE.fullmatch(w.group().rstrip("."))
                and not _COMMON_SUFFIX_RE.search(w.group().rstrip(".")) and not is_common_word(w.group().rstrip("."))
            ]
            # "de zeeuwse zolder": a name made of a place's adjective and a noun.
            place_adjective = len(words) >= 2 and ADJECTIVE_RE.fullmatch(words[0].group()) and not _COMMON_SUFFIX_RE.search(words[0].group())
            # "stichting kunstbende oost": a type word and the words of its name after it.
            type_word_first = len(words) >= 2 and words[0].group() in ORG_TYPE_WORDS and words[0].group() not in {"museum", "theater"}
            if words and (unknown or place_adjective or type_word_first):
                end = words[-1].end() - (1 if words[-1].group().endswith(".") else 0)
                spans.append((words[0].start(), end))
        for match in _LOWER_TYPE_WORD_NAME_RE.finditer(view):
            name = match.group(2)
            if name not in FUNCTION_WORDS and name not in ALL_STOPWORDS and not _COMMON_SUFFIX_RE.search(name) and not ADJECTIVE_RE.fullmatch(name) and name not in _NOT_AFTER_TYPE_WORD:
                spans.append((match.start(), match.end()))  # "museum de schaapskooi", "theater de kroon"
        return spans

    def _capitalised_runs(self, view: str, words: list[re.Match[str]]) -> list[list[re.Match[str]]]:
        """Runs of capitalised words, joined by spaces and name particles ("Fatima el Amrani", "De Boer"),
        not crossing punctuation or a line break; trailing particles left out."""
        runs: list[list[re.Match[str]]] = []
        current: list[re.Match[str]] = []
        for position, word in enumerate(words):
            token = word.group().rstrip(".") if not re.fullmatch(rf"[{UPPER}]\.", word.group()) else word.group()
            gap = view[current[-1].end():word.start()] if current else ""
            joined = current and re.fullmatch(r"[ \t\u00a0]{1,2}", gap) and not (
                current[-1].group().endswith(".") and not re.fullmatch(rf"(?:[{UPPER}]\.)+", current[-1].group())
            )  # a full stop ends the sentence, an initial's does not
            folded = token.casefold()
            following = words[position + 1].group().rstrip(".") if position + 1 < len(words) else ""
            if is_capitalised(token) and (folded in self._run_breakers or (is_role(token) and len(token) > 6)) and not (folded in _RUN_JOINERS and not current) and not (
                self._lexicon.is_first_name(token) and (
                    not at_sentence_start(view, word.start())
                    or (is_capitalised(following) and self._lexicon.is_surname(following) and following.casefold() not in self._run_breakers)
                )
            ):  # "Can Öztürk can help": a first name before a surname stays, also when it is a word elsewhere
                # "Mein Kollege Jürgen Müller", "Volgens Marleen": a capitalised stop word, role or title is not
                # part of a name; a capitalised particle may open one ("De Boer").
                if current:
                    runs.append(current)
                current = []
            elif is_capitalised(token) and not any(c.isdigit() for c in token):
                if joined:
                    current.append(word)
                else:
                    if current:
                        runs.append(current)
                    current = [word]
            elif joined and token.casefold() in _RUN_JOINERS and (
                token.casefold() not in {"van", "von"} or self._may_take_particle(current[-1].group())
            ):
                current.append(word)
            else:
                if current:
                    runs.append(current)
                current = []
        if current:
            runs.append(current)
        trimmed = []
        for run in runs:
            while run and run[-1].group().casefold().rstrip(".") in _RUN_JOINERS and not is_capitalised(run[-1].group()):
                run = run[:-1]
            if run:
                trimmed.append(run)
        return trimmed

    def _may_take_particle(self, word: str) -> bool:
        bare = word.rstrip(".")
        return (
            bare.casefold() in _RUN_JOINERS or re.fullmatch(rf"(?:[{UPPER}]\.)+", word) is not None
            or (self._lexicon.is_first_name(bare) and bare.casefold() not in FUNCTION_WORDS)
        )

    def _classify(self, view: str, run: list[re.Match[str]], language: str, title_case: bool) -> tuple[str, int] | None:
        """The placeholder of a run of capitalised words and how sure the context makes it: a cue (a role, an
        apposition, a first name, an organisation cue) outranks deduce; a capitalised run alone does not."""
        lexicon = self._lexicon
        tokens = [w.group().rstrip(".") if len(w.group()) > 2 else w.group() for w in run]
        possessive = tokens[-1][-2:] in {"'s", "’s"} and len(tokens[-1]) > 3
        if possessive:
            tokens[-1] = tokens[-1][:-2]
        folded = [t.casefold() for t in tokens]
        start = run[0].start()
        before = view[max(0, start - 60):start]
        previous = previous_word(view, start)
        sentence_start = at_sentence_start(view, start)
        first_name = is_capitalised(tokens[0]) and lexicon.is_first_name(tokens[0]) and lexicon.is_distinctive(tokens[0])
        surname = any(lexicon.is_surname(t) for t in tokens if t.casefold() not in lexicon.particles)
        has_type_word = any(f in ORG_TYPE_WORDS for f in folded)
        all_common = all(f in self._not_names or f in lexicon.particles or f in ORG_TYPE_WORDS for f in folded)
        role_named = len(tokens) == 1 and is_role(previous) and lexicon.is_first_name(tokens[0])
        if role_named:
            return PERSON, CONTEXT_PRIORITY  # "mijn partner Claude", "onze fotograaf Ben"
        if all(f in LANGUAGES or f in TOOL_WORDS for f in folded if f not in lexicon.particles):
            return None
        if ADJECTIVE_RE.fullmatch(tokens[0]) and not lexicon.is_first_name(tokens[0]):
            return None  # "Hollandse Meesters", "Friese": made from a place or a people
        # Introducing oneself: "I'm Rose", "ik ben Sanne", "mijn naam is ...".
        if _SELF_INTRODUCTION_RE.search(before) and (not all_common or lexicon.is_first_name(tokens[0])):
            return PERSON, CONTEXT_PRIORITY
        # An employer: "Mijn werkgever, Ouwe Stomp, ...", "ik werk bij Oale Grieze", "I work at The Lantern".
        employer = re.search(r"(?i)\b(?:werkgever|werkgeefster|employer|arbeitgeber)\b[^\w\n]{0,4}(?:is\s+)?$", before) or (
            _ORG_CUE_PHRASE_RE.search(before) is not None
        )
        if employer and not all_common and not (first_name and len(tokens) == 1):
            return ORGANISATION, CONTEXT_PRIORITY
        # A role or title before it: "collega Fatima", "onze conservator Molenaar", "Frau Müller".
        if _SIGN_OFF_RE.search(before) and (not all_common or lexicon.is_first_name(tokens[0])):
            return PERSON, CONTEXT_PRIORITY  # "Best,\nMark Oduya", "Met vriendelijke groet, Sanne"
        role_before = re.search(r"(\w+)[ \t\u00a0]*,?[ \t\u00a0]*$", before)
        if role_before and role_before.group(1).islower() and role_before.group(1).casefold() in ORG_TYPE_WORDS and not all_common:
            return ORGANISATION, CONTEXT_PRIORITY  # "Ons festival, Noordzee Klanken, ...", "het museum Koekeloere"
        if role_before and role_before.group(1).casefold() in PERSON_CUES and not all_common:
            return PERSON, CONTEXT_PRIORITY  # "een vrijwilliger die Grace heet" is after; "Ask Sophie", "dankzij Emre"
        if role_before and (is_role(role_before.group(1)) or role_before.group(1).casefold() in lexicon.titles
                            or role_before.group(1).casefold() in _FOREIGN_TITLES):
            # "fotograaf Ben", "Our director, Will de Koning": after a role a capitalised word is a name.
            if not all(f in LANGUAGES or f in TOOL_WORDS or f in ORG_TYPE_WORDS for f in folded) and (
                role_before.group(1).islower() or not all(
                    is_common_word(t, language) and not lexicon.is_first_name(t) and not lexicon.is_surname(t) for t in tokens
                )
            ):  # "Hoofd Collecties" is a job title in title case
                return PERSON, CONTEXT_PRIORITY
        # An apposition after it: "Molenaar, onze conservator, ...".
        after = view[run[-1].end():run[-1].end() + 40]
        apposition = re.match(r"\s*[,(–-]\s*(\w+)\s+(\w+)(?:\s+(\w+))?", after)
        if apposition and apposition.group(1).casefold() in _POSSESSIVES | {"een", "a", "an"}:
            nouns = [n.casefold() for n in apposition.groups()[1:] if n]
            if any(is_role(n) for n in nouns):
                return PERSON, CONTEXT_PRIORITY  # "Molenaar, onze conservator, ...", "Bos, onze webredacteur"
            if any(n in ORG_TYPE_WORDS or n.endswith(_LONG_TYPE_WORDS) for n in nouns):
                return ORGANISATION, CONTEXT_PRIORITY  # "Tekstwerf, een klein bureau", "Open Huis (ons wijkcultuurhuis)"
        if (possessive or re.match(r"['’]s\b", after)) and (not all_common or lexicon.is_first_name(tokens[0])):
            return (PERSON if first_name or surname else ORGANISATION), CONTEXT_PRIORITY  # "Fleur's presentatie"
        after_word = re.match(r"[ \t\u00a0]+(\w+)", after)
        if after_word and after_word.group(1).casefold() in {"heet", "genaamd", "called", "named"} and not all_common:
            return PERSON, CONTEXT_PRIORITY
        # A first name and a capitalised word after it, in any language: "Anna Schmidt"; also a first name that
        # is a word elsewhere, before a surname: "Mark Janssens", "Will Brouwer".
        if first_name and len(tokens) >= 2 and not all(f in self._not_names for f in folded[1:]):
            return PERSON, CONTEXT_PRIORITY
        if len(tokens) >= 2 and lexicon.is_first_name(tokens[0]) and lexicon.is_surname(tokens[-1]) and (
            folded[-1] not in self._not_names or folded[-1] in SURNAME_WORDS or " ".join(folded[1:]) in SURNAME_WORDS
            or any(f in lexicon.particles for f in folded[1:-1])
        ):
            return PERSON, CONTEXT_PRIORITY
        verb_after = after_word is not None and (
            after_word.group(1) in _VERBS_AFTER_SUBJECT
            or (language == "en" and re.fullmatch(r"[a-z]{3,}ed", after_word.group(1)) is not None)
        ) or re.match(r"[ \t\u00a0]+(?:and I|en ik|und ich)\b", after) is not None  # "Mark and I founded ..."
        # A first name standing alone, not followed by a word of its sentence: "Top sessie 👏 Noor 🙌 Bas 💡",
        # "📸 Merel (@merelfotografeert)", a signature.
        alone = re.match(r"[ \t\u00a0]*(?:$|[^\w\s,.'’\-]|\n|\()", after) is not None
        if alone and re.match(r"[ \t\u00a0]*:", after) and is_common_word(tokens[0], language):
            alone = False  # "Tip: ...", "Hoop: ...": a heading word before a colon, not a speaker
        if len(tokens) == 1 and lexicon.is_first_name(tokens[0]) and alone and previous not in DETERMINERS and (
            folded[0] not in TOOL_WORDS and folded[0] not in LANGUAGES
        ):
            return PERSON, CONTEXT_PRIORITY
        if len(tokens) == 1 and folded[0] in {"will", "can", "may"} and verb_after and after_word.group(1) not in {"be", "have", "do", "not"}:
            return PERSON, CONTEXT_PRIORITY  # "Will does the code", "Can found": a modal is never a verb's subject
        if sentence_start and len(tokens) == 1 and (
            (lexicon.is_first_name(tokens[0]) and ((lexicon.is_distinctive(tokens[0]) and not is_common_word(tokens[0], language)) or verb_after))
            or (verb_after and folded[0] not in self._not_names and not any(is_common_word(tokens[0], other) for other in ("nl", "en", "de")))
        ):
            return PERSON, CONTEXT_PRIORITY  # "Seun is bereikbaar", "Mark wil eerst een beleid"
        if language == "en" and not sentence_start and len(tokens) == 1 and lexicon.is_first_name(tokens[0]) and (
            folded[0] not in _ENGLISH_CALENDAR and folded[0] not in {"i", "a"}
        ):
            return PERSON, CONTEXT_PRIORITY  # "a tool that Dan built": in English only names are capitalised
        if language != "nl" or title_case:
            return None
        # An organisation cue: "werkgever, Oale Grieze", "ik werk bij De Twentse Welle".
        cue = previous in ORGANISATION_CUES or (
            previous in {"de", "het", "'t", "t"} and previous_word(view, view.rfind(previous, 0, start)) in ORGANISATION_CUES
        )
        if cue and not all_common:
            return (PERSON if first_name and len(tokens) == 1 else ORGANISATION), CONTEXT_PRIORITY
        if sentence_start:
            # At a sentence start only a surname that is not an ordinary word first, or one of the ordinary
            # words that are surnames first ("Molenaar heeft ..."), is a name.
            if len(tokens) == 1 and folded[0] in SURNAME_WORDS and not view[run[-1].end():].startswith("-"):
                return PERSON, CONTEXT_PRIORITY
            if len(tokens) >= 2 and folded[0] in lexicon.particles and " ".join(folded) in SURNAME_WORDS:
                return PERSON, CONTEXT_PRIORITY
            if len(tokens) == 1 and lexicon.is_surname(tokens[0]) and folded[0] not in self._not_names and not (
                lexicon.is_first_name(tokens[0]) or lexicon.is_place(tokens) or folded[0] in ORG_TYPE_WORDS
            ) and not view[run[-1].end():].startswith("-") and (verb_after or not is_common_word(tokens[0], language)):
                return PERSON, GUESS_PRIORITY  # "Verbeek was het daar niet mee eens."
            if len(tokens) >= 2 and folded[0] in {"het", "'t"} and not all(f in self._not_names or f in ORG_TYPE_WORDS for f in folded[1:]):
                return ORGANISATION, GUESS_PRIORITY  # "Het Wolkenhuis is een klein podium."
            return None
        # Mid-sentence, in Dutch, capitals mark names, but also terms ("Machine Learning", "de Gouden Eeuw"):
        # without a cue a capitalised run is a name where deduce knows one of its words as a name, or where
        # "het" stands before it ("het Stedelijk").
        name_words = [
            t for t, f in zip(tokens, folded)
            if f not in self._not_names and f not in lexicon.particles and (lexicon.is_first_name(t) or lexicon.is_surname(t))
        ]
        if len(tokens) >= 2 and folded[0] in lexicon.particles and lexicon.is_surname(tokens[-1]) and (
            " ".join(folded) not in NOT_A_NAME_PHRASES
        ):
            return PERSON, GUESS_PRIORITY  # "met De Boer van de bibliotheek"
        if len(tokens) == 1 and folded[0] in SURNAME_WORDS:
            return PERSON, GUESS_PRIORITY  # "vraag het Molenaar"
        if previous in {"het", "de", "'t", "t"} and len(tokens) == 1 and folded[0] in ORG_TYPE_WORDS and folded[0] not in _GENERIC_TYPE_WORDS:
            return ORGANISATION, GUESS_PRIORITY  # "voor het Erfgoedhuis": a capitalised compound type word is a name
        if all_common:
            return None
        if previous in {"het", "'t", "t"} and not all(f in ORG_TYPE_WORDS for f in folded) and not all(
            word_frequency(f, "nl") >= 4.2 for f in folded
        ):  # "het Stedelijk", not "'t Mooiste"
            return ORGANISATION, GUESS_PRIORITY
        if name_words and not lexicon.is_place(tokens):
            return (ORGANISATION if has_type_word else PERSON), GUESS_PRIORITY
        if 2 <= len(tokens) <= 3 and not lexicon.is_place(tokens) and all(
            f not in self._not_names and not any(is_common_word(f, other) for other in ("nl", "en", "de"))
            for f in folded if f not in lexicon.particles
        ):
            return (ORGANISATION if has_type_word else PERSON), GUESS_PRIORITY  # "Oluwaseun Adeyemi", "Oale Grieze"
        if previous in _PREPOSITIONS and not lexicon.is_place(tokens) and all(
            f not in self._not_names and not ADJECTIVE_RE.fullmatch(f) and not is_common_word(f, language) and not is_common_word(f, "en")
            for f in folded if f not in lexicon.particles
        ):
            return ORGANISATION, GUESS_PRIORITY  # "samen met Dataforge", "via Tekstwerf"
        return None


