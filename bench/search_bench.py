"""Search latency on a large edition, against the bare SQLite FTS5 floor, in one run.

    .venv/bin/python bench/generate.py --letters 100000 --out /tmp/epistola-bench/bench-100k.sqlite
    .venv/bin/python bench/search_bench.py /tmp/epistola-bench/bench-100k.sqlite --rounds 5

A fixed mix of queries (single words, phrases, names in several spellings, boolean and prefix,
filtered, faceted browsing) runs through ``epistola.search.query.search`` (page of 20 with
snippets, total and every facet counted over the whole result set). In the same run the same
queries run as bare FTS5 on a stock ``unicode61 remove_diacritics 2`` table over the same letter
texts, notes and titles (built once beside the edition as ``<edition>.floor.sqlite``): a page of
20 ordered by bm25 plus the total count, with the filters as plain SQL; no stemming, no name
variants, no facets, no snippets. Reports p50/p95/p99 of both and their ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from epistola import open_edition  # noqa: E402
from epistola.search.query import search  # noqa: E402

# (category, query, filters, floor FTS5 expression, floor SQL condition on letters l)
MIX = [
    ("word", "Burgtheater", {}, '"burgtheater"', ""),
    ("word", "Gesundheit", {}, '"gesundheit"', ""),
    ("word", "Premiere", {}, '"premiere"', ""),
    ("word", "Manuskript", {}, '"manuskript"', ""),
    ("word", "Verleger", {}, '"verleger"', ""),
    ("word", "Zeitung", {}, '"zeitung"', ""),
    ("word", "Brief", {}, '"brief"', ""),
    ("word", "Reise", {}, '"reise"', ""),
    ("word", "Abend", {}, '"abend"', ""),
    ("word", "Strasse", {}, '"strasse"', ""),
    ("phrase", '"lieber Freund"', {}, '"lieber freund"', ""),
    ("phrase", '"herzliche Grüße"', {}, '"herzliche grüße"', ""),
    ("phrase", '"Ihr ergebener"', {}, '"ihr ergebener"', ""),
    ("phrase", '"morgen Abend"', {}, '"morgen abend"', ""),
    ("phrase", '"in Wien"', {}, '"in wien"', ""),
    ("name", "Hofmannsthal", {}, '"hofmannsthal"', ""),
    ("name", "Hermann Bahr", {}, '"hermann" AND "bahr"', ""),
    ("name", "Brandes", {}, '"brandes"', ""),
    ("name", "Salten", {}, '"salten"', ""),
    ("name", "Goldmann", {}, '"goldmann"', ""),
    ("name", "Kraus", {}, '"kraus"', ""),
    ("boolean", "Theater NOT Burgtheater", {}, '"theater" NOT "burgtheater"', ""),
    ("boolean", "Brief OR Karte", {}, '"brief" OR "karte"', ""),
    ("boolean", "Regie*", {}, '"regie" *', ""),
    ("boolean", "=Briefe", {}, '"briefe"', ""),
    ("filtered", "Brief", {"year": 1900}, '"brief"', "l.year = 1900"),
    (
        "filtered",
        "Theater",
        {"start": "1895-01-01", "end": "1899-12-31"},
        '"theater"',
        "l.latest >= '1895-01-01' AND l.earliest <= '1899-12-31'",
    ),
    ("filtered", "Reise", {"kind": "postcard"}, '"reise"', "l.kind = 'postcard'"),
    ("filtered", "Wien", {"has_notes": True}, '"wien"', "l.has_notes = 1"),
    (
        "filtered",
        "Dank",
        {"sender": "pmb11740"},
        '"dank"',
        "l.id IN (SELECT letter_id FROM letter_agents WHERE entry_id = 'pmb11740' "
        "AND action = 'sent')",
    ),
    ("browse", "", {}, None, ""),
    ("browse", "", {"year": 1910}, None, "l.year = 1910"),
    (
        "browse",
        "",
        {"person": "pmb11740"},
        None,
        "l.id IN (SELECT letter_id FROM letter_agents WHERE entry_id = 'pmb11740' "
        "UNION SELECT letter_id FROM letter_mentions WHERE entry_id = 'pmb11740')",
    ),
]


def build_floor(edition: Path) -> Path:
    """The stock FTS5 table over the same texts, in its own file (built once)."""
    import sqlite3

    floor = edition.with_suffix(".floor.sqlite")
    if floor.exists():
        return floor
    t = time.perf_counter()
    tmp = floor.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    c = sqlite3.connect(tmp)
    c.execute("ATTACH DATABASE ? AS ed", (f"file:{edition}?mode=ro",))
    c.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(text, notes, title, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    c.execute(
        "INSERT INTO fts(rowid, text, notes, title) SELECT l.rowid, "
        "(SELECT group_concat(text, ' ') FROM ed.letter_texts t WHERE t.letter_id = l.id), "
        "(SELECT group_concat(text, ' ') FROM ed.notes n WHERE n.letter_id = l.id), "
        "l.title FROM ed.letters l"
    )
    c.commit()
    c.close()
    tmp.rename(floor)
    print(f"floor table built in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return floor


def floor_query(conn, expr: str | None, where: str) -> int:
    """A page of 20 by bm25 and the total, the bare minimum a result page needs."""
    if expr is None:
        cond = f"WHERE {where}" if where else ""
        conn.execute(f"SELECT l.id FROM letters l {cond} ORDER BY l.number LIMIT 20").fetchall()
        return conn.execute(f"SELECT COUNT(*) FROM letters l {cond}").fetchone()[0]
    base = "FROM floor.fts f WHERE fts MATCH ?"
    if where:  # "+" keeps SQLite from probing FTS5 once per filtered rowid (seconds, not ms)
        base += f" AND +f.rowid IN (SELECT l.rowid FROM letters l WHERE {where})"
    conn.execute(f"SELECT f.rowid {base} ORDER BY f.rank LIMIT 20", (expr,)).fetchall()
    return conn.execute(f"SELECT COUNT(*) {base}", (expr,)).fetchone()[0]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * (len(xs) - 1))))
    return xs[k] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("edition")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", help="write the per-query figures to this file")
    args = ap.parse_args()
    edition = Path(args.edition)
    floor = build_floor(edition)
    ed = open_edition(edition)
    store = ed.store
    store.conn.execute("ATTACH DATABASE ? AS floor", (f"file:{floor}?mode=ro",))
    n_letters = store.scalar("SELECT COUNT(*) FROM letters")
    t = time.perf_counter()
    search(store, "")  # loads the facet arrays once (cached per edition file)
    load = time.perf_counter() - t
    ours: dict[int, list[float]] = {i: [] for i in range(len(MIX))}
    bare: dict[int, list[float]] = {i: [] for i in range(len(MIX))}
    totals = {}
    for i, (_, q, filters, expr, where) in enumerate(MIX):  # warm the page cache
        totals[i] = (
            search(store, q, filters=filters)["total"],
            floor_query(store.conn, expr, where),
        )
    for _ in range(args.rounds):
        for i, (_, q, filters, expr, where) in enumerate(MIX):
            t = time.perf_counter()
            search(store, q, filters=filters)
            ours[i].append(time.perf_counter() - t)
            t = time.perf_counter()
            floor_query(store.conn, expr, where)
            bare[i].append(time.perf_counter() - t)
    all_ours = [x for v in ours.values() for x in v]
    all_bare = [x for v in bare.values() for x in v]
    print(f"{n_letters:,} letters; {len(MIX)} queries x {args.rounds} rounds; "
          f"facet arrays loaded once in {load * 1000:.0f} ms")  # fmt: skip
    print(f"{'':10} {'p50':>8} {'p95':>8} {'p99':>8}   (ms)")
    for name, xs in (("search", all_ours), ("bare FTS5", all_bare)):
        print(f"{name:10} {pct(xs, 50):8.1f} {pct(xs, 95):8.1f} {pct(xs, 99):8.1f}")
    print(f"ratio p95: {pct(all_ours, 95) / pct(all_bare, 95):.2f}x")
    print(f"\n{'category':9} {'query':28} {'hits':>7} {'floor':>7} {'ms':>7} {'bare':>7}")
    rows = []
    for i, (cat, q, filters, _, _) in enumerate(MIX):
        label = (q or "(all)") + (" " + json.dumps(filters, ensure_ascii=False) if filters else "")
        m, b = statistics.median(ours[i]) * 1000, statistics.median(bare[i]) * 1000
        print(f"{cat:9} {label[:28]:28} {totals[i][0]:7} {totals[i][1]:7} {m:7.1f} {b:7.1f}")
        rows.append({"category": cat, "query": q, "filters": filters, "hits": totals[i][0],
                     "floor_hits": totals[i][1], "ms": round(m, 2), "bare_ms": round(b, 2)})  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
