"""When an item happened, so that stories are bounded in time.

Each item gets a span of time it happened in (UTC), in this order:

1. its publication time (a point);
2. the span of the publication times of the other items of its own input (the same file,
   feed or archive), when they have any: an archive with a few undated records keeps its time;
3. from the latest full date its text names ("March 10, 2014", "10 March 2014", "2014-03-10",
   "March 2014") to `now`: news is written after what it reports;
4. `now`, when it was received (the ingest): an undated snippet does not borrow the dates of
   unrelated items that happen to share its ingest.

Items whose spans are more than `Options.story_window_days` apart are never put in one story
(newsdesk.cluster), however alike their words. The store orders and closes stories by the end of
each span (`Span.last`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import NamedTuple

from .changes import aware
from .model import Item

_MONTHS = {m: i for i, names in enumerate((
    (), ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec"))) for m in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATES = [re.compile(p, re.IGNORECASE) for p in (
    rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b",   # March 10, 2014
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+{_YEAR}\b",    # 10 March 2014
    rf"\b{_MONTH}\s+{_YEAR}\b",                                        # March 2014
    r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>\d\d)-(?P<day>\d\d)\b",        # 2014-03-10
)]
_INPUT = re.compile(r"(?::\d+(?:\[\d+\])?|\[\d+\]| entry \d+| record \d+ \(.*\)| after record \d+)$")


def input_of(origin: str) -> str:
    """The input an item came from: its origin without the position in it ("a.csv:12" -> "a.csv")."""
    return _INPUT.sub("", origin)


def text_date(text: str, now: datetime) -> datetime | None:
    """The latest full date the text names that is not after `now` (UTC midnight), or None."""
    latest = None
    for pattern in _DATES:
        for m in pattern.finditer(text):
            month = int(m["mon"]) if "mon" in m.groupdict() and m["mon"] else _MONTHS[m["month"].lower()]
            day = int(m["day"]) if m.groupdict().get("day") else 1
            try:
                when = datetime(int(m["year"]), month, day, tzinfo=timezone.utc)
            except ValueError:  # "February 30"
                continue
            if when <= now and (latest is None or when > latest):
                latest = when
    return latest


class Span(NamedTuple):
    first: datetime
    last: datetime

    def gap(self, other: Span) -> float:
        """Seconds between two spans (0 when they overlap)."""
        return max(0.0, (other.first - self.last).total_seconds(), (self.first - other.last).total_seconds())


def item_spans(items: Iterable[Item], now: datetime) -> dict[str, Span]:
    """Item id -> the span of time it happened in (see the module doc), in UTC."""
    items = list(items)
    now = aware(now).astimezone(timezone.utc)
    published = {it.id: aware(it.published).astimezone(timezone.utc) for it in items if it.published}
    inputs: dict[str, list[datetime]] = defaultdict(list)
    for it in items:
        if it.id in published:
            inputs[input_of(it.origin)].append(published[it.id])
    spans = {}
    for it in items:
        if it.id in published:
            spans[it.id] = Span(published[it.id], published[it.id])
        elif times := inputs.get(input_of(it.origin)):
            spans[it.id] = Span(min(times), max(times))
        else:
            spans[it.id] = Span(text_date(it.text, now) or now, now)
    return spans
