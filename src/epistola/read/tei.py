"""TEI P5 letters (one ``correspDesc`` in ``profileDesc``) and TEI register files."""

from __future__ import annotations

import re

from lxml import etree

from ..diagnostics import Diagnostics
from ..model import (
    Agent,
    CorrespAction,
    DateError,
    Facsimile,
    Letter,
    Link,
    Matter,
    make_date,
)
from ..model.refs import code, subject_codes
from .document import ReadState, SourceDocument, reader
from .tei_registers import date_attr, read_glossary, read_lists, read_taxonomies
from .tei_textscan import move_back_notes, versions_of
from .xml import TEI, XML_ID, local, refs, text_of

NS = {"t": TEI[1:-1]}

KIND_MAP = {
    "brief": "letter",
    "letter": "letter",
    "xbrief": "letter",
    "письмо": "letter",
    "karte": "card",
    "card": "card",
    "briefkarte": "card",
    "kartenbrief": "letter card",
    "postkarte": "postcard",
    "postcard": "postcard",
    "bildpostkarte": "picture postcard",
    "visitenkarte": "visiting card",
    "telegramm": "telegram",
    "telegram": "telegram",
    "телеграмма": "telegram",
    "ciphered telegram": "ciphered telegram",
    "шифротелеграмма": "ciphered telegram",
    "cipher": "ciphered telegram",
    "memo": "memo",
    "записка": "note",
    "note": "note",
    "widmung": "dedication",
    "bild": "picture",
    "anderes": "other",
    "envelope": "envelope",
    "umschlag": "envelope",
    "aerogram": "aerogram",
}
AGENT_TAGS = {"persName": "person", "orgName": "org", "name": "person", "rs": "person"}
_TITLE_ISO = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
# correspAction types as projects write them -> the two the edition knows (others kept as written)
ACTION_TYPES = {
    "sending": "sent",
    "sender": "sent",
    "send": "sent",
    "sent": "sent",
    "receiving": "received",
    "receiver": "received",
    "recipient": "received",
    "addressee": "received",
    "receive": "received",
    "received": "received",
}
CERT = {
    "conjecture": "conjectured",
    "low": "conjectured",
    "medium": "uncertain",
    "unknown": "uncertain",
    "inferred": "inferred",
    "external": "inferred",
}


def _agents(action) -> list[Agent]:
    out = []
    for el in action:
        tag = local(el.tag)
        if tag not in AGENT_TAGS:
            continue
        inner = (
            el.find("{http://www.tei-c.org/ns/1.0}rs") if tag == "orgName" else None
        )  # <orgName><rs ref=.../></orgName>
        src = inner if inner is not None else el
        kind = "org" if tag == "orgName" or src.get("type") == "org" else "person"
        ids = refs(src.get("ref") or src.get("key"))
        name = text_of(el)
        if not ids:
            out.append(Agent(ref=None, name=name, kind=kind, cert=el.get("cert")))
        for r in ids:
            out.append(Agent(ref=r, name=name, kind=kind, cert=el.get("cert")))
    return out


def _place(action) -> tuple[str | None, str | None]:
    for pn in action.iterfind("{http://www.tei-c.org/ns/1.0}placeName"):
        src = pn.find("{http://www.tei-c.org/ns/1.0}rs")
        src = src if src is not None else pn
        ids = refs(src.get("ref") or src.get("key"))
        return (ids[0] if ids else None), text_of(pn)
    return None, None


def parse_date(el, path: str, diags: Diagnostics, certainty: str | None = None):
    """An EditionDate from a TEI ``date`` element, or None (with a diagnostic) if impossible.
    ``certainty`` overrides what the element says (a date taken from elsewhere: inferred)."""
    if el is None:
        return None
    when = date_attr(el, "when")
    nb, na = date_attr(el, "notBefore"), date_attr(el, "notAfter")
    fr, to = date_attr(el, "from"), date_attr(el, "to")
    if not (when or nb or na or fr or to):
        return None
    cert = (
        certainty
        or CERT.get(el.get("evidence") or "", None)
        or CERT.get(el.get("cert") or "", "exact")
    )
    cal = "julian" if "julian" in (el.get("calendar") or "").lower() else "gregorian"
    try:
        return make_date(
            text=text_of(el),
            when=when,
            not_before=nb,
            not_after=na,
            from_=fr,
            to=to,
            certainty=cert,
            calendar_=cal,
        )
    except DateError as e:
        diags.error(
            path, el.sourceline, "bad-date", f"impossible date: {e}; correct the date attributes"
        )
        return None


def _has_date_attrs(el) -> bool:
    """Does the date element carry a date parse_date reads (and reports if impossible)?"""
    return el is not None and any(
        date_attr(el, a) for a in ("when", "notBefore", "notAfter", "from", "to")
    )


def _kind(header) -> str:
    ot = header.find(
        "{http://www.tei-c.org/ns/1.0}fileDesc/{http://www.tei-c.org/ns/1.0}sourceDesc//{http://www.tei-c.org/ns/1.0}objectType"
    )
    if ot is not None:
        for key in (ot.get("ana"), ot.get("corresp"), text_of(ot)):
            if key and key.strip().lower() in KIND_MAP:
                return KIND_MAP[key.strip().lower()]
        raw = (ot.get("corresp") or text_of(ot) or "").strip().lower()
        if raw:
            return raw
    od = header.find(".//{http://www.tei-c.org/ns/1.0}objectDesc")
    if od is not None and od.get("form"):
        return KIND_MAP.get(od.get("form").lower(), od.get("form").lower())
    return "letter"


@reader("tei-letter")
def read_letter(
    root, path: str, diags: Diagnostics, state: ReadState | None = None
) -> SourceDocument | None:
    header = root.find(TEI + "teiHeader")
    if header is None:
        header = root.find("teiHeader")
    if header is None:
        return None
    corresp = header.findall(
        "{http://www.tei-c.org/ns/1.0}profileDesc/{http://www.tei-c.org/ns/1.0}correspDesc"
    )
    if len(corresp) != 1 or corresp[0].get("source") or corresp[0].get("key"):
        return None  # a register file, or CMIF
    cd = corresp[0]
    lid = root.get(XML_ID) or path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if lid.endswith(".xml"):
        lid = lid[:-4]
    title_el = header.find(
        "{http://www.tei-c.org/ns/1.0}fileDesc/{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}title[@level='a']"
    )
    if title_el is None:
        title_el = header.find(
            "{http://www.tei-c.org/ns/1.0}fileDesc/{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}title"
        )
    letter = Letter(id=lid, source_path=path, source_line=root.sourceline, title=text_of(title_el))
    series = header.find(f"{TEI}fileDesc/{TEI}titleStmt/{TEI}title[@level='s']")
    letter.series = text_of(series) or None
    doc = SourceDocument(path=path, format="tei-letter", diagnostics=diags)

    sent, sent_el = _actions(cd, letter, path, diags)
    if not any(a.kind == "person" for a in sent.agents):
        _sender_from_authors(header, letter, sent)
    _date_and_order(root, header, letter, sent, sent_el, path, diags)

    ctx = cd.find("{http://www.tei-c.org/ns/1.0}correspContext")
    if ctx is not None:
        for ref in ctx.iterfind("{http://www.tei-c.org/ns/1.0}ref"):
            _context_ref(ref, letter)

    letter.kind = _kind(header)
    letter.languages = [
        lang.get("ident")
        for lang in header.iterfind(
            "{http://www.tei-c.org/ns/1.0}profileDesc/{http://www.tei-c.org/ns/1.0}langUsage/{http://www.tei-c.org/ns/1.0}language"
        )
        if lang.get("ident")
    ]
    _archive(header, letter)
    _classes_and_facsimiles(root, header, letter)

    _read_text(root, letter, doc)
    _back_entries(root, path, doc, state)
    doc.letters.append(letter)
    return doc


def _actions(cd, letter: Letter, path: str, diags: Diagnostics):
    """The letter's correspActions -> (its "sent" action, made empty where the source has none;
    the first sent correspAction element or None)."""
    sent_el = None
    for act in cd.iterfind("{http://www.tei-c.org/ns/1.0}correspAction"):
        a = CorrespAction(type=_action_type(act, path, diags), agents=_agents(act))
        a.place_ref, a.place_name = _place(act)
        a.date = parse_date(act.find("{http://www.tei-c.org/ns/1.0}date"), path, diags)
        letter.actions.append(a)
        if a.type == "sent" and sent_el is None:
            sent_el = act
    sent = letter.action("sent")
    if sent is None:
        sent = CorrespAction(type="sent")
        letter.actions.insert(0, sent)
    return sent, sent_el


def _sender_from_authors(header, letter: Letter, sent: CorrespAction) -> None:
    """The sender may be recorded as the author when "sent" names only a post office."""
    received = {a.ref for a in letter.addressees}
    for au in header.iterfind(
        "{http://www.tei-c.org/ns/1.0}fileDesc/{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}author"
    ):
        for r in refs(au.get("ref") or au.get("key")) or [None]:
            if r not in received or r is None:
                sent.agents.append(Agent(ref=r, name=text_of(au), kind="person"))
        if sent.agents and any(a.kind == "person" for a in sent.agents):
            break


def _date_and_order(root, header, letter: Letter, sent, sent_el, path, diags) -> None:
    """The letter's date (the sent action's, else one found elsewhere) and ``@n`` order."""
    letter.date = sent.date
    date_el = sent_el.find("{http://www.tei-c.org/ns/1.0}date") if sent_el is not None else None
    if sent.date is None and not _has_date_attrs(date_el):
        # (an impossible date was reported as bad-date already: no second "undated" warning)
        letter.date = _fallback_date(root, header, letter.title, path, diags)
    if date_el is not None and date_el.get("n"):
        try:
            letter.order = int(date_el.get("n"))
        except ValueError:
            pass


def _back_entries(root, path: str, doc: SourceDocument, state: ReadState | None) -> None:
    """Register entries in the letter's ``<back>`` (each read once per process: ``state``)."""
    back = root.find("{http://www.tei-c.org/ns/1.0}text/{http://www.tei-c.org/ns/1.0}back")
    if back is None:
        return
    seen = state.seen_back_entries if state is not None else None
    entries, relations = read_lists(back, path, seen)
    for e in entries:
        e.from_letter = True
    doc.entries.extend(entries)
    doc.relations.extend(relations)


def _archive(header, letter: Letter) -> None:
    """Where the letter is kept: country, settlement, repository, shelfmark, physical form."""
    ms = header.find(
        "{http://www.tei-c.org/ns/1.0}fileDesc/{http://www.tei-c.org/ns/1.0}sourceDesc//{http://www.tei-c.org/ns/1.0}msDesc"
    )
    if ms is not None:
        ident = ms.find("{http://www.tei-c.org/ns/1.0}msIdentifier")
        if ident is not None:
            letter.country = text_of(ident.find("{http://www.tei-c.org/ns/1.0}country")) or None
            letter.settlement = (
                text_of(ident.find("{http://www.tei-c.org/ns/1.0}settlement")) or None
            )
            letter.repository = (
                text_of(ident.find("{http://www.tei-c.org/ns/1.0}repository")) or None
            )
            letter.shelfmark = text_of(ident.find("{http://www.tei-c.org/ns/1.0}idno")) or None
        phys = ms.find("{http://www.tei-c.org/ns/1.0}physDesc")
        if phys is not None:
            letter.physical = text_of(phys) or None


def _classes_and_facsimiles(root, header, letter: Letter) -> None:
    """The letter's subjects (textClass keywords) and its facsimile images."""
    for term in header.iterfind(
        "{http://www.tei-c.org/ns/1.0}profileDesc/{http://www.tei-c.org/ns/1.0}textClass/{http://www.tei-c.org/ns/1.0}keywords/{http://www.tei-c.org/ns/1.0}term"
    ):
        for r in refs(term.get("ref") or term.get("key")):
            letter.subjects.append(r)

    for g in root.iterfind(
        "{http://www.tei-c.org/ns/1.0}facsimile//{http://www.tei-c.org/ns/1.0}graphic"
    ):
        url = g.get("url")
        if url:
            iiif = g.get("type") == "iiif" or url.endswith("info.json") or "/iiif" in url
            letter.facsimiles.append(
                Facsimile(url=url, label=g.get("n"), kind="iiif" if iiif else "image")
            )


def _action_type(act, path: str, diags: Diagnostics) -> str:
    written = act.get("type") or ""
    t = ACTION_TYPES.get(written.strip().lower())
    if t is None:
        return written or "unknown"
    if t != written:
        diags.info(
            path,
            act.sourceline,
            "action-type",
            f"correspAction type {written!r} read as {t!r}; TEI's own values are "
            "'sent' and 'received'",
        )
    return t


def _context_ref(ref, letter: Letter) -> None:
    t, st = ref.get("type") or "", ref.get("subtype") or ""
    targets = refs(ref.get("target"))
    if t == "belongsToCorrespondence":
        letter.correspondences.extend(targets)
        return
    if t == "source-url":  # the letter's page elsewhere (CMIF correspDesc/@ref; TEI export)
        letter.links.extend(Link(type="source-url", target=x) for x in targets)
        return
    targets = [x[:-4] if x.endswith(".xml") else x for x in targets]
    scope = (refs(ref.get("source")) or [None])[0]
    if t in ("replyTo", "answers", "reply-to") or st == "reply_to":
        kind = "reply-to"
    elif t in ("answeredBy", "answered-by"):
        kind = "answered-by"
    elif st == "previous_letter" or t in ("prev", "previous"):
        kind = (
            "prev-corresp"
            if t == "withinCorrespondence" or t in ("prev", "previous")
            else "prev-collection"
        )
    elif st == "next_letter" or t == "next":
        kind = "next-corresp" if t == "withinCorrespondence" or t == "next" else "next-collection"
    else:
        return
    for x in targets:
        letter.links.append(Link(type=kind, target=x, scope=scope))


_DATED = "[@when or @notBefore or @notAfter or @from or @to]"
_ELSEWHERE = (  # where else a letter's date is written, in the order they are tried
    ("the dateline", etree.XPath(f"t:text//t:dateline//t:date{_DATED}", namespaces=NS)),
    ("the opener", etree.XPath(f"t:text//t:opener//t:date{_DATED}", namespaces=NS)),
    ("the closer", etree.XPath(f"t:text//t:closer//t:date{_DATED}", namespaces=NS)),
    (
        "the header",
        etree.XPath(
            f"t:teiHeader/t:profileDesc/t:creation//t:date{_DATED}"
            f" | t:teiHeader/t:fileDesc/t:sourceDesc//t:date{_DATED}",
            namespaces=NS,
        ),
    ),
)


def _date_elsewhere(root, path: str, diags: Diagnostics):
    """A date written in the dateline, opener, closer or header, marked inferred, with a note."""
    for where, xp in _ELSEWHERE:
        for el in xp(root):
            d = parse_date(el, path, diags, certainty="inferred")
            if d is not None:
                diags.info(
                    path,
                    el.sourceline,
                    "date-inferred",
                    f"no date in correspAction[@type='sent']; used {d.edtf or d.text!r} from "
                    f"{where}, marked as inferred",
                )
                return d
    return None


def _fallback_date(root, header, title: str, path: str, diags: Diagnostics):
    """When the sent action has no date: the header's ISO title date, a date in the dateline,
    opener, closer or elsewhere in the header, else a date in the title."""
    for t in header.iterfind(
        "{http://www.tei-c.org/ns/1.0}fileDesc/{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}title"
    ):
        v = date_attr(t, "when")
        if v:
            d = make_date(text=text_of(t), when=v, certainty="inferred")
            diags.info(
                path,
                t.sourceline,
                "date-from-title",
                f"no date in correspAction[@type='sent']; used the title's date {v}",
            )
            return d
    d = _date_elsewhere(root, path, diags)
    if d is not None:
        return d
    m = _TITLE_ISO.search(title or "")
    if m:
        try:
            d = make_date(text=m.group(1), when=m.group(1), certainty="inferred")
            diags.info(
                path,
                None,
                "date-from-title",
                f"no date in correspAction[@type='sent']; used {m.group(1)} from the title",
            )
            return d
        except DateError:
            pass
    diags.warning(
        path, None, "undated", "letter has no date: add <date> to correspAction[@type='sent']"
    )
    return None


def _read_text(root, letter: Letter, doc: SourceDocument) -> None:
    text = root.find(TEI + "text")
    if text is None or text.get("type") == "calendar":
        return  # no text, or a calendar entry: metadata only (as the TEI export writes it)
    move_back_notes(text)
    out = {"mentions": [], "terms": [], "quantities": [], "matters": [], "subjects": []}
    notes: list = []
    letter.versions = versions_of(
        text, letter.languages[0] if letter.languages else None, notes, out
    )
    letter.notes = notes
    letter.mentions = out["mentions"]
    letter.quantities = out["quantities"]
    letter.terms = out["terms"]
    for r in out["subjects"]:
        if "@" + r not in letter.subjects:
            letter.subjects.append("@" + r)  # "@": coded on a passage, not the whole letter
    for el in out["matters"]:
        letter.matters.append(_matter(el, letter))


def _matter(el, letter: Letter) -> Matter:
    mid = el.get(XML_ID) or f"{letter.id}-m{len(letter.matters) + 1}"
    m = Matter(id=mid, letter_id=letter.id, summary=text_of(el)[:300], line=el.sourceline)
    ana = refs(el.get("ana"))
    m.status, m.outcome = code(ana, "status"), code(ana, "outcome")
    m.subject = next(iter(subject_codes(ana)), None)
    raised = refs(el.get("resp"))
    m.raised_by = raised[0] if raised else next((a.ref for a in letter.senders if a.ref), None)
    m.addressed_to = next((a.ref for a in letter.addressees if a.ref), None)
    answers = refs(el.get("corresp"))
    m.answers = answers[0] if answers else None
    m.quantities = [q for q in letter.quantities if q.matter == el.get(XML_ID)]
    return m


@reader("tei-register")
def read_register(root, path: str, diags: Diagnostics) -> SourceDocument | None:
    entries, relations = read_lists(root, path)
    entries.extend(read_glossary(root, path))
    entries.extend(read_taxonomies(root, path))
    if not entries and not relations:
        return None
    return SourceDocument(
        path=path, format="tei-register", entries=entries, relations=relations, diagnostics=diags
    )
