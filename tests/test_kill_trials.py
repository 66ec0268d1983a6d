"""Kill trials (issue 14): ingest and site build killed (SIGKILL) at random points. After each,
the previous edition and site are intact; after the next run, nothing temporary is left.
``EPISTOLA_KILL_TRIALS`` sets the trials of each (3 here; `make reliability` runs 20)."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from epistola import ingest, load_project
from epistola.site import build_site

from .conftest import SAMPLE
from .test_faults import children, letters, private_tmp  # noqa: F401 (a fixture)

TRIALS = int(os.environ.get("EPISTOLA_KILL_TRIALS", "3"))
INGEST = "import sys; from epistola import ingest, load_project; " + (
    "ingest(load_project(sys.argv[1]), sys.argv[2], workers=2)"
)
SITE = "import sys; from epistola.site import build_site; build_site(sys.argv[1], sys.argv[2], full=True)"


def run_and_kill(code: str, args: list[str], delay: float) -> tuple[int, list[int]]:
    """Start ``code`` in a new interpreter, SIGKILL it after ``delay`` seconds (if it still
    runs); return its pid and the pids of the workers it had then."""
    proc = subprocess.Popen([sys.executable, "-c", code, *map(str, args)])
    end = time.monotonic() + delay
    workers: set[int] = set()
    while time.monotonic() < end and proc.poll() is None:
        workers.update(children(proc.pid))
        time.sleep(0.05)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return proc.pid, sorted(workers)


def timed(code: str, args: list[str]) -> float:
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-c", code, *map(str, args)], check=True)
    return time.monotonic() - t0


def no_orphans(workers: list[int]) -> bool:
    from epistola.store.guard import pid_alive

    end = time.monotonic() + 10
    while time.monotonic() < end:
        if not any(pid_alive(w) for w in workers):
            return True
        time.sleep(0.1)
    return False


def test_ingest_killed_at_random_points(tmp_path, private_tmp):  # noqa: F811
    target = tmp_path / "e.sqlite"
    before = ingest(load_project(SAMPLE), target).letters
    whole = timed(INGEST, [SAMPLE, target])
    rng = random.Random(14)
    killed = 0
    for _ in range(TRIALS):
        pid, workers = run_and_kill(INGEST, [SAMPLE, target], rng.uniform(0.2, whole))
        killed += pid is not None
        assert letters(target) == before
        with sqlite3.connect(f"file:{target}?mode=ro", uri=True) as c:
            assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert no_orphans(workers)
    ingest(load_project(SAMPLE), target)  # the next run
    assert not list(tmp_path.glob(".e.sqlite.tmp-*"))
    assert not list(private_tmp.glob("epistola-*"))
    assert letters(target) == before


def _digests(site: Path) -> dict[str, str]:
    """Every published file's digest; the build's own state (``.epistola/``: manifest, token
    cache) is not a page, and is rebuilt when it does not match."""
    import json

    out = {}
    for p in site.rglob("*"):
        if p.is_file():
            rel = str(p.relative_to(site))
            if rel == ".epistola/manifest.json":
                json.loads(p.read_text())  # whole, never half-written
            if rel.startswith(".epistola/"):
                continue
            out[rel] = hashlib.sha1(p.read_bytes()).hexdigest()
    return out


def _whole(site: Path) -> set[str]:
    """The published files of ``site``; asserts each page is complete (atomic writes)."""
    files = set(_digests(site))
    for rel in files:
        if rel.endswith(".html"):
            assert (site / rel).read_bytes().rstrip().endswith(b"</html>"), rel
    return files


def test_site_build_killed_at_random_points(sample_edition, tmp_path):
    edition = sample_edition[0]
    site = tmp_path / "site"
    build_site(edition, site, full=True)
    reference = _whole(site)
    assert any(k.endswith(".html") for k in reference)
    whole = timed(SITE, [edition, site])
    rng = random.Random(14)
    for _ in range(TRIALS):
        _pid, workers = run_and_kill(SITE, [edition, site], rng.uniform(0.2, whole))
        # every page of the previous site is there and whole; at most .tmp files are extra
        now = _whole(site)
        assert reference <= now
        assert all(Path(p).name.endswith(".tmp") for p in now - reference), now - reference
        assert no_orphans(workers)
    build_site(edition, site)  # the next run
    assert _whole(site) == reference  # no .tmp file left, nothing missing
