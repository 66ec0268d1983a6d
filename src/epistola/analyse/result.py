"""What every analysis returns, and small helpers several analyses share.

The facts they read (letters, parties, names, subjects) are the edition's one cached view,
``edition.facts`` (:mod:`epistola.facts`).

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
from datetime import date


class Msg(str):
    """A sentence made from a template: the English text itself (so results stay plain strings
    for the CLI, the API and CSV), keeping its template and values so the reading room can say
    it in the interface's language (``render.i18n.Translator``; the templates are the keys of
    ``render/messages/*.json``). A value that is itself a string is translated as a label."""

    template: str
    values: dict

    def __new__(cls, template: str, **values):
        s = super().__new__(cls, template.format(**values))
        s.template = template
        s.values = values
        return s

    def __reduce__(self):  # pickled as template and values, not as the English text
        return (_msg, (str(self.template), self.values))


def _msg(template: str, values: dict) -> Msg:
    return Msg(template, **values)


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
            if key in LEFT_OUT:
                out.append(Msg(LEFT_OUT[key], n=n))
            else:
                out.append(Msg("{n} left out: {what}", n=n, what=key[9:].replace("_", " ")))
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
