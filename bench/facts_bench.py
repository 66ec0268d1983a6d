"""CPU seconds of what reads an edition's facts: the reading room, then every analysis view.

    PYTHONPATH=<commit's src> .venv/bin/python bench/facts_bench.py EDITION.sqlite

Run it alternately with two commits' ``src`` (see compare_commits.py) on one ingested edition:
``Pages(edition)`` (the reading room), then ``analysis_pages(edition, charts=False)`` (every
analysis view, charts left out) in the same process, as the site build and the server use them.
"""

from __future__ import annotations

import resource
import sys


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    from epistola import open_edition
    from epistola.analyse.pages import analysis_pages
    from epistola.render.pages import Pages

    with open_edition(sys.argv[1]) as ed:
        c0 = cpu()
        Pages(ed)
        c1 = cpu()
        analysis_pages(ed, charts=False)
        c2 = cpu()
    print(f"reading room {c1 - c0:.2f} s CPU, analyses {c2 - c1:.2f} s CPU")


if __name__ == "__main__":
    main()
