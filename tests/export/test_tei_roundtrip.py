"""TEI out, and back in: every shared corpus and the sample, exported as TEI and read back,
give the same edition (letters, dates, parties, texts, notes, links, registers, front matter).

The comparison (``compare.differences``) lists what differs, so a failure says what."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from epistola import ingest, load_project, open_edition
from epistola.export import export
from epistola.export.tei import entry_xml_id, is_xml_name

from ..conftest import AUDEN, CMIF, need
from .compare import differences

TEI_NS = "http://www.tei-c.org/ns/1.0"


def _roundtrip(edition_path, tmp: Path) -> tuple[Path, list[Path], list[str]]:
    out = tmp / "tei"
    with open_edition(edition_path) as ed:
        files = export(ed, "tei", out)
    again = tmp / "again.sqlite"
    ingest(load_project(out), again)
    with open_edition(edition_path) as a, open_edition(again) as b:
        diffs = differences(a, b, rename=entry_xml_id)
    return out, files, diffs


def _check_xml(files: list[Path]) -> int:
    """Every XML file written is well-formed TEI (parsed by lxml; root in the TEI namespace)."""
    n = 0
    for f in files:
        if f.suffix != ".xml":
            continue
        root = etree.parse(str(f)).getroot()  # raises if not well-formed
        assert root.tag == f"{{{TEI_NS}}}TEI", f
        n += 1
    return n


def test_sample_roundtrip(sample_edition, tmp_path):
    path, _ = sample_edition
    out, files, diffs = _roundtrip(path, tmp_path)
    assert diffs == [], "\n".join(diffs)
    with open_edition(path) as ed:
        letters = ed.counts()["letters"]
        front = ed.front()
    assert len(list((out / "letters").glob("*.xml"))) == letters
    assert _check_xml(files) == letters + len(list((out / "registers").glob("*.xml"))) + 1
    # the header carries what the issue asks for, read back from the written file with lxml
    ns = {"t": TEI_NS}
    doc = etree.parse(str(out / "letters" / "L1931-08-16.xml"))
    assert doc.xpath("string(//t:msIdentifier/t:idno)", namespaces=ns).startswith("Ф. 3.")
    assert doc.xpath("//t:correspAction[@type='sent']/t:persName/@ref", namespaces=ns) == [
        "#p-vetrov"
    ]
    assert doc.xpath("//t:correspAction[@type='sent']/t:date/@when", namespaces=ns) == [
        "1931-08-16"
    ]
    assert doc.xpath("//t:facsimile//t:graphic/@url", namespaces=ns)
    assert doc.xpath("count(//t:text/t:group/t:text)", namespaces=ns) == 2  # original + English
    julian = etree.parse(str(out / "letters" / "L1932-09-08.xml"))
    assert julian.xpath("//t:correspAction[@type='sent']/t:date/@calendar", namespaces=ns) == [
        "#julian"
    ]
    registers = {p.name for p in (out / "registers").glob("*.xml")}
    assert {"persons.xml", "places.xml", "organisations.xml", "glossary.xml"} <= registers
    assert {"works.xml", "taxonomy.xml"} <= registers
    fm = etree.parse(str(out / "front" / "front.xml"))
    assert [d.get("type") for d in fm.iter(f"{{{TEI_NS}}}div")] == [f["kind"] for f in front]


def test_differences_say_what_differs(sample_edition, tmp_path):
    """The comparison is not blind: change one date in the exported TEI and it is reported."""
    path, _ = sample_edition
    out = tmp_path / "tei"
    with open_edition(path) as ed:
        export(ed, "tei", out)
    f = out / "letters" / "L1931-08-16.xml"
    f.write_text(f.read_text("utf-8").replace('when="1931-08-16"', 'when="1931-08-15"'), "utf-8")
    ingest(load_project(out), tmp_path / "changed.sqlite")
    with open_edition(path) as a, open_edition(tmp_path / "changed.sqlite") as b:
        diffs = differences(a, b, rename=entry_xml_id)
    assert any(d.startswith("letter row: letter L1931-08-16:") and "1931-08-15" in d for d in diffs)
    assert any("letter record: letter L1931-08-16: .actions[0].date" in d for d in diffs)


def test_auden_roundtrip(tmp_path):
    src = need(AUDEN)
    ingest([src], tmp_path / "auden.sqlite")
    _, files, diffs = _roundtrip(tmp_path / "auden.sqlite", tmp_path)
    assert diffs == [], "\n".join(diffs)
    assert _check_xml(files) > 0


def test_cmif_roundtrip(tmp_path):
    """CMIF letters (metadata only, parties named by URI) become TEI letters and come back."""
    src = need(CMIF)
    ingest([src], tmp_path / "cmif.sqlite")
    out, files, diffs = _roundtrip(tmp_path / "cmif.sqlite", tmp_path)
    assert diffs == [], "\n".join(diffs)
    # letter ids such as 1912_... are no XML names: the file name keeps them, no xml:id
    with open_edition(tmp_path / "cmif.sqlite") as ed:
        ids = [r["id"] for r in ed.store.execute("SELECT id FROM letters")]
    odd = next(i for i in ids if not is_xml_name(i))
    root = etree.parse(str(out / "letters" / f"{odd}.xml")).getroot()
    assert root.get("{http://www.w3.org/XML/1998/namespace}id") is None
    assert root.find(f"{{{TEI_NS}}}text").get("type") == "calendar"
    assert _check_xml(files[:50]) > 0


@pytest.mark.corpora
def test_schnitzler_roundtrip(schnitzler_edition, tmp_path):
    """All 4,420 letters, once: exported, read back, compared table by table."""
    path, _ = schnitzler_edition
    _, files, diffs = _roundtrip(path, tmp_path)
    assert diffs == [], "\n".join(diffs)
    with open_edition(path) as ed:
        assert ed.counts()["letters"] == len([f for f in files if f.parent.name == "letters"])
    assert _check_xml(files[:200]) > 0
