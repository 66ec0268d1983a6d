"""Names of register persons, places and organisations in untagged text, linked to their entries.

Uses the search's name machinery (``search/names.py``): every entry's name keys (folded full
names in several orders, surnames, abbreviations, transliterations), plus, for Russian persons
registered as "Surname Forename Patronymic", the form of address "Forename Patronymic". The
text's words are looked up, longest phrase first, as written (folded), by their dictionary forms
(pymorphy3: Кузьмину -> кузьмин) and, for phrases of two or more words, by Snowball stems
(Нижней Волги ~ Нижняя Волга). One-word names count only where the text capitalises them. A name
whose forms point to more than one entry is proposed with the likelier one and a low confidence.
With the optional ``natasha`` package, Russian names that match no entry are proposed as new
entries (``entry`` empty).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..search.fold import WORD_RE, _stem_words, fold, is_cyrillic
from ..search.names import _PATRONYMIC, _words, entry_keys, lemmas
from .corpus import Corpus

KIND = {"person": "person", "place": "place", "org": "organisation"}
MAX_WORDS = 5


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stem_words("ru" if is_cyrillic(word) else "de", [word])[0]


def _stem_phrase(key: str) -> str:
    return " ".join(_stem(w) for w in key.split())


def register_keys(store) -> tuple[dict, dict]:
    """(folded key -> {entry ids}, stemmed phrase key -> {entry ids}) for persons, places, orgs."""
    names: dict[str, list[str]] = {}
    for r in store.execute("SELECT entry_id, name FROM entry_names"):
        names.setdefault(r["entry_id"], []).append(r["name"])
    exact: dict[str, set] = {}
    stems: dict[str, set] = {}
    for r in store.execute(
        "SELECT id, kind, name, json_extract(data, '$.forename') AS forename, "
        "json_extract(data, '$.surname') AS surname, json_extract(data, '$.abbr') AS abbr "
        "FROM entries WHERE kind IN ('person', 'place', 'org')"
    ):
        all_names = [r["name"], *names.get(r["id"], [])]
        if r["abbr"]:
            all_names.append(r["abbr"])
        keys = entry_keys(r["kind"], all_names, r["forename"] or "", r["surname"] or "")
        if r["kind"] == "person":
            for n in all_names:  # "Forename Patronymic", the Russian form of address
                t = [fold(w) for w in _words(n)]
                if len(t) == 3 and _PATRONYMIC.search(t[2]) and is_cyrillic(t[0]):
                    keys.add(f"{t[1]} {t[2]}")
            fn = [fold(w) for w in _words(r["forename"] or "")]
            if len(fn) == 2 and _PATRONYMIC.search(fn[1]):
                keys.add(" ".join(fn))
        for k in keys:
            exact.setdefault(k, set()).add(r["id"])
            if " " in k:
                stems.setdefault(_stem_phrase(k), set()).add(r["id"])
    return exact, stems


def _kind_of(store) -> dict[str, str]:
    return {
        r["id"]: r["kind"]
        for r in store.execute(
            "SELECT id, kind FROM entries WHERE kind IN ('person','place','org')"
        )
    }


class Linker:
    """Name keys of one edition's registers, and the scan of a text for them."""

    def __init__(self, store):
        self.exact, self.stems = register_keys(store)
        self.longest = min(MAX_WORDS, max((k.count(" ") + 1 for k in self.exact), default=1))
        # first words of every key, as written, as a lemma or as a stem: others start no name
        self.firsts = {k.split(" ", 1)[0] for k in self.exact} | {
            k.split(" ", 1)[0] for k in self.stems
        }

    def scan(self, text: str):
        """(start, end, entry, confidence, source) for each name in ``text``, longest first."""
        spans = [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]
        folded = [fold(w) for _, _, w in spans]
        i = 0
        while i < len(spans):
            w = folded[i]
            if (
                w not in self.firsts
                and _stem(w) not in self.firsts
                and not (is_cyrillic(w) and any(x in self.firsts for x in lemmas(w)[1:]))
            ):
                i += 1
                continue
            hit = None
            for n in range(min(self.longest, len(spans) - i), 0, -1):
                hit = _match(folded[i : i + n], spans[i : i + n], self.exact, self.stems)
                if hit:
                    break
            if not hit:
                i += 1
                continue
            ids, conf, source = hit
            entry = sorted(ids)[0]
            if len(ids) > 1:
                entry = _prefer(ids, folded[i : i + n], self.exact)
                conf, source = 0.4, source + "+ambiguous"
            yield spans[i][0], spans[i + n - 1][1], entry, conf, source
            i += n


def find(corpus: Corpus) -> list[dict]:
    """Every linked name: letter, text, at (offset), entry, confidence, source."""
    cached = corpus.__dict__.get("_names")
    if cached is not None:
        return cached
    linker = Linker(corpus.store)
    out = []
    for t in corpus.texts:
        for start, end, entry, conf, source in linker.scan(t.text):
            out.append({"letter": t.letter, "text": t.text[start:end], "at": start,
                        "entry": entry, "confidence": conf, "source": source})  # fmt: skip
    corpus.__dict__["_names"] = out
    return out


def _match(words, spans, exact, stems):
    n = len(words)
    if n == 1 and not spans[0][2][:1].isupper():
        return None  # one-word names only where capitalised
    if any(not w[:1].isalpha() for w in words):
        return None
    key = " ".join(words)
    if key in exact:
        ids = exact[key]
        if n == 1 and is_cyrillic(key):  # Лаврова: a woman's name, or Лавров in the genitive
            ids = ids.union(*(exact.get(x, set()) for x in lemmas(key)[1:]))
        return ids, (0.95 if n > 1 else 0.8), "names:exact"
    if any(is_cyrillic(w) for w in words):
        lemma_key = " ".join(lemmas(w)[1] if len(lemmas(w)) > 1 else w for w in words)
        if lemma_key in exact:
            return exact[lemma_key], (0.9 if n > 1 else 0.75), "names:lemma"
        if n == 1:
            ids = set().union(*(exact.get(x, set()) for x in lemmas(words[0])[1:]))
            if ids:
                return ids, 0.7, "names:lemma"
    if n > 1:
        sk = _stem_phrase(key)
        if sk in stems:
            return stems[sk], 0.7, "names:stem"
    return None


def _prefer(ids: set, words: list[str], exact: dict) -> str:
    """Of several entries, the one whose name is written exactly so, else the first by id."""
    key = " ".join(words)
    direct = sorted(exact.get(key, set()) & ids)
    return direct[0] if direct else sorted(ids)[0]


def suggest(corpus: Corpus) -> list[dict]:
    kinds = _kind_of(corpus.store)
    out = []
    seen = set()
    for s in find(corpus):
        if corpus.skip_coded and (s["letter"], s["entry"]) in corpus.coded_mentions:
            continue
        if (s["letter"], s["entry"]) in seen:
            continue  # one suggestion per entry and letter: its first mention
        seen.add((s["letter"], s["entry"]))
        out.append({**s, "kind": KIND[kinds[s["entry"]]]})
    out += _new_names(corpus, {(s["letter"], s["at"]) for s in find(corpus)})
    return out


def _new_names(corpus: Corpus, linked: set) -> list[dict]:
    """Russian names that match no entry, found by natasha's NER where it is installed."""
    ner = _natasha()
    if ner is None:
        return []
    segmenter, tagger, Doc = ner
    out = []
    known = {(s["letter"], s["at"], s["at"] + len(s["text"])) for s in find(corpus)}
    kind = {"PER": "person", "LOC": "place", "ORG": "organisation"}
    for t in corpus.texts:
        if t.lang != "ru":
            continue
        doc = Doc(t.text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        seen = set()
        for span in doc.spans:
            if any(a < span.stop and span.start < b for lid, a, b in known if lid == t.letter):
                continue
            if span.text in seen or not re.search(r"\w", span.text):
                continue
            seen.add(span.text)
            out.append(
                {
                    "kind": kind.get(span.type, "person"),
                    "letter": t.letter,
                    "text": span.text,
                    "at": span.start,
                    "entry": None,
                    "confidence": 0.5,
                    "source": "natasha:ner",
                }
            )
    return out


@lru_cache(maxsize=1)
def _natasha():
    try:
        from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter
    except ImportError:
        return None
    return Segmenter(), NewsNERTagger(NewsEmbedding()), Doc
