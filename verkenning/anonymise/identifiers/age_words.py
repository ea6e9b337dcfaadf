"""The words and patterns around a person's age (`age.py` decides with them): number words, what may follow
an age ("jaar oud", "-jarige", "y/o"), the words before it (pronouns, verbs, labels, person nouns), and the
words that make a number something else (averages, ranges, things that are "25-jarig")."""

from __future__ import annotations

import re

from verkenning.anonymise.identifiers.common import REFERENCE_DIR, S, reference_words, word_set

NL_NUMBER_WORDS = (
    r"(?:(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën|-en-))?"
    r"(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)"
    r"|tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien|honderd"
)
EN_NUMBER_WORDS = (
    r"(?:twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety)(?:[\- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)
DE_NUMBER_WORDS = (
    r"(?:(?:ein|zwei|drei|vier|fünf|fuenf|sechs|sieben|acht|neun)und)?"
    r"(?:zwanzig|dreißig|dreissig|vierzig|fünfzig|fuenfzig|sechzig|siebzig|achtzig|neunzig)"
)
AGE_DIGITS_RE = re.compile(r"(?<![\w.,\-/€$+])\d{1,3}(?![\d]|[.,]\d)")
AGE_NUMBER_WORD_RE = re.compile(
    rf"(?i)(?<![\w\-])(?:{NL_NUMBER_WORDS}|{EN_NUMBER_WORDS}|{DE_NUMBER_WORDS})(?=jarig|jährig|[\W_]|$)"
)
# Letters every number word of an age has: a text without them and without a digit states no age.
NUMBER_WORD_HINTS = ("tig", "zig", "ßig", "ty", "tien", "teen", "zehn", "elf", "twaalf", "twelve", "zwölf", "honderd")
YEARS_WORD = r"(?:jaar|jaren|jr\.?|years?|yrs?\.?|jahre|jahren|ans)"
AGE_TAIL_RE = re.compile(rf"(?i){S}*-?{S}*{YEARS_WORD}(?P<old>(?:{S}+|-)(?:oud|old|alt|of{S}+age))?(?![\w])")
AGE_JARIG_RE = re.compile(r"(?i)[ \t]?-?[ \t]?(?:jarige?n?|jährige?[rnms]?)(?![\w])")
AGE_SHORT_RE = re.compile(r"(?i)[ \t]?(?:y/o|y\.o\.|yo)(?![\w])")
AGE_BAND_RE = re.compile(r"(?i)(?:\+|-)?(?:['’\-]?er|plusser|-plusser)(?![\w])")  # "60+'er", "60-plusser"
# "(58)", "(58 jaar)", "(81!)", "(33 jr)": the unit, when there is one, in group "unit".
AGE_CLOSE_RE = re.compile(rf"(?i)(?:{S}*(?P<unit>jaar|jr\.?|j|years|yrs|jahre))?{S}*[!?]{{0,3}}{S}*\)")
GENDER_WORDS = word_set("m v f w x man vrouw male female mann frau non-binair nonbinair non-binary")
AGE_THEN_GENDER_RE = re.compile(
    rf"(?i)(?:{S}*(?:jaar|jr\.?|j|years|yrs))?{S}*[,/;]{S}*(?:{'|'.join(sorted(GENDER_WORDS, key=len, reverse=True))}){S}*\)"
)
AGE_THEN_GENDER_WORD_RE = re.compile(rf"(?i)(?:{S}*(?:jaar|jr\.?|years))?{S}*,{S}*(?:man|vrouw|male|female|mann|frau)(?![\w])")
AGE_THEN_COMMA_RE = re.compile(rf"(?i)(?:{S}*(?:jaar|jr\.?|years|jahre))?{S}*,")
AGE_THEN_VERB_RE = re.compile(rf"(?i){S}+(?:was|werd|ben|is|word|wordt|turned|war|wurde|bin|werde)(?![\w])")
LEFT_TOKEN_RE = re.compile(r"[^\W\d_][\w'’\-]*|\S")

PRONOUNS = word_set("ik hij zij ze u jij je i he she they ich er sie")
SELF_VERBS = word_set("ben bent is was word wordt werd am turn turned are bin ist werde wurde war")
SELF_ALONE = word_set("ben bent i'm i’m he's she's he’s she’s j'ai j’ai")
IS_VERBS = word_set("is was wordt werd ist war")
POSSESSIVES = word_set("mijn onze zijn haar een de my our his her mein meine unser unsere")
WHEN_WORDS = word_set("toen als nu sinds omdat dat when since seit wenn")
ADVERB_WORDS = word_set("""
    nu inmiddels zelf bijna ruim net pas al ondertussen intussen precies ongeveer rond circa ca begin eind
    midden now almost nearly just already over jetzt fast schon knapp über bald recent onlangs binnenkort
    straks soon zo'n zo’n about around
""")
ADVERB_PAIRS = frozenset({
    ("in", "de"), ("rond", "de"), ("over", "de"), ("boven", "de"), ("onder", "de"), ("sinds", "kort"),
    ("vorige", "week"), ("volgend", "jaar"), ("volgende", "maand"), ("dit", "jaar"), ("next", "year"),
    ("this", "year"), ("nächstes", "jahr"), ("dieses", "jahr"), ("meer", "dan"), ("more", "than"),
})
DURATION_ADVERBS = word_set("al already schon")
AGE_LABELS = word_set("leeftijd lft lftd age aged alter âge")
LABEL_CONNECTORS = word_set(": = - – ( is van of von de was bedraagt about around ongeveer circa ca nu ruim bijna the")
AVERAGE_WORDS = word_set("gemiddelde gemiddeld average mean durchschnittliche durchschnittsalter mediane median")
BAND_CUES = word_set("als ben am bin")
RANGE_BEFORE_RE = re.compile(rf"(?i)\d{S}*(?:-|–|tot|t/m|en|of|à|a|to|and|or|bis|und|oder){S}*(?:de{S}+)?$")
AVERAGE_BEFORE_RE = re.compile(
    r"(?i)\b(?:gemiddeld|gemiddelde|gemiddeld genomen|doorgaans|meestal|average|averaging|mean|median|mediaan|typically"
    r"|durchschnittlich|im schnitt|durchschnitt)\b(?:[ \t]+\w+){0,3}[ \t]*$"
)
DETERMINERS = word_set("de het een dit dat deze die onze ons the a an this that our der die das ein eine dieses")
ARTICLES = word_set("een a an ein eine")
# People: "een vrouw van 64", "mijn moeder is 82", "a woman of 64"; compounds end in one ("museumdocent").
PERSON_NOUN_ENDINGS = tuple(sorted(reference_words("person_nouns.txt")))
CHILD_ENDINGS = ("kind", "zoon", "dochter", "jongen", "meisje", "kleinkind", "puber", "tiener", "son", "daughter", "girl", "boy")
SELF_WORDS = word_set("ik ikzelf zelf i myself ich")
# Capitalised words before "is 58" that are no person ("Het is 20 uur", "Nederland is 80% ...").
CAPITALISED_NOT_NAMES = word_set("""
    het dit dat er wat die deze hier daar nu dan ook alles niets iets men wie welke
    it this that there what which who everything nothing das es er sie wer was dies
    nederland amsterdam rotterdam utrecht europa ai
""")
# Nouns after "-jarig(e)" that make it the age of a thing: "25-jarig bestaan", "een 3-jarig project".
NOT_PERSON_AFTER_JARIG = tuple(sorted(reference_words("not_a_person_after_jarig.txt")))
# After "jaar" an age ends ("ik ben 58 jaar.", "58 jaar en werk"); a duration goes on ("30 jaar werkzaam").
AFTER_AGE_YEARS = word_set("en maar dus oud jong geworden and but so old young und aber alt")
AFTER_AGE_NUMBER = word_set("en maar dus geworden jong oud nu inmiddels al hoor ofzo toen want and but so now old young und aber jetzt alt")
SUBJECT_BEFORE_RE = re.compile(
    rf"(?i)(?:\b(?:het|dit|dat|deze|die|it|this|that|es|das|er)|\b(?:de|het|dit|dat|deze|die|een|onze?|mijn|zijn|haar|hun"
    rf"|the|this|that|our|my|its|der|die|das|dieses?){S}+(?P<noun>[\w\-]+)){S}+(?:is|was|wordt|werd|zijn|waren|are|were"
    rf"|ist|war|sind){S}+(?:(?:al|nu|ruim|bijna|ongeveer|zo'n|meer{S}+dan|over{S}+de|more{S}+than|about|almost|over"
    rf"|fast|über){S}+)*$"
    rf"|(?i:\b(?:is|was|wordt|werd|zijn|waren|are|were|ist|war|sind){S}+(?:de|het|dit|dat|deze|die|onze?|the|this|that|our|its"
    rf"|der|die|das|dieses?){S}+(?P<noun2>[\w\-]+){S}+)$"
)
# Verbs of a change of age: "I turned 50 last year", "ik werd 60 in maart" (anything may follow).
CHANGE_VERBS = word_set("turned turn turns werd word wordt wurde werde")
# Relations and persons in an apposition: "Mijn moeder, 87 jaar, ...", "(mijn zoon, 16)".
APPOSITION_OPENERS = word_set("mijn m'n onze ons zijn z'n haar hun je jouw de een my our his her their the a mein meine unser unsere")
# Words before a bracketed years figure that make it a duration: "ik werk hier al lang (33 jaar)".
DURATION_BEFORE_RE = re.compile(
    r"(?i)\b(?:al|sinds|lang|langer|ervaring|werkzaam|gewerkt|werk|werkt|dienst|actief|looptijd|duur|duurde|periode"
    r"|gedurende|lid|getrouwd|samen|bestaat|bestaan|for|since|experience|worked|working|member|married|seit|erfahrung)\b"
    r"[^\n.;!?()]*$"
)
# What follows "mit 73 Jahren" in a text without capitals when it is an age: a verb or a pronoun.
GERMAN_AFTER_AGE = word_set("habe hab hat hatte bin war ist wurde fing begann ging kam ich er sie und aber zog lernte")
# "a 29-year-old sound artist" after "I am a", "as a", "ik ben een", "als", "ich bin ein".
SELF_DESCRIPTION_RE = re.compile(
    rf"(?i)(?:\b(?:i\s+am|i'm|i’m|he\s+is|she\s+is|he's|she's|ik\s+ben|ich\s+bin)(?:{S}+(?:a|an|een|ein|eine|now|nu|jetzt))?"
    rf"|\b(?:as|als)(?:{S}+(?:a|an|een|ein|eine))?){S}+$"
)
# "op mijn 70e", "mijn 72ste verjaardag", "on my 70th birthday", "op mijn zeventigste".
POSSESSIVE_ORDINAL_RE = re.compile(
    rf"(?i)(?<![\w])(?P<owner>mijn|m'n|m’n|zijn|z'n|z’n|haar|hun|jouw|je|my|his|her|their|meinem|seinem|ihrem)"
    rf"{S}+(?:(?P<digits>\d{{1,3}})(?:e|ste|de|th|st|nd|rd|\.)|(?P<word>[^\W\d_]+(?:-[^\W\d_]+)?))(?![\w])"
)
FIRST_PERSON_OWNERS = word_set("mijn m'n m’n my meinem je jouw")
# A thing the ordinal may belong to: "het museum viert zijn 100ste verjaardag".
THING_BEFORE_RE = re.compile(
    rf"(?i)\b(?:het|de|dit|deze|ons|onze|the|this|our|das|der|die|unser|unsere){S}+(?P<noun>[^\W\d_][\w\-]*)[^.;!?\n]*$"
)
# Cheap tests first, on the text in lower case.
OWNER_HINT_RE = re.compile(r"(?<![\w])(?:mijn|m['’]n|zijn|z['’]n|haar|hun|jouw|je|my|his|her|their|meinem|seinem|ihrem)[ \t]")
GENDER_AGE_HINT_RE = re.compile(r"[MVFWmvfw][ \t]?/|/[ \t]?[MVFWmvfw]|[MVFmvf]\d\d")
TIME_PREPOSITIONS = word_set("""
    op bij vanaf sinds tot na voor rond tegen at since from until by before after around mit seit ab bis vor nach zu an
""")
BIRTHDAY_WORDS = word_set("verjaardag verjaardagsfeest levensjaar birthday geburtstag lebensjahr")
# Nouns an ordinal ranks that are not an age: "op mijn 3e poging", "mijn 2e baan".
RANKED_NOUNS = word_set("""
    keer poging plaats plek baan boek album editie seizoen ronde kans stap les kind dag week maand jaar werkdag
    time try attempt place job book album season round step day week month year
""")
# "M/42", "V/35", "42/M", "m42": gender and age in the shorthand of a signature or a profile.
GENDER_AGE_RE = re.compile(
    r"(?<![\w/.,€$+\-])(?:(?P<g1>[MVFWmvfw])[ \t]?/[ \t]?(?P<a1>\d{2})|(?P<a2>\d{2})[ \t]?/[ \t]?(?P<g2>[MVFWmvfw])"
    r"|(?P<g3>[MVFmvf])(?P<a3>\d{2}))(?![\w/%])"
)
ALONE_BEFORE_RE = re.compile(r"(?:^|[\n(,;:]|\bik)[ \t]*$", re.IGNORECASE)
ALONE_AFTER_RE = re.compile(r"[ \t]*(?:$|[\n),;:]|[-–][ \t])")
# Capitals that name no person before "(58)": acronyms (schemas/reference/text/common_acronyms.txt).
COMMON_ACRONYMS = frozenset(reference_words("common_acronyms.txt", REFERENCE_DIR / "text")) | word_set("ai gpt llm")
