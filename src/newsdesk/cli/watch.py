"""`newsdesk watch`: follow sources, adding what they publish to a store, until stopped."""

from __future__ import annotations

import argparse
import signal
import sys

from . import _util
from .stories import STORY_EMBEDDERS


def _interval(text: str) -> float:
    from ..watch import interval

    try:
        return interval(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add(commands) -> None:
    parser = commands.add_parser(
        "watch", help="follow feeds, pages, lists of URLs and folders: add what is new to the store at each poll",
        description="Poll each SOURCE (a feed or page URL, a file listing URLs, a folder whose new files are read, "
        "or a news file read again when it changes) with conditional requests, add the new items to the store, "
        "and print one line per poll. Runs until SIGTERM or Ctrl-C (a clean stop), or polls once with --once.")
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="a feed or page URL, a file listing URLs, a folder, "
                        "or a news file")
    parser.add_argument("--db", metavar="FILE", help=_util.DB_HELP)
    parser.add_argument("--every", type=_interval, default=900.0, metavar="INTERVAL",
                        help="how often each source is polled: 30s, 15m, 2h, 1d (default: 15m)")
    parser.add_argument("--once", action="store_true", help="poll each source once and exit (for cron); sources backing "
                        "off after failures wait for their time")
    parser.add_argument("--delay", type=float, metavar="SECONDS", help="seconds between two requests to one host "
                        "(default: 1)")
    parser.add_argument("--allow-private", action="store_true", default=None,
                        help="allow fetching from private, loopback and link-local addresses")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="HTTP timeout per request (default: 10)")
    parser.add_argument("--fetch-articles", action="store_true", default=None,
                        help="fetch the page each feed entry links to and read its article")
    parser.add_argument("--embedder", choices=STORY_EMBEDDERS, help="sentence embeddings (default: minilm)")
    _util.add_options_argument(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..watch import Stopped, Watch, sources_of

    options = _util.options_from(args)
    if args.delay is not None:
        options = options.update(watch_host_delay=args.delay)
    sources_of(args.sources)  # a source that does not exist fails before the store is made
    with _util.open_store(args, options, create=True) as store:
        watcher = Watch(store, args.sources, options, every=args.every)

        def stop(signum, frame):
            watcher.request_stop()  # during an ingest, raises Stopped here: the open chunk rolls back

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            watcher.run(once=args.once, report=lambda r: print(r.line(), flush=True))
        except Stopped:
            print("newsdesk: stopped while adding items: what was written is kept, the rest of this poll is fetched "
                  "again next time", file=sys.stderr, flush=True)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            watcher.close()
        if watcher.stop.is_set():
            print(f"newsdesk: watch stopped after {watcher.polls} poll(s); the store is consistent "
                  f"({_util.db_path(args)})", file=sys.stderr, flush=True)
    return 0
