"""Acronyms and abbreviations the letters use and the glossary lacks, with counts and first use.

Found three ways, in any language:

- words with two or more capitals (ЦК, ОГПУ, НКИДа, UdSSR, ГлавЗерно, НУФин) in texts that are
  not written in capitals throughout (telegrams often are); a Russian all-capital word that the
  dictionary knows as an ordinary word (СРОЧНО) is none; a case ending after the capitals
  (НКИДа, ВСНХ-у) is dropped to give the base form;
- words pymorphy3 tags as abbreviations (``Abbr``), whatever their case;
- Soviet-style syllabic compounds (Наркомзем, Госбанк, Главзерно, райком): a Russian noun that
  starts with one of the usual leading syllables and whose remainder is a word of its own, or
  that ends in one of the usual closing syllables (исполком, полпред, совхоз) after at least
  two letters; and the bare syllable words themselves (нарком, главк); a word of нарком and a
  truncated stem (Наркомзем, Наркомфин, Наркомпрос, Наркомвнудел) always counts, as these
  stems are no words of their own;
- dotted abbreviations of two or more truncated words (зол. руб., с.-х., Dr. med.): a run of
  short words each followed by a full stop, at least one of three letters or more, and at
  no Russian dictionary word of four letters or more among them (тыс. тонн. ends a sentence)
  and, in other scripts, none of more than five letters and the later ones in lower case;
  runs of unit words only (тыс. руб.) and of single letters (т. е., z. B.) are none, and in a
  Latin script a run seen only once is dropped (on Schnitzler most such were sentence ends);
- slashed abbreviations (с/х, з/к, п/я, c/o): one to three letters, a slash, one to three
  letters, no digits (1/2 is a fraction), not inside a web address (anno.onb.ac.at/cgi-content)
  not two Roman numerals (XII/I) and, in a Latin script, not two lower-case words (and/or);
- Russian contractions with a hyphen (р-н, з-д, т-во, о-во, ф-ка, р-на): one or two letters, a
  hyphen, one to three letters, where the whole is no dictionary word (из-за, кто-то) and no
  word of two letters takes a particle (ну-ка, на-то).

A form counts as known when the glossary (terms and their names) or the letters' own
``<abbr>``/``<term>`` markup has it (compared folded); an organisation of the register with that
name is given as ``entry``.
"""

from __future__ import annotations

import re
from collections import Counter

from ..search.fold import fold, is_cyrillic
from .corpus import Corpus

CAPS = re.compile(r"\b[^\W\d_]*[A-ZÄÖÜА-ЯЁ][^\W\d_]*[A-ZÄÖÜА-ЯЁ][^\W\d_]*\b")
# Russian case endings written after an acronym (НКИДа, ЦКК-ой): dropped for the base form
_CASE_ENDING = re.compile(r"^([А-ЯЁ]{2,})-?(а|у|ом|ой|е|ы|ов|ам|ами|ах|ю)$")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
SYLLABLES = ("нарком", "глав", "гос", "пром", "торг", "внеш", "центр", "проф", "парт", "обл",
             "губ", "край", "рай", "окр", "сов", "мос", "лен", "тех", "хоз")  # fmt: skip
# closing syllables of Soviet compounds (исполком, полпред, совхоз, Внешторг) and syllable words
# used alone
CLOSING = ("ком", "пред", "хоз", "торг", "снаб", "сек")
SYLLABLE_WORDS = frozenset("нарком наркомат главк губком райком обком партком".split())
# abbreviated units and numbers (тыс., млн., руб.) are no acronyms to explain
UNIT_WORDS = frozenset("тыс млн млрд руб коп сто проц".split())
WORD = re.compile(r"[^\W\d_]+")
SLASHED = re.compile(r"(?<![\w/.:-])([^\W\d_]{1,3})/([^\W\d_]{1,3})(?![\w/:-])")
HYPHENED = re.compile(r"(?<![\w-])([а-яё]{1,2})-([а-яё]{1,3})(?![\w-])")
PARTICLES = frozenset("то ка де с таки либо".split())


def _morph():
    from ..analyse.words import _morph as m

    return m()


def base_form(word: str) -> str:
    m = _CASE_ENDING.match(word)
    return m.group(1) if m else word


def _syllabic(word: str) -> bool:
    low = word.lower()
    if not is_cyrillic(low):
        return False
    if low in SYLLABLE_WORDS or _closing(low):
        return True
    if low.startswith("наркоман"):
        return False  # a drug addict, not a commissar
    if low.startswith("нарком") and len(low) >= 8:
        # a People's Commissariat: нарком + a truncated stem (-зем, -фин, -прос)
        return _morph().parse(low)[0].tag.POS == "NOUN"
    if len(low) < 6:
        return False
    for syl in SYLLABLES:
        rest = low[len(syl) :]
        if low.startswith(syl) and len(rest) >= 3:
            morph = _morph()
            parses = morph.parse(low)
            if parses[0].tag.POS != "NOUN" or any(p.tag.POS == "ADJF" for p in parses):
                return False  # "Главное" is an adjective used as a noun
            r = morph.parse(rest)[0]
            if r.tag.POS == "NOUN" and morph.word_is_known(rest) and len(r.normal_form) >= 3:
                return True
    return False


def _closing(low: str) -> bool:
    """A noun whose dictionary form is two or more letters, then a closing syllable, where
    those letters are a leading syllable or no word of their own (исполком, полпред, совхоз;
    not знаком, знак's instrumental, nor потолок)."""
    morph = _morph()
    parses = morph.parse(low)
    p = parses[0]
    if p.tag.POS != "NOUN" or any(q.tag.POS in ("ADJF", "VERB", "INFN") for q in parses):
        return False
    form = p.normal_form
    for syl in CLOSING:
        head = form[: -len(syl)]
        if form.endswith(syl) and len(head) >= 2:
            if head in SYLLABLES or head in ("испол", "пол", "кол", "зав", "парт", "мест",
                                             "гор", "рев", "проф", "нар", "ген"):  # fmt: skip
                return True
    return False


DOTTED = re.compile(r"(?<![\w.])(?:[^\W\d_]{1,6}\.(?:-|\s)?){2,}")


def dotted(text: str):
    """(match start, form) of each dotted abbreviation of several words in ``text``."""
    for m in DOTTED.finditer(text):
        parts = re.findall(r"[^\W\d_]+", m.group())
        if max(len(p) for p in parts) < 3 or all(p.lower() in UNIT_WORDS for p in parts):
            continue
        if is_cyrillic(parts[0][:1].lower()):
            morph = _morph()
            if any(len(p) >= 4 and p.lower() not in UNIT_WORDS and morph.word_is_known(p.lower())
                   for p in parts):  # fmt: skip
                continue  # a whole word ending a sentence (тыс. тонн.), not an abbreviation
        elif any(p[:1].isupper() for p in parts[1:]) or max(len(p) for p in parts) > 5:
            continue
        yield m.start(), re.sub(r"\s+", " ", m.group().strip())


def joined(text: str):
    """(match start, form) of each slashed abbreviation and Russian hyphen contraction."""
    for m in SLASHED.finditer(text):
        a, b = m.group(1), m.group(2)
        if _ROMAN.match(a) and _ROMAN.match(b):
            continue  # XII/I: a date
        if (
            not is_cyrillic(a[:1].lower())
            and a.islower()
            and b.islower()
            and min(len(a), len(b)) > 1
        ):
            continue  # and/or: two words
        yield m.start(), m.group()
    for m in HYPHENED.finditer(text):
        head, tail = m.group(1), m.group(2)
        if (tail in PARTICLES and len(head) > 1) or _morph().word_is_known(m.group()):
            continue
        if _morph().word_is_known(head) and _morph().word_is_known(tail) and len(head) > 1:
            continue  # two words joined (по-за), not a contraction
        yield m.start(), m.group()


def _is_acronym(word: str, shouting: bool) -> tuple[float, str] | None:
    if _ROMAN.match(word) or word.lower() in UNIT_WORDS:
        return None
    if CAPS.fullmatch(word) and not shouting:
        letters = [c for c in word if c.isalpha()]
        caps = sum(1 for c in letters if c.isupper())
        if caps == len(letters) and is_cyrillic(word[:1].lower()):
            p = _morph().parse(word.lower())[0]
            if _morph().word_is_known(word.lower()) and "Abbr" not in p.tag and len(word) > 3:
                return None  # an ordinary word in capitals
        if caps == len(letters) and len(letters) > 7:
            return None  # a shouted word, not an acronym
        return (0.9 if caps == len(letters) else 0.8), "acronyms:capitals"
    if is_cyrillic(word[:1].lower()):
        low = word.lower()
        p = _morph().parse(low)[0]
        if "Abbr" in p.tag and "Orgn" in p.tag and _morph().word_is_known(low):
            return 0.7, "acronyms:dictionary"
        if _syllabic(word):
            return 0.6, "acronyms:syllabic"
    return None


def known_forms(store) -> set[str]:
    out = set()
    for r in store.execute(
        "SELECT e.name FROM entries e WHERE e.kind = 'term' "
        "UNION SELECT n.name FROM entry_names n JOIN entries e ON e.id = n.entry_id "
        "WHERE e.kind = 'term' UNION SELECT term FROM letter_terms"
    ):
        if r["name"]:
            out.add(fold(r["name"]))
    return out


def find(corpus: Corpus) -> dict[str, dict]:
    """base form -> {count, letters, first letter, first text, confidence, source}."""
    found: dict[str, dict] = {}
    for t in corpus.texts:
        letters = [c for c in t.text if c.isalpha()]
        shouting = len(letters) > 40 and sum(c.isupper() for c in letters) > 0.6 * len(letters)
        cache: dict[str, tuple | None] = {}
        for m in WORD.finditer(t.text):
            w = m.group()
            if w not in cache:
                cache[w] = _is_acronym(w, shouting)
            hit = cache[w]
            if hit is None:
                continue
            base = base_form(w)
            if hit[1] != "acronyms:capitals" and is_cyrillic(base[:1].lower()):
                base = _morph().parse(w.lower())[0].normal_form  # Крайсовета = крайсовет
            f = found.get(base)
            if f is None:
                f = found[base] = {"count": 0, "letters": Counter(), "letter": t.letter,
                                   "text": w, "at": m.start(), "confidence": hit[0],
                                   "source": hit[1]}  # fmt: skip
            f["count"] += 1
            f["letters"][t.letter] += 1
        for source, hits in (
            ("acronyms:dotted", dotted(t.text)),
            ("acronyms:joined", joined(t.text)),
        ):
            for at, form in hits:
                f = found.get(form)
                if f is None:
                    f = found[form] = {"count": 0, "letters": Counter(), "letter": t.letter,
                                       "text": form, "at": at, "confidence": 0.6,
                                       "source": source}  # fmt: skip
                f["count"] += 1
                f["letters"][t.letter] += 1
    return found


def suggest(corpus: Corpus) -> list[dict]:
    known = known_forms(corpus.store)
    orgs = {}
    for r in corpus.store.execute("SELECT id, name FROM entries WHERE kind = 'org'"):
        orgs.setdefault(fold(r["name"]), r["id"])
    out = []
    for base, f in find(corpus).items():
        if (
            f["source"] == "acronyms:dotted"
            and f["count"] < 2
            and not is_cyrillic(base[:1].lower())
        ):
            continue  # once only, in a Latin script: mostly sentence ends (ging. v.), not kept
        if corpus.skip_coded and (fold(base) in known or fold(f["text"]) in known):
            continue
        out.append(
            {
                "kind": "acronym",
                "letter": f["letter"],
                "text": base,
                "at": f["at"],
                "entry": orgs.get(fold(base)),
                "value": f["count"],
                "unit": "occurrences",
                "commodity": None,
                "status": f"{len(f['letters'])} letter(s)",
                "confidence": f["confidence"],
                "source": f["source"],
            }
        )
    return out
