"""Stance: evaluative words about a person named in the same sentence.

A sentence that names a register person (names.py) and uses a word of praise or trust (толково,
дельный, хороший работник, молодец, ausgezeichnet, zuverlässig, tüchtig) or of blame (плохо,
безобразно, бездельник, провалил, enttäuscht, unfähig, nachlässig) proposes a stance ``positive``
or ``negative`` (``value``) towards the person nearest the evaluative word. The lists are short
and generic: a coder decides.
"""

from __future__ import annotations

import re

from .corpus import Corpus
from .names import find as find_names

POSITIVE = re.compile(
    r"\b(толков\w*|дельн\w+|молодец|молодцы|хорош\w*\s+работ\w*|отличн\w+|прекрасн\w+|"
    r"энергичн\w+|надёжн\w+|надежн\w+|честн\w+|способн\w+|умн\w+|поддержать|похвал\w+|"
    r"ausgezeichnet|zuverlässig|tüchtig|hervorragend|vortrefflich|fähig\w*|verlässlich|"
    r"hat\s+recht|lob\w*|excellent|reliable|capable|able)\b",
    re.I,
)
NEGATIVE = re.compile(
    r"\b(плох\w+|из\s+рук\s+вон|безобраз\w+|бездель\w+|провал\w+|неспособ\w+|негодн\w+|"
    r"бюрократ\w*|разгильдя\w+|халатн\w+|обман\w+|снять|выговор\w*|"
    r"enttäusch\w*|unfähig\w*|nachlässig\w*|schlecht\w*|versagt|unzuverlässig\w*|"
    r"incompetent|failed|careless|useless)\b",
    re.I,
)


def suggest(corpus: Corpus) -> list[dict]:
    kinds = {r["id"]: r["kind"] for r in corpus.store.execute("SELECT id, kind FROM entries")}
    coded = set()
    for r in corpus.store.execute(
        "SELECT letter_id, entry_id FROM letter_mentions WHERE stance IS NOT NULL"
    ):
        coded.add((r["letter_id"], r["entry_id"]))
    persons: dict[str, list[dict]] = {}
    for n in find_names(corpus):
        if kinds.get(n["entry"]) == "person":
            persons.setdefault(n["letter"], []).append(n)
    out = []
    for t in corpus.texts:
        named = persons.get(t.letter, [])
        if not named:
            continue
        for start, sentence in t.sentences:
            end = start + len(sentence)
            here = [n for n in named if start <= n["at"] < end]
            if not here:
                continue
            for polarity, rx in (("positive", POSITIVE), ("negative", NEGATIVE)):
                for m in rx.finditer(sentence):
                    pos = start + m.start()
                    n = min(here, key=lambda n: abs(n["at"] - pos))
                    if corpus.skip_coded and (t.letter, n["entry"]) in coded:
                        continue
                    out.append({"kind": "stance", "letter": t.letter, "text": sentence.strip(),
                                "at": start, "entry": n["entry"], "value": polarity,
                                "status": m.group(), "confidence": 0.5,
                                "source": f"stance:{polarity}-words"})  # fmt: skip
    seen, unique = set(), []
    for s in out:  # one per person, polarity and sentence
        k = (s["letter"], s["entry"], s["value"], s["at"])
        if k not in seen:
            seen.add(k)
            unique.append(s)
    return unique
