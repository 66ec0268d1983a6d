"""The research server's routes: login/logout, API tokens, annotations; the security layer.

Who is asking: ``Authorization: Bearer <token>`` or the signed session cookie of a reading-room
login. A request that changes something with a session cookie must carry its CSRF token
(form field ``csrf`` or header ``X-CSRF-Token``); bearer requests carry no ambient credentials.
Every response gets the security headers of :data:`SECURITY_HEADERS`.
"""

from __future__ import annotations

import json
import secrets
from html import escape
from urllib.parse import parse_qs, quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import (
    AccountError,
    EditionUnavailable,
    EpistolaError,
    InvalidAnnotation,
    LoginThrottled,
    NotAuthorised,
    QueryError,
    UnknownEntry,
    VersionConflict,
)
from ..research import accounts as acc
from ..research import annotating as ann

SESSION_COOKIE = "epistola_session"
LOGIN_CSRF_COOKIE = "epistola_login_csrf"
CSP = (
    "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}
STATUS = {NotAuthorised: 403, UnknownEntry: 404, InvalidAnnotation: 400, AccountError: 400,
          VersionConflict: 409, LoginThrottled: 429}  # fmt: skip


class SecurityHeaders:
    """ASGI middleware: the security headers on every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                         if k.encode() not in have]  # fmt: skip
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class PrivateGate:
    """ASGI middleware: a private edition answers only logged-in accounts (any role)."""

    OPEN = ("/login", "/logout", "/static/")

    def __init__(self, app, research: Research | None):
        self.app, self.research = app, research

    async def __call__(self, scope, receive, send):
        r = self.research
        path = scope.get("path", "")
        if scope["type"] != "http" or r is None or path.startswith(self.OPEN):
            return await self.app(scope, receive, send)
        request = Request(scope)
        try:
            # in a worker thread: a database that is away (a PostgreSQL restart) must not
            # hold up the event loop, and with it every other request, for its connect timeout
            if not await run_in_threadpool(r.private):
                return await self.app(scope, receive, send)
            who = await run_in_threadpool(r.who, request)
        except EditionUnavailable as e:  # private or not is unknown: refuse, never leak
            resp = error(e, 503, **{"Retry-After": "5"})
            return await resp(scope, receive, send)
        if who is None:
            if path.startswith("/api/") or path == "/oai":
                resp = error(NotAuthorised("this edition is private: log in first"), 401)
            else:
                resp = RedirectResponse("/login?next=" + quote(path), status_code=303)
            return await resp(scope, receive, send)
        return await self.app(scope, receive, send)


def error(e: EpistolaError, status: int | None = None, **headers) -> JSONResponse:
    status = status or next((s for t, s in STATUS.items() if isinstance(e, t)), 400)
    return JSONResponse({"error": str(e), "hint": e.hint}, status_code=status, headers=headers)


def _check_query(request: Request) -> None:
    """Unknown or repeated query parameters are refused (400), as on every API route."""
    from .api import openapi

    op = openapi()["paths"][request.scope["route"].path].get(request.method.lower(), {})
    allowed = {p["name"] for p in op.get("parameters", []) if p.get("in") == "query"}
    keys = [k for k, _ in request.query_params.multi_items()]
    for k in keys:
        if k not in allowed or keys.count(k) > 1:
            raise QueryError(
                f"unknown or repeated parameter {k!r} for {request.scope['route'].path}",
                f"Parameters: {', '.join(sorted(allowed)) or 'none'} (docs/api.md).",
            )


async def _form(request: Request) -> dict:
    """An urlencoded form (the login and logout forms; no file uploads here)."""
    body = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def etag(rec: dict) -> str:
    return f'"{rec["version"]}"'


def _if_match(request: Request) -> int:
    raw = request.headers.get("if-match", "").strip().removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise InvalidAnnotation(
            "an edit must say which version it started from",
            hint='Send the ETag you read as If-Match: "3".',
        )
    return int(raw)


class Research:
    """Who is asking, and the routes that need to know."""

    def __init__(self, store):
        self.store = store
        self.limiter = acc.LoginLimiter()
        self._private: bool | None = None

    def who(self, request: Request) -> dict | None:
        """The account behind a request (bearer token first, then session cookie), or None."""
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            a = acc.token_account(self.store, auth[7:].strip())
            if a is not None:
                a["via"] = "token"
            return a
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            a = acc.session_account(self.store, cookie)
            if a is not None:
                a["via"] = "session"
            return a
        return None

    def csrf_ok(self, request: Request, account: dict | None, form=None) -> bool:
        if account is None or account.get("via") != "session":
            return True  # bearer: no ambient credential to forge
        sent = request.headers.get("x-csrf-token") or (form or {}).get("csrf") or ""
        return secrets.compare_digest(str(sent), account["csrf"])

    def private(self) -> bool:
        """Whether the edition is private. While the database is away the last answer stands
        (an outage changes no setting); never known: raises EditionUnavailable."""
        try:
            self._private = acc.is_private(self.store)
        except EditionUnavailable:
            if self._private is None:
                raise
        return self._private

    # --- login ------------------------------------------------------------------------------

    def login_form(self, request: Request, message: str = "", status: int = 200) -> Response:
        token = secrets.token_urlsafe(24)
        nxt = request.query_params.get("next", "/index.html")
        html = LOGIN_PAGE.format(csrf=token, next=escape(nxt), message=escape(message))
        r = HTMLResponse(html, status_code=status)
        r.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax",
                     secure=request.url.scheme == "https", path="/login")  # fmt: skip
        return r

    async def login(self, request: Request) -> Response:
        if request.method == "GET":
            return self.login_form(request)
        form = await _form(request)
        sent, cookie = form.get("csrf", ""), request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not cookie or not secrets.compare_digest(str(sent), cookie):
            return self.login_form(request, "The form expired; please try again.", 403)
        name, password = str(form.get("name", "")), str(form.get("password", ""))
        address = request.client.host if request.client else "?"
        try:
            self.limiter.check(name, address)
        except LoginThrottled as e:
            return self.login_form(request, f"{e}. {e.hint}", 429)
        account = acc.verify_password(self.store, name, password)
        if account is None:
            self.limiter.failed(name, address)
            return self.login_form(request, "Wrong name or password.", 401)
        value, _ = acc.open_session(self.store, account)
        nxt = str(form.get("next") or "/index.html")
        if not nxt.startswith("/") or nxt.startswith("//"):
            nxt = "/index.html"  # no open redirect
        r = RedirectResponse(nxt, status_code=303)
        r.set_cookie(SESSION_COOKIE, value, max_age=acc.SESSION_SECONDS, httponly=True,
                     samesite="lax", secure=request.url.scheme == "https", path="/")  # fmt: skip
        r.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return r

    async def logout(self, request: Request) -> Response:
        account = self.who(request)
        form = await _form(request)
        if account is not None and not self.csrf_ok(request, account, form):
            return JSONResponse({"error": "missing or wrong CSRF token", "hint": ""}, 403)
        if request.cookies.get(SESSION_COOKIE):
            acc.close_session(self.store, request.cookies[SESSION_COOKIE])
        r = RedirectResponse("/index.html", status_code=303)
        r.delete_cookie(SESSION_COOKIE, path="/")
        return r

    # --- API --------------------------------------------------------------------------------

    def me(self, request: Request) -> Response:
        try:
            _check_query(request)
        except EpistolaError as e:
            return error(e, 400)
        a = self.who(request)
        if a is None:
            return error(NotAuthorised("not logged in", hint="POST /login or send a token."), 401)
        out = {"name": a["name"], "role": a["role"]}
        if a.get("via") == "session":
            out["csrf"] = a["csrf"]
        return JSONResponse(out)

    async def _guarded(self, request: Request, needed: str, fn):
        try:
            _check_query(request)
        except EpistolaError as e:
            return error(e, 400)
        account = self.who(request)
        if request.method not in ("GET", "HEAD"):
            if account is None:
                return error(NotAuthorised("log in to change annotations"), 401)
            if not self.csrf_ok(request, account):
                return error(NotAuthorised("missing or wrong CSRF token",
                                           hint="Send X-CSRF-Token from GET /api/me."))  # fmt: skip
        try:
            if needed != "reader" or self.private():
                if account is None:
                    return error(NotAuthorised("log in first"), 401)
                acc.require(account, needed)
            return await fn(account)
        except EpistolaError as e:
            return error(e)

    async def _json(self, request: Request) -> dict:
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            raise InvalidAnnotation("the request body is not JSON") from None
        if not isinstance(data, dict):
            raise InvalidAnnotation("the request body must be a JSON object")
        return data

    async def letter_annotations(self, request: Request) -> Response:
        letter_id = request.path_params["id"]

        async def list_(account):
            if not self.store.execute("SELECT 1 FROM letters WHERE id = ?", (letter_id,)):
                raise UnknownEntry(f"no letter {letter_id!r}")
            deleted = request.query_params.get("deleted") == "true"
            return JSONResponse({"letter": letter_id,
                                 "annotations": ann.for_letter(self.store, letter_id,
                                                               deleted=deleted)})  # fmt: skip

        async def create(account):
            data = await self._json(request)
            rec = ann.create(self.store, account, letter_id, str(data.get("kind", "")),
                             data.get("body") or {}, data.get("selector"))  # fmt: skip
            return JSONResponse(rec, status_code=201, headers={
                "etag": etag(rec), "location": f"/api/annotations/{quote(rec['id'])}"})  # fmt: skip

        if request.method == "POST":
            return await self._guarded(request, "coder", create)
        return await self._guarded(request, "reader", list_)

    async def annotation(self, request: Request) -> Response:
        aid = request.path_params["id"]

        async def read(account):
            rec = ann.get(self.store, aid)
            return JSONResponse(rec, headers={"etag": etag(rec)})

        async def put(account):
            data = await self._json(request)
            kw = {"body": data.get("body")}
            if "selector" in data:
                kw["selector"] = data["selector"]
            rec = ann.update(self.store, account, aid, _if_match(request), **kw)
            return JSONResponse(rec, headers={"etag": etag(rec)})

        async def delete(account):
            rec = ann.delete(self.store, account, aid, _if_match(request))
            return JSONResponse(rec, headers={"etag": etag(rec)})

        fn = {"GET": read, "PUT": put, "DELETE": delete}[request.method]
        return await self._guarded(request, "reader" if request.method == "GET" else "coder", fn)

    async def restore(self, request: Request) -> Response:
        aid = request.path_params["id"]

        async def do(account):
            rec = ann.restore(self.store, account, aid, _if_match(request))
            return JSONResponse(rec, headers={"etag": etag(rec)})

        return await self._guarded(request, "coder", do)

    async def versions(self, request: Request) -> Response:
        aid = request.path_params["id"]

        async def do(account):
            return JSONResponse({"id": aid, "versions": ann.versions(self.store, aid)})

        return await self._guarded(request, "reader", do)

    async def export(self, request: Request) -> Response:
        from ..research.webanno import to_jsonld

        if request.method == "POST":
            return await self.import_(request, "jsonld")

        base = str(request.base_url).rstrip("/")

        async def do(account):
            records = ann.all_annotations(self.store)
            doc = to_jsonld(records, lambda lid: f"{base}/letters/{quote(lid)}.html")
            return JSONResponse(doc, media_type="application/ld+json")

        return await self._guarded(request, "reader", do)

    async def export_csv(self, request: Request) -> Response:
        from ..research.standoff import to_csv

        if request.method == "POST":
            return await self.import_(request, "csv")

        async def do(account):
            deleted = request.query_params.get("deleted") == "true"
            body = to_csv(ann.all_annotations(self.store, deleted=deleted))
            return Response(body, media_type="text/csv; charset=utf-8", headers={
                "content-disposition": 'attachment; filename="annotations.csv"'})  # fmt: skip

        return await self._guarded(request, "reader", do)

    async def import_(self, request: Request, fmt: str) -> Response:
        """POST a CSV (annotations.csv) or JSON-LD collection: editors import annotations."""

        async def do(account):
            raw = (await request.body()).decode("utf-8", "replace")
            if fmt == "csv":
                from ..research.standoff import import_csv

                added, skipped, problems = import_csv(self.store, raw, account["name"])
            else:
                from ..research.webanno import from_jsonld, import_records

                try:
                    doc = json.loads(raw)
                except ValueError:
                    raise InvalidAnnotation("the request body is not JSON") from None
                added, skipped = import_records(self.store, from_jsonld(doc), account["name"])
                problems = []
            return JSONResponse({"added": added, "skipped": skipped,
                                 "problems": [{"row": n, "error": m} for n, m in problems]})  # fmt: skip

        return await self._guarded(request, "editor", do)

    async def audit(self, request: Request) -> Response:
        async def do(account):
            return JSONResponse({"changes": acc.audit_log(self.store)})

        return await self._guarded(request, "editor", do)

    def routes(self) -> list[Route]:
        return [
            Route("/login", self.login, methods=["GET", "POST"]),
            Route("/logout", self.logout, methods=["POST"]),
            Route("/api/me", self.me),
            Route(
                "/api/letters/{id}/annotations", self.letter_annotations, methods=["GET", "POST"]
            ),  # fmt: skip
            Route("/api/annotations.jsonld", self.export, methods=["GET", "POST"]),
            Route("/api/annotations.csv", self.export_csv, methods=["GET", "POST"]),
            Route("/api/annotations/{id}", self.annotation, methods=["GET", "PUT", "DELETE"]),
            Route("/api/annotations/{id}/restore", self.restore, methods=["POST"]),
            Route("/api/annotations/{id}/versions", self.versions),
            Route("/api/audit", self.audit),
        ]


LOGIN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Log in</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main><h1>Log in</h1><p class="message" role="alert">{message}</p>
<form method="post" action="/login">
<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="next" value="{next}">
<p><label>Name <input name="name" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password"
required></label></p>
<p><button type="submit">Log in</button></p></form></main></body></html>
"""
