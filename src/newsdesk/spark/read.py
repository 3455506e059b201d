"""Reading in partitions, with newsdesk's own readers, numbered as the CLI numbers the inputs.

Inputs are files, folders (read recursively in sorted path order; names starting with "." or "_"
are passed over, as Spark does) and any Hadoop-compatible URI (file://, hdfs://, s3a://). The
driver only lists them and reads the head of a few. Each input file is one *unit*, read by one
task with :func:`newsdesk.ingest.read` (every format newsdesk reads, compressed or not), except:

- an uncompressed plain-text or JSON Lines file over SPLIT_BYTES, read through Spark's line
  splitting (`textFile`), one unit per split, with the reader of that format;
- a Parquet file (named `*.parquet`), whose rows are records read as JSON records are
  (:func:`newsdesk.ingest.jsonl.record_item`: the same field names, --field mappings).

A task numbers its records from 1 and ends with a count of the records it read (blank lines
included, as the CLI counts them); the driver turns the counts (one number per unit, never the
records) into offsets, so that `n` is the number the CLI gives the same record. Origins are the
reader's, with the file named as given ("folder/a.txt:12"); a split's line numbers count from
the start of its file. A file too large for one task (over 2 GB: Spark's limit for a whole file)
must be plain text or JSON Lines, or split into several files."""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

import pyarrow as pa

from ..errors import NewsdeskError
from ..model import Item
from ..options import Options
from . import rows as R

SPLIT_BYTES = 64 * 2**20
"""Plain text and JSON Lines files larger than this are read in splits by several tasks."""
_UNIT = 1_000_000
"""A unit's key is its file's number times _UNIT plus its split's number: keys sort in input order."""
_HEAD = 65536
_COMPRESSED = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd")

RAW = R.schema(pa.field("unit", pa.int64(), False), pa.field("count", pa.int64()),
               pa.field("unreadable", pa.bool_(), False), *R.ITEM_FIELDS)
"""A task's rows: items numbered within their unit (`n`), and one row per unit with its `count`."""


@dataclass(frozen=True)
class Input:
    uri: str  # as Hadoop names it
    name: str  # as the user named it (origins say this)
    size: int
    unit: int  # the key of its first unit
    kind: str = "whole"  # "whole", "split" (text or jsonl in several tasks) or "parquet"
    format: str | None = None  # the format of a split input


def read_items(spark, inputs: list[Input], options: Options):
    """A DataFrame of every record of `inputs` (list_inputs: the listing the caller also sized
    the run by; the item columns, `unreadable` for a record the reader could not use), numbered
    across inputs as the CLI numbers them."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    parts = []
    whole = [i for i in inputs if i.kind in ("whole", "parquet")]
    if whole:
        parts.append(_read_whole(spark, whole, options))
    for given in (i for i in inputs if i.kind == "split"):
        parts.append(_read_split(spark, given, options))
    raw = parts[0]
    for part in parts[1:]:
        raw = raw.unionByName(part)
    raw = raw.persist(StorageLevel.MEMORY_AND_DISK)
    counts = sorted((r["unit"], r["count"]) for r in
                    raw.where(F.col("count").isNotNull()).select("unit", "count").collect())  # one per unit
    offsets, total = [], 0
    for unit, count in counts:
        offsets.append((unit, total))
        total += count
    offset = spark.createDataFrame(offsets, "unit long, offset long")
    numbered = (raw.where(F.col("count").isNull()).join(F.broadcast(offset), "unit")
                .withColumn("n", F.col("n") + F.col("offset")))
    return numbered.select(*R.ITEM_COLUMNS, "unreadable")


# ---------------------------------------------------------------- listing (on the driver)


def list_inputs(spark, paths: list[str], options: Options) -> list[Input]:
    """Every input file in order, with how it is read; a one-line error for a missing path, an
    empty folder, or a binary file named directly (as the CLI)."""
    from py4j.protocol import Py4JJavaError

    found: list[Input] = []
    for given in paths:
        try:
            files = _files(spark, given)
        except Py4JJavaError as exc:
            raise NewsdeskError(f"cannot read {given}: {_java_message(exc)}", code=2) from None
        for uri, name, size, named in files:
            found.append(_input(spark, uri, name, size, named, len(found) * _UNIT, options))
    return found


def _files(spark, given: str) -> list[tuple[str, str, int, bool]]:
    """(uri, name, size, named directly) of every file of one input, in sorted path order."""
    jvm = spark._jvm
    path = jvm.org.apache.hadoop.fs.Path(given)
    fs = path.getFileSystem(spark._jsc.hadoopConfiguration())
    if not fs.exists(path):
        raise NewsdeskError(f"no such file: {given}", code=2)
    status = fs.getFileStatus(path)
    if status.isFile():
        return [(str(status.getPath().toString()), given, int(status.getLen()), True)]
    root = str(status.getPath().toString()).rstrip("/")
    listed = []
    files = fs.listFiles(path, True)
    while files.hasNext():
        child = files.next()
        uri = str(child.getPath().toString())
        relative = uri[len(root) + 1:]
        if not any(part.startswith((".", "_")) for part in relative.split("/")):
            listed.append((relative.split("/"), uri, int(child.getLen())))
    if not listed:
        raise NewsdeskError(f"{given} is a directory with no files to read", code=2)
    join = (lambda rel: f"{given.rstrip('/')}/{rel}") if "://" in given else \
        (lambda rel: str(PurePosixPath(given) / rel))
    return [(uri, join("/".join(parts)), size, False) for parts, uri, size in sorted(listed)]


def _input(spark, uri: str, name: str, size: int, named: bool, unit: int, options: Options) -> Input:
    if name.lower().endswith(".parquet"):
        return Input(uri, name, size, unit, "parquet")
    if not named and size <= SPLIT_BYTES:
        return Input(uri, name, size, unit)
    from ..ingest import sniff

    head = _head(spark, uri)
    if head.startswith(_COMPRESSED):
        return Input(uri, name, size, unit)
    fmt = options.input_format or sniff(head, name)
    if fmt is None and named:
        raise NewsdeskError(f"{name} looks like a binary file, not news in a format newsdesk reads", code=2)
    if size > SPLIT_BYTES and fmt in ("text", "jsonl"):
        return Input(uri, name, size, unit, "split", fmt)
    return Input(uri, name, size, unit)


def folder_bytes(spark, uri: str) -> int:
    """The size of every file under `uri` (an earlier run's tables), 0 when there is none."""
    path = spark._jvm.org.apache.hadoop.fs.Path(uri)
    fs = path.getFileSystem(spark._jsc.hadoopConfiguration())
    return int(fs.getContentSummary(path).getLength()) if fs.exists(path) else 0


def _head(spark, uri: str) -> bytes:
    path = spark._jvm.org.apache.hadoop.fs.Path(uri)
    stream = path.getFileSystem(spark._jsc.hadoopConfiguration()).open(path)
    try:
        return bytes(stream.readNBytes(_HEAD))
    finally:
        stream.close()


def _java_message(exc) -> str:
    return str(exc.java_exception.getMessage() or exc.java_exception.toString()).splitlines()[0][:200]


# ---------------------------------------------------------------- reading (in tasks)


def _read_whole(spark, inputs: list[Input], options: Options):
    """One task reads each file whole (many small files share a task)."""
    by_uri = {_key(i.uri): i for i in inputs}
    files = spark.read.format("binaryFile").load([i.uri for i in inputs]).select("path", "content")
    arrow = RAW

    def read_files(batches):
        with tempfile.TemporaryDirectory(prefix="newsdesk-") as folder:
            for batch in batches:
                for row in batch.to_pylist():
                    given = by_uri[_key(row["path"])]
                    reader = _parquet_records if given.kind == "parquet" else _file_records
                    yield from R.batches(reader(row["content"], given, Path(folder), options), arrow)

    return files.mapInArrow(read_files, R.spark_schema(arrow))


def _key(uri: str) -> str:
    return re.sub(r"^file:/+", "file:/", uri)


def _file_records(content: bytes, given: Input, folder: Path, options: Options):
    """The records of one file, read by newsdesk.ingest.read as a local file, renamed as given."""
    from ..ingest import read

    local = folder / str(given.unit) / (PurePosixPath(given.name).name or "input")
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_bytes(content)
    # A one-line text file read after it: its number is one more than the records the file
    # holds, blank ones at its end included (read() numbers across inputs but says no count).
    end = folder / "end-of-input.txt"
    end.write_text("end of input\n", encoding="utf-8")
    count = 0
    try:
        for it in read([str(local), str(end)], options):
            if it.origin.startswith(str(end)):
                count = it.n - 1
                break
            count = it.n
            yield _raw(given.unit, _renamed(it, it.origin.replace(str(local), given.name, 1)))
    except NewsdeskError as exc:  # a binary file found in a folder: one record, dropped with the reason
        count += 1
        reason = "not news: a binary file" if "binary" in str(exc) else str(exc).replace(str(local), given.name)
        yield _raw(given.unit, Item(n=count, text="", id=_id(given.name), origin=given.name, junk_reason=reason))
    finally:
        local.unlink()
    yield _count(given.unit, count)


def _parquet_records(content: bytes, given: Input, folder: Path, options: Options):
    """The rows of one Parquet file as records: the fields found as in JSON records."""
    import pyarrow.parquet as pq

    from ..ingest.common import RecordCounter
    from ..ingest.fields import FieldMap
    from ..ingest.jsonl import record_item

    fields = FieldMap(options.field_names)
    counter = RecordCounter()
    for batch in pq.ParquetFile(io.BytesIO(content)).iter_batches(batch_size=1024):
        for record in batch.to_pylist():
            yield _raw(given.unit, record_item(record, f"{given.name}#{counter.records + 1}", fields, counter, options))
    yield _count(given.unit, counter.records)


def _read_split(spark, given: Input, options: Options):
    """A large plain-text or JSON Lines file in Spark's line splits, one unit per split."""
    from ..ingest import jsonl, text
    from ..ingest.common import RecordCounter

    reader = text.read_lines if given.format == "text" else jsonl.read_jsonl
    origin = re.compile(re.escape(given.name) + r":(\d+)")

    def read_split(split: int, lines):
        unit = given.unit + split
        first = -1  # the split's first line number (its lines' index in the file)
        buffer = io.BytesIO()
        for line, index in lines:
            first = index if first < 0 else first
            buffer.write(line + b"\n")
        buffer.seek(0)  # a BytesIO has no peek(): the reader skips its whole-file binary check
        counter = RecordCounter()
        for it in reader(buffer, given.name, options, counter):
            shifted = origin.sub(lambda m: f"{given.name}:{int(m.group(1)) + first}", it.origin, count=1)
            yield _raw(unit, _renamed(it, shifted))
        yield _count(unit, counter.records)

    lines = spark.sparkContext.textFile(given.uri, use_unicode=False).zipWithIndex()
    records = lines.mapPartitionsWithIndex(lambda split, it: (tuple(r[f.name] for f in RAW) for r in read_split(split, it)))
    return spark.createDataFrame(records, R.spark_schema(RAW))


def _renamed(it: Item, origin: str) -> Item:
    """The item with its origin as the CLI names it; a record without text or URL is named
    after its origin (newsdesk.ingest.common.dropped), so its id follows."""
    from ..model import item_id

    if it.id == item_id(it.origin):
        return replace(it, origin=origin, id=item_id(origin))
    return replace(it, origin=origin)


def _raw(unit: int, it: Item) -> dict:
    return {"unit": unit, "count": None, "unreadable": bool(it.junk_reason), **R.item_dict(it)}


def _count(unit: int, count: int) -> dict:
    return {"unit": unit, "count": count, "unreadable": False, "n": 0, "id": "", "text": "", "title": None, "url": None,
            "source": None, "published": None, "language": None, "origin": "", "junk_reason": None, "junk_spans": [], "truncated": False,
            "note": None}


def _id(name: str) -> str:
    from ..model import item_id

    return item_id(name)


def errors_table(items):
    """The records that could not be read (as `--errors FILE` lists them in the CLI)."""
    from pyspark.sql import functions as F

    return items.where(F.col("unreadable")).select("n", "origin", "url", F.col("junk_reason").alias("reason"))

