"""The edition as a whole: metadata and everything a resolved edition holds."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class EditionMeta:
    title: str = "Untitled edition"
    subtitle: str = ""
    editors: list[str] = field(default_factory=list)
    description: str = ""
    languages: list[str] = field(default_factory=list)  # e.g. ["ru", "en"]
    publisher: str = ""
    licence: str = ""
    base_url: str = ""  # for stable citation URLs
    year_numbering: bool = True
