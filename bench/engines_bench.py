"""SQLite FTS5 against Tantivy on the same analysed letters, at a size of your choosing.

    .venv/bin/pip install "tantivy==0.27.*"     # not a dependency of Epistola; this bench only
    .venv/bin/python bench/engines_bench.py /tmp/schnitzler.sqlite --letters 100000 --rounds 5

Both engines index the same token streams: the Schnitzler letters analysed once by Epistola's
own code (``search/index.py: analyse_letter``: folded, lemmatised, stemmed keys in the text, notes
and title columns, entry tokens, exact forms), repeated to ``--letters`` documents, each copy
with random facet values (year, kind, sender, addressee, person, place, organisation: sizes
taken from the corpus). The texts are streamed into both indexes (never all held at once).

Per query, both engines answer what a result page needs: the top 20 by BM25, the total, and
the counts of 7 facets over the whole result set (no snippets):

- FTS5: the same contentless table and rank as Epistola's index (``FTS``, ``RANK``); every
  matching rowid with its rank, top 20 and facet counts with numpy (as ``search/query.py``);
- Tantivy 0.27: the same fields (whitespace-split, positions kept), ``search(limit=20,
  count=True)`` and one ``terms`` aggregation per facet over fast fields.

Reports build time, index size, and p50/p95/p99 per engine over the query mix, and per query
both totals and how many of the top 20 agree, as documents and as source letters (copies of a
letter tie, and the two BM25s weigh columns differently, so the top 20 documents may differ
where the totals agree); ``--json`` writes them. The analysed rows of the source edition are cached beside it
(``<edition>.rows.pickle``).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from epistola import open_edition  # noqa: E402
from epistola.search.facets import entity_pairs_of  # noqa: E402
from epistola.search.fold import Analyzer, tokens  # noqa: E402
from epistola.search.index import FTS, RANK, _letter_inputs, analyse_letter  # noqa: E402

COLS = ("text", "notes", "title")
FACETS = ("year", "kind", "sender", "addressee", "person", "place", "org")
# (words, phrase?) in the words historians type, analysed like a query by Epistola's Analyzer
MIX = [
    ("Burgtheater", False), ("Gesundheit", False), ("Premiere", False), ("Manuskript", False),
    ("Verleger", False), ("Zeitung", False), ("Brief", False), ("Reise", False),
    ("Abend", False), ("Strasse", False), ("Hofmannsthal", False), ("Salten", False),
    ("Wien", False), ("Theater Wien", False), ("lieber Freund", True), ("herzliche Grüße", True),
    ("in Wien", True), ("morgen Abend", True),
]  # fmt: skip


def source_rows(edition: Path) -> list[tuple]:
    """Epistola's FTS rows of every letter of ``edition`` (cached beside it)."""
    cache = edition.with_suffix(".rows.pickle")
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    with open_edition(edition) as ed:
        store = ed.store
        meta = store.get_meta("search") or {}
        analyzer = Analyzer(meta.get("latin") or ["de"])
        items = _letter_inputs(store, entity_pairs_of(store))
        rows = [analyse_letter(analyzer, it) for it in items]
    cache.write_bytes(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
    return rows


def documents(rows: list[tuple], n: int, seed: int = 7):
    """n documents: (i, text, notes, title, exact, facet values, source letter), generated one
    at a time."""
    rng = random.Random(seed)
    sizes = {"year": 60, "kind": 8, "sender": 2000, "addressee": 2000, "person": 5000,
             "place": 2500, "org": 600}  # fmt: skip
    for i in range(n):
        k = rng.randrange(len(rows))
        r = rows[k]
        values = [rng.randrange(sizes[f]) for f in FACETS]
        yield i, r[1], r[2], r[3], r[5], values, k


def build_fts(path: Path, rows, n: int) -> tuple[float, np.ndarray, np.ndarray]:
    """Epistola's contentless FTS5 table over n documents; (seconds, facet values array,
    source letter per document)."""
    path.unlink(missing_ok=True)
    t = time.perf_counter()
    c = sqlite3.connect(path)
    c.execute(f"CREATE VIRTUAL TABLE fts USING {FTS}")
    c.execute("INSERT INTO fts(fts, rank) VALUES ('rank', ?)", (RANK,))
    facets = np.zeros((n, len(FACETS)), dtype=np.int32)
    source = np.zeros(n, dtype=np.int32)
    batch = []
    for i, text, notes, title, exact, values, k in documents(rows, n):
        facets[i] = values
        source[i] = k
        batch.append((i + 1, text, notes, title, "", exact))
        if len(batch) == 5000:
            c.executemany(
                "INSERT INTO fts(rowid, text, notes, title, names, exact) VALUES (?,?,?,?,?,?)",
                batch,
            )
            batch = []
    if batch:
        c.executemany(
            "INSERT INTO fts(rowid, text, notes, title, names, exact) VALUES (?,?,?,?,?,?)", batch
        )
    c.commit()
    c.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    c.commit()
    c.close()
    return time.perf_counter() - t, facets, source


def build_tantivy(path: Path, rows, n: int) -> float:
    import tantivy

    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    t = time.perf_counter()
    sb = tantivy.SchemaBuilder()
    for col in (*COLS, "exact"):
        sb.add_text_field(col, tokenizer_name="ws", index_option="position")
    sb.add_unsigned_field("doc", stored=True, fast=True)
    for f in FACETS:
        sb.add_unsigned_field(f, fast=True)
    schema = sb.build()
    index = tantivy.Index(schema, path=str(path))
    index.register_tokenizer(
        "ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    )
    writer = index.writer(heap_size=200_000_000, num_threads=2)
    for i, text, notes, title, exact, values, _ in documents(rows, n):
        doc = tantivy.Document()
        for col, value in zip((*COLS, "exact"), (text, notes, title, exact), strict=True):
            doc.add_text(col, value)
        doc.add_unsigned("doc", i)
        for f, v in zip(FACETS, values, strict=True):
            doc.add_unsigned(f, v)
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - t


def query_keys(analyzer: Analyzer, words: str) -> list[str]:
    return analyzer.stem_all(tokens(words), analyzer.latin[0])


def fts_query(conn, facets: np.ndarray, keys: list[str], phrase: bool) -> tuple[int, list]:
    if phrase:
        expr = "{text notes title} : " + '"' + " ".join(keys) + '"'
    else:
        expr = " AND ".join("{text notes title} : " + f'"{k}"' for k in keys)
    got = conn.execute("SELECT rowid, rank FROM fts WHERE fts MATCH ?", (expr,)).fetchall()
    if not got:
        return 0, []
    a = np.array(got)
    ids, rank = a[:, 0].astype(np.int64) - 1, a[:, 1]
    top = ids[np.argsort(rank, kind="stable")[:20]]
    sub = facets[ids]
    counts = [np.bincount(sub[:, j]) for j in range(len(FACETS))]
    [np.argsort(-c, kind="stable")[:30] for c in counts]  # the 30 values a facet shows
    return len(ids), top.tolist()


def tantivy_query(searcher, index, keys: list[str], phrase: bool) -> tuple[int, list]:
    import tantivy

    schema = index.schema
    if phrase:
        parts = [tantivy.Query.phrase_query(schema, col, keys) for col in COLS]
        q = tantivy.Query.boolean_query([(tantivy.Occur.Should, p) for p in parts])
    else:
        per_key = [
            tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(schema, col, k)) for col in COLS]
            )
            for k in keys
        ]
        q = tantivy.Query.boolean_query([(tantivy.Occur.Must, p) for p in per_key])
    res = searcher.search(q, 20, count=True)
    aggs = {f: {"terms": {"field": f, "size": 30}} for f in FACETS}
    searcher.aggregate(q, aggs)
    top = [searcher.doc(addr)["doc"][0] for _, addr in res.hits]
    return res.count, top


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[max(0, min(len(xs) - 1, round(p / 100 * (len(xs) - 1))))] * 1000


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("edition", type=Path)
    ap.add_argument("--letters", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--work", type=Path, default=Path("/tmp/epistola-engines"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    import tantivy

    args.work.mkdir(parents=True, exist_ok=True)
    out: dict = {"letters": args.letters, "load_average_start": os.getloadavg()}
    t = time.perf_counter()
    rows = source_rows(args.edition)
    out["source_letters"] = len(rows)
    out["analysis_seconds"] = round(time.perf_counter() - t, 1)
    fts_path = args.work / f"fts-{args.letters}.sqlite"
    tv_path = args.work / f"tantivy-{args.letters}"
    secs, facets, source = build_fts(fts_path, rows, args.letters)
    out["fts5"] = {"build_seconds": round(secs, 1), "bytes": size_of(fts_path)}
    secs = build_tantivy(tv_path, rows, args.letters)
    out["tantivy"] = {"build_seconds": round(secs, 1), "bytes": size_of(tv_path)}

    analyzer = Analyzer(["de"])
    conn = sqlite3.connect(f"file:{fts_path}?mode=ro", uri=True)
    index = tantivy.Index.open(str(tv_path))
    index.register_tokenizer(
        "ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    )
    index.reload()
    searcher = index.searcher()
    times: dict[str, list[float]] = {"fts5": [], "tantivy": []}
    per_query = []
    for words, phrase in MIX:  # warm both, and compare their answers
        keys = query_keys(analyzer, words)
        a = fts_query(conn, facets, keys, phrase)
        b = tantivy_query(searcher, index, keys, phrase)
        per_query.append({"query": words, "phrase": phrase, "fts5_total": a[0],
                          "tantivy_total": b[0],
                          "top20_same_docs": len(set(a[1]) & set(b[1])),
                          "top20_same_letters": len({int(source[x]) for x in a[1]}
                                                    & {int(source[x]) for x in b[1]})})  # fmt: skip
    for _ in range(args.rounds):
        for words, phrase in MIX:
            keys = query_keys(analyzer, words)
            t = time.perf_counter()
            fts_query(conn, facets, keys, phrase)
            times["fts5"].append(time.perf_counter() - t)
            t = time.perf_counter()
            tantivy_query(searcher, index, keys, phrase)
            times["tantivy"].append(time.perf_counter() - t)
    for name, xs in times.items():
        out[name].update({f"p{p}_ms": round(pct(xs, p), 1) for p in (50, 95, 99)})
        out[name]["median_ms"] = round(statistics.median(xs) * 1000, 1)
    out["queries"] = per_query
    out["load_average_end"] = os.getloadavg()
    text = json.dumps(out, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
