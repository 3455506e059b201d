"""`newsdesk verify`: a good brief verifies; each kind of tampering fails with a clear line."""

from __future__ import annotations

import copy
import json

import pytest

import newsdesk

from .conftest import KURSK, run_cli


@pytest.fixture(scope="module")
def items():
    return list(newsdesk.read(str(KURSK)))


def test_good_brief_verifies(kursk_json, items):
    assert newsdesk.verify(kursk_json, items) == []


def test_cli_verify_good_brief_exits_0(kursk_json, tmp_path):
    path = tmp_path / "brief.json"
    path.write_text(json.dumps(kursk_json), encoding="utf-8")
    result = run_cli("verify", str(path), str(KURSK))
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert result.stdout.decode() == ""


def _tampered(brief: dict, how: str, texts: dict[int, str]) -> dict:
    b = copy.deepcopy(brief)
    if how == "sentence text":
        s = b["sentences"][0]
        s["text"] = s["text"].replace(s["text"].split()[1], "reportedly", 1)
    elif how == "source number":
        s = b["sentences"][0]
        wrong = next(n for n in sorted(texts) if n not in s["sources"] and s["text"] not in texts[n])
        s["sources"] = [wrong]
    elif how == "claim offsets":
        c = b["claims"][0]
        c["start"] += 7
        c["end"] += 7
    elif how == "figure":
        q = b["figures"][0]
        q["value"] = "71.5%"
    elif how == "support":
        s = b["sentences"][0]
        s["support"] = [11]  # the cookie-consent line states nothing of the kind
    return b


@pytest.mark.parametrize("how, expected", [
    ("sentence text", "sentence 1: "),
    ("source number", "does not occur in item"),
    ("claim offsets", "claim 1 "),
    ("figure", "figure 1 '71.5%'"),
    ("support", "support item 11 does not state it"),
])
def test_tampered_brief_fails_with_a_clear_line(kursk_json, items, how, expected):
    texts = {it.n: it.text for it in items}
    failures = newsdesk.verify(_tampered(kursk_json, how, texts), items)
    assert failures, how
    assert any(expected in line for line in failures), failures


def test_cli_verify_tampered_brief_exits_1(kursk_json, items, tmp_path):
    texts = {it.n: it.text for it in items}
    path = tmp_path / "brief.json"
    path.write_text(json.dumps(_tampered(kursk_json, "figure", texts)), encoding="utf-8")
    result = run_cli("verify", str(path), str(KURSK))
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert lines and all(line.startswith("figure") for line in lines), lines


def test_cli_verify_bad_brief_file(tmp_path):
    path = tmp_path / "brief.json"
    path.write_text("not json", encoding="utf-8")
    result = run_cli("verify", str(path), str(KURSK))
    assert result.returncode == 2
    assert "not JSON" in result.stderr.decode()
