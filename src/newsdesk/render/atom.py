"""Atom 1.0 (RFC 4287): what changed, as a feed any reader can follow. One entry per changed
story (or, for one story's feed, per arrival of new items), its content the same HTML the web
app's "What's new" page shows (templates/change_view.html). Written with ElementTree, so that
every text is escaped as XML; entry ids are stable (a UUID of the story and the time of its
latest arrival), so a reader sees a new entry when, and only when, something new arrived."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from functools import lru_cache

from .. import __version__
from ..model import StoreChanges, StoryChange

ATOM = "http://www.w3.org/2005/Atom"
_NS = "{" + ATOM + "}"


def to_atom(found: StoreChanges, base_url: str | None = None, feed_id: str = "newsdesk changes",
            title: str | None = None, self_url: str | None = None, alternate: str | None = None) -> str:
    """The changes as an Atom feed. `base_url` (the web app's address) makes each entry link to
    its story's page; `feed_id` names the feed (its atom:id is a UUID of it); `self_url` is the
    feed's own address, `alternate` the page it mirrors."""
    ET.register_namespace("", ATOM)
    base = (base_url or "").rstrip("/")
    feed = ET.Element(_NS + "feed")
    _text(feed, "id", _urn(feed_id))
    _text(feed, "title", title or _title(found))
    updated = max([c.arrived for c in found.stories] + [found.baseline or ""]) or found.made
    _text(feed, "updated", updated)
    author = ET.SubElement(feed, _NS + "author")
    _text(author, "name", "newsdesk")
    generator = _text(feed, "generator", "newsdesk")
    generator.set("version", __version__)
    if self_url:
        ET.SubElement(feed, _NS + "link", rel="self", href=self_url, type="application/atom+xml")
    if alternate or base:
        ET.SubElement(feed, _NS + "link", rel="alternate", href=alternate or f"{base}/whatsnew", type="text/html")
    for change in found.stories:
        feed.append(_entry(change, base))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _entry(change: StoryChange, base: str) -> ET.Element:
    st = change.story
    entry = ET.Element(_NS + "entry")
    _text(entry, "id", _urn(f"newsdesk story {st.id} {change.arrived}"))
    n = len(change.new_items)
    if change.status == "new":
        headline = f"New story: {st.label} ({n} item{'s' * (n != 1)})"
    else:
        bits = [f"{n} new item{'s' * (n != 1)}"]
        bits += [f"{len(x)} {word}{'s' * (len(x) != 1)}" for x, word in ((change.new_claims, "new claim"),
                                                                       (change.changed_figures, "figure change"),
                                                                       (change.new_disputes, "new dispute")) if x]
        headline = f"{st.label}: {', '.join(bits)}"
    _text(entry, "title", headline)
    _text(entry, "updated", change.arrived)
    if st.first_seen is not None and change.status == "new":
        _text(entry, "published", change.arrived)
    link = f"{base}/stories/{st.id}" if base else ""
    if link:
        ET.SubElement(entry, _NS + "link", rel="alternate", href=link, type="text/html")
    summary = change.headline or st.label
    _text(entry, "summary", summary)
    content = _text(entry, "content", _view().render(change=change, link=link, cite_base=link))
    content.set("type", "html")
    return entry


@lru_cache(maxsize=1)
def _view():
    from .html import environment

    return environment().from_string('{% from "change_view.html" import change_view %}'
                                     '{{ change_view(change, link, cite_base) }}')


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    child = ET.SubElement(parent, _NS + name)
    child.text = _xml_safe(value)
    return child


def _xml_safe(text: str) -> str:
    """Characters XML 1.0 cannot carry (control characters in scraped text) are dropped."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (" " <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd")
                   or ch > "\uffff")


def _urn(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _title(found: StoreChanges) -> str:
    n = len(found.stories)
    return f"newsdesk: {n} stor{'y' if n == 1 else 'ies'} changed"
