"""CSV and TSV: one item per data row, columns found by their usual names or by --field.

A table whose first row names no known column is read as headerless: --field names columns
by position (text=3), and without a mapping the text is the column with the longest cells and
the title the next longest one with several words (AG News: class, title, description).
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, islice

from ..model import Item
from ..options import Options
from .common import FIELD_NAMES, RecordCounter, cap_reason, dropped, key, lines, make_item
from .fields import FieldMap
from .text import _decode

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # the record cap is ours (see _Lines), not csv's 128 KB
_SAMPLE_ROWS = 50
_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


@dataclass
class _Row:
    cells: list[str] | None  # None: the row could not be parsed
    problem: str | None = None  # why not
    cut: str | None = None  # how the row was cut at max_record_bytes


def read_table(stream, name: str, options: Options, counter: RecordCounter, delimiter: str = ",") -> Iterator[Item]:
    kind = "TSV" if delimiter == "\t" else "CSV"
    feed = _Lines(stream, options.max_record_bytes)
    entries = _rows(csv.reader(feed, delimiter=delimiter), feed, kind)
    sample = list(islice(entries, _SAMPLE_ROWS + 1))
    parsed = [(i, e.cells) for i, e in enumerate(sample, start=1) if e.cells is not None]
    fields = FieldMap(options.field_names)
    header_at = 0  # the entry number of the header row, 0 for none
    first_row = parsed[0][1] if parsed else []
    if parsed and (has_header(first_row, options.field_names) or _numbers_below(first_row, [c for _, c in parsed[1:]])):
        header_at, first = parsed[0]
        header = [h.strip() for h in first]
        columns = fields.columns(header)
    else:
        width = len(parsed[0][1]) if parsed else 0
        header = [str(i) for i in range(1, width + 1)]
        columns = fields.columns(header) if options.field_names else _guess_columns([c for _, c in parsed])
    no_column = None
    if "text" not in columns and "title" not in columns:
        no_column = f"no text column (columns: {', '.join(header)}); map one with --field text=NAME"
    for row_no, entry in enumerate(chain(sample, entries), start=1):
        if row_no == header_at:
            continue
        origin = f"{name}:{row_no}"
        if entry.cells is None:
            yield dropped(counter, origin, entry.problem)
        elif not any(cell.strip() for cell in entry.cells):
            counter.next()  # a blank row keeps its number but is not an item
        elif no_column:
            yield dropped(counter, origin, no_column)
        elif len(entry.cells) != len(header):
            why = f"row has {len(entry.cells)} columns, the header {len(header)}"
            if entry.cut:
                why = cap_reason(f"{kind} row {entry.cut} ({why})", "max_record_bytes", options.max_record_bytes,
                                 " bytes")
            yield dropped(counter, origin, why)
        else:
            note = None
            if entry.cut:
                note = f"{kind} row {entry.cut} at the max_record_bytes cap of {options.max_record_bytes:,}"
            get = {role: entry.cells[i] for role, i in columns.items() if i < len(entry.cells)}
            yield make_item(counter, options, get.get("text") or "", origin, title=get.get("title"), url=get.get("url"),
                            source=get.get("source"), published=get.get("published"), language=get.get("language"),
                            note=note, truncated=bool(entry.cut))


class _Lines:
    """The decoded lines a csv reader parses, each at most `max_record_bytes`, and a row at
    most that many characters: a line cut there is remembered (for the row's note), and a quoted
    field left open by a cut, or running past the cap over many lines, is closed there, so that
    parsing goes on with the next line. A lone carriage return ends a line, as csv expects."""

    def __init__(self, stream, limit: int):
        self.source = lines(stream, limit)
        self.limit = limit
        self.pending: list[str] = []
        self.cut: str | None = None  # how the current row was cut
        self.row_chars = 0  # characters given for the current row (reset by _rows)

    def __iter__(self):
        return self

    def __next__(self) -> str:
        while not self.pending:
            raw, size = next(self.source)
            line = _decode(raw)
            if size > len(raw):
                self.cut = f"cut from a line of {size:,} bytes"
                if line.count('"') % 2:
                    line += '"'
            self.pending = [part for part in _LONE_CR.split(line) if part][::-1]
        if self.row_chars and self.row_chars + len(self.pending[-1]) > self.limit:
            self.cut = "cut: a quoted field runs over many lines"
            self.row_chars = 0
            return '"\n'  # closes the field and the row; the line waits for the next row
        part = self.pending.pop()
        self.row_chars += len(part)
        return part


def _rows(reader, feed: _Lines, kind: str) -> Iterator[_Row]:
    """Every row, or why it could not be parsed; parsing goes on with the next line."""
    while True:
        feed.cut, feed.row_chars = None, 0
        before = reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if reader.line_num == before:  # nothing consumed: the same error would come again
                return
            yield _Row(None, f"unreadable {kind} row: {exc}", feed.cut)
            continue
        yield _Row(cells, None, feed.cut)


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
