"""One letter edited -> static site updated: incremental ingest against a full one, one run.

    .venv/bin/python bench/incremental_bench.py [--corpus schnitzler|sample] [--runs 3]
                                                [--work /tmp/epistola-incremental-bench]

The project is the one bench/watch_bench.py uses (Schnitzler: the shared corpus, read only,
plus one copy of L00001.xml that gets edited; sample: a copy of examples/sample-edition).
First the cold build: an incremental ingest with an empty cache (what `epistola build` does the
first time: every file read, the read cache written) and the whole static site. Then, per run,
one word is added to the letter and the site is brought up to date twice, side by side:

- full:        a full ingest (every file read, as before incremental ingest) + build_site
- incremental: ingest(..., incremental=True) (only the edited file read) + build_site

build_site writes only the pages whose inputs changed in both cases. One edit before the
measured ones is not counted (it changes the letter's word count, which re-runs the analyses). Prints one JSON object
with the medians and the per-stage timings; docs/benchmarks.md records the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from watch_bench import sample_project, schnitzler_project  # noqa: E402

from epistola.config import load_project  # noqa: E402
from epistola.ingest import ingest  # noqa: E402
from epistola.site import build_site  # noqa: E402


def edit(source: Path, original: str, marker: str) -> None:
    at = original.index("</p>", original.index("<body"))
    source.write_text(original[:at] + f" {marker}" + original[at:], "utf-8")


def update(project, target: Path, site: Path, incremental: bool) -> dict:
    t0 = time.perf_counter()
    r = ingest(project, target, incremental=incremental)
    t1 = time.perf_counter()
    s = build_site(target, site)
    t2 = time.perf_counter()
    return {
        "total_s": round(t2 - t0, 3),
        "ingest_s": round(t1 - t0, 3),
        "site_s": round(t2 - t1, 3),
        "files_read": r.files_read,
        "ingest_stages": {k: round(v, 3) for k, v in r.timings.items()},
        "site_stages": {k: round(v, 3) for k, v in s.timings.items()},
        "pages_written": s.written,
        "files_written": s.files_written,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="schnitzler", choices=["schnitzler", "sample"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/epistola-incremental-bench")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    make = schnitzler_project if args.corpus == "schnitzler" else sample_project
    project_dir, source, _page = make(work)
    build = project_dir / "_build"
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir()
    target, site = build / "edition.sqlite", build / "site"
    project = load_project(project_dir)
    out: dict = {"corpus": args.corpus, "load_average_before": os.getloadavg()}
    out["cold_build"] = update(project, target, site, incremental=True)
    original = source.read_text("utf-8")
    # one edit not measured: the letter's word count changes once (which re-runs the analyses),
    # and every measured edit below adds one word to the original, like this one
    edit(source, original, "BENCHWARMUP")
    out["warm_up_edit"] = update(load_project(project_dir), target, site, incremental=True)
    runs: dict[str, list] = {"full": [], "incremental": []}
    for i in range(args.runs):
        for mode in ("full", "incremental"):
            edit(source, original, f"BENCHWORD{i}{mode}")
            project = load_project(project_dir)
            runs[mode].append(update(project, target, site, incremental=mode == "incremental"))
    source.write_text(original, "utf-8")
    for mode, rs in runs.items():
        out[mode] = {
            "median_total_s": round(statistics.median(r["total_s"] for r in rs), 3),
            "median_ingest_s": round(statistics.median(r["ingest_s"] for r in rs), 3),
            "median_site_s": round(statistics.median(r["site_s"] for r in rs), 3),
            "runs": rs,
        }
    out["peak_rss_mb"] = {
        "main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "largest_child": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }
    out["load_average_after"] = os.getloadavg()
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
