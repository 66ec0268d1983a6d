"""The reading room's facts: everything every page needs about every other page, read once.

The static build and ``epistola serve`` both make one :class:`ReadingRoom` from a stored edition
and ask it for pages by URL (``room.page(path)``). Reading everything first (letter summaries,
register names, who wrote to whom, who is mentioned where, links) keeps every page consistent
and makes each page cheap: only a letter's own text is read when its page is rendered.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter, defaultdict
from functools import cached_property
from pathlib import Path

from ..edition import Edition
from ..model.letters import letter_label
from ..model.refs import resolve_ref
from ..model.registers import life_span
from . import urls
from .i18n import Translator, interface_language, localise_date, localise_label

SUMMARY_COLUMNS = (
    "id, number, year, number_in_year, title, kind, date_display, certainty, sender, "
    "addressee, place_sent, place_received, languages, has_notes, has_facsimile, earliest, "
    "latest, source_path"
)


class ReadingRoom:
    """Bulk-loaded facts about one edition, plus the page registry (``paths``/``page``)."""

    def __init__(self, edition: Edition, *, project_root: str | Path | None = None):
        self.edition = edition
        self.cache: dict = {}  # derived lists pages share (register groups...)
        self.store = edition.store
        s = self.store
        self.meta = edition.meta
        root = project_root or s.get_meta("project_root")
        self.project_root = Path(root) if root else None
        self.letters: dict[str, dict] = {}
        for r in s.execute(f"SELECT {SUMMARY_COLUMNS} FROM letters ORDER BY number"):
            # the data (JSON, API) keep the edition's own forms; pages show the interface's
            r["data_label"] = letter_label(r["id"], r["year"], r["number_in_year"])
            r["data_date_display"] = r["date_display"]
            r["label"] = localise_label(r["data_label"], self.ui_lang)
            r["date_display"] = localise_date(r["date_display"], self.ui_lang)
            self.letters[r["id"]] = r
        self.order = list(self.letters)
        self.entries: dict[str, dict] = {
            r["id"]: r
            for r in s.execute(
                "SELECT id, kind, name, sort_name, note, from_letter FROM entries "
                "ORDER BY kind, lower(sort_name), sort_name"
            )
        }
        self.aliases = dict(self.tuples("SELECT alias, entry_id FROM entry_aliases"))
        self.agents: dict[str, list[dict]] = defaultdict(list)
        self.sent_by: dict[str, list[str]] = defaultdict(list)
        self.received_by: dict[str, list[str]] = defaultdict(list)
        self.place_letters: dict[str, set[str]] = defaultdict(set)
        for r in s.execute(
            "SELECT letter_id, action, position, entry_id, name, kind, place_ref, place_name "
            "FROM letter_agents ORDER BY letter_id, action, position"
        ):
            self.agents[r["letter_id"]].append(r)
            if r["entry_id"] in self.entries:
                if r["action"] == "sent":
                    self.sent_by[r["entry_id"]].append(r["letter_id"])
                elif r["action"] == "received":
                    self.received_by[r["entry_id"]].append(r["letter_id"])
            place = self.resolve(r["place_ref"])
            if place:
                self.place_letters[place].add(r["letter_id"])
        self.mentioned_in: dict[str, set[str]] = defaultdict(set)
        self.mentions: dict[str, set[str]] = defaultdict(set)
        entries = self.entries
        for lid, eid in self.tuples("SELECT DISTINCT letter_id, entry_id FROM letter_mentions"):
            if eid in entries:
                self.mentioned_in[eid].add(lid)
                self.mentions[lid].add(eid)
        self.links: dict[str, dict[str, str]] = defaultdict(dict)
        for lid, typ, target in self.tuples("SELECT letter_id, type, target FROM letter_links"):
            if target in self.letters:
                self.links[lid].setdefault(typ, target)
        self._derive_correspondence_links()
        self.terms: dict[str, set[str]] = defaultdict(set)
        for r in s.execute(
            "SELECT DISTINCT letter_id, entry_id FROM letter_terms WHERE entry_id IS NOT NULL"
        ):
            self.terms[r["entry_id"]].add(r["letter_id"])
        self.term_by_text = {
            r["name"]: r["entry_id"]
            for r in s.execute(
                "SELECT n.name, n.entry_id FROM entry_names n JOIN entries e ON e.id = n.entry_id "
                "WHERE e.kind = 'term'"
            )
        }
        self.org_relations = s.execute("SELECT org, parent, from_, to_, type FROM org_relations")
        self.front = edition.front()
        self.photographs = s.execute("SELECT * FROM photographs ORDER BY id")
        for p in self.photographs:
            p["persons"] = json.loads(p["persons"] or "[]")
        self.asset_paths = [r["path"] for r in s.execute("SELECT path FROM assets ORDER BY path")]

    def _derive_correspondence_links(self) -> None:
        """Previous/next within the correspondence where the sources give none: the letters
        exchanged between the same two parties (either way), in edition order."""
        pairs: dict[frozenset, list[str]] = defaultdict(list)
        for lid in self.order:
            if {"prev-corresp", "next-corresp"} & set(self.links.get(lid, ())):
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
                self.links[b].setdefault("prev-corresp", a)
                self.links[a].setdefault("next-corresp", b)

    def tuples(self, sql: str, params=()) -> list[tuple]:
        return self.store.tuples(sql, params)

    # -- lookups -----------------------------------------------------------------------------
    def resolve(self, ref: str | None) -> str | None:
        """A reference (id, #id or authority URI) -> the register entry id, or None."""
        if not ref:
            return None
        found = resolve_ref(ref, self.aliases)
        return found if found in self.entries else None

    def entry_data(self, entry_id: str) -> dict:
        rows = self.store.execute("SELECT data FROM entries WHERE id = ?", (entry_id,))
        return json.loads(rows[0]["data"]) if rows else {}

    def entry_href(self, entry_id: str, root: str) -> str | None:
        e = self.entries.get(entry_id)
        path = urls.entry_path(e["kind"], entry_id) if e else None
        return root + path if path else None

    @cached_property
    def month_counts(self) -> dict:
        """(year, month) -> number of letters whose earliest possible day falls in that month."""
        c: Counter = Counter()
        for r in self.letters.values():
            if r["earliest"]:
                c[(int(r["earliest"][:4]), int(r["earliest"][5:7]))] += 1
        return c

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
    def org_existence(self) -> dict[str, str]:
        """Organisation id -> "1917 – 1991" where the register gives when it existed."""
        out = {}
        for r in self.store.execute("SELECT id, existed_from, existed_to FROM organisations"):
            if r["existed_from"] or r["existed_to"]:
                out[r["id"]] = f"{r['existed_from'] or '?'} – {r['existed_to'] or ''}".strip()
        return out

    @cached_property
    def asset_set(self) -> frozenset[str]:
        return frozenset(self.asset_paths)

    @cached_property
    def glossary(self) -> dict[str, dict]:
        """Glossary entries (term id -> stored entry), few enough to hold whole."""
        return {
            r["id"]: json.loads(r["data"])
            for r in self.store.execute(
                "SELECT id, data FROM entries WHERE kind = 'term' ORDER BY lower(sort_name), sort_name"
            )
        }

    def glossary_expansion(self, term_id: str) -> str:
        exp = self.glossary.get(term_id, {}).get("expansions") or {}
        return exp.get(self.lang) or next(iter(exp.values()), "") or self.entries[term_id]["name"]

    @cached_property
    def lang(self) -> str:
        """The site's language: the project's first language, else the letters' commonest."""
        if self.meta.languages:
            return self.meta.languages[0]
        langs = Counter(
            (r["languages"] or "").split(" ")[0].split("-")[0] for r in self.letters.values()
        )
        langs.pop("", None)
        return langs.most_common(1)[0][0] if langs else "en"

    @cached_property
    def ui_lang(self) -> str:
        """The interface's language: [edition] interface_language, else the site's language."""
        if self.meta.interface_language or self.meta.languages:
            return interface_language(self.meta)
        langs = Counter(
            (r[0] or "").split(" ")[0].split("-")[0]
            for r in self.tuples("SELECT languages FROM letters")
        )
        langs.pop("", None)
        return interface_language(self.meta, langs.most_common(1)[0][0] if langs else "en")

    @cached_property
    def t(self) -> Translator:
        return Translator(self.ui_lang)

    @cached_property
    def years(self) -> list[int | None]:
        ys = sorted({r["year"] for r in self.letters.values() if r["year"] is not None})
        if any(r["year"] is None for r in self.letters.values()):
            ys.append(None)
        return ys

    @cached_property
    def has(self) -> dict:
        kinds = Counter(e["kind"] for e in self.entries.values())
        return {
            "glossary": kinds.get("term", 0) > 0,
            "photographs": bool(self.photographs),
            "analyses": analyses_available(),
            "map": bool(self.coords),
            **{f"kind_{k}": n for k, n in kinds.items()},
        }

    def letters_of(self, ids) -> list[dict]:
        """Summaries of the given letters in edition order."""
        rows = [self.letters[i] for i in set(ids) if i in self.letters]
        return sorted(rows, key=lambda r: r["number"] or 0)

    def summary_key(self, letter_id: str) -> str:
        """What lists of letters show about a letter: changes here touch every list with it."""
        r = self.letters.get(letter_id)
        if r is None:
            return ""
        return "|".join(
            str(r[k])
            for k in (
                "id", "number", "label", "date_display", "certainty", "sender",
                "addressee", "kind", "place_sent", "title",
            )
        )  # fmt: skip

    def digest(self, *parts) -> str:
        """One digest of plain values (str, numbers, lists and tuples of them)."""
        return hashlib.sha1(repr(parts).encode()).hexdigest()


def analyses_available() -> bool:
    """Is the analyses stage installed? (Looked up, not imported: it pulls in charting.)"""
    from importlib.util import find_spec

    try:
        # the package's spec, not its module's: finding epistola.analyse.pages would import
        # epistola.analyse, and with it the charting library (seconds, on every site build)
        spec = find_spec("epistola.analyse")
    except ImportError:
        return False
    return spec is not None and any(
        os.path.exists(os.path.join(d, "pages.py")) for d in spec.submodule_search_locations or ()
    )
