"""The printed book of the sample edition: letters numbered by year, footnotes, indexes."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from epistola import open_edition
from epistola.render.book import write_book


@pytest.fixture(scope="module")
def book_text(sample_edition, output_dir):
    pdf = output_dir / "sample-book.pdf"
    with open_edition(sample_edition[0]) as ed:
        write_book(ed, pdf)
    assert shutil.which("pdftotext"), "poppler-utils is installed by scripts/setup.sh"
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "60",
            "-png",
            "-f",
            "11",
            "-l",
            "11",
            str(pdf),
            str(output_dir / "sample-book-page"),
        ],
        check=True,
    )
    return pages


def test_book_has_every_letter_numbered_by_year(book_text):
    text = "\n".join(book_text)
    assert len(book_text) > 40
    # 15 letters in 1931, 17 in 1932, 14 in 1933: the last number of each year appears
    for n in (15, 17, 14):
        assert f"No. {n} ·" in text
    assert "No. 18 ·" not in text
    assert "Index of names" in text and "Abbreviations and acronyms" in text


def test_book_notes_are_footnotes_on_the_letter_page(book_text):
    # the first note of letter 1931/1 explains the acronym МТБ; it stands on the same page
    page = next(p for p in book_text if "No. 1 ·" in p and "Лазутин" in p)
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
    entry = index[index.index("Баженов, Тимофей Андреевич") :]
    assert entry.split(" Ветров,")[0].endswith(expected)
