"""The "Analyses" section of the reading room: one page per analysis view, charts as SVG.

``analysis_pages(edition)`` runs every view once and returns what the templates
``analyses/index.html`` and ``analyses/analysis.html`` show; charts are rendered here, at build
time, so the pages need no JavaScript. Views with nothing to show (no coding of that kind in the
edition) get no page.
"""

from __future__ import annotations

from pathlib import Path

from ..render.i18n import Translator
from . import ANALYSES, run
from .charts import _wrap
from .charts import svg as render_svg
from .result import left_out_notes, to_csv

# the analyses that count the research server's annotations (made again when they change)
COUNT_ANNOTATIONS = ("priorities", "matters", "quantities", "persons")
ROWS_SHOWN = 300  # longer tables are cut on the page; the CSV has every row


def analysis_pages(edition, *, charts: bool = True, only=None, lang: str = "en") -> list[dict]:
    """Every analysis view with rows, in ANALYSES order (default view first).

    Each page: slug (``timeline-year``: the file name without ``.html``/``.csv``), analysis,
    view, group (the analysis's title), question, title, description, svg (an ``<svg>``
    document, or "" where the view has no chart), columns, rows, rows_shown, csv, counts and
    notes (sentences saying what is left out). ``only``: names of the analyses to run.
    ``lang``: the interface's language; titles, descriptions, notes, the charts' texts and the
    table's English values are said in it (the CSV keeps the analysis's own values).
    """
    if isinstance(edition, (str, Path)):
        from ..edition import open_edition

        with open_edition(edition) as ed:
            return analysis_pages(ed, charts=charts, only=only, lang=lang)
    t = Translator(lang)
    pages = []
    for a in ANALYSES.values():
        if only is not None and a.name not in only:
            continue
        views = [a.default, *(v for v in a.views if v != a.default)]
        for view in views:
            res = run(edition, a.name, view)  # one edition.facts for all
            if not res["rows"] or not res["counts"].get("letters"):
                continue
            spec = res.get("chart")
            shown = translate_chart(spec, t) if spec else None
            pages.append(
                {
                    "slug": f"{a.name}-{view}",
                    "analysis": a.name,
                    "view": view,
                    "group": t(a.title),
                    "question": t(a.question),
                    "title": t(res["title"]),
                    "description": t(res["description"]),
                    "svg": _strip_xml_decl(render_svg(shown, t.lang)) if (shown and charts) else "",
                    "chart": spec,
                    "columns": res["columns"],
                    "rows": [{k: _cell(v, t) for k, v in r.items()} for r in res["rows"]],
                    "rows_shown": ROWS_SHOWN,
                    "csv": to_csv(res),
                    "counts": res["counts"],
                    "notes": [t(n) for n in left_out_notes(res["counts"])],
                }
            )
    return pages


def _cell(v, t):
    """A table cell: an English value the analysis marked (a Msg: a month, a measure) is
    translated; names, ids and the edition's own terms are shown as they are."""
    return t(v) if hasattr(v, "template") else v


def translate_chart(spec: dict, t) -> dict:
    """The chart spec with its texts in ``t``'s language: the title and caption (kept unwrapped
    in ``usermeta``), every axis and legend title, and the values the analysis marked as Msg
    (in the data and in sort orders and domains alike, so they still match)."""

    def walk(x, key=None):
        if isinstance(x, dict):
            return {k: walk(v, k) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v, key) for v in x]
        if isinstance(x, str) and (key == "title" or hasattr(x, "template")):
            return t(x)
        return x

    meta = (spec.get("usermeta") or {}).get("epistola") or {}
    out = walk({k: v for k, v in spec.items() if k != "usermeta"})
    if isinstance(out.get("title"), dict) and meta.get("title"):
        sub = meta.get("subtitle")
        lines = [sub] if isinstance(sub, str) else list(sub or [])
        out["title"] = {
            **out["title"],
            "text": t(meta["title"]),
            "subtitle": _wrap([t(line) for line in lines]),
        }
    return out


def _strip_xml_decl(svg: str) -> str:
    """Inline-able in HTML: no XML declaration."""
    s = svg.lstrip()
    if s.startswith("<?xml"):
        s = s[s.index("?>") + 2 :].lstrip()
    return s
