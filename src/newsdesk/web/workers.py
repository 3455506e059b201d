"""The server's heavy work in child processes: briefs and claims (for the briefer and the claims
indexer) in one, ingests (API, uploads) and the regroups they leave in another. The server process itself only reads the
store and renders: a brief, a claim search or an embedding model run in the server process
would hold its GIL (pure-Python NLP) while requests wait, and load the models into it.

The children are started on first use with "spawn" (the server runs threads: a fork could copy
a held lock); the briefs' child at a lower priority (nice), so that on a small machine the
requests get the CPU first (an ingest's client waits for it: it keeps the server's priority).
A child that dies (killed, out of memory) is replaced on the next call."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..errors import NoNewsError
from ..model import Brief, Item
from ..options import Options

NICE = 5
"""How much lower the children's priority is than the server's."""


ORPHAN_CHECK_SECONDS = 1.0
"""How often a child looks whether the server that started it is still there."""


def _child_start(nice: bool) -> None:
    """Run in each child as it starts: its priority, and a watch on the server. A server that is
    killed (SIGKILL, out of memory) cannot stop its children, and a child left behind would keep
    its models (up to 1.5 GB) and perhaps a store's write lock; so a child ends itself once the
    process that started it is gone (it is then adopted: its parent's pid changes)."""
    if nice:
        try:
            os.nice(NICE)
        except OSError:  # not allowed here: run at the same priority
            pass
    server = os.getppid()

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(ORPHAN_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="newsdesk-orphan-watch", daemon=True).start()


def _warm(options: Options) -> None:
    """Load the embedding model (the first ingest does not wait for it)."""
    from ..embed import get_embedder

    get_embedder(options.embedder).encode(["warm"])


def _brief(items: list[Item], options: Options) -> Brief | None:
    """The brief of a story's items; None when no item has a complete sentence."""
    from ..pipeline import brief

    try:
        return brief(items, options)
    except NoNewsError:
        return None


def _claims(items: list[Item], options: Options):
    from ..pipeline import claims

    return claims(items, options)


def _ingest(db: str, options: Options, items: list[Item]) -> dict[str, int]:
    from ..store import Store

    with Store(db, options) as s:
        return s.ingest(items)


def _regroup(db: str, options: Options) -> bool:
    from ..store import Store

    with Store(db, options) as s:
        return s.regroup()


class Pool:
    """One child process that runs calls one at a time (a ProcessPoolExecutor of one, renewed
    when its child dies)."""

    def __init__(self, name: str, nice: bool):
        self.name = name
        self.nice = nice
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    def call(self, fn, *args):
        for attempt in (1, 2):
            with self._lock:
                if self._closed:
                    raise RuntimeError(f"{self.name}: the server is stopping")
                if self._pool is None:
                    self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                     initializer=_child_start, initargs=(self.nice,))
                pool = self._pool
            try:
                return pool.submit(fn, *args).result()
            except BrokenProcessPool:
                with self._lock:
                    if self._pool is pool:
                        self._pool = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def pids(self) -> list[int]:
        with self._lock:
            return list(self._pool._processes) if self._pool is not None and self._pool._processes else []

    def close(self) -> None:
        """Stop the child now, even in the middle of a call: a brief is lost, an ingest's open
        transaction is rolled back by SQLite (the store stays whole), and the server stops at
        once instead of waiting for a model to load or a regroup to end."""
        with self._lock:
            pool, self._pool, self._closed = self._pool, None, True
        if pool is not None:
            for process in list((pool._processes or {}).values()):
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)


class Workers:
    """The server's two children: `nlp` (briefs, claims) and `ingest`."""

    def __init__(self) -> None:
        self.nlp = Pool("newsdesk-nlp", nice=True)
        self.ingester = Pool("newsdesk-ingest", nice=False)

    def warm(self, options: Options) -> None:
        """Start the ingest child and load its model now, in the background."""
        threading.Thread(target=self.ingester.call, args=(_warm, options), name="newsdesk-warm", daemon=True).start()

    def brief(self, items: list[Item], options: Options) -> Brief | None:
        return self.nlp.call(_brief, items, options)

    def claims(self, items: list[Item], options: Options):
        """newsdesk.claims(items): the ClaimLedger."""
        return self.nlp.call(_claims, items, options)

    def ingest(self, db: str, options: Options, items: list[Item]) -> dict[str, int]:
        return self.ingester.call(_ingest, db, options, items)

    def regroup(self, db: str, options: Options) -> bool:
        return self.ingester.call(_regroup, db, options)

    def pids(self) -> list[int]:
        return self.nlp.pids() + self.ingester.pids()

    def close(self) -> None:
        self.nlp.close()
        self.ingester.close()
