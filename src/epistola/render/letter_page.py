"""A letter's page, and its data at the same address: ``.html``, ``.json`` and ``.xml`` (TEI)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from ..edition import published_path
from ..store.codec import letter_from_plain, to_plain
from . import facsimiles, urls
from .html import HtmlRenderer
from .linked_data import letter_jsonld
from .room import ReadingRoom

KIND_LABELS = {
    "person": "Persons",
    "org": "Organisations",
    "place": "Places",
    "work": "Works",
    "event": "Events",
}
NAV_LINKS = (
    ("prev-edition", "Previous in the edition"),
    ("next-edition", "Next in the edition"),
    ("prev-corresp", "Previous in the correspondence"),
    ("next-corresp", "Next in the correspondence"),
    ("reply-to", "In reply to"),
    ("answered-by", "Answered by"),
)


def letter_data(room: ReadingRoom, letter_id: str) -> dict:
    """The whole letter as plain JSON, its text trees and notes rebuilt from the stored markup
    (by the store's codec, as ``Edition.letter`` does). The last few are kept: a letter's page,
    JSON and TEI are made one after the other and the markup is parsed once for all three."""
    key = (id(room), letter_id)
    with _LOCK:  # the server renders from several threads
        hit = _RECENT.get(key)
        if hit is not None and hit[0] is room:  # (an id may be reused by a rebuilt edition)
            return hit[1]
    data = _load_letter(room, letter_id)
    with _LOCK:
        _RECENT[key] = (room, data)
        while len(_RECENT) > 4:
            _RECENT.pop(next(iter(_RECENT)))
    return data


_RECENT: dict = {}
_LOCK = threading.Lock()


def _load_letter(room: ReadingRoom, letter_id: str) -> dict:
    rows = room.store.execute("SELECT data FROM letters WHERE id = ?", (letter_id,))
    data = to_plain(letter_from_plain(json.loads(rows[0]["data"])))
    data["source_path"] = published_path(data.get("source_path"), room.project_root)
    for v in data.get("versions", []):
        v.pop("tei", None)  # the TEI itself is served at letters/<id>.xml
        v.pop("text", None)
    return data


def renderer_for(room: ReadingRoom, root: str) -> HtmlRenderer:
    def entry_url(kind, ref):
        eid = room.resolve(ref)
        href = room.entry_href(eid, root) if eid else None
        return (href, room.entries[eid]["name"]) if href else None

    def term_url(text, gloss):
        eid = room.resolve(gloss) if gloss else room.term_by_text.get(text)
        if not eid or eid not in room.entries:
            return None
        return root + urls.entry_path("term", eid), room.glossary_expansion(eid)

    def letter_url(target):
        r = room.letters.get(target)
        return (root + urls.letter_path(target), r["label"]) if r else None

    return HtmlRenderer(entry_url=entry_url, term_url=term_url, letter_url=letter_url)


def _party(room, agent: dict, root: str) -> dict:
    eid = room.resolve(agent.get("ref"))
    return {
        "name": agent.get("name") or (room.entries[eid]["name"] if eid else "?"),
        "href": room.entry_href(eid, root) if eid else None,
        "uncertain": agent.get("cert") == "low",
        "written": agent.get("written"),  # the letter's own spelling, where not the register's
    }


def _place(room, ref, name, root):
    eid = room.resolve(ref)
    if not (eid or name):
        return None
    return {
        "name": name or room.entries[eid]["name"],
        "href": room.entry_href(eid, root) if eid else None,
    }


def _facsimile(room, f: dict, root: str) -> dict:
    url, kind = f.get("url") or "", f.get("kind") or "image"
    out = {"label": f.get("label") or Path(url).name or url, "src": None, "href": None}
    local = facsimiles.local_path(url)
    service = facsimiles.image_service(url, kind, room.meta.iiif_image_base)
    if "://" not in url and local in room.asset_set:
        out["src"] = out["href"] = root + local
    elif service:
        out["src"] = facsimiles.image_url(service)
        out["href"] = url if "://" in url else f"{service}/info.json"
    elif url.startswith(("http://", "https://")):
        out["src"] = out["href"] = url
    return out


def letter_version(room, letter_id: str) -> dict | None:
    """The version and day this letter last changed (versions.py), for its citation."""
    if "letter_versions" not in room.cache:
        room.cache["letter_versions"] = room.store.get_meta("letter_versions") or {}
    return room.cache["letter_versions"].get(letter_id)


def letter_context(room: ReadingRoom, letter_id: str) -> dict:
    root = "../"
    row = room.letters[letter_id]
    data = letter_data(room, letter_id)
    r = renderer_for(room, root)
    actions = {a["type"]: a for a in data.get("actions", [])}
    sent, received = actions.get("sent", {}), actions.get("received", {})
    versions = []
    for v in data.get("versions", []):
        versions.append(
            {
                "lang": v.get("lang") or room.lang,
                "type": v.get("type", "original"),
                "label": v.get("label")
                or ("Translation" if v.get("type") == "translation" else "Original"),
                "html": r.render(v.get("blocks", [])),
            }
        )
    notes = [
        {"n": n["n"], "type": n.get("type", "note"), "html": r.render(n.get("content", []))}
        for n in data.get("notes", [])
    ]
    nav = []
    for kind, label in NAV_LINKS:
        target = room.links.get(letter_id, {}).get(kind)
        if target:
            t = room.letters[target]
            nav.append(
                {
                    "rel": kind,
                    "label": label,
                    "href": root + urls.letter_path(target),
                    "target": t,
                }
            )
    mentioned: dict[str, list] = {}
    for eid in sorted(
        room.mentions.get(letter_id, ()), key=lambda e: room.entries[e]["sort_name"] or ""
    ):
        e = room.entries[eid]
        if e["kind"] in KIND_LABELS:
            mentioned.setdefault(e["kind"], []).append(
                {"name": e["name"], "href": room.entry_href(eid, root)}
            )
    source = ", ".join(
        x for x in (data.get("settlement"), data.get("repository"), data.get("shelfmark")) if x
    )
    base = room.meta.base_url
    stable = (base.rstrip("/") + "/" if base else "") + urls.letter_path(letter_id)
    title = data.get("title") or (
        f"{row['sender']} {room.t('to')} {row['addressee']}, {row['date_display']}"
    )
    return {
        "letter": row,
        "title": title,
        "jsonld": letter_jsonld(room, letter_id, row, data, title),
        "lang": (data.get("languages") or [room.lang])[0],
        "senders": [_party(room, a, root) for a in sent.get("agents", [])],
        "addressees": [_party(room, a, root) for a in received.get("agents", [])],
        "place_sent": _place(room, sent.get("place_ref"), sent.get("place_name"), root),
        "place_received": _place(room, received.get("place_ref"), received.get("place_name"), root),
        "date_display": row["date_display"],
        "date_uncertain": (row["certainty"] or "exact") != "exact"
        or row["earliest"] != row["latest"],
        "date_source": (data.get("date") or {}).get("text"),
        "source": source,
        "physical": data.get("physical"),
        "versions": versions,
        "parallel": len(versions) > 1
        and {v["type"] for v in versions} >= {"original", "translation"},
        "notes": notes,
        "facsimiles": [_facsimile(room, f, root) for f in data.get("facsimiles", [])],
        "nav": nav,
        "mentioned": [(KIND_LABELS[k], v) for k, v in sorted(mentioned.items())],
        "kind_labels": KIND_LABELS,
        "stable_url": stable,
        "version": letter_version(room, letter_id),
        "year_href": root + urls.year_path(row["year"]),
        "json_href": f"{urls.slug(letter_id)}.json",
        "xml_href": f"{urls.slug(letter_id)}.xml",
    }


def letter_json(room: ReadingRoom, letter_id: str) -> bytes:
    """The stored letter, with its numbers, label and every link, as JSON."""
    row = room.letters[letter_id]
    data = dict(letter_data(room, letter_id))
    data.update(
        number=row["number"],
        year=row["year"],
        number_in_year=row["number_in_year"],
        label=row["data_label"],
        date_display=row["data_date_display"],
        links=[{"type": k, "target": v} for k, v in sorted(room.links.get(letter_id, {}).items())],
    )
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def letter_xml(room: ReadingRoom, letter_id: str) -> bytes:
    """The TEI source file as the editors wrote it where it is at hand, else TEI made from the
    stored letter (a file that holds many letters is never served whole under one letter)."""
    path = room.letters[letter_id].get("source_path")
    if path:
        for candidate in _candidates(room, path):
            if candidate.is_file() and candidate.suffix == ".xml":
                raw = candidate.read_bytes()
                if raw.count(b"<correspDesc") <= 1:
                    return raw
                break
    from ..export.tei import stored_letter_tei

    return stored_letter_tei(room.store, letter_id)


def _candidates(room: ReadingRoom, path: str):
    p = Path(path)
    yield p
    if not p.is_absolute() and room.project_root is not None:
        yield room.project_root / p
