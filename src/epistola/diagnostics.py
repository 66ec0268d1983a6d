"""Diagnostics are values: every problem found in the sources, with file and line.

Stages collect them in a :class:`Diagnostics` list instead of raising, so one bad file never
stops the good ones. The CLI groups and prints them; the store keeps them with the edition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int | None
    severity: str  # "error" | "warning" | "info"
    code: str  # short and stable, e.g. "xml-syntax", "unknown-ref"
    message: str  # says what is wrong and what to fix

    def as_dict(self) -> dict:
        return asdict(self)

    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class Diagnostics:
    """An ordered collection of diagnostics with a few summaries."""

    def __init__(self, items: Iterable[Diagnostic] = ()):
        self._items: list[Diagnostic] = list(items)

    def add(self, path, line, severity, code, message) -> None:
        assert severity in SEVERITIES, severity
        self._items.append(Diagnostic(str(path), line, severity, code, message))

    def error(self, path, line, code, message) -> None:
        self.add(path, line, "error", code, message)

    def warning(self, path, line, code, message) -> None:
        self.add(path, line, "warning", code, message)

    def info(self, path, line, code, message) -> None:
        self.add(path, line, "info", code, message)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self._items.extend(other)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def count(self, severity: str) -> int:
        return sum(1 for d in self._items if d.severity == severity)

    def by_code(self) -> Counter:
        return Counter(d.code for d in self._items)

    def failed(self, strict: bool = False) -> bool:
        """True when the build should exit non-zero (errors; with strict, warnings too)."""
        bad = {"error", "warning"} if strict else {"error"}
        return any(d.severity in bad for d in self._items)
