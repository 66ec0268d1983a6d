"""``epistola serve`` in a real browser: the same pages, search answered by the server."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from epistola.web import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(sample_edition):
    path, _ = sample_edition
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(
        uvicorn.Config(create_app(str(path)), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(5)


def test_served_search_with_a_facet_then_a_letter(browser, server, output_dir):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(server + "/")
        page.fill("#quick-q", "хлебозаготовки")
        page.press("#quick-q", "Enter")
        page.wait_for_selector("#results .result")
        assert "/search.html?q=" in page.url
        total = int(page.inner_text("#total"))
        assert page.locator('#results a.hit[href$="letters/L1931-08-16.html"]').count() == 1
        page.click('[data-facet="year"] a[data-facet-value="1931"]')
        page.wait_for_selector('[data-facet="year"] li.active')
        narrowed = int(page.inner_text("#total"))
        assert 0 < narrowed <= total
        page.screenshot(path=output_dir / "serve-sample-search-facet.png")
        page.click('#results a.hit[href$="letters/L1931-08-16.html"]')
        assert page.url == server + "/letters/L1931-08-16.html"
        page.click('a[rel="next-corresp"]')
        assert page.url == server + "/letters/L1931-08-19.html"
    finally:
        page.close()
