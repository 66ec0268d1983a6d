"""Write the example's Word transcription and XLSX catalogue (run: python make_office_files.py).

The files are committed; this script shows what they contain and makes them again. The .docx
is written as raw WordprocessingML (italics, underline, strike-through, a footnote, a tracked
insertion); the .xlsx with openpyxl (a formula cell, which Epistola keeps as text).
"""

import datetime
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def run(text, *props):
    rpr = "".join(f"<w:{p}/>" if p != "u" else '<w:u w:val="single"/>' for p in props)
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'{rpr and "<w:r>" + rpr or "<w:r>"}<w:t xml:space="preserve">{text}</w:t></w:r>'


DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body>
<w:p>{run("Многоуважаемая Софья Андреевна!")}</w:p>
<w:p>{run("Барометр ")}{run("получен", "i")}{run(" в целости")}<w:r><w:footnoteReference w:id="1"/></w:r>{run(". Старый ")}{run("сломан", "strike")}{run(" ")}{run("совсем", "u")}<w:ins w:id="9" w:author="SK">{run(" и")}</w:ins>{run(" отправлю назад.")}</w:p>
<w:p>{run("Ваш И. Орлов")}</w:p>
</w:body></w:document>"""

FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {W}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p>{run("The barometer arrived on 8 May by steamer.")}</w:p></w:footnote>
</w:footnotes>"""

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>
</Types>"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""

DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
</Relationships>"""


def write_docx(path: Path, document: str = DOCUMENT, footnotes: str = FOOTNOTES) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/_rels/document.xml.rels", DOC_RELS)
        z.writestr("word/document.xml", document)
        z.writestr("word/footnotes.xml", footnotes)


def write_xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "date", "from", "to", "kind", "summary", "transcription"])
    # a formula: Epistola keeps "=1+1" as text and never computes it
    ws.append(["v-1906-001", "1906-01-05", "p-orlov", "p-kern", "letter", "=1+1", None])
    ws.append(
        [
            "v-1906-002",
            datetime.datetime(1906, 2, 2),
            "p-orlov",
            "p-kern",
            "letter",
            "The station returns to the Academy.",
            "transcriptions/1906-02-02.md",
        ]
    )
    wb.save(path)


if __name__ == "__main__":
    write_docx(HERE / "letters" / "transcriptions" / "1905-05-10.docx")
    write_xlsx(HERE / "letters" / "catalogue-1906.xlsx")
