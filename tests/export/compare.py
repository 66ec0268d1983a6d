"""Compare two stored editions and list what differs, so a failing round trip says what.

``differences(a, b)`` reads both stores table by table (letters and their dates, parties, texts,
the stored TEI, notes, links, mentions, subjects, terms, facsimiles, matters, quantities;
register entries, names, aliases and relations; front matter, photographs, edition metadata)
and returns one line per difference, ``[]`` when the editions are the same.

What is provenance, not content, is left out: source paths and lines, the build time. Ids that
are no XML names are written by the TEI export under another id (``entry_xml_id``); ``rename``
maps the first edition's entry ids the same way before comparing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import PurePosixPath

from epistola.export.tei import IMAGE_SUFFIXES

PROVENANCE = ("source_path", "source_line", "line")


def _clean(value):
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k not in PROVENANCE}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _local_image(url: str) -> bool:
    return "://" not in url and url.lower().endswith(IMAGE_SUFFIXES)


def _letter_data(raw: str) -> dict:
    d = _clean(json.loads(raw))
    for f in d.get("facsimiles", []):
        if _local_image(f["url"]):  # local images are copied beside the export
            f["url"] = PurePosixPath(f["url"]).name
    return d


class _Side:
    def __init__(self, edition, rename=None):
        self.store = edition.store
        self.rename = rename or (lambda x: x)

    def rows(self, sql: str) -> list[dict]:
        return self.store.execute(sql)

    def rid(self, value):
        return self.rename(value) if isinstance(value, str) else value


def _grouped(side: _Side, sql: str, key: str, renamed=()) -> dict:
    out = defaultdict(list)
    for r in side.rows(sql):
        r = {k: (side.rid(v) if k in renamed else v) for k, v in r.items()}
        out[r.pop(key)].append(tuple(r.items()))
    return {k: sorted(v, key=repr) for k, v in out.items()}


LETTER_TABLES = {
    "letter row": (
        "SELECT id AS k, number, year, number_in_year, title, kind, date_text, date_display, "
        "edtf, earliest, latest, certainty, calendar, ord, sender, addressee, place_sent, "
        "place_received, languages, has_notes, has_facsimile, words FROM letters",
        (),
    ),
    "parties": (
        "SELECT letter_id AS k, action, position, ref, entry_id, name, kind, place_ref, "
        "place_name FROM letter_agents",
        ("entry_id",),
    ),
    "texts": ("SELECT letter_id AS k, version, lang, type, text FROM letter_texts", ()),
    "notes": ("SELECT letter_id AS k, n, note_id, type, text, data FROM notes", ()),
    "links": ("SELECT letter_id AS k, type, target, scope FROM letter_links", ()),
    "mentions": (
        "SELECT letter_id AS k, ref, entry_id, kind, place, stance FROM letter_mentions",
        ("entry_id",),
    ),
    "correspondences": (
        "SELECT letter_id AS k, correspondence FROM letter_correspondences",
        (),
    ),
    "subjects": ("SELECT letter_id AS k, subject, level FROM letter_subjects", ()),
    "terms": ("SELECT letter_id AS k, term, expan, entry_id FROM letter_terms", ("entry_id",)),
    "facsimiles": ("SELECT letter_id AS k, position, label, kind FROM facsimiles", ()),
    "matters": (
        "SELECT letter_id AS k, id, subject, raised_by, addressed_to, status, outcome, answers, "
        "summary, source FROM matters",
        (),
    ),
    "quantities": (
        "SELECT letter_id AS k, matter_id, quantity, unit, commodity, status, text FROM quantities",
        (),
    ),
}
ENTRY_TABLES = {
    "entry row": (
        "SELECT id AS k, kind, name, sort_name, note, from_letter FROM entries",
        ("k",),
    ),
    "entry names": ("SELECT entry_id AS k, name, type, lang FROM entry_names", ("k",)),
    "entry aliases": (
        "SELECT entry_id AS k, CASE WHEN alias = entry_id THEN '=' ELSE alias END AS alias "
        "FROM entry_aliases",
        ("k",),
    ),
    "org relations": ("SELECT org AS k, parent, from_, to_, type FROM org_relations", ()),
    "front": ("SELECT id AS k, kind, title, year, lang, body, ord FROM front", ()),
    "photographs": ("SELECT id AS k, caption, persons, credit, date FROM photographs", ()),
}


def differences(a, b, *, rename=None, limit: int = 20) -> list[str]:
    """What differs between editions ``a`` and ``b`` (``Edition`` objects), one line each."""
    sa, sb = _Side(a, rename), _Side(b)
    out: list[str] = []

    def report(what: str, diffs: list[str]) -> None:
        out.extend(f"{what}: {d}" for d in diffs[:limit])
        if len(diffs) > limit:
            out.append(f"{what}: ... and {len(diffs) - limit} more")

    def compare(what, ga, gb, kind="letter"):
        diffs = []
        for k in sorted(set(ga) | set(gb), key=str):
            va, vb = ga.get(k), gb.get(k)
            if va != vb:
                diffs.append(f"{kind} {k}: {_first_diff(va, vb)}")
        report(what, diffs)

    ids_a = {r["id"] for r in sa.rows("SELECT id FROM letters")}
    ids_b = {r["id"] for r in sb.rows("SELECT id FROM letters")}
    if ids_a != ids_b:
        report("letters", [f"only in the first: {x}" for x in sorted(ids_a - ids_b)])
        report("letters", [f"only in the second: {x}" for x in sorted(ids_b - ids_a)])
    for what, (sql, renamed) in LETTER_TABLES.items():
        compare(what, _grouped(sa, sql, "k", renamed), _grouped(sb, sql, "k", renamed))
    da = {r["id"]: _letter_data(r["data"]) for r in sa.rows("SELECT id, data FROM letters")}
    db = {r["id"]: _letter_data(r["data"]) for r in sb.rows("SELECT id, data FROM letters")}
    diffs = []
    for k in sorted(ids_a & ids_b):
        if da[k] != db[k]:
            diffs.append(f"letter {k}: {_dict_diff(da[k], db[k])}")
    report("letter record", diffs)

    ea = {
        sa.rid(r["id"]): _clean(json.loads(r["data"]))
        for r in sa.rows("SELECT id, data FROM entries")
    }
    eb = {r["id"]: _clean(json.loads(r["data"])) for r in sb.rows("SELECT id, data FROM entries")}
    for d in ea.values():
        d["id"] = sa.rid(d["id"])
    diffs = [f"only in the first: {x}" for x in sorted(set(ea) - set(eb))]
    diffs += [f"only in the second: {x}" for x in sorted(set(eb) - set(ea))]
    diffs += [
        f"{k}: {_dict_diff(ea[k], eb[k])}" for k in sorted(set(ea) & set(eb)) if ea[k] != eb[k]
    ]
    report("entry record", diffs)
    for what, (sql, renamed) in ENTRY_TABLES.items():
        compare(what, _grouped(sa, sql, "k", renamed), _grouped(sb, sql, "k", renamed), "id")
    assets_a = {r["path"]: r["data"] for r in sa.rows("SELECT path, data FROM assets")}
    assets_b = {r["path"]: r["data"] for r in sb.rows("SELECT path, data FROM assets")}
    if assets_a != assets_b:
        report("assets", [f"{p} differs or is missing" for p in sorted(set(assets_a) | set(assets_b))
                          if assets_a.get(p) != assets_b.get(p)])  # fmt: skip
    if a.meta != b.meta:
        report("edition metadata", [f"{a.meta!r} != {b.meta!r}"])
    return out


def _first_diff(va, vb) -> str:
    if va is None or vb is None:
        return (
            f"{'missing' if va is None else 'present'} in the first, "
            + ("missing" if vb is None else "present")
            + f" in the second: {va or vb!r}"[:400]
        )
    for x, y in zip(va, vb, strict=False):
        if x != y:
            dx, dy = dict(x), dict(y)
            changed = {k: (dx.get(k), dy.get(k)) for k in dx if dx.get(k) != dy.get(k)}
            return "; ".join(f"{k}: {p!r:.200} != {q!r:.200}" for k, (p, q) in changed.items())
    return f"{len(va)} row(s) != {len(vb)} row(s)"


def _dict_diff(a, b, path="") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return _dict_diff(a.get(k), b.get(k), f"{path}.{k}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _dict_diff(x, y, f"{path}[{i}]")
    return f"{path or '.'}: {a!r:.300} != {b!r:.300}"
