"""Text analysis for search, one definition for every part of Epistola: tokenise, fold, stem and
lemmatise.

The same functions analyse the letters at index time (search/index.py, the static site's index
in render/search_data.py, the word rules of coding) and the query at search time, so a query
word matches exactly the texts whose words analyse to the same key. ``LANGUAGES`` is the one
table from a language to its stemmer and lemmatiser; the browser's twin of ``fold``/``tokens``
(render/static/search.js) is tested against these on ``FOLD_SAMPLES`` in real Chromium.

- the *folded form* (``fold``/``tokens``): lower case, diacritics removed, ё -> е, ß -> ss,
  pre-reform Cyrillic letters (ѣ і ѳ ѵ) mapped to their modern ones and a word-final ъ dropped;
  й stays й (it is a letter of its own);
- the *key* (``Analyzer.stem``): Russian (Cyrillic) words are lemmatised (pymorphy3: хлопке ->
  хлопок) and the lemma stemmed; Greek words take the Greek stemmer; Latin-script words the
  stemmer of the text's language (or the edition's first Latin-script language);
- *surname forms* (``surname_base``, ``Analyzer.surname_keys``): pymorphy does not know most
  Russian surnames in -ов/-ев/-ин/-ын and takes their forms for other words (Костров -> костёр,
  Кострову -> костров, Костровым -> костровый), so their keys differ. A query word whose base
  (the word without a surname's case ending) is a one-word name of the edition's register is
  searched under the keys of every case form of that surname (search/query.py, search.js);
- *compound parts* (``compound_tail``): a Russian compound joined by о/е whose two halves are
  dictionary words also gives the key of its last part (хлебозаготовки -> заготовка).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Letters and digits; underscores and marks split words (as in SQLite's unicode61 tokenizer).
WORD_RE = re.compile(r"[^\W_]+")

# language -> (Snowball algorithm or None, lemmatiser or None); the only such table
LANGUAGES: dict[str, tuple[str | None, str | None]] = {
    "ar": ("arabic", None), "ca": ("catalan", None), "cs": ("czech", None),
    "da": ("danish", None), "de": ("german", None), "el": ("greek", None),
    "grc": ("greek", None), "en": ("english", None), "es": ("spanish", None),
    "et": ("estonian", None), "eu": ("basque", None), "fi": ("finnish", None),
    "fr": ("french", None), "ga": ("irish", None), "hu": ("hungarian", None),
    "hy": ("armenian", None), "id": ("indonesian", None), "it": ("italian", None),
    "la": (None, None), "lt": ("lithuanian", None), "nl": ("dutch", None),
    "no": ("norwegian", None), "nb": ("norwegian", None), "pl": ("polish", None),
    "pt": ("portuguese", None), "ro": ("romanian", None), "ru": ("russian", "pymorphy3"),
    "sr": ("serbian", None), "sv": ("swedish", None), "tr": ("turkish", None),
    "yi": ("yiddish", None),
}  # fmt: skip
SNOWBALL = {k: v[0] for k, v in LANGUAGES.items()}
CYRILLIC_LANGS = {"ru", "uk", "be", "bg", "sr", "mk"}
GREEK_LANGS = {"el", "grc"}

# letters that are no base letter plus a combining mark, and the pre-reform Russian letters
# (the JS twin in render/static/search.js is generated from this table: see js_fold_table)
SPECIAL = {
    "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
    "þ": "th", "ı": "i", "ѣ": "е", "і": "и", "ѳ": "ф", "ѵ": "и", "ʹ": "", "ʺ": "",
}  # fmt: skip
_SPECIAL = SPECIAL
_SPECIAL_RE = re.compile("[" + "".join(_SPECIAL) + "]")
# combining marks, except the breve that makes и into й (й is a letter of its own)
MARKS = "\u0300-\u0305\u0307-\u036f"
_MARKS_RE = re.compile(f"[{MARKS}]")
_BREVE_RE = re.compile("(?<![иИ])\u0306")

# Words in every supported script, folded and tokenised the same way in Python and in the browser
# (tests/site/test_search_parity.py runs the JS on them in Chromium).
FOLD_SAMPLES = [
    "Straße", "STRASSE", "Grüße", "Dvořák", "Œuvre", "Łódź", "Ærø", "façade", "naïve", "Ångström",
    "Þórður", "İstanbul", "ﬁnal", "e\u0301te\u0301", "Ещё", "ЁЛКА", "Йод", "йогурт", "Бийск",
    "и\u0306од", "Сергѣй", "пишетъ", "изъ", "Іисусъ", "ѳеатръ", "мѵро", "ОБЪЯВЛЕНІЕ", "съѣздъ",
    "Хлебозаготовки", "хлопке", "Ὀδυσσεύς", "ΟΔΟΣ", "Ελλάδα", "ἀρχή", "Jean-Paul", "12.8.1931",
    "Müller", "l'été", "Œdipe", "São Paulo", "ʹ", "объёмъ", "under_score", "x²", "Ⅻ",
]  # fmt: skip


def fold(text: str) -> str:
    """Lower-case ``text`` and remove diacritics, keeping й; ё -> е, ß -> ss, ѣ -> е."""
    text = text.lower()
    if text.isascii():
        return text
    text = _MARKS_RE.sub("", unicodedata.normalize("NFKD", text))
    if "\u0306" in text:
        text = _BREVE_RE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if _SPECIAL_RE.search(text):
        text = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], text)
    return text


def tokens(text: str) -> list[str]:
    """Folded words of ``text`` in order."""
    text = fold(text)
    out = WORD_RE.findall(text)
    if "ъ" in text:  # the pre-reform hard sign at the end of a word carries no sound: домъ = дом
        return [t[:-1] if t[-1] == "ъ" and len(t) > 1 else t for t in out]
    return out


def is_cyrillic(token: str) -> bool:
    return bool(token) and "\u0400" <= token[0] <= "\u052f"


def is_greek(token: str) -> bool:
    return bool(token) and ("\u0370" <= token[0] <= "\u03ff" or "\u1f00" <= token[0] <= "\u1fff")


def base_lang(code: str | None) -> str:
    return (code or "").split("-")[0].split("_")[0].lower()


@lru_cache(maxsize=64)
def stemmer(algorithm: str):
    """The Snowball stemmer ``algorithm`` (one per process)."""
    return Stemmer.Stemmer(algorithm, 50000)


_stemmer = stemmer


def stemmer_for(lang: str | None):
    """The Snowball stemmer of language ``lang``, or None."""
    algo = SNOWBALL.get(base_lang(lang))
    return stemmer(algo) if algo else None


@lru_cache(maxsize=1)
def morph():
    """The Russian morphological analyser (pymorphy3); loaded once, on first use."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The most likely dictionary form of a folded Russian word (хлопке -> хлопок), folded."""
    return fold(morph().parse(word)[0].normal_form)


_LINKS = "ое"  # the linking vowels of Russian compounds: хлеб-о-заготовки, зерн-о-...


@lru_cache(maxsize=200_000)
def compound_tail(word: str) -> str | None:
    """The last part of a Russian compound, when both halves are dictionary words
    (хлебозаготовки -> заготовки); None for other words."""
    if len(word) < 11 or not is_cyrillic(word):
        return None
    m = morph()
    for i in range(4, len(word) - 6):
        if word[i] in _LINKS and m.word_is_known(word[i + 1 :]):
            head = word[:i]
            if m.word_is_known(head) or m.word_is_known(head + "а"):
                return word[i + 1 :]
    return None


# a Russian surname in -ов/-ев/-ин/-ын and its case endings (masculine, feminine, plural);
# the browser uses the same pattern (search.js, from meta.js), so keep it in syntax both share
SURNAME_ENDINGS = ("", "а", "у", "ым", "ом", "е", "ой", "ою", "ую", "ы", "ых", "ыми")
SURNAME_PATTERN = "^(.{2,}(?:ов|ев|ин|ын))(?:" + "|".join(e for e in SURNAME_ENDINGS if e) + ")?$"
_SURNAME_RE = re.compile(SURNAME_PATTERN)


def surname_base(word: str) -> str | None:
    """The nominative of a folded word shaped like a case form of a Russian surname
    (костровым -> костров, лазутину -> лазутин, лебедевой -> лебедев), else None. Only a shape:
    callers take it as a surname when the register names someone so (search/query.py)."""
    m = _SURNAME_RE.match(word) if is_cyrillic(word) else None
    return m.group(1) if m else None


class Analyzer:
    """Keys of folded words by script and language; ``languages`` are the edition's languages."""

    def __init__(self, languages=()):
        langs = [base_lang(x) for x in languages if x]
        self.latin = [
            x for x in dict.fromkeys(langs) if SNOWBALL.get(x) and x not in CYRILLIC_LANGS
        ]
        self.latin = [x for x in self.latin if x not in GREEK_LANGS] or ["en"]
        self._caches: dict[str, dict[str, str]] = {}

    def latin_for(self, lang: str | None) -> str:
        """The language whose stemmer takes Latin-script words of a text in ``lang``."""
        b = base_lang(lang)
        if SNOWBALL.get(b) and b not in CYRILLIC_LANGS and b not in GREEK_LANGS:
            return b
        return self.latin[0]

    def stem_all(self, toks: list[str], latin: str) -> list[str]:
        """Keys of folded ``toks``; Latin-script words with ``latin``'s stemmer."""
        cache = self._caches.get(latin)
        if cache is None or len(cache) > 1_000_000:  # bounded: a vocabulary, not a corpus
            cache = self._caches[latin] = {}
        missing = set(toks).difference(cache)
        if missing:
            cyr = [t for t in missing if is_cyrillic(t)]
            grk = [t for t in missing if is_greek(t)]
            lat = [t for t in missing if not is_cyrillic(t) and not is_greek(t)]
            cache.update(zip(cyr, _stem_words("ru", [lemma(t) for t in cyr]), strict=True))
            cache.update(zip(grk, _stem_words("el", grk), strict=True))
            cache.update(zip(lat, _stem_words(latin, lat), strict=True))
        return [cache[t] for t in toks]

    def stem(self, token: str, latin: str | None = None) -> str:
        return self.stem_all([token], latin or self.latin[0])[0]

    def stems(self, token: str) -> list[str]:
        """Every key a folded query word may have in this edition (one per Latin language)."""
        if is_cyrillic(token) or is_greek(token):
            return [self.stem(token)]
        return list(dict.fromkeys(self.stem(token, x) for x in self.latin))

    def surname_keys(self, base: str) -> list[str]:
        """The keys of every case form of the surname ``base`` (костров: костер, костр,
        костров...), so that any form of it finds the letters with any other."""
        return sorted(set(self.stem_all([base + e for e in SURNAME_ENDINGS], self.latin[0])))

    def parts(self, toks: list[str]) -> list[str]:
        """Keys of the last parts of the compounds among folded ``toks`` (хлебозаготовки ->
        the key of заготовка), indexed beside the words so a part finds its compounds."""
        tails = [t for t in map(compound_tail, toks) if t]
        return self.stem_all(tails, self.latin[0]) if tails else []


def _stem_words(lang: str, words: list[str]) -> list[str]:
    algo = SNOWBALL.get(lang)
    if not algo or not words:
        return words
    return [s or w for s, w in zip(stemmer(algo).stemWords(words), words, strict=True)]


@lru_cache(maxsize=16)
def shared_analyzer(languages: tuple[str, ...]) -> Analyzer:
    """One analyzer per language set, so searches share its stem cache."""
    return Analyzer(languages)


def js_fold_table() -> str:
    """The folding table as JavaScript, for the browser's twin of ``fold`` (search.js)."""
    import json

    return json.dumps({"special": SPECIAL, "marks": MARKS}, ensure_ascii=False)
