"""The worked example authored without TEI (examples/authored-edition) and ``epistola new``:
built for real, expected values read from the source files themselves (YAML, CSV, XLSX and
the Word document's XML), not from the code under test."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from lxml import etree
from starlette.testclient import TestClient
from typer.testing import CliRunner

from epistola import ingest, load_project, open_edition
from epistola.cli import app
from epistola.model.text import iter_nodes, plain_text
from epistola.web import create_app

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "authored-edition"
LETTERS = EXAMPLE / "letters"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.load(text.split("---")[1], Loader=yaml.BaseLoader)


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    target = tmp_path_factory.mktemp("authored") / "edition.sqlite"
    result = ingest(load_project(EXAMPLE), target)
    ed = open_edition(target)
    yield ed, result
    ed.close()


def test_builds_without_errors_and_every_letter_is_there(edition):
    ed, result = edition
    problems = [d for d in result.diagnostics if d.severity != "info"]
    assert problems == []
    ids = {front_matter(p)["id"] for p in LETTERS.glob("*.md") if p.name.count(".") == 1}
    with open(LETTERS / "catalogue.csv", encoding="utf-8") as fh:
        ids |= {row["id"] for row in csv.DictReader(fh)}
    ws = openpyxl.load_workbook(LETTERS / "catalogue-1906.xlsx").active
    ids |= {r[0] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert {x.id for x in ed.letters()} == ids


def test_markdown_letter_metadata_text_notes_and_translation(edition):
    ed, _ = edition
    src = LETTERS / "1905-03-01-orlov-kern.md"
    fm = front_matter(src)
    letter = ed.letter(fm["id"])
    # Old Style: the date as written is kept, the Gregorian date (+13 days in 1905) is used
    assert fm["calendar"] == "julian"
    assert letter.date.when_julian == fm["date"] == "1905-03-01"
    assert letter.date.when == "1905-03-14"
    assert [a.ref for a in letter.senders] == [fm["from"]]
    # given by id only, the parties are named from the register
    persons = yaml.load(
        (EXAMPLE / "registers" / "persons.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader
    )["persons"]
    name = {p["id"]: p["name"] for p in persons}
    record = next(r for r in ed.letter_records() if r["id"] == fm["id"])
    assert (record["sender"], record["addressee"]) == (name[fm["from"]], name[fm["to"]])
    assert [a.ref for a in letter.addressees] == [fm["to"]]
    assert letter.place_sent == fm["place_from"] and letter.shelfmark == fm["shelfmark"]
    assert letter.physical == fm["description"] and letter.languages == [fm["language"]]
    types = [v.type for v in letter.versions]
    assert types == ["original", "translation", "summary"]
    body = src.read_text(encoding="utf-8").split("---", 2)[2]
    footnote = next(x for x in body.splitlines() if x.startswith("[^1]:"))[6:]
    assert [n.text for n in letter.notes] == [footnote]
    tei = letter.versions[0].tei
    assert "<del>вчера</del><add>сегодня</add>" in tei and '<pb n="2"/>' in tei
    assert "<opener>" in tei and "<closer>" in tei and "<postscript>" in tei
    refs = {(m.kind, m.ref) for m in letter.mentions}
    assert {
        ("place", "pl-station"),
        ("person", "p-kern"),
        ("person", "p-wild"),
        ("work", "w-instructions"),
        ("org", "o-cpo"),
    } <= refs
    abbrs = iter_nodes(letter.versions[0].blocks, "abbr")
    assert {a["gloss"] for a in abbrs} == {"gl-st", "gl-gfo"}
    sibling = (LETTERS / "1905-03-01-orlov-kern.en.md").read_text(encoding="utf-8").strip()
    assert letter.versions[1].lang == "en"
    assert ed.text(letter.id)  # the reading text is stored
    assert plain_text(letter.versions[1].blocks) == " ".join(sibling.split())


def test_uncertain_range_and_reply(edition):
    ed, _ = edition
    fm = front_matter(LETTERS / "1905-04-kern-orlov.md")
    letter = ed.letter(fm["id"])
    lo, hi = fm["date"].strip("[]").split("..")
    assert (letter.date.not_before, letter.date.not_after) == (lo, hi)
    assert letter.link("reply-to") == fm["reply_to"]
    first = ed.letter(fm["reply_to"])
    assert first.link("answered-by") == fm["id"]
    # the register's preferred name is shown; the name as the letter writes it is kept
    written, ref = fm["from"].rstrip("]").split(" [")
    persons = yaml.safe_load((EXAMPLE / "registers" / "persons.yaml").read_text(encoding="utf-8"))
    preferred = next(p["name"] for p in persons["persons"] if p["id"] == ref)
    assert (letter.senders[0].name, letter.senders[0].written) == (preferred, written)


def test_catalogue_rows_docx_txt_and_calendar_entry(edition):
    ed, _ = edition
    with open(LETTERS / "catalogue.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        letter = ed.letter(row["id"])
        assert letter.senders[0].ref == row["sender"]
        assert letter.shelfmark == (row["shelfmark"] or None)
        assert letter.kind == row["kind"]
        summary = [v for v in letter.versions if v.type == "summary"]
        assert plain_text(summary[0].blocks) == row["summary"]
        originals = [v for v in letter.versions if v.type == "original"]
        assert bool(originals) == bool(row["transcription"])  # no file: a calendar entry
    docx_row = next(r for r in rows if r["transcription"].endswith(".docx"))
    with zipfile.ZipFile(LETTERS / docx_row["transcription"]) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        notes = etree.fromstring(z.read("word/footnotes.xml"))
    letter = ed.letter(docx_row["id"])
    note = notes.find(f"{W}footnote[@{W}id='1']")
    assert [n.text for n in letter.notes] == ["".join(note.itertext()).strip()]
    italic = next(r for r in doc.iter(W + "r") if r.find(f"{W}rPr/{W}i") is not None)
    struck = next(r for r in doc.iter(W + "r") if r.find(f"{W}rPr/{W}strike") is not None)
    under = next(r for r in doc.iter(W + "r") if r.find(f"{W}rPr/{W}u") is not None)
    tei = letter.versions[0].tei
    assert f'<hi rend="italic">{"".join(italic.itertext())}</hi>' in tei
    assert f'<hi rend="strikethrough">{"".join(struck.itertext())}</hi>' in tei
    assert f'<hi rend="underline">{"".join(under.itertext())}</hi>' in tei
    txt_row = next(r for r in rows if r["transcription"].endswith(".txt"))
    lines = (LETTERS / txt_row["transcription"]).read_text(encoding="utf-8").split()
    assert plain_text(ed.letter(txt_row["id"]).versions[0].blocks).split() == lines
    calendar = next(r for r in rows if not r["transcription"])
    letter = ed.letter(calendar["id"])
    start, end = calendar["date"].split("/")
    assert (letter.date.from_, letter.date.to) == (start, end)


def test_xlsx_formula_is_text_and_dates_cells_read(edition):
    ed, _ = edition
    ws = openpyxl.load_workbook(LETTERS / "catalogue-1906.xlsx").active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    formula_row = next(r for r in rows if str(r[5]).startswith("="))
    letter = ed.letter(formula_row[0])
    assert plain_text(letter.versions[-1].blocks) == formula_row[5] == "=1+1"  # never computed to 2
    dated = next(r for r in rows if not isinstance(r[1], str))
    assert ed.letter(dated[0]).date.when == dated[1].date().isoformat()


def test_registers_from_yaml_and_csv(edition):
    ed, _ = edition
    persons = yaml.load(
        (EXAMPLE / "registers" / "persons.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader
    )["persons"]
    for src in persons:
        p = ed.entry(src["id"])
        assert p.name == src["name"]
        assert p.birth == src.get("birth") and p.death == src.get("death")
        offices = [(o.label, o.org, o.from_, o.to) for o in p.occupations]
        assert offices == [
            (o["label"], o["org"], o.get("from"), o.get("to")) for o in src.get("offices", [])
        ]
    assert ed.entry("p-orlov").idnos == {"wikidata": "Q0000001"}
    with open(EXAMPLE / "registers" / "places.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pl = ed.entry(row["id"])
            assert (pl.lat, pl.lon) == (float(row["lat"]), float(row["lon"]))
            assert pl.part_of == (row["part_of"] or None)
            assert any(n.text == row["name:ru"] and n.lang == "ru" for n in pl.names)
    orgs = yaml.load(
        (EXAMPLE / "registers" / "organisations.yaml").read_text(encoding="utf-8"),
        Loader=yaml.BaseLoader,
    )
    station = next(o for o in orgs["organisations"] if o["id"] == "o-station")
    got = [(r.parent, r.from_, r.to) for r in ed.entry("o-station").parents]
    assert sorted(got, key=str) == sorted(
        [(r["org"], r.get("from"), r.get("to")) for r in station["part_of"]], key=str
    )
    gl = ed.entry("gl-st")
    assert gl.expansions == {"ru": "станция", "en": "station"}


def test_new_project_builds_and_serves(tmp_path):
    runner = CliRunner()
    proj = tmp_path / "proj"
    r = runner.invoke(app, ["new", str(proj), "--title", "Письма", "--language", "ru"])
    assert r.exit_code == 0, r.output
    for rel in ("epistola.toml", "letters", "registers", "front/preface.md"):
        assert (proj / rel).exists()
    suffixes = {p.suffix for p in (proj / "letters").rglob("*") if p.is_file()}
    assert suffixes == {".md", ".csv", ".docx", ".txt", ".xlsx", ".xml"}
    r = runner.invoke(app, ["build", str(proj)])
    assert r.exit_code == 0, r.output
    edition_file = proj / "_build" / "edition.sqlite"
    ed = open_edition(edition_file)
    try:
        letters = {x.id: x for x in ed.letters()}
        assert ed.meta.title == "Письма"
    finally:
        ed.close()
    assert set(letters) == {f"l-1900-00{i}" for i in range(1, 6)}
    # the book in both forms, side by side
    assert (proj / "_build" / "book.pdf").stat().st_size > 0
    with zipfile.ZipFile(proj / "_build" / "book.epub") as z:
        assert z.read("mimetype") == b"application/epub+zip"
    site = proj / "_build" / "site"
    for lid in letters:
        assert (site / "letters" / f"{lid}.html").exists()
    with zipfile.ZipFile(proj / "letters" / "transcriptions" / "anna-petr.docx") as z:
        footnote = "".join(etree.fromstring(z.read("word/footnotes.xml")).itertext())
    page = (site / "letters" / "l-1900-002.html").read_text(encoding="utf-8")
    assert "rend-italic" in page and footnote in page  # Word italics and footnote on the site
    with TestClient(create_app(str(edition_file))) as c:
        page = c.get("/letters/l-1900-001.html")
        assert page.status_code == 200 and "Москвы" in page.text
    again = runner.invoke(app, ["new", str(proj)])
    assert again.exit_code == 2 and "not an empty folder" in again.output


def test_zip_bomb_and_corrupt_office_files_are_refused(tmp_path):
    from epistola.read import read_file

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<a>" + b" " * 50_000_000 + b"</a>")
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "bomb.docx").write_bytes(bomb.getvalue())
    (tmp_path / "t" / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "cat.csv").write_text(
        "id,date,from,to,transcription\n"
        "a,1900-01-01,p-a,p-b,t/bomb.docx\n"
        "b,1900-01-02,p-a,p-b,t/broken.docx\n",
        encoding="utf-8",
    )
    (tmp_path / "cal.xlsx").write_bytes(bomb.getvalue())
    doc = read_file(str(tmp_path / "cat.csv"))
    assert [x.id for x in doc.letters] == ["a", "b"]  # kept, as calendar entries
    codes = [(d.code, Path(d.path).name) for d in doc.diagnostics]
    assert ("bad-docx", "bomb.docx") in codes and ("bad-docx", "broken.docx") in codes
    bomb_msg = next(d.message for d in doc.diagnostics if d.path.endswith("bomb.docx"))
    assert "zip bomb" in bomb_msg
    doc = read_file(str(tmp_path / "cal.xlsx"))
    assert doc.letters == [] and [d.code for d in doc.diagnostics] == ["bad-table"]


def test_every_field_is_documented():
    from epistola.read.authoring import LETTER_FIELDS
    from epistola.read.catalogue import ALIASES, FILE_COLUMNS
    from epistola.read.registers_tabular import FIELDS, KINDS

    doc = (Path(__file__).resolve().parents[1] / "docs" / "authoring.md").read_text("utf-8")
    fields = {*LETTER_FIELDS, *ALIASES, *FILE_COLUMNS, *KINDS} | {
        f for kind in FIELDS.values() for f in kind
    }
    missing = sorted(f for f in fields if f"`{f}`" not in doc)
    assert missing == []
