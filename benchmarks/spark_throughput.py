"""Throughput and peak memory of `newsdesk spark run` at local[1] and local[2], next to the
single-process store on the same items in the same run; and, with --quality, the stories'
B-cubed F1 of the Spark job next to `newsdesk stories`.

    python benchmarks/spark_throughput.py [--scale 0.05] [--only store,local1,local2] [--files 8]
                                          [--block-size N] [--quality]

Workload: the syndicated workload of benchmarks/throughput.py (every news item of ../shared/data,
each followed by 1-5 lightly edited copies: about 166,000 items at --scale 1), written once as
JSON Lines files (--files of them, so that reading spreads over tasks) before anything is timed.
Each measurement runs in its own child process:

- store: `Store(tmp.db).ingest(read(files))`: reading, verdicts, copies, embeddings, stories;
- local[N]: `newsdesk.spark.run(files, out, master="local[N]", tables=("items", "stories"))`, the
  same stages with the items and stories tables written as Parquet (claims and briefs are not
  made: the store does not make them either). Its wall time includes starting Spark (the JVM and
  the Python workers); items/s is also given without it.

Spark jobs: how many jobs the run started (Spark's status tracker).

Memory: the peak resident memory (VmHWM, sampled from /proc every 0.2 s) of the driver's Python
process, of the JVM (in local mode the driver and the executor are that one JVM) and of the
Python workers (the largest one, and the largest sum of those alive at once). The driver holds
no items: run two scales and compare its peak.

--quality: B-cubed F1 of the stories of googlenews-sttm (11,108 titles) and UCI (999) from
`newsdesk spark run` (local[2]; default options, and --block-size when given) and from
`newsdesk stories` (newsdesk.cluster.group), with `min_item_words=1` as benchmarks/clustering.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def write_workload(folder: Path, scale: float, files: int) -> list[str]:
    from throughput import syndicated_items

    items, _, _ = syndicated_items(scale)
    paths = [folder / f"part-{k:03d}.jsonl" for k in range(files)]
    handles = [p.open("w", encoding="utf-8") for p in paths]
    per = -(-len(items) // files)
    for i, it in enumerate(items):
        handles[i // per].write(json.dumps({"text": it.text, "url": it.url, "source": it.source,
                                            "published": it.published.isoformat() if it.published else None}) + "\n")
    for h in handles:
        h.close()
    return [str(p) for p in paths]


# ---------------------------------------------------------------- memory of a process tree


class Peaks(threading.Thread):
    """Samples the peak resident memory of this process's descendants: the JVM and the Python
    workers it starts (each process's VmHWM, its own high-water mark)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.hwm: dict[int, tuple[str, int]] = {}
        self.worker_sum = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(0.2):
            self.sample()

    def sample(self):
        alive = 0
        for pid in _descendants(os.getpid()):
            status = _status(pid)
            if not status:
                continue
            kind = _kind(pid)
            self.hwm[pid] = (kind, max(status.get("VmHWM", 0), self.hwm.get(pid, ("", 0))[1]))
            if kind == "worker":
                alive += status.get("VmRSS", 0)
        self.worker_sum = max(self.worker_sum, alive)

    def report(self) -> dict:
        self.sample()
        by = {"jvm": 0, "worker": 0}
        for kind, kb in self.hwm.values():
            if kind in by:
                by[kind] = max(by[kind], kb)
        return {"driver_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "jvm_mb": by["jvm"] / 1024,
                "worker_mb": by["worker"] / 1024, "workers_sum_mb": self.worker_sum / 1024}


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found.append(child)
            todo.append(child)
    return found


def _status(pid: int) -> dict[str, int]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {k: int(v.split()[0]) for k, v in (ln.split(":", 1) for ln in lines) if k in ("VmHWM", "VmRSS")}


def _kind(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "?"
    if "java" in cmd.split(" ")[0]:
        return "jvm"
    return "worker" if "pyspark" in cmd or "python" in cmd else "?"


# ---------------------------------------------------------------- the children


def child(what: str, files: list[str], block_size: int | None) -> dict:
    from newsdesk.options import Options

    options = Options() if block_size is None else Options(story_block_size=block_size)
    if what == "store":
        from newsdesk import Store, read

        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            with Store(Path(tmp) / "bench.db", options) as store:
                counts = store.ingest(read(*files, options=options))
                stories = store.db.execute("SELECT count(*) FROM stories").fetchone()[0]
            seconds = time.perf_counter() - t
        items = sum(counts[k] for k in ("new", "duplicates", "dropped"))
        return dict(items=items, seconds=seconds, start=0.0, stories=stories, driver_mb=_self_mb(), jvm_mb=0.0,
                    worker_mb=0.0, workers_sum_mb=0.0, used=counts["new"], jobs=0)
    from newsdesk.spark import run
    from newsdesk.spark.session import session

    master = {"local1": "local[1]", "local2": "local[2]"}[what]
    peaks = Peaks()
    peaks.start()
    t = time.perf_counter()
    spark = session(master, conf={"spark.ui.enabled": "false", "spark.driver.memory": "3g"})
    spark.range(1).count()
    start = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        summary = run(files, str(Path(tmp) / "out"), options, spark=spark, tables=("items", "stories"))
    seconds = time.perf_counter() - t
    # the run's Spark jobs (the warm-up count above is one): each costs a scheduling round and
    # a plan, the fixed cost that dominates small inputs
    jobs = len(spark.sparkContext.statusTracker().getJobIdsForGroup()) - 1
    memory = peaks.report()
    peaks.stop.set()
    spark.stop()
    return dict(items=summary.records, seconds=seconds, start=start, stories=summary.stories, used=summary.used, jobs=jobs,
                **memory)


def _self_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quality(block_size: int | None) -> list[tuple]:
    from clustering import GN, UCI, load, score

    from newsdesk.cluster import group
    from newsdesk.ingest import read
    from newsdesk.options import Options
    from newsdesk.spark import run
    from newsdesk.spark.session import session

    spark = session("local[2]", conf={"spark.ui.enabled": "false", "spark.driver.memory": "3g"})
    rows = []
    for name, path in (("gn", GN / "GoogleNews.txt"), ("uci", UCI)):
        _, gold = load(name)
        settings = [("newsdesk stories", None), ("spark run, defaults", Options(min_item_words=1))]
        if block_size:
            settings.append((f"spark run, story_block_size={block_size}", Options(min_item_words=1, story_block_size=block_size)))
        for label, options in settings:
            t = time.perf_counter()
            if options is None:
                found = group(read([str(path)], Options(min_item_words=1)), Options(min_item_words=1)).stories
                stories = [{"items": s.items} for s in found]
            else:
                with tempfile.TemporaryDirectory() as tmp:
                    run([str(path)], tmp + "/out", options, spark=spark, tables=("items", "stories"))
                    stories = [r.asDict() for r in spark.read.parquet(tmp + "/out/stories").select("items").collect()]
            label_of = {n: k for k, s in enumerate(stories) for n in s["items"]}
            s = score(gold, [label_of.get(n, f"d{n}") for n in range(1, len(gold) + 1)])
            rows.append((name, label, s["F1"], len(stories), time.perf_counter() - t))
            print(rows[-1], file=sys.stderr, flush=True)
    spark.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the workload-1 items (default 1)")
    parser.add_argument("--only", default="store,local1,local2", help="which runs (default store,local1,local2)")
    parser.add_argument("--files", type=int, default=8, help="JSON Lines files the workload is written to (default 8)")
    parser.add_argument("--block-size", type=int, help="story_block_size for the Spark runs (default: the option's)")
    parser.add_argument("--quality", action="store_true", help="B-cubed F1 of the stories instead of throughput")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--inputs", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, json.loads(args.inputs), args.block_size)))
        return
    if args.quality:
        rows = quality(args.block_size)
        print("| set | run | B-cubed F1 | stories | wall s |\n| --- | --- | ---: | ---: | ---: |")
        for name, label, f1, count, seconds in rows:
            print(f"| {name} | {label} | {f1:.3f} | {count} | {seconds:.0f} |")
        return
    with tempfile.TemporaryDirectory() as folder:
        files = write_workload(Path(folder), args.scale, args.files)
        results = {}
        for what in args.only.split(","):
            command = [sys.executable, __file__, "--child", what, "--inputs", json.dumps(files)]
            if args.block_size:
                command += ["--block-size", str(args.block_size)]
            proc = subprocess.run(command, capture_output=True, text=True)
            if proc.returncode != 0:
                print(proc.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"{what} failed")
            results[what] = json.loads(proc.stdout.strip().splitlines()[-1])
            print(what, results[what], file=sys.stderr, flush=True)
    print(f"\nscale {args.scale}, {os.cpu_count()} CPUs, block size {args.block_size or 'default'}\n")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print("| run | items | stories | Spark jobs | wall s | items/s | items/s after start | x store | driver MB | JVM MB "
          "| worker MB (largest / all at once) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    store = results.get("store")
    for what, r in results.items():
        rate = r["items"] / r["seconds"]
        after = r["items"] / max(1e-9, r["seconds"] - r["start"])
        ratio = f"{rate / (store['items'] / store['seconds']):.2f}" if store else ""
        label = {"store": "store (one process)", "local1": "spark local[1]", "local2": "spark local[2]"}[what]
        jobs = f"{r['jobs']}" if what != "store" else "-"
        print(f"| {label} | {r['items']:,} | {r['stories']:,} | {jobs} | {r['seconds']:.0f} | {rate:.0f} | {after:.0f} | {ratio} | "
              f"{r['driver_mb']:.0f} | {r['jvm_mb']:.0f} | {r['worker_mb']:.0f} / {r['workers_sum_mb']:.0f} |")
    if "local1" in results and "local2" in results:
        print(f"\nlocal[2] / local[1]: {results['local1']['seconds'] / results['local2']['seconds']:.2f}x")


if __name__ == "__main__":
    main()
