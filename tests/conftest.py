"""Shared fixtures: the real corpora in ../shared/corpora, and editions built from them once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
SCHNITZLER = CORPORA / "schnitzler-briefe" / "data"
AUDEN = CORPORA / "auden-musulin-papers"
CMIF = CORPORA / "cmif" / "schnitzler-cmif"
SAMPLE = ROOT / "examples" / "sample-edition"
FIXTURES = Path(__file__).parent / "fixtures"
OUTPUT = ROOT / "test-output"  # screenshots and charts for people to look at


def need(path: Path) -> Path:
    """The corpus at ``path``; under CI=true a missing corpus fails instead of skipping."""
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"corpus missing: {path} (CI must have ../shared beside the repository)")
        pytest.skip(f"corpus missing: {path}")
    return path


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="session")
def schnitzler_edition(tmp_path_factory):
    """The full Schnitzler corpus ingested once per test session."""
    from epistola import ingest

    src = need(SCHNITZLER)
    target = tmp_path_factory.mktemp("schnitzler") / "schnitzler.sqlite"
    result = ingest([src], target)
    return target, result


@pytest.fixture(scope="session")
def sample_edition(tmp_path_factory):
    from epistola import ingest, load_project

    target = tmp_path_factory.mktemp("sample") / "sample.sqlite"
    result = ingest(load_project(SAMPLE), target)
    return target, result


@pytest.fixture(scope="session")
def realworld_edition(tmp_path_factory):
    """tests/fixtures/realworld (TEI as real projects write it) ingested once per session."""
    from epistola import ingest

    target = tmp_path_factory.mktemp("realworld") / "realworld.sqlite"
    result = ingest([FIXTURES / "realworld"], target)
    return target, result


@pytest.fixture(scope="session")
def auden_edition(tmp_path_factory):
    """The Auden–Musulin papers (45 letters) ingested once per session."""
    from epistola import ingest

    src = need(AUDEN)
    target = tmp_path_factory.mktemp("auden") / "amp.sqlite"
    result = ingest([src], target)
    return target, result


@pytest.fixture(scope="session")
def schnitzler_tei() -> dict[str, dict]:
    """Every Schnitzler letter's id, sent-date bounds, parties, persons referred to, next letter
    and kind, read with lxml once per session (tests/tei_facts.py)."""
    from .tei_facts import read_letters

    return read_letters(need(SCHNITZLER) / "editions", "L*.xml", keep_tree=False)


@pytest.fixture(scope="session")
def sample_tei() -> dict[str, dict]:
    """Every sample letter with its parsed tree (key "root")."""
    from .tei_facts import read_letters

    return read_letters(SAMPLE / "letters", "**/*.xml", keep_tree=True)


# A real PostgreSQL server for the store and web tests, started once per session (pgserver.py)
@pytest.fixture(scope="session")
def pg_server():
    """A private PostgreSQL server; skipped where none is installed, except under CI=true."""
    from .store.pgserver import find_bindir

    if find_bindir() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL missing: run scripts/setup.sh (make test does)")
        pytest.skip("PostgreSQL is not installed (scripts/setup.sh installs it)")
    from .store.pgserver import start_server

    server = start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server):
    """``url(schema)``: the URL of an edition schema in the test server's database."""
    import psycopg

    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE epistola")
    return lambda schema: pg_server.url("epistola", schema)


def stop_server(proc, wait: float) -> None:
    """End an ``epistola serve`` process as Ctrl-C does; kill it if it has not ended in ``wait``."""
    import signal
    import subprocess

    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
