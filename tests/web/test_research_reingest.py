"""Accounts and annotations survive a re-ingest: each stays on its letter, on its span where
that text did not change; an annotation whose text changed is flagged for review, not dropped."""

from __future__ import annotations

import json
import shutil

from epistola import ingest, load_project
from epistola.research import annotating as ann
from epistola.research import open_research
from epistola.research.accounts import add_user, verify_password

from ..conftest import SAMPLE

LETTER = "L1931-08-16"


def test_reingest_keeps_accounts_and_annotations(tmp_path, backend, request):
    """On a SQLite file and on a PostgreSQL schema (the ``backend`` fixture)."""
    project = tmp_path / "sample"
    shutil.copytree(SAMPLE, project)
    if backend == "sqlite":
        target = tmp_path / "edition.sqlite"
    else:
        target = request.getfixturevalue("pg_url")(f"reingest_{tmp_path.name[-20:].lower()}")
    ingest(load_project(project), target)
    store = open_research(target)
    add_user(store, "cora", "coder", "coder-pass-1")
    cora = {"name": "cora", "role": "coder"}
    text = store.scalar(
        "SELECT text FROM letter_texts WHERE letter_id = ? ORDER BY version LIMIT 1", (LETTER,)
    )
    kept_quote, changed_quote = "море тёплое", "сидит в кабинете"
    assert text.count(kept_quote) == 1 and text.count(changed_quote) == 1

    def span(q):
        i = text.index(q)
        return {"exact": q, "prefix": text[max(0, i - 8) : i], "suffix": text[i + len(q) :][:8],
                "start": i, "end": i + len(q)}  # fmt: skip

    kept = ann.create(store, cora, LETTER, "comment", {"text": "the sea"}, span(kept_quote))
    changed = ann.create(
        store, cora, LETTER, "stance", {"person": "p-bazhenov", "stance": "negative"},
        span(changed_quote),
    )  # fmt: skip
    whole = ann.create(store, cora, LETTER, "subject", {"subject": "s-grain-procurement"})
    gone = ann.delete(store, cora, whole["id"], 1)
    store.close()

    # the editor rewrites a sentence before the kept quote (its offsets move) and the
    # sentence of the other quote
    src = project / "letters" / "1931" / f"{LETTER}.xml"
    xml = src.read_text(encoding="utf-8")
    assert xml.count("Доехали хорошо.") == 1 and xml.count("сидит в кабинете") == 1
    xml = xml.replace("Доехали хорошо.", "Доехали очень хорошо и быстро.")
    xml = xml.replace("сидит в кабинете", "сидит у себя")
    src.write_text(xml, encoding="utf-8")
    result = ingest(load_project(project), target)
    assert result.annotations_flagged == 1

    store = open_research(target)
    new_text = store.scalar(
        "SELECT text FROM letter_texts WHERE letter_id = ? ORDER BY version LIMIT 1", (LETTER,)
    )
    assert "очень хорошо" in new_text  # the new sources were read
    assert verify_password(store, "cora", "coder-pass-1") is not None
    a = ann.get(store, kept["id"])
    assert a["review"] is None and a["letter_id"] == LETTER
    s = a["selector"]
    assert new_text[s["start"] : s["end"]] == kept_quote and s["start"] > kept["selector"]["start"]
    b = ann.get(store, changed["id"])
    assert b["review"] and changed_quote in b["review"] and b["body"] == changed["body"]
    c = ann.get(store, whole["id"])
    assert c["deleted"] and c["version"] == gone["version"] and c["review"] is None
    assert [v["version"] for v in ann.versions(store, whole["id"])] == [1, 2]


def test_web_annotation_jsonld_round_trip(sample_edition, tmp_path):
    from epistola.research.webanno import from_jsonld, import_records, to_jsonld

    a_path, b_path = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    shutil.copy(sample_edition[0], a_path)
    shutil.copy(sample_edition[0], b_path)
    a = open_research(a_path)
    cora = {"name": "cora", "role": "coder"}
    text = a.scalar("SELECT text FROM letter_texts WHERE letter_id = ? LIMIT 1", (LETTER,))
    q = "море тёплое"
    i = text.index(q)
    ann.create(a, cora, LETTER, "quantity", {"commodity": "grain", "unit": "t",
               "quantity": "2400000", "status": "decided"},
               {"exact": q, "prefix": text[i - 5 : i], "suffix": "", "start": i,
                "end": i + len(q)})  # fmt: skip
    ann.create(a, cora, LETTER, "matter", {"status": "decision", "outcome": "approved",
               "decided_by": "p-vetrov"})  # fmt: skip
    gone = ann.create(a, cora, LETTER, "comment", {"text": '«quoted» "text", with, commas'})
    ann.delete(a, cora, gone["id"], 1)
    before = ann.all_annotations(a, deleted=True)
    doc = to_jsonld(before, lambda lid: f"https://example.org/letters/{lid}.html")
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 3
    item = next(x for x in doc["items"] if x["epistola:kind"] == "quantity")
    kinds = [s["type"] for s in item["target"]["selector"]]
    assert kinds == ["TextQuoteSelector", "TextPositionSelector"]
    assert item["target"]["selector"][0]["exact"] == q
    b = open_research(b_path)
    added, skipped = import_records(b, from_jsonld(json.loads(json.dumps(doc))), by="eddi")
    assert (added, skipped) == (3, [])
    assert ann.all_annotations(b, deleted=True) == before
    again, skipped = import_records(b, from_jsonld(doc), by="eddi")
    assert again == 0 and sorted(skipped) == sorted(r["id"] for r in before)
