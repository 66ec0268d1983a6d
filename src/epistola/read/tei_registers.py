"""TEI registers: listPerson, listPlace, listOrg, listBibl, listEvent, glossary, taxonomy.

Used for register files and for the registers inside a letter's ``<back>`` alike.
"""

from __future__ import annotations

import re

from ..model.registers import (
    Entry,
    Event,
    GlossaryEntry,
    Name,
    Office,
    Organisation,
    OrgRelation,
    Person,
    Place,
    Subject,
    Work,
)
from .xml import XML_ID, XML_LANG, local, refs, text_of

ENTRY_TAGS = {
    "person": "person",
    "personGrp": "person",
    "place": "place",
    "org": "org",
    "bibl": "work",
    "biblStruct": "work",
    "event": "event",
}
LIST_TAGS = frozenset({"listPerson", "listPlace", "listOrg", "listBibl", "listEvent"})
_NUM = re.compile(r"-?\d+(?:[.,]\d+)?")
_ISO = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?")

IDNO_HOSTS = {
    "d-nb.info/gnd": "gnd",
    "viaf.org": "viaf",
    "wikidata.org": "wikidata",
    "pmb.acdh.oeaw.ac.at": "pmb",
    "geonames.org": "geonames",
}


def iso(value: str | None) -> str | None:
    """The ISO date part of an attribute value (times and zones dropped)."""
    if not value:
        return None
    m = _ISO.match(value.strip())
    return m.group(0) if m else None


def date_attr(el, *names) -> str | None:
    for n in names:
        v = iso(el.get(n)) or iso(el.get(n + "-iso"))
        if v:
            return v
    return None


def _names(el, tags=("persName", "placeName", "orgName", "title", "name", "label")) -> list[Name]:
    out = []
    for child in el:
        tag = local(child.tag)
        if tag not in tags:
            continue
        text = text_of(child)
        if not text:
            continue
        if tag == "persName":
            sur = child.find("{*}surname")
            fore = child.find("{*}forename")
            if sur is not None and fore is not None:
                text = f"{text_of(fore)} {text_of(sur)}"
        t = child.get("type") or ("pref" if not out else "variant")
        out.append(Name(text=text, type=t, lang=child.get(XML_LANG)))
    return out


def _idnos(el) -> dict[str, str]:
    out: dict[str, str] = {}
    for idno in el.iterfind("{*}idno"):
        value = (idno.text or "").strip()
        if not value:
            continue
        kind = idno.get("subtype") or idno.get("type") or "id"
        if kind.upper() == "URL" or kind == "uri":
            kind = next((k for h, k in IDNO_HOSTS.items() if h in value), "url")
        out.setdefault(kind.lower(), value)
    return out


def _notes(el) -> tuple[str, str]:
    short, long_ = [], []
    for n in el:
        tag = local(n.tag)
        if tag not in ("note", "desc"):
            continue
        if n.get("type") in ("biography", "bio-long"):
            paras = [text_of(p) for p in n.iterfind("{*}p")] or [text_of(n)]
            long_.append("\n\n".join(paras))
        elif n.get("type") not in ("entity_type_id",):
            t = text_of(n)
            if t:
                short.append(t)
    return "; ".join(short), "\n\n".join(long_)


def _geo(el) -> tuple[float | None, float | None]:
    for loc in el.iterfind("{*}location"):
        if loc.get("type") not in (None, "coords"):
            continue
        geo = loc.find("{*}geo")
        if geo is not None and geo.text:
            nums = _NUM.findall(geo.text)
            if len(nums) >= 2:
                try:
                    return float(nums[0].replace(",", ".")), float(nums[1].replace(",", "."))
                except ValueError:
                    return None, None
    return None, None


def parse_entry(el, path: str, parent: Entry | None = None) -> Entry | None:
    """One register entry; None when it has no ``xml:id`` (nothing could refer to it)."""
    tag = local(el.tag)
    eid = el.get(XML_ID)
    if not eid:
        return None
    common = dict(id=eid, source_path=path, source_line=el.sourceline, idnos=_idnos(el))
    short, long_ = _notes(el)
    if tag in ("person", "personGrp"):
        p = Person(**common, names=_names(el), note=short, biography=long_)
        pn = el.find("{*}persName")
        if pn is not None:
            sur, fore = pn.find("{*}surname"), pn.find("{*}forename")
            p.surname = text_of(sur) or None if sur is not None else None
            p.forename = text_of(fore) or None if fore is not None else None
        for which in ("birth", "death"):
            ev = el.find("{*}" + which)
            if ev is None:
                continue
            d = date_attr(ev, "when")
            if d is None:
                de = ev.find("{*}date")
                d = date_attr(de, "when", "notBefore") if de is not None else None
            place = next(
                (
                    refs(x.get("ref") or x.get("key"))
                    for x in ev.iter("{*}settlement", "{*}placeName")
                    if x.get("ref") or x.get("key")
                ),
                [],
            )
            setattr(p, which, d)
            setattr(p, which + "_place", place[0] if place else None)
        sex = el.find("{*}sex")
        if sex is not None:
            p.sex = sex.get("value") or text_of(sex) or None
        for occ in el.iterfind("{*}occupation"):
            label = text_of(occ)
            if label:
                org = refs(occ.get("ref"))
                p.occupations.append(
                    Office(
                        label=label,
                        org=org[0] if org else None,
                        from_=date_attr(occ, "from", "notBefore"),
                        to=date_attr(occ, "to", "notAfter"),
                    )
                )
        fig = el.find(".//{*}graphic")
        if fig is not None:
            p.photo = fig.get("url")
        return p
    if tag == "place":
        lat, lon = _geo(el)
        part = None
        for loc in el.iterfind("{*}location"):
            if loc.get("type") == "located_in_place":
                pn = loc.find("{*}placeName")
                r = refs(pn.get("ref") or pn.get("key")) if pn is not None else []
                if r:
                    part = r[0]
                    break
        if part is None and parent is not None and parent.kind == "place":
            part = parent.id
        return Place(
            **common,
            names=_names(el, ("placeName", "name", "geogName")),
            note=short,
            lat=lat,
            lon=lon,
            part_of=part,
            type=el.get("type"),
        )
    if tag == "org":
        names = _names(el, ("orgName", "name"))
        abbr = next((n.text for n in names if n.type == "abbr"), None)
        o = Organisation(**common, names=names, note=short or long_, abbr=abbr)
        for ev in el.iterfind("{*}event"):
            if ev.get("type") == "existence":
                o.from_ = date_attr(ev, "from", "notBefore", "when")
                o.to = date_attr(ev, "to", "notAfter")
        if parent is not None and parent.kind == "org":
            o.parents.append(OrgRelation(parent=parent.id))
        loc = el.find("{*}location/{*}placeName")
        if loc is not None and refs(loc.get("ref") or loc.get("key")):
            o.place = refs(loc.get("ref") or loc.get("key"))[0]
        return o
    if tag in ("bibl", "biblStruct"):
        titles = [
            Name(
                text=text_of(t),
                type="pref" if i == 0 else (t.get("type") or "variant"),
                lang=t.get(XML_LANG),
            )
            for i, t in enumerate(el.iter("{*}title"))
            if text_of(t)
        ]
        titles = [t for t in titles if not t.text.startswith("http")]
        authors = [r for a in el.iter("{*}author") for r in refs(a.get("ref") or a.get("key"))]
        d = el.find("{*}date")
        return Work(
            **common,
            names=titles,
            note=short,
            authors=authors,
            date=date_attr(d, "when", "notBefore") if d is not None else None,
            bibl=text_of(el) if not titles else "",
        )
    if tag == "event":
        return Event(
            **common,
            names=_names(el, ("label", "eventName", "name", "head")),
            note=short,
            date=date_attr(el, "when", "from", "notBefore"),
        )
    return None


def read_lists(root, path: str, skip: set | None = None) -> tuple[list[Entry], list[tuple]]:
    """All register entries under ``root`` (nested entries included) and the partOf relations
    from ``listRelation`` as ``(child, parent, from, to)``. Ids in ``skip`` are passed over."""
    entries: list[Entry] = []
    relations: list[tuple] = []

    def walk_entry(el, parent: Entry | None):
        # structure: entries nested in an entry, directly or in a list (org in org, place in
        # place); nothing else inside an entry can hold entries, so it is not walked
        for child in el:
            tag = local(child.tag)
            if tag in ENTRY_TAGS:
                visit(child, parent)
            elif tag in LIST_TAGS:
                for grandchild in child:
                    if local(grandchild.tag) in ENTRY_TAGS:
                        visit(grandchild, parent)

    def visit(child, parent: Entry | None):
        if skip is not None:
            eid = child.get(XML_ID)
            if eid in skip:
                return
            skip.add(eid)
        e = parse_entry(child, path, parent)
        if e is not None:
            entries.append(e)
        walk_entry(child, e if e is not None else parent)

    def walk(el, parent: Entry | None):
        """Find the lists anywhere outside entries (teiHeader, body, div, back...)."""
        for child in el:
            tag = local(child.tag)
            if tag in ENTRY_TAGS and local(el.tag) in LIST_TAGS:
                visit(child, None)
            elif tag in LIST_TAGS:
                walk(child, None)
            elif tag == "listRelation":
                for rel in child.iter("{*}relation"):
                    if (rel.get("name") or rel.get("type")) in (
                        "partOf",
                        "subordinateTo",
                        "part_of",
                    ):
                        for a in refs(rel.get("active")):
                            for p in refs(rel.get("passive")):
                                relations.append(
                                    (
                                        a,
                                        p,
                                        date_attr(rel, "from", "notBefore"),
                                        date_attr(rel, "to", "notAfter"),
                                    )
                                )
            elif tag not in ENTRY_TAGS:
                walk(child, parent)

    walk(root, None)
    return entries, relations


def read_glossary(root, path: str) -> list[GlossaryEntry]:
    out = []
    for lst in root.iter("{*}list"):
        if lst.get("type") not in ("glossary", "abbreviations", "gloss"):
            continue
        for item in lst.iterfind("{*}item"):
            term_el = item.find("{*}term")
            if term_el is None:
                term_el = item.find("{*}abbr")
            term = text_of(term_el)
            if not term:
                continue
            g = GlossaryEntry(
                id=item.get(XML_ID) or f"gl-{term}",
                source_path=path,
                source_line=item.sourceline,
                term=term,
                names=[Name(term, "pref", term_el.get(XML_LANG))],
            )
            for gl in item.iter("{*}gloss", "{*}expan"):
                g.expansions[gl.get(XML_LANG) or "und"] = text_of(gl)
            g.note = "\n\n".join(text_of(n) for n in item.iterfind("{*}note"))
            ptr = item.find("{*}ptr")
            if ptr is not None and refs(ptr.get("target")):
                g.org = refs(ptr.get("target"))[0]
            out.append(g)
    return out


def read_taxonomies(root, path: str) -> list[Subject]:
    out = []
    for tax in root.iter("{*}taxonomy"):

        def walk(el, parent, tax=tax):
            for cat in el.iterfind("{*}category"):
                cid = cat.get(XML_ID)
                if not cid:
                    continue
                names = [
                    Name(text_of(d), "pref" if i == 0 else "variant", d.get(XML_LANG))
                    for i, d in enumerate(cat.iterfind("{*}catDesc"))
                    if text_of(d)
                ]
                gloss = cat.find("{*}gloss")
                if gloss is not None and not names:
                    names = [Name(text_of(gloss), "pref", gloss.get(XML_LANG))]
                out.append(
                    Subject(
                        id=cid,
                        names=names,
                        parent=parent,
                        source_path=path,
                        source_line=cat.sourceline,
                        scheme=tax.get(XML_ID) or "",
                    )
                )
                walk(cat, cid, tax)

        walk(tax, None)
    return out
