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
    # Junk lines inside a kept item: (start, end, reason) offsets into `text` (clean.junk_spans).
    junk_spans: tuple[tuple[int, int, str], ...] = ()
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
    noun: str | None = None  # lemma of what it counts or is an amount of ("territory"), if the parse says


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
    language: str | None = None  # the language it is written in, when not English


@dataclass(frozen=True)
class Side:
    speaker: str
    actor: str
    content: str
    items: list[int]
    figures: list[str] = field(default_factory=list)
    copies: list[int] = field(default_factory=list)  # merged duplicates of those items
    origins: int = 0  # independent origins: the items, merged copies counted once
    as_of: str | None = None  # the latest date its figures are stated for, when known


@dataclass(frozen=True)
class Dispute:
    """A question on which different parties make claims that are not the same claim."""

    question: str
    sides: list[Side]
    reconcilable: bool = False  # True when the figures could be compared directly
    # "contested": the sides state their figures for the same time (or undated);
    # "stale": they differ in date, so the older figures may be superseded, not contested
    kind: str = "contested"


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
    status: str  # "used" | "merged" | "translation" (of duplicate_of, in another language) | "dropped"
    reason: str | None = None  # why dropped; how merged ("duplicate (exact)"); notes on a used item
    duplicate_of: int | None = None
    id: str | None = None
    cut: list[Span] = field(default_factory=list)  # junk lines inside a used item, left out of every stage


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
    timeline: list[TimelineEntry] = field(default_factory=list)  # by event date


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
    continues: str | None = None  # the id of the earlier story this one continues (the store)
    languages: dict[str, int] = field(default_factory=dict)  # items per language (ISO 639-1), most first


@dataclass(frozen=True)
class Prepared:
    """A pile after the cheap stages (see newsdesk.prepare): every item with its cleaning
    verdicts, and each duplicate pointed at the canonical item of its group.

    `duplicate_of` maps an item number to its canonical item's number (never to another
    copy); `how` says at which depth each copy was found ("exact", "near", "semantic")."""

    items: list[Item]
    duplicate_of: dict[int, int] = field(default_factory=dict)
    how: dict[int, str] = field(default_factory=dict)

    @property
    def live(self) -> list[Item]:
        """Items that are not dropped: canonical items and their copies."""
        return [it for it in self.items if not it.junk_reason]

    @property
    def canonical(self) -> list[Item]:
        """The live items that are no copy: one per independent origin."""
        return [it for it in self.items if not it.junk_reason and it.n not in self.duplicate_of]


@dataclass(frozen=True)
class Grouping:
    """Stories (biggest first) and, for a pile that was read, the ledger of every item and the
    items; `briefs` holds the briefs of the stories that were briefed, by story id
    (newsdesk.pipeline.brief_stories)."""

    stories: list[Story]
    ledger: list[LedgerEntry] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    briefs: dict[str, Brief] = field(default_factory=dict)


@dataclass(frozen=True)
class FigureChange:
    """A figure whose value changed (or that is new) since the baseline: same speaker (actor),
    measure and unit, different figures as written."""

    measure: str
    unit: str | None
    actor: str | None
    before: list[str]
    after: list[str]
    items: list[int]  # item numbers of the items stating the new figures
    as_of: str | None = None  # when the new figures are stated for (their latest as_of date), if known


@dataclass(frozen=True)
class BriefUpdate:
    """What changed in a story since the last brief of it (or since a date), and the updated brief."""

    story: str
    since: str  # "last" or the date given (ISO)
    baseline: str | None  # when the brief compared with was made (None: a date, or no earlier brief)
    new_items: list[int]  # item numbers
    new_item_ids: list[str]
    new_claims: list[Claim]
    changed_figures: list[FigureChange]
    brief: Brief = field(repr=False)


@dataclass(frozen=True)
class BriefRecord:
    """What the store remembers of a brief it made, to say later what changed: when it was
    made, the ids of the items briefed, its claims and its figures by key (newsdesk.changes)."""

    made: str  # ISO time, UTC
    item_ids: list[str]
    claims: list[str]  # claim keys
    figures: dict[str, list[str]]  # figure key -> the figures as written


@dataclass(frozen=True)
class StoryChange:
    """What changed in one story of a store since a time (newsdesk.changes.story_change): the
    items that arrived since (with when each arrived), and what they add to the story's brief:
    claims nobody had made before, figures whose value moved for the same speaker, measure and
    unit, and disputes with a side that only the new items carry."""

    story: Story
    status: str  # "new" (every item arrived since) or "updated" (it gained items)
    arrived: str  # when its newest item arrived (ISO, UTC)
    new_items: list[Item]
    arrivals: dict[int, str]  # item number -> when it arrived (ISO, UTC)
    new_claims: list[Claim] = field(default_factory=list)
    changed_figures: list[FigureChange] = field(default_factory=list)
    new_disputes: list[Dispute] = field(default_factory=list)
    headline: str | None = None  # the story's brief headline now
    briefed: bool = True  # False when nothing in the story could be briefed (no claims, figures, disputes known)


@dataclass(frozen=True)
class StoreChanges:
    """What changed across a store since a time (`newsdesk changes`, Store.changes)."""

    since: str  # "last" or the date given (ISO)
    baseline: str | None  # the time compared with (the previous run of `changes`, or the date); None: everything
    made: str  # when it was computed (ISO, UTC)
    stories: list[StoryChange]  # the story with the latest arrival first
    merged: list[tuple[str, str]] = field(default_factory=list)  # (old story id, the story it is part of now)
