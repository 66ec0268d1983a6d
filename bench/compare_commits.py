"""Two commits side by side in one run: ingest and full site build on the Schnitzler corpus.

    .venv/bin/python bench/compare_commits.py [--base 688162c] [--head HEAD] [--rounds 3]
                                              [--corpus ../shared/corpora/schnitzler-briefe/data]

Each commit's ``src/`` is exported with ``git archive`` into a scratch folder and run with
``PYTHONPATH=<that folder>/src`` by this environment's Python (same packages for both). The
runs alternate A, B, B, A, A, B... so that load from other work on the machine, and its drift
while the benchmark runs, falls on both alike;
each run is a fresh process that ingests the corpus into an empty edition file (two reader
processes) and builds the whole static site (pages, search index, analyses) into an empty
folder. Prints per run wall and CPU seconds (CPU: the process and its children), then the
medians and the ratio head / base, with the load average before and after. Figures go to
docs/benchmarks.md ("Two commits side by side").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "schnitzler-briefe" / "data"

# Run in a child process with PYTHONPATH set to one commit's src/: prints one JSON line.
CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import epistola
from epistola import ingest
from epistola.site import build_site

def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

corpus, work = sys.argv[1], Path(sys.argv[2])
edition, site = work / "edition.sqlite", work / "site"
w0, c0 = time.perf_counter(), cpu()
ingest([corpus], edition)
w1, c1 = time.perf_counter(), cpu()
res = build_site(edition, site, full=True)
w2, c2 = time.perf_counter(), cpu()
print(json.dumps({"module": epistola.__file__, "ingest_wall": w1 - w0, "ingest_cpu": c1 - c0,
                  "site_wall": w2 - w1, "site_cpu": c2 - c1, "pages": res.written}))
"""

MEASURES = ("ingest_wall", "ingest_cpu", "site_wall", "site_cpu")


def export(commit: str, dest: Path) -> str:
    """``src/`` of ``commit`` under ``dest``; returns the full hash."""
    full = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", commit], check=True, capture_output=True, text=True
    ).stdout.strip()
    dest.mkdir(parents=True)
    archive = dest / "src.tar"
    with archive.open("wb") as f:
        subprocess.run(["git", "-C", str(ROOT), "archive", full, "src"], check=True, stdout=f)
    with tarfile.open(archive) as t:
        t.extractall(dest, filter="data")
    archive.unlink()
    # compile once now, so the first timed run of either side does not pay for it
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(dest / "src")], check=True)
    return full


def one_run(src: Path, corpus: Path, scratch: Path) -> dict:
    work = Path(tempfile.mkdtemp(prefix="run-", dir=scratch))
    env = {**os.environ, "PYTHONPATH": str(src)}
    try:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(corpus), str(work)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
    finally:
        shutil.rmtree(work, ignore_errors=True)
    got = json.loads(out.strip().splitlines()[-1])
    if not got["module"].startswith(str(src)):
        sys.exit(f"the child imported {got['module']}, not the code under {src}")
    return got


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="688162c")
    ap.add_argument("--head", default="HEAD")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.exists():
        sys.exit(f"corpus missing: {corpus} (../shared beside the repository)")
    with tempfile.TemporaryDirectory(prefix="epistola-compare-") as tmp:
        scratch = Path(tmp)
        sides = {}
        for label, commit in (("base", args.base), ("head", args.head)):
            full = export(commit, scratch / label)
            sides[label] = (full, scratch / label / "src")
            print(f"{label}: {commit} = {full[:10]}", flush=True)
        print(f"load average before: {load()}  ({os.cpu_count()} cores)", flush=True)
        runs: dict[str, list[dict]] = {"base": [], "head": []}
        for i in range(args.rounds):
            # A B, then B A: load that rises or falls during the run falls on both alike
            for label in ("base", "head") if i % 2 == 0 else ("head", "base"):
                r = one_run(sides[label][1], corpus, scratch)
                runs[label].append(r)
                print(
                    f"round {i + 1} {label}: ingest {r['ingest_wall']:.1f} s wall / "
                    f"{r['ingest_cpu']:.1f} s CPU, site {r['site_wall']:.1f} s wall / "
                    f"{r['site_cpu']:.1f} s CPU, {r['pages']} pages  (load {load()})",
                    flush=True,
                )
        print(f"load average after: {load()}")
        print(f"\nmedians of {args.rounds} runs each | base | head | head / base")
        summary = {}
        for m in MEASURES:
            a = statistics.median(r[m] for r in runs["base"])
            b = statistics.median(r[m] for r in runs["head"])
            summary[m] = {"base": a, "head": b, "ratio": b / a}
            print(f"{m:12} | {a:7.1f} s | {b:7.1f} s | {b / a:.3f}")
        print(json.dumps({"base": sides["base"][0], "head": sides["head"][0], **summary}))


if __name__ == "__main__":
    main()
