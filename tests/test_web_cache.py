"""The web app's page cache (WebState.cached_page): concurrent requests for a page not rendered
yet render it once, and the story list's previous version, shown while the new one renders,
says that it is being updated and how many items it lacks."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("fastapi")

from newsdesk.model import Item
from newsdesk.options import Options
from newsdesk.store import Store
from newsdesk.web import state as web_state
from newsdesk.web.state import UPDATING, WebState

OPTIONS = Options(embedder="hashing")
TEXTS = ["Dockers in Zanzibar vote to strike over pay, the union said on Monday.",
         "Rain floods the lower town of Kotor after a week of storms, officials said.",
         "The central bank of Iceland raises its rate by half a point to 9.25 percent."]


def _state(tmp_path, texts=TEXTS) -> WebState:
    db = tmp_path / "cache.db"
    with Store(db, OPTIONS) as store:
        store.ingest([Item(n=k, text=t) for k, t in enumerate(texts, 1)])
    return WebState(db=str(db), options=OPTIONS, token=None, max_upload=1, hosts={"127.0.0.1"})


def _add(state: WebState, texts: list[str]) -> None:
    with Store(state.db, OPTIONS) as store:
        store.ingest([Item(n=k, text=t) for k, t in enumerate(texts, 1)])


class SlowPage:
    """A render that takes `seconds` and counts its calls; its HTML has the cache's markers."""

    def __init__(self, body: str, seconds: float = 0.0):
        self.body, self.seconds, self.calls = body, seconds, 0
        self.lock = threading.Lock()

    def __call__(self) -> str:
        with self.lock:
            self.calls += 1
        time.sleep(self.seconds)
        return self.html()

    def html(self) -> str:
        return f"<head>{UPDATING[1]}</head><main><h1>Stories</h1>{UPDATING[0]}<p>{self.body}</p></main>"


def _concurrently(n: int, call) -> list[str]:
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(call())) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.parametrize("slot", [None, ("/", "")])
def test_concurrent_misses_render_a_page_once(tmp_path, slot):
    state = _state(tmp_path)
    if slot is not None:  # a previous version exists: the new one renders in the background
        state.cached_page((0, "/"), SlowPage("old"), slot)
    slow = SlowPage("new", seconds=0.5)
    key = (state.version() + 1, "/")
    pages = _concurrently(20, lambda: state.cached_page(key, slow, slot))
    time.sleep(0.6)  # the background render ends
    assert slow.calls == 1
    assert len(pages) == 20
    assert state.cached_page(key, SlowPage("never")) == slow.html()  # kept: served again without rendering
    if slot is None:  # all waited for the one render
        assert set(pages) == {slow.html()}
    else:  # none waited past FRESH_WAIT: they got the previous version, which says it is updating
        assert all("<p>old</p>" in p and "Updating: this list was made at" in p for p in pages)


def test_a_previous_page_says_it_is_updating_and_what_it_lacks(tmp_path):
    state = _state(tmp_path)
    slot = ("/", "")
    first = state.cached_page((state.version(), "/"), SlowPage("v1"), slot)
    assert "Updating" not in first and "refresh" not in first  # a page shown as current says nothing
    _add(state, ["Fishermen in Tromso protest new quota rules outside the ministry, police said.",
                 "A heatwave closes schools across the south of Spain for a third day, officials said."])
    slow = SlowPage("v2", seconds=1.0)
    shown = state.cached_page((state.version(), "/"), slow, slot)
    assert "<p>v1</p>" in shown
    note = shown[shown.index('<p class="updating"'):]
    assert "2 new items arrived since" in note and "reloads" in note
    assert '<meta http-equiv="refresh" content="3">' in shown  # in the head: the browser asks again
    time.sleep(1.2)
    fresh = state.cached_page((state.version(), "/"), SlowPage("never"), slot)
    assert fresh == slow.html() and "Updating" not in fresh and slow.calls == 1


def test_only_the_times_moved_says_no_new_items(tmp_path):
    """Same store version, a new minute (the key changed, the data did not): no false claim."""
    state = _state(tmp_path)
    slot = ("/", "")
    state.cached_page((state.version(), "/", 1), SlowPage("v1"), slot)
    shown = state.cached_page((state.version(), "/", 2), SlowPage("v1b", seconds=0.6), slot)
    assert "<p>v1</p>" in shown
    assert "new item" not in shown and "changed since" not in shown and "Updating: this list was made at" in shown
    time.sleep(0.7)


def test_an_old_previous_page_is_not_shown(tmp_path, monkeypatch):
    state = _state(tmp_path)
    slot = ("/", "")
    state.cached_page((state.version(), "/", 1), SlowPage("v1"), slot)
    monkeypatch.setattr(web_state, "STALE_FOR", 0.0)  # the previous page is too old to show
    time.sleep(0.01)
    shown = state.cached_page((state.version(), "/", 2), SlowPage("v2", seconds=0.4), slot)
    assert "<p>v2</p>" in shown and "Updating" not in shown


def test_a_failed_background_render_keeps_the_previous_page_and_is_tried_again(tmp_path, capsys):
    state = _state(tmp_path)
    slot = ("/", "")
    state.cached_page((state.version(), "/", 1), SlowPage("v1"), slot)

    def broken() -> str:
        raise RuntimeError("the store went away")

    key = (state.version(), "/", 2)
    shown = state.cached_page(key, broken, slot)
    time.sleep(0.1)
    assert "<p>v1</p>" in shown and "Updating" in shown
    assert "page render: RuntimeError: the store went away" in capsys.readouterr().err
    assert "<p>v2</p>" in state.cached_page(key, SlowPage("v2"), slot)  # the next request renders it


def test_the_story_list_is_rendered_when_the_server_starts(tmp_path):
    """(create_app runs warm_story_list in a thread) its first visitors find the list made."""
    from types import SimpleNamespace

    from newsdesk.web.pages import warm_story_list

    state = _state(tmp_path)
    warm_story_list(SimpleNamespace(state=SimpleNamespace(newsdesk=state)))
    [(key, page)] = state._pages.items()
    assert key[0] == state.version() and key[1:3] == ("/", "")  # the key a visit of / has
    assert "Zanzibar" in page and "Iceland" in page and UPDATING[0] in page
