"""What every analysis returns, and the facts about letters that several analyses share.

A result is a plain dict (JSON-able, the same in the CLI, the Python API and the web API)::

    {"name": "timeline", "view": "year", "title": ..., "description": ...,
     "columns": [...], "rows": [{...}, ...],
     "counts": {"letters": n considered, "left_out_undated": n, "left_out_uncoded": n, ...},
     "chart": {...Vega-Lite spec...}}          # optional

``description`` says what is counted and over which letters; ``counts`` says how many letters
were looked at and how many were left out, and why.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ..model.refs import resolve_ref


def result(
    name: str,
    view: str,
    title: str,
    description: str,
    columns: list[str],
    rows: list[dict],
    counts: dict,
    chart: dict | None = None,
) -> dict:
    out = {
        "name": name,
        "view": view,
        "title": title,
        "description": description,
        "columns": columns,
        "rows": [{c: r.get(c) for c in columns} for r in rows],
        "counts": counts,
    }
    if chart is not None:
        out["chart"] = chart
    return out


def to_frame(res: dict):
    """The result's table as a pandas DataFrame (columns in the result's order)."""
    import pandas as pd

    return pd.DataFrame.from_records(res["rows"], columns=res["columns"])


def to_csv(res: dict) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=res["columns"], lineterminator="\n")
    w.writeheader()
    for r in res["rows"]:
        w.writerow({k: _csv_value(v) for k, v in r.items()})
    return buf.getvalue()


def _csv_value(v):
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, float):
        return f"{v:.6g}"
    return v


def left_out_notes(counts: dict) -> list[str]:
    """Sentences saying what a result leaves out, for pages and captions."""
    out = []
    for key, n in counts.items():
        if key.startswith("left_out_") and n:
            out.append(LEFT_OUT.get(key, "{n} left out: " + key[9:].replace("_", " ")).format(n=n))
    return out


LEFT_OUT = {
    "left_out_undated": "{n} undated letter(s) are left out.",
    "left_out_imprecise": "{n} letter(s) dated too vaguely for this view (their possible dates "
    "span more than one period) are left out.",
    "left_out_uncoded": "{n} letter(s) without coding for this analysis are left out.",
    "left_out_unknown_party": "{n} letter(s) have a sender or addressee who is not in the "
    "registers; those parties are not counted.",
    "left_out_inconsistent": "{n} letter/reply pair(s) dated in the wrong order are left out.",
    "left_out_undecided": "{n} raised matter(s) without a coded decision are left out.",
    "left_out_unmarked": "{n} figure(s) marked neither proposed nor decided are left out.",
    "left_out_unpaired": "{n} decided figure(s) with no proposed figure to compare are left out.",
    "left_out_without_text": "{n} letter(s) without words of their own text are left out.",
    "left_out_short": "{n} letter(s) with too few counted words are left out.",
    "left_out_small_groups": "{n} group(s) with too few words to compare are left out.",
    "left_out_no_correspondence": "{n} letter(s) belonging to no correspondence are left out.",
}


def days(a: str, b: str) -> int:
    """Days from ISO day ``a`` to ISO day ``b``."""
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


# The letters' own words: names in the original's text, and signatures other than the
# writer's own (a name in a translation, a note or the sender's signature is no mention).
COUNTED_MENTION = (
    "(COALESCE(m.place, 'text') = 'text' OR (m.place = 'signature' AND NOT EXISTS ("
    "SELECT 1 FROM letter_agents s WHERE s.letter_id = m.letter_id AND s.action = 'sent' "
    "AND s.entry_id = m.entry_id)))"
)


@dataclass
class Facts:
    """Look-ups shared by the analyses of one edition, made once per run."""

    edition: object

    @property
    def store(self):
        return self.edition.store

    @cached_property
    def annotation_coding(self) -> dict[str, list[dict]]:
        """The research server's annotations as coding rows (model/coding.py), counted with the
        editors' coding."""
        from ..model.coding import annotation_coding

        rows = self.store.execute(
            "SELECT id, letter_id, kind, body, selector FROM annotations WHERE deleted = 0 "
            "AND kind <> 'comment' ORDER BY letter_id, created, id"
        )
        recs = [{**r, "body": json.loads(r["body"]),
                 "selector": json.loads(r["selector"]) if r["selector"] else None}
                for r in rows if r["letter_id"] in self.by_id]  # fmt: skip
        return annotation_coding(recs)

    @cached_property
    def letters(self) -> list[dict]:
        """Every letter: id, number, year, kind, earliest, latest, words (edition order)."""
        return self.store.execute(
            "SELECT id, number, year, kind, earliest, latest, words, sender, addressee "
            "FROM letters ORDER BY number"
        )

    @cached_property
    def by_id(self) -> dict[str, dict]:
        return {r["id"]: r for r in self.letters}

    @cached_property
    def _entries(self) -> list[dict]:
        return self.store.execute("SELECT id, name, kind FROM entries")

    @cached_property
    def names(self) -> dict[str, str]:
        """Register id -> display name (every kind)."""
        return {r["id"]: r["name"] for r in self._entries}

    @cached_property
    def kinds(self) -> dict[str, str]:
        """Register id -> kind (person, org, place...)."""
        return {r["id"]: r["kind"] for r in self._entries}

    def name(self, entry_id: str | None) -> str | None:
        if entry_id is None:
            return None
        return self.names.get(entry_id, entry_id)

    @cached_property
    def aliases(self) -> dict[str, str]:
        return {
            r["alias"]: r["entry_id"]
            for r in self.store.execute("SELECT alias, entry_id FROM entry_aliases")
        }

    def resolve(self, ref: str | None) -> str | None:
        """A register reference as written in coding (``#id``, id or URI) -> entry id."""
        if not ref:
            return None
        return resolve_ref(ref, self.aliases) or ref.strip().lstrip("#")  # unknown: as written

    @cached_property
    def parties(self) -> dict[str, dict[str, list]]:
        """letter id -> {"sent": [entry ids or None], "received": [...]}, in source order."""
        out: dict[str, dict[str, list]] = {}
        for r in self.store.execute(
            "SELECT letter_id, action, entry_id, kind FROM letter_agents "
            "WHERE action IN ('sent', 'received') AND (ref IS NOT NULL OR name IS NOT NULL "
            "OR kind IS NOT NULL) ORDER BY letter_id, action, position"
        ):
            out.setdefault(r["letter_id"], {"sent": [], "received": []})[r["action"]].append(
                r["entry_id"]
            )
        return out

    def senders(self, letter_id: str) -> list:
        return self.parties.get(letter_id, {}).get("sent", [])

    def addressees(self, letter_id: str) -> list:
        return self.parties.get(letter_id, {}).get("received", [])

    @cached_property
    def subject_labels(self) -> dict[str, str]:
        return {
            r["id"]: r["name"]
            for r in self.store.execute("SELECT id, name FROM entries WHERE kind = 'subject'")
        }

    @cached_property
    def subject_parents(self) -> dict[str, str | None]:
        return {r["id"]: r["parent"] for r in self.store.execute("SELECT id, parent FROM subjects")}

    def top_subject(self, sid: str) -> str:
        seen = set()
        while self.subject_parents.get(sid) and sid not in seen:
            seen.add(sid)
            sid = self.subject_parents[sid]
        return sid


def month_of(letter: dict) -> str | None:
    """``YYYY-MM`` when both date bounds fall in one month, else None."""
    e, l_ = letter.get("earliest"), letter.get("latest")
    if not e or not l_ or e[:7] != l_[:7]:
        return None
    return e[:7]


def year_of(letter: dict) -> int | None:
    """The year when both date bounds fall in one year, else None."""
    e, l_ = letter.get("earliest"), letter.get("latest")
    if not e or not l_ or e[:4] != l_[:4]:
        return None
    return int(e[:4])
