"""Fault trials (issue 14): killed builds, orphaned readers, two builds at once, a full disk,
a read-only output folder. Real processes, real signals, real file systems (tmpfs as root)."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from epistola import ingest, load_project
from epistola.errors import BuildLocked, DiskFull, OutputNotWritable
from epistola.store import guard

from .conftest import SAMPLE, SCHNITZLER, need

INGEST = """
import sys
from epistola import ingest
ingest([sys.argv[1]], sys.argv[2], workers=2)
"""


def children(pid: int) -> list[int]:
    """Pids whose parent is ``pid`` (from /proc)."""
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                stat = (d / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(d.name))
    return found


def letters(edition: Path) -> int:
    with sqlite3.connect(f"file:{edition}?mode=ro", uri=True) as c:
        return c.execute("SELECT COUNT(*) FROM letters").fetchone()[0]


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """A temporary directory of this test's own, for this process and the ones it starts."""
    d = tmp_path / "tmpdir"
    d.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(d))
    monkeypatch.setenv("TMPDIR", str(d))
    return d


def start_ingest(src: Path, target: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", INGEST, str(src), str(target)], env=os.environ)


def wait_for(cond, seconds: float = 60.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.1)
    return False


def test_sigkill_mid_read_ends_workers_refuses_second_build_and_next_run_cleans(
    tmp_path, private_tmp
):
    src = need(SCHNITZLER)
    target = tmp_path / "out" / "edition.sqlite"
    before = ingest(load_project(SAMPLE), target).letters
    assert before == letters(target) > 0
    proc = start_ingest(src, target)
    try:
        assert wait_for(lambda: len(children(proc.pid)) >= 2), "readers did not start"
        workers = children(proc.pid)
        assert wait_for(lambda: any(private_tmp.glob(f"epistola-shards-{proc.pid}-*/shard-*")))
        # a second build of the same target while the first reads: refused, with a message
        t0 = time.monotonic()
        with pytest.raises(BuildLocked) as e:
            ingest(load_project(SAMPLE), target)
        assert f"process {proc.pid}" in str(e.value) and str(target) in str(e.value)
        assert time.monotonic() - t0 < 30  # refused at once, not after a build
        os.kill(proc.pid, signal.SIGKILL)  # as the OOM killer does
        proc.wait()
        assert wait_for(lambda: not any(guard.pid_alive(w) for w in workers), 10), (
            f"orphaned readers still alive: {[w for w in workers if guard.pid_alive(w)]}"
        )
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # the killed build left its temporary file and shard folder, the edition is intact
    left_file = target.with_name(f".{target.name}.tmp-{proc.pid}")
    left_dirs = list(private_tmp.glob(f"epistola-shards-{proc.pid}-*"))
    assert left_file.exists() and left_dirs
    assert letters(target) == before
    # a build that is running keeps its temporary files
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live_file = target.with_name(f".{target.name}.tmp-{live.pid}")
        live_file.write_bytes(b"busy")
        live_dir = private_tmp / f"epistola-shards-{live.pid}-x"
        live_dir.mkdir()
        # the next run takes the lock (it went with the killed process) and cleans up
        assert ingest(load_project(SAMPLE), target).letters == before
        assert not left_file.exists()
        assert not any(d.exists() for d in left_dirs)
        assert live_file.exists() and live_dir.exists()
        assert not list(private_tmp.glob(f"epistola-*-{os.getpid()}-*"))  # its own: removed
    finally:
        live.kill()
        live.wait()


def test_second_build_can_wait_for_the_first(tmp_path):
    target = tmp_path / "edition.sqlite"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from epistola.store import guard\n"
            "with guard.target_lock(sys.argv[1]):\n"
            "    print('held', flush=True); time.sleep(2)\n"
            "print('released', flush=True)",
            str(target),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(BuildLocked):
            with guard.target_lock(target):
                pass
        with guard.target_lock(target, wait=30):  # waits until the holder ends
            assert holder.stdout.readline().strip() == "released"
            with guard.target_lock(target):  # re-entered by this process (build -> ingest)
                pass
    finally:
        holder.kill()
        holder.wait()


# -- file systems that refuse: read-only, full ---------------------------------------------------


@pytest.fixture
def tmpfs(tmp_path):
    """A 3 MB tmpfs (root only); yields its mount point, unmounted after."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)], capture_output=True
    )
    if r.returncode != 0:
        if os.environ.get("CI") == "true" and os.geteuid() == 0:
            pytest.fail(f"cannot mount a tmpfs as root: {r.stderr!r}")
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_during_ingest_is_a_clear_error_and_keeps_the_previous_edition(
    tmpfs, private_tmp
):
    src = need(SCHNITZLER)
    target = tmpfs / "edition.sqlite"
    before = ingest(load_project(SAMPLE), target).letters
    assert before > 0
    with pytest.raises(DiskFull) as e:
        ingest([src], target, workers=1)
    assert "no space left" in str(e.value) and str(target) in str(e.value)
    assert "previous edition is unchanged" in str(e.value)
    assert letters(target) == before
    assert not list(tmpfs.glob(".edition.sqlite.tmp-*"))  # the half-written file is gone
    assert not list(private_tmp.iterdir())


def test_read_only_output_is_refused_before_any_work(tmpfs):
    from epistola.build import build

    (tmpfs / "out").mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    seen = []
    with pytest.raises(OutputNotWritable) as e:
        ingest(
            load_project(SAMPLE),
            tmpfs / "out" / "edition.sqlite",
            progress=lambda *a: seen.append(a),
        )
    assert "read-only" in str(e.value) and str(tmpfs / "out") in str(e.value)
    assert seen == []  # not one file read
    with pytest.raises(OutputNotWritable):
        build(load_project(SAMPLE), tmpfs / "site-out")


def test_missing_permission_is_refused(tmp_path):
    if os.geteuid() == 0:
        # root passes permission bits: run the check as nobody in a child process
        folder = tmp_path / "locked"
        folder.mkdir(mode=0o755)
        code = (
            "import os, sys\n"
            "from epistola.store import guard\n"
            "from epistola.errors import OutputNotWritable\n"
            "os.setgid(65534); os.setuid(65534)\n"
            "try:\n    guard.check_writable(sys.argv[1])\n"
            "except OutputNotWritable as e:\n    print(e)\n"
        )
        tmp_path.chmod(0o755)
        r = subprocess.run(
            [sys.executable, "-c", code, str(folder)], capture_output=True, text=True
        )
        assert "permission denied" in r.stdout, r.stderr
    else:
        folder = tmp_path / "locked"
        folder.mkdir(mode=0o555)
        with pytest.raises(OutputNotWritable, match="permission denied"):
            guard.check_writable(folder)


def test_injected_enospc_at_the_writer_keeps_the_previous_edition(tmp_path, monkeypatch):
    """Where no tmpfs can be mounted: the writer's finish fails with ENOSPC."""
    import errno

    from epistola.store.sqlite import SQLiteWriter

    target = tmp_path / "edition.sqlite"
    before = ingest(load_project(SAMPLE), target).letters

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SQLiteWriter, "finish", full)
    with pytest.raises(DiskFull):
        ingest(load_project(SAMPLE), target)
    assert letters(target) == before
    assert not list(tmp_path.glob(".edition.sqlite.tmp-*"))
