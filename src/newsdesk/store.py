"""A store that remembers: items, duplicates and stories in one SQLite file.

`Store(path).ingest(items)` adds items: an item whose id is already stored is skipped (so
ingesting the same input again adds nothing); junk is kept as dropped; an exact copy (same
normalised text) or a paraphrase (embedding cosine >= `semantic_duplicate_similarity`) is
merged into its canonical item; every other item joins a live story or starts one
(:class:`newsdesk.cluster.StoryTracker`), and stories quiet for `story_quiet_days` close.

Crash safety: the file is in WAL mode and items are added in chunks, each chunk (its items,
the stories it touched, the word statistics) in one transaction. The clustering state is read
back from the file when a store opens, so a process killed at any moment leaves the store as it
was after the last committed chunk, and running the same ingest again completes the work with
no item lost or duplicated. Within one ingest call, items are processed in (published, id)
order, so the result does not depend on the order of the input.

Near duplicates across ingests: the MinHash signature (:mod:`newsdesk.dedup`, 128 permutations)
of every canonical item is kept in the `minhash` table, and an LSH band index over them is
rebuilt in memory when an ingest starts, so a lightly edited copy ingested days later points to
its original. A candidate from the index is confirmed with the exact shingle Jaccard
(`near_duplicate_jaccard`) or containment (a truncated copy), as in the batch path. Exact and near copies are found before the
embedding model runs, so copies never reach it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from . import clean, dedup
from .embed import get_embedder
from .errors import NewsdeskError
from .model import Angle, Brief, Claim, Item, Quantity, Story
from .options import Options
from .cluster import StoryTracker, _label, cluster_text, story_id

CHUNK = int(os.environ.get("NEWSDESK_STORE_CHUNK", "1024"))
"""Items embedded and committed together (the environment variable is for tests): large enough
that the model sorts texts by length with little padding, as a one-shot embedding would."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
  n INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT UNIQUE NOT NULL,
  text TEXT NOT NULL, title TEXT, url TEXT, source TEXT, published TEXT, origin TEXT,
  status TEXT NOT NULL, reason TEXT, duplicate_of TEXT, norm TEXT,
  story TEXT, vector BLOB, added TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_norm ON items(norm);
CREATE INDEX IF NOT EXISTS items_story ON items(story);
CREATE TABLE IF NOT EXISTS stories (
  k INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, label TEXT NOT NULL,
  size INTEGER NOT NULL, sum BLOB NOT NULL, words TEXT NOT NULL,
  first_seen TEXT, last_seen TEXT, open INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS df (word TEXT PRIMARY KEY, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS briefs (
  k INTEGER PRIMARY KEY AUTOINCREMENT, story TEXT NOT NULL, made TEXT NOT NULL,
  items TEXT NOT NULL, claims TEXT NOT NULL, figures TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS briefs_story ON briefs(story, k);
CREATE TABLE IF NOT EXISTS minhash (id TEXT PRIMARY KEY, sig BLOB NOT NULL);
"""


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Store:
    def __init__(self, path: str | Path, options: Options | None = None):
        self.path = str(path)
        self.options = options or Options()
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise NewsdeskError(f"cannot open store {self.path}: {exc}", code=2) from None
        self._tracker: StoryTracker | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------ state

    def _load_duplicates(self) -> None:
        """Normalised-text keys and the MinHash band index of the stored canonical items."""
        self._norms: dict[str, str] = {}
        for norm, iid, dup in self.db.execute("SELECT norm, id, duplicate_of FROM items WHERE status != 'dropped' "
                                              "AND norm IS NOT NULL ORDER BY n"):
            self._norms.setdefault(norm, dup or iid)
        self._dropped: dict[str, str] = {}  # normalised text of dropped items -> the reason
        for norm, reason in self.db.execute("SELECT norm, reason FROM items WHERE status = 'dropped' AND norm IS NOT NULL"):
            self._dropped.setdefault(norm, reason)
        self._prefixes: dict[int, str] = {}
        for iid, text in self.db.execute("SELECT id, text FROM items WHERE status = 'used' ORDER BY n"):
            self._register_prefixes(iid, dedup.normalise(text).split())
        self._bands: list[dict[bytes, list[str]]] = [{} for _ in range(_BANDS)]
        missing = self.db.execute("SELECT id, text FROM items WHERE status = 'used' AND id NOT IN "
                                  "(SELECT id FROM minhash)").fetchall()
        if missing:  # a store written before signatures were kept
            rows = [(iid, sig.tobytes()) for iid, text in missing if (sig := _signature(text)) is not None]
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT OR IGNORE INTO minhash (id, sig) VALUES (?, ?)", rows)
            self.db.execute("COMMIT")
        for iid, blob in self.db.execute("SELECT id, sig FROM minhash"):
            self._index(iid, np.frombuffer(blob, dtype=np.uint32))

    def _register_prefixes(self, iid: str, words: list[str]) -> None:
        for k in range(max(_PREFIX_MIN, len(words) - _TAIL_MAX), len(words)):
            self._prefixes.setdefault(_key(" ".join(words[:k])), iid)

    def _prefix_copy(self, words: list[str]) -> str | None:
        """A stored item that is this text cut short, or this text with a short tail added (an
        outlet footer, a "- report" tag): too few shingles for MinHash on short texts."""
        hit = self._prefixes.get(_key(" ".join(words)))
        if hit is not None:
            return hit
        for k in range(len(words) - 1, max(_PREFIX_MIN, len(words) - _TAIL_MAX) - 1, -1):
            hit = self._norms.get(_norm_words(words[:k]))
            if hit is not None:
                return hit
        return None

    def _index(self, iid: str, sig: np.ndarray) -> None:
        for band, table in enumerate(self._bands):
            table.setdefault(sig[band * _ROWS:(band + 1) * _ROWS].tobytes(), []).append(iid)

    def _near(self, text: str, sig: np.ndarray, pending: dict[str, str]) -> str | None:
        """The canonical item of which `text` is a near copy (exact shingle Jaccard confirmed)."""
        found: set[str] = set()
        for band, table in enumerate(self._bands):
            found.update(table.get(sig[band * _ROWS:(band + 1) * _ROWS].tobytes(), ()))
        if not found:
            return None
        own = dedup.shingles(text)
        best, best_score = None, self.options.near_duplicate_jaccard
        for iid in sorted(found):
            other = pending.get(iid)
            if other is None:
                row = self.db.execute("SELECT text FROM items WHERE id = ?", (iid,)).fetchone()
                other = row[0] if row else ""
            score = dedup.near_score(own, dedup.shingles(other), self.options.near_duplicate_jaccard)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = iid, score
        return best

    def _load(self) -> StoryTracker:
        self._load_duplicates()
        tracker = StoryTracker(self.options)
        tracker.df = Counter(dict(self.db.execute("SELECT word, count FROM df")))
        tracker.docs = self.db.execute("SELECT count(*) FROM items WHERE status = 'used'").fetchone()[0]
        self._ids = []
        for k, sid, size, blob, words, last, is_open in self.db.execute(
                "SELECT k, id, size, sum, words, last_seen, open FROM stories ORDER BY k"):
            assert k == len(self._ids)
            tracker.sums.append(np.frombuffer(blob, dtype=np.float32).copy())
            tracker.words.append(Counter(json.loads(words)))
            tracker.sizes.append(size)
            tracker.last.append(_time(last))
            tracker.open.append(bool(is_open))
            self._ids.append(sid)
        rows = self.db.execute("SELECT id, vector FROM items WHERE status = 'used' ORDER BY n").fetchall()
        self._canon_ids = [r[0] for r in rows]
        dim = get_embedder(self.options.embedder).dim
        self._canon = np.zeros((max(1024, 2 * len(rows)), dim), dtype=np.float32)  # rows beyond _ncanon: room
        for i, r in enumerate(rows):
            self._canon[i] = np.frombuffer(r[1], dtype=np.float32)
        self._ncanon = len(rows)
        return tracker

    def _semantic(self, live: list[Item], vectors: np.ndarray) -> dict[str, str]:
        """Paraphrases (MiniLM cosine >= semantic_duplicate_similarity) of stored canonical
        items or of earlier canonical items of this chunk: item id -> canonical id. One matrix
        product per chunk instead of one per item."""
        threshold = self.options.semantic_duplicate_similarity
        m = self._ncanon
        prior = self._canon[:m] @ vectors.T if m else None
        best_prior = prior.argmax(axis=0) if m else None
        gram = vectors @ vectors.T
        found: dict[str, str] = {}
        kept: list[int] = []
        for i, it in enumerate(live):
            best_id, best = None, -2.0
            if m:
                best_id, best = self._canon_ids[int(best_prior[i])], float(prior[best_prior[i], i])
            if kept:
                j = int(np.argmax(gram[i, kept]))
                if gram[i, kept[j]] > best:
                    best_id, best = live[kept[j]].id, float(gram[i, kept[j]])
            if best >= threshold:
                found[it.id] = best_id
            else:
                kept.append(i)
        return found

    # ------------------------------------------------------------ ingest

    def ingest(self, items: Iterable[Item], progress=None) -> dict[str, int]:
        """Add items; counts of new, duplicates, dropped, and already stored ("seen")."""
        counts = {"new": 0, "duplicates": 0, "dropped": 0, "seen": 0}
        fresh: dict[str, Item] = {}
        for it in items:
            if it.id in fresh or self.db.execute("SELECT 1 FROM items WHERE id = ?", (it.id,)).fetchone():
                counts["seen"] += 1
            else:
                fresh[it.id] = it
        far = datetime.max.replace(tzinfo=timezone.utc)
        ordered = sorted(fresh.values(), key=lambda it: (_aware(it.published) or far, it.id))
        tracker = self._load()
        embedder = get_embedder(self.options.embedder)
        chunks = [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]
        bar = iter(progress(ordered)) if progress else None
        for chunk in chunks:
            # The cheap pass: exact and MinHash near copies (of stored items, or of earlier items of
            # this chunk) are settled first: they skip the junk checks (their original passed them;
            # an outlet footer must not get a copy dropped) and never reach the model.
            copies: dict[str, tuple[str, str]] = {}
            signatures: dict[str, np.ndarray] = {}
            pending: dict[str, str] = {}
            for at, it in enumerate(chunk):
                if it.junk_reason:
                    continue
                words = dedup.normalise(it.text).split()
                norm = _norm_words(words)
                if norm in self._norms:
                    copies[it.id] = (self._norms[norm], "duplicate (exact)")
                    continue
                if norm in self._dropped:  # the same text was dropped before: same verdict, no checks
                    chunk[at] = replace(it, junk_reason=self._dropped[norm])
                    continue
                prefix = self._prefix_copy(words)
                if prefix is not None:
                    copies[it.id] = (prefix, "duplicate (near)")
                    self._norms.setdefault(norm, prefix)
                    continue
                sig = _signature(it.text)
                near = self._near(it.text, sig, pending) if sig is not None else None
                if near is not None:
                    copies[it.id] = (near, "duplicate (near)")
                    self._norms.setdefault(norm, near)
                    continue
                chunk[at] = it = _assess(it, self.options)
                if it.junk_reason:
                    self._dropped.setdefault(norm, it.junk_reason)
                    continue
                self._norms[norm] = it.id
                self._register_prefixes(it.id, words)
                pending[it.id] = it.text
                if sig is not None:
                    signatures[it.id] = sig
                    self._index(it.id, sig)
            live = [it for it in chunk if not it.junk_reason and it.id not in copies]
            matrix = embedder.encode([cluster_text(it) for it in live]) if live else None
            vectors = dict(zip((it.id for it in live), matrix)) if live else {}
            if live:
                for iid, canonical in self._semantic(live, matrix).items():
                    copies[iid] = (canonical, "duplicate (semantic)")
            heads = [(i, it) for i, it in enumerate(live) if it.id not in copies]
            numbers = tracker.add_many([cluster_text(it) for _, it in heads], matrix[[i for i, _ in heads]],
                                       [_aware(it.published) for _, it in heads]) if heads else []
            story_of = {it.id: k for (_, it), k in zip(heads, numbers)}
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for it in chunk:
                    counts[self._add(it, vectors.get(it.id), story_of.get(it.id), copies.get(it.id))] += 1
                    if bar is not None:
                        next(bar, None)
                self._save(tracker, set(numbers))
                self.db.executemany("INSERT OR IGNORE INTO minhash (id, sig) SELECT ?, ? WHERE EXISTS "
                                    "(SELECT 1 FROM items WHERE id = ? AND status = 'used')",
                                    [(iid, sig.tobytes(), iid) for iid, sig in signatures.items()])
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        if bar is not None:
            for _ in bar:
                pass
        return counts

    def _add(self, it: Item, vector, k: int | None, copy=None) -> str:
        now = datetime.now(timezone.utc).isoformat()
        row = [it.id, it.text, it.title, it.url, it.source, _iso(it.published), it.origin]
        if it.junk_reason:
            self.db.execute("INSERT INTO items (id, text, title, url, source, published, origin, status, reason, norm, added) "
                            "VALUES (?,?,?,?,?,?,?,'dropped',?,?,?)", [*row, it.junk_reason, _norm(it.text), now])
            return "dropped"
        norm = _norm(it.text)
        canonical, reason = copy if copy else (None, None)
        if canonical is not None:  # a copy of an item that became a paraphrase duplicate points further
            hit = self.db.execute("SELECT duplicate_of FROM items WHERE id = ?", (canonical,)).fetchone()
            canonical = (hit and hit[0]) or canonical
        if canonical is not None:
            story = self.db.execute("SELECT story FROM items WHERE id = ?", (canonical,)).fetchone()[0]
            self.db.execute("INSERT INTO items (id, text, title, url, source, published, origin, status, reason, "
                            "duplicate_of, norm, story, added) VALUES (?,?,?,?,?,?,?,'merged',?,?,?,?,?)",
                            [*row, reason, canonical, norm, story, now])
            self._seen(story, it.published)
            return "duplicates"
        if k == len(self._ids):  # a new story, named after its founding item
            sid = story_id(it.id)
            self._ids.append(sid)
            self.db.execute("INSERT INTO stories (k, id, label, size, sum, words, first_seen, last_seen, open) "
                            "VALUES (?,?,?,0,x'',?,?,?,1)", (k, sid, _label(it), "{}", _iso(it.published), _iso(it.published)))
        self.db.execute("INSERT INTO items (id, text, title, url, source, published, origin, status, norm, story, "
                        "vector, added) VALUES (?,?,?,?,?,?,?,'used',?,?,?,?)",
                        [*row, norm, self._ids[k], np.asarray(vector, dtype=np.float32).tobytes(), now])
        self._seen(self._ids[k], it.published)
        if self._ncanon == len(self._canon):
            self._canon = np.vstack([self._canon, np.zeros_like(self._canon)])
        self._canon[self._ncanon] = vector
        self._ncanon += 1
        self._canon_ids.append(it.id)
        return "new"

    def _seen(self, story: str, when: datetime | None) -> None:
        if when is None:
            return
        w = _iso(_aware(when))
        self.db.execute("UPDATE stories SET first_seen = CASE WHEN first_seen IS NULL OR first_seen > ? THEN ? "
                        "ELSE first_seen END, last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? "
                        "ELSE last_seen END WHERE id = ?", (w, w, w, w, story))

    def _save(self, tracker: StoryTracker, touched: set[int]) -> None:
        for k in sorted(touched):
            self.db.execute("UPDATE stories SET size = ?, sum = ?, words = ? WHERE k = ?",
                            (tracker.sizes[k], tracker.sums[k].astype(np.float32).tobytes(),
                             json.dumps(tracker.words[k], sort_keys=True), k))
        self.db.executemany("UPDATE stories SET open = 0 WHERE k = ?", [(k,) for k in tracker.closed_now])
        tracker.closed_now.clear()
        changed = [(w, tracker.df[w]) for w in sorted(tracker.dirty_words)]
        tracker.dirty_words.clear()
        self.db.executemany("INSERT INTO df (word, count) VALUES (?, ?) "
                            "ON CONFLICT(word) DO UPDATE SET count = excluded.count", changed)

    # ------------------------------------------------------------ reading

    def stories(self) -> list[Story]:
        """Every story (open and closed), biggest first."""
        out = []
        for sid, label, first, last in self.db.execute(
                "SELECT id, label, first_seen, last_seen FROM stories ORDER BY k").fetchall():
            rows = self.db.execute("SELECT n, id, source, duplicate_of FROM items WHERE story = ? ORDER BY n",
                                   (sid,)).fetchall()
            heads = [r for r in rows if r[3] is None]
            outlets = {r[2] for r in rows if r[2]}
            out.append(Story(id=sid, label=label, items=[r[0] for r in rows],
                             angles=[Angle(label, [r[0] for r in rows])],
                             first_seen=_time(first), last_seen=_time(last),
                             sources=len(outlets) + sum(1 for r in heads if not r[2]),
                             origins=len(heads), item_ids=[r[1] for r in rows]))
        return sorted(out, key=lambda s: (-len(s.items), s.items[0] if s.items else 0))

    def story_items(self, story_id: str) -> list[Item]:
        """The items of one story (duplicates included, by store number); a NewsdeskError
        (exit 2) naming the id when the store has no such story."""
        items = self.items(story_id) if story_id else []
        if not items:
            raise NewsdeskError(f"no story {story_id!r} in {self.path} (see `newsdesk stories --db {self.path}`)", code=2)
        return items

    def brief(self, story_id: str, since: str | datetime | None = None, options: Options | None = None):
        """Brief one stored story: item numbers are the store's numbers, and each ledger entry
        carries the item's stable id. Each brief made is recorded (time, item ids, claim keys,
        figures), so that a later call can say what changed.

        Without `since`, returns the :class:`~newsdesk.model.Brief`. With `since="last"` (the
        last recorded brief of the story) or a date (items published, or else added to the
        store, at or after it are new), returns a :class:`BriefUpdate`: new items, new claims,
        changed figures, and the updated brief."""
        from .pipeline import brief as make_brief

        since = parse_since(since) if since is not None else None
        items = self.story_items(story_id)
        result = make_brief(items, options or self.options)
        made = datetime.now(timezone.utc)
        previous = self.db.execute("SELECT made, items, claims, figures FROM briefs WHERE story = ? ORDER BY k DESC LIMIT 1",
                                   (story_id,)).fetchone()
        self.db.execute("INSERT INTO briefs (story, made, items, claims, figures) VALUES (?,?,?,?,?)",
                        (story_id, made.isoformat(), json.dumps(sorted(it.id for it in items)),
                         json.dumps(sorted({claim_key(c) for c in result.claims})), json.dumps(_figures(result.figures))))
        if since is None:
            return result
        by_n = {it.n: it for it in items}
        if since == "last":
            baseline = previous[0] if previous else None
            old_ids = set(json.loads(previous[1])) if previous else set()
            old_claims = set(json.loads(previous[2])) if previous else set()
            old_figures = json.loads(previous[3]) if previous else {}
            new = [it for it in items if it.id not in old_ids]
        else:
            baseline = None
            added = dict(self.db.execute("SELECT n, added FROM items WHERE story = ?", (story_id,)).fetchall())
            new = [it for it in items if (_aware(it.published) or _time(added[it.n])) >= since]
            fresh = {it.n for it in new}
            old_claims = {claim_key(c) for c in result.claims if c.item not in fresh}
            old_figures = _figures(q for q in result.figures if q.item not in fresh)
        new_claims = [c for c in result.claims if claim_key(c) not in old_claims]
        now_figures = _figures(result.figures)
        changed = []
        for key, texts in now_figures.items():
            if old_figures.get(key) == texts or set(texts) <= set(old_figures.get(key, [])):
                continue
            before = old_figures.get(key, [])
            sample = next(q for q in result.figures if figure_key(q) == key)
            changed.append(FigureChange(measure=sample.measure, unit=sample.unit, actor=sample.actor,
                                        before=before, after=[t for t in texts if t not in before],
                                        items=sorted({q.item for q in result.figures
                                                      if figure_key(q) == key and q.text not in before})))
        return BriefUpdate(story=story_id, since="last" if since == "last" else since.isoformat(), baseline=baseline,
                           new_items=sorted(it.n for it in new), new_item_ids=[by_n[n].id for n in sorted(it.n for it in new)],
                           new_claims=new_claims, changed_figures=changed, brief=result)

    def items(self, story: str | None = None) -> list[Item]:
        sql = "SELECT n, id, text, title, url, source, published, origin FROM items"
        rows = self.db.execute(sql + (" WHERE story = ? ORDER BY n" if story else " ORDER BY n"),
                               (story,) if story else ()).fetchall()
        return [Item(n=r[0], id=r[1], text=r[2], title=r[3], url=r[4], source=r[5],
                     published=_time(r[6]), origin=r[7] or "") for r in rows]


@dataclass(frozen=True)
class FigureChange:
    """A figure whose value changed (or that is new) since the baseline: same speaker (actor),
    measure and unit, different figures as written."""

    measure: str
    unit: str | None
    actor: str | None
    before: list[str]
    after: list[str]
    items: list[int]  # store numbers of the items stating the new figures


@dataclass(frozen=True)
class BriefUpdate:
    """What changed in a story since the last brief of it (or since a date), and the updated brief."""

    story: str
    since: str  # "last" or the date given (ISO)
    baseline: str | None  # when the brief compared with was made (None: a date, or no earlier brief)
    new_items: list[int]  # store numbers
    new_item_ids: list[str]
    new_claims: list[Claim]
    changed_figures: list[FigureChange]
    brief: Brief = field(repr=False)


def claim_key(c: Claim) -> str:
    """A claim, independent of where it sits: who (normalised) and what (normalised text)."""
    return f"{c.actor or c.speaker}|{dedup.normalise(c.content)}"


def figure_key(q: Quantity) -> str:
    return f"{q.actor or ''}|{dedup.normalise(q.measure or '')}|{q.unit or ''}"


def _figures(figures: Iterable[Quantity]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for q in figures:
        out.setdefault(figure_key(q), set()).add(q.text)
    return {k: sorted(v) for k, v in sorted(out.items())}


def parse_since(since: str | datetime) -> str | datetime:
    """"last", or a date/time (a naive one is UTC); a NewsdeskError (exit 2) otherwise."""
    if isinstance(since, datetime):
        return _aware(since)
    if since == "last":
        return since
    try:
        return _aware(datetime.fromisoformat(since))
    except (TypeError, ValueError):
        raise NewsdeskError(f"--since expects 'last' or a date such as 2016-06-01, got {since!r}", code=2) from None


_BANDS, _ROWS = 16, 8
"""LSH banding of the 128-permutation signatures: 16 bands of 8 rows (what datasketch picks for
a threshold of 0.65, below the 0.8 Jaccard decision so that banding misses few real copies)."""


_PREFIX_MIN, _TAIL_MAX = 4, 12
"""Prefix copies: a text of at least 4 words that another is with at most 12 words added."""


def _norm(text: str) -> str:
    return hashlib.sha1(dedup.normalise(text).encode("utf-8")).hexdigest()


def _norm_words(words: list[str]) -> str:
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def _key(text: str) -> int:
    return int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "big")


def _signature(text: str) -> np.ndarray | None:
    """MinHash signature (uint32 x 128; datasketch's values are below 2**32) of the shingles."""
    own = dedup.shingles(text)
    if not own:
        return None
    return dedup._minhash(own, Options().seed).hashvalues.astype(np.uint32)


def _assess(item: Item, options: Options) -> Item:
    """clean.assess, except that an outlet footer ("Follow us on Twitter", "Copyright 2016 ...")
    after the news does not make the item junk: when the text before the first boilerplate cue
    in its second half is news on its own, the item is news (a copy of it syndicated with a
    footer must not be dropped while the original is kept)."""
    it = clean.assess(item, options)
    if not (it.junk_reason or "").startswith("boilerplate"):
        return it
    text = item.text
    starts = [m.start() for cue in clean._cues() for m in cue.pattern.finditer(text, len(text) // 2)]
    if not starts:
        return it
    head = text[:min(starts)].rstrip(" -–—(|")
    if clean.junk_reason(head, options.min_item_words) is None:
        return replace(it, junk_reason=None)
    return it


def _aware(when: datetime | None) -> datetime | None:
    if when is not None and when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when
