"""The ingest-time pass over a letter's TEI text: fast, mostly in libxml2.

Ingest stores each text version's TEI markup as it is and extracts only what the store indexes:
plain text, notes (text), names mentioned, abbreviations, quantities, matters and subjects on
passages. The full node tree (``tei_text.TextConverter``) is built when a letter is loaded, so
both passes must number notes the same way: document order within each version.
"""

from __future__ import annotations

import re

from lxml import etree

from ..model.letters import Mention, Note, Quantity, TextVersion
from ..model.refs import code, subject_codes
from .tei_text import NAME_KINDS, RS_TYPES, mention_place
from .xml import TEI, XML_ID, XML_LANG, local, refs

NS = {"t": TEI[1:-1]}
_NAMES = etree.XPath(
    ".//t:persName[@ref or @key] | .//t:placeName[@ref or @key] | .//t:orgName[@ref or @key]"
    " | .//t:rs[@ref or @key] | .//t:name[@ref or @key] | .//t:title[@ref or @key]",
    namespaces=NS,
)
_IN_NOTE = etree.XPath("boolean(ancestor::t:note)", namespaces=NS)
_NOTES = etree.XPath(".//t:note", namespaces=NS)
_ABBR = etree.XPath(".//t:abbr", namespaces=NS)
_MEASURES = etree.XPath(".//t:measure[not(ancestor::t:note)]", namespaces=NS)
_MATTERS = etree.XPath(
    ".//*[@type='matter'][self::t:div or self::t:seg or self::t:p]", namespaces=NS
)
_ANA = etree.XPath(".//*[@ana][not(self::t:persName or self::t:rs or self::t:name)]", namespaces=NS)
_MATTER_OF = etree.XPath("ancestor::*[@type='matter'][1]/@xml:id", namespaces=NS)
_TEXT = etree.XPath("string()")
# the alternatives a reader does not see in the running text (the converter shows them on hover)
_HIDDEN = etree.XPath(
    ".//t:choice/t:expan | .//t:choice/t:corr | .//t:choice/t:orig", namespaces=NS
)
# elements that stand apart on the page: their end is a word boundary even with no space
BLOCK_TAGS = tuple(
    TEI + b
    for b in (
        "p",
        "ab",
        "opener",
        "closer",
        "salute",
        "dateline",
        "signed",
        "head",
        "item",
        "l",
        "postscript",
        "address",
        "addrLine",
        "div",
        "cell",
        "seg",
    )
)
SEG = TEI + "seg"
_ws = re.compile(r"\s+").sub
NOTE = TEI + "note"
LB = TEI + "lb"
SPACE = TEI + "space"


def scan_version(el, lang, type_, notes: list[Note], out: dict) -> TextVersion:
    """Extract what ingest needs from one version element (``body`` or a ``div``).

    Appends to ``notes`` (numbered on) and to ``out`` lists: mentions, terms, quantities,
    matters (elements), subjects. Mutates ``el`` after serialising it (notes removed for the
    reading text), so call it last on a tree that is about to be dropped.
    """
    xml = etree.tostring(el, encoding="unicode", with_tail=False)
    for n in _NOTES(el):
        notes.append(
            Note(
                n=len(notes) + 1,
                id=n.get(XML_ID),
                type=n.get("type") or "note",
                text=_ws(" ", _TEXT(n)).strip(),
            )
        )
    for name in _NAMES(el):
        tag = local(name.tag)
        kind = NAME_KINDS.get(tag)
        if kind is None:
            kind = RS_TYPES.get(name.get("type") or "", name.get("type") or "person")
        where = mention_place(name, _IN_NOTE(name), type_)
        stance = code(refs(name.get("ana")), "stance")
        for r in refs(name.get("ref") or name.get("key")):
            out["mentions"].append(
                Mention(ref=r, kind=kind, where=where, stance=stance, line=name.sourceline)
            )
    for ab in _ABBR(el):
        parent = ab.getparent()
        expan = None
        gloss = refs(ab.get("corresp"))
        if parent is not None and local(parent.tag) == "choice":
            ex = parent.find(TEI + "expan")
            expan = _ws(" ", _TEXT(ex)).strip() if ex is not None else None
            gloss = gloss or refs(parent.get("corresp"))
        term = _ws(" ", _TEXT(ab)).strip()
        if term:
            out["terms"].append((term, expan, gloss[0] if gloss else None))
    for m in _MEASURES(el):
        q = m.get("quantity")
        try:
            qv = float(q.replace(",", "")) if q else None
        except ValueError:
            qv = None
        if qv is not None or m.get("type"):
            owner = _MATTER_OF(m)
            out["quantities"].append(
                Quantity(
                    quantity=qv,
                    unit=m.get("unit"),
                    commodity=m.get("commodity"),
                    status=m.get("type"),
                    text=_ws(" ", _TEXT(m)).strip(),
                    matter=owner[0] if owner else None,
                )
            )
    out["matters"].extend(_MATTERS(el))
    for a in _ANA(el):
        out["subjects"].extend(subject_codes(refs(a.get("ana"))))
    # the reading text: no notes; line breaks, spaces and block ends as word boundaries
    for lb in el.iter(LB, SPACE):
        if lb.get("break") != "no":  # <lb break="no"/> continues a word on the next line
            lb.tail = " " + (lb.tail or "")
    for block in el.iter(BLOCK_TAGS):  # (lxml's iter with tags runs in C)
        if block.tag != SEG or block.get("type") == "letterhead" or block.get("rend"):
            block.tail = "\n" + (block.tail or "")
    etree.strip_elements(el, NOTE, with_tail=False)
    for hidden in _HIDDEN(el):
        parent = hidden.getparent()
        if hidden.tail:
            prev = hidden.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + hidden.tail
            else:
                parent.text = (parent.text or "") + hidden.tail
        parent.remove(hidden)
    text = _ws(" ", _TEXT(el)).strip()
    return TextVersion(lang=lang, type=type_, tei=xml, text=text)


def versions_of(text_el, default_lang, notes: list[Note], out: dict) -> list[TextVersion]:
    """Every text version of a TEI ``text``: group/text elements, or body + translation divs."""
    group = text_el.find(TEI + "group")
    versions = []
    if group is not None:
        for t in group.iterfind(TEI + "text"):
            body = t.find(TEI + "body")
            if body is not None:
                versions.append(
                    scan_version(body, t.get(XML_LANG), t.get("type") or "original", notes, out)
                )
        return versions
    body = text_el.find(TEI + "body")
    if body is None:
        return versions
    trans = [d for d in body.iterfind(TEI + "div") if d.get("type") == "translation"]
    for d in trans:
        body.remove(d)
    versions.append(
        scan_version(body, text_el.get(XML_LANG) or default_lang, "original", notes, out)
    )
    for d in trans:
        versions.append(scan_version(d, d.get(XML_LANG), "translation", notes, out))
    return versions


def move_back_notes(text_el) -> None:
    """Notes kept apart (``<note target="#a1">`` in ``back``) go where their anchor stands."""
    back = text_el.find(TEI + "back")
    if back is None:
        return
    notes = {}
    for note in back.iterfind(f".//{NOTE}[@target]"):
        tgt = refs(note.get("target"))
        if tgt:
            notes[tgt[0]] = note
    if not notes:
        return
    for anchor in text_el.iter(TEI + "anchor"):
        note = notes.pop(anchor.get(XML_ID), None)
        if note is not None:
            note.tail = anchor.tail
            anchor.getparent().replace(anchor, note)
