"""Reading a stored edition from Python: letters, registers, front matter, diagnostics.

    >>> from epistola import open_edition
    >>> ed = open_edition("sample.sqlite")
    >>> [l.label for l in ed.letters(year=1931, sender="p-ivanov")][:3]
    >>> ed.person("p-ivanov").name
    >>> ed.letters_frame()            # a pandas DataFrame, where pandas is installed

Records are the model's dataclasses; summaries are plain dicts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from .diagnostics import Diagnostic
from .errors import UnknownEntry
from .facts import EditionFacts
from .model import EditionMeta, Letter
from .model.refs import ref_key
from .model.registers import Entry
from .store import Store, open_store
from .store.codec import entry_from_plain, letter_from_plain

LETTER_COLUMNS = (
    "id, number, year, number_in_year, title, kind, date_display, edtf, earliest, "
    "latest, certainty, sender, addressee, place_sent, place_received, languages, "
    "has_notes, has_facsimile, words"
)


class Edition:
    """A stored edition, opened read-only."""

    def __init__(self, store: Store):
        self.store = store

    @cached_property
    def facts(self) -> EditionFacts:
        """The cached view of this edition that pages and analyses share (facts.py)."""
        return EditionFacts(self)

    # -- metadata ---------------------------------------------------------------------------
    @cached_property
    def meta(self) -> EditionMeta:
        return EditionMeta(**(self.store.get_meta("edition") or {}))

    def counts(self) -> dict:
        s = self.store
        kinds = {
            r["kind"]: r["n"]
            for r in s.execute("SELECT kind, COUNT(*) AS n FROM entries GROUP BY kind")
        }
        return {
            "letters": s.scalar("SELECT COUNT(*) FROM letters"),
            "dated_letters": s.scalar("SELECT COUNT(*) FROM letters WHERE earliest IS NOT NULL"),
            "persons": kinds.get("person", 0),
            "places": kinds.get("place", 0),
            "organisations": kinds.get("org", 0),
            "works": kinds.get("work", 0),
            "events": kinds.get("event", 0),
            "notes": s.scalar("SELECT COUNT(*) FROM notes"),
            "glossary": kinds.get("term", 0),
            # the subject scheme, not the coding vocabularies (status, outcome, stance)
            "subjects": s.scalar(
                "SELECT COUNT(*) FROM subjects WHERE scheme IS NULL "
                "OR scheme NOT IN ('status', 'outcome', 'stance')"
            ),
            "matters": s.scalar("SELECT COUNT(*) FROM matters"),
            "front_matter": s.scalar("SELECT COUNT(*) FROM front"),
            "photographs": s.scalar("SELECT COUNT(*) FROM photographs"),
            "years": [
                r["year"]
                for r in s.execute(
                    "SELECT DISTINCT year FROM letters WHERE year IS NOT NULL ORDER BY year"
                )
            ],
        }

    def diagnostics(self) -> list[Diagnostic]:
        return [
            Diagnostic(**r)
            for r in self.store.execute(
                "SELECT path, line, severity, code, message FROM diagnostics"
            )
        ]

    def info(self) -> dict:
        d = {"title": self.meta.title, **self.counts()}
        d["diagnostics"] = [x.as_dict() for x in self.diagnostics()]
        return d

    # -- letters ----------------------------------------------------------------------------
    def letter(self, letter_id: str) -> Letter:
        rows = self.store.execute(
            "SELECT data, number, year, number_in_year FROM letters WHERE id = ?", (letter_id,)
        )
        if not rows:
            raise UnknownEntry(f"no letter {letter_id!r} in this edition")
        return self._letter(rows[0])

    def _letter(self, row) -> Letter:
        letter = letter_from_plain(json.loads(row["data"]))
        letter.number, letter.year, letter.number_in_year = (
            row["number"],
            row["year"],
            row["number_in_year"],
        )
        letter.links = [
            *letter.links,
            *[
                _link(r)
                for r in self.store.execute(
                    "SELECT type, target, scope FROM letter_links WHERE letter_id = ? AND type IN "
                    "('prev-edition', 'next-edition', 'answered-by')",
                    (letter.id,),
                )
            ],
        ]
        return letter

    def _where(
        self,
        year=None,
        sender=None,
        addressee=None,
        person=None,
        kind=None,
        start=None,
        end=None,
        mentions=None,
    ):
        where, params = [], []
        if year is not None:
            where.append("l.year = ?")
            params.append(int(year))
        if kind:
            from .search.query import edition_kind

            where.append("l.kind = ?")
            params.append(edition_kind(kind))
        if start:
            where.append("l.latest >= ?")
            params.append(start)
        if end:
            where.append("l.earliest <= ?")
            params.append(end)
        for role, value in (("sent", sender), ("received", addressee)):
            if value:
                where.append(
                    "EXISTS (SELECT 1 FROM letter_agents a WHERE a.letter_id = l.id "
                    "AND a.action = ? AND a.entry_id = ?)"
                )
                params += [role, value]
        if person:
            where.append(
                "(EXISTS (SELECT 1 FROM letter_agents a WHERE a.letter_id = l.id AND a.entry_id = ?) "
                "OR EXISTS (SELECT 1 FROM letter_mentions m WHERE m.letter_id = l.id AND m.entry_id = ?))"
            )
            params += [person, person]
        if mentions:
            where.append(
                "EXISTS (SELECT 1 FROM letter_mentions m WHERE m.letter_id = l.id AND m.entry_id = ?)"
            )
            params.append(mentions)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def letters(self, **filters) -> Iterator[Letter]:
        """Letters in edition order; filters: year, sender, addressee, person, mentions, kind,
        start/end (ISO days; a letter matches when its possible dates overlap)."""
        w, p = self._where(**filters)
        for row in self.store.execute(
            f"SELECT data, number, year, number_in_year FROM letters l{w} ORDER BY l.number", p
        ):
            yield self._letter(row)

    def letter_records(self, **filters) -> list[dict]:
        """Plain dicts, one per letter (no text): fast, for tables and DataFrames."""
        w, p = self._where(**filters)
        return self.store.execute(f"SELECT {LETTER_COLUMNS} FROM letters l{w} ORDER BY l.number", p)

    def letters_frame(self, **filters):
        import pandas as pd

        return pd.DataFrame.from_records(self.letter_records(**filters))

    def text(self, letter_id: str) -> str:
        rows = self.store.execute(
            "SELECT text FROM letter_texts WHERE letter_id = ? ORDER BY version", (letter_id,)
        )
        return "\n\n".join(r["text"] for r in rows)

    # -- registers --------------------------------------------------------------------------
    def entry(self, entry_id: str) -> Entry:
        """A register entry by its id or by an authority URI (GND, VIAF, GeoNames...)."""
        rows = self.store.execute(
            "SELECT e.data FROM entries e WHERE e.id = COALESCE((SELECT entry_id FROM entry_aliases "
            "WHERE alias = ?), ?)",
            (ref_key(entry_id), ref_key(entry_id)),
        )
        if not rows:
            raise UnknownEntry(f"no register entry {entry_id!r} in this edition")
        return entry_from_plain(json.loads(rows[0]["data"]))

    person = place = organisation = work = entry

    def entries(self, kind: str) -> list[Entry]:
        """Entries of one kind (person, place, org, work, event, term, subject) by sort name."""
        return [
            entry_from_plain(json.loads(r["data"]))
            for r in self.store.execute(
                "SELECT data FROM entries WHERE kind = ? ORDER BY lower(sort_name), sort_name, id",
                (kind,),
            )
        ]

    def persons(self) -> list[Entry]:
        return self.entries("person")

    def front(self, kind: str | None = None) -> list[dict]:
        if kind:
            return self.store.execute("SELECT * FROM front WHERE kind = ? ORDER BY ord", (kind,))
        return self.store.execute("SELECT * FROM front ORDER BY ord")

    def search(self, q: str = "", **kw) -> dict:
        """Full-text search with filters and facets; see epistola.search.query.search."""
        from .search.query import search

        return search(self.store, q, **kw)

    def close(self) -> None:
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def published_path(path: str | None, project_root: str | Path | None) -> str | None:
    """A source path fit to publish: relative to the project folder, never absolute (an
    absolute path names folders on the machine that built the edition). A file outside the
    project is named by its file name alone."""
    if not path:
        return path
    p = Path(path)
    if project_root:
        root = Path(project_root).resolve()
        try:
            return (p if p.is_absolute() else Path.cwd() / p).resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            pass
    return p.name if p.is_absolute() else p.as_posix()


def _link(r):
    from .model import Link

    return Link(type=r["type"], target=r["target"], scope=r["scope"])


def open_edition(target) -> Edition:
    """Open a stored edition: a SQLite file path or a postgresql:// URL."""
    return Edition(open_store(target))
