"""RSS and Atom feeds through feedparser: one item per entry.

An entry's summary is usually a snippet; with `fetch_articles` the page it links to is fetched
and its article read instead (the summary is kept, with a note, when that fails).

Text is kept as it reads, never escaped: an entity feedparser could not resolve ("&lol9;", which
its HTML sanitiser hands back as "&amp;lol9") reads "&lol9", and escaping is left to whichever
renderer needs it. Entities a feed declares in its DOCTYPE may expand to at most
`Options.max_entity_expansion` characters.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from datetime import datetime, timezone

from ..model import Item
from ..options import Options
from .common import RecordCounter, cap_reason, dropped, make_item, outlet

_BLOCK = re.compile(r"<\s*(br|/p|/div|/li|/h\d|/tr|/blockquote)\b[^>]*>", re.I)


def read_feed(stream, name: str, options: Options, counter: RecordCounter, fetcher=None) -> Iterator[Item]:
    import feedparser

    data = stream.read(options.max_response_bytes + 1)
    if len(data) > options.max_response_bytes:
        yield dropped(counter, name, cap_reason("feed too large", "max_response_bytes",
                                                options.max_response_bytes, " bytes"))
        return
    expansion = entity_expansion(data)
    if expansion > options.max_entity_expansion:
        size = "without bound" if expansion >= _UNBOUNDED else f"to {expansion:,} characters"
        yield dropped(counter, name, cap_reason(f"feed whose declared entities expand {size}",
                                                "max_entity_expansion", options.max_entity_expansion, " characters"))
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
    source = _plain_text(feed, "title", options) or outlet(feed.get("link"))
    language = feed.get("language")
    entries = list(enumerate(parsed.entries, start=1))
    pages = {}
    if fetcher is not None and options.fetch_articles:
        links = [(i, e.get("link")) for i, e in entries if e.get("link")]
        pages = dict(zip((i for i, _ in links), fetcher.fetch_all([url for _, url in links])))
    for i, entry in entries:
        origin = f"{name} entry {i}"
        url = entry.get("link")
        title = _plain_text(entry, "title", options)
        text = _entry_text(entry, options)
        if text is None:
            yield dropped(counter, origin, cap_reason("feed entry HTML nested too deep",
                                                      "max_html_depth", options.max_html_depth, " levels"), url=url)
            continue
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


_DECLARATION = re.compile(rb"""<!ENTITY\s+(?:%\s+)?([^\s"'>]+)\s+(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(rb"[&%]([^\s&%;<>\"']+);")
_UNBOUNDED = 1 << 62


def entity_expansion(data: bytes) -> int:
    """How many characters the entities a feed declares in its DOCTYPE would add where it uses
    them, nested entities expanded. feedparser removes declarations only where they start a
    line, so the XML parser may expand the others (expat stops at a hundredfold amplification:
    a 10 MB feed could still become 1 GB)."""
    if b"<!ENTITY" not in data:
        return 0
    start = re.search(rb"<\w", data)  # the DOCTYPE ends before the first element
    head, body = (data[: start.start()], data[start.start():]) if start else (data, b"")
    declared = {}
    for match in _DECLARATION.finditer(head):
        declared.setdefault(match.group(1), match.group(2) if match.group(2) is not None else match.group(3))
    sizes = _expanded_sizes(declared)
    total = sum(sizes.get(name, 0) for name in _REFERENCE.findall(body))
    return min(total, _UNBOUNDED)


def _expanded_sizes(declared: dict[bytes, bytes]) -> dict[bytes, int]:
    """Each entity's length with the entities in its value expanded (depth first, without
    recursion: a chain may be thousands long); a loop counts as unbounded."""
    sizes: dict[bytes, int] = {}
    for root in declared:
        stack, open_ = [(root, False)], set()
        while stack:
            name, children_done = stack.pop()
            if name in sizes:
                continue
            refs = [r for r in _REFERENCE.findall(declared[name]) if r in declared]
            if children_done:
                open_.discard(name)
                size = len(_REFERENCE.sub(b"", declared[name])) + sum(sizes.get(r, _UNBOUNDED) for r in refs)
                sizes[name] = min(size, _UNBOUNDED)
            elif name in open_:
                sizes[name] = _UNBOUNDED  # an entity that contains itself
            else:
                open_.add(name)
                stack.append((name, True))
                stack.extend((r, False) for r in set(refs) if r not in sizes)
    return sizes


def _plain_text(record, key: str, options: Options) -> str | None:
    """A title as text: feedparser hands back an HTML title (Atom type="html") as HTML."""
    value = record.get(key)
    if not value:
        return None
    detail = record.get(f"{key}_detail") or {}
    if detail.get("type") in ("text/html", "application/xhtml+xml"):
        return html_to_text(value, options.max_html_depth)
    return value


def _entry_text(entry, options: Options) -> str | None:
    content = entry.get("content") or []
    candidates = [c.get("value") or "" for c in content] + [entry.get("summary") or ""]
    best = max(candidates, key=len) if candidates else ""
    return html_to_text(best, options.max_html_depth)


def html_to_text(fragment: str, max_depth: int = 250) -> str | None:
    """The text of an HTML fragment, entities resolved; None when its elements nest deeper
    than `max_depth` (the parser would drop what lies below)."""
    if not fragment or "<" not in fragment:
        return " ".join(html.unescape(fragment or "").split())
    import lxml.html

    from .html import too_deep

    try:
        root = lxml.html.fromstring(f"<div>{_BLOCK.sub(' ', fragment)}</div>")
        if too_deep(root, max_depth):
            return None
        for bad in root.xpath("//script|//style"):
            bad.drop_tree()
        text = root.text_content()
    except Exception:  # unparseable markup: strip the tags
        text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return " ".join(text.split())


def _when(entry) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=timezone.utc)  # feedparser gives UTC
    except (TypeError, ValueError):
        return None
