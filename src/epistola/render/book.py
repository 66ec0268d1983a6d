"""The printed book: the edition as one PDF, laid out like the reference edition.

Title page, contents, preface and essays, then each year's introduction followed by its letters
("No. 12", date, sender to addressee, place), with the editorial notes as real footnotes; then
the name index with biographical notes and letter numbers, the organisations with their place
in the structure, and the glossary. HTML + CSS (``templates/book/``) rendered by WeasyPrint.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from html import escape
from pathlib import Path

from markupsafe import Markup

from ..errors import ConfigError
from ..model import display
from .html import HtmlRenderer
from .i18n import localise_date
from .room import ui_language
from .templating import make_environment

PDF_VARIANT = "pdf/ua-1"


class BookRenderer(HtmlRenderer):
    """Notes become footnotes where they stand; names are plain text (no links on paper)."""

    def __init__(self, notes: dict[int, list], **kw):
        super().__init__(**kw)
        self.notes = notes
        self.open_notes: set[int] = set()  # notes being written (a note may hold a note)

    def note_content(self, node):
        """The note's content, or None when it is unknown or already being written: a note
        nested in another can carry its parent's number (Schnitzler L04145, L04322), and
        writing it there again would never end."""
        n = int(node.get("n") or 0)
        return None if n in self.open_notes else self.notes.get(n)

    def walk_note(self, node, content, out):
        n = int(node.get("n") or 0)
        self.open_notes.add(n)
        try:
            self._walk(content, out)
        finally:
            self.open_notes.discard(n)

    def _note(self, node, tag, out):
        content = self.note_content(node)
        if content is None:
            return
        out.append('<span class="fn">')
        self.walk_note(node, content, out)
        out.append("</span>")

    def _link(self, node, tag, out):
        self._open(node, "span", out)
        self._walk(node.get("c", ()), out)
        out.append("</span>")

    def _abbr(self, node, tag, out):
        self._open(node, "abbr", out)
        self._walk(node.get("c", ()), out)
        out.append("</abbr>")


TEXTS = ("original", "translation", "both")
LAYOUTS = ("sequence", "parallel", "facing")


def book_settings(edition, text: str | None = None, layout: str | None = None) -> tuple[str, str]:
    """What the book prints: ``text`` original, translation or both (default both) and, for
    both, the ``layout`` sequence (one after the other), parallel (columns) or facing (original
    on the left page, translation on the right). Unset values come from the project's
    ``[outputs] book_text`` / ``book_layout`` in epistola.toml."""
    if text is None or layout is None:
        root = edition.store.get_meta("project_root")
        cfg = Path(root) / "epistola.toml" if root else None
        outputs = {}
        if cfg is not None and cfg.is_file():
            import tomllib

            try:
                outputs = tomllib.loads(cfg.read_text(encoding="utf-8")).get("outputs", {})
            except (OSError, tomllib.TOMLDecodeError):
                outputs = {}
        text = text or outputs.get("book_text") or "both"
        layout = layout or outputs.get("book_layout") or "sequence"
    if text not in TEXTS:
        raise ConfigError(f"book text {text!r} is not one of {', '.join(TEXTS)}")
    if layout not in LAYOUTS:
        raise ConfigError(f"book layout {layout!r} is not one of {', '.join(LAYOUTS)}")
    return text, layout


def choose_versions(versions: list, text: str) -> list:
    """The versions of one letter the book prints (a letter with no translation keeps its
    original when only translations are wanted: nothing is lost)."""
    if text == "both":
        return versions
    want = [v for v in versions if (v.type == "translation") == (text == "translation")]
    return want or versions


def book_html(
    edition, project_root: Path | None = None, text: str | None = None, layout: str | None = None
) -> str:
    """The whole book as one HTML document, from ``book/book.html`` (a project's own
    ``templates/book/book.html`` first; ``project_root`` defaults to the edition's project)."""
    env, ctx = book_context(edition, project_root, text=text, layout=layout)
    for p in ctx["photos"]:
        data, mime = p["data"], p["mime"]
        p["src"] = f"data:{mime};base64,{base64.b64encode(data).decode()}" if data else ""
    return env.get_template("book/book.html").render(**ctx)


def book_context(
    edition,
    project_root: Path | None = None,
    renderer=None,
    text: str | None = None,
    layout: str | None = None,
):
    """The book's content, shared by the PDF and the EPUB: ``(jinja environment, context)``.
    ``renderer(letter)`` makes the text renderer of one letter (default: notes as CSS
    footnotes); each letter's ``refs`` pairs are ``(label, letter id)`` for linking."""
    store = edition.store
    text, layout = book_settings(edition, text, layout)
    renderer = renderer or (lambda letter: BookRenderer({n.n: n.content for n in letter.notes}))
    meta = edition.meta
    years = _letters_by_year(edition, renderer, text)
    intros = {f["year"]: f for f in edition.front("introduction")}
    cites = _Citations(store)
    persons = [
        {
            "name": e.sort_name,
            "life": e.life,
            "note": e.note.rstrip(". "),
            "refs": cites.refs(e.id),
            "ref_pairs": cites.ref_pairs(e.id),
        }
        for e in edition.entries("person")
        if e.id in cites.cited
    ]
    glossary = [
        {"term": e.term, "expansions": e.expansions, "note": e.note}
        for e in edition.entries("term")
    ]
    root = project_root or store.get_meta("project_root")
    # a project's templates reach the book
    ui = ui_language(edition)  # the reading room's language
    env = make_environment(Path(root) if root else None, ui)
    return env, dict(
        meta=meta,
        text=text,
        layout=layout,
        lang=(meta.languages or ["en"])[-1],
        doc_lang=ui,  # the book's own words (headings, labels) are the interface's
        front=[f for f in edition.front() if f["kind"] in ("preface", "essay")],
        years=[
            (y, intros.get(y), years[y]) for y in sorted(years, key=lambda y: (y is None, y or 0))
        ],
        persons=persons,
        orgs=sorted(_organisations(edition, cites), key=lambda o: o["name"]),
        glossary=glossary,
        photos=_photos(store),
        escape=escape,
    )


def _letters_by_year(edition, renderer, text: str) -> dict[int | None, list[dict]]:
    """Year -> what the book shows of each of its letters, in edition order."""
    ui = ui_language(edition)  # the reading room's language
    years: dict[int | None, list] = defaultdict(list)
    for letter in edition.letters():
        r = renderer(letter)
        versions = [
            {"lang": v.lang, "type": v.type, "html": Markup(r.render(v.blocks))}
            for v in choose_versions(letter.versions, text)
        ]
        years[letter.year].append(
            {
                "id": letter.id,
                "label": letter.label,
                "number_in_year": letter.number_in_year,
                "date": localise_date(display(letter.date), ui),
                "title": letter.title,
                "kind": letter.kind,
                "senders": "; ".join(a.name for a in letter.senders if a.name) or "[unknown]",
                "addressees": "; ".join(a.name for a in letter.addressees if a.name) or "[unknown]",
                "place": next(
                    (a.place_name for a in letter.actions if a.type == "sent" and a.place_name), ""
                ),
                "source": ", ".join(x for x in (letter.repository, letter.shelfmark) if x),
                "versions": versions,
                "renderer": r,
            }
        )
    return years


class _Citations:
    """Which letters name or exchange each register entry, as the index's "1931/3" numbers."""

    def __init__(self, store):
        self.labels = {
            r["id"]: (r["year"], r["number_in_year"])
            for r in store.execute("SELECT id, year, number_in_year FROM letters")
        }
        self.cited: dict[str, set] = defaultdict(set)
        for r in store.execute(
            "SELECT letter_id, entry_id FROM letter_mentions WHERE entry_id IS NOT NULL "
            "UNION SELECT letter_id, entry_id FROM letter_agents WHERE entry_id IS NOT NULL"
        ):
            self.cited[r["entry_id"]].add(r["letter_id"])

    def ref_pairs(self, entry_id: str) -> list[tuple[str, str]]:
        """(label, letter id) of each letter citing the entry; undated letters last."""
        labels = self.labels
        triples = sorted(
            (labels[x][0] or 9999, labels[x][1] or 0, x)
            for x in self.cited.get(entry_id, ())
            if x in labels
        )
        return [(f"{y}/{n}" if y != 9999 else "undated", x) for y, n, x in triples]

    def refs(self, entry_id: str) -> str:
        return ", ".join(label for label, _ in self.ref_pairs(entry_id))


def _organisations(edition, cites: _Citations) -> list[dict]:
    """Every organisation with when it existed and where it stood in the structure."""
    parents = defaultdict(list)
    for r in edition.store.execute(
        "SELECT org, parent, from_, to_ FROM org_relations ORDER BY from_"
    ):
        parents[r["org"]].append(r)
    orgs_by_id = {e.id: e for e in edition.entries("org")}
    orgs = []
    for e in orgs_by_id.values():
        under = "; ".join(
            f"{orgs_by_id[p['parent']].name if p['parent'] in orgs_by_id else p['parent']}"
            + (f" ({p['from_'] or '…'}–{p['to_'] or '…'})" if p["from_"] or p["to_"] else "")
            for p in parents.get(e.id, [])
        )
        existed = f"{(e.from_ or '…')[:4]}–{(e.to or '…')[:4]}" if e.from_ or e.to else ""
        orgs.append(
            {
                "name": e.name,
                "abbr": e.abbr,
                "existed": existed,
                "under": under,
                "note": e.note.rstrip(". "),
                "refs": cites.refs(e.id),
                "ref_pairs": cites.ref_pairs(e.id),
            }
        )
    return orgs


def _photos(store) -> list[dict]:
    """The photographs with their image bytes (``data``, None when missing) and MIME type."""
    photos = store.execute(
        "SELECT p.id, p.file, p.caption, p.persons, p.credit, a.data FROM photographs p "
        "LEFT JOIN assets a ON a.path = p.file ORDER BY p.id"
    )
    for p in photos:
        p["persons"] = json.loads(p["persons"] or "[]")
        p["mime"] = "image/png" if (p["file"] or "").lower().endswith(".png") else "image/jpeg"
    return photos


def write_book(
    edition,
    out: Path,
    project_root: Path | None = None,
    text: str | None = None,
    layout: str | None = None,
    chunked: bool = True,
) -> Path:
    """Render the book to ``out`` (a .pdf path). Images are the edition's own assets, embedded
    as data: URIs; the renderer may fetch nothing else (no files, no network). ``chunked``: lay
    out each year apart and put the pages together (see :func:`render_book`)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text, layout = book_settings(edition, text, layout)
    doc = render_book(
        book_html(edition, project_root, text, layout), chunked and layout != "facing"
    )
    # a tagged PDF/UA-1 (WeasyPrint's pdf_variant; it tags the structure), fonts embedded
    doc.write_pdf(out, pdf_variant=PDF_VARIANT, pdf_tags=True)
    return out


def render_book(html: str, chunked: bool = True):
    """The book's HTML laid out by WeasyPrint: a ``Document`` whose ``write_pdf`` writes it.

    WeasyPrint's time per page grows with the document's length (docs/benchmarks.md, "Book"),
    so ``chunked`` lays out the front matter, each year and the back matter as documents of
    their own, each starting at its page number, and puts their pages into one document
    (WeasyPrint's own way of combining documents: tags, outline and links are made when the
    whole is written). The contents and the index give page numbers they are told, found in the
    laid-out chunks, instead of ``target-counter``; the front matter is laid out twice (first
    to count its pages). Facing pages depend on the parity of each page, so that layout is
    never chunked; neither is a book whose front matter changes length between the passes."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",))
    fonts = FontConfiguration()

    def render(string: str):
        doc = HTML(string=string, url_fetcher=fetcher, base_url=".")
        return doc.render(pdf_variant=PDF_VARIANT, pdf_tags=True, font_config=fonts)

    if chunked:
        doc = _render_chunked(html, render)
        if doc is not None:
            return doc
    return render(html)


def _render_chunked(html: str, render):
    import copy

    from lxml import html as lhtml

    root = lhtml.document_fromstring(html)
    head, body = root.find("head"), root.find("body")
    front, years, back = [], [], []
    for el in body:
        if (el.get("id") or "").startswith("year-"):
            years.append([el])
        elif years:
            back.append(el)
        else:
            front.append(el)
    style = head.find("style") if head is not None else None
    if not years or style is None or not style.text:
        return None  # a project's own template of another shape: one document
    # page numbers as told (data-page), not as WeasyPrint looks them up in its own document
    css = style.text.replace("target-counter(attr(href), page)", "attr(data-page)")

    def chunk(elements, first_page: int, pages: dict[str, int], notes_before: int = 0) -> str:
        doc = lhtml.document_fromstring("<html><head></head><body></body></html>")
        doc.attrib.update(root.attrib)
        new_head, new_body = doc.find("head"), doc.find("body")
        for el in head:
            new_head.append(copy.deepcopy(el))
        extra = ""
        if first_page > 1:  # a chapter's first page: its number, and the running head's rule
            extra = (
                f"@page :first {{ counter-reset: page {first_page};"
                " @bottom-center { content: counter(page); }"
                " @top-center { content: string(running, first-except); } }"
            )
        if notes_before:  # footnotes are numbered through the book
            extra += f" html {{ counter-reset: footnote {notes_before}; }}"
        new_head.find("style").text = css + extra
        for el in elements:
            new = copy.deepcopy(el)
            for a in new.xpath(
                "descendant-or-self::nav[@class='toc']//a[@href] | .//a[@class='pref'][@href]"
            ):
                a.set("data-page", str(pages.get(a.get("href")[1:], "000")))
            new_body.append(new)
        return lhtml.tostring(doc, doctype="<!DOCTYPE html>", encoding="unicode")

    def anchors(doc, first_page: int) -> dict[str, int]:
        """Each id's page: where its box begins (a box split over pages is on each of them)."""
        found: dict[str, int] = {}
        for i, page in enumerate(doc.pages):
            for a in page.anchors:
                found.setdefault(a, first_page + i)
        return found

    pages: dict[str, int] = {}
    first = render(chunk(front, 1, pages))  # to count the front matter's pages
    n_front = len(first.pages)
    pages.update(anchors(first, 1))

    def notes(elements) -> int:
        return sum(len(el.find_class("fn")) for el in elements)

    docs, at, n_notes = [], n_front + 1, notes(front)
    for elements in years:
        d = render(chunk(elements, at, pages, n_notes))
        pages.update(anchors(d, at))
        docs.append(d)
        at += len(d.pages)
        n_notes += notes(elements)
    if back:
        d = render(chunk(back, at, pages, n_notes))
        pages.update(anchors(d, at))  # the index's letters are known: laid out once
        docs.append(d)
    front_doc = render(chunk(front, 1, pages))
    if len(front_doc.pages) != n_front:
        return None
    return front_doc.copy([p for d in (front_doc, *docs) for p in d.pages])
