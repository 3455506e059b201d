"""The command line: a thin layer over the Python API. Errors are one line, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import NewsdeskError, NoNewsError
from .ingest import ReadReport
from .options import EMBEDDERS, Options

FORMATS = ("md", "json", "html")
PATH_HELP = ("news to read: a file, a folder, a URL, or - for standard input; text (one item per line), JSONL, "
             "JSON, CSV/TSV, HTML, RSS/Atom, WARC or a list of URLs, compressed or not")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="Turn a pile of news into a brief you can trust: every sentence cited, "
        "claims with who made them, disputed figures side by side.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    brief = commands.add_parser("brief", help="brief news items as one story (or one story of the store: --story ID)",
                                description="Brief the whole input as one story, or one story of the store (--story ID).")
    brief.add_argument("paths", nargs="*", metavar="PATH", help=PATH_HELP + " (or --story ID)")
    brief.add_argument("--story", metavar="ID", help="brief one story of the store (see `newsdesk stories --db`) instead of PATH")
    brief.add_argument("--since", metavar="last|DATE", help="with --story: first say what changed since the last brief "
                       "of the story, or since DATE (new items, new claims, changed figures)")
    brief.add_argument("--db", metavar="FILE", help="the store for --story (default: $NEWSDESK_DB or ./newsdesk.db)")
    brief.add_argument("--format", choices=FORMATS, default="md", help="output format (default: md)")
    brief.add_argument("--output", "-o", metavar="FILE", help="write the brief to FILE instead of standard output")
    brief.add_argument("--sentences", type=_positive, metavar="N", help="most summary sentences (default: 5)")
    brief.add_argument("--words", type=_positive, metavar="N", help="length budget in words, whole sentences only")
    brief.add_argument("--embedder", choices=EMBEDDERS, help="sentence embeddings (default: minilm)")
    add_input_arguments(brief)
    brief.set_defaults(run=_brief)

    claims = commands.add_parser("claims", help="list every attributed claim: who said what, with spans",
                                 description="List every attributed claim of the input: speaker (as written and "
                                 "normalised), cue, content, hedges, figures, when, the item and the exact spans.")
    claims.add_argument("paths", nargs="*", metavar="PATH", help=PATH_HELP + " (or --story ID)")
    claims.add_argument("--story", metavar="ID", help="the claims of one story of the store (see `newsdesk stories --db`) instead of PATH")
    claims.add_argument("--db", metavar="FILE", help="the store for --story (default: $NEWSDESK_DB or ./newsdesk.db)")
    claims.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format (default: table)")
    claims.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    add_input_arguments(claims)
    claims.set_defaults(run=_claims)

    read = commands.add_parser("read", help="print the items as newsdesk reads them (a converter between formats)",
                               description="Print every input record as newsdesk reads it, one per line: n, id, title, "
                               "text, url, source, published, language, and dropped (the reason a record is not used).")
    read.add_argument("paths", nargs="+", metavar="PATH", help=PATH_HELP)
    read.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default: jsonl)")
    read.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    add_input_arguments(read)
    read.set_defaults(run=_read)

    from .cli_stories import add_story_commands

    add_story_commands(commands, add_input_arguments, PATH_HELP)

    from .web import add_serve_command

    add_serve_command(commands)

    check = commands.add_parser("verify", help="check that every citation of a JSON brief holds in its sources",
                                description="Re-read the sources (same reader, same numbering) and check the brief's "
                                "headline, sentences, support, claim offsets and figures. Prints each failure; exit 1 if any.")
    check.add_argument("brief_file", metavar="BRIEF.json", help="a brief written by `newsdesk brief --format json`")
    check.add_argument("paths", nargs="+", metavar="SOURCES", help="the inputs the brief was made from, in the same order")
    check.add_argument("--embedder", choices=EMBEDDERS, help="the embedder the brief was made with (default: minilm)")
    add_input_arguments(check)
    check.set_defaults(run=_verify)

    setup = commands.add_parser("setup", help="prepare the models once: MiniLM exported to ONNX, static embeddings distilled from it",
                                description="Export MiniLM to ONNX Runtime and distil static embeddings from it (model2vec), once, so that later runs start without torch.")
    setup.set_defaults(run=_setup)
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


def _brief(args) -> int:
    from . import render
    from .ingest import read
    from .pipeline import brief

    options = Options.from_toml(args.options) if args.options else Options()
    options = options.update(sentences=args.sentences, words=args.words, embedder=args.embedder)
    options = _input_options(args, options)
    if args.story or args.since or not args.paths:
        from .cli_stories import story_brief

        return story_brief(args, options)
    where = ", ".join("standard input" if p == "-" else p for p in args.paths)
    report = ReadReport()
    try:
        result = brief(report.watch(read(args.paths, options)), options, progress=_progress_bar("Analysing items"))
    except NoNewsError:
        _reading_done(args, report)
        raise NoNewsError(f"no news items in {where}") from None
    text = render.render(result, args.format)
    if args.output:
        _write(Path(args.output), text)
    elif args.format == "md" and sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)
    return _reading_done(args, report)


def _claims(args) -> int:
    from .ingest import read
    from .pipeline import claims
    from .render.claims import render_claims

    options = _input_options(args, Options.from_toml(args.options) if args.options else Options())
    if args.story or not args.paths:
        return _story_claims(args, options)
    where = ", ".join("standard input" if p == "-" else p for p in args.paths)
    report = ReadReport()
    result = claims(report.watch(read(args.paths, options)), options)
    status = _reading_done(args, report)
    if not any(e.status != "dropped" for e in result.items):
        raise NoNewsError(f"no news items in {where}")
    text = render_claims(result, args.format)
    emit(text, args.output)
    return status


def _story_claims(args, options) -> int:
    """`newsdesk claims --story ID`: the claims of one story of the store."""
    from .cli_stories import default_db
    from .pipeline import claims
    from .render.claims import render_claims

    if args.paths:
        raise NewsdeskError("give PATH or --story ID, not both", code=2)
    if not args.story:
        raise NewsdeskError("nothing to read: give PATH, or --story ID with a store", code=2)
    path = args.db or default_db()
    if not Path(path).is_file():
        raise NewsdeskError(f"no store at {path}: run `newsdesk ingest PATH --db {path}` first", code=2)
    from .cli_stories import say_if_merged
    from .store import Store

    with Store(path, options) as store:
        items = store.story_items(args.story)
        say_if_merged(store, args.story)
    text = render_claims(claims(items, options), args.format)
    emit(text, args.output)
    return 0


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """The input flags of every command that takes PATH (see newsdesk.ingest), and --options."""
    from .ingest import FORMATS as INPUT_FORMATS

    parser.add_argument("--options", metavar="FILE", help="TOML file of options (a [newsdesk] table)")

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


def _input_options(args, options: Options) -> Options:
    from .ingest.fields import parse_field_args

    return options.update(input_format=args.input_format, field_names=parse_field_args(args.field),
                          fetch_articles=args.fetch_articles, allow_private=args.allow_private,
                          fetch_timeout=args.timeout)


def _reading_done(args, report) -> int:
    """Write the errors file, say on stderr how many records were skipped; the exit status."""
    if args.errors:
        _write(Path(args.errors), report.errors_jsonl())
    if report.skipped:
        hint = f" (listed in {args.errors})" if args.errors else " (--errors FILE lists them)"
        print(f"newsdesk: {report.summary()}{hint}", file=sys.stderr)
    return 3 if args.strict and report.skipped else 0


def _read(args) -> int:
    import csv
    import json

    from .ingest import read

    options = _input_options(args, Options.from_toml(args.options) if args.options else Options())
    report = ReadReport()
    keys = ("n", "id", "title", "text", "url", "source", "published", "language", "dropped")
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        writer = csv.DictWriter(out, fieldnames=keys, lineterminator="\n") if args.format == "csv" else None
        if writer:
            writer.writeheader()
        for it in report.watch(read(args.paths, options)):
            row = {"n": it.n, "id": it.id, "title": it.title, "text": it.text, "url": it.url, "source": it.source,
                   "published": it.published.isoformat() if it.published else None, "language": it.language,
                   "dropped": it.junk_reason}
            if writer:
                writer.writerow(row)
            else:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise NewsdeskError(f"cannot write {args.output}: {exc.strerror}", code=2) from None
    finally:
        if args.output:
            out.close()
    return _reading_done(args, report)


def _verify(args) -> int:
    import json

    from .ingest import read
    from .verify import verify

    options = _input_options(args, Options.from_toml(args.options) if args.options else Options())
    options = options.update(embedder=args.embedder)
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


def _setup(args) -> int:
    from .embed import prepare_onnx, prepare_static

    path = prepare_onnx()
    print(f"MiniLM ready for ONNX Runtime: {path}")
    path = prepare_static()
    print(f"static embeddings distilled from MiniLM: {path}")
    return 0


def _progress_bar(label: str):
    """A progress bar on standard error for long work, when a person is watching."""
    if not sys.stderr.isatty():
        return None

    def wrap(iterable, total: int):
        if total < 200:
            return iterable
        from rich.progress import track

        return track(iterable, total=total, description=label, console=_stderr_console(), transient=True)

    return wrap


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def emit(text: str, output: str | None) -> None:
    """Write a command's output to FILE (--output) or to standard output."""
    if output:
        _write(Path(output), text)
    else:
        sys.stdout.write(text)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise NewsdeskError(f"cannot write {path}: {exc.strerror}", code=2) from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {number}")
    return number
