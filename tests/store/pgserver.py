"""A private, throwaway PostgreSQL server for the tests: initdb + pg_ctl on a free local port.

PostgreSQL refuses to run as root; as root (CI, containers) the server runs as the ``postgres``
system user (created as ``epistola-pg`` when missing) in a data directory it owns.

The server dies with the process that started it, however that ends (a failed test, Ctrl-C,
SIGKILL): pg_ctl detaches the server, so a guard process (this file run as a script, in its own
session) waits for the end of a pipe only the starter holds, then stops the server and removes
its directory. ``stop`` does the same at once.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian layout, then PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> str | None:
    """The OS user to run the server as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "epistola-pg"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            pass
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "epistola-pg"],
        check=True,
    )
    return "epistola-pg"


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int
    user: str | None
    superuser: str = "epistola"
    guard: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, dbname: str = "postgres", schema: str | None = None) -> str:
        u = f"postgresql://{self.superuser}@127.0.0.1:{self.port}/{dbname}"
        return u + (f"?schema={schema}" if schema else "")

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=self.root)
        if proc.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise RuntimeError(
                f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}\n{tail}"
            )
        return proc

    def initdb(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            self.superuser,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8" if _has_c_utf8() else "--locale=C",
            "--no-sync",
        )

    def start(self) -> None:
        opts = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c shared_buffers=64MB -c max_connections=40"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", opts,
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def halt(self, mode: str = "fast") -> None:
        """Stop the server but keep its data (``start`` again): a restart, an outage."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            if self.guard is not None:
                self.guard.stdin.close()  # the guard finds nothing left to do, and ends
                self.guard.wait(30)
                self.guard = None

    def start_guard(self) -> None:
        """A process that stops the server once this one is gone (see the module's note)."""
        spec = {"bindir": str(self.bindir), "root": str(self.root), "user": self.user}
        self.guard = subprocess.Popen(
            [sys.executable, __file__, json.dumps(spec)],
            stdin=subprocess.PIPE,  # its write end is ours alone (not inherited: close-on-exec)
            start_new_session=True,  # Ctrl-C reaches the tests, not the guard
        )


def _guard(spec: dict) -> None:
    """Wait until the starter's end of stdin closes (it stopped us, or it died), then stop the
    server immediately and remove its directory."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stdin.buffer.read()
    root = Path(spec["root"])
    data = root / "data"
    pidfile = data / "postmaster.pid"
    if pidfile.exists():
        server = PgServer(bindir=Path(spec["bindir"]), root=root, port=0, user=spec["user"])
        try:
            server._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        except (RuntimeError, OSError):
            try:  # pg_ctl failed: the postmaster itself, as pg_ctl would (immediate shutdown)
                os.kill(int(pidfile.read_text().split()[0]), signal.SIGQUIT)
                time.sleep(2)
            except (OSError, ValueError, IndexError):
                pass
    shutil.rmtree(root, ignore_errors=True)


def _has_c_utf8() -> bool:
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    return "c.utf8" in out or "c.utf-8" in out


def start_server() -> PgServer:
    """Start a server in a fresh temporary directory; the caller stops it."""
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL is not installed (scripts/setup.sh installs it)")
    user = _server_user()
    # not under pytest's tmp dirs: those are 0700 root, and the server user must reach its files
    root = Path(tempfile.mkdtemp(prefix="epistola-pg-"))
    if user:
        info = pwd.getpwnam(user)
        os.chown(root, info.pw_uid, info.pw_gid)
    server = PgServer(bindir=bindir, root=root, port=_free_port(), user=user)
    server.start_guard()
    try:
        server.initdb()
        for attempt in range(3):
            try:
                server.start()
                break
            except RuntimeError:
                if attempt == 2:  # the port may have been taken meanwhile: try another
                    raise
                server.port = _free_port()
    except BaseException:
        try:
            server.stop()
        except RuntimeError:
            pass  # the error that brought us here says more
        raise
    return server


if __name__ == "__main__":
    _guard(json.loads(sys.argv[1]))
