"""The sample edition's reading room: the apparatus of a printed edition, from its sources."""

from __future__ import annotations

import re
import sqlite3
import tomllib

from ..conftest import SAMPLE
from .conftest import broken_links


def page(site, path):
    return (site / path).read_text(encoding="utf-8")


def test_every_page_has_lang_and_title_and_no_broken_link(sample_site):
    site, result, _ = sample_site
    assert result.pages > 150
    for f in site.rglob("*.html"):
        html = f.read_text(encoding="utf-8")
        assert re.search(r'<html lang="[a-z]{2}', html), f
        assert re.search(r"<title>[^<]+</title>", html), f
    assert broken_links(site) == []


def test_home_has_title_editors_counts_and_entry_points(sample_site):
    site, _, path = sample_site
    meta = tomllib.loads((SAMPLE / "epistola.toml").read_text())["edition"]
    html = page(site, "index.html")
    assert f"<h1>{meta['title']}</h1>" in html
    assert ", ".join(meta["editors"]) in html
    n = sqlite3.connect(path).execute("SELECT COUNT(*) FROM letters").fetchone()[0]
    assert f"<strong>{n}</strong> писем" in html
    for href in ("years/1931.html", "persons/index.html", "glossary.html", "search.html",
                 "photographs.html", "front/preface.html"):  # fmt: skip
        assert f'href="{href}"' in html


def test_uncertain_and_old_style_dates_look_as_the_editors_give_them(sample_site):
    site, _, _ = sample_site
    html = page(site, "letters/L1933-08-27.html")  # date conjectured in the TEI (cert/evidence)
    assert '<dd class="date uncertain">27 авг. 1933?' in html
    html = page(site, "letters/L1931-09-18-22.html")  # notBefore/notAfter
    assert "[18 сент. 1931 – 22 сент. 1931]" in html and 'class="date uncertain"' in html
    html = page(site, "letters/L1932-09-08.html")  # Old Style in the source: both calendars
    assert "26 авг. 1932 / 8 сент. 1932" in html
    year = page(site, "years/1933.html")
    assert (
        '<td class="date uncertain"><a href="../letters/L1933-08-27.html">27 авг. 1933?</a>' in year
    )


def test_abbreviations_link_to_the_glossary_which_lists_their_letters(sample_site):
    site, _, path = sample_site
    html = page(site, "letters/L1931-08-16.html")
    assert re.search(
        r'<a class="term" href="\.\./glossary\.html#gl-glavzerno"><abbr class="abbr" title="[^"]+">ГлавЗерно</abbr></a>',
        html,
    )
    con = sqlite3.connect(path)
    using = {
        r[0]
        for r in con.execute("SELECT letter_id FROM letter_terms WHERE entry_id = 'gl-glavzerno'")
    }
    glossary = page(site, "glossary.html")
    entry = glossary.split('id="gl-glavzerno"', 1)[1].split("</dd>", 1)[0]
    assert sorted(re.findall(r'href="letters/([^"]+)\.html"', entry)) == sorted(using)


def test_parallel_original_and_translation(sample_site):
    site, _, _ = sample_site
    html = page(site, "letters/L1931-08-16.html")
    assert '<div class="versions parallel">' in html
    assert '<section class="text version-original" lang="ru">' in html
    assert '<section class="text version-translation" lang="en">' in html
    assert 'src="../facsimiles/facs-1931-08-16.png"' in html


def test_year_page_has_introduction_and_letters_in_order(sample_site):
    site, _, path = sample_site
    html = page(site, "years/1932.html")
    body = (SAMPLE / "front" / "intro-1932.md").read_text().split("\n\n", 1)[1]
    intro = re.findall(r"[A-Za-zА-Яа-яё]{8,}", body)[0]
    assert '<section class="intro"' in html and intro in html
    con = sqlite3.connect(path)
    ids = [r[0] for r in con.execute("SELECT id FROM letters WHERE year = 1932 ORDER BY number")]
    shown = re.findall(r'<td class="num"><a href="\.\./letters/([^"]+)\.html">', html)
    assert shown == ids


def test_organisations_as_a_tree_with_dates(sample_site):
    site, _, _ = sample_site
    html = page(site, "orgs/index.html")
    tree = html.split('<section class="org-tree">', 1)[1]
    # the grain board sat under the land directorate, then under supply (org_relations)
    cs = tree.index("Центральный совет")
    bcs = tree.index("Бюро Центрального совета")
    assert cs < bcs
    assert "1929-10-01–1932-04-30" in tree and "1932-05-01–1934-07-14" in tree


def test_person_page_biography_photo_and_letters(sample_site):
    site, _, path = sample_site
    html = page(site, "persons/p-vetrov.html")
    assert 'src="../photographs/ph-vetrov-1931.png"' in html
    con = sqlite3.connect(path)
    n = con.execute(
        "SELECT COUNT(DISTINCT letter_id) FROM letter_agents WHERE entry_id = 'p-vetrov' AND action = 'sent'"
    ).fetchone()[0]
    assert f"Письма от ({n})" in html
    assert '<figure class="timeline">' in html


def test_correspondence_links_are_derived_when_the_sources_give_none(sample_site):
    site, _, _ = sample_site
    html = page(site, "letters/L1931-08-16.html")
    # Vetrov -> Lazutin; the next letter between the two of them is Lazutin's of 19 August
    assert '<a href="../letters/L1931-08-19.html" rel="next-corresp">' in html


def test_places_with_coordinates(sample_site):
    site, _, path = sample_site
    con = sqlite3.connect(path)
    rows = con.execute("SELECT id, lat, lon FROM places WHERE lat IS NOT NULL").fetchall()
    assert rows
    index = page(site, "places/index.html")
    for pid, lat, lon in rows:
        entry = index.split(f'id="e-{pid}"', 1)[1].split("</dt>", 1)[0]
        assert f"{lat:.4f}, {lon:.4f}" in entry
        assert f"{lat:.5f}, {lon:.5f}" in page(site, f"places/{pid}.html")
