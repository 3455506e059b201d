"""The story commands of the CLI (`stories`, `ingest`): thin layers over newsdesk.stories and
newsdesk.store. Kept apart from cli.py so that each command family has its own module."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .errors import NewsdeskError, NoNewsError
from .options import EMBEDDERS, Options

# The story thresholds (paraphrase duplicates, joining a story) are tuned for MiniLM's cosines;
# the static model scores word-order swaps ("A beat B", "B beat A") as the same text.
STORY_EMBEDDERS = tuple(e for e in EMBEDDERS if e != "static")


def default_db() -> str:
    return os.environ.get("NEWSDESK_DB") or "newsdesk.db"


def add_story_commands(commands, add_input_arguments, path_help: str) -> None:
    stories = commands.add_parser(
        "stories", help="sort a mixed pile into stories (with angles), or list the stories of a store",
        description="Group the input into stories: each item that is not dropped, duplicates included, is in "
        "exactly one story. Without PATH, list the stories of the store (--db).")
    stories.add_argument("paths", nargs="*", metavar="PATH", help=path_help)
    stories.add_argument("--format", choices=("md", "json"), default="md", help="output format (default: md)")
    stories.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    stories.add_argument("--briefs", action="store_true", help="add one brief per story, biggest story first")
    stories.add_argument("--db", metavar="FILE", help="the store to list when no PATH is given "
                         "(default: $NEWSDESK_DB or ./newsdesk.db)")
    stories.add_argument("--embedder", choices=STORY_EMBEDDERS, help="sentence embeddings (default: minilm)")
    add_input_arguments(stories)
    stories.set_defaults(run=_stories)

    ingest = commands.add_parser(
        "ingest", help="add items to a store (SQLite); prints how many were new, duplicates, dropped",
        description="Add the items of PATH... to a store, cluster them into stories incrementally, and print "
        "how many were new, duplicates and dropped. Ingesting the same items again adds nothing.")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help=path_help)
    ingest.add_argument("--db", metavar="FILE", help="the store (default: $NEWSDESK_DB or ./newsdesk.db)")
    ingest.add_argument("--embedder", choices=STORY_EMBEDDERS, help="sentence embeddings (default: minilm)")
    add_input_arguments(ingest)
    ingest.set_defaults(run=_ingest)


def _options(args) -> Options:
    from .cli import _input_options

    options = Options.from_toml(args.options) if args.options else Options()
    options = options.update(embedder=args.embedder)
    return _input_options(args, options) if hasattr(args, "input_format") else options


def story_dict(story, brief=None) -> dict:
    out = {
        "id": story.id, "label": story.label, "items": story.items, "item_ids": story.item_ids,
        "angles": [{"label": a.label, "items": a.items} for a in story.angles],
        "sources": story.sources, "origins": story.origins,
        "first_seen": story.first_seen.isoformat() if story.first_seen else None,
        "last_seen": story.last_seen.isoformat() if story.last_seen else None,
    }
    if brief is not None:
        from .render.jsonout import to_dict

        out["brief"] = to_dict(brief)
    return out


def _stories(args) -> int:
    from .cli import ReadReport, _reading_done, emit

    options = _options(args)
    if not args.paths:
        return _stories_from_store(args, options)
    from .ingest import read
    from .render.jsonout import ledger_dict
    from .cluster import group

    report = ReadReport()
    result = group(report.watch(read(args.paths, options)), options)
    status = _reading_done(args, report)
    if not result.stories:
        where = ", ".join("standard input" if p == "-" else p for p in args.paths)
        raise NoNewsError(f"no news items in {where}")
    briefs = _briefs(result, options) if args.briefs else [None] * len(result.stories)
    if args.format == "json":
        text = json.dumps({"stories": [story_dict(s, b) for s, b in zip(result.stories, briefs)],
                           "items": [ledger_dict(e) for e in result.ledger]}, ensure_ascii=False, indent=2) + "\n"
    else:
        text = _markdown(result.stories, briefs)
    emit(text, args.output)
    return status


def _briefs(result, options):
    from .pipeline import brief

    by_n = {it.n: it for it in result.items}
    out = []
    for story in result.stories:  # biggest first
        try:
            out.append(brief([by_n[n] for n in story.items], options))
        except NoNewsError:
            out.append(None)
    return out


def _markdown(stories, briefs) -> str:
    lines = [f"# {len(stories)} {'story' if len(stories) == 1 else 'stories'}", ""]
    for story, b in zip(stories, briefs):
        seen = ""
        if story.first_seen:
            seen = f", {story.first_seen.date()} to {story.last_seen.date()}"
        lines.append(f"## {story.label}")
        lines.append(f"{len(story.items)} items, {story.origins} independent origins, {story.sources} sources"
                     f"{seen} · id `{story.id}`")
        lines.append("")
        if len(story.angles) > 1:
            for a in story.angles:
                lines.append(f"- *{a.label}*: " + " ".join(f"[{n}]" for n in a.items))
            lines.append("")
        else:
            lines.append("Items: " + " ".join(f"[{n}]" for n in story.items))
            lines.append("")
        if b is not None:
            from .render.markdown import to_markdown

            lines.append(to_markdown(b).replace("\n# ", "\n### ").replace("\n## ", "\n#### "))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _stories_from_store(args, options) -> int:
    from .cli import emit
    from .store import Store

    path = args.db or default_db()
    if not Path(path).exists():
        raise NewsdeskError(f"no store at {path}: run `newsdesk ingest PATH --db {path}` first", code=2)
    with Store(path, options) as store:
        rows = store.stories()
    if args.format == "json":
        text = json.dumps({"stories": [story_dict(s) for s in rows]}, ensure_ascii=False, indent=2) + "\n"
    else:
        text = _markdown(rows, [None] * len(rows))
    emit(text, args.output)
    return 0


def _ingest(args) -> int:
    from .cli import ReadReport, _reading_done
    from .ingest import read
    from .store import Store

    options = _options(args)
    path = args.db or default_db()
    report = ReadReport()
    with Store(path, options) as store:
        counts = store.ingest(report.watch(read(args.paths, options)), progress=_bar())
    status = _reading_done(args, report)
    print(f"{counts['new']} new, {counts['duplicates']} duplicates, {counts['dropped']} dropped, "
          f"{counts['seen']} already in the store ({path})")
    return status


def _bar():
    """A tqdm bar on stderr (disabled when nobody watches)."""
    def wrap(iterable):
        from tqdm import tqdm

        return tqdm(iterable, desc="ingesting", unit=" items", file=sys.stderr, disable=not sys.stderr.isatty())
    return wrap


# ---------------------------------------------------------------- `newsdesk brief --story ID [--since last|DATE]`


def story_brief(args, options) -> int:
    """Brief one story of the store; with --since, what changed first."""
    from . import render
    from .cli import emit
    from .store import Store, parse_since

    if args.paths and args.story:
        raise NewsdeskError("give PATH or --story ID, not both", code=2)
    if not args.story:
        if args.since:
            raise NewsdeskError("--since needs --story ID (the story of the store to compare)", code=2)
        raise NewsdeskError("nothing to brief: give PATH, or --story ID with a store", code=2)
    since = parse_since(args.since) if args.since else None
    path = args.db or default_db()
    if not Path(path).is_file():
        raise NewsdeskError(f"no store at {path}: run `newsdesk ingest PATH --db {path}` first", code=2)
    with Store(path, options) as store:
        say_if_merged(store, args.story)
        result = store.brief(args.story, since=since, options=options)
    if since is None:
        text = render.render(result, args.format)
    elif args.format == "json":
        from .render.jsonout import to_dict

        data = {"changes": changes_dict(result), **to_dict(result.brief)}
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        import html

        page = render.render(result.brief, "html")
        section = "<section id=\"changes\">\n" + "\n".join(
            f"<p>{html.escape(line)}</p>" for line in changes_markdown(result).splitlines() if line.strip()) + "\n</section>\n"
        text = page.replace("<body>\n", "<body>\n" + section, 1) if "<body>\n" in page else section + page
    else:
        text = changes_markdown(result) + "\n" + render.render(result.brief, "md")
    emit(text, args.output)
    return 0


def say_if_merged(store, story_id: str) -> None:
    """A story merged into another when the store regrouped its open stories is shown under
    its new id: say so on stderr."""
    now = store.current_id(story_id)
    if now != story_id:
        print(f"newsdesk: story {story_id} was merged into story {now}; showing {now}", file=sys.stderr)


def changes_dict(update) -> dict:
    from .render.jsonout import claim_dict

    return {
        "story": update.story, "since": update.since, "baseline": update.baseline,
        "new_items": update.new_items, "new_item_ids": update.new_item_ids,
        "new_claims": [claim_dict(c) for c in update.new_claims],
        "changed_figures": [{"measure": f.measure, "unit": f.unit, "actor": f.actor, "before": f.before,
                             "after": f.after, "items": f.items} for f in update.changed_figures],
    }


def changes_markdown(update) -> str:
    def cite(numbers):
        return " ".join(f"[{n}]" for n in numbers)

    if update.since == "last":
        when = f"since the last brief ({update.baseline[:16].replace('T', ' ')} UTC)" if update.baseline \
            else "since the last brief (none: this is the first brief of the story)"
    else:
        when = f"since {update.since[:10]}"
    lines = [f"## What changed {when}", ""]
    def count(n, word):
        return f"{n} {word}" + ("" if n == 1 else "s")

    lines.append(f"- **{count(len(update.new_items), 'new item')}**" + (f": {cite(update.new_items)}" if update.new_items else ""))
    lines.append(f"- **{count(len(update.new_claims), 'new claim')}**" + (":" if update.new_claims else ""))
    for c in update.new_claims:
        lines.append(f"  - {c.speaker} ({c.cue}): {c.content} [{c.item}]")
    lines.append(f"- **{count(len(update.changed_figures), 'changed figure')}**" + (":" if update.changed_figures else ""))
    for f in update.changed_figures:
        who = f" per {f.actor}" if f.actor else ""
        what = f.measure or f.unit or "figure"
        before = ", ".join(f.before) if f.before else "(not stated before)"
        lines.append(f"  - {what}{who}: {before} → {', '.join(f.after)} {cite(f.items)}")
    return "\n".join(lines) + "\n"
