"""Cleaning verdicts: junk (rules and the learned model), junk lines inside kept items,
headlines kept, truncation in every script, language."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

from newsdesk.clean import (
    REASONS,
    TOO_SHORT,
    assess,
    blank_spans,
    complete_part,
    detect_language,
    is_truncated,
    item_junk_reason,
    junk_model,
    junk_reason,
    junk_spans,
    text_units,
)
from newsdesk.model import Item
from newsdesk.options import Options

from .conftest import DATA, ROOT, gate

SEED = DATA / "kursk-snippets.txt"
BOILERPLATE = DATA / "boilerplate"
AG_NEWS = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"
GOOGLE_NEWS = DATA / "googlenews-sttm" / "dataset" / "GoogleNews.txt"
UCI = DATA / "uci-news" / "uci-news-aggregator-999.csv"
PAGES = DATA / "article-extraction-benchmark" / "ground-truth.json"
MULTI_NEWS = DATA / "multinews-sample" / "multinews-250-test-sample.csv"
SEMEVAL = DATA / "semeval2022-task8" / "pairs.csv"

# Measured with `python benchmarks/junk.py` (block verdicts, junk_reason; "unseen": the halves
# that benchmarks/train_junk.py does not train on).
# Items dropped (item_junk_reason, what brief and stories use).
CEILINGS = {
    "ag_news_dropped": 0.002,  # 2 of 7,600 (0.0003): "Put RSS Feeds On Your Web Page", "RSS Feeds Hunger for More Ads"
    "google_news_dropped": 0.005,  # the goal; 29 of 11,108 (0.0026; was 34): 23 one-word titles, 6 read as labels
    "uci_dropped": 0.003,  # 2 of 999 (0.0020; was 3), page furniture in the set: "Share this on:", "Posted by ..."
    "multi_news_dropped": 0.005,  # 1 of 752 (0.0013): a document that is only "More from this journal"
    # Characters cut as junk lines from the kept Multi-News articles (junk_spans, the stacked model):
    # 0.0090 (0.0045 with the regression alone); most of the rise is one 12,408-character line of citations.
    "multi_news_cut": 0.012,
    "non_english_dropped": 0.01,  # the goal (issue 15) is 0.02; 4 of 1,799 SemEval articles (0.0022; was 5)
}


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"evaluation data not found: {path} (see ../shared/data/README.md)")


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _seed_lines() -> list[str]:
    _need(SEED)
    return SEED.read_text(encoding="utf-8").splitlines()


# --- the seed

def test_seed_consent_line_is_the_only_junk():
    verdicts = [junk_reason(line) for line in _seed_lines()]
    assert verdicts[10] == REASONS["consent"]
    assert [v for i, v in enumerate(verdicts) if i != 10] == [None] * 11


def test_seed_line_two_is_truncated_and_others_complete():
    lines = _seed_lines()
    assert is_truncated(lines[1])
    assert complete_part(lines[1]) == 0  # no complete sentence before the cut
    assert not any(is_truncated(line) for i, line in enumerate(lines) if i not in (1, 10))


# --- kinds of boilerplate, in several languages

@pytest.mark.parametrize("text, reason", [
    ("We use cookies to personalise content and ads. By clicking Accept you agree.", "consent"),
    ("Sign up for our free daily newsletter. You can unsubscribe at any time.", "newsletter"),
    ("To continue reading the full story, please subscribe. Already a subscriber? Log in.", "subscribe"),
    ("As an Amazon Associate we earn from qualifying purchases.", "ads"),
    ("Share this: Facebook Twitter WhatsApp Email", "share"),
    ("Home World Politics Business Markets Technology Science Health Sports Entertainment Video "
     "Opinion Weather Podcasts Newsletters Events Careers", "nav"),
    ("Related stories: Ukraine says it still holds ground in Kursk. Russia claims new gains.", "nav"),
    # German, French, Spanish, Italian, Polish, Russian, Ukrainian, Portuguese consent and sign-up text
    ("Wir verwenden Cookies, um Ihnen den besten Service zu bieten. Mit der Nutzung stimmen Sie zu.", "consent"),
    ("Abonnieren Sie unseren Newsletter und erhalten Sie jeden Morgen die wichtigsten Nachrichten.", "newsletter"),
    ("Lesen Sie auch: Selenskyj besucht Front in Kursk. Russland meldet Rückeroberung von Dörfern.", "nav"),
    ("Nous utilisons des cookies pour améliorer votre expérience. En poursuivant votre navigation, "
     "vous acceptez leur utilisation.", "consent"),
    ("Inscrivez-vous à notre newsletter et recevez chaque matin l'essentiel de l'actualité. "
     "Vous pouvez vous désinscrire à tout moment.", "newsletter"),
    ("Utilizamos cookies propias y de terceros para mejorar nuestros servicios. Si continúa navegando, "
     "consideramos que acepta su uso.", "consent"),
    ("Suscríbete a nuestro boletín para recibir las noticias más importantes del día.", "newsletter"),
    ("Questo sito utilizza cookie tecnici e di terze parti. Se continui a navigare accetti il loro utilizzo.",
     "consent"),
    ("Iscriviti alla nostra newsletter: puoi cancellarti in qualsiasi momento.", "newsletter"),
    ("Ta strona używa plików cookies. Korzystając ze strony wyrażasz zgodę na ich użycie.", "consent"),
    ("Zapisz się do naszego newslettera. Możesz zrezygnować w każdej chwili.", "newsletter"),
    ("Мы используем файлы cookie. Продолжая пользоваться сайтом, вы соглашаетесь с политикой "
     "конфиденциальности.", "consent"),
    ("Подпишитесь на нашу рассылку, чтобы первыми узнавать главные новости.", "newsletter"),
    ("Ми використовуємо файли cookie, щоб покращити роботу сайту.", "consent"),
    ("Este site utiliza cookies para melhorar a sua experiência. Consulte a nossa política de privacidade.",
     "consent"),
])
def test_boilerplate_kinds_are_named(text, reason):
    assert junk_reason(text) == REASONS[reason]
    assert item_junk_reason(text) == REASONS[reason]


@pytest.mark.parametrize("text", [
    "The EU court ruled that websites must ask users before storing cookies, a decision that "
    "advertisers said would cost them billions. Regulators welcomed it. Consumer groups agreed.",
    "Kmart and Sears announce merger. Kmart Holding Corp and Sears said Wednesday they are merging, "
    "forming a retailer with about US $55 billion in annual revenues.",
    "Icahn Claims Inexcusable Incompetence of eBay CEO Cost Stockholders $4 Billion",
    "Facebook shares fall as Twitter and Snapchat compete for advertisers",
    "Die Datenschutzbehörde verhängte gegen den Konzern eine Strafe, weil er Cookies ohne Einwilligung "
    "gesetzt habe. Das Unternehmen kündigte Widerspruch an.",
    "La CNIL a infligé une amende de 150 millions d'euros à Google pour sa gestion des cookies, "
    "a annoncé l'autorité jeudi.",
    "Роскомнадзор заблокировал сайт издания, сообщили в пятницу в ведомстве.",
])
def test_news_mentioning_cue_words_is_not_junk(text):
    assert junk_reason(text) is None


# --- headlines are news, fragments are not

@pytest.mark.parametrize("text", [
    "Obama wins", "keith urban", "xbox launch", "Fed raises rates",
    "Kmart, Sears to merge", "thanksgiving hanukkah festive",
    "俄军收复库尔斯克",  # Chinese: 8 characters, 4 words' worth
    "ロシア、クルスク州の領土奪還を発表",  # Japanese
    "Россия вернула часть Курской области",
    "Zelensky visits Kursk front",
])
def test_short_headlines_are_kept(text):
    assert junk_reason(text) is None
    assert item_junk_reason(text) is None


@pytest.mark.parametrize("text, reason", [
    ("Share", REASONS["share"]),
    ("Read more", REASONS["nav"]),
    ("Read more »", REASONS["nav"]),
    ("Advertisement", REASONS["ads"]),
    ("Cookie settings", REASONS["consent"]),
    ("Comments (12)", REASONS["comment"]),
    ("Lire la suite", REASONS["nav"]),
    ("Читать далее", REASONS["nav"]),
    ("Teilen", REASONS["share"]),
    ("Breaking news", REASONS["nav"]),
    ("Frozen", TOO_SHORT),  # one word is a fragment
    ("See more photos:", TOO_SHORT),  # a label introducing what follows
    ("12:30 — 14:00", TOO_SHORT),
    ("", TOO_SHORT),
])
def test_fragments_and_page_labels_are_dropped(text, reason):
    assert junk_reason(text) == reason


def test_too_short_uses_the_option():
    assert junk_reason("Kursk") == TOO_SHORT
    assert assess(Item(n=1, text="Kursk"), Options(min_item_words=1)).junk_reason is None


def test_length_counts_words_in_scripts_without_spaces():
    assert text_units("Russia retakes Kursk villages") == 4
    assert text_units("俄罗斯国防部周五表示") == 5  # 10 characters, 2 a word
    assert text_units("รัสเซียยึดคืนหมู่บ้าน") == 6  # Thai: 21 characters, 4 a word
    assert text_units("12:30 — 14:00") == 0


# --- a whole article is never dropped for one widget line

MINCHIN = ("BBC's Louise Minchin quits social media\n"
           "The BBC Breakfast presenter said she had been the target of abuse online for months and "
           "would take a break from Twitter and Instagram.\n"
           "Sign up for our newsletter\n"
           "She thanked viewers for their support.")


def test_an_article_with_one_widget_line_is_kept_and_the_line_listed():
    assert item_junk_reason(MINCHIN) is None
    spans = junk_spans(MINCHIN)
    assert [(MINCHIN[s:e], reason) for s, e, reason in spans] == [
        ("Sign up for our newsletter", REASONS["newsletter"])]


def test_a_headline_with_a_widget_line_is_kept():
    text = "BBC's Louise Minchin quits social media\nSign up for our newsletter"
    assert junk_reason(text) == REASONS["newsletter"]  # as one block it reads as a sign-up
    assert item_junk_reason(text) is None
    assert [text[s:e] for s, e, _ in junk_spans(text)] == ["Sign up for our newsletter"]


def test_a_widget_sentence_at_the_end_of_a_snippet_is_listed():
    text = ("Search underway for armed robber in Daytona Beach. Police said the man fled on foot after "
            "robbing a gas station on Friday night. Sign up for our newsletter to get the latest news "
            "delivered to your inbox.")
    assert item_junk_reason(text) is None
    (start, end, reason), = junk_spans(text)
    assert text[start:end].startswith("Sign up for our newsletter") and end == len(text)
    assert reason == REASONS["newsletter"]


@pytest.mark.parametrize("text", [
    "We use cookies to give you the best experience.\nYou can change your choices at any time.\nAccept all",
    "Sign up for our newsletter\nGet the best stories delivered to your inbox every morning.\nSubscribe",
    "Share this article\nFacebook\nTwitter\nEmail",
])
def test_a_block_of_boilerplate_lines_is_still_dropped(text):
    assert item_junk_reason(text) is not None


def test_blanking_junk_spans_keeps_every_offset():
    spans = junk_spans(MINCHIN)
    blanked = blank_spans(MINCHIN, spans)
    assert len(blanked) == len(MINCHIN)
    assert "newsletter" not in blanked and blanked.index("She thanked") == MINCHIN.index("She thanked")


def test_assess_records_junk_spans_and_judges_truncation_without_them():
    text = "Officials confirmed the deal on Friday.\nAdvertisement\nRead more"
    out = assess(Item(n=1, text=text))
    assert out.junk_reason is None and not out.truncated
    assert [text[s:e] for s, e, _ in out.junk_spans] == ["Advertisement", "Read more"]


def test_seed_items_have_no_junk_lines():
    assert all(not junk_spans(line) for i, line in enumerate(_seed_lines()) if i != 10)


# --- truncation

@pytest.mark.parametrize("text, truncated", [
    ("He said it was over. Then the", True),
    ("Officials confirmed the deal...", True),
    ("Officials confirmed the deal…", True),
    ("The minister said, “We will not retreat.”", False),
    ("Fed's Plosser sees high bar for change in pace of tapering", False),  # a headline
    ("EBay rejects Carl Icahn's director nominees, urges reelection of its  ...", True),
    ("", False),
    # scripts without spaces or capitals
    ("俄罗斯国防部周五表示，俄军已收复库尔斯克州63.2%的领土。", False),
    ("俄罗斯国防部周五表示，俄军已收复库尔斯克州63.2%的领土。乌克兰方面表示，仍控制着数百平方公里的", True),
    ("他说：“我们不会撤退。”", False),
    ("ロシア国防省は金曜日、クルスク州の領土の63.2%を奪還したと発表した。", False),
    ("美国总统周五表示将对进口钢铁征收关税", False),  # a headline: 9 words' worth
    ("रूस के रक्षा मंत्रालय ने कहा कि क्षेत्र का 63.2% हिस्सा वापस ले लिया गया है।", False),
    ("هل تستطيع أوكرانيا الاحتفاظ بكورسك؟", False),
    ("Минобороны России заявило, что войска вернули 63,2% территории. Киев говорит, что", True),
    ("Минобороны России заявило, что войска вернули 63,2% территории!", False),
])
def test_truncation(text, truncated):
    assert is_truncated(text) is truncated


@pytest.mark.parametrize("text, complete", [
    ("Mr. Smith said the talks failed. Dr. Jones, a mediator, agreed. Both sides want",
     "Mr. Smith said the talks failed. Dr. Jones, a mediator, agreed. "),
    ("俄军已收复领土。乌克兰方面表示，仍控制着", "俄军已收复领土。"),
    ("ロシア国防省は金曜日、クルスク州の領土の大半を奪還したと発表した。ウクライナ側はこれを否定し、前線では激しい戦闘が続いていると",
     "ロシア国防省は金曜日、クルスク州の領土の大半を奪還したと発表した。"),
    ("रूस ने कहा कि क्षेत्र वापस ले लिया गया है। यूक्रेन ने कहा कि", "रूस ने कहा कि क्षेत्र वापस ले लिया गया है। "),
    ("قالت موسكو إنها استعادت الأراضي. وقالت كييف إن", "قالت موسكو إنها استعادت الأراضي. "),
    # no capital after the stop: one sentence, unfinished
    ("Киев говорит, что удерживает позиции в Курской области несмотря на наступление российских войск. "
     "а потом добавил, что ситуация остаётся сложной и", ""),
])
def test_complete_part_ends_before_the_fragment(text, complete):
    assert text[:complete_part(text)] == complete
    assert complete_part("All done.") == len("All done.")


# --- language

def test_language():
    assert detect_language("Russian forces have retaken territory in the Kursk region, officials said.") == "en"
    assert detect_language("Die Bundesregierung hat am Mittwoch neue Hilfen für die Ukraine beschlossen.") == "de"
    assert detect_language("Apple iPhone sales") == "en"  # short ASCII: unreliable guess, English
    # ASCII letters with typographic punctuation: Multi-News lines py3langid reads as br and pcm
    assert detect_language("—Joe Lauria") == detect_language("‘It’s Problematic’") == "en"
    assert detect_language("Jay Leno Celebrates 20th Anniversary Hosting ‘The Tonight Show’") == "en"
    assert detect_language("La SQ confirme qu’un seul des individus arrêté hier soir") == "fr"  # é: kept
    assert detect_language("12:30 — 14:00") is None


def test_assess_sets_all_verdicts_and_keeps_other_fields():
    item = Item(n=3, text="Ukraine launched a daring offensive into Russia's Kursk region, hoping to", source="X")
    out = assess(item)
    assert (out.junk_reason, out.truncated, out.language, out.source, out.id, out.junk_spans) == (
        None, True, "en", "X", item.id, ())


# --- the learned model

def test_the_shipped_model_is_small_and_loads():
    path = ROOT / "src" / "newsdesk" / "data" / "junk_model.npz"
    assert path.stat().st_size < 1_000_000
    model = junk_model()
    assert model is not None and 0.5 <= model.long_threshold <= model.threshold < 1.0
    assert model.threshold_for(4) == model.threshold and model.threshold_for(40) == model.long_threshold
    furniture, news = model.probability([
        "Posted in Uncategorized | Tagged news, politics | Leave a comment",
        "Russian forces have retaken 63.2% of the territory captured by Ukraine, the ministry said.",
    ])
    assert furniture > model.threshold > news



def test_the_model_scores_rows_as_its_sparse_features_do():
    """JunkModel.probability sums each row's weights itself; block_features (what training
    reads) gives the same logits as a sparse product."""
    import numpy as np

    from newsdesk.clean import block_features, tree_features

    model = junk_model()
    texts = [b["text"] for b in _blocks()[:300]] + ["", "a"]
    grams, shape = block_features(texts)
    logit = grams @ model.ngram_weights + shape @ model.shape_weights + model.bias
    assert np.allclose(model.probability(texts), 1 / (1 + np.exp(-logit)), rtol=0, atol=1e-9)
    if model.trees is not None:  # lines: stacked with the trees over static embeddings
        linear, boosted, bias = model.stack
        stacked = linear * logit + boosted * model.trees.score(tree_features(texts)) + bias
        assert np.allclose(model.probability(texts, lines=True), 1 / (1 + np.exp(-stacked)), rtol=0, atol=1e-9)


def test_a_whole_item_is_judged_by_the_regression_alone(monkeypatch):
    """The stacked model judges the lines cut from a kept item, never a whole item: the item
    verdicts are those of the regression alone (on lower-cased Google News titles, which the
    stacked model reads as captions and share bars, and on boilerplate blocks taken as items),
    while as lines the same blocks are flagged more often, and never less."""
    from dataclasses import replace

    from newsdesk import clean

    model = junk_model()
    if model.trees is None:
        pytest.skip("no stacked model loaded (run `newsdesk setup`)")
    _need(GOOGLE_NEWS)
    blocks = [b["text"] for b in _blocks()]
    texts = GOOGLE_NEWS.read_text(encoding="utf-8").splitlines()[:1500] + blocks[::5]
    items = [item_junk_reason(t) for t in texts]
    lines = [junk_reason(t) is not None for t in blocks]
    with monkeypatch.context() as patched:
        patched.setattr(clean, "junk_model", lambda: replace(model, trees=None, line_thresholds=None))
        assert [item_junk_reason(t) for t in texts] == items
        regression_lines = [junk_reason(t) is not None for t in blocks]
    assert sum(lines) > sum(regression_lines)
    assert all(line or not alone for line, alone in zip(lines, regression_lines))


@pytest.mark.slow
def test_cut_lines_leave_news_in_every_kept_article():
    """A kept item keeps news once its junk lines are blanked (where the stacked model's cuts
    would leave less than a news item, the regression's are taken), and the lines cut from real
    articles stay a small share of their text: cutting news sentences is as bad as dropping them."""
    _need(MULTI_NEWS)
    kept = [t for t in _bench("junk").multi_news_articles() if item_junk_reason(t) is None]
    cut = 0
    for text in kept:
        spans = junk_spans(text)
        assert text_units(blank_spans(text, spans)) >= Options().min_item_words, text[:200]
        cut += sum(end - start for start, end, _ in spans)
    share = cut / sum(map(len, kept))
    assert 0 < share <= CEILINGS["multi_news_cut"], f"{share:.4f} of the kept Multi-News articles' characters cut"


def test_flat_trees_score_as_scikit_learn_does():
    """newsdesk.clean.Trees, the arrays benchmarks/train_junk.py exports, gives the log-odds of
    the fitted HistGradientBoostingClassifier (which the package does not import)."""
    pytest.importorskip("sklearn")
    import numpy as np

    from newsdesk.clean import TREE_FIELDS, Trees

    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 5)).astype(np.float32)
    y = (X[:, 0] * X[:, 1] + np.sin(3 * X[:, 2]) > 0).astype(int)
    train_junk = _bench("train_junk")
    fitted = train_junk.fit_trees(X[:400], y[:400])
    arrays = train_junk.tree_arrays(fitted)
    trees = Trees(**{name: arrays[f"tree_{name}"] for name in TREE_FIELDS}, baseline=float(arrays["tree_baseline"]))
    scores = trees.score(X[400:])
    assert np.allclose(scores, fitted.decision_function(X[400:]), rtol=0, atol=1e-9)
    assert scores.std() > 1.0  # the trees split: not a constant


def test_the_neighbour_lever_reads_only_blocks_of_the_same_page():
    """benchmarks/junk_misses.py gives each page block its neighbours' log-odds: the blocks
    before and after it on its own page, never another page's, and none to blocks outside the
    pages (news paragraphs, the boilerplate set)."""
    pytest.importorskip("sklearn")
    import numpy as np

    misses = _bench("junk_misses")
    stacked = np.array([0.9, 0.1, 0.5, 0.8, 0.7])
    groups = ["a", "a", "a", "b", "polnear-0"]
    X = misses._neighbours(stacked, np.array([4, 5, 6, 7, 8]), groups, 4)
    z = np.log(stacked / (1 - stacked))
    assert np.allclose(X[:, 0], z)  # its own log-odds
    assert np.allclose(X[:, 1], [0, z[0], z[1], 0, 0])  # the block before, on its page
    assert np.allclose(X[:, 2], [z[1], z[2], 0, 0, 0])  # the block after
    assert np.allclose(X[:, 4], [z[2], 0, 0, 0, 0])  # two after
    assert np.allclose(X[:, 5:7], [[0, 1], [1, 1], [1, 0], [0, 0], [0, 0]])  # which neighbours there are


def test_cues_ruled_out_by_their_required_strings_never_match():
    """cue_weights runs only the cues whose required strings a text holds: on real blocks of
    every language and on letters that re.IGNORECASE equates (ſ and s, İ and i), the weights are
    those of running every cue."""
    from newsdesk.clean import _MAX_COUNT, _cues, cue_weights

    texts = [b["text"] for b in _blocks()] + [
        "We use cookieſ to improve your experience", "ACCEPT ALL COOKIES", "İnstagram ile paylaş",
        "Manage Your Privacy Settings", "Subscribe to our NEWSLETTER today"]
    assert any(cue_weights(t, weak_too=True) for t in texts[-5:])
    for text in texts:
        expected: dict[str, int] = {}
        for cue in _cues():
            count = min(len(cue.pattern.findall(text)), _MAX_COUNT)
            if count:
                expected[cue.kind] = expected.get(cue.kind, 0) + cue.weight * count
        assert cue_weights(text, weak_too=True) == expected, text


# --- quality on the real data

def _blocks() -> list[dict]:
    _need(BOILERPLATE)
    blocks = []
    for name, junk in (("boilerplate.jsonl", True), ("article-paragraphs.jsonl", False)):
        with open(BOILERPLATE / name, encoding="utf-8") as f:
            blocks += [dict(json.loads(line), junk=junk) for line in f if line.strip()]
    return blocks


def _f1(pairs, flagged) -> tuple[float, float, float]:
    tp = sum(f and j for (_, j), f in zip(pairs, flagged))
    precision = tp / max(1, sum(flagged))
    recall = tp / max(1, sum(j for _, j in pairs))
    return precision, recall, 2 * precision * recall / max(1e-9, precision + recall)


def test_junk_quality_floor():
    english = [(b["text"], b["junk"]) for b in _blocks() if b["lang"] == "en"]
    p, r, f1 = _f1(english, [junk_reason(t) is not None for t, _ in english])
    gate("junk", {"english_f1": f1})


def test_boilerplate_of_unseen_pages_floor():
    _need(BOILERPLATE)
    held_out = [(b["text"], b["junk"]) for b in _bench("train_junk").boilerplate_set("test")]
    p, r, f1 = _f1(held_out, [junk_reason(t) is not None for t, _ in held_out])
    gate("junk", {"boilerplate_unseen_f1": f1})


@pytest.mark.slow
def test_page_furniture_of_unseen_pages_floor():
    _need(PAGES)
    _need(AG_NEWS)
    junk_bench = _bench("junk")
    sets = junk_bench.block_sets("test")
    pairs = sets["pages, 4+ words"]
    p, r, f1 = _f1(pairs, [junk_reason(t) is not None for t, _ in pairs])
    gate("junk", {"pages_unseen_precision": p, "pages_unseen_f1": f1})
    versus = junk_bench.versus_news(sets, junk_bench.ag_news()[::junk_bench.NEWS_SAMPLE_STEP])
    p, r, f1 = _f1(versus, [junk_reason(t) is not None for t, _ in versus])
    gate("junk", {"versus_news_unseen_precision": p, "versus_news_unseen_f1": f1})


def _dropped_share(texts: list[str]) -> float:
    return sum(item_junk_reason(t) is not None for t in texts) / len(texts)


@pytest.mark.slow
def test_real_news_is_almost_never_junk():
    _need(AG_NEWS)
    with open(AG_NEWS, encoding="utf-8", newline="") as f:
        texts = [f"{t}. {d}".replace("\\", " ") for _, t, d in csv.reader(f)]
    rate = _dropped_share(texts)
    assert rate <= CEILINGS["ag_news_dropped"], f"{rate:.4f} of AG News dropped"


def test_uci_headlines_are_kept():
    _need(UCI)
    rate = _dropped_share(_bench("junk").uci_headlines())
    assert rate <= CEILINGS["uci_dropped"], f"{rate:.4f} of UCI headlines dropped"


@pytest.mark.slow
def test_google_news_titles_are_kept():
    _need(GOOGLE_NEWS)
    rate = _dropped_share(GOOGLE_NEWS.read_text(encoding="utf-8").splitlines())
    assert rate <= CEILINGS["google_news_dropped"], f"{rate:.4f} of the Google News titles dropped"


@pytest.mark.slow
def test_multi_news_articles_are_kept():
    _need(MULTI_NEWS)
    rate = _dropped_share(_bench("junk").multi_news_articles())
    assert rate <= CEILINGS["multi_news_dropped"], f"{rate:.4f} of Multi-News articles dropped"


@pytest.mark.slow
def test_non_english_news_is_kept():
    _need(SEMEVAL)
    pytest.importorskip("ftfy")
    texts = [t for group in _bench("junk").semeval_non_english().values() for t in group]
    rate = _dropped_share(texts)
    assert rate <= CEILINGS["non_english_dropped"], f"{rate:.4f} of non-English SemEval articles dropped"
