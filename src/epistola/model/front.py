"""Front matter: preface, introductions per year, essays, photographs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LEADING_HEADING = re.compile(r"\A\s*#{1,2}[ \t]+(.+?)[ \t#]*(?:\n|\Z)")


def without_title(body: str, title: str | int | None) -> str:
    """The Markdown body without a first heading that repeats the title (pages and the book
    print the title themselves)."""
    m = _LEADING_HEADING.match(body or "")
    if m and title and _norm(m.group(1)) == _norm(str(title)):
        return body[m.end() :]
    return body


def _norm(s: str) -> str:
    return " ".join(s.replace("*", "").replace("_", " ").split()).casefold()


@dataclass(slots=True)
class FrontMatter:
    id: str
    kind: str  # preface | introduction | essay | page
    title: str
    body: str  # Markdown
    year: int | None = None  # for introductions
    lang: str | None = None
    source_path: str = ""
    order: int = 0


@dataclass(slots=True)
class Photograph:
    id: str
    file: str  # path relative to the project, copied into outputs
    caption: str = ""
    persons: list[str] = field(default_factory=list)
    credit: str = ""
    date: str | None = None
