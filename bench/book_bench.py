"""The book (PDF and EPUB) of a 500-letter slice of Schnitzler: pages per second.

    .venv/bin/python bench/book_bench.py [--letters 500] [--work /tmp/epistola-book-bench]

Makes a slice of the corpus (the first N letter files, linked, with the registers), ingests
it, then times the PDF (HTML, layout, writing) as one WeasyPrint document and laid out
year by year (render_book(chunked=True)), side by side, and the EPUB. Prints one JSON object;
docs/benchmarks.md ("Book") records the figures. Goal: at least 20 PDF pages per second.
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

from epistola import ingest, open_edition  # noqa: E402
from epistola.render.book import PDF_VARIANT, book_html, render_book  # noqa: E402
from epistola.render.epub import write_epub  # noqa: E402


def make_slice(corpus: Path, dest: Path, n: int) -> Path:
    """The first ``n`` letters of ``corpus`` (Schnitzler's data folder) with its registers."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "editions").mkdir(parents=True)
    corpus = corpus.resolve()
    for f in sorted((corpus / "editions").glob("L*.xml"))[:n]:
        (dest / "editions" / f.name).symlink_to(f)
    for part in ("indices", "meta", "tocs"):
        if (corpus / part).exists():
            (dest / part).symlink_to(corpus / part)
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/corpora/schnitzler-briefe/data"))
    ap.add_argument("--work", default="/tmp/epistola-book-bench")
    ap.add_argument("--letters", type=int, default=500)
    ap.add_argument("--modes", default="single,chunked", help="single, chunked or both")
    args = ap.parse_args()
    work = Path(args.work)
    src = make_slice(Path(args.corpus), work / "corpus", args.letters)
    target = work / "slice.sqlite"
    target.unlink(missing_ok=True)
    ingest([src], target)
    out: dict = {"letters": args.letters, "load_before": os.getloadavg()}
    with open_edition(target) as ed:
        t0 = time.perf_counter()
        html = book_html(ed)
        out["html_s"] = round(time.perf_counter() - t0, 2)
        # side by side in one run: one WeasyPrint document, then a document per year
        for mode in args.modes.split(","):
            t1 = time.perf_counter()
            doc = render_book(html, chunked=mode == "chunked")
            t2 = time.perf_counter()
            doc.write_pdf(work / f"book-{mode}.pdf", pdf_variant=PDF_VARIANT, pdf_tags=True)
            t3 = time.perf_counter()
            pages = len(doc.pages)
            out[mode] = {
                "pages": pages,
                "layout_s": round(t2 - t1, 2),
                "write_pdf_s": round(t3 - t2, 2),
                "pdf_total_s": round(t3 - t1 + out["html_s"], 2),
                "pages_per_s": round(pages / (t3 - t1 + out["html_s"]), 2),
                "load": os.getloadavg(),
            }
        t4 = time.perf_counter()
        write_epub(ed, work / "book.epub")
        out["epub_s"] = round(time.perf_counter() - t4, 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
