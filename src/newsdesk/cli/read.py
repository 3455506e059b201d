"""`newsdesk read`: every input record as newsdesk reads it (a converter between formats)."""

from __future__ import annotations

import sys

from ..errors import NewsdeskError
from . import _util


def add(commands) -> None:
    from ..render.items import FORMATS

    parser = commands.add_parser("read", help="print the items as newsdesk reads them (a converter between formats)",
                                 description="Print every input record as newsdesk reads it, one per line: n, id, title, "
                                 "text, url, source, published, language, and dropped (the reason a record is not used).")
    parser.add_argument("paths", nargs="+", metavar="PATH", help=_util.PATH_HELP)
    parser.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default: jsonl)")
    _util.add_output_argument(parser)
    _util.add_input_arguments(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..render.items import write_items

    items, report = _util.read_items(args, _util.options_from(args))
    try:
        out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    except OSError as exc:
        raise NewsdeskError(f"cannot write {args.output}: {exc.strerror}", code=2) from None
    try:
        write_items(items, args.format, out)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise NewsdeskError(f"cannot write {args.output or 'standard output'}: {exc.strerror}", code=2) from None
    finally:
        if args.output:
            out.close()
    return _util.reading_done(args, report)
