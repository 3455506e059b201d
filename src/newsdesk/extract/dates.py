"""Time expressions: spaCy's DATE and TIME entities, plus weekday names it misses, resolved
to calendar dates against the publication date when there is one.

Resolution is rule-based for what news writes most ("Friday", "in August", "early January",
"March 3, 2024", "2016", "yesterday"); dateparser (imported only when needed) handles the
rest of the relative expressions ("two weeks ago", "last month") when the publication date
is known. Results are "YYYY-MM-DD", "YYYY-MM", "YYYY", or a "start/end" range of days.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ..model import Mention
from ..nlp import new_span

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Leading words that belong to the sentence, not to the time: "on Friday" -> "Friday".
PREPOSITIONS = {"on", "in", "at", "since", "by", "during", "until", "till", "from", "of", "for"}
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
# Thirds of a month: "early January" = days 1-10, "mid" 11-20, "late" 21 to the end.
PARTS = {"early": (1, 10), "mid": (11, 20), "middle": (11, 20), "late": (21, 31)}
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
DAY = re.compile(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b")
SHIFTS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def find_times(doc: Doc, item: int, published: datetime | None = None) -> list[Mention]:
    """DATE/TIME mentions of a parsed item, each with `date` resolved where possible."""
    spans = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
    taken = {t.i for e in spans for t in e}
    # The model sometimes leaves a bare weekday unlabelled ("said Friday").
    spans += [new_span(doc, t.i, t.i + 1, "DATE") for t in doc
              if t.lower_ in WEEKDAYS and t.text[:1].isupper() and t.i not in taken]
    mentions = []
    for span in sorted(spans, key=lambda s: s.start):
        while len(span) > 1 and span[0].lower_ in PREPOSITIONS:
            span = span[1:]  # Span slicing keeps the label
        when = resolve(span.text, published.date() if published else None)
        mentions.append(Mention(span.text, span.label_, item, span.start_char, span.end_char, when))
    return mentions


def resolve(text: str, published: date | None = None) -> str | None:
    """A time expression as a date, month, year or range; None when it cannot be placed."""
    words = re.findall(r"[a-z]+", text.lower())
    year = YEAR.search(text)
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    if month:
        return _month(text, words, month, int(year.group()) if year else None, published)
    if year:
        return year.group() if len(text.strip()) <= 12 else None  # "2016", "in 2016"; not "2016-17 season"
    if published is None:
        return None
    for word in words:
        if word in WEEKDAYS:
            return _weekday(WEEKDAYS[word], published, "last" in words).isoformat()
        if word in SHIFTS:
            return (published + timedelta(days=SHIFTS[word])).isoformat()
    return _dateparser(text, published)


def _month(text: str, words: list[str], month: int, year: int | None, published: date | None):
    if year is None:
        if published is None:
            return None
        # The most recent such month not after publication ("in August", "last August").
        year = published.year if month <= published.month else published.year - 1
    day = _day(text, year)
    if day:
        return date(year, month, day).isoformat()
    part = next((PARTS[w] for w in words if w in PARTS), None)
    if part:
        last = calendar.monthrange(year, month)[1]
        return f"{date(year, month, part[0])}/{date(year, month, min(part[1], last))}"
    return f"{year:04d}-{month:02d}"


def _day(text: str, year: int) -> int | None:
    """The day of the month in "March 3" or "3rd of March" (not the year)."""
    for match in DAY.finditer(text):
        if match.group(1) != str(year) and 1 <= int(match.group(1)) <= 31:
            return int(match.group(1))
    return None


def _weekday(weekday: int, published: date, strictly_before: bool) -> date:
    """The latest such weekday on or before publication ("last Friday": before it)."""
    back = (published.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - timedelta(days=back)


def _dateparser(text: str, published: date) -> str | None:
    # dateparser is imported here: most items never need it.
    import dateparser

    base = datetime(published.year, published.month, published.day)
    settings = {"PREFER_DATES_FROM": "past", "RELATIVE_BASE": base}
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    # A duration ("two years") is not a date: only accept expressions that point somewhere.
    if parsed is None or not re.search(r"\b(ago|last|next|this|past|earlier)\b", text.lower()):
        return None
    # "last month" names a month and "last year" a year, not the day dateparser lands on.
    cut = 7 if "month" in text.lower() else 4 if "year" in text.lower() else 10
    return parsed.date().isoformat()[:cut]
