"""Every API route takes exactly the parameters its OpenAPI description lists: unknown, repeated
or invalid ones get 400 with a JSON {error, hint}, never an answer as if they were absent
(issue 10 §4, issue 14 §1); /api/stats takes the view and options of `epistola stats` (issue 15)."""

from __future__ import annotations

import jsonschema
import pytest
from starlette.testclient import TestClient

from epistola.analyse import ANALYSES, run
from epistola.web import create_app
from epistola.web.api import openapi

SPEC = openapi()
ERROR = {**SPEC["components"]["schemas"]["Error"], "components": SPEC["components"]}


@pytest.fixture(scope="module")
def client(sample_edition):
    with TestClient(create_app(str(sample_edition[0])), raise_server_exceptions=False) as c:
        yield c


def error(r, status: int) -> dict:
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
    data = r.json()
    jsonschema.Draft202012Validator(ERROR).validate(data)
    assert data["error"] and data["hint"]
    return data


CONCRETE = {
    "/api/letters": "/api/letters",
    "/api/letters/{id}": "/api/letters/L1931-08-16",
    "/api/persons/{id}": "/api/persons/p-vetrov",
    "/api/search": "/api/search?q=Nordland",
    "/api/stats/{name}": "/api/stats/timeline",
    "/api/openapi.json": "/api/openapi.json",
}


# the research routes (log-in needed) are tried in test_research.py
@pytest.mark.parametrize("path", sorted(CONCRETE))
def test_unknown_parameter_is_400_on_every_route(client, path):
    url = CONCRETE[path]
    assert client.get(url).status_code == 200
    sep = "&" if "?" in url else "?"
    data = error(client.get(f"{url}{sep}bogus=1"), 400)
    assert "bogus" in data["error"]
    # the hint lists what the route does take, from the same description the test reads
    for p in SPEC["paths"][path]["get"].get("parameters", []):
        if p["in"] == "query":
            assert p["name"] in data["hint"]
    assert "400" in SPEC["paths"][path]["get"]["responses"]


@pytest.mark.parametrize(
    ("url", "word"),
    [
        ("/api/search?q=Wien&from=9999-99-99", "from"),  # the issue's own example
        ("/api/search?q=Wien&start=9999-99-99", "start"),
        ("/api/search?q=Wien&end=1931-13", "end"),
        ("/api/search?q=Wien&year=nineteen", "year"),
        ("/api/search?q=Wien&page=0", "page"),
        ("/api/search?q=Wien&sort=size", "sort"),
        ("/api/search?q=Wien&has_notes=perhaps", "has_notes"),
        ("/api/search?q=a&q=b", "q"),
        ("/api/letters?start=9999-99-99", "start"),
        ("/api/letters?year=abc", "year"),
        ("/api/letters?per_page=100000", "per_page"),
        ("/api/letters?kind=hologram", "kind"),
        ("/api/stats/timeline?view=<script>", "<script>"),  # the issue's own example
        ("/api/stats/timeline?top=5", "top"),  # the year view takes no top
        ("/api/stats/persons?top=zero", "top"),
        ("/api/stats/persons?top=0", "top"),
        ("/api/stats/replies?by=month", "by"),
        ("/api/stats/priorities?proposed=maybe", "proposed"),
    ],
)
def test_invalid_values_are_400(client, url, word):
    data = error(client.get(url), 400)
    assert word in data["error"] + data["hint"]


def test_unknown_routes_and_methods_answer_json(client):
    error(client.get("/api/nothing/here"), 404)
    error(client.get("/api/stats/horoscope"), 404)
    error(client.get("/api/letters/no-such-letter"), 404)
    error(client.post("/api/letters"), 405)
    assert client.get("/no-such-page.html").status_code == 404  # pages stay HTML
    assert "text/html" in client.get("/no-such-page.html").headers["content-type"]


def test_stats_views_and_options_match_the_library(client, sample_edition):
    path = sample_edition[0]
    for name, analysis in ANALYSES.items():
        for view in analysis.views:
            r = client.get(f"/api/stats/{name}", params={"view": view})
            assert r.status_code == 200, (name, view, r.text[:200])
            assert r.json()["view"] == view
    r = client.get("/api/stats/timeline", params={"view": "month"}).json()
    assert r["rows"] == run(path, "timeline", "month")["rows"]
    top = client.get("/api/stats/persons", params={"view": "years", "top": 2}).json()
    assert top["rows"] == run(path, "persons", "years", top=2)["rows"]
    by = client.get("/api/stats/replies", params={"view": "kinds", "by": "reply"}).json()
    assert by["rows"] == run(path, "replies", "kinds", by="reply")["rows"]
    proposed = client.get("/api/stats/priorities", params={"proposed": "true"}).json()
    assert proposed["rows"] == run(path, "priorities", proposed=True)["rows"]
    assert proposed["rows"] != run(path, "priorities")["rows"]  # the option changes the answer
    stats = {p["name"] for p in SPEC["paths"]["/api/stats/{name}"]["get"]["parameters"]}
    assert stats == {"name", "view", "top", "proposed", "rollup", "min_letters", "by", "person",
                     "format", "topics", "min_words"}  # fmt: skip
