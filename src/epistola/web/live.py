"""``epistola serve PROJECT --watch``: rebuild on save, and the open page reloads by itself.

A watcher thread (watchfiles) sees a source of the project change, builds the edition again
(an incremental ingest: only the changed files are read, ingest/cache.py) and swaps the
served app. Pages get
one external script, ``/_live/reload.js``, only in watch mode; it asks ``/_live/wait?v=N``, which
answers as soon as the edition's version is no longer N (a long poll), and then reloads the page.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path

RELOAD_JS = b"""// Epistola live preview: reload this page when the edition is rebuilt.
(function () {
  var me = document.currentScript;
  var version = me ? me.getAttribute("data-version") : "0";
  function wait() {
    fetch("/_live/wait?v=" + encodeURIComponent(version), {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (String(d.version) !== String(version)) { location.reload(); } else { wait(); }
      })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
"""
WAIT_SECONDS = 25.0


class LiveApp:
    """An ASGI app that serves the app ``make_app()`` returns and swaps it when rebuilt."""

    def __init__(self, make_app: Callable[[], object]):
        self._make = make_app
        self.app = make_app()
        self.version = 1
        self.error: str | None = None
        self._previous = None

    def rebuilt(self) -> None:
        """The edition was built again: serve it and tell the open pages (thread-safe)."""
        new = self._make()
        self._previous, self.app = self.app, new  # the old one finishes its requests
        self.version += 1

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if path == "/_live/reload.js":
            return await _respond(send, RELOAD_JS, b"text/javascript; charset=utf-8")
        if path == "/_live/wait":
            return await self._wait(scope, send)
        return await self.app(scope, receive, _injecting(send, self.version))

    async def _wait(self, scope, send):
        from urllib.parse import parse_qs

        qs = parse_qs(scope.get("query_string", b"").decode())
        seen = (qs.get("v") or ["0"])[0]
        deadline = time.monotonic() + WAIT_SECONDS
        while str(self.version) == seen and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        body = b'{"version": %d}' % self.version
        await _respond(send, body, b"application/json")


async def _respond(send, body: bytes, ctype: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", ctype),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _injecting(send, version: int):
    """Wrap ``send`` so that HTML pages get the reload script before ``</body>``."""
    state: dict = {"start": None, "chunks": []}
    tag = b'<script src="/_live/reload.js" data-version="%d" defer></script>' % version

    async def wrapped(message):
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers", []))
            if headers.get(b"content-type", b"").startswith(b"text/html"):
                state["start"] = message
                return
            return await send(message)
        if message["type"] == "http.response.body" and state["start"] is not None:
            state["chunks"].append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(state["chunks"])
            at = body.rfind(b"</body>")
            body = body[:at] + tag + body[at:] if at >= 0 else body + tag
            start = state["start"]
            headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            return await send({"type": "http.response.body", "body": body})
        return await send(message)

    return wrapped


def watch_project(
    folders: list[Path],
    build: Callable[[], None],
    on_built: Callable[[], None],
    *,
    ignore: tuple[Path, ...] = (),
    stop: threading.Event | None = None,
    report: Callable[[str], None] = print,
) -> threading.Thread:
    """Watch the project's folders in a thread; on a change run ``build`` then ``on_built``.

    Changes under ``ignore`` (the build folder) are not sources. A build that fails keeps the
    edition being served and reports why; the next save tries again."""
    from watchfiles import DefaultFilter, watch

    skip = tuple(str(p.resolve()) for p in ignore)

    class SourceFilter(DefaultFilter):
        def __call__(self, change, path: str) -> bool:
            return super().__call__(change, path) and not path.startswith(skip)

    stop = stop or threading.Event()
    folders = [f for f in folders if Path(f).exists()]

    def run():
        for changes in watch(
            *folders, watch_filter=SourceFilter(), stop_event=stop, debounce=50, step=20
        ):
            names = sorted({Path(p).name for _, p in changes})
            report(f"changed: {', '.join(names[:5])}{' ...' if len(names) > 5 else ''}")
            t0 = time.perf_counter()
            try:
                build()
            except Exception as e:  # keep serving the last good edition
                report(f"rebuild failed, still serving the previous edition: {e}")
                continue
            on_built()
            report(f"rebuilt in {time.perf_counter() - t0:.2f} s; open pages reload")

    thread = threading.Thread(target=run, name="epistola-watch", daemon=True)
    thread.start()
    return thread


def project_folders(project) -> list[Path]:
    """The folders to watch: the project's own and every source folder outside it."""
    root = Path(project.root).resolve()
    out = [root]
    for p in [*project.paths, *project.cmif]:
        p = Path(p).resolve()
        p = p if p.is_dir() else p.parent
        if not any(p == f or f in p.parents for f in out):
            out.append(p)
    return out
