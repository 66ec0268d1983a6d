"""Referral and decision: the ledger of matters, who raises and who decides, outcomes, timing.

A matter is *raised* (status report, request, proposal or instruction) and may be *decided* by a
later matter with status ``decision`` that answers it (``@corresp`` in TEI, ``answers`` in the
stand-off ledger). The decider is whoever raises the decision (its ``@resp``, else the sender of
its letter). A matter's outcome is its own coded outcome, else that of the decision answering it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cached_property

from ..facts import EditionFacts
from . import charts
from .result import Msg, days, result

OUTCOMES = ("approved", "amended", "rejected", "deferred")


class Ledger:
    """Every matter of the edition with its letter, date, decision and outcome."""

    def __init__(self, facts: EditionFacts):
        self.facts = facts

    @cached_property
    def matters(self) -> list[dict]:
        f = self.facts
        rows = f.store.execute(
            "SELECT m.*, l.number FROM matters m JOIN letters l ON l.id = m.letter_id "
            "ORDER BY l.number, m.id"
        )
        # the research server's matter annotations, counted with the coded ones
        rows += [{**a, "number": f.letters[a["letter_id"]]["number"]}
                 for a in f.annotation_coding["matters"]]  # fmt: skip
        rows.sort(key=lambda m: (m["number"], m["id"]))
        for m in rows:
            m["raised_by"] = f.ref_id(m["raised_by"])
            m["addressed_to"] = f.ref_id(m["addressed_to"])
            m["answers"] = (m["answers"] or "").lstrip("#") or None
            senders = [s for s in f.senders(m["letter_id"]) if s]
            m["sender"] = senders[0] if senders else None
            letter = f.letters[m["letter_id"]]
            m["earliest"], m["latest"] = letter["earliest"], letter["latest"]
        return rows

    @cached_property
    def by_id(self) -> dict[str, dict]:
        return {m["id"]: m for m in self.matters}

    @cached_property
    def decisions(self) -> dict[str, dict]:
        """raised matter id -> the first decision answering it (in edition order)."""
        out: dict[str, dict] = {}
        for m in self.matters:
            if m["status"] == "decision" and m["answers"] in self.by_id:
                out.setdefault(m["answers"], m)
        return out

    @property
    def raised(self) -> list[dict]:
        return [m for m in self.matters if m["status"] != "decision"]

    def outcome(self, m: dict) -> str | None:
        d = self.decisions.get(m["id"])
        return m["outcome"] or (d["outcome"] if d else None)

    def decider(self, m: dict) -> str | None:
        d = self.decisions.get(m["id"])
        if d is None:  # an annotation may name who decides without a decision coded
            return self.facts.resolve(m.get("decided_by"))
        return d["raised_by"] or d["sender"]

    def counts(self) -> dict:
        with_matters = {m["letter_id"] for m in self.matters}
        return {
            "letters": len(with_matters),
            "left_out_uncoded": len(self.facts.letters) - len(with_matters),
            "matters": len(self.matters),
            "raised": len(self.raised),
            "decisions": len(self.matters) - len(self.raised),
        }


def _base_desc(c: dict) -> Msg:
    return Msg(
        "over the {matters} coded matters ({raised} raised, {decisions} decisions) in {letters} "
        "letters; {uncoded} letters without coded matters are left out",
        matters=c["matters"],
        raised=c["raised"],
        decisions=c["decisions"],
        letters=c["letters"],
        uncoded=c["left_out_uncoded"],
    )


def ledger(facts: EditionFacts, **_) -> dict:
    led = Ledger(facts)
    rows = []
    for m in led.matters:
        d = led.decisions.get(m["id"])
        rows.append(
            {
                "matter": m["id"],
                "letter": m["letter_id"],
                "date": m["earliest"],
                "subject": m["subject"],
                "raised_by": facts.name(m["raised_by"]),
                "in_letter_from": facts.name(m["sender"]),
                "addressed_to": facts.name(m["addressed_to"]),
                "status": m["status"],
                "outcome": led.outcome(m) if m["status"] != "decision" else m["outcome"],
                "answers": m["answers"],
                "decision": d["id"] if d else None,
                "summary": m["summary"],
            }
        )
    counts = led.counts()
    desc = Msg(
        "The ledger of matters: every item a letter raises or answers, who raised it, in whose "
        "letter, to whom, its status, outcome and the decision answering it, {base}.",
        base=_base_desc(counts),
    )
    cols = [
        "matter",
        "letter",
        "date",
        "subject",
        "raised_by",
        "in_letter_from",
        "addressed_to",
        "status",
        "outcome",
        "answers",
        "decision",
        "summary",
    ]
    status = Counter(m["status"] or "(none)" for m in led.matters)
    chart = charts.bars(
        [{"status": s, "matters": n} for s, n in status.most_common()],
        x="status",
        y="matters",
        horizontal=True,
        title="Matters by status",
        subtitle=desc,
        x_type="N",
        sort="-x",
    )
    return result("matters", "ledger", "Ledger of matters", desc, cols, rows, counts, chart)


def referrals(facts: EditionFacts, **_) -> dict:
    """Who raises, through whose letter, to whom, and who decides."""
    led = Ledger(facts)
    per = Counter()
    decided = Counter()
    for m in led.raised:
        key = (m["raised_by"], m["sender"], m["addressed_to"], led.decider(m))
        per[key] += 1
        if led.outcome(m):
            decided[key] += 1
    rows = [
        {
            "raised_by": facts.name(r),
            "in_letter_from": facts.name(s),
            "addressed_to": facts.name(a),
            "decided_by": facts.name(d),
            "matters": n,
            "with_outcome": decided[(r, s, a, d)],
        }
        for (r, s, a, d), n in sorted(per.items(), key=lambda kv: (-kv[1], str(kv[0])))
    ]
    counts = led.counts()
    desc = Msg(
        "Who raises matters, in whose letter they travel, to whom they are addressed and who "
        "decides them (the sender of the decision answering them; empty where no decision is "
        "coded), counting raised matters only, {base}.",
        base=_base_desc(counts),
    )
    chart_rows = [
        {
            "raised by": r["raised_by"] or Msg("(unknown)"),
            "decided by": r["decided_by"] or Msg("(no decision)"),
            "matters": r["matters"],
        }
        for r in rows
    ]
    chart = charts.bars(
        chart_rows,
        x="raised by",
        y="matters",
        color="decided by",
        horizontal=True,
        title="Who raises matters, and who decides them",
        subtitle=desc,
        x_type="N",
        sort="-x",
    )
    cols = ["raised_by", "in_letter_from", "addressed_to", "decided_by", "matters", "with_outcome"]
    return result(
        "matters", "referrals", "Who raises and who decides", desc, cols, rows, counts, chart
    )


def outcomes(facts: EditionFacts, **_) -> dict:
    """Outcome shares of raised matters, per subject and over all subjects."""
    led = Ledger(facts)
    per = defaultdict(Counter)
    for m in led.raised:
        o = led.outcome(m) or "unknown"
        per[m["subject"] or "(none)"][o] += 1
        per["*"][o] += 1
    rows = []
    for s in sorted(per, key=lambda s: (s != "*", -sum(per[s].values()), s)):
        total = sum(per[s].values())
        for o in (*OUTCOMES, *sorted(set(per[s]) - set(OUTCOMES))):
            if per[s][o]:
                rows.append(
                    {
                        "subject": s,
                        "label": Msg("all subjects")
                        if s == "*"
                        else facts.subject_labels.get(s, s),
                        "outcome": o,
                        "matters": per[s][o],
                        "share": round(per[s][o] / total, 4),
                    }
                )
    counts = led.counts()
    desc = Msg(
        "Outcomes of raised matters (approved, amended, rejected, deferred; 'unknown' where "
        "neither the matter nor a decision answering it says), per subject and for all subjects "
        "('*'), {base}.",
        base=_base_desc(counts),
    )
    chart = charts.bars(
        [{**r, "percent": round(100 * r["share"], 1)} for r in rows],
        x="label",
        y="percent",
        color="outcome",
        horizontal=True,
        title="Outcomes of raised matters per subject",
        subtitle=desc,
        x_title="subject",
        y_title="% of the subject's raised matters",
        x_type="N",
    )
    cols = ["subject", "label", "outcome", "matters", "share"]
    return result("matters", "outcomes", "Outcome shares", desc, cols, rows, counts, chart)


def timing(facts: EditionFacts, **_) -> dict:
    """Days from the letter raising a matter to the letter deciding it, as [min, max]."""
    led = Ledger(facts)
    rows = []
    undecided = undated = 0
    for m in led.raised:
        d = led.decisions.get(m["id"])
        if d is None:
            undecided += 1
            continue
        if not (m["earliest"] and d["earliest"]):
            undated += 1
            continue
        rows.append(
            {
                "matter": m["id"],
                "subject": m["subject"],
                "raised_in": m["letter_id"],
                "raised": m["earliest"],
                "decision": d["id"],
                "decided_in": d["letter_id"],
                "decided": d["earliest"],
                "min_days": max(0, days(m["latest"], d["earliest"])),
                "max_days": days(m["earliest"], d["latest"]),
            }
        )
    counts = {**led.counts(), "letters": len({r["raised_in"] for r in rows})}
    counts["left_out_undecided"] = undecided
    counts["left_out_undated"] = undated
    desc = Msg(
        "Days from the letter raising a matter to the letter deciding it, for the {n} raised "
        "matters answered by a coded decision; a range [min, max] where either letter's date is "
        "uncertain. {undecided} raised matters without a decision and {undated} with an undated "
        "letter are left out.",
        n=len(rows),
        undecided=undecided,
        undated=undated,
    )
    labels = facts.subject_labels
    chart_rows = [
        {**r, "label": r["matter"], "subject": labels.get(r["subject"], r["subject"])} for r in rows
    ]
    for r in chart_rows:
        if r["max_days"] == r["min_days"]:  # show a sliver for same-length ranges
            r["max_days"] = r["min_days"] + 0.3
    chart = charts.ranges(
        chart_rows,
        start="min_days",
        end="max_days",
        y="label",
        color="subject",
        title="Time from raising to decision",
        subtitle=desc,
        y_title="matter",
    )
    cols = [
        "matter",
        "subject",
        "raised_in",
        "raised",
        "decision",
        "decided_in",
        "decided",
        "min_days",
        "max_days",
    ]
    return result("matters", "timing", "Time to decision", desc, cols, rows, counts, chart)


VIEWS = {"ledger": ledger, "referrals": referrals, "outcomes": outcomes, "timing": timing}
