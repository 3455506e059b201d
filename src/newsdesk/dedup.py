"""Exact and near-duplicate items: the same text sent twice, or syndicated with light edits.

Syndication adds and cuts around the same news, so every rule compares the *core* of a text
(:func:`core_text`): the text without the outlet footers and wire datelines that outlets add
("(Reporting by ...; Editing by ...)", "- The Associated Press", "Copyright 2016 ...",
"Follow us on Twitter", "Read more at ...", "WASHINGTON (Reuters) -"). On the core:

- exact duplicates share the same `normalise`d text (case, quotes, dashes and punctuation
  do not count);
- prefix copies (:func:`is_prefix_copy`): one text is the other cut short, or the other with a
  few words added (a tag such as "- report", an unknown footer);
- near duplicates are found with MinHash signatures in an LSH index (datasketch) and confirmed
  with the exact Jaccard similarity of the two shingle sets (or containment, for a copy cut
  short), so the verdict never depends on hash collisions.

Groups are transitive (union-find) and each is represented by its item with the smallest
number `n`, which makes the result independent of input order. The store
(:mod:`newsdesk.store`) applies the same rules incrementally.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from .model import Item
from .options import Options

NUM_PERM = 128
# Texts with fewer words than this have too few word 3-grams for a stable similarity:
# they are shingled into single words and word pairs instead.
SHORT_WORDS = 12
# The LSH index is queried below the decision threshold so that pairs just above it are
# not missed by banding; the exact Jaccard check then applies the real threshold.
_LSH_MARGIN = 0.15

_TRANSLATE = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
})
_PUNCTUATION = re.compile(r"[^\w\s]+")

# What outlets append to syndicated news: credits, wire tags, notices, calls to follow or read
# on. Each must end the text, and each is specific enough that news prose does not end that
# way ("copyright" needs a year or "all rights reserved"; "follow" needs "us" or a handle).
_FOOTER = re.compile(
    r"""\s*(?:
      \(\s*(?:additional\s+)?(?:reporting|writing|editing)\s+by\b[^()]{0,160}\)\.?          # (Reporting by X; Editing by Y)
    | (?:additional\s+)?reporting\s+by\s[^.;]{1,80};\s*editing\s+by\s[^.;]{1,60}\.?   # Reporting by X; editing by Y.
    | [-\u2013\u2014|]+\s*(?:the\s+)?(?:associated\s+press|ap|reuters|afp|upi|dpa|bloomberg)\.?  # - The Associated Press
    | (?:copyright|\u00a9|\(c\))\s*(?:\u00a9\s*)?(?:19|20)\d\d\b[^.]{0,80}\.?(?:\s*all\s+rights\s+reserved\.?)?
    | all\s+rights\s+reserved\.?
    | follow\s+(?:us|@\w+)\s+on\s+(?:twitter|facebook|instagram|x)\b[^.!]{0,60}[.!]?
    | (?:this|the)\s+(?:story|article|report|post)\s+(?:has\s+been|was)\s+(?:updated|corrected)\b[^.]{0,80}\.?
    | (?:read\s+more|continue\s+reading|full\s+story)\s*(?:at|on|:)(?:\s*\S+){1,4}
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_FOOTER_CHARS = 300
_CONTENT = re.compile(r"[^\s(\[{|\-\u2013\u2014]")
# Words of which every footer above has one: most texts have none near their end, and then the
# regex (slow: it is tried at every position) need not run.
_FOOTER_HINTS = ("reporting", "writing", "editing", "associated", "reuters", "afp", "upi", "dpa", "bloomberg",
                 "copyright", "\u00a9", "(c)", "rights", "follow", "updated", "corrected", "read", "full")


def _may_end_with_footer(tail: str) -> bool:
    tail = tail.lower()
    return tail.rstrip().rstrip(".").endswith("ap") or any(hint in tail for hint in _FOOTER_HINTS)
# A wire dateline before the news: "WASHINGTON (Reuters) - ", "(AP) — ".
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z.'\-\s]{1,30}(?:,\s*[A-Z][A-Za-z.'\-\s]{1,30})?\s*)?"  # a city in capitals, a country
    r"\((?:AP|Reuters|AFP|UPI|dpa|Bloomberg)\)\s*[-\u2013\u2014:]+\s*")


def normalise(text: str) -> str:
    """Text reduced for exact matching: Unicode-compatible forms, case folded, quotes and
    dashes unified, punctuation dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def core_text(text: str) -> str:
    """`text` without the outlet footers (any number, at the end) and the wire dateline that
    syndication adds; the text itself when nothing else would be left."""
    core = _DATELINE.sub("", text, count=1)
    while (start := _footer_start(core)) is not None:
        core = core[:start]
    return core


def _footer_start(text: str) -> int | None:
    """Where the last footer of `text` starts, when something other than a footer comes first
    (a text that is all footer, "(Reporting by ...)", is its own core)."""
    at = max(0, len(text) - _FOOTER_CHARS)  # footers are short: only the end is searched
    if not _may_end_with_footer(text[at:]):
        return None
    while match := _FOOTER.search(text, at):
        if _CONTENT.search(text, 0, match.start()) and _sets_off(text, match):
            return match.start()
        at = match.start() + 1  # a later start of a shorter footer may leave content before it
    return None


def _sets_off(text: str, match: re.Match) -> bool:
    """A footer starts its own line or sentence (a capital after a title that has no full stop
    counts: "Kanye and Kim wed Read more at ..."), or is a credit or wire tag set off by a dash
    or a bracket: prose that ends "... can follow @nasa on Twitter." is news, not a footer."""
    footer = match.group().lstrip()
    if footer[:1] in "-\u2013\u2014|(" or _sentence_case(footer):
        return True
    gap = match.group()[: len(match.group()) - len(footer)]
    return "\n" in gap or text[:match.start()].endswith((".", "!", "?", '"', "\u201d", "'", "\u2019", ")"))


def _sentence_case(footer: str) -> bool:
    """'Read more at ...' after a bare title starts a sentence; 'Read More On Paper' ends a
    Title Case headline."""
    words = footer.split()
    return words[0][:1].isupper() and not (len(words) > 1 and words[1][:1].isupper())


def core_words(text: str) -> list[str]:
    """The normalised words of :func:`core_text`: what every duplicate rule compares."""
    return normalise(core_text(text)).split()


# Prefix copies. A text of PREFIX_MIN words or more that another one is with at most TAIL_MAX
# words added (a tag, an unknown footer); or a text of HEAD_WORDS words or more that another one
# begins with (a copy cut short anywhere: two different articles do not share their first
# HEAD_WORDS words and end exactly there).
PREFIX_MIN, TAIL_MAX, HEAD_WORDS = 4, 12, 20


def is_prefix_copy(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether one word list is a prefix copy of the other (see PREFIX_MIN)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < PREFIX_MIN or list(long[:len(short)]) != list(short):
        return False
    return len(short) >= HEAD_WORDS or len(long) - len(short) <= TAIL_MAX


class PrefixKeys(NamedTuple):
    """Where a text meets its prefix copies, as word lists: the batch (:func:`find_duplicates`)
    and the store (:mod:`newsdesk.store`) index them differently but by these rules.

    A copy with a short tail added has its original's `whole` among its `cuts`; long texts cut
    short anywhere share their `head`, and are then compared word by word (is_prefix_copy)."""

    whole: Sequence[str] | None  # the text, when long enough to be a prefix copy (PREFIX_MIN words)
    cuts: Iterator[Sequence[str]]  # the text less its last 1 to TAIL_MAX words, longest first; read once
    head: Sequence[str] | None  # its first HEAD_WORDS words, when it has that many


def prefix_keys(words: Sequence[str]) -> PrefixKeys:
    """The prefix-copy keys of a normalised word list (see :class:`PrefixKeys`)."""
    shortest = max(PREFIX_MIN, len(words) - TAIL_MAX)
    # Lazy: a reader that wants only `whole` and `head` does not copy a dozen prefixes.
    cuts = (words[:k] for k in range(len(words) - 1, shortest - 1, -1))
    return PrefixKeys(whole=words if len(words) >= PREFIX_MIN else None, cuts=cuts,
                      head=words[:HEAD_WORDS] if len(words) >= HEAD_WORDS else None)


def shingles(text: str) -> frozenset[str]:
    """Word 3-grams of the normalised text; word 1- and 2-grams for short texts."""
    return shingles_of(normalise(text).split())


def shingles_of(words: Sequence[str]) -> frozenset[str]:
    """Word 3-grams of a normalised word list; word 1- and 2-grams for short lists."""
    if len(words) >= SHORT_WORDS:
        return frozenset(" ".join(words[i : i + 3]) for i in range(len(words) - 2))
    return frozenset(words) | frozenset(" ".join(words[i : i + 2]) for i in range(len(words) - 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


# A copy cut short (syndicated with its end truncated, maybe a footer added) has a low Jaccard
# with the original but is nearly contained in it: at least `threshold` of the shorter text's
# shingles in the longer, the shorter having at least half as many, also makes a near duplicate
# (texts of 30 shingles or more only: headlines that share most words are often different news).


def near_score(a: frozenset, b: frozenset, threshold: float) -> float:
    """Jaccard, raised to `threshold` when the shorter set is a truncated copy of the longer."""
    score = jaccard(a, b)
    if score < threshold and a and b:
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        if len(small) >= 30 and len(small) * 2 >= len(large) and len(small & large) >= threshold * len(small):
            return threshold
    return score


class UnionFind:
    """Groups of positions; the root of a group is always its smallest position."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


@functools.cache
def _datasketch():
    """datasketch, imported without scipy.integrate (a quarter of a second of a cold start) and
    without datasketch.aio (asyncio, 0.01 s): its LSH modules import `quad` at the top but call
    it only to choose bands, which :func:`_lsh_bands` does once and keeps in the cache, and its
    package imports AsyncMinHashLSH, which newsdesk never uses. While datasketch is imported,
    each is a stand-in module whose function imports the real one when called (so
    `datasketch.AsyncMinHashLSH(...)` still makes the real thing)."""
    import sys

    if "datasketch" in sys.modules:
        return sys.modules["datasketch"]
    stand_ins = {module: _stand_in(module, name) for module, name in
                 (("scipy.integrate", "quad"), ("datasketch.aio", "AsyncMinHashLSH")) if module not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        import datasketch
    finally:
        for module, stand_in in stand_ins.items():
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]
    return datasketch


def _stand_in(module: str, name: str):
    """A module `module` whose `name` imports the real module when called and calls its `name`."""
    import importlib
    import types

    def call(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    stand_in = types.ModuleType(module)
    setattr(stand_in, name, call)
    return stand_in


@functools.lru_cache(maxsize=4)
def _permutations(seed: int):
    template = _datasketch().MinHash(num_perm=NUM_PERM, seed=seed)
    return template.permutations, template.scheme


def minhash(shingle_set: frozenset[str], seed: int):
    permutations, scheme = _permutations(seed)  # generated once, not per item
    signature = _datasketch().MinHash(num_perm=NUM_PERM, seed=seed, permutations=permutations, scheme=scheme)
    # Sorted so that the signature does not depend on set iteration order.
    signature.update_batch([s.encode("utf-8") for s in sorted(shingle_set)])
    return signature


@functools.cache
def _lsh_bands(threshold: float) -> tuple[int, int]:
    """datasketch's (bands, rows) for `threshold`, computed once: it integrates numerically on
    every new index otherwise (about 18 ms, most of the dedup time of a small brief), with
    scipy.integrate, whose import costs a cold start a quarter of a second. So the answer is
    kept in the cache, under a key of datasketch's version and the arguments."""
    from .diskcache import cached_file, source_key

    key = source_key("lsh-bands", _datasketch().__version__, NUM_PERM, repr(threshold))
    path = cached_file(f"lsh-bands-{key}.txt", lambda p: p.write_text(" ".join(map(str, _optimal_bands(threshold)))))
    if path is not None:
        try:
            bands, rows = map(int, path.read_text().split())
            return bands, rows
        except (OSError, ValueError):  # a damaged cache file: compute it again
            pass
    return _optimal_bands(threshold)


def _optimal_bands(threshold: float) -> tuple[int, int]:
    from datasketch.lsh import _optimal_param

    bands, rows = _optimal_param(threshold, NUM_PERM, 0.5, 0.5)
    return int(bands), int(rows)


def lsh_bands(options: Options) -> tuple[int, int]:
    """(bands, rows) of the MinHash LSH index that proposes near-copy candidates: tuned below
    `near_duplicate_jaccard` so that banding misses few real copies (the Spark job bands the
    same signatures the same way)."""
    return _lsh_bands(max(0.05, options.near_duplicate_jaccard - _LSH_MARGIN))


def _near_pairs(ordered: Sequence[Item], cores: Sequence[list[str]], options: Options):
    """Candidate pairs (i, j), i < j, whose exact shingle Jaccard (or containment) reaches the
    threshold.

    The index holds only signatures; shingle sets are recomputed from the core words for the
    few candidate pairs, so memory stays at one signature per item."""
    threshold = options.near_duplicate_jaccard
    lsh = _datasketch().MinHashLSH(num_perm=NUM_PERM, params=lsh_bands(options))
    for j, words in enumerate(cores):
        own = shingles_of(words)
        if not own:
            continue
        signature = minhash(own, options.seed)
        for i in sorted(lsh.query(signature)):
            if near_score(shingles_of(cores[i]), own, threshold) >= threshold:
                yield i, j
        lsh.insert(j, signature)


def _prefix_pairs(cores: Sequence[list[str]]):
    """Pairs (i, j) of which one is a prefix copy of the other (:func:`is_prefix_copy`)."""
    first: dict[str, int] = {}
    heads: dict[str, list[int]] = {}
    for j, words in enumerate(cores):
        keys = prefix_keys(words)
        if keys.whole is not None:
            first.setdefault(" ".join(keys.whole), j)
        if keys.head is not None:
            heads.setdefault(" ".join(keys.head), []).append(j)
    for j, words in enumerate(cores):  # a shorter text that this one is with a short tail added
        for cut in prefix_keys(words).cuts:
            i = first.get(" ".join(cut))
            if i is not None:
                yield i, j
    for group in heads.values():  # long texts cut short: they begin alike
        for a, i in enumerate(group):
            for j in group[a + 1:]:
                if is_prefix_copy(cores[i], cores[j]):
                    yield i, j


def find_duplicates(items: Sequence[Item], options: Options | None = None) -> dict[str, str]:
    """Map each duplicate item's id to the id of its group's canonical item (smallest `n`).

    Items that share an id are the same record twice (same source and url) and are not
    listed: an id cannot map to itself."""
    options = options or Options()
    ordered = sorted(items, key=lambda item: item.n)
    cores = [core_words(item.text) for item in ordered]
    groups = UnionFind(len(ordered))
    first_with_text: dict[str, int] = {}
    for j, words in enumerate(cores):
        key = " ".join(words)
        if key:  # texts without words are junk, not copies of each other
            groups.union(first_with_text.setdefault(key, j), j)
    for i, j in _prefix_pairs(cores):
        groups.union(i, j)
    for i, j in _near_pairs(ordered, cores, options):
        groups.union(i, j)
    duplicates = {}
    for j, item in enumerate(ordered):
        canonical = ordered[groups.find(j)]
        if canonical.id != item.id:
            duplicates[item.id] = canonical.id
    return duplicates


_BLOCK = 2048


def semantic_duplicates(vectors, threshold: float) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of rows (unit embeddings) whose cosine is at least `threshold`,
    computed block by block so that memory stays at one block of rows."""
    import numpy as np

    pairs = []
    for start in range(0, len(vectors), _BLOCK):
        block = vectors[start:start + _BLOCK] @ vectors.T
        rows, cols = np.nonzero(block >= threshold)
        pairs += [(start + int(r), int(c)) for r, c in zip(rows, cols) if start + r < c]
    return pairs
