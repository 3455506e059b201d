"""brief(items, options) -> Brief: the one place where the stages are wired together."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from . import clean, contrast, summarize
from .cluster import Pile, cluster_text
from .embed import get_embedder, import_onnx_runtime, pile_embedder
from .errors import NoNewsError
from .extract import claims as claim_stage
from .extract import dates, entities, multilingual, quantities
from .fastimport import import_scipy_sparse
from .model import Brief, Claim, ClaimLedger, Entity, Grouping, Item, Mention, Prepared, Quantity, Sentence, TimelineEntry, TimeRef
from .nlp import doc_text, parse, parse_spans, preload_spacy, sentence_spans
from .options import Options
from .prepare import ledger, merge_paraphrases, prepare, readable


def brief(items: Iterable[Item | str], options: Options | None = None, progress=None) -> Brief:
    """Brief the items as one story. `progress`, when given, wraps the per-item loop of the
    parse like tqdm does (`progress(iterable, total=...)`), so that a caller can show a bar.

    Every item is split into sentences by rule (nlp.sentence_spans) and the summary is chosen
    from them before anything is parsed; the spaCy parse, which costs far more than the rest,
    then reads the sentences that `Options.extract` names: every sentence of every item (the
    default), the summary's only, or none."""
    options = options or Options()
    prepared = prepare(items, options)
    if not prepared.canonical:
        raise NoNewsError()
    options = options.update(embedder=pile_embedder((it.language for it in prepared.canonical), options))
    if options.embedder == "multilingual":
        prepared = _translations(prepared, options)
    readable_items, english, left_out = _stage_items(prepared)
    items, live, duplicate_of = prepared.items, prepared.live, prepared.duplicate_of
    spans = {it.n: sentence_spans(it.text) for it in readable_items}
    candidates = [c for it in readable_items for c in _candidates(it, spans[it.n], options)]
    chosen: list[int] = []
    # spaCy is imported and loaded in the background while the embedder runs, and while ONNX
    # Runtime builds its session: both release the GIL (the session's 0.1-0.2 s of CPU too; a
    # thread spinning beside it got as much CPU as it did, and almost none beside a C call that
    # holds the GIL). It starts once this thread has imported what it needs before the parse
    # (the embedder's libraries, scipy.sparse for the summary), so that the two never import
    # at once: any embedder but an ONNX graph is loaded first.
    onnx = bool(candidates) and import_onnx_runtime(options.embedder)
    embedder = get_embedder(options.embedder) if candidates and not onnx else None
    if english and options.extract != "none":
        import_scipy_sparse()
        preload_spacy(options.spacy_model)
    if onnx:
        embedder = get_embedder(options.embedder)
    if embedder is not None:
        vectors = embedder.encode([c.text for c in candidates])
        chosen = summarize.select(candidates, vectors, options)
    summary = [candidates[i] for i in chosen]
    found = _extract(english, _to_parse(options.extract, spans, summary), summary, options, progress)
    _extract_foreign(_foreign(readable_items), found)
    disputes, disputed = contrast.find_disputes(found.claims, found.mentions, duplicate_of, found.times,
                                                {it.n: it.text for it in items})

    sentences, headline = [], None
    if chosen:
        # Citations name every item that carries the sentence, merged copies included.
        texts = summarize.SourceTexts.of({it.n: it.text for it in live})
        candidates = _with_tokens(candidates, chosen, found.tokens)
        sentences = [summarize.cite(i, candidates, vectors, texts, options)
                     for i in summarize.reading_order(chosen, candidates, {it.n: it.published for it in readable_items})]
        sentences = [summarize.unframed(s, found.claims, disputed, duplicate_of, texts) for s in sentences]
        headline = summarize.headline(chosen, candidates, vectors, texts, options)
        headline, *sentences = summarize.support_as_shown([headline, *sentences], candidates, vectors,
                                                          get_embedder(options.embedder), options)
        headline, *sentences = _with_languages([headline, *sentences], live)

    return Brief(
        headline=headline,
        sentences=sentences,
        claims=claim_stage.select(found.claims, options.claim_kinds),
        figures=quantities.key_figures(found.figures, found.claims, found.mentions,
                                        {it.n: it.text for it in items}),
        disputes=disputes,
        entities=_entities(found.mentions),
        times=_times(found.times),
        items=ledger(prepared, left_out),
        sources={it.n: it.text for it in items},
        timeline=_timeline(found.timeline),
    )


def brief_stories(grouping: Grouping, options: Options | None = None, limit: int | None = None,
                  progress=None) -> Grouping:
    """The grouping with a brief of each story (the `limit` biggest only, when given): what
    `newsdesk stories --briefs` and the web app's upload jobs show. A story with nothing to
    brief (no complete sentence in any item) has no brief. `progress(done, total)` is called
    after each story."""
    by_n = {it.n: it for it in grouping.items}
    todo = grouping.stories[:limit] if limit is not None else grouping.stories
    briefs = {}
    for done, story in enumerate(todo, start=1):  # biggest first
        try:
            briefs[story.id] = brief([by_n[n] for n in story.items], options)
        except NoNewsError:
            pass
        if progress:
            progress(done, len(todo))
    return replace(grouping, briefs=briefs)


def _to_parse(extract: str, spans: dict[int, list[tuple[int, int]]],
              summary: list[summarize.Candidate]) -> dict[int, list[tuple[int, int]]]:
    """Item -> the sentence spans to parse: all of them, the summary's, or none."""
    if extract == "all":
        return spans
    wanted: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if extract == "summary":
        for c in summary:
            wanted[c.item].append((c.start, c.end))
    return wanted


@dataclass
class _Found:
    """What the parse of some sentences of the items yields."""

    mentions: list[Mention] = field(default_factory=list)
    times: list[Mention] = field(default_factory=list)
    figures: list[Quantity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    timeline: list[tuple[str, str, int]] = field(default_factory=list)
    tokens: dict[tuple[int, int], tuple] = field(default_factory=dict)  # (item, start) -> tokens


def _extract(items: list[Item], wanted: dict[int, list[tuple[int, int]]], summary: list[summarize.Candidate],
             options: Options, progress=None) -> _Found:
    """Entities, times, figures, claims and dated sentences of the `wanted` sentence spans of
    each item (the rest of its text is blanked, offsets kept), and the tokens of the summary's
    sentences among them."""
    found = _Found()
    items = [it for it in items if wanted.get(it.n)]
    parsed = zip(items, parse_spans(((it.text, wanted[it.n]) for it in items), options.spacy_model))
    for item, doc in progress(parsed, total=len(items)) if progress else parsed:
        complete_end = clean.complete_part(item.text)
        found.mentions += entities.find_entities(doc, item.n)
        item_times = dates.find_times(doc, item.n, item.published)
        found.times += item_times
        found.timeline += _timeline_entries(doc, item_times, complete_end)
        item_figures = quantities.find_quantities(doc, item.n)
        item_claims = claims_in(item, doc, item_figures)
        found.figures += [_attributed(q, item_claims, item) for q in item_figures]
        found.claims += item_claims
        found.tokens.update(_sentence_tokens(doc, [c for c in summary if c.item == item.n]))
    return found


def claims(items: Iterable[Item | str], options: Options | None = None) -> ClaimLedger:
    """Every attributed claim of the items (cleaned and deduplicated as for a brief), with
    the ledger of what became of each item. Only sentences that can carry an attribution
    (the cheap cue filter of extract.claims) are parsed, so this is much faster than brief()."""
    options = options or Options()
    prepared = prepare(items, options)
    readable_items, english, left_out = _stage_items(prepared)
    foreign = [c for it in _foreign(readable_items) for c in _complete(it, multilingual.claims_in_language(it))]
    found = claim_stage.select(_in_text_order(extract_claims(english, options) + foreign), options.claim_kinds)
    return ClaimLedger(claims=found, items=ledger(prepared, left_out),
                       sources={it.n: it.text for it in prepared.items})


def extract_claims(items: Iterable[Item], options: Options | None = None) -> list[Claim]:
    """Claims of already-cleaned items, parsing only the sentences that pass the cue filter:
    the rest of each text is blanked (offsets are kept), so spaCy skips it nearly for free."""
    options = options or Options()
    items = list(items)
    masked = [claim_stage.cue_sentences_only(it.text) for it in items]
    wanted = [i for i, text in enumerate(masked) if text is not None]
    found: list[Claim] = []
    docs = parse((masked[i] for i in wanted), options.spacy_model)
    for i, doc in zip(wanted, docs):
        found += claims_in(items[i], doc)
    return found


def _foreign(items: list[Item]) -> list[Item]:
    """The items in another language that the rules of newsdesk.extract.multilingual read."""
    return [it for it in items if multilingual.supports(it.language)]


def _extract_foreign(items: list[Item], found: _Found) -> None:
    """Claims, figures, times and names of items in other languages, by rule, added to `found`."""
    for item in items:
        item_claims, item_figures, item_times = multilingual.extract_in_language(item)
        found.claims += _complete(item, item_claims)
        found.figures += item_figures
        found.times += item_times
        found.mentions += multilingual.entities_in_language(item)


def _complete(item: Item, found: list[Claim]) -> list[Claim]:
    """The claims that end before the unfinished tail of a cut-off item, as the ledger says
    (clean.complete_part, the same cut as for English items)."""
    end = clean.complete_part(item.text)
    return [c for c in found if c.end <= end]


def _in_text_order(found: list[Claim]) -> list[Claim]:
    return sorted(found, key=lambda c: (c.item, c.start, c.end))


def claims_in(item: Item, doc, figures: list[Quantity] | None = None) -> list[Claim]:
    """The claims of one parsed item, shared by brief() and claims(): never from the
    unfinished tail of a cut-off snippet; each with the figures inside its content (stated by
    its speaker, as of the claim's date, unless the parse puts the figure outside what the cue
    states: quantities.stated_in) and its time resolved against publication."""
    complete_end = clean.complete_part(item.text)
    found = [c for c in claim_stage.find_claims(doc, item.n, text=item.text) if c.end <= complete_end]
    if not found:
        return []
    if figures is None:
        figures = quantities.find_quantities(doc, item.n)
    published = item.published.date() if item.published else None
    dated = []
    for c in found:
        date = dates.resolve(c.when, published) if c.when else None
        c = replace(c, date=date) if date else c
        stated = [q for q in figures if quantities.stated_in(doc, q, c)]
        dated.append(_with_figures(c, stated, published.isoformat() if published else None))
    return dated


def _stage_items(prepared: Prepared) -> tuple[list[Item], list[Item], dict[int, str]]:
    """(the canonical items as the stages read them (junk lines blanked), the English ones among
    them, which are parsed for claims, figures, entities and times, and a ledger note for the
    items in a language that no stage reads for claims: not English and not one of
    newsdesk.extract.multilingual's, which are read by rule). The summary reads every language."""
    readable_items, english, left_out = [], [], {}
    for it in prepared.canonical:
        it = readable(it)
        readable_items.append(it)
        if it.language in (None, "en"):
            english.append(it)
        elif not multilingual.supports(it.language):
            left_out[it.n] = (f"in {it.language}: claims, figures and times are found in English and "
                              f"{', '.join(multilingual.SUPPORTED)} items only")
    return readable_items, english, left_out


def _translations(prepared: Prepared, options: Options) -> Prepared:
    """A pile in several languages: an item that translates another (newsdesk.prepare.merge_paraphrases)
    is its copy, not an independent origin. Paraphrases of one language stay apart, as in any brief."""
    canonical = prepared.canonical
    if len({it.language for it in canonical}) < 2:
        return prepared
    vectors = get_embedder(options.embedder).encode([cluster_text(it) for it in canonical])
    return merge_paraphrases(prepared, canonical, vectors, threshold=2.0, pile=Pile.of(canonical, options.embedder))[0]


def _with_languages(sentences: list[Sentence], items: list[Item]) -> list[Sentence]:
    """Each sentence with the language of the item it is taken from, when not English."""
    language = {it.n: it.language for it in items}
    return [replace(s, language=language.get(s.item)) if language.get(s.item) not in (None, "en") else s
            for s in sentences]


def _candidates(item: Item, spans: list[tuple[int, int]], options: Options) -> list[summarize.Candidate]:
    """Complete sentences of an item, the first `max_item_sentences` only: the unfinished
    tail of a cut-off snippet never qualifies."""
    complete_end = clean.complete_part(item.text)
    found = []
    for position, (start, end) in enumerate(spans):
        if options.max_item_sentences is not None and position >= options.max_item_sentences:
            break
        text = item.text[start:end]
        if end > complete_end or clean.text_units(text) < 4:
            continue
        found.append(summarize.Candidate(item.n, start, end, text, position, summarize.attributions(text), ()))
    return found


def _sentence_tokens(doc, sentences: list[summarize.Candidate]) -> dict[tuple[int, int], tuple]:
    """(item, start) -> (text, tag, offset) of the tokens of each parsed sentence."""
    out = {}
    for c in sentences:
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        if span is not None:
            out[(c.item, c.start)] = tuple((t.text, t.tag_, t.idx) for t in span if not t.is_space)
    return out


def _with_tokens(candidates: list[summarize.Candidate], chosen: list[int],
                 tokens: dict[tuple[int, int], tuple]) -> list[summarize.Candidate]:
    """The chosen candidates with their tokens, for trimming the headline: tagged where the
    sentence was parsed, split by rule (untagged) where it was not."""
    out = list(candidates)
    for i in chosen:
        c = out[i]
        out[i] = replace(c, tokens=tokens.get((c.item, c.start)) or summarize.plain_tokens(c))
    return out


def _with_figures(claim: Claim, figures: list[Quantity], published: str | None = None) -> Claim:
    """The figures inside the claim's content: stated by its speaker, as of the claim's date
    (else the publication date)."""
    spans = claim.content_span or [(claim.start, claim.end)]
    inside = [replace(q, speaker=claim.speaker, actor=claim.actor, as_of=claim.date or published)
              for q in figures if any(s <= q.start and q.end <= e for s, e in spans)]
    return replace(claim, quantities=inside) if inside else claim


def _attributed(figure: Quantity, claims: list[Claim], item: Item | None = None) -> Quantity:
    for claim in claims:
        for q in claim.quantities:
            if (q.start, q.end) == (figure.start, figure.end):
                return q
    if item is not None and item.published:  # unattributed: as of publication
        return replace(figure, as_of=item.published.date().isoformat())
    return figure


def _timeline_entries(doc, times: list[Mention], complete_end: int) -> list[tuple[str, str, int]]:
    """(date, sentence, item) for each resolved time mention, from complete sentences only."""
    entries = []
    for m in times:
        if not m.date:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        sent = span.sent
        text = doc_text(doc)[sent.start_char:sent.end_char].strip()
        if not text or sent.start_char + len(text) > complete_end or len(text.split()) < 4:
            continue
        entries.append((m.date, text, m.item))
    return entries


def _timeline(entries: list[tuple[str, str, int]]) -> list[TimelineEntry]:
    """By event date (a range sorts by its start), each sentence once with every item citing it."""
    grouped: dict[tuple[str, str], set[int]] = defaultdict(set)
    for date, text, item in entries:
        grouped[(date, text)].add(item)
    ordered = sorted(grouped.items(), key=lambda kv: (kv[0][0].split("/")[0], kv[0][0], min(kv[1]), kv[0][1]))
    return [TimelineEntry(date=date, text=text, items=sorted(items)) for (date, text), items in ordered]


def _entities(mentions: list[Mention]) -> list[Entity]:
    items: dict[str, set[int]] = defaultdict(set)
    types: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        items[m.text].add(m.item)
        types[m.text][m.type] += 1
    found = [Entity(text, types[text].most_common(1)[0][0], sorted(ns)) for text, ns in items.items()]
    return sorted(found, key=lambda e: (-len(e.items), e.type, e.text))


def _times(mentions: list[Mention]) -> list[TimeRef]:
    items: dict[str, set[int]] = defaultdict(set)
    resolved: dict[str, str | None] = {}
    for m in mentions:
        items[m.text].add(m.item)
        resolved[m.text] = resolved.get(m.text) or m.date
    return sorted((TimeRef(t, sorted(ns), resolved[t]) for t, ns in items.items()), key=lambda t: (t.items, t.text))
