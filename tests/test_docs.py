"""Docs are tested: every command of the CLI is documented in docs/cli.md."""

from __future__ import annotations

from epistola.cli import app

from .conftest import ROOT


def test_every_command_is_documented():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert len(names) >= 10
    missing = [n for n in names if f"## `epistola {n}" not in doc]
    assert missing == []


def test_readme_quick_start_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line for line in block.splitlines()[1:] if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["make sample", "make test"]
