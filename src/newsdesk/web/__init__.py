"""`newsdesk serve`: a local web app over the store (FastAPI + uvicorn, server-rendered pages).

Only this module is imported by the command line when it builds its parser, so that the web
dependencies (the `web` extra) are needed only to serve."""

from __future__ import annotations

import ipaddress

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: the only binds that need no token."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def add_serve_command(commands) -> None:
    serve = commands.add_parser(
        "serve", help="a local web app over the store: stories, briefs, search, upload (needs the `web` extra)",
        description="Serve the stories of the store in a browser, with a JSON API and OpenAPI docs at /docs. "
        "Binds 127.0.0.1 unless told otherwise; bound to any other address, write endpoints require a token "
        "(--token, or one generated and printed).")
    serve.add_argument("--db", metavar="FILE", help="the store (default: $NEWSDESK_DB or ./newsdesk.db)")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default: {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    serve.add_argument("--token", metavar="TOKEN", help="require this token for uploads, pastes and ingests "
                       "(always required, and generated when none is given, if --host is not a loopback address)")
    serve.add_argument("--max-upload-mb", type=float, default=20.0, metavar="MB", help="largest upload (default: 20)")
    serve.set_defaults(run=_serve)


def _serve(args) -> int:
    from ..errors import NewsdeskError

    try:
        from .app import serve
    except ImportError as exc:
        raise NewsdeskError(f"`newsdesk serve` needs the web extra: pip install 'newsdesk[web]' ({exc})", code=2) from None
    from ..cli_stories import default_db

    return serve(args.db or default_db(), host=args.host, port=args.port, token=args.token,
                 max_upload=int(args.max_upload_mb * 1024 * 1024))
