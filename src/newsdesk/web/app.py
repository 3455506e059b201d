"""The web app: server-rendered pages and a JSON API over a store.

Pages (web/pages.py): `/` stories (filter by text and date, sorted, paged), `/stories/{id}` one
story with its brief, `/search` items and claims (FTS5), `/upload` paste or upload news and get
its stories and briefs (a background job with progress, web/jobs.py), `/docs` the OpenAPI docs
(assets served locally). Following (web/news.py): `/whatsnew`, the Atom feeds
`/feeds/changes.atom` and `/stories/{id}/feed.atom`, and followed stories (a cookie). The JSON
API (web/api.py) under `/api` mirrors the Python API. All are routers over one WebState
(web/state.py) that builds each view's data once.

Safe by default (web/security.py): Jinja2 autoescape on every page (news text is untrusted), a
strict Content-Security-Policy (scripts only from /static), an upload size limit, and write
endpoints (upload, paste, ingest) that need a token whenever one is set (always when bound to a
non-loopback address) and refuse cross-site form posts."""

from __future__ import annotations

import contextlib
import secrets
import threading
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import NewsdeskError
from ..options import Options
from . import api, news, pages
from .security import Guard, allowed_hosts, wants_html
from .state import BRIEF_STOP_WAIT, HERE, WebState


def docs_assets() -> Path | None:
    """Swagger UI's files from fastapi-offline, so that /docs works offline; None without them."""
    try:
        import fastapi_offline
    except ImportError:
        return None
    static = Path(fastapi_offline.__file__).parent / "static"
    return static if (static / "swagger-ui-bundle.js").exists() else None


def create_app(db: str | Path, token: str | None = None, max_upload: int = 20 * 1024 * 1024,
               options: Options | None = None, index_claims: bool = True, host: str | None = None,
               warm: bool = False) -> FastAPI:
    """The app over the store at `db`, served at `host` (None: loopback). With `token`, write
    endpoints require it (header `X-Newsdesk-Token` or `Authorization: Bearer`, form field
    `token`, or the cookie set by opening any page with `?token=`). With `warm`, the ingest
    child process starts at once and loads its model (web/workers.py)."""
    state = WebState(db=str(db), options=options or Options(), token=token, max_upload=max_upload,
                     hosts=allowed_hosts(host))
    with state.store() as s:  # create the store if need be, and index what an earlier version left unindexed
        s.index_search()
        writable = not s.readonly
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        # A brief cut short at exit can abort the process (BLAS threads): let it finish.
        await anyio.to_thread.run_sync(state.stop_briefing, BRIEF_STOP_WAIT)

    app = FastAPI(lifespan=lifespan, title="newsdesk", version=__version__, docs_url=None, redoc_url=None,
                  description="Stories, briefs, claims and search over a newsdesk store. The JSON API mirrors the "
                  "Python API (newsdesk.Store, newsdesk.brief, newsdesk.claims, newsdesk.stories).")
    app.state.newsdesk = state
    app.add_middleware(Guard, state=state)
    app.include_router(pages.router)
    app.include_router(news.router)
    app.include_router(api.router)
    if (assets := docs_assets()) is not None:
        app.mount("/static/docs", StaticFiles(directory=str(assets)), name="docs-assets")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(NewsdeskError)
    async def refused(request: Request, exc: NewsdeskError):  # the library's one-line errors, as the CLI shows them
        return await errors(request, StarletteHTTPException(404 if "no story" in str(exc) else 400, str(exc)))

    # Starlette's class: it also catches the 404 of an unknown address and the 405 of a wrong method.
    @app.exception_handler(StarletteHTTPException)
    async def errors(request: Request, exc: StarletteHTTPException):
        if not wants_html(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        message = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" else \
            f"nothing at {request.url.path}: see the stories, or search"
        return pages.page(request, "error.html", status=exc.status_code, status_code=exc.status_code, message=message)

    if index_claims:
        threading.Thread(target=state.index_claims_forever, name="newsdesk-claims-index", daemon=True).start()
    state.start_briefing()
    threading.Thread(target=pages.warm_story_list, args=(app,), name="newsdesk-warm", daemon=True).start()
    if warm and writable:
        state.workers.warm(state.options)
    return app


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          max_upload: int = 20 * 1024 * 1024, options: Options | None = None) -> int:
    """Run the app with uvicorn until interrupted. A non-loopback bind always needs a token."""
    import uvicorn

    from . import is_loopback

    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(24)
        print(f"newsdesk: bound to {host}, so writes need a token: {token}", flush=True)
    app = create_app(db, token=token, max_upload=max_upload, options=options, host=host, warm=True)
    shown = f"[{host}]" if ":" in host else host
    print(f"newsdesk: serving {db} at http://{shown}:{port}/ (API docs at /docs)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0
