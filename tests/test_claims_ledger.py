"""The claim ledger: `newsdesk.claims`, `newsdesk claims`, speaker grouping, figures with their
as-of date, the timeline by event date, and the cheap cue filter."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest

import newsdesk
from newsdesk.extract.claims import cue_sentences_only
from newsdesk.model import Item
from newsdesk.render.jsonout import claim_dict, to_dict

from .conftest import KURSK, need, run_cli

pytest.importorskip("spacy")


def to_claim_role(claim):
    return claim_dict(claim)["role"]


def at(day: int) -> datetime:
    return datetime(2025, 3, day, 12, tzinfo=timezone.utc)


ITEMS = [
    Item(n=1, text="The Russian defence ministry said on Friday that its troops had taken 40% of the valley.",
         published=at(10)),
    Item(n=2, text="Russia's Defence Ministry said the valley's main road was cut.", published=at(10)),
    Item(n=3, text="Moscow's defence ministry reportedly claimed that 300 fighters were captured in early "
                   "January.", published=at(12)),
    Item(n=4, text="Kyiv said on Tuesday that it still holds several hundred square kilometres of the valley.",
         published=at(12)),
    Item(n=5, text="Defence analyst Jane Doe told reporters that the front line had barely moved.",
         published=at(13)),
]


@pytest.fixture(scope="module")
def ledger():
    return newsdesk.claims(ITEMS)


def test_one_actor_for_the_ministry_however_written(ledger):
    by_item = {c.item: c for c in ledger.claims}
    assert [by_item[n].speaker for n in (1, 2, 3)] == [
        "The Russian defence ministry", "Russia's Defence Ministry", "Moscow's defence ministry"]
    assert {by_item[n].actor for n in (1, 2, 3)} == {"Russian Ministry of Defence"}
    assert by_item[4].actor == "Government of Ukraine"
    assert by_item[5].actor == "Jane Doe"
    assert to_claim_role(by_item[5]) == "Defence analyst"


def test_quotes_only_and_speech_first(ledger):
    kinds = [c.kind for c in ledger.claims]
    assert "stance" in kinds  # item 3: "reportedly claimed"
    assert kinds == sorted(kinds, key=("speech", "stance", "other").index)
    quotes = newsdesk.claims(ITEMS, claim_kinds=("speech",))
    assert [c.item for c in quotes.claims] == [c.item for c in ledger.claims if c.kind == "speech"]
    assert [e.status for e in quotes.items] == ["used"] * 5  # the ledger of items is whole


def test_hedges_dates_and_figures(ledger):
    by_item = {c.item: c for c in ledger.claims}
    assert by_item[3].hedges == ["reportedly", "claimed"]
    assert (by_item[1].when, by_item[1].date) == ("on Friday", "2025-03-07")
    assert (by_item[4].when, by_item[4].date) == ("on Tuesday", "2025-03-11")
    [share] = by_item[1].quantities
    assert (share.text, share.unit, share.actor, share.as_of) == ("40%", "percent", "Russian Ministry of Defence", "2025-03-07")
    [area] = by_item[4].quantities
    assert area.bound == "several" and area.as_of == "2025-03-11"  # the claim's date
    [count] = by_item[3].quantities
    assert count.as_of == "2025-03-12"  # no date of its own: as of publication


def test_spans_point_into_the_text(ledger):
    texts = {it.n: it.text for it in ITEMS}
    for c in ledger.claims:
        text = texts[c.item]
        assert text[c.source_span[0][0]:c.source_span[-1][1]] == c.speaker
        assert [text[s:e] for s, e in c.cue_span] == [c.cue]
        assert " ".join(text[s:e] for s, e in c.content_span) == c.content
    assert [e.status for e in ledger.items] == ["used"] * 5


def test_the_brief_and_the_ledger_agree(ledger):
    brief = newsdesk.brief(ITEMS, embedder="hashing")
    assert [(c.item, c.start, c.end, c.actor) for c in brief.claims] == [
        (c.item, c.start, c.end, c.actor) for c in ledger.claims]


def test_timeline_by_event_date():
    data = to_dict(newsdesk.brief(ITEMS, embedder="hashing"))
    timeline = data["timeline"]
    assert [t["date"] for t in timeline] == sorted((t["date"] for t in timeline), key=lambda d: d.split("/")[0])
    assert timeline[0] == {"date": "2025-01-01/2025-01-10", "items": [3], "text": ITEMS[2].text}
    dated = {t["date"]: t for t in timeline}
    assert dated["2025-03-07"]["items"] == [1] and dated["2025-03-11"]["items"] == [4]
    for t in timeline:
        assert all(t["text"] in ITEMS[n - 1].text for n in t["items"])  # each entry cited


def test_disputes_count_independent_origins():
    data = to_dict(newsdesk.brief(ITEMS, embedder="hashing"))
    [dispute] = [d for d in data["disputes"] if len(d["sides"]) >= 2]
    actors = {s["actor"]: s for s in dispute["sides"]}
    assert {"Russian Ministry of Defence", "Government of Ukraine"} <= set(actors)
    assert all(s["origins"] == len(s["items"]) for s in dispute["sides"])


def test_cue_filter_blanks_only_sentences_without_cues():
    text = "The sun rose. Officials said the road was cut.\nNothing else happened. “Go,” he said."
    masked = cue_sentences_only(text)
    assert len(masked) == len(text)
    assert masked.strip().startswith("Officials said the road was cut.")
    assert "Nothing" not in masked and "“Go,” he said." in masked
    assert cue_sentences_only("The sun rose over the valley.") is None


def test_cli_claims_json_and_csv():
    result = run_cli("claims", str(need(KURSK)), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert set(data) == {"claims", "items"}
    assert len(data["items"]) == len(KURSK.read_text(encoding="utf-8").splitlines())
    lines = KURSK.read_text(encoding="utf-8").splitlines()
    for c in data["claims"]:
        text = lines[c["item"] - 1]
        assert {"hedges", "figures", "when", "source_span", "cue_span", "content_span"} <= set(c)
        assert text[c["start"]:c["end"]].startswith(text[c["source_span"][0][0]:c["source_span"][0][1]]) or \
            c["content_span"][0][0] == c["start"]
        assert " ".join(text[s:e] for s, e in c["content_span"]) == c["content"]
    actors = {c["actor"] for c in data["claims"]}
    assert {"Russian Ministry of Defence", "Government of Ukraine"} <= actors

    result = run_cli("claims", str(KURSK), "--format", "csv")
    assert result.returncode == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    assert len(rows) == len(data["claims"]) and rows[0]["speaker"]

    result = run_cli("claims", str(KURSK))
    assert result.returncode == 0 and b"claims from" in result.stdout


def test_cli_claims_bad_input(tmp_path):
    result = run_cli("claims", str(tmp_path / "missing.txt"))
    assert result.returncode == 2 and len(result.stderr.decode().strip().splitlines()) == 1
