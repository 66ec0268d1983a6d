"""PostgreSQL restarted under ``epistola serve --workers 2`` while clients keep asking.

A real server (pgserver.py) holds the sample edition; threads ask for letter pages, search pages
and the search API without pause; PostgreSQL is stopped (``pg_ctl stop -m fast``, as an admin's
restart does) for a few seconds and started again. During the outage every request must be
answered at once, and cleanly: 503 with {error, hint} (a page: an HTML page saying so), or a
page the server's cache still holds; never a hang, a reset or a 500. After it, every request
succeeds again, from the same worker processes: nobody restarted the server.

The test suite runs one outage of 3 s; ``make reliability`` runs EPISTOLA_PG_OUTAGES (5) of 5 s.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import psycopg
import pytest

from epistola import ingest, load_project, open_edition
from epistola.errors import EditionUnavailable

from ..conftest import SAMPLE, need, stop_server
from .pgserver import find_bindir, start_server

pytestmark = pytest.mark.postgres

OUTAGES = int(os.environ.get("EPISTOLA_PG_OUTAGES", "1"))
OUTAGE_SECONDS = float(os.environ.get("EPISTOLA_PG_OUTAGE_SECONDS", "3"))
CLIENTS = 6
PATIENCE = 30  # seconds a client waits for an answer before the test calls it a hang
WORDS = ["Vetrov", "хлеб", "Moscow", "letter", "Ветрову", "summer", "grain", "telegram"]


@dataclass
class Answer:
    started: float
    url: str
    status: int | None  # None: no HTTP answer at all (refused, reset, timed out)
    kind: str = ""
    body: bytes = b""
    retry_after: str | None = None
    error: str = ""
    finished: float = 0.0


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if find_bindir() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL missing: run scripts/setup.sh (make test does)")
        pytest.skip("PostgreSQL is not installed (scripts/setup.sh installs it)")
    pg = start_server()  # its own server: stopping the shared one would disturb other tests
    proc = None
    try:
        with psycopg.connect(pg.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE epistola")
        url = pg.url("epistola", "outage")
        ingest(load_project(need(SAMPLE)), url, workers=1)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen(
            [sys.executable, "-m", "epistola", "serve", url, "--port", str(port),
             "--workers", "2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "NO_COLOR": "1"},
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                letters = json.loads(_fetch(base + "/api/letters?per_page=100").body)
                break
            except (OSError, ValueError, AttributeError):
                if proc.poll() is not None:
                    raise AssertionError(proc.stderr.read().decode()) from None
                time.sleep(0.1)
        ids = [row["id"] for row in letters["letters"]]
        yield pg, proc, base, ids
    finally:
        if proc is not None:
            stop_server(proc, 20)
        pg.stop()


def _fetch(url: str) -> Answer:
    answer = _ask(url)
    answer.finished = time.monotonic()
    return answer


def _ask(url: str) -> Answer:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=PATIENCE) as r:
            return Answer(started, url, r.status, r.headers.get("content-type", ""), r.read())
    except urllib.error.HTTPError as e:
        return Answer(
            started, url, e.code, e.headers.get("content-type", ""), e.read(),
            e.headers.get("retry-after"),
        )  # fmt: skip
    except OSError as e:
        return Answer(started, url, None, error=repr(e))


def _workers(pid: int) -> set[int]:
    """The pids of uvicorn's workers: ``pid``'s children started by multiprocessing's spawn."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) != pid or fields[0] == "Z":
                continue
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if b"spawn_main" in f.read():
                    found.add(int(entry))
    return found


def _clean_failure(a: Answer) -> bool:
    """503 that says why and when to try again: JSON {error, hint} from the API, a page else."""
    if a.status != 503 or a.retry_after is None:
        return False
    if "/api/" in a.url:
        data = json.loads(a.body)
        return set(data) == {"error", "hint"} and "not answering" in data["error"]
    return a.kind.startswith("text/html") and b"Temporarily unavailable" in a.body


def test_requests_fail_cleanly_during_a_restart_and_succeed_after(served):
    pg, proc, base, ids = served
    workers = _workers(proc.pid)
    assert len(workers) == 2
    answers: list[Answer] = []
    stop = threading.Event()
    counter = iter(range(10**9))
    lock = threading.Lock()

    def client(n: int) -> None:
        while not stop.is_set():
            with lock:
                i = next(counter)
            word = WORDS[i % len(WORDS)]
            # letter pages repeat (the cache may hold them); the page numbers make every
            # search a new question, which only the database can answer
            url = [
                f"{base}/letters/{ids[i % len(ids)]}.html",
                f"{base}/api/search?q={urllib.request.quote(word)}&page={i}",
                f"{base}/search.html?q={urllib.request.quote(word)}&page={i}",
            ][(i + n) % 3]
            a = _fetch(url)
            with lock:
                answers.append(a)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    outages: list[tuple[float, float]] = []
    try:
        time.sleep(1.5)
        for _ in range(OUTAGES):
            down = time.monotonic()
            pg.halt("fast")  # connections are ended by the server, as on a restart
            time.sleep(OUTAGE_SECONDS)
            pg.start()
            up = time.monotonic()
            outages.append((down, up))
            time.sleep(2.0)
    finally:
        stop.set()
        for t in threads:
            t.join(PATIENCE + 5)
    assert not any(t.is_alive() for t in threads), "a request hung"

    def during(a: Answer) -> bool:
        """Asked before the server was up again, answered after it went down."""
        return any(a.started <= up and a.finished >= down for down, up in outages)

    met = [a for a in answers if during(a)]
    print(
        f"{len(answers)} answers; during {len(outages)} outage(s) of {OUTAGE_SECONDS:g} s: "
        f"{sum(a.status == 503 for a in met)} 503, {sum(a.status == 200 for a in met)} 200; "
        f"slowest answer {max(a.finished - a.started for a in answers):.1f} s"
    )
    no_answer = [a for a in answers if a.status is None]
    assert not no_answer, no_answer[:3]  # never a reset, a refusal or a hang
    bad = [a for a in answers if a.status != 200 and not _clean_failure(a)]
    assert not bad, [(a.url, a.status, a.body[:200]) for a in bad[:3]]
    failed = [a for a in answers if a.status == 503]
    assert failed  # the outage was met
    outside = [(a.url, a.started, a.finished) for a in failed if not during(a)]
    assert not outside, (outages, outside[:5])  # and only it failed
    after = [a for a in answers if a.started > outages[-1][1]]
    assert len(after) > CLIENTS and all(a.status == 200 for a in after)
    assert proc.poll() is None and _workers(proc.pid) == workers  # no worker died or restarted
    # the search answers after the restart are the database's, not a cached copy
    assert any("/api/search" in a.url and json.loads(a.body)["total"] > 0 for a in after)


def test_a_reader_says_unavailable_while_the_server_is_away(served):
    """The library's side: a typed error with a hint during the outage, the same store object
    reading again after it (a new connection, made by the next statement)."""
    pg, _, _, ids = served
    with open_edition(pg.url("epistola", "outage")) as ed:
        assert len(ed.letter_records()) == len(ids)
        pg.halt("fast")
        try:
            with pytest.raises(EditionUnavailable) as e:
                ed.letter_records()
            assert "not answering" in str(e.value) and "try again" in e.value.hint
            with pytest.raises(EditionUnavailable):  # and again: no state left broken
                ed.store.scalar("SELECT 1")
        finally:
            pg.start()
        assert len(ed.letter_records()) == len(ids)
