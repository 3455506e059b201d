"""The web app: server-rendered pages and a JSON API over a store.

Pages: `/` stories (filter by text and date), `/stories/{id}` one story with its brief,
`/search` items and claims (FTS5), `/upload` paste or upload news and get its stories and
briefs (a background job with progress), `/docs` the OpenAPI docs (assets served locally).
The JSON API under `/api` mirrors the Python API: `Store.stories`, `Store.story_items`,
`newsdesk.brief`, `newsdesk.claims`, `newsdesk.stories`, `Store.ingest`.

Safe by default: Jinja2 autoescape on every page (news text is untrusted), a strict
Content-Security-Policy (scripts only from /static), an upload size limit, and write endpoints
(upload, paste, ingest) that need a token whenever one is set (always when bound to a
non-loopback address) and refuse cross-site form posts."""

from __future__ import annotations

import os
import re
import secrets
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from .. import __version__
from ..errors import NewsdeskError, NoNewsError
from ..model import Item
from ..options import Options
from . import charts, search as fts

HERE = Path(__file__).parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
TOKEN_COOKIE = "newsdesk_token"
MAX_STORIES_BRIEFED = 20  # per upload: the biggest stories get a brief


def _docs_assets() -> Path | None:
    try:
        import fastapi_offline
    except ImportError:
        return None
    static = Path(fastapi_offline.__file__).parent / "static"
    return static if (static / "swagger-ui-bundle.js").exists() else None


# ---------------------------------------------------------------- jobs (upload / paste)


@dataclass
class Job:
    id: str
    name: str
    status: str = "queued"  # queued | running | done | failed
    stage: str = "waiting"
    done: int = 0
    total: int = 0
    error: str | None = None
    started: float = field(default_factory=time.time)
    stories: list = field(default_factory=list)  # [(Story, Brief | None)]
    items: list = field(default_factory=list)
    ledger: list = field(default_factory=list)
    ingested: dict | None = None

    def state(self) -> dict:
        return {"id": self.id, "name": self.name, "status": self.status, "stage": self.stage, "done": self.done,
                "total": self.total, "error": self.error, "url": f"/jobs/{self.id}"}


# ---------------------------------------------------------------- API models


class ItemIn(BaseModel):
    text: str = Field(..., description="the news text")
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: datetime | None = None


class ItemsIn(BaseModel):
    items: list[ItemIn | str] = Field(..., description="news items, or plain strings (one item each)")


def _items(payload: ItemsIn) -> list[Item]:
    out = []
    for n, it in enumerate(payload.items, start=1):
        if isinstance(it, str):
            out.append(Item(n=n, text=it, origin=f"<item {n}>"))
        else:
            out.append(Item(n=n, text=it.text, title=it.title, url=it.url, source=it.source,
                            published=it.published, origin=f"<item {n}>"))
    return out


# ---------------------------------------------------------------- the app


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are ever rendered as links (never javascript:, data:, ...)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    env.filters["day"] = lambda d: d.strftime("%Y-%m-%d") if d else ""
    env.filters["when"] = lambda d: d.strftime("%Y-%m-%d %H:%M") if d else ""
    env.globals["version"] = __version__
    return env


def create_app(db: str | Path, token: str | None = None, max_upload: int = 20 * 1024 * 1024,
               options: Options | None = None, index_claims: bool = True) -> FastAPI:
    """The app over the store at `db`. With `token`, write endpoints require it (header
    `X-Newsdesk-Token` or `Authorization: Bearer`, form field `token`, or the cookie set by
    opening any page with `?token=`)."""
    from ..store import Store

    db = str(db)
    options = options or Options()
    env = _env()
    app = FastAPI(title="newsdesk", version=__version__, docs_url=None, redoc_url=None,
                  description="Stories, briefs, claims and search over a newsdesk store. The JSON API mirrors the "
                  "Python API (newsdesk.Store, newsdesk.brief, newsdesk.claims, newsdesk.stories).")
    app.state.token = token
    app.state.db = db
    write_lock = threading.Lock()
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-job")
    jobs: OrderedDict[str, Job] = OrderedDict()
    briefs: OrderedDict[tuple, object] = OrderedDict()
    brief_lock = threading.Lock()

    with Store(db, options) as s:  # create the store (and the FTS tables) if need be
        fts.ensure(s.db)
        fts.sync_items(s.db)

    def store() -> Store:
        return Store(db, options)

    def page(name: str, request: Request, status: int = 200, **context) -> HTMLResponse:
        html = env.get_template(name).render(request=request, token_required=token is not None, **context)
        return HTMLResponse(html, status_code=status)

    # ------------------------------------------------------------ safety

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            length = request.headers.get("content-length")
            if length and length.isdigit() and int(length) > max_upload + 65536:
                return _plain(413, f"upload too large: the limit is {max_upload // (1024 * 1024)} MB")
        response = await call_next(request)
        docs = request.url.path == "/docs"
        response.headers["Content-Security-Policy"] = DOCS_CSP if docs else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        given = request.query_params.get("token")
        if token and given and secrets.compare_digest(given, token):
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    def authorise(request: Request, form_token: str | None = None) -> None:
        """Write endpoints: same-origin only, and the token when one is set."""
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
            raise HTTPException(403, "cross-site request refused")
        if token is None:
            return
        auth = request.headers.get("authorization", "")
        offered = [request.headers.get("x-newsdesk-token"), auth[7:] if auth.lower().startswith("bearer ") else None,
                   form_token, request.cookies.get(TOKEN_COOKIE)]
        if not any(t and secrets.compare_digest(t, token) for t in offered):
            raise HTTPException(401, "this server needs a token for writes: give --token's value as the X-Newsdesk-Token "
                                "header, the form's token field, or open a page with ?token=...")

    # ------------------------------------------------------------ data helpers

    def story_rows(q: str = "", since: str = "", until: str = "") -> tuple[list[dict], dict]:
        lo, hi = _day(since), _day(until, end=True)
        with store() as s:
            fts.sync_items(s.db)
            stories = s.stories()
            times: dict[str, list[datetime]] = {}
            for sid, published in s.db.execute("SELECT story, published FROM items WHERE story IS NOT NULL"):
                if published:
                    times.setdefault(sid, []).append(_aware(datetime.fromisoformat(published)))
            matching = fts.story_matches(s.db, q) if q.strip() else None
        rows = []
        for st in stories:
            if matching is not None and st.id not in matching and q.casefold() not in st.label.casefold():
                continue
            first, last = _aware(st.first_seen), _aware(st.last_seen)
            if lo and (last is None or last < lo):
                continue
            if hi and (first is None or first > hi):
                continue
            rows.append({"story": st, "chart": charts.sparkline(times.get(st.id, []))})
        return rows, {"q": q, "since": since, "until": until, "total": len(stories)}

    def stored_story(sid: str):
        """(story, items) of one stored story; 404 when the store has no such story."""
        with store() as s:
            try:
                items = s.story_items(sid)
            except NewsdeskError:
                raise HTTPException(404, f"no story {sid!r} in the store") from None
            sid = s.current_id(sid)  # a story merged into another is shown as that one
            return next((st for st in s.stories() if st.id == sid), None), items

    def story_brief(sid: str):
        """(story, items, brief or None) of one stored story; briefs are cached by item set."""
        from ..pipeline import brief as make_brief

        story, items = stored_story(sid)
        sid = story.id if story else sid  # claims are indexed under the story's id now
        key = (sid, tuple(it.id for it in items))
        with brief_lock:
            result = briefs.get(key, False)
            if result is False:
                try:
                    result = make_brief(items, options)
                except NoNewsError:
                    result = None
                briefs[key] = result
                while len(briefs) > 64:
                    briefs.popitem(last=False)
                if result is not None:
                    with write_lock, store() as s:
                        fts.index_claims(s.db, sid, result.claims, items)
        return story, items, result

    def index_all_claims() -> None:
        """Background: index the claims of every story not indexed for its current items."""
        from ..pipeline import claims as find_claims

        try:
            with store() as s:
                stale = fts.stale_stories(s.db)
            for sid in stale:
                with store() as s:
                    items = s.items(sid)
                if not items:
                    continue
                ledger = find_claims(items, options)
                with write_lock, store() as s:
                    fts.index_claims(s.db, sid, ledger.claims, items)
        except Exception as exc:  # never take the server down: search still covers items
            print(f"newsdesk: claims index: {type(exc).__name__}: {exc}", file=sys.stderr)

    if index_claims:
        threading.Thread(target=index_all_claims, name="newsdesk-claims-index", daemon=True).start()

    def run_job(job: Job, path: str, options_: Options, ingest: bool) -> None:
        from ..cluster import group
        from ..ingest import read
        from ..pipeline import brief as make_brief

        try:
            job.status, job.stage = "running", "reading"
            items = list(read([path], options_))
            job.stage = "sorting into stories"
            result = group(items, options_)
            job.items, job.ledger = result.items, result.ledger
            if not result.stories:
                raise NoNewsError("no news items in the upload")
            by_n = {it.n: it for it in result.items}
            todo = result.stories[:MAX_STORIES_BRIEFED]
            job.total, job.stage = len(todo), "briefing stories"
            for k, st in enumerate(result.stories):
                b = None
                if k < len(todo):
                    try:
                        b = make_brief([by_n[n] for n in st.items], options_)
                    except NoNewsError:
                        b = None
                    job.done += 1
                job.stories.append((st, b))
            if ingest:
                job.stage = "adding to the store"
                with write_lock, store() as s:
                    job.ingested = s.ingest(items)
                    fts.sync_items(s.db)
            job.status, job.stage = "done", "done"
        except NewsdeskError as exc:
            job.status, job.error, job.stage = "failed", str(exc), "failed"
        except Exception as exc:
            job.status, job.error, job.stage = "failed", f"internal error: {type(exc).__name__}: {exc}", "failed"
        finally:
            try:
                os.unlink(path)
                os.rmdir(os.path.dirname(path))
            except OSError:
                pass

    async def start_job(request: Request) -> Job:
        form = await request.form(max_files=1, max_fields=8, max_part_size=max_upload)
        authorise(request, form.get("token") if isinstance(form.get("token"), str) else None)
        upload = form.get("file")
        text = form.get("text")
        data, name = b"", "pasted text"
        if upload is not None and not isinstance(upload, str) and upload.filename:
            data = await upload.read(max_upload + 1)
            name = upload.filename
        elif isinstance(text, str) and text.strip():
            data = text.encode("utf-8")
        if not data.strip():
            raise HTTPException(400, "nothing to read: paste text or choose a file")
        if len(data) > max_upload:
            raise HTTPException(413, f"upload too large: the limit is {max_upload // (1024 * 1024)} MB")
        suffix = "".join(re.findall(r"\.[A-Za-z0-9]{1,5}", Path(name).name)[-2:]) if upload is not None else ".txt"
        folder = tempfile.mkdtemp(prefix="newsdesk-upload-")
        path = os.path.join(folder, "upload" + suffix)
        with open(path, "wb") as f:
            f.write(data)
        fmt = form.get("format") if isinstance(form.get("format"), str) else ""
        from ..ingest import FORMATS as INPUT_FORMATS

        job_options = options.update(input_format=fmt if fmt in INPUT_FORMATS else None)
        job = Job(id=uuid.uuid4().hex[:16], name=Path(name).name[:200])
        jobs[job.id] = job
        while len(jobs) > 50:
            jobs.popitem(last=False)
        worker.submit(run_job, job, path, job_options, form.get("ingest") in ("1", "on", "true"))
        return job

    def get_job(job_id: str) -> Job:
        job = jobs.get(job_id)
        if job is None:
            raise HTTPException(404, "no such job (jobs are kept in memory while the server runs)")
        return job

    # ------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, q: str = "", since: str = "", until: str = ""):
        rows, filters = story_rows(q, since, until)
        return page("stories.html", request, rows=rows, filters=filters, db=db)

    @app.get("/stories/{sid}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, sid: str):
        with store() as s:
            now = s.current_id(sid)
        if now != sid:  # merged into another story when the store regrouped: its page now
            return RedirectResponse(f"/stories/{now}", status_code=307)
        story, items, result = story_brief(sid)
        outlets = Counter(it.source for it in items if it.source).most_common()
        return page("story.html", request, story=story, items={it.n: it for it in items}, brief=result,
                    outlets=outlets, timeline_chart=charts.timeline(result.timeline) if result else "",
                    chart=charts.sparkline([_aware(it.published) for it in items if it.published]))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = ""):
        with store() as s:
            fts.sync_items(s.db)
            hits = fts.search(s.db, q)
            pending = len(fts.stale_stories(s.db))
        return page("search.html", request, q=q, hits=hits, marked=fts.marked, pending=pending)

    @app.get("/upload", response_class=HTMLResponse, include_in_schema=False)
    def upload_page(request: Request):
        from ..ingest import FORMATS as INPUT_FORMATS

        return page("upload.html", request, formats=INPUT_FORMATS, limit_mb=max_upload / (1024 * 1024))

    @app.post("/upload", include_in_schema=False)
    async def upload_form(request: Request):
        job = await start_job(request)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(request: Request, job_id: str):
        job = get_job(job_id)
        by_n = {it.n: it for it in job.items}
        return page("job.html", request, job=job, items=by_n)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request):
        if _docs_assets() is None:
            return page("nodocs.html", request)
        return page("docs.html", request)

    if (assets := _docs_assets()) is not None:
        app.mount("/static/docs", StaticFiles(directory=str(assets)), name="docs-assets")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # ------------------------------------------------------------ JSON API

    from ..cli_stories import story_dict
    from ..render.jsonout import claims_to_dict, ledger_dict, to_dict

    @app.get("/api/stories", tags=["store"], summary="Store.stories(): every story, biggest first")
    def api_stories(q: str = "", since: str = "", until: str = ""):
        rows, filters = story_rows(q, since, until)
        return {"stories": [story_dict(r["story"]) for r in rows], "total": filters["total"]}

    @app.get("/api/stories/{sid}", tags=["store"], summary="One story and its items (Store.story_items)")
    def api_story(sid: str):
        story, items = stored_story(sid)
        return {**story_dict(story), "records": [_item_dict(it) for it in items]}

    @app.get("/api/stories/{sid}/brief", tags=["store"],
             summary="Store.brief(id): the brief of one story (JSON as `newsdesk brief --format json`)")
    def api_story_brief(sid: str, since: str | None = None):
        if since:
            from ..cli_stories import changes_dict

            with write_lock, store() as s:
                try:
                    update = s.brief(sid, since=since, options=options)
                except NewsdeskError as exc:
                    raise HTTPException(404 if "no story" in str(exc) else 400, str(exc)) from None
            return {"changes": changes_dict(update), **to_dict(update.brief)}
        _, _, result = story_brief(sid)
        if result is None:
            raise HTTPException(422, "no news items in this story to brief")
        return to_dict(result)

    @app.get("/api/stories/{sid}/claims", tags=["store"], summary="newsdesk.claims(story items)")
    def api_story_claims(sid: str):
        from ..pipeline import claims as find_claims

        _, items = stored_story(sid)
        return claims_to_dict(find_claims(items, options))

    @app.get("/api/search", tags=["store"], summary="Full-text search (FTS5) over items and claims")
    def api_search(q: str, limit: int = 50):
        with store() as s:
            fts.sync_items(s.db)
            hits = fts.search(s.db, q, limit=max(1, min(limit, 500)))
        for kind, fields in (("items", ("title", "text")), ("claims", ("speaker", "content"))):
            for h in hits[kind]:
                for f in fields:
                    h[f + "_marked"] = str(fts.marked(h[f]))
                    h[f] = fts.plain(h[f])
        return hits

    @app.post("/api/brief", tags=["compute"], summary="newsdesk.brief(items): the items as one story")
    def api_brief(payload: ItemsIn, request: Request):
        authorise(request)
        from ..pipeline import brief as make_brief

        try:
            return to_dict(make_brief(_items(payload), options))
        except NoNewsError as exc:
            raise HTTPException(422, str(exc) or "no news items") from None

    @app.post("/api/claims", tags=["compute"], summary="newsdesk.claims(items)")
    def api_claims(payload: ItemsIn, request: Request):
        authorise(request)
        from ..pipeline import claims as find_claims

        return claims_to_dict(find_claims(_items(payload), options))

    @app.post("/api/stories", tags=["compute"], summary="newsdesk.stories(items): group into stories")
    def api_group(payload: ItemsIn, request: Request):
        authorise(request)
        from ..cluster import group

        result = group(_items(payload), options)
        return {"stories": [story_dict(st) for st in result.stories], "items": [ledger_dict(e) for e in result.ledger]}

    @app.post("/api/ingest", tags=["store"], summary="Store.ingest(items): add items to the store")
    def api_ingest(payload: ItemsIn, request: Request):
        authorise(request)
        with write_lock, store() as s:
            counts = s.ingest(_items(payload))
            fts.sync_items(s.db)
        return counts

    @app.post("/api/jobs", tags=["compute"], status_code=202,
              summary="Upload a file (any format newsdesk reads) or paste text (multipart: file or text, "
              "optional format, ingest=1): a job that sorts it into stories and briefs them")
    async def api_job_start(request: Request):
        return (await start_job(request)).state()

    @app.get("/api/jobs/{job_id}", tags=["compute"], summary="A job's progress, and its stories and briefs once done")
    def api_job(job_id: str):
        job = get_job(job_id)
        out = job.state()
        if job.status == "done":
            out["stories"] = [story_dict(st, b) for st, b in job.stories]
            out["items"] = [ledger_dict(e) for e in job.ledger]
            out["ingested"] = job.ingested
        return out

    @app.exception_handler(HTTPException)
    async def errors(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return page("error.html", request, status=exc.status_code, status_code=exc.status_code, message=exc.detail)

    app.state.jobs = jobs
    return app


def _plain(status: int, message: str) -> Response:
    return JSONResponse({"detail": message}, status_code=status)


def _item_dict(it: Item) -> dict:
    return {"n": it.n, "id": it.id, "title": it.title, "text": it.text, "url": it.url, "source": it.source,
            "published": it.published.isoformat() if it.published else None}


def _aware(when: datetime | None) -> datetime | None:
    if when is not None and when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when


def _day(text: str, end: bool = False) -> datetime | None:
    if not text:
        return None
    try:
        d = datetime.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, f"expected a date such as 2016-06-01, got {text!r}") from None
    if end and len(text) <= 10:
        d = d.replace(hour=23, minute=59, second=59)
    return _aware(d)


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          max_upload: int = 20 * 1024 * 1024) -> int:
    """Run the app with uvicorn until interrupted. A non-loopback bind always needs a token."""
    import uvicorn

    from . import is_loopback

    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(24)
        print(f"newsdesk: bound to {host}, so writes need a token: {token}", flush=True)
    app = create_app(db, token=token, max_upload=max_upload)
    shown = f"[{host}]" if ":" in host else host
    print(f"newsdesk: serving {db} at http://{shown}:{port}/ (API docs at /docs)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0
