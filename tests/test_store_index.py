"""The store's near-copy keys in SQLite (newsdesk.store_index): filled for an older store at its
first ingest, resumed after a fill killed half-way, checked by `newsdesk check`, and giving the
decisions the in-memory indexes gave."""

from __future__ import annotations

import sqlite3

import pytest

from newsdesk import store_index
from newsdesk.options import Options
from newsdesk.store import Store

from .test_store import _ag_news, _syndicated

HASHING = Options(embedder="hashing")


def _tables(db) -> dict[str, set]:
    con = sqlite3.connect(str(db)) if not isinstance(db, sqlite3.Connection) else db
    return {t: set(con.execute(f"SELECT key, id FROM {t}")) for t in store_index.TABLES}


def _decisions(store: Store) -> list[tuple]:
    return store.db.execute("SELECT id, status, reason, duplicate_of, story FROM items ORDER BY n").fetchall()


def _as_older_store(db) -> None:
    """Make a store look written by the version before the key tables (schema 3)."""
    con = sqlite3.connect(str(db))
    for table in store_index.TABLES:
        con.execute(f"DROP TABLE {table}")
    con.execute("DELETE FROM meta WHERE key = 'dup_index'")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema'")
    con.commit()
    con.close()


@pytest.fixture(scope="module")
def syndicated():
    items, original = _syndicated(_ag_news(40))
    originals = [it for it in items if it.id not in original]
    copies = [it for it in items if it.id in original]
    return originals, copies, original


def test_every_original_has_its_keys_and_the_store_checks_clean(tmp_path, syndicated):
    originals, _, _ = syndicated
    with Store(tmp_path / "s.db", HASHING) as store:
        store.ingest(originals)
        kept = store.db.execute(f"SELECT count(*) FROM items WHERE {store_index.ORIGINAL}").fetchone()[0]
        tables = _tables(store.db)
        assert store.check() == []
    assert kept > 0
    assert len({iid for _, iid in tables["dup_band"]}) == kept  # every original has its bands
    assert all(len([1 for _, iid in tables["dup_band"] if iid == i]) == store_index.BANDS
               for i in {iid for _, iid in tables["dup_band"]})
    assert len(tables["dup_head"]) > 0 and len(tables["dup_prefix"]) > len(tables["dup_head"])


def test_an_older_store_is_filled_at_its_first_ingest_with_the_same_decisions(tmp_path, syndicated):
    originals, copies, original = syndicated
    for name in ("new.db", "old.db"):
        with Store(tmp_path / name, HASHING) as store:
            store.ingest(originals)
    reference = _tables(tmp_path / "new.db")
    _as_older_store(tmp_path / "old.db")
    with Store(tmp_path / "old.db", HASHING) as store:  # opening adds the empty tables (version 6)
        assert store.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("6",)
        assert _tables(store.db) == {t: set() for t in store_index.TABLES}
        assert "added" in {r[1] for r in store.db.execute("PRAGMA table_info(stories)")}
        assert "english" in {r[1] for r in store.db.execute("PRAGMA table_info(items)")}
        assert {"english", "english_size"} <= {r[1] for r in store.db.execute("PRAGMA table_info(stories)")}
    decisions = {}
    for name in ("new.db", "old.db"):
        with Store(tmp_path / name, HASHING) as store:
            store.ingest(copies)
            decisions[name] = _decisions(store)
            heads = dict(store.db.execute("SELECT id, coalesce(duplicate_of, id) FROM items"))
            assert store.check() == []
    assert decisions["old.db"] == decisions["new.db"]
    assert all(heads[c] == heads[o] for c, o in original.items())  # every copy found through the filled tables
    assert {t: rows for t, rows in _tables(tmp_path / "old.db").items()} == _tables(tmp_path / "new.db")
    assert all(reference[t] <= rows for t, rows in _tables(tmp_path / "old.db").items())


def test_a_fill_killed_half_way_resumes_where_it_stopped(tmp_path, syndicated, monkeypatch):
    originals, _, _ = syndicated
    with Store(tmp_path / "s.db", HASHING) as store:
        store.ingest(originals)
    full = _tables(tmp_path / "s.db")
    _as_older_store(tmp_path / "s.db")
    monkeypatch.setattr(store_index, "FILL_BLOCK", 7)
    written = []
    real_write = store_index.Keys.write

    def dies_at_the_third_block(self, db):
        if len(written) == 2:
            raise RuntimeError("killed")  # as a kill would: the block's transaction is rolled back
        written.append(1)
        real_write(self, db)

    monkeypatch.setattr(store_index.Keys, "write", dies_at_the_third_block)
    with Store(tmp_path / "s.db", HASHING) as store, pytest.raises(RuntimeError, match="killed"):
        store.ingest([])
    con = sqlite3.connect(str(tmp_path / "s.db"))
    mark = int(con.execute("SELECT value FROM meta WHERE key = 'dup_index'").fetchone()[0])
    half = _tables(con)
    con.close()
    assert 0 < len(half["dup_band"]) < len(full["dup_band"]) and mark > 0
    monkeypatch.setattr(store_index.Keys, "write", real_write)
    filled = []
    real_fill = store_index.expected
    monkeypatch.setattr(store_index, "expected", lambda rows, sigs: filled.append(rows) or real_fill(rows, sigs))
    with Store(tmp_path / "s.db", HASHING) as store:
        store.ingest([])
        assert filled and all(n > mark for rows in filled for n, _, _ in rows)  # blocks done were not read again
        assert store.check() == []
    assert _tables(tmp_path / "s.db") == full


def test_check_finds_a_damaged_key_table(tmp_path, syndicated):
    originals, _, _ = syndicated
    with Store(tmp_path / "s.db", HASHING) as store:
        store.ingest(originals)
        n, iid = store.db.execute(f"SELECT n, id FROM items WHERE {store_index.ORIGINAL} ORDER BY n LIMIT 1").fetchone()
        store.db.execute("DELETE FROM dup_band WHERE id = ?", (iid,))
        store.db.execute("INSERT INTO dup_prefix (key, id) VALUES (1, 'nobody')")
        found = store.check()
    assert f"item {n}: a key missing from dup_band (its copies would not be found)" in found
    assert "dup_prefix: a key of 'nobody', which is not stored" in found


def test_a_copy_is_found_by_each_key_in_a_later_ingest(tmp_path):
    text = ("The city council voted on Tuesday to expand the northern tram line by six stops, a plan that "
            "will cost about 140 million euros and open in 2029, officials said after a long debate.")
    words = text.split()
    with Store(tmp_path / "s.db", HASHING) as store:
        store.ingest([_item(1, text)])
        original = store.db.execute("SELECT id FROM items").fetchone()[0]
    copies = {"cut": " ".join(words[:24]),  # dup_head: cut short anywhere past HEAD_WORDS words
              "tag": text + " - report",  # dup_prefix: a short tag added
              "edit": text.replace("long", "heated")}  # dup_band: MinHash
    with Store(tmp_path / "s.db", HASHING) as store:
        store.ingest([_item(n, t) for n, t in enumerate(copies.values(), 2)])
        pointed = dict(store.db.execute("SELECT text, duplicate_of FROM items"))
    assert {kind: pointed[t] for kind, t in copies.items()} == {kind: original for kind in copies}


def _item(n: int, text: str):
    from newsdesk.model import Item

    return Item(n=n, text=text, source=f"outlet{n}", url=f"u:{n}")
