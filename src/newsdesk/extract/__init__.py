"""Extraction stages: entities, time expressions, figures and claims, over parsed spaCy Docs."""

from ..nlp import import_spacy

import_spacy()  # before the stage modules import spaCy: keeps torch out of a cold start
