"""Citable versions: what each build of an edition changed, and the difference of two editions.

Every ingest records, in the edition's metadata:
- ``version``: the edition's version number (1, 2, ... one more each time the content changed),
  its content digest and the day it was built;
- ``letter_versions``: per letter, the digest of its stored content and the version and day it
  last changed, so a letter's citation names the version of *that letter* (and pages of
  letters that did not change stay the same, which keeps incremental site builds small);
- ``history``: one entry per version, listing the letters and register entries added, removed
  and changed (the site's "Changes" page).

Digests cover what a reader sees (the stored letter, entry or front-matter text), not where the
files lay on the builder's disk. :func:`diff` compares any two editions (``epistola diff``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

HISTORY_LIMIT = 100  # versions kept in the history (the digests of the latest are always kept)
IDS_LIMIT = 500  # ids listed per kind of change in one history entry (counts are always exact)
_VOLATILE = ("source_path", "source_line", "source_index")


_MEMO: dict[bytes, str] = {}  # raw JSON's SHA-1 -> digest: a watching server rebuilds often
_MEMO_LIMIT = 200_000


def _digest(data: str) -> str:
    key = hashlib.sha1(data.encode()).digest()
    found = _MEMO.get(key)
    if found is None:
        if len(_MEMO) >= _MEMO_LIMIT:
            _MEMO.clear()
        found = _MEMO[key] = _digest_of(data)
    return found


def _digest_of(data: str) -> str:
    try:
        d = json.loads(data)
    except ValueError:
        d = None
    if isinstance(d, dict):
        for k in _VOLATILE:
            d.pop(k, None)
        data = json.dumps(d, sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(data.encode()).hexdigest()[:12]


def digests(store) -> dict[str, dict[str, str]]:
    """Content digests of every letter, register entry and front-matter text of a store."""
    # a letter's number in its year is part of how it is cited: renumbered letters changed
    # sorted by id in Python (backends collate text differently): the stored JSON is the same
    letters = sorted(store.tuples("SELECT id, data, year, number_in_year FROM letters"))
    return {
        "letters": {i: _digest(d) + f"-{y}-{n}" for i, d, y, n in letters},
        "entries": {i: _digest(d) for i, d in sorted(store.tuples("SELECT id, data FROM entries"))},
        "front": {
            i: _digest(f"{t}\n{b}")
            for i, t, b in sorted(store.tuples("SELECT id, title, body FROM front"))
        },
    }


@dataclass
class Changes:
    """What changed from one edition to another, per kind (letters, entries, front)."""

    added: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, list[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any(v for part in (self.added, self.removed, self.changed) for v in part.values())

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            what: {kind: len(ids) for kind, ids in part.items()}
            for what, part in (
                ("added", self.added),
                ("removed", self.removed),
                ("changed", self.changed),
            )
        }

    def to_dict(self) -> dict:
        return asdict(self)


def compare(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> Changes:
    """The changes from digests ``old`` to digests ``new`` (ids sorted)."""
    ch = Changes()
    for kind in ("letters", "entries", "front"):
        a, b = old.get(kind, {}), new.get(kind, {})
        ch.added[kind] = sorted(set(b) - set(a))
        ch.removed[kind] = sorted(set(a) - set(b))
        ch.changed[kind] = sorted(i for i in set(a) & set(b) if a[i] != b[i])
    return ch


def edition_digest(d: dict[str, dict[str, str]]) -> str:
    h = hashlib.sha1()
    for kind in sorted(d):
        for i in sorted(d[kind]):
            h.update(f"{kind}\0{i}\0{d[kind][i]}\n".encode())
    return h.hexdigest()[:12]


def record(writer, previous, built: str) -> dict:
    """Write this build's version, per-letter versions and history into ``writer``'s metadata.

    ``previous``: the store of the edition this build replaces, or None. Returns the version."""
    new = digests(writer)
    day = built[:10]
    old_meta = _previous_meta(previous)
    old_digests = old_meta.get("digests") or {}
    old_version = old_meta.get("version") or {}
    history = list(old_meta.get("history") or [])
    letter_versions = dict(old_meta.get("letter_versions") or {})
    digest = edition_digest(new)
    if old_version and old_version.get("digest") == digest:
        version = old_version  # same content: same version
        changes = Changes()
    else:
        number = int(old_version.get("number", 0)) + 1
        version = {"number": number, "digest": digest, "built": day}
        changes = compare(old_digests, new)
        history.append(
            {
                **version,
                "counts": changes.counts(),
                "added": {k: v[:IDS_LIMIT] for k, v in changes.added.items()},
                "removed": {k: v[:IDS_LIMIT] for k, v in changes.removed.items()},
                "changed": {k: v[:IDS_LIMIT] for k, v in changes.changed.items()},
            }
        )
        history = history[-HISTORY_LIMIT:]
    fresh = {}
    for lid, d in sorted(new["letters"].items()):
        was = letter_versions.get(lid)
        if was and was.get("digest") == d:
            fresh[lid] = was
        else:
            fresh[lid] = {"digest": d, "version": version["number"], "since": version["built"]}
    writer.set_meta("version", version)
    writer.set_meta("digests", new)
    writer.set_meta("history", history)
    writer.set_meta("letter_versions", fresh)
    return version


def _previous_meta(store) -> dict:
    if store is None:
        return {}
    out = {}
    for key in ("version", "digests", "history", "letter_versions"):
        try:
            out[key] = store.get_meta(key)
        except Exception:  # an edition from before versions, or not an edition at all
            return {}
    if not out.get("digests"):  # an edition built before versions were recorded
        out["digests"] = digests(store)
    return out


def diff(old_edition, new_edition) -> Changes:
    """What changed from ``old_edition`` to ``new_edition`` (any two editions)."""
    return compare(digests(old_edition.store), digests(new_edition.store))
