"""The JSON API of ``epistola serve`` (described in openapi.json beside this file).

    GET /api/letters              letters in edition order, filtered and paged
    GET /api/letters/{id}         one letter, all of it (the same JSON as letters/<id>.json)
    GET /api/persons/{id}         a register entry with the letters from, to and mentioning it
    GET /api/search               full-text search with filters and facets (docs/search.md)
    GET /api/stats/{name}         one analysis view, JSON or CSV (docs/analyses.md)
    GET /api/openapi.json         this API as OpenAPI 3.1

Errors are JSON too: ``{"error": message, "hint": how to fix}`` with 400 or 404. Each route
accepts exactly the query parameters its OpenAPI description lists: an unknown or repeated
parameter, or a value that cannot be used, is a 400, never answered as if it were absent.
"""

from __future__ import annotations

import inspect
import json
from functools import cache
from importlib import resources

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import EpistolaError, QueryError, UnknownAnalysis, UnknownEntry
from ..render import urls
from ..render.letter_page import letter_json
from ..render.pages import Pages
from ..render.register_pages import related_letters

LETTER_FILTERS = ("year", "sender", "addressee", "person", "kind", "start", "end", "mentions")
MAX_PER_PAGE = 500


@cache
def _spec_text() -> str:
    return resources.files("epistola.web").joinpath("openapi.json").read_text("utf-8")


def openapi() -> dict:
    return json.loads(_spec_text())


@cache
def query_parameters(path: str) -> frozenset[str]:
    """The query parameters the OpenAPI description gives for ``path``."""
    op = openapi()["paths"][path]["get"]
    return frozenset(p["name"] for p in op.get("parameters", []) if p.get("in") == "query")


def check_parameters(request: Request, path: str) -> None:
    """Raise QueryError for a parameter ``path`` does not take, or one given twice."""
    allowed = query_parameters(path)
    keys = [k for k, _ in request.query_params.multi_items()]
    for k in keys:
        if k not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            dates = (
                " Dates are start and end." if k in ("from", "to") and "start" in allowed else ""
            )
            raise QueryError(
                f"unknown parameter {k!r} for {path}",
                f"Parameters of {path}: {known} (docs/api.md).{dates}",
            )
        if keys.count(k) > 1:
            raise QueryError(
                f"parameter {k!r} given {keys.count(k)} times",
                f"Give {k} once; several values go comma-separated where docs/search.md allows.",
            )


def _bool(params, key: str) -> bool | None:
    raw = params.get(key)
    if raw in (None, ""):
        return None
    v = raw.strip().lower()
    if v in ("1", "true", "yes"):
        return True
    if v in ("0", "false", "no"):
        return False
    raise QueryError(f"{key} must be true or false, not {raw!r}", f"Use {key}=true.")


def _error(e: EpistolaError, status: int) -> JSONResponse:
    return JSONResponse({"error": str(e), "hint": e.hint}, status_code=status)


def _int(params, key: str, default: int, lo: int, hi: int) -> int:
    raw = params.get(key)
    if raw in (None, ""):
        return default
    try:
        v = int(raw)
    except ValueError:
        raise QueryError(f"{key} must be a number, not {raw!r}", f"Use {key}={default}.") from None
    if not lo <= v <= hi:
        raise QueryError(f"{key}={v} is out of range", f"Use a {key} from {lo} to {hi}.")
    return v


STATS_INTS = {
    "top": (1, 10_000),
    "min_letters": (1, 10_000),
    "topics": (1, 100),
    "min_words": (1, 1_000_000),
}
STATS_FLAGS = ("proposed", "rollup")


def _stats_options(analysis, params) -> tuple[str, dict]:
    """The view and options of ``epistola stats`` from query parameters, each checked: a view the
    analysis lacks, or an option its view does not take, is an error, not ignored."""
    view = params.get("view") or analysis.default
    if view not in analysis.views:
        raise UnknownAnalysis(
            f"analysis {analysis.name!r} has no view {view!r}",
            hint=f"Views of {analysis.name}: " + ", ".join(analysis.views) + ".",
        )
    options: dict = {}
    for key, (lo, hi) in STATS_INTS.items():
        if params.get(key) not in (None, ""):
            options[key] = _int(params, key, 0, lo, hi)
    for key in STATS_FLAGS:
        if _bool(params, key):
            options[key] = True
    for key in ("by", "person"):
        if params.get(key):
            options[key] = params[key]
    takes = {
        n
        for n, p in inspect.signature(analysis.views[view]).parameters.items()
        if p.kind is not p.VAR_KEYWORD
    }
    for key in options:
        if key not in takes:
            raise QueryError(
                f"option {key!r} does not apply to {analysis.name} {view}",
                f"Options of {analysis.name} {view}: "
                + (", ".join(sorted(takes - {"facts"})) or "none")
                + ".",
            )
    if options.get("by") not in (None, "letter", "reply"):
        raise QueryError(f"by must be 'letter' or 'reply', not {options['by']!r}", "Use by=letter.")
    return view, options


def _summary(r: dict) -> dict:
    keys = ("id", "number", "label", "year", "number_in_year", "date_display", "earliest",
            "latest", "certainty", "sender", "addressee", "kind", "title")  # fmt: skip
    out = {k: r.get(k) for k in keys}
    # the edition's own forms, not the reading room's language ("1931 No. 3")
    out.update(
        label=r.get("data_label", r["label"]),
        date_display=r.get("data_date_display", r.get("date_display")),
    )
    return {**out, "url": urls.letter_path(r["id"])}


def routes(pages: Pages) -> list[Route]:
    room = pages.room
    edition = room.edition

    def letters(request: Request) -> Response:
        p = request.query_params
        try:
            check_parameters(request, "/api/letters")
            page = _int(p, "page", 1, 1, 10**6)
            per_page = _int(p, "per_page", 50, 1, MAX_PER_PAGE)
            filters = {k: p[k] for k in LETTER_FILTERS if p.get(k)}
            if "year" in filters and not filters["year"].isdigit():
                raise QueryError(
                    f"year must be a number, not {filters['year']!r}", "Use year=1931."
                )
            _check_letter_filters(filters)
        except QueryError as e:
            return _error(e, 400)
        ids = [r["id"] for r in edition.letter_records(**filters)]
        chunk = ids[(page - 1) * per_page : page * per_page]
        return JSONResponse(
            {
                "total": len(ids),
                "page": page,
                "per_page": per_page,
                "filters": filters,
                "letters": [_summary(room.letters[i]) for i in chunk],
            }
        )

    def letter(request: Request) -> Response:
        lid = request.path_params["id"]
        try:
            check_parameters(request, "/api/letters/{id}")
        except QueryError as e:
            return _error(e, 400)
        if lid not in room.letters:
            return _error(UnknownEntry(f"no letter {lid!r} in this edition"), 404)
        return Response(letter_json(room, lid), media_type="application/json")

    def person(request: Request) -> Response:
        try:
            check_parameters(request, "/api/persons/{id}")
        except QueryError as e:
            return _error(e, 400)
        eid = room.resolve(request.path_params["id"])
        if eid is None:
            return _error(UnknownEntry(f"no register entry {request.path_params['id']!r}"), 404)
        e = room.entries[eid]
        return JSONResponse(
            {
                "id": eid,
                "kind": e["kind"],
                "name": e["name"],
                "entry": room.entry_data(eid),
                "url": urls.entry_path(e["kind"], eid),
                "letters": {
                    "from": [_summary(r) for r in room.letters_of(room.sent_by.get(eid, ()))],
                    "to": [_summary(r) for r in room.letters_of(room.received_by.get(eid, ()))],
                    "mentioning": [
                        _summary(r) for r in room.letters_of(room.mentioned_in.get(eid, ()))
                    ],
                },
                "total": len(related_letters(room, eid)),
            }
        )

    def search_api(request: Request) -> Response:
        from ..search.query import FILTER_KEYS, search

        p = request.query_params
        filters = {k: p[k] for k in FILTER_KEYS if p.get(k)}
        try:
            check_parameters(request, "/api/search")
            res = search(
                room.store,
                p.get("q", ""),
                filters=filters,
                sort=p.get("sort", "relevance"),
                page=p.get("page", 1),
                per_page=p.get("per_page", 20),
            )
        except QueryError as e:
            return _error(e, 400)
        for r in res["results"]:
            r["url"] = urls.letter_path(r["letter"])
        return JSONResponse(res)

    def stats(request: Request) -> Response:
        try:
            from ..analyse import ANALYSES, run, to_csv
        except ImportError:
            return _error(UnknownEntry("this installation has no analyses"), 404)
        name = request.path_params["name"]
        if name not in ANALYSES:
            return _error(
                UnknownEntry(f"no analysis {name!r}; known: {', '.join(sorted(ANALYSES))}"), 404
            )
        try:
            check_parameters(request, "/api/stats/{name}")
            view, options = _stats_options(ANALYSES[name], request.query_params)
            if request.query_params.get("format") not in (None, "json", "csv"):
                raise QueryError("format must be json or csv", "Use format=csv for a table.")
            res = run(edition, name, view, **options)
            if request.query_params.get("format") == "csv":
                return Response(to_csv(res), media_type="text/csv; charset=utf-8")
            return JSONResponse(json.loads(json.dumps(res, default=str)))
        except (QueryError, UnknownAnalysis) as e:
            return _error(e, 400)

    def spec(request: Request) -> Response:
        try:
            check_parameters(request, "/api/openapi.json")
        except QueryError as e:
            return _error(e, 400)
        return JSONResponse(openapi())

    def _check_letter_filters(filters: dict) -> None:
        from ..search.query import _date_bound, edition_kind

        for key in ("start", "end"):
            if key in filters:
                _date_bound(key, filters[key], key == "end")
        if "kind" in filters:
            filters["kind"] = edition_kind(filters["kind"])
            kinds = {r["kind"] for r in room.letters.values() if r.get("kind")}
            if filters["kind"] not in kinds:
                raise QueryError(
                    f"filter kind={filters['kind']!r} matches no letter in this edition",
                    f"Kinds in this edition: {', '.join(sorted(kinds))}.",
                )

    return [
        Route("/api/letters", letters),
        Route("/api/letters/{id}", letter),
        Route("/api/persons/{id}", person),
        Route("/api/search", search_api),
        Route("/api/stats/{name}", stats),
        Route("/api/openapi.json", spec),
    ]
