"""Layout of the HTML timeline chart: one row per dated sentence, on a shared date axis.

An exact day is a point; a month, a year or a range ("2024-08-06/2024-08-20") is a bar over
its span. The template draws the rows as inline SVG (no script, no external asset), each mark
linking to its first source and each row listing every source as a link; every text is
escaped by the template's autoescaping.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from ..model import TimelineEntry

WIDTH = 720  # SVG user units
LABEL = 110  # left column: the date as written
CITES = 80  # right column: the citations
ROW = 22
TOP = 28  # room for the axis labels


@dataclass(frozen=True)
class Mark:
    date: str
    text: str
    items: list[int]
    x: float
    width: float  # 0 for a point
    y: float


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    marks: list[Mark]
    ticks: list[Tick]


def span(value: str) -> tuple[date, date] | None:
    """First and last day of an event date (YYYY-MM-DD, YYYY-MM, YYYY or "start/end")."""
    if "/" in value:
        a, b = (span(part) for part in value.split("/", 1))
        return (a[0], b[1]) if a and b and a[0] <= b[1] else None
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 3:
            day = date(*numbers)
            return day, day
        if len(numbers) == 2:
            year, month = numbers
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if len(numbers) == 1:
            return date(numbers[0], 1, 1), date(numbers[0], 12, 31)
    except (ValueError, TypeError):
        return None
    return None


def chart(timeline: list[TimelineEntry]) -> Chart | None:
    """The chart of the brief's timeline; None when no entry has a date that can be placed."""
    placed = [(t, s) for t in timeline if (s := span(t.date))]
    if not placed:
        return None
    first = min(s[0] for _, s in placed).toordinal()
    last = max(s[1] for _, s in placed).toordinal() + 1
    left, right = LABEL, WIDTH - CITES
    scale = (right - left - 8) / max(1, last - first)
    marks = []
    for row, (t, (a, b)) in enumerate(placed):
        x = left + 4 + (a.toordinal() - first) * scale
        width = 0.0 if a == b else max(3.0, (b.toordinal() + 1 - a.toordinal()) * scale)
        marks.append(Mark(t.date, t.text, list(t.items), round(x, 1), round(width, 1), TOP + row * ROW))
    return Chart(WIDTH, TOP + len(placed) * ROW + 6, left, right, marks, _ticks(first, last, left, scale))


def _ticks(first: int, last: int, left: int, scale: float) -> list[Tick]:
    """Up to six labelled dates along the axis."""
    count = min(6, max(2, last - first))
    step = (last - 1 - first) / (count - 1) if count > 1 else 0
    seen, ticks = set(), []
    for k in range(count):
        day = date.fromordinal(round(first + k * step))
        label = day.isoformat()
        if label not in seen:
            seen.add(label)
            ticks.append(Tick(round(left + 4 + (day.toordinal() - first) * scale, 1), label))
    return ticks
