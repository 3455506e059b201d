"""Choose the brief's sentences and headline from source sentences, with their citations.

Every sentence of a brief is a source sentence (or, for the headline, a trimmed span of one):
nothing is generated, so every word can be traced to the items that carry it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from .fastimport import import_scipy_sparse
from .model import Claim, Sentence
from .options import Options

if TYPE_CHECKING:
    from scipy import sparse

# A headline stops before a trailing clause that comments on the event rather than naming it.
_CLAUSE_STARTERS = {"which", "where", "while", "as", "amid", "with", "after", "before", "raising", "prompting"}
_HEADLINE_MAX_WORDS = 16
# The summary covers what the pile keeps saying, with two gains per sentence (see `select`):
# shared words and word pairs it adds (per word^_LENGTH_EXPONENT, so that a long sentence earns
# its length) and how much closer it brings every sentence of the pile to one already chosen.
# Tuned on the even Multi-News clusters (benchmarks/summaries.py).
_WORDS_GAIN = 2.0
_REPRESENTATIVE_GAIN = 10.0
_LENGTH_EXPONENT = 0.75
_PRIOR_WEIGHT = 0.5  # times `prior`
# A sentence that reports who said it ("..., officials said", "according to the ministry"):
# counted by rule, before any parse; the headline prefers a sentence that is nobody's claim.
_ATTRIBUTION = re.compile(r"\b(?:said|says|told|according to)\b")
_WORD = re.compile(r"\w+(?:'\w+)?")
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


def prior(candidates: list[Candidate], vectors: np.ndarray, options: Options) -> np.ndarray:
    """What a sentence is worth before coverage: the share of other items that state the same
    thing (an item supports a sentence with its closest sentence's similarity, and only when that
    is above `support_similarity`, so that a hundred loosely related items cannot outvote three
    that say the same thing), its similarity to the centroid of all the sentences, a bonus that
    decays with its position in its item (news puts the event first: 1/sqrt(1 + position); a
    pile of one-sentence snippets is unaffected), and a small one per attribution ("officials
    said"), which a brief should carry."""
    items = sorted({c.item for c in candidates})
    sims = vectors @ vectors.T
    rows = np.array([c.item for c in candidates])
    support = np.zeros(len(candidates))
    for other in items:
        best = sims[:, rows == other].max(axis=1)
        support += np.where((rows != other) & (best >= options.similarity_thresholds()[0]), best, 0.0)
    support /= max(1, len(items) - 1)
    position = np.array([c.position for c in candidates], dtype=float)
    facts = np.array([min(c.facts, 2) for c in candidates], dtype=float)
    centroid = vectors.mean(axis=0)
    centrality = vectors @ (centroid / (np.linalg.norm(centroid) or 1.0))
    return support + centrality + 0.5 / np.sqrt(1.0 + position) + 0.05 * facts


def concepts(text: str) -> frozenset:
    """The sentence's content words (lower case, plural "s" off) and its word pairs that are not
    two stop words: what ROUGE-1 and ROUGE-2 count, and what restatements share."""
    words = [_singular(w) for w in _WORD.findall(text.casefold())]
    stop = _stop_words()
    found = {w for w in words if w not in stop and len(w) > 2}
    found |= {f"{a} {b}" for a, b in pairwise(words) if a not in stop or b not in stop}
    return frozenset(found)


def shared_weights(candidates: list[Candidate]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """(candidate x concept incidence, weight per concept): a concept weighs the share of items
    that state it, and nothing when only one item does (a detail of one report, a distractor's
    topic): a summary should say what the pile agrees on."""
    per_candidate = [concepts(c.text) for c in candidates]
    per_item: dict[int, set] = {}
    for c, found in zip(candidates, per_candidate):
        per_item.setdefault(c.item, set()).update(found)
    index: dict[str, int] = {}
    rows, cols = [], []
    for i, found in enumerate(per_candidate):
        for concept in found:
            rows.append(i)
            cols.append(index.setdefault(concept, len(index)))
    items = np.zeros(len(index))
    for words in per_item.values():
        items[[index[k] for k in words]] += 1
    enough = min(2, len(per_item))
    weights = np.where(items >= enough, items, 0.0) / max(1, len(per_item))
    incidence = import_scipy_sparse().csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(candidates), len(index)))
    return incidence, weights


def attributions(text: str) -> int:
    """How many times the sentence says who states something ("said", "according to")."""
    return len(_ATTRIBUTION.findall(text))


def plain_tokens(c: Candidate) -> tuple[tuple[str, str, int], ...]:
    """The sentence's words and marks split by rule, untagged: for trimming a headline from a
    sentence that was not parsed."""
    return tuple((m.group(), "", c.start + m.start()) for m in _WORD_OR_MARK.finditer(c.text))


def reading_order(chosen: list[int], candidates: list[Candidate], published: dict | None = None) -> list[int]:
    """The chosen sentences as a story reads: in time order when every item they come from is
    dated (`published`: item number -> datetime; a pile of updates tells what happened first,
    first), else leads of every item first, then what follows them (by position in the item,
    then item number)."""
    if published and all(published.get(candidates[i].item) for i in chosen):
        return sorted(chosen, key=lambda i: (published[candidates[i].item], candidates[i].item, candidates[i].start))
    return sorted(chosen, key=lambda i: (candidates[i].position, candidates[i].item, candidates[i].start))


def select(candidates: list[Candidate], vectors: np.ndarray, options: Options) -> list[int]:
    """Indices of the chosen sentences, best first: greedily, the sentence that adds the most
    coverage of the pile, until `options.sentences` or the `options.words` budget is reached.

    Coverage has two parts, both with diminishing returns (what a chosen sentence said earns
    nothing again): the shared concepts (see `shared_weights`) the sentence adds, per
    word^0.75; and how much closer it brings each sentence of the pile to one already chosen
    (cosine similarity, averaged over the pile: a sentence that stands for many others, as in
    facility location). No prior on a sentence's position in its item: a pile of snippets or
    updates has no lead to favour, and the articles' leads win on coverage anyway. Sentences
    too similar to a chosen one (`similarity_thresholds()[1]`) are skipped, and sentences stay
    whole: one that would overrun the budget leaves room for a shorter one."""
    if not candidates:
        return []
    incidence, weights = shared_weights(candidates)
    worth = _PRIOR_WEIGHT * prior(candidates, vectors, options)
    sims = np.clip(vectors @ vectors.T, 0.0, None)
    lengths = np.array([len(c.text.split()) for c in candidates], dtype=float)
    redundancy = options.similarity_thresholds()[1]
    covered = np.zeros(len(candidates))  # each sentence's similarity to its closest chosen one
    open_weights = weights.copy()
    allowed = np.ones(len(candidates), dtype=bool)
    chosen: list[int] = []
    words = 0.0
    while len(chosen) < options.sentences:
        if options.words is not None:
            allowed &= lengths <= options.words - words
        if not allowed.any():
            break
        shared = incidence @ open_weights / lengths ** _LENGTH_EXPONENT
        representative = np.maximum(sims - covered, 0.0).mean(axis=1)
        gain = np.where(allowed, worth + _WORDS_GAIN * shared + _REPRESENTATIVE_GAIN * representative, -np.inf)
        best = _attributed_restatement(int(np.argmax(gain)), gain, candidates, vectors, redundancy)
        chosen.append(best)
        words += lengths[best]
        allowed &= vectors @ vectors[best] <= redundancy
        allowed[best] = False
        open_weights[incidence[best].indices] = 0.0
        covered = np.maximum(covered, sims[best])
    return chosen


def _attributed_restatement(best: int, gain: np.ndarray, candidates: list[Candidate], vectors: np.ndarray,
                            redundancy: float) -> int:
    """`best`, or the best restatement of it that says who states it ("The port reopened, the
    port authority said" for "The port reopened"): a brief keeps its sources, and `unframed`
    states a corroborated claim plainly anyway. argmax ties go to the earliest candidate."""
    if candidates[best].facts:
        return best
    restating = (vectors @ vectors[best] > redundancy) & np.isfinite(gain)
    restating &= np.array([c.facts > 0 for c in candidates])
    if not restating.any():
        return best
    return int(np.argmax(np.where(restating, gain, -np.inf)))


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


def _singular(word: str) -> str:
    """A crude plural and possessive strip ("troops" -> "troop", "Russia's" -> "russia"), so
    that restatements match without a stemmer's dependency."""
    if word.endswith("'s"):
        return word[:-2]
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from .stopwords import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "told"}
