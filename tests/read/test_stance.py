"""The stance on a mention (``@ana="#stance-praise"``) is one definition: the store (ingest) and
the loaded letter (the node tree built at load) say the same, and both say what the TEI says
(issue 8: the loaded letter said ``raise``)."""

from __future__ import annotations

from collections import Counter

from lxml import etree

from epistola import open_edition

from ..conftest import SAMPLE

T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _stances_in_sources() -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for f in sorted((SAMPLE / "letters").rglob("*.xml")):
        root = etree.parse(str(f)).getroot()
        c = Counter()
        for el in root.iter(f"{T}persName", f"{T}rs", f"{T}name"):
            for a in (el.get("ana") or "").split():
                if a.startswith("#stance-"):
                    c[(el.get("ref").lstrip("#"), a.split("-", 1)[1])] += 1
        if c:
            out[root.get(XML_ID)] = c
    return out


def test_stance_in_store_and_loaded_letter_agree_with_the_tei(sample_edition):
    expected = _stances_in_sources()
    assert sum(len(c) for c in expected.values()) >= 4
    assert any(s == "praise" for c in expected.values() for _r, s in c)
    with open_edition(sample_edition[0]) as ed:
        for lid, want in expected.items():
            stored = Counter(
                (r["ref"], r["stance"])
                for r in ed.store.execute(
                    "SELECT ref, stance FROM letter_mentions WHERE letter_id = ? AND stance "
                    "IS NOT NULL",
                    (lid,),
                )
            )
            loaded = Counter((m.ref, m.stance) for m in ed.letter(lid).mentions if m.stance)
            assert stored == loaded == want, lid
