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
import shutil
import sqlite3
import traceback
from collections import defaultdict
from pathlib import Path

from ..diagnostics import Diagnostic
from ..read import ReadState, read_file
from ..store.codec import entry_row, letter_rows
from ..store.guard import die_with_parent, temp_dir
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


def read_into_shard(items, shard: Path, report, *, stateful: bool = True) -> None:
    """Read ``items`` ((index, path) pairs) into a new shard file; ``report(path, diagnostics,
    series titles of its letters, inputs)`` is called after each file. Rows are buffered and
    written in batches. ``stateful=False``: every file is read on its own (no ReadState), so
    its rows depend on its content alone (what the incremental ingest keeps)."""
    conn = sqlite3.connect(shard)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.executescript(schema_sql() + STAGING)
    state = ReadState() if stateful else None  # this process's memory from file to file
    own_letters: dict[str, tuple] = {}  # letter id -> (path, line)
    own_matters: dict[str, tuple] = {}  # matter id -> (path, line, letter id)
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
                prev = own_letters.get(letter.id)
                if prev is not None:
                    flush()  # the earlier letter may be renamed in the shard
                    diags.append(_same_letter_id(conn, "main", letter, path, prev, own_letters))
                own_letters[letter.id] = (path, letter.source_line)
                _own_matter_ids(letter, path, own_matters, diags)
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
            report(path, diags, [x.series for x in doc.letters if x.series], doc.inputs)
            if done % 64 == 0:
                flush()
        flush()
        conn.commit()
    finally:
        conn.close()


def _worker(items, shard, q, parent, stateful) -> None:
    die_with_parent(parent)
    try:
        read_into_shard(
            items, shard, lambda p, d, s, i: q.put(("file", p, d, s, i)), stateful=stateful
        )
        q.put(("done", str(shard)))
    except BaseException:  # report, so the main process fails loudly instead of waiting
        q.put(("error", traceback.format_exc()))


def read_parallel(
    files: list[str],
    workdir: Path,
    workers: int,
    on_file,
    *,
    items: list[tuple[int, str]] | None = None,
    stateful: bool = True,
) -> list[Path]:
    """Read ``files`` with ``workers`` processes into shards under ``workdir``; return them.
    ``on_file(path, diagnostics, series titles, inputs)`` runs in this process for every file
    read. ``items`` ((source index, path) pairs) reads only those files."""
    items = list(enumerate(files)) if items is None else items
    if workers <= 1 or len(items) < 16:
        shard = workdir / "shard-0.sqlite"
        read_into_shard(items, shard, on_file, stateful=stateful)
        return [shard]
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    q = ctx.Queue()
    shards = [workdir / f"shard-{k}.sqlite" for k in range(workers)]
    # interleaved shares balance the load without a task queue (files are similar in size)
    procs = [
        ctx.Process(
            target=_worker,
            args=(items[k::workers], shards[k], q, os.getpid(), stateful),
            daemon=True,
        )
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
                on_file(msg[1], msg[2], msg[3], msg[4])
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


def absorb_shards(writer, shards: list[Path], diags, *, letters: bool = True) -> int:
    """Merge reader shards into the edition ``writer``; returns the letters merged.

    A SQLite edition merges them in its own file (``ATTACH``, ``INSERT ... SELECT`` in C);
    any other store gets them merged in a private SQLite file first, then bulk-loaded table by
    table with ``writer.insert`` (COPY on PostgreSQL).
    """
    if writer.dialect == "sqlite":
        writer.commit()  # ATTACH is not allowed inside a transaction
        return merge_shards(writer.conn, shards, diags, letters=letters)
    tmp = temp_dir("merge")
    try:
        conn = sqlite3.connect(tmp / "merge.sqlite")
        conn.executescript(schema_sql())
        count = merge_shards(conn, shards, diags)
        for table in (*LETTER_TABLES, "sources", "entries", "entry_names", "org_relations_pending"):
            cur = conn.execute(f"SELECT * FROM {table}")
            while rows := cur.fetchmany(5000):
                writer.insert(table, rows)
        conn.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return count


def _cols(alias: str, table: str) -> str:
    return ", ".join(f"{alias}.{c}" for c in TABLES[table].names)


def merge_shards(
    conn: sqlite3.Connection, shards: list[Path], diags, *, letters: bool = True
) -> int:
    """Merge shards into the edition database ``conn`` (which has the edition schema).

    Letters: every letter is kept; of two that share an id, the file named after the id keeps
    it (else the first in source order), the other takes an id from its file name (an error).
    Matters that share an id: the later is stored as ``<letter id>-<id>`` (a warning).
    Entries: a register file beats a letter's own registers; otherwise the first file wins.
    Returns the number of letters merged.
    """
    names = [f"s{k}" for k in range(len(shards))]
    for name, shard in zip(names, shards, strict=True):
        conn.execute(f"ATTACH DATABASE ? AS {name}", (str(shard),))
    try:

        def union(select: str) -> str:
            return " UNION ALL ".join(select.format(s=n, k=k) for k, n in enumerate(names))

        _merge_duplicates(conn, names, union, diags)
        # rows in source order (file, then as read), however the files were shared out: the
        # edition is the same with any number of workers, and from an incremental ingest
        for table in LETTER_TABLES if letters else ():  # (else in the edition already)
            if len(names) == 1:  # one shard is in source order already
                conn.execute(f"INSERT INTO main.{table} SELECT * FROM {names[0]}.{table}")
                continue
            if table == "letters":
                join, order = "", "x.source_index"
            else:
                join = f" JOIN {{s}}.letters l ON l.id = x.{TABLES[table].letter_key}"
                order = "l.source_index"
            conn.execute(
                f"INSERT INTO main.{table} SELECT {', '.join(TABLES[table].names)} FROM ("
                + union(f"SELECT {_cols('x', table)}, {order} AS o1, x.rowid AS o2 "
                        f"FROM {{s}}.{table} x{join}")
                + ") ORDER BY o1, o2"
            )  # fmt: skip
        conn.execute(
            f"INSERT INTO main.sources ({', '.join(STAGE['stage_sources'].names[1:])}) SELECT "
            f"{', '.join(STAGE['stage_sources'].names[1:])} FROM ("
            + union("SELECT * FROM {s}.stage_sources")
            + ") ORDER BY src"
        )
        conn.execute(
            "CREATE TEMP TABLE all_entries AS SELECT * FROM ("
            + union("SELECT *, rowid AS o2 FROM {s}.stage_entries")
            + ") ORDER BY src, o2"
        )
        conn.execute(
            "CREATE TEMP TABLE winners AS SELECT id, src FROM (SELECT id, src, ROW_NUMBER() "
            "OVER (PARTITION BY id ORDER BY from_letter, src) AS rn FROM all_entries) WHERE rn = 1"
        )
        conn.execute("CREATE INDEX temp.winners_id ON winners(id, src)")
        conn.execute(
            f"INSERT INTO main.entries SELECT {_cols('a', 'entries')} FROM all_entries a "
            "JOIN winners w ON w.id = a.id AND w.src = a.src ORDER BY a.src, a.o2"
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
            + union("SELECT *, rowid AS o2 FROM {s}.stage_names")
            + ") n JOIN winners w ON w.id = n.entry_id AND w.src = n.src ORDER BY n.src, n.o2"
        )
        conn.execute(
            "INSERT INTO main.org_relations_pending SELECT "
            f"{_cols('r', 'org_relations_pending')} FROM ("
            + union("SELECT *, rowid AS o2 FROM {s}.stage_relations")
            + ") r LEFT JOIN winners w ON w.id = r.org AND w.src = r.src "
            "WHERE r.nested = 0 OR w.id IS NOT NULL ORDER BY r.src, r.o2"
        )
        conn.execute("DROP TABLE temp.all_entries")
        conn.execute("DROP TABLE temp.winners")
        count = conn.execute("SELECT COUNT(*) FROM main.letters").fetchone()[0]
        conn.commit()
    finally:
        for name in names:
            conn.execute(f"DETACH DATABASE {name}")
    return count


# -- letters and matters that share an id ---------------------------------------------------------


def keeps_id(lid: str, paths: list[str]) -> str:
    """Of files whose letters share the id ``lid`` (in source order), the one that keeps it:
    the file named after the id, else the first."""
    return next((p for p in paths if Path(p).stem == lid), paths[0])


def _free_id(base: str, taken) -> str:
    new, n = base, 1
    while new in taken:
        n += 1
        new = f"{base}-{n}"
    return new


def _rename_letter(conn, schema: str, old: str, new: str) -> None:
    conn.execute(
        f"UPDATE {schema}.letters SET id = ?, data = json_set(data, '$.id', ?) WHERE id = ?",
        (new, new, old),
    )
    for table in LETTER_TABLES[1:]:
        col = TABLES[table].letter_key
        conn.execute(f"UPDATE {schema}.{table} SET {col} = ? WHERE {col} = ?", (new, old))


def _same_id_diagnostic(lid, new, path, line, keeper) -> Diagnostic:
    return Diagnostic(
        path,
        line,
        "error",
        "duplicate-id",
        f"letter id {lid!r} is also used by {keeper}, which keeps it; this letter is kept "
        f"as {new!r} (from its file name): give each letter its own xml:id",
    )


def _same_letter_id(conn, schema, letter, path, prev, own_letters) -> Diagnostic:
    """A letter whose id an earlier letter of this shard has: one of them takes a new id."""
    lid, (prev_path, prev_line) = letter.id, prev
    if keeps_id(lid, [prev_path, path]) == path:  # the earlier one gives the id up
        new = _free_id(Path(prev_path).stem, own_letters)
        _rename_letter(conn, schema, lid, new)
        own_letters[new] = prev
        return _same_id_diagnostic(lid, new, prev_path, prev_line, path)
    new = _free_id(Path(path).stem, own_letters)
    letter.id = new
    for m in letter.matters:
        m.letter_id = new
    return _same_id_diagnostic(lid, new, path, letter.source_line, prev_path)


def _same_matter_diagnostic(mid, new, path, line, first) -> Diagnostic:
    where = f"{first[0]}" + (f" line {first[1]}" if first[1] else "")
    return Diagnostic(
        path,
        line,
        "warning",
        "duplicate-matter-id",
        f"matter id {mid!r} is also used in {where}; this one is stored as {new!r}: "
        "give each matter its own xml:id",
    )


def _own_matter_ids(letter, path: str, seen: dict, diags: list) -> None:
    for m in letter.matters:
        first = seen.get(m.id)
        if first is not None:
            new = _free_id(f"{letter.id}-{m.id}", seen)
            diags.append(_same_matter_diagnostic(m.id, new, path, m.line, first))
            if first[2] != letter.id:  # within one letter the quantities stay with the first
                for q in letter.quantities:
                    if q.matter == m.id:
                        q.matter = new
            m.id = new
        seen[m.id] = (path, m.line, letter.id)


def _fields(d: Diagnostic) -> tuple:
    return d.path, d.line, d.severity, d.code, d.message


def _merge_duplicates(conn, names: list[str], union, diags) -> None:
    """Letters and matters that share an id across shards, renamed in their shards."""
    dupes = conn.execute(
        "SELECT id, source_index, source_path, source_line, k FROM ("
        + union("SELECT id, source_index, source_path, source_line, {k} AS k FROM {s}.letters")
        + ") WHERE id IN (SELECT id FROM ("
        + union("SELECT id FROM {s}.letters")
        + ") GROUP BY id HAVING COUNT(*) > 1) ORDER BY id, source_index"
    ).fetchall()
    if dupes:
        taken = {r[0] for r in conn.execute(union("SELECT id FROM {s}.letters"))}
        groups = defaultdict(list)
        for row in dupes:
            groups[row[0]].append(row)
        for lid, rows in groups.items():
            keeper = keeps_id(lid, [r[2] for r in rows])
            kept = False
            for _lid, _idx, path, line, k in rows:
                if path == keeper and not kept:
                    kept = True
                    continue
                new = _free_id(Path(path).stem, taken)
                taken.add(new)
                _rename_letter(conn, names[k], lid, new)
                diags.add(*_fields(_same_id_diagnostic(lid, new, path, line, keeper)))
    matters = conn.execute(
        "SELECT id, letter_id, source_path, line, k FROM ("
        + union(
            "SELECT m.id, m.letter_id, l.source_path, l.source_index, {k} AS k, "
            "(SELECT json_extract(j.value, '$.line') FROM json_each(l.data, '$.matters') j "
            "WHERE json_extract(j.value, '$.id') = m.id) AS line "
            "FROM {s}.matters m JOIN {s}.letters l ON l.id = m.letter_id"
        )
        + ") WHERE id IN (SELECT id FROM ("
        + union("SELECT id FROM {s}.matters")
        + ") GROUP BY id HAVING COUNT(*) > 1) ORDER BY id, source_index"
    ).fetchall()
    seen: dict[str, tuple] = {}
    for mid, lid, path, line, k in matters:
        if mid not in seen:
            seen[mid] = (path, line, lid)
            continue
        new = _free_id(f"{lid}-{mid}", seen)
        seen[new] = (path, line, lid)
        conn.execute(
            f"UPDATE {names[k]}.matters SET id = ? WHERE id = ? AND letter_id = ?", (new, mid, lid)
        )
        conn.execute(
            f"UPDATE {names[k]}.quantities SET matter_id = ? WHERE matter_id = ? AND letter_id = ?",
            (new, mid, lid),
        )
        diags.add(*_fields(_same_matter_diagnostic(mid, new, path, line, seen[mid])))
