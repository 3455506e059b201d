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
from .common import FIELD_NAMES, RecordCounter, cap_reason, dropped, key, lines

FORMATS = INPUT_FORMATS
_SNIFF = 65536
_MAGIC = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz", b"\x28\xb5\x2f\xfd": "zstd"}
_LONGEST_URL = 16_384
_RATIO_FROM = 10_000_000  # decompressed bytes before the ratio is judged (a small file may expand a lot)
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
                    if isinstance(f, tuple):
                        yield dropped(counter, str(f[0]), f[1])
                    else:
                        yield from _read_file(f, options, counter, fetcher, in_folder=True)
            else:
                yield from _read_file(Path(p), options, counter, fetcher)
    finally:
        fetcher.close()


@dataclass
class ReadReport:
    """Counts what reading could not use, or used only in part: wrap `read(...)` with `watch`
    and look afterwards. `skipped`: records dropped with a reason; `noted`: records read with a
    note on what reading did to them (cut at a cap, an article not fetched)."""

    records: int = 0
    skipped: list[Item] = field(default_factory=list)
    noted: list[Item] = field(default_factory=list)

    def watch(self, items: Iterable[Item]) -> Iterator[Item]:
        for it in items:
            self.records += 1
            if it.junk_reason:
                self.skipped.append(it)
            elif it.note:
                self.noted.append(it)
            yield it

    def errors_jsonl(self) -> str:
        """One line per skipped record ("reason") and per noted one ("note"), in input order."""
        entries = [{"n": it.n, "origin": it.origin, "url": it.url, "reason": it.junk_reason} for it in self.skipped]
        entries += [{"n": it.n, "origin": it.origin, "url": it.url, "note": it.note} for it in self.noted]
        return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in sorted(entries, key=lambda e: e["n"]))

    def summary(self) -> str:
        text = f"read {self.records} record(s); skipped {len(self.skipped)} that could not be read"
        if self.noted:
            text += f"; {len(self.noted)} read in part or with a note (cut at a cap...)"
        return text


# --- opening


def _walk(folder: Path) -> list[Path | tuple[Path, str]]:
    """The files under a folder in sorted path order, hidden ones passed over. A symbolic link
    is followed only to a file inside the folder: one that leads out of it (to /etc/passwd) or
    to a folder is listed with the reason instead (a path, reason pair)."""
    found = []
    inside = folder.resolve()
    for path in sorted(folder.rglob("*")):  # rglob does not descend into linked folders
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative):
            continue
        if path.is_symlink():
            target = path.resolve()
            if target.is_dir():
                found.append((path, "not read: a link to a folder is not followed"))
            elif not target.is_relative_to(inside):
                found.append((path, "not read: a link to a file outside the folder is not followed"))
            elif target.is_file():
                found.append(path)
        elif path.is_file():
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
    stream, source = _opened(raw, options)
    head = _peek(stream)
    fmt = options.input_format or sniff(head, name)
    if fmt is None or (fmt == "text" and text._looks_binary(head[:8192])):  # text forced on a binary file
        if in_folder:
            yield dropped(counter, name, "not news: a binary file")
            return
        raise NewsdeskError(f"{name} looks like a binary file, not news in a format newsdesk reads", code=2)
    records = _dispatch(fmt, stream, name, options, counter, fetcher)
    try:
        yield from _capped(records, name, options, counter)
    except _READ_ERRORS as exc:
        yield dropped(counter, name, f"read error: {_short(exc)}; the records before it were read")
        return
    finally:
        records.close()
    if source.reason:
        yield dropped(counter, name, source.reason)


def _capped(records: Iterator[Item], name: str, options, counter) -> Iterator[Item]:
    """The records of one input, up to `max_items_per_input`; one more record listed in place
    of the rest when there is more."""
    for count, item in enumerate(records, start=1):
        yield item
        if count >= options.max_items_per_input:
            if next(records, None) is not None:
                what = f"stopped after {count:,} records; the rest of {name} is not read"
                yield dropped(counter, name, cap_reason(what, "max_items_per_input", options.max_items_per_input,
                                                        " records"))
            return


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


class _Source(io.RawIOBase):
    """A file, pipe or decompressor as a raw stream to buffer. Its first reads are filled (so
    that a peek sees the whole sample to sniff); an error ends it as the end of the data would,
    with the reason kept. A compressed input stops at `max_decompressed_bytes`, and at
    `max_decompression_ratio` once past `_RATIO_FROM` bytes (a bomb: 1 MB of gzip makes 1 GB)."""

    def __init__(self, inner, compression: str | None = None, options=None, packed=None):
        self.inner, self.compression, self.options, self.packed = inner, compression, options, packed
        self.cap = options.max_decompressed_bytes if compression else None
        self.read_bytes = 0
        self.reason: str | None = None  # why the data ended early, for the ledger

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.reason is not None:
            return 0
        view = memoryview(buffer).cast("B")
        wanted = len(view) if self.cap is None else min(len(view), self.cap + 1 - self.read_bytes)
        filled = 0
        try:
            read = getattr(self.inner, "read1", self.inner.read)  # read1: what is there so far
            while filled < wanted:
                data = read(wanted - filled)
                if not data:
                    break
                view[filled:filled + len(data)] = data
                filled += len(data)
                if self.read_bytes + filled >= _SNIFF:
                    break  # past the sample: what is there, as it comes (a pipe streams)
        except _READ_ERRORS + (_zstd_error(),) as exc:  # keep what was read; report the rest
            what = f"truncated or corrupt {self.compression} input" if self.compression else "read error"
            self.reason = f"{what}: {_short(exc)}; the records before it were read"
        self.read_bytes += filled
        if self.compression:
            filled -= self._past_caps()
        return filled

    def _past_caps(self) -> int:
        """How many of the bytes just read lie past a cap (the reason is then set)."""
        options = self.options
        if self.read_bytes > self.cap:
            self.reason = cap_reason(f"{self.compression} input too large decompressed; the rest is not read",
                                     "max_decompressed_bytes", self.cap, " bytes")
            over, self.read_bytes = self.read_bytes - self.cap, self.cap
            return over
        ratio = self.read_bytes / max(1, self.packed.count)
        if self.read_bytes > _RATIO_FROM and ratio > options.max_decompression_ratio:
            self.reason = cap_reason(f"{self.compression} input expands {ratio:,.0f}-fold (a decompression bomb?); "
                                     f"the rest is not read", "max_decompression_ratio",
                                     options.max_decompression_ratio, "-fold")
        return 0


class _Counted:
    """A compressed stream that counts the bytes read out of it (for the decompression ratio)."""

    def __init__(self, stream):
        self.stream, self.count = stream, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        return data


class _Zstd:
    """zstd frames one after another, decompressed as they are read. The input goes in small
    steps, since one zstd block can expand 30,000-fold, and input that ends inside a frame is an
    error (python-zstandard's own stream reader ends there quietly: a truncated file read as
    shorter, or empty)."""

    STEP = 1024

    def __init__(self, stream):
        import zstandard

        self.stream, self.new = stream, zstandard.ZstdDecompressor().decompressobj
        self.error = zstandard.ZstdError
        self.frame = None
        self.out, self.at = memoryview(b""), 0

    def read(self, size: int = -1) -> bytes:
        while self.at >= len(self.out):
            if not self._decompress_more():
                return b""
        end = len(self.out) if size < 0 else self.at + size
        data = bytes(self.out[self.at:end])
        self.at += len(data)
        return data

    def _decompress_more(self) -> bool:
        rest = b""
        if self.frame is not None and self.frame.eof:  # a frame ended: what follows starts the next
            rest, self.frame = self.frame.unused_data, None
        data = rest or self.stream.read(self.STEP)
        if not data:
            if self.frame is not None:
                raise self.error("the data ends inside a zstd frame")
            return False
        if self.frame is None:
            self.frame = self.new()
        self.out, self.at = memoryview(self.frame.decompress(data)), 0
        return True


def _opened(raw, options) -> tuple[io.BufferedReader, _Source]:
    """The input as a buffered stream, decompressed when its first bytes say so, and the source
    under it (which knows why it ended early, if it did)."""
    stream = raw if hasattr(raw, "peek") else io.BufferedReader(raw)
    head = stream.peek(8)[:8]
    source = _Source(stream)
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            packed = _Counted(stream)
            if kind == "gzip":
                inner = gzip.GzipFile(fileobj=packed)
            elif kind == "bzip2":
                inner = bz2.BZ2File(packed)
            elif kind == "xz":
                inner = lzma.LZMAFile(packed)
            else:
                inner = _Zstd(packed)
            source = _Source(inner, kind, options, packed)
            break
    else:
        encoding = _unicode_bom(head)
        if encoding:
            source = _Source(_Transcoded(stream, encoding))
    return io.BufferedReader(source, buffer_size=_SNIFF), source


def _unicode_bom(head: bytes) -> str | None:
    """UTF-16 or UTF-32 named by a byte order mark (Excel's "Unicode text" is UTF-16 TSV)."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


class _Transcoded:
    """A UTF-16/32 stream read as UTF-8, which every reader expects (bad bytes replaced)."""

    def __init__(self, stream, encoding: str):
        self.text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")

    def read(self, size: int = -1) -> bytes:
        return self.text.read(size if size < 0 else max(1, size // 4)).encode("utf-8", errors="replace")


def _zstd_error():
    try:
        import zstandard

        return zstandard.ZstdError
    except ImportError:  # pragma: no cover
        return ValueError


def _peek(stream) -> bytes:
    return stream.peek(_SNIFF)[:_SNIFF]


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
    cut = len(head) >= _SNIFF  # the sample ends inside the input, maybe inside a line
    if cut and len(lines) > 1:
        lines = lines[:-1]
    lines = [ln for ln in lines if ln.strip()][:50]
    if start.startswith("["):
        return "json"
    if start.startswith("{") or (lines and sum(ln.strip().startswith("{") for ln in lines) * 2 >= len(lines)):
        if cut and len(lines) <= 1:
            return "jsonl"  # one record longer than the sample: JSON Lines reads it (or a whole export) alike
        for line in lines:
            try:
                json.loads(line)
                return "jsonl"
            except (ValueError, RecursionError):
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
    def numbered():
        for line_no, (raw, size) in enumerate(lines(stream, options.max_record_bytes), start=1):
            if size > len(raw) or size > _LONGEST_URL:  # cut: kept out of the fetch by the spaces in its reason
                yield line_no, f"{text._decode(raw[:40]).strip()} ... (a line of {size:,} bytes)"
            else:
                yield line_no, text._decode(raw).strip()

    batch = []
    for line_no, line in numbered():
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
