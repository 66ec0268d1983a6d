"""20 coders editing research annotations at once: no edit may be lost (issue 10, section 5).

    .venv/bin/python bench/coders_bench.py [--seconds 60] [--coders 20] [--workers 2]
        [--backend sqlite|postgresql|both]

Builds the sample edition (SQLite file; PostgreSQL: a private server from tests/store/pgserver.py),
gives it ``--coders`` editor accounts with API tokens and annotations to fight over: ``SHARED``
comments every coder edits, and one comment of each coder's own. Starts the real server
(``epistola serve EDITION --workers N``) and lets every coder, in its own thread with its own
keep-alive connection, loop for ``--seconds``: pick a shared annotation (half the time) or its
own, GET it (the ETag), PUT a new text naming coder and edit (``If-Match``), and on 409 start
again from a fresh GET.

Afterwards it counts, from each annotation's version history (``/api/annotations/{id}/versions``):

- **lost updates**: an edit answered 200 with version v whose text is not version v's in the
  history, or two edits answered with the same version, or a final text that is not the last
  acknowledged edit's (must be 0);
- **409s** (refused stale edits, expected) and **errors** (any other answer, or none: must be 0).

``run(base, tokens, annotation ids, seconds)`` is what tests/web/test_coders_load.py runs for 5 s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

SHARED = 3  # annotations every coder edits
LETTERS = ("L1931-08-16", "L1931-06-17", "L1932-06-10")


def prepare(edition: str, coders: int) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """Accounts ``coder01``.. (role editor, so each may edit the shared annotations) with
    tokens, and the annotations: (tokens by name, shared ids, own id by name)."""
    from epistola.research import accounts as acc
    from epistola.research import annotating as ann
    from epistola.research import open_research

    store = open_research(edition)
    try:
        names = [f"coder{i:02d}" for i in range(1, coders + 1)]
        tokens = {}
        for n in names:
            acc.add_user(store, n, "editor", f"password-of-{n}")
            tokens[n] = acc.new_token(store, n, label="coders bench")
        first = {"name": names[0], "role": "editor"}
        shared = [ann.create(store, first, LETTERS[i % len(LETTERS)], "comment",
                             {"text": f"shared {i}"})["id"] for i in range(SHARED)]  # fmt: skip
        own = {n: ann.create(store, {"name": n, "role": "editor"}, LETTERS[0], "comment",
                             {"text": f"{n}'s own"})["id"] for n in names}  # fmt: skip
    finally:
        store.close()
    return tokens, shared, own


class Coder(threading.Thread):
    def __init__(self, base: str, name: str, token: str, shared, own, until: float, seed: int):
        super().__init__(daemon=True)
        u = urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.name_, self.shared, self.own, self.until = name, shared, own, until
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.rng = random.Random(seed)
        self.acks: list[tuple[str, int, str]] = []  # (annotation, version, text) answered 200
        self.conflicts = 0
        self.errors: Counter = Counter()
        self.conn = None

    def _request(self, method: str, path: str, body=None, headers=None):
        for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers={**self.headers,
                                                                    **(headers or {})})  # fmt: skip
                r = self.conn.getresponse()
                return r.status, r.getheader("etag"), r.read()
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2 or method != "GET":
                    raise
        raise AssertionError("unreachable")

    def run(self):
        n = 0
        while time.monotonic() < self.until:
            aid = self.rng.choice(self.shared) if self.rng.random() < 0.5 else self.own
            path = f"/api/annotations/{aid}"
            try:
                status, etag, _ = self._request("GET", path)
                if status != 200:
                    self.errors[f"GET {status}"] += 1
                    continue
                n += 1
                text = f"{self.name_} edit {n}"
                body = json.dumps({"body": {"text": text}})
                status, new_etag, data = self._request("PUT", path, body, {"If-Match": etag})
            except (OSError, http.client.HTTPException) as e:
                self.errors[type(e).__name__] += 1
                continue
            if status == 200:
                self.acks.append((aid, json.loads(data)["version"], text))
            elif status == 409:
                self.conflicts += 1
            else:
                self.errors[f"PUT {status}"] += 1
        if self.conn is not None:
            self.conn.close()


def _get_json(base: str, path: str, token: str) -> dict:
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        r = conn.getresponse()
        assert r.status == 200, (path, r.status)
        return json.loads(r.read())
    finally:
        conn.close()


def run(base: str, tokens: dict[str, str], shared: list[str], own: dict[str, str],
        seconds: float) -> dict:  # fmt: skip
    """Let every coder edit for ``seconds``; then count from the version histories."""
    until = time.monotonic() + seconds
    coders = [Coder(base, n, t, shared, own[n], until, seed=i)
              for i, (n, t) in enumerate(sorted(tokens.items()))]  # fmt: skip
    t0 = time.monotonic()
    for c in coders:
        c.start()
    for c in coders:
        c.join(seconds + 120)
    wall = time.monotonic() - t0
    acks = [a for c in coders for a in c.acks]
    lost, checked = count_lost(base, next(iter(tokens.values())), [*shared, *own.values()], acks)
    errors = sum((c.errors for c in coders), Counter())
    return {
        "coders": len(coders),
        "seconds": round(wall, 1),
        "edits": checked,
        "conflicts": sum(c.conflicts for c in coders),
        "errors": dict(errors),
        "lost": lost,
        "edits_per_s": round(checked / wall, 1) if wall else 0.0,
        "acks": acks,
    }


def count_lost(base: str, token: str, ids: list[str], acks: list[tuple[str, int, str]]):
    """(lost updates as (annotation, why), edits checked): each acknowledged edit must be its
    version in the annotation's history, no version acknowledged twice, the last one current."""
    by_id = defaultdict(list)
    for aid, version, text in acks:
        by_id[aid].append((version, text))
    lost, checked = [], 0
    for aid in ids:
        history = _get_json(base, f"/api/annotations/{aid}/versions", token)["versions"]
        by_version = {v["version"]: v["body"].get("text") for v in history}
        if sorted(by_version) != list(range(1, len(history) + 1)):
            lost.append((aid, "versions are not 1..n without gaps or repeats"))
        seen = Counter(v for v, _ in by_id[aid])
        for version, text in by_id[aid]:
            checked += 1
            if seen[version] > 1:
                lost.append((aid, f"version {version} answered to {seen[version]} edits"))
            elif by_version.get(version) != text:
                lost.append((aid, f"edit {text!r} acknowledged as version {version}, "
                                  f"history has {by_version.get(version)!r}"))  # fmt: skip
        current = _get_json(base, f"/api/annotations/{aid}", token)
        if by_id[aid]:
            last_version, last_text = max(by_id[aid])
            if current["version"] != last_version or current["body"]["text"] != last_text:
                lost.append((aid, f"final state {current['version']} is not the last edit"))
    return lost, checked


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--coders", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = ap.parse_args()
    from bench.load_bench import _serve, _stop
    from epistola import ingest, load_project

    sample = ROOT / "examples" / "sample-edition"
    folder = Path(tempfile.mkdtemp(prefix="epistola-coders-"))
    server = None
    rows = []
    try:
        editions = []
        if args.backend in ("sqlite", "both"):
            lite = str(folder / "edition.sqlite")
            ingest(load_project(sample), lite)
            editions.append(("SQLite", lite))
        if args.backend in ("postgresql", "both"):
            import psycopg

            from tests.store.pgserver import start_server

            server = start_server()
            with psycopg.connect(server.url(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE epistola")
            url = server.url("epistola", "coders")
            ingest(load_project(sample), url)
            editions.append(("PostgreSQL", url))
        for backend, edition in editions:
            tokens, shared, own = prepare(edition, args.coders)
            proc, base = _serve(edition, args.workers, True)
            try:
                load = os.getloadavg()
                res = run(base, tokens, shared, own, args.seconds)
            finally:
                _stop(proc)
            rows.append((backend, res, load))
            shown = {k: v for k, v in res.items() if k != "acks"}
            print(json.dumps({"backend": backend, **shown, "lost": res["lost"][:5]}), flush=True)
        print()
        print("| backend | workers | coders | seconds | acknowledged edits | edits/s | 409s | "
              "other errors | lost updates | load average at start |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|---|---|")
        for backend, r, load in rows:
            print(f"| {backend} | {args.workers} | {r['coders']} | {r['seconds']} | {r['edits']} | "
                  f"{r['edits_per_s']} | {r['conflicts']} | {sum(r['errors'].values())} | "
                  f"{len(r['lost'])} | {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} |")  # fmt: skip
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    if any(r["lost"] or r["errors"] for _, r, _ in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
