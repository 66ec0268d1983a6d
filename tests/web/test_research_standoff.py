"""Research annotations as stand-off CSV: exported by the real server, imported into another
copy of the edition without loss (every field, version, deletion), formula cells escaped, bad
rows reported by row number while the good ones are imported (API and CLI). On SQLite and on
PostgreSQL (the ``backend`` fixture)."""

from __future__ import annotations

import csv
import io

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from epistola.cli import app as cli
from epistola.research import accounts as acc
from epistola.research import open_research
from epistola.research.standoff import COLUMNS
from epistola.web import create_app

LETTER, OTHER = "L1931-08-16", "L1931-06-17"
FORMULAS = ['=HYPERLINK("http://evil")', "+7 495", "-5 t", "@SUM(A1)", "'quoted", "\tTab"]


def _copy(fresh_edition, name):
    path = fresh_edition(name)
    store = open_research(path)
    acc.add_user(store, "cora", "coder", "coder-pass-1")
    acc.add_user(store, "eddi", "editor", "editor-pass-1")
    tokens = {n: {"Authorization": f"Bearer {acc.new_token(store, n)}"} for n in ("cora", "eddi")}
    store.close()
    return path, tokens


@pytest.fixture()
def two_servers(fresh_edition):
    a, ta = _copy(fresh_edition, "a")
    b, tb = _copy(fresh_edition, "b")
    with TestClient(create_app(str(a))) as one, TestClient(create_app(str(b))) as two:
        yield (one, ta), (two, tb), b


def post(client, auth, letter, kind, body, selector=None):
    r = client.post(f"/api/letters/{letter}/annotations", headers=auth,
                    json={"kind": kind, "body": body, "selector": selector})  # fmt: skip
    assert r.status_code == 201, r.text[:300]
    return r.json()


def test_csv_round_trip_without_loss(two_servers):
    (one, ta), (two, tb), _ = two_servers
    made = [
        post(
            one,
            ta["cora"],
            LETTER,
            "matter",
            {
                "status": "request",
                "subject": "s-roads",
                "summary": "Дорогу, «срочно», с запятыми",
                "raised_by": "p-bazhenov",
                "addressed_to": "p-vetrov",
                "note": FORMULAS[0],
            },
            {"exact": "море", "prefix": "", "suffix": " тёплое"},
        ),
        post(
            one,
            ta["cora"],
            OTHER,
            "quantity",
            {
                "commodity": "grain",
                "unit": "t",
                "quantity": "1234567.5",
                "status": "decided",
                "matter": "m-1931-02",
                "note": FORMULAS[1],
            },
        ),
        post(one, ta["cora"], LETTER, "stance", {"person": "p-bazhenov", "stance": "reprimand"}),
        post(one, ta["cora"], LETTER, "subject", {"subject": "s-harvest", "note": FORMULAS[3]}),
        post(one, ta["cora"], OTHER, "comment", {"text": FORMULAS[2] + "\nsecond line"}),
        post(one, ta["cora"], OTHER, "comment", {"text": FORMULAS[4]}),
        post(one, ta["cora"], OTHER, "comment", {"text": FORMULAS[5]}),
    ]
    # a later version by an editor, and a soft deletion: both travel
    r = one.put(f"/api/annotations/{made[0]['id']}", headers={**ta["eddi"], "If-Match": '"1"'},
                json={"body": {**made[0]["body"], "status": "proposal"}})  # fmt: skip
    assert r.status_code == 200
    r = one.delete(f"/api/annotations/{made[5]['id']}", headers={**ta["cora"], "If-Match": '"1"'})
    assert r.status_code == 200
    originals = {a["id"]: one.get(f"/api/annotations/{a['id']}").json() for a in made}
    assert originals[made[0]["id"]]["version"] == 2 and originals[made[5]["id"]]["deleted"]

    exported = one.get("/api/annotations.csv", params={"deleted": "true"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(exported.text)))
    assert table[0] == list(COLUMNS) and len(table) == 1 + len(made)
    cells = [c for row in table[1:] for c in row]
    for f in FORMULAS:  # each written with one leading apostrophe, so it opens as text
        assert "'" + f in cells or any(c.startswith("'" + f) for c in cells), f
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert one.get("/api/annotations.csv").text.count("\n") < exported.text.count("\n")

    # a coder may not import; an editor imports into the other copy of the edition
    r = two.post("/api/annotations.csv", content=exported.text, headers=tb["cora"])
    assert r.status_code == 403
    r = two.post("/api/annotations.csv", content=exported.text.encode(), headers=tb["eddi"])
    assert r.status_code == 200 and r.json() == {"added": len(made), "skipped": [],
                                                  "problems": []}  # fmt: skip
    for aid, before in originals.items():
        after = two.get(f"/api/annotations/{aid}").json()
        assert after == before, aid
    again = two.get("/api/annotations.csv", params={"deleted": "true"})
    assert again.text == exported.text
    # importing the same file twice adds nothing and says which were there already
    r = two.post("/api/annotations.csv", content=exported.text, headers=tb["eddi"])
    assert r.json()["added"] == 0 and sorted(r.json()["skipped"]) == sorted(originals)
    # the imported coding counts in the other server's analyses
    ledger = two.get("/api/stats/matters", params={"view": "ledger"}).json()["rows"]
    assert [r["status"] for r in ledger if r["matter"] == made[0]["id"]] == ["proposal"]


BAD = (
    "id,letter,kind,status,subject,stance,person,text\n"
    "x-good,L1931-08-16,matter,request,s-roads,,,\n"  # row 2
    "x-kind,L1931-08-16,poem,,,,,\n"  # row 3: unknown kind
    "x-letter,L1899-01-01,comment,,,,,hello\n"  # row 4: no such letter
    "x-status,L1931-08-16,matter,raised,,,,\n"  # row 5: not the coding's word
    "x-stance,L1931-08-16,stance,,,,p-vetrov,\n"  # row 6: stance missing
    ",L1931-08-16,comment,,,,,no id\n"  # row 7
    "x-good,L1931-08-16,comment,,,,,twice\n"  # row 8: the same id again
)


def test_bad_rows_are_reported_by_row_number(two_servers, tmp_path):
    _, (two, tb), path = two_servers
    r = two.post("/api/annotations.csv", content=BAD, headers=tb["eddi"])
    assert r.status_code == 200
    got = r.json()
    assert got["added"] == 1 and [p["row"] for p in got["problems"]] == [3, 4, 5, 6, 7, 8]
    errors = {p["row"]: p["error"] for p in got["problems"]}
    assert "poem" in errors[3] and "L1899-01-01" in errors[4] and "raised" in errors[5]
    assert "stance" in errors[6] and "twice" in errors[8]
    assert two.get("/api/annotations/x-good").json()["author"] == "eddi"

    # the CLI: the same messages with file and row, the good rows imported, exit status 1
    f = tmp_path / "bad.csv"
    f.write_text(BAD.replace("x-", "y-"), encoding="utf-8")
    res = CliRunner().invoke(cli, ["annotations", "import", str(path), str(f), "--by", "eddi"])
    assert res.exit_code == 1
    assert f"{f}:3: unknown kind of annotation 'poem'" in res.output
    assert "imported 1," in res.output
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(cli, ["annotations", "export", str(path), "-o", str(out)])
    assert res.exit_code == 0
    ids = [row["id"] for row in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))]
    assert sorted(ids) == ["x-good", "y-good"]
