"""A letter's text as a small tree of typed nodes, independent of TEI and of HTML.

Readers translate their markup into this vocabulary; renderers implement it. A node is
``{"t": kind, ...attrs, "c": [children]}`` where children are nodes or plain strings, so the
tree is plain JSON and stores as it is.

Block kinds:  div (type), head, p, opener, closer, salute, dateline, signed, postscript,
              list, item, lg, l, quote, table, row, cell, letterhead, address
Inline kinds: name (ref, kind: person|place|org|work|event), abbr (expan, gloss: glossary id),
              hi (rend), del, add, sic (corr), unclear, gap, pb (n, facs), lb, note (n: the
              note's number in the letter), date (when), foreign (lang), measure (quantity,
              unit, commodity, status), seg (type, ana), ref (target)
"""

from __future__ import annotations

BLOCK_KINDS = frozenset(
    "div head p opener closer salute dateline signed postscript list item lg l quote table row "
    "cell letterhead address".split()
)
INLINE_KINDS = frozenset(
    "name abbr hi del add sic unclear gap pb lb note date foreign measure seg ref".split()
)

Node = dict  # {"t": str, "c": list[Node | str], ...}


def plain_text(nodes: list, *, skip=("note", "del", "gap")) -> str:
    """The reading text of a tree: what a search index and a word count see."""
    out: list[str] = []

    def walk(items):
        for n in items:
            if isinstance(n, str):
                out.append(n)
                continue
            t = n.get("t")
            if t in skip:
                continue
            if t == "lb":
                out.append(" ")
                continue
            if t in BLOCK_KINDS:
                out.append("\n")
            walk(n.get("c", ()))
            if t in BLOCK_KINDS:
                out.append("\n")

    walk(nodes)
    text = "".join(out)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def iter_nodes(nodes: list, kind: str | None = None):
    """Every node in document order (optionally only those of one kind)."""
    stack = list(reversed(nodes))
    while stack:
        n = stack.pop()
        if isinstance(n, str):
            continue
        if kind is None or n.get("t") == kind:
            yield n
        stack.extend(reversed(n.get("c", ())))
