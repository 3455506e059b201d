"""Plain text: one news item per line. Streams line by line; memory stays bounded (a line is
held up to `Options.max_record_bytes`, and its text cut to `max_item_chars`, noted)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from ..errors import NewsdeskError
from ..model import Item, item_id
from ..options import Options
from .common import CONTROL, RecordCounter, lines, too_many_controls

_CONTROL_BYTES = CONTROL.encode("ascii")


def read_lines(stream: BinaryIO, name: str, options: Options, counter: RecordCounter) -> Iterator[Item]:
    first = stream.peek(8192)[:8192] if hasattr(stream, "peek") else b""
    if _looks_binary(first):
        raise NewsdeskError(f"{name} looks like a binary file, not text with one news item per line", code=2)
    for raw, size in lines(stream, options.max_record_bytes):
        counter.records += 1
        line = _decode(raw).rstrip("\r\n")
        if not line.strip():
            continue  # a blank line keeps its number but is not an item
        yield _item(line, counter.records, name, options, size if size > len(raw) else None)


def _item(line: str, n: int, name: str, options: Options, cut_bytes: int | None = None) -> Item:
    origin = f"{name}:{n}"
    if too_many_controls(line):
        return Item(n=n, text="", id=item_id(origin), origin=origin, junk_reason="not text (control characters)")
    if cut_bytes is not None or len(line) > options.max_item_chars:
        return Item(n=n, text=line[: options.max_item_chars].strip(), origin=origin, truncated=True,
                    note=_cut_note(len(line), cut_bytes, options))
    return Item(n=n, text=line, origin=origin, language=_language(line))


def _cut_note(chars: int, cut_bytes: int | None, options: Options) -> str:
    if cut_bytes is None:
        return f"cut from {chars:,} to {options.max_item_chars:,} characters (max_item_chars)"
    if chars > options.max_item_chars:
        return f"cut from a line of {cut_bytes:,} bytes to {options.max_item_chars:,} characters (max_item_chars)"
    return f"cut from a line of {cut_bytes:,} bytes at the max_record_bytes cap of {options.max_record_bytes:,}"


def _language(text: str) -> str | None:
    from ..clean import detect_language

    return detect_language(text)


def _decode(raw: bytes) -> str:
    """UTF-8 when it is; otherwise Windows-1252, the superset of Latin-1 that old feeds use."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _looks_binary(head: bytes) -> bool:
    """Binary data: control bytes beyond a tenth, or NULs beyond a stray few (a text file with a
    NUL in one line is still text: its other lines are news)."""
    if not head:
        return False
    nuls = head.count(0)
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls * 10 > len(head) or (nuls > 4 and nuls * 100 > len(head))
