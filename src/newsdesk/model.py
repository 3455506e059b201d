"""The records that every stage reads and writes.

Stages are plain functions over these records, so that they can run anywhere (a laptop, a
Spark task). Item numbers (`n`) are the 1-based record numbers of the input; character
offsets are Python string offsets into `Item.text` exactly as it was read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

Span = tuple[int, int]


def item_id(text: str, source: str | None = None, url: str | None = None) -> str:
    """Stable id: a hash of source + url, or of the text when there is no url."""
    key = f"{source or ''}\n{url}" if url else text
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Item:
    """One news item as received, with the cleaning verdicts."""

    n: int
    text: str
    id: str = ""
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: datetime | None = None
    language: str | None = None
    origin: str = ""
    junk_reason: str | None = None  # None for news
    truncated: bool = False  # cut off mid-sentence
    note: str | None = None  # what reading did to it (e.g. cut to a length)

    def __post_init__(self):
        if not self.id:
            object.__setattr__(self, "id", item_id(self.text, self.source, self.url))


@dataclass(frozen=True)
class Mention:
    """A span of an item's text: an entity or a time expression."""

    text: str
    type: str  # spaCy label set: PERSON, ORG, GPE, LOC, NORP, DATE, ...
    item: int
    start: int
    end: int
    date: str | None = None  # resolved date (YYYY-MM-DD or a range) for time mentions


@dataclass(frozen=True)
class Quantity:
    """A figure as written, with what it measures."""

    text: str  # as written: "63.2%", "several hundred square kilometres"
    item: int
    start: int
    end: int
    value: float | None = None  # None when only a vague amount is given ("several hundred")
    low: float | None = None
    high: float | None = None
    unit: str | None = None  # "percent", "square kilometre", ...
    bound: str | None = None  # "at least", "several", "up to", "nearly", ...
    measure: str = ""  # what it measures: "share of the territory captured by Ukraine retaken"
    speaker: str | None = None  # who states it (as written), None when unattributed
    actor: str | None = None  # who states it, normalised
    as_of: str | None = None  # the date the figure is stated for (claim's date, else publication)


@dataclass(frozen=True)
class Claim:
    """An attributed statement: who says what, with the exact spans."""

    speaker: str  # as written: "the Russian defence ministry"
    actor: str  # normalised: "Russian Ministry of Defence"
    cue: str  # "said", "according to"
    content: str  # as written
    item: int
    start: int  # the whole claim: min/max over its parts
    end: int
    source_span: list[Span] | None = None
    cue_span: list[Span] | None = None
    content_span: list[Span] = field(default_factory=list)
    hedges: list[str] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    when: str | None = None  # time expression of the statement as written ("on Friday")
    date: str | None = None  # `when` resolved against the item's publication date
    kind: str = "speech"  # "speech" (said, told, according to, quoted), "stance" (warned, denied,
    # urged, accused ...) or "other" (a view or finding: believes, expects, a poll shows)
    role: str | None = None  # the speaker's title words as written ("Ukrainian President"), if any


@dataclass(frozen=True)
class Sentence:
    """A brief sentence: a source sentence or a trimmed span of one, with its citations."""

    text: str
    item: int  # the item the text is taken from
    start: int
    end: int
    sources: list[int]  # items that contain it verbatim (or a trimmed span of it)
    support: list[int]  # items that state the same fact in other words


@dataclass(frozen=True)
class Side:
    speaker: str
    actor: str
    content: str
    items: list[int]
    figures: list[str] = field(default_factory=list)
    copies: list[int] = field(default_factory=list)  # merged duplicates of those items
    origins: int = 0  # independent origins: the items, merged copies counted once


@dataclass(frozen=True)
class Dispute:
    """A question on which different parties make claims that are not the same claim."""

    question: str
    sides: list[Side]
    reconcilable: bool = False  # True when the figures could be compared directly


@dataclass(frozen=True)
class Entity:
    text: str
    type: str
    items: list[int]


@dataclass(frozen=True)
class TimeRef:
    text: str
    items: list[int]
    date: str | None = None


@dataclass(frozen=True)
class LedgerEntry:
    """What became of one input record."""

    n: int
    status: str  # "used" | "merged" | "dropped"
    reason: str | None = None
    duplicate_of: int | None = None
    id: str | None = None


@dataclass(frozen=True)
class Brief:
    headline: Sentence | None
    sentences: list[Sentence]
    claims: list[Claim]
    figures: list[Quantity]
    disputes: list[Dispute]
    entities: list[Entity]
    times: list[TimeRef]
    items: list[LedgerEntry]
    sources: dict[int, str] = field(default_factory=dict)  # item number -> text, for citations
    timeline: list["TimelineEntry"] = field(default_factory=list)  # by event date


@dataclass(frozen=True)
class TimelineEntry:
    """A dated sentence: the event date (YYYY-MM-DD, YYYY-MM, YYYY or "start/end"), the
    source sentence that names it, and the items that carry it."""

    date: str
    text: str
    items: list[int]


@dataclass(frozen=True)
class ClaimLedger:
    """The claims of a pile of items, and what became of each item."""

    claims: list[Claim]
    items: list[LedgerEntry]
    sources: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Angle:
    """A sub-group of a story's items (one aspect of the event), labelled by its distinctive words."""

    label: str
    items: list[int]


@dataclass(frozen=True)
class Story:
    """A group of items about one event.

    `items` are item numbers, duplicates included; `origins` counts independent origins (a
    group of copies counts once); `sources` counts distinct outlets (items without an outlet
    count once per origin)."""

    id: str
    label: str
    items: list[int]
    angles: list[Angle] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    sources: int = 0
    origins: int = 0
    item_ids: list[str] = field(default_factory=list)  # stable ids, same order as `items`
