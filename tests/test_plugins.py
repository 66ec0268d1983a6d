"""Third parties add readers, exporters, analyses, build outputs and pages through entry points."""

from __future__ import annotations

import importlib
import shutil
import sys
import textwrap

import pytest

from epistola import load_project, open_edition
from epistola.analyse import run
from epistola.build import build
from epistola.plugins import ANALYSES, EXPORTERS, OUTPUTS, PAGES, READERS

from .conftest import SAMPLE

PLUGIN = """
from pathlib import Path

from epistola.analyse import Analysis
from epistola.model import Letter
from epistola.read.document import SourceDocument, reader


@reader("memo", suffixes=(".memo",), parse="bytes")
def read_memo(data, path, diags):
    lid, title = data.decode().splitlines()[0].split("|", 1)
    doc = SourceDocument(path=path, format="memo", diagnostics=diags)
    doc.letters.append(Letter(id=lid, source_path=path, source_line=1, title=title))
    return doc


def ids_export(edition, out):
    out = Path(out)
    out.write_text("\\n".join(sorted(r["id"] for r in edition.letter_records())))
    return [out]


def count_output(project, edition_file, dest, report):
    (dest / "count.txt").write_text(str(len(list((dest / "data" / "csv").iterdir()))))
    report("count written")


def _titles(facts, **options):
    rows = facts.store.execute("SELECT id, title FROM letters ORDER BY id")
    return {
        "name": "titles",
        "view": "all",
        "title": "Titles",
        "description": "Every letter's title.",
        "columns": ["id", "title"],
        "rows": rows,
        "counts": {"letters": len(rows)},
    }


TITLES = Analysis("titles", "Titles", "What are the letters called?", {"all": _titles}, "all")
"""

ENTRY_POINTS = """
[epistola.readers]
memo = epistola_testplugin

[epistola.exporters]
ids = epistola_testplugin:ids_export

[epistola.outputs]
count = epistola_testplugin:count_output

[epistola.analyses]
titles = epistola_testplugin:TITLES
"""


@pytest.fixture
def plugin(tmp_path):
    site = tmp_path / "site-packages"
    site.mkdir()
    (site / "epistola_testplugin.py").write_text(PLUGIN)
    dist = site / "epistola_testplugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: epistola-testplugin\nVersion: 0.1\n"
    )
    (dist / "entry_points.txt").write_text(textwrap.dedent(ENTRY_POINTS))
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    registries = (READERS, EXPORTERS, OUTPUTS, ANALYSES)
    for r in registries:
        r.reload()
    yield
    sys.path.remove(str(site))
    sys.modules.pop("epistola_testplugin", None)
    for r, name in zip(registries, ("memo", "ids", "count", "titles"), strict=True):
        r.unregister(name)


def test_extension_points_are_declared_once():
    for r in (READERS, EXPORTERS, ANALYSES, OUTPUTS, PAGES):
        assert r.group == f"epistola.{r.name}" and r.signature
    names = READERS.names()
    # readers of one suffix are asked in this order: a TEI letter before a TEI register before
    # CMIF (.xml), a letter catalogue before a register table (.csv)
    assert names.index("tei-letter") < names.index("tei-register") < names.index("cmif")
    assert names.index("catalogue") < names.index("csv-register")
    assert {"cmif", "csv", "json", "beacon", "iiif", "oai"} <= set(EXPORTERS.names())
    assert OUTPUTS.names() == ["data", "book", "epub", "site"]
    assert "letter" in PAGES.names() and "person" not in PAGES.names()


def test_a_plugin_adds_through_entry_points(plugin, tmp_path):
    assert "memo" in READERS and "ids" in EXPORTERS and "titles" in ANALYSES
    assert OUTPUTS.names()[-1] == "count"  # after the built-ins
    project_dir = tmp_path / "project"
    shutil.copytree(SAMPLE, project_dir, ignore=shutil.ignore_patterns("_build"))
    (project_dir / "letters" / "memo-1.memo").write_text("memo-1|Minutes of the meeting\n")
    project = load_project(project_dir)
    project.outputs["book"] = project.outputs["epub"] = False
    said = []
    result = build(project, tmp_path / "out", report=said.append, workers=1)
    assert result.letters > 1
    assert "count written" in said
    csv_files = len(list((tmp_path / "out" / "data" / "csv").iterdir()))
    assert (tmp_path / "out" / "count.txt").read_text() == str(csv_files)
    site = tmp_path / "out" / "site"
    assert (site / "letters" / "memo-1.html").exists()
    assert "Every letter" in (site / "analyses" / "titles-all.html").read_text()
    with open_edition(tmp_path / "out" / "edition.sqlite") as ed:
        assert ed.letter("memo-1").title == "Minutes of the meeting"
        from epistola.export import export

        (written,) = export(ed, "ids", tmp_path / "ids.txt")
        assert "memo-1" in written.read_text().split("\n")
        res = run(ed, "titles")
    assert {"id": "memo-1", "title": "Minutes of the meeting"} in res["rows"]
