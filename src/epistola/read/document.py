"""What a reader returns for one source file, and the registry of readers.

Every reader, built-in or not, registers the same way: ``@reader("name", suffixes=(".xml",),
parse="xml")`` on a function that returns None when the file is not its format. With
``parse="xml"`` the function gets the parsed root, ``(root, path, diagnostics)``; with
``parse="bytes"`` it gets the file's bytes, ``(data, path, diagnostics)``. ``discover`` finds
every file whose lower-cased suffix a reader claims; of the readers that claim a file's suffix,
the first that accepts it wins, in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..diagnostics import Diagnostics
from ..model import Entry, Letter


@dataclass(slots=True)
class SourceDocument:
    path: str
    format: str  # "tei-letter", "tei-register", "cmif", ...
    letters: list[Letter] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    relations: list[tuple] = field(default_factory=list)  # (child org, parent org, from, to)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


# A worker process may set this to a set of ids: entries of letters' own registers (<back>)
# whose id is in it are not parsed again (the first copy of a back entry wins anyway).
SEEN_BACK_ENTRIES: set | None = None

ReaderFn = Callable[[object, str, Diagnostics], "SourceDocument | None"]
READERS: list[tuple[str, ReaderFn]] = []
# name -> (suffixes, parse): which files a reader is offered, and as what
READER_SPECS: dict[str, tuple[tuple[str, ...], str]] = {}


def reader(name: str, *, suffixes: tuple[str, ...] = (".xml",), parse: str = "xml"):
    """Register a reader for files with one of ``suffixes``, given the parsed XML root
    (``parse="xml"``) or the file's bytes (``parse="bytes"``)."""
    if parse not in ("xml", "bytes"):
        raise ValueError(f"parse must be 'xml' or 'bytes', not {parse!r}")

    def deco(fn: ReaderFn) -> ReaderFn:
        READERS.append((name, fn))
        READER_SPECS[name] = (tuple(s.lower() for s in suffixes), parse)
        return fn

    return deco


def suffixes() -> frozenset[str]:
    """Every file suffix some reader claims (lower case, with the dot)."""
    return frozenset(s for sfx, _ in READER_SPECS.values() for s in sfx)


def readers_for(path: str) -> list[tuple[str, ReaderFn, str]]:
    """The readers that claim ``path``'s suffix, in registration order, with how to parse."""
    low = path.lower()
    out = []
    for name, fn in READERS:
        sfx, parse = READER_SPECS.get(name, ((".xml",), "xml"))
        if any(low.endswith(s) for s in sfx):
            out.append((name, fn, parse))
    return out
