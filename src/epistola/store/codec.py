"""Model objects <-> plain JSON-able dicts <-> table rows. Pure functions, no I/O."""

from __future__ import annotations

import dataclasses
import json

import orjson

from ..model import (
    Agent,
    CorrespAction,
    EditionDate,
    Event,
    Facsimile,
    GlossaryEntry,
    Letter,
    Link,
    Matter,
    Mention,
    Name,
    Note,
    Office,
    Organisation,
    OrgRelation,
    Person,
    Place,
    Quantity,
    Subject,
    TextVersion,
    Work,
    display,
)
from ..model.refs import ref_key as norm_ref  # the one definition (model/refs.py)
from ..model.registers import Entry
from ..model.text import iter_nodes, plain_text
from .tables import LETTERS, TABLE_COLUMNS  # noqa: F401  (TABLE_COLUMNS: re-exported)

_FIELDS: dict[type, tuple[str, ...]] = {}
_PLAIN_FIELDS = frozenset({"blocks", "content"})  # text trees are JSON already
_SCALARS = (str, int, float, bool, type(None))


def to_plain(obj):
    """Dataclasses, lists and dicts -> JSON-able values (None and empty fields dropped)."""
    if isinstance(obj, _SCALARS):
        return obj
    cls = type(obj)
    names = _FIELDS.get(cls)
    if names is None and dataclasses.is_dataclass(obj):
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    if names is not None:
        out = {}
        for n in names:
            v = getattr(obj, n)
            if v is None or v == [] or v == {}:
                continue
            out[n] = v if n in _PLAIN_FIELDS or isinstance(v, _SCALARS) else to_plain(v)
        return out
    if isinstance(obj, list):
        return [to_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items()}
    return obj


def dumps(obj) -> str:
    """JSON text of model objects (orjson serialises dataclasses natively, in C)."""
    return orjson.dumps(obj).decode("utf-8")


def dump_letter(letter: Letter) -> str:
    """The letter's JSON without what has tables of its own or is rebuilt from the stored TEI
    markup when the letter is loaded (mentions, notes, terms, blocks). Empties those fields."""
    letter.mentions, letter.notes, letter.terms = [], [], []
    for v in letter.versions:
        if v.tei:
            v.blocks, v.text = [], ""
    return orjson.dumps(letter).decode("utf-8")


def _date(d):
    return EditionDate(**d) if d else None


def letter_from_plain(d: dict) -> Letter:
    d = dict(d)
    d["date"] = _date(d.get("date"))
    d["actions"] = [
        CorrespAction(
            type=a["type"],
            agents=[Agent(**g) for g in a.get("agents", [])],
            place_ref=a.get("place_ref"),
            place_name=a.get("place_name"),
            date=_date(a.get("date")),
        )
        for a in d.get("actions", [])
    ]
    d["versions"] = [TextVersion(**v) for v in d.get("versions", [])]
    d["notes"] = [Note(**n) for n in d.get("notes", [])]
    d["links"] = [Link(**k) for k in d.get("links", [])]
    d["facsimiles"] = [Facsimile(**f) for f in d.get("facsimiles", [])]
    d["mentions"] = [Mention(**m) for m in d.get("mentions", [])]
    d["quantities"] = [Quantity(**q) for q in d.get("quantities", [])]
    d["matters"] = [
        Matter(**{**m, "quantities": [Quantity(**q) for q in m.get("quantities", [])]})
        for m in d.get("matters", [])
    ]
    letter = Letter(**d)
    if any(v.tei for v in letter.versions):
        from ..read.tei_text import build_text

        build_text(letter)
    return letter


ENTRY_CLASSES = {
    "person": Person,
    "place": Place,
    "org": Organisation,
    "work": Work,
    "event": Event,
    "term": GlossaryEntry,
    "subject": Subject,
}


def entry_from_plain(d: dict) -> Entry:
    d = dict(d)
    cls = ENTRY_CLASSES.get(d.get("kind"), Entry)
    d["names"] = [Name(**n) for n in d.get("names", [])]
    if cls is Person:
        d["occupations"] = [Office(**o) for o in d.get("occupations", [])]
    if cls is Organisation:
        d["parents"] = [OrgRelation(**r) for r in d.get("parents", [])]
    return cls(**d)


def _names(agents) -> str:
    """Display names; where persons are named, organisations (a post office) are left out."""
    persons = [a for a in agents if a.kind == "person"]
    return "; ".join(a.name for a in (persons or agents) if a.name)


def letter_rows(letter: Letter, source_index: int) -> dict:
    """Everything the store writes for one letter (numbers are assigned later by resolve):
    table name -> rows, in the column order of store/tables.py."""
    lid = letter.id
    texts, words = _text_rows(letter)
    rows = {
        "letter_agents": _agent_rows(letter),
        "letter_mentions": [
            (lid, m.ref, norm_ref(m.ref), m.kind, m.where, m.stance, m.line)
            for m in letter.mentions
        ],
        "letter_links": [(lid, k.type, k.target, k.scope) for k in letter.links],
        "letter_correspondences": [(lid, c) for c in letter.correspondences],
        "letter_subjects": [(lid, *_subject_level(s)) for s in letter.subjects],
        "letter_terms": _term_rows(letter),
        "letter_texts": texts,
        "facsimiles": [(lid, i, f.url, f.label, f.kind) for i, f in enumerate(letter.facsimiles)],
        "notes": [
            (
                lid,
                n.n,
                n.id,
                n.type,
                n.text or plain_text(n.content, skip=()),
                json.dumps(n.content, ensure_ascii=False, separators=(",", ":")),
            )
            for n in letter.notes
        ],
        "matters": [
            (
                m.id,
                lid,
                m.subject,
                m.raised_by,
                m.addressed_to,
                m.status,
                m.outcome,
                m.answers,
                m.summary,
                "tei",
            )
            for m in letter.matters
        ],
        "quantities": [
            (lid, q.matter, q.quantity, q.unit, q.commodity, q.status, q.text)
            for q in letter.quantities
        ],
    }
    row = _letter_row(letter, words, source_index)
    # last: dumping the letter empties the derived fields the rows above were made from
    rows["letters"] = [(*row[:-1], dump_letter(letter))]  # data is the last column
    return rows


def _text_rows(letter: Letter) -> tuple[list[tuple], int]:
    """One row per text version, and the number of words of the original's text."""
    texts = []
    words = 0
    for i, v in enumerate(letter.versions):
        t = v.text or plain_text(v.blocks)
        if v.type == "original":
            words += len(t.split())
        texts.append((letter.id, i, v.lang, v.type, t))
    return texts, words


def _agent_rows(letter: Letter) -> list[tuple]:
    """One row per party of each correspAction; a place without parties is a row too."""
    rows = []
    for a in letter.actions:
        for pos, g in enumerate(a.agents):
            rows.append(
                (letter.id, a.type, pos, g.ref, norm_ref(g.ref), g.name, g.kind, a.place_ref,
                 a.place_name)
            )  # fmt: skip
        if not a.agents and a.place_ref:
            rows.append((letter.id, a.type, 0, None, None, None, None, a.place_ref, a.place_name))
    return rows


def _term_rows(letter: Letter) -> list[tuple]:
    """The terms the reader found, plus ``abbr`` nodes of letters built in code."""
    terms = [(letter.id, term, expan, gloss) for term, expan, gloss in letter.terms]
    for v in letter.versions:
        for n in iter_nodes(v.blocks, "abbr"):  # letters built in code, not read from TEI
            term = plain_text([n], skip=("note",))
            if term:
                terms.append((letter.id, term, n.get("expan"), n.get("gloss")))
    return terms


def _subject_level(code: str) -> tuple[str, str]:
    """A subject as the model writes it -> (subject, level): ``@s`` coded on a passage,
    ``?s`` proposed, ``s`` coded on the letter."""
    if code.startswith("@"):
        return code[1:], "passage"
    if code.startswith("?"):
        return code[1:], "proposed"
    return code, "letter"


def _letter_row(letter: Letter, words: int, source_index: int) -> tuple:
    """The ``letters`` row without its data (the last column, None here)."""
    d = letter.date
    return LETTERS.row(
        id=letter.id,  # number, year, number_in_year: assigned by resolve
        title=letter.title,
        kind=letter.kind,
        date_text=d.text if d else None,
        date_display=display(d),
        edtf=d.edtf if d else None,
        earliest=d.earliest if d else None,
        latest=d.latest if d else None,
        certainty=d.certainty if d else None,
        calendar=d.calendar if d else None,
        ord=letter.order,
        sender=_names(letter.senders),
        addressee=_names(letter.addressees),
        place_sent=letter.place_sent,
        place_received=letter.place_received,
        languages=" ".join(letter.languages),
        has_notes=1 if letter.notes else 0,
        has_facsimile=1 if letter.facsimiles else 0,
        words=words,
        source_path=letter.source_path,
        source_line=letter.source_line,
        source_index=source_index,
        data=None,  # filled by letter_rows: dumping the letter empties its derived fields
    )


def entry_row(e: Entry) -> tuple:
    sort = getattr(e, "sort_name", None) or e.name
    return (
        e.id,
        e.kind,
        e.name,
        sort,
        e.note,
        1 if e.from_letter else 0,
        e.source_path,
        e.source_line,
        dumps(e),
    )
