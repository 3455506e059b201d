"""Duplicate detection: exact and near copies grouped, different stories kept apart."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from newsdesk.dedup import HEAD_WORDS, PREFIX_MIN, core_text, find_duplicates, is_prefix_copy, normalise, prefix_keys, shingles
from newsdesk.model import Item
from newsdesk.options import Options

from .conftest import DATA

UCI = DATA / "uci-news" / "uci-news-aggregator-999.csv"
AG_NEWS = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"evaluation data not found: {path} (see ../shared/data/README.md)")


def _items(texts: list[str]) -> list[Item]:
    return [Item(n=n, text=text) for n, text in enumerate(texts, 1)]


def _by_n(items: list[Item], duplicates: dict[str, str]) -> dict[int, int]:
    n_of = {item.id: item.n for item in items}
    return {n_of[dup]: n_of[canonical] for dup, canonical in duplicates.items()}


def _ag_news(limit: int) -> list[str]:
    with open(AG_NEWS, encoding="utf-8", newline="") as f:
        rows = [row for _, row in zip(range(limit), csv.reader(f))]
    return [f"{title}. {description}".replace("\\", " ") for _, title, description in rows]


def test_normalise_unifies_case_quotes_dashes_and_punctuation():
    assert normalise("Kyiv’s “push” — in KURSK!!") == normalise('kyiv\'s "push" - in Kursk')
    assert normalise("  a\n\tb  ") == "a b"


def test_short_texts_use_words_and_pairs_long_texts_trigrams():
    assert "fed" in shingles("Fed holds rates")
    long = " ".join(f"w{i}" for i in range(20))
    assert all(len(s.split()) == 3 for s in shingles(long))


def test_exact_and_near_duplicates_map_to_smallest_n():
    story = ("Russian forces have retaken 63.2% of the territory captured by Ukraine in the "
             "Kursk region of western Russia, the Russian defence ministry said on Friday.")
    items = _items([
        "Ukraine launched a daring offensive into Russia's Kursk region, hoping to stretch resources.",
        story,
        story.upper().replace(",", ""),
        story + " Reporting by Reuters; editing by staff.",
    ])
    assert _by_n(items, find_duplicates(items, Options())) == {3: 2, 4: 2}


def test_groups_are_transitive():
    base = " ".join(f"word{i}" for i in range(40))
    a, b, c = base, base + " extra1 extra2 extra3", base + " extra1 extra2 extra3 extra4 extra5 extra6"
    items = _items([c, a, b])  # chain a ~ b ~ c
    assert _by_n(items, find_duplicates(items, Options())) == {2: 1, 3: 1}


def test_empty_texts_are_not_duplicates_of_each_other():
    assert find_duplicates(_items(["", "  ", "..."]), Options()) == {}


def test_uci_syndicated_headlines_grouped_and_stories_kept_apart():
    _need(UCI)
    with open(UCI, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    items = [Item(n=n, text=r["TITLE"], url=r["URL"], source=r["PUBLISHER"]) for n, r in enumerate(rows, 1)]
    duplicates = find_duplicates(items, Options())
    canonical = {item.text: duplicates.get(item.id, item.id) for item in items}
    # Real pairs from the file: wire copies with a tag, a qualifier or a trailing cut.
    for a, b in [
        ("Noyer Says Strong Euro Creates Unwarranted Economic Pressure (1)",
         "Noyer Says Strong Euro Creates Unwarranted Economic Pressure"),
        ("Bitcoin exchange MtGox faced 150000 attacks per second - report",
         "Bitcoin exchange MtGox faced 150000 attacks per second"),
        ("Pizza chain Sbarro files for bankruptcy again", "Pizza chain Sbarro files for bankruptcy"),
    ]:
        assert canonical[a] == canonical[b], (a, b)
    # Different stories (gold STORY ids) are merged only where the headline is identical.
    story = {item.id: r["STORY"] for item, r in zip(items, rows)}
    text = {item.id: normalise(item.text) for item in items}
    cross = [(d, c) for d, c in duplicates.items() if story[d] != story[c]]
    assert all(text[d] == text[c] for d, c in cross)


def test_order_of_the_batch_does_not_change_the_mapping():
    _need(UCI)
    with open(UCI, encoding="utf-8", newline="") as f:
        items = _items([r["TITLE"] for r in csv.DictReader(f)])
    expected = find_duplicates(items, Options())
    assert expected
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    assert find_duplicates(shuffled, Options()) == expected


def test_ag_news_light_edits_grouped_and_distinct_items_not_merged():
    _need(AG_NEWS)
    texts = _ag_news(2000)
    # Measured: 7 merges in the first 2,000, all the same wire story from AP and Reuters.
    assert len(find_duplicates(_items(texts), Options())) <= 10
    originals = texts[:200]
    edited = [t.replace(",", ";").replace(" - ", " -- ") + " Copyright 2004 Reuters. All rights reserved."
              for t in originals[:100]]
    edited += [t.rstrip(".") + "!" for t in originals[100:]]
    items = _items(originals + edited)
    mapping = _by_n(items, find_duplicates(items, Options()))
    grouped = sum(mapping.get(200 + k) == k for k in range(1, 201))
    # Measured 184/200: a 6-word footer on a 25-word item leaves word 3-gram Jaccard < 0.8.
    assert grouped >= 180, f"only {grouped}/200 edited copies grouped with their original"


# ---------------------------------------------------------------- syndication rules

NEWS = ("Kmart and Sears announce merger. Kmart Holding Corp and Sears said Wednesday they are merging, "
        "forming a retailer with about US $55 billion in annual revenues.")


@pytest.mark.parametrize("footer", [
    " (Reporting by Susan Cornwell; Editing by Bill Trott)",
    " Reporting by Reuters; editing by staff.",
    " - The Associated Press",
    " \u2014 Reuters",
    " Copyright 2016 Outlet Media.",
    " \u00a9 2004 Reuters. All rights reserved.",
    " Follow us on Twitter for more.",
    " This story has been updated.",
    " Read more at dailyherald.example.",
    " Copyright 2016 Outlet Media. Follow us on Twitter for more.",  # stacked footers
])
def test_outlet_footers_are_not_part_of_the_core(footer):
    assert core_text(NEWS + footer) == NEWS


def test_wire_dateline_is_not_part_of_the_core():
    assert core_text("WASHINGTON (Reuters) - " + NEWS) == NEWS
    assert core_text("(AP) \u2014 " + NEWS) == NEWS


@pytest.mark.parametrize("text", [
    "The singer sued the label over copyright infringement.",  # no year: prose, not a notice
    "Fans can follow him on Twitter.",  # "follow us" or a handle only
    "Police said the suspect fled to Amman - AP reporters saw the car.",  # the tag must end the text
    "(Reporting by Susan Cornwell; Editing by Bill Trott)",  # all footer: its own core
])
def test_prose_that_looks_like_a_footer_is_kept(text):
    assert core_text(text) == text


def test_footer_copies_of_a_headline_group_with_it_whichever_comes_first():
    # UCI-style headline: too short for MinHash to see past a footer of as many words.
    head = "Pizza chain Sbarro files for bankruptcy"
    items = _items([head + " (Reporting by Staff; Editing by Desk)", head + " - The Associated Press",
                    head + " Copyright 2014 Outlet Media.", head])
    assert _by_n(items, find_duplicates(items, Options())) == {2: 1, 3: 1, 4: 1}


def test_punctuation_edits_are_exact_copies():
    edited = NEWS.replace(", ", "; ").replace("'", "\u2019").rstrip(".") + " ..."
    items = _items([NEWS, edited, NEWS.rstrip(".") + "!"])
    assert _by_n(items, find_duplicates(items, Options())) == {2: 1, 3: 1}


def test_a_copy_cut_short_is_a_prefix_copy_and_distinct_texts_are_not():
    _need(AG_NEWS)
    long = next(t for t in _ag_news(200) if len(t.split()) >= 40)
    words = normalise(long).split()
    assert is_prefix_copy(words[: int(len(words) * 0.6)], words)  # long enough: cut anywhere
    assert is_prefix_copy(words[:5], words[:12])  # short: a tail of at most 12 words
    assert not is_prefix_copy(words[:5], words[:25])  # a headline is not a copy of a long text
    assert not is_prefix_copy(words[:3], words[:4])  # too short to tell
    assert not is_prefix_copy(words[:30], words[:20] + ["other"] * 20)  # same lede, other story
    longer = next(t for t in _ag_news(2000) if len(t.split()) >= 60)
    cut = " ".join(longer.split()[:25])  # under half the text: Jaccard and containment both miss it
    items = _items([cut, longer])
    assert _by_n(items, find_duplicates(items, Options())) == {2: 1}


def test_prefix_keys_meet_exactly_the_prefix_copies():
    """The keys that the batch and the store index: a text's cuts are the shorter texts it may
    copy with a tail added (longest first, as the store looks them up), and only those."""
    words = [f"w{i}" for i in range(30)]
    keys = prefix_keys(words)
    assert keys.whole == words and keys.head == words[:HEAD_WORDS]
    assert [len(cut) for cut in keys.cuts] == list(range(29, 17, -1))
    text = words[:10]
    assert list(prefix_keys(text).cuts) == [text[:k] for k in range(9, PREFIX_MIN - 1, -1)]
    assert all(is_prefix_copy(text[:k], text) == (k >= PREFIX_MIN) for k in range(1, 10))
    short = prefix_keys(words[:3])  # too short to tell: no keys
    assert (short.whole, list(short.cuts), short.head) == (None, [], None)


def test_headlines_sharing_their_first_words_are_not_merged():
    items = _items(["Obama says he will veto the health care bill",
                    "Obama says he will sign the immigration bill"])
    assert find_duplicates(items, Options()) == {}


@pytest.mark.parametrize("text", ["Fans can follow @nasa on Twitter for launch updates.",
                                  "Residents can read more on the city website."])
def test_prose_that_ends_like_a_footer_is_news(text):
    from newsdesk.clean import item_junk_reason
    from newsdesk.dedup import core_text

    assert core_text(text) == text
    assert item_junk_reason(text) is None


@pytest.mark.parametrize("footer", [" Read more at dailyherald.example.", " Follow us on Twitter for more.",
                                    " This story has been updated.", " Copyright 2016 Outlet Media."])
def test_a_footer_after_a_title_without_a_full_stop_is_a_footer(footer):
    """googlenews-style titles end without punctuation: the footer's capital starts a sentence."""
    assert core_text("kanye kim wedding venue" + footer) == "kanye kim wedding venue"


@pytest.mark.parametrize("title", ["Why Kids Should Read More On Paper", "Fox Admits The Story Was Corrected Twice",
                                   "Students Follow Us On Twitter Now"])
def test_a_title_case_headline_keeps_its_last_words(title):
    assert core_text(title) == title


def test_wire_tag_before_a_newline_is_a_footer():
    from newsdesk.dedup import core_text

    assert core_text("Roads were closed after the storm. - AP\n") == "Roads were closed after the storm."
