"""The HTML pages: each renders what a view of WebState builds (the API serves the same data)."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..changes import aware
from ..options import INPUT_FORMATS
from ..render.timeline import chart
from ..search import marked
from . import charts, jobs

router = APIRouter(include_in_schema=False)


def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    state = request.app.state.newsdesk
    html = state.env.get_template(name).render(request=request, token_required=state.token is not None, **context)
    return HTMLResponse(html, status_code=status)


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request, q: str = "", since: str = "", until: str = ""):
    stories, times, total = request.app.state.newsdesk.stories(q, since, until)
    rows = [{"story": st, "chart": charts.sparkline(times.get(st.id, []))} for st in stories]
    return page(request, "stories.html", rows=rows, filters={"q": q, "since": since, "until": until, "total": total},
                db=request.app.state.newsdesk.db)


@router.get("/stories/{sid}", response_class=HTMLResponse)
def story_page(request: Request, sid: str):
    state = request.app.state.newsdesk
    now = state.current_id(sid)
    if now != sid:  # merged into another story when the store regrouped: its page now
        return RedirectResponse(f"/stories/{now}", status_code=307)
    view = state.story(sid)
    outlets = Counter(it.source for it in view.items if it.source).most_common()
    return page(request, "story.html", story=view.story, items={it.n: it for it in view.items}, brief=view.brief,
                outlets=outlets, timeline_chart=chart(view.brief.timeline) if view.brief else None,
                chart=charts.sparkline([aware(it.published) for it in view.items if it.published]))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = ""):
    hits, pending = request.app.state.newsdesk.search(q)
    return page(request, "search.html", q=q, hits=hits, marked=marked, pending=pending)


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request):
    limit = request.app.state.newsdesk.max_upload / (1024 * 1024)
    return page(request, "upload.html", formats=INPUT_FORMATS, limit_mb=limit)


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
