"""Time every suggester over an edition (default: Schnitzler, ingested into /tmp once).

.venv/bin/python bench/suggest_bench.py [EDITION.sqlite]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from epistola import ingest, open_edition
from epistola.suggest import SUGGESTERS
from epistola.suggest.corpus import Corpus

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/schnitzler-briefe/data"


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/epistola-suggest-bench.sqlite")
    if not target.exists():
        ingest([CORPUS], target)
    with open_edition(target) as ed:
        t0 = time.perf_counter()
        corpus = Corpus(ed)
        n = len(corpus.texts)
        print(f"read {n} texts: {time.perf_counter() - t0:.1f} s")
        total = 0
        for name, (fn, _) in SUGGESTERS.items():
            t = time.perf_counter()
            rows = fn(corpus)
            total += len(rows)
            print(f"{name}: {len(rows)} suggestions in {time.perf_counter() - t:.1f} s")
        print(f"all suggesters: {total} suggestions in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
