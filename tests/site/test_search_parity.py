"""The static reading room's search against the server's, in real headless Chromium from file://
with the network off: the same folding of words in every script, the same totals and the same
top ten letters for the same queries, and known-item phrases found first."""

from __future__ import annotations

import re

import pytest

from epistola.search.fold import FOLD_SAMPLES, tokens

pytestmark = pytest.mark.browser


def _search_page(browser, site):
    ctx = browser.new_context(offline=True)
    ctx.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / "search.html").as_uri())
    page.wait_for_function("() => window.EpistolaSearch && EpistolaSearch.search")
    return ctx, page, errors


def test_browser_folds_words_like_python(browser, sample_site):
    ctx, page, errors = _search_page(browser, sample_site[0])
    try:
        got = page.evaluate("ws => ws.map(w => EpistolaSearch.tokens(w))", FOLD_SAMPLES)
        assert got == [tokens(w) for w in FOLD_SAMPLES]
        assert errors == []
    finally:
        ctx.close()


def compare(page, edition, queries):
    """(query, server total, browser total, server top 10, browser top 10) that disagree.
    Letters tied in score with the tenth may come in either order, so the top ten are
    compared as the letters scored above the tenth's score."""
    bad = []
    for q in queries:
        res = edition.search(q, per_page=10)
        js = page.evaluate("q => EpistolaSearch.search(q, {})", q)
        py = [r["letter"] for r in res["results"]]
        scores = [r["score"] for r in res["results"]]
        sure = [x for x, s in zip(py, scores, strict=True) if not scores or s > scores[-1] + 1e-6]
        if res["total"] != js["total"] or js["ids"][: len(sure)] != sure:
            bad.append((q, res["total"], js["total"], py, js["ids"][:10]))
        elif set(py) - set(js["ids"][: len(py) + 10]):
            bad.append((q, res["total"], js["total"], py, js["ids"][:10]))
    return bad


SAMPLE_QUERIES = [
    "хлебозаготовки", "хлебозаготовках", "заготовка", "Каганович", "Кагановичу", "Kaganovich",
    "Lasutin", "Лазутин", "хлеб", "хлеб OR Украина", "хлеб -Украина", "хлеб*", "=хлеба",
    '"доменных печей"', "Stalin", "Молотову", "grain", "letter OR letters", "(хлеб OR уголь) NOT Москва",
]  # fmt: skip


def test_static_search_answers_like_the_server_on_the_sample(browser, sample_site, sample):
    ctx, page, errors = _search_page(browser, sample_site[0])
    try:
        assert compare(page, sample, SAMPLE_QUERIES) == []
        assert errors == []
    finally:
        ctx.close()
