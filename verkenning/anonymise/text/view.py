"""The view of a text that deduce and the context recogniser read: names written in capitals or in lower case
given a capital, the way deduce expects them; same length as the text."""

from __future__ import annotations

import re


from verkenning.anonymise.text.common import (
    EXISTING_PLACEHOLDER_RE,
    LETTER_WORD_RE,
    ORG_TYPE_WORDS,
    is_role,
)
from verkenning.anonymise.text.spans import (
    previous_word,
)
from verkenning.anonymise.text.words import (
    FUNCTION_WORDS,
    ROLE_WORDS,
    Lexicon,
    is_common_word,
    word_frequency,
)


# --- the view deduce reads --------------------------------------------------------------------------------
_CUES_BEFORE_LOWER_NAME = frozenset({
    "aan", "met", "bij", "door", "van", "voor", "naar", "volgens", "namens", "collega", "vraag", "bel", "mail", "mailen",
    "contact", "zei", "zegt", "vroeg", "vraagt", "vertelde", "belde", "mailde", "appte", "sprak", "noemde", "dankzij",
})


_SLASH_LIST_RE = re.compile(r"(?<![\w/.])[^\W\d_][\w\-]+(?:[ \t]*/[ \t]*[^\W\d_][\w\-]+)+(?![\w/])")
_APPOSITION_RE = re.compile(r"[ \t\u00a0]*[,(][ \t\u00a0]*(?:onze|mijn|ons|de|een|our|my|a)[ \t\u00a0]+(\w+)")


def _infrequent(word: str) -> bool:
    """Not a frequent word of Dutch or English: "smit" (4.0) may be a name, "bakker" (4.3) is a baker."""
    return all(word_frequency(word, language) < 4.2 for language in ("nl", "en"))


def _apposition_follows(view: str, end: int) -> bool:
    match = _APPOSITION_RE.match(view, end)
    return match is not None and is_role(match.group(1))


def deduce_view(text: str, lexicon: Lexicon) -> str:
    """The text deduce and the context recogniser read: as written, except that names written in capitals or
    in lower case get a capital, the way deduce expects them. A run of words in capitals ("GRAAG CONTACT MET
    PIETER JANSSEN") is read in lower case with its names capitalised; in lower-case writing a known first
    name is capitalised where a surname follows it or a cue stands before it ("vraag maar aan pieter
    janssen"), and so is the surname after it. Same length as the text, so positions carry over."""
    plain = EXISTING_PLACEHOLDER_RE.sub(lambda m: " " * len(m.group()), text)
    matches = list(LETTER_WORD_RE.finditer(plain))
    if not matches:
        return text
    chars = list(text)
    letters = [c for c in plain if c.isalpha()]
    mostly_capitals = len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.6
    all_lower = len(matches) >= 3 and all(not any(c.isupper() for c in m.group()) for m in matches) and not EXISTING_PLACEHOLDER_RE.search(text)

    def set_case(match: re.Match[str], capital: bool) -> None:
        word = match.group()
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in word)
        if capital and len(word[0].upper()) == 1:
            lowered = word[0].upper() + lowered[1:]
        chars[match.start():match.end()] = list(lowered)

    def is_name_word(word: str) -> bool:
        capital = word[0].upper() + word[1:].lower()
        return lexicon.is_distinctive(word) and (lexicon.is_first_name(capital) or lexicon.is_surname(capital))

    # Words in capitals: in a run of two or more (or in a text mostly in capitals) read in lower case, with
    # their names capitalised; a lone word in capitals that is a name ("JANSSEN") gets a capital only.
    capital_words = [m for m in matches if m.group().isupper() and len(m.group()) >= 2]
    capital_set = {m.start() for m in capital_words}
    for index, match in enumerate(matches):
        if match.start() not in capital_set:
            continue
        in_run = mostly_capitals or any(
            0 <= j < len(matches) and matches[j].start() in capital_set and j != index for j in (index - 1, index + 1)
        )
        word = match.group()
        if in_run:
            # Names, organisation type words and the uncommon words right after a type word keep a capital, so
            # that "WERKZAAM BIJ GEMEENTEARCHIEF VELDHOVEN" reads "werkzaam bij Gemeentearchief Veldhoven".
            after_type_word = any(
                matches[j].group().casefold() in ORG_TYPE_WORDS for j in range(max(0, index - 2), index)
            )
            hyphenated = plain[match.end():match.end() + 2].startswith("-") and plain[match.end() + 1:match.end() + 2].isalpha()
            set_case(match, is_name_word(word) or word.casefold() in ORG_TYPE_WORDS or (
                after_type_word and (hyphenated or lexicon.is_distinctive(word) and not is_common_word(word))
                and word.casefold() not in lexicon.particles
            ))  # "BIBLIOTHEEK OOST-BETUWE": a hyphenated word after a type word is a name's
        elif len(word) >= 4 and is_name_word(word):
            set_case(match, True)
    # Names in lower case.
    view = "".join(chars)
    matches = list(LETTER_WORD_RE.finditer(view))
    name_before = after_particle = after_cue_particle = False
    for index, match in enumerate(matches):
        word = match.group()
        if word[0].isupper():
            name_before = lexicon.is_first_name(word) or name_before and lexicon.is_surname(word)
            after_particle = after_cue_particle = False
            continue
        capital = word[0].upper() + word[1:]
        if len(capital) != len(word):
            name_before = after_cue_particle = False
            continue
        folded = word.casefold()
        is_first = False
        if len(folded) >= 3 and folded not in FUNCTION_WORDS and lexicon.is_first_name(capital):
            # Only a known first name is looked at further: most words are not one, and the tests below cost.
            distinctive_first = lexicon.is_distinctive(word)
            following = matches[index + 1].group() if index + 1 < len(matches) else ""
            following_capital = following[:1].upper() + following[1:]
            surname_follows = bool(following) and (
                lexicon.is_surname(following_capital) or following.casefold() in lexicon.particles
            ) and following.casefold() not in FUNCTION_WORDS - lexicon.particles
            rare_surname_follows = (
                bool(following) and len(following) >= 5 and lexicon.is_surname(following_capital)
                and lexicon.is_distinctive(following) and not is_common_word(following)
            )
            is_first = _apposition_follows(view, match.end()) or (distinctive_first and (
                all_lower or surname_follows or mostly_capitals
                or previous_word(view, match.start()) in _CUES_BEFORE_LOWER_NAME | ROLE_WORDS | lexicon.titles
            )) or rare_surname_follows
        elif lexicon.is_surname(capital) and folded not in FUNCTION_WORDS and _apposition_follows(view, match.end()):
            is_first = True  # "volgens bakker (onze penningmeester)": a surname in lower case before its role
        elif folded not in FUNCTION_WORDS and len(folded) >= 3 and (
            (after_cue_particle and capital in lexicon.interfix_surnames and (lexicon.is_distinctive(word) or _infrequent(folded)))
            or (
                previous_word(view, match.start()) in _CUES_BEFORE_LOWER_NAME and lexicon.is_surname(capital)
                and _infrequent(folded)
            )
        ):
            is_first = True  # "gesproken met smit", "met van leeuwen van het archief": a surname after a cue
        # After "jan de" any surname ("boer"); right after a first name only one that is no ordinary word ("can").
        is_surname_after_name = name_before and (
            (after_particle and (lexicon.is_surname(capital) or capital in lexicon.interfix_surnames))
            or ((all_lower or mostly_capitals or lexicon.is_distinctive(word)) and lexicon.is_surname(capital))
        )
        if is_first or is_surname_after_name:
            chars[match.start()] = capital[0]
            name_before, after_particle = True, False
        elif folded in lexicon.titles and (all_lower or mostly_capitals):
            name_before, after_particle = True, False
        elif folded in lexicon.particles and name_before:
            after_particle = True  # "jan de groot": the surname may follow its particles
        elif (folded in {"de", "den", "der"} and after_cue_particle) or (
            folded in {"van", "ten", "ter"} and previous_word(view, match.start()) in _CUES_BEFORE_LOWER_NAME - {"van"}
        ):
            after_cue_particle = True  # "met van der" may open a surname in lower case
            continue
        else:
            name_before = after_particle = False
        after_cue_particle = False
    # Names in a list joined by slashes, in lower case ("priya/gökhan", "maarten/laila/stijn"): when one is a
    # first name and none is an ordinary word, all are names.
    view = "".join(chars)
    for match in _SLASH_LIST_RE.finditer(view):
        items = list(re.finditer(r"[^\W\d_][\w\-]*", match.group()))
        words = [item.group() for item in items]
        if any(lexicon.is_first_name(w[0].upper() + w[1:]) and lexicon.is_distinctive(w) for w in words) and all(
            lexicon.is_first_name(w[0].upper() + w[1:]) or not any(is_common_word(w, language) for language in ("nl", "en"))
            for w in words
        ):
            for item in items:
                position = match.start() + item.start()
                if len(view[position].upper()) == 1:
                    chars[position] = view[position].upper()
    return "".join(chars)
