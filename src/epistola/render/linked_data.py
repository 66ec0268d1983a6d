"""schema.org JSON-LD for letter, person and place pages (``<script type="application/ld+json">``).

Search engines and aggregators read it to know what a page is about: a letter is a
``Message`` (sender, recipient, date, language, location), a person a ``Person`` (dates, places of
birth and death, authority ids as ``sameAs``), a place a ``Place`` (coordinates). The JSON is
escaped for a ``<script>`` element: ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes, so no
text from the sources can close the element.
"""

from __future__ import annotations

import json

from . import urls

CONTEXT = "https://schema.org"


def script_json(obj: dict) -> str:
    """``obj`` as JSON that is safe inside a ``<script>`` element of an HTML page."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _absolute(base: str, path: str) -> str:
    return (base.rstrip("/") + "/" if base else "") + path


def _agent(room, a: dict, base: str) -> dict:
    eid = room.resolve(a.get("ref")) if a.get("ref") else None
    entry = room.entries.get(eid) if eid else None
    kind = (
        "Organization" if (entry and entry["kind"] == "org") or a.get("kind") == "org" else "Person"
    )
    out = {"@type": kind, "name": (entry or {}).get("name") or a.get("name") or ""}
    if eid:
        out["url"] = _absolute(base, urls.entry_path(entry["kind"], eid) or "")
    return out


def letter_jsonld(room, letter_id: str, row: dict, data: dict, title: str) -> str:
    base = room.meta.base_url
    actions = {a["type"]: a for a in data.get("actions", [])}
    sent, received = actions.get("sent", {}), actions.get("received", {})
    obj = {
        "@context": CONTEXT,
        "@type": "Message",
        "@id": _absolute(base, urls.letter_path(letter_id)),
        "name": title,
        "sender": [_agent(room, a, base) for a in sent.get("agents", [])],
        "recipient": [_agent(room, a, base) for a in received.get("agents", [])],
        "isPartOf": {"@type": "Collection", "name": room.meta.title},
    }
    if row.get("earliest") and row["earliest"] == row.get("latest"):
        obj["dateSent"] = row["earliest"]
    elif row.get("edtf"):
        obj["temporalCoverage"] = row["edtf"]
    langs = data.get("languages") or []
    if langs:
        obj["inLanguage"] = langs if len(langs) > 1 else langs[0]
    place = room.resolve(sent.get("place_ref")) if sent.get("place_ref") else None
    if place or sent.get("place_name"):
        obj["locationCreated"] = {
            "@type": "Place",
            "name": (room.entries.get(place) or {}).get("name") or sent.get("place_name"),
        }
    return script_json(obj)


def entry_jsonld(room, kind: str, eid: str, data: dict) -> str | None:
    """JSON-LD for a person or place page; None for other registers."""
    base = room.meta.base_url
    entry = room.entries[eid]
    same = sorted(
        v
        for v in (data.get("idnos") or {}).values()
        if isinstance(v, str) and v.startswith(("http://", "https://"))
    )
    obj = {
        "@context": CONTEXT,
        "@id": _absolute(base, urls.entry_path(kind, eid) or ""),
        "name": entry["name"],
    }
    if same:
        obj["sameAs"] = same
    if kind == "person":
        obj["@type"] = "Person"
        for key, prop in (("birth", "birthDate"), ("death", "deathDate")):
            if isinstance(data.get(key), str) and data[key]:
                obj[prop] = data[key]
        for key, prop in (("birth_place", "birthPlace"), ("death_place", "deathPlace")):
            ref = data.get(key)
            if ref and ref in room.entries:
                obj[prop] = {"@type": "Place", "name": room.entries[ref]["name"]}
        if data.get("note"):
            obj["description"] = data["note"]
    elif kind == "place":
        obj["@type"] = "Place"
        lat, lon = data.get("lat"), data.get("lon")
        if lat is not None and lon is not None:
            obj["geo"] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
    else:
        return None
    return script_json(obj)
