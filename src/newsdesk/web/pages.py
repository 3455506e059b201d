"""The HTML pages: each renders what a view of WebState builds (the API serves the same data)."""

from __future__ import annotations

import sys
import time
from collections import Counter
from datetime import datetime, timezone
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..changes import aware
from ..options import INPUT_FORMATS
from ..render.timeline import chart
from ..search import marked
from . import charts, jobs
from .news import followed, set_followed
from .security import has_token
from .state import PAGE_SIZE, SORTS

router = APIRouter(include_in_schema=False)


def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(render(request, name, **context), status_code=status)


def render(request: Request, name: str, **context) -> str:
    state = request.app.state.newsdesk
    return state.env.get_template(name).render(request=request, token_required=state.token is not None, **context)


def cache_key(request: Request, version: int, *parts) -> tuple | None:
    """The key under which a page is kept (WebState.cached_page): the store's version, the
    address and the minute (pages say "5 min ago"); None for a visitor who follows stories
    (their pages say what is new to them)."""
    if followed(request):
        return None
    return (version, request.url.path, request.url.query, int(time.time() // 60), *parts)


def cached(request: Request, key: tuple | None, name: str, build, previous: bool = False) -> HTMLResponse:
    """The page `name` with the context `build()` makes, kept by `key` when there is one. With
    `previous`, its previous version is shown (saying that it is being updated) while the new
    one renders (WebState.cached_page)."""
    if key is None:
        return page(request, name, **build())
    slot = (request.url.path, request.url.query) if previous else None
    return HTMLResponse(request.app.state.newsdesk.cached_page(key, lambda: render(request, name, **build()), slot))


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request, q: str = "", since: str = "", until: str = "", sort: str = "size",
                 number: int = Query(1, alias="page"), lang: str = ""):
    state = request.app.state.newsdesk
    key = cache_key(request, state.version())
    # Each commit to the store (ingests, regroups, the claims index) moves its version: while
    # the list is rendered again, its visitors get the previous one, which says so.
    return cached(request, key, "stories.html", lambda: _stories_context(request, q, since, until, sort, number, lang),
                  previous=True)


def warm_story_list(app) -> None:
    """Render the story list (its first page, as `/` shows it) once when the server starts, so
    that its first visitors find it made and later ones get it while it is rendered again."""
    scope = {"type": "http", "method": "GET", "path": "/", "raw_path": b"/", "query_string": b"", "headers": [],
             "app": app, "scheme": "http", "server": ("127.0.0.1", 80), "root_path": ""}
    try:
        stories_page(Request(scope), number=1)
    except Exception as exc:  # the first visitor renders it instead
        print(f"newsdesk: story list: {type(exc).__name__}: {exc}", file=sys.stderr)


def _stories_context(request: Request, q: str, since: str, until: str, sort: str, number: int, lang: str) -> dict:
    state = request.app.state.newsdesk
    sort = sort if sort in SORTS else "size"
    number = max(1, number)
    rows, shown, total, follows = state.home(q, since, until, sort, number, followed(request), lang)
    snap = state.snapshot()
    times = snap.times
    languages: Counter = Counter()
    for story in snap.stories:
        languages.update(story.languages)
    charted = [{"row": r, "chart": charts.sparkline(times.get(r.story.id, []))} for r in rows]
    pages = max(1, -(-shown // PAGE_SIZE))

    def link(**changes) -> str:
        args = {"q": q, "since": since, "until": until, "lang": lang, "sort": sort, "page": number, **changes}
        return "/?" + urlencode({k: v for k, v in args.items() if v not in ("", None, 1, "size")})

    return dict(rows=charted, follows=follows, sorts=SORTS, sort=sort, page_no=min(number, pages), link=link,
                pages=pages, shown=shown, languages=dict(languages.most_common()),
                filters={"q": q, "since": since, "until": until, "lang": lang, "total": total}, db=state.db,
                now=datetime.now(timezone.utc))


@router.get("/stories/{sid}", response_class=HTMLResponse)
def story_page(request: Request, sid: str):
    state = request.app.state.newsdesk
    now = state.current_id(sid)
    if now != sid:  # merged into another story when the store regrouped: its page now
        return RedirectResponse(f"/stories/{now}", status_code=307)
    version = state.version()
    view = state.story(sid)
    mine = followed(request)
    if not mine:  # the same page for every visitor who follows no story: kept
        key = cache_key(request, version, view.brief is not None, view.pending)
        return cached(request, key, "story.html", lambda: _story_context(request, view, None))
    since_visit = mine.get(view.story.id)
    response = page(request, "story.html", **_story_context(request, view, since_visit))
    if since_visit is not None and not view.pending:  # this visit is the new "last visit" (once it shows the brief)
        mine[view.story.id] = datetime.now(timezone.utc)
        set_followed(response, mine)
    return response


def _story_context(request: Request, view, since_visit: datetime | None) -> dict:
    """A story page's context; `since_visit`: when a visitor who follows it last opened it."""
    state = request.app.state.newsdesk
    arrived = state.arrivals(view.story.id)
    when = {it.n: aware(it.published) if it.published else arrived.get(it.n) for it in view.items}
    disputed = {n for d in (view.brief.disputes if view.brief else []) for side in d.sides for n in side.items}
    return dict(story=view.story, items={it.n: it for it in view.items}, brief=view.brief, pending=view.pending,
                outlets=Counter(it.source for it in view.items if it.source).most_common(),
                unnamed=state.outlet_counts(view.story.id)[1],
                timeline_chart=chart(view.brief.timeline) if view.brief else None,
                chart=charts.sparkline([aware(it.published) for it in view.items if it.published]),
                arrivals=charts.sparkline(list(arrived.values())), arrived=arrived, followed=since_visit is not None,
                since_visit=since_visit, change=state.story_change(view, since_visit) if since_visit else None,
                figures=charts.figure_history(view.brief, when, disputed) if view.brief else [],
                legend=charts.legend_colours)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = ""):
    state = request.app.state.newsdesk

    def build() -> dict:
        hits, pending = state.search(q)
        return dict(q=q, hits=hits, marked=marked, pending=pending)

    return cached(request, cache_key(request, state.version()), "search.html", build)


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request):
    limit = request.app.state.newsdesk.max_upload / (1024 * 1024)
    return page(request, "upload.html", formats=INPUT_FORMATS, limit_mb=limit, token_cookie=has_token(request))


@router.get("/favicon.ico")
def favicon():
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.post("/upload")
async def upload_form(request: Request):
    job = await jobs.start(request)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str):
    job = jobs.get(request.app.state.newsdesk, job_id)
    by_n = {it.n: it for it in job.grouping.items} if job.grouping else {}
    return page(request, "job.html", job=job, items=by_n)


@router.get("/docs")
def docs(request: Request):
    from .app import docs_assets

    return page(request, "docs.html" if docs_assets() else "nodocs.html")
