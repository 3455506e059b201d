"""Extraction stages: entities, time expressions, figures and claims, over parsed spaCy Docs.

Importing them does not import spaCy (about 0.4 s): a Doc to read means that spaCy has been
imported already, through newsdesk.nlp.import_spacy, which keeps torch out."""
