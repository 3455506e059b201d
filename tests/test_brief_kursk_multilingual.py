"""End to end on examples/kursk-multilingual.txt (written for the project, one item a line, in
English, Russian, Ukrainian, German, French, Polish and Spanish), with the traps of the seed:

- line 5 is an English translation of the Russian line 2 (marked `translation`, not an origin);
- line 9 is line 1 from another outlet with a tail added (merged as a duplicate);
- line 6 is a German cookie-consent notice (dropped, with the reason);
- line 7 is a French snippet cut off mid-sentence (its unfinished part is never used);
- the Russian ministry (line 2, in Russian) and the Ukrainian general staff (line 3, in
  Ukrainian) give opposing accounts of the territory, which must stand side by side.
"""

from __future__ import annotations

import json

import jsonschema
import pytest

import newsdesk
from newsdesk.render.jsonout import SCHEMA_PATH

from .conftest import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "kursk-multilingual.txt"
LANGUAGES = {1: "en", 2: "ru", 3: "uk", 4: "de", 5: "en", 6: "de", 7: "fr", 8: "pl", 9: "en", 10: "es"}
RUSSIAN, UKRAINIAN, TRANSLATION, CONSENT, TRUNCATED, DUPLICATE = 2, 3, 5, 6, 7, 9

pytestmark = pytest.mark.slow  # the multilingual model embeds every sentence: about 30 s on two cores


@pytest.fixture(scope="module")
def brief() -> dict:
    result = run_cli("brief", str(EXAMPLE), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return EXAMPLE.read_text(encoding="utf-8").splitlines()


def test_follows_the_schema_and_verifies(brief, tmp_path_factory):
    jsonschema.validate(brief, json.loads(SCHEMA_PATH.read_text()))
    assert newsdesk.verify(brief, list(newsdesk.read(str(EXAMPLE)))) == []
    path = tmp_path_factory.mktemp("brief") / "brief.json"
    path.write_text(json.dumps(brief), encoding="utf-8")
    assert run_cli("verify", str(path), str(EXAMPLE)).returncode == 0


def test_the_brief_joins_languages(brief, lines):
    languages = {s.get("language") or "en" for s in brief["sentences"]}
    assert {"en", "ru"} <= languages and len(languages) >= 3
    for s in brief["sentences"]:  # shown in the original, marked with its language when not English
        assert all(s["text"] in lines[n - 1] for n in s["sources"])
        assert (s.get("language") or "en") == LANGUAGES[s["sources"][0]]


def test_translation_is_marked_and_not_an_origin(brief):
    entry = brief["items"][TRANSLATION - 1]
    assert entry["status"] == "translation" and entry["duplicate_of"] == RUSSIAN
    assert brief["items"][DUPLICATE - 1]["status"] == "merged" and brief["items"][DUPLICATE - 1]["duplicate_of"] == 1


def test_junk_dropped_with_a_reason_and_truncation_noted(brief, lines):
    consent = brief["items"][CONSENT - 1]
    assert consent["status"] == "dropped" and ("consent" in consent["reason"] or "cookie" in consent["reason"])
    assert "Cookies" not in json.dumps({k: v for k, v in brief.items() if k not in ("items", "sources")}, ensure_ascii=False)
    truncated = brief["items"][TRUNCATED - 1]
    assert "cut off" in (truncated["reason"] or "")
    assert all(c["item"] != TRUNCATED for c in brief["claims"])  # nothing from the unfinished sentence


def test_claims_from_speakers_of_other_languages(brief, lines):
    by_item = {c["item"]: c for c in brief["claims"]}
    assert by_item[RUSSIAN]["actor"] == "Russian Ministry of Defence"
    assert by_item[UKRAINIAN]["actor"] == "Ukrainian Armed Forces"
    assert {4, 8} <= set(by_item)  # German and Polish speakers too
    assert TRUNCATED not in by_item  # its one sentence is unfinished
    for c in brief["claims"]:
        assert c["content"] in lines[c["item"] - 1]


def test_the_two_sides_figures_stand_side_by_side(brief):
    [dispute] = [d for d in brief["disputes"] if "territory" in d["question"]]
    sides = {s["actor"]: s for s in dispute["sides"]}
    assert set(sides) == {"Russian Ministry of Defence", "Ukrainian Armed Forces"}
    assert sides["Russian Ministry of Defence"]["figures"] == ["64,5%"]
    assert sides["Russian Ministry of Defence"]["copies"] == [TRANSLATION]  # the translation counts once
    assert sides["Russian Ministry of Defence"]["origins"] == 1
    assert sides["Ukrainian Armed Forces"]["figures"] == ["кілька сотень квадратних кілометрів"]


def test_names_of_other_languages_join_the_english_ones(brief):
    """The Russian ministry named in Russian, the Ukrainian forces in Ukrainian, German and
    Russian: one entity each, under its English name, citing the items in every language."""
    found = {e["text"]: e for e in brief["entities"]}
    assert found["Russian Ministry of Defence"]["type"] == "ORG" and RUSSIAN in found["Russian Ministry of Defence"]["items"]
    assert {RUSSIAN, UKRAINIAN} <= set(found["Ukrainian Armed Forces"]["items"])
    assert "Kursk" in found and "Volodymyr Zelenskyy" in found


def test_one_story_across_languages():
    """Every kept item of the example is about the Kursk fighting: `newsdesk stories` must not
    split the pile by language or by the multilingual model's member split
    (Options.story_member_similarity)."""
    result = run_cli("stories", str(EXAMPLE), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    stories = json.loads(result.stdout)["stories"]
    assert [sorted(s["items"]) for s in stories] == [[1, 2, 3, 4, 5, 7, 8, 9, 10]]
