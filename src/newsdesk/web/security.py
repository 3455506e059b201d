"""Safety of the web app: headers on every response, an upload cap, and the checks that write
endpoints pass (same origin, and the token whenever one is set)."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
TOKEN_COOKIE = "newsdesk_token"
WRITES = ("POST", "PUT", "PATCH", "DELETE")


async def guard(request: Request, call_next):
    """Refuse a body over the cap before reading it; add the security headers; remember a
    token given as ?token= in a cookie."""
    state = request.app.state.newsdesk
    if request.method in WRITES:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > state.max_upload + 65536:
            message = f"upload too large: the limit is {state.max_upload // (1024 * 1024)} MB"
            response: Response
            if wants_html(request):  # a browser's form post gets the site's error page
                from .pages import page

                response = page(request, "error.html", status=413, status_code=413, message=message)
            else:
                response = JSONResponse({"detail": message}, status_code=413)
            response.headers["Connection"] = "close"  # the body is not read
            return _secured(request, response)
    response = await call_next(request)
    return _secured(request, response)


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not the JSON API)."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _secured(request: Request, response):
    state = request.app.state.newsdesk
    response.headers["Content-Security-Policy"] = DOCS_CSP if request.url.path == "/docs" else CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    given = request.query_params.get("token")
    if state.token and given and secrets.compare_digest(given, state.token):
        response.set_cookie(TOKEN_COOKIE, state.token, httponly=True, samesite="strict")
    return response


def same_origin(request: Request) -> None:
    """A form post from another site is refused (403)."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, "cross-site request refused")


def has_token(request: Request) -> bool:
    """Whether the token cookie this server set is there (then forms need no token field)."""
    token, given = request.app.state.newsdesk.token, request.cookies.get(TOKEN_COOKIE)
    return bool(token and given and secrets.compare_digest(given, token))


def authorise(request: Request, form_token: str | None = None) -> None:
    """Write endpoints: same-origin only, and the token when one is set (header
    `X-Newsdesk-Token` or `Authorization: Bearer`, the form's token field, or the cookie)."""
    token = request.app.state.newsdesk.token
    same_origin(request)
    if token is None:
        return
    auth = request.headers.get("authorization", "")
    offered = [request.headers.get("x-newsdesk-token"), auth[7:] if auth.lower().startswith("bearer ") else None,
               form_token, request.cookies.get(TOKEN_COOKIE)]
    if not any(t and secrets.compare_digest(t, token) for t in offered):
        raise HTTPException(401, "this server needs a token for writes: give --token's value as the X-Newsdesk-Token "
                            "header, the form's token field, or open a page with ?token=...")
