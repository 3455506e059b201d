"""Attribution quality on PolNeAR, newsdesk side by side with peers; and claim-ledger speed.

    python benchmarks/attribution.py [--split dev|train] [--limit N] [--systems a,b,c]
    python benchmarks/attribution.py --speed [--limit N]

Data: ../shared/data/polnear/data/{dev,train} (PolNeAR v1.0.0; dev has 84 articles). Where an
article has several annotators' .ann files, the first in sorted order is used. Gold spans are
the Source, Cue and Content text-bound annotations (discontinuous ones as several fragments).

Scores, per span type, precision / recall / F1 summed over all articles:
  - exact: the predicted and the gold span cover the same word tokens (i.e. they are equal
    once punctuation and quote marks are trimmed at both ends of each fragment);
  - overlap: the word tokens they share are at least half of the larger span's tokens;
    predicted and gold spans are paired one-to-one, greedily, best pairs first.
Systems, each on the same spaCy docs (newsdesk.nlp.load_spacy(), en_core_web_sm 3.8):
  - newsdesk: the claim ledger, newsdesk.extract.claims.find_claims: its rules revised by the
    learned tagger (a BiLSTM trained on PolNeAR train by benchmarks/train_neural_attribution.py),
    then only the attributions that state something (extract.claim_kinds: not an act, a plan, a
    wish or a negated report, which PolNeAR annotates too); a speaker shared by two claims counts
    as one predicted span;
  - newsdesk-attributions: the same with every attribution kept (find_claims(claims_only=False)),
    PolNeAR's own scope;
  - newsdesk-crf: the same with the earlier CRF tagger (benchmarks/train_attribution.py);
  - newsdesk-rules: the same, rules only (find_claims(learned=False));
  - textacy: textacy.extract.triples.direct_quotations (textacy 0.13; direct quotes only);
  - spacy-dep: a plain dependency baseline: for a verb whose lemma is a speech verb, its
    nsubj subtree is the source, the verb the cue, its ccomp subtree the content.
Use the train split for development and tuning; report dev.

--speed: claims per second and items per second of the claim ledger (parse + find_claims,
with the cheap cue filter deciding which sentences spaCy parses) on the AG News test split
(7,600 items, title + description).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
POLNEAR = DATA / "polnear" / "data"
AG_NEWS = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"
CACHE = Path("/tmp") / "newsdesk-attribution-cache"
KINDS = ("source", "cue", "content")
WORD = re.compile(r"\w+")

# The plain baseline's speech verbs: the common reporting verbs.
BASELINE_VERBS = {"say", "tell", "claim", "announce", "state", "report", "add", "write",
                  "explain", "argue", "note", "warn", "deny", "insist", "suggest", "believe",
                  "think", "ask", "confirm", "acknowledge", "admit", "declare"}


# --- data -----------------------------------------------------------------------------------

def load_articles(split: str, limit: int | None = None) -> list[dict]:
    """[{name, text, gold: {kind: [[(start, end), ...], ...]}}] of one split, sorted by name."""
    folder = POLNEAR / split
    first: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        first.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    articles = []
    for name in sorted(first)[:limit]:
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        gold = {kind: [] for kind in KINDS}
        for line in first[name].read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if not fields[0].startswith("T") or len(fields) < 2:
                continue
            kind, _, where = fields[1].partition(" ")
            if kind.lower() in gold:
                gold[kind.lower()].append([tuple(map(int, p.split())) for p in where.split(";")])
        articles.append({"name": name, "text": text, "gold": gold})
    return articles


def parse_articles(articles: list[dict], split: str):
    """spaCy docs of the articles, cached on disk (parsing train takes minutes)."""
    from spacy.tokens import DocBin

    from newsdesk.nlp import load_spacy

    nlp = load_spacy()
    path = CACHE / f"{split}-{len(articles)}-{nlp.meta['name']}-{nlp.meta['version']}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in docs] == [a["text"] for a in articles]:
            return docs
    docs = list(nlp.pipe((a["text"] for a in articles), batch_size=16))
    CACHE.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    return docs


# --- systems: each yields {kind: [fragments]} per doc ----------------------------------------

_TAGGED: dict = {}


def _tag_once() -> None:
    """Tag each doc once for the newsdesk systems that share it (the ledger's claims and all
    attributions differ only after the tagger): its labels are kept by doc and rule labels."""
    from newsdesk.extract import neural_tagger

    if getattr(neural_tagger.tag, "shared", False):
        return
    tag = neural_tagger.tag

    def shared(doc, rules, cues, model, *args, **kwargs):
        key = (id(doc), tuple(rules), id(model))
        if key not in _TAGGED:
            _TAGGED[key] = tag(doc, rules, cues, model, *args, **kwargs)
        return _TAGGED[key]

    shared.shared = True
    neural_tagger.tag = shared


def newsdesk_system(doc, tagger=None, learned: bool = True, claims_only: bool = True) -> dict:
    from newsdesk.extract.claims import find_claims

    _tag_once()

    found = {kind: [] for kind in KINDS}
    for c in find_claims(doc, 1, learned=learned, tagger=tagger, claims_only=claims_only):
        for kind, spans in (("source", c.source_span), ("cue", c.cue_span), ("content", c.content_span)):
            # A speaker shared by two claims ('Smith said X and added Y') is one span.
            if spans and list(spans) not in found[kind]:
                found[kind].append(list(spans))
    return found


def newsdesk_attributions_system(doc) -> dict:
    return newsdesk_system(doc, claims_only=False)


def newsdesk_rules_system(doc) -> dict:
    return newsdesk_system(doc, learned=False)


def newsdesk_crf_system(doc) -> dict:
    from newsdesk.extract import attribution_tagger

    return newsdesk_system(doc, tagger=attribution_tagger.load())


def textacy_system(doc) -> dict:
    from textacy.extract.triples import direct_quotations

    found = {kind: [] for kind in KINDS}
    # textacy gives up on a whole doc with an odd number of quote marks; run it per paragraph
    # so that one unbalanced quote costs one paragraph, not the article.
    for paragraph in _paragraphs(doc):
        offset = paragraph.start_char
        try:
            triples = list(direct_quotations(paragraph.as_doc()))
        except ValueError:
            continue
        for triple in triples:
            found["source"].append(_token_fragments(triple.speaker, offset))
            found["cue"].append(_token_fragments(triple.cue, offset))
            found["content"].append([(offset + triple.content.start_char, offset + triple.content.end_char)])
    return found


def _paragraphs(doc):
    start = 0
    for token in doc:
        if "\n" in token.text_with_ws or token.i == len(doc) - 1:
            if token.i + 1 > start:
                yield doc[start:token.i + 1]
            start = token.i + 1


def spacy_dep_system(doc) -> dict:
    found = {kind: [] for kind in KINDS}
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_ not in BASELINE_VERBS:
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        contents = [c for c in verb.children if c.dep_ == "ccomp"]
        if not subjects or not contents:
            continue
        found["source"].append([_subtree(subjects[0])])
        found["cue"].append([(verb.idx, verb.idx + len(verb))])
        found["content"].append([_subtree(contents[0])])
    return found


def _subtree(token) -> tuple[int, int]:
    doc = token.doc
    return doc[token.left_edge.i].idx, doc[token.right_edge.i].idx + len(doc[token.right_edge.i])


def _token_fragments(tokens, offset: int = 0) -> list[tuple[int, int]]:
    return [(offset + t.idx, offset + t.idx + len(t)) for t in sorted(tokens, key=lambda t: t.i)]


SYSTEMS = {"newsdesk": newsdesk_system, "newsdesk-attributions": newsdesk_attributions_system,
           "newsdesk-crf": newsdesk_crf_system, "newsdesk-rules": newsdesk_rules_system,
           "textacy": textacy_system,
           "spacy-dep": spacy_dep_system}


# --- scoring ----------------------------------------------------------------------------------

def words(text: str, fragments) -> frozenset[int]:
    """The word tokens of a span, by their start offsets (punctuation and quotes ignored)."""
    return frozenset(m.start() for s, e in fragments for m in WORD.finditer(text, s, e))


def match(text: str, predicted: list, gold: list) -> tuple[int, int]:
    """(exact matches, overlap matches) between predicted and gold spans, one-to-one."""
    p_words = [w for w in (words(text, p) for p in predicted) if w]
    g_words = [words(text, g) for g in gold]
    exact = _greedy(p_words, g_words, lambda p, g: p == g)
    overlap = _greedy(p_words, g_words, lambda p, g: 2 * len(p & g) >= max(len(p), len(g)))
    return exact, overlap


def _greedy(predicted, gold, ok) -> int:
    pairs = sorted(
        ((len(p & g) / max(len(p), len(g)), i, j) for i, p in enumerate(predicted)
         for j, g in enumerate(gold) if p & g and ok(p, g)),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    used_p, used_g, n = set(), set(), 0
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            n += 1
    return n


def evaluate(articles, docs, system) -> dict:
    """{kind: {"exact": (p, r, f), "overlap": (p, r, f)}}, counts summed over articles."""
    counts = {kind: {"pred": 0, "gold": 0, "exact": 0, "overlap": 0} for kind in KINDS}
    for article, doc in zip(articles, docs):
        found = system(doc)
        for kind in KINDS:
            predicted = [p for p in found[kind] if words(article["text"], p)]
            gold = article["gold"][kind]
            exact, overlap = match(article["text"], predicted, gold)
            c = counts[kind]
            c["pred"] += len(predicted)
            c["gold"] += len(gold)
            c["exact"] += exact
            c["overlap"] += overlap
    return {kind: {mode: prf(c[mode], c["pred"], c["gold"]) for mode in ("exact", "overlap")}
            for kind, c in counts.items()}


def prf(hits: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def table(results: dict[str, dict]) -> str:
    head = "| system | span | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |"
    rows = [head, "|" + "---|" * 8]
    for name, result in results.items():
        for kind in KINDS:
            e, o = result[kind]["exact"], result[kind]["overlap"]
            rows.append(f"| {name} | {kind} | " + " | ".join(f"{x:.3f}" for x in (*e, *o)) + " |")
    return "\n".join(rows)


# --- speed ------------------------------------------------------------------------------------

def load_ag_news(limit: int | None = None) -> list[str]:
    with open(AG_NEWS, encoding="utf-8", newline="") as f:
        rows = [f"{title}. {description}".replace("\\", " ") for _, title, description in csv.reader(f)]
    return rows[:limit]


def speed(limit: int | None, no_filter: bool = False) -> str:
    from newsdesk.extract import claims as claim_stage
    from newsdesk.model import Item
    from newsdesk.nlp import load_spacy
    from newsdesk.pipeline import extract_claims

    texts = load_ag_news(limit)
    items = [Item(n=i, text=t) for i, t in enumerate(texts, start=1)]
    load_spacy()
    parsed = sum(claim_stage.cue_sentences_only(t) is not None for t in texts)
    if no_filter:  # for comparison: every item parsed whole
        claim_stage.cue_sentences_only, kept = (lambda text: text), claim_stage.cue_sentences_only
    started = time.perf_counter()
    try:
        claims = extract_claims(items)
    finally:
        if no_filter:
            claim_stage.cue_sentences_only = kept
    seconds = time.perf_counter() - started
    how = "every item parsed whole" if no_filter else f"cue filter: {parsed} items parsed, cue sentences only"
    return (f"AG News test, {len(items)} items: {len(claims)} claims in {seconds:.1f} s: "
            f"{len(items) / seconds:.0f} items/s, {len(claims) / seconds:.0f} claims/s ({how})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--limit", type=int, help="first N articles (or AG News items) only")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated: " + ", ".join(SYSTEMS))
    parser.add_argument("--speed", action="store_true", help="claim-ledger speed on AG News instead")
    parser.add_argument("--no-filter", action="store_true", help="with --speed: parse every item whole, for comparison")
    args = parser.parse_args(argv)
    if args.speed:
        print(speed(args.limit, args.no_filter))
        return 0
    articles = load_articles(args.split, args.limit)
    docs = parse_articles(articles, args.split)
    results = {}
    for name in args.systems.split(","):
        try:
            results[name] = evaluate(articles, docs, SYSTEMS[name])
        except ImportError as exc:
            print(f"{name}: not installed ({exc}); left out", file=sys.stderr)
    gold = sum(len(a["gold"]["cue"]) for a in articles)
    print(f"PolNeAR {args.split}: {len(articles)} articles, {gold} gold cues\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
