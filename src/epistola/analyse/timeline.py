"""Letters over time: per year, per month of the year, per correspondent, a calendar, the gaps.

A letter counts in a year (or month) only when both ends of its possible dates fall in it; letters
dated more vaguely are left out of that view and counted (``left_out_imprecise``), never guessed.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..facts import EditionFacts
from . import charts
from .result import Msg, month_of, result, year_of

MONTHS = [Msg(m) for m in "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()]


def _dated(facts: EditionFacts):
    dated = [r for r in facts.letters.values() if r["earliest"]]
    return dated, len(facts.letters) - len(dated)


def by_year(facts: EditionFacts, **_) -> dict:
    dated, undated = _dated(facts)
    years = Counter(y for r in dated if (y := year_of(r)) is not None)
    imprecise = sum(1 for r in dated if year_of(r) is None)
    rows = []
    if years:
        rows = [{"year": y, "letters": years.get(y, 0)} for y in range(min(years), max(years) + 1)]
    counts = {
        "letters": sum(years.values()),
        "left_out_undated": undated,
        "left_out_imprecise": imprecise,
    }
    desc = Msg(
        "Letters per year, over the {n} letters whose possible dates fall within one year; "
        "{undated} undated and {imprecise} dated across a year's end are left out.",
        n=counts["letters"],
        undated=undated,
        imprecise=imprecise,
    )
    chart = charts.bars(
        rows, x="year", y="letters", title="Letters per year", subtitle=desc, x_title="year"
    )
    return result(
        "timeline", "year", "Letters per year", desc, ["year", "letters"], rows, counts, chart
    )


def by_month(facts: EditionFacts, **_) -> dict:
    """Month of the year across all years: what the seasonal selection of letters looks like."""
    dated, undated = _dated(facts)
    months = [m for r in dated if (m := month_of(r)) is not None]
    per_month = Counter(int(m[5:7]) for m in months)
    years_per_month = defaultdict(set)
    for m in months:
        years_per_month[int(m[5:7])].add(m[:4])
    total = len(months)
    rows = [
        {
            "month": i,
            "month_name": MONTHS[i - 1],
            "letters": per_month.get(i, 0),
            "share": round(per_month.get(i, 0) / total, 4) if total else 0.0,
            "years": len(years_per_month.get(i, ())),
        }
        for i in range(1, 13)
    ]
    counts = {
        "letters": total,
        "left_out_undated": undated,
        "left_out_imprecise": len(dated) - total,
    }
    desc = Msg(
        "Letters per month of the year, all years together, over the {n} letters dated to a "
        "month; 'years' is how many years have letters in that month. {undated} undated and "
        "{imprecise} letters dated only to a span wider than a month are left out.",
        n=total,
        undated=undated,
        imprecise=counts["left_out_imprecise"],
    )
    chart = charts.bars(
        rows,
        x="month_name",
        y="letters",
        title="Letters per month of the year",
        subtitle=desc,
        x_title="month",
        sort=MONTHS,
    )
    cols = ["month", "month_name", "letters", "share", "years"]
    return result(
        "timeline", "month", "Letters per month of the year", desc, cols, rows, counts, chart
    )


def calendar(facts: EditionFacts, **_) -> dict:
    dated, undated = _dated(facts)
    per = Counter(m for r in dated if (m := month_of(r)) is not None)
    rows = []
    if per:
        y0, y1 = int(min(per)[:4]), int(max(per)[:4])
        rows = [
            {
                "year": y,
                "month": m,
                "month_name": MONTHS[m - 1],
                "letters": per.get(f"{y}-{m:02d}", 0),
            }
            for y in range(y0, y1 + 1)
            for m in range(1, 13)
        ]
    counts = {
        "letters": sum(per.values()),
        "left_out_undated": undated,
        "left_out_imprecise": len(dated) - sum(per.values()),
    }
    desc = Msg(
        "Letters per month, year by year (a calendar), over the {n} letters dated to a month; "
        "{undated} undated and {imprecise} vaguely dated letters are left out. Empty cells are "
        "months from which no letter survives.",
        n=counts["letters"],
        undated=undated,
        imprecise=counts["left_out_imprecise"],
    )
    chart = charts.heatmap(
        rows,
        x="month_name",
        y="year",
        value="letters",
        title="Calendar of letters",
        subtitle=desc,
        x_title="month",
        x_sort=MONTHS,
    )
    cols = ["year", "month", "month_name", "letters"]
    return result("timeline", "calendar", "Calendar of letters", desc, cols, rows, counts, chart)


def correspondents(facts: EditionFacts, top: int = 12, **_) -> dict:
    """Letters per correspondent, direction (sent by / received by) and year."""
    dated, undated = _dated(facts)
    per = Counter()
    totals = Counter()
    unknown = imprecise = 0
    for r in dated:
        y = year_of(r)
        if y is None:
            imprecise += 1
            continue
        sent, recv = facts.senders(r["id"]), facts.addressees(r["id"])
        if None in sent or None in recv:
            unknown += 1
        for direction, parties in (("sent", sent), ("received", recv)):
            for p in dict.fromkeys(parties):
                if p is not None:
                    per[(p, direction, y)] += 1
                    totals[p] += 1
    rows = [
        {"correspondent": p, "name": facts.name(p), "direction": Msg(d), "year": y, "letters": n}
        for (p, d, y), n in sorted(per.items(), key=lambda kv: (-totals[kv[0][0]], kv[0]))
    ]
    counts = {
        "letters": len(dated) - imprecise,
        "left_out_undated": undated,
        "left_out_imprecise": imprecise,
        "left_out_unknown_party": unknown,
    }
    desc = Msg(
        "Letters per correspondent, by direction (sent by them, received by them) and year, over "
        "the {n} letters dated within one year; parties not in the registers are not counted "
        "({unknown} letters have one). {undated} undated and {imprecise} letters dated across a "
        "year's end are left out.",
        n=counts["letters"],
        unknown=unknown,
        undated=undated,
        imprecise=imprecise,
    )
    keep = {p for p, _ in totals.most_common(top)}
    chart_rows = [
        # direction first: long names are cut
        {**r, "party": Msg("{direction} · {name}", direction=r["direction"], name=r["name"])}
        for r in rows
        if r["correspondent"] in keep
    ]
    chart = charts.heatmap(
        chart_rows,
        x="year",
        y="party",
        value="letters",
        title=Msg("Letters per correspondent and year (the {n} most frequent)", n=len(keep)),
        subtitle=desc,
        y_title="correspondent (direction)",
        y_sort=list(dict.fromkeys(r["party"] for r in chart_rows)),
    )
    cols = ["correspondent", "name", "direction", "year", "letters"]
    title = "Letters per correspondent, direction and year"
    return result("timeline", "correspondents", title, desc, cols, rows, counts, chart)


def gaps(facts: EditionFacts, min_months: int = 1, **_) -> dict:
    """Runs of months without a letter between the first and the last month with one."""
    dated, undated = _dated(facts)
    months = {m for r in dated if (m := month_of(r)) is not None}
    vague = [r for r in dated if month_of(r) is None]
    rows = []
    if months:
        first, last = min(months), max(months)
        run: list[str] = []
        for m in _month_range(first, last) + [None]:
            if m is not None and m not in months:
                run.append(m)
                continue
            if len(run) >= int(min_months):
                start, end = run[0], run[-1]
                maybe = sum(
                    1 for r in vague if r["earliest"][:7] <= end and r["latest"][:7] >= start
                )
                rows.append(
                    {"start": start, "end": end, "months": len(run), "vaguely_dated_letters": maybe}
                )
            run = []
    counts = {
        "letters": len(months) and sum(1 for r in dated if month_of(r)),
        "left_out_undated": undated,
        "left_out_imprecise": len(vague),
    }
    desc = Msg(
        "Runs of at least {min} month(s) with no letter dated to them, between the first and the "
        "last month with a letter, over the {n} letters dated to a month. "
        "'vaguely_dated_letters' counts letters dated only to a wider span that overlaps the gap "
        "and might fall in it. {undated} undated letters are left out.",
        min=int(min_months),
        n=counts["letters"],
        undated=undated,
    )
    cols = ["start", "end", "months", "vaguely_dated_letters"]
    return result("timeline", "gaps", "Gaps: months without letters", desc, cols, rows, counts)


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


VIEWS = {
    "year": by_year,
    "month": by_month,
    "calendar": calendar,
    "correspondents": correspondents,
    "gaps": gaps,
}
