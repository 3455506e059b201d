"""WARC and WARC.gz archives (warcio): one item per HTML response record.

Request, metadata and non-HTML records (images, scripts, styles) are not news records and are
passed over; an HTML response with an error status is dropped with it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Item
from ..options import Options
from .common import RecordCounter, dropped
from .html import page_item

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream, name: str, options: Options, counter: RecordCounter) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = 0
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
            if ctype not in HTML_TYPES:
                continue
            records += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            origin = f"{name} record {records} ({url})"
            status = record.http_headers.get_statuscode()
            if not str(status).startswith("2"):
                yield dropped(counter, origin, f"HTTP {status} response in the archive", url=url)
                continue
            body = record.content_stream().read(options.max_response_bytes + 1)
            if len(body) > options.max_response_bytes:
                yield dropped(counter, origin, f"page larger than {options.max_response_bytes:,} bytes", url=url)
                continue
            yield page_item(body, origin, counter, options, url=url)
    except ArchiveLoadFailed as exc:
        yield dropped(counter, f"{name} after record {records}", f"malformed WARC: {str(exc).splitlines()[0][:200]}")
