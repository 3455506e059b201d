"""Files that newsdesk derives once from installed packages and keeps under the user's cache
directory, so that a fresh process starts fast (issue 20).

Each file's name carries a key of everything it is derived from (package versions, the source
file's size and modification time, a format number), so that an upgrade or a changed source
never reuses a stale file: a new key is a new file. Files are written to a temporary name and
renamed into place, so a reader never sees half a file; a cache that cannot be written (a
read-only home) costs only the speed-up, never the result.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path:
    """``$NEWSDESK_CACHE``, else ``$XDG_CACHE_HOME/newsdesk``, else ``~/.cache/newsdesk``."""
    env = os.environ.get("NEWSDESK_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "newsdesk"


def source_key(*parts: object, files: tuple[Path, ...] = ()) -> str:
    """A short key of `parts` and of each file's size and modification time (a stat, not a hash
    of the file: the cheap check is the point of the cache)."""
    stats = [f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files]
    return hashlib.sha256("\0".join(map(str, [*parts, *stats])).encode()).hexdigest()[:12]


def cached_file(name: str, make: Callable[[Path], object]) -> Path | None:
    """The cache file `name`, made by `make(path)` (which writes it) when missing; None when
    the cache cannot be written, and the caller then derives what it needs the slow way."""
    target = cache_dir() / name
    if target.is_file():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{name}.", suffix=".tmp")
        os.close(fd)
    except OSError:
        return None
    try:
        make(Path(temporary))
        os.replace(temporary, target)
    except OSError:
        return None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target
