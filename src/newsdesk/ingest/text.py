"""Plain text: one news item per line. Streams line by line; memory stays bounded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from ..errors import NewsdeskError
from ..model import Item
from ..options import Options

# Control characters other than tab: a line full of them is not text.
_CONTROL = {chr(c) for c in range(32) if c not in (9, 10, 13)} | {"\x7f"}


from .common import RecordCounter  # noqa: E402,F401  (numbering shared by every reader)


def read_lines(stream: BinaryIO, name: str, options: Options, counter: RecordCounter) -> Iterator[Item]:
    first = stream.peek(8192)[:8192] if hasattr(stream, "peek") else b""
    if _looks_binary(first):
        raise NewsdeskError(f"{name} looks like a binary file, not text with one news item per line", code=2)
    for raw in stream:
        counter.records += 1
        line = _decode(raw).rstrip("\r\n")
        if not line.strip():
            continue  # a blank line keeps its number but is not an item
        yield _item(line, counter.records, name, options)


def _item(line: str, n: int, name: str, options: Options) -> Item:
    origin = f"{name}:{n}"
    if sum(ch in _CONTROL for ch in line) > max(2, len(line) // 100):
        return Item(n=n, text=line, origin=origin, junk_reason="not text (control characters)")
    if len(line) > options.max_item_chars:
        note = f"cut from {len(line):,} to {options.max_item_chars:,} characters"
        return Item(n=n, text=line[: options.max_item_chars], origin=origin, truncated=True, note=note)
    return Item(n=n, text=line, origin=origin, language=_language(line))


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
    if b"\x00" in head:
        return True
    controls = sum(b < 32 and b not in (9, 10, 13) for b in head)
    return len(head) > 0 and controls / len(head) > 0.1
