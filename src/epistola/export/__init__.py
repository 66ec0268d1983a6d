"""Open data: the edition as CMIF, CSV tables and JSON, for correspSearch, pandas and notebooks.

Writers register with ``@exporter(name)`` like readers do; ``export(edition, name, out)`` runs one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

EXPORTERS: dict[str, Callable] = {}


def exporter(name: str):
    def deco(fn):
        EXPORTERS[name] = fn
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


from . import beacon, cmif, iiif, oai, tables, webannotation  # noqa: E402,F401  (register the built-in exporters)
