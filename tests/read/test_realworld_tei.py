"""The TEI that real projects write (issue 9 §5): read without losing anything, each case with a
diagnostic that says what was assumed. Fixtures: tests/fixtures/realworld (one case a file);
expected values are read from the fixtures with lxml."""

from __future__ import annotations

import shutil

import pytest
from lxml import etree

from epistola import ingest, open_edition

from ..conftest import FIXTURES

REAL = FIXTURES / "realworld"
T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _tei(name: str):
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    return etree.fromstring((REAL / name).read_bytes(), parser).getroottree()


def _diags(result, code):
    return [d for d in result.diagnostics if d.code == code]


@pytest.fixture(scope="module")
def real(realworld_edition):
    target, result = realworld_edition
    with open_edition(target) as ed:
        yield result, ed


def test_every_letter_is_kept(real):
    result, ed = real
    files = [p for p in REAL.glob("*.xml") if _tei(p.name).find(f".//{T}correspDesc") is not None]
    assert len(ed.letter_records()) == len(files) == 8


def test_action_types_are_mapped(real):
    result, ed = real
    for name, lid in (("R1.xml", "R1"), ("R2.xml", "R2")):
        acts = _tei(name).findall(f".//{T}correspAction")
        sender = acts[0].find(f"{T}persName").get("ref").lstrip("#")
        addressee = acts[1].find(f"{T}persName").get("ref").lstrip("#")
        letter = ed.letter(lid)
        assert [a.ref for a in letter.senders] == [sender]
        assert [a.ref for a in letter.addressees] == [addressee]
    written = {(d.path.rsplit("/", 1)[-1], d.line) for d in _diags(result, "action-type")}
    assert ("R1.xml", 6) in written and ("R2.xml", 7) in written
    msg = next(d.message for d in _diags(result, "action-type") if "'sending'" in d.message)
    assert "read as 'sent'" in msg


def test_numeric_id_and_bare_references_resolve(real):
    result, ed = real
    person = _tei("registers.xml").find(f".//{T}person")
    pid = person.get(XML_ID)
    assert pid == "3444"  # not an XML name: libxml2 refuses the file without recovery
    assert ed.entry(pid).name == person.findtext(f"{T}persName")
    r1 = ed.letter("R1")
    assert [a.ref for a in r1.addressees] == [pid]  # ref="3444", no '#'
    mentioned = {m.ref for m in r1.mentions}
    assert mentioned == {pid, "p-boris"}
    entry_ids = {
        r["entry_id"]
        for r in ed.store.execute("SELECT entry_id FROM letter_mentions WHERE letter_id = 'R1'")
    }
    assert entry_ids == {pid, "p-boris"}  # the links to the entries are kept
    warn = _diags(result, "xml-id-not-a-name")
    assert [(d.path.rsplit("/", 1)[-1], d.line, d.severity) for d in warn] == [
        ("registers.xml", person.sourceline, "warning")
    ]
    assert "3444" in warn[0].message and "recovery" in warn[0].message
    assert not _diags(result, "unknown-ref")


def test_undeclared_prefix_recovered(real):
    result, ed = real
    raw = (REAL / "R2.xml").read_text()
    assert "xi:include" in raw and "xmlns:xi" not in raw
    warn = _diags(result, "undeclared-prefix")
    line = next(i for i, x in enumerate(raw.splitlines(), 1) if "<xi:include" in x)
    assert [(d.path.rsplit("/", 1)[-1], d.line) for d in warn] == [("R2.xml", line)]
    paras = [" ".join("".join(p.itertext()).split()) for p in _tei("R2.xml").iter(f"{T}p")]
    assert ed.text("R2") == " ".join(paras)  # the letter is kept, text around the include too


def test_date_from_dateline_and_header_is_inferred(real):
    result, ed = real
    dl = _tei("R3.xml").find(f".//{T}dateline/{T}date")
    r3 = ed.letter("R3")
    assert r3.date.earliest == r3.date.latest == dl.get("when")
    assert r3.date.certainty == "inferred"
    cr = _tei("R4.xml").find(f".//{T}creation/{T}date")
    r4 = ed.letter("R4")
    assert (r4.date.earliest, r4.date.latest) == (cr.get("notBefore"), cr.get("notAfter"))
    assert r4.date.certainty == "inferred"
    notes = {d.path.rsplit("/", 1)[-1]: d for d in _diags(result, "date-inferred")}
    assert notes["R3.xml"].line == dl.sourceline and "dateline" in notes["R3.xml"].message
    assert notes["R4.xml"].line == cr.sourceline and "header" in notes["R4.xml"].message
    assert not [d for d in result.diagnostics if d.code == "undated"]


def _check_same_id(result, ed):
    real5 = _tei("R5.xml").findtext(f".//{T}title")
    copy = _tei("A-copy-of-R5.xml").findtext(f".//{T}title")
    # the file named after the id keeps it, although the other is read first
    assert ed.letter("R5").title == real5
    assert ed.letter("A-copy-of-R5").title == copy
    errs = [d for d in _diags(result, "duplicate-id") if "'R5'" in d.message]
    assert len(errs) == 1 and errs[0].severity == "error"
    assert errs[0].path.endswith("A-copy-of-R5.xml") and "R5.xml" in errs[0].message
    assert errs[0].line == 3


def _check_same_matter_id(result, ed):
    rows = ed.store.execute(
        "SELECT id, letter_id FROM matters WHERE letter_id IN ('R6', 'R7') ORDER BY letter_id"
    )
    assert [(r["id"], r["letter_id"]) for r in rows] == [("m1", "R6"), ("R7-m1", "R7")]
    q = ed.store.execute("SELECT matter_id FROM quantities WHERE letter_id = 'R7'")
    assert [r["matter_id"] for r in q] == ["R7-m1"]  # the quantity follows its matter
    warn = _diags(result, "duplicate-matter-id")
    seg = _tei("R7.xml").find(f".//{T}seg")
    assert [(d.path.rsplit("/", 1)[-1], d.line) for d in warn] == [("R7.xml", seg.sourceline)]
    assert "R6.xml" in warn[0].message


def test_same_letter_id_in_two_files(real):
    _check_same_id(*real)


def test_same_matter_id_in_two_letters(real):
    _check_same_matter_id(*real)


def test_same_ids_across_reader_processes(tmp_path):
    """With two reader processes the two files of a pair may land in different shards."""
    src = tmp_path / "src"
    shutil.copytree(REAL, src)
    good = (REAL / "R6.xml").read_text()
    for i in range(12):  # enough files for the parallel read (16 or more)
        (src / f"Z{i:02}.xml").write_text(
            good.replace('xml:id="R6"', f'xml:id="Z{i:02}"').replace(
                'xml:id="m1"', f'xml:id="z{i}"'
            )
        )
    result = ingest([src], tmp_path / "e.sqlite", workers=2)
    with open_edition(tmp_path / "e.sqlite") as ed:
        assert len(ed.letter_records()) == 8 + 12
        _check_same_id(result, ed)
        _check_same_matter_id(result, ed)
