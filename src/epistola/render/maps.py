"""Maps drawn at build time as SVG from the registers' coordinates: no tiles, no network.

A map is an equirectangular projection of the places it shows (scaled by the cosine of the
middle latitude so that shapes are not stretched), a graticule of whole degrees, a dot per place
(``data-lat``/``data-lon`` carry its coordinates) and, for correspondences, lines from the place
a letter was written to the place it was received, as thick as the number of letters.
"""

from __future__ import annotations

import math
from collections import Counter
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

WIDTH = 640
PAD = 28
STEPS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30)


def letter_places(room) -> dict[str, tuple[str | None, str | None]]:
    """Letter id -> (place written, place received), as register ids with coordinates."""
    if "letter_places" not in room.cache:
        out: dict[str, list] = {}
        for lid, agents in room.agents.items():
            pair = out.setdefault(lid, [None, None])
            for a in agents:
                place = room.resolve(a["place_ref"])
                if place in room.coords:
                    i = 0 if a["action"] == "sent" else 1
                    pair[i] = pair[i] or place
        room.cache["letter_places"] = {k: (v[0], v[1]) for k, v in out.items()}
    return room.cache["letter_places"]


def routes_of(room, letter_ids) -> Counter:
    """(from place, to place) -> number of letters, for letters whose two places are known."""
    lp = letter_places(room)
    return Counter(
        lp[i] for i in letter_ids if i in lp and lp[i][0] and lp[i][1] and lp[i][0] != lp[i][1]
    )


def _step(span: float) -> float:
    return next((s for s in STEPS if span / s <= 8), STEPS[-1])


def svg_map(room, places, *, routes: Counter | None = None, highlight=(), label: str = "",
            t=str) -> Markup | None:  # fmt: skip
    """An SVG map of ``places`` (register ids with coordinates) and ``routes`` between them;
    ``highlight`` places are drawn larger and named. None when no place has coordinates."""
    routes = routes or Counter()
    ids = sorted({p for p in places if p in room.coords} | {p for r in routes for p in r})
    if not ids:
        return None
    lats = [room.coords[i][0] for i in ids]
    lons = [room.coords[i][1] for i in ids]
    lo_lat, hi_lat, lo_lon, hi_lon = min(lats), max(lats), min(lons), max(lons)
    margin = max(hi_lat - lo_lat, hi_lon - lo_lon, 0.5) * 0.08
    lo_lat, hi_lat, lo_lon, hi_lon = (
        lo_lat - margin,
        hi_lat + margin,
        lo_lon - margin,
        hi_lon + margin,
    )
    k = math.cos(math.radians((lo_lat + hi_lat) / 2))
    scale = (WIDTH - 2 * PAD) / max((hi_lon - lo_lon) * k, 1e-9)
    height = min(max(round((hi_lat - lo_lat) * scale + 2 * PAD), 160), 720)
    scale = min(scale, (height - 2 * PAD) / max(hi_lat - lo_lat, 1e-9))

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return round(PAD + (lon - lo_lon) * k * scale, 1), round(PAD + (hi_lat - lat) * scale, 1)

    out = [
        f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label={quoteattr(label or t("Map"))}>',
        f'<rect class="sea" x="0" y="0" width="{WIDTH}" height="{height}"/>',
    ]
    step = _step(max(hi_lat - lo_lat, hi_lon - lo_lon))
    g = []
    lat = math.ceil(lo_lat / step) * step
    while lat <= hi_lat:
        _, y = xy(lat, lo_lon)
        g.append(f'<line x1="0" x2="{WIDTH}" y1="{y}" y2="{y}"/>')
        g.append(f'<text x="2" y="{y - 2}">{lat:g}°</text>')
        lat += step
    lon = math.ceil(lo_lon / step) * step
    while lon <= hi_lon:
        x, _ = xy(lo_lat, lon)
        g.append(f'<line x1="{x}" x2="{x}" y1="0" y2="{height}"/>')
        g.append(f'<text x="{x + 2}" y="{height - 3}">{lon:g}°</text>')
        lon += step
    out.append('<g class="graticule" aria-hidden="true">' + "".join(g) + "</g>")
    peak = max(routes.values(), default=1)
    for (a, b), n in sorted(routes.items()):
        (x1, y1), (x2, y2) = xy(*room.coords[a]), xy(*room.coords[b])
        w = round(1 + 4 * n / peak, 1)
        out.append(
            f'<line class="route" data-from={quoteattr(a)} data-to={quoteattr(b)} data-n="{n}" '
            f'x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke-width="{w}">'
            f"<title>{escape(_name(room, a))} → {escape(_name(room, b))}: {n}</title></line>"
        )
    hl = set(highlight)
    for i in sorted(ids, key=lambda i: i in hl):
        lat, lon = room.coords[i]
        x, y = xy(lat, lon)
        cls = "place here" if i in hl else "place"
        out.append(
            f'<circle class="{cls}" data-id={quoteattr(i)} data-lat="{lat}" data-lon="{lon}" '
            f'cx="{x}" cy="{y}" r="{5 if i in hl else 3}"><title>{escape(_name(room, i))}'
            f"</title></circle>"
        )
        if i in hl or len(ids) <= 12:
            out.append(
                f'<text class="label" x="{x + 6}" y="{y - 5}">{escape(_name(room, i))}</text>'
            )
    out.append("</svg>")
    return Markup("".join(out))


def _name(room, pid: str) -> str:
    e = room.entries.get(pid)
    return e["name"] if e else pid


def entry_map(room, kind: str, eid: str) -> Markup | None:
    """The map on a place's page (the place and where its letters came from and went) or on a
    person's page (where the person's letters were written and received)."""
    if kind == "place":
        if eid not in room.coords:
            return None
        routes = Counter(
            {r: n for r, n in routes_of(room, room.place_letters.get(eid, ())).items() if eid in r}
        )
        return svg_map(
            room, [eid], routes=routes, highlight=[eid], label=_name(room, eid), t=room.t
        )
    if kind == "person":
        letters = [*room.sent_by.get(eid, ()), *room.received_by.get(eid, ())]
        lp = letter_places(room)
        places = {p for i in letters for p in lp.get(i, ()) if p}
        if not places:
            return None
        routes = routes_of(room, letters)
        return svg_map(room, places, routes=routes, label=_name(room, eid), t=room.t)
    return None


def routes_by_year(room) -> list[dict]:
    """The routes of the letters of each year: [{year, letters, svg}] for years with routes."""
    by_year: dict = {}
    for lid, r in room.letters.items():
        by_year.setdefault(r["year"], []).append(lid)
    out = []
    for year in sorted(y for y in by_year if y is not None):
        routes = routes_of(room, by_year[year])
        if routes:
            svg = svg_map(room, [], routes=routes, label=f"{year}", t=room.t)
            out.append({"year": year, "letters": sum(routes.values()), "svg": svg})
    return out
