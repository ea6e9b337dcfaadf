"""Numbers written in words, Dutch, English and German: "achtenvijftig", "tweeëntwintig", "thirty-eight",
"achtundfünfzig", "negentienhonderdachtenzestig", ordinals ("vierde", "zeventigste", "fourth"). For ages,
dates of birth in words ("vier oktober negentienhonderdachtenzestig") and phone numbers spelled out digit
group by digit group ("nul zes, vierendertig, negenenvijftig, ...")."""

from __future__ import annotations

import re

_NL_UNITS = {"een": 1, "één": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9}
_NL_TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80, "negentig": 90,
}
_NL_OTHERS = {
    "nul": 0, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16,
    "zeventien": 17, "achttien": 18, "negentien": 19,
}
_EN_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_EN_OTHERS = {
    "zero": 0, "oh": 0, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_DE_UNITS = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}
_DE_TENS = {
    "zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40, "fünfzig": 50, "fuenfzig": 50, "sechzig": 60,
    "siebzig": 70, "achtzig": 80, "neunzig": 90,
}
_DE_OTHERS = {
    "null": 0, "eins": 1, "zehn": 10, "elf": 11, "zwölf": 12, "zwoelf": 12, "dreizehn": 13, "vierzehn": 14,
    "fünfzehn": 15, "fuenfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
}


def _below_hundred() -> dict[str, int]:
    values = {**_NL_UNITS, **_NL_TENS, **_NL_OTHERS, **_EN_UNITS, **_EN_TENS, **_EN_OTHERS}
    values.update({**_DE_UNITS, **_DE_TENS, **_DE_OTHERS})
    for unit, u in _NL_UNITS.items():
        for tens, t in _NL_TENS.items():
            joins = ("ën", "en", "-en-") if unit.endswith("e") else ("en", "-en-")
            values.update({unit + join + tens: t + u for join in joins})
    for tens, t in _EN_TENS.items():
        for unit, u in _EN_UNITS.items():
            values.update({tens + "-" + unit: t + u, tens + unit: t + u})
    for unit, u in _DE_UNITS.items():
        for tens, t in _DE_TENS.items():
            values[unit + "und" + tens] = t + u
    return values


BELOW_HUNDRED = _below_hundred()
_IRREGULAR_ORDINALS = {
    "eerste": 1, "derde": 3, "first": 1, "second": 2, "third": 3, "fifth": 5, "eighth": 8, "ninth": 9, "twelfth": 12,
    "erste": 1, "dritte": 3, "siebte": 7, "achte": 8,
}
NUMBER_WORD_RE = re.compile(r"[^\W\d_][^\W\d_\-]*(?:-[^\W\d_]+)*")
# Letters every number word has: a text without them holds no number in words.
NUMBER_WORD_HINTS = (
    "nul", "een", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf",
    "tig", "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "teen", "ty", "zig", "ßig", "zehn", "zwei", "drei", "sechs", "sieben", "neun", "zwölf",
)


def number_value(word: str) -> int | None:
    """The number a word stands for (0 to 9999), or None: "achtenvijftig" 58, "thirty-eight" 38,
    "negentienhonderdachtenzestig" 1968, "tweeduizenddrie" 2003, "honderd" 100."""
    word = word.lower()
    if word in BELOW_HUNDRED:
        return BELOW_HUNDRED[word]
    for big, factor in (("duizend", 1000), ("honderd", 100)):
        left, found, right = word.partition(big)
        if not found:
            continue
        high = 1 if left == "" else number_value(left)
        low = 0 if right == "" else number_value(right.removeprefix("en"))
        if high is None or low is None or high == 0 or low >= factor or (factor == 100 and high >= 100):
            return None
        return high * factor + low
    return None


def ordinal_value(word: str) -> int | None:
    """The number of an ordinal: "vierde" 4, "zeventigste" 70, "eenentwintigste" 21, "fourth" 4,
    "thirty-first" 31, "seventieth" 70."""
    word = word.lower()
    head, _, last = word.rpartition("-")
    if head and word not in _IRREGULAR_ORDINALS:
        tens, unit = BELOW_HUNDRED.get(head), ordinal_value(last)
        return tens + unit if tens is not None and unit is not None and tens % 10 == 0 and unit < 10 else None
    if word in _IRREGULAR_ORDINALS:
        return _IRREGULAR_ORDINALS[word]
    for suffix in ("ste", "de", "th", "te"):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if stem.endswith("ie") and suffix == "th":
                stem = stem[:-2] + "y"  # "seventieth"
            value = number_value(stem)
            if value is not None and value > 0:
                return value
    return None


def digits_of(token: str) -> str | None:
    """A phone number's digit group written in digits or words: "06" "06", "zes" "6", "vierendertig" "34"."""
    if token.isdigit():
        return token
    value = BELOW_HUNDRED.get(token.lower())
    if value is None and "-" in token:  # "nul-zes"
        parts = [digits_of(part) for part in token.split("-")]
        return None if None in parts else "".join(parts)
    return None if value is None else str(value)
