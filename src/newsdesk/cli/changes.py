"""`newsdesk changes`: what changed across a store since the last run, or since a date."""

from __future__ import annotations

from pathlib import Path

from ..errors import NewsdeskError
from . import _util
from .stories import STORY_EMBEDDERS

FORMATS = ("md", "json", "atom")


def add(commands) -> None:
    parser = commands.add_parser(
        "changes", help="what changed across the store: new stories, stories that gained items, new claims, "
        "figures that moved, new disputes",
        description="Say what changed in the store since the last run of `newsdesk changes` (--since last, the "
        "default) or since a date: new stories, stories that gained items, new claims, figures whose value moved "
        "(old and new, who, when), new disputes. Each changed story is briefed once.")
    parser.add_argument("--db", metavar="FILE", help=_util.DB_HELP)
    parser.add_argument("--since", default="last", metavar="last|DATE",
                        help="the previous run of `newsdesk changes` (default; everything on the first run), or a date")
    parser.add_argument("--story", metavar="ID", help="only this story")
    parser.add_argument("--format", choices=FORMATS, default="md", help="output format: md (default), json, or atom "
                        "(an Atom 1.0 feed, one entry per changed story)")
    parser.add_argument("--base-url", metavar="URL", help="the address of `newsdesk serve`, so that Atom entries link "
                        "to each story's page (e.g. http://127.0.0.1:8000)")
    _util.add_output_argument(parser)
    parser.add_argument("--embedder", choices=STORY_EMBEDDERS, help="sentence embeddings (default: minilm)")
    _util.add_options_argument(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..changes import parse_since
    from ..render import render

    options = _util.options_from(args)
    since = parse_since(args.since)  # a bad date fails before the store opens
    base = (args.base_url or "").rstrip("/") or None
    if base and not base.lower().startswith(("http://", "https://")):
        raise NewsdeskError(f"--base-url expects an http(s) address, got {args.base_url!r}", code=2)
    with _util.open_store(args, options) as store:
        if args.story:
            _util.say_if_merged(store, args.story)
        found = store.changes(since, story=args.story, progress=_progress())
        context = {"base_url": base, "feed_id": f"newsdesk changes {Path(store.path).resolve()}"} if args.format == "atom" else {}
    _util.emit(render(found, args.format, **context), args.output, args.format)
    return 0


def _progress():
    """`progress(done, total)` for the stories briefed, on standard error when a person watches."""
    import sys

    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\rbriefing changed stories: {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)

    return show
