"""`newsdesk claims`: every attributed claim of a pile, or of one story of the store."""

from __future__ import annotations

from ..errors import NoNewsError
from . import _util

FORMATS = ("table", "json", "csv")


def add(commands) -> None:
    parser = commands.add_parser("claims", help="list every attributed claim: who said what, with spans",
                                 description="List every attributed claim of the input: speaker (as written and "
                                 "normalised), cue, content, hedges, figures, when, the item and the exact spans.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help=_util.PATH_HELP + " (or --story ID)")
    _util.add_story_arguments(parser, "the claims of")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    _util.add_output_argument(parser)
    _util.add_input_arguments(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..pipeline import claims
    from ..render import render

    options = _util.options_from(args)
    _util.one_source(args, "read")
    status = 0
    if args.story:
        with _util.open_store(args, options) as store:
            items = store.story_items(args.story)
            _util.say_if_merged(store, args.story)
        result = claims(items, options)
    else:
        items, report = _util.read_items(args, options)
        result = claims(items, options)
        status = _util.reading_done(args, report)
        if not any(e.status != "dropped" for e in result.items):
            raise NoNewsError(f"no news items in {_util.where(args.paths)}")
    _util.emit(render(result, args.format), args.output)
    return status
