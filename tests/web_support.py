"""Shared by the web tests: a real store built from real data, and the real server on a free port."""

from __future__ import annotations

import functools
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

from .conftest import DATA, KURSK, need

UCI = DATA / "uci-news" / "uci-news-aggregator-999.csv"
SCREENS = Path(tempfile.gettempdir()) / "newsdesk-web-screens"

# News text is untrusted: these items try every way to run script in a page.
XSS = [
    'Zanzibar dockers strike: <script>window.__xss = "script"; alert(1)</script> union says 40% walked out, officials said.',
    'Zanzibar port strike enters second day <img src=x onerror="window.__xss=\'img\'; alert(2)"> as ships queue offshore.',
    'Zanzibar strike talks stall, the union said <a href="javascript:window.__xss=\'link\'">read more</a> on Tuesday.',
    'Zanzibar port authority says strike <svg onload="window.__xss=\'svg\'"></svg> costs 2 million dollars a day.',
    'Zanzibar strike: "<iframe src=javascript:window.__xss=1>" and </textarea><script>window.__xss=5</script> quoted.',
]


@functools.lru_cache(maxsize=1)
def store_path() -> Path:
    """200 real UCI headlines, the real Kursk snippets and the XSS items, ingested once per run."""
    import newsdesk
    from newsdesk.model import Item
    from newsdesk.store import Store

    need(UCI)
    need(KURSK)
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-web-"))
    path = folder / "web.db"
    items = list(newsdesk.read(str(UCI)))[:200] + list(newsdesk.read(str(KURSK)))
    items += [Item(n=len(items) + k, text=t, source="Zanzibar Wire" if k % 2 else "<b>Evil</b> Outlet",
                   url="javascript:window.__xss='url'" if k == 0 else None) for k, t in enumerate(XSS)]
    with Store(path) as store:
        store.ingest(items)
    return path


def copy_store() -> Path:
    src = store_path()
    dst = Path(tempfile.mkdtemp(prefix="newsdesk-web-")) / "web.db"
    shutil.copy(src, dst)
    return dst


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The real app under uvicorn in a thread, on 127.0.0.1 and a free port."""

    def __init__(self, db: Path, **kwargs):
        pytest.importorskip("fastapi")
        import uvicorn

        from newsdesk.web.app import create_app

        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(db, **kwargs)
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started:
            assert time.time() < deadline, "the server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def story_page(client, sid: str, timeout: float = 300) -> str:
    """A story page with its brief: while the background briefer is still making it, the page
    says so (and reloads itself, as a browser would): fetch it again until it has the brief."""
    deadline = time.time() + timeout
    while True:
        page = client.get(f"/stories/{sid}").text
        if 'class="pending' not in page:
            return page
        assert time.time() < deadline, f"the brief of {sid} was never made"
        time.sleep(1)
