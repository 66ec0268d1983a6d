"""Accepted suggestions become stand-off coding that the next build reads.

The coder saves ``epistola suggest EDITION --csv`` to a file, writes ``yes`` (or ``y``, ``x``,
``1``) in the ``accepted`` column of the rows to keep (and may correct ``entry``, ``value``,
``unit``, ``commodity`` or ``status``), and names the file in epistola.toml::

    [coding]
    accepted = "coding/accepted.csv"

At ingest each accepted row becomes a row of the edition's coding tables, like any other
stand-off coding: names -> ``letter_mentions``, stance -> ``letter_mentions.stance``, quantities
-> ``quantities``, matters -> ``matters`` (source ``accepted``), subjects -> ``letter_subjects``
(level ``standoff``), acronyms -> ``letter_terms`` (add them to the glossary to explain them).
Rows naming a letter the edition lacks, or a kind Epistola does not know, are reported with their
row number and skipped.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..diagnostics import Diagnostics
from ..store.base import Store

YES = {"yes", "y", "x", "1", "true", "ja", "да"}
MENTION_KIND = {"person": "person", "place": "place", "organisation": "org"}


def _float(v):
    try:
        return float(str(v).replace(" ", "").replace(",", "."))
    except (TypeError, ValueError):
        return None


def read_accepted(store: Store, diags: Diagnostics, project) -> int:
    """Insert the accepted rows of ``[coding] accepted``; return how many were taken."""
    path = Path(project.root) / project.coding["accepted"]
    letters = {r["id"] for r in store.execute("SELECT id FROM letters")}
    tables: dict[str, list] = {"letter_mentions": [], "quantities": [], "matters": [],
                               "letter_subjects": [], "letter_terms": []}  # fmt: skip
    taken = 0
    with open(path, newline="", encoding="utf-8") as fh:
        for line, rec in enumerate(csv.DictReader(fh), 2):
            rec = {k: (v or "").strip() or None for k, v in rec.items() if k}
            if (rec.get("accepted") or "").lower() not in YES:
                continue
            lid, kind, entry = rec.get("letter"), rec.get("kind"), rec.get("entry")
            if lid not in letters:
                diags.warning(str(path), line, "missing-letter",
                              f"accepted suggestion names letter {lid!r}, not in the edition")  # fmt: skip
                continue
            if kind in MENTION_KIND and entry:
                tables["letter_mentions"].append(
                    (lid, entry, entry, MENTION_KIND[kind], None, None, None)
                )
            elif kind == "stance" and entry:
                tables["letter_mentions"].append(
                    (lid, entry, entry, "person", None, rec.get("value"), None)
                )
            elif kind == "quantity" and _float(rec.get("value")) is not None:
                tables["quantities"].append((lid, None, _float(rec["value"]), rec.get("unit"),
                                             rec.get("commodity"), rec.get("status"),
                                             rec.get("text")))  # fmt: skip
            elif kind == "matter":
                tables["matters"].append((rec.get("id") or f"accepted-{line}", lid, None, None,
                                          None, rec.get("value"), rec.get("status"), None,
                                          rec.get("text") or "", "accepted"))  # fmt: skip
            elif kind == "subject" and entry:
                tables["letter_subjects"].append((lid, entry.lstrip("#"), "standoff"))
            elif kind == "acronym" and rec.get("text"):
                tables["letter_terms"].append((lid, rec["text"], None, entry))
            else:
                diags.warning(str(path), line, "bad-suggestion",
                              f"accepted row of kind {kind!r} lacks what it needs (an entry "
                              "or a number) or is of an unknown kind; skipped")  # fmt: skip
                continue
            taken += 1
    existing = {r["id"] for r in store.execute("SELECT id FROM matters")}
    tables["matters"] = [r for r in tables["matters"] if r[0] not in existing]
    for table, rows in tables.items():
        if rows:
            store.insert(table, rows)
    if taken:
        diags.info(str(path), None, "accepted-suggestions",
                   f"{taken} accepted suggestion(s) read as stand-off coding")  # fmt: skip
    return taken
