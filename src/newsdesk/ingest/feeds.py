"""RSS and Atom feeds through feedparser: one item per entry.

An entry's summary is usually a snippet; with `fetch_articles` the page it links to is fetched
and its article read instead (the summary is kept, with a note, when that fails).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime, timezone

from ..model import Item
from ..options import Options
from .common import RecordCounter, dropped, make_item, outlet

_BLOCK = re.compile(r"<\s*(br|/p|/div|/li|/h\d|/tr|/blockquote)\b[^>]*>", re.I)


def read_feed(stream, name: str, options: Options, counter: RecordCounter, fetcher=None) -> Iterator[Item]:
    import feedparser

    data = stream.read(options.max_response_bytes + 1)
    if len(data) > options.max_response_bytes:
        yield dropped(counter, name, f"feed larger than {options.max_response_bytes:,} bytes")
        return
    try:
        parsed = feedparser.parse(io.BytesIO(data))  # a stream: never a path or URL to open
    except Exception as exc:  # feedparser is lenient; anything it raises means unreadable
        yield dropped(counter, name, f"malformed feed: {exc}")
        return
    if not parsed.entries:
        if parsed.bozo or not (parsed.get("version") or parsed.feed):
            why = getattr(parsed.get("bozo_exception"), "getMessage", lambda: parsed.get("bozo_exception"))()
            yield dropped(counter, name, f"malformed feed: {why or 'no feed found'}")
        return
    feed = parsed.feed
    source = feed.get("title") or outlet(feed.get("link"))
    language = feed.get("language")
    entries = list(enumerate(parsed.entries, start=1))
    pages = {}
    if fetcher is not None and options.fetch_articles:
        links = [(i, e.get("link")) for i, e in entries if e.get("link")]
        pages = dict(zip((i for i, _ in links), fetcher.fetch_all([url for _, url in links])))
    for i, entry in entries:
        origin = f"{name} entry {i}"
        url = entry.get("link")
        title = entry.get("title")
        text = _entry_text(entry)
        when = _when(entry) or entry.get("published") or entry.get("updated")
        note = None
        if i in pages:
            fetched = pages[i]
            if isinstance(fetched, str):
                note = f"article not fetched ({fetched}): the feed summary is used"
            else:
                from .html import extract

                page = extract(fetched.body, fetched.url)
                if page is None:
                    note = "no article found at the entry link: the feed summary is used"
                else:
                    text, title = page.text, title or page.title
                    when = when or page.date
        if not text and not title:
            yield dropped(counter, origin, "feed entry with neither title nor summary", url=url)
            continue
        yield make_item(counter, options, text, origin, title=title, url=url, source=source,
                        published=when, language=language, note=note)


def _entry_text(entry) -> str:
    content = entry.get("content") or []
    candidates = [c.get("value", "") for c in content] + [entry.get("summary", "")]
    best = max(candidates, key=len) if candidates else ""
    return html_to_text(best)


def html_to_text(fragment: str) -> str:
    if not fragment or "<" not in fragment:
        return " ".join((fragment or "").split())
    import lxml.html

    try:
        root = lxml.html.fromstring(f"<div>{_BLOCK.sub(' ', fragment)}</div>")
        for bad in root.xpath("//script|//style"):
            bad.drop_tree()
        text = root.text_content()
    except Exception:  # unparseable markup: strip the tags
        text = re.sub(r"<[^>]+>", " ", fragment)
    return " ".join(text.split())


def _when(entry) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=timezone.utc)  # feedparser gives UTC
    except (TypeError, ValueError):
        return None
