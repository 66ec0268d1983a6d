"""The static site's search index: classic ``<script>`` data files, so search works from file://.

Browsers refuse ``fetch()`` and ``import()`` on file:// pages, but they run ``<script src>``;
so every index file is JavaScript that hands its data to a global:

    search/meta.js          EpistolaSearch.meta = {letters, facets, fold, lengths, entities, ...}
    search/s-<key>.js       EpistolaSearch.shard("<key>", {forms, post, exact, names})
    search/t/<slug>.js      EpistolaSearch.text("<slug>", [[where, text], ...])  (for snippets)

The words are analysed by the server's own code (search/index.py: ``analyse_letter``, the same
token streams the FTS5 index holds), so the browser needs neither stemmer nor lemmatiser:

- ``forms``: folded surface form -> [its keys (one per Latin-script language of the edition),
  the register entries the word names, its first Russian lemma];
- ``post``: key -> postings ``[letter, n_text, pos..., n_notes, pos..., n_title, pos...]``;
- ``exact``: folded form -> postings ``[letter, n, pos...]`` in the unstemmed column;
- ``names``: name key (names.py) -> register entries;
- ``surn``: a one-word register name shaped like a Russian surname -> the keys of all its case
  forms (fold.py: ``surname_base``, ``Analyzer.surname_keys``);

each under the shard of its first two letters. ``lengths`` (tokens per letter, all columns) let
the browser rank with FTS5's own bm25 formula and column weights (search/index.py: RANK), so the
static page and ``epistola search`` agree on totals and order.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections import defaultdict
from pathlib import Path

from ..search.columns import WEIGHTS
from ..search.facets import ENTITY_FACETS, FACETS, FacetData, entity_pairs_of
from ..search.fold import MARKS, SPECIAL, SURNAME_PATTERN, shared_analyzer, surname_base
from ..search.index import NAME_KINDS, analyse_letter, text_languages
from ..search.names import PARTICLES, lemmas
from ..search.query import MAX_NAME_ENTRIES
from . import urls
from .room import ReadingRoom

CACHE_VERSION = 7


def shard_key(s: str) -> str:
    return s[:2]


def shard_file(key: str) -> str:
    return "s-" + "-".join(f"{ord(c):04x}" for c in key) + ".js"


def _js(call: str, *args) -> bytes:
    body = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in args)
    return f"{call}({body});\n".encode()


def _inputs(room: ReadingRoom, entity_of: dict) -> list[tuple]:
    """analyse_letter's input per letter in reading order (the index numbers the letters 0..n)."""
    index = {lid: i for i, lid in enumerate(room.order)}
    items = []
    for lid in room.order:
        r = room.letters[lid]
        items.append([index[lid], (r.get("languages") or "").split(" ")[0], [], [], "", set()])
    for r in room.store.execute(
        "SELECT id, title, sender, addressee, place_sent, place_received FROM letters"
    ):
        title = " ".join(
            x or "" for x in (r["title"], r["sender"], r["addressee"], r["place_sent"])
        )
        items[index[r["id"]]][4] = title + " " + (r["place_received"] or "")
    for r in room.store.execute(
        "SELECT letter_id, lang, text FROM letter_texts ORDER BY letter_id, version"
    ):
        items[index[r["letter_id"]]][2].append((r["lang"], r["text"]))
    for r in room.store.execute("SELECT letter_id, n, text FROM notes ORDER BY letter_id, n"):
        items[index[r["letter_id"]]][3].append(r["text"] or "")
    for lid, ents in entity_of.items():
        if lid in index:
            items[index[lid]][5] = ents
    return [tuple(x) for x in items]


def _entities(room: ReadingRoom) -> tuple[dict[str, set[int]], dict[int, str], dict]:
    """Named entries per letter (as numbers), number -> entry id, and facet values per letter."""
    store = room.store
    if getattr(store, "dialect", "") == "sqlite" and store.get_meta("search"):
        rowid_letter = dict(store.tuples("SELECT rowid, id FROM letters"))
        rowid_entry = dict(store.tuples("SELECT rowid, id FROM entries"))
        pairs = entity_pairs_of(store)
        of: dict[str, set[int]] = defaultdict(set)
        for k in NAME_KINDS:
            for letter, e in pairs[k].tolist():
                of[rowid_letter[letter]].add(e)
        fd = FacetData.load(store)
        facets = {}
        for key in ENTITY_FACETS:
            values: dict[str, list] = defaultdict(list)
            letters, vals = fd.pair_letter[key], fd.pair_value[key]
            for letter, v in zip(letters.tolist(), vals.tolist(), strict=True):
                if v in rowid_entry:
                    values[rowid_letter[letter]].append(rowid_entry[v])
            facets[key] = values
        return of, rowid_entry, facets
    # another backend (no FTS5 index): the reading room's own facts
    numbers = {eid: i for i, eid in enumerate(room.entries, 1)}
    of = defaultdict(set)
    facets = {k: defaultdict(list) for k in ENTITY_FACETS}
    for lid, agents in room.agents.items():
        for a in agents:
            if a["entry_id"] in numbers:
                of[lid].add(numbers[a["entry_id"]])
                key = {"sent": "sender", "received": "addressee"}.get(a["action"])
                if key:
                    facets[key][lid].append(a["entry_id"])
    for lid, ents in room.mentions.items():
        for e in ents:
            of[lid].add(numbers[e])
            kind = room.entries[e]["kind"]
            if kind in ("person", "place", "org"):
                facets[kind][lid].append(e)
    return of, {v: k for k, v in numbers.items()}, facets


def _name_keys(room: ReadingRoom, entry_no: dict[int, str]) -> dict[str, list[int]]:
    store = room.store
    if getattr(store, "dialect", "") != "sqlite" or not store.get_meta("search"):
        return {}
    out: dict[str, list[int]] = defaultdict(list)
    for key, e in store.tuples("SELECT key, entity FROM search_name_keys ORDER BY key, entity"):
        out[key].append(e)
    return out


def build_search_files(
    room: ReadingRoom, cache_dir=None, previous: dict | None = None
) -> dict[str, bytes | None]:
    """Every file under search/ as {relative path: bytes}.

    With ``cache_dir``, each letter's analysis and each word's keys are kept between builds
    (only changed letters are analysed again); when nothing the index holds changed and the
    files of the last build are all there (``previous``), every file comes back as None
    ("unchanged: keep the file already written").
    """
    store = room.store
    smeta = store.get_meta("search") or {}
    latin = smeta.get("latin") or text_languages(store)
    analyzer = shared_analyzer(tuple(latin))
    entity_of, entry_no, facet_values = _entities(room)
    name_keys = _name_keys(room, entry_no)
    inputs = _inputs(room, entity_of)
    digests = [_digest((item[1:5], sorted(item[5]), latin)) for item in inputs]
    names_digest = _digest(sorted(name_keys.items()))
    fingerprint = _digest(
        (CACHE_VERSION, digests, names_digest, sorted((k, sorted(v.items())) for k, v in
         facet_values.items()), [(lid, sorted(room.letters[lid].items())) for lid in room.order])
    )  # fmt: skip
    cache_file = Path(cache_dir) / "search-static.pickle" if cache_dir else None
    cache = _load(cache_file)
    if (
        previous is not None
        and cache.get("fingerprint") == fingerprint
        and all(p in previous for p in cache.get("paths", ()))
    ):
        return dict.fromkeys(cache["paths"])
    rows_cache = cache.get("rows", {})
    forms_cache = cache.get("forms", {}) if cache.get("names") == names_digest else {}
    out = _files(room, analyzer, inputs, digests, rows_cache, forms_cache, name_keys, entry_no,
                 facet_values)  # fmt: skip
    if cache_file:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        keep = set(digests)
        cache_file.write_bytes(
            pickle.dumps(
                {"version": CACHE_VERSION, "fingerprint": fingerprint, "paths": sorted(out),
                 "rows": {k: v for k, v in rows_cache.items() if k in keep},
                 "forms": forms_cache, "names": names_digest},
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        )  # fmt: skip
    return out


def _digest(value) -> str:
    return hashlib.sha1(repr(value).encode()).hexdigest()


def _load(path: Path | None) -> dict:
    if path is None or not path.exists():
        return {}
    try:
        data = pickle.loads(path.read_bytes())
    except Exception:  # a damaged cache only costs time
        return {}
    return data if isinstance(data, dict) and data.get("version") == CACHE_VERSION else {}


def _files(room, analyzer, inputs, digests, rows_cache, forms_cache, name_keys, entry_no,
           facet_values) -> dict[str, bytes | None]:  # fmt: skip
    """The index files (see the module's docstring), from the analysis of ``inputs``."""
    shards: dict[str, dict] = defaultdict(lambda: {"forms": {}, "post": {}, "exact": {}})
    post: dict[str, list] = defaultdict(list)
    exact: dict[str, list] = defaultdict(list)
    lengths = []
    ents: dict[int, list[int]] = defaultdict(list)
    for item, digest in zip(inputs, digests, strict=True):
        i, _, _, _, _, names = item
        row = rows_cache.get(digest)
        if row is None:
            row = rows_cache[digest] = analyse_letter(analyzer, item)
        cols = [row[1].split(), row[2].split(), row[3].split()]
        ex = row[5].split()
        lengths.append(sum(map(len, cols)) + len(names) + len(ex))
        for e in sorted(names):
            ents[e].append(i)
        where: dict[str, list[list[int]]] = {}
        for c, toks in enumerate(cols):
            for p, t in enumerate(toks):
                where.setdefault(t, [[], [], []])[c].append(p)
        for t, per in where.items():
            post[t].append(i)
            for ps in per:
                post[t].append(len(ps))
                post[t].extend(ps)
        xw: dict[str, list[int]] = defaultdict(list)
        for p, t in enumerate(ex):
            xw[t].append(p)
        for t, ps in xw.items():
            exact[t] += [i, len(ps), *ps]
    # the keys and names a query word stands for, as the server computes them (query.py)
    by_key: dict[str, list[int]] = {}
    for key, es in name_keys.items():
        by_key[key] = es
    for form in exact:
        entry = forms_cache.get(form)
        if entry is None:
            entry = forms_cache[form] = _form_entry(analyzer, form, by_key)
        shards[shard_key(form)]["forms"][form] = entry
        shards[shard_key(form)]["exact"][form] = exact[form]
    for key, p in post.items():
        shards[shard_key(key)]["post"][key] = p
    for key, es in name_keys.items():
        shards[shard_key(key)].setdefault("names", {})[key] = es
        if surname_base(key) == key:  # query.py: _Compiler.surname
            shards[shard_key(key)].setdefault("surn", {})[key] = analyzer.surname_keys(key)
    out: dict[str, bytes | None] = {}
    for key, data in shards.items():
        out["search/" + shard_file(key)] = _js("EpistolaSearch.shard", key, data)
    letters = []
    for i, lid in enumerate(room.order):
        r = room.letters[lid]
        values = [facet_values[k].get(lid, []) for k in ENTITY_FACETS]
        letters.append(
            [lid, r["label"], r["date_display"], r["sender"] or "", r["addressee"] or "",
             r["kind"] or "", r["year"], r["number"], urls.slug(lid), lengths[i], values]
        )  # fmt: skip
    meta = {
        "fields": ["id", "label", "date", "sender", "addressee", "kind", "year", "number",
                   "slug", "length", "values"],
        "letters": letters,
        "facets": [[k, label] for k, label in FACETS],
        "valueKeys": list(ENTITY_FACETS),
        "names": {
            e: room.entries[e]["name"]
            for vs in facet_values.values() for x in vs.values() for e in x if e in room.entries
        },
        "entities": {
            n: [entry_no[n], room.entries[entry_no[n]]["name"], room.entries[entry_no[n]]["kind"],
                ents.get(n, [])]
            for n in sorted(ents) if entry_no.get(n) in room.entries
        },
        "latin": analyzer.latin,
        "particles": sorted(PARTICLES),
        "weights": WEIGHTS,
        "maxNames": MAX_NAME_ENTRIES,
        "fold": {"special": SPECIAL, "marks": MARKS},
        "surname": SURNAME_PATTERN,
        "shards": sorted(shards),
    }  # fmt: skip
    out["search/meta.js"] = (
        "window.EpistolaSearch=window.EpistolaSearch||{};EpistolaSearch.meta="
        + json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
        + ";\n"
    ).encode()
    for i, lid in enumerate(room.order):
        slug = urls.slug(lid)
        out[f"search/t/{slug}.js"] = _js("EpistolaSearch.text", i, _snippet_texts(room, lid))
    return out


def _form_entry(analyzer, form: str, by_key: dict) -> list:
    """[keys (one per Latin language, or one for all), entries it names, its Russian lemma]."""
    keys = [analyzer.stem(form, x) for x in analyzer.latin]
    lem = lemmas(form)
    entry = [keys[0] if len(set(keys)) == 1 else keys, _named(form, by_key),
             lem[1] if len(lem) > 1 else ""]  # fmt: skip
    while entry and not entry[-1]:
        entry.pop()
    return entry


def _named(form: str, by_key: dict[str, list[int]]) -> list[int]:
    """The register entries a one-word query names (query.py: names_for)."""
    from ..search.names import query_keys

    found = sorted({e for k in query_keys([form]) for e in by_key.get(k, ())})
    return found if len(found) <= MAX_NAME_ENTRIES else []


_TEXTS_SQL = (
    "SELECT letter_id, type, text FROM letter_texts ORDER BY letter_id, version",
    "SELECT letter_id, text FROM notes ORDER BY letter_id, n",
)


def _snippet_texts(room: ReadingRoom, lid: str) -> list:
    cache = room.cache.get("search-texts")
    if cache is None:
        cache = room.cache["search-texts"] = defaultdict(list)
        for r in room.store.execute(_TEXTS_SQL[0]):
            where = "translation" if r["type"] == "translation" else "text"
            cache[r["letter_id"]].append([where, r["text"] or ""])
        for r in room.store.execute(_TEXTS_SQL[1]):
            cache[r["letter_id"]].append(["note", r["text"] or ""])
    return cache.get(lid, []) + [["title", room.letters[lid].get("title") or ""]]
