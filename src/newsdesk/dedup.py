"""Exact and near-duplicate items: the same text sent twice, or syndicated with light edits.

Exact duplicates share the same `normalise`d text. Near duplicates are found with MinHash
signatures in an LSH index (datasketch) and confirmed with the exact Jaccard similarity of
the two shingle sets, so the verdict never depends on hash collisions. Groups are transitive
(union-find) and each is represented by its item with the smallest number `n`, which makes
the result independent of input order.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

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


def normalise(text: str) -> str:
    """Text reduced for exact matching: Unicode-compatible forms, case folded, quotes and
    dashes unified, punctuation dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def shingles(text: str) -> frozenset[str]:
    """Word 3-grams of the normalised text; word 1- and 2-grams for short texts."""
    words = normalise(text).split()
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


class _UnionFind:
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


@functools.lru_cache(maxsize=4)
def _permutations(seed: int):
    from datasketch import MinHash

    template = MinHash(num_perm=NUM_PERM, seed=seed)
    return template.permutations, template.scheme


def _minhash(shingle_set: frozenset[str], seed: int):
    from datasketch import MinHash

    permutations, scheme = _permutations(seed)  # generated once, not per item
    signature = MinHash(num_perm=NUM_PERM, seed=seed, permutations=permutations, scheme=scheme)
    # Sorted so that the signature does not depend on set iteration order.
    signature.update_batch([s.encode("utf-8") for s in sorted(shingle_set)])
    return signature


def _near_pairs(ordered: Sequence[Item], options: Options):
    """Candidate pairs (i, j), i < j, whose exact shingle Jaccard reaches the threshold.

    The index holds only signatures; shingle sets are recomputed from the items' texts for
    the few candidate pairs, so memory stays at one signature per item."""
    from datasketch import MinHashLSH

    threshold = options.near_duplicate_jaccard
    lsh = MinHashLSH(threshold=max(0.05, threshold - _LSH_MARGIN), num_perm=NUM_PERM)
    for j, item in enumerate(ordered):
        own = shingles(item.text)
        if not own:
            continue
        signature = _minhash(own, options.seed)
        for i in sorted(lsh.query(signature)):
            if near_score(shingles(ordered[i].text), own, threshold) >= threshold:
                yield i, j
        lsh.insert(j, signature)


def find_duplicates(items: Sequence[Item], options: Options | None = None) -> dict[str, str]:
    """Map each duplicate item's id to the id of its group's canonical item (smallest `n`).

    Items that share an id are the same record twice (same source and url) and are not
    listed: an id cannot map to itself."""
    options = options or Options()
    ordered = sorted(items, key=lambda item: item.n)
    groups = _UnionFind(len(ordered))
    first_with_text: dict[str, int] = {}
    for j, item in enumerate(ordered):
        key = normalise(item.text)
        if key:  # texts without words are junk, not copies of each other
            groups.union(first_with_text.setdefault(key, j), j)
    for i, j in _near_pairs(ordered, options):
        groups.union(i, j)
    duplicates = {}
    for j, item in enumerate(ordered):
        canonical = ordered[groups.find(j)]
        if canonical.id != item.id:
            duplicates[item.id] = canonical.id
    return duplicates
