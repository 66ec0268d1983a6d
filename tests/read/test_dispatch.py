"""Readers are chosen by file suffix: XML readers get a parsed root, byte readers the raw file."""

from __future__ import annotations

import shutil

import pytest
from lxml import etree

from epistola import ingest, open_edition
from epistola.model import Letter
from epistola.plugins import READERS
from epistola.read import ReadState, SourceDocument, discover, read_file, reader

from ..conftest import FIXTURES

BROKEN = FIXTURES / "broken"


@pytest.fixture
def memo_reader():
    """A byte reader of '.memo' files: 'id|title' on the first line; 'boom' makes it fail."""
    seen: list = []

    @reader("test-memo", suffixes=(".memo",), parse="bytes")
    def read_memo(data: bytes, path: str, diags):
        seen.append(type(data))
        text = data.decode("utf-8")
        if text.startswith("boom"):
            raise ValueError("boom")
        if "|" not in text:
            return None
        lid, title = text.splitlines()[0].split("|", 1)
        doc = SourceDocument(path=path, format="memo", diagnostics=diags)
        doc.letters.append(Letter(id=lid, source_path=path, source_line=1, title=title))
        return doc

    yield seen
    READERS.unregister("test-memo")


def test_discover_takes_every_claimed_suffix_in_any_case(tmp_path, memo_reader):
    (tmp_path / "a.MEMO").write_text("m1|A memo")
    (tmp_path / "b.xml").write_bytes((BROKEN / "good.xml").read_bytes())
    (tmp_path / "notes.txt").write_text("not claimed")
    (tmp_path / "skip.memo").write_text("m2|skipped")
    found = [p.rsplit("/", 1)[-1] for p in discover([tmp_path], exclude=["skip.*"])]
    assert found == ["a.MEMO", "b.xml"]
    READERS.unregister("test-memo")
    assert [p.rsplit("/", 1)[-1] for p in discover([tmp_path])] == ["b.xml"]


def test_byte_reader_gets_bytes_and_its_letters_are_ingested(tmp_path, memo_reader):
    src = tmp_path / "src"
    src.mkdir()
    (src / "one.memo").write_text("memo-1|Minutes of the meeting\nbody")
    shutil.copy(BROKEN / "good.xml", src / "good.xml")
    good_id = (
        etree.parse(str(BROKEN / "good.xml"))
        .getroot()
        .get("{http://www.w3.org/XML/1998/namespace}id")
    )
    result = ingest([src], tmp_path / "e.sqlite", workers=1)
    assert memo_reader == [bytes]  # the XML file was never offered to the byte reader
    with open_edition(tmp_path / "e.sqlite") as ed:
        ids = {r["id"] for r in ed.letter_records()}
        assert ids == {"memo-1", good_id}
        assert ed.letter("memo-1").title == "Minutes of the meeting"
    formats = {d.code for d in result.diagnostics if "one.memo" in d.path}
    assert "reader-failed" not in formats


def test_byte_reader_diagnostics(tmp_path, memo_reader):
    (tmp_path / "none.memo").write_text("no separator here")
    doc = read_file(str(tmp_path / "none.memo"))
    assert doc.format == "ignored" and [d.code for d in doc.diagnostics] == ["not-a-source"]
    (tmp_path / "bad.memo").write_text("boom")
    doc = read_file(str(tmp_path / "bad.memo"))
    d = list(doc.diagnostics)
    assert doc.format == "failed" and d[0].code == "reader-failed" and "test-memo" in d[0].message


def test_xml_diagnostics_unchanged(tmp_path):
    doc = read_file(str(BROKEN / "malformed.xml"))
    d = list(doc.diagnostics)
    assert doc.format == "malformed" and [x.code for x in d] == ["xml-syntax"] and d[0].line == 8
    doc = read_file(str(tmp_path / "missing.xml"))
    assert doc.format == "unreadable" and list(doc.diagnostics)[0].code == "unreadable"


def test_back_entries_seen_state_is_passed_not_global(tmp_path):
    """Two letters whose <back> both define the same person: with one ReadState the second
    file's copy is not parsed again; without one, each file stands alone."""
    tei = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{id}"><teiHeader><fileDesc>'
        "<titleStmt><title>t</title></titleStmt></fileDesc><profileDesc><correspDesc>"
        '<correspAction type="sent"><persName ref="#p1">P</persName>'
        '<date when="1900-01-01"/></correspAction></correspDesc></profileDesc></teiHeader>'
        "<text><body><p>x</p></body><back><listPerson>"
        '<person xml:id="p1"><persName>P</persName></person></listPerson></back></text></TEI>'
    )
    for lid in ("L1", "L2"):
        (tmp_path / f"{lid}.xml").write_text(tei.format(id=lid))
    state = ReadState()
    first = read_file(str(tmp_path / "L1.xml"), state)
    second = read_file(str(tmp_path / "L2.xml"), state)
    assert [e.id for e in first.entries] == ["p1"] and second.entries == []
    assert state.seen_back_entries == {"p1"}
    alone = read_file(str(tmp_path / "L2.xml"))
    assert [e.id for e in alone.entries] == ["p1"]
