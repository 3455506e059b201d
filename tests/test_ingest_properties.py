"""Properties every reader keeps on any input (hypothesis): random bytes, mixed encodings,
truncation at every offset, extreme nesting, NULs, wrong types, huge fields.

- reading raises nothing but NewsdeskError (a whole input refused in one line);
- records are numbered in order, and every record is news or listed with a one-line reason;
- a bad record among good ones is listed, and the good records of the same file are kept,
  each with its text exactly as written.

Examples are few and derandomised (the same on every run, in CI too): the fuzz harness in
benchmarks/fuzz.py runs thousands more (its seeded sample is in test_ingest_fuzz.py).
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import json
import lzma
import os
import socket
import tempfile

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk import Options
from newsdesk.errors import NewsdeskError
from newsdesk.ingest import FORMATS, read, sniff
from newsdesk.model import Item

SETTINGS = settings(max_examples=20, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEWER = settings(SETTINGS, max_examples=8)  # for properties whose every example reads three files

NEWS = [
    "The city council approved the new flood defence budget on Monday after a long debate.",
    "Engineers said the river barrier would be finished before the winter storms arrive.",
    "Der Stadtrat hat am Montag den neuen Haushalt für den Hochwasserschutz beschlossen.",
    "Le conseil municipal a approuvé lundi le nouveau budget de protection contre les crues.",
]
SMALL_CAPS = dict(max_record_bytes=2_000, max_items_per_input=30, max_json_depth=10, max_html_depth=30,
                  max_entity_expansion=500, max_response_bytes=50_000, max_decompressed_bytes=40_000)


@pytest.fixture(autouse=True, scope="module")
def no_name_resolution():
    """A generated URL list fetches nothing: every name fails to resolve at once."""

    def nowhere(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "no names resolve in these tests")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "getaddrinfo", nowhere)
        yield


def read_bytes(data: bytes, suffix: str = ".input", **options) -> list[Item] | None:
    """The items read from `data` as a file; None when the whole input is refused (a
    NewsdeskError). Any other exception fails the property."""
    handle, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        try:
            items = list(read([path], Options().update(**options)))
        except NewsdeskError as exc:
            assert "\n" not in str(exc)
            return None
    finally:
        os.unlink(path)
    check_ledger(items)
    return items


def check_ledger(items: list[Item]) -> None:
    numbers = [it.n for it in items]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for it in items:
        if it.junk_reason:
            assert isinstance(it.junk_reason, str) and it.junk_reason.strip() and "\n" not in it.junk_reason
        else:
            assert it.text.strip() and "\x00" not in it.text


# --- any bytes, any format


@SETTINGS
@given(data=st.binary(max_size=3000), fmt=st.sampled_from((None,) + FORMATS))
def test_random_bytes_in_any_format(data, fmt):
    read_bytes(data, input_format=fmt)


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_format_detection_never_fails(data):
    assert sniff(data, "x.csv") in FORMATS + (None,)
    assert sniff(data, "") in FORMATS + (None,)


@SETTINGS
@given(text=st.text(max_size=2000), fmt=st.sampled_from((None,) + FORMATS), caps=st.booleans())
def test_any_text_in_any_format(text, fmt, caps):
    read_bytes(text.encode("utf-8", errors="surrogatepass"), input_format=fmt, **(SMALL_CAPS if caps else {}))


@SETTINGS
@given(data=st.binary(max_size=2000), packer=st.sampled_from(("gz", "bz2", "xz", "zst")), cut=st.floats(0, 1))
def test_compressed_garbage_and_truncations(data, packer, cut):
    packed = _pack(packer, data)
    read_bytes(packed[: int(len(packed) * cut)], suffix=f".{packer}")


def _pack(kind: str, data: bytes) -> bytes:
    if kind == "gz":
        return gzip.compress(data)
    if kind == "bz2":
        return bz2.compress(data)
    if kind == "xz":
        return lzma.compress(data)
    return zstandard.ZstdCompressor().compress(data)


# --- a bad record among good ones: listed, the good ones kept exactly


def _bad_lines() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(min_size=1, max_size=300).filter(lambda b: b"\n" not in b and b"\r" not in b),
        st.integers(20, 5000).map(lambda n: b"[" * n + b"]" * n),
        st.integers(20, 5000).map(lambda n: b'{"text": ' + b"[" * n + b"]" * n + b"}"),
        st.just(b'{"text": "a\x00b"}'),
        st.just(b"\x00\x00\x00\x00 a line of NULs"),
        st.sampled_from([b"1e999", b"[1, 2]", b'"just a string"', b"null", b"{}", b'{"text": 5}', b'{"text": null}',
                         b'{"text": {"a": [1, {"b": 2}]}}', b'{"title": ["a", ["b"]]}',
                         b'{"date": 1e999, "text": "x y"}', b'{"text": "' + b"9" * 5000 + b'"}', b"9" * 5000,
                         b'{"published": ' + b"9" * 400 + b', "text": "a b c d"}']),
        st.integers(3_000, 20_000).map(lambda n: b'{"text": "' + b"w " * n + b'"}'),  # past max_record_bytes
    )


@SETTINGS
@given(bad=_bad_lines(), at=st.integers(0, 4), good=st.lists(st.sampled_from(NEWS), min_size=2, max_size=4))
def test_jsonl_bad_line_listed_good_lines_kept(bad, at, good):
    lines = [json.dumps({"text": t}).encode() for t in good]
    at = min(at, len(lines))
    lines.insert(at, bad)
    items = read_bytes(b"\n".join(lines) + b"\n", ".jsonl", input_format="jsonl", max_record_bytes=2_000)
    by_line = {int(it.origin.rsplit(":", 1)[1].split("[")[0]): it for it in items}
    for line_no, text in enumerate(good[:at] + [None] + good[at:], start=1):
        if text is not None:
            assert by_line[line_no].text == text and not by_line[line_no].junk_reason


@SETTINGS
@given(bad=st.one_of(
    st.binary(min_size=1, max_size=300).filter(lambda b: b"\n" not in b and b"\r" not in b and b'"' not in b),
    st.just(b"x,\x00 nul,y"), st.just(b"only-one-column"), st.just(b"a,b,c,d,e"),
    st.integers(3_000, 20_000).map(lambda n: b"T," + b"w " * n)),
    at=st.integers(0, 3), good=st.lists(st.sampled_from(NEWS), min_size=2, max_size=4))
def test_csv_bad_row_listed_good_rows_kept(bad, at, good):
    rows = [f'"Title {i}","{t}"'.encode() for i, t in enumerate(good)]
    at = min(at, len(rows))
    rows.insert(at, bad)
    items = read_bytes(b"title,text\n" + b"\n".join(rows) + b"\n", ".csv", input_format="csv", max_record_bytes=2_000)
    kept = {it.origin.rsplit(":", 1)[1]: it for it in items if not it.junk_reason}
    for row_no, text in enumerate(good[:at] + [None] + good[at:], start=2):
        if text is not None:
            assert kept[str(row_no)].text == text


@SETTINGS
@given(bad=st.binary(min_size=1, max_size=500).filter(lambda b: b"\n" not in b), at=st.integers(0, 4),
       good=st.lists(st.sampled_from(NEWS), min_size=2, max_size=4))
def test_text_bad_line_good_lines_kept(bad, at, good):
    lines = [t.encode() for t in good]
    at = min(at, len(lines))
    lines.insert(at, bad)
    if at == 0 and bad.startswith((codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE)):
        return  # a file that opens with a byte order mark declares itself UTF-16 or UTF-32: read as such
    items = read_bytes(b"\n".join(lines) + b"\n", ".txt", input_format="text")
    if items is None:
        return  # the whole file looks binary: refused in one line, as a user would want
    by_n = {it.n: it for it in items}
    for line_no, text in enumerate(good[:at] + [None] + good[at:], start=1):
        if text is not None:
            assert by_n[line_no].text == text


@SETTINGS
@given(encodings=st.lists(st.sampled_from(("utf-8", "cp1252", "latin-1", "utf-8-sig")), min_size=4, max_size=4))
def test_mixed_encodings_line_by_line(encodings):
    """Each line decoded on its own: a cp1252 line does not spoil the UTF-8 lines around it."""
    data = b"\n".join(text.encode(enc) for text, enc in zip(NEWS, encodings)) + b"\n"
    items = read_bytes(data, ".txt", input_format="text")
    assert [it.text.lstrip("\ufeff") for it in items] == NEWS


# --- wrong types and extreme nesting in records


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "title", "url", "source", "published", "language", "body", "date", "x"]), children,
        max_size=5),
    max_leaves=20)


@FEWER
@given(records=st.lists(JSON_VALUES, min_size=1, max_size=5))
def test_records_of_any_shape(records):
    lines = b"\n".join(json.dumps(r).encode() for r in records) + b"\n"
    items = read_bytes(lines, ".jsonl", input_format="jsonl")
    lines_read = {it.origin.rsplit(":", 1)[1].split("[")[0] for it in items}
    assert lines_read == {str(i) for i in range(1, len(records) + 1)}  # every line accounted for
    read_bytes(json.dumps(records).encode(), ".json", input_format="json")
    read_bytes(json.dumps({"articles": records}).encode(), ".json")


@SETTINGS
@given(depth=st.integers(1, 100_000), kind=st.sampled_from(["[", "{\"a\":", "<div>", "<b>"]),
       fmt=st.sampled_from(["json", "jsonl", "html", "feed", None]))
def test_extreme_nesting(depth, kind, fmt):
    closer = {"[": "]", "{\"a\":": "}", "<div>": "</div>", "<b>": "</b>"}[kind]
    data = (kind * depth + "1" + closer * depth).encode()
    items = read_bytes(data, input_format=fmt)
    if items and fmt in ("json", "jsonl") and kind in ("[", "{\"a\":") and depth > 100:
        assert any("max_json_depth" in (it.junk_reason or "") for it in items)


# --- truncation at every offset


def _seed_files() -> dict[str, bytes]:
    rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Daily</title><item><title>Budget</title>'
           f"<description>{NEWS[0]}</description></item><item><title>Barrier</title><description>{NEWS[1]}"
           "</description></item></channel></rss>").encode()
    page = (f"<html><body><article><h1>Budget</h1><p>{NEWS[0]}</p><p>{NEWS[1]}</p></article></body></html>").encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
    warc = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.example/a\r\nContent-Type: application/http;"
            b" msgtype=response\r\nContent-Length: " + str(len(http)).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")
    return {
        ".txt": "\n".join(NEWS).encode() + b"\n",
        ".jsonl": b"".join(json.dumps({"title": f"T{i}", "text": t}).encode() + b"\n" for i, t in enumerate(NEWS)),
        ".json": json.dumps([{"text": t} for t in NEWS]).encode(),
        ".csv": b"title,text\n" + b"".join(f'"T{i}","{t}"\n'.encode() for i, t in enumerate(NEWS)),
        ".tsv": b"title\ttext\n" + b"".join(f"T{i}\t{t}\n".encode() for i, t in enumerate(NEWS)),
        ".rss": rss,
        ".html": page,
        ".warc": warc,
    }


@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".json", ".csv", ".tsv", ".rss", ".html", ".warc"])
def test_truncation_at_every_offset(suffix):
    data = _seed_files()[suffix]
    complete = read_bytes(data, suffix)
    assert complete and not any(it.junk_reason for it in complete)
    offsets = range(len(data))
    if suffix in (".warc", ".html"):  # every offset before the page; inside it (trafilatura's part), every 5th
        body = data.index(b"<html>")
        offsets = [*range(body + 1), *range(body + 1, len(data), 5)]
    for offset in offsets:
        items = read_bytes(data[:offset], suffix)
        if suffix in (".txt", ".jsonl", ".csv", ".tsv") and items:
            # a line format keeps every whole record before the cut, exactly
            whole = max(0, data[:offset].count(b"\n") - (suffix in (".csv", ".tsv")))
            assert [it.text for it in items if not it.junk_reason][:whole] == [it.text for it in complete][:whole]


@pytest.mark.parametrize("packer", ["gz", "bz2", "xz", "zst"])
def test_compressed_truncation_at_every_offset(packer):
    data = _seed_files()[".jsonl"] * 3
    packed = _pack(packer, data)
    magic = {"gz": 2, "bz2": 3, "xz": 6, "zst": 4}[packer]  # shorter, it is not known as compressed
    for offset in range(len(packed)):
        items = read_bytes(packed[:offset], f".jsonl.{packer}", input_format="jsonl")
        if offset >= magic:
            assert items and items[-1].junk_reason  # the cut is listed, never read as a shorter file
    assert not any(it.junk_reason for it in read_bytes(packed, f".jsonl.{packer}"))


@SETTINGS
@given(suffix=st.sampled_from([".txt", ".jsonl", ".csv", ".rss", ".html", ".warc", ".json"]),
       flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_flipped_bytes(suffix, flips):
    data = bytearray(_seed_files()[suffix])
    for where, value in flips:
        data[min(len(data) - 1, int(where * len(data)))] = value
    read_bytes(bytes(data), suffix)


# --- huge fields


@SETTINGS
@given(size=st.integers(2_001, 200_000), fmt=st.sampled_from(["text", "jsonl", "csv", "urls"]))
def test_huge_field_is_cut_with_a_note_or_listed(size, fmt):
    field = b"word " * (size // 5)
    data = {"text": field, "jsonl": b'{"text": "' + field + b'"}', "csv": b"title,text\nT," + field,
            "urls": b"http://example.invalid/" + field.replace(b" ", b"x")}[fmt]
    after = (b"T2," if fmt == "csv" else b"") + NEWS[0].encode()
    items = read_bytes(data + b"\n" + after + b"\n", input_format=fmt, max_record_bytes=2_000)
    first = items[0]
    assert first.junk_reason or (first.truncated and first.note and "max_record_bytes" in first.note)
    if fmt in ("text", "csv"):
        assert items[-1].text == NEWS[0]
