"""Every page of the reading room by its path: what exists, what it depends on, how it looks.

    pages = Pages(edition)           # reads the facts once (see room.py)
    pages.paths()                    # every path the site has (html, json, xml, csv, svg)
    pages.render("letters/L1.html")  # bytes
    pages.inputs("letters/L1.html")  # digest of everything that page shows (incremental builds)

The static build (site.py) writes ``render(p)`` for each ``p`` whose ``inputs`` changed; the
server (web/) answers a request for ``p`` with ``render(p)``. One renderer, one URL layout.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from functools import cached_property
from pathlib import Path

from ..edition import Edition
from ..errors import UnknownEntry
from ..plugins import PAGES
from . import letter_page, page_kinds, register_pages, urls  # noqa: F401  (page_kinds registers)
from .room import ReadingRoom
from .templating import make_environment, templates_digest


class Pages:
    """The reading room of one edition. ``served`` marks pages made by ``epistola serve``
    (search then answers on the server instead of in the browser)."""

    def __init__(self, edition: Edition, *, served: bool = False, project_root=None):
        self.room = ReadingRoom(edition, project_root=project_root)
        self.served = served
        self.env = make_environment(self.room.project_root, self.room.ui_lang)
        self.letter_by_slug = {urls.slug(i): i for i in self.room.letters}
        self.entry_by_slug = {
            (urls.REGISTER_DIRS[e["kind"]], urls.slug(i)): i
            for i, e in self.room.entries.items()
            if e["kind"] in urls.REGISTER_DIRS
        }

    # -- what exists (the page kinds of page_kinds.py, in registration order) ---------------
    def paths(self, *, analyses: bool = True) -> list[str]:
        """Every page path; ``analyses=False`` leaves out the analyses (slow to compute: the
        static build makes them in a process of their own, and only when their inputs change)."""
        out: list[str] = []
        for kind in PAGES.values():
            if analyses or not kind.slow:
                out += kind.paths(self)
        return out

    def kind_of(self, path: str):
        """(page kind, key) of the page at ``path``; raises UnknownEntry for no such page."""
        for kind in PAGES.values():
            key = kind.match(self, path)
            if key is not None:
                return kind, key
        raise UnknownEntry(f"no page {path!r} in this reading room")

    def analyses_inputs(self) -> str:
        """A digest of the tables the analyses read: the letters' metadata (not their texts,
        except for letters coded with subjects), parties, mentions, links, coding, registers."""
        h = hashlib.sha1()
        for sql in (
            "SELECT id, number, year, number_in_year, kind, edtf, earliest, latest, certainty, "
            "sender, addressee, place_sent, place_received, languages, words FROM letters",
            "SELECT * FROM letter_agents", "SELECT * FROM letter_mentions",
            "SELECT * FROM letter_links", "SELECT * FROM letter_subjects", "SELECT * FROM matters",
            "SELECT * FROM quantities", "SELECT id, kind, name, sort_name FROM entries",
            "SELECT * FROM entry_aliases", "SELECT * FROM org_relations",
            "SELECT l.data FROM letters l WHERE l.id IN (SELECT letter_id FROM letter_subjects)",
            "SELECT id, version, deleted FROM annotations ORDER BY id",  # they count too
        ):  # fmt: skip
            h.update(marshal.dumps(self.room.tuples(sql)))
        h.update(self.global_digest.encode())
        return h.hexdigest()

    @cached_property
    def history(self) -> list[dict]:
        """The edition's versions, newest first (versions.py); empty for older editions."""
        return list(reversed(self.room.store.get_meta("history") or []))

    # -- what a page depends on ---------------------------------------------------------------
    @cached_property
    def global_digest(self) -> str:
        room = self.room
        return room.digest(
            templates_digest(room.project_root),
            json.dumps(room.store.get_meta("edition"), sort_keys=True),
            sorted(room.has.items()),
            room.lang,
            self.served,
            hashlib.sha1(json.dumps(room.glossary, sort_keys=True).encode()).hexdigest(),
            room.asset_paths,
            bool(self.history),
        )

    @cached_property
    def _digests(self) -> tuple[dict[str, str], dict[str, str], dict[str, list[str]]]:
        """Digests of every letter's and entry's stored data; the entries each entry names."""
        letters, entries, refs = {}, {}, {}
        sha1 = hashlib.sha1
        for lid, data in self.room.tuples("SELECT id, data FROM letters"):
            letters[lid] = sha1(data.encode()).hexdigest()
        for eid, data in self.room.tuples("SELECT id, data FROM entries"):
            entries[eid] = sha1(data.encode()).hexdigest()
            d = json.loads(data)
            refs[eid] = [x for x in (d.get("part_of"), d.get("org"), *d.get("authors", ())) if x]
        for r in self.room.org_relations:
            refs.setdefault(r["org"], []).append(r["parent"])
            refs.setdefault(r["parent"], []).append(r["org"])
        return letters, entries, refs

    @cached_property
    def _summaries(self) -> dict[str, str]:
        return {lid: self.room.summary_key(lid) for lid in self.room.letters}

    @cached_property
    def letter_inputs(self) -> dict[str, str]:
        room, g, summ = self.room, self.global_digest, self._summaries
        letters, _, _ = self._digests
        out = {}
        for lid in room.letters:
            out[lid] = room.digest(
                g,
                letters[lid],
                summ[lid],
                sorted((k, summ[t]) for k, t in room.links.get(lid, {}).items()),
                sorted(room.entries[e]["name"] for e in room.mentions.get(lid, ())),
                [
                    room.entries.get(a["entry_id"] or "", {}).get("name")
                    for a in room.agents.get(lid, ())
                ],
                letter_page.letter_version(room, lid),  # its citation names the version
            )
        return out

    def entry_inputs(self, eid: str) -> str:
        room, summ = self.room, self._summaries
        _, entries, refs = self._digests
        return room.digest(
            self.global_digest,
            entries[eid],
            sorted(summ[i] for i in register_pages.related_letters(room, eid)),
            [(x, room.entries.get(x, {}).get("name")) for x in refs.get(eid, ())],
            [p for p in room.photographs if eid in p["persons"]],
            sorted(room.sent_by.get(eid, ())),
            sorted(room.received_by.get(eid, ())),
            room.life.get(eid),
        )

    def index_inputs(self, kind: str, path: str) -> str:
        """A register index shows names, notes and letter numbers of its entries."""
        room = self.room
        groups = register_pages.register_groups(room, kind)
        split = sum(len(g) for _, g in groups) > register_pages.SPLIT_AT
        parts = [self.global_digest, path, [c for c, _ in groups]]
        for c, g in groups:
            if split and not path.endswith(f"index-{register_pages.initial_key(c)}.html"):
                continue
            for e in g:
                related = register_pages.related_letters(room, e["id"])
                nums = sorted(
                    (room.letters[i]["number"] or 0, room.letters[i]["label"]) for i in related
                )
                parts.append(
                    (
                        e["id"],
                        e["name"],
                        e["note"],
                        room.life.get(e["id"]),
                        room.coords.get(e["id"]),
                        nums,
                    )
                )
        if kind == "org":
            parts.append((room.org_relations, sorted(room.org_existence.items())))
        return room.digest(*parts)

    def inputs(self, path: str) -> str:
        """A digest of everything the page at ``path`` shows: equal digests, equal pages."""
        kind, key = self.kind_of(path)
        digest = kind.inputs(self, key, path) if kind.inputs else None
        if digest is not None:
            return digest
        # other pages: their whole context is cheap to compute and is what they show
        template, ctx = self.context(path)
        return self.room.digest(
            self.global_digest, path, template, json.dumps(ctx, sort_keys=True, default=str)
        )

    # -- how it looks ------------------------------------------------------------------------
    def context(self, path: str) -> tuple[str, dict]:
        """(template name, context) for an HTML page; raises UnknownEntry for no such page."""
        kind, key = self.kind_of(path)
        found = kind.context(self, key, path) if kind.context else None
        if found is None:
            raise UnknownEntry(f"no page {path!r} in this reading room")
        return found

    def base_context(self, path: str) -> dict:
        room = self.room
        return {
            "root": urls.root_of(path),
            "path": path,
            "lang": room.lang,
            "edition": room.meta,
            "has": room.has,
            "has_changes": bool(self.history),
            "served": self.served,
        }

    def render_html(self, path: str, extra: dict | None = None) -> str:
        template, ctx = self.context(path)
        return self.env.get_template(template).render(
            {**self.base_context(path), **ctx, **(extra or {})}
        )

    def render(self, path: str) -> bytes:
        kind, key = self.kind_of(path)
        data = kind.render(self, key, path) if kind.render else None
        return data if data is not None else self.render_html(path).encode()

    # -- analyses (written by the analyses stage, shown with our base template) ---------------
    @property
    def analyses(self) -> dict:
        """path -> (template, context) for HTML, or bytes for .csv/.svg; empty without analyses.
        Made again when the research server's annotations changed (they count in analyses)."""
        stamp = self.room.store.get_meta("annotations_changed") if self.served else None
        kept = self.__dict__.get("_analyses")
        if kept is None or kept[0] != stamp:
            kept = self.__dict__["_analyses"] = (stamp, self._make_analyses())
        return kept[1]

    def _make_analyses(self) -> dict:
        try:
            from ..analyse import ANALYSES
            from ..analyse.pages import COUNT_ANNOTATIONS, analysis_pages
        except ImportError:
            return {}
        out: dict = {}
        # the analyses that do not count annotations are made once; the others again
        if "_fixed_analyses" not in self.__dict__:
            self.__dict__["_fixed_analyses"] = analysis_pages(
                self.room.edition,
                only=set(ANALYSES) - set(COUNT_ANNOTATIONS),
                lang=self.room.ui_lang,
            )
        pages = self.__dict__["_fixed_analyses"] + analysis_pages(
            self.room.edition, only=COUNT_ANNOTATIONS, lang=self.room.ui_lang
        )
        order = {name: i for i, name in enumerate(ANALYSES)}
        pages.sort(key=lambda p: order[p["analysis"]])  # stable: views stay in their order
        out["analyses/index.html"] = ("analyses/index.html", {"title": "Analyses", "pages": pages})
        for p in pages:
            slug = p["slug"]
            out[f"analyses/{slug}.html"] = (
                "analyses/analysis.html",
                {"title": p["title"], "page": p, "pages": pages},
            )
            out[f"analyses/{slug}.csv"] = (p.get("csv") or "").encode()
            out[f"analyses/{slug}.svg"] = (p.get("svg") or "").encode()
        return out

    def asset(self, path: str) -> bytes | None:
        """An image bundled with the edition (photographs/..., facsimiles/...)."""
        rows = self.room.store.execute("SELECT data FROM assets WHERE path = ?", (path,))
        return bytes(rows[0]["data"]) if rows else None


def static_root() -> Path:
    from .templating import PACKAGE_STATIC

    return PACKAGE_STATIC
