"""Load on ``epistola serve``: wrk against the real server process, on loopback, bounded in time.

    .venv/bin/python bench/load_bench.py [--workers 2] [--seconds 10] [--source DIR]
        [--pg-url URL] [--sqlite FILE]

Starts a private PostgreSQL server (tests/store/pgserver.py) and ingests SOURCE (default: the
Schnitzler corpus) into it, unless --pg-url names an edition already there; ingests SOURCE into a
SQLite file too, unless --sqlite names one. Then, for each backend, starts ``epistola serve
EDITION --workers N``, runs wrk (Debian package ``wrk``: -t2 -c32, --latency) on

- one letter page, requested again and again (what a popular letter costs);
- 500 different letter pages in turn (a Lua script rotates the URLs);
- the search API for ``q=Burgtheater``, and 50 different queries in turn;

with the answer cache on and off (``--no-cache``), and prints requests/s, p50/p99 latency and errors per run, as a Markdown table. Everything it
started (servers, PostgreSQL) is stopped at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

DEFAULT = ROOT.parent / "shared" / "corpora" / "schnitzler-briefe" / "data"
EPISTOLA = str(Path(sys.executable).with_name("epistola"))
QUERIES = (
    "Burgtheater Wien Berlin Theater Brief Briefe Hofmannsthal Bahr Salten Beer-Hofmann Olga "
    "Arthur Hugo Paris München Premiere Stück Roman Novelle Reigen Anatol Liebelei Kritik "
    "Zeitung Verlag Fischer Gesundheit Krankheit Reise Sommer Winter Dank Grüße Freund Burg* "
    "Schnitzler Vater Mutter Kinder Heinrich Lili Musik Oper Burgtheater Probe Aufführung "
    "Erfolg Geld Arbeit Buch"
).split()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server did not answer {url}")


def _lua(paths: list[str], folder: Path, name: str) -> Path:
    script = folder / f"{name}.lua"
    quoted = ",".join('"' + p.replace('"', '\\"') + '"' for p in paths)
    script.write_text(
        f"local paths = {{{quoted}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\nend\n",
        encoding="utf-8",
    )
    return script


def _wrk(base: str, path: str, seconds: int, script: Path | None = None) -> dict:
    """One measured wrk run, after a 3 s run that warms the server (its caches, connections)."""
    cmd = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        cmd += ["-s", str(script)]
    warm = [cmd[0], "-t2", "-c32", "-d3s", *cmd[4:]]
    subprocess.run([*warm, base + path], capture_output=True, check=True)
    out = subprocess.run([*cmd, base + path], capture_output=True, text=True, check=True).stdout
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    errors = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": lat.get("50"),
        "p99": lat.get("99"),
        "errors": errors,
        "socket": socket_errors.group(1) if socket_errors else "",
        "command": " ".join(cmd),
    }


def _serve(edition: str, workers: int, cache: bool) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    flags = ["--port", str(port), "--workers", str(workers), "--cache" if cache else "--no-cache"]
    proc = subprocess.Popen(
        [EPISTOLA, "serve", edition, *flags],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/index.html")
    except BaseException:
        _stop(proc)
        raise
    return proc, base


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _runs(
    edition: str, workers: int, cache: bool, seconds: int, folder: Path
) -> list[tuple[str, dict]]:
    from epistola import open_edition

    with open_edition(edition) as ed:
        ids = [r["id"] for r in ed.letter_records()]
    letters = [f"/letters/{i}.html" for i in ids[:: max(1, len(ids) // 500)][:500]]
    searches = ["/api/search?" + urllib.parse.urlencode({"q": q}) for q in QUERIES]
    proc, base = _serve(edition, workers, cache)
    try:
        return [
            ("one letter page", _wrk(base, letters[len(letters) // 2], seconds)),
            (
                f"{len(letters)} letter pages in turn",
                _wrk(base, "/", seconds, _lua(letters, folder, "letters")),
            ),
            ("search API, q=Burgtheater", _wrk(base, "/api/search?q=Burgtheater", seconds)),
            (
                f"search API, {len(searches)} queries in turn",
                _wrk(base, "/", seconds, _lua(searches, folder, "search")),
            ),
        ]
    finally:
        _stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", default=str(DEFAULT))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--pg-url", help="a PostgreSQL edition already built (skips the ingest)")
    ap.add_argument("--sqlite", help="a SQLite edition already built (skips the ingest)")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (scripts/setup.sh does)")
    from epistola import ingest

    folder = Path(tempfile.mkdtemp(prefix="epistola-load-"))
    server = None
    try:
        url = args.pg_url
        if not url:
            import psycopg

            from tests.store.pgserver import start_server

            server = start_server()
            with psycopg.connect(server.url(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE epistola")
            url = server.url("epistola", "load")
            ingest([args.source], url)
        lite = args.sqlite
        if not lite:
            lite = str(folder / "edition.sqlite")
            ingest([args.source], lite)
        print(
            "| backend | workers | cache | request | req/s | p50 | p99 | non-2xx | socket errors |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for backend, edition in (("PostgreSQL", url), ("SQLite", lite)):
            for cache in (True, False):
                for name, r in _runs(edition, args.workers, cache, args.seconds, folder):
                    print(
                        f"| {backend} | {args.workers} | {'on' if cache else 'off'} | {name} | "
                        f"{r['rps']:,.0f} | {r['p50']} | {r['p99']} | {r['errors']} | "
                        f"{r['socket'] or 0} |",
                        flush=True,
                    )
        print(f"\nwrk command: {r['command']} URL")
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
