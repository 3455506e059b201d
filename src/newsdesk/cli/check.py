"""`newsdesk check`: is a store sound? SQLite's integrity, then every promise of the store."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import NewsdeskError
from . import _util


def add(commands) -> None:
    parser = commands.add_parser("check", help="check a store: integrity, every item in one state, every live item "
                                 "in one story, the search index in step",
                                 description="Check a store: SQLite's integrity, every item in exactly one state, "
                                 "every live item in one story, the search index in step. Lists each problem; "
                                 "exit 1 if there is any, 0 for a sound store.")
    parser.add_argument("--db", metavar="FILE", help=_util.DB_HELP)
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..options import Options
    from ..store import Store

    path = _util.db_path(args)
    if not Path(path).is_file():
        raise NewsdeskError(f"no store at {path}", code=2)
    try:
        with Store(path, Options()) as store:
            found = store.check()
    except NewsdeskError as exc:  # a store too damaged to open is a finding, not a usage error
        found = [str(exc)]
    for line in found:
        print(line)
    print(f"{path}: {len(found)} problem(s)" if found else f"{path}: sound", file=sys.stderr)
    return 1 if found else 0
