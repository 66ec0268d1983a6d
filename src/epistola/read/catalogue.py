"""A catalogue of letters in a CSV or XLSX table, joined with transcription files.

One row a letter: the letter fields of docs/authoring.md as columns (``date``, ``from``/
``sender``, ``to``/``addressee``, ``place_from``, ``shelfmark``, ``summary``...) and
``transcription``, a .docx, .md or .txt file beside the catalogue (or in a folder below it).
A row without a transcription is a calendar entry: the letter's metadata and summary only.
A table is a catalogue when it has a ``transcription`` column, or ``date`` and a sender column.
"""

from __future__ import annotations

import os

from lxml import etree

from ..diagnostics import Diagnostics
from .authoring import add_text, build_letter, set_lang, tei_text, text_value
from .document import SourceDocument, note_input, reader
from .docx import docx_body
from .markdown import split_front_matter
from .markup import MarkdownText
from .tables import TableError, csv_header, read_table, row_diag
from .xml import TEI, xml_text

ALIASES = {
    "sender": "from",
    "author": "from",
    "addressee": "to",
    "recipient": "to",
    "place": "place_from",
    "place_sent": "place_from",
    "from_place": "place_from",
    "place_received": "place_to",
    "to_place": "place_to",
    "file": "transcription",
    "text": "transcription",
    "call_number": "shelfmark",
    "signature": "shelfmark",
    "regest": "summary",
    "abstract": "summary",
    "lang": "language",
    "type": "kind",
}
FILE_COLUMNS = ("transcription", "translation")


def _is_catalogue(header: list[str]) -> bool:
    cols = {ALIASES.get(h, h) for h in header}
    return "transcription" in cols or ("date" in cols and ("from" in cols or "to" in cols))


@reader("catalogue", suffixes=(".csv", ".xlsx"), parse="bytes")
def read_catalogue(data: bytes, path: str, diags: Diagnostics) -> SourceDocument | None:
    if path.lower().endswith(".csv") and not _is_catalogue(csv_header(data)):
        return None  # a register, or no table of ours
    try:
        header, rows = read_table(data, path, diags)
    except TableError as e:
        diags.error(path, e.line, "bad-table", f"{e}; the catalogue is skipped")
        return SourceDocument(path=path, format="catalogue", diagnostics=diags)
    if not _is_catalogue(header):
        if path.lower().endswith(".xlsx"):
            diags.error(
                path,
                1,
                "bad-table",
                "the first row must name the columns: at least 'date' and 'from' (or "
                "'transcription'); see docs/authoring.md",
            )
            return SourceDocument(path=path, format="catalogue", diagnostics=diags)
        return None
    doc = SourceDocument(path=path, format="catalogue", diagnostics=diags)
    stem = os.path.basename(path).rsplit(".", 1)[0]
    seen: dict[str, int] = {}
    for line, row in rows:
        meta = {ALIASES.get(k, k): v for k, v in row.items() if v}
        files = {k: meta.pop(k) for k in FILE_COLUMNS if k in meta}
        default_id = (
            os.path.basename(files["transcription"]).rsplit(".", 1)[0]
            if "transcription" in files
            else f"{stem}-{line:04d}"
        )

        def line_of(_key, line=line):
            return line

        row_diags = Diagnostics()
        letter = build_letter(meta, default_id, path, line, line_of, row_diags)
        for d in row_diags:  # name the row: a spreadsheet has no lines
            diags.add(d.path, d.line, d.severity, d.code, f"row {line}: {d.message}")
        if letter.id in seen:
            row_diag(
                diags,
                path,
                line,
                "duplicate-id",
                f"letter id {letter.id!r} is also used in row {seen[letter.id]}; the row is "
                "kept with the id " + f"{letter.id}-{line}: give each row its own id",
            )
            letter.id = f"{letter.id}-{line}"
        seen[letter.id] = line
        text_el, body = tei_text()
        for key in FILE_COLUMNS:
            if key in files:
                target = body
                if key == "translation":
                    target = etree.SubElement(
                        body, TEI + "div", type="translation", nsmap={None: TEI[1:-1]}
                    )
                _transcription(files[key], path, line, target, diags)
        set_lang(text_el, letter.languages[0] if letter.languages else None)
        add_text(letter, text_el, text_value(meta.get("summary")))
        doc.letters.append(letter)
    return doc


def _transcription(name: str, path: str, line: int, body, diags: Diagnostics) -> None:
    """Append a transcription file's text to ``body``; report (at the row) what goes wrong."""
    folder = os.path.dirname(path)
    fpath = os.path.normpath(os.path.join(folder, name))
    note_input(fpath)  # incremental ingest reads the catalogue again when this file changes
    real, base = os.path.realpath(fpath), os.path.realpath(folder or ".")
    if os.path.commonpath([real, base]) != base:  # ../../, an absolute path, a symlink out
        row_diag(
            diags,
            path,
            line,
            "outside-project",
            f"transcription {name!r} lies outside the catalogue's folder ({real}); not read: "
            "keep transcriptions beside the catalogue or in a folder below it",
        )
        return
    if not os.path.isfile(fpath):
        row_diag(
            diags,
            path,
            line,
            "missing-transcription",
            f"transcription {name!r} not found (looked for {fpath}); the letter is kept as a "
            "calendar entry: fix the file name or add the file",
        )
        return
    low = fpath.lower()
    try:
        with open(fpath, "rb") as fh:
            data = fh.read()
        if low.endswith(".docx"):
            docx_body(data, body)
            return
        text = xml_text(data.decode("utf-8-sig").replace("\r\n", "\n"), fpath, diags)
    except TableError as e:
        diags.error(fpath, None, "bad-docx", f"{e}; the letter in row {line} has no text")
        return
    except UnicodeDecodeError as e:
        diags.error(
            fpath,
            data[: e.start].count(b"\n") + 1,
            "bad-encoding",
            f"not UTF-8 text; save it as UTF-8 (the letter in row {line} has no text)",
        )
        return
    except OSError as e:
        row_diag(diags, path, line, "unreadable", f"cannot read {fpath}: {e.strerror}")
        return
    if low.endswith((".md", ".markdown")):
        _, body_text, first = split_front_matter(text)
        MarkdownText(fpath, diags).convert(body_text, first, body)
    elif low.endswith(".txt"):
        _plain(text, body)
    else:
        row_diag(
            diags,
            path,
            line,
            "bad-transcription",
            f"{name!r}: a transcription is a .docx, .md or .txt file",
        )


def _plain(text: str, body) -> None:
    """Plain text: paragraphs at blank lines, line breaks kept as ``lb``."""
    for block in text.split("\n\n"):
        lines = [x.strip() for x in block.strip().split("\n")]
        if not any(lines):
            continue
        p = etree.SubElement(body, TEI + "p")
        p.text = lines[0]
        for x in lines[1:]:
            lb = etree.SubElement(p, TEI + "lb")
            lb.tail = x
