"""Train newsdesk's junk model (src/newsdesk/data/junk_model.npz) and learn its page labels
(the learned part of src/newsdesk/data/boilerplate_labels.txt).

    python benchmarks/train_junk.py [--out PATH] [--labels-out PATH] [--c C] [--precision P] [--no-trees]

Data (read in place from ../shared/data; only the TRAIN halves, so that benchmarks/junk.py
scores pages the model has not seen):
  - article-extraction-benchmark: the 181 real news pages, sorted by id; the even-indexed ones
    (0, 2, ...) train. Each page is cut into blocks (the text of each block-level element,
    see `page_blocks`). A block found in the gold article is news; the page's own headline
    and link-only blocks of five or more words that carry no boilerplate cue (the headlines of
    other stories in "most read" lists) are news too, since a headline is news in a pile; a
    block that is neither (nor half in the article) is page furniture: navigation, bylines,
    share bars, captions, consent and newsletter text, related teasers, footers.
  - boilerplate/*.jsonl: the blocks of the pages whose sorted page_file index is even.
  - PolNeAR train (840 US news articles): their headlines and paragraphs, English news.
  - Multi-News, the even-indexed clusters of the 250-cluster sample: a few whole-sentence
    paragraphs of each article (news of other outlets; the odd clusters stay unseen).
The model is logistic regression (scikit-learn, liblinear, C 10, balanced classes, seed 0)
over hashed character 2-4-grams, word 1-2-grams and the shape features of
newsdesk.clean.block_features. Its threshold is the lowest probability at which out-of-fold
predictions (4 folds grouped by page) on the training blocks of 4+ words (the ones the model
judges) reach precision --precision (0.97) on page furniture, raised to at least 0.5 (the
former rule, 0.98 over blocks of any length, came to a little under 0.97 on the 4+ word ones)
and above every news paragraph of other outlets (PolNeAR, Multi-News). Blocks longer than any
headline (16+ words, newsdesk.clean._TITLE_MAX_WORDS) get a threshold of their own by the same
rule: the news that reads most like furniture is short (headlines, bylines), so long furniture
is told apart at a lower probability (out-of-fold recall of 16+ word furniture 0.35 at the
overall threshold, 0.43 at its own, precision 0.99 both).
Out-of-fold recall of 4+ word furniture at that precision: 0.33 with C 3 and the former
features and data; with the byline/date/comment shape features and the Multi-News paragraphs,
0.36 with C 10, 0.39 with C 30 and 0.41 with C 100 (with a headline-shape feature
since dropped). C 30 and 100 were not taken: their sharper
probabilities drop more real news as items (Google News titles 10 and 20 non-short drops
against 6 with C 10 and 11 before; two more Multi-News articles, a Facebook policy post among
them), and a news item dropped costs more than a junk line kept.
The trees (issue 16, point 5; `--no-trees` leaves them out): boosted trees (scikit-learn's
histogram GBDT) over each block's static sentence embedding (newsdesk.embed.StaticMiniLM, 256
dimensions) and shape features, stacked with the regression by a logistic regression over the
two out-of-fold log-odds, with thresholds set by the same rule on the stacked out-of-fold
probabilities (newsdesk.clean.Trees scores the exported trees without scikit-learn).
Out-of-fold recall of 4+ word furniture at precision 0.97: 0.357 for the regression, 0.357
for the trees alone, 0.480 stacked (the run of 2026-12-07; 0.318 and 0.484 in an earlier run:
the trees' threads and the locally distilled embeddings vary a little; the embeddings added to
the regression's columns instead: 0.364 at weight 1, 0.334 at 3, 0.325 at 6). The stacked
model judges only the lines cut from a kept item (newsdesk.clean.junk_spans), with the
regression: a line is cut when either flags it. As the verdict on whole items it dropped more
real news (Google News titles 131 against 29, UCI 7 against 2, non-English SemEval 9 against
4): its probabilities are not calibrated for items, so a whole item is judged by the
regression alone. Page labels are the short
(1-3 word) furniture blocks found on at least 3 training sites and never in an article.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
PAGES = DATA / "article-extraction-benchmark"
BOILERPLATE = DATA / "boilerplate"
POLNEAR = DATA / "polnear" / "data" / "train" / "text"
MULTI_NEWS = DATA / "multinews-sample" / "multinews-250-test-sample.csv"
MODEL_OUT = ROOT / "src" / "newsdesk" / "data" / "junk_model.npz"
LABELS_OUT = ROOT / "src" / "newsdesk" / "data" / "boilerplate_labels.txt"
SEED = 0

_BLOCK_TAGS = frozenset("""p div li h1 h2 h3 h4 h5 h6 td th tr section article header footer nav aside
    blockquote figcaption figure dt dd pre form table ul ol main address body button label option
    select caption summary details""".split())
_SKIP_TAGS = frozenset("script style noscript template svg iframe head meta link object embed canvas map".split())
_HEADINGS = frozenset("h1 h2 h3".split())
_WORD = re.compile(r"\w+")


# --- page blocks

def page_blocks(html: bytes) -> list[tuple[str, float, object]]:
    """(text, share of its characters inside links, innermost block element) of each block of
    a page: the text of each block-level element, its inline children included."""
    from trafilatura.utils import load_html

    root = load_html(html)
    if root is None:
        return []
    blocks: list[tuple[str, float, object]] = []
    buffer: list[str] = []
    linked = [0]

    def flush(element) -> None:
        text = " ".join("".join(buffer).split())
        if text:
            blocks.append((text, linked[0] / len(text), element))
        buffer.clear()
        linked[0] = 0

    def add(text: str, in_link: bool) -> None:
        buffer.append(text)
        if in_link:
            linked[0] += len(" ".join(text.split()))

    def walk(element, in_link: bool, block_above) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIP_TAGS:
            if element.tail:
                add(element.tail, in_link)
            return
        block = tag in _BLOCK_TAGS
        if block or tag == "br":
            flush(block_above)
        inner = element if block else block_above
        link = in_link or tag == "a"
        if element.text:
            add(element.text, link)
        for child in element:
            walk(child, link, inner)
        if block:
            flush(inner)
        if element.tail:
            add(element.tail, in_link)

    body = root.find("body")
    body = body if body is not None else root
    walk(body, False, body)
    return blocks


_CARD_MAX_CHARS = 1500  # a teaser card: a headline link and its summary, well under an article
_CAPTION = re.compile(r"caption|credit", re.IGNORECASE)


def _tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _in_caption(element) -> bool:
    for up in (element, *list(element.iterancestors())[:3]):
        if _tag(up) == "figcaption" or _CAPTION.search(" ".join([up.get("class") or "", up.get("id") or ""])):
            return True
    return False


def _in_teaser_card(element, text: str) -> bool:
    """Whether a prose block sits in a small container that also holds a headline link of five
    or more words: the summary of another story ("related", "most read" cards)."""
    from newsdesk.clean import text_units

    for up in list(element.iterancestors())[:3]:
        if len(" ".join(up.text_content().split())) > _CARD_MAX_CHARS:
            return False
        for link in up.iter("a"):
            words = " ".join(link.text_content().split())
            if words != text and text_units(words) >= 5:
                return True
    return False


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _trigrams(words: list[str]) -> set:
    return {tuple(words[i:i + 3]) for i in range(max(1, len(words) - 2))}


def _page_titles(html: bytes) -> set[str]:
    """The page's own headline as its <title> and og:title give it (a site name cut off)."""
    from trafilatura.utils import load_html

    root = load_html(html)
    found = set()
    for text in root.xpath("//title/text() | //meta[@property='og:title']/@content") if root is not None else ():
        title = normal(text)
        found.add(title)
        found.update(normal(part) for part in re.split(r"\s[|\-–—:]\s", text) if len(part.split()) >= 3)
    return found


def label_page(html: bytes, gold: str) -> list[dict]:
    """The distinct blocks of a page with `junk` and `kind`: "article" (in the gold article),
    "headline" (the page's own, a heading of 4+ words, or a link-only block of 5+ words without
    a boilerplate cue: another story's headline), "story" (prose of 8+ words in a teaser card:
    another story's summary), "caption" (photo captions and credits: left out of training and
    scores, being neither news nor furniture) or "furniture" (the rest: navigation, bylines,
    share bars, consent and newsletter text, forms, footers). Blocks half in the article are
    left out; junk is True for furniture only."""
    from newsdesk.clean import cue_weights, text_units

    gold_normal = normal(gold)
    paragraphs = {normal(p) for p in gold.splitlines() if p.strip()}
    gold_grams = _trigrams(_WORD.findall(gold_normal))
    titles = _page_titles(html)
    seen, out = set(), []
    for text, linked, element in page_blocks(html):
        key = normal(text)
        words = _WORD.findall(key)
        if not words or key in seen:
            continue
        seen.add(key)
        if len(words) < 4:
            in_article = key in paragraphs
        elif re.search(rf"(?<!\w){re.escape(key)}(?!\w)", gold_normal):
            in_article = True
        else:
            overlap = len(_trigrams(words) & gold_grams) / len(_trigrams(words))
            if overlap > 0.8:
                in_article = True
            elif overlap >= 0.3:
                continue  # partly article: neither
            else:
                in_article = False
        units = text_units(text)
        if in_article:
            kind = "article"
        elif cue_weights(text):
            kind = "furniture"
        elif key in titles or (_tag(element) in _HEADINGS and units >= 4) or (linked >= 0.9 and units >= 5):
            kind = "headline"
        elif _in_caption(element):
            kind = "caption"
        elif units >= 8 and linked < 0.5 and _in_teaser_card(element, text):
            kind = "story"
        else:
            kind = "furniture"
        if kind != "caption":
            out.append({"text": text, "junk": kind == "furniture", "kind": kind})
    return out


def page_ids(part: str) -> list[str]:
    """Page ids of one half: "train" (even sorted index), "test" (odd) or "all"."""
    truth = json.loads((PAGES / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)
    return ids if part == "all" else ids[0 if part == "train" else 1::2]


@lru_cache(maxsize=3)
def page_set(part: str) -> list[dict]:
    """Labelled blocks of the pages of one half, each with its `page` id."""
    truth = json.loads((PAGES / "ground-truth.json").read_text(encoding="utf-8"))
    blocks = []
    for pid in page_ids(part):
        html = gzip.decompress((PAGES / "html" / f"{pid}.html.gz").read_bytes())
        blocks += [dict(b, page=pid, url=truth[pid].get("url")) for b in label_page(html, truth[pid]["articleBody"])]
    return blocks


def boilerplate_set(part: str) -> list[dict]:
    """The blocks of ../shared/data/boilerplate of one half (split by sorted page_file index)."""
    rows = []
    for name, junk in (("boilerplate.jsonl", True), ("article-paragraphs.jsonl", False)):
        with open(BOILERPLATE / name, encoding="utf-8") as f:
            rows += [dict(json.loads(line), junk=junk) for line in f if line.strip()]
    files = sorted({r["page_file"] for r in rows})
    chosen = set(files if part == "all" else files[0 if part == "train" else 1::2])
    return [r for r in rows if r["page_file"] in chosen]


def polnear_paragraphs(seed: int = SEED, per_article: int = 4) -> list[str]:
    """The headline and a few paragraphs of each PolNeAR train article."""
    rng = random.Random(seed)
    found = []
    for path in sorted(POLNEAR.glob("*.txt")):
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        if paragraphs:
            found.append(paragraphs[0])
            found += rng.sample(paragraphs[1:], min(per_article, len(paragraphs) - 1))
    return found


def multi_news_paragraphs(seed: int = SEED, per_article: int = 3) -> list[tuple[str, str]]:
    """(paragraph, article name) of a few news paragraphs of each article of the even-indexed
    Multi-News clusters: news from other outlets and years than PolNeAR, so the model does not
    learn one newspaper's style as "news". Only whole sentences of 6+ words without a strong
    boilerplate cue are taken, since scraped articles carry furniture lines of their own."""
    import ast
    import csv

    from newsdesk.clean import _ENDS_COMPLETE, _strong_weight, text_units

    rng = random.Random(seed)
    csv.field_size_limit(1 << 30)
    found = []
    with open(MULTI_NEWS, encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if i % 2:
                continue  # odd clusters stay unseen
            for j, doc in enumerate(ast.literal_eval(row["documents"])):
                paragraphs = [p.strip() for p in doc.split("\n") if p.strip()]
                paragraphs = [p for p in paragraphs
                              if text_units(p) >= 6 and _ENDS_COMPLETE.search(p) and not _strong_weight(p)]
                found += [(p, f"multinews-{i}-{j}") for p in rng.sample(paragraphs, min(per_article, len(paragraphs)))]
    return found


# --- training

def training_set() -> tuple[list[str], list[int], list[str]]:
    """Texts, labels (1 = junk) and group names (site) of the training halves."""
    texts, labels, groups = [], [], []
    for b in page_set("train"):
        texts.append(b["text"]), labels.append(int(b["junk"])), groups.append(b["page"])
    for b in boilerplate_set("train"):
        texts.append(b["text"]), labels.append(int(b["junk"])), groups.append(b["page_file"])
    for i, text in enumerate(polnear_paragraphs()):
        texts.append(text), labels.append(0), groups.append(f"polnear-{i // 5}")
    if MULTI_NEWS.exists():
        for text, article in multi_news_paragraphs():
            texts.append(text), labels.append(0), groups.append(article)
    return texts, labels, groups


def features(texts: list[str]):
    from scipy.sparse import csr_matrix, hstack

    from newsdesk.clean import block_features

    grams, shape = block_features(texts)
    return hstack([grams, csr_matrix(shape)]).tocsr()


def fit(X, labels, c: float):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=1000, random_state=SEED)
    return model.fit(X, np.asarray(labels))


def out_of_fold(X, labels, groups, c: float, folds: int = 4):
    """Probabilities of each training block from a model fitted without its page (or site)."""
    import numpy as np
    from sklearn.model_selection import GroupKFold

    labels = np.asarray(labels)
    probabilities = np.zeros(len(labels))
    for train, test in GroupKFold(n_splits=folds).split(X, labels, groups):
        probabilities[test] = fit(X[train], labels[train], c).predict_proba(X[test])[:, 1]
    return probabilities


def precise_threshold(probabilities, labels, precision: float) -> float:
    """The lowest threshold (>= 0.5) at which the junk precision reaches `precision`."""
    import numpy as np

    probabilities = np.asarray(probabilities)
    order = np.argsort(-probabilities)
    labels = np.asarray(labels)[order]
    hits = np.cumsum(labels)
    ranks = np.arange(1, len(labels) + 1)
    ok = np.nonzero(hits / ranks >= precision)[0]
    if not len(ok):
        return 0.99
    return float(max(0.5, probabilities[order][ok.max()]))


def news_safe_threshold(probabilities, labels, groups, chosen: list[int], precision: float) -> float:
    """The threshold over the blocks `chosen`: where out-of-fold precision reaches `precision`
    (see precise_threshold), raised above every news paragraph of other outlets (PolNeAR,
    Multi-News), since a news item dropped costs more than a junk line kept."""
    import numpy as np

    threshold = precise_threshold(probabilities[chosen], [labels[i] for i in chosen], precision)
    news = [probabilities[i] for i in chosen if groups[i].startswith(("polnear-", "multinews-"))]
    return max(threshold, float(np.nextafter(max(news), 1.0))) if news else threshold


def save(model, threshold: float, long_threshold: float, out: Path, stacked: dict | None = None) -> None:
    """The weights as the package reads them (newsdesk.clean.junk_model): the n-gram weights
    that are not zero, as float16; with `stacked` (see stack_arrays), the trees, the stacking
    weights and the thresholds of the stacked model."""
    import numpy as np

    from newsdesk.clean import HASH_COLUMNS, SHAPE_FEATURES

    weights = model.coef_[0]
    grams, shape = weights[:2 * HASH_COLUMNS], weights[2 * HASH_COLUMNS:]
    assert len(shape) == len(SHAPE_FEATURES)
    index = np.nonzero(np.abs(grams) >= 1e-4)[0].astype(np.int32)
    np.savez_compressed(out, ngram_index=index, ngram_value=grams[index].astype(np.float16),
                        shape_weights=shape.astype(np.float32), bias=np.float32(model.intercept_[0]),
                        threshold=np.float32(threshold), long_threshold=np.float32(long_threshold),
                        hash_columns=np.int64(HASH_COLUMNS), **(stacked or {}))


# --- trees over static embeddings, stacked with the regression

TREE_ITERATIONS = 300


def fit_trees(X, labels):
    """Boosted trees (scikit-learn's histogram GBDT, balanced classes, seed 0) over the static
    embedding and shape features of each block (newsdesk.clean.tree_features)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(max_iter=TREE_ITERATIONS, class_weight="balanced", random_state=SEED)
    return model.fit(X, np.asarray(labels))


def tree_arrays(model) -> dict:
    """A fitted HistGradientBoostingClassifier as newsdesk.clean.Trees reads it: every tree's
    nodes side by side (children indices shifted to match), the roots and the baseline."""
    import numpy as np

    nodes = [predictors[0].nodes for predictors in model._predictors]
    starts = np.cumsum([0] + [len(n) for n in nodes[:-1]])
    every = np.concatenate(nodes)
    shift = np.repeat(starts, [len(n) for n in nodes])
    if every["is_categorical"].any():
        raise ValueError("categorical splits are not supported")
    return {"tree_roots": starts.astype(np.int32), "tree_feature": every["feature_idx"].astype(np.int32),
            "tree_cut": every["num_threshold"].astype(np.float64),
            "tree_left": (every["left"] + shift).astype(np.int32),
            "tree_right": (every["right"] + shift).astype(np.int32),
            "tree_value": every["value"].astype(np.float64), "tree_leaf": every["is_leaf"].astype(bool),
            "tree_baseline": np.float64(model._baseline_prediction.ravel()[0])}


def _logit(p):
    import numpy as np

    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def stack_out_of_fold(linear, boosted, labels, groups, folds: int = 4):
    """(stacker, out-of-fold probabilities of the stacked model): a logistic regression over the
    out-of-fold log-odds of the n-gram regression and of the trees, itself scored out of fold."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    Z, labels = np.column_stack([_logit(linear), _logit(boosted)]), np.asarray(labels)

    def make():
        return LogisticRegression(C=1.0, class_weight="balanced")

    probabilities = np.zeros(len(labels))
    for train, test in GroupKFold(n_splits=folds).split(Z, labels, groups):
        probabilities[test] = make().fit(Z[train], labels[train]).predict_proba(Z[test])[:, 1]
    return make().fit(Z, labels), probabilities


# --- page labels

_LEARNED = "# --- learned by benchmarks/train_junk.py"


def learn_labels(min_sites: int = 3) -> list[tuple[str, str]]:
    """(kind, label) of the short furniture blocks seen on at least `min_sites` training sites
    and never inside an article."""
    from newsdesk.clean import REASONS, _label_key, _top_kind, cue_weights, text_units

    sites, in_article = defaultdict(set), set()
    pages = page_set("train")
    for b in pages:
        key = _label_key(b["text"])
        if b["kind"] == "article":
            in_article.add(key)
        elif b["junk"] and key and text_units(b["text"]) <= 3 and len(key) <= 40:
            sites[key].add(re.sub(r"^https?://(www\.)?", "", b["url"] or b["page"]).split("/")[0])
    labels = []
    for key, where in sorted(sites.items()):
        if len(where) >= min_sites and key not in in_article:
            weights = cue_weights(key, weak_too=True)
            kind = _top_kind(weights) if weights else "nav"
            labels.append((kind if kind in REASONS else "nav", key))
    return labels


def write_labels(labels: list[tuple[str, str]], path: Path) -> None:
    """Replace the learned part of the labels file (everything after the `_LEARNED` line)."""
    text = path.read_text(encoding="utf-8")
    head = text.split(_LEARNED)[0].rstrip("\n")
    body = "\n".join(f"{kind}\t{label}" for kind, label in labels)
    path.write_text(f"{head}\n\n{_LEARNED} (short furniture blocks on >= 3 training sites)\n{body}\n",
                    encoding="utf-8")


def thresholds(probabilities, texts, labels, groups, precision: float, name: str) -> tuple[float, float]:
    """(threshold, threshold for blocks of 16+ words) of out-of-fold `probabilities`, printed
    with the out-of-fold precision and recall they give."""
    import numpy as np

    from newsdesk.clean import _MODEL_MIN_WORDS, _TITLE_MAX_WORDS, text_units

    # Calibrated on the blocks the model judges: shorter ones go to the page labels instead
    # (newsdesk.clean._MODEL_MIN_WORDS), and counting them would overstate the precision.
    judged = [i for i, text in enumerate(texts) if text_units(text) >= _MODEL_MIN_WORDS]
    threshold = news_safe_threshold(probabilities, labels, groups, judged, precision)
    judged_labels = np.asarray(labels)[judged]
    flagged = probabilities[judged] >= threshold
    print(f"{name}, out-of-fold, 4+ word blocks: precision {judged_labels[flagged].mean():.3f}, "
          f"recall {flagged[judged_labels == 1].mean():.3f}")
    # Blocks longer than any headline get their own threshold at the same precision: the news
    # that reads like furniture is short, so long blocks are told apart at a lower probability.
    long = [i for i in judged if text_units(texts[i]) > _TITLE_MAX_WORDS]
    long_threshold = min(threshold, news_safe_threshold(probabilities, labels, groups, long, precision))
    long_labels = np.asarray(labels)[long]
    for label, at in (("threshold", threshold), ("long threshold", long_threshold)):
        hit = probabilities[long] >= at
        print(f"{name}, out-of-fold, blocks of {_TITLE_MAX_WORDS + 1}+ words at the {label}: "
              f"precision {long_labels[hit].mean():.3f}, recall {hit[long_labels == 1].mean():.3f}")
    print(f"{name}: threshold {threshold:.3f}, {long_threshold:.3f} for blocks of {_TITLE_MAX_WORDS + 1}+ words")
    return threshold, long_threshold


def stacked_model(texts, labels, groups, linear_out_of_fold, precision: float) -> dict:
    """The trees over static embeddings and shape features, stacked with the n-gram regression
    (its out-of-fold probabilities `linear_out_of_fold`), as arrays for save()."""
    import numpy as np
    from sklearn.model_selection import GroupKFold

    from newsdesk.clean import tree_features

    X, y = tree_features(texts), np.asarray(labels)
    boosted = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=4).split(X, y, groups):
        boosted[test] = fit_trees(X[train], y[train]).predict_proba(X[test])[:, 1]
    thresholds(boosted, texts, labels, groups, precision, "trees alone")
    stacker, probabilities = stack_out_of_fold(linear_out_of_fold, boosted, labels, groups)
    threshold, long_threshold = thresholds(probabilities, texts, labels, groups, precision, "stacked")
    return {**tree_arrays(fit_trees(X, y)),
            "stack": np.array([*stacker.coef_[0], stacker.intercept_[0]], dtype=np.float64),
            "stack_threshold": np.float32(threshold), "stack_long_threshold": np.float32(long_threshold)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_OUT)
    parser.add_argument("--labels-out", type=Path, default=LABELS_OUT)
    parser.add_argument("--c", type=float, default=10.0, help="inverse regularisation strength")
    parser.add_argument("--precision", type=float, default=0.97, help="out-of-fold junk precision to reach")
    parser.add_argument("--no-trees", dest="trees", action="store_false",
                        help="leave out the boosted trees over static embeddings (the lines' stacked model)")
    args = parser.parse_args(argv)

    if not PAGES.exists():
        print(f"data not found: {PAGES}", file=sys.stderr)
        return 1
    write_labels(learn_labels(), args.labels_out)
    texts, labels, groups = training_set()
    print(f"{len(texts)} training blocks ({sum(labels)} furniture)", Counter(labels))
    X = features(texts)
    probabilities = out_of_fold(X, labels, groups, args.c)
    threshold, long_threshold = thresholds(probabilities, texts, labels, groups, args.precision, "n-grams")
    stacked = stacked_model(texts, labels, groups, probabilities, args.precision) if args.trees else None
    save(fit(X, labels, args.c), threshold, long_threshold, args.out, stacked)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
