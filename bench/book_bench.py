"""The book (PDF and EPUB) of a 500-letter slice of Schnitzler: pages per second.

    .venv/bin/python bench/book_bench.py [--letters 500] [--work /tmp/epistola-book-bench]

Makes a slice of the corpus (the first N letter files, linked, with the registers), ingests
it, then times the PDF (HTML, layout, writing) and the EPUB. Prints one JSON object;
docs/benchmarks.md ("Book") records the figures. Goal: at least 20 PDF pages per second.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from epistola import ingest, open_edition  # noqa: E402
from epistola.render.book import PDF_VARIANT, book_html  # noqa: E402
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
    args = ap.parse_args()
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    work = Path(args.work)
    src = make_slice(Path(args.corpus), work / "corpus", args.letters)
    target = work / "slice.sqlite"
    target.unlink(missing_ok=True)
    ingest([src], target)
    out: dict = {"letters": args.letters}
    with open_edition(target) as ed:
        t0 = time.perf_counter()
        html = book_html(ed)
        t1 = time.perf_counter()
        doc = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",)), base_url=".")
        rendered = doc.render(pdf_variant=PDF_VARIANT, pdf_tags=True)
        t2 = time.perf_counter()
        rendered.write_pdf(work / "book.pdf", pdf_variant=PDF_VARIANT, pdf_tags=True)
        t3 = time.perf_counter()
        write_epub(ed, work / "book.epub")
        t4 = time.perf_counter()
    pages = len(rendered.pages)
    out.update(
        pages=pages,
        html_s=round(t1 - t0, 2),
        layout_s=round(t2 - t1, 2),
        write_pdf_s=round(t3 - t2, 2),
        pdf_total_s=round(t3 - t0, 2),
        pdf_pages_per_s=round(pages / (t3 - t0), 1),
        epub_s=round(t4 - t3, 2),
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
