"""`newsdesk brief --story ID [--since last|DATE]` and Store.brief: briefs of stored stories,
and what changed since the last brief; MinHash near duplicates across separate ingests."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from newsdesk.model import BriefUpdate, Item
from newsdesk.options import Options
from newsdesk.store import Store

from .conftest import KURSK, need, run_cli


def _kursk() -> list[Item]:
    lines = [line for line in need(KURSK).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Item(n=n, text=t, published=datetime(2025, 3, n, tzinfo=timezone.utc)) for n, t in enumerate(lines, 1)]


@pytest.fixture(scope="module")
def kursk_store(tmp_path_factory):
    """A store holding the first half of the Kursk snippets, then a brief, then the rest."""
    path = tmp_path_factory.mktemp("briefs") / "k.db"
    items = _kursk()
    half = len(items) // 2
    with Store(path) as store:
        store.ingest(items[:half])
        story = store.stories()[0]
        first = store.brief(story.id)
        store.ingest(items[half:])
        update = store.brief_update(story.id, "last")
        again = store.brief_update(story.id, "last")
        by_date = store.brief_update(story.id, datetime(2025, 3, half + 1, tzinfo=timezone.utc))
        numbers = {it.id: it.n for it in store.items()}
    return dict(path=path, items=items, half=half, story=story, first=first, update=update, again=again,
                by_date=by_date, numbers=numbers)


def test_a_stored_story_is_briefed_with_store_numbers_and_stable_ids(kursk_store):
    first, numbers = kursk_store["first"], kursk_store["numbers"]
    assert first.sentences and first.claims
    assert {e.id: e.n for e in first.items} == {i: n for i, n in numbers.items() if n in {e.n for e in first.items}}
    story = kursk_store["story"]
    assert sorted(e.n for e in first.items) == sorted(story.items)


def test_since_last_lists_new_items_claims_and_figures(kursk_store):
    update, numbers, half = kursk_store["update"], kursk_store["numbers"], kursk_store["half"]
    assert isinstance(update, BriefUpdate) and update.baseline is not None
    later = {numbers[it.id] for it in kursk_store["items"][half:] if it.id in numbers}
    assert later and set(update.new_items) <= later
    assert set(update.new_items) == {n for n in later if n in {e.n for e in update.brief.items}}
    assert update.new_claims and all(c.item in later for c in update.new_claims)
    assert all(set(f.items) <= later for f in update.changed_figures)
    assert len(update.brief.items) > len(kursk_store["first"].items)
    again = kursk_store["again"]  # nothing arrived since the previous brief
    assert again.new_items == [] and again.new_claims == [] and again.changed_figures == []


def test_since_a_date_uses_publication_times(kursk_store):
    by_date, update = kursk_store["by_date"], kursk_store["update"]
    assert by_date.baseline is None and by_date.since.startswith("2025-03-")
    assert by_date.new_items == update.new_items
    assert {c.content for c in by_date.new_claims} <= {c.content for c in by_date.brief.claims}


def test_cli_story_brief_and_changes(kursk_store):
    path, story = str(kursk_store["path"]), kursk_store["story"].id
    md = run_cli("brief", "--story", story, "--db", path, "--since", "2025-03-06")
    assert md.returncode == 0, md.stderr.decode()
    text = md.stdout.decode()
    assert text.startswith("## What changed since 2025-03-06") and "new items" in text
    js = run_cli("brief", "--story", story, "--db", path, "--since", "last", "--format", "json")
    assert js.returncode == 0, js.stderr.decode()
    data = json.loads(js.stdout)
    assert set(data["changes"]) >= {"new_items", "new_claims", "changed_figures", "since", "baseline"}
    assert data["changes"]["baseline"] is not None
    assert all(e["id"] for e in data["items"]) and data["sentences"]
    plain = run_cli("brief", "--story", story, "--db", path, "--format", "json")
    assert plain.returncode == 0 and "changes" not in json.loads(plain.stdout)


def test_cli_story_errors(kursk_store, tmp_path):
    path, story = str(kursk_store["path"]), kursk_store["story"].id
    unknown = run_cli("brief", "--story", "s0000nothere", "--db", path)
    assert unknown.returncode == 2 and "s0000nothere" in unknown.stderr.decode()
    assert len(unknown.stderr.decode().strip().splitlines()) == 1
    missing = run_cli("brief", "--story", story, "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and "newsdesk ingest" in missing.stderr.decode()
    both = run_cli("brief", str(KURSK), "--story", story, "--db", path)
    assert both.returncode == 2 and "not both" in both.stderr.decode()
    bad = run_cli("brief", "--story", story, "--db", path, "--since", "yesterday")
    assert bad.returncode == 2 and "--since" in bad.stderr.decode()


def _paragraphs(count: int = 30) -> list[str]:
    folder = need(KURSK.parent / "polnear" / "data" / "dev" / "text")
    return [p.read_text(encoding="utf-8").strip()[:1200] for p in sorted(folder.glob("*.txt"))[:count]]


def test_near_copies_in_a_later_ingest_point_to_their_original(tmp_path):
    texts = _paragraphs()
    originals = [Item(n=n, text=t, source="wire", url=f"wire:{n}") for n, t in enumerate(texts, 1)]
    copies = [Item(n=n, text=t.replace(",", ";")[: int(len(t) * 0.9)] + " Read more at dailyoutlet.example.",
                   source="outlet", url=f"outlet:{n}") for n, t in enumerate(texts, 1)]
    path = tmp_path / "near.db"
    options = Options(embedder="hashing", semantic_duplicate_similarity=1.01)  # only MinHash can match
    with Store(path, options) as store:
        store.ingest(originals)
        signatures = store.db.execute("SELECT count(*) FROM minhash").fetchone()[0]
        assert signatures == store.db.execute("SELECT count(*) FROM items WHERE status = 'used'").fetchone()[0]
    with Store(path, options) as store:  # a separate ingest, the index rebuilt from the file
        counts = store.ingest(copies)
        rows = store.db.execute("SELECT id, duplicate_of, reason FROM items WHERE source = 'outlet'").fetchall()
        stories = {s.id: s for s in store.stories()}
    by_url = {it.url: it.id for it in originals}
    expected = {it.id: by_url[f"wire:{it.n}"] for it in copies}
    assert counts["duplicates"] == len(copies) - counts["dropped"] and counts["new"] == 0
    for iid, dup, reason in rows:
        assert dup == expected[iid] and reason == "duplicate (near)"
    assert sum(s.origins for s in stories.values()) == len(originals)


def test_short_copies_with_a_footer_join_their_original_in_either_order(tmp_path):
    import csv

    from .conftest import DATA

    with need(DATA / "uci-news" / "uci-news-aggregator-999.csv").open(encoding="utf-8", newline="") as f:
        titles = list(dict.fromkeys(r["TITLE"] for r in csv.DictReader(f)))[:40]
    options = Options(embedder="hashing", semantic_duplicate_similarity=1.01)
    originals = [Item(n=n, text=t, source="wire", url=f"wire:{n}") for n, t in enumerate(titles, 1)]
    footed = [Item(n=n, text=t + " Follow us on Twitter for more.", source="outlet", url=f"outlet:{n}")
              for n, t in enumerate(titles, 1)]
    with Store(tmp_path / "a.db", options) as store:  # the original first, the copy in a later ingest
        store.ingest(originals)
        store.ingest(footed)
        rows = dict(store.db.execute("SELECT url, coalesce(duplicate_of, id) FROM items"))
        status = dict(store.db.execute("SELECT url, status FROM items"))
    kept = [n for n in range(1, len(titles) + 1) if status[f"wire:{n}"] == "used"]
    assert len(kept) >= 35
    assert all(rows[f"outlet:{n}"] == rows[f"wire:{n}"] for n in kept)
    with Store(tmp_path / "b.db", options) as store:  # the copy with its footer first: kept as news
        store.ingest(footed)
        store.ingest(originals)
        rows = dict(store.db.execute("SELECT url, coalesce(duplicate_of, id) FROM items"))
        status = dict(store.db.execute("SELECT url, status FROM items"))
    assert all(status[f"outlet:{n}"] != "dropped" for n in kept)  # kept as news despite the footer
    # A few UCI headlines are near copies of each other ("UPDATE 1-ECB to reveal ..."): such a
    # chain may end at another member of the same copy family.
    assert sum(rows[f"outlet:{n}"] == rows[f"wire:{n}"] for n in kept) >= len(kept) - 3
