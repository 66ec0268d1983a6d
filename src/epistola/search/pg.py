"""Search on PostgreSQL: the same index and the same answers as SQLite FTS5, by construction.

Epistola analyses text in Python (fold.py, names.py) and hands FTS5 nothing but space-separated
keys; query.py compiles a query into an FTS5 expression over those keys and ranks with FTS5's
``bm25``. On PostgreSQL this module stores the very same keys as an inverted index and evaluates
the very same expression string, with the same bm25 formula, so totals, ranks and top letters
agree with SQLite (docs/postgres.md has the measurements behind this choice):

- ``search_postings``: one row per (table, column, key): the rows holding the key, how often,
  and at which positions (numpy buffers in ``bytea``). A query fetches the rows of its keys by
  primary key (prefixes by a range scan) and does set algebra and bm25 in numpy;
- ``search_arrays`` rows ``fts.<table>.size``: tokens per row (bm25's document length);
- ``rowid`` columns added to ``letters`` and ``entries`` (SQLite has them implicitly), which the
  facet arrays and name keys index by;
- ``json_extract(text, path)``: the subset of SQLite's function the index build uses.

Everything PostgreSQL-specific about search lives here; query.py and index.py call
``match``/``ranked_rows`` and ``prepare``/``Postings`` where they would use FTS5.
"""

from __future__ import annotations

import re
import threading

import numpy as np

from .columns import COLUMNS, WEIGHTS  # one definition with index.py's

TABLES = {"search_letters": 0, "search_other": 1}
K1, B = 1.2, 0.75  # FTS5's bm25 constants

DDL = """
CREATE FUNCTION json_extract(data text, path text) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT (data::jsonb) #>> string_to_array(substr(path, 3), '.') $$;
CREATE TABLE search_other_docs (rowid INTEGER PRIMARY KEY, kind TEXT COLLATE "C",
  ref TEXT COLLATE "C", title TEXT COLLATE "C", lang TEXT COLLATE "C", body TEXT COLLATE "C");
CREATE TABLE search_name_keys (key TEXT COLLATE "C" NOT NULL, entity INTEGER NOT NULL,
  PRIMARY KEY (key, entity));
CREATE TABLE search_arrays (name TEXT COLLATE "C" PRIMARY KEY, dtype TEXT, data BYTEA);
CREATE TABLE search_postings (tbl SMALLINT NOT NULL, col SMALLINT NOT NULL,
  token TEXT COLLATE "C" NOT NULL, docs BYTEA NOT NULL, counts BYTEA NOT NULL,
  positions BYTEA NOT NULL, PRIMARY KEY (tbl, token, col));
"""

# FTS5's 'ascii' tokenizer: ASCII letters and digits and every non-ASCII character make tokens;
# other ASCII characters separate them; ASCII capitals are folded
_ASCII_TOKEN = re.compile(r"[0-9A-Za-z\x80-\U0010ffff]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fts_tokens(text: str) -> list[str]:
    return _ASCII_TOKEN.findall(text.translate(_ASCII_LOWER)) if text else []


def prepare(store) -> None:
    """Before the index is written: the search tables, and ``rowid`` on letters and entries
    (numbered in a fixed order, so a rebuild numbers alike)."""
    store.execute(DDL)
    for table, order in (("letters", "ord, id"), ("entries", "id")):
        store.execute(f"ALTER TABLE {table} ADD COLUMN rowid INTEGER")
        store.execute(
            f"UPDATE {table} t SET rowid = n.no FROM (SELECT id, row_number() OVER "
            f"(ORDER BY {order}) AS no FROM {table}) n WHERE t.id = n.id"
        )
        store.execute(f"CREATE UNIQUE INDEX {table}_rowid ON {table} (rowid)")


class Postings:
    """Collects the analysed rows of one FTS table and writes its inverted index."""

    def __init__(self, table: str):
        self.table = table
        self.vocab: list[dict[str, int]] = [{} for _ in COLUMNS]
        # per column: key, row and position of every token, in plain lists (cheaper than
        # numpy per row for the many short rows of the registers)
        self.hits = [([], [], []) for _ in COLUMNS]
        self.sizes: dict[int, int] = {}

    def add(self, rows) -> None:
        """``rows``: (rowid, text, notes, title, names, exact), as inserted into FTS5."""
        for row in rows:
            rowid, size = int(row[0]), 0
            for c, value in enumerate(row[1:]):
                toks = fts_tokens(value)
                if not toks:
                    continue
                n = len(toks)
                size += n
                vocab = self.vocab[c]
                keys, docs, positions = self.hits[c]
                keys.extend([vocab.setdefault(t, len(vocab)) for t in toks])
                docs.extend([rowid] * n)
                positions.extend(range(n))
            self.sizes[rowid] = size

    def write(self, store) -> None:
        tbl = TABLES[self.table]
        out = []
        for c, (keys, docs, positions) in enumerate(self.hits):
            if not keys:
                continue
            key, doc, pos = np.array(keys), np.array(docs), np.array(positions)
            order = np.lexsort((pos, doc, key))
            key, doc, pos = key[order], doc[order], pos[order].astype("<i4")
            # runs of one (key, row): their starts, rows and lengths (= counts)
            new = np.ones(len(key), dtype=bool)
            new[1:] = (key[1:] != key[:-1]) | (doc[1:] != doc[:-1])
            run = np.flatnonzero(new)
            run_doc = doc[run].astype("<i4")
            run_count = np.diff(np.append(run, len(key))).astype("<i4")
            run_key = key[run]
            first_run = np.flatnonzero(np.r_[True, run_key[1:] != run_key[:-1]])
            last_run = np.append(first_run[1:], len(run))
            first_hit = run[first_run]
            last_hit = np.append(first_hit[1:], len(key))
            words = list(self.vocab[c])
            for k, r0, r1, h0, h1 in zip(
                run_key[first_run].tolist(),
                first_run.tolist(),
                last_run.tolist(),
                first_hit.tolist(),
                last_hit.tolist(),
                strict=True,
            ):
                out.append(
                    (
                        tbl,
                        c,
                        words[k],
                        run_doc[r0:r1].tobytes(),
                        run_count[r0:r1].tobytes(),
                        pos[h0:h1].tobytes(),
                    )
                )
        store.insert("search_postings", out)
        ids = np.fromiter(self.sizes, np.int64, len(self.sizes))
        size = np.zeros(int(ids.max()) + 1 if len(ids) else 1, "<i4")
        size[ids] = np.fromiter(self.sizes.values(), np.int64, len(self.sizes))
        present = np.zeros(len(size), "u1")
        present[ids] = 1
        store.insert(
            "search_arrays",
            [
                (f"fts.{self.table}.size", "<i4", size.tobytes()),
                (f"fts.{self.table}.present", "|u1", present.tobytes()),
            ],
        )


# -- the FTS5 expressions query.py writes ---------------------------------------------------
_LEX = re.compile(r'\s*(?:(\{[^}]*\})|("(?:[^"]|"")*")|(\()|(\))|(:)|(\*)|(AND|OR|NOT)\b)')


def parse_expr(expr: str):
    """FTS5 expression -> tree of ("phrase", cols, tokens, prefix), ("and", [..]), ("or", [..]),
    ("not", a, b). Precedence as FTS5's: NOT, then AND, then OR; a column filter covers the
    phrase or parenthesised group after its colon."""
    toks, i = [], 0
    while i < len(expr):
        m = _LEX.match(expr, i)
        if not m or m.end() == i:
            if expr[i:].strip() == "":
                break
            raise ValueError(f"cannot read FTS5 expression at {expr[i : i + 20]!r}")
        toks.append((m.lastindex, m.group(m.lastindex)))
        i = m.end()
    pos = 0

    def peek(kind=None, value=None):
        if pos >= len(toks):
            return False
        k, v = toks[pos]
        return (kind is None or k == kind) and (value is None or v == value)

    def take():
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def primary(cols):
        k, v = take()
        if k == 1:  # {col col} : primary
            named = frozenset(COLUMNS.index(c) for c in v[1:-1].split())
            take()  # ':'
            return primary(named if cols is None else cols & named)
        if k == 3:
            node = or_expr(cols)
            take()  # ')'
            return node
        if k == 2:
            words = fts_tokens(v[1:-1].replace('""', '"'))
            prefix = peek(6)
            if prefix:
                take()
            return ("phrase", cols, words, prefix)
        raise ValueError(f"unexpected {v!r} in FTS5 expression")

    def not_expr(cols):
        node = primary(cols)
        while peek(7, "NOT"):
            take()
            node = ("not", node, primary(cols))
        return node

    def and_expr(cols):
        parts = [not_expr(cols)]
        while pos < len(toks) and (peek(7, "AND") or peek(1) or peek(2) or peek(3)):
            if peek(7, "AND"):
                take()
            parts.append(not_expr(cols))
        return parts[0] if len(parts) == 1 else ("and", parts)

    def or_expr(cols):
        parts = [and_expr(cols)]
        while peek(7, "OR"):
            take()
            parts.append(and_expr(cols))
        return parts[0] if len(parts) == 1 else ("or", parts)

    return or_expr(None)


def _phrases(node, out):
    if node[0] == "phrase":
        out.append(node)
    elif node[0] == "not":
        _phrases(node[1], out)
        _phrases(node[2], out)
    else:
        for c in node[1]:
            _phrases(c, out)
    return out


class _Stats:
    """Per-table row sizes, read once per edition build."""

    _cache: dict = {}
    _lock = threading.Lock()

    def __init__(self, store, table: str):
        rows = store.execute(
            "SELECT name, dtype, data FROM search_arrays WHERE name IN (?, ?)",
            (f"fts.{table}.size", f"fts.{table}.present"),
        )
        arrays = {r["name"].rsplit(".", 1)[1]: np.frombuffer(r["data"], r["dtype"]) for r in rows}
        self.size = arrays["size"].astype(np.float64)
        self.present = arrays["present"].astype(bool)
        self.n = len(self.size)
        self.rows = int(self.present.sum())
        self.avgdl = float(self.size.sum()) / self.rows if self.rows else 1.0

    @classmethod
    def of(cls, store, table: str) -> _Stats:
        key = (getattr(store, "url", id(store)), store.get_meta("built"), table)
        with cls._lock:
            stats = cls._cache.get(key)
            if stats is None:
                stats = cls(store, table)
                if len(cls._cache) > 8:
                    cls._cache.clear()
                cls._cache[key] = stats
            return stats


def _fetch(store, tbl: int, phrases: list) -> dict:
    """(col, token) -> (docs, counts, positions) for every key the phrases need; prefix keys
    are given as (col, token + '*') -> list of such triples."""
    exact = sorted({t for _, _, words, pre in phrases for t in (words[:-1] if pre else words)})
    got: dict = {}
    if exact:
        for r in store.execute(
            "SELECT col, token, docs, counts, positions FROM search_postings "
            "WHERE tbl = ? AND token = ANY(?)",
            (tbl, exact),
        ):
            got[(r["col"], r["token"])] = _arrays(r)
    for _, _cols, words, pre in phrases:
        if pre and words and (None, words[-1] + "*") not in got:
            p = words[-1]
            rows = store.execute(
                "SELECT col, token, docs, counts, positions FROM search_postings "
                "WHERE tbl = ? AND token >= ? AND token < ?",
                (tbl, p, p + "\U0010ffff"),
            )
            got[(None, p + "*")] = [(r["col"], _arrays(r)) for r in rows]
    return got


def _arrays(r) -> tuple:
    return (
        np.frombuffer(r["docs"], "<i4").astype(np.int64),
        np.frombuffer(r["counts"], "<i4").astype(np.int64),
        np.frombuffer(r["positions"], "<i4").astype(np.int64),
    )


def _occurrences(got, col: int, word: str, prefix: bool) -> np.ndarray:
    """(doc << 32 | position) of every occurrence of ``word`` (or a key it begins) in ``col``."""
    if prefix:
        parts = [a for c, a in got.get((None, word + "*"), []) if c == col]
    else:
        parts = [got[(col, word)]] if (col, word) in got else []
    keys = [(np.repeat(d, n) << 32) | p for d, n, p in parts]
    return np.concatenate(keys) if keys else np.zeros(0, np.int64)


def _phrase_freq(got, phrase, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(weighted frequency per row, rows holding the phrase) as dense arrays over rowids."""
    _, cols, words, prefix = phrase
    freq, hit = np.zeros(n), np.zeros(n, dtype=bool)
    if not words:
        return freq, hit
    for col in sorted(cols if cols is not None else range(len(COLUMNS))):
        starts = None
        for i, w in enumerate(words):
            occ = _occurrences(got, col, w, prefix and i == len(words) - 1)
            if i:
                occ = occ[(occ & 0xFFFFFFFF) >= i] - i  # the phrase start this word implies
            starts = np.unique(occ) if starts is None else np.intersect1d(starts, occ)
            if not len(starts):
                break
        if starts is not None and len(starts):
            per_doc = np.bincount(starts >> 32, minlength=n)[:n]
            freq += WEIGHTS[col] * per_doc
            hit |= per_doc > 0
    return freq, hit


def _evaluate(node, hits: dict) -> np.ndarray:
    kind = node[0]
    if kind == "phrase":
        return hits[id(node)]
    if kind == "not":
        return _evaluate(node[1], hits) & ~_evaluate(node[2], hits)
    parts = [_evaluate(c, hits) for c in node[1]]
    out = parts[0].copy()
    for p in parts[1:]:
        out = (out & p) if kind == "and" else (out | p)
    return out


def match(store, table: str, expr: str, ranked: bool, within=None):
    """What query.py's ``_match`` answers on SQLite: rowids matching ``expr`` (ascending) and,
    when ``ranked``, FTS5's bm25 rank of each (negative; lower is better), rounded as SQLite
    prints it. ``within`` keeps only those rowids (their ranks do not change)."""
    stats = _Stats.of(store, table)
    tree = parse_expr(expr)
    phrases = _phrases(tree, [])
    got = _fetch(store, TABLES[table], phrases)
    freqs, hits = [], {}
    for ph in phrases:
        f, h = _phrase_freq(got, ph, stats.n)
        freqs.append(f)
        hits[id(ph)] = h
    matched = _evaluate(tree, hits) & stats.present
    if within is not None:
        keep = np.zeros(stats.n, dtype=bool)
        keep[within[within < stats.n]] = True
        matched &= keep
    ids = np.flatnonzero(matched).astype(np.int64)
    if not ranked:
        return ids, np.zeros(len(ids))
    score = np.zeros(len(ids))
    norm = K1 * (1 - B + B * stats.size[ids] / stats.avgdl)
    for f, ph in zip(freqs, phrases, strict=True):
        n_hit = int(hits[id(ph)].sum())
        idf = np.log((stats.rows - n_hit + 0.5) / (n_hit + 0.5))
        if idf <= 0.0:
            idf = 1e-6
        fi = f[ids]
        score += idf * ((fi * (K1 + 1.0)) / (fi + norm))
    # SQLite hands ranks over as text (group_concat): 15 significant digits
    text = ",".join(map("{:.15g}".format, (-score).tolist()))
    return ids, np.fromstring(text, dtype=np.float64, sep=",") if len(ids) else np.zeros(0)


def ranked_rows(store, table: str, expr: str, limit: int) -> list[int]:
    """The ``limit`` best rowids of ``table`` for ``expr`` (ties by rowid)."""
    ids, ranks = match(store, table, expr, True)
    return [int(i) for i in ids[np.lexsort((ids, ranks))][:limit]]
