"""Throughput and peak memory of ingest + dedup + story clustering, next to raw MiniLM time.

    python benchmarks/throughput.py [--scale 0.1] [--only embed,w1,w2] [--decisions PREFIX] [--embedder minilm-int8] [--reference minilm]
                                    [--head-chars N] [--tokens] [--own]

Workloads (read in place from ../shared/data):
1. real: every news item there: AG News test (7,600; title + description), googlenews-sttm
   (11,108 titles), UCI (999 headlines), PolNeAR train+dev articles and the Multi-News sample
   documents split into paragraphs (about 50,000 items in all).
2. syndicated: the same items, each followed by 1-5 copies (mean 2.2) with light edits: an
   outlet footer, changed punctuation, or the end cut off (about 160,000 items).
   It holds every workload-1 item, so it cannot take less model time than workload 1: the goal
   is that the copies cost next to nothing (none reaches the model).

Each measurement runs in its own child process and reports its wall time and peak memory
(ru_maxrss of that process, input loading included) and CPU time (every thread of the process, input
loading not included: on a shared machine it varies less than the wall time):
- embed: raw MiniLM (newsdesk.embed, ONNX Runtime when prepared) over the clustering text of
  every workload-1 item, nothing else: the reference time.
- w1, w2: end to end through the public API WITH a store: `newsdesk.Store(tmp.db, Options(embedder=...,
  multilingual=False)).ingest(items)` (the reference's model, also for the few items not in English)
  (cleaning, exact / MinHash / semantic duplicates, embedding of what is left, incremental
  story clustering, every chunk committed to SQLite, then the regroup of the open stories (at
  most 48,000 items of them, in blocks of at most 12,000)). For w2 it counts the copies that do not
  end in the same duplicate group as their original (a copy of a dropped original is dropped
  too and points to it), by kind of edit. For w1 it counts the items marked as copies of an item
  with a different normalised text (real items are distinct unless a wire story was sent twice).
`--scale` takes that share of the workload-1 items (a seeded sample) for a quick check.
`--head-chars N` (a study, issue 20): the store embeds the first N characters of each clustering text
(newsdesk.cluster.VECTOR_CHARS, 400 by default; 1000 reads all of it); the reference reads all of it.
`--own`: the store's own work, the model left out: a first ingest (in a process of its own, not
measured) keeps every vector the model gives; the measured one, in a fresh process and a fresh store,
reads them back instead of running the model (the same vectors: the same decisions and stories).
Its CPU is the store's alone, imports and first loads included; the model's load is not counted.
`--tokens`: the MiniLM token counts of the workload-1 clustering texts by source, and the share of
them (the model's time is close to proportional, see below) that a head of 200-600 characters keeps.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))

FOOTERS = [" Read more at dailyherald.example.", " (Reporting by Staff; Editing by Desk)", " - The Associated Press",
           " Copyright 2016 Outlet Media.", " Follow us on Twitter for more.", " This story has been updated."]


def real_items(scale: float = 1.0) -> list:
    from newsdesk.model import Item

    rows: list[dict] = []
    with (DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv").open(encoding="utf-8", newline="") as f:
        for n, (_, title, desc) in enumerate(csv.reader(f)):
            rows.append(dict(text=f"{title.strip()}. {desc.strip()}", url=f"ag:{n}"))
    gn = DATA / "googlenews-sttm" / "dataset" / "GoogleNews.txt"
    rows += [dict(text=t, url=f"gn:{n}") for n, t in enumerate(gn.read_text(encoding="utf-8").splitlines())]
    with (DATA / "uci-news" / "uci-news-aggregator-999.csv").open(encoding="utf-8", newline="") as f:
        rows += [dict(text=r["TITLE"], url=r["URL"], source=r["PUBLISHER"]) for r in csv.DictReader(f)]
    for split in ("train", "dev"):
        for path in sorted((DATA / "polnear" / "data" / split / "text").glob("*.txt")):
            outlet, day, _ = path.name.split("_", 2)
            when = datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
            paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
            rows += [dict(text=p, source=outlet, published=when, url=f"polnear:{path.name}#{i}") for i, p in enumerate(paras)]
    csv.field_size_limit(10**9)
    with (DATA / "multinews-sample" / "multinews-250-test-sample.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            for d, doc in enumerate(ast.literal_eval(r["documents"])):
                paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", doc) if p.strip()]
                rows += [dict(text=p, url=f"multinews:{r['']}/{d}#{i}") for i, p in enumerate(paras)]
    if scale < 1.0:
        rows = random.Random(0).sample(rows, round(len(rows) * scale))
    return [Item(n=n, **r) for n, r in enumerate(rows, 1)]


def _edit(text: str, rng: random.Random) -> tuple[str, str]:
    """An edited copy of `text`, and the kind of edit."""
    kind = rng.randrange(4)
    if kind == 0:
        return text.rstrip() + rng.choice(FOOTERS), "footer"
    if kind == 1:
        return text.replace(", ", "; ").replace("'", "\u2019").rstrip(".!") + rng.choice(["", "!", " ..."]), "punctuation"
    words = text.split()
    if kind == 2 and len(words) >= 30:  # the end cut off
        return " ".join(words[: int(len(words) * rng.uniform(0.85, 0.95))]), "truncated"
    return text.replace(" - ", " \u2014 ").replace('"', "\u201c", 1).strip() + rng.choice(FOOTERS), "dashes+footer"


def syndicated_items(scale: float = 1.0) -> tuple[list, dict[str, str], dict[str, str]]:
    """Originals each followed by 1-5 edited copies; copy id -> original id; copy id -> edit kind."""
    from dataclasses import replace

    rng = random.Random(1)
    out, original, kinds = [], {}, {}
    for it in real_items(scale):
        out.append(replace(it, n=len(out) + 1))
        for c in range(rng.choice([1, 1, 1, 1, 2, 2, 3, 4, 5])):
            text, kind = _edit(it.text, rng)
            copy = replace(it, n=len(out) + 1, id="", text=text, source=f"outlet{c}", url=f"{it.url}#copy{c}")
            out.append(copy)
            original[copy.id] = it.id
            kinds[copy.id] = kind
    return out, original, kinds


# ---------------------------------------------------------------- the children


def _dump_decisions(db, path: str) -> None:
    """Every item's decision (state, reason, original, story), one JSON line each in store order:
    two runs (before and after a change) compare byte for byte."""
    with open(path, "w", encoding="utf-8") as out:
        for row in db.execute("SELECT id, status, reason, duplicate_of, story FROM items ORDER BY n"):
            out.write(json.dumps(row) + "\n")


def tokens(scale: float) -> None:
    """Where workload 1's MiniLM tokens are (a text's model time is close to proportional to its
    tokens at these lengths: 0.30-0.35 ms of CPU per 1,000 tokens from 8 to 256 tokens a text),
    and how many a head of N characters keeps."""
    import numpy as np

    from newsdesk.cluster import cluster_text, vector_text
    from newsdesk.embed import get_embedder

    items = real_items(scale)
    texts = [cluster_text(it) for it in items]
    tokenizer = get_embedder("minilm")._tokenizer

    def counts(texts):
        return np.array([len(e.ids) for e in tokenizer.encode_batch(texts)])

    n = counts(texts)
    source = np.array([(it.url or "").split(":")[0] if (it.url or "").split(":")[0] in ("ag", "gn", "polnear", "multinews")
                       else "uci" for it in items])
    print(f"{len(items):,} items, {n.sum():,} tokens; per text: median {np.median(n):.0f}, 90th percentile "
          f"{np.percentile(n, 90):.0f}, 99th {np.percentile(n, 99):.0f}; {(n >= 128).sum():,} of 128 or more hold "
          f"{n[n >= 128].sum() / n.sum():.1%} of the tokens")
    for name in sorted(set(source)):
        mine = n[source == name]
        print(f"  {name}: {len(mine):,} items, mean {mine.mean():.0f} tokens, {mine.sum() / n.sum():.1%} of the tokens")
    for chars in (200, 300, 400, 600):
        kept = counts([vector_text(t, "minilm", chars) for t in texts]).sum()
        print(f"  heads of {chars} chars: {sum(len(t) > chars for t in texts):,} texts cut, {kept / n.sum():.1%} of the tokens kept")


def _memoise(embedder, memo: dict) -> None:
    """Make `embedder` (the one the store gets: loaded once per process) keep each text's vector
    in `memo` and give it again instead of running the model (--own)."""
    import numpy as np

    encode = embedder.encode

    def remembered(texts):
        texts = list(texts)
        new = [t for t in dict.fromkeys(texts) if t not in memo]
        if new:
            memo.update(zip(new, encode(new)))
        return np.stack([memo[t] for t in texts]) if texts else encode(texts)

    embedder.encode = remembered


def child(what: str, scale: float, decisions: str | None = None, embedder_name: str = "minilm",
          head_chars: int | None = None, own: bool = False, keep: str | None = None) -> dict:
    """One measurement; with `own`, of the store's own work (vectors read back from a first ingest
    made by a child with `keep`, which writes them to that file)."""
    t0 = time.perf_counter()
    if what == "embed":
        from newsdesk.cluster import cluster_text
        from newsdesk.embed import get_embedder

        items = real_items(scale)
        load = time.perf_counter() - t0
        embedder = get_embedder(embedder_name)
        t, cpu = time.perf_counter(), time.process_time()
        embedder.encode([cluster_text(it) for it in items])
        result = dict(items=len(items), seconds=time.perf_counter() - t, cpu=time.process_time() - cpu, load=load,
                      backend=embedder.name)
    else:
        from newsdesk import Options, Store
        from newsdesk.dedup import normalise

        items, original, kinds = syndicated_items(scale) if what == "w2" else (real_items(scale), {}, {})
        if head_chars:
            from clustering import read_heads

            read_heads(head_chars)
        with tempfile.TemporaryDirectory() as tmp:
            memo: dict = {}
            if own or keep:
                import pickle

                from newsdesk.embed import get_embedder

                if own:  # a first ingest, in a process of its own, gives every vector this one needs
                    subprocess.run([sys.executable, __file__, "--child", what, "--scale", str(scale), "--embedder",
                                    embedder_name, "--keep", str(Path(tmp) / "vectors.pkl"),
                                    *(["--head-chars", str(head_chars)] if head_chars else [])], check=True,
                                   stdout=subprocess.DEVNULL)
                    memo = pickle.loads((Path(tmp) / "vectors.pkl").read_bytes())
                _memoise(get_embedder(embedder_name), memo)
            load = time.perf_counter() - t0
            t, cpu = time.perf_counter(), time.process_time()
            # multilingual=False: the store embeds with the model of the reference row; a sample with
            # one item not in English would otherwise put the whole store on the multilingual model
            with Store(Path(tmp) / "bench.db", Options(embedder=embedder_name, multilingual=False)) as store:
                counts = store.ingest(items)
                seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
                if keep:
                    Path(keep).write_bytes(pickle.dumps(memo))
                if decisions:
                    _dump_decisions(store.db, f"{decisions}.{what}.jsonl")
                stories = store.db.execute("SELECT count(*) FROM stories").fetchone()[0]
                backend = store.embedder
                head = dict(store.db.execute("SELECT id, coalesce(duplicate_of, id) FROM items"))
                status = dict(store.db.execute("SELECT id, status FROM items"))
                embedded = store.db.execute("SELECT count(*) FROM items WHERE status = 'used'").fetchone()[0]
                pairs = store.db.execute("SELECT a.text, b.text, a.reason FROM items a JOIN items b "
                                         "ON a.duplicate_of = b.id").fetchall()
        result = dict(items=len(items), seconds=seconds, cpu=cpu, load=load, stories=stories, embedded=embedded,
                      backend=backend, **counts)
        if original:
            lost = [c for c, o in original.items() if head.get(c) != head.get(o)]
            result.update(copies=len(original), copies_not_pointing=len(lost),
                          not_pointing_by_edit={k: sum(kinds[c] == k for c in lost) for k in sorted(set(kinds.values()))},
                          copies_pointing_directly=sum(1 for c, o in original.items() if head.get(c) == o),
                          copies_dropped=sum(1 for c in original if status.get(c) == "dropped"),
                          copies_of_dropped=sum(1 for o in original.values() if status.get(o) == "dropped"))
        else:
            distinct = [why for a, b, why in pairs if normalise(a) != normalise(b)]
            result.update(distinct_marked_copies=len(distinct),
                          distinct_by_rule={k: distinct.count(k) for k in sorted(set(distinct))})
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the workload-1 items (default 1)")
    parser.add_argument("--only", default="embed,w1,w2", help="which measurements (default embed,w1,w2)")
    parser.add_argument("--decisions", metavar="PREFIX",
                        help="write every item's decision to PREFIX.w1.jsonl / PREFIX.w2.jsonl (to compare runs)")
    parser.add_argument("--embedder", default="minilm", help="the store's and the reference's embedder (default minilm)")
    parser.add_argument("--reference", help="the reference's embedder when it is not the store's (issue 20 measures "
                        "the store with minilm-int8 against float32 MiniLM alone: --reference minilm)")
    parser.add_argument("--head-chars", type=int, help="the store embeds the first N characters of each "
                        "clustering text (default newsdesk.cluster.VECTOR_CHARS; the reference reads all of it)")
    parser.add_argument("--tokens", action="store_true", help="only the token counts of workload 1, by source")
    parser.add_argument("--own", action="store_true", help="the store's own work: its vectors read back from a "
                        "first ingest (another process, not measured), the model left out")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--keep", help=argparse.SUPPRESS)  # --own's first ingest: write its vectors here
    args = parser.parse_args()
    if args.tokens:
        tokens(args.scale)
        return
    if args.child:
        print(json.dumps(child(args.child, args.scale, args.decisions, args.embedder, args.head_chars, args.own,
                               args.keep)))
        return
    results = {}
    for what in args.only.split(","):
        embedder = args.reference if what == "embed" and args.reference else args.embedder
        extra = ["--embedder", embedder] + (["--decisions", args.decisions] if args.decisions else []) \
            + (["--head-chars", str(args.head_chars)] if args.head_chars else []) + (["--own"] if args.own else [])
        proc = subprocess.run([sys.executable, __file__, "--child", what, "--scale", str(args.scale), *extra],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr[-2000:], file=sys.stderr)
            raise SystemExit(f"{what} failed")
        results[what] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(what, results[what], file=sys.stderr, flush=True)
    heads = f", the store's embedder reading heads of {args.head_chars} chars" if args.head_chars else ""
    heads += ", the store's own work (its vectors read back from a first ingest, the model's load left out)" \
        if args.own else ""
    reference = f" (the reference: {args.reference})" if args.reference else ""
    print(f"\nscale {args.scale}, {os.cpu_count()} CPUs, embedder {args.embedder}{reference}{heads}\n")
    print("| run | items | embedded by MiniLM | stories | wall s | items/s | peak MB | x embed-only | CPU s | CPU x embed-only |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    base = results.get("embed", {}).get("seconds")
    base_cpu = results.get("embed", {}).get("cpu")
    for what, r in results.items():
        label = {"embed": f"MiniLM only ({r['backend']}), workload 1 items", "w1": f"workload 1: real (store ingest, {r['backend']})",
                 "w2": f"workload 2: syndicated (store ingest, {r['backend']})"}[what]
        ratio = f"{r['seconds'] / base:.2f}" if base else ""
        cpu_ratio = f"{r['cpu'] / base_cpu:.2f}" if base_cpu else ""
        print(f"| {label} | {r['items']:,} | {r.get('embedded', r['items']):,} | {r.get('stories', '')} | "
              f"{r['seconds']:.1f} | {r['items'] / r['seconds']:.0f} | {r['peak_mb']:.0f} | {ratio} | "
              f"{r['cpu']:.1f} | {cpu_ratio} |")
    if "w2" in results:
        r = results["w2"]
        print(f"\nworkload 2: {r['copies']:,} copies; {r['copies_not_pointing']:,} not in their original's duplicate "
              f"group (by edit: {r['not_pointing_by_edit']}); {r['copies_dropped']:,} copies dropped, "
              f"{r['copies_of_dropped']:,} copies of an original that is itself dropped; "
              f"{r['copies_pointing_directly']:,} point directly to the original (otherwise the copy came first in "
              f"ingest order and the original points to it); counts {dict((k, r[k]) for k in ('new', 'duplicates', 'dropped'))}")
    if "w1" in results:
        r = results["w1"]
        print(f"workload 1 counts: {dict((k, r[k]) for k in ('new', 'duplicates', 'dropped'))}; "
              f"{r['distinct_marked_copies']} items marked copies of an item with another normalised text "
              f"(by rule: {r['distinct_by_rule']})")


if __name__ == "__main__":
    main()
