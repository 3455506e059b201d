"""Cleaning verdicts for one item: is it junk, is it cut off mid-sentence, what language.

Junk is page furniture that a scraper or a news search picks up along with the news: cookie
and consent banners, newsletter and subscription prompts, advertising disclosures, share
buttons, copyright lines, comment forms and navigation link lists, plus items too short to
be news. Two signals decide it:

1. Cue phrases (``data/boilerplate_phrases.txt``, English and German). Strong cues
   (weight >= 2) are phrases that news prose rarely uses ("we use cookies", "store and/or
   access information on a device"); weak cues (weight 1) are words news does use
   ("cookies", "subscribe", "Facebook"). A block is junk when it has a strong cue and its
   cue weight per sentence is high: boilerplate is dense with cues, while a news story that
   mentions a cookie law has one cue among many sentences.
2. Link-list shape, for navigation without cue words: a long run of capitalised labels with
   almost no function words and no sentence punctuation. Headlines share that shape, so the
   rule only applies from `_NAV_MIN_WORDS` words on, well above headline length.

Non-English items are not junk: they are kept and labelled through `Item.language`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files

from .dedup import core_text
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
}
TOO_SHORT = "too short to be news"

# Scoring rule (see the module docstring). Pinned by tests/test_clean.py on the real data.
_MIN_STRONG = 3  # at least one strong cue
_CUES_PER_SENTENCE = 1.0  # cue weight per sentence at or above which a block is boilerplate
_MAX_COUNT = 3  # a cue repeated more often adds nothing (menus repeat words)

_NAV_MIN_WORDS = 16  # headlines are shorter; link lists are longer
_NAV_MAX_FUNCTION_WORDS = 0.12  # prose has 30-50 % function words, link lists almost none
_NAV_MIN_CAPITALISED = 0.5

_WORD = re.compile(r"\w[\w'’\-]*")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)")
# English and German function words: their share separates prose from link lists.
_FUNCTION_WORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been has
    have had do does did not no it its this that these those he she they we you i his her
    their our your who which what when where how than then so there here will would can could
    should may might must said says after before over under about into out up more most also
    der die das den dem des ein eine einer eines einem einen und oder aber nicht ist sind war
    waren wird werden hat haben mit von zu zum zur im in an am auf aus bei für über unter nach
    vor wie als auch sich es er sie wir ihr ich du dass noch nur so da wenn man""".split()
)


@dataclass(frozen=True)
class _Cue:
    kind: str
    weight: int
    regex: str
    pattern: re.Pattern


@lru_cache(maxsize=1)
def _cues() -> tuple[_Cue, ...]:
    """The cue phrases, compiled once per process."""
    text = files("newsdesk").joinpath("data", "boilerplate_phrases.txt").read_text("utf-8")
    cues = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, weight, regex = line.split("\t")
        cues.append(_Cue(kind, int(weight), regex, re.compile(_bounded(regex), re.IGNORECASE)))
    return tuple(cues)


def _bounded(regex: str) -> str:
    """`regex` matched as whole words."""
    return rf"(?<!\w)(?:{regex})(?!\w)"


def _sentence_count(text: str) -> int:
    return max(1, len(_SENTENCE_END.findall(text)))


@lru_cache(maxsize=1)
def _cues_strong_first() -> tuple[re.Pattern, tuple[_Cue, ...], tuple[_Cue, ...]]:
    """Any strong cue as one pattern, then the strong and the weak cues."""
    cues = _cues()
    strong = tuple(c for c in cues if c.weight >= 2)
    any_strong = re.compile(_bounded("|".join(f"(?:{c.regex})" for c in strong)), re.IGNORECASE)
    return any_strong, strong, tuple(c for c in cues if c.weight < 2)


def _cue_reason(text: str) -> str | None:
    """The boilerplate kind whose cues dominate a cue-dense block, or None."""
    by_kind: dict[str, int] = {}
    any_strong, strong_cues, weak_cues = _cues_strong_first()
    if not any_strong.search(text):  # most news: one search instead of one per cue
        return None
    for cue in strong_cues:
        count = min(len(cue.pattern.findall(text)), _MAX_COUNT)
        if count:
            by_kind[cue.kind] = by_kind.get(cue.kind, 0) + cue.weight * count
    if sum(by_kind.values()) < _MIN_STRONG:  # most news: the weak cues need not be counted
        return None
    for cue in weak_cues:
        count = min(len(cue.pattern.findall(text)), _MAX_COUNT)
        if count:
            by_kind[cue.kind] = by_kind.get(cue.kind, 0) + cue.weight * count
    if sum(by_kind.values()) < _CUES_PER_SENTENCE * _sentence_count(text):
        return None
    # Ties go to the kind listed first in REASONS, so the verdict is deterministic.
    kind = max(REASONS, key=lambda k: (by_kind.get(k, 0), -list(REASONS).index(k)))
    return REASONS[kind]


def _looks_like_link_list(words: list[str], text: str) -> bool:
    if len(words) < _NAV_MIN_WORDS or len(_SENTENCE_END.findall(text)) > len(words) / 25:
        return False
    function = sum(w.casefold() in _FUNCTION_WORDS for w in words) / len(words)
    alphabetic = [w for w in words if w[0].isalpha()]
    capitalised = sum(w[0].isupper() for w in alphabetic) / max(1, len(alphabetic))
    return function <= _NAV_MAX_FUNCTION_WORDS and capitalised >= _NAV_MIN_CAPITALISED


def junk_reason(text: str, min_words: int = Options.min_item_words) -> str | None:
    """Why `text` is not news (a short human reason), or None when it is news."""
    reason = _cue_reason(text)
    if reason:
        return reason
    words = _WORD.findall(text)
    if len(words) < min_words:
        return TOO_SHORT
    if _looks_like_link_list(words, text):
        return REASONS["nav"]
    return None


def item_junk_reason(text: str, min_words: int = Options.min_item_words) -> str | None:
    """:func:`junk_reason` of the news in an item: what an outlet appends (a footer such as
    "Follow us on Twitter", "Copyright 2016 ...", see :func:`newsdesk.dedup.core_text`) is not
    judged, so a syndicated copy gets the verdict of its original. And when boilerplate cues
    start only in the second half, after a part that is news on its own, the item is news (an
    unknown footer must not get it dropped while a copy without it is kept)."""
    core = core_text(text)
    if len(core.split()) < min_words:  # a short note that only looks like it ends in a footer
        core = text
    reason = junk_reason(core, min_words)
    if not (reason or "").startswith("boilerplate"):
        return reason
    first = min((m.start() for cue in _cues() if (m := cue.pattern.search(core))), default=0)
    if first < len(core) // 2:  # boilerplate from the first half on: not a news item with a footer
        return reason
    head = core[:first].rstrip(" -\u2013\u2014(|")
    return None if junk_reason(head, min_words) is None else reason


# --- truncation

_TITLE_MAX_WORDS = 15
_ENDS_COMPLETE = re.compile(r"[.!?][\"'”’»)\]]*$")
_ELLIPSIS = re.compile(r"(\.\.\.|…)[\"'”’»)\]]*$")
# A sentence boundary: terminal punctuation, optional closing quote, space, then a capital,
# digit or opening quote. Abbreviations before the stop are ruled out separately.
_BOUNDARY = re.compile(r"[.!?][\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-Z0-9ÀÁÂÄÅÆÇÈÉÊÎÏÑÓÔÖØÚÜ])")
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


def _sentence_ends(text: str):
    """Matches of real sentence ends (not abbreviations such as "Mr." or "U.S.")."""
    for match in _BOUNDARY.finditer(text):
        before = text[: match.start() + 1].rsplit(None, 1)
        token = before[-1].casefold().rstrip(".") if before else ""
        if token not in _ABBREVIATIONS and not re.fullmatch(r"\w", token):
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
        0 < len(words) <= _TITLE_MAX_WORDS
        and not any(text[start] == "." for start in _boundary_starts(text))
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
    """True when `text` is cut off mid-sentence: no terminal punctuation at the end (unless
    it is a headline: <= 15 words, no sentence punctuation inside, not ending on a function
    word), or a trailing
    "..."/"…" (search snippets mark their cut that way)."""
    return bool(text.strip()) and complete_part(text) < len(text)


# --- language

_SAMPLE_CHARS = 2000  # enough for a reliable guess; keeps long items cheap
_SHORT_WORDS = 6
_MIN_CONFIDENCE = 0.9


@lru_cache(maxsize=1)
def _identifier():
    # Imported lazily: loading the model takes about half a second, paid by the first call.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`, None for text without letters.

    py3langid guesses poorly on a few words: a short (< 6 words) or low-confidence (< 0.9)
    guess other than English is replaced by "en" when the text is plain ASCII, since the
    news this reads is mostly English and other languages usually show accented letters.
    """
    sample = text[:_SAMPLE_CHARS]
    if not any(c.isalpha() for c in sample):
        return None
    language, confidence = _identifier().classify(sample)
    if language != "en" and sample.isascii():
        if confidence < _MIN_CONFIDENCE or len(_WORD.findall(sample)) < _SHORT_WORDS:
            return "en"
    return language


def assess(item: Item, options: Options | None = None) -> Item:
    """The item with its cleaning verdicts: junk_reason (:func:`item_junk_reason`), truncated
    and language."""
    options = options or Options()
    return replace(
        item,
        junk_reason=item_junk_reason(item.text, options.min_item_words),
        truncated=is_truncated(item.text),
        language=item.language or detect_language(item.text),
    )
