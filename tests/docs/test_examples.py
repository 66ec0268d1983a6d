"""Every example in README.md and docs/ runs against the edition it names and finds what the
text says. Commands are taken from the docs' code blocks as printed; the editions they name
(sample.sqlite, schnitzler.sqlite, examples/sample-edition) are the test session's."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import sqlite3

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from epistola.cli import app

from ..conftest import ROOT, SAMPLE

DOCS = ["README.md", *(f"docs/{p.name}" for p in sorted((ROOT / "docs").glob("*.md")))]
# examples run elsewhere: long-running or whole-corpus ones, each with the test that runs it
RUN_ELSEWHERE = {
    "serve": "tests/web (the server, its pages and API)",
    "build": "tests/docs/test_formats_minimal.py and tests/site (a project built end to end)",
    "site": "tests/site (the static site of the sample)",
    "users": "tests/web/test_research.py (accounts written to a copy of the sample, not to it)",
    "annotations": "tests/web/test_research_standoff.py (export and import on copies of the sample)",
}
SKIP_DOCS = {"docs/benchmarks.md", "docs/postgres.md"}  # their commands are measured runs / servers


def blocks(doc: str, langs=("sh", "")) -> list[str]:
    text = (ROOT / doc).read_text(encoding="utf-8")
    return [b for lang, b in re.findall(r"```(\w*)\n(.*?)```", text, re.S) if lang in langs]


def commands() -> list[tuple[str, str]]:
    out = []
    for doc in DOCS:
        if doc in SKIP_DOCS:
            continue
        for block in blocks(doc):
            for line in block.splitlines():
                line = line.strip()
                if line.startswith(("epistola ", ".venv/bin/epistola ")):
                    out.append((doc, line))
    return out


def test_the_docs_have_examples():
    found = commands()
    assert len(found) >= 20
    assert {d for d, _ in found} >= {"README.md", "docs/search.md", "docs/analyses.md"}


def _argv(line: str, editions: dict) -> tuple[list[str], str]:
    code, _, comment = line.partition("  #")
    argv = shlex.split(code.replace(".venv/bin/epistola", "epistola"))[1:]
    if argv[:1] == ["stats"] and argv[1:2] == ["EDITION"]:
        return [], comment  # the synopsis line
    argv = [str(editions.get(a, a)) for a in argv]
    return argv, comment.strip()


@pytest.mark.parametrize(("doc", "line"), commands())
def test_every_command_example_runs(doc, line, sample_edition, request, tmp_path, monkeypatch):
    editions = {
        "sample.sqlite": sample_edition[0],
        "examples/sample-edition": SAMPLE,
        "ed.sqlite": sample_edition[0],
    }
    if "schnitzler" in line:
        if line.split()[1] in ("check", "ingest"):
            pytest.skip("the whole corpus is checked and ingested by tests/test_ingest_corpora.py")
        editions["schnitzler.sqlite"] = request.getfixturevalue("schnitzler_edition")[0]
    argv, comment = _argv(line, editions)
    if not argv:
        return
    if argv[0] in RUN_ELSEWHERE:
        assert line.split()[1] in RUN_ELSEWHERE  # named; run by the tests listed there
        return
    monkeypatch.chdir(tmp_path)  # files an example writes (--out, > file) land here
    redirect = None
    if ">" in argv:
        argv, redirect = argv[: argv.index(">")], argv[argv.index(">") + 1]
    r = CliRunner().invoke(app, argv)
    assert r.exit_code == 0, (doc, line, r.output)
    if redirect:
        (tmp_path / redirect).write_text(r.stdout, encoding="utf-8")
        assert (tmp_path / redirect).stat().st_size > 0
    for opt in ("--out", "--gexf", "--graphml"):
        if opt in argv:
            assert (tmp_path / argv[argv.index(opt) + 1]).exists(), opt
    said = re.search(r"(\d+) letters? match", comment) or re.search(r"(\d+) letters?\b", comment)
    if said and argv[0] == "search":
        total = (
            json.loads(r.stdout)["total"]
            if "--json" in argv
            else int(re.match(r"(\d+) letters match", r.stdout).group(1))
        )
        assert total == int(said.group(1)), (doc, line)
    if said and argv[0] == "ingest":
        assert f"{said.group(1)} letters" in r.output


def _run_python(block: str, path: str, name: str) -> str:
    code = block.replace(f'"{name}"', repr(str(path)))
    buf = io.StringIO()
    env: dict = {}
    with contextlib.redirect_stdout(buf):
        exec(compile(code, "<doc example>", "exec"), env)  # noqa: S102 - our own docs
    return buf.getvalue(), env


def test_readme_python_example(sample_edition):
    (block,) = [b for b in blocks("README.md", ("python",))]
    printed, _ = _run_python(block, sample_edition[0], "sample.sqlite")
    lines = printed.splitlines()
    said = re.search(r"# (\d+) letters; the first: (.*)", block)
    assert len(lines) == int(said.group(1))
    assert lines[0] == said.group(2)


def test_search_python_example(sample_edition):
    (block,) = blocks("docs/search.md", ("python",))
    _, env = _run_python(block, sample_edition[0], "sample.sqlite")
    assert env["res"]["total"] == int(re.search(r'res\["total"\]\s+# (\d+)', block).group(1))


def test_getting_started_python_example(schnitzler_edition):
    (block,) = blocks("docs/getting-started.md", ("python",))
    printed, env = _run_python(block, schnitzler_edition[0], "schnitzler.sqlite")
    counts = env["ed"].counts()
    for key, n in re.findall(r"(\w+): (\d+)", block.split("ed.counts()", 1)[1].split("\n")[0]):
        assert counts[key] == int(n)
    lines = printed.splitlines()
    assert len(lines) == int(re.search(r"# (\d+) letters", block).group(1))
    first = re.search(r"# (1891 No\. \d+ \S+ .*?) …", block).group(1)
    assert lines[0].startswith(first)
    assert env["ed"].person("pmb2121").name == "Arthur Schnitzler"
    assert len(env["df"]) == int(re.search(r"(\d+) rows", block).group(1))


def test_analyses_python_example(sample_edition):
    (block,) = blocks("docs/analyses.md", ("python",))
    _, env = _run_python(block, sample_edition[0], "sample.sqlite")
    assert env["res"]["name"] == "replies" and env["res"]["view"] == "kinds"


def test_api_examples(sample_edition):
    from epistola.web import create_app

    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    curls = [ln for b in blocks("docs/api.md") for ln in b.splitlines() if ln.startswith("curl")]
    assert len([c for c in curls if "/api/" in c]) == 3
    with TestClient(create_app(str(sample_edition[0]))) as client:
        for line in curls:
            argv = shlex.split(line)[1:]
            url = next(a for a in argv if a.startswith("http"))
            params = [tuple(a.split("=", 1)) for a in argv[argv.index(url) + 1 :] if "=" in a]
            r = client.get(url.removeprefix("http://127.0.0.1:8000"), params=params)
            assert r.status_code == 200, (line, r.text)
            kind = "application/json" if "/api/" in url else "xml"
            assert kind in r.headers["content-type"], line
    assert "--data-urlencode" in text and "percent-encoded" in text


def test_schema_sql_examples(sample_edition):
    (block,) = blocks("docs/schema.md", ("sql",))
    con = sqlite3.connect(sample_edition[0])
    for stmt in [s for s in block.split(";") if "SELECT" in s]:
        rows = con.execute(stmt).fetchall()
        assert rows, stmt


def test_docs_name_where_build_writes_the_site():
    rr = (ROOT / "docs" / "reading-room.md").read_text(encoding="utf-8")
    assert "examples/sample-edition/_build/site/" in rr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "source .venv/bin/activate" in readme
