"""Security review: a corpus of script-injection payloads (tests/data/xss-payloads.txt) put in
every field of a news item (title, text, outlet, URL) and in the search query, through every
page of the web app and the standalone HTML brief, opened in a real headless Chromium. A page
passes when no payload ran (no dialog, `window.__xss` unset) and none became markup: no element
with an event-handler attribute, no `javascript:` link, no script, frame or object from the news
(checked in the DOM, so the escaping is tested, not only the Content-Security-Policy)."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import newsdesk
from newsdesk.model import Item
from newsdesk.render import render
from newsdesk.store import Store

from .conftest import ROOT
from .test_web_browser import browser, page  # noqa: F401  (fixtures: Debian's Chromium via Playwright)
from .web_support import Server, story_page

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
PAYLOADS = (ROOT / "tests" / "data" / "xss-payloads.txt").read_text(encoding="utf-8").splitlines()

# Markup that news text must never become; the pages themselves use none of it.
INJECTED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
      if (['href', 'src', 'action', 'data', 'formaction'].includes(a.name)
          && /^\\s*(javascript|data):/i.test(a.value)) bad.push(el.tagName + ' ' + a.name + '=' + a.value);
    }
  }
  for (const el of document.querySelectorAll('iframe, object, embed, base, meta[http-equiv=refresh], template'))
    bad.push(el.tagName);
  for (const el of document.querySelectorAll('script'))
    if (!el.src) bad.push('inline script: ' + el.textContent.slice(0, 40));
  return bad;
}"""


def _items() -> list[Item]:
    items = []
    for k, payload in enumerate(PAYLOADS):
        url = payload if ":" in payload.split("<")[0] else f"https://example.org/zanzibar/{urllib.parse.quote(payload)}"
        items.append(Item(n=k, title=f"Zanzibar port strike {payload}", source=payload, url=url,
                          text=f"Zanzibar dockers strike for day {k + 1}: {payload} the union said 40% of the "
                               f"dockers walked out, port officials said on Tuesday."))
    return items


def _assert_inert(page, where: str) -> None:  # noqa: F811
    page.wait_for_timeout(150)  # onload / onerror handlers would have run by now
    assert page.evaluate("window.__xss") is None, where
    assert page.dialogs == [], where
    assert page.evaluate(INJECTED) == [], where


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("xss") / "xss.db"
    with Store(db) as store:
        store.ingest(_items())
    srv = Server(db)
    yield srv
    srv.stop()


def _get(url: str):
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def test_every_page_keeps_the_payloads_inert(server, page):  # noqa: F811
    stories = _get(server.url + "/api/stories")["stories"]
    story_pages = [f"/stories/{s['id']}" for s in stories]
    assert story_pages, "the payload items formed no story"
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for s in stories:  # with its brief: a page whose brief is pending reloads itself (meta refresh)
            story_page(client, s["id"])
    for path in ["/", "/?q=Zanzibar", "/whatsnew", "/upload", *story_pages]:
        page.goto(server.url + path)
        _assert_inert(page, path)
    shown = ""
    for path in story_pages:
        page.goto(server.url + path)
        shown += page.locator("main").text_content() or ""
    assert sum(p in shown for p in PAYLOADS) >= len(PAYLOADS) // 2  # shown as text, not dropped


def test_search_queries_keep_the_payloads_inert(server, page):  # noqa: F811
    for payload in PAYLOADS:
        page.goto(server.url + "/search?q=" + urllib.parse.quote(payload))
        _assert_inert(page, f"search {payload!r}")


def test_the_html_brief_keeps_the_payloads_inert(page, tmp_path):  # noqa: F811
    report = tmp_path / "brief.html"
    report.write_text(render(newsdesk.brief(_items()), "html"), encoding="utf-8")
    page.goto(report.as_uri())
    _assert_inert(page, "brief.html")
    assert "Zanzibar" in page.locator("body").inner_text()


def test_other_formats_carry_the_payloads_as_data(tmp_path: Path):
    brief = newsdesk.brief(_items())
    data = json.loads(render(brief, "json"))
    assert any("<script>" in s["text"] for s in data["sentences"]) or any("<script>" in i.get("source", "") for i in data.get("sources", []))
    markdown = render(brief, "md")
    assert "\\<script>" in markdown  # Markdown becomes HTML in many tools: every "<" is escaped
    assert not re.search(r"(?<!\\)<", markdown)
