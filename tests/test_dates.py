from datetime import date, datetime

import pytest

from newsdesk.extract.dates import find_times, resolve
from newsdesk.nlp import load_spacy

from .conftest import KURSK

FRIDAY = date(2025, 3, 14)


@pytest.mark.parametrize("text, published, expected", [
    ("Friday", FRIDAY, "2025-03-14"),
    ("Tuesday", FRIDAY, "2025-03-11"),
    ("last Friday", FRIDAY, "2025-03-07"),
    ("early January", FRIDAY, "2025-01-01/2025-01-10"),
    ("August", FRIDAY, "2024-08"),
    ("last March", FRIDAY, "2025-03"),
    ("late February 2024", None, "2024-02-21/2024-02-29"),
    ("March 3, 2024", None, "2024-03-03"),
    ("2016", None, "2016"),
    ("Friday", None, None),
    ("August", None, None),
    ("two years", FRIDAY, None),
    ("yesterday", FRIDAY, "2025-03-13"),
    ("two weeks ago", FRIDAY, "2025-02-28"),
    ("last month", FRIDAY, "2025-02"),
])
def test_resolve(text, published, expected):
    assert resolve(text, published) == expected


def test_kursk_times():
    if not KURSK.exists():
        pytest.skip(f"shared data absent: {KURSK}")
    nlp = load_spacy()
    lines = KURSK.read_text(encoding="utf-8").splitlines()
    found = {}
    for n, line in enumerate(lines, 1):
        for m in find_times(nlp(line), n):
            assert line[m.start:m.end] == m.text
            found[m.text] = m.date
    assert {"early January", "August", "Friday"} <= set(found)
    assert found["Friday"] is None  # no publication date: nothing to count back from
    published = datetime(2025, 3, 14, 9, 30)
    friday = find_times(nlp(lines[2]), 3, published)
    assert [(m.text, m.date) for m in friday] == [("Friday", "2025-03-14")]  # "on" trimmed


def test_bare_weekday_found():
    doc = load_spacy()("The ministry said Tuesday that talks would resume.")
    assert [m.text for m in find_times(doc, 1)] == ["Tuesday"]
