"""Follow sources as they publish: poll feeds, pages, lists of URLs and folders, and add what
is new to a store (`newsdesk watch`).

A SOURCE is a feed or page URL, a file listing URLs (each URL is a source; the list is read
again at every poll), a folder (files that are new or changed since the last poll are read), or
any other news file (read again when it changes). One poll (:meth:`Watch.poll`):

1. picks the sources that are due: a URL is polled once per interval; one that failed waits
   longer after each failure in a row (doubling, up to `Options.watch_max_backoff`, or what a
   Retry-After says); a host that answered 429 or 503 is left alone until then;
2. fetches them with conditional requests (If-None-Match with the ETag, If-Modified-Since with
   the Last-Modified of the last answer): a 304 costs no reading and adds nothing. Requests to
   one host go one after another, `Options.watch_host_delay` seconds apart, with robots.txt
   obeyed (newsdesk.ingest.urls); different hosts are fetched at the same time;
3. reads what came back with the readers of newsdesk.ingest, and adds every item to the store in
   one `Store.ingest` (an entry already stored is counted as such: a new entry is added once);
4. only then records the new state (validators, last poll, failures, files read) in the
   store's `watch_*` tables, in one transaction.

So a stop at any moment loses nothing: items are committed before the validators that would
skip them, and a poll stopped before its state was recorded is simply fetched again (what was
committed already is "already stored"). A failing source is one line in the poll's report and
never stops the others. The state lives in the store, so a restart continues where it stopped.
"""

from __future__ import annotations

import email.utils
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from .errors import NewsdeskError
from .model import Item
from .options import Options

SCHEMA = """
CREATE TABLE IF NOT EXISTS watch_sources (
  source TEXT PRIMARY KEY, etag TEXT, modified TEXT, last_poll TEXT, last_ok TEXT, last_status TEXT,
  failures INTEGER NOT NULL DEFAULT 0, next_poll TEXT, items INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS watch_hosts (host TEXT PRIMARY KEY, not_before TEXT NOT NULL, reason TEXT);
CREATE TABLE IF NOT EXISTS watch_files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, read TEXT NOT NULL);
"""
"""The watch state (created with the store's schema): per source its validators, last poll and
failures; per host when it may be asked again; per file what was read."""

ROBOTS_TTL = timedelta(hours=24)
"""How long robots.txt rules are kept before they are read again."""

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class Stopped(BaseException):
    """Raised into a running ingest when a stop is asked for (SIGTERM, Ctrl-C): the chunk being
    written rolls back, and nothing of this poll's state is recorded. A BaseException, like
    KeyboardInterrupt, so that no `except Exception` on the way swallows it."""


def interval(text: str) -> float:
    """"30s", "15m", "2h", "1d" or plain seconds, as seconds; ValueError otherwise."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text or "")
    if not found or float(found.group(1)) <= 0:
        raise ValueError(f"expected a time such as 30s, 15m, 2h or 1d, got {text!r}")
    return float(found.group(1)) * _UNITS[found.group(2) or "s"]


@dataclass(frozen=True)
class Source:
    kind: str  # "url", "folder" or "file"
    name: str  # the URL, or the path


def sources_of(specs: Iterable[str]) -> list[Source]:
    """The sources that SOURCE arguments name (in order, each once); a NewsdeskError (exit 2)
    for one that is neither a URL nor an existing path."""
    from .ingest.urls import is_url

    found: dict[Source, None] = {}
    for spec in specs:
        path = Path(spec)
        if is_url(spec):
            found[Source("url", spec.strip())] = None
        elif path.is_dir():
            found[Source("folder", str(path))] = None
        elif path.is_file():
            urls = _listed_urls(path)
            for source in ([Source("url", u) for u in urls] if urls is not None else [Source("file", str(path))]):
                found[source] = None
        else:
            raise NewsdeskError(f"no such source: {spec} (give a feed or page URL, a file listing URLs, a folder or a file)",
                                code=2)
    return list(found)


def _listed_urls(path: Path) -> list[str] | None:
    """The URLs of a file that lists URLs (one per line, # comments), or None for any other file."""
    from .ingest import sniff
    from .ingest.urls import is_url

    try:
        with path.open("rb") as f:
            head = f.read(65536)
        if sniff(head, str(path)) != "urls":
            return None
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise NewsdeskError(f"cannot read {path}: {exc.strerror}", code=2) from None
    return [ln.strip() for ln in lines if is_url(ln.strip())]


@dataclass
class Outcome:
    """What polling one source gave."""

    source: Source
    status: str  # "fetched", "unchanged", "failed", "read" (files), "waiting" (a host asked to wait)
    items: list[Item] = field(default_factory=list)
    reason: str | None = None  # why it failed
    etag: str | None = None
    modified: str | None = None
    retry_after: float | None = None  # seconds, from a 429 or 503
    files: list[tuple[str, int, int]] = field(default_factory=list)  # (path, size, mtime_ns) read


@dataclass
class PollReport:
    """One poll: what each source gave, and what the store made of the items."""

    number: int
    started: datetime
    outcomes: list[Outcome]
    waiting: int  # sources not due (backing off after failures, or their host asked to wait)
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "duplicates": 0, "dropped": 0, "seen": 0})
    stories_changed: int = 0
    stopped: bool = False

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def line(self) -> str:
        """The one line a poll prints."""
        c = self.counts
        polled = len(self.outcomes)
        parts = [f"{self.started:%Y-%m-%d %H:%M:%S}Z poll {self.number}: {polled} source{'s' * (polled != 1)}"]
        detail = [f"{n} {what}" for what, n in (("fetched", self.count("fetched")), ("unchanged", self.count("unchanged")),
                                                  ("read", self.count("read")), ("failed", self.count("failed")),
                                                  ("waiting for their host", self.count("waiting"))) if n]
        if self.waiting:
            detail.append(f"{self.waiting} not due")
        if detail:
            parts[0] += f" ({', '.join(detail)})"
        if self.stopped:
            return parts[0] + "; stopped before adding anything (the next poll fetches it again)"
        parts.append(f"{c['new']} new, {c['duplicates']} duplicates, {c['dropped']} dropped, {c['seen']} already stored")
        parts.append(f"{self.stories_changed} stor{'y' if self.stories_changed == 1 else 'ies'} changed")
        failed = [f"{o.source.name} ({o.reason})" for o in self.outcomes if o.status == "failed"]
        line = ", ".join(parts)
        return line + (f"; failed: {'; '.join(failed)}" if failed else "")


class Watch:
    """Polls the sources named by `specs` into `store`, every `every` seconds per source.
    `stop` (a threading.Event) ends the loop; :meth:`request_stop` sets it from a signal
    handler and, during an ingest, raises :class:`Stopped` to roll the ingest back."""

    def __init__(self, store, specs: list[str], options: Options, every: float = 900.0):
        self.store, self.specs, self.options, self.every = store, list(specs), options, every
        self.sources = sources_of(self.specs)
        self.stop = threading.Event()
        self.ingesting = False
        self.polls = 0
        self._fetcher = None
        self._fetcher_made = 0.0

    def request_stop(self) -> None:
        self.stop.set()
        if self.ingesting:
            self.ingesting = False
            raise Stopped()

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    # ------------------------------------------------------------ the loop

    def run(self, once: bool = False, report: Callable[[PollReport], None] = print) -> None:
        """Poll until stopped (or once): `report` gets each poll's report."""
        try:
            while not self.stop.is_set():
                result = self.poll(once=once)
                report(result)
                if once or result.stopped or self.stop.is_set():
                    return
                self.stop.wait(max(1.0, (self.next_due() - _now()).total_seconds()))
        finally:
            self.close()

    def next_due(self) -> datetime:
        """When the next source is due (files and folders: one interval from now)."""
        due = [_now() + timedelta(seconds=self.every)]
        state = _source_states(self.store.db)
        hosts = _host_waits(self.store.db)
        for s in self.sources:
            if s.kind == "url" and s.name in state and state[s.name]["next_poll"]:
                when = _time(state[s.name]["next_poll"])
                wait = hosts.get(_host(s.name))
                due.append(max(when, wait) if wait else when)
        return min(due)

    # ------------------------------------------------------------ one poll

    def poll(self, once: bool = False) -> PollReport:
        """Poll the due sources once (with `once`, every source but those backing off after
        failures), add their items to the store, record the new state."""
        self.polls += 1
        now = _now()
        try:
            self.sources = sources_of(self.specs)  # a list of URLs may have changed
        except NewsdeskError:
            pass  # keep the sources of the last poll; the file may be being rewritten
        db = self.store.db
        state, hosts = _source_states(db), _host_waits(db)
        due, waiting = [], 0
        for s in self.sources:
            if s.kind == "url":
                row = state.get(s.name)
                host_wait = hosts.get(_host(s.name))
                backing_off = row is not None and row["next_poll"] and _time(row["next_poll"]) > now \
                    and (not once or row["failures"])
                if (host_wait and host_wait > now) or backing_off:
                    waiting += 1
                    continue
            due.append(s)
        outcomes = self._fetch([s for s in due if s.kind == "url"], state)
        if not self.stop.is_set():
            outcomes += [self._read_files(s) for s in due if s.kind != "url"]
        report = PollReport(self.polls, now, outcomes, waiting)
        if self.stop.is_set():
            report.stopped = True
            return report
        items = [it for o in outcomes for it in o.items]
        before = _story_members(db)
        self.ingesting = True
        try:
            report.counts = self.store.ingest(items) if items else report.counts
        finally:
            self.ingesting = False
        after = _story_members(db)
        report.stories_changed = sum(1 for sid, members in after.items() if before.get(sid) != members)
        _record(db, outcomes, now, self.every, self.options, state)
        if self._fetcher is not None:
            self._fetcher.forget_failed_robots()
        return report

    def _fetcher_now(self):
        """One HTTP client for the watch (connections and robots.txt rules kept between polls),
        made again once a day so that robots.txt is read again."""
        from .ingest.urls import Fetcher

        if self._fetcher is None or time.monotonic() - self._fetcher_made > ROBOTS_TTL.total_seconds():
            self.close()
            self._fetcher, self._fetcher_made = Fetcher(self.options), time.monotonic()
        return self._fetcher

    def _fetch(self, sources: list[Source], state: dict[str, dict]) -> list[Outcome]:
        """Fetch the URL sources: hosts at the same time, each host's sources in turn."""
        if not sources:
            return []
        by_host: dict[str, list[Source]] = {}
        for s in sources:
            by_host.setdefault(_host(s.name), []).append(s)
        fetcher = self._fetcher_now()
        workers = max(1, min(self.options.fetch_concurrency, len(by_host)))
        with ThreadPoolExecutor(workers, thread_name_prefix="newsdesk-watch") as pool:
            results = list(pool.map(lambda group: self._fetch_host(fetcher, group, state), by_host.values()))
        order = {s: k for k, s in enumerate(sources)}
        return sorted((o for group in results for o in group), key=lambda o: order[o.source])

    def _fetch_host(self, fetcher, sources: list[Source], state: dict[str, dict]) -> list[Outcome]:
        out: list[Outcome] = []
        for k, s in enumerate(sources):
            if self.stop.is_set():
                break
            if k and self.stop.wait(self.options.watch_host_delay):
                break
            outcome = fetch_source(fetcher, s, state.get(s.name), self.options)
            out.append(outcome)
            if outcome.retry_after is not None:  # the host asked to wait: its other sources wait too
                out += [Outcome(rest, "waiting", reason=f"not asked: {_host(s.name)} answered {outcome.reason}",
                                retry_after=outcome.retry_after) for rest in sources[k + 1:]]
                break
        return out

    def _read_files(self, source: Source) -> Outcome:
        """The items of the files of a folder (or of one file) that are new or changed."""
        from .ingest import _walk, read

        path = Path(source.name)
        try:
            files = _walk(path) if source.kind == "folder" else [path]
            known = {p: (size, mtime) for p, size, mtime in self.store.db.execute("SELECT path, size, mtime_ns FROM watch_files")}
            changed = []
            for f in files:
                st = f.stat()
                if known.get(str(f)) != (st.st_size, st.st_mtime_ns):
                    changed.append((str(f), st.st_size, st.st_mtime_ns))
            items = list(read([p for p, _, _ in changed], self.options)) if changed else []
        except (OSError, NewsdeskError) as exc:
            return Outcome(source, "failed", reason=str(exc))
        return Outcome(source, "read", items=items, files=changed)


def fetch_source(fetcher, source: Source, row: dict | None, options: Options) -> Outcome:
    """One conditional GET of a URL source, and its items when it changed."""
    from .ingest import read_fetched
    from .ingest.urls import FetchError

    headers = {}
    if row and row["etag"]:
        headers["If-None-Match"] = row["etag"]
    if row and row["modified"]:
        headers["If-Modified-Since"] = row["modified"]
    try:
        found = fetcher.get(source.name, headers)
    except FetchError as exc:
        wait = _retry_after(exc.retry_after) if exc.status in (429, 503) else None
        if exc.status in (429, 503) and wait is None:
            wait = 0.0  # asked to slow down without saying how long: the usual backoff
        return Outcome(source, "failed", reason=str(exc), retry_after=wait)
    if found.status == 304:
        return Outcome(source, "unchanged", etag=found.etag or (row or {}).get("etag"),
                       modified=found.last_modified or (row or {}).get("modified"))
    try:
        items = list(read_fetched(found, source.name, options))
    except Exception as exc:  # a reader's bug must not stop the other sources
        return Outcome(source, "failed", reason=f"cannot read the response: {type(exc).__name__}: {exc}")
    return Outcome(source, "fetched", items=items, etag=found.etag, modified=found.last_modified)


# ---------------------------------------------------------------- state in the store


def _source_states(db: sqlite3.Connection) -> dict[str, dict]:
    cur = db.execute("SELECT source, etag, modified, last_poll, last_ok, last_status, failures, next_poll FROM watch_sources")
    names = [d[0] for d in cur.description]
    return {row[0]: dict(zip(names, row)) for row in cur}


def _host_waits(db: sqlite3.Connection) -> dict[str, datetime]:
    return {host: _time(when) for host, when in db.execute("SELECT host, not_before FROM watch_hosts")}


def _story_members(db: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Each story's items in two numbers (how many, the last): any item added changes them."""
    return {sid: (count, last) for sid, count, last in db.execute(
        "SELECT story, count(*), max(n) FROM items WHERE story IS NOT NULL GROUP BY story")}


def _record(db: sqlite3.Connection, outcomes: list[Outcome], now: datetime, every: float, options: Options,
            state: dict[str, dict]) -> None:
    """The state after a poll whose items are in the store, in one transaction."""
    at = now.isoformat()
    db.execute("BEGIN IMMEDIATE")
    try:
        for o in outcomes:
            if o.source.kind != "url":
                db.executemany("INSERT INTO watch_files (path, size, mtime_ns, read) VALUES (?,?,?,?) ON CONFLICT(path) "
                               "DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, read = excluded.read",
                               [(p, size, mtime, at) for p, size, mtime in o.files])
                continue
            old = state.get(o.source.name) or {}
            if o.status in ("fetched", "unchanged"):
                status = f"{len(o.items)} items read" if o.status == "fetched" else "not modified"
                db.execute("INSERT INTO watch_sources (source, etag, modified, last_poll, last_ok, last_status, failures, "
                           "next_poll, items) VALUES (?,?,?,?,?,?,0,?,?) ON CONFLICT(source) DO UPDATE SET "
                           "etag = excluded.etag, modified = excluded.modified, last_poll = excluded.last_poll, "
                           "last_ok = excluded.last_ok, last_status = excluded.last_status, failures = 0, "
                           "next_poll = excluded.next_poll, items = items + excluded.items",
                           (o.source.name, o.etag, o.modified, at, at, status,
                            (now + timedelta(seconds=every)).isoformat(), len(o.items)))
                continue
            failures = int(old.get("failures") or 0) + (o.status == "failed")
            wait = backoff(max(failures, 1), every, options)
            if o.retry_after:
                wait = max(wait, o.retry_after)
            db.execute("INSERT INTO watch_sources (source, last_poll, last_status, failures, next_poll) VALUES (?,?,?,?,?) "
                       "ON CONFLICT(source) DO UPDATE SET last_poll = excluded.last_poll, last_status = excluded.last_status, "
                       "failures = excluded.failures, next_poll = excluded.next_poll",
                       (o.source.name, at, o.reason, failures, (now + timedelta(seconds=wait)).isoformat()))
            if o.retry_after is not None and o.status == "failed":
                db.execute("INSERT INTO watch_hosts (host, not_before, reason) VALUES (?,?,?) ON CONFLICT(host) DO UPDATE "
                           "SET not_before = excluded.not_before, reason = excluded.reason",
                           (_host(o.source.name), (now + timedelta(seconds=wait)).isoformat(), o.reason))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def backoff(failures: int, every: float, options: Options) -> float:
    """Seconds a source waits after `failures` failures in a row: the interval, doubled with
    each further failure, up to `watch_max_backoff` (or the interval, when that is longer)."""
    return min(every * 2 ** (failures - 1), max(every, options.watch_max_backoff))


def watch_status(db: sqlite3.Connection) -> list[dict]:
    """Every URL source the store has polled, with its state."""
    return sorted(_source_states(db).values(), key=lambda r: r["source"])


def _retry_after(value: str | None) -> float | None:
    """A Retry-After header (seconds, or an HTTP date) as seconds from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - _now()).total_seconds())


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _now() -> datetime:
    return datetime.now(timezone.utc)
