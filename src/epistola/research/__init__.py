"""The research server's own data: accounts, logins, API tokens and research annotations.

They live in tables of the edition's store (store/tables.py ``KEPT``) that a re-ingest copies
into the new edition. Every function takes a writable :class:`~epistola.store.Store`;
:func:`open_research` opens one for an edition. docs/research-server.md describes it all.
"""

from __future__ import annotations

from pathlib import Path

from ..store import Store, is_postgres


def open_research(target) -> Store:
    """The edition at ``target`` (a .sqlite path or postgresql:// URL), opened for writing."""
    if is_postgres(target):
        from ..store.postgres import PostgresResearch

        return PostgresResearch.open(str(target))
    from ..store.sqlite import SQLiteStore

    SQLiteStore.open(Path(target))  # checks that it is an edition
    store = SQLiteStore(Path(target), readonly=False)
    store.conn.execute("PRAGMA busy_timeout = 10000")
    return store
