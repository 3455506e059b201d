"""JSON: the public contract. Fields may be added; those in brief.schema.json are kept."""

from __future__ import annotations

import json
from pathlib import Path

from ..extract.actors import speaker_role
from ..model import Brief, Claim, ClaimLedger, LedgerEntry, Quantity, Sentence

SCHEMA_PATH = Path(__file__).with_name("brief.schema.json")


def to_dict(brief: Brief) -> dict:
    return {
        "headline": brief.headline.text if brief.headline else "",
        "headline_sources": brief.headline.sources if brief.headline else [],
        "sentences": [_sentence(s) for s in brief.sentences],
        "claims": [claim_dict(c) for c in brief.claims],
        "figures": [_figure(q) for q in brief.figures],
        "disputes": [
            {
                "question": d.question,
                "reconcilable": d.reconcilable,
                "sides": [
                    {"speaker": s.speaker, "actor": s.actor, "content": s.content, "items": s.items, "figures": s.figures,
                     "copies": s.copies, "origins": s.origins}
                    for s in d.sides
                ],
            }
            for d in brief.disputes
        ],
        "entities": [{"text": e.text, "type": e.type, "items": e.items} for e in brief.entities],
        "times": [{"text": t.text, "items": t.items, "date": t.date} for t in brief.times],
        "timeline": [{"date": t.date, "text": t.text, "items": t.items} for t in brief.timeline],
        "items": [ledger_dict(e) for e in brief.items],
    }


def to_json(brief: Brief) -> str:
    return json.dumps(to_dict(brief), ensure_ascii=False, indent=2) + "\n"


def claim_dict(c: Claim) -> dict:
    return {
        "speaker": c.speaker,
        "actor": c.actor,
        "role": speaker_role(c.speaker),
        "cue": c.cue,
        "content": c.content,
        "item": c.item,
        "start": c.start,
        "end": c.end,
        "hedges": c.hedges,
        "when": c.when,
        "date": c.date,
        "figures": [_figure(q) for q in c.quantities],
        "source_span": _spans(c.source_span),
        "cue_span": _spans(c.cue_span),
        "content_span": _spans(c.content_span),
    }


def ledger_dict(e: LedgerEntry) -> dict:
    return {"n": e.n, "status": e.status, "reason": e.reason, "duplicate_of": e.duplicate_of, "id": e.id}


def _sentence(s: Sentence) -> dict:
    return {"text": s.text, "sources": s.sources, "support": s.support, "item": s.item, "start": s.start, "end": s.end}


def _figure(q: Quantity) -> dict:
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


def claims_to_dict(ledger: ClaimLedger) -> dict:
    """The `newsdesk claims` contract: {"claims": [...], "items": [ledger]}."""
    return {"claims": [claim_dict(c) for c in ledger.claims], "items": [ledger_dict(e) for e in ledger.items]}


def _spans(spans) -> list[list[int]] | None:
    return [list(s) for s in spans] if spans else None
