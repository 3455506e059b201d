"""Fetching pages and feeds over HTTP(S), politely and safely (httpx).

- a named user agent, and robots.txt read once per host and obeyed;
- connect/read timeouts, and a deadline for the whole response (a slow drip is cut off);
- a size cap: the body is streamed and abandoned past `max_response_bytes`;
- content-type checks: pages, feeds, JSON and text only;
- redirects followed by hand (each hop checked again), loops and long chains refused;
- addresses in private, loopback, link-local and other non-public ranges refused unless
  `allow_private`: the host is resolved once, every address checked, and the socket opened to
  the checked address itself (so a DNS answer that changes between check and connect, "DNS
  rebinding", cannot reach an internal host). Every spelling is caught, since the check is on
  the resolved address: decimal (2130706433), hex (0x7f000001), short (127.1), 0.0.0.0, and an
  IPv4 address inside an IPv6 one (::ffff:127.0.0.1, ::127.0.0.1, 6to4, NAT64); so is every
  redirect, each hop connecting through the same check;
- at most `fetch_concurrency` requests at a time, results kept in input order.

Every failure is a reason string for a dropped record, never an exception to the caller.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from ..options import Options

if TYPE_CHECKING:  # imported where robots.txt is read: it brings urllib.request, http.client, ssl
    from urllib.robotparser import RobotFileParser

URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
ROBOTS_AGENT = "newsdesk"
ACCEPTED_TYPES = (
    "text/html", "application/xhtml+xml", "application/rss+xml", "application/atom+xml",
    "application/rdf+xml", "application/xml", "text/xml", "application/feed+json", "application/json",
    "application/x-ndjson", "application/jsonl", "text/plain", "text/csv", "text/tab-separated-values",
)
_ROBOTS_MAX = 512_000


def is_url(value: str) -> bool:
    return bool(URL.match(value.strip()))


@dataclass(frozen=True)
class Fetched:
    url: str  # the final URL, after redirects
    content_type: str
    body: bytes
    status: int = 200  # 304: not modified since the validators sent (the body is empty)
    etag: str | None = None  # the validators to send next time (newsdesk.watch)
    last_modified: str | None = None


class FetchError(Exception):
    """Why a URL could not be read: one line, for the ledger. `status` is the HTTP status when
    the server answered, `retry_after` its Retry-After header (429, 503)."""

    def __init__(self, message: str, status: int | None = None, retry_after: str | None = None):
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


class Fetcher:
    def __init__(self, options: Options):
        import httpx

        self.options = options
        timeout = httpx.Timeout(options.fetch_timeout)
        limits = httpx.Limits(max_connections=options.fetch_concurrency)
        transport = httpx.HTTPTransport(limits=limits, trust_env=False)
        if not options.allow_private:
            # httpx has no public hook for the connect step; httpx and httpcore are pinned.
            transport._pool._network_backend = _public_address_backend()
        self.client = httpx.Client(transport=transport, timeout=timeout, follow_redirects=False, trust_env=False,
                                   headers={"User-Agent": options.user_agent, "Accept": ", ".join(ACCEPTED_TYPES[:7]) + ", */*;q=0.1"})
        self._robots: dict[str, RobotFileParser | str] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- public

    def fetch(self, url: str) -> Fetched | str:
        """The response, or the reason it could not be had."""
        import httpx

        try:
            return self._fetch(url)
        except FetchError as exc:
            return str(exc)
        except (httpx.InvalidURL, ValueError, UnicodeError) as exc:  # "http://[::1/", "http://0177.0.0.1/"
            return f"not a valid URL ({_short(exc)}): {url[:200]}"

    def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """The response to a GET with extra `headers` (If-None-Match, If-Modified-Since: a 304
        comes back as a Fetched with status 304 and no body); FetchError when it cannot be had."""
        return self._fetch(url, headers)

    def forget_failed_robots(self) -> None:
        """Forget the hosts whose robots.txt could not be read, so that the next request asks
        again (a long-running watch keeps one Fetcher; readable rules stay cached)."""
        with self._lock:
            self._robots = {host: rules for host, rules in self._robots.items() if not isinstance(rules, str)}

    def fetch_all(self, urls: list[str]) -> list[Fetched | str]:
        """Fetch several URLs, at most `fetch_concurrency` at a time; results in input order."""
        if len(urls) <= 1:
            return [self.fetch(u) for u in urls]
        with ThreadPoolExecutor(max_workers=max(1, self.options.fetch_concurrency)) as pool:
            return list(pool.map(self.fetch, urls))

    # --- the steps

    def _fetch(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        import httpx

        seen = []
        for _ in range(self.options.max_redirects + 1):
            if url in seen:
                raise FetchError(f"redirect loop at {url}")
            seen.append(url)
            _check_scheme(url)
            self._check_robots(url)
            try:
                with self.client.stream("GET", url, headers=headers) as response:
                    if response.status_code == 304:  # before redirects: httpx counts every 3xx as one
                        return Fetched(str(response.url), "", b"", 304, response.headers.get("etag") or
                                       (headers or {}).get("If-None-Match"), response.headers.get("last-modified"))
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(f"HTTP {response.status_code} redirect without a location")
                        url = urljoin(url, location)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                                         response.status_code, response.headers.get("retry-after"))
                    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                    if ctype and ctype not in ACCEPTED_TYPES and not ctype.endswith(("+xml", "+json")):
                        raise FetchError(f"not a page or feed: content-type {ctype}")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > self.options.max_response_bytes:
                        raise FetchError(f"response too large: {int(declared):,} bytes declared: the "
                                         f"max_response_bytes cap is {self.options.max_response_bytes:,} bytes "
                                         "(raise it in an --options file)")
                    body = self._body(response)
                    return Fetched(str(response.url), ctype, body, response.status_code,
                                   response.headers.get("etag"), response.headers.get("last-modified"))
            except httpx.TimeoutException:
                raise FetchError(f"timed out after {self.options.fetch_timeout:g} s (the fetch_timeout cap; "
                                 "raise it with --timeout)") from None
            except httpx.ConnectError as exc:
                raise FetchError(f"unreachable: {_short(exc)}") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"fetch failed: {type(exc).__name__}: {_short(exc)}") from None
        raise FetchError(f"too many redirects (more than {self.options.max_redirects})")

    def _body(self, response) -> bytes:
        cap = self.options.max_response_bytes
        deadline = time.monotonic() + 4 * self.options.fetch_timeout
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchError(f"response too large: the max_response_bytes cap is {cap:,} bytes "
                                 "(raise it in an --options file)")
            if time.monotonic() > deadline:
                raise FetchError(f"timed out: the response took longer than {4 * self.options.fetch_timeout:g} s, "
                                 "four times the fetch_timeout cap (raise it with --timeout)")
            chunks.append(chunk)
        return b"".join(chunks)

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            rules = self._robots.get(host)
        if rules is None:
            rules = self._load_robots(host)
            with self._lock:
                self._robots[host] = rules
        if isinstance(rules, str):
            raise FetchError(rules)
        if not rules.can_fetch(ROBOTS_AGENT, url):
            raise FetchError(f"disallowed by {host}/robots.txt")

    def _load_robots(self, host: str) -> RobotFileParser | str:
        from urllib.robotparser import RobotFileParser

        import httpx

        rules = RobotFileParser()
        try:
            with self.client.stream("GET", f"{host}/robots.txt") as response:
                status = response.status_code
                if status >= 500:
                    return f"robots.txt unavailable (HTTP {status}): not fetched"
                if status >= 300:  # missing (4xx) or elsewhere: no rules
                    rules.parse([])
                    return rules
                data = b""
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) > _ROBOTS_MAX:
                        break
        except httpx.TimeoutException:
            return f"timed out after {self.options.fetch_timeout:g} s (robots.txt)"
        except httpx.HTTPError as exc:
            return f"unreachable: {_short(exc)}"
        rules.parse(data[:_ROBOTS_MAX].decode("utf-8", errors="replace").splitlines())
        return rules


def _check_scheme(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port out of range)
    except ValueError as exc:
        raise FetchError(f"not a valid URL ({_short(exc)}): {url[:200]}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url}")


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses to connect to for `host`: resolved once, and refused (FetchError) when any
    of them is not public."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise FetchError(f"unreachable: cannot resolve {host} ({exc})") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        kind = non_public(address)
        if kind:
            article = "an" if kind[0] in "aeiou" else "a"
            raise FetchError(f"refused: {host} is {article} {kind} address ({address}); "
                             "use --allow-private to fetch from it")
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local use, never global
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def non_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What kind of non-public address this is ("loopback", "private"...), or None for a public
    one. An IPv6 address that carries an IPv4 one (mapped, compatible, 6to4, NAT64) is judged by
    the IPv4 address it reaches."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in _LOCAL_NAT64:
            return "non-public"
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and (address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 0xFFFF)):
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            address = inner
    if address.is_global:
        return None
    return ("unspecified" if address.is_unspecified else "loopback" if address.is_loopback
            else "link-local" if address.is_link_local else "private" if address.is_private else "non-public")


def _public_address_backend():
    """An httpcore backend that opens every connection (pages, redirects, robots.txt) to an
    address checked by `public_addresses`; TLS still verifies the certificate against the host
    name. Built on demand: httpcore is imported only when something is fetched."""
    import httpcore

    class PublicAddressBackend(httpcore.SyncBackend):
        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            addresses = public_addresses(host, port)
            for address in addresses[:-1]:  # as socket.create_connection does: the next on failure
                try:
                    return super().connect_tcp(address, port, timeout, local_address, socket_options)
                except httpcore.ConnectError:
                    continue
            return super().connect_tcp(addresses[-1], port, timeout, local_address, socket_options)

    return PublicAddressBackend()


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
