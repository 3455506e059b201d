"""The web app's state and views: one object per app (no closures), and view methods that build
the data of a page once, so that an HTML page and its JSON twin serve the same thing (as
datasette's views do). Reads open the store per request; writes take `write_lock` first."""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fastapi import HTTPException

from ..changes import aware
from ..errors import NewsdeskError, NoNewsError
from ..model import Brief, Item, Story
from ..options import Options
from ..render.html import environment
from ..store import Store

HERE = Path(__file__).parent
BRIEF_CACHE = 64  # briefs of stored stories kept, by story and item set


@dataclass
class StoryView:
    """One stored story as its page shows it."""

    story: Story
    items: list[Item]
    brief: Brief | None  # None when no item has a complete sentence


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
    _brief_lock: threading.Lock = field(default_factory=threading.Lock)
    _offered: dict = field(default_factory=dict)  # story id -> (claims, items) for the indexer
    _offer_lock: threading.Lock = field(default_factory=threading.Lock)
    _wake: threading.Event = field(default_factory=threading.Event)

    def store(self) -> Store:
        return Store(self.db, self.options)

    # ------------------------------------------------------------ views

    def stories(self, q: str = "", since: str = "", until: str = "") -> tuple[list[Story], dict[str, list[datetime]], int]:
        """(the stories that pass the filters, each story's item times, how many stories in all)."""
        lo, hi = day(since), day(until, end=True)
        with self.store() as s:
            stories, times = s.stories(), s.story_times()
            matching = s.stories_matching(q) if q.strip() else None
        kept = []
        for st in stories:
            if matching is not None and st.id not in matching and q.casefold() not in st.label.casefold():
                continue
            first, last = aware(st.first_seen), aware(st.last_seen)
            if (lo and (last is None or last < lo)) or (hi and (first is None or first > hi)):
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

    def story(self, sid: str) -> StoryView:
        """The story with its brief; briefs are cached by item set. A read writes nothing: the
        brief's claims are handed to the background indexer."""
        from ..pipeline import brief as make_brief

        story, items = self.story_items(sid)
        key = (story.id, tuple(it.id for it in items))
        with self._brief_lock:
            result = self._briefs.get(key, False)
            if result is False:
                try:
                    result = make_brief(items, self.options)
                except NoNewsError:
                    result = None
                self._briefs[key] = result
                while len(self._briefs) > BRIEF_CACHE:
                    self._briefs.popitem(last=False)
                if result is not None:
                    self.offer_claims(story.id, result.claims, items)
        return StoryView(story, items, result)

    def current_id(self, sid: str) -> str:
        with self.store() as s:
            return s.current_id(sid)

    def search(self, q: str, limit: int = 50) -> tuple[dict, int]:
        """(the hits, how many stories still wait for their claims to be indexed)."""
        with self.store() as s:
            return s.search(q, limit), len(s.stale_claim_stories())

    def ingest(self, items: list[Item]) -> dict[str, int]:
        with self.write_lock, self.store() as s:
            return s.ingest(items)

    def offer_claims(self, sid: str, claims, items: list[Item]) -> None:
        """Claims found by a brief, for the indexer to write (it would otherwise find them again)."""
        with self._offer_lock:
            self._offered[sid] = (claims, items)
        self._wake.set()

    def index_claims_forever(self) -> None:
        """The one writer of the claims index (a thread): the claims offered by briefs, then those
        of every story whose items changed since it was indexed; again when woken, or each minute."""
        from ..pipeline import claims as find_claims

        while True:
            try:
                with self._offer_lock:
                    offered, self._offered = self._offered, {}
                with self.store() as s:
                    stale = [sid for sid in s.stale_claim_stories() if sid not in offered]
                for sid, (claims, items) in offered.items():
                    with self.write_lock, self.store() as s:
                        s.index_claims(sid, claims, items)
                for sid in stale:
                    with self.store() as s:
                        items = s.items(sid)
                    if items:
                        found = find_claims(items, self.options).claims
                        with self.write_lock, self.store() as s:
                            s.index_claims(sid, found, items)
            except Exception as exc:  # never take the server down: search still covers items
                print(f"newsdesk: claims index: {type(exc).__name__}: {exc}", file=sys.stderr)
            self._wake.wait(60)
            self._wake.clear()


def _environment():
    from .. import __version__

    env = environment(HERE / "templates")
    env.filters["day"] = lambda d: d.strftime("%Y-%m-%d") if d else ""
    env.filters["when"] = lambda d: d.strftime("%Y-%m-%d %H:%M") if d else ""
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
