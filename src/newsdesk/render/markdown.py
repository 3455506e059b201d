"""Markdown: for terminals and notes. Citations are [n], the input's item numbers.
`to_markdown(obj)` takes a brief, a brief with what changed, or a grouping of stories."""

from __future__ import annotations

from functools import singledispatch

from ..model import Brief, BriefUpdate, Grouping, StoreChanges, StoryChange

_TYPE_NAMES = {
    "PERSON": "People",
    "GPE": "Places",
    "LOC": "Places",
    "NORP": "Groups",
    "ORG": "Organisations",
    "FAC": "Facilities",
    "EVENT": "Events",
}
_EXCERPT = 90


@singledispatch
def to_markdown(obj) -> str:
    raise TypeError(f"no Markdown form for {type(obj).__name__}")


@to_markdown.register
def brief_markdown(brief: Brief) -> str:
    parts = [_headline(brief), _summary(brief), _figures(brief), _disputes(brief), _claims(brief),
             _timeline(brief), _entities(brief), _times(brief), _ledger(brief)]
    return "\n\n".join(p for p in parts if p) + "\n"


def cite(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _headline(brief: Brief) -> str:
    if not brief.headline:
        return "# (no complete sentence to brief)"
    return f"# {brief.headline.text} {cite(brief.headline.sources)}{_language(brief.headline)}"


def _summary(brief: Brief) -> str:
    lines = []
    for s in brief.sentences:
        also = f" (also {cite(s.support)})" if s.support else ""
        lines.append(f"- {s.text} {cite(s.sources)}{also}{_language(s)}")
    return "\n".join(lines)


def _figures(brief: Brief) -> str:
    if not brief.figures:
        return ""
    rows = []
    for q in brief.figures:
        per = _who(q.speaker, q.actor) if q.speaker else "unattributed"
        per += f", as of {q.as_of}" if q.as_of else ""
        rows.append([_cell(q.text), _cell(q.measure), _cell(per), cite([q.item])])
    return _table("Key figures", ["Figure", "Measures", "Per", "Item"], rows)


def _disputes(brief: Brief) -> str:
    if not brief.disputes:
        return ""
    out = ["## Contested"]
    for d in brief.disputes:
        out += ["", f"**{d.question}**", ""]
        out.append("| " + " | ".join(_cell(s.actor) for s in d.sides) + " |")
        out.append("|" + " --- |" * len(d.sides))
        out.append("| " + " | ".join(f"{_cell(s.speaker)}: “{_cell(s.content)}” {cite(s.items)}" for s in d.sides) + " |")
        if not d.reconcilable:
            out += ["", "_The figures are stated in different terms and cannot be compared directly._"]
    return "\n".join(out)


def _claims(brief: Brief) -> str:
    if not brief.claims:
        return ""
    rows = []
    for c in brief.claims:
        hedge = f" _({', '.join(c.hedges)})_" if c.hedges else ""
        when = f"{c.when} ({c.date})" if c.when and c.date else c.when or ""
        rows.append([_cell(_who(c.speaker, c.actor)), _cell(c.cue), _cell(c.content) + hedge, _cell(when), cite([c.item])])
    return _table("Claims", ["Who", "Cue", "What", "When", "Item"], rows)


def _table(title: str, header: list[str], rows: list[list[str]]) -> str:
    """A titled Markdown table of cells already escaped."""
    lines = [f"## {title}", "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def _entities(brief: Brief) -> str:
    groups: dict[str, list[str]] = {}
    for e in brief.entities:
        groups.setdefault(_TYPE_NAMES.get(e.type, e.type.title()), []).append(f"{e.text} {cite(e.items)}")
    if not groups:
        return ""
    return "## Who and where\n\n" + "\n".join(f"- **{name}**: {', '.join(names)}" for name, names in groups.items())


def _timeline(brief: Brief) -> str:
    if not brief.timeline:
        return ""
    rows = ["## Timeline", "", "| Date | What | Items |", "| --- | --- | --- |"]
    rows += [f"| {t.date} | {_cell(t.text)} | {cite(t.items)} |" for t in brief.timeline]
    return "\n".join(rows)


def _times(brief: Brief) -> str:
    if not brief.times:
        return ""
    entries = [f"{t.text}{f' ({t.date})' if t.date else ''} {cite(t.items)}" for t in brief.times]
    return "## When\n\n" + "; ".join(entries)


def _ledger(brief: Brief) -> str:
    rows = ["## Sources", "", "| Item | Status | Note | Text |", "| --- | --- | --- | --- |"]
    for e in brief.items:
        if e.status == "merged":
            note = f"duplicate of [{e.duplicate_of}]"
        elif e.status == "translation":
            note = f"{e.reason} of [{e.duplicate_of}]"
        else:
            note = e.reason or ""
        text = brief.sources.get(e.n, "")
        excerpt = text if len(text) <= _EXCERPT else text[:_EXCERPT].rstrip() + "…"
        rows.append(f"| [{e.n}] | {e.status} | {_cell(note)} | {_cell(excerpt)} |")
    return "\n".join(rows)


def _language(sentence) -> str:
    """A sentence quoted in the original language says which (English says nothing)."""
    return f" _({sentence.language})_" if sentence.language else ""


def _who(speaker: str, actor: str | None) -> str:
    """The speaker as written, and the normalised party when it says something more."""
    if not actor or _bare(actor) == _bare(speaker):
        return speaker
    return f"{speaker} ({actor})"


def _bare(name: str) -> str:
    name = name.casefold()
    return name[4:] if name.startswith("the ") else name


def _cell(text: str) -> str:
    """Table cells must not break the table: escape pipes, fold newlines."""
    return " ".join(str(text).split()).replace("|", "\\|")


@to_markdown.register
def update_markdown(update: BriefUpdate) -> str:
    """What changed first, then the updated brief."""
    return changes_markdown(update) + "\n" + brief_markdown(update.brief)


def changes_markdown(update: BriefUpdate) -> str:
    if update.since == "last":
        when = f"since the last brief ({update.baseline[:16].replace('T', ' ')} UTC)" if update.baseline \
            else "since the last brief (none: this is the first brief of the story)"
    else:
        when = f"since {update.since[:10]}"
    lines = [f"## What changed {when}", ""]
    lines.append(f"- **{_count(len(update.new_items), 'new item')}**"
                 + (f": {_spaced(update.new_items)}" if update.new_items else ""))
    lines.append(f"- **{_count(len(update.new_claims), 'new claim')}**" + (":" if update.new_claims else ""))
    for c in update.new_claims:
        lines.append(f"  - {c.speaker} ({c.cue}): {c.content} [{c.item}]")
    lines.append(f"- **{_count(len(update.changed_figures), 'changed figure')}**" + (":" if update.changed_figures else ""))
    for f in update.changed_figures:
        who = f" per {f.actor}" if f.actor else ""
        before = ", ".join(f.before) if f.before else "(not stated before)"
        lines.append(f"  - {f.measure or f.unit or 'figure'}{who}: {before} → {', '.join(f.after)} {_spaced(f.items)}")
    return "\n".join(lines) + "\n"


def _in_languages(languages: dict[str, int]) -> str:
    """", in en 3, ru 1" for a story whose items are not all in English; "" otherwise."""
    if set(languages) <= {"en"}:
        return ""
    return ", in " + ", ".join(f"{lang} {count}" for lang, count in languages.items())


@to_markdown.register
def grouping_markdown(grouping: Grouping) -> str:
    """Each story with its size, origins, outlets, dates and angles, and its brief when it has one."""
    stories = grouping.stories
    lines = [f"# {_count(len(stories), 'story', 'stories')}", ""]
    for story in stories:
        seen = f", {story.first_seen.date()} to {story.last_seen.date()}" if story.first_seen and story.last_seen else ""
        lines += [f"## {story.label}",
                  f"{len(story.items)} items, {story.origins} independent origins, {story.sources} sources"
                  f"{seen}{_in_languages(story.languages)} · id `{story.id}`"
                  + (f" · continues `{story.continues}`" if story.continues else ""), ""]
        if len(story.angles) > 1:
            lines += [f"- *{a.label}*: {_spaced(a.items)}" for a in story.angles]
        else:
            lines.append(f"Items: {_spaced(story.items)}")
        lines.append("")
        brief = grouping.briefs.get(story.id)
        if brief is not None:  # its headings one level down, under the story's
            demoted = ("\n" + brief_markdown(brief)).replace("\n# ", "\n### ").replace("\n## ", "\n#### ")
            lines += [demoted.strip("\n"), ""]
    return "\n".join(lines).rstrip() + "\n"


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _spaced(numbers: list[int]) -> str:
    return " ".join(f"[{n}]" for n in numbers)


@to_markdown.register
def store_changes_markdown(found: StoreChanges) -> str:
    """`newsdesk changes`: a summary line, then each changed story, the latest first."""
    if found.since == "last":
        when = (f"since the last run of `newsdesk changes` ({_minute(found.baseline)} UTC)" if found.baseline
                else "since the store began (the first run of `newsdesk changes`)")
    else:
        when = f"since {_minute(found.since)} UTC"
    stories = found.stories
    new = sum(s.status == "new" for s in stories)
    totals = [_count(len(stories), "story", "stories") + " changed" + (f" ({new} new, {len(stories) - new} gained items)"
                                                                         if stories else ""),
              _count(sum(len(s.new_items) for s in stories), "new item"),
              _count(sum(len(s.new_claims) for s in stories), "new claim"),
              _count(sum(len(s.changed_figures) for s in stories), "figure") + " moved",
              _count(sum(len(s.new_disputes) for s in stories), "new dispute")]
    lines = [f"# What changed {when}", "", "; ".join(totals) + ".", ""]
    for old, new_id in found.merged:
        lines.append(f"- story `{old}` was merged into story `{new_id}`")
    if found.merged:
        lines.append("")
    for change in stories:
        lines += [story_change_markdown(change), ""]
    return "\n".join(lines).rstrip() + "\n"


def story_change_markdown(change: StoryChange) -> str:
    st = change.story
    kind = "New story" if change.status == "new" else "Updated"
    lines = [f"## {kind}: {st.label}", "",
             f"story `{st.id}` · {_count(len(st.items), 'item')} · {_count(len(change.new_items), 'new item')}, "
             f"the latest arrived {_minute(change.arrived)} UTC"]
    if change.headline:
        lines += ["", f"> {change.headline}"]
    lines += ["", "**New items**", ""]
    for it in change.new_items:
        what = it.title or (it.text if len(it.text) <= _EXCERPT else it.text[:_EXCERPT].rstrip() + "…")
        outlet = f"{it.source}: " if it.source else ""
        published = f" (published {it.published:%Y-%m-%d})" if it.published else ""
        lines.append(f"- [{it.n}] {outlet}{' '.join(what.split())}{published}")
    if not change.briefed:
        lines += ["", "_Nothing in this story could be briefed, so its claims and figures are not known._"]
        return "\n".join(lines)
    if change.new_claims:
        lines += ["", "**New claims**", ""]
        lines += [f"- {_who(c.speaker, c.actor)} ({c.cue}): {' '.join(c.content.split())} [{c.item}]" for c in change.new_claims]
    if change.changed_figures:
        lines += ["", "**Figures that moved**", ""]
        for f in change.changed_figures:
            who = f" per {f.actor}" if f.actor else " (unattributed)"
            before = ", ".join(f.before) if f.before else "(not stated before)"
            as_of = f", as of {f.as_of}" if f.as_of else ""
            lines.append(f"- {f.measure or f.unit or 'figure'}{who}: {before} → {', '.join(f.after)}{as_of} {_spaced(f.items)}")
    if change.new_disputes:
        lines += ["", "**New disputes**", ""]
        for d in change.new_disputes:
            sides = " vs ".join(f"{s.actor}" + (f" ({', '.join(s.figures)})" if s.figures else "") + f" {_spaced(s.items)}"
                                for s in d.sides)
            lines.append(f"- {d.question}: {sides}")
    return "\n".join(lines)


def _minute(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ")
