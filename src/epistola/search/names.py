"""Name variants: every spelling under which a register entry may be searched.

For each person, place and organisation the index stores *name keys*: folded full names in
several orders, surnames (or, for places and organisations, the significant words), abbreviations,
and for every Cyrillic name its transliterations (Library of Congress, BGN/PCGN, ISO 9 / GOST 7.79,
Wikipedia, French and passport styles from ``iuliia``, and a German (Duden-like) style written
here: Kaganowitsch, Ordschonikidse, Chruschtschow). Latin names with umlauts get ae/oe/ue
spellings too (Müller -> mueller). ё and pre-reform letters (ѣ і ѳ ѵ, final ъ) are mapped first.

At query time, ``query_keys`` turns a query word or phrase into the keys to look up: its folded
form and, for Russian words, its dictionary forms (pymorphy3: Кагановичу -> каганович), the
nominative of a word shaped like a surname's case form (Костровым -> костров) and their
transliterations, so a register with only Latin names is found from Cyrillic queries too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .fold import WORD_RE, fold, is_cyrillic, morph, surname_base, tokens

# iuliia schemas: names a reader may meet in catalogues, maps and older literature.
SCHEMAS = (
    "ala_lc",  # Library of Congress (ligatures fold away)
    "ala_lc_alt",
    "bgn_pcgn",
    "gost_779",  # ISO 9:1995
    "iso_9_1968",
    "wikipedia",
    "scientific",
    "mvd_310_fr",  # French: Kaganovitch, Ordjonikidze
    "icao_doc_9303",  # passports
    "mosmetro",
)
# particles that are no name on their own
PARTICLES = frozenset(
    "von van der den de di da du la le zu zum zur und y e of the и фон де ван".split()
)
_PREREFORM = str.maketrans({"ѣ": "е", "Ѣ": "Е", "і": "и", "І": "И", "ѳ": "ф", "Ѳ": "Ф", "ѵ": "и"})
_FINAL_HARD = re.compile(r"ъ\b")

# German-style transliteration (Duden), letter by letter, with the usual context rules below.
_DE = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "jo", "ж": "sch",
    "з": "s", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch",
    "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja",
}  # fmt: skip
_VOWELS = set("аеёиоуыэюя")


def german_style(word: str) -> str:
    """Duden-like German transliteration of one Russian word (lower case)."""
    w = word.lower()
    out = []
    for i, ch in enumerate(w):
        prev = w[i - 1] if i else ""
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if ch == "е" and (not prev or prev in _VOWELS or prev in "ьъ"):
            out.append("je")
        elif ch == "ё" and prev in ("ж", "ш", "ч", "щ"):
            out.append("o")
        elif ch == "й" and nxt in _VOWELS:
            out.append("j")
        elif ch == "с" and prev in _VOWELS and nxt in _VOWELS:
            out.append("ss")
        elif ch == "и" and prev == "ь":
            out.append("ji")
        else:
            out.append(_DE.get(ch, ch))
    s = "".join(out)
    return s[:-2] + "i" if s.endswith(("ii", "ij")) else s  # Юрий -> Juri


def modernise(text: str) -> str:
    """Map pre-reform Russian letters to modern ones."""
    return _FINAL_HARD.sub("", text.translate(_PREREFORM))


@lru_cache(maxsize=100_000)
def transliterations(word: str) -> tuple[str, ...]:
    """Folded Latin spellings of one Cyrillic word, one per schema in a fixed order (so the
    spellings of the words of a name can be combined schema by schema)."""
    import iuliia

    word = modernise(word.lower())
    plain = word.replace("ё", "е")
    out = [fold(german_style(word)), fold(german_style(plain))]
    for name in SCHEMAS:
        schema = iuliia.schemas.get(name)
        t = schema.translate(word)
        if any(is_cyrillic(c) for c in t if c.isalpha()):  # the schema left ё alone
            t = schema.translate(plain)
        out.append(fold(t))
    return tuple(out)


def _translit_phrase(phrase: str) -> set[str]:
    words = phrase.split()
    if not any(is_cyrillic(w) for w in words):
        return set()
    per_word = [transliterations(w) if is_cyrillic(w) else None for w in words]
    width = len(SCHEMAS) + 2
    return {
        " ".join(p[i] if p else w for p, w in zip(per_word, words, strict=True))
        for i in range(width)
    }


_PATRONYMIC = re.compile(r"(ович|евич|ич|овна|евна|ична|инична)$")


def _words(text: str) -> list[str]:
    """Lower-case words, pre-reform letters modernised, ё kept (transliteration needs it)."""
    return WORD_RE.findall(modernise(text).lower())


def entry_keys(kind: str, names: list[str], forename: str = "", surname: str = "") -> set[str]:
    """Every key (folded word or space-joined words) under which the entry is found."""
    full: set[str] = set()
    single: set[str] = set()
    for name in names:
        toks = _words(name)
        if not toks:
            continue
        full.add(" ".join(toks))
        if "," in name:  # "Surname, Forename"
            sur, _, fore = name.partition(",")
            s, f = _words(sur), _words(fore)
            full.update({" ".join(f + s), " ".join(f[:1] + s)})
            if s:
                single.add(s[-1])
        elif kind == "person":
            if len(toks) == 3 and _PATRONYMIC.search(toks[2]) and not _PATRONYMIC.search(toks[1]):
                single.add(toks[0])  # Russian register order: Surname Forename Patronymic
                full.update({f"{toks[1]} {toks[0]}", f"{toks[1]} {toks[2]} {toks[0]}"})
            else:
                single.add(toks[-1])  # Forename (Patronymic) Surname
                if len(toks) > 2:
                    full.add(f"{toks[0]} {toks[-1]}")
        elif kind == "place" and len(toks[0]) >= 4:
            single.add(toks[0])  # Frankfurt (am Main)
        if len(toks) == 1:
            single.add(toks[0])  # one-word names and abbreviations such as ЦС, OGPU
    s, f = _words(surname or ""), _words(forename or "")
    if s:
        single.add(s[-1])
        full.add(" ".join(s))
        if f:
            full.update({" ".join(f + s), " ".join(s + f), " ".join(f[:1] + s)})
            full.add(" ".join(s + f[:1]))
    single = {x for x in single if x not in PARTICLES and not x.isdigit()}
    keys = full | single
    for k in list(keys):
        keys |= _translit_phrase(k)
        if any(c in k for c in "äöü"):  # Müller -> Mueller as well as Muller
            keys.add(k.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"))
    return {" ".join(tokens(k)) for k in keys} - {""}


def lemmas(word: str) -> list[str]:
    """Dictionary forms of a folded Russian word (Кагановичу -> каганович), most likely first."""
    if not is_cyrillic(word):
        return [word]
    forms = [word]
    for p in morph().parse(word)[:4]:
        forms.append(fold(p.normal_form))
    return list(dict.fromkeys(forms))


def query_keys(words: list[str]) -> list[str]:
    """Name keys to look up for folded query ``words`` (one word or a phrase)."""
    if not words:
        return []
    options = [lemmas(w) for w in words]
    keys = {" ".join(words), " ".join(o[1] if len(o) > 1 else o[0] for o in options)}
    if len(words) == 1:
        keys.update(options[0])
        base = surname_base(words[0])
        if base:  # a surname's case form: лазутиным -> лазутин (pymorphy rarely knows it)
            keys.add(base)
    for k in list(keys):
        keys |= _translit_phrase(k)
    return sorted(keys)
