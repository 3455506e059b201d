"""What changed in a story: pure functions over a brief, its items and an earlier brief's record.

The store keeps a :class:`~newsdesk.model.BriefRecord` of every brief it makes; comparing a new
brief with the last record (or with the items published before a date) gives a
:class:`~newsdesk.model.BriefUpdate`: new items, new claims (by who and what, wherever they
sit), and figures whose value changed for the same speaker, measure and unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from typing import Literal, overload

from .dedup import normalise
from .errors import NewsdeskError
from .model import Brief, BriefRecord, BriefUpdate, Claim, Dispute, FigureChange, Item, Quantity, Story, StoryChange


def claim_key(c: Claim) -> str:
    """A claim, independent of where it sits: who (normalised) and what (normalised text)."""
    return f"{c.actor or c.speaker}|{normalise(c.content)}"


def figure_key(q: Quantity) -> str:
    """A figure's slot: who states it, what it measures and in which unit."""
    return f"{q.actor or ''}|{normalise(q.measure or '')}|{q.unit or ''}"


def figures_by_key(figures: Iterable[Quantity]) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for q in figures:
        out.setdefault(figure_key(q), set()).add(q.text)
    return {k: sorted(v) for k, v in sorted(out.items())}


def record(brief: Brief, items: Sequence[Item], made: datetime) -> BriefRecord:
    """The record of a brief of `items` made at `made`."""
    return BriefRecord(made=made.isoformat(), item_ids=sorted(it.id for it in items),
                       claims=sorted({claim_key(c) for c in brief.claims}), figures=figures_by_key(brief.figures))


def since_last(story: str, items: Sequence[Item], brief: Brief, previous: BriefRecord | None) -> BriefUpdate:
    """What the brief adds to the previous brief of the story (everything, when there was none)."""
    old_ids = set(previous.item_ids) if previous else set()
    new = [it for it in items if it.id not in old_ids]
    return _update(story, "last", previous.made if previous else None, new, brief,
                   set(previous.claims) if previous else set(), previous.figures if previous else {})


def since_date(story: str, items: Sequence[Item], brief: Brief, since: datetime,
               seen: dict[int, datetime]) -> BriefUpdate:
    """What the items published at or after `since` add (an undated item counts from `seen`,
    the time the store gave it)."""
    new = [it for it in items if (aware(it.published) or seen[it.n]) >= since]
    fresh = {it.n for it in new}
    old_claims = {claim_key(c) for c in brief.claims if c.item not in fresh}
    old_figures = figures_by_key(q for q in brief.figures if q.item not in fresh)
    return _update(story, since.isoformat(), None, new, brief, old_claims, old_figures)


def _update(story: str, since: str, baseline: str | None, new: list[Item], brief: Brief,
            old_claims: set[str], old_figures: dict[str, list[str]]) -> BriefUpdate:
    new = sorted(new, key=lambda it: it.n)
    return BriefUpdate(story=story, since=since, baseline=baseline, new_items=[it.n for it in new],
                       new_item_ids=[it.id for it in new],
                       new_claims=[c for c in brief.claims if claim_key(c) not in old_claims],
                       changed_figures=changed_figures(brief.figures, old_figures), brief=brief)


def changed_figures(figures: Sequence[Quantity], old: dict[str, list[str]]) -> list[FigureChange]:
    """Figures stated now that were not stated before for the same speaker, measure and unit."""
    changed = []
    for key, texts in figures_by_key(figures).items():
        before = old.get(key, [])
        if set(texts) <= set(before):
            continue
        sample = next(q for q in figures if figure_key(q) == key)
        changed.append(FigureChange(measure=sample.measure, unit=sample.unit, actor=sample.actor, before=before,
                                    after=[t for t in texts if t not in before],
                                    items=sorted({q.item for q in figures if figure_key(q) == key and q.text not in before})))
    return changed


def story_change(story: Story, items: Sequence[Item], brief: Brief | None, arrived: dict[int, datetime],
                 since: datetime | None) -> StoryChange | None:
    """What the items that arrived in the store after `since` (all of them, for None) add to a
    story: None when none did. `brief` is the brief of all its items now (None when nothing
    could be briefed); a claim, figure or dispute is new when it comes from the new items only,
    so one brief tells what changed, however the items were split into ingests."""
    new = [it for it in items if since is None or arrived[it.n] > since]
    if not new:
        return None
    fresh = {it.n for it in new}
    when = {n: arrived[n].astimezone(timezone.utc).isoformat() for n in sorted(fresh)}
    status = "new" if len(fresh) == len(items) else "updated"
    latest = max(when.values())
    if brief is None:
        return StoryChange(story, status, latest, sorted(new, key=lambda it: it.n), when, briefed=False)
    old_claims = {claim_key(c) for c in brief.claims if c.item not in fresh}
    claims, seen = [], set(old_claims)
    for c in brief.claims:
        if c.item in fresh and claim_key(c) not in seen:
            seen.add(claim_key(c))
            claims.append(c)
    old_figures = figures_by_key(q for q in brief.figures if q.item not in fresh)
    new_figures = [q for q in brief.figures if q.item in fresh]
    figures = [replace(f, as_of=max((q.as_of for q in new_figures if figure_key(q) == _key_of(f) and q.as_of), default=None))
               for f in changed_figures(new_figures, old_figures)]
    return StoryChange(story, status, latest, sorted(new, key=lambda it: it.n), when, claims, figures,
                       [d for d in brief.disputes if _new_side(d, fresh)],
                       brief.headline.text if brief.headline else None)


def _key_of(f: FigureChange) -> str:
    return f"{f.actor or ''}|{normalise(f.measure or '')}|{f.unit or ''}"


def _new_side(dispute: Dispute, fresh: set[int]) -> bool:
    """A dispute is new when one of its sides is carried by new items only: a party that had
    not said it before (or a question nobody disputed before)."""
    return any(side.items and set(side.items) <= fresh for side in dispute.sides)


def parse_since(since: str | datetime) -> Literal["last"] | datetime:
    """"last", or a date/time (a naive one is UTC); a NewsdeskError (exit 2) otherwise."""
    if isinstance(since, datetime):
        return aware(since)
    if since == "last":
        return "last"
    try:
        return aware(datetime.fromisoformat(since))
    except (TypeError, ValueError):
        raise NewsdeskError(f"--since expects 'last' or a date such as 2016-06-01, got {since!r}", code=2) from None


@overload
def aware(when: datetime) -> datetime: ...
@overload
def aware(when: None) -> None: ...
def aware(when: datetime | None) -> datetime | None:
    """A naive time read as UTC."""
    if when is not None and when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when
