"""TEI registers out: listPerson, listPlace, listOrg, listBibl, listEvent, the glossary and the
taxonomies, each entry written where ``read/tei_registers.py`` reads it back. Also the small
helpers both TEI writers share (ids, references, elements)."""

from __future__ import annotations

import hashlib
import re

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
T = f"{{{TEI_NS}}}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NCNAME = re.compile(r"^[^\W\d][\w.\-]*$")
LIST_OF = {"person": "listPerson", "place": "listPlace", "org": "listOrg", "work": "listBibl",
           "event": "listEvent"}  # fmt: skip
FILE_OF = {"person": "persons", "place": "places", "org": "organisations", "work": "works",
           "event": "events", "term": "glossary", "subject": "taxonomy"}  # fmt: skip


def is_xml_name(value: str) -> bool:
    return bool(_NCNAME.match(value or ""))


def entry_xml_id(eid: str) -> str:
    """The ``xml:id`` an entry is written with: its id, or ``x-`` + a slug where it is no name."""
    if is_xml_name(eid):
        return eid
    slug = re.sub(r"[^\w.\-]+", "-", eid.split("://", 1)[-1]).strip("-")[:60]
    return f"x-{slug}-{hashlib.sha1(eid.encode()).hexdigest()[:6]}"


def _ref(value: str | None) -> str | None:
    """A reference attribute: URIs as they are, ids as ``#id``."""
    if not value:
        return None
    return value if value.startswith(("http://", "https://")) else "#" + value


def _el(parent, tag, text=None, **attrs):
    e = etree.SubElement(parent, T + tag)
    for k, v in attrs.items():
        if v is not None and v != "":
            e.set(XML_LANG if k == "lang" else k.rstrip("_"), str(v))
    if text:
        e.text = text
    return e


def _tei(root_id: str | None = None):
    tei = etree.Element(T + "TEI", nsmap={None: TEI_NS})
    if root_id:
        tei.set(XML_ID, root_id)
    return tei


# -- registers -------------------------------------------------------------------------------


def _idnos(el, idnos: dict, original_id: str | None = None) -> None:
    for k, v in (idnos or {}).items():
        # the reader maps type "uri"/"URL" by host; "URI" in capitals is kept as "uri"
        _el(el, "idno", v, type="URI" if k == "uri" else k)
    if original_id and original_id.startswith(("http://", "https://")):
        if original_id not in (idnos or {}).values():
            _el(el, "idno", original_id, type="URI")


def _names(el, names: list[dict], tag: str) -> list:
    return [
        _el(el, tag, n.get("text"), type=n.get("type") or "variant", lang=n.get("lang"))
        for n in names
    ]


def _split_name(pn, text: str, forename: str | None, surname: str | None) -> None:
    """Mark forename/surname inside a persName whose text stays ``text``."""
    if text == f"{forename or ''} {surname or ''}":  # the reader joins the two when both exist
        pn.text = None
        _el(pn, "forename", forename).tail = " "
        _el(pn, "surname", surname)
        return
    part, tag = (surname, "surname") if surname else (forename, "forename")
    if not part or part not in text:
        return
    before, after = text.split(part, 1)
    pn.text = before or None
    _el(pn, tag, part).tail = after or None


def _notes(el, note: str, long_: str = "") -> None:
    if note:
        _el(el, "note", note)
    if long_:
        bio = _el(el, "note", type="biography")
        for para in long_.split("\n\n"):
            _el(bio, "p", para)


def person_el(parent, d: dict):
    el = _el(parent, "person", **{XML_ID: entry_xml_id(d["id"])})
    pns = _names(el, d.get("names", []), "persName")
    if pns and (d.get("forename") or d.get("surname")):
        _split_name(pns[0], d["names"][0]["text"], d.get("forename"), d.get("surname"))
    for which in ("birth", "death"):
        if d.get(which) or d.get(which + "_place"):
            ev = _el(el, which, when=d.get(which))
            if d.get(which + "_place"):
                _el(ev, "placeName", ref=_ref(d[which + "_place"]))
    if d.get("sex"):
        _el(el, "sex", value=d["sex"])
    for o in d.get("occupations", []):
        _el(el, "occupation", o.get("label"), ref=_ref(o.get("org")), from_=o.get("from_"),
            to=o.get("to"))  # fmt: skip
    _notes(el, d.get("note", ""), d.get("biography", ""))
    if d.get("photo"):
        _el(_el(el, "figure"), "graphic", url=d["photo"])
    _idnos(el, d.get("idnos"), d["id"])
    return el


def place_el(parent, d: dict):
    el = _el(parent, "place", type=d.get("type"), **{XML_ID: entry_xml_id(d["id"])})
    _names(el, d.get("names", []), "placeName")
    if d.get("lat") is not None and d.get("lon") is not None:
        _el(_el(el, "location", type="coords"), "geo", f"{d['lat']!r} {d['lon']!r}")
    if d.get("part_of"):
        loc = _el(el, "location", type="located_in_place")
        _el(loc, "placeName", ref=_ref(d["part_of"]))
    _notes(el, d.get("note", ""))
    _idnos(el, d.get("idnos"), d["id"])
    return el


def org_el(parent, d: dict, children: dict):
    el = _el(parent, "org", **{XML_ID: entry_xml_id(d["id"])})
    _names(el, d.get("names", []), "orgName")
    if d.get("from_") or d.get("to"):
        _el(el, "event", type="existence", from_=d.get("from_"), to=d.get("to"))
    if d.get("place"):
        _el(_el(el, "location"), "placeName", ref=_ref(d["place"]))
    _notes(el, d.get("note", ""))
    _idnos(el, d.get("idnos"), d["id"])
    kids = children.get(d["id"], [])
    if kids:
        lst = _el(el, "listOrg")
        for k in kids:
            org_el(lst, k, children)
    return el


def work_el(parent, d: dict):
    el = _el(parent, "bibl", **{XML_ID: entry_xml_id(d["id"])})
    if d.get("names"):
        _names(el, d["names"], "title")
    else:
        el.text = d.get("bibl") or None
    for a in d.get("authors", []):
        _el(el, "author", ref=_ref(a))
    if d.get("date"):
        _el(el, "date", when=d["date"])
    _notes(el, d.get("note", ""))
    _idnos(el, d.get("idnos"), d["id"])
    return el


def event_el(parent, d: dict):
    el = _el(parent, "event", when=d.get("date"), **{XML_ID: entry_xml_id(d["id"])})
    _names(el, d.get("names", []), "label")
    _notes(el, d.get("note", ""))
    _idnos(el, d.get("idnos"), d["id"])
    return el


def glossary_el(parent, d: dict):
    item = _el(parent, "item", **{XML_ID: entry_xml_id(d["id"])})
    name = (d.get("names") or [{}])[0]
    _el(item, "term", d.get("term") or name.get("text"), lang=name.get("lang"))
    for lang, exp in (d.get("expansions") or {}).items():
        _el(item, "gloss", exp, lang=None if lang == "und" else lang)
    for para in (d.get("note") or "").split("\n\n") if d.get("note") else []:
        _el(item, "note", para)
    if d.get("org"):
        _el(item, "ptr", target=_ref(d["org"]))
    return item


def taxonomy_el(parent, scheme: str, subjects: list[dict]):
    tax = _el(parent, "taxonomy", **({XML_ID: scheme} if scheme else {}))
    by_parent: dict = {}
    for s in subjects:
        by_parent.setdefault(s.get("parent"), []).append(s)

    def walk(el, pid):
        for s in by_parent.get(pid, []):
            cat = _el(el, "category", **{XML_ID: entry_xml_id(s["id"])})
            for n in s.get("names", []):
                _el(cat, "catDesc", n.get("text"), lang=n.get("lang"))
            walk(cat, s["id"])

    walk(tax, None)
    return tax


def register_lists(parent, entries: list[dict], relations=()) -> None:
    """Lists of the given entries (every kind but terms and subjects) under ``parent``."""
    by_kind: dict = {}
    for d in entries:
        by_kind.setdefault(d["kind"], []).append(d)
    for kind, tag in LIST_OF.items():
        items = by_kind.get(kind)
        if not items:
            continue
        lst = _el(parent, tag)
        if kind == "org":
            ids = {d["id"] for d in items}
            children: dict = {}
            top = []
            for d in items:
                ps = d.get("parents") or []
                nested = len(ps) == 1 and ps[0]["parent"] in ids
                if (
                    nested
                    and not (ps[0].get("from_") or ps[0].get("to"))
                    and (ps[0].get("type") or "partOf") == "partOf"
                ):
                    children.setdefault(ps[0]["parent"], []).append(d)
                else:
                    top.append(d)
            for d in top:
                org_el(lst, d, children)
        else:
            make = {"person": person_el, "place": place_el, "work": work_el, "event": event_el}
            for d in items:
                make[kind](lst, d)
    if relations:
        lr = _el(parent, "listRelation")
        for org, par, fr, to, type_ in relations:
            _el(lr, "relation", name=type_ or "partOf", active=_ref(org), passive=_ref(par),
                from_=fr, to=to)  # fmt: skip
