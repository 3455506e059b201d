"""The web app over a store (FastAPI + uvicorn, server-rendered pages): `newsdesk serve`.

Kept free of web imports, so that the command line can check addresses without the `web` extra."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1 and localhost: the only binds that need no token (another
    address of 127.0.0.0/8 may be shared with other users' services)."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name) in (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))
    except ValueError:
        return False
