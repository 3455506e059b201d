"""Attribution quality gate on PolNeAR dev (benchmarks/attribution.py): overlap F1 floors per
span type, and newsdesk above the plain spaCy dependency baseline on each."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .conftest import DATA, need

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

# Measured on all 84 dev articles (newsdesk 0.704 / 0.678 / 0.611); floors a little below.
FLOORS = {"source": 0.68, "cue": 0.65, "content": 0.59}


@pytest.fixture(scope="module")
def results():
    pytest.importorskip("spacy")
    need(DATA / "polnear" / "data" / "dev")
    import attribution

    articles = attribution.load_articles("dev")
    docs = attribution.parse_articles(articles, "dev")
    return {name: attribution.evaluate(articles, docs, attribution.SYSTEMS[name])
            for name in ("newsdesk", "spacy-dep")}


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_overlap_f1_floor(results, kind):
    f1 = results["newsdesk"][kind]["overlap"][2]
    assert f1 >= FLOORS[kind], f"{kind} overlap F1 {f1:.3f} fell below {FLOORS[kind]}"


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_above_the_dependency_baseline(results, kind):
    assert results["newsdesk"][kind]["overlap"][2] > results["spacy-dep"][kind]["overlap"][2]


def test_matching_rules():
    import attribution

    text = "“We will win,” Smith said, “soon.”"
    gold = [[(1, 12)]]
    # Exact after trimming punctuation and quote marks; overlap needs half of the larger span.
    assert attribution.match(text, [[(0, 14)]], gold) == (1, 1)
    assert attribution.match(text, [[(1, 8)]], gold) == (0, 1)
    assert attribution.match(text, [[(1, 3)]], gold) == (0, 0)
    # One-to-one: two predictions cannot both match one gold span.
    assert attribution.match(text, [[(1, 12)], [(1, 12)]], gold) == (1, 1)
