"""Speakers in other languages, normalised to the same names as English speakers.

"Минобороны России", "das russische Verteidigungsministerium" and "le ministère russe de la
Défense" all become "Russian Ministry of Defence"; "Киев", "Київ", "Kiew" speaking becomes
"Government of Ukraine". The words of a speaker are looked up in `data/actors_multilingual.tsv`
(places, ministries, portfolios, governments, armed forces, organisations, public figures, per
language); what they name is written as an English phrase ("Russia's defence ministry") that
newsdesk.extract.actors.normalise_actor turns into the canonical name, so both languages share
one set of names. A speaker with words the table does not know keeps its own words: a name
("Jan Kowalski"), or the phrase as written ("военные блогеры") rather than a wrong guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..actors import normalise_actor
from .lexicon import NO_ENTRY, Entry, Table, _compile, alternatives, read_rows, tokens

# A role and a country that public_figures.tsv names a present holder for ("президент
# Украины" -> "President of Ukraine" -> Volodymyr Zelenskyy).
ROLE_TITLES = {"president": "President of {}", "prime minister": "Prime Minister of {}",
               "chancellor": "Chancellor of {}", "foreign minister": "Foreign minister of {}",
               "defence minister": "Defence minister of {}"}


@lru_cache(maxsize=16)
def actor_table(language: str) -> Table:
    """The rows of actors_multilingual.tsv for `language` and for every language ("*")."""
    rows = []
    for fields in read_rows("actors_multilingual.tsv"):
        lang, kind, pattern = (f.strip() for f in fields[:3])
        if lang not in (language, "*"):
            continue
        value = fields[3].strip() if len(fields) > 3 else ""
        try:
            rows += [Entry(kind, _compile(alt), value, alt) for alt in alternatives(pattern)]
        except re.error as error:
            raise ValueError(f"data/actors_multilingual.tsv: bad pattern {pattern!r}: {error}") from None
    return Table(rows)


@lru_cache(maxsize=1)
def present_holders() -> dict[str, str]:
    """"President of Ukraine" -> "Volodymyr Zelenskyy": roles held now (no end year given)."""
    holders: dict[str, str] = {}
    for name, _country, role, *_variants in read_rows("public_figures.tsv"):
        if not re.search(r"\(\d{4}-\d{4}\)", role):
            holders.setdefault(role.strip().casefold(), name.strip())
    return holders


@dataclass
class _Parts:
    """What the words of a speaker name."""

    places: list[str] = field(default_factory=list)
    ministry: str = ""
    portfolio: str = ""
    government: bool = False
    military: str = ""
    spokes: bool = False
    roles: list[str] = field(default_factory=list)
    org: str = ""
    person: str = ""
    actor: str = ""
    unknown: list[str] = field(default_factory=list)  # words the table does not know


def normalise_foreign(speaker: str, language: str) -> str:
    """One name per actor for a speaker written in `language` (see the module doc); '' for a
    pronoun, which names no actor."""
    parts = _parts(speaker, language)
    if parts is None:
        return ""
    return _english_name(parts) or _as_written(speaker, parts)


def _parts(speaker: str, language: str) -> _Parts | None:
    words = actor_table(language)
    toks = [t for t in tokens(speaker, language=language) if t.is_word]
    parts = _Parts()
    i = 0
    while i < len(toks):
        n, entry = _longest(words, toks, i)
        if not n:
            parts.unknown.append(toks[i].text)
            i += 1
            continue
        _add(parts, entry)
        i += n
    return parts


KINDS = ("person", "actor", "ministry", "portfolio", "place", "org", "government", "military", "spokes", "role", "function")


def _longest(words: Table, toks, i: int) -> tuple[int, Entry]:
    best: tuple[int, Entry] = (0, NO_ENTRY)
    for kind in KINDS:
        n, entry = words.match(kind, toks, i)
        if n > best[0]:
            best = (n, entry)
    return best


def _add(parts: _Parts, entry: Entry) -> None:
    kind, value = entry.kind, entry.value
    if kind == "place" and value not in parts.places:
        parts.places.append(value)
    elif kind == "ministry":
        # "Minobrony" carries its portfolio; "министерство" takes it from "обороны".
        parts.ministry = value if value != "ministry" or not parts.ministry else parts.ministry
    elif kind == "portfolio":
        parts.portfolio = value
    elif kind == "government":
        parts.government = True
    elif kind == "military":
        parts.military = parts.military or value
    elif kind == "spokes":
        parts.spokes = True
    elif kind == "role":
        parts.roles.append(value)
    elif kind == "org":
        parts.org = parts.org or value
    elif kind == "person":
        parts.person = parts.person or value
    elif kind == "actor":
        parts.actor = value


def _english_name(parts: _Parts) -> str:
    """The canonical name of what the parts name, or '' when they do not name one actor."""
    if parts.person:
        return parts.person
    named_words = [w for w in parts.unknown if w[:1].isupper()]
    if parts.unknown and (named_words != parts.unknown or parts.ministry or parts.government or parts.military):
        return ""  # words the table does not know: "российские военные блогеры"
    if named_words:
        return ""  # a name the table does not know: kept as written
    place = parts.places[0] if parts.places else ""
    if parts.actor:
        return normalise_actor(parts.actor)
    if parts.ministry or parts.portfolio:
        ministry = parts.ministry if parts.ministry != "ministry" else f"{parts.portfolio} ministry".strip()
        if ministry == "ministry":
            return ""
        return normalise_actor(f"{place}'s {ministry}" if place else f"the {ministry}")
    if parts.org:
        return normalise_actor(parts.org)
    if parts.roles and not parts.spokes:
        role = _role(parts.roles, parts.portfolio)
        holder = present_holders().get(ROLE_TITLES.get(role, "").format(place).casefold()) if place else None
        if holder:
            return holder
        return ""
    if parts.military:
        return normalise_actor(f"{place}'s {parts.military}" if place else f"the {parts.military}")
    if parts.government:
        return normalise_actor(f"{place}'s government" if place else "the government")
    if place and not parts.roles:
        return normalise_actor(place)
    return ""


def _role(roles: list[str], portfolio: str) -> str:
    if "minister" in roles and portfolio:
        return f"{portfolio} minister"
    return roles[-1]


def _as_written(speaker: str, parts: _Parts) -> str:
    """The speaker's own words: the name when its unknown words are a name ("пресс-секретарь
    Иван Петров" -> "Иван Петров"), else the phrase without leading function words."""
    named = [w for w in parts.unknown if w[:1].isupper()]
    if named and len(named) == len(parts.unknown) and len(named) >= 2:
        return " ".join(named)
    text = re.sub(r"\s+", " ", speaker).strip(" \t\n,.;:!?\"'«»„“”‚‘’()—–-")
    return text
