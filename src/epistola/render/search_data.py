"""The static site's search index: classic ``<script>`` data files, so search works from file://.

Browsers refuse ``fetch()`` and ``import()`` on file:// pages, but they run ``<script src>``;
so every index file is JavaScript that hands its data to a global:

    search/meta.js          EpistolaSearch.meta = {n, lengths, numbers, facets, fold, shards, ...}
    search/s-<key>.js       EpistolaSearch.shard("<key>", {forms, post, exact, names, surn})
    search/letters.js       EpistolaSearch.letters({rows: [[id, label, date, ...]], strings})
    search/facets.js        EpistolaSearch.facetData({rows: [[year, kind, values]], names})
    search/other.js         EpistolaSearch.other({docs, lengths, ent})  front matter, register
    search/o-<n>.js         EpistolaSearch.otherText(n, {doc: [[where, text], ...]})  (snippets)
    search/t/<slug>.js      EpistolaSearch.text("<slug>", [[where, text], ...])  (for snippets)

Only meta.js is loaded with the page, so it holds just what ranking needs for every letter
(token counts, numbers); the rest is loaded when a query uses it: the shards of its words, the
letter rows (labels, dates, parties; loaded beside the shards), the facet values once results
are shown (or first, when a filter is set).

The words are analysed by the server's own code (search/index.py: ``analyse_letter``, the same
token streams the FTS5 index holds), so the browser needs neither stemmer nor lemmatiser:

- ``forms``: folded surface form -> [its keys (one per Latin-script language of the edition),
  the register entries the word names, its first Russian lemma];
- ``post``: key -> postings ``[letter, n_text, pos..., n_notes, pos..., n_title, pos...]``;
- ``exact``: folded form -> postings ``[letter, n, pos...]`` in the unstemmed column;
- ``names``: name key (names.py) -> register entries;
- ``ents``: register entry -> its letters, for the entries that ``forms`` and ``names`` name;
- ``surn``: a one-word register name shaped like a Russian surname -> the keys of all its case
  forms (fold.py: ``surname_base``, ``Analyzer.surname_keys``);
- ``opost``, ``oexact``: the same for front matter and register entries (search/index.py:
  ``other_rows``, the server's ``search_other``), numbered as search/other.js lists them;

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
from ..search.index import NAME_KINDS, analyse_letter, other_docs, other_rows, text_languages
from ..search.names import PARTICLES, lemmas
from ..search.query import MAX_NAME_ENTRIES
from . import urls
from .room import ReadingRoom

CACHE_VERSION = 8
TEXT_BUCKET = 64  # texts of front matter and register entries per search/o-N.js


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
    # front matter and register entries (the API's "other"), where the store has them
    others = other_docs(store) if name_keys else []
    fingerprint = _digest(
        (CACHE_VERSION, digests, names_digest, sorted((k, sorted(v.items())) for k, v in
         facet_values.items()), [(lid, sorted(room.letters[lid].items())) for lid in room.order],
         others)
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
                 facet_values, others)  # fmt: skip

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


def _postings(i: int, cols: list[list[str]], ex: list[str], post: dict, exact: dict) -> None:
    """Add document ``i``'s key positions per column and exact-form positions."""
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


def _files(room, analyzer, inputs, digests, rows_cache, forms_cache, name_keys, entry_no,
           facet_values, others) -> dict[str, bytes | None]:  # fmt: skip
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
        _postings(i, cols, ex, post, exact)
    # front matter and register entries, numbered 0.. as search/other.js lists them
    opost: dict[str, list] = defaultdict(list)
    oexact: dict[str, list] = defaultdict(list)
    other_list, other_lengths, other_ent, other_texts = [], [], {}, {}
    fts_rows, doc_rows = other_rows(room.store, analyzer, others) if others else ([], [])
    n_front = room.store.scalar("SELECT COUNT(*) FROM front") if others else 0
    for j, (fts, doc, src) in enumerate(zip(fts_rows, doc_rows, others, strict=True)):
        cols = [fts[1].split(), [], fts[3].split()]
        ex = fts[5].split()
        other_lengths.append(sum(map(len, cols)) + (1 if fts[4] else 0) + len(ex))
        _postings(j, cols, ex, opost, oexact)
        _, kind, ref, title, _, body = doc
        if src[5] is not None:
            other_ent[src[5]] = j
        front = j < n_front  # other_docs lists the front matter first
        href = f"front/{urls.slug(ref)}.html" if front else urls.entry_path(kind, ref)
        other_list.append([kind, ref, title, href or "", 1 if body else 0])
        if body:
            other_texts[j] = [["text", body], ["title", title]]
    # the keys and names a query word stands for, as the server computes them (query.py)
    by_key: dict[str, list[int]] = {}
    for key, es in name_keys.items():
        by_key[key] = es
    for form in dict.fromkeys([*exact, *oexact]):
        entry = forms_cache.get(form)
        if entry is None:
            entry = forms_cache[form] = _form_entry(analyzer, form, by_key)
        shards[shard_key(form)]["forms"][form] = entry
        if form in exact:
            shards[shard_key(form)]["exact"][form] = exact[form]
        if form in oexact:
            shards[shard_key(form)].setdefault("oexact", {})[form] = oexact[form]
    for key, p in post.items():
        shards[shard_key(key)]["post"][key] = p
    for key, p in opost.items():
        shards[shard_key(key)].setdefault("opost", {})[key] = p
    for key, es in name_keys.items():
        shards[shard_key(key)].setdefault("names", {})[key] = es
        if surname_base(key) == key:  # query.py: _Compiler.surname
            shards[shard_key(key)].setdefault("surn", {})[key] = analyzer.surname_keys(key)
    # the letters of the entries a shard's words and names name come with the shard, so a name
    # query needs no second round of files (an entry is named from few shards: 520 kB in all
    # on Schnitzler against 467 kB for each entry once)
    for data in shards.values():
        named = {e for f in data["forms"].values() if len(f) > 1 for e in f[1]}
        named.update(e for es in data.get("names", {}).values() for e in es)
        if any(e in ents for e in named):
            data["ents"] = {e: ents[e] for e in sorted(named) if e in ents}
    out: dict[str, bytes | None] = {}
    for key, data in shards.items():
        out["search/" + shard_file(key)] = _js("EpistolaSearch.shard", key, data)
    # what the first results need is in meta.js (small, parsed before the page runs); the rest
    # comes when it is used: letter rows for the shown page, entries' letters for a name
    # query, facet values for filters and the facet panel
    rows, numbers, facet_rows = [], [], []
    strings: dict[str, int] = {}  # parties and kinds repeat: rows refer to them by number
    for lid in room.order:
        r = room.letters[lid]
        slug = urls.slug(lid)
        parts = [strings.setdefault(r[k] or "", len(strings)) for k in ("sender", "addressee")]
        rows.append([lid, r["label"], r["date_display"], *parts,
                     strings.setdefault(r["kind"] or "", len(strings))]
                    + ([] if slug == lid else [slug]))  # fmt: skip
        numbers.append(r["number"])
        values = [facet_values[k].get(lid, []) for k in ENTITY_FACETS]
        facet_rows.append([r["year"], r["kind"] or "", values])
    out["search/letters.js"] = _js(
        "EpistolaSearch.letters", {"rows": rows, "strings": list(strings)}
    )
    names = {
        e: room.entries[e]["name"]
        for vs in facet_values.values() for x in vs.values() for e in x if e in room.entries
    }  # fmt: skip
    out["search/other.js"] = _js(
        "EpistolaSearch.other",
        {"docs": other_list, "lengths": other_lengths, "ent": other_ent},
    )
    text_buckets: dict[int, dict] = defaultdict(dict)
    for j, texts in other_texts.items():
        text_buckets[j // TEXT_BUCKET][j] = texts
    for b, data in text_buckets.items():
        out[f"search/o-{b}.js"] = _js("EpistolaSearch.otherText", b, data)
    out["search/facets.js"] = _js("EpistolaSearch.facetData", {"rows": facet_rows, "names": names})
    meta = {
        "fields": ["id", "label", "date", "sender", "addressee", "kind", "slug"],
        "strings": ["sender", "addressee", "kind"],  # numbers into letters.js's strings
        "n": len(rows),
        "lengths": lengths,
        "numbers": numbers,
        "textBucket": TEXT_BUCKET,
        "facets": [[k, label] for k, label in FACETS],
        "valueKeys": list(ENTITY_FACETS),
        "latin": analyzer.latin,
        "particles": sorted(PARTICLES),
        "weights": WEIGHTS,
        "maxNames": MAX_NAME_ENTRIES,
        "fold": {"special": SPECIAL, "marks": MARKS},
        "surname": SURNAME_PATTERN,
        "shards": sorted(shards),
    }
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
