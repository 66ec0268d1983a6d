"""``epistola build``: ingest a project, then write every output it configures.

    result = build(load_project("letters/"), report=print)   # -> _build/edition.sqlite, ...

Outputs are the ``outputs`` extension point of plugins.py: ``@output(name)`` on
``fn(project, edition_file, dest, report)``, run in registration order after the ingest
(built-ins: data, book, epub, site; entry points of the group ``epistola.outputs`` after them).
``report(message)`` is how an output tells the user what it did (the CLI prints it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .config import BUILD_DIR, Project
from .ingest import IngestResult, ingest
from .plugins import OUTPUTS
from .store import guard

BOOK_LETTER_LIMIT = 2000  # larger editions build a book only when [outputs] book = true


def output(name: str):
    """Register ``fn(project, edition_file: Path, dest: Path, report)`` as a build output."""

    def deco(fn):
        OUTPUTS.register(name, fn)
        return fn

    return deco


def build(
    project: Project,
    out: Path | None = None,
    *,
    report: Callable[[str], None] = lambda message: None,
    after_ingest: Callable[[IngestResult], None] | None = None,
    **ingest_options,
) -> IngestResult:
    """Ingest ``project`` into ``out/edition.sqlite`` (default ``PROJECT/_build``), then run
    every registered output into ``out``. Returns the ingest result (its diagnostics).
    ``incremental=True`` (an ingest option) reads only the sources that changed."""
    dest = Path(out) if out is not None else project.root / BUILD_DIR
    guard.check_writable(dest)  # a clear error before any work
    edition_file = dest / "edition.sqlite"
    with guard.target_lock(edition_file):  # the whole build: a second one is refused
        result = ingest(project, str(edition_file), **ingest_options)
        if after_ingest is not None:
            after_ingest(result)
        try:
            for _name, step in OUTPUTS.items():
                step(project, edition_file, dest, report)
        except OSError as e:
            if guard.is_disk_full(e):
                raise guard.disk_full(dest, e) from None
            raise
    return result


@output("data")
def export_data(project, edition_file, dest, report) -> None:
    from .edition import open_edition
    from .export import export as run_export

    with open_edition(edition_file) as ed:
        run_export(ed, "cmif", dest / "data" / "cmif.xml")
        run_export(ed, "csv", dest / "data" / "csv")
        run_export(ed, "json", dest / "data" / "edition.json")
        # the formats harvesters read: BEACON (GND), IIIF manifests, notes as Web Annotations,
        # and an OAI-PMH static repository
        run_export(ed, "beacon", dest / "data" / "beacon-gnd.txt")
        if ed.meta.base_url.startswith(("http://", "https://")):  # IIIF ids must be absolute
            run_export(ed, "iiif", dest / "data" / "iiif")
        run_export(ed, "webannotation", dest / "data" / "notes.jsonld")
        run_export(ed, "oai", dest / "data" / "oai-static.xml")


def _book_wanted(project, ed, key: str, report) -> bool:
    """``[outputs] KEY``: true builds it, false never; unset builds it up to the letter limit."""
    wanted = project.outputs.get(key)
    if wanted is False:
        return False
    if wanted is None and ed.counts()["letters"] > BOOK_LETTER_LIMIT:
        report(
            f"{key} skipped: more than {BOOK_LETTER_LIMIT} letters; "
            f"set [outputs] {key} = true to build it"
        )
        return False
    return True


@output("book")
def build_book(project, edition_file, dest, report) -> None:
    from .edition import open_edition
    from .render.book import write_book

    with open_edition(edition_file) as ed:
        if _book_wanted(project, ed, "book", report):
            write_book(ed, dest / "book.pdf")


@output("epub")
def build_epub(project, edition_file, dest, report) -> None:
    """The book as an EPUB 3 beside book.pdf (``[outputs] epub``, like ``book``)."""
    from .edition import open_edition
    from .render.epub import write_epub

    with open_edition(edition_file) as ed:
        if _book_wanted(project, ed, "epub", report):
            write_epub(ed, dest / "book.epub")


@output("site")
def build_site_output(project, edition_file, dest, report) -> None:
    from .site import build_site

    result = build_site(edition_file, dest / "site")
    report(
        f"site: {result.written} of {result.pages} pages written -> {dest / 'site' / 'index.html'}"
    )


OUTPUTS.adapt = lambda name, fn: fn  # an entry point names the output function
