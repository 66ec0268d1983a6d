"""Letters in Markdown with YAML front matter (docs/authoring.md).

A ``.md`` file is a letter when it starts with front matter (``---`` ... ``---``) naming at
least one of ``id``, ``date``, ``from`` or ``to``. Its body becomes TEI text markup
(``read/markup.py``). A translation is a ``::: translation en`` section or a sibling file
``NAME.en.md`` beside ``NAME.md``.
"""

from __future__ import annotations

import os
import re

from lxml import etree

from ..diagnostics import Diagnostics
from . import yamlsrc
from .authoring import add_text, build_letter, set_lang, tei_text, text_value
from .document import SourceDocument, note_input, note_listing, reader
from .markup import MarkdownText
from .xml import TEI, xml_text

_SIBLING = re.compile(r"^(.+)\.([a-z]{2,3}(?:-[A-Za-z]{2,4})?)\.md$")
LETTER_KEYS = ("id", "date", "from", "to")


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter or None, body, the body's first line number)."""
    if not text.startswith("---"):
        return None, text, 1
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    return "\n".join(lines[1:]), "", len(lines) + 1


def _decode(data: bytes, path: str, diags: Diagnostics) -> str | None:
    try:
        return xml_text(data.decode("utf-8-sig").replace("\r\n", "\n"), path, diags)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        diags.error(
            path,
            line,
            "bad-encoding",
            f"not UTF-8 text (byte {e.start}); save the file as UTF-8 and build again",
        )
        return None


def _front(fm: str, path: str, diags: Diagnostics):
    """The front matter as a mapping (empty after reporting a problem)."""
    try:
        meta = yamlsrc.load(fm, first_line=2)
    except yamlsrc.YamlError as e:
        diags.error(
            path,
            e.line,
            "bad-front-matter",
            f"{e}; the letter is kept with its file name as id — fix the front matter "
            "(key: value lines between two '---' lines; quote values containing ': ' or '#')",
        )
        return None
    if meta is None:
        return yamlsrc.Mapping()
    if not isinstance(meta, yamlsrc.Mapping):
        diags.error(
            path,
            2,
            "bad-front-matter",
            "front matter is not a list of 'key: value' lines; the letter is kept with its "
            "file name as id",
        )
        return None
    return meta


@reader("markdown-letter", suffixes=(".md", ".markdown"), parse="bytes")
def read_markdown(data: bytes, path: str, diags: Diagnostics) -> SourceDocument | None:
    text = _decode(data, path, diags)
    if text is None:
        return SourceDocument(path=path, format="markdown-letter", diagnostics=diags)
    name = os.path.basename(path)
    sib = _SIBLING.match(name)
    if sib and os.path.exists(os.path.join(os.path.dirname(path), sib.group(1) + ".md")):
        # a translation: read with the letter it translates
        return SourceDocument(path=path, format="markdown-translation", diagnostics=diags)
    fm, body, body_line = split_front_matter(text)
    if fm is None:
        return None
    meta = _front(fm, path, diags)
    broken = meta is None
    if broken:
        meta = yamlsrc.Mapping()
        meta.lines, meta.line = {}, 1
    elif not any(k in meta for k in LETTER_KEYS):
        return None  # front matter of a page, not a letter
    default_id = name.rsplit(".", 1)[0]
    letter = build_letter(meta, default_id, path, 1, meta.line_of, diags)
    text_el, body_el = tei_text()
    conv = MarkdownText(path, diags)
    conv.convert(body, body_line, body_el)
    _siblings(path, conv, body_el, diags)
    set_lang(text_el, letter.languages[0] if letter.languages else None)
    add_text(letter, text_el, text_value(meta.get("summary")))
    return SourceDocument(path=path, format="markdown-letter", letters=[letter], diagnostics=diags)


def _siblings(path: str, conv: MarkdownText, body_el, diags: Diagnostics) -> None:
    """Translations in sibling files NAME.LANG.md, in the order of their names."""
    folder, name = os.path.split(path)
    stem = name.rsplit(".", 1)[0]
    note_listing(folder, stem + ".")  # a sibling added or removed: this letter is read again
    try:
        names = sorted(os.listdir(folder or "."))
    except OSError:
        return
    for other in names:
        m = _SIBLING.match(other)
        if not m or m.group(1) != stem:
            continue
        spath = os.path.join(folder, other)
        note_input(spath)
        try:
            with open(spath, "rb") as fh:
                stext = _decode(fh.read(), spath, diags)
        except OSError as e:
            diags.error(spath, None, "unreadable", f"cannot read translation: {e.strerror}")
            continue
        if stext is None:
            continue
        fm, body, body_line = split_front_matter(stext)
        lang = m.group(2)
        if fm is not None:
            smeta = _front(fm, spath, diags)
            if smeta is not None and text_value(smeta.get("language")):
                lang = text_value(smeta.get("language"))
        div = etree.SubElement(body_el, TEI + "div", type="translation", nsmap={None: TEI[1:-1]})
        set_lang(div, lang)
        sconv = MarkdownText(spath, diags)
        sconv.convert(body, body_line, div)
