"""The web app's JSON API and pages over HTTP, against the real server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")

from .web_support import KURSK, Server, copy_store, free_port, story_page


@pytest.fixture(scope="module")
def server():
    srv = Server(copy_store(), token="s3cret", max_upload=200_000)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=120) as c:
        yield c


def _story(client, word):
    return next(s for s in client.get("/api/stories").json()["stories"] if word in s["label"])


def test_stories_api_mirrors_the_store(client):
    data = client.get("/api/stories").json()
    assert data["total"] >= 10
    top = data["stories"][0]
    assert {"id", "label", "items", "item_ids", "sources", "origins", "first_seen", "last_seen"} <= set(top)
    sizes = [len(s["items"]) for s in data["stories"]]
    assert sizes == sorted(sizes, reverse=True)
    kursk = client.get("/api/stories", params={"q": "Kursk"}).json()["stories"]
    assert len(kursk) == 1 and "Kursk" in kursk[0]["label"] and len(kursk[0]["items"]) >= 10
    assert client.get("/api/stories", params={"since": "2030-01-01"}).json()["stories"] == []


def test_story_brief_and_claims(client):
    kursk = _story(client, "Kursk")
    brief = client.get(f"/api/stories/{kursk['id']}/brief", params={"wait": 300}).json()
    assert brief["headline"] and brief["claims"] and brief["disputes"]
    assert all(n in kursk["items"] for s in brief["sentences"] for n in s["sources"])
    claims = client.get(f"/api/stories/{kursk['id']}/claims").json()
    assert claims["claims"] and {"speaker", "actor", "content", "item"} <= set(claims["claims"][0])
    assert client.get("/api/stories/nope/brief").status_code == 404


def test_a_brief_not_made_yet_answers_at_once(server, client):
    """A story the briefer has not briefed yet: 202 with Retry-After at once (a request never
    waits for a brief unless it asks to), then the brief once the briefer has made it."""
    r = client.post("/api/ingest", json={"items": ["Quokka keepers on Rottnest Island vote to strike over pay, "
                                                   "the union said on Tuesday."]},
                    headers={"X-Newsdesk-Token": "s3cret"})
    assert r.status_code == 200 and r.json()["new"] == 1
    story = _story(client, "Quokka")
    start = time.perf_counter()
    r = client.get(f"/api/stories/{story['id']}/brief")
    assert r.status_code == 202 and time.perf_counter() - start < 5
    assert int(r.headers["Retry-After"]) > 0 and r.json()["status"] == "pending" and r.json()["story"] == story["id"]
    deadline = time.time() + 120
    while (r := client.get(f"/api/stories/{story['id']}/brief")).status_code == 202:
        assert time.time() < deadline, "the briefer never made the brief it was asked for"
        time.sleep(0.5)
    assert r.status_code == 200 and "Quokka" in r.json()["headline"]


def test_a_merged_story_id_leads_to_the_story_that_took_it(server, client):
    kursk = _story(client, "Kursk")
    with sqlite3.connect(server.db) as con:  # as a regroup records a story merged into another
        con.execute("INSERT INTO merged_stories VALUES ('s0ldkursk', ?, '2026-11-25')", (kursk["id"],))
    page = client.get("/stories/s0ldkursk")
    assert page.status_code == 307 and page.headers["location"] == f"/stories/{kursk['id']}"
    assert client.get("/api/stories/s0ldkursk").json()["id"] == kursk["id"]
    assert client.get("/api/stories/s0ldkursk/claims").json()["claims"]
    assert client.get("/api/stories/s1nothere/claims").status_code == 404


def test_search_highlights_items_and_claims(client):
    kursk = _story(client, "Kursk")
    client.get(f"/api/stories/{kursk['id']}/brief", params={"wait": 300})  # a brief hands its claims to the indexer
    hits = client.get("/api/search", params={"q": "kursk"}).json()
    assert hits["items"] and all(h["story"] == kursk["id"] for h in hits["items"])
    assert "<mark>Kursk</mark>" in hits["items"][0]["text_marked"]
    deadline = time.time() + 120  # the indexer writes in the background (a read never writes)
    while not (hits := client.get("/api/search", params={"q": "territory"}).json())["claims"]:
        assert time.time() < deadline, "the brief's claims were never indexed"
        time.sleep(0.5)
    assert "<mark>territory</mark>" in hits["claims"][0]["content_marked"]
    # FTS syntax in the query is only words: no error
    assert client.get("/api/search", params={"q": 'NEAR(" OR *'}).status_code == 200
    page = client.get("/search", params={"q": "kursk"}).text
    assert "<mark>Kursk</mark>" in page


def test_pages_escape_news_text_and_send_csp(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "<script>window.__xss" not in r.text and "&lt;script&gt;window.__xss" in r.text
    zanzibar = _story(client, "Zanzibar")
    page = story_page(client, zanzibar['id'])
    for bad in ("<script>window", "<img src=x", "<svg onload", "<iframe", 'href="javascript:', "<b>Evil</b>"):
        assert bad not in page, bad
    assert "&lt;img src=x onerror=" in page


def test_write_endpoints_need_the_token(client):
    items = {"items": ["Dock workers in Rotterdam walked out on Monday, the union said."]}
    assert client.post("/api/ingest", json=items).status_code == 401
    assert client.post("/api/brief", json=items).status_code == 401
    assert client.post("/api/jobs", data={"text": "x"}).status_code == 401
    evil = client.post("/api/ingest", json=items, headers={"X-Newsdesk-Token": "s3cret", "Origin": "http://evil.example"})
    assert evil.status_code == 403
    done = client.post("/api/ingest", json=items, headers={"X-Newsdesk-Token": "s3cret"}).json()
    assert done == {"new": 1, "duplicates": 0, "dropped": 0, "seen": 0}
    again = client.post("/api/ingest", json=items, headers={"Authorization": "Bearer s3cret"}).json()
    assert again["seen"] == 1 and again["new"] == 0


def test_upload_job_gives_stories_and_briefs(client):
    data = KURSK.read_bytes()
    r = client.post("/api/jobs", files={"file": ("kursk.txt", data, "text/plain")}, data={"token": "s3cret"})
    assert r.status_code == 202, r.text
    job = r.json()
    deadline = time.time() + 60
    while job["status"] not in ("done", "failed"):
        assert time.time() < deadline
        time.sleep(0.3)
        job = client.get(f"/api/jobs/{job['id']}").json()
    assert job["status"] == "done", job["error"]
    assert job["stories"] and job["stories"][0]["brief"]["headline"]
    assert sum(len(s["items"]) for s in job["stories"]) == sum(1 for e in job["items"] if e["status"] != "dropped")


def test_upload_size_limit(client):
    big = b"Port strike news line.\n" * 20_000  # ~460 kB > 200 kB
    r = client.post("/api/jobs", files={"file": ("big.txt", big, "text/plain")}, data={"token": "s3cret"})
    assert r.status_code == 413


def test_openapi_and_local_docs(client):
    spec = client.get("/openapi.json").json()
    assert "/api/stories/{sid}/brief" in spec["paths"] and "/api/search" in spec["paths"]
    docs = client.get("/docs").text
    if "/static/docs/swagger-ui-bundle.js" in docs:  # assets served locally, never from a CDN
        assert client.get("/static/docs/swagger-ui-bundle.js").status_code == 200
        assert "cdn" not in docs.lower()


def test_loopback_rule():
    from newsdesk.web import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")


def test_serve_command(tmp_path):
    db = copy_store()
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "newsdesk", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        line = proc.stdout.readline().decode()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.time() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=10)
                break
            except httpx.TransportError:
                assert time.time() < deadline
                time.sleep(0.2)
        assert r.status_code == 200 and json.loads(r.text)["stories"]
    finally:
        proc.terminate()
        proc.wait(10)


def test_the_story_list_shown_while_it_updates_says_so(server, client):
    """After an ingest, the story list is rendered again in the background: meanwhile its
    visitors get the previous list, which says that it is updating and how many items it lacks;
    then the new list, which says nothing of the kind."""
    first = client.get("/", params={"sort": "arrived"}).text
    assert "Numbat" not in first and 'class="updating"' not in first
    items = {"items": ["Numbat numbers in the Dryandra woodland rose by a fifth this year, rangers said on Friday."]}
    assert client.post("/api/ingest", json=items, headers={"X-Newsdesk-Token": "s3cret"}).json()["new"] == 1
    deadline = time.time() + 60
    while True:
        page = client.get("/", params={"sort": "arrived"}).text
        if "Numbat" in page:
            break
        assert 'class="updating"' in page and "1 new item arrived since" in page, "a list without it says so"
        assert time.time() < deadline, "the list never showed the new item"
        time.sleep(0.2)
    assert 'class="updating"' not in page and 'http-equiv="refresh"' not in page
