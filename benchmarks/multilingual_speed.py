"""The multilingual path's speed and memory next to the English-only path, in one run.

    python benchmarks/multilingual_speed.py [--n 1000]
    python benchmarks/multilingual_speed.py --cluster   # the clustering stage alone: the split's cost

`--cluster --n 400` (2 shared cores): batch_labels 0.065 s without the split by the members' own
similarity, 0.069 s with it (109 -> 168 stories); embedding the 400 items takes about a minute.

Each row is a fresh process (model loading included) that sorts a pile into stories with
`newsdesk.stories()` (read, clean, dedup, embed, cluster): items/s end to end and the process's
peak RSS. Piles, read in place from ../shared/data:

* English: the first N AG News test items (title + ". " + description), by the English path
  (MiniLM), then the same items forced through the multilingual model (`embedder="multilingual"`);
* other languages: N distinct SemEval-2022 Task 8 articles that are not English (de, es, fr,
  it, pl, ru, tr, ar, zh; text repaired with ftfy; first 1,500 characters), by the multilingual
  path that `newsdesk stories` takes for them.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
AG_NEWS = ROOT.parent / "shared" / "data" / "ag-news" / "data" / "ag_news_csv" / "test.csv"
CHARS = 1500

_CHILD = r"""
import json, resource, sys, time
texts, embedder = json.load(sys.stdin), sys.argv[1]
start = time.perf_counter()
import newsdesk
from newsdesk.options import Options
found = newsdesk.stories(texts, Options(embedder=embedder))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "stories": len(found),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def english(n: int) -> list[str]:
    with AG_NEWS.open(encoding="utf-8", newline="") as f:
        return [f"{title}. {text}" for _, title, text in list(csv.reader(f))[:n]]


def other_languages(n: int) -> list[str]:
    from multilingual import load_pairs

    texts: dict[str, None] = {}
    for p in load_pairs():
        for text, lang in ((p.text1, p.lang1), (p.text2, p.lang2)):
            if lang != "en" and text.strip():
                texts.setdefault(text[:CHARS], None)
    return list(texts)[:n]


def measure(texts: list[str], embedder: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, embedder], input=json.dumps(texts),
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"{embedder}: {done.stderr.strip().splitlines()[-1]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cluster_cost(texts: list[str], repeats: int = 3) -> dict[str, float]:
    """Seconds (best of `repeats`) of the clustering stage alone (newsdesk.cluster.batch_labels)
    on the pile's canonical items, embedded once, with and without the split of stories by their
    members' own similarity (`Options.story_member_similarity`): what the split costs, apart from
    the embedding that dominates the end-to-end figure. Also the stories each way."""
    import time
    from dataclasses import replace

    from newsdesk.cluster import Pile, batch_labels, cluster_text
    from newsdesk.embed import get_embedder, pile_embedder
    from newsdesk.model import Item
    from newsdesk.options import Options
    from newsdesk.prepare import prepare

    options = Options()
    canonical = sorted(prepare([Item(n=n, text=t) for n, t in enumerate(texts, 1)], options).canonical,
                       key=lambda it: (it.id, it.n))
    embedder = pile_embedder((it.language for it in canonical), options)
    cut = [cluster_text(it) for it in canonical]
    vectors = get_embedder(embedder).encode(cut)
    pile = Pile.of(canonical, embedder)
    out: dict[str, float] = {"items": len(canonical)}
    for label, bar in (("without", None), ("with", options.story_member_similarity)):
        chosen = replace(options, story_member_similarity=bar)
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            labels = batch_labels(cut, vectors, chosen, None, pile)[0]
            best = min(best, time.perf_counter() - start)
        out[f"{label} seconds"], out[f"{label} stories"] = best, len(set(labels))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="items per pile (default 1000)")
    parser.add_argument("--cluster", action="store_true",
                        help="only the clustering stage on the other-languages pile, with and "
                             "without story_member_similarity's split (embedded once)")
    args = parser.parse_args()
    if args.cluster:
        r = cluster_cost(other_languages(args.n))
        print("| clustering stage, other languages | items | seconds | stories |")
        print("|---|---|---|---|")
        for label in ("without", "with"):
            print(f"| {label} the members' split | {r['items']:.0f} | {r[label + ' seconds']:.3f} "
                  f"| {r[label + ' stories']:.0f} |")
        return 0
    runs = [("English (AG News), English path: MiniLM", english(args.n), "minilm"),
            ("English (AG News), multilingual model", english(args.n), "multilingual"),
            ("other languages (SemEval), multilingual path", other_languages(args.n), "minilm")]
    print("| pile and path | items | seconds | items/s | stories | peak MB |")
    print("|---|---|---|---|---|---|")
    for label, texts, embedder in runs:
        r = measure(texts, embedder)
        print(f"| {label} | {len(texts)} | {r['seconds']:.1f} | {len(texts) / r['seconds']:.1f} | "
              f"{r['stories']} | {r['peak_mb']:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
