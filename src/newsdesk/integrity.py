"""What `newsdesk check` verifies in a store: SQLite's own integrity, then newsdesk's promises.

Every item is in exactly one state (used, merged into a stored item, or dropped with a reason);
every live item is in one story that exists and counts it; a story merged into another leads to
a live story; the search index holds exactly the live items; the near-copy key tables
(newsdesk.store_index) hold the keys of every original. `problems(db)` lists what does not
hold, one line each, and is empty for a sound store.
"""

from __future__ import annotations

import sqlite3

from . import store_index

LIMIT = 20  # lines shown per kind of problem


def problems(db: sqlite3.Connection) -> list[str]:
    found = [f"SQLite integrity: {row[0]}" for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"]
    if found:  # the rest reads through the damage: its answers would not mean much
        return found
    for check in (_states, _stories, _merged_stories, _search, store_index.problems):
        found += check(db)
    return found


def _some(rows, say) -> list[str]:
    lines = [say(*row) for row in rows[:LIMIT]]
    if len(rows) > LIMIT:
        lines.append(f"... and {len(rows) - LIMIT} more")
    return lines


def _states(db: sqlite3.Connection) -> list[str]:
    out = _some(db.execute("SELECT n, status FROM items WHERE status NOT IN ('used', 'merged', 'dropped')").fetchall(),
                lambda n, s: f"item {n}: unknown state {s!r}")
    out += _some(db.execute("SELECT n FROM items WHERE status = 'dropped' AND (reason IS NULL OR reason = '')").fetchall(),
                 lambda n: f"item {n}: dropped without a reason")
    out += _some(db.execute("SELECT i.n, i.duplicate_of FROM items i LEFT JOIN items o ON o.id = i.duplicate_of "
                            "WHERE i.status = 'merged' AND o.id IS NULL").fetchall(),
                 lambda n, d: f"item {n}: merged into {d!r}, which is not stored")
    return out


def _stories(db: sqlite3.Connection) -> list[str]:
    out = _some(db.execute("SELECT n, story FROM items WHERE status != 'dropped' AND "
                           "(story IS NULL OR story NOT IN (SELECT id FROM stories))").fetchall(),
                lambda n, s: f"item {n}: live but in no story" + (f" (story {s!r} does not exist)" if s else ""))
    out += _some(db.execute("SELECT n, story FROM items WHERE status = 'dropped' AND story IS NOT NULL").fetchall(),
                 lambda n, s: f"item {n}: dropped but in story {s!r}")
    counted = dict(db.execute("SELECT id, size FROM stories"))
    used = dict(db.execute("SELECT story, count(*) FROM items WHERE status = 'used' GROUP BY story"))
    wrong = sorted((sid, size, used.get(sid, 0)) for sid, size in counted.items() if size != used.get(sid, 0))
    return out + _some(wrong, lambda sid, size, n: f"story {sid}: counts {size} items, holds {n}")


def _merged_stories(db: sqlite3.Connection) -> list[str]:
    merged = dict(db.execute("SELECT id, successor FROM merged_stories"))
    live = {r[0] for r in db.execute("SELECT id FROM stories")}
    out = [f"story {sid}: both live and merged into {merged[sid]}" for sid in sorted(set(merged) & live)]
    for sid in sorted(merged):
        seen, at = {sid}, merged[sid]
        while at in merged and at not in seen:
            seen.add(at)
            at = merged[at]
        if at not in live:
            out.append(f"merged story {sid}: its chain ends at {at!r}, which is not a story")
    return out[:LIMIT]


def _search(db: sqlite3.Connection) -> list[str]:
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_items'").fetchone():
        return ["search index missing (it is rebuilt by the next `newsdesk ingest` or `newsdesk serve`)"]
    indexed = {r[0] for r in db.execute("SELECT rowid FROM search_items")}
    live = {r[0] for r in db.execute("SELECT n FROM items WHERE status != 'dropped' AND story IS NOT NULL")}
    out = _some(sorted(live - indexed), lambda n: f"item {n}: not in the search index")
    return out + _some(sorted(indexed - live), lambda n: f"search index: item {n} is not a live item")
