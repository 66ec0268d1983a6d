"""``epistola serve``: the reading room rendered on request, plus the JSON API.

Pages come from the same :class:`~epistola.render.pages.Pages` the static build writes, so
every URL of the static site answers here too; only search differs: ``/search.html?q=...``
is answered on the server (epistola.search.query) instead of in the browser. The API is
described in ``/api/openapi.json`` (docs/api.md).
"""

from __future__ import annotations

import mimetypes
import os
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from ..edition import Edition, open_edition
from ..errors import EditionUnavailable, EpistolaError, QueryError, UnknownEntry
from ..export.oai import Repository
from ..render.pages import Pages
from ..render.templating import static_files
from ..research import open_research
from ..search.facets import FACETS
from . import api
from .cache import ResponseCache
from .research import PrivateGate, Research, SecurityHeaders

TYPES = {".json": "application/json", ".xml": "application/xml", ".csv": "text/csv; charset=utf-8",
         ".svg": "image/svg+xml", ".js": "text/javascript; charset=utf-8"}  # fmt: skip


def search_page_context(pages: Pages, params: dict) -> dict:
    """What search.html shows when the server answers: results, facets with toggle links."""
    from ..search.query import FILTER_KEYS, search

    q = params.get("q", "")
    filters = {k: params[k] for k in FILTER_KEYS if params.get(k)}
    page = int(params.get("page") or 1) if str(params.get("page") or "1").isdigit() else 1
    ctx = {"title": "Search", "served": True, "query": q, "filters": filters, "results": []}
    if not q and not filters:
        ctx.update(total=0, facets=[])
        return ctx
    try:
        res = search(pages.room.store, q, filters=filters, page=page, per_page=50)
    except EditionUnavailable:
        raise  # 503 (below), not a search result that says so
    except EpistolaError as e:
        ctx.update(total=0, facets=[], error=f"{e} {e.hint}".strip())
        return ctx

    def href(**change):
        p = {"q": q, **filters, **change}
        return "search.html?" + urlencode({k: v for k, v in p.items() if v not in (None, "")})

    facets = []
    for key, title in FACETS:
        values = []
        for v in res["facets"].get(key, []):
            value = str(v["value"])
            active = str(filters.get(key)) == value
            values.append(
                {
                    **v,
                    "value": value,
                    "active": active,
                    "href": href(**{key: None if active else value}),
                }
            )
        if values:
            facets.append({"key": key, "title": title, "values": values})
    more = res["total"] > page * 50
    ctx.update(
        total=res["total"],
        results=res["results"],
        facets=facets,
        more_href=href(page=page + 1) if more else None,
    )
    return ctx


def create_app(edition: Edition | str, *, cache: bool = True) -> Starlette:
    """The ASGI app serving ``edition`` (an Edition, a .sqlite path or a postgresql:// URL);
    ``cache``: keep answers in memory until the edition is rebuilt (web/cache.py)."""
    ed = open_edition(edition) if not isinstance(edition, Edition) else edition
    pages = Pages(ed, served=True)
    statics = static_files(pages.room.project_root)

    def page(request: Request) -> Response:
        path = request.path_params.get("path", "") or "index.html"
        if path == "api" or path.startswith("api/"):
            return JSONResponse(
                {"error": f"no API route /{path}", "hint": API_ROUTES_HINT}, status_code=404
            )
        if path.endswith("/"):
            path += "index.html"
        if path.startswith("static/"):
            f = statics.get(path[7:])
            if f is None:
                return _not_found(pages, path)
            return FileResponse(f, media_type=mimetypes.guess_type(f.name)[0])
        if path.startswith(("photographs/", "facsimiles/")):
            data = pages.asset(path)
            if data is None:
                return _not_found(pages, path)
            return Response(
                data, media_type=mimetypes.guess_type(path)[0] or "application/octet-stream"
            )
        if path == "search.html":
            params = dict(request.query_params)
            html = pages.render_html(path, search_page_context(pages, params))
            return HTMLResponse(html)
        try:
            body = pages.render(path)
        except UnknownEntry:
            return _not_found(pages, path)
        suffix = "." + path.rsplit(".", 1)[-1] if "." in path else ""
        return Response(body, media_type=TYPES.get(suffix, "text/html; charset=utf-8"))

    def root(request: Request) -> Response:
        return RedirectResponse("/index.html") if request.url.path != "/" else page(request)

    oai = Repository(ed)

    def oai_pmh(request: Request) -> Response:
        params = dict(request.query_params)
        repeated = len(params) != len(request.query_params.multi_items())
        status, body = oai.respond(params, str(request.url).split("?")[0], repeated=repeated)
        return Response(body, status_code=status, media_type="text/xml; charset=utf-8")

    research = _research(ed)

    routes = [
        *(research.routes() if research is not None else []),
        *api.routes(pages),
        Route("/oai", oai_pmh),
        Route("/", root),
        Route("/{path:path}", page),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            QueryError: _query_error,
            EditionUnavailable: _unavailable,
            HTTPException: _http_error,
            ClientDisconnect: _client_gone,
            Exception: _server_error,
        },
        # outermost first: headers on every answer, the private gate before any cached answer
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(PrivateGate, research=research),
            *([Middleware(ResponseCache, store=ed.store)] if cache else []),
        ],
    )
    app.state.pages = pages
    app.state.research = research
    return app


def _research(ed: Edition) -> Research | None:
    """Accounts and annotations: on the edition's own file or PostgreSQL schema, opened for
    writing (docs/research-server.md)."""
    target = getattr(ed.store, "path", None) or getattr(ed.store, "url", None)
    return Research(open_research(target)) if target is not None else None


def app_from_environment() -> Starlette:
    """The app for ``epistola serve --workers N``: each worker process opens the edition named
    by ``EPISTOLA_EDITION`` (uvicorn starts workers by import string, not with arguments)."""
    return create_app(os.environ["EPISTOLA_EDITION"], cache=os.environ.get("EPISTOLA_CACHE") != "0")


def _not_found(pages: Pages, path: str) -> Response:
    t = pages.room.t
    return _error_page(
        pages,
        404,
        t("Not found"),
        f"<p>{_esc(t('This reading room has no page at this address:'))} <code>{_esc(path)}</code></p>"
        f'<p><a href="/index.html">{_esc(t("Go to the home page"))}</a> · '
        f'<a href="/search.html">{_esc(t("Search the letters"))}</a></p>',
    )


def _error_page(pages: Pages | None, status: int, title: str, body: str) -> HTMLResponse:
    """An error page in the interface's language (English when the edition could not say)."""
    lang = pages.room.ui_lang if pages is not None else "en"
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{_esc(title)}'
        '</title><link rel="stylesheet" href="/static/style.css"></head><body><main>'
        f"<h1>{_esc(title)}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status)


def _esc(s: str) -> str:
    from html import escape

    return escape(s)


async def _query_error(request, exc: QueryError):
    return JSONResponse({"error": str(exc), "hint": exc.hint}, status_code=400)


API_ROUTES_HINT = "The API's routes are listed in /api/openapi.json (docs/api.md)."


async def _http_error(request, exc: HTTPException):
    """Under /api/ every error is JSON {error, hint} (405 for a method other than GET...)."""
    if not request.url.path.startswith("/api/"):
        return PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)
    hint = "The API answers GET only." if exc.status_code == 405 else API_ROUTES_HINT
    return JSONResponse(
        {"error": exc.detail, "hint": hint}, status_code=exc.status_code, headers=exc.headers
    )


RETRY_AFTER = "5"  # seconds: a database restart usually takes about that


async def _unavailable(request, exc: EditionUnavailable):
    """The edition's database went away (a PostgreSQL restart): 503, and the next request tries
    a new connection; answers kept by the cache are still served (web/cache.py)."""
    headers = {"Retry-After": RETRY_AFTER}
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": str(exc), "hint": exc.hint}, status_code=503, headers=headers)
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Temporarily unavailable</title>"
        '<link rel="stylesheet" href="/static/style.css"></head><body><main>'
        "<h1>Temporarily unavailable</h1>"
        f"<p>The edition's database is not answering just now. {_esc(exc.hint)}</p>"
        "</main></body></html>"
    )
    return HTMLResponse(body, status_code=503, headers=headers)


async def _client_gone(request, exc: ClientDisconnect):
    """The client left, or was cut off (web/limits.py), before its body arrived: nobody reads
    an answer, and it is no server error to log."""
    return Response(status_code=400)


async def _server_error(request, exc: Exception):
    if request.url.path.startswith("/api/"):
        return JSONResponse(
            {"error": "internal error", "hint": "Report it with the URL you asked for."},
            status_code=500,
        )
    pages = getattr(request.app.state, "pages", None)
    t = pages.room.t if pages is not None else (lambda s: s)
    return _error_page(
        pages,
        500,
        t("Server error"),
        f"<p>{_esc(t('The reading room could not show this page. Report it with the address you asked for.'))}</p>",
    )
