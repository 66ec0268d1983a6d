"""The Python API for notebooks: filters agree with counts made independently from the TEI."""

from __future__ import annotations

import pytest

from epistola import open_edition
from epistola.errors import UnknownEntry

TEI = "{http://www.tei-c.org/ns/1.0}"


def _sent_by_in_year(tei: dict, person: str, year: str) -> set[str]:
    return {
        lid
        for lid, d in tei.items()
        if person in d["sent_persnames"] and (d["earliest"] or "").startswith(year)
    }


def test_letters_filtered_by_sender_and_year(schnitzler_edition, schnitzler_tei):
    target, _ = schnitzler_edition
    expected = _sent_by_in_year(schnitzler_tei, "pmb2121", "1894")
    with open_edition(target) as ed:
        got = {letter.id for letter in ed.letters(year=1894, sender="pmb2121")}
        records = ed.letter_records(year=1894, sender="pmb2121")
    assert got == expected and len(expected) > 20
    assert [r["id"] for r in records] == sorted(
        [r["id"] for r in records], key=lambda i: next(x["number"] for x in records if x["id"] == i)
    )


def test_date_overlap_filter_and_frame(schnitzler_edition):
    pd = pytest.importorskip("pandas")
    target, _ = schnitzler_edition
    with open_edition(target) as ed:
        frame = ed.letters_frame(start="1900-07-01", end="1900-07-31")
        rows = ed.store.execute(
            "SELECT id FROM letters WHERE earliest <= '1900-07-31' AND latest >= '1900-07-01'"
        )
    assert isinstance(frame, pd.DataFrame)
    assert set(frame["id"]) == {r["id"] for r in rows} and len(frame) > 10
    assert (frame["earliest"] <= "1900-07-31").all() and (frame["latest"] >= "1900-07-01").all()


def test_entries_and_unknown_ids(schnitzler_edition):
    target, _ = schnitzler_edition
    with open_edition(target) as ed:
        p = ed.person("pmb2121")
        assert p.name == "Arthur Schnitzler" and p.birth == "1862-05-15"
        assert ed.entry("https://d-nb.info/gnd/118609807").id == "pmb2121"  # by authority URI
        with pytest.raises(UnknownEntry):
            ed.person("no-such-id")
        with pytest.raises(UnknownEntry):
            ed.letter("L99999")
