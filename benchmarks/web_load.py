"""The web app under a bounded load on loopback: 100 concurrent clients for 60 s over the story
list, story pages, search and the API, while items are ingested through the API at the same
time. Reports requests, errors (any answer but 2xx/3xx, and dropped connections) and latency
percentiles per kind of request, how many story lists were the previous one saying it is
being updated, and the server's peak memory.

    python benchmarks/web_load.py [--items 10000] [--clients 100] [--seconds 60] [--embedder hashing]
                                  [--db FILE]   # reuse a store built by an earlier run
    python benchmarks/web_load.py --stream-mb 100 [--embedder hashing]

The store is built from the real data in ../shared/data (AG News, UCI, Google News titles) unless
--db names one. The server is the real `newsdesk serve` in its own process. The server's peak
memory is its own; its child processes (briefs and claims; ingests and regroups) are listed
beside it.

--stream-mb N instead streams N MB of news items through one Store.ingest (as `newsdesk read
--db` does) into a fresh store and prints this process's memory (RSS) each time the ingest asks
for its next batch (--stream-batch items; newsdesk.store.INGEST_BATCH, 50,000, by default): flat
when the ingest streams. The items are distinct pairs of the real texts above (seeded), published
ten minutes apart, so that stories close as the stream moves on (after 30 days:
4,320 items).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
TOKEN = "load-test"
SETTLED = 10.0  # seconds into the load after which requests are also reported apart


def build_store(path: Path, count: int, embedder: str) -> None:
    from newsdesk.model import Item
    from newsdesk.options import Options
    from newsdesk.store import Store

    texts = real_texts()
    items = [Item(n=n, text=t, origin=f"load:{n}") for n, t in enumerate(texts[:count], 1)]
    start = time.perf_counter()
    with Store(path, Options(embedder=embedder)) as store:
        counts = store.ingest(items)
    print(f"store: {count} items ingested in {time.perf_counter() - start:.0f} s: {counts}", file=sys.stderr)


def real_texts() -> list[str]:
    texts = []
    with (DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv").open(encoding="utf-8", newline="") as f:
        texts += [f"{title}. {text}" for _, title, text in csv.reader(f)]
    with (DATA / "uci-news" / "uci-news-aggregator-999.csv").open(encoding="utf-8", newline="") as f:
        texts += [r["TITLE"] for r in csv.DictReader(f)]
    texts += (DATA / "googlenews-sttm" / "dataset" / "GoogleNews.txt").read_text(encoding="utf-8").splitlines()
    return texts


def rss_mb() -> float:
    return int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024


def stream(megabytes: float, embedder: str, batch: int | None) -> None:
    """One streamed ingest of `megabytes` of items into a fresh store, with the memory each time
    the ingest asks for its next batch (`batch` items: newsdesk.store.INGEST_BATCH unless given)."""
    from datetime import datetime, timedelta, timezone

    import newsdesk.store
    from newsdesk.model import Item
    from newsdesk.options import Options
    from newsdesk.store import Store

    if batch:
        newsdesk.store.INGEST_BATCH = batch
    size = newsdesk.store.INGEST_BATCH
    texts, rng, limit = real_texts(), random.Random(7), megabytes * 1024 * 1024
    fed, start = 0, time.perf_counter()
    print(f"batches of {size} items\n| fed (MB) | items | RSS (MB) | peak RSS so far (MB) | seconds |\n|---|---|---|---|---|")

    def items():
        nonlocal fed
        n, first = 0, datetime(2020, 1, 1, tzinfo=timezone.utc)
        while fed < limit:
            if n and n % size == 0:  # the ingest has added the batch before and asks for the next
                print(f"| {fed / 2**20:.1f} | {n} | {rss_mb():.0f} | {peak_rss_mb(os.getpid()):.0f} | "
                      f"{time.perf_counter() - start:.0f} |", flush=True)
            n += 1
            text = f"{rng.choice(texts)} {rng.choice(texts)} (dispatch {n})"
            fed += len(text.encode("utf-8"))
            yield Item(n=n, text=text, origin=f"stream:{n}", published=first + timedelta(minutes=10 * n))

    db = Path(tempfile.mkdtemp(prefix="newsdesk-stream-")) / "stream.db"
    with Store(db, Options(embedder=embedder)) as store:
        counts = store.ingest(items())
    print(f"\n{counts}; peak RSS {peak_rss_mb(os.getpid()):.0f} MB; {time.perf_counter() - start:.0f} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "newsdesk", "serve", "--db", str(db), "--port", str(port),
                             "--token", TOKEN], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=30).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start: " + proc.stdout.read().decode()[-2000:])


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The processes started by `pid` (the server's workers for briefs and ingests)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


async def client(base: str, stories: list[str], words: list[str], until: float, results, updating: list,
                 rng: random.Random):
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while time.time() < until:
            roll = rng.random()
            if roll < 0.35:
                kind, path = "story list", "/"
            elif roll < 0.65:
                kind, path = "story page", f"/stories/{rng.choice(stories)}"
            elif roll < 0.85:
                kind, path = "search", f"/search?q={rng.choice(words)}"
            else:
                kind, path = "API brief", f"/api/stories/{rng.choice(stories)}/brief"
            start = time.perf_counter()
            try:
                response = await http.get(path)
                status = response.status_code
                if kind == "story list" and b'class="updating"' in response.content:
                    updating.append(kind)  # the previous list, saying it is being updated
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            results[kind].append((time.perf_counter() - start, status, start))


async def ingester(base: str, until: float, results) -> None:
    """New items through the API while the clients read: 50 at a time."""
    batch = 0
    async with httpx.AsyncClient(base_url=base, timeout=120, headers={"X-Newsdesk-Token": TOKEN}) as http:
        while time.time() < until:
            items = [f"Load test dispatch {batch}-{k}: port workers in city {k % 17} vote on strike action, "
                     f"the union said on day {batch}." for k in range(50)]
            start = time.perf_counter()
            try:
                status = (await http.post("/api/ingest", json={"items": items})).status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            results["ingest (50 items)"].append((time.perf_counter() - start, status, start))
            batch += 1
            await asyncio.sleep(1.0)


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def load(base: str, clients: int, seconds: float, seed: int = 1):
    stories = [s["id"] for s in httpx.get(base + "/api/stories", timeout=120).json()["stories"][:300]]
    words = ["strike", "oil", "election", "kursk", "apple", "court", "market", "rain", "bank", "game"]
    results: defaultdict = defaultdict(list)
    updating: list = []
    until = time.time() + seconds
    rng = random.Random(seed)
    tasks = [client(base, stories, words, until, results, updating, random.Random(rng.random())) for _ in range(clients)]
    await asyncio.gather(ingester(base, until, results), *tasks)
    return results, len(updating)


def report(results, updating: int, seconds: float, rss: float, child_rss: list[float]) -> None:
    print("| request | count | errors | p50 (s) | p95 (s) | p99 (s) |")
    print("|---|---|---|---|---|---|")
    everything = []
    for kind, rows in sorted(results.items()):
        times = [t for t, *_ in rows]
        errors = Counter(s for _, s, *_ in rows if not (isinstance(s, int) and s < 400))
        everything += rows
        print(f"| {kind} | {len(rows)} | {sum(errors.values())} {dict(errors) if errors else ''} | "
              f"{percentile(times, 50):.3f} | {percentile(times, 95):.3f} | {percentile(times, 99):.3f} |")
    times = [t for t, *_ in everything]
    errors = sum(1 for _, s, *_ in everything if not (isinstance(s, int) and s < 400))
    print(f"| all | {len(everything)} | {errors} | {percentile(times, 50):.3f} | {percentile(times, 95):.3f} | "
          f"{percentile(times, 99):.3f} |")
    kids = f" (its {len(child_rss)} child processes: {' + '.join(f'{m:.0f}' for m in child_rss)} MB)" if child_rss else ""
    print(f"\n{len(everything) / seconds:.1f} requests/s; server peak memory {rss:.0f} MB{kids}")
    print(f"story list: {updating} of {len(results['story list'])} answers were the previous list saying it "
          "is being updated")
    first = min(start for rows in results.values() for *_, start in rows)
    settled = {kind: [t for t, _, start in rows if start - first >= SETTLED] for kind, rows in sorted(results.items())}
    print(f"p99 of the requests begun after the first {SETTLED:.0f} s (the start stalls every kind): " + ", ".join(
        f"{kind} {percentile(times, 99):.3f}" for kind, times in settled.items() if len(times) > 1))


def write_raw(path: Path, results) -> None:
    """Every request of the load: when it began (seconds after the first), its latency and status."""
    first = min(start for rows in results.values() for _, _, start in rows)
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["kind", "began", "seconds", "status"])
        for kind, rows in results.items():
            out.writerows([kind, f"{start - first:.3f}", f"{t:.4f}", status] for t, status, start in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--embedder", default="minilm")
    parser.add_argument("--db", help="a store to reuse (built there when it does not exist)")
    parser.add_argument("--warmup", type=float, default=0,
                        help="seconds the server runs idle before the load (its briefer briefs stories meanwhile)")
    parser.add_argument("--raw", help="also write every request (kind, seconds into the load, latency, status) "
                        "to this CSV file")
    parser.add_argument("--stream-mb", type=float, help="instead: memory over one streamed ingest of this many MB")
    parser.add_argument("--stream-batch", type=int, help="items the streamed ingest adds at a time "
                        "(default: newsdesk.store.INGEST_BATCH, 50,000)")
    args = parser.parse_args()
    if args.stream_mb:
        return stream(args.stream_mb, args.embedder, args.stream_batch)
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="newsdesk-load-")) / "load.db"
    if not db.exists():
        build_store(db, args.items, args.embedder)
    port = free_port()
    server = start_server(db, port)
    try:
        time.sleep(args.warmup)
        cpu = cpu_seconds(server.pid)
        results, updating = asyncio.run(load(f"http://127.0.0.1:{port}", args.clients, args.seconds))
        if args.raw:
            write_raw(Path(args.raw), results)
        report(results, updating, args.seconds, peak_rss_mb(server.pid), [peak_rss_mb(c) for c in children(server.pid)])
        print(f"server CPU during the load: {cpu_seconds(server.pid) - cpu:.1f} s; load average "
              f"{os.getloadavg()[0]:.1f}")
    finally:
        server.kill()  # a clean stop would wait for the requests still queued
        server.wait()


if __name__ == "__main__":
    main()
