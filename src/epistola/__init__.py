"""Epistola: scholarly editions of letters, from sources to reading room, book and data.

The pipeline, one module per stage::

    sources (TEI, CMIF, CSV)
      -> read/        one reader per format -> SourceDocument (letters, entries, diagnostics)
      -> ingest.py    runs the readers in parallel and streams rows into a new store
      -> resolve.py   references, aliases, numbering per year, links, glossary, org structure
      -> store/       SQLite file (default) or PostgreSQL, behind one interface
      -> search/      full-text index built into the store
      -> analyse/     timeline, priorities, matters, quantities, persons, replies, network
      -> render/      HTML (site and server share templates), TEI, CMIF, JSON, CSV, GEXF
      -> site.py, web/ static site writer and live server

``model/`` holds the data model (no I/O); ``config.py`` the project (epistola.toml);
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
