"""The words of the letters, counted once per run for the vocabulary and topics analyses.

Each letter's own text (the original versions, not translations or editorial notes) is cut into
words with the search's tokenizer (``search/fold.py``: lower case, diacritics and ё folded) and
each word is reduced to a *key*: Russian words to their dictionary form (pymorphy3: хлеба ->
хлеб), words of other languages with a Snowball stemmer to their stem (the stemmer table of
``search/fold.py``, by the text's language), words of languages without a stemmer as they are.
A key is shown as a readable word: the lemma, or the stem's most frequent spelling in the
edition (stem "schreib" -> "schreiben").

Numbers and one-letter words are no words here. Keys that occur in more than
``COMMON_SHARE`` of the letters are dropped as the edition's own stop words (function words in
any language), and the counts say how many were dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..facts import EditionFacts
from ..search.fold import (
    CYRILLIC_LANGS,
    SNOWBALL,
    WORD_RE,
    _stem_words,
    base_lang,
    is_cyrillic,
    tokens,
)
from .stopwords import FUNCTION_WORDS, RUSSIAN, RUSSIAN_POS

COMMON_SHARE = 0.4  # keys in more of the letters than this are the edition's stop words
_GERMAN_HINTS = frozenset("und der die das nicht ich ist mit den sie ein eine auf dem".split())
_ENGLISH_HINTS = frozenset("and the not is with you that of to in it".split())
_FRENCH_HINTS = frozenset("et le la les est avec vous que des une pas".split())


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=300_000)
def russian_lemma(word: str) -> str:
    """The dictionary form of a folded Russian word, or "" for a function word."""
    p = _morph().parse(word)[0]
    lemma = p.normal_form.replace("ё", "е")
    if p.tag.POS in RUSSIAN_POS or lemma in RUSSIAN:
        return ""
    return lemma


def guess_language(text: str) -> str:
    """A language code for a text whose sources say none: Cyrillic -> ru, else by common words."""
    words = tokens(text[:2000])
    if not words:
        return ""
    if sum(1 for w in words if is_cyrillic(w)) * 2 > len(words):
        return "ru"
    scores = {
        lang: sum(1 for w in words if w in hints)
        for lang, hints in (("de", _GERMAN_HINTS), ("en", _ENGLISH_HINTS), ("fr", _FRENCH_HINTS))
    }
    best = max(scores, key=scores.get)
    return best if scores[best] else ""


def text_language(store_lang: str | None, letter_langs: str | None, text: str, default: str):
    """The language of one text: its own, its letter's first, a guess, the edition's first."""
    for code in (store_lang, (letter_langs or "").split(" ")[0]):
        if base_lang(code):
            return base_lang(code)
    return guess_language(text) or default


def keys_of(words: list[str], lang: str) -> list[str]:
    """The key of each folded word (see the module docstring); "" for a function word."""
    stop = FUNCTION_WORDS.get(lang, frozenset())
    out = ["" if w in stop else w for w in words]
    cyr = [i for i, w in enumerate(words) if is_cyrillic(w)]
    if cyr and (lang in ("ru", "") or lang not in CYRILLIC_LANGS):
        for i in cyr:
            out[i] = russian_lemma(words[i])
    lat = [i for i, w in enumerate(words) if not is_cyrillic(w)]
    if lat and SNOWBALL.get(lang) and lang not in CYRILLIC_LANGS:
        stems = _stem_words(lang, [words[i] for i in lat])
        for i, s in zip(lat, stems, strict=True):
            if out[i]:
                out[i] = s
    return out


_NUMBERISH = re.compile(r"^\d|^[ivxlcdm]+$")


@dataclass
class Bag:
    """Counts of keys per letter, with what it was made from."""

    letters: list[str]  # letter ids, edition order, letters with at least one counted word
    counts: list[Counter]  # one per letter: key -> occurrences
    display: dict[str, str]  # key -> readable word
    common: set[str]  # keys dropped as the edition's stop words
    without_text: int  # letters with no words of their own text


def bag(facts: EditionFacts) -> Bag:
    """The bag of words of the edition (made once per :class:`EditionFacts`)."""
    cached = facts.__dict__.get("_bag")
    if cached is None:
        cached = facts.__dict__["_bag"] = _make_bag(facts)
    return cached


def _make_bag(facts: EditionFacts) -> Bag:
    meta = facts.store.get_meta("search") or {}
    default = base_lang((meta.get("languages") or [""])[0]) if isinstance(meta, dict) else ""
    langs = {lid: r["languages"] for lid, r in facts.letters.items()}
    per: dict[str, Counter] = {}
    spellings: dict[str, Counter] = {}
    for r in facts.store.execute(
        "SELECT letter_id, lang, type, text FROM letter_texts ORDER BY letter_id, version"
    ):
        if (r["type"] or "original") != "original":
            continue  # translations are the editors' words, not the writer's
        text = r["text"] or ""
        folded = tokens(text)
        raw = WORD_RE.findall(text.lower())
        if len(raw) != len(folded):  # folding merged or split a word: show folded forms
            raw = folded
        pairs = [(f, w) for f, w in zip(folded, raw, strict=True) if len(f) > 1]
        pairs = [(f, w) for f, w in pairs if not _NUMBERISH.match(f)]
        if not pairs:
            continue
        lang = text_language(r["lang"], langs.get(r["letter_id"]), text, default)
        keys = keys_of([f for f, _ in pairs], lang)
        c = per.setdefault(r["letter_id"], Counter())
        c.update(k for k in keys if k)
        for k, (_, w) in zip(keys, pairs, strict=True):
            if k and k != w:
                spellings.setdefault(k, Counter())[w] += 1
    order = [lid for lid in facts.letters if lid in per]
    df = Counter()
    for lid in order:
        df.update(per[lid].keys())
    limit = COMMON_SHARE * len(order)
    common = {k for k, n in df.items() if n > limit and len(order) >= 20}
    counts = []
    for lid in order:
        c = per[lid]
        for k in common & c.keys():
            del c[k]
        counts.append(c)
    display = {}
    for k in df:
        sp = spellings.get(k)
        # a Russian lemma is a word already; a stem is shown as its most frequent spelling
        display[k] = k if not sp or is_cyrillic(k) else sp.most_common(1)[0][0]
    return Bag(order, counts, display, common, len(facts.letters) - len(order))
