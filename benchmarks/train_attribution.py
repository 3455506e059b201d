"""Train newsdesk's attribution tagger (src/newsdesk/data/attribution.crfsuite) on PolNeAR train.

    python benchmarks/train_attribution.py [--holdout N] [--c1 X,..] [--c2 Y] [--minfreq N,..]
        [--iterations N] [--no-lexicon] [--out PATH]

Data: the train split of PolNeAR v1.0.0 (../shared/data/polnear/data/train, 840 articles, the
first annotator's file of each, as benchmarks/attribution.py reads them). PolNeAR's upstream
states no licence; the model trained here is derived from it and documented as such in
newsdesk.extract.attribution_tagger. Never train or tune on the dev split: it is the report.

The tags are BIO over spaCy tokens (en_core_web_sm 3.8, the parse newsdesk uses) for Source,
Cue and Content; one sequence per paragraph. The script also writes the cue lexicon
(src/newsdesk/data/attribution_cues.tsv: each lemma heading at least two gold cues, with how
many it heads and how often it occurs), learned from the same training articles; the
tagger's lexicon features read it. The rules' labels of train are cached beside the parses.

With --holdout N, N articles of train (a fixed random sample) are kept out of training (and
out of the lexicon) and scored with benchmarks/attribution.py's measure, for choosing
settings; --c1 and --minfreq take comma-separated lists to train and score each. The shipped
model is the default run: all 840 articles (--holdout 0), c1 1.0, c2 0.01, minimum feature
count 4, 100 L-BFGS iterations (about 1 minute of features and 2 of training on one loaded
core; 3.3 MB). Held-out 120 (overlap F1 source / cue / content):
  c1 0.05, minfreq 2, no lexicon (the first shipped model):   0.724 / 0.680 / 0.650 (8.5 MB)
  the same with the lexicon:                                   0.716 / 0.667 / 0.647 (8.5 MB)
  lexicon, c1 0.05, minfreq 4:                                 0.724 / 0.674 / 0.652 (5.5 MB)
  lexicon, c1 0.3, minfreq 2:                                  0.728 / 0.672 / 0.653 (6.6 MB)
  lexicon, c1 0.3, minfreq 4:                                  0.729 / 0.676 / 0.656 (4.8 MB)
  lexicon as rate features only (no wider cue words), c1 0.3:  0.729 / 0.672 / 0.654 (4.9 MB)
  lexicon, c1 1.0, minfreq 4 (chosen):                         0.736 / 0.682 / 0.665 (3.0 MB)
  lexicon, c1 2.0, minfreq 4:                                  0.734 / 0.680 / 0.669 (1.9 MB)
  rules alone:                                                 0.672 / 0.625 / 0.579
Decoding (src/newsdesk/extract/attribution_tagger.tag): each token takes the kind of largest
marginal probability, O's weighed by OUTSIDE_WEIGHT; held-out 120, c1 1.0, minfreq 4:
  100 iterations, Viterbi (the model above):                   0.736 / 0.682 / 0.665
  100 iterations, posterior, O weight 1.0:                     0.742 / 0.687 / 0.670
  100 iterations, posterior, O weight 0.9:                     0.742 / 0.685 / 0.668
  100 iterations, posterior, O weight 0.8 (chosen):            0.745 / 0.685 / 0.670
  100 iterations, posterior, O weight 0.6:                     0.744 / 0.686 / 0.669
  300 iterations, Viterbi:                                     0.741 / 0.683 / 0.671 (2.2 MB)
  300 iterations, posterior, O weight 1.0 / 0.9 / 0.8:         0.740 / 0.687 / 0.672,
                                                               0.738 / 0.688 / 0.672,
                                                               0.737 / 0.688 / 0.674
(300 iterations trade source for content, within noise; the shipped model stays at 100.)
--holdout scores with the decoding the package uses.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import attribution

from newsdesk.extract import attribution_tagger, claims

TAGS = {"source": "SRC", "cue": "CUE", "content": "CON"}


def gold_labels(doc, gold: dict) -> list[str]:
    """BIO labels of the doc's tokens from the gold spans (each fragment starts with B-)."""
    labels = ["O"] * len(doc)
    starts = [t.idx for t in doc]
    for kind, tag in TAGS.items():
        for fragments in gold[kind]:
            for s, e in fragments:
                for n, i in enumerate(attribution_tagger.tokens_in(doc, starts, s, e)):
                    if labels[i] == "O":  # PolNeAR is univocal; keep the first on a clash
                        labels[i] = ("B-" if n == 0 else "I-") + tag
    return labels


def cue_head(doc, starts, fragments):
    """The token heading a gold cue: the first whose head lies outside the cue."""
    tokens = [i for s, e in fragments for i in attribution_tagger.tokens_in(doc, starts, s, e)
              if not doc[i].is_punct and not doc[i].is_space]
    inside = set(tokens)
    return next((doc[i] for i in tokens if doc[i].head.i not in inside or doc[i].head.i == i), None)


def learn_cue_lexicon(articles, docs, min_heads: int = 2) -> dict[str, tuple[int, int]]:
    """{lemma: (gold cues it heads, occurrences)} over the articles, for lemmas heading at
    least `min_heads` cues."""
    from collections import Counter

    heads, seen = Counter(), Counter()
    for article, doc in zip(articles, docs):
        starts = [t.idx for t in doc]
        for fragments in article["gold"]["cue"]:
            head = cue_head(doc, starts, fragments)
            if head is not None:
                heads[head.lemma_.lower()] += 1
        seen.update(t.lemma_.lower() for t in doc)
    return {lemma: (n, seen[lemma]) for lemma, n in heads.items() if n >= min_heads}


def write_lexicon(lexicon: dict[str, tuple[int, int]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted(lexicon.items(), key=lambda kv: (-kv[1][0], kv[0]))
    path.write_text("".join(f"{lemma}\t{n}\t{seen}\n" for lemma, (n, seen) in rows), encoding="utf-8")


def rates(lexicon: dict[str, tuple[int, int]]) -> dict[str, float]:
    """The lexicon as attribution_tagger.cue_lexicon reads it back."""
    return {lemma: n / (seen + 2) for lemma, (n, seen) in lexicon.items()}


def rule_labels(docs, split: str) -> list[list[str]]:
    """The rules' labels of every doc, cached beside the parses (keyed on the rules' source)."""
    digest = hashlib.sha1(Path(claims.__file__).read_bytes()).hexdigest()[:10]
    path = attribution.CACHE / f"{split}-{len(docs)}-rules-{digest}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = [attribution_tagger.rule_labels(doc, claims.find_claims(doc, 1, learned=False)) for doc in docs]
    path.write_bytes(pickle.dumps(out))
    return out


def sequences(articles, docs, rules, lexicon: dict[str, float]):
    """(features, labels) per paragraph of every article."""
    for article, doc, doc_rules in zip(articles, docs, rules):
        labels = gold_labels(doc, article["gold"])
        for indices, feats in attribution_tagger.doc_sequences(doc, doc_rules, claims.CUE_LEMMAS, lexicon):
            yield feats, [labels[i] for i in indices]


def train(trainer, out: Path, c1: float, c2: float, iterations: int, minfreq: int) -> float:
    """Train on the sequences already appended to `trainer` (one pycrfsuite.Trainer can be
    trained several times with other settings); the seconds it took."""
    started = time.perf_counter()
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True, "feature.minfreq": minfreq})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return time.perf_counter() - started


def lexicon_path(model: Path) -> Path:
    """Where a model's cue lexicon goes: the shipped one for the shipped model, else beside it."""
    return attribution_tagger.LEXICON if model == attribution_tagger.MODEL else model.with_suffix(".cues.tsv")


def score_holdout(articles, docs, model: Path, lexicon: Path) -> str:
    attribution_tagger.load.cache_clear()
    attribution_tagger.cue_lexicon.cache_clear()
    attribution_tagger.LEXICON = lexicon

    def system(doc):
        return attribution.newsdesk_system(doc, attribution_tagger.load(str(model)))

    return attribution.table({f"holdout-{len(articles)}": attribution.evaluate(articles, docs, system)})


def floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",")]


def main(argv=None) -> int:
    import pycrfsuite

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--holdout", type=int, default=0, help="articles of train kept out and scored")
    parser.add_argument("--c1", default="1.0", help="L1 weight; a comma-separated list trains each")
    parser.add_argument("--c2", type=float, default=0.01)
    parser.add_argument("--minfreq", default="4", help="minimum feature count; a list trains each")
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--no-lexicon", action="store_true", help="leave the learned cue lexicon out")
    parser.add_argument("--out", type=Path, default=attribution_tagger.MODEL)
    args = parser.parse_args(argv)
    articles = attribution.load_articles("train")
    docs = attribution.parse_articles(articles, "train")
    rules = rule_labels(docs, "train")
    order = list(range(len(articles)))
    random.Random(0).shuffle(order)
    held = set(order[:args.holdout])
    fit = [k for k in range(len(articles)) if k not in held]
    # The lexicon comes from the training articles only, so the held-out score stays honest.
    lexicon = {} if args.no_lexicon else learn_cue_lexicon([articles[k] for k in fit], [docs[k] for k in fit])
    trainer = pycrfsuite.Trainer(verbose=False)
    started = time.perf_counter()
    for feats, labels in sequences([articles[k] for k in fit], [docs[k] for k in fit],
                                   [rules[k] for k in fit], rates(lexicon)):
        trainer.append(feats, labels)
    print(f"features of {len(fit)} articles in {time.perf_counter() - started:.0f} s; "
          f"cue lexicon of {len(lexicon)} lemmas", flush=True)
    settings = [(c1, m) for c1 in floats(args.c1) for m in map(int, args.minfreq.split(","))]
    for c1, minfreq in settings:
        out = args.out if len(settings) == 1 else args.out.with_name(f"{args.out.stem}-c{c1}-m{minfreq}.crfsuite")
        write_lexicon(lexicon, lexicon_path(out))
        seconds = train(trainer, out, c1, args.c2, args.iterations, minfreq)
        size = out.stat().st_size / 1e6
        print(f"c1 {c1}, minfreq {minfreq}: trained in {seconds:.0f} s: {out} ({size:.1f} MB)", flush=True)
        if held:
            test = sorted(held)
            print(score_holdout([articles[k] for k in test], [docs[k] for k in test], out, lexicon_path(out)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
