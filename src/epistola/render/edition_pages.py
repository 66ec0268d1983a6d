"""Edition-level pages: home, contents by year (with the year-and-month strip), front matter."""

from __future__ import annotations

from collections import Counter, defaultdict

from . import urls
from .room import ReadingRoom

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def month_counts(room: ReadingRoom) -> dict:
    """(year, month) -> number of letters whose earliest possible day falls in that month."""
    c: Counter = Counter()
    for r in room.letters.values():
        if r["earliest"]:
            c[(int(r["earliest"][:4]), int(r["earliest"][5:7]))] += 1
    return c


def month_strip(room: ReadingRoom, year: int, root: str, on_page: bool) -> list[dict]:
    counts = room.month_counts
    peak = max(counts.values()) if counts else 1
    strip = []
    for m in range(1, 13):
        n = counts.get((year, m), 0)
        href = None
        if n:
            href = f"#m{m:02d}" if on_page else f"{root}{urls.year_path(year)}#m{m:02d}"
        strip.append(
            {
                "month": m,
                "label": MONTHS[m - 1],
                "n": n,
                "href": href,
                "level": min(4, -(-4 * n // peak)),
            }
        )
    return strip


def home_context(room: ReadingRoom) -> dict:
    counts = room.edition.counts()
    years = Counter(r["year"] for r in room.letters.values())
    return {
        "title": room.meta.title,
        "counts": counts,
        "years": [{"year": y, "n": years[y], "href": urls.year_path(y)} for y in room.years],
        "front": [
            {"title": f["title"], "kind": f["kind"], "href": f"front/{urls.slug(f['id'])}.html"}
            for f in room.front
            if f["kind"] != "introduction"
        ],
        "correspondents": top_correspondents(room),
    }


def top_correspondents(room: ReadingRoom, n: int = 12) -> list[dict]:
    c: Counter = Counter()
    for eid, ids in room.sent_by.items():
        c[eid] += len(ids)
    for eid, ids in room.received_by.items():
        c[eid] += len(ids)
    return [
        {"name": room.entries[e]["name"], "href": room.entry_href(e, ""), "n": k}
        for e, k in c.most_common(n)
    ]


def years_context(room: ReadingRoom) -> dict:
    years = Counter(r["year"] for r in room.letters.values())
    intros = {f["year"]: f for f in room.front if f["kind"] == "introduction"}
    return {
        "title": "Letters by year",
        "years": [
            {
                "year": y,
                "n": years[y],
                "href": urls.year_path(y),
                "intro": intros.get(y, {}).get("title") if y is not None else None,
                "strip": month_strip(room, y, "", False) if y is not None else [],
            }
            for y in room.years
        ],
    }


def year_context(room: ReadingRoom, year: int | None) -> dict:
    root = "../"
    rows = [r for r in room.letters.values() if r["year"] == year]
    by_month: dict = defaultdict(list)
    for r in rows:
        month = int(r["earliest"][5:7]) if r["earliest"] else 0
        by_month[month].append(
            {
                **r,
                "href": root + urls.letter_path(r["id"]),
                "place": room.entries.get(room.resolve(r["place_sent"]) or "", {}).get("name")
                or "",
            }
        )
    intro = next((f for f in room.front if f["kind"] == "introduction" and f["year"] == year), None)
    i = room.years.index(year)
    return {
        "title": str(year) if year is not None else "Undated letters",
        "year": year,
        "intro": intro,
        "strip": month_strip(room, year, root, True) if year is not None else [],
        "months": [
            {"month": m, "label": MONTHS[m - 1] if m else "", "anchor": f"m{m:02d}", "letters": v}
            for m, v in sorted(by_month.items())
        ],
        "prev": {
            "label": room.years[i - 1] or "undated",
            "href": root + urls.year_path(room.years[i - 1]),
        }
        if i > 0
        else None,
        "next": {
            "label": room.years[i + 1] or "undated",
            "href": root + urls.year_path(room.years[i + 1]),
        }
        if i + 1 < len(room.years)
        else None,
    }


def front_context(room: ReadingRoom, front_id: str) -> dict:
    f = next(f for f in room.front if urls.slug(f["id"]) == front_id)
    return {"title": f["title"], "front": f, "lang": f.get("lang") or room.lang}


def changes_context(room: ReadingRoom, history: list[dict]) -> dict:
    """The changes page: each version of the edition, newest first, with what it changed."""
    root = ""

    def letters(ids):
        out = []
        for lid in ids:
            row = room.letters.get(lid)
            out.append(
                {
                    "label": row["label"],
                    "title": row.get("title") or "",
                    "href": root + urls.letter_path(lid),
                }
                if row
                else {"label": lid, "title": "", "href": None}
            )
        return out

    def entries(ids):
        out = []
        for eid in ids:
            e = room.entries.get(eid)
            href = room.entry_href(eid, root) if e else None
            out.append({"label": e["name"] if e else eid, "href": href})
        return out

    versions = []
    for v in history:
        counts = v.get("counts", {})
        versions.append(
            {
                "number": v["number"],
                "built": v["built"],
                "digest": v["digest"],
                "counts": counts,
                "letters": [
                    (
                        what,
                        letters(v.get(what, {}).get("letters", [])),
                        counts.get(what, {}).get("letters", 0),
                    )
                    for what in ("added", "changed", "removed")
                ],
                "entries": [
                    (
                        what,
                        entries(v.get(what, {}).get("entries", [])),
                        counts.get(what, {}).get("entries", 0),
                    )
                    for what in ("added", "changed", "removed")
                ],
            }
        )
    return {"title": "Changes", "versions": versions}
