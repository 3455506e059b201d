"""Speed of the cleaning verdicts (newsdesk.clean.assess: junk, junk lines, truncation, language)
on real texts, with a dump to compare two versions verdict for verdict.

    python benchmarks/cleaning_speed.py [--dump FILE] [--articles]

Texts (read in place from ../shared/data): a 6 % sample of workload 1 of benchmarks/throughput.py
(AG News, Google News titles, UCI, PolNeAR and Multi-News paragraphs), 60 non-English SemEval-2022
articles per language, 500 Google News titles, the blocks of ../shared/data/boilerplate and the
first 1,500 labelled blocks of each half of the article-extraction pages: about 8,200 texts, news
and page furniture in many languages. Prints wall and CPU (user + system) seconds of one pass, in
this process, after a warm-up on the first 50 texts (models loaded). `--dump` writes each text's
verdict, cue weights and junk probability, one JSON line each: two runs compare with `cmp`.
`--articles` times texts of many lines instead, whose lines the junk model judges one by one
(and the stacked trees of newsdesk.clean.JunkModel with them): the 752 Multi-News articles
and 60 non-English SemEval articles per language (1,292 texts).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import junk  # noqa: E402
import throughput  # noqa: E402
import train_junk  # noqa: E402


def articles() -> list[str]:
    return junk.multi_news_articles() + [a for group in junk.semeval_non_english().values() for a in group[:60]]


def texts() -> list[str]:
    out = [it.text for it in throughput.real_items(0.06)]
    out += [a for articles in junk.semeval_non_english().values() for a in articles[:60]]
    out += junk.google_news_titles()[:500]
    for part in ("train", "test"):
        out += [row["text"] for row in train_junk.boilerplate_set(part)]
        out += [row["text"] for row in train_junk.page_set(part)][:1500]
    return out


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump", type=Path, help="write each text's verdicts here (JSON lines)")
    parser.add_argument("--articles", action="store_true", help="time articles of many lines instead")
    args = parser.parse_args()
    from newsdesk.clean import assess, cue_weights, junk_probability
    from newsdesk.model import Item
    from newsdesk.options import Options

    pile, options = (articles() if args.articles else texts()), Options()
    for text in pile[:50]:
        assess(Item(n=1, text=text), options)
    wall, cpu = time.perf_counter(), _cpu()
    verdicts = [assess(Item(n=1, text=text), options) for text in pile]
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    print(f"{len(pile):,} texts: {wall:.1f} s wall, {cpu:.1f} s CPU, {len(pile) / wall:.0f} texts/s")
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for text, item in zip(pile, verdicts):
                out.write(json.dumps([item.junk_reason, item.junk_spans, item.truncated, item.language,
                                      sorted(cue_weights(text, True).items()),
                                      round(junk_probability([text])[0], 12)]) + "\n")


if __name__ == "__main__":
    main()
