"""The static reading room's search against the server's, in real headless Chromium from file://
with the network off: the same folding of words in every script, the same totals and the same
top ten letters for the same queries, and known-item phrases found first."""

from __future__ import annotations

import re

import pytest

from epistola.search.fold import FOLD_SAMPLES, surname_base, tokens

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample(sample_site):
    from epistola import open_edition

    with open_edition(sample_site[2]) as ed:
        yield ed


def _search_page(browser, site):
    ctx = browser.new_context(offline=True)
    ctx.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / "search.html").as_uri())
    page.wait_for_function("() => window.EpistolaSearch && EpistolaSearch.search")
    return ctx, page, errors


SURNAME_SAMPLES = [
    "Костров", "Кострова", "Костровым", "Лебедевой", "Калниными", "Щукиных", "Ивановою", "ов",
    "Иванову", "слова", "хлопке", "Kostrov", "Пушкин", "Ин", "Ёлкиным",
]  # fmt: skip


def test_browser_folds_words_like_python(browser, sample_site):
    ctx, page, errors = _search_page(browser, sample_site[0])
    try:
        got = page.evaluate("ws => ws.map(w => EpistolaSearch.tokens(w))", FOLD_SAMPLES)
        assert got == [tokens(w) for w in FOLD_SAMPLES]
        # the shape of a Russian surname's case forms, from the same pattern (meta.js)
        words = [t for w in FOLD_SAMPLES + SURNAME_SAMPLES for t in tokens(w)]
        got = page.evaluate("ws => ws.map(w => EpistolaSearch.surnameBase(w))", words)
        assert got == [surname_base(w) for w in words]
        assert surname_base("костровыми") == "костров" and surname_base("слово") is None
        assert errors == []
    finally:
        ctx.close()


def compare(page, edition, queries):
    """(query, server total, browser total, server top 10, browser top 10) that disagree, and
    queries whose best front matter and register entries (the API's "other") differ.
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
        other = [o["id"] for o in res["other"]]
        if [o["id"] for o in js["other"]] != other:  # front matter and register entries
            bad.append((q, "other", other, [o["id"] for o in js["other"]]))
    return bad


SAMPLE_QUERIES = [
    "хлебозаготовки", "хлебозаготовках", "заготовка", "Каганович", "Кагановичу", "Kaganovich",
    "Lasutin", "Лазутин", "хлеб", "хлеб OR Украина", "хлеб -Украина", "хлеб*", "=хлеба",
    '"доменных печей"', "Stalin", "Молотову", "grain", "letter OR letters", "(хлеб OR уголь) NOT Москва",
    # every case form of register surnames pymorphy does not know (Костров) or knows (Лазутин)
    "Костров", "Кострова", "Кострову", "Костровым", "Кострове", "Лазутиным", "Калниным",
]  # fmt: skip


@pytest.mark.parametrize("pid", ["p-kostrov", "p-kalnin"])
def test_every_case_form_of_a_surname_finds_the_same_letters_offline(
    browser, sample_site, sample_tei, pid
):
    from tests.search.test_search_corpora import SAMPLE_SURNAMES, SURNAME_CASES, letters_naming

    surname = SAMPLE_SURNAMES[pid]
    expected = letters_naming(sample_tei, pid, surname)
    ctx, page, errors = _search_page(browser, sample_site[0])
    try:
        found = {}
        for e in SURNAME_CASES:
            js = page.evaluate("q => EpistolaSearch.search(q, {})", surname + e)
            found[surname + e] = set(js["ids"])
        first = found[surname]
        assert all(v == first for v in found.values()), {k: len(v) for k, v in found.items()}
        assert expected <= first, sorted(expected - first)
        assert errors == []
    finally:
        ctx.close()


def test_static_search_answers_like_the_server_on_the_sample(browser, sample_site, sample):
    ctx, page, errors = _search_page(browser, sample_site[0])
    try:
        assert compare(page, sample, SAMPLE_QUERIES) == []
        assert errors == []
    finally:
        ctx.close()


SCHNITZLER_QUERIES = [
    "Burgtheater", "Theater", "Wien", "Briefe", "=Briefe", "Brie*", '"in Wien"', "Hofmannsthal",
    "Hermann Bahr", "Wien OR Berlin", "Wien -Berlin", "kunstvolle", "Grüße", "Straße",
    "(Theater OR Oper) Wien", "Beer-Hofmann", "Liebelei", '="herzliche Grüße"', "Ischl NOT Wien",
]  # fmt: skip


@pytest.fixture(scope="module")
def schnitzler_site_edition(schnitzler_site):
    from epistola import open_edition

    with open_edition(schnitzler_site[2]) as ed:
        yield ed


@pytest.mark.corpora
def test_static_search_answers_like_the_server_on_schnitzler(
    browser, schnitzler_site, schnitzler_site_edition
):
    ctx, page, errors = _search_page(browser, schnitzler_site[0])
    try:
        assert compare(page, schnitzler_site_edition, SCHNITZLER_QUERIES) == []
        assert errors == []
    finally:
        ctx.close()


@pytest.mark.corpora
def test_known_item_phrases_rank_first_offline(browser, schnitzler_site, schnitzler_site_edition):
    """Forty letters spread over the corpus; seven words from the middle of each, taken at TEI's
    own word boundaries with lxml; the letter must come first in at least 95% of them."""
    from tests.search.test_search_corpora import _phrase_from_tei

    store = schnitzler_site_edition.store
    rows = store.execute("SELECT id, source_path FROM letters ORDER BY number")
    picked = rows[:: max(1, len(rows) // 40)][:40]
    ctx, page, errors = _search_page(browser, schnitzler_site[0])
    try:
        first_static = first_server = 0
        for r in picked:
            phrase = _phrase_from_tei(r["source_path"])
            js = page.evaluate("q => EpistolaSearch.search(q, {})", phrase)
            first_static += js["ids"][:1] == [r["id"]]
            res = schnitzler_site_edition.search(phrase, per_page=1)
            first_server += [x["letter"] for x in res["results"]] == [r["id"]]
        assert first_static >= 0.95 * len(picked)
        assert first_server >= 0.95 * len(picked)
        assert errors == []
    finally:
        ctx.close()


def _facets_shown(page) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for sec in page.locator("#facets section.facet").all():
        key = sec.get_attribute("data-facet")
        out[key] = {
            a.get_attribute("data-facet-value"): int(a.locator(".n").inner_text())
            for a in sec.locator("a").all()
        }
    return out


def test_static_page_shows_the_servers_facets_snippets_and_notes(browser, sample_site, sample):
    """Through the page itself: the same facet counts as the API; snippets around the hit with
    the hit marked; a hit in a note labelled as a note."""
    q = "хлеб"
    ctx, page, errors = _search_page(browser, sample_site[0])
    try:
        page.goto((sample_site[0] / "search.html").as_uri() + "?q=" + q)
        page.wait_for_selector("#results .result .snippet mark")
        page.wait_for_selector("#facets section.facet")  # drawn once the results are shown
        res = sample.search(q, per_page=50)
        assert int(page.inner_text("#total")) == res["total"]
        shown = _facets_shown(page)
        for key in ("year", "sender", "addressee", "person", "place", "kind"):
            want = {str(f["value"]): f["count"] for f in res["facets"].get(key, [])}
            assert shown.get(key, {}) == want, key
        # "invented" is said only in notes: the static page shows the note, labelled as one
        page.goto((sample_site[0] / "search.html").as_uri() + "?q=invented")
        page.wait_for_selector("#results .result .snippet mark")
        res = sample.search("invented")
        assert int(page.inner_text("#total")) == res["total"] == 4
        assert page.locator("#results .result .snippet-note mark").count() >= 4
        # (the letters' snippets; front matter and register hits are listed after them)
        assert page.locator("#results .result .snippet:not(.snippet-note)").count() == 0
        assert errors == []
    finally:
        ctx.close()


# words of the front matter (preface, year introductions, the essay) and of register notes
OTHER_QUERIES = [
    "tractor", "Director", "currency", '"foreign currency"', "edition", "Vetrov", "Степногорск",
    "урож*", "хлеб", "Kostrov", "=edition", "tractor -currency", "Ветров",
]  # fmt: skip


def test_front_matter_and_registers_are_searched_offline(browser, sample_site, sample):
    """The API's "other" (front matter and register entries, best ten) offline too: the same
    documents in the same order, from file:// with the network off."""
    ctx, page, errors = _search_page(browser, sample_site[0])
    try:
        bad = []
        for q in OTHER_QUERIES:
            res = sample.search(q)
            js = page.evaluate("q => EpistolaSearch.search(q, {})", q)
            py = [(o["kind"], o["id"]) for o in res["other"]]
            got = [(o["kind"], o["id"]) for o in js["other"]]
            if got != py:
                bad.append((q, py, got))
        assert bad == []
        assert errors == []
    finally:
        ctx.close()


def test_a_register_note_is_found_on_the_static_page(browser, sample_site):
    """Kostrov's register note (persons.xml) calls him "Director"; no letter has the word: the
    page shows no letter and links his register page, with the word marked."""
    from lxml import etree

    from tests.conftest import SAMPLE

    tei = etree.parse(str(SAMPLE / "registers" / "persons.xml"))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    note = tei.xpath("//t:person[@xml:id='p-kostrov']/t:note", namespaces=ns)[0]
    assert "Director" in " ".join(note.itertext())
    letters = [p for p in (SAMPLE / "letters").rglob("*.xml") if "Director" in p.read_text()]
    assert letters == []
    ctx, page, errors = _search_page(browser, sample_site[0])
    try:
        page.goto((sample_site[0] / "search.html").as_uri() + "?q=Director")
        page.wait_for_selector("#other .other-hit .snippet mark")
        assert page.inner_text("#total") == "0"
        hit = page.locator('#other .other-hit[data-id="p-kostrov"]')
        assert hit.locator("a.hit").get_attribute("href").endswith("persons/p-kostrov.html")
        assert hit.locator(".snippet mark").first.inner_text() == "Director"
        assert errors == []
    finally:
        ctx.close()
