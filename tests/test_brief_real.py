"""Briefs of real items from ../shared/data, not only the seed: grounded, cited, nothing lost."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

import newsdesk
from newsdesk.model import Item

from .conftest import DATA, check_brief, need, normal


def _check_grounded(brief, texts: dict[int, str], options=None) -> None:
    """Every sentence occurs in each of its sources; every claim and figure points at its text;
    the JSON follows the schema and `newsdesk verify` holds."""
    check_brief(brief, texts, options)
    lines = {n: normal(t) for n, t in texts.items()}
    for s in brief.sentences + ([brief.headline] if brief.headline else []):
        assert s.sources
        assert all(normal(s.text) in lines[n] for n in s.sources), s
    for c in brief.claims:
        text = texts[c.item]
        # content is the text of its fragments, joined with a space when discontinuous
        assert c.content == " ".join(text[s:e] for s, e in c.content_span)
        assert all(c.start <= s < e <= c.end for s, e in c.content_span + (c.source_span or []))
    for q in brief.figures:
        assert texts[q.item][q.start : q.end] == q.text


def _uci_story(size: int = 40) -> list[Item]:
    with need(DATA / "uci-news" / "uci-news-aggregator-999.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    biggest = Counter(r["STORY"] for r in rows).most_common(1)[0][0]
    story = [r for r in rows if r["STORY"] == biggest][:size]
    return [Item(n=k, text=r["TITLE"], url=r["URL"], source=r["PUBLISHER"]) for k, r in enumerate(story, start=1)]


def test_uci_headlines_of_one_story():
    items = _uci_story()
    brief = newsdesk.brief(items)
    _check_grounded(brief, {it.n: it.text for it in items})
    assert brief.headline and brief.sentences
    assert len(brief.items) == len(items)  # the ledger accounts for every headline
    # syndicated headlines collapse: the sentences cite several outlets between them
    assert max(len(s.sources) + len(s.support) for s in brief.sentences) >= 3


def test_ag_news_items():
    path = need(DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv")
    with path.open(encoding="utf-8") as f:
        rows = [r for _, r in zip(range(60), csv.reader(f))]
    items = [Item(n=k, text=f"{title}. {body}" if not title.endswith(".") else f"{title} {body}")
             for k, (_, title, body) in enumerate(rows, start=1)]
    brief = newsdesk.brief(items)
    _check_grounded(brief, {it.n: it.text for it in items})
    assert brief.claims, "AG News items quote people: some claims must be found"
    assert all(e.status in {"used", "merged", "dropped"} for e in brief.items)
    dropped = [e for e in brief.items if e.status == "dropped"]
    assert len(dropped) <= 2, dropped  # real news is almost never junk


def test_polnear_article_sentences():
    folder = need(DATA / "polnear" / "data" / "dev" / "text")
    article = sorted(folder.iterdir())[0].read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in article.split("\n") if len(p.split()) > 8][:25]
    brief = newsdesk.brief(paragraphs)
    _check_grounded(brief, dict(enumerate(paragraphs, start=1)))
    assert len(brief.claims) >= 3
    assert {c.cue for c in brief.claims} & {"said", "says", "told", "according to"}


@pytest.mark.parametrize("embedder", ["hashing"])
def test_model_free_embedder_gives_a_grounded_brief(embedder, kursk_lines):
    brief = newsdesk.brief(kursk_lines, embedder=embedder)
    _check_grounded(brief, dict(enumerate(kursk_lines, start=1)), newsdesk.Options(embedder=embedder))
    assert brief.items[10].status == "dropped"


def _multinews_cluster(index: int = 0) -> list[str]:
    import ast

    path = need(DATA / "multinews-sample" / "multinews-250-test-sample.csv")
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as f:
        row = next(r for k, r in enumerate(csv.DictReader(f)) if k == index)
    return [d for d in ast.literal_eval(row["documents"]) if d.strip()]


def test_long_articles_parsed_only_where_the_summary_is():
    """extract="summary" parses the summary's sentences of long articles, the rest blanked:
    every offset still points into the whole article, and the brief verifies."""
    docs = _multinews_cluster(0)
    brief = newsdesk.brief(docs, extract="summary", words=200)
    texts = dict(enumerate(docs, start=1))
    _check_grounded(brief, texts)
    spans = [(s.item, s.start, s.end) for s in brief.sentences]
    for record in brief.claims + brief.figures:
        # inside a summary sentence (which may be stated without its attribution: overlap)
        assert any(n == record.item and s < record.end and record.start < e for n, s, e in spans), record
    for m in brief.entities:
        assert all(any(n == i for n, _, _ in spans) for i in m.items)
