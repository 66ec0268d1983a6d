"""One definition of a letter's label ("1931 No. 3") and of life dates, everywhere they appear
(issue 8: built three and two times, with different fallbacks)."""

from __future__ import annotations

from lxml import etree

from epistola import ingest, open_edition
from epistola.render.i18n import localise_label
from epistola.render.room import ReadingRoom

from ..conftest import FIXTURES, SAMPLE

T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _labels(ed) -> tuple[dict, dict, dict]:
    room = ReadingRoom(ed)
    found = ed.search("", per_page=100, sort="date")["results"]
    # the reading room shows the model's label with the interface's number sign ("1931 № 3")
    return (
        {x["letter"]: localise_label(x["label"], room.ui_lang) for x in found},
        {lid: r["label"] for lid, r in room.letters.items()},
        {lid: localise_label(ed.letter(lid).label, room.ui_lang) for lid in room.letters},
    )


def test_letter_label_is_the_same_in_search_room_and_model(sample_edition, tmp_path):
    with open_edition(sample_edition[0]) as ed:
        search, room, model = _labels(ed)
        assert search == room == model
        first = next(
            r for r in ed.letter_records() if r["year"] == 1931 and r["number_in_year"] == 3
        )
        assert model[first["id"]] == "1931 № 3" and ed.letter(first["id"]).label == "1931 No. 3"
    # an undated letter has no number in a year: every label falls back to the id
    ingest([FIXTURES / "broken"], tmp_path / "b.sqlite")
    with open_edition(tmp_path / "b.sqlite") as ed:
        search, room, model = _labels(ed)
        assert search == room == model
        assert model["B5"] == "B5" and ed.letter("B5").date is None


def test_life_dates_are_the_same_on_pages_and_in_the_model(sample_edition):
    persons = etree.parse(str(SAMPLE / "registers" / "persons.xml"))
    expected = {}
    for p in persons.iter(f"{T}person"):
        b, d = p.find(f"{T}birth"), p.find(f"{T}death")
        b = b.get("when")[:4] if b is not None and b.get("when") else None
        d = d.get("when")[:4] if d is not None and d.get("when") else None
        if b or d:
            expected[p.get(XML_ID)] = f"{b or '?'}–{d or '?'}"
    assert len(expected) >= 5
    with open_edition(sample_edition[0]) as ed:
        room = ReadingRoom(ed)
        assert room.life == expected
        assert {pid: ed.entry(pid).life for pid in expected} == expected
