"""Search on PostgreSQL answers what search on SQLite answers: the same edition ingested into both
backends, a fixed set of queries (words, phrases, names in another script, inflected forms,
prefixes, NOT/OR, date ranges, each facet) and equal totals, facets, named entries, top-20
letters with their scores and snippets, and front matter / register hits."""

from __future__ import annotations

import pytest

from epistola import ingest, load_project, open_edition
from epistola.search.query import search

from ..conftest import SAMPLE, SCHNITZLER, need

pytestmark = pytest.mark.postgres

SAMPLE_QUERIES = [
    ("Vetrov", {}),  # a name, Latin script, for an entry named in Cyrillic
    ("Wetrow", {}),  # another transliteration
    ("Ветрову", {}),  # Cyrillic, inflected (dative)
    ("Sedykh", {}),
    ("Костровым", {}),  # a name, inflected (instrumental: pymorphy does not know this surname)
    ("Кострову", {}),  # dative
    ("Arseny Grigoryevich", {}),  # two words naming one entry
    ("Степногорска", {}),  # an inflected place name
    ("письма", {}),  # an inflected Russian word: every form of письмо
    ("=письма", {}),  # this form only
    ('"урожай будет"', {}),  # phrases
    ('"spring was dry"', {}),
    ("урож*", {}),  # prefix
    ("wheat OR пшеница", {}),
    ("Zagorskaya OR Lebedeva", {}),
    ("хлеб NOT Седых", {}),
    ("ЕЩЁ", {}),
    ("", {"year": 1932}),
    ("", {"start": "1931-06", "end": "1931-09-15"}),
    ("хлеб", {"start": "1932"}),
    ("письмо", {"sort": "date"}),
    ("хлеб", {"page": 2, "per_page": 5}),
]
SCHNITZLER_QUERIES = [
    ("Burgtheater", {}),
    ("Briefe", {}),  # stems: Brief, Briefe, Briefen...
    ("=Briefe", {}),
    ("Strasse", {}),  # ß folded: Straße
    ("Grüße", {}),
    ('"lieber Freund"', {}),
    ("Burg*", {}),
    ("Hofmannsthal", {}),  # a name: the register entry and the word
    ("Hugo von Hofmannsthal", {}),
    ("Wien OR Berlin", {}),
    ("Theater NOT Burgtheater", {}),
    ("Theater", {"start": "1892-01-01", "end": "1895-12-31"}),
    ("", {"kind": "telegram"}),
    ("Theater", {"year": 1900}),
    ("Wien", {"sort": "date", "page": 3}),
]


def _facet_filters(res: dict) -> list[tuple[str, dict]]:
    """One filter per facet, by the most frequent value of that facet."""
    out = []
    for key, values in res["facets"].items():
        if values:
            out.append(("", {key: values[0]["value"]}))
    return out


def _compare(lite, pg, q: str, kw: dict) -> dict:
    kw = dict(kw)
    opts = {k: kw.pop(k) for k in ("sort", "page", "per_page") if k in kw}
    a = search(lite, q, filters=kw, **opts)
    b = search(pg, q, filters=kw, **opts)
    where = f"{q!r} {kw} {opts}"
    assert b["total"] == a["total"], where
    assert b["facets"] == a["facets"], where
    assert b["names"] == a["names"], where
    # the same letters in the same order, with the same scores and snippets
    assert [(r["letter"], r["score"]) for r in b["results"]] == [
        (r["letter"], r["score"]) for r in a["results"]
    ], where
    assert b["results"] == a["results"], where
    assert [o["id"] for o in b["other"]] == [o["id"] for o in a["other"]], where
    return a


def _run(lite, pg, queries) -> None:
    hits = 0
    for q, kw in queries:
        hits += bool(_compare(lite, pg, q, kw)["total"])
    assert hits == len(queries)  # the queries find letters: the comparison is not vacuous
    everything = _compare(lite, pg, "", {})
    for q, kw in _facet_filters(everything):
        assert _compare(lite, pg, q, kw)["total"], kw


def test_sample_edition_searches_alike(sample_edition, pg_url):
    lite, _ = sample_edition
    url = pg_url("search_sample")
    ingest(load_project(need(SAMPLE)), url, workers=1)
    with open_edition(lite) as a, open_edition(url) as b:
        _run(a, b, SAMPLE_QUERIES)


def test_schnitzler_searches_alike(schnitzler_edition, pg_url):
    lite, _ = schnitzler_edition
    url = pg_url("search_schnitzler")
    ingest([need(SCHNITZLER)], url)
    with open_edition(lite) as a, open_edition(url) as b:
        _run(a, b, SCHNITZLER_QUERIES)
        assert search(b, "Burgtheater")["total"] > 50
