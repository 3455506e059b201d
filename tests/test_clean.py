"""Cleaning verdicts: junk, truncation, language."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from newsdesk.clean import REASONS, TOO_SHORT, assess, complete_part, detect_language, is_truncated, junk_reason
from newsdesk.model import Item
from newsdesk.options import Options

from .conftest import DATA

SEED = DATA / "kursk-snippets.txt"
BOILERPLATE = DATA / "boilerplate"
AG_NEWS = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"

# Measured English junk F1 0.880 (P 1.000, R 0.786) with `python benchmarks/junk.py`.
ENGLISH_F1_FLOOR = 0.86
AG_NEWS_FP_CEILING = 0.002  # measured 0.0004 (3 of 7,600)


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"evaluation data not found: {path} (see ../shared/data/README.md)")


def _seed_lines() -> list[str]:
    _need(SEED)
    return SEED.read_text(encoding="utf-8").splitlines()


def test_seed_consent_line_is_the_only_junk():
    verdicts = [junk_reason(line) for line in _seed_lines()]
    assert verdicts[10] == REASONS["consent"]
    assert [v for i, v in enumerate(verdicts) if i != 10] == [None] * 11


def test_seed_line_two_is_truncated_and_others_complete():
    lines = _seed_lines()
    assert is_truncated(lines[1])
    assert complete_part(lines[1]) == 0  # no complete sentence before the cut
    assert not any(is_truncated(line) for i, line in enumerate(lines) if i not in (1, 10))


@pytest.mark.parametrize("text, reason", [
    ("We use cookies to personalise content and ads. By clicking Accept you agree.", "consent"),
    ("Sign up for our free daily newsletter. You can unsubscribe at any time.", "newsletter"),
    ("To continue reading the full story, please subscribe. Already a subscriber? Log in.", "subscribe"),
    ("As an Amazon Associate we earn from qualifying purchases.", "ads"),
    ("Share this: Facebook Twitter WhatsApp Email", "share"),
    ("Wir verwenden Cookies, um Ihnen den besten Service zu bieten. Mit der Nutzung stimmen Sie zu.", "consent"),
    ("Home World Politics Business Markets Technology Science Health Sports Entertainment Video "
     "Opinion Weather Podcasts Newsletters Events Careers", "nav"),
])
def test_boilerplate_kinds_are_named(text, reason):
    assert junk_reason(text) == REASONS[reason]


@pytest.mark.parametrize("text", [
    "The EU court ruled that websites must ask users before storing cookies, a decision that "
    "advertisers said would cost them billions. Regulators welcomed it. Consumer groups agreed.",
    "Kmart and Sears announce merger. Kmart Holding Corp and Sears said Wednesday they are merging, "
    "forming a retailer with about US $55 billion in annual revenues.",
    "Icahn Claims Inexcusable Incompetence of eBay CEO Cost Stockholders $4 Billion",
    "Facebook shares fall as Twitter and Snapchat compete for advertisers",
])
def test_news_mentioning_cue_words_is_not_junk(text):
    assert junk_reason(text) is None


def test_too_short_uses_the_option():
    assert junk_reason("Breaking news") == TOO_SHORT
    assert assess(Item(n=1, text="Breaking news now"), Options(min_item_words=2)).junk_reason is None


@pytest.mark.parametrize("text, truncated", [
    ("He said it was over. Then the", True),
    ("Officials confirmed the deal...", True),
    ("Officials confirmed the deal…", True),
    ("The minister said, “We will not retreat.”", False),
    ("Fed's Plosser sees high bar for change in pace of tapering", False),  # a headline
    ("EBay rejects Carl Icahn's director nominees, urges reelection of its  ...", True),
    ("", False),
])
def test_truncation(text, truncated):
    assert is_truncated(text) is truncated


def test_complete_part_ends_before_the_fragment():
    text = "Mr. Smith said the talks failed. Dr. Jones, a mediator, agreed. Both sides want"
    cut = complete_part(text)
    assert text[:cut].rstrip().endswith("agreed.") and text[cut:] == "Both sides want"
    assert complete_part("All done.") == len("All done.")


def test_language():
    assert detect_language("Russian forces have retaken territory in the Kursk region, officials said.") == "en"
    assert detect_language("Die Bundesregierung hat am Mittwoch neue Hilfen für die Ukraine beschlossen.") == "de"
    assert detect_language("Apple iPhone sales") == "en"  # short ASCII: unreliable guess, English
    assert detect_language("12:30 — 14:00") is None


def test_assess_sets_all_verdicts_and_keeps_other_fields():
    item = Item(n=3, text="Ukraine launched a daring offensive into Russia's Kursk region, hoping to", source="X")
    out = assess(item)
    assert (out.junk_reason, out.truncated, out.language, out.source, out.id) == (None, True, "en", "X", item.id)


def _blocks() -> list[dict]:
    _need(BOILERPLATE)
    blocks = []
    for name, junk in (("boilerplate.jsonl", True), ("article-paragraphs.jsonl", False)):
        with open(BOILERPLATE / name, encoding="utf-8") as f:
            blocks += [dict(json.loads(line), junk=junk) for line in f if line.strip()]
    return blocks


def test_junk_quality_floor():
    english = [b for b in _blocks() if b["lang"] == "en"]
    flagged = [junk_reason(b["text"]) is not None for b in english]
    tp = sum(f and b["junk"] for b, f in zip(english, flagged))
    precision = tp / max(1, sum(flagged))
    recall = tp / sum(b["junk"] for b in english)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= ENGLISH_F1_FLOOR, f"English junk F1 {f1:.3f} (P {precision:.3f} R {recall:.3f})"


def test_real_news_is_almost_never_junk():
    _need(AG_NEWS)
    with open(AG_NEWS, encoding="utf-8", newline="") as f:
        texts = [f"{t}. {d}".replace("\\", " ") for _, t, d in csv.reader(f)]
    rate = sum(junk_reason(t) is not None for t in texts) / len(texts)
    assert rate <= AG_NEWS_FP_CEILING, f"{rate:.4f} of AG News flagged as junk"
