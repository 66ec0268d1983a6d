"""Fixtures for the reading room: sites built once per session, and a real headless Chromium."""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def sample_site(sample_edition, tmp_path_factory):
    from epistola.site import build_site

    path, _ = sample_edition
    out = tmp_path_factory.mktemp("sample-site")
    return out, build_site(path, out), path


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/chromium is missing (apt-get install -y chromium)")
        pytest.skip("/usr/bin/chromium is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


_REF = re.compile(rb"""(?:href|src)="([^"]*)\"""")


def broken_links(site: Path) -> list[tuple[str, str]]:
    """Every internal href/src in every HTML page that does not resolve to a file of the site
    (fragments are checked against the target's ids). Returns (page, link) pairs."""
    broken = []
    ids_cache: dict[Path, set[str]] = {}

    def ids(p: Path) -> set[str]:
        if p not in ids_cache:
            ids_cache[p] = {m.decode() for m in re.findall(rb'id="([^"]+)"', p.read_bytes())}
        return ids_cache[p]

    for page in site.rglob("*.html"):
        for raw in _REF.findall(page.read_bytes()):
            link = raw.decode().replace("&amp;", "&")
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//") or link.startswith("?"):
                continue  # external, or a search-state link on search.html
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file() or not target.resolve().is_relative_to(site.resolve()):
                broken.append((str(page.relative_to(site)), link))
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in ids(target):
                broken.append((str(page.relative_to(site)), link))
    return broken
