"""The "Analyses" section of the reading room: one page per analysis view, charts as SVG.

``analysis_pages(edition)`` runs every view once and returns what the templates
``analyses/index.html`` and ``analyses/analysis.html`` show; charts are rendered here, at build
time, so the pages need no JavaScript. Views with nothing to show (no coding of that kind in the
edition) get no page.
"""

from __future__ import annotations

from pathlib import Path

from . import ANALYSES, run
from .charts import svg as render_svg
from .result import Facts, left_out_notes, to_csv

# the analyses that count the research server's annotations (made again when they change)
COUNT_ANNOTATIONS = ("priorities", "matters", "quantities", "persons")
ROWS_SHOWN = 300  # longer tables are cut on the page; the CSV has every row


def analysis_pages(edition, *, charts: bool = True, only=None) -> list[dict]:
    """Every analysis view with rows, in ANALYSES order (default view first).

    Each page: slug (``timeline-year``: the file name without ``.html``/``.csv``), analysis,
    view, group (the analysis's title), question, title, description, svg (an ``<svg>``
    document, or "" where the view has no chart), columns, rows, rows_shown, csv, counts and
    notes (sentences saying what is left out). ``only``: names of the analyses to run.
    """
    if isinstance(edition, (str, Path)):
        from ..edition import open_edition

        with open_edition(edition) as ed:
            return analysis_pages(ed, charts=charts, only=only)
    facts = Facts(edition)
    pages = []
    for a in ANALYSES.values():
        if only is not None and a.name not in only:
            continue
        views = [a.default, *(v for v in a.views if v != a.default)]
        for view in views:
            res = run(edition, a.name, view, _facts=facts)
            if not res["rows"] or not res["counts"].get("letters"):
                continue
            spec = res.get("chart")
            pages.append(
                {
                    "slug": f"{a.name}-{view}",
                    "analysis": a.name,
                    "view": view,
                    "group": a.title,
                    "question": a.question,
                    "title": res["title"],
                    "description": res["description"],
                    "svg": _strip_xml_decl(render_svg(spec)) if (spec and charts) else "",
                    "chart": spec,
                    "columns": res["columns"],
                    "rows": res["rows"],
                    "rows_shown": ROWS_SHOWN,
                    "csv": to_csv(res),
                    "counts": res["counts"],
                    "notes": left_out_notes(res["counts"]),
                }
            )
    return pages


def _strip_xml_decl(svg: str) -> str:
    """Inline-able in HTML: no XML declaration."""
    s = svg.lstrip()
    if s.startswith("<?xml"):
        s = s[s.index("?>") + 2 :].lstrip()
    return s
