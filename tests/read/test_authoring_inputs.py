"""Bad input in the authoring formats: a diagnostic with file and line (row for tables) and the
fix, the letter or entry kept where it can be, and the rest of the edition built."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from epistola import ingest, open_edition
from epistola.read import read_file

GOOD = """---
id: good
date: 1900-01-02
from: p-a
to: p-b
---

Hello [B](person:p-b).
"""


def write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def diag(doc, code):
    return next(d for d in doc.diagnostics if d.code == code)


def test_wrong_date_names_the_line_and_the_fix(tmp_path):
    p = write(tmp_path, "a.md", "---\nid: a\nfrom: p-a\ndate: 1900-02-30\n---\n\nText.\n")
    doc = read_file(str(p))
    d = diag(doc, "bad-date")
    assert (d.severity, d.line) == ("error", 4)  # the line of 'date:'
    assert "1900-02-30" in d.message and "EDTF" in d.message
    assert [x.id for x in doc.letters] == ["a"] and doc.letters[0].date is None


def test_broken_front_matter_keeps_the_letter(tmp_path):
    p = write(tmp_path, "b.md", "---\nid: b\ndate: [1900\nfrom: p-a\n---\n\nText kept.\n")
    doc = read_file(str(p))
    d = diag(doc, "bad-front-matter")
    assert d.line in (3, 4) and "fix the front matter" in d.message
    assert doc.letters[0].id == "b"  # the file name
    assert doc.letters[0].versions[0].text == "Text kept."


def test_unknown_mark_footnote_and_field(tmp_path):
    p = write(
        tmp_path,
        "c.md",
        "---\nid: c\ndate: 1900\nsender: p-a\n---\n\nA [x](persn:p-a) and[^9].\n",
    )
    doc = read_file(str(p))
    assert diag(doc, "unknown-field").line == 4
    assert diag(doc, "unknown-mark").line == 7
    assert diag(doc, "unknown-footnote").line == 7
    assert doc.letters[0].versions[0].text == "A x and[^9]."  # nothing lost


def test_register_problems_point_at_lines_and_rows(tmp_path):
    y = write(
        tmp_path,
        "persons.yaml",
        "persons:\n  - id: p-a\n    name: A\n    birth: 1900-13\n  - name: no id\n",
    )
    doc = read_file(str(y))
    assert [e.id for e in doc.entries] == ["p-a"] and doc.entries[0].birth is None
    assert diag(doc, "bad-date").line == 4 and diag(doc, "missing-id").line == 5
    c = write(tmp_path, "places.csv", "id,name,lat,lon\npl-a,A,north,1\npl-b,B,1,2,3\n")
    doc = read_file(str(c))
    assert diag(doc, "bad-field").line == 2 and "row 2" in diag(doc, "bad-field").message
    assert diag(doc, "bad-row").line == 3
    assert [e.id for e in doc.entries] == ["pl-a"]
    bad = write(tmp_path, "works.yaml", "works:\n  - id: w\n   title: x\n")
    d = diag(read_file(str(bad)), "yaml-syntax")
    assert d.line == 3


def test_catalogue_bad_cells_missing_file_and_formula(tmp_path):
    c = write(
        tmp_path,
        "cat.csv",
        "id,date,from,to,transcription\n"
        "a,1900-01-01,p-a,p-b,missing.docx\n"
        "b,1900-99,p-a,p-b,\n"
        "b,1900-01-03,p-a,p-b,\n",
    )
    doc = read_file(str(c))
    assert [x.id for x in doc.letters] == ["a", "b", "b-4"]
    assert diag(doc, "missing-transcription").line == 2
    bd = diag(doc, "bad-date")
    assert bd.line == 3 and bd.message.startswith("row 3:")
    assert diag(doc, "duplicate-id").line == 4
    wb = openpyxl.Workbook()
    wb.active.append(["id", "date", "from", "to", "summary"])
    wb.active.append(["x", "=TODAY()", "p-a", "p-b", '=HYPERLINK("http://example.org","y")'])
    wb.save(tmp_path / "cal.xlsx")
    doc = read_file(str(tmp_path / "cal.xlsx"))
    d = diag(doc, "bad-date")
    assert d.line == 2 and "=TODAY()" in d.message  # the formula is text, never run
    assert doc.letters[0].versions[0].text.startswith("=HYPERLINK(")


def test_the_rest_of_the_edition_builds(tmp_path):
    src = tmp_path / "src"
    write(src, "good.md", GOOD)
    write(
        src,
        "bad.md",
        "---\nid: bad\ndate: 1900-02-30\nfrom: p-a\n---\n\nText\nand [Z](person:p-nobody).\n",
    )
    write(src, "persons.yaml", "persons:\n  - {id: p-a, name: A}\n  - {id: p-b, name: B}\n")
    (src / "broken.xlsx").write_bytes(b"not a workbook")
    result = ingest([src], tmp_path / "e.sqlite")
    codes = {(d.code, Path(d.path).name) for d in result.diagnostics}
    assert {("bad-date", "bad.md"), ("bad-table", "broken.xlsx"), ("unknown-ref", "bad.md")} <= (
        codes
    )
    unknown = next(d for d in result.diagnostics if d.code == "unknown-ref")
    assert "p-nobody" in unknown.message and unknown.line == 8  # the Markdown line
    ed = open_edition(tmp_path / "e.sqlite")
    try:
        assert {x.id for x in ed.letters()} == {"good", "bad"}
        good = ed.letter("good")
        assert good.label == "1900 No. 1" and [a.ref for a in good.senders] == ["p-a"]
    finally:
        ed.close()


def test_yaml_alias_bomb_and_undecodable_catalogue_are_refused(tmp_path):
    levels = "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )  # 10**9 values once expanded
    y = write(tmp_path, "persons.yaml", "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + levels)
    doc = read_file(str(y))
    assert doc.entries == [] and "refused" in diag(doc, "yaml-syntax").message
    c = tmp_path / "cat.csv"
    c.write_bytes("id,date,from,to\nx,1900,p-a,Löw\n".encode("latin-1"))
    d = diag(read_file(str(c)), "bad-table")
    assert d.line == 2 and "UTF-8" in d.message


def test_a_letter_id_that_cannot_be_a_file_name_is_fixed_and_reported(tmp_path):
    p = write(tmp_path, "d.md", "---\ndate: 1900\nid: a/b c\n---\n\nText.\n")
    doc = read_file(str(p))
    assert doc.letters[0].id == "a-b-c" and diag(doc, "bad-id").line == 3
