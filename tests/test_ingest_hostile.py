"""The hostile inputs of issue 18, each pinned: no internal error, the good records of a file
kept, the bad one listed with a reason, and a cap named by the option that raises it.

Sizes are scaled down where a cap stands in for the size (a 1.1 GB bomb is a few MB past a small
`max_decompressed_bytes`); benchmarks/fuzz.py --hostile runs them at full size and reports
memory and time.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import lzma
import os
import random

import pytest
import zstandard

from newsdesk import Options
from newsdesk.cli import main
from newsdesk.errors import NewsdeskError
from newsdesk.ingest import ReadReport, read, sniff

CAP = Options().max_item_chars  # every item is cut to this many characters
NEWS = "The city council approved the new flood defence budget on Monday after a long debate."
NEWS2 = "Engineers said the river barrier would be finished before the winter storms arrive."


def _read(*paths, **options):
    return list(read([str(p) for p in paths], Options().update(**options)))


def _write(path, data):
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _cli(*args) -> tuple[int, str, str]:
    """`newsdesk ARGS` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(a) for a in args])
    return status, out.getvalue(), err.getvalue()


def _good(items):
    return [it.text for it in items if not it.junk_reason]


# --- JSON nested 200,000 deep


def test_json_nested_200000_deep_is_one_listed_record(tmp_path):
    path = _write(tmp_path / "deep.json", "[" * 200_000 + "]" * 200_000)
    status, out, err = _cli("read", path, "--errors", tmp_path / "e.jsonl")
    assert status == 0 and "internal error" not in err
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert "nested 200,000 levels" in row["dropped"] and "max_json_depth" in row["dropped"]


def test_jsonl_with_one_deep_line_keeps_the_good_lines(tmp_path):
    deep = '{"text": ' + "[" * 200_000 + "]" * 200_000 + "}"
    lines = [json.dumps({"text": NEWS}), deep, json.dumps({"text": NEWS2})]
    path = _write(tmp_path / "items.jsonl", "\n".join(lines) + "\n")
    items = _read(path)
    assert [it.n for it in items] == [1, 2, 3]
    assert _good(items) == [NEWS, NEWS2]
    assert "max_json_depth" in items[1].junk_reason and items[1].origin.endswith(":2")


def test_json_depth_cap_is_an_option(tmp_path):
    path = _write(tmp_path / "x.jsonl", json.dumps({"text": NEWS, "tags": [[[["a"]]]]}) + "\n")
    assert _good(_read(path)) == [NEWS]
    (item,) = _read(path, max_json_depth=3)
    assert "JSON nested 5 levels deep: the max_json_depth cap is 3 levels" in item.junk_reason


# --- a NUL byte in one CSV row


def test_csv_with_a_nul_in_one_row_keeps_the_other_rows(tmp_path):
    path = _write(tmp_path / "x.csv", f"title,text\nA,{NEWS}\nB,bad \x00 row {NEWS}\nC,{NEWS2}\n")
    items = _read(path)
    assert _good(items) == [NEWS, NEWS2]
    assert items[1].junk_reason == "not text (control characters)" and items[1].origin.endswith(":3")


def test_text_file_with_a_nul_line_keeps_the_other_lines(tmp_path):
    path = _write(tmp_path / "x.txt", f"{NEWS}\nbad \x00 line\n{NEWS2}\n")
    items = _read(path)
    assert _good(items) == [NEWS, NEWS2] and items[1].junk_reason


# --- decompression bombs


def test_gzip_bomb_without_newline_stops_at_the_decompressed_cap(tmp_path):
    path = _write(tmp_path / "bomb.txt.gz", gzip.compress(b"a" * 30_000_000, compresslevel=9))
    items = _read(path, max_decompressed_bytes=5_000_000)
    line, cap = items
    assert line.truncated and line.note == f"cut from 5,000,000 to {CAP:,} characters (max_item_chars)"
    assert len(line.text) == CAP
    assert cap.junk_reason.startswith("gzip input too large decompressed")
    assert "max_decompressed_bytes cap is 5,000,000 bytes" in cap.junk_reason


def test_gzip_bomb_stops_at_the_decompression_ratio(tmp_path):
    path = _write(tmp_path / "bomb.gz", gzip.compress(b"a" * 40_000_000 + b"\n" + NEWS.encode() + b"\n"))
    first, cap = _read(path)
    assert first.note.startswith("cut from ") and len(first.text) == CAP
    assert cap.junk_reason.startswith("gzip input expands ") and "-fold (a decompression bomb?)" in cap.junk_reason
    assert "the max_decompression_ratio cap is 100-fold" in cap.junk_reason


def test_long_line_past_the_record_cap_is_cut_with_a_note_and_the_next_line_read(tmp_path):
    path = _write(tmp_path / "bomb.gz", gzip.compress(b"a" * 20_000_000 + b"\n" + NEWS.encode() + b"\n"))
    first, second = _read(path, max_decompression_ratio=100_000)
    assert first.note == f"cut from a line of 20,000,001 bytes to {CAP:,} characters (max_item_chars)"
    assert second.text == NEWS


def test_real_compressed_news_is_far_below_the_ratio_cap(tmp_path):
    from .conftest import DATA, need

    rows = need(DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv").read_bytes()
    packed = lzma.compress(rows)
    assert len(rows) / len(packed) < 10  # news compresses a few-fold: 100-fold is a bomb


def test_zero_filled_xz_read_as_csv_is_listed(tmp_path):
    path = _write(tmp_path / "zeros.xz", lzma.compress(b"\x00" * 3_000_000))
    status, out, err = _cli("read", path, "--input-format", "csv")
    assert status == 0 and "internal error" not in err
    rows = [json.loads(line) for line in out.splitlines()]
    assert sum(bool(r["dropped"]) for r in rows) > 0.8 * len(rows)  # the rest is for the junk filter to judge
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(r["dropped"] for r in rows)


def test_zstd_bomb_stops_at_the_cap(tmp_path):
    path = _write(tmp_path / "z.zst", zstandard.ZstdCompressor(level=19).compress(b"a" * 50_000_000))
    items = _read(path, max_decompressed_bytes=1_000_000)
    assert len(path.read_bytes()) < 5_000  # 10,000-fold
    assert len(items) == 2 and items[0].note and "max_decompressed_bytes" in items[1].junk_reason


# --- truncated .zst


def test_truncated_zstd_is_reported_also_under_strict(tmp_path):
    rng = random.Random(3)
    words = NEWS.split()
    lines = "".join(" ".join(rng.choice(words) for _ in range(15)) + f" {i}.\n" for i in range(20_000))
    data = zstandard.ZstdCompressor().compress(lines.encode())  # several blocks: the first ones decode
    path = _write(tmp_path / "cut.txt.zst", data[: len(data) // 2])
    items = _read(path)
    assert "truncated or corrupt zstd input" in items[-1].junk_reason
    assert len(items) > 10 and not any(it.junk_reason for it in items[:-1])
    status, _, err = _cli("read", path, "--strict")
    assert status == 3 and "skipped 1" in err


def test_zstd_of_several_frames_reads_them_all(tmp_path):
    pack = zstandard.ZstdCompressor().compress
    path = _write(tmp_path / "two.txt.zst", pack(NEWS.encode() + b"\n") + pack(NEWS2.encode() + b"\n"))
    assert _good(_read(path)) == [NEWS, NEWS2]


def test_empty_zstd_frame_header_is_truncated(tmp_path):
    path = _write(tmp_path / "x.zst", b"\x28\xb5\x2f\xfd")
    (item,) = _read(path)
    assert "truncated or corrupt zstd" in item.junk_reason


# --- a 100 MB line, a 10 MB CSV field: cut, never silently


def test_long_line_is_cut_with_a_note_at_the_record_cap(tmp_path):
    path = _write(tmp_path / "x.txt", b"word " * 400_000 + b"\n" + NEWS.encode() + b"\n")
    long, news = _read(path, max_record_bytes=100_000, max_item_chars=500_000)
    assert long.note == "cut from a line of 2,000,001 bytes at the max_record_bytes cap of 100,000"
    assert long.truncated and len(long.text) <= 100_000 and news.text == NEWS


def test_long_utf8_line_cut_inside_a_character_stays_utf8(tmp_path):
    path = _write(tmp_path / "x.txt", ("é" * 100_000 + "\n").encode())
    (item,) = _read(path, max_record_bytes=1001, max_item_chars=10_000)
    assert item.text == "é" * 500  # not mojibake: the half character at the cut is dropped


def test_10mb_csv_field_is_cut_with_a_note_listed_by_read_report(tmp_path):
    path = _write(tmp_path / "x.csv", b"title,text\nA," + b"word " * 2_000_000 + b"\nB," + NEWS.encode() + b"\n")
    report = ReadReport()
    big, news = list(report.watch(read([str(path)], Options())))
    assert big.note == f"cut from 9,999,999 to {CAP:,} characters (max_item_chars)" and len(big.text) == CAP
    assert news.text == NEWS
    assert report.noted == [big] and "read in part" in report.summary()
    (line,) = report.errors_jsonl().splitlines()
    assert json.loads(line)["note"] == big.note


def test_csv_field_past_the_record_cap_is_cut_noted_and_the_next_rows_read(tmp_path):
    path = _write(tmp_path / "x.csv", f'title,text\nA,"{"x" * 5000}\nB,"{NEWS}"\nC,{NEWS2}\n')
    cut, news, news2 = _read(path, max_record_bytes=1000, max_item_chars=100_000)
    assert cut.note == "CSV row cut from a line of 5,004 bytes at the max_record_bytes cap of 1,000"
    assert cut.text == "x" * 997 and (news.text, news2.text) == (NEWS, NEWS2)


def test_csv_quoted_field_over_many_lines_past_the_cap_is_cut(tmp_path):
    field = "\n".join(["y" * 400] * 30)  # 12 KB over 30 lines, each under the cap
    path = _write(tmp_path / "x.csv", f'title,text\nA,"{field}"\nB,"{NEWS}"\nC,{NEWS2}\n')
    items = _read(path, max_record_bytes=1000, max_item_chars=100_000)
    assert items[0].note == "CSV row cut: a quoted field runs over many lines at the max_record_bytes cap of 1,000"
    assert len(items[0].text) <= 1000 and (items[-2].text, items[-1].text) == (NEWS, NEWS2)
    assert all(it.junk_reason for it in items[1:-2])  # the rest of the field: listed rows, never a crash


def test_jsonl_line_past_the_record_cap_is_listed(tmp_path):
    path = _write(tmp_path / "x.jsonl", json.dumps({"text": NEWS * 100}) + "\n" + json.dumps({"text": NEWS2}) + "\n")
    big, news = _read(path, max_record_bytes=1000)
    assert "JSON record of 8,513 bytes: the max_record_bytes cap is 1,000 bytes" in big.junk_reason
    assert news.text == NEWS2


# --- WARC


def test_warc_record_with_an_overflowing_length(tmp_path):
    path = _write(tmp_path / "x.warc", b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.example/\r\n"
                  b"Content-Type: application/http; msgtype=response\r\nContent-Length: 99999999999999999999\r\n\r\n"
                  b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>hello</p></body></html>\r\n\r\n")
    status, out, err = _cli("read", path)
    assert status == 0 and "internal error" not in err
    assert json.loads(out)["dropped"].startswith("malformed WARC")


def _warc_record(i: int, length_error: int = 0) -> bytes:
    body = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><article><p>" + NEWS.encode() +
            b" Item %d.</p></article></body></html>" % i)
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.example/%d\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n"
            % (i, len(body) - length_error)
            + body + b"\r\n\r\n")


def test_warcio_warnings_are_counted_not_printed(tmp_path, capfd):
    path = _write(tmp_path / "x.warc", b"".join(_warc_record(i, length_error=20) for i in range(40)))
    items = _read(path)
    assert capfd.readouterr().err == ""
    assert items[-1].junk_reason.startswith("damaged WARC: 40 warning(s) from the WARC reader")
    status, _, err = _cli("read", path)
    assert status == 0 and len(err.strip().splitlines()) == 1  # the summary line only


# --- random bytes as CSV, and as every format


@pytest.mark.parametrize("fmt", ["text", "jsonl", "json", "csv", "tsv", "html", "feed", "warc", "urls"])
def test_random_bytes_in_every_format(tmp_path, fmt):
    path = _write(tmp_path / "random.bin", random.Random(5).randbytes(100_000))
    try:
        items = _read(path, input_format=fmt)
    except NewsdeskError as exc:  # a whole-input refusal is fine ("looks like a binary file")
        assert "binary" in str(exc)
        return
    assert all(it.junk_reason for it in items)


def test_random_bytes_read_as_csv_through_the_cli(tmp_path):
    path = _write(tmp_path / "random.bin", random.Random(1).randbytes(100_000))
    status, out, err = _cli("read", path, "--input-format", "csv")
    assert status == 0 and "internal error" not in err
    rows = [json.loads(line) for line in out.splitlines()]
    assert sum(bool(r["dropped"]) for r in rows) > 0.8 * len(rows)  # the rest is for the junk filter to judge


# --- folders and links


def test_folder_link_out_of_the_folder_is_not_followed(tmp_path):
    folder = tmp_path / "pile"
    folder.mkdir()
    _write(folder / "a.txt", NEWS + "\n")
    outside = _write(tmp_path / "secret.txt", "root:x:0:0:root:/root:/bin/bash\n")
    os.symlink(outside, folder / "link.txt")
    os.symlink("/etc", folder / "etc")
    items = _read(folder)
    assert [it.text for it in items] == [NEWS, "", ""]
    reasons = {os.path.basename(it.origin): it.junk_reason for it in items[1:]}
    assert reasons == {"etc": "not read: a link to a folder is not followed",
                       "link.txt": "not read: a link to a file outside the folder is not followed"}
    assert not any("root:" in (it.text or "") for it in items)


def test_folder_link_to_a_file_inside_is_read(tmp_path):
    _write(tmp_path / "a.txt", NEWS + "\n")
    os.symlink(tmp_path / "a.txt", tmp_path / "b.txt")
    assert _good(_read(tmp_path)) == [NEWS, NEWS]


# --- sniffing a JSONL file whose first line is a whole article


@pytest.mark.parametrize("size", [5_000, 70_000])
def test_jsonl_with_a_long_first_line_is_sniffed_as_jsonl(tmp_path, size):
    first = json.dumps({"title": "Long", "text": (NEWS + " ") * (size // len(NEWS))})
    path = _write(tmp_path / "items.jsonl", first + "\n" + json.dumps({"text": NEWS2}) + "\n")
    items = _read(path)
    assert len(items) == 2 and not any(it.junk_reason for it in items) and items[1].text == NEWS2
    assert sniff(path.read_bytes()[:65536], "x") == "jsonl"


# --- URLs: one-line reasons, every private spelling refused


@pytest.mark.parametrize("url,reason", [
    ("http://0177.0.0.1:1/", "not a valid URL"),
    ("http://[::1/", "not a valid URL"),
    ("http://::1]/", "not a valid URL"),
    ("http://x.example:99999/", "not a valid URL"),
    ("http://2130706433/", "refused: 2130706433 is a loopback address"),
    ("http://0x7f000001/", "refused: 0x7f000001 is a loopback address"),
    ("http://127.1/", "refused: 127.1 is a loopback address"),
    ("http://017700000001/", "refused: 017700000001 is a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "refused: ::ffff:127.0.0.1 is a loopback address"),
    ("http://[::127.0.0.1]/", "is a loopback address"),
    ("http://[64:ff9b::7f00:1]/", "is a loopback address"),
    ("http://[2002:7f00:1::]/", "is a loopback address"),
    ("http://[::ffff:10.0.0.1]/", "is a private address"),
    ("http://0.0.0.0/", "refused: 0.0.0.0 is an unspecified address"),
    ("http://[::]/", "is an unspecified address"),
    ("http://169.254.169.254/latest/meta-data/", "is a link-local address"),
])
def test_bad_and_private_urls_give_one_line_reasons(url, reason):
    (item,) = list(read([url], Options()))
    assert reason in item.junk_reason and "\n" not in item.junk_reason


def test_bad_url_through_the_cli_is_not_an_internal_error():
    status, out, err = _cli("read", "http://0177.0.0.1:1/")
    assert status == 0 and "internal error" not in err and "not a valid URL" in json.loads(out)["dropped"]


# --- feeds: text raw, entities bounded, deep HTML


def test_rss_title_with_an_undefined_entity_stays_raw(tmp_path):
    path = _write(tmp_path / "x.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>Oil &amp; Gas</title>'
                  f"<item><title>Hello &lol9; world</title><description>{NEWS} &lol9; end.</description></item>"
                  "</channel></rss>")
    (item,) = _read(path)
    assert item.title == "Hello &lol9; world" and item.source == "Oil & Gas"
    assert "&amp;" not in item.text and "&lol9" in item.text


def test_atom_html_title_is_read_as_text(tmp_path):
    path = _write(tmp_path / "x.atom", '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                  '<title type="html">Wire &amp;amp; Co</title><entry><title type="html">&lt;b&gt;Port&lt;/b&gt; '
                  f"&amp;amp; docks</title><summary>{NEWS}</summary></entry></feed>")
    (item,) = _read(path)
    assert item.title == "Port & docks" and item.source == "Wire & Co"


def test_feed_entity_expansion_is_capped(tmp_path):
    value = "x" * 10_000
    path = _write(tmp_path / "x.rss", f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{value}">]><rss version="2.0">'
                  f"<channel><title>X</title><item><title>T</title><description>{'&a;' * 200}</description></item>"
                  "</channel></rss>")
    (item,) = _read(path)
    assert item.junk_reason == ("feed whose declared entities expand to 2,000,000 characters: the max_entity_expansion "
                                "cap is 1,000,000 characters (raise it in an --options file)")
    (allowed,) = _read(path, max_entity_expansion=3_000_000)
    assert not allowed.junk_reason


def test_billion_laughs_feed_is_refused(tmp_path):
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = _write(tmp_path / "x.rss", f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{levels}]>'
                  '<rss version="2.0"><channel><title>X</title><item><title>&l9;</title></item></channel></rss>')
    (item,) = _read(path)
    assert "max_entity_expansion" in item.junk_reason


def test_html_nested_past_the_cap_is_listed(tmp_path):
    page = "<html><body>" + "<div>" * 300 + f"<p>{NEWS} {NEWS2}</p>" + "</div>" * 300 + "</body></html>"
    (item,) = _read(_write(tmp_path / "deep.html", page))
    assert item.junk_reason == ("page nested too deep: the max_html_depth cap is 250 levels "
                                "(raise it in an --options file)")
    feed = _write(tmp_path / "deep.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>X</title><item>'
                  f"<title>T</title><description>{'&lt;b&gt;' * 300}{NEWS}</description></item></channel></rss>")
    (entry,) = _read(feed)
    assert "max_html_depth" in entry.junk_reason


# --- items per input


def test_items_per_input_cap(tmp_path):
    path = _write(tmp_path / "x.txt", "".join(f"{NEWS} Item {i}.\n" for i in range(10)))
    items = _read(path, max_items_per_input=4)
    assert len(items) == 5 and not any(it.junk_reason for it in items[:4])
    assert items[4].junk_reason.startswith("stopped after 4 records")
    assert "max_items_per_input cap is 4 records" in items[4].junk_reason
    assert len(_read(path, max_items_per_input=10)) == 10  # exactly at the cap: nothing more to say


def test_caps_are_documented_options():
    import inspect

    lines = inspect.getsource(Options).splitlines()
    for cap in ("max_decompressed_bytes", "max_decompression_ratio", "max_record_bytes", "max_items_per_input",
                "max_json_depth", "max_html_depth", "max_entity_expansion", "max_response_bytes", "fetch_timeout"):
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{cap}: "))
        assert lines[at + 1].strip().startswith('"""'), f"{cap} has no docstring"


def test_folder_read_as_text_lists_a_binary_file_and_reads_the_rest(tmp_path):
    _write(tmp_path / "a.txt", NEWS + "\n")
    _write(tmp_path / "b.bin", random.Random(2).randbytes(5000))
    _write(tmp_path / "c.txt", NEWS2 + "\n")
    items = _read(tmp_path, input_format="text")
    assert _good(items) == [NEWS, NEWS2] and items[1].junk_reason == "not news: a binary file"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path, encoding):
    """Excel's "Unicode text" export: UTF-16 TSV (once refused as a binary file, for its NULs)."""
    bom = {"utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    data = bom + f"title\ttext\nFlood\t{NEWS}\nBarrier\t{NEWS2} – ß\n".encode(encoding)
    items = _read(_write(tmp_path / "export.txt", data))
    assert [(it.title, it.text) for it in items] == [("Flood", NEWS), ("Barrier", f"{NEWS2} – ß")]
