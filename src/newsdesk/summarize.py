"""Choose the brief's sentences and headline from source sentences, with their citations.

Every sentence of a brief is a source sentence (or, for the headline, a trimmed span of one):
nothing is generated, so every word can be traced to the items that carry it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from .model import Claim, Sentence
from .options import Options

# A headline stops before a trailing clause that comments on the event rather than naming it.
_CLAUSE_STARTERS = {"which", "where", "while", "as", "amid", "with", "after", "before", "raising", "prompting"}
_HEADLINE_MAX_WORDS = 16
_CENTROID_WEIGHT = 1.0  # similarity to the centroid of all candidate sentences
_LEAD_WEIGHT = 0.5  # times 1/sqrt(1 + position in the item)
_FACTS_WEIGHT = 0.05  # per attribution in the sentence (at most two)
# A sentence that reports who said it ("..., officials said", "according to the ministry"):
# counted by rule, before any parse. On the even Multi-News clusters this scores higher than
# counting the claims of a full parse (with MiniLM, ROUGE-1 0.380 vs 0.371 on the first 40).
_ATTRIBUTION = re.compile(r"\b(?:said|says|told|according to)\b")
_WORD_OR_MARK = re.compile(r"\w+(?:[-'\u2019]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Candidate:
    """A complete source sentence that may go into the brief."""

    item: int
    start: int
    end: int
    text: str
    position: int  # 0 for an item's first sentence
    facts: int  # attributions in the sentence (see `attributions`)
    tokens: tuple[tuple[str, str, int], ...]  # (text, tag, char offset in the item) for trimming


@dataclass(frozen=True)
class SourceTexts:
    """The texts that citations may name (item number -> text as written), each also normalised
    once per brief: every brief sentence is looked for in every text."""

    raw: dict[int, str]
    normal: dict[int, str]

    @classmethod
    def of(cls, texts: dict[int, str]) -> SourceTexts:
        return cls(texts, {n: _normal(text) for n, text in texts.items()})

    def containing(self, text: str) -> list[int]:
        """The items whose text contains `text` (case, quotes and spacing aside)."""
        wanted = _normal(text)
        return sorted(n for n, body in self.normal.items() if wanted in body)


def score(candidates: list[Candidate], vectors: np.ndarray, options: Options) -> np.ndarray:
    """How central each sentence is: the share of other items that state the same thing.

    An item supports a sentence with its closest sentence's similarity, and only when that is
    above `support_similarity`, so that a hundred loosely related items cannot outvote three
    that say the same thing. Then the sentence's cosine similarity to the centroid of all the
    sentences (the pile's main topic), a bonus that decays with the sentence's position in its
    item (news puts the event first: 1/sqrt(1 + position), so long articles count their lead
    most, and snippets of one sentence each are unaffected), a small bonus to an item's first
    sentence and to sentences that report who says what, and a small penalty to very long
    sentences, which are hard to cite. Weights were tuned on the even clusters of the
    Multi-News sample (benchmarks/summaries.py).
    """
    items = sorted({c.item for c in candidates})
    sims = vectors @ vectors.T
    rows = np.array([c.item for c in candidates])
    support = np.zeros(len(candidates))
    for other in items:
        best = sims[:, rows == other].max(axis=1)
        support += np.where((rows != other) & (best >= options.similarity_thresholds()[0]), best, 0.0)
    support /= max(1, len(items) - 1)
    position = np.array([c.position for c in candidates], dtype=float)
    words = np.array([len(c.text.split()) for c in candidates], dtype=float)
    facts = np.array([min(c.facts, 2) for c in candidates], dtype=float)
    centroid = vectors.mean(axis=0)
    centrality = vectors @ (centroid / (np.linalg.norm(centroid) or 1.0))
    lead = 1.0 / np.sqrt(1.0 + position)
    return (support + _CENTROID_WEIGHT * centrality + _LEAD_WEIGHT * lead + 0.05 * (position == 0)
            + _FACTS_WEIGHT * facts - 0.002 * np.maximum(words - 35, 0))


def attributions(text: str) -> int:
    """How many times the sentence says who states something ("said", "according to")."""
    return len(_ATTRIBUTION.findall(text))


def plain_tokens(c: Candidate) -> tuple[tuple[str, str, int], ...]:
    """The sentence's words and marks split by rule, untagged: for trimming a headline from a
    sentence that was not parsed."""
    return tuple((m.group(), "", c.start + m.start()) for m in _WORD_OR_MARK.finditer(c.text))


def reading_order(chosen: list[int], candidates: list[Candidate]) -> list[int]:
    """The chosen sentences as a story reads: leads of every item first, then what follows
    them (by position in the item, then item number)."""
    return sorted(chosen, key=lambda i: (candidates[i].position, candidates[i].item, candidates[i].start))


def select(candidates: list[Candidate], vectors: np.ndarray, options: Options) -> list[int]:
    """Indices of the chosen sentences, best first: greedy by score, skipping repeats."""
    scores = score(candidates, vectors, options)
    order = sorted(range(len(candidates)), key=lambda i: (-round(scores[i], 9), candidates[i].item, candidates[i].start))
    chosen: list[int] = []
    words = 0
    redundancy = options.similarity_thresholds()[1]
    for i in order:
        if len(chosen) >= options.sentences:
            break
        if any(vectors[i] @ vectors[j] > redundancy for j in chosen):
            continue
        length = len(candidates[i].text.split())
        if options.words is not None and words + length > options.words:
            continue  # whole sentences only: a shorter one may still fit
        chosen.append(i)
        words += length
    return chosen


def cite(index: int, candidates: list[Candidate], vectors: np.ndarray, texts: SourceTexts, options: Options) -> Sentence:
    """A brief sentence with `sources` (items containing it) and `support` (items restating it)."""
    c = candidates[index]
    return _cited(c, c.start, c.end, c.text, index, candidates, vectors, texts, options)


def headline(chosen: list[int], candidates: list[Candidate], vectors: np.ndarray, texts: SourceTexts, options: Options) -> Sentence:
    """A chosen sentence, trimmed to the clause that names the event.

    Preference, best-ranked first within each tier: a sentence that is nobody's claim and
    reads as a headline once trimmed (short, or with a clean clause boundary); then such a
    sentence that carries a claim; then the best sentence that is nobody's claim; then the best.
    """
    def tier(i: int) -> int:
        return (0 if _clean_cut(candidates[i]) is not None else 2) + (1 if candidates[i].facts else 0)

    index = min(chosen, key=lambda i: (tier(i), chosen.index(i)))
    c = candidates[index]
    end = _clean_cut(c) or _first_comma(c) or c.end
    text = texts.raw[c.item][c.start:end].rstrip(" .;:,")
    return _cited(c, c.start, c.start + len(text), text, index, candidates, vectors, texts, options)


def _cited(c: Candidate, start: int, end: int, text: str, index: int, candidates, vectors,
           texts: SourceTexts, options) -> Sentence:
    sources = texts.containing(text)
    sims = vectors @ vectors[index]
    support = sorted(
        {candidates[j].item for j in np.flatnonzero(sims >= options.similarity_thresholds()[0])} - set(sources)
    )
    return Sentence(text=text, item=c.item, start=start, end=end, sources=sources, support=support)


def support_as_shown(sentences: list[Sentence], candidates: list[Candidate], vectors: np.ndarray,
                     embedder, options: Options) -> list[Sentence]:
    """Support measured again for sentences shown shorter than their candidate (a trimmed
    headline, a claim without its frame): they say less, and `newsdesk verify` compares the
    words shown."""
    whole = {c.text for c in candidates}
    changed = [k for k, s in enumerate(sentences) if s.text not in whole]
    if not changed:
        return sentences
    threshold = options.similarity_thresholds()[0]
    out = list(sentences)
    for k, vector in zip(changed, embedder.encode([sentences[k].text for k in changed])):
        items = {candidates[j].item for j in np.flatnonzero(vectors @ vector >= threshold)}
        out[k] = replace(out[k], support=sorted(items - set(out[k].sources)))
    return out


def unframed(sentence: Sentence, claims: list[Claim], disputed: list[Claim], duplicate_of: dict[int, int],
             texts: SourceTexts) -> Sentence:
    """The sentence stated without its attribution ("The port reopened on Monday, officials
    said." -> "The port reopened on Monday") when nobody contests what it attributes: its cue
    only reports (said, told, announced, according to: not denied, warned, hoped), no other
    party gives its own figure for it (it is not in `disputed`, the sides of the disputes that
    contrast.find_disputes found) or makes a claim about the same things, it is not hedged
    ("claimed", "reportedly"), and at least two independent origins state it (its sources and
    support, merged copies counted once). Otherwise, or when the frame cannot be cut off
    cleanly, the sentence as it is: a contested claim keeps its "X says".

    The result is a contiguous span of the source sentence (its first letter capitalised),
    which `newsdesk verify` accepts as a trimmed clause."""
    inside = [c for c in claims if c.item == sentence.item and sentence.start <= c.start and c.end <= sentence.end]
    if len(inside) != 1:
        return sentence
    claim = inside[0]
    origins = {duplicate_of.get(n, n) for n in sentence.sources + sentence.support}
    if (claim.hedges or len(origins) < 2 or not _REPORTING_CUE.fullmatch(claim.cue.casefold())
            or claim in disputed or _answered(claim, claims)):
        return sentence
    span = _content_clause(claim, sentence, texts.raw[sentence.item])
    if span is None:
        return sentence
    start, end = span
    text = texts.raw[sentence.item][start:end]
    text = text[0].upper() + text[1:]
    sources = texts.containing(text)
    return Sentence(text=text, item=sentence.item, start=start, end=end, sources=sources,
                    support=[n for n in sentence.support if n not in sources])


# Cues that only report what was said; any other ("denied", "warned", "hoped") is part of
# the meaning and must stay.
_REPORTING_CUE = re.compile(
    r"(?:(?:has|have|had)\s+)?(?:said|says|say|told|tells|reported|reports|announced|announces"
    r"|confirmed|confirms|stated|states|added|adds|noted|notes)|according\s+to")


def _answered(claim: Claim, claims: list[Claim]) -> bool:
    """Whether another party makes a claim about the same things (two content words shared):
    "Russia denied it" next to "A killed 16, Ukraine said" makes the latter contested."""
    own = _content_words(claim.content)
    return any(other.actor != claim.actor and len(own & _content_words(other.content)) >= 2
               for other in claims)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if len(w) > 3}


# A statement that needs its speaker to be understood ("we will", "he had") stays attributed.
_SPEAKER_WORDS = {"i", "me", "my", "we", "us", "our", "you", "your"}
_PRONOUN_STARTS = {"he", "she", "it", "they", "his", "her", "its", "their", "this", "these", "those"}
_QUOTE_MARKS = set('"\u201c\u201d')


def _content_clause(claim: Claim, sentence: Sentence, body: str) -> tuple[int, int] | None:
    """(start, end) of the claim's content as a clause of the sentence that reads on its own,
    when everything else in the sentence is the attribution (speaker, cue, "that", when, marks);
    None otherwise."""
    if len(claim.content_span) != 1 or _QUOTE_MARKS & set(sentence.text):
        return None
    start, end = claim.content_span[0]
    words = re.findall(r"\w+", body[start:end].casefold())
    if not words or words[0] in _PRONOUN_STARTS or _SPEAKER_WORDS & set(words):
        return None
    frame = set(range(sentence.start, sentence.end)) - set(range(start, end))
    for s, e in (claim.source_span or []) + (claim.cue_span or []):
        frame -= set(range(s, e))
    rest = "".join(body[i] if i in frame else " " for i in range(sentence.start, sentence.end))
    if claim.when:
        rest = rest.replace(claim.when, " ", 1)
    if set(re.findall(r"\w+", rest.casefold())) - {"that"}:
        return None  # more than the attribution around the content
    if not body[end:sentence.end].strip(" .!?"):  # "X said the port reopened." keeps its full stop
        end = sentence.end
    while body[end - 1] in " ,;:":  # "The port reopened, X said": no dangling comma
        end -= 1
    return start, end


def _clean_cut(c: Candidate) -> int | None:
    """Where a headline can end: before ", which/where/amid/...ing" once it has enough words to
    stand alone, or at the end of a short sentence; None when there is no such place."""
    tokens = c.tokens
    if tokens and tokens[0][1] == "IN":
        return None  # "Since the new push in ...": a fronted clause does not name the event
    for k in range(5, len(tokens) - 1):
        text, _, offset = tokens[k]
        nxt, tag, _ = tokens[k + 1]
        if text == "," and (nxt.lower() in _CLAUSE_STARTERS or tag == "VBG"):
            return offset
    return c.end if len(tokens) <= _HEADLINE_MAX_WORDS else None


def _first_comma(c: Candidate) -> int | None:
    """Long and no clause boundary: the first comma after the subject and verb."""
    return next((offset for text, _, offset in c.tokens[6:] if text == ","), None)


def _normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().casefold()
