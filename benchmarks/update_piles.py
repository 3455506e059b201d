"""A second summary evaluation: Multi-News clusters re-cut into piles of dated updates.

    python benchmarks/update_piles.py [--limit N] [--seed 16] [--show INDEX]

Multi-News gives whole articles and a human summary of them. A user's pile looks different:
short dated updates and search snippets from several outlets, in no particular order, some
cut off mid-sentence, some syndicated twice, with a line of page furniture among them. This
module rebuilds each of the 250 clusters of ../shared/data/multinews-sample as such a pile,
keeping the cluster's human summary as the reference (the facts of the pile are the facts of
the articles the human summarised, so the reference stays honest):

- every document (the upstream distractors included) becomes a stream of updates: its first
  `SENTENCES_PER_DOCUMENT` sentences (NLTK Punkt, not newsdesk's splitter) cut into runs of 1
  to 3 consecutive sentences; each stream starts at its own time within two days and its
  updates follow one to six hours apart, so a stream's first update is its lead;
- an update is cut off mid-sentence with " ..." as search snippets are, with probability
  `TRUNCATED` (only updates of two or more sentences, so no update is left empty);
- an update is repeated with probability `DUPLICATED`, a few hours later: verbatim
  (syndication) or with a wire-style "UPDATE: " in front;
- one or two English boilerplate blocks from ../shared/data/boilerplate (consent, newsletter,
  navigation, share bars) are added as items;
- the items are shuffled.

Everything is drawn from `random.Random(f"{seed}:{cluster index}")`, so a pile depends only on
the seed and its cluster: the same pile comes back for a --limit run, and the data are read in
place. Halves follow the cluster index (even / odd) as for Multi-News; newsdesk was tuned on
the even Multi-News clusters only, never on these piles, so both halves are held out.

benchmarks/summaries.py --eval piles scores systems on them (budget: the reference's length).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOILERPLATE = ROOT.parent / "shared" / "data" / "boilerplate" / "boilerplate.jsonl"
SEED = 16
SENTENCES_PER_DOCUMENT = 15
TRUNCATED = 0.15
DUPLICATED = 0.15
START = datetime(2016, 3, 1, 6, 0, tzinfo=UTC)  # an arbitrary day: only the order matters


def sentences(document: str) -> list[str]:
    """The document's sentences (NLTK Punkt over its paragraphs, see summaries.punkt_setup), in order."""
    import nltk

    out = []
    for paragraph in re.split(r"\n\s*\n", document):
        paragraph = re.sub(r"\s+", " ", paragraph).strip()
        if paragraph:
            out += nltk.sent_tokenize(paragraph)
    return out


def junk_lines(path: Path = BOILERPLATE) -> list[str]:
    """The English boilerplate blocks, in file order."""
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["text"] for r in rows if r.get("lang") == "en"]


def pile(cluster: dict, junk: list[str], seed: int = SEED) -> dict:
    """{"index", "summary", "items": [{"text", "published", "kind", "document"}]} for one
    Multi-News cluster ({"index", "documents", "summary"}); kind is update, duplicate or junk,
    document the source document's number (None for junk)."""
    rng = random.Random(f"{seed}:{cluster['index']}")
    items = []
    for d, document in enumerate(cluster["documents"]):
        when = START + timedelta(minutes=rng.randrange(0, 48 * 60))
        sents = sentences(document)[:SENTENCES_PER_DOCUMENT]
        k = 0
        while k < len(sents):
            size = rng.randint(1, 3)
            run, k = sents[k:k + size], k + size
            text = " ".join(run)
            if len(run) >= 2 and rng.random() < TRUNCATED:
                text = _cut(text, len(run[0]), rng)
            items.append({"text": text, "published": when, "kind": "update", "document": d})
            if rng.random() < DUPLICATED:
                copy = text if rng.random() < 0.5 else "UPDATE: " + text
                later = when + timedelta(minutes=rng.randrange(30, 6 * 60))
                items.append({"text": copy, "published": later, "kind": "duplicate", "document": d})
            when += timedelta(minutes=rng.randrange(60, 6 * 60))
    for line in rng.sample(junk, rng.randint(1, 2)):
        when = START + timedelta(minutes=rng.randrange(0, 72 * 60))
        items.append({"text": line, "published": when, "kind": "junk", "document": None})
    rng.shuffle(items)
    return {"index": cluster["index"], "summary": cluster["summary"], "items": items}


def _cut(text: str, first: int, rng: random.Random) -> str:
    """The text cut at a word boundary after its first sentence, mid-way through the rest, with
    " ..." as a search result shows it."""
    at = text.rfind(" ", 0, first + 1 + int((len(text) - first) * rng.uniform(0.3, 0.8)))
    return text[:max(at, first)].rstrip() + " ..."


def build(clusters: list[dict], seed: int = SEED, junk_path: Path = BOILERPLATE) -> list[dict]:
    junk = junk_lines(junk_path)
    return [pile(c, junk, seed) for c in clusters]


def main(argv=None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from summaries import DATA, load, punkt_setup

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--show", type=int, default=None, help="print the pile of this cluster index")
    args = ap.parse_args(argv)
    for path in (DATA, BOILERPLATE):
        if not path.exists():
            print(f"data not found: {path}", file=sys.stderr)
            return 2
    punkt_setup()
    piles = build(load()[: args.limit], args.seed)
    if args.show is not None:
        for it in sorted(next(p for p in piles if p["index"] == args.show)["items"], key=lambda i: i["published"]):
            print(f"{it['published']:%Y-%m-%d %H:%M} [{it['kind']}] {it['text']}")
        return 0
    n = [len(p["items"]) for p in piles]
    words = [sum(len(i["text"].split()) for i in p["items"]) for p in piles]
    kinds = {k: sum(i["kind"] == k for p in piles for i in p["items"]) for k in ("update", "duplicate", "junk")}
    print(f"{len(piles)} piles, items per pile {min(n)}-{max(n)} (mean {sum(n) / len(n):.1f}), "
          f"words per pile mean {sum(words) / len(words):.0f}; {kinds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
