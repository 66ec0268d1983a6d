"""Make a large edition from the real Schnitzler corpus, for the search benchmark.

    .venv/bin/python bench/generate.py --letters 100000 --out /tmp/epistola-bench/bench-100k.sqlite

Each generated letter is a copy of a Schnitzler letter (its texts, notes, facsimiles, kind and
structure) with a new id, the date of another randomly chosen letter, and its senders,
addressees and mentioned persons, places, organisations and works replaced through a random
permutation of the register (per copy, within each kind), so names, dates and texts are shuffled
while text statistics, register sizes and the letter/metadata structure stay those of the corpus.

The edition is written directly as an edition file (SQL from the ingested corpus), then
resolved (numbering, links) and indexed with the same ``build_index`` that ingest runs. Why not
TEI files: 100,000 letters would be about 2.7 GB of XML and ingesting them takes tens of minutes
on the shared two-core machine; the search benchmark needs the stored edition, not the files.
The generated letters have no stored text tree (``letters.data`` is a stub): reading-room pages
of them are bare, the search tables are complete.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from epistola.diagnostics import Diagnostics  # noqa: E402
from epistola.resolve import resolve  # noqa: E402
from epistola.search.index import build_index  # noqa: E402
from epistola.store.sqlite import SQLiteWriter  # noqa: E402

SCHNITZLER = ROOT.parent / "shared" / "corpora" / "schnitzler-briefe" / "data"
SHUFFLED_KINDS = ("person", "place", "org", "work")


def source_edition(path: str | None, workdir: Path) -> Path:
    """An ingested Schnitzler edition: ``path`` if given, else ingest the corpus once."""
    if path:
        return Path(path)
    target = workdir / "schnitzler.sqlite"
    if not target.exists():
        from epistola import ingest

        print(f"ingesting {SCHNITZLER} -> {target}", file=sys.stderr)
        ingest([SCHNITZLER], target)
    return target


def generate(source: Path, target: Path, letters: int, seed: int = 1) -> dict:
    rnd = random.Random(seed)
    t0 = time.perf_counter()
    w = SQLiteWriter(target)
    try:
        return _generate(w, rnd, source, target, letters, t0)
    except BaseException:
        w.abort()
        raise


def _generate(w, rnd, source, target, letters, t0) -> dict:
    c = w.conn
    c.execute("ATTACH DATABASE ? AS src", (f"file:{source}?mode=ro",))
    src_ids = [r[0] for r in c.execute("SELECT id FROM src.letters ORDER BY rowid")]
    copies = -(-letters // len(src_ids))
    c.execute(
        "CREATE TEMP TABLE letter_map (new_id TEXT, src_id TEXT, date_id TEXT, copy INTEGER, "
        "n INTEGER)"
    )
    c.execute("CREATE TEMP TABLE entity_map (copy INTEGER, src TEXT, new TEXT)")
    rows, n = [], 0
    for copy in range(copies):
        order = src_ids[:]
        rnd.shuffle(order)
        dates = src_ids[:]
        rnd.shuffle(dates)
        for src, date in zip(order, dates, strict=True):
            if n >= letters:
                break
            n += 1
            rows.append((f"G{n:06d}", src, date, copy, n))
    c.executemany("INSERT INTO letter_map VALUES (?, ?, ?, ?, ?)", rows)
    c.execute("CREATE INDEX temp.letter_map_src ON letter_map(src_id)")
    by_kind: dict[str, list[str]] = {}
    for eid, kind in c.execute("SELECT id, kind FROM src.entries"):
        if kind in SHUFFLED_KINDS:
            by_kind.setdefault(kind, []).append(eid)
    emap = []
    for copy in range(copies):
        for ids in by_kind.values():
            perm = ids[:]
            rnd.shuffle(perm)
            emap += [(copy, a, b) for a, b in zip(ids, perm, strict=True)]
    c.executemany("INSERT INTO entity_map VALUES (?, ?, ?)", emap)
    c.execute("CREATE INDEX temp.entity_map_key ON entity_map(copy, src)")
    for table in ("entries", "entry_names", "front", "photographs"):
        c.execute(f"INSERT INTO {table} SELECT * FROM src.{table}")
    c.execute(
        "INSERT INTO letters SELECT m.new_id, NULL, NULL, NULL, l.title, l.kind, d.date_text, "
        "d.date_display, d.edtf, d.earliest, d.latest, d.certainty, d.calendar, d.ord, NULL, "
        "NULL, l.place_sent, l.place_received, l.languages, l.has_notes, l.has_facsimile, "
        "l.words, l.source_path, l.source_line, m.n, "
        "json_object('id', m.new_id, 'kind', l.kind, 'languages', json_array(l.languages)) "
        "FROM letter_map m JOIN src.letters l ON l.id = m.src_id "
        "JOIN src.letters d ON d.id = m.date_id ORDER BY m.n"
    )
    mapped = "COALESCE((SELECT e.new FROM entity_map e WHERE e.copy = m.copy AND e.src = {0}), {0})"
    c.execute(
        "INSERT INTO letter_agents SELECT m.new_id, a.action, a.position, a.ref, "
        f"{mapped.format('a.entry_id')}, a.name, a.kind, {mapped.format('a.place_ref')}, "
        "a.place_name FROM letter_map m JOIN src.letter_agents a ON a.letter_id = m.src_id"
    )
    c.execute(  # display names follow the shuffled register entries
        "UPDATE letter_agents SET name = (SELECT e.name FROM entries e WHERE e.id = entry_id) "
        "WHERE entry_id IN (SELECT id FROM entries)"
    )
    c.execute(
        "INSERT INTO letter_mentions SELECT m.new_id, x.ref, "
        f"{mapped.format('x.entry_id')}, x.kind, x.place, x.stance, x.line "
        "FROM letter_map m JOIN src.letter_mentions x ON x.letter_id = m.src_id"
    )
    for table, cols in (
        ("letter_texts", "version, lang, type, text"),
        ("notes", "n, note_id, type, text, data"),
        ("facsimiles", "position, url, label, kind"),
        ("letter_subjects", "subject, level"),
        ("letter_terms", "term, expan, entry_id"),
    ):
        cols = ", ".join(f"x.{col.strip()}" for col in cols.split(","))
        c.execute(
            f"INSERT INTO {table} SELECT m.new_id, {cols} FROM letter_map m "
            f"JOIN src.{table} x ON x.letter_id = m.src_id ORDER BY m.n"
        )
    for col, action in (("sender", "sent"), ("addressee", "received")):
        c.execute(
            f"UPDATE letters SET {col} = (SELECT group_concat(a.name, '; ') FROM letter_agents a "
            f"WHERE a.letter_id = letters.id AND a.action = '{action}')"
        )
    c.execute("UPDATE letters SET title = COALESCE(sender, '?') || ' an ' || "
              "COALESCE(addressee, '?') || ', ' || COALESCE(date_display, 'o. D.')")  # fmt: skip
    meta = dict(c.execute("SELECT key, value FROM src.meta WHERE key = 'edition'").fetchall())
    c.commit()
    c.execute("DETACH DATABASE src")
    if meta:
        c.execute("INSERT OR REPLACE INTO meta VALUES ('edition', ?)", (meta["edition"],))
    t1 = time.perf_counter()
    resolve(w, Diagnostics())
    t2 = time.perf_counter()
    edition = w.get_meta("edition") or {}
    build_index(w, edition.get("languages") or [])
    t3 = time.perf_counter()
    w.finish()
    return {
        "letters": n,
        "copy_seconds": round(t1 - t0, 1),
        "resolve_seconds": round(t2 - t1, 1),
        "index_seconds": round(t3 - t2, 1),
        "total_seconds": round(time.perf_counter() - t0, 1),
        "size_mb": round(target.stat().st_size / 1e6),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--letters", type=int, default=100_000)
    ap.add_argument("--out", default="/tmp/epistola-bench/bench-100k.sqlite")
    ap.add_argument("--source", help="an ingested Schnitzler edition (default: ingest it)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    src = source_edition(args.source, out.parent)
    print(generate(src, out, args.letters, args.seed))


if __name__ == "__main__":
    main()
