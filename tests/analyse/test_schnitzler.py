"""The analyses on the Schnitzler corpus against figures computed here from the TEI with lxml."""

from __future__ import annotations

from collections import Counter
from datetime import date

from epistola.analyse import run


def _days(a: str, b: str) -> int:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def test_letters_per_year_match_the_tei(schnitzler, schnitzler_tei):
    expected = Counter(
        int(d["earliest"][:4])
        for d in schnitzler_tei.values()
        if d["earliest"] and d["earliest"][:4] == d["latest"][:4]
    )
    vague = sum(
        1 for d in schnitzler_tei.values() if d["earliest"] and d["earliest"][:4] != d["latest"][:4]
    )
    res = run(schnitzler, "timeline", "year")
    got = {r["year"]: r["letters"] for r in res["rows"] if r["letters"]}
    assert got == dict(expected)
    assert res["counts"]["left_out_imprecise"] == vague
    assert res["counts"]["letters"] + vague + res["counts"]["left_out_undated"] == 4420
    # years without letters are listed with 0, so gaps show
    assert all(r["letters"] == 0 for r in res["rows"] if r["year"] not in expected)


def test_letters_per_month_of_year_match_the_tei(schnitzler, schnitzler_tei):
    in_month = [
        d for d in schnitzler_tei.values() if d["earliest"] and d["earliest"][:7] == d["latest"][:7]
    ]
    expected = Counter(int(d["earliest"][5:7]) for d in in_month)
    res = run(schnitzler, "timeline", "month")
    assert {r["month"]: r["letters"] for r in res["rows"]} == {
        m: expected.get(m, 0) for m in range(1, 13)
    }
    assert sum(r["letters"] for r in res["rows"]) == len(in_month)
    assert res["counts"]["left_out_imprecise"] == 4420 - len(in_month)
    # the calendar adds up to the same letters, month by month
    cal = run(schnitzler, "timeline", "calendar")
    per = Counter(d["earliest"][:7] for d in in_month)
    assert {
        f"{r['year']}-{r['month']:02d}": r["letters"] for r in cal["rows"] if r["letters"]
    } == dict(per)


def test_reply_times_along_corresp_context(schnitzler, schnitzler_tei):
    """Reply = the next letter within the correspondence, sent by the first letter's addressee."""
    expected = {}
    for a in schnitzler_tei.values():
        for b_id in a["next"]:
            b = schnitzler_tei.get(b_id)
            if b is None or not (set(a["addressees"]) & set(b["senders"])):
                continue
            expected[(a["id"], b_id)] = (
                max(0, _days(a["latest"], b["earliest"])),
                _days(a["earliest"], b["latest"]),
            )
    res = run(schnitzler, "replies", "pairs")
    got = {(r["letter"], r["reply"]): (r["min_days"], r["max_days"]) for r in res["rows"]}
    assert len(expected) > 1500
    assert got == expected
    assert {r["rule"] for r in res["rows"]} == {"correspondence"}
    # the kinds view covers every pair once
    kinds = run(schnitzler, "replies", "kinds")
    assert sum(r["pairs"] for r in kinds["rows"]) == len(expected)


def test_correspondence_network_edge_weights_match_the_tei(schnitzler, schnitzler_tei):
    expected = Counter()
    for d in schnitzler_tei.values():
        expected.update({(s, a) for s in d["senders"] for a in d["addressees"] if s != a})
    res = run(schnitzler, "network", "letters")
    got = {(r["source"], r["target"]): r["letters"] for r in res["rows"]}
    assert got == dict(expected)
    assert res["rows"][0]["letters"] == max(expected.values())


def test_correspondents_by_direction_add_up(schnitzler, schnitzler_tei):
    res = run(schnitzler, "timeline", "correspondents")
    sent = Counter()
    for r in res["rows"]:
        if r["correspondent"] == "pmb2121" and r["direction"] == "sent":
            sent[r["year"]] += r["letters"]
    expected = Counter(
        int(d["earliest"][:4])
        for d in schnitzler_tei.values()
        if "pmb2121" in d["senders"] and d["earliest"][:4] == d["latest"][:4]
    )
    assert sent == expected
