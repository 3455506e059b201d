"""The word tables of the multilingual rules, read from `data/*.tsv` on first use.

Every table is a tab-separated file of `kind<TAB>pattern[<TAB>value]` rows ('#' starts a
comment line). A pattern is one or more words separated by spaces; each word is a regular
expression that must match a whole token, case-insensitively ("заявил[аои]?" matches
"заявил", "заявила", "заявили"). Tables are data, never particular sentences: adding a
language is adding its files (`cues_xx.tsv`, `figures_xx.tsv`, `dates_xx.tsv`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"

# Words: letters and digits, with inner hyphens and apostrophes ("п'ятницю", "a-t-il",
# "aujourd'hui", "Kreml-Sprecher"); everything else is one punctuation token per character.
_TOKEN = re.compile(r"\w+(?:[-'’ʼ]\w+)*|[^\w\s]", re.UNICODE)
# French and Italian elide articles and conjunctions into the next word ("qu'il", "l'armée",
# "dell'esercito"): the elided word is a token of its own there.
_ELIDING = re.compile(r"\w+['’](?=\w)|\w+(?:-\w+)*|[^\w\s]", re.UNICODE)
ELIDING_LANGUAGES = {"fr", "it"}


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum() or self.text[:1] == "_"

    @property
    def lower(self) -> str:
        return self.text.casefold()


def tokens(text: str, start: int = 0, end: int | None = None, language: str = "") -> list[Token]:
    """The tokens of text[start:end], with offsets into `text`."""
    end = len(text) if end is None else end
    pattern = _ELIDING if language in ELIDING_LANGUAGES else _TOKEN
    return [Token(m.group(), m.start(), m.end()) for m in pattern.finditer(text, start, end)]


@dataclass(frozen=True)
class Entry:
    kind: str
    words: tuple[re.Pattern, ...]
    value: str
    pattern: str

    def match(self, toks: list[Token], i: int) -> int:
        """The number of tokens matched from toks[i] (words only, in a row), else 0."""
        if i + len(self.words) > len(toks):
            return 0
        for k, word in enumerate(self.words):
            tok = toks[i + k]
            if not word.fullmatch(tok.text):
                return 0
        return len(self.words)


NO_ENTRY = Entry("", (), "", "")
"""What Table.match gives with 0 tokens matched (never read: callers test the count first)."""


class Table:
    """The rows of one file by kind, each kind tried longest pattern first."""

    def __init__(self, rows: list[Entry]):
        self.rows = rows
        self._by_kind: dict[str, list[Entry]] = {}
        for row in rows:
            self._by_kind.setdefault(row.kind, []).append(row)
        for entries in self._by_kind.values():
            entries.sort(key=lambda e: -len(e.words))
        self._single: dict[tuple[str, str], Entry | None] = {}

    def kind(self, kind: str) -> list[Entry]:
        return self._by_kind.get(kind, [])

    def match(self, kind: str, toks: list[Token], i: int) -> tuple[int, Entry]:
        """(tokens matched, the entry) of the longest `kind` entry at toks[i]; (0, NO_ENTRY)."""
        if i >= len(toks):
            return 0, NO_ENTRY
        for entry in self.kind(kind):
            if len(entry.words) == 1:
                break  # one-word entries come last (longest first): looked up below
            n = entry.match(toks, i)
            if n:
                return n, entry
        one = self._one_word(kind, toks[i].text)
        return (1, one) if one is not None else (0, NO_ENTRY)

    def _one_word(self, kind: str, word: str) -> Entry | None:
        key = (kind, word)
        if key not in self._single:
            self._single[key] = next((e for e in self.kind(kind) if len(e.words) == 1 and e.words[0].fullmatch(word)), None)
        return self._single[key]

    def entry(self, kind: str, word: str) -> Entry | None:
        """The one-word entry of `kind` that matches `word`, if any."""
        return self._one_word(kind, word)

    def has(self, kind: str, word: str) -> bool:
        """Whether a one-word entry of `kind` matches `word` (cached: asked for every token)."""
        return self._one_word(kind, word) is not None

    def values(self, kind: str) -> list[tuple[str, str]]:
        return [(e.pattern, e.value) for e in self.kind(kind)]


def _compile(pattern: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(word, re.IGNORECASE) for word in pattern.split(" "))


def alternatives(pattern: str) -> list[str]:
    """A pattern's top-level alternatives when some of them are several words ("более|не
    менее" is two entries: one of one word, one of two); else the pattern itself."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(pattern):
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts if len(parts) > 1 and any(" " in p for p in parts) else [pattern]


def read_rows(name: str) -> list[list[str]]:
    """The rows of a data file, comments and blank lines left out; [] when it is absent."""
    path = DATA / name
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=64)
def table(name: str) -> Table:
    """The table of `data/<name>` (an empty one when the file is absent)."""
    rows = []
    for fields in read_rows(name):
        kind, pattern = fields[0].strip(), fields[1].strip()
        value = fields[2].strip() if len(fields) > 2 else ""
        try:
            rows += [Entry(kind, _compile(alt), value, alt) for alt in alternatives(pattern)]
        except re.error as error:
            raise ValueError(f"data/{name}: bad pattern {pattern!r}: {error}") from None
    return Table(rows)
