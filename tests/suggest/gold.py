"""Hand coding to measure the suggesters against, and the scores.

Two gold sets: the sample edition's own TEI coding (persName/placeName/orgName @ref, abbr,
measure, seg type="matter" with its status, @ana stance codes), read here with lxml; and the
held-out letters' ``heldout/gold.json``, written by hand before the suggesters (see
heldout/README.md)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from lxml import etree

from ..conftest import SAMPLE

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
HELDOUT = Path(__file__).parent / "heldout"
REQUEST_STATUSES = {"status-request", "status-proposal"}
POSITIVE = {"stance-praise", "stance-trust"}
NEGATIVE = {"stance-reprimand", "stance-incompetence", "stance-distrust"}


def _original_bodies(root):
    for text in root.iter(f"{TEI}text"):
        if text.get("type") in (None, "original") and text.find(f"{TEI}body") is not None:
            yield text.find(f"{TEI}body")


def sample_gold() -> dict[str, dict]:
    out = {}
    for path in sorted((SAMPLE / "letters").rglob("*.xml")):
        root = etree.parse(str(path)).getroot()
        lid = root.get(XML_ID)
        g = {"names": set(), "acronyms": set(), "quantities": [], "matters": [], "stance": set()}
        for body in _original_bodies(root):
            for el in body.iter(f"{TEI}persName", f"{TEI}placeName", f"{TEI}orgName"):
                if el.get("ref"):
                    g["names"].add(el.get("ref").lstrip("#"))
                ana = set((el.get("ana") or "").split())
                for code in ana:
                    c = code.lstrip("#")
                    if c in POSITIVE | NEGATIVE and el.get("ref"):
                        pol = "positive" if c in POSITIVE else "negative"
                        g["stance"].add((el.get("ref").lstrip("#"), pol))
            for el in body.iter(f"{TEI}abbr"):
                g["acronyms"].add("".join(el.itertext()).strip())
            for el in body.iter(f"{TEI}measure"):
                g["quantities"].append(
                    {
                        "value": float(el.get("quantity")),
                        "unit": el.get("unit"),
                        "commodity": el.get("commodity"),
                        "status": el.get("type"),
                    }  # fmt: skip
                )
            for el in body.iter(f"{TEI}seg"):
                if el.get("type") != "matter":
                    continue
                codes = {c.lstrip("#") for c in (el.get("ana") or "").split()}
                if codes & REQUEST_STATUSES:
                    g["matters"].append({"kind": "request"})
                elif "status-decision" in codes:
                    g["matters"].append({"kind": "decision"})
        out[lid] = g
    return out


def heldout_gold() -> dict[str, dict]:
    raw = json.loads((HELDOUT / "gold.json").read_text(encoding="utf-8"))
    return {
        lid: {
            "names": set(g["names"]),
            "acronyms": set(g["acronyms"]),
            "quantities": g["quantities"],
            "matters": g["matters"],
            "stance": {(s["entry"], s["polarity"]) for s in g["stance"]},
        }
        for lid, g in raw.items()
    }


def pr(tp: int, predicted: int, gold: int) -> dict:
    return {
        "precision": round(tp / predicted, 3) if predicted else None,
        "recall": round(tp / gold, 3) if gold else None,
        "tp": tp, "predicted": predicted, "gold": gold,
    }  # fmt: skip


def score(suggestions: list[dict], gold: dict[str, dict]) -> dict[str, dict]:
    """Precision and recall per suggester, over the letters of ``gold``."""
    sug = [s for s in suggestions if s["letter"] in gold]
    out = {}
    # names: (letter, entry) pairs of linked suggestions
    pred = {(s["letter"], s["entry"]) for s in sug
            if s["kind"] in ("person", "place", "organisation") and s["entry"]}  # fmt: skip
    true = {(lid, e) for lid, g in gold.items() for e in g["names"]}
    out["names"] = pr(len(pred & true), len(pred), len(true))
    # acronyms: distinct forms over the whole set (recall: of the gold forms, how many found)
    pred_a = {_acronym(s["text"]) for s in sug if s["kind"] == "acronym"}
    true_a = {_acronym(a) for g in gold.values() for a in g["acronyms"]}
    out["acronyms"] = pr(len(pred_a & true_a), len(pred_a), len(true_a))
    # quantities: (letter, value) as a multiset; unit, commodity and status of the matches
    tp = unit_ok = com_ok = com_n = st_ok = 0
    n_pred = 0
    for lid, g in gold.items():
        left = list(g["quantities"])
        for s in (s for s in sug if s["kind"] == "quantity" and s["letter"] == lid):
            n_pred += 1
            match = next((q for q in left if abs(q["value"] - s["value"]) < 1e-6), None)
            if match is None:
                continue
            left.remove(match)
            tp += 1
            unit_ok += _unit(match["unit"]) == _unit(s["unit"])
            if match["commodity"]:
                com_n += 1
                com_ok += _commodity(match["commodity"]) == _commodity(s["commodity"])
            st_ok += (match["status"] or None) == (s["status"] or None)
    n_true = sum(len(g["quantities"]) for g in gold.values())
    out["quantities"] = {**pr(tp, n_pred, n_true), "unit_agrees": unit_ok,
                         "commodity_agrees": com_ok, "commodity_coded": com_n,
                         "status_agrees": st_ok}  # fmt: skip
    # matters: per letter and kind, matched = min(predicted, coded)
    for kind in ("request", "decision"):
        tp = n_pred = n_true = 0
        for lid, g in gold.items():
            p = sum(1 for s in sug if s["kind"] == "matter" and s["letter"] == lid
                    and s["value"] == kind)  # fmt: skip
            t = sum(1 for m in g["matters"] if m["kind"] == kind)
            tp, n_pred, n_true = tp + min(p, t), n_pred + p, n_true + t
        out[f"matters_{kind}"] = pr(tp, n_pred, n_true)
    answers = [(s["letter"], s["answers"]) for s in sug
               if s["kind"] == "matter" and s["value"] == "decision"]  # fmt: skip
    true_ans = {(lid, m.get("answers")) for lid, g in gold.items() for m in g["matters"]
                if m["kind"] == "decision" and m.get("answers")}  # fmt: skip
    if true_ans:
        out["matters_answers"] = pr(sum(1 for a in set(answers) if a in true_ans),
                                    len(set(answers)), len(true_ans))  # fmt: skip
    pred_s = {(s["letter"], s["entry"], s["value"]) for s in sug if s["kind"] == "stance"}
    true_s = {(lid, e, p) for lid, g in gold.items() for e, p in g["stance"]}
    out["stance"] = pr(len(pred_s & true_s), len(pred_s), len(true_s))
    return out


def _acronym(form: str) -> str:
    """Forms compared by dictionary form (крайсовета = Крайсовет), capitals as written."""
    import pymorphy3

    if re.search("[а-яё]", form.lower()) and not form.isupper():
        return _MORPH.setdefault("m", pymorphy3.MorphAnalyzer()).parse(form.lower())[0].normal_form
    return form.lower()


_MORPH: dict = {}


def _unit(u):
    return {"gold-rouble": "rouble"}.get(u, u)


def _commodity(c):
    return Counter({"grain-export": "grain"}).get(c) or c


def sample_linking(store) -> dict:
    """Each register name the sample's editors tagged in a letter's text (persName, placeName,
    orgName with @ref; Russian originals and English translations), given alone to the name
    linker: is the first entry it links the tagged one?"""
    from epistola.suggest.names import Linker

    linker = Linker(store)
    right = wrong = missed = 0
    for path in sorted((SAMPLE / "letters").rglob("*.xml")):
        root = etree.parse(str(path)).getroot()
        for body in root.iter(f"{TEI}body"):
            for el in body.iter(f"{TEI}persName", f"{TEI}placeName", f"{TEI}orgName"):
                ref = (el.get("ref") or "").lstrip("#")
                if not ref:
                    continue
                hits = list(linker.scan(" ".join("".join(el.itertext()).split())))
                if not hits:
                    missed += 1
                elif hits[0][2] == ref:
                    right += 1
                else:
                    wrong += 1
    return {"precision": round(right / (right + wrong), 3), "linked": right + wrong,
            "right": right, "missed": missed}  # fmt: skip
