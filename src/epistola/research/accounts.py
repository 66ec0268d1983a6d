"""Accounts with roles, argon2 password hashes, API tokens, login sessions, the audit log.

Roles, each allowed what the ones before it are: ``reader`` (read a private edition),
``coder`` (annotate; change own annotations), ``editor`` (change and restore anyone's; read
the audit log), ``admin`` (accounts, privacy). Tokens and session ids are random; only their
SHA-256 is stored, so a copy of the edition file lets nobody in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import AccountError, LoginThrottled, NotAuthorised
from ..store import Store

ROLES = ("reader", "coder", "editor", "admin")
SESSION_SECONDS = 14 * 24 * 3600
MAX_FAILURES = 5  # failed logins per account and per address ...
FAILURE_WINDOW = 15 * 60  # ... within this many seconds
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
_hasher = PasswordHasher()
WRITE_LOCK = threading.Lock()  # one writer at a time per process (SQLite)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def audit(store: Store, account: str | None, action: str, target: str = "", detail: str = ""):
    """Append one change to the audit log (the caller commits)."""
    seq = (store.scalar("SELECT MAX(seq) FROM audit_log") or 0) + 1
    store.execute(
        "INSERT INTO audit_log (seq, at, account, action, target, detail) VALUES (?,?,?,?,?,?)",
        (seq, now(), account, action, target, detail),
    )


def audit_log(store: Store, limit: int = 1000) -> list[dict]:
    return store.execute("SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?", (limit,))


def role_allows(role: str | None, needed: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def require(account: dict | None, needed: str) -> None:
    if account is None or not role_allows(account["role"], needed):
        who = f"{account['name']} ({account['role']})" if account else "an anonymous visitor"
        raise NotAuthorised(f"{who} may not do this: it needs the role {needed}")


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise AccountError("a password needs at least 8 characters", hint="Choose a longer one.")


def add_user(store: Store, name: str, role: str, password: str, by: str | None = None) -> None:
    if not _NAME.match(name):
        raise AccountError(
            f"{name!r} is not a usable account name",
            hint="Use letters, digits and . _ @ - (at most 64).",
        )
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}", hint=f"Use one of {', '.join(ROLES)}.")
    _check_password(password)
    with WRITE_LOCK:
        if store.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)):
            raise AccountError(f"account {name!r} exists", hint="Use 'epistola users passwd'.")
        store.execute(
            "INSERT INTO accounts (name, role, password_hash, created) VALUES (?,?,?,?)",
            (name, role, _hasher.hash(password), now()),
        )
        audit(store, by, "account.add", name, role)
        store.commit()


def list_users(store: Store) -> list[dict]:
    return store.execute("SELECT name, role, created FROM accounts ORDER BY name")


def get_user(store: Store, name: str) -> dict:
    rows = store.execute("SELECT name, role, created FROM accounts WHERE name = ?", (name,))
    if not rows:
        raise AccountError(f"no account {name!r}")
    return rows[0]


def remove_user(store: Store, name: str, by: str | None = None) -> None:
    get_user(store, name)
    with WRITE_LOCK:
        store.execute("DELETE FROM accounts WHERE name = ?", (name,))
        store.execute("DELETE FROM api_tokens WHERE account = ?", (name,))
        store.execute("DELETE FROM sessions WHERE account = ?", (name,))
        audit(store, by, "account.remove", name)
        store.commit()


def set_password(store: Store, name: str, password: str, by: str | None = None) -> None:
    get_user(store, name)
    _check_password(password)
    with WRITE_LOCK:
        store.execute(
            "UPDATE accounts SET password_hash = ? WHERE name = ?", (_hasher.hash(password), name)
        )
        store.execute("DELETE FROM sessions WHERE account = ?", (name,))  # log out everywhere
        audit(store, by, "account.passwd", name)
        store.commit()


def verify_password(store: Store, name: str, password: str) -> dict | None:
    rows = store.execute("SELECT name, role, password_hash FROM accounts WHERE name = ?", (name,))
    if not rows:
        _hasher.hash(password)  # same work whether or not the account exists
        return None
    try:
        _hasher.verify(rows[0]["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return {"name": rows[0]["name"], "role": rows[0]["role"]}


# --- API tokens -------------------------------------------------------------------------------


def new_token(store: Store, name: str, label: str = "", by: str | None = None) -> str:
    """A new API token for ``name``; shown once, stored as its SHA-256."""
    get_user(store, name)
    token = "ep_" + secrets.token_urlsafe(32)
    with WRITE_LOCK:
        store.execute(
            "INSERT INTO api_tokens (token_hash, account, label, created) VALUES (?,?,?,?)",
            (_sha(token), name, label, now()),
        )
        audit(store, by or name, "token.add", name, label)
        store.commit()
    return token


def token_account(store: Store, token: str) -> dict | None:
    rows = store.execute(
        "SELECT a.name, a.role FROM api_tokens t JOIN accounts a ON a.name = t.account "
        "WHERE t.token_hash = ?",
        (_sha(token),),
    )
    return rows[0] if rows else None


# --- sessions ---------------------------------------------------------------------------------


def server_secret(store: Store) -> bytes:
    """The key that signs session cookies, made once per edition and kept across ingests."""
    v = store.scalar("SELECT value FROM server_settings WHERE key = 'secret'")
    if v is None:
        with WRITE_LOCK:
            v = secrets.token_hex(32)
            store.execute("INSERT INTO server_settings (key, value) VALUES ('secret', ?)", (v,))
            store.commit()
    return bytes.fromhex(v)


def _sign(secret: bytes, value: str) -> str:
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


def open_session(store: Store, account: dict) -> tuple[str, str]:
    """(signed cookie value, CSRF token) of a new login."""
    sid = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with WRITE_LOCK:
        store.execute(
            "INSERT INTO sessions (id_hash, account, csrf, created, expires) VALUES (?,?,?,?,?)",
            (_sha(sid), account["name"], csrf, now(), time.time() + SESSION_SECONDS),
        )
        store.commit()
    return f"{sid}.{_sign(server_secret(store), sid)}", csrf


def session_account(store: Store, cookie: str) -> dict | None:
    """The account and CSRF token of a valid signed session cookie, else None."""
    sid, _, sig = cookie.rpartition(".")
    if not sid or not hmac.compare_digest(sig, _sign(server_secret(store), sid)):
        return None
    rows = store.execute(
        "SELECT a.name, a.role, s.csrf FROM sessions s JOIN accounts a ON a.name = s.account "
        "WHERE s.id_hash = ? AND s.expires > ?",
        (_sha(sid), time.time()),
    )
    return rows[0] if rows else None


def close_session(store: Store, cookie: str) -> None:
    sid = cookie.rpartition(".")[0]
    with WRITE_LOCK:
        store.execute("DELETE FROM sessions WHERE id_hash = ?", (_sha(sid),))
        store.commit()


# --- privacy ----------------------------------------------------------------------------------


def is_private(store: Store) -> bool:
    return store.scalar("SELECT value FROM server_settings WHERE key = 'private'") == "1"


def set_private(store: Store, private: bool, by: str | None = None) -> None:
    with WRITE_LOCK:
        store.execute("DELETE FROM server_settings WHERE key = 'private'")
        store.execute(
            "INSERT INTO server_settings (key, value) VALUES ('private', ?)",
            ("1" if private else "0",),
        )
        audit(store, by, "edition.private" if private else "edition.public")
        store.commit()


class LoginLimiter:
    """Failed logins per account and per address within a window; over the limit: refused."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW):
        self.limit, self.window = limit, window
        self.failures: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def _recent(self, key: str) -> deque:
        q = self.failures[key]
        cutoff = time.monotonic() - self.window
        while q and q[0] < cutoff:
            q.popleft()
        return q

    def check(self, name: str, address: str) -> None:
        with self.lock:
            for key in (f"account:{name}", f"address:{address}"):
                if len(self._recent(key)) >= self.limit:
                    raise LoginThrottled(f"too many failed logins ({key.split(':')[0]})")

    def failed(self, name: str, address: str) -> None:
        with self.lock:
            for key in (f"account:{name}", f"address:{address}"):
                self._recent(key).append(time.monotonic())
