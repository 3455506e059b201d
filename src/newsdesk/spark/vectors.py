"""Embeddings on the executors, embedding neighbourhoods, and paraphrases.

- :func:`embed`: the clustering text of each canonical item (:func:`newsdesk.cluster.cluster_text`;
  its head, :func:`newsdesk.cluster.vector_text`, as the store embeds) through
  :func:`newsdesk.embed.get_embedder` in `mapInPandas`, 1,024 texts per call; the model is
  loaded once per Python worker (the embedder is cached per process and Spark reuses its Python
  workers).
- :func:`centroids` and :func:`assign`: k-means centroids of the vectors (fitted on a bounded
  sample), each item's nearest centroid (`cell`) and the centroids within NEAR_CENTROID of it
  (`cells`), computed in the tasks.
- :func:`paraphrases`: pairs of items at or above `semantic_duplicate_similarity` (the third
  depth of newsdesk.prepare.merge_paraphrases), compared within each cell of `cells` with
  :func:`newsdesk.dedup.semantic_duplicates`: a paraphrase is nearly the same vector, so it sits
  in the same neighbourhood; the margin catches pairs on either side of a boundary."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from ..options import Options

NEAR_CENTROID = 0.05
"""An item is looked for paraphrases in every cell whose centroid is this close (in cosine) to
its nearest one."""
KMEANS_SAMPLE = 20_000
"""Most vectors the k-means centroids are fitted on (a seeded sample, 30 MB on the driver);
every item is then assigned to its nearest centroid in the tasks."""


def embed(items, embedder: str, english: str | None = None):
    """`items` (n, text, title, junk_spans, language, ...) with `vector` (array<float>, unit
    length) added, by the embedder called `embedder` (the pile's: newsdesk.embed.pile_embedder),
    and `english`: with `english` (an embedder, MiniLM), the English items' vectors by it
    (newsdesk.cluster.Pile.english), else null."""
    import pandas as pd

    from ..cluster import cluster_text, vector_text
    from ..embed import get_embedder

    def encode(frames):
        model = get_embedder(embedder)  # once per Python worker
        for frame in frames:
            texts = [cluster_text(frame_item(t, h, s)) for t, h, s in zip(frame["text"], frame["title"], frame["junk_spans"])]
            vectors = model.encode([vector_text(t, embedder) for t in texts]) if texts \
                else np.zeros((0, model.dim), dtype=np.float32)
            yield pd.DataFrame({"n": frame["n"], "vector": list(vectors),
                                "english": _english(texts, frame["language"], english)})

    vectors = items.select("n", "text", "title", "junk_spans", "language") \
        .mapInPandas(encode, "n long, vector array<float>, english array<float>")
    return items.join(vectors, "n")


def _english(texts: list[str], languages, embedder: str | None) -> list:
    """MiniLM vectors (by `embedder`) of the English texts, None for the others and for all
    when `embedder` is None."""
    from ..cluster import vector_text
    from ..embed import get_embedder

    out: list = [None] * len(texts)
    english = [i for i, language in enumerate(languages) if not isinstance(language, str) or language == "en"]
    if embedder is not None and english:
        found = get_embedder(embedder).encode([vector_text(texts[i], embedder) for i in english])
        for i, vector in zip(english, found):
            out[i] = vector
    return out


def frame_item(text, title, spans):
    """An Item of what clustering reads (text, title, junk lines) from a pandas row, where a
    missing value is None or NaN and a list of structs is an array of dicts."""
    from ..model import Item
    from .rows import junk_spans

    return Item(n=0, id="-", text=text if isinstance(text, str) else "", title=title if isinstance(title, str) else None,
                junk_spans=junk_spans(spans))


def centroids(frame, k: int, seed: int, column: str = "vector", weight: str | None = None, key: str = "n") -> np.ndarray:
    """k-means centroids (k x dim) of the vectors in `column`, fitted (scikit-learn, seeded) on a
    sample of about KMEANS_SAMPLE rows (chosen by a hash of `key`): the driver holds that sample
    (30 MB), never more, whatever the size of the input. `weight` names a column of row weights."""
    from pyspark.sql import functions as F
    from sklearn.cluster import KMeans

    total = frame.count()
    if total > KMEANS_SAMPLE:  # by a hash of the key: the same rows whatever order the tasks see them in
        share = int(KMEANS_SAMPLE / total * 1_000_000)
        frame = frame.where(F.pmod(F.xxhash64(F.col(key), F.lit(seed)), F.lit(1_000_000)) < share)
    rows = sorted(frame.select(key, column, *([weight] if weight else [])).collect())  # in a stable order
    rows = [r[1:] for r in rows]
    points = np.stack([np.asarray(r[0], dtype=np.float32) for r in rows])
    weights = np.array([r[1] for r in rows], dtype=np.float64) if weight else None
    k = min(k, len(points))
    model = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(points, sample_weight=weights)
    return model.cluster_centers_.astype(np.float32)


def assign(frame, centres: np.ndarray | None, margin: float = NEAR_CENTROID, key: str = "n", column: str = "vector"):
    """`frame` with `cell` (the centroid nearest to `column` by cosine) and `cells` (those within
    `margin` of it); one cell 0 when there are no centroids."""
    from pyspark.sql import functions as F

    from .rows import spark_schema

    if centres is None or len(centres) < 2:
        return frame.withColumn("cell", F.lit(0).cast("long")).withColumn("cells", F.array(F.lit(0).cast("long")))
    unit = centres / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
    shared = frame.sparkSession.sparkContext.broadcast(unit)
    columns = frame.columns
    key_type = pa.string() if dict(frame.dtypes)[key] == "string" else pa.int64()
    arrow = pa.schema([pa.field(key, key_type), pa.field("cell", pa.int64()), pa.field("cells", pa.list_(pa.int64()))])

    def nearest(batches):
        for batch in batches:
            if not batch.num_rows:
                continue
            vectors = np.stack(batch.column(column).to_numpy(zero_copy_only=False)).astype(np.float32)
            sims = vectors @ shared.value.T
            best = sims.argmax(axis=1)
            top = sims[np.arange(len(sims)), best]
            near = [np.flatnonzero(row >= t - margin).tolist() for row, t in zip(sims, top)]
            yield pa.RecordBatch.from_pydict({key: batch.column(key), "cell": best.astype(np.int64), "cells": near},
                                             schema=arrow)

    cells = frame.select(key, column).mapInArrow(nearest, spark_schema(arrow))
    return frame.join(cells, key).select(*columns, "cell", "cells")


def blocks_needed(count: int, block_size: int) -> int:
    return max(1, math.ceil(count / block_size))


def paraphrases(vectors, options: Options, scale: tuple[float, float] | None):
    """DataFrame (a, b, how) of item pairs that are one item told twice, by the rule of
    newsdesk.prepare.merge_paraphrases, from `vectors` (n, vector, english, cells, language, text):
    items of one language whose cosine (on MiniLM's scale: `scale`, the pile embedder's, less the
    language's background; two English items with MiniLM vectors, `english`, by those) is at
    least `semantic_duplicate_similarity` ("semantic"), and, with the multilingual embedder,
    items in two languages at a cosine of at least newsdesk.prepare.TRANSLATION_SIMILARITY stating the same numbers
    ("translation")."""
    from pyspark.sql import functions as F

    from ..cluster import Pile, english_matrix
    from ..dedup import semantic_duplicates
    from ..prepare import TRANSLATION_SIMILARITY, same_numbers

    threshold = options.semantic_duplicate_similarity
    a, b = scale or (0.0, 1.0)
    lowest = min((threshold - a) / b, TRANSLATION_SIMILARITY)

    def pairs_in(frame):
        import pandas as pd

        frame = frame.sort_values("n").reset_index(drop=True)
        numbers = frame["n"].to_numpy()
        languages = [lang if isinstance(lang, str) else "en" for lang in frame["language"]]
        points = np.stack(frame["vector"].to_numpy()).astype(np.float32) if len(frame) else None
        offsets = Pile(tuple(languages), scale).offsets  # each language's background, as in the batch path
        english = english_matrix(frame["english"]) if len(frame) > 1 else None
        by_minilm = english.any(axis=1) if english is not None else np.zeros(len(frame), dtype=bool)
        out = []
        for i, j in semantic_duplicates(points, lowest) if len(frame) > 1 else []:
            if by_minilm[i] and by_minilm[j]:
                continue  # two English items: their MiniLM vectors say (below)
            if languages[i] == languages[j]:
                if a + b * float(points[i] @ points[j]) - offsets[i] >= threshold:
                    out.append((int(numbers[i]), int(numbers[j]), "semantic"))
            elif scale is not None and same_numbers(frame["text"][i], frame["text"][j]):
                out.append((int(numbers[i]), int(numbers[j]), "translation"))
        if english is not None:
            out += [(int(numbers[i]), int(numbers[j]), "semantic") for i, j in semantic_duplicates(english, threshold)]
        return pd.DataFrame(out, columns=["a", "b", "how"]).astype({"a": "int64", "b": "int64"})

    exploded = vectors.select("n", "vector", "english", "language", "text", F.explode("cells").alias("cell"))
    return exploded.groupBy("cell").applyInPandas(pairs_in, "a long, b long, how string").distinct()
