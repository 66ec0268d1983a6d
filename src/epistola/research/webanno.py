"""Research annotations as W3C Web Annotation JSON-LD, and back without loss.

Each annotation is an ``Annotation`` whose target is the letter's page (``source``) with a
TextQuoteSelector and a TextPositionSelector; its body is a ``TextualBody`` holding the coded
fields as JSON (``format: application/json``, ``purpose`` by kind). What the W3C model has no
term for (kind, version, deletion, last editor, review flag) uses the ``epistola:`` prefix.
"""

from __future__ import annotations

import json

from ..errors import InvalidAnnotation
from ..store import Store
from .accounts import WRITE_LOCK, audit
from .annotating import _snapshot, touch, validate

CONTEXT = ["http://www.w3.org/ns/anno.jsonld", {"epistola": "https://epistola.dev/ns#"}]
PURPOSE = {"subject": "classifying", "matter": "classifying", "quantity": "describing",
           "stance": "assessing", "comment": "commenting"}  # fmt: skip
PREFIX = "urn:epistola:annotation:"


def to_jsonld(records: list[dict], letter_url) -> dict:
    """An AnnotationCollection of ``records``; ``letter_url(letter_id)`` names the target."""
    items = []
    for r in records:
        target: dict = {"source": letter_url(r["letter_id"]), "epistola:letter": r["letter_id"]}
        sel = r["selector"]
        if sel:
            quote = {"type": "TextQuoteSelector", "exact": sel["exact"],
                     "prefix": sel.get("prefix", ""), "suffix": sel.get("suffix", "")}  # fmt: skip
            target["selector"] = [quote]
            if "start" in sel and "end" in sel:
                target["selector"].append(
                    {"type": "TextPositionSelector", "start": sel["start"], "end": sel["end"]}
                )
        items.append({
            "id": PREFIX + r["id"], "type": "Annotation", "motivation": PURPOSE[r["kind"]],
            "creator": r["author"], "created": r["created"], "modified": r["modified"],
            "body": {"type": "TextualBody", "purpose": PURPOSE[r["kind"]],
                     "format": "application/json", "value": json.dumps(r["body"])},
            "target": target, "epistola:kind": r["kind"], "epistola:version": r["version"],
            "epistola:modifiedBy": r["modified_by"], "epistola:deleted": r["deleted"],
            "epistola:review": r["review"],
        })  # fmt: skip
    return {"@context": CONTEXT, "type": "AnnotationCollection", "total": len(items),
            "items": items}  # fmt: skip


def from_jsonld(doc: dict) -> list[dict]:
    """The annotation records of a collection made by :func:`to_jsonld`."""
    out = []
    for i, a in enumerate(doc.get("items", [])):
        try:
            t = a["target"]
            sel = None
            for s in t.get("selector", []):
                sel = sel or {}
                if s["type"] == "TextQuoteSelector":
                    sel.update(exact=s["exact"], prefix=s.get("prefix", ""),
                               suffix=s.get("suffix", ""))  # fmt: skip
                elif s["type"] == "TextPositionSelector":
                    sel.update(start=s["start"], end=s["end"])
            rec = {"id": a["id"].removeprefix(PREFIX), "letter_id": t["epistola:letter"],
                   "kind": a["epistola:kind"], "body": json.loads(a["body"]["value"]),
                   "selector": sel, "author": a["creator"], "created": a["created"],
                   "modified": a["modified"], "modified_by": a["epistola:modifiedBy"],
                   "version": int(a["epistola:version"]), "deleted": bool(a["epistola:deleted"]),
                   "review": a.get("epistola:review")}  # fmt: skip
        except (KeyError, TypeError, ValueError) as e:
            raise InvalidAnnotation(f"item {i + 1} of the collection is incomplete ({e})") from None
        validate(rec["kind"], rec["body"], rec["selector"])
        out.append(rec)
    return out


def import_records(store: Store, records: list[dict], by: str) -> tuple[int, list[str]]:
    """Add ``records`` as they are (ids, authors, times, versions); ids already present are
    skipped and returned."""
    skipped, added = [], 0
    with WRITE_LOCK:
        for r in records:
            if store.execute("SELECT 1 FROM annotations WHERE id = ?", (r["id"],)):
                skipped.append(r["id"])
                continue
            store.execute(
                "INSERT INTO annotations (id, letter_id, kind, body, selector, author, created, "
                "modified, modified_by, version, deleted, review) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (r["id"], r["letter_id"], r["kind"], json.dumps(r["body"]),
                 json.dumps(r["selector"]) if r["selector"] else None, r["author"], r["created"],
                 r["modified"], r["modified_by"], r["version"], int(r["deleted"]), r["review"]),
            )  # fmt: skip
            _snapshot(store, r)
            audit(store, by, "annotation.import", r["id"], f"version {r['version']}")
            added += 1
        if added:
            touch(store)
        store.commit()
    return added, skipped
