"""Priorities: the share of letters and of words given to each subject, per writer, per year.

Subjects come from the edition's coding (``letter_subjects``): whole letters (textClass, the
stand-off table) and passages (``@ana``). Words: a subject coded on the whole letter gets all the
letter's words; a subject coded only on passages gets the words of those passages. Shares are
taken over the coded letters (and their words), so they add up to more than 100% where letters
carry several subjects. Rule-proposed subjects count only with ``proposed=True``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from ..facts import EditionFacts
from ..model.text import plain_text
from ..read.xml import refs
from ..store.codec import letter_from_plain
from . import charts
from .result import Msg, result, year_of

EDITOR_LEVELS = ("letter", "passage", "standoff")


def coded(
    facts: EditionFacts, proposed: bool = False, rollup: bool = False
) -> dict[str, dict[str, int]]:
    """letter id -> {subject id: words about it}, for letters with at least one subject."""
    levels = EDITOR_LEVELS + (("proposed",) if proposed else ())
    marks = ",".join("?" * len(levels))
    whole: dict[str, set] = defaultdict(set)
    passage: dict[str, set] = defaultdict(set)
    rows = facts.store.execute(
        f"SELECT letter_id, subject, level FROM letter_subjects WHERE level IN ({marks})", levels
    )
    for r in rows + facts.annotation_coding["letter_subjects"]:  # + the server's annotations
        sid = facts.top_subject(r["subject"]) if rollup else r["subject"]
        (passage if r["level"] == "passage" else whole)[r["letter_id"]].add(sid)
    out: dict[str, dict[str, int]] = {}
    for lid in set(whole) | set(passage):
        letter = facts.letters.get(lid)
        if letter is None:
            continue
        words = {s: letter["words"] for s in whole[lid]}
        only_passage = passage[lid] - whole[lid]
        if only_passage:
            words.update(_passage_words(facts, lid, only_passage, rollup))
        out[lid] = words
    return out


def _passage_words(facts: EditionFacts, lid: str, subjects: set, rollup: bool) -> dict[str, int]:
    # the stored JSON has no text trees (the codec keeps the TEI instead): build them
    letter = letter_from_plain(
        json.loads(facts.store.scalar("SELECT data FROM letters WHERE id = ?", (lid,)))
    )
    counts = Counter({s: 0 for s in subjects})

    def walk(nodes, active: frozenset):
        for n in nodes:
            if isinstance(n, str):
                continue
            here = set()
            for sid in refs(n.get("ana")):
                sid = facts.top_subject(sid) if rollup else sid
                if sid in subjects and sid not in active:
                    here.add(sid)
            if here:
                w = len(plain_text([n]).split())
                for s in here:
                    counts[s] += w
            walk(n.get("c", ()), active | here)

    for v in letter.versions:
        if v.type == "original":
            walk(v.blocks, frozenset())
    return dict(counts)


def _share(n, total):
    return round(n / total, 4) if total else 0.0


def _desc(what: str, n: int, uncoded: int, proposed: bool, extra: str = "") -> Msg:
    coding = "editor-coded and rule-proposed subjects" if proposed else "editor-coded subjects"
    return Msg(
        "{what}, over the {n} letters with {coding}; {uncoded} letters without a subject are "
        "left out.{extra} Shares are of the coded letters and of their words; a letter with "
        "several subjects counts for each, so shares add up to more than 100%.",
        what=what,
        n=n,
        coding=coding,
        uncoded=uncoded,
        extra=extra,
    )


def _subject_bars(rows: list[dict], **spec) -> dict:
    """Percentages per subject as horizontal bars, one beside the other per ``color``."""
    return charts.bars(
        rows, x="subject", y="percent", horizontal=True, stack=False, x_title="subject",
        x_type="N", **spec
    )  # fmt: skip


def by_subject(facts: EditionFacts, proposed: bool = False, rollup: bool = False, **_) -> dict:
    letters = coded(facts, proposed, rollup)
    n_letters = Counter(s for subj in letters.values() for s in subj)
    n_words = Counter()
    for subj in letters.values():
        n_words.update(subj)
    total_words = sum(facts.letters[lid]["words"] for lid in letters)
    rows = [
        {
            "subject": s,
            "label": facts.subject_labels.get(s, s),
            "letters": n,
            "share_letters": _share(n, len(letters)),
            "words": n_words[s],
            "share_words": _share(n_words[s], total_words),
        }
        for s, n in sorted(n_letters.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    counts = {"letters": len(letters), "left_out_uncoded": len(facts.letters) - len(letters)}
    desc = _desc(
        "Letters and words per subject", len(letters), counts["left_out_uncoded"], proposed
    )
    chart_rows = [
        {"subject": r["label"], "measure": Msg(m), "percent": round(100 * r[f"share_{m}"], 1)}
        for r in rows
        for m in ("letters", "words")
    ]
    chart = _subject_bars(
        chart_rows,
        color="measure",
        title="Priorities: share of letters and of words per subject",
        subtitle=desc,
        y_title="% of coded letters / of their words",
        sort=[r["label"] for r in rows],
    )
    cols = ["subject", "label", "letters", "share_letters", "words", "share_words"]
    return result(
        "priorities", "subjects", "Priorities by subject", desc, cols, rows, counts, chart
    )


def by_writer(facts: EditionFacts, proposed: bool = False, rollup: bool = False, **_) -> dict:
    letters = coded(facts, proposed, rollup)
    per = defaultdict(Counter)  # writer -> subject -> letters
    words = defaultdict(Counter)
    writer_letters = Counter()
    writer_words = Counter()
    unknown = 0
    for lid, subj in letters.items():
        writers = [w for w in dict.fromkeys(facts.senders(lid)) if w is not None]
        if not writers:
            unknown += 1
            continue
        for w in writers:
            writer_letters[w] += 1
            writer_words[w] += facts.letters[lid]["words"]
            per[w].update(subj.keys())
            words[w].update(subj)
    rows = []
    for w in sorted(per, key=lambda w: (-writer_letters[w], w)):
        for s, n in sorted(per[w].items(), key=lambda kv: (-kv[1], kv[0])):
            rows.append(
                {
                    "writer": w,
                    "name": facts.name(w),
                    "subject": s,
                    "label": facts.subject_labels.get(s, s),
                    "letters": n,
                    "share_letters": _share(n, writer_letters[w]),
                    "words": words[w][s],
                    "share_words": _share(words[w][s], writer_words[w]),
                }
            )
    counts = {
        "letters": len(letters) - unknown,
        "left_out_uncoded": len(facts.letters) - len(letters),
        "left_out_unknown_party": unknown,
    }
    extra = (
        Msg(" {n} coded letters without a known sender are left out.", n=unknown) if unknown else ""
    )
    desc = _desc(
        "Each writer's letters and words per subject",
        counts["letters"],
        counts["left_out_uncoded"],
        proposed,
        extra,
    )
    # side by side: the main writers only (a writer of one letter would show 100% everywhere)
    top = [w for w, n in writer_letters.most_common(4) if n >= 3]
    chart_rows = [
        {"subject": r["label"], "writer": r["name"], "percent": round(100 * r["share_letters"], 1)}
        for r in rows
        if r["writer"] in top
    ]
    chart = _subject_bars(
        chart_rows,
        color="writer",
        title="Priorities side by side: share of each main writer's letters per subject",
        subtitle=desc,
        y_title="% of the writer's coded letters",
    )
    cols = [
        "writer",
        "name",
        "subject",
        "label",
        "letters",
        "share_letters",
        "words",
        "share_words",
    ]
    return result("priorities", "writers", "Priorities per writer", desc, cols, rows, counts, chart)


def by_year(facts: EditionFacts, proposed: bool = False, rollup: bool = False, **_) -> dict:
    letters = coded(facts, proposed, rollup)
    per = defaultdict(Counter)
    year_letters = Counter()
    imprecise = 0
    for lid, subj in letters.items():
        y = year_of(facts.letters[lid])
        if y is None:
            imprecise += 1
            continue
        year_letters[y] += 1
        per[y].update(subj.keys())
    rows = [
        {
            "year": y,
            "subject": s,
            "label": facts.subject_labels.get(s, s),
            "letters": n,
            "share_letters": _share(n, year_letters[y]),
        }
        for y in sorted(per)
        for s, n in sorted(per[y].items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    counts = {
        "letters": len(letters) - imprecise,
        "left_out_uncoded": len(facts.letters) - len(letters),
        "left_out_imprecise": imprecise,
    }
    extra = (
        Msg(" {n} coded letters not dated within one year are left out.", n=imprecise)
        if imprecise
        else ""
    )
    desc = _desc(
        "Letters per subject and year",
        counts["letters"],
        counts["left_out_uncoded"],
        proposed,
        extra,
    )
    chart_rows = [{**r, "percent": round(100 * r["share_letters"])} for r in rows]
    chart = charts.heatmap(
        chart_rows,
        x="year",
        y="label",
        value="percent",
        title="Priorities by year: % of the year's coded letters per subject",
        subtitle=desc,
        y_title="subject",
    )
    cols = ["year", "subject", "label", "letters", "share_letters"]
    return result("priorities", "years", "Priorities by year", desc, cols, rows, counts, chart)


VIEWS = {"subjects": by_subject, "writers": by_writer, "years": by_year}
