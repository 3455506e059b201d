"""Check a brief against its sources: every citation must hold when the sources are re-read.

`verify(brief, items)` takes a brief as a dict (the JSON contract) and the items it was made
from (Items, plain strings numbered from 1, or a mapping of item number to text), and returns
one line per failure (an empty list when everything holds):

- the headline occurs in every item of `headline_sources`, and every sentence occurs in every
  item of its `sources`; "occurs" allows only differences of whitespace, of typographic quotes
  and of letter case, and a trimmed clause (the text is a contiguous span of a source sentence);
- a sentence's `item`/`start`/`end`, when present, point at its text;
- every item of a sentence's `support` has a sentence whose cosine similarity to the brief
  sentence, with the embedder the brief was made with (`--embedder`), is at least the support
  threshold of `Options.similarity_thresholds` (0.6 with MiniLM, 0.7 with the static model; a
  0.01 tolerance absorbs numeric differences between runs);
- every claim's `text[start:end]` contains its speaker and its content; when the content is
  given as `content_span` fragments (it may be cut in two by the attribution), each lies inside
  the claim and the content is their text joined by a space;
- every figure (top-level and inside claims) occurs in its item at its offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np

from .model import Item
from .options import Options

TOLERANCE = 0.01
"""Similarity tolerance for support: embeddings differ slightly between ONNX and torch runs."""


def verify(brief: dict, items, options: Options | None = None) -> list[str]:
    """Failures of the brief against the items, one line each; [] when every citation holds."""
    options = options or Options()
    texts = _texts(items)
    failures: list[str] = []

    def text_of(n, where: str) -> str | None:
        if n not in texts:
            failures.append(f"{where}: cites item {n}, which is not in the sources")
            return None
        return texts[n]

    headline = brief.get("headline") or ""
    if headline:
        cited = brief.get("headline_sources") or []
        if not cited and not any(_normal(headline) in _normal(t) for t in texts.values()):
            failures.append(f"headline: {_short(headline)!r} occurs in no item")
        for n in cited:
            body = text_of(n, "headline")
            if body is not None and _normal(headline) not in _normal(body):
                failures.append(f"headline: {_short(headline)!r} does not occur in item {n}")

    support_checks: list[tuple[str, str, int]] = []
    for k, s in enumerate(brief.get("sentences", []), start=1):
        where, text = f"sentence {k}", s.get("text", "")
        if not s.get("sources"):
            failures.append(f"{where}: no sources")
        for n in s.get("sources", []):
            body = text_of(n, where)
            if body is not None and _normal(text) not in _normal(body):
                failures.append(f"{where}: {_short(text)!r} does not occur in item {n}")
        if "item" in s and "start" in s and "end" in s:
            body = text_of(s["item"], where)
            if body is not None and _normal(body[s["start"]:s["end"]]) != _normal(text):
                failures.append(f"{where}: item {s['item']}[{s['start']}:{s['end']}] is "
                                f"{_short(body[s['start']:s['end']])!r}, not the sentence")
        for n in s.get("support", []):
            if text_of(n, f"{where} support") is not None:
                support_checks.append((where, text, n))
    failures += _check_support(support_checks, texts, options)

    for k, c in enumerate(brief.get("claims", []), start=1):
        where = f"claim {k} ({_short(c.get('speaker', ''), 30)!r}, item {c.get('item')})"
        body = text_of(c.get("item"), where)
        if body is None:
            continue
        start, end = c.get("start", 0), c.get("end", 0)
        if not 0 <= start < end <= len(body):
            failures.append(f"{where}: offsets {start}:{end} are outside the item ({len(body)} characters)")
            continue
        span = _normal(body[start:end])
        fragments = c.get("content_span") or []
        fields = ("speaker",) if fragments else ("speaker", "content")
        for field in fields:
            if _normal(c.get(field, "")) not in span:
                failures.append(f"{where}: the {field} {_short(c.get(field, ''))!r} is not in text[{start}:{end}]")
        if fragments:  # content cut in two by the attribution: its fragments, joined by a space
            outside = [(s, e) for s, e in fragments if not start <= s < e <= end]
            joined = " ".join(body[s:e] for s, e in fragments)
            if outside:
                failures.append(f"{where}: content_span {outside} lies outside the claim {start}:{end}")
            elif _normal(joined) != _normal(c.get("content", "")):
                failures.append(f"{where}: the content {_short(c.get('content', ''))!r} is not its content_span "
                                f"{fragments} ({_short(joined)!r})")
        for q in c.get("figures") or []:
            failures += _check_figure(q, texts, f"{where} figure")

    for k, q in enumerate(brief.get("figures", []), start=1):
        failures += _check_figure(q, texts, f"figure {k}")
    return failures


def _check_figure(q: dict, texts: dict[int, str], where: str) -> list[str]:
    n, value = q.get("item"), q.get("value", "")
    if n not in texts:
        return [f"{where} {value!r}: cites item {n}, which is not in the sources"]
    body = texts[n]
    if "start" in q and "end" in q:
        if body[q["start"]:q["end"]] != value:
            return [f"{where} {value!r}: item {n}[{q['start']}:{q['end']}] is {body[q['start']:q['end']]!r}"]
    elif _normal(value) not in _normal(body):
        return [f"{where} {value!r}: does not occur in item {n}"]
    return []


def _check_support(checks: list[tuple[str, str, int]], texts: dict[int, str], options: Options) -> list[str]:
    """Each (where, sentence, item): some sentence of the item restates the sentence."""
    if not checks:
        return []
    from .embed import get_embedder
    from .nlp import sentence_spans

    wanted = sorted({n for _, _, n in checks})
    sentences: dict[int, list[str]] = {}  # split as the brief splits, so the same sentences compare
    for n in wanted:
        sentences[n] = [texts[n][a:b] for a, b in sentence_spans(texts[n])] or [texts[n]]
    embedder = get_embedder(options.embedder)
    briefed = sorted({text for _, text, _ in checks})
    bvec = dict(zip(briefed, embedder.encode(briefed)))
    allsents = [(n, s) for n in wanted for s in sentences[n]]
    svec = embedder.encode([s for _, s in allsents])
    rows = np.array([n for n, _ in allsents])
    threshold = options.similarity_thresholds()[0]
    failures = []
    for where, text, n in checks:
        best = float((svec[rows == n] @ bvec[text]).max())
        if best < threshold - TOLERANCE:
            failures.append(f"{where}: support item {n} does not state it (best similarity {best:.2f} "
                            f"< {threshold})")
    return failures


def _texts(items) -> dict[int, str]:
    if isinstance(items, Mapping):
        return {int(n): str(t) for n, t in items.items()}
    out = {}
    for n, it in enumerate(items if isinstance(items, Iterable) else [], start=1):
        if isinstance(it, Item):
            out[it.n] = it.text
        else:
            out[n] = str(it)
    return out


def _normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().casefold()


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
