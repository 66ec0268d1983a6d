"""/api/stats/{name} with a view, options and CSV: the vocabulary and topics analyses."""

from __future__ import annotations

import csv
import io

import pytest
from starlette.testclient import TestClient

from epistola.web import create_app

from .test_api import check


@pytest.fixture(scope="module")
def client(sample_edition):
    with TestClient(create_app(str(sample_edition[0]))) as c:
        yield c


def test_views_options_and_csv(client):
    years = check(client.get("/api/stats/vocabulary", params={"view": "years", "top": 3}),
                  "/api/stats/{name}")  # fmt: skip
    assert years["view"] == "years" and years["rows"]
    assert max(r["rank"] for r in years["rows"]) == 3
    topics = check(client.get("/api/stats/topics", params={"topics": 3}), "/api/stats/{name}")
    assert topics["view"] == "topics" and len(topics["rows"]) == 3
    r = client.get("/api/stats/topics", params={"view": "writers", "topics": 3, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and set(rows[0]) == {"writer", "topic", "label", "letters", "share"}
    # a view the analysis lacks is a bad parameter value: 400, like every invalid parameter
    check(client.get("/api/stats/topics", params={"view": "nonsense"}), "/api/stats/{name}", 400)
    check(client.get("/api/stats/topics", params={"topics": "x"}), "/api/stats/{name}", 400)
