"""HTML: the self-contained brief page, and the Jinja environment that the web app shares, so
that a brief has one HTML shape (templates/brief_view.html) wherever it is shown.

News text is untrusted: autoescape is on everywhere, and only http(s) URLs become links."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from ..model import Brief, BriefUpdate

TEMPLATES = Path(__file__).with_name("templates")


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are ever rendered as links (never javascript:, data:, ...)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def environment(*folders: Path):
    """A Jinja environment over `folders` (searched first) and the brief templates."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader([*map(str, folders), str(TEMPLATES)]),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    return env


@lru_cache(maxsize=1)
def _page():
    return environment().get_template("brief.html")


def to_html(obj: Brief | BriefUpdate) -> str:
    """A brief (or a brief with what changed first) as one self-contained page."""
    from .timeline import chart

    brief, changes = (obj.brief, obj) if isinstance(obj, BriefUpdate) else (obj, None)
    return _page().render(brief=brief, items={}, chart=chart(brief.timeline), changes=changes)
