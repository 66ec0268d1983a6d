"""The book as an EPUB 3: the same content as the PDF (render/book.py), for reading devices.

    write_epub(edition, Path("book.epub"))

One XHTML content document per chapter (title page, preface and essays, each year with its
introduction and letters, photographs, the name index, organisations, glossary), a navigation
document, and a package document with a unique identifier and ``dcterms:modified``. Editorial
notes are EPUB 3 footnotes: a ``noteref`` link in the text, an ``aside`` of ``epub:type``
``footnote`` after the letter. Index entries link to the letters they cite. The container is
written with zipfile: ``mimetype`` first and stored, everything else deflated.
"""

from __future__ import annotations

import uuid
import zipfile
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from lxml import etree
from lxml import html as lhtml

from .book import BookRenderer, book_context
from .i18n import Translator
from .room import ui_language

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "data-epub-type"  # written in the HTML, turned into epub:type in the XHTML

CSS = """body { font-family: serif; line-height: 1.4; margin: 0 4%; }
h1, h2, h3 { font-family: sans-serif; font-weight: normal; }
.title-page { text-align: center; margin-top: 20%; }
.meta, .source { font-size: 0.85em; color: #333; }
.translation { font-size: 0.9em; border-left: 1px solid #aaa; padding-left: 0.8em; }
aside.footnote { font-size: 0.85em; }
a.noteref { vertical-align: super; font-size: 0.75em; text-decoration: none; }
del { color: #777; } ins { text-decoration: none; }
figure { text-align: center; margin: 1em 0; } figure img { max-width: 100%; }
figcaption { font-style: italic; font-size: 0.9em; }
.index p { margin: 0 0 0.4em; }
"""


class EpubRenderer(BookRenderer):
    """Notes become EPUB 3 footnotes: a numbered ``noteref`` where the note stands, its text
    collected in ``self.footnotes`` as ``(anchor id, html)`` for the asides after the letter."""

    def __init__(self, notes: dict[int, list], prefix: str, **kw):
        super().__init__(notes, **kw)
        self.prefix = prefix
        self.footnotes: list[tuple[str, int, str]] = []

    def _note(self, node, tag, out):
        content = self.note_content(node)
        if content is None:
            return
        n = len(self.footnotes) + 1
        fid = f"{self.prefix}-fn{n}"
        out.append(f'<a class="noteref" id="{fid}-ref" href="#{fid}" {EPUB_TYPE}="noteref">{n}</a>')
        body: list[str] = []
        self.walk_note(node, content, body)
        self.footnotes.append((fid, n, "".join(body)))


def _anchor(letter_id: str) -> str:
    return "l-" + "".join(c if c.isalnum() or c in "-_." else "_" for c in letter_id)


def _to_xhtml(elem, parent=None):
    """An lxml.html element tree -> the same tree in the XHTML namespace (as XML)."""
    tag = elem.tag if isinstance(elem.tag, str) else None
    if tag is None:  # a comment or processing instruction: keep only its tail
        return None
    new = (
        etree.SubElement(parent, f"{{{XHTML}}}{tag}")
        if parent is not None
        else etree.Element(f"{{{XHTML}}}{tag}", nsmap={None: XHTML, "epub": OPS})
    )
    for k, v in elem.attrib.items():
        if k == EPUB_TYPE:
            new.set(f"{{{OPS}}}type", v)
        elif k == "lang":
            new.set("lang", v)
            new.set(XML_LANG, v)
        elif k.replace("-", "").replace("_", "").isalnum():
            new.set(k, v)
    new.text = elem.text
    for child in elem:
        made = _to_xhtml(child, new)
        if made is None:
            last = new[-1] if len(new) else None
            if child.tail:
                if last is not None:
                    last.tail = (last.tail or "") + child.tail
                else:
                    new.text = (new.text or "") + child.tail
            continue
        made.tail = child.tail
    return new


def _document(title: str, lang: str, body_html: str, kind: str = "bodymatter") -> bytes:
    body = lhtml.fragment_fromstring(body_html, create_parent="body")
    body.set(EPUB_TYPE, kind)
    root = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": OPS})
    root.set("lang", lang)
    root.set(XML_LANG, lang)
    head = etree.SubElement(root, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}title").text = title
    etree.SubElement(head, f"{{{XHTML}}}meta", charset="utf-8")
    etree.SubElement(head, f"{{{XHTML}}}link", rel="stylesheet", type="text/css", href="style.css")
    root.append(_to_xhtml(body))
    return b"<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html>\n" + etree.tostring(
        root, encoding="utf-8"
    )


def _letter_html(letter: dict, lang: str, t=str) -> str:
    number = (
        f"{t('No.')} {letter['number_in_year']}"
        if letter["number_in_year"]
        else f"[{letter['id']}]"
    )
    out = [
        f'<article id="{_anchor(letter["id"])}">',
        f'<h3 class="letter">{escape(number)} · {escape(letter["senders"])} {escape(t("to"))} '
        f"{escape(letter['addressees'])}</h3>",
        f'<p class="meta">{escape(letter["date"] or "")}'
        + (f", {escape(letter['place'])}" if letter["place"] else "")
        + (f" · {escape(letter['kind'])}" if letter["kind"] else "")
        + "</p>",
    ]
    for v in letter["versions"]:
        out.append(f'<div class="{escape(v["type"] or "")}" lang="{escape(v["lang"] or lang)}">')
        out.append(str(v["html"]))
        out.append("</div>")
    if letter["source"]:
        out.append(f'<p class="source">{escape(letter["source"])}</p>')
    for fid, n, body in letter["renderer"].footnotes:
        out.append(
            f'<aside id="{fid}" class="footnote" {EPUB_TYPE}="footnote">'
            f'<p><a href="#{fid}-ref">{n}.</a> {body}</p></aside>'
        )
    out.append("</article>")
    return "\n".join(out)


def epub_documents(
    edition, project_root: Path | None = None, text: str | None = None, layout: str | None = None
):
    """``(meta, lang, chapters, images)``: chapters are ``(file, title, xhtml bytes)`` in
    reading order, images ``(file, media type, bytes)``."""

    def renderer(letter):
        return EpubRenderer({n.n: n.content for n in letter.notes}, prefix=_anchor(letter.id))

    env, ctx = book_context(edition, project_root, renderer=renderer, text=text, layout=layout)
    md, t = env.filters["md"], env.globals["t"]
    meta, lang = ctx["meta"], ctx["lang"]
    chapters: list[tuple[str, str, bytes]] = []
    letter_file: dict[str, str] = {}

    title = [f'<section class="title-page"><h1>{escape(meta.title)}</h1>']
    if meta.subtitle:
        title.append(f'<p class="sub">{escape(meta.subtitle)}</p>')
    if meta.editors:
        title.append(f"<p>{escape(t('Edited by'))} {escape(', '.join(meta.editors))}</p>")
    if meta.publisher:
        title.append(f"<p>{escape(meta.publisher)}</p>")
    if meta.licence:
        title.append(f'<p class="source">{escape(meta.licence)}</p>')
    title.append("</section>")
    chapters.append(
        ("title.xhtml", meta.title, _document(meta.title, lang, "".join(title), "titlepage"))
    )

    for i, f in enumerate(ctx["front"], 1):
        body = f"<section><h2>{escape(f['title'])}</h2>{md(f['body'], f['title'])}</section>"
        chapters.append(
            (f"front-{i}.xhtml", f["title"], _document(f["title"], lang, body, "frontmatter"))
        )

    for year, intro, letters in ctx["years"]:
        name = f"year-{year or 'undated'}.xhtml"
        head = str(year) if year else t("Undated letters")
        for lt in letters:
            letter_file[lt["id"]] = name
        body = [f"<section><h2>{escape(head)}</h2>"]
        if intro:
            body.append(f'<div class="intro">{md(intro["body"], year)}</div>')
        body.extend(_letter_html(lt, lang, t) for lt in letters)
        body.append("</section>")
        chapters.append((name, head, _document(head, lang, "\n".join(body))))

    images: list[tuple[str, str, bytes]] = []
    if ctx["photos"]:
        body = [f"<section><h2>{escape(t('Photographs'))}</h2>"]
        for i, p in enumerate(ctx["photos"], 1):
            if not p["data"]:
                continue
            file = f"images/photo-{i}.{'png' if p['mime'] == 'image/png' else 'jpg'}"
            images.append((file, p["mime"], p["data"]))
            caption = escape(p["caption"] or "") + (
                f" ({escape(p['credit'])})" if p["credit"] else ""
            )
            body.append(
                f'<figure><img src="{file}" alt="{escape(p["caption"] or "")}"/><figcaption>{caption}</figcaption></figure>'
            )
        body.append("</section>")
        chapters.append(
            (
                "photographs.xhtml",
                t("Photographs"),
                _document(t("Photographs"), lang, "".join(body)),
            )
        )

    def links(pairs):
        return ", ".join(
            f'<a href="{letter_file[x]}#{_anchor(x)}">{escape(label)}</a>'
            if x in letter_file
            else escape(label)
            for label, x in pairs
        )

    body = [
        '<section class="index"><h2>Index of names</h2>',
        '<p class="source">Numbers are letters, by year and number: 1931/4 is No. 4 of 1931.</p>',
    ]
    for p in ctx["persons"]:
        body.append(
            f"<p><b>{escape(p['name'])}</b>"
            + (f" ({escape(p['life'])})" if p["life"] else "")
            + (f", {escape(p['note'])}" if p["note"] else "")
            + f". {links(p['ref_pairs'])}</p>"
        )
    body.append("</section>")
    chapters.append(
        (
            "names.xhtml",
            t("Index of names"),
            _document(t("Index of names"), lang, "\n".join(body), "backmatter"),
        )
    )

    body = ['<section class="index"><h2>Organisations</h2>']
    for o in ctx["orgs"]:
        body.append(
            f"<p><b>{escape(o['name'])}</b>"
            + (f" ({escape(o['abbr'])})" if o["abbr"] else "")
            + (f", {escape(o['existed'])}" if o["existed"] else "")
            + (f"; {escape(t('under'))} {escape(o['under'])}" if o["under"] else "")
            + (f". {escape(o['note'])}" if o["note"] else "")
            + (f". {links(o['ref_pairs'])}" if o["ref_pairs"] else "")
            + "</p>"
        )
    body.append("</section>")
    chapters.append(
        (
            "orgs.xhtml",
            t("Organisations"),
            _document(t("Organisations"), lang, "\n".join(body), "backmatter"),
        )
    )

    body = ['<section class="index"><h2>Abbreviations and acronyms</h2>']
    for g in ctx["glossary"]:
        ex = " — ".join(escape(x) for x in g["expansions"].values())
        note = f". {escape(g['note'])}" if g["note"] else ""
        body.append(f"<p><b>{escape(g['term'])}</b>: {ex}{note}</p>")
    body.append("</section>")
    chapters.append(
        (
            "glossary.xhtml",
            t("Abbreviations and acronyms"),
            _document(t("Abbreviations and acronyms"), lang, "\n".join(body), "backmatter"),
        )
    )
    return meta, lang, chapters, images


def _nav(t, lang: str, chapters, meta) -> bytes:
    items = "".join(f'<li><a href="{f}">{escape(t)}</a></li>' for f, t, _ in chapters)
    body = (
        f'<nav {EPUB_TYPE}="toc" id="toc"><h1>{escape(t("Contents"))}</h1><ol>{items}</ol></nav>'
        f'<nav {EPUB_TYPE}="landmarks" hidden=""><ol>'
        f'<li><a {EPUB_TYPE}="bodymatter" href="{chapters[0][0]}">{escape(meta.title)}</a></li>'
        "</ol></nav>"
    )
    return _document(t("Contents"), lang, body, "frontmatter")


def _identifier(meta) -> str:
    seed = meta.base_url or meta.title
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def _package(meta, lang: str, chapters, images, modified: str) -> bytes:
    m = [
        f'<dc:identifier id="uid">{escape(_identifier(meta))}</dc:identifier>',
        f"<dc:title>{escape(meta.title)}</dc:title>",
        f"<dc:language>{escape(lang)}</dc:language>",
        f'<meta property="dcterms:modified">{modified}</meta>',
    ]
    m += [f"<dc:creator>{escape(e)}</dc:creator>" for e in meta.editors]
    if meta.publisher:
        m.append(f"<dc:publisher>{escape(meta.publisher)}</dc:publisher>")
    if meta.licence:
        m.append(f"<dc:rights>{escape(meta.licence)}</dc:rights>")
    if meta.description:
        m.append(f"<dc:description>{escape(meta.description)}</dc:description>")
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    spine = []
    for i, (f, _t, _b) in enumerate(chapters):
        manifest.append(f'<item id="c{i}" href="{f}" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="c{i}"/>')
    for i, (f, mime, _d) in enumerate(images):
        manifest.append(f'<item id="img{i}" href="{f}" media-type="{mime}"/>')
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" '
        f'xml:lang="{escape(lang)}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        + "\n".join(m)
        + "\n</metadata>\n<manifest>\n"
        + "\n".join(manifest)
        + "\n</manifest>\n<spine>\n"
        + "\n".join(spine)
        + "\n</spine>\n</package>\n"
    ).encode("utf-8")


CONTAINER = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    b'<rootfiles><rootfile full-path="EPUB/package.opf" '
    b'media-type="application/oebps-package+xml"/></rootfiles></container>\n'
)


def write_epub(
    edition,
    out: Path,
    project_root: Path | None = None,
    text: str | None = None,
    layout: str | None = None,
) -> Path:
    """Write the book as an EPUB 3 to ``out``; written beside and renamed, never half-written.
    ``text`` as for the PDF; the layout is always one version after the other (reflowing
    screens have no facing pages)."""
    meta, lang, chapters, images = epub_documents(edition, project_root, text, layout)
    modified = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", zipfile.ZIP_STORED)
        deflate = zipfile.ZIP_DEFLATED
        z.writestr("META-INF/container.xml", CONTAINER, deflate)
        z.writestr("EPUB/package.opf", _package(meta, lang, chapters, images, modified), deflate)
        nav = _nav(Translator(ui_language(edition)), lang, chapters, meta)
        z.writestr("EPUB/nav.xhtml", nav, deflate)
        z.writestr("EPUB/style.css", CSS, deflate)
        for f, _t, data in chapters:
            z.writestr(f"EPUB/{f}", data, deflate)
        for f, _mime, data in images:
            z.writestr(f"EPUB/{f}", data, deflate)
    tmp.replace(out)
    return out
