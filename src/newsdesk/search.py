"""Full-text search over a store with SQLite FTS5: items and claims, with highlighted matches.
The functions take the store's connection; :class:`newsdesk.store.Store` offers them as
methods (`search`, `index_claims`, `stale_claim_stories`, `stories_matching`).

The FTS tables live in the store's file (`search_items`, `search_claims`). Items are indexed by
store number in the same transaction that adds them (`index_items`, called by the store's
ingest; a store written before catches up on its next ingest or `Store.index_search`); claims
per story whenever its items have changed (`stale_stories`; a brief made for a story by the web
app indexes its claims too). An item's story is read from the store's items table, never from
the index: the store regroups its open stories, so items move between stories and stories go.
Highlights come back as escaped HTML in which only <mark> is markup."""

from __future__ import annotations

import re
import sqlite3

from markupsafe import Markup, escape

SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS search_items USING fts5(
  title, text, item_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS search_claims USING fts5(
  speaker, content, actor UNINDEXED, cue UNINDEXED, n UNINDEXED, item_id UNINDEXED, story UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS search_claims_indexed (story TEXT PRIMARY KEY, members TEXT NOT NULL);
DROP TABLE IF EXISTS web_items_fts;
DROP TABLE IF EXISTS web_claims_fts;
DROP TABLE IF EXISTS web_claims_indexed;
"""
"""The search tables (created with the store's schema); the web_* tables of earlier versions go."""
_OPEN, _CLOSE = "\x02", "\x03"


def index_items(db: sqlite3.Connection) -> int:
    """Index the items (not dropped) stored since the last call, inside the caller's
    transaction; how many were added."""
    last = db.execute("SELECT coalesce(max(rowid), 0) FROM search_items").fetchone()[0]
    cur = db.execute("INSERT INTO search_items (rowid, title, text, item_id) "
                     "SELECT n, coalesce(title, ''), text, id FROM items "
                     "WHERE n > ? AND status != 'dropped' AND story IS NOT NULL", (last,))
    return cur.rowcount


def _members(numbers) -> str:
    """A story's items in a few numbers (count, sum, sum of squares of their store numbers):
    any change of its items changes them."""
    numbers = list(numbers)
    return f"{len(numbers)}:{sum(numbers)}:{sum(n * n for n in numbers)}"


def stale_stories(db: sqlite3.Connection) -> list[str]:
    """Stories whose claims are not indexed for their current items."""
    current = {sid: f"{count}:{total}:{squares}" for sid, count, total, squares in db.execute(
        "SELECT story, count(*), sum(n), sum(n * n) FROM items WHERE story IS NOT NULL GROUP BY story")}
    done = dict(db.execute("SELECT story, members FROM search_claims_indexed"))
    return [sid for (sid,) in db.execute("SELECT id FROM stories ORDER BY k")
            if sid in current and done.get(sid) != current[sid]]


def index_claims(db: sqlite3.Connection, story: str, claims, items) -> None:
    """Replace the indexed claims of one story (`claims` from a brief or newsdesk.claims of
    `items`), inside the caller's transaction."""
    ids = {it.n: it.id for it in items}
    db.execute("DELETE FROM search_claims WHERE story = ? OR story NOT IN (SELECT id FROM stories)", (story,))
    db.executemany("INSERT INTO search_claims (speaker, content, actor, cue, n, item_id, story) VALUES (?,?,?,?,?,?,?)",
                   [(c.speaker, c.content, c.actor, c.cue, c.item, ids.get(c.item), story) for c in claims])
    db.execute("INSERT INTO search_claims_indexed (story, members) VALUES (?, ?) "
               "ON CONFLICT(story) DO UPDATE SET members = excluded.members", (story, _members(it.n for it in items)))


def fts_query(text: str) -> str | None:
    """A user's words as a safe FTS5 query: every word must match (the last one as a prefix)."""
    words = re.findall(r"\w+", text or "")[:20]
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def marked(text: str | None) -> Markup:
    """Escape everything, then turn the FTS markers into <mark> (the only markup let through)."""
    safe = str(escape(text or ""))
    return Markup(safe.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


def search(db: sqlite3.Connection, text: str, limit: int = 50) -> dict:
    query = fts_query(text)
    if query is None:
        return {"query": text, "items": [], "claims": []}
    items = db.execute(
        "SELECT f.rowid, f.item_id, i.story, highlight(search_items, 0, char(2), char(3)), "
        "snippet(search_items, 1, char(2), char(3), '…', 48), i.source, i.published, s.label "
        "FROM search_items f JOIN items i ON i.n = f.rowid LEFT JOIN stories s ON s.id = i.story "
        "WHERE search_items MATCH ? ORDER BY rank LIMIT ?", (query, limit)).fetchall()
    claims = db.execute(
        "SELECT f.n, f.item_id, coalesce(i.story, f.story), highlight(search_claims, 0, char(2), char(3)), "
        "highlight(search_claims, 1, char(2), char(3)), f.actor, f.cue, s.label "
        "FROM search_claims f LEFT JOIN items i ON i.id = f.item_id "
        "LEFT JOIN stories s ON s.id = coalesce(i.story, f.story) "
        "WHERE search_claims MATCH ? ORDER BY rank LIMIT ?", (query, limit)).fetchall()
    return {
        "query": text,
        "items": [{"n": r[0], "id": r[1], "story": r[2], "title": r[3], "text": r[4], "source": r[5],
                   "published": r[6], "story_label": r[7]} for r in items],
        "claims": [{"item": r[0], "item_id": r[1], "story": r[2], "speaker": r[3], "content": r[4], "actor": r[5],
                    "cue": r[6], "story_label": r[7]} for r in claims],
    }


def plain(text: str | None) -> str:
    """A highlighted field without its markers (for the JSON API)."""
    return (text or "").replace(_OPEN, "").replace(_CLOSE, "")


def story_matches(db: sqlite3.Connection, text: str) -> set[str]:
    """Stories with an item matching `text` (the text filter of the stories list)."""
    query = fts_query(text)
    if query is None:
        return set()
    return {r[0] for r in db.execute("SELECT DISTINCT i.story FROM search_items f JOIN items i ON i.n = f.rowid "
                                     "WHERE search_items MATCH ?", (query,))}
