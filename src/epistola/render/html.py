"""The letter's node tree (``model.text``) -> HTML, with the rules as data.

``RULES`` maps each node kind to a behaviour and an HTML element; a project (or a test) can
pass its own rules to :class:`HtmlRenderer` to change how a kind looks without touching code.
Behaviours are the small vocabulary every output implements:

    block, inline   an element around the children (class from the kind and @rend/@type)
    break           an empty element (<br>)
    link            a register name: <a> to the entry's page, or a <span> when unknown
    abbr            <abbr title="expansion">, linked to the glossary entry where there is one
    note            the note's number as a link to the note (notes are listed after the text)
    sic             the text as written, the correction in a title
    gap             an editorial "[…]"
    pb              a page-break marker with the page number
    ref             a link when the target is a URL, else the text
    omit            nothing

Every text node is escaped here; nothing from a source is ever written as markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

RULES: dict[str, tuple[str, str]] = {
    # blocks
    "div": ("block", "div"),
    "head": ("block", "h3"),
    "p": ("block", "p"),
    "opener": ("block", "div"),
    "closer": ("block", "div"),
    "salute": ("block", "div"),
    "dateline": ("block", "div"),
    "signed": ("block", "div"),
    "postscript": ("block", "div"),
    "letterhead": ("block", "div"),
    "address": ("block", "div"),
    "list": ("block", "ul"),
    "item": ("block", "li"),
    "lg": ("block", "div"),
    "l": ("block", "div"),
    "quote": ("block", "blockquote"),
    "table": ("block", "table"),
    "row": ("block", "tr"),
    "cell": ("block", "td"),
    # inline
    "name": ("link", "a"),
    "abbr": ("abbr", "abbr"),
    "hi": ("inline", "span"),
    "del": ("inline", "del"),
    "add": ("inline", "ins"),
    "sic": ("sic", "span"),
    "unclear": ("inline", "span"),
    "gap": ("gap", "span"),
    "pb": ("pb", "span"),
    "lb": ("break", "br"),
    "note": ("note", "sup"),
    "date": ("inline", "span"),
    "foreign": ("inline", "span"),
    "measure": ("inline", "span"),
    "seg": ("inline", "span"),
    "ref": ("ref", "a"),
}

_CLASS_SAFE = re.compile(r"[^a-z0-9_-]+")


def _classes(node: dict) -> str:
    parts = [node["t"]]
    for key in ("rend", "type", "kind"):
        v = node.get(key)
        if isinstance(v, str) and v:
            parts += [f"{key}-{_CLASS_SAFE.sub('', w.lower())}" for w in v.split()[:4]]
    return " ".join(parts)


def letter_target(target: str) -> str:
    """The letter id a ``ref/@target`` names: ``#L00123``, ``L00123.xml``, ``../L00123.xml#n2``."""
    t = target.strip().split("#", 1)[0] or target.strip().lstrip("#")
    t = t.rsplit("/", 1)[-1]
    return t[:-4] if t.endswith(".xml") else t


class HtmlRenderer:
    """Renders node trees. The callables tell it where things live on the site:

    ``entry_url(kind, ref) -> (url, title) | None``: a register name's page;
    ``term_url(text, gloss_id) -> (url, expansion) | None``: an abbreviation's glossary entry;
    ``letter_url(target) -> (url, label) | None``: a letter of the edition a ``ref`` points to;
    ``note_prefix``: ids of note anchors (``n1``, ``n2``... for the original text).
    """

    def __init__(
        self,
        *,
        entry_url: Callable[[str, str], tuple[str, str] | None] = lambda kind, ref: None,
        term_url: Callable[[str, str | None], tuple[str, str] | None] = lambda t, g: None,
        letter_url: Callable[[str], tuple[str, str] | None] = lambda target: None,
        rules: dict[str, tuple[str, str]] | None = None,
    ):
        self.entry_url = entry_url
        self.letter_url = letter_url
        self.term_url = term_url
        self.rules = {**RULES, **(rules or {})}
        self.note_prefix = "n"

    def render(self, nodes: list, *, note_prefix: str = "n") -> str:
        self.note_prefix = note_prefix
        out: list[str] = []
        self._walk(nodes, out)
        return "".join(out)

    def text(self, nodes: list) -> str:
        """Plain escaped text of a tree (for titles and link texts)."""
        out: list[str] = []

        def walk(items):
            for n in items:
                if isinstance(n, str):
                    out.append(n)
                elif n.get("t") not in ("note", "gap"):
                    walk(n.get("c", ()))

        walk(nodes)
        return escape(" ".join("".join(out).split()))

    def _walk(self, nodes, out: list[str]) -> None:
        for n in nodes:
            if isinstance(n, str):
                out.append(escape(n, quote=False))
                continue
            behaviour, tag = self.rules.get(n.get("t"), ("inline", "span"))
            getattr(self, "_" + behaviour)(n, tag, out)

    # -- behaviours --------------------------------------------------------------------------
    def _open(self, node: dict, tag: str, out: list[str], extra: str = "") -> None:
        lang = node.get("lang")
        attrs = f' class="{escape(_classes(node))}"'
        if lang:
            attrs += f' lang="{escape(lang)}"'
        out.append(f"<{tag}{attrs}{extra}>")

    def _block(self, node, tag, out):
        if node.get("inline"):  # TEI <q> inside a paragraph
            tag = "q"
        self._open(node, tag, out)
        self._walk(node.get("c", ()), out)
        out.append(f"</{tag}>")

    _inline = _block

    def _break(self, node, tag, out):
        out.append(f"<{tag}>")

    def _omit(self, node, tag, out):
        pass

    def _link(self, node, tag, out):
        refs = (node.get("ref") or "").split()
        target = next((t for r in refs if (t := self.entry_url(node.get("kind"), r))), None)
        if target is None:
            self._open(node, "span", out)
        else:
            url, title = target
            self._open(node, tag, out, f' href="{escape(url)}" title="{escape(title)}"')
            tag = "a"
        self._walk(node.get("c", ()), out)
        out.append("</a>" if target else "</span>")

    def _abbr(self, node, tag, out):
        written = "".join(c for c in node.get("c", ()) if isinstance(c, str)).strip()
        found = self.term_url(written, node.get("gloss"))
        expan = node.get("expan") or (found[1] if found else "")
        title = f' title="{escape(expan)}"' if expan else ""
        if found:
            out.append(f'<a class="term" href="{escape(found[0])}">')
        self._open(node, tag, out, title + ' tabindex="0"' if not found else title)
        self._walk(node.get("c", ()), out)
        out.append(f"</{tag}>")
        if found:
            out.append("</a>")

    def _note(self, node, tag, out):
        n = int(node.get("n") or 0)
        p = self.note_prefix
        out.append(
            f'<{tag} class="note-ref" id="{p}ref{n}"><a href="#{p}{n}" '
            f'aria-describedby="{p}{n}" data-note="{p}{n}">{n}</a></{tag}>'
        )

    def _sic(self, node, tag, out):
        corr = node.get("corr")
        extra = f' title="{escape("recte: " + corr)}"' if corr else ""
        self._open(node, tag, out, extra)
        self._walk(node.get("c", ()), out)
        out.append(f"</{tag}>")

    def _gap(self, node, tag, out):
        reason = node.get("reason")
        extra = f' title="{escape(reason)}"' if reason else ""
        out.append(f'<{tag} class="gap"{extra}>[…]</{tag}>')

    def _pb(self, node, tag, out):
        n = node.get("n")
        label = f"[{escape(n)}]" if n else "|"
        out.append(f'<{tag} class="pb" role="separator">{label}</{tag}>')

    def _ref(self, node, tag, out):
        target = node.get("target") or ""
        children = node.get("c", ())
        if target.startswith(("http://", "https://")):
            out.append(f'<a class="ref" href="{escape(target)}">')
            if children:
                self._walk(children, out)
            else:
                out.append(escape(target))
            out.append("</a>")
        elif found := self.letter_url(letter_target(target)):
            # a cross-reference to another letter of the edition (often an empty <ref/>
            # whose text the source edition generates): a link labelled as letters are cited
            url, label = found
            self._open(node, "a", out, f' href="{escape(url)}" title="{escape(label)}"')
            if children:
                self._walk(children, out)
            else:
                out.append(escape(label))
            out.append("</a>")
        else:
            self._open(node, "span", out)
            if children:
                self._walk(children, out)
            elif target:
                out.append(escape(target.lstrip("#")))
            out.append("</span>")
