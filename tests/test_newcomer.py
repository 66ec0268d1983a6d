"""Issue 15, on a small hand-made edition (tests/fixtures/newcomer): two German letters, one
Russian, an uncertain date, a reply, a person register in which "Karl Brenner" is written
"Карл Бреннер" in a letter. Expected values are read from the sources with lxml."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from starlette.testclient import TestClient

from epistola import ingest, load_project, open_edition
from epistola.web import create_app

from .conftest import FIXTURES

NEWCOMER = FIXTURES / "newcomer"
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    target = tmp_path_factory.mktemp("newcomer") / "newcomer.sqlite"
    result = ingest(load_project(NEWCOMER), target)
    return target, result


@pytest.fixture(scope="module")
def client(edition):
    with TestClient(create_app(str(edition[0]))) as c:
        yield c


def sources() -> dict[str, etree._Element]:
    return {
        p.stem: etree.parse(str(p)).getroot() for p in sorted((NEWCOMER / "letters").glob("*.xml"))
    }


def register_names() -> dict[str, str]:
    root = etree.parse(str(NEWCOMER / "registers" / "persons.xml")).getroot()
    return {
        p.get(XML_ID): p.find(f"{TEI}persName[@type='pref']").text
        for p in root.iter(f"{TEI}person")
    }


def epistola(*args, cwd=None) -> subprocess.CompletedProcess:
    """The real command, its output piped (not a terminal), as in `epistola ... > file`."""
    env = {**os.environ, "COLUMNS": "80", "TERM": "xterm"}
    return subprocess.run(
        [sys.executable, "-m", "epistola", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


# -- fidelity -------------------------------------------------------------------------------
def test_certainty_is_true_everywhere(edition, client):
    path, result = edition
    assert result.letters == len(sources())
    expected = {}
    for lid, root in sources().items():
        d = root.find(f".//{TEI}correspAction[@type='sent']/{TEI}date")
        expected[lid] = "exact" if d.get("when") and len(d.get("when")) == 10 else "range"
    assert set(expected.values()) == {"exact", "range"}
    with open_edition(path) as ed:
        for lid, cert in expected.items():
            d = ed.letter(lid).date
            assert d.certainty == cert
            assert (d.certainty == "exact") == d.exact
        frame = ed.letters_frame()
        assert dict(zip(frame["id"], frame["certainty"], strict=True)) == expected
    api = client.get("/api/letters").json()["letters"]
    assert {x["id"]: x["certainty"] for x in api} == expected


def test_parties_under_the_register_name_written_form_kept(edition, client):
    path, _ = edition
    names = register_names()
    written = {}
    for lid, root in sources().items():
        for kind in ("sent", "received"):
            el = root.find(f".//{TEI}correspAction[@type='{kind}']/{TEI}persName")
            written[(lid, kind)] = (el.get("ref").lstrip("#"), el.text)
    assert ("p-brenner", "Карл Бреннер") in written.values()  # the case the issue names
    with open_edition(path) as ed:
        frame = ed.letters_frame()
        for (lid, kind), (ref, as_written) in written.items():
            letter = ed.letter(lid)
            agent = (letter.senders if kind == "sent" else letter.addressees)[0]
            assert agent.name == names[ref]
            assert agent.written == (as_written if as_written != names[ref] else None)
            col = "sender" if kind == "sent" else "addressee"
            assert frame.set_index("id").loc[lid, col] == names[ref]
        # grouping by name no longer splits a person
        assert frame.groupby("addressee").size()["Karl Brenner"] == 2
        stored = ed.store.execute(
            "SELECT name FROM letter_agents WHERE letter_id = 'R1931-04-01' AND action = 'received'"
        )
        assert stored == [{"name": "Карл Бреннер"}]
    year = client.get("/years/1931.html").text
    assert "Karl Brenner" in year and "Карл Бреннер" not in year
    page = client.get("/letters/R1931-04-01.html").text
    assert '<span class="as-written">(Карл Бреннер)</span>' in page  # the written form, as such
    brenner = client.get("/api/persons/p-brenner").json()
    assert {x["addressee"] for x in brenner["letters"]["to"]} == {"Karl Brenner"}


def test_persons_counts_the_original_text_without_the_writers_signature(edition):
    path, _ = edition
    want = Counter()
    letters = {}
    for lid, root in sources().items():
        senders = {
            el.get("ref").lstrip("#")
            for el in root.iterfind(f".//{TEI}correspAction[@type='sent']/{TEI}persName")
        }
        for el in root.find(f"{TEI}text").iter(f"{TEI}persName"):
            anc = list(el.iterancestors())
            if any(a.get("type") == "translation" for a in anc):
                continue
            ref = el.get("ref").lstrip("#")
            if any(a.tag == f"{TEI}signed" for a in anc) and ref in senders:
                continue
            want[ref] += 1
            letters.setdefault(ref, set()).add(lid)
    from epistola.analyse import run

    res = run(path, "persons", "mentions")
    assert {r["person"]: r["mentions"] for r in res["rows"]} == dict(want)
    assert {r["person"]: r["letters"] for r in res["rows"]} == {
        k: len(v) for k, v in letters.items()
    }
    assert "p-brenner" not in want  # only his own signature names him in the letters' text
    assert want["p-orlov"] == 2  # once in German, not again in the English translation
    doc = (Path(__file__).parents[1] / "docs" / "analyses.md").read_text("utf-8")
    assert "writer's own signature" in doc and "original text only" in doc


BAD_DATE = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="X1">
  <teiHeader><fileDesc><titleStmt><title level="a">Impossible</title></titleStmt></fileDesc>
    <profileDesc><correspDesc>
      <correspAction type="sent"><persName>A</persName>
        <date notBefore="1931-02-01" notAfter="1931-02-30">Februar 1931</date></correspAction>
    </correspDesc></profileDesc>
  </teiHeader>
  <text><body><p>Text.</p></body></text>
</TEI>
"""


def test_an_impossible_date_is_only_a_bad_date(tmp_path):
    (tmp_path / "x.xml").write_text(BAD_DATE, encoding="utf-8")
    result = ingest([tmp_path], tmp_path / "x.sqlite")
    codes = [(d.severity, d.code, d.line) for d in result.diagnostics if d.severity != "info"]
    assert codes == [("error", "bad-date", 6)]
    assert result.letters == 1  # kept, undated


def test_kind_filters_take_the_editions_own_terms(edition, client):
    path, _ = edition
    terms = {lid: root.find(f".//{TEI}objectType").text.strip() for lid, root in sources().items()}
    cipher = [lid for lid, t in terms.items() if t == "шифротелеграмма"]
    assert cipher == ["R1931-04-01"]
    r = epistola("search", path, "--kind", "шифротелеграмма", "--json")
    assert [x["letter"] for x in json.loads(r.stdout)["results"]] == cipher
    r = epistola("search", path, "--kind", "ciphered telegram", "--json")
    assert [x["letter"] for x in json.loads(r.stdout)["results"]] == cipher
    postcard = client.get("/api/letters", params={"kind": "Postkarte"}).json()
    assert [x["id"] for x in postcard["letters"]] == [
        k for k, t in terms.items() if t == "Postkarte"
    ]
    # a value matching nothing says so, with the values there are
    r = epistola("search", path, "--kind", "Telegramm")
    assert r.returncode == 2
    assert "matches no letter" in r.stderr and "ciphered telegram, letter, postcard" in r.stderr
    bad = client.get("/api/letters", params={"kind": "telegram"})
    assert bad.status_code == 400 and "matches no letter" in bad.json()["error"]
    r = epistola("search", path, "--sender", "Brenner")
    assert r.returncode == 2 and "no such register entry" in r.stderr


# -- CLI output ----------------------------------------------------------------------------
def test_check_reports_on_stdout_as_json_says(tmp_path):
    (tmp_path / "x.xml").write_text(BAD_DATE, encoding="utf-8")
    undated = FIXTURES / "broken" / "undated.xml"
    (tmp_path / "undated.xml").write_bytes(undated.read_bytes())
    text = epistola("check", tmp_path)
    as_json = json.loads(epistola("check", tmp_path, "--json").stdout)
    assert text.returncode == 1 and text.stderr == ""
    messages = [d["message"] for d in as_json]
    assert any("[@type='sent']" in m for m in messages)
    for m in messages:  # each message exactly as --json gives it, markup and all, on one line
        assert m in text.stdout
    assert "letters in 2 files" in text.stdout


def test_piped_output_is_not_cut_to_80_columns(edition):
    path, _ = edition
    r = epistola("stats", path, "replies")
    assert r.returncode == 0, r.stderr
    from epistola.analyse import run

    res = run(path, "replies")
    for column in res["columns"]:
        assert column in r.stdout
    assert "…" not in r.stdout
    assert res["description"] in r.stdout.splitlines()  # one line, whole, however long
    assert len(res["description"]) > 80


def test_search_text_shows_the_top_facets(edition):
    path, _ = edition
    as_json = json.loads(epistola("search", path, "Turbine", "--json").stdout)
    text = epistola("search", path, "Turbine").stdout
    assert as_json["total"] == 2
    assert "facets" in text
    for key in ("sender", "person", "kind"):
        line = next(x for x in text.splitlines() if x.strip().startswith(f"{key}:"))
        top = as_json["facets"][key][0]
        assert f"{top['label']}" in line and f"({top['count']})" in line
    # dates in brackets are not eaten as console markup
    row = next(r for r in as_json["results"] if r["letter"] == "B1931-03-10")
    assert row["date"].startswith("[") and row["date"] in text
