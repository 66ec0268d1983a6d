"""Suggestions a coder accepts or rejects: proposals made from the letters' untagged text.

    >>> from epistola.suggest import suggest, KINDS
    >>> rows = suggest("sample.sqlite", kinds=["quantity"])
    >>> rows[0]   # {"id": ..., "kind": "quantity", "letter": ..., "text": "2 миллиона тонн", ...}

Every suggestion is a plain dict with ``id`` (stable across runs: kind, letter, text, position),
``kind`` (person, place, organisation, acronym, quantity, matter, stance, subject), ``letter``,
``text`` (the words it rests on), ``entry`` (a linked register id, or None), ``value``, ``unit``,
``commodity``, ``status``, ``answers``, ``confidence`` (0–1) and ``source`` (the rule or model
that made it, e.g. ``names:lemma``). Suggestions are computed from the edition on demand and never
written into its editor-coded tables; accepted ones go into a stand-off CSV (accept.py) that the
next build reads (``[coding] accepted`` in epistola.toml).

One module per kind of suggester, each registered in ``SUGGESTERS`` (name -> function
``fn(corpus) -> list[dict]``); ``corpus.py`` reads the letters once for all of them.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import QueryError
from . import acronyms, matters, names, quantities, stance, subjects
from .corpus import Corpus

# suggester name -> (function, kinds it makes)
SUGGESTERS = {
    "names": (names.suggest, ("person", "place", "organisation")),
    "acronyms": (acronyms.suggest, ("acronym",)),
    "quantities": (quantities.suggest, ("quantity",)),
    "matters": (matters.suggest, ("matter",)),
    "stance": (stance.suggest, ("stance",)),
    "subjects": (subjects.suggest, ("subject",)),
}
KINDS = tuple(k for _, kinds in SUGGESTERS.values() for k in kinds)
COLUMNS = ["id", "kind", "letter", "text", "entry", "value", "unit", "commodity", "status",
           "answers", "confidence", "source"]  # fmt: skip


def suggest(edition, kinds=None, *, skip_coded: bool = True) -> list[dict]:
    """Suggestions of the given kinds (all by default), in edition order of their letters.

    ``skip_coded``: leave out what the editors coded already (a mention of the same entry, a
    glossary term, a coded figure or subject); False proposes everything (to measure accuracy).
    """
    if isinstance(edition, (str, Path)):
        from ..edition import open_edition

        with open_edition(edition) as ed:
            return suggest(ed, kinds, skip_coded=skip_coded)
    kinds = list(kinds or KINDS)
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise QueryError(f"no suggestions of kind {bad[0]!r}", "Kinds: " + ", ".join(KINDS))
    corpus = Corpus(edition, skip_coded=skip_coded)
    out: list[dict] = []
    for fn, made in SUGGESTERS.values():
        if set(made) & set(kinds):
            out += [s for s in fn(corpus) if s["kind"] in kinds]
    order = {lid: i for i, lid in enumerate(corpus.order)}
    out.sort(key=lambda s: (order.get(s["letter"], 1 << 30), KINDS.index(s["kind"])))
    return [corpus.finish(s) for s in out]


__all__ = ["COLUMNS", "KINDS", "SUGGESTERS", "suggest"]
