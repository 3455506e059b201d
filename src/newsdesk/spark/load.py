"""`newsdesk spark load DIR --db FILE`: the tables of a Spark run in a new store.

The store gets what an ingest would have written for the same stories: every item with its
status, reason, story, exact-copy key and (kept items) vector; every story with its size, the
sum of its vectors, its word weights and document frequencies (what a later `newsdesk ingest`
into the same store continues from: new items join these stories); and the search index.
`newsdesk serve --db FILE` browses it; `newsdesk brief --story ID --db FILE` briefs a story
with the run's item numbers. The MinHash signatures of the originals are made by the store
itself on its next ingest. Tables are read in record batches, never whole."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

import numpy as np

from ..errors import NewsdeskError
from ..options import Options

BATCH = 4096


def load(folder: str, db: str, options: Options | None = None) -> dict[str, int]:
    """Load the items and stories under `folder` into a new store at `db`; the counts loaded."""
    from ..cluster import VECTOR_CHARS, StoryTracker, cluster_text
    from ..model import Item
    from ..store import Store

    options = options or Options()
    items, stories = _table(folder, "items"), _table(folder, "stories")
    with Store(db, options) as store:
        if store.db.execute("SELECT 1 FROM items LIMIT 1").fetchone():
            raise NewsdeskError(f"{db} already holds items: load into a new store (--db FILE)", code=2)
        tracker = StoryTracker(options)
        sizes: Counter = Counter()
        sums: dict[str, np.ndarray] = {}
        embedders, languages = set(), set()  # of the kept items: the model of their vectors
        repeats = 0  # records whose id another one has
        added = datetime.now(timezone.utc).isoformat()
        store.db.execute("BEGIN IMMEDIATE")
        try:
            for rows, skipped in _records(items):
                repeats += skipped
                store.db.executemany(_INSERT_ITEM, [_item_row(r, added) for r in rows])
                for r in rows:
                    if r["status"] == "used":
                        embedders.add(r.get("embedder"))
                        languages.add(r["language"])
                    if r["status"] == "used" and r["story"]:
                        words = set(tracker.tf(cluster_text(_as_item(r, Item))))  # the words of its text
                        tracker.df.update(words)
                        tracker.docs += 1
                        sizes[r["story"]] += 1
                        vector = np.asarray(r["vector"], dtype=np.float32)
                        sums[r["story"]] = sums[r["story"]] + vector if r["story"] in sums else vector.copy()
            weights: dict[str, Counter] = defaultdict(Counter)
            for rows, _ in _records(items, ["id", "duplicate_of", "story", "status", "text", "title"]):
                for r in rows:
                    if r["status"] == "used" and r["story"]:
                        weights[r["story"]].update(tracker.tf(cluster_text(_as_item(r, Item))))
            latest = None
            story_rows = []
            for rows in _batches(stories):
                for s in rows:
                    latest = max(filter(None, [latest, s["last_seen"]]), default=None)
                    story_rows.append(s)
            quiet = timedelta(days=options.story_quiet_days)
            store.db.executemany(
                "INSERT INTO stories (id, label, size, sum, words, first_seen, last_seen, open) VALUES (?,?,?,?,?,?,?,?)",
                [(s["id"], s["label"], sizes[s["id"]], sums.get(s["id"], np.zeros(1, np.float32)).tobytes(),
                  json.dumps(weights[s["id"]], sort_keys=True), _iso(s["first_seen"]), _iso(s["last_seen"]),
                  int(s["last_seen"] is None or latest is None or latest - s["last_seen"] <= quiet))
                 for s in story_rows])
            store.db.executemany("INSERT INTO df (word, count) VALUES (?, ?)", sorted(tracker.df.items()))
            store.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('regroup', '0')")
            if languages:  # a later ingest embeds with the run's model (Store._choose_embedder)
                store.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('embedder', ?)",
                                 (_run_embedder(embedders, languages, options),))
            # the run's vectors read heads of VECTOR_CHARS (spark.vectors.embed), as a new store's do
            store.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('vector_chars', ?)", (str(VECTOR_CHARS),))
            store.db.execute("COMMIT")
        except BaseException:
            store.db.execute("ROLLBACK")
            raise
        store.index_search()
        count = store.db.execute("SELECT count(*) FROM items").fetchone()[0]
    return {"items": count, "stories": len(story_rows), "seen": repeats}


_INSERT_ITEM = ("INSERT INTO items (n, id, text, title, url, source, published, origin, seen_at, status, reason, "
                "duplicate_of, norm, story, vector, added, language, truncated, note, english) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")


def _item_row(r: dict, added: str) -> tuple:
    from ..store import _norm  # the store's exact-copy key (a later ingest finds copies by it)

    vector, english = (np.asarray(r[name], dtype=np.float32).tobytes() if r["status"] == "used" and r.get(name) else None
                       for name in ("vector", "english"))
    published = _iso(r["published"])
    return (r["n"], r["id"], r["text"], r["title"], r["url"], r["source"], published, r["origin"], published,
            r["status"], r["reason"], r["duplicate_of"], _norm(r["text"]),
            r["story"], vector, added, r["language"], int(bool(r["truncated"])), r["note"], english)


def _as_item(r: dict, item_type):
    return item_type(n=0, id="-", text=r["text"] or "", title=r["title"])


def _run_embedder(embedders: set, languages: set, options: Options) -> str:
    """The model of a run's vectors: recorded in its items, or (a run written before it was
    recorded) the one its kept items' languages called for, as that run chose it."""
    from ..embed import pile_embedder

    recorded = embedders - {None}
    return recorded.pop() if recorded else pile_embedder(languages, options)


def _iso(when: datetime | None) -> str | None:
    if when is None:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()


def _table(folder: str, name: str):
    import pyarrow.dataset as ds

    path = f"{folder.rstrip('/')}/{name}"
    try:
        return ds.dataset(path, format="parquet")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise NewsdeskError(f"cannot read the {name} table in {folder} ({exc}): give the --output folder of "
                            "a spark run", code=2) from None


def _records(dataset, columns: list[str] | None = None):
    """The rows of a run's items table in batches, each id once, as a store keeps a record
    (`ingest` counts one it holds as seen): a copy whose original has its own id (the same text
    read twice) is that original; of other rows with one id, the first. Yields (the rows kept,
    how many of the batch's rows were left out)."""
    ids: set[str] = set()
    for rows in _batches(dataset, columns):
        kept = []
        for r in rows:
            if r["duplicate_of"] != r["id"] and r["id"] not in ids:
                ids.add(r["id"])
                kept.append(r)
        yield kept, len(rows) - len(kept)


def _batches(dataset, columns: list[str] | None = None):
    for batch in dataset.to_batches(columns=columns, batch_size=BATCH):
        yield batch.to_pylist()
