"""The learned claim filter (newsdesk.extract.claim_filter): its features, and that a claim it
doubts leaves the ledger while the others stay."""

from __future__ import annotations

import pytest

from newsdesk.extract import claim_filter
from newsdesk.extract.claims import featured_claims, find_claims


@pytest.fixture(scope="module")
def nlp():
    pytest.importorskip("spacy")
    from newsdesk.nlp import load_spacy

    return load_spacy()


TEXT = ('The ministry said on Monday that the talks would resume. "We are ready," Smith told reporters. '
        "Analysts expect prices to rise.")


def test_features_describe_the_claim(nlp):
    doc = nlp(TEXT)
    featured = featured_claims(doc, 1)
    said = next(f for c, f in featured if c.cue == "said")
    assert {"kind=speech", "cue=say", "cue_rate=<=1.0", "speaker_determiner", "content_finite", "dated",
            "order=source_first", "first_line"} <= set(said)
    assert any(name.startswith("path=") and name != "path=neither" for name in said)
    told = next(f for c, f in featured if c.cue == "told")
    assert "content_quoted" in told and "order=content_first" in told


def test_a_doubted_claim_goes_and_the_others_stay(nlp):
    doc = nlp(TEXT)
    every = find_claims(doc, 1, filtered=False)
    assert {c.cue for c in every} >= {"said", "told"}
    # A model that doubts only the claims cued by "tell": those go, the rest are kept as found.
    model = {"weights": {"cue=tell": -10.0}, "bias": 3.0, "threshold": 0.5}
    kept = claim_filter.kept(doc, doc.text, every, model=model)
    assert [c for c in every if c.cue != "told"] == kept


def test_the_shipped_filter_only_removes(nlp):
    model = claim_filter.load()
    if model is None:
        pytest.skip("no claim filter installed")
    assert 0.0 < model["threshold"] < 1.0 and model["weights"]
    doc = nlp(TEXT)
    filtered = find_claims(doc, 1)
    assert all(c in find_claims(doc, 1, filtered=False) for c in filtered)
    assert "said" in {c.cue for c in filtered}  # a plain named "said" with a clause is what the ledger is for
