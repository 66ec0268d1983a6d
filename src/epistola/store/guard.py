"""What a build does before it writes anything, and what it leaves when it is killed.

    check_writable(target)           # a clear error before any work: read-only, no permission
    with target_lock(target): ...    # one build per target at a time (flock next to the target)
    clean_stale(target)              # temporary files and shard folders of dead builds

Temporary files carry the pid of the process that owns them (``.edition.sqlite.tmp-<pid>``
next to the target, ``epistola-shards-<pid>-*`` in the temporary directory), so the next run
removes those whose owner is gone, and nothing that a live build is still writing. As SQLite
does with its journal, a killed build is cleaned up by the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..errors import BuildLocked, DiskFull, OutputNotWritable

TEMP_KINDS = ("shards", "merge")  # temporary folders of an ingest: epistola-<kind>-<pid>-*
_TMP_PID = re.compile(r"\.tmp-(\d+)")
_DIR_PID = re.compile(r"epistola-(?:" + "|".join(TEMP_KINDS) + r")-(\d+)-")
PR_SET_PDEATHSIG = 1  # <sys/prctl.h>
_held: dict[str, list] = {}  # lock path -> [fd, depth]: a build's ingest re-enters its lock


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie counts as dead: it will never clean up)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def temp_file(target: Path) -> Path:
    """The private file a build of ``target`` writes before it swaps it in."""
    return target.with_name(f".{target.name}.tmp-{os.getpid()}")


def temp_dir(kind: str) -> Path:
    """A new private folder ``epistola-<kind>-<pid>-*`` in the temporary directory."""
    return Path(tempfile.mkdtemp(prefix=f"epistola-{kind}-{os.getpid()}-"))


def stale_files(target: Path) -> list[Path]:
    """Temporary files next to ``target`` left by builds whose process is gone."""
    found = []
    for p in Path(target).parent.glob(f".{Path(target).name}.tmp-*"):
        m = _TMP_PID.search(p.name[len(Path(target).name) + 1 :])
        if m and not pid_alive(int(m.group(1))):
            found.append(p)
    return sorted(found)


def stale_dirs(root: Path | None = None) -> list[Path]:
    """Shard and merge folders in the temporary directory left by ingests that are gone."""
    root = Path(root or tempfile.gettempdir())
    found = []
    for p in root.glob("epistola-*-*-*"):
        m = _DIR_PID.match(p.name)
        if m and p.is_dir() and not pid_alive(int(m.group(1))):
            found.append(p)
    return sorted(found)


def clean_stale(target: Path | None = None) -> list[Path]:
    """Remove what dead builds left (of ``target``, and in the temporary directory); return it."""
    gone = []
    for p in stale_files(target) if target is not None else []:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            gone.append(p)
    for d in stale_dirs():
        shutil.rmtree(d, ignore_errors=True)
        gone.append(d)
    return gone


def check_writable(folder: Path) -> None:
    """Raise OutputNotWritable unless files can be created in ``folder`` (made if missing).

    A probe file is written and removed: permission bits alone say nothing for root, nor about
    a file system mounted read-only.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".epistola-probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        why = {
            errno.EROFS: "the file system is read-only",
            errno.EACCES: "permission denied",
            errno.EPERM: "permission denied",
            errno.ENOSPC: "no space left on the device",
            errno.ENOTDIR: "a file is in the way",
            errno.EEXIST: "a file is in the way",
        }.get(e.errno, e.strerror or str(e))
        raise OutputNotWritable(f"cannot write to {folder}: {why}") from None


@contextlib.contextmanager
def target_lock(target: Path, *, wait: float = 0.0):
    """Hold ``.<name>.lock`` next to ``target`` while building it; a second build waits up to
    ``wait`` seconds, then raises BuildLocked naming the process that holds it. The lock goes
    with the process, however it ends (``flock``); the file itself stays, as lock files do."""
    target = Path(target)
    path = target.with_name(f".{target.name}.lock")
    key = str(path.resolve())
    if key in _held:
        _held[key][1] += 1
        try:
            yield
        finally:
            _held[key][1] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    raise BuildLocked(
                        f"another build (process {holder}) is writing {target}; "
                        "this one was not started"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held[key] = [fd, 1]
        try:
            yield
        finally:
            del _held[key]
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the flock


def is_disk_full(e: BaseException) -> bool:
    if isinstance(e, OSError):
        return e.errno in (errno.ENOSPC, errno.EDQUOT)
    if isinstance(e, sqlite3.Error):
        return getattr(e, "sqlite_errorcode", None) == 13 or "disk is full" in str(e)  # FULL
    return False


def disk_full(target, e: BaseException) -> DiskFull:
    return DiskFull(
        f"no space left on the device while writing {target} ({e}); "
        "the previous edition is unchanged"
    )


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` ends, however it ends (SIGKILL, the OOM killer).

    Linux: the kernel sends SIGKILL on the parent's death (``prctl(PR_SET_PDEATHSIG)``);
    elsewhere, and as a fallback, a thread watches the parent pid once a second.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # died before the prctl took effect
        os._exit(1)

    def watch():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="epistola-parent-watch", daemon=True).start()
