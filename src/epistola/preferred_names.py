"""Resolve step: senders and addressees under the register's preferred name.

A letter may write a person's name in any spelling or script ("Карл Бреннер" for the register's
"Karl Brenner"). Shown as written, one person would split into several wherever letters are
grouped or listed by name. Once references are resolved, every party with a register entry is
shown under the entry's name: the ``sender``/``addressee`` columns and each agent's ``name`` in
the stored letter. The written form is kept as such: in the agent's ``written`` and in
``letter_agents.name``. Parties without a register entry keep the name as written.
"""

from __future__ import annotations

import hashlib
import json

from .store.base import Store


def apply_register_names(store: Store) -> None:
    # entries of a register (not those made from the letters alone, as CMIF's are: they have
    # no preferred name beyond the first spelling met)
    names = {
        r["id"]: r["name"]
        for r in store.execute("SELECT id, name FROM entries WHERE from_letter = 0")
    }
    agents: dict[str, dict] = {}
    for r in store.execute(
        "SELECT letter_id, action, position, entry_id FROM letter_agents WHERE entry_id IS NOT NULL"
    ):
        if r["entry_id"] in names:
            agents.setdefault(r["letter_id"], {})[(r["action"], r["position"])] = r["entry_id"]
    if not agents:
        return
    updates = []
    for r in store.execute("SELECT id, data FROM letters"):
        found = agents.get(r["id"])
        if not found:
            continue
        # the same letter and names give the same update: a watching server rebuilds often
        key = hashlib.sha1(
            (r["data"] + repr(sorted((k, names[e]) for k, e in found.items()))).encode()
        ).digest()
        if key in _MEMO:
            if _MEMO[key] is not None:
                updates.append((*_MEMO[key], r["id"]))
            continue
        update = _MEMO[key] = _renamed(r["data"], found, names)
        if len(_MEMO) > _MEMO_LIMIT:
            _MEMO.clear()
        if update is not None:
            updates.append((*update, r["id"]))
    if updates:
        store.executemany(
            "UPDATE letters SET sender = ?, addressee = ?, data = ? WHERE id = ?", updates
        )


_MEMO: dict[bytes, tuple | None] = {}
_MEMO_LIMIT = 200_000


def _renamed(raw: str, found: dict, names: dict) -> tuple | None:
    """(sender, addressee, data) of a letter whose parties take their register names, or None
    when every party has its register name already."""
    data = json.loads(raw)
    changed = False
    for action in data.get("actions", []):
        for pos, g in enumerate(action.get("agents", [])):
            eid = found.get((action.get("type"), pos))
            if eid is None or g.get("name") == names[eid]:
                continue
            g["written"] = g.get("name")
            g["name"] = names[eid]
            changed = True
    if not changed:
        return None
    return (
        _joined(data, "sent"),
        _joined(data, "received"),
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
    )


def _joined(data: dict, kind: str) -> str:
    """As the store's codec joins display names: persons first, organisations if none."""
    action = next((a for a in data.get("actions", []) if a.get("type") == kind), None)
    agents = action.get("agents", []) if action else []
    persons = [g for g in agents if g.get("kind") == "person"]
    return "; ".join(g["name"] for g in (persons or agents) if g.get("name"))
