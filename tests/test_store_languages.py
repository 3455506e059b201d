"""The store in several languages: its first ingest chooses the embedder for the languages it
holds (the multilingual model when any item is not in English), reports of one event in
Russian, Ukrainian and English join one story, and a translation is marked as one."""

from __future__ import annotations

import pytest

from newsdesk.errors import NewsdeskError
from newsdesk.ingest import read
from newsdesk.model import Item
from newsdesk.options import Options
from newsdesk.store import Store

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "kursk-multilingual.txt"

pytestmark = pytest.mark.slow  # the multilingual model: about 15 s on two cores


def _rows(store: Store) -> dict[str, tuple]:
    """First words of each stored text -> (status, reason, duplicate_of, story, language, id)."""
    return {text[:30]: tuple(rest) for text, *rest in store.db.execute(
        "SELECT text, status, reason, duplicate_of, story, language, id FROM items")}


def test_first_ingest_in_several_languages_chooses_the_multilingual_model(tmp_path):
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    with Store(tmp_path / "s.db") as store:
        store.ingest(read([EXAMPLE]))
        assert store.db.execute("SELECT value FROM meta WHERE key = 'embedder'").fetchone() == ("multilingual",)
        rows = _rows(store)
    russian, ukrainian, english_copy = rows[lines[1][:30]], rows[lines[2][:30]], rows[lines[4][:30]]
    assert russian[4] == "ru" and ukrainian[4] == "uk"
    assert russian[0] == ukrainian[0] == "used"
    assert russian[3] == ukrainian[3] == rows[lines[0][:30]][3]  # Russian, Ukrainian and English: one story
    # The English line 5 translates the Russian line 2: a copy of it, marked as a translation,
    # in its own language.
    assert english_copy[:3] == ("merged", "translation (en)", russian[5])
    assert english_copy[4] == "en"
    assert rows[lines[5][:30]][0] == "dropped"  # the German consent notice


def test_the_choice_holds_for_later_ingests(tmp_path):
    path = tmp_path / "s.db"
    with Store(path) as store:
        store.ingest([Item(n=1, text="Российские войска вернули под свой контроль часть Курской области, "
                                     "заявили в Министерстве обороны России.")])
    with Store(path) as store:  # the default options ask for MiniLM: the store goes on with its own
        store.ingest([Item(n=1, text="Ukraine's general staff said its units still hold several hundred "
                                     "square kilometres of the Kursk region.")])
        assert store.embedder == "multilingual"
        assert store.db.execute("SELECT count(*) FROM items WHERE status = 'used'").fetchone()[0] == 2
    with Store(path, Options(embedder="hashing")) as store, pytest.raises(NewsdeskError, match="multilingual"):
        store.ingest([Item(n=1, text="Another report on the fighting in the Kursk region this week.")])


def test_an_english_first_ingest_keeps_minilm(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.ingest([Item(n=1, text="Russian troops regained part of the Kursk region, the ministry said.")])
        assert store.db.execute("SELECT value FROM meta WHERE key = 'embedder'").fetchone() == ("minilm",)
    with Store(tmp_path / "t.db", Options(multilingual=False)) as store:
        store.ingest([Item(n=1, text="Российские войска вернули под свой контроль часть Курской области, "
                                     "заявили в Министерстве обороны России.")])
        assert store.embedder == "minilm"


def test_the_web_app_shows_and_filters_languages(tmp_path):
    """The home page offers the store's languages as a filter and lists each story's; the API
    takes the same filter; a story page names the languages of its items."""
    httpx = pytest.importorskip("httpx")
    from .web_support import UCI, Server

    path = tmp_path / "s.db"
    with Store(path) as store:
        store.ingest(read([EXAMPLE]))
        store.ingest(list(read([UCI]))[:40])
    server = Server(path)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            every = client.get("/api/stories").json()["stories"]
            russian = client.get("/api/stories", params={"lang": "ru"}).json()["stories"]
            assert len(every) > 1 and len(russian) == 1
            assert {"en", "ru", "uk"} <= set(russian[0]["languages"])
            assert all(set(s["languages"]) == {"en"} for s in every if s["id"] != russian[0]["id"])
            home = client.get("/", params={"lang": "uk"}).text
            assert '<option value="uk" selected>' in home and home.count('class="story-row"') == 1
            assert '<span lang="ru"' in home
            assert '<span lang="uk">' in client.get(f"/stories/{russian[0]['id']}").text
    finally:
        server.stop()
