"""Time expressions in other languages, resolved against the publication date.

Rules over the words of `data/dates_xx.tsv` find what news writes most: weekdays with their
preposition and "last"/"this" words ("в пятницу", "am vergangenen Freitag", "vendredi dernier",
"el viernes pasado", "w ubiegły piątek"), yesterday and today, dates with a month name
("15 августа 2024 года", "15. August", "le 1er août", "15 de agosto"), months ("im August",
"в начале января"), numeric dates (15.08.2024), years ("в 2024 году"), "two weeks ago" and
"last week/month/year". The mention's text leaves out the leading preposition ("am Freitag"
-> "Freitag"), as the English stage does ("on Friday" -> "Friday"), and `phrase` keeps it for
a claim's `when`.

Resolution is by rule (the latest such weekday on or before publication; "last Friday"
strictly before it; the latest such month not after publication). dateparser resolves the
"ago" expressions whose amount is written in a way the tables do not know, once the rules have
cut the expression out of its sentence (it fails on prepositions: "am Freitag", "el viernes").
Results are "YYYY-MM-DD", "YYYY-MM", "YYYY" or a "start/end" range, as in extract.dates.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ...model import Item, Mention
from .lexicon import Table, Token, table, tokens

PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
NUMERIC_DATE = re.compile(r"(?<![\d.])([0-3]?\d)\.([01]?\d)\.((?:19|20)\d\d)(?![\d])")
YEAR = re.compile(r"(?:19|20)\d\d")
DAY_NUMBER = re.compile(r"([0-3]?\d)(?:er|\.|-?го|-?е|-?ого)?")


@dataclass(frozen=True)
class TimePhrase:
    """A time expression: `start` includes its preposition, `core` leaves it out."""

    start: int
    core: int
    end: int
    date: str | None

    def mention(self, text: str, item: int) -> Mention:
        return Mention(text[self.core:self.end], "DATE", item, self.core, self.end, self.date)


def times_in_language(item: Item, published: datetime | date | None = None, language: str | None = None) -> list[Mention]:
    """DATE mentions of an item in another language, each with its date resolved against
    `published` (else the item's own publication date) where it can be placed."""
    language = _base(language or item.language)
    when = published if published is not None else item.published
    day = when.date() if isinstance(when, datetime) else when
    return [p.mention(item.text, item.n) for p in time_phrases(item.text, language, day)]


def time_phrases(text: str, language: str, published: date | None, start: int = 0, end: int | None = None) -> list[TimePhrase]:
    """The time expressions of text[start:end] in text order."""
    words = _Words(table(f"dates_{language}.tsv"), table(f"figures_{language}.tsv"))
    if not words.dates.rows:
        return []
    toks = tokens(text, start, end, language)
    found: list[TimePhrase] = []
    i = 0
    while i < len(toks):
        phrase = _phrase_at(toks, i, words, published)
        if phrase is None:
            i += 1
            continue
        found.append(phrase)
        i = next((k for k, t in enumerate(toks) if t.start >= phrase.end), len(toks))
    found += [p for p in _numeric_dates(text, start, end) if not any(f.start < p.end and p.start < f.end for f in found)]
    return sorted(found, key=lambda p: p.start)


@dataclass(frozen=True)
class _Words:
    dates: Table
    figures: Table  # its number words ("две недели назад")

    def match(self, kind: str, toks: list[Token], i: int):
        return self.dates.match(kind, toks, i)


def _base(language: str | None) -> str:
    return (language or "").split("-")[0].split("_")[0].lower()


def _phrase_at(toks: list[Token], i: int, words: _Words, published: date | None) -> TimePhrase | None:
    """The time expression that starts at toks[i] (its preposition first), or None."""
    k = i
    for _ in range(2):  # "bis zum", "fino al": two prepositions in a row
        n, _entry = words.match("prep", toks, k)
        k += n
    parsed = _core(toks, k, words, published, after_preposition=k > i)
    if parsed is None and k > i:
        # The "preposition" may be the expression's own first word ("la semaine dernière").
        k = i
        parsed = _core(toks, k, words, published, after_preposition=False)
    if parsed is None:
        return None
    end_index, resolved = parsed
    return TimePhrase(toks[i].start, toks[k].start, toks[end_index - 1].end, resolved)


def _core(toks: list[Token], k: int, words: _Words, published: date | None,
          after_preposition: bool) -> tuple[int, str | None] | None:
    """(index after the expression, resolved date) of the expression at toks[k], or None."""
    if k >= len(toks):
        return None
    # A part of a month: "в начале января", "Anfang August", "a finales de agosto".
    n, part = words.match("part", toks, k)
    if n:
        m, _entry = words.match("prep", toks, k + n)  # "alla fine di agosto"
        return _month_expression(toks, k + n + m, words, published, part.value, True)
    # A modifier before: "прошлую пятницу", "vergangenen Freitag", "el pasado viernes".
    for kind in ("last", "this", "next"):
        n, _entry = words.match(kind, toks, k)
        if n:
            return _weekday_or_period(toks, k + n, words, published, kind)
    n, entry = words.match("day", toks, k)
    if n:
        resolved = (published + timedelta(days=int(entry.value))).isoformat() if published else None
        return k + n, resolved
    return (_weekday_or_period(toks, k, words, published, None) or _ago(toks, k, words, published)
            or _month_expression(toks, k, words, published, None, after_preposition)
            or _year(toks, k, words, after_preposition))


def _year(toks: list[Token], k: int, words: _Words, after_preposition: bool):
    """"в 2024 году", "w 2024 roku", "im Jahr 2024", "en 2024", "nel 2024"."""
    n, unit = words.match("unit", toks, k)
    if n and unit.value == "year" and k + n < len(toks) and YEAR.fullmatch(toks[k + n].text):
        return k + n + 1, toks[k + n].text
    if not YEAR.fullmatch(toks[k].text):
        return None
    n, _entry = words.match("year_word", toks, k + 1)
    if n:
        end = k + 1 + n
        if end < len(toks) and toks[end].text == "." and len(toks[end - 1].text) == 1:
            end += 1
        return end, toks[k].text
    return (k + 1, toks[k].text) if after_preposition else None


def _weekday_or_period(toks: list[Token], k: int, words: _Words, published: date | None, modifier: str | None):
    """A weekday, or a week/month/year, with "last"/"this"/"next" before or after it."""
    n, weekday = words.match("weekday", toks, k)
    if n:
        after = k + n
        if modifier is None:
            for kind in ("last", "next"):
                m, _entry = words.match(kind, toks, after)
                if m:
                    modifier, after = kind, after + m
                    break
        return after, _weekday(int(weekday.value), published, modifier).isoformat() if published else None
    n, unit = words.match("unit", toks, k)
    if n and modifier is None:
        # "la semaine dernière", "el mes pasado", "l'anno scorso"
        for kind in ("last", "next", "this"):
            m, _entry = words.match(kind, toks, k + n)
            if m:
                return k + n + m, _period(unit.value, kind, published)
        return None
    if n:
        return k + n, _period(unit.value, modifier, published)
    n, month = words.match("month", toks, k)
    if n and modifier in ("last", "next"):
        year = _month_year(int(month.value), published, strictly_before=True)
        if modifier == "next" and year is not None:
            year += 1
        return k + n, f"{year:04d}-{int(month.value):02d}" if year else None
    return None


def _ago(toks: list[Token], k: int, words: _Words, published: date | None):
    """"две недели назад", "vor zwei Wochen", "il y a deux semaines", "hace 3 días"."""
    before, _entry = words.match("ago_before", toks, k)
    start = k + before
    amount, used = _amount(toks, start, words.figures)
    n, unit = words.match("unit", toks, start + used)
    if not n or unit is None:
        return None
    end = start + used + n
    if not before:
        after, _entry = words.match("ago_after", toks, end)
        if not after:
            return None
        end += after
    if not used:
        amount = 1.0  # "неделю назад", "vor einer Woche" has its "one" in the article
    if published is None:
        return end, None
    if amount is None:
        return end, _dateparser(" ".join(t.text for t in toks[k:end]), published)
    return end, _shift(published, unit.value, -amount)


def _amount(toks: list[Token], k: int, numbers: Table) -> tuple[float | None, int]:
    """(value, tokens used) of a number in digits or words at toks[k]; (None, 1) for a word
    the tables do not know (dateparser reads the whole expression then); (None, 0) for none."""
    if k >= len(toks):
        return None, 0
    if toks[k].text.isdigit():
        return float(toks[k].text), 1
    n, entry = numbers.match("number", toks, k)
    if n:
        return float(entry.value), n
    return None, 0


def _month_expression(toks: list[Token], k: int, words: _Words, published: date | None, part: str | None,
                      after_preposition: bool):
    """"15 августа 2024 года", "15. August", "le 1er août", "15 de agosto de 2024", "im August
    2024", "в начале января": a month with its day or year, or after a preposition."""
    day, m = None, k
    found = DAY_NUMBER.fullmatch(toks[m].text) if m < len(toks) and part is None else None
    if found and 1 <= int(found.group(1)) <= 31:
        day, m = int(found.group(1)), m + 1
        if m < len(toks) and toks[m].text == ".":
            m += 1  # "15. August"
        if m < len(toks) and toks[m].lower == "de":
            m += 1  # "15 de agosto"
    n, month = words.match("month", toks, m)
    if not n:
        return None
    end = m + n
    year = None
    y = end + (1 if end < len(toks) and toks[end].lower in ("de", "del") else 0)
    if y < len(toks) and YEAR.fullmatch(toks[y].text):
        year, end = int(toks[y].text), y + 1
        n2, _entry = words.match("year_word", toks, end)
        if n2:
            end += n2
            if end < len(toks) and toks[end].text == "." and len(toks[end - 1].text) == 1:
                end += 1  # "2024 г.", "2024 r."
    elif day is None and part is None and not after_preposition:
        return None  # a bare month name with nothing around it may be a word ("Mai", "mars")
    number = int(month.value)
    if year is None:
        year = _month_year(number, published, strictly_before=False)
    if year is None:
        return end, None
    if day:
        try:
            return end, date(year, number, day).isoformat()
        except ValueError:
            return end, None
    if part:
        low, high = PARTS[part]
        last = calendar.monthrange(year, number)[1]
        return end, f"{date(year, number, low)}/{date(year, number, min(high, last))}"
    return end, f"{year:04d}-{number:02d}"


def _numeric_dates(text: str, start: int, end: int | None) -> list[TimePhrase]:
    found = []
    for match in NUMERIC_DATE.finditer(text, start, len(text) if end is None else end):
        day, month, year = (int(g) for g in match.groups())
        try:
            resolved = date(year, month, day).isoformat()
        except ValueError:
            continue
        found.append(TimePhrase(match.start(), match.start(), match.end(), resolved))
    return found


def _weekday(weekday: int, published: date, modifier: str | None) -> date:
    """The latest such weekday on or before publication ("last Friday": strictly before it,
    "next Friday": the first one after it)."""
    if modifier == "next":
        return published + timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
    back = (published.weekday() - weekday) % 7
    if back == 0 and modifier == "last":
        back = 7
    return published - timedelta(days=back)


def _month_year(month: int, published: date | None, strictly_before: bool) -> int | None:
    if published is None:
        return None
    if month < published.month or (month == published.month and not strictly_before):
        return published.year
    return published.year - 1


def _period(unit: str, modifier: str | None, published: date | None) -> str | None:
    """"last week" (Monday to Sunday before this week), "this month", "next year"..."""
    if published is None or modifier not in ("last", "this", "next"):
        return None
    step = {"last": -1, "this": 0, "next": 1}[modifier]
    if unit == "day":
        return (published + timedelta(days=step)).isoformat()
    if unit == "week":
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=step)
        return f"{monday}/{monday + timedelta(days=6)}"
    if unit == "month":
        month = published.month + step
        year = published.year + (month - 1) // 12
        return f"{year:04d}-{(month - 1) % 12 + 1:02d}"
    return f"{published.year + step:04d}"


def _shift(published: date, unit: str, amount: float) -> str:
    if unit == "day":
        return (published + timedelta(days=amount)).isoformat()
    if unit == "week":
        return (published + timedelta(weeks=amount)).isoformat()
    if unit == "month":
        months = published.year * 12 + published.month - 1 + int(amount)
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    return f"{published.year + int(amount):04d}"


def _dateparser(text: str, published: date) -> str | None:
    # dateparser is imported here: most items never need it.
    import dateparser

    base = datetime(published.year, published.month, published.day)
    parsed = dateparser.parse(text, settings={"PREFER_DATES_FROM": "past", "RELATIVE_BASE": base})
    return parsed.date().isoformat() if parsed else None
