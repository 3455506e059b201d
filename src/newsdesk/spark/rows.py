"""Items as rows: the Arrow schemas the Python tasks read and write, and Item <-> dict.

Python tasks get Arrow record batches (`mapInArrow`, `mapInPandas`) and turn each row into an
:class:`~newsdesk.model.Item`, so that every stage function sees the records it sees on a
laptop. Times travel as ISO strings (UTC, as the readers make them): no task depends on the
time zone of the machine it runs on."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

import pyarrow as pa

from ..model import Item

JUNK_SPANS = pa.list_(pa.struct([pa.field("start", pa.int64()), pa.field("end", pa.int64()),
                                 pa.field("reason", pa.string())]))
ITEM_FIELDS = [
    pa.field("n", pa.int64(), False),
    pa.field("id", pa.string(), False),
    pa.field("text", pa.string(), False),
    pa.field("title", pa.string()),
    pa.field("url", pa.string()),
    pa.field("source", pa.string()),
    pa.field("published", pa.string()),  # ISO 8601, UTC
    pa.field("language", pa.string()),
    pa.field("origin", pa.string(), False),
    pa.field("junk_reason", pa.string()),
    pa.field("junk_spans", JUNK_SPANS),  # junk lines inside a kept item (clean.junk_spans)
    pa.field("truncated", pa.bool_(), False),
    pa.field("note", pa.string()),
]
ITEM_COLUMNS = [f.name for f in ITEM_FIELDS]


def schema(*fields: pa.Field) -> pa.Schema:
    return pa.schema(list(fields))


def spark_schema(arrow: pa.Schema):
    """The Spark schema of an Arrow schema (what mapInArrow is told it returns)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(arrow)


def item_dict(it: Item) -> dict:
    return {"n": it.n, "id": it.id, "text": it.text, "title": it.title, "url": it.url, "source": it.source,
            "published": it.published.isoformat() if it.published else None, "language": it.language,
            "origin": it.origin, "junk_reason": it.junk_reason,
            "junk_spans": [{"start": a, "end": b, "reason": r} for a, b, r in it.junk_spans],
            "truncated": bool(it.truncated), "note": it.note}


def as_item(row: dict) -> Item:
    published = row.get("published")
    return Item(n=row["n"], text=row["text"] or "", id=row["id"], title=row.get("title"), url=row.get("url"),
                source=row.get("source"), published=datetime.fromisoformat(published) if published else None,
                language=row.get("language"), origin=row.get("origin") or "", junk_reason=row.get("junk_reason"),
                junk_spans=junk_spans(row.get("junk_spans")),
                truncated=bool(row.get("truncated")), note=row.get("note"))


def junk_spans(value) -> tuple[tuple[int, int, str], ...]:
    """Junk spans from a row: a list of dicts (Arrow), an array of dicts (pandas) or None."""
    if value is None or isinstance(value, float):  # pandas says NaN for a missing list
        return ()
    return tuple((int(s["start"]), int(s["end"]), s["reason"]) for s in value)


def rows(batches: Iterable[pa.RecordBatch]) -> Iterator[dict]:
    """The rows of a task's record batches, one dict each."""
    for batch in batches:
        yield from batch.to_pylist()


def batches(out: Iterable[dict], arrow: pa.Schema, size: int = 1024) -> Iterator[pa.RecordBatch]:
    """Dicts written back as record batches of `size` rows (what a task returns)."""
    chunk: list[dict] = []
    for row in out:
        chunk.append(row)
        if len(chunk) >= size:
            yield pa.RecordBatch.from_pylist(chunk, schema=arrow)
            chunk = []
    if chunk:
        yield pa.RecordBatch.from_pylist(chunk, schema=arrow)
