"""The server's child processes (newsdesk.web.workers)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

_KILLED_SERVER = """
import os, sys
from newsdesk.web.workers import Pool
pool = Pool("test", nice=False)
print(pool.call(os.getpid), flush=True)
os._exit(0)  # the server dies without stopping its child, as a SIGKILL leaves it
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def test_a_child_ends_itself_when_its_server_is_killed():
    server = subprocess.Popen([sys.executable, "-c", _KILLED_SERVER], stdout=subprocess.PIPE, text=True)
    with server.stdout:  # read the child's pid only: a child left alive would hold the pipe open
        child = int(server.stdout.readline())
    assert server.wait(timeout=60) == 0
    deadline = time.monotonic() + 30
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = _alive(child)
    if alive:
        os.kill(child, 9)
    assert not alive, "the server's child outlived it"


def test_a_child_of_a_living_server_stays():
    from newsdesk.web.workers import Pool

    pool = Pool("test", nice=False)
    try:
        child = pool.call(os.getpid)
        time.sleep(2.5)  # more than two of the child's checks of its parent
        assert pool.call(os.getpid) == child
    finally:
        pool.close()
