"""The reading room of the full Schnitzler corpus: complete, no broken link, values from the TEI."""

from __future__ import annotations

import json
import re

import pytest
from lxml import etree

from ..conftest import SCHNITZLER
from .conftest import broken_links

pytestmark = pytest.mark.corpora
TEI = {"t": "http://www.tei-c.org/ns/1.0"}


def tei(letter_id: str):
    return etree.parse(str(SCHNITZLER / "editions" / f"{letter_id}.xml"))


def test_every_letter_and_register_entry_has_its_page(schnitzler_site):
    site, result, _ = schnitzler_site
    letters = sorted(p.stem for p in (SCHNITZLER / "editions").glob("L*.xml"))
    assert len(letters) == 4420
    for lid in letters:
        for suffix in ("html", "json", "xml"):
            assert (site / "letters" / f"{lid}.{suffix}").is_file(), lid
    persons = etree.parse(str(SCHNITZLER / "indices" / "listperson.xml"))
    ids = persons.xpath("//t:person/@xml:id", namespaces=TEI)
    assert len(ids) > 1900
    missing = [i for i in ids if not (site / "persons" / f"{i}.html").is_file()]
    assert missing == []
    assert result.written == result.pages
    for page in ("index.html", "years.html", "search.html", "persons/index.html",
                 "places/index.html", "orgs/index.html", "works/index.html", "search/meta.js"):  # fmt: skip
        assert (site / page).is_file(), page


def test_no_broken_internal_link_in_the_whole_site(schnitzler_site):
    site, _, _ = schnitzler_site
    broken = broken_links(site)
    assert broken == [], f"{len(broken)} broken links, e.g. {broken[:10]}"


def test_letter_page_shows_what_the_tei_says(schnitzler_site):
    site, _, _ = schnitzler_site
    doc = tei("L00001")
    html = (site / "letters" / "L00001.html").read_text()
    sent = doc.xpath("//t:correspAction[@type='sent']", namespaces=TEI)[0]
    sender_ref = sent.xpath("t:persName/@ref", namespaces=TEI)[0].lstrip("#")
    when = sent.xpath("t:date/@when", namespaces=TEI)[0]
    assert when == "1889-08-02"
    assert '<html lang="de' in html
    assert "2. Aug. 1889" in html  # German dates in the German interface
    assert f'href="../persons/{sender_ref}.html"' in html
    n_notes = len(doc.xpath("//t:body//t:note", namespaces=TEI))
    for n in range(1, n_notes + 1):
        assert f'id="n{n}"' in html and f'href="#n{n}"' in html and f'href="#nref{n}"' in html
    nxt = doc.xpath(
        "//t:ref[@type='withinCorrespondence'][@subtype='next_letter']/@target", namespaces=TEI
    )[0]
    assert f'<a href="../letters/{nxt}.html" rel="next-corresp">' in html
    assert 'href="L00001.xml"' in html and 'href="L00001.json"' in html


def test_letter_data_at_the_same_address(schnitzler_site):
    site, _, _ = schnitzler_site
    data = json.loads((site / "letters" / "L00001.json").read_text())
    assert data["id"] == "L00001"
    assert data["date_display"] == "2 Aug. 1889"
    assert {"type": "next-corresp", "target": "L00020"} in data["links"]
    # the TEI is the editors' own file
    assert (site / "letters" / "L00001.xml").read_bytes() == (
        SCHNITZLER / "editions" / "L00001.xml"
    ).read_bytes()


def test_person_page_lists_the_letters_from_to_and_mentioning(schnitzler_site, schnitzler_tei):
    site, _, _ = schnitzler_site
    # Fedor Mamroth wrote L00001; every letter whose sent action names him must be on his page
    sent_by = [lid for lid, d in schnitzler_tei.items() if "pmb4986" in d["sent_persnames"]]
    assert "L00001" in sent_by
    html = (site / "persons" / "pmb4986.html").read_text()
    assert f"Briefe von ({len(sent_by)})" in html
    for lid in sent_by:
        assert f'href="../letters/{lid}.html"' in html


def test_name_index_gives_letter_numbers_by_year(schnitzler_site):
    site, _, _ = schnitzler_site
    page = site / "persons" / "index-m.html"
    html = page.read_text()
    entry = html.split('id="e-pmb4986"', 1)[1].split("</dd>", 1)[0]
    assert "Mamroth" in entry
    y1889 = entry.split('<span class="year">1889:</span>', 1)[1].split('<span class="year">', 1)[0]
    assert '<a href="../letters/L00001.html">5</a>' in y1889


def test_year_page_and_month_strip(schnitzler_site):
    site, _, path = schnitzler_site
    import sqlite3

    con = sqlite3.connect(path)
    months = dict(con.execute(
        "SELECT CAST(substr(earliest, 6, 2) AS INTEGER), COUNT(*) FROM letters "
        "WHERE year = 1889 GROUP BY 1"
    ).fetchall())  # fmt: skip
    html = (site / "years" / "1889.html").read_text()
    for m in range(1, 13):
        if m in months:
            assert f'href="#m{m:02d}"' in html and f'id="m{m:02d}"' in html
        else:
            assert f'href="#m{m:02d}"' not in html
    assert html.count('<td class="num">') == sum(months.values())


def test_empty_refs_to_other_letters_become_links_labelled_as_letters_are_cited(schnitzler_site):
    # The edition writes cross-references as empty <ref type="schnitzler-briefe" target="L…"/>
    # and generates their text itself: on our pages they must not be holes like "()".
    site, _, _ = schnitzler_site
    checked = 0
    for f in sorted((SCHNITZLER / "editions").glob("L000*.xml")):
        refs = etree.parse(str(f)).xpath(
            "//t:text//t:ref[@type='schnitzler-briefe'][not(node())]/@target", namespaces=TEI
        )
        targets = {t for t in refs if (SCHNITZLER / "editions" / f"{t}.xml").is_file()}
        html = (site / "letters" / f"{f.stem}.html").read_text() if targets else ""
        for t in targets:
            when = tei(t).xpath("//t:correspAction[@type='sent']/t:date/@when", namespaces=TEI)
            link = re.search(
                rf'<a class="ref[^"]*" href="\.\./letters/{t}\.html" title="[^"]+">([^<]+)</a>',
                html,
            )
            assert link, (f.stem, t)
            if when:  # labelled as the letter is cited: its year and number in the year
                assert link.group(1).startswith(when[0][:4]), (f.stem, t, link.group(1))
            checked += 1
    assert checked >= 3
