"""What a reader returns for one source file, and the registry of readers.

Every reader, built-in or not, registers the same way: ``@reader("name")`` on a function
``(root, path, diagnostics) -> SourceDocument | None`` that returns None when the file is not
its format. The first reader that accepts a file wins, in registration order.
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


def reader(name: str):
    """Register a reader of parsed XML roots."""

    def deco(fn: ReaderFn) -> ReaderFn:
        READERS.append((name, fn))
        return fn

    return deco
