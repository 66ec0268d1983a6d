"""``epistola serve PROJECT --watch`` in a real browser: save a source file, the open page
shows the change without anyone reloading it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from ..conftest import ROOT, SAMPLE, stop_server

pytestmark = pytest.mark.browser

LETTER = Path("letters") / "1931" / "L1931-08-16.xml"
BEFORE = "Доехали хорошо."
AFTER = "Доехали благополучно, живы-здоровы."


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(url: str, proc, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"epistola serve exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds} s")


@pytest.fixture
def watched(tmp_path):
    project = tmp_path / "sample"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("_build"))
    port = _port()
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "epistola"),
            "serve",
            str(project),
            "--watch",
            "--port",
            str(port),
        ],  # fmt: skip
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url + "/index.html", proc)
        yield project, url
    finally:
        stop_server(proc, 10)


def test_saving_a_letter_reloads_the_open_page(browser, watched, output_dir):
    project, url = watched
    source = project / LETTER
    assert BEFORE in source.read_text("utf-8")  # the edit below changes the real source text
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(url + "/letters/L1931-08-16.html")
        assert BEFORE in page.inner_text("main")
        assert page.locator('script[src="/_live/reload.js"]').count() == 1
        page.evaluate("window.__beforeSave = true")
        source.write_text(source.read_text("utf-8").replace(BEFORE, AFTER), "utf-8")
        page.wait_for_function(
            "text => document.querySelector('main') && "
            "document.querySelector('main').innerText.includes(text)",
            arg=AFTER,
            timeout=120_000,
        )
        # the page was loaded again by its own script, not patched: the marker is gone
        assert page.evaluate("window.__beforeSave === undefined")
        assert BEFORE not in page.inner_text("main")
        page.screenshot(path=output_dir / "serve-watch-reloaded.png")
    finally:
        page.close()


def test_watch_needs_a_project_folder(tmp_path):
    res = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "epistola"), "serve", str(tmp_path / "x.sqlite"), "--watch"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 2
    assert "--watch needs a project folder" in res.stderr
