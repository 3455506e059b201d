"""What page furniture the junk model misses on pages it has not seen, and what some levers gain,
all out of fold on the tune half (the held-out half is left to benchmarks/junk.py).

    python benchmarks/junk_misses.py [--cache FILE] [--examples N]

The model is refitted as benchmarks/train_junk.py fits it (n-gram regression, boosted trees
over static embeddings, stacked), four folds grouped by page, so that each training block is
scored by a model that never saw its page: these scores read like the held-out half's (out of
fold on the tune pages, 4+ word blocks: precision 0.934, recall 0.500; held out 0.892, 0.506).
A block is flagged as newsdesk.clean.junk_reason flags a line of a kept item: a cue rule or a
link list, or the regression or the stacked model at its own threshold (per length). `--cache`
keeps the scores (some 20 minutes of CPU on a loaded 2-core machine) for later runs.

1. The furniture blocks of 4+ words missed, by kind (regular expressions over the text, first
   match wins; blocks without a cue are told apart by shape: title-case headline or teaser
   link, prose, other short text), with each kind's share of the misses and recall.
2. Levers, each scored by the same rule (thresholds where out-of-fold precision over the
   training blocks reaches 0.97, above every news paragraph of other outlets):
   - thresholds per block length (4-7, 8-15, 16-30, 31+ words) instead of two;
   - the trees only on blocks longer than a headline;
   - the thresholds for 16+ word blocks where the precision alone sets them, not raised above
     the news paragraphs of other outlets (one of which is furniture: "Please contact
     plosntds@plos.org if you would like more information ...");
   - a stacker that also sees the block's length (log-odds times "16+ words", log length);
   - the neighbours: a logistic regression over a block's own stacked log-odds and those of
     the blocks before and after it on its page (two each side), as the lines of one item
     would give them.
   `--more-negatives`: the regression alone, refitted with six more news paragraphs of each
   Multi-News article of the even clusters as negatives (a few minutes more).
`--held-out` scores the neighbour lever on the held-out pages with the shipped model (section
3): look once.
"""

from __future__ import annotations

import argparse
import pickle
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_junk  # noqa: E402

PRECISION = 0.97
# First match wins, so the kinds that name themselves (a cookie notice, a share bar) come before
# the looser ones (a byline, a "related" header).
KINDS = (
    ("cookie, newsletter, consent",
     r"cookie|consent|privacy|newsletter|subscri|sign up|signup|e-?mail|inbox|datenschutz|abonn"),
    ("share bar, social", r"\bshare\b|facebook|twitter|pinterest|linkedin|whatsapp|instagram|youtube|\bprint\b"
                          r"|teilen|follow (us|me|him|her)"),
    ("comment prompt or header", r"comment|repl(y|ies)|discussion|conversation|log ?in|register|kommentar"
                                 r"|community guidelines|\bsays:|wrote:|report abuse"),
    ("ad, sponsored, shop", r"advert|sponsor|promoted|ad choices|\bpaid\b|partner content|anzeige|deals?\b|\bshop\b"
                            r"|buy now|\$\d"),
    ("copyright, legal, footer", r"©|copyright|all rights reserved|terms of (use|service)|contact us|about us"
                                 r"|impressum|careers|sitemap"),
    ("byline, dateline, time", r"^\W*(by|von)\s|updated|published|posted|\d{1,2}:\d{2}"
                               r"|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}"
                               r"|\bmin(ute)?s? read\b|\bago\b|staff writer|reporter|correspondent|editor\b"),
    ("related or read-more header", r"related|more from|most (read|popular|viewed)|recommended"
                                    r"|you (may|might) (also )?like|trending|read more|see also|more stories"
                                    r"|top stories|weiterlesen|mehr zum thema"),
)
_WORDS = re.compile(r"\w[\w'’-]*")
_ENDS = re.compile(r"[.!?][\"'”’)]*$")


def kind_of(text: str) -> str:
    low = text.lower()
    for name, regex in KINDS:
        if re.search(regex, low):
            return name
    words = _WORDS.findall(text)
    ends = bool(_ENDS.search(text.strip()))
    capitalised = sum(w[0].isupper() for w in words) / max(1, len(words))
    if not ends and capitalised >= 0.6 and len(words) <= 25:
        return "title-case headline or teaser link"
    if ends or len(words) >= 12:
        return "prose: reader comment, teaser, blurb"
    return "other short text"


def scores(cache: Path | None) -> dict:
    """Out-of-fold probabilities of the regression and of the stacked model on every training
    block (the tune half's page blocks first, in page order), with their thresholds."""
    if cache and cache.exists():
        with open(cache, "rb") as f:
            return pickle.load(f)
    import numpy as np
    from sklearn.model_selection import GroupKFold

    from newsdesk.clean import tree_features

    texts, labels, groups = train_junk.training_set()
    linear = train_junk.out_of_fold(train_junk.features(texts), labels, groups, 10.0)
    X, y = tree_features(texts), np.asarray(labels)
    boosted = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=4).split(X, y, groups):
        boosted[test] = train_junk.fit_trees(X[train], y[train]).predict_proba(X[test])[:, 1]
    _, stacked = train_junk.stack_out_of_fold(linear, boosted, labels, groups)
    found = {"texts": texts, "labels": labels, "groups": groups, "pages": train_junk.page_set("train"),
             "lin": linear, "boosted": boosted, "stacked": stacked,
             "thr": train_junk.thresholds(linear, texts, labels, groups, PRECISION, "n-grams"),
             "sthr": train_junk.thresholds(stacked, texts, labels, groups, PRECISION, "stacked")}
    if cache:
        with open(cache, "wb") as f:
            pickle.dump(found, f)
    return found


def by_length(probabilities, units, thresholds: dict[tuple[int, int], float]):
    import numpy as np

    limit = np.ones(len(units))
    for (low, high), threshold in thresholds.items():
        limit[(units >= low) & (units <= high)] = threshold
    return np.asarray(probabilities) >= limit


def main(argv: list[str] | None = None) -> int:
    import numpy as np

    from newsdesk.clean import _WORD, _cue_reason, _looks_like_link_list, text_units

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--examples", type=int, default=6, help="missed blocks shown per kind")
    parser.add_argument("--more-negatives", action="store_true", help="refit the regression with more news")
    parser.add_argument("--held-out", action="store_true",
                        help="score the neighbour lever on the held-out pages too (look once)")
    args = parser.parse_args(argv)

    d = scores(args.cache)
    texts, labels, groups = d["texts"], np.asarray(d["labels"]), d["groups"]
    n_pages = len(d["pages"])
    linear, stacked = np.asarray(d["lin"]), np.asarray(d["stacked"])
    units = np.array([text_units(t) for t in texts])
    judged = units >= 4
    rules = np.array([bool(j and (_cue_reason(t) or _looks_like_link_list(_WORD.findall(t), t)))
                      for t, j in zip(texts, judged)])
    (t, t_long), (s, s_long) = d["thr"], d["sthr"]
    regression = by_length(linear, units, two_lengths(t, t_long))
    flagged = rules | regression | by_length(stacked, units, two_lengths(s, s_long))

    view = Verdicts(texts, labels, groups, units, rules, linear, stacked, np.asarray(d["boosted"]),
                    judged & (np.arange(len(texts)) < n_pages), regression, flagged, (s, s_long))
    misses_table(view, args.examples)
    neighbours = levers_table(view, n_pages)
    if args.more_negatives:
        more_negatives(texts, list(labels), list(groups), n_pages, linear)
    if args.held_out:
        held_out(*neighbours)
    return 0


class Verdicts(NamedTuple):
    """The out-of-fold scores of the training blocks and the verdicts the shipped rule gives."""

    texts: list
    labels: object  # numpy arrays from here on, one entry per training block
    groups: list
    units: object
    rules: object  # a cue rule or a link list flags the block
    linear: object
    stacked: object
    boosted: object
    on_pages: object  # the tune pages' 4+ word blocks, on which every row is scored
    regression: object  # the regression's verdict at its two thresholds
    flagged: object  # rules, regression or stacked: a line of a kept item
    stacked_thresholds: tuple

    def show(self, flags, name: str) -> None:
        y, f = self.labels[self.on_pages], flags[self.on_pages]
        print(f"| {name} | {y[f].mean():.3f} | {f[y == 1].mean():.3f} |")


def two_lengths(short: float, long: float) -> dict[tuple[int, int], float]:
    from newsdesk.clean import _TITLE_MAX_WORDS

    return {(0, _TITLE_MAX_WORDS): short, (_TITLE_MAX_WORDS + 1, 10**9): long}


def misses_table(v: Verdicts, examples: int) -> None:
    """The furniture blocks missed, by kind, with a few of each."""
    import numpy as np

    from newsdesk.clean import _TITLE_MAX_WORDS

    print("## 1. Page furniture of 4+ words missed, tune half, out of fold\n")
    print("| verdict | precision | recall |\n|---|---|---|")
    v.show(v.flagged, "as a line of a kept item (rules, regression or stacked)")
    furniture = [i for i in np.nonzero(v.on_pages & (v.labels == 1))[0]]
    missed = [i for i in furniture if not v.flagged[i]]
    every, lost = Counter(kind_of(v.texts[i]) for i in furniture), Counter(kind_of(v.texts[i]) for i in missed)
    print(f"\n{len(missed)} of {len(furniture)} furniture blocks missed "
          f"({sum(v.units[i] > _TITLE_MAX_WORDS for i in missed)} of them 16+ words)\n")
    print("| kind | missed | share of misses | blocks | recall |\n|---|---|---|---|---|")
    for kind, count in lost.most_common():
        print(f"| {kind} | {count} | {count / len(missed):.3f} | {every[kind]} | {1 - count / every[kind]:.2f} |")
    rng = random.Random(1)
    for kind, _ in lost.most_common():
        found = [i for i in missed if kind_of(v.texts[i]) == kind]
        print(f"\n{kind}:")
        for i in rng.sample(found, min(examples, len(found))):
            print(f"    {v.linear[i]:.2f} {v.stacked[i]:.2f} | {v.texts[i][:130]!r}")


def levers_table(v: Verdicts, n_pages: int):
    """Each lever's out-of-fold precision and recall; returns the neighbour regression fitted on
    every training block and its thresholds (for held_out)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from newsdesk.clean import _TITLE_MAX_WORDS

    labels, groups, units, rules, stacked = v.labels, v.groups, v.units, v.rules, v.stacked
    s, s_long = v.stacked_thresholds
    print("\n## 2. Levers, tune half, out of fold (pages, 4+ word blocks)\n")
    print("| verdict | precision | recall |\n|---|---|---|")
    v.show(rules | by_length(stacked, units, two_lengths(s, s_long)), "stacked alone, two lengths")
    four = [(4, 7), (8, 15), (16, 30), (31, 10**9)]
    per_bin = {b: train_junk.news_safe_threshold(stacked, list(labels), groups,
                                                 list(np.nonzero((units >= b[0]) & (units <= b[1]))[0]), PRECISION)
               for b in four}
    v.show(rules | by_length(stacked, units, per_bin), "stacked alone, four lengths")
    v.show(rules | v.regression | by_length(stacked, units, per_bin), "regression or stacked, four lengths")
    v.show(rules | v.regression | ((stacked >= s_long) & (units > _TITLE_MAX_WORDS)), "trees only on 16+ words")
    long = [i for i in np.nonzero(units > _TITLE_MAX_WORDS)[0]]
    uncapped = (train_junk.precise_threshold(v.linear[long], labels[long], PRECISION),
                train_junk.precise_threshold(stacked[long], labels[long], PRECISION))
    short = v.linear >= np.where(units > _TITLE_MAX_WORDS, uncapped[0], 2.0)
    v.show(rules | v.regression | short | by_length(stacked, units, two_lengths(s, uncapped[1])),
           f"16+ word thresholds by precision alone ({uncapped[0]:.2f}, {uncapped[1]:.2f})")
    is_long = (units > _TITLE_MAX_WORDS).astype(float)
    z_linear, z_boosted = train_junk._logit(v.linear), train_junk._logit(v.boosted)
    sized = _out_of_fold(np.column_stack([z_linear, z_boosted, z_linear * is_long, z_boosted * is_long,
                                          np.log1p(units)]), labels, groups)
    z, z_long = train_junk.thresholds(sized, v.texts, list(labels), groups, PRECISION, "stacker with length")
    v.show(rules | v.regression | by_length(sized, units, two_lengths(z, z_long)), "regression or a stacker with length")
    with_context = _neighbours(stacked, units, groups, n_pages)
    probabilities = _out_of_fold(with_context, labels, groups)
    c, c_long = train_junk.thresholds(probabilities, v.texts, list(labels), groups, PRECISION, "with neighbours")
    v.show(rules | by_length(probabilities, units, two_lengths(c, c_long)), "stacked with its neighbours' log-odds")
    v.show(rules | v.regression | by_length(probabilities, units, two_lengths(c, c_long)),
           "regression or stacked with its neighbours' log-odds")
    neighbours = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(with_context, labels)
    return neighbours, two_lengths(c, c_long)


def _out_of_fold(X, labels, groups):
    """Out-of-fold probabilities of a small logistic regression over `X` (4 folds by page)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    probabilities = np.zeros(len(labels))
    for train, test in GroupKFold(n_splits=4).split(X, labels, groups):
        model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
        probabilities[test] = model.fit(X[train], labels[train]).predict_proba(X[test])[:, 1]
    return probabilities


def more_negatives(texts: list[str], labels: list[int], groups: list[str], n_pages: int, linear) -> None:
    """The regression refitted with more news paragraphs of the even Multi-News clusters as
    negatives (not counted among the news that raises the thresholds), against the regression
    as trained, on the tune pages' 4+ word blocks out of fold."""
    import numpy as np

    from newsdesk.clean import _TITLE_MAX_WORDS, text_units

    seen = set(texts)
    extra = [(t, a) for t, a in train_junk.multi_news_paragraphs(seed=1, per_article=6) if t not in seen]
    more_texts = texts + [t for t, _ in extra]
    more_labels = labels + [0] * len(extra)
    more_groups = groups + [f"more-{a}" for _, a in extra]
    refitted = train_junk.out_of_fold(train_junk.features(more_texts), more_labels, more_groups, 10.0)
    units = np.array([text_units(t) for t in texts[:n_pages]])
    y = np.asarray(labels[:n_pages])[units >= 4]
    for name, probabilities, count in (("regression as trained", linear, len(texts)),
                                       (f"regression, {len(extra):,} more news paragraphs", refitted, len(more_texts))):
        t, t_long = train_junk.thresholds(np.asarray(probabilities[:count]), more_texts[:count], more_labels[:count],
                                          more_groups[:count], PRECISION, name)
        flags = np.where(units > _TITLE_MAX_WORDS, probabilities[:n_pages] >= t_long,
                         probabilities[:n_pages] >= t)[units >= 4]
        print(f"| {name} | {y[flags].mean():.3f} | {flags[y == 1].mean():.3f} |")


def held_out(neighbours, thresholds: dict) -> None:
    """The neighbour lever on the held-out pages, once: the shipped model scores their blocks
    (it never saw those pages), and the neighbour regression fitted above on the tune half
    reads them in page order."""
    import numpy as np

    from newsdesk.clean import _WORD, _cue_reason, _looks_like_link_list, junk_model, text_units

    pages = train_junk.page_set("test")
    texts, labels = [b["text"] for b in pages], np.array([b["junk"] for b in pages])
    groups = [b["page"] for b in pages]
    units = np.array([text_units(t) for t in texts])
    judged = units >= 4
    model = junk_model()
    regression, stacked = model.probabilities(texts, lines=True)
    rules = np.array([bool(j and (_cue_reason(t) or _looks_like_link_list(_WORD.findall(t), t)))
                      for t, j in zip(texts, judged)])
    current = rules | np.array([j and (r >= model.threshold_for(u) or s >= model.threshold_for(u, True))
                                for j, r, s, u in zip(judged, regression, stacked, units)])
    alone = rules | np.array([j and s >= model.threshold_for(u, True) for j, s, u in zip(judged, stacked, units)])
    with_context = by_length(neighbours.predict_proba(_neighbours(stacked, units, groups, len(texts)))[:, 1],
                             units, thresholds)
    regression_flags = np.array([r >= model.threshold_for(u) for r, u in zip(regression, units)])
    print("\n## 3. Held-out pages, 4+ word blocks, the shipped model (looked at once)\n")
    print("| verdict | precision | recall | F1 |\n|---|---|---|---|")
    for name, flags in (("as a line of a kept item now (rules, regression or stacked)", current),
                        ("stacked alone", alone), ("stacked with its neighbours' log-odds", rules | with_context),
                        ("regression or stacked with its neighbours", rules | regression_flags | with_context)):
        y, f = labels[judged], (flags & judged)[judged]
        p, r = y[f].mean(), f[y == 1].mean()
        print(f"| {name} | {p:.3f} | {r:.3f} | {2 * p * r / (p + r):.3f} |")


def _neighbours(stacked, units, groups, n_pages: int):
    """Each block's stacked log-odds, those of the two blocks before and after it on its page
    (0 where there is none, with flags for the next ones), their max and min, and its length."""
    import numpy as np

    z = train_junk._logit(stacked)
    columns, present = [], []
    for step in (-1, 1, -2, 2):
        values, has = np.zeros(len(z)), np.zeros(len(z))
        for i in range(n_pages):
            j = i + step
            if 0 <= j < n_pages and groups[j] == groups[i]:
                values[i], has[i] = z[j], 1.0
        columns.append(values)
        present.append(has)
    return np.column_stack([z, *columns, *present[:2], np.maximum(columns[0], columns[1]),
                            np.minimum(columns[0], columns[1]), np.log1p(units)])


if __name__ == "__main__":
    sys.exit(main())
