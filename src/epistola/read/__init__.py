"""Stage 1, read: source files -> :class:`SourceDocument` values (letters, entries, diagnostics).

One module per format, each registering with :func:`reader`. ``read_file`` never raises for a
bad file: it returns a document that carries the diagnostic.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostics
from ..errors import SourceNotFound

# importing a reader module registers its readers; readers of different suffixes never compete
from . import catalogue, cmif, markdown, registers_tabular, tei  # noqa: F401
from .document import READERS, SourceDocument, reader, readers_for, suffixes
from .xml import parse_bytes

__all__ = ["READERS", "SourceDocument", "discover", "read_file", "reader"]


def discover(paths, exclude=()) -> list[str]:
    """Every file under the given files/folders whose suffix a reader claims (.xml, .md,
    .yaml, .csv, .xlsx...), sorted, excluding globs in ``exclude``."""
    claimed = tuple(suffixes())
    out: list[str] = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise SourceNotFound(f"source not found: {p}")
        if p.is_file():
            out.append(str(p))
            continue
        for dirpath, dirnames, filenames in os.walk(p):
            dirnames[:] = sorted(
                d for d in dirnames if not d.startswith(".") and not _excluded(d, exclude)
            )
            for f in sorted(filenames):
                if f.lower().endswith(claimed) and not _excluded(f, exclude):
                    out.append(os.path.join(dirpath, f))
    seen, uniq = set(), []
    for f in out:
        if f not in seen:
            seen.add(f)
            uniq.append(f)
    return uniq


def _excluded(name: str, exclude) -> bool:
    return any(fnmatch.fnmatch(name, pat) for pat in exclude)


def read_file(path: str) -> SourceDocument:
    """Read one file with the first reader that accepts it."""
    diags = Diagnostics()
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        diags.error(path, None, "unreadable", f"cannot read file: {e.strerror}")
        return SourceDocument(path=path, format="unreadable", diagnostics=diags)
    candidates = readers_for(path) or [(n, f, "xml") for n, f in READERS]
    root = None
    for name, fn, parse in candidates:
        if parse == "xml":
            if root is None:
                root = _parse_xml(data, path, diags)
                if root is False:
                    return SourceDocument(path=path, format="malformed", diagnostics=diags)
            arg = root
        else:
            arg = data
        try:
            doc = fn(arg, path, diags)
        except Exception as e:  # a reader bug must not lose the other files
            diags.error(path, None, "reader-failed", f"the {name} reader failed: {e!r}")
            return SourceDocument(path=path, format="failed", diagnostics=diags)
        if doc is not None:
            return doc
    diags.info(
        path, None, "not-a-source", "no letter, CMIF or register found in this file; ignored"
    )
    return SourceDocument(path=path, format="ignored", diagnostics=diags)


def _parse_xml(data: bytes, path: str, diags: Diagnostics):
    """The parsed root, or False after reporting why the file is not well-formed."""
    try:
        return parse_bytes(data)
    except etree.XMLSyntaxError as e:
        line = getattr(e, "lineno", None) or (
            e.position[0] if getattr(e, "position", None) else None
        )
        msg = str(e.msg if hasattr(e, "msg") and e.msg else e)
        diags.error(
            path,
            line,
            "xml-syntax",
            f"not well-formed XML, file skipped: {msg}; fix the markup and build again",
        )
        return False
