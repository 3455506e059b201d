"""Speed benchmarks, printed as Markdown tables.

Embeddings: for each backend, in a fresh subprocess (so "cold" means cold): the time to
import newsdesk.embed and load the model, throughput on N AG News items (title + ". " +
description) and on N short titles, and the subprocess's peak RSS.

    python benchmarks/speed.py            # N = 2000
    python benchmarks/speed.py --n 500 --backends minilm-onnx,hashing
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AG_NEWS = ROOT / ".." / "shared" / "data" / "ag-news" / "data" / "ag_news_csv" / "test.csv"
BACKENDS = ["minilm-onnx", "minilm-torch", "multilingual", "hashing"]

_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from newsdesk.embed import get_embedder
t1 = time.perf_counter()
e = get_embedder(sys.argv[1])
t2 = time.perf_counter()
data = json.load(sys.stdin)
first = e.encode(data["items"][:12])  # a cold CLI run: 12 snippets straight after loading
t3 = time.perf_counter()
out = {"backend": e.name, "import_s": t1 - t0, "load_s": t2 - t1, "first12_s": t3 - t2}
for key in ("items", "titles"):
    texts = data[key]
    start = time.perf_counter()
    e.encode(texts)
    out[key + "_per_s"] = len(texts) / (time.perf_counter() - start)
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def load_ag_news(n: int) -> tuple[list[str], list[str]]:
    if not AG_NEWS.is_file():
        sys.exit(f"AG News not found at {AG_NEWS.resolve()}: the benchmark reads ../shared/data")
    with AG_NEWS.open(newline="", encoding="utf-8") as f:
        rows = [row for _, row in zip(range(n), csv.reader(f))]
    items = [f"{title}. {desc}".replace("\\", " ") for _, title, desc in rows]
    titles = [title for _, title, _ in rows]
    return items, titles


def run_backend(name: str, items: list[str], titles: list[str]) -> dict:
    payload = json.dumps({"items": items, "titles": titles})
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, name], input=payload, text=True,
                          capture_output=True, env=env)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return {"backend": name, "error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_s"] = wall
    return result


def embedding_table(n: int, backends: list[str], repeat: int) -> str:
    items, titles = load_ag_news(n)
    if "minilm-onnx" in backends:
        from newsdesk.embed import onnx_ready

        if not onnx_ready():
            print("preparing the ONNX model (once, about 10 s) ...", file=sys.stderr)
            subprocess.run([sys.executable, "-c", "from newsdesk.embed import prepare_onnx; "
                            "prepare_onnx()"], check=True)
    rows = [
        "| backend | import s | load s | import+load+12 items s | items/s (news) | items/s (titles) "
        "| peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in backends:
        runs = [run_backend(name, items, titles) for _ in range(repeat)]
        bad = [r for r in runs if "error" in r]
        if bad:
            rows.append(f"| {name} | error: {bad[0]['error']} | | | | | |")
            continue
        best = {k: (max if k.endswith("_per_s") else min)(r[k] for r in runs)
                for k in runs[0] if k != "backend"}
        cold = best["import_s"] + best["load_s"] + best["first12_s"]
        rows.append(f"| {runs[0]['backend']} | {best['import_s']:.2f} | {best['load_s']:.2f} | "
                    f"{cold:.2f} | {best['items_per_s']:.0f} | {best['titles_per_s']:.0f} | "
                    f"{best['peak_rss_mb']:.0f} |")
    mean_words = sum(len(t.split()) for t in items) / len(items)
    title_words = sum(len(t.split()) for t in titles) / len(titles)
    return (f"Embeddings: {n} AG News items (mean {mean_words:.0f} words) and their titles "
            f"(mean {title_words:.0f} words); best of {repeat} cold subprocess(es), "
            f"{os.cpu_count()} CPU(s)\n\n" + "\n".join(rows))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="items (and titles) to embed")
    parser.add_argument("--backends", default=",".join(BACKENDS),
                        help=f"comma-separated embedders (default: {','.join(BACKENDS)})")
    parser.add_argument("--repeat", type=int, default=1,
                        help="cold subprocesses per backend; the best figures are kept")
    args = parser.parse_args(argv)
    print(embedding_table(args.n, [b for b in args.backends.split(",") if b], args.repeat))


if __name__ == "__main__":
    main()
