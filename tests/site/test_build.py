"""Building the static site: incremental rebuilds, project overrides, hostile sources."""

from __future__ import annotations

import re
import shutil

import pytest

from epistola import ingest, load_project
from epistola.site import build_site

from ..conftest import SAMPLE
from .conftest import HOSTILE, broken_links

LETTER = "letters/1931/L1931-08-16.xml"


@pytest.fixture
def project(tmp_path):
    dest = tmp_path / "project"
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("_build"))
    return dest


def _shards_of_letter(path) -> set[str]:
    """The two-letter shard keys of every word of a letter (its folded forms and their keys),
    the words read from the TEI with lxml."""
    from lxml import etree

    from epistola.search.fold import Analyzer, tokens

    root = etree.parse(str(path)).getroot()
    words = tokens(" ".join(root.find("{http://www.tei-c.org/ns/1.0}text").itertext()))
    keys = Analyzer(["ru", "en"]).stem_all(words, "en")
    return {w[:2] for w in words} | {k[:2] for k in keys}


def _ingest(project, target):
    ingest(load_project(project), target, workers=1)
    return target


def test_touching_one_letter_rewrites_only_its_pages(project, tmp_path):
    edition = _ingest(project, tmp_path / "e.sqlite")
    site = tmp_path / "site"
    first = build_site(edition, site)
    assert first.written == first.pages
    again = build_site(edition, site)
    assert again.written == 0 and again.files_written == 0

    src = project / LETTER
    text = src.read_text(encoding="utf-8")
    assert "врачи довольны" in text
    src.write_text(
        text.replace("врачи довольны", "врачи довольны, погода чудесная"), encoding="utf-8"
    )
    _ingest(project, edition)
    third = build_site(edition, site)
    assert sorted(third.written_paths) == [
        "changes.html",  # the edition's new version lists the edited letter
        "letters/L1931-08-16.html",
        "letters/L1931-08-16.json",
        "letters/L1931-08-16.xml",
    ]
    assert "погода чудесная" in (site / "letters/L1931-08-16.html").read_text()
    # the search index learnt the new word: its shard was written again and holds it
    shard = next((site / "search").glob("s-*.js"), None)
    assert shard is not None
    found = [p for p in (site / "search").glob("s-*.js") if '"чудесная"' in p.read_text()]
    assert len(found) == 1
    # rewritten: its pages, meta.js, its snippet text, and only the index shards of the words
    # of this letter (the positions after the edit moved); every other shard is kept
    assert 0 < third.files_written <= 3 + 2 + len(_shards_of_letter(src))


def test_changing_a_date_rewrites_the_lists_that_show_it(project, tmp_path):
    edition = _ingest(project, tmp_path / "e.sqlite")
    site = tmp_path / "site"
    build_site(edition, site)
    src = project / LETTER
    text = src.read_text(encoding="utf-8")
    src.write_text(text.replace('when="1931-08-16"', 'when="1931-08-15"'), encoding="utf-8")
    _ingest(project, edition)
    result = build_site(edition, site)
    written = set(result.written_paths)
    assert {"letters/L1931-08-16.html", "years/1931.html", "persons/p-vetrov.html"} <= written
    assert "years/1932.html" not in written and "letters/L1933-08-19.html" not in written
    assert "15 авг. 1931" in (site / "years/1931.html").read_text()


def test_a_project_overrides_a_template_and_the_stylesheet(project, tmp_path):
    (project / "templates").mkdir()
    (project / "templates" / "home.html").write_text(
        '{% extends "base.html" %}{% block content %}<p id="ours">Our own home page</p>{% endblock %}'
    )
    (project / "static").mkdir()
    (project / "static" / "style.css").write_text("body { color: rebeccapurple; }\n")
    edition = _ingest(project, tmp_path / "e.sqlite")
    site = tmp_path / "site"
    build_site(edition, site)
    assert '<p id="ours">Our own home page</p>' in (site / "index.html").read_text()
    assert (site / "static/style.css").read_text() == "body { color: rebeccapurple; }\n"
    # the package's other files are still there, and the other templates are the package's
    assert (site / "static/search.js").is_file()
    assert '<article class="letter"' in (site / "letters/L1931-08-16.html").read_text()


def test_markup_in_sources_is_shown_as_text_never_run(tmp_path, browser):
    edition = tmp_path / "hostile.sqlite"
    ingest([HOSTILE], edition, workers=1)
    site = tmp_path / "site"
    build_site(edition, site)
    assert broken_links(site) == []
    for f in site.rglob("*.html"):
        html = f.read_text()
        assert "<script>window.__pwned" not in html, f
        assert not re.search(r"<(img|iframe|svg|b)\b[^>]*(onerror|onload|onmouseover)", html), f
        assert 'href="javascript:' not in html, f
    letter = (site / "letters/L-hostile.html").read_text()
    assert "&lt;script&gt;window.__pwned_text=1&lt;/script&gt;" in letter
    page = browser.new_page()
    try:
        for path in ("letters/L-hostile.html", "persons/p-evil.html", "persons/index.html",
                     "years/1931.html"):  # fmt: skip
            page.goto((site / path).as_uri())
            page.hover("main")
            for a in page.query_selector_all("main a.name, main abbr"):
                a.hover()
            flags = page.evaluate("Object.keys(window).filter(k => k.startsWith('__pwned'))")
            assert flags == [], (path, flags)
        # a search for the hostile word shows it as text
        page.goto((site / "search.html").as_uri() + "?q=Mallory")
        page.wait_for_selector("#results .result")
        assert page.evaluate("Object.keys(window).filter(k => k.startsWith('__pwned'))") == []
    finally:
        page.close()
