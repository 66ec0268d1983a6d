"""The reading text that search and word counts see: TEI's word boundaries, no notes."""

from __future__ import annotations

from epistola.read import read_file

LETTER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="T1">
  <teiHeader><fileDesc><titleStmt><title level="a">T</title></titleStmt></fileDesc>
    <profileDesc><correspDesc><correspAction type="sent"><persName>A</persName>
      <date when="1931-08-12"/></correspAction></correspDesc></profileDesc></teiHeader>
  <text><body><opener><seg type="letterhead">Zeitung</seg><seg type="letterhead">Redaction</seg></opener><p>Die Rech<lb break="no"/>nung<space unit="chars" quantity="1"/>kam<lb/>heute<note type="commentary">eine Anmerkung</note>,
  der <choice><abbr>TsK</abbr><expan>Zentralkomitee</expan></choice> ist kun<c>s</c>tvoll.</p><closer>Ihr</closer></body></text>
</TEI>
"""


def test_reading_text_boundaries(tmp_path):
    path = tmp_path / "t.xml"
    path.write_text(LETTER, encoding="utf-8")
    doc = read_file(str(path))
    version = doc.letters[0].versions[0]
    assert version.text == "Zeitung Redaction Die Rechnung kam heute, der TsK ist kunstvoll. Ihr"
    assert [n.text for n in doc.letters[0].notes] == ["eine Anmerkung"]
    assert doc.letters[0].terms == [("TsK", "Zentralkomitee", None)]
