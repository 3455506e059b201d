"""Reading news where it lives: every file format, small inline fixtures and the real data."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from datetime import datetime, timezone

import pytest
import zstandard

from newsdesk import Options
from newsdesk.errors import NewsdeskError
from newsdesk.ingest import read, sniff

from .conftest import DATA, KURSK, need, run_cli

UCI = DATA / "uci-news" / "uci-news-aggregator-999.csv"
AG = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"
PAGES = DATA / "article-extraction-benchmark" / "html"

NEWS = "The city council approved the new flood defence budget on Monday after a long debate."
NEWS2 = "Engineers said the river barrier would be finished before the winter storms arrive."


def _read(*paths, **options):
    return list(read([str(p) for p in paths], Options().update(**options)))


def _write(path, data):
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


# --- sniffing


@pytest.mark.parametrize("head,fmt", [
    (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel>', "feed"),
    (b'<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
    (b"<!DOCTYPE html><html><body><p>x</p>", "html"),
    (b'[{"text": "x"}]', "json"),
    (b'{"text": "x"}\n{"text": "y"}\n', "jsonl"),
    (b"https://example.org/a\nhttps://example.org/b\n", "urls"),
    (b"title,text,url\nA,B,C\n", "csv"),
    (b"title\ttext\nA\tB\n", "tsv"),
    (NEWS.encode() + b"\n" + NEWS2.encode() + b"\n", "text"),
    (b"\x00\x01\x02binary\xff" * 50, None),
])
def test_format_is_detected_from_content(head, fmt):
    assert sniff(head, "input") == fmt


def test_kursk_snippets_stay_text():
    assert sniff(need(KURSK).read_bytes(), str(KURSK)) == "text"


# --- JSONL and JSON


def test_jsonl_fields_found_and_bad_lines_dropped(tmp_path):
    path = _write(tmp_path / "items.jsonl", "\n".join([
        json.dumps({"title": "Budget passed", "description": NEWS, "link": "https://www.example-news.com/a",
                    "publishedAt": "2024-03-04T10:00:00+02:00"}),
        "{not json",
        "",
        json.dumps({"headline": "No text here", "url": "https://x.org/1", "id": 5}),
        json.dumps({"foo": 1}),
        json.dumps({"content": "Der Stadtrat hat am Montag nach langer Debatte den neuen Haushalt für den Hochwasserschutz beschlossen.",
                    "source": {"id": None, "name": "Tagesspiegel"}}),
    ]))
    items = _read(path)
    assert [it.n for it in items] == [1, 2, 4, 5, 6]  # the blank line keeps its number
    first = items[0]
    assert (first.title, first.text, first.source) == ("Budget passed", NEWS, "example-news.com")
    assert first.published == datetime(2024, 3, 4, 8, 0, tzinfo=timezone.utc)
    assert items[1].junk_reason.startswith("invalid JSON")
    assert items[2].text == "No text here" and not items[2].junk_reason  # headline-only record
    assert "no text field" in items[3].junk_reason
    assert items[4].source == "Tagesspiegel" and items[4].language == "de" and not items[4].junk_reason


def test_json_array_and_news_api_object_and_field_mapping(tmp_path):
    array = _write(tmp_path / "a.json", json.dumps([{"body_text": NEWS, "when": "1709546400"}]))
    items = _read(array, field_names={"text": "body_text", "published": "when"})
    assert items[0].text == NEWS and items[0].published == datetime(2024, 3, 4, 10, 0, tzinfo=timezone.utc)
    api = _write(tmp_path / "b.json", json.dumps({"status": "ok", "articles": [{"content": NEWS}, {"content": NEWS2}]}))
    assert [it.text for it in _read(api)] == [NEWS, NEWS2]
    broken = _write(tmp_path / "c.json", '[{"text": "a"},')
    (only,) = _read(broken)
    assert only.junk_reason.startswith("invalid JSON")


# --- CSV and TSV


def test_csv_tsv_inline(tmp_path):
    csv_path = _write(tmp_path / "x.csv", f'headline,story text,publisher,date\n"Budget","{NEWS}",Daily Planet,"Mon, 04 Mar 2024 10:00:00 +0100"\n')
    items = _read(csv_path, field_names={"text": "story text"})
    assert items[0].text == NEWS and items[0].title == "Budget" and items[0].source == "Daily Planet"
    assert items[0].published == datetime(2024, 3, 4, 9, 0, tzinfo=timezone.utc)
    tsv = _write(tmp_path / "x.tsv", f"text\tsource\n{NEWS}\tA\n{NEWS2}\tB\n")
    assert [it.source for it in _read(tsv)] == ["A", "B"]


def test_csv_without_text_column_drops_every_row(tmp_path):
    path = _write(tmp_path / "nums.csv", "id,count,ratio\n1,2,0.5\n2,3,0.7\n")
    items = _read(path, input_format="csv")
    assert len(items) == 2 and all("no text column" in it.junk_reason for it in items)


def test_bad_field_mapping_is_one_clear_error(tmp_path):
    path = _write(tmp_path / "x.csv", f"title,text\nA,{NEWS}\n")
    with pytest.raises(NewsdeskError, match="no such column"):
        _read(path, field_names={"text": "body"})


def test_uci_csv_real():
    items = _read(need(UCI))
    assert len(items) == 999 and not any(it.junk_reason for it in items)
    first = items[0]
    assert first.text.startswith("Fed official says weak data") and first.source == "Los Angeles Times"
    assert first.url.startswith("http://www.latimes.com/") and first.published.tzinfo is not None


def test_ag_news_headerless_csv_real():
    ag = need(AG)
    guessed = _read(ag)[:3]
    mapped = _read(ag, field_names={"title": "2", "text": "3"})[:3]
    assert [(it.title, it.text) for it in guessed] == [(it.title, it.text) for it in mapped]
    assert mapped[0].title == "Fears for T N pension after talks"
    assert mapped[0].text.startswith("Unions representing workers")


# --- HTML


ARTICLE = f"""<!doctype html><html lang="en"><head><title>Council passes flood budget | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet"><meta property="article:published_time" content="2024-03-04T10:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Council passes flood budget</h1>
<p>{NEWS}</p><p>{NEWS2}</p><p>The mayor said the vote was a turning point for the districts along the river, which flooded twice last year.</p>
</article><footer>Copyright 2024 Daily Planet. All rights reserved.</footer></body></html>"""


def test_html_page_and_non_article(tmp_path):
    page = _write(tmp_path / "page.html", ARTICLE)
    empty = _write(tmp_path / "login.html", "<html><body><form><input name=user></form></body></html>")
    items = _read(page, empty)
    assert NEWS in items[0].text and "Copyright" not in items[0].text
    assert items[0].title.startswith("Council passes flood budget") and items[0].source == "Daily Planet"
    assert items[0].published == datetime(2024, 3, 4, tzinfo=timezone.utc) and items[0].language == "en"
    assert items[1].junk_reason.startswith("not an article")


def test_folder_of_real_gzipped_pages_in_sorted_order():
    folder = need(PAGES)
    items = _read(folder)
    assert len(items) == 181
    assert [it.origin for it in items] == sorted(str(p) for p in folder.rglob("*.html.gz"))
    used = [it for it in items if not it.junk_reason]
    assert len(used) >= 175 and sum(it.published is not None for it in used) >= 120


# --- compression, folders, bad bytes


@pytest.mark.parametrize("suffix,pack", [
    (".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress),
    (".zst", lambda b: zstandard.ZstdCompressor().compress(b)),
])
def test_compressed_inputs(tmp_path, suffix, pack):
    path = _write(tmp_path / f"items.jsonl{suffix}", pack(f'{{"text": "{NEWS}"}}\n{{"text": "{NEWS2}"}}\n'.encode()))
    assert [it.text for it in _read(path)] == [NEWS, NEWS2]


def test_truncated_gzip_keeps_what_was_read(tmp_path):
    lines = "".join(f"{NEWS} Item {i}.\n" for i in range(2000)).encode()
    path = _write(tmp_path / "cut.txt.gz", gzip.compress(lines)[:4000])
    items = _read(path)
    assert len(items) > 10
    assert "truncated or corrupt gzip" in items[-1].junk_reason
    assert not any(it.junk_reason for it in items[:-1])


def test_folder_recursive_sorted_with_binary_file_dropped(tmp_path):
    (tmp_path / "b").mkdir()
    _write(tmp_path / "b" / "2.txt", NEWS2 + "\n")
    _write(tmp_path / "a.txt", NEWS + "\n")
    _write(tmp_path / "c.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    _write(tmp_path / ".hidden.txt", "secret\n")
    items = _read(tmp_path)
    assert [it.text for it in items[:2]] == [NEWS, NEWS2]
    assert items[2].junk_reason == "not news: a binary file"
    assert len(items) == 3


def test_input_format_override(tmp_path):
    path = _write(tmp_path / "x.data", f"title,text\nA,{NEWS}\n")
    assert len(_read(path, input_format="text")) == 2
    assert len(_read(path)) == 1


# --- the command line


def test_read_command_jsonl_and_csv(tmp_path):
    path = _write(tmp_path / "x.jsonl", json.dumps({"title": "T", "text": NEWS, "url": "https://www.bbc.co.uk/news/1",
                                                    "date": "2024-03-04"}) + "\n{oops\n")
    result = run_cli("read", str(path), "--errors", str(tmp_path / "errors.jsonl"))
    assert result.returncode == 0, result.stderr.decode()
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert set(rows[0]) == {"n", "id", "title", "text", "url", "source", "published", "language", "dropped", "note"}
    assert rows[0]["source"] == "bbc.co.uk" and rows[0]["published"] == "2024-03-04T00:00:00+00:00"
    assert rows[1]["n"] == 2 and rows[1]["dropped"].startswith("invalid JSON")
    err = result.stderr.decode()
    assert "skipped 1" in err and "Traceback" not in err
    errors = [json.loads(line) for line in (tmp_path / "errors.jsonl").read_text().splitlines()]
    assert errors[0]["n"] == 2 and errors[0]["reason"].startswith("invalid JSON")
    strict = run_cli("read", str(path), "--strict", "--format", "csv")
    assert strict.returncode == 3 and strict.stdout.decode().startswith("n,id,title,text,url")


def test_brief_reads_a_csv_with_field_mapping(tmp_path):
    path = _write(tmp_path / "x.csv", "headline,body\n" + "".join(f'"H{i}","{s}"\n' for i, s in enumerate([NEWS, NEWS2])))
    result = run_cli("brief", str(path), "--format", "json", "--embedder", "hashing", "--field", "text=body")
    assert result.returncode == 0, result.stderr.decode()
    assert [e["status"] for e in json.loads(result.stdout)["items"]] == ["used", "used"]


def test_bad_field_flag_is_one_line_error(tmp_path):
    result = run_cli("read", str(KURSK), "--field", "body")
    assert result.returncode == 2 and "bad --field" in result.stderr.decode()
