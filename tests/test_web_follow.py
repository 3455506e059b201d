"""The web app for following an event, against the real server on 127.0.0.1: the "What's new"
page, the Atom feeds (validated against the RELAX NG schema of Atom 1.0), followed stories,
arrivals and figures over time on a story page, and the fixes of the store's pages (outlet
names as published, honest outlet counts, sorting and paging, the site's error page for unknown
addresses and 413, the favicon, the token field). Then the same pages in Chromium at a desktop
width and at a 390-pixel phone width: no sideways scroll, a table of contents in view on a big
story, long lists folded, no failed request in the console. Screenshots go to
$TMPDIR/newsdesk-web-screens.

The store: the 999 real UCI headlines, then the first six Kursk snippets, then the last six in
a later ingest (news that arrived later)."""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")

from .conftest import KURSK, UCI, need
from .test_changes import ATOM, valid_atom
from .web_support import SCREENS, Server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@functools.lru_cache(maxsize=1)
def built_store() -> tuple[Path, str]:
    """(the store, the time between its two ingests)."""
    import newsdesk
    from newsdesk.model import Item
    from newsdesk.store import Store

    need(UCI)
    kursk = [Item(n=k, text=line, origin=f"kursk-snippets.txt:{k}")
             for k, line in enumerate(need(KURSK).read_text(encoding="utf-8").splitlines(), start=1) if line.strip()]
    path = Path(tempfile.mkdtemp(prefix="newsdesk-follow-")) / "follow.db"
    with Store(path) as store:
        # Apart: in one ingest with the dated UCI headlines, the undated snippets would take 2014's date.
        store.ingest(list(newsdesk.read(str(UCI))))
        store.ingest(kursk[:6])
        between = datetime.now(timezone.utc).isoformat()
        time.sleep(0.01)
        store.ingest(kursk[6:])
    return path, between


@pytest.fixture(scope="module")
def server():
    path, between = built_store()
    copy = Path(tempfile.mkdtemp(prefix="newsdesk-follow-")) / "follow.db"
    shutil.copy(path, copy)
    srv = Server(copy, token="s3cret", max_upload=200_000)
    srv.between = between
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=300, headers={"Accept": "text/html"}) as c:
        yield c


def stories(client) -> list[dict]:
    return client.get("/api/stories", headers={"Accept": "application/json"}).json()["stories"]


def kursk_story(client) -> dict:
    """The story of the Kursk snippets (the UCI headlines of 2014 have Ukraine stories too)."""
    found = client.get("/api/stories", params={"q": "Kursk"}, headers={"Accept": "application/json"}).json()["stories"]
    return max(found, key=lambda s: len(s["items"]))


# ---------------------------------------------------------------- over HTTP


def test_outlet_names_are_as_published(client):
    """The UCI file escapes its PUBLISHER column ("Yahoo\\!7 News"); the reader stores names as published."""
    import newsdesk

    read = {it.source for it in newsdesk.read(str(UCI))}
    assert "Yahoo!7 News" in read and "Reuters UK (blog)" in read and not any("\\" in s for s in read if s)
    home = client.get("/?sort=outlets").text
    assert "\\(" not in home and "\\&amp;" not in home
    biggest = stories(client)[0]
    page = client.get(f"/stories/{biggest['id']}").text
    assert "\\(" not in page and "\\!" not in page and "\\&amp;" not in page


def test_counts_say_what_is_unknown(client):
    kursk = kursk_story(client)
    page = client.get(f"/stories/{kursk['id']}").text
    meta = re.search(r'<p class="meta">(.*?)</p>', page, re.S).group(1)
    assert "no outlet named" in meta and "outlets" not in meta.replace("no outlet named", "")
    assert "none named" in client.get("/?q=Kursk").text


def test_home_is_sorted_and_paged(client):
    first = client.get("/").text
    assert "page 1 of 2" in first and first.count('class="story-row"') == 25
    second = client.get("/?page=2").text
    ids = lambda html: re.findall(r'href="/stories/([^"#/]+)"', html)  # noqa: E731
    assert ids(second) and not set(ids(second)) & set(ids(first))
    recent = client.get("/?sort=recent").text
    dates = re.findall(r"<dt>Last seen</dt><dd>(\d{4}-\d{2}-\d{2})", recent)
    assert dates == sorted(dates, reverse=True) and len(dates) == 25
    assert 'class="summary"' in first  # a line that says what each story is


def test_error_pages_and_favicon(client, server):
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "<h1>Error 404</h1>" in missing.text and "text/html" in missing.headers["content-type"]
    assert client.get("/no/such/page", headers={"Accept": "application/json"}).json() == {"detail": "Not Found"}
    assert client.get("/api/nope").headers["content-type"].startswith("application/json")
    big = b"x" * 400_000
    refused = client.post("/upload", files={"file": ("big.txt", big, "text/plain")}, headers={"Accept": "text/html"})
    assert refused.status_code == 413 and "upload too large" in refused.text and "<h1>Error 413</h1>" in refused.text
    api = client.post("/api/jobs", files={"file": ("big.txt", big, "text/plain")}, headers={"Accept": "application/json"})
    assert api.status_code == 413 and api.json()["detail"].startswith("upload too large")
    icon = client.get("/favicon.ico", follow_redirects=True)
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_the_token_field_is_not_required_with_the_token_cookie(server):
    with httpx.Client(base_url=server.url, timeout=60) as c:
        assert 'name="token"' in c.get("/upload").text
        c.get("/?token=s3cret")
        assert c.cookies.get("newsdesk_token") == "s3cret"
        form = c.get("/upload").text
        assert 'name="token"' not in form and "remembered" in form


def test_feeds_are_valid_atom(client, server):
    feed = client.get("/feeds/changes.atom", params={"since": server.between})
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    doc = valid_atom(feed.text)
    entries = doc.findall(ATOM + "entry")
    assert entries and all(e.find(ATOM + "link").get("href").startswith(server.url + "/stories/") for e in entries)
    assert doc.find(ATOM + "link[@rel='self']").get("href").startswith(server.url + "/feeds/changes.atom")
    assert "several hundred square kilometres" in feed.text  # the figure the later snippets brought
    kursk = kursk_story(client)
    own = client.get(f"/stories/{kursk['id']}/feed.atom")
    story_doc = valid_atom(own.text)
    arrivals = story_doc.findall(ATOM + "entry")
    assert len(arrivals) == 2  # the first ingest, and the later one
    assert arrivals[0].findtext(ATOM + "updated") > arrivals[1].findtext(ATOM + "updated")
    assert client.get("/stories/nope/feed.atom").status_code == 404
    as_json = client.get("/api/changes", params={"since": server.between}, headers={"Accept": "application/json"}).json()
    assert [s["story"]["id"] for s in as_json["stories"]] == [
        e.find(ATOM + "link").get("href").rsplit("/", 1)[-1] for e in entries]
    assert any(f["after"] == ["several hundred square kilometres"] for s in as_json["stories"] for f in s["changed_figures"])


def test_following_a_story(server):
    with httpx.Client(base_url=server.url, timeout=300, headers={"Accept": "text/html"}) as c:
        kursk = kursk_story(c)
        sid = kursk["id"]
        followed = c.post(f"/stories/{sid}/follow", data={"action": "follow", "back": "/"}, follow_redirects=False)
        assert followed.status_code == 303 and followed.headers["location"] == "/"
        assert "newsdesk_follow" in c.cookies
        home = c.get("/").text
        assert "Stories you follow" in home and "nothing new since your last visit" in home
        added = c.post("/api/ingest", headers={"X-Newsdesk-Token": "s3cret", "Accept": "application/json"}, json={"items": [
            {"text": "Russia's defence ministry said its forces had retaken 70% of the Kursk territory captured by Ukraine, "
                     "while Kyiv said it still held several hundred square kilometres.", "source": "Harbour Wire",
             "url": "https://example.org/kursk-70"}]})
        assert added.status_code == 200 and added.json()["new"] == 1
        from newsdesk.model import item_id

        members = c.get(f"/api/stories/{sid}", headers={"Accept": "application/json"}).json()["item_ids"]
        assert item_id("", "Harbour Wire", "https://example.org/kursk-70") in members, "the new item joined another story"
        assert "1 new since your last visit" in c.get("/").text
        page = c.get(f"/stories/{sid}").text
        assert 'id="since-visit"' in page and "70%" in page.split('id="since-visit"')[1].split("</section>")[0]
        assert "1 new since your last visit" not in c.get("/").text  # the visit moved the mark on
        cross = c.post(f"/stories/{sid}/follow", data={"action": "unfollow"}, headers={"Origin": "https://evil.example"})
        assert cross.status_code == 403
        c.post(f"/stories/{sid}/follow", data={"action": "unfollow"})
        assert "Stories you follow" not in c.get("/").text


def test_a_story_page_shows_arrivals_and_figures_over_time(client):
    kursk = kursk_story(client)
    page = client.get(f"/stories/{kursk['id']}").text
    assert 'id="sec-arrivals"' in page and "arrived " in page
    history = page.split('id="sec-figure-history"')[1].split("</section>")[0]
    assert "<svg" in history and "63.2%" in history
    assert 'class="toc"' in page and 'href="#sec-claims"' in page


# ---------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium")
    SCREENS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def open_page(browser, viewport):
    context = browser.new_context(viewport=viewport)
    pg = context.new_page()
    pg.failures = []
    pg.on("console", lambda m: pg.failures.append(m.text) if m.type == "error" else None)
    pg.on("response", lambda r: pg.failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return context, pg


def no_sideways_scroll(pg) -> None:
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= pg.viewport_size["width"], f"the page is {width} px wide"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_home_fits_the_screen(server, browser, viewport):
    context, pg = open_page(browser, viewport)
    try:
        pg.goto(server.url + "/")
        pg.screenshot(path=str(SCREENS / f"follow-home-{viewport['width']}.png"), full_page=True)
        no_sideways_scroll(pg)
        # Titles get the width of the row, not a word per line: every label (up to 14 words) fits on
        # at most three lines, even at 390 pixels.
        lines = pg.eval_on_selector_all("a.story-link", "links => links.map(a => a.getClientRects().length)")
        assert len(lines) == 25 and max(lines) <= 3, lines
        assert pg.locator(".summary").count() >= 20
        assert pg.failures == []
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_big_story_is_navigable(server, browser, viewport):
    context, pg = open_page(browser, viewport)
    try:
        biggest = server_stories(server)[0]
        assert len(biggest["items"]) >= 100
        pg.goto(server.url + f"/stories/{biggest['id']}", timeout=300_000)
        pg.screenshot(path=str(SCREENS / f"follow-big-story-{viewport['width']}.png"), full_page=True)
        no_sideways_scroll(pg)
        folded = pg.eval_on_selector_all("details.fold", "ds => ds.map(d => d.open)")
        assert len(folded) >= 2 and not any(folded)
        height = pg.evaluate("document.documentElement.scrollHeight")
        assert height < 6000, f"the page is {height} px tall"
        pg.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        box = pg.locator("nav.toc").bounding_box()
        assert box is not None and 0 <= box["y"] < viewport["height"], "the table of contents scrolled away"
        pg.locator("nav.toc a[href='#sec-sources']").click()
        cite = pg.locator("h2.headline a.cite").first
        n = cite.get_attribute("data-item")
        pg.evaluate("window.scrollTo(0, 0)")
        cite.click()
        assert pg.locator(f"details#item-{n}").evaluate("d => d.open && d.closest('details.fold').open")
        assert pg.locator(f"details#item-{n} .source-text").is_visible()
        assert pg.failures == []
    finally:
        context.close()


def server_stories(server) -> list[dict]:
    return httpx.get(server.url + "/api/stories", timeout=60).json()["stories"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_whats_new_and_feeds_in_the_browser(server, browser, viewport):
    context, pg = open_page(browser, viewport)
    try:
        url = server.url + f"/whatsnew?since={quote(server.between)}"
        deadline = time.time() + 300
        pg.goto(url)
        while pg.locator(".pending").count() and time.time() < deadline:  # briefs being made in the background
            time.sleep(2)
            pg.reload()
        assert pg.locator(".pending").count() == 0
        text = pg.locator("main").inner_text()
        assert "New claims" in text and "several hundred square kilometres" in text
        no_sideways_scroll(pg)
        pg.screenshot(path=str(SCREENS / f"follow-whatsnew-{viewport['width']}.png"), full_page=True)
        feed_link = pg.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href")
        answer = pg.goto(server.url + feed_link)
        assert answer.ok and answer.headers["content-type"].startswith("application/atom+xml")
        valid_atom(answer.body().decode("utf-8"))
        assert pg.failures == []
        missing = pg.goto(server.url + "/no/such/page")
        assert missing.status == 404 and pg.locator("h1").inner_text() == "Error 404"  # the site's page, not JSON
        assert pg.locator("header.top nav").is_visible()
    finally:
        context.close()


def test_follow_and_the_figure_chart_in_the_browser(server, browser):
    context, pg = open_page(browser, PHONE)
    try:
        kursk = kursk_story(httpx.Client(base_url=server.url, timeout=60))
        pg.goto(server.url + f"/stories/{kursk['id']}", timeout=300_000)
        assert pg.locator("svg.figure-chart circle").count() >= 1
        pg.click("form.follow button")
        pg.wait_for_selector("form.follow button:has-text('Following')")
        pg.screenshot(path=str(SCREENS / "follow-story-390.png"), full_page=True)
        no_sideways_scroll(pg)
        pg.goto(server.url + "/")
        assert "Stories you follow" in pg.locator("main").inner_text()
        assert pg.failures == []
    finally:
        context.close()
