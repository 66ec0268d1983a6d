"""The embedded default: one SQLite file per edition.

Writers build a new file next to the target and swap it in with ``os.replace`` only when the
edition is complete, so a killed build leaves the previous edition intact.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import EditionFormatError, EditionNotFound
from .base import SCHEMA_VERSION, Store
from .tables import KEPT, TABLES, schema


def schema_sql() -> str:
    """The SQLite DDL of an edition (derived from store/tables.py)."""
    return schema("sqlite")


class SQLiteStore(Store):
    dialect = "sqlite"

    def __init__(self, path: str | Path, *, readonly: bool = True, _conn=None):
        self.path = Path(path)
        self.readonly = readonly
        self._local = threading.local()
        if _conn is not None:
            self._local.conn = _conn

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:  # one connection per thread for readers (the web server)
            conn = self._connect()
            self._local.conn = conn
        return conn

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        else:
            conn = sqlite3.connect(self.path, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        return conn

    @classmethod
    def open(cls, path: str | Path) -> SQLiteStore:
        """Open an existing edition for reading; check that it is one."""
        path = Path(path)
        if not path.exists():
            raise EditionNotFound(f"no edition at {path}")
        store = cls(path, readonly=True)
        try:
            version = store.get_meta("schema_version")
        except sqlite3.DatabaseError as e:
            raise EditionFormatError(f"{path} is not an Epistola edition ({e})") from None
        if version != SCHEMA_VERSION:
            raise EditionFormatError(
                f"{path} has schema version {version}, expected {SCHEMA_VERSION}"
            )
        return store

    def execute(self, sql: str, params: Sequence = ()) -> list[dict]:
        cur = self.conn.execute(sql, params)
        if cur.description is None:
            return []
        return [dict(r) for r in cur.fetchall()]

    def tuples(self, sql: str, params: Sequence = ()) -> list[tuple]:
        cur = self.conn.cursor()
        cur.row_factory = None  # straight from the cursor: no dict per row
        return cur.execute(sql, params).fetchall()

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        self.conn.executemany(sql, rows)


class SQLiteWriter(SQLiteStore):
    """Writes a new edition to ``<target>.tmp-<pid>`` and swaps it in on ``finish``."""

    def __init__(self, target: str | Path):
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.target = target
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        super().__init__(tmp, readonly=False)
        c = self.conn
        # The file is private until finish(): durability per statement buys nothing here.
        c.execute("PRAGMA journal_mode = OFF")
        c.execute("PRAGMA synchronous = OFF")
        c.execute("PRAGMA cache_size = -200000")
        c.execute("PRAGMA temp_store = MEMORY")
        c.executescript(schema_sql())
        self.kept = False  # the research tables copied from the edition replaced (keep_from)
        self.set_meta("schema_version", SCHEMA_VERSION)

    def finish(self) -> Path:
        """Copy the kept tables of the edition being replaced, commit, fsync and atomically
        replace the target edition."""
        if not self.kept:
            self.keep_from(self.target)
        self.conn.commit()
        self.conn.execute("PRAGMA journal_mode = DELETE")
        self.conn.execute("ANALYZE")
        self.close()
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(self.path, self.target)
        return self.target

    def keep_from(self, old: Path) -> None:
        """Copy the research server's tables (tables.KEPT) from the edition ``old``."""
        self.kept = True
        if not old.exists():
            return
        c = self.conn
        c.execute("ATTACH DATABASE ? AS old", (str(old),))
        try:
            have = {r[0] for r in c.execute("SELECT name FROM old.sqlite_master")}
            for name in KEPT:
                if name in have:
                    cols = ", ".join(TABLES[name].names)
                    c.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM old.{name}")
            c.commit()
        finally:
            c.execute("DETACH DATABASE old")

    def abort(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)
