"""Every analysis on the sample edition against values derived here from its TEI and CSV files
(with lxml and the csv module, not with Epistola), plus a few figures checked by hand."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date

from lxml import etree

from epistola.analyse import run, to_frame

from ..conftest import SAMPLE
from .conftest import TEI, XML_ID, ids

CODES = ("status-", "outcome-", "stance-")


def _days(a, b):
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def _in_note(el) -> bool:
    return any(a.tag == f"{TEI}note" for a in el.iterancestors())


def _register_ids(name: str, tag: str) -> set[str]:
    root = etree.parse(str(SAMPLE / "registers" / name)).getroot()
    return {e.get(XML_ID) for e in root.iter(f"{TEI}{tag}")}


def _subjects(sample_tei, sample_csv) -> dict[str, set]:
    """Editor-coded subjects per letter: textClass terms, @ana on passages, subjects.csv."""
    out = defaultdict(set)
    for lid, d in sample_tei.items():
        root = d["root"]
        for term in root.iterfind(f".//{TEI}textClass/{TEI}keywords/{TEI}term"):
            out[lid].update(ids(term.get("ref")))
        for el in root.find(f"{TEI}text").iter():
            out[lid].update(r for r in ids(el.get("ana")) if not r.startswith(CODES))
    for row in sample_csv["subjects"]:
        out[row["letter"]].add(row["subject"].lstrip("#"))
    return {k: v for k, v in out.items() if v}


def _matters(sample_tei, sample_csv) -> list[dict]:
    out = []
    for lid, d in sample_tei.items():
        for el in d["root"].find(f"{TEI}text").iter(f"{TEI}seg", f"{TEI}div", f"{TEI}p"):
            if el.get("type") != "matter":
                continue
            ana = ids(el.get("ana"))
            out.append(
                {
                    "id": el.get(XML_ID),
                    "letter": lid,
                    "status": next((a[7:] for a in ana if a.startswith("status-")), None),
                    "outcome": next((a[8:] for a in ana if a.startswith("outcome-")), None),
                    "subject": next((a for a in ana if not a.startswith(CODES)), None),
                    "answers": (ids(el.get("corresp")) or [None])[0],
                }
            )
    for r in sample_csv["matters"]:
        out.append(
            {
                "id": r["id"],
                "letter": r["letter"],
                "status": r["status"] or None,
                "outcome": r["outcome"] or None,
                "subject": r["subject"] or None,
                "answers": r["answers"] or None,
            }
        )
    return out


def _measures(sample_tei) -> list[dict]:
    out = []
    for lid, d in sample_tei.items():
        for m in d["root"].find(f"{TEI}text").iter(f"{TEI}measure"):
            if _in_note(m) or not m.get("quantity"):
                continue
            seg = next((a for a in m.iterancestors() if a.get("type") == "matter"), None)
            out.append(
                {
                    "letter": lid,
                    "quantity": float(m.get("quantity")),
                    "unit": m.get("unit"),
                    "commodity": m.get("commodity"),
                    "status": m.get("type"),
                    "matter": seg.get(XML_ID) if seg is not None else None,
                }
            )
    return out


# -- timeline --------------------------------------------------------------------------------
def test_timeline(sample, sample_tei):
    dated = [d for d in sample_tei.values() if d["earliest"]]
    years = Counter(int(d["earliest"][:4]) for d in dated if d["earliest"][:4] == d["latest"][:4])
    res = run(sample, "timeline", "year")
    assert {r["year"]: r["letters"] for r in res["rows"]} == dict(years)
    assert {r["year"]: r["letters"] for r in res["rows"]} == {1931: 15, 1932: 17, 1933: 14}
    assert res["counts"]["left_out_undated"] == 1  # letters/undated/L-undated-1.xml
    month = run(sample, "timeline", "month")
    in_month = Counter(
        int(d["earliest"][5:7]) for d in dated if d["earliest"][:7] == d["latest"][:7]
    )
    assert {r["month"]: r["letters"] for r in month["rows"]} == {
        m: in_month.get(m, 0) for m in range(1, 13)
    }
    # a summer correspondence: nothing from January to March
    assert [r["letters"] for r in month["rows"][:3]] == [0, 0, 0]
    gaps = run(sample, "timeline", "gaps")
    months = {d["earliest"][:7] for d in dated if d["earliest"][:7] == d["latest"][:7]}
    empty = sum(
        1
        for y in (1931, 1932, 1933)
        for m in range(1, 13)
        if min(months) <= f"{y}-{m:02d}" <= max(months) and f"{y}-{m:02d}" not in months
    )
    assert sum(r["months"] for r in gaps["rows"]) == empty
    assert gaps["rows"][0]["start"] == "1931-07"  # June letters, none in July, then August


# -- priorities ------------------------------------------------------------------------------
def test_priorities_by_subject(sample, sample_tei, sample_csv):
    subjects = _subjects(sample_tei, sample_csv)
    per = Counter(s for ss in subjects.values() for s in ss)
    res = run(sample, "priorities", "subjects")
    assert {r["subject"]: r["letters"] for r in res["rows"]} == dict(per)
    assert res["counts"]["letters"] == len(subjects)
    assert res["counts"]["left_out_uncoded"] == len(sample_tei) - len(subjects)
    top = res["rows"][0]
    assert top["subject"] == "s-grain-procurement"
    assert top["label"] == "Grain procurement"
    assert top["share_letters"] == round(per["s-grain-procurement"] / len(subjects), 4)
    assert 0 < top["share_words"] <= 1
    # rule-proposed subjects are not counted unless asked for
    with_proposed = run(sample, "priorities", "subjects", proposed=True)
    assert with_proposed["counts"]["letters"] >= res["counts"]["letters"]
    assert sum(r["letters"] for r in with_proposed["rows"]) > sum(r["letters"] for r in res["rows"])


def test_priorities_by_writer_and_year(sample, sample_tei, sample_csv):
    subjects = _subjects(sample_tei, sample_csv)
    vetrov = Counter(
        s for lid, ss in subjects.items() if "p-vetrov" in sample_tei[lid]["senders"] for s in ss
    )
    res = run(sample, "priorities", "writers")
    got = {r["subject"]: r["letters"] for r in res["rows"] if r["writer"] == "p-vetrov"}
    assert got == dict(vetrov)
    years = run(sample, "priorities", "years")
    y1933 = Counter(
        s
        for lid, ss in subjects.items()
        if (sample_tei[lid]["earliest"] or "")[:4] == "1933"
        for s in ss
    )
    assert {r["subject"]: r["letters"] for r in years["rows"] if r["year"] == 1933} == dict(y1933)


# -- matters ---------------------------------------------------------------------------------
def test_matters_ledger_and_outcomes(sample, sample_tei, sample_csv):
    matters = _matters(sample_tei, sample_csv)
    by_id = {m["id"]: m for m in matters}
    ledger = run(sample, "matters", "ledger")
    assert len(ledger["rows"]) == len(matters)
    assert {r["matter"] for r in ledger["rows"]} == set(by_id)
    decisions = {}
    for m in matters:
        if m["status"] == "decision" and m["answers"] in by_id:
            decisions.setdefault(m["answers"], m)
    raised = [m for m in matters if m["status"] != "decision"]
    outcome = Counter(
        m["outcome"]
        or (decisions[m["id"]]["outcome"] if m["id"] in decisions else None)
        or "unknown"
        for m in raised
    )
    res = run(sample, "matters", "outcomes")
    assert {r["outcome"]: r["matters"] for r in res["rows"] if r["subject"] == "*"} == dict(outcome)
    # by hand: Sedykh's request of 19 Aug 1931 (m-1931-06) was decided by Vetrov on 21 Aug
    row = next(r for r in ledger["rows"] if r["matter"] == "m-1931-06")
    assert (row["status"], row["outcome"], row["decision"]) == ("request", "amended", "m-1931-10")
    assert row["raised_by"] == "Пётр Семёнович Седых"
    assert row["in_letter_from"] == "Матвей Ильич Лазутин"


def test_matters_referrals_and_timing(sample, sample_tei, sample_csv):
    matters = _matters(sample_tei, sample_csv)
    by_id = {m["id"]: m for m in matters}
    expected = {}
    for m in matters:
        if m["status"] == "decision" and m["answers"] in by_id and m["answers"] not in expected:
            a = sample_tei[by_id[m["answers"]]["letter"]]
            b = sample_tei[m["letter"]]
            if by_id[m["answers"]]["status"] != "decision":
                expected[m["answers"]] = (
                    max(0, _days(a["latest"], b["earliest"])),
                    _days(a["earliest"], b["latest"]),
                )
    res = run(sample, "matters", "timing")
    assert {r["matter"]: (r["min_days"], r["max_days"]) for r in res["rows"]} == expected
    assert expected["m-1931-06"] == (2, 2)  # 19 -> 21 August 1931
    ref = run(sample, "matters", "referrals")
    assert sum(r["matters"] for r in ref["rows"]) == sum(
        1 for m in matters if m["status"] != "decision"
    )


# -- quantities ------------------------------------------------------------------------------
def _sig(x: float) -> int:
    s = str(int(x)) if x == int(x) else str(x).replace(".", "").lstrip("0")
    return len(s.rstrip("0"))


def test_quantities_roundness(sample, sample_tei):
    ms = _measures(sample_tei)
    res = run(sample, "quantities", "roundness")
    for row in res["rows"]:
        xs = [m["quantity"] for m in ms if m["status"] == row["status"]]
        assert row["figures"] == len(xs)
        assert row["round"] == sum(1 for x in xs if _sig(x) <= 2)
        assert row["very_round"] == sum(1 for x in xs if _sig(x) == 1)
    decided = next(r for r in res["rows"] if r["status"] == "decided")
    proposed = next(r for r in res["rows"] if r["status"] == "proposed")
    assert decided["share_round"] > proposed["share_round"]  # the sample's point


def test_quantities_pairs(sample, sample_tei, sample_csv):
    ms = _measures(sample_tei)
    matters = {m["id"]: m for m in _matters(sample_tei, sample_csv)}
    expected = Counter()
    for d in ms:
        if d["status"] != "decided":
            continue
        m = matters.get(d["matter"])
        answered = matters.get(m["answers"]) if m and m["answers"] else None
        pool = (
            [p for p in ms if p["letter"] == answered["letter"]]
            if answered
            else [p for p in ms if d["matter"] and p["matter"] == d["matter"]]
        )
        for p in pool:
            if p["status"] == "proposed" and (p["commodity"], p["unit"]) == (
                d["commodity"],
                d["unit"],
            ):
                expected[(d["commodity"], p["quantity"], d["quantity"])] += 1
    res = run(sample, "quantities", "pairs")
    got = Counter((r["commodity"], r["proposed"], r["decided"]) for r in res["rows"])
    assert got == expected
    # by hand: the Steppe krai's 1931 plan: proposals 1.7, 1.87 and 1.85 million t, decided 1.8
    steppe = sorted(r["proposed"] for r in res["rows"] if r["decided_matter"] == "m-1931-10")
    assert steppe == [1_700_000, 1_850_000, 1_870_000]
    com = run(sample, "quantities", "commodities")
    grain = next(r for r in com["rows"] if r["commodity"] == "grain")
    ratios = [r["ratio"] for r in res["rows"] if r["commodity"] == "grain"]
    assert grain["pairs"] == len(ratios)
    assert grain["median_ratio"] == round(statistics.median(ratios), 4)


# -- persons ---------------------------------------------------------------------------------
def _person_mentions(sample_tei):
    persons = _register_ids("persons.xml", "person")
    out = []
    for lid, d in sample_tei.items():
        senders = {
            r
            for el in d["root"].iterfind(f".//{TEI}correspAction[@type='sent']/{TEI}persName")
            for r in ids(el.get("ref"))
        }
        for el in d["root"].find(f"{TEI}text").iter(f"{TEI}persName", f"{TEI}rs"):
            if el.tag == f"{TEI}rs" and el.get("type", "person") != "person":
                continue
            if _in_note(el):
                continue
            # the original's text only: not a translation, not the writer's own signature
            if any(a.get("type") == "translation" for a in el.iterancestors()):
                continue
            signed = any(a.tag == f"{TEI}signed" for a in el.iterancestors())
            if signed and set(ids(el.get("ref"))) <= senders:
                continue
            stance = next((a[7:] for a in ids(el.get("ana")) if a.startswith("stance-")), None)
            for r in ids(el.get("ref")):
                if r in persons:
                    out.append((lid, r, stance))
    return out


def test_persons_mentions_and_stance(sample, sample_tei):
    ms = _person_mentions(sample_tei)
    letters = defaultdict(set)
    for lid, p, _ in ms:
        letters[p].add(lid)
    res = run(sample, "persons", "mentions")
    assert {r["person"]: r["letters"] for r in res["rows"]} == {
        p: len(v) for p, v in letters.items()
    }
    assert {r["person"]: r["mentions"] for r in res["rows"]} == dict(Counter(p for _, p, _ in ms))
    stance = run(sample, "persons", "stance")
    tally = Counter()
    for r in stance["rows"]:
        tally[(r["person"], r["stance"])] += r["mentions"]
    assert tally == Counter((p, s) for _, p, s in ms if s)
    assert sum(tally.values()) == 21  # 19 on persName, 2 on rs (counted by hand with grep)


# -- replies ---------------------------------------------------------------------------------
def test_replies(sample, sample_tei):
    expected = {}
    for b in sample_tei.values():
        for a_id in b["reply_to"]:
            a = sample_tei[a_id]
            expected[(a_id, b["id"])] = (
                max(0, _days(a["latest"], b["earliest"])),
                _days(a["earliest"], b["latest"]),
            )
    res = run(sample, "replies", "pairs")
    assert {
        (r["letter"], r["reply"]): (r["min_days"], r["max_days"]) for r in res["rows"]
    } == expected
    kinds = run(sample, "replies", "kinds")
    per = defaultdict(list)
    for (a, _b), (lo, _hi) in expected.items():
        per[sample_tei[a]["kind"]].append(lo)
    assert {r["kind"]: r["pairs"] for r in kinds["rows"]} == {k: len(v) for k, v in per.items()}
    assert {r["kind"]: r["median_min_days"] for r in kinds["rows"]} == {
        k: float(statistics.median(v)) for k, v in per.items()
    }


# -- network ---------------------------------------------------------------------------------
def test_network(sample, sample_tei):
    expected = Counter()
    for d in sample_tei.values():
        expected.update({(s, a) for s in d["senders"] for a in d["addressees"] if s != a})
    res = run(sample, "network", "letters")
    assert {(r["source"], r["target"]): r["letters"] for r in res["rows"]} == dict(expected)
    cent = run(sample, "network", "centrality")
    vetrov = next(r for r in cent["rows"] if r["node"] == "p-vetrov")
    assert vetrov["letters_sent"] == sum(n for (s, _), n in expected.items() if s == "p-vetrov")
    assert vetrov["letters_received"] == sum(n for (_, a), n in expected.items() if a == "p-vetrov")
    assert cent["rows"][0]["node"] in ("p-vetrov", "p-lazutin")  # the two writers lead
    pairs = Counter()
    per_letter = defaultdict(set)
    for lid, p, _ in _person_mentions(sample_tei):
        per_letter[lid].add(p)
    for people in per_letter.values():
        ps = sorted(people)
        pairs.update((a, b) for i, a in enumerate(ps) for b in ps[i + 1 :])
    co = run(sample, "network", "comentions")
    assert {(r["a"], r["b"]): r["letters"] for r in co["rows"]} == dict(pairs)


def test_results_are_frames(sample):
    frame = to_frame(run(sample, "timeline", "month"))
    assert list(frame.columns) == ["month", "month_name", "letters", "share", "years"]
    assert int(frame["letters"].sum()) == 46
