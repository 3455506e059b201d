"""The cheap stages on the cluster, with the functions of newsdesk.prepare and newsdesk.dedup:
verdicts (:func:`newsdesk.prepare.judged`) in partitions, then exact and near copies by the
same rules as :func:`newsdesk.prepare.text_duplicates`, so that every item gets the canonical
item and the depth that `newsdesk stories` gives it:

1. the same record twice (same id): the later ones are copies of the first;
2. among the first of each id, the same core text (a key), a prefix copy (the keys of
   :func:`newsdesk.dedup.prefix_keys`, confirmed by :func:`~newsdesk.dedup.is_prefix_copy`) or
   a MinHash near copy: the signatures of :func:`~newsdesk.dedup.minhash`, banded as the
   laptop's LSH index bands them (:func:`~newsdesk.dedup.lsh_bands`), items sharing a band
   proposed as pairs and confirmed with the exact shingle score (:func:`~newsdesk.dedup.near_score`);
3. the groups: connected components (newsdesk.spark.graph), each named by its smallest item
   number; a copy of a copy names the group's item.

Items with the same core text share every other key, so prefix and near copies are looked for
among one item per core text only: the groups are the same, for far fewer pairs."""

from __future__ import annotations

import functools
import hashlib

import pyarrow as pa

from ..options import Options
from . import rows as R
from .graph import components

KEYS = R.schema(pa.field("n", pa.int64(), False), pa.field("exact", pa.string()), pa.field("whole", pa.string()),
                pa.field("cuts", pa.list_(pa.string())), pa.field("head", pa.string()),
                pa.field("bands", pa.list_(pa.string())), pa.field("core", pa.string()))
PAIRS = R.schema(pa.field("a", pa.int64(), False), pa.field("b", pa.int64(), False))
SHINGLE_CACHE = 8192
"""Items whose shingles a task scoring proposed near pairs keeps (a few MB)."""


def judge(items, options: Options):
    """Every item with its cleaning verdicts (junk, truncation, language), as on a laptop."""
    from ..prepare import judged

    arrow = R.schema(*R.ITEM_FIELDS, pa.field("unreadable", pa.bool_(), False))

    def verdicts(batches):
        for batch in batches:
            out = [{**R.item_dict(judged(R.as_item(row), options)), "unreadable": row["unreadable"]}
                   for row in batch.to_pylist()]
            yield pa.RecordBatch.from_pylist(out, schema=arrow)

    return items.mapInArrow(verdicts, R.spark_schema(arrow))


def copies(judged, options: Options, earlier=None):
    """DataFrame (n, root, how) of every live item that is a copy: its canonical item's number
    and the depth ("exact", "near"). `earlier` (n, id, text, root), the live items of an earlier
    run, take part with their verdicts fixed: a new copy of one of them points to its root."""
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    live = judged.where(F.col("junk_reason").isNull()).select("n", "id", "text")
    if earlier is not None:
        live = live.unionByName(earlier.select("n", "id", "text"))
    live = live.withColumn("first", F.min("n").over(Window.partitionBy("id")))
    same_record = live.where(F.col("n") != F.col("first")).select("n", "first")
    keys = live.where(F.col("n") == F.col("first")).select("n", "text").mapInArrow(
        lambda batches: _keys(batches, options), R.spark_schema(KEYS)).persist(StorageLevel.MEMORY_AND_DISK)

    keyed = keys.where(F.col("exact").isNotNull()) \
        .withColumn("rep", F.min("n").over(Window.partitionBy("exact")))
    exact = keyed.where(F.col("n") != F.col("rep")).select(F.col("n").alias("a"), F.col("rep").alias("b"))
    reps = keyed.where(F.col("n") == F.col("rep")).drop("rep")
    edges = exact.unionByName(_cut_pairs(reps)).unionByName(_head_pairs(reps)) \
        .unionByName(_near_pairs(reps, options))
    fixed = None if earlier is None else earlier.select(F.col("n").alias("node"), "root")
    roots = components(edges, fixed).where(F.col("node") != F.col("root"))
    # the depth: the same core text as the canonical item's is "exact" (a footer added), else "near"
    core = keys.select(F.col("n").alias("root"), F.col("exact").alias("root_exact"))
    found = roots.withColumnRenamed("node", "n").join(keys.select("n", "exact"), "n").join(core, "root", "left") \
        .select("n", "root", F.when(F.col("exact") == F.col("root_exact"), "exact").otherwise("near").alias("how"))
    # a second record with the same id points to where the first points
    firsts = found.select(F.col("n").alias("first"), F.col("root").alias("first_root"))
    repeats = same_record.join(firsts, "first", "left") \
        .select("n", F.coalesce("first_root", "first").alias("root"), F.lit("exact").alias("how"))
    out = found.unionByName(repeats)
    if earlier is not None:
        out = out.join(earlier.select("n"), "n", "left_anti")
    return out


def _keys(batches, options: Options):
    """The duplicate keys of each item's core words (hashes, so that rows stay small)."""
    from ..dedup import core_words, lsh_bands, minhash, prefix_keys, shingles_of

    bands, rows = lsh_bands(options)
    for batch in batches:
        out = []
        for row in batch.to_pylist():
            words = core_words(row["text"])
            keys = prefix_keys(words)
            own = shingles_of(words)
            signature = minhash(own, options.seed).hashvalues if own else None
            out.append({
                "n": row["n"], "exact": _hash(words) if words else None,
                "whole": _hash(keys.whole) if keys.whole is not None else None,
                "cuts": [_hash(cut) for cut in keys.cuts],
                "head": _hash(keys.head) if keys.head is not None else None,
                "bands": [] if signature is None else
                [f"{b}:{signature[b * rows:(b + 1) * rows].tobytes().hex()}" for b in range(bands)],
                "core": " ".join(words)})
        yield pa.RecordBatch.from_pylist(out, schema=KEYS)


def _hash(words) -> str:
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def _cut_pairs(reps):
    """A text that another is with a few words added: one of its cuts is the other's whole text."""
    from pyspark.sql import functions as F

    cuts = reps.select("n", F.explode("cuts").alias("key"))
    wholes = reps.where(F.col("whole").isNotNull()).select(F.col("n").alias("a"), F.col("whole").alias("key"))
    return cuts.join(wholes, "key").select("a", F.col("n").alias("b"))


def _head_pairs(reps):
    """Long texts that begin alike (the same first words), confirmed word by word."""
    from pyspark.sql import functions as F

    from ..dedup import is_prefix_copy

    def confirm(frame):
        rows = sorted(zip(frame["n"].tolist(), frame["core"].tolist()))
        words = [core.split() for _, core in rows]
        pairs = [(rows[i][0], rows[j][0]) for i in range(len(rows)) for j in range(i + 1, len(rows))
                 if is_prefix_copy(words[i], words[j])]
        return _frame(pairs)

    return _grouped(reps.where(F.col("head").isNotNull()), "head", ["n", "core"], confirm)


def _near_pairs(reps, options: Options):
    """Items sharing a MinHash band, confirmed with the exact shingle score."""
    from pyspark.sql import functions as F

    from ..dedup import near_score, shingles_of

    threshold = options.near_duplicate_jaccard

    def propose(frame):
        numbers = sorted(frame["n"].tolist())
        return _frame([(a, b) for i, a in enumerate(numbers) for b in numbers[i + 1:]])

    banded = reps.select("n", F.explode("bands").alias("band"))
    proposed = _grouped(banded, "band", ["n"], propose).distinct()
    core = reps.select("n", "core")
    both = proposed.join(core.withColumnRenamed("n", "a").withColumnRenamed("core", "core_a"), "a") \
        .join(core.withColumnRenamed("n", "b").withColumnRenamed("core", "core_b"), "b")

    def score(batches):
        # an item is in as many proposed pairs as it has copies (and band collisions): its
        # shingles are made once, not once per pair (a bounded cache: a task's memory stays flat)
        @functools.lru_cache(maxsize=SHINGLE_CACHE)
        def of(n: int, core: str) -> frozenset[str]:
            return shingles_of(core.split())

        for batch in batches:
            out = [{"a": r["a"], "b": r["b"]} for r in batch.to_pylist()
                   if near_score(of(r["a"], r["core_a"]), of(r["b"], r["core_b"]), threshold) >= threshold]
            yield pa.RecordBatch.from_pylist(out, schema=PAIRS)

    return both.select("a", "b", "core_a", "core_b").mapInArrow(score, R.spark_schema(PAIRS))


def _grouped(frame, key: str, columns: list[str], pairs_of):
    """Pairs from each group of `frame` by `key` that has two members or more."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    shared = frame.withColumn("members", F.count("*").over(Window.partitionBy(key))).where(F.col("members") > 1)
    return shared.select(key, *columns).groupBy(key).applyInPandas(pairs_of, "a long, b long")


def _frame(pairs):
    import pandas as pd

    return pd.DataFrame(pairs, columns=["a", "b"], dtype="int64")


SPANS = R.schema(pa.field("n", pa.int64(), False), pa.field("input", pa.string()),
                 pa.field("published_s", pa.float64()), pa.field("text_s", pa.float64()))


def spans(judged, now: float):
    """DataFrame (n, first, last): when each item happened, in seconds (newsdesk.timing.item_spans
    with `now` the run's start): its publication time; else the span of the publication times of
    its own input; else from the latest date its text names to `now`; else `now`. The inputs'
    spans are one aggregate per input, never the items on the driver."""
    from datetime import datetime, timezone

    from pyspark.sql import functions as F

    from ..timing import input_of, text_date

    moment = datetime.fromtimestamp(now, timezone.utc)

    def when(batches):
        for batch in batches:
            out = []
            for row in batch.to_pylist():
                published = _seconds(row["published"])
                said = text_date(row["text"], moment) if published is None else None
                out.append({"n": row["n"], "input": input_of(row["origin"]), "published_s": published,
                            "text_s": said.timestamp() if said else None})
            yield pa.RecordBatch.from_pylist(out, schema=SPANS)

    times = judged.select("n", "origin", "published", "text").mapInArrow(when, R.spark_schema(SPANS))
    inputs = times.groupBy("input").agg(F.min("published_s").alias("input_first"), F.max("published_s").alias("input_last"))
    return times.join(inputs, "input").select(
        "n", F.coalesce("published_s", "input_first", "text_s", F.lit(now)).alias("first"),
        F.coalesce("published_s", "input_last", F.lit(now)).alias("last"))


def _seconds(iso: str | None) -> float | None:
    """Seconds of an ISO time; one without a zone is UTC (as newsdesk.changes.aware reads it)."""
    from datetime import datetime, timezone

    if not iso:
        return None
    when = datetime.fromisoformat(iso)
    return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp()
