"""Research annotations as stand-off CSV, and back without loss.

One row per annotation, in the columns of the edition's stand-off coding (``coding/matters.csv``:
id, letter, subject, raised_by, addressed_to, status, outcome, answers, summary) plus ``kind``, the
other kinds' fields, the selected span and the record (author, times, version, deletion, review
flag)::

    id,letter,kind,subject,raised_by,...,exact,prefix,suffix,start,end,author,created,...

A field an annotation lacks is an empty cell (an empty field and a missing one are the same).
Cells a spreadsheet would take for a formula (starting ``= + - @``, a tab or a carriage return)
are written with a leading ``'``, and so is a cell that starts with ``'`` itself, so reading
removes exactly one ``'`` and gives the text back. Reading reports every bad row with its row
number (the header is row 1) and keeps going: the good rows are imported, the bad ones not.
"""

from __future__ import annotations

import csv
import io

from ..errors import InvalidAnnotation
from ..store import Store
from .accounts import now
from .annotating import KINDS, validate

RECORD = ("id", "letter", "kind")
BODY = tuple(dict.fromkeys(f for req, opt, _ in KINDS.values() for f in (*req, *opt)))
# the coding columns first, in coding/matters.csv's order, then the rest of the kinds' fields
FIELDS = ("subject", "raised_by", "addressed_to", "status", "outcome", "answers", "summary")
FIELDS += tuple(f for f in BODY if f not in FIELDS)
SELECTOR = ("exact", "prefix", "suffix", "start", "end")
META = ("author", "created", "modified", "modified_by", "version", "deleted", "review")
COLUMNS = RECORD + FIELDS + SELECTOR + META
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def _out(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return repr(v)
    v = str(v)
    return "'" + v if v.startswith(FORMULA_START) else v


def _in(v: str | None) -> str:
    v = v or ""
    return v[1:] if v.startswith("'") else v


def to_csv(records: list[dict]) -> str:
    """The CSV text (UTF-8, header row, CRLF line ends as the csv module writes them)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for r in records:
        sel = r.get("selector") or {}
        row = [r["id"], r["letter_id"], r["kind"]]
        row += [r["body"].get(f) for f in FIELDS]
        row += [sel.get(f) for f in SELECTOR]
        row += [r.get(f) for f in META]
        w.writerow([_out(v) for v in row])
    return buf.getvalue()


def _int(v: str, what: str) -> int:
    try:
        return int(v)
    except ValueError:
        raise InvalidAnnotation(f"{what} must be a whole number, not {v!r}") from None


def from_csv(text: str) -> tuple[list[dict], list[tuple[int, str]]]:
    """(annotation records, problems as (row number, message)) from CSV made by :func:`to_csv`
    (or by hand: only id, letter, kind and the kind's required fields are needed)."""
    rows, problems = _parse(text)
    return [r for _, r in rows], problems


def _parse(text: str) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in RECORD if c not in (reader.fieldnames or ())]
    if missing:
        return [], [(1, f"the header lacks column(s) {', '.join(missing)}")]
    unknown = [c for c in reader.fieldnames or () if c and c not in COLUMNS]
    problems = [(1, f"unknown column(s) {', '.join(unknown)} are ignored")] if unknown else []
    records, seen = [], set()
    for line, rec in enumerate(reader, 2):
        if None in rec:
            problems.append((line, "the row has more cells than the header"))
            continue
        cells = {k: _in(v) for k, v in rec.items() if k in COLUMNS}
        try:
            if not cells.get("id") or not cells.get("letter"):
                raise InvalidAnnotation("the row needs an id and a letter")
            if cells["id"] in seen:
                raise InvalidAnnotation(f"annotation {cells['id']!r} is in the file twice")
            body = {f: cells[f] for f in FIELDS if cells.get(f)}
            selector = None
            if cells.get("exact"):
                selector = {"exact": cells["exact"], "prefix": cells.get("prefix", ""),
                            "suffix": cells.get("suffix", "")}  # fmt: skip
                for f in ("start", "end"):
                    if cells.get(f):
                        selector[f] = _int(cells[f], f)
            body, selector = validate(cells["kind"], body, selector)
            deleted = cells.get("deleted") or "0"
            if deleted not in ("0", "1"):
                raise InvalidAnnotation(f"deleted must be 0 or 1, not {deleted!r}")
            author = cells.get("author") or None
            created = cells.get("created") or None
            records.append((line, {
                "id": cells["id"], "letter_id": cells["letter"], "kind": cells["kind"],
                "body": body, "selector": selector, "author": author, "created": created,
                "modified": cells.get("modified") or created,
                "modified_by": cells.get("modified_by") or author,
                "version": _int(cells.get("version") or "1", "version"),
                "deleted": deleted == "1", "review": cells.get("review") or None,
            }))  # fmt: skip
            seen.add(cells["id"])
        except InvalidAnnotation as e:
            problems.append((line, str(e)))
    return records, problems


def import_csv(store: Store, text: str, by: str) -> tuple[int, list[str], list[tuple[int, str]]]:
    """Import the good rows of ``text`` as they are (ids, authors, times, versions); a row
    without author or time is ``by``'s, now. Returns (added, ids already present and skipped,
    problems by row number: bad rows, and rows naming a letter the edition lacks)."""
    from .webanno import import_records

    records, problems = _parse(text)
    letters = {r["id"] for r in store.execute("SELECT id FROM letters")}
    good = []
    for line, r in records:
        if r["letter_id"] not in letters:
            problems.append((line, f"no letter {r['letter_id']!r} in the edition"))
            continue
        t = now()
        r["author"] = r["author"] or by
        r["modified_by"] = r["modified_by"] or r["author"]
        r["created"] = r["created"] or t
        r["modified"] = r["modified"] or r["created"]
        good.append(r)
    added, skipped = import_records(store, good, by)
    return added, skipped, sorted(problems)
