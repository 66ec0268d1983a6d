"""Our own check of a tagged PDF's structure (the parts of PDF/UA-1 a program can decide).

This is NOT a PDF/UA validator: veraPDF (Java, not packaged for Debian or PyPI) is the
reference. It reads the file with pypdf and reports, as sentences, what PDF/UA-1 requires
and a reader of the file can check without judging content:

- the catalogue: a structure tree (/StructTreeRoot), /MarkInfo /Marked true, a natural
  language (/Lang), /ViewerPreferences /DisplayDocTitle true, and a title in the metadata;
- every page's content reachable from the structure tree (/StructParents, found in the
  /ParentTree);
- every /Figure with a non-empty /Alt;
- headings that start at H1 and never skip a level going down (H1 → H3).
"""

from __future__ import annotations

from pathlib import Path


def structure(pdf: Path) -> dict:
    """What the checks look at: catalogue entries, element counts, headings, figures' /Alt."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    root = reader.trailer["/Root"]
    tree = root.get("/StructTreeRoot")
    kinds: dict[str, int] = {}
    headings: list[int] = []
    alts: list[str | None] = []

    def walk(node, seen: set[int]) -> None:
        ref = getattr(node, "idnum", None)
        node = node.get_object()
        if ref is not None:
            if ref in seen:
                return
            seen.add(ref)
        if not isinstance(node, dict):
            return
        kind = node.get("/S")
        if kind:
            kinds[kind] = kinds.get(kind, 0) + 1
            if len(kind) == 3 and kind[1] == "H" and kind[2].isdigit():
                headings.append(int(kind[2]))
            if kind == "/Figure":
                alt = node.get("/Alt")
                alts.append(str(alt) if alt is not None else None)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            if kid is not None and hasattr(kid, "get_object"):
                walk(kid, seen)

    if tree is not None:
        walk(tree, set())
    parents: set[int] = set()
    if tree is not None and "/ParentTree" in tree.get_object():
        nums = tree.get_object()["/ParentTree"].get_object().get("/Nums", [])
        parents = {int(nums[i]) for i in range(0, len(nums), 2)}
    meta = reader.metadata or {}
    return {
        "tagged": tree is not None,
        "marked": bool((root.get("/MarkInfo") or {}).get("/Marked")),
        "lang": str(root.get("/Lang") or ""),
        "display_title": bool((root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle")),
        "title": str(meta.get("/Title") or ""),
        "pages": len(reader.pages),
        "untagged_pages": [
            i + 1
            for i, page in enumerate(reader.pages)
            if page.get("/StructParents") is None or int(page["/StructParents"]) not in parents
        ],
        "kinds": kinds,
        "headings": headings,
        "figure_alts": alts,
    }


def problems(pdf: Path) -> list[str]:
    """Every failed check, as a sentence; [] for a file that passes them all."""
    s = structure(pdf)
    out = []
    if not s["tagged"]:
        out.append("no structure tree (/StructTreeRoot): the file is not tagged")
    if not s["marked"]:
        out.append("/MarkInfo /Marked is not true")
    if not s["lang"]:
        out.append("no natural language (/Lang) in the catalogue")
    if not s["display_title"]:
        out.append("/ViewerPreferences /DisplayDocTitle is not true")
    if not s["title"].strip():
        out.append("no document title in the metadata")
    if s["untagged_pages"]:
        out.append(f"pages whose content the structure tree does not reach: {s['untagged_pages']}")
    missing = [i for i, alt in enumerate(s["figure_alts"], 1) if not (alt or "").strip()]
    if missing:
        out.append(f"figures without /Alt: {missing}")
    levels = s["headings"]
    if s["tagged"] and not levels:
        out.append("no headings")
    elif levels and levels[0] != 1:
        out.append(f"the first heading is H{levels[0]}, not H1")
    skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    if skips:
        out.append(f"headings skip a level: {sorted(set(skips))}")
    return out
