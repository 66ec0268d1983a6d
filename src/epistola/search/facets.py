"""Per-letter facet arrays: filters and facet counts over whole result sets, in memory.

At index time ``build_arrays`` stores, for every letter (indexed by ``letters.rowid``), its
number, year, kind, date bounds (day ordinals), has-notes and has-facsimile flags, and, as
(letter, value) pairs sorted by letter, its senders, addressees, persons (sent, received or
mentioned), places, organisations, languages and subjects. ``FacetData.load`` reads them back as
numpy arrays once per edition file, so counting a facet over 100,000 hits is one ``bincount``.
"""

from __future__ import annotations

import datetime as dt
import os
import threading

import numpy as np

from ..model.refs import ref_key

SCALARS = {
    "number": "int32",
    "year": "int32",
    "kind": "int32",
    "earliest": "int32",
    "latest": "int32",
    "has_notes": "uint8",
    "has_facsimile": "uint8",
}
MULTI = ("sender", "addressee", "person", "place", "org", "lang", "subject")
ENTITY_FACETS = ("sender", "addressee", "person", "place", "org")
# the facets a reader narrows by, with their headings: the server's search page (web/app.py) and
# the static reading room's search (render/search_data.py writes them into search/meta.js)
FACETS = (
    ("year", "Year"),
    ("sender", "Sender"),
    ("addressee", "Addressee"),
    ("person", "Person mentioned"),
    ("place", "Place"),
    ("kind", "Kind"),
)


def day(iso: str | None) -> int:
    """Day ordinal of an ISO date (0 when missing or unreadable)."""
    if not iso:
        return 0
    try:
        return dt.date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return 0


def entity_pairs_of(store) -> dict[str, np.ndarray]:
    """(letter rowid, entry rowid) pairs of the entity facets, from one pass over each table.
    CROSS JOIN fixes the join order: a scan of the big table with two key lookups per row
    (the planner otherwise walks the entries and seeks into the mentions: 30x slower). Only
    rowids are read (covering indexes); entry kinds come from a small array."""
    kinds = {"person": 0, "place": 1, "org": 2}
    top = store.scalar("SELECT MAX(rowid) FROM entries") or 0
    kind_of = np.full(top + 1, 3, dtype=np.int8)
    for r in store.execute("SELECT rowid, kind FROM entries"):
        kind_of[r["rowid"]] = kinds.get(r["kind"], 3)
    action = "CASE a.action WHEN 'sent' THEN 0 WHEN 'received' THEN 1 ELSE 2 END"
    agents = _fetch(
        store,
        ["l.rowid", "e.rowid", action],
        "letter_agents a CROSS JOIN letters l ON l.id = a.letter_id "
        "CROSS JOIN entries e ON e.id = a.entry_id",
    )
    mentions = _fetch(
        store,
        ["l.rowid", "e.rowid"],
        "letter_mentions m CROSS JOIN letters l ON l.id = m.letter_id "
        "CROSS JOIN entries e ON e.id = m.entry_id",
    )
    places = _fetch(
        store,
        ["l.rowid", "e.rowid"],
        "letter_agents a CROSS JOIN letters l ON l.id = a.letter_id "
        "CROSS JOIN entries e ON e.id = COALESCE((SELECT entry_id FROM entry_aliases "
        "WHERE alias = a.place_ref), a.place_ref) WHERE a.place_ref IS NOT NULL",
    )

    def kind(rows, code):
        return rows[kind_of[rows[:, 1]] == code, :2]

    return {
        "sender": agents[agents[:, 2] == 0, :2],
        "addressee": agents[agents[:, 2] == 1, :2],
        "person": np.concatenate([kind(agents, 0), kind(mentions, 0)]),
        "place": np.concatenate([kind(mentions, 1), places]),
        "org": np.concatenate([kind(agents, 2), kind(mentions, 2)]),
    }


def _fetch(store, columns: list[str], source: str) -> np.ndarray:
    """Integer ``columns`` of ``SELECT ... FROM source`` as an n x k array, in one string."""
    joined = " || ',' || ".join(columns)
    if getattr(store, "dialect", "sqlite") == "sqlite":
        text = store.scalar(f"SELECT group_concat({joined}) FROM {source}")
    else:  # PostgreSQL: no CROSS JOIN ... ON (it chooses the join order itself)
        source = source.replace("CROSS JOIN", "JOIN")
        text = store.scalar(f"SELECT string_agg({joined}, ',') FROM {source}")
    if not text:
        return np.zeros((0, len(columns)), dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",").reshape(-1, len(columns))


def build_arrays(store, entity_pairs: dict | None = None) -> dict:
    """Write ``search_arrays``; return the vocabularies of the coded facets (for meta).
    ``entity_pairs`` is ``entity_pairs(store)`` when the caller has it already."""
    n = (store.scalar("SELECT MAX(rowid) FROM letters") or 0) + 1
    cols = {k: np.zeros(n, dtype=v) for k, v in SCALARS.items()}
    kinds: dict[str, int] = {}
    langs: dict[str, int] = {}
    lang_pairs = []
    for r in store.execute(
        "SELECT rowid, number, year, kind, earliest, latest, has_notes, has_facsimile, "
        "languages FROM letters"
    ):
        i = r["rowid"]
        cols["number"][i] = r["number"] or 0
        cols["year"][i] = r["year"] or 0
        cols["kind"][i] = kinds.setdefault(r["kind"], len(kinds)) if r["kind"] else -1
        lo, hi = day(r["earliest"]), day(r["latest"])
        if lo or hi:  # an open end ("before 12 August 1931") reaches as far as dates go
            lo, hi = lo or 1, hi or dt.date.max.toordinal()
        cols["earliest"][i], cols["latest"][i] = lo, hi
        cols["has_notes"][i] = r["has_notes"]
        cols["has_facsimile"][i] = r["has_facsimile"]
        for code in dict.fromkeys((r["languages"] or "").split()):
            lang_pairs.append((i, langs.setdefault(code, len(langs))))
    rows = [(k, v.dtype.str, v.tobytes()) for k, v in cols.items()]
    pairs = dict(entity_pairs or entity_pairs_of(store))
    pairs["lang"] = lang_pairs
    subjects: dict[str, int] = {}
    pairs["subject"] = [
        (r["letter"], subjects.setdefault(r["subject"], len(subjects)))
        for r in store.execute(
            "SELECT DISTINCT l.rowid AS letter, s.subject FROM letter_subjects s "
            "JOIN letters l ON l.id = s.letter_id WHERE s.level != 'proposed'"
        )
    ]
    for name, ps in pairs.items():
        arr = np.asarray(ps, dtype=np.int64).reshape(-1, 2)
        # sorted by letter, each (letter, value) once
        key = np.unique((arr[:, 0] << 32) | arr[:, 1])
        rows.append((f"{name}.letter", "<i4", (key >> 32).astype("<i4").tobytes()))
        rows.append((f"{name}.value", "<i4", (key & 0xFFFFFFFF).astype("<i4").tobytes()))
    store.executemany("INSERT INTO search_arrays VALUES (?, ?, ?)", rows)
    return {"kinds": list(kinds), "langs": list(langs), "subjects": list(subjects)}


class FacetData:
    """The facet arrays of one edition, read once and shared by every query."""

    def __init__(self, store):
        meta = store.get_meta("search") or {}
        self.kinds: list[str] = meta.get("kinds", [])
        self.langs: list[str] = meta.get("langs", [])
        self.subjects: list[str] = meta.get("subjects", [])
        arrays = {
            r["name"]: np.frombuffer(r["data"], dtype=r["dtype"])
            for r in store.execute("SELECT name, dtype, data FROM search_arrays")
        }
        for k in SCALARS:
            setattr(self, k, arrays[k])
        self.n = len(self.number)
        self.pair_letter: dict[str, np.ndarray] = {}
        self.pair_value: dict[str, np.ndarray] = {}
        self.indptr: dict[str, np.ndarray] = {}
        for k in MULTI:
            letter, value = arrays[f"{k}.letter"], arrays[f"{k}.value"]
            self.pair_letter[k], self.pair_value[k] = letter, value
            counts = np.bincount(letter, minlength=self.n)
            self.indptr[k] = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.all_ids = np.nonzero(self.number)[0].astype(np.int64)

    _cache: dict = {}
    _lock = threading.Lock()

    @classmethod
    def load(cls, store) -> FacetData:
        """Cached per edition file (path, size, mtime) or PostgreSQL build: a rebuilt edition is
        read again."""
        path = getattr(store, "path", None)
        try:
            st = os.stat(path)
            key = (str(path), st.st_size, st.st_mtime_ns)
        except (OSError, TypeError):
            key = id(store)
        if getattr(store, "dialect", "sqlite") != "sqlite":  # a schema: once per build
            key = (store.url, store.get_meta("built"))
        with cls._lock:
            fd = cls._cache.get(key)
            if fd is None:
                fd = cls(store)
                cls._cache.clear()  # one edition at a time keeps memory bounded
                cls._cache[key] = fd
            return fd

    def ties(self, store, facet: str) -> np.ndarray:
        """Rank of each value of ``facet`` by its id or code (see ``count``)."""
        ranks = self.__dict__.setdefault("_ties", {})
        if facet not in ranks:
            if facet in ("kind", "lang", "subject"):
                vocab = {"kind": self.kinds, "lang": self.langs, "subject": self.subjects}[facet]
                ranks[facet] = np.argsort(np.argsort(np.array(vocab, dtype=object)))
            else:  # entries: by id
                rows = store.execute("SELECT rowid, id FROM entries")
                rank = np.zeros(max((r["rowid"] for r in rows), default=0) + 1, np.int64)
                for i, r in enumerate(sorted(rows, key=lambda r: r["id"])):
                    rank[r["rowid"]] = i
                for k in ENTITY_FACETS:
                    ranks[k] = rank
        return ranks[facet]

    def values_of(self, facet: str, ids: np.ndarray) -> np.ndarray:
        """All pair values of ``facet`` for letters ``ids`` (a letter's values once each)."""
        letter, value = self.pair_letter[facet], self.pair_value[facet]
        if len(ids) * 8 > len(self.all_ids):  # many hits: one vectorised mask over all pairs
            mask = np.zeros(self.n, dtype=bool)
            mask[ids] = True
            return value[mask[letter]]
        ptr = self.indptr[facet]
        starts, ends = ptr[ids], ptr[ids + 1]
        counts = ends - starts
        total = int(counts.sum())
        if not total:
            return value[:0]
        offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
        return value[offsets]

    def letters_with(self, facet: str, values: list[int]) -> np.ndarray:
        """Boolean mask over letters that have any of ``values`` in ``facet``."""
        mask = np.zeros(self.n, dtype=bool)
        sel = np.isin(self.pair_value[facet], np.asarray(values, dtype=np.int32))
        mask[self.pair_letter[facet][sel]] = True
        return mask


def count(values: np.ndarray, limit: int | None, ties=None) -> list[tuple[int, int]]:
    """(value, count) pairs, most frequent first, at most ``limit``. Ties go by ``ties[value]``
    (a rank that does not depend on how the backend numbered rows), else by value."""
    if not len(values):
        return []
    counts = np.bincount(values - (low := int(values.min())))
    vals = np.nonzero(counts)[0]
    counts = counts[vals]
    order = np.lexsort((vals if ties is None else ties[vals + low], -counts))
    if limit:
        order = order[:limit]
    return [(int(vals[i]) + low, int(counts[i])) for i in order]


def entry_labels(store, rowids: list[int]) -> dict[int, tuple[str, str]]:
    """entries.rowid -> (id, name)."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    return {
        r["rowid"]: (r["id"], r["name"])
        for r in store.execute(
            f"SELECT rowid, id, name FROM entries WHERE rowid IN ({marks})", rowids
        )
    }


def entry_rowids(store, ids: list[str]) -> list[int]:
    """entries.rowid of entry ids (authority aliases resolved); unknown ids are dropped."""
    ids = [k for k in map(ref_key, ids) if k]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [
        r["rowid"]
        for r in store.execute(
            f"SELECT rowid FROM entries WHERE id IN ({marks}) OR id IN "
            f"(SELECT entry_id FROM entry_aliases WHERE alias IN ({marks}))",
            [*ids, *ids],
        )
    ]
