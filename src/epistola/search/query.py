"""Searching an edition: ``search(store, q, filters=..., sort=..., page=..., per_page=...)``.

    query text --parse.py--> tree --compile (this module)--> FTS5 expression over analysed keys
      -> every matching letter (rowid, bm25) -> filters and facets on in-memory arrays (facets.py)
      -> sort, page -> letter rows + snippets (snippets.py); front matter and registers -> "other"

Each query word becomes its stems (one per Latin-script language of the edition), searched in
the text, notes and title columns, OR the register entries whose names it matches (names.py),
searched as entry tokens in the ``names`` column. Exact forms and prefixes search the folded,
unstemmed ``exact`` column. The JSON shape returned is documented in docs/search.md.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import numpy as np

from ..errors import EditionFormatError, QueryError
from ..model.letters import letter_label
from .facets import ENTITY_FACETS, FacetData, count, entry_labels, entry_rowids
from .fold import Analyzer, base_lang, is_cyrillic, shared_analyzer, surname_base, tokens
from .index import INDEX_VERSION
from .names import PARTICLES, query_keys, transliterations
from .parse import parse
from .snippets import MAX_SNIPPETS, Highlighter, snippets_of

FILTER_KEYS = (
    "start", "end", "year", "sender", "addressee", "person", "place", "org", "kind", "lang",
    "has_notes", "has_facsimile", "subject",
)  # fmt: skip
FACETS = (
    "year", "sender", "addressee", "person", "place", "org", "kind", "lang", "has_notes",
    "has_facsimile",
)  # fmt: skip
MAX_NAME_ENTRIES = 30  # a word naming more entries than this is a common word, not a name
MAX_PER_PAGE = 200
MAX_FILTER_VALUES = 200
TEXT_COLS = "{text notes title}"


def _q(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


class _Compiler:
    """Turns a parsed query into an FTS5 expression; collects what to highlight and which
    register entries the query named."""

    def __init__(self, store, analyzer: Analyzer):
        self.store = store
        self.analyzer = analyzer
        self.hl = Highlighter(analyzer)
        self.entities: dict[int, str] = {}  # entries.rowid -> the query words that named it
        self.key_words: set[str] = set()  # words of the name keys that matched

    def names_for(self, words: list[str]) -> list[int]:
        keys = query_keys(words)
        marks = ",".join("?" * len(keys))
        rows = self.store.execute(
            f"SELECT key, entity FROM search_name_keys WHERE key IN ({marks})", keys
        )
        ents = sorted({r["entity"] for r in rows})
        if len(ents) > MAX_NAME_ENTRIES:
            return []
        for r in rows:
            self.key_words.update(r["key"].split())
        for e in ents:
            self.entities.setdefault(e, " ".join(words))
        return ents

    def _names_expr(self, ents: list[int]) -> str:
        return "{names} : (" + " OR ".join(_q(f"n{e}") for e in ents) + ")"

    def surname(self, word: str) -> str | None:
        """The register surname ``word`` is a case form of (костровым -> костров), if any."""
        base = surname_base(word)
        if base is None:
            return None
        rows = self.store.execute("SELECT entity FROM search_name_keys WHERE key = ?", [base])
        return base if any(True for _ in rows) else None

    def _text_term(self, word: str) -> str:
        alts = self.analyzer.stems(word)
        base = self.surname(word)
        if base:  # every case form of the surname: pymorphy gives them different lemmas
            alts = list(dict.fromkeys(alts + self.analyzer.surname_keys(base)))
        self.hl.stems.update(alts)
        return f"{TEXT_COLS} : (" + " OR ".join(_q(a) for a in alts) + ")"

    def compile(self, node) -> tuple[str, bool]:
        """(expression, negative): negative means 'letters NOT matching expression'."""
        kind = node[0]
        if kind == "term":
            _, word, mode = node
            if mode == "exact":
                self.hl.forms.add(word)
                return "{exact} : " + _q(word), False
            if mode == "prefix":
                self.hl.prefixes.add(word)
                return "{exact} : " + _q(word) + " *", False
            text = self._text_term(word)
            ents = self.names_for([word])
            return (f"({text} OR {self._names_expr(ents)})" if ents else text), False
        if kind == "phrase":
            _, words, exact = node
            if exact:
                self.hl.forms.update(words)
                return "{exact} : " + _q(" ".join(words)), False
            phrases = []
            for lang in self.analyzer.latin:
                stems = self.analyzer.stem_all(words, lang)
                self.hl.stems.update(stems)
                phrases.append(f"{TEXT_COLS} : " + _q(" ".join(stems)))
            ents = self.names_for(words)
            if ents:
                phrases.append(self._names_expr(ents))
            return "(" + " OR ".join(dict.fromkeys(phrases)) + ")", False
        if kind == "not":
            expr, neg = self.compile(node[1])
            if neg:
                raise QueryError("double negation (NOT NOT)", "Remove both NOTs.")
            return expr, True
        if kind == "or":
            parts = [self.compile(c) for c in node[1]]
            if any(neg for _, neg in parts):
                raise QueryError(
                    "NOT cannot be an alternative of OR",
                    "Write (Brief OR Karte) NOT Wien instead of Brief OR NOT Wien.",
                )
            return "(" + " OR ".join(e for e, _ in parts) + ")", False
        # and: consecutive plain words that together name a register entry search as that name
        children = self._name_runs(node[1])
        parts = [self.compile(c) if c[0] != "name" else (c[1], False) for c in children]
        pos = [e for e, neg in parts if not neg]
        neg = [e for e, n in parts if n]
        if not pos:
            return "(" + " OR ".join(neg) + ")", True
        expr = "(" + " AND ".join(pos) + ")"
        if neg:
            expr += " NOT (" + " OR ".join(neg) + ")"
        return f"({expr})", False

    def _name_runs(self, children: list) -> list:
        out, i = [], 0
        while i < len(children):
            for width in (4, 3, 2):
                run = children[i : i + width]
                if len(run) == width and all(c[0] == "term" and c[2] == "stem" for c in run):
                    words = [c[1] for c in run]
                    if all(w in PARTICLES for w in words):
                        continue
                    ents = self.names_for(words)
                    if ents:
                        text = " AND ".join(self._text_term(w) for w in words)
                        out.append(("name", f"(({text}) OR {self._names_expr(ents)})"))
                        i += width
                        break
            else:
                out.append(children[i])
                i += 1
        return out


def _bool(key: str, v) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("1", "true", "yes", "on"):
        return True
    if s in ("0", "false", "no", "off"):
        return False
    raise QueryError(f"filter {key}={v!r} is not true or false", f"Use {key}=true or {key}=false.")


def edition_kind(value: str) -> str:
    """A kind as the edition stores it, from its own label or the sources' term for it
    (``шифротелеграмма``, ``Postkarte`` -> ``ciphered telegram``, ``postcard``)."""
    from ..read.tei import KIND_MAP

    v = str(value).strip()
    return KIND_MAP.get(v.lower(), v.lower() if v.lower() in KIND_MAP.values() else v)


def _as_list(v) -> list:
    if v is None or v == "":
        return []
    if isinstance(v, (list, tuple, set)):
        out = [x for x in v if x not in (None, "")]
    else:
        out = [x.strip() for x in str(v).split(",") if x.strip()] if isinstance(v, str) else [v]
    if len(out) > MAX_FILTER_VALUES:
        raise QueryError(
            f"a filter lists {len(out):,} values; at most {MAX_FILTER_VALUES} are allowed",
            "Filter by fewer values, or by a year or date range instead.",
        )
    return out


def _date_bound(key: str, v, end: bool) -> int:
    """ISO day, month or year -> day ordinal (a month or year 'end' is its last day)."""
    s = str(v).strip()
    try:
        if len(s) == 4 and s.isdigit():
            d = dt.date(int(s), 12 if end else 1, 31 if end else 1)
        elif len(s) == 7:
            y, m = int(s[:4]), int(s[5:7])
            d = dt.date(y, m, 1)
            if end:
                d = (dt.date(y + m // 12, m % 12 + 1, 1)) - dt.timedelta(days=1)
        else:
            d = dt.date.fromisoformat(s)
    except ValueError:
        raise QueryError(
            f"filter {key}={v!r} is not a date",
            f"Give {key} as an ISO date: 1931-08-12, 1931-08 or 1931.",
        ) from None
    return d.toordinal()


def _filter_mask(store, fd: FacetData, filters: dict):
    """(mask over letters or None, start day, end day) for ``filters``."""
    unknown = [k for k in filters if k not in FILTER_KEYS]
    if unknown:
        raise QueryError(
            f"unknown filter {unknown[0]!r}", "Filters are: " + ", ".join(FILTER_KEYS) + "."
        )
    mask = None

    def add(m):
        nonlocal mask
        mask = m if mask is None else (mask & m)

    start = _date_bound("start", filters["start"], False) if filters.get("start") else None
    end = _date_bound("end", filters["end"], True) if filters.get("end") else None
    if start is not None or end is not None:
        m = fd.earliest > 0
        if start is not None:
            m &= fd.latest >= start
        if end is not None:
            m &= fd.earliest <= end
        add(m)
    years = _as_list(filters.get("year"))
    if years:
        try:
            add(np.isin(fd.year, [int(y) for y in years]))
        except (TypeError, ValueError):
            raise QueryError(f"filter year={years!r} is not a year", "Use year=1931.") from None
    for key in ENTITY_FACETS:
        ids = [str(x) for x in _as_list(filters.get(key))]
        if ids:
            rowids = entry_rowids(store, ids)
            if not rowids:
                raise QueryError(
                    f"filter {key}={','.join(ids)!r}: no such register entry in this edition",
                    f"Use a register id (such as the ids the {key} facet lists), not a name.",
                )
            add(fd.letters_with(key, rowids))
    for key, vocab in (("kind", fd.kinds), ("lang", fd.langs), ("subject", fd.subjects)):
        wanted = {str(x) for x in _as_list(filters.get(key))}
        if key == "kind":
            wanted = {edition_kind(w) for w in wanted}
        if wanted:
            codes = [
                i
                for i, v in enumerate(vocab)
                if v in wanted or (key == "lang" and base_lang(v) in wanted)
            ]
            if not codes:
                known = ", ".join(sorted(str(v) for v in vocab if v)) or "none"
                raise QueryError(
                    f"filter {key}={','.join(sorted(wanted))!r} matches no letter in this edition",
                    f"Values of {key} in this edition: {known}.",
                )
            if key == "kind":
                add(np.isin(fd.kind, codes))
            else:
                add(fd.letters_with(key, codes))
    for key in ("has_notes", "has_facsimile"):
        if filters.get(key) not in (None, ""):
            add(getattr(fd, key) == (1 if _bool(key, filters[key]) else 0))
    return mask, start, end


def _match(store, table: str, expr: str, ranked: bool, within=None):
    """Rowids (and bm25 ranks when ``ranked``) of every row matching ``expr``; ``within``
    (rowids) restricts ranking to rows that passed the filters, which saves most of its cost."""
    if getattr(store, "dialect", "sqlite") != "sqlite":
        from . import pg  # the same expression, evaluated on PostgreSQL's postings

        return pg.match(store, table, expr, ranked, within)
    cols = "group_concat(rowid) AS ids" + (", group_concat(rank) AS ranks" if ranked else "")
    sql = f"SELECT {cols} FROM {table} WHERE {table} MATCH ?"
    params: tuple = (expr,)
    if within is not None:
        # "+rowid" keeps SQLite from handing the list to FTS5 as one lookup per rowid
        sql += " AND +rowid IN (SELECT value FROM json_each(?))"
        params = (expr, json.dumps(within.tolist()))
    try:
        row = store.execute(sql, params)[0]
    except sqlite3.OperationalError as e:  # should not happen: every word is quoted
        raise QueryError(f"the search engine rejected the query ({e})") from None
    if not row["ids"]:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    ids = np.fromstring(row["ids"], dtype=np.int64, sep=",")
    ranks = np.fromstring(row["ranks"], dtype=np.float64, sep=",") if ranked else np.zeros(len(ids))
    return ids, ranks


def search(
    store,
    q: str,
    *,
    filters: dict | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    facet_limit: int = 30,
) -> dict:
    """Search letters (and front matter and registers) of an edition; see docs/search.md.

    ``store`` is an edition's store (or an ``Edition``). Raises QueryError for a query or
    filter that cannot be searched, with a message that says how to fix it.
    """
    store = getattr(store, "store", store)
    meta = store.get_meta("search")
    if not meta:
        raise EditionFormatError(
            "this edition has no search index",
            "Build it again with a current epistola: epistola ingest SOURCE --out EDITION.",
        )
    if meta.get("version", 1) < INDEX_VERSION:
        raise EditionFormatError(
            "this edition's search index was built by an older Epistola (it does not lemmatise "
            "Russian words or index compound parts)",
            "Ingest the sources again: epistola ingest SOURCE --out EDITION.",
        )
    if sort not in ("relevance", "date"):
        raise QueryError(f"unknown sort {sort!r}", "Sort by 'relevance' or 'date'.")
    try:
        page, per_page = int(page), int(per_page)
    except (TypeError, ValueError):
        raise QueryError("page and per_page must be numbers", "Use page=1&per_page=20.") from None
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError(
            f"page {page}, per_page {per_page} out of range",
            f"Pages start at 1; per_page is 1 to {MAX_PER_PAGE}.",
        )
    q = q or ""
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "", [])}
    tree = parse(q)
    fd = FacetData.load(store)
    analyzer = shared_analyzer(tuple(meta.get("latin") or meta.get("languages") or ["en"]))
    comp = _Compiler(store, analyzer)
    expr, negative = comp.compile(tree) if tree else ("", True)
    mask, start, end = _filter_mask(store, fd, filters)
    ranked = sort == "relevance" and bool(expr) and not negative
    if expr and not negative:
        ids, ranks = _match(store, "search_letters", expr, ranked and mask is None)
        if mask is not None:
            hits, ids = len(ids), ids[mask[ids]]
            ranks = np.zeros(len(ids))
            if ranked and len(ids) * 2 > hits:  # filters kept most hits: rank them all
                ids, ranks = _match(store, "search_letters", expr, True)
                keep = mask[ids]
                ids, ranks = ids[keep], ranks[keep]
            elif ranked and len(ids):
                ids, ranks = _match(store, "search_letters", expr, True, within=ids)
    else:
        ids = fd.all_ids
        if expr:
            ids = np.setdiff1d(ids, _match(store, "search_letters", expr, False)[0])
        if mask is not None:
            ids = ids[mask[ids]]
        ranks = np.zeros(len(ids))
    facets = _facets(store, fd, ids, facet_limit)
    number = fd.number[ids]
    top = page * per_page
    if not ranked:
        key = (number,)
    else:
        key = (number, ranks)
    if len(ids) > 4 * top:  # only the first pages need ordering: partition, then sort
        cut = np.partition(key[-1], top - 1)[top - 1]
        part = np.nonzero(key[-1] <= cut)[0]
        order = part[np.lexsort(tuple(k[part] for k in key))]
    else:
        order = np.lexsort(key)
    page_idx = order[(page - 1) * per_page : top]
    results = _results(store, comp, fd, ids[page_idx], ranks[page_idx], start, end)
    return {
        "query": q,
        "filters": filters,
        "sort": sort,
        "total": int(len(ids)),
        "page": page,
        "per_page": per_page,
        "results": results,
        "facets": facets,
        "names": _named(store, comp),
        "other": _other(store, comp, expr) if expr and not negative else [],
    }


def _facets(store, fd: FacetData, ids: np.ndarray, limit: int) -> dict:
    out: dict[str, list] = {}
    years = count(fd.year[ids], None)
    out["year"] = [{"value": y, "label": str(y), "count": c} for y, c in sorted(years) if y]
    entity = {k: count(fd.values_of(k, ids), limit, fd.ties(store, k)) for k in ENTITY_FACETS}
    labels = entry_labels(store, sorted({v for pairs in entity.values() for v, _ in pairs}))
    for k in ENTITY_FACETS:
        out[k] = [
            {"value": labels[v][0], "label": labels[v][1], "count": c}
            for v, c in entity[k]
            if v in labels
        ]
    kinds = fd.kind[ids]
    out["kind"] = [
        {"value": fd.kinds[v], "label": fd.kinds[v], "count": c}
        for v, c in count(kinds[kinds >= 0], limit, fd.ties(store, "kind"))
    ]
    out["lang"] = [
        {"value": fd.langs[v], "label": fd.langs[v], "count": c}
        for v, c in count(fd.values_of("lang", ids), limit, fd.ties(store, "lang"))
    ]
    subjects = count(fd.values_of("subject", ids), limit, fd.ties(store, "subject"))
    names = {}
    if subjects:
        codes = [fd.subjects[v] for v, _ in subjects]
        marks = ",".join("?" * len(codes))
        names = {
            r["id"]: r["name"]
            for r in store.execute(f"SELECT id, name FROM entries WHERE id IN ({marks})", codes)
        }
    out["subject"] = [
        {"value": fd.subjects[v], "label": names.get(fd.subjects[v], fd.subjects[v]), "count": c}
        for v, c in subjects
    ]
    for key, yes, no in (
        ("has_notes", "with notes", "without notes"),
        ("has_facsimile", "with facsimiles", "without facsimiles"),
    ):
        n = int(getattr(fd, key)[ids].sum())
        out[key] = [
            x
            for x in (
                {"value": True, "label": yes, "count": n},
                {"value": False, "label": no, "count": int(len(ids)) - n},
            )
            if x["count"]
        ]
    return out


def _named(store, comp: _Compiler) -> list[dict]:
    """The register entries the query named, and by which words."""
    labels = _entity_info(store, list(comp.entities))
    groups = list(dict.fromkeys(comp.entities.values()))
    out = [
        {"id": labels[e][0], "label": labels[e][1], "kind": labels[e][2], "query": words}
        for e, words in comp.entities.items()
        if e in labels
    ]
    # by query words, then by id: the same order whatever rowids the backend gave the entries
    return sorted(out, key=lambda x: (groups.index(x["query"]), x["id"]))


def _entity_info(store, rowids: list[int]) -> dict[int, tuple[str, str, str]]:
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    return {
        r["rowid"]: (r["id"], r["name"], r["kind"])
        for r in store.execute(
            f"SELECT rowid, id, name, kind FROM entries WHERE rowid IN ({marks})", rowids
        )
    }


def _name_highlights(store, comp: _Compiler) -> None:
    """Highlight the named entries' own names in the text (Кагановичу for 'Kaganovich')."""
    if not comp.entities:
        return
    marks = ",".join("?" * len(comp.entities))
    for r in store.execute(
        f"SELECT n.name FROM entry_names n JOIN entries e ON e.id = n.entry_id "
        f"WHERE e.rowid IN ({marks}) UNION SELECT name FROM entries WHERE rowid IN ({marks})",
        [*comp.entities, *comp.entities],
    ):
        for w in tokens(r["name"]):
            if w in comp.key_words or (
                is_cyrillic(w) and comp.key_words.intersection(transliterations(w))
            ):
                comp.hl.stems.update(comp.analyzer.stems(w))


def _results(store, comp, fd, ids, ranks, start, end) -> list[dict]:
    if not len(ids):
        return []
    id_list = [int(i) for i in ids]
    marks = ",".join("?" * len(id_list))
    rows = {
        r["rowid"]: r
        for r in store.execute(
            "SELECT rowid, id, number, year, number_in_year, title, date_display, earliest, "
            f"latest, sender, addressee, kind, languages FROM letters WHERE rowid IN ({marks})",
            id_list,
        )
    }
    _name_highlights(store, comp)
    letter_ids = [rows[i]["id"] for i in id_list]
    texts: dict[str, list] = {}
    if comp.hl:
        lmarks = ",".join("?" * len(letter_ids))
        for r in store.execute(
            "SELECT letter_id, lang, type, text FROM letter_texts "
            f"WHERE letter_id IN ({lmarks}) ORDER BY letter_id, version",
            letter_ids,
        ):
            where = "translation" if r["type"] == "translation" else "text"
            texts.setdefault(r["letter_id"], []).append((where, r["lang"], r["text"]))
        for r in store.execute(
            f"SELECT letter_id, text FROM notes WHERE letter_id IN ({lmarks}) ORDER BY n",
            letter_ids,
        ):
            texts.setdefault(r["letter_id"], []).append(("note", None, r["text"] or ""))
    ents = _letter_entities(store, letter_ids, comp)
    out = []
    for i, rank in zip(id_list, ranks, strict=True):
        r = rows[i]
        lang = (r["languages"] or "").split(" ")[0] or None
        snips: list[dict] = []
        sources = texts.get(r["id"], []) + [("title", lang, r["title"] or "")]
        for where, tlang, text in sources:
            for h in snippets_of(text, tlang or lang, comp.hl, MAX_SNIPPETS - len(snips)):
                snips.append({"where": where, "html": h})
        label = letter_label(r["id"], r["year"], r["number_in_year"])
        item = {
            "letter": r["id"],
            "number": r["number"],
            "label": label,
            "title": r["title"],
            "date": r["date_display"],
            "earliest": r["earliest"],
            "latest": r["latest"],
            "sender": r["sender"],
            "addressee": r["addressee"],
            "kind": r["kind"],
            "score": round(-float(rank), 4),
            "snippets": snips,
            "names": ents.get(r["id"], []),
        }
        if start is not None or end is not None:
            lo, hi = int(fd.earliest[i]), int(fd.latest[i])
            certain = (start is None or lo >= start) and (end is None or hi <= end)
            item["date_match"] = "certain" if certain else "possible"
        out.append(item)
    return out


def _letter_entities(store, letter_ids: list[str], comp: _Compiler) -> dict[str, list]:
    """For each letter, the named entries (from the query) it sends, receives or mentions."""
    if not comp.entities:
        return {}
    info = _entity_info(store, list(comp.entities))
    by_id = {v[0]: (k, v) for k, v in info.items()}
    lmarks = ",".join("?" * len(letter_ids))
    emarks = ",".join("?" * len(by_id))
    out: dict[str, list] = {}
    for r in store.execute(
        f"SELECT DISTINCT letter_id, entry_id FROM (SELECT letter_id, entry_id FROM letter_agents "
        f"UNION ALL SELECT letter_id, entry_id FROM letter_mentions) AS x WHERE letter_id IN ({lmarks}) "
        f"AND entry_id IN ({emarks}) ORDER BY letter_id, entry_id",
        [*letter_ids, *by_id],
    ):
        k, (eid, label, kind) = by_id[r["entry_id"]]
        out.setdefault(r["letter_id"], []).append(
            {"id": eid, "label": label, "kind": kind, "query": comp.entities[k]}
        )
    return out


def _other(store, comp: _Compiler, expr: str, limit: int = 10) -> list[dict]:
    """Hits in front matter and register entries, best first."""
    if getattr(store, "dialect", "sqlite") != "sqlite":
        from . import pg

        best = pg.ranked_rows(store, "search_other", expr, limit)
        marks = ",".join("?" * len(best))
        found = (
            store.execute(
                f"SELECT rowid, kind, ref, title, lang, body FROM search_other_docs "
                f"WHERE rowid IN ({marks})",
                best,
            )
            if best
            else []
        )
        by_id = {r["rowid"]: r for r in found}
        rows = [by_id[i] for i in best]
    else:
        rows = store.execute(
            "SELECT d.rowid, d.kind, d.ref, d.title, d.lang, d.body FROM search_other_docs d "
            "JOIN (SELECT rowid, rank FROM search_other WHERE search_other MATCH ? ORDER BY "
            f"rank LIMIT {int(limit)}) m ON m.rowid = d.rowid ORDER BY m.rank",
            (expr,),
        )
    out = []
    for r in rows:
        snips = snippets_of(r["body"] or "", r["lang"], comp.hl, 1) or snippets_of(
            r["title"] or "", r["lang"], comp.hl, 1
        )
        out.append(
            {
                "kind": r["kind"],
                "id": r["ref"],
                "title": r["title"],
                "snippet": snips[0] if snips else "",
            }
        )
    return out
