"""Research annotations feed the analyses at once: annotate through the API of the real app
(answer cache on), and /api/stats and the analyses pages count the annotation, in this server
process and in another one serving the same edition; deleting it takes it out again. On SQLite
and on PostgreSQL (the ``backend`` fixture)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from epistola.model.coding import MATTER_STATUSES, OUTCOMES, QUANTITY_STATUSES, STANCES
from epistola.research import accounts as acc
from epistola.research import annotating as ann
from epistola.research import open_research
from epistola.web import create_app

from ..conftest import SAMPLE

LETTER, OTHER = "L1931-08-16", "L1931-06-17"


@pytest.fixture()
def served(fresh_edition):
    path = fresh_edition()
    store = open_research(path)
    acc.add_user(store, "cora", "coder", "coder-pass-1")
    token = acc.new_token(store, "cora")
    store.close()
    with TestClient(create_app(str(path))) as one, TestClient(create_app(str(path))) as two:
        yield one, two, {"Authorization": f"Bearer {token}"}


def rows(client, name, view, **params):
    r = client.get(f"/api/stats/{name}", params={"view": view, **params})
    assert r.status_code == 200, r.text[:300]
    return r.json()


def annotate(client, auth, letter, kind, body, selector=None):
    r = client.post(f"/api/letters/{letter}/annotations", headers=auth,
                    json={"kind": kind, "body": body, "selector": selector})  # fmt: skip
    assert r.status_code == 201, r.text[:300]
    return r.json()


def test_annotations_count_in_the_analyses_at_once(served):
    one, two, auth = served
    # asked (and cached) before: the edition's own coding has no cement and no matter s-roads
    before_q = rows(one, "quantities", "commodities")
    rows(two, "quantities", "commodities")
    before_m = rows(one, "matters", "ledger")
    before_p = rows(one, "priorities", "subjects")
    assert "cement" not in [r["commodity"] for r in before_q["rows"]]
    page = one.get("/analyses/quantities-commodities.html")
    assert page.status_code == 200 and "cement" not in page.text

    q = annotate(one, auth, LETTER, "quantity",
                 {"commodity": "cement", "unit": "t", "quantity": "500", "status": "proposed"})  # fmt: skip
    raised = annotate(one, auth, LETTER, "matter",
                      {"status": "request", "subject": "s-roads", "summary": "Построить дорогу",
                       "raised_by": "p-bazhenov"})  # fmt: skip
    decision = annotate(
        one,
        auth,
        OTHER,
        "matter",
        {"status": "decision", "outcome": "approved", "answers": raised["id"]},
    )
    annotate(one, auth, LETTER, "subject", {"subject": "s-roads"})
    annotate(one, auth, OTHER, "stance", {"person": "p-bazhenov", "stance": "distrust"})

    for client in (one, two):  # this process and another serving the same edition
        cement = [r for r in rows(client, "quantities", "commodities")["rows"]
                  if r["commodity"] == "cement"]  # fmt: skip
        assert [(r["unit"], r["proposed"], r["decided"]) for r in cement] == [("t", 1, 0)]
    after_q = rows(one, "quantities", "commodities")
    assert after_q["counts"]["figures"] == before_q["counts"]["figures"] + 1

    ledger = {r["matter"]: r for r in rows(one, "matters", "ledger")["rows"]}
    assert ledger[raised["id"]]["letter"] == LETTER
    assert ledger[raised["id"]]["status"] == "request"
    assert ledger[raised["id"]]["summary"] == "Построить дорогу"
    assert ledger[raised["id"]]["outcome"] == "approved"  # from the decision answering it
    assert ledger[raised["id"]]["decision"] == decision["id"]
    assert ledger[decision["id"]]["answers"] == raised["id"]
    assert len(ledger) == len(before_m["rows"]) + 2

    subjects = {r["subject"]: r for r in rows(one, "priorities", "subjects")["rows"]}
    assert subjects["s-roads"]["letters"] == 1
    assert "s-roads" not in {r["subject"] for r in before_p["rows"]}

    stance = [r for r in rows(one, "persons", "stance")["rows"]
              if r["letter"] == OTHER and r["person"] == "p-bazhenov"]  # fmt: skip
    assert [r["stance"] for r in stance] == ["distrust"]

    page = one.get("/analyses/quantities-commodities.html")
    assert "cement" in page.text

    # a soft deletion takes the figure out of the analyses again, in both processes
    r = one.delete(f"/api/annotations/{q['id']}", headers={**auth, "If-Match": '"1"'})
    assert r.status_code == 200
    for client in (one, two):
        got = rows(client, "quantities", "commodities")
        assert "cement" not in [r["commodity"] for r in got["rows"]]
        assert got["counts"]["figures"] == before_q["counts"]["figures"]


def test_annotation_and_coding_share_one_vocabulary(fresh_edition):
    """The annotation form offers, and the API takes, exactly the coding's words; the TEI's
    own codes (status-*, outcome-*, stance-*, measure/@type) are all among them."""
    import re

    tei = "".join(p.read_text(encoding="utf-8") for p in (SAMPLE / "letters").rglob("*.xml"))
    assert set(re.findall(r"#status-([a-z]+)", tei)) == set(MATTER_STATUSES)
    assert set(re.findall(r"#outcome-([a-z]+)", tei)) == set(OUTCOMES)
    assert set(re.findall(r"#stance-([a-z]+)", tei)) <= set(STANCES)
    assert set(re.findall(r'<measure[^>]* type="([a-z]+)"', tei)) == set(QUANTITY_STATUSES)

    path = fresh_edition()
    store = open_research(path)
    acc.add_user(store, "cora", "coder", "coder-pass-1")
    cora = {"name": "cora", "role": "coder"}
    for status in MATTER_STATUSES:
        ann.create(store, cora, LETTER, "matter", {"status": status})
    for bad in ("raised", "answered", "decided"):  # the annotations' old words
        with pytest.raises(ann.InvalidAnnotation):
            ann.create(store, cora, LETTER, "matter", {"status": bad})
    with pytest.raises(ann.InvalidAnnotation):
        ann.create(store, cora, LETTER, "matter", {"status": "decision", "outcome": "built"})
    store.close()
    with TestClient(create_app(str(path))) as client:
        form = client.get(f"/letters/{LETTER}.html").text
    matter = form.split('data-kind="matter"')[1].split("</fieldset>")[0]
    status = matter.split('name="status"')[1].split("</select>")[0]
    assert re.findall(r"<option>([a-z]+)</option>", status) == list(MATTER_STATUSES)
