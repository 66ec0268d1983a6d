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


def test_stats_read_the_facts_the_pages_read(sample_edition):
    """/api/stats answers from the edition's one cached view, loaded with the reading room: a
    request reads no letter summaries again, and a second request reads no table but ``meta``
    (which the server consults on every request)."""
    from epistola import open_edition

    with open_edition(sample_edition[0]) as ed:
        app = create_app(ed)  # the reading room reads its facts here, through ed.facts
        seen: list[str] = []
        execute, tuples = ed.store.execute, ed.store.tuples

        def spy(fn):
            def call(sql, *args, **kw):
                seen.append(sql)
                return fn(sql, *args, **kw)

            return call

        ed.store.execute, ed.store.tuples = spy(execute), spy(tuples)
        with TestClient(app) as c:
            first = check(
                c.get("/api/stats/timeline", params={"view": "year"}), "/api/stats/{name}"
            )
            assert first["counts"]["letters"] > 0
            assert not [s for s in seen if "FROM letters ORDER BY number" in s]
            assert not [s for s in seen if "FROM letter_agents" in s]
            before = len(seen)
            again = check(
                c.get("/api/stats/timeline", params={"view": "year"}), "/api/stats/{name}"
            )
        assert again == first
        assert [s for s in seen[before:] if "FROM meta " not in s] == []
