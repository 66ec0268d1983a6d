"""`epistola search` on the command line: text, JSON, filters and error messages."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from epistola.cli import app


def _path(ed):
    return str(ed.store.path)


def test_cli_json_with_filters(ru_edition):
    r = CliRunner().invoke(
        app,
        [
            "search",
            _path(ru_edition),
            "Kaganowitsch",
            "--from",
            "1931-08",
            "--to",
            "1931-08",
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["total"] == 3
    assert {x["letter"]: x["date_match"] for x in data["results"]} == {
        "R1931-08-05": "certain",
        "R1931-08-12": "possible",
        "R1931-08-20": "certain",
    }


def test_cli_text_output(ru_edition):
    r = CliRunner().invoke(app, ["search", _path(ru_edition), "еще"])
    assert r.exit_code == 0
    assert "1 letters match" in r.stdout and "R1931-08-05" in r.stdout


def test_cli_bad_query_says_how_to_fix(ru_edition):
    r = CliRunner().invoke(app, ["search", _path(ru_edition), '"unclosed'])
    assert r.exit_code == 2
    assert "unbalanced quote" in r.output and "how to fix" in r.output
