"""OAI-PMH 2.0: the letters as Dublin Core records, for harvesters (Europeana, BASE, library
union catalogues).

Two forms of one repository:
- ``Repository.respond(params)`` answers the six verbs for ``epistola serve`` at ``/oai``
  (resumption tokens of :data:`PAGE` records, the protocol's error codes);
- the ``oai`` exporter writes an OAI-PMH *Static Repository* file (``oai-static.xml``) for the
  static site, which a static repository gateway serves as OAI-PMH.

Every record's datestamp is the build's day: an edition is published whole. Identifiers are
``oai:<repository>:<letter id>``, the repository name taken from ``base_url``'s host (or the
edition's title when it has none).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

from lxml import etree

from ..render import urls
from . import exporter

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
STATIC = "http://www.openarchives.org/OAI/2.0/static-repository"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PAGE = 200
VERBS = {
    "Identify": set(),
    "ListMetadataFormats": {"identifier"},
    "ListSets": {"resumptionToken"},
    "ListIdentifiers": {"metadataPrefix", "from", "until", "set", "resumptionToken"},
    "ListRecords": {"metadataPrefix", "from", "until", "set", "resumptionToken"},
    "GetRecord": {"identifier", "metadataPrefix"},
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Repository:
    """The edition as an OAI-PMH repository of letters (metadata format ``oai_dc``)."""

    def __init__(self, edition, base_url: str = ""):
        self.edition = edition
        meta = edition.meta
        self.base = (
            (base_url or meta.base_url).rstrip("/") + "/" if (base_url or meta.base_url) else ""
        )
        host = urlparse(self.base).hostname if self.base else None
        self.name = host or re.sub(r"[^a-z0-9.-]+", "-", meta.title.lower()).strip("-") or "edition"
        self.day = (edition.store.get_meta("built", "") or "1970-01-01")[:10]
        self.rows = edition.store.execute(
            "SELECT id, title, kind, date_display, edtf, sender, addressee, place_sent, "
            "languages, data FROM letters ORDER BY number"
        )
        self.index = {r["id"]: i for i, r in enumerate(self.rows)}
        places = dict(edition.store.tuples("SELECT id, name FROM entries WHERE kind = 'place'"))
        for r in self.rows:  # letters keep the place's id; Dublin Core wants its name
            r["place_name"] = places.get(r["place_sent"], r["place_sent"])

    # -- identifiers -------------------------------------------------------------------------
    def identifier(self, letter_id: str) -> str:
        return f"oai:{self.name}:{letter_id}"

    def _letter_of(self, identifier: str) -> str | None:
        prefix = f"oai:{self.name}:"
        lid = identifier[len(prefix) :] if identifier.startswith(prefix) else None
        return lid if lid in self.index else None

    # -- the protocol ------------------------------------------------------------------------
    def respond(
        self, params: dict, request_url: str = "", *, repeated: bool = False
    ) -> tuple[int, bytes]:
        """(HTTP status, OAI-PMH XML) for one request's parameters (one value each);
        ``repeated``: an argument was given twice, which the protocol answers badArgument."""
        root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
        root.set(
            f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
        )
        etree.SubElement(root, f"{{{OAI}}}responseDate").text = _now()
        req = etree.SubElement(root, f"{{{OAI}}}request")
        req.text = request_url or f"{self.base}oai"
        verb = params.get("verb")
        if verb not in VERBS:
            _error(root, "badVerb", f"unknown or missing verb {verb!r}; use one of {sorted(VERBS)}")
            return 200, _bytes(root)
        extra = set(params) - VERBS[verb] - {"verb"}
        if repeated:
            _error(root, "badArgument", "an argument is repeated")
            return 200, _bytes(root)
        if extra:
            _error(root, "badArgument", f"{verb} takes no {', '.join(sorted(extra))}")
            return 200, _bytes(root)
        for k, v in params.items():
            if k != "verb" and k in VERBS[verb]:
                req.set(k, v)
        req.set("verb", verb)
        getattr(self, "_" + verb)(root, params)
        return 200, _bytes(root)

    def _Identify(self, root, params):
        el = etree.SubElement(root, f"{{{OAI}}}Identify")
        for tag, text in (
            ("repositoryName", self.edition.meta.title),
            ("baseURL", f"{self.base}oai"),
            ("protocolVersion", "2.0"),
            ("adminEmail", _admin(self.edition.meta)),
            ("earliestDatestamp", self.day),
            ("deletedRecord", "no"),
            ("granularity", "YYYY-MM-DD"),
        ):
            etree.SubElement(el, f"{{{OAI}}}{tag}").text = text

    def _ListMetadataFormats(self, root, params):
        if "identifier" in params and self._letter_of(params["identifier"]) is None:
            return _error(root, "idDoesNotExist", f"no record {params['identifier']!r}")
        el = etree.SubElement(root, f"{{{OAI}}}ListMetadataFormats")
        fmt = etree.SubElement(el, f"{{{OAI}}}metadataFormat")
        for tag, text in (
            ("metadataPrefix", "oai_dc"),
            ("schema", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"),
            ("metadataNamespace", OAI_DC),
        ):
            etree.SubElement(fmt, f"{{{OAI}}}{tag}").text = text

    def _ListSets(self, root, params):
        _error(root, "noSetHierarchy", "this repository has no sets")

    def _GetRecord(self, root, params):
        if set(params) != {"verb", "identifier", "metadataPrefix"}:
            return _error(root, "badArgument", "GetRecord needs identifier and metadataPrefix")
        if params["metadataPrefix"] != "oai_dc":
            return _error(root, "cannotDisseminateFormat", "only oai_dc is offered")
        lid = self._letter_of(params["identifier"])
        if lid is None:
            return _error(root, "idDoesNotExist", f"no record {params['identifier']!r}")
        el = etree.SubElement(root, f"{{{OAI}}}GetRecord")
        self._record(el, self.rows[self.index[lid]])

    def _ListIdentifiers(self, root, params):
        self._list(root, params, headers_only=True)

    def _ListRecords(self, root, params):
        self._list(root, params, headers_only=False)

    def _list(self, root, params, headers_only: bool):
        verb = "ListIdentifiers" if headers_only else "ListRecords"
        if "resumptionToken" in params:
            if set(params) != {"verb", "resumptionToken"}:
                return _error(root, "badArgument", "resumptionToken is exclusive")
            m = re.fullmatch(r"(\d+)", params["resumptionToken"])
            if not m or int(m.group(1)) >= len(self.rows) or int(m.group(1)) % PAGE:
                return _error(root, "badResumptionToken", "expired or invalid token")
            start = int(m.group(1))
        else:
            if params.get("metadataPrefix") is None:
                return _error(root, "badArgument", f"{verb} needs metadataPrefix")
            if params["metadataPrefix"] != "oai_dc":
                return _error(root, "cannotDisseminateFormat", "only oai_dc is offered")
            if "set" in params:
                return _error(root, "noSetHierarchy", "this repository has no sets")
            lo, hi = params.get("from"), params.get("until")
            for v in (lo, hi):
                if v is not None and not _DAY.match(v):
                    return _error(root, "badArgument", f"not a day (YYYY-MM-DD): {v!r}")
            if lo and hi and lo > hi:
                return _error(root, "badArgument", "from is after until")
            if (lo and lo > self.day) or (hi and hi < self.day) or not self.rows:
                return _error(root, "noRecordsMatch", "no record in that range")
            start = 0
        el = etree.SubElement(root, f"{{{OAI}}}{verb}")
        for row in self.rows[start : start + PAGE]:
            if headers_only:
                self._header(el, row)
            else:
                self._record(el, row)
        if len(self.rows) > PAGE:
            tok = etree.SubElement(el, f"{{{OAI}}}resumptionToken")
            tok.set("completeListSize", str(len(self.rows)))
            tok.set("cursor", str(start))
            if start + PAGE < len(self.rows):
                tok.text = str(start + PAGE)

    def _header(self, parent, row):
        h = etree.SubElement(parent, f"{{{OAI}}}header")
        etree.SubElement(h, f"{{{OAI}}}identifier").text = self.identifier(row["id"])
        etree.SubElement(h, f"{{{OAI}}}datestamp").text = self.day

    def _record(self, parent, row):
        rec = etree.SubElement(parent, f"{{{OAI}}}record")
        self._header(rec, row)
        md = etree.SubElement(rec, f"{{{OAI}}}metadata")
        md.append(dublin_core(row, self.base, self.edition.meta.title))

    def records(self):
        """Every record element, for the static repository."""
        holder = etree.Element(f"{{{OAI}}}ListRecords")
        for row in self.rows:
            self._record(holder, row)
        return holder


def dublin_core(row: dict, base: str, edition_title: str):
    """One letter as an ``oai_dc:dc`` element."""
    dc = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    data = json.loads(row["data"]) if row.get("data") else {}
    title = data.get("title") or f"{row['sender']} to {row['addressee']}, {row['date_display']}"

    def add(tag, text):
        if text:
            etree.SubElement(dc, f"{{{DC}}}{tag}").text = str(text)

    add("title", title)
    for name in (row.get("sender") or "").split("; "):
        add("creator", name)
    for name in (row.get("addressee") or "").split("; "):
        add("contributor", name)
    add("date", row.get("edtf"))
    add("type", "Text")
    add("type", row.get("kind") or "letter")
    add("coverage", row.get("place_name"))
    for lang in (row.get("languages") or "").split():
        add("language", lang)
    add("identifier", f"{base}{urls.letter_path(row['id'])}")
    add("source", edition_title)
    add("description", data.get("summary") or data.get("description"))
    return dc


def _error(root, code: str, message: str) -> None:
    el = etree.SubElement(root, f"{{{OAI}}}error")
    el.set("code", code)
    el.text = message


def _admin(meta) -> str:
    # OAI-PMH requires an address; ``.invalid`` (RFC 2606) says plainly that none was set.
    return meta.admin_email or "editors@edition.invalid"


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@exporter("oai")
def write_static_repository(edition, out: Path) -> list[Path]:
    """An OAI-PMH Static Repository file (``oai-static.xml``) of every letter in ``oai_dc``."""
    out = out if out.suffix == ".xml" else out / "oai-static.xml"
    out.parent.mkdir(parents=True, exist_ok=True)
    repo = Repository(edition)
    root = etree.Element(f"{{{STATIC}}}Repository", nsmap={None: STATIC, "oai": OAI, "xsi": XSI})
    root.set(
        f"{{{XSI}}}schemaLocation",
        f"{STATIC} http://www.openarchives.org/OAI/2.0/static-repository.xsd",
    )
    ident = etree.SubElement(root, f"{{{STATIC}}}Identify")
    tmp = etree.Element("x")
    repo._Identify(tmp, {})
    for child in tmp[0]:
        ident.append(child)
    fmts = etree.SubElement(root, f"{{{STATIC}}}ListMetadataFormats")
    tmp = etree.Element("x")
    repo._ListMetadataFormats(tmp, {})
    for child in tmp[0]:
        fmts.append(child)
    recs = etree.SubElement(root, f"{{{STATIC}}}ListRecords", metadataPrefix="oai_dc")
    for child in repo.records():
        recs.append(child)
    out.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return [out]
