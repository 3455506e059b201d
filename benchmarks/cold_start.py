"""Cold-start times: `newsdesk --help` and `newsdesk brief` of the seed pile, each a fresh process
(the OS file cache warm, as on a second run), repeated; prints the median and spread of the wall
time and of the CPU time (user + system, less disturbed by other work on a shared machine),
with the load average before and after.

    PYTHONPATH=src python benchmarks/cold_start.py [--repeats 7]

Targets (issue 20): --help under 0.3 s, a cold brief of the seed under 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "data" / "kursk-snippets.txt"
# As a user runs it: bytecode caches written by the first run and read by the next ones (a
# shell with PYTHONDONTWRITEBYTECODE set would compile every newsdesk module on every start).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _once(args: list[str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one fresh `python -m newsdesk ARGS`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "newsdesk", *args], capture_output=True, env=_ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"newsdesk {' '.join(args)} failed: {done.stderr.decode()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(args: list[str], repeats: int) -> dict:
    _once(args)  # fills the OS file cache and the bytecode caches
    runs = [_once(args) for _ in range(repeats)]
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    return {"wall_median": statistics.median(walls), "wall_min": min(walls), "wall_max": max(walls),
            "cpu_median": statistics.median(cpus)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    if not SEED.is_file():
        raise SystemExit(f"seed pile not found: {SEED}")
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores; "
          f"{args.repeats} runs each")
    print(f"{'command':<28} {'wall median':>12} {'min':>7} {'max':>7} {'cpu median':>11}")
    for name, command in (("newsdesk --help", ["--help"]), ("newsdesk brief <seed>", ["brief", str(SEED)])):
        r = measure(command, args.repeats)
        print(f"{name:<28} {r['wall_median']:>11.2f}s {r['wall_min']:>6.2f}s {r['wall_max']:>6.2f}s "
              f"{r['cpu_median']:>10.2f}s")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
