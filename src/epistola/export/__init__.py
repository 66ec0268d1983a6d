"""Open data: the edition as CMIF, CSV tables, JSON, TEI and the formats harvesters read.

Writers register with ``@exporter(name)`` (the ``exporters`` extension point of plugins.py,
open to entry points of the group ``epistola.exporters``); ``export(edition, name, out)`` runs one.
"""

from __future__ import annotations

from pathlib import Path

from ..plugins import EXPORTERS


def exporter(name: str):
    """Register ``fn(edition, out: Path) -> list[Path]`` as the export format ``name``."""

    def deco(fn):
        EXPORTERS.register(name, fn)
        return fn

    return deco


def export(edition, name: str, out: Path, **options) -> list[Path]:
    """Write the edition in format ``name`` under/at ``out``; return the files written.
    ``options`` go to the writer (e.g. ``base_url`` for the formats that need absolute URLs)."""
    from ..errors import EpistolaError

    if name not in EXPORTERS:
        raise EpistolaError(
            f"unknown export format {name!r}", hint=f"Use one of: {', '.join(sorted(EXPORTERS))}."
        )
    return EXPORTERS[name](edition, Path(out), **options)


from . import beacon, cmif, iiif, oai, tables, tei, webannotation  # noqa: E402,F401  (register the built-in exporters)
