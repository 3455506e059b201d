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
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal


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


def write_arrays(path: Path, arrays: dict) -> None:
    """The numpy `arrays` (name -> array) into the file `path`, for :func:`mapped_arrays`: a
    record of their names, then each array, each record as a .npy file holds it (no pickle)."""
    import numpy as np

    with open(path, "wb") as out:
        np.lib.format.write_array(out, np.array(list(arrays)), allow_pickle=False)
        for array in arrays.values():
            np.lib.format.write_array(out, np.asarray(array), allow_pickle=False)


_MAP_FROM_BYTES = 1 << 16  # smaller arrays are read: mapping pays off on big ones


def mapped_arrays(path: Path) -> dict:
    """Name -> array of a file that :func:`write_arrays` wrote, read-only. Big arrays are mapped
    from the file, not read: a start reads only the pages it touches, and nothing is checked or
    inflated as from an .npz. ValueError when the file is damaged or cut short."""
    import numpy as np

    headers = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        names = np.lib.format.read_array(f, allow_pickle=False).tolist()
        arrays = {}
        for name in names:
            version = np.lib.format.read_magic(f)
            if version not in headers:
                raise ValueError(f"{path}: unknown .npy version {version}")
            shape, fortran, dtype = headers[version](f)
            order: Literal["F", "C"] = "F" if fortran else "C"
            offset = f.tell()
            nbytes = math.prod(shape) * dtype.itemsize
            if offset + nbytes > size:
                raise ValueError(f"{path}: cut short")
            if nbytes < _MAP_FROM_BYTES:
                arrays[name] = np.frombuffer(f.read(nbytes), dtype=dtype).reshape(shape, order=order)
            else:
                arrays[name] = np.asarray(np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape,
                                                    order=order))
                f.seek(offset + nbytes)
    return arrays
