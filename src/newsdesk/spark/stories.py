"""Stories on the cluster, in blocks clustered with the batch path of `newsdesk stories`.

A pile of at most `story_block_size` canonical items is one block: one task clusters it with
:func:`newsdesk.cluster.batch_labels` (in stable-id order) and builds its stories with the same
code as :func:`newsdesk.cluster.group`, so the stories are those of `newsdesk stories`.

A larger pile is clustered in `story_block_passes` passes:

1. items are blocked by time window (WINDOW_DAYS; undated items share one) and embedding
   neighbourhood (the nearest k-means centroid, k chosen so that the largest window fills k
   blocks); a block still larger than `story_block_size` is cut by k-means inside its task. Each
   block is clustered with batch_labels.
2. merge across blocks: a story cut by a block boundary comes out as pieces with nearly the same
   mean vector and time. The groups of the previous pass are blocked again, whole, by k-means on
   their mean vectors (weighted by size) and by windows shifted by a share of WINDOW_DAYS, so
   that the pieces meet in one block; the items of each new block are clustered again. The last
   pass builds the stories (label, angles, sources, first and last seen) in its blocks.

On the even googlenews-sttm titles cut into blocks of a third of the pile, two passes keep
B-cubed F1 within about 0.02 of one batch, three within 0.01 (benchmarks/spark_throughput.py
and tests/test_spark.py measure it)."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timezone

import numpy as np

from ..options import Options

WINDOW_DAYS = 30.0
"""Length of the time windows that dated items are blocked by (a story rarely runs longer
without a pause; one that does is joined in a later pass, whose windows are shifted)."""
_UNDATED = -(10**9)  # the window of undated items (times 100,000 plus a cell, it still fits a long)
STORY_SCHEMA = ("id string, label string, items array<long>, item_ids array<string>, "
                "angles array<struct<label:string, items:array<long>>>, sources long, origins long, "
                "first_seen string, last_seen string")
STORY_COLUMNS = ["id", "label", "items", "item_ids", "angles", "sources", "origins", "first_seen", "last_seen"]


def group_stories(heads, copies, options: Options, centres: np.ndarray | None, windows: bool,
                  scale: tuple[float, float] | None = None):
    """Stories of `heads` (canonical items: n, id, text, title, source, published, vector, english, cell)
    with their `copies` (n, id, source, published, root): a DataFrame of STORY_SCHEMA.
    `centres` are the k-means centroids of the first pass (None: one block), `windows` whether
    items are blocked by time window (of when they happened: `first`, `last`, seconds), `scale`
    the pile embedder's cosine on MiniLM's scale (newsdesk.cluster.Pile)."""
    from pyspark.sql import functions as F

    heads = heads.select("n", "id", "text", "title", "junk_spans", "language", "source", "published", "first", "last",
                         "vector", "english", "cell").withColumn("t", F.col("last"))
    passes = options.story_block_passes if centres is not None or windows else 1
    k = len(centres) if centres is not None else 1
    blocked = heads.withColumn("block", _window("t", 0.0) * 100_000 + F.col("cell") if windows else F.col("cell")) \
        .withColumn("group", F.lit(None).cast("string"))
    for step in range(1, passes):
        labels = blocked.drop("cell", "t").groupBy("block").applyInPandas(
            _clusterer(options, step, final=False, scale=scale), "n long, group string")
        blocked = heads.join(_reblock(heads.join(labels, "n"), options, step, passes, k, windows), "n")
    gathered = copies.groupBy(F.col("root").alias("n")).agg(
        F.collect_list(F.struct("n", "id", "source", "published")).alias("copies"))
    final = blocked.drop("cell", "t").join(gathered, "n", "left")
    return final.groupBy("block").applyInPandas(_clusterer(options, passes, final=True, scale=scale), STORY_SCHEMA)


def _window(column: str, shift_days: float):
    """The time window of a time (seconds), shifted by `shift_days`; undated items share one."""
    from pyspark.sql import functions as F

    day = F.col(column) / 86400.0 + shift_days
    return F.when(F.col(column).isNull(), F.lit(_UNDATED)).otherwise(F.floor(day / WINDOW_DAYS)).cast("long")


def _reblock(grouped, options: Options, step: int, passes: int, k: int, windows: bool):
    """(n, group, block): the items of `grouped` (with `group`) in new blocks, their groups whole,
    by k-means on the groups' mean vectors (weighted by size) and by windows shifted by
    step/passes of a window."""
    from pyspark.ml.functions import array_to_vector, vector_to_array
    from pyspark.ml.stat import Summarizer
    from pyspark.sql import functions as F

    from .vectors import assign, centroids

    means = grouped.select("group", "t", array_to_vector(F.col("vector")).alias("features")).groupBy("group").agg(
        vector_to_array(Summarizer.mean(F.col("features"))).alias("mean"), F.count("*").cast("double").alias("size"),
        F.avg("t").alias("t")).localCheckpoint()
    centres = centroids(means, k, options.seed + step, column="mean", weight="size", key="group") if k > 1 else None
    means = assign(means, centres, margin=0.0, key="group", column="mean")
    shift = WINDOW_DAYS * step / passes
    block = _window("t", shift) * 100_000 + F.col("cell") if windows else F.col("cell")
    return grouped.select("n", "group").join(means.select("group", block.alias("block")), "group")


def _clusterer(options: Options, step: int, final: bool, scale: tuple[float, float] | None = None):
    """The task that clusters one block with newsdesk.cluster.batch_labels (items more than
    `story_window_days` apart never together; the pile's languages and scale): group labels,
    or (the last pass) stories."""
    limit = options.story_block_size

    def cluster_block(frame):
        import pandas as pd

        from ..cluster import Pile, batch_labels, english_matrix
        from ..timing import Span

        frame = frame.sort_values(["id", "n"], kind="stable").reset_index(drop=True)
        vectors = np.stack(frame["vector"].to_numpy()).astype(np.float32)
        out = []
        for part, positions in enumerate(_split(frame, vectors, limit, options.seed + step)):
            sub = frame.iloc[positions].reset_index(drop=True)
            texts = [_text(row) for row in sub.itertuples()]
            spans = [Span(_utc(f), _utc(t)) for f, t in zip(sub["first"], sub["last"])]
            pile = Pile(tuple(lang if isinstance(lang, str) else "en" for lang in sub["language"]), scale,
                        english_matrix(sub["english"]))
            labels, sim = batch_labels(texts, vectors[positions], options, spans, pile)
            if final:
                out += _stories(sub, texts, labels, sim, options)
            else:
                block = f"{step}:{frame['block'].iloc[0]}:{part}"
                out += [{"n": int(n), "group": f"{block}:{label}"} for n, label in zip(sub["n"], labels)]
        return pd.DataFrame(out, columns=STORY_COLUMNS if final else ["n", "group"])

    return cluster_block


def _split(frame, vectors: np.ndarray, limit: int, seed: int) -> list[list[int]]:
    """Positions of the block's parts of at most `limit` items: the block itself, or parts cut
    by k-means on the items (first pass) or on their groups' mean vectors (later passes; a group
    is never cut)."""
    if len(frame) <= limit:
        return [list(range(len(frame)))]
    from sklearn.cluster import KMeans

    if frame["group"].isna().all():
        units = [[p] for p in range(len(frame))]
    else:
        members: dict[str, list[int]] = defaultdict(list)
        for p, g in enumerate(frame["group"]):
            members[g].append(p)
        units = list(members.values())
    points = np.stack([vectors[u].mean(axis=0) for u in units])
    weights = np.array([len(u) for u in units], dtype=np.float64)
    parts, todo = [], [list(range(len(units)))]
    while todo:
        chosen = todo.pop()
        size = int(weights[chosen].sum())
        if size <= limit or len(chosen) == 1:
            parts.append(sorted(p for u in chosen for p in units[u]))
            continue
        k = math.ceil(size / limit)
        labels = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(points[chosen], sample_weight=weights[chosen]).labels_
        pieces = [[chosen[i] for i in np.flatnonzero(labels == c)] for c in range(k)]
        pieces = [p for p in pieces if p]
        if len(pieces) == 1:  # k-means could not cut it: halve it in stable order
            pieces = [chosen[: len(chosen) // 2], chosen[len(chosen) // 2:]]
        todo += pieces
    return sorted(parts)


def _text(row) -> str:
    from ..cluster import cluster_text
    from .vectors import frame_item

    return cluster_text(frame_item(row.text, row.title, row.junk_spans))


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(float(seconds), timezone.utc)


def _stories(sub, texts: list[str], labels: list[int], sim, options: Options) -> list[dict]:
    """The stories of one clustered part, built as newsdesk.cluster.group builds them."""
    from ..cluster import _story
    from ..model import Item
    from ..render.jsonout import story_dict

    heads = [_item(r.n, r.id, r.source, r.published, r.text, r.title, r.language) for r in sub.itertuples()]
    copies: dict[int, list[Item]] = defaultdict(list)
    for head, found in zip(heads, sub["copies"]):
        if found is not None:
            copies[head.n] = [_item(c["n"], c["id"], c["source"], c["published"]) for c in found]
    members: dict[int, list[int]] = defaultdict(list)
    for p, label in enumerate(labels):
        members[label].append(p)
    out = []
    for positions in members.values():
        group_heads = [heads[p] for p in positions]
        everything = sorted(group_heads + [c for h in group_heads for c in copies[h.n]], key=lambda it: it.n)
        story = _story(group_heads, everything, [texts[p] for p in positions], sim[np.ix_(positions, positions)],
                       copies, options)
        row = story_dict(story)
        out.append({k: row[k] for k in STORY_COLUMNS})
    return out


def _item(n, iid, source, published, text: str = "", title=None, language=None):
    from ..model import Item

    def present(value):
        return value if isinstance(value, str) else None

    when = present(published)
    return Item(n=int(n), id=iid, text=text if isinstance(text, str) else "", title=present(title),
                source=present(source), published=datetime.fromisoformat(when) if when else None,
                language=present(language))
