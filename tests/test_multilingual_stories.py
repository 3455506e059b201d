"""Stories of the SemEval-2022 Task 8 pairs (benchmarks/multilingual.py --stories): each
pairing's articles as one pile, as `newsdesk stories` makes them ([multilingual_stories] floors,
both halves). A file of its own, the longest test of the suite (about 9 minutes on CI): `make test`
runs it first, in parallel with tests/test_multilingual_quality.py on the same pairs."""

from __future__ import annotations

import pytest

from .conftest import gate, need
from .test_multilingual_quality import _bench

pytestmark = pytest.mark.long


@pytest.fixture(scope="module")
def pairs():
    """The SemEval pairs, read and their mojibake repaired (a few seconds)."""
    bench = _bench()
    return bench.load_pairs(need(bench.PAIRS))


@pytest.mark.slow
def test_stories_of_piles_in_one_and_two_languages(pairs):
    """What `newsdesk stories` does with each pairing's articles as one pile (the multilingual
    model, each story split where its members' own similarity is below
    `story_member_similarity`): same-event pairs share a story, different-event pairs stay
    apart, in one language and across two, both halves ([multilingual_stories] floors)."""
    bench = _bench()
    got = bench.story_shares(bench.story_figures(pairs))
    assert len(got) == 8  # together / apart, mono / cross, tune / hold
    gate("multilingual_stories", got)
