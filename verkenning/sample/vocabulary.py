"""Dutch words the sample is made of: institutions, surnames, places, sentence templates for open answers
and sticky notes. Data only; the generators decide how often each is used.
"""

from __future__ import annotations

from typing import NamedTuple


class Institution(NamedTuple):
    name: str
    kind: str  # museum, archive, heritage, library, performing, visual, film, letters, festival, education, government
    large: bool  # 50 or more people: named by respondents of large organisations
    province: str  # as the questionnaire labels provinces
    national: bool = False  # a national remit: also named by respondents who answer "Landelijk"


# Real Dutch cultural institutions: respondents name their employer, so the sample must carry names a
# de-identification step has to recognise.
REAL_INSTITUTIONS: tuple[Institution, ...] = (
    Institution("Rijksmuseum", "museum", True, "Noord-Holland"),
    Institution("Van Gogh Museum", "museum", True, "Noord-Holland"),
    Institution("Stedelijk Museum Amsterdam", "museum", True, "Noord-Holland"),
    Institution("Museum Boijmans Van Beuningen", "museum", True, "Zuid-Holland"),
    Institution("Mauritshuis", "museum", True, "Zuid-Holland"),
    Institution("Kröller-Müller Museum", "museum", True, "Gelderland"),
    Institution("Centraal Museum", "museum", True, "Utrecht"),
    Institution("Rijksmuseum Boerhaave", "museum", True, "Zuid-Holland"),
    Institution("Museum Het Valkhof", "museum", True, "Gelderland"),
    Institution("Fries Museum", "museum", True, "Fryslân"),
    Institution("Zuiderzeemuseum", "museum", True, "Noord-Holland"),
    Institution("Nationaal Archief", "archive", True, "Zuid-Holland", national=True),
    Institution("Het Utrechts Archief", "archive", True, "Utrecht"),
    Institution("Stadsarchief Amsterdam", "archive", True, "Noord-Holland"),
    Institution("Noord-Hollands Archief", "archive", True, "Noord-Holland"),
    Institution("Gelders Archief", "archive", True, "Gelderland"),
    Institution("Historisch Centrum Overijssel", "archive", True, "Overijssel"),
    Institution("Rijksdienst voor het Cultureel Erfgoed", "heritage", True, "Utrecht", national=True),
    Institution("Erfgoed Leiden en Omstreken", "heritage", True, "Zuid-Holland"),
    Institution("Nederlands Openluchtmuseum", "heritage", True, "Gelderland"),
    Institution("KB", "library", True, "Zuid-Holland", national=True),
    Institution("Koninklijke Bibliotheek", "library", True, "Zuid-Holland", national=True),
    Institution("Bibliotheek Utrecht", "library", True, "Utrecht"),
    Institution("OBA", "library", True, "Noord-Holland"),
    Institution("Bibliotheek Rotterdam", "library", True, "Zuid-Holland"),
    Institution("Bibliotheek Den Haag", "library", True, "Zuid-Holland"),
    Institution("Muziekgebouw aan 't IJ", "performing", True, "Noord-Holland"),
    Institution("Het Concertgebouw", "performing", True, "Noord-Holland"),
    Institution("Internationaal Theater Amsterdam", "performing", True, "Noord-Holland"),
    Institution("Theater De Vest", "performing", True, "Noord-Holland"),
    Institution("TivoliVredenburg", "performing", True, "Utrecht"),
    Institution("Het Nieuwe Instituut", "visual", True, "Zuid-Holland", national=True),
    Institution("Beeld en Geluid", "film", True, "Noord-Holland", national=True),
    Institution("Eye Filmmuseum", "film", True, "Noord-Holland", national=True),
    Institution("Literatuurmuseum", "letters", True, "Zuid-Holland", national=True),
    Institution("Holland Festival", "festival", True, "Noord-Holland"),
    Institution("IFFR", "festival", True, "Zuid-Holland"),
    Institution("LKCA", "education", True, "Utrecht", national=True),
    Institution("Boekmanstichting", "government", False, "Noord-Holland", national=True),
    Institution("Mondriaan Fonds", "government", True, "Noord-Holland", national=True),
    Institution("Fonds Podiumkunsten", "government", True, "Zuid-Holland", national=True),
    Institution("Museumvereniging", "government", False, "Noord-Holland", national=True),
)

# Plausible fictional institutions; the generator adds place-based ones (Bibliotheek Deventer, ...).
FICTIONAL_INSTITUTIONS: tuple[Institution, ...] = (
    Institution("Stichting Podium Noord", "performing", False, "Groningen"),
    Institution("Poppodium De Kelder", "performing", False, "Noord-Brabant"),
    Institution("Dansgezelschap Vrije Val", "performing", False, "Zuid-Holland"),
    Institution("Theatergroep Het Zuiderlicht", "performing", False, "Limburg"),
    Institution("Kamerorkest De Lindeboom", "performing", False, "Gelderland"),
    Institution("Streekmuseum De Oude Pastorie", "museum", False, "Noord-Brabant"),
    Institution("Museum De Waag", "museum", False, "Overijssel"),
    Institution("Stichting Molenerfgoed Achterhoek", "heritage", False, "Gelderland"),
    Institution("Historische Vereniging Oud-Veldhoven", "heritage", False, "Noord-Brabant"),
    Institution("Erfgoedhuis Zeeuws-Vlaanderen", "heritage", False, "Zeeland"),
    Institution("Regionaal Archief Rivierenland-Noord", "archive", False, "Gelderland"),
    Institution("Streekarchief Vechtdal", "archive", False, "Overijssel"),
    Institution("Galerie Witte Ruimte", "visual", False, "Noord-Holland"),
    Institution("Kunstenaarsinitiatief De Ketelhuis", "visual", False, "Utrecht"),
    Institution("Ontwerpstudio Kleurrijk", "visual", False, "Zuid-Holland"),
    Institution("Filmhuis De Lichtbak", "film", False, "Fryslân"),
    Institution("Studio Pixelpolder", "film", False, "Flevoland"),
    Institution("Uitgeverij De Boekenwurm", "letters", False, "Noord-Holland"),
    Institution("Poëziecentrum Noord", "letters", False, "Groningen"),
    Institution("Festival Zomerlicht", "festival", False, "Zeeland"),
    Institution("Stichting Buitenfestival Oost", "festival", False, "Overijssel"),
    Institution("Muziekschool De Toonladder", "education", False, "Drenthe"),
    Institution("Centrum voor de Kunsten Rijnstreek", "education", False, "Zuid-Holland"),
    Institution("Cultuurhuis De Kroon", "education", False, "Limburg"),
    Institution("Cultuurfonds Gelderland-Zuid", "government", False, "Gelderland"),
    Institution("Gemeente Zwartewaterland, afdeling Cultuur", "government", False, "Overijssel"),
)

# Place-based fictional institutions: "<prefix> <place>", one per kind and place.
PLACE_PREFIXES: dict[str, tuple[str, ...]] = {
    "museum": ("Stadsmuseum", "Museum", "Streekmuseum"),
    "archive": ("Regionaal Archief", "Streekarchief", "Gemeentearchief"),
    "heritage": ("Erfgoedcentrum", "Stichting Erfgoed", "Historisch Genootschap"),
    "library": ("Bibliotheek", "Bibliotheek Regio", "Openbare Bibliotheek"),
    "performing": ("Schouwburg", "Theater", "Poppodium"),
    "visual": ("Kunstruimte", "Centrum Beeldende Kunst"),
    "film": ("Filmhuis", "Filmtheater"),
    "letters": ("Literair Productiehuis", "Schrijversvakschool"),
    "festival": ("Festival", "Stadsfestival"),
    "education": ("Kunstencentrum", "Cultuurcoöperatie"),
    "government": ("Gemeente", "Cultuurfonds"),
}

# Self-employed respondents name their own business, which carries their surname.
SELF_EMPLOYED_TEMPLATES: tuple[str, ...] = (
    "{last} Cultuuradvies",
    "Studio {last}",
    "Atelier {first} {last}",
    "{first} {last} Erfgoedonderzoek",
    "Bureau {last} & Partners",
    "{last} Tekst en Vertaling",
)

# Places and their province (as the questionnaire labels provinces).
PLACE_PROVINCES: dict[str, str] = {
    "Groningen": "Groningen", "Delfzijl": "Groningen", "Veendam": "Groningen",
    "Leeuwarden": "Fryslân", "Sneek": "Fryslân", "Drachten": "Fryslân",
    "Assen": "Drenthe", "Emmen": "Drenthe", "Meppel": "Drenthe",
    "Zwolle": "Overijssel", "Deventer": "Overijssel", "Enschede": "Overijssel", "Kampen": "Overijssel",
    "Almere": "Flevoland", "Lelystad": "Flevoland",
    "Arnhem": "Gelderland", "Nijmegen": "Gelderland", "Apeldoorn": "Gelderland", "Ede": "Gelderland",
    "Zutphen": "Gelderland",
    "Utrecht": "Utrecht", "Amersfoort": "Utrecht", "Zeist": "Utrecht", "Veenendaal": "Utrecht",
    "Haarlem": "Noord-Holland", "Alkmaar": "Noord-Holland", "Hilversum": "Noord-Holland", "Hoorn": "Noord-Holland",
    "Zaandam": "Noord-Holland",
    "Leiden": "Zuid-Holland", "Delft": "Zuid-Holland", "Dordrecht": "Zuid-Holland", "Gouda": "Zuid-Holland",
    "Schiedam": "Zuid-Holland",
    "Middelburg": "Zeeland", "Vlissingen": "Zeeland", "Goes": "Zeeland",
    "Den Bosch": "Noord-Brabant", "Breda": "Noord-Brabant", "Eindhoven": "Noord-Brabant", "Tilburg": "Noord-Brabant",
    "Helmond": "Noord-Brabant",
    "Maastricht": "Limburg", "Heerlen": "Limburg", "Venlo": "Limburg", "Roermond": "Limburg", "Sittard": "Limburg",
}
PLACES: tuple[str, ...] = tuple(PLACE_PROVINCES)

# Real postcode areas with their place, for the odd address in an open answer.
POSTCODE_PLACES: tuple[tuple[str, str], ...] = (
    ("3511", "Utrecht"), ("1017", "Amsterdam"), ("2511", "Den Haag"), ("3011", "Rotterdam"),
    ("9711", "Groningen"), ("6211", "Maastricht"), ("8011", "Zwolle"), ("6511", "Nijmegen"),
    ("5611", "Eindhoven"), ("2311", "Leiden"), ("8911", "Leeuwarden"), ("7411", "Deventer"),
)

# The most common Dutch surnames; many are also ordinary words (bakker, visser, koning, de groot), which
# is exactly what makes names in free text hard to find.
COMMON_SURNAMES: tuple[str, ...] = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
    "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
    "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden",
    "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek",
    "de Bruijn", "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven",
    "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom", "Huisman",
    "Koning", "de Koning", "Timmerman", "Kuiper", "Schipper", "Molenaar", "Boer", "Groen", "Wolters",
    "de Lange", "van Wijk", "Postma", "Kramer", "Vink", "Hoek", "Dekkers", "van der Laan",
)

GENERIC_MAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com", "outlook.com", "hotmail.com", "live.nl", "ziggo.nl", "kpnmail.nl", "xs4all.nl",
    "planet.nl", "icloud.com",
)

# The newsletter that announced the survey, by month (YYYY-MM) of the response.
NEWSLETTER_URLS: dict[str, str] = {
    "2023-12": "https://nieuwsbrief.cultuurendigitaal.nl/december-2023",
    "2024-01": "https://nieuwsbrief.cultuurendigitaal.nl/januari-2024",
}

# --- "Anders, namelijk" texts, by question code ---------------------------------------------------
OTHER_TEXTS: dict[str, tuple[str, ...]] = {
    "SECTOR": (
        "Architectuur", "Cultureel ondernemerschap", "Creatieve industrie", "Mode en textiel",
        "Erfgoededucatie", "Gemeente, team cultuur", "Hbo-onderwijs (kunstvakopleiding)",
        "Zelfstandig onderzoeker", "Cultuurhistorisch adviesbureau", "Landschap en natuur",
    ),
    "ROLE": (
        "Fondsenwerving", "Projectleider", "Beleidsadviseur", "Zakelijk leider", "Docent",
        "Productieleider", "Vrijwilligerscoördinator", "Kwartiermaker digitale strategie",
        "Freelance vertaler", "Onderzoeker (promovendus)",
    ),
    "TOOLS": (
        "Whisper", "Adobe Firefly", "Perplexity", "Claude", "Notion AI", "Grammarly", "Transkribus",
        "Canva Magic Write", "Runway", "Otter.ai", "Copilot in Teams", "ElevenLabs",
    ),
    "SUPPORT": (
        "Een overzicht van betrouwbare en veilige tools",
        "Hulp bij het inkopen of aanbesteden van AI-diensten",
        "Intervisie met collega's uit andere instellingen",
        "Inzicht in het energieverbruik en duurzame alternatieven",
        "Modelcontracten voor makers",
        "Tijd! Die hebben we niet.",
    ),
}
GENERIC_OTHER_TEXTS: tuple[str, ...] = ("Iets anders", "Zie toelichting", "Combinatie van bovenstaande")

# --- open answers --------------------------------------------------------------------------------
# Placeholders: {colleague} full name, {colleague_first}, {institution}, {email}, {email_obfuscated},
# {phone}, {tool}, {place}, {address}, {url}, {emoji}. Sentences are combined, 1 to 4 per answer.
TOOL_NAMES: tuple[str, ...] = (
    "ChatGPT", "ChatGPT", "ChatGPT", "DeepL", "DeepL", "Copilot", "Whisper", "Midjourney", "DALL-E",
    "Transkribus", "Gemini",
)

OPEN_USE_SENTENCES: tuple[str, ...] = (
    "We gebruiken ChatGPT om eerste versies van zaalteksten en nieuwsbrieven te schrijven.",
    "Ik gebruik {tool} vooral om lange beleidsstukken samen te vatten; dat scheelt me zo een uur per week.",
    "Mijn collega {colleague} heeft met {tool} een proef gedaan om oude notulen en brieven te transcriberen.",
    "Bij {institution} zetten we beeldherkenning in om foto's uit de collectie van trefwoorden te voorzien.",
    "Vertalingen voor de website gaan tegenwoordig via DeepL, daarna kijkt {colleague_first} er nog even naar.",
    "Samen met {institution} hebben we een chatbot getest voor vragen van bezoekers; het resultaat was \"wisselend\", om het netjes te zeggen.",
    "Voor de ondertiteling van onze video's gebruiken we Whisper.",
    "Onze marketingafdeling maakt social-mediaberichten met hulp van AI; beelden maken we nog zelf.",
    "We experimenteren met het automatisch beschrijven van archiefstukken; de kwaliteit is nog niet goed genoeg voor publicatie.",
    "Ik laat {tool} subsidieaanvragen nalopen op taal en structuur.",
    "In ons educatieprogramma laten we leerlingen zelf ontdekken wat beeldgeneratoren wel en niet kunnen.",
    "Transcriptie van interviews voor ons oral-historyproject gaat nu grotendeels automatisch.",
    "Voor de catalogus gebruiken we AI om metadata te verrijken; zie {url}.",
    "Programmeurs in ons team gebruiken Copilot bij het bouwen van de collectiewebsite.",
    "Een kunstenaar in residentie werkt met zelf getrainde modellen op onze collectiedata.",
    "Meer weten? Bel me gerust op {phone} of mail naar {email}.",
    "Het project loopt via {colleague} ({email_obfuscated}).",
    "Eerlijk gezegd gebruiken we nog niets structureels {emoji}",
)

OPEN_NON_USE_SENTENCES: tuple[str, ...] = (
    "Wij gebruiken (nog) geen AI.",
    "Binnen onze organisatie wordt er nog niet mee gewerkt; er is geen tijd en geen budget.",
    "Ik weet niet of collega's het gebruiken; het wordt in ieder geval niet besproken.",
    "Onze directeur wil eerst beleid voordat we ermee gaan werken.",
    "Misschien in de toekomst, nu nog niet.",
)

OPEN_CONCERN_SENTENCES: tuple[str, ...] = (
    "Auteursrecht: wie is eigenaar van wat de AI maakt?",
    "Dat werk van makers zonder \"toestemming\" in trainingsdata belandt.",
    "Ik ben bang dat kleine organisaties zoals de onze achterop raken.",
    "Banen van vertalers en ontwerpers verdwijnen; mijn buurvrouw {colleague} is illustrator en ziet nu al minder opdrachten.",
    "Desinformatie: het wordt steeds moeilijker om echt van nep te onderscheiden {emoji}",
    "De afhankelijkheid van een paar grote Amerikaanse techbedrijven.",
    "Het energieverbruik staat haaks op onze duurzaamheidsambities.",
    "Privacy van bezoekers en deelnemers; wat gebeurt er met de gegevens die we invoeren?",
    "Vooroordelen in de modellen; onze collectie is al eenzijdig genoeg.",
    "Dat de sector achter de feiten aanloopt; regels komen altijd later dan de technologie.",
    "Verlies van vakmanschap: als niemand meer zelf leert beschrijven, wie controleert de machine dan nog?",
    "Dat bestuurders AI zien als bezuinigingsmaatregel.",
    "Bij {institution} is er veel enthousiasme, maar weinig kennis; dat vind ik zorgelijk.",
    "Geen zorgen eigenlijk; ik zie vooral kansen.",
)

OPEN_SUPPORT_SENTENCES: tuple[str, ...] = (
    "Een praktische handreiking over auteursrecht en AVG.",
    "Voorbeelden uit de sector, bijvoorbeeld hoe {institution} het heeft aangepakt.",
    "Een training voor ons hele team; neem gerust contact op met {colleague} ({email_obfuscated}).",
    "Een netwerkbijeenkomst in de regio, bij voorkeur in {place}.",
    "Een helpdesk waar je met vragen terecht kunt; wij zitten op {address}.",
    "Een lijst met tools die veilig zijn voor gevoelige collectiegegevens.",
    "Ethische richtlijnen die we zo kunnen overnemen; geen dikke rapporten.",
    "Hulp bij het schrijven van AI-beleid; mijn telefoonnummer is {phone}.",
    "Financiering voor kleine experimenten.",
    "Kennisdeling tussen archieven, musea en bibliotheken; nu vindt iedereen het wiel opnieuw uit.",
    "Een webinarreeks, korte sessies van een uur.",
    "Een overzicht van wat er al gebeurt, zoals op {url}.",
)

GENERIC_OPEN_SENTENCES: tuple[str, ...] = (
    "Geen opmerkingen.",
    "Goed dat dit onderzoek er is.",
    "Zie mijn eerdere antwoorden.",
    "Neem gerust contact op met {colleague} ({email}).",
)

GENERIC_SHORT_TEXTS: tuple[str, ...] = ("n.v.t.", "Geen", "Zie boven")

EMOJI: tuple[str, ...] = ("🙂", "😟", "🤖", "👍", "🙈")

# --- workshops -----------------------------------------------------------------------------------
# Sticky notes for working method 1, by canonical category; placeholders {participant}, {colleague},
# {institution}, {tool}.
NOTES: dict[str, tuple[str, ...]] = {
    "Toepassing": (
        "Zaalteksten laten herschrijven in B1-taal",
        "ChatGPT voor eerste versie van nieuwsbrief",
        "Transcriptie van interviews (Whisper)",
        "Automatisch ondertitelen van video's",
        "Beeldherkenning voor fotocollectie bij {institution}",
        "Vertalen met DeepL, daarna zelf nalopen",
        "{participant} gebruikt {tool} voor subsidieaanvragen",
        "Handschriftherkenning met Transkribus voor\nde notariële archieven",
        "Chatbot op de website (proef)",
        "Samenvatten van vergaderstukken",
        "Copilot in Teams voor notulen",
        "Beeldmateriaal voor posters laten genereren",
    ),
    "Kans": (
        "Collecties beter vindbaar maken",
        "Meer tijd voor het echte werk",
        "Toegankelijkheid: audiodescriptie en ondertiteling\nvoor iedereen",
        "Nieuwe publieksgroepen bereiken",
        "Samenwerken met {institution} aan één dataset",
        "Kleine organisaties kunnen meer met minder mensen",
        "Meertalige rondleidingen",
        "Publiek personaliseren zonder extra mensen",
        "Artistiek experiment: {colleague} maakt er een voorstelling over",
        "Achterstanden in de catalogisering wegwerken",
    ),
    "Zorg": (
        "Auteursrecht!!",
        "Wie is eigenaar van de output?",
        "Banen van vertalers en illustratoren",
        "Afhankelijkheid van big tech",
        "Energieverbruik",
        "Bias in trainingsdata,\nonze collectie is al scheef",
        "Privacy van bezoekers",
        "Betrouwbaarheid: hallucinaties in\nbeschrijvingen",
        "Geen budget en geen kennis in huis",
        "{participant}: \"we lopen achter de feiten aan\"",
        "Verlies van vakmanschap",
        "Desinformatie en deepfakes",
    ),
}

# How facilitators write each category; the first spelling is the canonical one.
CATEGORY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Toepassing": ("Toepassing", "toepassing ", "Toepassingen", "TOEPASSING"),
    "Kans": ("Kans", "kansen", "Kansen", "kans "),
    "Zorg": ("Zorg", "zorg", "Zorgen", "ZORG"),
}

FUTURE_STATEMENTS: tuple[str, ...] = (
    "In 2030 beschrijft AI het grootste deel van onze collectie",
    "In 2030 heeft elke culturele instelling een AI-beleid",
    "In 2030 zijn er minder banen in de culturele sector door AI",
    "In 2030 maakt het publiek geen onderscheid meer tussen door mensen en door AI gemaakte kunst",
    "In 2030 worden makers eerlijk betaald voor het gebruik van hun werk in AI",
    "In 2030 werken culturele instellingen samen aan eigen, open AI-modellen",
    "In 2030 is AI onmisbaar in de publiekscommunicatie",
    "In 2030 is de sector afhankelijker van grote techbedrijven dan nu",
)

# (need, theme) for working method 3.
SUPPORT_NEEDS: tuple[tuple[str, str], ...] = (
    ("Basistraining AI voor alle medewerkers", "Kennis"),
    ("Inspiratiesessies met voorbeelden uit de sector", "Kennis"),
    ("Handreiking auteursrecht en AI", "Juridisch"),
    ("Modelcontract voor makers en opdrachtgevers", "Juridisch"),
    ("AVG-toets voor AI-tools", "Juridisch"),
    ("Ethisch kader dat je zo kunt gebruiken", "Ethiek"),
    ("Gesprekskaart over bias in collecties", "Ethiek"),
    ("Fonds voor kleine experimenten", "Financiering"),
    ("Subsidie voor digitalisering en AI", "Financiering"),
    ("Regionaal netwerk van AI-ambassadeurs", "Netwerk"),
    ("Kennisdeling tussen musea, archieven en bibliotheken", "Netwerk"),
    ("Gedeelde infrastructuur voor collectiedata", "Techniek"),
    ("Helpdesk voor technische vragen", "Techniek"),
    ("Lijst met veilige tools", "Techniek"),
)

# How facilitators write the themes; the first spelling is the canonical one.
THEME_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Kennis": ("Kennis", "kennis", "Kennis "),
    "Juridisch": ("Juridisch", "juridisch", "Juridisch "),
    "Ethiek": ("Ethiek", "ethiek"),
    "Financiering": ("Financiering", "financiering", "Geld / financiering"),
    "Netwerk": ("Netwerk", "netwerk "),
    "Techniek": ("Techniek", "techniek", "Techniek "),
}

# Sector as participants write it on the attendance list: free text, not codes.
PARTICIPANT_SECTORS: dict[str, tuple[str, ...]] = {
    "museum": ("Museum", "museum", "Musea"),
    "archive": ("Archief", "archieven"),
    "heritage": ("Erfgoed", "erfgoed "),
    "library": ("Bibliotheek", "bibliotheek"),
    "performing": ("Podiumkunsten", "Theater"),
    "visual": ("Beeldende kunst", "Vormgeving"),
    "film": ("Film", "Media"),
    "letters": ("Letteren",),
    "festival": ("Festival",),
    "education": ("Cultuureducatie",),
    "government": ("Fonds", "Overheid"),
}
