"""Train newsdesk's claim filter (src/newsdesk/data/claim_filter.json, newsdesk.extract.claim_filter).

    python benchmarks/train_claim_filter.py [--out PATH] [--c C] [--max-recall-loss L] [--report-only]

Data: the judged claims of the TUNE (even) half of benchmarks/precision.py (its labels,
benchmarks/precision/claims.jsonl), as newsdesk finds them now with the filter off: a claim
labelled "correct" is a positive, "wrong" (any error) a negative. The held-out (odd) half is
never read here.
Model: logistic regression (scikit-learn, liblinear, L2, seed 0) over the binary features of
newsdesk.extract.claim_filter.features. C is chosen by out-of-fold log loss (5 folds grouped by
record, so that the claims of one article never train and test each other).
Threshold: the claim ledger must not lose PolNeAR recall (benchmarks/attribution.py, dev, the
"claims" scope): the highest threshold at which the overlap recall of claims' sources, cues and
contents each stays within --max-recall-loss (0.005) of the unfiltered ledger's, computed with
the model trained on the whole tune half. The out-of-fold tune precision at that threshold
is reported beside it (the tune figure a user can trust: each claim judged by a model that did
not see it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import attribution  # noqa: E402
import precision  # noqa: E402

OUT = ROOT / "src" / "newsdesk" / "data" / "claim_filter.json"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 5


def judged_claims(half: str = "even") -> list[dict]:
    """[{features, label (1 right, 0 wrong, None unjudged), group}] of one half's claims, found as
    newsdesk.claims finds them (cleaning, deduplication, cue-sentence parse) with the filter off."""
    from newsdesk.clean import complete_part
    from newsdesk.extract.claims import cue_sentences_only, featured_claims
    from newsdesk.model import Item
    from newsdesk.nlp import parse
    from newsdesk.options import Options
    from newsdesk.pipeline import _stage_items, prepare

    options = Options(claim_filter=False)
    labels = precision.load_labels()
    out = []
    for dataset in precision.DATASETS:
        records = [r for r in precision.sample(dataset) if r["half"] == half]
        items = [Item(n=n, text=r["text"], origin=f"{dataset}:{r['key']}") for n, r in enumerate(records, start=1)]
        _, english, _ = _stage_items(prepare(items, options))
        masked = [(it, cue_sentences_only(it.text)) for it in english]
        masked = [(it, m) for it, m in masked if m is not None]
        for (item, _), doc in zip(masked, parse((m for _, m in masked), options.spacy_model)):
            complete_end = complete_part(item.text)  # as pipeline.claims_in cuts
            for claim, features in featured_claims(doc, item.n, text=item.text):
                if claim.end > complete_end:
                    continue
                found = {"record": records[claim.item - 1], "claim": claim, "spans": precision.spans_of(claim)}
                row = labels.get(precision.found_key(found))
                label = None
                if row is not None and row["text_sha1"] == precision.text_hash(found["record"]["text"]):
                    label = int(row["label"] == "correct")
                out.append({"features": features, "label": label,
                            "group": f"{dataset}:{found['record']['key']}", "id": precision.claim_id(found),
                            "key": precision.found_key(found)})
    return out


def polnear_features() -> list[list[dict]]:
    """Per PolNeAR dev article, [{claim, features}] of the unfiltered claim ledger."""
    from newsdesk.extract.claims import featured_claims

    articles = attribution.load_articles("dev")
    docs = attribution.parse_articles(articles, "dev")
    return [[{"claim": c, "features": f} for c, f in featured_claims(doc, 1)] for doc in docs], articles


def polnear_recall(per_article, articles, probabilities, threshold: float) -> dict[str, float]:
    """Overlap recall (and precision) per span kind of the claims at or over the threshold,
    scored as benchmarks/attribution.py scores the ledger."""
    counts = {kind: Counter() for kind in attribution.KINDS}
    for claims, article, probs in zip(per_article, articles, probabilities):
        found = {kind: [] for kind in attribution.KINDS}
        for entry, p in zip(claims, probs):
            if p < threshold:
                continue
            c = entry["claim"]
            for kind, spans in (("source", c.source_span), ("cue", c.cue_span), ("content", c.content_span)):
                if spans and list(spans) not in found[kind]:
                    found[kind].append(list(spans))
        for kind in attribution.KINDS:
            predicted = [p for p in found[kind] if attribution.words(article["text"], p)]
            _, overlap = attribution.match(article["text"], predicted, article["gold"][kind])
            counts[kind].update(pred=len(predicted), gold=len(article["gold"][kind]), hit=overlap)
    out = {}
    for kind, c in counts.items():
        out[kind] = c["hit"] / c["gold"]
        out[kind + " precision"] = c["hit"] / c["pred"] if c["pred"] else 0.0
    return out


def vectorise(rows: list[dict], vocabulary: list[str]) -> np.ndarray:
    index = {name: i for i, name in enumerate(vocabulary)}
    x = np.zeros((len(rows), len(vocabulary)), dtype=np.float64)
    for r, row in enumerate(rows):
        for name in row["features"]:
            if name in index:
                x[r, index[name]] = 1.0
    return x


def fit(x: np.ndarray, y: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, solver="liblinear", random_state=0, max_iter=1000).fit(x, y)


def out_of_fold(rows: list[dict], vocabulary: list[str], c: float) -> np.ndarray:
    from sklearn.model_selection import GroupKFold

    x, y = vectorise(rows, vocabulary), np.array([r["label"] for r in rows])
    groups = [r["group"] for r in rows]
    probs = np.zeros(len(rows))
    for train, test in GroupKFold(n_splits=FOLDS).split(x, y, groups):
        probs[test] = fit(x[train], y[train], c).predict_proba(x[test])[:, 1]
    return probs


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def at_threshold(y: np.ndarray, p: np.ndarray, t: float) -> str:
    keep = p >= t
    right = int(y[keep].sum())
    return (f"kept {int(keep.sum())}/{len(y)}, precision {right / max(1, keep.sum()):.3f} "
            f"(right dropped {int(y.sum()) - right}, wrong dropped {int((1 - y)[~keep].sum())})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--c", type=float, help="the regression's C (default: chosen out of fold)")
    parser.add_argument("--max-recall-loss", type=float, default=0.005)
    parser.add_argument("--report-only", action="store_true", help="report, write no model")
    args = parser.parse_args(argv)

    rows = [r for r in judged_claims("even") if r["label"] is not None]
    y = np.array([r["label"] for r in rows])
    counts = Counter(name for r in rows for name in set(r["features"]))
    vocabulary = sorted(name for name, n in counts.items() if n >= 2)  # a feature seen once teaches nothing
    print(f"tune half: {len(rows)} judged claims ({int(y.sum())} right, {int((1 - y).sum())} wrong), "
          f"{len(vocabulary)} features; unfiltered precision {y.mean():.3f}")
    oof = {}
    for c in ([args.c] if args.c else C_GRID):
        oof[c] = out_of_fold(rows, vocabulary, c)
        print(f"C {c}: out-of-fold log loss {log_loss(y, oof[c]):.4f} (constant {log_loss(y, np.full(len(y), y.mean())):.4f})")
    c = min(oof, key=lambda k: log_loss(y, oof[k]))
    model = fit(vectorise(rows, vocabulary), y, c)
    weights = {name: float(w) for name, w in zip(vocabulary, model.coef_[0]) if abs(w) > 1e-9}
    bias = float(model.intercept_[0])

    from newsdesk.extract.claim_filter import probability

    per_article, articles = polnear_features()
    draft = {"weights": weights, "bias": bias}
    probabilities = [[probability(e["features"], draft) for e in claims] for claims in per_article]
    base = polnear_recall(per_article, articles, probabilities, 0.0)
    print("PolNeAR dev, unfiltered: " + ", ".join(f"{k} {v:.4f}" for k, v in base.items()))
    candidates = sorted({round(float(p), 4) for p in oof[c]} | {0.0})
    threshold = 0.0
    for t in candidates:
        scores = polnear_recall(per_article, articles, probabilities, t)
        if all(base[k] - scores[k] <= args.max_recall_loss for k in attribution.KINDS):
            threshold = t
        else:
            break
    scores = polnear_recall(per_article, articles, probabilities, threshold)
    print(f"C {c}, threshold {threshold:.4f}")
    print("PolNeAR dev, filtered:   " + ", ".join(f"{k} {v:.4f}" for k, v in scores.items()))
    print("tune, out of fold: " + at_threshold(y, oof[c], threshold))
    for t in (0.3, 0.4, 0.5, 0.6, 0.7):
        print(f"  at {t}: tune out of fold {at_threshold(y, oof[c], t)}; PolNeAR "
              + ", ".join(f"{k} {v:.4f}" for k, v in polnear_recall(per_article, articles, probabilities, t).items()
                          if " " not in k))
    top = sorted(weights.items(), key=lambda kv: kv[1])
    print("most against: " + ", ".join(f"{k} {v:+.2f}" for k, v in top[:12]))
    print("most for: " + ", ".join(f"{k} {v:+.2f}" for k, v in top[-12:]))
    if not args.report_only:
        model_file = {"about": "newsdesk.extract.claim_filter: logistic regression, trained by "
                               "benchmarks/train_claim_filter.py on the judged tune claims",
                      "c": c, "claims": len(rows), "threshold": threshold, "bias": bias,
                      "weights": dict(sorted(weights.items()))}
        args.out.write_text(json.dumps(model_file, indent=1) + "\n", encoding="utf-8")
        print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
