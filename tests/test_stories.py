"""newsdesk.stories and `newsdesk stories`: every item in exactly one story, order-free."""

from __future__ import annotations

import csv
import json
import random
from dataclasses import replace
from datetime import datetime, timezone

import numpy as np
import pytest

from newsdesk import cluster, stories
from newsdesk.cluster import Pile, batch_labels, context_similarity, split_by_members
from newsdesk.embed import TO_MINILM_SCALE, get_embedder
from newsdesk.model import Item
from newsdesk.options import Options
from newsdesk.timing import Span

from .conftest import DATA, ROOT, need, run_cli


def _uci(limit_every: int = 10) -> list[str]:
    with need(DATA / "uci-news" / "uci-news-aggregator-999.csv").open(encoding="utf-8", newline="") as f:
        return [r["TITLE"] for r in csv.DictReader(f)][::limit_every]


def test_order_of_the_batch_does_not_matter():
    texts = _uci()
    items = [Item(n=n, text=t, id=f"i{n:04d}") for n, t in enumerate(texts, 1)]
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    def key(found):
        return sorted((s.id, tuple(s.items), tuple((a.label, tuple(a.items)) for a in s.angles)) for s in found)

    assert key(stories(items)) == key(stories(shuffled))


def test_context_similarity_joins_items_through_shared_neighbours():
    # 0 and 1 share no similarity of their own, but both are close to 2 and 3; 4 and 5 are
    # close only to each other.
    sim = np.eye(6, dtype=np.float32)
    for a, b, value in [(0, 2, 0.6), (0, 3, 0.5), (1, 2, 0.5), (1, 3, 0.6), (2, 3, 0.4), (4, 5, 0.7)]:
        sim[a, b] = sim[b, a] = value
    before = sim.copy()
    context = context_similarity(sim, neighbours=2, weight=0.4)
    assert np.array_equal(sim, before)  # the input is left as it is
    assert np.allclose(context, context.T, atol=1e-6)
    assert np.allclose(np.diagonal(context), 1.0, atol=1e-6)
    assert context[0, 1] > 0.3 > context[0, 4] + 0.2
    assert np.array_equal(context_similarity(sim, neighbours=2, weight=0.0), sim)


def test_a_matrix_parked_on_disk_clusters_exactly_as_one_kept_in_memory(monkeypatch):
    # Big piles park their similarity matrix in a temporary file while the context and the
    # linkage need the memory; forced here on a small pile, nothing may change.
    texts = _uci(limit_every=3)
    vectors = get_embedder("hashing").encode(texts)
    kept_labels, kept_sim = batch_labels(texts, vectors, Options())
    monkeypatch.setattr(cluster, "PARK_BYTES", 0)
    parked_labels, parked_sim = batch_labels(texts, vectors, Options())
    assert len(set(kept_labels)) > 10
    assert parked_labels == kept_labels
    assert np.array_equal(parked_sim, kept_sim)
    parked = cluster.Parked(kept_sim)
    assert np.array_equal(parked.rows(5, 9), kept_sim[5:9]) and parked._matrix is None
    parked.close()


def test_the_word_part_of_the_similarity_is_the_cosine_of_tf_idf_rows():
    texts = _uci(limit_every=20)
    vectors = get_embedder("hashing").encode(texts)
    words = cluster.tfidf(texts)
    expected = 0.7 * (vectors @ vectors.T) + 0.3 * (words @ words.T).toarray()
    assert np.allclose(cluster.similarity(texts, vectors, 0.3), expected, atol=1e-5)


@pytest.mark.parametrize("every_language", [False, True])
def test_tf_idf_is_scikit_learns_bit_for_bit(every_language):
    """cluster.tfidf stands in for TfidfVectorizer (not imported, to spare an ingest its import):
    the same arrays, to the bit, so the same similarities and stories."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = _uci(limit_every=5) + ["", "the and", "Straße ÄÖÜ straße", "Київ — столиця України", "x y"]
    for part in (texts, texts[:1], texts[-5:], ["the and", ""]):
        ours = cluster.tfidf(part, every_language)
        try:
            theirs = TfidfVectorizer(sublinear_tf=True, token_pattern=cluster._WORD.pattern, dtype=np.float32,
                                     stop_words=sorted(cluster._stop_words(every_language))).fit_transform(part)
        except ValueError:  # no words at all: ours is one empty column
            assert ours.shape == (len(part), 1) and ours.nnz == 0
            continue
        assert ours.shape == theirs.shape and ours.nnz > 0
        assert np.array_equal(ours.indptr, theirs.indptr) and np.array_equal(ours.indices, theirs.indices)
        assert ours.data.tobytes() == theirs.data.tobytes()


def test_context_similarity_follows_the_items_when_they_are_reordered():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(40, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    sim = vectors @ vectors.T
    order = rng.permutation(40)
    context = context_similarity(sim, neighbours=5, weight=0.4)
    reordered = context_similarity(np.ascontiguousarray(sim[np.ix_(order, order)]), neighbours=5, weight=0.4)
    assert np.allclose(reordered, context[np.ix_(order, order)], atol=1e-5)


def test_a_story_is_split_where_its_members_own_similarity_is_low():
    # 0-1-2 were joined (through their neighbours, say), but 2 is far from 0 and 1 on its own;
    # 3-4 belong together; 5 is alone.
    sim = np.eye(6, dtype=np.float32)
    for a, b, value in [(0, 1, 0.6), (0, 2, 0.05), (1, 2, 0.1), (3, 4, 0.5)]:
        sim[a, b] = sim[b, a] = value
    assert split_by_members([0, 0, 0, 1, 1, 2], sim, 0.225) == [0, 0, 1, 2, 2, 3]
    assert split_by_members([0, 0, 0, 1, 1, 2], sim, 0.01) == [0, 0, 0, 1, 1, 2]  # all above the bar
    assert split_by_members([0, 0, 0, 1, 1, 2], sim, 0.55) == [0, 0, 1, 2, 3, 4]


def test_only_a_multilingual_pile_is_split_by_its_members_similarity():
    """An English pile (MiniLM: no scale) is grouped as it always was, whatever the bar; a pile
    on the multilingual model's scale is split at it."""
    rng = np.random.default_rng(5)
    centres = rng.normal(size=(2, 16))
    vectors = np.repeat(centres, 3, axis=0) + 0.05 * rng.normal(size=(6, 16))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    texts = ["kursk border fighting region"] * 3 + ["election results vote count"] * 3
    high = replace(Options(), story_member_similarity=0.99)
    english = batch_labels(texts, vectors, Options())[0]
    assert english == [0, 0, 0, 1, 1, 1]
    assert batch_labels(texts, vectors, high)[0] == english
    assert batch_labels(texts, vectors, high, pile=Pile(("en",) * 6))[0] == english
    scaled = Pile(("de",) * 6, scale=(0.0, 1.0))
    assert batch_labels(texts, vectors, replace(Options(), story_member_similarity=None), pile=scaled)[0] == english
    assert len(set(batch_labels(texts, vectors, high, pile=scaled)[0])) == 6


def test_english_items_of_a_pile_on_the_multilingual_model_are_compared_by_minilm():
    """In a pile on the multilingual model's scale with MiniLM vectors for its English items
    (Pile.english), two English items are compared by those: the multilingual vectors below put
    the six English items together, the MiniLM ones keep two English stories; a story of English items
    alone is not split by its members' similarity; and two English items that MiniLM reads as
    paraphrases are one canonical item."""
    from newsdesk.model import Prepared
    from newsdesk.prepare import merge_paraphrases

    rng = np.random.default_rng(3)

    def unit(rows):
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)

    multilingual = unit(rng.normal(size=16)[None, :] + 0.01 * rng.normal(size=(7, 16)))
    multilingual[6] = -multilingual[5]  # the German item is about something else
    english = np.vstack([unit(np.repeat(rng.normal(size=(2, 16)), 3, axis=0) + 0.05 * rng.normal(size=(6, 16))),
                         np.zeros((1, 16), dtype=np.float32)])  # the German item has none
    texts = [f"word{i} token{i}" for i in range(7)]  # no shared words: the embeddings decide
    languages = ("en",) * 6 + ("de",)
    mixed = Pile(languages, scale=(0.0, 1.0), english=english)
    labels = batch_labels(texts, multilingual, Options(), pile=mixed)[0]
    assert labels == [0, 0, 0, 1, 1, 1, 2]
    assert batch_labels(texts, multilingual, Options(), pile=Pile(languages, scale=(0.0, 1.0)))[0] != labels
    high = replace(Options(), story_member_similarity=0.99)
    assert batch_labels(texts, multilingual, high, pile=mixed)[0][:6] == labels[:6]
    assert mixed.subset([3, 6]).languages == ("en", "de") and mixed.subset([3, 6]).english_rows.tolist() == [True, False]

    items = [Item(n=n, text=t, language=lang) for n, (t, lang) in enumerate(zip(texts, languages), 1)]
    prepared = Prepared(items=items, duplicate_of={}, how={})
    twins = np.eye(7, 16, dtype=np.float32)
    twins[1], twins[6] = twins[0], 0.0  # items 1 and 2 are paraphrases; the German item has no vector
    apart = np.eye(7, 16, dtype=np.float32)  # no two items close on the multilingual model
    _, keep = merge_paraphrases(prepared, items, apart, 0.95, Pile(languages, scale=(0.0, 1.0), english=twins))
    assert keep == [0, 2, 3, 4, 5, 6]


def test_the_tracker_compares_english_items_by_minilm_in_a_mostly_english_window():
    """The tracker (the store's incremental path) on the multilingual model's scale: its vectors
    put every English item together, MiniLM's keep two stories. Given the MiniLM vectors
    (Pile.english), the tracker keeps the two stories apart in the first chunk and places each
    later item with its own story, whether the story's members came in this chunk or an earlier
    one; in a window that is not mostly English, the multilingual vectors decide."""
    rng = np.random.default_rng(5)

    def unit(rows):
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)

    topics = rng.normal(size=(2, 16))
    which = [0, 0, 0, 1, 1, 1, 0, 1]  # six items in the first chunk, two in the second
    multilingual = unit(rng.normal(size=16)[None, :] + 0.01 * rng.normal(size=(8, 16)))
    english = unit(topics[which] + 0.05 * rng.normal(size=(8, 16)))
    texts = [f"word{i} token{i}" for i in range(8)]  # no shared words: the embeddings decide

    def run(given, languages=("en",) * 8):
        tracker = cluster.StoryTracker(Options(), quiet_days=None, scale=TO_MINILM_SCALE["multilingual"])
        first = tracker.add_many(texts[:6], multilingual[:6], [None] * 6, languages[:6],
                                 None if given is None else given[:6])
        return first + tracker.add_many(texts[6:], multilingual[6:], [None] * 2, languages[6:],
                                        None if given is None else given[6:])

    assert run(english) == [0, 0, 0, 1, 1, 1, 0, 1]
    assert run(None) == [0] * 8  # the multilingual vectors alone: one story
    # Two German items of ten: not mostly English, MiniLM is left out
    tracker = cluster.StoryTracker(Options(), quiet_days=None, scale=TO_MINILM_SCALE["multilingual"])
    assert tracker.compares_english(english[:9]) and not tracker.compares_english(
        np.vstack([english[:8], np.zeros((2, 16), dtype=np.float32)]))
    assert not cluster.StoryTracker(Options(), quiet_days=None).compares_english(english)  # MiniLM's own pile


def test_the_members_split_keeps_the_parts_that_hold_english_items_together():
    """Four items: two English ones (0, 1) that the split would part, a German one close to 0 and
    a German one close to nothing. Parts holding English items are one again; a German item
    alone is split off."""
    sim = np.eye(4, dtype=np.float32)
    sim[0, 2] = sim[2, 0] = 0.6
    english = np.array([True, True, False, False])
    assert split_by_members([0, 0, 0, 0], sim, 0.3) == [0, 1, 0, 2]
    assert split_by_members([0, 0, 0, 0], sim, 0.3, english) == [0, 0, 0, 1]


def test_an_english_pile_with_one_german_report_is_grouped_as_without_it():
    """The bundled port-strike example is one story; with a German report added (the pile goes to
    the multilingual model) its English items are still one story, labelled in English."""
    lines = (ROOT / "examples" / "port-strike.txt").read_text(encoding="utf-8").splitlines()
    german = "Der Streik in den Häfen Nordeuropas führt zu langen Wartezeiten für Containerschiffe, berichten Reedereien."
    english = stories(lines)
    mixed = stories(lines + [german])
    assert len(english) == 1 and len(mixed) == 1
    assert set(english[0].items) | {len(lines) + 1} == set(mixed[0].items)
    assert mixed[0].languages == {"en": len(english[0].items), "de": 1}
    assert mixed[0].label == english[0].label


def test_duplicates_at_three_depths_point_to_their_canonical(tmp_path):
    lines = ["Fyffes and Chiquita agree to merge, creating the world's biggest banana company",
             "Fyffes and Chiquita agree to merge, creating the world's biggest banana company",  # exact
             "Fyffes and Chiquita agree to merge - creating the world's biggest banana company!",  # exact (normalised)
             "Chiquita and Fyffes agree to merge, creating the world's largest banana company",  # near / paraphrase
             "Titanfall runs at 792p on the Xbox One, developer Respawn confirms"]
    path = tmp_path / "pile.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("stories", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    ledger = {e["n"]: e for e in data["items"]}
    assert [ledger[n]["duplicate_of"] for n in (2, 3, 4)] == [1, 1, 1]
    assert ledger[1]["status"] == "used" and ledger[5]["status"] == "used"
    placed = sorted(n for s in data["stories"] for n in s["items"])
    assert placed == [1, 2, 3, 4, 5]  # duplicates included, each in exactly one story
    banana = next(s for s in data["stories"] if 1 in s["items"])
    assert banana["origins"] == 1 and set(banana["items"]) == {1, 2, 3, 4}
    for s in data["stories"]:
        assert {"id", "label", "items", "angles"} <= set(s)


def test_stories_with_briefs_biggest_first(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_text("\n".join(_uci(25)) + "\n", encoding="utf-8")
    result = run_cli("stories", str(path), "--format", "json", "--briefs")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    sizes = [len(s["items"]) for s in data["stories"]]
    assert sizes == sorted(sizes, reverse=True)
    assert all("brief" in s for s in data["stories"])


def test_a_pile_above_the_batch_limit_is_cut_into_blocks_of_whole_groups():
    rng = np.random.default_rng(5)
    sizes = rng.integers(1, 40, size=60)
    groups = [list(range(start, start + size)) for start, size in zip(np.cumsum(sizes) - sizes, sizes)]
    groups.append(list(range(sizes.sum(), sizes.sum() + 150)))  # one group bigger than a block
    vectors = rng.normal(size=(sizes.sum() + 150, 8)).astype(np.float32)
    blocks = cluster._blocks(groups, vectors, limit=100)
    assert sorted(p for b in blocks for p in b) == list(range(len(vectors)))  # every item once
    assert all(len(b) <= 100 for b in blocks if b != groups[-1])
    block_of = {p: k for k, b in enumerate(blocks) for p in b}
    assert all(len({block_of[p] for p in g}) == 1 for g in groups)  # each group whole
    assert len(blocks) >= sizes.sum() // 100


def test_window_labels_of_a_pile_that_fits_one_batch_are_the_batch_labels():
    texts = _uci(limit_every=5)
    vectors = get_embedder("hashing").encode(texts)
    day = datetime(2026, 1, 1, tzinfo=timezone.utc)
    spans = [Span(day, day)] * len(texts)
    pile = Pile(("en",) * len(texts))
    labels, centres = cluster.window_labels(texts, vectors, Options(), spans, pile, [0] * len(texts))
    assert labels == batch_labels(texts, vectors, Options(), spans, pile)[0]
    assert [labels[c] for c in centres] == list(range(len(centres)))  # each centre inside its story
    blocked, heads = cluster.window_labels(texts, vectors, Options(), spans, pile, labels, limit=60)
    assert [blocked[c] for c in heads] == list(range(len(heads))) and len(set(blocked)) == len(heads)


_LONG = " ".join(f"Report {i} says the river rose by {i} metres near the town of Alder on Tuesday."
                 for i in range(1, 13))  # about 950 characters of distinct sentences


def test_the_vector_reads_the_head_of_a_long_text_and_the_words_all_of_it():
    head = cluster.vector_text(_LONG, "minilm")
    assert len(_LONG) > cluster.VECTOR_CHARS >= len(head) > cluster.VECTOR_CHARS - 40
    assert _LONG.startswith(head) and _LONG[len(head)] == " "  # cut after a whole word
    assert cluster.vector_text(_LONG[:200], "minilm") == _LONG[:200]
    assert cluster.vector_text(_LONG, "multilingual") == _LONG  # its backgrounds were measured on whole texts


def test_the_batch_path_embeds_heads(monkeypatch):
    seen = []
    hashing = get_embedder("hashing")

    class Recording:
        dim = hashing.dim

        def encode(self, texts):
            seen.extend(texts)
            return hashing.encode(texts)

    monkeypatch.setattr(cluster, "get_embedder", lambda name: Recording())
    grouping = cluster.group([Item(n=1, text=_LONG), Item(n=2, text="A short headline about the river at Alder")],
                             Options(embedder="hashing", min_item_words=1))
    assert sorted(n for s in grouping.stories for n in s.items) == [1, 2]
    assert max(len(t) for t in seen) <= cluster.VECTOR_CHARS and any(_LONG.startswith(t) for t in seen)
