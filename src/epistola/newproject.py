"""``epistola new``: a working project to start an edition from, one example in each format.

The project builds at once (``epistola build DIR``): epistola.toml, a preface and one year's
introduction, registers in YAML and CSV, and one letter in each authoring format: Markdown,
a CSV catalogue row with a Word transcription and one with a plain-text transcription, an XLSX
catalogue row without a transcription (a calendar entry), and TEI.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .errors import EpistolaError


class ProjectExists(EpistolaError):
    hint = "Choose a new folder name, or empty the folder first; nothing was written."


TEXTS = {
    "ru": {
        "salute": "Дорогая [Анна](person:p-anna)!",
        "body": "Пишу тебе из [Москвы](place:pl-city). {--Вчера--}{++Сегодня++} был в "
        "[Обществе](org:o-society) и читал *[Записки](work:w-notes)*.[^1]",
        "note": "Комментарий редактора.",
        "closer": "Твой [Пётр](person:p-petr)",
        "docx": ["Дорогой Пётр!", "Спасибо за письмо", "Твоя Анна"],
        "txt": "Дорогая Анна,\nпосылаю книгу.\n\nПётр",
        "city": "Москва",
        "summary": "Пётр сообщает о заседании Общества.",
        "calendar": "Телеграмма о приезде (письмо не сохранилось).",
    },
    "en": {
        "salute": "Dear [Anna](person:p-anna),",
        "body": "I write from [the city](place:pl-city). {--Yesterday--}{++Today++} I was at "
        "the [Society](org:o-society) and read *[Notes](work:w-notes)*.[^1]",
        "note": "An editor's note.",
        "closer": "Yours, [Peter](person:p-petr)",
        "docx": ["Dear Peter,", "thank you for your letter", "Yours, Anna"],
        "txt": "Dear Anna,\nI send you the book.\n\nPeter",
        "city": "The City",
        "summary": "Peter reports on the Society's meeting.",
        "calendar": "A telegram announcing a visit (the text is lost).",
    },
}
YEAR = 1900


def create_project(folder: str | Path, title: str = "", language: str = "en") -> list[Path]:
    """Write a new project into ``folder`` (created; must be empty); return the files written."""
    root = Path(folder)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ProjectExists(f"{root} exists and is not an empty folder")
    t = TEXTS.get(language, TEXTS["en"])
    title = title or root.name
    files: dict[str, str | bytes] = {
        "epistola.toml": _toml(title, language),
        "front/preface.md": f"# {title}\n\nWhat this edition contains, and how it was made.\n",
        f"front/intro-{YEAR}.md": f"The letters of {YEAR}: who wrote, and about what.\n",
        "registers/persons.yaml": _persons(),
        "registers/places.csv": f"id,name,lat,lon,note\npl-city,{t['city']},55.75,37.62,\n",
        f"letters/{YEAR}-03-01-petr-anna.md": _markdown(t, language),
        "letters/catalogue.csv": (
            "id,date,from,to,place_from,language,summary,transcription\n"
            f"l-{YEAR}-002,{YEAR}-03-10,p-anna,p-petr,pl-city,{language},,"
            "transcriptions/anna-petr.docx\n"
            f"l-{YEAR}-003,{YEAR}-04?,p-petr,p-anna,,{language},,transcriptions/petr-anna.txt\n"
        ),
        "letters/transcriptions/anna-petr.docx": docx_bytes(t["docx"]),
        "letters/transcriptions/petr-anna.txt": t["txt"] + "\n",
        "letters/calendar.xlsx": _xlsx(t["calendar"]),
        f"letters/{YEAR}-06-01-anna-petr.xml": _tei(language),
    }
    written = []
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        written.append(p)
    return written


def _toml(title: str, language: str) -> str:
    esc = title.replace("\\", "\\\\").replace('"', '\\"')
    return f"""# The edition's settings: see docs/project.md. Letters: see docs/authoring.md.

[edition]
title = "{esc}"
editors = []
languages = ["{language}"]
licence = "CC BY 4.0"

[sources]
paths = ["letters", "registers"]

[[front]]
kind = "preface"
title = "Preface"
file = "front/preface.md"

[[front]]
kind = "introduction"
year = {YEAR}
title = "{YEAR}"
file = "front/intro-{YEAR}.md"
"""


def _persons() -> str:
    return """persons:
  - id: p-petr
    name: Peter Example
    birth: 1850
    death: 1920
    offices:
      - {label: Secretary, org: o-society, from: 1890, to: 1905}
    note: An invented correspondent; replace with your own.
  - id: p-anna
    name: Anna Example
    birth: 1860-05-01
    note: An invented correspondent.
organisations:
  - id: o-society
    name: The Example Society
    from: 1880
works:
  - id: w-notes
    title: Notes
    authors: [p-petr]
"""


def _markdown(t: dict, language: str) -> str:
    return f"""---
id: l-{YEAR}-001
date: {YEAR}-03-01
from: p-petr
to: p-anna
place_from: pl-city
language: {language}
summary: {t["summary"]}
---

::: opener
{t["salute"]}
:::

{t["body"]}

::: closer
{t["closer"]}
:::

[^1]: {t["note"]}
"""


def _tei(language: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="l-{YEAR}-004">
  <teiHeader>
    <fileDesc>
      <titleStmt><title level="a">Anna to Peter, 1 June {YEAR}</title></titleStmt>
      <publicationStmt><p>Example</p></publicationStmt>
      <sourceDesc><p>An invented letter.</p></sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc>
        <correspAction type="sent"><persName ref="#p-anna">Anna</persName>
          <date when="{YEAR}-06-01"/></correspAction>
        <correspAction type="received"><persName ref="#p-petr">Peter</persName></correspAction>
      </correspDesc>
      <langUsage><language ident="{language}"/></langUsage>
    </profileDesc>
  </teiHeader>
  <text><body><p>A letter in TEI, beside the others.</p></body></text>
</TEI>
"""


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A minimal Word document: the paragraphs, the second in italics with a footnote."""
    ps = []
    for i, text in enumerate(paragraphs):
        rpr = "<w:rPr><w:i/></w:rPr>" if i == 1 else ""
        ref = '<w:r><w:footnoteReference w:id="1"/></w:r>' if i == 1 else ""
        ps.append(f'<w:p><w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>{ref}</w:p>')
    doc = f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{"".join(ps)}</w:body></w:document>'
    notes = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes {_W}><w:footnote w:id="1">'
        "<w:p><w:r><w:t>A footnote in Word becomes an editorial note.</w:t></w:r></w:p>"
        "</w:footnote></w:footnotes>"
    )
    ct = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", doc)
        z.writestr("word/footnotes.xml", notes)
    return buf.getvalue()


def _xlsx(summary: str) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "date", "from", "to", "kind", "summary", "transcription"])
    ws.append([f"l-{YEAR}-005", f"{YEAR}-07-01", "p-anna", "p-petr", "telegram", summary, None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
