"""`newsdesk stories` (a pile sorted into stories, or the stories of a store) and
`newsdesk ingest` (items added to a store)."""

from __future__ import annotations

from ..errors import NoNewsError
from ..options import EMBEDDERS
from . import _util

# The story thresholds (paraphrase duplicates, joining a story) are tuned for MiniLM's cosines;
# the static model scores word-order swaps ("A beat B", "B beat A") as the same text.
STORY_EMBEDDERS = tuple(e for e in EMBEDDERS if e != "static")


def add(commands) -> None:
    stories = commands.add_parser(
        "stories", help="sort a mixed pile into stories (with angles), or list the stories of a store",
        description="Group the input into stories: each item that is not dropped, duplicates included, is in "
        "exactly one story. Without PATH, list the stories of the store (--db).")
    stories.add_argument("paths", nargs="*", metavar="PATH", help=_util.PATH_HELP)
    stories.add_argument("--format", choices=("md", "json"), default="md", help="output format (default: md)")
    _util.add_output_argument(stories)
    stories.add_argument("--briefs", action="store_true", help="add one brief per story, biggest story first")
    stories.add_argument("--db", metavar="FILE", help="the store to list when no PATH is given "
                         "(default: $NEWSDESK_DB or ./newsdesk.db)")
    stories.add_argument("--embedder", choices=STORY_EMBEDDERS, help="sentence embeddings (default: minilm)")
    _util.add_input_arguments(stories)
    stories.set_defaults(run=run_stories)

    ingest = commands.add_parser(
        "ingest", help="add items to a store (SQLite); prints how many were new, duplicates, dropped",
        description="Add the items of PATH... to a store, cluster them into stories incrementally, and print "
        "how many were new, duplicates and dropped. Ingesting the same items again adds nothing.")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help=_util.PATH_HELP)
    ingest.add_argument("--db", metavar="FILE", help=_util.DB_HELP)
    ingest.add_argument("--embedder", choices=STORY_EMBEDDERS, help="sentence embeddings (default: minilm)")
    _util.add_input_arguments(ingest)
    ingest.set_defaults(run=run_ingest)


def run_stories(args) -> int:
    from ..cluster import group
    from ..model import Grouping
    from ..pipeline import brief_stories
    from ..render import render

    options = _util.options_from(args)
    status = 0
    if args.paths:
        items, report = _util.read_items(args, options)
        result = group(items, options)
        status = _util.reading_done(args, report)
        if not result.stories:
            raise NoNewsError(f"no news items in {_util.where(args.paths)}")
        if args.briefs:
            result = brief_stories(result, options)
    else:
        with _util.open_store(args, options) as store:
            result = Grouping(store.stories())
    _util.emit(render(result, args.format), args.output)
    return status


def run_ingest(args) -> int:
    options = _util.options_from(args)
    items, report = _util.read_items(args, options)
    with _util.open_store(args, options, create=True) as store:
        counts = store.ingest(items, progress=_util.progress_bar("Ingesting"))
    status = _util.reading_done(args, report)
    print(f"{counts['new']} new, {counts['duplicates']} duplicates, {counts['dropped']} dropped, "
          f"{counts['seen']} already in the store ({_util.db_path(args)})")
    return status
