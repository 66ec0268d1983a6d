"""Hostile inputs (issue 14): nothing read outside the project, nothing executed, nothing
expanded, every other letter kept. Big and deep files are generated here, never committed."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest

from epistola import ingest, open_edition
from epistola.read import read_file

from .conftest import FIXTURES, ROOT

BROKEN = FIXTURES / "broken"
AUTHORED = ROOT / "examples" / "authored-edition"
SECRET = "TOPSECRET-7f3a"
GOOD = (BROKEN / "good.xml").read_text(encoding="utf-8")


def letter(xml_id: str, body: str, prolog: str = "") -> str:
    """good.xml with another id and body, and ``prolog`` before the root."""
    text = GOOD.replace('xml:id="B4"', f'xml:id="{xml_id}"')
    return text.replace("<body><p>", f"<body><p>{body}</p><p>", 1).replace(
        "?>\n", f"?>\n{prolog}\n", 1
    )


def hostile_files(letters: Path, outside: Path) -> dict[str, bytes]:
    secret = outside / "secret.txt"
    dtd = outside / "evil.dtd"
    laughs = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{ref * 10}">' for i, ref in ((i, f"&l{i - 1};") for i in range(1, 10))
    )
    return {
        "xxe.xml": letter(
            "XXE", "&x;", f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret}">]>'
        ).encode(),
        "laughs.xml": letter("LOL", "&l9;", f"<!DOCTYPE TEI [{laughs}]>").encode(),
        "external_dtd.xml": letter("DTD", "&y;", f'<!DOCTYPE TEI SYSTEM "file://{dtd}">').encode(),
        "deep.xml": letter("DEEP", "<hi>" * 10_000 + "deep" + "</hi>" * 10_000).encode(),
        "bad_utf8.xml": letter("U8", "caf\udcff").encode("utf-8", "surrogateescape"),
        "nul.xml": letter("NUL", "a\x00b").encode(),
        "utf16_bom.xml": letter("U16B", "Grüße aus Wien")
        .replace('encoding="UTF-8"', 'encoding="UTF-16"')
        .encode("utf-16"),  # with BOM
        "utf16_nobom.xml": letter("U16N", "Grüße aus Wien")
        .replace('encoding="UTF-8"', 'encoding="UTF-16LE"')
        .encode("utf-16-le"),
        "xinclude.xml": letter(
            "XI",
            f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret}" '
            'parse="text"/> and <xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
            'href="../../outside/secret.txt" parse="text"/>',
        ).encode(),
        "graphic.xml": letter("GR", "see the facsimile")
        .replace(
            "</teiHeader>",
            '</teiHeader><facsimile><graphic url="../../outside/secret.png"/></facsimile>',
        )
        .encode(),
    }


@pytest.fixture
def project(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    (outside / "secret.png").write_bytes(b"\x89PNG" + SECRET.encode())
    (outside / "evil.dtd").write_text(f'<!ENTITY y "{SECRET}">')
    root = tmp_path / "proj" / "letters"
    root.mkdir(parents=True)
    (root / "good.xml").write_text(GOOD, encoding="utf-8")
    for name, data in hostile_files(root, outside).items():
        (root / name).write_bytes(data)
    return root


def test_hostile_xml_reads_nothing_outside_and_keeps_every_other_letter(project, tmp_path):
    target = tmp_path / "e.sqlite"
    result = ingest([project], target)
    by_file = {}
    for d in result.diagnostics:
        by_file.setdefault(Path(d.path).name, []).append(d)
    # refused, each with a diagnostic naming its file (and line for syntax errors)
    for name in ("xxe.xml", "laughs.xml", "deep.xml", "bad_utf8.xml"):
        assert name in by_file, f"{name}: no diagnostic"
        assert any(d.severity == "error" for d in by_file[name]), by_file[name]
    assert any(d.line for d in by_file["nul.xml"] + by_file["bad_utf8.xml"])
    with open_edition(target) as ed:
        ids = {r["id"] for r in ed.letter_records()}
        # every good letter kept: the plain one, both UTF-16 ones, the two with references out
        # and the one whose external DTD is never loaded (its entity stays unexpanded)
        assert {"B4", "U16B", "U16N", "XI", "GR", "DTD"} <= ids
        assert "Grüße aus Wien" in ed.text("U16B")
        assert "Grüße aus Wien" in ed.text("U16N")
        assert ed.text("B4") == "Dear Boris, the TsK agrees."
    # the secret reached nothing stored: not a text, not an asset, not a diagnostic
    assert SECRET.encode() not in target.read_bytes()
    with sqlite3.connect(target) as c:
        assert (
            c.execute("SELECT COUNT(*) FROM assets WHERE path LIKE '%secret%'").fetchone()[0] == 0
        )
    assert any(d.code == "outside-project" for d in by_file["graphic.xml"])


def test_a_50_mb_letter_is_read(tmp_path):
    para = "<p>" + "Wien " * 200 + "</p>\n"  # 1 kB
    count = 50 * 1024
    path = tmp_path / "big.xml"
    path.write_text(letter("BIG", "start</p>" + para * count + "<p>end"), encoding="utf-8")
    assert path.stat().st_size > 50_000_000
    doc = read_file(str(path))
    assert [x.id for x in doc.letters] == ["BIG"]
    assert not [d for d in doc.diagnostics if d.severity == "error"]


def _zip_bomb(kind: str, tmp_path: Path) -> Path:
    """A DOCX/XLSX whose main part unpacks to 1 GB of spaces (about 1 MB packed)."""
    src = (
        AUTHORED
        / "letters"
        / ("transcriptions/1905-05-10.docx" if kind == "docx" else "catalogue-1906.xlsx")
    )
    member = "word/document.xml" if kind == "docx" else "xl/worksheets/sheet1.xml"
    out = tmp_path / f"bomb.{kind}"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != member:
                zout.writestr(info, zin.read(info.filename))
        with zout.open(member, "w", force_zip64=True) as fh:
            chunk = b" " * (16 << 20)
            for _ in range(64):
                fh.write(chunk)
    return out


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_zip_bombs_are_refused_without_unpacking(kind, tmp_path):
    import resource

    path = _zip_bomb(kind, tmp_path)
    assert path.stat().st_size < 5_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if kind == "docx":  # a transcription: read through the catalogue that names it
        cat = tmp_path / "catalogue.csv"
        cat.write_text(
            "id,date,sender,addressee,transcription\nb1,1905-05-10,A,B,bomb.docx\n",
            encoding="utf-8",
        )
        path = cat
    doc = read_file(str(path))
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert [x.id for x in doc.letters] == (["b1"] if kind == "docx" else [])
    assert any("zip bomb" in d.message or "refused" in d.message for d in doc.diagnostics), [
        d.message for d in doc.diagnostics
    ]
    assert all(d.path in (str(path), str(tmp_path / "bomb.docx")) for d in doc.diagnostics)
    assert grew_mb < 500  # never unpacked to 1 GB


FORMULAS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


def test_formulas_in_csv_catalogue_are_text_and_escaped_in_exports(tmp_path):
    proj = tmp_path / "proj" / "letters"
    proj.mkdir(parents=True)
    (tmp_path / "outside.txt").write_text(SECRET)
    rows = [["id", "date", "sender", "addressee", "kind", "summary", "transcription"]]
    for i, f in enumerate(FORMULAS):
        rows.append([f"f{i}", "1905-05-10", f, "Ivan Orlov", "letter", f, ""])
    rows.append(["out", "1905-05-11", "A", "B", "letter", "reads outside", "../../outside.txt"])
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    (proj / "catalogue.csv").write_text(buf.getvalue(), encoding="utf-8")
    target = tmp_path / "e.sqlite"
    result = ingest([proj], target)
    assert any(d.code == "outside-project" and d.line == len(rows) for d in result.diagnostics), [
        str(d) for d in result.diagnostics
    ]
    assert SECRET.encode() not in target.read_bytes()
    with open_edition(target) as ed:
        ids = {r["id"] for r in ed.letter_records()}
        assert {f"f{i}" for i in range(len(FORMULAS))} | {"out"} <= ids
        summaries = {r["id"]: r for r in ed.store.execute("SELECT id, data FROM letters")}
        for i, f in enumerate(FORMULAS):  # stored as written, never computed
            assert (
                f in summaries[f"f{i}"]["data"]
                or f.replace('"', '\\"') in summaries[f"f{i}"]["data"]
            )
        from epistola.export import export

        export(ed, "csv", tmp_path / "csv")
    cells = [
        c
        for name in ("letters.csv", "parties.csv")
        for row in csv.reader((tmp_path / "csv" / name).open(encoding="utf-8"))
        for c in row
    ]
    assert cells, "nothing exported"
    for c in cells:
        assert not c.startswith(("=", "+", "@")) and not (c.startswith("-") and not _number(c)), c
    assert any(c.startswith("'=") or c.startswith("'+") or c.startswith("'@") for c in cells)


def _number(c: str) -> bool:
    try:
        float(c)
        return True
    except ValueError:
        return False
