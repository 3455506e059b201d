"""Following what changes: the "What's new" page, Atom feeds (`/feeds/changes.atom`,
`/stories/{id}/feed.atom`), and the stories a visitor follows.

Followed stories live in a cookie (`newsdesk_follow`), not in the store: no account, nothing
written to the news, each browser its own list. It holds each followed story's id and when the
visitor last opened it, so that the pages can say what arrived since; opening the story's page
moves that time on. At most MAX_FOLLOWED stories."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from ..render.atom import to_atom
from .state import CHANGES_PAGE, day

router = APIRouter(include_in_schema=False)

FOLLOW_COOKIE = "newsdesk_follow"
MAX_FOLLOWED = 40
WINDOWS = {"1d": ("the last 24 hours", timedelta(days=1)), "7d": ("the last 7 days", timedelta(days=7)),
           "30d": ("the last 30 days", timedelta(days=30)), "all": ("the beginning", None)}
FEED_ENTRIES = 10  # stories in /feeds/changes.atom (each is briefed)
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def followed(request: Request) -> dict[str, datetime]:
    """The visitor's followed stories: id -> when they last opened it."""
    out: dict[str, datetime] = {}
    for part in (request.cookies.get(FOLLOW_COOKIE) or "").split(","):
        sid, _, stamp = part.partition(":")
        if sid.isalnum() and len(sid) <= 40 and stamp.isdigit():
            out[sid] = datetime.fromtimestamp(int(stamp), tz=timezone.utc)
    return dict(list(out.items())[:MAX_FOLLOWED])


def set_followed(response: Response, follows: dict[str, datetime]) -> None:
    value = ",".join(f"{sid}:{int(when.timestamp())}" for sid, when in list(follows.items())[:MAX_FOLLOWED])
    response.set_cookie(FOLLOW_COOKIE, value, max_age=400 * 86400, httponly=True, samesite="lax")


def since_of(window: str, since: str) -> tuple[datetime | None, str]:
    """The time a page compares with: ?since=DATE, or a window ("7d" by default)."""
    if since:
        when = day(re.sub(r" (\d\d:\d\d)$", r"+\1", since))  # a "+" of an offset that came unencoded
        return when, f"since {since}"
    label, span = WINDOWS.get(window, WINDOWS["7d"])
    return (datetime.now(timezone.utc) - span if span else None), f"in {label}" if span else "since the beginning"


@router.get("/whatsnew")
def whats_new(request: Request, window: str = "7d", since: str = "", page: int = 1):
    from .pages import page as render_page

    state = request.app.state.newsdesk
    when, label = since_of(window, since)
    page = max(1, page)
    rows, total = state.change_rows(when, page)
    mine = followed(request)
    follows = state.followed_rows(mine)
    feed = "/feeds/changes.atom" + (f"?since={quote(when.isoformat())}" if since and when else "")
    return render_page(request, "whatsnew.html", rows=rows, total=total, label=label, window=window if not since else "",
                       since=since, page=page, pages=max(1, -(-total // CHANGES_PAGE)), follows=follows,
                       windows=WINDOWS, feed=feed)


@router.get("/feeds/changes.atom")
def changes_feed(request: Request, since: str = "", window: str = "7d", limit: int = FEED_ENTRIES):
    """The stories that changed last (in `window`, or since `since`), one entry each."""
    state = request.app.state.newsdesk
    when, _ = since_of(window, since)
    found = state.changes_feed(when, max(1, min(limit, 50)))
    base = str(request.base_url).rstrip("/")
    text = to_atom(found, base_url=base, feed_id=f"newsdesk changes {state.db}", title="newsdesk: what's new",
                   self_url=str(request.url), alternate=f"{base}/whatsnew")
    return Response(text, media_type=ATOM_TYPE)


@router.get("/stories/{sid}/feed.atom")
def story_feed(request: Request, sid: str):
    """One story: an entry each time new items of it arrived."""
    state = request.app.state.newsdesk
    now = state.current_id(sid)
    if now != sid:
        return RedirectResponse(f"/stories/{now}/feed.atom", status_code=307)
    found = state.story_feed(sid)
    view = state.story(sid)
    base = str(request.base_url).rstrip("/")
    text = to_atom(found, base_url=base, feed_id=f"newsdesk story {state.db} {sid}", title=f"newsdesk: {view.story.label}",
                   self_url=str(request.url), alternate=f"{base}/stories/{sid}")
    return Response(text, media_type=ATOM_TYPE)


@router.post("/stories/{sid}/follow")
async def follow(request: Request, sid: str):
    """Follow or stop following a story (form field `action`: follow | unfollow); back to the page."""
    form = await request.form(max_files=0, max_fields=4)
    state = request.app.state.newsdesk
    sid = state.current_id(sid)
    state.story_items(sid)  # 404 for no such story
    mine = followed(request)
    if form.get("action") == "unfollow":
        mine.pop(sid, None)
    elif sid not in mine:
        if len(mine) >= MAX_FOLLOWED:
            raise HTTPException(400, f"you follow {MAX_FOLLOWED} stories already: stop following one first")
        mine[sid] = datetime.now(timezone.utc)
    back = form.get("back")
    target = back if isinstance(back, str) and back.startswith("/") and not back.startswith("//") else f"/stories/{sid}"
    response = RedirectResponse(target, status_code=303)
    set_followed(response, mine)
    return response
