"""Subjects: from the scheme's word rules (``[coding.rules]``, coding.py) and from topics.

Rule proposals are the ``proposed`` rows ingest made (source ``subjects:rule``). Topic proposals
(source ``subjects:topic``) need some editor coding to learn from: for each topic of the topics
analysis and each coded subject, the *lift* is the topic's mean share in the letters coded with
the subject over its mean share in all letters. A letter whose dominant topic (share at least
``MIN_SHARE``) has a lift of at least ``MIN_LIFT`` for a subject coded on at least
``MIN_CODED`` letters is proposed that subject.
"""

from __future__ import annotations

from collections import defaultdict

from .corpus import Corpus

MIN_SHARE = 0.4
MIN_LIFT = 1.5
MIN_CODED = 3
EDITOR_LEVELS = ("letter", "passage", "standoff")


def coded_subjects(store) -> dict[str, set]:
    out: dict[str, set] = defaultdict(set)
    for r in store.execute(
        "SELECT letter_id, subject FROM letter_subjects WHERE level IN (?, ?, ?)", EDITOR_LEVELS
    ):
        out[r["letter_id"]].add(r["subject"])
    return out


def from_rules(corpus: Corpus) -> list[dict]:
    coded = coded_subjects(corpus.store)
    out = []
    for r in corpus.store.execute(
        "SELECT letter_id, subject FROM letter_subjects WHERE level = 'proposed' ORDER BY letter_id"
    ):
        if corpus.skip_coded and r["subject"] in coded.get(r["letter_id"], ()):
            continue
        out.append({"kind": "subject", "letter": r["letter_id"], "text": r["subject"],
                    "entry": r["subject"], "confidence": 0.6, "source": "subjects:rule"})  # fmt: skip
    return out


def from_topics(corpus: Corpus, coded: dict[str, set] | None = None, letters=None) -> list[dict]:
    """Topic proposals learnt from ``coded`` (default: the editors' coding) for ``letters``."""
    import numpy as np

    from ..analyse.topics import model

    coded = coded_subjects(corpus.store) if coded is None else coded
    if not coded:
        return []  # nothing to learn from
    m = model(corpus.facts)
    if not m["words"]:
        return []
    index = {lid: i for i, lid in enumerate(m["letters"])}
    shares = m["shares"]
    overall = shares.mean(axis=0)
    by_subject: dict[str, list[int]] = defaultdict(list)
    for lid, subs in coded.items():
        if lid in index:
            for s in subs:
                by_subject[s].append(index[lid])
    lift = {}
    for s, idx in by_subject.items():
        if len(idx) >= MIN_CODED:
            with np.errstate(divide="ignore", invalid="ignore"):
                lift[s] = np.where(overall > 0, shares[idx].mean(axis=0) / overall, 0)
    out = []
    for lid in letters if letters is not None else m["letters"]:
        if lid not in index:
            continue
        row = shares[index[lid]]
        t = int(row.argmax())
        if row[t] < MIN_SHARE:
            continue
        for s, lf in lift.items():
            if lf[t] >= MIN_LIFT and not (corpus.skip_coded and s in coded.get(lid, ())):
                conf = float(min(0.9, row[t] * lf[t] / (lf[t] + 1)))
                out.append({"kind": "subject", "letter": lid, "text": f"topic {t + 1}: "
                            + ", ".join(m["words"][t][:5]), "entry": s, "confidence": conf,
                            "source": "subjects:topic"})  # fmt: skip
    return out


def suggest(corpus: Corpus) -> list[dict]:
    return from_rules(corpus) + from_topics(corpus)
