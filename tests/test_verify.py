"""`newsdesk verify`: a good brief verifies; each kind of tampering fails with a clear line."""

from __future__ import annotations

import copy
import json

import pytest

import newsdesk
from newsdesk.render.jsonout import to_dict

from .conftest import KURSK, ROOT, run_cli


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


# One fact: the first item attributes it, the others state it in their own words.
PORT = ["The port of Rotterdam reopened on Monday after a week-long strike, the port authority said.",
        "Rotterdam's port reopened on Monday after a week-long strike.",
        "Ships began to leave the port of Rotterdam on Monday as the strike ended."]


def test_corroborated_claim_is_stated_without_its_frame_and_verifies():
    brief = newsdesk.brief(PORT, sentences=1)
    sentence = brief.sentences[0]
    assert sentence.text == "The port of Rotterdam reopened on Monday after a week-long strike"
    assert (sentence.item, sentence.start, sentence.end) == (1, 0, len(sentence.text))
    assert sentence.support  # other items state it: that is what lets the frame go
    assert brief.claims and not brief.disputes  # the claim is still in the ledger
    assert newsdesk.verify(to_dict(brief), PORT) == []


def test_claim_that_only_its_speaker_states_keeps_its_frame():
    items = [PORT[0], "Dockworkers in Antwerp voted to strike next week over automation plans."]
    brief = newsdesk.brief(items, sentences=2)
    texts = [s.text for s in brief.sentences]
    assert PORT[0] in texts, texts  # no other origin says so: the port authority's word only
    assert newsdesk.verify(to_dict(brief), items) == []


def test_denied_or_answered_claims_keep_their_frames():
    """A denial is never stated as fact, and a claim another party answers keeps its speaker."""
    items = ["Russia denied that Russian troops shelled the Zaporizhzhia nuclear plant on Friday.",
             "Russian troops shelled the Zaporizhzhia nuclear plant on Friday, Ukraine's energy ministry said.",
             "The Zaporizhzhia nuclear plant was shelled on Friday, according to Ukrainian officials.",
             "Moscow denied any involvement."]
    brief = newsdesk.brief(items)
    texts = [s.text for s in brief.sentences] + [brief.headline.text]
    assert "Russian troops shelled the Zaporizhzhia nuclear plant on Friday." not in texts
    assert not any(t.startswith("Any involvement") for t in texts), texts
    assert all("denied" in t or "said" in t or "according" in t or "shelled" not in t for t in texts), texts
    assert newsdesk.verify(to_dict(brief), items) == []


def test_contested_figures_keep_their_frames():
    """Two sides give different figures for the same thing (examples/port-strike.txt)."""
    items = list(newsdesk.read(str(ROOT / "examples" / "port-strike.txt")))
    brief = newsdesk.brief(items)
    assert any("terminals" in d.question for d in brief.disputes)
    for s in brief.sentences:
        if "80%" in s.text or "60%" in s.text:
            assert " said" in s.text, s.text
    assert newsdesk.verify(to_dict(brief), items) == []


def test_trimmed_clause_verifies_and_a_changed_word_does_not():
    brief = to_dict(newsdesk.brief(PORT, sentences=1))
    tampered = copy.deepcopy(brief)
    tampered["sentences"][0]["text"] = tampered["sentences"][0]["text"].replace("Monday", "Tuesday")
    assert any("sentence 1" in line for line in newsdesk.verify(tampered, PORT))


def test_static_embedder_brings_its_own_thresholds_and_verifies(tmp_path):
    """A brief made with the static model is checked with the same model and its thresholds."""
    options = newsdesk.Options(embedder="static")
    assert options.similarity_thresholds() == (0.7, 0.8)
    assert newsdesk.Options(embedder="static", support_similarity=0.5).similarity_thresholds() == (0.5, 0.8)
    assert newsdesk.Options().similarity_thresholds() == (0.6, 0.65)
    path = tmp_path / "brief.json"
    made = run_cli("brief", "--format", "json", "--embedder", "static", "--output", str(path), str(KURSK))
    assert made.returncode == 0, made.stderr.decode()
    assert any(s["support"] for s in json.loads(path.read_text())["sentences"])
    result = run_cli("verify", "--embedder", "static", str(path), str(KURSK))
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
