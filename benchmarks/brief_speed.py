"""Speed and memory of `newsdesk brief`: cold CLI start on the seed, warm brief() on 12 items,
and reading a large input (streaming, bounded memory).

    python benchmarks/brief_speed.py [--runs 3] [--large-mb 50]

Prints a table of figures; asserts nothing (figures go in the issue notes, not in tests).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEED = DATA / "kursk-snippets.txt"


def cold_cli(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "newsdesk", "brief", str(SEED)], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def warm_brief(runs: int) -> tuple[float, list[float]]:
    import newsdesk

    items = list(newsdesk.read(SEED))
    start = time.perf_counter()
    newsdesk.brief(items)  # loads the models
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        newsdesk.brief(items)
        times.append(time.perf_counter() - start)
    return first, times


def large_read(megabytes: int) -> tuple[float, int, float]:
    """Read a large text file item by item; report time, items and peak memory of a child."""
    ag = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"
    lines = [line.split('","', 2)[-1].rstrip('"\n') for line in ag.open(encoding="utf-8")]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        size = 0
        while size < megabytes * 1_000_000:
            for line in lines:
                f.write(line + "\n")
                size += len(line) + 1
        path = f.name
    code = (
        "import newsdesk, resource, sys, time\n"
        "t = time.perf_counter(); n = sum(1 for _ in newsdesk.read(sys.argv[1]))\n"
        "print(time.perf_counter() - t, n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, path], check=True, capture_output=True, text=True).stdout
    os.unlink(path)
    seconds, count, peak = out.split()
    return float(seconds), int(count), float(peak)


def large_brief(count: int) -> tuple[float, float]:
    """brief() of `count` AG News items as one pile, in a child: seconds and peak MiB."""
    code = (
        "import csv, newsdesk, resource, sys, time\n"
        "rows = [r for _, r in zip(range(int(sys.argv[2])), csv.reader(open(sys.argv[1], encoding='utf-8')))]\n"
        "items = [f'{t}. {d}' for _, t, d in rows]\n"
        "t = time.perf_counter(); newsdesk.brief(items)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    ag = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"
    out = subprocess.run([sys.executable, "-c", code, str(ag), str(count)], check=True, capture_output=True, text=True).stdout
    seconds, peak = out.split()
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-mb", type=int, default=50)
    parser.add_argument("--brief-items", type=int, default=2000)
    args = parser.parse_args()
    if not SEED.exists():
        sys.exit(f"evaluation data not found: {SEED}")
    # The large read runs first: a child started after the models load would inherit their RSS peak.
    seconds, count, peak = large_read(args.large_mb)
    brief_seconds, brief_peak = large_brief(args.brief_items)
    cold = cold_cli(args.runs)
    first, warm = warm_brief(args.runs * 3)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| measure | figure |")
    print("| --- | --- |")
    print(f"| cold `newsdesk brief` on the 12 Kursk snippets (median of {args.runs}) | {statistics.median(cold):.2f} s |")
    print(f"| first brief() in a process, models loading included | {first:.2f} s |")
    print(f"| warm brief() on 12 items (median of {len(warm)}) | {statistics.median(warm) * 1000:.0f} ms |")
    print(f"| peak memory of the warm process | {rss:.0f} MiB |")
    print(f"| brief() of {args.brief_items:,} AG News items as one pile | {brief_seconds:.1f} s, peak {brief_peak:.0f} MiB |")
    print(f"| read {args.large_mb} MB of one-item-per-line text | {count:,} items in {seconds:.1f} s, peak {peak:.0f} MiB |")


if __name__ == "__main__":
    main()
