"""Incremental ingest (ingest/cache.py): after edits, additions and deletions of sources, the
incremental edition equals a full build row for row, and its static site equals a fresh site
file for file. Only build timestamps are left out: ``meta.built`` and the search index's own
timings (``meta.search.build_seconds``); of the site, the builder's cache of search rows
(``.epistola/search-static.pickle``, not a page)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from epistola.config import load_project, project_from_sources
from epistola.ingest import ingest
from epistola.site import build_site

from .conftest import ROOT, SAMPLE, SCHNITZLER, need

AUTHORED = ROOT / "examples" / "authored-edition"


def dump(path: Path) -> dict[str, list]:
    """Every table of an edition, rows sorted (the timestamps of the build left out)."""
    conn = sqlite3.connect(path)
    out = {}
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for name in sorted(names):
        rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
        if name == "meta":
            rows = [_meta_row(k, v) for k, v in rows if k != "built"]
        out[name] = sorted(rows, key=repr)
    conn.close()
    return out


def _meta_row(key, value):
    if key == "search":
        data = json.loads(value)
        data.pop("build_seconds", None)
        return key, data
    return key, value


def assert_same_edition(incremental: Path, full: Path) -> None:
    a, b = dump(incremental), dump(full)
    assert sorted(a) == sorted(b)
    differing = [t for t in a if a[t] != b[t]]
    assert not differing, {t: (len(a[t]), len(b[t])) for t in differing}


def site_files(folder: Path) -> dict[str, bytes]:
    """Every file of a static site but the site builder's own cache of search rows."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "search-static.pickle"
    }


def assert_same_site(incremental: Path, full: Path) -> None:
    a, b = site_files(incremental), site_files(full)
    assert sorted(a) == sorted(b)
    assert [p for p in a if a[p] != b[p]] == []


def insert_word(path: Path, word: str) -> None:
    text = path.read_text("utf-8")
    at = text.index("</p>", text.index("<body"))
    path.write_text(text[:at] + f" {word}" + text[at:], "utf-8")


def run_both(project, inc: Path, full: Path):
    """An incremental ingest into ``inc`` and a full one into ``full`` (each replacing the
    same earlier edition, so their version histories agree)."""
    result = ingest(project, inc, incremental=True)
    ingest(project, full)
    return result


def test_sample_edits_additions_deletions_equal_a_full_build(tmp_path):
    proj = tmp_path / "sample"
    shutil.copytree(SAMPLE, proj, ignore=shutil.ignore_patterns("_build"))
    inc, full = tmp_path / "inc" / "edition.sqlite", tmp_path / "full" / "edition.sqlite"
    inc.parent.mkdir()
    full.parent.mkdir()
    first = ingest(load_project(proj), inc, incremental=True)
    assert first.files_read == first.files  # nothing cached yet
    shutil.copy(inc, full)
    build_site(inc, tmp_path / "inc-site")

    again = ingest(load_project(proj), inc, incremental=True)
    assert again.files_read == 0  # nothing changed: nothing read
    letters = proj / "letters"
    insert_word(letters / "1931" / "L1931-08-16.xml", "INCREMENTALWORD")
    added = letters / "1932" / "L1932-06-13.xml"
    added.write_text(
        (letters / "1932" / "L1932-06-12.xml")
        .read_text("utf-8")
        .replace('xml:id="L1932-06-12"', 'xml:id="L1932-06-13"'),
        "utf-8",
    )
    (letters / "1933" / "L1933-09-03.xml").unlink()
    persons = proj / "registers" / "persons.xml"
    persons.write_text(
        persons.read_text("utf-8").replace("Arseny Grigoryevich", "Arsenii Grigorievich"), "utf-8"
    )
    (letters / "1931" / "L1931-06-14.xml").touch()  # same content, new time: not read

    result = run_both(load_project(proj), inc, full)
    assert result.files_read == 3  # the edited letter, the new one, the person register
    assert result.letters == first.letters  # one added, one deleted
    assert_same_edition(inc, full)
    with sqlite3.connect(inc) as conn:
        assert (
            conn.execute("SELECT COUNT(*) FROM letters WHERE id = 'L1933-09-03'").fetchone()[0] == 0
        )
        assert (
            conn.execute("SELECT COUNT(*) FROM letters WHERE id = 'L1932-06-13'").fetchone()[0] == 1
        )
        text = conn.execute(
            "SELECT text FROM letter_texts WHERE letter_id = 'L1931-08-16' AND version = 0"
        ).fetchone()[0]
        assert "INCREMENTALWORD" in text
        names = [
            r[0] for r in conn.execute("SELECT name FROM entry_names WHERE entry_id = 'p-vetrov'")
        ]
        assert any("Arsenii" in n for n in names)

    site = build_site(inc, tmp_path / "inc-site")  # writes over the site of the first edition
    build_site(full, tmp_path / "full-site")
    assert 0 < site.written < site.pages  # only what changed was written again
    assert_same_site(tmp_path / "inc-site", tmp_path / "full-site")


def test_authored_inputs_transcription_and_sibling_translation(tmp_path):
    proj = tmp_path / "authored"
    shutil.copytree(AUTHORED, proj, ignore=shutil.ignore_patterns("_build"))
    inc, full = tmp_path / "inc.sqlite", tmp_path / "full.sqlite"
    first = ingest(load_project(proj), inc, incremental=True)
    shutil.copy(inc, full)
    letters = proj / "letters"
    # a transcription joined to a catalogue row: the catalogue is read again
    txt = letters / "transcriptions" / "1905-06.txt"
    txt.write_text(txt.read_text("utf-8") + "\nTRANSCRIPTIONWORD\n", "utf-8")
    # a new sibling translation of a Markdown letter: that letter is read again
    sibling = letters / "1905-04-kern-orlov.en.md"
    sibling.write_text("SIBLINGWORD, the translation.\n", "utf-8")
    result = run_both(load_project(proj), inc, full)
    read_again = result.files_read
    # catalogue.csv, the Markdown letter, and whatever of the new/changed files a reader claims
    claimed = {".md"}
    expected = 2 + sum(p.suffix in claimed for p in (txt, sibling))
    assert read_again == expected, (read_again, first.files)
    assert_same_edition(inc, full)
    with sqlite3.connect(inc) as conn:
        texts = " ".join(r[0] for r in conn.execute("SELECT text FROM letter_texts"))
    assert "TRANSCRIPTIONWORD" in texts and "SIBLINGWORD" in texts
    assert ingest(load_project(proj), inc, incremental=True).files_read == 0


def test_schnitzler_slice_equals_a_full_build(tmp_path):
    src = need(SCHNITZLER) / "editions"
    folder = tmp_path / "letters"
    folder.mkdir()
    for n in range(1, 21):
        shutil.copy(src / f"L{n:05d}.xml", folder)
    inc, full = tmp_path / "inc.sqlite", tmp_path / "full.sqlite"
    first = ingest(project_from_sources([folder]), inc, incremental=True)
    assert first.letters == 20
    shutil.copy(inc, full)
    build_site(inc, tmp_path / "inc-site")

    insert_word(folder / "L00005.xml", "SLICEWORD")
    (folder / "L00007.xml").unlink()
    added = (src / "L00021.xml").read_bytes()
    (folder / "L00021.xml").write_bytes(added)
    # a person in a letter's own register (<back>) renamed
    l9 = folder / "L00009.xml"
    text = l9.read_text("utf-8")
    at = text.index("<persName", text.index("<back"))
    end = text.index("</persName>", at)
    l9.write_text(
        text[:at] + "<persName><surname>Zzrenamed</surname></persName>" + text[end + 11 :], "utf-8"
    )

    result = run_both(project_from_sources([folder]), inc, full)
    assert result.files_read == 3 and result.letters == 20
    assert_same_edition(inc, full)
    build_site(inc, tmp_path / "inc-site")
    build_site(full, tmp_path / "full-site")
    assert_same_site(tmp_path / "inc-site", tmp_path / "full-site")


@pytest.mark.parametrize("damage", ["garbage", "other-version"])
def test_a_broken_or_foreign_cache_is_started_again(tmp_path, damage):
    proj = tmp_path / "sample"
    shutil.copytree(SAMPLE, proj, ignore=shutil.ignore_patterns("_build"))
    inc = tmp_path / "edition.sqlite"
    first = ingest(load_project(proj), inc, incremental=True)
    cache = Path(str(inc) + ".readcache")
    if damage == "garbage":
        cache.write_bytes(b"not a database" * 100)
    else:
        with sqlite3.connect(cache) as conn:
            conn.execute("UPDATE cache_meta SET value = 'older' WHERE key = 'code'")
    again = ingest(load_project(proj), inc, incremental=True)
    assert again.files_read == first.files and again.letters == first.letters


def test_letters_sharing_an_id_are_read_again_and_renamed_as_in_a_full_build(tmp_path):
    proj = tmp_path / "sample"
    shutil.copytree(SAMPLE, proj, ignore=shutil.ignore_patterns("_build"))
    inc, full = tmp_path / "inc.sqlite", tmp_path / "full.sqlite"
    ingest(load_project(proj), inc, incremental=True)
    shutil.copy(inc, full)
    twin = proj / "letters" / "1931" / "A-twin.xml"  # before L1931-08-16.xml in source order
    shutil.copy(proj / "letters" / "1931" / "L1931-08-16.xml", twin)
    result = run_both(load_project(proj), inc, full)
    # only the new file is read; it and the cached letter are merged as separate shards,
    # where the merge renames one of them as a full build does
    assert result.files_read == 1
    assert_same_edition(inc, full)
    with sqlite3.connect(inc) as conn:
        ids = {
            r[0]
            for r in conn.execute(
                "SELECT id FROM letters WHERE id LIKE '%twin%' OR id = 'L1931-08-16'"
            )
        }
        codes = [r[0] for r in conn.execute("SELECT code FROM diagnostics")]
    assert ids == {"L1931-08-16", "A-twin"} and "duplicate-id" in codes
    twin.unlink()
    again = run_both(load_project(proj), inc, full)
    assert_same_edition(inc, full)
    assert again.files_read <= 1


def test_cli_build_is_incremental_and_full_reads_everything(tmp_path):
    from typer.testing import CliRunner

    from epistola.cli import app

    runner = CliRunner()
    proj = tmp_path / "proj"
    assert runner.invoke(app, ["new", str(proj)]).exit_code == 0
    with open(proj / "epistola.toml", "a", encoding="utf-8") as fh:
        fh.write("\n[outputs]\nbook = false\nepub = false\n")
    first = runner.invoke(app, ["build", str(proj)])
    assert first.exit_code == 0, first.output
    assert "files read)" not in first.output  # everything read the first time
    letter = next((proj / "letters").rglob("*.md"))
    letter.write_text(letter.read_text("utf-8") + "\nCLIWORD\n", "utf-8")
    second = runner.invoke(app, ["build", str(proj)])
    assert second.exit_code == 0, second.output
    assert "(1 of " in second.output and "files read)" in second.output
    page = next((proj / "_build" / "site" / "letters").glob("*.html"))
    pages = " ".join(p.read_text("utf-8") for p in page.parent.glob("*.html"))
    assert "CLIWORD" in pages
    third = runner.invoke(app, ["build", str(proj), "--full"])
    assert third.exit_code == 0 and "files read)" not in third.output
