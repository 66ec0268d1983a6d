"""The editorial notes as W3C Web Annotations (JSON-LD): one AnnotationCollection.

Each note becomes an ``Annotation`` with motivation ``commenting``: its body the note's text
(``TextualBody``), its target the letter page with a ``FragmentSelector`` on the note's anchor
in the text (``nref<n>``, the id the reading room gives the note's mark). Spec:
https://www.w3.org/TR/annotation-model/ ; context ``http://www.w3.org/ns/anno.jsonld``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..render import urls
from . import exporter

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def note_annotations(edition, base: str) -> list[dict]:
    """Every editorial note as a Web Annotation, in edition order."""
    langs = {
        r["id"]: (r["languages"] or "").split()[:1]
        for r in edition.store.execute("SELECT id, languages FROM letters")
    }
    out = []
    for r in edition.store.execute(
        "SELECT n.letter_id, n.n, n.note_id, n.type, n.text FROM notes n "
        "JOIN letters l ON l.id = n.letter_id ORDER BY l.number, n.n"
    ):
        page = f"{base}{urls.letter_path(r['letter_id'])}"
        body = {
            "type": "TextualBody",
            "purpose": "commenting",
            "value": r["text"] or "",
            "format": "text/plain",
        }
        if langs.get(r["letter_id"]):
            body["language"] = langs[r["letter_id"]][0]
        bodies = [body]
        if r["type"]:  # the note's kind (commentary, textConst...) as a classifying body
            bodies.append({"type": "TextualBody", "purpose": "classifying", "value": r["type"]})
        ann = {
            "id": f"{page}#n{r['n']}",
            "type": "Annotation",
            "motivation": "commenting",
            "body": bodies if len(bodies) > 1 else body,
            "target": {
                "source": page,
                "selector": {
                    "type": "FragmentSelector",
                    "conformsTo": "http://tools.ietf.org/rfc/rfc3987",
                    "value": f"nref{r['n']}",
                },
            },
        }
        out.append(ann)
    return out


@exporter("webannotation")
def write_annotations(edition, out: Path) -> list[Path]:
    """``notes.jsonld``: an AnnotationCollection with every note on one AnnotationPage."""
    out = out if out.suffix in (".json", ".jsonld") else out / "notes.jsonld"
    out.parent.mkdir(parents=True, exist_ok=True)
    base = edition.meta.base_url.rstrip("/") + "/" if edition.meta.base_url else ""
    items = note_annotations(edition, base)
    cid = f"{base}data/notes.jsonld"
    doc = {
        "@context": CONTEXT,
        "id": cid,
        "type": "AnnotationCollection",
        "label": f"Editorial notes: {edition.meta.title}",
        "total": len(items),
        "first": {"id": f"{cid}#page1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return [out]
