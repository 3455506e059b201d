"""Small inline SVG charts, built on the server: numbers and escaped text only."""

from __future__ import annotations

from collections import Counter
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
