"""One resolver of references (issue 8): an entry id, ``#id`` and its authority URI in any
spelling find the same entry in search filters, ``Edition.entry``, the reading room and analyses.
docs/search.md says URIs work: ``--person https://d-nb.info/gnd/118650963`` (W. H. Auden's GND
id) finds what ``--person amp_person_1`` finds. Expected letters are read from the TEI."""

from __future__ import annotations

import json

import pytest
from lxml import etree
from typer.testing import CliRunner

from epistola import open_edition
from epistola.cli import app
from epistola.render.room import ReadingRoom

from ..conftest import AUDEN

T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
GND = "https://d-nb.info/gnd/118650963"
SPELLINGS = [GND, "http://d-nb.info/gnd/118650963/", "https://www.d-nb.info/gnd/118650963"]


def _auden_in_sources() -> tuple[str, set[str]]:
    """The register id whose GND idno is Auden's, and the letters that refer to him."""
    persons = etree.parse(str(AUDEN / "amp-entities/out/amp-index-persons.xml"))
    pid = next(p.get(XML_ID) for p in persons.iter(f"{T}person") if p.findtext(f"{T}idno") == GND)
    letters = set()
    for f in sorted((AUDEN / "amp-auden-musulin-papers/data/editions").glob("*.xml")):
        root = etree.parse(str(f)).getroot()
        if root.find(f".//{T}correspDesc") is None:
            continue
        tokens = {
            t.lstrip("#")
            for el in root.iter()
            for attr in ("ref", "key")
            for t in (el.get(attr) or "").split()
        }
        if pid in tokens or GND in tokens:
            letters.add((root.get(XML_ID) or f.stem).removesuffix(".xml"))
    return pid, letters


def _cli_letters(path, person: str) -> tuple[int, set[str]]:
    r = CliRunner().invoke(
        app, ["search", str(path), "--person", person, "--json", "--per-page", "100"]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    return data["total"], {x["letter"] for x in data["results"]}


def test_person_filter_by_id_and_by_uri(auden_edition):
    pid, expected = _auden_in_sources()
    assert pid == "amp_person_1" and len(expected) == 45
    path = auden_edition[0]
    assert _cli_letters(path, pid) == (45, expected)
    for spelling in [*SPELLINGS, "#" + pid]:
        assert _cli_letters(path, spelling) == (45, expected), spelling


@pytest.mark.parametrize("ref", [*SPELLINGS, "#amp_person_1", "amp_person_1"])
def test_every_lookup_resolves_every_spelling(auden_edition, ref):
    with open_edition(auden_edition[0]) as ed:
        assert ed.entry(ref).id == "amp_person_1"
        assert ReadingRoom(ed).resolve(ref) == "amp_person_1"
        assert ed.facts.resolve(ref) == "amp_person_1"
        assert ed.facts.ref_id(ref) == "amp_person_1"  # the analyses' lookup
