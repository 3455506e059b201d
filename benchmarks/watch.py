"""Polling cost of `newsdesk watch`: 200 RSS feeds of 50 entries each, served on loopback by
a server in another process (so that the memory measured is the watcher's), polled with the
real Watch (conditional requests, the readers, one Store.ingest per poll).

Entries are real AG News items (title + description, ../shared/data/ag-news test split): the
10,000 entries of the feeds cycle over the first 7,000 items, so 3,000 repeat an item under
another URL, as syndication does (the store merges them as duplicates); the entries added later
are items 7,000 to 7,599, news the store has not seen. Four polls:

1. cold: every feed is new (10,000 entries read and ingested: the model dominates);
2. unchanged: every feed answers 304;
3. a few new: 20 feeds (10%) gained one entry, the rest answer 304;
4. all changed: every feed gained one entry (200 full feeds read again: 49 known entries each).

The per-host delay is 0 here (all feeds are on one host, 127.0.0.1): with the default of one
second, a poll of 200 feeds on one host takes at least 199 s by design, spread over the interval.

    python benchmarks/watch.py [--feeds 200] [--entries 50] [--embedder minilm|hashing]
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import resource
import sys
import tempfile
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
AG_NEWS = ROOT.parent / "shared" / "data" / "ag-news" / "data" / "ag_news_csv" / "test.csv"


def ag_news() -> list[tuple[str, str]]:
    with AG_NEWS.open(encoding="utf-8") as f:
        return [(row[1], row[2].replace("\\", " ")) for row in csv.reader(f)]


BASE = 7000  # the feeds' first entries cycle over items 0 .. BASE - 1; later entries are items BASE ..


def serve(port_out, feeds: int, entries: int, extra) -> None:
    """The feed server (a child process): feed k holds entries k*entries .. plus what `extra[k]` adds."""
    rows = ag_news()

    def row(n: int, k: int) -> tuple[str, str]:
        if n < feeds * entries:
            return rows[n % BASE]
        j = n - feeds * entries - k * 1000  # the j-th entry added to feed k: an item not used before
        return rows[BASE + (k + feeds * j) % (len(rows) - BASE)]

    def body(k: int) -> bytes:
        first = k * entries
        numbers = list(range(first, first + entries)) + [feeds * entries + k * 1000 + j for j in range(extra[k])]
        items = "".join(
            f"<item><title>{escape(row(n, k)[0])}</title><link>http://127.0.0.1/{k}/{n}</link>"
            f"<guid>{k}-{n}</guid><pubDate>{formatdate(1_700_000_000 + 60 * n, usegmt=True)}</pubDate>"
            f"<description>{escape(row(n, k)[1])}</description></item>" for n in numbers)
        return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Feed {k}</title>"
                f"<link>http://127.0.0.1/</link><description>bench</description>{items}</channel></rss>").encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path == "/robots.txt":
                data = b"User-agent: *\nAllow: /\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            k = int(self.path.rsplit("/", 1)[-1])
            etag = f'"{k}-{extra[k]}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = body(k)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port_out.put(httpd.server_address[1])
    httpd.serve_forever()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--embedder", default="minilm")
    args = parser.parse_args()
    if not AG_NEWS.exists():
        print(f"AG News not found at {AG_NEWS}", file=sys.stderr)
        return 2

    from newsdesk import Options
    from newsdesk.store import Store
    from newsdesk.watch import Watch

    manager = multiprocessing.Manager()
    extra = manager.list([0] * args.feeds)
    ports = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports, args.feeds, args.entries, extra), daemon=True)
    server.start()
    port = ports.get(timeout=60)
    urls = [f"http://127.0.0.1:{port}/feed/{k}" for k in range(args.feeds)]
    options = Options(embedder=args.embedder, allow_private=True, watch_host_delay=0.0)
    db = Path(tempfile.mkdtemp(prefix="newsdesk-watch-bench-")) / "bench.db"
    rows = []
    with Store(db, options) as store:
        ingest_time = [0.0]
        real_ingest = store.ingest

        def timed_ingest(items, progress=None):
            start = time.perf_counter()
            try:
                return real_ingest(items, progress)
            finally:
                ingest_time[0] += time.perf_counter() - start

        store.ingest = timed_ingest  # type: ignore[method-assign]
        watch = Watch(store, urls, options, every=60)
        for name, change in (("1. cold (every feed new)", None), ("2. unchanged (every feed 304)", []),
                             ("3. 10% of feeds gained an entry", list(range(0, args.feeds, 10))),
                             ("4. every feed gained an entry", list(range(args.feeds)))):
            for k in change or []:
                extra[k] += 1
            ingest_time[0] = 0.0
            start = time.perf_counter()
            report = watch.poll(once=True)
            took = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rows.append((name, took, ingest_time[0], report, peak))
            print(f"{name}: {took:.2f} s  {report.line()}", file=sys.stderr, flush=True)
        watch.close()
    server.terminate()

    print(f"\n{args.feeds} feeds x {args.entries} entries on 127.0.0.1, embedder {args.embedder}, "
          f"fetch_concurrency {options.fetch_concurrency}, host delay 0\n")
    print("| poll | s per poll | of which ingest (s) | fetched | 304 | new | duplicates | already stored | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, took, ingest, report, peak in rows:
        c = report.counts
        print(f"| {name} | {took:.2f} | {ingest:.2f} | {report.count('fetched')} | {report.count('unchanged')} | "
              f"{c['new']} | {c['duplicates']} | {c['seen']} | {peak:,.0f} |")
    print(f"\nthe store is left at {db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
