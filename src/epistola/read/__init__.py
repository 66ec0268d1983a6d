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
from . import cmif, tei  # noqa: F401  (registers the readers)
from .document import READERS, SourceDocument, reader
from .xml import parse_bytes

__all__ = ["READERS", "SourceDocument", "discover", "read_file", "reader"]


def discover(paths, exclude=()) -> list[str]:
    """Every XML file under the given files/folders, sorted, excluding globs in ``exclude``."""
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
                if f.endswith(".xml") and not _excluded(f, exclude):
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
    recovered: list = []
    try:
        root = parse_bytes(data, recovered)
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
        return SourceDocument(path=path, format="malformed", diagnostics=diags)
    for line, code, msg in recovered:
        diags.warning(path, line, code, msg)
    for name, fn in READERS:
        try:
            doc = fn(root, path, diags)
        except Exception as e:  # a reader bug must not lose the other files
            diags.error(path, None, "reader-failed", f"the {name} reader failed: {e!r}")
            return SourceDocument(path=path, format="failed", diagnostics=diags)
        if doc is not None:
            return doc
    diags.info(
        path, None, "not-a-source", "no letter, CMIF or register found in this file; ignored"
    )
    return SourceDocument(path=path, format="ignored", diagnostics=diags)
