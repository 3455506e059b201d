"""Safety of the web app, in one ASGI middleware and one check for write endpoints.

- Every request: its Host must be one this server answers to (the bound address, or a loopback
  name when bound to loopback): a page elsewhere that rebinds its DNS name to 127.0.0.1 gets 421.
- Every write (POST, PUT, PATCH, DELETE): a cross-site Origin, `Origin: null` (a sandboxed frame,
  a file) included, gets 403; without the token when one is set, 401 before any body is read
  (following a story writes only the browser's own cookie: no token); and the bytes read are
  counted whether the body is chunked or not: past the cap, 413 (the site's error page for a
  browser).
- Every response: a strict Content-Security-Policy and the usual hardening headers; a token given
  as `?token=` is remembered in a cookie.
"""

from __future__ import annotations

import re
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

from fastapi import HTTPException, Request
from starlette.datastructures import Headers
from starlette.responses import JSONResponse

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
TOKEN_COOKIE = "newsdesk_token"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
FORM_WRITES = {"/upload", "/api/jobs"}  # their token may come in the form, read after the body
TOKEN_FREE = re.compile(r"/stories/[^/]+/follow")  # writes nothing but the browser's own cookie
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]", "::1"}
HEADROOM = 65536  # bytes of a body beyond the upload limit (multipart boundaries, form fields)


def allowed_hosts(bound: str | None) -> set[str]:
    """The names a server bound to `bound` answers to (with any port): loopback names when it is
    on loopback (or in tests), else the bound name."""
    from . import is_loopback

    if bound is None or is_loopback(bound):
        return LOOPBACK_NAMES | ({bound} if bound else set())
    return {bound, f"[{bound}]" if ":" in bound else bound}


def _host_name(host: str) -> str:
    """A Host header without its port: "127.0.0.1:8000" -> "127.0.0.1", "[::1]:80" -> "[::1]"."""
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.split(":", 1)[0]


def offered_token(headers: Headers) -> list[str | None]:
    """The tokens a request offers outside its body: header, bearer, cookie."""
    auth = headers.get("authorization", "")
    cookie = SimpleCookie(headers.get("cookie", ""))
    return [headers.get("x-newsdesk-token"), auth[7:] if auth.lower().startswith("bearer ") else None,
            cookie[TOKEN_COOKIE].value if TOKEN_COOKIE in cookie else None]


def _holds(token: str, offered: list[str | None]) -> bool:
    return any(t and secrets.compare_digest(t, token) for t in offered)


class Guard:
    """The ASGI middleware (see the module doc). `state` is the app's WebState."""

    def __init__(self, app, state):
        self.app, self.state = app, state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            return await refusal(scope, receive, send)
        limit = self.state.max_upload + HEADROOM
        length = headers.get("content-length")
        if scope["method"] in WRITES and length and length.isdigit() and int(length) > limit:
            return await self._too_large(scope)(scope, receive, send)
        return await self.app(scope, self._counting(receive, limit), self._securing(scope, send))

    def _refusal(self, scope, headers: Headers):
        if _host_name(headers.get("host", "")) not in self.state.hosts:
            return JSONResponse({"detail": "this server does not answer to that host name"}, status_code=421)
        if scope["method"] not in WRITES:
            return None
        origin = headers.get("origin")
        if origin is not None and (origin == "null" or urlsplit(origin).netloc != headers.get("host")):
            return JSONResponse({"detail": "cross-site request refused"}, status_code=403)
        token = self.state.token
        path = scope["path"]
        if token and path not in FORM_WRITES and not TOKEN_FREE.fullmatch(path) and not _holds(token, offered_token(headers)):
            return JSONResponse({"detail": NEED_TOKEN}, status_code=401)
        return None

    def _too_large(self, scope):
        message = f"upload too large: the limit is {self.state.max_upload / 2**20:g} MB"
        request = Request(scope)
        if wants_html(request):  # a browser's form post gets the site's error page
            from .pages import page

            return page(request, "error.html", status=413, status_code=413, message=message)
        return JSONResponse({"detail": message}, status_code=413)

    def _counting(self, receive, limit: int):
        """`receive`, refusing a body (chunked or not) once more than `limit` bytes have come."""
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, f"upload too large: the limit is {self.state.max_upload / 2**20:g} MB")
            return message

        return counted

    def _securing(self, scope, send):
        docs = scope["path"] == "/docs"
        given = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [None])[0]
        token = self.state.token
        remember = bool(token and given and secrets.compare_digest(given, token))

        async def secured(message):
            if message["type"] == "http.response.start":
                extra = [(b"content-security-policy", (DOCS_CSP if docs else CSP).encode()),
                         # same-origin, not no-referrer: under no-referrer a browser sends `Origin: null`
                         # with its own form posts, which could then not be told from a sandboxed frame's.
                         (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
                         (b"x-frame-options", b"DENY")]
                if remember:
                    extra.append((b"set-cookie", f"{TOKEN_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/".encode()))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return secured


NEED_TOKEN = ("this server needs a token for writes: give --token's value as the X-Newsdesk-Token header, "
              "the form's token field, or open a page with ?token=...")


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not the JSON API)."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def has_token(request: Request) -> bool:
    """Whether the token cookie this server set is there (then forms need no token field)."""
    token, given = request.app.state.newsdesk.token, request.cookies.get(TOKEN_COOKIE)
    return bool(token and given and secrets.compare_digest(given, token))


def authorise(request: Request, form_token: str | None = None) -> None:
    """A write endpoint's own check, for the token given in a form (the middleware has checked
    the host, the origin and the tokens outside the body)."""
    token = request.app.state.newsdesk.token
    if token and not _holds(token, [*offered_token(request.headers), form_token]):
        raise HTTPException(401, NEED_TOKEN)
