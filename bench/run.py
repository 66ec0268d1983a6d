"""`make bench`: the benchmarks of docs/benchmarks.md, one after another, on the shared corpora.

    .venv/bin/python bench/run.py [--quick]

Each benchmark prints its own side-by-side comparison (ingest against a bare lxml parse of the
same files, site build full and incremental, search at 100,000 generated letters, suggesters);
this driver only runs them in order and stops at the first that fails. ``--quick`` skips the
generated 100,000-letter corpus. The load benchmark (wrk) is `make bench-load`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
SCHNITZLER = HERE.parent.parent / "shared" / "corpora" / "schnitzler-briefe" / "data"


def run(*args: str) -> None:
    print(f"\n$ {' '.join(args)}", flush=True)
    subprocess.run(args, check=True)


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    if not SCHNITZLER.exists():
        sys.exit(f"corpus missing: {SCHNITZLER} (../shared beside the repository)")
    run(PY, str(HERE / "ingest_bench.py"), str(SCHNITZLER))
    run(PY, str(HERE / "site_bench.py"), "--corpus", str(SCHNITZLER))
    with tempfile.TemporaryDirectory(prefix="epistola-bench-") as tmp:
        edition = Path(tmp) / "schnitzler.sqlite"
        run(PY, "-m", "epistola", "ingest", str(SCHNITZLER), "--out", str(edition), "-q")
        run(PY, str(HERE / "suggest_bench.py"), str(edition))
        if not quick:
            big = Path(tmp) / "bench-100k.sqlite"
            run(PY, str(HERE / "generate.py"), "--letters", "100000", "--out", str(big))
            run(PY, str(HERE / "search_bench.py"), str(big), "--rounds", "3")


if __name__ == "__main__":
    main()
