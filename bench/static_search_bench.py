"""Static search from file:// in real headless Chromium (network off): index size and the time
from opening search.html?q=... to the first result on screen.

    .venv/bin/python bench/static_search_bench.py SITE_FOLDER [--runs 5] [query ...]

SITE_FOLDER is a reading room written by ``epistola site`` (e.g. of the Schnitzler edition).
Each query is opened in a fresh page (nothing cached in the page); the time is measured in the
page itself (performance.now(), which starts with the navigation) when the first result appears.
Prints one JSON object; docs/benchmarks.md ("Static search") records the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from pathlib import Path
from urllib.parse import quote

QUERIES = ["Burgtheater", "Wien", '"in Wien"', "Hofmannsthal", "Brie*", "Theater -Wien"]
WATCH = """
new MutationObserver(function (_, obs) {
  if (document.querySelector("#results .result")) {
    window.__firstResult = performance.now();
    obs.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("site", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("queries", nargs="*")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    search = args.site / "search"
    files = [f for f in search.rglob("*.js")]
    size = {
        "meta_bytes": (search / "meta.js").stat().st_size,
        "shards": sum(1 for f in files if f.name.startswith("s-")),
        "shard_bytes": sum(f.stat().st_size for f in files if f.name.startswith("s-")),
        "largest_shard_bytes": max(f.stat().st_size for f in files if f.name.startswith("s-")),
        "snippet_text_bytes": sum(f.stat().st_size for f in files if f.parent.name == "t"),
    }
    out: dict = {"site": str(args.site), "index": size, "queries": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        ctx = browser.new_context(offline=True)
        ctx.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
        ctx.add_init_script(WATCH)
        for q in args.queries or QUERIES:
            times = []
            for _ in range(args.runs):
                page = ctx.new_page()
                page.goto((args.site / "search.html").as_uri() + "?q=" + quote(q))
                page.wait_for_function("() => window.__firstResult", timeout=60000)
                times.append(page.evaluate("() => window.__firstResult"))
                page.close()
            out["queries"][q] = {
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
            }
        browser.close()
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
