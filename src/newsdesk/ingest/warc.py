"""WARC and WARC.gz archives (warcio): one item per HTML response record.

Request, metadata and non-HTML records (images, scripts, styles) are not news records and are
passed over; an HTML response with an error status is dropped with it. A damaged archive ends
the reading with one listed record (the records before it are kept), and warcio's warnings
(it writes them to standard error, one per damaged record) are counted into one.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator

from ..model import Item
from ..options import Options
from .common import RecordCounter, cap_reason, dropped
from .html import page_item

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream, name: str, options: Options, counter: RecordCounter) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator

    warnings = _Warnings()
    records = 0
    archive = ArchiveIterator(stream, arc2warc=True)
    while True:
        try:
            with contextlib.redirect_stderr(warnings):  # only while warcio runs, never across a yield
                record = next(archive, None)
                found = _html_response(record, options) if record is not None else None
        except Exception as exc:  # warcio raises many kinds on a damaged archive (an overflowing length...)
            yield dropped(counter, f"{name} after record {records}", f"malformed WARC: {_short(exc)}")
            break
        if record is None:
            break
        if found is None:
            continue
        records += 1
        url, problem, body = found
        origin = f"{name} record {records} ({url})"
        if problem:
            yield dropped(counter, origin, problem, url=url)
        else:
            yield page_item(body, origin, counter, options, url=url)
    if warnings.count:
        yield dropped(counter, name, f"damaged WARC: {warnings.count:,} warning(s) from the WARC reader "
                      f"(the first: {warnings.first})")


def _html_response(record, options: Options) -> tuple[str | None, str | None, bytes] | None:
    """(url, why it is dropped or None, page) of an HTML response; None for any other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if ctype not in HTML_TYPES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    status = record.http_headers.get_statuscode()
    if not str(status).startswith("2"):
        return url, f"HTTP {status} response in the archive", b""
    cap = options.max_response_bytes
    body = record.content_stream().read(cap + 1)  # decompressed (Content-Encoding) as read: bounded
    if len(body) > cap:
        return url, cap_reason("page too large", "max_response_bytes", cap, " bytes"), b""
    return url, None, body


class _Warnings(io.TextIOBase):
    """Stands in for standard error while warcio runs: counts its warnings, keeps the first."""

    def __init__(self):
        self.count, self.first = 0, ""

    def writable(self):
        return True

    def write(self, text: str) -> int:
        if text.strip():
            self.count += 1
            self.first = self.first or " ".join(text.split())[:160]
        return len(text)


def _short(exc: Exception) -> str:
    return (str(exc).strip() or type(exc).__name__).splitlines()[0][:200]
