"""Claims, figures and dates in other languages, by rule (no parser needed).

The English stages read a spaCy parse; for most other languages no pipeline with weights
installs from PyPI, so this package reads the words themselves, with a table per language
under `data/` (cues_xx.tsv, figures_xx.tsv, dates_xx.tsv, actors_multilingual.tsv):

* :func:`claims_in_language` (extract.multilingual.claims): who said what, with exact spans,
  the speaker normalised to the English names ("Минобороны России" -> "Russian Ministry of
  Defence", "Kiew" -> "Government of Ukraine");
* :func:`figures_in_language` (extract.multilingual.figures): "63,2 %", "15.000",
  "несколько сотен квадратных километров", with English units and measures;
* :func:`times_in_language` (extract.multilingual.times): "в пятницу", "am vergangenen
  Freitag", "vendredi dernier", resolved against the publication date;
* :func:`entities_in_language` (extract.multilingual.entities): people, organisations and
  state bodies under their English names ("Министерстве обороны России" -> Russian Ministry of
  Defence), and the gazetteer's places as written ("Kursk").

Languages: Russian, Ukrainian, German, French, Spanish, Polish, Italian (SUPPORTED). Items in
other languages get nothing (an empty list), never a wrong guess.
"""

from __future__ import annotations

from datetime import datetime

from ...model import Claim, Item, Mention, Quantity
from .actors import normalise_foreign
from .claims import SUPPORTED, claims_in_language
from .entities import entities_in_language
from .figures import figures_in_language
from .times import times_in_language

__all__ = ["SUPPORTED", "supports", "states", "claims_in_language", "figures_in_language", "times_in_language", "normalise_foreign",
           "extract_in_language", "entities_in_language"]


def supports(language: str | None) -> bool:
    """Whether these rules read items in `language` ("ru", "de-AT", ...)."""
    return (language or "").split("-")[0].split("_")[0].lower() in SUPPORTED


def states(cue: str) -> bool:
    """Whether a cue of another language states what follows: a verb of saying, reporting or
    finding, or an "according to" word ("заявили", "teilte mit", "a affirmé", "selon"); not one
    that distances the reporter ("утверждает", "prétend"). newsdesk.extract.quantities.stated_by
    asks this of the cues its English lemmas do not know."""
    from .lexicon import table, tokens

    words = [t.text for t in tokens(cue) if t.is_word]
    for language in SUPPORTED:
        cues = table(f"cues_{language}.tsv")
        for word in words:
            if cues.has("according", word) or cues.has("according_after", word):
                return True
            verb = cues.entry("verb", word)
            if verb is not None:
                return "hedging" not in verb.value
    return False


def extract_in_language(item: Item, published: datetime | None = None) -> tuple[list[Claim], list[Quantity], list[Mention]]:
    """(claims, figures, times) of one item in another language; each figure inside a claim
    carries the claim's speaker, actor and date, as the English stage gives them."""
    figures = figures_in_language(item)
    claims = claims_in_language(item, figures=figures)
    attributed = {(q.start, q.end): q for c in claims for q in c.quantities}
    when = published or item.published
    as_of = when.date().isoformat() if isinstance(when, datetime) else None
    figures = [attributed.get((q.start, q.end)) or (q if q.as_of or not as_of else _as_of(q, as_of)) for q in figures]
    return claims, figures, times_in_language(item, published)


def _as_of(figure: Quantity, as_of: str) -> Quantity:
    from dataclasses import replace

    return replace(figure, as_of=as_of)
