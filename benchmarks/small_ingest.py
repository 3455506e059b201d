"""What a small ingest into a big store costs: a few new items must not pay for the whole store.

    python benchmarks/small_ingest.py [--items 10000] [--new 50] [--embedder hashing] [--db FILE]

Builds (or reuses, with --db) a store of `--items` real news items (workload 1 of
benchmarks/throughput.py, a seeded sample), then, in a fresh process on a copy of it, ingests
`--new` items more and reports:
- indexes ready: the time the cheap pass needs before its first item (Store._load_duplicates:
  the near-copy indexes of every stored original rebuilt in memory, or their tables brought up
  to date);
- Store._load: everything an ingest reads before its first item (the embedder chosen and loaded,
  the indexes, the open stories);
- the whole ingest (wall clock, and the CPU time of the process, less swayed by a busy machine),
  and the process's memory (RSS) before and after it, and its peak.
Run it on each version to compare (the store is built by the version measured).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mb() -> float:
    return int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024


def sample(count: int, skip: int = 0) -> list:
    """`count` real items in a seeded order, after the first `skip` of that order."""
    from throughput import real_items

    items = real_items()
    random.Random(11).shuffle(items)
    return items[skip:skip + count]


def build(db: Path, items: int, embedder: str) -> None:
    from newsdesk import Store
    from newsdesk.options import Options

    t = time.perf_counter()
    with Store(db, Options(embedder=embedder)) as store:
        store.ingest(sample(items))
    print(f"built {db}: {items:,} items in {time.perf_counter() - t:.0f} s", file=sys.stderr)


def child(db: str, items: int, new: int, embedder: str) -> dict:
    """One small ingest, timed from inside (the store's methods wrapped)."""
    from newsdesk import store as store_module
    from newsdesk.options import Options

    fresh = sample(new, skip=items)  # items the store does not hold
    timings: dict[str, float] = {}

    def timed(name):
        method = getattr(store_module.Store, name)

        def run(self, *args, **kwargs):
            t = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - t
        setattr(store_module.Store, name, run)

    for name in ("_load", "_load_duplicates"):
        timed(name)
    before = rss_mb()
    t, cpu = time.perf_counter(), cpu_s()
    with store_module.Store(db, Options(embedder=embedder)) as store:
        counts = store.ingest(fresh)
    seconds, cpu = time.perf_counter() - t, cpu_s() - cpu
    return dict(counts=counts, ingest_s=seconds, ingest_cpu_s=cpu, indexes_ready_s=timings["_load_duplicates"],
                load_s=timings["_load"], rss_before_mb=before, rss_after_mb=rss_mb(),
                peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000, help="items in the store (default 10,000)")
    parser.add_argument("--new", type=int, default=50, help="items the small ingest adds (default 50)")
    parser.add_argument("--embedder", default="hashing")
    parser.add_argument("--db", help="the big store: built there when missing, reused otherwise")
    parser.add_argument("--runs", type=int, default=3, help="small ingests measured (each on a fresh copy)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.items, args.new, args.embedder)))
        return
    with tempfile.TemporaryDirectory(prefix="newsdesk-small-") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "big.db"
        if not db.exists():
            build(db, args.items, args.embedder)
        results = []
        for _ in range(args.runs):
            copy = Path(tmp) / "copy.db"
            shutil.copyfile(db, copy)
            proc = subprocess.run([sys.executable, __file__, "--child", str(copy), "--items", str(args.items),
                                   "--new", str(args.new), "--embedder", args.embedder],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                raise SystemExit(proc.stderr[-2000:])
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(results[-1], file=sys.stderr, flush=True)
    print(f"\n{args.new} items into a store of {args.items:,} ({args.embedder}); median of {args.runs} runs\n")
    print("| indexes ready (s) | Store._load (s) | whole ingest (s) | its CPU (s) | RSS before / after (MB) | peak (MB) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")

    def median(key):
        return sorted(r[key] for r in results)[len(results) // 2]
    print(f"| {median('indexes_ready_s'):.2f} | {median('load_s'):.2f} | {median('ingest_s'):.2f} | {median('ingest_cpu_s'):.2f} | "
          f"{median('rss_before_mb'):.0f} / {median('rss_after_mb'):.0f} | {median('peak_mb'):.0f} |")


if __name__ == "__main__":
    main()
