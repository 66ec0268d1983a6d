"""TEI text -> the model's node tree (see ``epistola.model.text``).

The mapping is data: ``RULES`` says which node kind each TEI element becomes. Elements not named
here are transparent (their content is kept, the element is dropped), so no text is ever lost.
"""

from __future__ import annotations

import re

from lxml import etree

from ..model.letters import Mention, Note, Quantity
from ..model.refs import code, subject_codes
from ..model.text import plain_text
from .xml import TEI, XML_ID, XML_LANG, local, refs

_ws = re.compile(r"\s+").sub

# TEI element -> (node kind, extra attributes)
RULES: dict[str, tuple[str, dict]] = {
    "div": ("div", {}),
    "head": ("head", {}),
    "p": ("p", {}),
    "ab": ("p", {}),
    "opener": ("opener", {}),
    "closer": ("closer", {}),
    "salute": ("salute", {}),
    "dateline": ("dateline", {}),
    "signed": ("signed", {}),
    "postscript": ("postscript", {}),
    "list": ("list", {}),
    "item": ("item", {}),
    "lg": ("lg", {}),
    "l": ("l", {}),
    "quote": ("quote", {}),
    "q": ("quote", {"inline": True}),
    "table": ("table", {}),
    "row": ("row", {}),
    "cell": ("cell", {}),
    "address": ("address", {}),
    "addrLine": ("l", {}),
    "hi": ("hi", {}),
    "emph": ("hi", {"rend": "italic"}),
    "del": ("del", {}),
    "add": ("add", {}),
    "unclear": ("unclear", {}),
    "gap": ("gap", {}),
    "pb": ("pb", {}),
    "lb": ("lb", {}),
    "cb": ("lb", {}),
    "foreign": ("foreign", {}),
    "date": ("date", {}),
    "measure": ("measure", {}),
    "seg": ("seg", {}),
    "ref": ("ref", {}),
    "ptr": ("ref", {}),
}

NAME_KINDS = {
    "persName": "person",
    "placeName": "place",
    "orgName": "org",
    "title": "work",
    "name": None,
    "rs": None,
}
RS_TYPES = {
    "person": "person",
    "place": "place",
    "org": "org",
    "work": "work",
    "event": "event",
    "bibl": "work",
    "personGrp": "person",
}
SKIP = frozenset(
    {"anchor", "figDesc", "fw", "metamark", "space", "milestone", "facsimile", "index"}
)


class TextConverter:
    """Converts one letter's text; collects notes, mentions, matters and quantities on the way."""

    def __init__(self, back_notes: dict | None = None):
        self.notes: list[Note] = []
        self.mentions: list[Mention] = []
        self.quantities: list[Quantity] = []
        self.matter_els: list = []  # (element, nodes)
        self.subject_refs: list[str] = []
        self.back_notes = back_notes or {}  # anchor id -> note element (notes kept outside text)
        self._in_note = 0
        self.version_type = "original"  # set per version: mentions in a translation say so
        self._matter: list[str] = []

    def blocks(self, el) -> list:
        return self._children(el)

    def _children(self, el) -> list:
        out: list = []
        if el.text:
            out.append(_ws(" ", el.text))
        for child in el:
            out.extend(self._node(child))
            if child.tail:
                out.append(_ws(" ", child.tail))
        return out

    def _node(self, el) -> list:
        tag = local(el.tag)
        if not tag:
            return []
        if tag == "note":
            return [self._note(el)]
        if tag == "anchor":
            target = self.back_notes.pop(el.get(XML_ID), None)
            return [self._note(target)] if target is not None else []
        if tag in SKIP:
            return [" "] if tag == "space" else []
        if tag == "choice":
            return self._choice(el)
        if tag == "c" or tag == "g":
            return [el.text or ""]
        if tag == "abbr":
            return [
                {
                    "t": "abbr",
                    "gloss": (refs(el.get("corresp")) or [None])[0],
                    "c": self._children(el),
                }
            ]
        if tag in NAME_KINDS:
            return self._name(el, tag)
        ana = el.get("ana")
        if ana:
            self._ana(ana)
        rule = RULES.get(tag)
        if rule is None:
            return self._children(el)  # transparent: keep the content
        kind, extra = rule
        if tag == "seg" and el.get("type") == "letterhead":
            kind = "letterhead"
        node = {"t": kind, **extra}
        if tag == "measure":
            return [self._measure(el, node)]
        for attr, key in (
            ("rend", "rend"),
            ("type", "type"),
            ("n", "n"),
            ("facs", "facs"),
            ("when", "when"),
            ("reason", "reason"),
            ("target", "target"),
        ):
            v = el.get(attr)
            if v is not None:
                node[key] = v
        lang = el.get(XML_LANG)
        if lang:
            node["lang"] = lang
        if ana:
            node["ana"] = ana
        is_matter = el.get("type") == "matter" and tag in ("div", "seg", "p")
        if is_matter:
            node["id"] = el.get(XML_ID)
            self._matter.append(el.get(XML_ID) or "")
        node["c"] = self._children(el)
        if is_matter:
            self._matter.pop()
            self.matter_els.append((el, node))
        return [node]

    def _note(self, el) -> dict:
        n = len(self.notes) + 1
        self._in_note += 1
        content = self._children(el)
        self._in_note -= 1
        self.notes.append(
            Note(n=n, id=el.get(XML_ID), type=el.get("type") or "note", content=content)
        )
        return {"t": "note", "n": n}

    def _choice(self, el) -> list:
        parts = {local(c.tag): c for c in el}
        if "abbr" in parts:
            abbr = parts["abbr"]
            exp = parts.get("expan")
            return [
                {
                    "t": "abbr",
                    "expan": " ".join("".join(exp.itertext()).split()) if exp is not None else None,
                    "gloss": (refs(abbr.get("corresp") or el.get("corresp")) or [None])[0],
                    "c": self._children(abbr),
                }
            ]
        if "sic" in parts:
            corr = parts.get("corr")
            return [
                {
                    "t": "sic",
                    "corr": "".join(corr.itertext()) if corr is not None else None,
                    "c": self._children(parts["sic"]),
                }
            ]
        if "orig" in parts:
            return self._children(parts.get("reg", parts["orig"]))
        first = next(iter(el), None)
        return self._children(first) if first is not None else []

    def _name(self, el, tag: str) -> list:
        kind = NAME_KINDS[tag]
        if kind is None:
            kind = RS_TYPES.get(el.get("type") or "", el.get("type") or "person")
        ids = refs(el.get("ref") or el.get("key"))
        ana = el.get("ana") or ""
        stance = code(refs(ana), "stance")
        where = mention_place(el, bool(self._in_note), self.version_type)
        for r in ids:
            self.mentions.append(
                Mention(ref=r, kind=kind, where=where, stance=stance, line=el.sourceline)
            )
        node = {"t": "name", "kind": kind, "ref": " ".join(ids) or None, "c": self._children(el)}
        if stance:
            node["stance"] = stance
        return [node]

    def _measure(self, el, node: dict) -> dict:
        q = el.get("quantity")
        try:
            qv = float(q.replace(",", "")) if q else None
        except ValueError:
            qv = None
        node.update(
            quantity=qv,
            unit=el.get("unit"),
            commodity=el.get("commodity"),
            status=el.get("type"),
            c=self._children(el),
        )
        if not self._in_note and (qv is not None or el.get("type")):
            self.quantities.append(
                Quantity(
                    quantity=qv,
                    unit=el.get("unit"),
                    commodity=el.get("commodity"),
                    status=el.get("type"),
                    text=" ".join("".join(el.itertext()).split()),
                    matter=self._matter[-1] if self._matter else None,
                )
            )
        return node

    def _ana(self, ana: str) -> None:
        self.subject_refs.extend(subject_codes(refs(ana)))


_IN_SIGNED = etree.XPath("boolean(ancestor::t:signed)", namespaces={"t": TEI[1:-1]})


def mention_place(el, in_note: bool, version_type: str) -> str:
    """Where a name stands: ``note`` (the editors'), ``translation``, ``signature`` (inside
    ``signed``) or ``text`` (the original's running text). Analyses count ``text`` only."""
    if in_note:
        return "note"
    if version_type == "translation":
        return "translation"
    if _IN_SIGNED(el):
        return "signature"
    return "text"


def build_text(letter) -> None:
    """Build each version's node tree from its stored TEI markup, with the letter's notes and
    mentions, numbered as the ingest scan numbered them (document order)."""
    from .xml import parse_bytes

    conv = TextConverter()
    for v in letter.versions:
        if v.tei and not v.blocks:
            # recovered at ingest already (and reported then): undeclared prefixes, numeric ids
            conv.version_type = v.type
            v.blocks = conv.blocks(parse_bytes(v.tei.encode("utf-8"), recovered=[]))
    letter.notes = conv.notes
    for n in letter.notes:
        n.text = plain_text(n.content, skip=())
    letter.mentions = conv.mentions
