"""Topics: groups of words that tend to occur in the same letters (NMF, scikit-learn).

The letters' own words (words.py: lemmas for Russian, stems otherwise, the edition's stop words
dropped) are weighted by TF-IDF and factorised by non-negative matrix factorisation into
``n`` topics (fixed seed: the same edition gives the same topics). A topic is shown by its
top words; a letter's *share* of a topic is its topic weight over the sum of its weights.
Letters with fewer than ``MIN_LETTER_WORDS`` counted words are left out; words in fewer than
``MIN_DF`` letters are left out. Topics are found, not named: their labels are their first words.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ..facts import EditionFacts
from . import charts
from .result import Msg, result, year_of
from .words import bag

MIN_LETTER_WORDS = 20
MIN_DF = 3
TOP_WORDS = 12
TYPICAL = 5


def default_topics(n_letters: int) -> int:
    return max(2, min(12, n_letters // 12))


def model(facts: EditionFacts, topics: int | None = None) -> dict:
    """Fit (once per EditionFacts and n) and return letters, weights (letters x n), words per topic."""
    cache = facts.__dict__.setdefault("_topics", {})
    b = bag(facts)
    kept = [i for i, c in enumerate(b.counts) if sum(c.values()) >= MIN_LETTER_WORDS]
    n = int(topics or default_topics(len(kept)))
    if n in cache:
        return cache[n]
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfTransformer

    out = {"letters": [b.letters[i] for i in kept], "n": n, "short": len(b.letters) - len(kept)}
    if len(kept) < max(4, n):
        out.update(weights=np.zeros((len(kept), 0)), words=[], shares=np.zeros((len(kept), 0)))
        cache[n] = out
        return out
    vec = DictVectorizer()
    x = vec.fit_transform([b.counts[i] for i in kept])
    df = np.asarray((x > 0).sum(axis=0)).ravel()
    cols = np.flatnonzero(df >= MIN_DF)
    x = x[:, cols]
    names = vec.get_feature_names_out()[cols]
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(x)
    nmf = NMF(n_components=n, init="nndsvda", random_state=0, max_iter=300)
    w = nmf.fit_transform(tfidf)
    words = [
        [b.display.get(names[j], names[j]) for j in np.argsort(-comp)[:TOP_WORDS]]
        for comp in nmf.components_
    ]
    sums = w.sum(axis=1, keepdims=True)
    shares = np.divide(w, sums, out=np.zeros_like(w), where=sums > 0)
    out.update(weights=w, words=words, shares=shares)
    cache[n] = out
    return out


def _label(words: list[str]) -> str:
    return " · ".join(words[:3])


def _desc(m: dict, extra: str) -> Msg:
    return Msg(
        "{n} topics found by non-negative matrix factorisation (scikit-learn NMF, fixed seed) "
        "of the TF-IDF-weighted words of {letters} letters' own text (Russian words by lemma, "
        "others by stem; the edition's most common words and words in fewer than {min_df} "
        "letters left out). {short} letters with fewer than {min_words} counted words are left "
        "out. Topics are labelled by their first words, not named. {extra}",
        n=m["n"],
        letters=len(m["letters"]),
        min_df=MIN_DF,
        short=m["short"],
        min_words=MIN_LETTER_WORDS,
        extra=extra,
    )


def topics(facts: EditionFacts, topics: int | None = None, **_) -> dict:
    m = model(facts, topics)
    rows = []
    if m["words"]:
        dominant = m["shares"].argmax(axis=1)
        for t, words in enumerate(m["words"]):
            col = m["weights"][:, t]
            typical = [m["letters"][i] for i in np.argsort(-col)[:TYPICAL] if col[i] > 0]
            rows.append(
                {
                    "topic": t + 1,
                    "label": _label(words),
                    "words": ", ".join(words),
                    "letters_dominant": int((dominant == t).sum()),
                    "share": round(float(m["shares"][:, t].mean()), 4),
                    "typical_letters": " ".join(typical),
                }
            )
    desc = _desc(
        m,
        "letters_dominant: letters in which this topic has the largest share; share: the "
        "topic's mean share over all counted letters; typical_letters: the letters with the "
        "highest weight (ids, space-separated).",
    )
    chart = None
    if rows:
        chart = charts.bars(
            [
                {"topic": f"{r['topic']}. {r['label']}", "letters": r["letters_dominant"]}
                for r in rows
            ],
            x="topic",
            y="letters",
            horizontal=True,
            title="Letters per dominant topic",
            subtitle=desc,
            x_title="topic (first words)",
            y_title="letters in which the topic dominates",
            x_type="N",
        )
    cols = ["topic", "label", "words", "letters_dominant", "share", "typical_letters"]
    counts = {"letters": len(m["letters"]), "topics": len(rows), "left_out_short": m["short"]}
    return result("topics", "topics", "Topics", desc, cols, rows, counts, chart)


def _shares_by(facts, m, group_of, what: str, view: str, left: dict, sort_groups) -> dict:
    per: dict[str, list[int]] = defaultdict(list)
    for i, lid in enumerate(m["letters"]):
        for g in group_of(lid):
            per[g].append(i)
    rows = []
    for g in sort_groups(per):
        idx = per[g]
        mean = m["shares"][idx].mean(axis=0) if m["words"] else []
        for t, words in enumerate(m["words"]):
            rows.append(
                {
                    what: g,
                    "topic": t + 1,
                    "label": _label(words),
                    "letters": len(idx),
                    "share": round(float(mean[t]), 4),
                }
            )
    desc = _desc(
        m,
        Msg(
            "share: the topic's mean share over the {what}'s counted letters (each {what}'s "
            "shares add up to 1).",
            what=what,
        ),
    )
    chart = None
    if rows:
        groups = list(dict.fromkeys(r[what] for r in rows))[:30]
        chart_rows = [
            {**r, "topic": f"{r['topic']}. {r['label']}", "share_pct": round(100 * r["share"])}
            for r in rows
            if r[what] in groups
        ]
        chart = charts.heatmap(
            chart_rows,
            x=what,
            y="topic",
            value="share_pct",
            title=f"Topic shares per {what} (%)",  # one key per grouping
            subtitle=desc,
            x_title=what,
            y_title="topic",
            x_sort=groups,
        )
    counted = {i for v in per.values() for i in v}
    counts = {"letters": len(counted), "left_out_short": m["short"], **left}
    cols = [what, "topic", "label", "letters", "share"]
    return result("topics", view, f"Topics per {what}", desc, cols, rows, counts, chart)


def writers(facts: EditionFacts, topics: int | None = None, top: int = 20, **_) -> dict:
    m = model(facts, topics)
    unknown = sum(1 for lid in m["letters"] if not any(facts.senders(lid)))

    def group_of(lid):
        return [facts.name(s) for s in facts.senders(lid) if s]

    def order(per):
        return sorted(per, key=lambda g: (-len(per[g]), g))[: top or None]

    return _shares_by(facts, m, group_of, "writer", "writers",
                      {"left_out_unknown_party": unknown}, order)  # fmt: skip


def years(facts: EditionFacts, topics: int | None = None, **_) -> dict:
    m = model(facts, topics)
    left = {"left_out_imprecise": 0}

    def group_of(lid):
        y = year_of(facts.letters[lid])
        if y is None:
            left["left_out_imprecise"] += 1
            return []
        return [str(y)]

    return _shares_by(facts, m, group_of, "year", "years", left, sorted)


VIEWS = {"topics": topics, "writers": writers, "years": years}
