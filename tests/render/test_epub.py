"""The book as an EPUB 3 (issue 13 §2): valid for epubcheck, the same content as the PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from epistola.cli import app
from epistola.render.i18n import catalogue

from ..conftest import SAMPLE

XHTML = "{http://www.w3.org/1999/xhtml}"
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"


def epubcheck(path: Path) -> subprocess.CompletedProcess:
    """Debian's epubcheck is a jar (/usr/bin/epubcheck); run it with java, binfmt or not."""
    found = shutil.which("epubcheck")
    if not found or not shutil.which("java"):
        if os.environ.get("CI") == "true":
            pytest.fail("epubcheck and java are installed by scripts/setup.sh")
        pytest.skip("epubcheck not installed")
    return subprocess.run(
        ["java", "-jar", os.path.realpath(found), str(path)], capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def sample_epub(sample_edition, output_dir):
    out = output_dir / "sample-book.epub"
    r = CliRunner().invoke(
        app, ["book", str(sample_edition[0]), "--format", "epub", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    return out


def _documents(epub: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(epub) as z:
        return {
            n.removeprefix("EPUB/"): etree.fromstring(z.read(n))
            for n in z.namelist()
            if n.endswith(".xhtml")
        }


def test_epubcheck_finds_the_sample_epub_valid(sample_epub):
    r = epubcheck(sample_epub)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 fatals / 0 errors / 0 warnings" in r.stdout, r.stdout


def test_container_layout(sample_epub):
    with zipfile.ZipFile(sample_epub) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
        opf = etree.fromstring(z.read("EPUB/package.opf"))
    ns = {"o": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    uid = opf.get("unique-identifier")
    assert opf.xpath(f"//dc:identifier[@id='{uid}']/text()", namespaces=ns)[0].startswith("urn:")
    modified = opf.xpath("//o:meta[@property='dcterms:modified']/text()", namespaces=ns)
    assert len(modified) == 1 and modified[0].endswith("Z")
    assert opf.xpath("//o:item[@properties='nav']", namespaces=ns)


def test_footnotes_are_the_notes_of_the_tei(sample_epub):
    """Every editorial note of a letter (counted in the TEI sources) is one EPUB footnote,
    with a noteref pointing at it."""
    expected = 0
    for f in (SAMPLE / "letters").rglob("*.xml"):
        root = etree.parse(str(f)).getroot()
        for text in root.findall("{*}text"):
            expected += len(text.findall(".//{*}note"))
    docs = _documents(sample_epub)
    asides = [a for d in docs.values() for a in d.iter(f"{XHTML}aside")]
    refs = [a for d in docs.values() for a in d.iter(f"{XHTML}a") if a.get(OPS_TYPE) == "noteref"]
    assert expected > 0 and len(asides) == expected == len(refs)
    assert all(a.get(OPS_TYPE) == "footnote" for a in asides)
    ids = {a.get("id") for a in asides}
    assert {r.get("href").lstrip("#") for r in refs} == ids


def test_index_links_reach_the_letters(sample_epub):
    docs = _documents(sample_epub)
    hrefs = [a.get("href") for a in docs["names.xhtml"].iter(f"{XHTML}a")]
    assert len(hrefs) > 50
    for href in hrefs:
        file, anchor = href.split("#")
        target = docs[file].xpath(f"//*[@id='{anchor}']")
        assert target and target[0].tag == f"{XHTML}article", href
        # the letter's header carries the number the index gives as 1931/4
    text = " ".join(docs["names.xhtml"].itertext())
    assert "Баженов, Тимофей Андреевич" in text


def test_every_letter_and_chapter_is_in_the_epub(sample_epub, sample_edition):
    from epistola import open_edition

    docs = _documents(sample_epub)
    articles = {a.get("id") for d in docs.values() for a in d.iter(f"{XHTML}article")}
    with open_edition(sample_edition[0]) as ed:
        n = ed.counts()["letters"]
        front = [f["title"] for f in ed.front() if f["kind"] in ("preface", "essay")]
    assert len(articles) == n
    nav = " ".join(docs["nav.xhtml"].itertext())
    ru = catalogue("ru")  # the EPUB speaks the interface's language, like the PDF
    for title in [*front, "1931", "1932", "1933", ru["Index of names"], ru["Photographs"]]:
        assert title in nav
    for english in ("Contents", "Index of names", "Photographs", "Organisations"):
        assert english not in nav
    heads = [
        " ".join(h.itertext())
        for d in docs.values()
        for h in d.iter(f"{XHTML}h3")
        if h.get("class") == "letter"
    ]
    assert len(heads) == n
    assert all(f" {ru['to']} " in h and " to " not in h for h in heads), heads[:3]
    assert len(list(docs["photographs.xhtml"].iter(f"{XHTML}img"))) >= 1


def test_epubcheck_finds_a_schnitzler_slice_valid(tmp_path):
    """Schnitzler's letters (German, other markup, no translations) as an EPUB: 40 letters."""
    from epistola import ingest, open_edition
    from epistola.render.epub import write_epub

    from ..conftest import SCHNITZLER, need

    corpus = need(SCHNITZLER).resolve()
    (tmp_path / "corpus" / "editions").mkdir(parents=True)
    for f in sorted((corpus / "editions").glob("L*.xml"))[:40]:
        (tmp_path / "corpus" / "editions" / f.name).symlink_to(f)
    (tmp_path / "corpus" / "indices").symlink_to(corpus / "indices")
    ingest([tmp_path / "corpus"], tmp_path / "slice.sqlite")
    with open_edition(tmp_path / "slice.sqlite") as ed:
        epub = write_epub(ed, tmp_path / "slice.epub")
    r = epubcheck(epub)
    assert r.returncode == 0 and "0 errors / 0 warnings" in r.stdout, r.stdout
    docs = _documents(epub)
    assert sum(len(list(d.iter(f"{XHTML}article"))) for d in docs.values()) == 40
