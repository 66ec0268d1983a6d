"""Stage 3, store: the resolved edition in one SQLite file (or a PostgreSQL database).

``open_store(url_or_path)`` opens an edition for reading; ``create_writer(target)`` makes a
writer that builds a complete new edition and swaps it in atomically.
"""

from __future__ import annotations

from pathlib import Path

from .base import SCHEMA_VERSION, Store
from .sqlite import SQLiteStore, SQLiteWriter

__all__ = ["SCHEMA_VERSION", "SQLiteStore", "SQLiteWriter", "Store", "create_writer", "open_store"]


def is_postgres(target) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def open_store(target) -> Store:
    if is_postgres(target):
        from .postgres import PostgresStore

        return PostgresStore.open(target)
    return SQLiteStore.open(Path(target))


def create_writer(target):
    if is_postgres(target):
        from .postgres import PostgresWriter

        return PostgresWriter(target)
    return SQLiteWriter(Path(target))
