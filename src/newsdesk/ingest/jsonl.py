"""JSON Lines (one record per line) and JSON documents (an array of records, or an object
holding one, as news APIs export: {"articles": [...]})."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import accumulate

from ..model import Item
from ..options import Options
from .common import RecordCounter, cap_reason, dropped, lines, make_item
from .fields import FieldMap
from .text import _decode


def read_jsonl(stream, name: str, options: Options, counter: RecordCounter) -> Iterator[Item]:
    fields = FieldMap(options.field_names)
    for line_no, (raw, size) in enumerate(lines(stream, options.max_record_bytes), start=1):
        origin = f"{name}:{line_no}"
        if size > len(raw):
            yield dropped(counter, origin, cap_reason(f"JSON record of {size:,} bytes", "max_record_bytes",
                                                      options.max_record_bytes, " bytes"))
            continue
        line = _decode(raw).strip()
        if not line:
            counter.next()  # a blank line keeps its number, as in text files
            continue
        record = parse(line, options)
        if isinstance(record, Unreadable):
            yield dropped(counter, origin, record.reason)
            continue
        inner = _records(record) if isinstance(record, dict) and not _has_text(record, fields) else None
        if inner == []:
            yield dropped(counter, origin, "an export with an empty list of records")
            continue
        if inner is not None and inner != [record]:  # a whole export on one line: {"articles": [...]}
            for i, each in enumerate(inner, start=1):
                yield record_item(each, f"{origin}[{i}]", fields, counter, options)
            continue
        yield record_item(record, origin, fields, counter, options)


def _has_text(record: dict, fields: FieldMap) -> bool:
    found = fields.pick(record)
    return found.get("text") is not None or found.get("title") is not None


def read_json(stream, name: str, options: Options, counter: RecordCounter) -> Iterator[Item]:
    """A whole JSON document (read up to the size cap): an array of records, or an object with one."""
    data = stream.read(options.max_response_bytes + 1)
    if len(data) > options.max_response_bytes:
        yield dropped(counter, name, cap_reason("JSON document too large (JSON Lines has no such cap)",
                                                "max_response_bytes", options.max_response_bytes, " bytes"))
        return
    document = parse(_decode(data), options)
    if isinstance(document, Unreadable):
        yield dropped(counter, name, document.reason)
        return
    records = _records(document)
    if records is None:
        yield dropped(counter, name, "JSON document holds no list of records")
        return
    fields = FieldMap(options.field_names)
    for i, record in enumerate(records, start=1):
        yield record_item(record, f"{name}[{i}]", fields, counter, options)


class Unreadable:
    """Why a JSON text could not be read (a value of its own: JSON's null is None)."""

    def __init__(self, reason: str):
        self.reason = reason


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def parse(text: str, options: Options):
    """The JSON value of a text, or Unreadable: invalid, or nested deeper than
    `max_json_depth` (checked before parsing: Python's parser recurses, and 200,000 levels
    overflow its stack)."""
    if text.count("[") + text.count("{") > options.max_json_depth:
        depth = max(accumulate(_STEP[c] for c in _NOT_BRACKET.sub("", _STRING.sub("", text))), default=0)
        if depth > options.max_json_depth:
            return Unreadable(cap_reason(f"JSON nested {depth:,} levels deep", "max_json_depth",
                                         options.max_json_depth, " levels"))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return Unreadable(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except ValueError as exc:  # a number of more than 4,300 digits
        return Unreadable(f"invalid JSON: {str(exc).splitlines()[0][:120]}")
    except RecursionError:  # a raised max_json_depth beyond what the parser can do
        return Unreadable(cap_reason("JSON nested deeper than Python's parser reads", "max_json_depth",
                                     options.max_json_depth, " levels"))


def _records(document):
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for k in ("articles", "items", "results", "data", "entries", "documents", "docs", "news", "value"):
            if isinstance(document.get(k), list):
                return document[k]
        lists = [v for v in document.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if lists:
            return lists[0]
        return [document]  # a single record
    return None


def record_item(record, origin: str, fields: FieldMap, counter: RecordCounter, options: Options) -> Item:
    if isinstance(record, str):
        record = {"text": record}
    if not isinstance(record, dict):
        return dropped(counter, origin, f"not a record: a JSON {type(record).__name__}")
    found = fields.pick(record)
    if found.get("text") is None and found.get("title") is None:
        keys = ", ".join(list(map(str, record))[:12])
        return dropped(counter, origin, f"no text field (fields: {keys}); map one with --field text=NAME",
                       url=_str(found.get("url")))
    return make_item(counter, options, _str(found.get("text")) or "", origin, title=_str(found.get("title")),
                     url=_str(found.get("url")), source=_str(found.get("source")),
                     published=found.get("published"), language=_str(found.get("language")))


def _str(value):
    if value is None:
        return None
    if isinstance(value, dict):  # {"id": ..., "name": "BBC News"}
        value = value.get("name") or value.get("title") or value.get("value") or next(iter(value.values()), None)
    if isinstance(value, list):
        value = " ".join(map(str, value))
    return None if value is None else str(value)
