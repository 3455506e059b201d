"""Sort a pile of news into stories, and each story into angles.

Three depths of duplicates come first, so that copies never reach the clustering:
exact (same normalised text) and near (MinHash, :mod:`newsdesk.dedup`), then semantic
(paraphrases: embedding cosine >= `Options.semantic_duplicate_similarity`). Each group has one
canonical item, its smallest item number, and counts as one independent origin.

Story clustering (batch) is average-linkage agglomerative clustering of the canonical items on
a *context* similarity built from a *blended* one::

    sim(a, b) = (1 - w) * cos(embedding a, embedding b) + w * cos(tfidf a, tfidf b)

with `w = Options.story_lexical_weight` and word TF-IDF (sublinear, English stop words out)
fitted on the batch. Titles of one story share rare words (names, places) that sentence
embeddings blur, and the embeddings join paraphrases that share no word. A headline is only a
few words, so two headlines of one story often share neither words nor much meaning ("jordan
lynch legit heisman candidate", "niu rout bronco"), while their nearest neighbours in the batch
do. :func:`context_similarity` therefore spreads each item over its `Options.story_neighbours`
most similar items, three times (the similarity of the features after
`f <- f + mean of the neighbours' f weighted by their similarity`, renormalised), and mixes that with
the blended similarity (`Options.story_neighbour_weight`). On even googlenews-sttm lines the
spread similarity ranks same-story pairs much better than the blended one (average precision
0.70 -> 0.86), and the mix lifts B-cubed F1 from 0.85 to 0.87 (UCI headlines: 0.81 -> 0.83).
Two groups merge while their average context similarity is at least
`Options.story_batch_similarity`; the number of stories is never given. Items are sorted by
stable id before clustering, so the result does not depend on the order of the batch.
Measured in `benchmarks/clustering.py`. In a pile embedded by the multilingual model, whose
cosines between unrelated articles of one language run high, spreading joins neighbourhoods of
different events; each story is then split by average linkage on its members' own blended
similarity at `Options.story_member_similarity` (:func:`split_by_members`; measured on
SemEval-2022 piles in `benchmarks/multilingual.py --stories`). English piles are not split.

Incremental clustering (:class:`StoryTracker`, used by the store) takes items in chunks, in
time order: the batch path groups each chunk, and each group joins the open story (begun before
the chunk) whose average blended similarity to the group's items is highest, when that is at
least `story_similarity` (in a multilingual pile, at least `story_member_similarity`, unless
MiniLM compares every item of the group; for the embedding part, the mean of cosines to a story's
items is the dot product with the story's mean vector, so this is exact; the lexical part uses
the document frequencies seen so far), or starts one. In a window at least ENGLISH_SHARE English
on the multilingual model, an English item scores a story's English members by MiniLM (through
their sum of MiniLM vectors) and its other members by the multilingual model, as
:func:`similarity` scores pairs (UCI, every fifth headline and one German one, in four ingests:
B-cubed F1 of the tracker 0.667 -> 0.758, as in the English store). Stories with no new item for
`Options.story_quiet_days` close. The tracker still groups worse than the batch path (B-cubed
F1 0.78 against 0.87 on even googlenews-sttm lines, shuffled, in chunks of 1,024), so the
store regroups its open stories with :func:`batch_labels` when an ingest ends (up to MAX_BATCH
items; see :meth:`newsdesk.store.Store._regroup`).


(The module is not called stories.py so that it cannot shadow the function newsdesk.stories.)"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np

from .embed import get_embedder, pile_embedder
from .fastimport import import_scipy_sparse
from .model import Angle, Grouping, Item, Story
from .options import Options
from .prepare import ledger, merge_paraphrases, prepare, readable
from .timing import Span, item_spans

MAX_BATCH = 12_000
"""Canonical items clustered at once with dense similarity matrices (576 MB each at this size,
at most two alive at once, the input parked on disk meanwhile: measured 1.29 GB above the
process's own for 12,000 news items, 1.84 GB before it was parked); larger piles are grouped
by the tracker (:class:`StoryTracker`, in stable-id order) and then clustered again in blocks
of at most MAX_BATCH items (:func:`window_labels`)."""
TRACKER_CHUNK = 1_024
"""Items given to :meth:`StoryTracker.add_many` at once by the batch path beyond MAX_BATCH (the
store gives its own chunks): the tracker groups each chunk with the batch path first, and
larger chunks group better (googlenews-sttm: B-cubed F1 0.78 in chunks of 1,024, 0.69 of 256)."""
CLUSTER_CHARS = 1_000
"""Characters of title + text that represent an item for clustering."""
VECTOR_CHARS = 400
"""Characters of the clustering text that MiniLM embeds (cut after a word; the word part of the
similarity reads all CLUSTER_CHARS). Chosen on the even Multi-News clusters (benchmarks/clustering.py's
mn and mnp sets, batch path with `multilingual` off; whole text, 600, 400, 300, 200 characters;
README, "Long texts"): B-cubed F1 of their paragraphs 0.444 whole and at 400 (0.439 at 300), of
their whole articles, over-merged when read whole (precision 0.40), 0.478 -> 0.576; odd clusters,
run once: paragraphs 0.433 -> 0.432, articles 0.491 -> 0.571. Workload 1 of
benchmarks/throughput.py keeps 95% of its MiniLM tokens (its model time follows its tokens).
Headlines are never that long. The multilingual model reads all of it: its languages' backgrounds
(data/multilingual_baselines.tsv) were measured on whole clustering texts. Its first 400 characters
alone (2.5 times fewer tokens; backgrounds re-measured at that cut) were tried and rejected on the
SemEval-2022 piles (benchmarks/multilingual.py --stories, tune/hold): two languages, apart
0.822/0.808 -> 0.733/0.808 and together 0.930/1.000 -> 0.953/0.944; one language as good."""
_BLOCK = 2048
_WORD = re.compile(r"(?u)\b\w\w+\b")


def _stop_words(every_language: bool = False) -> frozenset[str]:
    """English stop words (and reporting words); with `every_language`, those of the languages
    spaCy knows too (its word lists need no model)."""
    from .stopwords import ENGLISH_STOP_WORDS

    words = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "new", "update", "updated"}
    return words | _other_stop_words() if every_language else words


@functools.cache
def _other_stop_words() -> frozenset[str]:
    import importlib

    from .errors import NewsdeskError
    from .nlp import import_spacy

    try:
        import_spacy()  # spacy.lang.* imports spaCy itself: imported the way that keeps torch out
    except NewsdeskError:  # spaCy not installed: no other languages' stop words
        return frozenset()
    words: set[str] = set()
    for lang in STOP_WORD_LANGUAGES:
        try:
            words |= importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
        except ImportError:
            continue
    return frozenset(w for w in (w.lower() for w in words) if _WORD.fullmatch(w))  # as the TF-IDF tokenises


STOP_WORD_LANGUAGES = ("de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "ar", "zh", "ja")
MINILM_BACKGROUND = 0.085
"""MiniLM's mean cosine between two different English articles (SemEval-2022 Task 8, tune half
0.085, hold 0.090): where a language's background lands once Pile.offsets are taken away."""
CROSS_LANGUAGE_BONUS = 0.19
"""Added (on MiniLM's scale) to the similarity of two texts in a pair of languages whose background
was not measured (Pile.cross_offsets): for the same closeness of content, the multilingual model
scores two texts in different languages about 0.04 lower (0.19 on MiniLM's scale) than two texts of
one language (SemEval-2022 pairs, tune half; benchmarks/multilingual.py)."""


def cluster_text(item: Item) -> str:
    """What represents an item for clustering: its title and the start of its text, junk lines out."""
    text = readable(item).text
    text = text if not item.title or text.startswith(item.title) else f"{item.title}. {text}"
    return text[:CLUSTER_CHARS]


def vector_text(text: str, embedder: str, chars: int | None = None) -> str:
    """The part of a clustering text that `embedder` embeds: its first `chars` (VECTOR_CHARS)
    characters, cut after the last whole word (mid-word when the first half holds no space), for
    every embedder but the multilingual one, which reads all of it."""
    chars = VECTOR_CHARS if chars is None else chars
    if embedder == "multilingual" or len(text) <= chars:
        return text
    cut = text.rfind(" ", 0, chars + 1)
    return text[:cut if cut > chars // 2 else chars]


# ---------------------------------------------------------------- similarity and clustering


def tfidf(texts: Sequence[str], every_language: bool = False):
    """Row-normalised word TF-IDF (sparse, float32), fitted on `texts`: exactly what
    scikit-learn's TfidfVectorizer(sublinear_tf=True, token_pattern=_WORD.pattern, stop_words=...,
    dtype=np.float32).fit_transform(texts) gives, the same arrays bit for bit (the lexical part of
    every similarity, so the same stories), without importing scikit-learn: that import was a
    seventh of the store's own CPU on an ingest of 2,600 items (issue 20).
    tests/test_stories.py compares the two."""
    stop = _stop_words(every_language)
    vocabulary: dict[str, int] = {}  # numbered in order of first appearance, as scikit-learn counts
    indices: list[int] = []
    counts: list[int] = []
    indptr = [0]
    for text in texts:
        row: dict[int, int] = {}
        for word in _WORD.findall(text.lower()):
            if word not in stop:
                column = vocabulary.setdefault(word, len(vocabulary))
                row[column] = row.get(column, 0) + 1
        for column in sorted(row):
            indices.append(column)
            counts.append(row[column])
        indptr.append(len(indices))
    sparse = import_scipy_sparse()
    if not vocabulary:  # no words at all
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    # columns renumbered in the words' sorted order; each row keeps its order of first appearance
    rank = np.empty(len(vocabulary), dtype=np.int32)
    rank[[vocabulary[word] for word in sorted(vocabulary)]] = np.arange(len(vocabulary), dtype=np.int32)
    columns = rank[np.asarray(indices, dtype=np.int32)]
    starts = np.asarray(indptr, dtype=np.int32)
    # float32 throughout, in scikit-learn's order of operations (smooth idf, log1p of the counts)
    idf = np.full(len(vocabulary), len(texts) + 1, dtype=np.float32)
    idf /= np.bincount(columns, minlength=len(vocabulary)).astype(np.float32) + np.float32(1.0)
    np.log(idf, out=idf)
    idf += np.float32(1.0)
    data = np.asarray(counts, dtype=np.float32)
    np.log(data, out=data)
    data += np.float32(1.0)
    data *= idf[columns]
    return sparse.csr_matrix((_l2_rows(data, starts), columns, starts), shape=(len(texts), len(vocabulary)))


def _l2_rows(data, starts):
    """Each row of CSR values divided by its l2 norm, rounded as scikit-learn's normalize does
    (float32 squares summed one by one in double precision, in the row's order; a double
    division): a vectorised sum would add in another order."""
    lengths = np.diff(starts)
    squares = (data * data).astype(np.float64)
    sums = np.zeros(len(lengths))
    for k in range(int(lengths.max(initial=0))):
        rows = np.flatnonzero(lengths > k)
        sums[rows] += squares[starts[rows] + k]
    norms = np.sqrt(sums)
    norms[norms == 0.0] = 1.0  # an empty row stays as it is
    return (data.astype(np.float64) / np.repeat(norms, lengths)).astype(np.float32)


def similarity(texts: Sequence[str], vectors: np.ndarray, lexical_weight: float,
               pile: Pile | None = None) -> np.ndarray:
    """Dense blended similarity matrix (float32) of the texts. For a pile in several languages
    (embedded by the multilingual model) the embedding cosines are put on MiniLM's scale, where
    every threshold was tuned; the word part leaves out the stop words of every language; and
    two texts in different languages, which share few words whatever they report, are scored by
    their embeddings alone, less the two languages' background (Pile.cross_offsets)."""
    scale = pile.scale if pile else None
    words = tfidf(texts, every_language=scale is not None)
    out = (vectors @ vectors.T).astype(np.float32, copy=False)
    if pile is not None and scale is not None:
        out *= scale[1]
        out += scale[0]
        if pile.offsets.any():
            for start in range(0, len(out), _BLOCK):
                out[start:start + _BLOCK] -= pile.baseline(slice(start, start + _BLOCK))
    if pile is not None and pile.english is not None:
        _score_english_pairs(out, pile)
    out *= 1.0 - lexical_weight
    by_column = words.T.tocsr()
    for start in range(0, len(out), _BLOCK):  # block by block: no n x n matrix besides the result
        lexical = (words[start:start + _BLOCK] @ by_column).toarray()
        lexical *= lexical_weight
        out[start:start + _BLOCK] += lexical
    if pile is not None and len(set(pile.languages)) > 1:
        _score_across_languages(out, vectors, pile)
    return out


@dataclass(frozen=True, eq=False)
class Pile:
    """What the similarity of a pile's items depends on besides their texts and vectors: their
    languages, the scale of the embedder (None: MiniLM's own) and, in a pile on the multilingual
    model, the English items' MiniLM vectors (`english`)."""

    languages: tuple[str, ...]
    scale: tuple[float, float] | None = None
    english: np.ndarray | None = None
    """MiniLM vectors of the English items, a row of zeros for every other item (None: not
    used). Two English items are compared by MiniLM, on whose scale every threshold was tuned:
    the multilingual model groups English text far worse (B-cubed of Multi-News paragraphs
    0.176 against MiniLM's 0.444), so a pile that holds one foreign item among English ones
    would otherwise lose its English stories."""

    def subset(self, positions: Sequence[int]) -> Pile:
        """The pile of the items at `positions`, in that order."""
        english = None if self.english is None else self.english[list(positions)]
        return Pile(tuple(self.languages[p] for p in positions), self.scale, english)

    @functools.cached_property
    def english_rows(self) -> np.ndarray:
        """Which items have a MiniLM vector (bool; all False when `english` is None)."""
        if self.english is None:
            return np.zeros(len(self.languages), dtype=bool)
        return np.asarray(self.english.any(axis=1))

    @functools.cached_property
    def offsets(self) -> np.ndarray:
        """Each item's language background on MiniLM's scale, less MiniLM's own (zeros for an
        embedder without a scale): the multilingual model puts two unrelated articles of one
        language at a cosine of 0.82 (English, German) to 0.86 (Chinese)
        (data/multilingual_baselines.tsv), which MiniLM's scale reads as related and which would
        pull every article of such a pile into one story."""
        if self.scale is None:
            return np.zeros(len(self.languages), dtype=np.float32)
        from .embed import language_baselines

        base = language_baselines()
        unknown = float(np.mean([v for k, v in base.items() if k != "en"]))
        a, b = self.scale
        return np.array([a + b * base.get(lang, unknown) - MINILM_BACKGROUND for lang in self.languages],
                        dtype=np.float32)

    @functools.cached_property
    def codes(self) -> np.ndarray:
        """Each item's language as a number (0.. in alphabetical order of the languages)."""
        return np.unique(np.array(self.languages), return_inverse=True)[1].reshape(-1)

    @functools.cached_property
    def cross_offsets(self) -> np.ndarray:
        """Language x language (numbered as `codes`): what is taken from the scaled cosine of two
        items in different languages so that unrelated ones land at MINILM_BACKGROUND. The model
        puts two unrelated articles in two languages at a cosine of about 0.77 to 0.80
        (data/multilingual_cross_baselines.tsv), below either language's own background, and by
        how much depends on the languages (Chinese and English: 0.066 below the mean of their
        backgrounds, German and English: 0.038). A pair of languages not measured is put at the
        mean of the two backgrounds less CROSS_LANGUAGE_BONUS (on MiniLM's scale)."""
        from .embed import cross_language_baselines

        names = sorted(set(self.languages))
        a, b = self.scale or (0.0, 1.0)
        measured = cross_language_baselines() if self.scale is not None else {}
        by_name = dict(zip(self.languages, self.offsets.tolist()))
        out = np.zeros((len(names), len(names)), dtype=np.float32)
        for i, first in enumerate(names):
            for j, second in enumerate(names):
                key = (min(first, second), max(first, second))
                out[i, j] = a + b * measured[key] - MINILM_BACKGROUND if key in measured else \
                    (by_name[first] + by_name[second]) / 2 - CROSS_LANGUAGE_BONUS
        return out

    def baseline(self, rows: slice) -> np.ndarray:
        """The pairs' baseline (rows x all items): the mean of the two items' offsets."""
        offsets = self.offsets
        return (offsets[rows, None] + offsets[None, :]) / 2

    @classmethod
    def of(cls, items: Sequence[Item], embedder: str, english: np.ndarray | None = None) -> Pile:
        from .embed import TO_MINILM_SCALE

        return cls(tuple(it.language or "en" for it in items), TO_MINILM_SCALE.get(embedder), english)


ENGLISH_SHARE = 0.9
"""Pile.english is used in a pile of which at least this share is in English: English news with
a few items in other languages. In a pile of two languages in about equal parts (the SemEval-2022
pairings with English), English pairs on MiniLM's scale beside the other pairs on the multilingual
model's joined 3 more of 57 held-out different-event pairs across languages (0.789 -> 0.737 kept
apart; tune: together 0.919 -> 0.946, apart 0.812 either way), so such a pile stays on the
multilingual model alone."""


def mostly_english(english: int, total: int, share: float = ENGLISH_SHARE) -> bool:
    """Whether `english` items of `total` are enough (`share`) for two English items to be
    compared by MiniLM (Pile.english)."""
    return english > 0 and english >= share * total


def compares_english_by_minilm(english: int, total: int, embedder: str, options: Options,
                                share: float = ENGLISH_SHARE) -> bool:
    """Whether a pile of `total` items, `english` of them in English, that `embedder` embeds
    compares its English pairs by MiniLM (Pile.english): it is on the multilingual model in place
    of the MiniLM one that `options` ask for, and mostly English."""
    return embedder == "multilingual" and options.embedder.startswith("minilm") and mostly_english(english, total, share)


def english_matrix(vectors: Sequence) -> np.ndarray | None:
    """Pile.english from one MiniLM vector per item, or None (or an empty one) for an item without:
    a row of zeros for those. None when no item has one."""
    rows = [None if v is None or len(v) == 0 else np.asarray(v, dtype=np.float32) for v in vectors]
    present = [r for r in rows if r is not None]
    if not present:
        return None
    out = np.zeros((len(rows), len(present[0])), dtype=np.float32)
    for i, row in enumerate(rows):
        if row is not None:
            out[i] = row
    return out


def english_vectors(languages: Sequence[str | None], texts: Sequence[str], embedder: str,
                    options: Options, share: float = ENGLISH_SHARE) -> np.ndarray | None:
    """Pile.english of a pile that `embedder`, the multilingual model, embeds in place of the
    MiniLM one that `options` ask for: the MiniLM vectors of its English texts, zeros for the
    others. None when the pile is on one model or less than `share` of it is in English."""
    english = [i for i, language in enumerate(languages) if language in (None, "en")]
    if not compares_english_by_minilm(len(english), len(texts), embedder, options, share):
        return None
    found = get_embedder(options.embedder).encode([vector_text(texts[i], options.embedder) for i in english])
    out = np.zeros((len(texts), found.shape[1]), dtype=np.float32)
    out[english] = found
    return out


def _score_english_pairs(out: np.ndarray, pile: Pile) -> None:
    """Pairs of two English items with MiniLM vectors (Pile.english): MiniLM's cosine."""
    english, rows_english = pile.english, pile.english_rows
    assert english is not None
    for start in range(0, len(out), _BLOCK):
        rows = slice(start, start + _BLOCK)
        both = rows_english[rows, None] & rows_english[None, :]
        if both.any():
            block = out[rows]
            block[both] = (english[rows] @ english.T)[both]


def _score_across_languages(out: np.ndarray, vectors: np.ndarray, pile: Pile) -> None:
    """Pairs in two languages: their embedding cosine on MiniLM's scale, less the two languages'
    background (Pile.cross_offsets)."""
    a, b = pile.scale or (0.0, 1.0)
    codes = pile.codes
    for start in range(0, len(out), _BLOCK):
        rows = slice(start, start + _BLOCK)
        cross = codes[rows, None] != codes[None, :]
        if cross.any():
            block = out[rows]
            background = pile.cross_offsets[codes[rows, None], codes[None, :]]
            block[cross] = (a + b * (vectors[rows] @ vectors.T) - background)[cross]


CONTEXT_HOPS = 3
"""Rounds of spreading in :func:`context_similarity` (2 and 4 score about the same)."""


class Parked:
    """A float32 matrix set aside while other work needs the memory: in a temporary file when it
    is big (PARK_BYTES or more, unless `to_disk` says otherwise; read back whole or by rows),
    else simply kept."""

    def __init__(self, matrix: np.ndarray, to_disk: bool | None = None):
        self.shape = matrix.shape
        self._matrix: np.ndarray | None = matrix
        self._file = None
        if matrix.nbytes >= PARK_BYTES if to_disk is None else to_disk:
            import tempfile

            self._file = tempfile.TemporaryFile()
            np.ascontiguousarray(matrix, dtype=np.float32).tofile(self._file)
            self._matrix = None

    def rows(self, start: int, stop: int) -> np.ndarray:
        if self._matrix is not None:
            return self._matrix[start:stop]
        assert self._file is not None
        width = self.shape[1]
        stop = min(stop, self.shape[0])
        self._file.seek(start * width * 4)
        return np.fromfile(self._file, dtype=np.float32, count=(stop - start) * width).reshape(-1, width)

    def load(self) -> np.ndarray:
        """The whole matrix (for a parked one, a fresh copy in memory)."""
        return self.rows(0, self.shape[0])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


PARK_BYTES = 64 << 20
"""Matrices of this size or more are parked on disk while the clustering works (n of about 4,100
and more): the regroup of 12,000 items then holds two n x n matrices at a time instead of three."""


def context_similarity(sim: np.ndarray | Parked, neighbours: int, weight: float,
                       hops: int = CONTEXT_HOPS) -> np.ndarray:
    """`sim` mixed with its neighbour-spread version (a new matrix; `sim` is left as it is). A
    parked `sim` is read back only while the first round needs it, so at most two n x n matrices
    are alive at a time.

    The spread version is the cosine of item features `f` after `hops` rounds of
    `f <- f + sum_j a_ij f_j`, where a_ij are the similarities to the item's `neighbours` most
    similar items divided by `neighbours`. Only `sim` (the features' Gram matrix) is needed:
    with M = I + A one round is M sim M^T, then rescaled to a unit diagonal."""
    parked = sim if isinstance(sim, Parked) else Parked(sim, to_disk=False)
    n = parked.shape[0]
    k = min(neighbours, n - 1)
    if k < 1 or weight <= 0:
        return parked.load().copy()
    spread = _neighbour_operator(parked, k, neighbours)
    out = parked.load() if hops else parked.load().copy()  # each hop makes a new matrix; `sim` is never scaled in place
    for _ in range(hops):
        half = spread @ out  # M S
        del out  # at most three n x n matrices alive: sim (unless parked), M S and the next
        _transpose(half)  # (M S)^T in C order (scipy would copy a transposed view)
        out = spread @ half  # M (M S)^T = M S M^T, S symmetric
        del half
        scale = 1.0 / np.sqrt(np.maximum(np.diagonal(out), 1e-12))
        out *= scale[:, None]
        out *= scale[None, :]
    out *= weight
    for start in range(0, n, _BLOCK):  # out += (1 - weight) * sim, without a temporary matrix
        out[start:start + _BLOCK] += (1.0 - weight) * parked.rows(start, start + _BLOCK)
    return out.astype(np.float32, copy=False)


def _transpose(square: np.ndarray) -> None:
    """Transpose a square matrix in place, block by block."""
    n = len(square)
    for i in range(0, n, _BLOCK):
        rows = slice(i, i + _BLOCK)
        square[rows, rows] = square[rows, rows].T.copy()
        for j in range(i + _BLOCK, n, _BLOCK):
            cols = slice(j, j + _BLOCK)
            upper = square[rows, cols].copy()
            square[rows, cols] = square[cols, rows].T
            square[cols, rows] = upper.T


def _neighbour_operator(sim: Parked, k: int, divisor: int):
    """Sparse I + A: A holds each row's k largest off-diagonal similarities (at least 0) divided
    by `divisor` (rows are read in blocks, so memory stays near one matrix). Not normalised per
    row: an item whose nearest items are not similar keeps its own features (in a batch of two
    unrelated items, each would otherwise become the other)."""
    import scipy.sparse as sp

    n = sim.shape[0]
    columns = np.empty((n, k), dtype=np.int64)
    weights = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, _BLOCK):
        block = sim.rows(start, start + _BLOCK).copy()
        rows = np.arange(len(block))
        block[rows, start + rows] = -np.inf  # not its own neighbour
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        columns[start:start + len(block)] = top
        weights[start:start + len(block)] = np.maximum(np.take_along_axis(block, top, axis=1), 0.0)
    weights /= divisor
    a = sp.csr_matrix((weights.ravel(), (np.repeat(np.arange(n), k), columns.ravel())), shape=(n, n))
    return (sp.identity(n, dtype=np.float32, format="csr") + a).tocsr()


def cluster(sim: np.ndarray, threshold: float) -> list[int]:
    """Average-linkage groups of a similarity matrix: labels 0.. numbered by first member."""
    return linkage_groups(condensed_distance(sim), len(sim), threshold)


def linkage_groups(distance: np.ndarray, n: int, threshold: float) -> list[int]:
    """Average-linkage groups of n items from their condensed_distance (groups merge while
    their average similarity is at least `threshold`)."""
    if n < 2:
        return [0] * n
    from scipy.cluster.hierarchy import fcluster, linkage

    raw = fcluster(linkage(distance, "average"), 1.0 - threshold + 1e-9, "distance")
    first: dict[int, int] = {}
    return [first.setdefault(int(label), len(first)) for label in raw]


def condensed_distance(sim: np.ndarray) -> np.ndarray:
    """1 - sim over the upper triangle (the condensed form scipy's linkage takes), in float64,
    clipped at 0, written row by row (no temporary n x n matrix). Symmetric by construction up to
    float rounding: the upper triangle is read."""
    n = len(sim)
    out = np.empty(n * (n - 1) // 2, dtype=np.float64)
    at = 0
    for i in range(n - 1):
        out[at:at + n - 1 - i] = 1.0 - sim[i, i + 1:]  # in float32, as the similarities
        at += n - 1 - i
    np.clip(out, 0.0, None, out=out)
    return out


def batch_labels(texts: Sequence[str], vectors: np.ndarray, options: Options,
                 spans: Sequence[Span] | None = None, pile: Pile | None = None) -> tuple[list[int], np.ndarray]:
    """Story labels of canonical items (in the order given; sort them by id for a result that
    does not depend on input order) and their blended similarity matrix. With `spans` (when
    each item happened, newsdesk.timing), items more than `story_window_days` apart are never
    neighbours and never in one story. `pile`: the items' languages and the embedder's scale."""
    sim = similarity(texts, vectors, options.story_lexical_weight, pile)
    apart = _far_apart(spans, options.story_window_days) if spans is not None else None
    if apart is not None:
        apart(sim, 0.0)  # not each other's neighbours either
    parked = Parked(sim)  # on disk while the context and the linkage need the memory
    del sim
    try:
        context = context_similarity(parked, options.story_neighbours, options.story_neighbour_weight)
        if apart is not None:
            apart(context, -1.0)  # distance 2: average linkage keeps their groups apart
        distance = condensed_distance(context)
        del context  # linkage copies the distances: keep two n x n matrices alive, not three
        labels = linkage_groups(distance, parked.shape[0], options.story_batch_similarity)
        del distance
        sim = parked.load()
    finally:
        parked.close()
    if pile is not None and pile.scale is not None and options.story_member_similarity is not None:
        labels = split_by_members(labels, sim, options.story_member_similarity, pile.english_rows)
    return labels, sim


def window_labels(texts: Sequence[str], vectors: np.ndarray, options: Options, spans: Sequence[Span],
                  pile: Pile, groups: Sequence, limit: int | None = None) -> tuple[list[int], list[int]]:
    """Story labels (0..) of a pile of any size and the position of each label's centre item.

    A pile of at most `limit` (MAX_BATCH) items is one batch (:func:`batch_labels`). A larger
    one is cut into blocks of at most `limit` items that keep each of its current `groups` (the
    tracker's stories) whole and put groups with similar mean vectors together; each block is
    one batch. A story then meets every item the tracker put near it, at the memory and time of
    blocks rather than of the whole pile."""
    members: dict = defaultdict(list)
    for position, g in enumerate(groups):
        members[g].append(position)
    limit = limit or MAX_BATCH
    labels = [0] * len(texts)
    centres: list[int] = []
    for block in _blocks(list(members.values()), vectors, limit):
        if len(block) > limit:  # one group too big for a batch: it stays as it is
            inside = [0] * len(block)
            heads = [block[int(np.argmax(vectors[block] @ vectors[block].mean(axis=0)))]]
        else:
            inside, heads = _block_labels(block, texts, vectors, options, spans, pile)
        for position, label in zip(block, inside):
            labels[position] = len(centres) + label
        centres += heads
    return labels, centres


def _block_labels(block: list[int], texts, vectors, options, spans, pile) -> tuple[list[int], list[int]]:
    """Labels (0..) of the positions in `block` clustered as one batch, and each label's centre."""
    local, sim = batch_labels([texts[p] for p in block], vectors[block], options, [spans[p] for p in block],
                              pile.subset(block))
    inside: dict[int, list[int]] = defaultdict(list)
    for k, label in enumerate(local):
        inside[label].append(k)
    heads = [block[ks[centre(sim[np.ix_(ks, ks)])]] for _, ks in sorted(inside.items())]
    return local, heads


def _blocks(groups: list[list[int]], vectors: np.ndarray, limit: int) -> list[list[int]]:
    """Positions cut into blocks of at most `limit` (a group larger than that is a block of its
    own), each group whole: halved again and again by 2-means on the groups' mean vectors
    (weighted by size), so that similar groups stay together."""
    if sum(len(g) for g in groups) <= limit or len(groups) == 1:
        return [sorted(p for g in groups for p in g)]
    from sklearn.cluster import KMeans

    means = np.stack([vectors[g].mean(axis=0) for g in groups])
    halves = KMeans(2, n_init=3, random_state=0).fit_predict(means, sample_weight=[len(g) for g in groups])
    if halves.min() == halves.max():  # no two sides: halve by order
        halves = np.arange(len(groups)) >= len(groups) // 2
    return [block for side in (0, 1) for block in _blocks([g for g, h in zip(groups, halves) if h == side],
                                                         vectors, limit)]


def split_by_members(labels: Sequence[int], sim: np.ndarray, threshold: float,
                     english: np.ndarray | None = None) -> list[int]:
    """Each group of `labels` split by average linkage on its members' own (blended) similarity
    at `threshold`; labels numbered 0.. by first member again. Neighbour spreading joins items
    through what surrounds them; the multilingual model puts unrelated articles of one language
    close, so their neighbourhoods overlap and whole piles collapse into a few stories. The parts
    that hold items compared by MiniLM (`english`: Pile.english_rows) stay one part: MiniLM
    holds those together, as it does in an English pile that is never split."""
    members: dict[int, list[int]] = defaultdict(list)
    for position, label in enumerate(labels):
        members[label].append(position)
    out = list(labels)
    fresh = max(labels, default=-1) + 1
    for positions in members.values():
        if len(positions) < 2:
            continue
        parts = cluster(sim[np.ix_(positions, positions)], threshold)
        if english is not None:
            parts = _join_english_parts(parts, english[positions])
        if max(parts) == 0:  # one group: it stays as it is
            continue
        for position, part in zip(positions, parts):
            if part:
                out[position] = fresh + part - 1
        fresh += max(parts)
    first: dict[int, int] = {}
    return [first.setdefault(label, len(first)) for label in out]


def _join_english_parts(parts: list[int], english: np.ndarray) -> list[int]:
    """`parts` with every part that holds an English item (`english`, one flag per member) merged
    into the first of them."""
    with_english = {part for part, flag in zip(parts, english) if flag}
    if len(with_english) < 2:
        return parts
    first = min(with_english)
    return [first if part in with_english else part for part in parts]


def _far_apart(spans: Sequence[Span], window_days: float):
    """A function that sets, in place, the pairs of an n x n matrix whose items happened more than
    `window_days` apart to a value; None when every pair is within the window."""
    first = np.array([s.first.timestamp() for s in spans])
    last = np.array([s.last.timestamp() for s in spans])
    window = window_days * 86400.0
    if not len(spans) or last.max() - first.min() <= window:
        return None

    def apply(matrix: np.ndarray, value: float) -> None:
        for start in range(0, len(spans), _BLOCK):
            rows = slice(start, start + _BLOCK)
            gap = np.maximum(first[None, :] - last[rows, None], first[rows, None] - last[None, :])
            matrix[rows][gap > window] = value

    return apply


def centre(sim: np.ndarray) -> int:
    """The position of the item most similar to the others (its title labels the story)."""
    return int(np.argmax(sim.sum(axis=1))) if len(sim) > 1 else 0


# ---------------------------------------------------------------- the batch path


def stories(items: Iterable[Item | str], options: Options | None = None) -> list[Story]:
    """Group items into stories (biggest first). Strings are items numbered from 1."""
    return group(items, options).stories


def group(items: Iterable[Item | str], options: Options | None = None) -> Grouping:
    """Stories and the ledger: every item that is not dropped, duplicates included, is in
    exactly one story; duplicates are "merged" into their canonical item in the ledger (a
    translation of another item is a "translation" of it)."""
    options = options or Options()
    prepared = prepare(items, options)
    canonical = sorted(prepared.canonical, key=lambda it: (it.id, it.n))
    if not canonical:
        return Grouping([], ledger(prepared), prepared.items)
    spans = item_spans(prepared.items, datetime.now(timezone.utc))
    embedder = pile_embedder((it.language for it in canonical), options)
    texts = [cluster_text(it) for it in canonical]
    vectors = get_embedder(embedder).encode([vector_text(t, embedder) for t in texts])
    pile = Pile.of(canonical, embedder, english_vectors([it.language for it in canonical], texts, embedder, options))
    prepared, keep = merge_paraphrases(prepared, canonical, vectors, options.semantic_duplicate_similarity, pile)
    canonical = [canonical[i] for i in keep]
    texts = [texts[i] for i in keep]
    vectors = vectors[keep]
    pile = pile.subset(keep)

    if len(canonical) <= MAX_BATCH:
        labels, sim = batch_labels(texts, vectors, options, [spans[it.id] for it in canonical], pile)
    else:
        sim = None
        tracker = StoryTracker(options, quiet_days=None, scale=pile.scale)
        labels = []
        for at in range(0, len(texts), TRACKER_CHUNK):
            end = at + TRACKER_CHUNK
            labels += tracker.add_many(texts[at:end], vectors[at:end], [None] * len(texts[at:end]),
                                       pile.languages[at:end], None if pile.english is None else pile.english[at:end])
        labels = window_labels(texts, vectors, options, [spans[it.id] for it in canonical], pile, labels)[0]

    members: dict[int, list[int]] = defaultdict(list)  # label -> positions in canonical
    for position, label in enumerate(labels):
        members[label].append(position)
    copies: dict[int, list[Item]] = defaultdict(list)  # canonical n -> its duplicates
    by_number = {it.n: it for it in prepared.items}
    for n, root in prepared.duplicate_of.items():
        copies[root].append(by_number[n])

    found = []
    for positions in members.values():
        heads = [canonical[p] for p in positions]
        everything = sorted(heads + [c for h in heads for c in copies[h.n]], key=lambda it: it.n)
        local = sim[np.ix_(positions, positions)] if sim is not None else similarity(
            [texts[p] for p in positions], vectors[positions], options.story_lexical_weight,
            pile.subset(positions))
        found.append(_story(heads, everything, [texts[p] for p in positions], local, copies, options))
    found.sort(key=lambda s: (-len(s.items), s.items[0]))
    return Grouping(found, ledger(prepared), prepared.items)


def _story(heads: list[Item], everything: list[Item], texts: list[str], sim: np.ndarray,
           copies: dict[int, list[Item]], options: Options) -> Story:
    times = [it.published for it in everything if it.published is not None]
    outlets = {it.source for it in everything if it.source}
    unnamed = {h.n for h in heads if not any(x.source for x in [h, *copies[h.n]])}
    angles = _angles(heads, texts, sim, copies, options)
    return Story(
        id=story_id(min(h.id for h in heads)),
        label=_label(_label_item(heads, sim)),
        items=[it.n for it in everything],
        angles=angles,
        first_seen=min(times) if times else None,
        last_seen=max(times) if times else None,
        sources=len(outlets) + len(unnamed),
        origins=len(heads),
        item_ids=[it.id for it in everything],
        languages=language_counts(it.language for it in everything),
    )


def _label_item(heads: list[Item], sim: np.ndarray) -> Item:
    """The item whose title labels a story: the centre of its items in the language most of them
    are in, when one language has most (an English story with one German report keeps an
    English label); else the centre of them all."""
    languages = [h.language or "en" for h in heads]
    (most, count), *others = Counter(languages).most_common(2)
    inside = [k for k, language in enumerate(languages) if language == most or (others and others[0][1] == count)]
    return heads[inside[centre(sim[np.ix_(inside, inside)])]]


def language_counts(languages: Iterable[str | None]) -> dict[str, int]:
    """Items per language, most first (None is English: the reader sets no language for it)."""
    return dict(Counter(lang or "en" for lang in languages).most_common())


def story_id(seed_item_id: str) -> str:
    """Stable story id from the id of its founding item (smallest id in batch mode)."""
    return "s" + hashlib.sha1(seed_item_id.encode("utf-8")).hexdigest()[:11]


def _label(item: Item, words: int = 14) -> str:
    text = (item.title or item.text).strip()
    if len(text.split()) <= words:
        return text
    end = re.search(r"(?<=[.!?])\s", text)
    text = text[:end.start()] if end and end.start() > 20 else text
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _angles(heads, texts, sim, copies, options) -> list[Angle]:
    def expand(positions):
        return sorted(n for p in positions for n in [heads[p].n, *(c.n for c in copies[heads[p].n])])

    if len(heads) < 4:
        return [Angle(_distinctive(texts, range(len(heads)), range(len(heads))), expand(range(len(heads))))]
    labels = cluster(sim, options.angle_similarity)
    groups: dict[int, list[int]] = defaultdict(list)
    for p, label in enumerate(labels):
        groups[label].append(p)
    big = [g for g in groups.values() if len(g) >= 2]
    if len(big) < 2:
        big = [list(range(len(heads)))]
    else:  # single items join the angle they are closest to on average
        for g in groups.values():
            if len(g) == 1:
                p = g[0]
                best = max(range(len(big)), key=lambda k: (float(sim[p, big[k]].mean()), -k))
                big[best].append(p)
    everyone = range(len(heads))
    angles = [Angle(_distinctive(texts, sorted(g), everyone), expand(g)) for g in big]
    return sorted(angles, key=lambda a: (-len(a.items), a.items[0]))


def _distinctive(texts: list[str], inside, everyone, top: int = 3) -> str:
    """The words most over-represented in `inside` compared with `everyone` (ties by word)."""
    stop = _stop_words()

    def counts(positions):
        c = Counter()
        for p in positions:
            c.update({w for w in _WORD.findall(texts[p].lower()) if w not in stop and not w.isdigit()})
        return c

    inside = list(inside)
    mine, all_ = counts(inside), counts(everyone)
    total = len(list(everyone))
    score = {w: c / len(inside) - (all_[w] - c) / max(1, total - len(inside)) + 0.01 * c for w, c in mine.items()}
    words = sorted(score, key=lambda w: (-score[w], w))[:top]
    return ", ".join(words) if words else "(no words)"


# ---------------------------------------------------------------- the incremental path


class StoryTracker:
    """Incremental clustering: items arrive in time order, in chunks; the items of a chunk that
    the batch path groups together join the open story (of those begun before the chunk) with
    the highest average blended similarity to them (when at least `story_similarity`) or start
    one. Stories quiet for `quiet_days` close. State is compact: per story the sum of
    embedding rows, the sum of TF rows (word -> weight) and the last time seen.

    The embedding part of every item against every story is one matrix product at the start of
    the chunk, corrected exactly for the items the chunk adds; the lexical part is computed for
    the `CANDIDATES` open stories nearest by embedding only (a story outside them would need a
    lexical score far above its embedding score to win)."""

    CANDIDATES = 64

    def __init__(self, options: Options | None = None, quiet_days: float | None = -1.0,
                 scale: tuple[float, float] | None = None):
        self.options = options or Options()
        self.scale = scale  # the embedder's cosines onto MiniLM's scale (Pile.scale), where the thresholds were tuned
        self.quiet = timedelta(days=self.options.story_quiet_days if quiet_days == -1.0 else quiet_days) \
            if quiet_days is not None else None
        self.df: Counter = Counter()
        self.docs = 0
        self.sums: list[np.ndarray] = []
        self.words: list[Counter] = []
        self.sizes: list[int] = []
        self.last: list[datetime | None] = []
        self.open: list[bool] = []
        # In a pile on the multilingual model, per story: the MiniLM sum of its English members
        # that have a MiniLM vector (Pile.english; None: none has), the sum of those members'
        # own (multilingual) vectors, and how many they are.
        self.english_sums: list[np.ndarray | None] = []
        self.english_own: list[np.ndarray | None] = []
        self.english_sizes: list[int] = []
        self.stop = _stop_words()
        self.dirty_words: set[str] = set()  # words whose document frequency changed (the store saves them)
        self.closed_now: list[int] = []  # stories closed since the caller last cleared this
        self._n = -1  # stories mirrored in the arrays below (-1: not built)

    def tf(self, text: str) -> dict[str, float]:
        """The text's TF-IDF row (unit length) under the document frequencies seen so far."""
        counts = Counter(w for w in _WORD.findall(text.lower()) if w not in self.stop)
        weights = {w: (1.0 + math.log(c)) * (math.log((1 + self.docs) / (1 + self.df[w])) + 1.0)
                   for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {w: v / norm for w, v in weights.items()}

    # The lists above are the state (the store reads and writes them); these arrays mirror them.
    def _sync(self, dim: int) -> None:
        if self._n == len(self.sums):
            return
        n = len(self.sums)
        cap = max(1024, 2 * n)
        self._M = np.zeros((cap, dim), dtype=np.float32)
        if n:
            self._M[:n] = np.stack(self.sums)
        self._size = np.zeros(cap, dtype=np.float32)
        self._size[:n] = self.sizes
        self._open = np.zeros(cap, dtype=bool)
        self._open[:n] = self.open
        self._last = np.full(cap, np.nan)
        self._last[:n] = [t.timestamp() if t is not None else np.nan for t in self.last]
        self._n = n

    def _grow(self) -> int:
        k = self._n
        if k == len(self._M):
            for name in ("_M", "_size", "_open", "_last"):
                old = getattr(self, name)
                new = np.zeros((2 * len(old),) + old.shape[1:], dtype=old.dtype)
                if name == "_last":
                    new[:] = np.nan
                new[:len(old)] = old
                setattr(self, name, new)
        self._n += 1
        self._open[k] = True
        self.sums.append(np.zeros(self._M.shape[1], dtype=np.float32))
        self.words.append(Counter())
        self.sizes.append(0)
        self.last.append(None)
        self.open.append(True)
        self.pad_english()
        return k

    def pad_english(self) -> None:
        """The English state as long as `sums`: stories appended to the lists without it (as the
        store reads them back) have no English member until :meth:`add_english` says so."""
        missing = len(self.sums) - len(self.english_sizes)
        if missing > 0:
            self.english_sums += [None] * missing
            self.english_own += [None] * missing
            self.english_sizes += [0] * missing

    def compares_english(self, english: np.ndarray | None) -> bool:
        """Whether this chunk (its MiniLM vectors `english`, Pile.english) compares two English
        items by MiniLM: the open stories' members and the chunk's items are mostly English with a
        MiniLM vector (mostly_english, the rule of the batch path and the store's regroup)."""
        if english is None or self.scale is None:
            return False
        self.pad_english()
        live = [k for k, is_open in enumerate(self.open) if is_open]
        return mostly_english(sum(self.english_sizes[k] for k in live) + int(english.any(axis=1).sum()),
                              sum(self.sizes[k] for k in live) + len(english))

    def compact(self) -> list[int]:
        """Forget the closed stories (a closed story never takes an item again), so that a chunk
        costs in proportion to the open stories, not to every story tracked: the numbers, in
        order, of the stories kept, numbered 0.. from now on. The caller saves the closed
        stories first (`closed_now` is cleared)."""
        keep = [k for k, is_open in enumerate(self.open) if is_open]
        if len(keep) < len(self.open):
            self.pad_english()
            for name in ("sums", "words", "sizes", "last", "open", "english_sums", "english_own", "english_sizes"):
                old = getattr(self, name)
                setattr(self, name, [old[k] for k in keep])
            self._n = -1  # the arrays are built again from the lists
        self.closed_now.clear()
        return keep

    def close_quiet(self, now: datetime | None) -> list[int]:
        """Close open stories whose last item is older than the quiet period; their numbers."""
        if now is None or self.quiet is None or not self.sums:
            return []
        self._sync(len(self.sums[0]))
        n = self._n
        with np.errstate(invalid="ignore"):
            quiet = self._open[:n] & (now.timestamp() - self._last[:n] > self.quiet.total_seconds())
        closed = [int(k) for k in np.flatnonzero(quiet)]
        for k in closed:
            self._open[k] = False
            self.open[k] = False
        self.closed_now += closed
        return closed

    def add(self, text: str, vector: np.ndarray, when: datetime | None) -> int:
        """The story number (0..) that the item joins or starts."""
        return self.add_many([text], np.asarray(vector, dtype=np.float32)[None, :], [when])[0]

    def add_many(self, texts: Sequence[str], vectors: np.ndarray, whens: Sequence[datetime | None],
                 languages: Sequence[str | None] | None = None, english: np.ndarray | None = None) -> list[int]:
        """Add a chunk of items in the order given. Items that the batch path groups together
        within the chunk (:func:`batch_labels`) join one story: the first of them to arrive picks
        it by the group's average score (all of them against each story), and the others follow
        while that story is open. Judged one at a time, two headlines of one story often miss
        each other; as a group they carry each other (googlenews-sttm in chunks of 1,024, shuffled:
        B-cubed F1 0.78 instead of 0.70). `languages`: the items' (None: all English); `english`:
        their MiniLM vectors in a pile on the multilingual model (Pile.english), by which two
        English items are compared when the window is mostly English (:meth:`compares_english`)."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if not len(texts):
            return []
        self._sync(vectors.shape[1])
        if hasattr(self.df, "prefetch"):  # the store's counts, read from its table: all in a few queries
            self.df.prefetch(set().union(*(_WORD.findall(text.lower()) for text in texts)) - self.stop)
        points = [Span(w, w) for w in whens if w is not None] if all(w is not None for w in whens) else None
        compared = english if self.compares_english(english) else None
        pile = Pile(tuple(lang or "en" for lang in languages or ["en"] * len(texts)), self.scale, compared)
        groups = batch_labels(texts, vectors, self.options, points, pile)[0]
        members: dict[int, list[int]] = defaultdict(list)
        for i, g in enumerate(groups):
            members[g].append(i)
        start = self._n
        base, pairs = self._story_scores(vectors, pile, start), self._pair_scores(vectors, pile)
        has_english = np.asarray(english.any(axis=1)) if english is not None else np.zeros(len(texts), dtype=bool)
        out: list[int] = []
        chosen: dict[int, int] = {}  # group -> its story
        touched: set[int] = set()
        for i, (text, vector, when) in enumerate(zip(texts, vectors, whens)):
            self.close_quiet(when)
            for word in set(_WORD.findall(text.lower())) - self.stop:
                self.df[word] += 1
                self.dirty_words.add(word)
            self.docs += 1
            best = chosen.get(groups[i], -1)
            if best < 0 or not self._open[best]:
                coming = [j for j in members[groups[i]] if j >= i]
                bar = self.options.story_similarity if pile.english_rows[coming].all() else self._bar()
                best = self._best_story(coming, [texts[j] for j in coming], base, pairs, start, out, bar)
                chosen[groups[i]] = best = best if best >= 0 else self._grow()
            self._M[best] += vector
            self._size[best] += 1
            self.sizes[best] += 1
            if has_english[i]:
                assert english is not None
                self.add_english(best, english[i], vector)
            self.words[best].update(self.tf(text))
            last = self.last[best]
            if when is not None and (last is None or when > last):
                self.last[best] = when
                self._last[best] = when.timestamp()
            touched.add(best)
            out.append(best)
        for k in touched:
            self.sums[k] = self._M[k].copy()
        return out

    def add_english(self, k: int, minilm: np.ndarray, own: np.ndarray) -> None:
        """Count an English member of story k: its MiniLM vector and its own (the embedder's)."""
        held, held_own = self.english_sums[k], self.english_own[k]
        self.english_sums[k] = minilm.astype(np.float32) if held is None else held + minilm
        self.english_own[k] = own.astype(np.float32) if held_own is None else held_own + own
        self.english_sizes[k] += 1

    def _story_scores(self, vectors: np.ndarray, pile: Pile, n: int) -> np.ndarray:
        """(stories 0..n-1, items): the sum over each story's members of the pair scores with each
        item, on MiniLM's scale, less the item's language background: the scaled cosine for a pair
        of the multilingual model, MiniLM's cosine for two English items with MiniLM vectors when
        `pile.english` is given (a story's English members are then one sum of MiniLM vectors,
        the others the rest of its sum)."""
        a, b = self.scale or (0.0, 1.0)
        sizes = self._size[:n, None]
        out = b * (self._M[:n] @ vectors.T) + sizes * (a - pile.offsets[None, :])
        rows = pile.english_rows
        if pile.english is not None and rows.any() and n:
            self.pad_english()
            dims = (pile.english.shape[1], vectors.shape[1])
            minilm = np.stack([z if z is not None else np.zeros(dims[0], np.float32) for z in self.english_sums[:n]])
            own = np.stack([z if z is not None else np.zeros(dims[1], np.float32) for z in self.english_own[:n]])
            others = sizes - np.array(self.english_sizes[:n], dtype=np.float32)[:, None]
            out[:, rows] = minilm @ pile.english[rows].T + b * ((self._M[:n] - own) @ vectors[rows].T) \
                + others * (a - pile.offsets[None, rows])
        return out

    def _pair_scores(self, vectors: np.ndarray, pile: Pile) -> np.ndarray:
        """(items, items): the chunk's pair scores as in :meth:`_story_scores`, the row's background
        taken away (the row is the item being placed, the column an item placed before it)."""
        a, b = self.scale or (0.0, 1.0)
        out = a + b * (vectors @ vectors.T) - pile.offsets[:, None]
        if pile.english is not None:
            _score_english_pairs(out, pile)
        return out

    def _bar(self) -> float:
        """The average score at or above which items join an open story: `story_similarity`, and
        for a multilingual pile (a scale) at least `story_member_similarity`, the bar the batch
        path holds a story's members to (:func:`split_by_members`)."""
        bar, members = self.options.story_similarity, self.options.story_member_similarity
        return max(bar, members) if self.scale is not None and members is not None else bar

    def _best_story(self, positions: list[int], texts: list[str], base: np.ndarray, pairs: np.ndarray,
                    start: int, out: list[int], bar: float) -> int:
        """The open story with the highest average score against the chunk's items at `positions`
        (at least `bar`), or -1. The embedding part of an item against a story is the sum of its
        pair scores with the story's members (`base` for stories as the chunk began, corrected
        with `pairs` for the chunk's items added since, numbered by `out`) over the story's size;
        the lexical part is linear too, so the group's average TF row stands for its items."""
        n = start  # stories begun in this chunk are other groups: the batch path kept them apart
        if not n:
            return -1
        dense = base[:, positions].mean(axis=1)
        if out:
            chunk = np.zeros(self._n, dtype=np.float32)
            np.add.at(chunk, out, pairs[positions, :len(out)].mean(axis=0))
            dense += chunk[:n]
        sizes = self._size[:n]
        live = np.flatnonzero(self._open[:n] & (sizes > 0))
        if not len(live):
            return -1
        scores = dense[live] / sizes[live]
        if len(live) > self.CANDIDATES:
            top = np.argpartition(-scores, self.CANDIDATES - 1)[:self.CANDIDATES]
            live, scores = live[top], scores[top]
        tf: Counter = Counter()
        for text in texts:
            tf.update(self.tf(text))
        w = self.options.story_lexical_weight
        best, best_sim = -1, bar
        order = np.argsort(live, kind="stable")
        position = {t: i for i, t in enumerate(tf)}
        for k, d in zip(live[order].tolist(), scores[order].tolist()):
            words = self.words[k]
            # The words both hold, in tf's order: the others would add 0.0 each, which leaves
            # the sum as it is, bit for bit (and a story shares few words with most chunks).
            shared = sorted(tf.keys() & words.keys(), key=position.__getitem__)
            lexical = sum(tf[t] * words[t] for t in shared) / len(texts) / self.sizes[k]
            score = (1 - w) * d + w * lexical
            if score >= best_sim + (1e-12 if best >= 0 else 0.0):
                best, best_sim = k, score
        return best
