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
