"""A store that remembers: items, duplicates and stories in one SQLite file.

`Store(path).ingest(items)` adds items: an item whose id is already stored is skipped (so
ingesting the same input again adds nothing); junk is kept as dropped; an exact copy (same
normalised core: the text without outlet footers and wire datelines), a prefix or MinHash copy
or a paraphrase (embedding cosine >= `semantic_duplicate_similarity`) is merged into its
canonical item; every other item joins a live story or starts one
(:class:`newsdesk.cluster.StoryTracker`), and stories quiet for `story_quiet_days` close. When
the ingest ends, the open stories are regrouped with the batch path (:meth:`Store._regroup`), so
that they are as good as a batch's and do not depend on how their items were split into ingests
(the whole window once the items since the last full regroup reach FULL_SHARE of it; a smaller
ingest regroups only the stories around its items, so that its cost does not grow with the store).
A store on the multilingual model keeps the MiniLM vector of each English original (`items.
english`) and each story's sum of them (`stories.english`): where its open window is mostly
English (cluster.mostly_english), the tracker, the paraphrase check and the regroup compare two
English items by MiniLM, on whose scale the thresholds were tuned, as the batch path does.

Cost that follows the open window, not the store: the semantic-duplicate stage and the tracker
see only the open stories (their sums, word counts and canonical items are all that is read when
an ingest starts, and stories that close during an ingest are dropped from memory), so an item
costs the same in a store of a million items as in a new one. The cheap pass (exact, prefix and
MinHash copies) still sees every stored original, through indexed tables rather than memory; the
document frequencies of words are read word by word as the chunk needs them.

Crash safety: the file is in WAL mode and items are added in chunks, each chunk (its items,
the stories it touched, the word statistics) in one transaction. The clustering state is read
back from the file when a store opens, so a process killed at any moment leaves the store as it
was after the last committed chunk, and running the same ingest again completes the work with
no item lost or duplicated. The regroup is one more transaction; a flag in `meta` says it is
due, so an ingest killed before it ends has the next ingest (even one that adds nothing) do it;
the marks of the last regroup and the last full one (`regrouped`, `regrouped_full`: the last item
number each saw) move in that transaction, so that next ingest still counts the killed one's items.
Within one ingest call, items are processed in (published, id) order, so the result does not
depend on the order of the input.

Copies before the model (the cheap pass, :mod:`newsdesk.dedup` rules on the core of each text,
outlet footers and wire datelines left out): an exact copy, a prefix copy (cut short, or with a
short tag added) or a MinHash near copy of an original (stored, or earlier in this ingest) takes
its original's verdict without the junk checks or the model: merged into a kept original, or
dropped for the same reason and pointing to a dropped one. The cheap pass runs ahead until
CHUNK items need the model, so copies cost no model time and the model gets full batches.

Near duplicates across ingests: the MinHash signature (128 permutations) of every original is
kept in the `minhash` table, and its LSH band keys and prefix keys in the tables of
:mod:`newsdesk.store_index`, which the cheap pass queries item by item (nothing is rebuilt in
memory when an ingest starts, so memory does not grow with the store), so a lightly edited copy
ingested days later points to its original. A candidate from the index is confirmed with the
exact shingle Jaccard (`near_duplicate_jaccard`) or containment (a truncated copy), as in the
batch path. The `norm` column holds the exact-copy
key (a hash of the normalised core; none for an empty text); stores written before footers were
left out hold the key of the whole text, so only their footer copies are found by the other rules.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import itertools
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import overload

import numpy as np

from . import changes, clean, dedup, history, integrity, search, watch
from . import store_index as keys
from .changes import aware, parse_since
from .cluster import (
    CLUSTER_CHARS,
    ENGLISH_SHARE,
    VECTOR_CHARS,
    Pile,
    StoryTracker,
    _label,
    cluster_text,
    english_matrix,
    english_vectors,
    language_counts,
    mostly_english,
    story_id,
    vector_text,
    window_labels,
)
from .cluster import MAX_BATCH as MAX_CLUSTER
from .embed import INT8_RECIPE, TO_MINILM_SCALE, get_embedder, pile_embedder
from .errors import NewsdeskError
from .model import Angle, Brief, BriefRecord, BriefUpdate, Item, Story
from .options import Options
from .prepare import TRANSLATION_SIMILARITY, judged, same_numbers
from .store_index import ORIGINAL as _ORIGINAL
from .store_index import Digests as _Digests
from .store_index import digest as _digest
from .store_index import prefix_key as _prefix_key
from .store_index import signature as _signature
from .timing import Span, item_spans

CHUNK = int(os.environ.get("NEWSDESK_STORE_CHUNK", "1024"))
"""Items embedded together, committed in one transaction with the copies found among them (the
environment variable is for tests): large enough that the model sorts texts by length with little
padding, as a one-shot embedding would."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
  n INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT UNIQUE NOT NULL,
  text TEXT NOT NULL, title TEXT, url TEXT, source TEXT, published TEXT, origin TEXT, seen_at TEXT,
  status TEXT NOT NULL, reason TEXT, duplicate_of TEXT, norm TEXT,
  story TEXT, vector BLOB, added TEXT NOT NULL, language TEXT, truncated INTEGER NOT NULL DEFAULT 0, note TEXT,
  english BLOB
);
CREATE INDEX IF NOT EXISTS items_norm ON items(norm);
CREATE INDEX IF NOT EXISTS items_story ON items(story);
CREATE TABLE IF NOT EXISTS stories (
  k INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, label TEXT NOT NULL,
  size INTEGER NOT NULL, sum BLOB NOT NULL, words TEXT NOT NULL,
  first_seen TEXT, last_seen TEXT, open INTEGER NOT NULL, continues TEXT, added TEXT,
  english BLOB, english_size INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS df (word TEXT PRIMARY KEY, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS briefs (
  k INTEGER PRIMARY KEY AUTOINCREMENT, story TEXT NOT NULL, made TEXT NOT NULL,
  items TEXT NOT NULL, claims TEXT NOT NULL, figures TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS briefs_story ON briefs(story, k);
CREATE TABLE IF NOT EXISTS minhash (id TEXT PRIMARY KEY, sig BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS merged_stories (id TEXT PRIMARY KEY, successor TEXT NOT NULL, merged TEXT NOT NULL);
"""


_ADDED_COLUMNS = {"items": {"seen_at": "TEXT", "language": "TEXT", "truncated": "INTEGER NOT NULL DEFAULT 0",
                             "note": "TEXT", "english": "BLOB"},
                   "stories": {"continues": "TEXT", "added": "TEXT", "english": "BLOB",
                               "english_size": "INTEGER NOT NULL DEFAULT 0"}}
"""Columns added since the first version, by table, with their types (added when a store opens)."""


def _english_matrix(blobs: list[bytes | None]) -> np.ndarray | None:
    """cluster.Pile.english from the items' `english` column (each English original's, kept
    whatever share of its ingest is English: the regroup decides by its window's share)."""
    return english_matrix([None if b is None else np.frombuffer(b, dtype=np.float32) for b in blobs])


def _english_cosines(out: np.ndarray, left: np.ndarray, right: np.ndarray, a: float, b: float) -> None:
    """The pairs of `out` (rows of `left`, columns of `right`: MiniLM vectors, a row of zeros
    for none) of two items with MiniLM vectors set to their MiniLM cosine, put on the scale of
    the embedder of `out` (a + b * cosine is MiniLM's scale), so that they compare with the
    same thresholds as the other pairs."""
    both = np.asarray(left.any(axis=1))[:, None] & np.asarray(right.any(axis=1))[None, :]
    if both.any():
        out[both] = ((left @ right.T - a) / b)[both]


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


@overload
def _time(text: str) -> datetime: ...
@overload
def _time(text: None) -> None: ...
def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _writable(path: Path) -> bool:
    """The file and its folder can be written (WAL keeps its -wal and -shm files beside it)."""
    return os.access(path, os.W_OK) and os.access(path.parent.resolve(), os.W_OK)


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if not readonly:
        return sqlite3.connect(str(path), isolation_level=None, timeout=30)
    # A read-only folder cannot hold WAL's shared-memory file: read the file as it is (immutable).
    immutable = "&immutable=1" if not os.access(path.parent.resolve(), os.W_OK) else ""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{immutable}", uri=True, isolation_level=None, timeout=30)


def _fault(path: str, exc: sqlite3.Error) -> str:
    """A SQLite error in the words a user can act on."""
    text = str(exc)
    if "disk is full" in text or "disk I/O error" in text:
        return (f"the disk of the store {path} is full ({text}): what was stored before is kept and the unfinished "
                "part was not written; free some space and run the same command again")
    if "readonly" in text or "read-only" in text:
        return f"the store {path} cannot be written ({text}): check the permissions of the file and its folder"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return f"the store {path} is damaged or not a newsdesk store ({text}): run `newsdesk check --db {path}`"
    if "locked" in text or "busy" in text:
        return f"the store {path} is busy with another process ({text}): try again when it is done"
    return f"cannot use the store {path}: {text}"


SCHEMA_VERSION = 6
"""The version of the store's tables (meta 'schema'): raise it with every table or column added,
so that an older store is brought up to date when it opens (and only then: opening a store
writes nothing, so a store on a full disk still reads). A store written by a newer newsdesk is
refused."""


def _guarded(method):
    """The method with SQLite's faults as one-line NewsdeskErrors (Store._faults)."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        with self._faults():
            return method(self, *args, **kwargs)
    return run


class Store:
    """A store in one SQLite file. A store that this process cannot write (a read-only file or
    folder) opens read-only: everything reads, and a write is a one-line error. SQLite faults
    (a full disk, a damaged file, a busy store) are NewsdeskErrors that say what to do."""

    def __init__(self, path: str | Path, options: Options | None = None):
        self.path = str(path)
        self.options = options or Options()
        self.readonly = Path(self.path).exists() and not _writable(Path(self.path))
        self._ingest_key = _now().isoformat()  # `added` of what this store writes (each ingest sets its own)
        with self._faults():
            self.db = _connect(Path(self.path), self.readonly)
            version = self._schema_version()
            if version > SCHEMA_VERSION:
                raise NewsdeskError(f"the store {self.path} was written by a newer newsdesk (store version {version}, "
                                    f"this newsdesk reads up to {SCHEMA_VERSION}): upgrade newsdesk to use it", code=2)
            if not self.readonly and version < SCHEMA_VERSION:
                self._migrate()

    def _schema_version(self) -> int:
        has_meta = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() if has_meta else None
        return int(row[0]) if row and str(row[0]).isdigit() else 0

    def _migrate(self) -> None:
        """The tables, and the columns added since a store was first written."""
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA + keys.SCHEMA + search.SCHEMA + history.SCHEMA + watch.SCHEMA)
        for table, added in _ADDED_COLUMNS.items():
            columns = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
            for name, kind in added.items():
                if name not in columns:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),))

    @contextlib.contextmanager
    def _faults(self):
        """SQLite's faults as one-line NewsdeskErrors that say what happened and what to do."""
        try:
            yield
        except sqlite3.Error as exc:
            raise NewsdeskError(_fault(self.path, exc), code=2) from None

    def _must_write(self) -> None:
        if self.readonly:
            raise NewsdeskError(f"the store {self.path} is read-only here (its file or folder cannot be written): "
                                "copy it somewhere writable to change it", code=2)

    @contextlib.contextmanager
    def _write(self):
        """One write transaction, kept whole or not at all (a full disk, a kill: nothing half-written)."""
        self._must_write()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:  # SQLite may have rolled back already (a full disk)
                self.db.execute("ROLLBACK")
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------ state

    def _load_duplicates(self) -> None:
        """Ready the cheap pass: the key tables of the stored originals brought up to date (filled
        for the originals an older version or the Spark path stored; nothing is read into memory),
        and empty indexes for the originals of the chunk not committed yet."""
        self._new_pending()
        seed = str(self.options.seed)
        with self._write():
            if self.db.execute("SELECT value FROM meta WHERE key = 'minhash_seed'").fetchone() not in (None, (seed,)):
                self.db.execute("DELETE FROM minhash")  # signatures of another seed: made again by the fill
                keys.reset(self.db)
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('minhash_seed', ?)", (seed,))
        keys.fill(self.db, self.options.seed, self._write)

    def _new_pending(self) -> None:
        """The in-memory indexes of the originals found since the last commit (the tables hold the
        rest): what the cheap pass of a chunk adds before the chunk is written."""
        self._norms: dict[str, str] = {}  # core key -> the original it copies (itself for originals)
        self._verdict: dict[str, str] = {}  # dropped original -> its reason (a copy of it gets the same)
        self._prefixes: dict[int, str] = {}
        self._heads: dict[int, list[str]] = {}
        self._bands: dict[int, list[str]] = {}
        self._pending: dict[str, str] = {}  # text of the originals not committed yet
        self._signatures: dict[str, np.ndarray] = {}  # their MinHash signatures
        self._keys = keys.Keys()  # their keys, written with the chunk

    def _choose_embedder(self, first: list[Item]) -> str:
        """The embedder of this store's vectors: the one it was built with (recorded in `meta`),
        or, for a new store, the one its first ingest's items call for (newsdesk.embed.
        pile_embedder: the multilingual model when any of them is not in English and MiniLM was
        asked for). New items are compared with the stored vectors, so it never changes after."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'embedder'").fetchone()
        asked = self.options.embedder
        if row is None:
            stored = self.db.execute("SELECT vector FROM items WHERE vector IS NOT NULL LIMIT 1").fetchone()
            if stored is not None:  # written before the embedder was recorded: MiniLM's days (float32)
                if asked == "minilm-int8" or len(stored[0]) // 4 != get_embedder(asked).dim:
                    raise NewsdeskError(f"the store {self.path} holds vectors of another embedder than "
                                        f"{asked!r}: ingest with the embedder it was built with", code=2)
                chosen = asked
            elif not first:
                return asked  # nothing to choose by yet: the first ingest with items chooses
            else:
                chosen = pile_embedder((it.language or clean.detect_language(it.text) for it in first), self.options)
            with self._write():
                self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('embedder', ?)", (chosen,))
                if chosen == "minilm-int8":
                    self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('int8_recipe', ?)",
                                    (INT8_RECIPE,))
            return chosen
        if _model(row[0]) == _model(asked):
            if asked == "minilm-int8":
                self._check_int8_recipe()
            return asked  # the same model (minilm-torch or -onnx: the caller's runtime)
        if row[0] == "multilingual" and self.options.multilingual and asked.startswith("minilm"):
            return row[0]  # chosen at the first ingest for its languages
        raise NewsdeskError(f"the store {self.path} was built with the embedder {row[0]!r}, not "
                            f"{asked!r}: ingest with --embedder {row[0]}", code=2)

    def _check_int8_recipe(self) -> None:
        """An int8 store's vectors came from the int8 graph of one recipe (embed.INT8_RECIPE): a
        graph of another recipe is another model (its vectors differ as from float32), and this
        newsdesk can make only its own, so a store of another recipe takes no new items. A store
        without the record was built before it was kept: by the first recipe, "q3"."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'int8_recipe'").fetchone()
        recorded = row[0] if row else "q3"
        if recorded != INT8_RECIPE:
            raise NewsdeskError(f"the store {self.path} holds vectors of an earlier int8 graph ({recorded}, "
                                f"not {INT8_RECIPE}): ingest its inputs into a new store", code=2)

    def _register_prefixes(self, iid: str, core: _Digests) -> None:
        """Index a new original under its cuts (a later copy of it cut short to one of them finds it
        here) and its head (dedup.prefix_keys), until its chunk is written with its keys."""
        for cut in core.cuts:
            self._prefixes.setdefault(_prefix_key(cut), iid)
        if core.head is not None:
            self._heads.setdefault(_prefix_key(core.head), []).append(iid)

    def _core_of(self, iid: str) -> list[str]:
        text = self._pending.get(iid)
        if text is None:
            row = self.db.execute("SELECT text FROM items WHERE id = ?", (iid,)).fetchone()
            text = row[0] if row else ""
        return dedup.core_words(text)

    def _copy_of(self, norm: str) -> str | None:
        """The original that an exact copy with this key points to: stored, or of this chunk."""
        return self._norms.get(norm) or keys.first_norms(self.db, [norm]).get(norm)

    def _dropped(self, iid: str) -> str | None:
        """The reason an original was dropped (a copy of it is dropped for the same), or None."""
        return self._verdict.get(iid) or keys.dropped_reason(self.db, iid)

    def _prefix_copy(self, core: _Digests) -> str | None:
        """An original of which this core is a prefix copy (dedup.is_prefix_copy): a stored text
        cut short, or with a few words added (a "- report" tag, an unknown footer; too few
        shingles for MinHash on short texts). Stored originals come first (they came first)."""
        if core.keys.whole is None:
            return None
        key = _prefix_key(core.whole)
        hit = keys.first_prefix(self.db, key, self._ingest_key) or self._prefixes.get(key)
        if hit is not None:
            return hit
        cuts = [cut.hex() for cut in core.cuts]  # longest first
        stored = keys.first_norms(self.db, cuts)
        for cut in cuts:
            hit = stored.get(cut) or self._norms.get(cut)
            if hit is not None:
                return hit
        if core.head is not None:  # long texts cut anywhere begin alike
            key = _prefix_key(core.head)
            for iid in keys.heads(self.db, key, self._ingest_key) + self._heads.get(key, []):
                if dedup.is_prefix_copy(core.words, self._core_of(iid)):
                    return iid
        return None

    def _index(self, iid: str, bands: list[int]) -> None:
        for key in bands:
            self._bands.setdefault(key, []).append(iid)

    def _near(self, words: list[str], bands: list[int]) -> str | None:
        """The original of which these core words are a near copy (exact shingle Jaccard, or
        containment for a copy cut short, confirmed)."""
        found = keys.band_candidates(self.db, bands, self._ingest_key)
        for key in bands:
            found.update(self._bands.get(key, ()))
        if not found:
            return None
        own = dedup.shingles_of(words)
        best, best_score = None, self.options.near_duplicate_jaccard
        for iid in sorted(found):
            score = dedup.near_score(own, dedup.shingles_of(self._core_of(iid)), self.options.near_duplicate_jaccard)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = iid, score
        return best

    def _cheap_pass(self, it: Item) -> tuple[Item, str | None, str | None, str | None]:
        """(the item with its junk verdict, the original it copies, how it was found, its exact key).

        Exact, prefix and MinHash near copies of an original (stored, or earlier in this ingest)
        are settled without the model and without the junk checks: a copy takes its original's
        verdict (kept: merged into it; dropped: dropped for the same reason, pointing to it), so
        an outlet footer can neither get a copy dropped nor kept apart. Any other item is an
        original: judged as every path judges items (newsdesk.prepare.judged: junk, truncation,
        language) and added to the indexes."""
        core = _Digests(dedup.core_words(it.text))
        words = core.words
        norm = _norm(it.text, core)
        hit, how = self._copy_of(norm) if norm else None, "duplicate (exact)"
        if hit is None and words:
            hit, how = self._prefix_copy(core), "duplicate (near)"
        sig, bands = None, []
        if hit is None and words:
            sig = _signature(words, self.options.seed)
            bands = keys.band_keys(sig) if sig is not None else []
            hit = self._near(words, bands) if sig is not None else None
        if hit is not None:
            if norm and how != "duplicate (exact)":  # its key is nobody's yet (else it was found by it)
                self._norms[norm] = hit
            it = replace(it, truncated=clean.is_truncated(it.text))  # its language is its original's
            if (reason := self._dropped(hit)) is not None:
                return replace(it, junk_reason=reason), hit, None, norm
            return it, hit, how, norm
        it = judged(it, self.options)
        if norm:
            self._norms[norm] = it.id
        if it.junk_reason:
            self._verdict[it.id] = it.junk_reason
        self._pending[it.id] = it.text
        self._register_prefixes(it.id, core)
        self._keys.add(it.id, core, sig)
        if sig is not None:
            self._signatures[it.id] = sig
            self._index(it.id, bands)
        return it, None, None, norm

    def _choose_vector_chars(self) -> int:
        """How much of an item's clustering text its vector reads (cluster.vector_text): what this
        store was built with (recorded in `meta`); for a store whose vectors were written before
        that was recorded, all of it (CLUSTER_CHARS); for a new one, cluster.VECTOR_CHARS. The
        vector of a long text's head is not that of the whole (the whole articles of the even
        Multi-News clusters: cosine 0.85 on average between the two, 0.76 or less for a tenth of
        them; their paragraphs cut: 0.93), and new items are compared with the stored vectors,
        so it never changes after."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'vector_chars'").fetchone()
        if row is not None:
            return int(row[0])
        stored = self.db.execute("SELECT 1 FROM items WHERE vector IS NOT NULL LIMIT 1").fetchone()
        chars = CLUSTER_CHARS if stored else VECTOR_CHARS
        with self._write():
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('vector_chars', ?)", (str(chars),))
        return chars

    def _load(self, first: list[Item]) -> StoryTracker:
        self.embedder = self._choose_embedder(first)
        self._vector_chars = self._choose_vector_chars()
        self._scale = TO_MINILM_SCALE.get(self.embedder)
        self._load_duplicates()
        tracker = StoryTracker(self.options, scale=self._scale)
        tracker.df = _StoredCounts(self.db)  # read word by word, not the whole vocabulary
        tracker.docs = self.db.execute("SELECT count(*) FROM items WHERE status = 'used'").fetchone()[0]
        # Only the open stories: a closed story takes no item and no paraphrase any more, so the
        # state read (and each chunk's work) follows the open window, not the size of the store.
        self._ids = []
        for sid, size, blob, words, last in self.db.execute(
                "SELECT id, size, sum, words, last_seen FROM stories WHERE open = 1 ORDER BY k"):
            tracker.sums.append(np.frombuffer(blob, dtype=np.float32).copy())
            tracker.words.append(Counter(json.loads(words)))
            tracker.sizes.append(size)
            tracker.last.append(_time(last))
            tracker.open.append(True)
            self._ids.append(sid)  # k orders the stories; a story's position in the tracker is its rank
        rows = self.db.execute("SELECT i.id, i.vector, i.story, i.english FROM items i JOIN stories s ON "
                               "s.id = i.story WHERE i.status = 'used' AND s.open = 1 ORDER BY i.n").fetchall()
        dim = get_embedder(self.embedder).dim
        self._canon = np.zeros((max(1024, 2 * len(rows)), dim), dtype=np.float32)  # rows beyond _ncanon: room
        position = {sid: k for k, sid in enumerate(self._ids)}
        tracker.pad_english()
        for i, r in enumerate(rows):
            self._canon[i] = np.frombuffer(r[1], dtype=np.float32)
            if r[3] is not None:  # its story's English members (StoryTracker.english_sums), from the items: the
                # stories table keeps their MiniLM sum but not their own (multilingual) one
                tracker.add_english(position[r[2]], np.frombuffer(r[3], dtype=np.float32), self._canon[i])
        self._set_canonical([r[0] for r in rows], [r[2] for r in rows], [r[3] for r in rows])
        return tracker

    def _set_canonical(self, ids: list[str], stories: list[str], english: list[bytes | None]) -> None:
        """The ids, stories and MiniLM vectors (items.english; None: none) of the first rows of
        `_canon`: the canonical items of open stories."""
        self._canon_ids, self._canon_story, self._ncanon = ids, stories, len(ids)
        self._canon_english = english

    def _forget_closed(self, tracker: StoryTracker) -> None:
        """Drop the stories closed since the last chunk (saved already) from the tracker, and their
        canonical items from the semantic stage: a chunk then costs in proportion to the open
        stories, however long one ingest runs."""
        keep = tracker.compact()
        if len(keep) == len(self._ids):
            return
        self._ids = [self._ids[k] for k in keep]
        live = set(self._ids)
        rows = [i for i, sid in enumerate(self._canon_story) if sid in live]
        self._canon[:len(rows)] = self._canon[rows]
        self._set_canonical([self._canon_ids[i] for i in rows], [self._canon_story[i] for i in rows],
                            [self._canon_english[i] for i in rows])

    def _semantic(self, live: list[Item], vectors: np.ndarray, english: np.ndarray | None) -> dict[str, tuple[str, str]]:
        """Paraphrases (embedding cosine, on MiniLM's scale, >= semantic_duplicate_similarity) of
        the canonical items of open stories or of earlier canonical items of this chunk, and
        translations (an item in another language, multilingual cosine >= TRANSLATION_SIMILARITY,
        stating the same numbers: newsdesk.prepare.merge_paraphrases): item id -> (canonical id,
        how). One matrix product per chunk instead of one per item.

        Open stories only, not every stored item: a paraphrase is news retold while its story
        runs; one of an item whose story went quiet (`story_quiet_days`) is news again, and
        comparing with the whole store would make each chunk cost in proportion to the store.
        Exact, prefix and MinHash copies (the cheap pass) are still found across the whole store.

        In a window that is mostly English (cluster.mostly_english), two English items with MiniLM
        vectors (`english`: the chunk's, Pile.english) are compared by MiniLM's cosine, on which
        the threshold was tuned, as newsdesk.prepare.merge_paraphrases does."""
        a, b = self._scale or (0.0, 1.0)
        threshold = (self.options.semantic_duplicate_similarity - a) / b  # on the embedder's own scale
        m = self._ncanon
        prior = self._canon[:m] @ vectors.T  # (stored, chunk); empty when nothing is stored
        gram = vectors @ vectors.T
        stored = self._canon_english[:m]
        if english is not None and mostly_english(sum(e is not None for e in stored) + int(english.any(axis=1).sum()),
                                                  m + len(live)):
            _english_cosines(gram, english, english, a, b)
            if (known := _english_matrix(stored)) is not None:
                _english_cosines(prior, known, english, a, b)
        best_prior = prior.argmax(axis=0) if m else np.zeros(len(live), dtype=np.int64)
        found: dict[str, tuple[str, str]] = {}
        kept = np.empty(len(live), dtype=np.int64)  # the chunk's canonical items so far: kept[:nkept]
        nkept = 0
        lowest = min(threshold, TRANSLATION_SIMILARITY) if self._scale is not None else threshold
        for i, it in enumerate(live):
            best: tuple[float, str, str, str] | None = None  # (cosine, id, language, text)
            if m and prior[best_prior[i], i] >= lowest:  # the stored item read only when it may be a copy
                k = int(best_prior[i])
                best = float(prior[k, i]), self._canon_ids[k], *self._canonical_language_text(k)
            if nkept:
                j = int(kept[np.argmax(gram[i, kept[:nkept]])])
                if gram[i, j] >= lowest and (best is None or gram[i, j] > best[0]):
                    best = float(gram[i, j]), live[j].id, live[j].language or "en", live[j].text
            how = self._copy_kind(it, best, threshold) if best is not None else None
            if best is not None and how is not None:
                found[it.id] = (best[1], how)
            else:
                kept[nkept] = i
                nkept += 1
        return found

    def _canonical_language_text(self, k: int) -> tuple[str, str]:
        row = self.db.execute("SELECT language, text FROM items WHERE id = ?", (self._canon_ids[k],)).fetchone()
        return (row[0] or "en", row[1]) if row else ("en", self._pending.get(self._canon_ids[k], ""))

    def _copy_kind(self, it: Item, best: tuple[float, str, str, str], threshold: float) -> str | None:
        """How `it` copies its nearest canonical item (cosine, id, language, text), if it does."""
        cosine, _, language, text = best
        if (it.language or "en") == language:
            return "duplicate (semantic)" if cosine >= threshold else None
        if self._scale is not None and cosine >= TRANSLATION_SIMILARITY and same_numbers(it.text, text):
            return f"translation ({it.language})"
        return None

    # ------------------------------------------------------------ ingest

    def ingest(self, items: Iterable[Item], progress=None) -> dict[str, int]:
        """Add items; counts of new, duplicates, dropped, and already stored ("seen").
        `progress(iterable, total)`, when given, wraps the loop over the new items (a bar).

        The input streams: it is read and added INGEST_BATCH items at a time (each batch in
        time order), so memory stays bounded whatever its size. One ingest at a time per store,
        across processes: a second one waits for the first (both finish; nothing is lost or
        added twice)."""
        counts = {"new": 0, "duplicates": 0, "dropped": 0, "seen": 0}
        with self._faults(), self._ingest_lock():
            self._ingested = _now()
            self._ingest_key = self._ingested.isoformat()  # items.added of this ingest's items
            self._spans: dict[str, Span] = {}
            items = iter(items)
            batch = list(itertools.islice(items, INGEST_BATCH))
            tracker = self._load(batch)
            while batch:
                self._add_batch(batch, tracker, counts, progress)
                batch = list(itertools.islice(items, INGEST_BATCH))
            if self.options.story_regroup and \
                    self.db.execute("SELECT value FROM meta WHERE key = 'regroup'").fetchone() == ("1",):
                self._regroup(tracker)
            self._link_continuations()
        return counts

    @_guarded
    def regroup(self) -> bool:
        """Regroup the open stories when an ingest left them to regroup (one made with
        `story_regroup` off, or killed before its end), as the next ingest would; whether it did.
        A server ingests with the regroup off (an ingest answers in seconds) and regroups in the
        background, at most every so often (web.state.REGROUP_EVERY)."""
        with self._ingest_lock():
            if self.db.execute("SELECT value FROM meta WHERE key = 'regroup'").fetchone() != ("1",):
                return False
            self._ingest_key = _now().isoformat()  # stories.added of the stories it makes
            self._regroup(self._load([]))
            return True

    @contextlib.contextmanager
    def _ingest_lock(self):
        self._must_write()
        with open(self.path + ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released by the system if this process dies
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _add_batch(self, items: list[Item], tracker: StoryTracker, counts: dict[str, int], progress) -> None:
        """Add one batch of the input: the items not stored yet, in time order."""
        fresh: dict[str, Item] = {}
        for it in items:
            if it.id in fresh or self.db.execute("SELECT 1 FROM items WHERE id = ?", (it.id,)).fetchone():
                counts["seen"] += 1
            else:
                fresh[it.id] = it
        self._spans = item_spans(fresh.values(), self._ingested)
        ordered = sorted(fresh.values(), key=lambda it: (self._time_of(it), it.id))
        bar = iter(progress(ordered, len(ordered))) if progress else None
        # The cheap pass runs ahead until CHUNK items need the model (or the batch holds
        # MAX_BATCH items): copies cost no model time, and the model gets batches as full as
        # without copies (it pads less when it sorts more texts by length).
        batch: list[tuple[Item, str | None, str | None, str | None]] = []
        originals = 0
        for it in ordered:
            entry = (it, None, None, _norm(it.text)) if it.junk_reason else self._cheap_pass(it)
            batch.append(entry)
            originals += entry[1] is None and not entry[0].junk_reason
            if originals >= CHUNK or len(batch) >= MAX_BATCH:
                self._commit(batch, tracker, counts, bar)
                batch, originals = [], 0
        if batch:
            self._commit(batch, tracker, counts, bar)
        if bar is not None:
            for _ in bar:
                pass

    def _link_continuations(self) -> None:
        """A story begun in this ingest (`stories.added`) that clearly continues a closed story
        (which ended before it began) is linked to it (`stories.continues`): a story told in
        parts, across a quiet spell or beyond `story_window_days`. Clearly: the cosine of the two
        stories' mean embeddings is at least `story_continuation_similarity` (in a store on the
        multilingual model, two stories mostly English (cluster.mostly_english) are compared by
        the mean MiniLM vectors of their English members, `stories.english`). Computed a block at
        a time (NEW_BLOCK new stories against CLOSED_BLOCK closed ones), so memory does not grow
        with the store nor with the ingest."""
        unlinked = "FROM stories WHERE size > 0 AND continues IS NULL"
        fresh = self.db.execute(f"SELECT id, size, sum, first_seen, english, english_size {unlinked} AND added = ? "
                                "ORDER BY k",
                                (self._ingest_key,))
        links: list[tuple[str, str]] = []
        while new := fresh.fetchmany(NEW_BLOCK):
            links += self._continued(new, unlinked)
        if links:
            with self._write():
                self.db.executemany("UPDATE stories SET continues = ? WHERE id = ?", links)

    def _continued(self, new: list, unlinked: str) -> list[tuple[str, str]]:
        """(closed story, new story) for the new stories (rows id, size, sum, first seen, MiniLM
        sum, its size) that continue a closed one: the closed stories are read CLOSED_BLOCK at a
        time."""
        ahead = np.array([r[3] or "" for r in new])  # ISO times in UTC: they compare as text
        new_ids, new_means, new_english = np.array([r[0] for r in new]), _means(new), _english_means(new)
        best: list[tuple[float, str, str] | None] = [None] * len(new)  # (cosine, last seen, closed story)
        rows = self.db.execute(f"SELECT id, size, sum, last_seen, english, english_size {unlinked} AND open = 0 "
                               "ORDER BY k")
        while block := rows.fetchmany(CLOSED_BLOCK):  # closed before this ingest or during it
            ids, last = np.array([r[0] for r in block]), np.array([r[3] or "" for r in block])
            earlier = (last != "")[None, :] & (ahead != "")[:, None] & (last[None, :] <= ahead[:, None]) \
                & (ids[None, :] != new_ids[:, None])
            a, b = self._scale or (0.0, 1.0)
            cosines = new_means @ _means(block).T
            if new_english is not None and (block_english := _english_means(block)) is not None:
                _english_cosines(cosines, new_english, block_english, a, b)
            sims = np.where(earlier, a + b * cosines, -np.inf)  # on MiniLM's scale
            for i in np.flatnonzero(earlier.any(axis=1)):
                ties = np.flatnonzero(sims[i] == sims[i].max())
                j = max(ties, key=lambda t: last[t])  # the latest of equals; the first of those
                if (held := best[i]) is None or (float(sims[i, j]), str(last[j])) > held[:2]:
                    best[i] = float(sims[i, j]), str(last[j]), str(ids[j])
        return [(found[2], story[0]) for story, found in zip(new, best)
                if found is not None and found[0] >= self.options.story_continuation_similarity]

    def _commit(self, batch: list[tuple[Item, str | None, str | None, str | None]], tracker: StoryTracker,
                counts: dict[str, int], bar) -> None:
        """Embed the originals of a batch, find paraphrases among them, add them to stories, and
        write the whole batch (items, stories, word statistics, signatures) in one transaction."""
        copies = {it.id: (hit, how) for it, hit, how, _ in batch if hit is not None}
        live = [it for it, hit, _, _ in batch if hit is None and not it.junk_reason]
        vectors: dict[str, np.ndarray] = {}
        minilm: dict[str, bytes] = {}
        numbers: list[int] = []
        story_of: dict[str, int] = {}
        if live:
            texts = [cluster_text(it) for it in live]
            matrix = get_embedder(self.embedder).encode([vector_text(t, self.embedder, self._vector_chars) for t in texts])
            vectors = dict(zip((it.id for it in live), matrix))
            # MiniLM vectors of English originals (cluster.Pile.english), kept whatever this chunk's
            # share of English: each comparison decides by its own window's share
            english = english_vectors([it.language for it in live], texts, self.embedder, self.options, share=0.0)
            if english is not None:
                minilm = {it.id: v.tobytes() for it, v in zip(live, english) if v.any()}
            copies.update(self._semantic(live, matrix, english))
            heads = [(i, it) for i, it in enumerate(live) if it.id not in copies]
            if heads:
                rows = [i for i, _ in heads]
                numbers = tracker.add_many([texts[i] for i in rows], matrix[rows], [self._time_of(it) for _, it in heads],
                                           [it.language for _, it in heads], None if english is None else english[rows])
            story_of = {it.id: k for (_, it), k in zip(heads, numbers)}
        with self._write():
            for it, _, _, norm in batch:
                counts[self._add(it, norm, vectors.get(it.id), story_of.get(it.id), copies.get(it.id),
                                 minilm.get(it.id))] += 1
                if bar is not None:
                    next(bar, None)
            self._save(tracker, set(numbers))
            if numbers:  # the open stories are regrouped when the ingest ends (or, if killed, the next one)
                self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('regroup', '1')")
            self.db.executemany("INSERT OR IGNORE INTO minhash (id, sig) SELECT ?, ? WHERE EXISTS "
                                f"(SELECT 1 FROM items WHERE id = ? AND {_ORIGINAL})",
                                [(iid, sig.tobytes(), iid) for iid, sig in self._signatures.items()])
            self._keys.write(self.db)  # the near-copy keys of the chunk's originals, with them
            keys.set_mark(self.db, self.db.execute("SELECT coalesce(max(n), 0) FROM items").fetchone()[0])
            search.index_items(self.db)
        self._new_pending()
        if not all(tracker.open):
            self._forget_closed(tracker)

    def _regroup(self, tracker: StoryTracker) -> tuple[int, bool]:
        """Cluster the canonical items of the open stories again, as one batch (the batch path of
        newsdesk.cluster, in id order), in one transaction; the items it saw, and whether it was
        a full regroup.

        The tracker compares each arriving item with story means; the batch path sees every pair
        and each item's neighbours, and groups markedly better (B-cubed F1 after four ingests:
        0.87 against 0.77 on the even googlenews-sttm lines, 0.82 against 0.79 on UCI). And the
        open stories no longer depend on how their items were split into ingests. A regrouped
        story keeps the id of the old story it shares most items with; the others are named after
        their smallest item id; old stories left empty are deleted. Closed stories are never
        touched. A window of more than cluster.MAX_BATCH items is clustered in blocks of whole
        tracker stories (cluster.window_labels).

        A full regroup takes the whole window, or, past MAX_REGROUP items, the part of it where a
        regroup can change something (:meth:`_neighbourhood`): the stories that took items since
        the last full regroup and the stories nearest them. It runs once the items that arrived
        since the last full regroup reach FULL_SHARE of the window; until then a small ingest
        regroups only the stories that took its items and their nearest, up to
        :func:`small_bound` items, so that its cost does not grow with the store."""
        window = "FROM items i JOIN stories s ON s.id = i.story WHERE i.status = 'used' AND s.open = 1"
        through = self.db.execute("SELECT coalesce(max(n), 0) FROM items").fetchone()[0]  # the items it sees
        marks = {key: int(value) for key, value in self.db.execute(
            "SELECT key, value FROM meta WHERE key IN ('regrouped', 'regrouped_full')")}
        full_mark = marks.get("regrouped_full", 0)  # a store older than it: a full regroup first
        size, since_full, since_last = self.db.execute(
            f"SELECT count(*), coalesce(sum(i.n > ?), 0), coalesce(sum(i.n > ?), 0) {window}",
            (full_mark, marks.get("regrouped", 0))).fetchone()
        full = since_full >= FULL_SHARE * size
        bound = MAX_REGROUP if full else min(MAX_REGROUP, small_bound(since_last))
        if size > bound:
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS regroup_part (id TEXT PRIMARY KEY)")
            self.db.execute("DELETE FROM temp.regroup_part")
            self.db.executemany("INSERT INTO temp.regroup_part (id) VALUES (?)",
                                [(sid,) for sid in self._neighbourhood(
                                    tracker, full_mark if full else marks.get("regrouped", 0), bound)])
            window += " AND s.id IN (SELECT id FROM temp.regroup_part)"
        window += " ORDER BY i.id"
        members = f"SELECT i.id, i.story {window}"
        rows = self.db.execute(f"SELECT i.id, i.text, i.title, i.vector, i.story, "
                               f"coalesce(i.seen_at, i.published, i.added), i.language, i.english {window}").fetchall()
        before = [(r[0], r[4]) for r in rows]
        groups = None
        if len(rows) > 1:  # clustered before the write lock is taken
            texts = [cluster_text(Item(n=0, id=r[0], text=r[1], title=r[2])) for r in rows]
            vectors = np.stack([np.frombuffer(r[3], dtype=np.float32) for r in rows])
            spans = [Span(when, when) for when in (aware(_time(r[5])) for r in rows)]
            languages = tuple(r[6] or "en" for r in rows)
            english = languages.count("en") >= ENGLISH_SHARE * len(rows)  # as in the batch path
            pile = Pile(languages, self._scale, _english_matrix([r[7] for r in rows]) if english else None)
            groups = (rows, texts, vectors, *window_labels(texts, vectors, self.options, spans, pile, [r[4] for r in rows]))
        with self._write():
            # Written only if no other ingest changed the open stories meanwhile; if one did, the
            # flag stays set, and that ingest (or the next) regroups what both added. The marks
            # move with the stories, in one transaction: a store killed before it still counts
            # the items since the last (full) regroup, and its next ingest regroups them.
            if before == self.db.execute(members).fetchall():
                if groups:
                    self._write_groups(*groups, tracker.tf)
                self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('regroup', '0')")
                self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('regrouped', ?)", (str(through),))
                if full:
                    self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('regrouped_full', ?)",
                                    (str(through),))
        return len(rows), full

    def _neighbourhood(self, tracker: StoryTracker, mark: int, bound: int) -> list[str]:
        """The open stories to regroup when not the whole window is: those that took an item
        after item number `mark` (the last item a regroup saw), most new items first, then the
        open stories nearest the first NEAR_SEEDS of them (cosine of the stories' mean vectors),
        until they hold `bound` canonical items. The stories left out were regrouped before and
        nothing new came near them; their grouping stays."""
        changed = [sid for (sid,) in self.db.execute(
            "SELECT story FROM items WHERE status = 'used' AND n > ? GROUP BY story ORDER BY count(*) DESC, story",
            (mark,))]
        position = {self._ids[k]: k for k, is_open in enumerate(tracker.open) if is_open}
        seeds = [position[sid] for sid in changed if sid in position]
        chosen, total = [], 0
        for k in [*seeds, *self._nearest(tracker, seeds[:NEAR_SEEDS], sorted(set(position.values()) - set(seeds)))]:
            if total + tracker.sizes[k] <= bound:
                chosen.append(self._ids[k])
                total += tracker.sizes[k]
        return chosen

    @staticmethod
    def _nearest(tracker: StoryTracker, seeds: list[int], others: list[int]) -> list[int]:
        """`others` (tracker stories), nearest any of `seeds` first, by the cosine of their means."""
        if not seeds or not others:
            return others
        def means(ks):
            m = np.stack([tracker.sums[k] for k in ks])
            return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)
        anchors = means(seeds)
        nearness = np.concatenate([(means(others[first:first + NEAR_BLOCK]) @ anchors.T).max(axis=1)
                                   for first in range(0, len(others), NEAR_BLOCK)])  # blocks: bounded memory
        return [others[p] for p in np.argsort(-nearness, kind="stable")]

    def _write_groups(self, rows, texts, vectors, labels: list[int], centres: list[int], tf) -> None:
        """Write regrouped stories; rows are (id, text, title, vector, old story, time, language,
        MiniLM vector) of the open stories' canonical items, `centres` the row of each label's centre item (its title
        labels the story), `tf` the tracker's TF weighting of a text."""
        old = [r[4] for r in rows]
        rank = {sid: k for k, sid in enumerate(self._ids)}
        kept: dict[int, str] = {}  # group -> the old story id it keeps (most items in common)
        kept_ids: set[str] = set()
        heir: dict[str, int] = {}  # old story -> the group with most of its items
        for (label, sid), _ in sorted(Counter(zip(labels, old)).items(),
                                      key=lambda kv: (-kv[1], rank[kv[0][1]], kv[0][0])):
            heir.setdefault(sid, label)
            if label not in kept and sid not in kept_ids:
                kept[label] = sid
                kept_ids.add(sid)
        emptied = set(old) - kept_ids
        self.db.executemany("DELETE FROM stories WHERE id = ?", [(sid,) for sid in sorted(emptied)])
        # A name once used, by a story or by a merged one, is never given to another story.
        taken = emptied | {r[0] for r in self.db.execute("SELECT id FROM stories UNION SELECT id FROM merged_stories")}
        members: dict[int, list[int]] = {}
        for p, label in enumerate(labels):
            members.setdefault(label, []).append(p)
        written: dict[int, str] = {}
        for label, positions in members.items():
            sid = kept.get(label) or self._free_id(sorted(rows[p][0] for p in positions), taken)
            taken.add(sid)
            written[label] = sid
            words: Counter = Counter()
            for p in positions:
                words.update(tf(texts[p]))
            head = rows[centres[label]]
            english = [np.frombuffer(rows[p][7], dtype=np.float32) for p in positions if rows[p][7] is not None]
            values = (_label(Item(n=0, text=head[1], title=head[2])), len(positions),
                      vectors[positions].sum(axis=0).tobytes(), json.dumps(words, sort_keys=True),
                      np.sum(english, axis=0).tobytes() if english else None, len(english), sid)
            if label in kept:
                self.db.execute("UPDATE stories SET label = ?, size = ?, sum = ?, words = ?, english = ?, "
                                "english_size = ? WHERE id = ?", values)
            else:
                self.db.execute("INSERT INTO stories (label, size, sum, words, english, english_size, id, open, added) "
                                "VALUES (?,?,?,?,?,?,?,1,?)", (*values, self._ingest_key))
            self.db.executemany("UPDATE items SET story = ? WHERE id = ?", [(sid, rows[p][0]) for p in positions])
        # Copies follow their original (they still name its old story); then each story's dates.
        self.db.executemany("UPDATE items SET story = (SELECT o.story FROM items o WHERE o.id = items.duplicate_of) "
                            "WHERE story = ? AND status = 'merged'", [(sid,) for sid in sorted(set(old))])
        # An emptied story lives on in the group that took most of its items: its id still finds it.
        now = _now().isoformat()
        self.db.executemany("INSERT OR REPLACE INTO merged_stories (id, successor, merged) VALUES (?, ?, ?)", [
            (sid, written[heir[sid]], now) for sid in sorted(emptied)])
        for sid in written.values():
            times = [aware(_time(t)).astimezone(timezone.utc) for (t,) in self.db.execute(
                "SELECT coalesce(seen_at, published, added) FROM items WHERE story = ?", (sid,))]
            self.db.execute("UPDATE stories SET first_seen = ?, last_seen = ? WHERE id = ?",
                            (_iso(min(times)) if times else None, _iso(max(times)) if times else None, sid))

    @staticmethod
    def _free_id(item_ids: list[str], taken: set[str]) -> str:
        """A new story's id: named after its smallest item whose name is free, else after all its
        items (and a counter, should even that be taken)."""
        for sid in map(story_id, item_ids):
            if sid not in taken:
                return sid
        for attempt in range(len(taken) + 1):
            sid = story_id(f"group {attempt} " + " ".join(item_ids))
            if sid not in taken:
                return sid
        raise AssertionError("unreachable: more names tried than stories exist")

    def _original(self, item_id: str) -> str:
        """The end of the `duplicate_of` chain from `item_id`: a copy of an item that later became
        a duplicate itself points to the original, however long the chain."""
        seen = {item_id}
        while True:
            hit = self.db.execute("SELECT duplicate_of FROM items WHERE id = ?", (item_id,)).fetchone()
            if not hit or not hit[0] or hit[0] in seen:
                return item_id
            item_id = hit[0]
            seen.add(item_id)

    def _time_of(self, it: Item) -> datetime:
        """When an item was seen, in UTC (so that the stories' first and last seen compare as
        text): the end of the span it happened in (newsdesk.timing): its publication time; for
        an undated item, the latest publication time of its own input (an archive backfilled
        today keeps its own time), else when it was ingested (an undated snippet does not take
        the dates of unrelated items of the same ingest, and stories of undated items fed day
        after day close when quiet)."""
        return self._spans[it.id].last

    def _add(self, it: Item, norm: str | None, vector, k: int | None, copy=None, english: bytes | None = None) -> str:
        now, at = self._ingested.isoformat(), self._time_of(it)
        canonical = self._original(copy[0]) if copy else None
        language = it.language
        if canonical is not None and not (copy[1] or "").startswith("translation"):  # its original's language
            language = self.db.execute("SELECT language FROM items WHERE id = ?", (canonical,)).fetchone()[0]
        columns = "id, text, title, url, source, published, origin, seen_at, truncated, note, language, added, norm"
        row = [it.id, it.text, it.title, it.url, it.source, _iso(it.published), it.origin, _iso(at),
               int(it.truncated), it.note, language, now, norm]
        if it.junk_reason:  # a copy of a dropped original points to it
            self.db.execute(f"INSERT INTO items ({columns}, status, reason, duplicate_of) VALUES "
                            f"({_marks(row)}, 'dropped', ?, ?)", [*row, it.junk_reason, canonical])
            return "dropped"
        if canonical is not None:
            story = self.db.execute("SELECT story FROM items WHERE id = ?", (canonical,)).fetchone()[0]
            self.db.execute(f"INSERT INTO items ({columns}, status, reason, duplicate_of, story) VALUES "
                            f"({_marks(row)}, 'merged', ?, ?, ?)", [*row, copy[1], canonical, story])
            self._seen(story, at)
            return "duplicates"
        assert k is not None, "an item kept as new has a story"
        if k == len(self._ids):  # a new story, named after its founding item
            sid = story_id(it.id)
            self._ids.append(sid)
            self.db.execute("INSERT INTO stories (id, label, size, sum, words, first_seen, last_seen, open, added) "
                            "VALUES (?,?,0,x'',?,?,?,1,?)", (sid, _label(it), "{}", _iso(at), _iso(at), self._ingest_key))
        self.db.execute(f"INSERT INTO items ({columns}, status, story, vector, english) VALUES "
                        f"({_marks(row)}, 'used', ?, ?, ?)", [*row, self._ids[k], np.asarray(vector, dtype=np.float32).tobytes(),
                                                             english])
        self._seen(self._ids[k], at)
        if self._ncanon == len(self._canon):
            self._canon = np.vstack([self._canon, np.zeros_like(self._canon)])
        self._canon[self._ncanon] = vector
        self._ncanon += 1
        self._canon_ids.append(it.id)
        self._canon_story.append(self._ids[k])
        self._canon_english.append(english)
        return "new"

    def _seen(self, story: str, when: datetime) -> None:
        w = _iso(when)
        self.db.execute("UPDATE stories SET first_seen = CASE WHEN first_seen IS NULL OR first_seen > ? THEN ? "
                        "ELSE first_seen END, last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? "
                        "ELSE last_seen END WHERE id = ?", (w, w, w, w, story))

    def _save(self, tracker: StoryTracker, touched: set[int]) -> None:
        for k in sorted(touched):
            english = tracker.english_sums[k]
            self.db.execute("UPDATE stories SET size = ?, sum = ?, words = ?, english = ?, english_size = ? WHERE id = ?",
                            (tracker.sizes[k], tracker.sums[k].astype(np.float32).tobytes(),
                             json.dumps(tracker.words[k], sort_keys=True),
                             None if english is None else english.astype(np.float32).tobytes(),
                             tracker.english_sizes[k], self._ids[k]))
        self.db.executemany("UPDATE stories SET open = 0 WHERE id = ?", [(self._ids[k],) for k in tracker.closed_now])
        tracker.closed_now.clear()
        changed = [(w, tracker.df[w]) for w in sorted(tracker.dirty_words)]
        tracker.dirty_words.clear()
        self.db.executemany("INSERT INTO df (word, count) VALUES (?, ?) "
                            "ON CONFLICT(word) DO UPDATE SET count = excluded.count", changed)
        tracker.df.clear()  # saved: the next chunk reads what it needs again (memory follows a chunk)

    # ------------------------------------------------------------ reading

    @_guarded
    def stories(self) -> list[Story]:
        """Every story (open and closed), biggest first (two queries, however many stories)."""
        members: dict[str, list[tuple]] = {}
        for row in self.db.execute("SELECT story, n, id, source, duplicate_of, language FROM items "
                                   "WHERE story IS NOT NULL ORDER BY n"):
            members.setdefault(row[0], []).append(row[1:])
        rows = self.db.execute("SELECT id, label, first_seen, last_seen, continues FROM stories ORDER BY k").fetchall()
        found = [self._story(*row, members=members.get(row[0], [])) for row in rows]
        return sorted(found, key=lambda s: (-len(s.items), s.items[0] if s.items else 0))

    @_guarded
    def story(self, story_id: str) -> Story | None:
        """One story (also under the id of a story merged into it), or None."""
        row = self.db.execute("SELECT id, label, first_seen, last_seen, continues FROM stories WHERE id = ?",
                              (self.current_id(story_id),)).fetchone()
        return self._story(*row) if row else None

    def _story(self, sid: str, label: str, first: str | None, last: str | None, continues: str | None, *,
               members: list[tuple] | None = None) -> Story:
        """A story from its row and its items' (n, id, source, duplicate_of, language), read when
        not given."""
        rows = members if members is not None else self.db.execute(
            "SELECT n, id, source, duplicate_of, language FROM items WHERE story = ? ORDER BY n", (sid,)).fetchall()
        heads = [r for r in rows if r[3] is None]
        outlets = {r[2] for r in rows if r[2]}
        return Story(id=sid, label=label, items=[r[0] for r in rows], angles=[Angle(label, [r[0] for r in rows])],
                     first_seen=_time(first), last_seen=_time(last),
                     sources=len(outlets) + sum(1 for r in heads if not r[2]), origins=len(heads),
                     item_ids=[r[1] for r in rows], continues=continues and self.current_id(continues),
                     languages=language_counts(r[4] for r in rows))

    def current_id(self, story_id: str) -> str:
        """The id a story has now: a story merged into another when the open stories were
        regrouped is found under the id of the story that took most of its items."""
        seen = {story_id}
        while not self.db.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone():
            row = self.db.execute("SELECT successor FROM merged_stories WHERE id = ?", (story_id,)).fetchone()
            if not row or row[0] in seen:  # no such story (a merged name is never reused: no loop)
                break
            story_id = row[0]
            seen.add(story_id)
        return story_id

    def _merged_into(self, story_id: str) -> set[str]:
        """`story_id` and every story id that now resolves to it."""
        ids, frontier = {story_id}, [story_id]
        while frontier:
            frontier = [r[0] for r in self.db.execute(
                f"SELECT id FROM merged_stories WHERE successor IN ({','.join('?' * len(frontier))})", frontier)
                if r[0] not in ids]
            ids.update(frontier)
        return ids

    @_guarded
    def story_items(self, story_id: str) -> list[Item]:
        """The items of one story (duplicates included, by store number), also under the id of a
        story merged into it (see :meth:`current_id`); a NewsdeskError (exit 2) naming the id
        when the store has no such story."""
        items = self.items(self.current_id(story_id)) if story_id else []
        if not items:
            raise NewsdeskError(f"no story {story_id!r} in {self.path} (see `newsdesk stories --db {self.path}`)", code=2)
        return items

    @_guarded
    def brief(self, story_id: str, options: Options | None = None) -> Brief:
        """Brief one stored story (also under the id of a story merged into it): item numbers
        are the store's numbers, and each ledger entry carries the item's stable id. The brief
        is recorded, so that a later :meth:`brief_update` can say what changed."""
        return self._brief(story_id, options)[2]

    @_guarded
    def brief_update(self, story_id: str, since: str | datetime, options: Options | None = None) -> BriefUpdate:
        """Brief one stored story and say what changed: with `since="last"`, since the last
        recorded brief of the story (or of a story since merged into it); with a date, in the
        items published at or after it (an undated item counts from the time the store gave
        it). The brief is recorded too."""
        since = parse_since(since)
        story_id, items, result, previous = self._brief(story_id, options)
        if since == "last":
            return changes.since_last(story_id, items, result, previous)
        seen = {n: _time(t) for n, t in self.db.execute(
            "SELECT n, coalesce(seen_at, added) FROM items WHERE story = ?", (story_id,))}
        return changes.since_date(story_id, items, result, since, seen)

    def _brief(self, story_id: str, options: Options | None):
        """(the story's id now, its items, their brief, the record of the story's previous brief),
        recording the new brief."""
        from .pipeline import brief as make_brief

        items = self.story_items(story_id)
        story_id = self.current_id(story_id)
        result = make_brief(items, options or self.options)
        previous = self.last_brief(story_id)
        made = changes.record(result, items, _now())
        if not self.readonly:  # a read-only store briefs without remembering the brief
            with self._write():
                self.db.execute("INSERT INTO briefs (story, made, items, claims, figures) VALUES (?,?,?,?,?)",
                                (story_id, made.made, json.dumps(made.item_ids), json.dumps(made.claims),
                                 json.dumps(made.figures)))
        return story_id, items, result, previous

    @_guarded
    def last_brief(self, story_id: str) -> BriefRecord | None:
        """The record of the last brief of a story, or of a story since merged into it."""
        earlier = sorted(self._merged_into(story_id))
        row = self.db.execute(f"SELECT made, items, claims, figures FROM briefs WHERE story IN "
                              f"({','.join('?' * len(earlier))}) ORDER BY k DESC LIMIT 1", earlier).fetchone()
        if row is None:
            return None
        return BriefRecord(made=row[0], item_ids=json.loads(row[1]), claims=json.loads(row[2]),
                           figures=json.loads(row[3]))

    # ------------------------------------------------------------ search (newsdesk.search)

    @_guarded
    def check(self) -> list[str]:
        """What does not hold in the store (newsdesk.integrity), one line each; [] when sound."""
        return integrity.problems(self.db)

    @_guarded
    def index_search(self) -> int:
        """Index for search the items not indexed yet (a store written by an earlier version);
        ingest indexes its own items. How many were added."""
        with self._write():
            return search.index_items(self.db)

    @_guarded
    def search(self, text: str, limit: int = 50) -> dict:
        """Items and claims matching every word of `text` (the last as a prefix), best first,
        with the matches marked: {"query", "items": [...], "claims": [...]}."""
        return search.search(self.db, text, limit)

    @_guarded
    def stories_matching(self, text: str) -> set[str]:
        """Ids of the stories with an item matching `text`."""
        return search.story_matches(self.db, text)

    @_guarded
    def stale_claim_stories(self) -> list[str]:
        """Stories whose claims are not indexed for search for their current items."""
        return search.stale_stories(self.db)

    @_guarded
    def index_claims(self, story: str, claims, items: list[Item]) -> None:
        """Index for search the claims of one story (found in `items`, its items now)."""
        self.index_claims_many([(story, claims, items)])

    @_guarded
    def index_claims_many(self, found: Iterable[tuple[str, list, list[Item]]]) -> None:
        """index_claims of several stories, (story, claims, items) each, in one transaction."""
        with self._write():
            for story, claims, items in found:
                search.index_claims(self.db, story, claims, items)

    # ------------------------------------------------------------ time (newsdesk.history)

    @_guarded
    def changes(self, since: str | datetime = "last", story: str | None = None, options: Options | None = None,
                record: bool = True, progress=None):
        """What changed across the store since the last run of `newsdesk changes` ("last") or a
        date: a StoreChanges (new stories, stories that gained items, new claims, figures that
        moved, new disputes). With `record`, this run is the next "last"."""
        return history.changes(self, since, story, options, record, progress)

    @_guarded
    def arrivals(self, story_id: str) -> dict[int, datetime]:
        """Item number -> when it arrived in the store, for one story's items."""
        return history.arrivals(self.db, self.current_id(story_id))

    @_guarded
    def changed_since(self, since: datetime | None, limit: int | None = None) -> list[tuple[str, datetime, int]]:
        """(story id, latest arrival, items arrived) of the stories with items that arrived after `since`."""
        return history.changed_since(self.db, since, limit)

    @_guarded
    def story_outlets(self, story: str | None = None) -> dict[str, tuple[int, int]]:
        """Story id -> (outlets named by its items, independent origins naming none), of every
        story or of `story` only."""
        return history.story_outlets(self.db, story)

    @_guarded
    def story_times(self) -> dict[str, list[datetime]]:
        """Story id -> the publication times of its dated items (for charts)."""
        times: dict[str, list[datetime]] = {}
        for sid, published in self.db.execute("SELECT story, published FROM items WHERE story IS NOT NULL "
                                              "AND published IS NOT NULL"):
            times.setdefault(sid, []).append(aware(_time(published)))
        return times

    @_guarded
    def items(self, story: str | None = None) -> list[Item]:
        """The stored items (of one story, or all), by store number, with their verdicts."""
        sql = "SELECT n, id, text, title, url, source, published, origin, language, truncated, note FROM items"
        rows = self.db.execute(sql + (" WHERE story = ? ORDER BY n" if story else " ORDER BY n"),
                               (story,) if story else ()).fetchall()
        return [Item(n=r[0], id=r[1], text=r[2], title=r[3], url=r[4], source=r[5], published=_time(r[6]),
                     origin=r[7] or "", language=r[8], truncated=bool(r[9]), note=r[10]) for r in rows]


INGEST_BATCH = 50_000
"""Items of an input read and added at a time: an input of any size streams through a bounded
memory (each batch is ordered by time on its own)."""

MAX_BATCH = 8 * CHUNK
"""Most items (copies included) written in one transaction."""

MAX_REGROUP = 4 * MAX_CLUSTER
"""Most canonical items of open stories regrouped when an ingest ends (in blocks of
cluster.MAX_BATCH): their texts and vectors are read into memory (about 200 MB at this size).
In a larger window (a stream of undated items, whose stories never close) the regroup takes the
part of it around what changed (Store._neighbourhood), so that its time and memory stay bounded."""

FULL_SHARE = 0.05
"""A full regroup runs when the items that arrived since the last one reach this share of the
open window; a smaller ingest regroups only around its own items (Store._regroup)."""

SMALL_REGROUP, SMALL_PER_ITEM = 2_000, 20
"""The part of the window a small ingest regroups: at least SMALL_REGROUP canonical items, or
SMALL_PER_ITEM per item that arrived since the last regroup (its stories and their nearest)."""


def small_bound(arrived: int) -> int:
    """Most canonical items regrouped after `arrived` items when no full regroup is due."""
    return max(SMALL_REGROUP, SMALL_PER_ITEM * arrived)


NEAR_BLOCK, NEAR_SEEDS = 4096, 1024
"""When the part of a large window to regroup is chosen: story means compared at a time, and the
most changed stories whose neighbours are looked for (so that choosing costs in proportion to
the open stories, however many changed)."""

NEW_BLOCK, CLOSED_BLOCK = 1024, 4096
"""Stories compared at a time when new stories are linked to the closed stories they continue."""

def _norm(text: str, core: _Digests | None = None) -> str | None:
    """The exact-copy key of a text: a hash of its normalised core (dedup.core_words); of its
    core as written when that has no words ("====", "***"); None when the text is empty, so that
    items without text (the reader drops them) are nobody's copy."""
    core = _Digests(dedup.core_words(text)) if core is None else core
    if core.words:
        return core.whole.hex()
    written = dedup.core_text(text).split()
    return _digest(["\0", *written]).hex() if written else None


class _StoredCounts(Counter):
    """The store's document frequencies (the `df` table) as the tracker's Counter: a word is read
    from the table the first time a chunk asks for it, and kept (with its changes) until the
    chunk is saved; so memory follows the words of a chunk, not the vocabulary of the store."""

    def __init__(self, db: sqlite3.Connection):
        super().__init__()
        self.db = db

    def __missing__(self, word: str) -> int:
        row = self.db.execute("SELECT count FROM df WHERE word = ?", (word,)).fetchone()
        self[word] = count = row[0] if row else 0
        return count

    def prefetch(self, words: Iterable[str]) -> None:
        """Read the counts of the `words` not held yet, hundreds to a query: the tracker asks
        for every word of a chunk, and a query per word was a twentieth of the store's own CPU
        in an ingest of 2,600 items. The same counts as word by word (the table changes only
        when the chunk is saved)."""
        wanted = [w for w in words if w not in self]
        for start in range(0, len(wanted), _PREFETCH):
            part = wanted[start:start + _PREFETCH]
            found = dict(self.db.execute(f"SELECT word, count FROM df WHERE word IN ({_marks(part)})", part))
            for word in part:
                self[word] = found.get(word, 0)


_PREFETCH = 500  # words a query: under SQLite's older limit of 999 parameters


def _model(embedder: str) -> str:
    """The model behind an embedder's name: "minilm", "minilm-torch" and "minilm-onnx" are one
    (float32; they agree within 1e-3). "minilm-int8" is its own: its vectors differ from float32
    ones (cosine 0.99-1.0), so one store never mixes the two graphs (nor two int8 recipes:
    Store._check_int8_recipe)."""
    if embedder == "minilm-int8":
        return embedder
    return "minilm" if embedder.startswith("minilm") else embedder


def _means(rows: list) -> np.ndarray:
    """The unit mean embeddings of stories given as rows (id, size, sum, ...)."""
    m = np.stack([np.frombuffer(r[2], dtype=np.float32) / r[1] for r in rows])
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def _english_means(rows: list) -> np.ndarray | None:
    """The unit mean MiniLM vectors of the English members of stories given as rows (id, size,
    sum, time, MiniLM sum, its size) that are mostly English (cluster.mostly_english), a row of
    zeros for the others; None when none is."""
    means = _english_matrix([r[4] if r[4] is not None and mostly_english(r[5], r[1]) else None for r in rows])
    if means is not None:
        means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
    return means


def _marks(row: list) -> str:
    return ",".join("?" * len(row))


def _now() -> datetime:
    return datetime.now(timezone.utc)
