"""The web tests compare served pages with the static site's and share its browser."""

import shutil  # noqa: E402

import pytest  # noqa: E402

from ..conftest import SAMPLE  # noqa: E402
from ..site.conftest import browser, sample_site  # noqa: F401

RESEARCH_TABLES = ("accounts", "api_tokens", "sessions", "server_settings", "annotations",
                   "annotation_versions", "audit_log")  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    """The research server's tests run on both backends: a SQLite file and a real PostgreSQL
    server (tests/store/pgserver.py), started only when a PostgreSQL case runs."""
    return request.param


@pytest.fixture(scope="session")
def pg_samples(request):
    """schema name -> URL of the sample edition ingested into the test PostgreSQL server."""
    return {}


@pytest.fixture()
def fresh_edition(backend, sample_edition, tmp_path, request):
    """``make(name)``: the sample edition, without accounts or annotations, on ``backend``: a
    copy of the session's SQLite file, or a PostgreSQL schema (ingested once per session and
    name; its research tables emptied for each test)."""

    def make(name: str = "sample"):
        if backend == "sqlite":
            path = tmp_path / f"{name}.sqlite"
            shutil.copy(sample_edition[0], path)
            return path
        import psycopg

        from epistola import ingest, load_project

        samples = request.getfixturevalue("pg_samples")
        if name not in samples:
            url = request.getfixturevalue("pg_url")(f"research_{name}")
            ingest(load_project(SAMPLE), url)
            samples[name] = url
        url = samples[name]
        conninfo, schema = url.split("?schema=")[0], f"research_{name}"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f"SET search_path TO {schema}")
            conn.execute("TRUNCATE " + ", ".join(RESEARCH_TABLES))
            conn.execute("DELETE FROM meta WHERE key = 'annotations_changed'")
        return url

    return make
