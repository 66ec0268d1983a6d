"""Research annotations: versioned, soft-deleted, audited; anchored to a span of a letter.

An annotation is ``{id, letter_id, kind, body, selector, author, created, modified,
modified_by, version, deleted, review}``. ``selector`` is a W3C TextQuoteSelector (``exact``,
``prefix``, ``suffix``) with a TextPositionSelector (``start``, ``end``) into the letter's
reading text (``letter_texts`` version 0), or None for the whole letter. Every change writes a
row of ``annotation_versions`` and of ``audit_log``; a change names the version it started
from and is refused with :class:`VersionConflict` if another came first (never overwritten).
"""

from __future__ import annotations

import json
import secrets

from ..errors import InvalidAnnotation, NotAuthorised, UnknownEntry, VersionConflict
from ..model.coding import MATTER_STATUSES, OUTCOMES, QUANTITY_STATUSES, STANCES
from ..store import Store
from .accounts import WRITE_LOCK, audit, now, require, role_allows

# kind -> (required fields, optional fields, {field: allowed values}); the values are the
# edition's coding vocabularies (model/coding.py), so annotations count in the analyses
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], dict[str, tuple[str, ...]]]] = {
    "subject": (("subject",), ("note",), {}),
    "matter": (
        ("status",),
        (
            "subject",
            "summary",
            "outcome",
            "raised_by",
            "addressed_to",
            "answers",
            "decided_by",
            "note",
        ),
        {"status": MATTER_STATUSES, "outcome": OUTCOMES},
    ),  # fmt: skip
    "quantity": (
        ("commodity", "unit", "quantity"),
        ("status", "matter", "note"),
        {"status": QUANTITY_STATUSES},
    ),
    "stance": (("person", "stance"), ("note",), {"stance": tuple(STANCES)}),
    "comment": (("text",), (), {}),
}
SELECTOR_KEYS = ("exact", "prefix", "suffix", "start", "end")


def validate(kind: str, body: dict, selector: dict | None) -> tuple[dict, dict | None]:
    if kind not in KINDS:
        raise InvalidAnnotation(f"unknown kind of annotation {kind!r} (use {', '.join(KINDS)})")
    if not isinstance(body, dict):
        raise InvalidAnnotation("body must be a JSON object")
    required, optional, allowed = KINDS[kind]
    missing = [f for f in required if body.get(f) in (None, "")]
    if missing:
        raise InvalidAnnotation(f"a {kind} annotation needs {', '.join(missing)}")
    unknown = sorted(set(body) - set(required) - set(optional))
    if unknown:
        raise InvalidAnnotation(f"a {kind} annotation has no field(s) {', '.join(unknown)}")
    for f, values in allowed.items():
        if f in body and body[f] not in values:
            raise InvalidAnnotation(f"{f} must be one of {', '.join(values)}, not {body[f]!r}")
    if kind == "quantity":
        try:
            body = {**body, "quantity": float(body["quantity"])}
        except (TypeError, ValueError):
            raise InvalidAnnotation(
                f"quantity must be a number, not {body['quantity']!r}"
            ) from None
    for f, v in body.items():
        if not isinstance(v, str | int | float):
            raise InvalidAnnotation(f"{f} must be text or a number")
    if selector is not None:
        if not isinstance(selector, dict) or not selector.get("exact"):
            raise InvalidAnnotation("selector needs the selected text in 'exact'")
        unknown = sorted(set(selector) - set(SELECTOR_KEYS))
        if unknown:
            raise InvalidAnnotation(f"selector has no field(s) {', '.join(unknown)}")
        for f in ("start", "end"):
            if f in selector and not isinstance(selector[f], int):
                raise InvalidAnnotation(f"selector.{f} must be a whole number")
    return body, selector


CHANGED = "annotations_changed"  # meta key: a new value on every change (web/cache.py reads it)


def touch(store: Store) -> None:
    """Record that the annotations changed (in the caller's transaction): answers that count
    them (analyses, /api/stats) are recomputed, in every server process."""
    value = json.dumps(f"{now()} {secrets.token_hex(4)}")
    # an upsert: concurrent writers (server processes) never collide on the key
    store.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (CHANGED, value),
    )


def changed_stamp(store) -> str | None:
    """The stamp :func:`touch` wrote last (None: never changed)."""
    return store.get_meta(CHANGED)


def _record(row: dict) -> dict:
    out = dict(row)
    out["body"] = json.loads(row["body"])
    out["selector"] = json.loads(row["selector"]) if row.get("selector") else None
    out["deleted"] = bool(row["deleted"])
    return out


def get(store: Store, annotation_id: str) -> dict:
    rows = store.execute("SELECT * FROM annotations WHERE id = ?", (annotation_id,))
    if not rows:
        raise UnknownEntry(f"no annotation {annotation_id!r}")
    return _record(rows[0])


def for_letter(store: Store, letter_id: str, *, deleted: bool = False) -> list[dict]:
    sql = "SELECT * FROM annotations WHERE letter_id = ?"
    if not deleted:
        sql += " AND deleted = 0"
    return [_record(r) for r in store.execute(sql + " ORDER BY created, id", (letter_id,))]


def all_annotations(store: Store, *, deleted: bool = False) -> list[dict]:
    sql = "SELECT * FROM annotations" + ("" if deleted else " WHERE deleted = 0")
    return [_record(r) for r in store.execute(sql + " ORDER BY letter_id, created, id")]


def versions(store: Store, annotation_id: str) -> list[dict]:
    get(store, annotation_id)
    rows = store.execute(
        "SELECT * FROM annotation_versions WHERE annotation_id = ? ORDER BY version",
        (annotation_id,),
    )
    return [_record(r) for r in rows]


def _snapshot(store: Store, rec: dict) -> None:
    store.execute(
        "INSERT INTO annotation_versions (annotation_id, version, letter_id, kind, body, "
        "selector, author, at, deleted) VALUES (?,?,?,?,?,?,?,?,?)",
        (rec["id"], rec["version"], rec["letter_id"], rec["kind"], json.dumps(rec["body"]),
         json.dumps(rec["selector"]) if rec["selector"] else None, rec["modified_by"],
         rec["modified"], int(rec["deleted"])),
    )  # fmt: skip


def create(
    store: Store,
    account: dict,
    letter_id: str,
    kind: str,
    body: dict,
    selector: dict | None = None,
    *,
    annotation_id: str | None = None,
    author: str | None = None,
) -> dict:
    """A new annotation by ``account`` (a coder at least) on letter ``letter_id``."""
    require(account, "coder")
    body, selector = validate(kind, body, selector)
    if not store.execute("SELECT 1 FROM letters WHERE id = ?", (letter_id,)):
        raise UnknownEntry(f"no letter {letter_id!r}")
    if selector is not None:  # offsets into the stored reading text, whatever the client counted
        where = _find(_letter_text(store, letter_id), selector)
        if where is not None:
            selector = {**selector, "start": where[0], "end": where[1]}
    t = now()
    rec = {"id": annotation_id or "a-" + secrets.token_hex(8), "letter_id": letter_id,
           "kind": kind, "body": body, "selector": selector, "author": author or account["name"],
           "created": t, "modified": t, "modified_by": account["name"], "version": 1,
           "deleted": False, "review": None}  # fmt: skip
    with WRITE_LOCK:
        if store.execute("SELECT 1 FROM annotations WHERE id = ?", (rec["id"],)):
            raise InvalidAnnotation(f"annotation {rec['id']!r} exists")
        store.execute(
            "INSERT INTO annotations (id, letter_id, kind, body, selector, author, created, "
            "modified, modified_by, version, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,0)",
            (rec["id"], letter_id, kind, json.dumps(body),
             json.dumps(selector) if selector else None, rec["author"], t, t, account["name"], 1),
        )  # fmt: skip
        _snapshot(store, rec)
        audit(store, account["name"], "annotation.create", rec["id"], f"{kind} on {letter_id}")
        touch(store)
        store.commit()
    return rec


def _may_change(account: dict, rec: dict) -> None:
    require(account, "coder")
    if rec["author"] != account["name"] and not role_allows(account["role"], "editor"):
        raise NotAuthorised(
            f"{account['name']} may not change {rec['author']}'s annotation: it needs an editor"
        )


def _change(store: Store, account: dict, annotation_id: str, if_version: int, action: str,
            **changes) -> dict:  # fmt: skip
    rec = get(store, annotation_id)
    _may_change(account, rec)
    if "body" in changes or "selector" in changes:
        changes["body"], changes["selector"] = validate(
            rec["kind"], changes.get("body", rec["body"]), changes.get("selector", rec["selector"])
        )
    with WRITE_LOCK:
        new = {**rec, **changes, "version": if_version + 1, "modified": now(),
               "modified_by": account["name"]}  # fmt: skip
        # compare-and-set: the row changes only if nobody else changed it since if_version
        done = store.execute(
            "UPDATE annotations SET body = ?, selector = ?, modified = ?, modified_by = ?, "
            "version = ?, deleted = ?, review = ? WHERE id = ? AND version = ? RETURNING id",
            (json.dumps(new["body"]), json.dumps(new["selector"]) if new["selector"] else None,
             new["modified"], new["modified_by"], new["version"], int(new["deleted"]),
             new["review"], annotation_id, if_version),
        )  # fmt: skip
        if not done:
            store.commit()
            current = get(store, annotation_id)
            raise VersionConflict(
                f"annotation {annotation_id} is at version {current['version']} "
                f"(changed by {current['modified_by']} at {current['modified']}), "
                f"not {if_version}"
            )
        _snapshot(store, new)
        audit(store, account["name"], action, annotation_id, f"version {new['version']}")
        touch(store)
        store.commit()
    return new


def update(store: Store, account: dict, annotation_id: str, if_version: int, *,
           body: dict | None = None, selector=...) -> dict:  # fmt: skip
    """Change body and/or selector, starting from version ``if_version``."""
    changes: dict = {"review": None}
    if body is not None:
        changes["body"] = body
    if selector is not ...:
        changes["selector"] = selector
    return _change(store, account, annotation_id, if_version, "annotation.update", **changes)


def delete(store: Store, account: dict, annotation_id: str, if_version: int) -> dict:
    """Soft deletion: the annotation leaves lists and analyses; restore brings it back."""
    return _change(store, account, annotation_id, if_version, "annotation.delete", deleted=True)


def restore(store: Store, account: dict, annotation_id: str, if_version: int) -> dict:
    return _change(store, account, annotation_id, if_version, "annotation.restore", deleted=False)


def _letter_text(store: Store, letter_id: str) -> str:
    rows = store.execute(
        "SELECT text FROM letter_texts WHERE letter_id = ? ORDER BY version LIMIT 1", (letter_id,)
    )
    return rows[0]["text"] if rows else ""


def _find(text: str, sel: dict) -> tuple[int, int] | None:
    """Where the selector's text is in ``text``: at its old offsets, else by its quote with
    prefix and suffix, else by its quote alone when that occurs once."""
    exact = sel["exact"]
    start = sel.get("start")
    if isinstance(start, int) and text[start : start + len(exact)] == exact:
        return start, start + len(exact)
    context = sel.get("prefix", "") + exact + sel.get("suffix", "")
    if text.count(context) == 1:
        i = text.index(context) + len(sel.get("prefix", ""))
        return i, i + len(exact)
    if text.count(exact) == 1:
        i = text.index(exact)
        return i, i + len(exact)
    return None


def reanchor(store: Store) -> int:
    """After a re-ingest (on the writer, before the swap): move every annotation's span to
    where its text now is; flag for review (``review``), never drop, those whose letter or
    text is gone. Returns how many are flagged."""
    texts = {r["letter_id"]: r["text"] for r in store.execute(
        "SELECT letter_id, text FROM letter_texts t WHERE version = "
        "(SELECT MIN(version) FROM letter_texts u WHERE u.letter_id = t.letter_id)")}  # fmt: skip
    letters = {r["id"] for r in store.execute("SELECT id FROM letters")}
    flagged = 0
    records = all_annotations(store, deleted=True)
    for rec in records:
        review, selector = None, rec["selector"]
        if rec["letter_id"] not in letters:
            review = "the letter is no longer in the edition"
        elif selector:
            where = _find(texts.get(rec["letter_id"], ""), selector)
            if where is None:
                review = f"the annotated text {selector['exact']!r} changed in the letter"
            else:
                selector = {**selector, "start": where[0], "end": where[1]}
        if review:
            flagged += 1
        store.execute(
            "UPDATE annotations SET selector = ?, review = ? WHERE id = ?",
            (json.dumps(selector) if selector else None, review, rec["id"]),
        )
    if records:  # an edition without annotations keeps its meta as ingest wrote it
        touch(store)
    store.commit()
    return flagged
