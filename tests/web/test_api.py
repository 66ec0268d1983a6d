"""``epistola serve``: the same pages as the static site, search on the server, the JSON API
checked against its OpenAPI description with real responses."""

from __future__ import annotations

import re

import jsonschema
import pytest
from starlette.testclient import TestClient

from epistola.render.i18n import catalogue
from epistola.web import create_app
from epistola.web.api import openapi

SPEC = openapi()


@pytest.fixture(scope="module")
def client(sample_edition):
    path, _ = sample_edition
    with TestClient(create_app(str(path))) as c:
        yield c


def check(response, path: str, status: int = 200):
    """The response has the status and the shape the OpenAPI document promises for it."""
    assert response.status_code == status, response.text[:300]
    op = SPEC["paths"][path]["get"]["responses"][str(status)]
    if "$ref" in op:
        op = SPEC["components"]["responses"][op["$ref"].rsplit("/", 1)[1]]
    schema = op["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": SPEC["components"]}).validate(
        response.json()
    )
    return response.json()


def test_every_documented_path_is_served(client, sample_edition):
    routes = {r.path for r in client.app.routes if r.path.startswith("/api/")}
    assert routes == set(SPEC["paths"])


def test_letters_filtered_and_paged(client, sample_tei):
    n1931 = sum(1 for d in sample_tei.values() if (d["earliest"] or "").startswith("1931"))
    data = check(client.get("/api/letters", params={"year": 1931, "per_page": 5}), "/api/letters")
    assert data["total"] == n1931 and len(data["letters"]) == 5
    assert data["letters"][0]["label"] == "1931 No. 1"
    page3 = check(
        client.get("/api/letters", params={"year": 1931, "per_page": 5, "page": 3}), "/api/letters"
    )
    assert [x["label"] for x in page3["letters"]] == [
        f"1931 No. {i}" for i in range(11, min(16, n1931 + 1))
    ]
    check(client.get("/api/letters", params={"per_page": 0}), "/api/letters", 400)


def test_one_letter_is_the_same_json_as_the_static_site(client, sample_site):
    site, _, _ = sample_site
    r = client.get("/api/letters/L1931-08-16")
    data = check(r, "/api/letters/{id}")
    assert data["label"] == "1931 No. 3"
    assert r.content == (site / "letters/L1931-08-16.json").read_bytes()
    check(client.get("/api/letters/no-such-letter"), "/api/letters/{id}", 404)


def test_person_with_letters(client, sample_tei):
    sent = {lid for lid, d in sample_tei.items() if "p-vetrov" in d["senders"]}
    assert sent
    data = check(client.get("/api/persons/p-vetrov"), "/api/persons/{id}")
    assert {x["id"] for x in data["letters"]["from"]} == sent
    check(client.get("/api/persons/p-nobody"), "/api/persons/{id}", 404)


def test_search_and_stats(client):
    data = check(client.get("/api/search", params={"q": "хлеб", "year": "1932"}), "/api/search")
    assert data["total"] > 0 and all(r["label"].startswith("1932 No.") for r in data["results"])
    check(client.get("/api/search", params={"q": '"unbalanced'}), "/api/search", 400)
    from epistola.analyse import ANALYSES

    name = next(iter(ANALYSES))
    stats = check(client.get(f"/api/stats/{name}"), "/api/stats/{name}")
    assert stats["name"] == name
    check(client.get("/api/stats/no-such-analysis"), "/api/stats/{name}", 404)
    check(client.get("/api/openapi.json"), "/api/openapi.json")


def test_served_pages_are_the_static_pages(client, sample_site):
    site, _, _ = sample_site
    for path in ("letters/L1931-08-16.html", "persons/p-vetrov.html", "years/1931.html",
                 "glossary.html", "orgs/index.html", "letters/L1931-08-16.xml"):  # fmt: skip
        r = client.get("/" + path)
        assert r.status_code == 200, path
        served = r.content
        if path.endswith(".html"):  # the research form and its script are the only addition
            served = re.sub(rb'\n?<aside id="annotations".*?</aside>\n?', b"\n", served, flags=re.S)
            served = served.replace(b'<script src="../static/annotate.js" defer></script>', b"")
        assert served == (site / path).read_bytes(), path
    assert client.get("/").status_code == 200
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/photographs/ph-vetrov-1931.png").headers["content-type"] == "image/png"
    missing = client.get("/letters/nothing.html")
    # the reading room's own language (tests/site/test_i18n.py checks it has no English label)
    not_found = catalogue("ru")["This reading room has no page at this address:"]
    assert missing.status_code == 404 and not_found in missing.text
    assert "<code>letters/nothing.html</code>" in missing.text


def test_search_page_answered_on_the_server(client):
    r = client.get("/search.html", params={"q": "хлеб"})
    assert r.status_code == 200
    total = int(re.search(r'<span id="total">(\d+)</span>', r.text).group(1))
    assert total > 0 and "<mark>" in r.text
    assert "static/search.js" not in r.text  # no client-side index when served
    href = re.search(
        r'data-facet="year".*?<a href="([^"]+)" data-facet-value="1931"', r.text, re.S
    ).group(1)
    narrowed = client.get("/" + href.replace("&amp;", "&"))
    n = int(re.search(r'<span id="total">(\d+)</span>', narrowed.text).group(1))
    assert 0 < n <= total
    labels = re.findall(r'class="hit" href="[^"]+">([^<]+)</a>', narrowed.text)
    assert labels and all(x.startswith("1931 No.") for x in labels)
