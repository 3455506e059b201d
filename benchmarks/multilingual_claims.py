"""Claims in other languages (newsdesk.extract.multilingual): how many per article, and how many are right.

    python benchmarks/multilingual_claims.py                 # rates and precision, both halves, with the English rate
    python benchmarks/multilingual_claims.py --no-english    # without the English rate (it parses ~580 articles: minutes)
    python benchmarks/multilingual_claims.py --show ru --half tune --limit 40   # claims to read
    python benchmarks/multilingual_claims.py --label ru --half hold --limit 20  # unlabelled claims, as label lines
    python benchmarks/multilingual_claims.py --label de --fresh 1 --limit 40    # a fresh draw: tune articles never judged

Data (read in place): the articles of ../shared/data/semeval2022-task8/pairs.csv, mojibake
repaired with ftfy (benchmarks/multilingual.py), each distinct article once, in the half of the
first pair that holds it ("tune" or "hold" by a hash of the pair id: the rules were written
looking at tune articles only). An article is named by that pair's id and its side (1 or 2).

* rate: claims per article in each of de, es, fr, it, pl, ru (and uk, when the data has any),
  next to the English rate (`newsdesk.pipeline.extract_claims`, the English path, on the English
  articles of the same file); the goal is at least half the English rate in each language.
* precision: claims judged by reading, stored as references in
  benchmarks/precision/multilingual_claims.jsonl (pair id, side, hash of the text, claim start and end, label;
  never the text). A claim is "right" when the speaker really said or wrote what the content
  holds, the speaker span names that speaker (a pronoun is fine) and the content is what is
  attributed, give or take a word at its edges; "partial" when the attribution is real but a
  span is wrong (a speaker cut short, content that runs on into another clause); "wrong" when
  there is no such attribution (the cue is not a cue, the speaker is not the source). Precision =
  right / judged; lenient precision = (right + partial) / judged. Labels of claims the rules no
  longer find are reported as stale.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from multilingual import HALVES, PAIRS, half_of, load_pairs  # noqa: E402

from newsdesk.extract.multilingual import SUPPORTED, claims_in_language  # noqa: E402
from newsdesk.model import Claim, Item  # noqa: E402

LABELS = ROOT / "benchmarks" / "precision" / "multilingual_claims.jsonl"
LANGUAGES = ("de", "es", "fr", "it", "pl", "ru")


@dataclass(frozen=True)
class Article:
    pair_id: str
    side: int
    language: str
    text: str

    @property
    def half(self) -> str:
        return half_of(self.pair_id)

    @property
    def sha1(self) -> str:
        """The text's hash: a pair id can recur in the file with other texts, so labels name both."""
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()[:12]

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.pair_id, self.side, self.sha1)


def articles(path: Path = PAIRS) -> list[Article]:
    """Each distinct article once, named by the first pair and side that hold it."""
    seen: dict[tuple[str, str], Article] = {}
    for pair in load_pairs(path):
        for side, language, text in ((1, pair.lang1, pair.text1), (2, pair.lang2, pair.text2)):
            seen.setdefault((language, text), Article(pair.pair_id, side, language, text))
    return list(seen.values())


def item_of(article: Article, n: int = 1) -> Item:
    return Item(n=n, text=article.text, language=article.language)


def foreign_claims(arts: list[Article]) -> dict[tuple[str, int], list[Claim]]:
    return {a.key: claims_in_language(item_of(a)) for a in arts}


def english_claims(arts: list[Article]) -> dict[tuple[str, int], int]:
    """Claims per English article by the English path (the spaCy parse of cue sentences)."""
    from newsdesk.pipeline import extract_claims

    items = [Item(n=i + 1, text=a.text, language="en") for i, a in enumerate(arts)]
    counts = Counter(c.item for c in extract_claims(items))
    return {a.key: counts[i + 1] for i, a in enumerate(arts)}


def read_labels(path: Path = LABELS) -> dict[tuple[str, int, str, int, int], str]:
    labels = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels[(row["pair_id"], row["side"], row["text_sha1"], row["start"], row["end"])] = row["label"]
    return labels


def rates(arts: list[Article], found: dict, english: dict | None) -> dict[tuple[str, str], tuple[int, int]]:
    """(language, half) -> (articles, claims)."""
    out: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for a in arts:
        if a.language == "en" and english is not None:
            counted = english[a.key]
        elif a.language in SUPPORTED:
            counted = len(found[a.key])
        else:
            continue
        for half in (a.half, "all"):
            out[(a.language, half)][0] += 1
            out[(a.language, half)][1] += counted
    return {k: (v[0], v[1]) for k, v in out.items()}


def precision(arts: list[Article], found: dict, labels: dict) -> dict[tuple[str, str], Counter]:
    """(language, half) -> Counter of labels of the claims found now; "stale" counts labels of
    claims no longer found."""
    out: dict[tuple[str, str], Counter] = defaultdict(Counter)
    now = set()
    by_key = {a.key: a for a in arts}
    for a in arts:
        if a.language not in SUPPORTED:
            continue
        for c in found[a.key]:
            key = (*a.key, c.start, c.end)
            now.add(key)
            if key in labels:
                for half in (a.half, "all"):
                    out[(a.language, half)][labels[key]] += 1
    for key in labels:
        if key not in now and key[:3] in by_key:
            a = by_key[key[:3]]
            for half in (a.half, "all"):
                out[(a.language, half)]["stale"] += 1
    return out


def scores(counts: Counter) -> tuple[int, float | None, float | None]:
    judged = counts["right"] + counts["partial"] + counts["wrong"]
    if not judged:
        return 0, None, None
    return judged, counts["right"] / judged, (counts["right"] + counts["partial"]) / judged


def report(arts: list[Article], found: dict, english: dict | None, labels: dict) -> dict:
    """Prints the table; returns the figures by (language, half) for tests."""
    counted = rates(arts, found, english)
    judged = precision(arts, found, labels)
    figures = {}
    print(f"{'language':8} {'half':5} {'articles':>8} {'claims':>7} {'per article':>11} {'vs English':>10} "
          f"{'judged':>7} {'precision':>9} {'lenient':>8} {'stale':>6}")
    for language in ("en",) + tuple(sorted(set(a.language for a in arts if a.language in SUPPORTED))):
        for half in HALVES + ("all",):
            if (language, half) not in counted:
                continue
            n, c = counted[(language, half)]
            rate = c / n if n else 0.0
            en = counted.get(("en", half))
            ratio = rate / (en[1] / en[0]) if en and en[1] else None
            j, p, lenient = scores(judged.get((language, half), Counter()))
            stale = judged.get((language, half), Counter())["stale"]
            figures[(language, half)] = {"articles": n, "claims": c, "rate": rate, "ratio": ratio,
                                         "judged": j, "precision": p, "lenient": lenient}
            print(f"{language:8} {half:5} {n:8d} {c:7d} {rate:11.2f} {_f(ratio):>10} {j:7d} {_f(p):>9} {_f(lenient):>8} {stale:6d}")
    return figures


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def fresh_draw(arts: list[Article], labels: dict, draw: int) -> list[Article]:
    """Tune articles none of whose claims was ever judged, in an order set by a hash of the
    draw number: rules tuned on the first articles by key are checked on ones they were not
    made from (the earlier rounds read articles in key order)."""
    judged = {key[:3] for key in labels}
    fresh = [a for a in arts if a.half == "tune" and a.key not in judged]
    return sorted(fresh, key=lambda a: hashlib.sha1(f"{draw}:{a.pair_id}:{a.side}:{a.sha1}".encode()).hexdigest())


def show(arts: list[Article], found: dict, language: str, half: str, limit: int, labels: dict, as_labels: bool,
         draw: int = 0) -> None:
    """Claims to read (or, with `as_labels`, unlabelled ones as label lines to fill in); with
    `draw`, only those of a fresh draw of tune articles (see `fresh_draw`)."""
    shown = 0
    ordered = fresh_draw(arts, labels, draw) if draw else sorted(arts, key=lambda a: a.key)
    for a in ordered:
        if a.language != language or (half != "all" and a.half != half):
            continue
        for c in found[a.key]:
            key = (*a.key, c.start, c.end)
            if as_labels and key in labels:
                continue
            if shown >= limit:
                return
            shown += 1
            sentence = a.text[max(0, c.start - 60):c.end + 20].replace("\n", " ")
            label = labels.get(key, "unjudged")
            print(f"# {a.pair_id}/{a.side} [{c.start}:{c.end}] {label} "
                  f"speaker={c.speaker!r} actor={c.actor!r} cue={c.cue!r} when={c.when!r}")
            print(f"#   content={c.content!r}")
            print(f"#   …{sentence}…")
            if as_labels:
                print(json.dumps({"pair_id": a.pair_id, "side": a.side, "text_sha1": a.sha1, "start": c.start, "end": c.end,
                                  "language": a.language, "half": a.half, "label": "?"}))


def main(argv=None) -> dict | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-english", action="store_true", help="skip the English rate (minutes of parsing)")
    parser.add_argument("--show", help="print the claims of this language")
    parser.add_argument("--label", help="print unlabelled claims of this language as label lines")
    parser.add_argument("--half", default="tune", choices=HALVES + ("all",))
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--fresh", type=int, default=0, metavar="DRAW",
                        help="with --show/--label: only tune articles never judged, in the order of draw DRAW (1, 2, ...)")
    args = parser.parse_args(argv)
    if not PAIRS.exists():
        print(f"data not found: {PAIRS}")
        return None
    arts = articles()
    foreign = [a for a in arts if a.language in SUPPORTED]
    found = foreign_claims(foreign)
    labels = read_labels()
    if args.show or args.label:
        if args.fresh and args.half == "hold":
            parser.error("--fresh draws tune articles only: the hold half is not read while rules change")
        show(foreign, found, args.show or args.label, args.half, args.limit, labels, as_labels=bool(args.label),
             draw=args.fresh)
        return None
    english = None if args.no_english else english_claims([a for a in arts if a.language == "en"])
    return report(arts, found, english, labels)


if __name__ == "__main__":
    main()
