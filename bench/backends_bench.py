"""SQLite against PostgreSQL: ingest and read times for one corpus on both backends.

    .venv/bin/python bench/backends_bench.py [SOURCE] [--workers N]

Default SOURCE: the full Schnitzler corpus in ../shared/corpora. Starts a private PostgreSQL
server (tests/store/pgserver.py), ingests SOURCE into it and into a SQLite file, times the same
reads on both, checks that ``info()`` and ``letter_records()`` agree, and stops the server.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from epistola import ingest, open_edition  # noqa: E402
from tests.store.pgserver import start_server  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpora" / "schnitzler-briefe" / "data"


def _ms(fn) -> tuple[float, object]:
    t = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t) * 1000, value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", nargs="?", default=str(DEFAULT))
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    server = start_server()
    try:
        with psycopg.connect(server.url(), autocommit=True) as c:
            c.execute("CREATE DATABASE epistola")
        with tempfile.TemporaryDirectory() as tmp:
            targets = {
                "postgresql": server.url("epistola", "bench"),
                "sqlite": str(Path(tmp) / "bench.sqlite"),
            }
            for name, target in targets.items():
                ms, r = _ms(
                    lambda target=target: ingest([args.source], target, workers=args.workers)
                )
                steps = ", ".join(f"{k} {v:.1f}" for k, v in r.timings.items())
                print(f"{name:10} ingest {ms / 1000:6.1f} s  {r.letters} letters  ({steps})")
            eds = {name: open_edition(t) for name, t in targets.items()}
            years = eds["sqlite"].info()["years"]
            year = years[len(years) // 2] if years else None
            for name, ed in eds.items():
                t1, recs = _ms(ed.letter_records)
                t2, by_year = _ms(lambda ed=ed: list(ed.letters(year=year)))
                ids = [r["id"] for r in recs[:200]]
                t3, _ = _ms(lambda ed=ed, ids=ids: [ed.letter(i) for i in ids])
                print(
                    f"{name:10} letter_records() {len(recs)} rows {t1:.0f} ms; "
                    f"letters(year={year}) {len(by_year)} {t2:.0f} ms; "
                    f"letter(id) x{len(ids)} {t3:.0f} ms"
                )
            a, b = eds["postgresql"], eds["sqlite"]
            ia, ib = a.info(), b.info()
            same_diags = sorted(map(repr, ia.pop("diagnostics"))) == sorted(
                map(repr, ib.pop("diagnostics"))
            )
            print(
                f"agree: info {ia == ib}, diagnostics {same_diags}, "
                f"letter_records {a.letter_records() == b.letter_records()}"
            )
            for ed in eds.values():
                ed.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
