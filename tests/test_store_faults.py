"""Store faults with real files and processes: a full disk (a small tmpfs), a read-only store, a
damaged file, a store from a newer version, two ingests at once, kill -9 during a regroup. Each
gives a clear one-line error (never a traceback) and loses nothing already stored; `newsdesk
check` says whether a store is sound."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from newsdesk.model import Item
from newsdesk.options import Options
from newsdesk.store import Store

from .conftest import AG_NEWS, need, run_cli

HASHING = Options(embedder="hashing")


def _news(count: int, start: int = 0) -> list[str]:
    import csv

    with need(AG_NEWS).open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[start:start + count]
    return [f"{title}. {text}" for _, title, text in rows]


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _one_line_error(result) -> str:
    err = result.stderr.decode() if isinstance(result.stderr, bytes) else result.stderr
    assert "Traceback" not in err and "internal error" not in err, err
    lines = [line for line in err.splitlines() if line.startswith("newsdesk: error:")]
    assert len(lines) == 1, err
    return lines[0]


def _sound(db: Path) -> None:
    with Store(db, HASHING) as store:
        assert store.check() == []


@contextmanager
def _tmpfs(tmp_path: Path, size: str):
    """A small real filesystem (root can mount tmpfs; CI runs as root)."""
    mount = tmp_path / "fs"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root): the disk-full and read-only tests need one")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_is_one_line_and_keeps_what_was_stored(tmp_path):
    with _tmpfs(tmp_path, "4m") as fs:  # the first 50 items fit (about 0.8 MB), 3,000 more do not (27 MB)
        db = fs / "full.db"
        small = _write_lines(tmp_path / "small.txt", _news(50))
        big = _write_lines(tmp_path / "big.txt", _news(3000, start=50))
        first = run_cli("ingest", str(small), "--db", str(db), "--embedder", "hashing")
        assert first.returncode == 0, first.stderr.decode()
        full = run_cli("ingest", str(big), "--db", str(db), "--embedder", "hashing")
        assert full.returncode == 2
        assert "is full" in _one_line_error(full)
        with Store(db, HASHING) as store:  # the disk is still full: it reads, and it is sound
            assert store.check() == []
            assert store.db.execute("SELECT count(*) FROM items").fetchone()[0] >= 50


def test_a_read_only_store_reads_and_refuses_writes_in_one_line(tmp_path):
    with _tmpfs(tmp_path, "8m") as fs:
        db = fs / "ro.db"
        with Store(db, HASHING) as store:
            store.ingest([Item(n, t) for n, t in enumerate(_news(30), 1)])
        assert subprocess.run(["mount", "-o", "remount,ro", str(fs)], capture_output=True).returncode == 0
        listed = run_cli("stories", "--db", str(db), "--format", "json")
        assert listed.returncode == 0, listed.stderr.decode()
        assert b'"stories"' in listed.stdout
        write = run_cli("ingest", str(_write_lines(tmp_path / "more.txt", _news(5, start=40))), "--db", str(db),
                        "--embedder", "hashing")
        assert write.returncode == 2 and "read-only" in _one_line_error(write)


def test_a_damaged_store_is_found_by_check_and_never_a_traceback(tmp_path):
    db = tmp_path / "good.db"
    with Store(db, HASHING) as store:
        store.ingest([Item(n, t) for n, t in enumerate(_news(400), 1)])
    assert run_cli("check", "--db", str(db)).returncode == 0
    damaged = tmp_path / "damaged.db"
    shutil.copy(db, damaged)
    data = bytearray(damaged.read_bytes())
    rng = random.Random(3)
    for page in rng.sample(range(2, len(data) // 4096), 6):  # scribble over some pages (not the header)
        data[page * 4096:(page + 1) * 4096] = rng.randbytes(4096)
    damaged.write_bytes(bytes(data))
    check = run_cli("check", "--db", str(damaged))
    assert check.returncode == 1 and check.stdout.strip(), check.stderr.decode()
    for args in (["ingest", str(_write_lines(tmp_path / "x.txt", _news(5, start=500))), "--embedder", "hashing"],
                 ["stories"], ["brief", "--story", "s0"]):
        result = run_cli(*args, "--db", str(damaged))
        assert result.returncode in (0, 2), result.stderr.decode()
        if result.returncode:
            _one_line_error(result)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(random.Random(1).randbytes(50_000))
    result = run_cli("stories", "--db", str(garbage))
    assert result.returncode == 2 and "not a newsdesk store" in _one_line_error(result)


def test_a_store_from_a_newer_version_is_refused_in_one_line(tmp_path):
    db = tmp_path / "new.db"
    with Store(db, HASHING) as store:
        store.db.execute("UPDATE meta SET value = '999' WHERE key = 'schema'")
    result = run_cli("stories", "--db", str(db))
    assert result.returncode == 2 and "newer newsdesk" in _one_line_error(result)


def test_two_ingests_at_once_both_finish_and_nothing_is_lost_or_doubled(tmp_path):
    db = tmp_path / "two.db"
    news = _news(600)
    a = _write_lines(tmp_path / "a.txt", news[:400])
    b = _write_lines(tmp_path / "b.txt", news[200:])  # 200 items in both
    env = dict(os.environ, NEWSDESK_STORE_CHUNK="32", PYTHONIOENCODING="utf-8")
    procs = [subprocess.Popen([sys.executable, "-m", "newsdesk", "ingest", str(p), "--db", str(db), "--embedder", "hashing"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for p in (a, b)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1].decode() for o in outs]
    with Store(db, HASHING) as store:
        assert store.check() == []
        ids = [r[0] for r in store.db.execute("SELECT id FROM items")]
    assert len(ids) == len(set(ids)) == len(set(news))


def test_kill_9_during_a_regroup_loses_nothing(tmp_path):
    """The regroup of the open stories is one transaction: killed at any moment, the store is as
    before it, and the next ingest (even of nothing new) finishes it."""
    db = tmp_path / "regroup.db"
    lines = _write_lines(tmp_path / "news.txt", _news(1500))
    cmd = [sys.executable, "-m", "newsdesk", "ingest", str(lines), "--db", str(db), "--embedder", "hashing"]
    env = dict(os.environ, NEWSDESK_STORE_CHUNK="2000", PYTHONIOENCODING="utf-8")
    for delay in (2.0, 4.0, 6.0):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if db.exists():
            _sound(db)
    done = subprocess.run(cmd, env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()
    _sound(db)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'regroup'").fetchone() == ("0",)
        assert con.execute("SELECT count(*) FROM items").fetchone()[0] == 1500
