"""What the authoring formats (Markdown, YAML, CSV/XLSX catalogues, Word) share.

A letter's metadata arrives as a mapping of documented fields (front matter, a catalogue row);
``build_letter`` turns it into the same :class:`Letter` the TEI reader makes. Its text arrives
as TEI markup built by the format's reader (``read/markup.py``, ``read/docx.py``) and goes
through the TEI reader's own scan (``tei_textscan.versions_of``), so notes, names, terms and the
reading text are extracted, stored and rendered exactly as for a TEI letter.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from ..diagnostics import Diagnostics
from ..model import Agent, CorrespAction, DateError, Letter, Link, make_date
from ..model.letters import Facsimile
from .tei_textscan import scan_version, versions_of
from .xml import TEI, XML_LANG

DATE_HELP = (
    "write it as EDTF: 1931-08-12, 1931-08 (a month), 1931-08-12? (uncertain), "
    "1931-08-12~ (conjectured), 1931-08-10/1931-08-20 (from/to), [..1931-08-12] (not after), "
    "[1931-08-01..1931-08-20] (between); Old Style: add 'calendar: julian' or ' O.S.'"
)
_OS = re.compile(r"\s*\(?\bO\.?\s?S\.?\)?\s*$", re.I)
_ID = re.compile(r"^#?[A-Za-z_][\w.:-]*$")
_NAME_REF = re.compile(r"^(.*?)\s*\[#?([A-Za-z_][\w.:-]*)\]\s*$")
_LETTER_ID = re.compile(r"^\w[\w.-]*$")
_LETTER_ID_BAD = re.compile(r"[^\w.-]+")
CERTAINTIES = ("exact", "conjectured", "uncertain", "inferred")

# field -> what it holds; docs/authoring.md documents each (tests check the two agree)
LETTER_FIELDS = {
    "id": "the letter's id (default: the file name without its suffix)",
    "title": "a title (default: sender to addressee, date)",
    "date": "EDTF date",
    "calendar": "gregorian (default) or julian (Old Style)",
    "date_text": "the date as the letter writes it",
    "date_certainty": "exact, conjectured, uncertain or inferred",
    "order": "position among letters of the same date",
    "from": "sender(s)",
    "to": "addressee(s)",
    "place_from": "where it was written",
    "place_to": "where it was sent",
    "kind": "letter, postcard, telegram...",
    "language": "language code(s)",
    "repository": "archive or library",
    "settlement": "the archive's town",
    "country": "the archive's country",
    "shelfmark": "call number",
    "description": "physical description",
    "summary": "a summary (regest)",
    "reply_to": "id(s) of the letter(s) this one answers",
    "correspondence": "correspondence id(s)",
    "subjects": "subject id(s)",
    "facsimiles": "image file(s) or IIIF URL(s)",
}


def text_value(v) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return "; ".join(text_value(x) for x in v)
    return " ".join(str(v).split())


def values(v) -> list[str]:
    """A list field: a YAML list, or a string of values separated by ';'."""
    if v is None or v == "":
        return []
    if isinstance(v, list):
        return [text_value(x) for x in v if text_value(x)]
    return [x.strip() for x in str(v).split(";") if x.strip()]


def ref_or_name(value: str) -> tuple[str | None, str]:
    """'p-vetrov' -> (id, ''); 'A. G. Vetrov [p-vetrov]' -> (id, name); 'Tolstoy' -> (None, name).

    A bare value is an id when it has no spaces and a digit, '-', '_', '.' or ':' in it (or
    starts with '#'); anything else is a name as the source writes it."""
    value = value.strip()
    m = _NAME_REF.match(value)
    if m and m.group(1):
        return m.group(2), m.group(1)
    if _ID.match(value) and (value.startswith("#") or re.search(r"[\d\-_.:]", value)):
        return value.lstrip("#"), ""
    return None, value


def parse_edtf(
    value: str, *, calendar: str = "gregorian", certainty: str | None = None, text: str = ""
):
    """An EditionDate from an EDTF string; raises DateError when it is not one."""
    v = value.strip()
    if _OS.search(v) and re.match(r"^[\d\[\]./X?~%-]+", v):
        v, calendar = _OS.sub("", v), "julian"
    cert = "exact"
    while v and v[-1] in "?~%":
        cert = "uncertain" if v[-1] in "?%" else "conjectured"
        v = v[:-1]
    cert = certainty or cert
    if cert not in CERTAINTIES:
        raise DateError(f"date_certainty {cert!r} is not one of {', '.join(CERTAINTIES)}")
    kw = dict(text=text or value.strip(), certainty=cert, calendar_=calendar)
    if v.startswith("[") and v.endswith("]") and ".." in v:
        lo, hi = v[1:-1].split("..", 1)
        if not (lo or hi):
            raise DateError(f"an empty range: {value!r}")
        return make_date(not_before=lo or None, not_after=hi or None, **kw)
    if "/" in v:
        lo, hi = v.split("/", 1)
        lo, hi = (None if x in ("", "..") else x for x in (lo, hi))
        if not (lo or hi):
            raise DateError(f"an empty range: {value!r}")
        return make_date(from_=lo, to=hi, **kw)
    if not v:
        raise DateError(f"not a date: {value!r}")
    return make_date(when=v, **kw)


def letter_date(meta: dict, line_of, path: str, diags: Diagnostics):
    raw = text_value(meta.get("date"))
    if not raw:
        diags.warning(
            path, line_of("id"), "undated", f"letter has no date: add 'date:'; {DATE_HELP}"
        )
        return None
    cal = text_value(meta.get("calendar")).lower() or "gregorian"
    if cal in ("os", "old style", "julian"):
        cal = "julian"
    elif cal not in ("gregorian", "ns", "new style"):
        diags.error(
            path,
            line_of("calendar"),
            "bad-date",
            f"calendar {cal!r} is unknown; write 'gregorian' or 'julian' (Old Style)",
        )
        cal = "gregorian"
    else:
        cal = "gregorian"
    try:
        return parse_edtf(
            raw,
            calendar=cal,
            certainty=text_value(meta.get("date_certainty")) or None,
            text=text_value(meta.get("date_text")),
        )
    except DateError as e:
        diags.error(path, line_of("date"), "bad-date", f"bad date {raw!r}: {e}; {DATE_HELP}")
        return None


def _agents(meta: dict, key: str) -> list[Agent]:
    out = []
    for v in values(meta.get(key)):
        kind = "person"
        if v.startswith("org:"):
            kind, v = "org", v[4:].strip()
        ref, name = ref_or_name(v)
        out.append(Agent(ref=ref, name=name, kind=kind))
    return out


def _place(meta: dict, key: str) -> tuple[str | None, str | None]:
    v = text_value(meta.get(key))
    if not v:
        return None, None
    ref, name = ref_or_name(v)
    return ref, name or None


def build_letter(
    meta: dict, default_id: str, path: str, line: int | None, line_of, diags: Diagnostics
) -> Letter:
    """A letter from its metadata fields (see ``LETTER_FIELDS``); ``line_of(field)`` gives the
    source line (or spreadsheet row) of a field for diagnostics."""
    for key in meta:
        if key not in LETTER_FIELDS and not key.startswith("_"):
            diags.warning(
                path,
                line_of(key),
                "unknown-field",
                f"unknown field {key!r} ignored; known: {', '.join(LETTER_FIELDS)}",
            )
    lid = text_value(meta.get("id")).lstrip("#") or default_id
    if not _LETTER_ID.match(lid):
        fixed = _LETTER_ID_BAD.sub("-", lid).strip("-") or "letter"
        given = bool(text_value(meta.get("id")))
        (diags.error if given else diags.info)(
            path,
            line_of("id"),
            "bad-id",
            f"letter id {lid!r} may hold only letters, digits, '-', '_' and '.'; "
            f"used {fixed!r}" + (": write it so" if given else " (or give an 'id')"),
        )
        lid = fixed
    letter = Letter(id=lid, source_path=path, source_line=line)
    letter.date = letter_date(meta, line_of, path, diags)
    sent = CorrespAction(type="sent", agents=_agents(meta, "from"), date=letter.date)
    sent.place_ref, sent.place_name = _place(meta, "place_from")
    received = CorrespAction(type="received", agents=_agents(meta, "to"))
    received.place_ref, received.place_name = _place(meta, "place_to")
    letter.actions = [sent, received]
    order = text_value(meta.get("order"))
    if order:
        try:
            letter.order = int(order)
        except ValueError:
            diags.error(path, line_of("order"), "bad-field", f"order {order!r} is not a number")
    letter.kind = text_value(meta.get("kind")).lower() or "letter"
    letter.languages = values(meta.get("language"))
    letter.repository = text_value(meta.get("repository")) or None
    letter.settlement = text_value(meta.get("settlement")) or None
    letter.country = text_value(meta.get("country")) or None
    letter.shelfmark = text_value(meta.get("shelfmark")) or None
    letter.physical = text_value(meta.get("description")) or None
    for target in values(meta.get("reply_to")):
        letter.links.append(Link(type="reply-to", target=target.lstrip("#")))
    letter.correspondences = [c.lstrip("#") for c in values(meta.get("correspondence"))]
    letter.subjects = [s.lstrip("#") for s in values(meta.get("subjects"))]
    for f in values(meta.get("facsimiles")):
        iiif = f.endswith("info.json") or "/iiif" in f
        letter.facsimiles.append(Facsimile(url=f, kind="iiif" if iiif else "image"))
    letter.title = text_value(meta.get("title"))  # empty: pages name sender, addressee, date
    return letter


def tei_text() -> tuple[etree._Element, etree._Element]:
    """An empty TEI ``text`` with its ``body``, for a reader to fill."""
    text = etree.Element(TEI + "text", nsmap={None: TEI[1:-1]})
    return text, etree.SubElement(text, TEI + "body")


def add_text(letter: Letter, text_el, summary: str = "") -> None:
    """Scan the letter's TEI text (and its summary) as the TEI reader does."""
    out = {"mentions": [], "terms": [], "quantities": [], "matters": [], "subjects": []}
    notes: list = []
    lang = letter.languages[0] if letter.languages else None
    versions = []
    if text_el is not None and len(text_el.find(TEI + "body")):
        body = text_el.find(TEI + "body")
        # translations as trees of their own (deep copies keep the TEI namespace as the
        # default one and the source lines), scanned after the original as versions_of does
        trans = [d for d in body.iterfind(TEI + "div") if d.get("type") == "translation"]
        copies = [copy.deepcopy(d) for d in trans]
        for d in trans:
            body.remove(d)
        versions = versions_of(text_el, lang, notes, out) if len(body) else []
        for d in copies:
            versions.append(scan_version(d, d.get(XML_LANG), "translation", notes, out))
    if summary:
        body = etree.Element(TEI + "body", nsmap={None: TEI[1:-1]})
        p = etree.SubElement(body, TEI + "p")
        p.text = summary
        v = scan_version(body, None, "summary", notes, out)  # in the editors' language
        v.label = "Summary"
        versions.append(v)
    letter.versions = versions
    letter.notes = notes
    letter.mentions = out["mentions"]
    letter.terms = out["terms"]
    letter.quantities = out["quantities"]


def set_lang(el, lang: str | None) -> None:
    if lang:
        el.set(XML_LANG, lang)
