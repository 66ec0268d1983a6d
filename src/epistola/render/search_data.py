"""The static site's search index: classic ``<script>`` data files, so search works from file://.

Browsers refuse ``fetch()`` and ``import()`` on file:// pages, but they run ``<script src>``;
so every index file is JavaScript that hands its data to a global:

    search/meta.js        EpistolaSearch.meta = {letters: [...], names: {...}, shards: [...]}
    search/s-<key>.js     EpistolaSearch.shard("<key>", {forms: {form: stem}, post: {stem: [i, tf, ...]}})

A word is folded (lower case, no diacritics, ё->е, ß->ss) and stemmed at build time with the
Snowball stemmer of its letter's language; the vocabulary maps every folded surface form to its
stem, so the browser needs no stemmer: it folds the query word, looks it up in the shard of its
first two letters and reads the stem's postings; an unknown word falls back to prefixes.

Tokenising is the slow part, so a cache keyed by each letter's text digest keeps it between
builds; only shards whose words changed are written again.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import pickle
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import Stemmer

from . import urls
from .room import ReadingRoom

_WORD = re.compile(r"[^\W_]+")
_ALGORITHMS = set(Stemmer.algorithms())
_LANGS = {
    "de": "german", "ru": "russian", "en": "english", "fr": "french", "it": "italian",
    "es": "spanish", "pt": "portuguese", "nl": "dutch", "sv": "swedish", "da": "danish",
    "no": "norwegian", "fi": "finnish", "hu": "hungarian", "ro": "romanian", "tr": "turkish",
    "cs": "czech", "pl": "polish", "uk": "ukrainian",
}  # fmt: skip
INCIPIT = 160
CACHE_VERSION = 5


def fold(text: str) -> str:
    """The form words are compared in (the JS twin is ``fold`` in static/search.js)."""
    text = text.lower().replace("ß", "ss").replace("ё", "е")
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def shard_key(form: str) -> str:
    return form[:2]


def shard_file(key: str) -> str:
    return "s-" + "-".join(f"{ord(c):04x}" for c in key) + ".js"


class _Stemmers:
    """(lang, word) -> (folded form, folded stem), remembered: a corpus has few distinct words."""

    def __init__(self):
        self._by_lang: dict = {}
        self._cache: dict = {}

    def _stemmer(self, lang: str):
        st = self._by_lang.get(lang, 0)
        if st == 0:
            algo = _LANGS.get(lang)
            st = self._by_lang[lang] = Stemmer.Stemmer(algo) if algo in _ALGORITHMS else None
        return st

    def pair(self, lang: str, word: str) -> tuple[str, str]:
        k = (lang, word)
        p = self._cache.get(k)
        if p is None:
            st = self._stemmer(lang)
            p = self._cache[k] = (fold(word), fold(st.stemWord(word) if st else word))
        return p


def letter_tokens(stemmers: _Stemmers, texts: list[tuple[str, str]]) -> Counter:
    """(folded form, folded stem) -> count for the (lang, text) pairs of one letter."""
    c: Counter = Counter()
    for lang, text in texts:
        words = Counter(_WORD.findall(unicodedata.normalize("NFC", text.lower())))
        for w, n in words.items():
            c[stemmers.pair(lang, w)] += n
    return c


def _texts(room: ReadingRoom) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list] = defaultdict(list)
    for r in room.store.execute(
        "SELECT letter_id, lang, text FROM letter_texts ORDER BY letter_id, version"
    ):
        out[r["letter_id"]].append(((r["lang"] or room.lang).split("-")[0], r["text"]))
    for r in room.store.execute("SELECT letter_id, text FROM notes ORDER BY letter_id, n"):
        out[r["letter_id"]].append((room.lang, r["text"] or ""))
    for lid, row in room.letters.items():
        out[lid].append(
            (room.lang, " ".join(filter(None, (row["title"], row["sender"], row["addressee"]))))
        )
    return out


def _meta(room: ReadingRoom, texts) -> dict:
    names: dict[str, str] = {}
    letters = []
    for lid in room.order:
        r = room.letters[lid]

        def ids(action, r=r):
            out = []
            for a in room.agents.get(r["id"], ()):
                if a["action"] == action and a["entry_id"] in room.entries:
                    out.append(a["entry_id"])
                    names[a["entry_id"]] = room.entries[a["entry_id"]]["name"]
            return out

        persons = sorted(
            e for e in room.mentions.get(lid, ()) if room.entries[e]["kind"] == "person"
        )
        for e in persons:
            names[e] = room.entries[e]["name"]
        place = room.resolve(r["place_sent"])
        if place:
            names[place] = room.entries[place]["name"]
        body = next((t for lang, t in texts.get(lid, ()) if t), "")
        incipit = " ".join(body.split())[:INCIPIT]
        letters.append(
            [lid, r["label"], r["date_display"], r["sender"] or "", r["addressee"] or "", r["kind"] or "",
             r["year"], place, ids("sent"), ids("received"), persons, incipit, r["number"],
             urls.slug(lid)]
        )  # fmt: skip
    return {
        "fields": ["id", "label", "date", "sender", "addressee", "kind", "year", "place",
                   "senders", "addressees", "persons", "incipit", "number", "slug"],
        "letters": letters,
        "names": names,
    }  # fmt: skip


def _load(path: Path | None) -> dict:
    if path is None or not path.exists():
        return {}
    try:
        data = pickle.loads(path.read_bytes())
    except Exception:  # a damaged cache only costs time
        return {}
    return (
        data
        if not isinstance(data, dict) or data.get("version", CACHE_VERSION) == CACHE_VERSION
        else {}
    )


def _tokens_db(cache_dir: Path) -> sqlite3.Connection:
    cache_dir.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(cache_dir / "search-tokens.sqlite")
    db.execute("CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, data BLOB)")
    return db


def _tokens_of(db, lid: str) -> Counter | None:
    row = db.execute("SELECT data FROM tokens WHERE id = ?", (lid,)).fetchone() if db else None
    return Counter(marshal.loads(row[0])) if row else None


def _store_tokens(db, tokens: dict) -> None:
    if db is not None:
        db.executemany(
            "INSERT OR REPLACE INTO tokens VALUES (?, ?)",
            ((lid, marshal.dumps(dict(c))) for lid, c in tokens.items()),
        )


def _postings(order: list[str], tokens: dict) -> tuple[dict, dict]:
    forms: dict[str, str] = {}
    post: dict[str, list[int]] = defaultdict(list)
    for i, lid in enumerate(order):
        per_stem: Counter = Counter()
        for (form, stem), n in tokens[lid].items():
            forms.setdefault(form, stem)
            per_stem[stem] += n
        for stem, n in per_stem.items():
            post[stem] += (i, n)
    return forms, dict(post)


def _update(forms, post, i: int, old: Counter | None, new: Counter) -> None:
    """Replace letter ``i``'s postings: drop its old stems' entries, add the new ones in order."""
    for stem in {s for _, s in (old or ())}:
        p = post.get(stem, [])
        post[stem] = [x for k in range(0, len(p), 2) if p[k] != i for x in p[k : k + 2]]
    per_stem: Counter = Counter()
    for (form, stem), n in new.items():
        forms.setdefault(form, stem)
        per_stem[stem] += n
    for stem, n in per_stem.items():
        p = post.get(stem, [])
        pairs = sorted([*zip(p[::2], p[1::2], strict=True), (i, n)])
        post[stem] = [x for pair in pairs for x in pair]


def build_search_files(
    room: ReadingRoom, cache_dir: Path | None = None, previous: dict | None = None
) -> dict[str, bytes | None]:
    """Every file under search/ as {relative path: bytes}.

    With ``cache_dir``, tokens and postings are kept between builds: only letters whose text
    changed are tokenised again, and only shards holding one of their stems are serialised
    again (``previous``: the files already written; an unchanged shard comes back as None).
    """
    texts = _texts(room)
    # the index (vocabulary, postings, text digests) is one pickle, always needed; each
    # letter's tokens sit in a small SQLite file, read and written only for changed letters
    index_file = cache_dir / "search-index.pickle" if cache_dir else None
    cache = _load(index_file)
    digests = {
        lid: hashlib.sha1(repr(texts.get(lid, [])).encode()).hexdigest() for lid in room.order
    }
    old_digests = cache.get("digests", {})
    changed = [lid for lid in room.order if old_digests.get(lid) != digests[lid]]
    incremental = previous is not None and cache.get("order") == room.order and "post" in cache
    changed_stems: set[str] = set()
    stemmers = _Stemmers()
    db = _tokens_db(cache_dir) if cache_dir else None
    befores = {lid: _tokens_of(db, lid) for lid in changed} if incremental else {}
    if any(v is None for v in befores.values()):
        incremental = False  # a letter's old tokens are lost: rebuild the index whole
    if incremental:
        forms, post = cache["forms"], cache["post"]
        index = {lid: i for i, lid in enumerate(room.order)}
        for lid in changed:
            before = befores[lid]
            after = letter_tokens(stemmers, texts.get(lid, []))
            changed_stems |= {s for _, s in after} | {s for _, s in (before or ())}
            _update(forms, post, index[lid], before, after)
            _store_tokens(db, {lid: after})
    else:
        tokens = {lid: letter_tokens(stemmers, texts.get(lid, [])) for lid in room.order}
        forms, post = _postings(room.order, tokens)
        if db is not None:
            db.execute("DELETE FROM tokens")
            _store_tokens(db, tokens)
    if index_file and (changed or not incremental):
        index_file.write_bytes(
            pickle.dumps(
                {"version": CACHE_VERSION, "order": room.order, "digests": digests,
                 "forms": forms, "post": post},
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        )  # fmt: skip
    if db is not None:
        db.commit()
        db.close()
    shards: dict[str, dict[str, str]] = defaultdict(dict)
    for form, stem in forms.items():
        shards[shard_key(form)][form] = stem
    out: dict[str, bytes | None] = {}
    for key, fmap in shards.items():
        path = "search/" + shard_file(key)
        if incremental and previous.get(path) and not (changed_stems & set(fmap.values())):
            out[path] = None  # unchanged: keep the file already written
            continue
        data = {"forms": fmap, "post": {s: post.get(s, []) for s in set(fmap.values())}}
        out[path] = (
            f"EpistolaSearch.shard({json.dumps(key)},"
            f"{json.dumps(data, ensure_ascii=False, separators=(',', ':'))});\n"
        ).encode()
    meta = _meta(room, texts)
    meta["shards"] = sorted(shards)
    out["search/meta.js"] = (
        "window.EpistolaSearch=window.EpistolaSearch||{};EpistolaSearch.meta="
        + json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
        + ";\n"
    ).encode()
    return out
