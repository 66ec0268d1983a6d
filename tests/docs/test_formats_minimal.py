"""docs/formats.md's minimal project builds exactly as printed, and finds what the text says."""

from __future__ import annotations

import json
import re

from lxml import etree
from typer.testing import CliRunner

from epistola import open_edition
from epistola.cli import app

from ..conftest import ROOT

TEI = "{http://www.tei-c.org/ns/1.0}"


def project_files() -> dict[str, str]:
    """Each file of the section: a `my-edition/PATH`: line, then its fenced block."""
    doc = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    section = doc.split("## A minimal project, complete", 1)[1]
    found = re.findall(r"`my-edition/([^`]+)`[^\n]*:\n\n```\w+\n(.*?)```", section, re.S)
    return dict(found)


def test_the_minimal_project_builds_as_printed(tmp_path):
    files = project_files()
    assert set(files) == {
        "epistola.toml",
        "registers/persons.xml",
        "letters/B1931-03-02.xml",
        "letters/B1931-03-10.xml",
    }
    project = tmp_path / "my-edition"
    for rel, text in files.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, encoding="utf-8")
    r = CliRunner().invoke(app, ["build", str(project)])
    assert r.exit_code == 0, r.output
    assert "0 error(s), 0 warning(s)" in r.output
    out = project / "_build"
    for made in ("edition.sqlite", "site/index.html", "data/cmif.xml", "book.pdf"):
        assert (out / made).is_file(), made
    # expected values from the printed sources, read with lxml
    reply = etree.fromstring(files["letters/B1931-03-10.xml"].encode())
    target = reply.find(f".//{TEI}correspContext/{TEI}ref[@type='replyTo']").get("target")
    date = reply.find(f".//{TEI}correspAction[@type='sent']/{TEI}date")
    with open_edition(out / "edition.sqlite") as ed:
        rows = {r["id"]: r for r in ed.letter_records()}
        assert len(rows) == len([f for f in files if f.startswith("letters/")])
        first, second = ed.letter("B1931-03-02"), ed.letter("B1931-03-10")
        assert first.date.certainty == "exact" and first.date.exact
        assert rows["B1931-03-02"]["certainty"] == "exact"
        assert (second.date.earliest, second.date.latest) == (
            date.get("notBefore"),
            date.get("notAfter"),
        )
        assert second.date.certainty == "range" and not second.date.exact
        assert rows["B1931-03-10"]["date_display"] == "[5 Mar. 1931 – 15 Mar. 1931]"
        links = ed.store.execute("SELECT type, target FROM letter_links WHERE letter_id = ?",
                                 ("B1931-03-10",))  # fmt: skip
        assert {"type": "reply-to", "target": target.lstrip("#")} in links
    doc = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    assert "`1931 No. 1`, `exact`" in doc and "certainty `range`" in doc
    letter_json = json.loads((out / "site" / "letters" / "B1931-03-10.json").read_text("utf-8"))
    assert letter_json["label"] == "1931 No. 2"
    # privacy: what is published names files relative to the project, never the builder's paths
    assert letter_json["source_path"] == "letters/B1931-03-10.xml"
    published = [p for p in (out / "site").rglob("*") if p.suffix in (".json", ".html", ".js")]
    published += list((out / "data").rglob("*.json")) + list((out / "data").rglob("*.csv"))
    assert len(published) > 10
    leaked = [p for p in published if str(tmp_path) in p.read_text("utf-8", errors="replace")]
    assert leaked == []
    edition_json = json.loads((out / "data" / "edition.json").read_text("utf-8"))
    assert {e["source_path"] for e in edition_json["entries"]} == {"registers/persons.xml"}
