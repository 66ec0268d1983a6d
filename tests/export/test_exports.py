"""Exports round-trip: CMIF written by Epistola reads back as the same letters."""

from __future__ import annotations

import csv

from epistola import ingest, open_edition
from epistola.export import export

from ..conftest import CMIF, need


def test_cmif_round_trip_of_the_cmif_corpus(tmp_path):
    src = need(CMIF)
    first = tmp_path / "a.sqlite"
    ingest([src], first)
    with open_edition(first) as ed:
        export(ed, "cmif", tmp_path / "out.xml")
        before = ed.store.execute(
            "SELECT l.earliest, l.latest, l.sender, l.addressee FROM letters l ORDER BY l.id"
        )
    second = tmp_path / "b.sqlite"
    result = ingest([tmp_path / "out.xml"], second)
    assert result.letters == 6450
    with open_edition(second) as ed:
        after = ed.store.execute(
            "SELECT l.earliest, l.latest, l.sender, l.addressee FROM letters l ORDER BY l.id"
        )
        gnd = ed.store.scalar(
            "SELECT COUNT(*) FROM letter_agents WHERE ref LIKE 'https://d-nb.info/gnd/%'"
        )
    key = lambda r: (r["earliest"] or "", r["latest"] or "", r["sender"], r["addressee"])  # noqa: E731
    assert sorted(map(key, before)) == sorted(map(key, after))
    assert gnd > 6000  # authority URIs survive the trip


def test_csv_tables_match_the_edition(sample_edition, tmp_path):
    with open_edition(sample_edition[0]) as ed:
        files = export(ed, "csv", tmp_path / "csv")
        n_letters = ed.counts()["letters"]
        n_relations = ed.store.scalar("SELECT COUNT(*) FROM org_relations")
    names = {f.name for f in files}
    assert {
        "letters.csv",
        "persons.csv",
        "org_relations.csv",
        "matters.csv",
        "glossary.csv",
    } <= names
    with open(tmp_path / "csv" / "letters.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n_letters
    assert rows[0]["id"] == "L1931-06-14" and rows[0]["number_in_year"] == "1"
    with open(tmp_path / "csv" / "org_relations.csv", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == n_relations
