"""Static search from file:// in real headless Chromium (network off): index size and the time
from opening search.html?q=... to the first result on screen.

    .venv/bin/python bench/static_search_bench.py SITE_FOLDER [--baseline OTHER_SITE] [--runs 5]
        [query ...]

SITE_FOLDER is a reading room written by ``epistola site`` (e.g. of the Schnitzler edition).
With ``--baseline``, the same queries are timed on both sites in one run, alternating run by run
(so both see the same machine load); the load average is printed at the start and the end.
Each query is opened in a fresh page (nothing cached in the page); the time is measured in the
page itself (performance.now(), which starts with the navigation) when the first result appears.
Prints one JSON object; docs/benchmarks.md ("Static search") records the figures.
"""

from __future__ import annotations

import argparse
import json
import os
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


def index_size(site: Path) -> dict:
    search = site / "search"
    files = [f for f in search.rglob("*.js")]

    def total(prefix: str) -> int:
        return sum(f.stat().st_size for f in files if f.name.startswith(prefix))

    return {
        "meta_bytes": (search / "meta.js").stat().st_size,
        "shards": sum(1 for f in files if f.name.startswith("s-")),
        "shard_bytes": total("s-"),
        "largest_shard_bytes": max(f.stat().st_size for f in files if f.name.startswith("s-")),
        "letter_row_bytes": total("letters"),
        "other_bytes": total("other") + total("o-"),
        "entity_bytes": total("e-"),
        "facet_bytes": total("facets"),
        "snippet_text_bytes": sum(f.stat().st_size for f in files if f.parent.name == "t"),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("site", type=Path)
    ap.add_argument("--baseline", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("queries", nargs="*")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    sites = {"site": args.site} | ({"baseline": args.baseline} if args.baseline else {})
    out: dict = {
        "load_average_start": os.getloadavg(),
        "sites": {k: {"path": str(v), "index": index_size(v), "queries": {}} for k, v in
                  sites.items()},
    }  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        ctx = browser.new_context(offline=True)
        ctx.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
        ctx.add_init_script(WATCH)
        for q in args.queries or QUERIES:
            times: dict[str, list[float]] = {k: [] for k in sites}
            for _ in range(args.runs):
                for name, site in sites.items():
                    page = ctx.new_page()
                    page.goto((site / "search.html").as_uri() + "?q=" + quote(q))
                    page.wait_for_function("() => window.__firstResult", timeout=60000)
                    times[name].append(page.evaluate("() => window.__firstResult"))
                    page.close()
            for name, ts in times.items():
                out["sites"][name]["queries"][q] = {
                    "median_ms": round(statistics.median(ts), 1),
                    "max_ms": round(max(ts), 1),
                }
        browser.close()
    out["load_average_end"] = os.getloadavg()
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
