"""The store and MiniLM's two graphs: a store records whether its vectors came from the float32
graph ("minilm", also run as "minilm-onnx" or "minilm-torch") or the int8 one ("minilm-int8"),
and an ingest asking for the other is a one-line error instead of mixing the two (their vectors
differ slightly, and every stored vector is compared with every new one)."""

from __future__ import annotations

import pytest

from newsdesk import cluster
from newsdesk import store as store_module
from newsdesk.embed import INT8_RECIPE, HashingEmbedder
from newsdesk.errors import NewsdeskError
from newsdesk.model import Item
from newsdesk.options import Options
from newsdesk.store import Store

from .conftest import run_cli

NEWS = ["Oil prices rose on Tuesday after the producers' cartel agreed to cut its output again.",
        "The central bank left its key interest rate unchanged for the third meeting in a row.",
        "Scientists found water ice in craters near the lunar south pole, the space agency said."]


class _Named:
    """Stands in for MiniLM (384 dimensions, no model to load) and remembers which graph was asked."""

    def __init__(self, asked: list[str], name: str):
        self.inner, self.dim, self.name = HashingEmbedder(384), 384, name
        asked.append(name)

    def encode(self, texts):
        return self.inner.encode(texts)


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    names: list[str] = []
    monkeypatch.setattr(store_module, "get_embedder", lambda name: _Named(names, name))
    # MiniLM's own vectors of the English items of a multilingual store (cluster.english_vectors):
    # not the store's vectors, and no graph to prepare for them (the int8 graph may not be there)
    monkeypatch.setattr(cluster, "get_embedder", lambda name: _Named([], name))
    return names


def _ingest(path, embedder: str, text: str = NEWS[0], **options) -> Store:
    with Store(path, Options(embedder=embedder, **options)) as store:
        store.ingest([Item(n=1, text=text)])
    return store


def _recorded(path) -> str:
    with Store(path, Options(embedder="hashing")) as store:
        return store.db.execute("SELECT value FROM meta WHERE key = 'embedder'").fetchone()[0]


def test_an_int8_store_records_its_graph_and_keeps_it(tmp_path, asked):
    path = tmp_path / "s.db"
    assert _ingest(path, "minilm-int8").embedder == "minilm-int8"
    assert _recorded(path) == "minilm-int8"
    assert _ingest(path, "minilm-int8", NEWS[1]).embedder == "minilm-int8"
    assert set(asked) == {"minilm-int8"}  # no float32 vector ever reached it
    for float32 in ("minilm", "minilm-onnx", "minilm-torch"):
        with pytest.raises(NewsdeskError, match=r"built with the embedder 'minilm-int8', not "
                                                rf"'{float32}': ingest with --embedder minilm-int8$"):
            _ingest(path, float32, NEWS[2])


def test_an_int8_store_of_another_recipe_takes_no_new_items(tmp_path, asked):
    """A changed int8 recipe (embed.INT8_RECIPE) makes another model: a store built with the
    earlier graph refuses the new one in one line; one from before the recipe was recorded was
    built with the first recipe, q3 (no smoothing)."""
    path = tmp_path / "s.db"
    _ingest(path, "minilm-int8")
    with Store(path, Options(embedder="hashing")) as store:
        assert store.db.execute("SELECT value FROM meta WHERE key = 'int8_recipe'").fetchone() == (INT8_RECIPE,)
    for earlier in ("q2", None):
        with Store(path, Options(embedder="hashing")) as store:
            store.db.execute("DELETE FROM meta WHERE key = 'int8_recipe'")
            if earlier:
                store.db.execute("INSERT INTO meta (key, value) VALUES ('int8_recipe', ?)", (earlier,))
            store.db.commit()
        asked.clear()
        with pytest.raises(NewsdeskError, match=rf"the store {path} holds vectors of an earlier int8 graph "
                                                rf"\({earlier or 'q3'}, not {INT8_RECIPE}\): ingest its inputs "
                                                r"into a new store$"):
            _ingest(path, "minilm-int8", NEWS[1])
        assert asked == []  # refused before any vector was made
    with pytest.raises(NewsdeskError, match="built with the embedder 'minilm-int8', not 'minilm'"):
        _ingest(path, "minilm", NEWS[1])  # nor does it take float32 vectors


def test_a_float32_store_refuses_the_int8_graph(tmp_path, asked):
    path = tmp_path / "s.db"
    _ingest(path, "minilm")
    with pytest.raises(NewsdeskError, match=r"built with the embedder 'minilm', not 'minilm-int8': "
                                            r"ingest with --embedder minilm$"):
        _ingest(path, "minilm-int8", NEWS[1])
    assert _ingest(path, "minilm-onnx", NEWS[1]).embedder == "minilm-onnx"  # the same graph, another runtime
    assert "minilm-int8" not in asked and _recorded(path) == "minilm"


def test_a_store_from_before_the_record_is_float32(tmp_path, asked):
    """A store written before the embedder was recorded holds float32 MiniLM vectors."""
    path = tmp_path / "s.db"
    with Store(path, Options(embedder="minilm")) as store:
        store.ingest([Item(n=1, text=NEWS[0])])
        store.db.execute("DELETE FROM meta WHERE key = 'embedder'")
        store.db.commit()
    with pytest.raises(NewsdeskError, match="holds vectors of another embedder than 'minilm-int8'"):
        _ingest(path, "minilm-int8", NEWS[1])
    assert _ingest(path, "minilm", NEWS[1]).embedder == "minilm"


def test_a_multilingual_store_goes_on_when_int8_is_asked(tmp_path, asked):
    """As with float32 MiniLM: a store begun in other languages keeps the multilingual model."""
    path = tmp_path / "s.db"
    russian = "Российские войска вернули под свой контроль часть Курской области, заявили в Министерстве обороны."
    assert _ingest(path, "minilm-int8", russian).embedder == "multilingual"
    assert _ingest(path, "minilm-int8", NEWS[0]).embedder == "multilingual"
    assert "minilm-int8" not in asked


def test_the_command_line_says_it_in_one_line(tmp_path, asked):
    path = tmp_path / "s.db"
    _ingest(path, "minilm")
    news = tmp_path / "news.txt"
    news.write_text(NEWS[1] + "\n", encoding="utf-8")
    done = run_cli("ingest", str(news), "--db", str(path), "--embedder", "minilm-int8")
    assert done.returncode == 2
    assert done.stderr.decode().strip().splitlines() == [
        f"newsdesk: error: the store {path} was built with the embedder 'minilm', not 'minilm-int8': "
        "ingest with --embedder minilm"]
