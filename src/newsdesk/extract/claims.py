"""Claim attribution: who said what, with exact spans, from a spaCy parse.

A cascade per sentence: a cheap regex on cue words and quote marks skips most sentences
(speed matters at 100k items); then the dependency parse finds speech verbs with a subject
(the source) and a clausal complement (the content), "according to X" phrases, and quoted
text next to a cue ("\u201c...,\u201d he said."). Pronoun speakers take the actor of the last
named speaker of the item.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Claim, Span
from .actors import is_pronoun, normalise_actor

# Verbs of speech and cognition that attribute content to their subject (lemmas).
SPEECH_VERBS = {
    "say", "tell", "claim", "deny", "announce", "warn", "insist", "add", "state", "report",
    "confirm", "believe", "think", "argue", "assert", "allege", "explain", "note",
    "acknowledge", "admit", "suggest", "predict", "estimate", "write", "tweet", "post",
    "declare", "reveal", "maintain", "contend", "stress", "emphasize", "emphasise",
    "indicate", "promise", "vow", "pledge", "comment", "remark", "reply", "respond",
    "answer", "conclude", "testify", "disclose", "concede", "recall", "observe", "accuse",
    "charge", "complain", "fear", "hope", "expect", "know", "suspect", "doubt",
    "predict", "forecast", "caution", "urge", "demand", "threaten", "boast", "brag", "joke",
    "quip", "signal", "hint", "imply", "assure", "reiterate", "repeat",
    "acknowledge", "feel", "guess", "speculate", "calculate", "continue", "learn", "ask",
    "dispute", "describe", "criticize", "criticise", "propose", "mention", "cite",
}
# Verbs whose direct object is what is said ("denied the report", "announced a ceasefire").
OBJECT_CONTENT_VERBS = {"deny", "announce", "confirm", "reveal", "report", "disclose",
                        "admit", "acknowledge", "predict", "promise", "pledge", "vow",
                        "dispute", "describe", "criticize", "criticise", "propose", "mention",
                        "cite"}
# Cue verbs that themselves distance the reporter from the content.
HEDGING_CUES = {"claim", "allege", "contend", "insist", "suspect", "speculate", "guess"}
HEDGE_WORDS = re.compile(
    r"\b(reportedly|allegedly|purportedly|supposedly|apparently|unverified|unconfirmed|"
    r"could not be (?:independently )?verified|(?:appeared|appears|seemed|seems) to|"
    r"according to (?:unnamed |anonymous )?(?:sources|reports|media reports))\b",
    re.I,
)

# Cheap filter: word stems of the cue verbs and quote marks (over-matching is fine).
_CUE_STEMS = sorted({v[:5] if len(v) > 5 else v for v in SPEECH_VERBS}
                    | {"said", "told", "thought", "knew", "known", "wrote", "written",
                       "found", "felt", "according"})
CUE_FILTER = re.compile(r"\b(?:" + "|".join(map(re.escape, _CUE_STEMS)) + r")|[\"“”]", re.I)
QUOTE = re.compile(r"[\"“]([^\"“”]{2,}?)[\"”]")

CONTENT_DEPS = {"ccomp", "parataxis"}
# Verbs whose infinitive complement is a claim ("claimed to have shot down"), unlike
# "continued to fight" or "agreed to buy".
XCOMP_VERBS = {"claim", "allege", "deny", "admit", "promise", "vow", "pledge", "threaten",
               "expect", "hope", "report"}
# Wire-service datelines that lead a story: "WASHINGTON (Reuters) - ", "AFP - ".
DATELINE = re.compile(r"(?:[A-Z][A-Za-z.,' ]*\([^)]{1,40}\)\s*[-—–]+\s*"
                      r"|(?:AP|AFP|UPI|Reuters)\s*[-—–]+\s*)")
SUBJECT_DEPS = {"nsubj"}
TRIM = " \t\n,.;:!?\"'“”‘’—–-()"
# The gap allowed between a quote and its cue: '," he said' / ': "'.
NEAR = 4


def find_claims(doc, item: int) -> list[Claim]:
    """All attributed statements of one item's parsed text, in text order."""
    text = doc.text
    if not CUE_FILTER.search(text):
        return []
    quotes = [(m.start(1), m.end(1)) for m in QUOTE.finditer(text)]
    claims: list[Claim] = []
    last_actor = ""
    for sent in doc.sents:
        if not CUE_FILTER.search(sent.text):
            continue
        for found in _sentence_claims(sent, quotes):
            speaker = found.speaker
            actor = normalise_actor(speaker)
            if is_pronoun(speaker):
                actor = last_actor or _last_name_before(doc, found.start)
            elif _is_named(doc, found.source_span):
                last_actor = actor
            claims.append(replace(found, item=item, actor=actor))
    return sorted(claims, key=lambda c: (c.start, c.end))


def _sentence_claims(sent, quotes) -> list[Claim]:
    claims = []
    taken: set[int] = set()  # cue verbs already used, so conj verbs are not counted twice
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < len(token.doc):
            claim = _according_to(token, sent)
        elif token.lemma_ in SPEECH_VERBS and token.pos_ in ("VERB", "AUX") and token.i not in taken:
            claim = _speech_verb(token, quotes)
        else:
            continue
        if claim:
            taken.add(token.i)
            claims.append(claim)
    return claims


def _speech_verb(verb, quotes) -> Claim | None:
    subject = _subject(verb)
    if subject is None or subject.lower_ == "you":  # "you know", "you think": fillers
        return None
    if subject.tag_ in ("WDT", "WP"):
        if verb.dep_ != "relcl":
            return None
        # "Smith, who said ...": the speaker is the noun the relative clause hangs on.
        antecedent = verb.head
        source = set(range(antecedent.left_edge.i, antecedent.i + 1))
    else:
        source = _span_tokens(subject)
    if _fronted_question(verb, subject):
        return None
    content = _content_tokens(verb, source)
    doc = verb.doc
    cue_region = source | {verb.i}
    if content:
        content_spans = _fragments(doc, content)
        # '"We will win," he said, "and soon."': a quote resuming after the cue.
        if content_spans and content_spans[0][0] < doc[min(cue_region)].idx:
            content_spans += [q for q in _adjacent_quote(doc, cue_region, quotes, before=False)
                              if not any(s < q[1] and q[0] < e for s, e in content_spans)]
    else:
        content_spans = _adjacent_quote(doc, cue_region, quotes)
    if not content_spans:
        return None
    return _build(doc, source, [verb], content_spans, verb.text, verb)


def _fronted_question(verb, subject) -> bool:
    """'how important Kyiv believes it is': a wh-phrase moved in front of the speaker belongs to
    the content, which is then no statement of its own; such a sentence is not a claim."""
    return any(
        child.left_edge.tag_ in ("WRB", "WP", "WDT")
        for child in verb.children
        if child.i < subject.i and child.dep_ in ("acomp", "attr", "dobj", "advmod")
    )


def _subject(verb):
    """The nsubj of the verb, or of the verb it is conjoined to ('he said X and added Y')."""
    for head in (verb, verb.head if verb.dep_ == "conj" else None):
        if head is None:
            continue
        for child in head.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
    return None


def _content_tokens(verb, source: set[int]) -> set[int]:
    """Token indices of what the verb attributes: its clausal complements; or, when the cue
    interrupts or follows the content ('X, he said, is Y'), the head clause minus the cue."""
    doc = verb.doc
    parts = [c for c in verb.children if c.dep_ in CONTENT_DEPS
             or (c.dep_ == "xcomp" and verb.lemma_ in XCOMP_VERBS)]
    if not parts and verb.lemma_ in OBJECT_CONTENT_VERBS:
        parts = [c for c in verb.children if c.dep_ == "dobj"]
    tokens = set()
    for part in parts:
        tokens |= _span_tokens(part)
    if not tokens and verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX"):
        tokens = _span_tokens(verb.head) - _span_tokens(verb)
    return {i for i in tokens - source if not doc[i].is_space}


def _according_to(according, sent) -> Claim | None:
    """'according to X, ...' or '..., according to X': content is the rest of the sentence."""
    doc = according.doc
    to = doc[according.i + 1]
    if to.lower_ != "to":
        return None
    objects = [c for c in to.children if c.dep_ == "pobj"] or [
        c for c in according.children if c.dep_ == "pobj"]
    if not objects:
        return None
    source = _span_tokens(objects[0])
    phrase = _span_tokens(according) | source | {to.i}
    # A relative clause or apposition in the phrase ('sources who ...') still belongs to it.
    phrase = set(range(min(phrase), max(phrase) + 1))
    content = {t.i for t in sent if t.i not in phrase and not t.is_space}
    spans = _fragments(doc, content)
    if not spans:
        return None
    return _build(doc, source, [according, to], spans, "according to", according)


def _adjacent_quote(doc, cue_tokens: set[int], quotes, before: bool = True) -> list[Span]:
    """A quotation that ends just before the source/cue (when `before`) or starts just
    after it: '"...," he said' / 'he said: "..."'."""
    first = doc[min(cue_tokens)].idx
    last_token = doc[max(cue_tokens)]
    last = last_token.idx + len(last_token)
    for start, end in quotes:
        ends_before = before and end <= first and _close(doc.text[end:first])
        starts_after = start >= last and _close(doc.text[last:start])
        if ends_before or starts_after:
            span = _trim(doc.text, start, end)
            return [span] if span else []
    return []


def _close(gap: str) -> bool:
    """Only a few marks between a quote and its cue: '," ' or ': "'."""
    return len(gap) <= NEAR and not gap.strip(TRIM)


def _build(doc, source: set[int], cue_tokens, content: list[Span], cue: str, verb) -> Claim | None:
    text = doc.text
    source_spans = _fragments(doc, source)
    if not source_spans:
        return None
    cue_spans = [(cue_tokens[0].idx, cue_tokens[-1].idx + len(cue_tokens[-1]))]
    spans = source_spans + cue_spans + content
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    sentence = verb.sent.text
    hedges = [m.group(0) for m in HEDGE_WORDS.finditer(sentence)]
    if verb.lemma_ in HEDGING_CUES:
        hedges.append(verb.text)
    return Claim(
        speaker=text[source_spans[0][0]:source_spans[-1][1]],
        actor="",
        cue=cue,
        content=" ".join(text[s:e] for s, e in content),
        item=0,
        start=start,
        end=end,
        source_span=source_spans,
        cue_span=cue_spans,
        content_span=content,
        hedges=hedges,
        when=_when(verb),
    )


def _when(verb) -> str | None:
    """The time expression attached to the cue verb ('said on Friday', 'said Tuesday')."""
    for child in verb.children:
        if child.ent_type_ in ("DATE", "TIME") and child.dep_ in ("npadvmod", "tmod", "advmod"):
            return _span_text(child)
        if child.dep_ == "prep" and any(
                g.ent_type_ in ("DATE", "TIME") for g in child.children if g.dep_ == "pobj"):
            return _span_text(child)
    return None


def _span_text(token) -> str:
    doc = token.doc
    return doc[token.left_edge.i: token.right_edge.i + 1].text


def _span_tokens(token) -> set[int]:
    """The token's subtree, cut at paragraph breaks (a missed sentence boundary in a header
    must not pull a dateline into the speaker)."""
    doc = token.doc
    first, last = token.left_edge.i, token.right_edge.i
    for i in range(token.i - 1, first - 1, -1):
        if "\n" in doc[i].text_with_ws:
            first = i + 1
            break
    for i in range(token.i, last):
        if "\n" in doc[i].text_with_ws:
            last = i
            break
    return set(range(first, last + 1))


def _fragments(doc, tokens: set[int]) -> list[Span]:
    """Contiguous runs of the token set as trimmed character spans (content may be cut in
    two by the attribution: '"We will win," he said, "and soon."')."""
    runs: list[list[int]] = []
    for i in sorted(tokens):
        # Whitespace tokens (a non-breaking space) do not split a run.
        if runs and all(doc[k].is_space for k in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    spans = []
    for n, run in enumerate(runs):
        first, last = doc[run[0]], doc[run[-1]]
        span = _trim(doc.text, first.idx, last.idx + len(last), strip_that=n == 0)
        if span:
            spans.append(span)
    return spans


def _trim(text: str, start: int, end: int, strip_that: bool = True) -> Span | None:
    """Drop punctuation and quote marks at the edges, and a leading complementiser 'that'."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    dateline = DATELINE.match(text, start, end)
    if dateline:
        return _trim(text, dateline.end(), end, strip_that)
    if strip_that and re.match(r"that\s", text[start:end], re.I):
        return _trim(text, start + 5, end, strip_that=False)
    return (start, end) if end > start else None


def _is_named(doc, spans: list[Span]) -> bool:
    """A speaker whose head names someone (a proper noun or a named entity), not
    'officials' nor 'a report by Reuters'."""
    span = doc.char_span(spans[0][0], spans[-1][1], alignment_mode="expand")
    if span is None:
        return False
    return span.root.pos_ == "PROPN" or span.root.ent_type_ in ("PERSON", "ORG", "GPE")


def _last_name_before(doc, offset: int) -> str:
    """Fallback antecedent for a pronoun: the last PERSON or ORG entity before it."""
    names = [e for e in doc.ents if e.label_ in ("PERSON", "ORG") and e.end_char <= offset]
    return normalise_actor(names[-1].text) if names else ""
