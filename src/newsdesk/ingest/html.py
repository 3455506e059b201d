"""HTML pages: the article text and its metadata, through trafilatura (dates by htmldate).

trafilatura runs its own cascade: its precise extractor first, and readability/jusText as a
fallback when that finds too little. Its date comes from htmldate. A page in which no article
is found is dropped with that reason rather than read as page furniture, and so is a page
whose elements nest deeper than `Options.max_html_depth` (the parser gives up below 255
levels, and the article would be lost without a word).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..model import Item
from ..options import Options
from .common import RecordCounter, cap_reason, dropped, make_item

NO_ARTICLE = "not an article: no article text found in the page"

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None = None
    date: str | None = None
    sitename: str | None = None
    language: str | None = None
    url: str | None = None


def extract(html: bytes | str, url: str | None = None) -> Page | None:
    """The article of a page, or None when the page holds none."""
    import trafilatura

    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        return None
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=True, include_images=False)
    except Exception:  # trafilatura gives up on some broken markup with assorted errors
        return None
    if doc is None or not (doc.text or "").strip():
        return None
    return Page(text=doc.text.strip(), title=doc.title, date=doc.date, sitename=doc.sitename,
                language=doc.language, url=doc.url or url)


def too_deep(root, max_depth: int) -> bool:
    """Whether an lxml tree has an element below `max_depth` levels (one XPath step a level:
    linear in the size of the tree)."""
    return bool(root.getroottree().xpath("boolean(/" + "/".join(["*"] * (max_depth + 1)) + ")"))


def nests_too_deep(html: bytes | str, max_depth: int) -> bool:
    """Whether a page's elements nest deeper than `max_depth` levels."""
    if (html.count(b"<") if isinstance(html, bytes) else html.count("<")) <= max_depth:
        return False  # too few tags to be that deep: no parse needed
    import lxml.html

    try:
        return too_deep(lxml.html.document_fromstring(html), max_depth)
    except Exception:  # an empty or unparseable document: trafilatura says what it finds
        return False


def page_item(html: bytes, origin: str, counter: RecordCounter, options: Options, url: str | None = None,
              source: str | None = None) -> Item:
    if nests_too_deep(html, options.max_html_depth):
        return dropped(counter, origin, cap_reason("page nested too deep", "max_html_depth",
                                                   options.max_html_depth, " levels"), url=url)
    page = extract(html, url)
    if page is None:
        return dropped(counter, origin, NO_ARTICLE, url=url)
    return make_item(counter, options, page.text, origin, title=page.title, url=url or page.url,
                     source=source or page.sitename, published=page.date, language=page.language)


def read_page(stream, name: str, options: Options, counter: RecordCounter):
    """One item per HTML file; the page is read up to the response size cap."""
    data = stream.read(options.max_response_bytes + 1)
    if len(data) > options.max_response_bytes:
        yield dropped(counter, name, cap_reason("page too large", "max_response_bytes",
                                                options.max_response_bytes, " bytes"))
        return
    yield page_item(data, name, counter, options)
