"""The storage interface every backend implements (SQLite now, PostgreSQL for shared servers).

SQL passed to a store uses ``?`` placeholders; a backend translates them if it must.
Rows come back as dicts.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence

from .tables import TABLE_COLUMNS

SCHEMA_VERSION = 1


class Store(ABC):
    dialect: str = "sql"

    @abstractmethod
    def execute(self, sql: str, params: Sequence = ()) -> list[dict]:
        """Run one statement; return its rows as dicts (empty for writes)."""

    def tuples(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Rows as plain tuples, in column order (cheaper than dicts where a backend can)."""
        return [tuple(r.values()) for r in self.execute(sql, params)]

    @abstractmethod
    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        """Run one statement for many parameter rows."""

    # Backends keep one connection per thread in ``self._local.conn`` (the web server reads from
    # a pool of threads) behind a ``conn`` property; these work for any DB-API connection.
    def commit(self) -> None:
        self.conn.commit()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def insert(self, table: str, rows: list[Sequence]) -> None:
        """Bulk-load ``rows`` (tuples in the table's column order) into ``table``."""
        if rows:
            n = TABLE_COLUMNS.get(table) or len(rows[0])
            self.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * n)})", rows)

    def scalar(self, sql: str, params: Sequence = ()):
        rows = self.execute(sql, params)
        return next(iter(rows[0].values())) if rows else None

    def set_meta(self, key: str, value) -> None:
        self.execute("DELETE FROM meta WHERE key = ?", (key,))
        self.execute("INSERT INTO meta VALUES (?, ?)", (key, json.dumps(value, ensure_ascii=False)))

    def get_meta(self, key: str, default=None):
        v = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return json.loads(v) if v is not None else default

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
