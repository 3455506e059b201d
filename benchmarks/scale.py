"""Does ingest slow down as the store grows? Items/s per segment and peak memory of one store fed
a long stream in ingests of `--chunk` items.

    python benchmarks/scale.py [--items 1000000] [--chunk 50000] [--embedder hashing] [--minutes 15] [--scale 1]

The stream is the workload-1 items of benchmarks/throughput.py (every news item of
../shared/data, about 51,000) replicated: replica 0 is the items as they are, replica r > 0 the
same items with workload 2's light edits (a footer, punctuation, a cut end) and their first two
words swapped (so short headlines of replica 1 miss the cheap pass and reach the model, as news
retold weeks later does; long paragraphs stay MinHash copies; later replicas are copies of replica
1). With `--growing`, replica r swaps words r and r + 1 instead, so that every replica brings
short headlines the cheap pass has not seen and the store's canonical items keep growing. Replica r is dated 40 days after replica r - 1
(more than `story_window_days`), its items spread over 20 days in stream order, so that stories
close as time moves on, as in a store fed day after day.

`--embedder hashing` (no model: the run measures the store, not MiniLM) is what a long run on a
small machine can afford; MiniLM adds its own constant cost per embedded item. The run stops
after `--items` items or after the ingest that passes `--minutes`. Peak memory is ru_maxrss of
the process (the input stream is generated lazily; the base items stay in memory). `--scale`
samples the base items (as throughput.py does), so that a short run spans several replicas.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import _edit, real_items  # noqa: E402  (benchmarks/ is not a package)

START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def _reworded(text: str, rng: random.Random, at: int = 0) -> str:
    """A light edit (throughput._edit) with two words swapped (the first two: `at` 0)."""
    words = _edit(text, rng)[0].split()
    if len(words) >= 2:
        p = at % (len(words) - 1)
        words[p], words[p + 1] = words[p + 1], words[p]
    return " ".join(words)


def stream(base: list, growing: bool = False) -> Iterator:
    """The base items replicated forever (see the module doc), in time order; `growing`: each
    replica swaps another pair of words, so that its short headlines are new to the cheap pass."""
    rng = random.Random(2)
    for r in itertools.count():
        for i, it in enumerate(base):
            when = START + timedelta(days=40 * r + 20 * i / len(base))
            text = it.text if r == 0 else _reworded(it.text, rng, r - 1 if growing else 0)
            yield replace(it, id="", text=text, url=f"{it.url}#r{r}", published=when)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000, help="items in all (default 1,000,000)")
    parser.add_argument("--chunk", type=int, default=50_000, help="items per ingest (default 50,000)")
    parser.add_argument("--embedder", default="hashing", help="embedder of the store (default hashing)")
    parser.add_argument("--minutes", type=float, default=15.0, help="stop after the ingest that passes this")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="share of the workload-1 items in each replica (a seeded sample; default 1)")
    parser.add_argument("--growing", action="store_true",
                        help="each replica swaps another pair of words (short headlines are new to the cheap pass)")
    parser.add_argument("--db", help="store file (default: a temporary one)")
    args = parser.parse_args()

    from newsdesk import Store
    from newsdesk.options import Options

    base = real_items(args.scale)
    items = stream(base, args.growing)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or str(Path(tmp) / "scale.db")
        began = time.perf_counter()
        done = 0
        with Store(path, Options(embedder=args.embedder)) as store:
            while done < args.items and time.perf_counter() - began < args.minutes * 60:
                batch = list(itertools.islice(items, min(args.chunk, args.items - done)))
                t = time.perf_counter()
                counts = store.ingest(batch)
                seconds = time.perf_counter() - t
                done += len(batch)
                canonical = store.db.execute("SELECT count(*) FROM items WHERE status = 'used'").fetchone()[0]
                stories = store.db.execute("SELECT count(*), sum(open) FROM stories").fetchone()
                rows.append((done, len(batch) / seconds, seconds, canonical, stories[0], stories[1], peak_mb(),
                             counts))
                print(f"{done:,} items: {len(batch) / seconds:.0f} items/s in this ingest ({seconds:.0f} s), "
                      f"{canonical:,} canonical, {stories[0]:,} stories ({stories[1]:,} open), "
                      f"peak {peak_mb():.0f} MB, {counts}", file=sys.stderr, flush=True)
    print(f"\nembedder {args.embedder}, ingests of {args.chunk:,} items, {len(base):,} base items"
          f"{', growing' if args.growing else ''}\n")
    print("| items stored | items/s (this ingest) | vs first | canonical | stories (open) | peak MB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    first = rows[0][1] if rows else 1.0
    for done, rate, _, canonical, stories, open_, peak, _ in rows:
        print(f"| {done:,} | {rate:.0f} | {rate / first:.2f} | {canonical:,} | {stories:,} ({open_:,}) | {peak:.0f} |")


if __name__ == "__main__":
    main()
