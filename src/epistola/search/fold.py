"""Text analysis for search: tokenise, fold (case, diacritics, ё/е, ß/ss) and stem.

The same functions analyse the letters at index time and the query at search time, so a query
word matches exactly the texts whose words analyse to the same key. Two keys exist per word:

- the *folded form* (``fold_token``): lower case, diacritics removed, ё -> е, ß -> ss, pre-reform
  Cyrillic letters mapped to their modern ones; й stays й (it is a letter of its own);
- the *stem* (``Analyzer.stem``): the Snowball stem of the folded form, chosen by script: Cyrillic
  words with the Russian stemmer, Latin words with the stemmer of the text's language (or the
  edition's first Latin-script language).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Letters and digits; underscores and marks split words (as in SQLite's unicode61 tokenizer).
WORD_RE = re.compile(r"[^\W_]+")

SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "et": "estonian", "eu": "basque",
    "fi": "finnish", "fr": "french", "ga": "irish", "hu": "hungarian", "hy": "armenian",
    "id": "indonesian", "it": "italian", "la": None, "lt": "lithuanian", "nl": "dutch",
    "no": "norwegian", "nb": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "sv": "swedish", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
CYRILLIC_LANGS = {"ru", "uk", "be", "bg", "sr", "mk"}
GREEK_LANGS = {"el", "grc"}

# letters that are no base letter plus a combining mark, and the pre-reform Russian letters
_SPECIAL = {
    "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
    "þ": "th", "ı": "i", "ѣ": "е", "і": "и", "ѳ": "ф", "ѵ": "и", "ʹ": "", "ʺ": "",
}  # fmt: skip
_SPECIAL_RE = re.compile("[" + "".join(_SPECIAL) + "]")
# combining marks, except the breve that makes и into й (й is a letter of its own)
_MARKS_RE = re.compile("[\u0300-\u0305\u0307-\u036f]")
_BREVE_RE = re.compile("(?<![иИ])\u0306")


def fold(text: str) -> str:
    """Lower-case ``text`` and remove diacritics, keeping й; ё -> е, ß -> ss."""
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


def base_lang(code: str | None) -> str:
    return (code or "").split("-")[0].split("_")[0].lower()


@lru_cache(maxsize=64)
def _stemmer(algorithm: str):
    return Stemmer.Stemmer(algorithm, 50000)


class Analyzer:
    """Stems folded words by script and language; ``languages`` are the edition's languages."""

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
        """Stems of folded ``toks``; Latin-script words with ``latin``'s stemmer."""
        cache = self._caches.get(latin)
        if cache is None or len(cache) > 1_000_000:  # bounded: a vocabulary, not a corpus
            cache = self._caches[latin] = {}
        missing = set(toks).difference(cache)
        if missing:
            cyr = [t for t in missing if is_cyrillic(t)]
            lat = [t for t in missing if not is_cyrillic(t)]
            cache.update(zip(cyr, _stem_words("ru", cyr), strict=True))
            cache.update(zip(lat, _stem_words(latin, lat), strict=True))
        return [cache[t] for t in toks]

    def stem(self, token: str, latin: str | None = None) -> str:
        return self.stem_all([token], latin or self.latin[0])[0]

    def stems(self, token: str) -> list[str]:
        """Every stem a folded query word may have in this edition (one per Latin language)."""
        if is_cyrillic(token):
            return [self.stem(token)]
        return list(dict.fromkeys(self.stem(token, x) for x in self.latin))


def _stem_words(lang: str, words: list[str]) -> list[str]:
    algo = SNOWBALL.get(lang)
    if not algo:
        return words
    return [s or w for s, w in zip(_stemmer(algo).stemWords(words), words, strict=True)]


@lru_cache(maxsize=16)
def shared_analyzer(languages: tuple[str, ...]) -> Analyzer:
    """One analyzer per language set, so searches share its stem cache."""
    return Analyzer(languages)
