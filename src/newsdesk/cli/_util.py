"""Plumbing shared by the command modules: options from arguments, the input flags, opening a
store, output, progress. Command modules import this; nothing imports a command module but
the registry in `newsdesk.cli`. Kept light: building the parser must not load a model."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import NewsdeskError
from ..options import INPUT_FORMATS, Options

PATH_HELP = ("news to read: a file, a folder, a URL, or - for standard input; text (one item per line), JSONL, "
             "JSON, CSV/TSV, HTML, RSS/Atom, WARC or a list of URLs, compressed or not")
DB_HELP = "the store (default: $NEWSDESK_DB or ./newsdesk.db)"

# Command-line flag -> the Options field it sets: the one bridge from arguments to options.
_OPTION_FLAGS = {
    "sentences": "sentences", "words": "words", "embedder": "embedder", "input_format": "input_format",
    "fetch_articles": "fetch_articles", "allow_private": "allow_private", "timeout": "fetch_timeout",
}


def options_from(args: argparse.Namespace) -> Options:
    """The options of a command: the --options file (or the defaults), then every flag given."""
    options = Options.from_toml(args.options) if getattr(args, "options", None) else Options()
    changes = {field: getattr(args, flag) for flag, field in _OPTION_FLAGS.items()
               if getattr(args, flag, None) is not None}
    if getattr(args, "field", None):
        from ..ingest.fields import parse_field_args

        changes["field_names"] = parse_field_args(args.field)
    return options.update(**changes)


def add_options_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--options", metavar="FILE", help="TOML file of options (a [newsdesk] table)")


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """The input flags of every command that reads PATH (see newsdesk.ingest), and --options."""
    add_options_argument(parser)
    group = parser.add_argument_group("input")
    group.add_argument("--input-format", choices=INPUT_FORMATS, metavar="FORMAT",
                       help=f"read every PATH as this format instead of detecting it: {', '.join(INPUT_FORMATS)}")
    group.add_argument("--field", action="append", metavar="ROLE=NAME",
                       help="the field or column holding text, title, url, source, published or language "
                       "(repeatable; a column number for a table without a header: --field text=3)")
    group.add_argument("--fetch-articles", action="store_true", default=None,
                       help="fetch the page each feed entry links to and read its article")
    group.add_argument("--allow-private", action="store_true", default=None,
                       help="allow fetching from private, loopback and link-local addresses")
    group.add_argument("--timeout", type=float, metavar="SECONDS", help="HTTP timeout per request (default: 10)")
    group.add_argument("--errors", metavar="FILE", help="write the records that could not be read to FILE, as JSON Lines")
    group.add_argument("--strict", action="store_true", help="exit with status 3 when any record could not be read")


def add_output_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")


def add_story_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    """--story ID and --db FILE, for a command that reads PATH or one story of the store."""
    parser.add_argument("--story", metavar="ID", help=f"{what} one story of the store (see `newsdesk stories --db "
                        "FILE`) instead of PATH")
    parser.add_argument("--db", metavar="FILE", help="the store for --story (default: $NEWSDESK_DB or ./newsdesk.db)")


def positive(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {number}")
    return number


# ---------------------------------------------------------------- input


def where(paths: list[str]) -> str:
    """The inputs, as a user named them."""
    return ", ".join("standard input" if p == "-" else p for p in paths)


def read_items(args: argparse.Namespace, options: Options):
    """(the items of PATH..., streaming; the report of what could not be read)."""
    from ..ingest import ReadReport, read

    report = ReadReport()
    return report.watch(read(args.paths, options)), report


def reading_done(args: argparse.Namespace, report) -> int:
    """Write the errors file, say on stderr how many records were skipped; the exit status."""
    if args.errors:
        write(Path(args.errors), report.errors_jsonl())
    if report.skipped or report.noted:  # nothing cut or dropped goes unsaid
        hint = f" (listed in {args.errors})" if args.errors else " (--errors FILE lists them)"
        print(f"newsdesk: {report.summary()}{hint}", file=sys.stderr)
    return 3 if args.strict and report.skipped else 0


def one_source(args: argparse.Namespace, verb: str) -> None:
    """PATH and --story exclude each other, and one of them is needed."""
    if args.paths and args.story:
        raise NewsdeskError("give PATH or --story ID, not both", code=2)
    if not args.paths and not args.story:
        raise NewsdeskError(f"nothing to {verb}: give PATH, or --story ID with a store", code=2)


# ---------------------------------------------------------------- the store


def db_path(args: argparse.Namespace) -> str:
    return getattr(args, "db", None) or os.environ.get("NEWSDESK_DB") or "newsdesk.db"


def open_store(args: argparse.Namespace, options: Options, create: bool = False):
    """The store of --db; unless `create`, a one-line error when there is none yet."""
    from ..store import Store

    path = db_path(args)
    if not create and not Path(path).is_file():
        raise NewsdeskError(f"no store at {path}: run `newsdesk ingest PATH --db {path}` first", code=2)
    return Store(path, options)


def say_if_merged(store, story_id: str) -> str:
    """The story's id now; a story merged into another when the store regrouped its open
    stories is shown under its new id, and stderr says so."""
    now = store.current_id(story_id)
    if now != story_id:
        print(f"newsdesk: story {story_id} was merged into story {now}; showing {now}", file=sys.stderr)
    return now


# ---------------------------------------------------------------- output


def emit(text: str, output: str | None, fmt: str | None = None) -> None:
    """Write a command's output to FILE (--output) or to standard output; Markdown shown on a
    terminal is rendered in colour."""
    if output:
        write(Path(output), text)
    elif fmt == "md" and sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)


def write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise NewsdeskError(f"cannot write {path}: {exc.strerror}", code=2) from None


def progress_bar(label: str):
    """A progress bar on standard error for long work, when a person is watching: a wrapper
    `bar(iterable, total)` (None when nobody watches)."""
    if not sys.stderr.isatty():
        return None

    def wrap(iterable, total: int):
        if total < 200:
            return iterable
        from rich.console import Console
        from rich.progress import track

        return track(iterable, total=total, description=label, console=Console(stderr=True), transient=True)

    return wrap
