"""Quantities: numbers with units and commodities, read as proposed or decided.

A number is written in digits (``1 200``, ``2.000.000``, ``3,5``) or in words (Russian: "два
миллиона", "двухсот пятидесяти тысяч", by lemma; German: "zwei", "zwanzig", "hundert"), with a
multiplier (тыс., млн., Millionen, Mio.), followed by a unit (тонн, пудов, рублей, крон, Mark,
RM, %, Tonnen...) or by a counted thing (50 тракторов, 640 вагонов, 40 Traktoren). Bare numbers,
days, years and times are no quantities. The commodity is the thing counted, or the noun after the
unit (тонн хлеба, Tonnen Roggen), named in English where the table below knows it.

The sentence decides the status: a request or proposal (прошу, предлагаю, ich bitte, schlägt vor,
bietet an) makes the figure *proposed*; a decision (согласен, утвердить, выделите, einverstanden,
stimme zu, genehmige) *decided*; otherwise none. A decided figure in a reply is paired with the
proposed figure of the same unit (and commodity, where both have one) in the letter it answers
(``answers``).
"""

from __future__ import annotations

import re

from ..search.fold import fold
from .corpus import Corpus
from .matters import DECISION, REQUEST

NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+(?:[.,]\d+)?)(?![\w])")
TOKEN = re.compile(r"%|[^\W_]+\.?|\d")

MULTIPLIERS = {
    "тыс": 1e3, "тысяча": 1e3, "млн": 1e6, "миллион": 1e6, "млрд": 1e9, "миллиард": 1e9,
    "tausend": 1e3, "tsd": 1e3, "million": 1e6, "millionen": 1e6, "mill": 1e6, "mio": 1e6,
    "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "thousand": 1e3, "millions": 1e6,
}  # fmt: skip
# unit word (Russian lemma or folded German/English word) -> (unit, commodity or None)
UNITS = {
    "тонна": ("t", None), "т": ("t", None), "пуд": ("pud", None), "центнер": ("quintal", None),
    "рубль": ("rouble", "currency"), "руб": ("rouble", "currency"), "червонец": ("chervonets", "currency"),
    "крона": ("crown", None), "марка": ("mark", None), "доллар": ("dollar", "currency"),
    "фунт": ("pound", None), "процент": ("percent", None), "%": ("percent", None),
    "гектар": ("ha", None), "га": ("ha", None), "километр": ("km", None), "км": ("km", None),
    "вагон": ("wagon", "wagons"),
    "tonnen": ("t", None), "tonne": ("t", None), "tons": ("t", None), "t": ("t", None),
    "zentner": ("quintal", None), "doppelzentner": ("quintal", None), "kg": ("kg", None),
    "mark": ("mark", None), "rm": ("mark", None), "reichsmark": ("mark", None),
    "kronen": ("crown", None), "krone": ("crown", None), "gulden": ("gulden", None),
    "schilling": ("schilling", None), "dollar": ("dollar", "currency"), "pfund": ("pound", None),
    "franken": ("franc", None), "francs": ("franc", None), "prozent": ("percent", None),
    "percent": ("percent", None), "hektar": ("ha", None), "waggons": ("wagon", "wagons"),
    "waggon": ("wagon", "wagons"), "wagen": ("wagon", "wagons"), "stuck": ("item", None),
}  # fmt: skip
# commodity word (Russian lemma or folded German/English stem-ish word) -> English name
COMMODITIES = {
    "хлеб": "grain", "зерно": "grain", "рожь": "rye", "пшеница": "wheat", "овёс": "oats",
    "овес": "oats", "ячмень": "barley", "хлопок": "cotton", "лён": "flax", "сахар": "sugar",
    "валюта": "currency", "золото": "currency", "кредит": "credit", "лес": "timber",
    "нефть": "oil", "уголь": "coal", "сталь": "steel", "чугун": "pig iron", "трактор": "tractors",
    "грузовик": "trucks", "автомобиль": "cars", "комбайн": "combines", "паровоз": "locomotives",
    "вагон": "wagons", "скот": "livestock", "мясо": "meat", "масло": "butter", "рыба": "fish",
    "roggen": "rye", "weizen": "wheat", "getreide": "grain", "korn": "grain", "gerste": "barley",
    "hafer": "oats", "baumwolle": "cotton", "zucker": "sugar", "kohle": "coal", "holz": "timber",
    "stahl": "steel", "eisen": "iron", "kredit": "credit", "anleihe": "loan", "fracht": "freight",
    "preis": "price", "traktoren": "tractors", "traktor": "tractors", "lastwagen": "trucks",
    "lokomotiven": "locomotives", "vieh": "livestock", "grain": "grain", "wheat": "wheat",
}  # fmt: skip
# words after a number that make it no quantity (time and dates)
NOT_QUANTITY = set(
    """год день неделя месяц час минута сутки раз число утро вечер ночь
    январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
    jahr jahre jahren tag tage tagen woche wochen monat monate monaten uhr stunde stunden minuten
    mal januar februar marz april mai juni juli august september oktober november dezember
    year years day days week weeks month months hour hours""".split()
)
RU_NUMBERS = {
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
    "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12, "пятнадцать": 15,
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60,
    "семьдесят": 70, "восемьдесят": 80, "девяносто": 90, "сто": 100, "двести": 200,
    "триста": 300, "четыреста": 400, "пятьсот": 500, "шестьсот": 600, "семьсот": 700,
    "восемьсот": 800, "девятьсот": 900, "полтора": 1.5,
}  # fmt: skip
DE_NUMBERS = {
    "eine": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7,
    "acht": 8, "neun": 9, "zehn": 10, "zwanzig": 20, "dreissig": 30, "vierzig": 40,
    "funfzig": 50, "hundert": 100, "zweihundert": 200, "dreihundert": 300, "anderthalb": 1.5,
}  # fmt: skip


def _morph():
    from ..analyse.words import _morph as m

    return m()


def _lemma(word: str) -> str:
    w = fold(word.rstrip("."))
    if w in MULTIPLIERS or w in UNITS:
        return w
    if re.match("[а-я]", w):
        return _morph().parse(w)[0].normal_form.replace("ё", "е")
    return w


def _digits(s: str) -> float:
    s = re.sub(r"[ \u00a0\u202f]", "", s)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
        s = s.replace(".", "")
    return float(s.replace(",", "."))


def _word_number(lemmas: list[str], i: int) -> tuple[float, int] | None:
    """A number in words starting at lemmas[i]: (value, words used)."""
    total, cur, j = 0.0, 0.0, i
    while j < len(lemmas):
        w = lemmas[j]
        n = RU_NUMBERS.get(w, DE_NUMBERS.get(w))
        if n is not None:
            cur += n
        elif w in MULTIPLIERS and (cur or j > i):
            total += (cur or 1) * MULTIPLIERS[w]
            cur = 0
        else:
            break
        j += 1
    if j == i or (total + cur) == 0:
        return None
    return total + cur, j - i


def _status(sentence: str) -> str | None:
    low = sentence.lower()
    if REQUEST.search(low):
        return "proposed"
    if DECISION.search(low):
        return "decided"
    return None


def find_in(text: str) -> list[dict]:
    """Quantities in one sentence (offsets within it)."""
    toks = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    # merge digit groups "1 200" into single tokens using NUMBER
    numbers = {m.start(): m for m in NUMBER.finditer(text)}
    items = []
    i = 0
    while i < len(toks):
        s, e, w = toks[i]
        if s in numbers:
            m = numbers[s]
            items.append((s, m.end(), m.group(), "num"))
            while i < len(toks) and toks[i][0] < m.end():
                i += 1
            continue
        items.append((s, e, w, "word"))
        i += 1
    lemmas = [_lemma(w) if kind == "word" else w for _, _, w, kind in items]
    out = []
    i = 0
    while i < len(items):
        s, e, w, kind = items[i]
        if kind == "num":
            value, used = _digits(w), 1
            after = text[e : e + 3]
            if re.match(r"\)|[-/.][^\s\d]|\.\s+[«\"\w]", after) and (
                value < 100 or after[0] != "."
            ):
                i += 1  # "1)", "2. Щукин" (points), "16-го", "19/VIII", "16.VIII" (dates)
                continue
        else:
            got = _word_number(lemmas, i)
            if got is None:
                i += 1
                continue
            value, used = got
        j = i + used
        scaled = kind != "num"  # a number in words, or one with тыс./млн.: a figure, unit or not
        while j < len(items) and lemmas[j].rstrip(".") in MULTIPLIERS:
            scaled = True
            value *= MULTIPLIERS[lemmas[j].rstrip(".")]
            j += 1
        unit = commodity = None
        if j < len(items):
            nxt = lemmas[j].rstrip(".")
            if nxt in NOT_QUANTITY:
                i = j
                continue
            if nxt in UNITS:
                unit, commodity = UNITS[nxt]
                j += 1
                # "рублей золотом", "тонн хлеба", "Tonnen Roggen", "Mark Kredit"
                if j < len(items) and lemmas[j] in COMMODITIES and commodity in (None, "currency"):
                    commodity = COMMODITIES[lemmas[j]]
                    j += 1
            elif nxt in COMMODITIES or _counted(items[j][2], lemmas[j]):
                unit, commodity = "item", COMMODITIES.get(nxt, nxt)
                if commodity == "wagons":
                    unit = "wagon"
                j += 1
        if unit is None and scaled and value >= 1000:
            unit, commodity = _unit_near(lemmas, i)  # "1 850 тыс." with "тонн" said before
        if unit is None or (kind == "num" and 1800 <= value <= 2099 and unit == "item"):
            i = j if j > i else i + 1
            continue
        if commodity is None:
            commodity = _commodity_near(lemmas, i)
        out.append(
            {
                "text": text[s : items[j - 1][1]],
                "at": s,
                "value": value,
                "unit": unit,
                "commodity": commodity,
            }  # fmt: skip
        )
        i = j
    return out


def _counted(word: str, lemma: str) -> bool:
    """A noun counted by the number before it (тракторов, Traktoren), not a unit or a date."""
    if lemma in NOT_QUANTITY or not word[:1].isalpha():
        return False
    if re.match("[а-яё]", word.lower()):
        p = _morph().parse(word.lower())[0]
        return p.tag.POS == "NOUN" and "Name" not in p.tag and "Geox" not in p.tag
    return word[:1].isupper() and len(word) > 3  # German nouns are capitalised


def _unit_near(lemmas: list[str], i: int) -> tuple[str | None, str | None]:
    """The unit named nearest to position ``i`` in the sentence, else "unstated"."""
    near = [j for j, w in enumerate(lemmas) if w.rstrip(".") in UNITS and w != "т"]
    if not near:
        return "unstated", None
    j = min(near, key=lambda j: abs(j - i))
    return UNITS[lemmas[j].rstrip(".")]


def _commodity_near(lemmas: list[str], i: int) -> str | None:
    best = None
    for j, w in enumerate(lemmas):
        if w in COMMODITIES and (best is None or abs(j - i) < abs(best - i)):
            best = j
    return COMMODITIES[lemmas[best]] if best is not None else None


def find(corpus: Corpus) -> list[dict]:
    out = []
    for t in corpus.texts:
        for start, sentence in t.sentences:
            status = _status(sentence)
            for q in find_in(sentence):
                out.append({**q, "at": start + q["at"], "letter": t.letter, "status": status})
    return out


def suggest(corpus: Corpus) -> list[dict]:
    coded = {}
    for r in corpus.store.execute("SELECT letter_id, quantity, unit FROM quantities"):
        coded.setdefault(r["letter_id"], set()).add(r["quantity"])
    found = find(corpus)
    proposed: dict[str, list[dict]] = {}
    for q in found:
        if q["status"] == "proposed":
            proposed.setdefault(q["letter"], []).append(q)
    out = []
    for q in found:
        if corpus.skip_coded and q["value"] in coded.get(q["letter"], ()):
            continue
        answers = None
        if q["status"] == "decided":
            earlier = corpus.answers.get(q["letter"])
            for p in proposed.get(earlier, []):
                if p["unit"] == q["unit"] and (
                    not p["commodity"] or not q["commodity"] or p["commodity"] == q["commodity"]
                ):
                    answers = earlier
                    break
        conf = 0.85 if q["unit"] != "item" else 0.7
        out.append({**q, "kind": "quantity", "answers": answers, "confidence": conf,
                    "source": "quantities:pattern"})  # fmt: skip
    return out
