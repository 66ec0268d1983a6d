"""A letter's Markdown body -> TEI text markup (the markup the store keeps for every letter).

Blocks: paragraphs (blank-line separated; a line ending in ``\\`` or two spaces is a line
break), ``# heading``, fenced sections ``::: opener``, ``::: closer``, ``::: postscript``,
``::: translation en`` closed by ``:::``, a line ``{pb:2}`` for a page break, footnote
definitions ``[^1]: text`` (indented lines continue them).

Inline: ``[text](person:id)``, ``(place:id)``, ``(org:id)``, ``(work:id)``, ``(event:id)``,
``(term:id)`` (an id may be left out: ``[Ivanov](person:)``), ``[text](https://...)``,
``[^1]`` footnote, ``{--deleted--}``, ``{++added++}``, ``{pb:2}``, ``*italic*``/``_italic_``,
``**bold**``, ``<u>underlined</u>``, ``~~struck through~~``, ``^superscript^``, ``\\`` escapes.
docs/authoring.md documents it for editors.
"""

from __future__ import annotations

import re

from lxml import etree

from ..diagnostics import Diagnostics
from .xml import TEI, XML_LANG

MARKS = {
    "person": ("persName", None),
    "place": ("placeName", None),
    "org": ("orgName", None),
    "work": ("title", None),
    "event": ("rs", "event"),
    "term": ("abbr", None),
}
SECTIONS = ("opener", "closer", "postscript", "translation")
HI = {"**": "bold", "*": "italic", "_": "italic", "~~": "strikethrough", "^": "sup"}
_SPECIAL = re.compile(r"\\.|\[\^|\{--|\{\+\+|\{pb(?::[^}\s]*)?\}|\[|\*\*|\*|~~|<u>|\^|_|\u2028")
_FENCE = re.compile(r"^:{3,}\s*(\w*)\s*(.*?)\s*$")
_FOOTDEF = re.compile(r"^\[\^([^\]\s]+)\]:\s?(.*)$")
_PB_LINE = re.compile(r"^\{pb(?::([^}\s]*))?\}$")
_HEAD = re.compile(r"^#{1,6}\s+(.*)$")
_BREAK = "\u2028"  # a hard line break inside a paragraph (becomes <lb/>)


def _append_text(parent, text: str) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _sub(parent, tag: str, line: int | None = None, **attrs):
    # a translation div is serialised on its own: it declares the TEI namespace itself
    nsmap = {None: TEI[1:-1]} if tag == "div" else None
    el = etree.SubElement(parent, TEI + tag, nsmap=nsmap)
    for k, v in attrs.items():
        if v is not None:
            el.set(XML_LANG if k == "lang" else k, v)
    if line:
        el.sourceline = line
    return el


class MarkdownText:
    """Converts one Markdown body; reports problems with the Markdown file's line numbers."""

    def __init__(self, path: str, diags: Diagnostics):
        self.path = path
        self.diags = diags
        self.footnotes: dict[str, tuple[str, int]] = {}
        self.used: set[str] = set()

    # -- blocks ---------------------------------------------------------------------------
    def convert(self, text: str, first_line: int, body) -> None:
        """Append the blocks of ``text`` (whose first line is ``first_line``) to ``body``."""
        lines = self._take_footnotes(text.split("\n"), first_line)
        stack = [body]
        para: list[tuple[str, int]] = []

        def flush():
            if para:
                self._paragraph(stack[-1], para)
                para.clear()

        for i, raw in enumerate(lines):
            if raw is None:  # a footnote definition line
                flush()
                continue
            n = first_line + i
            line = raw.rstrip("\n")
            stripped = line.strip()
            fence = _FENCE.match(stripped)
            if fence:
                flush()
                name, rest = fence.group(1).lower(), fence.group(2)
                if not name:
                    if len(stack) == 1:
                        self._warn(n, "stray-fence", "':::' closes no open section; removed")
                    else:
                        stack.pop()
                    continue
                if name not in SECTIONS:
                    self._warn(
                        n,
                        "unknown-section",
                        f"unknown section '::: {name}'; known: {', '.join(SECTIONS)} "
                        "(its text is kept as paragraphs)",
                    )
                    stack.append(stack[-1])
                    continue
                if name == "translation":
                    lang = rest.removeprefix("lang=").strip() or None
                    stack.append(_sub(body, "div", n, type="translation", lang=lang))
                else:
                    stack.append(_sub(stack[-1], name, n))
                continue
            if not stripped:
                flush()
                continue
            pb = _PB_LINE.match(stripped)
            if pb and not para:
                _sub(stack[-1], "pb", n, n=pb.group(1) or None)
                continue
            head = _HEAD.match(stripped)
            if head and not para:
                el = _sub(stack[-1], "head", n)
                self.inline(el, head.group(1), n)
                continue
            para.append((line, n))
        flush()
        if len(stack) > 1:
            self._warn(
                first_line + len(lines) - 1,
                "unclosed-section",
                "a '::: section' is not closed; add a line ':::' where it ends",
            )
        for key, (_, line) in self.footnotes.items():
            if key not in self.used:
                self._warn(line, "unused-footnote", f"footnote [^{key}] is never referred to")

    def _take_footnotes(self, lines: list[str], first_line: int) -> list:
        out: list = []
        current = None
        for i, line in enumerate(lines):
            m = _FOOTDEF.match(line)
            if m:
                current = m.group(1)
                self.footnotes[current] = (m.group(2), first_line + i)
                out.append(None)
            elif current and (line.startswith(("    ", "\t")) and line.strip()):
                text, n = self.footnotes[current]
                self.footnotes[current] = (text + "\n" + line.strip(), n)
                out.append(None)
            else:
                current = None if line.strip() else current
                out.append(line)
        return out

    def _paragraph(self, container, para: list[tuple[str, int]]) -> None:
        in_formula = etree.QName(container).localname in ("opener", "closer")
        parts = []
        for k, (line, _) in enumerate(para):
            last = k == len(para) - 1
            hard = line.endswith(("\\", "  ")) or in_formula
            text = line.rstrip()
            if text.endswith("\\"):
                text = text[:-1]
            parts.append(text.strip() + ("" if last else (_BREAK if hard else "\n")))
        if in_formula:
            parent = container
            if len(container) or container.text:
                _sub(container, "lb")
        else:
            parent = _sub(container, "p", para[0][1])
        self.inline(parent, "".join(parts), para[0][1])

    # -- inline ---------------------------------------------------------------------------
    def inline(self, parent, s: str, line0: int) -> None:
        pos = 0
        while True:
            m = _SPECIAL.search(s, pos)
            if m is None:
                _append_text(parent, s[pos:].replace("\n", " "))
                return
            _append_text(parent, s[pos : m.start()].replace("\n", " "))
            end = self._token(parent, s, m, line0)
            if end is None:
                _append_text(parent, m.group())
                pos = m.end()
            else:
                pos = end

    def _line(self, s: str, i: int, line0: int) -> int:
        return line0 + s.count("\n", 0, i) + s.count(_BREAK, 0, i)

    def _token(self, parent, s: str, m, line0: int) -> int | None:
        tok, i, j = m.group(), m.start(), m.end()
        line = self._line(s, i, line0)
        if tok.startswith("\\"):
            _append_text(parent, tok[1])
            return j
        if tok == _BREAK:
            _sub(parent, "lb")
            return j
        if tok.startswith("{pb"):
            _sub(parent, "pb", line, n=tok[4:-1] or None)
            return j
        if tok == "[^":
            k = s.find("]", j)
            if k < 0:
                return None
            key = s[j:k]
            if key not in self.footnotes:
                self._warn(
                    line,
                    "unknown-footnote",
                    f"footnote [^{key}] has no definition; add a line '[^{key}]: text'",
                )
                return None
            self.used.add(key)
            text, nline = self.footnotes[key]
            note = _sub(parent, "note", nline)
            self.inline(note, text, nline)
            return k + 1
        if tok in ("{--", "{++"):
            close = "--}" if tok == "{--" else "++}"
            k = s.find(close, j)
            if k < 0:
                self._warn(line, "unclosed-mark", f"'{tok}' is not closed by '{close}'")
                return None
            el = _sub(parent, "del" if tok == "{--" else "add", line)
            self.inline(el, s[j:k], self._line(s, j, line0))
            return k + 3
        if tok == "[":
            return self._bracket(parent, s, j, line, line0)
        if tok == "<u>":
            k = s.find("</u>", j)
            if k < 0:
                return None
            el = _sub(parent, "hi", line, rend="underline")
            self.inline(el, s[j:k], self._line(s, j, line0))
            return k + 4
        if tok in HI:
            if tok == "_" and (i > 0 and s[i - 1].isalnum()):
                return None  # snake_case, not emphasis
            if j >= len(s) or s[j].isspace():
                return None  # "5 * 3": not emphasis (as in Markdown)
            k = self._closer(s, tok, j)
            if k is None:
                return None
            el = _sub(parent, "hi", line, rend=HI[tok])
            self.inline(el, s[j:k], self._line(s, j, line0))
            return k + len(tok)
        return None

    @staticmethod
    def _closer(s: str, tok: str, j: int) -> int | None:
        """Where an emphasis opened at ``j`` closes: the next ``tok`` after a non-space (and,
        for ``_``, not inside a word), or None."""
        k = s.find(tok, j + 1)
        while k > j:
            after = s[k + len(tok)] if k + len(tok) < len(s) else " "
            if not s[k - 1].isspace() and not (tok == "_" and after.isalnum()):
                return k
            k = s.find(tok, k + 1)
        return None

    def _bracket(self, parent, s: str, j: int, line: int, line0: int) -> int | None:
        depth, k = 1, j
        while k < len(s):
            c = s[k]
            if c == "\\":
                k += 2
                continue
            if c == "[":
                depth += 1
            elif c == "]":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        if k >= len(s) or not s.startswith("(", k + 1):
            return None
        close = s.find(")", k + 2)
        if close < 0:
            return None
        label, target = s[j:k], s[k + 2 : close].strip()
        kind, sep, ref = target.partition(":")
        kind = kind.lower()
        if sep and kind in MARKS:
            tag, rs_type = MARKS[kind]
            ref = ref.strip().lstrip("#")
            attrs = {"type": rs_type}
            if ref:
                attrs["corresp" if kind == "term" else "ref"] = "#" + ref
            el = _sub(parent, tag, line, **attrs)
        elif sep and kind not in ("http", "https", "mailto", "ftp"):
            self._warn(
                line,
                "unknown-mark",
                f"'[{label}]({target})': {kind!r} is not a kind of mark; use one of "
                f"{', '.join(k + ':' for k in MARKS)} (the text is kept without the mark)",
            )
            el = parent
        else:
            el = _sub(parent, "ref", line, target=target)
        self.inline(el, label, self._line(s, j, line0))
        return close + 1

    def _warn(self, line, code, message) -> None:
        self.diags.warning(self.path, line, code, message)
