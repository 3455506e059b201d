"""`newsdesk verify`: check every citation of a JSON brief against its sources."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import NewsdeskError
from ..options import EMBEDDERS
from . import _util


def add(commands) -> None:
    parser = commands.add_parser("verify", help="check that every citation of a JSON brief holds in its sources",
                                 description="Re-read the sources (same reader, same numbering) and check the brief's "
                                 "headline, sentences, support, claim offsets and figures. Prints each failure; exit 1 if any.")
    parser.add_argument("brief_file", metavar="BRIEF.json", help="a brief written by `newsdesk brief --format json`")
    parser.add_argument("paths", nargs="+", metavar="SOURCES", help="the inputs the brief was made from, in the same order")
    parser.add_argument("--embedder", choices=EMBEDDERS, help="the embedder the brief was made with (default: minilm)")
    _util.add_input_arguments(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..citations import verify
    from ..ingest import read

    options = _util.options_from(args)
    try:
        data = json.loads(Path(args.brief_file).read_text(encoding="utf-8"))
    except OSError as exc:
        raise NewsdeskError(f"cannot read {args.brief_file}: {exc.strerror}", code=2) from None
    except ValueError as exc:
        raise NewsdeskError(f"{args.brief_file} is not JSON: {exc}", code=2) from None
    if not isinstance(data, dict):
        raise NewsdeskError(f"{args.brief_file} is not a brief (expected a JSON object)", code=2)
    failures = verify(data, list(read(args.paths, options)), options)
    for line in failures:
        print(line)
    checked = len(data.get("sentences", [])) + len(data.get("claims", [])) + len(data.get("figures", []))
    print(f"{len(failures)} failure(s) in {checked} citations checked" if failures else f"verified: all {checked} citations hold",
          file=sys.stderr)
    return 1 if failures else 0
