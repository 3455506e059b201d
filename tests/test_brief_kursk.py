"""The grounded brief of the real Kursk snippets: each point of the issue, asserted."""

from __future__ import annotations

import json

import jsonschema

from newsdesk.render.jsonout import SCHEMA_PATH

from .conftest import KURSK, check_brief, need, normal, run_cli

CONSENT_LINE = 11
TRUNCATED_LINE = 2


def test_output_follows_the_published_schema(kursk_json):
    jsonschema.validate(kursk_json, json.loads(SCHEMA_PATH.read_text()))


def test_headline_and_sentences_are_cited_source_spans(kursk_json, kursk_lines):
    assert kursk_json["headline"]
    assert 1 <= len(kursk_json["sentences"]) <= 5
    texts = {n: normal(line) for n, line in enumerate(kursk_lines, start=1)}
    assert kursk_json["headline_sources"]
    for n in kursk_json["headline_sources"]:
        assert normal(kursk_json["headline"]) in texts[n]
    for s in kursk_json["sentences"]:
        assert s["sources"], s
        for n in s["sources"]:
            assert normal(s["text"]) in texts[n], (s["text"], n)
        assert not set(s["support"]) & set(s["sources"])
        # support is other items stating the same thing, so never one that only has junk
        assert CONSENT_LINE not in s["support"]


def test_markdown_cites_item_numbers():
    result = run_cli("brief", str(need(KURSK)))
    assert result.returncode == 0
    text = result.stdout.decode()
    first = text.splitlines()[0]
    assert first.startswith("# ") and "[" in first
    assert "## Contested" in text and "## Claims" in text and "## Sources" in text


def test_sentence_limit_and_word_budget():
    few = json.loads(run_cli("brief", str(need(KURSK)), "--format", "json", "--sentences", "2").stdout)
    assert 1 <= len(few["sentences"]) <= 2
    short = json.loads(run_cli("brief", str(KURSK), "--format", "json", "--words", "60").stdout)
    assert sum(len(s["text"].split()) for s in short["sentences"]) <= 60
    assert short["sentences"], "a 60-word budget fits at least one whole sentence"


def test_consent_line_is_dropped_with_a_reason_and_used_nowhere(kursk_json, kursk_lines):
    entry = kursk_json["items"][CONSENT_LINE - 1]
    assert entry["status"] == "dropped"
    assert "consent" in entry["reason"] or "cookie" in entry["reason"]
    words = kursk_lines[CONSENT_LINE - 1].split()
    shingles = {" ".join(words[i : i + 4]).casefold() for i in range(len(words) - 3)}
    output = dict(kursk_json)
    output.pop("items")
    dumped = json.dumps(output, ensure_ascii=False).casefold()
    assert not [s for s in shingles if s in dumped]
    for key in ("entities", "times"):
        assert all(CONSENT_LINE not in e["items"] for e in kursk_json[key])


def test_truncated_snippet_is_never_a_complete_sentence(kursk_json, kursk_lines):
    entry = kursk_json["items"][TRUNCATED_LINE - 1]
    assert entry["status"] == "used" and "cut off" in entry["reason"]
    tail = normal(kursk_lines[TRUNCATED_LINE - 1])[-40:]
    for s in kursk_json["sentences"] + [{"text": kursk_json["headline"]}]:
        assert "apparently gambling" not in s["text"]
        assert not normal(s["text"]).endswith(tail[-20:])
    for c in kursk_json["claims"]:
        assert "apparently gambling" not in c["content"]


def _claim(brief, actor, fragment):
    found = [c for c in brief["claims"] if c["actor"] == actor and fragment in c["content"]]
    assert found, f"no claim by {actor} containing {fragment!r}: {[(c['actor'], c['content']) for c in brief['claims']]}"
    return found[0]


def test_claims_with_speaker_cue_content_and_offsets(kursk_json, kursk_lines):
    expected = [
        ("Russian Ministry of Defence", "the Russian defence ministry", "said", 3,
         "Russian forces have retaken 63.2% of the territory captured by Ukraine in the Kursk region"),
        ("Government of Ukraine", "Kyiv", "says", 9, "North Korean troops are fighting in the Kursk region"),
        ("Government of Ukraine", "Kyiv", "says", 9, "it still controls several hundred square kilometres of territory there"),
        ("Zelenskyy", "Zelenskyy", "said", 10,
         "he had instructed Ukraine's security service to allow journalists access to the captured soldiers"),
    ]
    for actor, speaker, cue, item, content in expected:
        claim = _claim(kursk_json, actor, content)
        assert claim["speaker"] == speaker and claim["cue"] == cue and claim["item"] == item
        span = kursk_lines[item - 1][claim["start"] : claim["end"]]
        assert speaker in span and claim["content"] in span
    assert _claim(kursk_json, "Russian Ministry of Defence", "63.2%")["when"] == "on Friday"


def test_key_figures_say_what_they_measure_and_who_states_them(kursk_json):
    figures = {f["value"]: f for f in kursk_json["figures"]}
    share = figures["63.2%"]
    assert "territory" in share["measure"] and "retaken" in share["measure"]
    assert share["speaker"] == "the Russian defence ministry" and share["item"] == 3
    area = figures["several hundred square kilometres"]
    assert "territory" in area["measure"] and "control" in area["measure"]
    assert area["speaker"] == "Kyiv" and area["item"] == 9


def test_territory_accounts_stand_side_by_side(kursk_json):
    disputes = [d for d in kursk_json["disputes"] if "territory" in d["question"] and "Kursk" in d["question"]]
    assert disputes, kursk_json["disputes"]
    sides = {s["actor"]: s for s in disputes[0]["sides"]}
    assert 3 in sides["Russian Ministry of Defence"]["items"]
    assert 9 in sides["Government of Ukraine"]["items"]
    assert "63.2%" in sides["Russian Ministry of Defence"]["content"]
    assert "several hundred square kilometres" in sides["Government of Ukraine"]["content"]
    assert disputes[0]["reconcilable"] is False  # a share and an area cannot be compared directly


def test_entities_have_the_right_types(kursk_json):
    types = {}
    for e in kursk_json["entities"]:
        types.setdefault(e["text"], set()).add(e["type"])
    for place in ("Ukraine", "Russia", "Kursk", "Kyiv"):
        assert types.get(place) and types[place] <= {"GPE", "LOC"}, (place, types.get(place))
    for person in ("Zelenskyy", "Trump", "Biden"):
        assert types.get(person) == {"PERSON"}, (person, types.get(person))
    assert types.get("North Korean") == {"NORP"}


def test_time_mentions(kursk_json):
    times = {t["text"] for t in kursk_json["times"]}
    for expected in ("early January", "August", "Friday"):
        assert any(expected in t for t in times), (expected, times)


def test_ledger_accounts_for_every_line(kursk_json, kursk_lines):
    ledger = kursk_json["items"]
    assert [e["n"] for e in ledger] == list(range(1, len(kursk_lines) + 1))
    for e in ledger:
        assert e["status"] in {"used", "merged", "dropped"}
        if e["status"] == "dropped":
            assert e["reason"]
        if e["status"] == "merged":
            assert ledger[e["duplicate_of"] - 1]["status"] == "used"


def test_disputed_territory_keeps_its_attribution(kursk_json):
    """The territory figures are disputed (Moscow's share against Kyiv's area), so a brief
    sentence stating one keeps who says it."""
    assert any("territory" in d["question"] for d in kursk_json["disputes"])
    stated = [s["text"] for s in kursk_json["sentences"] if "63.2%" in s["text"]]
    assert stated, [s["text"] for s in kursk_json["sentences"]]
    assert all("the Russian defence ministry said" in text for text in stated), stated


def test_the_summary_does_not_depend_on_what_is_parsed(kursk_lines):
    """Options.extract says which sentences are parsed for claims, figures, entities and times;
    the summary is chosen before any parse, so every mode briefs the same sentences."""
    import newsdesk

    briefs = {mode: newsdesk.brief(kursk_lines, extract=mode) for mode in ("all", "summary", "none")}
    chosen = {mode: [s.item for s in b.sentences] for mode, b in briefs.items()}
    assert chosen["all"] == chosen["summary"] == chosen["none"]
    # the same sentences; where claims were found, an uncontested one may lose its "X says"
    for mode in ("all", "summary"):
        for full, s in zip(briefs["none"].sentences, briefs[mode].sentences):
            assert normal(s.text).rstrip(".") in normal(full.text), (s.text, full.text)
    assert not briefs["none"].claims and not briefs["none"].entities and not briefs["none"].figures
    summary = briefs["summary"]
    # claims and figures of the summary's sentences only, and the same as a full parse finds there
    inside = [(c.item, c.start, c.end) for c in briefs["all"].claims
              if any(c.item == s.item and s.start <= c.start and c.end <= s.end for s in briefs["none"].sentences)]
    assert inside and sorted((c.item, c.start, c.end) for c in summary.claims) == sorted(inside)
    assert {q.text for q in summary.figures} >= {"63.2%"}
    assert summary.headline.text == briefs["all"].headline.text
    for b in briefs.values():
        check_brief(b, kursk_lines)


def test_unknown_extract_mode_is_refused(kursk_lines):
    import pytest

    import newsdesk

    with pytest.raises(newsdesk.NewsdeskError, match="extract must be one of all, summary, none"):
        newsdesk.brief(kursk_lines, extract="everything")
