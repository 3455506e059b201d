"""The web app's brief of a stored story, warm: the real `newsdesk serve` over a store; the first
GET /api/stories/ID/brief answers 202 until the background briefer has made the brief (polled every
0.2 s), the next ones find the brief made.
Prints the first answer's time and the median of the warm ones, for the biggest stories.

    PYTHONPATH=src python benchmarks/web_brief.py --db STORE [--stories 5] [--repeats 10]

Target (issue 20): a warm brief under 200 ms. Build a store with benchmarks/web_load.py (--db).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_load import free_port, start_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--stories", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    port = free_port()
    server = start_server(Path(args.db), port)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print("| story | items | first (s) | warm median (ms) | warm max (ms) | page warm median (ms) |")
        print("|---|---|---|---|---|---|")
        stories = httpx.get(base + "/api/stories", timeout=120).json()["stories"][:args.stories]
        with httpx.Client(base_url=base, timeout=600) as http:
            for story in stories:
                path = f"/api/stories/{story['id']}/brief"
                start = time.perf_counter()
                while (status := http.get(path).status_code) == 202:  # pending: the briefer makes it
                    time.sleep(0.2)
                assert status == 200, status
                first = time.perf_counter() - start
                warm, page = [], []
                for _ in range(args.repeats):
                    start = time.perf_counter()
                    assert http.get(path).status_code == 200
                    warm.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    assert http.get(f"/stories/{story['id']}").status_code == 200
                    page.append(time.perf_counter() - start)
                print(f"| {story['id']} | {len(story.get('items', []))} | {first:.2f} | {statistics.median(warm) * 1000:.0f} | "
                      f"{max(warm) * 1000:.0f} | {statistics.median(page) * 1000:.0f} |")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
