"""The site build with and without the vocabulary and topics analyses (issue 11, §4).

    .venv/bin/python bench/analyses_site_bench.py EDITION.sqlite [--rounds 2]

Builds the whole static site into an empty folder, alternately without the two analyses (taken
out of ``ANALYSES`` in this process; the build forks, so its workers see the same) and with
them, and prints the times and the slowdown. Also times the two analyses alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from epistola import open_edition
from epistola.analyse import ANALYSES
from epistola.analyse.pages import analysis_pages
from epistola.site import build_site

NEW = ("vocabulary", "topics")


def _cpu() -> float:
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def build(edition: Path, with_new: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its finished children)."""
    saved = {k: ANALYSES.pop(k) for k in NEW} if not with_new else {}
    out = Path(tempfile.mkdtemp(prefix="epistola-analyses-bench-"))
    try:
        t, c = time.perf_counter(), _cpu()
        build_site(edition, out / "site")
        return round(time.perf_counter() - t, 1), round(_cpu() - c, 1)
    finally:
        ANALYSES.update(saved)
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("edition", type=Path)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    runs = {"without": [], "with": []}
    for _ in range(args.rounds):
        runs["without"].append(build(args.edition, False))
        runs["with"].append(build(args.edition, True))
    with open_edition(args.edition) as ed:
        t, c = time.perf_counter(), _cpu()
        pages = [p for p in analysis_pages(ed, only=NEW)]
        alone = (round(time.perf_counter() - t, 1), round(_cpu() - c, 1))
    best = {k: min(v) for k, v in runs.items()}
    print(json.dumps({"runs (wall s, cpu s)": runs,
                      "wall_slowdown": round(best["with"][0] / best["without"][0] - 1, 3),
                      "cpu_slowdown": round(best["with"][1] / best["without"][1] - 1, 3),
                      "new_pages": len(pages), "new_pages_alone (wall s, cpu s)": alone}))  # fmt: skip


if __name__ == "__main__":
    main()
