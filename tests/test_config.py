"""epistola.toml: every problem reported at once, with where it is."""

from __future__ import annotations

import pytest

from epistola import load_project
from epistola.errors import ConfigError

from .conftest import SAMPLE


def test_sample_project_loads():
    p = load_project(SAMPLE)
    assert p.meta.languages == ["ru", "en"]
    assert [f.kind for f in p.front].count("introduction") == 3
    assert {f.year for f in p.front if f.kind == "introduction"} == {1931, 1932, 1933}


def test_all_problems_reported_together(tmp_path):
    (tmp_path / "epistola.toml").write_text(
        '[edition]\ntitle = "T"\nlanguages = ["russian-language"]\n'
        '[sources]\npaths = ["missing"]\n'
        '[[front]]\nkind = "prologue"\nfile = "front/none.md"\n'
        '[[front]]\nkind = "introduction"\nfile = "front/none2.md"\n'
        "[colophon]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as e:
        load_project(tmp_path)
    msg = str(e.value)
    for fragment in (
        "unknown section [colophon]",
        "'russian-language'",
        "paths: ",
        "missing does not exist",
        "[[front]] #1: kind 'prologue'",
        "[[front]] #1: file",
        "[[front]] #2: an introduction needs year",
    ):
        assert fragment in msg, fragment
    assert msg.startswith("7 problem(s)")


def test_toml_syntax_error_is_a_config_error(tmp_path):
    (tmp_path / "epistola.toml").write_text("[edition\ntitle = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_project(tmp_path)
    assert "line 1" in str(e.value)


def test_a_project_without_settings_never_reads_its_own_build_output(tmp_path):
    """A folder of letters without epistola.toml: `build` writes XML (CMIF, OAI, TEI) into
    PROJECT/_build, and the next build must not read those files back as letters."""
    import shutil

    from epistola import ingest, open_edition
    from epistola.build import export_data
    from epistola.read import discover

    project_dir = tmp_path / "letters"
    shutil.copytree(SAMPLE / "letters", project_dir / "letters")
    shutil.copytree(SAMPLE / "registers", project_dir / "registers")
    project = load_project(project_dir)
    target = project_dir / "_build" / "edition.sqlite"
    first = ingest(project, str(target))
    export_data(project, target, target.parent, lambda message: None)
    assert list((project_dir / "_build" / "data").glob("*.xml"))  # output that a reader claims
    project = load_project(project_dir)
    assert not [f for f in discover(project.paths, project.exclude) if "_build" in f]
    second = ingest(project, str(target))
    with open_edition(target) as ed:
        assert ed.counts()["letters"] == len(list((SAMPLE / "letters").rglob("*.xml")))
    assert len(second.diagnostics) == len(first.diagnostics)
    assert not [d for d in second.diagnostics if "_build" in str(d)]
