"""prepare(items, options) -> Prepared: the cheap stages that every path runs first.

The brief, the stories, the claims and the store's cheap pass all start here, so an item gets
the same verdicts and the same duplicate keys whichever way it comes in:

1. verdicts (:func:`judged`): junk, truncation and language from :mod:`newsdesk.clean`; an item
   a reader already dropped (an unreadable record) keeps its reason;
2. copies: the same record twice (same id), then exact, prefix and MinHash near copies of the
   core text (:func:`newsdesk.dedup.find_duplicates`), each pointed at the canonical item of
   its group (the smallest item number).

Paraphrases need embeddings, so the stories add them afterwards with
:func:`merge_paraphrases`. :func:`ledger` says what became of every item.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from . import clean, dedup
from .model import Item, LedgerEntry, Prepared
from .options import Options

TRUNCATED_NOTE = "cut off mid-sentence: the unfinished part is not used"


def as_items(items: Iterable[Item | str]) -> list[Item]:
    """Items as given; a plain string is an item numbered by its position (from 1)."""
    return [it if isinstance(it, Item) else Item(n=n, text=str(it), origin=f"<item {n}>")
            for n, it in enumerate(items, start=1)]


def judged(item: Item, options: Options) -> Item:
    """The item, cut to `max_item_chars`, with its cleaning verdicts; a reader's verdict (an
    unreadable record) stands."""
    return item if item.junk_reason else clean.assess(capped(item, options.max_item_chars), options)


def readable(item: Item) -> Item:
    """The item as the stages read it: its junk lines (a newsletter box, "Advertisement")
    blanked out with spaces, so that every offset still points into the text as read."""
    if not item.junk_spans:
        return item
    return replace(item, text=clean.blank_spans(item.text, item.junk_spans))


def capped(item: Item, limit: int) -> Item:
    """The item cut to `limit` characters (the cut noted), as a reader cuts a record: an item
    made by hand or posted to the web app is bounded too, so that no text is too long to parse."""
    if len(item.text) <= limit:
        return item
    note = "; ".join(filter(None, [item.note, f"cut from {len(item.text):,} to {limit:,} characters"]))
    return replace(item, text=item.text[:limit], truncated=True, note=note)


def prepare(items: Iterable[Item | str], options: Options | None = None) -> Prepared:
    """Verdicts for every item, and every exact or near copy pointed at its canonical item."""
    options = options or Options()
    judged_items = [judged(it, options) for it in as_items(items)]
    duplicate_of, how = text_duplicates([it for it in judged_items if not it.junk_reason], options)
    return Prepared(judged_items, duplicate_of, how)


def text_duplicates(items: Sequence[Item], options: Options) -> tuple[dict[int, int], dict[int, str]]:
    """Exact and near copies among live items: item number -> canonical number, and the depth
    at which each was found ("exact": same record or same core text; "near": prefix or MinHash)."""
    by_id: dict[str, list[Item]] = defaultdict(list)
    for it in sorted(items, key=lambda it: it.n):
        by_id[it.id].append(it)  # same id: the same record (same text, or same source + url)
    duplicate_of = {it.n: group[0].n for group in by_id.values() for it in group[1:]}
    how = dict.fromkeys(duplicate_of, "exact")
    firsts = [group[0] for group in by_id.values()]
    number = {it.id: it.n for it in firsts}
    core = {it.n: dedup.core_words(it.text) for it in firsts}  # a copy with a footer added is exact
    for dup, canonical in dedup.find_duplicates(firsts, options).items():
        duplicate_of[number[dup]] = number[canonical]
        how[number[dup]] = "exact" if core[number[dup]] == core[number[canonical]] else "near"
    return point_at_roots(duplicate_of), how


def point_at_roots(duplicate_of: dict[int, int]) -> dict[int, int]:
    """Every copy pointed at the end of its chain: a copy of a copy names the canonical item."""
    roots = {}
    for n, canonical in duplicate_of.items():
        while canonical in duplicate_of:
            canonical = duplicate_of[canonical]
        roots[n] = canonical
    return roots


TRANSLATION_SIMILARITY = 0.9
"""Multilingual cosine (its own scale) at or above which an item in another language that states
the same numbers is a translation of another (benchmarks/multilingual.py)."""


def merge_paraphrases(prepared: Prepared, canonical: Sequence[Item], vectors: np.ndarray,
                      threshold: float, pile=None, translation: float | None = None) -> tuple[Prepared, list[int]]:
    """The third depth: canonical items of one language whose embeddings have a cosine of at
    least `threshold` (on MiniLM's scale: see `pile`, a newsdesk.cluster.Pile) are one group,
    named by its smallest item number; an item in another language whose multilingual cosine
    with it is at least `translation`, stating the same numbers, is its translation. Returns the
    prepared pile with those copies pointed at their group's item, and the positions in
    `canonical` of the items that stay canonical."""
    translation = TRANSLATION_SIMILARITY if translation is None else translation
    languages = pile.languages if pile is not None else ("",) * len(canonical)
    offsets = pile.offsets if pile is not None else np.zeros(len(canonical))
    a, b = pile.scale if pile is not None and pile.scale else (0.0, 1.0)
    groups = dedup.UnionFind(len(canonical))
    by_n = sorted(range(len(canonical)), key=lambda i: canonical[i].n)
    rank = {i: r for r, i in enumerate(by_n)}  # union-find roots are the smallest ranks: n order
    translated: set[int] = set()
    english = pile.english_rows if pile is not None else np.zeros(len(canonical), dtype=bool)
    for i, j in dedup.semantic_duplicates(vectors, min((threshold - a) / b, translation)):
        if english[i] and english[j]:
            continue  # two English items: their MiniLM vectors say (below)
        if languages[i] == languages[j]:
            if a + b * float(vectors[i] @ vectors[j]) - offsets[i] >= threshold:
                groups.union(rank[i], rank[j])
        elif pile is not None and pile.scale and same_numbers(canonical[i].text, canonical[j].text):
            groups.union(rank[i], rank[j])
            translated.update((i, j))
    if english.any():
        for i, j in dedup.semantic_duplicates(pile.english, threshold):
            groups.union(rank[i], rank[j])
    duplicate_of, how, keep = dict(prepared.duplicate_of), dict(prepared.how), []
    for i, it in enumerate(canonical):
        root = by_n[groups.find(rank[i])]
        if canonical[root].n != it.n:
            duplicate_of[it.n] = canonical[root].n
            how[it.n] = "translation" if i in translated and languages[i] != languages[root] else "semantic"
        else:
            keep.append(i)
    return replace(prepared, duplicate_of=point_at_roots(duplicate_of), how=how), keep


def same_numbers(one: str, other: str) -> bool:
    """Both texts state the same numbers (a translation keeps them; "63,2" is "63.2")."""
    def numbers(text: str) -> set[str]:
        return {n.replace(",", ".") for n in re.findall(r"\d+(?:[.,]\d+)?", text)}

    return numbers(one) == numbers(other)


def ledger(prepared: Prepared, left_out: dict[int, str] | None = None) -> list[LedgerEntry]:
    """What became of every item: dropped with its reason, merged into its canonical item
    (and at which depth), or used, with notes (cut to a length, cut off mid-sentence, and
    `left_out`: item number -> why a stage left a used item out)."""
    left_out = left_out or {}
    entries = []
    for it in prepared.items:
        if it.junk_reason:
            entries.append(LedgerEntry(it.n, "dropped", it.junk_reason, id=it.id))
        elif prepared.how.get(it.n) == "translation":
            entries.append(LedgerEntry(it.n, "translation", f"translation ({it.language})",
                                       prepared.duplicate_of[it.n], id=it.id))
        elif it.n in prepared.duplicate_of:
            entries.append(LedgerEntry(it.n, "merged", f"duplicate ({prepared.how.get(it.n, 'exact')})",
                                       prepared.duplicate_of[it.n], id=it.id))
        else:
            notes = [it.note] if it.note else []
            if it.truncated and not it.note:
                notes.append(TRUNCATED_NOTE)
            if it.junk_spans:
                notes.append(f"{len(it.junk_spans)} junk line{'s' * (len(it.junk_spans) > 1)} cut "
                             f"({', '.join(sorted({reason for _, _, reason in it.junk_spans}))})")
            if it.n in left_out:
                notes.append(left_out[it.n])
            entries.append(LedgerEntry(it.n, "used", "; ".join(notes) or None, id=it.id,
                                       cut=[(start, end) for start, end, _ in it.junk_spans]))
    return entries
