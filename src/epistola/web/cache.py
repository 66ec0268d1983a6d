"""Answers of ``epistola serve`` kept in memory, for one build of the edition.

Every page and API answer of the server depends only on its URL (path and query string) and on
the edition; a letter page costs milliseconds of queries and templating, a search tens of
milliseconds, and both are the same for every reader until the edition is rebuilt.
``ResponseCache`` is ASGI middleware that keeps successful GET answers (status 200, HTML or
JSON, at most ``max_body`` bytes) by URL and answers repeats from memory without touching the database.
It forgets everything when the edition's build stamp (meta ``built``) changes; the stamp is read
at most every ``check_seconds``, so a rebuild shows within that time. Memory is bounded: past
``max_bytes`` the cache starts again empty.

Research annotations feed the analyses without a rebuild: every change of an annotation writes
a new meta ``annotations_changed`` stamp (research/annotating.py), and the answers that count
annotations (:data:`ANNOTATED`: ``/api/stats`` and the analyses pages) are checked against it on
every request, so no process of ``serve --workers N`` answers them from before the change.

When the server learns about users (private editions, annotations), answers that depend on who
asks must not come from here: only anonymous GETs are cached (requests with a cookie or an
Authorization header pass through).
"""

from __future__ import annotations

import threading
import time

from starlette.concurrency import run_in_threadpool

from ..errors import EditionUnavailable

ANNOTATED = ("/api/stats/", "/analyses/")  # answers that count research annotations


class ResponseCache:
    def __init__(
        self,
        app,
        *,
        store,
        max_bytes: int = 256 * 2**20,
        max_body: int = 4 * 2**20,
        check_seconds: float = 2.0,
    ):
        self.app = app
        self.store = store
        self.max_bytes = max_bytes
        self.max_body = max_body
        self.check_seconds = check_seconds
        self._answers: dict[tuple, tuple[list, bytes]] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        self._build = None
        self._annotated = None
        self._checked = float("-inf")

    def _refresh(self) -> None:
        build = self.store.get_meta("built")
        annotated = self.store.get_meta("annotations_changed")
        with self._lock:
            self._checked = time.monotonic()
            if build != self._build:
                self._build = build
                self._annotated = annotated
                self._answers.clear()
                self._bytes = 0
            elif annotated != self._annotated:
                self._annotated = annotated
                for key in [k for k in self._answers if k[0].startswith(ANNOTATED)]:
                    self._bytes -= len(self._answers.pop(key)[1])

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or _personal(scope):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        if scope["path"].startswith(ANNOTATED) or (
            time.monotonic() - self._checked > self.check_seconds
        ):
            try:
                await run_in_threadpool(self._refresh)
            except EditionUnavailable:
                # the database is away (a restart): what is kept is still this edition's
                # answer; anything else goes to the app, which answers 503
                if key not in self._answers:
                    await self.app(scope, receive, send)
                    return
        hit = self._answers.get(key)
        if hit is not None:
            headers, body = hit
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        build, annotated = self._build, self._annotated
        start: dict = {}
        chunks: list[bytes] = []

        async def keep(message):
            if message["type"] == "http.response.start":
                start.update(message)
                if not _cacheable(start.get("headers", [])):
                    start["status"] = None  # not kept (the reply itself is unchanged)
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                chunks.append(message.get("body", b""))
                if (not message.get("more_body") and build == self._build
                        and annotated == self._annotated):  # fmt: skip
                    self._put(key, start.get("headers", []), b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def _put(self, key: tuple, headers: list, body: bytes) -> None:
        if len(body) > self.max_body:
            return
        with self._lock:
            if self._bytes + len(body) > self.max_bytes:
                self._answers.clear()
                self._bytes = 0
            if key not in self._answers:
                self._bytes += len(body)
            self._answers[key] = (list(headers), body)


def _cacheable(headers) -> bool:
    """Pages and API answers (HTML, JSON); not OAI-PMH XML, whose responseDate is the time of
    the request, nor files."""
    kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    return kind.startswith((b"text/html", b"application/json"))


def _personal(scope) -> bool:
    """Answers that depend on who asks or change without a rebuild (research annotations)."""
    path = scope.get("path", "")
    if path.startswith(("/api/annotations", "/api/me", "/api/audit", "/login")):
        return True
    if path.startswith("/api/letters/") and path.endswith("/annotations"):
        return True
    return any(name in (b"cookie", b"authorization") for name, _ in scope.get("headers", ()))
