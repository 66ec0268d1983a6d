"""Citable versions: each build records what changed; `epistola diff`; the changes page."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from lxml import etree

from epistola import ingest, load_project, open_edition

from .conftest import SAMPLE

TEI = {"t": "http://www.tei-c.org/ns/1.0"}
EDITED = "letters/1931/L1931-08-16.xml"


def _meta(target, key):
    with open_edition(target) as ed:
        return ed.store.get_meta(key)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The sample built three times: as it is, again unchanged, then with one letter edited;
    then with one letter removed. Returns the project folder and the edition after each."""
    root = tmp_path_factory.mktemp("versions")
    project = root / "sample"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("_build"))
    target = root / "ed.sqlite"
    snapshots = []

    def build():
        ingest(load_project(project), target)
        snap = root / f"ed-{len(snapshots)}.sqlite"
        shutil.copy(target, snap)
        snapshots.append(snap)

    build()
    build()
    f = project / EDITED
    f.write_text(f.read_text(encoding="utf-8").replace("пятидневк", "шестидневк"), "utf-8")
    build()
    removed = sorted((project / "letters" / "1932").glob("*.xml"))[0]
    removed.unlink()
    build()
    return project, snapshots, removed


def test_first_build_is_version_1_with_every_letter_added(builds):
    _project, snaps, _ = builds
    v = _meta(snaps[0], "version")
    assert v["number"] == 1
    (h,) = _meta(snaps[0], "history")
    letters = {f.stem for f in (SAMPLE / "letters").rglob("*.xml")}
    assert set(h["added"]["letters"]) == letters
    assert h["counts"]["added"]["letters"] == len(letters)


def test_an_unchanged_rebuild_keeps_the_version(builds):
    _project, snaps, _ = builds
    assert _meta(snaps[1], "version") == _meta(snaps[0], "version")
    assert len(_meta(snaps[1], "history")) == 1


def test_an_edited_letter_is_a_new_version_of_that_letter_only(builds):
    _project, snaps, _ = builds
    v = _meta(snaps[2], "version")
    assert v["number"] == 2
    last = _meta(snaps[2], "history")[-1]
    edited = (
        etree.parse(str(SAMPLE / EDITED)).getroot().get("{http://www.w3.org/XML/1998/namespace}id")
    )
    assert last["changed"]["letters"] == [edited]
    assert last["added"]["letters"] == last["removed"]["letters"] == []
    per_letter = _meta(snaps[2], "letter_versions")
    assert per_letter[edited]["version"] == 2
    assert {x["version"] for k, x in per_letter.items() if k != edited} == {1}


def test_a_removed_letter_renumbers_the_later_letters_of_its_year(builds):
    _project, snaps, removed = builds
    last = _meta(snaps[3], "history")[-1]
    assert last["removed"]["letters"] == [removed.stem]

    # letters of 1932 dated after the removed one move up a number: their citation changed
    def when(f):
        d = etree.parse(str(f)).find(".//t:correspAction[@type='sent']/t:date", TEI)
        return d.get("when") or d.get("notBefore") or d.get("from")

    removed = SAMPLE / "letters" / "1932" / removed.name  # the project copy no longer has it
    day = when(removed)
    later = {
        f.stem
        for f in (SAMPLE / "letters" / "1932").glob("*.xml")
        if f != removed and when(f) > day
    }
    assert set(last["changed"]["letters"]) == later


def test_epistola_diff_lists_what_changed(builds):
    _project, snaps, removed = builds
    run = subprocess.run(
        [sys.executable, "-m", "epistola", "diff", str(snaps[0]), str(snaps[3]), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    changes = json.loads(run.stdout)
    assert changes["removed"]["letters"] == [removed.stem]
    assert "L1931-08-16" in changes["changed"]["letters"]
    same = subprocess.run(
        [sys.executable, "-m", "epistola", "diff", str(snaps[0]), str(snaps[1])],
        capture_output=True,
        text=True,
        check=True,
    )
    assert same.stdout.strip() == "no changes"


def test_the_site_has_a_changes_page_and_versioned_citations(builds, tmp_path):
    from epistola.site import build_site

    _project, snaps, _ = builds
    site = tmp_path / "site"
    build_site(snaps[2], site)
    changes = (site / "changes.html").read_text()
    assert 'id="v2"' in changes and 'id="v1"' in changes
    assert 'href="letters/L1931-08-16.html"' in changes.split('id="v1"')[0]
    edited = (site / "letters" / "L1931-08-16.html").read_text()
    assert ", версия 2 (" in edited  # the sample speaks Russian
    other = (site / "letters" / "L1931-06-14.html").read_text()
    assert ", версия 1 (" in other
    assert 'href="../changes.html"' in other
