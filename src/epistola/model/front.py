"""Front matter: preface, introductions per year, essays, photographs."""

from __future__ import annotations

from dataclasses import dataclass, field


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
