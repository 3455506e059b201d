"""Documentation is tested: every command, option and Options field is in the README, and every
command that an error message tells a user to run exists and parses."""

from __future__ import annotations

import argparse
import ast
import re
import shlex
from dataclasses import MISSING, fields

import pytest

from newsdesk.cli import build_parser
from newsdesk.options import Options

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SOURCES = sorted((ROOT / "src" / "newsdesk").rglob("*.py"))


def _commands() -> dict[str, argparse.ArgumentParser]:
    subparsers = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(subparsers.choices)


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_and_its_options_are_in_the_readme(name):
    parser = _commands()[name]
    assert f"newsdesk {name}" in README, f"`newsdesk {name}` is not in the README"
    flags = {s for a in parser._actions for s in a.option_strings if s.startswith("--") and s != "--help"}
    missing = sorted(f for f in flags if not re.search(re.escape(f) + r"(?![\w-])", README))
    assert not missing, f"newsdesk {name}: options missing from the README: {missing}"


def _field_docs() -> dict[str, str]:
    """Options field -> its docstring (the string right after the field in options.py)."""
    tree = ast.parse((ROOT / "src" / "newsdesk" / "options.py").read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Options")
    docs = {}
    for node, after in zip(cls.body, cls.body[1:]):
        if isinstance(node, ast.AnnAssign) and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
            docs[node.target.id] = after.value.value
    return docs


def test_every_options_field_has_a_docstring_and_a_readme_row():
    docs = _field_docs()
    for f in fields(Options):
        assert docs.get(f.name, "").strip(), f"Options.{f.name} has no docstring"
        default = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
        row = f"| `{f.name}` | `{default!r}` |"
        assert row in README, f"the README's options table lacks the row of {f.name}: {row}"


MESSAGES = {"NewsdeskError", "NoNewsError", "HTTPException", "print"}


def _commands_in_messages() -> list[str]:
    """Every `newsdesk ...` command quoted in a message to the user: an error or a printed hint."""
    found = set()
    for path in SOURCES:
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", None) in MESSAGES):
                continue
            for node in ast.walk(call):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.update(re.findall(r"`(newsdesk [^`]+)`", node.value))
                elif isinstance(node, ast.JoinedStr):  # an f-string: its placeholders become a plain value
                    text = "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)
                    found.update(re.findall(r"`(newsdesk [^`]+)`", text))
    return sorted(found)


@pytest.mark.parametrize("command", _commands_in_messages())
def test_every_command_a_message_names_parses(command):
    words = shlex.split(command.replace("...", ""))[1:]
    words = [{"PATH": "x.txt", "FILE": "x.db", "ID": "s1", "DATE": "2025-01-01"}.get(w, w) for w in words]
    try:
        build_parser().parse_args(words)
    except SystemExit as exc:
        pytest.fail(f"`{command}` does not parse (exit {exc.code})")
