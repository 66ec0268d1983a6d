"""WCAG 2.1 AA: axe-core (axe-playwright-python, run in Debian's Chromium) finds no violation on
any page type; search, facets and notes work by keyboard alone."""

from __future__ import annotations

import pytest

from .test_i18n import pages_by_type

AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(browser, site, pages) -> dict[str, list[str]]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    ctx = browser.new_context(offline=True)
    page = ctx.new_page()
    found = {}
    try:
        for p in pages:
            page.goto(p.as_uri())
            res = axe.run(page, options=AA).response
            bad = [f"{v['id']}: {n['target']}" for v in res["violations"] for n in v["nodes"][:3]]
            if bad:
                found[p.relative_to(site).as_posix()] = bad
    finally:
        ctx.close()
    return found


def test_sample_has_no_wcag_aa_violation(browser, sample_site):
    site, _, _ = sample_site
    pages = pages_by_type(site, per_type=2)
    assert any(p.name == "years.html" for p in pages)
    assert violations(browser, site, pages) == {}


@pytest.mark.parametrize("per_type", [1])
def test_schnitzler_has_no_wcag_aa_violation(browser, schnitzler_site, per_type):
    site, _, _ = schnitzler_site
    pages = pages_by_type(site, per_type)
    assert violations(browser, site, pages) == {}


def test_search_facets_and_notes_by_keyboard(browser, sample_site):
    site, _, _ = sample_site
    ctx = browser.new_context(offline=True)
    page = ctx.new_page()
    try:
        page.goto((site / "search.html").as_uri())
        page.keyboard.press("Tab")  # the skip link comes first
        assert page.evaluate("document.activeElement.className") == "skip"
        for _ in range(40):  # tab to the search field, type, submit with Enter
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "q":
                break
        assert page.evaluate("document.activeElement.id") == "q"
        page.keyboard.type("хлеб")
        page.keyboard.press("Enter")
        page.wait_for_selector("#results a.hit")
        page.wait_for_selector("#facets [data-facet] a")  # drawn once the results are shown
        total = int(page.inner_text("#total"))
        for _ in range(200):  # tab on to the first facet value and follow it with Enter
            page.keyboard.press("Tab")
            if page.evaluate("!!document.activeElement.closest('[data-facet] a')"):
                break
        assert page.evaluate("!!document.activeElement.closest('[data-facet] a')")
        page.keyboard.press("Enter")
        page.wait_for_selector("[data-facet] li.active")
        assert 0 < int(page.inner_text("#total")) <= total

        # a note reference is reached by Tab and opens with Enter
        letter = next(
            p
            for p in sorted((site / "letters").glob("*.html"))
            if 'class="note-ref"' in p.read_text()
        )
        page.goto(letter.as_uri())
        for _ in range(300):
            page.keyboard.press("Tab")
            if page.evaluate("!!document.activeElement.closest('.note-ref')"):
                break
        assert page.evaluate("!!document.activeElement.closest('.note-ref')")
        target = page.evaluate("document.activeElement.getAttribute('href')")
        assert target and target.startswith("#")
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash !== '' || !!document.querySelector('.note-popup')")
    finally:
        ctx.close()
