"""Shared fixtures. Real data is read in place from ../shared/data (never copied here)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path

import pytest

import newsdesk

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FLOORS = tomllib.loads((ROOT / "tests" / "floors.toml").read_text())


def gate(section: str, got: Mapping[str, float]) -> None:
    """The one quality gate: every figure in `got` that has a floor in tests/floors.toml
    [section] must reach it; fails naming every figure below its floor, with both values."""
    floors = FLOORS
    for part in section.split("."):
        floors = floors[part]
    checked = floors.keys() & got.keys()
    assert checked, f"none of {sorted(got)} has a floor in [{section}] of tests/floors.toml"
    low = {name: f"{got[name]:.3f} < {floors[name]}" for name in sorted(checked) if not got[name] >= floors[name]}
    assert not low, f"[{section}] below the pinned floors: {low}"
KURSK = DATA / "kursk-snippets.txt"
UCI = DATA / "uci-news" / "uci-news-aggregator-999.csv"
GOOGLENEWS = DATA / "googlenews-sttm" / "dataset"
POLNEAR = DATA / "polnear" / "data"
AG_NEWS = DATA / "ag-news" / "data" / "ag_news_csv" / "test.csv"
MULTINEWS = DATA / "multinews-sample" / "multinews-250-test-sample.csv"
BOILERPLATE = DATA / "boilerplate"
ARTICLES = DATA / "article-extraction-benchmark"
SEMEVAL = DATA / "semeval2022-task8" / "pairs.csv"


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", default=bool(os.environ.get("NEWSDESK_SLOW")),
                     help="also run the slow tests (quality floors on the real data); `make test` does")


def pytest_collection_modifyitems(config, items):
    """Slow tests are opt-in: a quick `pytest` while working, the whole gate with --slow."""
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow (or NEWSDESK_SLOW=1), as `make test` does")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def need(path: Path) -> Path:
    """Skip, saying what is missing, when the shared evaluation data is not beside the repo."""
    if not path.exists():
        pytest.skip(f"evaluation data not found: {path} (clone the repository beside ../shared)")
    return path


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run the real command line, as a user would."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "newsdesk", *args], input=stdin, capture_output=True, env=env, timeout=300)


def normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().casefold()


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline every stage uses (loaded once per run)."""
    from newsdesk.nlp import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def kursk_lines() -> list[str]:
    return need(KURSK).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def kursk_json() -> dict:
    """The brief of the real Kursk snippets, through the CLI as a user runs it."""
    result = run_cli("brief", str(need(KURSK)), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    check_brief(data, list(newsdesk.read(str(KURSK))))
    return data


def check_brief(brief, sources, options=None) -> dict:
    """Every brief a test produces goes through here: its JSON follows the published schema
    and `newsdesk.verify` finds every citation holding in `sources` (Items, strings numbered
    from 1, or {n: text}). `options` are those the brief was made with (e.g. its embedder)."""
    import jsonschema

    from newsdesk.model import Brief
    from newsdesk.render.jsonout import SCHEMA_PATH, to_dict

    data = to_dict(brief) if isinstance(brief, Brief) else brief
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    failures = newsdesk.verify(data, sources, options)
    assert not failures, "\n".join(failures)
    return data
