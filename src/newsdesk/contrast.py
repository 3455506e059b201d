"""Disputes: questions on which different parties make claims that are not the same claim.

Two claims are on the same question when both carry a figure measuring the same thing
(their measures share a content word, such as "territory") about the same place. A dispute is
shown whether or not the figures can be reconciled, so that the reader sees who says what;
`reconcilable` says whether the figures are in the same unit and could be compared directly.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from .model import Claim, Dispute, Mention, Side

_PLACE_TYPES = {"GPE", "LOC"}
# Words of a measure that say how it is counted, not what is counted.
_MEASURE_FILLER = {"share", "number", "amount", "total", "of", "the", "a", "an", "by", "in", "to", "per", "percent"}


def find_disputes(claims: list[Claim], mentions: list[Mention],
                  duplicate_of: dict[int, int] | None = None) -> tuple[list[Dispute], list[Claim]]:
    """Disputes between different actors, and the claims that are their sides (a claim to which
    another party opposes its own figure for the same measure: summarize.unframed keeps its
    "X says"). `duplicate_of` (item -> its canonical copy) lets each side count its independent
    origins, so that merged copies of one report count once."""
    places = _places_by_item(mentions)
    figured = [c for c in claims if c.quantities]
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for a, b in combinations(figured, 2):
        if a.actor == b.actor:
            continue
        for topic in _shared_topics(a, b, places):
            for claim in (a, b):
                if claim not in groups[topic]:
                    groups[topic].append(claim)
    canonical = duplicate_of or {}
    disputes = [_dispute(topic, members, canonical) for topic, members in sorted(groups.items())]
    # Every member, repeats left in: callers only ask `claim in sides` (claims are not hashable),
    # and a claim left out of a repeated dispute (_without_repeats) is disputed all the same.
    sides = [claim for members in groups.values() for claim in members]
    return _without_repeats(disputes), sides


def _shared_topics(a: Claim, b: Claim, places: dict[int, list[str]]) -> list[tuple[str, str]]:
    nouns = _measure_words(a) & _measure_words(b)
    if not nouns:
        return []
    own = {w for c in (a, b) for w in c.actor.casefold().split()}
    shared = [p for p in places.get(a.item, []) if p in places.get(b.item, [])]
    # The place in question is not one of the parties themselves ("Ukraine" vs "Government of Ukraine").
    neutral = [p for p in shared if not set(p.casefold().split()) & own] or [""]
    noun = sorted(nouns)[0]
    return [(noun, neutral[0])]


def _measure_words(claim: Claim) -> set[str]:
    words = set()
    for q in claim.quantities:
        for word in q.measure.casefold().split():
            if word not in _MEASURE_FILLER and word.isalpha() and not word.endswith("ed"):
                words.add(word)
    return words


def _places_by_item(mentions: list[Mention]) -> dict[int, list[str]]:
    places: dict[int, list[str]] = defaultdict(list)
    for m in mentions:
        if m.type in _PLACE_TYPES and m.text not in places[m.item]:
            places[m.item].append(m.text)
    return places


def _dispute(topic: tuple[str, str], members: list[Claim], duplicate_of: dict[int, int]) -> Dispute:
    noun, place = topic
    by_actor: dict[str, list[Claim]] = defaultdict(list)
    for claim in sorted(members, key=lambda c: (c.item, c.start)):
        by_actor[claim.actor].append(claim)
    sides = [
        Side(
            speaker=claims[0].speaker,
            actor=actor,
            content=claims[0].content,
            items=sorted({c.item for c in claims}),
            figures=[q.text for c in claims for q in c.quantities],
            copies=sorted(n for n, canonical in duplicate_of.items() if canonical in {c.item for c in claims}),
            origins=len({duplicate_of.get(c.item, c.item) for c in claims}),
        )
        for actor, claims in by_actor.items()
    ]
    units = {q.unit for c in members for q in c.quantities}
    question = f"How {'many' if noun.endswith('s') else 'much'} {noun}" + (f" in {place}" if place else "") + ", by each side's account?"
    return Dispute(question=question, sides=sides, reconcilable=len(units) == 1)


def _without_repeats(disputes: list[Dispute]) -> list[Dispute]:
    """One dispute per set of sides: two shared measure words must not show it twice."""
    seen, kept = set(), []
    for d in disputes:
        key = tuple((s.actor, s.content) for s in d.sides)
        if key not in seen:
            seen.add(key)
            kept.append(d)
    return kept
