"""The store's near-copy keys, kept in its own tables instead of in memory.

The cheap pass of an ingest (:mod:`newsdesk.store`) asks, for each new item, whether an original
already stored is the same text cut short or with a few words added (prefix keys, dedup.prefix_keys)
or a lightly edited copy (MinHash LSH bands). Those keys used to be rebuilt in Python dicts from
every stored original when an ingest began: seconds and about 14 KB an item, so that memory grew
with the store. They live here instead, in three tables that each lookup queries by an indexed key:

- `dup_prefix (key, id)`: the cuts of an original (its text less its last 1 to TAIL_MAX words);
- `dup_head (key, id)`: the first HEAD_WORDS words of a long original (copies cut anywhere);
- `dup_band (key, id)`: its 16 MinHash bands (a hash of the band number and its 8 rows).

Keys are 64-bit hashes; a lookup returns candidates, which the store confirms on the texts (word
for word, or the exact shingle Jaccard), so a collision costs one check and never makes a copy.
Exact copies need no table: `items.norm` is indexed.

An original's keys are written with it, in the transaction of its chunk. A store written before
these tables (or loaded by the Spark path) has them filled at its next ingest, 2,048 originals per
transaction, the progress in `meta` ('dup_index': the last item number covered), so a fill killed
half-way resumes where it stopped and a block done twice adds nothing (the keys are unique).

Which rows count (:data:`LIVE`): the keys of originals, and of this ingest's items whatever they
became. An item the cheap pass took for an original may still turn out a paraphrase when its chunk
is embedded: within the ingest it stays a candidate, as it did in memory; from the next ingest on
only originals are, as when the indexes were rebuilt from the originals. So the decisions are
those of the in-memory indexes, item for item.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from collections.abc import Iterable, Sequence

import numpy as np

from . import dedup

SCHEMA = """
CREATE TABLE IF NOT EXISTS dup_prefix (key INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (key, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dup_head (key INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (key, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dup_band (key INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (key, id)) WITHOUT ROWID;
"""

TABLES = ("dup_prefix", "dup_head", "dup_band")

BANDS, ROWS = 16, 8
"""LSH banding of the 128-permutation signatures: 16 bands of 8 rows (what datasketch picks for
a threshold of 0.65, below the 0.8 Jaccard decision so that banding misses few real copies)."""

FILL_BLOCK = 2048
"""Originals whose keys one transaction of the fill writes."""

ORIGINAL = "duplicate_of IS NULL AND status IN ('used', 'dropped')"
"""SQL condition of the items that copies point to: kept items and dropped items that copy nothing."""

LIVE = "(i.duplicate_of IS NULL OR i.added = ?)"
"""The rows a lookup may return (see the module's docstring): `?` is this ingest's time."""


def digest(words: Sequence[str]) -> bytes:
    """SHA-1 of the joined words: its hex is a word list's exact-copy key (the `norm` column), its
    first 8 bytes the prefix key (:func:`prefix_key`), so one hash serves both."""
    return hashlib.sha1(" ".join(words).encode("utf-8")).digest()


def prefix_key(digest_: bytes) -> int:
    """The key of a prefix: 8 bytes of its digest, as a signed int (SQLite's INTEGER)."""
    return int.from_bytes(digest_[:8], "big", signed=True)


def band_keys(sig: np.ndarray) -> list[int]:
    """The keys of a signature's bands: each band's number and rows, hashed to 64 bits (two equal
    rows in different bands are different keys)."""
    return [int.from_bytes(hashlib.blake2b(bytes([band]) + sig[band * ROWS:(band + 1) * ROWS].tobytes(),
                                           digest_size=8).digest(), "big", signed=True) for band in range(BANDS)]


class Digests:
    """A core and its keys (dedup.prefix_keys) as digests, each made when first needed and never
    twice: the whole core is both the exact-copy key and a prefix key, and the cuts are looked
    up before they are registered (an exact copy needs neither)."""

    def __init__(self, words: list[str]):
        self.words = words
        self.keys = dedup.prefix_keys(words)

    @functools.cached_property
    def whole(self) -> bytes:
        return digest(self.words)

    @functools.cached_property
    def cuts(self) -> list[bytes]:
        return [digest(cut) for cut in self.keys.cuts]

    @functools.cached_property
    def head(self) -> bytes | None:
        return None if self.keys.head is None else digest(self.keys.head)


def signature(words: list[str], seed: int) -> np.ndarray | None:
    """MinHash signature (uint32 x 128; datasketch's values are below 2**32) of the shingles."""
    own = dedup.shingles_of(words)
    if not own:
        return None
    return dedup.minhash(own, seed).hashvalues.astype(np.uint32)


class Keys:
    """The keys of some originals, in the order they were registered, to write in one go."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[int, str]]] = {table: [] for table in TABLES}

    def add(self, iid: str, core: Digests, sig: np.ndarray | None) -> None:
        self.rows["dup_prefix"] += [(prefix_key(cut), iid) for cut in core.cuts]
        if core.head is not None:
            self.rows["dup_head"].append((prefix_key(core.head), iid))
        if sig is not None:
            self.rows["dup_band"] += [(key, iid) for key in band_keys(sig)]

    def write(self, db: sqlite3.Connection) -> None:
        for table, rows in self.rows.items():
            db.executemany(f"INSERT OR IGNORE INTO {table} (key, id) VALUES (?, ?)", rows)


# ---------------------------------------------------------------- lookups


def first_prefix(db: sqlite3.Connection, key: int, ingest: str) -> str | None:
    """The first original (by store number) with this cut among its prefix keys."""
    row = db.execute(f"SELECT i.id FROM dup_prefix p JOIN items i ON i.id = p.id WHERE p.key = ? AND {LIVE} "
                     "ORDER BY i.n LIMIT 1", (key, ingest)).fetchone()
    return row[0] if row else None


def heads(db: sqlite3.Connection, key: int, ingest: str) -> list[str]:
    """The originals, by store number, that begin with these HEAD_WORDS words."""
    return [r[0] for r in db.execute(f"SELECT i.id FROM dup_head h JOIN items i ON i.id = h.id WHERE h.key = ? "
                                     f"AND {LIVE} ORDER BY i.n", (key, ingest))]


def band_candidates(db: sqlite3.Connection, keys: list[int], ingest: str) -> set[str]:
    """The originals that share a MinHash band with a signature (its :func:`band_keys`)."""
    return {r[0] for r in db.execute(f"SELECT DISTINCT i.id FROM dup_band b JOIN items i ON i.id = b.id WHERE "
                                     f"b.key IN ({','.join('?' * len(keys))}) AND {LIVE}", (*keys, ingest))}


def first_norms(db: sqlite3.Connection, norms: Sequence[str]) -> dict[str, str]:
    """Exact-copy key -> the original that the first stored item with it copies (itself, for an
    original), for the keys some stored item has."""
    found: dict[str, str] = {}
    for start in range(0, len(norms), 500):  # SQLite's limit on bound values
        part = norms[start:start + 500]
        for norm, iid, dup in db.execute(f"SELECT norm, id, duplicate_of FROM items WHERE norm IN "
                                         f"({','.join('?' * len(part))}) ORDER BY n", part):
            found.setdefault(norm, dup or iid)
    return found


def dropped_reason(db: sqlite3.Connection, iid: str) -> str | None:
    """The reason of a dropped original (a copy of it is dropped for the same), else None."""
    row = db.execute("SELECT reason FROM items WHERE id = ? AND status = 'dropped' AND duplicate_of IS NULL",
                     (iid,)).fetchone()
    return row[0] if row else None


# ---------------------------------------------------------------- fill and check


def _mark(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT value FROM meta WHERE key = 'dup_index'").fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else 0


def set_mark(db: sqlite3.Connection, n: int) -> None:
    """Record that the keys of every original up to item `n` are written (in the caller's transaction)."""
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('dup_index', ?)", (str(n),))


def reset(db: sqlite3.Connection) -> None:
    """Forget every key (the MinHash seed changed): the next fill writes them all again."""
    for table in TABLES:
        db.execute(f"DELETE FROM {table}")
    set_mark(db, 0)


def _signatures(db: sqlite3.Connection, rows: list[tuple[int, str, str]], seed: int) -> dict[str, np.ndarray | None]:
    """The MinHash signatures of some originals: kept ones read, missing ones made (and kept)."""
    ids = [iid for _, iid, _ in rows]
    sigs: dict[str, np.ndarray | None] = {
        iid: np.frombuffer(blob, dtype=np.uint32) for iid, blob in db.execute(
            f"SELECT id, sig FROM minhash WHERE id IN ({','.join('?' * len(ids))})", ids)}
    for _, iid, text in rows:
        if iid not in sigs:
            sigs[iid] = sig = signature(dedup.core_words(text), seed)
            if sig is not None:
                db.execute("INSERT OR IGNORE INTO minhash (id, sig) VALUES (?, ?)", (iid, sig.tobytes()))
    return sigs


def expected(rows: Iterable[tuple[int, str, str]], sigs: dict[str, np.ndarray | None]) -> Keys:
    """The keys of originals given as (n, id, text) rows, with their signatures."""
    keys = Keys()
    for _, iid, text in rows:
        keys.add(iid, Digests(dedup.core_words(text)), sigs.get(iid))
    return keys


def _blocks(db: sqlite3.Connection, after: int):
    """The originals after item `after`, FILL_BLOCK at a time, as (n, id, text) rows, with the last
    item number each block covers (non-originals between included)."""
    while rows := db.execute(f"SELECT n, id, text FROM items WHERE n > ? AND {ORIGINAL} ORDER BY n LIMIT ?",
                             (after, FILL_BLOCK)).fetchall():
        after = rows[-1][0]
        yield rows, after


def fill(db: sqlite3.Connection, seed: int, write) -> int:
    """Write the keys of the originals stored since the last fill (or commit), one transaction
    (`write()`, a context manager) per block; the originals filled. Resumes where a killed
    fill stopped."""
    done = 0
    for rows, last in _blocks(db, _mark(db)):
        with write():
            expected(rows, _signatures(db, rows, seed)).write(db)
            set_mark(db, last)
        done += len(rows)
    top = db.execute("SELECT coalesce(max(n), 0) FROM items").fetchone()[0]
    if top > _mark(db):  # copies after the last original: nothing to write, the mark moves on
        with write():
            set_mark(db, top)
    return done


def problems(db: sqlite3.Connection, limit: int = 20) -> list[str]:
    """What does not hold in the key tables: a key missing for an original the fill covered
    (a lookup would miss its copies), or a row naming no stored item. The keys are made again
    from the texts (the bands from the kept signatures) and compared, a block at a time."""
    if any(not db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (t,)).fetchone() for t in TABLES):
        return []  # a store from before the tables: its next ingest fills them
    out: list[str] = []
    mark = _mark(db)
    for rows, _ in _blocks(db, 0):
        rows = [r for r in rows if r[0] <= mark]
        if not rows:
            break
        sigs: dict[str, np.ndarray | None] = {iid: np.frombuffer(blob, dtype=np.uint32) for iid, blob in db.execute(
            f"SELECT id, sig FROM minhash WHERE id IN ({','.join('?' * len(rows))})", [r[1] for r in rows])}
        number = {iid: n for n, iid, _ in rows}
        for table, wanted in expected(rows, sigs).rows.items():
            for key, iid in wanted:
                if not db.execute(f"SELECT 1 FROM {table} WHERE key = ? AND id = ?", (key, iid)).fetchone():
                    out.append(f"item {number[iid]}: a key missing from {table} (its copies would not be found)")
    for table in TABLES:
        out += [f"{table}: a key of {iid!r}, which is not stored" for (iid,) in db.execute(
            f"SELECT DISTINCT id FROM {table} WHERE id NOT IN (SELECT id FROM items) LIMIT ?", (limit,))]
    return _short(out, limit)


def _short(lines: list[str], limit: int) -> list[str]:
    unique = list(dict.fromkeys(lines))
    return unique[:limit] + ([f"... and {len(unique) - limit} more"] if len(unique) > limit else [])
