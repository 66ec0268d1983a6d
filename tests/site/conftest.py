"""Fixtures for the reading room: sites built once per session, and a real headless Chromium."""

from __future__ import annotations

import atexit
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


@pytest.fixture(scope="session")
def schnitzler_site(schnitzler_edition, tmp_path_factory):
    """The full Schnitzler reading room, built once: (site folder, SiteResult, edition path)."""
    from epistola.site import build_site

    path, _ = schnitzler_edition
    out = tmp_path_factory.mktemp("schnitzler-site")
    return out, build_site(path, out), path


_SHARED: dict = {}  # one browser and one sample site per test process, whichever folder asks


@pytest.fixture(scope="session")
def sample_site(sample_edition, tmp_path_factory):
    from epistola.site import build_site

    if "sample_site" not in _SHARED:
        path, _ = sample_edition
        out = tmp_path_factory.mktemp("sample-site")
        _SHARED["sample_site"] = (out, build_site(path, out), path)
    return _SHARED["sample_site"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser); one per process,
    since Playwright's sync API allows one driver at a time."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/chromium is missing (apt-get install -y chromium)")
        pytest.skip("/usr/bin/chromium is missing")
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        driver = sync_playwright().start()
        b = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        _SHARED["browser"] = b

        def stop():
            b.close()
            driver.stop()

        atexit.register(stop)
    return _SHARED["browser"]


_REF = re.compile(rb"""(?:href|src)="([^"]*)\"""")


def broken_links(site: Path) -> list[tuple[str, str]]:
    """Every internal href/src in every HTML page that does not resolve to a file of the site
    (fragments are checked against the target's ids). Returns (page, link) pairs."""
    files = {f.relative_to(site).as_posix() for f in site.rglob("*") if f.is_file()}
    ids_cache: dict[str, set[str]] = {}

    def ids(rel: str) -> set[str]:
        if rel not in ids_cache:
            raw = (site / rel).read_bytes()
            ids_cache[rel] = {m.decode() for m in re.findall(rb'id="([^"]+)"', raw)}
        return ids_cache[rel]

    broken = []
    for rel in sorted(f for f in files if f.endswith(".html")):
        base = posixpath.dirname(rel)
        for raw in set(_REF.findall((site / rel).read_bytes())):
            link = raw.decode().replace("&amp;", "&")
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("//", "?")):
                continue  # external, or a search-state link on search.html
            target = (
                posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else rel
            )
            if target not in files:
                broken.append((rel, link))
            elif parts.fragment and target.endswith(".html") and parts.fragment not in ids(target):
                broken.append((rel, link))
    return broken
