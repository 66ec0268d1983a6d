"""The URL layout shared by the static site and ``epistola serve`` (all paths relative).

    index.html                      home
    years.html, years/<year>.html   contents by year (years/undated.html for undated letters)
    letters/<id>.html               a letter; letters/<id>.json and letters/<id>.xml (TEI) beside it
    persons/index.html              name index (persons/index-<initial>.html when it is long)
    persons/<id>.html               a person; places/, orgs/, works/, events/ alike
    glossary.html#<id>              the glossary of abbreviations
    photographs.html, front/<id>.html, search.html, analyses/<slug>.html
    static/..., photographs/..., facsimiles/..., search/...   files

Ids come from the sources (TEI/@xml:id), so a URL stays stable across rebuilds.
"""

from __future__ import annotations

import re
from urllib.parse import quote

REGISTER_DIRS = {
    "person": "persons",
    "place": "places",
    "org": "orgs",
    "work": "works",
    "event": "events",
}
KIND_OF_DIR = {v: k for k, v in REGISTER_DIRS.items()}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def slug(entry_id: str) -> str:
    """A file name for an id: safe characters kept, anything else percent-encoded."""
    if not _UNSAFE.search(entry_id) and not entry_id.startswith("."):
        return entry_id
    return quote(entry_id, safe="").replace("%", "_")


def letter_path(letter_id: str, suffix: str = "html") -> str:
    return f"letters/{slug(letter_id)}.{suffix}"


def entry_path(kind: str, entry_id: str) -> str | None:
    if kind == "term":
        return f"glossary.html#{slug(entry_id)}"
    folder = REGISTER_DIRS.get(kind)
    return f"{folder}/{slug(entry_id)}.html" if folder else None


def year_path(year: int | None) -> str:
    return f"years/{year}.html" if year is not None else "years/undated.html"


def root_of(path: str) -> str:
    """The relative prefix from a page back to the site root ("" or "../")."""
    return "../" * path.count("/")
