"""Names in other languages, by rule: the people and organisations of
`data/actors_multilingual.tsv` ("Путин" -> Vladimir Putin, "НАТО" -> NATO, "Kreml" -> the
Kremlin) and the places of the English gazetteer written the same way in the text ("Kursk",
"Sudzha" in a German or Polish report). Each mention carries the English name, so the brief
lists one entity for "Путина", "Putins" and "Putin"; its offsets point into the original.

No parser is needed, and none guesses: a capitalised word the tables do not know is no entity
(German capitalises every noun), a one-word place at the start of a sentence is left out
("Como" begins Spanish sentences), and a country or capital word is left to the speaker rules
(the tables map "Kiew" to Ukraine, the actor that speaks from it, not to the city)."""

from __future__ import annotations

from ...model import Item, Mention
from ..entities import gazetteer
from .actors import actor_table, normalise_foreign
from .lexicon import Token, tokens

KINDS = {"person": "PERSON", "org": "ORG"}
INSTITUTIONS = ("ministry", "military", "actor")
"""Kinds that begin the name of a state body: with the words after them that the table knows
(portfolio, place, function words: "Министерство обороны России", "Generalstab der ukrainischen
Armee") they are normalised as a speaker is (newsdesk.extract.multilingual.actors)."""
PHRASE_KINDS = ("ministry", "portfolio", "place", "military", "actor", "function", "government")
MAX_PLACE_TOKENS = 3


def entities_in_language(item: Item) -> list[Mention]:
    """The names of one item in another language, in text order."""
    language = (item.language or "").split("-")[0]
    table = actor_table(language)
    places = gazetteer()
    toks = tokens(item.text, language=language)
    found: list[Mention] = []
    i = 0
    while i < len(toks):
        n, mention = _actor(table, toks, i, item) if _capitalised(toks[i]) else (0, None)
        if not n:
            n, mention = _institution(table, toks, i, item, language)
        if not n:
            n, mention = _place(places, toks, i, item)
        if mention is not None:
            found.append(mention)
        i += max(n, 1)
    return found


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper()


def _actor(table, toks: list[Token], i: int, item: Item) -> tuple[int, Mention | None]:
    for kind, label in KINDS.items():
        n, entry = table.match(kind, toks, i)
        if n:
            return n, Mention(entry.value.removeprefix("the "), label, item.n, toks[i].start, toks[i + n - 1].end)
    return 0, None


def _institution(table, toks: list[Token], i: int, item: Item, language: str) -> tuple[int, Mention | None]:
    """A state body named by a run of words the table knows, holding a ministry or the armed
    forces ("Российские войска", "Министерстве обороны России"), normalised to its English name;
    a body of no named country ("the foreign ministry") is no entity."""
    if table.match("function", toks, i)[0]:
        return 0, None
    end, institution = i, False
    while end < len(toks) and toks[end].is_word:
        n = max(table.match(kind, toks, end)[0] for kind in PHRASE_KINDS)
        if not n:
            break
        institution = institution or any(table.match(kind, toks, end)[0] for kind in INSTITUTIONS)
        end += n
    while end > i + 1 and table.match("function", toks, end - 1)[0]:
        end -= 1  # "das Ministerium in" -> "das Ministerium"
    if not institution:
        return 0, None
    start, stop = toks[i].start, toks[end - 1].end
    name = normalise_foreign(item.text[start:stop], language)
    if not name[:1].isupper() or name == item.text[start:stop].strip():
        return end - i, None
    return end - i, Mention(name, "ORG", item.n, start, stop)


def _place(places: dict[str, tuple[str, bool]], toks: list[Token], i: int, item: Item) -> tuple[int, Mention | None]:
    if not _capitalised(toks[i]):
        return 0, None
    for n in range(min(MAX_PLACE_TOKENS, len(toks) - i), 0, -1):
        words = toks[i:i + n]
        if not all(t.is_word for t in words):
            continue
        name = item.text[words[0].start:words[-1].end]
        hit = places.get(name)
        if hit is None or hit[0] not in ("GPE", "LOC", "FAC"):
            continue
        if n == 1 and _starts_sentence(toks, i):
            return 0, None
        return n, Mention(name, hit[0], item.n, words[0].start, words[-1].end)
    return 0, None


def _starts_sentence(toks: list[Token], i: int) -> bool:
    return i == 0 or toks[i - 1].text in ".!?…\"«»„“”:"
