"""Persons: who is mentioned, when, and with which stance (praise, reprimand, trust...).

Counts mentions of register persons in the letters' original text: not in a translation, not
in the editors' notes, and not the writer's own signature (``signed`` naming the sender);
names whose reference matches no register entry are left out. The stance is the code on the
mention (``@ana="#stance-praise"``); it is the writer's (the letter's sender's) stance.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..facts import EditionFacts
from . import charts
from .result import COUNTED_MENTION, Msg, result, year_of


def _mentions(facts: EditionFacts) -> list[dict]:
    rows = facts.store.execute(
        "SELECT m.letter_id, m.entry_id, m.stance FROM letter_mentions m "
        "JOIN entries e ON e.id = m.entry_id "
        "WHERE m.kind = 'person' AND e.kind = 'person' AND " + COUNTED_MENTION
    )
    # a stance annotation codes a mention of that person in the letter (the first without a
    # stance code), or, where the text names the person nowhere, counts as a mention itself
    for a in facts.annotation_coding["stances"]:
        person = facts.resolve(a["entry_id"])
        if facts.kinds.get(person) != "person":
            continue
        m = next((m for m in rows if m["letter_id"] == a["letter_id"]
                  and m["entry_id"] == person and not m["stance"]), None)  # fmt: skip
        if m is None:
            m = {"letter_id": a["letter_id"], "entry_id": person, "stance": None}
            rows.append(m)
        m["stance"] = a["stance"]
    return rows


def _counts(facts: EditionFacts, mentions: list[dict]) -> dict:
    letters = {m["letter_id"] for m in mentions}
    return {"letters": len(letters), "left_out_uncoded": len(facts.letters) - len(letters)}


def mentions(facts: EditionFacts, top: int = 25, **_) -> dict:
    ms = _mentions(facts)
    letters = defaultdict(set)
    n = Counter()
    stance = Counter()
    years = defaultdict(set)
    for m in ms:
        p = m["entry_id"]
        letters[p].add(m["letter_id"])
        n[p] += 1
        if m["stance"]:
            stance[p] += 1
        y = year_of(facts.letters[m["letter_id"]])
        if y is not None:
            years[p].add(y)
    rows = [
        {
            "person": p,
            "name": facts.name(p),
            "letters": len(letters[p]),
            "mentions": n[p],
            "with_stance": stance[p],
            "first_year": min(years[p]) if years[p] else None,
            "last_year": max(years[p]) if years[p] else None,
        }
        for p in sorted(letters, key=lambda p: (-len(letters[p]), -n[p], p))
    ]
    counts = _counts(facts, ms)
    desc = Msg(
        "Persons named in the letters' original text (not in translations, notes or the "
        "writer's own signature): letters naming them, mentions, mentions with a stance code, "
        "first and last year, over the {n} letters that name a register person; {uncoded} "
        "letters naming none are left out.",
        n=counts["letters"],
        uncoded=counts["left_out_uncoded"],
    )
    chart = charts.bars(
        rows[:top],
        x="name",
        y="letters",
        horizontal=True,
        title=Msg("Most mentioned persons (top {n})", n=min(top, len(rows))),
        subtitle=desc,
        x_title="person",
        y_title="letters naming them",
        x_type="N",
        sort="-x",
    )
    cols = ["person", "name", "letters", "mentions", "with_stance", "first_year", "last_year"]
    return result("persons", "mentions", "Persons mentioned", desc, cols, rows, counts, chart)


def over_time(facts: EditionFacts, top: int = 15, person: str | None = None, **_) -> dict:
    ms = _mentions(facts)
    per = defaultdict(set)
    imprecise = set()
    for m in ms:
        if person and m["entry_id"] != person:
            continue
        y = year_of(facts.letters[m["letter_id"]])
        if y is None:
            imprecise.add(m["letter_id"])
            continue
        per[(m["entry_id"], y)].add(m["letter_id"])
    totals = Counter()
    for (p, _y), ls in per.items():
        totals[p] += len(ls)
    keep = {p for p, _ in totals.most_common(top)}
    rows = [
        {"person": p, "name": facts.name(p), "year": y, "letters": len(ls)}
        for (p, y), ls in sorted(per.items(), key=lambda kv: (-totals[kv[0][0]], kv[0]))
        if p in keep
    ]
    counts = _counts(facts, ms)
    counts["left_out_imprecise"] = len(imprecise)
    who = (
        Msg("person {id}", id=person)
        if person
        else Msg("the {n} most mentioned persons", n=len(keep))
    )
    desc = Msg(
        "Letters naming {who}, per year, over the {n} letters naming a register person; "
        "{imprecise} letters not dated within one year and {uncoded} naming no one are left out.",
        who=who,
        n=counts["letters"],
        imprecise=len(imprecise),
        uncoded=counts["left_out_uncoded"],
    )
    chart = charts.heatmap(
        rows,
        x="year",
        y="name",
        value="letters",
        title="Persons mentioned over time",
        subtitle=desc,
        y_title="person",
        y_sort=[facts.name(p) for p, _ in totals.most_common(top)],
    )
    cols = ["person", "name", "year", "letters"]
    return result(
        "persons", "years", "Persons mentioned over time", desc, cols, rows, counts, chart
    )


def stances(facts: EditionFacts, **_) -> dict:
    ms = [m for m in _mentions(facts) if m["stance"]]
    per = Counter()
    for m in ms:
        letter = facts.letters[m["letter_id"]]
        writers = [w for w in facts.senders(m["letter_id"]) if w] or [None]
        for w in writers:
            per[(m["entry_id"], m["stance"], letter["earliest"], m["letter_id"], w)] += 1
    rows = [
        {
            "person": p,
            "name": facts.name(p),
            "stance": s,
            "date": d,
            "letter": lid,
            "writer": facts.name(w),
            "mentions": n,
        }
        for (p, s, d, lid, w), n in sorted(per.items(), key=lambda kv: (kv[0][2] or "~", kv[0]))
    ]
    letters = {m["letter_id"] for m in ms}
    counts = {"letters": len(letters), "left_out_uncoded": len(facts.letters) - len(letters)}
    desc = Msg(
        "Stance codes on mentions of persons (praise, reprimand, incompetence, trust...), one row "
        "per person, stance and letter, with the letter's date and writer, over the {n} letters "
        "with stance codes; {uncoded} letters without are left out.",
        n=len(letters),
        uncoded=counts["left_out_uncoded"],
    )
    tally = Counter()
    for r in rows:
        tally[(r["name"], r["stance"])] += r["mentions"]
    chart_rows = [{"person": p, "stance": s, "mentions": n} for (p, s), n in tally.items()]
    chart = charts.bars(
        chart_rows,
        x="person",
        y="mentions",
        color="stance",
        horizontal=True,
        title="Stance towards persons",
        subtitle=desc,
        x_type="N",
        sort="-x",
    )
    cols = ["person", "name", "stance", "date", "letter", "writer", "mentions"]
    return result("persons", "stance", "Stance towards persons", desc, cols, rows, counts, chart)


VIEWS = {"mentions": mentions, "years": over_time, "stance": stances}
