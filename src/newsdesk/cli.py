"""The command line: a thin layer over the Python API. Errors are one line, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import NewsdeskError, NoNewsError
from .options import Options

FORMATS = ("md", "json", "html")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="Turn a pile of news into a brief you can trust: every sentence cited, "
        "claims with who made them, disputed figures side by side.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    brief = commands.add_parser("brief", help="brief news items as one story", description="Brief the whole input as one story.")
    brief.add_argument("paths", nargs="+", metavar="PATH", help="text file with one news item per line, or - for standard input")
    brief.add_argument("--format", choices=FORMATS, default="md", help="output format (default: md)")
    brief.add_argument("--output", "-o", metavar="FILE", help="write the brief to FILE instead of standard output")
    brief.add_argument("--sentences", type=_positive, metavar="N", help="most summary sentences (default: 5)")
    brief.add_argument("--words", type=_positive, metavar="N", help="length budget in words, whole sentences only")
    brief.add_argument("--embedder", choices=("minilm", "minilm-torch", "hashing"), help="sentence embeddings (default: minilm)")
    brief.add_argument("--options", metavar="FILE", help="TOML file of options (a [newsdesk] table)")
    brief.set_defaults(run=_brief)

    setup = commands.add_parser("setup", help="prepare the models for a fast start (exports MiniLM to ONNX once)",
                                description="Prepare the sentence-embedding model for ONNX Runtime, so that later runs start without torch.")
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
    where = ", ".join("standard input" if p == "-" else p for p in args.paths)
    try:
        result = brief(read(args.paths, options), options, progress=_progress_bar("Analysing items"))
    except NoNewsError:
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
    return 0


def _setup(args) -> int:
    from .embed import prepare_onnx

    path = prepare_onnx()
    print(f"MiniLM ready for ONNX Runtime: {path}")
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
