"""Story similarity across languages: SemEval-2022 Task 8 article pairs, embedders side by side.

    python benchmarks/multilingual.py [--embedders minilm,multilingual] [--lexical-weight 0.4]
    python benchmarks/multilingual.py --stories [--member-similarity none] [--half tune]
    python benchmarks/multilingual.py --dropped   # articles the cleaning stage drops, per language
    python benchmarks/multilingual.py --baselines > src/newsdesk/data/multilingual_baselines.tsv
    python benchmarks/multilingual.py --cross-baselines > src/newsdesk/data/multilingual_cross_baselines.tsv

Data (read in place): ../shared/data/semeval2022-task8/pairs.csv, 1,221 real news article pairs
in 10 languages (16 pairings here, 5 of them cross-lingual) with human scores from 1 (very
similar) to 4 (very dissimilar). A few texts still carry mojibake (UTF-8 read as cp1252):
ftfy repairs it. Each article is represented by its first CHARS (300) characters, about its
headline and lead (`--chars`).

Hold-out: each pair falls in the "tune" or the "hold" half by a hash of its pair id (about
half each, the same every run). The one story threshold per embedder and score is chosen on the
tune half only (the cosine that maximises the mean of the two shares below over all its
pairs); every figure is printed for both halves.

Per pairing (de, es, ... monolingual; de-en, zh-en, ... cross-lingual):

* together: share of same-event pairs (Overall <= 1.5) whose similarity is at or above the
  threshold (they would share a story);
* apart: share of different pairs (Overall >= 3.5) below it;
* r: Pearson correlation of the similarity with -Overall (1 = very similar), next to the task
  winner's published 0.818 (on the official evaluation set, not this split: a reference point,
  not a like-for-like comparison).

Scores: "cosine" (embedding alone) and "blended" (what newsdesk.cluster mixes:
(1 - w) * cosine + w * word TF-IDF cosine, the TF-IDF fitted on all the texts here, w =
`Options.story_lexical_weight` by default), "blended, imputed" (across languages, the word part
is the one expected for the pair's cosine, see :func:`blended_imputed`), with English stop
words taken out (as newsdesk.cluster) or those of all the languages; with both embedders, the
option "(b)": MiniLM for two English texts, the multilingual cosine calibrated to MiniLM's
scale for every other pair (see :func:`hybrid`). Then, for the duplicate
thresholds, the distribution of cosines of different pairs per language (paraphrase-duplicate
merging must stay above them) and of cross-lingual pairs scored exactly 1 ("translation_of"
candidates).

Speed and memory of the embedders are in benchmarks/speed.py
(`--backends minilm-onnx,multilingual`).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT.parent / "shared" / "data" / "semeval2022-task8" / "pairs.csv"
SAME_MAX = 1.5
"""Overall at or below which a pair reports one event (should share a story)."""
DIFFERENT_MIN = 3.5
"""Overall at or above which a pair reports different events (should stay apart)."""
WINNER_PEARSON = 0.818
"""SemEval-2022 Task 8 winner (HFL), Pearson on the official evaluation set."""
HALVES = ("tune", "hold")
CHARS = 300
"""Characters of each article embedded: about a headline and its first sentence or two. The
story clustering reads up to newsdesk.cluster.CLUSTER_CHARS (1,000); 300 keeps a full run of
the 12-layer multilingual model within minutes on two shared cores (`--chars 1000` for the
clustering's own cut)."""


@dataclass(frozen=True)
class Pair:
    pair_id: str
    lang1: str
    lang2: str
    text1: str
    text2: str
    overall: float

    @property
    def pairing(self) -> str:
        return self.lang1 if self.lang1 == self.lang2 else f"{self.lang1}-{self.lang2}"

    @property
    def cross(self) -> bool:
        return self.lang1 != self.lang2

    @property
    def half(self) -> str:
        return half_of(self.pair_id)


def half_of(pair_id: str) -> str:
    """"tune" or "hold", by a hash of the id (stable across runs and Python versions)."""
    return HALVES[hashlib.sha1(pair_id.encode("utf-8")).digest()[-1] % 2]


def repair(text: str) -> str:
    """Mojibake repaired (ftfy), other characters as they are (no width or quote changes)."""
    import ftfy

    return ftfy.fix_text(text, uncurl_quotes=False, fix_character_width=False).strip()


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    with open(path, encoding="utf-8", newline="") as f:
        return [Pair(row["pair_id"], row["lang1"], row["lang2"], repair(row["text1"]),
                     repair(row["text2"]), float(row["Overall"]))
                for row in csv.DictReader(f)]


# ---------------------------------------------------------------- scores


def cosines(pairs: list[Pair], embedder_name: str, chars: int = CHARS) -> np.ndarray:
    """Embedding cosine of each pair's two texts, each cut to its first `chars` characters."""
    from newsdesk.embed import get_embedder

    embedder = get_embedder(embedder_name)
    texts = [p.text1[:chars] for p in pairs] + [p.text2[:chars] for p in pairs]
    vectors = embedder.encode(texts)
    return (vectors[: len(pairs)] * vectors[len(pairs):]).sum(axis=1)


def lexical(pairs: list[Pair], chars: int = CHARS) -> np.ndarray:
    """Word TF-IDF cosine of each pair (newsdesk.cluster.tfidf, fitted on all the texts)."""
    from newsdesk.cluster import tfidf

    texts = [p.text1[:chars] for p in pairs] + [p.text2[:chars] for p in pairs]
    words = tfidf(texts)
    n = len(pairs)
    return np.asarray(words[:n].multiply(words[n:]).sum(axis=1)).ravel()


def lexical_all_stop_words(pairs: list[Pair], chars: int = CHARS) -> np.ndarray:
    """As :func:`lexical`, with the stop words of all the pairs' languages taken out (spaCy's
    lists; newsdesk.cluster takes out English ones only, so "der", "und", "в" count as shared
    words between two unrelated German or Russian articles)."""
    import importlib

    from sklearn.feature_extraction.text import TfidfVectorizer

    from newsdesk.cluster import _WORD, _stop_words

    stop = set(_stop_words())
    for lang in sorted({p.lang1 for p in pairs} | {p.lang2 for p in pairs}):
        stop |= set(importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)
    texts = [p.text1[:chars] for p in pairs] + [p.text2[:chars] for p in pairs]
    vectorizer = TfidfVectorizer(sublinear_tf=True, token_pattern=_WORD.pattern, lowercase=True,
                                 stop_words=sorted(w.lower() for w in stop), dtype=np.float32)
    with warnings.catch_warnings():  # spaCy's lists hold a few pieces the token pattern splits
        warnings.simplefilter("ignore", UserWarning)
        words = vectorizer.fit_transform(texts)
    n = len(pairs)
    return np.asarray(words[:n].multiply(words[n:]).sum(axis=1)).ravel()


def calibration(pairs: list[Pair], english: np.ndarray, multilingual: np.ndarray) -> tuple[float, float]:
    """(a, b) of the least-squares line english_cos ~ a + b * multilingual_cos over the English
    pairs of the tune half: puts the multilingual model's cosines on MiniLM's scale, so that
    one set of thresholds serves both."""
    pick = np.array([p.pairing == "en" and p.half == "tune" for p in pairs])
    b, a = np.polyfit(multilingual[pick], english[pick], 1)
    return float(a), float(b)


def hybrid(pairs: list[Pair], english: np.ndarray, multilingual: np.ndarray) -> np.ndarray:
    """Option (b): MiniLM's cosine for two English texts, the calibrated multilingual cosine
    for every other pair."""
    a, b = calibration(pairs, english, multilingual)
    both_english = np.array([p.pairing == "en" for p in pairs])
    return np.where(both_english, english, a + b * multilingual)


def blended(cos: np.ndarray, lex: np.ndarray, weight: float) -> np.ndarray:
    return (1.0 - weight) * cos + weight * lex


def blended_imputed(pairs: list[Pair], cos: np.ndarray, lex: np.ndarray, weight: float) -> np.ndarray:
    """Blended, except that two texts in different languages (which share few words whatever
    they report) get, for their word part, the TF-IDF cosine that two texts of one language with
    the same embedding cosine have on average: the least-squares line lex ~ a + b * cos over the
    monolingual pairs of the tune half, clipped to [0, 1]."""
    cross = np.array([p.cross for p in pairs])
    fit = np.array([(not p.cross) and p.half == "tune" for p in pairs])
    b, a = np.polyfit(cos[fit], lex[fit], 1)
    expected = np.clip(a + b * cos, 0.0, 1.0)
    return blended(cos, np.where(cross, expected, lex), weight)


# ---------------------------------------------------------------- measures


def _masks(pairs: list[Pair]):
    overall = np.array([p.overall for p in pairs])
    return overall <= SAME_MAX, overall >= DIFFERENT_MIN, overall


def tune_threshold(pairs: list[Pair], scores: np.ndarray) -> float:
    """The threshold (step 0.005) maximising mean(together, apart) over the tune half."""
    same, different, _ = _masks(pairs)
    tune = np.array([p.half == "tune" for p in pairs])
    s, d = scores[same & tune], scores[different & tune]
    grid = np.round(np.arange(-0.2, 1.0, 0.005), 3)
    balanced = [((s >= t).mean() + (d < t).mean()) / 2 for t in grid]
    return float(grid[int(np.argmax(balanced))])


def cross_bonus(pairs: list[Pair], scores: np.ndarray) -> float:
    """What to add to a cross-lingual pair's score so that one threshold serves both kinds:
    the monolingual threshold minus the cross-lingual one, each tuned on its own pairs of the
    tune half (two texts in two languages score lower for the same closeness of content)."""
    cross = np.array([p.cross for p in pairs])
    mono = [p for p in pairs if not p.cross]
    multi = [p for p in pairs if p.cross]
    return round(tune_threshold(mono, scores[~cross]) - tune_threshold(multi, scores[cross]), 3)


def with_bonus(pairs: list[Pair], scores: np.ndarray, bonus: float) -> np.ndarray:
    return scores + bonus * np.array([p.cross for p in pairs])


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


GROUPS = ("all monolingual", "all cross-lingual", "all")


def in_group(pair: Pair, group: str) -> bool:
    """`group`: a pairing ("de", "de-en", ...) or one of GROUPS."""
    if group == "all":
        return True
    if group in GROUPS:
        return pair.cross == (group == "all cross-lingual")
    return pair.pairing == group


def measure(pairs: list[Pair], scores: np.ndarray, threshold: float, group: str = "all",
            half: str | None = None) -> dict:
    """together / apart counts and Pearson r over the pairs of `group` (in `half`, or both)."""
    same, different, overall = _masks(pairs)
    pick = np.array([in_group(p, group) and half in (None, p.half) for p in pairs])
    s, d = scores[same & pick], scores[different & pick]
    return {"n": int(pick.sum()), "same": len(s), "together": int((s >= threshold).sum()),
            "different": len(d), "apart": int((d < threshold).sum()),
            "r": _pearson(scores[pick], -overall[pick])}


def share(m: dict, key: str) -> float:
    total = m["same" if key == "together" else "different"]
    return m[key] / total if total else float("nan")


TUNED = {"multilingual": (0.87, 0.04)}
"""(threshold, cross-lingual bonus) of an embedder's cosine, tuned by this benchmark on the tune
half (main prints them: "cosine, cross-lingual bonus" rows), so that a test can score the hold
half alone without embedding the tune half again."""


def quality(embedder_name: str = "multilingual", threshold: float | None = None,
            pairs: list[Pair] | None = None, chars: int = CHARS) -> dict:
    """Hold-half figures of `embedder_name`'s cosine (plus its cross-lingual bonus for pairs in
    two languages) at `threshold` (default: TUNED), for the tests' floors: {"r", "together_cross",
    "apart_cross", "together_mono", "apart_mono", "apart_min" (lowest apart share of a pairing),
    "pairs"}. Only the hold half is embedded."""
    tuned, bonus = TUNED[embedder_name]
    threshold = tuned if threshold is None else threshold
    pairs = [p for p in (load_pairs() if pairs is None else pairs) if p.half == "hold"]
    cos = with_bonus(pairs, cosines(pairs, embedder_name, chars), bonus)
    cross = measure(pairs, cos, threshold, "all cross-lingual")
    mono = measure(pairs, cos, threshold, "all monolingual")
    apart = [share(measure(pairs, cos, threshold, k), "apart") for k in sorted({p.pairing for p in pairs})]
    return {"r": measure(pairs, cos, threshold)["r"], "pairs": len(pairs),
            "together_cross": share(cross, "together"), "apart_cross": share(cross, "apart"),
            "together_mono": share(mono, "together"), "apart_mono": share(mono, "apart"),
            "apart_min": float(np.nanmin(apart))}


# ---------------------------------------------------------------- report


def _order(pairings):
    return sorted(pairings, key=lambda k: ("-" in k, k != "en", k))


def _cell(m: dict, key: str) -> str:
    total = m["same" if key == "together" else "different"]
    return f"{m[key]}/{total}" if total else "-"


def pairing_table(pairs, scores_by_name: dict[str, np.ndarray], thresholds: dict[str, float]) -> None:
    names = list(scores_by_name)
    print("| pairing | pairs (tune/hold) | " + " | ".join(
        f"{n}: together tune / hold | {n}: apart tune / hold | {n}: r" for n in names) + " |")
    print("|---|---|" + "---|---|---|" * len(names))
    for g in _order({p.pairing for p in pairs}) + list(GROUPS):
        counts = [sum(1 for p in pairs if in_group(p, g) and p.half == h) for h in HALVES]
        cells = []
        for n in names:
            t = {h: measure(pairs, scores_by_name[n], thresholds[n], g, h) for h in HALVES}
            r = measure(pairs, scores_by_name[n], thresholds[n], g)["r"]
            cells += [f"{_cell(t['tune'], 'together')} / {_cell(t['hold'], 'together')}",
                      f"{_cell(t['tune'], 'apart')} / {_cell(t['hold'], 'apart')}", f"{r:.3f}"]
        label = f"**{g}**" if g.startswith("all") else g
        print(f"| {label} | {counts[0]}/{counts[1]} | " + " | ".join(cells) + " |")


def summary_table(pairs, rows: list[tuple[str, np.ndarray, float]]) -> None:
    print("| score | threshold (tuned) | half | together: mono | together: cross | apart: mono "
          "| apart: cross | lowest apart of a pairing | r | r, task winner |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, scores, threshold in rows:
        for h in HALVES:
            mono = measure(pairs, scores, threshold, "all monolingual", h)
            cross = measure(pairs, scores, threshold, "all cross-lingual", h)
            every = measure(pairs, scores, threshold, "all", h)
            lowest = min(((share(measure(pairs, scores, threshold, k, h), "apart"), k)
                          for k in {p.pairing for p in pairs}),
                         key=lambda x: (np.nan_to_num(x[0], nan=2.0), x[1]))
            print(f"| {label} | {threshold:.3f} | {h} | {share(mono, 'together'):.3f} "
                  f"| {share(cross, 'together'):.3f} | {share(mono, 'apart'):.3f} "
                  f"| {share(cross, 'apart'):.3f} | {lowest[0]:.3f} ({lowest[1]}) | {every['r']:.3f} "
                  f"| {WINNER_PEARSON} |")


def distribution_table(pairs, cos_by_name: dict[str, np.ndarray]) -> None:
    """Cosines of different pairs (Overall >= 3.5) per language, and of cross-lingual pairs
    scored exactly 1, against the rest of the cross-lingual pairs."""
    _, different, overall = _masks(pairs)
    print("| embedder | pairing | different pairs | cosine p50 | p95 | p99 | max |")
    print("|---|---|---|---|---|---|---|")
    for name, cos in cos_by_name.items():
        for k in _order({p.pairing for p in pairs}):
            pick = different & np.array([p.pairing == k for p in pairs])
            if pick.sum() == 0:
                continue
            c = cos[pick]
            print(f"| {name} | {k} | {len(c)} | {np.median(c):.3f} | {np.quantile(c, .95):.3f} "
                  f"| {np.quantile(c, .99):.3f} | {c.max():.3f} |")
    print()
    print("Cross-lingual pairs: cosine by Overall (translation_of candidates are Overall == 1).")
    print()
    print("| embedder | Overall | pairs | cosine min | p10 | p50 | p90 | max |")
    print("|---|---|---|---|---|---|---|---|")
    cross = np.array([p.cross for p in pairs])
    bands = [("== 1", overall == 1.0), ("(1, 1.5]", (overall > 1.0) & (overall <= SAME_MAX)),
             ("(1.5, 3.5)", (overall > SAME_MAX) & (overall < DIFFERENT_MIN)),
             (">= 3.5", overall >= DIFFERENT_MIN)]
    for name, cos in cos_by_name.items():
        for label, band in bands:
            c = cos[cross & band]
            if len(c):
                print(f"| {name} | {label} | {len(c)} | {c.min():.3f} | {np.quantile(c, .1):.3f} "
                      f"| {np.median(c):.3f} | {np.quantile(c, .9):.3f} | {c.max():.3f} |")


# ---------------------------------------------------------------- what a user gets: stories


def story_figures(pairs: list[Pair], options=None) -> dict:
    """What `newsdesk stories` does with each pairing's pile: the articles of its pairs (both
    halves, deduplicated) grouped by newsdesk.cluster.group as one pile; then, per pairing and
    half, same-event pairs that share a story and different pairs kept apart:
    {pairing: {half: {"together": (k, n), "apart": (k, n)}}}."""
    from newsdesk.cluster import group
    from newsdesk.model import Item

    out: dict = {}
    by_pairing = defaultdict(list)
    for p in pairs:
        by_pairing[p.pairing].append(p)
    for pairing, members in sorted(by_pairing.items()):
        texts = list(dict.fromkeys(t for p in members for t in (p.text1, p.text2)))
        number = {t: n for n, t in enumerate(texts, 1)}
        result = group([Item(n=n, text=t, origin=f"semeval:{n}") for t, n in number.items()], options)
        story = {n: k for k, s in enumerate(result.stories) for n in s.items}
        figures = out[pairing] = {h: {"together": [0, 0], "apart": [0, 0]} for h in HALVES}
        for p in members:
            a, b = story.get(number[p.text1]), story.get(number[p.text2])
            shared = a is not None and a == b
            if p.overall <= SAME_MAX:
                figures[p.half]["together"][0] += shared
                figures[p.half]["together"][1] += 1
            elif p.overall >= DIFFERENT_MIN:
                figures[p.half]["apart"][0] += not shared
                figures[p.half]["apart"][1] += 1
    return out


def dropped_figures(pairs: list[Pair]) -> dict:
    """What the cleaning stage (newsdesk.prepare.judged: junk, too short, language) does with
    each distinct article, whole, as a reader gives it: {half: {language: (dropped, articles)}}
    and the reasons, {reason: count}. Every article here is news: a dropped one is a loss (the
    goal is at most 2% of the non-English ones)."""
    from newsdesk.model import Item
    from newsdesk.options import Options
    from newsdesk.prepare import judged

    options = Options()
    seen: dict[str, tuple[str, str]] = {}  # text -> (half, language) of the first pair holding it
    for p in pairs:
        for text, lang in ((p.text1, p.lang1), (p.text2, p.lang2)):
            seen.setdefault(text, (p.half, lang))
    out: dict = {h: defaultdict(lambda: [0, 0]) for h in HALVES}
    reasons: Counter = Counter()
    for n, (text, (h, lang)) in enumerate(seen.items(), 1):
        reason = judged(Item(n=n, text=text), options).junk_reason
        out[h][lang][0] += reason is not None
        out[h][lang][1] += 1
        if reason:
            reasons[f"{lang}: {reason}"] += 1
    return {"by_half": out, "reasons": reasons}


def dropped_table(figures: dict) -> None:
    print("| language | dropped, tune | dropped, hold |")
    print("|---|---|---|")
    langs = sorted(set().union(*(figures["by_half"][h] for h in HALVES)))
    for lang in langs:
        print(f"| {lang} | " + " | ".join("{}/{}".format(*figures["by_half"][h].get(lang, (0, 0))) for h in HALVES) + " |")
    for h in HALVES:
        print(f"\nnon-English dropped, {h}: {non_english_dropped(figures, h):.4f}")
    for reason, count in figures["reasons"].most_common(10):
        print(f"- {reason}: {count}")


def non_english_dropped(figures: dict, half: str) -> float:
    counts = [v for lang, v in figures["by_half"][half].items() if lang != "en"]
    return sum(d for d, _ in counts) / max(1, sum(n for _, n in counts))


def baselines(pairs: list[Pair], half: str = "tune") -> dict[str, tuple[float, int]]:
    """Language -> (the multilingual model's mean cosine between two different articles in it,
    articles): each distinct article of the `half` once, cut as the clustering cuts it
    (newsdesk.cluster.cluster_text). Most pairs of articles are unrelated, so the mean is the
    language's background, which newsdesk.cluster.Pile.offsets takes away
    (src/newsdesk/data/multilingual_baselines.tsv holds the tune half's)."""
    vectors = _vectors_by_language(pairs, half)
    out = {}
    for lang, v in vectors.items():
        gram = v @ v.T
        n = len(v)
        out[lang] = (float((gram.sum() - np.trace(gram)) / (n * (n - 1))), n)
    return out


def cross_baselines(pairs: list[Pair], half: str = "tune") -> dict[str, tuple[float, int]]:
    """"de-en" (two languages, in alphabetical order) -> (the multilingual model's mean cosine
    between an article in one and an article in the other, pairs of articles): every distinct
    article of the `half`, as :func:`baselines`. Most are unrelated: the two languages' background,
    which newsdesk.cluster.Pile.cross_offsets takes away
    (src/newsdesk/data/multilingual_cross_baselines.tsv holds the tune half's)."""
    vectors = _vectors_by_language(pairs, half)
    langs = sorted(vectors)
    return {f"{a}-{b}": (float((vectors[a] @ vectors[b].T).mean()), len(vectors[a]) * len(vectors[b]))
            for i, a in enumerate(langs) for b in langs[i + 1:]}


def _vectors_by_language(pairs: list[Pair], half: str) -> dict[str, np.ndarray]:
    """Language -> the multilingual vectors of its distinct articles in the `half`."""
    from newsdesk.cluster import cluster_text
    from newsdesk.embed import get_embedder
    from newsdesk.model import Item

    by_language: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for p in pairs:
        if p.half != half:
            continue
        for text, lang in ((p.text1, p.lang1), (p.text2, p.lang2)):
            if text not in seen:
                seen.add(text)
                by_language[lang].append(cluster_text(Item(n=1, text=text)))
    return {lang: get_embedder("multilingual").encode(texts) for lang, texts in sorted(by_language.items())}


def story_shares(figures: dict) -> dict[str, float]:
    """The story_figures pooled over the pairings of one language ("mono") and of two ("cross"),
    per half: {"together_mono_tune": share, "apart_cross_hold": share, ...} (the floors of
    [multilingual_stories] in tests/floors.toml)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pairing, by_half in figures.items():
        for h in HALVES:
            for kind in ("together", "apart"):
                key = f"{kind}_{'cross' if '-' in pairing else 'mono'}_{h}"
                totals[key][0] += by_half[h][kind][0]
                totals[key][1] += by_half[h][kind][1]
    return {key: k / n for key, (k, n) in totals.items() if n}


def story_table(figures: dict, halves: tuple[str, ...] = HALVES) -> None:
    """The figures of the `halves` asked for (tuning reads the tune half alone)."""
    print("| pairing | " + " | ".join(f"{kind} {h}" for kind in ("together", "apart") for h in halves) + " |")
    print("|---|" + "---|" * (2 * len(halves)))
    for pairing, by_half in figures.items():
        cells = ["{}/{}".format(*by_half[h][kind]) for kind in ("together", "apart") for h in halves]
        print(f"| {pairing} | " + " | ".join(cells) + " |")
    shares = story_shares(figures)
    for cross, label in (("mono", "one language"), ("cross", "two languages")):
        cells = [f"{shares.get(f'{kind}_{cross}_{h}', float('nan')):.3f}"
                 for kind in ("together", "apart") for h in halves]
        print(f"| **all, {label}** | " + " | ".join(cells) + " |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--embedders", default="minilm,multilingual")
    parser.add_argument("--lexical-weight", type=float, default=None,
                        help="w of the blended score (default: Options.story_lexical_weight)")
    parser.add_argument("--chars", type=int, default=CHARS, help=f"characters embedded per article (default {CHARS})")
    parser.add_argument("--stories", action="store_true",
                        help="only what `newsdesk stories` does with each pairing's articles as one pile")
    parser.add_argument("--member-similarity", default=None,
                        help="with --stories: Options.story_member_similarity to group with "
                             "(a number, or none for no split; default: the option's default)")
    parser.add_argument("--half", choices=(*HALVES, "both"), default="both",
                        help="with --stories: the half whose figures are printed (tune while tuning; "
                             "both halves are grouped either way, as one pile per pairing)")
    parser.add_argument("--baselines", action="store_true",
                        help="only each language's background cosine (data/multilingual_baselines.tsv)")
    parser.add_argument("--cross-baselines", action="store_true",
                        help="only each pair of languages' background cosine (data/multilingual_cross_baselines.tsv)")
    parser.add_argument("--dropped", action="store_true",
                        help="only the articles the cleaning stage drops, per language and half")
    parser.add_argument("--cache", type=Path, default=None,
                        help="a .npz file keeping each embedder's cosines between runs (reused "
                             "only for the same pairs file and embedder name)")
    args = parser.parse_args(argv)
    from newsdesk.options import Options

    if not PAIRS.is_file():
        print(f"SemEval-2022 Task 8 pairs not found at {PAIRS} (../shared/data)", file=sys.stderr)
        return 2
    weight = Options().story_lexical_weight if args.lexical_weight is None else args.lexical_weight
    pairs = load_pairs()
    if args.stories:
        print("## Stories: each pairing's articles grouped as one pile by `newsdesk stories`\n")
        options = Options()
        if args.member_similarity is not None:
            bar = None if args.member_similarity.lower() == "none" else float(args.member_similarity)
            options = replace(options, story_member_similarity=bar)
        print(f"story_member_similarity = {options.story_member_similarity}\n")
        story_table(story_figures(pairs, options), HALVES if args.half == "both" else (args.half,))
        return 0
    if args.baselines:
        print("# language<TAB>mean cosine of two different articles (multilingual-e5-small, tune half)<TAB>articles")
        for lang, (mean, n) in baselines(pairs).items():
            print(f"{lang}\t{mean:.4f}\t{n}")
        return 0
    if args.cross_baselines:
        print("# languages<TAB>mean cosine of an article in one and an article in the other "
              "(multilingual-e5-small, tune half)<TAB>pairs of articles")
        for key, (mean, n) in cross_baselines(pairs).items():
            print(f"{key}\t{mean:.4f}\t{n}")
        return 0
    if args.dropped:
        print("## Articles dropped by the cleaning stage, per language\n")
        dropped_table(dropped_figures(pairs))
        return 0
    counts = defaultdict(lambda: [0, 0])
    for p in pairs:
        counts[p.half][p.cross] += 1
    print(f"{len(pairs)} pairs: tune {sum(counts['tune'])}, hold {sum(counts['hold'])}; "
          f"first {args.chars} characters of each article; lexical weight {weight}\n")

    lex, lex_all = lexical(pairs, args.chars), lexical_all_stop_words(pairs, args.chars)
    cache = dict(np.load(args.cache)) if args.cache and args.cache.is_file() else {}
    stamp = f"{PAIRS.stat().st_size}:{len(pairs)}:{args.chars}"
    cos_by_name, rows = {}, []
    for name in args.embedders.split(","):
        if f"{name}|{stamp}" in cache:
            cos = cache[f"{name}|{stamp}"]
        else:
            print(f"embedding with {name} ...", file=sys.stderr, flush=True)
            cos = cache[f"{name}|{stamp}"] = cosines(pairs, name, args.chars)
            if args.cache:
                np.savez(args.cache, **cache)
        cos_by_name[name] = cos
        bonus = cross_bonus(pairs, cos)
        for label, scores in ((f"{name} cosine", cos),
                              (f"{name} cosine, cross-lingual bonus {bonus:+.3f}", with_bonus(pairs, cos, bonus)),
                              (f"{name} blended", blended(cos, lex, weight)),
                              (f"{name} blended, word part imputed across languages",
                               blended_imputed(pairs, cos, lex, weight)),
                              (f"{name} blended, imputed, all stop words",
                               blended_imputed(pairs, cos, lex_all, weight))):
            rows.append((label, scores, tune_threshold(pairs, scores)))
    if {"minilm", "multilingual"} <= set(cos_by_name):
        mixed = hybrid(pairs, cos_by_name["minilm"], cos_by_name["multilingual"])
        a, b = calibration(pairs, cos_by_name["minilm"], cos_by_name["multilingual"])
        print(f"calibration on English tune pairs: minilm cosine ~ {a:.3f} + {b:.3f} * multilingual cosine\n")
        for label, scores in (("(b) minilm en-en, calibrated multilingual elsewhere: cosine", mixed),
                              ("(b) ... blended", blended(mixed, lex, weight)),
                              ("(b) ... blended, imputed across languages",
                               blended_imputed(pairs, mixed, lex, weight)),
                              ("(b) ... blended, imputed, all stop words",
                               blended_imputed(pairs, mixed, lex_all, weight))):
            rows.append((label, scores, tune_threshold(pairs, scores)))
    rows.append(("word TF-IDF alone (English stop words, as newsdesk.cluster)", lex, tune_threshold(pairs, lex)))
    rows.append(("word TF-IDF alone, all stop words", lex_all, tune_threshold(pairs, lex_all)))

    print("## Summary (threshold tuned on the tune half)\n")
    summary_table(pairs, rows)
    print("\n## Per pairing, embedding cosine\n")
    pairing_table(pairs, {n: cos_by_name[n] for n in cos_by_name},
                  {n: next(t for label, _, t in rows if label == f"{n} cosine") for n in cos_by_name})
    label = "blended, imputed, all stop words"
    print(f"\n## Per pairing, {label}\n")
    pairing_table(pairs, {n: next(s for k, s, _ in rows if k == f"{n} {label}") for n in cos_by_name},
                  {n: next(t for k, _, t in rows if k == f"{n} {label}") for n in cos_by_name})
    print("\n## Duplicate thresholds: cosines of different pairs\n")
    distribution_table(pairs, cos_by_name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
