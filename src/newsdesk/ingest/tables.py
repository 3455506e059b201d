"""CSV and TSV: one item per data row, columns found by their usual names or by --field.

A table whose first row names no known column is read as headerless: --field names columns
by position (text=3), and without a mapping the text is the column with the longest cells and
the title the next longest one with several words (AG News: class, title, description).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator

from ..model import Item
from ..options import Options
from .common import FIELD_NAMES, RecordCounter, dropped, key, make_item
from .fields import FieldMap
from .text import _decode

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
_SAMPLE_ROWS = 50


def read_table(stream, name: str, options: Options, counter: RecordCounter, delimiter: str = ",") -> Iterator[Item]:
    lines = (_decode(raw) for raw in stream)
    rows = csv.reader(lines, delimiter=delimiter)
    fields = FieldMap(options.field_names)
    try:
        first = next(rows)
    except StopIteration:
        return
    except csv.Error as exc:
        yield dropped(counter, f"{name}:1", f"unreadable {'TSV' if delimiter == chr(9) else 'CSV'} row: {exc}")
        return
    sample: list[list[str]] = []
    for row in rows:
        sample.append(row)
        if len(sample) >= _SAMPLE_ROWS:
            break
    if has_header(first, options.field_names) or _numbers_below(first, sample):
        header = [h.strip() for h in first]
        columns = fields.columns(header)
        row_no = 1
    else:
        header = [str(i) for i in range(1, len(first) + 1)]
        sample = [first] + sample
        columns = fields.columns(header) if options.field_names else _guess_columns(sample)
        row_no = 0
    if "text" not in columns and "title" not in columns:
        reason = f"no text column (columns: {', '.join(header)}); map one with --field text=NAME"
        for _ in _all(sample, rows):
            row_no += 1
            yield dropped(counter, f"{name}:{row_no}", reason)
        return
    try:
        for row in _all(sample, rows):
            row_no += 1
            origin = f"{name}:{row_no}"
            if not any(cell.strip() for cell in row):
                counter.next()  # a blank row keeps its number but is not an item
                continue
            if len(row) != len(header):
                yield dropped(counter, origin, f"row has {len(row)} columns, the header {len(header)}")
                continue
            get = {role: row[i] for role, i in columns.items() if i < len(row)}
            yield make_item(counter, options, get.get("text") or "", origin, title=get.get("title"), url=get.get("url"),
                            source=get.get("source"), published=get.get("published"), language=get.get("language"))
    except csv.Error as exc:
        yield dropped(counter, f"{name}:{row_no + 1}", f"unreadable CSV row, rest of the file skipped: {exc}")


def _all(sample, rows):
    yield from sample
    yield from rows


def has_header(first: list[str], mapping: dict[str, str] | None = None) -> bool:
    names = {key(cell) for cell in first}
    known = {n for names_ in FIELD_NAMES.values() for n in names_}
    if mapping and any(key(v) in names for v in mapping.values() if not v.isdigit()):
        return True
    return bool(names & known)


def _numbers_below(first: list[str], rows: list[list[str]]) -> bool:
    """A header row: words above a column that is all numbers (as csv.Sniffer reasons)."""
    for i, cell in enumerate(first):
        below = [r[i] for r in rows if i < len(r) and r[i].strip()]
        if below and not _is_number(cell) and all(_is_number(c) for c in below):
            return True
    return False


def _guess_columns(sample: list[list[str]]) -> dict[str, int]:
    width = max((len(r) for r in sample), default=0)
    lengths = []
    for i in range(width):
        cells = [r[i] for r in sample if i < len(r)]
        numeric = all(_is_number(c) for c in cells if c.strip())
        words = sum(len(c.split()) for c in cells) / max(1, len(cells))
        lengths.append((0 if numeric else sum(map(len, cells)) / max(1, len(cells)), words, i))
    ranked = sorted((x for x in lengths if x[0] > 0), key=lambda x: (-x[0], x[2]))
    found = {}
    if ranked:
        found["text"] = ranked[0][2]
    if len(ranked) > 1 and ranked[1][1] >= 3:
        found["title"] = ranked[1][2]
    return found


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False
