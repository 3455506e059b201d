"""The Python API is the product: same result as the CLI, deterministic, nothing lost."""

from __future__ import annotations

import newsdesk
from newsdesk.render.jsonout import to_json

from .conftest import KURSK, ROOT, need


def test_brief_from_python_equals_the_cli(kursk_json):
    result = newsdesk.brief(newsdesk.read(need(KURSK)))
    assert result.headline.text == kursk_json["headline"]
    assert [s.text for s in result.sentences] == [s["text"] for s in kursk_json["sentences"]]


def test_deterministic_byte_for_byte():
    items = list(newsdesk.read(need(KURSK)))
    assert to_json(newsdesk.brief(items)) == to_json(newsdesk.brief(items))


def test_plain_strings_and_options():
    lines = need(KURSK).read_text(encoding="utf-8").splitlines()
    result = newsdesk.brief(lines, sentences=2)
    assert len(result.sentences) <= 2
    assert [e.n for e in result.items] == list(range(1, len(lines) + 1))


def test_bundled_example_has_the_same_traps():
    result = newsdesk.brief(newsdesk.read(ROOT / "examples" / "port-strike.txt"))
    status = {e.n: e for e in result.items}
    assert status[4].status == "dropped" and "consent" in status[4].reason
    assert status[10].status == "dropped" and "newsletter" in status[10].reason
    assert status[6].status == "merged" and status[6].duplicate_of == 1
    assert "cut off" in status[7].reason
    assert result.disputes, "the union and the port authority give different figures"
    actors = {s.actor for s in result.disputes[0].sides}
    assert len(actors) >= 2


def test_a_missing_model_package_says_how_to_install_it():
    import pytest

    from newsdesk.nlp import load_spacy

    with pytest.raises(newsdesk.NewsdeskError, match="pip install en-core-web-nonexistent"):
        load_spacy("en_core_web_nonexistent")
