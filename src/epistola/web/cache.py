"""Rendered pages kept in memory, for one build of the edition.

A letter page costs milliseconds of queries and templating, and is the same for every reader
until the edition is rebuilt. ``PageCache`` keeps what ``Pages.render`` returned, keyed by path,
and forgets everything when the edition's build stamp (meta ``built``) changes; the stamp is read
at most every ``check_seconds``, so a rebuild shows within that time. Memory is bounded: past
``max_bytes`` the cache starts again empty (a reading room's pages are a few hundred MB at most).
"""

from __future__ import annotations

import threading
import time


class PageCache:
    def __init__(self, store, *, max_bytes: int = 256 * 2**20, check_seconds: float = 2.0):
        self.store = store
        self.max_bytes = max_bytes
        self.check_seconds = check_seconds
        self._pages: dict[str, tuple[bytes, str]] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        self._build = self._stamp()
        self._checked = time.monotonic()

    def _stamp(self):
        return self.store.get_meta("built")

    def stale(self) -> bool:
        """Time to read the build stamp again (call ``refresh`` off the event loop)."""
        return time.monotonic() - self._checked > self.check_seconds

    def refresh(self) -> None:
        build = self._stamp()
        with self._lock:
            self._checked = time.monotonic()
            if build != self._build:
                self._build = build
                self._pages.clear()
                self._bytes = 0

    def get(self, path: str) -> tuple[bytes, str] | None:
        return self._pages.get(path)

    def put(self, path: str, body: bytes, media_type: str) -> None:
        with self._lock:
            if self._bytes + len(body) > self.max_bytes:
                self._pages.clear()
                self._bytes = 0
            if path not in self._pages:
                self._bytes += len(body)
            self._pages[path] = (body, media_type)
