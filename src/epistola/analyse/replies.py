"""Replies: how long a reply took, as a range of days where dates are uncertain, by medium.

A letter B is a reply to a letter A when
  (a) B says so: ``correspContext/ref[@type="replyTo"]`` (stored as a ``reply-to`` link), or
  (b) along the correspondence: B is the next letter after A in their correspondence
      (``next-corresp`` link) and one of B's senders is one of A's addressees, and neither A nor
      B has an explicit reply link of kind (a).
Reply time = [B.earliest − A.latest, B.latest − A.earliest] days; the lower end is at least 0.
Pairs where B's latest possible date precedes A's earliest are left out as inconsistent.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from ..facts import EditionFacts
from . import charts
from .result import Msg, days, result


def reply_pairs(facts: EditionFacts) -> tuple[list[dict], dict]:
    """Every (letter, reply) pair with its rule and day range; and what was left out."""
    links = facts.store.execute(
        "SELECT letter_id, type, target FROM letter_links "
        "WHERE type IN ('reply-to', 'next-corresp')"
    )
    explicit = [(r["target"], r["letter_id"]) for r in links if r["type"] == "reply-to"]
    answered = {a for a, _ in explicit}
    replying = {b for _, b in explicit}
    candidates = [(a, b, "reply-to") for a, b in explicit]
    for r in links:
        if r["type"] != "next-corresp":
            continue
        a, b = r["letter_id"], r["target"]
        if a in answered or b in replying or a == b:
            continue
        to_a = {x for x in facts.addressees(a) if x}
        if to_a & {x for x in facts.senders(b) if x}:
            candidates.append((a, b, "correspondence"))
    rows, seen = [], set()
    left = {"left_out_undated": 0, "left_out_inconsistent": 0, "left_out_missing": 0}
    for a, b, rule in candidates:
        if (a, b) in seen:
            continue
        seen.add((a, b))
        la, lb = facts.letters.get(a), facts.letters.get(b)
        if la is None or lb is None:
            left["left_out_missing"] += 1
            continue
        if not (la["earliest"] and lb["earliest"]):
            left["left_out_undated"] += 1
            continue
        hi = days(la["earliest"], lb["latest"])
        if hi < 0:
            left["left_out_inconsistent"] += 1
            continue
        rows.append(
            {
                "letter": a,
                "reply": b,
                "rule": rule,
                "kind": la["kind"],
                "reply_kind": lb["kind"],
                "from": la["sender"],
                "to": la["addressee"],
                "sent": la["earliest"]
                if la["earliest"] == la["latest"]
                else f"{la['earliest']}/{la['latest']}",
                "min_days": max(0, days(la["latest"], lb["earliest"])),
                "max_days": hi,
            }
        )
    rows.sort(key=lambda r: (facts.letters[r["letter"]]["number"], r["reply"]))
    return rows, left


RULE = (
    "A reply is a letter that says it answers another (replyTo), or else the next letter of the "
    "same correspondence sent by the first letter's addressee. Reply time is a range of days "
    "[min, max] from the two letters' possible dates."
)


def pairs(facts: EditionFacts, **_) -> dict:
    rows, left = reply_pairs(facts)
    counts = {"letters": len(rows), **left}
    desc = Msg(
        "{rule} {n} letter/reply pairs; {undated} pairs with an undated letter and "
        "{inconsistent} dated in the wrong order are left out.",
        rule=RULE,
        n=len(rows),
        undated=left["left_out_undated"],
        inconsistent=left["left_out_inconsistent"],
    )
    cols = [
        "letter",
        "reply",
        "rule",
        "kind",
        "reply_kind",
        "from",
        "to",
        "sent",
        "min_days",
        "max_days",
    ]
    chart = charts.bars(
        [
            {"days": r["max_days"], "pairs": 1, "rule": r["rule"]}
            for r in rows
            if r["min_days"] == r["max_days"]
        ],
        x="days",
        y="pairs",
        color="rule",
        title="Reply times of exactly dated pairs",
        subtitle=desc,
        x_title="days until the reply",
        y_title="pairs",
        x_type="Q",
    )
    return result("replies", "pairs", "Letters and their replies", desc, cols, rows, counts, chart)


def kinds(facts: EditionFacts, by: str = "letter", **_) -> dict:
    """Reply times per kind of message (of the letter answered, or with by="reply" the reply)."""
    rows_, left = reply_pairs(facts)
    key = "kind" if by == "letter" else "reply_kind"
    per = defaultdict(list)
    for r in rows_:
        per[r[key] or "(unknown)"].append(r)
    rows = []
    for k in sorted(per, key=lambda k: (-len(per[k]), k)):
        lo = [r["min_days"] for r in per[k]]
        hi = [r["max_days"] for r in per[k]]
        rows.append(
            {
                "kind": k,
                "pairs": len(per[k]),
                "exact": sum(1 for r in per[k] if r["min_days"] == r["max_days"]),
                "median_min_days": float(statistics.median(lo)),
                "median_max_days": float(statistics.median(hi)),
                "fastest_days": min(lo),
                "slowest_days": max(hi),
            }
        )
    counts = {"letters": len(rows_), **left}
    whose = "the letter answered" if by == "letter" else "the reply"
    desc = Msg(
        "Reply times by kind of {whose} (letter, telegram...): medians of the lower and upper "
        "ends of the day ranges, over {n} letter/reply pairs. {rule} {undated} pairs with an "
        "undated letter and {inconsistent} dated in the wrong order are left out.",
        whose=whose,
        n=len(rows_),
        rule=RULE,
        undated=left["left_out_undated"],
        inconsistent=left["left_out_inconsistent"],
    )
    chart_rows = [
        {"kind": r["kind"], "end": Msg(end), "days": r[f"median_{end}_days"]}
        for r in rows
        for end in ("min", "max")
    ]
    chart = charts.bars(
        chart_rows,
        x="kind",
        y="days",
        color="end",
        horizontal=True,
        stack=False,
        title=Msg("Median reply time by kind of {whose}", whose=whose),
        subtitle=desc,
        x_title="kind",
        y_title="median days (lower and upper end of the range)",
        x_type="N",
    )
    cols = [
        "kind",
        "pairs",
        "exact",
        "median_min_days",
        "median_max_days",
        "fastest_days",
        "slowest_days",
    ]
    return result("replies", "kinds", "Reply times by medium", desc, cols, rows, counts, chart)


VIEWS = {"kinds": kinds, "pairs": pairs}
