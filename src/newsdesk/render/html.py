"""Self-contained HTML: one file, no external assets; every citation links to its source text."""

from __future__ import annotations

from functools import lru_cache

from ..model import Brief


@lru_cache(maxsize=1)
def _template():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("newsdesk", "render/templates"),
        autoescape=True,  # news text is untrusted: everything is escaped
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("brief.html")


def to_html(brief: Brief) -> str:
    from .timeline import chart

    return _template().render(brief=brief, chart=chart(brief.timeline))
