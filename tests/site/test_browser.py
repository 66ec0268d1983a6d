"""A reader's path through the reading room, in real headless Chromium, from file:// and offline.

Home -> a year's contents -> a letter; open a note; hover an abbreviation; follow a person
link and find the letter on the person's page; search a word of the letter in another form;
narrow by a facet; follow "next in the correspondence". Screenshots go to test-output/.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _offline_page(browser):
    """A page that can reach nothing but files: the network is off and every request not for
    a file:// URL is refused (fetch() would fail on file:// anyway)."""
    ctx = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    blocked = []

    def refuse(route):
        blocked.append(route.request.url)
        route.abort()

    ctx.route(re.compile(r"^(?!file:).*"), refuse)
    return ctx, ctx.new_page(), blocked


def walk(browser, site, output_dir, name, *, year, letter, word, abbr):
    ctx, page, blocked = _offline_page(browser)
    try:
        page.goto((site / "index.html").as_uri())
        assert page.title()
        page.screenshot(path=output_dir / f"site-{name}-home.png")
        page.click(f'.entry-points a[href="years/{year}.html"]')
        assert page.url.endswith(f"years/{year}.html")
        page.click(f'table.letters a[href="../letters/{letter}.html"] >> nth=0')
        assert page.url.endswith(f"letters/{letter}.html")
        assert page.locator("html").get_attribute("lang")

        # a note opens beside the text, with the note's own words
        ref = page.locator('a[data-note="n1"]').first
        ref.click()
        popup = page.locator(".note-popup")
        popup.wait_for()
        note_text = page.locator("li#n1").inner_text().replace("↑", "").strip()
        assert note_text[:30] in popup.inner_text()
        page.screenshot(path=output_dir / f"site-{name}-letter-note.png")

        if abbr:
            a = page.locator("abbr[title]").first
            expansion = a.get_attribute("title")
            assert expansion
            a.hover()
            shown = a.evaluate("el => getComputedStyle(el, '::after').content")
            assert expansion in shown
            page.screenshot(path=output_dir / f"site-{name}-abbr-hover.png")

        # next in the correspondence, then back
        nxt = page.locator('a[rel="next-corresp"]')
        target = nxt.get_attribute("href")
        nxt.click()
        assert page.url.endswith(target.split("/")[-1])
        page.go_back()

        # a person named in the letter (its writer) lists the letter on their page
        page.locator("dd.sender a").first.click()
        assert "/persons/" in page.url
        assert page.locator(f'a[href="../letters/{letter}.html"]').count() >= 1
        page.screenshot(path=output_dir / f"site-{name}-person.png")

        # search, offline from file://: the word in another form finds the letter
        page.goto((site / "search.html").as_uri())
        page.fill("#q", word)
        page.press("#q", "Enter")
        page.wait_for_selector("#results .result")
        page.wait_for_selector("#facets section.facet")  # drawn once the results are shown
        hits = page.locator(f'#results a.hit[href$="letters/{letter}.html"]')
        assert hits.count() == 1
        total = int(page.inner_text("#total"))
        page.screenshot(path=output_dir / f"site-{name}-search.png")

        # narrow by the year facet: fewer or equal results, every one of that year
        page.click(f'[data-facet="year"] a[data-facet-value="{year}"]')
        page.wait_for_selector('[data-facet="year"] li.active')
        narrowed = int(page.inner_text("#total"))
        assert 0 < narrowed <= total
        labels = page.locator("#results a.hit").all_inner_texts()
        # "1931 No. 3" in the interface's language: "1931 Nr. 3", "1931 № 3"
        assert labels and all(re.match(rf"{year} (No\.|Nr\.|№) ", t) for t in labels)
        assert page.locator(f'#results a.hit[href$="letters/{letter}.html"]').count() == 1
        page.screenshot(path=output_dir / f"site-{name}-search-facet.png")
        assert blocked == []  # nothing even tried to leave the folder
    finally:
        ctx.close()


def test_sample_reading_room(browser, sample_site, output_dir):
    site, _, _ = sample_site
    # "хлебозаготовках" is in the letter of 16 Aug. 1931; search another case of it
    walk(browser, site, output_dir, "sample", year=1931, letter="L1931-08-16",
         word="хлебозаготовки", abbr=True)  # fmt: skip


@pytest.mark.corpora
def test_schnitzler_reading_room(browser, schnitzler_site, output_dir):
    site, _, _ = schnitzler_site
    # L00001 (Mamroth, 2 Aug. 1889) says "kunstvoll"; search the inflected "kunstvolle"
    walk(browser, site, output_dir, "schnitzler", year=1889, letter="L00001",
         word="kunstvolle", abbr=False)  # fmt: skip


def test_pages_work_without_javascript(browser, sample_site, output_dir):
    site, _, _ = sample_site
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    try:
        page.goto((site / "letters/L1931-08-16.html").as_uri())
        page.click('a[href="#n1"]')
        assert page.url.endswith("#n1")
        assert page.evaluate("document.querySelector(':target').id") == "n1"
        page.screenshot(path=output_dir / "site-sample-phone-nojs.png", full_page=False)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1  # nothing wider than a phone's screen
    finally:
        ctx.close()
