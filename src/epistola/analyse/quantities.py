"""Quantities: figures proposed against figures decided, their ratio, and how round they are.

Pairing rule: a *decided* figure is compared with every *proposed* figure of the same commodity
and unit in the letter holding the matter its decision answers (the figures on the table when
the decision was made); where its matter answers nothing, with the proposed figures of the same
matter. Ratio = decided / proposed.

Round numbers: a figure is *round* when it has at most two significant digits (1 800 000, 250,
25 000; not 1 850 000 or 28 500), and *very round* when it has one (2 000 000, 5 000 000).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from decimal import Decimal

from ..facts import EditionFacts
from . import charts
from .matters import Ledger
from .result import Msg, result


def significant_digits(x: float) -> int:
    """Significant digits of a figure as written: 1800000 -> 2, 1850000 -> 3, 7 -> 1."""
    if not x:
        return 0
    return len(Decimal(repr(float(abs(x)))).normalize().as_tuple().digits)


def is_round(x: float) -> bool:
    return 0 < significant_digits(x) <= 2


def _figures(facts: EditionFacts) -> list[dict]:
    rows = facts.store.execute(
        "SELECT q.*, l.number FROM quantities q JOIN letters l ON l.id = q.letter_id "
        "WHERE q.quantity IS NOT NULL ORDER BY l.number"
    )
    # the research server's quantity annotations, counted with the coded ones
    rows += [{**a, "number": facts.letters[a["letter_id"]]["number"]}
             for a in facts.annotation_coding["quantities"]]  # fmt: skip
    rows.sort(key=lambda q: q["number"])  # stable: coded figures first within a letter
    return rows


def pairs_of(facts: EditionFacts) -> tuple[list[dict], int]:
    """(pairs of proposed and decided figures, decided figures with no proposed one)."""
    figures = _figures(facts)
    led = Ledger(facts)
    proposed_by_letter = defaultdict(list)
    proposed_by_matter = defaultdict(list)
    for q in figures:
        if q["status"] == "proposed":
            proposed_by_letter[q["letter_id"]].append(q)
            if q["matter_id"]:
                proposed_by_matter[q["matter_id"]].append(q)
    pairs, unpaired = [], 0
    for q in figures:
        if q["status"] != "decided":
            continue
        m = led.by_id.get(q["matter_id"]) if q["matter_id"] else None
        answered = led.by_id.get(m["answers"]) if m and m["answers"] else None
        if answered is not None:
            pool = proposed_by_letter[answered["letter_id"]]
        else:
            pool = proposed_by_matter.get(q["matter_id"], []) if q["matter_id"] else []
        same = [p for p in pool if (p["commodity"], p["unit"]) == (q["commodity"], q["unit"])]
        if not same:
            unpaired += 1
        for p in same:
            pairs.append(
                {
                    "commodity": q["commodity"],
                    "unit": q["unit"],
                    "proposed": p["quantity"],
                    "decided": q["quantity"],
                    "ratio": round(q["quantity"] / p["quantity"], 4) if p["quantity"] else None,
                    "proposed_in": p["letter_id"],
                    "proposed_matter": p["matter_id"],
                    "decided_in": q["letter_id"],
                    "decided_matter": q["matter_id"],
                }
            )
    return pairs, unpaired


def _counts(facts: EditionFacts, figures: list[dict]) -> dict:
    letters = {q["letter_id"] for q in figures}
    return {
        "letters": len(letters),
        "left_out_uncoded": len(facts.letters) - len(letters),
        "figures": len(figures),
        "left_out_unmarked": sum(1 for q in figures if q["status"] not in ("proposed", "decided")),
    }


def pairs(facts: EditionFacts, **_) -> dict:
    rows, unpaired = pairs_of(facts)
    counts = {**_counts(facts, _figures(facts)), "pairs": len(rows), "left_out_unpaired": unpaired}
    desc = Msg(
        "Each decided figure against the proposed figures it answered ({pairs} pairs): same "
        "commodity and unit, proposed in the letter whose matter the decision answers. "
        "{unpaired} decided figures with nothing to compare are left out; over the {n} letters "
        "with coded figures.",
        pairs=len(rows),
        unpaired=unpaired,
        n=counts["letters"],
    )
    chart = _ratio_chart(rows, desc)
    cols = [
        "commodity",
        "unit",
        "proposed",
        "decided",
        "ratio",
        "proposed_in",
        "proposed_matter",
        "decided_in",
        "decided_matter",
    ]
    return result(
        "quantities", "pairs", "Proposed and decided figures", desc, cols, rows, counts, chart
    )


def _ratio_chart(rows, desc):
    return charts.points(
        [r for r in rows if r["ratio"]],
        x="ratio",
        y="commodity",
        color="unit",
        log=True,
        rule_at=1.0,
        title="Decided ÷ proposed, per commodity (1 = as proposed)",
        subtitle=desc,
        x_title="ratio decided / proposed (log scale)",
    )


def commodities(facts: EditionFacts, **_) -> dict:
    figures = _figures(facts)
    prs, unpaired = pairs_of(facts)
    n = defaultdict(Counter)
    for q in figures:
        n[(q["commodity"], q["unit"])][q["status"] or "unmarked"] += 1
    ratios = defaultdict(list)
    for p in prs:
        if p["ratio"] is not None:
            ratios[(p["commodity"], p["unit"])].append(p["ratio"])
    rows = []
    for key in sorted(n, key=lambda k: (-sum(n[k].values()), str(k))):
        r = ratios.get(key, [])
        rows.append(
            {
                "commodity": key[0],
                "unit": key[1],
                "proposed": n[key]["proposed"],
                "decided": n[key]["decided"],
                "unmarked": n[key]["unmarked"],
                "pairs": len(r),
                "median_ratio": round(statistics.median(r), 4) if r else None,
                "min_ratio": min(r) if r else None,
                "max_ratio": max(r) if r else None,
            }
        )
    counts = {**_counts(facts, figures), "pairs": len(prs), "left_out_unpaired": unpaired}
    counts.pop("left_out_unmarked")  # shown in the table's own column here
    desc = Msg(
        "Figures per commodity and unit: how many were proposed, decided or left unmarked, and "
        "the ratio decided/proposed over the {pairs} pairs (see the pairing rule), over the {n} "
        "letters with coded figures.",
        pairs=len(prs),
        n=counts["letters"],
    )
    chart = _ratio_chart(prs, desc)
    cols = [
        "commodity",
        "unit",
        "proposed",
        "decided",
        "unmarked",
        "pairs",
        "median_ratio",
        "min_ratio",
        "max_ratio",
    ]
    return result(
        "quantities", "commodities", "Quantities per commodity", desc, cols, rows, counts, chart
    )


def roundness(facts: EditionFacts, **_) -> dict:
    figures = _figures(facts)
    rows = []
    for status in ("proposed", "decided"):
        xs = [q["quantity"] for q in figures if q["status"] == status]
        r = sum(1 for x in xs if is_round(x))
        vr = sum(1 for x in xs if significant_digits(x) == 1)
        rows.append(
            {
                "status": status,
                "figures": len(xs),
                "round": r,
                "share_round": round(r / len(xs), 4) if xs else 0.0,
                "very_round": vr,
                "share_very_round": round(vr / len(xs), 4) if xs else 0.0,
            }
        )
    counts = _counts(facts, figures)
    desc = Msg(
        "How often proposed and decided figures are round: 'round' = at most two significant "
        "digits (1 800 000, 250), 'very round' = one (2 000 000), over the {figures} figures "
        "marked proposed or decided in {n} letters; {unmarked} unmarked figures are left out.",
        figures=sum(r["figures"] for r in rows),
        n=counts["letters"],
        unmarked=counts["left_out_unmarked"],
    )
    chart_rows = [
        {"status": Msg(r["status"]), "kind": Msg(k), "percent": round(100 * r[f"share_{k}"], 1)}
        for r in rows
        for k in ("round", "very_round")
    ]
    chart = charts.bars(
        chart_rows,
        x="status",
        y="percent",
        color="kind",
        stack=False,
        title="Round numbers among proposed and decided figures",
        subtitle=desc,
        y_title="% of figures",
    )
    cols = ["status", "figures", "round", "share_round", "very_round", "share_very_round"]
    return result("quantities", "roundness", "Round numbers", desc, cols, rows, counts, chart)


VIEWS = {"commodities": commodities, "pairs": pairs, "roundness": roundness}
