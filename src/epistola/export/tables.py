"""CSV tables and one JSON file: the edition as data for pandas, R and spreadsheets."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ..edition import published_path
from . import exporter

TABLES = {
    "letters.csv": "SELECT id, number, year, number_in_year, title, kind, date_display, edtf, earliest, "
    "latest, certainty, calendar, sender, addressee, place_sent, place_received, languages, "
    "has_notes, has_facsimile, words FROM letters ORDER BY number",
    "parties.csv": "SELECT letter_id, action, position, entry_id, ref, name, kind, place_ref FROM letter_agents "
    "ORDER BY letter_id, action, position",
    "mentions.csv": "SELECT letter_id, entry_id, ref, kind, place, stance FROM letter_mentions ORDER BY letter_id",
    "persons.csv": "SELECT id, name, sort_name, birth, death, note FROM persons ORDER BY sort_name",
    "places.csv": "SELECT id, name, lat, lon, part_of FROM places ORDER BY name",
    "organisations.csv": "SELECT id, name, abbr, existed_from, existed_to FROM organisations ORDER BY name",
    "org_relations.csv": "SELECT org, parent, from_, to_, type FROM org_relations ORDER BY org, from_",
    "glossary.csv": "SELECT id, term, explanation FROM glossary ORDER BY term",
    "links.csv": "SELECT letter_id, type, target, scope FROM letter_links ORDER BY letter_id, type",
    "subjects.csv": "SELECT letter_id, subject, level FROM letter_subjects ORDER BY letter_id",
    "matters.csv": "SELECT id, letter_id, subject, raised_by, addressed_to, status, outcome, answers, summary "
    "FROM matters ORDER BY letter_id, id",
    "quantities.csv": "SELECT letter_id, matter_id, quantity, unit, commodity, status, text FROM quantities",
    "notes.csv": "SELECT letter_id, n, type, text FROM notes ORDER BY letter_id, n",
}


@exporter("csv")
def write_csv(edition, out: Path) -> list[Path]:
    """One CSV file per table (UTF-8, header row), in the folder ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, sql in TABLES.items():
        rows = edition.store.execute(sql)
        path = out / name
        with open(path, "w", newline="", encoding="utf-8") as fh:
            cols = (
                list(rows[0])
                if rows
                else [
                    c.strip().split()[-1].split(".")[-1]
                    for c in sql.split(" FROM ")[0][7:].split(",")
                ]
            )
            w = csv.writer(fh)
            w.writerow(cols)
            w.writerows([[r[c] for c in cols] for r in rows])
        written.append(path)
    return written


@exporter("json")
def write_json(edition, out: Path) -> list[Path]:
    """The whole edition in one JSON file: metadata, letters (without text) and registers."""
    out = out if out.suffix == ".json" else out / "edition.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    root = edition.store.get_meta("project_root")
    letters = edition.letter_records()
    for r in letters:
        if "source_path" in r:
            r["source_path"] = published_path(r["source_path"], root)
    entries = [dict(json.loads(r["data"]), kind=r["kind"]) for r in edition.store.execute(
        "SELECT kind, data FROM entries ORDER BY kind, sort_name"
    )]  # fmt: skip
    for e in entries:
        if e.get("source_path"):
            e["source_path"] = published_path(e["source_path"], root)
    data = {
        "edition": edition.store.get_meta("edition"),
        "letters": letters,
        "parties": edition.store.execute(TABLES["parties.csv"]),
        "mentions": edition.store.execute(TABLES["mentions.csv"]),
        "links": edition.store.execute(TABLES["links.csv"]),
        "entries": entries,
        "org_relations": edition.store.execute(TABLES["org_relations.csv"]),
    }
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return [out]
