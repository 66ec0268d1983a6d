"""The reading room's annotation form in Chromium: log in, select a span of a letter, annotate,
see it listed; an edit that another account overtook is refused and the 409 shown."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import httpx
import pytest
import uvicorn

from epistola.research import accounts as acc
from epistola.research import open_research
from epistola.web import create_app

pytestmark = pytest.mark.browser
LETTER = "L1931-08-16"
QUOTE = "море тёплое"


@pytest.fixture()
def server(sample_edition, tmp_path):
    path = tmp_path / "sample.sqlite"
    shutil.copy(sample_edition[0], path)
    store = open_research(path)
    acc.add_user(store, "cora", "coder", "coder-pass-1")
    acc.add_user(store, "eddi", "editor", "editor-pass-1")
    token = acc.new_token(store, "eddi")
    store.close()
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
    yield f"http://127.0.0.1:{port}", token
    srv.should_exit = True
    thread.join(5)


SELECT = """quote => {
  const section = document.querySelector('section.text');
  const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const i = node.data.indexOf(quote);
    if (i >= 0) {
      const r = document.createRange();
      r.setStart(node, i); r.setEnd(node, i + quote.length);
      const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
      document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
      return true;
    }
  }
  return false;
}"""


def test_login_select_annotate_and_see_a_conflict(browser, server, output_dir):
    base, token = server
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{base}/letters/{LETTER}.html")
        page.click("#annotations a[href^='/login']")
        page.fill("input[name=name]", "cora")
        page.fill("input[name=password]", "coder-pass-1")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/letters/{LETTER}.html")
        page.wait_for_selector("#annotations form.annotate:not([hidden])")
        assert "cora (coder)" in page.inner_text("#annotations .annotations-status")
        assert page.evaluate(SELECT, QUOTE)
        assert QUOTE in page.inner_text("#annotations .selected")
        page.fill("#annotations textarea[name=text]", "the sea is warm")
        page.click("#annotations form.annotate button[type=submit]")
        item = page.wait_for_selector("#annotations li.annotation")
        assert "the sea is warm" in item.inner_text() and QUOTE in item.inner_text()
        page.screenshot(path=output_dir / "serve-annotation-listed.png")
        # the server holds the span at its place in the letter's reading text
        aid = item.get_attribute("data-id")
        rec = httpx.get(f"{base}/api/annotations/{aid}").json()
        assert rec["author"] == "cora" and rec["selector"]["exact"] == QUOTE
        assert rec["version"] == 1
        # meanwhile an editor changes it through the API ...
        r = httpx.put(
            f"{base}/api/annotations/{aid}",
            json={"body": {"text": "edited by eddi"}},
            headers={"Authorization": f"Bearer {token}", "If-Match": '"1"'},
        )
        assert r.status_code == 200
        # ... so cora's edit, started from version 1, is refused and she is told
        page.click("#annotations li.annotation button.edit")
        page.fill("#annotations form.edit-note input", "my later edit")
        page.click("#annotations form.edit-note button[type=submit]")
        page.wait_for_function(
            # a function, not a bare expression: Playwright evals bare strings on each poll,
            # which the page's Content-Security-Policy (no 'unsafe-eval') rightly refuses
            "() => document.querySelector('#annotations .annotations-error').textContent.length > 0"
        )
        shown = page.inner_text("#annotations .annotations-error")
        assert "someone else changed this annotation" in shown and "version 2" in shown
        rec = httpx.get(f"{base}/api/annotations/{aid}").json()
        assert rec["body"]["text"] == "edited by eddi" and rec["version"] == 2
        page.screenshot(path=output_dir / "serve-annotation-conflict.png")
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        page.close()
