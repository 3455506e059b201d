"""`newsdesk serve`: the web app over a store (needs the `web` extra only when run)."""

from __future__ import annotations

from ..errors import NewsdeskError
from . import _util

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add(commands) -> None:
    parser = commands.add_parser(
        "serve", help="a local web app over the store: stories, briefs, search, upload (needs the `web` extra)",
        description="Serve the stories of the store in a browser, with a JSON API and OpenAPI docs at /docs. "
        "Binds 127.0.0.1 unless told otherwise; bound to any other address, write endpoints require a token "
        "(--token, or one generated and printed).")
    parser.add_argument("--db", metavar="FILE", help=_util.DB_HELP)
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default: {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    parser.add_argument("--token", metavar="TOKEN", help="require this token for uploads, pastes and ingests "
                        "(always required, and generated when none is given, if --host is not a loopback address)")
    parser.add_argument("--max-upload-mb", type=float, default=20.0, metavar="MB", help="largest upload (default: 20)")
    _util.add_options_argument(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    try:
        from ..web.app import serve
    except ImportError as exc:
        raise NewsdeskError(f"`newsdesk serve` needs the web extra: pip install 'newsdesk[web]' ({exc})", code=2) from None
    return serve(_util.db_path(args), host=args.host, port=args.port, token=args.token,
                 max_upload=int(args.max_upload_mb * 1024 * 1024), options=_util.options_from(args))
