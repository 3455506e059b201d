"""`newsdesk changes` and Store.changes: what changed across a store since the last run or a
date, on the real Kursk snippets fed in two ingests; the Atom output validated against a RELAX NG
schema of Atom 1.0 (tests/data/atom.rng, lxml) and by feedparser."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

from newsdesk import Options
from newsdesk.model import Item
from newsdesk.render import render
from newsdesk.store import Store

from .conftest import KURSK, need, run_cli

OPTIONS = Options(embedder="hashing")
ATOM_RNG = Path(__file__).parent / "data" / "atom.rng"
ATOM = "{http://www.w3.org/2005/Atom}"


def valid_atom(text: str) -> etree._Element:
    """The feed, once lxml's RELAX NG validator and feedparser both accept it as Atom 1.0, and
    the rules RELAX NG cannot say hold (an author for every entry, unique entry ids)."""
    import feedparser

    schema = etree.RelaxNG(etree.parse(str(ATOM_RNG)))
    doc = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(doc), str(schema.error_log)
    parsed = feedparser.parse(text.encode("utf-8"))
    assert not parsed.bozo and parsed.version == "atom10", parsed.get("bozo_exception")
    entries = doc.findall(ATOM + "entry")
    assert doc.find(ATOM + "author") is not None or all(e.find(ATOM + "author") is not None for e in entries)
    ids = [e.findtext(ATOM + "id") for e in entries]
    assert len(ids) == len(set(ids))
    return doc


def test_the_validator_refuses_broken_atom():
    good = ('<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:uuid:1</id><title>t</title>'
            '<updated>2025-06-01T12:00:00Z</updated><author><name>a</name></author></feed>')
    valid_atom(good)
    schema = etree.RelaxNG(etree.parse(str(ATOM_RNG)))
    for bad in (good.replace("<id>urn:uuid:1</id>", ""),  # no id
                good.replace("2025-06-01T12:00:00Z", "1 June 2025"),  # not an RFC 3339 date
                good.replace("<title>t</title>", "<title>t</title><colour>red</colour>")):  # not an Atom element
        assert not schema.validate(etree.fromstring(bad))


@pytest.fixture(scope="module")
def halves(tmp_path_factory):
    """The Kursk snippets in two files (first six lines, last six), as two days of news."""
    lines = need(KURSK).read_text(encoding="utf-8").splitlines()
    folder = tmp_path_factory.mktemp("kursk")
    first, second = folder / "first.txt", folder / "second.txt"
    first.write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[6:]) + "\n", encoding="utf-8")
    return first, second


def _read(path: Path) -> list[Item]:
    import newsdesk

    return list(newsdesk.read(str(path)))


def test_changes_since_the_last_run(halves, tmp_path):
    first, second = halves
    with Store(tmp_path / "s.db", OPTIONS) as store:
        store.ingest(_read(first))
        opening = store.changes()
        assert opening.since == "last" and opening.baseline is None
        assert opening.stories and all(s.status == "new" for s in opening.stories)
        assert sum(len(s.new_items) for s in opening.stories) == store.db.execute(
            "SELECT count(*) FROM items WHERE story IS NOT NULL").fetchone()[0]
        assert store.changes().stories == []  # nothing arrived since the run before

        store.ingest(_read(second))
        later = store.changes()
        assert later.baseline is not None and later.baseline > opening.made[:19]
        arrived = {it_id for (it_id,) in store.db.execute(
            "SELECT id FROM items WHERE story IS NOT NULL AND added > ?", (later.baseline,))}
        assert {it.id for s in later.stories for it in s.new_items} == arrived and arrived
        assert all(s.arrivals[it.n] > later.baseline for s in later.stories for it in s.new_items)
        claims = [c for s in later.stories for c in s.new_claims]
        # Line 10: "Kyiv says ... it still controls several hundred square kilometres": a new claim
        # and a new figure of the Government of Ukraine, against the Russian figure of line 1.
        assert any(c.actor == "Government of Ukraine" and "several hundred square kilometres" in c.content for c in claims)
        moved = [f for s in later.stories for f in s.changed_figures]
        assert any(f.actor == "Government of Ukraine" and f.after == ["several hundred square kilometres"] for f in moved)
        disputes = [d for s in later.stories for d in s.new_disputes]
        assert any({side.actor for side in d.sides} >= {"Government of Ukraine", "Russian Ministry of Defence"}
                   for d in disputes)
        old_claims = {(c.actor, c.content) for s in opening.stories for c in s.new_claims}
        assert not [c for c in claims if (c.actor, c.content) in old_claims]  # nothing said before is new

        # A date: everything that arrived since, whatever runs were made (and the run is not "last").
        everything = store.changes(datetime(2000, 1, 1, tzinfo=timezone.utc), record=False)
        assert sum(len(s.new_items) for s in everything.stories) == store.db.execute(
            "SELECT count(*) FROM items WHERE story IS NOT NULL").fetchone()[0]
        assert store.changes(datetime(2100, 1, 1, tzinfo=timezone.utc), record=False).stories == []
        only = store.changes("2000-01-01", story=later.stories[0].story.id, record=False)
        assert [s.story.id for s in only.stories] == [later.stories[0].story.id]

        text = render(later, "md")
        assert text.startswith("# What changed since the last run") and "several hundred square kilometres" in text
        data = json.loads(render(later, "json"))
        assert {"since", "baseline", "made", "stories", "merged"} <= set(data)
        assert {"story", "status", "arrived", "new_items", "new_claims", "changed_figures", "new_disputes"} <= set(data["stories"][0])
        doc = valid_atom(render(later, "atom", base_url="http://127.0.0.1:8000", feed_id="test"))
        entries = doc.findall(ATOM + "entry")
        assert len(entries) == len(later.stories)
        links = [e.find(ATOM + "link").get("href") for e in entries]
        assert links == [f"http://127.0.0.1:8000/stories/{s.story.id}" for s in later.stories]
        # The same change gives the same entry id: a feed reader shows it once.
        again = valid_atom(render(later, "atom", feed_id="test"))
        assert [e.findtext(ATOM + "id") for e in again.findall(ATOM + "entry")] == [e.findtext(ATOM + "id") for e in entries]


def test_atom_escapes_news_text(tmp_path):
    evil = "Zanzibar port strike: <script>alert(1)</script> & \x0b\x1f control characters, the union said on Tuesday."
    with Store(tmp_path / "s.db", OPTIONS) as store:
        store.ingest([Item(n=1, text=evil, title="<b>Strike</b> & more", source="Wire]]>")])
        found = store.changes()
    text = render(found, "atom")
    doc = valid_atom(text)
    assert "<script>" not in text and "&lt;script&gt;" in text
    content = doc.find(ATOM + "entry").findtext(ATOM + "content")
    assert "&lt;script&gt;" in content  # escaped once more inside the HTML the content carries
    empty = valid_atom(render(replace(found, stories=[]), "atom"))
    assert empty.findall(ATOM + "entry") == []


def test_changes_command(halves, tmp_path):
    first, second = halves
    db = str(tmp_path / "c.db")
    assert run_cli("ingest", str(first), "--db", db, "--embedder", "hashing").returncode == 0
    opening = run_cli("changes", "--db", db, "--embedder", "hashing")
    assert opening.returncode == 0 and b"since the store began" in opening.stdout
    assert run_cli("ingest", str(second), "--db", db, "--embedder", "hashing").returncode == 0
    feed = run_cli("changes", "--db", db, "--embedder", "hashing", "--format", "atom", "--base-url", "http://127.0.0.1:8000/")
    assert feed.returncode == 0, feed.stderr.decode()
    doc = valid_atom(feed.stdout.decode("utf-8"))
    assert doc.findall(ATOM + "entry") and "http://127.0.0.1:8000/stories/" in feed.stdout.decode()
    assert b"<entry>" not in run_cli("changes", "--db", db, "--embedder", "hashing", "--format", "atom").stdout
    as_json = run_cli("changes", "--db", db, "--embedder", "hashing", "--since", "2000-01-01", "--format", "json")
    assert json.loads(as_json.stdout)["stories"]
    for args, message in ((["--since", "yesterday"], b"--since expects"), (["--story", "nope"], b"no story 'nope'"),
                          (["--base-url", "ftp://x"], b"--base-url expects")):
        bad = run_cli("changes", "--db", db, *args)
        assert bad.returncode == 2 and message in bad.stderr and len(bad.stderr.splitlines()) == 1
    missing = run_cli("changes", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and b"no store" in missing.stderr
