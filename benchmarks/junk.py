"""Junk filtering quality on real data, newsdesk side by side with peers.

    python benchmarks/junk.py [--errors] [--no-peers]

1. Boilerplate blocks, each judged alone (newsdesk.clean.junk_reason; "as items": as a whole
   item, newsdesk.clean.item_junk_reason, which keeps what is news once junk sentences are set
   aside), on both halves of the
   split that benchmarks/train_junk.py trains on (the model saw only the "train" halves):
   - boilerplate: ../shared/data/boilerplate (boilerplate blocks against article paragraphs of
     the same pages, en + de; halves by sorted page_file index);
   - pages: the blocks of the 181 pages of the article-extraction benchmark (halves by sorted
     page id): page furniture against the article's blocks and headlines (see
     train_junk.label_page), all blocks and those of 4+ words;
   - vs news: the boilerplate blocks of both sets (4+ words for pages) against 1,000 real news
     items (AG News test, every 7th row), the figure issue 16 asks for.
2. Real news dropped, each item judged as an item (newsdesk.clean.item_junk_reason, what
   `brief` and `stories` use): AG News (7,600), Multi-News articles (the 250-cluster sample),
   UCI headlines (999), Google News titles (11,108, lower-cased with stop words removed
   upstream), and the non-English articles of SemEval-2022 task 8 by language (text repaired
   with ftfy).
3. Junk lines cut from kept real news (newsdesk.clean.junk_spans, judged by the stacked model
   where there is one): the share of the kept items' characters cut, for Multi-News articles
   (even clusters, whose paragraphs train the model, and odd ones), AG News (even and odd rows)
   and the non-English SemEval articles. Cutting real sentences out of an article is as bad
   as dropping it.

Peers on the block sets, each judging one block at a time as newsdesk does: trafilatura's
text-level filter (`trafilatura.utils.textfilter`; its other filters need the HTML tree) and
jusText's stop-word/length classifier on the block as one <p>. Peers not installed are left out.
"""

from __future__ import annotations

import ast
import csv
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_junk  # the split and the page labels the model was trained with

DATA = train_junk.DATA
AG_NEWS = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"
MULTI_NEWS = DATA / "multinews-sample" / "multinews-250-test-sample.csv"
UCI = DATA / "uci-news" / "uci-news-aggregator-999.csv"
GOOGLE_NEWS = DATA / "googlenews-sttm" / "dataset" / "GoogleNews.txt"
SEMEVAL = DATA / "semeval2022-task8" / "pairs.csv"
NEWS_SAMPLE_STEP = 7  # every 7th AG News row: 1,086 of 7,600


# --- data

def ag_news() -> list[str]:
    with open(AG_NEWS, encoding="utf-8", newline="") as f:
        return [f"{title}. {description}".replace("\\", " ") for _, title, description in csv.reader(f)]


def multi_news_articles(part: str = "all") -> list[str]:
    """The articles of the Multi-News sample: "all", or the clusters of one half, "train"
    (even-indexed: a few of their paragraphs train the model) or "test" (odd)."""
    csv.field_size_limit(1 << 30)
    with open(MULTI_NEWS, encoding="utf-8", newline="") as f:
        rows = [row for i, row in enumerate(csv.DictReader(f))
                if part == "all" or i % 2 == (0 if part == "train" else 1)]
    return [doc.strip() for row in rows for doc in ast.literal_eval(row["documents"]) if doc.strip()]


def uci_headlines() -> list[str]:
    with open(UCI, encoding="utf-8", newline="") as f:
        return [row["TITLE"] for row in csv.DictReader(f)]


def google_news_titles() -> list[str]:
    return GOOGLE_NEWS.read_text(encoding="utf-8").splitlines()


def semeval_non_english() -> dict[str, list[str]]:
    """Distinct non-English articles by language, their mojibake repaired."""
    import ftfy

    by_language: dict[str, dict[str, None]] = {}
    with open(SEMEVAL, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            for k in ("1", "2"):
                if row[f"lang{k}"] != "en":
                    by_language.setdefault(row[f"lang{k}"], {})[ftfy.fix_text(row[f"text{k}"])] = None
    return {lang: list(texts) for lang, texts in sorted(by_language.items())}


def block_sets(part: str) -> dict[str, list[tuple[str, bool]]]:
    """(text, is junk) of each block set of one half."""
    from newsdesk.clean import text_units

    boilerplate = train_junk.boilerplate_set(part)
    pages = train_junk.page_set(part)
    return {
        "boilerplate en": [(b["text"], b["junk"]) for b in boilerplate if b["lang"] == "en"],
        "boilerplate all": [(b["text"], b["junk"]) for b in boilerplate],
        "pages, all blocks": [(b["text"], b["junk"]) for b in pages],
        "pages, 4+ words": [(b["text"], b["junk"]) for b in pages if text_units(b["text"]) >= 4],
    }


def versus_news(sets: dict[str, list[tuple[str, bool]]], news: list[str]) -> list[tuple[str, bool]]:
    """The junk blocks of the boilerplate set and the 4+ word page furniture, against real news."""
    junk = [t for t, j in sets["boilerplate all"] + sets["pages, 4+ words"] if j]
    return [(t, True) for t in junk] + [(t, False) for t in news]


# --- scoring

def scores(pairs: list[tuple[str, bool]], flagged: list[bool]) -> tuple[float, float, float]:
    """Junk precision, recall, F1."""
    tp = sum(f and j for (_, j), f in zip(pairs, flagged))
    fp = sum(f and not j for (_, j), f in zip(pairs, flagged))
    fn = sum(j and not f for (_, j), f in zip(pairs, flagged))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def newsdesk_judge():
    from newsdesk.clean import junk_reason

    return lambda text: junk_reason(text) is not None


def newsdesk_item_judge():
    """The block taken as a whole item (what `brief` and `stories` do): junk only when no news
    is left once its junk lines or sentences are set aside."""
    from newsdesk.clean import item_junk_reason

    return lambda text: item_junk_reason(text) is not None


def trafilatura_judge():
    from lxml.etree import Element
    from trafilatura.utils import textfilter

    def judge(text):
        element = Element("p")
        element.text = text
        return textfilter(element)

    return judge


def justext_judge():
    import justext

    stoplists = {lang: justext.get_stoplist(name) for lang, name in (("en", "English"), ("de", "German"))}

    def judge(text):
        from newsdesk.clean import detect_language

        html = f"<html><body><p>{_escape(text)}</p></body></html>".encode()
        stoplist = stoplists.get(detect_language(text) or "en", stoplists["en"])
        return all(p.is_boilerplate for p in justext.justext(html, stoplist))

    return judge


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def block_table(peers, errors: bool) -> None:
    news = ag_news()[::NEWS_SAMPLE_STEP]
    print("## 1. Boilerplate blocks, judged alone (junk precision / recall / F1)\n")
    print("| system | half | set | blocks (junk) | precision | recall | F1 |\n|---|---|---|---|---|---|---|")
    for part in ("train", "test"):
        sets = block_sets(part)
        sets[f"vs {len(news):,} AG News items"] = versus_news(sets, news)
        for name, judge in peers:
            for label, pairs in sets.items():
                flagged = [judge(t) for t, _ in pairs]
                p, r, f = scores(pairs, flagged)
                print(f"| {name} | {part}{' (unseen)' if part == 'test' else ''} | {label} | "
                      f"{len(pairs):,} ({sum(j for _, j in pairs):,}) | {p:.3f} | {r:.3f} | {f:.3f} |")
                if errors and name.startswith("newsdesk 0") and part == "test" and label != "pages, all blocks":
                    _print_errors(label, pairs, flagged)
    print()


def news_table(errors: bool) -> None:
    from newsdesk.clean import item_junk_reason

    print("## 2. Real news dropped (each item judged as an item)\n")
    print("| set | items | dropped | share | reasons |\n|---|---|---|---|---|")
    sets = {"AG News test": ag_news(), "Multi-News articles": multi_news_articles(),
            "UCI headlines": uci_headlines(), "Google News titles": google_news_titles()}
    sets.update({f"SemEval {lang}": texts for lang, texts in semeval_non_english().items()})
    non_english = [0, 0]
    for label, texts in sets.items():
        reasons = [item_junk_reason(t) for t in texts]
        dropped = [(t, r) for t, r in zip(texts, reasons) if r]
        if label.startswith("SemEval"):
            non_english[0] += len(dropped)
            non_english[1] += len(texts)
        common = ", ".join(f"{r} {n}" for r, n in Counter(r for _, r in dropped).most_common(3))
        print(f"| {label} | {len(texts):,} | {len(dropped):,} | {len(dropped) / len(texts):.4f} | {common} |")
        if errors:
            for text, reason in dropped[:30]:
                print(f"    DROP {reason} | {text[:150]!r}")
    print(f"| SemEval, all non-English | {non_english[1]:,} | {non_english[0]:,} | "
          f"{non_english[0] / max(1, non_english[1]):.4f} | |\n")


def spans_table(errors: bool) -> None:
    from newsdesk.clean import item_junk_reason, junk_spans

    news = ag_news()
    sets = {"Multi-News articles, even clusters": multi_news_articles("train"),
            "Multi-News articles, odd clusters": multi_news_articles("test"),
            "AG News test, even rows": news[::2], "AG News test, odd rows": news[1::2],
            "SemEval, all non-English": [t for group in semeval_non_english().values() for t in group]}
    print("## 3. Junk lines cut from kept real news (each item's junk spans)\n")
    print("| set | kept items | with cuts | lines cut | share of characters cut | reasons |\n|---|---|---|---|---|---|")
    for label, texts in sets.items():
        kept = [t for t in texts if item_junk_reason(t) is None]
        cut = [(t, junk_spans(t)) for t in kept]
        chars = sum(e - s for _, spans in cut for s, e, _ in spans)
        reasons = Counter(r for _, spans in cut for _, _, r in spans).most_common(3)
        print(f"| {label} | {len(kept):,} | {sum(bool(s) for _, s in cut):,} | {sum(len(s) for _, s in cut):,} | "
              f"{chars / max(1, sum(len(t) for t in kept)):.4f} | {', '.join(f'{r} {n}' for r, n in reasons)} |")
        if errors:
            for text, spans in cut:
                for s, e, reason in spans:
                    print(f"    CUT {reason} | {text[s:e][:150]!r}")
    print()


def _print_errors(label, pairs, flagged) -> None:
    from newsdesk.clean import junk_reason

    for (text, junk), f in zip(pairs, flagged):
        if f != junk:
            print(f"    {label}: {'FP' if f else 'FN'} {junk_reason(text)} | {text[:150]!r}")


def main(argv: list[str]) -> int:
    if not train_junk.PAGES.exists() or not train_junk.BOILERPLATE.exists():
        print(f"evaluation data not found under {DATA}", file=sys.stderr)
        return 1
    errors = "--errors" in argv
    makers = [("newsdesk", "newsdesk", newsdesk_judge), ("newsdesk as items", "newsdesk", newsdesk_item_judge)]
    if "--no-peers" not in argv:
        makers += [("trafilatura", "trafilatura", trafilatura_judge), ("jusText", "justext", justext_judge)]
    peers = []
    for name, package, make in makers:
        try:
            peers.append((f"{name} {_version(package)}", make()))
        except ImportError:
            continue
    start = time.perf_counter()
    block_table(peers, errors)
    news_table(errors)
    spans_table(errors)
    print(f"({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
