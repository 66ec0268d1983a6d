"""The shared-server backend: an edition is one schema in a PostgreSQL database.

    postgresql://user@host:port/dbname?schema=NAME        (schema defaults to "epistola")

Any other query parameter (sslmode, host=/socket/dir, ...) goes to libpq unchanged.

Readers (``PostgresStore``) hold one autocommit, read-only connection per thread, like the SQLite
store, with ``search_path`` set to the edition's schema so SQL names tables bare.
``PostgresWriter`` builds a complete edition inside one transaction in a private schema
``<schema>_build_<pid>``; ``finish`` drops the old schema and renames the new one in that same
transaction. A build that is killed therefore leaves the previous edition exactly as it was, and
readers never see half an edition. Rows given to ``insert`` are buffered and sent with COPY.
"""

from __future__ import annotations

import os
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .. import errors
from ..errors import EditionFormatError, EditionNotFound, EditionUnavailable, EpistolaError

try:
    import psycopg
    from psycopg import sql as pgsql
    from psycopg.rows import dict_row
    from psycopg.types.numeric import FloatLoader
except ImportError:  # an optional dependency: say how to get it
    raise EpistolaError(
        "PostgreSQL editions need psycopg, which is not installed",
        hint="pip install 'epistola[postgres]'",
    ) from None
from .base import SCHEMA_VERSION, Store
from .tables import KEPT, TABLES, schema

DEFAULT_SCHEMA = "epistola"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}$")  # leaves room for "_build_<pid>" in 63
CONNECT_TIMEOUT = 5  # seconds (libpq waits for ever by default), unless the URL says
_COPY_BATCH = 20_000  # rows buffered per table before a COPY


class BuildLocked(errors.BuildLocked):
    hint = "Another 'epistola ingest' is writing this edition; wait for it or give another schema."


class NotPermitted(EpistolaError):
    hint = (
        "Use a role with the rights it needs: builders need CREATE on the database, readers "
        "USAGE on the schema and SELECT on its tables (docs/postgres.md shows the grants)."
    )


def parse_url(url: str) -> tuple[str, str]:
    """``postgresql://...?schema=NAME`` -> (libpq conninfo URL without ``schema``, schema name)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), DEFAULT_SCHEMA)
    if not _NAME.match(schema):
        raise EditionNotFound(
            f"schema name {schema!r} in {url} is not usable",
            hint="Use schema=NAME with letters, digits and underscores (at most 40).",
        )
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    return urlunsplit(parts._replace(query=rest)), schema


@lru_cache(maxsize=512)
def to_pyformat(sql: str) -> str:
    """``?`` placeholders -> psycopg's ``%s``; literal ``%`` doubled. Quoted text is left alone
    except for ``%`` (psycopg reads ``%`` everywhere in a query that has parameters)."""
    out, quote = [], None
    for ch in sql:
        if ch == "%":
            out.append("%%")
        elif quote:
            out.append(ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        else:
            out.append(ch)
    return "".join(out)


def schema_pg_sql() -> str:
    """The PostgreSQL DDL of an edition (derived from store/tables.py)."""
    return schema("postgresql")


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def _connect(conninfo: str, url: str, **kw) -> psycopg.Connection:
    if "connect_timeout" not in conninfo:
        kw.setdefault("connect_timeout", CONNECT_TIMEOUT)
    try:
        conn = psycopg.connect(conninfo, row_factory=dict_row, **kw)
    except psycopg.OperationalError as e:
        raise EditionNotFound(
            f"cannot connect to PostgreSQL at {url}: {_first_line(e)}",
            hint="Start the server, or fix user, host, port and database in the URL "
            "(postgresql://user@host:port/dbname?schema=NAME).",
        ) from None
    # SUM/AVG give numeric: read it as float, as SQLite gives, not Decimal
    conn.adapters.register_loader("numeric", FloatLoader)
    return conn


class PostgresStore(Store):
    """A stored edition in a PostgreSQL schema, opened for reading."""

    dialect = "postgresql"

    def __init__(self, url: str, *, _conn=None):
        self.url = url
        self.conninfo, self.schema = parse_url(url)
        self._local = threading.local()
        if _conn is not None:
            self._local.conn = _conn

    @property
    def conn(self) -> psycopg.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:  # one connection per thread (the web server's pool)
            conn = self._open_connection()
            self._local.conn = conn
        return conn

    def _open_connection(self) -> psycopg.Connection:
        conn = _connect(self.conninfo, self.url, autocommit=True)
        conn.execute(
            pgsql.SQL("SET search_path TO {}, public").format(pgsql.Identifier(self.schema))
        )
        conn.execute("SET default_transaction_read_only = on")
        return conn

    @classmethod
    def open(cls, url: str) -> PostgresStore:
        """Open an existing edition for reading; check that the schema holds one."""
        store = cls(url)
        found = store.conn.execute(
            "SELECT 1 FROM pg_namespace WHERE nspname = %s", (store.schema,)
        ).fetchone()
        if not found:
            store.close()
            raise EditionNotFound(
                f"no edition in schema {store.schema!r} at {url}",
                hint=f"Build it first: epistola ingest SOURCE --out '{url}'",
            )
        try:
            version = store.get_meta("schema_version")
        except psycopg.errors.UndefinedTable:
            store.close()
            raise EditionFormatError(
                f"schema {store.schema!r} at {url} is not an Epistola edition"
            ) from None
        except psycopg.errors.InsufficientPrivilege as e:
            store.close()
            raise NotPermitted(f"may not read the edition at {url}: {e}") from None
        if version != SCHEMA_VERSION:
            store.close()
            raise EditionFormatError(
                f"{url} has schema version {version}, expected {SCHEMA_VERSION}"
            )
        return store

    def execute(self, sql: str, params: Sequence = ()) -> list[dict]:
        try:
            return self._execute(sql, params)
        except (psycopg.OperationalError, EditionNotFound) as e:
            # a reader's connection lost to a server restart, or no new one to be had yet: try
            # a new connection once; while the server is away that is EditionUnavailable, and
            # the next statement tries again (the writer's transaction is gone with its
            # connection, so it must fail instead)
            if isinstance(self, PostgresWriter):
                raise
            conn = getattr(self._local, "conn", None)
            if isinstance(e, psycopg.OperationalError) and not (conn.broken or conn.closed):
                raise  # the statement failed, not the connection (a timeout, a cancel)
            if conn is not None:
                conn.close()
                self._local.conn = None
            try:
                return self._execute(sql, params)
            except (psycopg.OperationalError, EditionNotFound) as again:
                conn = getattr(self._local, "conn", None)
                if conn is not None:
                    conn.close()
                    self._local.conn = None
                raise EditionUnavailable(
                    f"the PostgreSQL server of {self.url} is not answering: {_first_line(again)}"
                ) from None

    def _execute(self, sql: str, params: Sequence) -> list[dict]:
        cur = self.conn.execute(to_pyformat(sql), params) if params else self.conn.execute(sql)
        return cur.fetchall() if cur.description is not None else []

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(to_pyformat(sql), list(rows))


class PostgresWriter(PostgresStore):
    """Builds a new edition in ``<schema>_build_<pid>`` and swaps it in on ``finish``."""

    lock_wait_seconds = 10  # for another writer of the same edition to finish

    def __init__(self, url: str):
        super().__init__(url)
        self.target_schema = self.schema
        self.schema = f"{self.target_schema}_build_{os.getpid()}"
        self._pending: dict[str, list] = defaultdict(list)
        self._types: dict[str, list[int]] = {}
        conn = _connect(self.conninfo, url, autocommit=True)
        self._local.conn = conn
        try:
            self._fast_compression(conn)
            self._lock_build(conn)
            self._drop_stale_builds(conn)
            conn.execute(
                pgsql.SQL("SET search_path TO {}, public").format(pgsql.Identifier(self.schema))
            )
            conn.autocommit = False  # everything from here to finish() is one transaction
            conn.execute(pgsql.SQL("CREATE SCHEMA {}").format(pgsql.Identifier(self.schema)))
            conn.execute(schema_pg_sql())
            self.set_meta("schema_version", SCHEMA_VERSION)
        except psycopg.errors.InsufficientPrivilege as e:
            self.close()
            raise NotPermitted(f"may not build an edition at {url}: {e}") from None
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _fast_compression(conn) -> None:
        """lz4 for the long JSON and text values: pglz (the default) halves COPY speed."""
        try:
            conn.execute("SET default_toast_compression = lz4")
        except psycopg.Error:
            pass  # a server built without lz4 keeps pglz

    def _lock_key(self) -> str:
        return f"epistola-build:{self.target_schema}"

    def _lock_build(self, conn) -> None:
        """One writer per target schema; a killed writer's lock goes with its connection."""
        conn.execute(f"SET lock_timeout = '{int(self.lock_wait_seconds)}s'")
        try:
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (self._lock_key(),))
        except psycopg.errors.LockNotAvailable:
            raise BuildLocked(
                f"edition {self.target_schema!r} at {self.url} is being built"
            ) from None
        conn.execute("SET lock_timeout = 0")

    def _drop_stale_builds(self, conn) -> None:
        """Build schemas left by writers that committed midway and then died."""
        rows = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
            (self.target_schema.replace("_", r"\_") + r"\_build\_%",),
        ).fetchall()
        for r in rows:
            conn.execute(pgsql.SQL("DROP SCHEMA {} CASCADE").format(pgsql.Identifier(r["nspname"])))

    # -- writing ----------------------------------------------------------------------------
    def insert(self, table: str, rows: list[Sequence]) -> None:
        if rows:
            pending = self._pending[table]
            pending.extend(rows)
            if len(pending) >= _COPY_BATCH:
                self._flush(table)

    def _flush(self, table: str | None = None) -> None:
        """Send buffered rows with COPY (all tables, or one); table order is kept per table."""
        for name in [table] if table else list(self._pending):
            rows = self._pending.pop(name, None)
            if rows:
                self._copy(name, rows)

    def _copy(self, table: str, rows: list[Sequence]) -> None:
        """Binary COPY (several times faster for the big JSON columns); where a value does not
        fit its column's binary type (SQLite is loosely typed), the same rows as text COPY."""
        ident = pgsql.Identifier(table)
        types = self._column_types(table)
        cur = self.conn.cursor()
        try:
            cur.execute("SAVEPOINT epistola_copy")
            try:
                with cur.copy(pgsql.SQL("COPY {} FROM STDIN (FORMAT BINARY)").format(ident)) as cp:
                    cp.set_types(types)
                    for r in rows:
                        cp.write_row(r)
            except (psycopg.DataError, TypeError, ValueError, OverflowError):
                cur.execute("ROLLBACK TO SAVEPOINT epistola_copy")
                with cur.copy(pgsql.SQL("COPY {} FROM STDIN").format(ident)) as cp:
                    for r in rows:
                        cp.write_row(r)
            cur.execute("RELEASE SAVEPOINT epistola_copy")
        finally:
            cur.close()

    def _column_types(self, table: str) -> list[int]:
        types = self._types.get(table)
        if types is None:
            rows = self.conn.execute(
                "SELECT atttypid::int AS oid FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                (pgsql.Identifier(self.schema, table).as_string(self.conn),),
            ).fetchall()
            types = self._types[table] = [r["oid"] for r in rows]
        return types

    def execute(self, sql: str, params: Sequence = ()) -> list[dict]:
        self._flush()  # statements see every row inserted before them
        return super().execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        self._flush()
        super().executemany(sql, rows)

    def commit(self) -> None:
        self._flush()
        self.conn.commit()

    @property
    def target(self) -> str:
        return self.target_schema

    def keep_from(self, old: str) -> None:
        """Copy the research server's tables (tables.KEPT) from the edition's current schema
        ``old`` into the new one, inside the build's transaction."""
        have = {r["tablename"] for r in self.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = ?", (old,))}  # fmt: skip
        for name in KEPT:
            if name in have:
                cols = pgsql.SQL(", ").join(pgsql.Identifier(c) for c in TABLES[name].names)
                self.conn.execute(pgsql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}.{}").format(
                    pgsql.Identifier(name), cols, cols, pgsql.Identifier(old),
                    pgsql.Identifier(name)))  # fmt: skip

    def finish(self) -> str:
        """Replace the target schema by the new edition in one transaction; return the URL."""
        self._flush()
        conn = self.conn
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (self.schema,)
        ).fetchall()
        for r in tables:  # planner statistics, so readers get good plans from the start
            conn.execute(pgsql.SQL("ANALYZE {}").format(pgsql.Identifier(r["tablename"])))
        target, build = pgsql.Identifier(self.target_schema), pgsql.Identifier(self.schema)
        try:
            conn.execute(pgsql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(target))
        except psycopg.errors.InsufficientPrivilege as e:  # another role built the old one
            raise NotPermitted(f"may not replace the edition at {self.url}: {e}") from None
        conn.execute(pgsql.SQL("ALTER SCHEMA {} RENAME TO {}").format(build, target))
        conn.commit()
        self.close()
        return self.url

    def abort(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._pending.clear()
        if conn is None or conn.closed:
            return
        try:
            conn.rollback()
            conn.autocommit = True
            conn.execute(
                pgsql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(pgsql.Identifier(self.schema))
            )
        except psycopg.Error:
            pass  # the server drops what was not committed when the connection goes
        finally:
            self.close()


class PostgresResearch(PostgresStore):
    """The served edition opened for the research server's own writes (accounts, annotations:
    research/). Reads run in autocommit, so no connection sits idle in a transaction holding
    locks that a re-ingest's swap would wait for; the first write opens a transaction that
    :meth:`commit` ends (or an error rolls back). One connection per thread."""

    def _open_connection(self) -> psycopg.Connection:
        conn = _connect(self.conninfo, self.url, autocommit=True)
        conn.execute(
            pgsql.SQL("SET search_path TO {}, public").format(pgsql.Identifier(self.schema))
        )
        return conn

    @classmethod
    def open(cls, url: str) -> PostgresResearch:
        PostgresStore.open(url).close()  # checks that the schema holds an edition
        return cls(url)

    def _execute(self, sql: str, params: Sequence) -> list[dict]:
        writes = not sql.lstrip()[:6].upper().startswith(("SELECT", "WITH"))
        if writes and not getattr(self._local, "in_tx", False):
            self.conn.execute("BEGIN")
            self._local.in_tx = True
        try:
            return super()._execute(sql, params)
        except BaseException:
            self.rollback()
            raise

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        for r in rows:
            self._execute(sql, r)

    def commit(self) -> None:
        if getattr(self._local, "in_tx", False):
            self._local.in_tx = False
            self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if getattr(self._local, "in_tx", False):
            self._local.in_tx = False
            if not self.conn.closed:
                self.conn.execute("ROLLBACK")
