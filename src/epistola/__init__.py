"""Epistola: scholarly editions of letters, from sources to reading room, book and data.

The pipeline, one module per stage (docs/architecture.md draws it)::

    sources (TEI, CMIF, CSV, any format a reader claims by suffix)
      -> read/        one reader per format -> SourceDocument (letters, entries, diagnostics)
      -> ingest/      runs the readers in parallel into SQLite shards, merges them into a new store
      -> resolve/     references, aliases, numbering per year, links, glossary, org structure,
                      stand-off coding and subjects proposed by word rules
      -> store/       SQLite file (default) or PostgreSQL, behind one interface
      -> search/      full-text index built into the store
         edition.py   the Python API; ``edition.facts`` (facts.py) the one cached view of an
                      edition that analyse/ and render/ share
      -> analyse/     timeline, priorities, matters, quantities, persons, replies, network
      -> export/      open data: CMIF, CSV, JSON
      -> render/      pages (HTML, letter JSON and TEI), the book, the static search index
      -> site.py, web/ static site writer and live server
      -> build.py     `epistola build`: ingest, then every output

``model/`` holds the data model (no I/O); ``config.py`` the project (epistola.toml);
``plugins.py`` the extension points (readers, exporters, analyses, outputs, pages);
``diagnostics.py`` and ``errors.py`` the problem reports. ``cli.py`` only parses arguments.
"""

from .config import Project, load_project
from .diagnostics import Diagnostic, Diagnostics
from .edition import Edition, open_edition
from .errors import EpistolaError
from .ingest import IngestResult, ingest

__all__ = [
    "Diagnostic",
    "Diagnostics",
    "Edition",
    "EpistolaError",
    "IngestResult",
    "Project",
    "ingest",
    "load_project",
    "open_edition",
]
__version__ = "0.1.0"
