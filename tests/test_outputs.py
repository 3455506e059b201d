"""Outputs people use: the self-contained HTML (with its timeline chart) and the JSON schema."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime

import jsonschema
import pytest

import newsdesk
from newsdesk.model import Item, TimelineEntry
from newsdesk.render import render
from newsdesk.render.jsonout import SCHEMA_PATH, to_dict
from newsdesk.render.timeline import chart, span

from .conftest import check_brief

ITEMS = [
    "The city council approved the new budget on Monday after a long debate, officials said.",
    "On March 3, 2024, the mayor announced a plan to rebuild the bridge over the river.",
    "The bridge closed in February 2024 after inspectors found cracks, the transport agency said.",
]


@pytest.fixture(scope="module")
def dated_brief():
    items = [Item(n=k, text=t, published=datetime(2024, 3, 12)) for k, t in enumerate(ITEMS, start=1)]
    brief = newsdesk.brief(items)
    check_brief(brief, items)
    timeline = [
        TimelineEntry("2024-02", ITEMS[2], [3]),
        TimelineEntry("2024-03-03", ITEMS[1], [2]),
        TimelineEntry("2024-03-04/2024-03-11", 'A <script>alert("x")</script> & "quotes"', [1, 3]),
    ]
    return replace(brief, timeline=timeline)


def test_event_dates_are_placed():
    assert span("2024-03-03") == (datetime(2024, 3, 3).date(),) * 2
    assert span("2024-02")[1].day == 29
    assert span("2024")[0].month == 1 and span("2024")[1].month == 12
    assert span("2024-03-04/2024-03-11")[1].day == 11
    assert span("early 2024") is None


def test_html_timeline_chart_is_inline_cited_and_escaped(dated_brief):
    html = render(dated_brief, "html")
    svg = re.search(r"<svg class=\"timeline-chart\".*?</svg>", html, re.DOTALL)
    assert svg, "the timeline is drawn as an inline SVG chart"
    svg = svg.group(0)
    assert svg.count("<circle") == 1 and svg.count("<rect") == 2  # a day is a point; a month, a range a bar
    for n in (1, 2, 3):
        assert f'href="#item-{n}"' in svg  # every mark and citation links to its source
        assert f'id="item-{n}"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    # self-contained: nothing is fetched
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "Content-Security-Policy" in html
    # marks are in date order, left to right
    xs = [float(x) for x in re.findall(r'<(?:rect x|circle cx)="([\d.]+)"', svg)]
    assert xs == sorted(xs)


def test_no_chart_without_dates(dated_brief):
    assert chart([]) is None
    html = render(replace(dated_brief, timeline=[]), "html")
    assert "timeline-chart" not in html


def test_json_follows_the_schema(dated_brief):
    data = json.loads(render(dated_brief, "json"))
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    assert data == to_dict(dated_brief)
    assert [t["date"] for t in data["timeline"]] == ["2024-02", "2024-03-03", "2024-03-04/2024-03-11"]


def test_schema_rejects_a_broken_brief(dated_brief):
    data = to_dict(dated_brief)
    data["sentences"][0]["sources"] = ["one"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
