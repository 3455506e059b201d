"""The command line as a user meets it: bad input gives one clear line and the right exit code."""

from __future__ import annotations

import json
import subprocess
import sys

from newsdesk.cli import build_parser

from .conftest import KURSK, ROOT, need, run_cli


def _one_line_error(result, code: int, *words: str) -> str:
    err = result.stderr.decode()
    assert result.returncode == code, (result.returncode, err)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err
    return err


def test_missing_path(tmp_path):
    _one_line_error(run_cli("brief", str(tmp_path / "nope.txt")), 2, "no such file", "nope.txt")


def test_directory(tmp_path):
    # Folders are inputs now (read recursively); one with no files at all is a one-line error.
    _one_line_error(run_cli("brief", str(tmp_path)), 2, "is a directory with no files")
    (tmp_path / "cookies.txt").write_text("Accept all cookies\n")
    _one_line_error(run_cli("brief", str(tmp_path)), 1, "no news items in")


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    _one_line_error(run_cli("brief", str(empty)), 1, "no news items in", "empty.txt")


def test_only_junk_is_no_news(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_text("Accept all cookies\n\nSubscribe to our newsletter\n")
    _one_line_error(run_cli("brief", str(junk)), 1, "no news items in")


def test_binary_file(tmp_path):
    blob = tmp_path / "photo.jpg"
    blob.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 20)
    _one_line_error(run_cli("brief", str(blob)), 2, "binary")


def test_bad_option_value():
    result = run_cli("brief", str(KURSK), "--sentences", "zero")
    assert result.returncode == 2 and "Traceback" not in result.stderr.decode()


def test_standard_input_and_output_file(tmp_path):
    out = tmp_path / "brief.html"
    result = run_cli("brief", "-", "--format", "html", "--output", str(out), stdin=need(KURSK).read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and 'href="#item-3"' in html


def test_latin1_and_overlong_lines_are_read_with_reasons(tmp_path):
    path = tmp_path / "latin1.txt"
    lines = [
        "The mayor of Orléans said on Monday that the city would reopen its bridges after the floods.",
        "Officials in Orléans said the river had fallen by two metres since the weekend peak.",
        "Flood " * 40_000,
    ]
    path.write_bytes("\n".join(lines).encode("latin-1"))
    result = run_cli("brief", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    brief = json.loads(result.stdout)
    assert any("Orléans" in s["text"] for s in brief["sentences"])
    long_entry = brief["items"][2]
    assert long_entry["reason"] and "cut from 240,000" in long_entry["reason"] or long_entry["status"] == "dropped"


def test_python_module_and_help_document_every_option():
    result = subprocess.run([sys.executable, "-m", "newsdesk", "brief", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    brief = next(a for a in build_parser()._subparsers._group_actions[0].choices.items() if a[0] == "brief")[1]
    for action in brief._actions:
        assert action.help, f"option {action.option_strings or action.dest} has no help text"
        for flag in action.option_strings:
            assert flag in result.stdout


def test_readme_names_the_two_commands_and_every_brief_option():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    for flag in ("--format", "--output", "--sentences", "--words"):
        assert flag in readme


def test_options_file(tmp_path):
    good = tmp_path / "newsdesk.toml"
    good.write_text("[newsdesk]\nsentences = 2\nembedder = \"hashing\"\n")
    result = run_cli("brief", str(need(KURSK)), "--format", "json", "--options", str(good))
    assert result.returncode == 0, result.stderr.decode()
    assert len(json.loads(result.stdout)["sentences"]) <= 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[newsdesk]\nsentense = 2\n")
    _one_line_error(run_cli("brief", str(KURSK), "--options", str(bad)), 2, "unknown option", "sentense")
