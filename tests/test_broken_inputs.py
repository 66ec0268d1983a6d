"""Bad input gets a clear diagnostic with file and line, and loses nothing else."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from epistola import ingest, open_edition

from .conftest import FIXTURES, ROOT

BROKEN = FIXTURES / "broken"


def _codes(diags):
    return {(d.path.rsplit("/", 1)[-1], d.code) for d in diags}


def test_broken_files_are_reported_and_the_rest_ingested(tmp_path):
    result = ingest([BROKEN], tmp_path / "e.sqlite")
    codes = _codes(result.diagnostics)
    assert ("malformed.xml", "xml-syntax") in codes
    assert ("entity.xml", "xml-syntax") in codes  # entities are refused, never expanded
    assert ("bad_date.xml", "bad-date") in codes
    assert ("bad_date.xml", "unknown-ref") in codes
    assert ("bad_date.xml", "missing-letter") in codes
    assert ("later_duplicate.xml", "duplicate-id") in codes
    assert ("undated.xml", "undated") in codes
    malformed = next(
        d for d in result.diagnostics if d.code == "xml-syntax" and "malformed" in d.path
    )
    assert malformed.line == 8 and malformed.severity == "error"
    bad = next(d for d in result.diagnostics if d.code == "bad-date")
    assert bad.line == 6 and "1931-02-30" in bad.message
    with open_edition(tmp_path / "e.sqlite") as ed:
        ids = {r["id"] for r in ed.letter_records()}
        # the good ones, the bad-dated one, the undated one, and the second letter with id B4
        # under an id from its file name (neither file is named B4: the first keeps the id)
        assert ids == {"B3", "B4", "B5", "later_duplicate"}
        assert ed.letter("B4").title == "A good letter"
        assert ed.letter("later_duplicate").title == "Same id as good.xml"
        assert ed.text("B4") == "Dear Boris, the TsK agrees."
        stored = ed.diagnostics()
    assert len(stored) == len(result.diagnostics)


def test_entities_are_not_expanded(tmp_path):
    from epistola.read import read_file

    doc = read_file(str(BROKEN / "entity.xml"))
    assert doc.letters == [] and doc.format == "malformed"
    assert "entity" in list(doc.diagnostics)[0].message.lower()


def test_check_json_lists_everything(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "epistola", "check", str(BROKEN), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 1  # errors present
    data = json.loads(proc.stdout)
    assert {"path", "line", "severity", "code", "message"} <= set(data[0])
    assert {d["code"] for d in data} >= {
        "xml-syntax",
        "bad-date",
        "unknown-ref",
        "duplicate-id",
        "undated",
    }


def test_killed_build_leaves_previous_edition_intact(tmp_path):
    from .conftest import SCHNITZLER, need

    target = tmp_path / "e.sqlite"
    ingest([BROKEN], target)
    before = target.read_bytes()
    src = need(SCHNITZLER)
    proc = subprocess.Popen(
        [sys.executable, "-m", "epistola", "ingest", str(src), "--out", str(target), "-q"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(2.0)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert target.read_bytes() == before
    with open_edition(target) as ed:
        assert ed.info()["letters"] == 4  # every well-formed letter file in broken/
