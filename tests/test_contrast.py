"""Disputes: both sides measure the same thing about the same subject, and say of when."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newsdesk import contrast
from newsdesk.extract import entities
from newsdesk.extract.dates import find_times
from newsdesk.extract.quantities import key_figures
from newsdesk.model import Item
from newsdesk.nlp import load_spacy
from newsdesk.pipeline import claims_in


def extract(texts, dates=None, times=None):
    """Claims (with their figures) and entity mentions of small items, as brief() finds them;
    the items' time mentions are added to `times` when given."""
    nlp = load_spacy()
    claims, mentions = [], []
    for n, text in enumerate(texts, start=1):
        published = datetime.fromisoformat(dates[n - 1]).replace(tzinfo=timezone.utc) if dates else None
        item = Item(n=n, text=text, published=published)
        doc = nlp(text)
        claims += claims_in(item, doc)
        mentions += entities.find_entities(doc, n)
        if times is not None:
            times += find_times(doc, n, published)
    return claims, mentions


def disputes(texts, dates=None):
    times: list = []
    claims, mentions = extract(texts, dates, times)
    found, _ = contrast.find_disputes(claims, mentions, None, times, dict(enumerate(texts, start=1)))
    return found


def test_a_price_rise_and_a_sum_are_not_one_question():
    """Issue 16: a headline's "Ukraine:" labels its topic, and a 37% price rise is not the
    USD 1.89 billion Gazprom warns about."""
    assert disputes([
        "Ukraine: Gazprom Charging 37% More for Gas in Second Quarter",
        "Gazprom warns Ukraine of gas export cut at USD 1.89 billion",
        "Ukraine Sees Gazprom Charging 37% More for Gas in Second Quarter",
    ]) == []


def test_a_place_before_a_headline_colon_is_no_party():
    claims, mentions = extract(["Ukraine: Gazprom Charging 37% More for Gas in Second Quarter"])
    places = [m for m in mentions if m.type in ("GPE", "LOC")]
    topic = [c for c in claims if c.cue.strip() == ":"]  # a headline label is no claim, or no party
    assert not any(c.speaker.strip() == "Ukraine" for c in claims if c not in topic), [(c.speaker, c.cue) for c in claims]
    assert not any(contrast.is_party(c, places) for c in topic)
    assert key_figures([q for c in claims for q in c.quantities], claims, mentions) == []


def test_same_measure_different_parties_is_contested():
    [dispute] = disputes([
        "The health ministry said 300 soldiers died in the attack on Tuesday.",
        "The rebels said 1,200 soldiers died in the attack on Tuesday.",
    ], dates=["2025-03-14", "2025-03-14"])
    assert dispute.kind == "contested" and dispute.reconcilable
    assert {s.actor for s in dispute.sides} == {"Ministry of Health", "rebels"} or len(dispute.sides) == 2
    assert "soldiers" in dispute.question


def test_figures_of_different_dates_are_stale():
    [dispute] = disputes([
        "The health ministry said 300 soldiers died in the fighting.",
        "The rebels said 1,200 soldiers died in the fighting.",
    ], dates=["2025-03-01", "2025-03-14"])
    assert dispute.kind == "stale"
    assert sorted(s.as_of for s in dispute.sides) == ["2025-03-01", "2025-03-14"]


def test_one_party_revising_its_figure_is_stale():
    [dispute] = disputes([
        "The health ministry said 300 soldiers died in the fighting.",
        "The health ministry said 450 soldiers died in the fighting.",
    ], dates=["2025-03-01", "2025-03-14"])
    assert dispute.kind == "stale" and len(dispute.sides) == 2
    assert len({s.actor for s in dispute.sides}) == 1


def test_one_party_one_date_is_no_dispute():
    assert disputes([
        "The health ministry said 300 soldiers died in the fighting.",
        "The health ministry said 450 soldiers died in the fighting.",
    ], dates=["2025-03-14", "2025-03-14"]) == []


@pytest.mark.parametrize("texts", [
    # the same figure twice is agreement
    ["Officials said two ships had commenced the search.", "The navy said the two ships were searching."],
    # a value inside the other's bound is agreement too
    ["The union said more than 80% of the terminals had stopped.", "The port said 85% of the terminals had stopped."],
    # counts of different things
    ["The union said 300 workers were on strike.", "The port said 40 ships were waiting."],
    # different places named by each side
    ["Pollsters said 46% of voters in Ohio backed the plan.", "Analysts said 41% of voters in Florida backed the plan."],
])
def test_not_disputes(texts):
    assert disputes(texts) == []


def test_a_share_and_an_area_of_the_same_territory_are_one_question():
    [dispute] = disputes([
        "Russian forces have retaken 63.2% of the territory captured by Ukraine in the Kursk region, "
        "the Russian defence ministry said on Friday.",
        "Kyiv says that North Korean troops are fighting in the Kursk region. Kyiv says it still "
        "controls several hundred square kilometres of territory there.",
    ])
    assert dispute.kind == "contested" and not dispute.reconcilable
    assert "territory" in dispute.question and "Kursk" in dispute.question


@pytest.mark.parametrize("texts", [
    # one story, two blasts: different towns
    ["A truck bomb went off near a U.S. patrol in Tikrit on Monday, killing 12 people, the army said.",
     "A truck bomb went off near a U.S. patrol in Basra on Monday, killing 30 people, police said."],
    # one city, different parts of it
    ["A bomb exploded in eastern Kabul, killing nine people, officials said.",
     "A bomb exploded in southern Kabul, killing 21 people, police said."],
    # one city, days two apart
    ["A bomb exploded in Kabul on Monday, killing nine people, officials said.",
     "A bomb exploded in Kabul on Wednesday, killing 21 people, police said."],
    # two companies, each cutting its own jobs
    ["Eli Lilly and Co. said Thursday it plans to cut 575 jobs.",
     "Britain's Cable and Wireless announced plans to cut 600  jobs and return cash to investors."],
    # two companies' own cuts, one of them the subject of the content
    ["Eli Lilly and Co. said Thursday it plans to cut 575 jobs.",
     "Electronic Data Systems is cutting 4,600 jobs through early retirement, the information technology "
     "company said Tuesday."],
    # "others" counts another group in each sentence
    ["Three guards died and 40 others were hurt in the blast, officials said.",
     "Two pilgrims died and 12 others were hurt in the stampede, police said."],
    # a total over separate bombings is no one bombing's count
    ["Two American soldiers were killed in separate bombings that occurred within hours, the U.S. military said.",
     "Roadside bombings killed four American soldiers in Baghdad, the U.S. command said."],
    # a crash in "Central Venezuela" (a part of a country) and a bombing in Jakarta
    ["A military plane crashed into a mountain in Central Venezuela, killing 25 people, the Air Force rescue "
     "team said in a statement.",
     "JAKARTA, Indonesia -- Police said two suicide bombers set off the explosion, killing seven other people."],
    # two attacks: "the city of Samarra" is a town whatever the parse tags it
    ["Iraqi health officials said American airstrikes that demolished homes late today in a village south of "
     "the volatile city of Falluja killed at least 44 people and wounded 27.",
     "A suicide attacker detonated a car bomb Sunday near a joint US-Iraqi checkpoint, killing three people and "
     "wounding seven, including four US soldiers in the northern city of Samarra, the military said."],
])
def test_counts_of_different_events_are_not_disputes(texts):
    """Issue 16: a story can hold several bombings or several companies' job cuts; their counts
    are not two accounts of one figure."""
    assert disputes(texts) == []


def test_one_event_told_by_two_parties_stays_a_dispute():
    """The same town and day (or a side that names neither) leave a dispute standing."""
    [dispute] = disputes([
        "A bomb exploded in eastern Kabul on Monday, killing nine people, officials said.",
        "The Taliban said the bomb in Kabul killed 40 people on Monday.",
    ])
    assert dispute.kind == "contested"


def test_parties_of_two_countries_are_one_events_two_sides():
    """Reports that name different countries only as who speaks or as a people ("Kyiv says",
    "Russian forces ... the Russian defence ministry said") are two sides of one event: a
    country named by a party is not where the event happened."""
    [dispute] = disputes([
        "Russian forces have retaken 63.2% of the territory captured in the Kursk region, the Russian "
        "defence ministry said on Friday.",
        "Kyiv says it still controls several hundred square kilometres of territory in the Kursk region.",
    ])
    assert {s.actor for s in dispute.sides} == {"Russian Ministry of Defence", "Government of Ukraine"}


def test_a_figure_that_names_no_place_does_not_join_two_events():
    """Issue 16: a toll that names no country links a crash in Venezuela and a bombing in
    Jakarta through itself; they stay two events, never sides of one dispute."""
    found = disputes([
        "A military plane crashed into a mountain in Central Venezuela, killing 25 people, the Air Force "
        "rescue team said.",
        "An explosion rocked a police building, and two people were killed, the Interfax news agency said.",
        "A large explosion outside the Australian Embassy in Jakarta killed nine people, officials said.",
    ])
    for dispute in found:
        figures = {f for side in dispute.sides for f in side.figures}
        assert not {"25 people", "nine people"} <= figures, dispute
