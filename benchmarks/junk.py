"""Junk filtering quality on real web-page blocks, newsdesk side by side with peers.

    python benchmarks/junk.py [--errors]

Data: ../shared/data/boilerplate (558 boilerplate blocks, 549 article paragraphs, en + de)
and the AG News test split (7,600 news items, all treated as news) for the false-positive
rate. Peers, each judging one block at a time as newsdesk does:
  - trafilatura: its text-level filter for page furniture (`trafilatura.utils.textfilter`,
    applied to each paragraph it extracts; its other filters need the HTML tree);
  - jusText: its stop-word/length paragraph classifier on the block as one <p>.
Peers that are not installed are left out of the table.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
BOILERPLATE = DATA / "boilerplate"
AG_NEWS = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"


def load_blocks() -> list[dict]:
    """Blocks with `text`, `lang` and `junk` (True for boilerplate)."""
    blocks = []
    for name, junk in (("boilerplate.jsonl", True), ("article-paragraphs.jsonl", False)):
        with open(BOILERPLATE / name, encoding="utf-8") as f:
            blocks += [dict(json.loads(line), junk=junk) for line in f if line.strip()]
    return blocks


def load_ag_news() -> list[str]:
    with open(AG_NEWS, encoding="utf-8", newline="") as f:
        return [f"{title}. {description}".replace("\\", " ") for _, title, description in csv.reader(f)]


def scores(blocks: list[dict], flagged: list[bool]) -> tuple[float, float, float]:
    """Junk precision, recall, F1."""
    tp = sum(f and b["junk"] for b, f in zip(blocks, flagged))
    fp = sum(f and not b["junk"] for b, f in zip(blocks, flagged))
    fn = sum(b["junk"] and not f for b, f in zip(blocks, flagged))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def newsdesk_judge():
    from newsdesk.clean import junk_reason

    return lambda text, lang: junk_reason(text) is not None


def trafilatura_judge():
    from lxml.etree import Element
    from trafilatura.utils import textfilter

    def judge(text, lang):
        element = Element("p")
        element.text = text
        return textfilter(element)

    return judge


def justext_judge():
    import justext

    stoplists = {"en": justext.get_stoplist("English"), "de": justext.get_stoplist("German")}

    def judge(text, lang):
        html = f"<html><body><p>{_escape(text)}</p></body></html>".encode()
        paragraphs = justext.justext(html, stoplists.get(lang, stoplists["en"]))
        return all(p.is_boilerplate for p in paragraphs)

    return judge


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def main(argv: list[str]) -> int:
    if not BOILERPLATE.exists():
        print(f"evaluation data not found at {BOILERPLATE}", file=sys.stderr)
        return 1
    blocks = load_blocks()
    english = [b for b in blocks if b["lang"] == "en"]
    news = load_ag_news() if AG_NEWS.exists() else []
    peers = [("newsdesk", "newsdesk", newsdesk_judge), ("trafilatura", "trafilatura", trafilatura_judge),
             ("jusText", "justext", justext_judge)]
    print(f"{'system':<22} {'P en':>6} {'R en':>6} {'F1 en':>6}   {'P all':>6} {'R all':>6} "
          f"{'F1 all':>6}   {'AG News FP':>10}  {'ms/block':>8}")
    for name, package, make in peers:
        try:
            judge = make()
        except ImportError:
            continue
        start = time.perf_counter()
        flagged = [judge(b["text"], b["lang"]) for b in blocks]
        per_block = (time.perf_counter() - start) * 1000 / len(blocks)
        en = scores(english, [f for b, f in zip(blocks, flagged) if b["lang"] == "en"])
        every = scores(blocks, flagged)
        fp = sum(judge(text, "en") for text in news) / len(news) if news else float("nan")
        label = f"{name} {_version(package)}"
        print(f"{label:<22} {en[0]:6.3f} {en[1]:6.3f} {en[2]:6.3f}   {every[0]:6.3f} {every[1]:6.3f} "
              f"{every[2]:6.3f}   {fp:10.4f}  {per_block:8.2f}")
        if name == "newsdesk" and "--errors" in argv:
            _print_errors(blocks, flagged, news, judge)
    print(f"\n{len(english)} English / {len(blocks)} blocks "
          f"({sum(b['junk'] for b in blocks)} boilerplate); AG News FP over {len(news)} items")
    return 0


def _print_errors(blocks, flagged, news, judge) -> None:
    from newsdesk.clean import junk_reason

    for b, f in zip(blocks, flagged):
        if f != b["junk"]:
            kind = "FP" if f else "FN"
            print(f"  {kind} {b['lang']} {b['kind']:<10} {junk_reason(b['text'])} | {b['text'][:150]}")
    for text in news:
        if judge(text, "en"):
            print(f"  AG-FP {junk_reason(text)} | {text[:150]}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
