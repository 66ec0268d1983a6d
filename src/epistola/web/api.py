"""The JSON API of ``epistola serve`` (described in openapi.json beside this file).

    GET /api/letters              letters in edition order, filtered and paged
    GET /api/letters/{id}         one letter, all of it (the same JSON as letters/<id>.json)
    GET /api/persons/{id}         a register entry with the letters from, to and mentioning it
    GET /api/search               full-text search with filters and facets (docs/search.md)
    GET /api/stats/{name}         one analysis (docs/analyses.md)
    GET /api/openapi.json         this API as OpenAPI 3.1

Errors are JSON too: ``{"error": message, "hint": how to fix}`` with 400 or 404.
"""

from __future__ import annotations

import json
from importlib import resources

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import EpistolaError, QueryError, UnknownEntry
from ..render import urls
from ..render.letter_page import letter_json
from ..render.pages import Pages
from ..render.register_pages import related_letters

LETTER_FILTERS = ("year", "sender", "addressee", "person", "kind", "start", "end", "mentions")
MAX_PER_PAGE = 500


def openapi() -> dict:
    return json.loads(resources.files("epistola.web").joinpath("openapi.json").read_text("utf-8"))


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
            page = _int(p, "page", 1, 1, 10**6)
            per_page = _int(p, "per_page", 50, 1, MAX_PER_PAGE)
            filters = {k: p[k] for k in LETTER_FILTERS if p.get(k)}
            if "year" in filters and not filters["year"].isdigit():
                raise QueryError(
                    f"year must be a number, not {filters['year']!r}", "Use year=1931."
                )
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
        if lid not in room.letters:
            return _error(UnknownEntry(f"no letter {lid!r} in this edition"), 404)
        return Response(letter_json(room, lid), media_type="application/json")

    def person(request: Request) -> Response:
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
            from ..analyse import ANALYSES, run
        except ImportError:
            return _error(UnknownEntry("this installation has no analyses"), 404)
        name = request.path_params["name"]
        if name not in ANALYSES:
            return _error(
                UnknownEntry(f"no analysis {name!r}; known: {', '.join(sorted(ANALYSES))}"), 404
            )
        try:
            return JSONResponse(json.loads(json.dumps(run(edition, name), default=str)))
        except QueryError as e:
            return _error(e, 400)

    def spec(request: Request) -> Response:
        return JSONResponse(openapi())

    return [
        Route("/api/letters", letters),
        Route("/api/letters/{id}", letter),
        Route("/api/persons/{id}", person),
        Route("/api/search", search_api),
        Route("/api/stats/{name}", stats),
        Route("/api/openapi.json", spec),
    ]
