"""The printed book of the sample edition: letters numbered by year, footnotes, indexes."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from epistola import open_edition
from epistola.render.book import write_book
from epistola.render.i18n import catalogue


@pytest.fixture(scope="module")
def book_pdf(sample_edition, output_dir):
    pdf = output_dir / "sample-book.pdf"
    with open_edition(sample_edition[0]) as ed:
        write_book(ed, pdf)
    return pdf


@pytest.fixture(scope="module")
def book_text(book_pdf, output_dir):
    pdf = book_pdf
    assert shutil.which("pdftotext"), "poppler-utils is installed by scripts/setup.sh"
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    # pages for people to look at: title, contents, a letter page with footnotes, the index
    (output_dir / "book").mkdir(exist_ok=True)
    for page in (1, 2, 9, len(pages) - 4):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page), str(pdf)]
            + [str(output_dir / "book" / "sample-page")],
            check=True,
        )
    return pages


def test_book_has_every_letter_numbered_by_year(book_text):
    text = "\n".join(book_text)
    assert len(book_text) > 40
    # 15 letters in 1931, 17 in 1932, 14 in 1933: the last number of each year appears
    for n in (15, 17, 14):
        assert f"№ {n} ·" in text
    assert "№ 18 ·" not in text
    # the book speaks the edition's first language (Russian), like the reading room
    assert "Указатель имён" in text and "Сокращения и аббревиатуры" in text
    assert "Index of names" not in text


def test_book_notes_are_footnotes_on_the_letter_page(book_text):
    # the first note of letter 1931/1 explains the acronym МТБ; it stands on the same page
    page = next(p for p in book_text if "№ 1 ·" in p and "Лазутин" in p)
    assert "1. МТБ: the machine-tractor bases" in " ".join(page.split())


def test_name_index_lists_letters_by_year_and_number(book_text, sample_edition):
    # independently: the letters whose TEI (correspDesc or text) points at p-bazhenov
    from lxml import etree

    from ..conftest import SAMPLE

    ids = set()
    for f in (SAMPLE / "letters").rglob("*.xml"):
        root = etree.parse(str(f)).getroot()
        header_and_text = root.findall(".//{*}correspDesc") + root.findall("{*}text")
        if any(
            "#p-bazhenov" in (el.get("ref") or "").split()
            for part in header_and_text
            for el in part.iter()
        ):
            ids.add(root.get("{http://www.w3.org/XML/1998/namespace}id"))
    with open_edition(sample_edition[0]) as ed:
        labels = sorted(
            (r["year"], r["number_in_year"]) for r in ed.letter_records() if r["id"] in ids
        )
    expected = ", ".join(f"{y}/{n}" for y, n in labels)
    index = " ".join(" ".join(book_text).split()).replace("‐ ", "")
    p = re.escape(catalogue("ru")["p."])  # "с.": the book speaks the edition's language
    index = re.sub(r" \(" + p + r"\s?\d+\)", "", index)  # each reference gives its page
    entry = index[index.index("Баженов, Тимофей Андреевич") :]
    assert entry.split(" Ветров,")[0].endswith(expected)


def _chapter_titles(ed) -> list[str]:
    front = [f["title"] for f in ed.front() if f["kind"] in ("preface", "essay")]
    years = sorted({str(r["year"]) for r in ed.letter_records() if r["year"]})
    ru = catalogue("ru")  # the sample's book speaks its first language
    return [*front, *years, *(ru[k] for k in ("Contents", "Index of names", "Organisations"))]


def test_no_heading_repeats(book_text, sample_edition):
    """Issue 13: preface and essay pages printed their title twice (the Markdown's own first
    heading, and the running head on the chapter's first page)."""
    with open_edition(sample_edition[0]) as ed:
        titles = _chapter_titles(ed)
        bodies = {f["title"]: f["body"] for f in ed.front()}
    assert bodies["Preface"].lstrip().startswith("# Preface")  # the source repeats it
    seen_on = {t: [] for t in titles}
    for i, page in enumerate(book_text):
        lines = [" ".join(x.split()) for x in page.splitlines() if x.strip()]
        for t in titles:
            n = lines.count(t)
            assert n <= 1, f"{t!r} printed {n} times on page {i + 1}"
            if n:
                seen_on[t].append(i)
    # each chapter title is printed: as its heading, then as the running head of later pages
    assert all(seen_on[t] for t in titles), seen_on


def test_no_heading_repeats_in_the_book_html(sample_edition):
    from lxml import html

    from epistola.render.book import book_html

    with open_edition(sample_edition[0]) as ed:
        doc = html.fromstring(book_html(ed))
    for section in doc.iter("section", "nav"):
        heads = [" ".join(h.text_content().split()) for h in section.iter("h1", "h2", "h3")]
        assert len(heads) == len(set(heads)), heads


def test_project_template_overrides_reach_the_book(sample_edition, tmp_path):
    from importlib import resources

    from epistola.render.book import book_html

    package = resources.files("epistola.render").joinpath("templates/book/book.html")
    own = (tmp_path / "templates" / "book").mkdir(parents=True) or tmp_path / "templates/book"
    (own / "book.html").write_text(
        package.read_text(encoding="utf-8").replace(
            '<section class="title-page">', '<section class="title-page"><p>OWN-TITLE-PAGE</p>'
        ),
        encoding="utf-8",
    )
    with open_edition(sample_edition[0]) as ed:
        assert "OWN-TITLE-PAGE" not in book_html(ed)
        assert "OWN-TITLE-PAGE" in book_html(ed, project_root=tmp_path)


def test_index_page_references_reach_the_letters(book_text):
    """Every "1931/4 (с. 12)" of the name index and the organisations: page 12 shows No. 4."""
    start = next(i for i, p in enumerate(book_text) if "Указатель имён" in p and "Баженов" in p)
    back = " ".join(" ".join(book_text[start:]).split()).replace("‐ ", "")
    p = re.escape(catalogue("ru")["p."])  # "с.": the book speaks the edition's language
    found = re.findall(r"(\d{4})/(\d+) \(" + p + r"\s?(\d+)\)", back)
    assert len(found) > 100
    for year, number, page in set(found):
        shown = " ".join(book_text[int(page) - 1].split())
        assert f"№ {number} ·" in shown, (year, number, page)


def test_outline_has_chapters_and_every_letter(book_pdf, sample_edition):
    from pypdf import PdfReader

    reader = PdfReader(book_pdf)
    top, letters = [], []
    for item in reader.outline:
        if isinstance(item, list):
            letters.extend(x for x in item if not isinstance(x, list))
        else:
            top.append(item.title)
    with open_edition(sample_edition[0]) as ed:
        titles = _chapter_titles(ed)
        n = ed.counts()["letters"]
    assert set(titles) <= set(top), top
    assert len(letters) == n
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # a tagged PDF (PDF/UA-1)
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_footnotes_are_the_notes_of_the_tei(book_text, sample_edition):
    from lxml import etree, html

    from epistola.render.book import book_html

    from ..conftest import SAMPLE

    expected = sum(
        len(text.findall(".//{*}note"))
        for f in (SAMPLE / "letters").rglob("*.xml")
        for text in etree.parse(str(f)).getroot().findall("{*}text")
    )
    with open_edition(sample_edition[0]) as ed:
        doc = html.fromstring(book_html(ed))
    assert len(doc.find_class("fn")) == expected > 0
    # the footnote counter runs through the book: its last mark is the note count
    lines = [x.strip() for p in book_text for x in p.splitlines()]
    assert any(x.startswith(f"{expected}. ") for x in lines)
    assert not any(x.startswith(f"{expected + 1}. ") for x in lines)


def test_fonts_are_embedded(book_pdf):
    out = subprocess.run(["pdffonts", str(book_pdf)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows and all(r.split()[-5] == "yes" for r in rows), out.stdout


def test_the_project_chooses_what_is_printed(sample_edition):
    """original / translation / both, and for both: parallel columns or facing pages."""
    from lxml import html

    from epistola.errors import ConfigError
    from epistola.render.book import book_html

    with open_edition(sample_edition[0]) as ed:
        translated = sum(
            1 for x in ed.letters() if any(v.type == "translation" for v in x.versions)
        )

        def doc(**kw):
            return html.fromstring(book_html(ed, **kw))

        both = doc(text="both", layout="sequence")
        assert len(both.xpath("//article//div[@class='translation']")) == translated > 0
        assert not doc(text="original").xpath("//article//*[@class='translation']")
        only = doc(text="translation")
        assert len(only.xpath("//article//div[@class='translation']")) == translated
        # a letter with no translation keeps its original: no letter is printed empty
        assert all(a.xpath(".//div[@lang]") for a in only.iter("article"))
        parallel = doc(text="both", layout="parallel")
        assert len(parallel.xpath("//table[contains(@class, 'parallel')]")) == translated
        facing = doc(text="both", layout="facing")
        assert len(facing.xpath("//div[contains(@class, 'facing')]")) == translated
        with pytest.raises(ConfigError):
            book_html(ed, text="nope")


def test_contents_page_numbers_reach_the_chapters(book_text, sample_edition):
    """The book is laid out year by year (render_book(chunked=True)) and the contents are
    told the page numbers: each one is the page that opens with that chapter's heading."""
    with open_edition(sample_edition[0]) as ed:
        years = sorted({str(r["year"]) for r in ed.letter_records() if r["year"]})
    toc = " ".join(book_text[1].split())
    found = dict(re.findall(r"(\d{4}) \.+ ?(\d+)", toc))
    assert sorted(found) == years
    numbers = [int(found[y]) for y in years]
    assert numbers == sorted(numbers) and numbers[0] > 2
    for year, page in found.items():
        assert book_text[int(page) - 1].split()[0] == year, (year, page)
        # the page before ends the previous chapter: the year's heading is on no earlier page
        assert not book_text[int(page) - 2].split()[0] == year
    # the page numbers printed at the foot run on across the years' separate layouts
    for i, page in enumerate(book_text[2:-1], start=3):
        assert page.split()[-1] == str(i), i


@pytest.fixture(scope="module")
def untagged_pdf(tmp_path_factory):
    """A PDF that is not tagged: both checks below must find it wanting."""
    from weasyprint import HTML

    pdf = tmp_path_factory.mktemp("untagged") / "untagged.pdf"
    HTML(string="<html><h3>Heading</h3><img src='data:image/png;base64,"
         "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='>"
         "</html>").write_pdf(pdf)  # fmt: skip
    return pdf


def test_pdf_structure_meets_the_checkable_part_of_pdf_ua(book_pdf, untagged_pdf, sample_edition):
    """Our own structure check (tests/render/pdf_structure.py; not a full PDF/UA validator)."""
    import tomllib

    from ..conftest import SAMPLE
    from .pdf_structure import problems, structure

    assert problems(book_pdf) == []
    s = structure(book_pdf)
    assert s["lang"] == "ru"  # the book's own words are the interface's (Russian)
    with open_edition(sample_edition[0]) as ed:
        letters = ed.counts()["letters"]
        assert s["title"] == ed.meta.title
    assert s["kinds"]["/H3"] >= letters  # one heading per letter
    # each photograph a figure, described by its caption from the project's epistola.toml
    photos = tomllib.loads((SAMPLE / "epistola.toml").read_text(encoding="utf-8"))["photographs"]
    captions = [p["caption"] for p in photos]
    assert sorted(s["figure_alts"]) == sorted(captions) and captions
    found = problems(untagged_pdf)
    assert any("not tagged" in p for p in found) and any("/Lang" in p for p in found)


def test_pdfua_checker_finds_nothing(book_pdf, untagged_pdf):
    """pdfua (PyPI) checks 16 of PDF/UA-1's 106 machine-checkable rules; no full validator
    (veraPDF) is packaged for PyPI or Debian. It must pass the book and fail an untagged file."""
    from pdfua import validate

    report = validate(str(book_pdf))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    ran = [o.rule_id for o in report.outcomes if not o.skipped]
    assert len(ran) >= 10, [(o.rule_id, o.skipped_reason) for o in report.skipped]
    bad = validate(str(untagged_pdf))
    assert {"UA-01-005", "UA-01-002"} <= {f.rule_id for f in bad.findings}
