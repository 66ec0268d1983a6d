"""Stage 6, analyse: the research instrument, one module per question.

    >>> from epistola.analyse import run, ANALYSES
    >>> res = run("sample.sqlite", "timeline", view="month")
    >>> res["rows"][6]                       # {"month": 7, "letters": ..., ...}
    >>> to_frame(res)                         # a pandas DataFrame

``run(edition, name, view=None, **options)`` returns a plain dict: name, view, title,
description (what it counts and over which letters), columns, rows, counts (letters considered
and left out, and why) and, for most views, ``chart`` (a Vega-Lite spec). ``ANALYSES`` maps each
name to its :class:`Analysis` (title, views, default view): the ``analyses`` extension point of
plugins.py, to which ``register_analysis`` and entry points of the group ``epistola.analyses``
add. Views take the edition's one cached view, ``edition.facts``
(:class:`~epistola.facts.EditionFacts`). See docs/analyses.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnknownAnalysis
from ..plugins import ANALYSES
from . import (
    matters,
    network,
    persons,
    priorities,
    quantities,
    replies,
    timeline,
    topics,
    vocabulary,
)
from .result import to_csv, to_frame


@dataclass(frozen=True)
class Analysis:
    name: str
    title: str
    question: str  # the researcher's question it answers
    views: dict[str, Callable]  # view name -> fn(facts, **options) -> result dict
    default: str


def register_analysis(analysis: Analysis) -> Analysis:
    """Add an analysis (shown by ``epistola stats``, the API and the site's Analyses pages)."""
    return ANALYSES.register(analysis.name, analysis)


for _a in (
    Analysis(
        "timeline",
        "Letters over time",
        "When were letters written, and what does the surviving selection leave out?",
        timeline.VIEWS,
        "year",
    ),
    Analysis(
        "priorities",
        "Priorities",
        "Which subjects does each writer attend to, and how much?",
        priorities.VIEWS,
        "subjects",
    ),
    Analysis(
        "matters",
        "Referral and decision",
        "Which matters went up, from whom, and how were they decided?",
        matters.VIEWS,
        "ledger",
    ),
    Analysis(
        "quantities",
        "Quantities",
        "Figures proposed against figures decided: rules or whims?",
        quantities.VIEWS,
        "commodities",
    ),
    Analysis(
        "persons",
        "Persons",
        "Who is mentioned when, and whom did the writers praise or reprimand?",
        persons.VIEWS,
        "mentions",
    ),
    Analysis(
        "replies",
        "Replies",
        "How fast did replies come, by medium?",
        replies.VIEWS,
        "kinds",
    ),
    Analysis(
        "network",
        "Networks",
        "Who wrote to whom, and who is mentioned together?",
        network.VIEWS,
        "letters",
    ),
    Analysis(
        "vocabulary",
        "Vocabulary",
        "Which words set a writer, a year or a correspondence apart? (no coding needed)",
        vocabulary.VIEWS,
        "writers",
    ),
    Analysis(
        "topics",
        "Topics",
        "What do the letters talk about, who writes about what, and when? (no coding needed)",
        topics.VIEWS,
        "topics",
    ),
):
    register_analysis(_a)
ANALYSES.adapt = lambda name, obj: obj  # an entry point names an Analysis


def run(edition, name: str, view: str | None = None, **options) -> dict:
    """Run one analysis view on an edition (an :class:`~epistola.Edition` or its path)."""
    if name not in ANALYSES:
        raise UnknownAnalysis(
            f"no analysis named {name!r}", hint="Analyses: " + ", ".join(ANALYSES) + "."
        )
    a = ANALYSES[name]
    view = view or a.default
    if view not in a.views:
        raise UnknownAnalysis(
            f"analysis {name!r} has no view {view!r}",
            hint=f"Views of {name}: " + ", ".join(a.views),
        )
    if isinstance(edition, (str, Path)):
        from ..edition import open_edition

        with open_edition(edition) as ed:
            return a.views[view](ed.facts, **options)
    return a.views[view](edition.facts, **options)


__all__ = [
    "ANALYSES",
    "Analysis",
    "UnknownAnalysis",
    "register_analysis",
    "run",
    "to_csv",
    "to_frame",
]
