"""Word (.docx) transcriptions -> TEI text markup.

The document's XML is read straight from the archive with the safe XML parser (after the zip
bomb check in ``tables.check_zip``): paragraphs become ``p``; italics, bold, underline,
strike-through and superscript become ``hi`` with a ``rend``; footnotes become notes where
their reference stands; tracked insertions and deletions become ``add`` and ``del``; line
breaks ``lb`` and page breaks ``pb``.
"""

from __future__ import annotations

from lxml import etree

from .tables import TableError, check_zip
from .xml import TEI, parse_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_PART = 50 * 1024 * 1024


def _read_part(zf, name: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise TableError(f"DOCX part {name} is {info.file_size // 1_000_000} MB; refused")
    return zf.read(name)


def _rends(rpr) -> list[str]:
    if rpr is None:
        return []
    out = []

    def on(tag):
        el = rpr.find(W + tag)
        return el is not None and el.get(W + "val", "true") not in ("0", "false", "none")

    if on("b"):
        out.append("bold")
    if on("i"):
        out.append("italic")
    if on("u"):
        out.append("underline")
    if on("strike") or on("dstrike"):
        out.append("strikethrough")
    va = rpr.find(W + "vertAlign")
    if va is not None and va.get(W + "val") in ("superscript", "subscript"):
        out.append("sup" if va.get(W + "val") == "superscript" else "sub")
    return out


def _text(parent, s: str) -> None:
    if not s:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + s
    else:
        parent.text = (parent.text or "") + s


class DocxText:
    def __init__(self, footnotes: dict):
        self.footnotes = footnotes  # id -> w:footnote element

    def body(self, doc_root, body_el) -> None:
        body = doc_root.find(W + "body")
        if body is None:
            raise TableError("DOCX has no document body")
        for p in body.iter(W + "p"):
            if p.getparent() is not None and p.getparent().tag in (W + "footnote",):
                continue
            tp = etree.SubElement(body_el, TEI + "p")
            self.inline(p, tp)
            if not len(tp) and not (tp.text or "").strip():
                body_el.remove(tp)

    def inline(self, el, out) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "r":
                self.run(child, out)
            elif tag in (W + "ins", W + "del"):
                wrap = etree.SubElement(out, TEI + ("add" if tag == W + "ins" else "del"))
                self.inline(child, wrap)
            elif tag in (W + "hyperlink", W + "smartTag", W + "sdt", W + "sdtContent"):
                self.inline(child, out)

    def run(self, r, out) -> None:
        target = out
        for rend in _rends(r.find(W + "rPr")):
            target = etree.SubElement(target, TEI + "hi", rend=rend)
        for c in r:
            tag = c.tag
            if tag in (W + "t", W + "delText"):
                _text(target, c.text or "")
            elif tag == W + "tab":
                _text(target, " ")
            elif tag in (W + "br", W + "cr"):
                if c.get(W + "type") == "page":
                    etree.SubElement(target, TEI + "pb")
                else:
                    etree.SubElement(target, TEI + "lb")
            elif tag == W + "footnoteReference":
                fn = self.footnotes.get(c.get(W + "id"))
                note = etree.SubElement(target, TEI + "note")
                if fn is not None:
                    paras = fn.findall(W + "p")
                    for k, p in enumerate(paras):
                        if k:
                            _text(note, " ")
                        self.inline(p, note)
                note.text = (note.text or "").lstrip()


def docx_body(data: bytes, body_el) -> None:
    """Append the .docx document's text to a TEI ``body``; raise TableError when unreadable."""
    zf = check_zip(data, "DOCX")
    doc = _read_part(zf, "word/document.xml")
    if doc is None:
        raise TableError("not a Word document (no word/document.xml in the archive)")
    try:
        root = parse_bytes(doc)
        notes_xml = _read_part(zf, "word/footnotes.xml")
        notes_root = parse_bytes(notes_xml) if notes_xml else None
    except etree.XMLSyntaxError as e:
        raise TableError(f"the Word document's XML is damaged: {e}") from None
    footnotes = {}
    if notes_root is not None:
        for fn in notes_root.iterfind(W + "footnote"):
            if fn.get(W + "type") in (None, "normal"):
                footnotes[fn.get(W + "id")] = fn
    DocxText(footnotes).body(root, body_el)
