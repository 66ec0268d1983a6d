"""The PostgreSQL backend against a real server: the same corpus ingested into PostgreSQL and into
SQLite must read back identically, through the Edition API and table by table."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psycopg
import pytest

from epistola import ingest, load_project, open_edition
from epistola.errors import EditionNotFound, UnknownEntry
from epistola.store.codec import TABLE_COLUMNS
from epistola.store.postgres import NotPermitted, parse_url, to_pyformat

from ..conftest import AUDEN, CMIF, FIXTURES, ROOT, SAMPLE, need

pytestmark = pytest.mark.postgres

CORPORA = {
    "sample": lambda: load_project(need(SAMPLE)),
    "broken": lambda: [FIXTURES / "broken"],
    "auden": lambda: [need(AUDEN)],
    "cmif": lambda: [need(CMIF)],
}
# every table an edition has, beyond the per-letter ones the codec writes
TABLES = sorted(
    {*TABLE_COLUMNS, "meta", "entry_aliases", "org_relations", "front", "photographs", "assets"}
    | {"diagnostics", "sources"}
)
BROKEN_LETTERS = 4  # tests/fixtures/broken: B3, B4, B5 and the copy that used B4's id
VIEWS = ["persons", "places", "organisations", "works", "glossary", "subjects"]


@pytest.fixture(scope="module", params=sorted(CORPORA))
def both(request, pg_url, tmp_path_factory):
    """(corpus name, SQLite edition, PostgreSQL edition) built from the same sources."""
    name = request.param
    sources = CORPORA[name]()
    lite = tmp_path_factory.mktemp(f"pg-{name}") / f"{name}.sqlite"
    ingest(sources, lite, workers=1)
    url = pg_url(f"parity_{name}")
    ingest(sources, url, workers=1)
    with open_edition(lite) as a, open_edition(url) as b:
        yield name, a, b


def test_info_is_identical(both):
    name, lite, pg = both
    info = pg.info()
    assert info == lite.info()
    assert info["letters"] > 0
    if name == "auden":
        assert info["letters"] == 45  # SOURCE.md: 73 documents, 45 of them letters
    if name == "broken":  # the good, the bad-dated, the undated one and the same-id copy
        assert info["letters"] == BROKEN_LETTERS and {d["code"] for d in info["diagnostics"]} >= {
            "xml-syntax",
            "duplicate-id",
            "unknown-ref",
        }


def test_letters_by_year_and_by_id_are_identical(both):
    _, lite, pg = both
    years = lite.info()["years"]
    for year in years:
        a, b = list(lite.letters(year=year)), list(pg.letters(year=year))
        assert a == b, year
        assert [x.number_in_year for x in b] == list(range(1, len(b) + 1))
    records = pg.letter_records()
    assert records == lite.letter_records()
    for r in records[:: max(1, len(records) // 25)]:
        assert pg.letter(r["id"]) == lite.letter(r["id"])
        assert pg.text(r["id"]) == lite.text(r["id"])


def test_entries_are_identical(both):
    _, lite, pg = both
    for kind in ("person", "place", "org", "work", "event", "term", "subject"):
        a, b = lite.entries(kind), pg.entries(kind)
        assert a == b, kind
    ids = [r["id"] for r in lite.store.execute("SELECT id FROM entries ORDER BY id")]
    for eid in ids[:: max(1, len(ids) // 50)]:
        assert pg.entry(eid) == lite.entry(eid)
    # authority URIs resolve to the same entry on both
    aliases = lite.store.execute(
        "SELECT alias, entry_id FROM entry_aliases WHERE alias <> entry_id ORDER BY alias LIMIT 20"
    )
    for r in aliases:
        assert pg.entry(r["alias"]).id == r["entry_id"]


def test_diagnostics_are_identical(both):
    _, lite, pg = both
    assert pg.diagnostics() == lite.diagnostics()


def _rows(store, table):
    rows = store.execute(f"SELECT * FROM {table}")
    # letters and entries have a rowid column on PostgreSQL too (search/pg.py), numbered alike
    # but not necessarily as SQLite numbered them
    return sorted((tuple((k, v) for k, v in r.items() if k != "rowid") for r in rows), key=repr)


def test_every_table_and_view_holds_the_same_rows(both):
    _, lite, pg = both
    for table in [*TABLES, *VIEWS]:
        if table == "meta":
            continue
        assert _rows(pg.store, table) == _rows(lite.store, table), table
    # the build time differs; the search index is each backend's own
    own = ("built", "search")
    meta_a = {r["key"]: r["value"] for r in lite.store.execute("SELECT * FROM meta")}
    meta_b = {r["key"]: r["value"] for r in pg.store.execute("SELECT * FROM meta")}
    assert {k: v for k, v in meta_a.items() if k not in own} == {
        k: v for k, v in meta_b.items() if k not in own
    }
    assert len(meta_b) >= 5 and "built" in meta_b


def test_url_and_placeholders():
    assert parse_url("postgresql://u@h:5/db?schema=ed1&sslmode=disable") == (
        "postgresql://u@h:5/db?sslmode=disable",
        "ed1",
    )
    assert parse_url("postgresql://u@h/db")[1] == "epistola"
    with pytest.raises(EditionNotFound):
        parse_url("postgresql://u@h/db?schema=a;drop")
    # ? in quoted text stays; % is doubled because psycopg reads it everywhere
    assert to_pyformat("SELECT '?', x FROM t WHERE a = ? AND b LIKE 'a%'") == (
        "SELECT '?', x FROM t WHERE a = %s AND b LIKE 'a%%'"
    )


def test_missing_schema_and_server_are_typed_errors(pg_url, pg_server):
    with pytest.raises(EditionNotFound) as e:
        open_edition(pg_url("never_built"))
    assert "never_built" in str(e.value) and "epistola ingest" in e.value.hint
    dead = f"postgresql://x@127.0.0.1:{pg_server.port + 1}/nodb"
    with pytest.raises(EditionNotFound) as e:
        open_edition(dead)
    assert "cannot connect" in str(e.value) and "Start the server" in e.value.hint


# -- atomic builds --------------------------------------------------------------------------
KILL_AFTER_RESOLVE = """
import os, signal, sys, epistola
sys.modules["epistola.ingest"]._meta = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
"""
# finish() has dropped the old schema and renamed the new one: die before the COMMIT
KILL_MID_SWAP = """
import os, signal, psycopg, epistola
psycopg.Connection.commit = lambda self: os.kill(os.getpid(), signal.SIGKILL)
"""


def _schemas(pg_server, like):
    with psycopg.connect(pg_server.url("epistola")) as c:
        return [
            r[0]
            for r in c.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (like,))
        ]


@pytest.mark.parametrize("when", ["after-resolve", "mid-swap"])
def test_killed_build_leaves_previous_edition_intact(when, pg_url, pg_server):
    url = pg_url(f"killed_{when.replace('-', '_')}")
    ingest([FIXTURES / "broken"], url, workers=1)
    with open_edition(url) as ed:
        before = (ed.info(), ed.letter_records())
    prelude = KILL_AFTER_RESOLVE if when == "after-resolve" else KILL_MID_SWAP
    script = prelude + f"epistola.ingest({[str(need(AUDEN))]!r}, {url!r})\n"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    with open_edition(url) as ed:
        assert (ed.info(), ed.letter_records()) == before
        assert ed.info()["letters"] == BROKEN_LETTERS
    # the dead writer's lock went with its connection: the next build goes through
    ingest([AUDEN], url, workers=1)
    with open_edition(url) as ed:
        assert ed.info()["letters"] == 45


def test_build_schema_left_by_a_dead_writer_is_dropped_by_the_next(pg_url, pg_server):
    url = pg_url("stale")
    script = (
        "import os, signal\nfrom epistola.store import create_writer\n"
        f"w = create_writer({url!r})\nw.commit()\nos.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    assert len(_schemas(pg_server, r"stale\_build\_%")) == 1
    ingest([FIXTURES / "broken"], url, workers=1)
    assert _schemas(pg_server, r"stale\_build\_%") == []
    assert _schemas(pg_server, "stale") == ["stale"]


# -- the command line -----------------------------------------------------------------------
def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "epistola", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_cli_ingest_and_info_json(pg_url, tmp_path):
    url = pg_url("cli")
    auden = need(AUDEN)
    # one reader process: with several, diagnostics come in the order the workers finish
    for out in (url, tmp_path / "a.sqlite"):
        assert _cli("ingest", auden, "--out", out, "-q", "--workers", "1").returncode in (0, 1)
    pg = _cli("info", url, "--json")
    assert pg.returncode == 0, pg.stderr
    lite = _cli("info", tmp_path / "a.sqlite", "--json")
    assert json.loads(pg.stdout) == json.loads(lite.stdout)
    assert json.loads(pg.stdout)["letters"] == 45
    missing = _cli("info", pg_url("nothing_here"), "--json")
    assert missing.returncode == 2
    assert "nothing_here" in missing.stderr and "how to fix" in missing.stderr


def test_read_only_role_keeps_access_across_rebuilds(pg_server, pg_url):
    """The recipe of docs/postgres.md: an editor role builds, a reader role only reads; default
    privileges give the reader every newly built schema, so a rebuild does not lock it out."""
    with psycopg.connect(pg_server.url("epistola"), autocommit=True) as c:
        for sql in (
            "CREATE ROLE ed_editor LOGIN",
            "CREATE ROLE ed_reader LOGIN",
            "GRANT CREATE ON DATABASE epistola TO ed_editor",
            "ALTER DEFAULT PRIVILEGES FOR ROLE ed_editor GRANT USAGE ON SCHEMAS TO ed_reader",
            "ALTER DEFAULT PRIVILEGES FOR ROLE ed_editor GRANT SELECT ON TABLES TO ed_reader",
        ):
            c.execute(sql)
    base = f"127.0.0.1:{pg_server.port}/epistola?schema=roles"
    editor, reader = f"postgresql://ed_editor@{base}", f"postgresql://ed_reader@{base}"
    ingest([FIXTURES / "broken"], editor, workers=1)
    with open_edition(reader) as ed:
        assert ed.info()["letters"] == BROKEN_LETTERS
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            ed.store.execute("DELETE FROM letters")
    ingest([need(AUDEN)], editor, workers=1)
    with open_edition(reader) as ed:
        assert ed.info()["letters"] == 45
    with pytest.raises(NotPermitted):  # the reader may not build (no CREATE on the database)
        ingest([FIXTURES / "broken"], reader.replace("schema=roles", "schema=roles2"), workers=1)


def test_second_writer_of_the_same_edition_is_refused(pg_url, monkeypatch):
    from epistola.store import create_writer
    from epistola.store.postgres import BuildLocked, PostgresWriter

    monkeypatch.setattr(PostgresWriter, "lock_wait_seconds", 1)
    url = pg_url("locked")
    first = create_writer(url)
    try:
        with pytest.raises(BuildLocked) as e:
            create_writer(url)
        assert "being built" in str(e.value)
        create_writer(pg_url("locked_other")).abort()  # another schema is another edition
    finally:
        first.abort()
    create_writer(url).abort()  # the lock went with the first writer


def test_open_reader_sees_the_new_edition_after_a_rebuild(pg_url):
    """A server keeps its connections across rebuilds: after the swap, the same connection
    (with statements psycopg has prepared meanwhile) reads the new edition, not an error."""
    url = pg_url("rebuilt")
    ingest([FIXTURES / "broken"], url, workers=1)
    with open_edition(url) as ed:
        for _ in range(8):  # psycopg prepares a statement from its 5th run
            assert ed.letter("B4").title == "A good letter"
            assert len(ed.letter_records()) == BROKEN_LETTERS
        ingest([need(AUDEN)], url, workers=1)
        assert len(ed.letter_records()) == 45
        with pytest.raises(UnknownEntry):
            ed.letter("B4")
        first = ed.letter_records()[0]["id"]
        assert ed.letter(first).id == first


def test_loosely_typed_rows_are_stored_as_sqlite_would(pg_url):
    """Rows go by binary COPY; a value of another type than its column (SQLite accepts "12" in
    an INTEGER column) makes that batch go by text COPY instead, with the same result."""
    from epistola.store import create_writer

    url = pg_url("loose")
    w = create_writer(url)
    w.insert("diagnostics", [("a.xml", 3, "error", "x", "typed")])
    w.insert("sources", [("a.xml", "tei", 10, 5, None)])  # an int for a float column
    w.execute("SELECT 1")  # flush: binary
    w.insert("diagnostics", [("b.xml", "12", "warning", "y", "line as text")])
    w.finish()
    with open_edition(url) as ed:
        assert ed.store.execute("SELECT path, line FROM diagnostics ORDER BY path") == [
            {"path": "a.xml", "line": 3},
            {"path": "b.xml", "line": 12},
        ]
        assert ed.store.execute("SELECT mtime FROM sources") == [{"mtime": 5.0}]


def test_reading_room_serves_a_postgresql_edition(pg_url):
    """`epistola serve postgresql://...`: the same pages and API as for the SQLite file."""
    from starlette.testclient import TestClient

    from epistola.web import create_app

    url = pg_url("room")
    ingest(load_project(need(SAMPLE)), url, workers=1)
    with TestClient(create_app(url)) as client:
        home = client.get("/")
        letter = client.get("/letters/L1931-06-14.html")
        orgs = client.get("/orgs/index.html")
        api = client.get("/api/letters/L1931-06-14")
        found = client.get("/api/search", params={"q": "Ветрову"})
        page = client.get("/search.html", params={"q": "Vetrov"})
    assert home.status_code == letter.status_code == orgs.status_code == api.status_code == 200
    assert "Letters of a Summer Government" in home.text
    assert "1931 № 1" in letter.text  # the sample is Russian: its interface says № (i18n)
    assert api.json()["label"] == "1931 No. 1"  # the API keeps the edition's own form
    assert api.json()["id"] == "L1931-06-14"
    assert found.status_code == page.status_code == 200
    assert found.json()["total"] > 0 and found.json()["names"][0]["id"] == "p-vetrov"
    assert found.json()["results"][0]["letter"] in page.text


def test_reader_reconnects_after_its_connection_is_lost(pg_url, pg_server):
    url = pg_url("reconnect")
    ingest([FIXTURES / "broken"], url, workers=1)
    with open_edition(url) as ed:
        pid = ed.store.scalar("SELECT pg_backend_pid()")
        with psycopg.connect(pg_server.url("epistola"), autocommit=True) as admin:
            assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
        assert len(ed.letter_records()) == BROKEN_LETTERS  # on a new connection
        assert ed.store.scalar("SELECT pg_backend_pid()") != pid
