"""The store: idempotent ingest, incremental stories over real time, and crash safety."""

from __future__ import annotations

import csv
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest

from newsdesk.model import Item
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
