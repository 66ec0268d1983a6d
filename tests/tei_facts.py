"""Facts read straight from the TEI with lxml, independently of Epistola's readers, so tests
can check the edition against them. Every suite shares the session fixtures ``schnitzler_tei``
and ``sample_tei`` (tests/conftest.py): the Schnitzler corpus is parsed once per session."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from pathlib import Path

from lxml import etree

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
AGENTS = ("persName", "orgName", "name", "rs")


def ids(value: str | None) -> list[str]:
    return [t.rsplit("#", 1)[-1] for t in (value or "").split() if t.rsplit("#", 1)[-1]]


def iso_bounds(value: str) -> tuple[str, str]:
    parts = value.split("-")
    y = int(parts[0])
    if len(parts) == 1:
        return f"{y:04d}-01-01", f"{y:04d}-12-31"
    m = int(parts[1])
    if len(parts) == 2:
        return f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"
    return value, value


def date_bounds(el) -> tuple[str | None, str | None]:
    if el is None:
        return None, None
    if el.get("when") and (el.get("calendar") or "").endswith("julian"):
        # Old Style: 13 days behind the Gregorian calendar from March 1900 to February 2100
        day = date.fromisoformat(el.get("when")) + timedelta(days=13)
        assert date(1900, 3, 1) <= day < date(2100, 3, 1), "only 20th-century dates here"
        return day.isoformat(), day.isoformat()
    if el.get("when"):
        return iso_bounds(el.get("when"))
    lo = el.get("notBefore") or el.get("from")
    hi = el.get("notAfter") or el.get("to")
    if lo or hi:
        return iso_bounds(lo or hi)[0], iso_bounds(hi or lo)[1]
    return None, None


def parties(action) -> list[str]:
    out = []
    if action is None:
        return out
    for el in action:
        if isinstance(el.tag, str) and el.tag.startswith(TEI) and el.tag[len(TEI) :] in AGENTS:
            out += ids(el.get("ref") or el.get("key"))
    return out


def read_letter(path: Path) -> dict | None:
    root = etree.parse(str(path)).getroot()
    cd = root.find(f"{TEI}teiHeader/{TEI}profileDesc/{TEI}correspDesc")
    if cd is None:
        return None
    sent = cd.find(f"{TEI}correspAction[@type='sent']")
    recv = cd.find(f"{TEI}correspAction[@type='received']")
    senders, addressees = parties(sent), parties(recv)
    if not senders:  # the documented fallback: the author of the title statement
        for au in root.iterfind(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}titleStmt/{TEI}author"):
            senders += [r for r in ids(au.get("ref")) if r not in addressees]
    earliest, latest = date_bounds(sent.find(f"{TEI}date") if sent is not None else None)
    nxt = [
        ids(r.get("target"))[0]
        for r in cd.iterfind(f"{TEI}correspContext/{TEI}ref")
        if r.get("subtype") == "next_letter" and r.get("type") == "withinCorrespondence"
    ]
    reply_to = [
        ids(r.get("target"))[0]
        for r in cd.iterfind(f"{TEI}correspContext/{TEI}ref")
        if r.get("type") == "replyTo"
    ]
    ot = root.find(f".//{TEI}sourceDesc//{TEI}objectType")
    # persons the letter itself refers to (correspDesc and body, not its <back> registers)
    scopes = [cd, *root.findall(f"{TEI}text/{TEI}body")]
    person_refs = {
        r.lstrip("#")
        for s in scopes
        for el in s.iter(f"{TEI}persName", f"{TEI}rs")
        if el.tag != f"{TEI}rs" or el.get("type") == "person"
        for r in (el.get("ref") or "").split()
    }
    sent_persnames = [
        r.lstrip("#")
        for p in (sent.iter(f"{TEI}persName") if sent is not None else ())
        for r in (p.get("ref") or "").split()
    ]
    return {
        "id": root.get(XML_ID) or path.stem,
        "root": root,
        "earliest": earliest,
        "latest": latest,
        "senders": senders,
        "addressees": addressees,
        "next": nxt,
        "reply_to": reply_to,
        "kind": " ".join(ot.text.split()).lower() if ot is not None and ot.text else None,
        "person_refs": person_refs,
        "sent_persnames": sent_persnames,
        "defined_persons": {p.get(XML_ID) for p in root.iter(f"{TEI}person")},
    }


def read_letters(folder: Path, pattern: str, keep_tree: bool) -> dict[str, dict]:
    out = {}
    for p in sorted(folder.glob(pattern)):
        d = read_letter(p)
        if d is not None:
            if not keep_tree:
                d.pop("root")
            out[d["id"]] = d
    return out
