"""Stage 2, resolve: make the stored sources one consistent edition.

Runs on the store after every source has been read and written: entry aliases (authority URIs),
references from letters to registers, numbering by date (whole edition and year by year),
previous/next and reply links, glossary terms, the administrative structure, stand-off coding.
Every problem becomes a diagnostic; nothing is dropped.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from ..diagnostics import Diagnostics
from ..model.refs import ref_key
from ..preferred_names import apply_register_names
from ..store.base import Store


def resolve(store: Store, diags: Diagnostics, project=None) -> None:
    _aliases(store)
    _references(store, diags)
    _party_names(store)  # parties given by id only: named from the register
    apply_register_names(store)  # the register's preferred name shown, the written kept
    _number(store)
    _links(store, diags)
    _terms(store)
    _org_structure(store, diags)
    if project is not None and project.coding:
        _standoff(store, diags, project)
    if project is not None and project.coding.get("accepted"):
        from ..suggest.accept import read_accepted  # suggestions a coder accepted

        read_accepted(store, diags, project)
    if project is not None and project.coding.get("rules"):
        from .coding import propose_subjects  # subjects proposed by word rules, marked so

        propose_subjects(store, diags, project)


def _aliases(store: Store) -> None:
    rows = store.execute("SELECT id, data FROM entries")
    import json

    aliases: dict[str, str] = {}
    for r in rows:
        aliases.setdefault(r["id"], r["id"])
    for r in rows:
        for v in (json.loads(r["data"]).get("idnos") or {}).values():
            if isinstance(v, str) and v.startswith(("http://", "https://")):
                aliases.setdefault(ref_key(v), r["id"])
    store.insert("entry_aliases", list(aliases.items()))


def _references(store: Store, diags: Diagnostics) -> None:
    for table in ("letter_agents", "letter_mentions"):
        store.execute(
            f"UPDATE {table} SET entry_id = (SELECT a.entry_id FROM entry_aliases a "
            f"WHERE a.alias = {table}.entry_id) WHERE entry_id IS NOT NULL"
        )
    # one diagnostic per unknown reference, at its first occurrence (by file, then line);
    # grouped here rather than in SQL so that both backends pick the same occurrence
    rows = store.execute(
        "SELECT m.ref, m.kind, m.letter_id, l.source_path AS path, m.line "
        "FROM letter_mentions m JOIN letters l ON l.id = m.letter_id WHERE m.entry_id IS NULL"
    )
    for (ref, kind), group in _first_occurrences(rows, ("ref", "kind")):
        first = group[0]
        letters = len({r["letter_id"] for r in group})
        diags.warning(
            first["path"],
            first["line"],
            "unknown-ref",
            f"{kind} reference {ref!r} matches no register entry "
            f"({len(group)} mention(s) in {letters} letter(s)); add it to a register or fix the @ref",
        )
    rows = store.execute(
        "SELECT a.ref, a.action, l.source_path AS path, l.source_line AS line "
        "FROM letter_agents a JOIN letters l ON l.id = a.letter_id "
        "WHERE a.ref IS NOT NULL AND a.entry_id IS NULL"
    )
    for (ref, action), group in _first_occurrences(rows, ("ref", "action")):
        diags.warning(
            group[0]["path"],
            group[0]["line"],
            "unknown-ref",
            f"{action} party {ref!r} matches no register entry ({len(group)} letter(s))",
        )


def _party_names(store: Store) -> None:
    """Parties given by register id only (a catalogue's or front matter's ``p-orlov``) take the
    entry's name, in ``letter_agents`` and in the letter's sender/addressee display names."""
    rows = store.execute(
        "SELECT a.letter_id, a.action, a.position, e.name FROM letter_agents a "
        "JOIN entries e ON e.id = a.entry_id WHERE COALESCE(a.name, '') = ''"
    )
    if not rows:
        return
    store.executemany(
        "UPDATE letter_agents SET name = ? WHERE letter_id = ? AND action = ? AND position = ?",
        [(r["name"], r["letter_id"], r["action"], r["position"]) for r in rows],
    )
    letters = sorted({r["letter_id"] for r in rows})
    updates = []
    for lid in letters:
        parties = store.execute(
            "SELECT action, name, kind FROM letter_agents WHERE letter_id = ? "
            "AND action IN ('sent', 'received') ORDER BY action, position",
            (lid,),
        )
        names = {}
        for action in ("sent", "received"):
            agents = [p for p in parties if p["action"] == action]
            persons = [p for p in agents if p["kind"] == "person"] or agents
            names[action] = "; ".join(p["name"] for p in persons if p["name"])
        updates.append((names["sent"], names["received"], lid))
    store.executemany("UPDATE letters SET sender = ?, addressee = ? WHERE id = ?", updates)


def _first_occurrences(rows, keys):
    """Rows grouped by ``keys`` in key order, each group sorted by (path, line)."""
    groups = defaultdict(list)
    for r in rows:
        groups[tuple(r[k] for k in keys)].append(r)
    for key in sorted(groups, key=lambda k: tuple(x or "" for x in k)):
        group = sorted(groups[key], key=lambda r: (r["path"] or "", r["line"] or 0))
        yield key, group


def _number(store: Store) -> None:
    rows = store.execute(
        "SELECT id, earliest, latest, ord, source_index FROM letters "
        "ORDER BY earliest IS NULL, earliest, latest, COALESCE(ord, 0), source_index, id"
    )
    per_year: dict[int, int] = defaultdict(int)
    updates = []
    for number, r in enumerate(rows, 1):
        year = int(r["earliest"][:4]) if r["earliest"] else None
        n_year = None
        if year is not None:
            per_year[year] += 1
            n_year = per_year[year]
        updates.append((number, year, n_year, r["id"]))
    store.executemany(
        "UPDATE letters SET number = ?, year = ?, number_in_year = ? WHERE id = ?", updates
    )
    links = []
    for prev, nxt in zip(rows, rows[1:], strict=False):
        links.append((nxt["id"], "prev-edition", prev["id"], None))
        links.append((prev["id"], "next-edition", nxt["id"], None))
    store.insert("letter_links", links)


def _links(store: Store, diags: Diagnostics) -> None:
    rows = store.execute(
        "SELECT k.letter_id, k.type, k.target, l.source_path AS path, l.source_line AS line "
        "FROM letter_links k JOIN letters l ON l.id = k.letter_id "
        "WHERE k.type NOT IN ('source-url') AND NOT EXISTS (SELECT 1 FROM letters t WHERE t.id = k.target) "
        "ORDER BY l.number, k.type, k.target"
    )
    for r in rows:
        severity = "warning" if r["type"] in ("reply-to", "answered-by") else "info"
        diags.add(
            r["path"],
            r["line"],
            severity,
            "missing-letter",
            f"{r['type']} link from {r['letter_id']} to {r['target']!r}, which is not in the edition",
        )
    store.execute(
        "INSERT INTO letter_links SELECT k.target, 'answered-by', k.letter_id, NULL FROM letter_links k "
        "WHERE k.type = 'reply-to' AND EXISTS (SELECT 1 FROM letters t WHERE t.id = k.target) "
        "AND NOT EXISTS (SELECT 1 FROM letter_links b WHERE b.letter_id = k.target "
        "AND b.type = 'answered-by' AND b.target = k.letter_id)"
    )


def _terms(store: Store) -> None:
    store.execute(
        "UPDATE letter_terms SET entry_id = (SELECT n.entry_id FROM entry_names n JOIN entries e "
        "ON e.id = n.entry_id WHERE e.kind = 'term' AND n.name = letter_terms.term LIMIT 1) "
        "WHERE entry_id IS NULL"
    )
    # an explicit @corresp may use a URI or an id: map through aliases
    store.execute(
        "UPDATE letter_terms SET entry_id = (SELECT a.entry_id FROM entry_aliases a "
        "WHERE a.alias = letter_terms.entry_id) WHERE entry_id IS NOT NULL"
    )


def _org_structure(store: Store, diags: Diagnostics) -> None:
    known = {r["id"] for r in store.execute("SELECT id FROM entries WHERE kind = 'org'")}
    rows = store.execute("SELECT org, parent, source_path, source_line FROM org_relations_pending")
    for r in rows:
        if r["org"] not in known or r["parent"] not in known:
            missing = r["org"] if r["org"] not in known else r["parent"]
            diags.warning(
                r["source_path"],
                r["source_line"],
                "unknown-ref",
                f"organisation {missing!r} in a partOf relation matches no register entry",
            )
    store.execute(
        "INSERT INTO org_relations SELECT org, parent, from_, to_, type FROM org_relations_pending"
    )
    store.execute("DELETE FROM org_relations_pending")


def _standoff(store: Store, diags: Diagnostics, project) -> None:
    letters = {r["id"] for r in store.execute("SELECT id FROM letters")}
    root = Path(project.root)
    if "subjects" in project.coding:
        path = root / project.coding["subjects"]
        rows = []
        with open(path, newline="", encoding="utf-8") as fh:
            for line, rec in enumerate(csv.DictReader(fh), 2):
                lid, subj = (rec.get("letter") or "").strip(), (rec.get("subject") or "").strip()
                if lid not in letters:
                    diags.warning(
                        str(path),
                        line,
                        "missing-letter",
                        f"subjects.csv names letter {lid!r}, not in the edition",
                    )
                    continue
                rows.append((lid, subj.lstrip("#"), "standoff"))
        store.insert("letter_subjects", rows)
    if "matters" in project.coding:
        path = root / project.coding["matters"]
        rows = []
        with open(path, newline="", encoding="utf-8") as fh:
            for line, rec in enumerate(csv.DictReader(fh), 2):
                rec = {k: (v or "").strip() or None for k, v in rec.items() if k}
                if rec.get("letter") not in letters:
                    diags.warning(
                        str(path),
                        line,
                        "missing-letter",
                        f"matters.csv names letter {rec.get('letter')!r}, not in the edition",
                    )
                    continue
                if not rec.get("id"):
                    diags.warning(
                        str(path),
                        line,
                        "missing-id",
                        "matters.csv row has no id; give each matter an id",
                    )
                    continue
                rows.append(
                    (
                        rec["id"],
                        rec["letter"],
                        (rec.get("subject") or "").lstrip("#") or None,
                        rec.get("raised_by"),
                        rec.get("addressed_to"),
                        rec.get("status"),
                        rec.get("outcome"),
                        rec.get("answers"),
                        rec.get("summary") or "",
                        "standoff",
                    )
                )
        existing = {r["id"] for r in store.execute("SELECT id FROM matters")}
        for r in rows:
            if r[0] in existing:
                diags.warning(
                    str(path),
                    None,
                    "duplicate-id",
                    f"matter {r[0]!r} is coded twice; the TEI one is kept",
                )
        store.insert("matters", [r for r in rows if r[0] not in existing])
