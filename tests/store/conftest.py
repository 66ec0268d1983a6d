"""A real PostgreSQL server for the store tests, started once per session (see pgserver.py)."""

from __future__ import annotations

import os

import pytest

from .pgserver import find_bindir, start_server


@pytest.fixture(scope="session")
def pg_server():
    """A private PostgreSQL server; skipped where none is installed, except under CI=true."""
    if find_bindir() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL missing: run scripts/setup.sh (make test does)")
        pytest.skip("PostgreSQL is not installed (scripts/setup.sh installs it)")
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
