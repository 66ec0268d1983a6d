"""``epistola serve`` cuts off slow clients and oversized requests (web/limits.py).

Each test talks raw HTTP over real sockets to a real ``epistola serve`` process, started with
short limits so that a timeout takes a second or two, not the defaults' 10 and 30.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from ..conftest import stop_server

HEADER_TIMEOUT = 1.5
BODY_TIMEOUT = 1.5
KEEP_ALIVE = 1.0
MAX_BODY = 4096
PATIENCE = 20  # seconds a client here waits for any answer before the test calls it a hang


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(sample_edition):
    path, _ = sample_edition
    port = _port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "epistola",
            "serve",
            str(path),
            "--port",
            str(port),
            "--workers",
            "2",
            "--max-body",
            str(MAX_BODY),
            "--header-timeout",
            str(HEADER_TIMEOUT),
            "--body-timeout",
            str(BODY_TIMEOUT),
            "--keep-alive",
            str(KEEP_ALIVE),
        ],  # fmt: skip
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/index.html", timeout=5).read()
            break
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read().decode()) from None
            time.sleep(0.1)
    yield port, proc
    stop_server(proc, 15)
    log = proc.stderr.read().decode()
    assert "Traceback" not in log, log  # no refusal may reach the app as an error


def _connect(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(PATIENCE)
    return s


def _read_until_closed(s: socket.socket) -> bytes:
    out = b""
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            return out
        if not chunk:
            return out
        out += chunk


def _response(raw: bytes) -> tuple[int, dict, bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body


def _refusal(raw: bytes, status: int) -> dict:
    """The answer is ``status`` with JSON {error, hint}, and the server closes the connection."""
    got, headers, body = _response(raw)
    assert got == status, raw[:300]
    assert headers["connection"] == "close"
    assert headers["content-type"] == "application/json"
    data = json.loads(body)
    assert set(data) == {"error", "hint"} and data["error"] and data["hint"]
    return data


def _get(port: int, path: str) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=PATIENCE) as r:
        return r.status


def test_oversized_body_is_refused_from_its_content_length_unread(server):
    port, _ = server
    s = _connect(port)
    # the head promises 50 MB; not one byte of the body is sent: the answer cannot have waited
    s.sendall(
        b"POST /api/annotations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 52428800\r\n\r\n"
    )
    data = _refusal(_read_until_closed(s), 413)
    assert "52428800 bytes" in data["error"] and str(MAX_BODY) in data["error"]
    assert "--max-body" in data["hint"]


def test_a_client_that_sends_its_whole_body_first_still_reads_the_refusal(server):
    """As most HTTP libraries do: send everything, then read. The server discards the rest
    instead of resetting the connection, which would lose the answer."""
    port, _ = server
    s = _connect(port)
    body = b"{" + b" " * (2 * 2**20) + b"}"
    s.sendall(
        b"POST /api/annotations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body) + body
    )
    _refusal(_read_until_closed(s), 413)


def test_chunked_body_is_cut_off_at_the_limit(server):
    port, _ = server
    s = _connect(port)
    s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"1000\r\n" + b"a" * 0x1000 + b"\r\n"  # 4096 bytes: the second one is over
    s.sendall(chunk + chunk)
    data = _refusal(_read_until_closed(s), 413)
    assert str(MAX_BODY) in data["error"]


def test_oversized_head_is_refused(server):
    port, _ = server
    s = _connect(port)
    s.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\nCookie: " + b"c" * 100_000 + b"\r\n\r\n")
    data = _refusal(_read_until_closed(s), 431)
    assert "16384 bytes" in data["error"]


def test_a_head_trickled_forever_is_refused_too(server):
    """One header line that never ends, in small pieces: refused at the size limit, not kept."""
    port, _ = server
    s = _connect(port)
    s.sendall(b"GET / HTTP/1.1\r\nX-Long: ")
    try:
        for _ in range(40):
            s.sendall(b"x" * 1000)
            time.sleep(0.005)
    except (BrokenPipeError, ConnectionResetError):
        pass
    _refusal(_read_until_closed(s), 431)


def test_slowloris_head_is_cut_off_while_others_are_served(server):
    port, _ = server
    clients = [_connect(port) for _ in range(20)]
    stop = threading.Event()
    answers: list[bytes] = [b""] * len(clients)

    def trickle(i: int, s: socket.socket) -> None:
        head = b"GET /index.html HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"s" * 400 + b"\r\n\r\n"
        try:
            for byte in head:
                if stop.is_set():
                    break
                s.send(bytes([byte]))
                time.sleep(0.05)  # the whole head would take 20 s
        except (BrokenPipeError, ConnectionResetError):
            pass
        answers[i] = _read_until_closed(s)

    threads = [threading.Thread(target=trickle, args=(i, s)) for i, s in enumerate(clients)]
    for t in threads:
        t.start()
    try:
        served = [_get(port, "/letters/L1931-06-14.html") for _ in range(10)]
        served.append(_get(port, "/api/search?q=Vetrov"))
    finally:
        for t in threads:
            t.join(PATIENCE + 5)
        stop.set()
    assert served == [200] * 11  # served while 20 slow clients held connections
    assert not any(t.is_alive() for t in threads)
    for raw in answers:
        data = _refusal(raw, 408)
        assert "head did not arrive in time" in data["error"]


def test_body_never_finished_is_cut_off(server):
    port, _ = server
    s = _connect(port)
    s.sendall(
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 100\r\n\r\nuser=someone&pass"
    )
    data = _refusal(_read_until_closed(s), 408)
    assert "body did not arrive in time" in data["error"]
    assert _get(port, "/index.html") == 200  # the worker that waited is well


def test_silent_and_idle_connections_are_closed(server):
    port, _ = server
    silent = _connect(port)  # connects and never sends a byte
    assert _read_until_closed(silent) == b""  # closed, nothing said (nobody asked)
    kept = _connect(port)
    kept.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
    raw = _read_until_closed(kept)  # one answer, then closed once idle for KEEP_ALIVE
    status, headers, _ = _response(raw)
    assert status == 200 and headers.get("connection") != "close"


def test_normal_requests_with_a_body_still_work(server):
    """A body within the limit reaches the app: the login form is read, the password checked."""
    port, _ = server
    s = _connect(port)
    s.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status, headers, page = _response(_read_until_closed(s))
    assert status == 200
    token = re.search(rb'name="csrf" value="([^"]+)"', page).group(1)
    cookie = headers["set-cookie"].split(";")[0].encode()
    form = b"csrf=" + token + b"&name=nobody&password=wrong"
    s = _connect(port)
    s.sendall(
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Cookie: " + cookie + b"\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n" % len(form) + form
    )
    status, _, page = _response(_read_until_closed(s))
    assert status == 401 and b"Wrong name or password." in page
