"""Stories bounded in time: items years apart never share a story; an undated item does not
borrow the dates of unrelated items of its ingest; a story told in parts is linked to its
earlier part."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

import pytest

import newsdesk
from newsdesk.model import Item
from newsdesk.store import Store
from newsdesk.timing import input_of, item_spans, text_date

from .conftest import KURSK, UCI, need

NOW = datetime(2026, 12, 4, tzinfo=timezone.utc)


def test_text_dates_and_inputs():
    text = "Talks began on March 10, 2014; a deal is due by 2030 and the vote is in December 2027."
    assert text_date(text, NOW) == datetime(2014, 3, 10, tzinfo=timezone.utc)  # a year alone, or the future, is no date
    assert text_date("On 3 Feb. 2015 and on 2016-07-01.", NOW) == datetime(2016, 7, 1, tzinfo=timezone.utc)
    assert text_date("On Friday, early January.", NOW) is None
    assert [input_of(o) for o in ("a/b.csv:12", "x.jsonl:3[2]", "feed.xml entry 4", "w.warc record 3 (http://x:80/a)")] \
        == ["a/b.csv", "x.jsonl", "feed.xml", "w.warc"]


def test_an_undated_item_takes_its_own_inputs_time_or_the_ingests_never_anothers():
    old = datetime(2014, 3, 10, tzinfo=timezone.utc)
    items = [Item(1, "a dated archive record", origin="arch.csv:2", published=old),
             Item(2, "an undated archive record", origin="arch.csv:3"),
             Item(3, "an undated snippet from a search", origin="search.txt:1"),
             Item(4, "a snippet that names 5 May 2019 in its text", origin="search.txt:2")]
    spans = item_spans(items, NOW)
    assert spans[items[1].id] == (old, old)
    assert spans[items[2].id] == (NOW, NOW)
    assert spans[items[3].id] == (datetime(2019, 5, 5, tzinfo=timezone.utc), NOW)


def _kursk_and_uci() -> list[Item]:
    return list(newsdesk.read(str(need(UCI)), str(need(KURSK))))


def _mixing(stories, kursk_ids: set[str]) -> list[str]:
    return [s.label for s in stories if kursk_ids & set(s.item_ids) and set(s.item_ids) - kursk_ids]


@pytest.mark.slow
def test_the_kursk_snippets_never_join_a_2014_story_in_a_store_or_a_batch(tmp_path):
    """The 2025 snippets (undated) and the 999 UCI headlines of 2014, fed in one ingest: the
    snippets used to take 2014 as their date and join a 2014 Ukraine story."""
    items = _kursk_and_uci()
    kursk_ids = {it.id for it in items if it.origin.startswith(str(KURSK))}
    assert len(kursk_ids) == 12
    with Store(tmp_path / "mixed.db") as store:
        store.ingest(items)
        stories = store.stories()
    assert not _mixing(stories, kursk_ids)
    kursk = max(stories, key=lambda s: len(kursk_ids & set(s.item_ids)))
    assert len(kursk_ids & set(kursk.item_ids)) >= 10 and kursk.first_seen.year >= 2025
    assert not _mixing(newsdesk.stories(items), kursk_ids)


def _uci_in_two_parts() -> tuple[list[Item], dict[str, str]]:
    """Each UCI story told in two parts ten days apart (the first part closes as quiet)."""
    with need(UCI).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_story = defaultdict(list)
    for r in rows:
        by_story[r["STORY"]].append(r)
    start, items, gold = datetime(2014, 3, 1, tzinfo=timezone.utc), [], {}
    for story, members in sorted(by_story.items()):
        for i, r in enumerate(members):
            day = 0 if i < len(members) // 2 else 10
            it = Item(n=len(items) + 1, text=r["TITLE"], source=r["PUBLISHER"], url=r["URL"],
                      published=start + timedelta(days=day, minutes=i))
            items.append(it)
            gold[it.id] = story
    return items, gold


@pytest.mark.slow
def test_a_story_told_in_two_parts_is_linked_to_its_earlier_part(tmp_path):
    items, gold = _uci_in_two_parts()
    with Store(tmp_path / "parts.db") as store:
        store.ingest(items)
        stories = {s.id: s for s in store.stories()}
    label = {sid: Counter(gold[i] for i in s.item_ids).most_common(1)[0][0] for sid, s in stories.items()}
    linked = [s for s in stories.values() if s.continues]
    right = [s for s in linked if label[s.continues] == label[s.id]]
    assert all(stories[s.continues].last_seen <= s.first_seen for s in linked)
    assert len(right) == len(linked), "a story linked to another story's earlier part"
    assert sum(len(s.items) for s in right) >= 80  # measured: 5 parts, 105 of 429 later items, none wrong
