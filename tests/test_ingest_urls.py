"""Fetching URLs against a real HTTP server on 127.0.0.1 (no other network)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsdesk import Options
from newsdesk.ingest import read

from .conftest import run_cli

NEWS = "The city council approved the new flood defence budget on Monday after a long debate."
PAGE = (f"<html><head><title>Flood budget</title></head><body><article><h1>Flood budget</h1><p>{NEWS}</p>"
        "<p>Engineers said the river barrier would be finished before the winter storms arrive, and the mayor "
        "said the vote was a turning point for the districts along the river.</p></article></body></html>").encode()
FEED = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Local</title>"
        "<item><title>Budget</title><link>/page</link><description>Short summary of the budget vote.</description></item>"
        "</channel></rss>")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private\n", "text/plain")
        if path == "/page":
            return self._send(200, PAGE)
        if path == "/feed":
            port = self.server.server_address[1]
            return self._send(200, FEED.replace("/page", f"http://127.0.0.1:{port}/page").encode(), "application/rss+xml")
        if path == "/private":
            return self._send(200, PAGE)
        if path.startswith("/redirect?to="):  # to any URL, for the private-address checks
            from urllib.parse import unquote

            return self._send(302, headers=[("Location", unquote(path.split("=", 1)[1]))])
        if path == "/loop":
            return self._send(302, headers=[("Location", "/loop2")])
        if path == "/loop2":
            return self._send(302, headers=[("Location", "/loop")])
        if path == "/image":
            return self._send(200, b"\x89PNG\r\n", "image/png")
        if path == "/huge":  # an endless body with no length: must be cut at the cap
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            try:
                for _ in range(40_000):  # about 2.6 GB if nobody stops reading
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if path == "/slow":
            time.sleep(3)
            return self._send(200, PAGE)
        return self._send(404, b"<html><body>Not found</body></html>")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _read(paths, **options):
    return list(read(paths, Options().update(allow_private=True, **options)))


def test_page_is_fetched_and_extracted(server):
    (item,) = _read([f"{server}/page"])
    assert NEWS in item.text and item.url == f"{server}/page" and item.source.startswith("127.0.0.1")
    assert not item.junk_reason


def test_loopback_refused_without_allow_private(server):
    (item,) = list(read([f"{server}/page"], Options()))
    assert item.junk_reason.startswith("refused:") and "loopback" in item.junk_reason


def test_dns_rebinding_cannot_reach_a_loopback_server(server, monkeypatch):
    """The name resolves to a public address when checked and to loopback afterwards: the
    connection must go to the checked address, never to the local server."""
    import socket

    real = socket.getaddrinfo
    answers = iter(["8.8.8.8"])

    def rebinding(host, port, *args, **kwargs):
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = server.rsplit(":", 1)[1]
    (item,) = list(read([f"http://rebind.test:{port}/page"], Options().update(fetch_timeout=1)))
    assert item.junk_reason and NEWS not in (item.text or "")


def test_bad_urls_are_dropped_with_reasons(server, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join([f"{server}/page", f"{server}/missing", f"{server}/loop", f"{server}/private",
                                  f"{server}/image", "http://127.0.0.1:9/closed", "", f"{server}/page#again"]) + "\n")
    items = _read([str(listing)], max_redirects=5)
    reasons = {it.n: it.junk_reason for it in items}
    assert reasons[1] is None
    assert reasons[2].startswith("HTTP 404")
    assert "redirect loop" in reasons[3]
    assert "robots.txt" in reasons[4]
    assert "content-type image/png" in reasons[5]
    assert reasons[6].startswith("unreachable")
    assert 7 not in reasons and reasons[8] is None  # the blank line keeps its number


def test_huge_response_is_cut_at_the_cap(server):
    (item,) = _read([f"{server}/huge"], max_response_bytes=2_000_000)
    assert "too large" in item.junk_reason  # the reason says the cap, not the end of the body, stopped it


def test_slow_server_times_out(server):
    (item,) = _read([f"{server}/slow"], fetch_timeout=0.5)
    assert item.junk_reason.startswith("timed out")


def test_feed_url_with_fetched_articles(server):
    (summary,) = _read([f"{server}/feed"])
    assert summary.text == "Short summary of the budget vote." and summary.source == "Local"
    (full,) = _read([f"{server}/feed"], fetch_articles=True)
    assert NEWS in full.text and full.title == "Budget"


def test_cli_reports_skipped_urls(server, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{server}/page\n{server}/missing\n")
    result = run_cli("read", str(listing), "--allow-private", "--strict", "--errors", str(tmp_path / "e.jsonl"))
    err = result.stderr.decode()
    assert result.returncode == 3 and "skipped 1" in err and "Traceback" not in err
    assert "HTTP 404" in (tmp_path / "e.jsonl").read_text()
    refused = run_cli("read", f"{server}/page")
    assert refused.returncode == 0 and "loopback" in refused.stdout.decode()


@pytest.mark.parametrize("target", ["http://2130706433:{port}/page", "http://0x7f000001:{port}/page",
                                    "http://127.1:{port}/page", "http://[::ffff:127.0.0.1]:{port}/page",
                                    "http://0.0.0.0:{port}/page", "http://localhost:{port}/page",
                                    "http://0177.0.0.1:{port}/page", "http://[::1:{port}/page"])
def test_redirects_to_private_addresses_are_refused(server, monkeypatch, target):
    """A public host (here "origin.test", standing in for one) that redirects to any spelling
    of a loopback address: the hop is refused, the page never fetched."""
    from urllib.parse import quote

    from newsdesk.ingest import urls

    real = urls.public_addresses
    monkeypatch.setattr(urls, "public_addresses",
                        lambda host, port: ["127.0.0.1"] if host == "origin.test" else real(host, port))
    port = server.rsplit(":", 1)[1]
    start = f"http://origin.test:{port}/redirect?to={quote(target.format(port=port), safe='')}"
    (item,) = list(read([start], Options().update(fetch_timeout=2)))
    reason = item.junk_reason
    assert reason.startswith("refused:") or "Invalid URL in location header" in reason, reason
    assert "\n" not in reason and NEWS not in (item.text or "")
    (direct,) = list(read([f"http://origin.test:{port}/page"], Options().update(fetch_timeout=2)))
    assert NEWS in direct.text  # the stand-in public host itself is fetched: only the hop was refused
