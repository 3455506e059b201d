"""The command line: a thin layer over the Python API. Errors are one line, never a traceback.

Each command lives in its own module (brief, claims, read, stories, watch, changes, serve, check, verify, setup, spark) with
`add(commands)` to register its parser; `_util` holds what they share. Only this registry
imports the command modules."""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import NewsdeskError
from . import brief, changes, check, claims, read, serve, setup, spark, stories, verify, watch

COMMANDS = (brief, claims, read, stories, watch, changes, serve, check, verify, setup, spark)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="Turn a pile of news into a brief you can trust: every sentence cited, "
        "claims with who made them, disputed figures side by side.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except NewsdeskError as exc:
        print(f"newsdesk: error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("newsdesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug of ours: still one line, with a way to see more
        if os.environ.get("NEWSDESK_DEBUG"):
            raise
        print(f"newsdesk: internal error: {type(exc).__name__}: {exc} (set NEWSDESK_DEBUG=1 for details)", file=sys.stderr)
        return 70
