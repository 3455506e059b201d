"""`newsdesk brief`: a pile of news briefed as one story, or one story of the store."""

from __future__ import annotations

from ..errors import NewsdeskError, NoNewsError
from ..options import EMBEDDERS
from . import _util

FORMATS = ("md", "json", "html")


def add(commands) -> None:
    parser = commands.add_parser("brief", help="brief news items as one story (or one story of the store: --story ID)",
                                 description="Brief the whole input as one story, or one story of the store (--story ID).")
    parser.add_argument("paths", nargs="*", metavar="PATH", help=_util.PATH_HELP + " (or --story ID)")
    _util.add_story_arguments(parser, "brief")
    parser.add_argument("--since", metavar="last|DATE", help="with --story: first say what changed since the last brief "
                        "of the story, or since DATE (new items, new claims, changed figures)")
    parser.add_argument("--format", choices=FORMATS, default="md", help="output format (default: md)")
    _util.add_output_argument(parser)
    parser.add_argument("--sentences", type=_util.positive, metavar="N", help="most summary sentences (default: 5)")
    parser.add_argument("--words", type=_util.positive, metavar="N", help="length budget in words, whole sentences only")
    parser.add_argument("--embedder", choices=EMBEDDERS, help="sentence embeddings (default: minilm)")
    _util.add_input_arguments(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..pipeline import brief
    from ..render import render

    options = _util.options_from(args)
    if args.since and not args.story:
        raise NewsdeskError("--since needs --story ID (the story of the store to compare)", code=2)
    _util.one_source(args, "brief")
    if args.story:
        return _story(args, options)
    items, report = _util.read_items(args, options)
    try:
        result = brief(items, options, progress=_util.progress_bar("Analysing items"))
    except NoNewsError:
        _util.reading_done(args, report)
        raise NoNewsError(f"no news items in {_util.where(args.paths)}") from None
    _util.emit(render(result, args.format), args.output, args.format)
    return _util.reading_done(args, report)


def _story(args, options) -> int:
    """One story of the store; with --since, what changed first."""
    from ..changes import parse_since
    from ..render import render

    since = parse_since(args.since) if args.since else None  # a bad date fails before the store opens
    with _util.open_store(args, options) as store:
        _util.say_if_merged(store, args.story)
        result = store.brief_update(args.story, since) if since else store.brief(args.story)
    _util.emit(render(result, args.format), args.output, args.format)
    return 0
