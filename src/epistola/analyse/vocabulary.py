"""Vocabulary: the words that set a writer, a year or a correspondence apart from the rest.

Keyness is Dunning's log-likelihood (G2) of a word's count in the group's letters against its
count in all other letters, over the words of the letters' own text (see words.py: lemmas for
Russian, Snowball stems otherwise, shown as readable words; the edition's most common words
dropped). Only words a group uses *more* than the rest are listed, that occur at least
``MIN_COUNT`` times in at least two of the group's letters; G2 above 10.83 means p < 0.001 for
one word (no correction for the many words tested: read the ranks, not the p-values).
"""

from __future__ import annotations

import numpy as np

from ..facts import EditionFacts
from . import charts
from .result import Msg, result, year_of
from .words import bag

MIN_COUNT = 3
MIN_WORDS = 300  # groups with fewer words are too small to compare
TOP = 10


def _matrix(b):
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, c in enumerate(b.counts):
        for k, n in c.items():
            rows.append(i)
            cols.append(vocab.setdefault(k, len(vocab)))
            vals.append(n)
    m = csr_matrix((vals, (rows, cols)), shape=(len(b.counts), len(vocab)), dtype=np.float64)
    return m, list(vocab)


def keyness(
    facts: EditionFacts, groups: dict[str, list[str]], top: int = TOP, min_words: int = MIN_WORDS
):
    """``groups``: label -> letter ids. Yields rows for each group with enough words."""
    from scipy.sparse import csr_matrix

    b = bag(facts)
    m, keys = _matrix(b)
    index = {lid: i for i, lid in enumerate(b.letters)}
    labels = [g for g in groups if any(lid in index for lid in groups[g])]
    if not labels or m.shape[1] == 0:
        return [], 0
    gr, gc = [], []
    for gi, g in enumerate(labels):
        for lid in dict.fromkeys(groups[g]):
            if lid in index:
                gr.append(gi)
                gc.append(index[lid])
    gm = csr_matrix((np.ones(len(gr)), (gr, gc)), shape=(len(labels), len(b.letters)))
    counts = (gm @ m).toarray()
    present = (gm @ (m > 0).astype(np.float64)).toarray()
    total = np.asarray(m.sum(axis=0)).ravel()
    grand = total.sum()
    rows, small = [], 0
    for gi, g in enumerate(labels):
        a = counts[gi]
        c = a.sum()
        if c < min_words:
            small += 1
            continue
        rest = total - a
        d = grand - c
        if d <= 0:
            continue
        e1 = c * total / grand
        e2 = d * total / grand
        with np.errstate(divide="ignore", invalid="ignore"):
            ll = 2 * (
                np.where(a > 0, a * np.log(a / e1), 0.0)
                + np.where(rest > 0, rest * np.log(rest / e2), 0.0)
            )
        over = (a / c > rest / d) & (a >= MIN_COUNT) & (present[gi] >= 2)
        idx = np.flatnonzero(over)
        idx = idx[np.argsort(-ll[idx], kind="stable")][:top]
        for rank, j in enumerate(idx, 1):
            rows.append(
                {
                    "group": g,
                    "rank": rank,
                    "word": b.display.get(keys[j], keys[j]),
                    "key": keys[j],
                    "count": int(a[j]),
                    "letters": int(present[gi][j]),
                    "per_10k": round(a[j] / c * 10_000, 2),
                    "rest_per_10k": round(rest[j] / d * 10_000, 2),
                    "g2": round(float(ll[j]), 2),
                    "group_words": int(c),
                    "rest_count": int(rest[j]),
                    "rest_words": int(d),
                }
            )
    return rows, small


COLUMNS = ["group", "rank", "word", "key", "count", "letters", "per_10k", "rest_per_10k", "g2",
           "group_words", "rest_count", "rest_words"]  # fmt: skip


def _view(facts, view, groups, what, left, top, min_words):
    b = bag(facts)
    rows, small = keyness(facts, groups, top=top, min_words=min_words)
    counted = {lid for g in groups.values() for lid in g} & set(b.letters)
    counts = {
        "letters": len(counted),
        "groups": len({r["group"] for r in rows}),
        "left_out_small_groups": small,
        "left_out_without_text": b.without_text,
        **left,
    }
    desc = Msg(
        "Distinctive words of each {what}: Dunning's log-likelihood (G2) of the word's count "
        "in the {what}'s letters against all other letters, over the words of the letters' own "
        "text (translations and notes not counted; Russian words by lemma, others by stem, "
        "shown as their commonest spelling). Listed: words the {what} uses more often than the "
        "rest, at least {min_count} times in at least two letters, the top {top} by G2. "
        "{common} very common words (in more than 40% of letters) are left out as stop "
        "words; {what}s with fewer than {min_words} words ({small}) are not compared.",
        what=what,
        min_count=MIN_COUNT,
        top=int(top),
        common=len(b.common),
        min_words=int(min_words),
        small=small,
    )
    shown = list(dict.fromkeys(r["group"] for r in rows))[:4]
    chart_rows = [
        {"word": f"{r['group']}: {r['word']}", "g2": r["g2"], "group": r["group"]}
        for r in rows
        if r["group"] in shown and r["rank"] <= 8
    ]
    chart = None
    if chart_rows:
        chart = charts.bars(
            chart_rows,
            x="word",
            y="g2",
            color="group",
            horizontal=True,
            title=Msg(f"Distinctive words per {what} (first {{n}} {what}s)", n=len(shown)),
            subtitle=desc,
            x_title="word",
            y_title="log-likelihood G2",
            x_type="N",
            sort=None,
        )
    return result("vocabulary", view, f"Distinctive words per {what}", desc, COLUMNS, rows,
                  counts, chart)  # fmt: skip


def writers(facts: EditionFacts, top: int = TOP, min_words: int = MIN_WORDS, **_) -> dict:
    groups: dict[str, list[str]] = {}
    unknown = 0
    for r in facts.letters.values():
        senders = [s for s in facts.senders(r["id"]) if s]
        if not senders:
            unknown += 1
        for s in senders:
            groups.setdefault(facts.name(s), []).append(r["id"])
    groups = dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))
    left = {"left_out_unknown_party": unknown}
    return _view(facts, "writers", groups, "writer", left, top, min_words)


def years(facts: EditionFacts, top: int = TOP, min_words: int = MIN_WORDS, **_) -> dict:
    groups: dict[str, list[str]] = {}
    undated = imprecise = 0
    for r in facts.letters.values():
        y = year_of(r)
        if y is None:
            if r["earliest"]:
                imprecise += 1
            else:
                undated += 1
            continue
        groups.setdefault(str(y), []).append(r["id"])
    left = {"left_out_undated": undated, "left_out_imprecise": imprecise}
    return _view(facts, "years", dict(sorted(groups.items())), "year", left, top, min_words)


def correspondences(facts: EditionFacts, top: int = TOP, min_words: int = MIN_WORDS, **_) -> dict:
    groups: dict[str, list[str]] = {}
    for r in facts.store.execute(
        "SELECT letter_id, correspondence FROM letter_correspondences ORDER BY correspondence"
    ):
        groups.setdefault(r["correspondence"], []).append(r["letter_id"])
    named = {r["id"]: r["name"] for r in facts.store.execute("SELECT id, name FROM entries")}
    groups = {named.get(k, k): v for k, v in sorted(groups.items(), key=lambda kv: -len(kv[1]))}
    inside = {lid for v in groups.values() for lid in v}
    left = {
        "left_out_no_correspondence": sum(
            1 for r in facts.letters.values() if r["id"] not in inside
        )
    }
    return _view(facts, "correspondences", groups, "correspondence", left, top, min_words)


VIEWS = {"writers": writers, "years": years, "correspondences": correspondences}
