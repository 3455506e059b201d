"""Small inline SVG charts, built on the server: numbers and escaped text only."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

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


def _start(text: str) -> date | None:
    head = text.split("/")[0]
    for fmt, cut in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            return datetime.strptime(head[:cut], fmt).date()
        except ValueError:
            continue
    return None


def timeline(entries, width: int = 720, height: int = 90) -> Markup:
    """The brief's timeline by event date: a dot per dated sentence (stacked on the same date),
    each with its date and sentence as a tooltip, linked to its row of the timeline table."""
    dated = [(d, i, e) for i, e in enumerate(entries) if (d := _start(e.date))]
    if not dated:
        return Markup("")
    lo, hi = min(d for d, _, _ in dated), max(d for d, _, _ in dated)
    span = max((hi - lo).days, 1)
    pad = 16
    stack: Counter = Counter()
    parts = [f'<line x1="{pad}" y1="{height - 20}" x2="{width - pad}" y2="{height - 20}" class="axis"/>']
    for d, i, e in dated:
        x = pad + (width - 2 * pad) * (d - lo).days / span
        y = height - 28 - 12 * stack[d]
        stack[d] += 1
        tip = escape(f"{e.date}: {e.text}")
        parts.append(f'<a href="#tl-{i}"><circle cx="{x:.1f}" cy="{max(y, 6):.1f}" r="5"><title>{tip}</title></circle></a>')
    parts.append(f'<text x="{pad}" y="{height - 4}">{escape(lo.isoformat())}</text>')
    if hi != lo:
        parts.append(f'<text x="{width - pad}" y="{height - 4}" text-anchor="end">{escape(hi.isoformat())}</text>')
    return Markup(f'<svg class="timeline-chart" role="img" viewBox="0 0 {width} {height}" width="100%" height="{height}">'
                  f'<title>Timeline by event date</title>{"".join(parts)}</svg>')
