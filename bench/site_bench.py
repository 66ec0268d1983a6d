"""Static site build on the full Schnitzler corpus: full build, pages per second, rebuilds.

    .venv/bin/python bench/site_bench.py [--corpus ../shared/corpora/schnitzler-briefe/data]
                                         [--work /tmp/epistola-site-bench] [--workers 0]

Copies the corpus to a scratch folder (the copy is what gets touched, never the shared corpus),
ingests it, then times:
  1. the full site build into an empty folder (pages, seconds, pages per second);
  2. a rebuild with nothing changed;
  3. an incremental rebuild after one letter's text is edited and the edition ingested again
     (the ingest is timed separately: it is not part of the site build).
Prints one JSON object; docs/benchmarks.md ("Site build") records the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from epistola import ingest  # noqa: E402
from epistola.site import build_site  # noqa: E402

TOUCHED = "editions/L00001.xml"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/corpora/schnitzler-briefe/data"))
    ap.add_argument("--work", default="/tmp/epistola-site-bench")
    ap.add_argument("--workers", type=int, default=0, help="render processes (0: one per core)")
    args = ap.parse_args()
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    corpus = work / "corpus"
    shutil.copytree(args.corpus, corpus)
    edition, site = work / "edition.sqlite", work / "site"
    workers = args.workers or None

    t = time.perf_counter()
    ingest([corpus], edition)
    ingest_s = time.perf_counter() - t

    full = build_site(edition, site, workers=workers)
    again = build_site(edition, site, workers=workers)

    letter = corpus / TOUCHED
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace("Motiv immer", "Motiv stets", 1), encoding="utf-8")
    t = time.perf_counter()
    ingest([corpus], edition)
    reingest_s = time.perf_counter() - t
    touched = build_site(edition, site, workers=workers)

    print(
        json.dumps(
            {
                "cores": os.cpu_count(),
                "load_average_at_end": os.getloadavg(),
                "ingest_seconds": round(ingest_s, 1),
                "pages": full.pages,
                "full_build_seconds": round(full.seconds, 1),
                "pages_per_second": round(full.pages / full.seconds),
                "full_build_timings": {k: round(v, 2) for k, v in full.timings.items()},
                "analysis_files": full.analyses_written,
                "rebuild_unchanged_seconds": round(again.seconds, 2),
                "rebuild_unchanged_pages_written": again.written,
                "reingest_seconds": round(reingest_s, 1),
                "incremental_seconds": round(touched.seconds, 2),
                "incremental_pages_written": touched.written_paths,
                "incremental_files_written": touched.files_written,
                "incremental_timings": {k: round(v, 2) for k, v in touched.timings.items()},
                "site_megabytes": round(
                    sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 1e6
                ),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
