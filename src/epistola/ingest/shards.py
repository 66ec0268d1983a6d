"""Parallel reading: each worker process reads its share of the sources into a SQLite shard.

Workers parse, convert and write rows themselves (``executemany``, in C), so nothing but a few
bytes per file crosses the process boundary and the main process stays free to merge. The
shards have the edition's tables plus staging tables for register entries, whose winner (a
register file beats a letter's ``<back>``; otherwise the first file) is chosen at merge time.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import sqlite3
import tempfile
import traceback
from collections import defaultdict
from pathlib import Path

from ..diagnostics import Diagnostic
from ..read import ReadState, read_file
from ..store.codec import entry_row, letter_rows
from ..store.sqlite import schema_sql
from ..store.tables import LETTER_TABLES, TABLE_COLUMNS, TABLES, staging

# staging tables of a shard: register entries, names, relations and files as read, tagged
# with the index of their source file (``src``); the merge picks each entry's winner
STAGE = {
    t.name: t
    for t in (
        staging("stage_entries", "entries"),
        staging("stage_names", "entry_names"),
        staging("stage_relations", "org_relations_pending", extra="nested INTEGER"),
        staging("stage_sources", "sources", drop=("digest",)),
    )
}
STAGING = "\n".join(t.ddl("sqlite") for t in STAGE.values()) + "\n"
STAGE_WIDTH = {name: len(t.columns) for name, t in STAGE.items()}


def read_into_shard(items, shard: Path, report) -> None:
    """Read ``items`` ((index, path) pairs) into a new shard file; ``report(path, diagnostics,
    series titles of its letters)`` is called after each file. Rows are buffered and written in batches."""
    conn = sqlite3.connect(shard)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.executescript(schema_sql() + STAGING)
    state = ReadState()  # this process's memory from file to file
    own_letters: dict[str, str] = {}
    buffer: dict[str, list] = defaultdict(list)

    def flush():
        for table, rows in buffer.items():
            if rows:
                width = STAGE_WIDTH.get(table) or TABLE_COLUMNS[table]
                conn.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * width)})", rows)
        buffer.clear()

    try:
        for done, (index, path) in enumerate(items, 1):
            doc = read_file(path, state)
            diags = list(doc.diagnostics)
            for letter in doc.letters:
                if letter.id in own_letters:
                    diags.append(
                        Diagnostic(
                            path,
                            letter.source_line,
                            "error",
                            "duplicate-id",
                            f"letter id {letter.id!r} is also used by {own_letters[letter.id]}; "
                            "this copy was skipped — give each letter its own xml:id",
                        )
                    )
                    continue
                own_letters[letter.id] = path
                for table, rows in letter_rows(letter, index).items():
                    buffer[table].extend(rows)
            for e in doc.entries:
                buffer["stage_entries"].append((index, *entry_row(e)))
                buffer["stage_names"].extend((index, e.id, n.text, n.type, n.lang) for n in e.names)
                buffer["stage_relations"].extend(
                    (index, e.id, r.parent, r.from_, r.to, r.type, e.source_path, e.source_line, 1)
                    for r in getattr(e, "parents", [])
                )
            buffer["stage_relations"].extend(
                (index, c, p, f, t, "partOf", path, None, 0) for c, p, f, t in doc.relations
            )
            st = os.stat(path)
            buffer["stage_sources"].append((index, path, doc.format, st.st_size, st.st_mtime))
            report(path, diags, [x.series for x in doc.letters if x.series])
            if done % 64 == 0:
                flush()
        flush()
        conn.commit()
    finally:
        conn.close()


def _worker(items, shard, q) -> None:
    try:
        read_into_shard(items, shard, lambda p, d, s: q.put(("file", p, d, s)))
        q.put(("done", str(shard)))
    except BaseException:  # report, so the main process fails loudly instead of waiting
        q.put(("error", traceback.format_exc()))


def read_parallel(files: list[str], workdir: Path, workers: int, on_file) -> list[Path]:
    """Read ``files`` with ``workers`` processes into shards under ``workdir``; return them.
    ``on_file(path, diagnostics, series titles)`` runs in this process for every file read."""
    items = list(enumerate(files))
    if workers <= 1 or len(files) < 16:
        shard = workdir / "shard-0.sqlite"
        read_into_shard(items, shard, on_file)
        return [shard]
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    q = ctx.Queue()
    shards = [workdir / f"shard-{k}.sqlite" for k in range(workers)]
    # interleaved shares balance the load without a task queue (files are similar in size)
    procs = [
        ctx.Process(target=_worker, args=(items[k::workers], shards[k], q), daemon=True)
        for k in range(workers)
    ]
    for p in procs:
        p.start()
    done = 0
    try:
        while done < workers:
            try:
                msg = q.get(timeout=5)
            except queue.Empty:
                dead = [p for p in procs if not p.is_alive() and p.exitcode not in (0, None)]
                if dead:
                    raise RuntimeError(
                        f"a reader process died (exit code {dead[0].exitcode})"
                    ) from None
                continue
            if msg[0] == "file":
                on_file(msg[1], msg[2], msg[3])
            elif msg[0] == "done":
                done += 1
            else:
                raise RuntimeError(f"a reader process failed:\n{msg[1]}")
    finally:
        for p in procs:
            if p.is_alive() and done < workers:
                p.terminate()
            p.join()
    return shards


def absorb_shards(writer, shards: list[Path], diags) -> int:
    """Merge reader shards into the edition ``writer``; returns the letters merged.

    A SQLite edition merges them in its own file (``ATTACH``, ``INSERT ... SELECT`` in C);
    any other store gets them merged in a private SQLite file first, then bulk-loaded table by
    table with ``writer.insert`` (COPY on PostgreSQL).
    """
    if writer.dialect == "sqlite":
        writer.commit()  # ATTACH is not allowed inside a transaction
        return merge_shards(writer.conn, shards, diags)
    with tempfile.TemporaryDirectory(prefix="epistola-merge-") as tmp:
        conn = sqlite3.connect(Path(tmp) / "merge.sqlite")
        conn.executescript(schema_sql())
        count = merge_shards(conn, shards, diags)
        for table in (*LETTER_TABLES, "sources", "entries", "entry_names", "org_relations_pending"):
            cur = conn.execute(f"SELECT * FROM {table}")
            while rows := cur.fetchmany(5000):
                writer.insert(table, rows)
        conn.close()
    return count


def _cols(alias: str, table: str) -> str:
    return ", ".join(f"{alias}.{c}" for c in TABLES[table].names)


def merge_shards(conn: sqlite3.Connection, shards: list[Path], diags) -> int:
    """Merge shards into the edition database ``conn`` (which has the edition schema).

    Letters: the first file (in source order) that uses an id wins; later copies are reported.
    Entries: a register file beats a letter's own registers; otherwise the first file wins.
    Returns the number of letters merged.
    """
    names = [f"s{k}" for k in range(len(shards))]
    for name, shard in zip(names, shards, strict=True):
        conn.execute(f"ATTACH DATABASE ? AS {name}", (str(shard),))
    try:

        def union(select: str) -> str:
            return " UNION ALL ".join(select.format(s=n, k=k) for k, n in enumerate(names))

        dupes = conn.execute(
            "SELECT id, source_index, source_path, source_line, k FROM ("
            + union("SELECT id, source_index, source_path, source_line, {k} AS k FROM {s}.letters")
            + ") WHERE id IN (SELECT id FROM ("
            + union("SELECT id FROM {s}.letters")
            + ") GROUP BY id HAVING COUNT(*) > 1) ORDER BY id, source_index"
        ).fetchall()
        first: dict[str, str] = {}
        for lid, _idx, path, line, k in dupes:
            if lid not in first:
                first[lid] = path
                continue
            diags.error(
                path,
                line,
                "duplicate-id",
                f"letter id {lid!r} is also used by {first[lid]}; "
                "this copy was skipped — give each letter its own xml:id",
            )
            for table in LETTER_TABLES:
                col = TABLES[table].letter_key
                conn.execute(f"DELETE FROM s{k}.{table} WHERE {col} = ?", (lid,))
        for table in LETTER_TABLES:
            for name in names:
                conn.execute(f"INSERT INTO main.{table} SELECT * FROM {name}.{table}")
        conn.execute(
            f"INSERT INTO main.sources ({', '.join(STAGE['stage_sources'].names[1:])}) SELECT "
            f"{', '.join(STAGE['stage_sources'].names[1:])} FROM ("
            + union("SELECT * FROM {s}.stage_sources")
            + ") ORDER BY src"
        )
        conn.execute("CREATE TEMP TABLE all_entries AS " + union("SELECT * FROM {s}.stage_entries"))
        conn.execute(
            "CREATE TEMP TABLE winners AS SELECT id, src FROM (SELECT id, src, ROW_NUMBER() "
            "OVER (PARTITION BY id ORDER BY from_letter, src) AS rn FROM all_entries) WHERE rn = 1"
        )
        conn.execute("CREATE INDEX temp.winners_id ON winners(id, src)")
        conn.execute(
            f"INSERT INTO main.entries SELECT {_cols('a', 'entries')} FROM all_entries a "
            "JOIN winners w ON w.id = a.id AND w.src = a.src"
        )
        for eid, paths in conn.execute(
            "SELECT id, GROUP_CONCAT(DISTINCT source_path) FROM all_entries WHERE from_letter = 0 "
            "GROUP BY id HAVING COUNT(DISTINCT source_path) > 1"
        ):
            ps = paths.split(",")
            diags.warning(
                ps[1],
                None,
                "duplicate-id",
                f"register id {eid!r} is also defined in {ps[0]}; the first is kept",
            )
        conn.execute(
            f"INSERT INTO main.entry_names SELECT {_cols('n', 'entry_names')} FROM ("
            + union("SELECT * FROM {s}.stage_names")
            + ") n JOIN winners w ON w.id = n.entry_id AND w.src = n.src"
        )
        conn.execute(
            "INSERT INTO main.org_relations_pending SELECT "
            f"{_cols('r', 'org_relations_pending')} FROM ("
            + union("SELECT * FROM {s}.stage_relations")
            + ") r LEFT JOIN winners w ON w.id = r.org AND w.src = r.src "
            "WHERE r.nested = 0 OR w.id IS NOT NULL"
        )
        conn.execute("DROP TABLE temp.all_entries")
        conn.execute("DROP TABLE temp.winners")
        count = conn.execute("SELECT COUNT(*) FROM main.letters").fetchone()[0]
        conn.commit()
    finally:
        for name in names:
            conn.execute(f"DETACH DATABASE {name}")
    return count
