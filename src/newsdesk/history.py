"""What a store knows of time: when each item arrived, which stories changed since a time, the
runs of `newsdesk changes`, and how each story's figures moved. Functions over the store's
connection (as newsdesk.search is); :class:`newsdesk.store.Store` offers them as methods
(`changes`, `arrivals`, `changed_since`, `story_outlets`).

An item's arrival is the time of the ingest that added it (the `added` column, UTC); a story
changed since T when an item of it arrived after T. What the new items add (claims, figures,
disputes) comes from one brief of the story's items now (newsdesk.changes.story_change), so
the answer does not depend on which briefs were made before."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone

from .changes import aware, parse_since, story_change
from .errors import NewsdeskError, NoNewsError
from .model import Item, StoreChanges, StoryChange
from .options import Options

SCHEMA = """
CREATE TABLE IF NOT EXISTS change_runs (k INTEGER PRIMARY KEY AUTOINCREMENT, made TEXT NOT NULL, since TEXT);
CREATE INDEX IF NOT EXISTS items_added ON items(added);
"""
"""Runs of `newsdesk changes` (its `--since last` is the previous run); items by arrival."""


def last_run(db: sqlite3.Connection) -> datetime | None:
    """When `newsdesk changes` last ran on this store (None: never)."""
    row = db.execute("SELECT made FROM change_runs ORDER BY k DESC LIMIT 1").fetchone()
    return datetime.fromisoformat(row[0]) if row else None


def record_run(db: sqlite3.Connection, made: datetime, since: datetime | None) -> None:
    db.execute("INSERT INTO change_runs (made, since) VALUES (?, ?)", (_iso(made), _iso(since) if since else None))


def changed_since(db: sqlite3.Connection, since: datetime | None, limit: int | None = None) -> list[tuple[str, datetime, int]]:
    """(story id, when its newest item arrived, how many arrived) for every story with an item
    that arrived after `since` (every story, for None), the latest arrival first."""
    rows = db.execute("SELECT story, max(added), count(*) FROM items WHERE story IS NOT NULL AND added > ? "
                      "GROUP BY story ORDER BY max(added) DESC, story" + (" LIMIT ?" if limit else ""),
                      (_iso(since) if since else "", *((limit,) if limit else ()))).fetchall()
    return [(sid, datetime.fromisoformat(added), count) for sid, added, count in rows]


def arrivals(db: sqlite3.Connection, story: str) -> dict[int, datetime]:
    """Item number -> when it arrived in the store, for the items of one story."""
    return {n: datetime.fromisoformat(added) for n, added in db.execute("SELECT n, added FROM items WHERE story = ?", (story,))}


def merged_since(db: sqlite3.Connection, since: datetime | None) -> list[tuple[str, str]]:
    """(old id, successor) of the stories merged into another after `since`."""
    return [(a, b) for a, b in db.execute("SELECT id, successor FROM merged_stories WHERE merged > ? ORDER BY merged, id",
                                          (_iso(since) if since else "",))]


def story_outlets(db: sqlite3.Connection, story: str | None = None) -> dict[str, tuple[int, int]]:
    """Story id -> (how many outlets its items name, how many independent origins name none):
    counts that say what is unknown instead of counting an unnamed outlet as one. Of every
    story, or of `story` only."""
    return {sid: (named, unnamed) for sid, named, unnamed in db.execute(
        "SELECT story, count(DISTINCT source), sum(source IS NULL AND duplicate_of IS NULL) FROM items "
        + ("WHERE story = ? " if story else "WHERE story IS NOT NULL ") + "GROUP BY story", (story,) if story else ())}


def new_counts(db: sqlite3.Connection, since: dict[str, datetime]) -> dict[str, int]:
    """Story id -> how many of its items arrived after the time given for it (followed stories
    and the last visit of each)."""
    out = {}
    for sid, when in since.items():
        out[sid] = db.execute("SELECT count(*) FROM items WHERE story = ? AND added > ?", (sid, _iso(when))).fetchone()[0]
    return out


def changes(store, since: str | datetime = "last", story: str | None = None, options: Options | None = None,
            record: bool = True, progress: Callable | None = None) -> StoreChanges:
    """What changed across the store since `since`: "last" (the previous run of this function
    with `record`, i.e. of `newsdesk changes`; everything when there was none) or a date. Each
    changed story (only `story`, when given) is briefed once to say what its new items add.
    With `record`, this run is remembered as the next "last". `progress(done, total)` is
    called after each story."""
    from .pipeline import brief as make_brief

    wanted = parse_since(since)
    db = store.db
    now = datetime.now(timezone.utc)
    baseline = last_run(db) if wanted == "last" else wanted
    found = changed_since(db, baseline)
    if story is not None:
        current = store.current_id(story)
        if store.story(current) is None:
            raise NewsdeskError(f"no story {story!r} in {store.path} (see `newsdesk stories --db {store.path}`)", code=2)
        found = [row for row in found if row[0] == current]
    out: list[StoryChange] = []
    for done, (sid, _, _) in enumerate(found, start=1):
        change = _story_change(store, sid, baseline, options or store.options, make_brief)
        if change is not None:
            out.append(change)
        if progress is not None:
            progress(done, len(found))
    if record:
        db.execute("BEGIN IMMEDIATE")
        try:
            record_run(db, now, baseline)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return StoreChanges(since="last" if wanted == "last" else _iso(wanted), baseline=_iso(baseline) if baseline else None,
                        made=_iso(now), stories=out, merged=merged_since(db, baseline))


def _story_change(store, sid: str, since: datetime | None, options: Options, make_brief) -> StoryChange | None:
    story = store.story(sid)
    if story is None:  # gone since it was listed (a regroup)
        return None
    items: list[Item] = store.items(sid)
    try:
        result = make_brief(items, options)
    except NoNewsError:
        result = None
    return story_change(story, items, result, arrivals(store.db, sid), since)


def _iso(when: datetime) -> str:
    return aware(when).astimezone(timezone.utc).isoformat()
