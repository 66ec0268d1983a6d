"""Ingest of the real corpora: counts the issue names, computed independently from the TEI."""

from __future__ import annotations

import glob
import json

from lxml import etree

from epistola import ingest, open_edition

from .conftest import AUDEN, CMIF, SCHNITZLER, need

TEI = "{http://www.tei-c.org/ns/1.0}"


def test_schnitzler_every_letter_read_and_dated(schnitzler_edition):
    target, result = schnitzler_edition
    files = glob.glob(str(SCHNITZLER / "editions" / "L*.xml"))
    assert len(files) == 4420
    with open_edition(target) as ed:
        info = ed.info()
    assert info["letters"] == 4420
    assert info["dated_letters"] == 4420
    # the one file that is not well-formed is reported with its line, and nothing else is lost
    bad = [d for d in info["diagnostics"] if d["code"] == "xml-syntax"]
    assert [d["path"].rsplit("/", 1)[-1] for d in bad] == ["editionsrichtlinien.xml"]
    assert bad[0]["line"] and bad[0]["severity"] == "error"


def test_schnitzler_every_referenced_person_resolved_incl_back(schnitzler_edition, schnitzler_tei):
    target, _ = schnitzler_edition
    # independent count: person ids referenced in letters (their correspDesc and text, not
    # their <back> registers), and those defined anywhere
    referenced = set().union(*(d["person_refs"] for d in schnitzler_tei.values()))
    defined = set().union(*(d["defined_persons"] for d in schnitzler_tei.values()))
    for p in (
        etree.parse(str(SCHNITZLER / "indices" / "listperson.xml")).getroot().iter(f"{TEI}person")
    ):
        defined.add(p.get("{http://www.w3.org/XML/1998/namespace}id"))
    with open_edition(target) as ed:
        stored = {r["id"] for r in ed.store.execute("SELECT id FROM entries WHERE kind = 'person'")}
        unknown = {
            r["ref"]
            for r in ed.store.execute(
                "SELECT ref FROM letter_mentions WHERE kind = 'person' AND entry_id IS NULL "
                "UNION SELECT ref FROM letter_agents WHERE kind = 'person' AND ref IS NOT NULL AND entry_id IS NULL"
            )
        }
        reported = {d.message.split("'")[1] for d in ed.diagnostics() if d.code == "unknown-ref"}
    assert referenced & defined <= stored
    # the ids that appear nowhere are exactly the unresolved ones, and each is reported
    assert unknown == (referenced - defined)
    assert unknown <= reported
    assert len(stored) > 2500  # the stale register has 1,972; the rest come from <back>


def test_schnitzler_title_and_reading_text(schnitzler_edition):
    target, _ = schnitzler_edition
    with open_edition(target) as ed:
        assert ed.info()["title"] == "Arthur Schnitzler: Briefwechsel mit Autorinnen und Autoren"
        text = ed.text("L00001")
    # letterhead segments and <space/> are word boundaries; notes and <c> splits are not
    assert text.startswith(
        "Frankfurter Zeitung und Handelsblatt. Redaction. Frankfurt a. M., 2. Aug. 1889 "
    )
    assert "so kunstvoll das psychologische Motiv" in text
    assert "Die Erzählung entstand" not in text  # the commentary note


def test_schnitzler_decimal_comma_coordinates(schnitzler_edition):
    target, _ = schnitzler_edition
    with open_edition(target) as ed:
        wien = ed.place("pmb50")
    assert abs(wien.lat - 48.208) < 0.01 and abs(wien.lon - 16.373) < 0.01


def test_schnitzler_numbering_is_chronological_per_year(schnitzler_edition):
    target, _ = schnitzler_edition
    with open_edition(target) as ed:
        rows = ed.store.execute(
            "SELECT number, year, number_in_year, earliest FROM letters ORDER BY number"
        )
    assert [r["number"] for r in rows] == list(range(1, 4421))
    assert all(a["earliest"] <= b["earliest"] for a, b in zip(rows, rows[1:], strict=False))
    by_year = {}
    for r in rows:
        by_year.setdefault(r["year"], []).append(r["number_in_year"])
    assert all(v == list(range(1, len(v) + 1)) for v in by_year.values())


def test_auden_45_letters_sender_from_author():
    src = need(AUDEN)
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "amp.sqlite"
        result = ingest([src], target)
        assert result.letters == 45
        with open_edition(target) as ed:
            letter = ed.letter("amp-transcript__0001")
            senders = [a.ref for a in letter.senders if a.kind == "person"]
            assert senders == ["https://d-nb.info/gnd/118650963"]
            row = ed.store.execute(
                "SELECT entry_id FROM letter_agents WHERE letter_id = ? AND "
                "action = 'sent' AND kind = 'person'",
                (letter.id,),
            )
            assert row[0]["entry_id"] == "amp_person_1"  # the GND URI resolves through idno
            assert ed.letter_records()[0]["sender"]
            assert len(letter.facsimiles) == 4 and letter.facsimiles[0].kind == "iiif"
            assert ed.info()["dated_letters"] == 45


def test_cmif_6450_letters():
    src = need(CMIF)
    import tempfile
    from pathlib import Path

    expected = sum(
        len(etree.parse(f).getroot().findall(f"{TEI}teiHeader/{TEI}profileDesc/{TEI}correspDesc"))
        for f in glob.glob(str(src / "*.xml"))
    )
    assert expected == 6450
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "cmif.sqlite"
        result = ingest([src], target)
        assert result.letters == 6450
        with open_edition(target) as ed:
            letter = ed.letter("2022_Schnitzler-Vengerova-1")
            assert letter.date.when == "1907-01-04"
            assert letter.action("received").place_ref == "https://sws.geonames.org/2761333/"
            info = json.loads(json.dumps(ed.info()))
            assert info["persons"] > 400
