"""A fast start: commands import only what they use. Behaviour, not time (times are in
benchmarks/cold_start.py): which heavy libraries a fresh process has imported after a command."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import BOILERPLATE, KURSK, need

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
    for theirs, ours in ((chars.transform(texts), clean._hashed([clean._char_grams(t) for t in texts])),
                         (words.transform(texts), clean._hashed([clean._word_grams(t) for t in texts]))):
        assert ours.shape == theirs.shape
        assert ours.nnz == theirs.nnz > 0
        assert (ours != theirs).nnz == 0
