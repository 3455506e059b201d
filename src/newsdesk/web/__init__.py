"""The web app over a store (FastAPI + uvicorn, server-rendered pages): `newsdesk serve`.

Kept free of web imports, so that the command line can check addresses without the `web` extra."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: the only binds that need no token."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
