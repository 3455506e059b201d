"""The JSON API under /api: it mirrors the Python API (Store, brief, claims, stories) and serves
the same views as the pages, in the dict forms of newsdesk.render.jsonout."""

from __future__ import annotations

import time
from datetime import datetime

import anyio
import anyio.to_thread
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..errors import NewsdeskError, NoNewsError
from ..model import Grouping, Item
from ..render.jsonout import claims_to_dict, grouping_dict, item_dict, story_dict, to_dict
from ..search import marked, plain
from . import jobs
from .state import BRIEF_API_WAIT

router = APIRouter(prefix="/api")
RETRY_AFTER = 5  # seconds a client is told to wait before asking again for a brief being made
BRIEF_API_POLL = 0.25  # seconds between two looks for a brief a client waits for
# Write endpoints are checked before their body is read (web.security.Guard: host, origin, token).


class ItemIn(BaseModel):
    text: str = Field(..., description="the news text")
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: datetime | None = None


class ItemsIn(BaseModel):
    items: list[ItemIn | str] = Field(..., description="news items, or plain strings (one item each)")


def _items(payload: ItemsIn, options) -> list[Item]:
    """The posted items, read as a reader reads a record (length cap, outlet, date, language)."""
    from ..ingest.common import RecordCounter, make_item

    counter, out = RecordCounter(), []
    for n, it in enumerate(payload.items, start=1):
        if isinstance(it, str):
            it = ItemIn(text=it)
        out.append(make_item(counter, options, it.text, f"<item {n}>", title=it.title, url=it.url, source=it.source,
                             published=it.published))
    return out


@router.get("/stories", tags=["store"], summary="Store.stories(): every story, biggest first")
def api_stories(request: Request, q: str = "", since: str = "", until: str = "", lang: str = ""):
    stories, _, total = request.app.state.newsdesk.stories(q, since, until, lang)
    return {**grouping_dict(Grouping(stories)), "total": total}


@router.get("/stories/{sid}", tags=["store"], summary="One story and its items (Store.story_items)")
def api_story(request: Request, sid: str):
    story, items = request.app.state.newsdesk.story_items(sid)
    return {**story_dict(story), "records": [item_dict(it) for it in items]}


@router.get("/stories/{sid}/brief", tags=["store"],
            summary="Store.brief(id): the brief of one story (JSON as `newsdesk brief --format json`); "
            "with since=last|DATE, Store.brief_update: what changed first")
async def api_story_brief(request: Request, sid: str, since: str | None = None, wait: float = 0):
    """A brief not made yet answers at once: 202 with Retry-After (the briefer makes it next),
    unless the client asks to `wait` up to that many seconds (at most BRIEF_API_WAIT; waiting
    holds no thread)."""
    state = request.app.state.newsdesk
    if since:
        return await anyio.to_thread.run_sync(_brief_update, state, sid, since)
    view = await anyio.to_thread.run_sync(state.story, sid, 0.0)
    deadline = time.monotonic() + max(0.0, min(wait, BRIEF_API_WAIT))
    result = state.cached_brief(view.story, view.items)
    while result is False and time.monotonic() < deadline:
        await anyio.sleep(BRIEF_API_POLL)
        result = state.cached_brief(view.story, view.items)
    if result is False:
        return JSONResponse({"story": view.story.id, "status": "pending",
                             "detail": "the brief of this story is being made: retry after a few seconds, "
                             "or ask with ?wait=SECONDS"}, status_code=202, headers={"Retry-After": str(RETRY_AFTER)})
    if result is None:
        raise HTTPException(422, "no news items in this story to brief")
    return to_dict(result)


def _brief_update(state, sid: str, since: str) -> dict:
    with state.write_lock, state.store() as s:
        try:
            return to_dict(s.brief_update(sid, since))
        except NewsdeskError as exc:
            raise HTTPException(404 if "no story" in str(exc) else 400, str(exc)) from None


@router.get("/stories/{sid}/claims", tags=["store"], summary="newsdesk.claims(story items)")
def api_story_claims(request: Request, sid: str):
    state = request.app.state.newsdesk
    _, items = state.story_items(sid)
    return claims_to_dict(state.workers.claims(items, state.options))


@router.get("/changes", tags=["store"],
            summary="What changed across the store (as `newsdesk changes --format json`): the `limit` stories that "
            "gained items last, since DATE or in a window (1d, 7d, 30d, all); no run is recorded")
def api_changes(request: Request, since: str = "", window: str = "7d", limit: int = 10):
    from .news import since_of

    when, _ = since_of(window, since)
    return to_dict(request.app.state.newsdesk.changes_feed(when, max(1, min(limit, 50))))


@router.get("/search", tags=["store"], summary="Full-text search (FTS5) over items and claims")
def api_search(request: Request, q: str, limit: int = 50):
    hits, _ = request.app.state.newsdesk.search(q, max(1, min(limit, 500)))
    for kind, fields in (("items", ("title", "text")), ("claims", ("speaker", "content"))):
        for h in hits[kind]:
            for f in fields:
                h[f + "_marked"] = str(marked(h[f]))
                h[f] = plain(h[f])
    return hits


@router.post("/brief", tags=["compute"], summary="newsdesk.brief(items): the items as one story")
def api_brief(payload: ItemsIn, request: Request):
    from ..pipeline import brief

    try:
        return to_dict(brief(_items(payload, request.app.state.newsdesk.options), request.app.state.newsdesk.options))
    except NoNewsError as exc:
        raise HTTPException(422, str(exc) or "no news items") from None


@router.post("/claims", tags=["compute"], summary="newsdesk.claims(items)")
def api_claims(payload: ItemsIn, request: Request):
    from ..pipeline import claims

    return claims_to_dict(claims(_items(payload, request.app.state.newsdesk.options), request.app.state.newsdesk.options))


@router.post("/stories", tags=["compute"], summary="newsdesk.stories(items): group into stories")
def api_group(payload: ItemsIn, request: Request):
    from ..cluster import group

    return grouping_dict(group(_items(payload, request.app.state.newsdesk.options), request.app.state.newsdesk.options))


@router.post("/ingest", tags=["store"], summary="Store.ingest(items): add items to the store")
def api_ingest(payload: ItemsIn, request: Request):
    return request.app.state.newsdesk.ingest(_items(payload, request.app.state.newsdesk.options))


@router.post("/jobs", tags=["compute"], status_code=202,
             summary="Upload a file (any format newsdesk reads) or paste text (multipart: file or text, "
             "optional format, ingest=1): a job that sorts it into stories and briefs them")
async def api_job_start(request: Request):
    return (await jobs.start(request)).state()


@router.get("/jobs/{job_id}", tags=["compute"], summary="A job's progress, and its stories and briefs once done")
def api_job(request: Request, job_id: str):
    job = jobs.get(request.app.state.newsdesk, job_id)
    out = job.state()
    if job.status == "done" and job.grouping is not None:
        out.update(grouping_dict(job.grouping))
        out["ingested"] = job.ingested
    return out
