"""Story clustering quality against gold stories, newsdesk side by side with peers.

    python benchmarks/clustering.py [--sets gn-even,gn-odd,gn,uci] [--peers agglo,hdbscan,bertopic]
                                    [--no-store] [--max-batch N] [--embedder minilm-int8] [--head-chars N]

Data (read in place): ../shared/data/googlenews-sttm (11,108 lower-cased titles, 152 stories)
and ../shared/data/uci-news/uci-news-aggregator-999.csv (999 headlines, 18 stories).
Anything tuned (newsdesk's `story_batch_similarity`, `story_neighbours`,
`story_neighbour_weight`, `story_lexical_weight`; the agglomerative peer's threshold) was tuned
on the even-numbered googlenews lines (gn-even) only; gn-odd, the whole set and UCI are reported
as well. No method is told the number of stories.

Every line of those two sets is a headline of at most 91 characters, so nothing that only
changes how a long text is represented (`--head-chars`) can move them. Long texts:
../shared/data/multinews-sample (250 clusters of articles on one event each; gold story = the
cluster), split as benchmarks/summaries.py splits it (even clusters: tune, odd: hold): mn-even /
mn-odd hold each whole article (whitespace joined), mnp-even / mnp-odd each paragraph of them
(as in benchmarks/throughput.py's workload 1). Not in the default sets (a paragraph half is 6,000
items). newsdesk's rows keep `multilingual` on (its default): one article of mn-odd reads as Basque
and a few paragraphs of mnp-even as other languages, which puts those piles on the multilingual
model (whole texts, no heads) in the batch row; the README's "Long texts" figures turn it off.
`--head-chars N`: newsdesk (batch path and a new store) embeds the first N characters of each
clustering text (newsdesk.cluster.VECTOR_CHARS, 400 by default; 1000 reads all of it), and the
peers read the same heads; the lexical part reads the whole text (issue 20: less model work).
Without it, the peers read whole texts.

Metrics: B-cubed precision, recall and F1 (per item, averaged), NMI (scikit-learn, arithmetic),
the number of stories found, and wall time. newsdesk's time is end to end (cleaning, three
depths of duplicates, embedding, clustering, angles); the peers run on the same MiniLM
embeddings computed once (their time excludes the embedding, shown on its own row). Items that a
method leaves unclustered (HDBSCAN/BERTopic noise, items newsdesk drops) count as singletons.
newsdesk runs with `min_item_words=1`: googlenews titles are often under the default 4 words.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
GN = DATA / "googlenews-sttm" / "dataset"
UCI = DATA / "uci-news" / "uci-news-aggregator-999.csv"
MULTINEWS = DATA / "multinews-sample" / "multinews-250-test-sample.csv"
STORE_PARTS = 4  # ingests that the store rows split each set into
AGGLO_THRESHOLD = 0.70  # cosine distance, tuned on gn-even (grid 0.30-0.95 step 0.025)


def load(name: str) -> tuple[list[str], list[str]]:
    if name.startswith("mn"):
        return load_multinews(paragraphs=name.startswith("mnp"), odd=name.endswith("odd"))
    if name.startswith("gn"):
        texts = (GN / "GoogleNews.txt").read_text(encoding="utf-8").splitlines()
        gold = (GN / "GoogleNews_LABEL.txt").read_text(encoding="utf-8").split()
        if name != "gn":  # line numbers are 1-based: even lines are indexes 1, 3, ...
            start = 1 if name == "gn-even" else 0
            texts, gold = texts[start::2], gold[start::2]
        return texts, gold
    with UCI.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["TITLE"] for r in rows], [r["STORY"] for r in rows]


def load_multinews(paragraphs: bool, odd: bool) -> tuple[list[str], list[str]]:
    """The articles (or their paragraphs) of the even (or odd) Multi-News clusters, and their cluster."""
    import ast
    import re

    csv.field_size_limit(10**9)
    texts, gold = [], []
    with MULTINEWS.open(encoding="utf-8", newline="") as f:
        for k, row in enumerate(csv.DictReader(f)):
            if k % 2 != odd:
                continue
            for doc in ast.literal_eval(row["documents"]):
                parts = re.split(r"\n\s*\n", doc) if paragraphs else [doc]
                found = [" ".join(p.split()) for p in parts if p.strip()]
                texts += found
                gold += [str(k)] * len(found)
    return texts, gold


class HeadEmbedder:
    """The peers' embedder reading only the head of each text (--head-chars)."""

    def __init__(self, inner, chars: int):
        self.inner, self.chars = inner, chars
        self.name, self.dim = f"{inner.name}, heads of {chars} chars", inner.dim

    def encode(self, texts):
        from newsdesk.cluster import vector_text

        return self.inner.encode([vector_text(t, "minilm", self.chars) for t in texts])


def read_heads(chars: int) -> None:
    """newsdesk's batch path and new stores embed heads of `chars` characters (VECTOR_CHARS)."""
    import newsdesk.cluster
    import newsdesk.store

    newsdesk.cluster.VECTOR_CHARS = newsdesk.store.VECTOR_CHARS = chars


def bcubed(gold, predicted) -> tuple[float, float, float]:
    pairs = Counter(zip(gold, predicted))
    in_gold, in_pred = Counter(gold), Counter(predicted)
    p = sum(c * c / in_pred[b] for (a, b), c in pairs.items()) / len(gold)
    r = sum(c * c / in_gold[a] for (a, b), c in pairs.items()) / len(gold)
    return p, r, 2 * p * r / (p + r)


def score(gold, predicted) -> dict:
    from sklearn.metrics import normalized_mutual_info_score

    p, r, f = bcubed(gold, predicted)
    return {"P": p, "R": r, "F1": f, "NMI": normalized_mutual_info_score(gold, predicted),
            "stories": len(set(predicted))}


def _singletons(labels) -> list:
    """Noise (-1) becomes one cluster per item."""
    return [f"noise{i}" if int(label) < 0 else int(label) for i, label in enumerate(labels)]


def run_newsdesk(texts, embedder: str = "minilm"):
    from newsdesk.cluster import group
    from newsdesk.model import Item
    from newsdesk.options import Options

    items = [Item(n=n, text=t) for n, t in enumerate(texts, 1)]
    result = group(items, Options(min_item_words=1, embedder=embedder))
    label = {}
    for k, story in enumerate(result.stories):
        for n in story.items:
            label[n] = k
    return [label.get(n, f"dropped{n}") for n in range(1, len(texts) + 1)]


def run_store(texts, regroup: bool, parts: int = STORE_PARTS, embedder: str = "minilm", first=()):
    """newsdesk's store: the lines in a shuffled order, ingested in `parts` calls (no dates, so
    no story closes), then its stories. `first`: lines ingested with the first part and left out
    of the labels (an item in another language that puts the store on the multilingual model)."""
    import random
    import tempfile

    from newsdesk.model import Item
    from newsdesk.options import Options
    from newsdesk.store import Store

    items = [Item(n=n, text=t, url=f"line:{n}") for n, t in enumerate(texts, 1)]
    line = {it.id: it.n for it in items}
    random.Random(0).shuffle(items)
    with tempfile.TemporaryDirectory() as folder, \
            Store(Path(folder) / "bench.db", Options(min_item_words=1, story_regroup=regroup, embedder=embedder)) as store:
        for part in range(parts):
            extra = [Item(n=-k, text=t, url=f"first:{k}") for k, t in enumerate(first, 1)] if part == 0 else []
            store.ingest(extra + items[part::parts])
        label = {line.get(i): k for k, story in enumerate(store.stories()) for i in story.item_ids}
    return [label.get(n, f"dropped{n}") for n in range(1, len(texts) + 1)]


def run_agglo(vectors):
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                    distance_threshold=AGGLO_THRESHOLD)
    return model.fit_predict(vectors).tolist()


def run_hdbscan(vectors):
    import hdbscan

    return _singletons(hdbscan.HDBSCAN(min_cluster_size=3, metric="euclidean").fit_predict(vectors))


def run_bertopic(texts, vectors):
    from bertopic import BERTopic
    from umap import UMAP

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=1)
    model = BERTopic(embedding_model=None, umap_model=umap_model, min_topic_size=3, verbose=False)
    topics, _ = model.fit_transform(texts, embeddings=vectors)
    return _singletons(topics)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="gn-even,gn-odd,gn,uci")
    parser.add_argument("--peers", default="agglo,hdbscan,bertopic")
    parser.add_argument("--store", action=argparse.BooleanOptionalAction, default=True,
                        help="also score the store's stories after ingests in parts")
    parser.add_argument("--max-batch", type=int, default=None,
                        help="cluster.MAX_BATCH for this run: a smaller one makes larger piles and store "
                             "windows go through the tracker and the blocked regroup (cluster.window_labels)")
    parser.add_argument("--embedder", default="minilm", help="newsdesk's and the peers' embedder (default minilm; "
                        "minilm-int8 for the int8 graph)")
    parser.add_argument("--head-chars", type=int, default=None,
                        help="the embedders read the first N characters of each clustering text only (a study)")
    args = parser.parse_args(argv)
    from newsdesk import cluster
    from newsdesk.embed import get_embedder

    if args.max_batch:
        cluster.MAX_BATCH = args.max_batch

    embedder = get_embedder(args.embedder)
    if args.head_chars:
        read_heads(args.head_chars)
        embedder = HeadEmbedder(embedder, args.head_chars)
    rows = []
    for name in args.sets.split(","):
        texts, gold = load(name)
        start = time.perf_counter()
        vectors = embedder.encode(texts)
        rows.append((name, f"MiniLM embedding only ({embedder.name})", None, time.perf_counter() - start))
        runs = [("newsdesk", lambda texts=texts: run_newsdesk(texts, args.embedder))]
        if args.store:
            runs += [(f"newsdesk store, {STORE_PARTS} ingests", lambda texts=texts: run_store(texts, True, embedder=args.embedder)),
                     (f"newsdesk store, {STORE_PARTS} ingests, no regroup (tracker only)",
                      lambda texts=texts: run_store(texts, False, embedder=args.embedder))]
        if "agglo" in args.peers:
            runs.append((f"agglomerative (cosine, average, d<{AGGLO_THRESHOLD})", lambda vectors=vectors: run_agglo(vectors)))
        if "hdbscan" in args.peers:
            runs.append(("HDBSCAN (min_cluster_size=3)", lambda vectors=vectors: run_hdbscan(vectors)))
        if "bertopic" in args.peers:
            runs.append(("BERTopic (UMAP+HDBSCAN, min_topic_size=3)", lambda texts=texts, vectors=vectors: run_bertopic(texts, vectors)))
        for method, fn in runs:
            start = time.perf_counter()
            try:
                predicted = fn()
            except Exception as exc:  # a peer that cannot run here: say why, keep going
                rows.append((name, method, f"failed: {type(exc).__name__}: {exc}", 0.0))
                continue
            rows.append((name, method, score(gold, predicted), time.perf_counter() - start))
            print(f"{name:8s} {method:45s} {rows[-1][2]['F1']:.3f}", file=sys.stderr, flush=True)

    print("| set | method | B3 P | B3 R | B3 F1 | NMI | stories (gold) | time s |")
    print("|---|---|---|---|---|---|---|---|")
    gold_k = {}
    for name, method, s, seconds in rows:
        if name not in gold_k:
            gold_k[name] = len(set(load(name)[1]))
        if s is None:
            print(f"| {name} | {method} | | | | | | {seconds:.1f} |")
        elif isinstance(s, str):
            print(f"| {name} | {method} | {s} | | | | | |")
        else:
            print(f"| {name} | {method} | {s['P']:.3f} | {s['R']:.3f} | **{s['F1']:.3f}** | {s['NMI']:.3f} "
                  f"| {s['stories']} ({gold_k[name]}) | {seconds:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
