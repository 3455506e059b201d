"""Cleaning verdicts for one item: is it junk, which of its lines are junk, is it cut off
mid-sentence, what language.

Junk is page furniture that a scraper or a news search picks up along with the news: cookie
and consent banners, newsletter and subscription prompts, advertising disclosures, share
buttons, copyright lines, comment forms, navigation, bylines and credits, plus fragments too
short to be news. A block of text (a line, a paragraph, a snippet) is judged by, in order:

1. Cue phrases (``data/boilerplate_phrases.txt``: English, German, French, Spanish, Italian,
   Polish, Portuguese, Russian, Ukrainian). Strong cues (weight >= 2) are phrases that news
   prose rarely uses ("we use cookies", "store and/or access information on a device"); weak
   cues (weight 1) are words news does use ("cookies", "subscribe", "Facebook"). A block is
   junk when it has a strong cue and its cue weight per sentence is high: boilerplate is dense
   with cues, while a news story that mentions a cookie law has one cue among many sentences.
2. Length, counted in words (see :func:`text_units`: scripts written without spaces, such as
   Chinese, Japanese and Thai, count by characters). A text shorter than
   `Options.min_item_words` is kept when it reads as a headline; it is a fragment when it is one
   word, has no letters, or is a page label learned from real pages ("Read more", "Share",
   "Advertisement": ``data/boilerplate_labels.txt``).
3. Link-list shape, for navigation without cue words: a long run of capitalised labels with
   almost no function words (in the languages of `_FUNCTION_WORDS`) and no sentence punctuation.
4. A learned model (``data/junk_model.npz``, trained by ``benchmarks/train_junk.py``): logistic
   regression over character n-grams and shape features (length, capitalisation, punctuation,
   digits, function-word share, cue weights, byline and time-stamp shapes), fitted on the blocks
   of real news pages that are not part of their article against article text and news
   paragraphs of other outlets. It flags a block only at a high probability: a news item dropped
   costs more than a junk line kept (somewhat lower for a block longer than any headline, never
   for a whole item: see :meth:`JunkModel.threshold_for`). The lines of a kept item are also
   judged by that regression stacked with boosted trees over each line's static sentence embedding
   (prose furniture of unseen sites: comments, blurbs, teasers); a whole item by the
   regression alone, since the stacked model reads lower-cased headlines as captions.

An item is dropped only when no news is left once its junk parts are set aside (so one widget
line never costs a whole article); the junk lines of a kept item are listed by
:func:`junk_spans` (character spans into the text, offsets unchanged) for later stages to
blank and for the ledger to show.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib.resources import files

from .dedup import core_text
from .fastimport import import_scipy_sparse
from .model import Item
from .options import Options

REASONS = {
    "consent": "boilerplate: cookie/consent notice",
    "newsletter": "boilerplate: newsletter sign-up",
    "subscribe": "boilerplate: subscription prompt",
    "ads": "boilerplate: advertising",
    "nav": "boilerplate: navigation",
    "share": "boilerplate: share buttons",
    "copyright": "boilerplate: copyright notice",
    "comment": "boilerplate: comment form",
    "other": "boilerplate: page furniture (byline, credit, caption or widget text)",
}
TOO_SHORT = "too short to be news"

# Scoring rule (see the module docstring). Pinned by tests/test_clean.py on the real data.
_MIN_STRONG = 3  # at least one strong cue
_CUES_PER_SENTENCE = 1.0  # cue weight per sentence at or above which a block is boilerplate
_MAX_COUNT = 3  # a cue repeated more often adds nothing (menus repeat words)

_CUES_ALONE = 2 * _MIN_STRONG  # two strong cues decide alone; with one, the model must agree
_MODEL_MIN_WORDS = 4  # shorter texts are judged by the page labels, not by the model
_NAV_MIN_WORDS = 16  # headlines are shorter; link lists are longer
_NAV_MAX_FUNCTION_WORDS = 0.12  # prose has 30-50 % function words, link lists almost none
_NAV_MIN_CAPITALISED = 0.5

_WORD = re.compile(r"\w[\w'’\-]*")
_SENTENCE_END = re.compile(r"[.!?…。！？｡।॥؟۔]+[\"'”’»)\]」』）]*(?=\s|$)|[。！？｡]")
# Scripts written without spaces between words: counted by characters (see text_units).
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+")
_SOUTHEAST_ASIAN = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+")  # Thai, Lao, Myanmar, Khmer
_CHARS_PER_WORD = {"han": 2, "southeast": 4}  # a Chinese word is about 1.5-2 characters, a Thai one 4-5

# The most frequent function words of the languages newsdesk reads most: their share separates
# prose from link lists (prose has 30-50 %, menus almost none).
_FUNCTION_WORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been has
    have had do does did not no it its this that these those he she they we you i his her
    their our your who which what when where how than then so there here will would can could
    should may might must said says after before over under about into out up more most also
    der die das den dem des ein eine einer eines einem einen und oder aber nicht ist sind war
    waren wird werden hat haben mit von zu zum zur im an am auf aus bei für über unter nach
    vor wie als auch sich es er sie wir ihr ich du dass noch nur da wenn man
    le la les un une des du de et ou mais est sont été était au aux ce cette ces il elle ils
    elles nous vous qui que quoi dont où dans sur pour par avec sans pas ne plus se sa son ses
    leur leurs y en
    el los las una unos unas del al y o pero es son fue era este esta estos estas ese esa lo
    que quien cual donde en con sin por para no más se su sus como muy ya
    il lo gli i una uno di da della delle degli del e o ma è sono era questo questa che chi
    dove nel nella con per tra fra non più si suo sua loro come anche
    o os as um uma do da dos das no na nos nas e ou mas é são foi era este esta isso que em
    com sem por para não mais se seu sua como também
    het een en of maar is zijn was werd dit dat deze die wie wat waar in op met voor van naar
    niet ook er
    i w z na do nie się to jest są był była że co jak ale lub oraz od po przez dla jego jej ich
    tak już czy który która które
    и в во на не что как но а или с со к по из за от до у о об это этот эта эти он она они мы
    вы я его её их был была были быть также уже ли же бы который которая которые
    та у на не що як але або з із до від за це цей ця ці він вона вони ми ви я його її їх був
    була були також вже який яка які
    ve bir bu da de ile için olarak en çok daha gibi ama ne şu mi ki olan kadar sonra
    dan yang di ke dari untuk dengan ini itu pada adalah tidak akan juga""".split()
)


@lru_cache(maxsize=4096)  # the rules, the model's features and the cutting of parts all count the same texts
def text_units(text: str) -> int:
    """How many words `text` has: words with a letter in scripts that space their words, and
    in scripts that do not, characters over the length of a typical word there (2 for Chinese
    and Japanese, 4 for Thai, Lao, Khmer and Burmese)."""
    units = 0
    for pattern, kind in ((_HAN_KANA, "han"), (_SOUTHEAST_ASIAN, "southeast")):
        runs = pattern.findall(text)
        if runs:
            units += sum(math.ceil(len(run) / _CHARS_PER_WORD[kind]) for run in runs)
            text = pattern.sub(" ", text)
    return units + sum(1 for w in _WORD.findall(text) if not w.isdigit() and any(c.isalpha() for c in w))


@dataclass(frozen=True, eq=False)  # hashed by identity: cues are made once, and looked up often
class _Cue:
    kind: str
    weight: int
    regex: str

    @cached_property
    def pattern(self) -> re.Pattern:
        """Compiled on first use: most text never needs a cue's own pattern (its required
        strings rule it out), and compiling all of them costs a cold start 30 ms."""
        return re.compile(_bounded(self.regex), re.IGNORECASE)

    @cached_property
    def required(self) -> frozenset[str] | None:
        """Strings (folded, see :func:`_fold`) one of which every match contains, or None when
        none can be told from the regex."""
        return _required_strings(self.regex)


# Characters that re.IGNORECASE takes as one letter though str.lower() does not (ı and i, ſ and
# s, ...), from the re module's own table: folding both sides with them keeps the substring test
# of `_may_match` a necessary condition for a match.
try:
    from re._casefix import _EXTRA_CASES
except ImportError:  # a Python without the table: those few letters (ſ, ı, K, ...) may then hide a cue
    _EXTRA_CASES = {}
_FOLD = {code: min(code, *others) for code, others in _EXTRA_CASES.items()}


def _fold(text: str) -> str:
    """`text` lower-cased as re.IGNORECASE compares letters (İ is i: its lower() has two characters)."""
    return text.replace("\u0130", "i").lower().translate(_FOLD)


def _required_strings(regex: str) -> frozenset[str] | None:
    try:
        from re import _parser  # type: ignore[attr-defined]
        return _required_in(_parser.parse(regex, re.IGNORECASE))
    except Exception:  # noqa: BLE001 - a regex the private parser does not take: always run it
        return None


_MIN_REQUIRED = 3  # shorter strings are in almost every text: no test at all


def _required_in(items) -> frozenset[str] | None:
    """The best set of strings one of which a match of the parsed `items` must contain: a run
    of literal characters, or one string per branch of an alternation; the set whose shortest
    string is longest wins."""
    from re._constants import BRANCH, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN

    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is LITERAL:
            run.append(chr(av))
            continue
        if len(run) >= _MIN_REQUIRED:
            candidates.append(frozenset({_fold("".join(run))}))
        run = []
        inner = None
        if op is SUBPATTERN:
            inner = _required_in(av[3])
        elif op in (MAX_REPEAT, MIN_REPEAT) and av[0] >= 1:
            inner = _required_in(av[2])
        elif op is BRANCH:
            branches = [_required_in(branch) for branch in av[1]]
            inner = frozenset().union(*branches) if all(branches) else None  # type: ignore[arg-type]
        if inner:
            candidates.append(inner)
    return max(candidates, key=lambda strings: min(map(len, strings)), default=None)


def _data(name: str) -> str:
    return files("newsdesk").joinpath("data", name).read_text("utf-8")


@lru_cache(maxsize=1)
def _cues() -> tuple[_Cue, ...]:
    """The cue phrases, read once per process (each compiled when first used)."""
    cues = []
    for line in _data("boilerplate_phrases.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, weight, regex = line.split("\t")
        cues.append(_Cue(kind, int(weight), regex))
    return tuple(cues)


def _bounded(regex: str) -> str:
    """`regex` matched as whole words."""
    return rf"(?<!\w)(?:{regex})(?!\w)"


def _sentence_count(text: str) -> int:
    return max(1, len(_SENTENCE_END.findall(text)))


@lru_cache(maxsize=1)
def _cues_by_weight() -> tuple[tuple[_Cue, ...], tuple[_Cue, ...]]:
    """The strong cues, then the weak ones."""
    cues = _cues()
    return tuple(c for c in cues if c.weight >= 2), tuple(c for c in cues if c.weight < 2)


def _may_match(text: str, cues: tuple[_Cue, ...]) -> list[_Cue]:
    """The `cues` that can match `text`: those of which it holds a required string (substring
    tests instead of running the patterns; one regex of all the cues, run through every word of
    every text, took a fifth of the store's cheap pass)."""
    folded = _fold(text)
    strings, always = _required_table(cues)
    hit = {i for string, i in strings if string in folded}
    return [cues[i] for i in sorted(hit.union(always))]


@lru_cache(maxsize=4)
def _required_table(cues: tuple[_Cue, ...]) -> tuple[tuple[tuple[str, int], ...], frozenset[int]]:
    """(required string, cue position) pairs, and the positions of cues without any."""
    strings = tuple((string, i) for i, cue in enumerate(cues) for string in cue.required or ())
    return strings, frozenset(i for i, cue in enumerate(cues) if cue.required is None)


def _cue_counts(text: str, cues: tuple[_Cue, ...]) -> list[tuple[_Cue, int]]:
    """Each of `cues` found in `text`, with its count (at most `_MAX_COUNT`: menus repeat words)."""
    counts = [(cue, min(len(cue.pattern.findall(text)), _MAX_COUNT)) for cue in _may_match(text, cues)]
    return [(cue, count) for cue, count in counts if count]


@lru_cache(maxsize=4096)  # the rules and the model's features both ask for a block's cues
def cue_weights(text: str, weak_too: bool = False) -> dict[str, int]:
    """Cue weight of each boilerplate kind found in `text` (strong cues; the weak ones too
    when `weak_too` or when the strong ones reach `_MIN_STRONG`)."""
    found = list(_strong_counts(text))
    if weak_too or _strong_weight(text) >= _MIN_STRONG:
        found += _cue_counts(text, _cues_by_weight()[1])  # most news: the weak cues need not be counted
    by_kind: dict[str, int] = {}
    for cue, count in found:
        by_kind[cue.kind] = by_kind.get(cue.kind, 0) + cue.weight * count
    return by_kind


@lru_cache(maxsize=4096)
def _strong_counts(text: str) -> tuple[tuple[_Cue, int], ...]:
    """The strong cues found in `text`, with their counts: found once for the rules and the model."""
    return tuple(_cue_counts(text, _cues_by_weight()[0]))


def _strong_weight(text: str) -> int:
    """The weight of the strong cues of `text` alone."""
    return sum(cue.weight * count for cue, count in _strong_counts(text))


def _top_kind(by_kind: dict[str, int]) -> str:
    # Ties go to the kind listed first in REASONS, so the verdict is deterministic.
    return max(REASONS, key=lambda k: (by_kind.get(k, 0), -list(REASONS).index(k)))


@lru_cache(maxsize=1)
def _section_header() -> re.Pattern:
    """The strong nav cues anchored at the start ("Read more", "Lesen Sie auch") as one pattern."""
    anchored = [c.regex[1:] for c in _cues() if c.kind == "nav" and c.weight >= 2 and c.regex.startswith("^")]
    return re.compile(_bounded("|".join(f"(?:{r})" for r in anchored)), re.IGNORECASE)


def _cue_reason(text: str) -> str | None:
    """The boilerplate kind whose cues dominate a cue-dense block, or None. A block that opens
    with a section header ("Related stories", "Lesen Sie auch") is navigation whatever follows:
    the headlines of a link list, however many sentences they make. The model that may
    overrule a single strong cue is the regression alone, also for lines: stacked, it kept
    share bars and embed codes the regression agrees with ("Follow CNN Health on Facebook and
    Twitter ...") and cut German news sentences with a consent cue word ("DSGVO")."""
    if _section_header().match(text.lstrip()):
        return REASONS["nav"]
    by_kind = cue_weights(text)
    total = sum(by_kind.values())
    if total < _MIN_STRONG or total < _CUES_PER_SENTENCE * _sentence_count(text):
        return None
    if _strong_weight(text) < _CUES_ALONE and text_units(text) >= _MODEL_MIN_WORDS and _model_disagrees(text):
        return None  # one strong cue in news prose: "Google fined over its cookie policy"
    return REASONS[_top_kind(by_kind)]


# The languages the model has enough training text in to overrule a cue (see train_junk.py).
_MODEL_LANGUAGES = ("en", "de")


def _model_disagrees(text: str) -> bool:
    model = junk_model()
    return (model is not None and junk_probability([text])[0] < _CUE_PART_MIN_PROBABILITY
            and detect_language(text) in _MODEL_LANGUAGES)


def function_word_share(words: list[str]) -> float:
    return sum(w.casefold() in _FUNCTION_WORDS for w in words) / max(1, len(words))


def _looks_like_link_list(words: list[str], text: str) -> bool:
    if len(words) < _NAV_MIN_WORDS or len(_SENTENCE_END.findall(text)) > len(words) / 25:
        return False
    cased = [w for w in words if w[0].isupper() or w[0].islower()]
    if len(cased) < len(words) / 2:  # a script without capitals: the shape says nothing
        return False
    capitalised = sum(w[0].isupper() for w in cased) / len(cased)
    return function_word_share(words) <= _NAV_MAX_FUNCTION_WORDS and capitalised >= _NAV_MIN_CAPITALISED


# --- page labels: the short texts that stand alone on pages (buttons, menu entries)

_LABEL_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def _label_key(text: str) -> str:
    """A short text reduced for label look-up: case, counters ("Comments (12)") and
    punctuation at the ends do not count."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_LABEL_EDGES.sub("", text).split())


@lru_cache(maxsize=1)
def _page_labels() -> dict[str, str]:
    """Label -> boilerplate kind (``data/boilerplate_labels.txt``)."""
    labels = {}
    for line in _data("boilerplate_labels.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, label = line.split("\t")
            labels[_label_key(label)] = kind
    return labels


def page_label_kind(text: str) -> str | None:
    """The boilerplate kind of a short text that is a page label ("Read more", "Teilen"), or None."""
    if len(text) > 60:
        return None
    return _page_labels().get(_label_key(text))


def _fragment_reason(text: str, units: int) -> str | None:
    """Why a text shorter than the news minimum is not a headline, or None when it reads as one:
    two or more words, and not a page label."""
    kind = page_label_kind(text)
    if kind:
        return REASONS[kind]
    if units < 2 or text.rstrip().endswith(":"):  # one word; a label introducing what follows
        return TOO_SHORT
    return None


# --- the learned model

@dataclass(frozen=True)
class Trees:
    """Gradient-boosted trees as flat arrays (all trees' nodes side by side; `left` and `right`
    index into them): a node sends a row left when its `feature` is at most `cut`."""

    roots: object
    feature: object
    cut: object
    left: object
    right: object
    value: object
    leaf: object
    baseline: float

    def score(self, X):
        """The trees' summed log-odds of each row of `X` (what scikit-learn's decision_function
        gives), all rows and trees stepped down one level at a time."""
        import numpy as np

        X = np.asarray(X, dtype=np.float64)
        rows = np.arange(len(X))[:, None]
        node = np.broadcast_to(self.roots, (len(X), len(self.roots))).copy()
        while not self.leaf[node].all():
            left = X[rows, self.feature[node]] <= self.cut[node]
            node = np.where(self.leaf[node], node, np.where(left, self.left[node], self.right[node]))
        return self.value[node].sum(axis=1) + self.baseline


@dataclass(frozen=True)
class JunkModel:
    """Logistic regression over hashed character and word n-grams and shape features (see
    :func:`block_features`); `threshold` is the probability at which a block is junk, and
    `long_threshold` the one for blocks longer than any headline (see :meth:`threshold_for`).
    With `trees`, the verdicts on the lines of a kept item (and on single blocks) stack its
    log-odds (`stack`: weight of the regression, of the trees, and a bias) with boosted trees
    over the block's static sentence embedding and shape features, which tell prose furniture
    (comments, blurbs) from news where n-grams of unseen sites do not, at thresholds of their
    own (`line_thresholds`). A whole item is judged by the regression alone: the stacked
    probabilities drop more real headlines as items (see :func:`item_junk_reason`)."""

    ngram_weights: object  # numpy array, one weight per hashed n-gram column
    shape_weights: object
    bias: float
    threshold: float
    long_threshold: float
    trees: Trees | None = None
    stack: tuple[float, float, float] = (1.0, 0.0, 0.0)
    line_thresholds: tuple[float, float] | None = None  # (threshold, long threshold) of the stacked model

    def threshold_for(self, units: int, lines: bool = False) -> float:
        """The threshold for a block of `units` words (of the stacked model when `lines` and
        there are trees). A block of more than `_TITLE_MAX_WORDS` words cannot be a headline,
        the news that reads most like furniture (short, capitalised, no sentence), so the
        training blocks of that length reach the same out-of-fold precision at a lower
        probability (benchmarks/train_junk.py)."""
        short, long = self.line_thresholds if lines and self.line_thresholds else (self.threshold, self.long_threshold)
        return long if units > _TITLE_MAX_WORDS else short

    def logit(self, texts: list[str], shapes=None):
        """The regression's log-odds of each text."""
        import numpy as np

        # row by row, without a sparse matrix: scipy's per-call costs outweighed the sums
        # when the cleaning stage asks for one text at a time
        weights = np.asarray(self.ngram_weights)
        grams = np.array([np.dot(weights[columns], values) if len(columns) else 0.0
                          for columns, values in map(_gram_arrays, texts)])
        shapes = _shapes(texts) if shapes is None else shapes
        return np.asarray(grams + shapes @ self.shape_weights + self.bias, dtype=float)

    def probability(self, texts: list[str], lines: bool = False):
        """Each text's probability of being furniture: the regression's, or with `lines` (and
        trees) the stacked model's."""
        return self.probabilities(texts, lines)[1]

    def probabilities(self, texts: list[str], lines: bool = False):
        """(the regression's, the stacked model's) probabilities of each text, from one pass
        over its n-grams and shape (the same twice without `lines` or trees)."""
        import numpy as np

        shapes = _shapes(texts)
        logit = stacked = self.logit(texts, shapes)
        if lines and self.trees is not None and len(texts):
            linear, boosted, bias = self.stack
            stacked = linear * logit + boosted * self.trees.score(tree_features(texts, shapes)) + bias
        return 1.0 / (1.0 + np.exp(-logit)), 1.0 / (1.0 + np.exp(-stacked))


def tree_features(texts: list[str], shapes=None):
    """The trees' input: each text's static sentence embedding (newsdesk.embed.StaticMiniLM, a
    table lookup) and its shape features."""
    import numpy as np

    shapes = _shapes(texts) if shapes is None else shapes
    return np.hstack([_static_model().encode(list(texts)), shapes])


@lru_cache(maxsize=1)
def _static_model():
    from .embed import StaticMiniLM

    return StaticMiniLM()


def _static_ready() -> bool:
    """Whether the static embeddings have been distilled (``newsdesk setup``)."""
    try:
        from .embed import static_path

        return static_path().is_dir()
    except Exception:  # no MiniLM package: no static model either
        return False


MODEL_FILE = "junk_model.npz"
CHAR_NGRAMS = (2, 4)
WORD_NGRAMS = (1, 2)
HASH_COLUMNS = 2**18  # per kind of n-gram: few collisions among the ~100k n-grams seen in training
TREE_FIELDS = ("roots", "feature", "cut", "left", "right", "value", "leaf")


@lru_cache(maxsize=1)
def junk_model() -> JunkModel | None:
    """The shipped model, loaded once; None when the package has none (then rules alone judge).
    Without the static embeddings (``newsdesk setup`` not run) the n-gram regression judges
    the lines too, at the thresholds calibrated for it alone."""
    import numpy as np

    path = files("newsdesk").joinpath("data", MODEL_FILE)
    if not path.is_file():
        return None
    with path.open("rb") as f, np.load(f) as data:
        if int(data["hash_columns"]) != HASH_COLUMNS or len(data["shape_weights"]) != len(SHAPE_FEATURES):
            raise ValueError(f"{MODEL_FILE} was trained with other features: run benchmarks/train_junk.py")
        weights = np.zeros(2 * HASH_COLUMNS, dtype=np.float32)
        weights[data["ngram_index"]] = data["ngram_value"].astype(np.float32)
        threshold = float(data["threshold"])
        long_threshold = float(data["long_threshold"]) if "long_threshold" in data.files else threshold
        trees, stack, line_thresholds = None, (1.0, 0.0, 0.0), None
        if "tree_roots" in data.files and _static_ready():
            arrays = {name: data[f"tree_{name}"] for name in TREE_FIELDS}
            trees = Trees(**arrays, baseline=float(data["tree_baseline"]))
            linear, boosted, bias = (float(x) for x in data["stack"])
            stack = (linear, boosted, bias)
            line_thresholds = (float(data["stack_threshold"]), float(data["stack_long_threshold"]))
        return JunkModel(weights, data["shape_weights"].astype(np.float32), float(data["bias"]), threshold,
                         long_threshold, trees, stack, line_thresholds)


_SPACES = re.compile(r"\s\s+")
_TOKEN = re.compile(r"(?u)\b\w+\b")


# Hashing each n-gram in Python was most of the model's time: columns are cached per n-gram,
# and per word for its character n-grams (words recur from text to text far more than not).
# lru_cache, not a dict: bounded, and safe when the web app's threads clean at the same time.
_CACHED_GRAMS = 1 << 16  # entries of each cache: the common words and n-grams, some 30 MB at most


def _padded_word_grams(word: str) -> list[str]:
    """Character 2-4-grams of one word padded with a space on both sides (as scikit-learn's
    analyzer "char_wb" cuts them)."""
    grams: list[str] = []
    low, high = CHAR_NGRAMS
    word = f" {word} "
    for n in range(low, high + 1):
        if len(word) <= n:  # a short word counts once, whole
            grams.append(word)
            break
        grams.extend(word[i:i + n] for i in range(len(word) - n + 1))
    return grams


@lru_cache(maxsize=_CACHED_GRAMS)
def _column(gram: str) -> int:
    """The hashed column of an n-gram: signed 32-bit MurmurHash3, seed 0, of its UTF-8 bytes;
    column |h| mod HASH_COLUMNS, as scikit-learn hashes."""
    from murmurhash.mrmr import hash_bytes

    h = hash_bytes(gram.encode("utf-8", "surrogatepass"))
    return (2**31 - HASH_COLUMNS) % HASH_COLUMNS if h == -2**31 else abs(h) % HASH_COLUMNS


@lru_cache(maxsize=_CACHED_GRAMS)
def _word_char_columns(word: str) -> tuple[int, ...]:
    return tuple(map(_column, _padded_word_grams(word)))


def _char_columns(text: str) -> list[int]:
    """Columns of the character 2-4-grams inside the words of `text`."""
    return list(_chained_char_columns(text))


def _chained_char_columns(text: str):
    # str.split() cuts at runs of the whitespace that \s matches: no need to squeeze them first
    return itertools.chain.from_iterable(map(_word_char_columns, text.lower().split()))


def _word_columns(text: str) -> list[int]:
    """Columns of the word 1-2-grams of `text` (scikit-learn's analyzer "word" with this token pattern)."""
    tokens = _TOKEN.findall(text.lower())
    return list(map(_column, tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]))


def _normalised(columns: list[int]) -> tuple[list[int], list[float]]:
    """The sorted distinct columns and their l2-normalised counts."""
    distinct, values = _normalised_array(columns)
    return distinct.tolist(), values.tolist()


def _normalised_array(columns):
    """(sorted distinct columns, their counts divided by the l2 norm of the counts) as arrays:
    the norm is the square root of an exact integer sum, as Python computes it, and each value
    one division, so the numbers are those of a Counter, to the bit."""
    import numpy as np

    distinct, counts = np.unique(np.fromiter(columns, dtype=np.int64), return_counts=True)
    return distinct, counts / math.sqrt(int(np.dot(counts, counts)))


def _hashed(columns_of: list[list[int]]):
    """Rows of l2-normalised n-gram counts in HASH_COLUMNS hashed columns: exactly what
    scikit-learn's HashingVectorizer(alternate_sign=False, norm="l2") gives, without importing
    scikit-learn (2 to 3 s of a cold start). tests/test_fast_start.py compares the two."""
    return _csr([_normalised(columns) for columns in columns_of], HASH_COLUMNS)


def _csr(rows: list[tuple[list[int], list[float]]], width: int):
    import numpy as np

    indptr = np.cumsum([0] + [len(columns) for columns, _ in rows])
    indices = np.array([c for columns, _ in rows for c in columns], dtype=np.int32)
    values = np.array([v for _, row_values in rows for v in row_values], dtype=np.float64)
    return import_scipy_sparse().csr_matrix((values, indices, indptr.astype(np.int32)), shape=(len(rows), width))


def _gram_row(text: str) -> tuple[list[int], list[float]]:
    """Hashed character 2-4-grams, then word 1-2-grams in the next HASH_COLUMNS columns: one
    row of the model's n-gram input."""
    columns, values = _gram_arrays(text)
    return columns.tolist(), values.tolist()


def _gram_arrays(text: str):
    """:func:`_gram_row` as two arrays (columns, values), counted by numpy: the Python Counter
    and sort of each text were half of the cleaning model's time in a store's ingest."""
    import numpy as np

    char_columns, char_values = _normalised_array(_chained_char_columns(text))
    word_columns, word_values = _normalised_array(_word_columns(text))
    return np.concatenate([char_columns, word_columns + HASH_COLUMNS]), np.concatenate([char_values, word_values])


_SHAPE_SCALE = 3  # cue weights are clipped at this many strong cues' worth
_SEPARATORS = re.compile(r"[|•·»›«‹/\\>→]")
_ADDRESS = re.compile(r"https?://|www\.|\S@\S|(?<!\w)@\w|\.(com|org|net|de|fr|ru|co\.uk)(?!\w)", re.IGNORECASE)
_SECOND_PERSON = frozenset("you your yours sie ihr ihre ihren ihrem dein deine vous votre vos tu te ton ta tes "
                           "usted ustedes su sus tú tu tus voi vostro vostra tuo tua você seu sua вы вас ваш ваша "
                           "ваши ты твой wy was twój twoja pan pani ви вас ваш".split())
SHAPE_FEATURES = ("units_log", "short", "medium", "capitalised", "all_caps", "function_words", "second_person",
                  "sentence_ends", "ends_complete", "digits", "punctuation", "separators", "address",
                  "starts_symbol", "mean_word_length", "caseless", "ends_colon", "weak_cues",
                  "byline", "date_time", "first_person", "exclaims",
                  *(f"cue_{kind}" for kind in REASONS))
# Furniture that recurs on every site in other words: a byline ("By Jane Doe | Reporter"), a
# time stamp ("Updated: Sat 8:31 PM, Feb 17, 2018", "2 min read"), a comment header ("Joe
# says:"). Explicit features let the model see them on sites whose n-grams it never met.
_BYLINE = re.compile(r"^\W*(by|von|par|por|di|door|przez|от|автор)\s+\w", re.IGNORECASE)
_DATE_TIME = re.compile(
    r"\d{1,2}:\d{2}|\b\d{4}-\d{2}-\d{2}|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d+\s+(min|minute|minutes|hours?|days?)\s+(read|ago)\b|\b(updated|published|posted|aktualisiert)\b",
    re.IGNORECASE)
_FIRST_PERSON = frozenset("i me my we us our ich mich mein wir uns unser".split())


def block_features(texts: list[str]):
    """(hashed character 2-4-grams and word 1-2-grams side by side, shape features) of each
    text: the model's input."""
    return _csr([_gram_row(t) for t in texts], 2 * HASH_COLUMNS), _shapes(texts)


def _shapes(texts: list[str]):
    import numpy as np

    return np.array([_shape(t) for t in texts], dtype=np.float32).reshape(len(texts), len(SHAPE_FEATURES))


@lru_cache(maxsize=4096)
def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def _shape(text: str) -> list[float]:
    words = _WORD.findall(text)
    n = max(1, len(words))
    chars = max(1, len(text))
    units = text_units(text)
    cased = [w for w in words if w[0].isupper() or w[0].islower()]
    letters = "".join(filter(str.isalpha, text))  # the counts below map str methods: C loops, not Python ones
    cues = cue_weights(text)
    stripped = text.strip()
    return [
        math.log1p(units), float(units < 4), float(units < 12),
        sum(w[0].isupper() for w in cased) / max(1, len(cased)),
        sum(w.isupper() and len(w) > 1 for w in cased) / max(1, len(cased)),
        function_word_share(words),
        sum(w.casefold() in _SECOND_PERSON for w in words) / n,
        min(1.0, len(_SENTENCE_END.findall(text)) / n * 5),
        float(bool(_ENDS_COMPLETE.search(stripped))),
        sum(map(str.isdigit, text)) / chars,
        sum(map(_is_punctuation, text)) / chars,
        min(1.0, len(_SEPARATORS.findall(text)) / n),
        float(bool(_ADDRESS.search(text))),
        float(bool(stripped) and not stripped[0].isalnum() and stripped[0] not in "\"'“‘«(„"),
        min(1.0, sum(len(w) for w in words) / n / 10),
        (len(letters) - sum(map(str.isupper, letters)) - sum(map(str.islower, letters))) / max(1, len(letters)),
        float(stripped.endswith(":")),
        min(1.0, _weak_cue_count(text) / n * 5),
        float(bool(_BYLINE.match(stripped)) and units <= 20),
        min(1.0, len(_DATE_TIME.findall(text)) / max(1.0, units / 4)),
        sum(w.casefold() in _FIRST_PERSON for w in words) / n,
        min(1.0, text.count("!") / n * 5),
        *(min(1.0, cues.get(kind, 0) / (_SHAPE_SCALE * 3)) for kind in REASONS),
    ]


def _weak_cue_count(text: str) -> int:
    """Matches of any weak cue, as one pattern of them finds them (the rules count per cue)."""
    candidates = tuple(cue.regex for cue in _may_match(text, _cues_by_weight()[1]))
    return len(_any_of(candidates).findall(text)) if candidates else 0


@lru_cache(maxsize=256)
def _any_of(regexes: tuple[str, ...]) -> re.Pattern:
    """One pattern of `regexes`: leaving out the cues that cannot match changes no match of the rest."""
    return re.compile(_bounded("|".join(f"(?:{r})" for r in regexes)), re.IGNORECASE)


def junk_probability(texts: list[str]) -> list[float]:
    """The regression's probability that each text is page furniture (0.0 for all without a
    model): what judges a whole item."""
    return _both_probabilities(texts, lines=False)[0]


def _both_probabilities(texts: list[str], lines: bool) -> tuple[list[float], list[float]]:
    """(the regression's, the stacked model's) probability of each text (see
    :meth:`JunkModel.probabilities`; zeros without a model)."""
    model = junk_model()
    if model is None or not texts:
        return [0.0] * len(texts), [0.0] * len(texts)
    regression, stacked = model.probabilities(list(texts), lines)
    return [float(p) for p in regression], [float(p) for p in stacked]


def _learned_reason(text: str) -> str:
    """A reason for a block that only the model flags: the kind its cues lean to, if any."""
    by_kind = cue_weights(text, weak_too=True)
    return REASONS[_top_kind(by_kind)] if by_kind else REASONS["other"]


# --- verdicts

def junk_reason(text: str, min_words: int = Options.min_item_words, *, as_item: bool = False) -> str | None:
    """Why the block `text` is not news (a short human reason), or None when it is news.
    `as_item`: `text` is a whole item (or what is left of one), which the regression alone flags,
    and only at its headline threshold whatever its length: the lower one for long blocks was
    set on single page blocks, and an item dropped whole costs more than a junk line kept.
    Otherwise `text` is judged as a block of a page or a line of an item: flagged by the
    regression or by the stacked model where there is one."""
    reason = _cue_reason(text)
    if reason:
        return reason
    units = text_units(text)
    if units < min_words:
        return _fragment_reason(text, units)
    words = _WORD.findall(text)
    if _looks_like_link_list(words, text):
        return REASONS["nav"]
    model = junk_model()
    if model is None or units < _MODEL_MIN_WORDS:
        return None
    if as_item:
        flagged = junk_probability([text])[0] >= model.threshold
    else:  # as a line of a kept item (see _part_verdicts)
        (regression,), (stacked,) = _both_probabilities([text], lines=True)
        flagged = regression >= model.threshold_for(units) or stacked >= model.threshold_for(units, True)
    return _learned_reason(text) if flagged else None


def item_junk_reason(text: str, min_words: int = Options.min_item_words) -> str | None:
    """Why a whole item is not news, or None. An item is junk only when no news is left once
    its junk parts (lines, or sentences of a one-line item: see :func:`junk_spans`) are set
    aside, so that one widget line ("Sign up for our newsletter") never costs a whole article.
    What an outlet appends (a footer such as "Follow us on Twitter", "Copyright 2016 ...", see
    :func:`newsdesk.dedup.core_text`) is not judged, so a syndicated copy gets the verdict of its
    original."""
    core = core_text(text)
    if text_units(core) < min_words:  # a short note that only looks like it ends in a footer
        core = text
    reason = junk_reason(core, min_words, as_item=True)
    if not (reason or "").startswith("boilerplate"):
        return reason
    if "\n" not in core.strip() and _section_header().match(core.lstrip()):
        return reason  # one line under a section header ("Read more: ..."): a link list
    return None if _news_left(core, min_words) else reason


# What is left of an item once its junk parts are set aside must lean to news: the model's
# junk probability under this (and no rule calling it junk).
_NEWS_LEFT_MAX_PROBABILITY = 0.5
_SENTENCE_LEFT_MAX_PROBABILITY = 0.2
# Inside an item, a line or sentence with boilerplate cues is cut only when the model leans to
# junk too ("Facebook said users could opt out of personalised ads" is news with cue words).
_CUE_PART_MIN_PROBABILITY = 0.5


def _news_left(text: str, min_words: int) -> bool:
    """Whether `text`, judged junk as a whole, holds news once its junk parts are set aside."""
    parts = _parts(text)
    if len(parts) < 2:
        return False
    verdicts = _part_verdicts(text, parts, min_words, lines=False)
    kept = [text[s:e] for (s, e, _), v in zip(parts, verdicts) if v is None]
    if len(kept) == len(parts):
        # No part is junk on its own: the cues are spread thin over news (or sit inside a
        # news sentence, "... Jetzt teilen: FRANKFURT - Hessens Kultusminister ..."): the model
        # judges the whole.
        return junk_probability([text])[0] < _NEWS_LEFT_MAX_PROBABILITY
    rest = "\n".join(kept)
    if text_units(rest) < min_words or junk_reason(rest, min_words, as_item=True) is not None:
        return False
    # A sentence left of a one-line block must be news beyond doubt: consent and sign-up
    # blocks have sentences without cues ("You can change your choices at any time").
    whole_lines = parts[0][2]
    limit = _NEWS_LEFT_MAX_PROBABILITY if whole_lines else _SENTENCE_LEFT_MAX_PROBABILITY
    return junk_probability([rest])[0] < limit


def _part_verdicts(text: str, parts: list[tuple[int, int, bool]], min_words: int,
                   lines: bool) -> list[str | None]:
    """The junk verdict of each part of an item (a line, or a sentence of a one-line item). A
    short part is junk only as a page label or when cue-dense ("Accept all cookies"): a short
    line in an article is a subheading. A sentence is cut only for its cues, with the
    regression's agreement. `lines`: the parts are cut from a kept item, and a whole line
    without cues is cut when the regression or the stacked model flags it (the stacked model
    alone let go of share bars and embed codes the regression finds); otherwise they are
    weighed for the item's own verdict, by the regression alone."""
    pieces = [text[s:e] for s, e, _ in parts]
    units = [text_units(p) for p in pieces]
    cues = [_cue_reason(p) for p in pieces]
    model = junk_model()
    asked = [i for i, (_, _, whole_line) in enumerate(parts)
             if units[i] >= max(min_words, _MODEL_MIN_WORDS) and (cues[i] or whole_line)]
    regression, stacked = _both_probabilities([pieces[i] for i in asked], lines)
    probability, stacked_probability = dict(zip(asked, regression)), dict(zip(asked, stacked))
    verdicts: list[str | None] = []
    for i, (piece, (_, _, whole_line)) in enumerate(zip(pieces, parts)):
        if units[i] < min_words:
            kind = page_label_kind(piece)
            verdicts.append(cues[i] or (REASONS[kind] if kind else None))
        elif cues[i]:
            agreed = (model is None or i not in probability or probability[i] >= _CUE_PART_MIN_PROBABILITY
                      or detect_language(piece) not in _MODEL_LANGUAGES)
            verdicts.append(cues[i] if agreed else None)
        elif whole_line and _looks_like_link_list(_WORD.findall(piece), piece):
            verdicts.append(REASONS["nav"])
        elif whole_line and model is not None and (
                probability.get(i, 0.0) >= model.threshold_for(units[i])
                or stacked_probability.get(i, 0.0) >= model.threshold_for(units[i], lines)):
            verdicts.append(_learned_reason(piece))
        else:
            verdicts.append(None)
    return verdicts


def _parts(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is a whole line) of the non-blank lines of `text`; a text of one line is
    split into its sentences instead."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    lines = [(s + len(text[s:e]) - len(text[s:e].lstrip()), e - (len(text[s:e]) - len(text[s:e].rstrip())))
             for s, e in lines]
    if len(lines) > 1:
        return [(s, e, True) for s, e in lines]
    if not lines:
        return []
    start, end = lines[0]
    cuts = [b for b in _boundaries(text[start:end])]
    bounds = [start, *(start + b for b in cuts), end]
    spans = []
    for s, e in zip(bounds, bounds[1:]):
        piece = text[s:e]
        s2 = s + len(piece) - len(piece.lstrip())
        e2 = e - (len(piece) - len(piece.rstrip()))
        if e2 > s2:
            spans.append((s2, e2, False))
    return spans


def junk_spans(text: str, min_words: int = Options.min_item_words) -> list[tuple[int, int, str]]:
    """(start, end, reason) of each junk line inside a kept item ("Sign up for our newsletter",
    "Advertisement", a share bar), as offsets into `text`; a one-line item is looked at sentence
    by sentence. Empty when the text has one part only (the item's own verdict covers it).
    Blanking these spans with spaces keeps every other offset valid. The lines are judged by
    the regression and the stacked model (see :func:`_part_verdicts`); where those cuts would
    leave less than a news item, the regression's alone are taken, as the item's own verdict
    found news left."""
    parts = _parts(text)
    if len(parts) < 2:
        return []
    for lines in (True, False):
        spans = [(s, e, reason) for (s, e, _), reason in zip(parts, _part_verdicts(text, parts, min_words, lines))
                 if reason]
        if text_units(blank_spans(text, spans)) >= min_words:
            break
    return spans


def blank_spans(text: str, spans) -> str:
    """`text` with each (start, end, ...) span replaced by as many spaces (offsets kept)."""
    chars = list(text)
    for start, end, *_ in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


# --- truncation

_TITLE_MAX_WORDS = 15
_CLOSERS = "\"'”’»)\\]」』）】〕›"
_OPENERS = "\"'“‘«„(\\[「『（【〔‹¿¡"
# Full stops: Latin, CJK (no space after them), Devanagari, Arabic, Urdu, Armenian, Ethiopic, Burmese.
_STOPS = ".!?。！？｡।॥؟۔։።။"
_ENDS_COMPLETE = re.compile(rf"[{_STOPS}][{_CLOSERS}]*$")
_ELLIPSIS = re.compile(rf"(\.\.\.|…|⋯)[{_CLOSERS}]*$")
# A candidate sentence boundary: terminal punctuation, closing quotes, then a space (optional
# after a CJK full stop). What may follow is checked in `_starts_sentence`; abbreviations
# before a Latin stop are ruled out in `_sentence_ends`.
_BOUNDARY = re.compile(rf"(?:[.!?।॥؟۔։።။]+[{_CLOSERS}]*\s+|[。！？｡]+[{_CLOSERS}]*\s*)(?=[^\s{_CLOSERS}])")
# Words a finished English or German sentence or headline does not end on.
_DANGLING = frozenset(
    """a an the and or but of to in on at by for with from as into than that their his her its
    our your who which whose if because while der die das den dem des ein eine
    und oder aber von zu mit für auf bei dass""".split()
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st mt ft ch chap prof gen gov sen rep col lt sgt capt jr sr inc ltd co corp vs no u.s "
    "u.k u.n e.g i.e jan feb mar apr aug sept sep oct nov dec ca approx".split()
)


def _starts_sentence(text: str, at: int) -> bool:
    """Whether a sentence can start at `at`: after opening quotes, a capital, a digit or a
    letter of a script without capitals (Chinese, Arabic, Devanagari ...)."""
    while at < len(text) and text[at] in _OPENERS:
        at += 1
    if at >= len(text):
        return False
    c = text[at]
    return c.isdigit() or c.isupper() or (c.isalpha() and not c.islower())


def _sentence_ends(text: str):
    """Matches of real sentence ends (not abbreviations such as "Mr." or "U.S.")."""
    for match in _BOUNDARY.finditer(text):
        if not _starts_sentence(text, match.end()):
            continue
        if text[match.start()] == ".":
            before = text[: match.start() + 1].rsplit(None, 1)
            token = before[-1].casefold().rstrip(".") if before else ""
            if token in _ABBREVIATIONS or re.fullmatch(r"\w", token):
                continue
        yield match


def _boundaries(text: str):
    """Offsets where a new sentence starts."""
    return (match.end() for match in _sentence_ends(text))


def _boundary_starts(text: str):
    """Offsets of the punctuation that ends each sentence but the last."""
    return (match.start() for match in _sentence_ends(text))


def _looks_like_title(text: str) -> bool:
    """A headline: short, one unit, no sentence punctuation inside (news titles have no
    final stop, and they are not cut off; "?" and ";" are common in headlines, a full stop
    between sentences is not), and not ending on a function word ("hoping to")."""
    words = text.split()
    return (
        0 < text_units(text) <= _TITLE_MAX_WORDS and bool(words)
        and not any(text[start] in ".。｡" for start in _boundary_starts(text))
        and words[-1].casefold() not in _DANGLING
    )


def complete_part(text: str) -> int:
    """Offset where the unfinished trailing fragment of `text` begins; len(text) when the
    text ends on a complete sentence (or is a headline). 0 when no sentence is complete."""
    stripped = text.rstrip()
    ellipsis = _ELLIPSIS.search(stripped)
    if ellipsis:
        stripped = stripped[: ellipsis.start()]
    elif _ENDS_COMPLETE.search(stripped) or _looks_like_title(stripped):
        return len(text)
    return max(_boundaries(stripped), default=0)


def is_truncated(text: str) -> bool:
    """True when `text` is cut off mid-sentence: no terminal punctuation at the end (".", "!",
    "?", "。", "！", "？", "।", "؟" ...), unless it is a headline (<= 15 words, no sentence
    punctuation inside, not ending on a function word), or a trailing "..."/"…" (search
    snippets mark their cut that way)."""
    return bool(text.strip()) and complete_part(text) < len(text)


# --- language

_SAMPLE_CHARS = 2000  # enough for a reliable guess; keeps long items cheap
_SHORT_WORDS = 6
_MIN_CONFIDENCE = 0.9


@lru_cache(maxsize=1)
def _identifier():
    # Imported lazily: the model is paid for by the first call. py3langid ships it LZMA-packed
    # (half a second to unpack on every start), so it is unpacked once into the cache.
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    unpacked = _unpacked_langid_model(MODEL_DIR / MODEL_FILE)
    if unpacked is not None:
        try:
            return _identifier_from(unpacked, LanguageIdentifier)
        except (OSError, KeyError, ValueError):  # a damaged cache file: the packed model still serves
            pass
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _unpacked_langid_model(packed):
    """The cache file holding py3langid's model unpacked (made on first use), or None: its
    arrays as :func:`newsdesk.diskcache.write_arrays` keeps them, so that a start maps them
    instead of reading and checking a 68 MB zip (see :func:`_identifier_from`)."""
    import io
    import lzma

    import numpy as np
    import py3langid

    from .diskcache import cached_file, source_key, write_arrays

    def unpack(path):
        with lzma.open(packed) as src, np.load(io.BytesIO(src.read()), allow_pickle=False) as data:
            write_arrays(path, {name: data[name] for name in data.files})

    key = source_key("py3langid", getattr(py3langid, "__version__", "0"), "arrays", files=(packed,))
    return cached_file(f"langid-model-{key}.arrays", unpack)


def _identifier_from(path, identifier_class):
    """py3langid's LanguageIdentifier over its unpacked model: what from_model_file builds."""
    from py3langid.modelio import _to_array

    from .diskcache import mapped_arrays

    data = mapped_arrays(path)
    return identifier_class(data["ptc"], data["pc"], data["classes"].tolist(), _to_array(data["nextmove"]),
                            data["out_feat"].tolist(), norm_probs=True, tk_row=_to_array(data["nextmove_row"]))


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`, None for text without letters.

    py3langid guesses poorly on a few words: a short (< 6 words) or low-confidence (< 0.9)
    guess other than English is replaced by "en" when every letter of the text is ASCII, since
    the news this reads is mostly English and other languages usually show accented letters.
    Letters, not characters: curly quotes and dashes ("‘It’s Problematic’", "—Joe Lauria") are
    no sign of another language (Multi-News paragraphs read as Pidgin, Breton or Frisian put a
    whole English pile on the multilingual model).
    """
    sample = text[:_SAMPLE_CHARS]
    if not any(c.isalpha() for c in sample):
        return None
    language, confidence = _identifier().classify(sample)
    if language != "en" and all(c.isascii() for c in sample if c.isalpha()):
        if confidence < _MIN_CONFIDENCE or len(_WORD.findall(sample)) < _SHORT_WORDS:
            return "en"
    return language


def assess(item: Item, options: Options | None = None) -> Item:
    """The item with its cleaning verdicts: junk_reason (:func:`item_junk_reason`), the junk
    lines inside a kept item (:func:`junk_spans`), truncated (judged without those lines) and
    language."""
    options = options or Options()
    reason = item_junk_reason(item.text, options.min_item_words)
    spans = () if reason else tuple(junk_spans(item.text, options.min_item_words))
    return replace(
        item,
        junk_reason=reason,
        junk_spans=spans,
        truncated=is_truncated(blank_spans(item.text, spans) if spans else item.text),
        language=item.language or detect_language(item.text),
    )
