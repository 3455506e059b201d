"""A neural attribution tagger: a small bidirectional LSTM over spaCy tokens that labels each
token as part of a source, a cue or a content span (the BIO tags of extract.attribution_tagger),
one paragraph at a time, run in numpy (no torch at run time).

The weights (data/attribution_lstm-{0,1,2}.npz, float16: three seeds, their softmax averaged)
are trained by
benchmarks/train_neural_attribution.py on the train split of PolNeAR v1.0.0 (Newell et al.,
2018), whose upstream states no licence: the shipped weights, and the feature vocabulary stored
with them, are derived from that data and are documented as such.

Each token's input is the sum of learned embeddings of the CRF tagger's own per-token features
(attribution_tagger.sequence_features without its window copies, doc_fields: word, lemma, POS,
dependency, head, quotation state, nearest cue, the learned cue lexicon's rates and the span the
hand-written rules give the token), next to spaCy's tok2vec vector of the token (doc.tensor,
96 numbers the parse computes anyway; recomputed with the pipeline's tok2vec where a doc lacks
it). Tagging reads the softmax like attribution_tagger.tag reads the CRF's marginals: each token
takes the kind of largest probability (B- and I- summed), O's weighed by `outside`.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from functools import lru_cache, reduce
from pathlib import Path

import numpy as np

from . import attribution_tagger

# The shipped networks: the same model trained from three seeds, their softmax averaged (on 120
# held-out train articles one scores source F1 0.768-0.769, the three together 0.780).
MODELS = tuple(Path(__file__).resolve().parents[1] / "data" / f"attribution_lstm-{seed}.npz" for seed in range(3))
LABELS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
TENSOR_DIM = 96


class Model:
    """The weights of one or more networks trained on the same feature vocabulary (files written
    by benchmarks/train_neural_attribution.py), as float32 arrays; their softmax is averaged."""

    words: list[str]
    outside: float
    layers: int

    def __init__(self, paths: list[Path]):
        self.nets: list[dict[str, np.ndarray]] = []
        vocab = None
        for path in paths:
            w = _arrays(path)
            raw = bytes(w.pop("vocab"))
            if vocab is None:
                vocab, self.words = raw, raw.decode("utf-8").split("\n")
            elif raw != vocab:  # the same bytes, the same strings: decoded once
                raise ValueError(f"{path}: another feature vocabulary than {paths[0]}")
            if len(self.words) != len(w["emb"]):
                raise ValueError(f"{path}: {len(self.words)} feature strings for {len(w['emb'])} embeddings")
            settings = (float(w.pop("outside")), int(w.pop("layers")))
            if self.nets and settings != (self.outside, self.layers):
                raise ValueError(f"{path}: other settings than {paths[0]}")
            self.outside, self.layers = settings
            # The embedding table stays as stored (float16, mapped from the cache): the few rows
            # a text uses are made float32 where they are summed (_embed), the same numbers.
            self.nets.append({k: v if k == "emb" else v.astype(np.float32) for k, v in w.items()})
        self.vocab = {s: i for i, s in enumerate(self.words)}
        self.unknown = {s.split("=", 1)[0]: i for s, i in self.vocab.items() if s.endswith("=<unk>")}

    def ids(self, fields: list[str]) -> list[int]:
        get = self.vocab.get
        out = [get(s) for s in fields]
        if None in out:
            out = [self.unknown.get(s.split("=", 1)[0]) if i is None else i for s, i in zip(fields, out)]
        return [i for i in out if i is not None]

    def probabilities(self, paragraphs: list[tuple[list[list[str]], np.ndarray]]) -> list[np.ndarray]:
        """(tokens, LABELS) softmax of each paragraph, given as (fields per token, tensor rows),
        averaged over the networks."""
        ids = [[self.ids(f) for f in fields] for fields, _ in paragraphs]
        tensors = [tensor.astype(np.float32) for _, tensor in paragraphs]
        # One BLAS thread: the LSTM's steps are small products, which more threads only slow
        # (OpenBLAS's threads spun for about a second of CPU per brief of the seed, same results).
        with _threadpools().limit(limits=1, user_api="blas"):
            runs = [self._softmax(net, ids, tensors) for net in self.nets]
        return [reduce(np.add, ps) / len(ps) for ps in zip(*runs)]  # the sum of the softmaxes, in net order

    def _softmax(self, w: dict, ids: list[list[list[int]]], tensors: list[np.ndarray]) -> list[np.ndarray]:
        """One network's softmax; the paragraphs (and both directions) run through the LSTM
        together, padded."""
        xs = [np.concatenate([_embed(w["emb"], rows), tensor], axis=1) for rows, tensor in zip(ids, tensors)]
        for layer in range(self.layers):
            weights = [tuple(w[f"l{layer}{d}_{n}"] for n in ("wi", "wh", "b")) for d in "fb"]
            xs = _bilstm(xs, *weights)
        out = []
        for x in xs:
            logits = x @ w["out_w"] + w["out_b"]
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            out.append(p / p.sum(axis=1, keepdims=True))
        return out


@lru_cache(maxsize=1)
def _threadpools():
    """threadpoolctl's view of the loaded BLAS libraries (numpy's among them, loaded with it),
    made once: finding them scans every loaded library, 3 ms a paragraph batch otherwise."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _embed(table: np.ndarray, ids: list[list[int]]) -> np.ndarray:
    """(tokens, dim): the sum of each token's feature embeddings, in float32."""
    if len({len(i) for i in ids}) == 1:
        return table[np.array(ids)].astype(np.float32).sum(axis=1)
    return np.stack([table[i].astype(np.float32).sum(axis=0) for i in ids])


def _bilstm(xs: list[np.ndarray], forward: tuple, backward: tuple) -> list[np.ndarray]:
    """A bidirectional LSTM layer (torch's gate order i, f, g, o; wi (in, 4H), wh (H, 4H)) over
    sequences of several lengths at once: each direction's sequences are left-aligned (the
    backward ones reversed) and padded at the end, which leaves the real steps untouched."""
    hidden = forward[1].shape[0]
    lengths = [len(x) for x in xs]
    steps, n = max(lengths), len(xs)
    gates_in = np.zeros((2, n, steps, 4 * hidden), np.float32)
    for k, x in enumerate(xs):
        gates_in[0, k, :len(x)] = x @ forward[0] + forward[2]
        gates_in[1, k, :len(x)] = x[::-1] @ backward[0] + backward[2]
    wh = np.stack([forward[1], backward[1]])  # (2, H, 4H)
    h = np.zeros((2, n, hidden), np.float32)
    c = np.zeros((2, n, hidden), np.float32)
    out = np.empty((2, n, steps, hidden), np.float32)
    for t in range(steps):
        g = gates_in[:, :, t] + h @ wh
        gate = _sigmoid(g)  # i, f and o; the cell candidate's quarter takes tanh instead
        c = gate[..., hidden:2 * hidden] * c + gate[..., :hidden] * np.tanh(g[..., 2 * hidden:3 * hidden])
        h = gate[..., 3 * hidden:] * np.tanh(c)
        out[:, :, t] = h
    return [np.concatenate([out[0, k, :m], out[1, k, :m][::-1]], axis=1) for k, m in enumerate(lengths)]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def _arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays of the network file `path`. The shipped networks are kept unpacked in the
    cache and mapped from there: inflating their compressed .npz files cost a start 0.07 s of
    CPU. Other files (a network being trained) are read as they are."""
    from ..diskcache import cached_file, mapped_arrays, source_key, write_arrays

    def unpack(target: Path) -> None:
        with np.load(path) as z:
            write_arrays(target, {k: z[k] for k in z.files})

    shipped = path in MODELS
    key = source_key("attribution-lstm", files=(path,))
    unpacked = cached_file(f"{path.stem}-{key}.arrays", unpack) if shipped else None
    if unpacked is not None:
        try:
            return mapped_arrays(unpacked)
        except (OSError, ValueError):  # a damaged cache file: the shipped one still serves
            pass
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


@lru_cache(maxsize=2)
def load(path: str | None = None) -> Model | None:
    """The tagger: the network at `path`, or the shipped ones; None when a file is missing."""
    paths = [Path(path)] if path else list(MODELS)
    return Model(paths) if all(p.exists() for p in paths) else None


def doc_tensor(doc) -> np.ndarray:
    """spaCy's tok2vec vector of every token: doc.tensor, or computed with the pipeline's tok2vec
    where the doc has none (pipeline.parse_spans joins docs without their tensors)."""
    tensor = np.asarray(doc.tensor)
    if tensor.ndim == 2 and tensor.shape == (len(doc), TENSOR_DIM):
        return tensor
    from ..nlp import load_spacy

    return np.asarray(load_spacy().get_pipe("tok2vec").predict([doc])[0])


def tag(doc, rules: list[str], cues: AbstractSet[str], model: Model, lexicon: dict[str, float] | None = None,
        outside: float | None = None, tensor: np.ndarray | None = None) -> list[str]:
    """BIO labels ('B-SRC', 'I-CON', 'O', ...) for every token of the doc, as
    attribution_tagger.tag gives them (the same arguments, `model` for the CRF tagger; a Model
    is only read, so threads can share one without a lock)."""
    outside = model.outside if outside is None else outside
    tensor = doc_tensor(doc) if tensor is None else tensor
    labels = ["O"] * len(doc)
    sequences = list(doc_fields(doc, rules, cues, lexicon))
    if not sequences:
        return labels
    probs = model.probabilities([(fields, tensor[indices]) for indices, fields in sequences])
    for (indices, _), p in zip(sequences, probs):
        decode(p, indices, labels, outside)
    return labels


def doc_fields(doc, rules: list[str], cues: AbstractSet[str], lexicon: dict[str, float] | None = None):
    """(token indices, 'key=value' strings of each token's CRF features) per paragraph of the
    doc: what attribution_tagger.doc_sequences gives the CRF, less the neighbours' copies (the
    LSTM reads the neighbours themselves)."""
    lexicon = attribution_tagger.cue_lexicon() if lexicon is None else lexicon
    words = attribution_tagger.cue_words(cues, lexicon)
    for indices in attribution_tagger.paragraphs(doc):
        base = attribution_tagger.base_features(doc, indices, rules, words, lexicon)
        yield indices, [[f"{k}={v}" for k, v in feats.items() if k != "bias"] for feats in base]


def decode(probs: np.ndarray, indices: list[int], labels: list[str], outside: float) -> None:
    """Write the BIO labels of one paragraph's tokens from their LABELS probabilities."""
    kinds = ("O",) + attribution_tagger.KINDS
    previous = "O"
    for t, i in enumerate(indices):
        p = probs[t]
        k = int(np.argmax((p[0] * outside, p[1] + p[2], p[3] + p[4], p[5] + p[6])))  # the first on a tie
        kind = kinds[k]
        if kind != "O":
            begins = p[2 * k - 1] > p[2 * k]
            labels[i] = ("I-" if previous == kind and not begins else "B-") + kind
        previous = kind
