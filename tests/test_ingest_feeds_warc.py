"""RSS/Atom feeds and WARC archives, with fixtures written in the test and real pages."""

from __future__ import annotations

import gzip
import io
from datetime import datetime, timezone

from newsdesk import Options
from newsdesk.ingest import read

from .conftest import DATA, need

PAGES = DATA / "article-extraction-benchmark" / "html"

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Daily Planet</title><link>https://www.dailyplanet.example/</link><language>en-gb</language>
<item><title>Council passes flood budget</title><link>https://www.dailyplanet.example/a</link>
<description>&lt;p&gt;The city council approved the new flood defence budget on Monday after a long debate.&lt;/p&gt;</description>
<pubDate>Mon, 04 Mar 2024 10:00:00 +0100</pubDate></item>
<item><title>Barrier on schedule</title><link>https://www.dailyplanet.example/b</link>
<description>Engineers said the river barrier would be finished before the winter storms arrive.</description></item>
<item></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><title>Port reopens</title><link href="https://wire.example/p"/><updated>2024-03-05T08:30:00Z</updated>
<summary>The port reopened on Tuesday after a three-day strike by dock workers over pay.</summary></entry></feed>"""


def _read(*paths, **options):
    return list(read([str(p) for p in paths], Options().update(**options)))


def test_rss_entries_with_metadata(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(RSS, encoding="utf-8")
    items = _read(path)
    assert len(items) == 3
    first = items[0]
    assert first.title == "Council passes flood budget" and first.source == "Daily Planet"
    assert first.text.startswith("The city council approved") and "<p>" not in first.text
    assert first.url == "https://www.dailyplanet.example/a"
    assert first.published == datetime(2024, 3, 4, 9, 0, tzinfo=timezone.utc)
    assert items[1].published is None and items[1].language == "en"
    assert items[2].junk_reason == "feed entry with neither title nor summary"


def test_atom_feed(tmp_path):
    path = tmp_path / "wire.atom"
    path.write_text(ATOM, encoding="utf-8")
    (item,) = _read(path)
    assert item.source == "Wire" and item.published == datetime(2024, 3, 5, 8, 30, tzinfo=timezone.utc)


def test_malformed_feed_is_one_dropped_record(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</ti', encoding="utf-8")
    (item,) = _read(path)
    assert item.junk_reason.startswith("malformed feed")


def _warc(pages: list[tuple[str, bytes, str, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "newsdesk tests"}))
    for url, body, ctype, status in pages:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    return out.getvalue()


def test_warc_of_real_pages(tmp_path):
    files = sorted(need(PAGES).glob("*.html.gz"))[:3]
    pages = [(f"https://news.example/{i}", gzip.decompress(f.read_bytes()), "text/html; charset=utf-8", "200 OK")
             for i, f in enumerate(files)]
    pages.insert(1, ("https://news.example/logo.png", b"\x89PNG....", "image/png", "200 OK"))
    pages.append(("https://news.example/gone", b"<html><body>Not found</body></html>", "text/html", "404 Not Found"))
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_warc(pages))
    items = _read(path)
    assert len(items) == 4  # three pages and the 404; the image and the requests are not news records
    assert [it.url for it in items[:3]] == [f"https://news.example/{i}" for i in range(3)]
    assert all(len(it.text) > 500 and not it.junk_reason for it in items[:3])
    assert items[3].junk_reason == "HTTP 404 response in the archive"
    # the same archive, uncompressed, and cut short: what was read is kept, the cut reported
    raw = gzip.decompress(path.read_bytes())
    plain = tmp_path / "crawl.warc"
    plain.write_bytes(raw)
    assert [it.url for it in _read(plain)] == [it.url for it in items]
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(path.read_bytes()[: len(path.read_bytes()) * 2 // 3])
    got = _read(cut)
    assert got[0].url == "https://news.example/0" and not got[0].junk_reason
    assert got[-1].junk_reason and ("truncated" in got[-1].junk_reason or "malformed WARC" in got[-1].junk_reason)
