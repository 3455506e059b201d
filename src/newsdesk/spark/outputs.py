"""The output tables, each row made by the function that makes it on a laptop:

- `items`: every input record once, with its ledger entry (:func:`newsdesk.prepare.ledger`),
  its story, and (for the store: `newsdesk spark load`, `--state`) its text and vector;
- `stories`: :func:`newsdesk.render.jsonout.story_dict` of each story;
- `claims`: :func:`newsdesk.pipeline.extract_claims` over the items `newsdesk claims` parses
  (canonical after exact and near copies, English), in partitions, as
  :func:`newsdesk.render.jsonout.claim_dict` rows with the item's id;
- `briefs`: one row per story of at least BRIEF_MIN items: its id and the JSON of
  `newsdesk brief --format json` (:func:`newsdesk.pipeline.brief` rendered by
  :func:`newsdesk.render.render`)."""

from __future__ import annotations

import json

import pyarrow as pa

from ..options import Options
from . import rows as R

BRIEF_MIN = 3
TABLES = ("items", "stories", "claims", "briefs")

_SPANS = pa.list_(pa.list_(pa.int64()))
CLAIMS = R.schema(
    pa.field("item", pa.int64(), False), pa.field("item_id", pa.string(), False), pa.field("speaker", pa.string()),
    pa.field("actor", pa.string()), pa.field("role", pa.string()), pa.field("cue", pa.string()),
    pa.field("content", pa.string()), pa.field("start", pa.int64()), pa.field("end", pa.int64()),
    pa.field("hedges", pa.list_(pa.string())), pa.field("when", pa.string()), pa.field("date", pa.string()),
    pa.field("figures", pa.string()), pa.field("source_span", _SPANS), pa.field("cue_span", _SPANS),
    pa.field("content_span", _SPANS))
"""A claim's row: claim_dict's fields (figures as the JSON of their list) and its item's id."""


ITEMS = R.schema(
    pa.field("id", pa.string(), False), pa.field("n", pa.int64(), False), pa.field("origin", pa.string()),
    pa.field("status", pa.string(), False), pa.field("reason", pa.string()), pa.field("duplicate_of", pa.string()),
    pa.field("story", pa.string()), pa.field("language", pa.string()), pa.field("published", pa.timestamp("us", "UTC")),
    pa.field("title", pa.string()), pa.field("text", pa.string()), pa.field("url", pa.string()),
    pa.field("source", pa.string()), pa.field("truncated", pa.bool_()), pa.field("note", pa.string()),
    pa.field("junk_spans", R.JUNK_SPANS), pa.field("happened_from", pa.timestamp("us", "UTC")),
    pa.field("happened_to", pa.timestamp("us", "UTC")), pa.field("vector", pa.list_(pa.float32())),
    pa.field("english", pa.list_(pa.float32())), pa.field("embedder", pa.string()))
"""A record's row: what the ledger says of it and its story, then what a store and a later run
(--state) need: its text, junk lines, when it happened (newsdesk.timing) and (kept items) vector,
and MiniLM vector when it is English in a mostly English pile on the multilingual model
(newsdesk.cluster.Pile.english); `embedder`, the model of `vector` (a later run and a store keep
comparing with it)."""
FAIL_ONCE = "newsdesk.fail_once"
"""A Spark local property for testing retries: when it is "items", the first attempt of the
first task that writes item rows fails after its first rows went to the writer (tests/test_spark.py)."""


def items_table(judged, copies, stories, vectors, embedder: str):
    """Every record of `judged` (with `first`, `last`: when it happened): id, n, origin, status,
    reason, duplicate_of (an id), story, language, published, and what a store needs (title,
    text, url, source, truncated, note, junk_spans, happened_from/to, vector, english, embedder)."""
    from pyspark.sql import functions as F

    roots = judged.select(F.col("n").alias("root"), F.col("id").alias("root_id"))
    members = stories.select("id", F.explode("items").alias("n")).select("n", F.col("id").alias("story"))
    rows = judged.join(copies, "n", "left").join(roots, "root", "left").join(members, "n", "left") \
        .join(vectors.select("n", "vector", "english"), "n", "left").withColumn("embedder", F.lit(embedder))
    return rows.select(*R.ITEM_COLUMNS, "first", "last", "root", "root_id", "how", "story", "vector", "english",
                       "embedder") \
        .mapInArrow(_item_rows, R.spark_schema(ITEMS))


def _item_rows(batches):
    """Each record's row, its status and reason by newsdesk.prepare.ledger (in the task that
    writes it: a retried write is tested with FAIL_ONCE)."""
    from datetime import datetime

    from pyspark import TaskContext

    from ..model import Prepared
    from ..prepare import ledger

    task = TaskContext.get()
    fail = task is not None and task.getLocalProperty(FAIL_ONCE) == "items" and task.attemptNumber() == 0 \
        and task.partitionId() == 0
    for batch in batches:
        out = []
        for row in batch.to_pylist():
            item = R.as_item(row)
            merged = {item.n: row["root"]} if row["root"] is not None and not item.junk_reason else {}
            entry = ledger(Prepared([item], merged, {item.n: row["how"]} if merged else {}))[0]
            out.append({"id": item.id, "n": item.n, "origin": item.origin, "status": entry.status, "reason": entry.reason,
                        "duplicate_of": row["root_id"] if entry.status in ("merged", "translation") else None,
                        "story": row["story"] if entry.status != "dropped" else None, "language": item.language,
                        "published": datetime.fromisoformat(row["published"]) if row["published"] else None,
                        "title": item.title, "text": item.text, "url": item.url, "source": item.source,
                        "truncated": item.truncated, "note": item.note, "junk_spans": row["junk_spans"],
                        "happened_from": _time(row["first"]), "happened_to": _time(row["last"]),
                        "vector": row["vector"] if entry.status == "used" else None,
                        "english": row["english"] if entry.status == "used" else None,
                        "embedder": row["embedder"] if entry.status == "used" else None})
        yield pa.RecordBatch.from_pylist(out, schema=ITEMS)
        if fail:  # after its first rows went to the writer
            raise RuntimeError("a task failure for testing (newsdesk.fail_once)")


def _time(seconds):
    from datetime import datetime, timezone

    return None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc)


def stories_table(stories):
    from pyspark.sql import functions as F

    return stories.select("id", "label", "items", "item_ids", "angles", "origins", "sources",
                          F.to_timestamp("first_seen").alias("first_seen"), F.to_timestamp("last_seen").alias("last_seen"))


def claims_table(canonical, options: Options):
    """The claims of the canonical items (after exact and near copies) that are English, read as
    the stages read them (junk lines blanked, newsdesk.prepare.readable), of the kinds
    `claim_kinds` names (newsdesk.extract.claims.select): the claims of `newsdesk claims`."""
    from pyspark.sql import functions as F

    english = canonical.where(F.col("language").isNull() | (F.col("language") == "en")).select(*R.ITEM_COLUMNS)

    def extract(batches):
        from ..extract.claims import select
        from ..pipeline import extract_claims
        from ..prepare import readable
        from ..render.jsonout import claim_dict

        for batch in batches:
            items = [readable(R.as_item(row)) for row in batch.to_pylist()]
            ids = {it.n: it.id for it in items}
            out = []
            for claim in select(extract_claims(items, options), options.claim_kinds):
                row = claim_dict(claim)
                row["figures"] = json.dumps(row["figures"], ensure_ascii=False)
                out.append({**{f.name: row.get(f.name) for f in CLAIMS}, "item_id": ids[claim.item]})
            if out:
                yield pa.RecordBatch.from_pylist(out, schema=CLAIMS)

    return english.mapInArrow(extract, R.spark_schema(CLAIMS))


def briefs_table(judged, stories, options: Options):
    """story, brief: the JSON brief of every story of at least BRIEF_MIN items (a story with
    nothing to brief, no complete sentence, has none)."""
    from pyspark.sql import functions as F

    big = stories.where(F.size("items") >= BRIEF_MIN).select(F.col("id").alias("story"), F.explode("items").alias("n"))
    members = big.join(judged.select(*R.ITEM_COLUMNS), "n")

    def brief_story(frame):
        import pandas as pd

        from ..errors import NoNewsError
        from ..pipeline import brief
        from ..render import render

        records = frame.drop(columns=["story"]).astype(object).where(frame.notna(), None).to_dict("records")
        items = sorted((R.as_item(row) for row in records), key=lambda it: it.n)
        try:
            text = render(brief(items, options), "json")
        except NoNewsError:
            return pd.DataFrame({"story": [], "brief": []})
        return pd.DataFrame({"story": [frame["story"].iloc[0]], "brief": [text]})

    return members.groupBy("story").applyInPandas(brief_story, "story string, brief string")
