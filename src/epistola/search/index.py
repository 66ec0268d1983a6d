"""Builds the search index inside the edition store (SQLite FTS5), as the last step of ingest.

Tables written (all prefixed ``search_``):

- ``search_letters``: contentless FTS5, one row per letter (rowid = ``letters.rowid``); columns
  ``text`` (stems of every text version), ``notes`` (stems of the notes), ``title`` (stems of
  title, sender, addressee, places), ``names`` (one token ``n<entries.rowid>`` per register
  entry sent, received or mentioned), ``exact`` (folded, unstemmed words of all of these);
- ``search_other`` + ``search_other_docs``: the same for front matter and register entries;
- ``search_name_keys``: name key -> entry (see names.py), to expand name queries;
- ``search_arrays``: per-letter facet arrays (numpy buffers) so facets are counted in memory.

Text is analysed in Python (fold.py: fold, then stem per script and language) because SQLite's
FTS5 here neither stems nor folds ё or ß; the FTS5 tokenizer only splits on spaces.

On PostgreSQL the same rows are analysed the same way and stored as an inverted index instead of
FTS5 tables (pg.py: ``search_postings``); the other tables are the same.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import time

import numpy as np

from .columns import COLUMNS, RANK
from .facets import build_arrays, entity_pairs_of
from .fold import Analyzer, base_lang, tokens
from .names import entry_keys

# Words arrive analysed and space-separated; the ascii tokenizer splits them on spaces (and keeps
# every non-ASCII character), which is all that is needed and faster than unicode61.
FTS = "fts5(" + ", ".join(COLUMNS) + ", content='', tokenize='ascii')"
NAME_KINDS = ("person", "place", "org")
INDEX_VERSION = 2  # 2: Russian words lemmatised, compound parts indexed


def entity_token(rowid: int) -> str:
    return f"n{rowid}"


def build_index(store, languages, *, memo=None) -> None:
    """Create and fill the search tables of ``store`` (a SQLite or PostgreSQL writer) for
    ``languages``. ``memo`` (incremental ingest, ingest/cache.py) keeps each letter's analysed
    text by a digest of what it was analysed from: only new or changed letters are analysed."""
    languages = list(languages or []) or text_languages(store)
    analyzer = Analyzer(languages)
    if getattr(store, "dialect", "sqlite") != "sqlite":
        from . import pg  # the same keys, in PostgreSQL's own tables (pg.py)

        pg.prepare(store)
    else:
        _create_sqlite_tables(store)
    seconds = {}
    t = time.perf_counter()
    pairs = {}
    for step, fn in (
        ("names", lambda: _name_keys(store)),
        ("pairs", lambda: pairs.update(entity_pairs_of(store))),
        ("letters", lambda: _letters(store, analyzer, pairs, memo)),
        ("other", lambda: _other(store, analyzer)),
        ("arrays", lambda: build_arrays(store, pairs)),
    ):
        vocab = fn()
        seconds[step] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
    store.set_meta(
        "search",
        {
            "version": INDEX_VERSION,
            "languages": languages,
            "latin": analyzer.latin,
            **vocab,
            "build_seconds": seconds,
        },
    )


def _create_sqlite_tables(store) -> None:
    for sql in (
        f"CREATE VIRTUAL TABLE search_letters USING {FTS}",
        f"CREATE VIRTUAL TABLE search_other USING {FTS}",
        "CREATE TABLE search_other_docs (rowid INTEGER PRIMARY KEY, kind TEXT, ref TEXT, "
        "title TEXT, lang TEXT, body TEXT)",
        "CREATE TABLE search_name_keys (key TEXT NOT NULL, entity INTEGER NOT NULL, "
        "PRIMARY KEY (key, entity)) WITHOUT ROWID",
        "CREATE TABLE search_arrays (name TEXT PRIMARY KEY, dtype TEXT, data BLOB)",
    ):
        store.execute(sql)
    for table in ("search_letters", "search_other"):
        store.execute(f"INSERT INTO {table}({table}, rank) VALUES ('rank', ?)", (RANK,))


def text_languages(store) -> list[str]:
    rows = store.execute(
        "SELECT lang, COUNT(*) AS n FROM letter_texts WHERE lang IS NOT NULL "
        "GROUP BY lang ORDER BY n DESC"
    )
    return list(dict.fromkeys(base_lang(r["lang"]) for r in rows)) or ["en"]


def _name_keys(store) -> None:
    names: dict[str, list[str]] = {}
    for r in store.execute("SELECT entry_id, name FROM entry_names"):
        names.setdefault(r["entry_id"], []).append(r["name"])
    rows = []
    marks = ",".join("?" * len(NAME_KINDS))
    for r in store.execute(
        "SELECT rowid, id, kind, name, json_extract(data, '$.forename') AS forename, "
        "json_extract(data, '$.surname') AS surname, json_extract(data, '$.abbr') AS abbr "
        f"FROM entries WHERE kind IN ({marks})",
        NAME_KINDS,
    ):
        all_names = [r["name"], *names.get(r["id"], [])]
        if r["abbr"]:
            all_names.append(r["abbr"])
        for key in entry_keys(r["kind"], all_names, r["forename"] or "", r["surname"] or ""):
            rows.append((key, r["rowid"]))
    # one row per (key, entry): a name may give the same key twice
    store.insert("search_name_keys", list(dict.fromkeys(rows)))


def _letter_inputs(store, entity_pairs: dict) -> list[tuple]:
    """(rowid, default lang, [(lang, text)], [note texts], title text, entity tokens)."""
    letters = {}
    for r in store.execute(
        "SELECT rowid, id, title, sender, addressee, place_sent, place_received, languages "
        "FROM letters ORDER BY rowid"
    ):
        title = " ".join(
            x or "" for x in (r["title"], r["sender"], r["addressee"], r["place_sent"])
        )
        title += " " + (r["place_received"] or "")
        lang = (r["languages"] or "").split(" ")[0]
        letters[r["id"]] = [r["rowid"], lang, [], [], title, set()]
    for r in store.execute(
        "SELECT letter_id, lang, text FROM letter_texts ORDER BY letter_id, version"
    ):
        letters[r["letter_id"]][2].append((r["lang"], r["text"]))
    for r in store.execute("SELECT letter_id, text FROM notes ORDER BY letter_id, n"):
        letters[r["letter_id"]][3].append(r["text"] or "")
    by_rowid = {v[0]: v for v in letters.values()}
    named = np.concatenate([entity_pairs[k] for k in NAME_KINDS])
    for letter, no in np.unique((named[:, 0] << 32) | named[:, 1]).reshape(-1, 1) >> [32, 0]:
        by_rowid[int(letter)][5].add(int(no) & 0xFFFFFFFF)
    return [tuple(v) for v in letters.values()]


def analyse_letter(analyzer: Analyzer, item: tuple) -> tuple:
    """One FTS row: (rowid, text stems, note stems, title stems, entry tokens, exact words)."""
    rowid, lang, texts, notes, title, entities = item
    latin = analyzer.latin_for(lang)
    text_stems, exact = [], []
    for tlang, text in texts:
        toks = tokens(text)
        exact += toks
        text_stems += analyzer.stem_all(toks, analyzer.latin_for(tlang or lang))
    # compound parts go after the words, so phrases over the words keep their positions
    text_stems += analyzer.parts(exact)
    # all notes in one pass: a newline between them is just another word boundary
    note_toks = tokens("\n".join(notes)) if notes else []
    title_toks = tokens(title)
    exact += note_toks
    exact += title_toks
    return (
        rowid,
        " ".join(text_stems),
        " ".join(analyzer.stem_all(note_toks, latin) + analyzer.parts(note_toks)),
        " ".join(analyzer.stem_all(title_toks, latin)),
        " ".join(entity_token(n) for n in sorted(entities)),
        " ".join(exact),
    )


_WORKER: Analyzer | None = None


def _init_worker(languages) -> None:
    global _WORKER
    _WORKER = Analyzer(languages)


def _analyse_chunk(chunk: list[tuple]) -> list[tuple]:
    return [analyse_letter(_WORKER, item) for item in chunk]


def _letters(store, analyzer: Analyzer, entity_pairs: dict, memo=None) -> None:
    items = _letter_inputs(store, entity_pairs)
    add, done = _fts_sink(store, "search_letters")
    if memo is None:
        for rows in _analysed(analyzer, items):
            add(rows)
        done()
        return
    salt = repr((INDEX_VERSION, analyzer.latin))
    keys = [
        hashlib.sha1(repr((salt, it[1], it[2], it[3], it[4])).encode()).hexdigest() for it in items
    ]
    known = memo.get_many(keys)
    new = [(k, it) for k, it in zip(keys, items, strict=True) if k not in known]
    analysed = [r for rows in _analysed(analyzer, [it for _, it in new]) for r in rows]
    fresh = {k: (r[1], r[2], r[3], r[5]) for (k, _), r in zip(new, analysed, strict=True)}
    memo.put_many(fresh)
    known.update(fresh)
    add(
        [
            (it[0], *known[k][:3], " ".join(entity_token(n) for n in sorted(it[5])), known[k][3])
            for k, it in zip(keys, items, strict=True)
        ]
    )
    done()
    memo.keep(keys)


def _analysed(analyzer: Analyzer, items: list[tuple]):
    """The FTS rows of ``items``, in batches (in worker processes when there is much text)."""
    size = sum(len(t) for it in items for _, t in it[2]) + sum(
        len(n) for it in items for n in it[3]
    )
    cores = os.cpu_count() or 1
    if cores > 1 and size > 2_000_000 and "fork" in mp.get_all_start_methods():
        # analysis is pure Python: two processes halve it; inserting stays in this process
        chunks = [items[i : i + 500] for i in range(0, len(items), 500)]
        ctx = mp.get_context("fork")
        with ctx.Pool(min(cores, 4), _init_worker, (analyzer.latin,)) as pool:
            yield from pool.imap(_analyse_chunk, chunks)
    elif items:
        yield [analyse_letter(analyzer, it) for it in items]


def _fts_sink(store, table: str):
    """(add(rows), done()): FTS5 rows into ``table``, or into PostgreSQL's postings (pg.py)."""
    if getattr(store, "dialect", "sqlite") == "sqlite":
        sql = f"INSERT INTO {table}(rowid, text, notes, title, names, exact) VALUES (?,?,?,?,?,?)"
        return (lambda rows: store.executemany(sql, rows)), (lambda: None)
    from .pg import Postings

    postings = Postings(table)
    return postings.add, lambda: postings.write(store)


def other_docs(store) -> list[tuple]:
    """Front matter and register entries with notes or biographies, and every named entry:
    (kind, ref, title, lang, body, entry rowid or None)."""
    docs = []
    for r in store.execute("SELECT id, kind, title, lang, body FROM front ORDER BY ord"):
        docs.append((r["kind"], r["id"], r["title"] or r["id"], r["lang"], r["body"] or "", None))
    marks = ",".join("?" * len(NAME_KINDS))
    for r in store.execute(
        f"SELECT rowid, id, kind, name, note, json_extract(data, '$.biography') AS bio "
        f"FROM entries WHERE kind IN ({marks}) OR COALESCE(note, '') != '' "
        "OR COALESCE(json_extract(data, '$.biography'), '') != '' ORDER BY id",
        NAME_KINDS,
    ):
        body = "\n\n".join(x for x in (r["note"], r["bio"]) if x)
        no = r["rowid"] if r["kind"] in NAME_KINDS else None
        docs.append((r["kind"], r["id"], r["name"], None, body, no))
    return docs


def other_rows(store, analyzer: Analyzer, docs=None) -> tuple[list[tuple], list[tuple]]:
    """(FTS rows as for letters, document rows (rowid, kind, ref, title, lang, body)) of
    ``other_docs``. The static site's index (render/search_data.py) is written from them."""
    docs = other_docs(store) if docs is None else docs
    latin = analyzer.latin[0]
    fts_rows, doc_rows = [], []
    for i, (kind, ref, title, lang, body, no) in enumerate(docs, 1):
        btoks, ttoks = tokens(body), tokens(title)
        lat = analyzer.latin_for(lang) if lang else latin
        fts_rows.append(
            (
                i,
                " ".join(analyzer.stem_all(btoks, lat) + analyzer.parts(btoks)),
                "",
                " ".join(analyzer.stem_all(ttoks, lat)),
                entity_token(no) if no else "",
                " ".join(ttoks + btoks),
            )
        )
        doc_rows.append((i, kind, ref, title, lang, body))
    return fts_rows, doc_rows


def _other(store, analyzer: Analyzer) -> None:
    """Front matter and register entries into ``search_other`` (see ``other_rows``)."""
    fts_rows, doc_rows = other_rows(store, analyzer)
    add, done = _fts_sink(store, "search_other")
    add(fts_rows)
    done()
    store.insert("search_other_docs", doc_rows)
