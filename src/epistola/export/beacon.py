"""BEACON files: which GND-identified persons this edition has letters by, to or about.

Format: https://gbv.github.io/beaconspec/beacon.html (one ``GND-number|count|page`` a line).
The count is the number of letters a person sent, received or is mentioned in; persons without a
GND id are left out (the file is for services that link by GND, such as the GND's own
BEACON aggregators and Wikipedia's "Personensuche").
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..render import urls
from . import exporter

GND = re.compile(r"^(?:https?://d-nb\.info/gnd/)?([0-9X-]+)/?$")


def gnd_number(idnos: dict) -> str | None:
    """The bare GND number of an entry's authority ids, if it has one."""
    value = (idnos or {}).get("gnd")
    if not isinstance(value, str):
        return None
    m = GND.match(value.strip())
    return m.group(1) if m else None


@exporter("beacon")
def write_beacon(edition, out: Path) -> list[Path]:
    """One BEACON file of persons with a GND id (``out`` a file, or a folder for beacon-gnd.txt)."""
    out = out if out.suffix == ".txt" else out / "beacon-gnd.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = edition.meta
    base = meta.base_url.rstrip("/") + "/" if meta.base_url else ""
    letters: dict[str, set] = {}
    for r in edition.store.execute(
        "SELECT entry_id, letter_id FROM letter_agents WHERE entry_id IS NOT NULL "
        "UNION SELECT entry_id, letter_id FROM letter_mentions WHERE entry_id IS NOT NULL"
    ):
        letters.setdefault(r["entry_id"], set()).add(r["letter_id"])
    lines = [
        "#FORMAT: BEACON",
        "#PREFIX: http://d-nb.info/gnd/",
        f"#NAME: {meta.title}",
        f"#DESCRIPTION: letters by, to or mentioning the person in {meta.title}",
    ]
    if base:
        lines.append(f"#FEED: {base}data/beacon-gnd.txt")
    if meta.publisher:
        lines.append(f"#INSTITUTION: {meta.publisher}")
    built = edition.store.get_meta("built", "")
    if built:
        lines.append(f"#TIMESTAMP: {built}")
    rows = []
    for r in edition.store.execute(
        "SELECT id, data FROM entries WHERE kind = 'person' ORDER BY sort_name, id"
    ):
        number = gnd_number(json.loads(r["data"]).get("idnos"))
        n = len(letters.get(r["id"], ()))
        if number and n:
            rows.append(f"{number}|{n}|{base}{urls.entry_path('person', r['id'])}")
    out.write_text("\n".join(lines + sorted(set(rows))) + "\n", encoding="utf-8")
    return [out]
