"""A learned check of the claims the rules keep: is this really someone stating something?

The rules of extract.claims and extract.claim_kinds were written on the tune half of the judged
claims (benchmarks/precision.py) and stopped generalising: each round raised the tune half and
barely moved the held-out one. This stage is a logistic regression over plain features of each
claim (its cue word and form, what kind of speaker it has, the shape of its content, where it
stands in the text), trained on the judged tune claims by benchmarks/train_claim_filter.py,
which also chooses the threshold out of fold. A claim whose probability of being a right claim
is under the threshold goes. Without the model file every claim stays.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib.resources import files

from ..model import Claim, Span
from . import attribution_tagger
from .actors import is_pronoun

MODEL_FILE = "claim_filter.json"
_CAPITALISED = re.compile(r"^[A-Z0-9]")
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


@lru_cache(maxsize=1)
def load() -> dict | None:
    """{"weights": {feature: weight}, "bias": b, "threshold": t}, or None when not installed."""
    path = files("newsdesk").joinpath("data", MODEL_FILE)
    if not path.is_file():
        return None
    return json.loads(path.read_text("utf-8"))


def kept(doc, text: str, claims: list[Claim], origins: dict[str, list[Span]] | None = None,
         model: dict | None = None) -> list[Claim]:
    """The claims whose probability (see `probability`) reaches the model's threshold.
    `origins`: the cue spans that the rules and the tagger each found (extract.claims)."""
    model = model or load()
    if model is None:
        return claims
    return [c for c in claims if probability(features(doc, text, c, origins), model) >= model["threshold"]]


def probability(names: list[str], model: dict) -> float:
    weights = model["weights"]
    score = model["bias"] + sum(weights.get(name, 0.0) for name in names)
    return 1.0 / (1.0 + math.exp(-score))


def features(doc, text: str, claim: Claim, origins: dict[str, list[Span]] | None = None) -> list[str]:
    """The claim's features, each a name that is present (binary): everything is binned, so
    that a linear model over them needs no scaling and the weights file reads as a table."""
    source, cue, content = (_tokens(doc, spans or []) for spans in (claim.source_span, claim.cue_span,
                                                                      claim.content_span))
    out = ["kind=" + claim.kind, "path=" + _path(claim, origins or {})]
    out += _cue_features(cue)
    out += _speaker_features(text, claim, source)
    out += _content_features(text, claim, content)
    out += _layout_features(text, claim)
    out += _tagger_features((origins or {}).get("kinds") or {}, source, cue, content)
    return out


def _tagger_features(kinds: dict, source: list, cue: list, content: list) -> list[str]:
    """How sure the tagger is of each part: the mean probability of SRC, CUE, CON over the
    part's words, binned."""
    if not kinds:
        return ["tagger=none"]
    out = []
    for name, column, tokens in (("source", 1, source), ("cue", 2, cue), ("content", 3, content)):
        ps = [kinds[t.i][column] for t in tokens if t.i in kinds and not t.is_punct]
        mean = sum(ps) / len(ps) if ps else 0.0
        out.append(f"tagger_{name}=" + next(f"<={e}" for e in (0.1, 0.3, 0.5, 0.7, 0.9, 1.01) if mean <= e))
    return out


def _cue_features(cue: list) -> list[str]:
    words = [t for t in cue if not t.is_space and not t.is_punct]
    if not cue:
        return ["cue=none"]
    if not words:
        return ["cue=punct"]  # a colon or dash after a speaker
    if words[0].lower_ == "according":
        return ["cue=according"]
    root = next((t for t in words if t.head not in words or t.head == t), words[0])
    rate = attribution_tagger.cue_lexicon().get(root.lemma_.lower())
    out = ["cue=" + root.lemma_.lower(), "cue_pos=" + root.pos_, "cue_tag=" + root.tag_,
           "cue_dep=" + root.dep_, "cue_rate=" + _rate(rate)]
    children = {c.dep_ for c in root.children}
    out += ["cue_negated"] * ("neg" in children)
    out += ["cue_modal"] * any(c.tag_ == "MD" for c in root.children)
    out += ["cue_passive"] * bool({"auxpass", "nsubjpass"} & children)
    return out


def _path(claim: Claim, origins: dict[str, list[Span]]) -> str:
    """Which stage found the claim's cue: the rules, the tagger, both, or neither (a signed
    quotation, a claim without a cue)."""
    if not claim.cue_span:
        return "none"
    s, e = claim.cue_span[0]
    by = [name for name in ("rules", "tagger") if any(a < e and s < b for a, b in origins.get(name, []))]
    return "+".join(by) or "neither"


def _speaker_features(text: str, claim: Claim, source: list) -> list[str]:
    if not source:
        return ["speaker=none"]
    words = [t for t in source if not t.is_punct and not t.is_space]
    speaker = claim.speaker.strip()
    root = next((t for t in words if t.head not in words or t.head == t), words[0] if words else source[0])
    out = ["speaker_words=" + _bin(len(words), (1, 2, 3, 5, 8)), "speaker_pos=" + root.pos_,
           "speaker_ent=" + (root.ent_type_ or "none")]
    if is_pronoun(speaker):
        out.append("speaker_pronoun")
        out.append("speaker_resolved" if claim.actor else "speaker_unresolved")
    out += ["speaker_plural"] * (root.tag_ in ("NNS", "NNPS"))
    out += ["speaker_determiner"] * (words[0].lower_ in ("the", "a", "an") if words else False)
    out += ["speaker_capitalised"] * (bool(words) and all(_CAPITALISED.match(t.text) for t in words))
    out += ["speaker_digit"] * any(t.like_num for t in words)
    out += ["speaker_role"] * bool(claim.role)
    out += ["speaker_possessive"] * any(t.tag_ == "POS" for t in source)
    out += ["speaker_line_start"] * (text.rfind("\n", 0, source[0].idx) + 1 == source[0].idx or source[0].idx == 0)
    return out


def _content_features(text: str, claim: Claim, content: list) -> list[str]:
    words = [t for t in content if not t.is_punct and not t.is_space]
    s, e = claim.content_span[0][0], claim.content_span[-1][1]
    out = ["content_words=" + _bin(len(words), (2, 4, 8, 15, 30, 60)),
           "content_fragments=" + _bin(len(claim.content_span), (1, 2))]
    out += ["content_quoted"] * any(q in text[max(0, s - 2):s] for q in "\"“'‘")
    out += ["content_finite"] * any(t.tag_ in _FINITE for t in words)
    out += ["content_verb"] * any(t.pos_ in ("VERB", "AUX") for t in words)
    out += ["content_that"] * (bool(words) and words[0].lower_ == "that")
    out += ["content_to"] * (bool(words) and words[0].lower_ == "to")
    out += ["content_digit"] * any(t.like_num for t in words)
    out += ["content_ends_stop"] * (text[e - 1:e] in ".!?\"”" or text[e:e + 1] in ".!?\"”")
    out += ["content_capitalised"] * (len(words) > 2 and all(_CAPITALISED.match(t.text) for t in words
                                                              if t.is_alpha and len(t) > 3))
    return out


def _layout_features(text: str, claim: Claim) -> list[str]:
    out = ["text_chars=" + _bin(len(text), (120, 300, 1000, 4000))]
    content_first = claim.content_span[0][0]
    if claim.source_span:
        out.append("order=content_first" if content_first < claim.source_span[0][0] else "order=source_first")
        if claim.cue_span and claim.cue_span[0][0] < claim.source_span[0][0]:
            out.append("order=cue_before_source")  # '..., said Smith'
    out += ["hedged"] * bool(claim.hedges)
    out += ["dated"] * bool(claim.when)
    out += ["first_line"] * ("\n" not in text[:claim.start])
    return out


def _rate(rate: float | None) -> str:
    """How often PolNeAR's annotators mark the cue's lemma as a cue (data/attribution_cues.tsv), binned."""
    if rate is None:
        return "unseen"
    return next(f"<={edge}" for edge in (0.05, 0.2, 0.4, 0.6, 0.8, 1.0) if rate <= edge)


def _bin(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def _tokens(doc, spans: list[Span]) -> list:
    """The doc's tokens inside the spans, in text order."""
    return [t for t in doc if any(s <= t.idx < e for s, e in spans)]
