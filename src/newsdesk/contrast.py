"""Disputes: questions on which different parties make claims that are not the same claim.

Two figures are on the same question when they measure the same thing about the same subject:
- they count, or are an amount of, the same noun (`Quantity.noun`: "territory", "terminal");
- their units measure the same kind of thing (two shares, two sums of money, two areas, two
  counts), or one is a share of the noun and the other an amount of it: Moscow's "63.2% of
  the territory" and Kyiv's "several hundred square kilometres of territory" are two accounts
  of one question, which `reconcilable` says cannot be compared directly;
- the places each claim names, when both name some, are the same places (a poll in Ohio and
  a poll in Florida are not one question);
- they are of one event (`_same_event`): a story can hold several bombings or several
  companies' job cuts, and their counts are not two accounts of one figure. Two figures are of
  different events when their items name countries but none in common (a crash in China,
  another told by Indonesian investigators), when their claims name different towns (Samarra,
  Baghdad) or different parts of one place ("central" and "western" Baghdad, "central" and
  "northern" China), when their contents put them on days more than a day apart ("Tuesday",
  "Thursday"), or when each is an organisation's count of its own ("it plans to cut 575 jobs")
  and the organisations differ. A count of "others" (of a group named before it) is no measure
  to dispute, nor is a total over separate events ("killed in separate bombings"): it is no one
  event's count.
Figures that agree (the same value, or bounds and ranges that overlap) are not disputed, and
sums in different currencies are left alone (one is likely a conversion of the other).

The sides are parties: a pronoun ("he", "it") is no party, nor is a place before a headline's
colon ("Ukraine: Gazprom charging 37% more"), which labels the topic rather than quoting
anyone. Two speakers that name the same party ("the report", "a United Nations report") are
one side. The same party stating different figures for different dates has revised them.

`kind` tells the two apart: "contested" when some pair of parties state their figures for the
same date (or either is undated), "stale" when every disagreement is between figures stated
for different dates, so that the older ones may simply be out of date.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from .extract.actors import country_of, is_country, is_pronoun
from .extract.dates import WEEKDAYS
from .extract.quantities import participle, stated_by
from .model import Claim, Dispute, Mention, Quantity, Side

_PLACE_TYPES = {"GPE", "LOC"}
_EVENT_PLACES = {"GPE", "LOC", "FAC"}
_DIMENSIONS = {
    "percent": "share",
    "USD": "money", "EUR": "money", "GBP": "money", "JPY": "money", "RUB": "money", "UAH": "money",
    "square kilometre": "area", "square mile": "area", "hectare": "area",
    "kilometre": "length", "mile": "length", "metre": "length",
    "tonne": "mass", "barrel": "volume",
}
# Bound words that widen a figure to a range around it when checking whether two agree.
_APPROXIMATE = {"about", "around", "roughly", "approximately", "some", "an estimated", "nearly", "almost"}
_NOT_NAMES = {"the", "a", "an", "of", "and", "for", "on", "in", "to"}
_NAMED_TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}
# Verbs that report one quantity in different words: the territory one side retook and the
# other still holds, the terminals stopped and those still operating, the dead and the killed.
_FAMILIES = [
    "hold control retain keep occupy retake recapture capture seize take lose liberate regain reclaim gain",
    "kill die perish slay murder execute",
    "injure wound hurt",
    "stop strike halt close shut operate work run function open",
    "arrest detain jail imprison hold",
    "flee displace evacuate leave",
    "sell buy purchase pay cost spend earn make owe raise",
    "rise grow increase climb jump fall drop decline shrink slip plunge",
    "attend vote join gather march protest rally",
    "support back favour favor prefer oppose approve disapprove",
]
_AUXILIARIES = {"have", "has", "had", "can", "could", "will", "would", "may", "might", "must",
                "shall", "should", "do", "does", "did", "not", "n't", "be", "been"}
_FAMILY_FORMS = [{participle(v) for v in family.split()} for family in _FAMILIES]


def find_disputes(claims: list[Claim], mentions: list[Mention],
                  duplicate_of: dict[int, int] | None = None, times: list[Mention] | None = None,
                  texts: dict[int, str] | None = None) -> tuple[list[Dispute], list[Claim]]:
    """Disputes between parties, and the claims that are their sides (a claim to which another
    party opposes its own figure for the same measure: summarize.unframed keeps its "X says").
    `duplicate_of` (item -> its canonical copy) lets each side count its independent origins,
    so that merged copies of one report count once. `times` (the items' DATE mentions) and
    `texts` (item -> text) let two figures be told apart as of different events (different
    days; "central" and "western" Baghdad); without them only the places named do."""
    places = _places_by_item(mentions)
    named = _named_by_item(mentions)
    stated = [(c, q) for c in claims if is_party(c, places.get(c.item, [])) and stated_by(c)
              for q in c.quantities if q.noun and q.noun not in _REFERENCES and _dimension(q)
              and not _SEPARATE_EVENTS.search(c.content)]
    anchors = _anchors_of([c for c, _ in stated], mentions, times or [], texts or {})
    edges: dict[str, list[tuple[int, int]]] = defaultdict(list)  # noun -> pairs of positions in `stated`
    apart: set[tuple[int, int]] = set()  # pairs on one question but of different subjects or events
    for (i, (a, qa)), (j, (b, qb)) in combinations(enumerate(stated), 2):
        if a is b or qa.noun != qb.noun or not _same_predicate(qa, qb):
            continue
        assert qa.noun is not None  # `stated` keeps figures with a noun only
        if not (_same_subject(a, b, named) and _same_event(anchors[id(a)], anchors[id(b)])):
            apart.add((i, j))  # even figures that agree: two events are never one dispute's sides
        elif _same_question(a, qa, b, qb):
            edges[qa.noun].append((i, j))
    canonical = duplicate_of or {}
    disputes: list[Dispute] = []
    sides: list[Claim] = []
    for noun in sorted(edges):
        groups = [g for found in _components(edges[noun]) for g in _one_event(found, apart)]
        for component in [g for g in groups if any(i in g and j in g for i, j in edges[noun])]:
            members = [stated[k] for k in sorted(component)]
            disputes.append(_dispute(noun, members, component, edges[noun], stated, places, canonical))
            sides += [c for c, _ in members if not any(c is s for s in sides)]
    # Every member claim: callers only ask `claim in sides` (claims are not hashable), and a
    # claim left out of a repeated dispute (_without_repeats) is disputed all the same.
    return _without_repeats(disputes), sides


def is_party(claim: Claim, places: list[Mention]) -> bool:
    """Whether a claim's speaker is someone: not a pronoun, not a place that labels a
    headline's topic ("Ukraine: Gazprom charging 37% more"), not a dateline ("KANDAHAR,
    Afghanistan: ...", "LONDON, August 17"). `places`: place mentions (GPE, LOC) of the
    claim's item, if known."""
    if is_pronoun(claim.speaker) or is_pronoun(claim.actor):
        return False
    spans = claim.source_span or []
    named = [m for m in places if m.item == claim.item and any(m.start < e and s < m.end for s, e in spans)]
    if claim.cue.strip() == ":" and (named or country_of(claim.speaker)):
        return False
    first = claim.speaker.split()[0].strip(",") if claim.speaker.split() else ""
    dateline = first.isupper() and len(first) > 2 and (country_of(first) or any(
        m.text.split()[0].strip(",") == first for m in named))
    return not dateline


def _dimension(q: Quantity) -> str | None:
    """What kind of thing the unit measures: a share, money, an area, ... or a count."""
    if q.unit is None:
        return None
    return _DIMENSIONS.get(q.unit, "count")


def _same_question(a: Claim, qa: Quantity, b: Claim, qb: Quantity) -> bool:
    """Two parties' figures measuring the same thing, disagreeing."""
    if qa.noun != qb.noun or (qa.item, qa.start) == (qb.item, qb.start) or not _same_predicate(qa, qb):
        return False
    if _same_party(a, b) and (qa.as_of is None or qb.as_of is None or qa.as_of == qb.as_of):
        return False  # one party, one date: two figures of its own, not a revision
    da, db = _dimension(qa), _dimension(qb)
    if da != db and "share" not in (da, db):
        return False
    if da == db == "money" and qa.unit != qb.unit:
        return False  # likely one sum converted
    return not _agree(qa, qb)


def _predicate(q: Quantity) -> str | None:
    """The participle that ends a figure's measure ("territory controlled"), None when the
    measure names the thing only."""
    words = q.measure.casefold().split()
    if "that" in words[1:-1]:  # "terminals that (had) stopped work": the verb as written
        return next((w for w in words[words.index("that", 1) + 1:] if w not in _AUXILIARIES), None)
    if len(words) < 2 or (q.noun and words[-1].startswith(q.noun[:4])):
        return None
    return words[-1]


def _same_predicate(qa: Quantity, qb: Quantity) -> bool:
    """Both figures say what happened to the thing, in the same words or words of one family
    ("retaken" and "controlled" territory; "stopped" and "operated" terminals)."""
    pa, pb = _predicate(qa), _predicate(qb)
    if pa is None or pb is None:
        return False
    return pa == pb or any(pa in forms and pb in forms for forms in _FAMILY_FORMS)


def _named_by_item(mentions: list[Mention]) -> dict[int, list[Mention]]:
    named: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.type in _NAMED_TYPES:
            named[m.item].append(m)
    return named


def _same_subject(a: Claim, b: Claim, named: dict[int, list[Mention]]) -> bool:
    """Claims whose contents both name people, organisations, places or groups are about the
    same subject only if they share one of them (a capital counted as its country, a person
    by the last word of the name)."""
    na, nb = _names_in(a, named), _names_in(b, named)
    return not (na and nb and not na & nb)


def _names_in(claim: Claim, named: dict[int, list[Mention]]) -> set[str]:
    spans = claim.content_span or [(claim.start, claim.end)]
    found = set()
    for m in named.get(claim.item, []):
        if any(s <= m.start and m.end <= e for s, e in spans):
            text = m.text.removesuffix("'s").removesuffix("’s")
            found.add(country_of(text) or (text.split()[-1] if m.type == "PERSON" else text).casefold())
    return found


# Words before a place that name a part of it: "central Baghdad", "northern China".
_COMPASS = ["north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
            "north-east", "north-west", "south-east", "south-west"]
_PARTS = {*_COMPASS, *(w + "ern" for w in _COMPASS), "central", "upper", "lower", "downtown"}
_PLACE_WORDS = {"region", "province", "oblast", "city", "county", "state", "district", "area", "the", "of"}
_OWN = {"it", "its", "we", "our"}
# A content that opens on the speaker's own plan ("announced plans to cut 600 jobs").
_OWN_PLAN = re.compile(r"(?:plans?|a plan|intends|intentions?) to\b", re.IGNORECASE)
# Nouns that count only by reference to a group named before them ("and wounded 80 others"):
# two sentences' "others" are not one group.
_REFERENCES = {"other", "others", "more", "rest"}
# A count summed over several events ("were killed in separate bombings", "in two separate
# attacks") is no one event's count, so it is no account of another party's figure.
_SEPARATE_EVENTS = re.compile(r"\b(?:in|from|during) (?:\w+ )?separate\b", re.IGNORECASE)
# Places only: a people ("Russian forces", "Ukrainian troops") names a party, and the two
# sides of a dispute are often of two countries.
_LAND_TYPES = {"GPE", "LOC"}


@dataclass(frozen=True)
class _Anchors:
    """What ties a claim to one event: the towns and countries it names outside its speaker
    (each with the part of it named, "" for the whole), the days its content puts the figure
    at ((date, weekday), either may be None), and the organisation whose own count it is."""

    towns: frozenset[tuple[str, str]]
    countries: frozenset[tuple[str, str]]
    days: frozenset[tuple[date | None, int | None]]
    owner: str | None
    lands: frozenset[str] = frozenset()  # the countries the whole item names (capitals, peoples too)


def _anchors_of(claims: list[Claim], mentions: list[Mention], times: list[Mention],
                texts: dict[int, str]) -> dict[int, _Anchors]:
    """The anchors of each claim, by id (claims are not hashable)."""
    by_item: dict[int, list[Mention]] = defaultdict(list)  # a pile's claims each read only their item's
    for m in mentions:
        by_item[m.item].append(m)
    times_by_item: dict[int, list[Mention]] = defaultdict(list)
    for m in times:
        times_by_item[m.item].append(m)
    speakers: dict[int, list[tuple[int, int]]] = defaultdict(list)  # every speaker's span, by item
    for claim in claims:
        speakers[claim.item] += claim.source_span or []
    lands = {item: _lands([m for m in by_item.get(item, []) if not _overlaps(m, spans)])
             for item, spans in speakers.items()}
    found: dict[int, _Anchors] = {}
    for claim in claims:
        if id(claim) in found:
            continue
        content = claim.content_span or [(claim.start, claim.end)]
        speaker = claim.source_span or []
        own = by_item.get(claim.item, [])
        text = texts.get(claim.item, "")
        places = [m for m in own if (m.type in _EVENT_PLACES or _named_a_place(text, m.start))
                  and _inside(m, content) and not _overlaps(m, speaker)]
        towns: set[tuple[str, str]] = set()
        countries: set[tuple[str, str]] = set()
        for m in places:
            key = _place_key(m.text)
            if key:
                (countries if is_country(m.text) else towns).add((key, _part(texts.get(m.item, ""), m.start)))
        days = {_day(m) for m in times_by_item.get(claim.item, []) if _inside(m, content)}
        found[id(claim)] = _Anchors(frozenset(towns), frozenset(countries),
                                    frozenset(d for d in days if d != (None, None)), _owner(claim, own),
                                    lands[claim.item])
    return found


# "the northern city of Samarra": the words before a name say it is a place, whatever the
# parse tagged it (a people, an organisation).
_PLACE_OF = re.compile(r"\b(?:city|town|village|province|region|district) of $", re.IGNORECASE)


def _named_a_place(text: str, start: int) -> bool:
    return bool(_PLACE_OF.search(text[max(0, start - 30):start]))


def _lands(mentions: list[Mention]) -> frozenset[str]:
    """The countries of the places an item names outside its speakers ("Baghdad" is Iraq):
    where what it reports happened. Who speaks is left out: "Kyiv says" and "the Russian defence
    ministry said" are the two parties of one event, not two events."""
    return frozenset(filter(None, (country_of(_whole(m.text)) for m in mentions if m.type in _LAND_TYPES)))


def _whole(place: str) -> str:
    """A place without the words naming a part of it: "Central Venezuela" is in Venezuela."""
    return " ".join(w for w in place.split() if w.casefold() not in _PARTS)


def _part(text: str, start: int) -> str:
    """The word naming a part of the place that starts at `start` ("central"), else ""."""
    before = text[max(0, start - 20):start]
    words = before.split()
    return words[-1].casefold() if words and before[-1:].isspace() and words[-1].casefold() in _PARTS else ""


def _inside(m: Mention, spans) -> bool:
    return any(s <= m.start and m.end <= e for s, e in spans)


def _overlaps(m: Mention, spans) -> bool:
    return any(m.start < e and s < m.end for s, e in spans)


def _place_key(text: str) -> str:
    """A place as compared: its country when it names one ("U.S." and "US"), else its name
    without the words that say what kind of place it is ("the Kursk region": "kursk")."""
    text = text.removesuffix("'s").removesuffix("’s")
    if is_country(text):
        return (country_of(text) or text).casefold()
    return " ".join(w for w in text.casefold().split() if w not in _PLACE_WORDS)


def _day(m: Mention) -> tuple[date | None, int | None]:
    """A DATE mention as (day, weekday): "2025-03-11" as that day, a weekday that could not be
    placed ("Tuesday", with no publication date) as its weekday alone; a month or a range as
    neither (too wide to tell events apart)."""
    if m.date and len(m.date) == 10:
        try:
            day = date.fromisoformat(m.date)
        except ValueError:
            return None, None
        return day, day.weekday()
    words = m.text.casefold().split()
    weekday = [WEEKDAYS[w] for w in words if w in WEEKDAYS]
    return (None, weekday[0]) if len(weekday) == 1 and m.date is None else (None, None)


_DATELINE = re.compile(r"(?:[^a-z]*(?:\([A-Za-z]+\))?\s*[-–—]\s*)?")  # nothing, or "PLANO, Tex. (CP) - "


_NAMED_SUBJECT = re.compile(r"((?:[A-Z][\w&.-]*\s+)*[A-Z][\w&.-]*)\s+(?:is|are|was|will|has|plans|said|to)\b")
_COMPANY = re.compile(r"^the\b.*\b(?:company|firm|group|maker|carrier|airline|bank|retailer|giant)$", re.IGNORECASE)


def _owner(claim: Claim, mentions: list[Mention]) -> str | None:
    """The organisation speaking of its own count ("Eli Lilly said it plans to cut 575 jobs"),
    else None: a company's own jobs or sales are not another company's. `mentions`: the
    entities of the claim's item. A content whose subject is an organisation ("Electronic
    Data Systems is cutting 4,600 jobs, the company said") is that organisation's count too."""
    words = claim.content.split()
    start = (claim.content_span or [(claim.start, claim.end)])[0][0]
    # The content's first name, after a dateline at most ("PLANO, Tex. (CP) - Electronic ...").
    first = min((m for m in mentions if m.start >= start and _inside(m, claim.content_span or [])),
                key=lambda m: m.start, default=None)
    subject = first if first is not None and first.type == "ORG" and _DATELINE.fullmatch(
        claim.content[:first.start - start]) else None
    if subject is not None and len(words) > len(subject.text.split()):
        return subject.text.removeprefix("the ").removeprefix("The ")
    # "Electronic Data Systems is cutting 4,600 jobs, the information technology company said":
    # a company described, not named, speaks of the named subject of its content, itself.
    name = _NAMED_SUBJECT.match(claim.content)
    if name and _COMPANY.search(claim.speaker):
        return name.group(1)
    if not words or not (words[0].casefold().strip(",") in _OWN or _OWN_PLAN.match(claim.content)):
        return None
    # The speaker's head is its last name: "Britain's Cable & Wireless" is a company.
    speaker = sorted((m for m in mentions if _overlaps(m, claim.source_span or [])), key=lambda m: m.start)
    return claim.actor if speaker and speaker[-1].type == "ORG" else None


def _same_event(a: _Anchors, b: _Anchors) -> bool:
    """Whether two figures' claims may tell of one event: no places, days or owners that
    set them apart (a claim that names none is not set apart by them)."""
    if a.owner and b.owner and a.owner != b.owner:
        return False
    # Two reports of one event name its country, whatever else each names; reports that name
    # countries but none in common tell of two events (a crash in China, one in Indonesia).
    if a.lands and b.lands and not a.lands & b.lands:
        return False
    # Countries name many roles (where refugees come from, where they go; "U.S. soldiers"), so
    # different countries do not set two events apart; different parts of one country do.
    countries = {(p, r) for p, r in a.countries if p in {q for q, _ in b.countries}}
    if not (_places_meet(a.towns, b.towns) and _places_meet(frozenset(countries), b.countries)):
        return False
    return not (a.days and b.days) or any(_near(x, y) for x in a.days for y in b.days)


def _places_meet(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]]) -> bool:
    """Both name one place (in parts that do not differ), or either names none."""
    return not (a and b) or any(pa == pb and (not ra or not rb or ra == rb) for pa, ra in a for pb, rb in b)


def _near(x: tuple[date | None, int | None], y: tuple[date | None, int | None]) -> bool:
    """Days at most one apart (an event told "late Tuesday" and "early Wednesday")."""
    if x[0] and y[0]:
        return abs((x[0] - y[0]).days) <= 1
    if x[1] is None or y[1] is None:
        return True
    return min((x[1] - y[1]) % 7, (y[1] - x[1]) % 7) <= 1


def _same_party(a: Claim, b: Claim) -> bool:
    """The same actor, or two speakers naming one party ("the report", "a UN report"; "Angus
    Houston", "Air Chief Marshal Houston")."""
    if a.actor == b.actor:
        return True
    wa, wb = _name_words(a.actor), _name_words(b.actor)
    if not wa or not wb:
        return False
    if wa <= wb or wb <= wa:
        return True
    last_a, last_b = a.actor.split()[-1], b.actor.split()[-1]
    return last_a == last_b and last_a[:1].isupper() and not (country_of(last_a) or last_a.lower() in _NOT_NAMES)


def _name_words(actor: str) -> set[str]:
    return {w.casefold().strip(".,'’") for w in actor.split()} - _NOT_NAMES


def _interval(q: Quantity) -> tuple[float, float] | None:
    """The values a figure allows: a point, a range, or a half-line for "at least"/"up to"."""
    if q.value is None:
        return (q.low, q.high) if q.low is not None and q.high is not None else None
    low = q.low if q.low is not None else (float("-inf") if q.high is not None else q.value)
    high = q.high if q.high is not None else (float("inf") if q.low is not None else q.value)
    if q.bound in _APPROXIMATE:
        low, high = min(low, q.value * 0.95), max(high, q.value * 1.05)
    return low, high


def _agree(qa: Quantity, qb: Quantity) -> bool:
    """Figures in the same unit whose values can both be true."""
    if qa.unit != qb.unit:
        return False
    ia, ib = _interval(qa), _interval(qb)
    if ia is None or ib is None:
        return qa.text.casefold() == qb.text.casefold()
    return ia[0] <= ib[1] and ib[0] <= ia[1]


def _places_by_item(mentions: list[Mention]) -> dict[int, list[Mention]]:
    places: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.type in _PLACE_TYPES:
            places[m.item].append(m)
    return places


def _components(pairs: list[tuple[int, int]]) -> list[set[int]]:
    """Connected groups of figures, in order of their first member."""
    parent: dict[int, int] = {}

    def find(k: int) -> int:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    for i, j in pairs:
        parent[find(j)] = find(i)
    groups: dict[int, set[int]] = defaultdict(set)
    for k in list(parent):
        groups[find(k)].add(k)
    return sorted(groups.values(), key=min)


def _one_event(component: set[int], apart: set[tuple[int, int]]) -> list[set[int]]:
    """A component split so that no two of a group's figures are of different events: a
    figure that names no place links a crash in Venezuela and a bombing in Jakarta, which are
    still two events. Each figure joins the first group it is not set apart from; groups of
    one figure are dropped."""
    groups: list[set[int]] = []
    for k in sorted(component):
        home = next((g for g in groups if not any((min(k, m), max(k, m)) in apart for m in g)), None)
        if home is None:
            groups.append({k})
        else:
            home.add(k)
    return [g for g in groups if len(g) > 1]


def _dispute(noun: str, members: list[tuple[Claim, Quantity]], component: set[int],
             pairs: list[tuple[int, int]], stated, places, duplicate_of: dict[int, int]) -> Dispute:
    by_side: dict[tuple[str, str | None], list[tuple[Claim, Quantity]]] = defaultdict(list)
    for claim, q in sorted(members, key=lambda m: (m[0].item, m[0].start, m[1].start)):
        by_side[(claim.actor, q.as_of if _revised(claim, members) else None)].append((claim, q))
    sides = [_side(actor, found, duplicate_of) for (actor, _), found in by_side.items()]
    units = {q.unit for _, q in members}
    inside = [(i, j) for i, j in pairs if i in component and j in component]
    contested = any(stated[i][1].as_of is None or stated[j][1].as_of is None
                    or stated[i][1].as_of == stated[j][1].as_of for i, j in inside)
    place = _place(members, places)
    written = _written(noun, members)
    question = f"How {'many' if written != noun else 'much'} {written}" + (f" in {place}" if place else "") \
        + ", by each side's account?"
    return Dispute(question=question, sides=sides, reconcilable=len(units) == 1,
                   kind="contested" if contested else "stale")


def _revised(claim: Claim, members) -> bool:
    """Whether the claim's actor states figures of this question for more than one date."""
    return len({q.as_of for c, q in members if c.actor == claim.actor}) > 1


def _side(actor: str, found: list[tuple[Claim, Quantity]], duplicate_of: dict[int, int]) -> Side:
    claims: list[Claim] = []
    for claim, _ in found:
        if not any(claim is c for c in claims):
            claims.append(claim)
    items = {c.item for c in claims}
    dates = [q.as_of for _, q in found if q.as_of]
    return Side(
        speaker=claims[0].speaker,
        actor=actor,
        content=claims[0].content,
        items=sorted(items),
        figures=[q.text for _, q in found],
        copies=sorted(n for n, canonical in duplicate_of.items() if canonical in items),
        origins=len({duplicate_of.get(i, i) for i in items}),
        as_of=max(dates) if dates else None,
    )


def _place(members: list[tuple[Claim, Quantity]], places) -> str:
    """A place that the items of every side name and that is not one of the parties."""
    items = {c.item for c, _ in members}
    named = [[m.text for m in places.get(item, [])] for item in sorted(items)]
    own = {w for c, _ in members for w in c.actor.casefold().split()}
    shared = [p for p in named[0] if all(p in other for other in named[1:])]
    neutral = [p for p in shared if not set(p.casefold().split()) & own]
    return neutral[0] if neutral else ""


def _written(noun: str, members: list[tuple[Claim, Quantity]]) -> str:
    """The noun as a measure writes it ("terminals" for "terminal"), else its lemma."""
    for _, q in members:
        for word in q.measure.casefold().split():
            if word.startswith(noun) and len(word) <= len(noun) + 2:
                return word
    return noun


def _without_repeats(disputes: list[Dispute]) -> list[Dispute]:
    """One dispute per set of sides."""
    seen, kept = set(), []
    for d in disputes:
        key = tuple((s.actor, s.content, tuple(s.figures)) for s in d.sides)
        if key not in seen:
            seen.add(key)
            kept.append(d)
    return kept
