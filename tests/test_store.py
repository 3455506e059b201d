"""The store: idempotent ingest, incremental stories over real time, and crash safety."""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest

from newsdesk.clean import TOO_SHORT
from newsdesk.model import Item
from newsdesk.options import Options
from newsdesk.store import Store

from .conftest import DATA, need


def _polnear(split: str = "dev") -> list[Item]:
    folder = need(DATA / "polnear" / "data" / split / "text")
    items = []
    for n, path in enumerate(sorted(folder.glob("*.txt")), 1):
        outlet, day, _ = path.name.split("_", 2)
        text = path.read_text(encoding="utf-8").strip()
        title = text.splitlines()[0]
        items.append(Item(n=n, text=text[:1500], title=title, source=outlet, url=f"polnear:{path.name}",
                          published=datetime.fromisoformat(day).replace(tzinfo=timezone.utc)))
    return items


def _summary(store: Store):
    return [(s.id, s.items and sorted(s.item_ids), s.first_seen, s.last_seen) for s in store.stories()]


def test_incremental_over_real_time_is_idempotent_and_order_free(tmp_path):
    items = _polnear()
    with Store(tmp_path / "a.db") as store:
        first = store.ingest(items)
        assert first["new"] + first["duplicates"] + first["dropped"] == len(items)
        again = store.ingest(items)
        assert again == {"new": 0, "duplicates": 0, "dropped": 0, "seen": len(items)}
        stories = store.stories()
        closed = store.db.execute("SELECT count(*) FROM stories WHERE open = 0").fetchone()[0]
        a = _summary(store)
    assert sum(len(s.items) for s in stories) == first["new"] + first["duplicates"]
    assert closed > 0  # a year of news: stories close when quiet
    for s in stories:
        assert s.first_seen <= s.last_seen
    shuffled = items[:]
    random.Random(3).shuffle(shuffled)
    with Store(tmp_path / "b.db") as store:
        store.ingest(shuffled)
        assert _summary(store) == a


def _check_consistent(db: str, expected: int) -> None:
    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute("SELECT id FROM items")]
    assert len(ids) == len(set(ids)) == expected
    sizes = dict(con.execute("SELECT id, size FROM stories"))
    used = dict(con.execute("SELECT story, count(*) FROM items WHERE status='used' GROUP BY story"))
    assert sizes == used
    orphans = con.execute("SELECT count(*) FROM items WHERE status != 'dropped' AND story NOT IN "
                          "(SELECT id FROM stories)").fetchone()[0]
    assert orphans == 0
    merged = dict(con.execute("SELECT id, successor FROM merged_stories"))
    assert not set(merged) & set(sizes)  # a merged story's name is never a story's
    for successor in merged.values():  # each chain ends at a story
        chain = {successor}
        while successor in merged:
            successor = merged[successor]
            assert successor not in chain, "a loop of merged stories"
            chain.add(successor)
        assert successor in sizes


@pytest.mark.slow
def test_killed_ingest_leaves_a_consistent_store_and_rerun_completes(tmp_path):
    with need(DATA / "uci-news" / "uci-news-aggregator-999.csv").open(encoding="utf-8", newline="") as f:
        titles = list(dict.fromkeys(r["TITLE"] for r in csv.DictReader(f)))
    source = tmp_path / "titles.txt"
    source.write_text("\n".join(titles) + "\n", encoding="utf-8")
    db = str(tmp_path / "crash.db")
    env = dict(os.environ, NEWSDESK_STORE_CHUNK="16")
    cmd = [sys.executable, "-m", "newsdesk", "ingest", str(source), "--db", db]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        try:
            stored = sqlite3.connect(db).execute("SELECT count(*) FROM items").fetchone()[0]
        except sqlite3.Error:
            stored = 0
        if stored >= 100:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = sqlite3.connect(db).execute("SELECT count(*) FROM items").fetchone()[0]
    assert 0 < partial < len(titles)
    _check_consistent(db, partial)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{partial} already in the store" in done.stdout
    _check_consistent(db, len(titles))
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert again.stdout.startswith("0 new, 0 duplicates, 0 dropped")


# ---------------------------------------------------------------- syndicated copies


def _ag_news(limit: int) -> list[str]:
    with need(DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv").open(encoding="utf-8", newline="") as f:
        return [f"{t}. {d}".replace("\\", " ") for _, (_, t, d) in zip(range(limit), csv.reader(f))]


def _syndicated(texts: list[str]) -> tuple[list[Item], dict[str, str]]:
    """Each text, and copies as outlets send them: a footer, other punctuation, the end cut off."""
    items, original = [], {}
    for n, text in enumerate(texts):
        words = text.split()
        edits = [text + " (Reporting by Staff; Editing by Desk)", text.replace(", ", "; ").rstrip(".") + " ...",
                 text.replace(" - ", " \u2014 ") + " - The Associated Press"]
        if len(words) >= 30:
            edits.append(" ".join(words[: int(len(words) * 0.85)]))
        items.append(Item(n=len(items) + 1, text=text, source="wire", url=f"ag:{n}"))
        for c, edit in enumerate(edits):
            items.append(Item(n=len(items) + 1, text=edit, source=f"outlet{c}", url=f"ag:{n}#copy{c}"))
            original[items[-1].id] = items[-(c + 2)].id
    return items, original


class _CountingEmbedder:
    """The hashing embedder, counting the texts it is asked to embed."""

    def __init__(self):
        from newsdesk.embed import HashingEmbedder

        self.inner, self.texts = HashingEmbedder(), 0
        self.dim = self.inner.dim

    def encode(self, texts):
        self.texts += len(texts)
        return self.inner.encode(texts)


def _heads(store: Store) -> dict[str, str]:
    return dict(store.db.execute("SELECT id, coalesce(duplicate_of, id) FROM items"))


def test_copies_join_their_original_in_any_order_and_never_reach_the_model(tmp_path, monkeypatch):
    from newsdesk import store as store_module

    items, original = _syndicated(_ag_news(60))
    shuffled = items[:]
    random.Random(5).shuffle(shuffled)
    embedder = _CountingEmbedder()
    monkeypatch.setattr(store_module, "get_embedder", lambda name: embedder)
    with Store(tmp_path / "s.db", Options(embedder="hashing")) as store:
        counts = store.ingest(shuffled)
        heads = _heads(store)
    assert counts["duplicates"] + counts["dropped"] >= len(original)
    assert [c for c, o in original.items() if heads[c] != heads[o]] == []
    assert embedder.texts <= len(items) - len(original)  # one text per story, whichever copy came first


def test_document_frequencies_read_in_bulk_are_those_read_word_by_word(tmp_path):
    from newsdesk.store import _StoredCounts

    with Store(tmp_path / "f.db", Options(embedder="hashing")) as store:
        store.ingest([Item(n=n, text=t, url=f"ag:{n}") for n, t in enumerate(_ag_news(40), 1)])
        stored = dict(store.db.execute("SELECT word, count FROM df"))
        words = sorted(stored)[::3] + ["nosuchwordanywhere", "zzz"]
        one_by_one, bulk = _StoredCounts(store.db), _StoredCounts(store.db)
        bulk["zzz"] = 7  # held (changed by the chunk): not read again
        bulk.prefetch(words)
        held, read = dict(bulk), {w: one_by_one[w] for w in words}
    assert len(stored) > 100
    assert held == {**read, "zzz": 7}
    assert held["nosuchwordanywhere"] == 0 and all(held[w] == stored[w] > 0 for w in words[:-2])


def test_copies_ingested_later_point_to_the_stored_original(tmp_path):
    items, original = _syndicated(_ag_news(40))
    copies = [it for it in items if it.id in original]
    with Store(tmp_path / "l.db", Options(embedder="hashing")) as store:
        store.ingest([it for it in items if it.id not in original])
    with Store(tmp_path / "l.db", Options(embedder="hashing")) as store:  # indexes rebuilt from the file
        counts = store.ingest(copies)
        heads = _heads(store)
    assert counts["new"] == 0
    assert all(heads[c] == o or heads[c] == heads[o] for c, o in original.items())


def test_a_copy_of_a_dropped_item_is_dropped_and_points_to_it(tmp_path):
    short = Item(n=1, text="Nativity", source="a", url="u:1")  # too short to be news (a headline is kept)
    copy = Item(n=2, text="Nativity (Reporting by Staff; Editing by Desk)", source="b", url="u:2")
    first, second = sorted([short, copy], key=lambda it: it.id)  # the store's order: (published, id)
    with Store(tmp_path / "d.db", Options(embedder="hashing")) as store:
        assert store.ingest([short, copy])["dropped"] == 2
        rows = dict(store.db.execute("SELECT id, duplicate_of FROM items"))
    assert rows == {first.id: None, second.id: first.id}


def test_items_without_text_are_dropped_each_for_its_own_reason(tmp_path):
    """An empty text is nobody's copy: the items the reader dropped for having no text, and empty
    items given through the API, each keep their own verdict, in one ingest and across ingests
    (they once shared one exact-copy key: an empty item took the verdict of the first empty one
    stored and pointed to it)."""
    unread = [Item(n=n, text="", url=f"u:{n}", origin=f"f:{n}", junk_reason="no text") for n in (1, 2)]
    empty = [Item(n=n, text="", url=f"u:{n}") for n in (3, 4, 5)]
    with Store(tmp_path / "e.db", Options(embedder="hashing")) as store:
        store.ingest([*unread, *empty[:2]])
        store.ingest(empty[2:])  # indexes rebuilt from the file
        rows = {iid: (status, reason, copies) for iid, status, reason, copies in
                store.db.execute("SELECT id, status, reason, duplicate_of FROM items")}
    assert rows == ({it.id: ("dropped", "no text", None) for it in unread}
                    | {it.id: ("dropped", TOO_SHORT, None) for it in empty})


# ---------------------------------------------------------------- regrouping the open stories


def _uci_items(limit: int, outlets: bool = False) -> list[Item]:
    with need(DATA / "uci-news" / "uci-news-aggregator-999.csv").open(encoding="utf-8", newline="") as f:
        rows = list({r["TITLE"]: r for r in reversed(list(csv.DictReader(f)))}.values())[::-1][:limit]
    return [Item(n=n, text=r["TITLE"], url=f"uci:{n}", source=r["PUBLISHER"] if outlets else None)
            for n, r in enumerate(rows, 1)]


def _groups(store: Store) -> set[frozenset[str]]:
    return {frozenset(s.item_ids) for s in store.stories()}


def test_open_stories_do_not_depend_on_how_items_were_split_into_ingests(tmp_path):
    items = _uci_items(300)
    with Store(tmp_path / "one.db") as store:
        store.ingest(items)
        at_once = _groups(store)
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    with Store(tmp_path / "parts.db") as store:
        for part in range(3):
            store.ingest(shuffled[part::3])
        in_parts = _groups(store)
    with Store(tmp_path / "tracker.db", Options(story_regroup=False)) as store:
        for part in range(3):
            store.ingest(shuffled[part::3])
        tracked = _groups(store)
    assert in_parts == at_once
    assert tracked != at_once  # without the regroup, the tracker's grouping depends on arrival
    _check_consistent(str(tmp_path / "parts.db"), len(items))


def test_regrouped_stories_keep_their_ids(tmp_path):
    items = _uci_items(400)
    with Store(tmp_path / "s.db") as store:
        store.ingest(items[:250])
        before = {s.id: set(s.item_ids) for s in store.stories() if len(s.items) >= 10}
        store.ingest(items[250:])
        after = {s.id: set(s.item_ids) for s in store.stories()}
    assert len(before) >= 3
    for sid, members in before.items():  # a big story is still there, with most of its items
        assert sid in after and len(members & after[sid]) >= 0.8 * len(members), sid
    _check_consistent(str(tmp_path / "s.db"), len(items))


def test_a_window_too_big_to_regroup_whole_is_regrouped_around_what_changed(tmp_path, monkeypatch):
    """Past MAX_REGROUP open items, the regroup takes the stories that took new items and the
    stories nearest them, at most MAX_REGROUP items; every other story keeps its items."""
    from newsdesk import store as store_module

    items = _uci_items(400)
    db = str(tmp_path / "w.db")
    with Store(db, Options(embedder="hashing")) as store:
        store.ingest(items[:300])
        before = {s.id: set(s.item_ids) for s in store.stories()}
        monkeypatch.setattr(store_module, "MAX_REGROUP", 120)
        chosen: list[list[str]] = []
        choose = Store._neighbourhood
        monkeypatch.setattr(Store, "_neighbourhood",
                            lambda self, *args: chosen.append(choose(self, *args)) or chosen[-1])
        store.ingest(items[300:330])
        after = {s.id: set(s.item_ids) for s in store.stories()}
        new_ids = {it.id for it in items[300:330]}
        changed = {sid for sid, members in after.items() if members & new_ids}
    assert len(chosen) == 1 and 0 < sum(len(before.get(sid, ())) for sid in chosen[0]) <= 120
    left_out = set(before) - set(chosen[0])
    assert left_out and all(after[sid] == before[sid] for sid in left_out)  # untouched, ids and items
    assert not changed & left_out  # the new items went to stories the regroup saw
    mark = sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'regrouped'").fetchone()
    assert mark == ("330",)  # the last item the regroup saw: the next one starts from there
    _check_consistent(db, 330)


def _meta(db: str, key: str):
    return sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()


def test_a_small_ingest_regroups_only_around_its_items_until_a_full_regroup_is_due(tmp_path, monkeypatch):
    """A small ingest regroups the stories that took its items and their nearest (at most
    small_bound items), not the whole window; once the items since the last full regroup reach
    FULL_SHARE of the window, the whole window is regrouped again."""
    from newsdesk import store as store_module

    monkeypatch.setattr(store_module, "SMALL_REGROUP", 60)  # the window (about 290) is many times that
    monkeypatch.setattr(store_module, "SMALL_PER_ITEM", 2)
    seen: list[tuple[int, bool]] = []
    regroup = Store._regroup
    monkeypatch.setattr(Store, "_regroup", lambda self, tracker: seen.append(regroup(self, tracker)) or seen[-1])
    items = _uci_items(400)
    db = str(tmp_path / "small.db")
    with Store(db, Options(embedder="hashing")) as store:
        store.ingest(items[:300])
        window = seen[-1][0]
        assert seen == [(window, True)] and window > 200 and _meta(db, "regrouped_full") == ("300",)
        before = {s.id: set(s.item_ids) for s in store.stories()}
        store.ingest(items[300:310])
        after = {s.id: set(s.item_ids) for s in store.stories()}
        assert 0 < seen[-1][0] <= 60 and not seen[-1][1]  # 10 items: the neighbourhood only
        touched = {sid for sid in set(before) | set(after) if before.get(sid) != after.get(sid)}
        new_ids = {it.id for it in items[300:310]}
        assert sum(len(after[sid] - new_ids) for sid in touched if sid in after) <= 60  # the rest kept as they were
        assert _meta(db, "regrouped") == ("310",) and _meta(db, "regrouped_full") == ("300",)
        for first in range(310, 400, 10):  # small ingests until their items reach a tenth of the window
            store.ingest(items[first:first + 10])
            if seen[-1][1]:
                break
        size, full = seen[-1]
        assert full and size > 200, seen  # the whole window again
        assert first + 10 - 300 >= store_module.FULL_SHARE * size
        assert _meta(db, "regrouped_full") == _meta(db, "regrouped") == (str(first + 10),)
    _check_consistent(db, first + 10)


def test_items_of_an_ingest_killed_before_its_regroup_are_regrouped_by_the_next(tmp_path, monkeypatch):
    """The marks move only with a regroup's stories: after an ingest killed before its small
    regroup, the next ingest's neighbourhood still starts from the killed ingest's items."""
    from newsdesk import store as store_module

    monkeypatch.setattr(store_module, "SMALL_REGROUP", 60)
    monkeypatch.setattr(store_module, "SMALL_PER_ITEM", 2)
    items = _uci_items(320)
    db = str(tmp_path / "killed.db")
    with Store(db, Options(embedder="hashing")) as store:
        store.ingest(items[:300])
    with monkeypatch.context() as patched:
        def killed(self, tracker):
            raise KeyboardInterrupt
        patched.setattr(Store, "_regroup", killed)
        with Store(db, Options(embedder="hashing")) as store, pytest.raises(KeyboardInterrupt):
            store.ingest(items[300:310])
    assert _meta(db, "regroup") == ("1",) and _meta(db, "regrouped") == ("300",)
    chosen: list[list[str]] = []
    choose = Store._neighbourhood
    monkeypatch.setattr(Store, "_neighbourhood", lambda self, *args: chosen.append(choose(self, *args)) or chosen[-1])
    with Store(db, Options(embedder="hashing")) as store:
        store.ingest(items[310:312])
        story_of = {i: s.id for s in store.stories() for i in s.item_ids}
    killed_stories = {story_of[it.id] for it in items[300:312] if it.id in story_of}
    assert len(chosen) == 1 and killed_stories <= set(chosen[0])  # the killed ingest's stories too
    assert _meta(db, "regroup") == ("0",) and _meta(db, "regrouped") == ("312",)
    _check_consistent(db, 312)


def test_an_interrupted_regroup_leaves_the_store_as_it_was_and_the_next_ingest_finishes_it(tmp_path, monkeypatch):
    items = _uci_items(200)
    db = str(tmp_path / "r.db")

    def killed(self, rows, *args):
        self.db.execute("UPDATE items SET story = NULL WHERE id = ?", (rows[0][0],))  # half written
        raise KeyboardInterrupt

    from newsdesk import store as store_module

    monkeypatch.setattr(store_module, "CHUNK", 16)  # the tracker sees small chunks: its stories differ
    with monkeypatch.context() as patched:
        patched.setattr(Store, "_write_groups", killed)
        with Store(db) as store, pytest.raises(KeyboardInterrupt):
            store.ingest(items)
    _check_consistent(db, len(items))
    tracker_groups = _groups(Store(db))
    assert sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'regroup'").fetchone() == ("1",)
    with Store(db) as store:
        assert store.ingest(items)["seen"] == len(items)  # nothing new, but the regroup is done
        regrouped = _groups(store)
    with Store(tmp_path / "clean.db") as store:
        store.ingest(items)
        assert regrouped == _groups(store) != tracker_groups
    assert sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'regroup'").fetchone() == ("0",)
    _check_consistent(db, len(items))


def test_regroups_over_many_ingests_keep_ids_unique_and_sizes_true(tmp_path):
    """A story split off from the story named after its first item is named after its items; a
    later regroup must not hand that name to two groups (one group's row once overwrote the
    other's, leaving two stories under one id with the size of one)."""
    items = _uci_items(400, outlets=True)
    random.Random(1).shuffle(items)
    db = str(tmp_path / "m.db")
    with Store(db, Options(embedder="hashing")) as store:
        for part in range(4):
            store.ingest(items[part::4])
            _check_consistent(db, sum(len(items[p::4]) for p in range(part + 1)))


def test_a_story_merged_by_a_regroup_is_found_under_its_old_id(tmp_path, monkeypatch):
    from newsdesk import store as store_module

    from .conftest import run_cli

    monkeypatch.setattr(store_module, "CHUNK", 16)  # the tracker sees small chunks: it splits stories
    items = _uci_items(200)
    db = tmp_path / "m.db"
    with Store(db, Options(story_regroup=False)) as store:
        store.ingest(items[:150])
        before = {s.id: set(s.item_ids) for s in store.stories()}
    shutil.copy(db, tmp_path / "probe.db")  # the same ingest on a copy says which stories will merge
    with Store(tmp_path / "probe.db") as probe:
        probe.ingest(items[150:])
        gone = sorted(set(before) - {s.id for s in probe.stories()})
    assert len(gone) >= 3
    briefed = gone[0]
    with Store(db) as store:
        store.brief(briefed)
        store.ingest(items[150:])
        after = {s.id: set(s.item_ids) for s in store.stories()}
        assert sorted(set(before) - set(after)) == gone
        for sid in gone:  # it lives on in the story that took most of its items
            now = store.current_id(sid)
            assert len(before[sid] & after[now]) == max(len(before[sid] & m) for m in after.values())
            assert {it.id for it in store.story_items(sid)} == after[now]
        update = store.brief_update(briefed, "last")  # against the brief of the story before it merged
        assert update.story == store.current_id(briefed) and update.baseline is not None
        assert set(update.new_item_ids) == after[update.story] - before[briefed]
        successor = store.current_id(gone[0])
    cli = run_cli("claims", "--story", gone[0], "--db", str(db), "--format", "json")
    assert cli.returncode == 0, cli.stderr.decode()
    assert f"merged into story {successor}" in cli.stderr.decode()
    _check_consistent(str(db), len(items))


def test_stories_of_undated_items_close_when_quiet_by_ingest_time(tmp_path, monkeypatch):
    from newsdesk import store as store_module

    items = _uci_items(300)
    clock = [datetime(2026, 3, 1, tzinfo=timezone.utc)]
    monkeypatch.setattr(store_module, "_now", lambda: clock[0])
    with Store(tmp_path / "u.db") as store:
        store.ingest(items[:150])
        first = {s.id for s in store.stories()}
        clock[0] = datetime(2026, 3, 9, tzinfo=timezone.utc)
        store.ingest(items[150:])  # eight days later: the first day's stories were quiet since
        stories = store.stories()
        is_open = dict(store.db.execute("SELECT id, open FROM stories"))
    assert all(it.published is None for it in items)
    later = {it.id for it in items[150:]}
    for s in stories:
        old = s.id in first
        assert s.first_seen.day == (1 if old else 9)
        if not old or not later & set(s.item_ids):
            assert is_open[s.id] == (not old), s.label
    assert sum(not v for v in is_open.values()) >= 5  # some stories had no new item on day 9
    _check_consistent(str(tmp_path / "u.db"), len(items))


def test_undated_items_of_an_archive_take_its_time_not_today(tmp_path):
    """A 2014 archive with a few undated items: they must not close its stories as quiet since
    2014 (by today's clock), so the store groups them as if every item were dated."""
    dated = [Item(n=it.n, text=it.text, url=it.url, published=datetime(2014, 3, 10, tzinfo=timezone.utc))
             for it in _uci_items(300)]
    mixed = [Item(n=it.n, text=it.text, url=it.url) if it.n % 10 == 0 else it for it in dated]
    with Store(tmp_path / "dated.db") as store:
        store.ingest(dated)
        expected = _groups(store)
    with Store(tmp_path / "mixed.db") as store:
        store.ingest(mixed)
        assert _groups(store) == expected
        assert store.db.execute("SELECT count(*) FROM stories WHERE open = 0").fetchone() == (0,)
        assert {s.last_seen for s in store.stories()} == {datetime(2014, 3, 10, tzinfo=timezone.utc)}


def test_a_regroup_never_names_a_group_after_a_story_it_emptied(tmp_path):
    """Story S was named after item a0, which an earlier regroup moved to T. Now S empties and
    a0 alone forms a new group: that group must not take S's name, or the live story would
    also be recorded as merged (into T), and its id would lead elsewhere."""
    import numpy as np

    from newsdesk.cluster import StoryTracker, story_id

    S, T, U = story_id("a0"), "sT0000000000", "sU0000000000"
    members = {T: ["a0", "t1", "t2", "t3"], S: ["s1", "s2"], U: ["u1", "u2", "u3"]}
    regrouped = {"a0": 2, "t1": 0, "t2": 0, "t3": 0, "s1": 0, "s2": 1, "u1": 1, "u2": 1, "u3": 1}
    db = str(tmp_path / "names.db")
    with Store(db) as store:
        for k, sid in enumerate([T, S, U]):
            store.db.execute("INSERT INTO stories (k, id, label, size, sum, words, open) "
                             "VALUES (?, ?, ?, ?, x'', '{}', 1)", (k, sid, sid, len(members[sid])))
            store.db.executemany("INSERT INTO items (id, text, status, story, vector, added) "
                                 "VALUES (?, ?, 'used', ?, ?, '2026-03-01T00:00:00+00:00')",
                                 [(iid, f"text of {iid}", sid, np.ones(4, np.float32).tobytes()) for iid in members[sid]])
        rows = store.db.execute("SELECT id, text, title, vector, story, added, language, english FROM items "
                                "ORDER BY id").fetchall()
        store._ids = [T, S, U]
        store.db.execute("BEGIN IMMEDIATE")
        store._write_groups(rows, [r[1] for r in rows], np.ones((len(rows), 4), np.float32),
                            [regrouped[r[0]] for r in rows], [1, 2, 0], StoryTracker().tf)  # centres: s1, s2, a0
        store.db.execute("COMMIT")
        alone = store.db.execute("SELECT story FROM items WHERE id = 'a0'").fetchone()[0]
        assert alone != S and store.current_id(alone) == alone
        assert store.current_id(S) == T and {it.id for it in store.story_items(S)} == {"t1", "t2", "t3", "s1"}
    _check_consistent(db, 9)


def test_a_regroup_raced_by_another_ingest_is_left_to_the_next(tmp_path, monkeypatch):
    """Ingests take turns (a lock per store), so this race needs a writer that does not take the
    lock (an older newsdesk): the regroup still writes nothing over what it did not see."""
    import contextlib

    from newsdesk import store as store_module

    items = _uci_items(150)
    db = str(tmp_path / "c.db")
    real = store_module.window_labels

    def raced(*args, **kwargs):  # another ingest commits while this one clusters
        monkeypatch.setattr(store_module, "window_labels", real)
        monkeypatch.setattr(Store, "_ingest_lock", lambda self: contextlib.nullcontext())
        with Store(db, Options(story_regroup=False)) as other:
            other.ingest(items[100:])
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module, "window_labels", raced)
    with Store(db) as store:
        store.ingest(items[:100])
    assert sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'regroup'").fetchone() == ("1",)
    _check_consistent(db, len(items))
    with Store(db) as store:
        store.ingest([])  # nothing new, but the regroup left undone is done
        regrouped = _groups(store)
    with Store(tmp_path / "clean.db") as store:
        store.ingest(items)
        assert regrouped == _groups(store)
    _check_consistent(db, len(items))


def test_a_new_story_never_takes_a_name_in_use():
    from newsdesk.cluster import story_id

    taken = {story_id("a1"), story_id("b2")}
    first = Store._free_id(["a1", "b2"], taken)
    assert first not in taken
    taken.add(first)
    assert Store._free_id(["a1", "b2"], taken) not in taken
    assert Store._free_id(["a1", "c3"], taken) == story_id("c3")


def test_search_follows_items_to_their_regrouped_story(tmp_path):
    items = _uci_items(400)
    random.Random(1).shuffle(items)
    with Store(tmp_path / "w.db", Options(embedder="hashing")) as store:
        store.ingest(items[0::2])  # ingest indexes its items for search
        for sid in store.stale_claim_stories():
            store.index_claims(sid, [], store.items(sid))
        store.ingest(items[1::2])  # the regroup moves items indexed above
        story = dict(store.db.execute("SELECT id, story FROM items"))
        stories = {s.id for s in store.stories()}
        stale = store.stale_claim_stories()
        for it in items[:40]:
            hits = store.search(it.text)["items"]
            assert any(h["id"] == it.id and h["story"] == story[it.id] for h in hits), it.text
            assert story[it.id] in store.stories_matching(it.text)
    assert set(stale) <= stories and stale  # moved items make their stories stale


def test_first_and_last_seen_follow_time_not_the_text_of_offsets(tmp_path):
    """10:00 at UTC-5 is 15:00 UTC: later than 12:00 UTC, though it sorts first as text."""
    from datetime import timedelta

    base = "Zanzibar port strike enters its second day as dockers demand higher pay, the union said."
    items = [Item(n=1, text=base, url="z:1", published=datetime(2026, 3, 5, 12, tzinfo=timezone.utc)),
             Item(n=2, text=base, url="z:2",  # a copy from another outlet: no regroup recomputes the times
                  published=datetime(2026, 3, 5, 10, tzinfo=timezone(timedelta(hours=-5))))]
    with Store(tmp_path / "t.db", Options(embedder="hashing")) as store:
        store.ingest(items[:1])
        store.ingest(items[1:])
        (story,) = store.stories()
    assert story.first_seen == datetime(2026, 3, 5, 12, tzinfo=timezone.utc)
    assert story.last_seen == datetime(2026, 3, 5, 15, tzinfo=timezone.utc)


def test_a_store_from_before_the_seen_at_column_gets_it_and_keeps_working(tmp_path):
    db = tmp_path / "old.db"
    items = _uci_items(60)
    with Store(db) as store:
        store.ingest(items[:30])
        store.db.execute("ALTER TABLE items DROP COLUMN seen_at")  # as a store written before it existed,
        store.db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")  # at an older version
    with Store(db) as store:
        assert store.ingest(items)["seen"] == 30
        assert all(s.first_seen for s in store.stories())
    _check_consistent(str(db), len(items))


class _RecordingEmbedder(_CountingEmbedder):
    """The hashing embedder, keeping the texts it is asked to embed."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def encode(self, texts):
        self.seen += texts
        return super().encode(texts)


_LONG = " ".join(f"Report {i} says the river rose by {i} metres near the town of Alder on Tuesday."
                 for i in range(1, 13))  # about 950 characters of distinct sentences


def test_a_new_store_embeds_heads_and_one_built_before_keeps_whole_texts(tmp_path, monkeypatch):
    """Stored vectors are compared with new ones, so a store keeps the length its vectors read:
    a new store records VECTOR_CHARS; one written before that was recorded reads all the text."""
    from newsdesk import store as store_module
    from newsdesk.cluster import CLUSTER_CHARS, VECTOR_CHARS

    embedder = _RecordingEmbedder()
    monkeypatch.setattr(store_module, "get_embedder", lambda name: embedder)
    with Store(tmp_path / "v.db", Options(embedder="hashing")) as store:
        store.ingest([Item(n=1, text=_LONG, url="u:1")])
        assert store.db.execute("SELECT value FROM meta WHERE key = 'vector_chars'").fetchone() == (str(VECTOR_CHARS),)
        store.db.execute("DELETE FROM meta WHERE key = 'vector_chars'")  # as an older version left it
    assert len(embedder.seen) == 1 and len(embedder.seen[0]) <= VECTOR_CHARS
    other = " ".join(f"Memo {i} notes that the council spent {i} million on new roads in Cedar last year."
                     for i in range(1, 13))
    with Store(tmp_path / "v.db", Options(embedder="hashing")) as store:
        store.ingest([Item(n=2, text=other, url="u:2")])
        assert store.db.execute("SELECT value FROM meta WHERE key = 'vector_chars'").fetchone() == (str(CLUSTER_CHARS),)
    assert embedder.seen[1] == other  # the whole clustering text, as the stored vectors read it


_FILLER = ["Heavy rain floods the lower town as the river bursts its banks overnight",
           "The central bank holds interest rates steady for a third month running",
           "A new museum of modern art opens its doors to visitors in the old harbour",
           "Local football club signs a young striker from a rival in the north",
           "Scientists find water ice in a crater near the south pole of the moon",
           "Train drivers announce a strike over pay and working hours next week",
           "The city council approves a plan for more cycle lanes in the centre",
           "A famous violinist cancels her tour after an injury to her left hand",
           "Farmers warn that the dry summer will shrink the wheat harvest this year",
           "Hackers steal the personal data of millions of customers of a phone company"]
_GERMAN = ["Die Bundesregierung beschließt ein Gesetz zur Förderung erneuerbarer Energien im ganzen Land",
           "Der Stadtrat stimmt einem neuen Plan für mehr Radwege in der Innenstadt zu"]
_MERGER = "Chiquita and Fyffes agree to merge into the largest banana company of the world"
_RETOLD = "Banana giants Fyffes and Chiquita announce a merger deal worth over a billion dollars"
_SEQUEL = "Shareholders of Fyffes vote on the Chiquita takeover offer at a meeting in Dublin"


class _TableEmbedder:
    """An embedder that reads each text's vector from a table (a random unit vector, fixed by the
    text, for a text not in it)."""

    dim = 64

    def __init__(self, table: dict):
        self.table = table

    def encode(self, texts):
        import hashlib

        import numpy as np

        def fallback(text):
            seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).normal(size=self.dim)
            return v / np.linalg.norm(v)

        return np.stack([self.table.get(t, fallback(t)) for t in texts]).astype(np.float32)


def _two_models(monkeypatch, minilm: dict) -> None:
    """Put the store on two table embedders: the multilingual one reads every text as a random
    vector (no two texts close), MiniLM reads `minilm`."""
    from newsdesk import cluster as cluster_module
    from newsdesk import store as store_module

    models = {"multilingual": _TableEmbedder({}), "minilm": _TableEmbedder(minilm)}
    pick = lambda name: models["multilingual" if name == "multilingual" else "minilm"]  # noqa: E731
    monkeypatch.setattr(store_module, "get_embedder", pick)
    monkeypatch.setattr(cluster_module, "get_embedder", pick)


def _dated(texts: list[str], day: int) -> list[Item]:
    when = datetime(2026, 3, day, 12, tzinfo=timezone.utc)
    return [Item(n=n, text=t, url=f"t:{t[:20]}", published=when) for n, t in enumerate(texts, 1)]


def test_english_paraphrases_and_continuations_are_read_by_minilm_in_a_mostly_english_store(tmp_path, monkeypatch):
    """A store on the multilingual model (one German item) whose window is mostly English: an
    English item that MiniLM reads as a paraphrase of a stored English one is merged into it,
    though their multilingual vectors are far apart; and a story begun after a quiet spell that
    MiniLM puts close to a closed English story continues it. In a window that is not mostly
    English, the multilingual vectors decide: no paraphrase."""
    import numpy as np

    rng = np.random.default_rng(11)
    merger = rng.normal(size=64)
    merger /= np.linalg.norm(merger)
    aside = rng.normal(size=64)
    aside -= (aside @ merger) * merger
    aside /= np.linalg.norm(aside)
    _two_models(monkeypatch, {_MERGER: merger, _RETOLD: merger, _SEQUEL: 0.8 * merger + 0.6 * aside})
    options = Options(min_item_words=1)
    with Store(tmp_path / "en.db", options) as store:
        store.ingest(_dated([_GERMAN[0], *_FILLER, _MERGER], 1))
        assert store.embedder == "multilingual"
        store.ingest(_dated([_RETOLD], 1))
        store.ingest(_dated([_SEQUEL], 20))  # after the quiet spell: a new story
        rows = {text: (status, reason, story) for text, status, reason, story in store.db.execute(
            "SELECT text, status, reason, story FROM items")}
        continues = dict(store.db.execute("SELECT id, continues FROM stories"))
    assert rows[_RETOLD][:2] == ("merged", "duplicate (semantic)")
    assert rows[_SEQUEL][0] == "used" and rows[_SEQUEL][2] != rows[_MERGER][2]
    assert continues[rows[_SEQUEL][2]] == rows[_MERGER][2]
    with Store(tmp_path / "mixed.db", options) as store:  # two German items of four: not mostly English
        store.ingest(_dated([*_GERMAN, _MERGER], 1))
        store.ingest(_dated([_RETOLD], 1))
        assert store.db.execute("SELECT status FROM items WHERE text = ?", (_RETOLD,)).fetchone() == ("used",)
