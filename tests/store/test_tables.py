"""Each table is defined once (store/tables.py); both schemas and the row widths derive from it."""

from __future__ import annotations

import re
import sqlite3

from epistola.ingest.shards import STAGE, STAGING
from epistola.store.codec import letter_rows
from epistola.store.tables import LETTER_TABLES, TABLE_COLUMNS, TABLES, VIEWS, schema

from ..conftest import ROOT


def test_sqlite_schema_has_every_table_with_its_columns():
    conn = sqlite3.connect(":memory:")
    conn.executescript(schema("sqlite") + STAGING)
    for name, table in {**TABLES, **STAGE}.items():
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
        assert cols == list(table.names)
        assert len(cols) == TABLE_COLUMNS.get(name, len(cols))
    views = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    assert views == {v[0] for v in VIEWS}


def test_postgres_schema_differs_only_where_it_must():
    pg = schema("postgresql")
    assert pg.count("CREATE TABLE") == len(TABLES)
    # every text column collates by code point, except the JSON ones
    for t in TABLES.values():
        for c in t.columns:
            m = re.search(rf"CREATE TABLE {t.name} \((?:.|\n)*?\n  {c.name} ([^,\n]*)", pg)
            assert m, (t.name, c.name)
            if c.type == "TEXT":
                assert ('COLLATE "C"' in m.group(1)) != c.json
    assert "BYTEA" in pg and "BLOB" not in pg and "REAL" not in pg.replace("DOUBLE PRECISION", "")
    assert "json_extract" not in pg and "json_extract" in schema("sqlite")


def test_letter_rows_fit_their_tables():
    from epistola.read import read_file

    doc = read_file(str(ROOT / "examples/sample-edition/letters/1931/L1931-08-16.xml"))
    rows = letter_rows(doc.letters[0], 7)
    assert set(rows) == set(LETTER_TABLES)
    for table, rs in rows.items():
        assert all(len(r) == TABLE_COLUMNS[table] for r in rs), table
    (row,) = rows["letters"]
    named = dict(zip(TABLES["letters"].names, row, strict=True))
    assert named["id"] == doc.letters[0].id and named["source_index"] == 7
    assert named["data"].startswith("{")


def test_docs_schema_names_every_table_and_view():
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+)`", doc))
    missing = [t for t in [*TABLES, *(v[0] for v in VIEWS)] if t not in named]
    assert missing == []
