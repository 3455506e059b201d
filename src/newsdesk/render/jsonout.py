"""The dict form of every record: the public JSON contract. Fields may be added; those in
brief.schema.json are kept. `to_dict(obj)` takes any record that is output (a brief, a brief
with what changed, a grouping of stories, a story, a claim ledger, an item)."""

from __future__ import annotations

import json
from functools import singledispatch
from pathlib import Path

from ..model import (
    Brief,
    BriefUpdate,
    Claim,
    ClaimLedger,
    Dispute,
    FigureChange,
    Grouping,
    Item,
    LedgerEntry,
    Quantity,
    Sentence,
    StoreChanges,
    Story,
    StoryChange,
)

SCHEMA_PATH = Path(__file__).with_name("brief.schema.json")


@singledispatch
def to_dict(obj) -> dict:
    raise TypeError(f"no dict form for {type(obj).__name__}")


def to_json(obj) -> str:
    return json.dumps(to_dict(obj), ensure_ascii=False, indent=2) + "\n"


@to_dict.register
def brief_dict(brief: Brief) -> dict:
    return {
        "headline": brief.headline.text if brief.headline else "",
        "headline_sources": brief.headline.sources if brief.headline else [],
        "sentences": [_sentence(s) for s in brief.sentences],
        "claims": [claim_dict(c) for c in brief.claims],
        "figures": [figure_dict(q) for q in brief.figures],
        "disputes": [_dispute(d) for d in brief.disputes],
        "entities": [{"text": e.text, "type": e.type, "items": e.items} for e in brief.entities],
        "times": [{"text": t.text, "items": t.items, "date": t.date} for t in brief.times],
        "timeline": [{"date": t.date, "text": t.text, "items": t.items} for t in brief.timeline],
        "items": [ledger_dict(e) for e in brief.items],
    }


@to_dict.register
def update_dict(update: BriefUpdate) -> dict:
    """A brief with what changed first: {"changes": {...}, **brief}."""
    return {"changes": changes_dict(update), **brief_dict(update.brief)}


def changes_dict(update: BriefUpdate) -> dict:
    return {
        "story": update.story, "since": update.since, "baseline": update.baseline,
        "new_items": update.new_items, "new_item_ids": update.new_item_ids,
        "new_claims": [claim_dict(c) for c in update.new_claims],
        "changed_figures": [_figure_change(f) for f in update.changed_figures],
    }


@to_dict.register
def grouping_dict(grouping: Grouping) -> dict:
    """{"stories": [...]}, with the ledger of every item ("items") when the pile was read."""
    out: dict = {"stories": [story_dict(s, grouping.briefs.get(s.id)) for s in grouping.stories]}
    if grouping.ledger:
        out["items"] = [ledger_dict(e) for e in grouping.ledger]
    return out


@to_dict.register
def story_dict(story: Story, brief: Brief | None = None) -> dict:
    out = {
        "id": story.id, "label": story.label, "items": story.items, "item_ids": story.item_ids,
        "angles": [{"label": a.label, "items": a.items} for a in story.angles],
        "sources": story.sources, "origins": story.origins,
        "first_seen": story.first_seen.isoformat() if story.first_seen else None,
        "last_seen": story.last_seen.isoformat() if story.last_seen else None,
        "continues": story.continues, "languages": story.languages,
    }
    if brief is not None:
        out["brief"] = brief_dict(brief)
    return out


@to_dict.register
def claims_to_dict(ledger: ClaimLedger) -> dict:
    """The `newsdesk claims` contract: {"claims": [...], "items": [ledger]}."""
    return {"claims": [claim_dict(c) for c in ledger.claims], "items": [ledger_dict(e) for e in ledger.items]}


@to_dict.register
def item_dict(it: Item) -> dict:
    """An item as read (`newsdesk read`, the web API): `dropped` is the reason it is not used,
    `note` what reading did to it (cut at a cap)."""
    return {"n": it.n, "id": it.id, "title": it.title, "text": it.text, "url": it.url, "source": it.source,
            "published": it.published.isoformat() if it.published else None, "language": it.language,
            "dropped": it.junk_reason, "note": it.note}


@to_dict.register
def claim_dict(c: Claim) -> dict:
    return {
        "speaker": c.speaker,
        "actor": c.actor,
        "role": c.role,
        "cue": c.cue,
        "content": c.content,
        "item": c.item,
        "start": c.start,
        "end": c.end,
        "hedges": c.hedges,
        "when": c.when,
        "date": c.date,
        "figures": [figure_dict(q) for q in c.quantities],
        "source_span": _spans(c.source_span),
        "cue_span": _spans(c.cue_span),
        "content_span": _spans(c.content_span),
    }


@to_dict.register
def ledger_dict(e: LedgerEntry) -> dict:
    return {"n": e.n, "status": e.status, "reason": e.reason, "duplicate_of": e.duplicate_of, "id": e.id,
            "cut": [list(span) for span in e.cut]}


@to_dict.register
def figure_dict(q: Quantity) -> dict:
    return {
        "value": q.text,
        "measure": q.measure,
        "speaker": q.speaker,
        "actor": q.actor,
        "item": q.item,
        "start": q.start,
        "end": q.end,
        "number": q.value,
        "low": q.low,
        "high": q.high,
        "unit": q.unit,
        "bound": q.bound,
        "as_of": q.as_of,
    }


def _sentence(s: Sentence) -> dict:
    return {"text": s.text, "sources": s.sources, "support": s.support, "item": s.item, "start": s.start, "end": s.end,
            "language": s.language}


def _dispute(d: Dispute) -> dict:
    return {"question": d.question, "reconcilable": d.reconcilable,
            "sides": [{"speaker": s.speaker, "actor": s.actor, "content": s.content, "items": s.items,
                       "figures": s.figures, "copies": s.copies, "origins": s.origins} for s in d.sides]}


def _figure_change(f: FigureChange) -> dict:
    return {"measure": f.measure, "unit": f.unit, "actor": f.actor, "before": f.before, "after": f.after,
            "items": f.items, "as_of": f.as_of}


@to_dict.register
def store_changes_dict(found: StoreChanges) -> dict:
    """`newsdesk changes --format json`."""
    return {"since": found.since, "baseline": found.baseline, "made": found.made,
            "stories": [story_change_dict(s) for s in found.stories],
            "merged": [{"id": old, "into": new} for old, new in found.merged]}


@to_dict.register
def story_change_dict(change: StoryChange) -> dict:
    return {
        "story": {k: v for k, v in story_dict(change.story).items() if k not in ("angles",)},
        "status": change.status, "arrived": change.arrived, "headline": change.headline, "briefed": change.briefed,
        "new_items": [{"n": it.n, "id": it.id, "title": it.title, "source": it.source, "url": it.url,
                       "published": it.published.isoformat() if it.published else None,
                       "arrived": change.arrivals.get(it.n)} for it in change.new_items],
        "new_claims": [claim_dict(c) for c in change.new_claims],
        "changed_figures": [_figure_change(f) for f in change.changed_figures],
        "new_disputes": [_dispute(d) for d in change.new_disputes],
    }


def _spans(spans) -> list[list[int]] | None:
    return [list(s) for s in spans] if spans else None
