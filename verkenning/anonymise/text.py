"""De-identification of Dutch free text (open answers, sticky notes): names, organisations, contact details
and numbers replaced by typed, unnumbered placeholders such as [PERSOON] and [ORGANISATIE].

deduce (rule-based Dutch de-identification) finds names and places; this module adds what deduce misses
in this sector and corrects what it over-redacts:

- organisations: the project's list (schemas/reference/cultural_institutions.txt), the wave's own
  organisation names, and a pattern for unlisted ones ("Filmhuis De Lichtbak", "Drents Museum");
- people known from the restricted zone (workshop participants), in any case;
- e-mail (also obfuscated), phone (phonenumbers), IBAN and BSN (python-stdnum), postcodes and web
  addresses, from `identifier_patterns`, which the blocking leak check shares;
- deduce's name hits are trimmed where they run into an organisation or a title ("Mijn collega Fatima
  el Amrani van Het Nieuwe Instituut" -> "Mijn collega [PERSOON] van [ORGANISATIE]") and dropped where
  they are ordinary words, languages or tool names ("Zwart-wit", "naar het Engels", "Claude").

Decisions:
- a known person (the `people` argument) is redacted as full name in any case and spacing; the surname
  alone, the first name alone and "initial surname" only when written with a capital and when the word
  is not an ordinary Dutch word ("Uittenbosch" alone goes, "Bakker" alone goes, "Groot" alone does not;
  "de Groot" with its particle does). A lone first name in a workshop note identifies a participant.
- places (deduce's place names, streets with house numbers, the place after a postcode) become
  [LOCATIE]: in free text a town is a quasi-identifier the coarsened region variable does not cover.
- a text written all in capitals or all in lower case is shown to deduce with known first names (and a
  surname after one, or after a title) capitalised, so that "mijn collega jan bakker" is found too.
- famous artists and royals (Rembrandt, Vermeer, ...) and AI tool names (Claude, Whisper, ...) are not
  people here: a deduce hit that lies wholly inside one is dropped ("mevrouw Vermeer" is still a person).
- [NUMMER] replaces another long number (7+ digits, e.g. a KvK or client number); [VERWIJDERD] replaces
  a whole text whose de-identification failed, so that nothing unchecked is published.

deduce's processors that are switched off (see DEDUCE_DISABLED): dates and ages (not personal here, and
needed for analysis: "in 2023", "sinds maart", "65 jaar en ouder"), and its own BSN, phone, e-mail, URL and
postcode recognisers (replaced by the validated ones in `identifier_patterns`). Its redactor is not used:
this module writes the placeholders itself.
"""

from __future__ import annotations

import bisect
import gc
import logging
import math
import multiprocessing
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from verkenning.anonymise.identifier_patterns import IdentifierSpan, find_identifier_spans

if TYPE_CHECKING:
    import deduce

log = logging.getLogger(__name__)

PERSON = "[PERSOON]"
ORGANISATION = "[ORGANISATIE]"
EMAIL = "[EMAIL]"
PHONE = "[TELEFOON]"
LOCATION = "[LOCATIE]"
POSTCODE = "[POSTCODE]"
URL = "[URL]"
IBAN = "[IBAN]"
BSN = "[BSN]"
NUMBER = "[NUMMER]"  # another long number (7+ digits: a customer, KvK or file number)
REMOVED = "[VERWIJDERD]"  # the whole text, when de-identifying it failed: never publish what was not checked
PLACEHOLDERS: tuple[str, ...] = (PERSON, ORGANISATION, EMAIL, PHONE, LOCATION, POSTCODE, URL, IBAN, BSN, NUMBER, REMOVED)

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "schemas" / "reference"
INSTITUTIONS_FILE = REFERENCE_DIR / "cultural_institutions.txt"

# deduce's processors (by name) that are not run; see the module docstring.
DEDUCE_DISABLED = frozenset({
    "dates", "ages",  # not personal in this context; over-redaction hurts analysis
    "bsn", "phone_numbers", "email_addresses", "urls", "postal_code",  # replaced by identifier_patterns
    "redactor",  # placeholders are written here, typed and unnumbered
})
# deduce's tags (after its own post-processing) onto ours; a tag not listed is redacted as a person,
# the safe side for a tag a later deduce release might add.
DEDUCE_TAGS = {
    "persoon": PERSON, "patient": PERSON,
    "locatie": LOCATION, "straat": LOCATION, "huisnummer": LOCATION,
    "ziekenhuis": ORGANISATION, "zorginstelling": ORGANISATION, "instelling": ORGANISATION,
    "id": NUMBER, "bsn": BSN, "telefoonnummer": PHONE, "emailadres": EMAIL, "url": URL,
    "datum": None, "leeftijd": None,
}
IDENTIFIER_PLACEHOLDERS = {"email": EMAIL, "url": URL, "iban": IBAN, "bsn": BSN, "phone": PHONE, "postcode": POSTCODE}
# Own recognisers, strongest first where two spans of equal length overlap.
OWN_RANK = {EMAIL: 0, URL: 1, IBAN: 2, BSN: 3, PHONE: 4, POSTCODE: 5, PERSON: 6, ORGANISATION: 7}

# --- words ------------------------------------------------------------------------------------------
# Words that open or join sentences: never part of a name, whatever their capital ("Volgens Marleen").
FUNCTION_WORDS = frozenset("""
aan achter af al alle alleen alles als alsof altijd ander andere anders behalve beide ben bent bij binnen
boven buiten daar daarbij daardoor daarin daarmee daarna daarnaast daarom daarvan dan dankzij dat de deze die
dit doch door dus echter een eens eerst elk elke en enkele er erg even geen gelukkig graag haar had heb hebben
heeft heel helaas hem hen het hier hierbij hierdoor hiermee hij hoe hoewel hun ieder iedere iedereen iemand iets
ik in inmiddels intussen is ja je jij jouw jullie juist kan kon kunnen langs maar me meer men met mij mijn
minder misschien moet momenteel mogelijk na naar naast namens natuurlijk nee niemand niet niets nog nogal nooit
nu of ofwel om omdat onder ondanks ondertussen ons onze ook op over per reeds rond rondom samen sinds sommige
soms straks te tegen ten ter terwijl tijdens toch toen tot totdat tussen u uit uw vaak van vanaf vandaag
vanuit vanwege veel verder via volgens voor vooral voordat waar waarbij waardoor waarmee waarom wanneer want
waren was wat we wegens wel welk welke wellicht werd wie wij wil worden wordt zal ze zeer zeker zelf zich
zij zijn zo zoals zodat zodra zonder zou zullen eigenlijk bovendien tenslotte echt gewoon precies ongeveer
bijna hoi hallo beste groet groeten dank bedankt succes vriendelijke hartelijke hierover daarover waarover
omgekeerd kortom vervolgens tot slot zowel noch alsnog allemaal iedereen niks wellicht hopelijk uiteraard
bel mail e-mail mailen vraag zie kijk neem stuur lees check app contact mvg gr groetjes graag vriendelijk
""".split())
# Determiners that never stand before a person's name ("het Rijk", "een Visser").
DETERMINERS = frozenset("het een geen dit deze elk elke ieder iedere welk welke zo'n zulk zulke menig sommige alle".split())
# Ordinary words that are also names or places, on top of deduce's common words: dropped as a name at
# the start of a sentence or after a determiner ("Zwart-wit foto's", "Kunst maken", "Banen verdwijnen").
ORDINARY_WORDS = frozenset("""
zwart wit groen rood blauw geel grijs bruin oranje paars roze rijk arm kunst kunsten banen baan groot klein
jong oud lang kort hoog laag nieuw nieuwe goed best beter mooi sterk vrij blij snel stil hard zacht licht
donker bos veld berg beek dijk hoek brink haven water land zee stad dorp kerk molen toren huis hof markt plein
straat poort brug steen hout ijzer goud zilver glas vos haas wolf koning koningin prins prinses keizer graaf
hertog ridder boer boeren visser vissers kok koks smid bakker bakkers mulder schipper schippers dekker brouwer
kuiper timmerman molenaar kramer koster schouten zanger zangers schilder schilders kunstenaar beeld beelden
museum musea archief archieven bibliotheek bibliotheken podium podia theater theaters erfgoed collectie
collecties muziek dans film films tekst teksten data instituut stichting fonds gemeente provincie rijk
collega collega's directeur directie team bestuur publiek bezoekers maker makers kunst cultuur sector
januari februari maart april mei juni juli augustus september oktober november december
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag lente zomer herfst winter kerst pasen
zorg zorgen kans kansen toepassing hoop geloof liefde vrede recht wet regels beleid
conservator curator directeur hoofd medewerker coördinator adviseur beleidsadviseur manager registrator
educator projectleider teamleider programmeur programmamaker archivaris bibliothecaris bestuurder voorzitter
secretaris penningmeester vrijwilliger stagiair onderzoeker docent ontwerper fotograaf illustrator vertaler
moderne hedendaagse oude digitale educatie marketing communicatie zakelijk zakelijke leider artistiek
artistieke presentatie registratie behoud beheer informatie toezicht raad
bel boos broer brood buren dag fijn helder hemel jongen komen los oost vader
kader mark frank bas rob ton job jet lot els lieve toon merel mees vink linde iris amber jade fleur sterre
storm zon maan nova sky joy hope faith river max will mare palm koen valentijn roos lelie jasmijn
""".split())
# Languages and nationalities: "naar het Engels" is not a person. "Frans" is also a first name: see
# _is_language_use.
LANGUAGES = frozenset("""
engels duits frans spaans italiaans nederlands fries arabisch turks pools chinees japans russisch portugees
grieks latijn hebreeuws zweeds deens noors fins hongaars vlaams limburgs papiaments sranan surinaams
marokkaans berbers tamazight oekraïens koreaans hindi indonesisch maleis swahili esperanto tsjechisch
roemeens bulgaars perzisch farsi urdu somalisch tigrinya amerikaans brits europees belgisch
""".split())
# AI tools and platforms respondents name; not people ("Claude", "Otter.ai", "Whisper").
TOOL_NAMES = (
    "ChatGPT", "Chat GPT", "GPT", "GPT-3", "GPT-3.5", "GPT-4", "GPT-4o", "GPT-5", "OpenAI", "Claude", "Gemini",
    "Bard", "Copilot", "Microsoft Copilot", "DeepL", "Midjourney", "Mid Journey", "DALL-E", "DALL·E", "Dall-e",
    "DALLE", "Transkribus", "Whisper", "Perplexity", "Grammarly", "Otter.ai", "Otter", "ElevenLabs",
    "Eleven Labs", "Runway", "Firefly", "Adobe Firefly", "Adobe", "Canva", "Canva Magic Write", "Notion",
    "Notion AI", "Stable Diffusion", "Suno", "Udio", "Llama", "Mistral", "Sora", "HeyGen", "Synthesia",
    "Descript", "Leonardo.ai", "Character.ai", "Jasper AI", "Bing", "Siri", "Google", "Gemini Pro",
    "Microsoft", "Meta", "Apple", "Amazon", "Teams", "Photoshop", "Lightroom", "Premiere", "WordPress",
    "Adlib", "Axiell", "Omeka", "Memorix", "Atlantis", "Zoom", "Slack", "Hugging Face", "HuggingFace",
    "GitHub", "Python", "TikTok", "Instagram", "Facebook", "LinkedIn", "YouTube", "Spotify", "Figma",
    "Lumen5", "Murf", "Speechmatics", "Amberscript", "Trint", "Tactiq", "Fireflies", "Gamma", "Beautiful.ai",
    "Elicit", "Consensus", "NotebookLM", "Le Chat", "Grok", "DeepSeek", "Qwen", "Pi", "Poe", "Replika",
)
# Famous artists, writers and royals: public figures, named for the work, not people to protect here.
# Names that are also common first names (Juliana, Beatrix) are listed only with their title.
FAMOUS_NAMES = (
    "Rembrandt", "Rembrandt van Rijn", "Vermeer", "Johannes Vermeer", "Van Gogh", "Vincent van Gogh",
    "Mondriaan", "Piet Mondriaan", "Mondrian", "Escher", "M.C. Escher", "Jheronimus Bosch", "Hieronymus Bosch",
    "Frans Hals", "Karel Appel", "Picasso", "Monet", "Da Vinci", "Leonardo da Vinci", "Michelangelo",
    "Mozart", "Bach", "Beethoven", "Shakespeare", "Vondel", "Multatuli", "Erasmus", "Spinoza", "Anne Frank",
    "Willem-Alexander", "Koningin Máxima", "Prinses Beatrix", "Koningin Beatrix", "Willem van Oranje", "Banksy",
    "Dick Bruna", "Nijntje", "Sinterklaas", "Zwarte Piet",
)
# Organisation "names" that are not a name: answers like "n.v.t." or "zzp" must not redact every "zzp".
GENERIC_ORGANISATION_VALUES = frozenset("""
n.v.t. nvt n.v.t n.b. nb geen - -- --- x xx ? ?? . zzp zzp'er zzper zzp-er freelance freelancer zelfstandig
zelfstandige eenmanszaak onbekend anoniem privé prive particulier gepensioneerd student studente nee ja
diverse divers meerdere verschillende idem zie eigen geheim vrijwilliger werkloos
""".split()) | {"eigen bedrijf", "eigen onderneming", "zelfstandig ondernemer", "zie boven", "wil ik niet zeggen", "geen organisatie", "niet van toepassing"}

# Organisations not on any list: a capitalised type word with a name ("Filmhuis De Lichtbak", "Gemeente
# Zwolle"), a name with a type word ("Drents Museum"), or a capitalised compound ("het Zuiderzeemuseum").
ORG_HEADS = (
    "Museum", "Stadsmuseum", "Streekmuseum", "Openluchtmuseum", "Bibliotheek", "Archief", "Streekarchief",
    "Gemeentearchief", "Stadsarchief", "Theater", "Theatergroep", "Toneelgroep", "Schouwburg",
    "Stadsschouwburg", "Filmhuis", "Filmtheater", "Bioscoop", "Uitgeverij", "Studio", "Ontwerpstudio",
    "Atelier", "Bureau", "Galerie", "Festival", "Stadsfestival", "Filmfestival", "Poppodium", "Podium",
    "Cultuurhuis", "Erfgoedhuis", "Erfgoedcentrum", "Kunstencentrum", "Kunstruimte", "Cultuurcentrum",
    "Muziekschool", "Kamerorkest", "Orkest", "Symfonieorkest", "Ensemble", "Koor", "Dansgezelschap",
    "Gezelschap", "Collectief", "Stichting", "Vereniging", "Fonds", "Cultuurfonds", "Gemeente", "Provincie",
    "Kunstenaarsinitiatief", "Poëziecentrum", "Productiehuis", "Muziekcentrum", "Cultuurcoöperatie",
    "Omroep", "Academie", "Hogeschool", "Universiteit", "Conservatorium", "Instituut", "Centrum",
    "Historisch Genootschap", "Historische Vereniging", "Regionaal Archief", "Literair Productiehuis",
    "Schrijversvakschool", "Openbare Bibliotheek", "Centrum Beeldende Kunst", "Erfgoed", "Kunstuitleen",
    "Concertzaal", "Muziekpodium", "Jazzpodium", "Dansschool", "Balletschool", "Toneelschool", "Fotostudio",
    "Drukkerij", "Boekhandel", "Cultuurpodium", "Kunstcentrum", "Expositieruimte", "Cultuurcentrum",
)
ORG_TAILS = (
    "Museum", "Archief", "Bibliotheek", "Theater", "Festival", "Instituut", "Fonds", "Orkest", "Filmhuis",
    "Filmtheater", "Schouwburg", "Stadsschouwburg", "Concertgebouw", "Muziekgebouw", "Podium", "Poppodium",
    "Academie", "Conservatorium", "Collectief", "Gezelschap", "Ensemble", "Koor", "Kwartier", "Filmmuseum",
    "Kunstenaarsinitiatief", "Erfgoedcentrum", "Kunstencentrum", "Cultuurfonds", "Genootschap",
)
ORG_COMPOUND_ENDINGS = (
    "museum", "archief", "bibliotheek", "theater", "schouwburg", "festival", "fonds", "stichting", "orkest",
    "gebouw", "podium", "academie", "instituut", "filmhuis", "vereniging", "genootschap", "collectief",
)
_UPPER = "A-ZÀ-ÖØ-Þ"
_NAME_TOKEN = rf"[{_UPPER}][\w'’\-]*(?:\.[{_UPPER}][\w'’\-]*)*"
_LINKERS = r"(?:de|het|van|voor|aan|der|den|'t|’t|op|in|te|ten|ter|of|the|bij)"
_GAP = r"[ \t\u00a0]+"


def _alternation(words: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", _GAP) for w in sorted(set(words), key=len, reverse=True)) + ")"


ORG_COMPOUND_RE = re.compile(rf"(?<![\w\-])[{_UPPER}][a-zà-ÿ]{{2,}}(?:{'|'.join(ORG_COMPOUND_ENDINGS)})(?![\w\-])")
# The words of a name after the type word, particles between them ("Centrum voor de Kunsten"). "en" does
# not join: "Filmhuis X en Theater Y" are two organisations (a listed "Beeld en Geluid" is matched whole).
_NAME_CONTINUATION = rf"{_GAP}(?:{_LINKERS}{_GAP}){{0,3}}{_NAME_TOKEN}"
ORG_AFTER_HEAD_RE = re.compile(rf"(?<![\w\-]){_alternation(ORG_HEADS)}(?:{_NAME_CONTINUATION}){{1,5}}(?![\w\-])")
ORG_BEFORE_TAIL_RE = re.compile(
    rf"(?<![\w\-])(?:{_NAME_TOKEN}{_GAP}){{1,3}}{_alternation(ORG_TAILS)}(?:{_NAME_CONTINUATION}){{0,4}}(?![\w\-])"
)
EXISTING_PLACEHOLDER_RE = re.compile(r"\[(?:" + "|".join(re.escape(p[1:-1]) for p in PLACEHOLDERS) + r")(?:-\d+)?\]")
_WORD_RE = re.compile(r"[^\W_](?:[\w'’\-.]*[^\W_])?\.?")
_LETTER_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


# Above this many distinct texts in one column, de-identification is shared out over the cores (about 1.5 ms a
# text, against some 3 s for a worker process to load deduce).
PARALLEL_MIN_TEXTS = 4_000
_worker_deidentifier: TextDeidentifier | None = None


def _start_worker(organisations: list[str], people: list[str]) -> None:
    global _worker_deidentifier
    _worker_deidentifier = TextDeidentifier(organisations, people)


def _deidentify_share(texts: list[str]) -> list[Deidentified]:
    assert _worker_deidentifier is not None, "only called in worker processes started by TextDeidentifier"
    return [_worker_deidentifier.deidentify(text) for text in texts]


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
class _Lexicon:
    """Word knowledge taken from deduce's lookup lists, shared by every de-identifier of a process."""

    ordinary: frozenset[str]  # lower case: words that are ordinary Dutch words first
    titles: frozenset[str]  # lower case, without the dot: collega, mevrouw, dhr, dr, ...
    particles: frozenset[str]  # lower case: van, de, der, el, ...
    first_names: object  # deduce LookupTrie (case-sensitive: "Sander")
    surnames: object
    placenames: object
    interfix_surnames: frozenset[str] = frozenset()  # surnames that follow a particle: "Meer", "Berg"
    # unions used per word, computed once
    particles_and_function_words: frozenset[str] = frozenset()
    titles_and_particles: frozenset[str] = frozenset()
    ordinary_and_particles: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    model = load_deduce()
    structs = model.lookup_structs
    common = {w.lower() for w in structs["common_word"].items()} | {w.lower() for w in structs["stop_word"].items()}
    titles = {w.lower().rstrip(".") for w in structs["prefix"].items()} | {"collega", "collegaatje", "oud-collega", "heer", "juf", "meester"}
    particles = set()
    for item in structs["interfix"].items():
        particles.update(item.lower().split())
    ordinary = frozenset(common | FUNCTION_WORDS | ORDINARY_WORDS)
    return _Lexicon(
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


# --- matching names in any case, accent and spacing --------------------------------------------------
_ACCENTS = {
    "a": "aàáâäãå", "e": "eèéêë", "i": "iìíîï", "o": "oòóôöõø", "u": "uùúûü", "c": "cç", "n": "nñ", "y": "yýÿ",
}
_APOSTROPHES = "'’‘`´"
_SEPARATOR = "\x00"  # between the words of a name in the trie: any run of spaces or hyphens, or none
_SEPARATOR_RE = r"[ \t\u00a0\-]*"  # never a line break: a name does not run over two lines


def _strip_accents(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))


def _name_words(name: str) -> list[str]:
    """A name's words: split at spaces and hyphens, and where a lower-case letter meets a capital
    (TivoliVredenburg -> Tivoli Vredenburg); apostrophes unified."""
    name = "".join("'" if c in _APOSTROPHES else c for c in name)
    name = re.sub(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])", " ", name)
    return [w for w in re.split(r"[\s\-\u00a0]+", name.strip()) if w]


def _char_pattern(char: str, ignore_case: bool) -> str:
    if char == _SEPARATOR:
        return _SEPARATOR_RE
    if char == "'":
        return "[" + _APOSTROPHES + "]"
    base = char.lower()
    if base in _ACCENTS:
        variants = _ACCENTS[base]
        if not ignore_case:
            variants = variants.upper() if char.isupper() else variants
        return "[" + variants + "]"
    return re.escape(char)


def _trie_pattern(keys: Iterable[str], ignore_case: bool) -> str | None:
    """One regular expression for many names, as a character trie: a text is scanned once, not once
    per name, and at each position the longest name wins (shorter ones are tried on backtracking)."""
    trie: dict = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return None

    def emit(node: dict) -> str:
        terminal = "" in node
        branches = [_char_pattern(char, ignore_case) + emit(child) for char, child in node.items() if char != ""]
        if not branches:
            return ""
        if len(branches) == 1 and not terminal:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if terminal else "")

    return r"(?<![\w])" + "(?:" + emit(trie) + r")(?![\w])"


def _trie_key(words: Sequence[str], ignore_case: bool) -> str:
    words = [_strip_accents(w) for w in words]
    if ignore_case:
        words = [w.casefold() for w in words]
    return _SEPARATOR.join(words)


@dataclass
class _NameKeys:
    """The keys of one name matcher, split by how they are matched."""

    any_case: set[str] = field(default_factory=set)
    as_written: set[str] = field(default_factory=set)

    def add(self, words: Sequence[str], any_case: bool) -> None:
        if words:
            (self.any_case if any_case else self.as_written).add(_trie_key(words, any_case))

    def compile(self) -> list[re.Pattern[str]]:
        patterns = []
        for keys, flags in ((self.any_case, re.IGNORECASE), (self.as_written, 0)):
            pattern = _trie_pattern(sorted(keys), ignore_case=bool(flags))
            if pattern:
                patterns.append(re.compile(pattern, flags))
        return patterns


def _is_acronym(words: Sequence[str]) -> bool:
    return len(words) == 1 and len(words[0]) <= 6 and words[0].upper() == words[0] and any(c.isalpha() for c in words[0])


def _with_ampersand_variants(name: str) -> list[str]:
    variants = [name]
    if re.search(r"\s&\s", name):
        variants.append(re.sub(r"\s&\s", " en ", name))
    if re.search(r"\sen\s", name):
        variants.append(re.sub(r"\sen\s", " & ", name))
    return variants


def read_institution_list(path: Path = INSTITUTIONS_FILE) -> list[str]:
    """The project's list of cultural institutions: one name per line, "#" starts a comment line."""
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.append(line)
    return names


def _is_generic_organisation(name: str, lexicon: _Lexicon) -> bool:
    folded = " ".join(name.casefold().split())
    if folded in GENERIC_ORGANISATION_VALUES or sum(c.isalnum() for c in folded) < 2:
        return True
    words = _name_words(name)
    if len(words) == 1:
        word = words[0].casefold()
        if word in lexicon.ordinary or word in LANGUAGES or word in _TOOL_WORDS:
            return True
        return len(word) < 3 and not _is_acronym(words)
    return False


_TOOL_WORDS = frozenset(t.casefold() for t in TOOL_NAMES)
_ARTICLES = ("de", "het", "'t")


def _add_organisation(keys: _NameKeys, name: str, lexicon: _Lexicon, derived: bool = False) -> None:
    """Add an organisation name and the forms people write it in."""
    name = " ".join(name.split())
    if not name or _is_generic_organisation(name, lexicon):
        return
    # "Gemeente Zwartewaterland, afdeling Cultuur" and "Rijksdienst voor het Cultureel Erfgoed (RCE)":
    # the part before the comma or bracket and the bracketed acronym are names too.
    head = re.split(r"\s*[,(;/|]\s*|\s+-\s+", name, maxsplit=1)[0]
    if head and head != name and not derived:
        _add_organisation(keys, head, lexicon, derived=True)
    for bracketed in re.findall(r"\(([^()]+)\)", name):
        if not derived:
            _add_organisation(keys, bracketed, lexicon, derived=True)
    for variant in _with_ampersand_variants(name):
        words = _name_words(variant)
        if _is_acronym(words):
            keys.add(words, any_case=False)
        elif words[0].casefold() in _ARTICLES:
            # "De Doelen" is matched with its capitals ("de doelen van het project" is not an organisation);
            # the article may be written either way.
            rest = words[1:]
            if rest:
                keys.add([words[0].capitalize(), *rest], any_case=False)
                keys.add([words[0].lower(), *rest], any_case=False)
                if len(rest) >= 2:
                    keys.add(rest, any_case=False)
        else:
            keys.add(words, any_case=not derived)
            # "Stichting Podium Noord" is also written "Podium Noord".
            if words[0].casefold() in {"stichting", "vereniging", "st.", "stg."} and len(words) >= 3:
                keys.add(words[1:], any_case=False)


def _add_person(full: _NameKeys, parts: _NameKeys, name: str, lexicon: _Lexicon) -> None:
    """A known person's name: the full name in any case; the surname (with its particles), the first
    name and "initial surname" as written with capitals, unless they are ordinary words."""
    name = " ".join(name.replace(",", " ").split())
    if name.isupper() or name.islower():
        name = name.title()  # "JAN DE GROOT", "jan de groot": the parts are matched with their capitals
    words = _name_words(name)
    if not words or sum(c.isalpha() for c in name) < 2:
        return

    def distinctive(word: str) -> bool:
        folded = word.casefold()
        return len(folded) >= 3 and folded not in lexicon.ordinary and folded not in LANGUAGES and folded not in _TOOL_WORDS

    if len(words) == 1:
        if distinctive(words[0]):
            parts.add([words[0][0].upper() + words[0][1:]], any_case=False)
        return
    full.add(words, any_case=True)
    first, rest = words[0], words[1:]
    particles = []
    while rest and rest[0].casefold() in lexicon.particles and len(rest) > 1:
        particles.append(rest.pop(0))
    surname = rest
    capitalised = [w[0].upper() + w[1:] for w in surname]
    if particles:
        # "de Groot", "De Groot", "van den Heuvel": the particles make it a name, even when the surname
        # alone is an ordinary word.
        for lead in ([p.lower() for p in particles], [particles[0].capitalize(), *[p.lower() for p in particles[1:]]]):
            parts.add([*lead, *capitalised], any_case=False)
    if len(surname) > 1 or distinctive(surname[0]):
        parts.add(capitalised, any_case=False)
    if distinctive(first):
        parts.add([first[0].upper() + first[1:]], any_case=False)
    # "M. de Groot", "M de Groot"
    initial = first[0].upper()
    for initial_form in (initial + ".", initial):
        parts.add([initial_form, *[p.lower() for p in particles], *capitalised], any_case=False)


@lru_cache(maxsize=1)
def _protected_pattern() -> re.Pattern[str]:
    """Tool names and famous names: a name hit of deduce that lies wholly inside one is dropped."""
    keys = _NameKeys()
    for name in (*TOOL_NAMES, *FAMOUS_NAMES):
        keys.add(_name_words(name), any_case=True)
    return keys.compile()[0]


@lru_cache(maxsize=1)
def _institution_list() -> tuple[str, ...]:
    return tuple(read_institution_list())


# --- spans --------------------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class _Span:
    start: int
    end: int
    placeholder: str


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


class _Intervals:
    """Non-overlapping spans kept sorted by start, so that overlap queries on a long text stay cheap."""

    def __init__(self, spans: Iterable[_Span] = ()) -> None:
        self._starts: list[int] = []
        self._spans: list[_Span] = []
        for span in spans:
            self.add(span)

    def add(self, span: _Span) -> None:
        index = bisect.bisect_left(self._starts, span.start)
        self._starts.insert(index, span.start)
        self._spans.insert(index, span)

    def overlapping(self, start: int, end: int) -> list[_Span]:
        index = max(bisect.bisect_right(self._starts, start) - 1, 0)
        found = []
        while index < len(self._spans) and self._spans[index].start < end:
            if self._spans[index].end > start:
                found.append(self._spans[index])
            index += 1
        return found

    def covering(self, start: int, end: int) -> bool:
        return any(s.start <= start and end <= s.end for s in self.overlapping(start, end))

    def __iter__(self):
        return iter(self._spans)


def _intervals_of(pattern: re.Pattern[str], text: str) -> _Intervals:
    return _Intervals(_Span(m.start(), m.end(), "") for m in pattern.finditer(text))


def _pick_longest(candidates: list[_Span]) -> _Intervals:
    """Non-overlapping spans, longest first; on equal length the stronger recogniser wins."""
    chosen = _Intervals()
    for span in sorted(candidates, key=lambda s: (-(s.end - s.start), OWN_RANK.get(s.placeholder, 9), s.start)):
        if not chosen.overlapping(span.start, span.end):
            chosen.add(span)
    return chosen


def _subtract(start: int, end: int, taken: _Intervals) -> list[tuple[int, int]]:
    """The parts of [start, end) that no taken span covers."""
    pieces = []
    position = start
    for span in taken.overlapping(start, end):
        if span.start > position:
            pieces.append((position, span.start))
        position = max(position, span.end)
    if position < end:
        pieces.append((position, end))
    return pieces


_SENTENCE_END = ".!?:;\n\r•"
_SKIP_BEFORE_WORD = " \t\u00a0\"'“”‘’„«»([{-–—*·>"


def _at_sentence_start(text: str, position: int) -> bool:
    i = position - 1
    while i >= 0 and text[i] in _SKIP_BEFORE_WORD:
        if text[i] in "-–—*" and (i == 0 or text[i - 1] in "\n\r"):
            return True
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END or not (text[i].isalnum() or text[i] in ",")


def _previous_word(text: str, position: int) -> str:
    match = re.search(r"([^\W_][\w'’]*)[^\w\n]*$", text[max(0, position - 40):position])
    return match.group(1).casefold() if match else ""


def _next_word(text: str, position: int) -> str:
    match = re.match(r"[^\w\n]*([^\W_][\w'’]*)", text[position:position + 40])
    return match.group(1).casefold() if match else ""


def _is_language_use(text: str, start: int, end: int, word: str) -> bool:
    """"Engels", "Duits" are languages; "Frans" only where the context says so ("naar het Frans",
    "Engels en Frans"), since Frans is also a first name."""
    if word != "frans":
        return True
    before = _previous_word(text, start)
    if before in {"het", "naar", "uit", "vanuit", "in"}:
        return True
    if before in {"en", "of"}:
        word_start = text.rfind(before, max(0, start - 20), start)
        return _previous_word(text, word_start) in LANGUAGES
    after = _next_word(text, end)
    if after in {"en", "of"}:
        return _next_word(text, text.find(after, end) + len(after)) in LANGUAGES
    return False


# --- the de-identifier ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Deidentified:
    text: str | None
    redactions: Counter[str]


class TextDeidentifier:
    """Replaces identifying parts of Dutch free text by typed placeholders; build once per wave."""

    def __init__(self, organisations: Iterable[str] = (), people: Iterable[str] = ()) -> None:
        """organisations: every ORGNAME of the wave and the organisations on the workshop attendance lists
        (added to the project's list in schemas/reference/cultural_institutions.txt, loaded automatically);
        people: names known from the restricted zone (e.g. workshop participants' names) that must be
        redacted wherever they occur."""
        organisations, people = list(organisations), list(people)
        self._arguments = (organisations, people)  # to build the same de-identifier in a worker process
        self._deduce = load_deduce()
        self._lexicon = _lexicon()
        org_keys = _NameKeys()
        for name in (*_institution_list(), *(o for o in organisations if isinstance(o, str))):
            _add_organisation(org_keys, name, self._lexicon)
        self._organisation_patterns = org_keys.compile()
        full, parts = _NameKeys(), _NameKeys()
        for name in people:
            if isinstance(name, str):
                _add_person(full, parts, name, self._lexicon)
        self._people_patterns = full.compile() + parts.compile()
        self._protected = _protected_pattern()

    # -- public ------------------------------------------------------------------------------------
    def find(self, text: str) -> list[_Span]:
        """Where the identifiers in `text` are: non-overlapping spans (start, end, placeholder) in text order."""
        return [
            _Span(offset + span.start, offset + span.end, span.placeholder)
            for offset, chunk in _chunks(text)
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
        try:
            spans = self.find(text)
        except Exception as exc:  # noqa: BLE001 - nothing unchecked may be published
            log.warning("De-identifying a text of %d characters failed (%s); the text is withheld.", len(text), type(exc).__name__)
            return Deidentified(REMOVED, Counter({REMOVED: 1}))
        pieces, position = [], 0
        for span in spans:
            pieces.append(text[position:span.start])
            pieces.append(span.placeholder)
            position = span.end
        pieces.append(text[position:])
        return Deidentified("".join(pieces), Counter(span.placeholder for span in spans))

    def deidentify_many(self, texts: Sequence[str | None]) -> tuple[list[str | None], Counter[str]]:
        """De-identify a column of texts: each distinct text once (the same text gives the same result),
        None and blank texts kept as they are; the redaction counts summed over all texts."""
        distinct = list(dict.fromkeys(text for text in texts if isinstance(text, str) and text.strip()))
        results = dict(zip(distinct, self._deidentify_distinct(distinct)))
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

    def _deidentify_distinct(self, texts: list[str]) -> list[Deidentified]:
        """Each text de-identified, in order; many texts are shared out over the machine's cores."""
        if len(texts) < PARALLEL_MIN_TEXTS or len(os.sched_getaffinity(0)) < 2:
            return [self.deidentify(text) for text in texts]
        # This process takes the first half, one worker process the second: a worker loads its own deduce
        # (1.1 GiB), so more of them would cost more memory than a larger machine gives back in time. It is
        # spawned, not forked: a fork of a running pipeline can inherit a lock that another thread held, and hang.
        size = math.ceil(len(texts) / 2)
        shares = [texts[start:start + size] for start in range(0, len(texts), size)]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(len(shares) - 1, mp_context=context, initializer=_start_worker, initargs=self._arguments) as pool:
            others = [pool.submit(_deidentify_share, share) for share in shares[1:]]
            results = [self.deidentify(text) for text in shares[0]]
            for other in others:
                results += other.result()
        return results

    # -- recognisers ---------------------------------------------------------------------------------
    def _spans(self, text: str) -> list[_Span]:
        placeholders = _intervals_of(EXISTING_PLACEHOLDER_RE, text)
        own = [s for s in self._own_spans(text) if not placeholders.overlapping(s.start, s.end)]
        taken = _pick_longest(own)
        protected_names = _intervals_of(self._protected, text)
        for span in self._deduce_spans(text, taken, placeholders, protected_names):
            if not taken.overlapping(span.start, span.end):
                taken.add(span)
        spans = self._extend_names(text, list(taken), (placeholders, protected_names))
        return _merge_adjacent_names(text, spans, self._lexicon)

    def _extend_names(self, text: str, spans: list[_Span], protected: tuple[_Intervals, ...]) -> list[_Span]:
        """deduce stops at a name part that is also an ordinary word: "Zakaria Lijn", "Lot van der Laan".
        A capitalised word right after a first name, or a first name right before a surname, mid-sentence,
        belongs to the name."""
        lexicon = self._lexicon
        extended: list[_Span] = []
        for index, span in enumerate(spans):
            start, end = span.start, span.end
            if span.placeholder == PERSON:
                last = list(_WORD_RE.finditer(text, start, end))
                after = _NAME_AFTER_RE.match(text, end)
                if (
                    after and last and lexicon.first_names.longest_matching_prefix([last[-1].group()]) is not None
                    and self._may_join_name(after.group(1), text, after.start(1), protected)
                ):
                    end = after.end(1)
                before = _NAME_BEFORE_RE.search(text[max(0, start - 60):start])
                if before:
                    word = before.group(1)
                    word_start = start - len(before.group(0))
                    known_first_name = lexicon.first_names.longest_matching_prefix([word]) is not None
                    # Before "van der Laan" any capitalised word mid-sentence is the first name ("Lot");
                    # right before a bare surname only a known first name is.
                    if (known_first_name or before.group(2)) and self._may_join_name(
                        word, text, word_start, protected, sentence_start_ok=known_first_name
                    ):
                        start = word_start
            previous_end = extended[-1].end if extended else -1
            next_start = spans[index + 1].start if index + 1 < len(spans) else len(text) + 1
            if start < previous_end or end > next_start:
                start, end = span.start, span.end
            extended.append(_Span(start, end, span.placeholder))
        return extended

    def _may_join_name(
        self, word: str, text: str, position: int, protected: tuple[_Intervals, ...], sentence_start_ok: bool = False
    ) -> bool:
        folded = word.casefold().rstrip(".")
        if word.isupper() and len(word) > 1:
            return False
        if folded in FUNCTION_WORDS or folded in self._lexicon.titles or folded in _TOOL_WORDS or folded in LANGUAGES:
            return False
        if word in ORG_HEADS or word in ORG_TAILS or folded in {"ai", "ict"}:
            return False
        if any(intervals.overlapping(position, position + len(word)) for intervals in protected):
            return False
        if text[position + len(word):position + len(word) + 1] == "-":
            return False
        return sentence_start_ok or not _at_sentence_start(text, position)

    def _own_spans(self, text: str) -> list[_Span]:
        identifiers = find_identifier_spans(text)
        spans = [_Span(s.start, s.end, IDENTIFIER_PLACEHOLDERS[s.kind]) for s in identifiers]
        spans.extend(_names_from_email_addresses(text, [s for s in identifiers if s.kind == "email"], self._lexicon))
        spans.extend(_places_after_postcodes(text, [s for s in identifiers if s.kind == "postcode"]))
        for pattern in self._people_patterns:
            spans.extend(_Span(m.start(), m.end(), PERSON) for m in pattern.finditer(text))
        for pattern in self._organisation_patterns:
            spans.extend(_Span(m.start(), m.end(), ORGANISATION) for m in pattern.finditer(text))
        spans.extend(self._organisation_pattern_spans(text))
        return spans

    def _organisation_pattern_spans(self, text: str) -> list[_Span]:
        """Unlisted organisations, by their form. Leading function or ordinary words are left out ("Elk
        Museum", "Mooi Theater" are no names) and so are trailing articles ("bij Museum De" ends before
        "De"); a type word alone is not a name."""
        spans = []
        ordinary = self._lexicon.ordinary
        for regex in (ORG_AFTER_HEAD_RE, ORG_BEFORE_TAIL_RE):
            for match in regex.finditer(text):
                words = list(_WORD_RE.finditer(text, match.start(), match.end()))
                if regex is ORG_BEFORE_TAIL_RE:
                    while words and (words[0].group().casefold() in ordinary or words[0].group().casefold() in DETERMINERS):
                        words.pop(0)
                    if words and words[0].group() in ORG_TAILS:
                        continue
                while words and words[-1].group().casefold() in _LINKER_WORDS:
                    words.pop()
                if len(words) >= 2:
                    spans.append(_Span(words[0].start(), words[-1].end(), ORGANISATION))
        for match in ORG_COMPOUND_RE.finditer(text):
            if not _at_sentence_start(text, match.start()):
                spans.append(_Span(match.start(), match.end(), ORGANISATION))
        return spans

    # -- deduce -----------------------------------------------------------------------------------------
    def _deduce_view(self, text: str) -> str:
        """The text deduce reads: as written, unless it is all in capitals or all in lower case, when
        deduce would see no names; then known first names (and a surname after one or after a title)
        get a capital. Same length as the text, so positions carry over."""
        plain = EXISTING_PLACEHOLDER_RE.sub(" ", text)
        letters = [c for c in plain if c.isalpha()]
        if len(letters) < 4:
            return text
        capitals = sum(c.isupper() for c in letters)
        words = [m.group() for m in _LETTER_WORD_RE.finditer(plain)]
        # A placeholder stands for a name that was written with a capital: the text is not all lower case.
        capitalised = [w for w in words if w[0].isupper() and not w.isupper()] + EXISTING_PLACEHOLDER_RE.findall(text)
        if capitals / len(letters) > 0.6:
            base = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        elif not capitalised and len(words) >= 3:
            base = text
        else:
            return text
        chars = list(base)
        lexicon = self._lexicon
        matches = list(_LETTER_WORD_RE.finditer(base))
        name_before = after_particle = False
        for match in matches:
            word = match.group()
            folded = word.casefold()
            capital = word[0].upper() + word[1:]
            if len(capital[0]) != 1:
                name_before = False
                continue
            is_first = (
                len(folded) >= 3 and folded not in lexicon.ordinary and folded not in LANGUAGES
                and folded not in _TOOL_WORDS and lexicon.first_names.longest_matching_prefix([capital]) is not None
            )
            is_surname_after_name = name_before and (
                lexicon.surnames.longest_matching_prefix([capital]) is not None
                or (after_particle and capital in lexicon.interfix_surnames)
            )
            if is_first or is_surname_after_name:
                chars[match.start()] = capital[0]
                name_before, after_particle = True, False
            elif folded in lexicon.titles:
                name_before, after_particle = True, False
            elif folded in lexicon.particles and name_before:
                after_particle = True  # "jan de groot": the surname may follow its particles
            else:
                name_before = after_particle = False
        return "".join(chars)

    def _deduce_spans(
        self, text: str, taken: _Intervals, protected: _Intervals, protected_names: _Intervals
    ) -> list[_Span]:
        view = self._deduce_view(text)
        document = self._deduce.deidentify(view, disabled=set(DEDUCE_DISABLED))
        spans = []
        for annotation in sorted(document.annotations, key=lambda a: a.start_char):
            placeholder = DEDUCE_TAGS.get(annotation.tag, PERSON)
            if placeholder is None:
                continue
            for start, end in _subtract(annotation.start_char, annotation.end_char, taken):
                for line_start, line_end in _split_lines(view, start, end):
                    span = self._checked_deduce_span(view, line_start, line_end, placeholder, protected, protected_names)
                    if span is not None:
                        spans.append(span)
        return spans

    def _checked_deduce_span(
        self,
        text: str,
        start: int,
        end: int,
        placeholder: str,
        protected: _Intervals,
        protected_names: _Intervals,
    ) -> _Span | None:
        """A deduce hit, trimmed to the name itself, or None where it is not a name."""
        if protected.overlapping(start, end):
            return None
        if placeholder == NUMBER:
            digits = sum(c.isdigit() for c in text[start:end])
            return _Span(start, end, NUMBER) if digits >= 7 else None
        lexicon = self._lexicon
        words = list(_WORD_RE.finditer(text, start, end))
        # Function words around a name: "Volgens" in "Volgens Marleen" (capitalised at a sentence start),
        # lower-case ones at either end. A capitalised one after a particle is a surname ("van der Meer").
        while words and words[0].group().casefold().rstrip(".") in FUNCTION_WORDS and words[0].group().casefold() not in lexicon.particles and (
            words[0].group()[0].islower() or _at_sentence_start(text, words[0].start())
        ):
            words.pop(0)
        while words and (
            words[-1].group().casefold() in lexicon.particles
            or (words[-1].group().casefold().rstrip(".") in FUNCTION_WORDS and words[-1].group()[0].islower())
        ):
            words.pop()
        if not words:
            return None
        outer_start, outer_end = words[0].start(), words[-1].end()
        if protected_names.covering(outer_start, outer_end):
            return None
        if placeholder == PERSON and len(words) > 1:
            # deduce reads "In Den Haag" as a name ("in den" is a name particle): a place is a place.
            for first in range(len(words) - 1):
                tokens = [w.group() for w in words[first:]]
                place = lexicon.placenames.longest_matching_prefix(tokens)
                if place is not None and len(place) == len(tokens):
                    return _Span(words[first].start(), outer_end, LOCATION)
                if words[first].group().casefold() not in lexicon.particles_and_function_words:
                    break
        titled = False
        while words and words[0].group().casefold().rstrip(".") in lexicon.titles_and_particles:
            titled = titled or words[0].group().casefold().rstrip(".") in lexicon.titles
            words.pop(0)
        while words and words[-1].group().casefold().rstrip(".") in lexicon.particles:
            words.pop()
        if not words:
            return None
        if not any(w.group()[0].isupper() or w.group()[0].isdigit() for w in words):
            return None
        if len(words) > 1 and not titled and all(
            w.group().casefold().rstrip(".") in lexicon.ordinary_and_particles
            and lexicon.first_names.longest_matching_prefix([w.group()]) is None
            for w in words
        ):
            return None  # "Conservator Moderne Kunst", "Zwart Goud": capitalised words, no name among them
        start, end = words[0].start(), words[-1].end()
        if text[end - 1] == "." and not re.fullmatch(r"[A-Z]\.", text[end - 2:end]):
            end -= 1  # a sentence's full stop, not an initial's
        if len(words) == 1 and not titled:
            word = words[0].group().rstrip(".")
            folded = word.casefold()
            if folded in LANGUAGES and placeholder == PERSON and _is_language_use(text, start, end, folded):
                return None
            if _previous_word(text, start) in DETERMINERS:
                return None
            if folded in lexicon.ordinary and (
                _at_sentence_start(text, start) or text[end:end + 1] == "-" or placeholder != PERSON
            ):
                return None
            if folded in _TOOL_WORDS:
                return None
        if placeholder == PERSON:
            place = lexicon.placenames.longest_matching_prefix([w.group() for w in words])
            if place is not None and len(place) == len(words):
                placeholder = LOCATION
        return _Span(start, end, placeholder)


# Local parts of e-mail addresses that are not a person's name.
_GENERIC_MAILBOXES = frozenset("""
info contact secretariaat mail post admin office hallo welkom noreply no-reply redactie pers kassa receptie
bestuur directie educatie collectie collecties marketing communicatie programma programmering servicedesk
helpdesk support vragen reserveringen tickets vrienden nieuws nieuwsbrief webmaster team studio museum archief
bibliotheek theater festival fonds subsidie subsidies projecten project algemeen balie bureau
""".split())
_EMAIL_LOCAL_RE = re.compile(r"^(.*?)(?:[ \t\u00a0]*[@\[\(\{<]|[ \t\u00a0]+(?:at|AT|At|apenstaartje)[ \t\u00a0]+)")


def _names_from_email_addresses(text: str, emails: list[IdentifierSpan], lexicon: _Lexicon) -> list[_Span]:
    """The name in an e-mail address's local part names its owner elsewhere in the text: "Zakaria Lijn
    (z.lijn@...)", "Lot van der Laan (l.vanderlaan@...)". Whole words, capitalised, outside the address."""
    spans: list[_Span] = []
    if not emails:
        return spans
    for email in emails:
        # The owner's name is written near the address: look 300 characters around it, not the whole text.
        window_start, window_end = max(0, email.start - 300), min(len(text), email.end + 300)
        words = [
            w for w in _WORD_RE.finditer(text, window_start, window_end)
            if not any(e.start <= w.start() < e.end for e in emails if _overlaps(e.start, e.end, window_start, window_end))
        ]
        local = _EMAIL_LOCAL_RE.match(text[email.start:email.end])
        if local is None:
            continue
        parts = [p for p in re.split(r"[._+\-]+", re.sub(r"[ \t\u00a0]", "", local.group(1)).casefold()) if p]
        initials = {p for p in parts if len(p) == 1}
        for part in parts:
            if len(part) < 3 or part in _GENERIC_MAILBOXES or part in lexicon.titles:
                continue
            for i in range(len(words)):
                joined = ""
                for j in range(i, min(i + 4, len(words))):
                    if j > i and words[j].start() - words[j - 1].end() > 2:
                        break
                    joined += _strip_accents(words[j].group()).casefold().replace("'", "").replace("-", "")
                    if len(joined) > len(part) or not part.startswith(joined):
                        break
                    if joined == part and words[j].group()[0].isupper():
                        start = words[i].start()
                        # The first name before it, when its initial is in the address ("l.vanderlaan").
                        if i > 0 and words[i].start() - words[i - 1].end() <= 2:
                            previous = words[i - 1].group()
                            if previous[0].isupper() and previous[0].casefold() in initials and previous.casefold() not in FUNCTION_WORDS:
                                start = words[i - 1].start()
                        spans.append(_Span(start, words[j].end(), PERSON))
                        break
    return spans


_PLACE_AFTER_POSTCODE_RE = re.compile(r"[ \t\u00a0]+((?:'s[ \-])?[A-ZÀ-Þ][\w'’]*(?:-[\w'’]+)*(?:[ \t](?:aan den|aan de|aan|op|a/d|bij|in|den)?[ \t]?[A-ZÀ-Þ][\w'’]*(?:-[\w'’]+)*)?)")


def _places_after_postcodes(text: str, postcodes: list[IdentifierSpan]) -> list[_Span]:
    """The place after a postcode ("1017 CA Amsterdam", "2311 AB Leiden"): deduce does not know every
    place that is also a word."""
    spans = []
    for postcode in postcodes:
        match = _PLACE_AFTER_POSTCODE_RE.match(text, postcode.end)
        if match:
            spans.append(_Span(match.start(1), match.end(1), LOCATION))
    return spans


# Words that join two names rather than belong to one ("Jan En Piet" in a title-cased note).
_NOT_IN_NAMES = frozenset("en of maar met voor door bij aan naar zoals via dan als want noch plus vs versus and or".split())


def _merge_adjacent_names(text: str, spans: list[_Span], lexicon: _Lexicon) -> list[_Span]:
    """One [PERSOON] for one name, also where its parts were found by different recognisers."""
    merged: list[_Span] = []
    for span in spans:
        if merged and span.placeholder == PERSON and merged[-1].placeholder == PERSON:
            gap = text[merged[-1].end:span.start]
            gap_words = gap.split()
            # Only spaces, name particles, or one capitalised name word ("Mohammed Ben Ali") between them.
            if "\n" not in gap and "\r" not in gap and len(gap) <= 12 and (
                not gap.strip(" \t\u00a0")
                or all(w.casefold() in lexicon.particles for w in gap_words)
                or (
                    len(gap_words) == 1 and gap_words[0][0].isupper() and gap_words[0].isalpha()
                    and gap_words[0].casefold() not in _NOT_IN_NAMES and gap_words[0].casefold() not in _TOOL_WORDS
                )
            ):
                merged[-1] = _Span(merged[-1].start, span.end, PERSON)
                continue
        merged.append(span)
    return merged


_NAME_AFTER_RE = re.compile(rf"[ \t\u00a0]({_NAME_TOKEN})")
_PARTICLE_WORDS = r"(?i:van|de|der|den|het|'t|’t|ter|ten|te|el|al|la|le|du|da|di|dos|von|zur|op|in|uit|aan|bij|ben|bin|ibn|abu)"
# A first name before a surname, with the surname's particles between them ("Lot van der Laan").
_NAME_BEFORE_RE = re.compile(rf"(?<![\w\-])({_NAME_TOKEN})((?:[ \t\u00a0]+{_PARTICLE_WORDS})*)[ \t\u00a0]+$")
_LINKER_WORDS = {"de", "het", "van", "voor", "aan", "der", "den", "'t", "’t", "en", "&", "op", "in", "te", "ten", "ter", "of", "the", "and", "bij"}


CHUNK_SIZE = 3000


def _chunks(text: str, size: int = CHUNK_SIZE) -> list[tuple[int, str]]:
    """A very long text in pieces of about `size` characters, cut at a line break or a sentence end (names
    do not run across those); deduce's cost grows faster than the length of a text."""
    if len(text) <= size:
        return [(0, text)]
    pieces, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = max(window.rfind("\n"), *(window.rfind(end) + 1 for end in (". ", "! ", "? ")))
        if cut < size // 3:
            cut = window.rfind(" ")
        if cut < size // 3:
            cut = size
        pieces.append((start, text[start:start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def _split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span that crosses a line break becomes one span per line: line breaks are kept."""
    pieces, position = [], start
    for match in re.finditer(r"[\r\n]+", text[start:end]):
        pieces.append((position, start + match.start()))
        position = start + match.end()
    pieces.append((position, end))
    return [(s, e) for s, e in pieces if e > s]
