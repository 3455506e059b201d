"""A learned attribution tagger: a linear-chain CRF over spaCy tokens that labels each token
as part of a source, a cue or a content span (BIO tags), one paragraph at a time.

The model (data/attribution.crfsuite) is trained by benchmarks/train_attribution.py on the
train split of PolNeAR v1.0.0 (Newell et al., 2018), whose upstream states no licence: the
shipped model is derived from that data and is documented as such. PolNeAR's annotation is
univocal (each token belongs to at most one attribution), so a tag sequence can express it.

Its features are the word, lemma, part of speech and dependency of the token and its
neighbours, its syntactic relation to the nearest cue word above it, how often its lemma and
its head's lemma head a cue in train (data/attribution_cues.tsv, also learned from PolNeAR
train), whether it is inside a quotation, and the span the hand-written rules of
extract.claims give it; the CRF learns which of the rules' decisions to keep and what they
miss (cue nouns, reported-speech verbs outside the lexicon, sources and contents the parse
does not attach). Tagging is posterior decoding, each token taking the kind of largest
marginal probability with O's slightly discounted (OUTSIDE_WEIGHT), which recovers spans
the Viterbi path leaves out. Without the model file (or python-crfsuite) extract.claims uses
its rules alone; without the lexicon file the tagger sees no lexicon features.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Set as AbstractSet
from functools import lru_cache
from pathlib import Path

MODEL = Path(__file__).resolve().parents[1] / "data" / "attribution.crfsuite"
# Lemmas that head a gold cue in PolNeAR train, with how often they do and how often they occur
# (written by benchmarks/train_attribution.py): the long tail of cues ('seem', 'decide', 'reportedly')
# that no hand-made list covers.
LEXICON = Path(__file__).resolve().parents[1] / "data" / "attribution_cues.tsv"
# A lexicon lemma counts as a cue word (for the syntactic features) at this rate of heading a cue.
LEXICON_CUE_RATE = 0.2
KINDS = ("SRC", "CUE", "CON")
QUOTE_MARKS = {'"', "“", "”", "``", "''"}
# Nouns and prepositions that introduce attributions in news ("according to", "in a
# statement", "her view that", "the poll found").
CUE_NOUNS = {"according", "statement", "interview", "remark", "comment", "claim", "accord",
             "view", "belief", "argument", "position", "poll", "survey", "report", "speech",
             "criticism", "promise", "pledge", "call", "plan", "proposal", "warning", "tweet",
             "message", "letter", "opinion", "assessment", "estimate", "concern", "hope",
             "fear", "attack", "suggestion", "question", "answer", "testimony", "analysis",
             "study", "announcement", "assertion", "allegation", "accusation", "insistence"}
WINDOW = (-2, -1, 1, 2)
# The weight of the O label's marginal probability against a span kind's when tagging (chosen on
# 120 held-out train articles, benchmarks/train_attribution.py; 1.0 is plain posterior decoding).
OUTSIDE_WEIGHT = 0.8


@lru_cache(maxsize=2)
def load(path: str | None = None):
    """The CRF tagger, or None when the model file is missing or python-crfsuite is not
    installed (extract.claims then uses its rules alone)."""
    model = Path(path) if path else MODEL
    if not model.exists():
        return None
    try:
        import pycrfsuite
    except ImportError:
        return None
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return tagger


@lru_cache(maxsize=4)
def cue_lexicon(path: str | None = None) -> dict[str, float]:
    """{lemma: share of its occurrences in train that head a gold cue}; empty without the file."""
    lexicon = Path(path) if path else LEXICON
    if not lexicon.exists():
        return {}
    rates = {}
    for line in lexicon.read_text(encoding="utf-8").splitlines():
        lemma, heads, seen = line.split("\t")
        # Smoothed toward zero so that a lemma seen twice does not look certain.
        rates[lemma] = int(heads) / (int(seen) + 2)
    return rates


def cue_words(cues: AbstractSet[str], lexicon: dict[str, float]) -> frozenset[str]:
    """The hand-listed cue lemmas plus the lexicon's frequent cue heads."""
    return frozenset(cues) | {lemma for lemma, rate in lexicon.items() if rate >= LEXICON_CUE_RATE}


def _rate_bucket(rate: float | None) -> str:
    if rate is None:
        return "-"
    return "0" if rate < 0.02 else "lo" if rate < 0.1 else "mid" if rate < 0.3 else "hi" if rate < 0.6 else "top"


def paragraphs(doc) -> list[list[int]]:
    """Token indices per paragraph (a line break ends one), whitespace tokens left out: the
    cue filter's blanked sentences vanish, and a quotation stays in one sequence."""
    out, current = [], []
    for token in doc:
        if not token.is_space:
            current.append(token.i)
        if "\n" in token.text_with_ws and current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def rule_labels(doc, claims) -> list[str]:
    """Per token: 'S', 'C', 'Q' where the rules put a source, cue or content span, else 'O'."""
    labels = ["O"] * len(doc)
    starts = [t.idx for t in doc]
    for claim in claims:
        for mark, spans in (("Q", claim.content_span), ("S", claim.source_span or []),
                            ("C", claim.cue_span or [])):
            for s, e in spans:
                for i in tokens_in(doc, starts, s, e):
                    labels[i] = mark
    return labels


def tokens_in(doc, starts, s: int, e: int) -> range:
    from bisect import bisect_left, bisect_right

    first = max(bisect_right(starts, s) - 1, 0)
    last = bisect_left(starts, e)
    return range(first, last)


def sequence_features(doc, indices: list[int], rules: list[str], cues: AbstractSet[str],
                      lexicon: dict[str, float] | None = None) -> list[dict]:
    """The CRF features of one paragraph's tokens (`cues` already widened by cue_words): each
    token's own (base_features) and copies of its neighbours'."""
    base = base_features(doc, indices, rules, cues, lexicon or {})
    out = []
    for k, feats in enumerate(base):
        f = dict(feats)
        for d in WINDOW:
            j = k + d
            if 0 <= j < len(base):
                other = base[j]
                f[f"{d}w"] = other["w"]
                f[f"{d}p"] = other["p"]
                f[f"{d}r"] = other["r"]
                if d in (-1, 1):
                    f[f"{d}l"] = other["l"]
                    f[f"{d}d"] = other["d"]
                    f[f"{d}q"] = other["q"]
            else:
                f[f"{d}w"] = "<edge>"
        out.append(f)
    return out


def base_features(doc, indices: list[int], rules: list[str], cues: AbstractSet[str], lexicon: dict[str, float]) -> list[dict]:
    """Each token's own features (also the neural tagger's input)."""
    base = [_token_features(doc[i], rules[i], cues, lexicon) for i in indices]
    _add_quote_state(doc, indices, base)
    _add_cue_distance(doc, indices, base, cues)
    return base


def _token_features(token, rule: str, cues: AbstractSet[str], lexicon: dict[str, float]) -> dict:
    head = token.head
    anc_dep, anc_lemma, anc_dist = _cue_ancestor(token, cues)
    lemma = token.lemma_.lower()
    return {
        # How often this lemma, and the word governing it, head a cue in train.
        "lp": _rate_bucket(lexicon.get(lemma)) + "|" + token.pos_,
        "hlp": _rate_bucket(lexicon.get(head.lemma_.lower())) + "|" + token.dep_,
        "bias": 1.0,
        "w": token.lower_,
        "l": token.lemma_.lower(),
        "p": token.pos_,
        "t": token.tag_,
        "d": token.dep_,
        "sh": token.shape_[:4],
        "hl": head.lemma_.lower(),
        "hp": head.pos_,
        "dhp": f"{token.dep_}>{head.pos_}",
        "hd": head.dep_,
        "lex": token.lemma_.lower() in cues,
        "hlex": head.lemma_.lower() in cues,
        "anc": anc_dep,
        "ancl": anc_lemma,
        "ancd": anc_dist,
        "ent": token.ent_type_ or "-",
        "sst": token.is_sent_start is True,
        "send": token.i + 1 == token.sent.end,
        "qm": token.text in QUOTE_MARKS,
        "r": rule,
        "rd": f"{rule}|{token.dep_}",
        "q": "out",
    }


def _cue_ancestor(token, cues: AbstractSet[str]) -> tuple[str, str, str]:
    """The dependency by which the token's path reaches the nearest cue word above it ('nsubj'
    under 'said' is likely a source, 'ccomp' content), that word, and how far up it is."""
    child, node = token, token
    if token.lemma_.lower() in cues:
        return "self", token.lemma_.lower(), "0"
    for depth in range(1, 8):
        node = child.head
        if node is child:
            break
        if node.lemma_.lower() in cues:
            return child.dep_, node.lemma_.lower(), str(min(depth, 4))
        child = node
    return "-", "-", "-"


def _add_quote_state(doc, indices: list[int], feats: list[dict]) -> None:
    """Whether each token lies inside a quotation ('q' 1), counting marks in the paragraph."""
    inside = False
    for k, i in enumerate(indices):
        text = doc[i].text
        if text in ("“", "``"):
            inside = True
        elif text in ("”", "''"):
            inside = False
        elif text == '"':
            inside = not inside
        feats[k]["q"] = ("in" if inside else "out") if text not in QUOTE_MARKS else "mark"


def _add_cue_distance(doc, indices: list[int], feats: list[dict], cues: AbstractSet[str]) -> None:
    """Where the nearest cue word of the same sentence is: to the left or right, and how far
    (the left one on a tie). Cue positions are kept per sentence and bisected, so a long
    paragraph costs n log n, not n squared."""
    sentence = {}  # token index -> start of its sentence, computed once (Token.sent is slow)
    for sent in doc.sents:
        for i in range(sent.start, sent.end):
            sentence[i] = sent.start
    by_sentence: dict[int, list[int]] = {}
    for k, i in enumerate(indices):
        if feats[k]["lex"] and doc[i].pos_ in ("VERB", "NOUN", "ADP", "AUX"):
            by_sentence.setdefault(sentence[i], []).append(k)
    for k, i in enumerate(indices):
        lexical = by_sentence.get(sentence[i], [])
        at = bisect.bisect_left(lexical, k)
        left = lexical[at - 1] if at > 0 else None
        right_at = at + 1 if at < len(lexical) and lexical[at] == k else at
        right = lexical[right_at] if right_at < len(lexical) else None
        best = left if right is None or (left is not None and k - left <= right - k) else right
        if best is None:
            feats[k]["cue"] = "none"
        else:
            gap = abs(best - k)
            feats[k]["cue"] = ("L" if best < k else "R") + (str(gap) if gap < 4 else "4+" if gap < 10 else "10+")


def doc_sequences(doc, rules: list[str], cues: AbstractSet[str], lexicon: dict[str, float] | None = None):
    """(token indices, features) per paragraph of the doc; `lexicon` defaults to the shipped one."""
    lexicon = cue_lexicon() if lexicon is None else lexicon
    words = cue_words(cues, lexicon)
    for indices in paragraphs(doc):
        yield indices, sequence_features(doc, indices, rules, words, lexicon)


def tag(doc, rules: list[str], cues: AbstractSet[str], tagger, lexicon: dict[str, float] | None = None,
        outside: float | None = None) -> list[str]:
    """BIO labels ('B-SRC', 'I-CON', 'O', ...) for every token of the doc: each token gets the
    kind of largest marginal probability (B- and I- summed), with O's weighed by `outside`
    (OUTSIDE_WEIGHT by default; below 1 it trades precision for the recall the tagger lacks);
    a token continuing its predecessor's kind is I- unless B- is the likelier."""
    outside = OUTSIDE_WEIGHT if outside is None else outside
    labels = ["O"] * len(doc)
    names = set(tagger.labels())
    for indices, feats in doc_sequences(doc, rules, cues, lexicon):
        with _TAGGER_LOCK:  # one shared tagger holds one sequence (the web app runs threads)
            marginals = _marginals(tagger, names, feats, len(indices))
        previous = "O"
        for t, i in enumerate(indices):
            best, score = "O", marginals[t].get("O", 0.0) * outside
            begins = {}
            for kind in KINDS:
                b, inside = marginals[t].get("B-" + kind, 0.0), marginals[t].get("I-" + kind, 0.0)
                begins[kind] = b > inside
                if b + inside > score:
                    best, score = kind, b + inside
            if best != "O":
                labels[i] = ("I-" if previous == best and not begins[best] else "B-") + best
            previous = best
    return labels


_TAGGER_LOCK = threading.Lock()


def _marginals(tagger, names: set[str], feats, length: int) -> list[dict[str, float]]:
    """Each position's label -> marginal probability, read while `feats` is the tagger's sequence."""
    tagger.set(feats)
    return [{name: tagger.marginal(name, t) for name in names} for t in range(length)]


def runs(doc, labels: list[str]) -> list[tuple[str, int, int]]:
    """(kind, first token, last token) of each tagged span; an I- tag after another kind
    starts a span too, and a span ends at a paragraph break."""
    out: list[list] = []
    for token in doc:
        label = labels[token.i]
        if token.is_space:
            continue
        if label == "O":
            continue
        kind = label[2:]
        prev = out[-1] if out else None
        if (prev is not None and prev[0] == kind and label.startswith("I-")
                and prev[2] == _previous_word(doc, token.i)
                and "\n" not in doc[prev[2]].text_with_ws):
            prev[2] = token.i
        else:
            out.append([kind, token.i, token.i])
    return [tuple(r) for r in out]


def _previous_word(doc, i: int) -> int:
    j = i - 1
    while j >= 0 and doc[j].is_space and "\n" not in doc[j].text_with_ws:
        j -= 1
    return j
