"""CMIF (Correspondence Metadata Interchange Format, v1) for correspSearch.

The output is valid against the official RELAX NG schema and Schematron rules
(``TEI-Correspondence-SIG-CMIF/schema``): the publication statement in the schema's order
(publisher, idno, date, availability), a UUID for the edition's ``bibl``, and both
correspActions on every letter, an unknown party written as such.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from lxml import etree

from . import exporter

TEI_NS = "http://www.tei-c.org/ns/1.0"
T = f"{{{TEI_NS}}}"
AUTHORITY = ("gnd", "viaf", "wikidata", "geonames", "uri", "url")


def _authority(entry_data: dict | None, ref: str | None) -> str | None:
    if ref and ref.startswith(("http://", "https://")):
        return ref
    if not entry_data:
        return None
    idnos = entry_data.get("idnos") or {}
    for key in AUTHORITY:
        v = idnos.get(key)
        if v and v.startswith(("http://", "https://")):
            return v
    return None


def _sub(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, T + tag, {k.rstrip("_"): v for k, v in attrs.items() if v})
    if text:
        el.text = text
    return el


def _uuid(name: str) -> str:
    """A stable UUID for ``name`` that is also an XML name (xml:id may not start with a digit)."""
    n = 0
    while True:
        u = str(uuid.uuid5(uuid.NAMESPACE_URL, name if n == 0 else f"{name}#{n}"))
        if u[0].isalpha():
            return u
        n += 1


@exporter("cmif")
def write_cmif(edition, out: Path) -> list[Path]:
    """One CMIF file; persons and places carry authority URIs where the registers give one."""
    out = out if out.suffix == ".xml" else out / "cmif.xml"
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = edition.meta
    entries = {
        r["id"]: json.loads(r["data"])
        for r in edition.store.execute(
            "SELECT id, data FROM entries WHERE kind IN ('person', 'org', 'place')"
        )
    }
    root = etree.Element(T + "TEI", nsmap={None: TEI_NS})
    header = _sub(root, "teiHeader")
    fd = _sub(header, "fileDesc")
    ts = _sub(fd, "titleStmt")
    _sub(ts, "title", meta.title)
    # The schema wants at least one editor; an edition that names none gets its publisher.
    for name in meta.editors or [meta.publisher or "not named"]:
        _sub(ts, "editor", name)
    ps = _sub(fd, "publicationStmt")
    _sub(ps, "publisher", meta.publisher or ", ".join(meta.editors) or meta.title)
    base = meta.base_url.rstrip("/") + "/" if meta.base_url else ""
    # The schema wants the URL of the CMIF file itself; without a base_url only the site-relative
    # address is known (correspSearch needs the absolute one: set [edition] base_url).
    _sub(ps, "idno", f"{base}data/cmif.xml", type="url")
    _sub(ps, "date", when=edition.store.get_meta("built", "")[:10] or None)
    av = _sub(ps, "availability")
    _sub(
        av,
        "licence",
        meta.licence or "CC-BY 4.0",
        target="https://creativecommons.org/licenses/by/4.0/",
    )
    sd = _sub(fd, "sourceDesc")
    bibl = _sub(sd, "bibl", meta.title, type="online")
    # Schematron W0001 recommends a UUID; derived from the edition, so it is stable across builds.
    bibl_id = _uuid(base or f"epistola:{meta.title}")
    bibl.set("{http://www.w3.org/XML/1998/namespace}id", bibl_id)
    pd = _sub(header, "profileDesc")
    agents = {}
    for r in edition.store.execute(
        "SELECT letter_id, action, entry_id, ref, name, kind, place_ref, place_name "
        "FROM letter_agents ORDER BY letter_id, action, position"
    ):
        agents.setdefault(r["letter_id"], []).append(r)
    for letter in edition.store.execute("SELECT id, data FROM letters ORDER BY number"):
        data = json.loads(letter["data"])
        cd = _sub(
            pd,
            "correspDesc",
            source=f"#{bibl_id}",
            ref=f"{base}letters/{letter['id']}.html" if base else None,
            key=letter["id"],
        )
        by_action = {}
        for a in agents.get(letter["id"], []):
            by_action.setdefault(a["action"], []).append(a)
        for action in ("sent", "received"):
            ca = _sub(cd, "correspAction", type=action)
            place = None
            named = False
            for a in by_action.get(action, []):
                if a["name"] is None and a["ref"] is None:
                    place = place or a
                    continue
                tag = "orgName" if a["kind"] == "org" else "persName"
                _sub(
                    ca,
                    tag,
                    a["name"]
                    or (entries.get(a["entry_id"]) or {}).get("names", [{}])[0].get("text"),
                    ref=_authority(entries.get(a["entry_id"]), a["ref"]),
                )
                place = place or a
                named = True
            if not named:  # the schema wants a part in every correspAction
                _sub(ca, "persName", "unknown")
            if place and place["place_ref"]:
                pdata = entries.get(place["place_ref"])
                pname = place["place_name"] or ((pdata or {}).get("names") or [{}])[0].get("text")
                _sub(ca, "placeName", pname, ref=_authority(pdata, place["place_ref"]))
            d = next(
                (x.get("date") for x in data.get("actions", []) if x.get("type") == action), None
            )
            if action == "sent":
                d = d or data.get("date")  # the letter's date may come from elsewhere (title)
            if d and any(d.get(k) for k in ("when", "not_before", "not_after", "from_", "to")):
                _sub(
                    ca,
                    "date",
                    d.get("text") or None,
                    when=d.get("when"),
                    notBefore=d.get("not_before"),
                    notAfter=d.get("not_after"),
                    from_=d.get("from_"),
                    to=d.get("to"),
                    cert="low" if d.get("certainty") in ("conjectured", "uncertain") else None,
                )
    body = _sub(_sub(root, "text"), "body")
    _sub(body, "p")
    etree.ElementTree(root).write(
        str(out), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return [out]
