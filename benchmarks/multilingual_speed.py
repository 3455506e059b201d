"""The multilingual path's speed and memory next to the English-only path, in one run.

    python benchmarks/multilingual_speed.py [--n 1000]

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="items per pile (default 1000)")
    args = parser.parse_args()
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
