"""Fuzzing the readers through `newsdesk read`, in-process, as a user runs it.

    python benchmarks/fuzz.py [--cases 10000] [--seed 1] [--save DIR] [--case N]
    python benchmarks/fuzz.py --hostile

--hostile runs the hostile inputs of issue 18 at full size instead (a 1 MB .gz of 1.1 GB
without a newline, a zero-filled .xz read as CSV, a 100 MB line, a 10 MB CSV field, JSON
nested 200,000 deep...), each in its own `newsdesk read` process, and reports its exit
status, peak memory, time and what it said.

Each case takes a seed input (slices of the real files in ../shared/data, read in place, and
the formats' edge cases built here: RSS, Atom, WARC, JSON, TSV, URL lists, bombs, deep
nesting), mutates it (flipped and inserted bytes, NULs, quotes, brackets, cuts at any offset,
repeated spans, splices of two inputs, re-encoded parts, pure random bytes), sometimes
compresses it (.gz .bz2 .xz .zst, sometimes truncated), and runs `newsdesk read FILE --errors`
through the CLI's `main`, sometimes with --input-format forced and sometimes with small caps
from an --options file (so that every cap is reached without gigabytes of input).

Counted: cases run; internal errors (exit status 70, or an exception out of `main`: goal 0);
cases past the per-case time limit; cases writing more than one line to standard error; the
peak memory (RSS) of the process and the time. The case number replays a case (--case N) and
--save DIR keeps the inputs of failing cases. Names resolve to nothing here (a URL fails fast
as unreachable): the harness fetches nothing.
"""

from __future__ import annotations

import argparse
import bz2
import contextlib
import gzip
import io
import json
import lzma
import random
import resource
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FORMATS = ("text", "jsonl", "json", "csv", "tsv", "html", "feed", "warc", "urls")
CASE_SECONDS = 60.0  # a hang, not a slow case: a 3 MB input of 70,000 records takes 40 s on a busy machine

NEWS = "The city council approved the new flood defence budget on Monday after a long debate."
NEWS2 = "Engineers said the river barrier would be finished before the winter storms arrive."
SMALL_CAPS = {  # every cap small enough to be reached by a fuzzed input of a few hundred KB
    "max_decompressed_bytes": 300_000, "max_record_bytes": 20_000, "max_items_per_input": 40,
    "max_json_depth": 20, "max_html_depth": 40, "max_entity_expansion": 2_000, "max_response_bytes": 200_000,
    "max_item_chars": 2_000,
}
TOKENS = [b"\x00", b"\r", b"\n", b"\r\n", b'"', b"'", b",", b"\t", b"[", b"]", b"{", b"}", b"<", b">", b"&",
          b"&lol9;", b"&amp;", b"&#0;", b"&#x110000;", b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3", b"\xe2\x82", b"\xe9",
          b"\x1b", b"\x7f", b"\\", b"\\u0000", b"\\ud800", b"<![CDATA[", b"]]>", b"<!--", b"-->", b"<script>",
          b"<!ENTITY a 'xxxxxxxxxx'>", b"WARC/1.0\r\n", b"Content-Length: 99999999999999999999\r\n", b"1e999",
          b"-0", b"NaN", b"null", b"true", b'{"text": ', b"http://", b"https://[::1", b"http://0177.0.0.1/",
          "\u2028".encode(), "\ufeff".encode(), "é".encode("cp1252"), "日本".encode(), "日本".encode("utf-16")]


# --- seeds


def seeds() -> dict[str, bytes]:
    """Inputs to mutate: slices of the real data (when it is there) and the formats' edge cases."""
    found = dict(_edge_cases())
    for name, data in _real_slices():
        found[name] = data
    return found


def _real_slices():
    def head(path: Path, size: int) -> bytes | None:
        try:
            with open(path, "rb") as f:
                data = f.read(size)
        except OSError:
            return None
        return data[: data.rfind(b"\n") + 1] or data

    slices = [("kursk.txt", DATA / "kursk-snippets.txt", 20_000),
              ("uci.csv", DATA / "uci-news" / "uci-news-aggregator-999.csv", 12_000),
              ("agnews.csv", DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv", 12_000),
              ("boilerplate.jsonl", DATA / "boilerplate" / "boilerplate.jsonl", 12_000),
              ("multinews.csv", DATA / "multinews-sample" / "multinews-250-test-sample.csv", 30_000),
              ("googlenews.txt", DATA / "googlenews-sttm" / "dataset" / "GoogleNews.txt", 6_000),
              ("semeval.csv", DATA / "semeval2022-task8" / "pairs.csv", 20_000)]
    for name, path, size in slices:
        data = head(path, size)
        if data:
            yield name, data
    polnear = sorted((DATA / "polnear" / "data" / "dev" / "text").glob("*.txt"))[:2]
    for path in polnear:
        yield f"polnear-{path.stem[:20]}.txt", path.read_bytes()[:20_000]
    pages = sorted((DATA / "article-extraction-benchmark" / "html").glob("*.html.gz"))[:3]
    for path in pages:
        raw = path.read_bytes()
        yield f"page-{path.name[:12]}.html.gz", raw  # compressed as it is stored
        yield f"page-{path.name[:12]}.html", gzip.decompress(raw)[:60_000]


def _edge_cases():
    rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Daily &amp; Co</title>'
           f'<item><title>Flood &lol9; budget</title><link>https://example.org/a</link>'
           f"<description>&lt;p&gt;{NEWS}&lt;/p&gt;</description>"
           f"<pubDate>Mon, 04 Mar 2024 10:00:00 +0100</pubDate></item>"
           f'<item><title>Barrier</title><description>{NEWS2}</description></item></channel></rss>').encode()
    atom = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title type="html">'
            f'Wire &amp;amp; Co</title><entry><title type="html">&lt;b&gt;Port&lt;/b&gt; reopens</title>'
            f'<updated>2024-03-05T08:30:00Z</updated><summary>{NEWS}</summary></entry></feed>').encode()
    laughs = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
              b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><rss version="2.0"><channel><title>X</title><item>'
              b'<title>&lol3;</title><description>' + NEWS.encode() + b' &lol3;</description></item></channel></rss>')
    page = (f"<html><head><title>Flood budget</title></head><body><article><h1>Flood budget</h1><p>{NEWS}</p>"
            f"<p>{NEWS2} The mayor said the vote was a turning point.</p></article></body></html>").encode()
    records = [{"title": "Flood budget", "text": NEWS, "url": "https://example.org/a", "published": "2024-03-04"},
               {"headline": "Barrier", "body": NEWS2, "source": {"name": "Wire"}, "date": 1709546400},
               {"text": ["a", "list", NEWS]}, {"title": None}, 7]
    yield "feed.rss", rss
    yield "atom.xml", atom
    yield "laughs.rss", laughs
    yield "page.html", page
    yield "deep.html", b"<html><body>" + b"<div>" * 300 + page + b"</div>" * 300 + b"</body></html>"
    yield "records.jsonl", b"".join(json.dumps(r).encode() + b"\n" for r in records)
    yield "records.json", json.dumps(records).encode()
    yield "export.json", json.dumps({"status": "ok", "articles": records}).encode()
    deep = "[" * 5000 + "]" * 5000
    yield "deep.jsonl", (json.dumps(records[0]) + "\n" + deep + "\n" + json.dumps(records[1])).encode()
    yield "long-first.jsonl", (json.dumps({"text": NEWS * 300}) + "\n" + json.dumps(records[1]) + "\n").encode()
    yield "table.tsv", f"title\ttext\turl\nFlood\t{NEWS}\thttps://example.org/a\nBarrier\t{NEWS2}\t\n".encode()
    yield "quoted.csv", f'title,text\n"Flood, again","{NEWS}"\n"Bar""rier","{NEWS2}\nsecond line"\n'.encode()
    yield "nul.csv", f"title,text\nFlood,{NEWS}\nBad,x\x00y {NEWS}\nBarrier,{NEWS2}\n".encode()
    yield "urls.txt", b"# sources\nhttp://example.invalid/a\nhttps://[::1/\nhttp://0177.0.0.1:1/\nhttp://2130706433/\n"
    yield "warc.warc", _warc([("http://example.org/a", page), ("http://example.org/b", b"<html><body>x</body></html>")])
    yield "bomb.txt.gz", gzip.compress(b"a" * 3_000_000)
    yield "zeros.xz", lzma.compress(b"\x00" * 2_000_000)
    yield "empty.txt", b""
    yield "random.bin", random.Random(7).randbytes(4000)


def _warc(pages: list[tuple[str, bytes]]) -> bytes:
    out = []
    for url, body in pages:
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
        out.append(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + url.encode() +
                   b"\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " +
                   str(len(http)).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")
    return b"".join(out)


# --- mutations


def _flip(rng, data, _):
    data = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _insert(rng, data, _):
    for _ in range(rng.randint(1, 10)):
        at = rng.randint(0, len(data))
        data = data[:at] + rng.choice(TOKENS) * rng.choice((1, 1, 2, 50)) + data[at:]
    return data


def _cut(rng, data, _):
    return data[: rng.randint(0, len(data))]


def _delete(rng, data, _):
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 500):]


def _repeat(rng, data, _):
    if not data:
        return data
    at = rng.randrange(len(data))
    span = data[at:at + rng.randint(1, 200)]
    return data[:at] + span * rng.choice((2, 10, 1000, 5000)) + data[at:]


def _splice(rng, data, pool):
    other = rng.choice(pool)
    return data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)):]


def _nest(rng, data, _):
    at = rng.randint(0, len(data))
    opener, closer = rng.choice([(b"[", b"]"), (b"{\"a\":", b"}"), (b"<div>", b"</div>"), (b"<b>", b""), (b'"', b"")])
    depth = rng.choice((30, 300, 3000, 30_000))
    return data[:at] + opener * depth + data[at:at + 50] + closer * rng.choice((0, depth)) + data[at + 50:]


def _long_line(rng, data, _):
    at = rng.randint(0, len(data))
    return data[:at] + rng.choice((b"a", b"word ", b"\xc3\xa9", b'"')) * rng.choice((30_000, 300_000)) + data[at:]


def _reencode(rng, data, _):
    text = data.decode("utf-8", errors="replace")
    start = rng.randint(0, len(text))
    end = rng.randint(start, len(text))
    codec = rng.choice(("utf-16", "utf-16-le", "cp1252", "latin-1", "utf-32", "shift_jis"))
    return text[:start].encode() + text[start:end].encode(codec, errors="replace") + text[end:].encode()


def _random(rng, data, _):
    return rng.randbytes(rng.choice((0, 1, 10, 1000, 50_000)))


MUTATIONS = [_flip, _insert, _cut, _delete, _repeat, _splice, _nest, _long_line, _reencode, _random]
WEIGHTS = [6, 8, 6, 3, 3, 3, 2, 2, 3, 1]


def _compress(rng, data: bytes) -> tuple[bytes, str]:
    kind = rng.choice((None, None, None, None, "gz", "bz2", "xz", "zst"))
    if kind is None:
        return data, ""
    if kind == "gz":
        packed = gzip.compress(data)
    elif kind == "bz2":
        packed = bz2.compress(data)
    elif kind == "xz":
        packed = lzma.compress(data)
    else:
        import zstandard

        packed = zstandard.ZstdCompressor().compress(data)
    if rng.random() < 0.3:
        packed = packed[: rng.randint(0, len(packed))]  # a truncated download
    return packed, "." + kind


@dataclass
class Case:
    number: int
    seed_name: str
    data: bytes
    suffix: str
    flags: list[str]
    caps: bool


def make_case(number: int, seed: int, pool: dict[str, bytes]) -> Case:
    rng = random.Random(seed * 1_000_003 + number)
    name = rng.choice(sorted(pool))
    data = pool[name]
    if rng.random() < 0.9:  # a few cases run a seed as it is
        for mutate in rng.choices(MUTATIONS, WEIGHTS, k=rng.randint(1, 3)):
            data = mutate(rng, data, list(pool.values()))
    data, packed = _compress(rng, data)
    suffix = "".join(Path(name).suffixes[:1]) + packed
    flags = []
    if rng.random() < 0.2:
        flags += ["--input-format", rng.choice(FORMATS)]
    if rng.random() < 0.2:
        flags.append("--strict")
    return Case(number, name, data, suffix, flags, caps=rng.random() < 0.3)


# --- running


class CaseTimeout(BaseException):
    """Raised in the case past its time limit (a BaseException: the CLI does not catch it)."""


@dataclass
class Result:
    cases: int = 0
    internal_errors: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)
    noisy: list[str] = field(default_factory=list)  # more than one line on standard error
    exit_codes: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    peak_case: str = ""  # the case that raised the peak last
    slowest: tuple[float, int] = (0.0, -1)


class _Sink(io.TextIOBase):
    """Standard output that counts and forgets (a case may print megabytes)."""

    def __init__(self):
        self.chars = 0

    def writable(self):
        return True

    def write(self, text):
        self.chars += len(text)
        return len(text)


def run_case(case: Case, folder: Path, options_file: Path) -> tuple[int | str, str]:
    """(exit status, or the uncaught exception), and what the case wrote on standard error."""
    from newsdesk.cli import main

    path = folder / f"case{case.number}{case.suffix}"
    path.write_bytes(case.data)
    args = ["read", str(path), "--errors", str(folder / "errors.jsonl"), *case.flags]
    if case.caps:
        args += ["--options", str(options_file)]
    err = io.StringIO()
    signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
    try:
        with contextlib.redirect_stdout(_Sink()), contextlib.redirect_stderr(err):
            status = main(args)
    except CaseTimeout:
        status = "timeout"
    except BaseException as exc:  # an exception out of main is an internal error too
        status = f"uncaught {type(exc).__name__}: {exc}"[:300]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        path.unlink(missing_ok=True)
    return status, err.getvalue()


def run(cases: int = 10_000, seed: int = 1, save: Path | None = None, only: int | None = None,
        progress: bool = False) -> Result:
    pool = seeds()
    result = Result()
    numbers = [only] if only is not None else range(cases)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsdesk-fuzz-") as tmp, _no_network(), _timeouts():
        folder = Path(tmp)
        options_file = folder / "caps.toml"
        options_file.write_text("[newsdesk]\n" + "".join(f"{k} = {v}\n" for k, v in SMALL_CAPS.items()))
        for number in numbers:
            case = make_case(number, seed, pool)
            began = time.perf_counter()
            status, err = run_case(case, folder, options_file)
            took = time.perf_counter() - began
            result.cases += 1
            result.slowest = max(result.slowest, (took, number))
            flags = " ".join(case.flags + (["--options caps.toml"] if case.caps else []))
            label = f"case {number} (case{number}{case.suffix} from {case.seed_name}; read {flags})"
            failed = False
            if status == "timeout":
                result.timeouts.append(f"{label}: over {CASE_SECONDS:g} s")
                failed = True
            elif isinstance(status, str) or status == 70:
                result.internal_errors.append(f"{label}: {status if isinstance(status, str) else err.strip()}"[:400])
                failed = True
            else:
                result.exit_codes[status] = result.exit_codes.get(status, 0) + 1
            if len(err.strip().splitlines()) > 1:
                result.noisy.append(f"{label}: {len(err.strip().splitlines())} lines")
                failed = True
            if failed and save is not None:
                save.mkdir(parents=True, exist_ok=True)
                (save / f"case{number}{case.suffix}").write_bytes(case.data)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            if rss > result.peak_rss_mb:
                result.peak_rss_mb, result.peak_case = rss, label
            if progress and result.cases % 500 == 0:
                print(f"  {result.cases} cases, {len(result.internal_errors)} internal errors, "
                      f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    result.seconds = time.perf_counter() - started
    return result


@contextlib.contextmanager
def _no_network():
    """Every name fails to resolve at once: a fuzzed URL list fetches nothing."""
    real = socket.getaddrinfo

    def nowhere(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "name resolution is off while fuzzing")

    socket.getaddrinfo = nowhere
    try:
        yield
    finally:
        socket.getaddrinfo = real


@contextlib.contextmanager
def _timeouts():
    def expired(signum, frame):
        raise CaseTimeout()

    previous = signal.signal(signal.SIGALRM, expired)
    try:
        yield
    finally:
        signal.signal(signal.SIGALRM, previous)


# --- the hostile inputs of issue 18, at full size


_CHILD = ("import resource, sys\nfrom newsdesk.cli import main\nstatus = main(sys.argv[1:])\n"
          "print(f'PEAK_RSS_KB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}', file=sys.stderr)\n"
          "sys.exit(status)")


def hostile_inputs(folder: Path):
    """(label, read arguments) of each hostile input, written into `folder`."""
    import os

    import zstandard

    def write(name: str, data: bytes) -> str:
        (folder / name).write_bytes(data)
        return str(folder / name)

    good = json.dumps({"title": "Budget", "text": NEWS}) + "\n"
    yield "JSON nested 200,000 deep", [write("deep.json", b"[" * 200_000 + b"]" * 200_000)]
    yield "JSONL with one deep line", [write("deep.jsonl", (good + '{"text": ' + "[" * 200_000 + "]" * 200_000 + "}\n"
                                                             + good).encode())]
    yield "CSV with a NUL in one row", [write("nul.csv",
                                              f"title,text\nA,{NEWS}\nB,x\x00y {NEWS}\nC,{NEWS2}\n".encode())]
    bomb = folder / "bomb.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as f:
        for _ in range(1100):
            f.write(b"a" * 1_000_000)
    yield f"gzip bomb: {bomb.stat().st_size / 1e6:.1f} MB to 1.1 GB, no newline", [str(bomb)]
    zeros = folder / "zeros.xz"
    with lzma.open(zeros, "wb", preset=1) as f:
        for _ in range(2000):
            f.write(b"\x00" * 1_000_000)
    yield f"xz of 2 GB of zeros ({zeros.stat().st_size / 1e3:.0f} KB) as CSV", [str(zeros), "--input-format", "csv"]
    packed = zstandard.ZstdCompressor().compress(
        "".join(f"{NEWS} Item {i} of the pile, {i * 7919 % 10007}.\n" for i in range(50_000)).encode())
    yield "truncated .zst, --strict", [write("cut.txt.zst", packed[: len(packed) // 2]), "--strict"]
    line = folder / "long-line.txt"
    with open(line, "wb") as f:
        for _ in range(100):
            f.write(b"word " * 200_000)
        f.write(b"\n" + NEWS.encode() + b"\n")
    yield "a 100 MB line", [str(line)]
    field = b"title,text\nA," + b"word " * 2_000_000 + b"\nB," + NEWS.encode() + b"\n"
    yield "a 10 MB CSV field", [write("field.csv", field)]
    yield "WARC Content-Length 10^20", [write("length.warc", b"WARC/1.0\r\nWARC-Type: response\r\n"
                                              b"WARC-Target-URI: http://x.example/\r\n"
                                              b"Content-Type: application/http; msgtype=response\r\n"
                                              b"Content-Length: 99999999999999999999\r\n\r\nHTTP/1.1 200 OK\r\n\r\n")]
    noise = random.Random(1).randbytes(1_000_000)
    yield "1 MB of random bytes as CSV", [write("random.bin", noise), "--input-format", "csv"]
    records = []
    for i in range(401):
        http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><article><p>" + NEWS.encode() +
                b" %d</p></article></body></html>" % i)
        records.append(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.example/%d\r\n"
                       b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n"
                       % (i, len(http) - 9) + http + b"\r\n\r\n")
    yield "WARC of 401 records with wrong lengths", [write("warnings.warc", b"".join(records))]
    linked = folder / "pile"
    linked.mkdir()
    (linked / "a.txt").write_text(NEWS + "\n")
    os.symlink("/etc/passwd", linked / "passwd.txt")
    yield "folder with a link to /etc/passwd", [str(linked)]
    yield "JSONL whose first line is 70 KB", [write("long-first.jsonl", (json.dumps({"text": NEWS * 800}) + "\n"
                                                                         + good).encode())]
    for url in ("http://0177.0.0.1:1/", "http://[::1/", "http://2130706433/", "http://0x7f000001/", "http://127.1/",
                "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/"):
        yield f"URL {url}", [url]
    yield "RSS title with an undefined entity", [write("entity.rss", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>X</title><item><title>Hello &lol9; world</title>'
        f"<description>{NEWS} &lol9;</description></item></channel></rss>").encode())]


def run_hostile() -> int:
    import subprocess

    print(f"{'input':52} {'exit':>4} {'MB':>6} {'s':>6}  read / skipped / noted, and the first reason or error")
    worst = 0
    with tempfile.TemporaryDirectory(prefix="newsdesk-hostile-") as tmp:
        for label, args in hostile_inputs(Path(tmp)):
            errors = Path(tmp) / "errors.jsonl"
            began = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", _CHILD, "read", *args, "--errors", str(errors)],
                                  capture_output=True, timeout=600)
            took = time.perf_counter() - began
            err = done.stderr.decode(errors="replace").splitlines()
            peak = next((int(line.split()[1]) / 1024 for line in err if line.startswith("PEAK_RSS_KB")), float("nan"))
            said = [line for line in err if not line.startswith("PEAK_RSS_KB")]
            listed = [json.loads(line) for line in errors.read_text().splitlines()] if errors.exists() else []
            rows = done.stdout.count(b"\n")
            skipped = sum("reason" in entry for entry in listed)
            first = next((entry.get("reason") or entry.get("note") for entry in listed), None) or " ".join(said)[:100]
            print(f"{label[:52]:52} {done.returncode:>4} {peak:>6.0f} {took:>6.1f}  {rows} / {skipped} / "
                  f"{len(listed) - skipped}; {len(said)} stderr line(s); {str(first)[:110]}")
            worst = max(worst, done.returncode == 70)
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save", type=Path, help="keep the inputs of failing cases in this folder")
    parser.add_argument("--case", type=int, help="replay one case")
    parser.add_argument("--hostile", action="store_true", help="run issue 18's hostile inputs at full size instead")
    args = parser.parse_args(argv)
    if args.hostile:
        return run_hostile()
    result = run(args.cases, args.seed, args.save, args.case, progress=True)
    print(f"cases run            {result.cases:,}")
    print(f"internal errors      {len(result.internal_errors)}   (goal 0)")
    print(f"over {CASE_SECONDS:g} s           {len(result.timeouts)}")
    print(f"noisy (>1 err line)  {len(result.noisy)}")
    print(f"exit statuses        {dict(sorted(result.exit_codes.items()))}")
    print(f"time                 {result.seconds:.0f} s ({1000 * result.seconds / max(1, result.cases):.0f} ms a case; "
          f"slowest case {result.slowest[1]}: {result.slowest[0]:.1f} s)")
    print(f"peak memory (RSS)    {result.peak_rss_mb:.0f} MB (reached in {result.peak_case})")
    for line in (result.internal_errors + result.timeouts + result.noisy)[:30]:
        print("  " + line)
    return 1 if result.internal_errors or result.timeouts else 0


if __name__ == "__main__":
    sys.exit(main())
