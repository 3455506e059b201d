"""Choose the brief's sentences and headline from source sentences, with their citations.

Every sentence of a brief is a source sentence (or, for the headline, a trimmed span of one):
nothing is generated, so every word can be traced to the items that carry it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .model import Sentence
from .options import Options

# A headline stops before a trailing clause that comments on the event rather than naming it.
_CLAUSE_STARTERS = {"which", "where", "while", "as", "amid", "with", "after", "before", "raising", "prompting"}
_HEADLINE_MAX_WORDS = 16
_CENTROID_WEIGHT = 1.0  # similarity to the centroid of all candidate sentences
_LEAD_WEIGHT = 0.5  # times 1/sqrt(1 + position in the item)
_FACTS_WEIGHT = 0.05  # per attributed claim in the sentence (at most two)


@dataclass(frozen=True)
class Candidate:
    """A complete source sentence that may go into the brief."""

    item: int
    start: int
    end: int
    text: str
    position: int  # 0 for an item's first sentence
    facts: int  # attributed claims stated in the sentence
    tokens: tuple[tuple[str, str, int], ...]  # (text, tag, char offset in the item) for trimming


def score(candidates: list[Candidate], vectors: np.ndarray, options: Options) -> np.ndarray:
    """How central each sentence is: the share of other items that state the same thing.

    An item supports a sentence with its closest sentence's similarity, and only when that is
    above `support_similarity`, so that a hundred loosely related items cannot outvote three
    that say the same thing. Then the sentence's cosine similarity to the centroid of all the
    sentences (the pile's main topic), a bonus that decays with the sentence's position in its
    item (news puts the event first: 1/sqrt(1 + position), so long articles count their lead
    most, and snippets of one sentence each are unaffected), a small bonus to an item's first
    sentence and to sentences that carry attributed claims, and a small penalty to very long
    sentences, which are hard to cite. Weights were tuned on the even clusters of the
    Multi-News sample (benchmarks/summaries.py).
    """
    items = sorted({c.item for c in candidates})
    sims = vectors @ vectors.T
    rows = np.array([c.item for c in candidates])
    support = np.zeros(len(candidates))
    for other in items:
        best = sims[:, rows == other].max(axis=1)
        support += np.where((rows != other) & (best >= options.support_similarity), best, 0.0)
    support /= max(1, len(items) - 1)
    position = np.array([c.position for c in candidates], dtype=float)
    words = np.array([len(c.text.split()) for c in candidates], dtype=float)
    facts = np.array([min(c.facts, 2) for c in candidates], dtype=float)
    centroid = vectors.mean(axis=0)
    centrality = vectors @ (centroid / (np.linalg.norm(centroid) or 1.0))
    lead = 1.0 / np.sqrt(1.0 + position)
    return (support + _CENTROID_WEIGHT * centrality + _LEAD_WEIGHT * lead + 0.05 * (position == 0)
            + _FACTS_WEIGHT * facts - 0.002 * np.maximum(words - 35, 0))


def reading_order(chosen: list[int], candidates: list[Candidate]) -> list[int]:
    """The chosen sentences as a story reads: leads of every item first, then what follows
    them (by position in the item, then item number)."""
    return sorted(chosen, key=lambda i: (candidates[i].position, candidates[i].item, candidates[i].start))


def select(candidates: list[Candidate], vectors: np.ndarray, options: Options) -> list[int]:
    """Indices of the chosen sentences, best first: greedy by score, skipping repeats."""
    scores = score(candidates, vectors, options)
    order = sorted(range(len(candidates)), key=lambda i: (-round(scores[i], 9), candidates[i].item, candidates[i].start))
    chosen: list[int] = []
    words = 0
    for i in order:
        if len(chosen) >= options.sentences:
            break
        if any(vectors[i] @ vectors[j] > options.redundancy_similarity for j in chosen):
            continue
        length = len(candidates[i].text.split())
        if options.words is not None and words + length > options.words:
            continue  # whole sentences only: a shorter one may still fit
        chosen.append(i)
        words += length
    return chosen


def cite(index: int, candidates: list[Candidate], vectors: np.ndarray, texts: dict[int, str], options: Options) -> Sentence:
    """A brief sentence with `sources` (items containing it) and `support` (items restating it)."""
    c = candidates[index]
    return _cited(c, c.start, c.end, c.text, index, candidates, vectors, texts, options)


def headline(chosen: list[int], candidates: list[Candidate], vectors: np.ndarray, texts: dict[int, str], options: Options) -> Sentence:
    """A chosen sentence, trimmed to the clause that names the event.

    Preference, best-ranked first within each tier: a sentence that is nobody's claim and
    reads as a headline once trimmed (short, or with a clean clause boundary); then such a
    sentence that carries a claim; then the best sentence that is nobody's claim; then the best.
    """
    def tier(i: int) -> int:
        return (0 if _clean_cut(candidates[i]) is not None else 2) + (1 if candidates[i].facts else 0)

    index = min(chosen, key=lambda i: (tier(i), chosen.index(i)))
    c = candidates[index]
    end = _clean_cut(c) or _first_comma(c) or c.end
    text = texts[c.item][c.start:end].rstrip(" .;:,")
    return _cited(c, c.start, c.start + len(text), text, index, candidates, vectors, texts, options)


def _cited(c: Candidate, start: int, end: int, text: str, index: int, candidates, vectors, texts, options) -> Sentence:
    wanted = _normal(text)
    sources = sorted(n for n, body in texts.items() if wanted in _normal(body))
    sims = vectors @ vectors[index]
    support = sorted(
        {candidates[j].item for j in np.flatnonzero(sims >= options.support_similarity)} - set(sources)
    )
    return Sentence(text=text, item=c.item, start=start, end=end, sources=sources, support=support)


def _clean_cut(c: Candidate) -> int | None:
    """Where a headline can end: before ", which/where/amid/...ing" once it has enough words to
    stand alone, or at the end of a short sentence; None when there is no such place."""
    tokens = c.tokens
    if tokens and tokens[0][1] == "IN":
        return None  # "Since the new push in ...": a fronted clause does not name the event
    for k in range(5, len(tokens) - 1):
        text, _, offset = tokens[k]
        nxt, tag, _ = tokens[k + 1]
        if text == "," and (nxt.lower() in _CLAUSE_STARTERS or tag == "VBG"):
            return offset
    return c.end if len(tokens) <= _HEADLINE_MAX_WORDS else None


def _first_comma(c: Candidate) -> int | None:
    """Long and no clause boundary: the first comma after the subject and verb."""
    return next((offset for text, _, offset in c.tokens[6:] if text == ","), None)


def _normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().casefold()
