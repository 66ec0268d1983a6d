"""A larger TEI corpus for the ingest benchmark: the Schnitzler letters copied N times.

    .venv/bin/python bench/generate_tei.py --copies 3 --out /tmp/epistola-tei-3x

Copy k of letter L00001 is L00001-k (its own xml:id, and its correspContext links point
within copy k), dated k*50 years later, so numbering and links stay consistent; the registers
are copied once. The result has the real corpus's structure and text statistics, N times over.
(bench/generate.py, by contrast, writes a 100,000-letter edition file directly, for search.)
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "corpora" / "schnitzler-briefe" / "data"
_ID = re.compile(rb'(xml:id="|target="#?|source="#?)(L\d{5})(")')
_YEAR = re.compile(rb'((?:when|notBefore|notAfter|from|to)="?)(1[89]\d\d)(-)')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("/tmp/epistola-tei-3x"))
    args = ap.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    shutil.copytree(SRC / "indices", args.out / "indices")
    letters = sorted((SRC / "editions").glob("L*.xml"))
    for k in range(args.copies):
        folder = args.out / f"copy-{k}"
        folder.mkdir(parents=True)
        for f in letters:
            data = f.read_bytes()
            if k:
                data = _ID.sub(
                    lambda m, k=k: m.group(1) + m.group(2) + f"-{k}".encode() + m.group(3), data
                )
                data = _YEAR.sub(
                    lambda m, k=k: m.group(1) + str(int(m.group(2)) + 50 * k).encode() + m.group(3),
                    data,
                )
            (folder / f.name).write_bytes(data)
    print(f"{args.copies * len(letters)} letters in {args.out}")


if __name__ == "__main__":
    main()
