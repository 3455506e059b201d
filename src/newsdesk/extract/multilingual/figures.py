"""Figures in other languages: numbers as these languages write them, with their unit, bound
words and what they measure.

Decimal commas and grouped thousands ("63,2 %", "15.000", "15 000", "2,5 млн"), number words
with a unit ("zwei Millionen Euro", "три человека"), and vague amounts ("несколько сотен
квадратных километров", "plusieurs centaines de kilomètres carrés", "kilkaset", "Hunderte")
with the low/high reading of `data/figures_xx.tsv`. The unit and the measure are the English
words the English figures use ("percent", "square kilometre"; "share of territory"), so that a
Russian figure and an English one can stand side by side in a dispute.

Not figures: years ("в 2024 году"), dates and times (extract.multilingual.times), numbers
glued to letters ("COVID-19", "Су-34"), telephone numbers and postcodes.
"""

from __future__ import annotations

import re

from ...model import Item, Quantity
from .lexicon import Table, Token, table, tokens
from .times import time_phrases

# 15.000 / 15 000 / 15 000 (grouped thousands), 63,2 (decimal comma), 2.5 (a decimal point,
# as machine translation leaves it: a point before exactly three digits groups thousands).
NUMBER = re.compile(r"(?<![\w.,\-/])(?:\d{1,3}(?:(?:\.|[ \u00a0\u202f])\d{3})+(?!\d)(?:,\d+)?|\d+(?:,\d+)?(?:\.\d{1,2}(?![\d.]))?)(?![\w])")
YEAR = re.compile(r"(?:1[89]|20)\d\d")
CLOCK = re.compile(r"\d{1,2}[:.]\d{2}\s*(?:Uhr|h\b|godz)|\d{1,2}:\d{2}")
PHONE = re.compile(r"\d{2,3}[-\s]\d{2,3}[-\s]\d{2}[-\s]?\d{2}|\d{2}-\d{3}\b")
CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "₴": "UAH"}
WINDOW = 60  # characters after a number where its scale, unit and measure may lie


def figures_in_language(item: Item, language: str | None = None) -> list[Quantity]:
    """The figures of an item in another language, in text order."""
    language = (language or item.language or "").split("-")[0].lower()
    words = table(f"figures_{language}.tsv")
    if not words.rows:
        return []
    text = item.text
    blocked = _not_figures(text, language)
    found = [q for q in _digit_figures(text, language, words, item.n, blocked)]
    taken = [(q.start, q.end) for q in found]
    for q in _word_figures(text, language, words, item.n):
        if not any(s < q.end and q.start < e for s, e in taken + blocked):
            found.append(q)
    return sorted((_with_predicate(q, text, words, language) for q in found), key=lambda q: q.start)


SENTENCE_END = re.compile(r"[.!?;]\s")
PREDICATE_BEFORE = 60  # characters before a figure where the verb of what happened to it may lie


def _with_predicate(q: Quantity, text: str, words: Table, language: str) -> Quantity:
    """The figure with the English noun it counts (`noun`, as the English stage gives it:
    "territory", "soldier") and, where a verb of the same clause says what happened to it
    ("вернули", "утримують", "zurückerobert"), that verb's English participle at the end of its
    measure ("share of territory retaken"), so that newsdesk.contrast can stand a Russian
    figure beside a Ukrainian or an English one."""
    from dataclasses import replace

    if not q.measure:
        return q
    noun = _singular(q.measure.split()[-1])
    window = text[max(0, q.start - PREDICATE_BEFORE):q.start]
    cut = max((m.end() for m in SENTENCE_END.finditer(window)), default=0)
    before = tokens(text, q.start - len(window) + cut, q.start, language)
    verb = next((e.value for k in range(len(before) - 1, -1, -1) for n, e in [words.match("predicate", before, k)] if n), None)
    measure = f"{q.measure} {verb}" if verb else q.measure
    return replace(q, noun=noun, measure=measure)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _not_figures(text: str, language: str) -> list[tuple[int, int]]:
    """Spans that hold numbers which are not figures: dates and times, clock times, phone
    numbers and postcodes."""
    spans = [(p.start, p.end) for p in time_phrases(text, language, None)]
    spans += [m.span() for m in CLOCK.finditer(text)]
    spans += [m.span() for m in PHONE.finditer(text)]
    return spans


def _digit_figures(text: str, language: str, words: Table, item: int, blocked) -> list[Quantity]:
    found = []
    for match in NUMBER.finditer(text):
        start, end = match.span()
        if any(s <= start < e for s, e in blocked):
            continue
        value = _number(match.group())
        after = tokens(text, end, min(len(text), end + WINDOW), language)
        scale, used = _scale(words, after)
        value_scaled = value * scale
        unit_end, unit = _unit(text, words, after, used, end)
        if scale == 1 and unit is None and YEAR.fullmatch(match.group()):
            continue  # a year
        symbol_start, symbol_unit = _currency_before(text, start)
        unit = unit or symbol_unit
        bound_start, bound = _bound(text, words, start if symbol_start is None else symbol_start, language)
        figure_start = bound_start if bound_start is not None else (symbol_start if symbol_start is not None else start)
        figure_end = max(unit_end, _scale_end(text, after, used, end))
        found.append(_quantity(text, item, figure_start, figure_end, value_scaled, None, None, unit, bound,
                               _measure(text, words, language, figure_end, unit, after, unit_end)))
    return found


def _word_figures(text: str, language: str, words: Table, item: int) -> list[Quantity]:
    """Vague amounts ("несколько сотен", "Hunderte"), and number words with a scale or unit
    ("zwei Millionen", "три человека")."""
    toks = tokens(text, language=language)
    found = []
    i = 0
    while i < len(toks):
        n, entry = words.match("vague", toks, i)
        kind = "vague"
        if not n:
            n, entry = words.match("number", toks, i)
            kind = "number"
        if not n or (i > 0 and toks[i - 1].text.isdigit()):
            i += 1
            continue
        after = toks[i + n:i + n + 8]
        scale, used = _scale(words, after)
        unit_end, unit = _unit(text, words, after, used, toks[i + n - 1].end)
        if kind == "number" and (scale == 1 and unit is None or float(entry.value) == 1 and scale == 1):
            i += 1
            continue  # "zwei" alone, "один" alone: not a figure
        end = max(unit_end, _scale_end(text, after, used, toks[i + n - 1].end))
        bound_start, bound = _bound(text, words, toks[i].start, language)
        start = bound_start if bound_start is not None else toks[i].start
        if kind == "vague":
            low, high = (float(x) * scale for x in entry.value.split("-"))
            q = _quantity(text, item, start, end, None, low, high, unit, bound or "several", None)
        else:
            q = _quantity(text, item, start, end, float(entry.value) * scale, None, None, unit, bound, None)
        found.append(_with_measure(q, text, words, language, unit, after, unit_end))
        i = next((k for k, t in enumerate(toks) if t.start >= end), len(toks))
    return found


def _number(written: str) -> float:
    """The value of a number as these languages write it: "15.000" and "15 000" are fifteen
    thousand, "63,2" is 63.2, "2.5" (machine translation) is 2.5."""
    compact = re.sub(r"[ \u00a0\u202f]", "", written)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", compact):
        compact = compact.replace(".", "")
    return float(compact.replace(",", "."))


def _scale(words: Table, after: list[Token]) -> tuple[float, int]:
    """(multiplier, tokens used) of a scale word right after a number ("млн", "Millionen")."""
    n, entry = words.match("scale", after, 0)
    if not n:
        return 1.0, 0
    used = n
    # "тыс. человек": the abbreviation's full stop belongs to the figure.
    if used < len(after) and after[used].text == "." and words.has("abbreviated", after[used - 1].text):
        used += 1
    return float(entry.value), used


def _scale_end(text: str, after: list[Token], used: int, end: int) -> int:
    return after[used - 1].end if used else end


def _unit(text: str, words: Table, after: list[Token], k: int, end: int) -> tuple[int, str | None]:
    """(end, English unit) of the unit after a number and its scale; (end, None) for none.
    "%" may touch the number; words must follow within a space."""
    if k >= len(after):
        return end, None
    previous_end = after[k - 1].end if k else end
    if after[k].start - previous_end > 2:
        return end, None
    n, entry = words.match("unit", after, k)
    if not n and words.match("link", after, k)[0]:
        # "plusieurs centaines de kilomètres carrés", "2 millions de dollars"
        n, entry = words.match("unit", after, k + 1)
        k += 1 if n else 0
    if not n and after[k].text == "%":
        return after[k].end, "percent"
    if not n:
        return end, None
    last = k + n - 1
    if last + 1 < len(after) and after[last + 1].text == "." and words.has("abbreviated", after[last].text) \
            and last + 2 < len(after) and after[last + 2].text[:1].islower():
        last += 1
    return after[last].end, entry.value


def _currency_before(text: str, start: int) -> tuple[int | None, str | None]:
    k = start - 1
    while k >= 0 and text[k] in " \u00a0":
        k -= 1
    if k >= 0 and text[k] in CURRENCY and start - k <= 2:
        return k, CURRENCY[text[k]]
    return None, None


def _bound(text: str, words: Table, start: int, language: str) -> tuple[int | None, str | None]:
    """(start, English bound words) of a bound right before a figure ("более", "mehr als",
    "plus de", "około")."""
    before = tokens(text, max(0, start - 40), start, language)
    for take in (3, 2, 1):
        if len(before) < take:
            continue
        window = before[-take:]
        n, entry = words.match("bound", window, 0)
        if n == take and start - window[-1].end <= 2:
            return window[0].start, entry.value.split(":", 1)[1] if ":" in entry.value else entry.value
    return None, None


def _quantity(text, item, start, end, value, low, high, unit, bound, measure) -> Quantity:
    if bound and value is not None:
        side = _bound_side(bound)
        if side == "low":
            low = value
        elif side == "high":
            high = value
    return Quantity(text=text[start:end], item=item, start=start, end=end, value=value, low=low, high=high,
                    unit=unit, bound=bound, measure=measure or "")


_LOW = {"more than", "at least"}
_HIGH = {"less than", "nearly", "up to"}


def _bound_side(bound: str) -> str | None:
    return "low" if bound in _LOW else "high" if bound in _HIGH else None


def _measure(text: str, words: Table, language: str, end: int, unit: str | None, after, unit_end: int) -> str:
    """What a figure measures, in English where the table knows the counted noun: the noun
    after it ("63,2% территории" -> "share of territory"), across an "of" ("du territoire")."""
    following = tokens(text, end, min(len(text), end + WINDOW), language)
    noun = _measure_noun(words, following)
    if noun is None:
        # The unit itself may be what is counted ("300 военнослужащих" -> soldiers).
        unit_tokens = [t for t in after if t.end <= unit_end]
        noun = next((e.value for k in range(len(unit_tokens)) for n, e in [words.match("measure", unit_tokens, k)] if n), None)
    if noun is None:
        return ""
    return f"share of {noun}" if unit == "percent" else noun


def _measure_noun(words: Table, following: list[Token]) -> str | None:
    k = 0
    # "de", "des", "du", "del", "di", "des Gebiets": up to two short linking words.
    while k < len(following) and k < 2 and following[k].is_word and len(following[k].text) <= 4 \
            and not words.match("measure", following, k)[0]:
        k += 1
    if k < len(following) and following[0].start - 0 >= 0:
        n, entry = words.match("measure", following, k)
        if n:
            return entry.value
    return None


def _with_measure(q: Quantity, text: str, words: Table, language: str, unit, after, unit_end) -> Quantity:
    from dataclasses import replace

    return replace(q, measure=_measure(text, words, language, q.end, unit, after, unit_end))
