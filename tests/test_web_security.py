"""The web app under attack, against the real server on 127.0.0.1: cross-site writes (Origin
null included), DNS rebinding (a foreign Host), bodies over the cap (chunked or not, with or
without the token), and an item too long to parse."""

from __future__ import annotations

import time

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")

from .web_support import Server, copy_store

TOKEN = "s3cret"
ITEMS = {"items": ["Dock workers in Rotterdam walked out on Monday, the union said."]}


@pytest.fixture(scope="module")
def server():
    srv = Server(copy_store(), token=TOKEN, max_upload=200_000, index_claims=False)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=120) as c:
        yield c


def test_cross_site_writes_are_refused_origin_null_included(client):
    for origin in ("null", "http://evil.example", "http://127.0.0.1.evil.example"):
        r = client.post("/api/ingest", json=ITEMS, headers={"X-Newsdesk-Token": TOKEN, "Origin": origin})
        assert r.status_code == 403, origin
    r = client.post("/upload", data={"text": "x", "token": TOKEN}, headers={"Origin": "null"})
    assert r.status_code == 403


def test_a_foreign_host_is_refused_for_reads_and_writes(client):
    """DNS rebinding: a page at evil.example whose name now resolves to 127.0.0.1."""
    for method, path in (("GET", "/"), ("GET", "/api/stories"), ("POST", "/api/ingest")):
        r = client.request(method, path, headers={"Host": "evil.example:8000", "X-Newsdesk-Token": TOKEN}, json=ITEMS)
        assert r.status_code == 421, (method, path)
    assert client.get("/api/stories", headers={"Host": "localhost"}).status_code == 200


def _chunks(total: int, size: int = 65536, head: bytes = b""):
    yield head
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size


def test_the_upload_cap_holds_for_chunked_bodies_and_no_token_means_nothing_is_read(client):
    r = client.post("/api/ingest", content=_chunks(30_000_000), headers={"Content-Type": "application/json"})
    assert r.status_code == 401  # refused before the body: nothing read
    r = client.post("/api/ingest", content=_chunks(5_400_000),
                    headers={"Content-Type": "application/json", "X-Newsdesk-Token": TOKEN})
    assert r.status_code == 413
    part = b'--x\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
    r = client.post("/api/jobs", content=_chunks(5_400_000, head=part),
                    headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert r.status_code == 413


def test_no_item_can_break_a_page(tmp_path):
    srv = Server(copy_store(), token=TOKEN, max_upload=8_000_000, index_claims=False)
    try:
        with httpx.Client(base_url=srv.url, timeout=300) as c:
            text = "Zanzibar dockers strike over pay, the union said. " * 110_000  # 5.5 MB: over spaCy's limit
            r = c.post("/api/ingest", json={"items": [text]}, headers={"X-Newsdesk-Token": TOKEN})
            assert r.status_code == 200 and r.json()["new"] == 1
            deadline = time.time() + 120  # the open stories are regrouped in the background, at once
            while not (story := next((s for s in c.get("/api/stories", params={"q": "Zanzibar dockers"}).json()["stories"]
                                      if "Zanzibar dockers" in s["label"]), None)):
                assert time.time() < deadline, "the ingested item never got its story"
                time.sleep(0.5)
            assert c.get(f"/stories/{story['id']}").status_code == 200
            brief = c.get(f"/api/stories/{story['id']}/brief", params={"wait": 300}).json()
            ledger = {e["n"]: e for e in brief["items"]}
            assert any("cut from" in (e["reason"] or "") for e in ledger.values())
    finally:
        srv.stop()


def test_only_127_0_0_1_and_localhost_go_without_a_token():
    from newsdesk.web import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("[::1]")
    assert not is_loopback("127.0.0.2") and not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
