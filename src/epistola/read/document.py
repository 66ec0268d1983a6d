"""What a reader returns for one source file, and how readers register.

Every reader, built-in or not, registers the same way: ``@reader("name", suffixes=(...),
parse=...)`` on a function that returns None when the file is not its format.

- ``parse="xml"`` (the default): ``fn(root, path, diagnostics)``, ``root`` the safely parsed
  XML root element (read/xml.py); the file is parsed once for all XML readers.
- ``parse="bytes"``: ``fn(data: bytes, path: str, diagnostics)``, the file's raw content.

A reader may also take a keyword ``state`` (a :class:`ReadState`) to share what it has seen
with the next files read by the same process. ``discover`` takes every file whose suffix some
reader claims; ``read_file`` offers a file to the readers that claim its suffix, in
registration order (built-ins first, then entry points of the group ``epistola.readers``);
the first that returns a document wins.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from ..diagnostics import Diagnostics
from ..model import Entry, Letter
from ..plugins import READERS


@dataclass(slots=True)
class SourceDocument:
    path: str
    format: str  # "tei-letter", "tei-register", "cmif", ...
    letters: list[Letter] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    relations: list[tuple] = field(default_factory=list)  # (child org, parent org, from, to)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    # other files this read looked at (incremental ingest re-reads it when one changes):
    # ("file", path) a file opened or looked for, ("listing", folder, prefix) names in a folder
    inputs: list[tuple] = field(default_factory=list)


_INPUTS: ContextVar[list | None] = ContextVar("epistola_read_inputs", default=None)


def note_input(path: str) -> None:
    """A reader says it reads (or looked for) ``path`` besides its own file."""
    seen = _INPUTS.get()
    if seen is not None:
        seen.append(("file", os.path.normpath(path)))


def note_listing(folder: str, prefix: str) -> None:
    """A reader says which names in ``folder`` (those starting with ``prefix``) it depends on."""
    seen = _INPUTS.get()
    if seen is not None:
        seen.append(("listing", os.path.normpath(folder or "."), prefix))


def recording_inputs() -> tuple[list, object]:
    """Start recording the inputs readers note; ``_INPUTS.reset(token)`` stops."""
    box: list = []
    return box, _INPUTS.set(box)


@dataclass(slots=True)
class ReadState:
    """What one reading process remembers from file to file (one per worker, passed in)."""

    # ids of register entries already read from letters' own registers (<back>): the first
    # copy wins anyway, so later copies are not parsed again
    seen_back_entries: set = field(default_factory=set)


ReaderFn = Callable[..., "SourceDocument | None"]


@dataclass(frozen=True, slots=True)
class Reader:
    name: str
    fn: ReaderFn
    suffixes: tuple[str, ...] = (".xml",)
    parse: str = "xml"  # "xml" or "bytes"
    wants_state: bool = False

    def claims(self, path: str) -> bool:
        low = path.lower()
        return any(low.endswith(s) for s in self.suffixes)


def reader(name: str, *, suffixes=(".xml",), parse: str = "xml"):
    """Register a reader of the files ending in one of ``suffixes`` (see the module doc)."""
    if parse not in ("xml", "bytes"):
        raise ValueError(f"reader {name!r}: parse must be 'xml' or 'bytes', not {parse!r}")
    if isinstance(suffixes, str):
        suffixes = (suffixes,)
    sfx = tuple(s.lower() if s.startswith(".") else "." + s.lower() for s in suffixes)

    def deco(fn: ReaderFn) -> ReaderFn:
        try:
            wants_state = "state" in inspect.signature(fn).parameters
        except (TypeError, ValueError):
            wants_state = False
        READERS.register(name, Reader(name, fn, sfx, parse, wants_state))
        return fn

    return deco


READERS.adapt = lambda name, fn: Reader(name, fn)  # a bare function: an XML reader of .xml
