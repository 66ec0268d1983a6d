"""The tests' throwaway PostgreSQL server dies with the process that started it (pgserver.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from ..conftest import ROOT
from .pgserver import find_bindir

pytestmark = pytest.mark.postgres

STARTER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from tests.store.pgserver import start_server
server = start_server()
print(server.root, (server.data / "postmaster.pid").read_text().split()[0], flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_server_dies_with_a_killed_test_process(sig):
    if find_bindir() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL missing: run scripts/setup.sh (make test does)")
        pytest.skip("PostgreSQL is not installed")
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(ROOT)], stdout=subprocess.PIPE, text=True
    )
    root, pid = starter.stdout.readline().split()
    postmaster = int(pid)
    assert _alive(postmaster) and os.path.isdir(root)  # running, as the starter left it
    starter.send_signal(sig)  # as the OOM killer (SIGKILL) or a CI timeout (SIGTERM) would
    starter.wait(10)
    for _ in range(300):
        if not _alive(postmaster) and not os.path.exists(root):
            break
        time.sleep(0.1)
    assert not _alive(postmaster), "the PostgreSQL server outlived its test process"
    assert not os.path.exists(root), "its data directory was left behind"
