"""MiniLM's int8 graph (`--embedder minilm-int8`) against its float32 graph, measured on real news.

    python benchmarks/int8.py [--limit 1000] [--repeat 2] [--no-clustering]

Needs both graphs prepared: `newsdesk setup --int8`. Data read in place from ../shared/data, as
benchmarks/throughput.py reads it: AG News test (title + description), googlenews-sttm titles and
the Multi-News sample's documents split into paragraphs; `--limit` texts of each set (a seeded
sample).

Per set: the cosine between the int8 and the float32 vector of each text (median, minimum, how
many below 0.99; texts without a word are left out), and each graph's texts/s on the same texts
in one process (`encode`, which sorts by length and batches as always; one warm-up call each,
then the best of `--repeat` timed runs, the graphs alternating so that a change in the machine's
load hits both); the speed-up also as CPU time of this process, which the other jobs of a shared
machine move less than the wall clock. Then story clustering with each graph: the store's B-cubed F1 (4 ingests and the
regroup, benchmarks/clustering.py's `run_store`) on the even googlenews lines (where the
thresholds were tuned on float32) and on the odd ones (the hold-out). The load average is
printed with the figures: on a shared machine the speeds move with it.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clustering import bcubed, load, run_store  # noqa: E402
from throughput import real_items  # noqa: E402  (it puts src/ on the path)

GRAPHS = ("minilm-onnx", "minilm-int8")  # float32 (the reference) and int8
SETS = {"ag": "AG News test", "gn": "Google News titles", "multinews": "Multi-News paragraphs"}


def texts_by_set(limit: int) -> dict[str, list[str]]:
    """`limit` texts of each set (a seeded sample), by the prefix of throughput.py's item urls."""
    sets: dict[str, list[str]] = {name: [] for name in SETS}
    for it in real_items():
        prefix = (it.url or "").split(":", 1)[0]
        if prefix in sets and re.search(r"\w", it.text):
            sets[prefix].append(it.text)
    return {name: random.Random(0).sample(texts, min(limit, len(texts))) for name, texts in sets.items()}


def compare(texts: list[str], repeat: int) -> dict:
    """Cosines between the two graphs' vectors of `texts`, and each graph's best texts/s."""
    from newsdesk.embed import get_embedder

    models = [get_embedder(name) for name in GRAPHS]
    for model in models:
        model.encode(texts[:8])  # warm-up: the first run of a session allocates
    best = [float("inf")] * len(models)
    cpu = [float("inf")] * len(models)
    vectors = []
    for _ in range(repeat):
        vectors = []
        for k, model in enumerate(models):
            start, start_cpu = time.perf_counter(), time.process_time()
            vectors.append(model.encode(texts))
            best[k] = min(best[k], time.perf_counter() - start)
            cpu[k] = min(cpu[k], time.process_time() - start_cpu)
    cosines = np.sum(vectors[0] * vectors[1], axis=1)  # rows are unit length
    return {"median": float(np.median(cosines)), "min": float(cosines.min()),
            "below": int(np.sum(cosines < 0.99)), "rates": [len(texts) / s for s in best],
            "cpu_ratio": cpu[0] / cpu[1]}


def store_f1(half: str) -> list[float]:
    """The store's B-cubed F1 on a googlenews half with each graph."""
    texts, gold = load(half)
    return [bcubed(gold, run_store(texts, True, embedder=name))[2] for name in GRAPHS]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=1000, help="texts of each set (default 1000)")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs of each graph per set; the best counts")
    parser.add_argument("--clustering", action=argparse.BooleanOptionalAction, default=True,
                        help="also the store's B-cubed F1 on the googlenews halves with each graph")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    print("| set | texts | cosine median | cosine min | below 0.99 | float32 texts/s | int8 texts/s | int8 speed-up "
          "| int8 speed-up, CPU time |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, texts in texts_by_set(args.limit).items():
        r = compare(texts, args.repeat)
        f32, i8 = r["rates"]
        print(f"| {SETS[name]} | {len(texts):,} | {r['median']:.4f} | {r['min']:.4f} | {r['below']} "
              f"| {f32:.0f} | {i8:.0f} | {i8 / f32:.2f}x | {r['cpu_ratio']:.2f}x |", flush=True)
    if args.clustering:
        print("\n| googlenews half | store B3 F1, float32 | store B3 F1, int8 | int8 - float32 |")
        print("| --- | ---: | ---: | ---: |")
        for half in ("gn-even", "gn-odd"):
            f32, i8 = store_f1(half)
            label = half + (" (tuned on)" if half == "gn-even" else " (hold-out)")
            print(f"| {label} | {f32:.3f} | {i8:.3f} | {i8 - f32:+.3f} |", flush=True)
    after = os.getloadavg()
    print(f"\n{os.cpu_count()} CPUs; load average (1, 5, 15 min) {', '.join(f'{x:.2f}' for x in load_before)} "
          f"before, {', '.join(f'{x:.2f}' for x in after)} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
