"""Sentences, quotations and the complete part of a text, for any alphabet.

The English splitter (newsdesk.nlp.sentence_spans) expects a Latin capital after a full stop;
here a sentence may start with a capital of any script (Cyrillic, accented Latin), a digit, an
opening quote or bracket, an inverted question or exclamation mark (Spanish), or a dash that
opens direct speech (Russian, Ukrainian, Polish). Abbreviations come from each language's
`cues_xx.tsv` (kind `abbreviation`). Offsets are always into the text as given.
"""

from __future__ import annotations

import re

from .lexicon import table

OPENING_QUOTES = "«„‚‹“‘\"'"
CLOSING_QUOTES = "»“”‘’›\"'"
# The closing marks that pair with each opening one (German „...“, Polish „...”, French
# « ... », English-style “...” and "...").
QUOTE_PAIRS = {"«": "»", "„": "“”\"", "‚": "‘’", "‹": "›", "“": "”\"“", "\"": "\"”“"}

_STOP = re.compile(r"[.!?…]+[\"'»“”’›)\]]*(?=\s)")
_PARAGRAPH = re.compile(r"\n|\s{2,}(?=\S)")
# A full stop glued to the next sentence, the space lost in scraping ("... präsentieren.Die Sony-
# ...", "... kilka zasad.Przede wszystkim ...", '... el insulto".En este sentido'): a word that
# ends in two letters, lower-case the last, perhaps a closing quote, the stop, perhaps an opening
# quote, then a capitalised word. ("z.B.", "U.S.", "Lenta.ru" do not look so.)
_GLUED_STOP = re.compile(r"(?<=[^\W\d_]{2})(?<![A-ZÀ-ÞА-ЯЁ])[\"»”’“]?\.(?=[\"«„“]?[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][^\W\d_])")
# Languages whose ordinal numbers take a full stop ("am 24. April", "15. sierpnia").
ORDINAL_STOP = {"de", "pl", "cs", "sk", "hr", "sl", "sr", "hu", "fi", "da", "no", "nb", "tr"}
GENERIC_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "prof", "vs", "etc", "ca", "no", "nr", "jr", "sr"}


def sentence_spans(text: str, language: str = "") -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, without surrounding whitespace."""
    abbreviations = _abbreviations(language)
    cuts = {0, len(text)}
    for match in _PARAGRAPH.finditer(text):
        cuts.add(match.end())
    for match in _STOP.finditer(text):
        after = match.end()
        while after < len(text) and text[after].isspace():
            after += 1
        if after >= len(text) or not _starts_sentence(text, after):
            continue
        if text[match.start()] == "." and _abbreviation(text, match.start(), abbreviations, language):
            continue
        cuts.add(match.end())
    for match in _GLUED_STOP.finditer(text):
        if not _abbreviation(text, match.start(), abbreviations, language):
            cuts.add(match.end())
    spans = []
    ordered = sorted(cuts)
    for s, e in zip(ordered, ordered[1:]):
        piece = text[s:e]
        if piece.strip():
            spans.append((s + len(piece) - len(piece.lstrip()), s + len(piece.rstrip())))
    return spans


def _starts_sentence(text: str, i: int) -> bool:
    char = text[i]
    if char.isupper() or char.isdigit() or char in OPENING_QUOTES or char in "([¿¡":
        return True
    # Direct speech opened by a dash: "— Мы готовы, — сказал он."
    return char in "—–-" and i + 1 < len(text) and text[i + 1].isspace()


def _abbreviation(text: str, stop: int, abbreviations: set[str], language: str) -> bool:
    """Whether the full stop at `stop` ends an abbreviation, an initial or (where ordinals
    take a full stop) an ordinal number, not a sentence."""
    before = text[max(0, stop - 20):stop].rsplit(None, 1)
    word = before[-1].lstrip("(\"'«„“") if before else ""
    if not word:
        return False
    if word.casefold() in abbreviations or word.casefold().rstrip(".") in abbreviations:
        return True
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "В. Путин", "J. Smith"
    if re.fullmatch(r"(?:\w\.)+\w", word):
        return True  # "z.B", "т.е", "U.S"
    return language in ORDINAL_STOP and bool(re.fullmatch(r"\d{1,2}", word))


def _abbreviations(language: str) -> set[str]:
    words = {e.pattern.casefold().rstrip(".") for e in table(f"cues_{language}.tsv").kind("abbreviation")}
    return words | GENERIC_ABBREVIATIONS


# The initials of a wire agency's editors after a text's last stop ("... werden./tas/DP/mis",
# "... dulden. ls/mt"): the text is complete up to that stop.
AGENCY_TRAILER = re.compile(r"[.!?][\"'»“”’)]*\s*/?[a-z]{1,4}(?:/[A-Za-z]{1,4})+$")


def without_trailer(text: str) -> int:
    """Where a text ends without the code of a wire agency's editors after its last stop."""
    trailer = AGENCY_TRAILER.search(text.rstrip())
    return trailer.start() + 1 if trailer else len(text)


def complete_end(text: str, language: str = "") -> int:
    """Offset where the unfinished tail of a cut-off text begins: the end of its last sentence
    that ends in terminal punctuation (len(text) when the whole text is complete). A text of
    one unpunctuated line (a headline) counts as complete."""
    stripped = text.rstrip()
    if without_trailer(text) < len(text):
        return without_trailer(text)
    if re.search(r"(?:\.\.\.|…)[\"'»“”’]*$", stripped):
        stripped = re.sub(r"(?:\.\.\.|…)[\"'»“”’]*$", "", stripped)
    elif re.search(r"[.!?][\"'»“”’)\]]*$", stripped) or "\n" not in stripped.strip() and len(sentence_spans(stripped, language)) == 1:
        return len(text)
    spans = sentence_spans(stripped, language)
    ends = [e for s, e in spans if re.search(r"[.!?…:][\"'»“”’)\]]*$", stripped[s:e])]
    # A headline without a stop, before the first sentence, is complete too.
    return max(ends + [spans[0][1] if spans and len(spans) > 1 else 0])


def quotations(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inside of each quotation, the outermost ones only: « » pairs are
    nested ("«Он сказал „нет“»"), others close at their first closing mark."""
    found = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in QUOTE_PAIRS:
            end = _closing(text, i)
            if end is not None:
                if end - i > 2:
                    found.append((i + 1, end))
                i = end + 1
                continue
        i += 1
    return found


def _closing(text: str, i: int) -> int | None:
    opener, closers = text[i], QUOTE_PAIRS[text[i]]
    limit = min(len(text), i + 3000)
    depth = 0
    for k in range(i + 1, limit):
        char = text[k]
        if char == "\n":
            return None
        if opener == "«" and char == "«":
            depth += 1
        elif char in closers and k > i + 1:
            if opener == "«" and depth:
                depth -= 1
                continue
            # A straight quote closes only before a non-letter ("said "no" then").
            if char == '"' and k + 1 < len(text) and text[k + 1].isalnum():
                continue
            return k
    return None
