"""TEI P5 out: a whole edition as a folder that Epistola (or any TEI tool) reads back.

    DIR/epistola.toml          edition metadata, front matter, photographs, coding rules
    DIR/letters/<id>.xml       one TEI file per letter: teiHeader with correspDesc, the text
    DIR/registers/*.xml        listPerson, listPlace, listOrg, listBibl, listEvent, the glossary
                               (list type="glossary") and the taxonomies (classDecl)
    DIR/front/*.md, front.xml  front matter as the editors wrote it (Markdown) and as TEI <front>
    DIR/coding/*.csv           stand-off coding (subjects and matters kept apart from the TEI)

Every field the store keeps is written where the TEI reader (``read/tei.py``) finds it, so that
reading the folder back gives the same edition (``tests/export/test_tei_roundtrip.py``). The text
of each version is the TEI markup the store keeps, written as it is. Ids that are not XML names
(URIs from CMIF, numbers) cannot be ``xml:id``: a letter keeps its id as its file name; a
register entry gets ``x-`` plus a slug and keeps the original as ``idno type="URI"`` (so references
by URI still resolve to it).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

from lxml import etree

from ..model.dates import julian_to_gregorian, parse_iso
from . import exporter
from .tei_registers import (
    FILE_OF,
    TEI_NS,
    XML_ID,
    XML_LANG,
    T,
    _el,
    _ref,
    _tei,
    entry_xml_id,
    glossary_el,
    is_xml_name,
    register_lists,
    taxonomy_el,
)

CERT_OUT = {"conjectured": ("cert", "low"), "uncertain": ("cert", "medium"),
            "inferred": ("evidence", "inferred")}  # fmt: skip
LINK_OUT = {
    "reply-to": {"type": "replyTo"},
    "answered-by": {"type": "answeredBy"},
    "prev-corresp": {"type": "prev"},
    "next-corresp": {"type": "next"},
    "prev-collection": {"type": "withinCollection", "subtype": "previous_letter"},
    "next-collection": {"type": "withinCollection", "subtype": "next_letter"},
    "source-url": {"type": "source-url"},
}
__all__ = ["entry_xml_id", "is_xml_name", "letter_tei", "stored_letter_tei", "write_tei"]


def _to_julian(iso: str | None) -> str | None:
    """The Old Style form of a converted Gregorian day (the reader converts it again)."""
    if not iso:
        return iso
    from convertdate import julian

    y, m, d = parse_iso(iso)
    if m is None or d is None:
        return iso
    jy, jm, jd = julian.from_gregorian(y, m, d)
    out = f"{jy:04d}-{jm:02d}-{jd:02d}"
    return out if julian_to_gregorian(out) == iso else iso


def _date(parent, d: dict | None, order=None):
    if not d and order is None:
        return None
    d = d or {}
    julian = d.get("calendar") == "julian"
    conv = _to_julian if julian else (lambda v: v)
    attrs = {
        "when": d.get("when_julian") or conv(d.get("when")) if julian else d.get("when"),
        "notBefore": conv(d.get("not_before")),
        "notAfter": conv(d.get("not_after")),
        "from_": conv(d.get("from_")),
        "to": conv(d.get("to")),
        "calendar": "#julian" if julian else None,
        "n": order,
    }
    if d.get("certainty") in CERT_OUT:
        k, v = CERT_OUT[d["certainty"]]
        attrs[k] = v
    return _el(parent, "date", d.get("text"), **attrs)


# -- letters ---------------------------------------------------------------------------------


def letter_file_name(letter_id: str) -> str:
    return letter_id.replace("/", "_") + ".xml"


def letter_tei(
    data: dict, *, facsimile_urls: dict | None = None, back=None, notes: dict | None = None
) -> etree._Element:
    """One stored letter (its JSON as the store keeps it) as a TEI document.

    ``facsimile_urls`` maps a stored facsimile URL to the one to write (local images copied
    beside the export); ``back`` is an element appended as ``<back>`` (registers of entries only
    this letter's sources declared)."""
    lid = data["id"]
    versions = [
        (v, _markup(v["tei"]) if v.get("tei") else _blocks_markup(v["blocks"], notes or {}))
        for v in data.get("versions", [])
        if v.get("tei") or v.get("blocks")
    ]
    # the namespaces the stored markup declares, declared on the root as in the source, so
    # that each text serialises again as it was stored
    nsmap = {None: TEI_NS}
    for _, el in versions:
        nsmap.update((k, v) for k, v in el.nsmap.items() if k is not None)
        if el.nsmap.get(None) == TEI_NS and list(el.nsmap)[0] is None:
            nsmap = {**el.nsmap, **nsmap}
    tei = etree.Element(T + "TEI", nsmap=nsmap)
    if is_xml_name(lid):
        tei.set(XML_ID, lid)
    header = _el(tei, "teiHeader")
    fd = _el(header, "fileDesc")
    ts = _el(fd, "titleStmt")
    _el(ts, "title", data.get("title") or "", level="a")
    if data.get("series"):
        _el(ts, "title", data["series"], level="s")
    actions = data.get("actions", [])
    sent = next((a for a in actions if a.get("type") == "sent"), None)
    date = data.get("date")
    if date and not (sent and sent.get("date")):
        # the date came from the title (no date in correspAction/@type='sent')
        _el(ts, "title", date.get("text") or date.get("when"), type="date", when=date.get("when"))
    ps = _el(fd, "publicationStmt")
    _el(ps, "p", "Exported by Epistola from the stored edition.")
    sd = _el(fd, "sourceDesc")
    ms = _el(sd, "msDesc")
    ident = _el(ms, "msIdentifier")
    for key, tag in (("country", "country"), ("settlement", "settlement"),
                     ("repository", "repository"), ("shelfmark", "idno")):  # fmt: skip
        if data.get(key):
            _el(ident, tag, data[key])
    kind = data.get("kind") or "letter"
    if kind != "letter" or data.get("physical"):
        od = _el(_el(ms, "physDesc"), "objectDesc", form=kind if kind != "letter" else None)
        if data.get("physical"):
            _el(od, "p", data["physical"])
    pd = _el(header, "profileDesc")
    if data.get("languages"):
        lu = _el(pd, "langUsage")
        for lang in data["languages"]:
            _el(lu, "language", ident=lang)
    subjects = [s for s in data.get("subjects", []) if not s.startswith(("@", "?"))]
    if subjects:
        kw = _el(_el(pd, "textClass"), "keywords")
        for s in subjects:
            _el(kw, "term", ref=_ref(s))
    cd = _el(pd, "correspDesc")
    for a in actions:
        ca = _el(cd, "correspAction", type=a.get("type"))
        for g in a.get("agents", []):
            tag = "orgName" if g.get("kind") == "org" else "persName"
            _el(
                ca,
                tag,
                g.get("written") or g.get("name"),
                ref=_ref(g.get("ref")),
                cert=g.get("cert"),
            )
        if a.get("place_ref") or a.get("place_name") is not None:
            _el(ca, "placeName", a.get("place_name"), ref=_ref(a.get("place_ref")))
        order = data.get("order") if a is sent else None
        _date(ca, a.get("date"), order)
    if sent is None and data.get("order") is not None:
        _date(_el(cd, "correspAction", type="sent"), None, data["order"])
    links = data.get("links", [])
    if links or data.get("correspondences"):
        ctx = _el(cd, "correspContext")
        for c in data.get("correspondences", []):
            _el(ctx, "ref", type="belongsToCorrespondence", target=_ref(c))
        for k in links:
            attrs = LINK_OUT.get(k["type"])
            if attrs is None:
                continue
            target = k["target"] if k["type"] == "source-url" else _ref(k["target"])
            _el(ctx, "ref", **attrs, target=target, source=_ref(k.get("scope")))
    facs = data.get("facsimiles", [])
    if facs:
        fx = _el(tei, "facsimile")
        for f in facs:
            url = (facsimile_urls or {}).get(f["url"], f["url"])
            _el(_el(fx, "surface"), "graphic", url=url, n=f.get("label"),
                type="iiif" if f.get("kind") == "iiif" else None)  # fmt: skip
    _text(tei, versions)
    if back is not None:
        tei.find(T + "text").append(back)
    return tei


# text built in code (no stored markup): the node tree (model/text.py) back to TEI, one kind to
# one element; attributes the model keeps go back to their TEI names
TEI_OF = {"letterhead": "seg", "name": "rs"}
NAME_TAG = {"person": "persName", "place": "placeName", "org": "orgName", "work": "title"}
ATTRS = ("rend", "type", "n", "facs", "when", "reason", "target", "ref", "quantity", "unit")


def _nodes(parent, nodes: list, notes: dict) -> None:
    last = None
    for n in nodes:
        if isinstance(n, str):
            if last is None:
                parent.text = (parent.text or "") + n
            else:
                last.tail = (last.tail or "") + n
            continue
        kind = n.get("t", "seg")
        tag = NAME_TAG.get(n.get("kind"), "rs") if kind == "name" else TEI_OF.get(kind, kind)
        e = _el(parent, tag, type="letterhead" if kind == "letterhead" else None)
        for a in ATTRS:
            v = n.get(a)
            if v is not None and not (kind == "name" and a == "type"):
                e.set(a, " ".join(_ref(r) for r in str(v).split()) if a == "ref" else str(v))
        if n.get("lang"):
            e.set(XML_LANG, n["lang"])
        if kind == "note":
            note = notes.get(n.get("n")) or {}
            e.set("type", note.get("type") or "note")
            _nodes(e, note.get("content", []), notes)
        else:
            _nodes(e, n.get("c", []), notes)
        last = e


def _blocks_markup(blocks: list, notes: dict):
    body = etree.Element(T + "body", nsmap={None: TEI_NS})
    _nodes(body, blocks, notes)
    return body


def stored_letter_tei(store, letter_id: str) -> bytes:
    """One letter of a stored edition as a TEI file (the site's ``letters/<id>.xml`` where the
    source file is not at hand)."""
    rows = store.execute("SELECT data FROM letters WHERE id = ?", (letter_id,))
    data = json.loads(rows[0]["data"])
    notes = _stored_notes(store, letter_id, data)
    return letter_bytes(letter_tei(data, notes=notes))


def _stored_notes(store, letter_id: str, data: dict) -> dict:
    if all(v.get("tei") for v in data.get("versions", [])):
        return {}  # the notes are in the stored markup
    return {
        r["n"]: {"type": r["type"], "content": json.loads(r["data"] or "[]")}
        for r in store.execute("SELECT n, type, data FROM notes WHERE letter_id = ?", (letter_id,))
    }


def _markup(xml: str):
    return etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False))


def _text(tei, versions: list[tuple[dict, object]]) -> None:
    text = _el(tei, "text")
    if not versions:
        # a calendar entry: metadata only (the reader takes no text version from it)
        text.set("type", "calendar")
        _el(_el(text, "body"), "p")
        return
    first, body = versions[0]
    if (
        body.tag == T + "body"
        and first.get("type") == "original"
        and all(v.get("type") == "translation" and el.tag == T + "div" for v, el in versions[1:])
    ):
        # body with translations as div type="translation", as the reader takes them apart
        if first.get("lang"):
            text.set(XML_LANG, first["lang"])
        for _, el in versions[1:]:
            body.append(el)
        text.append(body)
        return
    group = _el(text, "group")
    for v, el in versions:
        t = _el(group, "text", type=v.get("type"), lang=v.get("lang"))
        if el.tag != T + "body":
            _el(t, "body").append(el)
        else:
            t.append(el)


def letter_bytes(tei) -> bytes:
    return etree.tostring(tei, xml_declaration=True, encoding="UTF-8", pretty_print=False)


# -- the edition -----------------------------------------------------------------------------

_SAFE = re.compile(r"[^\w.\-]+").sub
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")


def _toml(value) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON strings and string arrays are TOML


def _write(path: Path, data: bytes, written: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    written.append(path)


def _register_doc(title: str):
    tei = _tei()
    fd = _el(_el(tei, "teiHeader"), "fileDesc")
    _el(_el(fd, "titleStmt"), "title", title)
    _el(_el(fd, "publicationStmt"), "p", "Exported by Epistola from the stored edition.")
    _el(_el(fd, "sourceDesc"), "p", "The registers of the edition.")
    return tei


def _finish(tei) -> bytes:
    etree.indent(tei)
    return etree.tostring(tei, xml_declaration=True, encoding="UTF-8")


def _front_tei(meta, front: list[dict]) -> bytes:
    """Front matter as TEI ``<front>`` for TEI tools (Epistola reads the Markdown files)."""
    tei = _register_doc(meta.title)
    fr = _el(_el(tei, "text"), "front")
    for f in front:
        div = _el(fr, "div", type=f["kind"], n=f.get("year"), **{XML_ID: entry_xml_id(f["id"])})
        _el(div, "head", f.get("title"))
        for para in (f.get("body") or "").split("\n\n"):
            if para.strip():
                _el(div, "p", para.strip())
    _el(_el(tei.find(T + "text"), "body"), "p")
    return _finish(tei)


def _rules(edition) -> dict:
    """The word rules of [coding.rules], from the project file where it is at hand."""
    import tomllib

    root = edition.store.get_meta("project_root")
    cfg = Path(root) / "epistola.toml" if root else None
    if cfg is None or not cfg.is_file():
        return {}
    try:
        return tomllib.loads(cfg.read_text(encoding="utf-8")).get("coding", {}).get("rules", {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}


@exporter("tei")
def write_tei(edition, out: Path) -> list[Path]:
    """The whole edition as a TEI project folder that ``epistola build``/``ingest`` reads back."""
    store = edition.store
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("letters", "registers", "front", "coding", "images"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    written: list[Path] = []
    assets = {r["path"]: r["data"] for r in store.execute("SELECT path, data FROM assets")}
    entries = [
        {**json.loads(r["data"]), "_from_letter": bool(r["from_letter"])}
        # in the store's order: where two entries share an authority URI the first keeps it
        for r in store.execute("SELECT id, data, from_letter FROM entries")
    ]
    # entries only letters declared go into the <back> of the first letter that names them
    letter_rows = store.execute("SELECT id, number, data FROM letters ORDER BY number, id")
    back_of: dict[str, list] = {}
    own = [e for e in entries if e["_from_letter"]]
    if own and letter_rows:
        first_use: dict[str, tuple] = {}
        for r in store.execute(
            "SELECT a.entry_id AS e, l.number AS n, l.id AS id FROM letter_agents a "
            "JOIN letters l ON l.id = a.letter_id WHERE a.entry_id IS NOT NULL "
            "UNION ALL SELECT m.entry_id, l.number, l.id FROM letter_mentions m "
            "JOIN letters l ON l.id = m.letter_id WHERE m.entry_id IS NOT NULL"
        ):
            key = (r["n"] or 0, r["id"])
            if r["e"] not in first_use or key < first_use[r["e"]]:
                first_use[r["e"]] = key
        for e in own:
            lid = first_use.get(e["id"], (0, letter_rows[0]["id"]))[1]
            back_of.setdefault(lid, []).append(e)
    for r in letter_rows:
        data = json.loads(r["data"])
        facs = {}
        for f in data.get("facsimiles", []):
            url = f["url"]
            name = f"facsimiles/{Path(url).name}"
            if "://" not in url and url.lower().endswith(IMAGE_SUFFIXES) and name in assets:
                facs[url] = name
                target = out / "letters" / name
                if not target.exists():
                    _write(target, assets[name], written)
        back = None
        if r["id"] in back_of:
            back = etree.Element(T + "back")
            register_lists(back, back_of[r["id"]])
        notes = _stored_notes(store, r["id"], data)
        tei = letter_tei(data, facsimile_urls=facs, back=back, notes=notes)
        header = tei.find(T + "teiHeader")
        etree.indent(header, level=1)
        header.tail = "\n"
        _write(out / "letters" / letter_file_name(data["id"]), letter_bytes(tei), written)
    # registers, one file per kind
    reg = [e for e in entries if not e["_from_letter"]]
    relations = [
        (r["org"], r["parent"], r["from_"], r["to_"], r["type"])
        for r in store.execute("SELECT org, parent, from_, to_, type FROM org_relations")
    ]
    nested = {(e["id"], p["parent"]) for e in entries for p in e.get("parents", [])}
    relations = [x for x in relations if (x[0], x[1]) not in nested]
    for kind in ("person", "place", "org", "work", "event"):
        items = [e for e in reg if e["kind"] == kind]
        rels = relations if kind == "org" else ()
        if not items and not rels:
            continue
        tei = _register_doc(f"{edition.meta.title}: {FILE_OF[kind]}")
        register_lists(_el(_el(tei, "text"), "body"), items, rels)
        _write(out / "registers" / f"{FILE_OF[kind]}.xml", _finish(tei), written)
    terms = [e for e in reg if e["kind"] == "term"]
    if terms:
        tei = _register_doc(f"{edition.meta.title}: glossary")
        lst = _el(_el(_el(tei, "text"), "body"), "list", type="glossary")
        for d in terms:
            glossary_el(lst, d)
        _write(out / "registers" / "glossary.xml", _finish(tei), written)
    subjects = [e for e in reg if e["kind"] == "subject"]
    if subjects:
        tei = _register_doc(f"{edition.meta.title}: subjects")
        cd = _el(_el(tei.find(T + "teiHeader"), "encodingDesc"), "classDecl")
        schemes: dict = {}
        for s in subjects:
            schemes.setdefault(s.get("scheme") or "", []).append(s)
        for scheme, items in schemes.items():
            taxonomy_el(cd, scheme, items)
        _el(_el(tei, "text"), "body").append(etree.Element(T + "p"))
        _write(out / "registers" / "taxonomy.xml", _finish(tei), written)
    _write_project(edition, out, assets, written)
    return written


def _write_project(edition, out: Path, assets: dict, written: list) -> None:
    store, meta = edition.store, edition.meta
    lines = ["# Exported by Epistola (epistola export --format tei): a TEI project.", "",
             "[edition]"]  # fmt: skip
    for key in ("title", "subtitle", "description", "publisher", "licence", "base_url"):
        if getattr(meta, key):
            lines.append(f"{key} = {_toml(getattr(meta, key))}")
    for key in ("editors", "languages"):
        if getattr(meta, key):
            lines.append(f"{key} = {_toml(list(getattr(meta, key)))}")
    paths = ["letters"] + (["registers"] if (out / "registers").exists() else [])
    lines += ["", "[sources]", f"paths = {_toml(paths)}"]
    front = store.execute("SELECT id, kind, title, year, body FROM front ORDER BY ord")
    for f in front:
        name = "front/" + _SAFE("-", f["id"]) + ".md"
        _write(out / name, (f["body"] or "").encode("utf-8"), written)
        lines += ["", "[[front]]", f"id = {_toml(f['id'])}", f"kind = {_toml(f['kind'])}",
                  f"title = {_toml(f['title'] or '')}", f"file = {_toml(name)}"]  # fmt: skip
        if f["year"] is not None:
            lines.append(f"year = {int(f['year'])}")
    if front:
        _write(out / "front" / "front.xml", _front_tei(meta, front), written)
    for ph in store.execute("SELECT id, file, caption, persons, credit, date FROM photographs"):
        if ph["file"] not in assets:
            continue
        name = f"images/{Path(ph['file']).name}"
        _write(out / name, assets[ph["file"]], written)
        lines += ["", "[[photographs]]", f"id = {_toml(ph['id'])}", f"file = {_toml(name)}"]
        for key in ("caption", "credit", "date"):
            if ph[key]:
                lines.append(f"{key} = {_toml(ph[key])}")
        persons = json.loads(ph["persons"] or "[]")
        if persons:
            lines.append(f"persons = {_toml(persons)}")
    coding = []
    subj = store.execute(
        "SELECT letter_id, subject FROM letter_subjects WHERE level = 'standoff' "
        "ORDER BY letter_id, subject"
    )
    if subj:
        _write(out / "coding" / "subjects.csv", _csv(["letter", "subject"],
               [(r["letter_id"], r["subject"]) for r in subj]), written)  # fmt: skip
        coding.append('subjects = "coding/subjects.csv"')
    cols = ["id", "letter", "subject", "raised_by", "addressed_to", "status", "outcome",
            "answers", "summary"]  # fmt: skip
    matters = store.execute(
        "SELECT id, letter_id, subject, raised_by, addressed_to, status, outcome, answers, "
        "summary FROM matters WHERE source = 'standoff' ORDER BY id"
    )
    if matters:
        _write(out / "coding" / "matters.csv",
               _csv(cols, [tuple(r.values()) for r in matters]), written)  # fmt: skip
        coding.append('matters = "coding/matters.csv"')
    rules = _rules(edition)
    if coding or rules:
        lines += ["", "[coding]", *coding]
    for subject, per_lang in rules.items():
        lines += ["", f"[coding.rules.{_toml(subject)}]"]
        lines += [f"{_toml(lang)} = {_toml(words)}" for lang, words in per_lang.items()]
    _write(out / "epistola.toml", ("\n".join(lines) + "\n").encode("utf-8"), written)


def _csv(header: list, rows: list) -> bytes:
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(["" if v is None else v for v in r] for r in rows)
    return buf.getvalue().encode("utf-8")
