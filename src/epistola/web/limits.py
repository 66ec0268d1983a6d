"""Limits of ``epistola serve`` on what one connection may cost: time and memory.

uvicorn reads a request's head and body for as long as the client cares to send them, and a
connection that sends nothing stays open for good; a few hundred such clients (slowloris) hold
the server's sockets, and one huge body its memory. ``GuardedHttpToolsProtocol`` is uvicorn's
httptools protocol with these limits (``Limits``, from ``epistola serve``'s options):

- the request head (request line and headers) must arrive within ``header_timeout`` seconds of
  the connection or of its first byte, and be at most ``max_header_bytes``: else 408 or 431;
- the body must arrive within ``body_timeout`` seconds of the head, and be at most ``max_body``
  bytes: else 408 or 413, answered from ``Content-Length`` before one byte of the body is read;
- an idle kept-alive connection is closed after ``keep_alive`` seconds (uvicorn's own timer).

Every refusal is JSON ``{error, hint}`` with ``Connection: close``. The connection is then
half-closed and what the client still sends is discarded for at most ``linger`` seconds before
closing (as nginx's lingering close): closing at once, with unread data, would reset the
connection and the client might never read the answer.

uvicorn starts its worker processes with the protocol named by an import string, so the limits
travel in the environment (``EPISTOLA_SERVE_LIMITS``), as the edition does.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

ENV = "EPISTOLA_SERVE_LIMITS"
PROTOCOL = "epistola.web.limits:GuardedHttpToolsProtocol"


@dataclass(frozen=True)
class Limits:
    max_body: int = 2**20  # bytes; annotations are a few kB of JSON
    max_header_bytes: int = 16 * 2**10  # as h11's default; nginx allows 4 x 8 kB lines
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive: float = 5.0  # uvicorn's default
    linger: float = 2.0

    def to_environment(self) -> None:
        os.environ[ENV] = json.dumps(asdict(self))

    @classmethod
    def from_environment(cls) -> Limits:
        raw = os.environ.get(ENV)
        if not raw:
            return cls()
        given = json.loads(raw)
        return cls(**{f.name: given[f.name] for f in fields(cls) if f.name in given})


class _Detached:
    """What a refused request's ASGI cycle writes to: nothing reaches the client any more (the
    refusal was sent), and the app ending cannot close the connection while it lingers."""

    def write(self, data) -> None:
        pass

    def close(self) -> None:
        pass

    def is_closing(self) -> bool:
        return True

    def get_extra_info(self, name, default=None):
        return default


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, config, server_state, app_state, _loop=None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits = Limits.from_environment()
        self.timeout_keep_alive = self.limits.keep_alive
        self._timer = None  # the deadline of the head or of the body
        self._phase = "idle"  # idle -> head -> body -> app -> idle ...
        self._head_bytes = 0  # bytes of chunks that did not complete the head
        self._body_bytes = 0
        self._lingering = False

    # deadlines
    def _arm(self, seconds: float, handler) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, handler)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _head_too_slow(self) -> None:
        self._timer = None
        if self._phase == "idle":  # connected, never sent a byte: nobody to answer
            self.transport.close()
            return
        self._refuse(408, "the request head did not arrive in time", self._timeout_hint())

    def _body_too_slow(self) -> None:
        self._timer = None
        self._refuse(408, "the request body did not arrive in time", self._timeout_hint())

    def _timeout_hint(self) -> str:
        return (
            f"Send the request line and headers within {self.limits.header_timeout:g} s and "
            f"the body within {self.limits.body_timeout:g} s."
        )

    # asyncio.Protocol
    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm(self.limits.header_timeout, self._head_too_slow)

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            return  # what a refused client still sends: discarded
        if self._phase == "idle":
            self._phase = "head"
            self._head_bytes = 0
            if self._timer is None:  # kept alive: the head's deadline starts with its first byte
                self._arm(self.limits.header_timeout, self._head_too_slow)
        super().data_received(data)
        if self._phase == "head" and not self._lingering and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > self.limits.max_header_bytes:
                self._refuse_header_size()

    # httptools callbacks
    def on_message_begin(self) -> None:
        if self._lingering:
            return
        if self._phase == "idle":  # a pipelined request in the same chunk as the last one
            self._phase = "head"
            self._head_bytes = 0
            self._arm(self.limits.header_timeout, self._head_too_slow)
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        if not self._lingering:
            super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        if not self._lingering:
            super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._lingering:
            return
        self._disarm()
        size = len(self.url) + sum(len(n) + len(v) + 4 for n, v in self.headers)
        if size > self.limits.max_header_bytes:
            self._refuse_header_size()
            return
        length = next((v for n, v in self.headers if n == b"content-length"), None)
        if length is not None and length.strip().isdigit() and int(length) > self.limits.max_body:
            self._refuse_body_size(int(length))
            return
        self._phase = "body"
        self._body_bytes = 0
        self._arm(self.limits.body_timeout, self._body_too_slow)
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if self._lingering:
            return
        self._body_bytes += len(body)
        if self._body_bytes > self.limits.max_body:  # chunked, or longer than it said
            self._refuse_body_size(None)
            return
        super().on_body(body)

    def on_message_complete(self) -> None:
        if self._lingering:
            return
        self._disarm()
        # the app answered without waiting for the body
        answered = self.cycle is not None and self.cycle.response_complete
        self._phase = "idle" if answered else "app"
        super().on_message_complete()

    def on_response_complete(self) -> None:
        if self._phase == "app":
            self._phase = "idle"
        super().on_response_complete()

    # refusals
    def _refuse_header_size(self) -> None:
        self._refuse(
            431,
            f"the request head is larger than {self.limits.max_header_bytes} bytes",
            "Send fewer or shorter headers (cookies, long URLs).",
        )

    def _refuse_body_size(self, length: int | None) -> None:
        said = f" ({length} bytes)" if length is not None else ""
        self._refuse(
            413,
            f"the request body{said} is larger than {self.limits.max_body} bytes",
            "Send a smaller body; the server's limit is set with "
            "'epistola serve --max-body BYTES'.",
        )

    def _refuse(self, status: int, error: str, hint: str) -> None:
        self._disarm()
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if self._phase == "body" and cycle.response_complete:  # answered without the body
            self.transport.close()
            return
        if self._phase != "body" and cycle is not None and not cycle.response_complete:
            # the head of a pipelined request while the one before is still being answered:
            # an answer now would be taken for that one's
            self.transport.close()
            return
        if cycle is not None and not cycle.response_complete:
            if cycle.response_started:  # the app answers already: nothing else can be said
                self.transport.close()
                return
            # the app may be waiting for the body: it is told the client left, and whatever it
            # still sends goes nowhere
            cycle.response_started = cycle.response_complete = True
            cycle.disconnected = True
            cycle.transport = _Detached()
            cycle.on_response = lambda: None
            cycle.message_event.set()
        body = json.dumps({"error": error, "hint": hint}).encode()
        head = [
            b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status]),
            *(name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers),
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self._linger()

    def _linger(self) -> None:
        self._lingering = True
        self.flow.resume_reading()
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self._timer = self.loop.call_later(self.limits.linger, self.transport.close)


_REASONS = {
    408: b"Request Timeout",
    413: b"Content Too Large",
    431: b"Request Header Fields Too Large",
}
