"""HTML article extraction quality on the article-extraction-benchmark (181 real news pages).

Precision, recall and F1 of the bag of whitespace tokens of the extracted text against the
gold article body, summed over pages, for newsdesk as a user gets it (the page read as a file,
with the item length cap, then judged by newsdesk.clean: a page dropped as junk scores no
tokens), the same with the junk lines inside kept articles removed, newsdesk's extraction step
alone, and trafilatura run directly in the same run, next to the published figures. The two
newsdesk rows share one reading of each page: the second one's seconds leave it out.

    python benchmarks/html_extraction.py [--limit N]

Reads ../shared/data/article-extraction-benchmark in place.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "article-extraction-benchmark"
PUBLISHED = {"trafilatura (published)": 0.958, "newspaper4k (published)": 0.949}


def pages(data: Path = DATA, limit: int | None = None, every: int = 1):
    """(page id, html bytes, url, gold text), in sorted id order; every k-th page when subsampling."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[::every]
    if limit:
        ids = ids[:limit]
    for pid in ids:
        html = gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes())
        yield pid, html, truth[pid].get("url"), truth[pid]["articleBody"]


def score(pairs) -> dict:
    """Bag-of-whitespace-tokens precision, recall and F1, summed over (predicted, gold) pairs."""
    tp = fp = fn = 0
    for predicted, gold in pairs:
        p, g = Counter((predicted or "").split()), Counter(gold.split())
        hit = sum((p & g).values())
        tp, fp, fn = tp + hit, fp + sum(p.values()) - hit, fn + sum(g.values()) - hit
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def newsdesk_text(html: bytes, url: str | None) -> str:
    """What a user gets: the page read as a file is (`newsdesk.ingest.read`: extraction, the
    length cap) and judged (`newsdesk.clean.assess`): a page dropped as junk gives no text."""
    item = _assessed(html)
    return "" if item.junk_reason else item.text


def newsdesk_cleaned_text(html: bytes, url: str | None) -> str:
    """The same, with the junk lines found inside the kept article (Item.junk_spans) removed:
    what the later stages read."""
    from newsdesk.clean import blank_spans

    item = _assessed(html)
    return "" if item.junk_reason else blank_spans(item.text, item.junk_spans)


def newsdesk_extract_text(html: bytes, url: str | None) -> str:
    """newsdesk.ingest.html.extract alone (trafilatura with newsdesk's settings)."""
    from newsdesk.ingest.html import extract

    page = extract(html, url)
    return page.text if page else ""


@lru_cache(maxsize=256)  # the two newsdesk rows judge each page once
def _assessed(html: bytes):
    import io

    from newsdesk.clean import assess
    from newsdesk.ingest.common import RecordCounter
    from newsdesk.ingest.html import read_page
    from newsdesk.options import Options

    options = Options()
    (item,) = read_page(io.BytesIO(html), "page.html", options, RecordCounter())
    return item if item.junk_reason else assess(item, options)


def trafilatura_text(html: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def run(limit: int | None = None, every: int = 1, systems=None) -> dict:
    systems = systems or {"newsdesk (read + assess)": newsdesk_text,
                          "newsdesk, junk lines removed": newsdesk_cleaned_text,
                          "newsdesk extract() alone": newsdesk_extract_text,
                          "trafilatura 2.3.1 (direct)": trafilatura_text}
    found = {name: [] for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    for _, html, url, gold in pages(limit=limit, every=every):
        for name, fn in systems.items():
            start = time.perf_counter()
            found[name].append((fn(html, url), gold))
            seconds[name] += time.perf_counter() - start
    return {name: {**score(pairs), "pages": len(pairs), "seconds": seconds[name]} for name, pairs in found.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N pages (sorted by id)")
    parser.add_argument("--every", type=int, default=1, help="every k-th page (deterministic subsample)")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"data not found: {DATA}", file=sys.stderr)
        return 1
    results = run(args.limit, args.every)
    print("| system | pages | precision | recall | F1 | seconds |\n|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['pages']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['seconds']:.1f} |")
    for name, f1 in PUBLISHED.items():
        print(f"| {name} | 181 | | | {f1:.3f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
