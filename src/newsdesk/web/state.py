"""The web app's state and views: one object per app (no closures), and view methods that build
the data of a page once, so that an HTML page and its JSON twin serve the same thing (as
datasette's views do). Reads open the store per request; writes take `write_lock` first.

What every page needs from the whole store (the stories, their outlets, arrivals and times) is
read once per change of the store (its change counter, `version`) and shared by the requests
(`snapshot`); briefs, claims and ingests run in child processes (web/workers.py), never in the
server process while requests wait."""

from __future__ import annotations

import re
import sqlite3
import sys
import threading
import time
from collections import OrderedDict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from fastapi import HTTPException

from ..changes import aware, story_change
from ..errors import NewsdeskError
from ..model import Brief, Item, StoreChanges, Story, StoryChange
from ..options import Options
from ..render.html import environment
from ..store import Store
from .workers import Workers

HERE = Path(__file__).parent
BRIEF_CACHE = 2048
"""Briefs of stored stories kept in memory, by story version (id and item set): the briefer
briefs at most this many stories on its own, the biggest."""
BRIEF_WAIT = 5.0
"""Seconds a page waits for a brief it asked for when no other story asked for by a request is
ahead of it (the briefer makes it next); then, or at once when others are, it shows the story
with its brief pending (and reloads itself). Under load pages ask for many stories: they do not
wait."""
BRIEF_API_WAIT = 300.0
"""Most seconds the API's brief of a story waits for the briefer when the client asks it to
(`?wait=`; by default it answers at once, 202 with Retry-After), and the feeds (which need
briefs) wait."""
REGROUP_EVERY = 30.0
"""Least seconds between two background regroups of the open stories (an ingest through the
server adds its items to stories at once and leaves the regroup, which takes about a second per
thousand open items, to the regrouper: ingests arriving every second share one)."""
CLAIMS_EVERY = 5.0  # least seconds between two writes of the claims index
PAGE_CACHE = 1024  # rendered pages kept (web/pages.py), by store version and address
RENDER_WAIT = 10.0  # most seconds a request waits for the same page rendered by another
FRESH_WAIT = 0.25
"""Seconds a request for a page kept with its previous version (the story list) waits for the
page of the store's current version, rendered in the background, before it gets the previous
one with a note that says it is being updated (WebState.cached_page)."""
STALE_FOR = 60.0
"""Most seconds old a previous page may be to be shown while its new version renders: an older
one (a server idle for a while) is not shown; the request waits for the new page."""
UPDATING = "<!--newsdesk:updating-->", "<!--newsdesk:updating-head-->"
"""Where a page shown while its new version renders says so (its main part and its head)."""
SUMMARY_CACHE = 20_000  # one-line summaries of stories (home page rows), by story version
BRIEF_STOP_WAIT = 120.0
"""Seconds a server that stops waits for the briefer thread to end (its child process is stopped at once)."""
BRIEF_POLL = 5.0
"""Seconds between the idle briefer's looks for changed stories."""
PAGE_SIZE = 25  # stories per page of the home page
CHANGES_PAGE = 10  # changed stories per page of "What's new" (each needs a brief)
SORTS = {"size": "most items", "recent": "latest item", "arrived": "latest arrival", "first": "first seen",
         "outlets": "most outlets"}


@dataclass
class StoryView:
    """One stored story as its page shows it."""

    story: Story
    items: list[Item]
    brief: Brief | None  # None when no item has a complete sentence, or while pending
    pending: bool = False  # its brief is still being made (by the briefer)


@dataclass
class StoryRow:
    """A story as the home page lists it: what it is at a glance."""

    story: Story
    summary: str  # a line of its central item (or its brief's headline, once briefed)
    outlets: int  # outlets its items name
    unnamed: int  # independent origins that name no outlet
    arrived: datetime | None  # when its latest item arrived in the store
    new: int = 0  # items arrived since the visitor last opened it (followed stories)


@dataclass
class Snapshot:
    """What the pages need from the whole store, read at one version of it (WebState.snapshot)."""

    version: int
    stories: list[Story]  # biggest first
    times: dict[str, list[datetime]]  # story id -> its dated items' times
    outlets: dict[str, tuple[int, int]]  # story id -> (outlets named, unnamed origins)
    arrived: dict[str, datetime]  # story id -> its latest arrival


@dataclass
class Rendered:
    """A rendered page, as the latest of its address (WebState.cached_page)."""

    html: str
    made: float  # when its rendering began (time.time())
    version: int  # the store's version then
    last: int  # the store number of the latest item before its data was read


@dataclass
class WebState:
    db: str
    options: Options
    token: str | None
    max_upload: int
    hosts: set[str]  # the Host names this server answers to (web.security)
    env: object = field(default_factory=lambda: _environment())
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    worker: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="newsdesk-job"))
    jobs: OrderedDict = field(default_factory=OrderedDict)
    _briefs: OrderedDict = field(default_factory=OrderedDict)
    _offered: dict = field(default_factory=dict)  # story id -> (claims, items) for the indexer
    _offer_lock: threading.Lock = field(default_factory=threading.Lock)
    _wake: threading.Event = field(default_factory=threading.Event)
    brief_wait: float = BRIEF_WAIT
    _cache_lock: threading.Lock = field(default_factory=threading.Lock)  # the briefs and what waits for them
    _headlines: dict = field(default_factory=dict)  # story id -> its last brief's headline
    _waiting: dict = field(default_factory=dict)  # story version -> Event set when its brief is made
    _asked: deque = field(default_factory=deque)  # story ids to brief first
    _brief_wake: threading.Event = field(default_factory=threading.Event)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _briefer: threading.Thread | None = None
    _regroup_wake: threading.Event = field(default_factory=threading.Event)
    workers: Workers = field(default_factory=Workers)
    _watch: sqlite3.Connection | None = None
    _watch_lock: threading.Lock = field(default_factory=threading.Lock)
    _snapshot: Snapshot | None = None
    _snapshot_lock: threading.Lock = field(default_factory=threading.Lock)
    _summaries: OrderedDict = field(default_factory=OrderedDict)
    _pages: OrderedDict = field(default_factory=OrderedDict)
    _rendering: dict = field(default_factory=dict)  # page key -> Event set when rendered
    _latest: OrderedDict = field(default_factory=OrderedDict)  # page slot -> its latest Rendered page

    def store(self) -> Store:
        return Store(self.db, self.options)

    # ------------------------------------------------------------ the store's version

    def version(self) -> int:
        """The store's change counter: SQLite's data_version of one connection kept open, which
        moves whenever another connection (of any process) commits. Costs one pragma."""
        with self._watch_lock:
            if self._watch is None:
                uri = f"{Path(self.db).resolve().as_uri()}?mode=ro"
                self._watch = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
            return self._watch.execute("PRAGMA data_version").fetchone()[0]

    def snapshot(self) -> Snapshot:
        """The whole-store data of the pages, read again only when the store changed (one
        request reads it; those arriving meanwhile wait for it instead of reading it too)."""
        snap = self._snapshot
        if snap is not None and snap.version == self.version():
            return snap
        with self._snapshot_lock:
            version = self.version()  # before reading: a change landing meanwhile reads again next time
            snap = self._snapshot
            if snap is not None and snap.version == version:
                return snap
            with self.store() as s:
                s.db.execute("BEGIN")  # one consistent read (WAL: never blocked by a writer)
                try:
                    snap = Snapshot(version, s.stories(), s.story_times(), s.story_outlets(),
                                    {sid: when for sid, when, _ in s.changed_since(None)})
                finally:
                    s.db.execute("COMMIT")
            self._snapshot = snap
            return snap

    def cached_page(self, key: tuple, render, slot: tuple | None = None) -> str:
        """A rendered page kept by `key` (which holds the store's version, read before the page's
        data): `render()` runs once per key, then the HTML is served again; requests for a key
        being rendered wait for it. With `slot` (the page's address, whatever the version), a
        page whose previous version was rendered less than STALE_FOR seconds ago is rendered in
        the background instead: the requests wait up to FRESH_WAIT seconds for it, then get the
        previous version with a note saying it is being updated and how many items arrived
        since (never shown as if it were current)."""
        with self._cache_lock:
            html = self._pages.get(key)
            if html is not None:
                self._pages.move_to_end(key)
                return html
            mine = key not in self._rendering  # this request renders it; those asking meanwhile wait for it
            rendering: threading.Event = self._rendering.setdefault(key, threading.Event())
            previous = self._latest.get(slot) if slot is not None else None
        if previous is not None and time.time() - previous.made > STALE_FOR:
            previous = None
        if previous is None:
            if mine:
                return self._render(key, render, slot)
            rendering.wait(RENDER_WAIT)
        else:
            if mine:
                threading.Thread(target=self._render, args=(key, render, slot, True), daemon=True,
                                 name="newsdesk-render").start()
            rendering.wait(FRESH_WAIT)
        with self._cache_lock:
            html = self._pages.get(key)
        if html is not None:
            return html
        return self._updating(previous) if previous is not None else render()

    def _render(self, key: tuple, render, slot: tuple | None, background: bool = False) -> str:
        """Render the page of `key`, keep it (and as its slot's latest), and wake those waiting.
        In the `background`, an error is printed (the requests keep the previous page)."""
        try:
            # read before the page's data: what is stored later counts as new
            made, version, last = time.time(), self.version(), self.last_item()
            html = render()
            with self._cache_lock:
                self._pages[key] = html
                while len(self._pages) > PAGE_CACHE:
                    self._pages.popitem(last=False)
                if slot is not None and (slot not in self._latest or self._latest[slot].made <= made):
                    self._latest[slot] = Rendered(html, made, version, last)
                    self._latest.move_to_end(slot)
                    while len(self._latest) > PAGE_CACHE:
                        self._latest.popitem(last=False)
            return html
        except Exception as exc:
            if not background:
                raise
            # the requests keep the previous page (saying so); the next one renders again
            print(f"newsdesk: page render: {type(exc).__name__}: {exc}", file=sys.stderr)
            return ""
        finally:
            with self._cache_lock:
                self._rendering.pop(key).set()

    def last_item(self) -> int:
        """The store number of the latest item (0: none): items stored later have higher ones."""
        self.version()  # opens the connection
        with self._watch_lock:
            assert self._watch is not None
            return self._watch.execute("SELECT coalesce(max(n), 0) FROM items").fetchone()[0]

    def _updating(self, page: Rendered) -> str:
        """A previous version of a page, saying that it is being updated and what it lacks."""
        with self._watch_lock:
            assert self._watch is not None
            new = self._watch.execute("SELECT count(*) FROM items WHERE n > ?", (page.last,)).fetchone()[0]
        made = datetime.fromtimestamp(page.made, timezone.utc).strftime("%H:%M:%S")
        since = f"; {new:,} new item{'s' if new != 1 else ''} arrived since" if new else \
            "; the store has changed since" if self.version() != page.version else ""  # else: only its times
        note = (f'<p class="updating" role="status">Updating: this list was made at {made} UTC{since}. '
                "This page reloads in a few seconds.</p>")
        return page.html.replace(UPDATING[0], note, 1).replace(
            UPDATING[1], '<meta http-equiv="refresh" content="3">', 1)

    # ------------------------------------------------------------ views

    def stories(self, q: str = "", since: str = "", until: str = "",
                lang: str = "") -> tuple[list[Story], dict[str, list[datetime]], int]:
        """(the stories that pass the filters, each story's item times, how many stories in all).
        `lang`: only stories with an item in that language (ISO 639-1)."""
        lo, hi = day(since), day(until, end=True)
        snap = self.snapshot()
        stories, times = snap.stories, snap.times
        matching = None
        if q.strip():
            with self.store() as s:
                matching = s.stories_matching(q)
        kept = []
        for st in stories:
            if matching is not None and st.id not in matching and q.casefold() not in st.label.casefold():
                continue
            first, last = aware(st.first_seen), aware(st.last_seen)
            if (lo and (last is None or last < lo)) or (hi and (first is None or first > hi)):
                continue
            if lang and lang not in st.languages:
                continue
            kept.append(st)
        return kept, times, len(stories)

    def story_items(self, sid: str) -> tuple[Story, list[Item]]:
        """A stored story (under its id now) and its items; 404 when the store has none."""
        with self.store() as s:
            try:
                items = s.story_items(sid)
            except NewsdeskError:
                raise HTTPException(404, f"no story {sid!r} in the store") from None
            story = s.story(sid)
        if story is None:  # gone between the two reads (a regroup)
            raise HTTPException(404, f"no story {sid!r} in the store")
        return story, items

    def story(self, sid: str, wait: float | None = None) -> StoryView:
        """The story with its brief. Briefs are made by one background thread (the briefer) and
        kept by story version (its id and item set): a request never makes one itself. When this
        version's brief is not made yet, it is asked for first and the request waits up to `wait`
        seconds for it (by default `brief_wait` when no other asked story is ahead of it, else
        not at all); then `pending` says it is still being made."""
        story, items = self.story_items(sid)
        if wait is None:
            with self._cache_lock:
                first = not self._asked  # no story asked for by a request is ahead of this one
            wait = self.brief_wait if first else 0.0
        result = self.wait_for_brief(story, items, wait)
        return StoryView(story, items, None if result is False else result, pending=result is False)

    def cached_brief(self, story: Story, items: list[Item]):
        """The cached brief of these items (None: nothing to brief), or False when not made yet."""
        with self._cache_lock:
            return self._briefs.get(_version(story.id, items), False)

    def wait_for_brief(self, story: Story, items: list[Item], wait: float):
        """The brief of this version of the story (None: nothing to brief), asked of the briefer
        first when not made yet; False when it is still not made after `wait` seconds."""
        key = _version(story.id, items)
        with self._cache_lock:
            result = self._briefs.get(key, False)
            if result is not False:
                self._briefs.move_to_end(key)
                return result
            done = self._waiting.setdefault(key, threading.Event())
        self.brief_later(story.id)
        if wait > 0:
            done.wait(wait)
        with self._cache_lock:
            return self._briefs.get(key, False)

    def brief_later(self, sid: str) -> None:
        """Ask the briefer for a story's brief ahead of the stories it briefs on its own."""
        with self._cache_lock:
            if sid not in self._asked:
                self._asked.append(sid)
        self._brief_wake.set()

    def brief_forever(self) -> None:
        """The briefer (a thread): briefs the stories asked for (brief_later), else the stories
        of the store whose current version has no brief, biggest first, so that most pages find
        their brief made. Sleeps when every story's brief is made, until asked or until the
        store has changed (checked every few seconds)."""
        backlog: list[str] = []
        seen_version = None
        while not self._stopping.is_set():
            try:
                with self._cache_lock:
                    sid = self._asked.popleft() if self._asked else None
                if sid is None:
                    version = self._store_version()
                    if not backlog and version != seen_version:
                        backlog, seen_version = self._unbriefed(), version
                    sid = backlog.pop(0) if backlog else None
                if sid is None:
                    self._brief_wake.wait(BRIEF_POLL)
                    self._brief_wake.clear()
                    continue
                self._brief_one(sid)
            except Exception as exc:  # a bug, or a store gone: never take the server down
                if self._stopping.is_set():
                    return
                print(f"newsdesk: briefer: {type(exc).__name__}: {exc}", file=sys.stderr)
                self._brief_wake.wait(BRIEF_POLL)
                self._brief_wake.clear()

    def start_briefing(self) -> None:
        """Start the briefer thread (brief_forever) and the regrouper (regroup_forever)."""
        self._briefer = threading.Thread(target=self.brief_forever, name="newsdesk-briefer", daemon=True)
        self._briefer.start()
        threading.Thread(target=self.regroup_forever, name="newsdesk-regroup", daemon=True).start()

    def stop_briefing(self, wait: float) -> None:
        """Stop the child processes and the briefer, waiting up to `wait` seconds for its thread
        (the server is stopping)."""
        self._stopping.set()
        self._brief_wake.set()
        self._regroup_wake.set()
        self.workers.close()  # the brief being made is lost: the briefer thread ends at once
        if self._briefer is not None:
            self._briefer.join(wait)

    def _store_version(self) -> int:
        """Changes whenever items arrive or stories are regrouped."""
        return self.snapshot().version

    def _unbriefed(self) -> list[str]:
        """The stories whose current version has no cached brief, biggest first (at most the
        cache's size: the briefs of more would push each other out)."""
        stories, _, _ = self.stories()
        stories.sort(key=lambda st: (-len(st.items), st.id))
        with self._cache_lock:
            return [st.id for st in stories[:BRIEF_CACHE] if (st.id, tuple(st.items)) not in self._briefs]

    def _brief_one(self, sid: str) -> None:
        try:
            story, items = self.story_items(sid)
        except HTTPException:  # gone meanwhile (a regroup)
            return
        key = _version(story.id, items)
        with self._cache_lock:
            if key in self._briefs:
                self._release(key)
                return
        result = self.workers.brief(items, self.options)  # None: nothing to brief
        with self._cache_lock:
            self._briefs[key] = result
            while len(self._briefs) > BRIEF_CACHE:
                self._briefs.popitem(last=False)
            if result is not None and result.headline is not None:
                self._headlines[story.id] = result.headline.text
            self._release(key)
        if result is not None:
            self.offer_claims(story.id, result.claims, items)

    def _release(self, key) -> None:
        """Wake the requests waiting for this brief (under _cache_lock)."""
        done = self._waiting.pop(key, None)
        if done is not None:
            done.set()

    # ------------------------------------------------------------ the home page

    def home(self, q: str = "", since: str = "", until: str = "", sort: str = "size", page: int = 1,
             followed: dict[str, datetime] | None = None, lang: str = "") -> tuple[list[StoryRow], int, int, dict]:
        """(the page's rows, how many stories pass the filters, how many in all, the followed
        stories' rows). Sorted by `sort` (see SORTS), PAGE_SIZE a page."""
        stories, _, total = self.stories(q, since, until, lang)
        snap = self.snapshot()
        outlets, arrived = snap.outlets, snap.arrived
        with self.store() as s:
            keys = {
                "size": lambda st: (-len(st.items), st.items[0] if st.items else 0),
                "recent": lambda st: (-(aware(st.last_seen).timestamp() if st.last_seen else 0), st.id),
                "arrived": lambda st: (-(arrived[st.id].timestamp() if st.id in arrived else 0), st.id),
                "first": lambda st: (aware(st.first_seen).timestamp() if st.first_seen else float("inf"), st.id),
                "outlets": lambda st: (-outlets.get(st.id, (0, 0))[0], -len(st.items), st.id),
            }
            ordered = sorted(stories, key=keys.get(sort, keys["size"]))
            page = min(page, max(1, -(-len(ordered) // PAGE_SIZE)))
            shown = ordered[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
            rows = [self._row(s, st, outlets, arrived) for st in shown]
        return rows, len(stories), total, self.followed_rows(followed or {})

    def followed_rows(self, followed: dict[str, datetime]) -> dict[str, StoryRow]:
        """The visitor's followed stories (by the id they followed), each with how many items
        arrived since their last visit."""
        from ..history import new_counts

        out: dict[str, StoryRow] = {}
        if not followed:
            return out
        snap = self.snapshot()
        outlets, arrived = snap.outlets, snap.arrived
        with self.store() as s:
            counts = new_counts(s.db, {s.current_id(sid): when for sid, when in followed.items()})
            for sid in followed:
                st = s.story(sid)
                if st is not None:
                    out[sid] = replace(self._row(s, st, outlets, arrived), new=counts.get(st.id, 0))
        return out

    def outlet_counts(self, sid: str) -> tuple[int, int]:
        """(outlets a story's items name, its independent origins that name none)."""
        with self.store() as s:
            return s.story_outlets(sid).get(sid, (0, 0))

    def _row(self, s: Store, st: Story, outlets: dict, arrived: dict) -> StoryRow:
        named, unnamed = outlets.get(st.id, (0, 0))
        return StoryRow(st, self._summary(s, st), named, unnamed, arrived.get(st.id))

    def _summary(self, s: Store, st: Story) -> str:
        """A story in one line: its brief's headline when it was briefed; else the first
        sentence of its central item (the one that labels it) when it says more than the label;
        else (headlines only) two other headlines of the story."""
        with self._cache_lock:
            if st.id in self._headlines:
                return self._headlines[st.id]
            key = (st.id, st.label, tuple(st.items))
            if key in self._summaries:
                return self._summaries[key]
        line = self._first_line(s, st)
        with self._cache_lock:
            self._summaries[key] = line
            while len(self._summaries) > SUMMARY_CACHE:
                self._summaries.popitem(last=False)
        return line

    def _first_line(self, s: Store, st: Story) -> str:
        label = st.label.rstrip(" …")
        rows = s.db.execute("SELECT title, text FROM items WHERE story = ? AND duplicate_of IS NULL "
                            "AND status = 'used' ORDER BY n LIMIT 200", (st.id,)).fetchall()
        central = next((r for r in rows if (r[0] or r[1]).strip().startswith(label)), rows[0] if rows else None)
        if central is None:
            return ""
        text = " ".join(central[1].split())
        end = re.search(r"(?<=[.!?])\s", text[40:])
        line = text[: 40 + end.start()] if end else text
        if _plain(line) not in (_plain(label), _plain(central[0] or "")):
            return line if len(line) <= 220 else line[:219].rstrip() + "…"
        others: dict[str, str] = {}
        for title, body in rows:
            head = " ".join((title or body).split())
            if _plain(head) != _plain(label) and not _plain(head).startswith(_plain(label)):
                others.setdefault(_plain(head), head if len(head) <= 110 else head[:109].rstrip() + "…")
            if len(others) == 2:
                break
        return "Also: " + " · ".join(f"“{h}”" for h in others.values()) if others else ""

    # ------------------------------------------------------------ what changed

    def change_rows(self, since: datetime | None, page: int = 1) -> tuple[list[tuple[StoryChange, bool]], int]:
        """("What's new") the stories with items that arrived after `since`, latest first,
        CHANGES_PAGE a page: each story's change, and whether its brief is still being made (then
        the change lists its new items only, and the story is briefed in the background)."""
        with self.store() as s:
            found = s.changed_since(since)
            rows = []
            for sid, _, _ in found[(page - 1) * CHANGES_PAGE: page * CHANGES_PAGE]:
                story = s.story(sid)
                if story is None:
                    continue
                items, arrived = s.items(sid), s.arrivals(sid)
                result = self.cached_brief(story, items)
                if result is False:
                    self.brief_later(sid)
                change = story_change(story, items, None if result is False else result, arrived, since)
                if change is not None:
                    rows.append((change, result is False))
        return rows, len(found)

    def story_change(self, view: StoryView, since: datetime) -> StoryChange | None:
        """What the items that arrived after `since` add to a story (its page's brief)."""
        with self.store() as s:
            arrived = s.arrivals(view.story.id)
        return story_change(view.story, view.items, view.brief, arrived, since)

    def arrivals(self, sid: str) -> dict[int, datetime]:
        with self.store() as s:
            return s.arrivals(sid)

    def changes_feed(self, since: datetime | None, limit: int) -> StoreChanges:
        """The changes of the `limit` stories that changed last (since `since`), each briefed."""
        with self.store() as s:
            found = s.changed_since(since, limit)
        changes = []
        for sid, _, _ in found:
            try:
                view = self.story(sid, wait=BRIEF_API_WAIT)
            except HTTPException:  # gone meanwhile
                continue
            change = self.story_change(view, since) if since else self._everything(view)
            if change is not None:
                changes.append(change)
        now = datetime.now(timezone.utc).isoformat()
        return StoreChanges(since=since.isoformat() if since else "", baseline=since.isoformat() if since else None,
                            made=now, stories=changes)

    def _everything(self, view: StoryView) -> StoryChange | None:
        with self.store() as s:
            arrived = s.arrivals(view.story.id)
        return story_change(view.story, view.items, view.brief, arrived, None)

    def story_feed(self, sid: str, limit: int = 20) -> StoreChanges:
        """One story's feed: an entry per arrival of new items (the last `limit`), each saying
        what those items added to what had arrived before."""
        view = self.story(sid, wait=BRIEF_API_WAIT)
        arrived = self.arrivals(view.story.id)
        times = sorted(set(arrived.values()))
        entries = []
        for k, when in enumerate(times):
            if k < len(times) - limit:
                continue
            present = {n for n, t in arrived.items() if t <= when}
            items = [it for it in view.items if it.n in present]
            brief = _restricted(view.brief, present) if view.brief else None
            change = story_change(view.story, items, brief, arrived, times[k - 1] if k else None)
            if change is not None:
                entries.append(change)
        entries.reverse()
        now = datetime.now(timezone.utc).isoformat()
        return StoreChanges(since="", baseline=None, made=now, stories=entries)

    def current_id(self, sid: str) -> str:
        with self.store() as s:
            return s.current_id(sid)

    def search(self, q: str, limit: int = 50) -> tuple[dict, int]:
        """(the hits, how many stories still wait for their claims to be indexed)."""
        with self.store() as s:
            return s.search(q, limit), len(s.stale_claim_stories())

    def ingest(self, items: list[Item]) -> dict[str, int]:
        """Store.ingest in the ingest child (web/workers.py): the models never run in the server
        process. The regroup of the open stories is left to the regrouper (regroup_forever)."""
        with self.write_lock:
            counts = self.workers.ingest(self.db, self.options.update(story_regroup=False), items)
        if self.options.story_regroup:
            self._regroup_wake.set()
        return counts

    def regroup_forever(self) -> None:
        """The regrouper (a thread): regroups the open stories in the ingest child when ingests
        left them to regroup, at most every REGROUP_EVERY seconds."""
        while not self._stopping.is_set():
            self._regroup_wake.wait()
            self._regroup_wake.clear()
            if self._stopping.is_set():
                return
            try:
                self.workers.regroup(self.db, self.options)
            except Exception as exc:  # never take the server down: the tracker's grouping stands
                if self._stopping.is_set():
                    return
                print(f"newsdesk: regroup: {type(exc).__name__}: {exc}", file=sys.stderr)
            self._stopping.wait(REGROUP_EVERY)

    def offer_claims(self, sid: str, claims, items: list[Item]) -> None:
        """Claims found by a brief, for the indexer to write (it would otherwise find them again)."""
        with self._offer_lock:
            self._offered[sid] = (claims, items)
        self._wake.set()

    def index_claims_forever(self) -> None:
        """The one writer of the claims index (a thread): the claims offered by briefs, then those
        of every story whose items changed since it was indexed (found in the briefs' child
        process); again when woken, or each minute. What it found is written in one transaction
        every CLAIMS_EVERY seconds at most: each write changes the store's version, and so
        the pages' snapshot is read again."""
        last = 0.0
        while not self._stopping.is_set():
            self._stopping.wait(max(0.0, last + CLAIMS_EVERY - time.monotonic()))
            try:
                with self._offer_lock:
                    offered, self._offered = self._offered, {}
                with self.store() as s:
                    stale = [sid for sid in s.stale_claim_stories() if sid not in offered]
                found = [(sid, claims, items) for sid, (claims, items) in offered.items()]
                for sid in stale:
                    if self._stopping.is_set():
                        return
                    if time.monotonic() - last >= CLAIMS_EVERY and found:
                        last = self._write_claims(found)
                        found = []
                    with self.store() as s:
                        items = s.items(sid)
                    if items:
                        found.append((sid, self.workers.claims(items, self.options).claims, items))
                last = self._write_claims(found) if found else last
            except Exception as exc:  # never take the server down: search still covers items
                if self._stopping.is_set():
                    return
                print(f"newsdesk: claims index: {type(exc).__name__}: {exc}", file=sys.stderr)
            self._wake.wait(60)
            self._wake.clear()

    def _write_claims(self, found: list) -> float:
        """Index the claims found, (story id, claims, items) each, in one transaction; when."""
        with self.write_lock, self.store() as s:
            s.index_claims_many(found)
        return time.monotonic()


def _version(sid: str, items: list[Item]) -> tuple[str, tuple[int, ...]]:
    """A story's version, the key of its brief: its id and its items' numbers (as Story.items)."""
    return sid, tuple(it.n for it in items)


def _plain(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def _restricted(brief: Brief, present: set[int]) -> Brief:
    """The brief's claims, figures and disputes of the items in `present` only."""
    return replace(brief, claims=[c for c in brief.claims if c.item in present],
                   figures=[q for q in brief.figures if q.item in present],
                   disputes=[d for d in brief.disputes if all(set(side.items) <= present for side in d.sides)])


def _environment():
    from .. import __version__

    env = environment(HERE / "templates")
    env.filters["day"] = lambda d: d.strftime("%Y-%m-%d") if d else ""
    env.filters["when"] = lambda d: d.strftime("%Y-%m-%d %H:%M") if d else ""
    env.filters["ago"] = ago
    env.globals["version"] = __version__
    return env


def day(text: str, end: bool = False) -> datetime | None:
    """A date filter as given (YYYY-MM-DD or an ISO time); the end of the day for `end`."""
    if not text:
        return None
    try:
        d = datetime.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, f"expected a date such as 2016-06-01, got {text!r}") from None
    if end and len(text) <= 10:
        d = d.replace(hour=23, minute=59, second=59)
    return aware(d)


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """How long ago, in the largest whole unit: "5 min ago", "3 h ago", "2 days ago", "4 years ago"."""
    if when is None:
        return ""
    seconds = ((now or datetime.now(timezone.utc)) - aware(when)).total_seconds()
    if seconds < 0:
        return "in the future"
    for unit, size in (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n > 1 and unit not in ('h', 'min') else ''} ago"
    return "just now"
