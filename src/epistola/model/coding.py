"""The coding vocabularies, defined once: TEI codes, stand-off CSV, research annotations.

A matter's ``status`` is what the letter does with it: it raises it (report, request, proposal,
instruction) or decides it (decision, answering the matter it names in ``answers``). A matter's
``outcome`` is how it ended. A quantity is ``proposed`` or ``decided``. A stance toward a person
is one of :data:`STANCES`, each with a polarity. The TEI writes them as ``@ana="#status-request"``,
``#outcome-approved``, ``#stance-praise`` and ``measure/@type``; the stand-off CSV and the research
server's annotations use the same words. No I/O.

:func:`annotation_coding` turns research annotations into rows shaped like the edition's coding
tables (matters, quantities, letter_subjects, letter_mentions), so the analyses count them with
the editors' coding, at once and without a new ingest.
"""

from __future__ import annotations

from collections.abc import Iterable

MATTER_RAISING = ("report", "request", "proposal", "instruction")
MATTER_STATUSES = (*MATTER_RAISING, "decision")
OUTCOMES = ("approved", "amended", "rejected", "deferred")
QUANTITY_STATUSES = ("proposed", "decided")
# stance -> polarity; the editors' codes and the plain polarities (what a suggester proposes)
STANCES = {
    "praise": "positive",
    "trust": "positive",
    "positive": "positive",
    "neutral": "neutral",
    "reprimand": "negative",
    "distrust": "negative",
    "incompetence": "negative",
    "negative": "negative",
}

# Where annotation-made coding shows in the tables: letter_subjects.level and matters.source.
ANNOTATION = "annotation"


def annotation_coding(annotations: Iterable[dict]) -> dict[str, list[dict]]:
    """Coding rows from (non-deleted) annotation records ``{id, letter_id, kind, body, ...}``.

    ``matters``: id (the annotation's), letter_id, subject, raised_by, addressed_to, status,
    outcome, answers, summary, decided_by, source; ``quantities``: letter_id, matter_id,
    quantity, unit, commodity, status, text; ``letter_subjects``: letter_id, subject, level;
    ``stances``: letter_id, entry_id, stance. Comments code nothing.
    """
    out: dict[str, list[dict]] = {"matters": [], "quantities": [], "letter_subjects": [],
                                  "stances": []}  # fmt: skip
    for a in annotations:
        if a.get("deleted"):
            continue
        b, lid = a["body"], a["letter_id"]
        quote = (a.get("selector") or {}).get("exact") or ""
        if a["kind"] == "subject":
            out["letter_subjects"].append(
                {"letter_id": lid, "subject": str(b["subject"]).lstrip("#"), "level": ANNOTATION}
            )
        elif a["kind"] == "matter":
            out["matters"].append({
                "id": a["id"], "letter_id": lid,
                "subject": (str(b.get("subject") or "").lstrip("#") or None),
                "raised_by": b.get("raised_by"), "addressed_to": b.get("addressed_to"),
                "status": b["status"], "outcome": b.get("outcome"),
                "answers": b.get("answers"), "summary": b.get("summary") or quote,
                "decided_by": b.get("decided_by"), "source": ANNOTATION,
            })  # fmt: skip
        elif a["kind"] == "quantity":
            out["quantities"].append({
                "letter_id": lid, "matter_id": b.get("matter"), "quantity": float(b["quantity"]),
                "unit": b["unit"], "commodity": b["commodity"], "status": b.get("status"),
                "text": quote,
            })  # fmt: skip
        elif a["kind"] == "stance":
            out["stances"].append(
                {"letter_id": lid, "entry_id": str(b["person"]).lstrip("#"), "stance": b["stance"]}
            )
    return out
