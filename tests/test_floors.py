"""The quality gate itself: it fails below a floor, and every floor in tests/floors.toml is
checked by some test (a floor nobody reads would guard nothing)."""

from __future__ import annotations

import re

import pytest

from .conftest import FLOORS, ROOT, gate


def test_gate_fails_below_a_floor_and_names_it():
    gate("stories", {"uci": 0.99})
    with pytest.raises(AssertionError, match="uci"):
        gate("stories", {"uci": 0.5})
    with pytest.raises(AssertionError, match="no.*floor|none of"):
        gate("stories", {"not a figure": 1.0})


def _sections(table: dict, prefix: str = ""):
    for name, value in table.items():
        if all(isinstance(v, dict) for v in value.values()):
            yield from _sections(value, f"{prefix}{name}.")
        else:
            yield prefix + name


def test_every_floor_section_is_gated_by_a_test():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    named = set(re.findall(r'gate\(f?"([\w.]+)', sources))  # "summary." for gate(f"summary.{name}", ...)
    unread = [s for s in _sections(FLOORS) if not any(s == n or (n.endswith(".") and s.startswith(n)) for n in named)]
    assert not unread, f"floors no test gates: {unread}"
