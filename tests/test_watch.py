"""`newsdesk watch` against a real HTTP server on 127.0.0.1 whose feeds change between polls:
conditional requests, 304s that add nothing, a new entry added once, failing sources that do
not stop the others, hosts that ask to wait, folders, a restart that continues, and SIGTERM in
the middle of a poll (a real `newsdesk watch` process) that leaves the store consistent."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsdesk import Options
from newsdesk.store import Store
from newsdesk.watch import Watch, backoff, interval, sources_of

OPTIONS = Options(embedder="hashing", allow_private=True, watch_host_delay=0.0, fetch_timeout=5.0)

TOPICS = ["The harbour authority said the container terminal reopened on Tuesday after a three-day strike by dock workers.",
          "Union leaders said 4,000 dock workers would return to work while talks on pay continue next week.",
          "Shipping lines said more than 40 vessels waited offshore during the strike, delaying fruit exports.",
          "The transport minister said the government would not intervene in the pay dispute at the harbour.",
          "Farmers' groups warned that perishable exports lost about 2 million dollars a day during the stoppage."]


def entry_text(k: int) -> str:
    return f"{TOPICS[k % len(TOPICS)]} Report number {k} from the harbour desk."


class Feeds:
    """The server's state: feeds by name (a list of entry numbers each), what fails, what was asked."""

    def __init__(self):
        self.entries: dict[str, list[int]] = {}
        self.status: dict[str, tuple[int, dict]] = {}  # name -> (HTTP status, headers) to answer instead
        self.requests: list[tuple[str, dict]] = []
        self.hold: threading.Event | None = None  # when set: feeds wait for it before answering
        self.held = threading.Event()  # set when a request is being held
        self.lock = threading.Lock()

    def body(self, name: str, port: int) -> bytes:
        items = "".join(f"<item><title>Harbour report {k}</title><link>http://127.0.0.1:{port}/news/{name}/{k}</link>"
                        f"<guid>{name}-{k}</guid><pubDate>{formatdate(1_700_000_000 + 3600 * k, usegmt=True)}</pubDate>"
                        f"<description>{entry_text(k)}</description></item>" for k in self.entries[name])
        return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Harbour Desk {name}</title>"
                f"<link>http://127.0.0.1:{port}/</link><description>test</description>{items}</channel></rss>").encode()


def make_handler(feeds: Feeds):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status, body=b"", ctype="application/rss+xml", headers=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self):
            with feeds.lock:
                feeds.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            if self.path == "/robots.txt":
                return self._send(200, b"User-agent: *\nDisallow: /private\n", "text/plain")
            name = self.path.rsplit("/", 1)[-1]
            if self.path.startswith("/page/") and name in feeds.entries:  # a page with a Last-Modified only
                modified = formatdate(1_700_000_000 + len(feeds.entries[name]), usegmt=True)
                if self.headers.get("If-Modified-Since") == modified:
                    return self._send(304)
                text = " ".join(f"<p>{entry_text(k)}</p>" for k in feeds.entries[name])
                page = (f"<html><head><title>Harbour page {name}</title></head><body><article><h1>Harbour strike ends</h1>"
                        f"{text}</article></body></html>").encode()
                return self._send(200, page, "text/html; charset=utf-8", {"Last-Modified": modified})
            if not self.path.startswith("/feed/") or name not in feeds.entries:
                return self._send(404, b"not found", "text/plain")
            if name in feeds.status:
                status, headers = feeds.status[name]
                return self._send(status, b"no", "text/plain", headers)
            if feeds.hold is not None:
                feeds.held.set()
                feeds.hold.wait(30)
            body = feeds.body(name, self.server.server_address[1])
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            modified = formatdate(1_700_000_000 + len(feeds.entries[name]), usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, headers={"ETag": etag})
            return self._send(200, body, headers={"ETag": etag, "Last-Modified": modified})

    return Handler


@pytest.fixture
def feeds():
    state = Feeds()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    if state.hold is not None:
        state.hold.set()
    httpd.shutdown()
    httpd.server_close()


def feed_requests(feeds: Feeds, name: str) -> list[dict]:
    return [h for path, h in feeds.requests if path == f"/feed/{name}"]


def item_count(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM items").fetchone()[0]


def test_conditional_requests_and_a_304_adds_nothing(feeds, tmp_path):
    feeds.entries["a"] = [1, 2, 3]
    with Store(tmp_path / "w.db", OPTIONS) as store:
        watch = Watch(store, [f"{feeds.url}/feed/a"], OPTIONS, every=60)
        first = watch.poll()
        assert first.count("fetched") == 1 and first.counts["new"] == 3 and first.stories_changed >= 1
        assert "if-none-match" not in feed_requests(feeds, "a")[0]
        second = watch.poll(once=True)
        asked = feed_requests(feeds, "a")[-1]
        assert asked["if-none-match"].startswith('"') and asked["if-modified-since"].endswith("GMT")
        assert second.count("unchanged") == 1 and second.counts == {"new": 0, "duplicates": 0, "dropped": 0, "seen": 0}
        assert second.stories_changed == 0 and item_count(store) == 3
        assert "1 unchanged" in second.line() and "0 new" in second.line()
        row = store.db.execute("SELECT failures, last_status, etag FROM watch_sources").fetchone()
        assert row[0] == 0 and row[1] == "not modified" and row[2] == asked["if-none-match"]


def test_a_new_entry_is_added_once(feeds, tmp_path):
    feeds.entries["a"] = [1, 2, 3]
    with Store(tmp_path / "w.db", OPTIONS) as store:
        watch = Watch(store, [f"{feeds.url}/feed/a"], OPTIONS, every=60)
        watch.poll()
        feeds.entries["a"] = [2, 3, 4]  # one entry falls off, one arrives
        added = watch.poll(once=True)
        assert added.count("fetched") == 1 and added.counts["new"] == 1 and added.counts["seen"] == 2
        assert item_count(store) == 4
        again = watch.poll(once=True)
        assert again.count("unchanged") == 1 and item_count(store) == 4
        # A restart (a new Watch on the same store file) continues with the stored validators.
    with Store(tmp_path / "w.db", OPTIONS) as store:
        restarted = Watch(store, [f"{feeds.url}/feed/a"], OPTIONS, every=60).poll(once=True)
        assert restarted.count("unchanged") == 1 and item_count(store) == 4
        texts = [t for (t,) in store.db.execute("SELECT text FROM items ORDER BY n")]
        assert sum("Report number 4 " in t for t in texts) == 1


def test_a_page_with_last_modified_only(feeds, tmp_path):
    feeds.entries["p"] = [0, 1, 2]
    with Store(tmp_path / "w.db", OPTIONS) as store:
        watch = Watch(store, [f"{feeds.url}/page/p"], OPTIONS, every=60)
        assert watch.poll().counts["new"] == 1  # a page is one item
        again = watch.poll(once=True)
        asked = [h for path, h in feeds.requests if path == "/page/p"][-1]
        assert "if-none-match" not in asked and asked["if-modified-since"].endswith("GMT")
        assert again.count("unchanged") == 1 and item_count(store) == 1


def test_a_failing_source_does_not_stop_the_others(feeds, tmp_path):
    feeds.entries.update(good=[1, 2], broken=[3], gone=[4])
    feeds.status["broken"] = (500, {})
    with socket_closed() as dead:
        sources = [f"{feeds.url}/feed/broken", f"{dead}/feed/x", f"{feeds.url}/feed/good"]
        with Store(tmp_path / "w.db", OPTIONS) as store:
            watch = Watch(store, sources, OPTIONS, every=60)
            report = watch.poll()
            assert report.count("failed") == 2 and report.count("fetched") == 1 and report.counts["new"] == 2
            assert "HTTP 500" in report.line() and "unreachable" in report.line()
            state = {r[0]: r[1:] for r in store.db.execute("SELECT source, failures, next_poll FROM watch_sources")}
            assert state[sources[0]][0] == 1 and state[sources[1]][0] == 1 and state[sources[2]][0] == 0
            # Backing off: the failed sources wait (even with --once); the good one is polled.
            later = watch.poll(once=True)
            assert later.waiting == 2 and later.count("unchanged") == 1
            # Recovered, and due again: it is read, and its failures are forgotten.
            del feeds.status["broken"]
            store.db.execute("UPDATE watch_sources SET next_poll = '2000-01-01T00:00:00+00:00' WHERE source = ?", (sources[0],))
            recovered = watch.poll(once=True)
            assert recovered.count("fetched") == 1 and recovered.counts["new"] == 1
            assert store.db.execute("SELECT failures FROM watch_sources WHERE source = ?", (sources[0],)).fetchone()[0] == 0


def test_a_host_that_answers_429_is_left_alone(feeds, tmp_path):
    feeds.entries.update(busy=[1], other=[2])
    feeds.status["busy"] = (429, {"Retry-After": "120"})
    sources = [f"{feeds.url}/feed/busy", f"{feeds.url}/feed/other"]
    with Store(tmp_path / "w.db", OPTIONS) as store:
        watch = Watch(store, sources, OPTIONS, every=60)
        report = watch.poll()
        assert report.count("failed") == 1 and report.count("waiting") == 1
        assert feed_requests(feeds, "other") == []  # not asked after its host said 429
        wait = store.db.execute("SELECT not_before FROM watch_hosts").fetchone()[0]
        assert wait > report.started.isoformat()
        before = len(feeds.requests)
        assert watch.poll(once=True).waiting == 2 and len(feeds.requests) == before


def test_a_folder_source_reads_new_files_once(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a.txt").write_text("\n".join(entry_text(k) for k in range(3)) + "\n", encoding="utf-8")
    with Store(tmp_path / "w.db", OPTIONS) as store:
        watch = Watch(store, [str(folder)], OPTIONS, every=60)
        assert watch.poll().counts["new"] == 3
        assert watch.poll().count("read") == 1 and item_count(store) == 3
        (folder / "b.txt").write_text(entry_text(3) + "\n" + entry_text(0) + "\n", encoding="utf-8")
        report = watch.poll()
        assert report.counts["new"] == 1 and report.counts["seen"] == 1 and item_count(store) == 4


def test_a_file_listing_urls_names_each_url(feeds, tmp_path):
    feeds.entries.update(a=[1], b=[2])
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# my feeds\n{feeds.url}/feed/a\n\n{feeds.url}/feed/b\n", encoding="utf-8")
    assert [s.name for s in sources_of([str(listing)])] == [f"{feeds.url}/feed/a", f"{feeds.url}/feed/b"]
    assert [s.kind for s in sources_of([str(tmp_path)])] == ["folder"]


def test_watch_command_errors(tmp_path):
    db = tmp_path / "w.db"
    for args, message in ((["nope.txt"], "no such source: nope.txt"), (["--every", "soon", str(tmp_path)], "expected a time")):
        result = subprocess.run([sys.executable, "-m", "newsdesk", "watch", *args, "--db", str(db)], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 2 and message in result.stderr
    assert not db.exists()  # nothing made for a command that could not start


def test_intervals_and_backoff():
    assert interval("15m") == 900 and interval("30s") == 30 and interval("2h") == 7200 and interval("90") == 90
    with pytest.raises(ValueError):
        interval("soon")
    waits = [backoff(n, 900, Options()) for n in range(1, 8)]
    assert waits[:3] == [900, 1800, 3600] and waits[-1] == Options().watch_max_backoff


# ---------------------------------------------------------------- a real process, stopped mid-poll


class socket_closed:
    """A URL on 127.0.0.1 where nothing listens."""

    def __enter__(self):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc):
        return False


def start_watch(db: Path, *sources: str, chunk: int | None = None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    if chunk:
        env["NEWSDESK_STORE_CHUNK"] = str(chunk)
    return subprocess.Popen([sys.executable, "-m", "newsdesk", "watch", *sources, "--db", str(db), "--allow-private",
                             "--embedder", "hashing", "--delay", "0", "--every", "1h"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)


def consistent(db: Path) -> sqlite3.Connection:
    """The store after a stop: intact, every item in one state, every story reference alive."""
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM items WHERE status NOT IN ('used', 'merged', 'dropped')").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM items WHERE status != 'dropped' AND story NOT IN (SELECT id FROM stories)"
                       ).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM items WHERE status = 'merged' AND duplicate_of NOT IN (SELECT id FROM items)"
                       ).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM items").fetchone()[0] == con.execute("SELECT count(DISTINCT id) FROM items").fetchone()[0]
    return con


def test_sigterm_while_fetching_stops_cleanly_and_writes_nothing(feeds, tmp_path):
    feeds.entries["a"] = list(range(20))
    feeds.hold, db = threading.Event(), tmp_path / "w.db"
    proc = start_watch(db, f"{feeds.url}/feed/a")
    try:
        assert feeds.held.wait(60), "the watch never asked for the feed"
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        feeds.hold.set()  # the answer arrives after the stop was asked for
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "stopped before adding anything" in out and "store is consistent" in err
    con = consistent(db)
    assert con.execute("SELECT count(*) FROM items").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM watch_sources").fetchone()[0] == 0  # no validators: fetched again
    con.close()
    feeds.hold = None
    again = subprocess.run([sys.executable, "-m", "newsdesk", "watch", f"{feeds.url}/feed/a", "--db", str(db), "--once",
                            "--allow-private", "--embedder", "hashing"], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "20 new" in again.stdout, again.stderr


def test_sigterm_while_adding_items_keeps_the_store_consistent(feeds, tmp_path):
    feeds.entries["big"] = list(range(1500))
    db = tmp_path / "w.db"
    proc = start_watch(db, f"{feeds.url}/feed/big", chunk=8)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            if db.exists():
                try:
                    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
                        if con.execute("SELECT count(*) FROM items").fetchone()[0] > 0:
                            break
                except sqlite3.OperationalError:
                    pass
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "stopped while adding items" in err, (out, err)
    con = consistent(db)
    partial = con.execute("SELECT count(*) FROM items").fetchone()[0]
    assert 0 < partial < 1500
    assert con.execute("SELECT count(*) FROM watch_sources").fetchone()[0] == 0
    con.close()
    again = subprocess.run([sys.executable, "-m", "newsdesk", "watch", f"{feeds.url}/feed/big", "--db", str(db), "--once",
                            "--allow-private", "--embedder", "hashing"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    counts = dict((word, int(n)) for n, word in re.findall(r"(\d+) (new|duplicates|dropped|already stored)", again.stdout))
    assert counts["new"] + counts["duplicates"] + counts["dropped"] == 1500 - partial, again.stdout
    assert counts["already stored"] == partial, again.stdout
    con = consistent(db)
    assert con.execute("SELECT count(*) FROM items").fetchone()[0] == 1500
    con.close()
