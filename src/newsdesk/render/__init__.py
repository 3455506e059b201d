"""Every output shape: one dict form per record (jsonout), Markdown and HTML beside it, and
`render(obj, fmt)`, the one dispatch by format. Renderers only read fields: they never load a
model or compute anything a stage should have."""

from __future__ import annotations

FORMATS = {
    "Brief": ("md", "json", "html"),
    "BriefUpdate": ("md", "json", "html"),
    "Grouping": ("md", "json"),
    "ClaimLedger": ("table", "json", "csv"),
    "StoreChanges": ("md", "json", "atom"),
}
"""The formats of each record that is output whole (items are written one by one: render.items)."""


def render(obj, fmt: str = "md", **context) -> str:
    """`obj` (a Brief, a BriefUpdate, a Grouping of stories, a ClaimLedger or StoreChanges) as
    text in `fmt`; `context` is for the Atom feed (render.atom.to_atom: base_url, feed_id, ...)."""
    kind = type(obj).__name__
    if fmt not in FORMATS.get(kind, ()):
        raise ValueError(f"cannot render {kind} as {fmt!r}")
    if fmt == "atom":
        from .atom import to_atom

        return to_atom(obj, **context)
    if fmt == "json":
        from .jsonout import to_json

        return to_json(obj)
    if fmt == "html":
        from .html import to_html

        return to_html(obj)
    if kind == "ClaimLedger":
        from .claims import render_claims

        return render_claims(obj, fmt)
    from .markdown import to_markdown

    # News text must never become markup where the Markdown is turned into HTML (a newsletter,
    # a wiki): a backslash makes every "<" a literal one in CommonMark.
    return to_markdown(obj).replace("<", "\\<")
