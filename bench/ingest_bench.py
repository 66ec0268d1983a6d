"""Ingest benchmark: a bare lxml parse of the same files against Epistola's full ingest.

    .venv/bin/python bench/ingest_bench.py [SOURCE ...] [--workers N] [--repeat R] [--incremental]

Default SOURCE: the full Schnitzler corpus in ../shared/corpora. Both run in this one process
run, on the same file list, best of R; the ratio is ingest wall time over the bare single-core
parse (the floor DESIGN.md names). Ingest here is everything `epistola ingest` does: parse,
resolve, store, search index.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from epistola.ingest import ingest  # noqa: E402
from epistola.read import discover  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpora" / "schnitzler-briefe" / "data"


def bare_parse(files: list[str]) -> float:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    t = time.perf_counter()
    for f in files:
        try:
            etree.parse(f, parser)
        except etree.XMLSyntaxError:
            pass
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="*", default=[str(DEFAULT)])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--incremental",
        action="store_true",
        help="then an incremental ingest with an empty read cache and one with nothing changed",
    )
    args = ap.parse_args()
    files = discover(args.sources)
    size = sum(os.path.getsize(f) for f in files) / 1e6
    print(f"{len(files)} files, {size:.0f} MB, {os.cpu_count()} cores, workers={args.workers}")
    bare = min(bare_parse(files) for _ in range(args.repeat))
    print(f"bare lxml parse (1 core):  {bare:6.2f} s")
    best = None
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            target = Path(tmp) / f"bench-{i}.sqlite"
            t = time.perf_counter()
            result = ingest(args.sources, target, workers=args.workers)
            wall = time.perf_counter() - t
            if best is None or wall < best[0]:
                best = (wall, result, target.stat().st_size / 1e6)
    wall, result, mb = best
    timings = "  ".join(f"{k} {v:.2f}" for k, v in result.timings.items())
    print(
        f"epistola ingest:            {wall:6.2f} s  ({result.letters} letters; {timings}; {mb:.0f} MB file)"
    )
    print(f"ratio ingest / bare parse:  {wall / bare:6.2f}x   (goal 1.5x)")
    if args.incremental:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "incremental.sqlite"
            for label in ("incremental, empty cache", "incremental, nothing changed"):
                t = time.perf_counter()
                r = ingest(args.sources, target, workers=args.workers, incremental=True)
                print(
                    f"{label + ':':<28}{time.perf_counter() - t:6.2f} s  "
                    f"({r.files_read} of {r.files} files read)"
                )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak memory: main {peak:.0f} MB, largest child process (readers, index workers) {kids:.0f} MB"
    )


if __name__ == "__main__":
    main()
