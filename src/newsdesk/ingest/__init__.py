"""Readers: every input format yields Items, numbered across all inputs in the order given."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import NewsdeskError
from ..model import Item
from ..options import Options
from . import text


def read(paths: Iterable[str | Path], options: Options | None = None) -> Iterator[Item]:
    """Yield the items of every path in turn; "-" reads standard input.

    Numbering continues across inputs: the second file's first record follows the first
    file's last record, blank lines included, so that item numbers match what users count.
    """
    options = options or Options()
    counter = text.RecordCounter()
    for path in paths:
        if str(path) == "-":
            yield from text.read_lines(sys.stdin.buffer, "<stdin>", options, counter)
            continue
        with _open(Path(path)) as stream:
            yield from text.read_lines(stream, str(path), options, counter)


def _open(path: Path):
    if path.is_dir():
        raise NewsdeskError(f"{path} is a directory; give a file of news items", code=2)
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise NewsdeskError(f"no such file: {path}", code=2) from None
    except OSError as exc:
        raise NewsdeskError(f"cannot read {path}: {exc.strerror}", code=2) from None
