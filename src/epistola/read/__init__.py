"""Stage 1, read: source files -> :class:`SourceDocument` values (letters, entries, diagnostics).

One module per format, each registering with :func:`reader` for the file suffixes it reads
(see read/document.py). ``discover`` finds the files some reader claims; ``read_file`` never
raises for a bad file: it returns a document that carries the diagnostic.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostics
from ..errors import SourceNotFound
from . import catalogue, cmif, markdown, registers_tabular, tei  # noqa: F401  (register readers)
from .document import (
    _INPUTS,
    READERS,
    Reader,
    ReadState,
    SourceDocument,
    note_input,
    note_listing,
    reader,
    recording_inputs,
)
from .xml import parse_bytes

__all__ = [
    "READERS",
    "ReadState",
    "Reader",
    "SourceDocument",
    "discover",
    "note_input",
    "note_listing",
    "read_file",
    "reader",
]


def claimed_suffixes() -> tuple[str, ...]:
    """The file suffixes (lower case) some registered reader reads."""
    return tuple(dict.fromkeys(s for r in READERS.values() for s in r.suffixes))


def discover(paths, exclude=()) -> list[str]:
    """Every file under the given files/folders that some reader claims (by suffix, in any
    case), sorted, excluding globs in ``exclude``. A file named itself is always taken."""
    suffixes = claimed_suffixes()
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
                if f.lower().endswith(suffixes) and not _excluded(f, exclude):
                    out.append(os.path.join(dirpath, f))
    seen, uniq = set(), []
    for f in out:
        if f not in seen:
            seen.add(f)
            uniq.append(f)
    return uniq


def _excluded(name: str, exclude) -> bool:
    return any(fnmatch.fnmatch(name, pat) for pat in exclude)


def read_file(path: str, state: ReadState | None = None) -> SourceDocument:
    """Read one file with the first reader (among those claiming its suffix) that accepts it.
    ``state`` is handed to readers that take it (one per reading process)."""
    inputs, token = recording_inputs()
    try:
        doc = _read_file(path, state)
    finally:
        _INPUTS.reset(token)
    doc.inputs = list(dict.fromkeys(inputs))
    return doc


def _read_file(path: str, state: ReadState | None) -> SourceDocument:
    diags = Diagnostics()
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        diags.error(path, None, "unreadable", f"cannot read file: {e.strerror}")
        return SourceDocument(path=path, format="unreadable", diagnostics=diags)
    readers = [r for r in READERS.values() if r.claims(path)]
    if not readers:  # a file named by itself: offered to the XML readers, as always
        readers = [r for r in READERS.values() if r.parse == "xml"]
    root = None
    malformed: Diagnostics | None = None
    for r in readers:
        if r.parse == "xml":
            if malformed is not None:
                continue
            if root is None:
                recovered: list = []
                try:
                    root = parse_bytes(data, recovered)
                except etree.XMLSyntaxError as e:
                    malformed = _syntax_error(path, e)
                    continue
                for line, code, msg in recovered:  # read with recovery: say what was assumed
                    diags.warning(path, line, code, msg)
            arg = root
        else:
            arg = data
        try:
            if r.wants_state:
                doc = r.fn(arg, path, diags, state=state)
            else:
                doc = r.fn(arg, path, diags)
        except Exception as e:  # a reader bug must not lose the other files
            diags.error(path, None, "reader-failed", f"the {r.name} reader failed: {e!r}")
            return SourceDocument(path=path, format="failed", diagnostics=diags)
        if doc is not None:
            return doc
    if malformed is not None:
        diags.extend(malformed)
        return SourceDocument(path=path, format="malformed", diagnostics=diags)
    diags.info(
        path, None, "not-a-source", "no letter, CMIF or register found in this file; ignored"
    )
    return SourceDocument(path=path, format="ignored", diagnostics=diags)


def _syntax_error(path: str, e: etree.XMLSyntaxError) -> Diagnostics:
    line = getattr(e, "lineno", None) or (e.position[0] if getattr(e, "position", None) else None)
    msg = str(e.msg if hasattr(e, "msg") and e.msg else e)
    diags = Diagnostics()
    diags.error(
        path,
        line,
        "xml-syntax",
        f"not well-formed XML, file skipped: {msg}; fix the markup and build again",
    )
    return diags
