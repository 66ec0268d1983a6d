"""Register pages: the name index and each person's page; places, organisations (as the
administrative tree), works, events; the glossary with the letters using each term."""

from __future__ import annotations

from collections import defaultdict

from . import urls
from .linked_data import entry_jsonld
from .maps import entry_map
from .room import ReadingRoom

TITLES = {
    "person": "Name index",
    "place": "Places",
    "org": "Organisations",
    "work": "Works",
    "event": "Events",
}
# A register longer than this is split into one page per initial letter.
SPLIT_AT = 600


def initial(entry: dict) -> str:
    s = (entry["sort_name"] or entry["name"] or "?").lstrip("?[(»«\"' .-")
    c = s[:1].upper()
    return c if c.isalpha() else "#"


def initial_key(c: str) -> str:
    return urls.slug(c.lower()) if c != "#" else "other"


def register_groups(room: ReadingRoom, kind: str) -> list[tuple[str, list[dict]]]:
    cached = room.cache.get(("groups", kind))
    if cached is not None:
        return cached
    groups: dict[str, list[dict]] = defaultdict(list)
    for e in room.entries.values():
        if e["kind"] == kind:
            groups[initial(e)].append(e)
    out = room.cache[("groups", kind)] = sorted(
        groups.items(), key=lambda kv: (kv[0] == "#", kv[0])
    )
    return out


def register_index_paths(room: ReadingRoom, kind: str) -> list[str]:
    folder = urls.REGISTER_DIRS[kind]
    groups = register_groups(room, kind)
    out = [f"{folder}/index.html"]
    if sum(len(g) for _, g in groups) > SPLIT_AT:
        out += [f"{folder}/index-{initial_key(c)}.html" for c, _ in groups]
    return out


def related_letters(room: ReadingRoom, eid: str) -> set[str]:
    return (
        set(room.sent_by.get(eid, ()))
        | set(room.received_by.get(eid, ()))
        | room.mentioned_in.get(eid, set())
        | room.place_letters.get(eid, set())
    )


def numbers_by_year(room: ReadingRoom, ids, root: str) -> list[dict]:
    """Letter numbers grouped by year, as a printed index gives them: 1931: 3, 12, 40."""
    by_year: dict = defaultdict(list)
    for r in room.letters_of(ids):
        by_year[r["year"]].append(
            {
                "n": r["number_in_year"] or r["id"],
                "href": root + urls.letter_path(r["id"]),
                "id": r["id"],
            }
        )
    return [{"year": y if y is not None else "undated", "letters": v} for y, v in by_year.items()]


def register_index_context(room: ReadingRoom, kind: str, path: str) -> dict:
    folder = urls.REGISTER_DIRS[kind]
    root = urls.root_of(path)
    groups = register_groups(room, kind)
    split = sum(len(g) for _, g in groups) > SPLIT_AT
    current = None
    if split and path != f"{folder}/index.html":
        current = next(c for c, _ in groups if path.endswith(f"index-{initial_key(c)}.html"))
    shown = [(c, g) for c, g in groups if not split or c == current]
    entries = []
    for c, g in shown:
        items = []
        for e in g:
            item = {
                "id": e["id"],
                "name": e["name"],
                "note": e["note"],
                "href": root + urls.entry_path(kind, e["id"]),
            }
            if kind == "person":
                item["numbers"] = numbers_by_year(room, related_letters(room, e["id"]), root)
                item["life"] = room.life.get(e["id"], "")
            else:
                item["count"] = len(related_letters(room, e["id"]))
                if kind == "place" and e["id"] in room.coords:
                    item["geo"] = "{:.4f}, {:.4f}".format(*room.coords[e["id"]])
            items.append(item)
        entries.append({"initial": c, "anchor": initial_key(c), "entries": items})
    return {
        "title": room.t(TITLES[kind]) + (f": {current}" if current else ""),
        "kind": kind,
        "split": split,
        "initials": [
            {
                "initial": c,
                "href": (f"index-{initial_key(c)}.html" if split else f"#{initial_key(c)}"),
                "count": len(g),
            }
            for c, g in groups
        ],
        "groups": entries,
        "index_href": "index.html",
    }


def entry_context(room: ReadingRoom, kind: str, eid: str) -> dict:
    root = "../"
    e = room.entries[eid]
    data = room.entry_data(eid)

    def lst(ids):
        return room.letters_of(ids)

    sections = []
    if kind in ("person", "org"):
        sections += [
            ("Letters from", lst(room.sent_by.get(eid, ()))),
            ("Letters to", lst(room.received_by.get(eid, ()))),
        ]
    if kind == "place":
        sections.append(("Letters written or received here", lst(room.place_letters.get(eid, ()))))
    sections.append(("Letters mentioning", lst(room.mentioned_in.get(eid, ()))))
    every = related_letters(room, eid)
    per_year: dict = defaultdict(int)
    for lid in every:
        y = room.letters[lid]["year"]
        if y is not None:
            per_year[y] += 1
    authority = [
        {"type": t, "href": v}
        for t, v in sorted((data.get("idnos") or {}).items())
        if isinstance(v, str) and v.startswith(("http://", "https://"))
    ]
    photos = [p for p in room.photographs if eid in p["persons"]]
    children = [r for r in room.org_relations if r["parent"] == eid]
    parents = [r for r in room.org_relations if r["org"] == eid]

    def ref(x):
        return (
            {"name": room.entries[x]["name"], "href": room.entry_href(x, root)}
            if x in room.entries
            else None
        )

    return {
        "title": e["name"],
        "jsonld": entry_jsonld(room, kind, eid, data),
        "kind": kind,
        "entry": e,
        "data": data,
        "names": [n for n in data.get("names", []) if n.get("text") != e["name"]],
        "life": room.life.get(eid, ""),
        "authority": authority,
        "photos": photos,
        "sections": [(label, rows) for label, rows in sections if rows],
        "timeline": _timeline(per_year),
        "part_of": ref(data.get("part_of")) if data.get("part_of") else None,
        "authors": [a for a in (ref(x) for x in data.get("authors", [])) if a],
        "org_parents": [{**r, "ref": ref(r["parent"])} for r in parents],
        "org_children": [{**r, "ref": ref(r["org"])} for r in children],
        "index_href": "index.html",
        "register_title": TITLES[kind],
        "map": entry_map(room, kind, eid),
    }


def _timeline(per_year: dict) -> dict | None:
    """A small bar chart of letters per year (drawn as SVG by the template)."""
    if not per_year:
        return None
    lo, hi = min(per_year), max(per_year)
    peak = max(per_year.values())
    bars = [
        {
            "year": y,
            "n": per_year.get(y, 0),
            "x": (y - lo) * 8,
            "h": round(40 * per_year.get(y, 0) / peak, 1),
        }
        for y in range(lo, hi + 1)
    ]
    return {"first": lo, "last": hi, "bars": bars, "width": (hi - lo + 1) * 8, "peak": peak}


def org_tree_context(room: ReadingRoom) -> list[dict]:
    """Organisations as the administrative structure: roots first, each body under its parents
    with the dates of the relation and of the body's existence."""
    children: dict[str, list[dict]] = defaultdict(list)
    has_parent = set()
    for r in room.org_relations:
        if r["org"] in room.entries and r["parent"] in room.entries:
            children[r["parent"]].append(r)
            has_parent.add(r["org"])
    existence = room.org_existence

    def node(oid, rel=None, seen=()):
        e = room.entries[oid]
        kids = (
            []
            if oid in seen
            else [
                node(c["org"], c, (*seen, oid))
                for c in sorted(
                    children.get(oid, ()), key=lambda c: room.entries[c["org"]]["sort_name"] or ""
                )
            ]
        )
        return {
            "id": oid,
            "name": e["name"],
            "href": "../" + urls.entry_path("org", oid),
            "existed": existence.get(oid),
            "rel_from": rel and rel["from_"],
            "rel_to": rel and rel["to_"],
            "children": kids,
            "count": len(related_letters(room, oid)),
        }

    roots = [e for e in room.entries.values() if e["kind"] == "org" and e["id"] not in has_parent]
    return [node(e["id"]) for e in roots]


def glossary_context(room: ReadingRoom) -> dict:
    root = ""
    items = []
    for tid, data in room.glossary.items():
        items.append(
            {
                "id": tid,
                "anchor": urls.slug(tid),
                "term": data.get("term") or room.entries[tid]["name"],
                "expansions": data.get("expansions") or {},
                "note": data.get("note") or "",
                "org": {
                    "name": room.entries[data["org"]]["name"],
                    "href": room.entry_href(data["org"], root),
                }
                if data.get("org") in room.entries
                else None,
                "letters": [
                    {"label": r["label"], "href": urls.letter_path(r["id"]), "id": r["id"]}
                    for r in room.letters_of(room.terms.get(tid, ()))
                ],
            }
        )
    return {"title": "Glossary of abbreviations", "items": items}


def photographs_context(room: ReadingRoom) -> dict:
    items = []
    for p in room.photographs:
        items.append(
            {
                **p,
                "src": p["file"],
                "people": [
                    {"name": room.entries[x]["name"], "href": room.entry_href(x, "")}
                    for x in p["persons"]
                    if x in room.entries
                ],
            }
        )
    return {"title": "Photographs", "items": items}
