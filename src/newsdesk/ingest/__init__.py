"""Readers: every input format yields Items, numbered across all inputs in the order given.

`read(paths, options)` takes files, folders (read recursively in sorted path order; hidden
files and folders are passed over), URLs and "-" for standard input. Compressed inputs
(.gz, .bz2, .xz, .zst) are recognised by their first bytes and decompressed as they stream.
The format of each input is detected from its content (`Options.input_format` overrides):

    text   one item per line             jsonl  one JSON record per line
    json   an array of records            csv / tsv   one item per data row
    html   one item per page              feed   RSS/Atom, one item per entry
    warc   one item per HTML response     urls   one URL per line, each fetched

A record that cannot be used is still yielded, with `junk_reason` saying why, so that the
ledger accounts for it; only whole-input problems (a missing path, a binary file given by
name, an empty folder) raise NewsdeskError.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NewsdeskError
from ..model import Item
from ..options import INPUT_FORMATS, Options
from . import text
from .common import FIELD_NAMES, RecordCounter, dropped, key

FORMATS = INPUT_FORMATS
_SNIFF = 65536
_MAGIC = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz", b"\x28\xb5\x2f\xfd": "zstd"}
_READ_ERRORS = (EOFError, OSError, zlib.error, lzma.LZMAError, ValueError)


def read(paths: Iterable[str | Path], options: Options | None = None) -> Iterator[Item]:
    """Yield the items of every input in turn; "-" reads standard input.

    Numbering continues across inputs: the second file's first record follows the first
    file's last record, blank lines included, so that item numbers match what users count.
    """
    options = options or Options()
    if options.input_format and options.input_format not in FORMATS:
        raise NewsdeskError(f"unknown input format {options.input_format!r}: use one of {', '.join(FORMATS)}", code=2)
    paths = [str(p) for p in paths]
    for p in paths:  # whole-input errors before any work
        if p != "-" and not _is_url(p) and not Path(p).exists():
            raise NewsdeskError(f"no such file: {p}", code=2)
    counter = RecordCounter()
    fetcher = _LazyFetcher(options)
    try:
        for p in paths:
            if p == "-":
                yield from _read_stream(sys.stdin.buffer, "<stdin>", options, counter, fetcher)
            elif _is_url(p):
                yield from _read_urls([(p, p)], options, counter, fetcher)
            elif Path(p).is_dir():
                files = _walk(Path(p))
                if not files:
                    raise NewsdeskError(f"{p} is a directory with no files to read", code=2)
                for f in files:
                    yield from _read_file(f, options, counter, fetcher, in_folder=True)
            else:
                yield from _read_file(Path(p), options, counter, fetcher)
    finally:
        fetcher.close()


@dataclass
class ReadReport:
    """Counts what reading could not use: wrap `read(...)` with `watch` and look afterwards."""

    records: int = 0
    skipped: list[Item] = field(default_factory=list)

    def watch(self, items: Iterable[Item]) -> Iterator[Item]:
        for it in items:
            self.records += 1
            if it.junk_reason:
                self.skipped.append(it)
            yield it

    def errors_jsonl(self) -> str:
        return "".join(json.dumps({"n": it.n, "origin": it.origin, "url": it.url, "reason": it.junk_reason},
                                  ensure_ascii=False) + "\n" for it in self.skipped)

    def summary(self) -> str:
        return f"read {self.records} record(s); skipped {len(self.skipped)} that could not be read"


# --- opening


def _walk(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative) or not path.is_file():
            continue
        found.append(path)
    return found


def _read_file(path: Path, options, counter, fetcher, in_folder: bool = False) -> Iterator[Item]:
    try:
        raw = path.open("rb")
    except FileNotFoundError:
        raise NewsdeskError(f"no such file: {path}", code=2) from None
    except OSError as exc:
        if in_folder:
            yield dropped(counter, str(path), f"cannot read: {exc.strerror}")
            return
        raise NewsdeskError(f"cannot read {path}: {exc.strerror}", code=2) from None
    with raw:
        yield from _read_stream(raw, str(path), options, counter, fetcher, in_folder)


def _read_stream(raw, name: str, options, counter, fetcher, in_folder: bool = False) -> Iterator[Item]:
    stream, compression = _decompressed(raw)
    try:
        head = _peek(stream)
    except _READ_ERRORS as exc:
        yield dropped(counter, name, f"corrupt {compression or ''} input: {_short(exc)}".replace("  ", " "))
        return
    fmt = options.input_format or sniff(head, name)
    if fmt is None:
        if in_folder:
            yield dropped(counter, name, "not news: a binary file")
            return
        raise NewsdeskError(f"{name} looks like a binary file, not news in a format newsdesk reads", code=2)
    try:
        yield from _dispatch(fmt, stream, name, options, counter, fetcher)
    except _READ_ERRORS as exc:
        what = f"truncated or corrupt {compression} input" if compression else "read error"
        yield dropped(counter, name, f"{what}: {_short(exc)}; the records before it were read")
        return
    error = getattr(getattr(stream, "raw", None), "error", None)
    if error is not None:
        yield dropped(counter, name, f"truncated or corrupt {compression} input: {_short(error)}; "
                      "the records before it were read")


def _dispatch(fmt: str, stream, name: str, options, counter, fetcher) -> Iterator[Item]:
    if fmt == "text":
        return text.read_lines(stream, name, options, counter)
    if fmt == "jsonl":
        from .jsonl import read_jsonl

        return read_jsonl(stream, name, options, counter)
    if fmt == "json":
        from .jsonl import read_json

        return read_json(stream, name, options, counter)
    if fmt in ("csv", "tsv"):
        from .tables import read_table

        return read_table(stream, name, options, counter, "\t" if fmt == "tsv" else ",")
    if fmt == "html":
        from .html import read_page

        return read_page(stream, name, options, counter)
    if fmt == "feed":
        from .feeds import read_feed

        return read_feed(stream, name, options, counter, fetcher)
    if fmt == "warc":
        from .warc import read_warc

        return read_warc(stream, name, options, counter)
    if fmt == "urls":
        return _read_url_list(stream, name, options, counter, fetcher)
    raise NewsdeskError(f"unknown input format {fmt!r}", code=2)


class _Reader(io.RawIOBase):
    """Adapts a decompressing reader to a raw stream, so that it can be buffered and peeked."""

    def __init__(self, inner):
        self.inner = inner
        self.error: Exception | None = None  # why the data ended early (a truncated file)

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.error is not None:
            return 0
        try:
            read = getattr(self.inner, "read1", self.inner.read)  # read1: what is there so far
            data = read(len(buffer))
        except _READ_ERRORS + (_zstd_error(),) as exc:  # keep what was read; report the rest
            self.error = exc
            return 0
        buffer[: len(data)] = data
        return len(data)


def _decompressed(raw):
    stream = raw if hasattr(raw, "peek") else io.BufferedReader(raw)
    head = stream.peek(8)[:8]
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            if kind == "gzip":
                inner = gzip.GzipFile(fileobj=stream)
            elif kind == "bzip2":
                inner = bz2.BZ2File(stream)
            elif kind == "xz":
                inner = lzma.LZMAFile(stream)
            else:
                import zstandard

                inner = zstandard.ZstdDecompressor().stream_reader(stream)
            return io.BufferedReader(_Reader(inner), buffer_size=_SNIFF), kind
    return stream, None


def _zstd_error():
    try:
        import zstandard

        return zstandard.ZstdError
    except ImportError:  # pragma: no cover
        return ValueError


def _peek(stream) -> bytes:
    head = stream.peek(_SNIFF)
    return head[:_SNIFF]


# --- sniffing


def sniff(head: bytes, name: str = "") -> str | None:
    """The format of an input from its first bytes (and, for tables, its name); None if binary."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    body = head.lstrip()
    if body.startswith(b"WARC/"):
        return "warc"
    if text._looks_binary(head):
        return None
    start = body[:4096].decode("utf-8", errors="replace").lower()
    if start.startswith("<"):
        if re.search(r"<(rss|feed|rdf:rdf)[\s>]", start):
            return "feed"
        if start.startswith("<?xml") and not re.search(r"<(html|!doctype html)", start):
            return "feed"
        return "html"
    decoded = text._decode(body)
    lines = decoded.splitlines()
    if len(body) == _SNIFF and len(lines) > 1:
        lines = lines[:-1]  # the last line of the sample may be cut
    lines = [ln for ln in lines if ln.strip()][:50]
    if start.startswith("["):
        return "json"
    if start.startswith("{") or (lines and sum(ln.strip().startswith("{") for ln in lines) * 2 >= len(lines)):
        for line in lines:
            try:
                json.loads(line)
                return "jsonl"
            except json.JSONDecodeError:
                continue
        return "jsonl" if len(lines) > 1 and all(ln.strip().endswith("}") for ln in lines) else "json"
    if lines and all(_is_url(ln) or ln.lstrip().startswith("#") for ln in lines) and any(_is_url(ln) for ln in lines):
        return "urls"
    suffixes = [s.lower() for s in Path(name).suffixes]
    for delimiter, fmt in (("\t", "tsv"), (",", "csv")):
        if _is_table(lines, delimiter, f".{fmt}" in suffixes):
            return fmt
    return "text"


def _is_table(lines: list[str], delimiter: str, named: bool) -> bool:
    if not lines:
        return False
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:
        return False
    widths = {len(r) for r in rows[1:] if r} or {len(rows[0])}
    if len(widths) != 1 or next(iter(widths)) < 2:
        return named and len(rows[0]) >= 2
    known = {n for names in FIELD_NAMES.values() for n in names}
    if named or {key(c) for c in rows[0]} & known or delimiter == "\t":
        return len(rows) >= 2 or named
    quoted = sum(ln.lstrip().startswith('"') for ln in lines)
    return len(lines) >= 3 and quoted >= len(lines) / 2


def _is_url(value: str) -> bool:
    from .urls import is_url

    return is_url(value)


def _short(exc: Exception) -> str:
    return (str(exc).strip() or type(exc).__name__).splitlines()[0][:200]


# --- URLs


class _LazyFetcher:
    """One HTTP client for the whole read, made only when something is fetched."""

    def __init__(self, options):
        self.options, self._fetcher = options, None

    def _get(self):
        if self._fetcher is None:
            from .urls import Fetcher

            self._fetcher = Fetcher(self.options)
        return self._fetcher

    def fetch_all(self, urls):
        return self._get().fetch_all(urls)

    def close(self):
        if self._fetcher is not None:
            self._fetcher.close()


def _read_url_list(stream, name: str, options, counter, fetcher) -> Iterator[Item]:
    def lines():
        for line_no, raw in enumerate(stream, start=1):
            yield line_no, text._decode(raw).strip()

    batch = []
    for line_no, line in lines():
        # a blank or comment line keeps its number but is not an item (None: counted in turn)
        batch.append((f"{name}:{line_no}", None if not line or line.startswith("#") else line))
        if len(batch) >= 4 * max(1, options.fetch_concurrency):
            yield from _read_urls(batch, options, counter, fetcher)
            batch = []
    yield from _read_urls(batch, options, counter, fetcher)


def _read_urls(batch: list[tuple[str, str]], options, counter, fetcher) -> Iterator[Item]:
    """Fetch a batch of (origin, url) concurrently, then read each response in input order."""
    wanted = [(origin, url) for origin, url in batch if url is not None and _is_url(url)]
    results = dict(zip((o for o, _ in wanted), fetcher.fetch_all([u for _, u in wanted])))
    for origin, url in batch:
        if url is None:
            counter.next()
            continue
        if origin not in results:
            yield dropped(counter, origin, f"not a URL: {url[:100]}")
            continue
        found = results[origin]
        if isinstance(found, str):
            yield dropped(counter, origin, found, url=url)
            continue
        yield from _read_response(found, origin, options, counter, fetcher)


def read_fetched(found, origin: str, options: Options | None = None) -> Iterator[Item]:
    """The items of a response fetched already (a `urls.Fetched`: newsdesk.watch makes its own
    conditional requests), read as a fetched URL is: a page, a feed, JSON or text."""
    options = options or Options()
    fetcher = _LazyFetcher(options)  # for --fetch-articles
    try:
        yield from _read_response(found, origin, options, RecordCounter(), fetcher)
    finally:
        fetcher.close()


def _read_response(found, origin: str, options, counter, fetcher) -> Iterator[Item]:
    head = found.body[:_SNIFF]
    fmt = sniff(head, found.url)
    if fmt == "html" or found.content_type in ("text/html", "application/xhtml+xml"):
        from .html import page_item

        yield page_item(found.body, origin, counter, options, url=found.url)
    elif fmt is None:
        yield dropped(counter, origin, "not news: a binary response", url=found.url)
    elif fmt == "urls":
        yield dropped(counter, origin, "a list of URLs at a URL is not followed", url=found.url)
    else:
        stream = io.BufferedReader(io.BytesIO(found.body))
        try:
            yield from _dispatch(fmt, stream, found.url, options, counter, fetcher)
        except _READ_ERRORS as exc:
            yield dropped(counter, origin, f"read error: {_short(exc)}", url=found.url)
