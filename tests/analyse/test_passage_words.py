"""Words of a subject coded on a passage only (issue 8: they were always 0, because the stored
JSON has no text trees). Expected values are counted in the fixture with lxml."""

from __future__ import annotations

from lxml import etree

from epistola import open_edition
from epistola.analyse import run

from ..conftest import FIXTURES

T = "{http://www.tei-c.org/ns/1.0}"


def _passages(name: str, subject: str) -> list[str]:
    root = etree.parse(str(FIXTURES / "realworld" / name)).getroot()
    return [
        " ".join("".join(el.itertext()).split())
        for el in root.iter()
        if f"#{subject}" in (el.get("ana") or "").split()
    ]


def test_words_of_a_passage_only_subject(realworld_edition):
    harvest = _passages("R6.xml", "s-harvest")
    assert len(harvest) == 1 and harvest[0].startswith("The harvest")
    with open_edition(realworld_edition[0]) as ed:
        rows = {r["subject"]: r for r in run(ed, "priorities", "subjects")["rows"]}
    assert rows["s-harvest"]["letters"] == 1
    assert rows["s-harvest"]["words"] == len(harvest[0].split()) == 10
    # s-transport is coded on a matter in R6 and another in R7
    transport = _passages("R6.xml", "s-transport") + _passages("R7.xml", "s-transport")
    assert rows["s-transport"]["words"] == sum(len(t.split()) for t in transport)
