"""Small inline SVG charts, built on the server: numbers and escaped text only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape


def sparkline(times: list[datetime], width: int = 140, height: int = 28, bins: int = 28) -> Markup:
    """Items over time: a bar per time bin between the first and the last item."""
    times = sorted(t for t in times if t is not None)
    if not times:
        return Markup('<span class="muted">no dates</span>')
    first, last = times[0].timestamp(), times[-1].timestamp()
    span = max(last - first, 1.0)
    counts = Counter(min(int((t.timestamp() - first) / span * bins), bins - 1) for t in times)
    top = max(counts.values())
    bar = width / bins
    rects = []
    for b, c in sorted(counts.items()):
        h = max(2.0, (height - 2) * c / top)
        rects.append(f'<rect x="{b * bar:.1f}" y="{height - h:.1f}" width="{max(bar - 1, 1):.1f}" height="{h:.1f}"/>')
    label = escape(f"{len(times)} dated items, {times[0]:%Y-%m-%d %H:%M} to {times[-1]:%Y-%m-%d %H:%M}")
    return Markup(f'<svg class="spark" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
                  f'<title>{label}</title>{"".join(rects)}</svg>')


# ---------------------------------------------------------------- figures over time


@dataclass(frozen=True)
class FigurePoint:
    when: datetime
    value: float
    text: str  # as written
    item: int
    who: str


@dataclass(frozen=True)
class FigureSeries:
    """One measure (its words and unit), every figure stated for it over time, by who states it."""

    measure: str
    unit: str | None
    points: list[FigurePoint]  # in time order
    vague: list[tuple[str, int, str]]  # (as written, item, who) of figures with no number to draw
    disputed: bool
    svg: Markup


PALETTE = ("#0b57d0", "#d8553b", "#1e8e3e", "#8e24aa", "#b06000", "#00838f")


def figure_history(brief, times: dict[int, datetime], disputed_items: set[int] | None = None,
                   most: int = 6) -> list[FigureSeries]:
    """How each figure of a brief moved over time: the figures grouped by what they measure
    (measure and unit), each at the time of its item (`times`: publication, else arrival), one
    colour per speaker. Only measures that moved, or could have (two figures or more), or that a
    dispute cites; disputed measures and those with the most figures first."""
    from ..dedup import normalise

    groups: dict[tuple[str, str | None], list] = {}
    for q in brief.figures:
        groups.setdefault((normalise(q.measure or ""), q.unit), []).append(q)
    disputed_items = disputed_items or set()
    out = []
    for (_, unit), figures in groups.items():
        points, vague = [], []
        for q in figures:
            who = q.actor or q.speaker or "unattributed"
            number = q.value if q.value is not None else (q.low + q.high) / 2 if q.low is not None and q.high is not None else None
            when = times.get(q.item)
            if number is None or when is None:
                vague.append((q.text, q.item, who))
            else:
                points.append(FigurePoint(when, float(number), q.text, q.item, who))
        points.sort(key=lambda p: (p.when, p.item))
        disputed = any(q.item in disputed_items for q in figures)
        if len(figures) < 2 and not disputed:
            continue
        measure = figures[0].measure or unit or "figure"
        out.append(FigureSeries(measure, unit, points, vague, disputed, _figure_svg(points, measure, unit)))
    out.sort(key=lambda s: (not s.disputed, -len(s.points) - len(s.vague), s.measure))
    return out[:most]


def _figure_svg(points: list[FigurePoint], measure: str, unit: str | None, width: int = 360, height: int = 140) -> Markup:
    """Values over time: a line per speaker, a dot per figure (its title says what, who, when,
    and it links to its item)."""
    if not points:
        return Markup("")
    left, right, top, bottom = 48, 12, 10, 24
    t0, t1 = points[0].when.timestamp(), points[-1].when.timestamp()
    span = max(t1 - t0, 1.0)
    high = max(p.value for p in points)
    low = min(0.0, min(p.value for p in points))
    rise = max(high - low, 1e-9)

    def x(p: FigurePoint) -> float:
        return left + (width - left - right) * ((p.when.timestamp() - t0) / span if t1 > t0 else 0.5)

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - (value - low) / rise)

    colours: dict[str, str] = {}
    for p in points:
        colours.setdefault(p.who, PALETTE[len(colours) % len(PALETTE)])
    parts = [f'<line class="axis" x1="{left}" y1="{y(low):.1f}" x2="{width - right}" y2="{y(low):.1f}"/>',
             f'<text x="{left - 4}" y="{y(high) + 4:.1f}" text-anchor="end">{escape(_short_number(high))}</text>',
             f'<text x="{left - 4}" y="{y(low) + 4:.1f}" text-anchor="end">{escape(_short_number(low))}</text>',
             f'<text x="{left}" y="{height - 6}">{escape(points[0].when.strftime("%Y-%m-%d"))}</text>']
    if t1 > t0:
        parts.append(f'<text x="{width - right}" y="{height - 6}" text-anchor="end">'
                     f'{escape(points[-1].when.strftime("%Y-%m-%d"))}</text>')
    for who, colour in colours.items():
        mine = [p for p in points if p.who == who]
        if len(mine) > 1:
            path = " ".join(f"{x(p):.1f},{y(p.value):.1f}" for p in mine)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
        for p in mine:
            label = escape(f"{p.text} ({measure}) per {p.who}, {p.when:%Y-%m-%d %H:%M}, item [{p.item}]")
            parts.append(f'<a href="#item-{p.item}"><circle cx="{x(p):.1f}" cy="{y(p.value):.1f}" r="4.5" fill="{colour}">'
                         f"<title>{label}</title></circle></a>")
    title = escape(f"{measure}{f' ({unit})' if unit else ''}: {len(points)} figures over time")
    return Markup(f'<svg class="figure-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
                  f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>{title}</title>'
                  f'{"".join(parts)}</svg>')


def legend_colours(series: FigureSeries) -> list[tuple[str, str]]:
    """(who, colour) as the chart draws them."""
    colours: dict[str, str] = {}
    for p in series.points:
        colours.setdefault(p.who, PALETTE[len(colours) % len(PALETTE)])
    return list(colours.items())


def _short_number(value: float) -> str:
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"
