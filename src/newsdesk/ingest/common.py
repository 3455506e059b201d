"""What every reader shares: numbering, the Item constructor, metadata normalisation."""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

from ..model import Item, item_id
from ..options import Options

# C0 control characters other than tab and line ends, and DEL: a text full of them is not text.
CONTROL = "".join(chr(c) for c in range(32) if c not in (9, 10, 13)) + "\x7f"
_STRIP_CONTROL = str.maketrans("", "", CONTROL)

# Field names found automatically in JSON, JSONL and CSV/TSV records, in order of preference.
# Names are compared without case, "_" or "-" ("publishedAt" matches "published_at").
FIELD_NAMES = {
    "text": ("text", "content", "body", "article", "maintext", "articlebody", "fulltext",
             "description", "summary", "abstract", "snippet"),
    "title": ("title", "headline", "name"),
    "url": ("url", "link", "href", "uri", "permalink"),
    "source": ("source", "publisher", "outlet", "sitename", "site", "domain", "hostname"),
    "published": ("published", "publishedat", "pubdate", "date", "datepublished", "timestamp",
                  "datetime", "time", "createdat", "created"),
    "language": ("language", "lang"),
}
ROLES = tuple(FIELD_NAMES)


@dataclass
class RecordCounter:
    """Numbers records across several inputs: a blank line keeps its number."""

    records: int = 0

    def next(self) -> int:
        self.records += 1
        return self.records


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A backslash before ASCII punctuation: an escape some exports add to names ("Yahoo\\!7 News")."""


def outlet_name(name: str) -> str:
    """An outlet's name as published. Some exports escape punctuation for Markdown or regular
    expressions (the UCI News Aggregator's PUBLISHER column: "Reuters UK \\(blog\\)", "Oil \\& Gas
    Journal"); no outlet's name has a backslash before punctuation, so those escapes are removed
    here, and each renderer escapes what its own format needs."""
    return _ESCAPED.sub(r"\1", name)


def key(name: str) -> str:
    return re.sub(r"[\s_\-]", "", str(name)).casefold()


def outlet(url: str | None) -> str | None:
    """The outlet named by a URL's host: "https://www.bbc.co.uk/x" -> "bbc.co.uk"."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def cap_reason(what: str, option: str, value: int | float, unit: str = "") -> str:
    """One line saying which cap stopped a reader and the option that raises it."""
    return f"{what}: the {option} cap is {value:,}{unit} (raise it in an --options file)"


def too_many_controls(text: str) -> bool:
    """A text with a NUL, or control characters beyond a stray one or two: binary, not news."""
    if not text:
        return False
    if "\x00" in text:
        return True
    controls = len(text) - len(text.translate(_STRIP_CONTROL))
    return controls > max(2, len(text) // 100)


def plain(value) -> str | None:
    """A metadata value (title, url, source, language) as one line without control characters."""
    if value is None:
        return None
    return " ".join(str(value).translate(_STRIP_CONTROL).split()) or None


def parse_date(value) -> datetime | None:
    """A publication date as a UTC-aware datetime; None when it cannot be read.

    Reads ISO 8601, RFC 822 (feeds, e-mail), Unix time in seconds or milliseconds, and
    datetime objects. A date without a time zone is taken to be UTC.
    """
    try:
        return _parse_date(value)
    except (ValueError, TypeError, OverflowError, IndexError, RecursionError):  # a field of any type and size
        return None


def _parse_date(value) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        found = _epoch(float(value))
    else:
        text = str(value).strip()
        found = None
        try:
            found = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            pass
        if found is None:
            try:
                found = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                found = None
        if found is None:
            try:
                found = _epoch(float(text))
            except ValueError:
                found = None
        if found is None:
            found = _dateparser(text)
    if found is None:
        return None
    if found.tzinfo is None:
        return found.replace(tzinfo=timezone.utc)
    return found.astimezone(timezone.utc)


def _epoch(seconds: float) -> datetime | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc) if seconds > 0 else None
    except (OverflowError, OSError, ValueError):
        return None


def _dateparser(text: str) -> datetime | None:
    if len(text) > 64 or not re.search(r"\d", text):
        return None
    import dateparser  # slow to import: only for dates in no standard form

    try:
        return dateparser.parse(text, settings={"TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": True})
    except Exception:  # dateparser raises many kinds on odd input
        return None


def make_item(counter: RecordCounter, options: Options, text: str, origin: str, *, title=None, url=None,
              source=None, published=None, language=None, note=None, truncated=False) -> Item:
    """A record read: cut to the length cap, metadata normalised, language detected.
    `truncated`: the reader cut it already (at a record cap), as `note` says."""
    from ..clean import detect_language

    n = counter.next()
    text = (text or "").strip()
    title, url, source = plain(title), plain(url), plain(source)
    source = outlet_name(source) if source else None
    source = source or outlet(url)
    if too_many_controls(text):
        return Item(n=n, text="", id=item_id(origin, source, url), title=title, url=url, source=source,
                    origin=origin, junk_reason="not text (control characters)")
    if len(text) > options.max_item_chars:
        note = "; ".join(filter(None, [note, f"cut from {len(text):,} to {options.max_item_chars:,} characters "
                                             "(max_item_chars)"]))
        text, truncated = text[: options.max_item_chars], True
    if not text and title:
        text = title  # a headline-only record (a headline search, a feed without summaries)
    detected = detect_language(text) if text else None
    language = detected or (plain(language).split("-")[0].lower()[:16] if plain(language) else None)
    if not text:
        return Item(n=n, text="", id=item_id(origin, source, url), title=title, url=url, source=source,
                    origin=origin, junk_reason="no text")
    return Item(n=n, text=text, title=title, url=url, source=source, published=parse_date(published),
                language=language, origin=origin, truncated=truncated, note=note)


def dropped(counter: RecordCounter, origin: str, reason: str, *, url=None, title=None) -> Item:
    """A record that could not be used: kept in the numbering, with the reason."""
    url, title = plain(url), plain(title)
    return Item(n=counter.next(), text="", id=item_id(origin, None, url), url=url, title=title,
                source=outlet(url), origin=origin, junk_reason=reason)


def lines(stream, limit: int) -> Iterator[tuple[bytes, int]]:
    """Each line of a binary stream (its line end kept) up to `limit` bytes, with the line's
    whole length in bytes: the rest of a longer line is read past, never held in memory (a
    100 MB line, or a gigabyte without a newline out of a decompression bomb)."""
    limit = max(1, limit)
    while True:
        line = stream.readline(limit)
        if not line:
            return
        size = len(line)
        if size == limit and not line.endswith(b"\n"):
            while more := stream.readline(1 << 16):
                size += len(more)
                if more.endswith(b"\n"):
                    break
            if size > limit:
                line = _whole_characters(line)
        yield line, size


def _whole_characters(data: bytes) -> bytes:
    """Bytes cut anywhere, without a UTF-8 character cut in two at the end (it would make the
    whole line undecodable as UTF-8)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return data
        if byte >= 0xC0:  # the lead byte of the last character: is the character whole?
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data if back >= need else data[:-back]
    return data
