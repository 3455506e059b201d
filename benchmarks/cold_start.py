"""Cold-start times: `newsdesk --help` and `newsdesk brief` of the seed pile, each a fresh process
(the OS file cache warm, as on a second run), repeated; prints the median and spread of the wall
time and of the CPU time (user + system, of the process and of any child it waited for; less
disturbed by other work on a shared machine), with the load average before and after.

    PYTHONPATH=src python benchmarks/cold_start.py [--repeats 7] [--before OTHER/src]

With --before, the newsdesk package under OTHER/src (another tree, for example main's exported
with `git archive HEAD | tar -x -C /tmp/before`) runs too, in turn with this tree's run by run,
so that both see the same load.

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


def _once(args: list[str], src: Path) -> tuple[float, float]:
    """(wall, cpu) seconds of one fresh `python -m newsdesk ARGS` with newsdesk from `src`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "newsdesk", *args], capture_output=True,
                          env=dict(_ENV, PYTHONPATH=str(src)))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"newsdesk {' '.join(args)} failed: {done.stderr.decode()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(args: list[str], trees: dict[str, Path], repeats: int) -> dict[str, dict]:
    """Each tree's figures, its runs interleaved with the other trees' run by run."""
    for src in trees.values():
        _once(args, src)  # fills the OS file cache and the bytecode caches
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for _ in range(repeats):
        for name, src in trees.items():
            runs[name].append(_once(args, src))
    out = {}
    for name, pairs in runs.items():
        walls, cpus = [w for w, _ in pairs], [c for _, c in pairs]
        out[name] = {"wall_median": statistics.median(walls), "wall_min": min(walls), "wall_max": max(walls),
                     "cpu_median": statistics.median(cpus)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--before", type=Path, metavar="OTHER/src",
                        help="another tree's src folder, run in turn with this one")
    args = parser.parse_args()
    if not SEED.is_file():
        raise SystemExit(f"seed pile not found: {SEED}")
    trees = {"this tree": ROOT / "src"}
    if args.before:
        if not (args.before / "newsdesk" / "__init__.py").is_file():
            raise SystemExit(f"no newsdesk package under {args.before}")
        trees = {"before": args.before.resolve(), "after": ROOT / "src"}
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores; "
          f"{args.repeats} runs each")
    print(f"{'command':<28} {'tree':<10} {'wall median':>12} {'min':>7} {'max':>7} {'cpu median':>11}")
    for name, command in (("newsdesk --help", ["--help"]), ("newsdesk brief <seed>", ["brief", str(SEED)])):
        for tree, r in measure(command, trees, args.repeats).items():
            print(f"{name:<28} {tree:<10} {r['wall_median']:>11.2f}s {r['wall_min']:>6.2f}s "
                  f"{r['wall_max']:>6.2f}s {r['cpu_median']:>10.2f}s")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
