"""Live preview: from saving a letter's source to the open page showing the change.

    .venv/bin/python bench/watch_bench.py [--corpus sample|schnitzler|both] [--runs 3]
                                          [--work /tmp/epistola-watch-bench]

Starts ``epistola serve PROJECT --watch`` (the real command, a subprocess), opens the letter's
page in headless Chromium (Debian's /usr/bin/chromium via Playwright), then, per run, writes the
source file with one word changed and waits until the page shows it: the time from the write to
the reloaded page is what an editor waits. The sample is copied to the work folder. Schnitzler
is not copied: the work folder holds a project whose sources are the shared corpus (read only)
plus one copy of L00001.xml (the original excluded), and that copy is what gets edited.
Prints one JSON object; docs/benchmarks.md ("Live preview") records the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHNITZLER = ROOT.parent / "shared" / "corpora" / "schnitzler-briefe" / "data"
CHROMIUM = "/usr/bin/chromium"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_project(work: Path) -> tuple[Path, Path, str]:
    project = work / "sample"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(ROOT / "examples" / "sample-edition", project)
    return project, project / "letters" / "1931" / "L1931-08-16.xml", "letters/L1931-08-16.html"


def schnitzler_project(work: Path) -> tuple[Path, Path, str]:
    project = work / "schnitzler"
    shutil.rmtree(project, ignore_errors=True)
    (project / "letters").mkdir(parents=True)
    shutil.copy(SCHNITZLER / "editions" / "L00001.xml", project / "letters" / "L00001-edit.xml")
    (project / "epistola.toml").write_text(
        '[edition]\ntitle = "Schnitzler (watch bench)"\n\n[sources]\n'
        f'paths = ["{SCHNITZLER}", "letters"]\nexclude = ["L00001.xml"]\n',
        encoding="utf-8",
    )
    return project, project / "letters" / "L00001-edit.xml", "letters/L00001.html"


def measure(name: str, project: Path, source: Path, page_path: str, runs: int, log: Path) -> dict:
    from playwright.sync_api import sync_playwright

    port = _port()
    t_start = time.perf_counter()
    with open(log, "w") as err:
        proc = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/epistola"),
                "serve",
                str(project),
                "--watch",
                "--port",
                str(port),
            ],  # fmt: skip
            stdout=err,
            stderr=err,
            env={**os.environ, "NO_COLOR": "1"},
        )
    url = f"http://127.0.0.1:{port}/{page_path}"
    try:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit(log.read_text()) from None
                time.sleep(0.2)
        first_build = time.perf_counter() - t_start
        times = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page()
            page.goto(url)
            original = source.read_text("utf-8")
            for i in range(runs):
                marker = f"WATCHBENCH{i}X"
                at = original.index("</p>", original.index("<body"))  # in the text
                edited = original[:at] + f" {marker}" + original[at:]
                time.sleep(1.0)  # let the previous reload settle
                t0 = time.perf_counter()
                source.write_text(edited, "utf-8")
                page.wait_for_function(
                    "m => document.body && document.body.innerText.includes(m)",
                    arg=marker,
                    timeout=1_800_000,
                )
                times.append(time.perf_counter() - t0)
            browser.close()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    rebuilds = [
        float(line.split("rebuilt in ")[1].split(" s")[0])
        for line in log.read_text().splitlines()
        if "rebuilt in " in line
    ]
    return {
        "corpus": name,
        "first_build_and_start_s": round(first_build, 2),
        "save_to_reloaded_page_s": [round(t, 2) for t in times],
        "median_s": round(statistics.median(times), 2),
        "rebuild_s (server log)": rebuilds,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default="both", choices=["sample", "schnitzler", "both"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/epistola-watch-bench")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    out = {"load_average": os.getloadavg()[0], "results": []}
    if args.corpus in ("sample", "both"):
        out["results"].append(
            measure("sample", *sample_project(work), args.runs, work / "sample.log")
        )
        print(json.dumps(out["results"][-1]), file=sys.stderr, flush=True)
    if args.corpus in ("schnitzler", "both"):
        out["results"].append(
            measure("schnitzler", *schnitzler_project(work), args.runs, work / "schnitzler.log")
        )
    out["load_average_after"] = os.getloadavg()[0]
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
