"""Registers in YAML or CSV: persons, places, organisations, works, events, glossary.

YAML: a mapping whose keys are register kinds (``persons:``, ``places:``...), each a list of
entries; or a bare list in a file named after its kind (``persons.yaml``). CSV: one entry a row,
the kind from the file name (``persons.csv``) or a ``kind`` column. docs/authoring.md lists
every field.
"""

from __future__ import annotations

import os
import re

from ..diagnostics import Diagnostics
from ..model.dates import DateError, parse_iso
from ..model.registers import (
    Event,
    GlossaryEntry,
    Name,
    Office,
    Organisation,
    OrgRelation,
    Person,
    Place,
    Work,
)
from . import yamlsrc
from .authoring import text_value, values
from .document import SourceDocument, reader
from .tables import TableError, read_table
from .xml import xml_text

KINDS = {
    "persons": "person",
    "people": "person",
    "person": "person",
    "places": "place",
    "place": "place",
    "organisations": "org",
    "organizations": "org",
    "orgs": "org",
    "org": "org",
    "works": "work",
    "work": "work",
    "events": "event",
    "event": "event",
    "glossary": "term",
    "terms": "term",
    "term": "term",
}
COMMON = ("id", "name", "names", "note", "ids")
FIELDS = {
    "person": COMMON
    + (
        "forename",
        "surname",
        "sex",
        "birth",
        "death",
        "birth_place",
        "death_place",
        "offices",
        "biography",
        "photo",
    ),
    "place": COMMON + ("lat", "lon", "coordinates", "part_of", "type"),
    "org": COMMON + ("abbr", "from", "to", "part_of", "place"),
    "work": COMMON + ("title", "titles", "authors", "date", "bibl"),
    "event": COMMON + ("date",),
    "term": ("id", "term", "lang", "expansion", "expansions", "org", "note", "ids"),
}
ID_COLUMNS = ("gnd", "viaf", "wikidata", "geonames", "pmb", "isni", "orcid", "lccn")
_SPAN = re.compile(r"^(.*?)\s*(?:\[#?([^\]\s]+)\])?\s*(-?[\dX?-]*/-?[\dX?-]*)?\s*$")


class _Ctx:
    def __init__(self, path: str, diags: Diagnostics, rec, row: bool):
        self.path, self.diags, self.rec, self.row = path, diags, rec, row

    def line(self, key=None) -> int | None:
        if isinstance(self.rec, yamlsrc.Mapping):
            return self.rec.line_of(key) if key else self.rec.line
        return self.rec.get("_line")

    def error(self, key, code, message) -> None:
        line = self.line(key)
        where = f"row {line}: " if self.row and line else ""
        self.diags.error(self.path, line, code, where + message)

    def date(self, key, value=None) -> str | None:
        v = text_value(self.rec.get(key) if value is None else value).rstrip("?~%")
        if not v:
            return None
        try:
            parse_iso(v)
            return v
        except DateError as e:
            self.error(
                key, "bad-date", f"{key}: {e}; write an ISO date (1884, 1884-03, 1884-03-02)"
            )
            return None

    def number(self, key, value) -> float | None:
        try:
            return float(str(value).replace(",", "."))
        except ValueError:
            self.error(key, "bad-field", f"{key} {value!r} is not a number (like 55.75)")
            return None


def _names(rec, main_key: str, list_key: str) -> list[Name]:
    out = []
    main = text_value(rec.get(main_key))
    if main:
        out.append(Name(main, "pref", text_value(rec.get("lang")) or None))
    for n in rec.get(list_key) or []:
        if isinstance(n, dict):
            t = text_value(n.get("name") or n.get("text"))
            if t:
                out.append(Name(t, text_value(n.get("type")) or "variant", n.get("lang") or None))
        elif text_value(n):
            out.append(Name(text_value(n), "variant"))
    return out


def make_entry(kind: str, rec, ctx: _Ctx):
    """One register entry from its fields, or None (reported) when it has no id."""
    eid = text_value(rec.get("id")).lstrip("#")
    if not eid:
        ctx.error("id", "missing-id", f"a {kind} without an id is skipped; add 'id: ...'")
        return None
    for key in rec:
        if key not in FIELDS[kind] and not key.startswith("_") and key != "kind":
            ctx.diags.warning(
                ctx.path,
                ctx.line(key),
                "unknown-field",
                f"unknown {kind} field {key!r} ignored; known: {', '.join(FIELDS[kind])}",
            )
    ids = rec.get("ids") or {}
    common = dict(
        id=eid,
        source_path=ctx.path,
        source_line=ctx.line(),
        note=text_value(rec.get("note")),
        idnos={str(k).lower(): text_value(v) for k, v in ids.items() if text_value(v)}
        if isinstance(ids, dict)
        else {},
    )
    if kind == "person":
        p = Person(**common, names=_names(rec, "name", "names"))
        p.forename = text_value(rec.get("forename")) or None
        p.surname = text_value(rec.get("surname")) or None
        if not p.names and (p.forename or p.surname):
            p.names = [Name(" ".join(filter(None, (p.forename, p.surname))), "pref")]
        p.sex = text_value(rec.get("sex")) or None
        p.birth, p.death = ctx.date("birth"), ctx.date("death")
        p.birth_place = text_value(rec.get("birth_place")).lstrip("#") or None
        p.death_place = text_value(rec.get("death_place")).lstrip("#") or None
        p.biography = str(rec.get("biography") or "").strip()
        p.photo = text_value(rec.get("photo")) or None
        for o in rec.get("offices") or []:
            if isinstance(o, dict) and text_value(o.get("label")):
                p.occupations.append(
                    Office(
                        label=text_value(o.get("label")),
                        org=text_value(o.get("org")).lstrip("#") or None,
                        from_=ctx.date("offices", o.get("from") or ""),
                        to=ctx.date("offices", o.get("to") or ""),
                    )
                )
            else:
                ctx.error("offices", "bad-field", "an office needs at least 'label: ...'")
        return p
    if kind == "place":
        pl = Place(**common, names=_names(rec, "name", "names"))
        lat, lon = rec.get("lat"), rec.get("lon")
        coords = text_value(rec.get("coordinates"))
        if coords:
            parts = re.split(r"[,\s]+", coords.strip())
            if len(parts) == 2:
                lat, lon = parts
            else:
                ctx.error("coordinates", "bad-field", "coordinates: write 'latitude, longitude'")
        if text_value(lat) and text_value(lon):
            pl.lat, pl.lon = ctx.number("lat", lat), ctx.number("lon", lon)
        pl.part_of = text_value(rec.get("part_of")).lstrip("#") or None
        pl.type = text_value(rec.get("type")) or None
        return pl
    if kind == "org":
        o = Organisation(**common, names=_names(rec, "name", "names"))
        o.abbr = text_value(rec.get("abbr")) or None
        if o.abbr:
            o.names.append(Name(o.abbr, "abbr"))
        o.from_, o.to = ctx.date("from"), ctx.date("to")
        o.place = text_value(rec.get("place")).lstrip("#") or None
        parts = rec.get("part_of") or []
        for r in [parts] if isinstance(parts, str | dict) else parts:
            if isinstance(r, dict):
                parent = text_value(r.get("org")).lstrip("#")
                f, t = (
                    ctx.date("part_of", r.get("from") or ""),
                    ctx.date("part_of", r.get("to") or ""),
                )
            else:
                parent, f, t = text_value(r).lstrip("#"), None, None
            if parent:
                o.parents.append(OrgRelation(parent=parent, from_=f, to=t))
        return o
    if kind == "work":
        w = Work(**common, names=_names(rec, "title", "titles") or _names(rec, "name", "names"))
        w.authors = [a.lstrip("#") for a in values(rec.get("authors"))]
        w.date = ctx.date("date")
        w.bibl = text_value(rec.get("bibl"))
        return w
    if kind == "event":
        return Event(**common, names=_names(rec, "name", "names"), date=ctx.date("date"))
    term = text_value(rec.get("term"))
    if not term:
        ctx.error("term", "missing-field", "a glossary entry needs 'term: ...' (as written)")
        return None
    g = GlossaryEntry(**common, term=term, names=[Name(term, "pref", rec.get("lang") or None)])
    g.expansions = {
        str(k): text_value(v) for k, v in (rec.get("expansions") or {}).items() if text_value(v)
    }
    if text_value(rec.get("expansion")):
        g.expansions.setdefault(text_value(rec.get("lang")) or "und", text_value(rec["expansion"]))
    g.org = text_value(rec.get("org")).lstrip("#") or None
    return g


@reader("yaml-register", suffixes=(".yaml", ".yml"), parse="bytes")
def read_yaml(data: bytes, path: str, diags: Diagnostics) -> SourceDocument | None:
    doc = SourceDocument(path=path, format="yaml-register", diagnostics=diags)
    try:
        tree = yamlsrc.load(xml_text(data.decode("utf-8-sig"), path, diags))
    except UnicodeDecodeError as e:
        diags.error(path, None, "bad-encoding", f"not UTF-8 text ({e.reason}); save as UTF-8")
        return doc
    except yamlsrc.YamlError as e:
        diags.error(path, e.line, "yaml-syntax", f"{e}; the register file is skipped: fix it")
        return doc
    stem = os.path.basename(path).rsplit(".", 1)[0].lower()
    if isinstance(tree, list) and stem in KINDS:
        tree = {stem: tree}
    if not isinstance(tree, dict):
        diags.error(
            path,
            1,
            "bad-register",
            "a register file is 'persons:' (places:, organisations:, works:, events:, "
            "glossary:) followed by a list of entries",
        )
        return doc
    for key, items in tree.items():
        kind = KINDS.get(str(key).lower())
        line = tree.line_of(key) if isinstance(tree, yamlsrc.Mapping) else None
        if kind is None or not isinstance(items, list):
            diags.error(
                path,
                line,
                "bad-register",
                f"{key!r} is not a register (persons, places, organisations, works, events, "
                "glossary) with a list of entries ('- id: ...')",
            )
            continue
        for rec in items:
            if not isinstance(rec, yamlsrc.Mapping):
                diags.error(path, line, "bad-register", f"an entry of {key} is not 'id: ...'")
                continue
            e = make_entry(kind, rec, _Ctx(path, diags, rec, row=False))
            if e is not None:
                doc.entries.append(e)
    return doc


def _split_spans(text: str, key: str) -> list[dict]:
    """'Chairman [o-council] 1930/1934; Deputy' -> [{label, org, from, to}, ...]."""
    out = []
    for part in values(text):
        m = _SPAN.match(part)
        label, ref, span = m.group(1), m.group(2), m.group(3) or "/"
        f, t = span.split("/", 1)
        out.append({key: label or ref, "org": ref or label, "from": f, "to": t})
    return out


@reader("csv-register", suffixes=(".csv",), parse="bytes")
def read_csv_register(data: bytes, path: str, diags: Diagnostics) -> SourceDocument | None:
    stem = os.path.basename(path).rsplit(".", 1)[0].lower()
    try:
        header, rows = read_table(data, path, diags)
    except TableError as e:
        if stem not in KINDS:
            return None
        diags.error(path, e.line, "bad-table", f"{e}; the register file is skipped")
        return SourceDocument(path=path, format="csv-register", diagnostics=diags)
    if stem not in KINDS and "kind" not in header:
        return None
    if "id" not in header:
        diags.error(path, 1, "bad-register", "a register CSV needs an 'id' column")
        return SourceDocument(path=path, format="csv-register", diagnostics=diags)
    doc = SourceDocument(path=path, format="csv-register", diagnostics=diags)
    for line, row in rows:
        kind = KINDS.get((row.get("kind") or stem).lower())
        if kind is None:
            diags.error(
                path, line, "bad-register", f"row {line}: kind {row.get('kind')!r} is unknown"
            )
            continue
        rec: dict = {"_line": line}
        ids, names, exp = {}, [], {}
        for col, v in row.items():
            if not v:
                continue
            if col in ID_COLUMNS or col.startswith("id:"):
                ids[col.removeprefix("id:")] = v
            elif col.startswith("name:"):
                names.append({"name": v, "lang": col[5:]})
            elif col.startswith("expansion:"):
                exp[col[10:]] = v
            elif col in ("names", "titles"):
                names.extend(values(v))
            elif col == "offices" and kind == "person":
                rec["offices"] = _split_spans(v, "label")
                for o in rec["offices"]:
                    o["org"] = o["org"] if o["org"] != o["label"] else None
            elif col == "part_of" and kind == "org":
                rec["part_of"] = [
                    {"org": o["org"], "from": o["from"], "to": o["to"]}
                    for o in _split_spans(v, "label")
                ]
            else:
                rec[col] = v
        rec["ids"] = ids
        if kind == "term":
            rec["expansions"] = exp
        else:
            rec["titles" if kind == "work" else "names"] = names
        e = make_entry(kind, rec, _Ctx(path, diags, rec, row=True))
        if e is not None:
            doc.entries.append(e)
    return doc
