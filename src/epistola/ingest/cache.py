"""Incremental ingest: the rows each source file was read into, kept by content hash.

    _build/edition.sqlite.readcache   (SQLite, beside the edition; deleting it is always safe)

With the cache, ingest reads only the files that are new or whose content changed (SHA-1 of
the bytes; an unchanged size and modification time skip the hash), and files one of whose
*inputs* changed: the transcriptions a catalogue row names (.docx/.md/.txt) and a Markdown
letter's sibling translations, which readers note with ``note_input``/``note_listing``
(read/document.py). Every other file's rows are copied from the cache into a shard, in C, and
the shards are merged exactly as a full ingest merges them. Everything after reading
(duplicate ids, register winners, numbering, links, register use, search index) runs on the
whole edition as in a full build: a register file that changes is one re-read file, and
every letter is resolved against the new register. The edition is the same as a full build's.

Files are read on their own (no ReadState from file to file), so a file's rows depend on its
content and inputs only; a letter's own register entries are all kept (the merge picks the
same winners). A file whose letters or matters shared an id with another file's is not kept
(the renaming depends on both files): it is read again next time. The cache is keyed by the
code that reads (readers, codec, schema): another version of Epistola starts a new one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..plugins import READERS
from ..store.sqlite import schema_sql
from ..store.tables import LETTER_TABLES, TABLES, staging
from .shards import STAGE, STAGING

SUFFIX = ".readcache"
DUPLICATE_CODES = ("duplicate-id", "duplicate-matter-id")

# shard table -> its cache table: the same columns after ``src``, the file's id in the cache
CACHED = {
    **{t: staging(f"c_{t}", t) for t in LETTER_TABLES},
    "stage_entries": staging("c_stage_entries", "entries"),
    "stage_names": staging("c_stage_names", "entry_names"),
    "stage_relations": staging(
        "c_stage_relations", "org_relations_pending", extra="nested INTEGER"
    ),
}
ANALYSIS_DDL = (
    "CREATE TABLE IF NOT EXISTS analysis (key TEXT PRIMARY KEY, text TEXT, notes TEXT, "
    "title TEXT, exact TEXT)"
)
FILES_DDL = (
    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, fid INTEGER UNIQUE, "
    "size INTEGER, mtime_ns INTEGER, hash TEXT, format TEXT, inputs TEXT, diags TEXT, "
    "series TEXT)"
)


def cache_path(target) -> Path:
    return Path(str(target) + SUFFIX)


def code_key() -> str:
    """What the cached rows depend on besides the sources: the reading code and the schema."""
    from .. import __version__

    h = hashlib.sha1(__version__.encode())
    here = Path(__file__).resolve().parents[1]
    for rel in sorted(
        [
            *(here / "read").glob("*.py"),
            *(here / "search").glob("*.py"),  # the analysed texts kept for the search index
            here / "store" / "codec.py",
            here / "store" / "tables.py",
        ]
    ):
        h.update(rel.name.encode())
        h.update(rel.read_bytes())
    h.update(schema_sql().encode())
    h.update(STAGING.encode())
    for name, r in READERS.items():
        h.update(f"{name}:{getattr(r.fn, '__module__', '')}.{r.fn.__qualname__}".encode())
    return h.hexdigest()


def file_hash(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha1(fh.read()).hexdigest()
    except OSError:
        return None


@dataclass
class Plan:
    """Which files are taken from the cache (``hits``: source index -> cache id) and which are
    read (``misses``: (source index, path))."""

    hits: dict[int, int] = field(default_factory=dict)
    misses: list[tuple[int, str]] = field(default_factory=list)
    stats: dict[str, os.stat_result] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)  # hashed in this run
    touched: list[str] = field(default_factory=list)  # same content, new size/time
    gone: list[int] = field(default_factory=list)  # cache ids of files no longer sources
    rows: dict[str, tuple] = field(default_factory=dict)  # path -> its cache row


class ReadCache:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.key = code_key()
        self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            conn = self._connect()
            row = conn.execute("SELECT value FROM cache_meta WHERE key = 'code'").fetchone()
            if row and row[0] == self.key:
                return conn
            conn.close()
        except sqlite3.Error:
            pass
        for p in (self.path, Path(str(self.path) + "-journal")):  # another version, or broken
            with contextlib.suppress(OSError):
                p.unlink()
        conn = self._connect()
        conn.execute("INSERT OR REPLACE INTO cache_meta VALUES ('code', ?)", (self.key,))
        conn.commit()
        return conn

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path)
        conn.execute("PRAGMA synchronous = OFF")  # a torn cache is only a slower next build
        conn.execute("CREATE TABLE IF NOT EXISTS cache_meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute(FILES_DDL)
        conn.execute(ANALYSIS_DDL)
        for t in CACHED.values():
            conn.execute(t.ddl("sqlite").replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"))
            conn.execute(f"CREATE INDEX IF NOT EXISTS {t.name}_src ON {t.name}(src)")
        conn.commit()
        return conn

    def close(self) -> None:
        self.conn.close()

    # -- the search index's analysed letters (search/index.py) ----------------------------------

    def get_many(self, keys: list[str]) -> dict[str, tuple]:
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS want (key TEXT PRIMARY KEY)")
        self.conn.execute("DELETE FROM temp.want")
        self.conn.executemany("INSERT OR IGNORE INTO temp.want VALUES (?)", [(k,) for k in keys])
        return {
            r[0]: r[1:]
            for r in self.conn.execute(
                "SELECT a.key, a.text, a.notes, a.title, a.exact FROM analysis a "
                "JOIN temp.want w ON w.key = a.key"
            )
        }

    def put_many(self, rows: dict[str, tuple]) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO analysis VALUES (?, ?, ?, ?, ?)",
            [(k, *v) for k, v in rows.items()],
        )
        self.conn.commit()

    def keep(self, keys: list[str]) -> None:
        """Forget the analyses of letters no longer in the edition (``keys``: those that are)."""
        self.conn.execute("DELETE FROM analysis WHERE key NOT IN (SELECT key FROM temp.want)")
        self.conn.commit()

    # -- which files must be read ---------------------------------------------------------------

    def plan(self, files: list[str]) -> Plan:
        plan = Plan()
        known = {
            r[0]: r
            for r in self.conn.execute(
                "SELECT path, fid, size, mtime_ns, hash, format, inputs, diags, series FROM files"
            )
        }
        current = set(files)
        plan.gone = [r[1] for p, r in known.items() if p not in current]
        listings: dict[str, list[str]] = {}
        for idx, path in enumerate(files):
            try:
                st = os.stat(path)
            except OSError:
                plan.misses.append((idx, path))  # read_file reports it
                continue
            plan.stats[path] = st
            row = known.get(path)
            if row is None:
                plan.misses.append((idx, path))
                continue
            if (row[2], row[3]) != (st.st_size, st.st_mtime_ns):
                h = file_hash(path)
                plan.hashes[path] = h
                if h != row[4]:
                    plan.misses.append((idx, path))
                    continue
                plan.touched.append(path)
            if not self._inputs_same(json.loads(row[6]), plan.hashes, listings):
                plan.misses.append((idx, path))
                continue
            plan.hits[idx] = row[1]
            plan.rows[path] = row
        return plan

    @staticmethod
    def _inputs_same(inputs: list, hashes: dict, listings: dict) -> bool:
        for item in inputs:
            if item[0] == "file":
                _, path, digest = item
                if path not in hashes:
                    hashes[path] = file_hash(path)
                if hashes[path] != digest:
                    return False
            else:
                _, folder, prefix, names = item
                if _listing(folder, prefix, listings) != names:
                    return False
        return True

    # -- the cached files as a shard --------------------------------------------------------------

    def demote_shared_ids(self, plan: Plan, files: list[str]) -> None:
        """Hits whose letters or matters share an id with another hit's become misses (the
        renaming a full build does depends on both files: they are read again)."""
        conn = self.conn
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS h (fid INTEGER PRIMARY KEY, idx INTEGER)")
        conn.execute("DELETE FROM temp.h")
        conn.executemany("INSERT INTO temp.h VALUES (?, ?)", [(f, i) for i, f in plan.hits.items()])
        shared = {
            fid
            for table in ("c_letters", "c_matters")
            for (fid,) in conn.execute(
                f"SELECT x.src FROM {table} x JOIN temp.h h ON h.fid = x.src WHERE x.id IN ("
                f"SELECT y.id FROM {table} y JOIN temp.h h ON h.fid = y.src "
                "GROUP BY y.id HAVING COUNT(DISTINCT y.src) > 1)"
            )
        }
        conn.commit()
        if not shared:
            return
        for idx, fid in list(plan.hits.items()):
            if fid in shared:
                del plan.hits[idx]
                plan.misses.append((idx, files[idx]))
        plan.misses.sort()

    def ids_overlap(self, plan: Plan, read_shards: list[Path]) -> bool:
        """Do the files read share a letter or matter id with the hits or each other? Then the
        shards are merged apart (merge_shards renames across shards), not combined."""
        if not read_shards:
            return False
        conn = sqlite3.connect(":memory:")
        try:
            conn.execute("ATTACH DATABASE ? AS c", (str(self.path),))
            conn.execute("CREATE TEMP TABLE h (fid INTEGER PRIMARY KEY)")
            conn.executemany("INSERT INTO h VALUES (?)", [(f,) for f in plan.hits.values()])
            for k, shard in enumerate(read_shards):
                conn.execute(f"ATTACH DATABASE ? AS r{k}", (str(shard),))
            for table in ("letters", "matters"):
                union = " UNION ALL ".join(
                    f"SELECT id FROM r{k}.{table}" for k in range(len(read_shards))
                )
                if (
                    conn.execute(
                        f"SELECT 1 FROM ({union}) GROUP BY id HAVING COUNT(*) > 1 LIMIT 1"
                    ).fetchone()
                    or conn.execute(
                        f"SELECT 1 FROM c.c_{table} x JOIN h ON h.fid = x.src "
                        f"WHERE x.id IN ({union}) LIMIT 1"
                    ).fetchone()
                ):
                    return True
            return False
        finally:
            conn.close()

    def write_shard(
        self,
        plan: Plan,
        files: list[str],
        shard: Path,
        report,
        read_shards: list[Path] = (),
        edition: sqlite3.Connection | None = None,
    ) -> None:
        """Write the rows of ``plan.hits`` (with the source indexes of this run) and of the
        ``read_shards`` into a new shard, in source order, and ``report(path, diagnostics,
        series, inputs)`` for each hit, as reading would. With ``edition`` (the connection of
        the edition being built), the letters' tables go straight into it and only the staging
        tables into the shard (``merge_shards(..., letters=False)`` then)."""
        init = sqlite3.connect(shard)
        init.execute("PRAGMA journal_mode = OFF")
        init.executescript(schema_sql() + STAGING)
        init.close()
        if edition is None:
            conn, stage_db = sqlite3.connect(shard), "main"
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
        else:
            conn, stage_db = edition, "sh"
            conn.commit()  # ATTACH is not allowed inside a transaction
            conn.execute("ATTACH DATABASE ? AS sh", (str(shard),))
        reads = [f"r{k}" for k in range(len(read_shards))]
        try:
            conn.execute("ATTACH DATABASE ? AS c", (str(self.path),))
            for name, path in zip(reads, read_shards, strict=True):
                conn.execute(f"ATTACH DATABASE ? AS {name}", (str(path),))
            conn.execute("DROP TABLE IF EXISTS temp.cache_hits")
            conn.execute("CREATE TEMP TABLE cache_hits (fid INTEGER PRIMARY KEY, idx INTEGER)")
            conn.executemany(
                "INSERT INTO temp.cache_hits VALUES (?, ?)", [(f, i) for i, f in plan.hits.items()]
            )
            for table, t in CACHED.items():
                names = TABLES[table].names if table in TABLES else STAGE[table].names
                if table == "letters":
                    cached = ["h.idx AS source_index" if c == "source_index" else f"x.{c} AS {c}"
                              for c in names]  # fmt: skip
                    key, join = "x.source_index", ""
                elif table in TABLES:
                    cached = [f"x.{c} AS {c}" for c in names]
                    key = "l.source_index"
                    join = f" JOIN {{r}}.letters l ON l.id = x.{TABLES[table].letter_key}"
                else:
                    cached = ["h.idx AS src", *(f"x.{c} AS {c}" for c in names[1:])]
                    key, join = "x.src", ""
                parts = [
                    f"SELECT {', '.join(cached)}, h.idx AS o1, x.rowid AS o2 "
                    f"FROM c.{t.name} x JOIN temp.cache_hits h ON h.fid = x.src"
                ]
                parts += [
                    f"SELECT {', '.join(f'x.{c}' for c in names)}, {key}, x.rowid "
                    f"FROM {r}.{table} x{join.format(r=r)}"
                    for r in reads
                ]
                into = "main" if table in TABLES else stage_db
                conn.execute(
                    f"INSERT INTO {into}.{table} SELECT {', '.join(names)} FROM ("
                    + " UNION ALL ".join(parts)
                    + ") ORDER BY o1, o2"  # as read: merge_shards keeps the order
                )
            src_rows = []
            for idx in sorted(plan.hits):
                path = files[idx]
                row = plan.rows[path]
                st = plan.stats[path]
                src_rows.append((idx, path, row[5], st.st_size, st.st_mtime))
                diags = [Diagnostic(*d) for d in json.loads(row[7])]
                report(path, diags, json.loads(row[8]), None)
            width = len(STAGE["stage_sources"].names)
            conn.executemany(
                f"INSERT INTO {stage_db}.stage_sources VALUES ({','.join('?' * width)})", src_rows
            )
            for r in reads:
                conn.execute(
                    f"INSERT INTO {stage_db}.stage_sources SELECT * FROM {r}.stage_sources"
                )
            conn.execute("DROP TABLE temp.cache_hits")
            conn.commit()
        finally:
            for name in ("c", *reads, *(["sh"] if edition is not None else [])):
                with contextlib.suppress(sqlite3.Error):
                    conn.execute(f"DETACH DATABASE {name}")
            if edition is None:
                conn.close()

    # -- keeping what was read ------------------------------------------------------------------------

    def save(self, plan: Plan, shards: list[Path], read: dict, diags) -> None:
        """Keep the files read in this run (``read``: path -> (diagnostics, series, inputs))
        from their ``shards``; forget files gone or changed. Files named by a
        duplicate-id diagnostic are not kept (their rows depend on another file)."""
        shared = {d.path for d in diags if d.code in DUPLICATE_CODES}
        for per_file in read.values():
            shared.update(d.path for d in per_file[0] if d.code in DUPLICATE_CODES)
        conn = self.conn
        conn.commit()
        names = [f"s{k}" for k in range(len(shards))]
        for name, shard in zip(names, shards, strict=True):  # ATTACH: outside a transaction
            conn.execute(f"ATTACH DATABASE ? AS {name}", (str(shard),))
        try:
            self._save(conn, plan, read, shared, names)
            conn.commit()  # one transaction: a file's row and its rows are kept together
        except BaseException:
            conn.rollback()
            raise
        finally:
            for name in names:
                conn.execute(f"DETACH DATABASE {name}")

    @staticmethod
    def _save(conn, plan: Plan, read: dict, shared: set, names: list[str]) -> None:
        stale = list(plan.gone)
        stale += [
            r[0]
            for r in conn.execute(
                f"SELECT fid FROM files WHERE path IN ({','.join('?' * len(plan.misses))})",
                [p for _, p in plan.misses],
            )
        ]
        for t in CACHED.values():
            conn.executemany(f"DELETE FROM {t.name} WHERE src = ?", [(f,) for f in stale])
        conn.executemany("DELETE FROM files WHERE fid = ?", [(f,) for f in stale])
        for path in plan.touched:
            st = plan.stats[path]
            conn.execute(
                "UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                (st.st_size, st.st_mtime_ns, path),
            )
        formats = {
            p: f
            for s in names
            for p, f in conn.execute(f"SELECT path, format FROM {s}.stage_sources")
        }
        next_fid = (conn.execute("SELECT MAX(fid) FROM files").fetchone()[0] or 0) + 1
        keep: list[tuple[int, int]] = []  # (source index, cache id)
        listings: dict[str, list[str]] = {}
        for idx, path in plan.misses:
            got = read.get(path)
            st = plan.stats.get(path)
            if got is None or st is None or path in shared or path not in formats:
                continue
            file_diags, series, inputs = got
            fmt = formats[path]
            recorded = []
            for item in inputs or ():
                if item[0] == "file":
                    recorded.append(["file", item[1], file_hash(item[1])])
                else:
                    recorded.append(["listing", item[1], item[2], _listing(*item[1:], listings)])
            conn.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    path,
                    next_fid,
                    st.st_size,
                    st.st_mtime_ns,
                    plan.hashes.get(path) or file_hash(path),
                    fmt,
                    json.dumps(recorded),
                    json.dumps([list(_fields(d)) for d in file_diags]),
                    json.dumps(series),
                ),
            )
            keep.append((idx, next_fid))
            next_fid += 1
        if not keep:
            return
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS m (idx INTEGER PRIMARY KEY, fid INTEGER)")
        conn.execute("DELETE FROM temp.m")
        conn.executemany("INSERT INTO temp.m VALUES (?, ?)", keep)
        for s in names:
            for table, t in CACHED.items():
                if table == "letters":
                    conn.execute(
                        f"INSERT INTO {t.name} SELECT m.fid, x.* FROM {s}.letters x "
                        "JOIN temp.m m ON m.idx = x.source_index ORDER BY x.rowid"
                    )
                elif table in TABLES:
                    key = TABLES[table].letter_key
                    conn.execute(
                        f"INSERT INTO {t.name} SELECT m.fid, x.* FROM {s}.{table} x "
                        f"JOIN {s}.letters l ON l.id = x.{key} "
                        "JOIN temp.m m ON m.idx = l.source_index ORDER BY x.rowid"
                    )
                else:
                    rest = ", ".join(f"x.{c}" for c in t.names[1:])
                    conn.execute(
                        f"INSERT INTO {t.name} SELECT m.fid, {rest} FROM {s}.{table} x "
                        "JOIN temp.m m ON m.idx = x.src ORDER BY x.rowid"
                    )


def _fields(d: Diagnostic) -> tuple:
    return d.path, d.line, d.severity, d.code, d.message


def _listing(folder: str, prefix: str, listings: dict) -> list[str]:
    if folder not in listings:
        try:
            listings[folder] = sorted(os.listdir(folder))
        except OSError:
            listings[folder] = []
    return [n for n in listings[folder] if n.startswith(prefix)]
