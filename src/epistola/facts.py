"""The cached view of one stored edition: what pages and analyses need about every letter and
register entry, read once.

``edition.facts`` (one :class:`EditionFacts` per opened :class:`~epistola.Edition`) is shared by
the reading room (render/room.py: the static site and ``epistola serve``), the analyses
(analyse/: ``epistola stats``, ``/api/stats``, the site's Analyses pages) and the suggesters.
Each fact is read on first use and kept: a page or an analysis that needs only the letters'
summaries reads nothing else. Values are in the edition's own forms (labels like "1931 No. 3",
dates as written); the reading room localises its copies for the interface's language.

It does not import :mod:`epistola.edition` (the edition imports it), and knows nothing of pages
or analyses: render and analyse both depend on it, never the other way round.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import cached_property

from .model.letters import letter_label
from .model.refs import resolve_ref
from .model.registers import life_span

SUMMARY_COLUMNS = (
    "id, number, year, number_in_year, title, kind, date_display, certainty, sender, "
    "addressee, place_sent, place_received, languages, has_notes, has_facsimile, earliest, "
    "latest, words, source_path"
)


class EditionFacts:
    """Bulk-loaded, read-only facts about one edition (``edition.facts``)."""

    def __init__(self, edition):
        self.edition = edition
        self.store = edition.store

    def tuples(self, sql: str, params=()) -> list[tuple]:
        return self.store.tuples(sql, params)

    # -- letters -----------------------------------------------------------------------------
    @cached_property
    def letters(self) -> dict[str, dict]:
        """Letter id -> summary (``SUMMARY_COLUMNS`` and ``label``), in edition order."""
        out = {}
        for r in self.store.execute(f"SELECT {SUMMARY_COLUMNS} FROM letters ORDER BY number"):
            r["label"] = letter_label(r["id"], r["year"], r["number_in_year"])
            out[r["id"]] = r
        return out

    @property
    def annotation_coding(self) -> dict[str, list[dict]]:
        """The research server's annotations as coding rows (model/coding.py), counted with the
        editors' coding. Read afresh on every use, never cached: annotations change without a
        rebuild (web/cache.py forgets the answers that count them)."""
        from .model.coding import annotation_coding

        rows = self.store.execute(
            "SELECT id, letter_id, kind, body, selector FROM annotations WHERE deleted = 0 "
            "AND kind <> 'comment' ORDER BY letter_id, created, id"
        )
        recs = [{**r, "body": json.loads(r["body"]),
                 "selector": json.loads(r["selector"]) if r["selector"] else None}
                for r in rows if r["letter_id"] in self.letters]  # fmt: skip
        return annotation_coding(recs)

    @cached_property
    def order(self) -> list[str]:
        return list(self.letters)

    @cached_property
    def years(self) -> list[int | None]:
        """The letters' years in order; None last where some letter has no year."""
        ys = sorted({r["year"] for r in self.letters.values() if r["year"] is not None})
        if any(r["year"] is None for r in self.letters.values()):
            ys.append(None)
        return ys

    @cached_property
    def month_counts(self) -> dict:
        """(year, month) -> number of letters whose earliest possible day falls in that month."""
        c: Counter = Counter()
        for r in self.letters.values():
            if r["earliest"]:
                c[(int(r["earliest"][:4]), int(r["earliest"][5:7]))] += 1
        return c

    # -- register entries --------------------------------------------------------------------
    @cached_property
    def entries(self) -> dict[str, dict]:
        """Entry id -> id, kind, name, sort_name, note, from_letter (by kind, then sort name)."""
        return {
            r["id"]: r
            for r in self.store.execute(
                "SELECT id, kind, name, sort_name, note, from_letter FROM entries "
                "ORDER BY kind, lower(sort_name), sort_name"
            )
        }

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Alias key (see model/refs.py) -> entry id."""
        return dict(self.tuples("SELECT alias, entry_id FROM entry_aliases"))

    def resolve(self, ref: str | None) -> str | None:
        """A reference (id, #id or authority URI) -> the register entry id, or None."""
        if not ref:
            return None
        found = resolve_ref(ref, self.aliases)
        return found if found in self.entries else None

    def ref_id(self, ref: str | None) -> str | None:
        """A reference as written in coding -> its entry id; an unknown one as written."""
        if not ref:
            return None
        return resolve_ref(ref, self.aliases) or ref.strip().lstrip("#")

    def name(self, entry_id: str | None) -> str | None:
        """The entry's display name; an id without entry as it is."""
        if entry_id is None:
            return None
        e = self.entries.get(entry_id)
        return e["name"] if e else entry_id

    @cached_property
    def kinds(self) -> dict[str, str]:
        """Entry id -> kind (person, org, place...)."""
        return {i: e["kind"] for i, e in self.entries.items()}

    def entry_data(self, entry_id: str) -> dict:
        """The whole stored entry (read when asked, not cached)."""
        rows = self.store.execute("SELECT data FROM entries WHERE id = ?", (entry_id,))
        return json.loads(rows[0]["data"]) if rows else {}

    @cached_property
    def term_by_text(self) -> dict[str, str]:
        """Every name of a glossary term -> the term's id."""
        return {
            r["name"]: r["entry_id"]
            for r in self.store.execute(
                "SELECT n.name, n.entry_id FROM entry_names n JOIN entries e ON e.id = n.entry_id "
                "WHERE e.kind = 'term'"
            )
        }

    @cached_property
    def glossary(self) -> dict[str, dict]:
        """Glossary entries (term id -> stored entry), few enough to hold whole."""
        return {
            r["id"]: json.loads(r["data"])
            for r in self.store.execute(
                "SELECT id, data FROM entries WHERE kind = 'term' ORDER BY lower(sort_name), sort_name"
            )
        }

    @cached_property
    def coords(self) -> dict[str, tuple[float, float]]:
        """Place id -> (lat, lon) where the register gives coordinates."""
        return {
            i: (lat, lon)
            for i, lat, lon in self.tuples("SELECT id, lat, lon FROM places")
            if lat is not None and lon is not None
        }

    @cached_property
    def life(self) -> dict[str, str]:
        """Person id -> "1862–1931" (life dates, years only; "?" for the unknown end)."""
        out = {}
        for r in self.store.execute("SELECT id, birth, death FROM persons"):
            life = life_span(r["birth"], r["death"])
            if life:
                out[r["id"]] = life
        return out

    @cached_property
    def org_relations(self) -> list[dict]:
        return self.store.execute("SELECT org, parent, from_, to_, type FROM org_relations")

    @cached_property
    def org_existence(self) -> dict[str, str]:
        """Organisation id -> "1917 – 1991" where the register gives when it existed."""
        out = {}
        for r in self.store.execute("SELECT id, existed_from, existed_to FROM organisations"):
            if r["existed_from"] or r["existed_to"]:
                out[r["id"]] = f"{r['existed_from'] or '?'} – {r['existed_to'] or ''}".strip()
        return out

    @cached_property
    def subject_labels(self) -> dict[str, str]:
        """Subject id -> its label."""
        return {i: e["name"] for i, e in self.entries.items() if e["kind"] == "subject"}

    @cached_property
    def subject_parents(self) -> dict[str, str | None]:
        return {r["id"]: r["parent"] for r in self.store.execute("SELECT id, parent FROM subjects")}

    def top_subject(self, sid: str) -> str:
        """The subject at the top of ``sid``'s scheme (itself when it has no parent)."""
        seen = set()
        while self.subject_parents.get(sid) and sid not in seen:
            seen.add(sid)
            sid = self.subject_parents[sid]
        return sid

    # -- who wrote to whom, who is named where -----------------------------------------------
    @cached_property
    def agents(self) -> dict[str, list[dict]]:
        """Letter id -> its correspAction parties (every action), in source order."""
        out: dict[str, list[dict]] = defaultdict(list)
        for r in self.store.execute(
            "SELECT letter_id, action, position, ref, entry_id, name, kind, place_ref, "
            "place_name FROM letter_agents ORDER BY letter_id, action, position"
        ):
            out[r["letter_id"]].append(r)
        return out

    @cached_property
    def _by_party(self) -> tuple[dict, dict, dict]:
        sent_by: dict[str, list[str]] = defaultdict(list)
        received_by: dict[str, list[str]] = defaultdict(list)
        place_letters: dict[str, set[str]] = defaultdict(set)
        for lid, rows in self.agents.items():
            for r in rows:
                if r["entry_id"] in self.entries:
                    if r["action"] == "sent":
                        sent_by[r["entry_id"]].append(lid)
                    elif r["action"] == "received":
                        received_by[r["entry_id"]].append(lid)
                place = self.resolve(r["place_ref"])
                if place:
                    place_letters[place].add(lid)
        return sent_by, received_by, place_letters

    @property
    def sent_by(self) -> dict[str, list[str]]:
        """Entry id -> the letters it sent (entries of the registers only)."""
        return self._by_party[0]

    @property
    def received_by(self) -> dict[str, list[str]]:
        return self._by_party[1]

    @property
    def place_letters(self) -> dict[str, set[str]]:
        """Place id -> the letters sent from or received at it."""
        return self._by_party[2]

    @cached_property
    def parties(self) -> dict[str, dict[str, list]]:
        """letter id -> {"sent": [entry ids or None], "received": [...]}, in source order;
        parties with neither reference, name nor kind are left out."""
        out: dict[str, dict[str, list]] = {}
        for lid, rows in self.agents.items():
            for r in rows:
                if r["action"] not in ("sent", "received"):
                    continue
                if r["ref"] is None and r["name"] is None and r["kind"] is None:
                    continue
                out.setdefault(lid, {"sent": [], "received": []})[r["action"]].append(r["entry_id"])
        return out

    def senders(self, letter_id: str) -> list:
        return self.parties.get(letter_id, {}).get("sent", [])

    def addressees(self, letter_id: str) -> list:
        return self.parties.get(letter_id, {}).get("received", [])

    @cached_property
    def _mention_index(self) -> tuple[dict, dict]:
        mentioned_in: dict[str, set[str]] = defaultdict(set)
        mentions: dict[str, set[str]] = defaultdict(set)
        entries = self.entries
        for lid, eid in self.tuples("SELECT DISTINCT letter_id, entry_id FROM letter_mentions"):
            if eid in entries:
                mentioned_in[eid].add(lid)
                mentions[lid].add(eid)
        return mentioned_in, mentions

    @property
    def mentioned_in(self) -> dict[str, set[str]]:
        """Entry id -> the letters naming it (anywhere: text, notes, signatures)."""
        return self._mention_index[0]

    @property
    def mentions(self) -> dict[str, set[str]]:
        """Letter id -> the register entries it names."""
        return self._mention_index[1]

    @cached_property
    def terms(self) -> dict[str, set[str]]:
        """Glossary term id -> the letters using it."""
        out: dict[str, set[str]] = defaultdict(set)
        for r in self.store.execute(
            "SELECT DISTINCT letter_id, entry_id FROM letter_terms WHERE entry_id IS NOT NULL"
        ):
            out[r["entry_id"]].add(r["letter_id"])
        return out

    @cached_property
    def links(self) -> dict[str, dict[str, str]]:
        """Letter id -> link type -> letter id (the sources' links to letters of the edition,
        plus previous/next in the correspondence where the sources give none)."""
        links: dict[str, dict[str, str]] = defaultdict(dict)
        for lid, typ, target in self.tuples("SELECT letter_id, type, target FROM letter_links"):
            if target in self.letters:
                links[lid].setdefault(typ, target)
        self._derive_correspondence_links(links)
        return links

    def _derive_correspondence_links(self, links: dict[str, dict[str, str]]) -> None:
        """Previous/next within the correspondence where the sources give none: the letters
        exchanged between the same two parties (either way), in edition order."""
        pairs: dict[frozenset, list[str]] = defaultdict(list)
        for lid in self.order:
            if {"prev-corresp", "next-corresp"} & set(links.get(lid, ())):
                continue
            parties = self.agents.get(lid, ())
            s = next(
                (a["entry_id"] for a in parties if a["action"] == "sent" and a["entry_id"]), None
            )
            r = next(
                (a["entry_id"] for a in parties if a["action"] == "received" and a["entry_id"]),
                None,
            )
            if s and r and s != r:
                pairs[frozenset((s, r))].append(lid)
        for ids in pairs.values():
            for a, b in zip(ids, ids[1:], strict=False):
                links[b].setdefault("prev-corresp", a)
                links[a].setdefault("next-corresp", b)

    # -- the rest of the edition -------------------------------------------------------------
    @cached_property
    def front(self) -> list[dict]:
        return self.edition.front()

    @cached_property
    def photographs(self) -> list[dict]:
        rows = self.store.execute("SELECT * FROM photographs ORDER BY id")
        for p in rows:
            p["persons"] = json.loads(p["persons"] or "[]")
        return rows

    @cached_property
    def asset_paths(self) -> list[str]:
        return [r["path"] for r in self.store.execute("SELECT path FROM assets ORDER BY path")]

    @cached_property
    def asset_set(self) -> frozenset[str]:
        return frozenset(self.asset_paths)
