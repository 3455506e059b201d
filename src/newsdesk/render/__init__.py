"""Output formats of a brief: Markdown, JSON and self-contained HTML."""

from ..model import Brief


def render(brief: Brief, fmt: str) -> str:
    if fmt == "json":
        from .jsonout import to_json

        return to_json(brief)
    if fmt == "html":
        from .html import to_html

        return to_html(brief)
    from .markdown import to_markdown

    return to_markdown(brief)
