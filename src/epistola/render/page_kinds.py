"""The kinds of page of the reading room, each declared once: its paths, which path is its, and
how it looks. :class:`~epistola.render.pages.Pages` asks them in registration order (the first
whose ``match`` recognises a path answers for it), so the URL layout is written in one place.

Other packages add a kind with :func:`register_page` or an entry point of the group
``epistola.pages`` naming a :class:`PageKind` (the ``pages`` extension point of plugins.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..plugins import PAGES
from . import edition_pages, maps, register_pages, urls
from .letter_page import letter_context, letter_json, letter_xml

_REGISTER = re.compile(r"^(persons|places|orgs|works|events)/(.+)\.html$")


@dataclass(frozen=True)
class PageKind:
    """One kind of page. Every function gets the :class:`Pages` first; ``key`` is what
    ``match`` returned for the path (None: the path is not a page of this kind)."""

    name: str
    paths: Callable  # (pages) -> list of paths
    match: Callable  # (pages, path) -> key | None
    context: Callable | None = None  # (pages, key, path) -> (template, context) | None
    render: Callable | None = None  # (pages, key, path) -> bytes | None (None: the HTML page)
    inputs: Callable | None = None  # (pages, key, path) -> digest; default: of the context
    slow: bool = False  # computed apart by the static build (Pages.paths(analyses=False))


def register_page(kind: PageKind) -> PageKind:
    return PAGES.register(kind.name, kind)


PAGES.adapt = lambda name, obj: obj  # an entry point names a PageKind


def _fixed(name: str, path: str, template: str, context, when=None) -> PageKind:
    """A single page at ``path``; ``when``: shown only when the edition ``has[when]`` (a str)
    or when ``when(pages)`` is true."""

    def shown(pages) -> bool:
        if when is None:
            return True
        return when(pages) if callable(when) else pages.room.has[when]

    return register_page(
        PageKind(
            name,
            paths=lambda pages: [path] if shown(pages) else [],
            match=lambda pages, p: True if p == path and shown(pages) else None,
            context=lambda pages, key, p: (template, context(pages)),
        )
    )


register_page(
    PageKind(
        "home",
        paths=lambda pages: ["index.html"],
        match=lambda pages, p: True if p in ("", "index.html") else None,
        context=lambda pages, key, p: ("home.html", edition_pages.home_context(pages.room)),
    )
)
_fixed("years", "years.html", "years.html", lambda p: edition_pages.years_context(p.room))
_fixed("search", "search.html", "search.html", lambda p: {"title": "Search", "served": p.served})
_fixed(
    "map",
    "map.html",
    "map.html",
    lambda p: {"title": "Routes of the letters by year", "years": maps.routes_by_year(p.room)},
    when="map",
)


def _year_key(pages, path: str):
    if not (path.startswith("years/") and path.endswith(".html")):
        return None
    y = path[6:-5]
    year = None if y == "undated" else int(y) if y.isdigit() else -1
    return ("year", year) if year in pages.room.years else None


register_page(
    PageKind(
        "year",
        paths=lambda pages: [urls.year_path(y) for y in pages.room.years],
        match=_year_key,
        context=lambda pages, key, p: ("year.html", edition_pages.year_context(pages.room, key[1])),
    )
)


def _letter_paths(pages) -> list[str]:
    return [urls.letter_path(lid, s) for lid in pages.room.letters for s in ("html", "json", "xml")]


def _letter_key(pages, path: str):
    if path.startswith("letters/") and path.endswith((".html", ".json", ".xml")):
        return pages.letter_by_slug.get(path[8:].rsplit(".", 1)[0])
    return None


def _letter_render(pages, lid: str, path: str) -> bytes | None:
    if path.endswith(".json"):
        return letter_json(pages.room, lid)
    if path.endswith(".xml"):
        return letter_xml(pages.room, lid)
    return None


register_page(
    PageKind(
        "letter",  # the .html, .json and .xml of a letter share one digest
        paths=_letter_paths,
        match=_letter_key,
        context=lambda pages, lid, p: (
            ("letter.html", letter_context(pages.room, lid)) if p.endswith(".html") else None
        ),
        render=_letter_render,
        inputs=lambda pages, lid, p: pages.letter_inputs[lid],
    )
)


def _index_key(pages, path: str):
    m = _REGISTER.match(path)
    if not m or not (m.group(2) == "index" or m.group(2).startswith("index-")):
        return None
    kind = urls.KIND_OF_DIR[m.group(1)]
    return kind if path in register_pages.register_index_paths(pages.room, kind) else None


def _index_context(pages, kind: str, path: str):
    ctx = register_pages.register_index_context(pages.room, kind, path)
    if kind == "org" and pages.room.org_relations:
        ctx["tree"] = register_pages.org_tree_context(pages.room)
    return "register_index.html", ctx


register_page(
    PageKind(
        "register-index",  # even when empty: every page links the registers
        paths=lambda pages: [
            p
            for kind in urls.REGISTER_DIRS
            for p in register_pages.register_index_paths(pages.room, kind)
        ],
        match=_index_key,
        context=_index_context,
        inputs=lambda pages, kind, p: pages.index_inputs(kind, p),
    )
)


def _entry_key(pages, path: str):
    m = _REGISTER.match(path)
    return pages.entry_by_slug.get(m.groups()) if m else None


register_page(
    PageKind(
        "entry",
        paths=lambda pages: [
            urls.entry_path(e["kind"], i)
            for i, e in pages.room.entries.items()
            if e["kind"] in urls.REGISTER_DIRS
        ],
        match=_entry_key,
        context=lambda pages, eid, p: (
            "entry.html",
            register_pages.entry_context(pages.room, pages.room.entries[eid]["kind"], eid),
        ),
        inputs=lambda pages, eid, p: pages.room.digest(p, pages.entry_inputs(eid)),
    )
)
_fixed(
    "glossary",
    "glossary.html",
    "glossary.html",
    lambda p: register_pages.glossary_context(p.room),
    when="glossary",
)
_fixed(
    "photographs",
    "photographs.html",
    "photographs.html",
    lambda p: register_pages.photographs_context(p.room),
    when="photographs",
)
_fixed(
    "changes",
    "changes.html",
    "changes.html",
    lambda p: edition_pages.changes_context(p.room, p.history),
    when=lambda pages: bool(pages.history),
)


def _front_key(pages, path: str):
    if path.startswith("front/") and path.endswith(".html"):
        fid = path[6:-5]
        if any(urls.slug(f["id"]) == fid for f in pages.room.front):
            return fid
    return None


register_page(
    PageKind(
        "front",
        paths=lambda pages: [
            f"front/{urls.slug(f['id'])}.html"
            for f in pages.room.front
            if f["kind"] != "introduction"
        ],
        match=_front_key,
        context=lambda pages, fid, p: ("front.html", edition_pages.front_context(pages.room, fid)),
    )
)


def _analysis_inputs(pages, key, path: str):
    if path.endswith(".html"):
        return None  # the default: a digest of the context
    return pages.room.digest(path, pages.analyses[path])


register_page(
    PageKind(
        "analysis",  # written by the analyses stage, shown with our base template
        paths=lambda pages: list(pages.analyses),
        match=lambda pages, p: p if p.startswith("analyses/") and p in pages.analyses else None,
        context=lambda pages, key, p: pages.analyses[p] if p.endswith(".html") else None,
        render=lambda pages, key, p: None if p.endswith(".html") else pages.analyses[p],
        inputs=_analysis_inputs,
        slow=True,
    )
)
